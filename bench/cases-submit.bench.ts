/**
 * Online submission (POST /api/v1/cases) through HTTP, issue 4: an application of 30 form fields
 * and 5 uploaded materials, by 32 concurrent applicants.
 *
 * Set-up on each database: migrated, the calendar loaded (as bootstrap's seedCalendar), a city and
 * a department, ITEMS published items (the same content: 30-field form, 5 required uploaded
 * materials) created and published through CatalogService, APPLICANTS registered and signed in
 * through IdentityService (password cost 2^10), and 5 small PDFs per applicant uploaded through
 * POST /api/v1/files beforehand.
 *
 * 1. HTTP: the app listening on 127.0.0.1; CLIENTS clients in a closed loop, each with applicant
 *    sessions of its own (cookie + CSRF header) and a fresh Idempotency-Key per request, issuing
 *    the next submission when the last one answered. The clients run in a worker thread (node:http,
 *    keep-alive, one connection per client), not on the server's event loop. Warm-up, then
 *    SECONDS measured: submissions/s, p50 / p95 / p99.
 * 2. Baseline, in the same run: what the service writes for one submission — the case_sequences
 *    upsert, the cases row, its 5 case_materials rows, the case_history row, the outbox_events row
 *    and the idempotency_keys row — written one submission after another in ONE transaction on
 *    one raw connection (PostgreSQL: a `pg` Client; PGlite: the instance's one connection, whose
 *    `query` is PGlite's own), ids drawn by the client and nothing returned but the sequence:
 *    submissions/s. The floor the service's writes could come down to.
 * The two alternate over ROUNDS rounds; each keeps its best.
 *
 * Databases (bench/database.ts `eachBenchDatabase`): PGlite, then PostgreSQL (BENCH_DATABASE_URL,
 * else a throwaway server from scripts/test-postgres.sh). Targets (PostgreSQL; reported, not
 * checked, on PGlite): HTTP >= 0.5x the baseline, p99 <= 50 ms at 32 clients.
 * CASES_SUBMIT_SECONDS, CASES_SUBMIT_CLIENTS, CASES_SUBMIT_APPLICANTS change the sizes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { seedCalendar } from '../server/src/bootstrap.js';
import { f, form, material } from '../server/src/modules/catalog/demo/builders.js';
import { demoCreditCode, demoIdNumber } from '../server/src/modules/demo/seed.js';
import { SYSTEM_ACTOR } from '../server/src/platform/audit/audit.js';
import { SESSION_COOKIE } from '../server/src/platform/auth/plugin.js';
import { loadConfig } from '../server/src/platform/config/config.js';
import { migrateToLatest } from '../server/src/platform/db/migrate.js';
import { todayInShanghai } from '../server/src/platform/time.js';
import { sampleContent } from '../server/test/catalog-fixtures.js';
import { samplePdf } from '../server/test/file-samples.js';
import { mainThreadCpuMs, postgresCpuMs, runClients, type ClientSpec } from './http-load.js';
import { eachBenchDatabase, type BenchDatabase } from './database.js';
import { percentile, type Bench, type BenchRow } from './types.js';

const CLIENTS = Number(process.env.CASES_SUBMIT_CLIENTS ?? 32);
/** The app's pool (DATABASE_POOL_SIZE, default 10). */
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 10);
const APPLICANTS = Number(process.env.CASES_SUBMIT_APPLICANTS ?? 256);
const SECONDS = Number(process.env.CASES_SUBMIT_SECONDS ?? 5);
const WARM_SECONDS = 2;
const ROUNDS = 3;
/** Case numbers carry a 4-digit daily sequence per item: several items keep a run under 9,999 each. */
const ITEMS = Number(process.env.CASES_SUBMIT_ITEMS ?? 4);
const MATERIALS = 5;
const PASSWORD = 'Bench@2026';
const TARGET = { ratio: 0.5, p99Ms: 50 };

// --- the item: 30 form fields, 5 materials --------------------------------------------------

