import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, login, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { actAndExpect, applicationFor, caseDetail, demoItem, sampleForm, staffSession } from '../../../test/case-fixtures.js';
import { demoIdNumber } from '../demo/seed.js';
import { DEMO_BLACKLISTED } from '../rules/demo.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import { CasesService } from './service.js';
import { approvalWrites, decideInstantCase, decisionRecord, gatherInputs } from './instant.js';
import { nextDecisionNumber } from './numbers.js';
import { findCase } from './store.js';
import { compileTable } from '../rules/table.js';
import { todayInShanghai } from '../../platform/time.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';

/*
 * 秒批 and 告知承诺 through the HTTP API on the demo city: automatic decisions with their records,
 * every way a case falls back to a person (never approved by default), the blacklist's
 * restriction, the green channel, commitment signed, approved without the materials, verified
 * false: revoked and black-listed; appeal and removal.
 */

let platform: TestPlatform;
let s: Record<'person' | 'enterprise' | 'clerk' | 'approver' | 'supervisor', Session>;
let blacklisted: Session;
let talent: ItemGuide;
let permit: ItemGuide;
let mortgage: ItemGuide;
let soleTrader: ItemGuide;
let food: ItemGuide;

beforeAll(async () => {
  platform = await createTestPlatform();
  s = await loginAll(platform.app, ['person', 'enterprise', 'clerk', 'approver', 'supervisor']);
  blacklisted = await login(platform.app, DEMO_BLACKLISTED.idNumber);
  talent = await demoItem(platform, '人才引进（应届毕业生接收）');
  permit = await demoItem(platform, '居住证签注');
  mortgage = await demoItem(platform, '不动产抵押权注销登记');
  soleTrader = await demoItem(platform, '个体工商户设立登记');
  food = await demoItem(platform, '食品经营许可');
});
afterAll(async () => platform.close());

/** How many decision numbers the department has taken this year. */
async function decisionCounter(departmentId: string): Promise<number> {
  const row = await platform.database.db.selectFrom('decision_sequences').select('last').where('department_id', '=', departmentId).where('year', '=', Number(todayInShanghai(new Date()).slice(0, 4))).executeTakeFirst();
  return row?.last ?? 0;
}

async function apply(session: Session, guide: ItemGuide, form: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) {
  const body = await applicationFor(platform, session, guide);
  return as(platform.app, session, { method: 'POST', url: '/api/v1/cases', payload: { ...body, form: { ...body.form, ...form }, ...overrides } });
}

