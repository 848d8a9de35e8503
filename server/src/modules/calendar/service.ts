import type { Db } from '../../platform/db/database.js';
import { recordAudit, type AuditActor } from '../../platform/audit/audit.js';
import { invalidInput, type FieldErrorSpec } from '../../platform/http/errors.js';
import { CalendarErrors, CalendarFieldCodes } from './errors.js';
import type { DayCorrection, YearInput } from './schemas.js';
import * as store from './store.js';
import { buildYear, isRealDate, isWeekend, WorkingDayIndex, type CalendarDay } from './working-days.js';

/** How stale another instance's change may be before this one notices it. */
const REFRESH_INTERVAL_MS = 1000;

/**
 * The working-day calendar (工作日历). Reads are served from an in-memory index; the stored
 * calendar carries a revision number, checked at most once a second, so a correction made
 * through any instance reaches every instance within that second.
 */
export class CalendarService {
  private index = new WorkingDayIndex([]);
  private loadedRevision = -1;
  private checkedAt = 0;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

  /** Brings the index up to date if the stored calendar changed (shared by concurrent callers). */
  async current(): Promise<WorkingDayIndex> {
    if (this.now() - this.checkedAt >= REFRESH_INTERVAL_MS) {
      this.refreshing ??= this.refresh().finally(() => {
        this.refreshing = null;
      });
      await this.refreshing;
    }
    return this.index;
  }

  private async refresh(): Promise<void> {
    const revision = await store.revision(this.db);
    if (revision !== this.loadedRevision) {
      const days = await store.allDays(this.db);
      this.index = new WorkingDayIndex(days);
      this.loadedRevision = revision;
    }
    this.checkedAt = this.now();
  }

  /**
   * The calendar as it stands now, fixed: a view whose reads never go to the database. For work
   * inside a transaction: on PGlite the transaction holds the only connection, and a refresh
   * falling due there would wait for it forever.
   */
  async pinned(): Promise<CalendarService> {
    const index = await this.current();
    const view = Object.create(this) as CalendarService;
    view.current = () => Promise.resolve(index);
    return view;
  }

  /** Forces the next read to look at the database (after a change made by this instance). */
  private invalidate(): void {
    this.checkedAt = 0;
  }

  async day(date: string): Promise<CalendarDay> {
    assertDate(date, 'date');
    const result = (await this.current()).day(date);
    if ('missingYear' in result) throw CalendarErrors.calendar_not_published({ year: result.missingYear });
    return result.day;
  }

  async deadline(from: string, workdays: number): Promise<string> {
    assertDate(from, 'from');
    const result = (await this.current()).deadline(from, workdays);
    if ('missingYear' in result) throw CalendarErrors.calendar_not_published({ year: result.missingYear });
    return result.deadline;
  }

  /** Working days in (`from`, `to`]; 422 `calendar_not_published` when a year in between is not loaded. */
  async workdaysBetween(from: string, to: string): Promise<number> {
    assertDate(from, 'from');
    assertDate(to, 'to');
    const result = (await this.current()).workdaysBetween(from, to);
    if ('missingYear' in result) throw CalendarErrors.calendar_not_published({ year: result.missingYear });
    return result.workdays;
  }

  async listYears() {
    const rows = await store.listYears(this.db);
    return rows.map((r) => ({ year: r.year, source: r.source, loadedAt: r.loaded_at.toISOString(), holidays: Number(r.holidays), makeUpWorkdays: Number(r.make_up_workdays) }));
  }

  async exportYear(year: number): Promise<YearInput> {
    const meta = await store.findYear(this.db, year);
    if (!meta) throw CalendarErrors.calendar_not_published({ year });
    const days = await store.yearDays(this.db, year);
    return {
      year,
      source: meta.source,
      holidays: days.filter((d) => !d.workday && d.name !== null).map((d) => ({ date: d.date, name: d.name! })),
      workdays: days.filter((d) => d.workday && isWeekend(d.date)).map((d) => ({ date: d.date, name: d.name ?? '调休上班' })),
    };
  }

  /** Loads or replaces one year from its published holidays and make-up working days. */
  async loadYear(actor: AuditActor, input: YearInput): Promise<void> {
    validateYear(input);
    const days = buildYear(input.year, input.holidays, input.workdays);
    await this.db.transaction().execute(async (tx) => {
      await store.replaceYear(tx, input.year, input.source, actor.id, days);
      await store.bumpRevision(tx);
      await recordAudit(tx, actor, {
        action: 'calendar.year.loaded',
        targetType: 'calendar_year',
        targetId: String(input.year),
        detail: { source: input.source, holidays: input.holidays.length, workdays: input.workdays.length },
      });
    });
    this.invalidate();
  }

  /** Corrects one day of a loaded year (a late notice, a local arrangement). */
  async correctDay(actor: AuditActor, date: string, correction: DayCorrection): Promise<CalendarDay> {
    assertDate(date, 'date');
    const year = Number(date.slice(0, 4));
    if (!(await store.findYear(this.db, year))) throw CalendarErrors.calendar_not_published({ year });
    // A day that departs from Mon-Fri must say what it is (holiday or make-up day).
    const departs = correction.workday === isWeekend(date);
    const name = correction.name ?? (departs ? (correction.workday ? '调休上班' : '休息日') : null);
    const day: CalendarDay = { date, workday: correction.workday, name };
    await this.db.transaction().execute(async (tx) => {
      await store.updateDay(tx, day);
      await store.bumpRevision(tx);
      await recordAudit(tx, actor, { action: 'calendar.day.corrected', targetType: 'calendar_day', targetId: date, detail: { workday: day.workday, name: day.name, reason: correction.reason } });
    });
    this.invalidate();
    return day;
  }
}

function assertDate(date: string, field: string): void {
  if (!isRealDate(date)) throw invalidInput([{ field, code: CalendarFieldCodes.invalid_date }]);
}

function validateYear(input: YearInput): void {
  const errors: FieldErrorSpec[] = [];
  const seen = new Set<string>();
  const check = (list: 'holidays' | 'workdays') =>
    input[list].forEach((d, i) => {
      const field = `${list}[${i}].date`;
      if (!isRealDate(d.date)) errors.push({ field, code: CalendarFieldCodes.invalid_date });
      else if (!d.date.startsWith(`${input.year}-`)) errors.push({ field, code: CalendarFieldCodes.date_outside_year });
      else if (seen.has(d.date)) errors.push({ field, code: CalendarFieldCodes.duplicate_date });
      else if (list === 'workdays' && !isWeekend(d.date)) errors.push({ field, code: CalendarFieldCodes.makeup_not_weekend });
      seen.add(d.date);
    });
  check('holidays');
  check('workdays');
  if (errors.length > 0) throw invalidInput(errors);
}
