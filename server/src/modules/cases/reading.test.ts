/**
 * Reading cases (lists, the detail, the front desk's queue) and what other modules ask of the case
 * module (the data-sharing gateway's case directory, staff access to case files), plus the clock:
 * deadlines across National Day 2026 and its make-up Saturday, immediate items, suspended time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, login, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { caseAction, caseDetail, casesOnDates, demoItem, ITEMS, sampleForm, staffSession, submitCase } from '../../../test/case-fixtures.js';
import type { ApplicantPrincipal, StaffPrincipal } from '../../platform/auth/principal.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { DEMO_ENTERPRISE, DEMO_PERSON, demoIdNumber } from '../demo/seed.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { CaseDetail, CaseSummary } from './schemas.js';
import { CasesService } from './service.js';

let platform: TestPlatform;
let person: Session;
let enterprise: Session;
let clerk: Session;
let futianClerk: Session;
let approver: Session;
let policeApprover: Session;
let supervisor: Session;
let food: ItemGuide;
let departments: Map<string, string>;

/** Cases made in beforeAll: three of the person's food applications, one police, one district walk-in. */
const made = { food: [] as string[], police: '', futian: '' };
/** The demo city's own cases (modules/demo/cases.ts), there before any of this file's. */
let seeded: Set<string>;

beforeAll(async () => {
  platform = await createTestPlatform();
  ({ person, enterprise, clerk, approver, supervisor } = await loginAll(platform.app, ['person', 'enterprise', 'clerk', 'approver', 'supervisor']));
  futianClerk = await staffSession(platform, { username: 'futian_clerk_r', name: '福田窗口 褚', department: '福田区政务服务数据管理局', roles: ['window_clerk'] });
  policeApprover = await staffSession(platform, { username: 'police_approver_r', name: '公安审批 卫', department: '深圳市公安局', roles: ['approver'] });
  departments = new Map((await platform.services.org.listDepartments()).map((d) => [d.name, d.id]));
  seeded = new Set((await platform.database.db.selectFrom('cases').select('case_number').execute()).map((r) => r.case_number));
  food = await demoItem(platform, ITEMS.food);
  for (let i = 0; i < 3; i++) made.food.push((await submitCase(platform, person, food)).caseNumber);
  made.police = (await submitCase(platform, person, ITEMS.criminalRecord)).caseNumber;
  const district = await demoItem(platform, ITEMS.futianAllowance);
  const filed = await as(platform.app, futianClerk, {
    method: 'POST',
    url: '/api/v1/window/cases',
    payload: {
      itemCode: district.implementationCode,
      applicant: { kind: 'natural', name: '王老五', idNumber: demoIdNumber('440304', '19400101', '111'), phone: '13700001111' },
      // an instant item (秒批): paid to a bank account, the rules leave it to the window
      form: { ...sampleForm(district), payoutAccount: 'bank', bankAccount: '6222021000000000001' },
      materials: district.materials.filter((m) => m.requirement === 'required').map((m) => ({ materialId: m.id, paper: true })),
    },
  });
  expect(filed.statusCode, filed.body).toBe(201);
  expect(filed.json()).toMatchObject({ status: 'submitted', instantDecision: { outcome: 'route' } });
  made.futian = (filed.json() as { caseNumber: string }).caseNumber;
});
afterAll(() => platform.close());

