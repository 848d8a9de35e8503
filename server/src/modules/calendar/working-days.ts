/**
 * The in-memory working-day index. Deadlines are computed here with a binary search over the
 * sorted list of working days, never by walking the calendar day by day (in memory or in SQL).
 * Pure: no database, no clock; the service rebuilds it whenever the stored calendar changes.
 */

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date (UTC, so no time zone can shift it). */
export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * 'YYYY-MM-DD' of a day number, by integer arithmetic (Howard Hinnant's civil_from_days): on the
 * deadline hot path this is several times faster than formatting a Date.
 */
export function dateOf(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(dayOfMonth)}`;
}

export function isRealDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && dateOf(dayNumber(date)) === date;
}

export function isWeekend(date: string): boolean {
  const weekday = new Date(dayNumber(date) * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6;
}

export interface CalendarDay {
  date: string;
  workday: boolean;
  name: string | null;
}

export type DeadlineResult = { deadline: string } | { missingYear: number };
export type DayResult = { day: CalendarDay } | { missingYear: number };

export class WorkingDayIndex {
  /** Working days of all loaded years, ascending, as day numbers. */
  private readonly workdays: Int32Array;
  private readonly years: Set<number>;
  private readonly byDay = new Map<number, CalendarDay>();

  constructor(days: readonly CalendarDay[]) {
    const sorted = [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    this.years = new Set(sorted.map((d) => Number(d.date.slice(0, 4))));
    const working: number[] = [];
    for (const d of sorted) {
      const n = dayNumber(d.date);
      this.byDay.set(n, d);
      if (d.workday) working.push(n);
    }
    this.workdays = Int32Array.from(working);
  }

  loadedYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  hasYear(year: number): boolean {
    return this.years.has(year);
  }

  day(date: string): DayResult {
    const year = Number(date.slice(0, 4));
    if (!this.years.has(year)) return { missingYear: year };
    return { day: this.byDay.get(dayNumber(date))! };
  }

  /** Index of the first working day strictly after day number `n`. */
  private firstAfter(n: number): number {
    let lo = 0;
    let hi = this.workdays.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.workdays[mid]! <= n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Working days in (`from`, `to`]: the count a case's clock shows on `to` when it started on
   * `from` (the day of acceptance is not counted). 0 when `to` is not after `from`. Every year
   * in the range must be loaded, as for deadlines.
   */
  workdaysBetween(from: string, to: string): { workdays: number } | { missingYear: number } {
    const start = dayNumber(from);
    const end = dayNumber(to);
    if (end <= start) return { workdays: 0 };
    for (let year = Number(dateOf(start + 1).slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
      if (!this.years.has(year)) return { missingYear: year };
    }
    return { workdays: this.firstAfter(end) - this.firstAfter(start) };
  }

  /**
   * The N-th working day after `from` (`from` itself never counts; N = 0 gives `from`). Every
   * year the count passes through must be loaded: a gap answers with the first missing year
   * instead of silently treating it as plain weekends.
   */
  deadline(from: string, workdays: number): DeadlineResult {
    if (workdays === 0) return { deadline: from };
    const start = dayNumber(from);
    const firstYear = Number(dateOf(start + 1).slice(0, 4));
    if (!this.years.has(firstYear)) return { missingYear: firstYear };
    const index = this.firstAfter(start) + workdays - 1;
    const candidate = this.workdays[index];
    // The candidate is valid only if no unloaded year lies between the start and it.
    const lastYear = candidate === undefined ? Infinity : Number(dateOf(candidate).slice(0, 4));
    for (let year = firstYear + 1; year <= lastYear; year++) {
      if (!this.years.has(year)) return { missingYear: year };
    }
    return { deadline: dateOf(candidate!) };
  }
}

/**
 * The days of one year from its published exceptions: holidays are days off, make-up days
 * (调休) are working weekends, everything else follows Monday-Friday.
 */
export function buildYear(year: number, holidays: ReadonlyArray<{ date: string; name: string }>, makeUpWorkdays: ReadonlyArray<{ date: string; name: string }>): CalendarDay[] {
  const off = new Map(holidays.map((h) => [h.date, h.name]));
  const on = new Map(makeUpWorkdays.map((w) => [w.date, w.name]));
  const days: CalendarDay[] = [];
  for (let n = dayNumber(`${year}-01-01`); n <= dayNumber(`${year}-12-31`); n++) {
    const date = dateOf(n);
    if (off.has(date)) days.push({ date, workday: false, name: off.get(date)! });
    else if (on.has(date)) days.push({ date, workday: true, name: on.get(date)! });
    else days.push({ date, workday: !isWeekend(date), name: null });
  }
  return days;
}
