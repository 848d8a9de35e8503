import { useMemo } from 'react';
import { Tag } from 'antd';
import {
  ACCESS_KIND_LABELS,
  ACCESS_OUTCOME_LABELS,
  BACKEND_LABELS,
  FIELD_TYPE_LABELS,
  GRANT_STATE_LABELS,
  REQUEST_STATUS_LABELS,
  RESOURCE_STATUS_LABELS,
  SENSITIVITY_LABELS,
  SHARING_TYPE_LABELS,
  SUBJECT_TYPE_LABELS,
  UPDATE_FREQUENCY_LABELS,
  type AccessOutcome,
  type GrantState,
  type RequestStatus,
  type ResourceStatus,
  type Sensitivity,
} from '@server/shared/sharing-codes';
import { useI18n, type Lang } from '../../app/i18n';
import { useApi } from '../../app/useApi';
import { RESOURCES_PATH, type Resource } from './api';

type Table = Record<string, { zh: string; en: string }>;

function labeler(table: Table, lang: Lang) {
  return (code: string): string => table[code]?.[lang] ?? code;
}

/** Labels of the sharing code tables (server/src/shared/sharing-codes.ts) in the current language. */
export function useSharingLabels() {
  const { lang } = useI18n();
  return useMemo(
    () => ({
      subjectType: labeler(SUBJECT_TYPE_LABELS, lang),
      fieldType: labeler(FIELD_TYPE_LABELS, lang),
      sensitivity: labeler(SENSITIVITY_LABELS, lang),
      updateFrequency: labeler(UPDATE_FREQUENCY_LABELS, lang),
      sharingType: labeler(SHARING_TYPE_LABELS, lang),
      backend: labeler(BACKEND_LABELS, lang),
      resourceStatus: labeler(RESOURCE_STATUS_LABELS, lang),
      requestStatus: labeler(REQUEST_STATUS_LABELS, lang),
      grantState: labeler(GRANT_STATE_LABELS, lang),
      outcome: labeler(ACCESS_OUTCOME_LABELS, lang),
      kind: labeler(ACCESS_KIND_LABELS, lang),
    }),
    [lang],
  );
}

// Tag colours are antd's presets, whose text on their light backgrounds meets WCAG 2.1 AA.
const SENSITIVITY_COLOURS: Record<Sensitivity, string> = { general: 'default', personal: 'blue', sensitive: 'red' };
const RESOURCE_STATUS_COLOURS: Record<ResourceStatus, string> = { draft: 'default', published: 'green', withdrawn: 'orange' };
const REQUEST_STATUS_COLOURS: Record<RequestStatus, string> = { pending: 'gold', granted: 'green', rejected: 'red' };
const GRANT_STATE_COLOURS: Record<GrantState, string> = { active: 'green', expired: 'default', revoked: 'red' };
const OUTCOME_COLOURS: Record<AccessOutcome, string> = { ok: 'green', not_found: 'default', refused: 'red', failed: 'orange' };

export function SensitivityTag({ value }: { value: Sensitivity }) {
  return <Tag color={SENSITIVITY_COLOURS[value]}>{useSharingLabels().sensitivity(value)}</Tag>;
}
export function ResourceStatusTag({ value }: { value: ResourceStatus }) {
  return <Tag color={RESOURCE_STATUS_COLOURS[value]}>{useSharingLabels().resourceStatus(value)}</Tag>;
}
export function RequestStatusTag({ value }: { value: RequestStatus }) {
  return <Tag color={REQUEST_STATUS_COLOURS[value]}>{useSharingLabels().requestStatus(value)}</Tag>;
}
export function GrantStateTag({ value }: { value: GrantState }) {
  return <Tag color={GRANT_STATE_COLOURS[value]}>{useSharingLabels().grantState(value)}</Tag>;
}
export function OutcomeTag({ value }: { value: AccessOutcome }) {
  return <Tag color={OUTCOME_COLOURS[value]}>{useSharingLabels().outcome(value)}</Tag>;
}

/** A gateway refusal's reason code in words (the code itself when the table does not know it). */
export function useReasonText(): (code: string | null) => string {
  const { t } = useI18n();
  return (code) => (code ? (t.sharing.reasons[code] ?? code) : '');
}

/**
 * Data items by their labels: requests, grants and the log name items by their identifiers only,
 * so the labels come from the resources this department can see (published ones and its own).
 */
export function useFieldLabels(): (resourceId: string, names: readonly string[]) => string {
  const resources = useApi<{ items: Resource[] }>(RESOURCES_PATH, { limit: 100 });
  const labels = new Map((resources.data?.items ?? []).map((r) => [r.id, new Map(r.fields.map((f) => [f.name, f.label]))]));
  return (resourceId, names) => names.map((n) => labels.get(resourceId)?.get(n) ?? n).join('、');
}