async function list(session: Session, query = ''): Promise<{ items: CaseSummary[]; nextCursor: string | null }> {
  const res = await as(platform.app, session, { method: 'GET', url: `/api/v1/cases?limit=100${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: CaseSummary[]; nextCursor: string | null };
}
const numbers = (page: { items: CaseSummary[] }) => page.items.map((c) => c.caseNumber);
/** The numbers of the cases this file made, in the order listed. */
const ours = (page: { items: CaseSummary[] }) => numbers(page).filter((n) => !seeded.has(n));

describe('GET /api/v1/cases', () => {
  it('gives applicants their own cases only, newest first, with their own name', async () => {
    const mine = await list(person, '&mine=true');
    expect(ours(mine)).toEqual([made.police, ...[...made.food].reverse()]);
    expect(mine.items[0]).toMatchObject({ applicantName: DEMO_PERSON.name, status: 'submitted', departmentName: '深圳市公安局', overdue: false, parentCaseNumber: null, channel: 'online' });
    expect(mine.items.every((c) => c.applicantName === DEMO_PERSON.name)).toBe(true);
    const theirs = await list(enterprise);
    expect(ours(theirs)).toEqual([]);
    expect(theirs.items.every((c) => c.applicantName === DEMO_ENTERPRISE.name)).toBe(true);
  });

  it('pages with an opaque cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await as(platform.app, person, { method: 'GET', url: `/api/v1/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}` });
      const body = res.json() as { items: CaseSummary[]; nextCursor: string | null };
      seen.push(...numbers(body));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(numbers(await list(person)));
    const forged = await as(platform.app, person, { method: 'GET', url: '/api/v1/cases?cursor=bm90LWpzb24' });
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ errors: [{ field: 'cursor', code: 'invalid_cursor' }] });
  });

  it('gives staff the cases they reach, with applicants\' names masked', async () => {
    const market = await list(approver);
    expect(ours(market).sort()).toEqual([...made.food].sort());
    expect(market.items.every((c) => c.departmentName === '深圳市市场监督管理局')).toBe(true);
    expect(market.items.filter((c) => !seeded.has(c.caseNumber)).every((c) => c.applicantName === '张*')).toBe(true);
    expect(ours(await list(policeApprover))).toEqual([made.police]);
    expect(ours(await list(futianClerk))).toEqual([made.futian]);
    for (const cityWide of [clerk, supervisor]) expect(ours(await list(cityWide)).sort()).toEqual([...made.food, made.police, made.futian].sort());
    expect(ours(await list(clerk, `&departmentId=${departments.get('深圳市公安局')}`))).toEqual([made.police]);
    const outside = await as(platform.app, approver, { method: 'GET', url: `/api/v1/cases?departmentId=${departments.get('深圳市公安局')}` });
    expect(outside.statusCode).toBe(404);
    // catalog admins handle items, not cases
    expect((await as(platform.app, await login(platform.app, 'catalog'), { method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(403);
    expect((await as(platform.app, null, { method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(401);
  });

  it('filters by status, item, search text and overdue', async () => {
    expect(ours(await list(clerk, `&itemCode=${food.implementationCode}`)).sort()).toEqual([...made.food].sort());
    expect(ours(await list(clerk, `&q=${made.police.slice(0, 40)}`))).toEqual([made.police]);
    expect(ours(await list(clerk, `&q=${encodeURIComponent('无犯罪')}`))).toEqual([made.police]);
    expect(numbers(await list(clerk, `&q=${demoIdNumber('440304', '19400101', '111')}`))).toEqual([made.futian]);
    // one accepted case whose deadline has passed
    const late = made.food[0]!;
    expect((await caseAction(platform, clerk, late, { action: 'accept' })).statusCode).toBe(200);
    await platform.database.db.updateTable('cases').set({ deadline: '2026-01-05' }).where('case_number', '=', late).execute();
    expect(ours(await list(clerk, '&status=accepted'))).toEqual([late]);
    expect(ours(await list(clerk, '&overdue=true'))).toEqual([late]);
    expect(numbers(await list(clerk, '&overdue=false'))).not.toContain(late);
    expect((await list(person)).items.find((c) => c.caseNumber === late)).toMatchObject({ overdue: true, deadline: '2026-01-05' });
  });
});

describe('GET /api/v1/front-desk/queue', () => {
  it('lists what awaits the clerk\'s window, oldest first, in the clerk\'s region only', async () => {
    const queue = (await as(platform.app, clerk, { method: 'GET', url: '/api/v1/front-desk/queue?limit=100' })).json() as { items: CaseSummary[] };
    const expected = [made.food[1]!, made.food[2]!, made.police, made.futian];
    expect(numbers(queue).filter((n) => expected.includes(n))).toEqual(expected);
    expect(queue.items.every((c) => c.status === 'submitted')).toBe(true);
    expect(queue.items.find((c) => c.caseNumber === made.futian)).toMatchObject({ applicantName: '王*五' });
    expect(ours((await as(platform.app, futianClerk, { method: 'GET', url: '/api/v1/front-desk/queue' })).json() as { items: CaseSummary[] })).toEqual([made.futian]);
    const firstPage = (await as(platform.app, clerk, { method: 'GET', url: '/api/v1/front-desk/queue?limit=1' })).json() as { items: CaseSummary[]; nextCursor: string };
    const second = (await as(platform.app, clerk, { method: 'GET', url: `/api/v1/front-desk/queue?limit=1&cursor=${firstPage.nextCursor}` })).json() as { items: CaseSummary[] };
    expect([...numbers(firstPage), ...numbers(second)]).toEqual(numbers(queue).slice(0, 2));
    expect((await as(platform.app, approver, { method: 'GET', url: '/api/v1/front-desk/queue' })).statusCode).toBe(403);
    expect((await as(platform.app, person, { method: 'GET', url: '/api/v1/front-desk/queue' })).statusCode).toBe(403);
  });

  it('shows cases awaiting a correction on request', async () => {
    const caseNumber = made.food[1]!;
    await caseAction(platform, clerk, caseNumber, { action: 'request_correction', items: [{ materialId: 'layout', reason: '不清晰' }] });
    const queue = (await as(platform.app, clerk, { method: 'GET', url: '/api/v1/front-desk/queue?status=correction_requested' })).json() as { items: CaseSummary[] };
    expect(ours(queue)).toEqual([caseNumber]);
  });
});

describe('GET /api/v1/cases/{caseNumber}', () => {
  it('has every field of the spec, and the pickup code for the owner only, through a whole life to the decision', async () => {
    const caseNumber = made.food[2]!;
    const submitted = await caseDetail(platform, person, caseNumber);
    expect(Object.keys(submitted).sort()).toEqual([
      'acceptedAt', 'allowedActions', 'applicant', 'caseNumber', 'channel', 'clock', 'commitment', 'currentStep', 'deadline', 'decision', 'delivery', 'department',
      'form', 'history', 'itemCode', 'itemName', 'itemVersion', 'materials', 'notices', 'parent', 'pickupCode', 'status', 'steps', 'subCases', 'submittedAt', 'suspension',
      'tasks', 'version',
    ]);
    expect(submitted.steps).toEqual([
      { index: 0, name: '材料审查', role: 'approver', days: 1 },
      { index: 1, name: '现场核查', role: 'approver', days: 2 },
      { index: 2, name: '决定', role: 'approver', days: 1 },
    ]);
    expect(Object.keys(submitted.history[0]!).sort()).toEqual(['action', 'actor', 'actorKind', 'at', 'attachments', 'comment', 'detail', 'elapsedWorkdays', 'fromStatus', 'status', 'stepIndex']);
    expect(Object.keys(submitted.materials[0]!).sort()).toEqual(['fileId', 'id', 'licenseId', 'materialId', 'name', 'owed', 'owedDue', 'resourceId', 'source', 'suppliedAt', 'verdict', 'verdictReason']);
    expect(submitted.allowedActions).toEqual(['withdraw']);
    expect((await caseDetail(platform, clerk, caseNumber)).allowedActions).toEqual(['accept', 'not_accept', 'request_correction', 'accept_with_deficiency', 'verify_materials', 'comment']);
    expect((await caseDetail(platform, supervisor, caseNumber)).allowedActions).toEqual([]);

    await caseAction(platform, clerk, caseNumber, { action: 'accept' });
    expect((await caseAction(platform, approver, caseNumber, { action: 'claim' })).statusCode).toBe(200);
    const claimed = await caseDetail(platform, approver, caseNumber);
    expect(claimed).toMatchObject({ status: 'in_review', currentStep: 0, tasks: [{ assignee: { name: '审批 李明' } }] });
    expect(claimed.allowedActions).toEqual(['release', 'comment', 'complete_step', 'suspend']);
    for (let step = 0; step < 2; step++) expect((await caseAction(platform, approver, caseNumber, { action: 'complete_step' })).statusCode).toBe(200);
    const deciding = await caseDetail(platform, approver, caseNumber);
    expect(deciding.currentStep).toBe(2);
    expect(deciding.allowedActions).toEqual(['claim', 'assign', 'comment', 'return', 'suspend', 'approve', 'deny']);
    const approved = await caseAction(platform, approver, caseNumber, { action: 'approve' });
    expect(approved.statusCode, approved.body).toBe(200);

    const owners = await caseDetail(platform, person, caseNumber);
    expect(owners).toMatchObject({ status: 'approved', decision: { outcome: 'approved', number: expect.stringContaining('决字') }, clock: { elapsedWorkdays: null } });
    expect(owners.pickupCode).toMatch(/^\d{6}$/);
    const clerks = await caseDetail(platform, clerk, caseNumber);
    expect(clerks.pickupCode).toBeNull();
    expect(JSON.stringify(clerks)).not.toContain(owners.pickupCode!);
    expect(clerks.allowedActions).toEqual(['comment', 'deliver']);
    expect(owners.allowedActions).toEqual([]);
  });

  it('records staff reading a case in the audit log (applicants reading their own are not), without personal data', async () => {
    const caseNumber = made.police;
    const reads = () => platform.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'cases.case.read').where('target_id', '=', caseNumber).execute();
    await caseDetail(platform, person, caseNumber);
    expect(await reads()).toEqual([]);
    await caseDetail(platform, policeApprover, caseNumber);
    const entries = await reads();
    expect(entries).toEqual([expect.objectContaining({ actor_id: policeApprover.user.id, actor_kind: 'staff', target_type: 'case' })]);
    expect(JSON.stringify(entries)).not.toContain(DEMO_PERSON.idNumber);
    expect(JSON.stringify(entries)).not.toContain(DEMO_PERSON.name);
  });

  it('answers 404 to anyone out of reach, and for a case that does not exist', async () => {
    for (const [session, caseNumber] of [[enterprise, made.food[0]!], [policeApprover, made.food[0]!], [approver, made.police], [futianClerk, made.police], [person, made.futian]] as const) {
      const res = await as(platform.app, session, { method: 'GET', url: `/api/v1/cases/${caseNumber}` });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'case_not_found' });
    }
    expect((await as(platform.app, clerk, { method: 'GET', url: `/api/v1/cases/${made.police.slice(0, -4)}9999` })).statusCode).toBe(404);
    expect((await as(platform.app, clerk, { method: 'GET', url: '/api/v1/cases/bad-number!' })).statusCode).toBe(400);
  });
});

describe('for other modules', () => {
  it('confirms a case to the data-sharing gateway for the departments handling it', async () => {
    const market = departments.get('深圳市市场监督管理局')!;
    const police = departments.get('深圳市公安局')!;
    expect(await platform.services.cases.confirm(made.food[0]!, market)).toEqual({ ok: true, itemCode: food.implementationCode });
    expect(await platform.services.cases.confirm(made.food[0]!, police)).toEqual({ ok: false });
    expect(await platform.services.cases.confirm('NOSUCHCASE0001', market)).toEqual({ ok: false });
    // a parallel approval: each sub-case's department handles the main case too, for its own item
    const composite = await demoItem(platform, '开办企业“一件事”');
    const { caseNumber } = await submitCase(platform, enterprise, composite);
    // before acceptance no sub-case exists: a "no" that must not be remembered
    expect(await platform.services.cases.confirm(caseNumber, market)).toEqual({ ok: false });
    const accepted = (await caseAction(platform, clerk, caseNumber, { action: 'accept' })).json() as CaseDetail;
    const subItem = accepted.subCases.find((s) => s.departmentName === '深圳市市场监督管理局')!;
    const subCode = (await platform.database.db.selectFrom('cases').select('item_code').where('case_number', '=', subItem.caseNumber).executeTakeFirstOrThrow()).item_code;
    expect(await platform.services.cases.confirm(caseNumber, market)).toEqual({ ok: true, itemCode: subCode });
    // a "yes" is final (department and item never change): asked again, it is answered from memory
    expect(await platform.services.cases.confirm(caseNumber.toLowerCase(), market)).toEqual({ ok: true, itemCode: subCode });

    // wired into the gateway: a real case of the consumer's is served, another department's refused
    const household = (await platform.database.db.selectFrom('sharing_resources').select('id').where('code', '=', 'household').executeTakeFirstOrThrow()).id;
    const request = { consumerDepartmentId: market, resourceId: household, subject: DEMO_PERSON.idNumber, purpose: '身份核验' };
    expect((await platform.services.sharing.lookup({ ...request, caseRef: made.food[0]! })).payload.found).toBe(true);
    await expect(platform.services.sharing.lookup({ ...request, caseRef: made.police })).rejects.toMatchObject({ code: 'case_out_of_scope' });
  });

  it('lets staff who reach a case read its files, and nobody else', async () => {
    const detail = await caseDetail(platform, person, made.food[0]!);
    const fileId = detail.materials[0]!.fileId!;
    for (const [session, status] of [[approver, 200], [clerk, 200], [supervisor, 200], [person, 200], [policeApprover, 404], [futianClerk, 404], [enterprise, 404]] as const) {
      const res = await as(platform.app, session, { method: 'GET', url: `/api/v1/files/${fileId}/meta` });
      expect(res.statusCode, session.user.name).toBe(status);
    }
  });
});

describe('the clock (deadlines in working days)', () => {
  let dated: ReturnType<typeof casesOnDates>;
  let service: CasesService;
  let applicant: ApplicantPrincipal;
  let officer: StaffPrincipal;

  beforeAll(() => {
    dated = casesOnDates(platform, { person, clerk, approver });
    ({ service, applicant, officer } = dated);
  });

  const acceptedOn = (date: string, item: ItemGuide) => dated.acceptedOn(date, item);

  it('crosses National Day 2026 and counts the make-up Saturday 2026-10-10: accepted 09-30, 5 days, due 10-13', async () => {
    const accepted = await acceptedOn('2026-09-30', food);
    expect(accepted).toMatchObject({ deadline: '2026-10-13', clock: { acceptedOn: '2026-09-30', elapsedWorkdays: 0 } });
    expect(accepted.notices[0]!.content).toMatchObject({ acceptedOn: '2026-09-30', deadline: '2026-10-13' });
    dated.setDate('2026-10-10');
    expect((await service.get(applicant, accepted.caseNumber)).clock).toMatchObject({ elapsedWorkdays: 3, overdue: false });
    dated.setDate('2026-10-14');
    expect((await service.get(applicant, accepted.caseNumber)).clock).toMatchObject({ elapsedWorkdays: 6, overdue: true });
  });

  it('makes an immediate item (即办件) due on the day of acceptance', async () => {
    const immediate = await demoItem(platform, '居住证签注');
    expect(immediate.caseKind).toBe('1');
    const accepted = await acceptedOn('2026-09-30', immediate);
    expect(accepted).toMatchObject({ deadline: '2026-09-30', clock: { promisedDays: 0 } });
  });

  it('leaves out the working days a special procedure took', async () => {
    const accepted = await acceptedOn('2026-09-30', food);
    dated.setDate('2026-10-09');
    const suspended = await service.act(officer, null, accepted.caseNumber, { action: 'suspend', version: accepted.version, procedure: 'expert_review', reason: '组织专家评审' });
    expect(suspended).toMatchObject({ status: 'suspended', clock: { suspended: true, elapsedWorkdays: 2 } });
    dated.setDate('2026-10-14');
    // frozen while it runs, and never overdue meanwhile
    expect((await service.get(officer, accepted.caseNumber)).clock).toMatchObject({ elapsedWorkdays: 2, overdue: false, deadline: '2026-10-13' });
    const resumed = await service.act(officer, null, accepted.caseNumber, { action: 'resume', version: suspended.version });
    // 10-10 (make-up Saturday), 10-12, 10-13, 10-14 were spent suspended: 5 + 4 working days after 09-30
    expect(resumed).toMatchObject({ status: 'in_review', deadline: '2026-10-19', clock: { suspendedWorkdays: 4, elapsedWorkdays: 2, overdue: false } });
    expect(resumed.history.map((h) => [h.action, h.elapsedWorkdays])).toEqual([['submit', null], ['accept', 0], ['suspend', 2], ['resume', 2]]);
  });

  it('accepts in a year whose holiday notice is not loaded: deadline open and flagged, filled in once the year is loaded', async () => {
    const unloaded = Math.max(...(await platform.services.calendar.listYears()).map((y) => y.year)) + 1;
    const accepted = await acceptedOn(`${unloaded}-03-02`, food);
    expect(accepted).toMatchObject({ status: 'accepted', deadline: null, clock: { acceptedOn: `${unloaded}-03-02`, elapsedWorkdays: 0 } });
    expect(accepted.history.at(-1)).toMatchObject({ action: 'accept' });
    const flagged = await platform.database.db.selectFrom('case_history').select('detail').where('action', '=', 'accept').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(flagged.detail).toMatchObject({ deadlinePending: true });

    await platform.services.calendar.loadYear(SYSTEM_ACTOR, { year: unloaded, source: '测试：假定的节假日安排', holidays: [], workdays: [] });
    dated.setDate(`${unloaded}-03-04`);
    const claimed = await service.act(officer, null, accepted.caseNumber, { action: 'claim', version: accepted.version });
    // 5 working days after Monday 03-02 with no holidays in the loaded year: Monday 03-09
    expect(claimed).toMatchObject({ deadline: `${unloaded}-03-09`, clock: { elapsedWorkdays: 2 } });
  });
});
