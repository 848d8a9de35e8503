/**
 * The catalog's Excel exchange (事项目录 Excel 导出 / 导入). Pure: published items become a
 * workbook; a workbook becomes items (`ItemContent` plus identity) with an error for every bad
 * cell, row and sheet. No database here: what the workbook names (departments by credit code,
 * halls by name, proofs and intermediaries by code) is resolved against an `ExchangeDirectory`
 * the caller loads. `import.ts` applies the result through `CatalogService`.
 *
 * Layout (what catalog officials exchange): one sheet `事项` with one row per item, and one sheet
 * per repeating group keyed by 实施编码 (设定依据, 子项, 业务办理项, 办理流程, 申请材料, 收费项目,
 * 办理结果, 办理地点, 中介服务, 特别程序, 并联审批子事项, 常见问题, 申请表单), plus `说明` explaining the codes.
 * Coded cells are written "code label" ("01 行政许可", GB/T 39046-2020 appendix A.1) or, for codes
 * that are English identifiers, the Chinese label alone; import accepts the code, the label or
 * both. Yes/no cells are 是/否; several values in one cell are separated by 、 (also ; ， , or a
 * line break); money is in yuan with at most two decimals; dates are YYYY-MM-DD.
 *
 * Untrusted input is bounded before it is parsed (excel-zip.ts inflates with output limits) and
 * while it is parsed (rows per sheet, columns, characters per cell): junk fails fast with one
 * clear error instead of exhausting memory.
 */
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { Compile } from 'typebox/compile';
import { defineErrors, defineFieldErrors, FieldCodes, fieldMessage, type Lang, type Message, type Params } from '../../platform/http/errors.js';
import {
  CASE_KIND_LABELS,
  CASE_KINDS,
  EXERCISE_LEVEL_LABELS,
  HANDLING_FORM_LABELS,
  HANDLING_FORMS,
  HANDLING_ITEM_KIND_LABELS,
  HANDLING_ITEM_KINDS,
  IMPLEMENTER_NATURE_LABELS,
  IMPLEMENTER_NATURES,
  ITEM_TYPE_LABELS,
  ITEM_TYPES,
  MATERIAL_REQUIREMENT_LABELS,
  MATERIAL_REQUIREMENTS,
  MATERIAL_SOURCE_LABELS,
  MATERIAL_SOURCES,
  ONLINE_DEPTH_LABELS,
  RESULT_KIND_LABELS,
  RESULT_KINDS,
  SERVICE_OBJECT_LABELS,
  SERVICE_OBJECTS,
  SPECIAL_PROCEDURE_KINDS,
  SPECIAL_PROCEDURE_LABELS,
  THEME_LABELS,
  THEMES,
  BASIC_CODE_PATTERN,
  splitImplementationCode,
} from '../../shared/catalog-codes.js';
import { checkCreditCode } from '../../shared/identifiers.js';
import { ROLE_LABELS, STAFF_ROLES } from '../../shared/roles.js';
import { extractEntries, storedZip, ZipRefused, type ZipLimits } from './excel-zip.js';
import { ItemContent } from './schemas.js';

// --- what goes in and out -------------------------------------------------------------------

export type ListEntryStatus = 'draft' | 'published' | 'withdrawn';

/** One published item as exported. */
export interface ExchangeItem {
  implementationCode: string;
  basicCode: string;
  exerciseLevel: number;
  departmentName: string;
  version: number;
  /** YYYY-MM-DD */
  effectiveFrom: string | null;
  content: ItemContent;
}

/** What a workbook refers to by name or code, and how those resolve to ids. */
export interface ExchangeDirectory {
  departments: ReadonlyArray<{ id: string; name: string; creditCode: string }>;
  halls: ReadonlyArray<{ id: string; name: string }>;
  /** List entries with their status when known (the import's validation judges it; export lists published ones). */
  proofs: ReadonlyArray<{ id: string; code: string; name: string; status?: ListEntryStatus }>;
  intermediaries: ReadonlyArray<{ id: string; code: string; name: string; status?: ListEntryStatus }>;
}

/** A problem found in the workbook: row null for a sheet-level (or workbook-level, sheet '') one. */
export interface CellError {
  sheet: string;
  row: number | null;
  column: string | null;
  code: string;
  params?: Params;
}

export interface ParsedItem {
  /** Row on the 事项 sheet. */
  row: number;
  implementationCode: string;
  basicCode: string;
  exerciseLevel: number;
  creditCode: string;
  /** Resolved from the credit code in the implementation code. */
  departmentId: string | null;
  /** Informational columns (the version and date an item was exported at). */
  version: number | null;
  effectiveFrom: string | null;
  /** Null when any error was found for the item (on its row or on its rows in other sheets). */
  content: ItemContent | null;
  errors: CellError[];
}

/** Rows of child sheets whose 实施编码 is not on the 事项 sheet. */
export interface OrphanRow {
  sheet: string;
  row: number;
  implementationCode: string;
  errors: CellError[];
}

export interface ParsedWorkbook {
  items: ParsedItem[];
  orphans: OrphanRow[];
  /** Workbook- and sheet-level problems (missing sheets, bad headers): nothing may be imported. */
  sheetErrors: CellError[];
}

// --- limits ---------------------------------------------------------------------------------

export const EXCHANGE_LIMITS = {
  /** Rows (items) on the 事项 sheet. */
  maxItems: 10_000,
  /** Rows on any other sheet. */
  maxChildRows: 200_000,
  /** Excel's own limit for the characters in one cell. */
  maxCellChars: 32_767,
  /** Columns a sheet may have (the widest has 29). */
  maxColumns: 64,
  /** Rows of 申请表单 per item (its JSON is split in chunks of FORM_CHUNK characters). */
  maxFormRows: 40,
  zip: {
    maxEntries: 2_000,
    maxEntryBytes: 128 * 1024 * 1024,
    maxTotalBytes: 256 * 1024 * 1024,
  } satisfies ZipLimits,
};

/** Characters of form JSON per cell: below Excel's 32,767 limit with room to spare. */
const FORM_CHUNK = 30_000;

// --- errors ---------------------------------------------------------------------------------

export const ExchangeErrors = defineErrors({
  workbook_not_xlsx: {
    status: 415,
    zh: '请上传 Excel 工作簿（.xlsx）；该文件不是 .xlsx 格式',
    en: 'Upload an Excel workbook (.xlsx); this file is not one',
  },
  workbook_unreadable: { status: 400, zh: '无法读取该工作簿：{reason}', en: 'The workbook cannot be read: {reason}' },
  workbook_too_large: {
    status: 400,
    zh: '工作簿解压后超过 {limit}，请拆分为多个文件导入',
    en: 'The workbook expands to more than {limit}; split it into several files',
  },
  workbook_too_many_rows: {
    status: 400,
    zh: '工作表“{sheet}”超过 {limit} 行上限，已停止读取；请拆分为多个文件导入',
    en: 'Sheet "{sheet}" has more than {limit} rows; reading stopped. Split it into several files',
  },
  workbook_too_many_columns: {
    status: 400,
    zh: '工作表“{sheet}”超过 {limit} 列上限，已停止读取',
    en: 'Sheet "{sheet}" has more than {limit} columns; reading stopped',
  },
});

const UNREADABLE_REASONS: Record<string, Message> = {
  corrupt: { zh: '文件已损坏或不完整', en: 'the file is damaged or incomplete' },
  encrypted: { zh: '文件已加密，请取消密码保护后再导入', en: 'the file is encrypted; remove the password first' },
  unsupported: { zh: '文件使用了不支持的压缩方式', en: 'it uses an unsupported compression' },
  too_many_entries: { zh: '文件包含的部件过多', en: 'it holds too many parts' },
  no_workbook: { zh: '压缩包中没有 Excel 工作簿', en: 'the archive holds no Excel workbook' },
  parse: { zh: '工作簿内容格式错误', en: 'the workbook XML is malformed' },
};

