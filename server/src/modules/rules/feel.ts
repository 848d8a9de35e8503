import { evaluate, parseUnaryTests, unaryTest, SyntaxError as FeelSyntaxError } from 'feelin';

/*
 * FEEL unary tests compiled once into closures. feelin's `unaryTest(text, context)` parses the
 * text on every call (bench/rules.bench.ts measured it at a few thousand cells a second), which
 * a decision per case cannot afford. A cell is parsed with feelin's own grammar (so what is FEEL
 * is feelin's say), and the common shapes — literals, lists of them, comparisons and intervals of
 * numbers or strings, `not(…)`, `-` — become closures; any other cell (dates, functions,
 * arithmetic) keeps feelin's evaluation, still correct, only slower. feel.test.ts checks the
 * closures against feelin itself on generated cells and values.
 */

export type CellTest = (value: unknown) => boolean;

export interface CompiledCell {
  test: CellTest;
  /** false: the cell is evaluated by feelin on every call. */
  native: boolean;
  /** Literal values the cell mentions (witnesses for the UNIQUE overlap check). */
  literals: unknown[];
}

interface SyntaxNodeLike {
  name: string;
  from: number;
  to: number;
  firstChild: SyntaxNodeLike | null;
  nextSibling: SyntaxNodeLike | null;
}

const LITERALS = new Set(['StringLiteral', 'NumericLiteral', 'BooleanLiteral', 'null']);

/** A problem with a cell's text, or null: a FEEL syntax error, or a name the cell cannot know (it sees only the input's value, `?`). */
export function cellProblem(text: string): { kind: 'syntax' | 'unknown_name'; message: string } | null {
  try {
    const { warnings } = unaryTest(text, { '?': null });
    const unknown = warnings.find((w) => w.type === 'NO_VARIABLE_FOUND');
    if (unknown) return { kind: 'unknown_name', message: unknown.message };
    return null;
  } catch (error) {
    if (error instanceof FeelSyntaxError) return { kind: 'syntax', message: error.message };
    return { kind: 'syntax', message: error instanceof Error ? error.message : String(error) };
  }
}

