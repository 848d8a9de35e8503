/**
 * Supervision's read side and its sweep: the CONTRACT indicators route (figures checked by
 * hand against a small November), bad input and reach (each a clear 4xx), the Excel export and
 * the drill-down, the deadline sweep (yellow at 80 %, red when overdue, unassigned) raised once
 * with several sweepers, the alerts' messages, the public overdue list without personal data,
 * the ranking and the open data downloads, with their labels in Chinese or, on request, English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, errorFields, login, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { todayInShanghai } from '../../platform/time.js';
import { DEMO_PASSWORD } from '../demo/seed.js';
import { SupervisionService } from './service.js';
import type { ServiceQualitySource } from './quality.js';
import { acceptedCase, caseEvent, recordEvents, type CaseEventDefaults } from './test-fixtures.js';

let platform: TestPlatform;
let market: CaseEventDefaults;
let futian: CaseEventDefaults;
let sessions: Record<'supervisor' | 'approver' | 'deptAdmin' | 'admin', Session>;
let districtSupervisor: Session;

const db = () => platform.database.db;
const NOVEMBER = 'from=2026-11-01&to=2026-11-30';
// Friday 6 November 2026, 12:00 in Shanghai
const FRIDAY = () => new Date('2026-11-06T04:00:00.000Z');
const at = (day: string) => `${day}T02:00:00.000Z`;
const handler = '00000000-0000-4000-8000-00000000abcd';

beforeAll(async () => {
  platform = await createTestPlatform();
  const departments = await platform.services.org.listDepartments();
  const m = departments.find((d) => d.name === '深圳市市场监督管理局')!;
  const f = departments.find((d) => d.name === '福田区政务服务数据管理局')!;
  market = { departmentId: m.id, regionPath: (await platform.services.org.departmentScope(m.id)).regionPath };
  futian = { departmentId: f.id, regionPath: (await platform.services.org.departmentScope(f.id)).regionPath, itemCode: 'FUTIAN-ITEM', itemName: '福田测试事项' };
  await recordEvents(
    db(),
    // decided: on time in 3 working days, late in 4, denied in 1; Futian on time in 2
    ...acceptedCase(market, 'A1', at('2026-11-02'), '2026-11-02', '2026-11-09', { at: at('2026-11-05') }),
    ...acceptedCase(market, 'A2', at('2026-11-02'), '2026-11-02', '2026-11-04', { at: at('2026-11-06') }),
    ...acceptedCase(market, 'A3', at('2026-11-02'), '2026-11-02', '2026-11-09', { at: at('2026-11-03'), status: 'denied' }),
    ...acceptedCase(futian, 'F1', at('2026-11-02'), '2026-11-02', '2026-11-09', { at: at('2026-11-04') }),
    // open: 4 of 5 working days used on Friday (yellow), past its deadline (red), fresh, and long unassigned
    ...acceptedCase(market, 'O1', at('2026-11-02'), '2026-11-02', '2026-11-09'),
    ...acceptedCase(market, 'O2', at('2026-11-02'), '2026-11-02', '2026-11-04'),
    ...acceptedCase(market, 'O3', at('2026-11-05'), '2026-11-05', '2026-11-12'),
    ...acceptedCase(market, 'O4', at('2026-11-02'), '2026-11-02', '2026-11-30'),
    caseEvent(market, 'O1', { status: 'in_review', fromStatus: 'accepted', action: 'claim', at: at('2026-11-03'), actorKind: 'staff', actorId: handler, stepIndex: 0 }),
    caseEvent(market, 'O2', { status: 'in_review', fromStatus: 'accepted', action: 'claim', at: at('2026-11-03'), actorKind: 'staff', actorId: handler, stepIndex: 0 }),
  );
  await new SupervisionService(db(), platform.services, { gapGraceMs: 0 }).catchUp();
  sessions = await loginAll(platform.app, ['supervisor', 'approver', 'deptAdmin', 'admin']);
  await platform.services.identity.createStaff(null, SYSTEM_ACTOR, { username: 'futian_sup', name: '福田监督', departmentId: f.id, roles: ['supervisor'], password: DEMO_PASSWORD });
  districtSupervisor = await login(platform.app, 'futian_sup');
});
afterAll(() => platform.close());

type Report = { indicators: Array<{ key: string; value: number | null; numerator: number | null; denominator: number | null; met: boolean | null }>; catalog: Array<{ key: string; target2019: number; target2020: number }>; byDepartment: Array<{ departmentId: string; decided: number }>; byRegion: Array<{ regionCode: string }>; trend: unknown[]; qualityAvailable: boolean };
const get = (session: Session | null, url: string, headers: Record<string, string> = {}) => as(platform.app, session, { method: 'GET', url, headers });
const figure = (r: Report, key: string) => r.indicators.find((i) => i.key === key)!;

describe('GET /api/v1/supervision/indicators (CONTRACT)', () => {
  it('gives the seed\'s figures for a department and period, beside the catalog\'s four-ways targets', async () => {
    const res = await get(sessions.supervisor, `/api/v1/supervision/indicators?${NOVEMBER}&departmentId=${market.departmentId}`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as Report;
    expect(figure(r, 'onTime')).toMatchObject({ numerator: 2, denominator: 3 });
    expect(figure(r, 'averageWorkdays').value).toBeCloseTo(8 / 3);
    expect(figure(r, 'p90Workdays').value).toBe(4);
    expect(figure(r, 'refusalRate')).toMatchObject({ numerator: 1, denominator: 3 });
    expect(figure(r, 'correctionRate')).toMatchObject({ numerator: 0, denominator: 7 });
    expect(figure(r, 'instantShare')).toMatchObject({ numerator: 0, denominator: 3 });
    // the platform wires the quality module in: November has no ratings, so no rate (not 0)
    expect(r.qualityAvailable).toBe(true);
    expect(figure(r, 'satisfactionRate').value).toBeNull();
    expect(r.catalog.map((c) => c.key)).toEqual(['immediate', 'online', 'nearby', 'oneVisit']);
    expect(r.catalog.find((c) => c.key === 'online')).toMatchObject({ target2019: 0.9, target2020: 1 });
    expect(r.byDepartment).toEqual([expect.objectContaining({ departmentId: market.departmentId, decided: 3 })]);
    expect(r.trend.length).toBeGreaterThan(0);
  });

  it('city-wide by default for a city supervisor, by region for a district supervisor', async () => {
    const city = (await get(sessions.supervisor, `/api/v1/supervision/indicators?${NOVEMBER}`)).json() as Report;
    expect(figure(city, 'onTime')).toMatchObject({ numerator: 3, denominator: 4 });
    expect(city.byRegion.map((r) => r.regionCode).sort()).toEqual(['440300', '440304']);
    const district = await get(districtSupervisor, `/api/v1/supervision/indicators?${NOVEMBER}`);
    expect(district.statusCode, district.body).toBe(200);
    expect((district.json() as Report).byDepartment.map((d) => d.departmentId)).toEqual([futian.departmentId]);
    const byRegion = await get(districtSupervisor, `/api/v1/supervision/indicators?${NOVEMBER}&regionCode=440304`);
    expect(figure(byRegion.json() as Report, 'onTime')).toMatchObject({ numerator: 1, denominator: 1 });
  });

  it('reports the quality indicators as not available (never 0) without the quality module', async () => {
    const service = new SupervisionService(db(), platform.services, {});
    const supervisor = { kind: 'staff' as const, userId: sessions.supervisor.user.id, name: 's', roles: ['supervisor' as const], departmentId: sessions.supervisor.user.departmentId!, regionPath: '440300' };
    const r = await service.indicators(supervisor, { from: '2026-11-01', to: '2026-11-30' });
    expect(r.qualityAvailable).toBe(false);
    expect(r.indicators.find((i) => i.key === 'satisfactionRate')).toMatchObject({ value: null, numerator: null });
    expect(r.indicators.find((i) => i.key === 'complaintOnTimeRate')!.value).toBeNull();
  });

  it('counts the demo city\'s real ratings through the platform\'s wiring (seam 3)', async () => {
    // ratings are dated in Asia/Shanghai: between 16:00 and 24:00 UTC the UTC date is a day behind
    const today = todayInShanghai();
    const month = `from=${today.slice(0, 8)}01&to=${today}`;
    const r = (await get(sessions.supervisor, `/api/v1/supervision/indicators?${month}`)).json() as Report;
    const figures = await platform.services.evaluation.figuresByDepartment({ from: `${today.slice(0, 8)}01`, to: today });
    const evaluations = figures.reduce((n, f) => n + f.evaluations, 0);
    expect(evaluations).toBeGreaterThan(0);
    expect(figure(r, 'satisfactionRate')).toMatchObject({ numerator: figures.reduce((n, f) => n + f.satisfied, 0), denominator: evaluations });
  });

  it('uses the quality module\'s figures when it is wired in (seam 3)', async () => {
    const quality: ServiceQualitySource = {
      figuresByDepartment: async () => [{ departmentId: market.departmentId, evaluations: 10, satisfied: 9, badReviews: 1, badRectified: 1, complaints: 4, complaintsOnTime: 3 }],
    };
    const service = new SupervisionService(db(), platform.services, { quality });
    const supervisor = { kind: 'staff' as const, userId: sessions.supervisor.user.id, name: 's', roles: ['supervisor' as const], departmentId: sessions.supervisor.user.departmentId!, regionPath: '440300' };
    const r = await service.indicators(supervisor, { from: '2026-11-01', to: '2026-11-30' });
    expect(r.qualityAvailable).toBe(true);
    expect(r.indicators.find((i) => i.key === 'satisfactionRate')).toMatchObject({ value: 0.9 });
    expect(r.indicators.find((i) => i.key === 'complaintOnTimeRate')).toMatchObject({ value: 0.75 });
    expect(r.indicators.find((i) => i.key === 'rectificationRate')).toMatchObject({ value: 1 });
  });

  it('refuses bad input with a clear 4xx: reversed period, more than 5 years, impossible dates, unknown department or region', async () => {
    const reversed = await get(sessions.supervisor, '/api/v1/supervision/indicators?from=2026-11-30&to=2026-11-01');
    expect(reversed.statusCode).toBe(400);
    expect(errorFields(reversed)).toEqual(['from:period_reversed']);
    const long = await get(sessions.supervisor, '/api/v1/supervision/indicators?from=2020-01-01&to=2025-01-02');
    expect(long.statusCode).toBe(400);
    expect(errorFields(long)).toEqual(['to:period_too_long']);
    expect((await get(sessions.supervisor, '/api/v1/supervision/indicators?from=2021-01-01&to=2026-01-01')).statusCode).toBe(200);
    const impossible = await get(sessions.supervisor, '/api/v1/supervision/indicators?from=2026-02-30&to=2026-03-01');
    expect(impossible.statusCode).toBe(400);
    expect(errorFields(impossible)).toEqual(['from:invalid_format']);
    const unknownDept = await get(sessions.supervisor, `/api/v1/supervision/indicators?departmentId=0b7a2f1e-1111-4222-8333-444455556666`);
    expect(unknownDept.statusCode).toBe(404);
    expect(unknownDept.json()).toMatchObject({ code: 'department_not_found' });
    const unknownRegion = await get(sessions.supervisor, '/api/v1/supervision/indicators?regionCode=999999');
    expect(unknownRegion.statusCode).toBe(404);
    const malformed = await get(sessions.supervisor, '/api/v1/supervision/indicators?departmentId=nope');
    expect(malformed.statusCode).toBe(400);
    const en = await get(sessions.supervisor, '/api/v1/supervision/indicators?from=2026-11-30&to=2026-11-01', { 'accept-language': 'en' });
    expect(JSON.stringify(en.json())).toContain('start date');
  });

  it('refuses a supervisor asking outside their region (403) and those who are not supervisors', async () => {
    const other = await get(districtSupervisor, `/api/v1/supervision/indicators?departmentId=${market.departmentId}`);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'outside_region' });
    expect((await get(districtSupervisor, '/api/v1/supervision/indicators?regionCode=440305')).statusCode).toBe(403);
    expect((await get(districtSupervisor, '/api/v1/supervision/indicators?regionCode=440300')).statusCode).toBe(403);
    expect((await get(sessions.approver, '/api/v1/supervision/indicators')).statusCode).toBe(403);
    expect((await get(null, '/api/v1/supervision/indicators')).statusCode).toBe(401);
    // a department admin sees their own department, and no other
    const own = await get(sessions.deptAdmin, `/api/v1/supervision/indicators?${NOVEMBER}`);
    expect((own.json() as Report).byDepartment.map((d) => d.departmentId)).toEqual([market.departmentId]);
    expect((await get(sessions.deptAdmin, `/api/v1/supervision/indicators?departmentId=${futian.departmentId}`)).statusCode).toBe(403);
  });

  it('exports the report as an Excel workbook and drills down to the cases behind a figure', async () => {
    const xlsx = await get(sessions.supervisor, `/api/v1/supervision/indicators.xlsx?${NOVEMBER}`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const late = await get(sessions.supervisor, `/api/v1/supervision/cases?${NOVEMBER}&filter=late`);
    expect(late.statusCode, late.body).toBe(200);
    expect((late.json() as { items: Array<{ caseNumber: string }> }).items.map((i) => i.caseNumber)).toEqual(['A2']);
    const open = await get(districtSupervisor, `/api/v1/supervision/cases?${NOVEMBER}&filter=open`);
    expect((open.json() as { items: unknown[] }).items).toEqual([]);
  });
});

describe('sweep and alerts', () => {
  it('raises yellow at 80 % of the limit, red when overdue and unassigned after a working day, each once with several sweepers', async () => {
    const sweepers = [0, 1, 2].map(() => new SupervisionService(db(), platform.services, { now: FRIDAY }));
    const rounds = await Promise.all(sweepers.map((s) => s.sweep()));
    const again = await sweepers[0]!.sweep();
    expect(again.raised).toBe(0);
    const alerts = await db().selectFrom('supervision_alerts').select(['case_number', 'kind', 'level']).where('case_number', 'in', ['O1', 'O2', 'O3', 'O4']).orderBy('case_number').orderBy('kind').execute();
    expect(alerts).toEqual([
      { case_number: 'O1', kind: 'deadline', level: 'yellow' },
      { case_number: 'O2', kind: 'deadline', level: 'red' },
      { case_number: 'O4', kind: 'unassigned', level: 'anomaly' },
    ]);
    expect(rounds.reduce((s, r) => s + r.raised, 0)).toBe(3);
  });

  it('tells the handler, the department head and (for red) the supervisors, once', async () => {
    const service = new SupervisionService(db(), platform.services, { now: FRIDAY });
    await Promise.all([service.notify(), service.notify()]);
    await service.notify();
    const messages = await db().selectFrom('messages').select(['user_id', 'case_number', 'title']).where('case_number', 'in', ['O1', 'O2', 'O4']).execute();
    const to = (n: string) => messages.filter((m) => m.case_number === n).map((m) => m.user_id).sort();
    // the handler id is not an account here: only the department head and supervisors receive
    expect(to('O1')).toEqual([sessions.deptAdmin.user.id]);
    expect(to('O2')).toEqual([sessions.deptAdmin.user.id, sessions.supervisor.user.id].sort());
    expect(messages.find((m) => m.case_number === 'O2')!.title).toContain('红色');
    const futianSup = districtSupervisor.user.id;
    expect(messages.some((m) => m.user_id === futianSup)).toBe(false);
  });

  it('the live monitor shows the open cases by level, most urgent first, with elapsed and remaining working days', async () => {
    const service = new SupervisionService(db(), platform.services, { now: FRIDAY });
    const supervisor = { kind: 'staff' as const, userId: 'x', name: 's', roles: ['supervisor' as const], departmentId: market.departmentId, regionPath: '440300' };
    const m = await service.monitor(supervisor, { departmentId: market.departmentId });
    expect(m.totals).toMatchObject({ red: 1, yellow: 1 });
    expect(m.cases[0]).toMatchObject({ caseNumber: 'O2', elapsedWorkdays: 4, remainingWorkdays: -2, level: 'red' });
    expect(m.cases.find((c) => c.caseNumber === 'O1')).toMatchObject({ elapsedWorkdays: 4, remainingWorkdays: 1, level: 'yellow', currentStep: 0, stepElapsedWorkdays: 3 });
    const res = await get(sessions.supervisor, '/api/v1/supervision/alerts?level=red');
    expect(res.statusCode).toBe(200);
    expect((res.json() as { items: Array<{ caseNumber: string }> }).items.map((i) => i.caseNumber)).toContain('O2');
  });

  it('labels the alert kinds in Chinese by default and in English for accept-language: en, in the same shape', async () => {
    type Alerts = { items: Array<Record<string, unknown> & { caseNumber: string; kind: string; kindLabel: string }> };
    const labels = (body: Alerts) => Object.fromEntries(body.items.filter((i) => ['O2', 'O4'].includes(i.caseNumber)).map((i) => [i.kind, i.kindLabel]));
    const zh = await get(sessions.supervisor, '/api/v1/supervision/alerts?limit=100');
    const en = await get(sessions.supervisor, '/api/v1/supervision/alerts?limit=100', { 'accept-language': 'en' });
    expect(zh.statusCode, zh.body).toBe(200);
    expect(en.statusCode, en.body).toBe(200);
    expect(labels(zh.json() as Alerts)).toEqual({ deadline: '办理时限预警', unassigned: '超过1个工作日未分派' });
    expect(labels(en.json() as Alerts)).toEqual({ deadline: 'Deadline warning', unassigned: 'Unassigned for more than one working day' });
    // the caller's most preferred of the two wins, as for problem messages
    const preferred = await get(sessions.supervisor, '/api/v1/supervision/alerts?limit=100', { 'accept-language': 'zh-CN;q=0.5, en-GB;q=0.9' });
    expect(labels(preferred.json() as Alerts)).toEqual(labels(en.json() as Alerts));
    const keys = (body: Alerts) => body.items.map((i) => Object.keys(i).sort().join());
    expect(keys(en.json() as Alerts)).toEqual(keys(zh.json() as Alerts));
  });
});

describe('public disclosure', () => {
  it('GET /api/v1/public/overdue (CONTRACT) lists item, department, working days overdue and reason, and no personal data', async () => {
    const res = await get(null, '/api/v1/public/overdue?limit=100');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: Array<Record<string, unknown>> };
    const mine = body.items.filter((i) => i.itemCode === 'TESTITEM-001');
    // O1-O4 are all past their deadlines by now (the test runs after November 2026)
    expect(mine.length).toBe(4);
    expect(Object.keys(mine[0]!).sort()).toEqual(['daysOverdue', 'deadline', 'departmentId', 'departmentName', 'itemCode', 'itemName', 'reason']);
    expect(mine[0]).toMatchObject({ deadline: '2026-11-04', departmentName: '深圳市市场监督管理局' });
    expect(mine[0]!.daysOverdue as number).toBeGreaterThan(0);
    // nothing of any demo applicant: names, ID numbers, phones
    expect(res.body).not.toMatch(/张三|王秀英|\d{17}[\dX]|1[3-9]\d{9}/);
    expect((await get(null, '/api/v1/public/overdue?departmentId=0b7a2f1e-1111-4222-8333-444455556666')).statusCode).toBe(404);
    expect((await get(null, '/api/v1/public/overdue?limit=1000')).statusCode).toBe(400);
  });

  it('words the overdue reasons in Chinese by default and in English for accept-language: en', async () => {
    type Overdue = { items: Array<{ itemCode: string; deadline: string; reason: string }> };
    const reasons = (body: Overdue) => body.items.filter((i) => i.itemCode === 'TESTITEM-001').map((i) => i.reason).sort();
    const zh = await get(null, '/api/v1/public/overdue?limit=100');
    const en = await get(null, '/api/v1/public/overdue?limit=100', { 'accept-language': 'en' });
    expect(en.statusCode, en.body).toBe(200);
    // O1 and O2 claimed (in review), O3 and O4 only accepted
    expect(reasons(zh.json() as Overdue)).toEqual(['受理后超过承诺时限尚未审查', '受理后超过承诺时限尚未审查', '审查超过承诺时限未作出决定', '审查超过承诺时限未作出决定']);
    expect(reasons(en.json() as Overdue)).toEqual([
      'Accepted, not yet reviewed past the promised time limit',
      'Accepted, not yet reviewed past the promised time limit',
      'Under review past the promised time limit, no decision yet',
      'Under review past the promised time limit, no decision yet',
    ]);
    const { reason: _zhReason, ...zhRest } = (zh.json() as Overdue).items[0]!;
    const { reason: _enReason, ...enRest } = (en.json() as Overdue).items[0]!;
    expect(enRest).toEqual(zhRest);
  });

  it('heads the open data CSV files in Chinese by default and in English for accept-language: en', async () => {
    const firstLine = async (file: string, headers: Record<string, string> = {}) => {
      const res = await get(null, `/api/v1/public/open-data/${file}`, headers);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers.vary).toBe('accept-language');
      return res.body.split('\r\n')[0];
    };
    const en = { 'accept-language': 'en-US,en;q=0.9' };
    expect(await firstLine('overdue.csv')).toBe('\ufeff事项编码,事项名称,部门,承诺期限,超期工作日,原因');
    expect(await firstLine('overdue.csv', en)).toBe('\ufeffItem code,Item name,Department,Promised deadline,Working days overdue,Reason');
    expect(await firstLine('ranking.csv?month=2026-11')).toBe('\ufeff月份,排名,部门,得分,办结件数,按时办结率');
    expect(await firstLine('ranking.csv?month=2026-11', en)).toBe('\ufeffMonth,Rank,Department,Score,Cases completed,On-time completion rate');
    // a download link names its language, whatever the browser's Accept-Language; anything else is 400
    expect(await firstLine('overdue.csv?lang=en')).toBe('\ufeffItem code,Item name,Department,Promised deadline,Working days overdue,Reason');
    expect(await firstLine('ranking.csv?month=2026-11&lang=zh', en)).toBe('\ufeff月份,排名,部门,得分,办结件数,按时办结率');
    expect((await get(null, '/api/v1/public/open-data/overdue.csv?lang=fr')).statusCode).toBe(400);
    // the rows follow: the reasons in English, the names as registered
    const rows = (await get(null, '/api/v1/public/open-data/overdue.csv', en)).body.split('\r\n').filter((l) => l.startsWith('TESTITEM-001,测试许可事项,'));
    expect(rows.filter((l) => l.endsWith(',"Accepted, not yet reviewed past the promised time limit"')).length).toBe(2);
    expect(rows.filter((l) => l.endsWith(',"Under review past the promised time limit, no decision yet"')).length).toBe(2);
    const json = (await get(null, '/api/v1/public/open-data/overdue.json', en)).json() as { items: Array<{ itemCode: string; reason: string }> };
    expect(new Set(json.items.filter((i) => i.itemCode === 'TESTITEM-001').map((i) => i.reason))).toEqual(new Set(['Accepted, not yet reviewed past the promised time limit', 'Under review past the promised time limit, no decision yet']));
  });

  it('publishes the monthly department ranking and the open data downloads (CSV, JSON)', async () => {
    const ranking = await get(null, '/api/v1/public/ranking?month=2026-11');
    expect(ranking.statusCode, ranking.body).toBe(200);
    const r = ranking.json() as { departments: Array<{ departmentId: string; rank: number; score: number }> };
    expect(r.departments.map((d) => d.departmentId)).toEqual([futian.departmentId, market.departmentId]);
    expect(r.departments[0]).toMatchObject({ rank: 1 });
    expect((await get(null, '/api/v1/public/ranking?month=2026-13')).statusCode).toBe(400);
    const csv = await get(null, '/api/v1/public/open-data/overdue.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toContain('超期工作日');
    const json = await get(null, '/api/v1/public/open-data/ranking.json?month=2026-11');
    expect((json.json() as { month: string }).month).toBe('2026-11');
    expect((await get(null, '/api/v1/public/open-data/secrets.csv')).statusCode).toBe(400);
  });

  it('scores departments with configurable weights (unavailable indicators drop out)', async () => {
    const onlyOnTime = new SupervisionService(db(), platform.services, { weights: { onTime: 1, lowCorrection: 0, lowRefusal: 0, satisfaction: 0, rectification: 0, complaintOnTime: 0 } });
    const e = await onlyOnTime.evaluation({ departmentId: null, regionPath: null }, '2026-11');
    expect(e.departments.find((d) => d.departmentId === market.departmentId)!.score).toBeCloseTo(66.7, 1);
    expect(e.departments.find((d) => d.departmentId === futian.departmentId)!.score).toBe(100);
    const res = await get(districtSupervisor, '/api/v1/supervision/evaluation?month=2026-11&regionCode=440300');
    expect(res.statusCode).toBe(403);
  });
});
