import { describe, expect, it } from 'vitest';
import { demoCreditCode, demoIdNumber } from '../../demo/seed.js';
import { MAX_REPORTED_ERRORS, readCsvDataset, readJsonDataset, subjectsOf, typedValue, validateRows, type DatasetDefinition } from './dataset.js';

const def: DatasetDefinition = {
  subjectType: 'id_number',
  subjectField: 'idNumber',
  fields: [
    { name: 'name', label: '姓名', type: 'string', sensitivity: 'personal', required: true },
    { name: 'birthDate', label: '出生日期', type: 'date', sensitivity: 'personal', required: false },
    { name: 'months', label: '月数', type: 'integer', sensitivity: 'personal', required: false },
    { name: 'base', label: '基数', type: 'number', sensitivity: 'sensitive', required: false },
    { name: 'active', label: '有效', type: 'boolean', sensitivity: 'general', required: false },
  ],
};

const A = demoIdNumber('440304', '19850203', '111');
const B = demoIdNumber('440305', '19920417', '222');

function csv(text: string, existing: string[] = []) {
  const parsed = readCsvDataset(def, text);
  if (!parsed.ok) return { parseErrors: parsed.errors };
  return validateRows(def, parsed.rows, new Set(existing));
}

describe('typedValue', () => {
  it.each([
    ['integer', '42', 42], ['integer', '-7', -7], ['integer', '4.2', undefined], ['integer', 'x', undefined],
    ['number', '3.25', 3.25], ['number', '1e5', undefined],
    ['boolean', 'TRUE', true], ['boolean', '否', false], ['boolean', '1', true], ['boolean', 'maybe', undefined],
    ['date', '2024-02-29', '2024-02-29'], ['date', '2023-02-29', undefined], ['date', '2024-2-1', undefined],
    ['string', ' kept as is ', ' kept as is '], ['integer', '  ', null],
  ] as const)('CSV %s %j -> %j', (type, text, expected) => {
    expect(typedValue(type, text, true)).toBe(expected);
  });

  it('checks JSON values by their JSON type', () => {
    expect(typedValue('integer', 3, false)).toBe(3);
    expect(typedValue('integer', '3', false)).toBeUndefined();
    expect(typedValue('number', Number.NaN, false)).toBeUndefined();
    expect(typedValue('boolean', 'true', false)).toBeUndefined();
    expect(typedValue('date', '2026-13-01', false)).toBeUndefined();
    expect(typedValue('string', null, false)).toBeNull();
  });
});

