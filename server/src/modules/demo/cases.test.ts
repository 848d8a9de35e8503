/**
 * The demo cases (cases.ts) as a newcomer meets them after `npm start`: the clerk's front desk and
 * the approver's queues have work, 张三 and the enterprise follow cases in every stage, and seeding
 * again adds nothing.
 */
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, login, type Session, type TestPlatform } from '../../../test/harness.js';
import { todayInShanghai } from '../../platform/time.js';
import type { CaseDetail, CaseSummary, Draft } from '../cases/schemas.js';
import type { TaskQueueItem } from '../cases/queue.js';
import { CalendarErrors } from '../calendar/errors.js';
import { deficiencyDue, demoPdf, seedDemoCases } from './cases.js';
import { DEMO_ENTERPRISE, DEMO_PERSON, seedDemo } from './seed.js';

let platform: TestPlatform;
let person: Session;
let enterprise: Session;
let clerk: Session;
let approver: Session;

beforeAll(async () => {
  platform = await createTestPlatform();
  [person, enterprise, clerk, approver] = await Promise.all([
    login(platform.app, DEMO_PERSON.idNumber),
    login(platform.app, DEMO_ENTERPRISE.creditCode),
    login(platform.app, 'clerk'),
    login(platform.app, 'approver'),
  ]);
});
afterAll(() => platform.close());

