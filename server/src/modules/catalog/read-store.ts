import { sql } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.js';

/**
 * Reads of the published catalog (the public side). The current version of an item is its newest
 * `published` version whose `effective_from` is on or before today (Asia/Shanghai); `superseded`
 * and `withdrawn` versions are never current. Only this file queries the tables for the public
 * side; the write side has its own store.
 */

/** Statuses whose versions are readable by number: ever published (a withdrawn one is marked as such). */
export const READABLE_STATUSES = ['published', 'superseded', 'withdrawn'] as const;

export async function revision(db: Executor): Promise<number> {
  const row = await db.selectFrom('catalog_meta').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.revision);
}

/** What the in-memory index needs of one current version: its list columns and searchable texts, no full content. */
export interface IndexRow {
  version_id: string;
  item_id: string;
  version: number;
  implementation_code: string;
  basic_code: string;
  department_id: string;
  exercise_level: number;
  name: string;
  type: string;
  service_objects: string[];
  themes: string[];
  immediate: boolean;
  online: boolean;
  nearby: boolean;
  one_visit: boolean;
  legal_days: number;
  promised_days: number;
  visits_required: number;
  keywords: string[] | null;
  sub_item_names: string[] | null;
  handling_item_names: string[] | null;
  material_names: string[] | null;
  proof_ids: string[] | null;
  intermediary_ids: string[] | null;
  handling_forms: string[] | null;
}

/** The order of the values in the one JSON array each row of `currentItems` is read as. */
const INDEX_COLUMNS = [
  'version_id', 'item_id', 'version', 'implementation_code', 'basic_code', 'department_id', 'exercise_level', 'name', 'type',
  'service_objects', 'themes', 'immediate', 'online', 'nearby', 'one_visit', 'legal_days', 'promised_days', 'visits_required',
  'keywords', 'sub_item_names', 'handling_item_names', 'material_names', 'proof_ids', 'intermediary_ids', 'handling_forms',
] as const satisfies ReadonlyArray<keyof IndexRow>;

/** A published version that takes effect after `today`. */
export interface UpcomingRow {
  item_id: string;
  version: number;
  effective_from: string;
}

export interface ProofRow {
  id: string;
  code: string;
  name: string;
  legal_basis: string;
  requesting_unit: string;
  issuing_unit: string;
  guide: string;
  status: 'draft' | 'published' | 'withdrawn';
}

export interface IntermediaryRow {
  id: string;
  code: string;
  name: string;
  legal_basis: string;
  fee_standard: string;
  provider_requirements: string | null;
  status: 'draft' | 'published' | 'withdrawn';
}

export interface SnapshotData {
  revision: number;
  items: IndexRow[];
  upcoming: UpcomingRow[];
  proofs: ProofRow[];
  intermediaries: IntermediaryRow[];
  synonyms: Array<{ term: string; expansions: string[] }>;
}

const effectiveBy = (today: string) => sql<boolean>`(v.effective_from IS NULL OR v.effective_from <= ${today}::date)`;

/**
 * The current version of every item. Each row comes back as one JSON array in text, parsed here
 * once: on PGlite that costs about 40 % less than decoding two dozen columns, arrays and jsonb
 * values one by one (20,000 rows: see bench/catalog-search.bench.ts).
 */
async function currentItems(db: Executor, today: string): Promise<IndexRow[]> {
  // DISTINCT ON keeps the first row per item in the ORDER BY: the highest effective version.
  const result = await sql<{ j: string }>`
    SELECT DISTINCT ON (v.item_id) json_build_array(
      v.id, v.item_id, v.version, i.implementation_code, i.basic_code, i.department_id, i.exercise_level, v.name, v.type,
      v.service_objects, v.themes, v.immediate, v.online, v.nearby, v.one_visit, v.legal_days, v.promised_days, v.visits_required,
      v.content->'keywords',
      jsonb_path_query_array(v.content, '$.subItems[*].name'),
      jsonb_path_query_array(v.content, '$.handlingItems[*].name'),
      jsonb_path_query_array(v.content, '$.materials[*].name'),
      jsonb_path_query_array(v.content, '$.materials[*].proofId'),
      v.content->'intermediaryServiceIds',
      v.content->'handlingForms'
    )::text AS j
    FROM catalog_item_versions v
    JOIN catalog_items i ON i.id = v.item_id
    WHERE v.status = 'published' AND ${effectiveBy(today)}
    ORDER BY v.item_id, v.version DESC`.execute(db);
  return result.rows.map(({ j }) => {
    const values = JSON.parse(j) as unknown[];
    const row = {} as Record<string, unknown>;
    INDEX_COLUMNS.forEach((column, i) => (row[column] = values[i]));
    return row as unknown as IndexRow;
  });
}