describe('instant approval (秒批)', () => {
  it('approves within the submission request: accepted and decided by the system, with the decision record', async () => {
    const res = await apply(s.person, talent, { degree: 'doctor', graduationDate: '2025-06-30' });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ status: 'approved', instantDecision: { outcome: 'approve', reasons: ['全日制硕士、博士应届毕业生，准予引进'] } });
    expect(created.instantDecision.decisionNumber).toEqual(expect.any(String));
    const detail = await caseDetail(platform, s.person, created.caseNumber);
    expect(detail.history.map((h) => `${h.action}:${h.status}:${h.actorKind}`)).toEqual(['submit:submitted:applicant', 'instant_decision:approved:system']);
    expect(detail.automaticDecision).toMatchObject({ ruleVersion: '1.1', outcome: 'approve', matchedRows: [3], inputs: { degree: 'doctor', graduated: '2025-06-30', age: 36 }, fallback: null });
    expect(detail.decision).toMatchObject({ outcome: 'approved' });
    expect(detail.acceptedAt).toBe(detail.decision!.decidedAt);
    expect(detail.notices.map((n) => n.kind)).toEqual(['decision']);
    const events = await platform.database.db.selectFrom('outbox_events').select('payload').where('aggregate_id', '=', created.caseNumber).orderBy('id').execute();
    expect(events.map((e) => (e.payload as { action: string }).action)).toEqual(['submit', 'instant_decision']);
  });

  it('denies by a deny row, with its reason shown to the applicant', async () => {
    const res = await apply(s.person, talent, { degree: 'master', graduationDate: '2023-06-30' });
    expect(res.json()).toMatchObject({ status: 'denied', instantDecision: { outcome: 'deny', reasons: ['毕业已超过两年，不属于应届毕业生接收范围'] } });
  });

  it('routes to the front desk when a row says so, with the reason, the case unchanged (submitted, version 1)', async () => {
    const res = await apply(s.person, talent, { degree: 'bachelor', graduationDate: '2025-06-30' });
    expect(res.json()).toMatchObject({ status: 'submitted', version: 1, instantDecision: { outcome: 'route', reasons: ['年龄超出秒批条件，转人工审核'] } });
    const detail = await caseDetail(platform, s.clerk, res.json().caseNumber);
    expect(detail.history.at(-1)).toMatchObject({ action: 'instant_routed', status: 'submitted', actorKind: 'system' });
    expect(detail.allowedActions).toContain('accept');
  });

  it('asks the e-license library whether the applicant holds the license a rule names, and routes when not', async () => {
    const res = await apply(s.person, permit);
    expect(res.json()).toMatchObject({ status: 'submitted', instantDecision: { outcome: 'route', reasons: ['电子证照库中未查到有效居住证，转人工核验'] } });
    const detail = await caseDetail(platform, s.clerk, res.json().caseNumber);
    expect(detail.automaticDecision).toMatchObject({ inputs: { permit: false } });
  });

  it('approves on a held license and issues the result as an e-license in the same request; routes when the result cannot be issued', async () => {
    const police = (await platform.services.org.listDepartments()).find((d) => d.name === '深圳市公安局')!;
    const person = await platform.services.identity.applicantIdentifier(s.person.user.id);
    await platform.services.licenses.issueFor(police.id, SYSTEM_ACTOR, { type: 'RESIDENCE_PERMIT', holder: { identifier: person!.identifier, name: '张三' }, validFrom: '2026-01-05' });
    const permits = async () => ((await as(platform.app, s.person, { method: 'GET', url: '/api/v1/licenses?mine=true' })).json() as { items: Array<{ typeCode?: string; type?: string; name: string }> }).items.filter((l) => l.name === '广东省居住证').length;
    expect(await permits()).toBe(1);

    const approved = await apply(s.person, permit, { basis: 'employment' });
    expect(approved.json(), approved.body).toMatchObject({ status: 'approved', instantDecision: { outcome: 'approve' } });
    expect(await permits()).toBe(2);

    // the police's seal withdrawn: the approval cannot issue its license, so it rolls back and the filed case goes to a person
    const active = await platform.database.db.selectFrom('license_seals').select('id').where('department_id', '=', police.id).where('status', '=', 'active').execute();
    await platform.database.db.updateTable('license_seals').set({ status: 'retired' }).where('id', 'in', active.map((a) => a.id)).execute();
    const countedBefore = await decisionCounter(police.id);
    try {
      const routed = await apply(s.person, permit, { basis: 'employment' });
      expect(routed.statusCode, routed.body).toBe(201);
      expect(routed.json()).toMatchObject({ status: 'submitted', version: 1, instantDecision: { outcome: 'route' } });
      expect(routed.json().instantDecision.reasons[0]).toMatch(/^办理结果无法自动签发/);
      const detail = await caseDetail(platform, s.clerk, routed.json().caseNumber);
      expect(detail.history.map((h) => h.action)).toEqual(['submit', 'instant_routed']);
      expect(detail.allowedActions).toContain('accept');
      expect(await permits()).toBe(2);
      // the approval refused before its statement: it took no decision number, so the department's series has no gap
      expect(await decisionCounter(police.id)).toBe(countedBefore);
    } finally {
      await platform.database.db.updateTable('license_seals').set({ status: 'active' }).where('id', 'in', active.map((a) => a.id)).execute();
    }
  });

  it('looks shared data up through the gateway for the case, and decides on it', async () => {
    const res = await apply(s.person, soleTrader, { organizationForm: 'individual', capital: 100, employees: 2 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'submitted', instantDecision: { outcome: 'route', reasons: ['经营场所不是商业用房，须人工核查'] } });
    const detail = await caseDetail(platform, s.person, res.json().caseNumber);
    expect(detail.automaticDecision).toMatchObject({ inputs: { premises: '住宅', employees: 2 } });
    const logged = await platform.database.db.selectFrom('sharing_access_log').select('purpose').where('case_ref', '=', res.json().caseNumber).execute();
    expect(logged.map((l) => l.purpose)).toContain('秒批规则核验：个体工商户设立登记');
  });

  it('does not look anything up when another input is missing', async () => {
    const res = await apply(s.person, soleTrader, { organizationForm: 'individual', capital: 100 });
    expect(res.json()).toMatchObject({ status: 'submitted', instantDecision: { outcome: 'route', reasons: ['缺少数据：从业人数'] } });
    const logged = await platform.database.db.selectFrom('sharing_access_log').select('purpose').where('case_ref', '=', res.json().caseNumber).execute();
    expect(logged.map((l) => l.purpose)).not.toContain('秒批规则核验：个体工商户设立登记');
  });

  it('routes with the reason when the look-up fails', async () => {
    const table = compileTable({ hitPolicy: 'FIRST', inputs: [{ id: 'usage', label: '房屋用途', source: 'shared', path: 'real_estate.usage' }], rows: [{ cells: ['-'], decision: 'approve', reason: 'x' }] });
    const rules = { id: 'r', ruleVersion: '1.1', table };
    const row = { form: {}, applicant_kind: 'natural', applicant_identifier: '440304199001011237', department_id: 'd', case_number: 'N', item_name: 'I' } as never;
    const failing = await gatherInputs({ sharedLookup: { lookup: async () => { throw new Error('timeout'); } } }, rules, row, new Date());
    expect(failing.fallback).toMatchObject({ code: 'lookup_failed' });
    const refused = await gatherInputs({ sharedLookup: { lookup: async () => ({ ok: false, code: 'grant_missing' }) } }, rules, row, new Date());
    expect(refused.fallback?.message).toContain('grant_missing');
    const none = await gatherInputs({}, rules, row, new Date());
    expect(none.fallback).toMatchObject({ code: 'lookup_failed' });
  });

  it('routes when the rules fail, and when an item version has no published rules', async () => {
    const { calendar, catalogQuery, org, identity, files } = platform.services;
    const broken = new CasesService(platform.database.db, { calendar, catalogQuery, org, identity, files }, { rules: { publishedFor: async () => { throw new Error('rule store down'); } } });
    const principal = { kind: 'applicant' as const, userId: s.person.user.id, applicantKind: 'natural' as const, name: '张三' };
    const body = await applicationFor(platform, s.person, talent);
    const created = await broken.submit(principal, null, { ...body, form: { ...body.form, degree: 'doctor', graduationDate: '2025-06-30' } });
    expect(created).toMatchObject({ status: 'submitted', instantDecision: { outcome: 'route' } });
    expect(created.instantDecision!.reasons[0]).toContain('自动审批出错');
    const none = new CasesService(platform.database.db, { calendar, catalogQuery, org, identity, files }, {});
    const unruled = await none.submit(principal, null, { ...body, form: { ...body.form, degree: 'doctor', graduationDate: '2025-06-30' } });
    expect(unruled).toMatchObject({ status: 'submitted', instantDecision: { outcome: 'route', reasons: ['该事项版本没有已发布的决策规则，转人工办理'] } });
  });

  it('does not decide automatically for a black-listed applicant, saying why', async () => {
    const res = await apply(blacklisted, talent, { degree: 'doctor', graduationDate: '2025-06-30' });
    expect(res.json()).toMatchObject({ status: 'submitted', instantDecision: { outcome: 'route' } });
    expect(res.json().instantDecision.reasons[0]).toContain('严重失信名单');
    const detail = await caseDetail(platform, blacklisted, res.json().caseNumber);
    expect((detail.history[0]!.detail as { creditCheck: { black: string[] } }).creditCheck.black).toHaveLength(1);
  });

  it('gives a red-listed applicant the green channel (priority) and records the check', async () => {
    const res = await apply(s.enterprise, mortgage, { applicantRole: 'mortgagee' });
    expect(res.json()).toMatchObject({ status: 'approved' });
    const row = await platform.database.db.selectFrom('cases').select('priority').where('case_number', '=', res.json().caseNumber).executeTakeFirstOrThrow();
    expect(row.priority).toBe(1);
    const plain = await apply(s.person, mortgage, { applicantRole: 'mortgagor' });
    const other = await platform.database.db.selectFrom('cases').select('priority').where('case_number', '=', plain.json().caseNumber).executeTakeFirstOrThrow();
    expect(other.priority).toBe(0);
  });

  it('decides concurrent submissions each once', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => apply(s.person, talent, { degree: 'doctor', graduationDate: '2025-06-30' })));
    expect(results.map((r) => r.json().status)).toEqual(Array(6).fill('approved'));
    const numbers = new Set(results.map((r) => r.json().instantDecision.decisionNumber));
    expect(numbers.size).toBe(6);
  });

  it('numbers decisions with at least five digits, never cutting a longer one', async () => {
    const db = platform.database.db;
    const department = (await platform.services.org.listDepartments()).find((d) => d.name === '深圳市公安局')!;
    const year = 2099;
    expect(await nextDecisionNumber(db, department.id, department.name, year)).toBe('深圳市公安局决字〔2099〕第00001号');
    await db.updateTable('decision_sequences').set({ last: 99_998 }).where('department_id', '=', department.id).where('year', '=', year).execute();
    expect(await nextDecisionNumber(db, department.id, department.name, year)).toBe('深圳市公安局决字〔2099〕第99999号');
    expect(await nextDecisionNumber(db, department.id, department.name, year)).toBe('深圳市公安局决字〔2099〕第100000号');
  });

  it('leaves a case someone acted on between its filing and its decision alone, and writes nothing of the decision', async () => {
    // a black-listed applicant's case is routed, so it stays submitted for the clerk to take
    const filedRes = await apply(blacklisted, permit, { basis: 'employment' });
    expect(filedRes.json(), filedRes.body).toMatchObject({ status: 'submitted', version: 1 });
    const caseNumber = filedRes.json().caseNumber as string;
    const db = platform.database.db;
    const filed = (await findCase(db, caseNumber))!;
    const police = (await platform.services.org.listDepartments()).find((d) => d.name === '深圳市公安局')!;
    await platform.services.licenses.issueFor(police.id, SYSTEM_ACTOR, { type: 'RESIDENCE_PERMIT', holder: { identifier: filed.applicant_identifier, name: filed.applicant_name }, validFrom: '2026-01-05' });
    await actAndExpect(platform, s.clerk, caseNumber, { action: 'accept', version: 1 });
    const written = async () => ({
      history: (await db.selectFrom('case_history').select('id').where('case_id', '=', filed.id).execute()).length,
      notices: (await db.selectFrom('case_notices').select('id').where('case_id', '=', filed.id).execute()).length,
      events: (await db.selectFrom('outbox_events').select('id').where('aggregate_id', '=', caseNumber).execute()).length,
      licenses: (await db.selectFrom('licenses').select('id').where('case_number', '=', caseNumber).execute()).length,
    });
    const before = await written();

    const now = new Date();
    const services = platform.services;
    const deps = { calendar: await services.calendar.pinned(), catalogQuery: services.catalogQuery, identity: services.identity, departmentScope: (id: string) => services.org.departmentScope(id), results: services.licenses };
    const rules = (await services.rules.publishedFor(permit.implementationCode, permit.version))!;
    const record = decisionRecord(rules, { permit: true, basis: 'employment' }, rules.table.evaluate({ permit: true, basis: 'employment' }), null, now);
    expect(record.outcome).toBe('approve');
    const comesWith = await approvalWrites(db, deps, filed, permit, now);
    expect(comesWith.length).toBeGreaterThan(0);
    const counted = await decisionCounter(police.id);
    // the row as filed (version 1): the clerk's acceptance made it version 2
    const decided = await decideInstantCase(db, deps, { row: filed, item: permit }, { record }, now, comesWith);
    expect(decided).toBeNull();
    expect(await written()).toEqual(before);
    // nor is a decision number taken
    expect(await decisionCounter(police.id)).toBe(counted);
    expect(await findCase(db, caseNumber)).toMatchObject({ status: 'accepted', version: 2, decision: null, decision_number: null });
  });
});

