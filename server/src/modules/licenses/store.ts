import { CompiledQuery, sql, type Insertable, type RawBuilder, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { LicenseHistoryTable, LicenseTable, LicenseTypeTable } from '../../platform/db/schema.js';
import type { SealRow } from './seals.js';

export type LicenseRow = Selectable<LicenseTable>;
export type LicenseTypeRow = Selectable<LicenseTypeTable>;
export type HistoryRow = Selectable<LicenseHistoryTable>;

export function typeByCode(db: Executor, code: string): Promise<LicenseTypeRow | undefined> {
  return db.selectFrom('license_types').selectAll().where('code', '=', code).executeTakeFirst();
}

export function typeById(db: Executor, id: string): Promise<LicenseTypeRow | undefined> {
  return db.selectFrom('license_types').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listTypes(db: Executor): Promise<LicenseTypeRow[]> {
  return db.selectFrom('license_types').selectAll().orderBy('code').execute();
}

export function sealById(db: Executor, id: string): Promise<SealRow | undefined> {
  return db.selectFrom('license_seals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The department's seal that signs now: the newest active one. */
export function activeSeal(db: Executor, departmentId: string): Promise<SealRow | undefined> {
  return db
    .selectFrom('license_seals')
    .selectAll()
    .where('department_id', '=', departmentId)
    .where('status', '=', 'active')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .executeTakeFirst();
}

export function listSeals(db: Executor, departmentId: string | undefined): Promise<SealRow[]> {
  let q = db.selectFrom('license_seals').selectAll().orderBy('department_id').orderBy('created_at', 'desc');
  if (departmentId) q = q.where('department_id', '=', departmentId);
  return q.execute();
}

/**
 * What issuing on a case's approval reads, in one statement where it took four: the department's
 * signing seal (`activeSeal`), the types named, `serialCount` fresh serials, and the department
 * itself as the org module selects it (`OrgService.departmentSelection`). Rows come back as JSON,
 * their timestamps revived.
 */
export async function issuanceContext(db: Executor, departmentId: string, typeCodes: readonly string[], serialCount: number, department: RawBuilder<unknown>): Promise<{ seal: SealRow | undefined; types: LicenseTypeRow[]; serials: string[]; department: unknown }> {
  const { rows } = await sql<{ seal: Record<string, unknown> | null; types: Array<Record<string, unknown>>; serials: Array<string | number>; department: unknown }>`
    SELECT (SELECT to_jsonb(s) FROM license_seals s WHERE s.department_id = ${departmentId} AND s.status = 'active' ORDER BY s.created_at DESC, s.id LIMIT 1) AS seal,
           COALESCE((SELECT jsonb_agg(t) FROM license_types t WHERE t.code IN (${sql.join(typeCodes.length > 0 ? typeCodes : [''])})), '[]'::jsonb) AS types,
           ARRAY(SELECT nextval('license_serials')::text FROM generate_series(1, ${serialCount})) AS serials,
           ${department} AS department`.execute(db);
  const row = rows[0]!;
  const at = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  const seal = row.seal ? ({ ...row.seal, created_at: at(row.seal.created_at), retired_at: at(row.seal.retired_at) } as unknown as SealRow) : undefined;
  const types = row.types.map((t) => ({ ...t, created_at: at(t.created_at), updated_at: at(t.updated_at) }) as unknown as LicenseTypeRow);
  return { seal, types, serials: row.serials.map((n) => String(n).padStart(12, '0')), department: row.department };
}

/** `count` fresh serials from the sequence (any instance, no lock). */
export async function nextSerials(db: Executor, count: number): Promise<string[]> {
  const { rows } = await sql<{ n: string | number }>`SELECT nextval('license_serials') AS n FROM generate_series(1, ${count})`.execute(db);
  return rows.map((r) => String(r.n).padStart(12, '0'));
}

/**
 * The verification read, as one precompiled statement: verification is the public hot path and
 * Kysely's query building is a third of a row read's cost on PGlite.
 */
export async function forVerification(db: Executor, licenseId: string): Promise<LicenseRow | undefined> {
  const result = await db.executeQuery<LicenseRow>(CompiledQuery.raw('SELECT * FROM licenses WHERE license_id = $1', [licenseId]));
  return result.rows[0];
}

export function byLicenseId(db: Executor, licenseId: string): Promise<LicenseRow | undefined> {
  return db.selectFrom('licenses').selectAll().where('license_id', '=', licenseId).executeTakeFirst();
}

export function lockByLicenseId(db: Executor, licenseId: string): Promise<LicenseRow | undefined> {
  return db.selectFrom('licenses').selectAll().where('license_id', '=', licenseId).forUpdate().executeTakeFirst();
}

export function heldBy(db: Executor, identifier: string): Promise<LicenseRow[]> {
  return db.selectFrom('licenses').selectAll().where('holder_identifier', '=', identifier).orderBy('issued_on', 'desc').orderBy('license_id').execute();
}

export function issuedBy(db: Executor, departmentId: string | undefined, limit: number): Promise<LicenseRow[]> {
  let q = db.selectFrom('licenses').selectAll().orderBy('created_at', 'desc').orderBy('license_id').limit(limit);
  if (departmentId) q = q.where('issuer_department_id', '=', departmentId);
  return q.execute();
}

/**
 * Inserts licenses and their first history entries in one statement (one round trip where an
 * approval's issuance took two); the history's foreign keys are checked at the end of the
 * statement, when the licenses are there. The rows must carry their `id`.
 */
export async function insertLicenses(db: Executor, rows: Array<Insertable<LicenseTable>>, history: Array<Insertable<LicenseHistoryTable>>): Promise<LicenseRow[]> {
  if (rows.length === 0) return [];
  return db.with('history', (q) => q.insertInto('license_history').values(history)).insertInto('licenses').values(rows).returningAll().execute();
}

export async function insertHistory(db: Executor, rows: Array<Insertable<LicenseHistoryTable>>): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('license_history').values(rows).execute();
}

export function historyOf(db: Executor, id: string): Promise<HistoryRow[]> {
  return db.selectFrom('license_history').selectAll().where('license_id', '=', id).orderBy('id').execute();
}
