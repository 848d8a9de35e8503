import { useMemo } from 'react';
import { Tag } from 'antd';
import {
  CASE_ACTION_LABELS,
  CASE_STATUS_LABELS,
  DELIVERY_METHOD_LABELS,
  SPECIAL_PROCEDURE_TYPE_LABELS,
  type CaseStatusCode,
} from '@server/shared/case-codes';
import { useI18n, type Lang } from '../../app/i18n';

type Table = Record<string, { zh: string; en: string }>;

function labeler(table: Table, lang: Lang) {
  return (code: string): string => table[code]?.[lang] ?? code;
}

/** Labels of the case code tables (server/src/shared/case-codes.ts) in the current language. */
export function useCaseLabels() {
  const { lang } = useI18n();
  return useMemo(
    () => ({
      status: labeler(CASE_STATUS_LABELS, lang),
      action: labeler(CASE_ACTION_LABELS, lang),
      deliveryMethod: labeler(DELIVERY_METHOD_LABELS, lang),
      specialProcedure: labeler(SPECIAL_PROCEDURE_TYPE_LABELS, lang),
    }),
    [lang],
  );
}

export type CaseLabels = ReturnType<typeof useCaseLabels>;

/** antd preset colours whose text stays at 4.5:1 or better on their light backgrounds. */
const STATUS_COLORS: Record<CaseStatusCode, string> = {
  submitted: 'blue',
  correction_requested: 'orange',
  not_accepted: 'red',
  accepted: 'cyan',
  accepted_with_deficiency: 'gold',
  in_review: 'geekblue',
  suspended: 'purple',
  approved: 'green',
  denied: 'red',
  delivered: 'green',
  withdrawn: 'default',
};

export function StatusTag({ status }: { status: CaseStatusCode }) {
  const labels = useCaseLabels();
  return (
    <Tag color={STATUS_COLORS[status]} variant="outlined" className="case-status">
      {labels.status(status)}
    </Tag>
  );
}
