/**
 * The exchange gateway: every look-up of shared data passes here, whoever asks (a department's
 * system with a `sharing:lookup` token, a data-sharing administrator, another module through
 * `DataSharingService.lookup`, an applicant's prefill).
 *
 * In order: the resource must be published; the subject must be a valid ID number or credit code;
 * a case look-up must name its case (checked by the case directory); the consumer must hold a
 * live, unexpired grant, covering the case's item; the items asked for must be granted. Any
 * refusal is written to the access log before it is answered. Then the provider (hosted dataset or
 * proxied endpoint) is asked, everything not granted is dropped, the answer's digest is logged, and
 * the answer is returned with the platform's SM2 signature over its canonical JSON.
 *
 * Resources and grants are cached per instance and dropped when `sharing_meta.revision` moves
 * (checked at most once a second) or at once on the instance that made the change: a revocation
 * reaches the other instances within a second. Expiry is checked against the clock on every call.
 */
import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/database.js';
import type { AppError } from '../../platform/http/errors.js';
import { SIGNATURE_ALGORITHM, SM2_DEFAULT_USER_ID, type SubjectType } from '../../shared/sharing-codes.js';
import type { AccessEntry, AccessLogWriter } from './access-log.js';
import { SharingErrors } from './errors.js';
import { ProviderFailure, type DataProvider, type ResourceSnapshot } from './providers/types.js';
import type { PlatformKeys } from './signing.js';
import { sm3Hex } from '../../platform/crypto/sm2.js';
import * as store from './store.js';
import { isValidSubject, maskSubject, normalizeSubject, type SubjectHasher } from './subjects.js';

/**
 * How the gateway learns about cases without reading the case module's tables: the case module
 * (`CasesService.confirm`) says whether a case number names a case that exists and that the
 * consumer department handles (it owns the case's item, or takes part in its parallel approval),
 * and which service item it is for, so that the grant's items can be checked.
 */
export interface CaseDirectory {
  confirm(caseRef: string, consumerDepartmentId: string): Promise<{ ok: true; itemCode?: string } | { ok: false }>;
}

/** What a case learns from `DataSharingService.verifyForCase` about a material standing on shared data. */
export type SharedDataCheck =
  | { ok: true; found: boolean; requestId: string; fields: string[]; signature: { keyId: string; value: string } }
  | { ok: false; code: string };

/** A case number: 1-64 visible ASCII characters (case numbers are implementation code + date + sequence). */
const CASE_REF = /^[\x21-\x7e]{1,64}$/;

export function isWellFormedCaseRef(caseRef: string): boolean {
  return CASE_REF.test(caseRef);
}

export interface GrantSnapshot {
  id: string;
  fields: string[];
  itemCodes: string[];
  expiresAt: Date;
  revokedAt: Date | null;
}

/** Whether a grant's items cover a service item: listed as such, or by its 12-character basic code. */
export function grantCoversItem(itemCodes: readonly string[], itemCode: string): boolean {
  if (itemCodes.length === 0) return true;
  return itemCodes.includes(itemCode) || (itemCode.length === 31 && itemCodes.includes(itemCode.slice(19)));
}

export interface LookupRequest {
  /** The department asking (the consumer); null for a client that belongs to none (refused). */
  consumerDepartmentId: string | null;
  resourceId: string;
  subject: string;
  /** The case the look-up serves; required for case look-ups. */
  caseRef?: string | null | undefined;
  purpose?: string | null | undefined;
  /** Items wanted; all granted items when absent. */
  fields?: readonly string[] | undefined;
  /** Who called, for the log: `client:<id>` or a user id. */
  actor?: string | null | undefined;
}

export interface LookupPayload {
  requestId: string;
  kind: 'lookup' | 'prefill';
  resourceId: string;
  resourceCode: string;
  subjectType: SubjectType;
  subject: string;
  caseRef: string | null;
  consentId: string | null;
  consumerDepartmentId: string;
  purpose: string | null;
  fields: string[];
  found: boolean;
  data: Record<string, unknown> | null;
  issuedAt: string;
}

export interface SignedLookup {
  payload: LookupPayload;
  signature: { algorithm: typeof SIGNATURE_ALGORITHM; keyId: string; userId: string; value: string };
}