export const ExchangeFieldCodes = defineFieldErrors({
  excel_missing_sheet: { zh: '缺少工作表“{name}”', en: 'Sheet "{name}" is missing' },
  excel_unknown_sheet: { zh: '不认识的工作表“{name}”（请使用导出的模板，工作表名为：{expected}）', en: 'Unknown sheet "{name}" (use the exported template; sheets: {expected})' },
  excel_duplicate_sheet: { zh: '工作表“{name}”重复', en: 'Sheet "{name}" appears twice' },
  excel_bad_header: { zh: '第 1 行表头有误：{detail}', en: 'The header (row 1) is wrong: {detail}' },
  excel_no_items: { zh: '事项表没有数据行', en: 'The 事项 sheet has no rows' },
  excel_headless_column: { zh: '该列没有表头，内容无法导入', en: 'This column has no header; its content cannot be imported' },
  excel_cell_error: { zh: '单元格为错误值 {value}', en: 'The cell holds the error value {value}' },
  excel_text: { zh: '应为文本', en: 'Must be text' },
  excel_integer: { zh: '应为不小于 0 的整数', en: 'Must be a whole number, 0 or more' },
  excel_yes_no: { zh: '请填写“是”或“否”', en: 'Enter 是 (yes) or 否 (no)' },
  excel_code: { zh: '取值不在允许范围内（可填：{allowed}）', en: 'Value not allowed (allowed: {allowed})' },
  excel_duplicate_value: { zh: '重复的取值：{value}', en: 'Repeated value: {value}' },
  excel_money: { zh: '金额应为以元为单位的数字', en: 'Amount must be a number of yuan' },
  excel_money_precision: { zh: '金额最多两位小数（精确到分）', en: 'Amount has more than two decimals (fen is the smallest unit)' },
  excel_date: { zh: '日期应为 YYYY-MM-DD 格式的有效日期', en: 'Date must be a valid YYYY-MM-DD date' },
  excel_min: { zh: '不能小于 {limit}', en: 'Must be at least {limit}' },
  excel_max: { zh: '不能大于 {limit}', en: 'Must be at most {limit}' },
  excel_too_many: { zh: '条目过多（最多 {limit} 条）', en: 'Too many entries (at most {limit})' },
  excel_sequence: { zh: '序号应为正整数，且在同一事项内不重复', en: 'Sequence must be a positive whole number, unique within the item' },
  excel_implementation_code: {
    zh: '实施编码应为 31 位：18 位统一社会信用代码 + 1 位行使层级 + 12 位基本编码',
    en: 'Implementation code must be 31 characters: 18-character credit code + level digit + 12-character basic code',
  },
  excel_credit_code: { zh: '实施编码中的统一社会信用代码不正确（GB 32100）', en: 'The credit code inside the implementation code is invalid (GB 32100)' },
  excel_code_mismatch: { zh: '与实施编码中的部分（{expected}）不一致', en: 'Does not match the implementation code ({expected})' },
  excel_duplicate_item: { zh: '实施编码在事项表中重复（第 {rows} 行）', en: 'Implementation code repeated on the 事项 sheet (rows {rows})' },
  excel_unknown_item: { zh: '事项表中没有该实施编码', en: 'This implementation code is not on the 事项 sheet' },
  excel_unknown_department: { zh: '找不到统一社会信用代码为 {creditCode} 的实施主体', en: 'No implementing body has the credit code {creditCode}' },
  excel_department_mismatch: { zh: '实施编码对应的实施主体是“{name}”', en: 'The implementation code belongs to "{name}"' },
  excel_unknown_hall: { zh: '找不到名为“{name}”的政务服务大厅', en: 'No hall is named "{name}"' },
  excel_ambiguous_hall: { zh: '有多个名为“{name}”的大厅，请联系管理员区分名称', en: 'Several halls are named "{name}"' },
  excel_unknown_proof: { zh: '保留证明事项清单中没有编码 {code}', en: 'No retained proof has the code {code}' },
  excel_unknown_intermediary: { zh: '中介服务清单中没有编码 {code}', en: 'No intermediary service has the code {code}' },
  excel_invalid_json: { zh: '不是有效的 JSON（{reason}）', en: 'Not valid JSON ({reason})' },
  excel_form_shape: { zh: '表单JSON 应为 {"schema": {...}, "ui": {"order": [...], "fields": {...}}}', en: 'Form JSON must be {"schema": {...}, "ui": {"order": [...], "fields": {...}}}' },
});

// --- code tables ----------------------------------------------------------------------------

interface CodeTable {
  title: string;
  codes: readonly string[];
  labels: Record<string, { zh: string }>;
  /** Write "code label" (numeric codes officials know) rather than the label alone. */
  showCode: boolean;
  byText: Map<string, string>;
}

function codeTable(title: string, codes: readonly string[], labels: Record<string, { zh: string }>, showCode: boolean): CodeTable {
  const byText = new Map<string, string>();
  for (const code of codes) {
    byText.set(code, code);
    byText.set(labels[code]!.zh, code);
    byText.set(`${code} ${labels[code]!.zh}`, code);
  }
  return { title, codes, labels, showCode, byText };
}

const LEVEL_CODES = ['1', '2', '3', '4', '5', '6'] as const;
const DEPTH_CODES = ['1', '2', '3', '4'] as const;

const TABLES = {
  itemType: codeTable('事项类型（GB/T 39046-2020 附录 A.1）', ITEM_TYPES, ITEM_TYPE_LABELS, true),
  nature: codeTable('实施主体性质', IMPLEMENTER_NATURES, IMPLEMENTER_NATURE_LABELS, true),
  level: codeTable('行使层级', LEVEL_CODES, EXERCISE_LEVEL_LABELS, true),
  serviceObject: codeTable('服务对象', SERVICE_OBJECTS, SERVICE_OBJECT_LABELS, true),
  caseKind: codeTable('办件类型', CASE_KINDS, CASE_KIND_LABELS, true),
  handlingForm: codeTable('办理形式', HANDLING_FORMS, HANDLING_FORM_LABELS, true),
  depth: codeTable('网上办理深度', DEPTH_CODES, ONLINE_DEPTH_LABELS, true),
  theme: codeTable('主题', THEMES, THEME_LABELS, false),
  handlingItemKind: codeTable('业务办理项类型', HANDLING_ITEM_KINDS, HANDLING_ITEM_KIND_LABELS, false),
  role: codeTable('办理岗位', STAFF_ROLES, ROLE_LABELS, false),
  source: codeTable('材料来源渠道', MATERIAL_SOURCES, MATERIAL_SOURCE_LABELS, false),
  requirement: codeTable('材料必要性', MATERIAL_REQUIREMENTS, MATERIAL_REQUIREMENT_LABELS, false),
  resultKind: codeTable('办理结果类型', RESULT_KINDS, RESULT_KIND_LABELS, false),
  specialProcedure: codeTable('特别程序类型', SPECIAL_PROCEDURE_KINDS, SPECIAL_PROCEDURE_LABELS, true),
};

function display(table: CodeTable, code: string): string {
  const label = table.labels[code]?.zh;
  if (label === undefined) return code;
  return table.showCode ? `${code} ${label}` : label;
}

function allowedList(table: CodeTable): string {
  return table.codes.map((c) => display(table, c)).join('、');
}

/** A code from "01 行政许可", "01", "行政许可", or the number 1 (Excel drops leading zeros). */
function matchCode(table: CodeTable, raw: string | number): string | undefined {
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) return undefined;
    return table.codes.find((c) => /^\d+$/.test(c) && Number(c) === raw);
  }
  const text = raw.trim().replace(/\s+/g, ' ');
  return table.byText.get(text);
}

// --- sheets and columns ---------------------------------------------------------------------

export const SHEETS = {
  items: '事项',
  legalBasis: '设定依据',
  subItems: '子项',
  handlingItems: '业务办理项',
  procedure: '办理流程',
  materials: '申请材料',
  fees: '收费项目',
  results: '办理结果',
  halls: '办理地点',
  intermediaries: '中介服务',
  specialProcedures: '特别程序',
  parallel: '并联审批子事项',
  faq: '常见问题',
  form: '申请表单',
  guide: '说明',
} as const;

const CODE = '实施编码';
const SEQ = '序号';

const ITEM_COLUMNS = {
  code: CODE,
  basicCode: '基本编码',
  name: '事项名称',
  type: '事项类型',
  implementer: '实施主体',
  nature: '实施主体性质',
  level: '行使层级',
  objects: '服务对象',
  legalDays: '法定办结时限(工作日)',
  promisedDays: '承诺办结时限(工作日)',
  caseKind: '办件类型',
  charged: '是否收费',
  forms: '办理形式',
  immediate: '马上办',
  online: '网上办',
  nearby: '就近办',
  oneVisit: '一次办',
  depth: '网上办理深度',
  visits: '到现场次数',
  appointment: '支持预约',
  express: '支持物流快递',
  payment: '支持网上支付',
  decideWhileOwed: '容缺补齐前可决定',
  enquiryPhone: '咨询电话',
  complaintPhone: '监督投诉电话',
  conditions: '受理条件',
  keywords: '关键词',
  themes: '主题',
  version: '版本',
  effectiveFrom: '生效日期',
  // 秒批 and 告知承诺 (ADR 0014): optional, after the columns older workbooks have
  instantApproval: '秒批',
  commitment: '告知承诺(JSON)',
} as const;

interface SheetSpec {
  name: string;
  columns: readonly string[];
  /** Number formats by column: '@' (text) keeps leading zeros and long digit strings as typed. */
  formats: Record<string, string>;
  widths: Record<string, number>;
}

