/**
 * Efficiency supervision at scale, issue 8: indicators read from the roll-ups, and the alert
 * sweep over the open cases, with millions of synthetic cases in supervision's projection.
 *
 * Set-up on each database: migrated, the calendar loaded (bootstrap's seedCalendar), a city with
 * 10 districts and 40 departments (OrgService), then `generateSynthetic` (set-based
 * generate_series SQL, server/src/modules/supervision/synthetic.ts) writes DECIDED decided cases
 * over the last 250 working days and OPEN open cases into supervision_case_facts, and their
 * roll-ups (supervision_daily, supervision_daily_durations), 25 items a department.
 *
 * 1. City-wide indicators for the last full month (SupervisionService.report: the roll-ups in one
 *    GROUPING SETS statement, the handling-time histogram, the catalog's four-ways ratios):
 *    median of RUNS. Target <= 1 s.
 * 2. One department, same month: median of RUNS. Target <= 200 ms.
 * 3. Baseline, same run: a plain sum of two counters over the same month's roll-up rows.
 * 4. The alert sweep (SupervisionService.sweep) over the OPEN open cases: the first sweep raises
 *    the alerts, the second finds nothing new. Target <= 30 s for 1,000,000 open cases. Baseline:
 *    a plain count of the open cases.
 * 5. The public overdue list's first page (most overdue first, city-wide): median of RUNS.
 *
 * Sizes: SUPERVISION_BENCH_DECIDED / SUPERVISION_BENCH_OPEN (default PostgreSQL 9,000,000 +
 * 1,000,000; PGlite 1,000,000 in all: 500,000 + 500,000, or the same variables with the
 * _PGLITE suffix). The notes say what was run.
 */
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import { createServices } from '../server/src/app.js';
import { seedCalendar } from '../server/src/bootstrap.js';
import { demoCreditCode } from '../server/src/modules/demo/seed.js';
import { WorkdayOrdinals } from '../server/src/modules/supervision/ordinals.js';
import { regionPathMap } from '../server/src/modules/supervision/service.js';
import { generateSynthetic } from '../server/src/modules/supervision/synthetic.js';
import { SYSTEM_ACTOR } from '../server/src/platform/audit/audit.js';
import { loadConfig } from '../server/src/platform/config/config.js';
import { migrateToLatest } from '../server/src/platform/db/migrate.js';
import { todayInShanghai } from '../server/src/platform/time.js';
import { eachBenchDatabase, type BenchDatabase } from './database.js';
import type { Bench, BenchRow } from './types.js';

const RUNS = 7;
const DISTRICTS = ['440303', '440304', '440305', '440306', '440307', '440308', '440309', '440310', '440311', '440312'];
const TARGET = { cityMs: 1000, departmentMs: 200, sweepS: 30 };

function sizes(kind: BenchDatabase['kind']): { decided: number; open: number } {
  const env = (name: string, fallback: number) => Number(process.env[`${name}${kind === 'pglite' ? '_PGLITE' : ''}`] ?? process.env[name] ?? fallback);
  return kind === 'pglite'
    ? { decided: env('SUPERVISION_BENCH_DECIDED', 500_000), open: env('SUPERVISION_BENCH_OPEN', 500_000) }
    : { decided: env('SUPERVISION_BENCH_DECIDED', 9_000_000), open: env('SUPERVISION_BENCH_OPEN', 1_000_000) };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

async function median(work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await timed(work)).ms);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const row = (label: string, ms: number): BenchRow => ({ case: label, opsPerSec: 1000 / ms, ops: 1, seconds: ms / 1000 });

