import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { sampleContent, staffPrincipal, testBasicCode } from '../../../test/catalog-fixtures.js';
import type { AuditActor } from '../../platform/audit/audit.js';
import type { StaffPrincipal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/http/errors.js';
import { addDays } from '../../platform/time.js';
import { CatalogService } from './service.js';
import type { ItemContent, ProofInput } from './schemas.js';
import * as store from './store.js';

let platform: TestPlatform;
let catalog: CatalogService;
/** The service's clock: tests move it to see dates take effect. */
const clock = { now: new Date('2027-03-01T02:00:00Z') };
const TODAY = '2027-03-01';

let market: { id: string; creditCode: string };
let other: { id: string; creditCode: string };
let A: StaffPrincipal; // catalog admin, 市场监督管理局
let B: StaffPrincipal; // a second catalog admin of the same department
let X: StaffPrincipal; // catalog admin of another department
let S: StaffPrincipal; // system admin
let approver: StaffPrincipal;

const actorOf = (p: StaffPrincipal): AuditActor => ({ id: p.userId, kind: 'staff', ip: '127.0.0.1' });
const SYSTEM: AuditActor = { id: null, kind: 'system', ip: null };

beforeAll(async () => {
  platform = await createTestPlatform();
  catalog = new CatalogService(platform.database.db, platform.services.org, () => clock.now);
  const departments = await platform.services.org.listDepartments();
  const find = (name: string) => {
    const d = departments.find((x) => x.name === name)!;
    return { id: d.id, creditCode: d.creditCode };
  };
  market = find('深圳市市场监督管理局');
  other = find('深圳市政务服务数据管理局');
  A = staffPrincipal('test-user-a', ['catalog_admin'], market.id);
  B = staffPrincipal('test-user-b', ['catalog_admin'], market.id);
  X = staffPrincipal('test-user-x', ['catalog_admin'], other.id);
  S = staffPrincipal('test-user-s', ['system_admin'], other.id);
  approver = staffPrincipal('test-user-p', ['approver'], market.id);
});
afterAll(() => platform.close());

/** Runs `fn` and returns the AppError it throws (fails the test if it does not). */
async function refusal(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const fieldsOf = (error: AppError) => error.fieldErrors.map((e) => `${e.field}:${e.code}`);

async function newItem(content: ItemContent = sampleContent(), by: StaffPrincipal = A, departmentId = market.id) {
  return catalog.createItem(actorOf(by), by, { departmentId, exerciseLevel: 3, basicCode: testBasicCode(), content });
}

/** Submits as A and publishes as B. */
async function publishVersion(code: string, version: number, lockVersion: number, effectiveFrom?: string) {
  await catalog.submit(actorOf(A), A, code, version, { lockVersion });
  return catalog.publish(actorOf(B), B, code, version, effectiveFrom ? { effectiveFrom } : {});
}

async function publishedItem(content: ItemContent = sampleContent()) {
  const created = await newItem(content);
  await publishVersion(created.implementationCode, 1, created.lockVersion);
  return created.implementationCode;
}

async function auditActions(targetId: string): Promise<string[]> {
  const rows = await platform.database.db.selectFrom('audit_log').select('action').where('target_id', '=', targetId).orderBy('id').execute();
  return rows.map((r) => r.action);
}

const proofInput = (overrides: Partial<ProofInput> = {}): ProofInput => ({
  code: `ZM-T-${Math.random().toString(36).slice(2, 10)}`,
  name: '无犯罪记录证明',
  legalBasis: '《公安机关办理无犯罪记录证明工作规定》',
  requestingUnit: '深圳市市场监督管理局',
  issuingUnit: '户籍所在地派出所',
  guide: '向户籍所在地派出所申请开具。',
  ...overrides,
});

describe('identity of an item', () => {
  it('builds the implementation code from credit code, exercise level and basic code', async () => {
    const basicCode = testBasicCode();
    const created = await catalog.createItem(actorOf(A), A, { departmentId: market.id, exerciseLevel: 3, basicCode, content: sampleContent() });
    expect(created).toEqual({ implementationCode: `${market.creditCode}3${basicCode}`, version: 1, status: 'draft', lockVersion: 1, effectiveFrom: null });
    expect(created.implementationCode).toHaveLength(31);
    const item = await catalog.getItem(A, created.implementationCode);
    expect(item).toMatchObject({ basicCode, exerciseLevel: 3, departmentId: market.id, departmentName: '深圳市市场监督管理局', currentVersion: null });
    expect(item.versions).toHaveLength(1);
    expect(item.versions[0]).toMatchObject({ version: 1, status: 'draft', createdBy: A.userId, updatedBy: A.userId });
    expect(await auditActions(created.implementationCode)).toEqual(['catalog.item.created']);
  });

  it('refuses a bad basic code and exercise level, and wrong content, all in one answer', async () => {
    const error = await refusal(() =>
      catalog.createItem(actorOf(A), A, { departmentId: market.id, exerciseLevel: 7, basicCode: 'abc', content: sampleContent({ promisedDays: 30, legalDays: 20 }) }),
    );
    expect(error.status).toBe(400);
    expect(fieldsOf(error)).toEqual(expect.arrayContaining(['exerciseLevel:invalid_exercise_level', 'basicCode:invalid_basic_code', 'content.promisedDays:promised_exceeds_legal']));
    for (const bad of ['ZT000000001', 'ZT00000000001', 'zt0000000001', 'ZT00000000-1', 'ＺT0000000001']) {
      const e = await refusal(() => catalog.createItem(actorOf(A), A, { departmentId: market.id, exerciseLevel: 3, basicCode: bad, content: sampleContent() }));
      expect(fieldsOf(e), bad).toEqual(['basicCode:invalid_basic_code']);
    }
  });

  it('refuses an unknown department as a field error, and a second item with the same code as 409', async () => {
    const unknown = await refusal(() => catalog.createItem(SYSTEM, null, { departmentId: '00000000-0000-4000-8000-000000000000', exerciseLevel: 3, basicCode: testBasicCode(), content: sampleContent() }));
    expect(fieldsOf(unknown)).toEqual(['departmentId:unknown_department']);
    const basicCode = testBasicCode();
    await catalog.createItem(actorOf(A), A, { departmentId: market.id, exerciseLevel: 3, basicCode, content: sampleContent() });
    const again = await refusal(() => catalog.createItem(actorOf(A), A, { departmentId: market.id, exerciseLevel: 3, basicCode, content: sampleContent() }));
    expect(again.status).toBe(409);
    expect(again.code).toBe('item_exists');
    // the same basic code at another level is another implementation code
    const level4 = await catalog.createItem(actorOf(A), A, { departmentId: market.id, exerciseLevel: 4, basicCode, content: sampleContent() });
    expect(level4.implementationCode).toBe(`${market.creditCode}4${basicCode}`);
  });

  it('keeps a catalog admin inside the own department and lets the system admin everywhere', async () => {
    const outside = await refusal(() => newItem(sampleContent(), X, market.id));
    expect(outside.status).toBe(404);
    const { implementationCode } = await newItem();
    for (const call of [
      () => catalog.getItem(X, implementationCode),
      () => catalog.getVersion(X, implementationCode, 1),
      () => catalog.saveDraft(actorOf(X), X, implementationCode, 1, { content: sampleContent(), lockVersion: 1 }),
      () => catalog.submit(actorOf(X), X, implementationCode, 1, { lockVersion: 1 }),
      () => catalog.diff(X, implementationCode, 1, 1),
      () => catalog.newDraftFrom(actorOf(X), X, implementationCode),
    ]) {
      const e = await refusal(call);
      expect(e.status).toBe(404);
      expect(e.code).toBe('item_not_found');
    }
    expect((await catalog.getItem(S, implementationCode)).implementationCode).toBe(implementationCode);
    expect((await newItem(sampleContent(), S, market.id)).status).toBe('draft');
    // another role is refused outright, whatever the department
    expect((await refusal(() => catalog.getItem(approver, implementationCode))).status).toBe(403);
    expect((await refusal(() => newItem(sampleContent(), approver))).status).toBe(403);
  });

  it('refuses another department\'s catalog admin the review steps too (404), and leaves the version as it was', async () => {
    const { implementationCode, lockVersion } = await newItem();
    const submitted = await catalog.submit(actorOf(A), A, implementationCode, 1, { lockVersion });
    for (const call of [
      () => catalog.publish(actorOf(X), X, implementationCode, 1),
      () => catalog.returnToDraft(actorOf(X), X, implementationCode, 1, { comment: '请补充材料' }),
    ]) {
      expect(await refusal(call)).toMatchObject({ status: 404, code: 'item_not_found' });
    }
    expect(await catalog.getVersion(A, implementationCode, 1)).toMatchObject({ status: 'in_review', lockVersion: submitted.lockVersion });
    await catalog.publish(actorOf(B), B, implementationCode, 1);
    expect(await refusal(() => catalog.withdraw(actorOf(X), X, implementationCode, 1, { reason: '停止实施' }))).toMatchObject({ status: 404, code: 'item_not_found' });
    expect((await catalog.getVersion(A, implementationCode, 1)).status).toBe('published');
    expect(await auditActions(implementationCode)).toEqual(['catalog.item.created', 'catalog.version.submitted', 'catalog.version.published']);
  });

  it('answers 404 for an unknown or malformed code and an unknown version', async () => {
    expect((await refusal(() => catalog.getItem(A, 'NOPE'))).code).toBe('item_not_found');
    expect((await refusal(() => catalog.getItem(A, `${market.creditCode}3ZZZZZZZZZZZZ`))).code).toBe('item_not_found');
    const { implementationCode } = await newItem();
    expect((await refusal(() => catalog.getVersion(A, implementationCode, 9))).code).toBe('version_not_found');
  });
});

describe('saving drafts', () => {
  it('saves with the lockVersion read and moves it on; a stale one is 409', async () => {
    const { implementationCode, lockVersion } = await newItem();
    const saved = await catalog.saveDraft(actorOf(A), A, implementationCode, 1, { content: sampleContent({ name: '改过的名称' }), lockVersion });
    expect(saved).toMatchObject({ version: 1, status: 'draft', lockVersion: lockVersion + 1 });
    const stale = await refusal(() => catalog.saveDraft(actorOf(B), B, implementationCode, 1, { content: sampleContent({ name: '另一人改的' }), lockVersion }));
    expect(stale.status).toBe(409);
    expect(stale.code).toBe('conflict');
    const version = await catalog.getVersion(A, implementationCode, 1);
    expect(version.content.name).toBe('改过的名称');
    expect(version.name).toBe('改过的名称');
  });

  it('lets exactly one of two concurrent saves of the same draft win', async () => {
    const { implementationCode, lockVersion } = await newItem();
    const results = await Promise.allSettled([
      catalog.saveDraft(actorOf(A), A, implementationCode, 1, { content: sampleContent({ name: '甲的修改' }), lockVersion }),
      catalog.saveDraft(actorOf(B), B, implementationCode, 1, { content: sampleContent({ name: '乙的修改' }), lockVersion }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(AppError);
    expect((lost[0]!.reason as AppError).status).toBe(409);
    const winner = (won[0] as PromiseFulfilledResult<{ lockVersion: number }>).value;
    const stored = await catalog.getVersion(A, implementationCode, 1);
    expect(stored.lockVersion).toBe(winner.lockVersion);
    expect(['甲的修改', '乙的修改']).toContain(stored.content.name);
    expect((await auditActions(implementationCode)).filter((a) => a === 'catalog.version.saved')).toHaveLength(1);
  });

  it('refuses wrong content with a field error for every problem, and changes nothing', async () => {
    const { implementationCode, lockVersion } = await newItem();
    const content = sampleContent({
      legalDays: 5,
      promisedDays: 7,
      materials: [
        { id: 'a', name: '申请书', source: 'applicant', requirement: 'required', paperCopies: 1, originals: 0, proofId: '11111111-1111-4111-8111-111111111111' },
        { id: 'a', name: '重复标识', source: 'applicant', requirement: 'required', paperCopies: 1, originals: 0 },
      ],
      intermediaryServiceIds: ['22222222-2222-4222-8222-222222222222'],
      hallIds: ['33333333-3333-4333-8333-333333333333'],
      fees: { free: true, items: [{ name: '工本费', amountFen: 500, basis: '某文件' }] },
      form: {
        schema: { type: 'object', properties: { a: { type: 'strnig' } } },
        ui: { order: ['a', 'ghost'], fields: { a: { widget: 'text', label: 'A', visibleWhen: { field: 'nobody', equals: 1 } }, stray: { widget: 'text', label: 'S' } } },
      },
    });
    const error = await refusal(() => catalog.saveDraft(actorOf(A), A, implementationCode, 1, { content, lockVersion }));
    expect(error.status).toBe(400);
    expect(error.code).toBe('validation_failed');
    expect(fieldsOf(error).sort()).toEqual(
      [
        'content.promisedDays:promised_exceeds_legal',
        'content.procedure:procedure_exceeds_promised',
        'content.materials[0].proofId:unknown_proof',
        'content.materials[1].id:duplicate_material_id',
        'content.intermediaryServiceIds[0]:unknown_intermediary',
        'content.hallIds[0]:unknown_hall',
        'content.fees.items:free_with_fee_items',
        'content.form.schema:form_schema_invalid',
        'content.form.ui.order[1]:form_order_unknown_field',
        'content.form.ui.fields.a.visibleWhen.field:form_visible_when_unknown_field',
        'content.form.ui.fields.stray:form_hint_unknown_field',
      ].sort(),
    );
    expect((await catalog.getVersion(A, implementationCode, 1)).lockVersion).toBe(lockVersion);
  });

  it('saves an incomplete draft, and shows what publishing would refuse as problems', async () => {
    const { implementationCode, lockVersion } = await newItem();
    await catalog.saveDraft(actorOf(A), A, implementationCode, 1, {
      content: sampleContent({ legalBasis: [], materials: [], procedure: [], fees: { free: false, items: [] } }),
      lockVersion,
    });
    const version = await catalog.getVersion(A, implementationCode, 1);
    expect(version.problems.map((p) => `${p.field}:${p.code}`).sort()).toEqual(
      ['content.legalBasis:element_required', 'content.materials:element_required', 'content.procedure:element_required', 'content.fees.items:fee_items_required'].sort(),
    );
    expect((await catalog.getVersion(A, (await newItem()).implementationCode, 1)).problems).toEqual([]);
  });
});

describe('the lifecycle', () => {
  it('goes draft → in review → published, by two people', async () => {
    const { implementationCode, lockVersion } = await newItem();
    const submitted = await catalog.submit(actorOf(A), A, implementationCode, 1, { lockVersion });
    expect(submitted).toMatchObject({ status: 'in_review', lockVersion: lockVersion + 1 });
    // in review, the content is frozen
    const frozen = await refusal(() => catalog.saveDraft(actorOf(A), A, implementationCode, 1, { content: sampleContent(), lockVersion: submitted.lockVersion }));
    expect(frozen.status).toBe(422);
    expect(frozen.code).toBe('version_not_editable');
    // the submitter may not publish
    const same = await refusal(() => catalog.publish(actorOf(A), A, implementationCode, 1));
    expect(same.status).toBe(403);
    expect(same.code).toBe('same_person_cannot_publish');
    const published = await catalog.publish(actorOf(B), B, implementationCode, 1);
    expect(published).toMatchObject({ status: 'published', effectiveFrom: TODAY });
    const item = await catalog.getItem(A, implementationCode);
    expect(item.currentVersion).toBe(1);
    expect(item.versions[0]).toMatchObject({ submittedBy: A.userId, publishedBy: B.userId, effectiveFrom: TODAY, publishedAt: clock.now.toISOString() });
    expect(await auditActions(implementationCode)).toEqual(['catalog.item.created', 'catalog.version.submitted', 'catalog.version.published']);
  });

  it('lets exactly one of two admins publishing the same version at once succeed', async () => {
    const { implementationCode, lockVersion } = await newItem();
    await catalog.submit(actorOf(A), A, implementationCode, 1, { lockVersion });
    const results = await Promise.allSettled([
      catalog.publish(actorOf(B), B, implementationCode, 1),
      catalog.publish(actorOf(S), S, implementationCode, 1),
    ]);
    const won = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<CatalogService['publish']>>> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(AppError);
    expect(lost[0]!.reason).toMatchObject({ status: 422, code: 'version_not_in_review' });
    const winner = results[0]!.status === 'fulfilled' ? B : S;
    const item = await catalog.getItem(A, implementationCode);
    expect(item.currentVersion).toBe(1);
    expect(item.versions).toEqual([expect.objectContaining({ version: 1, status: 'published', publishedBy: winner.userId })]);
    expect((await auditActions(implementationCode)).filter((a) => a === 'catalog.version.published')).toHaveLength(1);
  });

  it('refuses publishing to the last editor even when someone else submitted', async () => {
    const { implementationCode, lockVersion } = await newItem(sampleContent(), A);
    const saved = await catalog.saveDraft(actorOf(B), B, implementationCode, 1, { content: sampleContent({ name: '乙编辑' }), lockVersion });
    await catalog.submit(actorOf(A), A, implementationCode, 1, { lockVersion: saved.lockVersion });
    expect((await refusal(() => catalog.publish(actorOf(B), B, implementationCode, 1))).code).toBe('same_person_cannot_publish');
    expect((await refusal(() => catalog.publish(actorOf(A), A, implementationCode, 1))).code).toBe('same_person_cannot_publish');
    expect((await catalog.publish(actorOf(S), S, implementationCode, 1)).status).toBe('published');
  });

  it('lets the system actor (demo seed) publish its own draft, but still validates', async () => {
    const created = await catalog.createItem(SYSTEM, null, { departmentId: market.id, exerciseLevel: 3, basicCode: testBasicCode(), content: sampleContent() });
    await catalog.submit(SYSTEM, null, created.implementationCode, 1, { lockVersion: created.lockVersion });
    expect((await catalog.publish(SYSTEM, null, created.implementationCode, 1)).status).toBe('published');
    const incomplete = await catalog.createItem(SYSTEM, null, { departmentId: market.id, exerciseLevel: 3, basicCode: testBasicCode(), content: sampleContent({ materials: [] }) });
    await catalog.submit(SYSTEM, null, incomplete.implementationCode, 1, { lockVersion: incomplete.lockVersion });
    const refused = await refusal(() => catalog.publish(SYSTEM, null, incomplete.implementationCode, 1));
    expect(refused.code).toBe('publish_refused');
    const wrong = await refusal(() => catalog.createItem(SYSTEM, null, { departmentId: market.id, exerciseLevel: 3, basicCode: 'bad', content: sampleContent() }));
    expect(wrong.status).toBe(400);
  });

  it('returns a version in review to draft with a comment, and it can be resubmitted', async () => {
    const { implementationCode, lockVersion } = await newItem();
    await catalog.submit(actorOf(A), A, implementationCode, 1, { lockVersion });
    const returned = await catalog.returnToDraft(actorOf(B), B, implementationCode, 1, { comment: '请补充设定依据条款' });
    expect(returned.status).toBe('draft');
    expect((await catalog.getVersion(A, implementationCode, 1)).reviewComment).toBe('请补充设定依据条款');
    const again = await catalog.submit(actorOf(A), A, implementationCode, 1, { lockVersion: returned.lockVersion });
    expect(again.status).toBe('in_review');
    expect((await catalog.getVersion(A, implementationCode, 1)).reviewComment).toBeNull();
    // a draft cannot be returned, published or withdrawn
    const draft = await newItem();
    expect((await refusal(() => catalog.returnToDraft(actorOf(B), B, draft.implementationCode, 1, { comment: 'x' }))).code).toBe('version_not_in_review');
    expect((await refusal(() => catalog.publish(actorOf(B), B, draft.implementationCode, 1))).code).toBe('version_not_in_review');
    expect((await refusal(() => catalog.withdraw(actorOf(B), B, draft.implementationCode, 1, { reason: 'x' }))).code).toBe('version_not_published');
    expect((await refusal(() => catalog.submit(actorOf(A), A, implementationCode, 1, { lockVersion: again.lockVersion }))).code).toBe('version_not_editable');
  });

  it('refuses publishing with every problem listed at once', async () => {
    const { implementationCode, lockVersion } = await newItem(
      sampleContent({
        legalBasis: [],
        materials: [{ id: 'cert', name: '居住证明', source: 'issuing_body', requirement: 'required', paperCopies: 1, originals: 1 }],
        caseKind: '1',
        promisedDays: 0,
        procedure: [{ name: '受理', role: 'window_clerk', days: 0 }],
        handling: { immediate: false, online: true, nearby: true, oneVisit: true },
        handlingForms: ['1'],
        onlineDepth: 2,
        visitsRequired: 2,
        fees: { free: false, items: [] },
        form: { schema: { type: 'object', properties: { a: { type: 'string' } } }, ui: { order: [], fields: {} } },
      }),
    );
    await catalog.submit(actorOf(A), A, implementationCode, 1, { lockVersion });
    const error = await refusal(() => catalog.publish(actorOf(B), B, implementationCode, 1));
    expect(error.status).toBe(422);
    expect(error.code).toBe('publish_refused');
    expect(fieldsOf(error).sort()).toEqual(
      [
        'content.legalBasis:element_required',
        'content.handling.immediate:immediate_mismatch',
        'content.materials[0].proofId:proof_required',
        'content.fees.items:fee_items_required',
        'content.handlingForms:online_requires_online_form',
        'content.onlineDepth:online_requires_depth',
        'content.visitsRequired:one_visit_requires_visits',
        'content.hallIds:nearby_requires_hall',
        'content.form.ui.fields.a:form_field_missing_hint',
      ].sort(),
    );
    expect(error.params.count).toBe(9);
    // the same list is the version's readiness
    expect((await catalog.getVersion(A, implementationCode, 1)).problems.map((p) => `${p.field}:${p.code}`).sort()).toEqual(fieldsOf(error).sort());
    expect((await catalog.getItem(A, implementationCode)).versions[0]!.status).toBe('in_review');
  });

  it('withdraws a published version: the item has no current version any more', async () => {
    const code = await publishedItem();
    expect(fieldsOf(await refusal(() => catalog.withdraw(actorOf(A), A, code, 1, { reason: '  ' })))).toEqual(['reason:required']);
    const withdrawn = await catalog.withdraw(actorOf(A), A, code, 1, { reason: '事项已取消' });
    expect(withdrawn.status).toBe('withdrawn');
    const item = await catalog.getItem(A, code);
    expect(item.currentVersion).toBeNull();
    expect(item.versions[0]).toMatchObject({ status: 'withdrawn', withdrawnBy: A.userId, reviewComment: '事项已取消' });
    expect((await refusal(() => catalog.withdraw(actorOf(A), A, code, 1, { reason: 'again' }))).code).toBe('version_not_published');
  });
});

describe('published content is immutable', () => {
  it('refuses saving a published version, in the service and in the database', async () => {
    const code = await publishedItem();
    const version = await catalog.getVersion(A, code, 1);
    const refused = await refusal(() => catalog.saveDraft(actorOf(A), A, code, 1, { content: sampleContent({ name: '篡改' }), lockVersion: version.lockVersion }));
    expect(refused.code).toBe('version_not_editable');
    const db = platform.database.db;
    const item = await store.findItem(db, code);
    // below the application: the trigger refuses a content change of a published version
    await expect(
      sql`UPDATE catalog_item_versions SET content = jsonb_set(content, '{name}', '"篡改"') WHERE item_id = ${item!.id} AND version = 1`.execute(db),
    ).rejects.toThrow(/immutable/);
    // … while its status may still move on (superseded, withdrawn)
    await sql`UPDATE catalog_item_versions SET review_comment = 'ok' WHERE item_id = ${item!.id} AND version = 1`.execute(db);
    expect((await catalog.getVersion(A, code, 1)).content.name).toBe(sampleContent().name);
  });
});

describe('new versions, effective dates and superseding', () => {
  it('copies the published version into a new draft, one open version at a time', async () => {
    const code = await publishedItem();
    const draft = await catalog.newDraftFrom(actorOf(A), A, code);
    expect(draft).toMatchObject({ version: 2, status: 'draft', lockVersion: 1 });
    expect((await catalog.getVersion(A, code, 2)).content).toEqual((await catalog.getVersion(A, code, 1)).content);
    const second = await refusal(() => catalog.newDraftFrom(actorOf(B), B, code));
    expect(second.status).toBe(409);
    expect(second.code).toBe('open_version_exists');
    // a brand-new item has nothing published to copy, and its draft is open anyway
    expect((await refusal(async () => catalog.newDraftFrom(actorOf(A), A, (await newItem()).implementationCode))).code).toBe('open_version_exists');
  });

  it('lets only one of two concurrent new drafts through', async () => {
    const code = await publishedItem();
    const results = await Promise.allSettled([catalog.newDraftFrom(actorOf(A), A, code), catalog.newDraftFrom(actorOf(B), B, code)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect((lost.reason as AppError).status).toBe(409);
    expect((await catalog.getItem(A, code)).versions.map((v) => v.status)).toEqual(['published', 'draft']);
  });

  it('supersedes the old version at once when the new one is effective today', async () => {
    const code = await publishedItem();
    const draft = await catalog.newDraftFrom(actorOf(A), A, code);
    const saved = await catalog.saveDraft(actorOf(A), A, code, 2, { content: sampleContent({ promisedDays: 8 }), lockVersion: draft.lockVersion });
    await publishVersion(code, 2, saved.lockVersion);
    const item = await catalog.getItem(A, code);
    expect(item.currentVersion).toBe(2);
    expect(item.versions.map((v) => v.status)).toEqual(['superseded', 'published']);
    // every version stays readable by number
    expect((await catalog.getVersion(A, code, 1)).content.promisedDays).toBe(10);
  });

  it('keeps the old version current until a future-dated version takes effect', async () => {
    const start = clock.now;
    try {
      const code = await publishedItem();
      const draft = await catalog.newDraftFrom(actorOf(A), A, code);
      const saved = await catalog.saveDraft(actorOf(A), A, code, 2, { content: sampleContent({ name: '新版名称' }), lockVersion: draft.lockVersion });
      const effectiveFrom = addDays(TODAY, 7);
      const published = await publishVersion(code, 2, saved.lockVersion, effectiveFrom);
      expect(published).toMatchObject({ status: 'published', effectiveFrom });
      let item = await catalog.getItem(A, code);
      expect(item.currentVersion).toBe(1);
      expect(item.versions.map((v) => v.status)).toEqual(['published', 'published']);

      // the day before: still version 1
      clock.now = new Date(`${addDays(TODAY, 6)}T15:59:59Z`); // 23:59:59 in Shanghai
      expect((await catalog.getItem(A, code)).currentVersion).toBe(1);
      // midnight in Shanghai (16:00 UTC the day before): version 2 takes over, version 1 is superseded
      clock.now = new Date(`${addDays(TODAY, 6)}T16:00:00Z`);
      const revisionBefore = await store.revision(platform.database.db);
      item = await catalog.getItem(A, code);
      expect(item.currentVersion).toBe(2);
      expect(item.versions.map((v) => v.status)).toEqual(['superseded', 'published']);
      expect(await store.revision(platform.database.db)).toBeGreaterThan(revisionBefore);
      expect(await catalog.supersedeDue()).toBe(0);
    } finally {
      clock.now = start;
    }
  });

  it('withdraws a scheduled version before it takes effect', async () => {
    const code = await publishedItem();
    const draft = await catalog.newDraftFrom(actorOf(A), A, code);
    await publishVersion(code, 2, draft.lockVersion, addDays(TODAY, 30));
    await catalog.withdraw(actorOf(B), B, code, 2, { reason: '政策调整，暂缓实施' });
    const item = await catalog.getItem(A, code);
    expect(item.currentVersion).toBe(1);
    expect(item.versions.map((v) => v.status)).toEqual(['published', 'withdrawn']);
  });

  it('refuses an effective date in the past or not a date; today is Shanghai\'s', async () => {
    const start = clock.now;
    try {
      const { implementationCode, lockVersion } = await newItem();
      await catalog.submit(actorOf(A), A, implementationCode, 1, { lockVersion });
      const past = await refusal(() => catalog.publish(actorOf(B), B, implementationCode, 1, { effectiveFrom: addDays(TODAY, -1) }));
      expect(fieldsOf(past)).toEqual(['effectiveFrom:effective_from_in_past']);
      expect(past.fieldErrors[0]!.params).toEqual({ today: TODAY });
      expect(fieldsOf(await refusal(() => catalog.publish(actorOf(B), B, implementationCode, 1, { effectiveFrom: '2027-02-30' })))).toEqual(['effectiveFrom:invalid_effective_date']);
      // 00:30 in Shanghai is already the next day, while UTC is still on the previous one
      clock.now = new Date(`${TODAY}T16:30:00Z`);
      const published = await catalog.publish(actorOf(B), B, implementationCode, 1);
      expect(published.effectiveFrom).toBe(addDays(TODAY, 1));
    } finally {
      clock.now = start;
    }
  });
});

describe('diff', () => {
  it('lists changes by path between two versions', async () => {
    const code = await publishedItem();
    const draft = await catalog.newDraftFrom(actorOf(A), A, code);
    const base = sampleContent();
    const changed = sampleContent({
      promisedDays: 9,
      materials: [
        base.materials[0]!,
        { ...base.materials[1]!, name: '营业执照副本' },
        { id: 'lease', name: '经营场所证明', source: 'applicant', requirement: 'deferrable', paperCopies: 1, originals: 0 },
      ],
      keywords: ['食品'],
    });
    await catalog.saveDraft(actorOf(A), A, code, 2, { content: changed, lockVersion: draft.lockVersion });
    const diff = await catalog.diff(A, code, 1, 2);
    expect(diff.changes).toEqual(
      expect.arrayContaining([
        { path: 'promisedDays', kind: 'changed', before: 10, after: 9 },
        { path: 'materials[1].name', kind: 'changed', before: '营业执照', after: '营业执照副本' },
        { path: 'materials[2]', kind: 'added', after: changed.materials[2] },
        { path: 'keywords[1]', kind: 'removed', before: '餐饮' },
      ]),
    );
    expect(diff.changes).toHaveLength(4);
    expect((await catalog.diff(A, code, 2, 2)).changes).toEqual([]);
    expect((await refusal(() => catalog.diff(A, code, 1, 5))).code).toBe('version_not_found');
  });
});

describe('retained proofs and intermediaries', () => {
  it('publishes a proof by someone other than its last editor, and items may then require it', async () => {
    const proof = await catalog.createProof(actorOf(A), A, proofInput());
    expect(proof).toMatchObject({ status: 'draft', updatedBy: A.userId });
    expect((await refusal(() => catalog.publishProof(actorOf(A), A, proof.id))).code).toBe('same_person_cannot_publish');

    // an item requiring the draft proof saves, but does not publish
    const material = { id: 'record', name: '无犯罪记录证明', source: 'issuing_body' as const, requirement: 'required' as const, paperCopies: 0, originals: 1, proofId: proof.id };
    const content = sampleContent({ materials: [...sampleContent().materials, material] });
    const { implementationCode, lockVersion } = await newItem(content);
    await catalog.submit(actorOf(A), A, implementationCode, 1, { lockVersion });
    const refused = await refusal(() => catalog.publish(actorOf(B), B, implementationCode, 1));
    expect(refused.fieldErrors).toEqual([{ field: 'content.materials[2].proofId', code: 'proof_not_published', params: { name: '无犯罪记录证明' } }]);

    const published = await catalog.publishProof(actorOf(B), B, proof.id);
    expect(published.status).toBe('published');
    expect((await catalog.listProofs({ status: 'published' })).map((p) => p.id)).toContain(proof.id);
    expect((await catalog.publish(actorOf(B), B, implementationCode, 1)).status).toBe('published');

    // while a published item requires it, the proof cannot leave the list
    const inUse = await refusal(() => catalog.withdrawProof(actorOf(B), B, proof.id));
    expect(inUse.status).toBe(409);
    expect(inUse.code).toBe('entry_in_use');
    expect(String(inUse.params.items)).toContain(implementationCode);
    expect((await catalog.getProof(proof.id)).status).toBe('published');
    // a published entry is not edited in place
    expect((await refusal(() => catalog.updateProof(actorOf(A), A, proof.id, proofInput({ code: proof.code })))).code).toBe('entry_not_editable');

    await catalog.withdraw(actorOf(A), A, implementationCode, 1, { reason: '取消该证明' });
    expect((await catalog.withdrawProof(actorOf(B), B, proof.id)).status).toBe('withdrawn');
    // editing a withdrawn entry makes it a draft again
    const edited = await catalog.updateProof(actorOf(B), B, proof.id, proofInput({ code: proof.code, guide: '改为告知承诺' }));
    expect(edited).toMatchObject({ status: 'draft', guide: '改为告知承诺', updatedBy: B.userId });
    expect(await auditActions(proof.id)).toEqual(['catalog.proof.created', 'catalog.proof.published', 'catalog.proof.withdrawn', 'catalog.proof.updated']);
  });

  it('refuses a taken code and unknown ids', async () => {
    const first = await catalog.createProof(actorOf(A), A, proofInput());
    expect((await refusal(() => catalog.createProof(actorOf(A), A, proofInput({ code: first.code })))).code).toBe('proof_code_taken');
    const second = await catalog.createProof(actorOf(A), A, proofInput());
    expect((await refusal(() => catalog.updateProof(actorOf(A), A, second.id, proofInput({ code: first.code })))).code).toBe('proof_code_taken');
    expect((await refusal(() => catalog.publishProof(actorOf(B), B, '00000000-0000-4000-8000-000000000000'))).status).toBe(404);
    expect((await refusal(() => catalog.withdrawProof(actorOf(B), B, second.id))).code).toBe('entry_status');
    expect((await refusal(() => catalog.createProof(actorOf(approver), approver, proofInput()))).status).toBe(403);
  });

  it('handles intermediaries the same way', async () => {
    const entry = await catalog.createIntermediary(actorOf(A), A, {
      code: `ZJ-T-${Math.random().toString(36).slice(2, 8)}`,
      name: '环境影响评价文件编制',
      legalBasis: '《中华人民共和国环境影响评价法》',
      feeStandard: '市场调节价',
      providerRequirements: '具备相应技术能力',
    });
    expect(entry).toMatchObject({ status: 'draft', providerRequirements: '具备相应技术能力' });
    const content = sampleContent({ intermediaryServiceIds: [entry.id] });
    const { implementationCode, lockVersion } = await newItem(content);
    await catalog.submit(actorOf(A), A, implementationCode, 1, { lockVersion });
    expect(fieldsOf(await refusal(() => catalog.publish(actorOf(B), B, implementationCode, 1)))).toEqual(['content.intermediaryServiceIds[0]:intermediary_not_published']);
    expect((await refusal(() => catalog.publishIntermediary(actorOf(A), A, entry.id))).code).toBe('same_person_cannot_publish');
    await catalog.publishIntermediary(SYSTEM, null, entry.id);
    await catalog.publish(actorOf(B), B, implementationCode, 1);
    expect((await refusal(() => catalog.withdrawIntermediary(actorOf(B), B, entry.id))).code).toBe('entry_in_use');
    expect((await catalog.listIntermediaries()).find((i) => i.id === entry.id)?.status).toBe('published');
  });

  it('accepts a hall that exists for a nearby item', async () => {
    const halls = await platform.services.org.listHalls();
    const code = await publishedItem(sampleContent({ handling: { immediate: false, online: true, nearby: true, oneVisit: true }, hallIds: [halls[0]!.id] }));
    expect((await catalog.getItem(A, code)).currentVersion).toBe(1);
  });
});

describe('synonyms', () => {
  it('replaces the whole list, trimmed, and refuses duplicates', async () => {
    const saved = await catalog.setSynonyms(actorOf(A), A, [
      { term: ' 营业执照 ', expansions: ['执照', ' 营业执照 ', '工商执照', '执照'] },
      { term: '身份证', expansions: ['居民身份证'] },
    ]);
    expect(saved).toEqual([
      { term: '营业执照', expansions: ['执照', '工商执照'] },
      { term: '身份证', expansions: ['居民身份证'] },
    ].sort((a, b) => (a.term < b.term ? -1 : 1)));
    const duplicate = await refusal(() => catalog.setSynonyms(actorOf(A), A, [{ term: '社保', expansions: ['社会保险'] }, { term: '社保', expansions: ['五险'] }, { term: '医保', expansions: ['医保'] }]));
    expect(fieldsOf(duplicate)).toEqual(['entries[1].term:duplicate_term', 'entries[2].expansions:required']);
    expect(await catalog.listSynonyms()).toEqual(saved);
    expect(await catalog.setSynonyms(actorOf(A), A, [])).toEqual([]);
  });
});

describe('revision and audit', () => {
  it('bumps the catalog revision with every write, in the same transaction', async () => {
    const db = platform.database.db;
    const steps: Array<() => Promise<unknown>> = [];
    let code = '';
    let lock = 0;
    steps.push(async () => {
      const c = await newItem();
      code = c.implementationCode;
      lock = c.lockVersion;
    });
    steps.push(async () => (lock = (await catalog.saveDraft(actorOf(A), A, code, 1, { content: sampleContent({ name: '修订' }), lockVersion: lock })).lockVersion));
    steps.push(() => catalog.submit(actorOf(A), A, code, 1, { lockVersion: lock }));
    steps.push(() => catalog.publish(actorOf(B), B, code, 1));
    steps.push(() => catalog.newDraftFrom(actorOf(A), A, code));
    steps.push(() => catalog.setSynonyms(actorOf(A), A, [{ term: '食品', expansions: ['餐饮'] }]));
    steps.push(() => catalog.createProof(actorOf(A), A, proofInput()));
    for (const step of steps) {
      const before = await store.revision(db);
      await step();
      expect(await store.revision(db)).toBe(before + 1);
    }
    // a refused write moves nothing
    const before = await store.revision(db);
    await refusal(() => catalog.saveDraft(actorOf(A), A, code, 2, { content: sampleContent(), lockVersion: 99 }));
    await refusal(() => catalog.publish(actorOf(B), B, code, 2));
    expect(await store.revision(db)).toBe(before);
  });
});

describe('the admin list', () => {
  it('shows a catalog admin the own department, the system admin everything, with filters and pages', async () => {
    const mine = await newItem(sampleContent({ name: '列表测试甲事项' }));
    const theirs = await newItem(sampleContent({ name: '列表测试乙事项' }), S, other.id);
    const codesFor = async (p: StaffPrincipal, q: Parameters<CatalogService['listAdminItems']>[1]) => (await catalog.listAdminItems(p, { limit: 100, ...q })).items.map((i) => i.implementationCode);
    expect(await codesFor(A, { q: '列表测试' })).toEqual([mine.implementationCode]);
    expect((await codesFor(S, { q: '列表测试' })).sort()).toEqual([mine.implementationCode, theirs.implementationCode].sort());
    expect(await codesFor(S, { q: '列表测试', departmentId: other.id })).toEqual([theirs.implementationCode]);
    expect((await refusal(() => catalog.listAdminItems(A, { departmentId: other.id }))).status).toBe(404);
    expect(await codesFor(A, { q: mine.implementationCode.slice(19) })).toEqual([mine.implementationCode]);
    expect(await codesFor(A, { q: '列表测试', status: 'published' })).toEqual([]);
    const row = (await catalog.listAdminItems(A, { q: '列表测试甲' })).items[0]!;
    expect(row).toMatchObject({ name: '列表测试甲事项', latestVersion: 1, status: 'draft', currentVersion: null, departmentName: '深圳市市场监督管理局', type: '01' });

    // pages: every item of the department once, in code order
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await catalog.listAdminItems(A, { limit: 3, cursor });
      seen.push(...page.items.map((i) => i.implementationCode));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(mine.implementationCode);
    expect(seen).not.toContain(theirs.implementationCode);
    expect((await refusal(() => catalog.listAdminItems(A, { cursor: 'garbage' }))).fieldErrors[0]!.field).toBe('cursor');
  });
});
