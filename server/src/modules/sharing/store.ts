import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { SharingAccessLogTable, SharingResourceTable } from '../../platform/db/schema.js';

// --- resources ---------------------------------------------------------------------------------

export function insertResource(db: Executor, row: Insertable<SharingResourceTable>) {
  return db.insertInto('sharing_resources').values(row).onConflict((oc) => oc.column('code').doNothing()).returningAll().executeTakeFirst();
}

export function findResource(db: Executor, id: string) {
  return db.selectFrom('sharing_resources').selectAll().where('id', '=', id).executeTakeFirst();
}

export function updateResource(db: Executor, id: string, patch: Partial<{
  name: string;
  description: string;
  fields: string;
  update_frequency: string;
  sharing_type: SharingResourceTable['sharing_type'];
  conditions: string | null;
  legal_basis: string;
  endpoint: string | null;
  status: SharingResourceTable['status'];
  published_at: Date;
}>) {
  return db.updateTable('sharing_resources').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirst();
}

export interface ResourceFilter {
  /** Published and withdrawn resources of every department, plus every resource of this one. */
  visibleToDepartmentId?: string | undefined;
  providerDepartmentId?: string | undefined;
  status?: SharingResourceTable['status'] | undefined;
  sharingType?: SharingResourceTable['sharing_type'] | undefined;
  subjectType?: SharingResourceTable['subject_type'] | undefined;
  q?: string | undefined;
  afterCode?: string | undefined;
  limit: number;
}

export function listResources(db: Executor, f: ResourceFilter) {
  let q = db.selectFrom('sharing_resources').selectAll();
  if (f.visibleToDepartmentId) {
    const own = f.visibleToDepartmentId;
    q = q.where((eb) => eb.or([eb('status', '<>', 'draft'), eb('provider_department_id', '=', own)]));
  }
  if (f.providerDepartmentId) q = q.where('provider_department_id', '=', f.providerDepartmentId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.sharingType) q = q.where('sharing_type', '=', f.sharingType);
  if (f.subjectType) q = q.where('subject_type', '=', f.subjectType);
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('code', 'ilike', pattern), eb('description', 'ilike', pattern)]));
  }
  if (f.afterCode) q = q.where('code', '>', f.afterCode);
  return q.orderBy('code').limit(f.limit).execute();
}

export async function countRecords(db: Executor, resourceId: string): Promise<number> {
  const row = await db.selectFrom('sharing_records').select((eb) => eb.fn.countAll<number>().as('n')).where('resource_id', '=', resourceId).executeTakeFirstOrThrow();
  return Number(row.n);
}

// --- hosted records ----------------------------------------------------------------------------

export async function findRecord(db: Executor, resourceId: string, subject: string): Promise<Record<string, unknown> | undefined> {
  const row = await db.selectFrom('sharing_records').select('data').where('resource_id', '=', resourceId).where('subject', '=', subject).executeTakeFirst();
  return row?.data;
}

const CHUNK = 1000;

export async function existingSubjects(db: Executor, resourceId: string, subjects: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < subjects.length; i += CHUNK) {
    const rows = await db.selectFrom('sharing_records').select('subject').where('resource_id', '=', resourceId).where('subject', 'in', subjects.slice(i, i + CHUNK)).execute();
    for (const r of rows) found.add(r.subject);
  }
  return found;
}

/** Inserts new records and merges the given items into existing ones (jsonb `||`). */
export async function upsertRecords(db: Executor, resourceId: string, records: Array<{ subject: string; values: Record<string, unknown> }>): Promise<{ inserted: number; updated: number }> {
  let inserted = 0;
  let updated = 0;
  for (let i = 0; i < records.length; i += CHUNK) {
    const chunk = records.slice(i, i + CHUNK);
    const rows = await db
      .insertInto('sharing_records')
      .values(chunk.map((r) => ({ resource_id: resourceId, subject: r.subject, data: JSON.stringify(r.values) })))
      .onConflict((oc) => oc.columns(['resource_id', 'subject']).doUpdateSet({
        data: sql`sharing_records.data || excluded.data`,
        updated_at: sql`now()`,
      }))
      // xmax is 0 on a freshly inserted row version: tells inserts from updates in one statement.
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .execute();
    for (const r of rows) {
      if (r.inserted) inserted++;
      else updated++;
    }
  }
  return { inserted, updated };
}

