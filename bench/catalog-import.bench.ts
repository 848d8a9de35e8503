/**
 * Excel import of 5,000 catalog items with full validation (cells, the ItemContent schema, the
 * service's content and identity checks, existence of every item, then every item created as a
 * draft with its audit entry in ONE transaction) on the embedded PGlite database, against a
 * baseline measured in the same run: exceljs's own document reader loading the same workbook and
 * visiting every cell, with no validation at all. Target: the import takes <= 30 s.
 *
 * The workbook is written by the platform's export from generated items that look like real ones
 * (3-6 materials with retained proofs, halls, intermediaries, fees, a form) across four
 * departments; the import must report every row created and none invalid, or the bench fails.
 */
import ExcelJS from 'exceljs';
import { createServices } from '../server/src/app.js';
import { SYSTEM_ACTOR } from '../server/src/platform/audit/audit.js';
import { loadConfig } from '../server/src/platform/config/config.js';
import { openDatabase } from '../server/src/platform/db/database.js';
import { migrateToLatest } from '../server/src/platform/db/migrate.js';
import { writeCatalogWorkbook, type ExchangeItem } from '../server/src/modules/catalog/excel.js';
import { CatalogImporter } from '../server/src/modules/catalog/import.js';
import type { ItemContent } from '../server/src/modules/catalog/schemas.js';
import { createFixtureOrg } from '../server/src/modules/catalog/test-fixtures.js';
import { STAFF_ROLES } from '../server/src/shared/roles.js';
import { seededRandom, type Bench, type BenchRow } from './types.js';

const ITEMS = 5_000;
const TARGET_SECONDS = 30;
const BASELINE_ROUNDS = 3;

function generate(count: number, departments: Array<{ name: string; creditCode: string }>, halls: string[], proofs: string[], intermediaries: string[]): ExchangeItem[] {
  const random = seededRandom(20_261_126);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const items: ExchangeItem[] = [];
  for (let i = 0; i < count; i++) {
    const department = departments[i % departments.length]!;
    const basicCode = `BN${String(i).padStart(10, '0')}`;
    const legalDays = 10 + Math.floor(random() * 50);
    const promisedDays = Math.max(3, Math.floor(legalDays / 2));
    const materials: ItemContent['materials'] = [{ id: 'application', name: `第 ${i} 号事项申请书`, source: 'applicant', requirement: 'required', paperCopies: 1, originals: 0, templateFileId: `tpl-${i}` }];
    const extra = 2 + Math.floor(random() * 4);
    for (let m = 0; m < extra; m++) {
      const proof = random() < 0.3;
      materials.push({
        id: `m${m}`,
        name: `材料 ${m}：${pick(['营业执照', '身份证明', '场地使用证明', '法定代表人任职文件', '经营场所平面图'])}`,
        source: proof ? 'issuing_body' : pick(['applicant', 'e_license', 'shared_data'] as const),
        requirement: pick(['required', 'optional', 'deferrable'] as const),
        paperCopies: Math.floor(random() * 3),
        originals: Math.floor(random() * 2),
        ...(proof ? { proofId: pick(proofs) } : {}),
        ...(random() < 0.3 ? { notes: '复印件须加盖公章，原件核验后退回。' } : {}),
      });
    }
    const charged = random() < 0.2;
    const content: ItemContent = {
      name: `${department.name}第 ${i} 号事项：${pick(['许可', '登记', '备案', '核准', '确认'])}`,
      type: pick(['01', '05', '07', '08', '09', '20'] as const),
      implementerNature: '1',
      serviceObjects: random() < 0.5 ? ['1'] : ['2', '3'],
      subItems: random() < 0.2 ? [{ code: '001', name: '新办' }, { code: '002', name: '变更' }] : [],
      handlingItems: [{ name: '新设', kind: 'new' }],
      legalBasis: [
        { title: '《中华人民共和国行政许可法》', article: '第二十九条', text: '公民、法人或者其他组织从事特定活动，依法需要取得行政许可的，应当向行政机关提出申请。' },
        { title: `《深圳市第 ${i % 97} 号管理办法》`, article: `第${(i % 30) + 1}条` },
      ],
      acceptanceConditions: ['申请材料齐全、符合法定形式', '申请人具有相应的民事行为能力', ...(random() < 0.5 ? ['经营场所符合规划用途；\n租赁场所须提供租赁合同'] : [])],
      procedure: [
        { name: '受理', role: 'window_clerk', days: 1 },
        { name: '审核', role: pick(STAFF_ROLES.filter((r) => r === 'approver')), days: 1 },
        { name: '决定', role: 'approver', days: 1 },
      ],
      legalDays,
      promisedDays,
      caseKind: '2',
      fees: charged ? { free: false, items: [{ name: '工本费', amountFen: 500 + Math.floor(random() * 100_000), basis: '《行政事业性收费标准》' }] } : { free: true, items: [] },
      materials,
      form: {
        schema: { type: 'object', properties: { applicantName: { type: 'string', maxLength: 100 }, address: { type: 'string', maxLength: 200 }, area: { type: 'number', minimum: 0 } }, required: ['applicantName'] },
        ui: { order: ['applicantName', 'address', 'area'], fields: { applicantName: { widget: 'text', label: '申请人名称' }, address: { widget: 'text', label: '经营地址' }, area: { widget: 'number', label: '面积（平方米）' } } },
      },
      results: [{ name: '准予许可决定书', kind: 'approval_document' }],
      hallIds: random() < 0.7 ? [pick(halls)] : [],
      handlingForms: ['1', '2', '3'],
      handling: { immediate: false, online: true, nearby: random() < 0.7, oneVisit: true },
      onlineDepth: 4,
      visitsRequired: Math.floor(random() * 2),
      appointment: true,
      expressDelivery: random() < 0.5,
      onlinePayment: charged,
      intermediaryServiceIds: random() < 0.1 ? [pick(intermediaries)] : [],
      specialProcedures: random() < 0.1 ? [{ kind: '2', name: '现场核查', days: 10 }] : [],
      enquiryPhone: '0755-12345',
      complaintPhone: '12345',
      keywords: ['示例', `事项${i % 50}`],
      themes: [pick(['business_opening', 'construction', 'social_security', 'medical'] as const)],
      faq: random() < 0.3 ? [{ question: '可以网上办理吗？', answer: '可以，登录一网通办平台全程网办。' }] : [],
    };
    if (!content.handling.nearby) content.hallIds = [];
    items.push({ implementationCode: `${department.creditCode}3${basicCode}`, basicCode, exerciseLevel: 3, departmentName: department.name, version: 1, effectiveFrom: '2026-01-01', content });
  }
  return items;
}

