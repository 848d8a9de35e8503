import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { as, createTestPlatform, errorFields, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { ITEMS, actAndExpect, demoItem, staffSession, submitCase } from '../../../test/case-fixtures.js';
import { DEMO_PERSON } from '../demo/seed.js';
import { fromGbtCode, LEVELS, toGbtCode } from '../../shared/quality-codes.js';
import { addDays, todayInShanghai } from '../../platform/time.js';
import { EvaluationService } from './service.js';
import { runQualitySweeps } from './worker.js';

let platform: TestPlatform;
let person: Session;
let enterprise: Session;
let clerk: Session;
let approver: Session;
let deptAdmin: Session;
let supervisor: Session;

beforeAll(async () => {
  platform = await createTestPlatform();
  ({ person, enterprise, clerk, approver, deptAdmin, supervisor } = await loginAll(platform.app, ['person', 'enterprise', 'clerk', 'approver', 'deptAdmin', 'supervisor']));
});
afterAll(() => platform.close());

const rate = (session: Session | null, caseNumber: string, payload: object) => as(platform.app, session, { method: 'POST', url: `/api/v1/cases/${caseNumber}/evaluations`, payload });

/** A case of the person's that is completed now: criminal record certificate, accepted and approved today. */
async function completedCase(): Promise<string> {
  const { caseNumber } = await submitCase(platform, person, ITEMS.criminalRecord);
  // the police's item: the market's approver cannot decide it; the back office of the police department is demo-less, so refuse at the window (not_accepted completes a case too)
  await actAndExpect(platform, clerk, caseNumber, { action: 'not_accept', reason: '不属于本机关受理范围，请向户籍所在地派出所申请。', legalBasis: '《中华人民共和国行政许可法》第三十二条第一款第（二）项' } as never);
  return caseNumber;
}

describe('the GB/T 39046 level mapping', () => {
  it('maps our 5 (very satisfied) to code 1 and back, for every level', () => {
    expect(toGbtCode(5)).toBe('1');
    expect(toGbtCode(1)).toBe('5');
    expect(toGbtCode(3)).toBe('3');
    for (const level of LEVELS) expect(fromGbtCode(toGbtCode(level))).toBe(level);
    expect(() => toGbtCode(0 as never)).toThrow(RangeError);
    expect(() => fromGbtCode('6')).toThrow(RangeError);
  });
});

describe('rating a case', () => {
  it('takes a first and one follow-up rating from the owner, with the GB/T 39046 fields, and refuses a third', async () => {
    const caseNumber = await completedCase();
    const before = (await as(platform.app, person, { method: 'GET', url: `/api/v1/cases/${caseNumber}/evaluations` })).json();
    expect(before).toMatchObject({ ratings: [], canRate: true, nextRound: 1 });

    const first = await rate(person, caseNumber, { level: 4, channel: 'pc', text: '  窗口说明清楚。 ' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ caseNumber, round: 1, level: 4, gbtCode: '2', channel: 'pc', text: '窗口说明清楚。', isDefault: false, regionCode: '440300', staffName: '窗口 陈静', rectificationId: null });

    const second = await rate(person, caseNumber, { level: 5, channel: 'mobile' });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toMatchObject({ round: 2, gbtCode: '1' });

    const third = await rate(person, caseNumber, { level: 3, channel: 'sms' });
    expect(third.statusCode).toBe(422);
    expect(third.json()).toMatchObject({ code: 'evaluation_rounds_used' });
    const after = (await as(platform.app, person, { method: 'GET', url: `/api/v1/cases/${caseNumber}/evaluations` })).json();
    expect(after).toMatchObject({ canRate: false, nextRound: null });
    expect(after.ratings).toHaveLength(2);
  });

  it('answers 404 to someone else rating the case, and to staff and strangers alike', async () => {
    const caseNumber = await completedCase();
    const other = await rate(enterprise, caseNumber, { level: 1, channel: 'pc', text: '恶意差评' });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ code: 'evaluation_subject_not_found' });
    expect((await rate(enterprise, 'TB20990101000001', { level: 5, channel: 'pc' })).statusCode).toBe(404);
    expect((await rate(clerk, caseNumber, { level: 5, channel: 'pc' })).statusCode).toBe(403);
    expect((await rate(null, caseNumber, { level: 5, channel: 'pc' })).statusCode).toBe(401);
    const rows = await platform.database.db.selectFrom('evaluations').select('id').where('subject_ref', '=', caseNumber).execute();
    expect(rows).toEqual([]);
  });

  it('refuses a case still running, a blank or over-long text, a bad level or channel, and a bad review without a reason', async () => {
    const { caseNumber: running } = await submitCase(platform, person, ITEMS.criminalRecord);
    const open = await rate(person, running, { level: 5, channel: 'pc' });
    expect(open.statusCode).toBe(422);
    expect(open.json()).toMatchObject({ code: 'evaluation_not_completed' });

    const done = await completedCase();
    const blank = await rate(person, done, { level: 4, channel: 'pc', text: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(errorFields(blank)).toEqual(['text:evaluation_text_empty']);
    const long = await rate(person, done, { level: 4, channel: 'pc', text: '长'.repeat(501) });
    expect(long.statusCode).toBe(400);
    expect(errorFields(long)[0]).toMatch(/^text:/);
    const level = await rate(person, done, { level: 6, channel: 'carrier-pigeon' });
    expect(level.statusCode).toBe(400);
    expect(errorFields(level)).toEqual(expect.arrayContaining([expect.stringMatching(/^level:/), expect.stringMatching(/^channel:/)]));
    const silent = await rate(person, done, { level: 2, channel: 'pc' });
    expect(silent.statusCode).toBe(400);
    expect(errorFields(silent)).toEqual(['text:evaluation_bad_review_needs_text']);
    const en = await as(platform.app, person, { method: 'POST', url: `/api/v1/cases/${done}/evaluations`, payload: { level: 2, channel: 'pc' }, headers: { 'accept-language': 'en' } });
    expect((en.json() as { errors: Array<{ message: string }> }).errors[0]!.message).toMatch(/reason/);
    expect(await platform.database.db.selectFrom('evaluations').select('id').where('subject_ref', '=', done).execute()).toEqual([]);
  });

  it('refuses a rating after the period, and the sweep records the default once, marked default, even when run twice at once', async () => {
    const caseNumber = await completedCase();
    const later = new Date(Date.now() + 16 * 86_400_000);
    const { cases, calendar, org, tickets, catalogQuery, evaluation } = platform.services;
    const service = new EvaluationService(platform.database.db, { cases, catalog: catalogQuery, calendar, org, tickets, settings: evaluation.settings }, { now: () => later });
    const applicant = { kind: 'applicant' as const, userId: person.user.id, applicantKind: 'natural' as const, name: DEMO_PERSON.name };
    await expect(service.rate(applicant, null, { kind: 'case', caseNumber }, { level: 5, channel: 'pc' })).rejects.toMatchObject({ code: 'evaluation_period_over', params: { days: 15 } });

    // two instances sweeping at the same moment: one default, no error
    const [a, b] = await Promise.all([runQualitySweeps({ evaluation: service, tickets }, later), runQualitySweeps({ evaluation: service, tickets }, later)]);
    expect(a.defaults + b.defaults).toBeGreaterThanOrEqual(1);
    await runQualitySweeps({ evaluation: service, tickets }, later);
    const rows = await platform.database.db.selectFrom('evaluations').selectAll().where('subject_ref', '=', caseNumber).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ round: 1, level: 5, is_default: true, channel: 'system', rater_user_id: null });
    // the case was within its period for the live clock: nothing of it was defaulted early
    const state = await service.state(applicant, { kind: 'case', caseNumber });
    expect(state).toMatchObject({ canRate: false, ratings: [expect.objectContaining({ isDefault: true, gbtCode: '1' })] });
  });

  it('leaves a case inside its period alone', async () => {
    const caseNumber = await completedCase();
    await runQualitySweeps(platform.services, new Date(Date.now() + 14 * 86_400_000));
    expect(await platform.database.db.selectFrom('evaluations').select('id').where('subject_ref', '=', caseNumber).execute()).toEqual([]);
  });

  it('takes a hall window visit by QR code, once a day plus the follow-up', async () => {
    const halls = (await platform.app.inject({ method: 'GET', url: '/api/v1/halls' })).json() as { items: Array<{ id: string }> };
    const payload = { hallId: halls.items[0]!.id, window: 'A3', departmentId: clerk.user.departmentId, level: 5, channel: 'qr_code', text: '很快' };
    const first = await as(platform.app, person, { method: 'POST', url: '/api/v1/evaluations/hall-visits', payload });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ subjectKind: 'hall_visit', round: 1, hallId: payload.hallId, caseNumber: null });
    expect((await as(platform.app, person, { method: 'POST', url: '/api/v1/evaluations/hall-visits', payload })).json()).toMatchObject({ round: 2 });
    expect((await as(platform.app, person, { method: 'POST', url: '/api/v1/evaluations/hall-visits', payload })).statusCode).toBe(422);
    const unknown = await as(platform.app, person, { method: 'POST', url: '/api/v1/evaluations/hall-visits', payload: { ...payload, hallId: '3f1c9a52-8d4e-4b7a-9c1d-2e5f6a7b8c9d' } });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('a recorded hall visit', () => {
  type Visit = { id: string; code: string; ratingPath: string; staffName: string; itemName: string | null; hallId: string };
  const halls = async () => ((await platform.app.inject({ method: 'GET', url: '/api/v1/halls' })).json() as { items: Array<{ id: string }> }).items;
  const record = (session: Session, payload: object) => as(platform.app, session, { method: 'POST', url: '/api/v1/hall-visits', payload });
  const rateVisit = (session: Session | null, id: string, payload: object) => as(platform.app, session, { method: 'POST', url: `/api/v1/hall-visits/${id}/evaluations`, payload });

  it('is recorded by the window clerk (hall, window, staff member, item, time), with a code for the QR page; not by others', async () => {
    const hallId = (await halls())[0]!.id;
    const food = await demoItem(platform, ITEMS.food);
    const res = await record(clerk, { hallId, window: 'B2', itemCode: food.implementationCode });
    expect(res.statusCode, res.body).toBe(201);
    const visit = res.json() as Visit;
    expect(visit).toMatchObject({ hallId, window: 'B2', staffName: clerk.user.name, departmentId: clerk.user.departmentId, itemName: ITEMS.food, visitedAt: expect.any(String) });
    expect(visit.ratingPath).toBe(`/rate/visit/${visit.id}?code=${visit.code}`);
    // the code is kept only as a hash
    const row = await platform.database.db.selectFrom('hall_visits').selectAll().where('id', '=', visit.id).executeTakeFirstOrThrow();
    expect(row.code_hash).not.toContain(visit.code);
    expect(await platform.database.db.selectFrom('audit_log').select('action').where('target_id', '=', visit.id).execute()).toEqual([{ action: 'evaluation.hall_visit.recorded' }]);

    for (const session of [person, approver, supervisor]) expect((await record(session, { hallId, window: 'B2' })).statusCode).toBe(403);
    expect(errorFields(await record(clerk, { hallId: '3f1c9a52-8d4e-4b7a-9c1d-2e5f6a7b8c9d', window: 'B2', itemCode: 'NOSUCHITEM' }))).toEqual(['hallId:evaluation_hall_unknown', 'itemCode:evaluation_item_unknown']);
    expect(errorFields(await record(clerk, { hallId, window: 'B 2' }))).toEqual(['window:invalid_format']);
  });

  it("is refused at a hall outside the clerk's region, and taken at one inside it", async () => {
    const byName = new Map((await platform.services.org.listHalls()).map((h) => [h.name, h.id]));
    const nanshan = await staffSession(platform, { username: 'nanshan-clerk', name: '窗口 南山', department: '南山区政务服务数据管理局', roles: ['window_clerk'] });
    const futianHall = byName.get('福田区行政服务大厅')!;
    const refused = await record(nanshan, { hallId: futianHall, window: 'C1' });
    expect(errorFields(refused)).toEqual(['hallId:evaluation_hall_out_of_region']);
    expect(refused.json()).toMatchObject({ errors: [expect.objectContaining({ message: expect.stringContaining('区域') })] });
    const english = await as(platform.app, nanshan, { method: 'POST', url: '/api/v1/hall-visits', payload: { hallId: futianHall, window: 'C1' }, headers: { 'accept-language': 'en' } });
    expect(JSON.stringify(english.json())).toContain("outside your department's region");
    expect(await platform.database.db.selectFrom('hall_visits').select('id').where('hall_window', '=', 'C1').execute()).toEqual([]);
    expect((await record(nanshan, { hallId: byName.get('南山区行政服务大厅')!, window: 'C1' })).statusCode).toBe(201);
    // a city department's clerk serves at any hall of the city
    expect((await record(clerk, { hallId: futianHall, window: 'C2' })).statusCode).toBe(201);
  });

  it('is rated by the visitor holding the code, with the GB/T 39046 fields, and by nobody else', async () => {
    const visit = (await record(clerk, { hallId: (await halls())[0]!.id, window: 'B3' })).json() as Visit;
    expect((await rateVisit(person, visit.id, { code: 'wrong-code-123', level: 5, channel: 'qr_code' })).statusCode).toBe(404);
    // a refused rating does not claim the visit
    expect(errorFields(await rateVisit(enterprise, visit.id, { code: visit.code, level: 1, channel: 'qr_code' }))).toEqual(['text:evaluation_bad_review_needs_text']);
    const state = await as(platform.app, person, { method: 'GET', url: `/api/v1/hall-visits/${visit.id}/evaluations?code=${visit.code}` });
    expect(state.json()).toMatchObject({ ratings: [], canRate: true, nextRound: 1 });

    const first = await rateVisit(person, visit.id, { code: visit.code, level: 4, channel: 'qr_code', text: '引导清楚' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ subjectKind: 'hall_visit', round: 1, gbtCode: '2', isDefault: false, hallId: visit.hallId, staffName: clerk.user.name, departmentId: clerk.user.departmentId, regionCode: expect.stringMatching(/^\d{6}$/) });
    // the visit is the person's now: someone else with the code gets nothing, and staff cannot rate
    expect((await rateVisit(enterprise, visit.id, { code: visit.code, level: 1, channel: 'qr_code', text: '恶意差评' })).statusCode).toBe(404);
    expect((await as(platform.app, enterprise, { method: 'GET', url: `/api/v1/hall-visits/${visit.id}/evaluations?code=${visit.code}` })).statusCode).toBe(404);
    expect((await rateVisit(clerk, visit.id, { code: visit.code, level: 5, channel: 'qr_code' })).statusCode).toBe(403);
    expect((await rateVisit(null, visit.id, { code: visit.code, level: 5, channel: 'qr_code' })).statusCode).toBe(401);
    expect((await rateVisit(person, visit.id, { code: visit.code, level: 5, channel: 'mobile' })).json()).toMatchObject({ round: 2 });
    expect((await rateVisit(person, visit.id, { code: visit.code, level: 5, channel: 'mobile' })).json()).toMatchObject({ code: 'evaluation_rounds_used' });
    expect(errorFields(await rateVisit(person, visit.id, { code: 'x', level: 5, channel: 'mobile' }))).toEqual(['code:too_short']);
  });

  it('left unrated gets the default rating once the period ends, once even with two instances sweeping', async () => {
    const visit = (await record(clerk, { hallId: (await halls())[0]!.id, window: 'B4' })).json() as Visit;
    const rated = (await record(clerk, { hallId: (await halls())[0]!.id, window: 'B5' })).json() as Visit;
    await rateVisit(person, rated.id, { code: rated.code, level: 3, channel: 'qr_code' });
    await runQualitySweeps(platform.services, new Date(Date.now() + 14 * 86_400_000));
    expect(await platform.database.db.selectFrom('evaluations').select('id').where('subject_ref', '=', visit.id).execute()).toEqual([]);
    const later = new Date(Date.now() + 16 * 86_400_000);
    await Promise.all([runQualitySweeps(platform.services, later), runQualitySweeps(platform.services, later)]);
    const rows = await platform.database.db.selectFrom('evaluations').selectAll().where('subject_ref', 'in', [visit.id, rated.id]).orderBy('rated_at').execute();
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.subject_ref === visit.id)).toMatchObject({ subject_kind: 'hall_visit', round: 1, level: 5, is_default: true, channel: 'system', rater_user_id: null, hall_window: 'B4', staff_name: clerk.user.name });
    expect(rows.find((r) => r.subject_ref === rated.id)).toMatchObject({ is_default: false, level: 3 });
  });
});

