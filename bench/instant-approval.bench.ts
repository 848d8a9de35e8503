/**
 * Instant approval (秒批) through HTTP, issue 5: POST /api/v1/cases for an item configured for
 * instant approval with a published 20-row decision table; every submission answers 201 with the
 * case approved (accepted, decided, decision number and notice, and its result issued as an
 * e-license signed with the department's SM2 seal) within the request. 32 concurrent applicants.
 *
 * Set-up on each database: migrated, calendar loaded, a city and a department with its seal, an
 * e-license type, two items with the same content (a 6-field form, one uploaded material, one
 * result issued as that e-license): one with `instantApproval` and a published rule set (20 rows,
 * FIRST, on the form's age and region and the applicant's kind), one without;
 * APPLICANTS registered and signed in, one PDF each uploaded beforehand.
 *
 * 1. instant: CLIENTS clients in a closed loop (worker thread, fetch keep-alive) submitting to the
 *    instant item; each answer must be 201 with status approved. Warm-up, then SECONDS measured:
 *    decisions/s, p50 / p95 / p99 (submission to approved result).
 * 2. baseline, in the same run: the same submissions to the plain item (filed, left submitted).
 * Alternating over ROUNDS rounds, best of each. Targets (PostgreSQL; reported on PGlite):
 * p99 <= 100 ms at 32 clients, >= 300 decisions/s.
 */
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import { buildApp } from '../server/src/app.js';
import { seedCalendar } from '../server/src/bootstrap.js';
import { f, form, material } from '../server/src/modules/catalog/demo/builders.js';
import { demoCreditCode, demoIdNumber } from '../server/src/modules/demo/seed.js';
import { demoTypeCode } from '../server/src/modules/licenses/demo.js';
import type { DecisionTable } from '../server/src/modules/rules/schemas.js';
import { SYSTEM_ACTOR } from '../server/src/platform/audit/audit.js';
import { SESSION_COOKIE } from '../server/src/platform/auth/plugin.js';
import { loadConfig } from '../server/src/platform/config/config.js';
import { migrateToLatest } from '../server/src/platform/db/migrate.js';
import { sampleContent } from '../server/test/catalog-fixtures.js';
import { samplePdf } from '../server/test/file-samples.js';
import { mainThreadCpuMs, postgresCpuMs, runClients, type ClientSpec } from './http-load.js';
import { eachBenchDatabase, type BenchDatabase } from './database.js';
import { percentile, type Bench, type BenchRow } from './types.js';

const CLIENTS = Number(process.env.INSTANT_CLIENTS ?? 32);
/** The app's pool (DATABASE_POOL_SIZE, default 10). */
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 10);
const APPLICANTS = Number(process.env.INSTANT_APPLICANTS ?? 128);
const SECONDS = Number(process.env.INSTANT_SECONDS ?? 5);
const WARM_SECONDS = 2;
const ROUNDS = 2;
const PASSWORD = 'Bench@2026';
const TARGET = { p99Ms: 100, perSecond: 300 };
const LICENSE_TYPE = 'BENCH_TALENT_NOTICE';

const FIELDS = [
  f.text('applicantName', '申请人姓名'),
  f.idNumber('applicantIdNumber', '申请人身份证号码'),
  f.phone('applicantPhone', '联系电话'),
  f.number('age', '年龄'),
  f.region('region', '所在街道'),
  f.select('degree', '学历', [['bachelor', '本科'], ['master', '硕士'], ['doctor', '博士']]),
];
const MATERIALS = [material('application', '申请书', 'applicant', 'required', { paperCopies: 0 })];

/** 20 rows: 19 bands of age × region that approve, then a catch-all that routes. Every bench applicant matches an approving row. */
const TABLE: DecisionTable = {
  hitPolicy: 'FIRST',
  inputs: [
    { id: 'age', label: '年龄', source: 'form', path: 'age' },
    { id: 'region', label: '街道', source: 'form', path: 'region' },
    { id: 'kind', label: '申请人类型', source: 'applicant', path: 'kind' },
  ],
  rows: [
    ...Array.from({ length: 19 }, (_, band) => ({ cells: [`[${18 + band * 3}..${21 + band * 3})`, '"440304001", "440304003", "440305005"', '"natural"'], decision: 'approve' as const, reason: `年龄 ${18 + band * 3}-${20 + band * 3} 周岁，本市街道，准予` })),
    { cells: ['-', '-', '-'], decision: 'route' as const, reason: '转人工' },
  ],
};

