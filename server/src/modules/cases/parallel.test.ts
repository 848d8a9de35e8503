/**
 * Parallel approval (并联审批) end to end through the HTTP API: accepting a composite item starts
 * one sub-case per component in its department; each department reaches only its sub-case; the
 * platform decides the main case once every required sub-case is decided (approved only if all of
 * them were); optional ones never hold it up; delivery of the main case takes the decided
 * sub-cases with it; a component that is no longer published stops acceptance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { as, createTestPlatform, login, type Session, type TestPlatform } from '../../../test/harness.js';
import { caseAction, caseDetail, demoItem, staffSession, submitCase } from '../../../test/case-fixtures.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import { DEMO_ENTERPRISE } from '../demo/seed.js';
import type { ActionBody } from './actions.js';
import type { CaseDetail } from './schemas.js';

let platform: TestPlatform;
let enterprise: Session;
let clerk: Session; // 政务服务数据管理局: the comprehensive window (city)
let supervisor: Session;
const approvers = new Map<string, Session>(); // by department name
let opening: ItemGuide; // 开办企业“一件事”
let investment: ItemGuide; // 社会投资建设项目并联审批

const DEPARTMENTS = [
  '深圳市市场监督管理局',
  '深圳市公安局',
  '国家税务总局深圳市税务局',
  '深圳市人力资源和社会保障局',
  '深圳市政务服务数据管理局',
  '深圳市发展和改革委员会',
  '深圳市规划和自然资源局',
  '深圳市生态环境局',
  '深圳市住房和建设局',
];

beforeAll(async () => {
  platform = await createTestPlatform();
  enterprise = await login(platform.app, DEMO_ENTERPRISE.creditCode);
  clerk = await login(platform.app, 'clerk');
  supervisor = await login(platform.app, 'supervisor');
  approvers.set('深圳市市场监督管理局', await login(platform.app, 'approver'));
  for (const [i, department] of DEPARTMENTS.entries()) {
    if (approvers.has(department)) continue;
    approvers.set(department, await staffSession(platform, { username: `parallel_approver_${i}`, name: `审批 ${i}号`, department, roles: ['approver'] }));
  }
  opening = await demoItem(platform, '开办企业“一件事”');
  investment = await demoItem(platform, '社会投资建设项目并联审批');
});
afterAll(() => platform.close());

const problem = (res: LightMyRequestResponse) => res.json() as { code: string };

async function act(session: Session, caseNumber: string, body: Omit<ActionBody, 'version'>, status = 200): Promise<CaseDetail> {
  const res = await caseAction(platform, session, caseNumber, body);
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as CaseDetail;
}

async function acceptedComposite(item: ItemGuide): Promise<CaseDetail> {
  const { caseNumber } = await submitCase(platform, enterprise, item);
  return act(clerk, caseNumber, { action: 'accept' });
}

async function subCaseRows(mainNumber: string) {
  const db = platform.database.db;
  const main = await db.selectFrom('cases').select('id').where('case_number', '=', mainNumber).executeTakeFirstOrThrow();
  return db
    .selectFrom('cases')
    .innerJoin('departments', 'departments.id', 'cases.department_id')
    .select(['cases.id', 'cases.case_number', 'cases.item_name', 'cases.status', 'cases.required', 'cases.accepted_on', 'cases.deadline', 'cases.form', 'departments.name as department'])
    .where('parent_id', '=', main.id)
    .orderBy('cases.case_number')
    .execute();
}

/** Takes a sub-case through its remaining steps and decides it, as its department's approver. */
async function decide(caseNumber: string, department: string, outcome: 'approved' | 'denied'): Promise<CaseDetail> {
  const session = approvers.get(department)!;
  let detail = await caseDetail(platform, session, caseNumber);
  while (detail.currentStep! < detail.steps.length - 1) detail = await act(session, caseNumber, { action: 'complete_step' });
  return act(session, caseNumber, outcome === 'approved' ? { action: 'approve' } : { action: 'deny', reason: '不符合审批条件' });
}

const bySubItem = (subs: Awaited<ReturnType<typeof subCaseRows>>, department: string) => subs.find((s) => s.department === department)!;

