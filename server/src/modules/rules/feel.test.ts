import fc from 'fast-check';
import { unaryTest } from 'feelin';
import { describe, expect, it } from 'vitest';
import { cellProblem, compileCell } from './feel.js';

const feelin = (cell: string, v: unknown) => unaryTest(cell, { '?': v }).value === true;

const numLit = fc.oneof(fc.integer({ min: -50, max: 150 }), fc.constantFrom(0.5, 17.5, 60.25));
const num = numLit;
const strLit = fc.constantFrom('a', 'b', 'm', 'z', '440304', '440305', '是', '否');
const quoted = strLit.map((s) => JSON.stringify(s));
const anyLit = fc.oneof(num.map(String), quoted, fc.constantFrom('true', 'false', 'null'));
/** Cells whose ordering tests are all of one kind (numbers or strings), as a saved table's are. */
function cellsOf(ordered: fc.Arbitrary<string>, lits: fc.Arbitrary<string>) {
  const positive = fc.oneof(lits, ordered);
  return fc.oneof(
    fc.constant('-'),
    fc.array(positive, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(', ')),
    fc.array(positive, { minLength: 1, maxLength: 3 }).map((xs) => `not(${xs.join(', ')})`),
  );
}
const numOrdered = fc.oneof(
  fc.tuple(fc.constantFrom('<', '<=', '>', '>='), num).map(([op, v]) => `${op} ${v}`),
  fc.tuple(fc.constantFrom('[', '('), num, num, fc.constantFrom(']', ')')).map(([o, a, b, c]) => `${o}${Math.min(a, b)}..${Math.max(a, b)}${c}`),
);
const strOrdered = fc.tuple(fc.constantFrom('<', '<=', '>', '>='), quoted).map(([op, v]) => `${op} ${v}`);

describe('compiled FEEL cells', () => {
  const agree = (cells: fc.Arbitrary<string>, values: fc.Arbitrary<unknown>) => fc.assert(fc.property(cells, fc.array(values, { minLength: 1, maxLength: 8 }), (text, vs) => {
    const compiled = compileCell(text);
    expect(compiled.native).toBe(true);
    for (const v of vs) expect(compiled.test(v), `${text} with ${JSON.stringify(v)}`).toBe(feelin(text, v));
  }), { numRuns: 300 });

  it('agree with feelin on numeric cells and numbers (or no value)', () => {
    agree(cellsOf(numOrdered, fc.oneof(num.map(String), fc.constant('null'))), fc.oneof(num, fc.constant(null)));
  });

  it('agree with feelin on string cells and strings (or no value)', () => {
    agree(cellsOf(strOrdered, fc.oneof(quoted, fc.constant('null'))), fc.oneof(strLit, fc.constant(null)));
  });

  it('agree with feelin on lists of literals of any kind and values of any kind', () => {
    agree(cellsOf(anyLit, anyLit), fc.oneof(num, strLit, fc.boolean(), fc.constant(null)));
  });

  it('never match an ordering test on a value of another kind, nor its negation (DMN: null; feelin 8 says true)', () => {
    for (const [cell, v] of [['>= 60', 'abc'], ['[1..5]', true], ['< "m"', 3], ['>= 0', '1']] as const) {
      expect(compileCell(cell).test(v)).toBe(false);
      expect(compileCell(`not(${cell})`).test(v)).toBe(false);
    }
  });

  it('keep feelin for cells outside the compiled shapes, with the same answers', () => {
    const cases: Array<[string, unknown, boolean]> = [
      ['< date("2020-01-01")', '2019-05-01', false],
      ['string length(?) > 3', 'abcd', true],
      ['string length(?) > 3', 'ab', false],
      ['? * 2 > 10', 6, true],
    ];
    for (const [text, v, expected] of cases) {
      const compiled = compileCell(text);
      expect(compiled.native).toBe(false);
      expect(compiled.test(v)).toBe(expected);
      expect(feelin(text, v)).toBe(expected);
    }
  });

  it('reports syntax errors and unknown names, and accepts good cells', () => {
    expect(cellProblem('>= 18')).toBeNull();
    expect(cellProblem('-')).toBeNull();
    expect(cellProblem('"a", "b"')).toBeNull();
    expect(cellProblem('> 3 and')?.kind).toBe('syntax');
    expect(cellProblem('[1..')?.kind).toBe('syntax');
    expect(cellProblem('> minimumAge')?.kind).toBe('unknown_name');
  });

  it('treats a blank cell as any value', () => {
    expect(compileCell('  ').test(42)).toBe(true);
    expect(compileCell('').test(null)).toBe(true);
  });
});
