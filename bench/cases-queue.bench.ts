/**
 * The approver's first queue page (GET /api/v1/workbench/tasks) with 100,000 open cases and tasks
 * in the approver's department (plus 20,000 in another department, and 1,000 of the department's
 * tasks assigned to the approver): latency through HTTP (Fastify inject, session cookie), one
 * request at a time, p50 / p95 / p99, for the team queue's first page, the team queue's third
 * page (cursor) and the `mine` queue. Baseline in the same run: the same SQL (Workbench.pageQuery,
 * compiled once) issued directly on the database. Also: a notice PDF through HTTP.
 *
 * Databases: PGlite, then PostgreSQL (BENCH_DATABASE_URL, else a throwaway server), as
 * `eachBenchDatabase` (bench/database.ts) runs them. CASES_BENCH_TASKS sets the size.
 * Target (issue 4): first page p95 <= 20 ms on each database.
 */
import { sql } from 'kysely';
import { buildApp } from '../server/src/app.js';
import { SYSTEM_ACTOR } from '../server/src/platform/audit/audit.js';
import { loadConfig } from '../server/src/platform/config/config.js';
import type { StaffPrincipal } from '../server/src/platform/auth/principal.js';
import { migrateToLatest } from '../server/src/platform/db/migrate.js';
import { Workbench, type TaskQueueQuery } from '../server/src/modules/cases/queue.js';
import { demoCreditCode } from '../server/src/modules/demo/seed.js';
import { eachBenchDatabase, type BenchDatabase } from './database.js';
import { percentile, type Bench, type BenchRow } from './types.js';

const TASKS = Number(process.env.CASES_BENCH_TASKS ?? 100_000);
const OTHER_TASKS = 20_000;
const MINE = 1_000;
const REQUESTS = Number(process.env.CASES_BENCH_REQUESTS ?? 400);
const TARGET_P95_MS = 20;
const PASSWORD = 'Bench@2026';

interface Timing {
  row: BenchRow;
  p50: number;
  p95: number;
  p99: number;
}

/** `count` calls one after another, after a warm-up of a tenth as many. */
async function timed(label: string, count: number, op: () => Promise<void>): Promise<Timing> {
  for (let i = 0; i < Math.max(10, count / 10); i++) await op();
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await op();
    latencies.push(performance.now() - t);
  }
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { row: { case: label, opsPerSec: count / seconds, ops: count, seconds }, p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), p99: percentile(latencies, 0.99) };
}

/** The demo-like minimum: a city, two departments, an approver; then the cases and tasks in bulk. */
async function fill(target: BenchDatabase): Promise<{ app: Awaited<ReturnType<typeof buildApp>>['app']; workbench: Workbench; principal: StaffPrincipal; cookie: string; caseNumber: string; noticeId: string }> {
  const db = target.handle.db;
  await migrateToLatest(db);
  const config = loadConfig({ TONGBAN_MODE: 'demo', DATA_DIR: 'memory://', LOG_LEVEL: 'silent', WEB_DIR: '/nonexistent' });
  const { app, services } = await buildApp({ config, db, logger: false, passwordCost: 10 });
  await app.ready();
  await services.org.createRegion(SYSTEM_ACTOR, { code: '440300', name: '深圳市', level: 'city', parentCode: null });
  const market = await services.org.createDepartment(SYSTEM_ACTOR, { name: '深圳市市场监督管理局', creditCode: demoCreditCode('11', '440300', 1), regionCode: '440300' });
  const police = await services.org.createDepartment(SYSTEM_ACTOR, { name: '深圳市公安局', creditCode: demoCreditCode('11', '440300', 3), regionCode: '440300' });
  const staff = await services.identity.createStaff(null, SYSTEM_ACTOR, { username: 'bench_approver', name: '审批 基准', departmentId: market.id, roles: ['approver'], password: PASSWORD });

  const started = performance.now();
  // One statement per table: cases numbered like real ones, due dates spread over 60 days (some
  // overdue), one in fifty on the green channel; the tasks are each case's first step.
  const insertCases = (departmentId: string, prefix: string, count: number) => sql`
    INSERT INTO cases (case_number, item_code, item_version, item_name, department_id, region_path, channel, applicant_kind,
                       applicant_name, applicant_identifier, form, status, case_kind, promised_days, priority,
                       submitted_at, accepted_at, accepted_on, deadline, current_step)
    SELECT ${prefix} || lpad(g::text, 8, '0'), '11440300MB2C94016Y2440304001001', 1, '食品经营许可', ${departmentId}, '440300', 'online', 'natural',
           '张三' || (g % 100), '440304199001011233', '{}'::jsonb, 'accepted', '2', 5, CASE WHEN g % 50 = 0 THEN 1 ELSE 0 END,
           now() - make_interval(mins => g), now() - make_interval(mins => g), DATE '2026-11-02' + (g % 60), DATE '2026-11-09' + (g % 60), 0
    FROM generate_series(1, ${count}) AS g`.execute(db);
  await insertCases(market.id, 'BENCH', TASKS);
  await insertCases(police.id, 'OTHER', OTHER_TASKS);
  await sql`
    INSERT INTO case_tasks (case_id, department_id, step_index, step_name, role, priority, opened_at, due_date)
    SELECT id, department_id, 0, '材料审查', 'approver', priority, accepted_at, accepted_on + 1 FROM cases`.execute(db);
  await sql`
    UPDATE case_tasks SET assignee_id = ${staff.id}
    WHERE id IN (SELECT id FROM case_tasks WHERE department_id = ${market.id} ORDER BY id LIMIT ${MINE})`.execute(db);
  const caseRow = await db.selectFrom('cases').select(['id', 'case_number']).where('case_number', '=', 'BENCH00000001').executeTakeFirstOrThrow();
  const notice = await db
    .insertInto('case_notices')
    .values({
      case_id: caseRow.id,
      kind: 'decision',
      number: '深圳市市场监督管理局决字〔2026〕第00001号',
      created_by: staff.id,
      content: JSON.stringify({ title: '准予行政许可决定书', outcome: 'approved', itemName: '食品经营许可', departmentName: '深圳市市场监督管理局', legalBasis: ['《中华人民共和国食品安全法》第三十五条'], results: ['食品经营许可证'] }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`ANALYZE`.execute(db);
  const fillSeconds = (performance.now() - started) / 1000;

  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'bench_approver', password: PASSWORD } });
  if (login.statusCode !== 200) throw new Error(`login: ${login.statusCode} ${login.body}`);
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const principal: StaffPrincipal = { kind: 'staff', userId: staff.id, name: staff.name, roles: ['approver'], departmentId: market.id, regionPath: '440300' };
  console.log(`  ${target.label}: ${(TASKS + OTHER_TASKS).toLocaleString('en-US')} cases and tasks inserted in ${fillSeconds.toFixed(1)} s`);
  return { app, workbench: new Workbench(db, services.identity), principal, cookie, caseNumber: caseRow.case_number, noticeId: notice.id };
}