function formData(i: number, idNumber: string): Record<string, unknown> {
  return { applicantName: `申请人${i}`, applicantIdNumber: idNumber, applicantPhone: `138${String(i).padStart(8, '0')}`, age: 18 + (i % 57), region: '440304001', degree: 'bachelor' };
}

function idNumberOf(i: number): string {
  const birth = new Date(Date.UTC(1970, 0, 1) + (i % 10_000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  return demoIdNumber('440304', birth, String(200 + Math.floor(i / 10_000)).padStart(3, '0'));
}

interface Applicant {
  userId: string;
  name: string;
  idNumber: string;
  phone: string;
  cookie: string;
  csrf: string;
  fileIds: string[];
}

interface Platform {
  base: string;
  instantCode: string;
  plainCode: string;
  applicants: Applicant[];
  close(): Promise<void>;
}

async function upload(base: string, applicant: Applicant, name: string): Promise<string> {
  const body = new FormData();
  body.append('file', new Blob([samplePdf(name)], { type: 'application/pdf' }), name);
  const res = await fetch(`${base}/api/v1/files`, { method: 'POST', body, headers: { cookie: applicant.cookie, 'x-csrf-token': applicant.csrf } });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`upload: HTTP ${res.status} ${text}`);
  return (JSON.parse(text) as { fileId: string }).fileId;
}

async function inBatches<T>(list: readonly T[], width: number, op: (x: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    for (let i = next++; i < list.length; i = next++) await op(list[i]!, i);
  }));
}