const FIELDS = [
  f.text('applicantName', '申请人姓名'),
  f.idNumber('applicantIdNumber', '申请人身份证号码'),
  f.phone('applicantPhone', '联系电话'),
  f.text('shopName', '经营者名称'),
  f.text('shopSign', '门头招牌'),
  f.text('legalRepresentative', '法定代表人（负责人）'),
  f.text('premisesAddress', '经营场所地址'),
  f.text('warehouseAddress', '仓库地址'),
  f.text('safetyManager', '食品安全管理员'),
  f.text('safetyManagerCert', '食品安全管理员证书编号'),
  f.text('mainProducts', '主要经营项目'),
  f.text('supplier', '主要供货单位'),
  f.text('contactPerson', '联系人'),
  f.textarea('layoutDescription', '经营场所布局说明'),
  f.textarea('processDescription', '加工制作流程'),
  f.textarea('safetyRules', '食品安全管理制度'),
  f.number('staffCount', '从业人员数'),
  f.number('certifiedStaff', '持健康证明人数'),
  f.number('areaSquareMeters', '经营面积（平方米）'),
  f.number('seats', '就餐座位数'),
  f.money('registeredCapital', '注册资本'),
  f.money('investment', '投资总额'),
  f.date('leaseStart', '租赁起始日期'),
  f.date('leaseEnd', '租赁截止日期'),
  f.date('plannedOpening', '计划开业日期'),
  f.region('region', '所在街道'),
  f.select('businessKind', '主体业态', [['shop', '食品销售经营者'], ['catering', '餐饮服务经营者'], ['canteen', '单位食堂']]),
  f.select('premisesKind', '场所性质', [['owned', '自有'], ['leased', '租赁']]),
  f.radio('onlineSales', '是否网络经营', [['yes', '是'], ['no', '否']]),
  f.checkbox('commitmentRead', '已阅读并承诺遵守食品安全法律法规'),
];

const MATERIAL_LIST = [
  material('application', '食品经营许可申请书', 'applicant', 'required', { paperCopies: 1 }),
  material('premises_plan', '经营场所平面图', 'applicant', 'required', { paperCopies: 1 }),
  material('equipment_layout', '设备布局和工艺流程图', 'applicant', 'required', { paperCopies: 1 }),
  material('safety_rules', '食品安全管理制度文本', 'applicant', 'required', { paperCopies: 1 }),
  material('lease', '经营场所使用证明', 'applicant', 'required', { paperCopies: 1 }),
];

function formData(i: number, idNumber: string): Record<string, unknown> {
  return {
    applicantName: `申请人${i}`,
    applicantIdNumber: idNumber,
    applicantPhone: `138${String(i).padStart(8, '0')}`,
    shopName: `深圳市福田区示例餐饮店${i}`,
    shopSign: `示例小馆${i}`,
    legalRepresentative: `法人${i}`,
    premisesAddress: `广东省深圳市福田区福华路${i}号一楼`,
    warehouseAddress: `广东省深圳市福田区福华路${i}号负一楼`,
    safetyManager: `管理员${i}`,
    safetyManagerCert: `SZFT${String(100000 + i)}`,
    mainProducts: '热食类食品制售、冷食类食品制售、自制饮品制售',
    supplier: '深圳市示例食品供应链有限公司',
    contactPerson: `联系人${i}`,
    layoutDescription: '前厅设就餐区，后厨分设粗加工区、切配区、烹饪区、备餐区和餐用具清洗消毒区，生熟分开，人流物流分开。',
    processDescription: '原料验收—贮存—粗加工—切配—烹饪—备餐—供餐，冷食类单设专间，专间内设紫外线消毒和独立空调。',
    safetyRules: '从业人员健康管理制度、进货查验记录制度、场所及设施设备清洗消毒和维修保养制度、食品安全自查制度。',
    staffCount: 12,
    certifiedStaff: 12,
    areaSquareMeters: 180,
    seats: 60,
    registeredCapital: 50_000_000,
    investment: 80_000_000,
    leaseStart: '2026-01-01',
    leaseEnd: '2030-12-31',
    plannedOpening: '2026-12-18',
    region: '440304001',
    businessKind: 'catering',
    premisesKind: 'leased',
    onlineSales: 'yes',
    commitmentRead: true,
  };
}

