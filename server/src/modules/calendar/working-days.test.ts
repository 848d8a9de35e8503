import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chineseDaysYears } from './chinese-days-source.js';
import { buildYear, dateOf, dayNumber, WorkingDayIndex, type CalendarDay, type DeadlineResult } from './working-days.js';

/*
 * Properties of the in-memory index over the real chinese-days data (2004-2026), checked against a
 * naive reference written here: walk day by day, never by binary search, and look each day up in
 * the published holiday / make-up lists directly (not through buildYear).
 */

const YEARS = chineseDaysYears();
const ALL_DAYS: CalendarDay[] = YEARS.flatMap((y) => buildYear(y.year, y.holidays, y.workdays));
const FULL = new WorkingDayIndex(ALL_DAYS);
const FIRST_YEAR = YEARS[0]!.year;
const LAST_YEAR = YEARS[YEARS.length - 1]!.year;

interface Reference {
  years: Set<number>;
  holidays: Set<string>;
  makeUp: Set<string>;
}

function reference(exclude: number[] = []): Reference {
  const kept = YEARS.filter((y) => !exclude.includes(y.year));
  return {
    years: new Set(kept.map((y) => y.year)),
    holidays: new Set(kept.flatMap((y) => y.holidays.map((h) => h.date))),
    makeUp: new Set(kept.flatMap((y) => y.workdays.map((w) => w.date))),
  };
}