describe('walk-in filings (窗口收件) of instant items', () => {
  const paper = (guide: ItemGuide) => guide.materials.filter((m) => m.requirement === 'required').map((m) => ({ materialId: m.id, paper: true }));
  const fileAtWindow = async (clerk: Session, guide: ItemGuide, applicant: Record<string, unknown>, form: Record<string, unknown>) =>
    as(platform.app, clerk, { method: 'POST', url: '/api/v1/window/cases', payload: { itemCode: guide.implementationCode, applicant, form: { ...sampleForm(guide), ...form }, materials: paper(guide) } });
  let futianClerk: Session;
  let allowance: ItemGuide;
  beforeAll(async () => {
    futianClerk = await staffSession(platform, { username: 'futian_clerk_i', name: '福田窗口 秒', department: '福田区政务服务数据管理局', roles: ['window_clerk'] });
    allowance = await demoItem(platform, '高龄老人津贴申领');
  });

  it('decides a walk-in filing at once by the rules, with the credit check recorded', async () => {
    const res = await fileAtWindow(futianClerk, allowance, { kind: 'natural', name: '王老五', idNumber: demoIdNumber('440304', '19400101', '111'), phone: '13700001111' }, { payoutAccount: 'social_card' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'approved', instantDecision: { outcome: 'approve', reasons: ['年满八十周岁、户籍在福田区，津贴按月发放至本人社会保障卡'] } });
    const detail = await caseDetail(platform, futianClerk, res.json().caseNumber);
    expect(detail.history.map((h) => `${h.action}:${h.actorKind}`)).toEqual(['file:staff', 'instant_decision:system']);
    expect((detail.history[0]!.detail as { creditCheck: { black: string[]; red: string[] } }).creditCheck).toMatchObject({ black: [], red: [] });
    expect(detail.automaticDecision).toMatchObject({ outcome: 'approve', inputs: { age: 86, payout: 'social_card' } });
  });

  it('routes a black-listed walk-in applicant to a person, saying why', async () => {
    const res = await fileAtWindow(s.clerk, talent, { kind: 'natural', name: DEMO_BLACKLISTED.name, idNumber: DEMO_BLACKLISTED.idNumber, phone: DEMO_BLACKLISTED.phone }, { degree: 'doctor', graduationDate: '2025-06-30' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'submitted', version: 1, instantDecision: { outcome: 'route' } });
    expect(res.json().instantDecision.reasons[0]).toContain('严重失信名单');
    const detail = await caseDetail(platform, s.clerk, res.json().caseNumber);
    expect(detail.history.map((h) => h.action)).toEqual(['file', 'instant_routed']);
    expect((detail.history[0]!.detail as { creditCheck: { black: string[] } }).creditCheck.black).toHaveLength(1);
    expect(detail.allowedActions).toContain('accept');
  });

  it('gives a red-listed walk-in applicant the green channel', async () => {
    const enterprise = (await platform.services.identity.applicantIdentifier(s.enterprise.user.id))!;
    const res = await fileAtWindow(s.clerk, mortgage, { kind: 'legal', name: '深圳市示范科技有限公司', creditCode: enterprise.identifier, phone: '13700002222' }, { applicantRole: 'mortgagee' });
    expect(res.statusCode, res.body).toBe(201);
    const row = await platform.database.db.selectFrom('cases').select('priority').where('case_number', '=', res.json().caseNumber).executeTakeFirstOrThrow();
    expect(row.priority).toBe(1);
  });
});

