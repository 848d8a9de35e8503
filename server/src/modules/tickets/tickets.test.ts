import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, errorFields, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { ITEMS, demoItem, staffSession } from '../../../test/case-fixtures.js';
import { addDays, todayInShanghai } from '../../platform/time.js';
import { DEMO_PERSON } from '../demo/seed.js';
import { parseCsv } from './csv.js';

let platform: TestPlatform;
let person: Session;
let enterprise: Session;
let clerk: Session;
let approver: Session;
let deptAdmin: Session;
let supervisor: Session;
let admin: Session;
let foodCode: string;
let marketId: string;

beforeAll(async () => {
  platform = await createTestPlatform();
  ({ person, enterprise, clerk, approver, deptAdmin, supervisor, admin } = await loginAll(platform.app, ['person', 'enterprise', 'clerk', 'approver', 'deptAdmin', 'supervisor', 'admin']));
  const food = await demoItem(platform, ITEMS.food);
  foodCode = food.implementationCode;
  marketId = food.departmentId;
});
afterAll(() => platform.close());

type Detail = { number: string; status: string; version: number; deadline: string; departmentId: string; actions: string[]; contactPhone: string | null; history: Array<{ action: string }> };
const open = (session: Session, payload: object) => as(platform.app, session, { method: 'POST', url: '/api/v1/tickets', payload });
const act = (session: Session, number: string, payload: object) => as(platform.app, session, { method: 'POST', url: `/api/v1/tickets/${number}/actions`, payload });

describe('opening a ticket', () => {
  it('routes a consultation about an item to its department with a one-working-day deadline, and a complaint to five', async () => {
    const res = await open(person, { kind: 'consultation', title: '食品经营许可需要哪些材料', body: '小吃店办理食品经营许可，需要准备哪些材料？', itemCode: foodCode });
    expect(res.statusCode, res.body).toBe(201);
    const t = res.json() as Detail;
    expect(t).toMatchObject({ status: 'open', departmentId: marketId, source: 'portal', itemName: ITEMS.food });
    expect(t.number).toMatch(/^ZX\d{14}$/);
    const today = todayInShanghai();
    expect(t.deadline).toBe(await platform.services.calendar.deadline(today, 1));
    const complaint = (await open(person, { kind: 'complaint', title: '窗口态度', body: '窗口人员态度生硬。', departmentId: marketId })).json() as Detail;
    expect(complaint.deadline).toBe(await platform.services.calendar.deadline(today, 5));
  });

  it('refuses a complaint about nothing, blank text, an unknown item or department, and someone else\'s case', async () => {
    const nothing = await open(person, { kind: 'complaint', title: '投诉', body: '我要投诉' });
    expect(nothing.statusCode).toBe(400);
    expect(errorFields(nothing)).toEqual(['itemCode:ticket_subject_required']);
    expect(errorFields(await open(person, { kind: 'complaint', title: ' ', body: '  ', departmentId: marketId }))).toEqual(['body:ticket_text_blank', 'title:ticket_text_blank']);
    expect(errorFields(await open(person, { kind: 'consultation', title: '问', body: '问', itemCode: 'NOSUCHITEM' }))).toEqual(['itemCode:ticket_item_unknown']);
    expect(errorFields(await open(person, { kind: 'consultation', title: '问', body: '问', departmentId: '3f1c9a52-8d4e-4b7a-9c1d-2e5f6a7b8c9d' }))).toEqual(['departmentId:ticket_department_unknown']);
    const mine = (await as(platform.app, person, { method: 'GET', url: '/api/v1/cases?mine=true' })).json() as { items: Array<{ caseNumber: string }> };
    expect(errorFields(await open(enterprise, { kind: 'complaint', title: '别人的办件', body: '别人的办件', caseNumber: mine.items[0]!.caseNumber }))).toEqual(['caseNumber:ticket_case_unknown']);
    const long = await open(person, { kind: 'complaint', title: '长', body: '长'.repeat(2001), departmentId: marketId });
    expect(long.statusCode).toBe(400);
    expect(errorFields(long)[0]).toMatch(/^body:/);
    expect(await platform.database.db.selectFrom('tickets').select('id').where('title', 'in', ['投诉', '别人的办件']).execute()).toEqual([]);
  });

  it('lets a window clerk file a visitor\'s complaint at the hall, and not an approver', async () => {
    const res = await open(clerk, { kind: 'complaint', title: '排队太久', body: '取号后等候超过一小时。', departmentId: marketId, contactName: '王秀英', contactPhone: '13900139000' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ source: 'hall', contactName: '王秀英' });
    expect((await open(approver, { kind: 'complaint', title: 'x', body: 'x', departmentId: marketId })).statusCode).toBe(403);
  });
});