async function runOn(database: BenchDatabase): Promise<{ rows: BenchRow[]; notes: string[]; ok: boolean }> {
  const { db } = database.handle;
  const label = database.kind;
  await migrateToLatest(db);
  const config = loadConfig({ TONGBAN_MODE: 'demo', DATA_DIR: 'memory://', LOG_LEVEL: 'silent', WEB_DIR: '/nonexistent' });
  const services = createServices(db, config, 10);
  await seedCalendar(services);
  await services.org.createRegion(SYSTEM_ACTOR, { code: '440300', name: '深圳市', level: 'city' });
  let serial = 1;
  for (const [i, code] of DISTRICTS.entries()) await services.org.createRegion(SYSTEM_ACTOR, { code, name: `第${i + 1}区`, level: 'district', parentCode: '440300' });
  for (let i = 0; i < 10; i++) await services.org.createDepartment(SYSTEM_ACTOR, { name: `市局${i + 1}`, creditCode: demoCreditCode('11', '440300', serial++), regionCode: '440300' });
  for (const code of DISTRICTS) for (let i = 0; i < 3; i++) await services.org.createDepartment(SYSTEM_ACTOR, { name: `${code}局${i + 1}`, creditCode: demoCreditCode('11', code, serial++), regionCode: code });
  const departments = await services.org.listDepartments();
  const paths = regionPathMap(await services.org.listRegions());
  const { decided, open } = sizes(database.kind);
  const ordinals = (await WorkdayOrdinals.open(db, await services.calendar.pinned()))!;
  const today = todayInShanghai();
  const generated = await timed(() =>
    generateSynthetic(db, ordinals, { prefix: 'B', departments: departments.map((d) => ({ id: d.id, regionPath: paths.get(d.regionCode)! })), itemsPerDepartment: 25, decided, open, workdays: 250, today }),
  );
  await sql`ANALYZE`.execute(db);
  const counts = (await sql<{ facts: string; daily: string }>`SELECT (SELECT count(*) FROM supervision_case_facts) AS facts, (SELECT count(*) FROM supervision_daily) AS daily`.execute(db)).rows[0]!;

  // the last full month
  const first = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
  const end = new Date(first.getTime() - 86_400_000);
  const from = `${end.toISOString().slice(0, 7)}-01`;
  const to = end.toISOString().slice(0, 10);
  const supervision = services.supervision;
  const department = departments[0]!;
  let cityCheck = 0;
  const city = await median(async () => {
    const r = await supervision.report({ from, to }, { departmentId: null, regionPath: null }, { departmentId: null, regionCode: null });
    cityCheck = r.indicators.find((i) => i.key === 'onTime')!.denominator ?? 0;
  });
  const one = await median(() => supervision.report({ from, to }, { departmentId: department.id, regionPath: null }, { departmentId: department.id, regionCode: null }));
  let baselineDecided = 0;
  const baseline = await median(async () => {
    const r = await sql<{ decided: string }>`SELECT sum(received) AS received, sum(decided) AS decided FROM supervision_daily WHERE day BETWEEN ${from}::date AND ${to}::date`.execute(db);
    baselineDecided = Number(r.rows[0]!.decided);
  });
  if (cityCheck !== baselineDecided) throw new Error(`the report counts ${cityCheck} decisions, the plain sum ${baselineDecided}`);

  const countOpen = await timed(() => sql`SELECT count(*) FROM supervision_case_facts WHERE open`.execute(db));
  const sweep1 = await timed(() => supervision.sweep());
  const sweep2 = await timed(() => supervision.sweep());
  const overdue = await median(() => supervision.publicOverdue({ limit: 20 }));

  const ok = (database.kind === 'pglite' || (city <= TARGET.cityMs && one <= TARGET.departmentMs)) && (open < 1_000_000 || sweep1.ms / 1000 <= TARGET.sweepS);
  const f = (n: number) => n.toLocaleString('en-US');
  return {
    rows: [
      row(`${label}: plain sum over the month's roll-up (baseline)`, baseline),
      row(`${label}: city-wide indicators, one month`, city),
      row(`${label}: one department, one month`, one),
      row(`${label}: count of open cases (sweep baseline)`, countOpen.ms),
      row(`${label}: alert sweep, first (raises)`, sweep1.ms),
      row(`${label}: alert sweep, again (nothing new)`, sweep2.ms),
      row(`${label}: public overdue list, first page`, overdue),
    ],
    notes: [
      `${label}: ${f(decided)} decided + ${f(open)} open synthetic cases (${f(Number(counts.facts))} facts, ${f(Number(counts.daily))} roll-up rows) generated in ${(generated.ms / 1000).toFixed(1)} s; month ${from}..${to} (${f(baselineDecided)} decisions)`,
      `${label}: city-wide ${city.toFixed(1)} ms (target <= ${TARGET.cityMs}), one department ${one.toFixed(1)} ms (target <= ${TARGET.departmentMs}); baseline plain sum ${baseline.toFixed(1)} ms: city ${(city / baseline).toFixed(1)}x, department ${(one / baseline).toFixed(1)}x the baseline`,
      `${label}: sweep over ${f(open)} open cases ${(sweep1.ms / 1000).toFixed(2)} s raising ${f(sweep1.result.raised)} alerts (target <= ${TARGET.sweepS} s at 1,000,000), again ${(sweep2.ms / 1000).toFixed(2)} s; count of open cases ${(countOpen.ms / 1000).toFixed(2)} s: first sweep ${(sweep1.ms / countOpen.ms).toFixed(1)}x the count; public overdue first page ${overdue.toFixed(1)} ms`,
    ],
    ok,
  };
}

const bench: Bench = {
  name: 'supervision',
  async run() {
    const notes = [`${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at start`];
    const ran = await eachBenchDatabase(runOn);
    notes.push(...ran.map((r) => r.database.label));
    if (process.env.BENCH_DB !== 'pglite' && !ran.some((r) => r.database.kind === 'postgres')) notes.push('PostgreSQL not measured: no BENCH_DATABASE_URL and no throwaway server could be started');
    notes.push(...ran.flatMap((r) => r.result.notes), `load average ${loadavg()[0]!.toFixed(1)} at the end (other processes on the machine skew these figures)`);
    return { rows: ran.flatMap((r) => r.result.rows), notes, ok: ran.every((r) => r.result.ok) };
  },
};

export default bench;