async function get<T>(session: Session, url: string): Promise<T> {
  const res = await as(platform.app, session, { method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as T;
}

const mine = (session: Session) => get<{ items: CaseSummary[] }>(session, '/api/v1/cases?mine=true&limit=100').then((r) => r.items);
const byItem = (items: CaseSummary[], itemName: string, status: string) => items.find((c) => c.itemName === itemName && c.status === status)!;

describe('the front desk', () => {
  it('has 张三\'s online application and a walk-in waiting for acceptance, names masked', async () => {
    const queue = await get<{ items: CaseSummary[] }>(clerk, '/api/v1/front-desk/queue');
    expect(queue.items.map((c) => [c.itemName, c.applicantName, c.channel])).toEqual([
      ['无犯罪记录证明开具', '张*', 'online'],
      ['高龄老人津贴申领', '王*英', 'window'],
    ]);
  });

  it('has the correction it asked for, waiting for 张三', async () => {
    const queue = await get<{ items: CaseSummary[] }>(clerk, '/api/v1/front-desk/queue?status=correction_requested');
    expect(queue.items.map((c) => c.itemName)).toEqual(['社会保障卡申领']);
  });

  it('filed the walk-in for nobody\'s account: no applicant sees it among their own', async () => {
    expect((await mine(person)).some((c) => c.itemName === '高龄老人津贴申领')).toBe(false);
    expect((await mine(enterprise)).some((c) => c.itemName === '高龄老人津贴申领')).toBe(false);
  });
});

describe('the approver\'s workbench', () => {
  it('has unclaimed first steps in the team queue', async () => {
    const team = await get<{ items: TaskQueueItem[] }>(approver, '/api/v1/workbench/tasks?queue=team');
    expect(team.items.map((t) => [t.itemName, t.stepName, t.status, t.assignee]).sort()).toEqual([
      ['专利侵权纠纷行政裁决', '送达答辩', 'accepted', null],
      ['食品经营许可', '材料审查', 'accepted_with_deficiency', null],
    ].sort());
  });

  it('has the approver\'s own tasks: one in review, one suspended for an expert review', async () => {
    const own = await get<{ items: TaskQueueItem[] }>(approver, '/api/v1/workbench/tasks?queue=mine');
    expect(own.items.map((t) => [t.itemName, t.status, t.assignee?.name]).sort()).toEqual([
      ['企业变更登记', 'in_review', '审批 李明'],
      ['特种设备使用登记', 'suspended', '审批 李明'],
    ]);
    const suspended = await get<CaseDetail>(approver, `/api/v1/cases/${own.items.find((t) => t.status === 'suspended')!.caseNumber}`);
    expect(suspended.suspension).toMatchObject({ procedure: 'expert_review' });
  });
});

describe('张三', () => {
  it('follows a case in every stage', async () => {
    const items = await mine(person);
    expect(items.map((c) => c.status).sort()).toEqual(['accepted', 'approved', 'correction_requested', 'delivered', 'submitted']);
    expect(items[0]).toMatchObject({ itemName: '无犯罪记录证明开具', status: 'submitted' });
  });

  it('sees the pickup code of the approved licence; the approver does not', async () => {
    const approved = byItem(await mine(person), '食品经营许可', 'approved');
    const own = await get<CaseDetail>(person, `/api/v1/cases/${approved.caseNumber}`);
    expect(own.pickupCode).toMatch(/^[0-9]{6}$/);
    expect(own.decision).toMatchObject({ outcome: 'approved' });
    expect(own.allowedActions).toEqual([]);
    const staff = await get<CaseDetail>(approver, `/api/v1/cases/${approved.caseNumber}`);
    expect(staff.pickupCode).toBeNull();
    expect((await get<CaseDetail>(clerk, `/api/v1/cases/${approved.caseNumber}`)).allowedActions).toContain('deliver');
  });

  it('has a one-time correction notice naming a material and a field, and may resubmit', async () => {
    const correction = byItem(await mine(person), '社会保障卡申领', 'correction_requested');
    const detail = await get<CaseDetail>(person, `/api/v1/cases/${correction.caseNumber}`);
    const notice = detail.notices.find((n) => n.kind === 'correction')!;
    expect((notice.content as { items: Array<{ materialId?: string; field?: string }> }).items).toEqual([
      expect.objectContaining({ materialId: 'photo' }),
      expect.objectContaining({ field: 'applicantPhone' }),
    ]);
    expect(detail.allowedActions).toContain('resubmit');
  });

  it('got the delivered business licence by express, with his uploaded material readable', async () => {
    const delivered = byItem(await mine(person), '个体工商户设立登记', 'delivered');
    const detail = await get<CaseDetail>(person, `/api/v1/cases/${delivered.caseNumber}`);
    expect(detail.delivery).toMatchObject({ delivered: { method: 'express', carrier: 'EMS' } });
    const upload = detail.materials.find((m) => m.fileId)!;
    const file = await as(platform.app, person, { method: 'GET', url: `/api/v1/files/${upload.fileId}` });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('application/pdf');
  });

  it('has a draft saved', async () => {
    const drafts = await get<{ items: Draft[] }>(person, '/api/v1/me/drafts');
    expect(drafts.items).toHaveLength(1);
    expect(drafts.items[0]!.form).toMatchObject({ applicantName: '张三' });
  });

  it('does not see the enterprise\'s cases, nor the enterprise his', async () => {
    const theirs = (await mine(enterprise))[0]!;
    expect((await as(platform.app, person, { method: 'GET', url: `/api/v1/cases/${theirs.caseNumber}` })).statusCode).toBe(404);
    const his = (await mine(person))[0]!;
    expect((await as(platform.app, enterprise, { method: 'GET', url: `/api/v1/cases/${his.caseNumber}` })).statusCode).toBe(404);
  });
});

describe('the enterprise', () => {
  it('has cases in the back office: one owing a material due in 5 working days', async () => {
    const items = await mine(enterprise);
    expect(items.map((c) => c.status).sort()).toEqual(['accepted_with_deficiency', 'in_review', 'suspended']);
    const deficient = await get<CaseDetail>(enterprise, `/api/v1/cases/${byItem(items, '食品经营许可', 'accepted_with_deficiency').caseNumber}`);
    const due = await platform.services.calendar.deadline(todayInShanghai(new Date()), 5);
    expect(deficient.materials.filter((m) => m.owed)).toEqual([expect.objectContaining({ materialId: 'central_kitchen', owedDue: due })]);
    expect(deficient.allowedActions).toContain('supply');
  });
});

describe('seeding again', () => {
  it('adds nothing, through the demo seed or directly', async () => {
    const db = platform.database.db;
    const count = async () => ({
      cases: (await db.selectFrom('cases').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
      drafts: (await db.selectFrom('case_drafts').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
      files: (await db.selectFrom('files').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    });
    const before = await count();
    expect(Number(before.cases)).toBe(9);
    expect(await seedDemo(db, platform.services)).toBe(false);
    expect(await seedDemoCases(platform.services)).toBe(false);
    expect(await count()).toEqual(before);
  });

  it('does nothing without the demo accounts', async () => {
    const bare = await createTestPlatform({ demo: false });
    try {
      expect(await seedDemoCases(bare.services)).toBe(false);
      expect(await bare.database.db.selectFrom('cases').select('id').execute()).toEqual([]);
    } finally {
      await bare.close();
    }
  });
});

describe('deficiencyDue', () => {
  it('is 5 working days on, or a week on while the calendar lacks the year it falls in', async () => {
    expect(await deficiencyDue(platform.services.calendar, '2026-09-30')).toBe('2026-10-13');
    const unpublished = { deadline: () => Promise.reject(CalendarErrors.calendar_not_published({ year: 2027 })) };
    expect(await deficiencyDue(unpublished, '2026-12-28')).toBe('2027-01-04');
    const broken = { deadline: () => Promise.reject(new Error('connection lost')) };
    await expect(deficiencyDue(broken, '2026-12-28')).rejects.toThrow('connection lost');
  });
});

describe('demoPdf', () => {
  it('is a PDF a reader opens: one A4 page', async () => {
    const pdf = await PDFDocument.load(demoPdf(['Tongban demo material', 'Parentheses (and a \\ backslash)']));
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getPage(0).getSize()).toEqual({ width: 595, height: 842 });
  });
});
