/**
 * Importing catalog workbooks against a database: the whole demo catalog round trip, drafts
 * created and updated under the four-eyes rule, all-or-nothing and partial imports, reach, the
 * service's validation placed on cells, and the HTTP routes (export, multipart upload, limits).
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { as, createTestPlatform, login, type Session, type TestPlatform } from '../../../test/harness.js';
import { staffPrincipal } from '../../../test/catalog-fixtures.js';
import { multipartUpload } from '../../../test/catalog-workbook.js';
import { sendEndlessUpload } from '../../../test/file-samples.js';
import { SYSTEM_ACTOR, type AuditActor } from '../../platform/audit/audit.js';
import type { StaffPrincipal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/http/errors.js';
import { DEMO_INTERMEDIARIES, DEMO_ITEMS, DEMO_PROOFS } from './demo/data.js';
import { demoIds, resolveDemoContent } from './demo/resolve.js';
import { parseCatalogWorkbook, writeCatalogWorkbook, type ExchangeItem } from './excel.js';
import { MAX_UPLOAD_BYTES } from './excel-routes.js';
import { CatalogImporter, type ImportReport } from './import.js';
import type { ItemContent } from './schemas.js';
import { insertItems } from './test-fixtures.js';

let platform: TestPlatform;
let importer: CatalogImporter;
let market: { id: string; name: string; creditCode: string };
let health: { id: string; name: string; creditCode: string };
let A: StaffPrincipal; // catalog admin of 市场监督管理局
let S: StaffPrincipal; // system admin
const actorOf = (p: StaffPrincipal): AuditActor => ({ id: p.userId, kind: 'staff', ip: '127.0.0.1' });

/** The published catalog as the export reads it. */
async function published(): Promise<ExchangeItem[]> {
  platform.services.catalogQuery.invalidate();
  return (await platform.services.catalogQuery.exportJson()).items;
}

async function workbookOf(items: ExchangeItem[]): Promise<Buffer> {
  return writeCatalogWorkbook(items, await importer.directory());
}

