import type { Static } from 'typebox';
import type {
  AccessLogEntry as AccessLogEntrySchema,
  AccessRequest as AccessRequestSchema,
  AccessRequestInput,
  Consent as ConsentSchema,
  Credential as CredentialSchema,
  CredentialIssued as CredentialIssuedSchema,
  DatasetReport,
  DecisionInput,
  Grant as GrantSchema,
  LogVerification as LogVerificationSchema,
  MyDataAccess as MyDataAccessSchema,
  PrefillOptions as PrefillOptionsSchema,
  PrefillPreview as PrefillPreviewSchema,
  Resource as ResourceSchema,
  ResourceInput,
  ResourcePatch,
} from '@server/modules/sharing/schemas';
import { api, request } from '../../app/api';
import { newIdempotencyKey } from '../cases/api';

/*
 * Shapes of the data-sharing routes (server/src/modules/sharing/routes.ts), from the server's
 * schemas (type-only), so the pages and the API agree by construction.
 */

export type Resource = Static<typeof ResourceSchema>;
export type ResourceField = Resource['fields'][number];
export type AccessRequest = Static<typeof AccessRequestSchema>;
export type Grant = Static<typeof GrantSchema>;
export type Credential = Static<typeof CredentialSchema>;
export type CredentialIssued = Static<typeof CredentialIssuedSchema>;
export type AccessLogEntry = Static<typeof AccessLogEntrySchema>;
export type LogVerification = Static<typeof LogVerificationSchema>;
export type MyDataAccess = Static<typeof MyDataAccessSchema>;
export type Consent = Static<typeof ConsentSchema>;
export type PrefillOptions = Static<typeof PrefillOptionsSchema>;
export type PrefillPreview = Static<typeof PrefillPreviewSchema>;
export type { AccessRequestInput, DecisionInput, ResourceInput, ResourcePatch };

export const RESOURCES_PATH = '/api/v1/sharing/resources';
export const REQUESTS_PATH = '/api/v1/sharing/requests';
export const GRANTS_PATH = '/api/v1/sharing/grants';
export const CREDENTIALS_PATH = '/api/v1/sharing/credentials';
export const ACCESS_LOG_PATH = '/api/v1/sharing/access-log';
export const VERIFY_LOG_PATH = '/api/v1/admin/sharing/access-log/verify';
export const MY_DATA_ACCESS_PATH = '/api/v1/me/data-access';
export const MY_CONSENTS_PATH = '/api/v1/me/consents';
export const PREFILL_OPTIONS_PATH = '/api/v1/me/prefill-options';

const enc = encodeURIComponent;

export const sharingApi = {
  createResource: (input: ResourceInput) => request<Resource>('POST', RESOURCES_PATH, { body: input, headers: { 'Idempotency-Key': newIdempotencyKey() } }),
  updateResource: (id: string, patch: ResourcePatch) => api.patch<Resource>(`${RESOURCES_PATH}/${enc(id)}`, patch),
  publish: (id: string) => api.post<Resource>(`${RESOURCES_PATH}/${enc(id)}/publish`),
  withdraw: (id: string) => api.post<Resource>(`${RESOURCES_PATH}/${enc(id)}/withdraw`),
  /** A CSV file goes as text/csv, a JSON file as { records } (the server decides by content type). */
  uploadDataset: async (id: string, file: File): Promise<Static<typeof DatasetReport>> => {
    const text = await file.text();
    const csv = !/\.json$/i.test(file.name);
    const path = `${RESOURCES_PATH}/${enc(id)}/records`;
    if (!csv) return request('POST', path, { body: JSON.parse(text) as unknown });
    return request('POST', path, { body: new Blob([text], { type: 'text/csv' }) });
  },
  requestAccess: (input: AccessRequestInput) => request<AccessRequest>('POST', REQUESTS_PATH, { body: input, headers: { 'Idempotency-Key': newIdempotencyKey() } }),
  decide: (id: string, input: DecisionInput) => api.post<AccessRequest>(`${REQUESTS_PATH}/${enc(id)}/decision`, input),
  revokeGrant: (id: string, reason: string) => api.post<Grant>(`${GRANTS_PATH}/${enc(id)}/revoke`, { reason }),
  issueCredential: (name: string) => api.post<CredentialIssued>(CREDENTIALS_PATH, { name }),
  revokeCredential: (id: string) => api.delete<{ ok: true }>(`${CREDENTIALS_PATH}/${enc(id)}`),
  verifyLog: () => api.get<LogVerification>(VERIFY_LOG_PATH),
  prefillPreview: (itemCode: string, resourceIds: string[]) => api.post<PrefillPreview>('/api/v1/me/prefill-preview', { itemCode, resourceIds, consent: true }),
  withdrawConsent: (id: string) => api.delete<{ ok: true }>(`${MY_CONSENTS_PATH}/${enc(id)}`),
};
