import { AppError } from '../../platform/http/errors.js';
import type { CalendarService } from '../calendar/service.js';
import type { CaseRow } from './store.js';

/**
 * A case's clock (办理时限), counted in working days by the calendar: it starts the working day
 * after acceptance (the day of acceptance is not counted), stops while a special procedure runs
 * (特别程序: the days it takes do not count and push the deadline out by as many working days), and
 * is read at every status change. Immediate items (即办件) are due on the day of acceptance.
 */
export interface CaseClock {
  acceptedOn: string | null;
  promisedDays: number;
  /** Working days used so far, special procedures excluded; null before acceptance. */
  elapsedWorkdays: number | null;
  deadline: string | null;
  suspended: boolean;
  suspendedWorkdays: number;
  overdue: boolean;
}

type ClockFields = Pick<CaseRow, 'accepted_on' | 'promised_days' | 'case_kind' | 'suspended_since' | 'suspended_workdays' | 'deadline' | 'closed_at' | 'decided_at'>;

/** The deadline: promised working days after acceptance, plus the working days spent suspended. */
export async function deadlineFor(calendar: CalendarService, acceptedOn: string, caseKind: '1' | '2', promisedDays: number, suspendedWorkdays: number): Promise<string> {
  const days = caseKind === '1' ? 0 : promisedDays;
  return calendar.deadline(acceptedOn, days + suspendedWorkdays);
}

/** Working days elapsed on `today` (frozen at the start of a running special procedure). */
export async function elapsedWorkdays(calendar: CalendarService, row: ClockFields, today: string): Promise<number | null> {
  if (!row.accepted_on) return null;
  const until = row.suspended_since ?? today;
  return (await calendar.workdaysBetween(row.accepted_on, until)) - row.suspended_workdays;
}

/** Past its deadline while still running: not decided, not closed, not stopped by a special procedure. */
export function isOverdue(row: Pick<CaseRow, 'deadline' | 'decided_at' | 'closed_at' | 'suspended_since'>, today: string): boolean {
  return row.deadline !== null && row.decided_at === null && row.closed_at === null && row.suspended_since === null && today > row.deadline;
}

/** The clock as of `today`; while a year the count needs is not loaded, the elapsed days are unknown (null) rather than an error. */
export async function readClock(calendar: CalendarService, row: ClockFields, today: string): Promise<CaseClock> {
  const elapsed = row.closed_at || row.decided_at ? null : await unlessCalendarGap(elapsedWorkdays(calendar, row, today), null);
  return {
    acceptedOn: row.accepted_on,
    promisedDays: row.case_kind === '1' ? 0 : row.promised_days,
    elapsedWorkdays: elapsed,
    deadline: row.deadline,
    suspended: row.suspended_since !== null,
    suspendedWorkdays: row.suspended_workdays,
    overdue: isOverdue(row, today),
  };
}

/**
 * Whether an error is the calendar saying a year is not loaded yet. A case must not stop moving
 * because of it: the deadline stays open (null, flagged in the history) and is filled in by the
 * first transition after the year's notice is loaded.
 */
export function isCalendarGap(error: unknown): error is AppError {
  return error instanceof AppError && error.code === 'calendar_not_published';
}

/** `work()`, or `fallback` when the calendar lacks a year it needs. */
export async function unlessCalendarGap<T, F>(work: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await work;
  } catch (error) {
    if (isCalendarGap(error)) return fallback;
    throw error;
  }
}
