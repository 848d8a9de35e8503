import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, login, type Session, type TestPlatform } from '../../../test/harness.js';
import { chineseDaysYears } from './chinese-days-source.js';
import { CalendarService } from './service.js';
import type { YearInput } from './schemas.js';

let platform: TestPlatform;
let admin: Session;
let clerk: Session;

beforeAll(async () => {
  platform = await createTestPlatform();
  admin = await login(platform.app, 'admin');
  clerk = await login(platform.app, 'clerk');
});
afterAll(() => platform.close());

const get = (url: string, headers: Record<string, string> = {}) => platform.app.inject({ method: 'GET', url, headers });

/** A plausible 2027 arrangement for the tests (not the published notice). */
const YEAR_2027 = {
  source: '测试用 2027 年节假日安排（仿国务院办公厅通知格式）',
  holidays: [
    ...['2027-01-01', '2027-01-02', '2027-01-03'].map((date) => ({ date, name: '元旦' })),
    ...['05', '06', '07', '08', '09', '10', '11', '12', '13'].map((d) => ({ date: `2027-02-${d}`, name: '春节' })),
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2027-10-${d}`, name: '国庆节' })),
  ],
  workdays: [
    { date: '2027-02-20', name: '春节调休上班' },
    { date: '2027-09-26', name: '国庆节调休上班' },
    { date: '2027-10-09', name: '国庆节调休上班' },
  ],
};

interface ProblemJson {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ field: string; code: string; message: string }>;
}

async function auditEntries(action: string) {
  const res = await as(platform.app, admin, { method: 'GET', url: `/api/v1/admin/audit?action=${action}&limit=100` });
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: Array<{ actorId: string | null; actorKind: string; action: string; targetId: string | null; ip: string | null; detail: Record<string, unknown> }> }).items;
}

describe('GET /api/v1/calendar/days/{date}', () => {
  it('answers a plain working day without a name', async () => {
    const res = await get('/api/v1/calendar/days/2026-03-03');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ date: '2026-03-03', workday: true });
  });

  it('answers a plain weekend day as not working, without a name', async () => {
    expect((await get('/api/v1/calendar/days/2026-03-07')).json()).toEqual({ date: '2026-03-07', workday: false });
  });

  it('names a public holiday', async () => {
    expect((await get('/api/v1/calendar/days/2026-10-01')).json()).toEqual({ date: '2026-10-01', workday: false, name: '国庆节' });
    expect((await get('/api/v1/calendar/days/2026-02-17')).json()).toEqual({ date: '2026-02-17', workday: false, name: '春节' });
  });

  it('answers a make-up working Saturday as a working day with its name', async () => {
    expect((await get('/api/v1/calendar/days/2026-10-10')).json()).toEqual({ date: '2026-10-10', workday: true, name: '国庆节调休上班' });
    expect((await get('/api/v1/calendar/days/2026-09-20')).json()).toMatchObject({ workday: true });
  });

  it('answers 422 calendar_not_published for a year not loaded', async () => {
    const res = await get('/api/v1/calendar/days/2027-01-04');
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const body = res.json() as ProblemJson;
    expect(body.code).toBe('calendar_not_published');
    expect(body.detail).toContain('2027');
  });

  it('answers 400 with a field error for an impossible or malformed date', async () => {
    for (const [date, code] of [['2026-02-30', 'invalid_date'], ['2026-13-01', 'invalid_date'], ['2026-1-1', 'invalid_format'], ['tomorrow', 'invalid_format']] as const) {
      const res = await get(`/api/v1/calendar/days/${date}`);
      expect(res.statusCode, date).toBe(400);
      const body = res.json() as ProblemJson;
      expect(body.code).toBe('validation_failed');
      expect(body.errors, date).toEqual([expect.objectContaining({ field: 'date', code })]);
    }
  });

  it('speaks English on request', async () => {
    const res = await get('/api/v1/calendar/days/2026-02-30', { 'accept-language': 'en' });
    expect((res.json() as ProblemJson).errors![0]!.message).toBe('Invalid date');
  });
});

describe('GET /api/v1/calendar/deadline', () => {
  it('counts working days after from (from itself not counted), across National Day 2026', async () => {
    const res = await get('/api/v1/calendar/deadline?from=2026-09-30&workdays=1');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ from: '2026-09-30', workdays: 1, deadline: '2026-10-08' });
    expect((await get('/api/v1/calendar/deadline?from=2026-09-30&workdays=3')).json()).toMatchObject({ deadline: '2026-10-10' });
    expect((await get('/api/v1/calendar/deadline?from=2026-09-30&workdays=0')).json()).toMatchObject({ deadline: '2026-09-30' });
    expect((await get('/api/v1/calendar/deadline?from=2026-03-02&workdays=20')).json()).toMatchObject({ deadline: '2026-03-30' });
  });

  it('answers 422 calendar_not_published when the count runs into 2027', async () => {
    const res = await get('/api/v1/calendar/deadline?from=2026-12-20&workdays=30');
    expect(res.statusCode).toBe(422);
    const body = res.json() as ProblemJson;
    expect(body.code).toBe('calendar_not_published');
    expect(body.detail).toContain('2027');
  });

  it('answers 400 for a bad workdays count or from date', async () => {
    for (const workdays of ['-1', 'abc', '5000', '1.5', '']) {
      const res = await get(`/api/v1/calendar/deadline?from=2026-03-02&workdays=${workdays}`);
      expect(res.statusCode, workdays).toBe(400);
      expect((res.json() as ProblemJson).errors?.map((e) => e.field), workdays).toContain('workdays');
    }
    const missing = await get('/api/v1/calendar/deadline?from=2026-03-02');
    expect(missing.statusCode).toBe(400);
    expect((missing.json() as ProblemJson).errors).toEqual([expect.objectContaining({ field: 'workdays', code: 'required' })]);
    const badFrom = await get('/api/v1/calendar/deadline?from=2026-02-30&workdays=3');
    expect(badFrom.statusCode).toBe(400);
    expect((badFrom.json() as ProblemJson).errors).toEqual([expect.objectContaining({ field: 'from', code: 'invalid_date' })]);
  });
});

describe('administering the calendar', () => {
  const put2027 = (session: Session | null, payload: unknown) =>
    as(platform.app, session, { method: 'PUT', url: '/api/v1/admin/calendar/years/2027', payload: payload as Record<string, unknown> });

  it('refuses anonymous callers (401) and non-admin staff (403)', async () => {
    expect((await put2027(null, YEAR_2027)).statusCode).toBe(401);
    expect((await put2027(clerk, YEAR_2027)).statusCode).toBe(403);
    const patch = { workday: false, reason: '临时调整' };
    expect((await as(platform.app, null, { method: 'PATCH', url: '/api/v1/admin/calendar/days/2026-11-30', payload: patch })).statusCode).toBe(401);
    expect((await as(platform.app, clerk, { method: 'PATCH', url: '/api/v1/admin/calendar/days/2026-11-30', payload: patch })).statusCode).toBe(403);
    expect((await get('/api/v1/calendar/days/2026-11-30')).json()).toMatchObject({ workday: true });
  });

  it('rejects bad year payloads with field errors, loading nothing', async () => {
    const cases: Array<[unknown, Array<{ field: string; code: string }>]> = [
      [{ ...YEAR_2027, holidays: [{ date: '2026-12-31', name: '元旦' }, ...YEAR_2027.holidays] }, [{ field: 'holidays[0].date', code: 'date_outside_year' }]],
      [{ ...YEAR_2027, holidays: [{ date: '2027-01-01', name: '元旦' }, { date: '2027-01-01', name: '元旦' }] }, [{ field: 'holidays[1].date', code: 'duplicate_date' }]],
      [{ ...YEAR_2027, holidays: [{ date: '2027-02-20', name: '春节' }] }, [{ field: 'workdays[0].date', code: 'duplicate_date' }]],
      [{ ...YEAR_2027, workdays: [{ date: '2027-09-15', name: '国庆节调休上班' }] }, [{ field: 'workdays[0].date', code: 'makeup_not_weekend' }]],
      [{ ...YEAR_2027, holidays: [{ date: '2027-02-30', name: '春节' }] }, [{ field: 'holidays[0].date', code: 'invalid_date' }]],
      [{ ...YEAR_2027, holidays: [{ date: '2027/01/01', name: '元旦' }] }, [{ field: 'holidays[0].date', code: 'invalid_format' }]],
      [{ ...YEAR_2027, holidays: [{ date: '2027-01-01', name: '' }] }, [{ field: 'holidays[0].name', code: 'too_short' }]],
      [{ holidays: [], workdays: [] }, [{ field: 'source', code: 'required' }]],
    ];
    for (const [payload, errors] of cases) {
      const res = await put2027(admin, payload);
      expect(res.statusCode, JSON.stringify(errors)).toBe(400);
      const body = res.json() as ProblemJson;
      expect(body.code).toBe('validation_failed');
      expect(body.errors!.map(({ field, code }) => ({ field, code }))).toEqual(errors);
    }
    expect((await get('/api/v1/calendar/days/2027-01-04')).statusCode).toBe(422);
  });

  it('loads 2027 (admin) and deadlines then run into it', async () => {
    const res = await put2027(admin, YEAR_2027);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect((await get('/api/v1/calendar/deadline?from=2026-12-31&workdays=1')).json()).toEqual({ from: '2026-12-31', workdays: 1, deadline: '2027-01-04' });
    expect((await get('/api/v1/calendar/deadline?from=2026-12-20&workdays=30')).statusCode).toBe(200);
    expect((await get('/api/v1/calendar/deadline?from=2027-02-04&workdays=1')).json()).toMatchObject({ deadline: '2027-02-15' });
    expect((await get('/api/v1/calendar/deadline?from=2027-02-19&workdays=1')).json()).toMatchObject({ deadline: '2027-02-20' });
    expect((await get('/api/v1/calendar/days/2027-01-04')).json()).toEqual({ date: '2027-01-04', workday: true });
    expect((await get('/api/v1/calendar/days/2027-10-09')).json()).toEqual({ date: '2027-10-09', workday: true, name: '国庆节调休上班' });
    // 2028 is still not published
    const into2028 = await get('/api/v1/calendar/deadline?from=2027-12-20&workdays=30');
    expect(into2028.statusCode).toBe(422);
    expect((into2028.json() as ProblemJson).detail).toContain('2028');

    const years = (await get('/api/v1/calendar/years')).json() as { items: Array<{ year: number; source: string; holidays: number; makeUpWorkdays: number }> };
    expect(years.items.find((y) => y.year === 2027)).toMatchObject({ source: YEAR_2027.source, holidays: YEAR_2027.holidays.length, makeUpWorkdays: 3 });

    const [entry] = await auditEntries('calendar.year.loaded');
    expect(entry).toMatchObject({ actorId: admin.user.id, actorKind: 'staff', targetId: '2027', detail: { source: YEAR_2027.source } });
    expect(entry!.ip).toBeTruthy();
  });

  it('takes the year from the path, whatever the body says', async () => {
    const before = (await get('/api/v1/calendar/years/2026')).json() as YearInput;
    const res = await put2027(admin, { ...YEAR_2027, year: 2026 });
    expect(res.statusCode, res.body).toBe(200);
    expect((await get('/api/v1/calendar/years/2026')).json()).toEqual(before);
    expect((await get('/api/v1/calendar/days/2027-01-04')).json()).toEqual({ date: '2027-01-04', workday: true });
    // the 2026 export sent to the 2027 URL is refused, and 2026 is left alone
    const wrongYear = await put2027(admin, { ...before, source: '误将 2026 年安排导入 2027 年' });
    expect(wrongYear.statusCode).toBe(400);
    expect((wrongYear.json() as ProblemJson).errors![0]).toMatchObject({ field: 'holidays[0].date', code: 'date_outside_year' });
    expect((await get('/api/v1/calendar/years/2026')).json()).toEqual(before);
  });

  it('applies a single-day correction immediately and audits it', async () => {
    expect((await get('/api/v1/calendar/deadline?from=2026-11-27&workdays=1')).json()).toMatchObject({ deadline: '2026-11-30' });
    const res = await as(platform.app, admin, {
      method: 'PATCH',
      url: '/api/v1/admin/calendar/days/2026-11-30',
      payload: { workday: false, name: '临时休息日', reason: '市政府临时通知（测试）' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ date: '2026-11-30', workday: false, name: '临时休息日' });
    expect((await get('/api/v1/calendar/days/2026-11-30')).json()).toEqual({ date: '2026-11-30', workday: false, name: '临时休息日' });
    expect((await get('/api/v1/calendar/deadline?from=2026-11-27&workdays=1')).json()).toMatchObject({ deadline: '2026-12-01' });

    const [entry] = await auditEntries('calendar.day.corrected');
    expect(entry).toMatchObject({ actorId: admin.user.id, targetId: '2026-11-30', detail: { workday: false, name: '临时休息日', reason: '市政府临时通知（测试）' } });
    expect(entry!.ip).toBeTruthy();

    // and back: a Monday made a working day again carries no name
    const back = await as(platform.app, admin, { method: 'PATCH', url: '/api/v1/admin/calendar/days/2026-11-30', payload: { workday: true, reason: '撤销临时调整' } });
    expect(back.json()).toEqual({ date: '2026-11-30', workday: true, name: null });
    expect((await get('/api/v1/calendar/days/2026-11-30')).json()).toEqual({ date: '2026-11-30', workday: true });
  });

  it('rejects a correction without a reason (400) or for a year not loaded (422)', async () => {
    const noReason = await as(platform.app, admin, { method: 'PATCH', url: '/api/v1/admin/calendar/days/2026-11-30', payload: { workday: false } });
    expect(noReason.statusCode).toBe(400);
    expect((noReason.json() as ProblemJson).errors).toEqual([expect.objectContaining({ field: 'reason', code: 'required' })]);
    const unpublished = await as(platform.app, admin, { method: 'PATCH', url: '/api/v1/admin/calendar/days/2030-01-02', payload: { workday: false, reason: '测试' } });
    expect(unpublished.statusCode).toBe(422);
    expect((unpublished.json() as ProblemJson).code).toBe('calendar_not_published');
  });

  it('exports a year in the import format, and the export round-trips through PUT unchanged', async () => {
    const exported = await get('/api/v1/calendar/years/2026');
    expect(exported.statusCode).toBe(200);
    const year = exported.json() as YearInput;
    const published = chineseDaysYears().find((y) => y.year === 2026)!;
    expect(year.year).toBe(2026);
    expect(year.source).toBe(published.source);
    expect(new Set(year.holidays.map((h) => h.date))).toEqual(new Set(published.holidays.map((h) => h.date)));
    expect(year.workdays.map((w) => w.date).sort()).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);

    const { year: _year, ...body } = year;
    const put = await as(platform.app, admin, { method: 'PUT', url: '/api/v1/admin/calendar/years/2026', payload: body });
    expect(put.statusCode).toBe(200);
    expect((await get('/api/v1/calendar/years/2026')).json()).toEqual(year);
    expect((await get('/api/v1/calendar/deadline?from=2026-09-30&workdays=1')).json()).toMatchObject({ deadline: '2026-10-08' });

    const notLoaded = await get('/api/v1/calendar/years/2031');
    expect(notLoaded.statusCode).toBe(422);
  });
});

describe('several instances on one database', () => {
  it('sees a change made through another instance after the refresh interval, without restart', async () => {
    let timeA = 1_000_000;
    let timeB = 1_000_000;
    const a = new CalendarService(platform.database.db, () => timeA);
    const b = new CalendarService(platform.database.db, () => timeB);
    const actor = { id: admin.user.id, kind: 'staff' as const, ip: '127.0.0.1' };

    expect(await a.day('2026-12-01')).toMatchObject({ workday: true });
    expect(await b.day('2026-12-01')).toMatchObject({ workday: true });
    expect(await b.deadline('2026-11-30', 1)).toBe('2026-12-01');

    await a.correctDay(actor, '2026-12-01', { workday: false, name: '临时休息日', reason: '多实例测试' });
    expect(await a.day('2026-12-01')).toMatchObject({ workday: false }); // the writer sees it at once

    timeB += 999; // within the interval b may still answer from its index
    expect(await b.day('2026-12-01')).toMatchObject({ workday: true });
    timeB += 1; // one interval after b's last check: b looks at the stored revision
    expect(await b.day('2026-12-01')).toEqual({ date: '2026-12-01', workday: false, name: '临时休息日' });
    expect(await b.deadline('2026-11-30', 1)).toBe('2026-12-02');

    // the app's own instance (real clock) catches up within a second too
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await get('/api/v1/calendar/days/2026-12-01')).json()).toMatchObject({ workday: false });

    // a whole year loaded through b reaches a
    await b.loadYear(actor, { year: 2028, source: '测试用 2028 年安排', holidays: [{ date: '2028-01-03', name: '测试假日' }], workdays: [] });
    await expect(a.day('2028-01-03')).rejects.toMatchObject({ code: 'calendar_not_published' });
    timeA += 1000;
    expect(await a.day('2028-01-03')).toEqual({ date: '2028-01-03', workday: false, name: '测试假日' });

    await a.correctDay(actor, '2026-12-01', { workday: true, reason: '撤销多实例测试' });
  });
});