const SHEET_SPECS: SheetSpec[] = [
  {
    name: SHEETS.items,
    columns: Object.values(ITEM_COLUMNS),
    formats: { [CODE]: '@', 基本编码: '@', 咨询电话: '@', 监督投诉电话: '@', 生效日期: '@' },
    widths: { [CODE]: 34, 事项名称: 30, 实施主体: 26, 受理条件: 50, 服务对象: 18, 网上办理深度: 24 },
  },
  child(SHEETS.legalBasis, [CODE, SEQ, '法律法规名称', '条款', '条款内容'], [], { 法律法规名称: 40, 条款内容: 60 }),
  child(SHEETS.subItems, [CODE, SEQ, '子项编码', '子项名称'], ['子项编码'], { 子项名称: 40 }),
  child(SHEETS.handlingItems, [CODE, SEQ, '办理项名称', '办理项类型'], [], { 办理项名称: 40 }),
  child(SHEETS.procedure, [CODE, SEQ, '环节名称', '岗位', '时限(工作日)'], [], { 岗位: 16 }),
  child(
    SHEETS.materials,
    [CODE, '材料标识', '材料名称', '来源渠道', '必要性', '纸质份数', '原件份数', '证明事项编码', '电子证照类型', '共享资源', '样表文件', '空白表格文件', '备注'],
    ['材料标识', '证明事项编码', '电子证照类型', '共享资源', '样表文件', '空白表格文件'],
    { 材料名称: 40, 备注: 30 },
  ),
  child(SHEETS.fees, [CODE, SEQ, '收费项目名称', '金额(元)', '收费依据'], [], { 收费项目名称: 30, 收费依据: 40 }, { '金额(元)': '0.00' }),
  child(SHEETS.results, [CODE, SEQ, '结果名称', '结果类型', '电子证照类型'], ['电子证照类型'], { 结果名称: 30 }),
  child(SHEETS.halls, [CODE, '大厅名称'], [], { 大厅名称: 36 }),
  child(SHEETS.intermediaries, [CODE, '中介服务编码', '中介服务名称'], ['中介服务编码'], { 中介服务名称: 40 }),
  child(SHEETS.specialProcedures, [CODE, SEQ, '程序类型', '程序名称', '时限(工作日)'], [], { 程序类型: 30, 程序名称: 30 }),
  child(SHEETS.parallel, [CODE, SEQ, '子事项实施编码', '子事项名称', '是否必办'], ['子事项实施编码'], { 子事项实施编码: 34, 子事项名称: 36 }),
  child(SHEETS.faq, [CODE, SEQ, '问题', '解答'], [], { 问题: 40, 解答: 60 }),
  child(SHEETS.form, [CODE, '表单JSON'], [], { 表单JSON: 80 }),
];

function child(name: string, columns: string[], text: string[], widths: Record<string, number>, formats: Record<string, string> = {}): SheetSpec {
  return {
    name,
    columns,
    formats: { ...Object.fromEntries([CODE, ...text].map((c) => [c, '@'])), ...formats },
    widths: { [CODE]: 34, ...widths },
  };
}

const SPEC_BY_NAME = new Map(SHEET_SPECS.map((s) => [s.name, s]));

/** Header text as compared: full-width brackets folded, spaces dropped. */
function normalizeHeader(text: string): string {
  return text.replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '');
}

function columnLetter(index: number): string {
  let n = index;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

// --- export ---------------------------------------------------------------------------------

const YES = '是';
const NO = '否';
const yesNo = (b: boolean) => (b ? YES : NO);
const SEPARATOR = '、';

/**
 * Text as a worksheet can hold it: XML 1.0 has no place for most control characters or lone
 * surrogates (a cell holding one makes the whole file unreadable), and parsers turn CR LF into LF.
 */
function xmlSafe<T>(value: T): T {
  if (typeof value !== 'string') return value;
  // eslint-disable-next-line no-control-regex
  return value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '') as T;
}

function yuan(fen: number): number {
  return fen / 100;
}

function conditionsCell(conditions: readonly string[]): string {
  return conditions.map((c, i) => `${i + 1}. ${c}`).join('\n');
}

/**
 * Writes the catalog as a workbook. `items` are the current published versions; ids inside the
 * content (halls, proofs, intermediaries) are written as the names and codes officials use.
 */
export async function writeCatalogWorkbook(items: readonly ExchangeItem[], directory: ExchangeDirectory): Promise<Buffer> {
  const hallName = new Map(directory.halls.map((h) => [h.id, h.name]));
  const proofCode = new Map(directory.proofs.map((p) => [p.id, p.code]));
  const intermediary = new Map(directory.intermediaries.map((i) => [i.id, i]));
  // components of a composite item are named after the exported item of that code, when there is one
  const itemName = new Map(items.map((i) => [i.implementationCode, i.content.name]));

  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: true });
  workbook.creator = 'Tongban 通办';

  const sheets = new Map<string, ExcelJS.Worksheet>();
  for (const spec of SHEET_SPECS) {
    const ws = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = spec.columns.map((h) => ({
      width: spec.widths[h] ?? Math.max(10, h.length * 2 + 2),
      ...(spec.formats[h] ? { style: { numFmt: spec.formats[h] } } : {}),
    }));
    const header = ws.addRow([...spec.columns]);
    header.font = { bold: true };
    header.commit();
    sheets.set(spec.name, ws);
  }
  const add = (sheet: string, values: Array<string | number | null>) => sheets.get(sheet)!.addRow(values.map(xmlSafe)).commit();

  for (const item of items) {
    const c = item.content;
    const code = item.implementationCode;
    add(SHEETS.items, [
      code,
      item.basicCode,
      c.name,
      display(TABLES.itemType, c.type),
      item.departmentName,
      display(TABLES.nature, c.implementerNature),
      display(TABLES.level, String(item.exerciseLevel)),
      c.serviceObjects.map((o) => display(TABLES.serviceObject, o)).join(SEPARATOR),
      c.legalDays,
      c.promisedDays,
      display(TABLES.caseKind, c.caseKind),
      yesNo(!c.fees.free),
      c.handlingForms.map((f) => display(TABLES.handlingForm, f)).join(SEPARATOR),
      yesNo(c.handling.immediate),
      yesNo(c.handling.online),
      yesNo(c.handling.nearby),
      yesNo(c.handling.oneVisit),
      display(TABLES.depth, String(c.onlineDepth)),
      c.visitsRequired,
      yesNo(c.appointment),
      yesNo(c.expressDelivery),
      yesNo(c.onlinePayment),
      c.decideWhileOwed === undefined ? null : yesNo(c.decideWhileOwed),
      c.enquiryPhone,
      c.complaintPhone,
      conditionsCell(c.acceptanceConditions),
      c.keywords.join(SEPARATOR),
      c.themes.map((t) => display(TABLES.theme, t)).join(SEPARATOR),
      item.version,
      item.effectiveFrom,
      c.instantApproval === undefined ? null : yesNo(c.instantApproval),
      c.commitment ? JSON.stringify(c.commitment) : null,
    ]);
    c.legalBasis.forEach((b, i) => add(SHEETS.legalBasis, [code, i + 1, b.title, b.article ?? null, b.text ?? null]));
    c.subItems.forEach((s, i) => add(SHEETS.subItems, [code, i + 1, s.code ?? null, s.name]));
    c.handlingItems.forEach((h, i) => add(SHEETS.handlingItems, [code, i + 1, h.name, display(TABLES.handlingItemKind, h.kind)]));
    c.procedure.forEach((p, i) => add(SHEETS.procedure, [code, i + 1, p.name, display(TABLES.role, p.role), p.days]));
    for (const m of c.materials) {
      add(SHEETS.materials, [
        code,
        m.id,
        m.name,
        display(TABLES.source, m.source),
        display(TABLES.requirement, m.requirement),
        m.paperCopies,
        m.originals,
        m.proofId ? (proofCode.get(m.proofId) ?? m.proofId) : null,
        m.licenseTypeCode ?? null,
        m.resourceId ?? null,
        m.sampleFileId ?? null,
        m.templateFileId ?? null,
        m.notes ?? null,
      ]);
    }
    c.fees.items.forEach((f, i) => add(SHEETS.fees, [code, i + 1, f.name, yuan(f.amountFen), f.basis]));
    c.results.forEach((r, i) => add(SHEETS.results, [code, i + 1, r.name, display(TABLES.resultKind, r.kind), r.licenseTypeCode ?? null]));
    for (const id of c.hallIds) add(SHEETS.halls, [code, hallName.get(id) ?? id]);
    for (const id of c.intermediaryServiceIds) add(SHEETS.intermediaries, [code, intermediary.get(id)?.code ?? id, intermediary.get(id)?.name ?? null]);
    c.specialProcedures.forEach((s, i) => add(SHEETS.specialProcedures, [code, i + 1, display(TABLES.specialProcedure, s.kind), s.name, s.days]));
    (c.parallel ?? []).forEach((p, i) => add(SHEETS.parallel, [code, i + 1, p.implementationCode, itemName.get(p.implementationCode) ?? null, yesNo(p.required)]));
    c.faq.forEach((f, i) => add(SHEETS.faq, [code, i + 1, f.question, f.answer]));
    const form = JSON.stringify(c.form);
    for (let at = 0; at < form.length; ) {
      let end = Math.min(form.length, at + FORM_CHUNK);
      if (end < form.length && /[\uD800-\uDBFF]/.test(form[end - 1]!)) end -= 1; // never split a surrogate pair
      add(SHEETS.form, [code, form.slice(at, end)]);
      at = end;
    }
  }

  writeGuide(workbook.addWorksheet(SHEETS.guide));
  for (const ws of sheets.values()) ws.commit();
  await workbook.commit();
  await finished;
  return Buffer.concat(chunks);
}