interface LookupContext {
  kind: 'lookup' | 'prefill';
  consentId?: string | undefined;
  /** The service item the data serves, when known (prefill). */
  itemCode?: string | undefined;
}

const MAX_CACHED = 10_000;

/** Resources and grants as the gateway needs them, refreshed when `sharing_meta.revision` moves. */
export class GatewayCache {
  private resources = new Map<string, Promise<ResourceSnapshot | null>>();
  private grants = new Map<string, Promise<GrantSnapshot | null>>();
  private revision = -1;
  private checkedAt = -Infinity;
  private checking: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly refreshMs = 1000,
  ) {}

  invalidate(): void {
    this.resources.clear();
    this.grants.clear();
    this.checkedAt = -Infinity;
  }

  /** Drops everything when another instance changed resources or grants (checked at most once per refreshMs). */
  async fresh(): Promise<void> {
    if (performance.now() - this.checkedAt < this.refreshMs) return;
    this.checking ??= (async () => {
      try {
        const revision = await store.readRevision(this.db);
        if (revision !== this.revision) {
          this.resources.clear();
          this.grants.clear();
          this.revision = revision;
        }
        this.checkedAt = performance.now();
      } finally {
        this.checking = null;
      }
    })();
    await this.checking;
  }

  resource(id: string): Promise<ResourceSnapshot | null> {
    return this.cached(this.resources, id, async () => {
      const row = await store.findResource(this.db, id);
      if (!row) return null;
      return {
        id: row.id,
        code: row.code,
        name: row.name,
        providerDepartmentId: row.provider_department_id,
        subjectType: row.subject_type,
        subjectField: row.subject_field,
        fields: row.fields,
        sharingType: row.sharing_type as ResourceSnapshot['sharingType'],
        backend: row.backend,
        endpoint: row.endpoint,
        status: row.status,
      };
    });
  }

  grant(resourceId: string, consumerDepartmentId: string): Promise<GrantSnapshot | null> {
    return this.cached(this.grants, `${resourceId}/${consumerDepartmentId}`, async () => {
      const row = await store.currentGrant(this.db, resourceId, consumerDepartmentId);
      if (!row) return null;
      return { id: row.id, fields: row.fields, itemCodes: row.item_codes, expiresAt: row.expires_at, revokedAt: row.revoked_at };
    });
  }

  private cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    let value = map.get(key);
    if (!value) {
      if (map.size >= MAX_CACHED) map.clear(); // unknown ids must not grow the cache without bound
      value = load();
      map.set(key, value);
      value.catch(() => map.delete(key));
    }
    return value;
  }
}

export interface GatewayDeps {
  db: Db;
  cache: GatewayCache;
  log: AccessLogWriter;
  keys: PlatformKeys;
  hasher: SubjectHasher;
  hosted: DataProvider;
  proxied: DataProvider;
  cases: CaseDirectory;
  now: () => Date;
}

export class Gateway {
  constructor(private readonly deps: GatewayDeps) {}

