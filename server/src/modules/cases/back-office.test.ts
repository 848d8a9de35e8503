/**
 * The back office (后台分类审批) through the HTTP API: the item's steps in order with their due
 * dates, claim / release / assign, comments, return to an earlier step, special procedures and
 * the clock, approve / deny with decision numbers, owed materials, who holds a step, concurrent
 * approvers, and the approver's workbench queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { as, createTestPlatform, errorFields, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { actAndExpect, caseAction, casesOnDates, caseDetail, demoItem, ITEMS, staffSession, submitCase, uploadPdf } from '../../../test/case-fixtures.js';
import type { StaffPrincipal } from '../../platform/auth/principal.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { todayInShanghai } from '../../platform/time.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { ActionBody } from './actions.js';
import type { CaseDetail } from './schemas.js';
import { CasesService } from './service.js';

let platform: TestPlatform;
let person: Session;
let clerk: Session;
let approver: Session; // 审批 李明, 市场监督管理局
let approverB: Session; // a second approver of the same department
let deptAdmin: Session; // 市场监督管理局
let policeApprover: Session;
let food: ItemGuide; // 材料审查 (1 day) → 现场核查 (2) → 决定 (1); promised 5

beforeAll(async () => {
  platform = await createTestPlatform();
  ({ person, clerk, approver, deptAdmin } = await loginAll(platform.app, ['person', 'clerk', 'approver', 'deptAdmin']));
  approverB = await staffSession(platform, { username: 'market_approver_b', name: '审批 孙悦', department: '深圳市市场监督管理局', roles: ['approver'] });
  policeApprover = await staffSession(platform, { username: 'police_approver_bo', name: '公安审批 何', department: '深圳市公安局', roles: ['approver'] });
  food = await demoItem(platform, ITEMS.food);
});
afterAll(() => platform.close());

type Problem = { code: string; detail: string };
const problem = (res: LightMyRequestResponse) => res.json() as Problem;
const fields = errorFields;

const act = (session: Session, caseNumber: string, body: Omit<ActionBody, 'version'> & { version?: number }, status?: number) => actAndExpect(platform, session, caseNumber, body, status);

async function acceptedCase(): Promise<string> {
  const { caseNumber } = await submitCase(platform, person, food);
  await act(clerk, caseNumber, { action: 'accept' });
  return caseNumber;
}

/** Takes the case's open step through `complete_step` up to (not past) step `index`, as `session`. */
async function advanceTo(session: Session, caseNumber: string, index: number): Promise<CaseDetail> {
  let detail = await caseDetail(platform, session, caseNumber);
  while (detail.currentStep! < index) detail = await act(session, caseNumber, { action: 'complete_step' });
  return detail;
}

const openTask = (detail: CaseDetail) => detail.tasks.find((t) => t.status === 'open');

