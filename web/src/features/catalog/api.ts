import type { Static } from 'typebox';
import type {
  AdminItem,
  AdminItemRow,
  ApplicationForm,
  DiffChange,
  FormFieldHint,
  FourWays,
  Intermediary,
  IntermediaryInput,
  ItemContent,
  ItemSummary,
  ItemVersionDetail,
  Proof,
  ProofInput,
  SynonymEntry,
  VersionMeta,
  VersionState,
  VersionStatus,
  ListStatus,
} from '@server/modules/catalog/schemas';
import type {
  DepartmentCount,
  FourWaysReport,
  Indicator,
  IntermediaryEntry as IntermediaryEntrySchema,
  ItemGuide,
  NoVisitList,
  ProofEntry as ProofEntrySchema,
  PublicIntermediary,
  PublicProof,
  ThemeCount as ThemeCountSchema,
} from '@server/modules/catalog/public-schemas';
import type { FourWay, Theme } from '@server/shared/catalog-codes';
import { api, type Query } from '../../app/api';

/*
 * Shapes of the catalog routes (docs/catalog-api.md), all from the server's schemas (type-only),
 * so the pages and the API agree by construction.
 */
export type {
  AdminItem,
  AdminItemRow,
  ApplicationForm,
  DepartmentCount,
  DiffChange,
  FormFieldHint,
  FourWays,
  FourWaysReport,
  Indicator,
  Intermediary,
  IntermediaryInput,
  ItemContent,
  ItemSummary,
  ItemVersionDetail,
  ListStatus,
  NoVisitList,
  Proof,
  ProofInput,
  PublicIntermediary,
  PublicProof,
  SynonymEntry,
  VersionMeta,
  VersionState,
  VersionStatus,
};
export type Guide = ItemGuide;
export type ThemeCount = Static<typeof ThemeCountSchema>;
export type ProofEntry = Static<typeof ProofEntrySchema>;
export type IntermediaryEntry = Static<typeof IntermediaryEntrySchema>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface List<T> {
  items: T[];
}

export const ITEMS_PATH = '/api/v1/items';
export const ADMIN_ITEMS_PATH = '/api/v1/admin/catalog/items';

const enc = encodeURIComponent;

export function guidePath(code: string, version?: number | string): string {
  return version === undefined ? `${ITEMS_PATH}/${enc(code)}` : `${ITEMS_PATH}/${enc(code)}/versions/${enc(String(version))}`;
}

export function adminVersionPath(code: string, version: number | string): string {
  return `${ADMIN_ITEMS_PATH}/${enc(code)}/versions/${enc(String(version))}`;
}

export const catalogApi = {
  search: (query: Query, signal?: AbortSignal) => api.get<Page<ItemSummary>>(ITEMS_PATH, query, signal),

  version: (code: string, version: number) => api.get<ItemVersionDetail>(adminVersionPath(code, version)),
  createItem: (input: { departmentId: string; exerciseLevel: number; basicCode: string; content: ItemContent }) => api.post<VersionState>(ADMIN_ITEMS_PATH, input),
  newVersion: (code: string) => api.post<VersionState>(`${ADMIN_ITEMS_PATH}/${enc(code)}/versions`, {}),
  saveVersion: (code: string, version: number, content: ItemContent, lockVersion: number) =>
    api.put<VersionState>(adminVersionPath(code, version), { content, lockVersion }),
  submit: (code: string, version: number, lockVersion: number) => api.post<VersionState>(`${adminVersionPath(code, version)}/submit`, { lockVersion }),
  returnToDraft: (code: string, version: number, comment: string) => api.post<VersionState>(`${adminVersionPath(code, version)}/return`, { comment }),
  publish: (code: string, version: number, effectiveFrom?: string) =>
    api.post<VersionState>(`${adminVersionPath(code, version)}/publish`, effectiveFrom ? { effectiveFrom } : {}),
  withdraw: (code: string, version: number, reason: string) => api.post<VersionState>(`${adminVersionPath(code, version)}/withdraw`, { reason }),
  diff: (code: string, from: number, to: number) => api.get<{ changes: DiffChange[] }>(`${ADMIN_ITEMS_PATH}/${enc(code)}/diff`, { from, to }),

  createProof: (input: ProofInput) => api.post<Proof>('/api/v1/admin/catalog/proofs', input),
  updateProof: (id: string, input: ProofInput) => api.put<Proof>(`/api/v1/admin/catalog/proofs/${enc(id)}`, input),
  publishProof: (id: string) => api.post<Proof>(`/api/v1/admin/catalog/proofs/${enc(id)}/publish`, {}),
  withdrawProof: (id: string) => api.post<Proof>(`/api/v1/admin/catalog/proofs/${enc(id)}/withdraw`, {}),

  createIntermediary: (input: IntermediaryInput) => api.post<Intermediary>('/api/v1/admin/catalog/intermediaries', input),
  updateIntermediary: (id: string, input: IntermediaryInput) => api.put<Intermediary>(`/api/v1/admin/catalog/intermediaries/${enc(id)}`, input),
  publishIntermediary: (id: string) => api.post<Intermediary>(`/api/v1/admin/catalog/intermediaries/${enc(id)}/publish`, {}),
  withdrawIntermediary: (id: string) => api.post<Intermediary>(`/api/v1/admin/catalog/intermediaries/${enc(id)}/withdraw`, {}),

  saveSynonyms: (entries: SynonymEntry[]) => api.put<unknown>('/api/v1/admin/catalog/synonyms', { entries }),
};

/** Yuan with two decimals from an amount in fen (分), the unit the catalog stores. */
export function formatFen(amountFen: number): string {
  return (amountFen / 100).toFixed(2);
}

export type { FourWay, Theme };

/** The version statuses in lifecycle order (a copy of the server's VERSION_STATUSES: that module is not loaded in the browser). */
export const VERSION_STATUS_LIST: readonly VersionStatus[] = ['draft', 'in_review', 'published', 'superseded', 'withdrawn'];
