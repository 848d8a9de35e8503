/**
 * Civil dates in the platform's time zone. CONTRACT: dates are `YYYY-MM-DD` and the civil time
 * zone is Asia/Shanghai. China Standard Time is UTC+8 all year: the PRC has observed no daylight
 * saving time since 1991, so the date is the UTC date of the instant shifted by eight hours, with
 * no dependency on the ICU time-zone data of the Node build.
 */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** Today's date in Asia/Shanghai at `now`, as `YYYY-MM-DD`. */
export function todayInShanghai(now: Date = new Date()): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether `value` is a real calendar date written `YYYY-MM-DD` (not 2026-02-30). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** `date` plus `days` calendar days (negative goes back), as `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