async function edit(buffer: Buffer, change: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  change(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function setCell(wb: ExcelJS.Workbook, sheet: string, row: number, header: string, value: ExcelJS.CellValue): void {
  const ws = wb.getWorksheet(sheet)!;
  let col = 0;
  ws.getRow(1).eachCell((cell, n) => {
    if (cell.value === header) col = n;
  });
  ws.getRow(row).getCell(col).value = value;
}

/** The 事项 row of an item in a workbook written from `items` (rows follow the list order). */
const rowOf = (items: ExchangeItem[], code: string) => items.findIndex((i) => i.implementationCode === code) + 2;

async function counts() {
  const db = platform.database.db;
  const [items, versions, audit] = await Promise.all([
    db.selectFrom('catalog_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('catalog_item_versions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: Number(items.n), versions: Number(versions.n), audit: Number(audit.n) };
}

let basicSerial = 0;
/** A new item's ExchangeItem in `department`, built from an existing content. */
function newItem(department: { name: string; creditCode: string }, content: ItemContent): ExchangeItem {
  basicSerial += 1;
  const basicCode = `IM${String(basicSerial).padStart(10, '0')}`;
  return { implementationCode: `${department.creditCode}3${basicCode}`, basicCode, exerciseLevel: 3, departmentName: department.name, version: 1, effectiveFrom: null, content };
}

beforeAll(async () => {
  platform = await createTestPlatform();
  importer = new CatalogImporter(platform.database.db, platform.services.catalog, platform.services.org);
  const departments = await platform.services.org.listDepartments();
  const pick = (name: string) => {
    const d = departments.find((x) => x.name === name)!;
    return { id: d.id, name: d.name, creditCode: d.creditCode };
  };
  market = pick('深圳市市场监督管理局');
  health = pick('深圳市卫生健康委员会');
  A = staffPrincipal('import-a', ['catalog_admin'], market.id);
  S = staffPrincipal('import-s', ['system_admin'], pick('深圳市政务服务数据管理局').id);

  // The demo catalog: seeded with the demo city when the demo seed includes it; otherwise its
  // lists through the service and its items as published rows (the same content the seed publishes).
  if ((await published()).length === 0) {
    const { catalog, org } = platform.services;
    const proofIds = new Map<string, string>();
    for (const p of DEMO_PROOFS) {
      const proof = await catalog.createProof(SYSTEM_ACTOR, null, p);
      await catalog.publishProof(SYSTEM_ACTOR, null, proof.id);
      proofIds.set(p.code, proof.id);
    }
    const intermediaryIds = new Map<string, string>();
    for (const i of DEMO_INTERMEDIARIES) {
      const entry = await catalog.createIntermediary(SYSTEM_ACTOR, null, i);
      await catalog.publishIntermediary(SYSTEM_ACTOR, null, entry.id);
      intermediaryIds.set(i.code, entry.id);
    }
    const ids = demoIds(new Map((await org.listHalls()).map((h) => [h.name, h.id])), proofIds, intermediaryIds);
    const byName = new Map(departments.map((d) => [d.name, d]));
    await insertItems(
      platform.database.db,
      DEMO_ITEMS.map((item) => ({
        department: byName.get(item.department)!,
        exerciseLevel: item.exerciseLevel,
        basicCode: item.basicCode,
        versions: [{ content: resolveDemoContent(item.content, ids), effectiveFrom: '2026-01-01' }],
      })),
    );
  }
}, 120_000);
afterAll(() => platform.close());

describe('the demo catalog round trip', () => {
  it('exports and re-imports (dry run) with zero errors and equal content', async () => {
    const items = await published();
    expect(items.length).toBeGreaterThanOrEqual(20);
    const buffer = await workbookOf(items);

    const parsed = await parseCatalogWorkbook(buffer, await importer.directory());
    expect(parsed.sheetErrors).toEqual([]);
    expect(parsed.orphans).toEqual([]);
    expect(parsed.items.flatMap((i) => i.errors)).toEqual([]);
    expect(parsed.items.map((i) => i.content)).toStrictEqual(items.map((i) => JSON.parse(JSON.stringify(i.content)) as ItemContent));
    expect(parsed.items.map((i) => [i.implementationCode, i.version, i.effectiveFrom])).toEqual(items.map((i) => [i.implementationCode, i.version, i.effectiveFrom]));

    const before = await counts();
    const report = await importer.importWorkbook(actorOf(S), S, buffer, { mode: 'all', dryRun: true, lang: 'zh' });
    expect(report).toMatchObject({ invalid: 0, created: 0, updated: 0, skipped: items.length, imported: false, sheetErrors: [] });
    expect(report.rows.every((r) => r.status === 'skipped' && r.reason === 'unchanged' && r.errors.length === 0)).toBe(true);
    // even a real import of an unchanged catalog writes nothing
    const real = await importer.importWorkbook(actorOf(S), S, buffer, { mode: 'all', dryRun: false, lang: 'zh' });
    expect(real).toMatchObject({ invalid: 0, created: 0, updated: 0, imported: false });
    expect(await counts()).toEqual(before);
  });
});

describe('importing drafts', () => {
  it('creates new items and new draft versions of existing ones, in one transaction, for another person to publish', async () => {
    const items = (await published()).filter((i) => i.implementationCode.startsWith(market.creditCode));
    const existing = items[0]!;
    const changed: ExchangeItem = { ...existing, content: { ...existing.content, promisedDays: Math.max(0, existing.content.promisedDays - 1), keywords: [...existing.content.keywords, '导入测试'] } };
    const fresh = newItem(market, { ...existing.content, name: '导入新建的事项' });
    const before = await counts();

    const dry = await importer.importWorkbook(actorOf(A), A, await workbookOf([changed, fresh]), { mode: 'all', dryRun: true, lang: 'zh' });
    expect(dry.rows.map((r) => [r.implementationCode, r.status, r.version])).toEqual([[existing.implementationCode, 'updated', existing.version + 1], [fresh.implementationCode, 'created', 1]]);
    expect(await counts()).toEqual(before);

    const report = await importer.importWorkbook(actorOf(A), A, await workbookOf([changed, fresh]), { mode: 'all', dryRun: false, lang: 'zh' });
    expect(report).toMatchObject({ imported: true, created: 1, updated: 1, invalid: 0, skipped: 0 });
    const after = await counts();
    expect(after.items).toBe(before.items + 1);
    expect(after.versions).toBe(before.versions + 2);
    // the drafted version gets the decision rules of the one it was copied from (the rules module's hook), each audited
    const rulesOf = async (version: number) => platform.database.db.selectFrom('rule_sets').select(['status', 'definition']).where('item_code', '=', existing.implementationCode).where('item_version', '=', version).where('status', 'in', ['published', 'draft']).orderBy('revision').execute();
    const copied = await rulesOf(existing.version + 1);
    expect(copied).toEqual(await rulesOf(existing.version));
    expect(after.audit).toBe(before.audit + 3 + copied.length); // two item entries and the import summary, and the rules copied

    const draft = await platform.services.catalog.getVersion(A, existing.implementationCode, existing.version + 1);
    expect(draft).toMatchObject({ status: 'draft', updatedBy: A.userId });
    expect(draft.content).toStrictEqual(JSON.parse(JSON.stringify(changed.content)));
    expect((await platform.services.catalog.getVersion(A, fresh.implementationCode, 1)).content.name).toBe('导入新建的事项');
    // the public catalog still shows the published version
    expect((await published()).find((i) => i.implementationCode === existing.implementationCode)!.version).toBe(existing.version);

    // four eyes: the importer submits but may not publish; another catalog admin may
    const state = await platform.services.catalog.submit(actorOf(A), A, fresh.implementationCode, 1, { lockVersion: (await platform.services.catalog.getVersion(A, fresh.implementationCode, 1)).lockVersion });
    const refused = await platform.services.catalog.publish(actorOf(A), A, fresh.implementationCode, 1, {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('same_person_cannot_publish');
    const B = staffPrincipal('import-b', ['catalog_admin'], market.id);
    expect((await platform.services.catalog.publish(actorOf(B), B, fresh.implementationCode, state.version, {})).status).toBe('published');

    const audit = await platform.database.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'catalog.import.applied').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ mode: 'all', created: 1, updated: 1 });
  });

  it('saves into the open draft, skips unchanged rows, and refuses an item in review', async () => {
    const existing = (await published()).filter((i) => i.implementationCode.startsWith(market.creditCode))[1]!;
    const v1: ExchangeItem = { ...existing, content: { ...existing.content, enquiryPhone: '0755-11111111' } };
    const first = await importer.importWorkbook(actorOf(A), A, await workbookOf([v1]), { mode: 'all', dryRun: false, lang: 'zh' });
    const draftVersion = first.rows[0]!.version!;
    expect(first.rows[0]).toMatchObject({ status: 'updated' });

    const again = await importer.importWorkbook(actorOf(A), A, await workbookOf([v1]), { mode: 'all', dryRun: false, lang: 'zh' });
    expect(again.rows[0]).toMatchObject({ status: 'skipped', reason: 'unchanged' });

    const v2: ExchangeItem = { ...existing, content: { ...existing.content, enquiryPhone: '0755-22222222' } };
    const second = await importer.importWorkbook(actorOf(A), A, await workbookOf([v2]), { mode: 'all', dryRun: false, lang: 'zh' });
    expect(second.rows[0]).toMatchObject({ status: 'updated', version: draftVersion });
    const detail = await platform.services.catalog.getVersion(A, existing.implementationCode, draftVersion);
    expect(detail.content.enquiryPhone).toBe('0755-22222222');

    await platform.services.catalog.submit(actorOf(A), A, existing.implementationCode, draftVersion, { lockVersion: detail.lockVersion });
    const v3: ExchangeItem = { ...existing, content: { ...existing.content, enquiryPhone: '0755-33333333' } };
    const third = await importer.importWorkbook(actorOf(A), A, await workbookOf([v3]), { mode: 'all', dryRun: false, lang: 'en' });
    expect(third.rows[0]).toMatchObject({ status: 'invalid' });
    expect(third.rows[0]!.errors.map((e) => e.message)).toEqual([`事项, row 2, 实施编码: Version ${draftVersion} of this item is in review; return or publish it before importing`]);
  });
});

describe('all or nothing, or only the valid rows', () => {
  it('writes nothing when one row is invalid (mode all), and the valid rows with mode partial', async () => {
    const base = (await published()).find((i) => i.implementationCode.startsWith(market.creditCode))!;
    const good = newItem(market, { ...base.content, name: '正确的新事项' });
    const bad = newItem(market, { ...base.content, name: '时限矛盾的事项', legalDays: 5, promisedDays: 10 });
    const items = [good, bad];
    const buffer = await workbookOf(items);
    const before = await counts();

    const all = await importer.importWorkbook(actorOf(A), A, buffer, { mode: 'all', dryRun: false, lang: 'zh' });
    expect(all).toMatchObject({ imported: false, created: 0, invalid: 1, skipped: 1 });
    expect(all.rows[0]).toMatchObject({ implementationCode: good.implementationCode, status: 'skipped', reason: 'blocked' });
    expect(all.rows[1]!.errors.map((e) => e.message)).toEqual([`事项 第 ${rowOf(items, bad.implementationCode)} 行 承诺办结时限(工作日)：承诺办结时限（10 个工作日）不能超过法定办结时限（5 个工作日）`]);
    expect(await counts()).toEqual(before);

    const partial = await importer.importWorkbook(actorOf(A), A, buffer, { mode: 'partial', dryRun: false, lang: 'zh' });
    expect(partial).toMatchObject({ imported: true, created: 1, invalid: 1, skipped: 0 });
    expect(partial.rows.map((r) => r.status)).toEqual(['created', 'invalid']);
    const after = await counts();
    expect(after.items).toBe(before.items + 1);
  });

  it('rolls everything back when a write fails inside the transaction, and names the row', async () => {
    const base = (await published()).find((i) => i.implementationCode.startsWith(market.creditCode))!;
    const items = [newItem(market, { ...base.content, name: '第一个' }), newItem(market, { ...base.content, name: '写入时冲突' }), newItem(market, { ...base.content, name: '第三个' })];
    const db = platform.database.db;
    await sql`CREATE FUNCTION import_test_conflict() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.name = '写入时冲突' THEN RAISE EXCEPTION 'simulated' USING ERRCODE = 'unique_violation'; END IF; RETURN NEW; END $$`.execute(db);
    await sql`CREATE TRIGGER import_test_conflict BEFORE INSERT ON catalog_item_versions FOR EACH ROW EXECUTE FUNCTION import_test_conflict()`.execute(db);
    try {
      const before = await counts();
      const report = await importer.importWorkbook(actorOf(A), A, await workbookOf(items), { mode: 'all', dryRun: false, lang: 'zh' });
      expect(report).toMatchObject({ imported: false, created: 0, invalid: 1, skipped: 2 });
      expect(report.rows[1]!.errors[0]!.message).toBe('事项 第 3 行 实施编码：写入失败：数据已被他人修改，请刷新后重试');
      expect(await counts()).toEqual(before);

      // partial: the other two rows are written, each in its own transaction
      const partial = await importer.importWorkbook(actorOf(A), A, await workbookOf(items), { mode: 'partial', dryRun: false, lang: 'zh' });
      expect(partial).toMatchObject({ imported: true, created: 2, invalid: 1 });
      expect(partial.rows.map((r) => r.status)).toEqual(['created', 'invalid', 'created']);
      expect((await counts()).items).toBe(before.items + 2);
    } finally {
      await sql`DROP TRIGGER import_test_conflict ON catalog_item_versions`.execute(db);
      await sql`DROP FUNCTION import_test_conflict()`.execute(db);
    }
  });
});

describe('validation beyond the cells', () => {
  it('refuses items outside the importer\'s reach without saying whether they exist', async () => {
    const all = await published();
    const own = all.find((i) => i.implementationCode.startsWith(market.creditCode))!;
    const foreign = all.find((i) => i.implementationCode.startsWith(health.creditCode))!;
    const items = [{ ...own, content: { ...own.content, complaintPhone: '12315' } }, { ...foreign, content: { ...foreign.content, complaintPhone: '12320' } }, newItem(health, own.content)];
    const report = await importer.importWorkbook(actorOf(A), A, await workbookOf(items), { mode: 'partial', dryRun: true, lang: 'zh' });
    expect(report.rows.map((r) => r.status)).toEqual(['updated', 'invalid', 'invalid']);
    expect(report.rows[1]!.errors.map((e) => e.message)).toEqual(['事项 第 3 行 实施编码：您不能管理“深圳市卫生健康委员会”的事项']);
    expect(report.rows[2]!.errors).toEqual([{ ...report.rows[1]!.errors[0]!, row: 4, message: '事项 第 4 行 实施编码：您不能管理“深圳市卫生健康委员会”的事项' }]);
    // the system administrator reaches every department
    const bySystem = await importer.importWorkbook(actorOf(S), S, await workbookOf(items), { mode: 'partial', dryRun: true, lang: 'zh' });
    expect(bySystem.rows.map((r) => r.status)).toEqual(['updated', 'updated', 'created']);
  });

  it('places the service\'s content checks on the cells they concern', async () => {
    const base = (await published()).find((i) => i.implementationCode.startsWith(market.creditCode))!;
    const item = newItem(market, {
      ...base.content,
      name: '校验错误的事项',
      fees: { free: true, items: [{ name: '工本费', amountFen: 1000, basis: '某文件' }] },
      form: { schema: { type: 'object', properties: { a: { type: 'strin' } } }, ui: { order: ['b'], fields: { a: { widget: 'text', label: 'A' } } } },
    });
    const items = [item];
    const report = await importer.importWorkbook(actorOf(A), A, await workbookOf(items), { mode: 'all', dryRun: true, lang: 'zh' });
    const messages = report.rows[0]!.errors.map((e) => e.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        '收费项目 第 2 行：不收费的事项不应列出收费项目',
        expect.stringMatching(/^申请表单 第 2 行 表单JSON：表单 JSON Schema 无效：/),
        '申请表单 第 2 行 表单JSON：字段顺序中的“b”不是表单字段',
      ]),
    );
  });

  it('reports orphan rows and sheet errors, and imports nothing even in partial mode when a sheet is wrong', async () => {
    const base = (await published()).find((i) => i.implementationCode.startsWith(market.creditCode))!;
    const item = newItem(market, { ...base.content, name: '表头错误时的事项' });
    const buffer = await edit(await workbookOf([item]), (wb) => {
      wb.getWorksheet('常见问题')!.getRow(1).getCell(4).value = '答复';
      wb.getWorksheet('设定依据')!.addRow([`${market.creditCode}3NOSUCHITEM01`, 9, '《某法》']);
    });
    const before = await counts();
    const report = await importer.importWorkbook(actorOf(A), A, buffer, { mode: 'partial', dryRun: false, lang: 'zh' });
    expect(report.imported).toBe(false);
    expect(report.sheetErrors.map((e) => e.message)).toEqual([expect.stringMatching(/^常见问题 第 1 行：第 1 行表头有误：缺少列 解答；不认识的列 答复/)]);
    expect(report.rows.find((r) => r.sheet === '设定依据')).toMatchObject({ status: 'invalid', implementationCode: `${market.creditCode}3NOSUCHITEM01` });
    expect(report.rows.find((r) => r.sheet === '事项')).toMatchObject({ status: 'skipped', reason: 'blocked' });
    expect(await counts()).toEqual(before);
  });
});

// --- HTTP ---------------------------------------------------------------------------------------

const multipart = multipartUpload;

describe('the routes', () => {
  let catalogAdmin: Session;
  beforeAll(async () => {
    catalogAdmin = await login(platform.app, 'catalog');
  });

  it('exports the published catalog as a workbook anyone may download', async () => {
    const res = await platform.app.inject({ method: 'GET', url: '/api/v1/catalog/export.xlsx' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="tongban-catalog-\d{4}-\d{2}-\d{2}\.xlsx"/);
    const parsed = await parseCatalogWorkbook(res.rawPayload, await importer.directory());
    expect(parsed.items.flatMap((i) => i.errors)).toEqual([]);
    expect(parsed.items.length).toBe((await published()).length);
  });

  it('imports an uploaded workbook and answers with the report', async () => {
    const base = (await published()).find((i) => i.implementationCode.startsWith(market.creditCode))!;
    const item = newItem(market, { ...base.content, name: '经接口导入的事项' });
    const upload = multipart([{ filename: '事项目录.xlsx', data: await workbookOf([item]) }], { note: 'ignored' });
    const dry = await as(platform.app, catalogAdmin, { method: 'POST', url: '/api/v1/admin/catalog/import?dryRun=true', ...upload });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ mode: 'all', dryRun: true, imported: false, created: 1, rows: [{ status: 'created', implementationCode: item.implementationCode }] });

    const res = await as(platform.app, catalogAdmin, { method: 'POST', url: '/api/v1/admin/catalog/import?mode=all&dryRun=false', ...upload });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ imported: true, created: 1 });
  });

  it('answers a refused import with 422 problem+json carrying the report, in the caller\'s language', async () => {
    const base = (await published()).find((i) => i.implementationCode.startsWith(market.creditCode))!;
    const bad = newItem(market, { ...base.content, name: '错误事项' });
    const buffer = await edit(await workbookOf([bad]), (wb) => setCell(wb, '申请材料', 2, '必要性', '必须'));
    const upload = multipart([{ filename: 'x.xlsx', data: buffer }]);
    const res = await as(platform.app, catalogAdmin, { method: 'POST', url: '/api/v1/admin/catalog/import', payload: upload.payload, headers: { ...upload.headers, 'accept-language': 'en' } });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json() as ImportReport & { code: string; title: string; errors: Array<{ field: string; message: string }> };
    expect(body).toMatchObject({ code: 'import_refused', status: 422, imported: false, invalid: 1 });
    expect(body.title).toMatch(/^Nothing was imported: the workbook has 1 errors/);
    expect(body.errors).toEqual([{ field: '申请材料!2!必要性', code: 'excel_code', message: '申请材料, row 2, 必要性: Value not allowed (allowed: 必要、非必要、容缺后补)' }]);
    expect(body.rows[0]!.errors[0]!.message).toBe(body.errors[0]!.message);
  });

  it('refuses what is not one .xlsx file with a clear problem', async () => {
    const workbook = await workbookOf([]);
    const cases: Array<[string, Parameters<typeof as>[2], number, string]> = [
      ['a JSON body', { payload: { file: 'x' } }, 415, 'upload_not_multipart'],
      ['no file', multipart([], { file: 'not a file' }), 400, 'upload_missing'],
      ['two files', multipart([{ filename: 'a.xlsx', data: workbook }, { filename: 'b.xlsx', data: workbook }]), 400, 'upload_one_file'],
      ['a CSV named .xlsx', multipart([{ filename: 'a.xlsx', data: Buffer.from('实施编码,事项名称\n1,2\n') }]), 415, 'workbook_not_xlsx'],
      ['megabytes of junk', multipart([{ filename: 'junk.xlsx', data: Buffer.alloc(5 * 1024 * 1024, 0x41) }]), 415, 'workbook_not_xlsx'],
      ['a file over the limit', multipart([{ filename: 'big.xlsx', data: Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(MAX_UPLOAD_BYTES)]) }]), 413, 'upload_too_large'],
      ['a damaged workbook', multipart([{ filename: 'cut.xlsx', data: workbook.subarray(0, 2000) }]), 400, 'workbook_unreadable'],
    ];
    for (const [label, options, status, code] of cases) {
      const res = await as(platform.app, catalogAdmin, { method: 'POST', url: '/api/v1/admin/catalog/import', ...options });
      expect([res.statusCode, (res.json() as { code: string }).code], label).toEqual([status, code]);
      expect(res.headers['content-type'], label).toMatch(/^application\/problem\+json/);
    }
    const nope = multipart([{ filename: 'a.xlsx', data: Buffer.from('nope') }]);
    const english = await as(platform.app, catalogAdmin, { method: 'POST', url: '/api/v1/admin/catalog/import', payload: nope.payload, headers: { ...nope.headers, 'accept-language': 'en' } });
    expect((english.json() as { title: string }).title).toBe('Upload an Excel workbook (.xlsx); this file is not one');
  });

  it('refuses an upload announced far over the limit, and stops reading a chunked one at the limit', async () => {
    const huge = multipart([{ filename: 'huge.xlsx', data: Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(MAX_UPLOAD_BYTES + 1024 * 1024)]) }]);
    const announced = await as(platform.app, catalogAdmin, { method: 'POST', url: '/api/v1/admin/catalog/import', ...huge });
    expect([announced.statusCode, (announced.json() as { code: string }).code]).toEqual([413, 'upload_too_large']);

    // over a real socket: inject hands the handler a body it has already read
    await platform.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = platform.app.server.address() as AddressInfo;
    const { outcome, sent, chunkSize } = await sendEndlessUpload({
      port,
      path: '/api/v1/admin/catalog/import?dryRun=true',
      headers: { cookie: catalogAdmin.cookie, 'x-csrf-token': catalogAdmin.csrf },
      filename: 'endless.xlsx',
      firstBytes: Buffer.from('PK\x03\x04'),
    });
    expect(sent).toBeLessThan(MAX_UPLOAD_BYTES + 8 * chunkSize);
    // The 413 arrives, unless the server's closing the socket races a chunk still in flight: then
    // the client only sees the connection reset.
    if ('status' in outcome) expect([outcome.status, (JSON.parse(outcome.body) as { code: string }).code]).toEqual([413, 'upload_too_large']);
    else expect(['EPIPE', 'ECONNRESET']).toContain(outcome.reset);
  });

  it('admits catalog and system administrators only', async () => {
    const approver = await login(platform.app, 'approver');
    const res = await as(platform.app, approver, { method: 'POST', url: '/api/v1/admin/catalog/import', ...multipart([{ filename: 'a.xlsx', data: await workbookOf([]) }]) });
    expect(res.statusCode).toBe(403);
  });
});