const bench: Bench = {
  name: 'cases-queue',
  async run() {
    const rows: BenchRow[] = [];
    const notes: string[] = [`${TASKS.toLocaleString('en-US')} open tasks in the department (+${OTHER_TASKS.toLocaleString('en-US')} elsewhere), ${REQUESTS} sequential requests per case; target: first page p95 <= ${TARGET_P95_MS} ms`];
    let ok = true;
    const ran = await eachBenchDatabase(async (target) => {
      const { app, workbench, principal, cookie, caseNumber, noticeId } = await fill(target);
      const db = target.kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
      if (target.kind === 'postgres') notes.push(`PostgreSQL: ${target.label}`);
      const get = (url: string) => async () => {
        const res = await app.inject({ method: 'GET', url, headers: { cookie } });
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      };
      // the cursor of page 3 of the team queue
      const page1 = (await app.inject({ method: 'GET', url: '/api/v1/workbench/tasks?queue=team', headers: { cookie } })).json() as { items: Array<{ taskId: string; priority: number; dueDate: string }>; nextCursor: string };
      if (page1.items.length !== 20 || page1.items[0]!.priority !== 1) throw new Error('the first page should be 20 tasks, green channel first');
      const page2 = (await app.inject({ method: 'GET', url: `/api/v1/workbench/tasks?queue=team&cursor=${page1.nextCursor}`, headers: { cookie } })).json() as { nextCursor: string };
      const direct = (query: TaskQueueQuery) => {
        const compiled = workbench.pageQuery(principal, query).compile();
        return async () => {
          const result = await target.handle.db.executeQuery(compiled);
          if (result.rows.length === 0) throw new Error('no rows');
        };
      };
      const cases: Array<[string, () => Promise<void>, boolean]> = [
        ['team, first page: HTTP', get('/api/v1/workbench/tasks?queue=team'), true],
        ['team, first page: SQL only (baseline)', direct({ queue: 'team' }), false],
        ['team, page 3 (cursor): HTTP', get(`/api/v1/workbench/tasks?queue=team&cursor=${page2.nextCursor}`), false],
        ['team, page 3 (cursor): SQL only', direct({ queue: 'team', cursor: page2.nextCursor }), false],
        ['mine, first page: HTTP', get('/api/v1/workbench/tasks?queue=mine'), true],
        ['mine, first page: SQL only', direct({ queue: 'mine' }), false],
      ];
      const results = new Map<string, Timing>();
      for (const [label, op, checked] of cases) {
        const t = await timed(`${db} ${label}`, REQUESTS, op);
        results.set(label, t);
        rows.push(t.row);
        const met = t.p95 <= TARGET_P95_MS;
        if (checked && !met) ok = false;
        notes.push(`${db} ${label}: p50 ${t.p50.toFixed(2)} ms, p95 ${t.p95.toFixed(2)} ms, p99 ${t.p99.toFixed(2)} ms${checked ? (met ? ' (target met)' : ' (TARGET MISSED)') : ''}`);
      }
      const http = results.get('team, first page: HTTP')!;
      const base = results.get('team, first page: SQL only (baseline)')!;
      notes.push(`${db} first page: HTTP p95 / SQL p95 = ${(http.p95 / base.p95).toFixed(1)}x (HTTP adds ${(http.p95 - base.p95).toFixed(2)} ms at p95)`);
      const pdf = await timed(`${db} decision notice PDF: HTTP`, 20, get(`/api/v1/cases/${caseNumber}/notices/${noticeId}/pdf`));
      rows.push(pdf.row);
      notes.push(`${db} decision notice PDF over HTTP: p50 ${pdf.p50.toFixed(0)} ms, p95 ${pdf.p95.toFixed(0)} ms`);
      await app.close();
    });
    if (!ran.some((r) => r.database.kind === 'postgres')) notes.push('no PostgreSQL could be had: measured on PGlite only');
    return { rows, notes, ok };
  },
};

export default bench;
