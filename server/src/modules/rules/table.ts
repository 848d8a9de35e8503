import type { FieldErrorSpec } from '../../platform/http/errors.js';
import { cellProblem, compileCell, type CellTest, type CompiledCell } from './feel.js';
import { RuleFieldCodes } from './errors.js';
import { APPLICANT_ATTRIBUTES, type DecisionTable, type RuleDecision, type RuleInput, type RuleTest, type TestReport } from './schemas.js';

/*
 * A decision table's life: checked at save (`checkTable`), compiled once per published rule
 * version (`compileTable`), evaluated per case (`CompiledTable.evaluate`). Evaluation never
 * approves by default: an unavailable input, no matching row, two rows under UNIQUE or a failing
 * cell all end in `route` (a person decides) with the reason.
 */

/** What the save checks inputs against: the item version's form fields and the data resources it may look up. */
export interface TableContext {
  formFields: ReadonlySet<string>;
}

export interface Evaluation {
  outcome: RuleDecision;
  reasons: string[];
  /** 1-based row numbers that matched. */
  matchedRows: number[];
  /** Why no rule outcome was reached (the case goes to a person). */
  fallback: { code: 'input_unavailable' | 'no_rule_matched' | 'unique_violated' | 'rule_error'; message: string } | null;
}

export interface CompiledTable {
  inputs: readonly RuleInput[];
  /** Share of cells compiled to closures (the rest are evaluated by feelin each time). */
  nativeShare: number;
  evaluate(values: Readonly<Record<string, unknown>>): Evaluation;
}

const CELLS_WILDCARD = '-';
const SHARED_PATH = /^[A-Za-z0-9_.-]{1,64}\.[A-Za-z][A-Za-z0-9_]{0,63}$/;
const LICENSE_PATH = /^[A-Za-z0-9_.-]{1,40}$/;

export function checkInput(input: RuleInput, ctx: TableContext): string | null {
  switch (input.source) {
    case 'form': return ctx.formFields.has(input.path) ? null : RuleFieldCodes.rule_unknown_field;
    case 'applicant': return (APPLICANT_ATTRIBUTES as readonly string[]).includes(input.path) ? null : RuleFieldCodes.rule_unknown_attribute;
    case 'license': return LICENSE_PATH.test(input.path) ? null : RuleFieldCodes.rule_invalid_path;
    case 'shared': return SHARED_PATH.test(input.path) ? null : RuleFieldCodes.rule_invalid_path;
    default: return RuleFieldCodes.rule_invalid_path;
  }
}

/**
 * Everything wrong with a table, each at its place (`inputs[i].path`, `rows[r].cells[c]`,
 * `rows[r]`): an input naming a field the form lacks, a FEEL syntax error, a cell naming
 * something it cannot see, a row of the wrong width, and, under UNIQUE, rows that overlap.
 */
export function checkTable(table: DecisionTable, ctx: TableContext): FieldErrorSpec[] {
  const errors: FieldErrorSpec[] = [];
  const ids = new Set<string>();
  table.inputs.forEach((input, i) => {
    const problem = checkInput(input, ctx);
    if (problem) errors.push({ field: `inputs[${i}].path`, code: problem, params: { path: input.path } });
    if (ids.has(input.id)) errors.push({ field: `inputs[${i}].id`, code: RuleFieldCodes.rule_duplicate_input, params: { id: input.id } });
    ids.add(input.id);
  });
  const width = table.inputs.length;
  const compiled: (CompiledCell[] | null)[] = table.rows.map((row, r) => {
    if (row.cells.length !== width) {
      errors.push({ field: `rows[${r}].cells`, code: RuleFieldCodes.rule_row_width, params: { row: r + 1, expected: width, actual: row.cells.length } });
      return null;
    }
    let ok = true;
    row.cells.forEach((cell, c) => {
      const problem = cellProblem(cell.trim() === '' ? CELLS_WILDCARD : cell);
      if (problem) {
        ok = false;
        errors.push({
          field: `rows[${r}].cells[${c}]`,
          code: problem.kind === 'syntax' ? RuleFieldCodes.rule_feel_syntax : RuleFieldCodes.rule_feel_unknown_name,
          params: { row: r + 1, input: table.inputs[c]?.label ?? String(c + 1), detail: problem.message },
        });
      }
    });
    return ok ? row.cells.map(compileCell) : null;
  });
  if (table.hitPolicy === 'UNIQUE') {
    for (let a = 0; a < compiled.length; a++) {
      for (let b = a + 1; b < compiled.length; b++) {
        const x = compiled[a];
        const y = compiled[b];
        if (x && y && rowsOverlap(x, y)) {
          errors.push({ field: `rows[${b}]`, code: RuleFieldCodes.rule_rows_overlap, params: { row: b + 1, other: a + 1 } });
        }
      }
    }
  }
  return errors;
}