describe('handling a ticket', () => {
  it('is answered, rated by the applicant, closed and published as the item\'s FAQ, with history, audit and notices', async () => {
    const t = (await open(person, { kind: 'consultation', title: '小吃店能否网上办理', body: '食品经营许可可以全程网上办理吗？', itemCode: foodCode, contactPhone: DEMO_PERSON.phone })).json() as Detail;
    const queue = (await as(platform.app, approver, { method: 'GET', url: '/api/v1/tickets?status=open' })).json() as { items: Array<{ number: string; contactPhone: string | null }> };
    const listed = queue.items.find((i) => i.number === t.number)!;
    expect(listed.contactPhone).toBe('138****8000');
    // another department's staff and other applicants see nothing
    expect((await as(platform.app, clerk, { method: 'GET', url: `/api/v1/tickets/${t.number}` })).statusCode).toBe(404);
    expect((await as(platform.app, enterprise, { method: 'GET', url: `/api/v1/tickets/${t.number}` })).statusCode).toBe(404);
    expect((await act(clerk, t.number, { action: 'reply', version: 1, reply: '越权答复' })).statusCode).toBe(404);

    const detail = (await as(platform.app, approver, { method: 'GET', url: `/api/v1/tickets/${t.number}` })).json() as Detail;
    expect(detail.contactPhone).toBe(DEMO_PERSON.phone);
    expect(detail.actions).toEqual(['reply', 'transfer', 'escalate']);
    // rating before the reply: not completed
    expect((await as(platform.app, person, { method: 'POST', url: `/api/v1/tickets/${t.number}/evaluations`, payload: { level: 5, channel: 'pc' } })).json()).toMatchObject({ code: 'evaluation_not_completed' });
    expect((await act(person, t.number, { action: 'reply', version: 1, reply: '自问自答' })).statusCode).toBe(403);
    expect((await act(approver, t.number, { action: 'reply', version: 7, reply: '答复' })).statusCode).toBe(409);
    expect(errorFields(await act(approver, t.number, { action: 'reply', version: 1, reply: '   ' }))).toEqual(['reply:ticket_text_blank']);

    const answered = (await act(approver, t.number, { action: 'reply', version: 1, reply: '可以。登录通办网上申请，上传材料后经审核即可，无需到现场。' })).json() as Detail;
    expect(answered).toMatchObject({ status: 'answered', repliedByName: '审批 李明' });
    const rated = await as(platform.app, person, { method: 'POST', url: `/api/v1/tickets/${t.number}/evaluations`, payload: { level: 5, channel: 'mobile', text: '答复及时' } });
    expect(rated.statusCode, rated.body).toBe(201);
    expect(rated.json()).toMatchObject({ subjectKind: 'ticket', ticketNumber: t.number, staffName: '审批 李明', departmentId: marketId });
    expect((await as(platform.app, enterprise, { method: 'POST', url: `/api/v1/tickets/${t.number}/evaluations`, payload: { level: 1, channel: 'pc', text: '恶意' } })).statusCode).toBe(404);

    const published = (await act(approver, t.number, { action: 'publish_faq', version: 2, question: '食品经营许可可以全程网上办理吗？' })).json() as Detail;
    expect(published.actions).toContain('unpublish_faq');
    const faq = (await platform.app.inject({ method: 'GET', url: `/api/v1/items/${foodCode}/faq` })).json() as { items: Array<{ question: string; answer: string }> };
    expect(faq.items).toEqual([expect.objectContaining({ question: '食品经营许可可以全程网上办理吗？', answer: expect.stringContaining('无需到现场') })]);
    expect(JSON.stringify(faq)).not.toContain(DEMO_PERSON.phone);

    const closed = (await act(person, t.number, { action: 'close', version: 3 })).json() as Detail;
    expect(closed.status).toBe('closed');
    expect(closed.history.map((h) => h.action)).toEqual(['open', 'reply', 'publish_faq', 'close']);
    const audit = await platform.database.db.selectFrom('audit_log').select('action').where('target_id', '=', t.number).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['tickets.ticket.opened', 'tickets.ticket.read', 'tickets.ticket.replied', 'evaluation.rating.recorded', 'tickets.ticket.faq_published', 'tickets.ticket.closed']);
    await platform.services.events.dispatchPending(500);
    const messages = await platform.database.db.selectFrom('messages').select(['user_id', 'title']).where('body', 'like', `%${t.number}%`).execute();
    expect(messages).toEqual(expect.arrayContaining([{ user_id: approver.user.id, title: '新的咨询投诉工单' }, { user_id: person.user.id, title: '您的咨询投诉已答复' }]));
  });

  it('refuses an FAQ from a complaint, transfers to another department, and escalates overdue tickets once', async () => {
    const t = (await open(person, { kind: 'complaint', title: '审批超时', body: '已超过承诺时限仍未办结。', departmentId: marketId })).json() as Detail;
    expect(t.deadline).toBe(await platform.services.calendar.deadline(todayInShanghai(), 5));
    // a transfer by someone outside the department, to an unknown department, or as an unknown kind: refused, nothing changes
    expect((await act(clerk, t.number, { action: 'transfer', version: 1, departmentId: clerk.user.departmentId, comment: '抢办' })).statusCode).toBe(404);
    expect(errorFields(await act(deptAdmin, t.number, { action: 'transfer', version: 1, departmentId: marketId, comment: '转给自己' }))).toEqual(['departmentId:ticket_department_unknown']);
    expect(errorFields(await act(deptAdmin, t.number, { action: 'transfer', version: 1, departmentId: clerk.user.departmentId, kind: 'rumour', comment: '类型' }))).toEqual(expect.arrayContaining([expect.stringMatching(/^kind:/)]));
    // transferred as a consultation: the new department's deadline is one working day from today, and the history says so
    const transferred = await act(deptAdmin, t.number, { action: 'transfer', version: 1, departmentId: clerk.user.departmentId, kind: 'consultation', comment: '属政务服务数据管理局职责，实为咨询' });
    expect(transferred.statusCode, transferred.body).toBe(200);
    const newDeadline = await platform.services.calendar.deadline(todayInShanghai(), 1);
    expect(transferred.json()).toMatchObject({ departmentId: clerk.user.departmentId, kind: 'consultation', deadline: newDeadline, actions: [] });
    const moved = (await as(platform.app, clerk, { method: 'GET', url: `/api/v1/tickets/${t.number}` })).json() as { history: Array<{ action: string; transfer?: object }> };
    expect(moved.history.find((h) => h.action === 'transfer')!.transfer).toEqual({
      fromDepartmentId: marketId, fromDepartmentName: '深圳市市场监督管理局', toDepartmentId: clerk.user.departmentId, toDepartmentName: expect.any(String),
      kindFrom: 'complaint', kindTo: 'consultation', deadlineFrom: t.deadline, deadlineTo: newDeadline,
    });
    const audit = await platform.database.db.selectFrom('audit_log').select('detail').where('target_id', '=', t.number).where('action', '=', 'tickets.ticket.transferred').executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ from: marketId, to: clerk.user.departmentId, deadlineFrom: t.deadline, deadlineTo: newDeadline });
    expect((await as(platform.app, deptAdmin, { method: 'GET', url: `/api/v1/tickets/${t.number}` })).statusCode).toBe(404);
    const complaint = (await open(person, { kind: 'complaint', title: '审批超时', body: '已超过承诺时限仍未办结。', departmentId: marketId })).json() as Detail;
    expect(errorFields(await act(deptAdmin, complaint.number, { action: 'publish_faq', version: 1 }))[0]).toBe('action:ticket_faq_not_consultation');

    const later = new Date(`${addDays(todayInShanghai(), 20)}T10:00:00+08:00`);
    const first = await platform.services.tickets.sweepOverdue(later);
    expect(first.escalated).toBeGreaterThanOrEqual(1);
    expect((await platform.services.tickets.sweepOverdue(later)).escalated).toBe(0);
    const escalated = (await as(platform.app, supervisor, { method: 'GET', url: '/api/v1/tickets?escalated=true' })).json() as { items: Array<{ number: string }> };
    expect(escalated.items.map((i) => i.number)).toContain(t.number);
  });
});

