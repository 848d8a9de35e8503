import { describe, expect, it } from 'vitest';
import { addDays, isIsoDate, todayInShanghai } from './time.js';

describe('todayInShanghai', () => {
  it('is the UTC date until 16:00 UTC, then the next day', () => {
    expect(todayInShanghai(new Date('2026-05-06T15:59:59.999Z'))).toBe('2026-05-06');
    expect(todayInShanghai(new Date('2026-05-06T16:00:00.000Z'))).toBe('2026-05-07');
    expect(todayInShanghai(new Date('2026-05-06T00:00:00+08:00'))).toBe('2026-05-06');
    expect(todayInShanghai(new Date('2026-05-06T23:59:59+08:00'))).toBe('2026-05-06');
  });

  it('crosses month, year and leap-day boundaries', () => {
    expect(todayInShanghai(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(todayInShanghai(new Date('2028-02-28T16:30:00Z'))).toBe('2028-02-29');
    expect(todayInShanghai(new Date('2026-02-28T16:30:00Z'))).toBe('2026-03-01');
  });

  it('does not depend on the process time zone', () => {
    // an instant written with another offset names the same Shanghai date
    expect(todayInShanghai(new Date('2026-05-06T09:00:00-07:00'))).toBe('2026-05-07');
  });

  it('agrees with the ICU time-zone database over a year of hourly instants', () => {
    const icu = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3600_000 * 7) {
      expect(todayInShanghai(new Date(t))).toBe(icu.format(new Date(t)));
    }
  });

  it('uses the current time by default', () => {
    expect(todayInShanghai()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('isIsoDate and addDays', () => {
  it('accepts real dates only', () => {
    expect(isIsoDate('2026-05-06')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-5-6')).toBe(false);
    expect(isIsoDate('20260506')).toBe(false);
  });

  it('adds calendar days across boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-05-06', 0)).toBe('2026-05-06');
  });
});
