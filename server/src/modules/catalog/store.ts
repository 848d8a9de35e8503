import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { CatalogListStatus, CatalogVersionStatus } from '../../platform/db/schema.js';
import type { ItemContent } from './schemas.js';

/*
 * The catalog's write side on its own tables. Reads for the public catalog are in read-store.ts;
 * nothing outside this module touches these tables.
 */

// --- revision ---------------------------------------------------------------------------------

/** Every catalog write bumps the revision in its transaction; the query service rebuilds its index when it moves. */
export async function bumpRevision(tx: Executor): Promise<number> {
  const row = await tx.updateTable('catalog_meta').set((eb) => ({ revision: eb('revision', '+', 1) })).where('id', '=', 1).returning('revision').executeTakeFirstOrThrow();
  return row.revision;
}

export async function revision(db: Executor): Promise<number> {
  const row = await db.selectFrom('catalog_meta').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
  return row.revision;
}

// --- proofs and intermediaries ------------------------------------------------------------------

export interface ProofRow {
  code: string;
  name: string;
  legal_basis: string;
  requesting_unit: string;
  issuing_unit: string;
  guide: string;
}

export function insertProof(tx: Executor, row: ProofRow & { updated_by: string | null }) {
  return tx.insertInto('catalog_proofs').values({ ...row, status: 'draft' }).onConflict((oc) => oc.column('code').doNothing()).returningAll().executeTakeFirst();
}

