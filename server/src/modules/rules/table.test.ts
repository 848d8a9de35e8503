import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTable, compileTable, rowsOverlap, runTests } from './table.js';
import { compileCell } from './feel.js';
import type { DecisionTable } from './schemas.js';

const ctx = { formFields: new Set(['age', 'residence', 'income']) };

const allowance: DecisionTable = {
  hitPolicy: 'UNIQUE',
  inputs: [
    { id: 'age', label: '年龄', source: 'applicant', path: 'age' },
    { id: 'residence', label: '户籍', source: 'form', path: 'residence' },
  ],
  rows: [
    { cells: ['>= 80', '"local"'], decision: 'approve', reason: '年满 80 周岁的本市户籍老人' },
    { cells: ['[70..80)', '"local"'], decision: 'route', reason: '70-79 周岁须人工核对' },
    { cells: ['< 70', '-'], decision: 'deny', reason: '未满 70 周岁' },
    { cells: ['>= 70', 'not("local")'], decision: 'deny', reason: '非本市户籍' },
  ],
};

describe('checking a table at save', () => {
  it('accepts a good table', () => {
    expect(checkTable(allowance, ctx)).toEqual([]);
  });

  it('refuses an input naming a field the form lacks, with its place', () => {
    const bad = { ...allowance, inputs: [allowance.inputs[0]!, { id: 'residence', label: '户籍', source: 'form' as const, path: 'hukou' }] };
    expect(checkTable(bad, ctx)).toEqual([{ field: 'inputs[1].path', code: 'rule_unknown_field', params: { path: 'hukou' } }]);
  });

  it('refuses a FEEL syntax error and an unknown name, naming the row and cell', () => {
    const bad: DecisionTable = { ...allowance, hitPolicy: 'FIRST', rows: [{ cells: ['>= 80 and', '-'], decision: 'approve', reason: 'x' }, { cells: ['> limit', '-'], decision: 'deny', reason: 'y' }] };
    const errors = checkTable(bad, ctx);
    expect(errors.map((e) => `${e.field}:${e.code}`)).toEqual(['rows[0].cells[0]:rule_feel_syntax', 'rows[1].cells[0]:rule_feel_unknown_name']);
    expect(errors[0]!.params).toMatchObject({ row: 1, input: '年龄' });
  });

  it('refuses overlapping rows under UNIQUE (and only under UNIQUE)', () => {
    const overlapping: DecisionTable = { ...allowance, rows: [...allowance.rows, { cells: ['>= 90', '-'], decision: 'approve', reason: '90 岁以上' }] };
    expect(checkTable(overlapping, ctx)).toEqual([
      { field: 'rows[4]', code: 'rule_rows_overlap', params: { row: 5, other: 1 } },
      { field: 'rows[4]', code: 'rule_rows_overlap', params: { row: 5, other: 4 } },
    ]);
    expect(checkTable({ ...overlapping, hitPolicy: 'FIRST' }, ctx)).toEqual([]);
  });

  it('refuses rows of the wrong width, unknown applicant attributes and duplicate input ids', () => {
    const bad: DecisionTable = {
      hitPolicy: 'FIRST',
      inputs: [{ id: 'a', label: 'A', source: 'applicant', path: 'salary' }, { id: 'a', label: 'B', source: 'shared', path: 'no-dot' }],
      rows: [{ cells: ['-'], decision: 'approve', reason: 'x' }],
    };
    expect(checkTable(bad, ctx).map((e) => `${e.field}:${e.code}`)).toEqual(['inputs[0].path:rule_unknown_attribute', 'inputs[1].path:rule_invalid_path', 'inputs[1].id:rule_duplicate_input', 'rows[0].cells:rule_row_width']);
  });
});