/** Valid, distinct ID numbers (GB 11643) of people born 1970-1999. */
function idNumberOf(i: number): string {
  const birth = new Date(Date.UTC(1970, 0, 1) + (i % 10_000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  return demoIdNumber('440304', birth, String(100 + Math.floor(i / 10_000)).padStart(3, '0'));
}

// --- set-up ---------------------------------------------------------------------------------

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
  itemCodes: string[];
  item: { name: string; version: number; departmentId: string; regionPath: string; caseKind: string; promisedDays: number };
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
  const department = await services.org.createDepartment(SYSTEM_ACTOR, { name: '深圳市市场监督管理局', creditCode: demoCreditCode('11', '440300', 1), regionCode: '440300' });
  const content = sampleContent({
    name: '食品经营许可（基准测试）',
    serviceObjects: ['1', '2'],
    materials: MATERIAL_LIST,
    form: form(FIELDS),
  });
  const itemCodes: string[] = [];
  for (let k = 0; k < ITEMS; k++) {
    const created = await services.catalog.createItem(SYSTEM_ACTOR, null, { departmentId: department.id, exerciseLevel: 3, basicCode: `ZB${String(4_400_000_000 + k)}`, content: { ...content, name: `${content.name}${k + 1}` } });
    await services.catalog.submit(SYSTEM_ACTOR, null, created.implementationCode, created.version, { lockVersion: created.lockVersion });
    await services.catalog.publish(SYSTEM_ACTOR, null, created.implementationCode, created.version, {});
    itemCodes.push(created.implementationCode);
  }
  const guide = await services.catalogQuery.guide(itemCodes[0]!);
  if (Object.keys(guide.form.schema.properties as object).length !== 30 || guide.materials.length !== MATERIALS) throw new Error('cases-submit: the item is not what the bench describes');

  const applicants: Applicant[] = [];
  for (let i = 0; i < APPLICANTS; i++) {
    const idNumber = idNumberOf(i);
    const phone = `139${String(i).padStart(8, '0')}`;
    const user = await services.identity.register({ id: null, kind: 'anonymous', ip: '127.0.0.1' }, { kind: 'natural', name: `申请人${i}`, idNumber, phone, password: PASSWORD });
    // one address per sign-in: the service throttles sign-ins per address
    const session = await services.identity.login(`10.9.${i >> 8}.${i & 255}`, idNumber, PASSWORD);
    applicants.push({ userId: user.id, name: user.name, idNumber, phone, cookie: `${SESSION_COOKIE}=${session.sessionToken}`, csrf: session.csrfToken, fileIds: [] });
  }

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('cases-submit: no address');
  const base = `http://127.0.0.1:${address.port}`;
  await inBatches(applicants, 8, async (a) => {
    for (const m of MATERIAL_LIST) a.fileIds.push(await upload(base, a, `${m.id}.pdf`));
  });

  const { regionPath } = await services.org.departmentScope(department.id);
  return {
    base,
    itemCodes,
    item: { name: guide.name, version: guide.version, departmentId: department.id, regionPath, caseKind: guide.caseKind, promisedDays: guide.promisedDays },
    applicants,
    close: () => app.close(),
  };
}

function applicationBody(platform: Platform, applicant: Applicant, i: number, itemCode: string): string {
  return JSON.stringify({
    itemCode,
    form: formData(i, applicant.idNumber),
    materials: MATERIAL_LIST.map((m, k) => ({ materialId: m.id, fileId: applicant.fileIds[k]! })),
  });
}

// --- HTTP: clients in a worker thread -------------------------------------------------------


interface Measured {
  row: BenchRow;
  p50: number;
  p95: number;
  p99: number;
  /** The server's event loop thread: CPU milliseconds per submission (Linux; null elsewhere). */
  cpuMs: number | null;
  /** Every postgres process of this machine: CPU milliseconds per submission (null without one). */
  databaseCpuMs: number | null;
}


let requestSerial = 0;

async function http(platform: Platform): Promise<Measured> {
  if (platform.applicants.length < CLIENTS) throw new Error(`cases-submit: ${CLIENTS} clients need at least as many applicants`);
  // client c sends as applicants c, c + CLIENTS, …; for item c mod ITEMS
  const clients: ClientSpec[] = Array.from({ length: CLIENTS }, (_, c) => ({
    sessions: platform.applicants
      .filter((_, i) => i % CLIENTS === c)
      .map((a) => ({ cookie: a.cookie, csrf: a.csrf, body: applicationBody(platform, a, requestSerial++, platform.itemCodes[c % ITEMS]!) })),
  }));
  const cpuBefore = mainThreadCpuMs();
  const databaseBefore = postgresCpuMs();
  const result = await runClients(`${platform.base}/api/v1/cases`, clients, WARM_SECONDS, SECONDS);
  const cpuAfter = mainThreadCpuMs();
  const databaseAfter = postgresCpuMs(databaseBefore);
  if (result.failures > 0) throw new Error(`cases-submit: ${result.failures} submissions failed, first: ${result.firstFailure}`);
  const sorted = result.latencies.sort();
  return {
    row: { case: `POST /api/v1/cases over HTTP, ${CLIENTS} clients`, opsPerSec: result.ok / result.seconds, ops: result.ok, seconds: result.seconds },
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    cpuMs: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / result.total,
    databaseCpuMs: databaseAfter === null ? null : databaseAfter.ms / result.total,
  };
}

// --- baseline: the same rows, raw, one transaction ------------------------------------------

type RawQuery = (text: string, parameters: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>;

/** A raw connection to the database: a `pg` Client on PostgreSQL, PGlite's one connection held for the run. */
async function withRawConnection<T>(database: BenchDatabase, run: (query: RawQuery) => Promise<T>): Promise<T> {
  if (database.kind === 'postgres') {
    const { url, schema } = database.connection!;
    const client = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
    await client.connect();
    try {
      return await run((text, parameters) => client.query(text, parameters));
    } finally {
      await client.end();
    }
  }
  // Kysely's connection here is the pglitePool client, whose query is PGlite's `query` passed through.
  return database.handle.db.connection().execute((connection) =>
    run(async (text, parameters) => ({ rows: (await connection.executeQuery(CompiledQuery.raw(text, parameters))).rows as Array<Record<string, unknown>> })));
}

const INSERT_CASE = `
  INSERT INTO cases (id, case_number, item_code, item_version, item_name, department_id, region_path, channel,
    applicant_user_id, applicant_kind, applicant_name, applicant_identifier, applicant_phone, filed_by, hall_id,
    form, commitment, status, case_kind, promised_days, submitted_at, delivery)
  VALUES ($15, $1, $2, $3, $4, $5, $6, 'online', $7, 'natural', $8, $9, $10, NULL, NULL, $11, NULL, 'submitted', $12, $13, $14, NULL)`;
const INSERT_MATERIALS = `
  INSERT INTO case_materials (case_id, material_id, name, source, file_id, license_id, shared_data, supplied_at)
  VALUES ${Array.from({ length: MATERIALS }, (_, k) => `($1, $${2 + 3 * k}, $${3 + 3 * k}, 'upload', $${4 + 3 * k}, NULL, NULL, NULL)`).join(', ')}`;
const INSERT_HISTORY = `
  INSERT INTO case_history (case_id, action, from_status, status, actor_id, actor_kind, actor_name, comment, attachments, detail, step_index, elapsed_workdays)
  VALUES ($1, 'submit', NULL, 'submitted', $2, 'applicant', $3, NULL, '{}', '{}', NULL, NULL)`;
const INSERT_EVENT = `
  INSERT INTO outbox_events (type, aggregate_type, aggregate_id, payload) VALUES ('case.status_changed', 'case', $1, $2)`;
const UPSERT_SEQUENCE = `
  INSERT INTO case_sequences (prefix, day, last) VALUES ($1, $2, 1)
  ON CONFLICT (prefix, day) DO UPDATE SET last = case_sequences.last + 1 RETURNING last`;
const INSERT_KEY = `
  INSERT INTO idempotency_keys (principal, key, request_hash, status_code, response_body) VALUES ($1, $2, $3, 201, $4)`;

let baselineRound = 0;

async function baseline(database: BenchDatabase, platform: Platform): Promise<Measured> {
  // a prefix of its own per round: the raw loop's numbers never meet the service's
  const prefix = `BASELINE${baselineRound++}`;
  const { item } = platform;
  const bodies = platform.applicants.map((a, i) => ({ a, form: JSON.stringify(formData(i, a.idNumber)) }));
  return withRawConnection(database, async (query) => {
    let n = 0;
    const databaseBefore = postgresCpuMs();
    const start = performance.now();
    const end = start + SECONDS * 1000;
    await query('BEGIN', []);
    while (performance.now() < end) {
      const { a, form } = bodies[n % bodies.length]!;
      const now = new Date();
      const day = todayInShanghai(now);
      const last = (await query(UPSERT_SEQUENCE, [prefix, day])).rows[0]!.last as number;
      const caseNumber = `${prefix}${day.replaceAll('-', '')}${String(last).padStart(4, '0')}`;
      const id = randomUUID();
      const itemCode = platform.itemCodes[n % ITEMS]!;
      await query(INSERT_CASE, [caseNumber, itemCode, item.version, item.name, item.departmentId, item.regionPath, a.userId, a.name, a.idNumber, a.phone, form, item.caseKind, item.promisedDays, now, id]);
      await query(INSERT_MATERIALS, [id, ...MATERIAL_LIST.flatMap((m, k) => [m.id, m.name, a.fileIds[k]])]);
      await query(INSERT_HISTORY, [id, a.userId, a.name]);
      const payload = { caseNumber, itemCode, itemName: item.name, status: 'submitted', fromStatus: null, action: 'submit', at: now.toISOString(), departmentId: item.departmentId, applicantUserId: a.userId, applicantPhone: a.phone, deadline: null };
      await query(INSERT_EVENT, [caseNumber, JSON.stringify(payload)]);
      await query(INSERT_KEY, [a.userId, `baseline-${prefix}-${n}`, randomBytes(32).toString('hex'), JSON.stringify({ caseNumber, status: 'submitted', version: 1 })]);
      n++;
    }
    await query('COMMIT', []);
    const seconds = (performance.now() - start) / 1000;
    const databaseAfter = postgresCpuMs(databaseBefore);
    const databaseCpuMs = databaseAfter === null ? null : databaseAfter.ms / n;
    return { row: { case: 'baseline: the same rows, raw, one transaction', opsPerSec: n / seconds, ops: n, seconds }, p50: 0, p95: 0, p99: 0, cpuMs: null, databaseCpuMs };
  });
}

// --- the run ----------------------------------------------------------------------------------

interface DatabaseResult {
  label: string;
  kind: BenchDatabase['kind'];
  http: Measured;
  baseline: Measured;
  httpRounds: Measured[];
  baselineRounds: Measured[];
  setupSeconds: number;
}

/** The rows the HTTP submissions wrote: every 201 left a case with 5 materials, its history entry and its event. */
async function checkWritten(database: BenchDatabase): Promise<void> {
  const { rows } = await sql<{ cases: number; materials: number; history: number; events: number; keys: number }>`
    SELECT (SELECT count(*)::int FROM cases WHERE case_number NOT LIKE 'BASELINE%') AS cases,
           (SELECT count(*)::int FROM case_materials m JOIN cases c ON c.id = m.case_id WHERE c.case_number NOT LIKE 'BASELINE%') AS materials,
           (SELECT count(*)::int FROM case_history h JOIN cases c ON c.id = h.case_id WHERE c.case_number NOT LIKE 'BASELINE%') AS history,
           (SELECT count(*)::int FROM outbox_events WHERE aggregate_id NOT LIKE 'BASELINE%') AS events,
           (SELECT count(*)::int FROM idempotency_keys WHERE key NOT LIKE 'baseline-%' AND status_code = 201) AS keys`.execute(database.handle.db);
  const c = rows[0]!;
  if (c.cases === 0 || c.materials !== MATERIALS * c.cases || c.history !== c.cases || c.events !== c.cases || c.keys !== c.cases) {
    throw new Error(`cases-submit: rows written do not match: ${JSON.stringify(c)}`);
  }
}

async function measureOn(database: BenchDatabase): Promise<DatabaseResult> {
  const started = performance.now();
  const platform = await setUp(database);
  const setupSeconds = (performance.now() - started) / 1000;
  try {
    const httpRounds: Measured[] = [];
    const baselineRounds: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      httpRounds.push(await http(platform));
      baselineRounds.push(await baseline(database, platform));
    }
    await checkWritten(database);
    const best = (rounds: Measured[]) => rounds.reduce((a, b) => (b.row.opsPerSec > a.row.opsPerSec ? b : a));
    return { label: database.label, kind: database.kind, http: best(httpRounds), baseline: best(baselineRounds), httpRounds, baselineRounds, setupSeconds };
  } finally {
    await platform.close();
  }
}

const bench: Bench = {
  name: 'cases-submit',
  async run() {
    const notes: string[] = [
      `${CLIENTS} clients in a closed loop (worker thread, node:http keep-alive), ${WARM_SECONDS} s warm-up + ${SECONDS} s; ${APPLICANTS} applicants, 30 form fields, ${MATERIALS} uploaded materials; best of ${ROUNDS} alternating rounds; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at start`,
    ];
    const rows: BenchRow[] = [];
    let ok = true;
    const results = await eachBenchDatabase(measureOn, { poolSize: POOL_SIZE });
    for (const { result: r } of results) {
      const name = r.kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
      rows.push({ ...r.http.row, case: `${name}: ${r.http.row.case}` }, { ...r.baseline.row, case: `${name}: ${r.baseline.row.case}` });
      const ratio = r.http.row.opsPerSec / r.baseline.row.opsPerSec;
      const fmt = (m: Measured) => `${Math.round(m.row.opsPerSec)}/s (p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms${m.cpuMs === null ? '' : `, server thread ${m.cpuMs.toFixed(2)} ms CPU per submission`}${m.databaseCpuMs === null ? '' : `, PostgreSQL ${m.databaseCpuMs.toFixed(2)} ms CPU per submission`})`;
      notes.push(`${r.label}: set-up ${r.setupSeconds.toFixed(0)} s; HTTP ${fmt(r.http)}; baseline ${Math.round(r.baseline.row.opsPerSec)}/s; HTTP / baseline = ${ratio.toFixed(2)}x`);
      const perRound = r.httpRounds.map((m, i) => (m.row.opsPerSec / r.baselineRounds[i]!.row.opsPerSec).toFixed(2));
      notes.push(`${name} rounds: HTTP ${r.httpRounds.map(fmt).join(', ')}; baseline ${r.baselineRounds.map((m) => `${Math.round(m.row.opsPerSec)}/s${m.databaseCpuMs === null ? '' : ` (PostgreSQL ${m.databaseCpuMs.toFixed(2)} ms CPU each)`}`).join(', ')}; ratio per round ${perRound.join(', ')}`);
      const checks = [
        [`HTTP / baseline ${ratio.toFixed(2)}x >= ${TARGET.ratio}x`, ratio >= TARGET.ratio],
        [`p99 ${r.http.p99.toFixed(1)} ms <= ${TARGET.p99Ms} ms at ${CLIENTS} clients`, r.http.p99 <= TARGET.p99Ms],
      ] as const;
      for (const [label, passed] of checks) {
        if (r.kind === 'postgres') {
          notes.push(`target (PostgreSQL) ${label}: ${passed ? 'met' : 'MISSED'}`);
          ok &&= passed;
        } else {
          notes.push(`PGlite (reported, not checked) ${label}: ${passed ? 'yes' : 'no'}`);
        }
      }
    }
    if (!results.some((r) => r.database.kind === 'postgres')) notes.push('PostgreSQL not measured (no BENCH_DATABASE_URL and no throwaway server could be started): targets not checked');
    notes.push(`load average ${loadavg()[0]!.toFixed(1)} at the end (other processes on the machine skew these figures)`);
    return { rows, notes, ok };
  },
};

export default bench;
