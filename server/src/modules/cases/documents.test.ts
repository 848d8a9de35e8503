/**
 * Notice PDFs (GET /cases/{caseNumber}/notices/{noticeId}/pdf): every notice kind renders, for the
 * case's audience only; and what each kind says (noticeDocument).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { as, createTestPlatform, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { actAndExpect, demoItem, ITEMS, staffSession, submitCase } from '../../../test/case-fixtures.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { ActionBody } from './actions.js';
import { COMPOSITE_RESULT_TITLE, noticeDocument, type NoticeCase } from './documents.js';
import type { CaseDetail } from './schemas.js';

let platform: TestPlatform;
let person: Session;
let enterprise: Session;
let clerk: Session;
let approver: Session;
let policeApprover: Session;
let food: ItemGuide;

beforeAll(async () => {
  platform = await createTestPlatform();
  ({ person, enterprise, clerk, approver } = await loginAll(platform.app, ['person', 'enterprise', 'clerk', 'approver']));
  policeApprover = await staffSession(platform, { username: 'police_approver_pdf', name: '公安审批 吕', department: '深圳市公安局', roles: ['approver'] });
  food = await demoItem(platform, ITEMS.food);
});
afterAll(() => platform.close());

const act = (session: Session, caseNumber: string, body: Omit<ActionBody, 'version'>) => actAndExpect(platform, session, caseNumber, body);

const pdfUrl = (caseNumber: string, noticeId: string) => `/api/v1/cases/${caseNumber}/notices/${noticeId}/pdf`;

describe('GET /api/v1/cases/{caseNumber}/notices/{noticeId}/pdf', () => {
  it('renders every kind of notice as a PDF titled for its kind', async () => {
    const notices: Array<{ caseNumber: string; id: string; title: string; number?: string }> = [];
    const noticeOf = (detail: CaseDetail, kind: string) => detail.notices.filter((n) => n.kind === kind).at(-1)!;

    const corrected = (await submitCase(platform, person, food)).caseNumber;
    let detail = await act(clerk, corrected, { action: 'request_correction', items: [{ materialId: 'safety_rules', reason: '制度文本缺少从业人员健康管理内容' }] });
    notices.push({ caseNumber: corrected, id: noticeOf(detail, 'correction').id, title: '补正材料通知书（一次性告知）' });

    const refused = (await submitCase(platform, person, food)).caseNumber;
    detail = await act(clerk, refused, { action: 'not_accept', reason: '申请事项不属于本机关职权范围', legalBasis: '《中华人民共和国行政许可法》第三十二条第一款第（二）项' });
    notices.push({ caseNumber: refused, id: noticeOf(detail, 'not_accepted').id, title: '不予受理通知书' });

    const owed = (await submitCase(platform, person, food)).caseNumber;
    detail = await act(clerk, owed, { action: 'accept_with_deficiency', owed: [{ materialId: 'central_kitchen', dueDate: '2099-01-01' }] });
    notices.push({ caseNumber: owed, id: noticeOf(detail, 'deficiency').id, title: '容缺受理通知书' });
    notices.push({ caseNumber: owed, id: noticeOf(detail, 'acceptance').id, title: '受理通知书' });

    for (const outcome of ['approve', 'deny'] as const) {
      const caseNumber = (await submitCase(platform, person, food)).caseNumber;
      detail = await act(clerk, caseNumber, { action: 'accept' });
      while (detail.currentStep! < detail.steps.length - 1) detail = await act(approver, caseNumber, { action: 'complete_step' });
      detail = await act(approver, caseNumber, outcome === 'approve' ? { action: 'approve' } : { action: 'deny', reason: '现场核查不符合要求' });
      const decision = noticeOf(detail, 'decision');
      notices.push({ caseNumber, id: decision.id, title: outcome === 'approve' ? '准予行政许可决定书' : '不予行政许可决定书', number: decision.number! });
    }

    for (const notice of notices) {
      const res = await as(platform.app, person, { method: 'GET', url: pdfUrl(notice.caseNumber, notice.id) });
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toMatch(/^inline; filename=".*\.pdf"; filename\*=UTF-8''/);
      expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const pdf = await PDFDocument.load(res.rawPayload, { updateMetadata: false });
      expect(pdf.getTitle()).toBe(notice.title);
      expect(pdf.getAuthor()).toBe('深圳市市场监督管理局');
      if (notice.number) expect(pdf.getSubject()).toBe(notice.number);
      expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
    }
  });

  it('has the audience of the case: others get 404, whether or not the notice exists', async () => {
    const caseNumber = (await submitCase(platform, person, food)).caseNumber;
    const detail = await act(clerk, caseNumber, { action: 'accept' });
    const noticeId = detail.notices[0]!.id;
    for (const [session, status] of [[person, 200], [clerk, 200], [approver, 200], [policeApprover, 404], [enterprise, 404]] as const) {
      const res = await as(platform.app, session, { method: 'GET', url: pdfUrl(caseNumber, noticeId) });
      expect(res.statusCode, session.user.name).toBe(status);
      if (status === 404) expect((res.json() as { code: string }).code).toBe('case_not_found');
    }
    // a notice of another case, an unknown one, a malformed id, nobody signed in
    const other = (await submitCase(platform, person, food)).caseNumber;
    const otherNotice = (await act(clerk, other, { action: 'accept' })).notices[0]!.id;
    let res = await as(platform.app, person, { method: 'GET', url: pdfUrl(caseNumber, otherNotice) });
    expect([res.statusCode, (res.json() as { code: string }).code]).toEqual([404, 'notice_not_found']);
    res = await as(platform.app, person, { method: 'GET', url: pdfUrl(caseNumber, '00000000-0000-4000-8000-000000000000') });
    expect(res.statusCode).toBe(404);
    expect((await as(platform.app, person, { method: 'GET', url: pdfUrl(caseNumber, 'nope') })).statusCode).toBe(400);
    expect((await platform.app.inject({ method: 'GET', url: pdfUrl(caseNumber, noticeId) })).statusCode).toBe(401);
  });

  it('is for staff who may read cases: another role is refused (403), a window of another region does not see it (404)', async () => {
    const caseNumber = (await submitCase(platform, person, food)).caseNumber;
    const noticeId = (await act(clerk, caseNumber, { action: 'accept' })).notices[0]!.id;
    const cataloguer = await staffSession(platform, { username: 'market_catalog_pdf', name: '事项 管理', department: '深圳市市场监督管理局', roles: ['catalog_admin'] });
    let res = await as(platform.app, cataloguer, { method: 'GET', url: pdfUrl(caseNumber, noticeId) });
    expect([res.statusCode, (res.json() as { code: string }).code]).toEqual([403, 'forbidden']);
    const districtClerk = await staffSession(platform, { username: 'futian_clerk_pdf', name: '福田窗口 郑', department: '福田区政务服务数据管理局', roles: ['window_clerk'] });
    res = await as(platform.app, districtClerk, { method: 'GET', url: pdfUrl(caseNumber, noticeId) });
    expect([res.statusCode, (res.json() as { code: string }).code]).toEqual([404, 'case_not_found']);
  });

  it('records staff opening a notice in the audit log, as opening the case is; the applicant\'s own reading is not', async () => {
    const caseNumber = (await submitCase(platform, person, food)).caseNumber;
    const noticeId = (await act(clerk, caseNumber, { action: 'accept' })).notices[0]!.id;
    for (const session of [approver, person]) expect((await as(platform.app, session, { method: 'GET', url: pdfUrl(caseNumber, noticeId) })).statusCode).toBe(200);
    const reads = await platform.database.db.selectFrom('audit_log').select(['actor_id', 'detail']).where('action', '=', 'cases.notice.read').where('target_id', '=', caseNumber).execute();
    expect(reads).toEqual([{ actor_id: approver.user.id, detail: { noticeId, kind: 'acceptance' } }]);
  });

  it('takes the case number as the case itself does: in either letter case, and a malformed one is 400', async () => {
    const caseNumber = (await submitCase(platform, person, food)).caseNumber;
    const noticeId = (await act(clerk, caseNumber, { action: 'accept' })).notices[0]!.id;
    const lower = await as(platform.app, person, { method: 'GET', url: pdfUrl(caseNumber.toLowerCase(), noticeId) });
    expect(lower.statusCode, lower.body.slice(0, 200)).toBe(200);
    expect(lower.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await as(platform.app, person, { method: 'GET', url: `/api/v1/cases/${caseNumber.toLowerCase()}` })).statusCode).toBe(200);
    const malformed = await as(platform.app, person, { method: 'GET', url: pdfUrl('bad-number!', noticeId) });
    expect(malformed.statusCode).toBe(400);
  });
});

describe('noticeDocument', () => {
  const kase: NoticeCase = {
    row: { case_number: 'CASE0001', item_name: '食品经营许可', applicant_name: '张三', applicant_kind: 'natural', submitted_at: new Date('2026-05-06T02:00:00Z') },
    departmentName: '深圳市市场监督管理局',
    departmentNames: new Map([['d1', '深圳市公安局']]),
  };
  const at = new Date('2026-05-07T02:00:00Z');

  it('acceptance states the deadline, or same-day completion for an immediate item', () => {
    const doc = noticeDocument({ kind: 'acceptance', number: null, created_at: at, content: { promisedDays: 5, deadline: '2026-05-14', caseKind: '2' } }, kase);
    expect(doc).toMatchObject({ title: '受理通知书', addressee: '张三：', issuer: '深圳市市场监督管理局', date: '2026-05-07', seal: { label: '受理专用章' } });
    expect(doc.paragraphs.join('')).toContain('2026年5月6日提交的“食品经营许可”申请');
    expect(doc.paragraphs.join('')).toContain('5个工作日');
    expect(doc.paragraphs.join('')).toContain('2026年5月14日前办结');
    const immediate = noticeDocument({ kind: 'acceptance', number: null, created_at: at, content: { promisedDays: 0, deadline: '2026-05-07', caseKind: '1' } }, kase);
    expect(immediate.paragraphs.join('')).toContain('即办件');
  });

  it('correction and deficiency notices list what is asked for in a table', () => {
    const correction = noticeDocument({ kind: 'correction', number: null, created_at: at, content: { items: [{ materialId: 'm1', materialName: '营业执照', reason: '已过期。' }, { field: 'phone', fieldLabel: '联系电话', reason: '号码有误' }] } }, kase);
    expect(correction.table).toEqual({ columns: ['序号', '材料或填报事项', '补正要求'], rows: [['1', '营业执照', '已过期。'], ['2', '联系电话', '号码有误']] });
    const deficiency = noticeDocument({ kind: 'deficiency', number: null, created_at: at, content: { owed: [{ materialId: 'm1', name: '配送合同', dueDate: '2026-06-01' }] } }, kase);
    expect(deficiency.table!.rows).toEqual([['1', '配送合同', '2026年6月1日']]);
  });

  it('refusals and denials give the reason once, the legal basis and the appeal notice', () => {
    const refused = noticeDocument({ kind: 'not_accepted', number: null, created_at: at, content: { reason: '不属于本机关职权范围。', legalBasis: '《行政许可法》第三十二条' } }, kase);
    expect(refused.paragraphs[0]).toContain('经审查，不属于本机关职权范围。');
    expect(refused.paragraphs[0]).not.toContain('。。');
    expect(refused.paragraphs.join('')).toContain('根据《行政许可法》第三十二条的规定');
    expect(refused.paragraphs.join('')).toContain('六十日内依法申请行政复议');
    const denied = noticeDocument(
      { kind: 'decision', number: '深圳市市场监督管理局决字〔2026〕第00001号', created_at: at, content: { title: '不予行政许可决定书', outcome: 'denied', reasons: '场所不符', legalBasis: ['《食品安全法》第三十五条'] } },
      kase,
    );
    expect(denied).toMatchObject({ title: '不予行政许可决定书', number: '深圳市市场监督管理局决字〔2026〕第00001号', seal: { label: '行政审批专用章' } });
    expect(denied.paragraphs.join('')).toContain('场所不符');
    expect(denied.paragraphs.join('')).toContain('六个月内');
  });

  it('a parallel approval\'s result lists each sub-case with its department and decision number', () => {
    const doc = noticeDocument(
      {
        kind: 'decision',
        number: null,
        created_at: at,
        content: {
          title: COMPOSITE_RESULT_TITLE,
          outcome: 'approved',
          subCases: [
            { caseNumber: 'S1', itemName: '公章刻制备案', departmentId: 'd1', required: true, decision: 'approved', decisionNumber: 'N1', status: 'approved' },
            { caseNumber: 'S2', itemName: '企业银行开户预约', departmentId: 'd9', required: false, decision: null, decisionNumber: null, status: 'in_review' },
          ],
        },
      },
      kase,
    );
    expect(doc.title).toBe(COMPOSITE_RESULT_TITLE);
    expect(doc.table!.rows).toEqual([
      ['S1', '公章刻制备案', '深圳市公安局', '准予', 'N1'],
      ['S2', '企业银行开户预约（选办）', '', '审查中', ''],
    ]);
  });
});