/**
 * Everything the query service builds its index from, read in one repeatable-read transaction so
 * that the revision it reports is the revision of what it read.
 */
export async function loadSnapshot(db: Db, today: string): Promise<SnapshotData> {
  return db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
    const rev = await revision(tx);
    const items = await currentItems(tx, today);
    const upcoming = (
      await sql<UpcomingRow>`
        SELECT DISTINCT ON (v.item_id) v.item_id, v.version, v.effective_from
        FROM catalog_item_versions v
        WHERE v.status = 'published' AND v.effective_from > ${today}::date
        ORDER BY v.item_id, v.effective_from, v.version DESC`.execute(tx)
    ).rows;
    const proofs = await tx
      .selectFrom('catalog_proofs')
      .select(['id', 'code', 'name', 'legal_basis', 'requesting_unit', 'issuing_unit', 'guide', 'status'])
      .where('status', '!=', 'draft')
      .orderBy('code')
      .execute();
    const intermediaries = await tx
      .selectFrom('catalog_intermediaries')
      .select(['id', 'code', 'name', 'legal_basis', 'fee_standard', 'provider_requirements', 'status'])
      .where('status', '!=', 'draft')
      .orderBy('code')
      .execute();
    const synonyms = await tx.selectFrom('catalog_synonyms').select(['term', 'expansions']).orderBy('term').execute();
    return { revision: rev, items, upcoming, proofs, intermediaries, synonyms };
  });
}

/** One version with its content, for a guide. */
export interface VersionRow {
  version_id: string;
  item_id: string;
  implementation_code: string;
  basic_code: string;
  department_id: string;
  exercise_level: number;
  version: number;
  status: 'draft' | 'in_review' | 'published' | 'superseded' | 'withdrawn';
  effective_from: string | null;
  published_at: Date | null;
  withdrawn_at: Date | null;
  content: unknown;
}

function versionQuery(db: Executor) {
  return db
    .selectFrom('catalog_item_versions as v')
    .innerJoin('catalog_items as i', 'i.id', 'v.item_id')
    .select([
      'v.id as version_id',
      'v.item_id',
      'i.implementation_code',
      'i.basic_code',
      'i.department_id',
      'i.exercise_level',
      'v.version',
      'v.status',
      'v.effective_from',
      'v.published_at',
      'v.withdrawn_at',
      'v.content',
    ]);
}

/** A version's own row, without its item (the caller knows the item): the guide's hot path, one primary-key lookup. */
export type VersionOnlyRow = Pick<VersionRow, 'version_id' | 'item_id' | 'version' | 'status' | 'effective_from' | 'published_at' | 'withdrawn_at' | 'content'>;

export function versionById(db: Executor, versionId: string): Promise<VersionOnlyRow | undefined> {
  return db
    .selectFrom('catalog_item_versions')
    .select(['id as version_id', 'item_id', 'version', 'status', 'effective_from', 'published_at', 'withdrawn_at', 'content'])
    .where('id', '=', versionId)
    .executeTakeFirst();
}

/** A version by number, only if it was ever published (drafts and versions in review are not public). */
export function readableVersion(db: Executor, implementationCode: string, version: number): Promise<VersionRow | undefined> {
  return versionQuery(db)
    .where('i.implementation_code', '=', implementationCode)
    .where('v.version', '=', version)
    .where('v.status', 'in', READABLE_STATUSES)
    .executeTakeFirst();
}

export async function itemExists(db: Executor, implementationCode: string): Promise<boolean> {
  return (await db.selectFrom('catalog_items').select('id').where('implementation_code', '=', implementationCode).executeTakeFirst()) !== undefined;
}

/** Every current version with its content, for the export (same rule as the index), with the revision read alongside. */
export async function exportRows(db: Db, today: string): Promise<{ revision: number; rows: VersionRow[] }> {
  return db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
    const rev = await revision(tx);
    const result = await sql<VersionRow>`
      SELECT DISTINCT ON (v.item_id)
        v.id AS version_id, v.item_id, i.implementation_code, i.basic_code, i.department_id, i.exercise_level,
        v.version, v.status, v.effective_from, v.published_at, v.withdrawn_at, v.content
      FROM catalog_item_versions v
      JOIN catalog_items i ON i.id = v.item_id
      WHERE v.status = 'published' AND ${effectiveBy(today)}
      ORDER BY v.item_id, v.version DESC`.execute(tx);
    return { revision: rev, rows: result.rows };
  });
}