function children(node: SyntaxNodeLike): SyntaxNodeLike[] {
  const out: SyntaxNodeLike[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function literalValue(text: string): unknown {
  return evaluate(text).value;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/** A positive test's answer in FEEL's three values: null when the value cannot be compared at all. */
type Tri = (value: unknown) => boolean | null;

function sameKind(a: unknown, b: unknown): boolean {
  return (isNum(a) && isNum(b)) || (isStr(a) && isStr(b));
}

function equalTo(literal: unknown): Tri {
  if (literal === null) return (v) => v === null || v === undefined;
  return (v) => v === literal;
}

/**
 * An ordering test. A missing value (null) fails it, as in feelin. A value of another kind (a
 * string against `>= 60`) is null, as the DMN specification has it — so it matches neither the
 * test nor its `not(…)`. (feelin 8 answers true there; a rule must never approve on a wrong type.)
 */
function ordered(literal: number | string, holds: (v: number | string) => boolean): Tri {
  return (v) => {
    if (v === null || v === undefined) return false;
    if (!sameKind(v, literal)) return null;
    return holds(v as number | string);
  };
}

function compare(op: string, literal: unknown): Tri | null {
  if (!isNum(literal) && !isStr(literal)) return null;
  switch (op) {
    case '<': return ordered(literal, (v) => v < literal);
    case '<=': return ordered(literal, (v) => v <= literal);
    case '>': return ordered(literal, (v) => v > literal);
    case '>=': return ordered(literal, (v) => v >= literal);
    case '=': return equalTo(literal);
    default: return null;
  }
}

function interval(node: SyntaxNodeLike, text: string): { test: Tri; literals: unknown[] } | null {
  const parts = children(node);
  const open = parts[0]?.name;
  const close = parts[parts.length - 1]?.name;
  const values = parts.filter((p) => LITERALS.has(p.name)).map((p) => literalValue(text.slice(p.from, p.to)));
  if (values.length !== 2 || parts.length !== 5) return null;
  const [lo, hi] = values as [number | string, number | string];
  if (!sameKind(lo, hi)) return null;
  const loIn = open === '[';
  const hiIn = close === ']';
  const test = ordered(lo, (v) => (loIn ? v >= lo : v > lo) && (hiIn ? v <= hi : v < hi));
  return { test, literals: [lo, hi] };
}

function positive(node: SyntaxNodeLike, text: string): { test: Tri; literals: unknown[] } | null {
  const inner = node.firstChild;
  if (!inner || inner.nextSibling) return null;
  if (LITERALS.has(inner.name)) {
    const value = literalValue(text.slice(inner.from, inner.to));
    if (value !== null && !isNum(value) && !isStr(value) && typeof value !== 'boolean') return null;
    return { test: equalTo(value), literals: [value] };
  }
  if (inner.name !== 'SimplePositiveUnaryTest') return null;
  const parts = children(inner);
  if (parts.length === 1 && parts[0]!.name === 'Interval') return interval(parts[0]!, text);
  if (parts.length === 2 && parts[0]!.name === 'CompareOp' && LITERALS.has(parts[1]!.name)) {
    const value = literalValue(text.slice(parts[1]!.from, parts[1]!.to));
    const test = compare(text.slice(parts[0]!.from, parts[0]!.to), value);
    return test ? { test, literals: [value] } : null;
  }
  return null;
}

function nativeCell(text: string): { test: CellTest; literals: unknown[] } | null {
  const top = parseUnaryTests(text, {}, undefined).topNode as unknown as SyntaxNodeLike;
  const parts = children(top);
  if (parts.length === 1 && parts[0]!.name === 'Wildcard') return { test: () => true, literals: [] };
  let negate = false;
  let list: SyntaxNodeLike | undefined;
  if (parts[0]?.name === 'not') {
    negate = true;
    list = parts.find((p) => p.name === 'PositiveUnaryTests');
  } else if (parts.length === 1 && parts[0]!.name === 'PositiveUnaryTests') {
    list = parts[0];
  }
  if (!list) return null;
  const tests: Tri[] = [];
  const literals: unknown[] = [];
  for (const p of children(list)) {
    if (p.name !== 'PositiveUnaryTest') return null;
    const compiled = positive(p, text);
    if (!compiled) return null;
    tests.push(compiled.test);
    literals.push(...compiled.literals);
  }
  if (tests.length === 0) return null;
  // a list holds when one test holds; it is null when none holds and one was null
  const any: Tri = tests.length === 1 ? tests[0]! : (v) => {
    let unknown = false;
    for (const t of tests) {
      const r = t(v);
      if (r === true) return true;
      if (r === null) unknown = true;
    }
    return unknown ? null : false;
  };
  const test: CellTest = negate ? (v) => any(v) === false : (v) => any(v) === true;
  return { test, literals };
}

/** Every literal in a cell feelin evaluates itself (witnesses only; errors ignored). */
function literalsOf(text: string): unknown[] {
  const out: unknown[] = [];
  const tree = parseUnaryTests(text, {}, undefined);
  tree.iterate({
    enter(node) {
      if (LITERALS.has(node.name)) {
        try { out.push(literalValue(text.slice(node.from, node.to))); } catch { /* not a witness */ }
        return false;
      }
      return undefined;
    },
  });
  return out;
}

/** Compiles a cell the save has already checked (`cellProblem` null). Blank is `-`. */
export function compileCell(raw: string): CompiledCell {
  const text = raw.trim() === '' ? '-' : raw;
  const native = nativeCell(text);
  if (native) return { ...native, native: true };
  return {
    test: (v) => unaryTest(text, { '?': v === undefined ? null : v }).value === true,
    native: false,
    literals: literalsOf(text),
  };
}
