import type { SharingEndpointRow, SharingFieldRow } from '../../../platform/db/schema.js';
import type { SharingType, SubjectType } from '../../../shared/sharing-codes.js';

/** What the gateway knows of a resource (cached per instance; see gateway.ts). */
export interface ResourceSnapshot {
  id: string;
  code: string;
  name: string;
  providerDepartmentId: string;
  subjectType: SubjectType;
  subjectField: string;
  fields: SharingFieldRow[];
  sharingType: SharingType;
  backend: 'hosted' | 'proxied';
  endpoint: SharingEndpointRow | null;
  status: 'draft' | 'published' | 'withdrawn';
}

/** One fetch from a provider: the record of one subject, only the items the caller may see. */
export interface ProviderCall {
  resource: ResourceSnapshot;
  subject: string;
  fields: string[];
  requestId: string;
  caseRef: string | null;
  consumerDepartmentId: string;
}

/** A data provider: the record of the subject, or null when it has none. Throws ProviderFailure when it cannot answer. */
export interface DataProvider {
  fetch(call: ProviderCall): Promise<Record<string, unknown> | null>;
}

export class ProviderFailure extends Error {
  constructor(
    readonly reason: 'unavailable' | 'circuit_open',
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'ProviderFailure';
  }
}
