import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, login, type Session, type TestPlatform } from '../../../test/harness.js';
import { sampleContent, testBasicCode } from '../../../test/catalog-fixtures.js';
import type { ItemContent } from './schemas.js';

let platform: TestPlatform;
let catalog: Session; // catalog admin, 市场监督管理局
let catalog2: Session; // the second catalog admin of the same department
let admin: Session;
let marketId: string;

const ITEMS = '/api/v1/admin/catalog/items';

beforeAll(async () => {
  platform = await createTestPlatform();
  [catalog, catalog2, admin] = await Promise.all([login(platform.app, 'catalog'), login(platform.app, 'catalog2'), login(platform.app, 'admin')]);
  marketId = catalog.user.departmentId!;
});
afterAll(() => platform.close());

interface Problem {
  code: string;
  title: string;
  errors?: Array<{ field: string; code: string; message: string }>;
}

async function createItem(content: ItemContent = sampleContent(), session = catalog) {
  const res = await as(platform.app, session, { method: 'POST', url: ITEMS, payload: { departmentId: marketId, exerciseLevel: 3, basicCode: testBasicCode(), content } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { implementationCode: string; version: number; status: string; lockVersion: number };
}

const versionUrl = (code: string, version: number) => `${ITEMS}/${code}/versions/${version}`;

describe('authoring over HTTP', () => {
  it('creates, submits and publishes an item with two people, and shows it in the admin list', async () => {
    const created = await createItem();
    expect(created).toMatchObject({ version: 1, status: 'draft', lockVersion: 1 });
    const submit = await as(platform.app, catalog, { method: 'POST', url: `${versionUrl(created.implementationCode, 1)}/submit`, payload: { lockVersion: 1 } });
    expect(submit.json()).toMatchObject({ status: 'in_review', lockVersion: 2 });

    const own = await as(platform.app, catalog, { method: 'POST', url: `${versionUrl(created.implementationCode, 1)}/publish`, payload: {} });
    expect(own.statusCode).toBe(403);
    expect(own.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(own.json()).toMatchObject({ code: 'same_person_cannot_publish' });

    const published = await as(platform.app, catalog2, { method: 'POST', url: `${versionUrl(created.implementationCode, 1)}/publish`, payload: {} });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', effectiveFrom: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });

    const item = await as(platform.app, catalog, { method: 'GET', url: `${ITEMS}/${created.implementationCode}` });
    expect(item.json()).toMatchObject({ currentVersion: 1, departmentName: '深圳市市场监督管理局', versions: [{ version: 1, status: 'published', publishedBy: catalog2.user.id, submittedBy: catalog.user.id }] });
    const list = await as(platform.app, catalog, { method: 'GET', url: `${ITEMS}?q=${created.implementationCode}` });
    expect(list.json()).toEqual({ items: [expect.objectContaining({ implementationCode: created.implementationCode, status: 'published', currentVersion: 1 })], nextCursor: null });
  });

  it('replays a create with the same Idempotency-Key instead of refusing a duplicate', async () => {
    const payload = { departmentId: marketId, exerciseLevel: 3, basicCode: testBasicCode(), content: sampleContent() };
    const headers = { 'idempotency-key': `create-${payload.basicCode}` };
    const first = await as(platform.app, catalog, { method: 'POST', url: ITEMS, payload, headers });
    const again = await as(platform.app, catalog, { method: 'POST', url: ITEMS, payload, headers });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    const without = await as(platform.app, catalog, { method: 'POST', url: ITEMS, payload });
    expect(without.statusCode).toBe(409);
    expect(without.json()).toMatchObject({ code: 'item_exists' });
  });

  it('answers bad input with a field error for each problem, in Chinese or English', async () => {
    const payload = { departmentId: marketId, exerciseLevel: 3, basicCode: 'abc', content: sampleContent({ legalDays: 5, promisedDays: 10 }) };
    const zh = await as(platform.app, catalog, { method: 'POST', url: ITEMS, payload });
    expect(zh.statusCode).toBe(400);
    const body = zh.json() as Problem;
    expect(body.code).toBe('validation_failed');
    expect(body.errors).toHaveLength(2);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { field: 'basicCode', code: 'invalid_basic_code', message: '基本编码应为 12 位数字或大写字母' },
        { field: 'content.promisedDays', code: 'promised_exceeds_legal', message: '承诺办结时限（10 个工作日）不能超过法定办结时限（5 个工作日）' },
      ]),
    );
    const en = await as(platform.app, catalog, { method: 'POST', url: ITEMS, payload, headers: { 'accept-language': 'en' } });
    expect((en.json() as Problem).errors).toEqual(expect.arrayContaining([{ field: 'content.promisedDays', code: 'promised_exceeds_legal', message: 'Promised days (10) exceed the legal time limit (5)' }]));

    // structural errors are the route schema's: a wrong enum and a missing element
    const broken = { ...sampleContent(), type: '99' } as Record<string, unknown>;
    delete broken.materials;
    const schema = await as(platform.app, catalog, { method: 'POST', url: ITEMS, payload: { ...payload, basicCode: testBasicCode(), content: broken } });
    expect(schema.statusCode).toBe(400);
    expect((schema.json() as Problem).errors!.map((e) => e.field)).toEqual(expect.arrayContaining(['content.type', 'content.materials']));

    // a form schema Ajv cannot compile, a proof that does not exist
    const badRefs = sampleContent({
      form: { schema: { type: 'object', properties: { a: { type: 'string', format: 'no-such-format' } } }, ui: { order: ['a'], fields: { a: { widget: 'text', label: 'A' } } } },
      materials: [{ id: 'x', name: '证明', source: 'issuing_body', requirement: 'required', paperCopies: 0, originals: 1, proofId: '0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f' }],
    });
    const refs = await as(platform.app, catalog, { method: 'POST', url: ITEMS, payload: { ...payload, basicCode: testBasicCode(), content: badRefs } });
    expect((refs.json() as Problem).errors!.map((e) => `${e.field}:${e.code}`)).toEqual(['content.materials[0].proofId:unknown_proof', 'content.form.schema:form_schema_invalid']);
    expect((refs.json() as Problem).errors![1]!.message).toMatch(/^表单 JSON Schema 无效：.*no-such-format/);
  });

  it('saves drafts with lockVersion: a stale save and the loser of two concurrent saves get 409', async () => {
    const { implementationCode } = await createItem();
    const save = (session: Session, name: string, lockVersion: number) =>
      as(platform.app, session, { method: 'PUT', url: versionUrl(implementationCode, 1), payload: { content: sampleContent({ name }), lockVersion } });
    const [one, two] = await Promise.all([save(catalog, '甲的版本', 1), save(catalog2, '乙的版本', 1)]);
    expect([one.statusCode, two.statusCode].sort()).toEqual([200, 409]);
    const loser = one.statusCode === 409 ? one : two;
    expect(loser.json()).toMatchObject({ code: 'conflict', title: '数据已被他人修改，请刷新后重试' });
    const after = await save(catalog, '再改', 2);
    expect(after.json()).toMatchObject({ lockVersion: 3 });
    expect((await save(catalog, '过期', 2)).statusCode).toBe(409);
  });

  it('shows publish readiness on a version and refuses publishing with every problem', async () => {
    const { implementationCode } = await createItem(sampleContent({ legalBasis: [], materials: [] }));
    const version = await as(platform.app, catalog, { method: 'GET', url: versionUrl(implementationCode, 1) });
    expect(version.statusCode).toBe(200);
    expect(version.json()).toMatchObject({
      version: 1,
      status: 'draft',
      lockVersion: 1,
      content: { name: sampleContent().name },
      problems: [
        { field: 'content.legalBasis', code: 'element_required', message: '十统一要素“设定依据”不能为空' },
        { field: 'content.materials', code: 'element_required', message: '十统一要素“申请材料”不能为空' },
      ],
    });
    await as(platform.app, catalog, { method: 'POST', url: `${versionUrl(implementationCode, 1)}/submit`, payload: { lockVersion: 1 } });
    const refused = await as(platform.app, catalog2, { method: 'POST', url: `${versionUrl(implementationCode, 1)}/publish`, payload: {}, headers: { 'accept-language': 'en' } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'publish_refused',
      title: 'Cannot publish: 2 problems to fix',
      errors: [
        { field: 'content.legalBasis', code: 'element_required', message: 'The unified element “legal basis” must not be empty' },
        { field: 'content.materials', code: 'element_required', message: 'The unified element “materials” must not be empty' },
      ],
    });
    const returned = await as(platform.app, catalog2, { method: 'POST', url: `${versionUrl(implementationCode, 1)}/return`, payload: { comment: '请补充设定依据和申请材料' } });
    expect(returned.json()).toMatchObject({ status: 'draft' });
    const edit = await as(platform.app, catalog, { method: 'PUT', url: versionUrl(implementationCode, 1), payload: { content: sampleContent(), lockVersion: 3 } });
    expect(edit.statusCode, edit.body).toBe(200);
  });

  it('dates a publication, copies a new draft, diffs versions and withdraws', async () => {
    const { implementationCode } = await createItem();
    await as(platform.app, catalog, { method: 'POST', url: `${versionUrl(implementationCode, 1)}/submit`, payload: { lockVersion: 1 } });
    const past = await as(platform.app, catalog2, { method: 'POST', url: `${versionUrl(implementationCode, 1)}/publish`, payload: { effectiveFrom: '2020-01-01' } });
    expect(past.statusCode).toBe(400);
    expect((past.json() as Problem).errors![0]).toMatchObject({ field: 'effectiveFrom', code: 'effective_from_in_past' });
    expect((await as(platform.app, catalog2, { method: 'POST', url: `${versionUrl(implementationCode, 1)}/publish`, payload: { effectiveFrom: '1 May' } })).statusCode).toBe(400);
    expect((await as(platform.app, catalog2, { method: 'POST', url: `${versionUrl(implementationCode, 1)}/publish`, payload: {} })).statusCode).toBe(200);

    const draft = await as(platform.app, catalog, { method: 'POST', url: `${ITEMS}/${implementationCode}/versions` });
    expect(draft.statusCode).toBe(201);
    expect(draft.json()).toMatchObject({ version: 2, status: 'draft' });
    const twice = await as(platform.app, catalog, { method: 'POST', url: `${ITEMS}/${implementationCode}/versions` });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'open_version_exists', title: expect.stringContaining('版本 2') });
    await as(platform.app, catalog, { method: 'PUT', url: versionUrl(implementationCode, 2), payload: { content: sampleContent({ enquiryPhone: '0755-88888888' }), lockVersion: 1 } });
    const diff = await as(platform.app, catalog, { method: 'GET', url: `${ITEMS}/${implementationCode}/diff?from=1&to=2` });
    expect(diff.json()).toEqual({ from: 1, to: 2, changes: [{ path: 'enquiryPhone', kind: 'changed', before: '0755-12345', after: '0755-88888888' }] });

    const editPublished = await as(platform.app, catalog, { method: 'PUT', url: versionUrl(implementationCode, 1), payload: { content: sampleContent(), lockVersion: 3 } });
    expect(editPublished.statusCode).toBe(422);
    expect(editPublished.json()).toMatchObject({ code: 'version_not_editable', title: '该版本状态为“已发布”，只有草稿可以修改或提交' });

    const withdrawn = await as(platform.app, catalog2, { method: 'POST', url: `${versionUrl(implementationCode, 1)}/withdraw`, payload: { reason: '事项调整' } });
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn' });
    expect((await as(platform.app, catalog, { method: 'GET', url: `${ITEMS}/${implementationCode}` })).json()).toMatchObject({ currentVersion: null });
  });

  it('refuses a malformed implementation code or version in the path', async () => {
    expect((await as(platform.app, catalog, { method: 'GET', url: `${ITEMS}/not-a-code` })).statusCode).toBe(400);
    expect((await as(platform.app, catalog, { method: 'GET', url: `${ITEMS}/${'1'.repeat(31)}/versions/0` })).statusCode).toBe(400);
    const unknown = await as(platform.app, catalog, { method: 'GET', url: `${ITEMS}/${'1'.repeat(31)}` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'item_not_found' });
  });

  it('lets the system admin author items of any department', async () => {
    const departments = await platform.services.org.listDepartments();
    const police = departments.find((d) => d.name === '深圳市公安局')!;
    const res = await as(platform.app, admin, { method: 'POST', url: ITEMS, payload: { departmentId: police.id, exerciseLevel: 3, basicCode: testBasicCode(), content: sampleContent() } });
    expect(res.statusCode, res.body).toBe(201);
    const code = (res.json() as { implementationCode: string }).implementationCode;
    expect(code.startsWith(police.creditCode)).toBe(true);
    expect((await as(platform.app, catalog, { method: 'GET', url: `${ITEMS}/${code}` })).statusCode).toBe(404);
    expect((await as(platform.app, admin, { method: 'GET', url: `${ITEMS}/${code}` })).statusCode).toBe(200);
  });
});

