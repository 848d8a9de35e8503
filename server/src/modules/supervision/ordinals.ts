import type { Executor } from '../../platform/db/database.js';
import type { CalendarService } from '../calendar/service.js';
import { isCalendarGap } from '../cases/clock.js';

/**
 * Working days as ordinals: ord(d) = working days in (epoch, d]. The difference of two ordinals is
 * the calendar's `workdaysBetween`, so the projection stores them once and the sweep compares a
 * million open cases with integer arithmetic in SQL. The epoch is the first day of the earliest
 * year loaded when supervision first ran, kept in `supervision_meta`; were an earlier year loaded
 * later, the epoch stays (dates before it have no ordinal and count as unknown).
 */
export class WorkdayOrdinals {
  private constructor(private readonly calendar: CalendarService, readonly epoch: string) {}

  static async open(db: Executor, calendar: CalendarService): Promise<WorkdayOrdinals | null> {
    const stored = await db.selectFrom('supervision_meta').select('value').where('key', '=', 'epoch').executeTakeFirst();
    if (stored) return new WorkdayOrdinals(calendar, stored.value);
    const years = (await calendar.current()).loadedYears();
    if (years.length === 0) return null;
    const epoch = `${Math.min(...years) - 1}-12-31`;
    await db.insertInto('supervision_meta').values({ key: 'epoch', value: epoch }).onConflict((oc) => oc.column('key').doNothing()).execute();
    const row = await db.selectFrom('supervision_meta').select('value').where('key', '=', 'epoch').executeTakeFirstOrThrow();
    return new WorkdayOrdinals(calendar, row.value);
  }

  /** The ordinal of a civil date; null when the calendar lacks a year in between or the date is before the epoch. */
  async of(date: string | null | undefined): Promise<number | null> {
    if (!date || date <= this.epoch) return null;
    try {
      return await this.calendar.workdaysBetween(this.epoch, date);
    } catch (error) {
      if (isCalendarGap(error)) return null;
      throw error;
    }
  }
}
