import type { CreditCodeProblem, IdNumberProblem } from '../../shared/identifiers.js';
import { defineFieldErrors, type FieldErrorSpec } from './errors.js';

/** Field errors for the national identifiers, shared by every module that takes one. */
const IdentifierFieldCodes = defineFieldErrors({
  invalid_id_number: { zh: '身份证号码不正确（GB 11643：{reason}）', en: 'Invalid ID number (GB 11643: {reason})' },
  invalid_credit_code: { zh: '统一社会信用代码不正确（GB 32100：{reason}）', en: 'Invalid unified social credit code (GB 32100: {reason})' },
});

const REASONS: Record<IdNumberProblem | CreditCodeProblem, { zh: string; en: string }> = {
  format: { zh: '应为 18 位，末位可为 X', en: '18 characters, the last may be X' },
  region: { zh: '地区码不存在', en: 'unknown region prefix' },
  birth_date: { zh: '出生日期无效', en: 'invalid birth date' },
  check: { zh: '校验码错误', en: 'wrong check character' },
  organization_check: { zh: '组织机构代码校验码错误', en: 'wrong organisation code check character' },
};

export function idNumberError(field: string, problem: IdNumberProblem): FieldErrorSpec {
  return { field, code: IdentifierFieldCodes.invalid_id_number, params: { reason: REASONS[problem] } };
}

export function creditCodeError(field: string, problem: CreditCodeProblem): FieldErrorSpec {
  return { field, code: IdentifierFieldCodes.invalid_credit_code, params: { reason: REASONS[problem] } };
}
