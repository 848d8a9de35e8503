/**
 * Synthetic supervision history, written straight into supervision's own tables with set-based
 * SQL (generate_series): the bench's 10 million cases, and the demo's months of history so the
 * dashboard is not empty. Never case rows: nothing here pretends a case was filed.
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { WorkdayOrdinals } from './ordinals.js';

export interface SyntheticOptions {
  prefix: string;
  departments: ReadonlyArray<{ id: string; regionPath: string }>;
  itemsPerDepartment: number;
  /** Decided cases spread over the working days before `today`. */
  decided: number;
  /** Open cases accepted in the last working days, some in time, some near or past their deadline. */
  open: number;
  /** Working days of history. */
  workdays: number;
  today: string;
}

/** The last `count` working days up to `today`, with their ordinals: a date is a working day when its ordinal is above the day before's. */
async function workdayList(ordinals: WorkdayOrdinals, today: string, count: number): Promise<{ days: string[]; ords: number[] }> {
  const days: string[] = [];
  const ords: number[] = [];
  const d = new Date(`${today}T00:00:00Z`);
  let ord = await ordinals.of(today);
  while (days.length < count && ord !== null) {
    d.setUTCDate(d.getUTCDate() - 1);
    const before = await ordinals.of(d.toISOString().slice(0, 10));
    const date = new Date(d.getTime() + 86_400_000).toISOString().slice(0, 10);
    if (before === null || before !== ord) {
      days.push(date);
      ords.push(ord);
    }
    if (before === null) break;
    ord = before;
  }
  return { days: days.reverse(), ords: ords.reverse() };
}