describe('approval by commitment (告知承诺)', () => {
  let caseNumber: string;

  it('refuses a commitment for an item without one', async () => {
    const res = await apply(s.person, talent, {}, { commitment: { signed: true } });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('commitment_not_offered');
  });

  it('refuses a black-listed applicant with the reason (一处失信、处处受限)', async () => {
    const res = await apply(blacklisted, food, {}, { commitment: { signed: true } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'credit_restricted' });
    expect(res.json().detail).toContain('虚假承诺');
    const en = await as(platform.app, blacklisted, { method: 'POST', url: '/api/v1/cases', headers: { 'accept-language': 'en' }, payload: { ...(await applicationFor(platform, blacklisted, food)), commitment: { signed: true } } });
    expect(en.json().detail).toContain('blacklist');
  });

  it('asks an enterprise for its legal representative', async () => {
    const body = await applicationFor(platform, s.enterprise, food);
    const res = await as(platform.app, s.enterprise, { method: 'POST', url: '/api/v1/cases', payload: { ...body, commitment: { signed: true } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('commitment.legalRepresentative');
  });

  it('takes the signed statement in place of the named materials, rendered with time and hash', async () => {
    const body = await applicationFor(platform, s.person, food);
    const without = body.materials.filter((m) => m.materialId !== 'safety_rules');
    const refused = await as(platform.app, s.person, { method: 'POST', url: '/api/v1/cases', payload: { ...body, materials: without } });
    expect(refused.statusCode).toBe(400);
    const res = await as(platform.app, s.person, { method: 'POST', url: '/api/v1/cases', payload: { ...body, materials: without, commitment: { signed: true } } });
    expect(res.statusCode, res.body).toBe(201);
    caseNumber = res.json().caseNumber;
    const detail = await caseDetail(platform, s.person, caseNumber);
    const commitment = detail.commitment as { text: string; sha256: string; signedAt: string; replaces: string[] };
    expect(commitment.text).toContain('张三');
    expect(commitment.text).toContain('食品经营许可');
    expect(commitment.sha256).toBe(createHash('sha256').update(commitment.text).digest('hex'));
    expect(commitment.replaces).toEqual(['safety_rules']);
    expect(detail.materials.find((m) => m.materialId === 'safety_rules')).toMatchObject({ source: 'commitment' });
  });

  it('is approved without the materials; a verification task follows with a due date', async () => {
    await actAndExpect(platform, s.clerk, caseNumber, { action: 'accept' });
    let detail = await caseDetail(platform, s.approver, caseNumber);
    while (detail.status !== 'approved') {
      const last = detail.currentStep === detail.steps.length - 1;
      detail = await actAndExpect(platform, s.approver, caseNumber, last ? { action: 'approve' } : { action: 'complete_step' });
    }
    expect(detail.verification).toMatchObject({ status: 'open', finding: null });
    expect(detail.verification!.dueDate > detail.decision!.decidedAt.slice(0, 10)).toBe(true);
    const open = await as(platform.app, s.approver, { method: 'GET', url: '/api/v1/verifications' });
    expect(open.json().items.map((i: { caseNumber: string }) => i.caseNumber)).toContain(caseNumber);
  });

  it('refuses verification by someone outside the department or without the role', async () => {
    const other = await staffSession(platform, { username: 'police_approver_v', name: '公安 审批', department: '深圳市公安局', roles: ['approver'] });
    const res = await as(platform.app, other, { method: 'POST', url: `/api/v1/cases/${caseNumber}/commitment-verification`, payload: { outcome: 'false', finding: 'x' } });
    expect(res.statusCode).toBe(404);
    const clerk = await as(platform.app, s.clerk, { method: 'POST', url: `/api/v1/cases/${caseNumber}/commitment-verification`, payload: { outcome: 'false', finding: 'x' } });
    expect(clerk.statusCode).toBe(403);
  });

  it('an enterprise\'s false commitment black-lists the enterprise and its legal representative, and revokes its license', async () => {
    const body = await applicationFor(platform, s.enterprise, food);
    const representative = { name: '王五', idNumber: '11010519491231002X' };
    const filed = await as(platform.app, s.enterprise, { method: 'POST', url: '/api/v1/cases', payload: { ...body, materials: body.materials.filter((m) => m.materialId !== 'safety_rules'), commitment: { signed: true, legalRepresentative: representative } } });
    expect(filed.statusCode, filed.body).toBe(201);
    const number = filed.json().caseNumber as string;
    await actAndExpect(platform, s.clerk, number, { action: 'accept' });
    let detail = await caseDetail(platform, s.approver, number);
    while (detail.status !== 'approved') {
      const last = detail.currentStep === detail.steps.length - 1;
      detail = await actAndExpect(platform, s.approver, number, last ? { action: 'approve' } : { action: 'complete_step' });
    }
    // the license changed since (a new version under another case number): its current version is revoked
    const issued = ((await as(platform.app, s.enterprise, { method: 'GET', url: '/api/v1/licenses?mine=true' })).json().items as Array<{ licenseId: string; caseNumber: string | null }>).find((l) => l.caseNumber === number)!;
    const changed = await as(platform.app, await login(platform.app, 'deptadmin'), { method: 'POST', url: `/api/v1/admin/licenses/${encodeURIComponent(issued.licenseId)}/change`, payload: { reason: '经营场所变更', caseNumber: 'TB20261207000009', data: { premisesAddress: '深圳市南山区科技园' } } });
    expect(changed.statusCode, changed.body).toBe(200);
    const found = await as(platform.app, s.approver, { method: 'POST', url: `/api/v1/cases/${number}/commitment-verification`, payload: { outcome: 'false', finding: '未落实进货查验记录制度' } });
    expect(found.statusCode, found.body).toBe(200);
    const listed = async (identifier: string) => (await as(platform.app, s.supervisor, { method: 'GET', url: `/api/v1/admin/credit/entries?identifier=${identifier}&list=black&active=true` })).json().items as Array<{ subjectName: string; subjectKind: string; reason: string; legalBasis: string; source: string; sourceRef: string; validFrom: string; validUntil: string }>;
    const company = await listed((await platform.services.identity.applicantIdentifier(s.enterprise.user.id))!.identifier);
    expect(company.filter((e) => e.sourceRef === number)).toEqual([expect.objectContaining({ subjectKind: 'legal', source: 'false_commitment', legalBasis: expect.stringContaining('食品经营许可和备案管理办法'), reason: expect.stringContaining('未落实进货查验记录制度') })]);
    const person = (await listed(representative.idNumber)).filter((e) => e.sourceRef === number);
    expect(person).toEqual([expect.objectContaining({ subjectKind: 'natural', subjectName: '王五', source: 'false_commitment', validUntil: expect.any(String) })]);
    const current = await platform.app.inject({ method: 'GET', url: `/api/v1/licenses/verify/${encodeURIComponent(changed.json().licenseId)}` });
    expect(current.json()).toMatchObject({ revoked: true, reason: 'revoked' });
    expect((found.json().history.at(-1).detail as { licensesRevoked: string[] }).licensesRevoked).toEqual([changed.json().licenseId]);
  });

  it('a commitment found false revokes the decision and black-lists the applicant, who is then restricted and may appeal', async () => {
    const inspector = await login(platform.app, 'inspector');
    const res = await as(platform.app, inspector, { method: 'POST', url: `/api/v1/cases/${caseNumber}/commitment-verification`, payload: { outcome: 'false', finding: '现场核查未建立食品安全管理制度' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().verification).toMatchObject({ status: 'false' });
    expect(res.json().history.at(-1)).toMatchObject({ action: 'revoke_decision', comment: '现场核查未建立食品安全管理制度' });
    // the e-license the decision issued is revoked with it, and its public verification says so
    const wallet = (await as(platform.app, s.person, { method: 'GET', url: '/api/v1/licenses?mine=true' })).json().items as Array<{ licenseId: string; caseNumber: string | null; status: string; statusReason: string | null }>;
    const issued = wallet.filter((l) => l.caseNumber === caseNumber);
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ status: 'revoked' });
    expect(issued[0]!.statusReason).toContain('告知承诺不实');
    expect((res.json().history.at(-1).detail as { licensesRevoked: string[] }).licensesRevoked).toEqual([issued[0]!.licenseId]);
    const verified = await platform.app.inject({ method: 'GET', url: `/api/v1/licenses/verify/${encodeURIComponent(issued[0]!.licenseId)}` });
    expect(verified.json()).toMatchObject({ valid: false, revoked: true, reason: 'revoked' });
    const again = await as(platform.app, inspector, { method: 'POST', url: `/api/v1/cases/${caseNumber}/commitment-verification`, payload: { outcome: 'confirmed', finding: 'x' } });
    expect(again.statusCode).toBe(422);

    const mine = await as(platform.app, s.person, { method: 'GET', url: '/api/v1/me/credit' });
    const entry = mine.json().entries[0];
    expect(entry).toMatchObject({ list: 'black', source: 'false_commitment', sourceRef: caseNumber, active: true });
    expect(entry.legalBasis).toContain('证照分离');
    expect(entry.reason).toContain('现场核查未建立食品安全管理制度');
    // the item's period: 1095 days
    expect(Date.parse(entry.validUntil) - Date.parse(entry.validFrom)).toBe(1095 * 86_400_000);

    const restricted = await apply(s.person, food, {}, { commitment: { signed: true } });
    expect(restricted.json().code).toBe('credit_restricted');
    const instant = await apply(s.person, talent, { degree: 'doctor', graduationDate: '2025-06-30' });
    expect(instant.json()).toMatchObject({ status: 'submitted', instantDecision: { outcome: 'route' } });

    const appeal = await as(platform.app, s.person, { method: 'POST', url: '/api/v1/me/credit/appeals', payload: { entryId: entry.id, text: '已建立制度，请复核' } });
    expect(appeal.statusCode, appeal.body).toBe(201);
    const twice = await as(platform.app, s.person, { method: 'POST', url: '/api/v1/me/credit/appeals', payload: { entryId: entry.id, text: '再次申诉' } });
    expect(twice.statusCode).toBe(409);
    const notMine = await as(platform.app, blacklisted, { method: 'POST', url: '/api/v1/me/credit/appeals', payload: { entryId: entry.id, text: 'x' } });
    expect(notMine.statusCode).toBe(404);
    const decided = await as(platform.app, s.supervisor, { method: 'POST', url: `/api/v1/admin/credit/appeals/${appeal.json().id}/decision`, payload: { upheld: true, comment: '复核属实，信用修复' } });
    expect(decided.statusCode, decided.body).toBe(200);
    const after = await as(platform.app, s.person, { method: 'GET', url: '/api/v1/me/credit' });
    expect(after.json().entries[0]).toMatchObject({ active: false });
    expect(after.json().entries[0].removalReason).toContain('申诉成立');
    const allowed = await apply(s.person, talent, { degree: 'doctor', graduationDate: '2025-06-30' });
    expect(allowed.json().status).toBe('approved');
  });
});

describe('green channel (红名单)', () => {
  it('puts a red-listed applicant\'s case at the head of the approver\'s queue, ahead of earlier ones', async () => {
    const file = async (session: Session) => {
      const res = await as(platform.app, session, { method: 'POST', url: '/api/v1/cases', payload: await applicationFor(platform, session, food) });
      expect(res.statusCode, res.body).toBe(201);
      const number = res.json().caseNumber as string;
      await actAndExpect(platform, s.clerk, number, { action: 'accept' });
      return number;
    };
    const plain = await file(s.person);
    const green = await file(s.enterprise);
    const queue = (await as(platform.app, s.approver, { method: 'GET', url: '/api/v1/workbench/tasks?queue=team&limit=100' })).json() as { items: Array<{ caseNumber: string; priority: number }> };
    const numbers = queue.items.map((t) => t.caseNumber);
    expect(numbers[0]).toBe(green);
    expect(queue.items[0]!.priority).toBe(1);
    expect(numbers.indexOf(plain)).toBeGreaterThan(0);
    expect(queue.items.find((t) => t.caseNumber === plain)!.priority).toBe(0);
  });
});