/**
 * Candidate values for "do two cells both hold for some value?": every literal either mentions,
 * the midpoints between numeric ones and one beyond each end, a string just above each string,
 * booleans, null and values neither mentions. For cells made of numeric comparisons, intervals and
 * lists this is exact (a non-empty intersection of unions of intervals holds an endpoint, a
 * midpoint or a point beyond the ends); for string ranges and cells feelin evaluates it can miss an
 * overlap, never invent one.
 */
export function witnesses(literals: readonly unknown[]): unknown[] {
  const nums = [...new Set(literals.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)))].sort((p, q) => p - q);
  const strs = [...new Set(literals.filter((v): v is string => typeof v === 'string'))];
  const out: unknown[] = [null, true, false, '', '\uffff', -1e15, 1e15];
  nums.forEach((n, i) => {
    out.push(n, n - 1, n + 1);
    const next = nums[i + 1];
    if (next !== undefined) out.push((n + next) / 2);
  });
  for (const s of strs) out.push(s, `${s}\u0001`, `${s}_other`);
  return out;
}

function cellsIntersect(x: CompiledCell, y: CompiledCell): boolean {
  for (const w of witnesses([...x.literals, ...y.literals])) {
    if (x.test(w) && y.test(w)) return true;
  }
  return false;
}

/** Two rows overlap when, input by input, some value satisfies both cells (inputs vary independently). */
export function rowsOverlap(x: readonly CompiledCell[], y: readonly CompiledCell[]): boolean {
  return x.every((cell, i) => cellsIntersect(cell, y[i]!));
}

/** How COLLECT combines several matches: the most cautious wins (deny, then a person, then approve). */
function combine(outcomes: readonly RuleDecision[]): RuleDecision {
  if (outcomes.includes('deny')) return 'deny';
  if (outcomes.includes('route')) return 'route';
  return 'approve';
}

/** Compiles a table that passed `checkTable`: each cell becomes a closure once. */
export function compileTable(table: DecisionTable): CompiledTable {
  const cells: CompiledCell[] = [];
  const rows = table.rows.map((row) => {
    const compiled = row.cells.map(compileCell);
    cells.push(...compiled);
    return { tests: compiled.map((c) => c.test) as CellTest[], decision: row.decision, reason: row.reason };
  });
  const nativeShare = cells.length === 0 ? 1 : cells.filter((c) => c.native).length / cells.length;
  const inputs = table.inputs;
  const ids = inputs.map((i) => i.id);
  const hit = table.hitPolicy;
  return {
    inputs,
    nativeShare,
    evaluate(values) {
      const args: unknown[] = new Array(ids.length);
      for (let i = 0; i < ids.length; i++) {
        const v = values[ids[i]!];
        if (v === undefined) {
          return { outcome: 'route', reasons: [], matchedRows: [], fallback: { code: 'input_unavailable', message: `缺少数据：${inputs[i]!.label}` } };
        }
        args[i] = v;
      }
      const matched: number[] = [];
      try {
        for (let r = 0; r < rows.length; r++) {
          const tests = rows[r]!.tests;
          let all = true;
          for (let c = 0; c < tests.length; c++) {
            if (!tests[c]!(args[c])) { all = false; break; }
          }
          if (!all) continue;
          matched.push(r);
          if (hit === 'FIRST') break;
        }
      } catch (error) {
        return { outcome: 'route', reasons: [], matchedRows: [], fallback: { code: 'rule_error', message: `规则计算出错：${error instanceof Error ? error.message : String(error)}` } };
      }
      if (matched.length === 0) return { outcome: 'route', reasons: [], matchedRows: [], fallback: { code: 'no_rule_matched', message: '没有适用的规则，转人工办理' } };
      const matchedRows = matched.map((r) => r + 1);
      if (hit === 'UNIQUE' && matched.length > 1) {
        return { outcome: 'route', reasons: [], matchedRows, fallback: { code: 'unique_violated', message: `多条规则同时适用（第 ${matchedRows.join('、')} 条），转人工办理` } };
      }
      const hits = matched.map((r) => rows[r]!);
      return { outcome: combine(hits.map((h) => h.decision)), reasons: hits.map((h) => h.reason), matchedRows, fallback: null };
    },
  };
}

/** Runs a rule's stored tests against its compiled table. */
export function runTests(table: CompiledTable, tests: readonly RuleTest[]): TestReport {
  const results = tests.map((t) => {
    const result = table.evaluate(t.inputs);
    const reasons = result.fallback ? [result.fallback.message] : result.reasons;
    return { name: t.name, expected: t.expected, actual: result.outcome, passed: result.outcome === t.expected, reasons };
  });
  const failed = results.filter((r) => !r.passed).length;
  return { passed: failed === 0 && tests.length > 0, total: tests.length, failed, results };
}