  async lookup(request: LookupRequest, context: LookupContext = { kind: 'lookup' }): Promise<SignedLookup> {
    const { cache, log, hasher, now } = this.deps;
    await cache.fresh();
    const resource = await cache.resource(request.resourceId);
    // A draft is not in the catalog yet: nothing to look up, nothing to log.
    if (!resource || resource.status === 'draft') throw SharingErrors.resource_not_found();

    const at = now();
    const subject = normalizeSubject(resource.subjectType, request.subject);
    const caseRef = request.caseRef === undefined || request.caseRef === null ? null : request.caseRef.trim();
    const purpose = request.purpose?.trim() || null;
    const consumer = request.consumerDepartmentId;
    const entry: AccessEntry = {
      at,
      requestId: randomUUID(),
      kind: context.kind,
      actor: request.actor ?? null,
      consumerDepartmentId: consumer,
      resourceId: resource.id,
      providerDepartmentId: resource.providerDepartmentId,
      subjectHash: hasher.hash(resource.subjectType, subject),
      subjectMasked: maskSubject(subject),
      // a malformed case number is recorded as far as the column allows
      caseRef: caseRef === null || caseRef === '' ? null : caseRef.slice(0, 64),
      purpose: purpose ? purpose.slice(0, 200) : null,
      consentId: context.consentId ?? null,
      grantId: null,
      outcome: 'refused',
      reason: null,
      fields: request.fields ? [...request.fields] : [],
      responseDigest: null,
    };
    const refuse = async (error: AppError): Promise<never> => {
      await log.append({ ...entry, outcome: 'refused', reason: error.code });
      throw error;
    };

    if (resource.status === 'withdrawn') return refuse(SharingErrors.resource_withdrawn());
    // a provider that re-classifies a resource as not shared stops every grant on it at once
    if (resource.sharingType === 'not_shared') return refuse(SharingErrors.resource_not_shared());
    if (!isValidSubject(resource.subjectType, subject)) return refuse(SharingErrors.invalid_subject());

    let itemCode = context.itemCode;
    if (context.kind === 'lookup') {
      if (caseRef === null || caseRef === '') return refuse(SharingErrors.case_required());
      if (!isWellFormedCaseRef(caseRef)) return refuse(SharingErrors.invalid_case_ref());
    }
    if (consumer === null) return refuse(SharingErrors.consumer_unknown());
    if (context.kind === 'lookup') {
      const confirmed = await this.deps.cases.confirm(caseRef!, consumer);
      if (!confirmed.ok) return refuse(SharingErrors.case_out_of_scope());
      itemCode ??= confirmed.itemCode;
    }

    const grant = await cache.grant(resource.id, consumer);
    if (!grant) return refuse(SharingErrors.no_grant());
    entry.grantId = grant.id;
    if (grant.revokedAt) return refuse(SharingErrors.grant_revoked());
    if (grant.expiresAt.getTime() <= at.getTime()) return refuse(SharingErrors.grant_expired({ expiredAt: grant.expiresAt.toISOString() }));
    if (itemCode !== undefined && !grantCoversItem(grant.itemCodes, itemCode)) return refuse(SharingErrors.item_not_covered());

    const defined = resource.fields.map((f) => f.name);
    let fields: string[];
    if (request.fields) {
      const refused = request.fields.filter((f) => !grant.fields.includes(f) || !defined.includes(f));
      if (refused.length > 0) return refuse(SharingErrors.fields_not_granted({ fields: refused.join(', ') }));
      fields = defined.filter((f) => request.fields!.includes(f));
    } else {
      fields = defined.filter((f) => grant.fields.includes(f));
    }

    const provider = resource.backend === 'hosted' ? this.deps.hosted : this.deps.proxied;
    let record: Record<string, unknown> | null;
    try {
      record = await provider.fetch({ resource, subject, fields, requestId: entry.requestId, caseRef: entry.caseRef, consumerDepartmentId: consumer });
    } catch (err) {
      if (!(err instanceof ProviderFailure)) throw err;
      const error = err.reason === 'circuit_open' ? SharingErrors.provider_circuit_open() : SharingErrors.provider_unavailable();
      await log.append({ ...entry, outcome: 'failed', reason: error.code, fields });
      throw error;
    }

    // Only granted items leave the platform, whatever the provider sent.
    let data: Record<string, unknown> | null = null;
    if (record) {
      data = {};
      for (const f of fields) data[f] = record[f] ?? null;
    }
    const payload: LookupPayload = {
      requestId: entry.requestId,
      kind: context.kind,
      resourceId: resource.id,
      resourceCode: resource.code,
      subjectType: resource.subjectType,
      subject,
      caseRef: entry.caseRef,
      consentId: entry.consentId,
      consumerDepartmentId: consumer,
      purpose: entry.purpose,
      fields,
      found: record !== null,
      data,
      issuedAt: at.toISOString(),
    };
    const signedContent = canonicalJson(payload);
    const key = await this.deps.keys.signingKey();
    // The entry goes to the writer first; the signature is computed while its batch commits.
    const logged = log.append({ ...entry, outcome: record ? 'ok' : 'not_found', fields, responseDigest: sm3Hex(signedContent) });
    let value: string;
    try {
      value = key.signer.sign(signedContent);
    } finally {
      await logged;
    }
    return { payload, signature: { algorithm: SIGNATURE_ALGORITHM, keyId: key.keyId, userId: SM2_DEFAULT_USER_ID, value } };
  }
}
