/**
 * Applying for a service item through the HTTP API, on the demo city: online applications
 * (form against the item version's JSON Schema, materials, Idempotency-Key, unique case numbers
 * under concurrency), window filing for walk-ins, and drafts.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { as, createTestPlatform, errorFields, login, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { applicationFor, caseDetail, demoItem, ITEMS, sampleForm, staffSession, submitCase, uploadPdf } from '../../../test/case-fixtures.js';
import { demoIdNumber, DEMO_ENTERPRISE, DEMO_PERSON } from '../demo/seed.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import { todayInShanghai } from '../../platform/time.js';
import { MAX_DRAFTS } from './drafts.js';
import { checkFormData, fileCase, formValidator, type Filing } from './application.js';
import { findCase } from './store.js';

let platform: TestPlatform;
let person: Session;
let enterprise: Session;
let clerk: Session;
let food: ItemGuide;

beforeAll(async () => {
  platform = await createTestPlatform();
  ({ person, enterprise, clerk } = await loginAll(platform.app, ['person', 'enterprise', 'clerk']));
  food = await demoItem(platform, ITEMS.food);
});
afterAll(() => platform.close());

const post = (session: Session | null, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  as(platform.app, session, { method: 'POST', url, payload: payload as object, headers });

type Problem = { code: string; errors?: Array<{ field: string; code: string; message: string }> };
const fields = errorFields;

describe('online application (POST /api/v1/cases)', () => {
  it('creates a submitted case numbered implementation code + date + sequence, snapshotting the item', async () => {
    const started = performance.now();
    const created = await submitCase(platform, person, food, { phone: '13912345678', delivery: { method: 'express', address: '深圳市福田区福中三路 1 号' } });
    expect(created).toEqual({ caseNumber: expect.any(String), status: 'submitted', version: 1 });
    expect(created.caseNumber).toMatch(new RegExp(`^${food.implementationCode}${todayInShanghai().replaceAll('-', '')}\\d{4}$`));
    expect(performance.now() - started).toBeLessThan(10_000);

    const detail = await caseDetail(platform, person, created.caseNumber);
    expect(detail).toMatchObject({
      itemCode: food.implementationCode,
      itemName: ITEMS.food,
      itemVersion: food.version,
      channel: 'online',
      status: 'submitted',
      department: { id: food.departmentId, name: '深圳市市场监督管理局' },
      applicant: { kind: 'natural', name: DEMO_PERSON.name, identifierMasked: '440***********1233'.replace('1233', DEMO_PERSON.idNumber.slice(-4)), phoneMasked: '139****5678' },
      delivery: { method: 'express', address: '深圳市福田区福中三路 1 号' },
      acceptedAt: null,
      deadline: null,
      history: [{ action: 'submit', status: 'submitted', actor: DEMO_PERSON.name }],
    });
    expect(detail.materials.map((m) => m.materialId).sort()).toEqual(food.materials.filter((m) => m.requirement === 'required').map((m) => m.id).sort());
    expect(detail.materials.every((m) => m.source === 'upload' && m.verdict === 'pending' && m.fileId)).toBe(true);
    const row = await platform.database.db.selectFrom('cases').selectAll().where('case_number', '=', created.caseNumber).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ applicant_identifier: DEMO_PERSON.idNumber, case_kind: food.caseKind, promised_days: food.promisedDays, region_path: '440300' });
    const events = await platform.database.db.selectFrom('outbox_events').selectAll().where('aggregate_id', '=', created.caseNumber).execute();
    expect(events.map((e) => [e.type, (e.payload as { status: string }).status])).toEqual([['case.status_changed', 'submitted']]);
  });

  it('refuses form data that breaks the item\'s schema, naming each field, in Chinese and in English', async () => {
    const body = await applicationFor(platform, person, food);
    const form = { ...body.form, premisesArea: 'large', unknownField: 1 } as Record<string, unknown>;
    delete form.operatingItems;
    const zh = await post(person, '/api/v1/cases', { ...body, form });
    expect(zh.statusCode).toBe(400);
    expect(zh.json()).toMatchObject({ code: 'validation_failed' });
    expect(fields(zh)).toEqual(['form.operatingItems:required', 'form.premisesArea:invalid_type', 'form.unknownField:unknown_field']);
    expect((zh.json() as Problem).errors!.find((e) => e.field === 'form.operatingItems')!.message).toBe('此项为必填项');
    const en = await post(person, '/api/v1/cases', { ...body, form }, { 'accept-language': 'en' });
    expect((en.json() as Problem).errors!.find((e) => e.field === 'form.operatingItems')!.message).toBe('This field is required');
    // a conditional field becomes required when its condition holds
    const canteen = await post(person, '/api/v1/cases', { ...body, form: { ...body.form, mainBusiness: 'canteen' } });
    expect(fields(canteen)).toEqual(['form.canteenKind:required']);
  });

  it('refuses unknown, missing and foreign materials, and an e-license the applicant does not hold', async () => {
    const body = await applicationFor(platform, person, food);
    const othersFile = await uploadPdf(platform, enterprise, 'someone-else.pdf');
    const materials = body.materials.filter((m) => m.materialId !== 'layout');
    materials.push({ materialId: 'no_such_material', fileId: materials[0]!.fileId! });
    materials.push({ materialId: 'central_kitchen', fileId: othersFile });
    materials.push({ materialId: 'agent', fileId: materials[0]!.fileId!, licenseId: 'x' });
    const idCardIndex = materials.findIndex((m) => m.materialId === 'id_card');
    materials[idCardIndex] = { materialId: 'id_card', licenseId: '1.2.156.3005.2.11100000000000000X.0001.001.K' };
    const submittedCases = () => platform.database.db.selectFrom('cases').select('id').where('applicant_user_id', '=', person.user.id).where('status', '=', 'submitted').execute();
    const before = (await submittedCases()).length;
    const res = await post(person, '/api/v1/cases', { ...body, materials });
    expect(res.statusCode).toBe(400);
    expect(fields(res)).toEqual([
      `materials.layout:case_material_missing`,
      `materials[${idCardIndex}].licenseId:license_not_held`,
      `materials[${materials.length - 1}].materialId:case_unknown_material`,
      `materials[${materials.length - 2}].fileId:file_unknown`,
      `materials[${materials.length - 3}].materialId:case_unknown_material`,
    ].sort());
    const missing = (res.json() as Problem).errors!.find((e) => e.field === 'materials.layout')!;
    expect(missing.message).toContain(food.materials.find((m) => m.id === 'layout')!.name);
    // nothing was created, and no number was taken
    expect(await submittedCases()).toHaveLength(before);
  });

  it('records shared data standing in for a material by the resource the material declares', async () => {
    const setup = await demoItem(platform, ITEMS.companySetup);
    const premises = setup.materials.find((m) => m.id === 'premises')!;
    const base = await applicationFor(platform, enterprise, setup);
    const materials = base.materials.map((m) => (m.materialId === 'premises' ? { materialId: 'premises', resourceId: premises.resourceId! } : m));
    const created = await submitCase(platform, enterprise, setup, { materials });
    const detail = await caseDetail(platform, enterprise, created.caseNumber);
    expect(detail.materials.find((m) => m.materialId === 'premises')).toMatchObject({ source: 'shared_data', resourceId: 'real_estate', fileId: null });
    const wrong = await post(enterprise, '/api/v1/cases', { ...base, materials: base.materials.map((m) => (m.materialId === 'premises' ? { materialId: 'premises', resourceId: 'household' } : m)) });
    expect(fields(wrong)).toEqual([`materials[${base.materials.findIndex((m) => m.materialId === 'premises')}].resourceId:case_resource_unavailable`]);
  });

  it('refuses an item not offered to the applicant\'s kind, an unpublished item, a bad phone and express delivery without an address', async () => {
    const setup = await demoItem(platform, ITEMS.companySetup);
    const notForPersons = await post(person, '/api/v1/cases', { itemCode: setup.implementationCode, form: sampleForm(setup), materials: [] });
    expect(notForPersons.statusCode).toBe(422);
    expect(notForPersons.json()).toMatchObject({ code: 'item_not_for_applicant' });
    const unknown = await post(person, '/api/v1/cases', { itemCode: `${food.implementationCode.slice(0, 30)}9`, form: {}, materials: [] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'item_not_available' });
    const body = await applicationFor(platform, person, food);
    const contact = await post(person, '/api/v1/cases', { ...body, phone: '12345', delivery: { method: 'express' } });
    expect(fields(contact)).toEqual(['delivery.address:case_required', 'phone:case_phone_invalid']);
    const shape = await post(person, '/api/v1/cases', { ...body, itemCode: 'short' });
    expect(fields(shape)).toEqual(['itemCode:invalid_format']);
  });

  it('is for applicants: staff 403, nobody signed in 401', async () => {
    const body = await applicationFor(platform, person, food);
    expect((await post(clerk, '/api/v1/cases', body)).statusCode).toBe(403);
    expect((await post(null, '/api/v1/cases', body)).statusCode).toBe(401);
  });

  it('replays a 秒批 submission under its Idempotency-Key with the decision it was answered with', async () => {
    const talent = await demoItem(platform, '人才引进（应届毕业生接收）');
    const body = await applicationFor(platform, person, talent);
    const headers = { 'idempotency-key': 'apply-instant-once' };
    const payload = { ...body, form: { ...body.form, degree: 'doctor', graduationDate: '2025-06-30' } };
    const first = await post(person, '/api/v1/cases', payload, headers);
    expect(first.json()).toMatchObject({ status: 'approved', instantDecision: { outcome: 'approve' } });
    const second = await post(person, '/api/v1/cases', payload, headers);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
  });

  it('answers the same Idempotency-Key twice with one case and the same answer', async () => {
    const body = await applicationFor(platform, person, food);
    const headers = { 'idempotency-key': 'apply-once-1' };
    const first = await post(person, '/api/v1/cases', body, headers);
    const second = await post(person, '/api/v1/cases', body, headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    // the answer is stored by the filing statement itself: byte for byte what the route sent
    expect(second.body).toBe(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const stored = await platform.database.db.selectFrom('idempotency_keys').select(['status_code', 'response_body']).where('key', '=', 'apply-once-1').executeTakeFirstOrThrow();
    expect(stored).toEqual({ status_code: 201, response_body: first.body });
    const rows = await platform.database.db.selectFrom('cases').select('case_number').where('applicant_user_id', '=', person.user.id).where('submitted_at', '>=', new Date(Date.now() - 60_000)).execute();
    expect(rows.filter((r) => r.case_number === (first.json() as { caseNumber: string }).caseNumber)).toHaveLength(1);
    const before = rows.length;
    const reused = await post(person, '/api/v1/cases', { ...body, phone: '13700000000' }, headers);
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'idempotency_key_reused' });
    expect(await platform.database.db.selectFrom('cases').select('id').where('applicant_user_id', '=', person.user.id).where('submitted_at', '>=', new Date(Date.now() - 60_000)).execute()).toHaveLength(before);
  });

  it('a failure after the filing keeps the stored answer: the retry gets the case, not a 500 and not a second case', async () => {
    const body = await applicationFor(platform, person, food);
    const headers = { 'idempotency-key': 'apply-then-fail-1' };
    // the step right after the filing statement (which stored the answer) fails once
    const failing = vi.spyOn(platform.services.cases as unknown as { verifySharedMaterials: () => Promise<void> }, 'verifySharedMaterials').mockRejectedValueOnce(new Error('shared-data check failed'));
    try {
      const first = await post(person, '/api/v1/cases', body, headers);
      expect(first.statusCode).toBe(500);
    } finally {
      failing.mockRestore();
    }
    const stored = await platform.database.db.selectFrom('idempotency_keys').select(['status_code', 'response_body']).where('key', '=', 'apply-then-fail-1').executeTakeFirstOrThrow();
    expect(stored.status_code).toBe(201);
    const { caseNumber } = JSON.parse(stored.response_body!) as { caseNumber: string };
    const retry = await post(person, '/api/v1/cases', body, headers);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toBe(stored.response_body);
    expect(await platform.database.db.selectFrom('cases').select('case_number').where('case_number', '=', caseNumber).execute()).toHaveLength(1);
  });

  it('numbers 50 concurrent submissions on one item with 50 distinct consecutive numbers', async () => {
    const guide = await demoItem(platform, ITEMS.criminalRecord);
    const body = await applicationFor(platform, person, guide);
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(person, '/api/v1/cases', body)));
    const elapsed = performance.now() - started;
    expect(answers.map((a) => a.statusCode)).toEqual(Array(50).fill(201));
    const sequences = answers.map((a) => Number((a.json() as { caseNumber: string }).caseNumber.slice(-4))).sort((a, b) => a - b);
    // consecutive after whatever the day already numbered (the demo city's own cases)
    expect(sequences).toEqual(Array.from({ length: 50 }, (_, i) => sequences[0]! + i));
    expect(new Set(answers.map((a) => (a.json() as { caseNumber: string }).caseNumber)).size).toBe(50);
    // a loose ceiling: on PGlite one connection serialises them (measured figures in the report)
    expect(elapsed).toBeLessThan(30_000);
  });
});

describe('window filing (POST /api/v1/window/cases)', () => {
  const walkIn = (overrides: Record<string, unknown> = {}) => ({ kind: 'natural', name: '李四', idNumber: demoIdNumber('440305', '19851212', '234'), phone: '13600001111', ...overrides });

  it('files for a walk-in with the clerk\'s scans and paper materials, unlinked when no account holds the ID number', async () => {
    const required = food.materials.filter((m) => m.requirement === 'required');
    const scan = await uploadPdf(platform, clerk, 'scan.pdf');
    const materials = required.map((m, i) => (i === 0 ? { materialId: m.id, paper: true } : { materialId: m.id, fileId: scan }));
    const res = await post(clerk, '/api/v1/window/cases', { itemCode: food.implementationCode, applicant: walkIn(), form: sampleForm(food), materials });
    expect(res.statusCode, res.body).toBe(201);
    const caseNumber = (res.json() as { caseNumber: string }).caseNumber;
    const detail = await caseDetail(platform, clerk, caseNumber);
    expect(detail).toMatchObject({ channel: 'window', applicant: { kind: 'natural', name: '李四' }, history: [{ action: 'file', actor: '窗口 陈静', detail: { linkedAccount: false } }] });
    expect(detail.materials.find((m) => m.materialId === required[0]!.id)).toMatchObject({ source: 'paper', fileId: null });
    const row = await platform.database.db.selectFrom('cases').selectAll().where('case_number', '=', caseNumber).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ applicant_user_id: null, filed_by: clerk.user.id, channel: 'window' });
  });

  it('links the case to the account holding the ID number, so it shows in the applicant\'s own list', async () => {
    const materials = food.materials.filter((m) => m.requirement === 'required').map((m) => ({ materialId: m.id, paper: true }));
    const res = await post(clerk, '/api/v1/window/cases', { itemCode: food.implementationCode, applicant: walkIn({ name: '张三', idNumber: DEMO_PERSON.idNumber.toLowerCase() }), form: sampleForm(food), materials });
    expect(res.statusCode, res.body).toBe(201);
    const caseNumber = (res.json() as { caseNumber: string }).caseNumber;
    const mine = await as(platform.app, person, { method: 'GET', url: '/api/v1/cases?mine=true&limit=100' });
    expect((mine.json() as { items: Array<{ caseNumber: string; channel: string }> }).items.find((c) => c.caseNumber === caseNumber)).toMatchObject({ channel: 'window' });
    // and the applicant may read the clerk's scans of it, nobody else
    const scan = await uploadPdf(platform, clerk, 'scan2.pdf');
    const withScan = await post(clerk, '/api/v1/window/cases', {
      itemCode: food.implementationCode,
      applicant: walkIn({ name: '张三', idNumber: DEMO_PERSON.idNumber }),
      form: sampleForm(food),
      materials: materials.map((m, i) => (i === 0 ? { materialId: m.materialId, fileId: scan } : m)),
    });
    expect(withScan.statusCode).toBe(201);
    expect((await as(platform.app, person, { method: 'GET', url: `/api/v1/files/${scan}/meta` })).statusCode).toBe(200);
    expect((await as(platform.app, enterprise, { method: 'GET', url: `/api/v1/files/${scan}/meta` })).statusCode).toBe(404);
  });

  it('validates the walk-in\'s ID number (GB 11643), credit code (GB 32100) and phone, and refuses another person\'s files', async () => {
    const materials = food.materials.filter((m) => m.requirement === 'required').map((m) => ({ materialId: m.id, paper: true }));
    const base = { itemCode: food.implementationCode, form: sampleForm(food), materials };
    const badId = await post(clerk, '/api/v1/window/cases', { ...base, applicant: walkIn({ idNumber: `${DEMO_PERSON.idNumber.slice(0, 17)}0`, phone: '123' }) });
    expect(fields(badId)).toEqual(['applicant.idNumber:invalid_id_number', 'applicant.phone:case_phone_invalid']);
    expect((badId.json() as Problem).errors![0]!.message).toContain('校验码');
    const noId = await post(clerk, '/api/v1/window/cases', { ...base, applicant: walkIn({ idNumber: undefined }) });
    expect(fields(noId)).toEqual(['applicant.idNumber:case_required']);
    const badCode = await post(clerk, '/api/v1/window/cases', { ...base, applicant: { kind: 'legal', name: '某公司', creditCode: `${DEMO_ENTERPRISE.creditCode.slice(0, 17)}1`, phone: '13600001111' } }, { 'accept-language': 'en' });
    expect(fields(badCode)).toEqual(['applicant.creditCode:invalid_credit_code']);
    expect((badCode.json() as Problem).errors![0]!.message).toContain('GB 32100');
    const personsFile = await uploadPdf(platform, person, 'mine.pdf');
    const foreign = await post(clerk, '/api/v1/window/cases', { ...base, applicant: walkIn(), materials: [{ materialId: materials[0]!.materialId, fileId: personsFile }, ...materials.slice(1)] });
    expect(fields(foreign)).toEqual(['materials[0].fileId:file_unknown']);
    const hall = await post(clerk, '/api/v1/window/cases', { ...base, applicant: walkIn(), hallId: '3f1c9a52-8d4e-4b7a-9c1d-2e5f6a7b8c9d' });
    expect(fields(hall)).toEqual(['hallId:invalid_value']);
  });

  it('takes only items of the clerk\'s region: a district clerk may not file a city department\'s item', async () => {
    const futianClerk = await staffSession(platform, { username: 'futian_clerk_a', name: '福田窗口 甲', department: '福田区政务服务数据管理局', roles: ['window_clerk'] });
    const materials = food.materials.filter((m) => m.requirement === 'required').map((m) => ({ materialId: m.id, paper: true }));
    const city = await post(futianClerk, '/api/v1/window/cases', { itemCode: food.implementationCode, applicant: walkIn(), form: sampleForm(food), materials });
    expect(city.statusCode).toBe(422);
    expect(city.json()).toMatchObject({ code: 'item_outside_window' });
    const district = await demoItem(platform, ITEMS.futianAllowance);
    const own = await post(futianClerk, '/api/v1/window/cases', {
      itemCode: district.implementationCode,
      applicant: walkIn(),
      form: sampleForm(district),
      materials: district.materials.filter((m) => m.requirement === 'required').map((m) => ({ materialId: m.id, paper: true })),
    });
    expect(own.statusCode, own.body).toBe(201);
    // at a hall of the clerk's region only: not at another district's
    const halls = new Map((await platform.services.org.listHalls()).map((h) => [h.name, h.id]));
    const filing = { itemCode: district.implementationCode, applicant: walkIn(), form: sampleForm(district), materials: district.materials.filter((m) => m.requirement === 'required').map((m) => ({ materialId: m.id, paper: true })) };
    const nanshanHall = await post(futianClerk, '/api/v1/window/cases', { ...filing, hallId: halls.get('南山区行政服务大厅') }, { 'accept-language': 'en' });
    expect(fields(nanshanHall)).toEqual(['hallId:case_hall_out_of_region']);
    expect(JSON.stringify(nanshanHall.json())).toContain("outside your department's region");
    const futianHall = await post(futianClerk, '/api/v1/window/cases', { ...filing, hallId: halls.get('福田区行政服务大厅') });
    expect(futianHall.statusCode, futianHall.body).toBe(201);
    // applicants and approvers may not file at the window
    expect((await post(person, '/api/v1/window/cases', {})).statusCode).toBe(403);
    expect((await post(await login(platform.app, 'approver'), '/api/v1/window/cases', {})).statusCode).toBe(403);
  });
});

describe('drafts (/api/v1/me/drafts)', () => {
  it('saves, lists, reads, updates and deletes an owner\'s draft; nobody else sees it', async () => {
    const created = await post(person, '/api/v1/me/drafts', { itemCode: food.implementationCode, form: { operatingItems: '热食' }, materials: [] });
    expect(created.statusCode).toBe(201);
    const draft = created.json() as { id: string; form: Record<string, unknown>; updatedAt: string };
    expect(draft).toMatchObject({ itemCode: food.implementationCode, form: { operatingItems: '热食' }, materials: [] });
    const updated = await as(platform.app, person, { method: 'PUT', url: `/api/v1/me/drafts/${draft.id}`, payload: { itemCode: food.implementationCode, form: { operatingItems: '冷食' }, materials: [{ materialId: 'layout' }] } });
    expect(updated.json()).toMatchObject({ form: { operatingItems: '冷食' }, materials: [{ materialId: 'layout' }] });
    const list = await as(platform.app, person, { method: 'GET', url: '/api/v1/me/drafts' });
    expect((list.json() as { items: Array<{ id: string }> }).items[0]!.id).toBe(draft.id);
    for (const [method, payload] of [['GET', undefined], ['PUT', { itemCode: 'x', form: {}, materials: [] }], ['DELETE', undefined]] as const) {
      const res = await as(platform.app, enterprise, { method, url: `/api/v1/me/drafts/${draft.id}`, ...(payload ? { payload } : {}) });
      expect(res.statusCode, method).toBe(404);
      expect(res.json()).toMatchObject({ code: 'draft_not_found' });
    }
    expect((await as(platform.app, enterprise, { method: 'GET', url: '/api/v1/me/drafts' })).json()).toEqual({ items: [] });
    expect((await as(platform.app, clerk, { method: 'GET', url: '/api/v1/me/drafts' })).statusCode).toBe(403);
    expect((await as(platform.app, person, { method: 'DELETE', url: `/api/v1/me/drafts/${draft.id}` })).json()).toEqual({ ok: true });
    expect((await as(platform.app, person, { method: 'GET', url: `/api/v1/me/drafts/${draft.id}` })).statusCode).toBe(404);
  });

  it('is deleted by the submission made from it, in the same transaction', async () => {
    const draft = (await post(person, '/api/v1/me/drafts', { itemCode: food.implementationCode, form: sampleForm(food), materials: [] })).json() as { id: string };
    const body = await applicationFor(platform, person, food);
    // a submission that fails leaves the draft in place
    const failed = await post(person, '/api/v1/cases', { ...body, form: {}, draftId: draft.id });
    expect(failed.statusCode).toBe(400);
    expect((await as(platform.app, person, { method: 'GET', url: `/api/v1/me/drafts/${draft.id}` })).statusCode).toBe(200);
    const submitted = await post(person, '/api/v1/cases', { ...body, draftId: draft.id });
    expect(submitted.statusCode).toBe(201);
    expect((await as(platform.app, person, { method: 'GET', url: `/api/v1/me/drafts/${draft.id}` })).statusCode).toBe(404);
    const again = await post(person, '/api/v1/cases', { ...body, draftId: draft.id });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'draft_not_found' });
  });

  it('keeps at most MAX_DRAFTS per applicant', async () => {
    const existing = ((await as(platform.app, enterprise, { method: 'GET', url: '/api/v1/me/drafts' })).json() as { items: unknown[] }).items.length;
    for (let i = existing; i < MAX_DRAFTS; i++) expect((await post(enterprise, '/api/v1/me/drafts', { itemCode: 'X', form: {}, materials: [] })).statusCode).toBe(201);
    const over = await post(enterprise, '/api/v1/me/drafts', { itemCode: 'X', form: {}, materials: [] });
    expect(over.statusCode).toBe(422);
    expect(over.json()).toMatchObject({ code: 'draft_limit_reached' });
  });
});



describe('filing a case in one statement (fileCase)', () => {
  const filing = async (fileId: string, now = new Date()): Promise<Filing> => ({
    item: food,
    regionPath: (await platform.services.org.departmentScope(food.departmentId)).regionPath,
    channel: 'online',
    applicant: { userId: person.user.id, kind: 'natural', name: DEMO_PERSON.name, identifier: DEMO_PERSON.idNumber, phone: '13912345678' },
    filedBy: null,
    hallId: null,
    form: sampleForm(food),
    commitment: null,
    delivery: null,
    materials: food.materials.filter((m) => m.requirement === 'required').map((m) => ({ materialId: m.id, name: m.name, source: 'upload', fileId, licenseId: null, sharedData: null })),
    now,
  });
  const written = async (caseNumber: string) => {
    const db = platform.database.db;
    const row = await db.selectFrom('cases').select('id').where('case_number', '=', caseNumber).executeTakeFirst();
    return {
      cases: row ? 1 : 0,
      materials: row ? (await db.selectFrom('case_materials').select('material_id').where('case_id', '=', row.id).execute()).length : 0,
      history: row ? (await db.selectFrom('case_history').select(['action', 'actor_name']).where('case_id', '=', row.id).execute()) : [],
      events: (await db.selectFrom('outbox_events').select('payload').where('aggregate_id', '=', caseNumber).execute()).map((e) => e.payload),
    };
  };
  const counter = async (day: string) =>
    (await platform.database.db.selectFrom('case_sequences').select('last').where('prefix', '=', food.implementationCode).where('day', '=', day).executeTakeFirst())?.last ?? 0;
  const actor = { kind: 'applicant' as const, id: 'a', name: DEMO_PERSON.name, ip: null };

  it('takes the number and writes the case, its materials, its first history entry and its first event together', async () => {
    const required = food.materials.filter((m) => m.requirement === 'required').length;
    const day = todayInShanghai(new Date());
    const before = await counter(day);
    const created = await fileCase(platform.database.db, await filing(await uploadPdf(platform, person)), { action: 'submit', actor });
    const caseNumber = `${food.implementationCode}${day.replaceAll('-', '')}${String(before + 1).padStart(4, '0')}`;
    // the whole row as stored: a 秒批 decision is made on it
    expect(created).toEqual(await findCase(platform.database.db, caseNumber));
    expect(created).toMatchObject({ case_number: caseNumber, status: 'submitted', version: 1 });
    expect(await written(caseNumber)).toEqual({
      cases: 1,
      materials: required,
      history: [{ action: 'submit', actor_name: DEMO_PERSON.name }],
      events: [expect.objectContaining({ caseNumber, status: 'submitted', fromStatus: null, action: 'submit', applicantPhone: '13912345678' })],
    });
  });

  it('writes nothing and takes no number when any of its rows is refused: here a material naming no stored file', async () => {
    const day = todayInShanghai(new Date());
    const before = await counter(day);
    await expect(fileCase(platform.database.db, await filing('00000000-0000-4000-8000-000000000000'), { action: 'submit', actor })).rejects.toThrow(/foreign key/);
    expect(await counter(day)).toBe(before);
    const next = `${food.implementationCode}${day.replaceAll('-', '')}${String(before + 1).padStart(4, '0')}`;
    expect(await written(next)).toEqual({ cases: 0, materials: 0, history: [], events: [] });
  });

  it('refuses the 10,000th case of an item in a day with 503 case_number_exhausted, and leaves the counter at 9,999', async () => {
    const now = new Date('2031-03-04T02:00:00Z');
    await platform.database.db.insertInto('case_sequences').values({ prefix: food.implementationCode, day: '2031-03-04', last: 9998 }).execute();
    const file = await uploadPdf(platform, person);
    const last = await fileCase(platform.database.db, await filing(file, now), { action: 'submit', actor });
    expect(last.case_number).toBe(`${food.implementationCode}203103049999`);
    await expect(fileCase(platform.database.db, await filing(file, now), { action: 'submit', actor })).rejects.toMatchObject({ code: 'case_number_exhausted', status: 503 });
    expect(await counter('2031-03-04')).toBe(9999);
  });
});

describe('form validation (application.ts)', () => {
  const version = (n: number, maxLength: number) => ({
    implementationCode: 'X'.repeat(31),
    version: n,
    form: { schema: { $id: 'urn:form', type: 'object', properties: { name: { type: 'string', maxLength } }, required: ['name'] }, ui: { order: [], fields: {} } },
  });

  it('compiles each item version once, and keeps versions apart even when their schemas share an $id', () => {
    const v1 = version(1, 2);
    expect(formValidator(v1)).toBe(formValidator(v1));
    const v2 = version(2, 10);
    expect(checkFormData(v1, { name: 'abcde' })).toEqual([{ field: 'form.name', code: 'too_long', params: { limit: 2 } }]);
    expect(checkFormData(v2, { name: 'abcde' })).toEqual([]);
    expect(checkFormData(v2, {})).toEqual([{ field: 'form.name', code: 'required', params: {} }]);
  });
});