describe('steps', () => {
  it('run in order in the department, each due by its own working days, and end with a numbered decision', async () => {
    const caseNumber = await acceptedCase();
    const today = todayInShanghai();
    const deadline = await platform.services.calendar.deadline(today, 5);
    const dueIn = async (days: number) => {
      const due = await platform.services.calendar.deadline(today, days);
      return due < deadline ? due : deadline;
    };

    let detail = await caseDetail(platform, approver, caseNumber);
    expect(detail.steps.map((s) => [s.index, s.name, s.role, s.days])).toEqual([[0, '材料审查', 'approver', 1], [1, '现场核查', 'approver', 2], [2, '决定', 'approver', 1]]);
    expect(detail.tasks).toEqual([expect.objectContaining({ stepIndex: 0, stepName: '材料审查', assignee: null, status: 'open', dueDate: await dueIn(1) })]);

    // approve before the deciding step, complete_step at it: both refused
    let res = await caseAction(platform, approver, caseNumber, { action: 'approve' });
    expect(res.statusCode).toBe(422);
    expect(problem(res)).toMatchObject({ code: 'not_final_step' });
    expect(problem(res).detail).toContain('材料审查');

    detail = await act(approver, caseNumber, { action: 'claim' });
    expect(detail).toMatchObject({ status: 'in_review', currentStep: 0 });
    expect(openTask(detail)).toMatchObject({ assignee: { id: approver.user.id, name: '审批 李明' } });

    detail = await act(approver, caseNumber, { action: 'complete_step', comment: '材料齐全，符合要求' });
    expect(detail.currentStep).toBe(1);
    expect(detail.tasks.map((t) => [t.stepIndex, t.status, t.outcome])).toEqual([[0, 'done', 'done'], [1, 'open', null]]);
    // the next step goes to the team queue with its own due date
    expect(openTask(detail)).toMatchObject({ stepName: '现场核查', assignee: null, dueDate: await dueIn(2) });

    detail = await act(approverB, caseNumber, { action: 'complete_step' }); // a team task is claimed by acting on it
    expect(openTask(detail)).toMatchObject({ stepIndex: 2, stepName: '决定', dueDate: await dueIn(1) });
    res = await caseAction(platform, approver, caseNumber, { action: 'complete_step' });
    expect(res.statusCode).toBe(422);
    expect(problem(res).code).toBe('deciding_step');

    detail = await act(approver, caseNumber, { action: 'approve', comment: '经现场核查符合条件' });
    const year = today.slice(0, 4);
    expect(detail).toMatchObject({ status: 'approved', decision: { outcome: 'approved' } });
    expect(detail.decision!.number).toMatch(new RegExp(`^深圳市市场监督管理局决字〔${year}〕第\\d{5}号$`));
    expect(detail.tasks.map((t) => [t.stepIndex, t.status, t.outcome])).toEqual([[0, 'done', 'done'], [1, 'done', 'done'], [2, 'done', 'approved']]);
    const notice = detail.notices.find((n) => n.kind === 'decision')!;
    expect(notice).toMatchObject({ number: detail.decision!.number });
    expect(notice.content).toMatchObject({ title: '准予行政许可决定书', outcome: 'approved', legalBasis: expect.arrayContaining([expect.stringContaining('食品安全法')]) });
    expect(detail.history.map((h) => [h.action, h.status, h.stepIndex])).toEqual([
      ['submit', 'submitted', null],
      ['accept', 'accepted', null],
      ['claim', 'in_review', 0],
      ['complete_step', 'in_review', 0],
      ['complete_step', 'in_review', 1],
      ['approve', 'approved', 2],
    ]);
    expect(detail.history[4]).toMatchObject({ actor: '审批 孙悦', detail: expect.objectContaining({ claimed: true }) });
    // the applicant collects at the window: a pickup code, shown to the owner only
    expect((await caseDetail(platform, person, caseNumber)).pickupCode).toMatch(/^\d{6}$/);
    expect((await caseDetail(platform, approver, caseNumber)).pickupCode).toBeNull();
  });

  it('deny needs a reason and gives a 不予行政许可决定书 with the legal basis given', async () => {
    const caseNumber = await acceptedCase();
    await advanceTo(approver, caseNumber, 2);
    let res = await caseAction(platform, approver, caseNumber, { action: 'deny' });
    expect(res.statusCode).toBe(400);
    expect(fields(res)).toEqual(['reason:case_required']);
    res = await caseAction(platform, approver, caseNumber, { action: 'deny', reason: '经营场所与申请材料不符', legalBasis: '《食品经营许可和备案管理办法》第十四条' });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as CaseDetail;
    expect(detail).toMatchObject({ status: 'denied', decision: { outcome: 'denied' } });
    expect(detail.notices.find((n) => n.kind === 'decision')!.content).toMatchObject({
      title: '不予行政许可决定书',
      reasons: '经营场所与申请材料不符',
      legalBasis: ['《食品经营许可和备案管理办法》第十四条'],
    });
  });

  it('return sends the case back to an earlier step, reopened for whoever finished it', async () => {
    const caseNumber = await acceptedCase();
    let res = await caseAction(platform, approver, caseNumber, { action: 'return', toStep: 0, comment: '退回' });
    expect(problem(res).code).toBe('action_not_allowed'); // not yet in review
    await advanceTo(approver, caseNumber, 2);
    res = await caseAction(platform, approver, caseNumber, { action: 'return' });
    expect(res.statusCode).toBe(400);
    expect(fields(res)).toEqual(['comment:case_required', 'toStep:case_required']);
    res = await caseAction(platform, approver, caseNumber, { action: 'return', toStep: 2, comment: '退回' });
    expect(fields(res)).toEqual(['toStep:case_step_invalid']);
    const detail = await act(approver, caseNumber, { action: 'return', toStep: 1, comment: '现场核查记录不完整，请补充' });
    expect(detail.currentStep).toBe(1);
    expect(detail.tasks.map((t) => [t.stepIndex, t.status])).toEqual([[0, 'done'], [1, 'done'], [2, 'returned'], [1, 'open']]);
    expect(openTask(detail)!.assignee).toMatchObject({ id: approver.user.id });
    expect(detail.history.at(-1)).toMatchObject({ action: 'return', comment: '现场核查记录不完整，请补充', stepIndex: 2, detail: expect.objectContaining({ toStep: 1 }) });
  });

  it('return goes back only: not to the current step, not to a later one, and leaves the step as it was', async () => {
    const caseNumber = await acceptedCase();
    const at1 = await advanceTo(approver, caseNumber, 1);
    for (const toStep of [1, 2, 3]) {
      const res = await caseAction(platform, approver, caseNumber, { action: 'return', toStep, comment: '退回' });
      expect(res.statusCode, String(toStep)).toBe(400);
      expect(fields(res)).toEqual(['toStep:case_step_invalid']);
    }
    const after = await caseDetail(platform, approver, caseNumber);
    expect(after).toMatchObject({ version: at1.version, currentStep: 1 });
    expect(after.tasks.map((t) => [t.stepIndex, t.status])).toEqual([[0, 'done'], [1, 'open']]);
  });

  it('return at the first step has nothing to return to', async () => {
    const caseNumber = await acceptedCase();
    await act(approver, caseNumber, { action: 'claim' });
    const res = await caseAction(platform, approver, caseNumber, { action: 'return', toStep: 0, comment: '退回' });
    expect(res.statusCode).toBe(400);
    expect(fields(res)).toEqual(['toStep:case_step_none']);
  });
});