describe('enterprise opening (开办企业“一件事”)', () => {
  let main: CaseDetail;
  let subs: Awaited<ReturnType<typeof subCaseRows>>;

  it('acceptance starts a sub-case per component in its department, the main case waits in review', async () => {
    main = await acceptedComposite(opening);
    expect(main).toMatchObject({ status: 'in_review', tasks: [] });
    expect(main.history.map((h) => h.action)).toEqual(['submit', 'accept', 'start']);
    subs = await subCaseRows(main.caseNumber);
    expect(subs.map((s) => [s.department, s.item_name, s.required, s.status]).sort()).toEqual(
      [
        ['国家税务总局深圳市税务局', '新办纳税人首次申领发票', true, 'accepted'],
        ['深圳市人力资源和社会保障局', '社会保险登记（单位参保登记）', true, 'accepted'],
        ['深圳市公安局', '公章刻制备案', true, 'accepted'],
        ['深圳市市场监督管理局', '企业设立登记', true, 'accepted'],
        ['深圳市政务服务数据管理局', '企业银行开户预约', false, 'accepted'],
      ].sort(),
    );
    expect(main.subCases.map((s) => s.caseNumber).sort()).toEqual(subs.map((s) => s.case_number).sort());
    for (const sub of subs) {
      // its own clock from today, the shared application, the first step in its department's queue
      expect(sub.accepted_on).toBe(main.clock.acceptedOn);
      expect(sub.form).toEqual(main.form);
      const detail = await caseDetail(platform, approvers.get(sub.department)!, sub.case_number);
      expect(detail.parent).toEqual({ caseNumber: main.caseNumber });
      expect(detail.materials.map((m) => m.materialId).sort()).toEqual(main.materials.map((m) => m.materialId).sort());
      expect(detail.tasks).toEqual([expect.objectContaining({ stepIndex: 0, status: 'open', assignee: null })]);
      expect(detail.history.map((h) => h.action)).toEqual(['start']);
    }
    expect(bySubItem(subs, '深圳市市场监督管理局').case_number.startsWith(`${(await demoItem(platform, '企业设立登记')).implementationCode}`)).toBe(true);
  });

  it('each department sees its sub-case only; the main case\'s window, the supervisor and the applicant see all', async () => {
    const market = approvers.get('深圳市市场监督管理局')!;
    const police = approvers.get('深圳市公安局')!;
    const get = (session: Session, n: string) => as(platform.app, session, { method: 'GET', url: `/api/v1/cases/${n}` });
    expect((await get(market, bySubItem(subs, '深圳市市场监督管理局').case_number)).statusCode).toBe(200);
    expect((await get(market, main.caseNumber)).statusCode).toBe(404);
    expect((await get(market, bySubItem(subs, '深圳市公安局').case_number)).statusCode).toBe(404);
    expect((await get(police, bySubItem(subs, '深圳市公安局').case_number)).statusCode).toBe(200);
    expect((await get(police, bySubItem(subs, '深圳市市场监督管理局').case_number)).statusCode).toBe(404);
    expect((await get(police, main.caseNumber)).statusCode).toBe(404);
    for (const session of [clerk, supervisor, enterprise]) {
      for (const n of [main.caseNumber, ...subs.map((s) => s.case_number)]) expect((await get(session, n)).statusCode, `${session.user.name} ${n}`).toBe(200);
    }
    // another department's approver cannot act on a sibling either
    expect((await caseAction(platform, market, bySubItem(subs, '深圳市公安局').case_number, { action: 'claim' })).statusCode).toBe(404);
  });

  it('the main case has no steps of its own and is not decided by hand', async () => {
    const dataApprover = approvers.get('深圳市政务服务数据管理局')!;
    let res = await caseAction(platform, dataApprover, main.caseNumber, { action: 'claim' });
    expect(res.statusCode).toBe(422);
    expect(problem(res).code).toBe('no_open_task');
    res = await caseAction(platform, dataApprover, main.caseNumber, { action: 'approve' });
    expect(res.statusCode).toBe(422);
    expect(problem(res).code).toBe('sub_cases_pending');
  });

  it('is approved by the platform when the last required sub-case is approved; the optional one does not hold it up', async () => {
    for (const department of ['深圳市市场监督管理局', '深圳市公安局', '国家税务总局深圳市税务局']) {
      const decided = await decide(bySubItem(subs, department).case_number, department, 'approved');
      expect(decided.status).toBe('approved');
      expect((await caseDetail(platform, clerk, main.caseNumber)).status).toBe('in_review');
    }
    await decide(bySubItem(subs, '深圳市人力资源和社会保障局').case_number, '深圳市人力资源和社会保障局', 'approved');
    main = await caseDetail(platform, clerk, main.caseNumber);
    expect(main).toMatchObject({ status: 'approved', decision: { outcome: 'approved', number: null } });
    expect(main.history.at(-1)).toMatchObject({ action: 'complete', status: 'approved', actor: '系统', actorKind: 'system' });
    const notice = main.notices.find((n) => n.kind === 'decision')!;
    expect(notice.content).toMatchObject({ title: '并联审批办理结果通知书', outcome: 'approved', reasons: null });
    expect((notice.content as { subCases: unknown[] }).subCases).toHaveLength(5);
    expect((await caseDetail(platform, clerk, bySubItem(subs, '深圳市政务服务数据管理局').case_number)).status).toBe('accepted');
  });

  it('delivering the main case delivers its decided sub-cases; the optional one delivers itself later', async () => {
    const { pickupCode } = await caseDetail(platform, enterprise, main.caseNumber);
    expect(pickupCode).toMatch(/^\d{6}$/);
    const delivered = await act(clerk, main.caseNumber, { action: 'deliver', delivery: { method: 'pickup', pickupCode: pickupCode! } });
    expect(delivered.status).toBe('delivered');
    const after = await subCaseRows(main.caseNumber);
    expect(after.map((s) => [s.department, s.status]).sort()).toEqual(
      [
        ['国家税务总局深圳市税务局', 'delivered'],
        ['深圳市人力资源和社会保障局', 'delivered'],
        ['深圳市公安局', 'delivered'],
        ['深圳市市场监督管理局', 'delivered'],
        ['深圳市政务服务数据管理局', 'accepted'],
      ].sort(),
    );
    const sub = await caseDetail(platform, clerk, bySubItem(after, '深圳市公安局').case_number);
    expect(sub.history.at(-1)).toMatchObject({ action: 'deliver', detail: { method: 'pickup', withCase: main.caseNumber } });

    const bank = bySubItem(after, '深圳市政务服务数据管理局').case_number;
    expect((await decide(bank, '深圳市政务服务数据管理局', 'approved')).status).toBe('approved');
    expect((await caseDetail(platform, clerk, main.caseNumber)).status).toBe('delivered');
    const code = (await caseDetail(platform, enterprise, bank)).pickupCode!;
    expect((await act(clerk, bank, { action: 'deliver', delivery: { method: 'pickup', pickupCode: code } })).status).toBe('delivered');
  });
});