async function setUp(database: BenchDatabase): Promise<Platform> {
  const db = database.handle.db;
  await migrateToLatest(db);
  const config = loadConfig({ TONGBAN_MODE: 'demo', DATA_DIR: 'memory://', LOG_LEVEL: 'silent', WEB_DIR: '/nonexistent' });
  const { app, services } = await buildApp({ config, db, logger: false, passwordCost: 10 });
  await seedCalendar(services);
  await services.org.createRegion(SYSTEM_ACTOR, { code: '440300', name: '深圳市', level: 'city', parentCode: null });
  const department = await services.org.createDepartment(SYSTEM_ACTOR, { name: '深圳市人力资源和社会保障局', creditCode: demoCreditCode('11', '440300', 2), regionCode: '440300' });
  await services.licenses.createType(SYSTEM_ACTOR, { code: LICENSE_TYPE, typeCode: demoTypeCode(90), name: '引进人才核准通知', holderKind: 'natural', validityYears: null, fields: [{ name: 'degree', label: '学历', required: false }] });
  await services.licenses.createSeals(SYSTEM_ACTOR, [{ departmentId: department.id, name: '电子证照专用章' }]);
  const content = sampleContent({ name: '人才引进（基准测试）', serviceObjects: ['1'], materials: MATERIALS, form: form(FIELDS), results: [{ name: '引进人才核准通知（电子）', kind: 'approval_document', licenseTypeCode: LICENSE_TYPE }], caseKind: '1', promisedDays: 0, handling: { immediate: true, online: true, nearby: false, oneVisit: true }, procedure: [{ name: '受理', role: 'window_clerk', days: 0 }, { name: '决定', role: 'approver', days: 0 }] });
  const codes: string[] = [];
  for (const [k, instant] of [[0, true], [1, false]] as const) {
    const created = await services.catalog.createItem(SYSTEM_ACTOR, null, { departmentId: department.id, exerciseLevel: 3, basicCode: `ZI${String(4_400_000_000 + k)}`, content: { ...content, name: `${content.name}${k + 1}`, ...(instant ? { instantApproval: true } : {}) } });
    await services.catalog.submit(SYSTEM_ACTOR, null, created.implementationCode, created.version, { lockVersion: created.lockVersion });
    await services.catalog.publish(SYSTEM_ACTOR, null, created.implementationCode, created.version, {});
    codes.push(created.implementationCode);
  }
  const tests = [{ name: '30 岁', inputs: { age: 30, region: '440304001', kind: 'natural' }, expected: 'approve' as const }, { name: '外区', inputs: { age: 30, region: '440306001', kind: 'natural' }, expected: 'route' as const }];
  await services.rules.save(null, SYSTEM_ACTOR, codes[0]!, 1, { table: TABLE, tests });
  await services.rules.publish(null, SYSTEM_ACTOR, codes[0]!, 1);

  const applicants: Applicant[] = [];
  for (let i = 0; i < APPLICANTS; i++) {
    const idNumber = idNumberOf(i);
    const phone = `139${String(i).padStart(8, '0')}`;
    const user = await services.identity.register({ id: null, kind: 'anonymous', ip: '127.0.0.1' }, { kind: 'natural', name: `申请人${i}`, idNumber, phone, password: PASSWORD });
    const session = await services.identity.login(`10.8.${i >> 8}.${i & 255}`, idNumber, PASSWORD);
    applicants.push({ userId: user.id, name: user.name, idNumber, phone, cookie: `${SESSION_COOKIE}=${session.sessionToken}`, csrf: session.csrfToken, fileIds: [] });
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('instant-approval: no address');
  const base = `http://127.0.0.1:${address.port}`;
  await inBatches(applicants, 8, async (a) => {
    for (const m of MATERIALS) a.fileIds.push(await upload(base, a, `${m.id}.pdf`));
  });
  return { base, instantCode: codes[0]!, plainCode: codes[1]!, applicants, close: () => app.close() };
}


interface Measured {
  row: BenchRow;
  p50: number;
  p95: number;
  p99: number;
  cpuMs: number | null;
  /** Every postgres process of this machine: CPU milliseconds per submission (null without one). */
  databaseCpuMs: number | null;
}


let serial = 0;

async function load(platform: Platform, instant: boolean): Promise<Measured> {
  const itemCode = instant ? platform.instantCode : platform.plainCode;
  const clients: ClientSpec[] = Array.from({ length: CLIENTS }, (_, c) => ({
    sessions: platform.applicants.filter((_, i) => i % CLIENTS === c).map((a) => ({
      cookie: a.cookie,
      csrf: a.csrf,
      body: JSON.stringify({ itemCode, form: formData(serial++, a.idNumber), materials: MATERIALS.map((m, k) => ({ materialId: m.id, fileId: a.fileIds[k]! })) }),
    })),
  }));
  const before = mainThreadCpuMs();
  const databaseBefore = postgresCpuMs();
  const result = await runClients(`${platform.base}/api/v1/cases`, clients, WARM_SECONDS, SECONDS, instant ? '"status":"approved"' : null);
  const after = mainThreadCpuMs();
  const databaseAfter = postgresCpuMs(databaseBefore);
  if (result.failures > 0) throw new Error(`instant-approval: ${result.failures} submissions failed, first: ${result.firstFailure}`);
  const sorted = result.latencies.sort();
  const label = instant ? `instant approval over HTTP (submitted to approved), ${CLIENTS} clients` : `baseline: plain submission over HTTP (left submitted), ${CLIENTS} clients`;
  return { row: { case: label, opsPerSec: result.ok / result.seconds, ops: result.ok, seconds: result.seconds }, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), cpuMs: before === null || after === null ? null : (after - before) / result.total,
    databaseCpuMs: databaseAfter === null ? null : databaseAfter.ms / result.total,
  };
}

