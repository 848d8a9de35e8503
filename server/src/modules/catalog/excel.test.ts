/**
 * The Excel exchange without a database: ItemContent fixtures → workbook → parsed items, the
 * layout officials read, every kind of bad cell, row and sheet, and junk that must fail fast.
 */
import { deflateRawSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { AppError } from '../../platform/http/errors.js';
import { THEMES } from '../../shared/catalog-codes.js';
import { STAFF_ROLES } from '../../shared/roles.js';
import {
  errorMessage,
  EXCHANGE_LIMITS,
  parseCatalogWorkbook,
  parseConditions,
  SHEETS,
  writeCatalogWorkbook,
  type CellError,
  type ExchangeDirectory,
  type ExchangeItem,
  type ParsedWorkbook,
} from './excel.js';
import { extractEntries, hasZipMagic, storedZip, ZipRefused } from './excel-zip.js';
import type { ItemContent } from './schemas.js';
import { fixtureCreditCode } from './test-fixtures.js';

// --- fixtures ---------------------------------------------------------------------------------

const CREDIT_A = fixtureCreditCode('440300', 901);
const CREDIT_B = fixtureCreditCode('440304', 902);
const HALL_1 = '0b9f1d8e-1c2a-4b3c-8d4e-5f6a7b8c9d01';
const HALL_2 = '0b9f1d8e-1c2a-4b3c-8d4e-5f6a7b8c9d02';
const PROOF_1 = '1c0a2e9f-2d3b-4c4d-9e5f-6a7b8c9d0e11';
const PROOF_2 = '1c0a2e9f-2d3b-4c4d-9e5f-6a7b8c9d0e12';
const MID_1 = '2d1b3f0a-3e4c-4d5e-8f6a-7b8c9d0e1f21';
const MID_2 = '2d1b3f0a-3e4c-4d5e-8f6a-7b8c9d0e1f22';

const DIRECTORY: ExchangeDirectory = {
  departments: [
    { id: 'dept-a', name: '深圳市测试局', creditCode: CREDIT_A },
    { id: 'dept-b', name: '福田区测试局', creditCode: CREDIT_B },
  ],
  halls: [
    { id: HALL_1, name: '深圳市民中心行政服务大厅' },
    { id: HALL_2, name: '福田区行政服务大厅' },
  ],
  proofs: [
    { id: PROOF_1, code: 'SZZM001', name: '出生医学证明' },
    { id: PROOF_2, code: 'SZZM002', name: '死亡医学证明' },
  ],
  intermediaries: [
    { id: MID_1, code: 'SZZJ001', name: '建设工程规划放线测量' },
    { id: MID_2, code: 'SZZJ002', name: '环境影响评价' },
  ],
};

const BASE_FORM: ItemContent['form'] = {
  schema: { type: 'object', properties: { shopName: { type: 'string', maxLength: 100 }, seats: { type: 'integer', minimum: 0 } }, required: ['shopName'] },
  ui: {
    order: ['shopName', 'seats'],
    fields: {
      shopName: { widget: 'text', label: '店铺名称', help: '与营业执照一致' },
      seats: { widget: 'number', label: '座位数', visibleWhen: { field: 'shopName', equals: 1 } },
    },
  },
};

/** Every element filled, optional fields included, so a round trip exercises every column. */
function richContent(name: string): ItemContent {
  return {
    name,
    type: '01',
    implementerNature: '2',
    serviceObjects: ['2', '1'],
    subItems: [{ code: '001', name: '新办' }, { name: '无编码子项' }],
    handlingItems: [{ name: '新设', kind: 'new' }, { name: '注销', kind: 'cancellation' }],
    legalBasis: [
      { title: '《中华人民共和国食品安全法》', article: '第三十五条', text: '国家对食品生产经营实行许可制度。\n从事食品生产、食品销售、餐饮服务，应当依法取得许可。' },
      { title: '《食品经营许可管理办法》' },
    ],
    acceptanceConditions: ['已取得营业执照', '有与经营的食品品种、数量相适应的场所；\n场所应保持清洁', '3.5 吨以下车辆'],
    procedure: [
      { name: '受理', role: 'window_clerk', days: 1 },
      { name: '审核', role: 'approver', days: 3 },
    ],
    legalDays: 20,
    promisedDays: 5,
    caseKind: '2',
    fees: { free: false, items: [{ name: '工本费', amountFen: 29, basis: '粤价〔2019〕1号' }, { name: '检测费', amountFen: 123_456_789, basis: '某文件' }] },
    materials: [
      { id: 'application', name: '申请书', source: 'applicant', requirement: 'required', paperCopies: 1, originals: 0, templateFileId: 'tpl-1', sampleFileId: 'sample-1', notes: '签字盖章' },
      { id: 'birth-cert', name: '出生医学证明', source: 'issuing_body', requirement: 'deferrable', paperCopies: 0, originals: 1, proofId: PROOF_1 },
      { id: 'license_copy', name: '营业执照', source: 'e_license', requirement: 'optional', paperCopies: 0, originals: 0, licenseTypeCode: 'yyzz' },
      { id: 'shared', name: '社保缴纳记录', source: 'shared_data', requirement: 'required', paperCopies: 0, originals: 0, resourceId: 'res-001' },
    ],
    form: BASE_FORM,
    results: [{ name: '食品经营许可证', kind: 'license', licenseTypeCode: 'spjyxkz' }, { name: '不予许可决定书', kind: 'approval_document' }],
    hallIds: [HALL_2, HALL_1],
    handlingForms: ['1', '2', '3'],
    handling: { immediate: false, online: true, nearby: true, oneVisit: true },
    onlineDepth: 4,
    visitsRequired: 1,
    appointment: true,
    expressDelivery: false,
    onlinePayment: true,
    intermediaryServiceIds: [MID_2, MID_1],
    specialProcedures: [{ kind: '2', name: '现场核查', days: 10 }],
    enquiryPhone: '0755-12345',
    complaintPhone: '12345',
    keywords: ['食品', '餐饮', '小吃店'],
    themes: ['business_opening', 'medical'],
    faq: [{ question: '能否网上办理？', answer: '可以，全程网办。' }],
  };
}

function exchangeItem(content: ItemContent, serial: number, credit = CREDIT_A, level = 3): ExchangeItem {
  const basicCode = `4403${String(serial).padStart(8, '0')}`;
  return {
    implementationCode: `${credit}${level}${basicCode}`,
    basicCode,
    exerciseLevel: level,
    departmentName: credit === CREDIT_A ? '深圳市测试局' : '福田区测试局',
    version: 2,
    effectiveFrom: '2026-03-01',
    content,
  };
}

async function roundTrip(items: ExchangeItem[]): Promise<ParsedWorkbook> {
  return parseCatalogWorkbook(await writeCatalogWorkbook(items, DIRECTORY), DIRECTORY);
}

/** Loads a workbook with exceljs's document API, lets the test change it, and writes it back. */
async function edit(buffer: Buffer, change: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  change(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Sets a cell by sheet, row and header. */
function setCell(wb: ExcelJS.Workbook, sheet: string, row: number, header: string, value: ExcelJS.CellValue): void {
  const ws = wb.getWorksheet(sheet)!;
  let col = 0;
  ws.getRow(1).eachCell((cell, n) => {
    if (cell.value === header) col = n;
  });
  if (!col) throw new Error(`no column ${header} on ${sheet}`);
  ws.getRow(row).getCell(col).value = value;
}

const allErrors = (parsed: ParsedWorkbook): CellError[] => [...parsed.sheetErrors, ...parsed.items.flatMap((i) => i.errors), ...parsed.orphans.flatMap((o) => o.errors)];
const messages = (parsed: ParsedWorkbook, lang: 'zh' | 'en' = 'zh') => allErrors(parsed).map((e) => errorMessage(e, lang));

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

// --- round trip --------------------------------------------------------------------------------

describe('round trip: export then import', () => {
  it('reproduces every element of rich items, identity included', async () => {
    const items = [exchangeItem(richContent('食品经营许可（新办）'), 1), exchangeItem(richContent('福田区事项'), 2, CREDIT_B, 4)];
    const parsed = await roundTrip(items);
    expect(allErrors(parsed)).toEqual([]);
    expect(parsed.items).toHaveLength(2);
    parsed.items.forEach((p, i) => {
      expect(p.content).toStrictEqual(items[i]!.content);
      expect(p).toMatchObject({
        implementationCode: items[i]!.implementationCode,
        basicCode: items[i]!.basicCode,
        exerciseLevel: items[i]!.exerciseLevel,
        departmentId: i === 0 ? 'dept-a' : 'dept-b',
        version: 2,
        effectiveFrom: '2026-03-01',
        row: i + 2,
      });
    });
  });

  it('carries a composite item\'s components (并联审批子事项) and the 容缺 decision flag', async () => {
    const components = [exchangeItem(richContent('企业设立登记'), 11), exchangeItem(richContent('公章刻制备案'), 12)];
    const composite = exchangeItem({ ...richContent('开办企业一件事'), decideWhileOwed: true, parallel: components.map((c, i) => ({ implementationCode: c.implementationCode, required: i === 0 })) }, 13);
    const buffer = await writeCatalogWorkbook([...components, composite], DIRECTORY);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
    const sheet = wb.getWorksheet(SHEETS.parallel)!;
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual([composite.implementationCode, 1, components[0]!.implementationCode, '企业设立登记', '是']);
    expect((sheet.getRow(3).values as unknown[]).slice(1)).toEqual([composite.implementationCode, 2, components[1]!.implementationCode, '公章刻制备案', '否']);
    const parsed = await parseCatalogWorkbook(buffer, DIRECTORY);
    expect(allErrors(parsed)).toEqual([]);
    expect(parsed.items.map((p) => p.content)).toStrictEqual([components[0]!.content, components[1]!.content, composite.content]);
    // a required cell left blank is an error on that cell
    const blank = await parseCatalogWorkbook(await edit(buffer, (w) => setCell(w, SHEETS.parallel, 2, '是否必办', null)), DIRECTORY);
    expect(allErrors(blank)).toEqual([expect.objectContaining({ sheet: SHEETS.parallel, row: 2, column: '是否必办', code: 'required' })]);
  });

  it('splits a form JSON longer than one cell holds over several rows and joins it back', async () => {
    const content = richContent('大表单事项');
    const properties: Record<string, unknown> = {};
    const fields: ItemContent['form']['ui']['fields'] = {};
    for (let i = 0; i < 200; i++) {
      properties[`f${i}`] = { type: 'string', enum: Array.from({ length: 20 }, (_v, j) => `选项${i}-${j}`) };
      fields[`f${i}`] = { widget: 'select', label: `字段 ${i}`, options: Array.from({ length: 20 }, (_v, j) => ({ value: `选项${i}-${j}`, label: `选项 ${j}` })) };
    }
    content.form = { schema: { type: 'object', properties }, ui: { order: Object.keys(properties), fields } };
    expect(JSON.stringify(content.form).length).toBeGreaterThan(3 * 30_000);
    const buffer = await writeCatalogWorkbook([exchangeItem(content, 7)], DIRECTORY);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
    const formRows = wb.getWorksheet(SHEETS.form)!.actualRowCount - 1;
    expect(formRows).toBeGreaterThanOrEqual(4);
    wb.getWorksheet(SHEETS.form)!.eachRow((row) => expect(String(row.getCell(2).value).length).toBeLessThanOrEqual(32_767));
    const parsed = await parseCatalogWorkbook(buffer, DIRECTORY);
    expect(allErrors(parsed)).toEqual([]);
    expect(parsed.items[0]!.content).toStrictEqual(content);
  });

  it('holds for arbitrary valid contents (property)', async () => {
    const safeChars = [...'事项申请材料办理营业执照深圳市福田区与和及《》（）-：“”abcXYZ0123456789'];
    const text = (max: number, extra: string[] = []) =>
      fc
        .string({ unit: fc.constantFrom(...safeChars, ...extra, ' '), minLength: 1, maxLength: max })
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const withoutUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
    const uniqueOf = <T>(values: readonly T[], min = 0) => fc.shuffledSubarray([...values], { minLength: min });
    const days = fc.integer({ min: 0, max: 3650 });

    const content: fc.Arbitrary<ItemContent> = fc.record({
      name: text(200),
      type: fc.constantFrom('00', '01', '02', '05', '10', '20' as const),
      implementerNature: fc.constantFrom('1', '2', '3' as const),
      serviceObjects: uniqueOf(['1', '2', '3', '4', '5', '6'] as const, 1),
      subItems: fc.array(fc.record({ code: optional(text(40)), name: text(200) }).map(withoutUndefined), { maxLength: 3 }),
      handlingItems: fc.array(fc.record({ name: text(200), kind: fc.constantFrom('new', 'change', 'renewal', 'cancellation' as const) }), { maxLength: 3 }),
      legalBasis: fc.array(fc.record({ title: text(200), article: optional(text(100)), text: optional(text(400, ['\n'])) }).map(withoutUndefined), { maxLength: 3 }),
      acceptanceConditions: fc.array(text(300, ['\n']), { maxLength: 4 }),
      procedure: fc.array(fc.record({ name: text(50), role: fc.constantFrom(...STAFF_ROLES), days }), { maxLength: 4 }),
      legalDays: days,
      promisedDays: days,
      caseKind: fc.constantFrom('1', '2' as const),
      fees: fc.record({ free: fc.boolean(), items: fc.array(fc.record({ name: text(100), amountFen: fc.integer({ min: 1, max: 1_000_000_000 }), basis: text(500) }), { maxLength: 3 }) }),
      materials: fc
        .uniqueArray(
          fc.record({
            id: fc.stringMatching(/^[a-z0-9_-]{1,40}$/),
            name: text(200),
            source: fc.constantFrom('applicant', 'issuing_body', 'e_license', 'shared_data' as const),
            requirement: fc.constantFrom('required', 'optional', 'deferrable' as const),
            paperCopies: fc.integer({ min: 0, max: 20 }),
            originals: fc.integer({ min: 0, max: 20 }),
            sampleFileId: optional(text(64)),
            templateFileId: optional(text(64)),
            proofId: optional(fc.constantFrom(PROOF_1, PROOF_2)),
            licenseTypeCode: optional(text(40)),
            resourceId: optional(text(64)),
            notes: optional(text(300, ['\n'])),
          }),
          { selector: (m) => m.id, maxLength: 4 },
        )
        .map((list) => list.map(withoutUndefined)),
      form: fc.constantFrom(BASE_FORM, { schema: { type: 'object', properties: { a: { type: 'string' } } }, ui: { order: ['a'], fields: { a: { widget: 'textarea' as const, label: '说明' } } } }),
      results: fc.array(fc.record({ name: text(200), kind: fc.constantFrom('license', 'certificate', 'approval_document', 'other' as const), licenseTypeCode: optional(text(40)) }).map(withoutUndefined), { maxLength: 2 }),
      hallIds: uniqueOf([HALL_1, HALL_2]),
      handlingForms: uniqueOf(['1', '2', '3', '4', '9'] as const),
      handling: fc.record({ immediate: fc.boolean(), online: fc.boolean(), nearby: fc.boolean(), oneVisit: fc.boolean() }),
      onlineDepth: fc.integer({ min: 1, max: 4 }),
      visitsRequired: fc.integer({ min: 0, max: 10 }),
      appointment: fc.boolean(),
      expressDelivery: fc.boolean(),
      onlinePayment: fc.boolean(),
      intermediaryServiceIds: uniqueOf([MID_1, MID_2]),
      specialProcedures: fc.array(fc.record({ kind: fc.constantFrom('1', '2' as const), name: text(100), days }), { maxLength: 2 }),
      enquiryPhone: fc.constantFrom('', '0755-12345', '12345'),
      complaintPhone: fc.constantFrom('', '0755-88889999'),
      keywords: fc.array(text(30), { maxLength: 4 }),
      themes: uniqueOf(THEMES).map((t) => t.slice(0, 10)),
      faq: fc.array(fc.record({ question: text(300), answer: text(400, ['\n']) }), { maxLength: 2 }),
    });

    await fc.assert(
      fc.asyncProperty(fc.array(content, { minLength: 1, maxLength: 3 }), async (contents) => {
        const items = contents.map((c, i) => exchangeItem(c, 100 + i, i % 2 === 0 ? CREDIT_A : CREDIT_B, 3 + (i % 3)));
        const parsed = await roundTrip(items);
        expect(allErrors(parsed).map((e) => errorMessage(e, 'en'))).toEqual([]);
        expect(parsed.items.map((p) => p.content)).toStrictEqual(JSON.parse(JSON.stringify(items.map((i) => i.content))));
      }),
      { numRuns: 30 },
    );
  }, 60_000);
});

// --- layout -------------------------------------------------------------------------------------

describe('the workbook layout', () => {
  it('has the sheets, Chinese headers and coded cells officials recognise', async () => {
    const buffer = await writeCatalogWorkbook([exchangeItem(richContent('食品经营许可'), 1)], DIRECTORY);
    expect(hasZipMagic(buffer)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['事项', '设定依据', '子项', '业务办理项', '办理流程', '申请材料', '收费项目', '办理结果', '办理地点', '中介服务', '特别程序', '并联审批子事项', '常见问题', '申请表单', '说明']);
    const items = wb.getWorksheet('事项')!;
    const header = (items.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 10)).toEqual(['实施编码', '基本编码', '事项名称', '事项类型', '实施主体', '实施主体性质', '行使层级', '服务对象', '法定办结时限(工作日)', '承诺办结时限(工作日)']);
    expect(header).toContain('马上办');
    const row = Object.fromEntries(header.map((h, i) => [h, items.getRow(2).getCell(i + 1).value]));
    expect(row).toMatchObject({
      事项类型: '01 行政许可',
      实施主体: '深圳市测试局',
      实施主体性质: '2 授权组织',
      行使层级: '3 市级',
      服务对象: '2 企业法人、1 自然人',
      是否收费: '是',
      办理形式: '1 窗口办理、2 网上办理、3 移动端办理',
      马上办: '否',
      网上办: '是',
      网上办理深度: '4 四级：全程网办',
      受理条件: '1. 已取得营业执照\n2. 有与经营的食品品种、数量相适应的场所；\n场所应保持清洁\n3. 3.5 吨以下车辆',
      主题: '开办企业、医疗卫生',
    });
    const fees = wb.getWorksheet('收费项目')!;
    expect(fees.getRow(2).getCell(4).value).toBe(0.29);
    expect(fees.getRow(3).getCell(4).value).toBe(1_234_567.89);
    expect(wb.getWorksheet('申请材料')!.getRow(3).getCell(8).value).toBe('SZZM001');
    expect(wb.getWorksheet('办理地点')!.getRow(2).getCell(2).value).toBe('福田区行政服务大厅');
    expect(wb.getWorksheet('中介服务')!.getRow(2).values).toEqual([undefined, exchangeItem(richContent('x'), 1).implementationCode, 'SZZJ002', '环境影响评价']);
    const guide = wb.getWorksheet('说明')!;
    const guideText: string[] = [];
    guide.eachRow((r) => guideText.push((r.values as unknown[]).slice(1).join('|')));
    expect(guideText).toContain('事项类型（GB/T 39046-2020 附录 A.1）|01|行政许可');
    expect(guideText).toContain('材料必要性||容缺后补');
  });

  it('writes text a worksheet cannot hold as the nearest it can (no control characters, LF line breaks)', async () => {
    const content = richContent('名称\u0001带控制字符\u000b');
    content.legalBasis[0]!.text = '第一行\r\n第二行\r第三行';
    const parsed = await roundTrip([exchangeItem(content, 1)]);
    expect(allErrors(parsed)).toEqual([]);
    expect(parsed.items[0]!.content!.name).toBe('名称带控制字符');
    expect(parsed.items[0]!.content!.legalBasis[0]!.text).toBe('第一行\n第二行\n第三行');
  });

  it('never splits a character of the form JSON between two rows', async () => {
    const content = richContent('表单含表情');
    const filler = 'x'.repeat(30_000 - '{"schema":{"type":"object","title":"'.length - 1);
    content.form = { ...BASE_FORM, schema: { type: 'object', title: `${filler}😀😀`, properties: BASE_FORM.schema.properties } };
    const parsed = await roundTrip([exchangeItem(content, 1)]);
    expect(allErrors(parsed)).toEqual([]);
    expect(parsed.items[0]!.content!.form).toStrictEqual(content.form);
  });

  it('writes an empty catalog as a workbook with headers only, which imports as "no items"', async () => {
    const parsed = await roundTrip([]);
    expect(parsed.items).toEqual([]);
    expect(parsed.sheetErrors.map((e) => e.code)).toEqual(['excel_no_items']);
  });
});

// --- cells --------------------------------------------------------------------------------------

describe('reading cells', () => {
  it('accepts a code, its label or both, numbers for codes Excel stripped of leading zeros, and any separator', async () => {
    const content = richContent('事项');
    const buffer = await edit(await writeCatalogWorkbook([exchangeItem(content, 1)], DIRECTORY), (wb) => {
      setCell(wb, '事项', 2, '事项类型', 1);
      setCell(wb, '事项', 2, '实施主体性质', '授权组织');
      setCell(wb, '事项', 2, '服务对象', '2;自然人');
      setCell(wb, '事项', 2, '办理形式', '窗口办理，2 网上办理\n3');
      setCell(wb, '事项', 2, '主题', 'business_opening；医疗卫生');
      setCell(wb, '事项', 2, '网上办理深度', 4);
      setCell(wb, '事项', 2, '马上办', false);
      setCell(wb, '办理流程', 2, '岗位', 'window_clerk');
      setCell(wb, '申请材料', 2, '必要性', ' 必要 ');
      setCell(wb, '收费项目', 2, '金额(元)', '0.29元');
      setCell(wb, '事项', 2, '咨询电话', 12345);
      setCell(wb, '事项', 2, '生效日期', '2026/3/1');
    });
    const parsed = await parseCatalogWorkbook(buffer, DIRECTORY);
    expect(messages(parsed)).toEqual([]);
    expect(parsed.items[0]!.content).toStrictEqual({ ...content, enquiryPhone: '12345' });
    expect(parsed.items[0]!.effectiveFrom).toBe('2026-03-01');
  });

  it('converts yuan to integer fen exactly and refuses more than two decimals', async () => {
    const cases: Array<[ExcelJS.CellValue, number | string]> = [
      [12, 1200],
      [0.29, 29],
      [0.1, 10],
      [1_234_567.89, 123_456_789],
      ['12.30', 1230],
      ['12.340', 1234],
      ['1,234.5', 123_450],
      ['88 元', 8800],
      [12.345, 'excel_money_precision'],
      ['0.001', 'excel_money_precision'],
      ['12,3.4.5', 'excel_money'],
      [-5, 'excel_money'],
      ['免费', 'excel_money'],
      [true, 'excel_money'],
    ];
    const base = await writeCatalogWorkbook([exchangeItem(richContent('收费事项'), 1)], DIRECTORY);
    for (const [value, expected] of cases) {
      const parsed = await parseCatalogWorkbook(await edit(base, (wb) => setCell(wb, '收费项目', 2, '金额(元)', value)), DIRECTORY);
      if (typeof expected === 'number') {
        expect(allErrors(parsed), String(value)).toEqual([]);
        expect(parsed.items[0]!.content!.fees.items[0]!.amountFen, String(value)).toBe(expected);
      } else {
        expect(allErrors(parsed).map((e) => [e.sheet, e.row, e.column, e.code]), String(value)).toEqual([['收费项目', 2, '金额(元)', expected]]);
      }
    }
  });

  it('names sheet, row and column of every bad cell, in Chinese and in English', async () => {
    const base = await writeCatalogWorkbook([exchangeItem(richContent('事项一'), 1), exchangeItem(richContent('事项二'), 2)], DIRECTORY);
    const buffer = await edit(base, (wb) => {
      setCell(wb, '申请材料', 7, '必要性', '必须');
      setCell(wb, '申请材料', 8, '纸质份数', 'two');
      setCell(wb, '事项', 3, '马上办', '可以');
      setCell(wb, '事项', 3, '事项类型', '01 行政处罚');
      setCell(wb, '事项', 2, '法定办结时限(工作日)', 3.5);
      setCell(wb, '事项', 2, '生效日期', '2026-02-30');
      setCell(wb, '办理流程', 2, '时限(工作日)', { error: '#DIV/0!' } as ExcelJS.CellErrorValue);
      setCell(wb, '事项', 2, '服务对象', '自然人、自然人');
    });
    const parsed = await parseCatalogWorkbook(buffer, DIRECTORY);
    const zh = messages(parsed);
    expect(zh).toEqual(
      expect.arrayContaining([
        '申请材料 第 7 行 必要性：取值不在允许范围内（可填：必要、非必要、容缺后补）',
        '申请材料 第 8 行 纸质份数：应为不小于 0 的整数',
        '事项 第 3 行 马上办：请填写“是”或“否”',
        expect.stringMatching(/^事项 第 3 行 事项类型：取值不在允许范围内（可填：00 行政权力、01 行政许可/),
        '事项 第 2 行 法定办结时限(工作日)：应为不小于 0 的整数',
        '事项 第 2 行 生效日期：日期应为 YYYY-MM-DD 格式的有效日期',
        '办理流程 第 2 行 时限(工作日)：单元格为错误值 #DIV/0!',
        '事项 第 2 行 服务对象：重复的取值：1 自然人',
      ]),
    );
    expect(zh).toHaveLength(8);
    expect(messages(parsed, 'en')).toContain('申请材料, row 7, 必要性: Value not allowed (allowed: 必要、非必要、容缺后补)');
    // both items are invalid and carry no content; the errors of a child sheet belong to its item
    expect(parsed.items.map((i) => i.content)).toEqual([null, null]);
    expect(parsed.items[1]!.errors.map((e) => `${e.sheet}:${e.row}`)).toEqual(expect.arrayContaining(['申请材料:7', '申请材料:8', '事项:3']));
  });

  it('checks the assembled content against the schema and puts each error on its cell', async () => {
    const buffer = await edit(await writeCatalogWorkbook([exchangeItem(richContent('事项'), 1)], DIRECTORY), (wb) => {
      setCell(wb, '事项', 2, '事项名称', '长'.repeat(201));
      setCell(wb, '申请材料', 2, '材料标识', 'Application Form');
      setCell(wb, '事项', 2, '到现场次数', 11);
      setCell(wb, '申请表单', 2, '表单JSON', '{"schema": {"type": "object"}, "ui": {"order": [], "fields": {"a": {"widget": "slider", "label": "x"}}}}');
    });
    const parsed = await parseCatalogWorkbook(buffer, DIRECTORY);
    expect(allErrors(parsed).map((e) => [e.sheet, e.row, e.column, e.code])).toEqual(
      expect.arrayContaining([
        ['事项', 2, '事项名称', 'too_long'],
        ['申请材料', 2, '材料标识', 'invalid_format'],
        ['事项', 2, '到现场次数', 'excel_max'],
        ['申请表单', 2, '表单JSON', 'invalid_value'],
      ]),
    );
    expect(messages(parsed)).toContain('事项 第 2 行 事项名称：长度不能超过 200');
  });

  it('resolves halls by name, proofs and intermediaries by code, and says which one is unknown', async () => {
    const buffer = await edit(await writeCatalogWorkbook([exchangeItem(richContent('事项'), 1)], DIRECTORY), (wb) => {
      setCell(wb, '办理地点', 3, '大厅名称', '福田区行政服务大厅');
      wb.getWorksheet('办理地点')!.addRow([exchangeItem(richContent('x'), 1).implementationCode, '不存在的大厅']);
      setCell(wb, '申请材料', 3, '证明事项编码', 'SZZM999');
      setCell(wb, '中介服务', 2, '中介服务编码', 'NOPE');
    });
    const parsed = await parseCatalogWorkbook(buffer, DIRECTORY);
    expect(messages(parsed).sort()).toEqual([
      '中介服务 第 2 行 中介服务编码：中介服务清单中没有编码 NOPE',
      '办理地点 第 4 行 大厅名称：找不到名为“不存在的大厅”的政务服务大厅',
      '办理地点 第 3 行 大厅名称：重复的取值：福田区行政服务大厅',
      '申请材料 第 3 行 证明事项编码：保留证明事项清单中没有编码 SZZM999',
    ].sort());
  });

  it('checks the identity: code structure, credit code, basic code and level against the code, the department', async () => {
    const items = [1, 2, 3, 4, 5].map((n) => exchangeItem(richContent(`事项${n}`), n));
    const unknownCredit = fixtureCreditCode('440305', 999);
    const buffer = await edit(await writeCatalogWorkbook(items, DIRECTORY), (wb) => {
      setCell(wb, '事项', 2, '实施编码', '12345');
      setCell(wb, '事项', 3, '基本编码', '440300000099');
      setCell(wb, '事项', 4, '行使层级', '4 县级');
      setCell(wb, '事项', 5, '实施编码', `${unknownCredit}3${items[3]!.basicCode}`);
      setCell(wb, '事项', 6, '实施主体', '另一个局');
    });
    const parsed = await parseCatalogWorkbook(buffer, DIRECTORY);
    const found = parsed.items.map((i) => i.errors.filter((e) => e.sheet === '事项').map((e) => `${e.column}:${e.code}`));
    expect(found[0]).toEqual(['实施编码:excel_implementation_code']);
    expect(found[1]).toEqual(['基本编码:excel_code_mismatch']);
    expect(found[2]).toEqual(['行使层级:excel_code_mismatch']);
    expect(found[3]).toEqual(['实施编码:excel_unknown_department']);
    expect(found[4]).toEqual(['实施主体:excel_department_mismatch']);
    expect(errorMessage(parsed.items[4]!.errors[0]!, 'zh')).toBe('事项 第 6 行 实施主体：实施编码对应的实施主体是“深圳市测试局”');
    // rows of other sheets that belonged to items 1 and 4 now point at codes not on the 事项 sheet
    expect(parsed.orphans.length).toBeGreaterThan(0);
    expect(new Set(parsed.orphans.map((o) => o.implementationCode))).toEqual(new Set([items[0]!.implementationCode, items[3]!.implementationCode]));
    expect(errorMessage(parsed.orphans[0]!.errors[0]!, 'zh')).toMatch(/^设定依据 第 \d+ 行 实施编码：事项表中没有该实施编码$/);
  });

  it('refuses the same 实施编码 twice on the 事项 sheet, repeated 序号, and content in a column without a header', async () => {
    const items = [exchangeItem(richContent('甲'), 1), exchangeItem(richContent('乙'), 2)];
    const buffer = await edit(await writeCatalogWorkbook(items, DIRECTORY), (wb) => {
      setCell(wb, '事项', 3, '实施编码', items[0]!.implementationCode);
      setCell(wb, '办理流程', 3, '序号', 1);
      wb.getWorksheet('常见问题')!.getRow(2).getCell(9).value = '表头外的内容';
    });
    const parsed = await parseCatalogWorkbook(buffer, DIRECTORY);
    expect(messages(parsed)).toEqual(
      expect.arrayContaining([
        '事项 第 2 行 实施编码：实施编码在事项表中重复（第 2、3 行）',
        '事项 第 3 行 实施编码：实施编码在事项表中重复（第 2、3 行）',
        '办理流程 第 3 行 序号：序号应为正整数，且在同一事项内不重复',
        '常见问题 第 2 行 I 列：该列没有表头，内容无法导入',
      ]),
    );
  });

  it('orders rows of a sheet by 序号, not by their place in the sheet', async () => {
    const content = richContent('事项');
    const buffer = await edit(await writeCatalogWorkbook([exchangeItem(content, 1)], DIRECTORY), (wb) => {
      setCell(wb, '办理流程', 2, '序号', 2);
      setCell(wb, '办理流程', 3, '序号', 1);
    });
    const parsed = await parseCatalogWorkbook(buffer, DIRECTORY);
    expect(parsed.items[0]!.content!.procedure).toEqual([content.procedure[1], content.procedure[0]]);
  });
});

describe('acceptance conditions in one cell', () => {
  it('reads numbered lines, continuation lines, and unnumbered lines', () => {
    expect(parseConditions('1. 甲\n2. 乙\n续\n3、丙')).toEqual(['甲', '乙\n续', '丙']);
    expect(parseConditions('1．甲\n2) 3.5 吨')).toEqual(['甲', '3.5 吨']);
    expect(parseConditions('甲\n\n乙')).toEqual(['甲', '乙']);
    expect(parseConditions('1. 甲\n3. 不是第二条')).toEqual(['甲\n3. 不是第二条']);
  });
});

// --- sheets -------------------------------------------------------------------------------------

describe('sheets and headers', () => {
  it('reports missing, unknown and repeated columns as one error per sheet naming them', async () => {
    const buffer = await edit(await writeCatalogWorkbook([exchangeItem(richContent('事项'), 1)], DIRECTORY), (wb) => {
      const ws = wb.getWorksheet('申请材料')!;
      ws.getRow(1).getCell(4).value = '来源';
      ws.getRow(1).getCell(6).value = '原件份数';
      wb.getWorksheet('收费项目')!.getRow(1).getCell(4).value = '金额（元）'; // full-width brackets are fine
    });
    const parsed = await parseCatalogWorkbook(buffer, DIRECTORY);
    expect(parsed.sheetErrors).toHaveLength(1);
    const [zh] = parsed.sheetErrors.map((e) => errorMessage(e, 'zh'));
    expect(zh).toMatch(/^申请材料 第 1 行：第 1 行表头有误：缺少列 来源渠道、纸质份数；不认识的列 来源；重复的列 原件份数；应为：实施编码、材料标识/);
    expect(errorMessage(parsed.sheetErrors[0]!, 'en')).toMatch(/missing 来源渠道、纸质份数; unknown 来源; repeated 原件份数/);
  });

  it('reports a broken 事项 sheet once, not as orphans on every other sheet', async () => {
    const buffer = await edit(await writeCatalogWorkbook([exchangeItem(richContent('事项'), 1)], DIRECTORY), (wb) => {
      wb.getWorksheet('事项')!.getRow(1).getCell(1).value = '编码';
    });
    const parsed = await parseCatalogWorkbook(buffer, DIRECTORY);
    expect(parsed.items).toEqual([]);
    expect(parsed.orphans).toEqual([]);
    expect(parsed.sheetErrors.map((e) => errorMessage(e, 'zh'))).toEqual([expect.stringMatching(/^事项 第 1 行：第 1 行表头有误：缺少列 实施编码；不认识的列 编码；/)]);
  });

  it('reports missing and unknown sheets, and ignores the 说明 sheet', async () => {
    const buffer = await edit(await writeCatalogWorkbook([exchangeItem(richContent('事项'), 1)], DIRECTORY), (wb) => {
      wb.removeWorksheet(wb.getWorksheet('常见问题')!.id);
      wb.getWorksheet('子项')!.name = '子项目';
      wb.getWorksheet('说明')!.getRow(3).getCell(1).value = '随便改';
    });
    const parsed = await parseCatalogWorkbook(buffer, DIRECTORY);
    expect(parsed.sheetErrors.map((e) => errorMessage(e, 'zh')).sort()).toEqual([
      '子项：缺少工作表“子项”',
      '子项目：不认识的工作表“子项目”（请使用导出的模板，工作表名为：事项、设定依据、子项、业务办理项、办理流程、申请材料、收费项目、办理结果、办理地点、中介服务、特别程序、并联审批子事项、常见问题、申请表单）',
      '常见问题：缺少工作表“常见问题”',
    ].sort());
  });

  it('reads a workbook saved by other software (document writer, inline strings, sheets in another order)', async () => {
    const content = richContent('事项');
    const buffer = await edit(await writeCatalogWorkbook([exchangeItem(content, 1)], DIRECTORY), (wb) => {
      const faq = wb.getWorksheet('常见问题')!;
      (faq as unknown as { orderNo: number }).orderNo = 0; // listed first
    });
    const parsed = await parseCatalogWorkbook(buffer, DIRECTORY);
    expect(allErrors(parsed)).toEqual([]);
    expect(parsed.items[0]!.content).toStrictEqual(content);
  });
});

// --- junk ---------------------------------------------------------------------------------------

/** A ZIP with deflated entries; `declare` lets an entry lie about its uncompressed size. */
function zipOf(entries: Array<{ name: string; data: Buffer; declare?: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const packed = deflateRawSync(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(e.declare ?? e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(e.declare ?? e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const size = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

describe('junk fails fast with one clear error', () => {
  const saved = structuredClone(EXCHANGE_LIMITS);
  afterEach(() => Object.assign(EXCHANGE_LIMITS, structuredClone(saved)));

  it('refuses what is not a ZIP at all (415): megabytes of text, random bytes, an old .xls', async () => {
    for (const junk of [Buffer.alloc(3 * 1024 * 1024, 'A'), randomBytes(100_000), Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), Buffer.alloc(0)]) {
      const error = await refusal(parseCatalogWorkbook(junk, DIRECTORY));
      expect([error.status, error.code]).toEqual([415, 'workbook_not_xlsx']);
    }
  });

  it('refuses a damaged workbook or a ZIP that holds no workbook (400)', async () => {
    const good = await writeCatalogWorkbook([exchangeItem(richContent('事项'), 1)], DIRECTORY);
    const truncated = await refusal(parseCatalogWorkbook(good.subarray(0, Math.floor(good.length / 2)), DIRECTORY));
    expect([truncated.status, truncated.code]).toEqual([400, 'workbook_unreadable']);
    const docx = await refusal(parseCatalogWorkbook(zipOf([{ name: 'word/document.xml', data: Buffer.from('<w:document/>') }]), DIRECTORY));
    expect([docx.status, docx.code]).toEqual([400, 'workbook_unreadable']);
    const badXml = zipOf([
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook><sheets><sheet name="事项" sheetId="1" r:id="rId1"/></sheets></workbook>') },
      { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>') },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>实施编码</t></is></c></row>&bogus;<</sheetData>') },
    ]);
    const broken = await refusal(parseCatalogWorkbook(badXml, DIRECTORY));
    expect([broken.status, broken.code]).toEqual([400, 'workbook_unreadable']);
  });

  it('takes odd sheet names in its stride (entities out of range are left as written)', async () => {
    const odd = storedZip([
      ['xl/workbook.xml', Buffer.from('<workbook><sheets><sheet name="&#x110000;&amp;" sheetId="1" r:id="rId1"/></sheets></workbook>')],
      ['xl/_rels/workbook.xml.rels', Buffer.from('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')],
      ['xl/worksheets/sheet1.xml', Buffer.from('<worksheet><sheetData/></worksheet>')],
    ]);
    const parsed = await parseCatalogWorkbook(odd, DIRECTORY);
    expect(parsed.sheetErrors[0]).toMatchObject({ code: 'excel_unknown_sheet', params: { name: '&#x110000;&' } });
  });

  it('stops a ZIP bomb at the output limit, even when its headers lie about the size', async () => {
    EXCHANGE_LIMITS.zip.maxEntryBytes = 4 * 1024 * 1024;
    EXCHANGE_LIMITS.zip.maxTotalBytes = 8 * 1024 * 1024;
    const zeros = Buffer.alloc(64 * 1024 * 1024);
    for (const declare of [undefined, 1000]) {
      const bomb = zipOf([
        { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
        { name: 'xl/worksheets/sheet1.xml', data: zeros, declare },
      ]);
      expect(bomb.length).toBeLessThan(200 * 1024);
      const started = performance.now();
      const error = await refusal(parseCatalogWorkbook(bomb, DIRECTORY));
      expect([error.status, error.code]).toEqual([400, 'workbook_too_large']);
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });

  it('stops reading a sheet past its row limit and names it', async () => {
    EXCHANGE_LIMITS.maxItems = 3;
    const items = [1, 2, 3, 4].map((n) => exchangeItem(richContent(`事项${n}`), n));
    const error = await refusal(roundTrip(items));
    expect([error.status, error.code, error.params]).toEqual([400, 'workbook_too_many_rows', { sheet: '事项', limit: 3 }]);
  });

  it('refuses a cell longer than Excel allows', async () => {
    const buffer = await edit(await writeCatalogWorkbook([exchangeItem(richContent('事项'), 1)], DIRECTORY), (wb) => setCell(wb, '常见问题', 2, '解答', 'x'.repeat(40_000)));
    const parsed = await parseCatalogWorkbook(buffer, DIRECTORY);
    expect(messages(parsed)).toEqual(['常见问题 第 2 行 解答：长度不能超过 32767']);
  });
});

describe('the ZIP layer', () => {
  it('extracts entries within limits and writes stored archives it can read back', async () => {
    const archive = storedZip([['a.xml', Buffer.from('<a/>')], ['b/c.xml', Buffer.from('汉字')]]);
    const entries = await extractEntries(archive, { maxEntries: 10, maxEntryBytes: 100, maxTotalBytes: 100 }, () => true);
    expect([...entries].map(([k, v]) => [k, v.toString()])).toEqual([['a.xml', '<a/>'], ['b/c.xml', '汉字']]);
  });

  it('refuses too many entries, encrypted entries and a missing directory', async () => {
    const many = zipOf(Array.from({ length: 5 }, (_v, i) => ({ name: `f${i}`, data: Buffer.from('x') })));
    await expect(extractEntries(many, { maxEntries: 4, maxEntryBytes: 100, maxTotalBytes: 100 }, () => true)).rejects.toMatchObject({ problem: 'too_many_entries' });
    const encrypted = zipOf([{ name: 'f', data: Buffer.from('x') }]);
    encrypted.writeUInt16LE(1, encrypted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 8);
    await expect(extractEntries(encrypted, { maxEntries: 4, maxEntryBytes: 100, maxTotalBytes: 100 }, () => true)).rejects.toBeInstanceOf(ZipRefused);
    await expect(extractEntries(Buffer.from('PK\x03\x04 and nothing else, no central directory'), { maxEntries: 4, maxEntryBytes: 100, maxTotalBytes: 100 }, () => true)).rejects.toMatchObject({ problem: 'corrupt' });
  });
});
