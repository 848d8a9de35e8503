/**
 * Validation of a dataset upload (CSV or JSON) for a hosted resource, row by row. Pure: the caller
 * says which subjects already exist, and gets back either the operations to apply or every problem
 * found (capped), so that nothing is applied when any row is wrong.
 */
import type { FieldErrorSpec, Message } from '../../../platform/http/errors.js';
import type { SharingFieldRow } from '../../../platform/db/schema.js';
import { FIELD_TYPE_LABELS, type FieldType, type SubjectType } from '../../../shared/sharing-codes.js';
import { SharingFieldCodes } from '../errors.js';
import { isValidSubject, normalizeSubject } from '../subjects.js';
import { CsvError, parseCsv, type CsvProblem } from './csv.js';

export const MAX_DATASET_ROWS = 100_000;
/** Problems listed in one answer; the rest are counted. */
export const MAX_REPORTED_ERRORS = 100;
const MAX_STRING_LENGTH = 2000;
const OP_COLUMN = '_op';

export interface DatasetDefinition {
  subjectType: SubjectType;
  subjectField: string;
  fields: SharingFieldRow[];
}

export interface DatasetOperation {
  subject: string;
  op: 'upsert' | 'delete';
  /** Typed values of the columns the upload carries (null for an empty cell); absent columns keep their stored value. */
  values: Record<string, unknown>;
}

/** One row before typing: its number for messages, its index for field paths, its cells. */
interface RawRow {
  row: number;
  index: number;
  cells: Record<string, unknown>;
  /** CSV cells are text to be parsed; JSON values must already have the right type. */
  text: boolean;
}

export type ParsedDataset = { ok: true; rows: RawRow[] } | { ok: false; errors: FieldErrorSpec[] };

const CSV_PROBLEMS: Record<CsvProblem, Message> = {
  quote_in_unquoted_field: { zh: '未加引号的字段中出现引号', en: 'a quote inside an unquoted field' },
  text_after_closing_quote: { zh: '右引号后还有字符', en: 'text after a closing quote' },
  unterminated_quote: { zh: '引号未闭合', en: 'a quote is never closed' },
};

function knownColumns(def: DatasetDefinition): Set<string> {
  return new Set([def.subjectField, OP_COLUMN, ...def.fields.map((f) => f.name)]);
}

/** Reads a CSV upload: a header row of column names, then one record per row. */
export function readCsvDataset(def: DatasetDefinition, text: string): ParsedDataset {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) {
      return { ok: false, errors: [{ field: 'file', code: SharingFieldCodes.csv_malformed, params: { line: err.line, reason: CSV_PROBLEMS[err.problem] } }] };
    }
    throw err;
  }
  const [header, ...data] = records;
  if (!header || data.length === 0) return { ok: false, errors: [{ field: 'file', code: SharingFieldCodes.dataset_empty }] };
  if (data.length > MAX_DATASET_ROWS) return { ok: false, errors: [{ field: 'file', code: SharingFieldCodes.too_many_rows, params: { limit: MAX_DATASET_ROWS } }] };

  const columns = header.fields.map((c) => c.trim());
  const errors: FieldErrorSpec[] = [];
  const known = knownColumns(def);
  const seen = new Set<string>();
  for (const name of columns) {
    if (seen.has(name)) errors.push({ field: 'columns', code: SharingFieldCodes.duplicate_column, params: { name } });
    seen.add(name);
    if (!known.has(name)) errors.push({ field: 'columns', code: SharingFieldCodes.row_unknown_column, params: { name } });
  }
  if (!seen.has(def.subjectField)) errors.push({ field: 'columns', code: SharingFieldCodes.subject_column_missing, params: { name: def.subjectField } });
  if (errors.length > 0) return { ok: false, errors };

  const rows: RawRow[] = [];
  for (const [index, record] of data.entries()) {
    if (record.fields.length !== columns.length) {
      errors.push({ field: `records[${index}]`, code: SharingFieldCodes.row_column_count, params: { row: record.line, got: record.fields.length, expected: columns.length } });
      continue;
    }
    const cells: Record<string, unknown> = {};
    columns.forEach((name, i) => {
      cells[name] = record.fields[i];
    });
    rows.push({ row: record.line, index, cells, text: true });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows };
}

/** Reads a JSON upload: `records`, an array of objects keyed by column name. */
export function readJsonDataset(def: DatasetDefinition, records: unknown[]): ParsedDataset {
  if (records.length === 0) return { ok: false, errors: [{ field: 'records', code: SharingFieldCodes.dataset_empty }] };
  if (records.length > MAX_DATASET_ROWS) return { ok: false, errors: [{ field: 'records', code: SharingFieldCodes.too_many_rows, params: { limit: MAX_DATASET_ROWS } }] };
  const known = knownColumns(def);
  const errors: FieldErrorSpec[] = [];
  const rows: RawRow[] = [];
  for (const [index, record] of records.entries()) {
    const row = index + 1;
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      errors.push({ field: `records[${index}]`, code: SharingFieldCodes.row_not_object, params: { row } });
      continue;
    }
    const unknown = Object.keys(record).filter((k) => !known.has(k));
    for (const name of unknown) errors.push({ field: `records[${index}].${name}`, code: SharingFieldCodes.row_unknown_column, params: { name } });
    if (unknown.length === 0) rows.push({ row, index, cells: record as Record<string, unknown>, text: false });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows };
}

const INTEGER_TEXT = /^-?\d{1,15}$/;
const NUMBER_TEXT = /^-?\d{1,15}(\.\d{1,10})?$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const TRUE_TEXT = new Set(['true', '1', '是', 'y', 'yes']);
const FALSE_TEXT = new Set(['false', '0', '否', 'n', 'no']);