export async function deleteRecords(db: Executor, resourceId: string, subjects: string[]): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < subjects.length; i += CHUNK) {
    const result = await db.deleteFrom('sharing_records').where('resource_id', '=', resourceId).where('subject', 'in', subjects.slice(i, i + CHUNK)).executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}

// --- access requests and grants ----------------------------------------------------------------

export function insertRequest(db: Executor, row: {
  resource_id: string;
  consumer_department_id: string;
  purpose: string;
  item_codes: string[];
  fields: string[];
  requested_until: string | null;
  status: 'pending' | 'granted' | 'rejected';
  requested_by: string | null;
}) {
  return db.insertInto('sharing_requests').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findRequest(db: Executor, id: string) {
  return db
    .selectFrom('sharing_requests')
    .innerJoin('sharing_resources', 'sharing_resources.id', 'sharing_requests.resource_id')
    .leftJoin('sharing_grants', 'sharing_grants.request_id', 'sharing_requests.id')
    .selectAll('sharing_requests')
    .select(['sharing_resources.name as resource_name', 'sharing_resources.code as resource_code', 'sharing_resources.provider_department_id', 'sharing_grants.id as grant_id'])
    .where('sharing_requests.id', '=', id)
    .executeTakeFirst();
}

/** Decides a pending request; undefined when it was decided meanwhile. */
export function decideRequest(db: Executor, id: string, decision: { status: 'granted' | 'rejected'; decided_by: string | null; decision_note: string | null }) {
  return db
    .updateTable('sharing_requests')
    .set({ ...decision, decided_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}

export interface RequestFilter {
  providerDepartmentId?: string | undefined;
  consumerDepartmentId?: string | undefined;
  status?: 'pending' | 'granted' | 'rejected' | undefined;
  before?: { createdAt: string; id: string } | undefined;
  limit: number;
}

export function listRequests(db: Executor, f: RequestFilter) {
  let q = db
    .selectFrom('sharing_requests')
    .innerJoin('sharing_resources', 'sharing_resources.id', 'sharing_requests.resource_id')
    .leftJoin('sharing_grants', 'sharing_grants.request_id', 'sharing_requests.id')
    .selectAll('sharing_requests')
    .select(['sharing_resources.name as resource_name', 'sharing_resources.code as resource_code', 'sharing_resources.provider_department_id', 'sharing_grants.id as grant_id']);
  if (f.providerDepartmentId) q = q.where('sharing_resources.provider_department_id', '=', f.providerDepartmentId);
  if (f.consumerDepartmentId) q = q.where('sharing_requests.consumer_department_id', '=', f.consumerDepartmentId);
  if (f.status) q = q.where('sharing_requests.status', '=', f.status);
  if (f.before) {
    const { createdAt, id } = f.before;
    q = q.where((eb) => eb.or([
      eb('sharing_requests.created_at', '<', new Date(createdAt)),
      eb.and([eb('sharing_requests.created_at', '=', new Date(createdAt)), eb('sharing_requests.id', '<', id)]),
    ]));
  }
  return q.orderBy('sharing_requests.created_at', 'desc').orderBy('sharing_requests.id', 'desc').limit(f.limit).execute();
}

export function insertGrant(db: Executor, row: {
  request_id: string | null;
  resource_id: string;
  consumer_department_id: string;
  fields: string[];
  item_codes: string[];
  purpose: string;
  expires_at: Date;
  granted_by: string | null;
}) {
  return db.insertInto('sharing_grants').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Revokes the live grant of a resource to a consumer, if any (a new grant supersedes it). */
export function revokeLiveGrant(db: Executor, resourceId: string, consumerDepartmentId: string, by: string | null, reason: string) {
  return db
    .updateTable('sharing_grants')
    .set({ revoked_at: new Date(), revoked_by: by, revoke_reason: reason })
    .where('resource_id', '=', resourceId)
    .where('consumer_department_id', '=', consumerDepartmentId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
}

export function revokeGrant(db: Executor, id: string, by: string | null, reason: string) {
  return db
    .updateTable('sharing_grants')
    .set({ revoked_at: new Date(), revoked_by: by, revoke_reason: reason })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export function findGrant(db: Executor, id: string) {
  return db
    .selectFrom('sharing_grants')
    .innerJoin('sharing_resources', 'sharing_resources.id', 'sharing_grants.resource_id')
    .selectAll('sharing_grants')
    .select(['sharing_resources.name as resource_name', 'sharing_resources.code as resource_code', 'sharing_resources.provider_department_id'])
    .where('sharing_grants.id', '=', id)
    .executeTakeFirst();
}

/** The grant that decides a look-up: the live one, else the most recent (to say why it no longer holds). */
export function currentGrant(db: Executor, resourceId: string, consumerDepartmentId: string) {
  return db
    .selectFrom('sharing_grants')
    .select(['id', 'fields', 'item_codes', 'expires_at', 'revoked_at'])
    .where('resource_id', '=', resourceId)
    .where('consumer_department_id', '=', consumerDepartmentId)
    .orderBy(sql`revoked_at IS NULL`, 'desc')
    .orderBy('granted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export interface GrantFilter {
  providerDepartmentId?: string | undefined;
  consumerDepartmentId?: string | undefined;
  resourceId?: string | undefined;
  liveOnly?: boolean | undefined;
  before?: { grantedAt: string; id: string } | undefined;
  limit: number;
}

export function listGrants(db: Executor, f: GrantFilter) {
  let q = db
    .selectFrom('sharing_grants')
    .innerJoin('sharing_resources', 'sharing_resources.id', 'sharing_grants.resource_id')
    .selectAll('sharing_grants')
    .select(['sharing_resources.name as resource_name', 'sharing_resources.code as resource_code', 'sharing_resources.provider_department_id']);
  if (f.providerDepartmentId) q = q.where('sharing_resources.provider_department_id', '=', f.providerDepartmentId);
  if (f.consumerDepartmentId) q = q.where('sharing_grants.consumer_department_id', '=', f.consumerDepartmentId);
  if (f.resourceId) q = q.where('sharing_grants.resource_id', '=', f.resourceId);
  if (f.liveOnly) q = q.where('sharing_grants.revoked_at', 'is', null);
  if (f.before) {
    const { grantedAt, id } = f.before;
    q = q.where((eb) => eb.or([
      eb('sharing_grants.granted_at', '<', new Date(grantedAt)),
      eb.and([eb('sharing_grants.granted_at', '=', new Date(grantedAt)), eb('sharing_grants.id', '<', id)]),
    ]));
  }
  return q.orderBy('sharing_grants.granted_at', 'desc').orderBy('sharing_grants.id', 'desc').limit(f.limit).execute();
}

// --- consents ----------------------------------------------------------------------------------

export function insertConsent(db: Executor, row: { user_id: string; item_code: string; consumer_department_id: string; resource_ids: string[]; expires_at: Date }) {
  return db.insertInto('sharing_consents').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listConsents(db: Executor, userId: string, limit: number) {
  return db.selectFrom('sharing_consents').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').limit(limit).execute();
}

export function withdrawConsent(db: Executor, id: string, userId: string) {
  return db
    .updateTable('sharing_consents')
    .set({ withdrawn_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('withdrawn_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export function findConsent(db: Executor, id: string) {
  return db.selectFrom('sharing_consents').selectAll().where('id', '=', id).executeTakeFirst();
}

// --- access log --------------------------------------------------------------------------------

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Locks a chain's head row for the rest of the transaction and returns it, creating it at the
 * genesis state the first time. The no-op DO UPDATE is what takes the row lock and returns the row.
 */
export async function lockHead(db: Executor, chain: string): Promise<{ seq: number; hash: string }> {
  const result = await sql<{ seq: number; hash: string }>`
    INSERT INTO sharing_log_heads (chain, seq, hash) VALUES (${chain}, 0, ${GENESIS_HASH})
    ON CONFLICT (chain) DO UPDATE SET chain = sharing_log_heads.chain
    RETURNING seq, hash`.execute(db);
  const row = result.rows[0]!;
  return { seq: Number(row.seq), hash: row.hash };
}

export function setHead(db: Executor, chain: string, seq: number, hash: string) {
  return db.updateTable('sharing_log_heads').set({ seq, hash }).where('chain', '=', chain).execute();
}

export interface NewLogRow {
  chain: string;
  seq: number;
  at: Date;
  request_id: string;
  kind: SharingAccessLogTable['kind'];
  actor: string | null;
  consumer_department_id: string | null;
  resource_id: string;
  provider_department_id: string;
  subject_hash: string;
  subject_masked: string;
  case_ref: string | null;
  purpose: string | null;
  consent_id: string | null;
  grant_id: string | null;
  outcome: SharingAccessLogTable['outcome'];
  reason: string | null;
  fields: string[];
  response_digest: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * The rows as one SELECT over unnest()ed column arrays: a batch is one statement with 21 parameters
 * whatever its size. Ordered by seq, so that ids follow the chain's order (the verifier relies on it).
 */
function logRowsSource(rows: NewLogRow[], where = sql``) {
  const column = <T>(pick: (r: NewLogRow) => T) => rows.map(pick);
  return sql`
    SELECT u.chain, u.seq, u.at, u.request_id, u.kind, u.actor, u.consumer_department_id, u.resource_id,
           u.provider_department_id, u.subject_hash, u.subject_masked, u.case_ref, u.purpose, u.consent_id,
           u.grant_id, u.outcome, u.reason, ARRAY(SELECT jsonb_array_elements_text(u.fields::jsonb)), u.response_digest,
           u.prev_hash, u.hash
    FROM unnest(
      ${column((r) => r.chain)}::text[], ${column((r) => r.seq)}::bigint[], ${column((r) => r.at.toISOString())}::timestamptz[],
      ${column((r) => r.request_id)}::uuid[], ${column((r) => r.kind)}::text[], ${column((r) => r.actor)}::text[],
      ${column((r) => r.consumer_department_id)}::uuid[], ${column((r) => r.resource_id)}::uuid[], ${column((r) => r.provider_department_id)}::uuid[],
      ${column((r) => r.subject_hash)}::text[], ${column((r) => r.subject_masked)}::text[], ${column((r) => r.case_ref)}::text[],
      ${column((r) => r.purpose)}::text[], ${column((r) => r.consent_id)}::uuid[], ${column((r) => r.grant_id)}::uuid[],
      ${column((r) => r.outcome)}::text[], ${column((r) => r.reason)}::text[], ${column((r) => JSON.stringify(r.fields))}::text[],
      ${column((r) => r.response_digest)}::text[], ${column((r) => r.prev_hash)}::text[], ${column((r) => r.hash)}::text[]
    ) AS u(chain, seq, at, request_id, kind, actor, consumer_department_id, resource_id, provider_department_id, subject_hash,
           subject_masked, case_ref, purpose, consent_id, grant_id, outcome, reason, fields, response_digest, prev_hash, hash)
    ${where}
    ORDER BY u.seq`;
}

const LOG_COLUMNS = sql.raw(`chain, seq, at, request_id, kind, actor, consumer_department_id, resource_id, provider_department_id,
  subject_hash, subject_masked, case_ref, purpose, consent_id, grant_id, outcome, reason, fields, response_digest, prev_hash, hash`);

/** Inserts rows of one or more chains (the caller holds their head locks). */
export async function insertLogRows(db: Executor, rows: NewLogRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    await sql`INSERT INTO sharing_access_log (${LOG_COLUMNS}) ${logRowsSource(rows.slice(i, i + 5000))}`.execute(db);
  }
}

/**
 * Appends rows to one chain in a single statement, provided its head is still where this instance
 * last left it: the head row is moved (and locked) first, and the rows are inserted only if it
 * moved. Returns false, having changed nothing, when another instance appended meanwhile; the
 * caller then takes the locking path.
 */
export async function appendIfHead(db: Executor, chain: string, expected: { seq: number; hash: string }, rows: NewLogRow[]): Promise<boolean> {
  const last = rows[rows.length - 1]!;
  const result = await sql<{ one: number }>`
    WITH moved AS (
      UPDATE sharing_log_heads SET seq = ${last.seq}, hash = ${last.hash}
      WHERE chain = ${chain} AND seq = ${expected.seq} AND hash = ${expected.hash}
      RETURNING chain
    )
    INSERT INTO sharing_access_log (${LOG_COLUMNS})
    ${logRowsSource(rows, sql`WHERE EXISTS (SELECT 1 FROM moved)`)}
    RETURNING 1 AS one`.execute(db);
  return result.rows.length === rows.length;
}

/** A batch for the verifier: the instant as UTC text with microseconds (exact, and cheaper to read than a Date). */
export function readLogBatchForVerify(db: Executor, afterId: number, limit: number) {
  return db
    .selectFrom('sharing_access_log')
    .select([
      'id', 'chain', 'seq', 'request_id', 'kind', 'actor', 'consumer_department_id', 'resource_id', 'provider_department_id',
      'subject_hash', 'subject_masked', 'case_ref', 'purpose', 'consent_id', 'grant_id', 'outcome', 'reason', 'fields',
      'response_digest', 'prev_hash', 'hash',
      sql<string>`to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`.as('at_text'),
    ])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export function listHeads(db: Executor) {
  return db.selectFrom('sharing_log_heads').selectAll().execute();
}

export interface LogFilter {
  providerDepartmentId?: string | undefined;
  consumerDepartmentId?: string | undefined;
  subjectHash?: string | undefined;
  resourceId?: string | undefined;
  outcome?: SharingAccessLogTable['outcome'] | undefined;
  beforeId?: number | undefined;
  limit: number;
}

export function listLog(db: Executor, f: LogFilter) {
  let q = db
    .selectFrom('sharing_access_log')
    .innerJoin('sharing_resources', 'sharing_resources.id', 'sharing_access_log.resource_id')
    .select([
      'sharing_access_log.id', 'sharing_access_log.at', 'sharing_access_log.request_id', 'sharing_access_log.kind', 'sharing_access_log.actor',
      'sharing_access_log.consumer_department_id', 'sharing_access_log.resource_id', 'sharing_access_log.provider_department_id',
      'sharing_access_log.subject_masked', 'sharing_access_log.case_ref', 'sharing_access_log.purpose', 'sharing_access_log.outcome',
      'sharing_access_log.reason', 'sharing_access_log.fields', 'sharing_access_log.response_digest', 'sharing_access_log.consent_id',
      'sharing_resources.name as resource_name', 'sharing_resources.code as resource_code', 'sharing_resources.fields as resource_fields',
    ]);
  if (f.providerDepartmentId) q = q.where('sharing_access_log.provider_department_id', '=', f.providerDepartmentId);
  if (f.consumerDepartmentId) q = q.where('sharing_access_log.consumer_department_id', '=', f.consumerDepartmentId);
  if (f.subjectHash) q = q.where('sharing_access_log.subject_hash', '=', f.subjectHash);
  if (f.resourceId) q = q.where('sharing_access_log.resource_id', '=', f.resourceId);
  if (f.outcome) q = q.where('sharing_access_log.outcome', '=', f.outcome);
  if (f.beforeId !== undefined) q = q.where('sharing_access_log.id', '<', f.beforeId);
  return q.orderBy('sharing_access_log.id', 'desc').limit(f.limit).execute();
}

// --- platform keys -----------------------------------------------------------------------------

export function listKeys(db: Executor) {
  return db.selectFrom('sharing_keys').selectAll().orderBy('created_at', 'desc').execute();
}

export function insertKey(db: Executor, row: { id: string; algorithm: string; public_key: string; private_key_enc: string }) {
  return db.insertInto('sharing_keys').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
}

export function retireKeysExcept(db: Executor, keepId: string) {
  return db.updateTable('sharing_keys').set({ retired_at: new Date() }).where('id', '<>', keepId).where('retired_at', 'is', null).execute();
}

// --- cache revision ----------------------------------------------------------------------------

export function bumpRevision(db: Executor) {
  return db.updateTable('sharing_meta').set((eb) => ({ revision: eb('revision', '+', 1) })).where('id', '=', 1).execute();
}

export async function readRevision(db: Executor): Promise<number> {
  const row = await db.selectFrom('sharing_meta').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.revision);
}

/** Arbitrary constant naming the advisory lock for key generation. */
const SHARING_KEY_LOCK = 7_260_309;

/** Serialises generating the platform key across instances (held until the transaction ends). */
export async function lockKeyGeneration(db: Executor): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${SHARING_KEY_LOCK})`.execute(db);
}
