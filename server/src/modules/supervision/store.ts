import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export interface Scope {
  departmentId: string | null;
  /** Region path prefix; null for the whole city. */
  regionPath: string | null;
}

export type Grouping = 'total' | 'department' | 'item' | 'region' | 'bucket';

export interface RollupRow {
  grouping: Grouping;
  key: string | null;
  item_name: string | null;
  received: number;
  online_received: number;
  accepted: number;
  not_accepted: number;
  corrections: number;
  decided: number;
  decided_on_time: number;
  denied: number;
  instant: number;
  commitment: number;
  handling_days_sum: number;
  handling_counted: number;
  real_estate_decided: number;
  real_estate_within_hour: number;
  enterprise_decided: number;
  enterprise_days_sum: number;
  enterprise_within_target: number;
}

const SUMS = [
  'received', 'online_received', 'accepted', 'not_accepted', 'corrections', 'decided', 'decided_on_time', 'denied', 'instant', 'commitment',
  'handling_days_sum', 'handling_counted', 'real_estate_decided', 'real_estate_within_hour', 'enterprise_decided', 'enterprise_days_sum', 'enterprise_within_target',
] as const;

function scopeSql(scope: Scope) {
  const parts = [sql`true`];
  if (scope.departmentId) parts.push(sql`department_id = ${scope.departmentId}`);
  if (scope.regionPath) parts.push(sql`(region_path = ${scope.regionPath} OR region_path LIKE ${`${scope.regionPath}/%`})`);
  return sql.join(parts, sql` AND `);
}

/**
 * The roll-ups of a period and scope in ONE statement: the totals, and the same sums by
 * department, by item, by region and by time bucket (GROUPING SETS), over the daily rows only.
 */
export async function rollups(db: Executor, from: string, to: string, scope: Scope, bucket: 'day' | 'month'): Promise<RollupRow[]> {
  const bucketExpr = bucket === 'day' ? sql`to_char(day, 'YYYY-MM-DD')` : sql`to_char(day, 'YYYY-MM')`;
  const sums = sql.join(SUMS.map((c) => sql`coalesce(sum(${sql.ref(c)}), 0)::float8 AS ${sql.ref(c)}`), sql`, `);
  const { rows } = await sql<RollupRow & { g_dept: number; g_item: number; g_region: number; g_bucket: number; department_id: string | null; item_code: string | null; region_path: string | null; bucket: string | null }>`
    SELECT department_id::text AS department_id, item_code, region_path, ${bucketExpr} AS bucket,
      GROUPING(department_id) AS g_dept, GROUPING(item_code) AS g_item, GROUPING(region_path) AS g_region, GROUPING(${bucketExpr}) AS g_bucket, max(item_name) AS item_name,
      ${sums}
    FROM supervision_daily
    WHERE day BETWEEN ${from}::date AND ${to}::date AND ${scopeSql(scope)}
    GROUP BY GROUPING SETS ((), (department_id), (item_code), (region_path), (${bucketExpr}))`.execute(db);
  return rows.map((r) => {
    const grouping: Grouping = r.g_dept === 0 ? 'department' : r.g_item === 0 ? 'item' : r.g_region === 0 ? 'region' : r.g_bucket === 0 ? 'bucket' : 'total';
    const key = grouping === 'department' ? r.department_id : grouping === 'item' ? r.item_code : grouping === 'region' ? r.region_path : grouping === 'bucket' ? r.bucket : null;
    const out = { grouping, key, item_name: r.item_name } as RollupRow;
    for (const c of SUMS) (out as unknown as Record<string, number>)[c] = Number(r[c]);
    return out;
  });
}

/** The handling-time histogram of a period and scope: working days → cases decided. */
export async function durations(db: Executor, from: string, to: string, scope: Scope): Promise<Array<{ workdays: number; cases: number }>> {
  const { rows } = await sql<{ workdays: number; cases: string }>`
    SELECT workdays, sum(cases)::bigint AS cases FROM supervision_daily_durations
    WHERE day BETWEEN ${from}::date AND ${to}::date AND ${scopeSql(scope)}
    GROUP BY workdays ORDER BY workdays`.execute(db);
  return rows.map((r) => ({ workdays: Number(r.workdays), cases: Number(r.cases) }));
}

export function factScope(scope: Scope): Expression<SqlBool> {
  return scopeSql(scope) as unknown as Expression<SqlBool>;
}