function isRealDate(text: string): boolean {
  const m = DATE_TEXT.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A cell converted to its field's type; `undefined` when it does not fit. Empty text and null are null. */
export function typedValue(type: FieldType, value: unknown, fromText: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (fromText) {
    if (typeof value !== 'string') return undefined;
    const t = value.trim();
    if (t === '') return null;
    switch (type) {
      case 'string':
        return value.length <= MAX_STRING_LENGTH ? value : undefined;
      case 'integer':
        return INTEGER_TEXT.test(t) ? Number(t) : undefined;
      case 'number':
        return NUMBER_TEXT.test(t) ? Number(t) : undefined;
      case 'boolean': {
        const lower = t.toLowerCase();
        return TRUE_TEXT.has(lower) ? true : FALSE_TEXT.has(lower) ? false : undefined;
      }
      case 'date':
        return isRealDate(t) ? t : undefined;
    }
  }
  switch (type) {
    case 'string':
      return typeof value === 'string' && value.length <= MAX_STRING_LENGTH ? value : undefined;
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'date':
      return typeof value === 'string' && isRealDate(value) ? value : undefined;
  }
}

const TYPE_WORDS: Record<FieldType, Message> = Object.fromEntries(
  Object.entries(FIELD_TYPE_LABELS).map(([type, label]) => [type, { zh: label.zh.replace(/型$/, ''), en: label.en.toLowerCase() }]),
) as Record<FieldType, Message>;
TYPE_WORDS.date = { zh: '日期（YYYY-MM-DD）', en: 'a date (YYYY-MM-DD)' };
TYPE_WORDS.boolean = { zh: '是/否（true/false）', en: 'true or false' };

/**
 * Types and checks every row. `existing` holds the subjects already stored: a new record must carry
 * every required item, an existing one only those it changes.
 */
export function validateRows(def: DatasetDefinition, rows: RawRow[], existing: ReadonlySet<string>): { operations: DatasetOperation[]; errors: FieldErrorSpec[]; errorCount: number } {
  const operations: DatasetOperation[] = [];
  const errors: FieldErrorSpec[] = [];
  let errorCount = 0;
  const report = (e: FieldErrorSpec) => {
    errorCount++;
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
  };
  const firstRowOf = new Map<string, number>();

  for (const { row, index, cells, text } of rows) {
    const path = (name: string) => `records[${index}].${name}`;
    let rowOk = true;

    const rawSubject = cells[def.subjectField];
    const subject = typeof rawSubject === 'string' ? normalizeSubject(def.subjectType, rawSubject) : '';
    if (subject === '') {
      report({ field: path(def.subjectField), code: SharingFieldCodes.row_missing_subject, params: { row } });
      rowOk = false;
    } else if (!isValidSubject(def.subjectType, subject)) {
      report({ field: path(def.subjectField), code: SharingFieldCodes.row_invalid_subject, params: { row } });
      rowOk = false;
    } else if (firstRowOf.has(subject)) {
      report({ field: path(def.subjectField), code: SharingFieldCodes.row_duplicate_subject, params: { row, first: firstRowOf.get(subject)! } });
      rowOk = false;
    } else {
      firstRowOf.set(subject, row);
    }

    const rawOp = cells[OP_COLUMN];
    const opText = rawOp === undefined || rawOp === null ? '' : typeof rawOp === 'string' ? rawOp.trim().toLowerCase() : '?';
    if (opText !== '' && opText !== 'upsert' && opText !== 'delete') {
      report({ field: path(OP_COLUMN), code: SharingFieldCodes.row_invalid_op, params: { row } });
      continue;
    }
    if (opText === 'delete') {
      if (rowOk) operations.push({ subject, op: 'delete', values: {} });
      continue;
    }

    const isNew = !existing.has(subject);
    const values: Record<string, unknown> = {};
    for (const field of def.fields) {
      const present = Object.prototype.hasOwnProperty.call(cells, field.name);
      if (!present) {
        if (isNew && field.required) {
          report({ field: path(field.name), code: SharingFieldCodes.row_required, params: { row } });
          rowOk = false;
        }
        continue;
      }
      const value = typedValue(field.type, cells[field.name], text);
      if (value === undefined) {
        const tooLong = field.type === 'string' && typeof cells[field.name] === 'string';
        report(tooLong
          ? { field: path(field.name), code: SharingFieldCodes.row_too_long, params: { row, limit: MAX_STRING_LENGTH } }
          : { field: path(field.name), code: SharingFieldCodes.row_invalid_value, params: { row, type: TYPE_WORDS[field.type] } });
        rowOk = false;
      } else if (value === null && field.required) {
        report({ field: path(field.name), code: SharingFieldCodes.row_required, params: { row } });
        rowOk = false;
      } else {
        values[field.name] = value;
      }
    }
    if (rowOk) operations.push({ subject, op: 'upsert', values });
  }
  if (errorCount > errors.length) {
    errors.push({ field: 'records', code: SharingFieldCodes.too_many_errors, params: { shown: errors.length, count: errorCount } });
  }
  return { operations, errors, errorCount };
}

/** Every subject named in the rows (normalized, valid ones only), to ask the store which exist. */
export function subjectsOf(def: DatasetDefinition, rows: RawRow[]): string[] {
  const subjects = new Set<string>();
  for (const { cells } of rows) {
    const raw = cells[def.subjectField];
    if (typeof raw !== 'string') continue;
    const subject = normalizeSubject(def.subjectType, raw);
    if (isValidSubject(def.subjectType, subject)) subjects.add(subject);
  }
  return [...subjects];
}
