/**
 * The comprehensive window's front desk and the applicant's own actions through the HTTP API:
 * accept, check materials, accept with materials owed, correction notices (and breaches of the
 * one-time rule), refusal, resubmission, supplying owed materials, withdrawal; who may do what;
 * stale versions, concurrent clerks and actions in the wrong status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, errorFields, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { caseAction, caseDetail, demoItem, ITEMS, sampleForm, staffSession, submitCase, uploadPdf } from '../../../test/case-fixtures.js';
import { todayInShanghai, addDays } from '../../platform/time.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { ActionBody } from './actions.js';

let platform: TestPlatform;
let person: Session;
let enterprise: Session;
let clerk: Session; // 政务服务数据管理局 (city): the comprehensive window
let policeClerk: Session; // another city department's window clerk
let futianClerk: Session; // a district's window clerk
let approver: Session; // 市场监督管理局
let policeApprover: Session;
let supervisor: Session;
let food: ItemGuide;

beforeAll(async () => {
  platform = await createTestPlatform();
  ({ person, enterprise, clerk, approver, supervisor } = await loginAll(platform.app, ['person', 'enterprise', 'clerk', 'approver', 'supervisor']));
  policeClerk = await staffSession(platform, { username: 'police_clerk', name: '公安窗口 郑', department: '深圳市公安局', roles: ['window_clerk'] });
  futianClerk = await staffSession(platform, { username: 'futian_clerk', name: '福田窗口 冯', department: '福田区政务服务数据管理局', roles: ['window_clerk'] });
  policeApprover = await staffSession(platform, { username: 'police_approver', name: '公安审批 何', department: '深圳市公安局', roles: ['approver'] });
  food = await demoItem(platform, ITEMS.food);
});
afterAll(() => platform.close());

const fields = errorFields;
const newCase = async () => (await submitCase(platform, person, food)).caseNumber;

describe('accept', () => {
  it('is done by a clerk of another department in the region: deadline, acceptance notice, first back-office task', async () => {
    const caseNumber = await newCase();
    const res = await caseAction(platform, clerk, caseNumber, { action: 'accept', comment: '材料齐全' });
    expect(res.statusCode, res.body).toBe(200);
    const today = todayInShanghai();
    const deadline = await platform.services.calendar.deadline(today, food.promisedDays);
    expect(res.json()).toMatchObject({ status: 'accepted', version: 2, deadline, clock: { acceptedOn: today, promisedDays: 5, elapsedWorkdays: 0, overdue: false }, currentStep: 0 });
    const detail = res.json() as Awaited<ReturnType<typeof caseDetail>>;
    expect(detail.notices).toEqual([expect.objectContaining({ kind: 'acceptance', breach: false, content: expect.objectContaining({ acceptedOn: today, deadline, promisedDays: 5, caseNumber }) })]);
    expect(detail.history.map((h) => [h.action, h.status, h.elapsedWorkdays])).toEqual([['submit', 'submitted', null], ['accept', 'accepted', 0]]);
    expect(detail.history[1]).toMatchObject({ actor: '窗口 陈静', comment: '材料齐全' });
    expect(detail.tasks).toEqual([expect.objectContaining({ stepIndex: 0, stepName: '材料审查', role: 'approver', assignee: null, status: 'open' })]);
    expect(detail.allowedActions).toEqual(['comment']);
    // the back office sees what it may do now; the owner may still withdraw
    expect((await caseDetail(platform, approver, caseNumber)).allowedActions).toEqual(['claim', 'assign', 'comment', 'complete_step', 'suspend']);
    expect((await caseDetail(platform, person, caseNumber)).allowedActions).toEqual(['withdraw']);
    const events = await platform.database.db.selectFrom('outbox_events').select('payload').where('aggregate_id', '=', caseNumber).orderBy('id').execute();
    expect(events.map((e) => (e.payload as { status: string; deadline: string | null }).status)).toEqual(['submitted', 'accepted']);
  });

  it('is open to any city clerk (front desk accepts everything), not to a district clerk outside the case\'s region', async () => {
    const caseNumber = await newCase();
    const outside = await caseAction(platform, futianClerk, caseNumber, { action: 'accept' });
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toMatchObject({ code: 'case_not_found' });
    expect((await as(platform.app, futianClerk, { method: 'GET', url: `/api/v1/cases/${caseNumber}` })).statusCode).toBe(404);
    const res = await caseAction(platform, policeClerk, caseNumber, { action: 'accept' });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('refuses whoever may not accept: the owner 403, the department\'s approver 403, another applicant and another department\'s approver 404, nobody 401', async () => {
    const caseNumber = await newCase();
    const owner = await caseAction(platform, person, caseNumber, { action: 'accept' });
    expect(owner.statusCode).toBe(403);
    expect(owner.json()).toMatchObject({ code: 'action_forbidden' });
    expect((await caseAction(platform, approver, caseNumber, { action: 'accept' })).json()).toMatchObject({ code: 'action_forbidden' });
    for (const stranger of [enterprise, policeApprover]) {
      const res = await caseAction(platform, stranger, caseNumber, { action: 'accept' });
      expect(res.statusCode).toBe(404);
      expect((await as(platform.app, stranger, { method: 'GET', url: `/api/v1/cases/${caseNumber}` })).statusCode).toBe(404);
    }
    // supervisors read, they do not act
    expect((await as(platform.app, supervisor, { method: 'GET', url: `/api/v1/cases/${caseNumber}` })).statusCode).toBe(200);
    expect((await caseAction(platform, supervisor, caseNumber, { action: 'accept' })).statusCode).toBe(403);
    expect((await as(platform.app, null, { method: 'POST', url: `/api/v1/cases/${caseNumber}/actions`, payload: { action: 'accept', version: 1 } })).statusCode).toBe(401);
    expect((await caseDetail(platform, clerk, caseNumber)).status).toBe('submitted');
  });

  it('refuses a stale version with 409 version_conflict, and lets exactly one of two concurrent clerks through', async () => {
    const caseNumber = await newCase();
    const stale = await caseAction(platform, clerk, caseNumber, { action: 'verify_materials', version: 1, verdicts: [{ materialId: 'layout', verdict: 'accepted' }] });
    expect(stale.statusCode).toBe(200);
    const conflict = await caseAction(platform, clerk, caseNumber, { action: 'accept', version: 1 });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({ code: 'version_conflict' });

    const race = await newCase();
    const answers = await Promise.all([clerk, policeClerk].map((c) => caseAction(platform, c, race, { action: 'accept', version: 1 })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const detail = await caseDetail(platform, clerk, race);
    expect(detail.history.filter((h) => h.action === 'accept')).toHaveLength(1);
    expect(detail.tasks).toHaveLength(1);
    expect(detail.notices).toHaveLength(1);
  });

  it('answers 422 action_not_allowed for actions the status does not admit', async () => {
    const caseNumber = await newCase();
    for (const [session, body] of [
      [person, { action: 'resubmit' }],
      [clerk, { action: 'deliver', delivery: { method: 'electronic' } }],
      [approver, { action: 'resume' }],
      [approver, { action: 'claim' }],
    ] as const) {
      const res = await caseAction(platform, session, caseNumber, body);
      expect(res.statusCode, body.action).toBe(422);
      expect(res.json()).toMatchObject({ code: 'action_not_allowed' });
    }
    expect((await caseAction(platform, clerk, caseNumber, { action: 'accept' })).statusCode).toBe(200);
    const again = await caseAction(platform, clerk, caseNumber, { action: 'accept' }, { 'accept-language': 'en' });
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ code: 'action_not_allowed', title: 'Action "Accept" is not allowed while the case is "Accepted"' });
  });
});

describe('checking materials', () => {
  it('records a verdict per material; a failed one blocks plain acceptance', async () => {
    const caseNumber = await newCase();
    const bad = await caseAction(platform, clerk, caseNumber, { action: 'verify_materials', verdicts: [{ materialId: 'layout', verdict: 'deficient' }, { materialId: 'central_kitchen', verdict: 'accepted' }, { materialId: 'layout', verdict: 'accepted' }] });
    expect(fields(bad)).toEqual(['verdicts[0].reason:case_required', 'verdicts[1].materialId:case_unknown_material', 'verdicts[2].materialId:case_duplicate']);
    const res = await caseAction(platform, clerk, caseNumber, { action: 'verify_materials', verdicts: [{ materialId: 'layout', verdict: 'deficient', reason: '布局图不清晰' }, { materialId: 'safety_rules', verdict: 'accepted' }] });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as Awaited<ReturnType<typeof caseDetail>>;
    expect(detail.status).toBe('submitted');
    expect(detail.materials.find((m) => m.materialId === 'layout')).toMatchObject({ verdict: 'deficient', verdictReason: '布局图不清晰' });
    expect(detail.materials.find((m) => m.materialId === 'safety_rules')).toMatchObject({ verdict: 'accepted' });
    expect(detail.history.at(-1)).toMatchObject({ action: 'verify_materials', status: 'submitted', detail: { verdicts: [{ materialId: 'layout', verdict: 'deficient', reason: '布局图不清晰' }, { materialId: 'safety_rules', verdict: 'accepted' }] } });
    const blocked = await caseAction(platform, clerk, caseNumber, { action: 'accept' });
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json()).toMatchObject({ code: 'materials_not_in_order' });
    expect((blocked.json() as { title: string }).title).toContain(food.materials.find((m) => m.id === 'layout')!.name);
    // accepting with a fresh verdict overrides the earlier one
    expect((await caseAction(platform, clerk, caseNumber, { action: 'accept', verdicts: [{ materialId: 'layout', verdict: 'accepted' }] })).statusCode).toBe(200);
  });
});

describe('accept with deficiency (容缺受理) and supplying owed materials', () => {
  it('owes deferrable materials only, by a date after today', async () => {
    const caseNumber = await newCase();
    const today = todayInShanghai();
    const bad = await caseAction(platform, clerk, caseNumber, { action: 'accept_with_deficiency', owed: [{ materialId: 'layout', dueDate: addDays(today, 5) }, { materialId: 'central_kitchen', dueDate: today }, { materialId: 'nope', dueDate: addDays(today, 5) }] });
    expect(fields(bad)).toEqual(['owed[0].materialId:case_material_not_deferrable', 'owed[1].dueDate:case_due_date_invalid', 'owed[2].materialId:case_unknown_material']);
    expect(fields(await caseAction(platform, clerk, caseNumber, { action: 'accept_with_deficiency', owed: [] }))).toEqual(['owed:case_required']);
    expect((await caseDetail(platform, clerk, caseNumber)).status).toBe('submitted');
  });

  it('records owed rows and a deficiency notice; supplying them (owner or clerk) settles the debt', async () => {
    const caseNumber = await newCase();
    const due = addDays(todayInShanghai(), 10);
    const res = await caseAction(platform, clerk, caseNumber, { action: 'accept_with_deficiency', owed: [{ materialId: 'central_kitchen', dueDate: due }] });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as Awaited<ReturnType<typeof caseDetail>>;
    expect(detail.status).toBe('accepted_with_deficiency');
    expect(detail.materials.find((m) => m.materialId === 'central_kitchen')).toMatchObject({ owed: true, owedDue: due, suppliedAt: null, verdict: 'missing', fileId: null });
    expect(detail.notices.map((n) => n.kind)).toEqual(['acceptance', 'deficiency']);
    expect(detail.notices[1]!.content).toMatchObject({ owed: [{ materialId: 'central_kitchen', dueDate: due }] });
    expect(detail.deadline).not.toBeNull();
    const row = await platform.database.db.selectFrom('cases').select('owed_count').where('case_number', '=', caseNumber).executeTakeFirstOrThrow();
    expect(row.owed_count).toBe(1);
    expect((await caseDetail(platform, person, caseNumber)).allowedActions).toEqual(['withdraw', 'supply']);
    // approve is not offered while something is owed
    expect((await caseDetail(platform, approver, caseNumber)).allowedActions).not.toContain('approve');

    const othersFile = await uploadPdf(platform, enterprise, 'x.pdf');
    const wrong = await caseAction(platform, person, caseNumber, { action: 'supply', materials: [{ materialId: 'layout', fileId: othersFile }, { materialId: 'central_kitchen' }] });
    expect(fields(wrong)).toEqual(['materials[0].materialId:case_material_not_owed', 'materials[1].fileId:case_required']);
    const foreign = await caseAction(platform, person, caseNumber, { action: 'supply', materials: [{ materialId: 'central_kitchen', fileId: othersFile }] });
    expect(fields(foreign)).toEqual(['materials[0].fileId:file_unknown']);

    const file = await uploadPdf(platform, person, 'kitchen.pdf');
    const supplied = await caseAction(platform, person, caseNumber, { action: 'supply', materials: [{ materialId: 'central_kitchen', fileId: file }] });
    expect(supplied.statusCode, supplied.body).toBe(200);
    const after = supplied.json() as Awaited<ReturnType<typeof caseDetail>>;
    expect(after.status).toBe('accepted');
    expect(after.materials.find((m) => m.materialId === 'central_kitchen')).toMatchObject({ owed: true, fileId: file, verdict: 'pending', suppliedAt: expect.any(String) });
    expect(after.history.at(-1)).toMatchObject({ action: 'supply', fromStatus: 'accepted_with_deficiency', status: 'accepted', detail: { stillOwed: 0 } });
    const again = await caseAction(platform, person, caseNumber, { action: 'supply', materials: [{ materialId: 'central_kitchen', fileId: file }] });
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ code: 'nothing_owed' });
  });

  it('lets the clerk hand in owed materials for the applicant, with the clerk\'s scan', async () => {
    const caseNumber = await newCase();
    await caseAction(platform, clerk, caseNumber, { action: 'accept_with_deficiency', owed: [{ materialId: 'central_kitchen', dueDate: addDays(todayInShanghai(), 3) }] });
    const scan = await uploadPdf(platform, clerk, 'scan.pdf');
    const res = await caseAction(platform, clerk, caseNumber, { action: 'supply', materials: [{ materialId: 'central_kitchen', fileId: scan }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'accepted', history: expect.arrayContaining([expect.objectContaining({ action: 'supply', actor: '窗口 陈静' })]) });
    // the applicant reads the clerk's scan of their own case
    expect((await as(platform.app, person, { method: 'GET', url: `/api/v1/files/${scan}/meta` })).statusCode).toBe(200);
  });
});

describe('one-time correction notice (一次性告知) and resubmission', () => {
  it('lists every item; the applicant must address each; a later notice adding something is a breach', async () => {
    const caseNumber = await newCase();
    const bad = await caseAction(platform, clerk, caseNumber, { action: 'request_correction', items: [{ reason: '缺' }, { materialId: 'nope', reason: 'x' }, { field: 'nope', reason: 'x' }] });
    expect(fields(bad)).toEqual(['items[0]:case_required', 'items[1].materialId:case_unknown_material', 'items[2].field:case_unknown_field']);
    const res = await caseAction(platform, clerk, caseNumber, { action: 'request_correction', items: [{ materialId: 'layout', reason: '布局图缺少操作流程' }, { field: 'premisesAddress', reason: '地址不完整' }] });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as Awaited<ReturnType<typeof caseDetail>>;
    expect(detail.status).toBe('correction_requested');
    expect(detail.notices).toEqual([expect.objectContaining({ kind: 'correction', breach: false, content: expect.objectContaining({ items: [expect.objectContaining({ materialId: 'layout', reason: '布局图缺少操作流程' }), expect.objectContaining({ field: 'premisesAddress', fieldLabel: '经营场所详细地址' })] }) })]);
    expect(detail.materials.find((m) => m.materialId === 'layout')).toMatchObject({ verdict: 'deficient', verdictReason: '布局图缺少操作流程' });
    expect((await caseDetail(platform, person, caseNumber)).allowedActions).toEqual(['withdraw', 'resubmit']);

    // unaddressed: the named material not handed in again, the form not sent again
    const unaddressed = await caseAction(platform, person, caseNumber, { action: 'resubmit' });
    expect(fields(unaddressed)).toEqual(['form.premisesAddress:case_correction_unaddressed', 'materials.layout:case_correction_unaddressed']);
    const file = await uploadPdf(platform, person, 'layout-v2.pdf');
    const badForm = await caseAction(platform, person, caseNumber, { action: 'resubmit', form: { premisesAddress: '' }, materials: [{ materialId: 'layout', fileId: file }] });
    expect(fields(badForm)).toContain('form.premisesAddress:too_short');
    const form = { ...sampleForm(food), premisesAddress: '深圳市福田区福中三路 1 号 101 室' };
    const oldFile = detail.materials.find((m) => m.materialId === 'layout')!.fileId;
    const resubmitted = await caseAction(platform, person, caseNumber, { action: 'resubmit', form, materials: [{ materialId: 'layout', fileId: file }] });
    expect(resubmitted.statusCode, resubmitted.body).toBe(200);
    const after = resubmitted.json() as Awaited<ReturnType<typeof caseDetail>>;
    expect(after).toMatchObject({ status: 'submitted', form: { premisesAddress: '深圳市福田区福中三路 1 号 101 室' } });
    expect(after.materials.filter((m) => m.materialId === 'layout')).toEqual([expect.objectContaining({ fileId: file, verdict: 'pending' })]);
    expect(after.history.at(-1)).toMatchObject({ action: 'resubmit', detail: { formReplaced: true, replaced: [{ materialId: 'layout', fileId: oldFile }] } });

    // a second notice repeating an earlier item is no breach; one adding a new item is
    const repeat = await caseAction(platform, clerk, caseNumber, { action: 'request_correction', items: [{ field: 'premisesAddress', reason: '仍不完整' }] });
    expect((repeat.json() as Awaited<ReturnType<typeof caseDetail>>).notices.at(-1)).toMatchObject({ breach: false });
    expect((await caseAction(platform, person, caseNumber, { action: 'resubmit', form })).statusCode).toBe(200);
    const breach = await caseAction(platform, clerk, caseNumber, { action: 'request_correction', items: [{ field: 'premisesAddress', reason: '仍不完整' }, { materialId: 'safety_rules', reason: '新发现的问题' }] });
    const breachDetail = breach.json() as Awaited<ReturnType<typeof caseDetail>>;
    expect(breachDetail.notices.at(-1)).toMatchObject({ kind: 'correction', breach: true });
    expect(breachDetail.history.at(-1)).toMatchObject({ action: 'request_correction', detail: { breach: true, added: [{ materialId: 'safety_rules' }] } });
    // the clerk may answer for the applicant (walk-in), with the clerk's scan
    const scan = await uploadPdf(platform, clerk, 'rules.pdf');
    expect((await caseAction(platform, clerk, caseNumber, { action: 'resubmit', form, materials: [{ materialId: 'safety_rules', fileId: scan }] })).statusCode).toBe(200);
  });
});

describe('the applicant\'s actions by anyone else', () => {
  it('resubmit and supply: another applicant is told the case does not exist; the back office and supervisors may not (403)', async () => {
    const corrected = await newCase();
    await caseAction(platform, clerk, corrected, { action: 'request_correction', items: [{ field: 'premisesAddress', reason: '地址不完整' }] });
    const form = { ...sampleForm(food), premisesAddress: '深圳市福田区福中三路 1 号 101 室' };
    const owing = await newCase();
    await caseAction(platform, clerk, owing, { action: 'accept_with_deficiency', owed: [{ materialId: 'central_kitchen', dueDate: addDays(todayInShanghai(), 5) }] });
    const theirs = await uploadPdf(platform, enterprise, 'kitchen.pdf');

    const attempts: Array<[string, Omit<ActionBody, 'version'>]> = [
      [corrected, { action: 'resubmit', form }],
      [owing, { action: 'supply', materials: [{ materialId: 'central_kitchen', fileId: theirs }] }],
    ];
    for (const [caseNumber, body] of attempts) {
      const stranger = await caseAction(platform, enterprise, caseNumber, body);
      expect([stranger.statusCode, (stranger.json() as { code: string }).code], body.action).toEqual([404, 'case_not_found']);
      const backOffice = await caseAction(platform, approver, caseNumber, body);
      expect([backOffice.statusCode, (backOffice.json() as { code: string }).code], body.action).toEqual([403, 'action_forbidden']);
      // supervisors take no action at all (the route refuses them before the case is looked at)
      expect((await caseAction(platform, supervisor, caseNumber, body)).statusCode, body.action).toBe(403);
    }
    expect((await caseDetail(platform, person, corrected)).status).toBe('correction_requested');
    const still = await caseDetail(platform, person, owing);
    expect(still.status).toBe('accepted_with_deficiency');
    expect(still.materials.find((m) => m.materialId === 'central_kitchen')).toMatchObject({ fileId: null, suppliedAt: null });
  });
});

describe('not accept (不予受理)', () => {
  it('needs a reason and its legal basis, ends the case and leaves a notice', async () => {
    const caseNumber = await newCase();
    expect(fields(await caseAction(platform, clerk, caseNumber, { action: 'not_accept' }))).toEqual(['legalBasis:case_required', 'reason:case_required']);
    const res = await caseAction(platform, clerk, caseNumber, { action: 'not_accept', reason: '申请事项不属于本机关职权范围', legalBasis: '《中华人民共和国行政许可法》第三十二条第一款第（二）项' });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as Awaited<ReturnType<typeof caseDetail>>;
    expect(detail).toMatchObject({ status: 'not_accepted', allowedActions: [] });
    expect(detail.notices).toEqual([expect.objectContaining({ kind: 'not_accepted', content: expect.objectContaining({ reason: '申请事项不属于本机关职权范围' }) })]);
    const closed = await platform.database.db.selectFrom('cases').select('closed_at').where('case_number', '=', caseNumber).executeTakeFirstOrThrow();
    expect(closed.closed_at).toBeInstanceOf(Date);
    expect((await caseAction(platform, person, caseNumber, { action: 'withdraw' })).json()).toMatchObject({ code: 'action_not_allowed' });
  });
});

describe('withdraw', () => {
  it('is the owner\'s, before a decision; open tasks are cancelled', async () => {
    const caseNumber = await newCase();
    await caseAction(platform, clerk, caseNumber, { action: 'accept' });
    expect((await caseAction(platform, clerk, caseNumber, { action: 'withdraw' })).json()).toMatchObject({ code: 'action_forbidden' });
    const res = await caseAction(platform, person, caseNumber, { action: 'withdraw', comment: '不再需要' });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as Awaited<ReturnType<typeof caseDetail>>;
    expect(detail).toMatchObject({ status: 'withdrawn', allowedActions: [] });
    expect(detail.tasks).toEqual([expect.objectContaining({ status: 'cancelled', outcome: 'withdrawn' })]);
    expect((await caseAction(platform, approver, caseNumber, { action: 'claim' })).json()).toMatchObject({ code: 'action_not_allowed' });
  });

  it('withdraws a parallel approval as a whole: the sub-cases under way go with the main case', async () => {
    const composite = await demoItem(platform, '开办企业“一件事”');
    const { caseNumber } = await submitCase(platform, enterprise, composite);
    const accepted = await caseAction(platform, clerk, caseNumber, { action: 'accept' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const subCases = (accepted.json() as Awaited<ReturnType<typeof caseDetail>>).subCases;
    expect(subCases.length).toBe(composite.parallel!.length);
    // a sub-case is not withdrawn on its own
    const sub = subCases[0]!.caseNumber;
    expect((await caseAction(platform, enterprise, sub, { action: 'withdraw' })).json()).toMatchObject({ code: 'action_forbidden' });
    expect((await caseDetail(platform, enterprise, sub)).allowedActions).not.toContain('withdraw');

    const res = await caseAction(platform, enterprise, caseNumber, { action: 'withdraw' });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as Awaited<ReturnType<typeof caseDetail>>;
    expect(detail.status).toBe('withdrawn');
    expect(detail.subCases.map((s) => s.status)).toEqual(subCases.map(() => 'withdrawn'));
    expect(detail.history.at(-1)).toMatchObject({ action: 'withdraw', detail: { subCases: subCases.map((s) => s.caseNumber) } });
    const openTasks = await platform.database.db
      .selectFrom('case_tasks')
      .innerJoin('cases', 'cases.id', 'case_tasks.case_id')
      .select('case_tasks.status')
      .where('cases.case_number', 'in', subCases.map((s) => s.caseNumber))
      .where('case_tasks.status', '=', 'open')
      .execute();
    expect(openTasks).toEqual([]);
  });
});