/** The baseline: exceljs's document reader, every cell value visited, nothing validated. */
async function plainRead(buffer: Buffer): Promise<number> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  let cells = 0;
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell(() => void cells++)));
  return cells;
}

const row = (label: string, seconds: number): BenchRow => ({ case: label, opsPerSec: ITEMS / seconds, ops: ITEMS, seconds });

const bench: Bench = {
  name: 'catalog-import',
  async run() {
    const handle = await openDatabase({ dataDir: 'memory://' });
    try {
      const db = handle.db;
      await migrateToLatest(db);
      const config = loadConfig({ TONGBAN_MODE: 'demo', DATA_DIR: 'memory://', LOG_LEVEL: 'silent', WEB_DIR: '/nonexistent' });
      const services = createServices(db, config, 10);
      const org = await createFixtureOrg(services.org);
      const proofs: string[] = [];
      const intermediaries: string[] = [];
      for (let i = 1; i <= 5; i++) {
        const proof = await services.catalog.createProof(SYSTEM_ACTOR, null, { code: `BZM${i}`, name: `证明 ${i}`, legalBasis: '《某条例》', requestingUnit: '某部门', issuingUnit: '某机构', guide: '按规定出具' });
        await services.catalog.publishProof(SYSTEM_ACTOR, null, proof.id);
        proofs.push(proof.id);
        const entry = await services.catalog.createIntermediary(SYSTEM_ACTOR, null, { code: `BZJ${i}`, name: `中介服务 ${i}`, legalBasis: '《某条例》', feeStandard: '市场调节价' });
        await services.catalog.publishIntermediary(SYSTEM_ACTOR, null, entry.id);
        intermediaries.push(entry.id);
      }
      const importer = new CatalogImporter(db, services.catalog, services.org);
      const items = generate(ITEMS, Object.values(org.departments), Object.values(org.halls), proofs, intermediaries);

      let t = performance.now();
      const workbook = await writeCatalogWorkbook(items, await importer.directory());
      const writeSeconds = (performance.now() - t) / 1000;

      let baseline = Infinity;
      let cells = 0;
      for (let round = 0; round < BASELINE_ROUNDS; round++) {
        t = performance.now();
        cells = await plainRead(workbook);
        baseline = Math.min(baseline, (performance.now() - t) / 1000);
      }

      t = performance.now();
      const dry = await importer.importWorkbook(SYSTEM_ACTOR, null, workbook, { mode: 'all', dryRun: true, lang: 'zh' });
      const drySeconds = (performance.now() - t) / 1000;
      if (dry.created !== ITEMS || dry.invalid !== 0) throw new Error(`dry run: ${dry.created} created, ${dry.invalid} invalid: ${JSON.stringify(dry.rows.find((r) => r.errors.length > 0)?.errors.slice(0, 3))}`);

      t = performance.now();
      const report = await importer.importWorkbook(SYSTEM_ACTOR, null, workbook, { mode: 'all', dryRun: false, lang: 'zh' });
      const importSeconds = (performance.now() - t) / 1000;
      if (!report.imported || report.created !== ITEMS || report.invalid !== 0) throw new Error(`import: ${report.created} created, ${report.invalid} invalid`);
      const stored = await db.selectFrom('catalog_item_versions').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'draft').executeTakeFirstOrThrow();
      if (Number(stored.n) !== ITEMS) throw new Error(`import: ${stored.n} drafts stored, expected ${ITEMS}`);

      const ok = importSeconds <= TARGET_SECONDS;
      return {
        rows: [
          row(`import ${ITEMS.toLocaleString('en-US')} items, mode all, one transaction`, importSeconds),
          row('dry run (full validation, no writes)', drySeconds),
          row('baseline: exceljs document read, no validation', baseline),
        ],
        notes: [
          `workbook: ${(workbook.length / 1024 / 1024).toFixed(1)} MiB, ${cells.toLocaleString('en-US')} cells in 13 sheets, written by the export in ${writeSeconds.toFixed(1)} s`,
          `import ${importSeconds.toFixed(1)} s (target <= ${TARGET_SECONDS} s)${ok ? '' : '  OVER TARGET'}; dry run ${drySeconds.toFixed(1)} s; baseline ${baseline.toFixed(2)} s (best of ${BASELINE_ROUNDS})`,
          `import / baseline = ${(importSeconds / baseline).toFixed(1)}x; dry run / baseline = ${(drySeconds / baseline).toFixed(1)}x; PGlite in memory`,
        ],
        ok,
      };
    } finally {
      await handle.close();
    }
  },
};

export default bench;