describe('CSV datasets', () => {
  it('types every column, normalizes the subject (lower-case x) and keeps absent columns absent', () => {
    const lower = A.endsWith('X') ? A.toLowerCase() : A;
    const result = csv(`\uFEFFidNumber,name,months,active\n${lower},"张三, Jr.",12,是\n${B},李四,,false\n`);
    expect(result).toEqual({
      operations: [
        { subject: A, op: 'upsert', values: { name: '张三, Jr.', months: 12, active: true } },
        { subject: B, op: 'upsert', values: { name: '李四', months: null, active: false } },
      ],
      errors: [],
      errorCount: 0,
    });
  });

  it('reports every bad row with its line and column, and the problem', () => {
    const result = csv([
      'idNumber,name,birthDate,months,base,active,_op',
      `${A},张三,1985-02-30,twelve,1.5,yes,`,
      `44030419850203111X,李四,,,,,`,
      `${B},,,,,,`,
      `${A},重复,,,,,`,
      `,无主体,,,,,`,
      `${demoIdNumber('440306', '20000101', '333')},王五,,,,,remove`,
    ].join('\n'));
    if ('parseErrors' in result) throw new Error('unexpected parse error');
    expect(result.errors.map((e) => [e.field, e.code, e.params?.row])).toEqual([
      ['records[0].birthDate', 'row_invalid_value', 2],
      ['records[0].months', 'row_invalid_value', 2],
      ['records[1].idNumber', 'row_invalid_subject', 3],
      ['records[2].name', 'row_required', 4],
      ['records[3].idNumber', 'row_duplicate_subject', 5],
      ['records[4].idNumber', 'row_missing_subject', 6],
      ['records[5]._op', 'row_invalid_op', 7],
    ]);
    expect(result.errors[4]!.params).toMatchObject({ first: 2 });
  });

  it('needs required items only for new records; an existing record may leave them out', () => {
    const text = `idNumber,months\n${A},3\n`;
    expect((csv(text) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ field: 'records[0].name', code: 'row_required' })]);
    expect(csv(text, [A])).toMatchObject({ errors: [], operations: [{ subject: A, op: 'upsert', values: { months: 3 } }] });
  });

  it('deletes with _op = delete, whatever else the row says', () => {
    expect(csv(`idNumber,name,_op\n${A},,DELETE\n`, [A])).toMatchObject({ errors: [], operations: [{ subject: A, op: 'delete' }] });
  });

  it('refuses unknown and duplicate columns and a missing subject column before reading rows', () => {
    const parsed = readCsvDataset(def, 'name,name,salary\nx,y,z\n');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => [e.code, e.params?.name])).toEqual([
      ['duplicate_column', 'name'],
      ['row_unknown_column', 'salary'],
      ['subject_column_missing', 'idNumber'],
    ]);
  });

  it('refuses a row with the wrong number of cells, malformed CSV and an empty file', () => {
    const wrongCount = readCsvDataset(def, `idNumber,name\n${A},张三,多余\n`);
    expect(wrongCount).toMatchObject({ ok: false, errors: [{ field: 'records[0]', code: 'row_column_count', params: { row: 2, got: 3, expected: 2 } }] });
    const malformed = readCsvDataset(def, `idNumber,name\n${A},"张三\n`);
    expect(malformed).toMatchObject({ ok: false, errors: [{ field: 'file', code: 'csv_malformed', params: { line: 2 } }] });
    expect(readCsvDataset(def, 'idNumber,name\n')).toMatchObject({ ok: false, errors: [{ code: 'dataset_empty' }] });
  });

  it('lists at most 100 problems and says how many there were', () => {
    const rows = Array.from({ length: 150 }, () => 'bad,x').join('\n');
    const result = csv(`idNumber,name\n${rows}\n`) as { errors: Array<{ code: string; params?: Record<string, unknown> }>; errorCount: number };
    expect(result.errorCount).toBe(150);
    expect(result.errors).toHaveLength(MAX_REPORTED_ERRORS + 1);
    expect(result.errors.at(-1)).toMatchObject({ code: 'too_many_errors', params: { shown: 100, count: 150 } });
  });
});

describe('JSON datasets', () => {
  it('takes typed values, refuses unknown keys and non-objects', () => {
    const parsed = readJsonDataset(def, [{ idNumber: A, name: '张三', months: 5, active: true }, 'oops', { idNumber: B, nickname: 'x' }]);
    expect(parsed).toMatchObject({ ok: false, errors: [
      { field: 'records[1]', code: 'row_not_object', params: { row: 2 } },
      { field: 'records[2].nickname', code: 'row_unknown_column' },
    ] });
    const ok = readJsonDataset(def, [{ idNumber: A, name: '张三', months: '5' }]);
    if (!ok.ok) throw new Error('expected rows');
    expect(validateRows(def, ok.rows, new Set()).errors).toEqual([expect.objectContaining({ field: 'records[0].months', code: 'row_invalid_value' })]);
  });

  it('works for credit codes too, and subjectsOf lists the valid subjects', () => {
    const companies: DatasetDefinition = { subjectType: 'credit_code', subjectField: 'creditCode', fields: [{ name: 'name', label: '名称', type: 'string', sensitivity: 'general', required: true }] };
    const code = demoCreditCode('91', '440300', 4242);
    const parsed = readJsonDataset(companies, [{ creditCode: code.toLowerCase(), name: '示例' }, { creditCode: 'nonsense', name: 'x' }]);
    if (!parsed.ok) throw new Error('expected rows');
    expect(subjectsOf(companies, parsed.rows)).toEqual([code]);
    expect(validateRows(companies, parsed.rows, new Set()).errors).toEqual([expect.objectContaining({ field: 'records[1].creditCode', code: 'row_invalid_subject' })]);
  });
});