describe('who holds a step', () => {
  it('a step assigned to approver A cannot be acted on by approver B (403 not_assignee)', async () => {
    const caseNumber = await acceptedCase();
    await act(approver, caseNumber, { action: 'claim' });
    for (const body of [{ action: 'complete_step' }, { action: 'claim' }, { action: 'release' }, { action: 'suspend', procedure: 'hearing', reason: '听证' }] as const) {
      const res = await caseAction(platform, approverB, caseNumber, body);
      expect(res.statusCode, body.action).toBe(403);
      expect(problem(res)).toMatchObject({ code: 'not_assignee' });
      expect(problem(res).detail).toContain('审批 李明');
    }
    await advanceTo(approver, caseNumber, 2);
    // the deciding step went back to the team queue: A takes it, and B may not decide it
    await act(approver, caseNumber, { action: 'claim' });
    const res = await caseAction(platform, approverB, caseNumber, { action: 'approve' });
    expect(res.statusCode).toBe(403);
    expect(problem(res).code).toBe('not_assignee');
    expect((await caseDetail(platform, approver, caseNumber)).status).toBe('in_review');
  });

  it('release puts a held step back in the team queue; only its holder may', async () => {
    const caseNumber = await acceptedCase();
    let res = await caseAction(platform, approver, caseNumber, { action: 'release' });
    expect(res.statusCode).toBe(422);
    expect(problem(res).code).toBe('task_not_held');
    await act(approver, caseNumber, { action: 'claim' });
    const detail = await act(approver, caseNumber, { action: 'release' });
    expect(openTask(detail)!.assignee).toBeNull();
    res = await caseAction(platform, approverB, caseNumber, { action: 'claim' });
    expect(res.statusCode).toBe(200);
  });

  it('assign: the department admin names active staff of the department holding the role; an approver only themselves', async () => {
    const caseNumber = await acceptedCase();
    let res = await caseAction(platform, deptAdmin, caseNumber, { action: 'assign' });
    expect(fields(res)).toEqual(['assigneeId:case_required']);
    // not of the department, not holding the role, not staff at all
    for (const assigneeId of [policeApprover.user.id, deptAdmin.user.id, person.user.id, '00000000-0000-4000-8000-000000000000']) {
      res = await caseAction(platform, deptAdmin, caseNumber, { action: 'assign', assigneeId });
      expect(res.statusCode, assigneeId).toBe(400);
      expect(fields(res)).toEqual(['assigneeId:case_assignee_invalid']);
    }
    let detail = await act(deptAdmin, caseNumber, { action: 'assign', assigneeId: approverB.user.id });
    expect(openTask(detail)!.assignee).toMatchObject({ id: approverB.user.id, name: '审批 孙悦' });
    expect(detail.history.at(-1)).toMatchObject({ action: 'assign', actor: '部门管理 王芳', detail: expect.objectContaining({ assigneeName: '审批 孙悦' }) });
    // an approver may not hand work to someone else, nor take a step someone else holds
    res = await caseAction(platform, approver, caseNumber, { action: 'assign', assigneeId: approverB.user.id });
    expect(res.statusCode).toBe(403);
    expect(problem(res).code).toBe('action_forbidden');
    res = await caseAction(platform, approver, caseNumber, { action: 'assign', assigneeId: approver.user.id });
    expect(problem(res).code).toBe('not_assignee');
    // the admin reassigns; the approver may then act
    detail = await act(deptAdmin, caseNumber, { action: 'assign', assigneeId: approver.user.id });
    expect(openTask(detail)!.assignee).toMatchObject({ id: approver.user.id });
    await act(approver, caseNumber, { action: 'complete_step' });
  });

  it('staff of another department reach nothing (404), and department admins do not approve (403)', async () => {
    const caseNumber = await acceptedCase();
    let res = await caseAction(platform, policeApprover, caseNumber, { action: 'claim' });
    expect(res.statusCode).toBe(404);
    res = await caseAction(platform, deptAdmin, caseNumber, { action: 'claim' });
    expect(res.statusCode).toBe(403);
    expect(problem(res).code).toBe('action_forbidden');
  });

  it('two approvers completing the same step at once: one succeeds, the other gets 409', async () => {
    const caseNumber = await acceptedCase();
    const { version } = await caseDetail(platform, approver, caseNumber);
    const results = await Promise.all([approver, approverB].map((s) => caseAction(platform, s, caseNumber, { action: 'complete_step', version })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(problem(results.find((r) => r.statusCode === 409)!).code).toBe('version_conflict');
    const detail = await caseDetail(platform, approver, caseNumber);
    expect(detail.tasks.filter((t) => t.stepIndex === 0)).toHaveLength(1);
    expect(detail.currentStep).toBe(1);
  });
});

describe('a special procedure already running', () => {
  it('is not started again (422), and only a suspended case resumes', async () => {
    const caseNumber = await acceptedCase();
    let res = await caseAction(platform, approver, caseNumber, { action: 'resume' });
    expect([res.statusCode, problem(res).code]).toEqual([422, 'action_not_allowed']);
    const suspended = await act(approver, caseNumber, { action: 'suspend', procedure: 'expert_review', reason: '组织专家评审' });
    expect(suspended.status).toBe('suspended');
    expect(suspended.allowedActions).not.toContain('suspend');
    for (const session of [approver, approverB]) {
      res = await caseAction(platform, session, caseNumber, { action: 'suspend', procedure: 'hearing', reason: '再次听证' });
      expect([res.statusCode, problem(res).code]).toEqual([422, 'action_not_allowed']);
    }
    const detail = await caseDetail(platform, approver, caseNumber);
    expect(detail).toMatchObject({ version: suspended.version, suspension: { procedure: 'expert_review', reason: '组织专家评审' } });
    expect(detail.history.filter((h) => h.action === 'suspend')).toHaveLength(1);
  });

  it('is ended only by the approver holding the step, like it was started', async () => {
    const caseNumber = await acceptedCase();
    const suspended = await act(approver, caseNumber, { action: 'suspend', procedure: 'site_inspection', reason: '现场勘验' });
    expect((await caseDetail(platform, approverB, caseNumber)).allowedActions).not.toContain('resume');
    const refused = await caseAction(platform, approverB, caseNumber, { action: 'resume', version: suspended.version });
    expect([refused.statusCode, problem(refused).code]).toEqual([403, 'not_assignee']);
    expect((await caseDetail(platform, approver, caseNumber)).allowedActions).toContain('resume');
    const resumed = await act(approver, caseNumber, { action: 'resume', version: suspended.version });
    expect(resumed).toMatchObject({ status: 'in_review', suspension: null });
  });
});

describe('comments', () => {
  it('need text, keep attachments (the actor\'s own uploads) and never change the status or the step', async () => {
    const caseNumber = await acceptedCase();
    let res = await caseAction(platform, approver, caseNumber, { action: 'comment', comment: '  ' });
    expect(fields(res)).toEqual(['comment:case_required']);
    const mine = await uploadPdf(platform, approver, '核查记录.pdf');
    const theirs = await uploadPdf(platform, person, '申请人文件.pdf');
    res = await caseAction(platform, approver, caseNumber, { action: 'comment', comment: '附核查记录', attachments: [theirs] });
    expect(res.statusCode).toBe(400);
    const detail = await act(approver, caseNumber, { action: 'comment', comment: '附核查记录', attachments: [mine] });
    expect(detail.status).toBe('accepted');
    expect(openTask(detail)!.assignee).toBeNull();
    expect(detail.history.at(-1)).toMatchObject({ action: 'comment', comment: '附核查记录', attachments: [mine], stepIndex: 0 });
    // the window comments too
    expect((await act(clerk, caseNumber, { action: 'comment', comment: '申请人来电询问进度' })).status).toBe('accepted');
  });
});

describe('owed materials (容缺)', () => {
  it('block approval until supplied; denial is not blocked', async () => {
    const { caseNumber } = await submitCase(platform, person, food);
    await act(clerk, caseNumber, { action: 'accept_with_deficiency', owed: [{ materialId: 'central_kitchen', dueDate: '2099-01-01' }] });
    const deciding = await advanceTo(approver, caseNumber, 2);
    expect(deciding.allowedActions).not.toContain('approve');
    expect(deciding.allowedActions).toContain('deny');
    const res = await caseAction(platform, approver, caseNumber, { action: 'approve' });
    expect(res.statusCode).toBe(422);
    expect(problem(res)).toMatchObject({ code: 'owed_materials_outstanding' });
    expect(problem(res).detail).toContain('1');
    const fileId = await uploadPdf(platform, person, '中央厨房合同.pdf');
    await act(person, caseNumber, { action: 'supply', materials: [{ materialId: 'central_kitchen', fileId }] });
    expect((await act(approver, caseNumber, { action: 'approve' })).status).toBe('approved');

    const other = (await submitCase(platform, person, food)).caseNumber;
    await act(clerk, other, { action: 'accept_with_deficiency', owed: [{ materialId: 'central_kitchen', dueDate: '2099-01-01' }] });
    await advanceTo(approver, other, 2);
    expect((await act(approver, other, { action: 'deny', reason: '不符合条件' })).status).toBe('denied');
  });

  it('do not block approval when the item version allows deciding while owed (decideWhileOwed)', async () => {
    const { catalog } = platform.services;
    const code = food.implementationCode;
    const draft = await catalog.newDraftFrom(SYSTEM_ACTOR, null, code);
    const { content } = await catalog.getVersion(null, code, draft.version);
    const saved = await catalog.saveDraft(SYSTEM_ACTOR, null, code, draft.version, { content: { ...content, decideWhileOwed: true }, lockVersion: draft.lockVersion });
    await catalog.submit(SYSTEM_ACTOR, null, code, draft.version, { lockVersion: saved.lockVersion });
    await catalog.publish(SYSTEM_ACTOR, null, code, draft.version);
    // the public catalog's snapshot follows the revision within a second
    await expect.poll(async () => (await platform.services.catalogQuery.guide(code)).version, { timeout: 3000 }).toBe(draft.version);

    const { caseNumber } = await submitCase(platform, person, food);
    await act(clerk, caseNumber, { action: 'accept_with_deficiency', owed: [{ materialId: 'central_kitchen', dueDate: '2099-01-01' }] });
    const deciding = await advanceTo(approver, caseNumber, 2);
    expect(deciding.allowedActions).toContain('approve');
    const approved = await act(approver, caseNumber, { action: 'approve' });
    expect(approved.status).toBe('approved');
    expect(approved.materials.find((m) => m.materialId === 'central_kitchen')).toMatchObject({ owed: true, suppliedAt: null });
  });
});

describe('decision numbers', () => {
  it('are unique and consecutive when many cases are decided at once', async () => {
    const cases: string[] = [];
    for (let i = 0; i < 6; i++) {
      const caseNumber = await acceptedCase();
      await advanceTo(approver, caseNumber, 2);
      cases.push(caseNumber);
    }
    const results = await Promise.all(cases.map((c, i) => caseAction(platform, approver, c, i % 2 ? { action: 'approve' } : { action: 'deny', reason: '不符合条件' })));
    expect(results.map((r) => r.statusCode)).toEqual(cases.map(() => 200));
    const numbers = results.map((r) => (r.json() as CaseDetail).decision!.number!);
    expect(new Set(numbers).size).toBe(numbers.length);
    const serials = numbers.map((n) => Number(/第(\d{5})号$/.exec(n)![1])).sort((a, b) => a - b);
    expect(serials.at(-1)! - serials[0]!).toBe(serials.length - 1);
  });
});

describe('special procedures and the clock (time set by the test)', () => {
  let dated: ReturnType<typeof casesOnDates>;
  let service: CasesService;
  let officer: StaffPrincipal;
  let other: StaffPrincipal;

  beforeAll(() => {
    dated = casesOnDates(platform, { person, clerk, approver });
    ({ service, officer } = dated);
    other = { ...officer, userId: approverB.user.id, name: approverB.user.name };
  });

  const acceptedOn = (date: string) => dated.acceptedOn(date, food);

  it('suspend needs a procedure and a reason, and is the step holder\'s', async () => {
    const accepted = await acceptedOn('2026-09-28');
    await expect(service.act(officer, null, accepted.caseNumber, { action: 'suspend', version: accepted.version })).rejects.toMatchObject({
      code: 'validation_failed',
      fieldErrors: [expect.objectContaining({ field: 'procedure' }), expect.objectContaining({ field: 'reason' })],
    });
    const claimed = await service.act(officer, null, accepted.caseNumber, { action: 'claim', version: accepted.version });
    await expect(service.act(other, null, accepted.caseNumber, { action: 'suspend', version: claimed.version, procedure: 'hearing', reason: '听证' })).rejects.toMatchObject({ code: 'not_assignee' });
  });

  it('excludes the suspended working days (across National Day) and moves the deadline and the open step out by as many', async () => {
    // accepted Mon 09-28; 5 working days: 09-29, 09-30, 10-08, 10-09, 10-10 (make-up Saturday)
    const accepted = await acceptedOn('2026-09-28');
    expect(accepted).toMatchObject({ deadline: '2026-10-10', clock: { elapsedWorkdays: 0 } });
    expect(accepted.tasks[0]).toMatchObject({ dueDate: '2026-09-29' });

    dated.setDate('2026-09-29');
    const suspended = await service.act(officer, null, accepted.caseNumber, { action: 'suspend', version: accepted.version, procedure: 'site_inspection', reason: '需现场勘验', expectedDays: 3 });
    expect(suspended).toMatchObject({
      status: 'suspended',
      clock: { suspended: true, elapsedWorkdays: 1 },
      suspension: { procedure: 'site_inspection', reason: '需现场勘验', expectedDays: 3, since: '2026-09-29', fromStatus: 'in_review' },
    });
    // the open step stays open and held; the back office may still comment and assign, not move on
    expect(suspended.tasks[0]).toMatchObject({ status: 'open', assignee: { id: approver.user.id } });
    await expect(service.act(officer, null, accepted.caseNumber, { action: 'complete_step', version: suspended.version })).rejects.toMatchObject({ code: 'action_not_allowed' });
    await expect(service.act(officer, null, accepted.caseNumber, { action: 'approve', version: suspended.version })).rejects.toMatchObject({ code: 'action_not_allowed' });

    dated.setDate('2026-10-09');
    expect((await service.get(officer, accepted.caseNumber)).clock).toMatchObject({ elapsedWorkdays: 1, overdue: false });
    const resumed = await service.act(officer, null, accepted.caseNumber, { action: 'resume', version: suspended.version, comment: '勘验完毕' });
    // 09-30, 10-08 and 10-09 were spent suspended: deadline 5 + 3 working days after 09-28
    expect(resumed).toMatchObject({ status: 'in_review', deadline: '2026-10-14', suspension: null, clock: { suspended: false, suspendedWorkdays: 3, elapsedWorkdays: 1 } });
    expect(resumed.history.at(-1)).toMatchObject({ action: 'resume', elapsedWorkdays: 1, detail: { procedure: 'site_inspection', since: '2026-09-29', until: '2026-10-09', workdays: 3 } });
    // the step was due the day it stopped; it is due the day it restarts
    expect(resumed.tasks[0]).toMatchObject({ status: 'open', dueDate: '2026-10-09' });

    dated.setDate('2026-10-12');
    const done = await service.act(officer, null, accepted.caseNumber, { action: 'complete_step', version: resumed.version });
    // 现场核查: 2 working days from 10-12 (10-13, 10-14), within the moved deadline
    expect(done.tasks.find((t) => t.status === 'open')).toMatchObject({ stepIndex: 1, dueDate: '2026-10-14' });
    expect(done.clock).toMatchObject({ elapsedWorkdays: 3 }); // 09-29, then 10-10 (make-up Saturday) and 10-12
  });

  it('a step is never due after the case: 现场核查 opened on the deadline is due that day', async () => {
    const accepted = await acceptedOn('2026-09-28');
    dated.setDate('2026-10-10');
    const done = await service.act(officer, null, accepted.caseNumber, { action: 'complete_step', version: accepted.version });
    expect(done.tasks.find((t) => t.status === 'open')).toMatchObject({ stepIndex: 1, dueDate: '2026-10-10' });
  });
});

describe('GET /api/v1/workbench/tasks', () => {
  type Queue = { items: Array<{ taskId: string; caseNumber: string; stepName: string; dueDate: string; overdue: boolean; assignee: { id: string; name: string } | null; applicantName: string; priority: number; status: string }>; nextCursor: string | null };
  const queue = async (session: Session, query: string): Promise<Queue> => {
    const res = await as(platform.app, session, { method: 'GET', url: `/api/v1/workbench/tasks?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Queue;
  };
  const all = async (session: Session, query: string) => {
    const items: Queue['items'] = [];
    let cursor: string | null = null;
    do {
      const page: Queue = await queue(session, `${query}&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };

  it('lists the team queue and my tasks: green channel first, then the earliest due, pages without gaps', async () => {
    const plain = await acceptedCase();
    const green = await acceptedCase();
    await platform.database.db.updateTable('case_tasks').set({ priority: 1 }).where('case_id', '=', (await platform.database.db.selectFrom('cases').select('id').where('case_number', '=', green).executeTakeFirstOrThrow()).id).execute();

    const team = await all(approverB, 'queue=team');
    const numbers = team.map((t) => t.caseNumber);
    expect(numbers).toContain(plain);
    expect(numbers.indexOf(green)).toBe(0);
    const order = team.map((t) => [-t.priority, t.dueDate, t.taskId].join('|'));
    expect(order).toEqual([...order].sort());
    expect(new Set(team.map((t) => t.taskId)).size).toBe(team.length);
    expect(team.every((t) => t.assignee === null)).toBe(true);
    const entry = team.find((t) => t.caseNumber === plain)!;
    expect(entry).toMatchObject({ stepName: '材料审查', status: 'accepted', applicantName: '张*', overdue: false });

    await act(approverB, plain, { action: 'claim' });
    const mine = await all(approverB, 'queue=mine');
    expect(mine.map((t) => t.caseNumber)).toContain(plain);
    expect(mine.find((t) => t.caseNumber === plain)!.assignee).toEqual({ id: approverB.user.id, name: '审批 孙悦' });
    expect((await all(approverB, 'queue=team')).map((t) => t.caseNumber)).not.toContain(plain);
    expect((await all(approver, 'queue=mine')).map((t) => t.caseNumber)).not.toContain(plain);
    // the department admin sees the whole team queue; another department sees none of it
    expect((await all(deptAdmin, 'queue=team')).map((t) => t.caseNumber)).toContain(green);
    expect((await all(policeApprover, 'queue=team')).map((t) => t.caseNumber)).not.toContain(green);
  });

  it('refuses applicants, clerks and forged cursors', async () => {
    expect((await as(platform.app, person, { method: 'GET', url: '/api/v1/workbench/tasks' })).statusCode).toBe(403);
    expect((await as(platform.app, clerk, { method: 'GET', url: '/api/v1/workbench/tasks' })).statusCode).toBe(403);
    const res = await as(platform.app, approver, { method: 'GET', url: '/api/v1/workbench/tasks?queue=team&cursor=bm9wZQ' });
    expect(res.statusCode).toBe(400);
    expect(fields(res)).toEqual(['cursor:invalid_cursor']);
    expect((await as(platform.app, approver, { method: 'GET', url: '/api/v1/workbench/tasks?queue=everyone' })).statusCode).toBe(400);
  });
});
