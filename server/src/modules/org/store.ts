import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { RegionLevel } from '../../platform/db/schema.js';

export function findRegion(db: Executor, code: string) {
  return db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
}

export function listRegions(db: Executor) {
  return db.selectFrom('regions').selectAll().orderBy('path').execute();
}

export function insertRegion(db: Executor, row: { code: string; name: string; level: RegionLevel; parent_code: string | null; path: string }) {
  return db.insertInto('regions').values(row).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
}

export function renameRegion(db: Executor, code: string, name: string) {
  return db.updateTable('regions').set({ name }).where('code', '=', code).returningAll().executeTakeFirst();
}

const departmentColumns = [
  'departments.id',
  'departments.name',
  'departments.credit_code',
  'departments.region_code',
  'departments.active',
  'regions.name as region_name',
  'regions.path as region_path',
] as const;

export type DepartmentRow = NonNullable<Awaited<ReturnType<typeof findDepartment>>>;

export function findDepartment(db: Executor, id: string) {
  return db
    .selectFrom('departments')
    .innerJoin('regions', 'regions.code', 'departments.region_code')
    .select(departmentColumns)
    .where('departments.id', '=', id)
    .executeTakeFirst();
}

/**
 * The department as one jsonb value of the `findDepartment` row (null when there is none), an
 * expression for another statement (OrgService.departmentSelection).
 */
export function departmentJson(id: string): RawBuilder<DepartmentRow | null> {
  return sql<DepartmentRow | null>`(SELECT jsonb_build_object('id', d.id, 'name', d.name, 'credit_code', d.credit_code, 'region_code', d.region_code, 'active', d.active, 'region_name', r.name, 'region_path', r.path)
    FROM departments d JOIN regions r ON r.code = d.region_code WHERE d.id = ${id})`;
}

export function listDepartments(db: Executor, regionPath?: string) {
  let q = db.selectFrom('departments').innerJoin('regions', 'regions.code', 'departments.region_code').select(departmentColumns);
  if (regionPath) q = q.where((eb) => eb.or([eb('regions.path', '=', regionPath), eb('regions.path', 'like', `${regionPath}/%`)]));
  return q.orderBy('regions.path').orderBy('departments.name').execute();
}

export function insertDepartment(db: Executor, row: { name: string; credit_code: string; region_code: string }) {
  return db.insertInto('departments').values(row).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
}

export function updateDepartment(db: Executor, id: string, patch: { name?: string; active?: boolean }) {
  return db.updateTable('departments').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returning('id').executeTakeFirst();
}

export function listHalls(db: Executor) {
  return db.selectFrom('halls').selectAll().orderBy('region_code').orderBy('name').execute();
}

/** One hall with its region's path (null when there is none). */
export function findHallWithPath(db: Executor, id: string) {
  return db.selectFrom('halls').innerJoin('regions', 'regions.code', 'halls.region_code').selectAll('halls').select('regions.path as region_path').where('halls.id', '=', id).executeTakeFirst();
}

/** The halls of a region and of every region below it. */
export function listHallsWithin(db: Executor, regionPath: string) {
  return db
    .selectFrom('halls')
    .innerJoin('regions', 'regions.code', 'halls.region_code')
    .selectAll('halls')
    .where((eb) => eb.or([eb('regions.path', '=', regionPath), eb('regions.path', 'like', `${regionPath}/%`)]))
    .orderBy('halls.region_code')
    .orderBy('halls.name')
    .execute();
}

export function insertHall(db: Executor, row: { name: string; region_code: string; address: string; phone: string | null; opening_hours: string | null }) {
  return db.insertInto('halls').values(row).returningAll().executeTakeFirstOrThrow();
}
