import type { Db } from '../../platform/db/database.js';
import type { SharingFieldRow } from '../../platform/db/schema.js';
import { recordAudit, type AuditActor } from '../../platform/audit/audit.js';
import { principalId, type ApplicantPrincipal, type Principal, type StaffPrincipal } from '../../platform/auth/principal.js';
import { AppError, CommonErrors, invalidInput, type FieldErrorSpec } from '../../platform/http/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { todayInShanghai } from '../../platform/time.js';
import { splitImplementationCode } from '../../shared/catalog-codes.js';
import type { GrantState, SubjectType } from '../../shared/sharing-codes.js';
import type { IdentityService } from '../identity/service.js';
import type { OrgService } from '../org/service.js';
import { AccessLogWriter, verifyAccessLog, type AccessLogVerification } from './access-log.js';
import { SharingErrors, SharingFieldCodes, withFieldErrors } from './errors.js';
import { Gateway, GatewayCache, grantCoversItem, type CaseDirectory, type SharedDataCheck, type LookupRequest, type SignedLookup } from './gateway.js';
import { readCsvDataset, readJsonDataset, subjectsOf, validateRows, type ParsedDataset } from './providers/dataset.js';
import { HostedProvider } from './providers/hosted.js';
import { ProxiedProvider, type ProxiedSettings } from './providers/proxied.js';
import type {
  AccessLogQuery,
  AccessRequest,
  AccessRequestInput,
  DatasetReport,
  DecisionInput,
  Grant,
  GrantQuery,
  RequestQuery,
  Resource,
  ResourceInput,
  ResourcePatch,
  ResourceQuery,
  PrefillPreviewInput,
} from './schemas.js';
import { PlatformKeys } from './signing.js';
import * as store from './store.js';
import { SubjectHasher } from './subjects.js';

/**
 * EXTENSION POINT for the catalog: which department implements a service item. By default the
 * implementation code says it (its first 18 characters are the implementing body's credit code,
 * DOMAIN.md); the catalog service may take over to also confirm that the item is published.
 */
export interface ItemDirectory {
  departmentOf(itemCode: string): Promise<string | null>;
}

export function implementationCodeItems(org: OrgService): ItemDirectory {
  return {
    async departmentOf(itemCode) {
      const parts = splitImplementationCode(itemCode);
      if (!parts) return null;
      const department = (await org.listDepartments()).find((d) => d.creditCode === parts.creditCode && d.active);
      return department?.id ?? null;
    },
  };
}

export interface SharingSettings {
  /** Key of the subject HMAC in the access log (config.sharingSubjectKey). */
  subjectKey: string;
  /** Secret the platform's signing key is encrypted under (the session secret). */
  signingSecret: string;
  /** Hosts proxied providers may be reached at (config.sharingEndpointHosts). */
  endpointHosts: readonly string[];
  /** Clock for grant expiry (tests move it). */
  now?: () => Date;
  cases: CaseDirectory;
  items?: ItemDirectory;
  /** Most access-log entries per transaction (1 = one transaction per look-up). */
  logBatch?: number;
  proxied?: Partial<ProxiedSettings>;
  /** How often each instance checks whether another changed resources or grants. */
  cacheRefreshMs?: number;
}

/** A grant lasts at most this long; without a date, one year. */
const MAX_GRANT_YEARS = 3;
/** How long an applicant's prefill consent may be used (by the application it was given for). */
const CONSENT_HOURS = 24;

function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, d));
  // 29 February plus a year is 28 February, not 1 March
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

/** The last instant of a day in Asia/Shanghai: a grant "until 2027-06-30" holds all that day. */
function endOfShanghaiDay(date: string): Date {
  return new Date(`${date}T23:59:59.999+08:00`);
}

type ResourceRow = NonNullable<Awaited<ReturnType<typeof store.findResource>>>;
type RequestRow = Awaited<ReturnType<typeof store.listRequests>>[number];
type GrantRow = Awaited<ReturnType<typeof store.listGrants>>[number];

function isSystemAdmin(caller: StaffPrincipal | null): boolean {
  return caller === null || caller.roles.includes('system_admin');
}

/** The department a data-sharing administrator acts for: their own; a system admin may name any. */
function actingDepartment(caller: StaffPrincipal, requested: string | undefined): string {
  if (!requested || requested === caller.departmentId) return caller.departmentId;
  if (isSystemAdmin(caller)) return requested;
  throw CommonErrors.not_found();
}

/** Whether the caller may change a department's resources: its own data-sharing administrator, or the system (seed). */
function provides(caller: StaffPrincipal | null, departmentId: string): boolean {
  return caller === null || (caller.roles.includes('data_sharing_admin') && caller.departmentId === departmentId);
}