function writeGuide(ws: ExcelJS.Worksheet): void {
  ws.columns = [{ width: 22 }, { width: 16 }, { width: 90 }];
  const row = (values: string[], bold = false) => {
    const r = ws.addRow(values);
    if (bold) r.font = { bold: true };
    r.commit();
  };
  row(['通办 事项目录交换工作簿', '', '由“导出”生成；修改后可按原样导入。导入的内容成为草稿，须经另一名事项管理员审核发布后生效（双人复核）。'], true);
  row([]);
  row(['填写规则', '', ''], true);
  const rules: Array<[string, string]> = [
    ['工作表', `“${SHEETS.items}”每个事项一行；其他工作表按“实施编码”关联到事项，每条一行。工作表名称和第 1 行表头请勿修改。`],
    ['实施编码', '31 位：18 位统一社会信用代码 + 1 位行使层级 + 12 位基本编码。导入时按实施编码新增事项，或为已有事项生成新的草稿版本。'],
    ['代码列', '可填“代码 名称”（如 01 行政许可）、代码或名称，取值见下表。'],
    ['多个取值', '以顿号“、”分隔（也可用分号、逗号或换行）。'],
    ['是/否', '填写“是”或“否”。'],
    ['受理条件', '每条一行，以“1. ”“2. ”编号；一条内需换行时，续行不要编号。'],
    ['序号', '同一事项内的顺序，正整数且不重复。'],
    ['金额(元)', '以元为单位，最多两位小数（精确到分）。'],
    ['时限', '工作日数，整数。'],
    ['日期', 'YYYY-MM-DD。'],
    ['办理地点', '填写政务服务大厅名称，须与大厅名录一致。'],
    ['证明事项编码', '须为保留证明事项清单中的编码。'],
    ['中介服务编码', '须为中介服务清单中的编码；“中介服务名称”仅供阅读，导入时不读取。'],
    ['并联审批子事项', '并联审批（“一件事”）事项的各子事项，每个一行：子事项的实施编码与是否必办；“子事项名称”仅供阅读，导入时不读取。'],
    ['容缺补齐前可决定', '可空；填“是”表示容缺材料补齐前可以作出决定。'],
    ['申请表单', `表单JSON 为 {"schema": JSON Schema, "ui": {"order": [...], "fields": {...}}}；超过 ${FORM_CHUNK} 字时分多行续写（同一实施编码的各行按顺序拼接）。`],
    ['版本、生效日期', '导出时的版本号和生效日期，仅供参考；导入生成的草稿在发布时另定生效日期。'],
  ];
  for (const [k, v] of rules) row([k, '', v]);
  row([]);
  row(['代码表', '代码', '名称'], true);
  for (const table of Object.values(TABLES)) {
    for (const code of table.codes) row([table.title, table.showCode ? code : '', table.labels[code]!.zh]);
  }
  ws.commit();
}

// --- reading --------------------------------------------------------------------------------

type Scalar = string | number | boolean | Date | null | { error: string };

/** One data row of a known sheet: the cells of its spec's columns, in spec order. */
interface RawRow {
  row: number;
  cells: Scalar[];
  /** Columns (letters) holding something under no header. */
  headless: string[];
}

interface RawSheet {
  spec: SheetSpec;
  rows: RawRow[];
  headerError: CellError | null;
}

class LimitExceeded extends Error {
  constructor(
    readonly kind: 'rows' | 'columns',
    readonly sheet: string,
    readonly limit: number,
  ) {
    super(`${kind} limit exceeded on ${sheet}`);
  }
}

function scalarOf(value: unknown): Scalar {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return (v.richText as Array<{ text?: unknown }>).map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
    if ('formula' in v || 'sharedFormula' in v) return scalarOf(v.result);
    if ('hyperlink' in v) return scalarOf(v.text);
    if ('error' in v) return { error: String(v.error) };
  }
  return null;
}

function isBlank(value: Scalar): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function xmlDecode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|\w+);/g, (whole, name: string) => {
    const point = name.startsWith('#x') ? parseInt(name.slice(2), 16) : name.startsWith('#') ? parseInt(name.slice(1), 10) : NaN;
    if (!Number.isNaN(point)) return point <= 0x10ffff ? String.fromCodePoint(point) : whole;
    return XML_ENTITIES[name] ?? whole;
  });
}

function attribute(attrs: string, pattern: RegExp): string | undefined {
  const m = pattern.exec(attrs);
  return m ? xmlDecode(m[1]!) : undefined;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The workbook's sheets by name, each pointing at its part, read from xl/workbook.xml and its
 * relationships (ECMA-376 part 1, 18.2.19 and 18.2.20).
 */
function sheetParts(workbookXml: string, relsXml: string): { sheets: Array<{ name: string; part: string }>; date1904: boolean } {
  const targets = new Map<string, string>();
  for (const m of relsXml.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const id = attribute(m[1]!, /\bId="([^"]*)"/);
    const target = attribute(m[1]!, /\bTarget="([^"]*)"/);
    if (!id || !target) continue;
    const part = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
    targets.set(id, part.replace(/\/\.\//g, '/'));
  }
  const sheets: Array<{ name: string; part: string }> = [];
  for (const m of workbookXml.matchAll(/<(?:\w+:)?sheet\b([^>]*?)\/?>/g)) {
    const name = attribute(m[1]!, /\bname="([^"]*)"/);
    const rid = attribute(m[1]!, /\s\w+:id="([^"]*)"/);
    const part = rid ? targets.get(rid) : undefined;
    if (name !== undefined && part) sheets.push({ name, part });
  }
  const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"/.test(workbookXml);
  return { sheets, date1904 };
}

/** The parts read besides the worksheets (styles, themes, drawings … are never inflated). */
const WORKBOOK_PARTS = new Set(['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml']);

/**
 * The sheets of an .xlsx buffer, read row by row, with sheet-level problems. Throws AppErrors
 * (415 not a workbook, 400 unreadable / too large / too many rows) when it must stop.
 */
