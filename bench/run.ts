/**
 * Runs every `bench/*.bench.ts` (or those whose name contains one of the arguments:
 * `npm run bench -- calendar`) one after another and prints a table. A new bench is a new
 * `*.bench.ts` file whose default export is a `Bench` (bench/types.ts); nothing to register.
 * Exits non-zero when a bench throws (e.g. its cases disagree) or misses its stated target.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, BenchReport } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((filter) => f.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error(`no bench files match ${filters.join(' ')}`);
  process.exit(1);
}

const format = (n: number) => Math.round(n).toLocaleString('en-US');
let failed = false;
const results: Array<{ name: string; report?: BenchReport; error?: string; seconds: number }> = [];

for (const file of files) {
  const module = (await import(pathToFileURL(join(here, file)).href)) as { default: Bench };
  const bench = module.default;
  const started = performance.now();
  process.stdout.write(`running ${bench.name} ... `);
  try {
    const report = await bench.run();
    const seconds = (performance.now() - started) / 1000;
    console.log(`${seconds.toFixed(1)} s`);
    results.push({ name: bench.name, report, seconds });
    if (!report.ok) failed = true;
  } catch (err) {
    const seconds = (performance.now() - started) / 1000;
    console.log('FAILED');
    results.push({ name: bench.name, error: err instanceof Error ? err.message : String(err), seconds });
    failed = true;
  }
}

const header = ['bench', 'case', 'ops/s', 'relative'];
const lines: string[][] = [];
for (const r of results) {
  if (r.error) {
    lines.push([r.name, `ERROR: ${r.error}`, '', '']);
    continue;
  }
  const slowest = Math.min(...r.report!.rows.map((row) => row.opsPerSec));
  for (const row of r.report!.rows) lines.push([r.name, row.case, format(row.opsPerSec), `${(row.opsPerSec / slowest).toFixed(1)}x`]);
}
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
const printRow = (cells: string[]) => console.log(cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  '));
console.log();
printRow(header);
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const line of lines) printRow(line);
for (const r of results) for (const note of r.report?.notes ?? []) console.log(`${r.name}: ${note}`);

process.exitCode = failed ? 1 : 0;