describe('the rectification of a bad review', () => {
  it('opens a ticket for the department, takes call-back, report and confirmation, notifies and audits every step', async () => {
    // a fresh case: the sweep above ran with a clock 16 days ahead and defaulted the demo city's completed cases
    const caseNumber = await decidedMarketCaseFresh();
    const bad = await rate(person, caseNumber, { level: 1, channel: 'mobile', text: '快递送达太慢，电话无人接听。' });
    expect(bad.statusCode, bad.body).toBe(201);
    const rectificationId = (bad.json() as { rectificationId: string }).rectificationId;
    expect(rectificationId).toEqual(expect.any(String));

    const queue = (await as(platform.app, deptAdmin, { method: 'GET', url: '/api/v1/rectifications?status=open' })).json() as { items: Array<{ id: string; steps: string[]; dueOn: string }> };
    const mine = queue.items.find((r) => r.id === rectificationId)!;
    expect(mine.steps).toEqual(['callback', 'appeal']);
    expect(mine.dueOn > todayInShanghai()).toBe(true);
    // other departments and the applicant's strangers see nothing
    expect((await as(platform.app, clerk, { method: 'GET', url: `/api/v1/rectifications/${rectificationId}` })).statusCode).toBe(403);
    const otherAdmin = await staffSession(platform, { username: 'data_admin_q', name: '数据局 部门管理', department: '深圳市政务服务数据管理局', roles: ['department_admin'] });
    expect((await as(platform.app, otherAdmin, { method: 'GET', url: `/api/v1/rectifications/${rectificationId}` })).statusCode).toBe(404);
    expect((await as(platform.app, otherAdmin, { method: 'POST', url: `/api/v1/rectifications/${rectificationId}/steps`, payload: { step: 'callback', version: 1, note: '越权' } })).statusCode).toBe(404);
    expect((await as(platform.app, enterprise, { method: 'GET', url: `/api/v1/rectifications/${rectificationId}` })).statusCode).toBe(404);

    const step = (session: Session, body: object) => as(platform.app, session, { method: 'POST', url: `/api/v1/rectifications/${rectificationId}/steps`, payload: body });
    // out of order, wrong party, stale version, blank note
    expect((await step(deptAdmin, { step: 'report', version: 1, report: '已整改' })).json()).toMatchObject({ code: 'rectification_step_not_allowed' });
    expect((await step(person, { step: 'callback', version: 1, note: '我自己回访' })).statusCode).toBe(422);
    expect((await step(deptAdmin, { step: 'callback', version: 9, note: '已电话回访' })).statusCode).toBe(409);
    expect(errorFields(await step(deptAdmin, { step: 'callback', version: 1, note: '  ' }))).toEqual(['note:evaluation_text_blank']);

    expect((await step(deptAdmin, { step: 'callback', version: 1, note: '已电话回访申请人，了解到快递延误两天。' })).json()).toMatchObject({ status: 'called_back', version: 2 });
    expect((await step(approver, { step: 'report', version: 2, report: '已与快递公司约定次日达，并设专人接听咨询电话。' })).json()).toMatchObject({ status: 'reported' });
    const reopened = await step(person, { step: 'confirm', version: 3, satisfied: false, comment: '电话还是打不通' });
    expect(reopened.json()).toMatchObject({ status: 'called_back', report: null });
    await step(approver, { step: 'report', version: 4, report: '咨询电话已转接至12345，工作时间有人接听。' });
    const closed = await step(person, { step: 'confirm', version: 5, satisfied: true });
    expect(closed.json()).toMatchObject({ status: 'closed', outcome: 'rectified', steps: [] });

    const audit = await platform.database.db.selectFrom('audit_log').select('action').where('target_id', '=', rectificationId).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual([
      'evaluation.rectification.opened', 'evaluation.rectification.callback', 'evaluation.rectification.report',
      'evaluation.rectification.confirm', 'evaluation.rectification.report', 'evaluation.rectification.confirm',
    ]);
    // the department's staff were told to act, the applicant to confirm
    await platform.services.events.dispatchPending(500);
    const messages = await platform.database.db.selectFrom('messages').select(['user_id', 'title']).where('title', 'in', ['收到差评整改工单', '请确认整改结果', '申请人不认可整改结果']).execute();
    expect(messages).toEqual(expect.arrayContaining([
      { user_id: deptAdmin.user.id, title: '收到差评整改工单' },
      { user_id: approver.user.id, title: '收到差评整改工单' },
      { user_id: person.user.id, title: '请确认整改结果' },
      { user_id: deptAdmin.user.id, title: '申请人不认可整改结果' },
    ]));
    expect(messages.some((m) => m.user_id === clerk.user.id)).toBe(false);
  });

  it('escalates an overdue one to the supervisor once, and lets the department appeal and the supervisor decide', async () => {
    const caseNumber = await completedCase();
    // a bad review of the police's case: the data bureau's clerk refused it, but the case belongs to the police department
    const bad = await rate(person, caseNumber, { level: 2, channel: 'pc', text: '被告知不予受理，但理由讲得不清楚。' });
    const id = (bad.json() as { rectificationId: string }).rectificationId;
    const later = new Date(Date.now() + 30 * 86_400_000);
    const first = await platform.services.evaluation.sweepOverdue(later);
    expect(first.escalated).toBeGreaterThanOrEqual(1);
    expect((await platform.services.evaluation.sweepOverdue(later)).escalated).toBe(0);
    const escalated = (await as(platform.app, supervisor, { method: 'GET', url: '/api/v1/rectifications?escalated=true' })).json() as { items: Array<{ id: string; steps: string[] }> };
    expect(escalated.items.map((r) => r.id)).toContain(id);
    await platform.services.events.dispatchPending(500);
    const told = await platform.database.db.selectFrom('messages').select('user_id').where('title', '=', '差评整改超期').execute();
    expect(told.map((m) => m.user_id)).toContain(supervisor.user.id);

    // the police department has no demo handler: the supervisor may not appeal on its behalf, only decide
    const step = (session: Session, body: object) => as(platform.app, session, { method: 'POST', url: `/api/v1/rectifications/${id}/steps`, payload: body });
    expect((await step(supervisor, { step: 'appeal', version: 1, reason: '越权申诉' })).statusCode).toBe(422);
    const row = await platform.database.db.selectFrom('rectifications').select(['department_id']).where('id', '=', id).executeTakeFirstOrThrow();
    const police = await staffSession(platform, { username: 'police_admin_q', name: '公安 部门管理', department: '深圳市公安局', roles: ['department_admin'] });
    expect(police.user.departmentId).toBe(row.department_id);
    expect((await step(police, { step: 'appeal', version: 1, reason: '当事人申请事项不属于本机关职权，已一次性告知。' })).json()).toMatchObject({ status: 'appealed', steps: [] });
    expect((await step(police, { step: 'decide_appeal', version: 2, decision: 'upheld', comment: '自己裁定' })).statusCode).toBe(422);
    const decided = await step(supervisor, { step: 'decide_appeal', version: 2, decision: 'upheld', comment: '经核查，告知内容完整，申诉成立。' });
    expect(decided.json()).toMatchObject({ status: 'closed', outcome: 'appeal_upheld', appealDecision: 'upheld' });
  });

  it('closes a reported rectification the applicant never confirms as unconfirmed, once, audited', async () => {
    const caseNumber = await decidedMarketCaseFresh();
    const id = ((await rate(person, caseNumber, { level: 2, channel: 'pc', text: '材料要求前后不一' })).json() as { rectificationId: string }).rectificationId;
    const step = (session: Session, body: object) => as(platform.app, session, { method: 'POST', url: `/api/v1/rectifications/${id}/steps`, payload: body });
    expect((await step(deptAdmin, { step: 'callback', version: 1, note: '已回访' })).json()).toMatchObject({ confirmDueOn: null });
    const reported = (await step(deptAdmin, { step: 'report', version: 2, report: '已统一一次性告知单。' })).json() as { confirmDueOn: string };
    const { confirmationDays } = await platform.services.evaluation.settings.current();
    expect(reported.confirmDueOn).toBe(addDays(todayInShanghai(), confirmationDays));
    // refusing the fix sends it back without a confirmation deadline; a new report sets a fresh one
    expect((await step(person, { step: 'confirm', version: 3, satisfied: false, comment: '仍不一致' })).json()).toMatchObject({ status: 'called_back', confirmDueOn: null });
    await step(deptAdmin, { step: 'report', version: 4, report: '已核对全部窗口告知单。' });

    const dayOf = (offset: number) => new Date(`${addDays(todayInShanghai(), offset)}T12:00:00+08:00`);
    expect((await platform.services.evaluation.sweepUnconfirmed(dayOf(confirmationDays))).closed).toBe(0);
    const [a, b] = await Promise.all([platform.services.evaluation.sweepUnconfirmed(dayOf(confirmationDays + 1)), platform.services.evaluation.sweepUnconfirmed(dayOf(confirmationDays + 1))]);
    expect(a.closed + b.closed).toBeGreaterThanOrEqual(1);
    const closed = (await as(platform.app, deptAdmin, { method: 'GET', url: `/api/v1/rectifications/${id}` })).json();
    expect(closed).toMatchObject({ status: 'closed', outcome: 'unconfirmed', version: 6, steps: [] });
    expect((await step(person, { step: 'confirm', version: 6, satisfied: true })).json()).toMatchObject({ code: 'rectification_step_not_allowed' });
    const audit = await platform.database.db.selectFrom('audit_log').select('action').where('target_id', '=', id).where('action', '=', 'evaluation.rectification.unconfirmed').execute();
    expect(audit).toHaveLength(1);
  });

  it('returns a rejected appeal to where it was', async () => {
    const caseNumber = await decidedMarketCaseFresh();
    const id = ((await rate(person, caseNumber, { level: 1, channel: 'pc', text: '审批太慢' })).json() as { rectificationId: string }).rectificationId;
    const step = (session: Session, body: object) => as(platform.app, session, { method: 'POST', url: `/api/v1/rectifications/${id}/steps`, payload: body });
    await step(deptAdmin, { step: 'callback', version: 1, note: '已回访' });
    await step(deptAdmin, { step: 'appeal', version: 2, reason: '审批在承诺时限内完成' });
    const rejected = await step(supervisor, { step: 'decide_appeal', version: 3, decision: 'rejected', comment: '申请人反映的等候问题属实，请整改。' });
    expect(rejected.json()).toMatchObject({ status: 'called_back', appealDecision: 'rejected', outcome: null });
  });
});