/** Data sharing and exchange: the resource catalog, access requests and grants, the gateway and its log, prefill with consent. */
export class DataSharingService {
  private readonly now: () => Date;
  private readonly cache: GatewayCache;
  readonly log: AccessLogWriter;
  readonly keys: PlatformKeys;
  readonly proxied: ProxiedProvider;
  private readonly hasher: SubjectHasher;
  private readonly gateway: Gateway;
  private readonly items: ItemDirectory;

  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly identity: IdentityService,
    private readonly settings: SharingSettings,
  ) {
    this.now = settings.now ?? (() => new Date());
    this.cache = new GatewayCache(db, settings.cacheRefreshMs ?? 1000);
    this.log = new AccessLogWriter(db, { maxBatch: settings.logBatch ?? 500 });
    this.keys = new PlatformKeys(db, settings.signingSecret);
    this.proxied = new ProxiedProvider(settings.proxied);
    this.hasher = new SubjectHasher(settings.subjectKey);
    this.items = settings.items ?? implementationCodeItems(org);
    this.gateway = new Gateway({
      db,
      cache: this.cache,
      log: this.log,
      keys: this.keys,
      hasher: this.hasher,
      hosted: new HostedProvider(db),
      proxied: this.proxied,
      cases: settings.cases,
      now: this.now,
    });
  }

  private async departmentNames(): Promise<Map<string, string>> {
    return new Map((await this.org.listDepartments()).map((d) => [d.id, d.name]));
  }

  /** Resources or grants changed: bumps the revision the other instances watch (this one invalidates its cache after commit). */
  private async changed(tx: Parameters<typeof store.bumpRevision>[0]): Promise<void> {
    await store.bumpRevision(tx);
  }

  // --- catalog -------------------------------------------------------------------------------

  private toResource(row: ResourceRow, names: Map<string, string>, asProvider: boolean, recordCount?: number): Resource {
    const resource: Resource = {
      id: row.id,
      code: row.code,
      name: row.name,
      description: row.description,
      providerDepartmentId: row.provider_department_id,
      providerDepartmentName: names.get(row.provider_department_id) ?? '',
      subjectType: row.subject_type,
      subjectField: row.subject_field,
      fields: row.fields.map((f) => ({ ...f, required: f.required ?? false })),
      updateFrequency: row.update_frequency as Resource['updateFrequency'],
      sharingType: row.sharing_type,
      conditions: row.conditions,
      legalBasis: row.legal_basis,
      backend: row.backend,
      status: row.status,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      publishedAt: row.published_at ? row.published_at.toISOString() : null,
    };
    if (asProvider) {
      resource.endpoint = row.endpoint;
      if (recordCount !== undefined) resource.recordCount = recordCount;
    }
    return resource;
  }

  /** Checks a resource definition as a whole (after a patch too); throws every problem at once. */
  private checkDefinition(def: {
    subjectField: string;
    fields: SharingFieldRow[];
    sharingType: string;
    conditions: string | null;
    backend: string;
    endpoint: { url: string } | null | undefined;
  }): void {
    const errors: FieldErrorSpec[] = [];
    const seen = new Set<string>();
    def.fields.forEach((f, i) => {
      if (seen.has(f.name)) errors.push({ field: `fields[${i}].name`, code: SharingFieldCodes.duplicate_field, params: { name: f.name } });
      seen.add(f.name);
      if (f.name === def.subjectField) errors.push({ field: `fields[${i}].name`, code: SharingFieldCodes.subject_field_clash });
    });
    if (def.sharingType === 'unconditional' && def.fields.some((f) => f.sensitivity === 'sensitive')) {
      errors.push({ field: 'sharingType', code: SharingFieldCodes.sensitive_unconditional });
    }
    if (def.sharingType !== 'unconditional' && !def.conditions?.trim()) errors.push({ field: 'conditions', code: SharingFieldCodes.conditions_required });
    if (def.backend === 'proxied') {
      if (!def.endpoint) errors.push({ field: 'endpoint', code: SharingFieldCodes.endpoint_required });
      else if (!this.endpointAllowed(def.endpoint.url)) {
        errors.push({ field: 'endpoint.url', code: SharingFieldCodes.endpoint_not_allowed, params: { hosts: this.settings.endpointHosts.join(', ') || '—' } });
      }
    } else if (def.endpoint) {
      errors.push({ field: 'endpoint', code: SharingFieldCodes.endpoint_not_proxied });
    }
    if (errors.length > 0) throw invalidInput(errors);
  }

  /**
   * Proxied endpoints only on hosts the operator allowed (SHARING_ENDPOINT_HOSTS): an administrator
   * must not be able to point the platform at arbitrary addresses of its network.
   */
  endpointAllowed(raw: string): boolean {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    if (url.username || url.password) return false;
    const host = url.host.toLowerCase();
    const hostname = url.hostname.toLowerCase();
    return this.settings.endpointHosts.some((allowed) => allowed === host || allowed === hostname);
  }

  private normalizeFields(fields: ResourceInput['fields']): SharingFieldRow[] {
    return fields.map((f) => {
      const row: SharingFieldRow = { name: f.name, label: f.label.trim(), type: f.type, sensitivity: f.sensitivity, required: f.required ?? false };
      if (f.description) row.description = f.description;
      return row;
    });
  }

  private endpointOf(endpoint: ResourceInput['endpoint']) {
    return endpoint ? { url: endpoint.url, timeoutMs: endpoint.timeoutMs ?? 2000, retries: endpoint.retries ?? 1 } : null;
  }

  /** A provider's data-sharing administrator registers a resource of their department (as a draft). `caller` null: the system (demo seed), naming the department. */
  async createResource(caller: StaffPrincipal | null, actor: AuditActor, input: ResourceInput, providerDepartmentId?: string): Promise<Resource> {
    const department = caller ? caller.departmentId : providerDepartmentId;
    if (!department) throw CommonErrors.forbidden();
    // A data-sharing administrator registers their own department's data only.
    if (input.providerDepartmentId !== undefined && input.providerDepartmentId !== department) throw CommonErrors.not_found();
    const fields = this.normalizeFields(input.fields);
    const endpoint = this.endpointOf(input.endpoint);
    const conditions = input.conditions?.trim() || null;
    this.checkDefinition({ subjectField: input.subjectField, fields, sharingType: input.sharingType, conditions, backend: input.backend, endpoint });
    await this.org.departmentScope(department);
    const row = await this.db.transaction().execute(async (tx) => {
      const inserted = await store.insertResource(tx, {
        code: input.code,
        name: input.name.trim(),
        description: input.description?.trim() ?? '',
        provider_department_id: department,
        subject_type: input.subjectType,
        subject_field: input.subjectField,
        fields: JSON.stringify(fields),
        update_frequency: input.updateFrequency,
        sharing_type: input.sharingType,
        conditions,
        legal_basis: input.legalBasis.trim(),
        backend: input.backend,
        endpoint: endpoint ? JSON.stringify(endpoint) : null,
        status: 'draft',
      });
      if (!inserted) throw SharingErrors.resource_code_taken();
      await recordAudit(tx, actor, { action: 'sharing.resource.created', targetType: 'sharing_resource', targetId: inserted.id, detail: { code: input.code, sharingType: input.sharingType, backend: input.backend } });
      await this.changed(tx);
      return inserted;
    });
    this.cache.invalidate();
    return this.toResource(row, await this.departmentNames(), true, row.backend === 'hosted' ? 0 : undefined);
  }

  /** The resource if the caller may see it (published or withdrawn, or their own department's), else 404. */
  private async visibleResource(principal: Principal | null, id: string): Promise<ResourceRow> {
    const row = await store.findResource(this.db, id);
    if (!row) throw SharingErrors.resource_not_found();
    if (row.status !== 'draft') return row;
    if (principal === null) return row;
    if (principal.kind === 'staff' && (isSystemAdmin(principal) || principal.departmentId === row.provider_department_id)) return row;
    throw SharingErrors.resource_not_found();
  }

  /** The resource if the caller administers it (its department's data-sharing administrator), else 404. */
  private async ownResource(caller: StaffPrincipal | null, id: string): Promise<ResourceRow> {
    const row = await store.findResource(this.db, id);
    if (!row || !provides(caller, row.provider_department_id)) throw SharingErrors.resource_not_found();
    return row;
  }

  async getResource(principal: Principal, id: string): Promise<Resource> {
    const row = await this.visibleResource(principal, id);
    const asProvider = principal.kind === 'staff' && (isSystemAdmin(principal) || principal.departmentId === row.provider_department_id);
    const count = asProvider && row.backend === 'hosted' ? await store.countRecords(this.db, row.id) : undefined;
    return this.toResource(row, await this.departmentNames(), asProvider, count);
  }

  async listResources(principal: Principal, query: ResourceQuery): Promise<{ items: Resource[]; nextCursor: string | null }> {
    const limit = query.limit ?? 20;
    const after = decodeCursor<{ c: string }>(query.cursor, { c: 'string' });
    const staff = principal.kind === 'staff' ? principal : null;
    const cityWide = staff !== null && isSystemAdmin(staff);
    // Drafts are the provider's own business: asking for another department's drafts is asking for something that is not there.
    if (query.status === 'draft' && !cityWide && (!staff || (query.departmentId !== undefined && query.departmentId !== staff.departmentId))) {
      throw CommonErrors.not_found();
    }
    const rows = await store.listResources(this.db, {
      visibleToDepartmentId: cityWide ? undefined : (staff?.departmentId ?? '00000000-0000-0000-0000-000000000000'),
      providerDepartmentId: query.status === 'draft' && !cityWide ? staff!.departmentId : query.departmentId,
      status: query.status,
      sharingType: query.sharingType,
      subjectType: query.subjectType,
      q: query.q?.trim() || undefined,
      afterCode: after?.c,
      limit: limit + 1,
    });
    const names = await this.departmentNames();
    const result = page(rows, limit, (r) => ({ c: r.code }));
    return {
      items: result.items.map((r) => this.toResource(r, names, staff !== null && (cityWide || staff.departmentId === r.provider_department_id))),
      nextCursor: result.nextCursor,
    };
  }

  async updateResource(caller: StaffPrincipal | null, actor: AuditActor, id: string, patch: ResourcePatch): Promise<Resource> {
    const row = await this.ownResource(caller, id);
    const fields = patch.fields ? this.normalizeFields(patch.fields) : row.fields;
    if (patch.fields && row.status !== 'draft') {
      // Consumers hold grants on these items: once published, items may be added, never removed or retyped.
      const lost = row.fields.filter((old) => !fields.some((f) => f.name === old.name && f.type === old.type)).map((f) => f.name);
      if (lost.length > 0) throw SharingErrors.published_fields_locked({ fields: lost.join(', ') });
    }
    const endpoint = patch.endpoint ? this.endpointOf(patch.endpoint) : row.endpoint;
    const conditions = patch.conditions !== undefined ? patch.conditions.trim() || null : row.conditions;
    const sharingType = patch.sharingType ?? row.sharing_type;
    this.checkDefinition({ subjectField: row.subject_field, fields, sharingType, conditions, backend: row.backend, endpoint });
    const updated = await this.db.transaction().execute(async (tx) => {
      const result = await store.updateResource(tx, id, {
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(patch.description !== undefined ? { description: patch.description.trim() } : {}),
        ...(patch.fields ? { fields: JSON.stringify(fields) } : {}),
        ...(patch.updateFrequency ? { update_frequency: patch.updateFrequency } : {}),
        ...(patch.sharingType ? { sharing_type: patch.sharingType } : {}),
        ...(patch.conditions !== undefined ? { conditions } : {}),
        ...(patch.legalBasis !== undefined ? { legal_basis: patch.legalBasis.trim() } : {}),
        ...(patch.endpoint ? { endpoint: JSON.stringify(endpoint) } : {}),
      });
      await recordAudit(tx, actor, { action: 'sharing.resource.updated', targetType: 'sharing_resource', targetId: id, detail: { fields: Object.keys(patch) } });
      await this.changed(tx);
      return result!;
    });
    this.cache.invalidate();
    return this.toResource(updated, await this.departmentNames(), true);
  }

  /** Publishes a draft (or republishes a withdrawn resource) to every department's catalog. */
  async publishResource(caller: StaffPrincipal | null, actor: AuditActor, id: string): Promise<Resource> {
    const row = await this.ownResource(caller, id);
    if (row.status === 'published') throw SharingErrors.resource_not_draft();
    return this.setStatus(actor, row, 'published', 'sharing.resource.published');
  }

  /** Stops sharing: look-ups are refused (and logged); grants stay on record. */
  async withdrawResource(caller: StaffPrincipal | null, actor: AuditActor, id: string): Promise<Resource> {
    const row = await this.ownResource(caller, id);
    if (row.status !== 'published') throw SharingErrors.resource_not_published();
    return this.setStatus(actor, row, 'withdrawn', 'sharing.resource.withdrawn');
  }

  private async setStatus(actor: AuditActor, row: ResourceRow, status: 'published' | 'withdrawn', action: 'sharing.resource.published' | 'sharing.resource.withdrawn'): Promise<Resource> {
    const updated = await this.db.transaction().execute(async (tx) => {
      const result = await store.updateResource(tx, row.id, status === 'published' ? { status, published_at: new Date() } : { status });
      await recordAudit(tx, actor, { action, targetType: 'sharing_resource', targetId: row.id });
      await this.changed(tx);
      return result!;
    });
    this.cache.invalidate();
    return this.toResource(updated, await this.departmentNames(), true);
  }

  /**
   * Loads a dataset upload (CSV text or JSON records) into a hosted resource: each row inserts or
   * updates the subject's record (items not in the upload keep their value) or deletes it
   * (`_op` = delete). Every row is checked first; when any is wrong nothing is applied and every
   * problem is listed (422 dataset_rejected).
   */
  async importDataset(caller: StaffPrincipal | null, actor: AuditActor, id: string, upload: { csv: string } | { records: unknown[] }): Promise<DatasetReport> {
    const row = await this.ownResource(caller, id);
    if (row.backend !== 'hosted') throw SharingErrors.not_hosted();
    const def = { subjectType: row.subject_type, subjectField: row.subject_field, fields: row.fields };
    const parsed: ParsedDataset = 'csv' in upload ? readCsvDataset(def, upload.csv) : readJsonDataset(def, upload.records);
    if (!parsed.ok) throw withFieldErrors(422, 'dataset_rejected', { count: parsed.errors.length }, parsed.errors);
    return this.db.transaction().execute(async (tx) => {
      const existing = await store.existingSubjects(tx, id, subjectsOf(def, parsed.rows));
      const { operations, errors, errorCount } = validateRows(def, parsed.rows, existing);
      if (errors.length > 0) throw withFieldErrors(422, 'dataset_rejected', { count: errorCount }, errors);
      const upserts = operations.filter((o) => o.op === 'upsert');
      const { inserted, updated } = await store.upsertRecords(tx, id, upserts);
      const deleted = await store.deleteRecords(tx, id, operations.filter((o) => o.op === 'delete').map((o) => o.subject));
      const report = { rows: parsed.rows.length, inserted, updated, deleted, recordCount: await store.countRecords(tx, id) };
      await recordAudit(tx, actor, { action: 'sharing.dataset.imported', targetType: 'sharing_resource', targetId: id, detail: { ...report } });
      return report;
    });
  }

  // --- access requests and grants --------------------------------------------------------------

  private toRequest(row: RequestRow, names: Map<string, string>): AccessRequest {
    return {
      id: row.id,
      resourceId: row.resource_id,
      resourceCode: row.resource_code,
      resourceName: row.resource_name,
      providerDepartmentId: row.provider_department_id,
      providerDepartmentName: names.get(row.provider_department_id) ?? '',
      consumerDepartmentId: row.consumer_department_id,
      consumerDepartmentName: names.get(row.consumer_department_id) ?? '',
      purpose: row.purpose,
      itemCodes: row.item_codes,
      fields: row.fields,
      requestedUntil: row.requested_until,
      status: row.status,
      createdAt: row.created_at.toISOString(),
      decidedAt: row.decided_at ? row.decided_at.toISOString() : null,
      decisionNote: row.decision_note,
      grantId: row.grant_id,
    };
  }

  private grantState(row: { revoked_at: Date | null; expires_at: Date }): GrantState {
    if (row.revoked_at) return 'revoked';
    return row.expires_at.getTime() <= this.now().getTime() ? 'expired' : 'active';
  }

  private toGrant(row: GrantRow, names: Map<string, string>): Grant {
    return {
      id: row.id,
      requestId: row.request_id,
      resourceId: row.resource_id,
      resourceCode: row.resource_code,
      resourceName: row.resource_name,
      providerDepartmentId: row.provider_department_id,
      providerDepartmentName: names.get(row.provider_department_id) ?? '',
      consumerDepartmentId: row.consumer_department_id,
      consumerDepartmentName: names.get(row.consumer_department_id) ?? '',
      fields: row.fields,
      itemCodes: row.item_codes,
      purpose: row.purpose,
      expiresAt: row.expires_at.toISOString(),
      grantedAt: row.granted_at.toISOString(),
      revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
      revokeReason: row.revoke_reason,
      state: this.grantState(row),
    };
  }

  /** Checks an expiry date: today or later (Asia/Shanghai), at most three years ahead. */
  private checkExpiry(field: string, date: string): FieldErrorSpec | null {
    const today = todayInShanghai(this.now());
    if (date < today) return { field, code: SharingFieldCodes.expiry_in_past };
    if (date > addYears(today, MAX_GRANT_YEARS)) return { field, code: SharingFieldCodes.expiry_too_far, params: { years: MAX_GRANT_YEARS } };
    return null;
  }

  /** Writes a grant, superseding the live one of the same resource and consumer. */
  private async writeGrant(tx: Parameters<typeof store.insertGrant>[0], actor: AuditActor, grant: Parameters<typeof store.insertGrant>[1]) {
    await store.revokeLiveGrant(tx, grant.resource_id, grant.consumer_department_id, actor.id, 'superseded');
    const row = await store.insertGrant(tx, grant);
    await recordAudit(tx, actor, {
      action: 'sharing.request.granted',
      targetType: 'sharing_grant',
      targetId: row.id,
      detail: { resourceId: grant.resource_id, consumerDepartmentId: grant.consumer_department_id, fields: grant.fields, expiresAt: grant.expires_at.toISOString() },
    });
    await this.changed(tx);
    return row;
  }

  /**
   * A consumer department asks for a resource for a purpose and the items it serves. Unconditional
   * resources are granted at once (as requested); conditional ones wait for the provider's decision;
   * resources that are not shared cannot be requested. `caller` null: the system (demo seed).
   */
  async createRequest(caller: StaffPrincipal | null, actor: AuditActor, input: AccessRequestInput, consumerDepartmentId?: string): Promise<AccessRequest> {
    const consumer = caller ? caller.departmentId : consumerDepartmentId;
    if (!consumer) throw CommonErrors.forbidden();
    const resource = await this.visibleResource(caller, input.resourceId);
    if (resource.status === 'draft') throw SharingErrors.resource_not_found();
    if (resource.status === 'withdrawn') throw SharingErrors.resource_withdrawn();
    if (resource.sharing_type === 'not_shared') throw SharingErrors.resource_not_shared();
    if (resource.provider_department_id === consumer) throw SharingErrors.own_resource();
    const errors: FieldErrorSpec[] = [];
    input.fields.forEach((name, i) => {
      if (!resource.fields.some((f) => f.name === name)) errors.push({ field: `fields[${i}]`, code: SharingFieldCodes.unknown_item, params: { name } });
    });
    const expiryProblem = input.until ? this.checkExpiry('until', input.until) : null;
    if (expiryProblem) errors.push(expiryProblem);
    if (errors.length > 0) throw invalidInput(errors);

    const automatic = resource.sharing_type === 'unconditional';
    const requestId = await this.db.transaction().execute(async (tx) => {
      const request = await store.insertRequest(tx, {
        resource_id: resource.id,
        consumer_department_id: consumer,
        purpose: input.purpose.trim(),
        item_codes: input.itemCodes ?? [],
        fields: input.fields,
        requested_until: input.until ?? null,
        status: 'pending',
        requested_by: actor.id,
      });
      await recordAudit(tx, actor, { action: 'sharing.request.created', targetType: 'sharing_request', targetId: request.id, detail: { resourceId: resource.id, fields: input.fields } });
      if (automatic) {
        await store.decideRequest(tx, request.id, { status: 'granted', decided_by: null, decision_note: '无条件共享：自动授权' });
        await this.writeGrant(tx, actor, {
          request_id: request.id,
          resource_id: resource.id,
          consumer_department_id: consumer,
          fields: input.fields,
          item_codes: input.itemCodes ?? [],
          purpose: input.purpose.trim(),
          expires_at: endOfShanghaiDay(input.until ?? addYears(todayInShanghai(this.now()), 1)),
          granted_by: null,
        });
      }
      return request.id;
    });
    if (automatic) this.cache.invalidate();
    return this.toRequest((await store.findRequest(this.db, requestId))!, await this.departmentNames());
  }

  async listRequests(caller: StaffPrincipal, query: RequestQuery): Promise<{ items: AccessRequest[]; nextCursor: string | null }> {
    const department = actingDepartment(caller, query.departmentId);
    const limit = query.limit ?? 20;
    const before = decodeCursor<{ c: string; i: string }>(query.cursor, { c: 'string', i: 'string' });
    const rows = await store.listRequests(this.db, {
      ...(query.side === 'outgoing' ? { consumerDepartmentId: department } : { providerDepartmentId: department }),
      status: query.status,
      before: before ? { createdAt: before.c, id: before.i } : undefined,
      limit: limit + 1,
    });
    const names = await this.departmentNames();
    const result = page(rows, limit, (r) => ({ c: r.created_at.toISOString(), i: r.id }));
    return { items: result.items.map((r) => this.toRequest(r, names)), nextCursor: result.nextCursor };
  }

  /** The provider decides a pending request: grants a subset of the requested items until a date, or rejects it. */
  async decideRequest(caller: StaffPrincipal | null, actor: AuditActor, id: string, input: DecisionInput): Promise<AccessRequest> {
    const request = await store.findRequest(this.db, id);
    if (!request || !provides(caller, request.provider_department_id)) throw SharingErrors.request_not_found();
    if (request.status !== 'pending') throw SharingErrors.request_already_decided();
    const note = input.note?.trim() || null;

    if (input.decision === 'reject') {
      await this.db.transaction().execute(async (tx) => {
        const decided = await store.decideRequest(tx, id, { status: 'rejected', decided_by: actor.id, decision_note: note });
        if (!decided) throw SharingErrors.request_already_decided();
        await recordAudit(tx, actor, { action: 'sharing.request.rejected', targetType: 'sharing_request', targetId: id });
      });
    } else {
      const resource = (await store.findResource(this.db, request.resource_id))!;
      if (resource.sharing_type === 'not_shared') throw SharingErrors.resource_not_shared();
      if (resource.status === 'withdrawn') throw SharingErrors.resource_withdrawn();
      const fields = input.fields ?? request.fields;
      const errors: FieldErrorSpec[] = [];
      fields.forEach((name, i) => {
        if (!request.fields.includes(name)) errors.push({ field: `fields[${i}]`, code: SharingFieldCodes.not_requested, params: { name } });
        else if (!resource.fields.some((f) => f.name === name)) errors.push({ field: `fields[${i}]`, code: SharingFieldCodes.unknown_item, params: { name } });
      });
      const until = input.expiresOn ?? request.requested_until ?? addYears(todayInShanghai(this.now()), 1);
      const expiryProblem = this.checkExpiry(input.expiresOn ? 'expiresOn' : 'until', until);
      if (expiryProblem) errors.push(expiryProblem);
      if (errors.length > 0) throw invalidInput(errors);
      await this.db.transaction().execute(async (tx) => {
        const decided = await store.decideRequest(tx, id, { status: 'granted', decided_by: actor.id, decision_note: note });
        if (!decided) throw SharingErrors.request_already_decided();
        await this.writeGrant(tx, actor, {
          request_id: id,
          resource_id: request.resource_id,
          consumer_department_id: request.consumer_department_id,
          fields,
          item_codes: request.item_codes,
          purpose: request.purpose,
          expires_at: endOfShanghaiDay(until),
          granted_by: actor.id,
        });
      });
      this.cache.invalidate();
    }
    return this.toRequest((await store.findRequest(this.db, id))!, await this.departmentNames());
  }

  async listGrants(caller: StaffPrincipal, query: GrantQuery): Promise<{ items: Grant[]; nextCursor: string | null }> {
    const department = actingDepartment(caller, query.departmentId);
    const limit = query.limit ?? 20;
    const before = decodeCursor<{ g: string; i: string }>(query.cursor, { g: 'string', i: 'string' });
    const rows = await store.listGrants(this.db, {
      ...(query.side === 'consumer' ? { consumerDepartmentId: department } : { providerDepartmentId: department }),
      resourceId: query.resourceId,
      liveOnly: query.live,
      before: before ? { grantedAt: before.g, id: before.i } : undefined,
      limit: limit + 1,
    });
    const names = await this.departmentNames();
    const result = page(rows, limit, (r) => ({ g: r.granted_at.toISOString(), i: r.id }));
    return { items: result.items.map((r) => this.toGrant(r, names)), nextCursor: result.nextCursor };
  }

  /** The provider withdraws a grant; look-ups under it are refused (and logged) from now on. */
  async revokeGrant(caller: StaffPrincipal | null, actor: AuditActor, id: string, reason: string): Promise<Grant> {
    const grant = await store.findGrant(this.db, id);
    if (!grant || !provides(caller, grant.provider_department_id)) throw SharingErrors.grant_not_found();
    await this.db.transaction().execute(async (tx) => {
      const revoked = await store.revokeGrant(tx, id, actor.id, reason.trim());
      if (!revoked) throw SharingErrors.grant_already_revoked();
      await recordAudit(tx, actor, { action: 'sharing.grant.revoked', targetType: 'sharing_grant', targetId: id, detail: { reason: reason.trim() } });
      await this.changed(tx);
    });
    this.cache.invalidate();
    return this.toGrant((await store.findGrant(this.db, id))!, await this.departmentNames());
  }

  // --- consumer credentials (identity's API clients) ---------------------------------------------

  /** Issues a bearer token with the `sharing:lookup` scope to a system of the caller's department. */
  async issueCredential(caller: StaffPrincipal, actor: AuditActor, input: { name: string; departmentId?: string | undefined }) {
    if (input.departmentId !== undefined && input.departmentId !== caller.departmentId) throw CommonErrors.not_found();
    return this.identity.createClient(actor, { name: input.name.trim(), scopes: ['sharing:lookup'], departmentId: caller.departmentId });
  }

  private async departmentCredentials(departmentId: string) {
    return (await this.identity.listClients()).filter((c) => c.departmentId === departmentId && c.scopes.includes('sharing:lookup'));
  }

  async listCredentials(caller: StaffPrincipal, departmentId?: string) {
    if (departmentId !== undefined && departmentId !== caller.departmentId) throw CommonErrors.not_found();
    return { items: await this.departmentCredentials(caller.departmentId) };
  }

  async revokeCredential(caller: StaffPrincipal, actor: AuditActor, id: string): Promise<void> {
    const own = (await this.departmentCredentials(caller.departmentId)).find((c) => c.id === id && c.revokedAt === null);
    if (!own) throw SharingErrors.credential_not_found();
    await this.identity.revokeClient(actor, id);
  }

  // --- the gateway -------------------------------------------------------------------------------

  /**
   * The service API other modules use (material replacement, instant-approval rules): one look-up
   * through the gateway for a case, checked, logged and signed like any other.
   */
  /**
   * 免提交: a case's material stands on shared data instead of an upload. Looks the applicant up
   * in the resource (by its code, as the catalog's materials name it) through the gateway, for the
   * case and on behalf of the department handling it, so the grant, the item check and the access
   * log apply as to any other look-up. A refusal is an answer here, not an error: the material then
   * waits for the clerk to check it by hand.
   */
  async verifyForCase(input: { consumerDepartmentId: string; resourceCode: string; subject: string; caseRef: string; purpose: string }): Promise<SharedDataCheck> {
    const resource = await this.db.selectFrom('sharing_resources').select('id').where('code', '=', input.resourceCode).executeTakeFirst();
    if (!resource) return { ok: false, code: 'resource_not_found' };
    try {
      const { payload, signature } = await this.lookup({ consumerDepartmentId: input.consumerDepartmentId, resourceId: resource.id, subject: input.subject, caseRef: input.caseRef, purpose: input.purpose, actor: 'system:cases' });
      return { ok: true, found: payload.found, requestId: payload.requestId, fields: payload.fields, signature: { keyId: signature.keyId, value: signature.value } };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, code: error.code };
      throw error;
    }
  }

  /**
   * The values behind a case's rule inputs (秒批): the same look-up as `verifyForCase`, answering
   * the granted items' values. A refusal is an answer (`ok: false` with its code), not an error.
   */
  async lookupForCase(input: { consumerDepartmentId: string; resourceCode: string; subject: string; caseRef: string; purpose: string }): Promise<{ ok: true; found: boolean; data: Record<string, unknown> | null } | { ok: false; code: string }> {
    const resource = await this.db.selectFrom('sharing_resources').select('id').where('code', '=', input.resourceCode).executeTakeFirst();
    if (!resource) return { ok: false, code: 'resource_not_found' };
    try {
      const { payload } = await this.lookup({ consumerDepartmentId: input.consumerDepartmentId, resourceId: resource.id, subject: input.subject, caseRef: input.caseRef, purpose: input.purpose, actor: 'system:rules' });
      return { ok: true, found: payload.found, data: payload.data };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, code: error.code };
      throw error;
    }
  }

  lookup(request: LookupRequest): Promise<SignedLookup> {
    return this.gateway.lookup(request, { kind: 'lookup' });
  }

  /** A look-up by an HTTP caller: a consumer department's system (bearer token) or its data-sharing administrator. */
  lookupAs(principal: Principal, resourceId: string, input: { subject: string; fields?: string[] | undefined; purpose?: string | undefined }, caseRef: string | undefined): Promise<SignedLookup> {
    let consumer: string | null = null;
    if (principal.kind === 'staff') consumer = principal.departmentId;
    else if (principal.kind === 'client') consumer = principal.departmentId ?? null;
    else throw CommonErrors.forbidden();
    return this.gateway.lookup({ consumerDepartmentId: consumer, resourceId, subject: input.subject, fields: input.fields, purpose: input.purpose, caseRef: caseRef ?? null, actor: principalId(principal) }, { kind: 'lookup' });
  }

  async platformKeys() {
    const current = await this.keys.signingKey();
    return { currentKeyId: current.keyId, keys: await this.keys.published() };
  }

  // --- the access log ----------------------------------------------------------------------------

  /** Accesses to the department's data (provider side) or made by it (consumer side). */
  async listAccessLog(caller: StaffPrincipal, query: AccessLogQuery) {
    const department = actingDepartment(caller, query.departmentId);
    const limit = query.limit ?? 20;
    const before = decodeCursor<{ id: number }>(query.cursor, { id: 'integer' });
    const rows = await store.listLog(this.db, {
      ...(query.side === 'consumer' ? { consumerDepartmentId: department } : { providerDepartmentId: department }),
      resourceId: query.resourceId,
      outcome: query.outcome,
      beforeId: before?.id,
      limit: limit + 1,
    });
    const names = await this.departmentNames();
    const result = page(rows, limit, (r) => ({ id: r.id }));
    return {
      items: result.items.map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        requestId: r.request_id,
        kind: r.kind,
        actor: r.actor,
        resourceId: r.resource_id,
        resourceCode: r.resource_code,
        resourceName: r.resource_name,
        providerDepartmentId: r.provider_department_id,
        providerDepartmentName: names.get(r.provider_department_id) ?? '',
        consumerDepartmentId: r.consumer_department_id,
        consumerDepartmentName: r.consumer_department_id ? (names.get(r.consumer_department_id) ?? '') : null,
        subjectMasked: r.subject_masked,
        caseRef: r.case_ref,
        purpose: r.purpose,
        outcome: r.outcome,
        reason: r.reason,
        fields: r.fields,
        responseDigest: r.response_digest,
      })),
      nextCursor: result.nextCursor,
    };
  }

  private async applicantSubject(applicant: ApplicantPrincipal): Promise<{ type: SubjectType; subject: string }> {
    const who = await this.identity.applicantIdentifier(applicant.userId);
    if (!who) throw SharingErrors.applicant_without_identifier();
    return { type: who.kind === 'natural' ? 'id_number' : 'credit_code', subject: who.identifier };
  }

  /** "Who looked at my data": every gateway call about the applicant, matched on the subject's keyed hash. */
  async myDataAccess(applicant: ApplicantPrincipal, query: { limit?: number | undefined; cursor?: string | undefined }) {
    const { type, subject } = await this.applicantSubject(applicant);
    const limit = query.limit ?? 20;
    const before = decodeCursor<{ id: number }>(query.cursor, { id: 'integer' });
    const rows = await store.listLog(this.db, { subjectHash: this.hasher.hash(type, subject), beforeId: before?.id, limit: limit + 1 });
    const names = await this.departmentNames();
    const result = page(rows, limit, (r) => ({ id: r.id }));
    return {
      items: result.items.map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        kind: r.kind,
        resourceName: r.resource_name,
        providerDepartmentName: names.get(r.provider_department_id) ?? '',
        consumerDepartmentName: r.consumer_department_id ? (names.get(r.consumer_department_id) ?? '') : null,
        caseRef: r.case_ref,
        purpose: r.purpose,
        outcome: r.outcome,
        fields: r.fields.map((name) => ({ name, label: r.resource_fields.find((f) => f.name === name)?.label ?? name })),
      })),
      nextCursor: result.nextCursor,
    };
  }

  verifyLog(): Promise<AccessLogVerification> {
    return verifyAccessLog(this.db);
  }

  // --- prefill with the applicant's consent (once-only) ---------------------------------------

  private async itemDepartment(itemCode: string): Promise<{ id: string; name: string }> {
    const departmentId = await this.items.departmentOf(itemCode);
    if (!departmentId) throw SharingErrors.item_unknown();
    const department = await this.org.getDepartment(departmentId);
    return { id: department.id, name: department.name };
  }

  /** The resources the item's department may prefill from for this applicant: live grants covering the item, of the applicant's kind. */
  async prefillOptions(applicant: ApplicantPrincipal, itemCode: string) {
    const department = await this.itemDepartment(itemCode);
    const { type } = await this.applicantSubject(applicant);
    const grants = await store.listGrants(this.db, { consumerDepartmentId: department.id, liveOnly: true, limit: 100 });
    const names = await this.departmentNames();
    const now = this.now().getTime();
    const resources = [];
    for (const grant of grants) {
      if (grant.expires_at.getTime() <= now || !grantCoversItem(grant.item_codes, itemCode)) continue;
      const resource = await store.findResource(this.db, grant.resource_id);
      if (!resource || resource.status !== 'published' || resource.subject_type !== type) continue;
      resources.push({
        resourceId: resource.id,
        code: resource.code,
        name: resource.name,
        providerDepartmentName: names.get(resource.provider_department_id) ?? '',
        fields: resource.fields.filter((f) => grant.fields.includes(f.name)).map((f) => ({ name: f.name, label: f.label })),
      });
    }
    return { itemCode, departmentId: department.id, departmentName: department.name, resources };
  }

  /**
   * The applicant consents to the item's department using the named resources for this item, and
   * sees the values that would be filled in. Without consent nothing is looked up and nothing is
   * stored. With it, the consent is recorded (audited), each look-up goes through the gateway as
   * kind `prefill` (logged: the applicant sees it in their own access view), and the values are
   * returned, not stored: the application form keeps them only if the applicant submits it.
   */
  async prefillPreview(applicant: ApplicantPrincipal, actor: AuditActor, input: PrefillPreviewInput) {
    if (input.consent !== true) throw SharingErrors.consent_required();
    const department = await this.itemDepartment(input.itemCode);
    const { type, subject } = await this.applicantSubject(applicant);
    const expiresAt = new Date(this.now().getTime() + CONSENT_HOURS * 3600_000);
    const consent = await this.db.transaction().execute(async (tx) => {
      const row = await store.insertConsent(tx, { user_id: applicant.userId, item_code: input.itemCode, consumer_department_id: department.id, resource_ids: input.resourceIds, expires_at: expiresAt });
      await recordAudit(tx, actor, { action: 'sharing.consent.given', targetType: 'sharing_consent', targetId: row.id, detail: { itemCode: input.itemCode, departmentId: department.id, resourceIds: input.resourceIds } });
      return row;
    });

    const resources = [];
    for (const resourceId of input.resourceIds) {
      const resource = await store.findResource(this.db, resourceId);
      if (!resource || resource.status === 'draft') {
        resources.push({ resourceId, name: '', status: 'unavailable' as const, reason: 'resource_not_found', values: [] });
        continue;
      }
      if (resource.subject_type !== type) {
        // an enterprise's credit code is not looked up in a register of persons, nor the reverse
        resources.push({ resourceId, name: resource.name, status: 'unavailable' as const, reason: 'subject_type_mismatch', values: [] });
        continue;
      }
      try {
        const result = await this.gateway.lookup(
          { consumerDepartmentId: department.id, resourceId, subject, caseRef: null, purpose: `prefill ${input.itemCode}`, actor: applicant.userId },
          { kind: 'prefill', consentId: consent.id, itemCode: input.itemCode },
        );
        const labels = new Map(resource.fields.map((f) => [f.name, f.label]));
        resources.push({
          resourceId,
          name: resource.name,
          status: result.payload.found ? ('ok' as const) : ('not_found' as const),
          reason: null,
          values: result.payload.data ? result.payload.fields.map((field) => ({ field, label: labels.get(field) ?? field, value: result.payload.data![field] ?? null })) : [],
        });
      } catch (err) {
        if (!(err instanceof AppError) || (err.status >= 500 && err.code !== 'provider_unavailable' && err.code !== 'provider_circuit_open')) throw err;
        resources.push({ resourceId, name: resource.name, status: 'unavailable' as const, reason: err.code, values: [] });
      }
    }
    return { consentId: consent.id, itemCode: input.itemCode, departmentId: department.id, departmentName: department.name, expiresAt: expiresAt.toISOString(), resources };
  }

  async listConsents(applicant: ApplicantPrincipal) {
    const rows = await store.listConsents(this.db, applicant.userId, 100);
    const names = await this.departmentNames();
    return {
      items: rows.map((r) => ({
        id: r.id,
        itemCode: r.item_code,
        departmentId: r.consumer_department_id,
        departmentName: names.get(r.consumer_department_id) ?? '',
        resourceIds: r.resource_ids,
        createdAt: r.created_at.toISOString(),
        expiresAt: r.expires_at.toISOString(),
        withdrawnAt: r.withdrawn_at ? r.withdrawn_at.toISOString() : null,
      })),
    };
  }

  async withdrawConsent(applicant: ApplicantPrincipal, actor: AuditActor, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await store.withdrawConsent(tx, id, applicant.userId);
      if (!row) throw SharingErrors.consent_not_found();
      await recordAudit(tx, actor, { action: 'sharing.consent.withdrawn', targetType: 'sharing_consent', targetId: id });
    });
  }
}
