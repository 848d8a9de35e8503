/**
 * Rule evaluation alone (issue 5): decisions per second for a 20-row decision table of 3 inputs
 * (a number, a string, a date string), hit policy FIRST, over 1,000 seeded inputs.
 *
 * 1. compiled: the table as the case module uses it — `compileTable` once, `evaluate` per case
 *    (cells compiled into closures by feel.ts).
 * 2. baseline, in the same run: the same table written by hand as a JavaScript if-chain.
 * 3. for comparison: feelin's own `unaryTest` per cell per decision (what a table re-parsed on
 *    every case would cost).
 * The three must agree on every input (checked first). Target: compiled >= 20,000 decisions/s.
 */
import { loadavg } from 'node:os';
import { unaryTest } from 'feelin';
import { compileTable } from '../server/src/modules/rules/table.js';
import type { DecisionTable, RuleDecision } from '../server/src/modules/rules/schemas.js';
import { measure, seededRandom, type Bench } from './types.js';

const SECONDS = Number(process.env.RULES_SECONDS ?? 2);
const TARGET = 20_000;
const REGIONS = ['440303', '440304', '440305', '440306', '440307'];

/** 20 rows: age bands × region groups × graduation date, then a catch-all. */
function rows(): Array<{ lo: number; hi: number; regions: string[]; after: string; decision: RuleDecision }> {
  const out: Array<{ lo: number; hi: number; regions: string[]; after: string; decision: RuleDecision }> = [];
  for (let band = 0; band < 19; band++) {
    out.push({ lo: 18 + band * 3, hi: 21 + band * 3, regions: band % 2 === 0 ? ['440303', '440304'] : ['440305', '440306'], after: `20${10 + (band % 10)}-07-01`, decision: band % 3 === 0 ? 'deny' : band % 3 === 1 ? 'approve' : 'route' });
  }
  return out;
}

const ROWS = rows();
const TABLE: DecisionTable = {
  hitPolicy: 'FIRST',
  inputs: [
    { id: 'age', label: '年龄', source: 'applicant', path: 'age' },
    { id: 'region', label: '户籍地', source: 'applicant', path: 'regionCode' },
    { id: 'graduated', label: '毕业日期', source: 'form', path: 'graduationDate' },
  ],
  rows: [
    ...ROWS.map((r) => ({ cells: [`[${r.lo}..${r.hi})`, r.regions.map((x) => JSON.stringify(x)).join(', '), `>= "${r.after}"`], decision: r.decision, reason: `${r.lo}-${r.hi}` })),
    { cells: ['-', '-', '-'], decision: 'route' as const, reason: '其他' },
  ],
};

function handWritten(v: { age: number; region: string; graduated: string }): RuleDecision {
  for (const r of ROWS) {
    if (v.age >= r.lo && v.age < r.hi && r.regions.includes(v.region) && v.graduated >= r.after) return r.decision;
  }
  return 'route';
}

function feelinPerCall(v: { age: number; region: string; graduated: string }): RuleDecision {
  for (const row of TABLE.rows) {
    const values = [v.age, v.region, v.graduated];
    if (row.cells.every((cell, i) => unaryTest(cell, { '?': values[i] }).value === true)) return row.decision;
  }
  return 'route';
}

const bench: Bench = {
  name: 'rules',
  run() {
    const random = seededRandom(5);
    const inputs = Array.from({ length: 1_000 }, () => ({
      age: 18 + Math.floor(random() * 62),
      region: REGIONS[Math.floor(random() * REGIONS.length)]!,
      graduated: `20${10 + Math.floor(random() * 15)}-0${1 + Math.floor(random() * 9)}-15`,
    }));
    const compiled = compileTable(TABLE);
    const code = (d: RuleDecision) => (d === 'approve' ? 1 : d === 'deny' ? 2 : 3);
    for (const [i, v] of inputs.entries()) {
      const a = compiled.evaluate(v).outcome;
      const b = handWritten(v);
      if (a !== b || (i < 100 && feelinPerCall(v) !== b)) throw new Error(`rules: input ${i} ${JSON.stringify(v)}: compiled ${a}, hand-written ${b}`);
    }
    const rowsOut = [
      measure('compiled table (compileTable once, evaluate per case)', inputs.length, (i) => code(compiled.evaluate(inputs[i]!).outcome), SECONDS),
      measure('baseline: hand-written JavaScript if-chain', inputs.length, (i) => code(handWritten(inputs[i]!)), SECONDS),
      measure('feelin unaryTest per cell per decision (re-parsed)', inputs.length, (i) => code(feelinPerCall(inputs[i]!)), Math.min(SECONDS, 1)),
    ];
    const [fast, base, slow] = rowsOut as [typeof rowsOut[0], typeof rowsOut[0], typeof rowsOut[0]];
    const ok = fast.opsPerSec >= TARGET;
    return {
      rows: rowsOut,
      notes: [
        `20-row table, 3 inputs, FIRST; ${Math.round(compiled.nativeShare * 100)}% of cells compiled to closures; load average ${loadavg()[0]!.toFixed(1)}`,
        `compiled / hand-written = ${(fast.opsPerSec / base.opsPerSec).toFixed(3)}x; compiled / feelin per call = ${(fast.opsPerSec / slow.opsPerSec).toFixed(0)}x`,
        `target compiled >= ${TARGET.toLocaleString('en-US')} decisions/s: ${ok ? 'met' : 'MISSED'} (${Math.round(fast.opsPerSec).toLocaleString('en-US')}/s)`,
      ],
      ok,
    };
  },
};

export default bench;