/** A fresh food licence for the person, approved by the market's approver (all steps). */
async function decidedMarketCaseFresh(): Promise<string> {
  const { caseNumber } = await submitCase(platform, person, ITEMS.food);
  await actAndExpect(platform, clerk, caseNumber, { action: 'accept' });
  // the food licence's back office: two checking steps, then the decision (as the demo seed does)
  await actAndExpect(platform, approver, caseNumber, { action: 'complete_step', comment: '材料齐全' } as never);
  await actAndExpect(platform, approver, caseNumber, { action: 'complete_step', comment: '现场核查通过' } as never);
  await actAndExpect(platform, approver, caseNumber, { action: 'approve', comment: '准予许可' } as never);
  return caseNumber;
}

describe('figures and public statistics', () => {
  it('gives supervision the figures per department (seam 3), first rounds with defaults, bad reviews rectified, complaints on time', async () => {
    const today = todayInShanghai();
    const figures = await platform.services.evaluation.figuresByDepartment({ from: today, to: today });
    // the department whose bad review was rectified above (the delivered demo case's)
    const rectified = await platform.database.db.selectFrom('rectifications').select('department_id').where('outcome', '=', 'rectified').executeTakeFirstOrThrow();
    const market = figures.find((f) => f.departmentId === rectified.department_id)!;
    expect(market).toMatchObject({ departmentId: rectified.department_id });
    for (const f of figures) {
      expect(Object.keys(f).sort()).toEqual(['badRectified', 'badReviews', 'complaints', 'complaintsOnTime', 'departmentId', 'evaluations', 'satisfied']);
      expect(f.satisfied + f.badReviews).toBeLessThanOrEqual(f.evaluations);
      expect(f.badRectified).toBeLessThanOrEqual(f.badReviews);
      expect(f.complaintsOnTime).toBeLessThanOrEqual(f.complaints);
    }
    expect(market.badReviews).toBeGreaterThanOrEqual(1);
    expect(market.badRectified).toBeGreaterThanOrEqual(1);
    // a period before anything was rated: nothing
    expect(await platform.services.evaluation.figuresByDepartment({ from: '2020-01-01', to: '2020-01-31' })).toEqual([]);
  });

  it('publishes satisfaction by department, item, hall and month without any personal data, and as Excel', async () => {
    const res = await platform.app.inject({ method: 'GET', url: '/api/v1/public/evaluations/stats' });
    expect(res.statusCode, res.body).toBe(200);
    const stats = res.json() as { totals: { evaluations: number; satisfactionRate: number | null; rectificationRate: number | null }; byDepartment: Array<{ name: string }>; byItem: unknown[]; byMonth: unknown[] };
    expect(stats.totals.evaluations).toBeGreaterThan(0);
    expect(stats.totals.satisfactionRate).toBeGreaterThan(0);
    expect(stats.byDepartment.map((d) => d.name)).toContain('深圳市市场监督管理局');
    // no rater, text, staff member, case number or ID anywhere in the answer
    for (const secret of [DEMO_PERSON.name, DEMO_PERSON.idNumber, DEMO_PERSON.phone, '窗口 陈静', '审批 李明', '快递送达太慢', 'TB', person.user.id]) {
      expect(res.body, secret).not.toContain(secret);
    }
    expect(res.body).not.toMatch(/"(text|staffName|caseNumber|raterUserId|subjectRef)"/);

    const bad = await platform.app.inject({ method: 'GET', url: '/api/v1/public/evaluations/stats?from=2026-05-01&to=2026-04-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'stats_period_invalid' });

    const xlsx = await platform.app.inject({ method: 'GET', url: '/api/v1/public/evaluations/stats.xlsx' });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['总体', '按部门', '按事项', '按大厅', '按月份']);
    expect(wb.getWorksheet('总体')!.getRow(2).getCell(2).value).toBe(stats.totals.evaluations);
    const cells = wb.worksheets.flatMap((w) => w.getSheetValues().flat().map(String)).join('\n');
    expect(cells).not.toContain(DEMO_PERSON.name);
  });
});
