import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { CalendarDay } from './working-days.js';

export async function revision(db: Executor): Promise<number> {
  const row = await db.selectFrom('calendar_meta').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.revision);
}

export function bumpRevision(db: Executor) {
  return db.updateTable('calendar_meta').set((eb) => ({ revision: eb('revision', '+', 1) })).where('id', '=', 1).execute();
}

export async function allDays(db: Executor): Promise<CalendarDay[]> {
  return db.selectFrom('calendar_days').select(['day as date', 'workday', 'name']).execute();
}

export function listYears(db: Executor) {
  return db
    .selectFrom('calendar_years')
    .leftJoin('calendar_days', (join) => join.on(sql`extract(year from calendar_days.day)::int`, '=', sql.ref('calendar_years.year')))
    .select((eb) => [
      'calendar_years.year',
      'calendar_years.source',
      'calendar_years.loaded_at',
      eb.fn.count<number>('calendar_days.day').filterWhere(sql<boolean>`calendar_days.name IS NOT NULL AND NOT calendar_days.workday`).as('holidays'),
      eb.fn.count<number>('calendar_days.day').filterWhere(sql<boolean>`calendar_days.name IS NOT NULL AND calendar_days.workday`).as('make_up_workdays'),
    ])
    .groupBy(['calendar_years.year', 'calendar_years.source', 'calendar_years.loaded_at'])
    .orderBy('calendar_years.year')
    .execute();
}

export function findYear(db: Executor, year: number) {
  return db.selectFrom('calendar_years').selectAll().where('year', '=', year).executeTakeFirst();
}

export async function replaceYear(db: Executor, year: number, source: string, loadedBy: string | null, days: CalendarDay[]) {
  await db.deleteFrom('calendar_days').where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).execute();
  await db.insertInto('calendar_days').values(days.map((d) => ({ day: d.date, workday: d.workday, name: d.name }))).execute();
  await db
    .insertInto('calendar_years')
    .values({ year, source, loaded_at: new Date(), loaded_by: loadedBy })
    .onConflict((oc) => oc.column('year').doUpdateSet({ source, loaded_at: new Date(), loaded_by: loadedBy }))
    .execute();
}

export function yearDays(db: Executor, year: number) {
  return db
    .selectFrom('calendar_days')
    .select(['day as date', 'workday', 'name'])
    .where('day', '>=', `${year}-01-01`)
    .where('day', '<=', `${year}-12-31`)
    .orderBy('day')
    .execute();
}

export function updateDay(db: Executor, day: CalendarDay) {
  return db.updateTable('calendar_days').set({ workday: day.workday, name: day.name }).where('day', '=', day.date).execute();
}