export async function generateSynthetic(db: Executor, ordinals: WorkdayOrdinals, o: SyntheticOptions): Promise<{ facts: number; workdays: number }> {
  const { days, ords } = await workdayList(ordinals, o.today, o.workdays);
  const deptIds = o.departments.map((d) => d.id);
  const paths = o.departments.map((d) => d.regionPath);
  const nd = o.departments.length;
  const k = o.itemsPerDepartment;
  const nDays = days.length;
  // a decision takes at most 19 working days here: accepted early enough to be decided by today
  if (nDays < 25) throw new Error('generateSynthetic: at least 25 working days of calendar are needed');
  // decided cases: accepted on day i, handled in h working days (about 1 in 8 beyond the limit)
  await sql`
    WITH wd AS (SELECT * FROM unnest(${days}::date[], ${ords}::int[]) WITH ORDINALITY AS t(day, ord, i)),
    dep AS (SELECT * FROM unnest(${deptIds}::uuid[], ${paths}::text[]) WITH ORDINALITY AS t(id, path, j)),
    g AS (
      SELECT n, 1 + (n % greatest(1, ${nDays} - 20)) AS di, 1 + ((n / 7) % ${nd}) AS dj, (n / 3) % ${k} AS item,
        5 * (1 + n % 3) AS promised, (n * 2654435761::bigint) % 1000 AS r
      FROM generate_series(1, ${o.decided}::bigint) AS n
    ),
    h AS (SELECT g.*, CASE WHEN r < 120 THEN promised + 1 + r % 4 ELSE (r % (promised + 1)) END AS handling FROM g)
    INSERT INTO supervision_case_facts (case_number, item_code, item_name, department_id, region_path, channel, case_kind, applicant_kind, promised_days,
      status, open, submitted_at, submitted_on, accepted_at, accepted_on, accepted_ord, decided_at, decided_on, deadline, deadline_ord,
      handling_workdays, instant, commitment, corrected, refused, decision, on_time, last_event_id)
    SELECT ${o.prefix} || 'D' || h.n, ${o.prefix} || '-' || h.dj || '-' || h.item, '演示事项' || h.item, dep.id, dep.path,
      CASE WHEN h.r % 10 < 7 THEN 'online' ELSE 'window' END, '2', CASE WHEN h.r % 5 = 0 THEN 'legal' ELSE 'natural' END, h.promised,
      CASE WHEN h.r % 20 = 0 THEN 'denied' ELSE 'approved' END, false,
      a.day + time '09:30' - interval '8 hours', a.day, a.day + time '10:00' - interval '8 hours', a.day, a.ord,
      e.day + time '15:00' - interval '8 hours', e.day, dl.day, a.ord + h.promised,
      h.handling, h.r % 25 = 0, h.r % 9 = 0, h.r % 11 = 0, false,
      CASE WHEN h.r % 20 = 0 THEN 'denied' ELSE 'approved' END, h.handling <= h.promised, 0
    FROM h JOIN wd a ON a.i = h.di JOIN dep ON dep.j = h.dj
      JOIN wd e ON e.ord = a.ord + h.handling
      LEFT JOIN wd dl ON dl.ord = a.ord + h.promised
    ON CONFLICT (case_number) DO NOTHING`.execute(db);
  // open cases: limits of 5-15 working days, accepted up to limit + 1 working days ago (about a
  // third near or past their deadline, as a busy day's backlog would be)
  await sql`
    WITH wd AS (SELECT * FROM unnest(${days}::date[], ${ords}::int[]) WITH ORDINALITY AS t(day, ord, i)),
    dep AS (SELECT * FROM unnest(${deptIds}::uuid[], ${paths}::text[]) WITH ORDINALITY AS t(id, path, j)),
    g AS (
      SELECT n, ${nDays} - ((n * 2654435761::bigint) % 1000) % (5 * (1 + n % 3) + 2) AS di, 1 + ((n / 7) % ${nd}) AS dj, (n / 3) % ${k} AS item,
        5 * (1 + n % 3) AS promised, (n * 2654435761::bigint) % 1000 AS r
      FROM generate_series(1, ${o.open}::bigint) AS n
    )
    INSERT INTO supervision_case_facts (case_number, item_code, item_name, department_id, region_path, channel, case_kind, applicant_kind, promised_days,
      status, open, submitted_at, submitted_on, accepted_at, accepted_on, accepted_ord, deadline, deadline_ord, handler_id, last_event_id)
    SELECT ${o.prefix} || 'O' || g.n, ${o.prefix} || '-' || g.dj || '-' || g.item, '演示事项' || g.item, dep.id, dep.path,
      CASE WHEN g.r % 10 < 7 THEN 'online' ELSE 'window' END, '2', 'natural', g.promised,
      CASE WHEN g.r % 10 = 0 THEN 'accepted' ELSE 'in_review' END, true,
      a.day + time '09:30' - interval '8 hours', a.day, a.day + time '10:00' - interval '8 hours', a.day, a.ord,
      a.day + (g.promised * 7 / 5)::int, a.ord + g.promised, NULL, 0
    FROM g JOIN wd a ON a.i = g.di JOIN dep ON dep.j = g.dj
    ON CONFLICT (case_number) DO NOTHING`.execute(db);
  // the roll-ups, from what was just written (received by filing day, decisions by decision day)
  const like = `${o.prefix}%`;
  await sql`
    INSERT INTO supervision_daily AS s (day, department_id, item_code, region_path, item_name, received, online_received, accepted, corrections,
      decided, decided_on_time, denied, instant, commitment, handling_days_sum, handling_counted)
    SELECT submitted_on, department_id, item_code, region_path, max(item_name), count(*), count(*) FILTER (WHERE channel = 'online'), count(*), count(*) FILTER (WHERE corrected),
      0, 0, 0, 0, 0, 0, 0
    FROM supervision_case_facts WHERE case_number LIKE ${like} GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, department_id, item_code, region_path) DO UPDATE SET received = s.received + excluded.received,
      online_received = s.online_received + excluded.online_received, accepted = s.accepted + excluded.accepted, corrections = s.corrections + excluded.corrections`.execute(db);
  await sql`
    INSERT INTO supervision_daily AS s (day, department_id, item_code, region_path, item_name, decided, decided_on_time, denied, instant, commitment, handling_days_sum, handling_counted)
    SELECT decided_on, department_id, item_code, region_path, max(item_name), count(*), count(*) FILTER (WHERE on_time), count(*) FILTER (WHERE decision = 'denied'),
      count(*) FILTER (WHERE instant), count(*) FILTER (WHERE commitment), sum(handling_workdays), count(*)
    FROM supervision_case_facts WHERE case_number LIKE ${like} AND decided_on IS NOT NULL GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, department_id, item_code, region_path) DO UPDATE SET decided = s.decided + excluded.decided, decided_on_time = s.decided_on_time + excluded.decided_on_time,
      denied = s.denied + excluded.denied, instant = s.instant + excluded.instant, commitment = s.commitment + excluded.commitment,
      handling_days_sum = s.handling_days_sum + excluded.handling_days_sum, handling_counted = s.handling_counted + excluded.handling_counted`.execute(db);
  await sql`
    INSERT INTO supervision_daily_durations AS s (day, department_id, item_code, region_path, workdays, cases)
    SELECT decided_on, department_id, item_code, region_path, handling_workdays, count(*)
    FROM supervision_case_facts WHERE case_number LIKE ${like} AND decided_on IS NOT NULL GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (day, department_id, item_code, region_path, workdays) DO UPDATE SET cases = s.cases + excluded.cases`.execute(db);
  return { facts: o.decided + o.open, workdays: nDays };
}
