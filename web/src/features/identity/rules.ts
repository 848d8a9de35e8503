import type { FormRule } from 'antd';
import { checkCreditCode, checkIdNumber, isValidMobile } from '@server/shared/identifiers';
import { useI18n } from '../../app/i18n';

/**
 * The checks on a party's identifiers, with the server's own validators so a typo is caught at
 * the field: registering oneself, and filing for someone at the window.
 */
export function useIdentifierRules() {
  const { t } = useI18n();
  const r = t.register;
  const required = (label: string): FormRule => ({ required: true, whitespace: true, message: t.common.required(label) });
  const idNumber: FormRule = {
    validator: async (_, value?: string) => {
      const problem = value ? checkIdNumber(value) : null;
      if (problem) throw new Error(r.idNumberInvalid(r.idNumberReasons[problem]));
    },
  };
  const creditCode: FormRule = {
    validator: async (_, value?: string) => {
      const problem = value ? checkCreditCode(value) : null;
      if (problem) throw new Error(r.creditCodeInvalid(r.creditCodeReasons[problem]));
    },
  };
  const mobile: FormRule = {
    validator: async (_, value?: string) => {
      if (value && !isValidMobile(value)) throw new Error(r.phoneInvalid);
    },
  };
  return { required, idNumber, creditCode, mobile };
}