export function findProof(db: Executor, id: string) {
  return db.selectFrom('catalog_proofs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findProofByCode(db: Executor, code: string) {
  return db.selectFrom('catalog_proofs').select('id').where('code', '=', code).executeTakeFirst();
}

/** Updates a proof that is still in `status`; undefined when it is not (any more). */
export function updateProof(tx: Executor, id: string, status: CatalogListStatus, patch: Partial<ProofRow> & { status?: CatalogListStatus; updated_by?: string | null }) {
  return tx.updateTable('catalog_proofs').set({ ...patch, updated_at: new Date() }).where('id', '=', id).where('status', '=', status).returningAll().executeTakeFirst();
}

export function listProofs(db: Executor, status?: CatalogListStatus) {
  let q = db.selectFrom('catalog_proofs').selectAll();
  if (status) q = q.where('status', '=', status);
  return q.orderBy('code').execute();
}

/** With `lock`, the rows are read FOR SHARE: a concurrent status change waits for the caller's transaction. */
export function proofsByIds(db: Executor, ids: readonly string[], lock = false) {
  if (ids.length === 0) return Promise.resolve([]);
  const q = db.selectFrom('catalog_proofs').select(['id', 'name', 'status']).where('id', 'in', [...ids]);
  return (lock ? q.forShare() : q).execute();
}

export interface IntermediaryRow {
  code: string;
  name: string;
  legal_basis: string;
  fee_standard: string;
  provider_requirements: string | null;
}

export function insertIntermediary(tx: Executor, row: IntermediaryRow & { updated_by: string | null }) {
  return tx.insertInto('catalog_intermediaries').values({ ...row, status: 'draft' }).onConflict((oc) => oc.column('code').doNothing()).returningAll().executeTakeFirst();
}

export function findIntermediary(db: Executor, id: string) {
  return db.selectFrom('catalog_intermediaries').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findIntermediaryByCode(db: Executor, code: string) {
  return db.selectFrom('catalog_intermediaries').select('id').where('code', '=', code).executeTakeFirst();
}

export function updateIntermediary(
  tx: Executor,
  id: string,
  status: CatalogListStatus,
  patch: Partial<IntermediaryRow> & { status?: CatalogListStatus; updated_by?: string | null },
) {
  return tx.updateTable('catalog_intermediaries').set({ ...patch, updated_at: new Date() }).where('id', '=', id).where('status', '=', status).returningAll().executeTakeFirst();
}

export function listIntermediaries(db: Executor, status?: CatalogListStatus) {
  let q = db.selectFrom('catalog_intermediaries').selectAll();
  if (status) q = q.where('status', '=', status);
  return q.orderBy('code').execute();
}

export function intermediariesByIds(db: Executor, ids: readonly string[], lock = false) {
  if (ids.length === 0) return Promise.resolve([]);
  const q = db.selectFrom('catalog_intermediaries').select(['id', 'name', 'status']).where('id', 'in', [...ids]);
  return (lock ? q.forShare() : q).execute();
}

/** Implementation codes of items whose published versions (current or scheduled) require the proof. */
export async function itemsUsingProof(db: Executor, proofId: string): Promise<string[]> {
  const needle = JSON.stringify([{ proofId }]);
  const rows = await db
    .selectFrom('catalog_item_versions as v')
    .innerJoin('catalog_items as i', 'i.id', 'v.item_id')
    .select('i.implementation_code')
    .distinct()
    .where('v.status', '=', 'published')
    .where(sql<boolean>`v.content -> 'materials' @> ${needle}::jsonb`)
    .orderBy('i.implementation_code')
    .execute();
  return rows.map((r) => r.implementation_code);
}

export async function itemsUsingIntermediary(db: Executor, intermediaryId: string): Promise<string[]> {
  const needle = JSON.stringify([intermediaryId]);
  const rows = await db
    .selectFrom('catalog_item_versions as v')
    .innerJoin('catalog_items as i', 'i.id', 'v.item_id')
    .select('i.implementation_code')
    .distinct()
    .where('v.status', '=', 'published')
    .where(sql<boolean>`v.content -> 'intermediaryServiceIds' @> ${needle}::jsonb`)
    .orderBy('i.implementation_code')
    .execute();
  return rows.map((r) => r.implementation_code);
}

// --- items and versions -------------------------------------------------------------------------

export function insertItem(tx: Executor, row: { implementation_code: string; basic_code: string; department_id: string; exercise_level: number; created_by: string | null }) {
  return tx.insertInto('catalog_items').values(row).onConflict((oc) => oc.column('implementation_code').doNothing()).returningAll().executeTakeFirst();
}

export function findItem(db: Executor, implementationCode: string) {
  return db.selectFrom('catalog_items').selectAll().where('implementation_code', '=', implementationCode).executeTakeFirst();
}

const VERSION_META = [
  'id',
  'item_id',
  'version',
  'status',
  'lock_version',
  'effective_from',
  'name',
  'type',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'submitted_at',
  'submitted_by',
  'review_comment',
  'published_at',
  'published_by',
  'withdrawn_at',
  'withdrawn_by',
] as const;

export function listVersions(db: Executor, itemId: string) {
  return db.selectFrom('catalog_item_versions').select(VERSION_META).where('item_id', '=', itemId).orderBy('version').execute();
}

export async function findVersion(db: Executor, itemId: string, version: number) {
  const row = await db.selectFrom('catalog_item_versions').select([...VERSION_META, 'content']).where('item_id', '=', itemId).where('version', '=', version).executeTakeFirst();
  return row ? { ...row, content: row.content as ItemContent } : undefined;
}
export type VersionRow = NonNullable<Awaited<ReturnType<typeof findVersion>>>;

/** The newest version copied into a new draft: the highest-numbered version that left review (published, superseded or withdrawn). */
export async function latestClosedVersion(db: Executor, itemId: string) {
  const row = await db
    .selectFrom('catalog_item_versions')
    .select(['version', 'content'])
    .where('item_id', '=', itemId)
    .where('status', 'in', ['published', 'superseded', 'withdrawn'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { version: row.version, content: row.content as ItemContent } : undefined;
}

export function openVersion(db: Executor, itemId: string) {
  return db.selectFrom('catalog_item_versions').select(['version', 'status']).where('item_id', '=', itemId).where('status', 'in', ['draft', 'in_review']).executeTakeFirst();
}

/** The columns copied out of the content for filtering and indicators in SQL. */
export function contentColumns(content: ItemContent) {
  return {
    content: JSON.stringify(content),
    name: content.name,
    type: content.type,
    service_objects: [...content.serviceObjects],
    themes: [...content.themes],
    immediate: content.handling.immediate,
    online: content.handling.online,
    nearby: content.handling.nearby,
    one_visit: content.handling.oneVisit,
    legal_days: content.legalDays,
    promised_days: content.promisedDays,
    visits_required: content.visitsRequired,
  };
}

/**
 * Inserts a draft as the next version of the item. Undefined when the item already has a version
 * in the works (the partial unique index) or another writer took the number first.
 */
export async function insertDraft(tx: Executor, itemId: string, content: ItemContent, by: string | null, at: Date) {
  const next = await tx.selectFrom('catalog_item_versions').select((eb) => eb.fn.max('version').as('max')).where('item_id', '=', itemId).executeTakeFirst();
  const version = (next?.max ?? 0) + 1;
  return tx
    .insertInto('catalog_item_versions')
    .values({ item_id: itemId, version, status: 'draft', ...contentColumns(content), created_at: at, created_by: by, updated_at: at, updated_by: by })
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'version', 'status', 'lock_version', 'effective_from'])
    .executeTakeFirst();
}

export interface TransitionPatch {
  status?: CatalogVersionStatus;
  content?: ItemContent;
  effective_from?: string | null;
  updated_at?: Date;
  updated_by?: string | null;
  submitted_at?: Date;
  submitted_by?: string | null;
  review_comment?: string | null;
  published_at?: Date;
  published_by?: string | null;
  withdrawn_at?: Date;
  withdrawn_by?: string | null;
}

/**
 * Compare-and-set on one version: applies the patch only while the version is still in `from`
 * (and at `lockVersion`, when given), and moves the lock version on. Undefined when the version
 * moved meanwhile, which the caller turns into 409 or 422.
 */
export function transition(tx: Executor, id: string, from: CatalogVersionStatus, lockVersion: number | undefined, patch: TransitionPatch) {
  const { content, ...rest } = patch;
  let q = tx
    .updateTable('catalog_item_versions')
    .set((eb) => ({ ...rest, ...(content ? contentColumns(content) : {}), lock_version: eb('lock_version', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', from);
  if (lockVersion !== undefined) q = q.where('lock_version', '=', lockVersion);
  return q.returning(['id', 'version', 'status', 'lock_version', 'effective_from']).executeTakeFirst();
}

/**
 * Marks superseded every published version of the item older than a published version that is in
 * effect on `today`. With `itemId` undefined, over the whole catalog. Returns the versions changed.
 */
export async function supersedeDue(tx: Executor, today: string, itemId?: string) {
  let q = tx
    .updateTable('catalog_item_versions as v')
    .set((eb) => ({ status: 'superseded' as const, lock_version: eb('v.lock_version', '+', 1) }))
    .where('v.status', '=', 'published')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('catalog_item_versions as w')
          .select('w.id')
          .whereRef('w.item_id', '=', 'v.item_id')
          .where('w.status', '=', 'published')
          .whereRef('w.version', '>', 'v.version')
          .where('w.effective_from', '<=', today),
      ),
    );
  if (itemId) q = q.where('v.item_id', '=', itemId);
  return q.returning(['v.item_id', 'v.version']).execute();
}

/** Any published version older than one in effect today: what `supersedeDue` would change. */
export async function hasDueSupersession(db: Executor, today: string): Promise<boolean> {
  const row = await db
    .selectFrom('catalog_item_versions as v')
    .select('v.id')
    .where('v.status', '=', 'published')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('catalog_item_versions as w')
          .select('w.id')
          .whereRef('w.item_id', '=', 'v.item_id')
          .where('w.status', '=', 'published')
          .whereRef('w.version', '>', 'v.version')
          .where('w.effective_from', '<=', today),
      ),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export interface AdminListFilter {
  departmentIds?: string[] | undefined;
  status?: CatalogVersionStatus | undefined;
  q?: string | undefined;
  afterCode?: string | undefined;
  limit: number;
  today: string;
}

/** Items with their latest version, in implementation-code order. */
export function listAdminItems(db: Executor, filter: AdminListFilter) {
  let q = db
    .selectFrom('catalog_items as i')
    .innerJoin('catalog_item_versions as v', 'v.item_id', 'i.id')
    .select((eb) => [
      'i.implementation_code',
      'i.basic_code',
      'i.department_id',
      'v.version',
      'v.status',
      'v.lock_version',
      'v.name',
      'v.type',
      'v.updated_at',
      eb
        .selectFrom('catalog_item_versions as p')
        .select((e) => e.fn.max('p.version').as('current'))
        .whereRef('p.item_id', '=', 'i.id')
        .where('p.status', '=', 'published')
        .where('p.effective_from', '<=', filter.today)
        .as('current_version'),
    ])
    .where('v.version', '=', (eb) => eb.selectFrom('catalog_item_versions as m').select((e) => e.fn.max('m.version').as('max')).whereRef('m.item_id', '=', 'i.id'));
  if (filter.departmentIds) {
    if (filter.departmentIds.length === 0) return Promise.resolve([]);
    q = q.where('i.department_id', 'in', filter.departmentIds);
  }
  if (filter.status) q = q.where('v.status', '=', filter.status);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('v.name', 'ilike', like), eb('i.implementation_code', 'ilike', like), eb('i.basic_code', 'ilike', like)]));
  }
  if (filter.afterCode) q = q.where('i.implementation_code', '>', filter.afterCode);
  return q.orderBy('i.implementation_code').limit(filter.limit).execute();
}

/** The version the public sees on `today`: the newest published version in effect. */
export async function currentVersion(db: Executor, itemId: string, today: string): Promise<number | null> {
  const row = await db
    .selectFrom('catalog_item_versions')
    .select((eb) => eb.fn.max('version').as('current'))
    .where('item_id', '=', itemId)
    .where('status', '=', 'published')
    .where('effective_from', '<=', today)
    .executeTakeFirst();
  return row?.current ?? null;
}

// --- synonyms -----------------------------------------------------------------------------------

export async function replaceSynonyms(tx: Executor, entries: Array<{ term: string; expansions: string[] }>, by: string | null): Promise<void> {
  await tx.deleteFrom('catalog_synonyms').execute();
  if (entries.length === 0) return;
  const at = new Date();
  // in chunks: one statement per few hundred rows keeps the parameter count low
  for (let i = 0; i < entries.length; i += 500) {
    await tx
      .insertInto('catalog_synonyms')
      .values(entries.slice(i, i + 500).map((e) => ({ term: e.term, expansions: e.expansions, updated_at: at, updated_by: by })))
      .execute();
  }
}

export function listSynonyms(db: Executor) {
  return db.selectFrom('catalog_synonyms').select(['term', 'expansions']).orderBy('term').execute();
}