function naiveIsWorkday(ref: Reference, date: string): boolean {
  if (ref.holidays.has(date)) return false;
  if (ref.makeUp.has(date)) return true;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** Day by day: step to the next day, stop at an unloaded year, count working days until N. */
function naiveDeadline(ref: Reference, from: string, n: number): DeadlineResult {
  if (n === 0) return { deadline: from };
  let date = from;
  let counted = 0;
  for (;;) {
    date = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const year = Number(date.slice(0, 4));
    if (!ref.years.has(year)) return { missingYear: year };
    if (naiveIsWorkday(ref, date) && ++counted === n) return { deadline: date };
  }
}

const FULL_REF = reference();

/** Any date from mid-2003 to mid-2027: the edges of the loaded range are covered too. */
const anyDate = fc.integer({ min: dayNumber('2003-06-01'), max: dayNumber('2027-06-30') }).map(dateOf);
const loadedDate = fc.integer({ min: dayNumber(`${FIRST_YEAR}-01-01`), max: dayNumber(`${LAST_YEAR}-12-31`) }).map(dateOf);
const workdayCount = fc.integer({ min: 0, max: 400 });

function deadlineOf(result: DeadlineResult): string {
  if (!('deadline' in result)) throw new Error(`unexpected missing year ${result.missingYear}`);
  return result.deadline;
}

describe('WorkingDayIndex over chinese-days', () => {
  it('covers 2004-2026 completely', () => {
    expect(FIRST_YEAR).toBe(2004);
    expect(LAST_YEAR).toBeGreaterThanOrEqual(2026);
    expect(FULL.loadedYears()).toEqual(YEARS.map((y) => y.year));
    expect(ALL_DAYS.length).toBe(dayNumber(`${LAST_YEAR}-12-31`) - dayNumber(`${FIRST_YEAR}-01-01`) + 1);
  });

  it('agrees with a naive day-by-day count (deadlines and missing years alike)', () => {
    fc.assert(
      fc.property(anyDate, workdayCount, (from, n) => {
        expect(FULL.deadline(from, n)).toEqual(naiveDeadline(FULL_REF, from, n));
      }),
      { numRuns: 3000 },
    );
  });

  it('never lands on a non-working day', () => {
    fc.assert(
      fc.property(loadedDate, fc.integer({ min: 1, max: 400 }), (from, n) => {
        const result = FULL.deadline(from, n);
        if ('missingYear' in result) return result.missingYear === LAST_YEAR + 1;
        const day = FULL.day(result.deadline);
        return 'day' in day && day.day.workday && naiveIsWorkday(FULL_REF, result.deadline);
      }),
      { numRuns: 3000 },
    );
  });

  it('workdaysBetween inverts deadline: the count from `from` to its N-th working day is N', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber('2004-01-01'), max: dayNumber('2024-12-31') }).map(dateOf), fc.integer({ min: 0, max: 250 }), (from, n) => {
        const deadline = deadlineOf(FULL.deadline(from, n));
        expect(FULL.workdaysBetween(from, deadline)).toEqual({ workdays: n });
      }),
      { numRuns: 2000 },
    );
  });

  it('workdaysBetween counts a holiday week and a make-up Saturday correctly, and flags unloaded years', () => {
    // 2026-09-30 (Wed) .. 2026-10-10 (make-up Saturday): 10-01..07 off, 10-08 and 10-09 worked, 10-10 worked.
    expect(FULL.workdaysBetween('2026-09-30', '2026-10-10')).toEqual({ workdays: 3 });
    expect(FULL.workdaysBetween('2026-10-10', '2026-09-30')).toEqual({ workdays: 0 });
    expect(FULL.workdaysBetween('2026-12-30', `${LAST_YEAR + 1}-01-05`)).toEqual({ missingYear: LAST_YEAR + 1 });
  });

  it('is strictly monotone in N', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber('2004-01-01'), max: dayNumber('2024-12-31') }).map(dateOf), fc.integer({ min: 0, max: 250 }), (from, n) => {
        const a = deadlineOf(FULL.deadline(from, n));
        const b = deadlineOf(FULL.deadline(from, n + 1));
        return a < b && (n > 0 || a === from);
      }),
      { numRuns: 3000 },
    );
  });

  it('never counts `from` itself: N = 1 from a working day is the next working day', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber('2004-01-01'), max: dayNumber('2026-12-20') }).map(dateOf), (from) => {
        const next = deadlineOf(FULL.deadline(from, 1));
        expect(next > from).toBe(true);
        // no working day strictly between from and next
        for (let d = dayNumber(from) + 1; d < dayNumber(next); d++) expect(naiveIsWorkday(FULL_REF, dateOf(d))).toBe(false);
        expect(naiveIsWorkday(FULL_REF, next)).toBe(true);
      }),
      { numRuns: 1000 },
    );
    // a Monday that is a working day: the next working day is Tuesday, not the Monday itself
    expect(FULL.deadline('2026-03-02', 1)).toEqual({ deadline: '2026-03-03' });
  });

  it('gives `from` for N = 0', () => {
    fc.assert(fc.property(anyDate, (from) => deadlineOf(FULL.deadline(from, 0)) === from));
  });

  it('answers { missingYear } instead of counting plain weekends past the last loaded year', () => {
    expect(FULL.deadline('2026-12-31', 1)).toEqual({ missingYear: 2027 });
    expect(FULL.deadline('2026-12-30', 1)).toEqual({ deadline: '2026-12-31' });
    expect(FULL.deadline('2026-12-30', 2)).toEqual({ missingYear: 2027 });
    expect(FULL.deadline('2026-06-01', 3650)).toEqual({ missingYear: 2027 });
    expect(FULL.deadline('2027-03-01', 1)).toEqual({ missingYear: 2027 });
    expect(FULL.deadline('2003-05-01', 5)).toEqual({ missingYear: 2003 });
    // from the last day before the first loaded year: from itself is not counted, so this works
    expect(FULL.deadline('2003-12-31', 1)).toEqual({ deadline: '2004-01-02' });
    expect(FULL.day('2027-01-04')).toEqual({ missingYear: 2027 });
    expect(FULL.day('2003-12-31')).toEqual({ missingYear: 2003 });
  });

  it('answers { missingYear } for a gap year in the middle of loaded years', () => {
    const gap = 2015;
    const ref = reference([gap]);
    const index = new WorkingDayIndex(ALL_DAYS.filter((d) => !d.date.startsWith(`${gap}-`)));
    expect(index.hasYear(gap)).toBe(false);
    expect(index.deadline('2014-12-31', 1)).toEqual({ missingYear: gap });
    expect(index.deadline('2014-12-01', 30)).toEqual({ missingYear: gap });
    expect(index.deadline('2014-06-01', 800)).toEqual({ missingYear: gap });
    expect(index.deadline('2015-07-01', 1)).toEqual({ missingYear: gap });
    expect(index.deadline('2015-12-31', 1)).toEqual({ deadline: '2016-01-04' });
    expect(index.deadline('2014-12-01', 5)).toEqual(naiveDeadline(ref, '2014-12-01', 5));
    fc.assert(
      fc.property(anyDate, workdayCount, (from, n) => {
        expect(index.deadline(from, n)).toEqual(naiveDeadline(ref, from, n));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers the first missing year with several gaps (random gaps, random counts)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: FIRST_YEAR, max: LAST_YEAR }), { minLength: 1, maxLength: 4 }), anyDate, fc.integer({ min: 0, max: 800 }), (gaps, from, n) => {
        const index = new WorkingDayIndex(ALL_DAYS.filter((d) => !gaps.includes(Number(d.date.slice(0, 4)))));
        expect(index.deadline(from, n)).toEqual(naiveDeadline(reference(gaps), from, n));
      }),
      { numRuns: 200 },
    );
  });

  describe('known facts of 2026 (State Council notice on the 2026 holidays, as transcribed by chinese-days)', () => {
    const day = (date: string) => {
      const result = FULL.day(date);
      if (!('day' in result)) throw new Error(`not loaded: ${date}`);
      return result.day;
    };

    it('National Day 2026-10-01..07 off; 2026-09-20 (Sun) and 2026-10-10 (Sat) are make-up working days', () => {
      for (let d = 1; d <= 7; d++) expect(day(`2026-10-0${d}`)).toMatchObject({ workday: false, name: '国庆节' });
      expect(day('2026-09-20')).toEqual({ date: '2026-09-20', workday: true, name: '国庆节调休上班' });
      expect(day('2026-10-10')).toEqual({ date: '2026-10-10', workday: true, name: '国庆节调休上班' });
      expect(day('2026-10-08')).toEqual({ date: '2026-10-08', workday: true, name: null });
      expect(day('2026-10-11')).toEqual({ date: '2026-10-11', workday: false, name: null });
    });

    it('Mid-Autumn 2026-09-25..27 off', () => {
      for (const d of ['2026-09-25', '2026-09-26', '2026-09-27']) expect(day(d)).toMatchObject({ workday: false, name: '中秋' });
    });

    it('Spring Festival 2026-02-15..23 off; 2026-02-14 and 2026-02-28 (Sat) worked', () => {
      for (let d = 15; d <= 23; d++) expect(day(`2026-02-${d}`)).toMatchObject({ workday: false, name: '春节' });
      expect(day('2026-02-14')).toMatchObject({ workday: true, name: '春节调休上班' });
      expect(day('2026-02-28')).toMatchObject({ workday: true, name: '春节调休上班' });
    });

    it('New Year 2026-01-01..03 off, 2026-01-04 (Sun) worked; Labour Day 05-01..05 off, 05-09 (Sat) worked', () => {
      for (const d of ['2026-01-01', '2026-01-02', '2026-01-03']) expect(day(d)).toMatchObject({ workday: false, name: '元旦' });
      expect(day('2026-01-04')).toMatchObject({ workday: true });
      for (let d = 1; d <= 5; d++) expect(day(`2026-05-0${d}`)).toMatchObject({ workday: false, name: '劳动节' });
      expect(day('2026-05-09')).toMatchObject({ workday: true });
    });

    it('computes deadlines across these holidays', () => {
      const cases: Array<[string, number, string]> = [
        ['2026-09-30', 1, '2026-10-08'],
        ['2026-09-30', 2, '2026-10-09'],
        ['2026-09-30', 3, '2026-10-10'], // make-up Saturday counts
        ['2026-09-30', 4, '2026-10-12'],
        ['2026-09-18', 1, '2026-09-20'], // make-up Sunday counts
        ['2026-09-24', 1, '2026-09-28'],
        ['2026-02-13', 1, '2026-02-14'],
        ['2026-02-14', 1, '2026-02-24'],
        ['2026-02-13', 5, '2026-02-27'],
        ['2026-02-13', 6, '2026-02-28'],
        ['2025-12-31', 1, '2026-01-04'],
        ['2026-04-30', 1, '2026-05-06'],
        ['2026-09-29', 5, '2026-10-12'],
      ];
      for (const [from, n, expected] of cases) expect(FULL.deadline(from, n), `${from} + ${n}`).toEqual({ deadline: expected });
    });
  });
});

describe('dateOf (integer civil-from-days)', () => {
  it('agrees with Date for every day from 1900 to 2299', () => {
    let mismatches = 0;
    for (let n = dayNumber('1900-01-01'); n <= dayNumber('2299-12-31'); n++) {
      if (dateOf(n) !== new Date(n * 86_400_000).toISOString().slice(0, 10)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('round-trips with dayNumber on leap days and year ends', () => {
    for (const date of ['2000-02-29', '1900-03-01', '2024-02-29', '2026-12-31', '2100-02-28']) {
      expect(dateOf(dayNumber(date))).toBe(date);
    }
  });
});