/** Every instant case is approved, with its automatic decision in the history, a decision number and its signed e-license. */
async function checkWritten(database: BenchDatabase, platform: Platform): Promise<void> {
  const { rows } = await sql<{ cases: number; approved: number; decisions: number; licenses: number }>`
    SELECT count(*)::int AS cases,
           count(*) FILTER (WHERE status = 'approved' AND decision_number IS NOT NULL)::int AS approved,
           (SELECT count(*)::int FROM case_history h JOIN cases c ON c.id = h.case_id WHERE c.item_code = ${platform.instantCode} AND h.action = 'instant_decision') AS decisions,
           (SELECT count(*)::int FROM licenses l JOIN cases c ON c.case_number = l.case_number WHERE c.item_code = ${platform.instantCode} AND l.signature IS NOT NULL) AS licenses
    FROM cases WHERE item_code = ${platform.instantCode}`.execute(database.handle.db);
  const c = rows[0]!;
  if (c.cases === 0 || c.approved !== c.cases || c.decisions !== c.cases || c.licenses !== c.cases) throw new Error(`instant-approval: rows do not match: ${JSON.stringify(c)}`);
}

interface DatabaseResult {
  label: string;
  kind: BenchDatabase['kind'];
  instant: Measured;
  plain: Measured;
  setupSeconds: number;
}

async function measureOn(database: BenchDatabase): Promise<DatabaseResult> {
  const started = performance.now();
  const platform = await setUp(database).catch((error: unknown) => {
    const fields = (error as { fieldErrors?: unknown[] }).fieldErrors;
    throw new Error(`instant-approval set-up: ${error instanceof Error ? error.message : String(error)} ${fields ? JSON.stringify(fields) : ''}`);
  });
  const setupSeconds = (performance.now() - started) / 1000;
  try {
    const instant: Measured[] = [];
    const plain: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      instant.push(await load(platform, true));
      plain.push(await load(platform, false));
    }
    await checkWritten(database, platform);
    const best = (list: Measured[]) => list.reduce((a, b) => (b.row.opsPerSec > a.row.opsPerSec ? b : a));
    return { label: database.label, kind: database.kind, instant: best(instant), plain: best(plain), setupSeconds };
  } finally {
    await platform.close();
  }
}

const bench: Bench = {
  name: 'instant-approval',
  async run() {
    const notes: string[] = [`${CLIENTS} clients, ${WARM_SECONDS} s warm-up + ${SECONDS} s, ${APPLICANTS} applicants, best of ${ROUNDS} alternating rounds; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at start; each approval issues one e-license signed with SM2`];
    const rows: BenchRow[] = [];
    let ok = true;
    const results = await eachBenchDatabase(measureOn, { poolSize: POOL_SIZE });
    for (const { result: r } of results) {
      const name = r.kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
      rows.push({ ...r.instant.row, case: `${name}: ${r.instant.row.case}` }, { ...r.plain.row, case: `${name}: ${r.plain.row.case}` });
      const fmt = (m: Measured) => `${Math.round(m.row.opsPerSec)}/s (p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms${m.cpuMs === null ? '' : `, ${m.cpuMs.toFixed(2)} ms server CPU each`}${m.databaseCpuMs === null ? '' : `, ${m.databaseCpuMs.toFixed(2)} ms PostgreSQL CPU each`})`;
      notes.push(`${r.label}: set-up ${r.setupSeconds.toFixed(0)} s; instant ${fmt(r.instant)}; plain submission ${fmt(r.plain)}; instant / plain = ${(r.instant.row.opsPerSec / r.plain.row.opsPerSec).toFixed(2)}x`);
      const checks = [
        [`p99 ${r.instant.p99.toFixed(1)} ms <= ${TARGET.p99Ms} ms at ${CLIENTS} clients`, r.instant.p99 <= TARGET.p99Ms],
        [`${Math.round(r.instant.row.opsPerSec)} decisions/s >= ${TARGET.perSecond}`, r.instant.row.opsPerSec >= TARGET.perSecond],
      ] as const;
      for (const [label, passed] of checks) {
        if (r.kind === 'postgres') {
          notes.push(`target (PostgreSQL) ${label}: ${passed ? 'met' : 'MISSED'}`);
          ok &&= passed;
        } else notes.push(`PGlite (reported, not checked) ${label}: ${passed ? 'yes' : 'no'}`);
      }
    }
    if (!results.some((r) => r.database.kind === 'postgres')) notes.push('PostgreSQL not measured: targets not checked');
    notes.push(`load average ${loadavg()[0]!.toFixed(1)} at the end`);
    return { rows, notes, ok };
  },
};

export default bench;
