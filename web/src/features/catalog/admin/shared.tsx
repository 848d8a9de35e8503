import { Tag } from 'antd';
import { splitImplementationCode } from '@server/shared/catalog-codes';
import { useI18n } from '../../../app/i18n';
import { useApi } from '../../../app/useApi';
import { HALLS_PATH, REGIONS_PATH, type Hall, type Region } from '../../org/api';
import type { AdminItem, Guide, Intermediary, ItemContent, List, ListStatus, Proof, VersionStatus } from '../api';

export const ADMIN_PROOFS_PATH = '/api/v1/admin/catalog/proofs';
export const ADMIN_INTERMEDIARIES_PATH = '/api/v1/admin/catalog/intermediaries';
export const SYNONYMS_PATH = '/api/v1/admin/catalog/synonyms';

/** Where the catalog workbench pages live. */
export const catalogPaths = {
  items: '/workbench/catalog/items',
  review: '/workbench/catalog/review',
  item: (code: string) => `/workbench/catalog/items/${encodeURIComponent(code)}`,
  version: (code: string, version: number) => `/workbench/catalog/items/${encodeURIComponent(code)}/versions/${version}`,
};

const STATUS_COLORS: Record<VersionStatus, string> = {
  draft: 'default',
  in_review: 'processing',
  published: 'success',
  superseded: 'default',
  withdrawn: 'error',
};

export function VersionStatusTag({ status }: { status: VersionStatus }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLORS[status]}>{t.catalog.admin.status[status]}</Tag>;
}

const LIST_STATUS_COLORS: Record<ListStatus, string> = { draft: 'processing', published: 'success', withdrawn: 'default' };

export function ListStatusTag({ status }: { status: ListStatus }) {
  const { t } = useI18n();
  return <Tag color={LIST_STATUS_COLORS[status]}>{t.catalog.admin.listStatus[status]}</Tag>;
}

/** Platform time (Asia/Shanghai) as YYYY-MM-DD HH:mm in both languages. */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' });
}

/** What the editor and the review screens look up: halls, both lists (every status), regions for the form preview. */
export function useLookups() {
  const halls = useApi<List<Hall>>(HALLS_PATH);
  const proofs = useApi<List<Proof>>(ADMIN_PROOFS_PATH);
  const intermediaries = useApi<List<Intermediary>>(ADMIN_INTERMEDIARIES_PATH);
  const regions = useApi<List<Region>>(REGIONS_PATH);
  return {
    halls: halls.data?.items ?? [],
    proofs: proofs.data?.items ?? [],
    intermediaries: intermediaries.data?.items ?? [],
    regions: regions.data?.items ?? [],
  };
}
export type Lookups = ReturnType<typeof useLookups>;

/** The guide a version would publish, for the preview: its content with halls, proofs and intermediaries resolved. */
export function previewGuide(item: AdminItem, version: number, content: ItemContent, lookups: Lookups, effectiveFrom: string | null = null): Guide {
  const proofIds = new Set(content.materials.flatMap((m) => (m.proofId ? [m.proofId] : [])));
  return {
    ...content,
    implementationCode: item.implementationCode,
    basicCode: item.basicCode,
    departmentId: item.departmentId,
    departmentName: item.departmentName,
    exerciseLevel: item.exerciseLevel ?? splitImplementationCode(item.implementationCode)?.exerciseLevel ?? 0,
    version,
    status: 'published',
    current: false,
    effectiveFrom,
    publishedAt: null,
    withdrawnAt: null,
    upcoming: null,
    halls: lookups.halls.filter((h) => content.hallIds.includes(h.id)),
    proofs: lookups.proofs.filter((p) => proofIds.has(p.id)),
    intermediaries: lookups.intermediaries.filter((m) => content.intermediaryServiceIds.includes(m.id)),
  };
}

/**
 * A server field path (`content.materials[2].name`, `ui.fields["a-b"].label`) as a form name path
 * (['materials', 2, 'name']); the leading `content.` of item routes is dropped.
 */
export function toNamePath(field: string): (string | number)[] {
  const path = field.replace(/^\/?content(?=[.[/]|$)[./]?/, '');
  const tokens: (string | number)[] = [];
  const pattern = /\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|([^.[\]/]+)/g;
  for (const match of path.matchAll(pattern)) {
    if (match[1] !== undefined) tokens.push(Number(match[1]));
    else if (match[2] !== undefined) tokens.push(JSON.parse(`"${match[2]}"`) as string);
    else if (match[3] !== undefined) tokens.push(/^\d+$/.test(match[3]) ? Number(match[3]) : match[3]);
  }
  return tokens;
}