describe('lists and synonyms over HTTP', () => {
  it('publishes a retained proof with four eyes and keeps published entries unchanged', async () => {
    const input = { code: 'ZM-ROUTE-001', name: '亲属关系证明', legalBasis: '《某某条例》第十条', requestingUnit: '深圳市市场监督管理局', issuingUnit: '户籍所在地派出所', guide: '到派出所开具' };
    const created = await as(platform.app, catalog, { method: 'POST', url: '/api/v1/admin/catalog/proofs', payload: input });
    expect(created.statusCode, created.body).toBe(201);
    const proof = created.json() as { id: string; status: string };
    expect(proof.status).toBe('draft');
    expect((await as(platform.app, catalog, { method: 'POST', url: `/api/v1/admin/catalog/proofs/${proof.id}/publish` })).json()).toMatchObject({ code: 'same_person_cannot_publish' });
    expect((await as(platform.app, catalog2, { method: 'POST', url: `/api/v1/admin/catalog/proofs/${proof.id}/publish` })).json()).toMatchObject({ status: 'published' });
    const edit = await as(platform.app, catalog, { method: 'PUT', url: `/api/v1/admin/catalog/proofs/${proof.id}`, payload: { ...input, guide: '改' } });
    expect(edit.statusCode).toBe(422);
    expect(edit.json()).toMatchObject({ code: 'entry_not_editable' });
    const listed = (await as(platform.app, catalog, { method: 'GET', url: '/api/v1/admin/catalog/proofs?status=published' })).json() as { items: Array<{ id: string }> };
    expect(listed.items.map((p) => p.id)).toContain(proof.id);
    const dup = await as(platform.app, catalog, { method: 'POST', url: '/api/v1/admin/catalog/proofs', payload: input });
    expect(dup.statusCode).toBe(409);
    const badCode = await as(platform.app, catalog, { method: 'POST', url: '/api/v1/admin/catalog/proofs', payload: { ...input, code: '含 空格' } });
    expect((badCode.json() as Problem).errors![0]!.field).toBe('code');
  });

  it('publishes an intermediary service and withdraws it', async () => {
    const created = await as(platform.app, admin, { method: 'POST', url: '/api/v1/admin/catalog/intermediaries', payload: { code: 'ZJ-ROUTE-001', name: '房地产估价', legalBasis: '《城市房地产管理法》', feeStandard: '市场调节价' } });
    expect(created.statusCode, created.body).toBe(201);
    const entry = created.json() as { id: string };
    expect(created.json()).toMatchObject({ providerRequirements: null, updatedBy: admin.user.id });
    expect((await as(platform.app, catalog, { method: 'POST', url: `/api/v1/admin/catalog/intermediaries/${entry.id}/publish` })).json()).toMatchObject({ status: 'published' });
    expect((await as(platform.app, catalog, { method: 'POST', url: `/api/v1/admin/catalog/intermediaries/${entry.id}/withdraw` })).json()).toMatchObject({ status: 'withdrawn' });
    const edited = await as(platform.app, catalog, { method: 'PUT', url: `/api/v1/admin/catalog/intermediaries/${entry.id}`, payload: { code: 'ZJ-ROUTE-001', name: '房地产估价', legalBasis: '《城市房地产管理法》', feeStandard: '政府指导价' } });
    expect(edited.json()).toMatchObject({ status: 'draft', feeStandard: '政府指导价' });
    const all = (await as(platform.app, catalog, { method: 'GET', url: '/api/v1/admin/catalog/intermediaries' })).json() as { items: Array<{ id: string; status: string }> };
    expect(all.items.find((i) => i.id === entry.id)?.status).toBe('draft');
  });

  it('replaces the synonyms', async () => {
    const put = await as(platform.app, catalog, { method: 'PUT', url: '/api/v1/admin/catalog/synonyms', payload: { entries: [{ term: '开公司', expansions: ['企业开办', '设立登记'] }] } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({ entries: [{ term: '开公司', expansions: ['企业开办', '设立登记'] }] });
    expect((await as(platform.app, catalog2, { method: 'GET', url: '/api/v1/admin/catalog/synonyms' })).json()).toEqual(put.json());
    const bad = await as(platform.app, catalog, { method: 'PUT', url: '/api/v1/admin/catalog/synonyms', payload: { entries: [{ term: 'a', expansions: ['b'] }, { term: 'a', expansions: ['c'] }] } });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as Problem).errors).toEqual([{ field: 'entries[1].term', code: 'duplicate_term', message: '词条“a”重复' }]);
  });
});