describe('the 12345 hotline import', () => {
  it('imports CSV rows, reports each bad row with its field, and never files a work order twice', async () => {
    const csv = [
      '工单号,类型,标题,内容,联系人,联系电话,事项编码,承办部门',
      `12345-0001,咨询,"营业执照,怎么办","个体户营业执照怎么办理？
需要到现场吗？",李四,13700137000,,深圳市市场监督管理局`,
      '12345-0002,投诉,噪音,"夜间施工噪音 ""严重""",,0755-88886666,,深圳市住房和建设局',
      '12345-0003,表扬,,内容,,,,深圳市市场监督管理局',
      '12345-0004,求助,没有部门,内容,,,,',
      '12345-0005,吐槽,类型不对,内容,,,,没有这个部门',
      '12345-0001,咨询,重复行,内容,,,,深圳市市场监督管理局',
    ].join('\r\n');
    const res = await as(platform.app, supervisor, { method: 'POST', url: '/api/v1/tickets/import', payload: { csv } });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json() as { imported: Array<{ row: number; ref: string }>; duplicates: unknown[]; errors: Array<{ row: number; field: string; code: string; message: string }> };
    expect(result.imported.map((r) => r.ref)).toEqual(['12345-0001', '12345-0002']);
    expect(result.errors.map((e) => `${e.row}:${e.field}:${e.code}`)).toEqual([
      '3:title:required',
      '4:department:ticket_subject_required',
      '5:kind:ticket_kind_unknown',
      '5:department:ticket_department_unknown',
      '6:ref:ticket_duplicate_ref',
    ]);
    expect(result.errors[0]!.message).toBe('此项为必填项');
    // every row accounted for: imported, duplicate or refused
    const rows = new Set([...result.imported.map((r) => r.row), ...result.errors.map((e) => e.row)]);
    expect(rows.size).toBe(6);
    const first = await platform.database.db.selectFrom('tickets').selectAll().where('hotline_ref', '=', '12345-0001').executeTakeFirstOrThrow();
    expect(first).toMatchObject({ source: 'hotline', kind: 'consultation', title: '营业执照,怎么办', body: '个体户营业执照怎么办理？\n需要到现场吗？', contact_phone: '13700137000' });

    // the same file again (JSON this time): duplicates, nothing new
    const again = await as(platform.app, admin, { method: 'POST', url: '/api/v1/tickets/import', payload: { rows: [{ ref: '12345-0001', kind: 'consultation', title: '营业执照', body: '再次导入', department: marketId }] } });
    expect(again.json()).toMatchObject({ imported: [], duplicates: [{ row: 1, ref: '12345-0001', number: first.number }], errors: [] });
    expect((await as(platform.app, deptAdmin, { method: 'POST', url: '/api/v1/tickets/import', payload: { csv } })).statusCode).toBe(403);
    expect((await as(platform.app, supervisor, { method: 'POST', url: '/api/v1/tickets/import', payload: { csv: '  ' } })).json()).toMatchObject({ code: 'ticket_import_empty' });
  });

  it('reads RFC 4180 CSV: quotes, doubled quotes, embedded line breaks, CRLF', () => {
    expect(parseCsv('a,"b,c","d ""e"""\r\n"f\ng",h\n')).toEqual([['a', 'b,c', 'd "e"'], ['f\ng', 'h']]);
    expect(parseCsv('x')).toEqual([['x']]);
  });

  it('counts complaints and their on-time answers per department for supervision', async () => {
    const other = await staffSession(platform, { username: 'housing_admin_t', name: '住建 部门管理', department: '深圳市住房和建设局', roles: ['department_admin'] });
    const noise = await platform.database.db.selectFrom('tickets').select(['number', 'version']).where('hotline_ref', '=', '12345-0002').executeTakeFirstOrThrow();
    expect((await act(other, noise.number, { action: 'reply', version: noise.version, reply: '已责令施工单位整改。' })).statusCode).toBe(200);
    const today = todayInShanghai();
    const figures = await platform.services.evaluation.figuresByDepartment({ from: today, to: today });
    const housing = figures.find((f) => f.departmentId === other.user.departmentId)!;
    expect(housing).toMatchObject({ complaints: 1, complaintsOnTime: 1 });
    const market = figures.find((f) => f.departmentId === marketId)!;
    expect(market.complaints).toBeGreaterThanOrEqual(2);
    expect(market.complaintsOnTime).toBe(0);
  });
});