describe('investment project (社会投资建设项目并联审批)', () => {
  it('runs in four departments and is denied when a required sub-case is denied, once all of them are decided', async () => {
    const main = await acceptedComposite(investment);
    const subs = await subCaseRows(main.caseNumber);
    expect(subs.map((s) => [s.department, s.item_name, s.required]).sort()).toEqual(
      [
        ['深圳市发展和改革委员会', '企业投资项目备案', true],
        ['深圳市规划和自然资源局', '建设工程规划许可', true],
        ['深圳市生态环境局', '建设项目环境影响评价文件审批', true],
        ['深圳市住房和建设局', '建筑工程施工许可', true],
      ].sort(),
    );
    const eia = bySubItem(subs, '深圳市生态环境局');
    const denied = await decide(eia.case_number, '深圳市生态环境局', 'denied');
    expect(denied.notices.find((n) => n.kind === 'decision')!.content).toMatchObject({ title: '不予行政许可决定书' });
    // a denial does not end the others: the main case waits for every required sub-case
    expect((await caseDetail(platform, clerk, main.caseNumber)).status).toBe('in_review');
    for (const department of ['深圳市发展和改革委员会', '深圳市规划和自然资源局', '深圳市住房和建设局']) {
      await decide(bySubItem(subs, department).case_number, department, 'approved');
    }
    const decided = await caseDetail(platform, clerk, main.caseNumber);
    expect(decided).toMatchObject({ status: 'denied', decision: { outcome: 'denied' } });
    expect(decided.history.at(-1)).toMatchObject({ action: 'complete', status: 'denied', actorKind: 'system' });
    expect(decided.history.at(-1)!.comment).toContain(`建设项目环境影响评价文件审批（${eia.case_number}）`);
    expect(decided.notices.find((n) => n.kind === 'decision')!.content).toMatchObject({ outcome: 'denied', reasons: expect.stringContaining('建设项目环境影响评价文件审批') });
  });
});

describe('departments deciding at the same moment', () => {
  it('decide the main case once: one completion, one result notice', async () => {
    const main = await acceptedComposite(investment);
    const subs = await subCaseRows(main.caseNumber);
    const ready: Array<{ caseNumber: string; session: Session; version: number }> = [];
    for (const sub of subs) {
      const session = approvers.get(sub.department)!;
      let detail = await caseDetail(platform, session, sub.case_number);
      while (detail.currentStep! < detail.steps.length - 1) detail = await act(session, sub.case_number, { action: 'complete_step' });
      ready.push({ caseNumber: sub.case_number, session, version: detail.version });
    }
    const answers = await Promise.all(ready.map((r) => caseAction(platform, r.session, r.caseNumber, { action: 'approve', version: r.version })));
    expect(answers.map((a) => a.statusCode)).toEqual(ready.map(() => 200));
    const decided = await caseDetail(platform, clerk, main.caseNumber);
    expect(decided).toMatchObject({ status: 'approved', decision: { outcome: 'approved' } });
    expect(decided.history.filter((h) => h.action === 'complete')).toHaveLength(1);
    expect(decided.notices.filter((n) => n.kind === 'decision')).toHaveLength(1);
    expect(decided.subCases.map((s) => s.status)).toEqual(subs.map(() => 'approved'));
  });
});

describe('a component no longer published', () => {
  it('stops acceptance (422 parallel_component_unavailable) and the case stays with the window', async () => {
    const { caseNumber } = await submitCase(platform, enterprise, opening);
    const bank = await demoItem(platform, '企业银行开户预约');
    await platform.services.catalog.withdraw(SYSTEM_ACTOR, null, bank.implementationCode, bank.version, { reason: '测试：子事项停止办理' });
    const res = await caseAction(platform, clerk, caseNumber, { action: 'accept' });
    expect(res.statusCode).toBe(422);
    expect(problem(res).code).toBe('parallel_component_unavailable');
    expect((await caseDetail(platform, clerk, caseNumber)).status).toBe('submitted');
    expect(await subCaseRows(caseNumber)).toEqual([]);
  });
});