describe('evaluating', () => {
  const table = compileTable(allowance);

  it('decides by the one matching row with its reason', () => {
    expect(table.evaluate({ age: 85, residence: 'local' })).toEqual({ outcome: 'approve', reasons: ['年满 80 周岁的本市户籍老人'], matchedRows: [1], fallback: null });
    expect(table.evaluate({ age: 75, residence: 'local' }).outcome).toBe('route');
    expect(table.evaluate({ age: 60, residence: 'other' }).outcome).toBe('deny');
  });

  it('never approves on missing data, no match, or a value of the wrong type', () => {
    expect(table.evaluate({ residence: 'local' })).toMatchObject({ outcome: 'route', fallback: { code: 'input_unavailable', message: '缺少数据：年龄' } });
    expect(table.evaluate({ age: '85', residence: 'local' })).toMatchObject({ outcome: 'route', fallback: { code: 'no_rule_matched' } });
    expect(table.evaluate({ age: null, residence: 'local' }).outcome).toBe('route');
  });

  it('FIRST takes the first match; COLLECT combines all, the most cautious winning', () => {
    const rows: DecisionTable['rows'] = [
      { cells: ['>= 18'], decision: 'approve', reason: '成年' },
      { cells: ['>= 60'], decision: 'route', reason: '老年人须核对' },
      { cells: ['>= 100'], decision: 'deny', reason: '须现场办理' },
    ];
    const base = { inputs: [{ id: 'age', label: '年龄', source: 'applicant' as const, path: 'age' }], rows };
    expect(compileTable({ ...base, hitPolicy: 'FIRST' }).evaluate({ age: 70 })).toMatchObject({ outcome: 'approve', matchedRows: [1] });
    expect(compileTable({ ...base, hitPolicy: 'COLLECT' }).evaluate({ age: 70 })).toMatchObject({ outcome: 'route', matchedRows: [1, 2], reasons: ['成年', '老年人须核对'] });
    expect(compileTable({ ...base, hitPolicy: 'COLLECT' }).evaluate({ age: 101 })).toMatchObject({ outcome: 'deny', matchedRows: [1, 2, 3] });
    expect(compileTable({ ...base, hitPolicy: 'COLLECT' }).evaluate({ age: 20 })).toMatchObject({ outcome: 'approve', matchedRows: [1] });
  });

  it('routes when two rows match under UNIQUE (a table saved before the check, or a cell feelin evaluates)', () => {
    const t = compileTable({ hitPolicy: 'UNIQUE', inputs: [{ id: 'x', label: 'X', source: 'form', path: 'age' }], rows: [{ cells: ['> 1'], decision: 'approve', reason: 'a' }, { cells: ['> 2'], decision: 'approve', reason: 'b' }] });
    expect(t.evaluate({ x: 5 })).toMatchObject({ outcome: 'route', fallback: { code: 'unique_violated' }, matchedRows: [1, 2] });
  });

  it('routes when a cell fails at run time', () => {
    const t = compileTable({ hitPolicy: 'FIRST', inputs: [{ id: 'x', label: 'X', source: 'form', path: 'age' }], rows: [{ cells: ['string length(?) > 2'], decision: 'approve', reason: 'a' }] });
    const throwing = { toString() { throw new Error('boom'); } };
    const result = t.evaluate({ x: throwing });
    expect(result.outcome).toBe('route');
  });

  it('runs stored tests and reports each', () => {
    const report = runTests(table, [
      { name: '85 岁本市', inputs: { age: 85, residence: 'local' }, expected: 'approve' },
      { name: '缺年龄', inputs: { residence: 'local' }, expected: 'approve' },
    ]);
    expect(report).toMatchObject({ passed: false, total: 2, failed: 1 });
    expect(report.results[1]).toMatchObject({ passed: false, actual: 'route', reasons: ['缺少数据：年龄'] });
    expect(runTests(table, []).passed).toBe(false);
  });
});

describe('the UNIQUE overlap check', () => {
  const numCell = fc.oneof(
    fc.constant('-'),
    fc.tuple(fc.constantFrom('<', '<=', '>', '>='), fc.integer({ min: 0, max: 10 })).map(([op, v]) => `${op} ${v}`),
    fc.tuple(fc.constantFrom('[', '('), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), fc.constantFrom(']', ')')).map(([o, a, b, c]) => `${o}${Math.min(a, b)}..${Math.max(a, b)}${c}`),
    fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(', ')),
  );
  it('says two numeric rows overlap exactly when some values (checked on a fine grid) satisfy both', () => {
    fc.assert(fc.property(fc.array(fc.tuple(numCell, numCell), { minLength: 1, maxLength: 2 }), (pairs) => {
      const a = pairs.map((p) => compileCell(p[0]));
      const b = pairs.map((p) => compileCell(p[1]));
      const grid = Array.from({ length: 261 }, (_, i) => -1 + i * 0.05);
      const brute = a.every((cell, i) => grid.some((v) => cell.test(v) && b[i]!.test(v)));
      expect(rowsOverlap(a, b)).toBe(brute);
    }), { numRuns: 500 });
  });
});