async function readWorkbook(buffer: Buffer): Promise<{ sheets: Map<string, RawSheet>; errors: CellError[]; date1904: boolean }> {
  let parts: Map<string, Buffer>;
  try {
    parts = await extractEntries(buffer, EXCHANGE_LIMITS.zip, (name) => WORKBOOK_PARTS.has(name) || /^xl\/worksheets\/[^/]+\.xml$/.test(name));
  } catch (err) {
    if (err instanceof ZipRefused) {
      if (err.problem === 'not_zip') throw ExchangeErrors.workbook_not_xlsx();
      if (err.problem === 'too_large' || err.problem === 'entry_too_large') throw ExchangeErrors.workbook_too_large({ limit: `${EXCHANGE_LIMITS.zip.maxTotalBytes / 1024 / 1024} MiB` });
      throw ExchangeErrors.workbook_unreadable({ reason: UNREADABLE_REASONS[err.problem] ?? UNREADABLE_REASONS.corrupt! });
    }
    throw err;
  }
  const workbookXml = parts.get('xl/workbook.xml');
  const relsXml = parts.get('xl/_rels/workbook.xml.rels');
  if (!workbookXml || !relsXml) throw ExchangeErrors.workbook_unreadable({ reason: UNREADABLE_REASONS.no_workbook! });
  const { sheets: listed, date1904 } = sheetParts(workbookXml.toString('utf8'), relsXml.toString('utf8'));

  const errors: CellError[] = [];
  const known: Array<{ spec: SheetSpec; part: Buffer }> = [];
  const seen = new Set<string>();
  for (const { name, part } of listed) {
    const trimmed = name.trim();
    if (trimmed === SHEETS.guide) continue;
    const spec = SPEC_BY_NAME.get(trimmed);
    if (!spec) {
      errors.push({ sheet: name, row: null, column: null, code: ExchangeFieldCodes.excel_unknown_sheet, params: { name, expected: SHEET_SPECS.map((s) => s.name).join('、') } });
      continue;
    }
    if (seen.has(spec.name)) {
      errors.push({ sheet: spec.name, row: null, column: null, code: ExchangeFieldCodes.excel_duplicate_sheet, params: { name: spec.name } });
      continue;
    }
    seen.add(spec.name);
    const data = parts.get(part);
    if (!data) throw ExchangeErrors.workbook_unreadable({ reason: UNREADABLE_REASONS.corrupt! });
    known.push({ spec, part: data });
  }
  for (const spec of SHEET_SPECS) {
    if (!seen.has(spec.name)) errors.push({ sheet: spec.name, row: null, column: null, code: ExchangeFieldCodes.excel_missing_sheet, params: { name: spec.name } });
  }

  // A clean package for exceljs's streaming reader: relationships, workbook, shared strings first
  // so it parses worksheet rows as they stream (no spooling to temporary files).
  const entries: Array<[string, Buffer]> = [
    ['xl/_rels/workbook.xml.rels', Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${known
        .map((_k, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
        .join('')}</Relationships>`,
    )],
    ['xl/workbook.xml', Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr${date1904 ? ' date1904="1"' : ''}/><sheets>${known
        .map((k, i) => `<sheet name="${escapeXml(k.spec.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
        .join('')}</sheets></workbook>`,
    )],
    ['xl/sharedStrings.xml', parts.get('xl/sharedStrings.xml') ?? Buffer.from('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')],
    ...known.map((k, i): [string, Buffer] => [`xl/worksheets/sheet${i + 1}.xml`, k.part]),
  ];
  parts.clear();
  const specs = known.map((k) => k.spec);
  known.length = 0;

  const sheets = new Map<string, RawSheet>();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([storedZip(entries)]), {
    sharedStrings: 'cache',
    styles: 'ignore',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  try {
    for await (const ws of reader) {
      const id = Number((ws as unknown as { id: string | number }).id);
      const spec = specs[id - 1];
      if (!spec) continue;
      sheets.set(spec.name, await readSheet(spec, ws as unknown as AsyncIterable<ExcelJS.Row>));
    }
  } catch (err) {
    if (err instanceof LimitExceeded) {
      throw err.kind === 'rows'
        ? ExchangeErrors.workbook_too_many_rows({ sheet: err.sheet, limit: err.limit })
        : ExchangeErrors.workbook_too_many_columns({ sheet: err.sheet, limit: err.limit });
    }
    throw ExchangeErrors.workbook_unreadable({ reason: UNREADABLE_REASONS.parse! });
  }
  for (const sheet of sheets.values()) if (sheet.headerError) errors.push(sheet.headerError);
  return { sheets, errors, date1904 };
}

function listNames(names: string[], lang: Lang): string {
  if (names.length <= 12) return names.join('、');
  return lang === 'zh' ? `${names.slice(0, 12).join('、')} 等 ${names.length} 列` : `${names.slice(0, 12).join('、')} and ${names.length - 12} more`;
}

async function readSheet(spec: SheetSpec, rows: AsyncIterable<ExcelJS.Row>): Promise<RawSheet> {
  const sheet: RawSheet = { spec, rows: [], headerError: null };
  let columnOf: number[] | null = null; // sheet column index -> spec column index, -1 when unknown
  let count = 0;
  for await (const row of rows) {
    const values = row.values as unknown[];
    if (values.length - 1 > EXCHANGE_LIMITS.maxColumns && values.slice(EXCHANGE_LIMITS.maxColumns + 1).some((v) => !isBlank(scalarOf(v)))) {
      throw new LimitExceeded('columns', spec.name, EXCHANGE_LIMITS.maxColumns);
    }
    if (columnOf === null) {
      columnOf = [];
      const header = row.number === 1 ? values : [];
      const wanted = new Map(spec.columns.map((c, i) => [normalizeHeader(c), i]));
      const found = new Map<number, number>();
      const unknown: string[] = [];
      const duplicated: string[] = [];
      for (let i = 1; i < header.length; i++) {
        const raw = scalarOf(header[i]);
        if (isBlank(raw)) {
          columnOf[i] = -1;
          continue;
        }
        const text = typeof raw === 'string' ? raw : String(raw);
        const index = wanted.get(normalizeHeader(text));
        if (index === undefined) {
          unknown.push(text.trim());
          columnOf[i] = -1;
        } else if (found.has(index)) {
          duplicated.push(spec.columns[index]!);
          columnOf[i] = -1;
        } else {
          found.set(index, i);
          columnOf[i] = index;
        }
      }
      const missing = spec.columns.filter((_c, i) => !found.has(i));
      if (missing.length > 0 || unknown.length > 0 || duplicated.length > 0) {
        const zh: string[] = [];
        const en: string[] = [];
        if (missing.length > 0) {
          zh.push(`缺少列 ${listNames(missing, 'zh')}`);
          en.push(`missing ${listNames(missing, 'en')}`);
        }
        if (unknown.length > 0) {
          zh.push(`不认识的列 ${listNames(unknown, 'zh')}`);
          en.push(`unknown ${listNames(unknown, 'en')}`);
        }
        if (duplicated.length > 0) {
          zh.push(`重复的列 ${listNames(duplicated, 'zh')}`);
          en.push(`repeated ${listNames(duplicated, 'en')}`);
        }
        zh.push(`应为：${spec.columns.join('、')}`);
        en.push(`expected: ${spec.columns.join(', ')}`);
        sheet.headerError = { sheet: spec.name, row: 1, column: null, code: ExchangeFieldCodes.excel_bad_header, params: { detail: { zh: zh.join('；'), en: en.join('; ') } } };
      }
      if (row.number === 1) continue;
    }
    const maxRows = spec.name === SHEETS.items ? EXCHANGE_LIMITS.maxItems : EXCHANGE_LIMITS.maxChildRows;
    if (++count > maxRows) throw new LimitExceeded('rows', spec.name, maxRows);
    if (sheet.headerError) continue; // counted, not kept: the sheet is refused anyway
    const cells: Scalar[] = new Array<Scalar>(spec.columns.length).fill(null);
    const headless: string[] = [];
    let empty = true;
    for (let i = 1; i < values.length; i++) {
      const value = scalarOf(values[i]);
      if (isBlank(value)) continue;
      empty = false;
      const index = columnOf[i] ?? -1;
      if (index < 0) headless.push(columnLetter(i));
      else cells[index] = value;
    }
    if (!empty) sheet.rows.push({ row: row.number, cells, headless });
  }
  if (columnOf === null) {
    sheet.headerError = {
      sheet: spec.name,
      row: 1,
      column: null,
      code: ExchangeFieldCodes.excel_bad_header,
      params: { detail: { zh: `缺少表头，应为：${spec.columns.join('、')}`, en: `no header; expected: ${spec.columns.join(', ')}` } },
    };
  }
  return sheet;
}

// --- cell parsing ---------------------------------------------------------------------------

/** Reads the cells of one row, recording an error for each bad one. */
class RowReader {
  readonly errors: CellError[] = [];

  constructor(
    readonly sheet: RawSheet,
    readonly raw: RawRow,
    private readonly date1904: boolean,
  ) {
    for (const letter of raw.headless) this.fail(`${letter} 列`, ExchangeFieldCodes.excel_headless_column);
  }

  fail(column: string | null, code: string, params?: Params): undefined {
    this.errors.push({ sheet: this.sheet.spec.name, row: this.raw.row, column, code, ...(params ? { params } : {}) });
    return undefined;
  }

  hasError(column: string): boolean {
    return this.errors.some((e) => e.column === column);
  }

  /** The cell, or undefined when blank; an error value or an over-long string is reported here. */
  private cell(column: string): Exclude<Scalar, null | { error: string }> | undefined {
    const index = this.sheet.spec.columns.indexOf(column);
    const value = index >= 0 ? this.raw.cells[index] : null;
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'object' && !(value instanceof Date)) return this.fail(column, ExchangeFieldCodes.excel_cell_error, { value: value.error });
    if (typeof value === 'string') {
      if (value.length > EXCHANGE_LIMITS.maxCellChars) return this.fail(column, FieldCodes.too_long, { limit: EXCHANGE_LIMITS.maxCellChars });
      if (value.trim() === '') return undefined;
    }
    return value;
  }

  /** Text, trimmed; numbers typed into a text column are taken as their digits. */
  text(column: string, required: boolean): string | undefined {
    const value = this.cell(column);
    if (value === undefined) return required && !this.hasError(column) ? this.fail(column, FieldCodes.required) : undefined;
    if (typeof value === 'string') return value.trim();
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    return this.fail(column, ExchangeFieldCodes.excel_text);
  }

  /** Raw text, untrimmed (for JSON chunks, where spaces may be significant). */
  rawText(column: string): string | undefined {
    const value = this.cell(column);
    if (value === undefined) return this.hasError(column) ? undefined : this.fail(column, FieldCodes.required);
    if (typeof value === 'string') return value;
    return this.fail(column, ExchangeFieldCodes.excel_text);
  }

  integer(column: string, required = true): number | undefined {
    const value = this.cell(column);
    if (value === undefined) return required && !this.hasError(column) ? this.fail(column, FieldCodes.required) : undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    if (typeof value === 'string' && /^\d{1,9}$/.test(value.trim())) return Number(value.trim());
    return this.fail(column, ExchangeFieldCodes.excel_integer);
  }

  yesNo(column: string, required = true): boolean | undefined {
    const value = this.cell(column);
    if (value === undefined) return this.hasError(column) || !required ? undefined : this.fail(column, FieldCodes.required);
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      const t = value.trim();
      if (t === YES) return true;
      if (t === NO) return false;
    }
    return this.fail(column, ExchangeFieldCodes.excel_yes_no);
  }

  code<T extends string>(column: string, table: CodeTable): T | undefined {
    const value = this.cell(column);
    if (value === undefined) return this.hasError(column) ? undefined : this.fail(column, FieldCodes.required);
    const code = typeof value === 'string' || typeof value === 'number' ? matchCode(table, value) : undefined;
    return (code as T | undefined) ?? this.fail(column, ExchangeFieldCodes.excel_code, { allowed: allowedList(table) });
  }

  codes<T extends string>(column: string, table: CodeTable): T[] | undefined {
    const value = this.cell(column);
    if (value === undefined) return this.hasError(column) ? undefined : [];
    const parts = typeof value === 'number' ? [value] : typeof value === 'string' ? splitList(value) : null;
    if (parts === null) return this.fail(column, ExchangeFieldCodes.excel_code, { allowed: allowedList(table) });
    const result: T[] = [];
    for (const part of parts) {
      const code = matchCode(table, part);
      if (code === undefined) return this.fail(column, ExchangeFieldCodes.excel_code, { allowed: allowedList(table) });
      if (result.includes(code as T)) return this.fail(column, ExchangeFieldCodes.excel_duplicate_value, { value: display(table, code) });
      result.push(code as T);
    }
    return result;
  }

  list(column: string): string[] | undefined {
    const value = this.text(column, false);
    return value === undefined ? (this.hasError(column) ? undefined : []) : splitList(value);
  }

  /** Amount in yuan → integer fen, exactly (no floating-point rounding), at most two decimals. */
  fen(column: string): number | undefined {
    const value = this.cell(column);
    if (value === undefined) return this.hasError(column) ? undefined : this.fail(column, FieldCodes.required);
    let text: string;
    if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
    else if (typeof value === 'string') text = value.trim().replace(/,/g, '').replace(/元$/, '').trim();
    else return this.fail(column, ExchangeFieldCodes.excel_money);
    const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(text);
    if (!m) return this.fail(column, ExchangeFieldCodes.excel_money);
    const decimals = (m[2] ?? '').replace(/0+$/, '');
    if (decimals.length > 2) return this.fail(column, ExchangeFieldCodes.excel_money_precision);
    return Number(m[1]) * 100 + Number(decimals.padEnd(2, '0'));
  }

  /** YYYY-MM-DD from text (also YYYY/M/D) or an Excel date serial. */
  date(column: string): string | undefined {
    const value = this.cell(column);
    if (value === undefined) return undefined;
    let y: number, mo: number, d: number;
    if (value instanceof Date) {
      [y, mo, d] = [value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()];
    } else if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 2_958_466) {
      const base = this.date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
      const date = new Date(base + value * 86_400_000);
      [y, mo, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    } else if (typeof value === 'string') {
      const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(value.trim());
      if (!m) return this.fail(column, ExchangeFieldCodes.excel_date);
      [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const check = new Date(Date.UTC(y, mo - 1, d));
      if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return this.fail(column, ExchangeFieldCodes.excel_date);
    } else {
      return this.fail(column, ExchangeFieldCodes.excel_date);
    }
    return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
}

function splitList(text: string): string[] {
  return text.split(/[、;；,，\r\n]+/).map((s) => s.trim()).filter((s) => s !== '');
}

/** "1. …\n2. …" → conditions; an unnumbered line continues the one before. Without numbers: one per line. */
export function parseConditions(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const numbered = /^\s*1\s*[.．、)）]/.test(lines.find((l) => l.trim() !== '') ?? '');
  if (!numbered) return lines.map((l) => l.trim()).filter((l) => l !== '');
  const result: string[] = [];
  for (const line of lines) {
    const m = /^\s*(\d+)\s*[.．、)）]\s?(.*)$/.exec(line);
    if (m && Number(m[1]) === result.length + 1) result.push(m[2]!);
    else if (result.length > 0) result[result.length - 1] += `\n${line}`;
  }
  return result.map((c) => c.trim());
}

// --- assembly -------------------------------------------------------------------------------

const compiledContent = Compile(ItemContent);

/** Where a piece of content came from, for errors found after assembly (schema, service). */
export interface ContentLocator {
  locate(path: string): { sheet: string; row: number; column: string | null };
}

interface ItemDraft {
  parsed: ParsedItem;
  reader: RowReader;
  children: Map<string, Array<{ reader: RowReader; seq: number | undefined }>>;
}

/** Columns of the 事项 sheet by content field. */
const ITEM_FIELD_COLUMNS: Record<string, string> = {
  name: ITEM_COLUMNS.name,
  type: ITEM_COLUMNS.type,
  implementerNature: ITEM_COLUMNS.nature,
  serviceObjects: ITEM_COLUMNS.objects,
  acceptanceConditions: ITEM_COLUMNS.conditions,
  legalDays: ITEM_COLUMNS.legalDays,
  promisedDays: ITEM_COLUMNS.promisedDays,
  caseKind: ITEM_COLUMNS.caseKind,
  fees: ITEM_COLUMNS.charged,
  handlingForms: ITEM_COLUMNS.forms,
  handling: ITEM_COLUMNS.immediate,
  onlineDepth: ITEM_COLUMNS.depth,
  visitsRequired: ITEM_COLUMNS.visits,
  appointment: ITEM_COLUMNS.appointment,
  expressDelivery: ITEM_COLUMNS.express,
  onlinePayment: ITEM_COLUMNS.payment,
  decideWhileOwed: ITEM_COLUMNS.decideWhileOwed,
  instantApproval: ITEM_COLUMNS.instantApproval,
  commitment: ITEM_COLUMNS.commitment,
  enquiryPhone: ITEM_COLUMNS.enquiryPhone,
  complaintPhone: ITEM_COLUMNS.complaintPhone,
  keywords: ITEM_COLUMNS.keywords,
  themes: ITEM_COLUMNS.themes,
};
const HANDLING_COLUMNS: Record<string, string> = { immediate: ITEM_COLUMNS.immediate, online: ITEM_COLUMNS.online, nearby: ITEM_COLUMNS.nearby, oneVisit: ITEM_COLUMNS.oneVisit };

/** Content arrays kept on their own sheets, and the column of each field. */
const ARRAY_SHEETS: Record<string, { sheet: string; columns: Record<string, string>; column?: string }> = {
  legalBasis: { sheet: SHEETS.legalBasis, columns: { title: '法律法规名称', article: '条款', text: '条款内容' } },
  subItems: { sheet: SHEETS.subItems, columns: { code: '子项编码', name: '子项名称' } },
  handlingItems: { sheet: SHEETS.handlingItems, columns: { name: '办理项名称', kind: '办理项类型' } },
  procedure: { sheet: SHEETS.procedure, columns: { name: '环节名称', role: '岗位', days: '时限(工作日)' } },
  materials: {
    sheet: SHEETS.materials,
    columns: {
      id: '材料标识', name: '材料名称', source: '来源渠道', requirement: '必要性', paperCopies: '纸质份数', originals: '原件份数', proofId: '证明事项编码',
      licenseTypeCode: '电子证照类型', resourceId: '共享资源', sampleFileId: '样表文件', templateFileId: '空白表格文件', notes: '备注',
    },
  },
  'fees.items': { sheet: SHEETS.fees, columns: { name: '收费项目名称', amountFen: '金额(元)', basis: '收费依据' } },
  results: { sheet: SHEETS.results, columns: { name: '结果名称', kind: '结果类型', licenseTypeCode: '电子证照类型' } },
  hallIds: { sheet: SHEETS.halls, columns: {}, column: '大厅名称' },
  intermediaryServiceIds: { sheet: SHEETS.intermediaries, columns: {}, column: '中介服务编码' },
  specialProcedures: { sheet: SHEETS.specialProcedures, columns: { kind: '程序类型', name: '程序名称', days: '时限(工作日)' } },
  faq: { sheet: SHEETS.faq, columns: { question: '问题', answer: '解答' } },
  parallel: { sheet: SHEETS.parallel, columns: { implementationCode: '子事项实施编码', required: '是否必办' } },
};

function locatorFor(draft: ItemDraft): ContentLocator {
  const itemRow = draft.parsed.row;
  return {
    locate(path) {
      const parts = path.split('/').filter((p) => p !== '');
      const top = parts[0] ?? '';
      if (top === 'form') {
        const first = draft.children.get(SHEETS.form)?.[0];
        return first ? { sheet: SHEETS.form, row: first.reader.raw.row, column: '表单JSON' } : { sheet: SHEETS.items, row: itemRow, column: SHEETS.form };
      }
      const key = top === 'fees' && parts[1] === 'items' ? 'fees.items' : top;
      const arraySheet = ARRAY_SHEETS[key];
      if (arraySheet) {
        const rows = draft.children.get(arraySheet.sheet) ?? [];
        const index = Number(parts[key === 'fees.items' ? 2 : 1]);
        const field = parts[key === 'fees.items' ? 3 : 2];
        const at = Number.isInteger(index) ? rows[index] : undefined;
        if (at) return { sheet: arraySheet.sheet, row: at.reader.raw.row, column: field ? (arraySheet.columns[field] ?? null) : (arraySheet.column ?? null) };
        if (rows[0]) return { sheet: arraySheet.sheet, row: rows[0].reader.raw.row, column: null };
        return { sheet: SHEETS.items, row: itemRow, column: null };
      }
      if (top === 'handling') return { sheet: SHEETS.items, row: itemRow, column: HANDLING_COLUMNS[parts[1] ?? ''] ?? ITEM_COLUMNS.immediate };
      return { sheet: SHEETS.items, row: itemRow, column: ITEM_FIELD_COLUMNS[top] ?? null };
    },
  };
}

const KEYWORD_CODES: Record<string, string> = {
  required: FieldCodes.required,
  type: FieldCodes.invalid_type,
  format: FieldCodes.invalid_format,
  pattern: FieldCodes.invalid_format,
  maxLength: FieldCodes.too_long,
  minimum: ExchangeFieldCodes.excel_min,
  maximum: ExchangeFieldCodes.excel_max,
  minItems: FieldCodes.required,
  maxItems: ExchangeFieldCodes.excel_too_many,
  uniqueItems: FieldCodes.invalid_value,
  enum: FieldCodes.invalid_value,
};

/** The TypeBox check of ItemContent, each error placed on the cell it came from. */
export function schemaErrors(content: unknown, locator: ContentLocator): CellError[] {
  if (compiledContent.Check(content)) return [];
  const result: CellError[] = [];
  for (const e of compiledContent.Errors(content)) {
    if (e.keyword === 'required') {
      for (const name of (e.params as { requiredProperties?: string[] }).requiredProperties ?? []) {
        result.push({ ...locator.locate(`${e.instancePath}/${name}`), code: FieldCodes.required });
      }
      continue;
    }
    // A repeated entry: on the row or cell of the repeat (where the reader reported it already).
    const duplicate = e.keyword === 'uniqueItems' ? (e.params as { duplicateItems?: number[] }).duplicateItems?.[0] : undefined;
    const loc = locator.locate(duplicate !== undefined ? `${e.instancePath}/${duplicate}` : e.instancePath);
    let code = KEYWORD_CODES[e.keyword] ?? FieldCodes.invalid_value;
    const params: Params = {};
    const limit = (e.params as { limit?: unknown }).limit;
    if (typeof limit === 'number') params.limit = limit;
    if (e.keyword === 'minLength') code = limit === 1 ? FieldCodes.required : FieldCodes.too_short;
    result.push({ ...loc, code, ...(Object.keys(params).length > 0 ? { params } : {}) });
  }
  return result;
}

/**
 * Parses an uploaded workbook. Throws an AppError when the file cannot be read at all (not an
 * .xlsx, damaged, expands too far, too many rows); otherwise returns every item with its content
 * or its errors, rows of other sheets that belong to no item, and sheet-level problems.
 */
export async function parseCatalogWorkbook(buffer: Buffer, directory: ExchangeDirectory): Promise<ParsedWorkbook> {
  const { sheets, errors: sheetErrors, date1904 } = await readWorkbook(buffer);
  const itemsSheet = sheets.get(SHEETS.items);
  const departments = new Map(directory.departments.map((d) => [d.creditCode, d]));

  // 事项: identity and the item's own cells.
  const drafts: ItemDraft[] = [];
  const byCode = new Map<string, ItemDraft[]>();
  if (itemsSheet && !itemsSheet.headerError) {
    if (itemsSheet.rows.length === 0) sheetErrors.push({ sheet: SHEETS.items, row: null, column: null, code: ExchangeFieldCodes.excel_no_items });
    for (const raw of itemsSheet.rows) {
      const reader = new RowReader(itemsSheet, raw, date1904);
      const draft: ItemDraft = { parsed: readIdentity(reader, departments), reader, children: new Map() };
      drafts.push(draft);
      const list = byCode.get(draft.parsed.implementationCode) ?? [];
      list.push(draft);
      byCode.set(draft.parsed.implementationCode, list);
    }
    for (const [code, list] of byCode) {
      if (list.length < 2 || code === '') continue;
      const rows = list.map((d) => d.parsed.row).join('、');
      for (const d of list) d.reader.fail(CODE, ExchangeFieldCodes.excel_duplicate_item, { rows });
    }
  }

  // Other sheets: each row to its item by 实施编码, ordered by 序号 where the sheet has one.
  const orphans: OrphanRow[] = [];
  // Without a readable 事项 sheet every other row would be an orphan: its sheet error says it all.
  const itemsReadable = itemsSheet !== undefined && itemsSheet.headerError === null;
  for (const spec of itemsReadable ? SHEET_SPECS : []) {
    if (spec.name === SHEETS.items) continue;
    const sheet = sheets.get(spec.name);
    if (!sheet || sheet.headerError) continue;
    const hasSeq = spec.columns.includes(SEQ);
    for (const raw of sheet.rows) {
      const reader = new RowReader(sheet, raw, date1904);
      const code = (reader.text(CODE, true) ?? '').toUpperCase();
      const owner = code === '' ? undefined : byCode.get(code)?.[0];
      const seq = hasSeq ? reader.integer(SEQ) : undefined;
      if (!owner) {
        if (code !== '') reader.fail(CODE, ExchangeFieldCodes.excel_unknown_item);
        orphans.push({ sheet: spec.name, row: raw.row, implementationCode: code, errors: reader.errors });
        continue;
      }
      const list = owner.children.get(spec.name) ?? [];
      if (hasSeq && seq !== undefined && (seq < 1 || list.some((r) => r.seq === seq))) reader.fail(SEQ, ExchangeFieldCodes.excel_sequence);
      list.push({ reader, seq });
      owner.children.set(spec.name, list);
    }
  }

  const lookups = buildLookups(directory);
  for (const draft of drafts) {
    for (const [name, list] of draft.children) {
      if (SPEC_BY_NAME.get(name)!.columns.includes(SEQ)) list.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
    }
    const content = assemble(draft, lookups);
    const errors = [draft.reader.errors, ...[...draft.children.values()].flatMap((list) => list.map((r) => r.reader.errors))].flat();
    // The schema check runs on what could be read, so one upload shows every problem; where a
    // cell already has an error the schema's version of it (a hole, a wrong type) is dropped. An
    // item whose 实施编码 is unusable has no rows in the other sheets (they are reported there).
    const taken = new Set(errors.map((e) => `${e.sheet}|${e.row}|${e.column}`));
    const codeUnusable = draft.reader.errors.some((e) => e.column === CODE && e.code !== ExchangeFieldCodes.excel_duplicate_item);
    for (const e of codeUnusable ? [] : schemaErrors(content, locatorFor(draft))) {
      const key = `${e.sheet}|${e.row}|${e.column}`;
      if (taken.has(key)) continue;
      taken.add(key);
      errors.push(e);
    }
    draft.parsed.errors = errors;
    draft.parsed.content = errors.length === 0 ? (content as ItemContent) : null;
  }
  return { items: drafts.map((d) => d.parsed), orphans, sheetErrors };
}

/** The locator of a parsed item, for errors the service finds later (by content path). */
export function locatorOf(item: ParsedItem): ContentLocator {
  return locators.get(item) ?? { locate: () => ({ sheet: SHEETS.items, row: item.row, column: null }) };
}
const locators = new WeakMap<ParsedItem, ContentLocator>();

function readIdentity(reader: RowReader, departments: Map<string, { id: string; name: string }>): ParsedItem {
  const code = (reader.text(CODE, true) ?? '').toUpperCase();
  const parsed: ParsedItem = {
    row: reader.raw.row,
    implementationCode: code,
    basicCode: '',
    exerciseLevel: 0,
    creditCode: '',
    departmentId: null,
    version: null,
    effectiveFrom: null,
    content: null,
    errors: [],
  };
  const parts = code ? splitImplementationCode(code) : null;
  const basicCode = reader.text(ITEM_COLUMNS.basicCode, true);
  const level = reader.code<string>(ITEM_COLUMNS.level, TABLES.level);
  const implementer = reader.text(ITEM_COLUMNS.implementer, false);
  parsed.version = reader.integer(ITEM_COLUMNS.version, false) ?? null;
  parsed.effectiveFrom = reader.date(ITEM_COLUMNS.effectiveFrom) ?? null;
  if (!code) return parsed;
  if (!parts || !BASIC_CODE_PATTERN.test(parts.basicCode) || !(parts.exerciseLevel >= 1 && parts.exerciseLevel <= 6)) {
    reader.fail(CODE, ExchangeFieldCodes.excel_implementation_code);
    return parsed;
  }
  parsed.basicCode = parts.basicCode;
  parsed.exerciseLevel = parts.exerciseLevel;
  parsed.creditCode = parts.creditCode;
  if (checkCreditCode(parts.creditCode) !== null) {
    reader.fail(CODE, ExchangeFieldCodes.excel_credit_code);
    return parsed;
  }
  if (basicCode !== undefined && basicCode !== parts.basicCode) reader.fail(ITEM_COLUMNS.basicCode, ExchangeFieldCodes.excel_code_mismatch, { expected: parts.basicCode });
  if (level !== undefined && Number(level) !== parts.exerciseLevel) {
    reader.fail(ITEM_COLUMNS.level, ExchangeFieldCodes.excel_code_mismatch, { expected: display(TABLES.level, String(parts.exerciseLevel)) });
  }
  const department = departments.get(parts.creditCode);
  if (!department) {
    reader.fail(CODE, ExchangeFieldCodes.excel_unknown_department, { creditCode: parts.creditCode });
    return parsed;
  }
  parsed.departmentId = department.id;
  if (implementer !== undefined && implementer !== department.name) reader.fail(ITEM_COLUMNS.implementer, ExchangeFieldCodes.excel_department_mismatch, { name: department.name });
  return parsed;
}

interface Lookups {
  halls: Map<string, string[]>;
  proofs: Map<string, string>;
  intermediaries: Map<string, string>;
}

function buildLookups(directory: ExchangeDirectory): Lookups {
  const halls = new Map<string, string[]>();
  for (const h of directory.halls) halls.set(h.name.trim(), [...(halls.get(h.name.trim()) ?? []), h.id]);
  return {
    halls,
    proofs: new Map(directory.proofs.map((p) => [p.code, p.id])),
    intermediaries: new Map(directory.intermediaries.map((i) => [i.code, i.id])),
  };
}

/** Builds the item's content from its cells; what could not be read is left undefined. */
function assemble(draft: ItemDraft, lookups: Lookups): unknown {
  const r = draft.reader;
  const C = ITEM_COLUMNS;
  const rows = (sheet: string) => (draft.children.get(sheet) ?? []).map((x) => x.reader);
  const omitEmpty = <T extends Record<string, unknown>>(o: T): T => {
    for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
    return o;
  };

  const conditionsText = r.text(C.conditions, false);
  const charged = r.yesNo(C.charged);
  const content = {
    name: r.text(C.name, true),
    type: r.code(C.type, TABLES.itemType),
    implementerNature: r.code(C.nature, TABLES.nature),
    serviceObjects: r.codes(C.objects, TABLES.serviceObject),
    subItems: rows(SHEETS.subItems).map((x) => omitEmpty({ code: x.text('子项编码', false), name: x.text('子项名称', true) })),
    handlingItems: rows(SHEETS.handlingItems).map((x) => ({ name: x.text('办理项名称', true), kind: x.code('办理项类型', TABLES.handlingItemKind) })),
    legalBasis: rows(SHEETS.legalBasis).map((x) => omitEmpty({ title: x.text('法律法规名称', true), article: x.text('条款', false), text: x.text('条款内容', false) })),
    acceptanceConditions: conditionsText === undefined ? [] : parseConditions(conditionsText),
    procedure: rows(SHEETS.procedure).map((x) => ({ name: x.text('环节名称', true), role: x.code('岗位', TABLES.role), days: x.integer('时限(工作日)') })),
    legalDays: r.integer(C.legalDays),
    promisedDays: r.integer(C.promisedDays),
    caseKind: r.code(C.caseKind, TABLES.caseKind),
    fees: {
      free: charged === undefined ? undefined : !charged,
      items: rows(SHEETS.fees).map((x) => ({ name: x.text('收费项目名称', true), amountFen: x.fen('金额(元)'), basis: x.text('收费依据', true) })),
    },
    materials: rows(SHEETS.materials).map((x) => {
      const proofCode = x.text('证明事项编码', false);
      let proofId: string | undefined;
      if (proofCode !== undefined) proofId = lookups.proofs.get(proofCode) ?? x.fail('证明事项编码', ExchangeFieldCodes.excel_unknown_proof, { code: proofCode });
      return omitEmpty({
        id: x.text('材料标识', true),
        name: x.text('材料名称', true),
        source: x.code('来源渠道', TABLES.source),
        requirement: x.code('必要性', TABLES.requirement),
        paperCopies: x.integer('纸质份数'),
        originals: x.integer('原件份数'),
        sampleFileId: x.text('样表文件', false),
        templateFileId: x.text('空白表格文件', false),
        proofId,
        licenseTypeCode: x.text('电子证照类型', false),
        resourceId: x.text('共享资源', false),
        notes: x.text('备注', false),
      });
    }),
    form: readForm(rows(SHEETS.form)),
    results: rows(SHEETS.results).map((x) => omitEmpty({ name: x.text('结果名称', true), kind: x.code('结果类型', TABLES.resultKind), licenseTypeCode: x.text('电子证照类型', false) })),
    hallIds: rows(SHEETS.halls).map((x) => {
      const name = x.text('大厅名称', true);
      if (name === undefined) return undefined;
      const ids = lookups.halls.get(name);
      if (!ids) return x.fail('大厅名称', ExchangeFieldCodes.excel_unknown_hall, { name });
      if (ids.length > 1) return x.fail('大厅名称', ExchangeFieldCodes.excel_ambiguous_hall, { name });
      return ids[0];
    }),
    handlingForms: r.codes(C.forms, TABLES.handlingForm),
    handling: { immediate: r.yesNo(C.immediate), online: r.yesNo(C.online), nearby: r.yesNo(C.nearby), oneVisit: r.yesNo(C.oneVisit) },
    onlineDepth: numberOrUndefined(r.code(C.depth, TABLES.depth)),
    visitsRequired: r.integer(C.visits),
    appointment: r.yesNo(C.appointment),
    expressDelivery: r.yesNo(C.express),
    onlinePayment: r.yesNo(C.payment),
    intermediaryServiceIds: rows(SHEETS.intermediaries).map((x) => {
      const code = x.text('中介服务编码', true);
      if (code === undefined) return undefined;
      return lookups.intermediaries.get(code) ?? x.fail('中介服务编码', ExchangeFieldCodes.excel_unknown_intermediary, { code });
    }),
    specialProcedures: rows(SHEETS.specialProcedures).map((x) => ({ kind: x.code('程序类型', TABLES.specialProcedure), name: x.text('程序名称', true), days: x.integer('时限(工作日)') })),
    enquiryPhone: r.text(C.enquiryPhone, false) ?? '',
    complaintPhone: r.text(C.complaintPhone, false) ?? '',
    keywords: r.list(C.keywords),
    themes: r.codes(C.themes, TABLES.theme),
    faq: rows(SHEETS.faq).map((x) => ({ question: x.text('问题', true), answer: x.text('解答', true) })),
    // optional elements: absent unless the workbook gives them, as in content that never had them
    ...omitEmpty({
      parallel: rows(SHEETS.parallel).length > 0 ? rows(SHEETS.parallel).map((x) => ({ implementationCode: x.text('子事项实施编码', true)?.toUpperCase(), required: x.yesNo('是否必办') })) : undefined,
      decideWhileOwed: r.yesNo(C.decideWhileOwed, false),
      instantApproval: r.yesNo(C.instantApproval, false),
      commitment: readJsonCell(r, C.commitment),
    }),
  };
  markDuplicates(rows(SHEETS.materials), content.materials.map((m) => m.id), '材料标识');
  markDuplicates(rows(SHEETS.halls), content.hallIds, '大厅名称');
  markDuplicates(rows(SHEETS.intermediaries), content.intermediaryServiceIds, '中介服务编码');
  if (rows(SHEETS.form).length > EXCHANGE_LIMITS.maxFormRows) rows(SHEETS.form)[0]!.fail('表单JSON', ExchangeFieldCodes.excel_too_many, { limit: EXCHANGE_LIMITS.maxFormRows });
  locators.set(draft.parsed, locatorFor(draft));
  return content;
}

function numberOrUndefined(code: string | undefined): number | undefined {
  return code === undefined ? undefined : Number(code);
}

function markDuplicates(readers: RowReader[], values: ReadonlyArray<string | undefined>, column: string): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (v === undefined) return;
    if (seen.has(v)) readers[i]!.fail(column, ExchangeFieldCodes.excel_duplicate_value, { value: readers[i]!.text(column, false) ?? v });
    seen.add(v);
  });
}

/** An optional cell holding JSON (告知承诺): absent when empty; the content schema checks its shape. */
function readJsonCell(r: RowReader, column: string): unknown {
  const text = r.text(column, false);
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    return r.fail(column, ExchangeFieldCodes.excel_invalid_json, { reason: (err as Error).message.slice(0, 120) });
  }
}

function readForm(readers: RowReader[]): unknown {
  const first = readers[0];
  if (!first) return undefined; // the schema check reports the missing form on the 事项 row
  const chunks = readers.map((x) => x.rawText('表单JSON'));
  if (chunks.some((c) => c === undefined)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(chunks.join(''));
  } catch (err) {
    return first.fail('表单JSON', ExchangeFieldCodes.excel_invalid_json, { reason: (err as Error).message.slice(0, 120) });
  }
  const v = value as { schema?: unknown; ui?: unknown } | null;
  if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof v.schema !== 'object' || typeof v.ui !== 'object') {
    return first.fail('表单JSON', ExchangeFieldCodes.excel_form_shape);
  }
  return value;
}

// --- messages -------------------------------------------------------------------------------

/** "申请材料 第 12 行 必要性：取值不在允许范围内" / "申请材料 row 12, 必要性: Value not allowed". */
export function errorMessage(e: CellError, lang: Lang): string {
  const text = fieldMessage(e.code, lang, e.params ?? {});
  const where =
    lang === 'zh'
      ? [e.sheet, e.row !== null ? `第 ${e.row} 行` : '', e.column ?? ''].filter((s) => s !== '').join(' ')
      : [e.sheet, e.row !== null ? `row ${e.row}` : '', e.column ?? ''].filter((s) => s !== '').join(', ');
  if (!where) return text;
  return lang === 'zh' ? `${where}：${text}` : `${where}: ${text}`;
}