describe('the default rating of an answered ticket', () => {
  it('is recorded once the period ends unrated, for tickets an applicant could rate; not for a hotline caller\'s, not twice', async () => {
    const unrated = (await open(person, { kind: 'consultation', title: '营业执照年报', body: '个体户需要年报吗？', departmentId: marketId })).json() as Detail;
    const rated = (await open(person, { kind: 'consultation', title: '营业执照变更', body: '变更经营场所怎么办？', departmentId: marketId })).json() as Detail;
    for (const t of [unrated, rated]) expect((await act(approver, t.number, { action: 'reply', version: 1, reply: '请登录通办在线办理。' })).statusCode).toBe(200);
    await as(platform.app, person, { method: 'POST', url: `/api/v1/tickets/${rated.number}/evaluations`, payload: { level: 4, channel: 'pc' } });
    const hotline = await platform.database.db.selectFrom('tickets').select('number').where('hotline_ref', '=', '12345-0002').executeTakeFirstOrThrow();

    const { runQualitySweeps } = await import('../evaluation/worker.js');
    await runQualitySweeps(platform.services, new Date(Date.now() + 14 * 86_400_000));
    expect(await platform.database.db.selectFrom('evaluations').select('id').where('subject_ref', '=', unrated.number).execute()).toEqual([]);
    const later = new Date(Date.now() + 16 * 86_400_000);
    await Promise.all([runQualitySweeps(platform.services, later), runQualitySweeps(platform.services, later)]);
    await runQualitySweeps(platform.services, later);
    const rows = await platform.database.db.selectFrom('evaluations').selectAll().where('subject_kind', '=', 'ticket').where('subject_ref', 'in', [unrated.number, rated.number, hotline.number]).execute();
    expect(rows.map((r) => [r.subject_ref, r.is_default, r.level]).sort()).toEqual([[rated.number, false, 4], [unrated.number, true, 5]].sort());
    expect(rows.find((r) => r.is_default)).toMatchObject({ channel: 'system', rater_user_id: null, staff_name: '审批 李明', department_id: marketId });
  });
});
