/**
 * The e-license library (server/src/modules/licenses), issue 6, on embedded PGlite, one process
 * (one core for JavaScript; the nonce worker thread computes k·G ahead):
 *
 *   - issue and sign: LicensesService.issueBatch, batches of BATCH licenses (identifier, SM3 over
 *     the canonical content, SM2 signature, the rows and their history, one audit entry per batch,
 *     one transaction) — the batch import's and a back-office's bulk path; and issueFor, one
 *     license per transaction — the direct issue's path. Target: >= 500 licenses/s (batched);
 *   - verify: LicensesService.verify(licenseId) — read the row, recompute the digest, check the
 *     SM2 signature (the public route's work without HTTP). Target: >= 1,000/s;
 *   - PDF: LicensesService.render — p95 <= 200 ms per license (the first render, which loads
 *     pdf-lib and the fonts, is excluded and reported);
 *
 * against baselines measured in the same run: the raw SM2 signature (Sm2Signer.sign) and the raw
 * SM2 verification (Sm2Verifier.verify) of a message the size of a license's signed data, and
 * sm-crypto's doVerifySignature for scale. Each case runs in alternating rounds and keeps its best.
 */
import { loadavg } from 'node:os';
import smCrypto from 'sm-crypto';
import { createServices } from '../server/src/app.js';
import { SYSTEM_ACTOR } from '../server/src/platform/audit/audit.js';
import { loadConfig } from '../server/src/platform/config/config.js';
import { generateSm2KeyPair, Sm2Signer, Sm2Verifier } from '../server/src/platform/crypto/sm2.js';
import { openDatabase } from '../server/src/platform/db/database.js';
import { migrateToLatest } from '../server/src/platform/db/migrate.js';
import { demoCreditCode, demoIdNumber } from '../server/src/modules/demo/seed.js';
import { demoAuthorityCode } from '../server/src/modules/licenses/demo.js';
import type { IssueInput } from '../server/src/modules/licenses/schemas.js';
import { percentile, type Bench, type BenchRow } from './types.js';

const ROUNDS = 3;
const SECONDS = Number(process.env.LICENSES_BENCH_SECONDS ?? 2);
const BATCH = 100;
const TARGET_ISSUE = 500;
const TARGET_VERIFY = 1000;
const TARGET_PDF_P95_MS = 200;

/**
 * Rows carry two rates: `opsPerSec` per second of CPU this process used (user + system, all its
 * threads: PGlite runs in the process, and the nonce worker) — "per core", which holds when other
 * work shares the machine; and the wall-clock rate, in `wall`.
 */
type Row = BenchRow & { wall: number };

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

async function timed(label: string, seconds: number, op: () => Promise<number>): Promise<Row> {
  await op(); // warm
  let ops = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) ops += await op();
  const elapsed = (performance.now() - start) / 1000;
  const cpuUsed = cpuSeconds(cpu);
  return { case: label, opsPerSec: ops / cpuUsed, ops, seconds: cpuUsed, wall: ops / elapsed };
}

function timedSync(label: string, seconds: number, op: () => void): Row {
  for (let i = 0; i < 50; i++) op();
  let ops = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (let i = 0; i < 20; i++) op();
    ops += 20;
  }
  const elapsed = (performance.now() - start) / 1000;
  const cpuUsed = cpuSeconds(cpu);
  return { case: label, opsPerSec: ops / cpuUsed, ops, seconds: cpuUsed, wall: ops / elapsed };
}

const best = (rows: Row[]) => rows.reduce((a, b) => (b.opsPerSec > a.opsPerSec ? b : a));

const bench: Bench = {
  name: 'licenses',
  async run() {
    const database = await openDatabase({ dataDir: 'memory://' });
    try {
      await migrateToLatest(database.db);
      const config = loadConfig({ TONGBAN_MODE: 'demo', DATA_DIR: 'memory://', LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-session-secret-of-at-least-32-chars' });
      const services = createServices(database.db, config, 10);
      await services.org.createRegion(SYSTEM_ACTOR, { code: '440300', name: '深圳市', level: 'city', parentCode: null });
      const department = await services.org.createDepartment(SYSTEM_ACTOR, { name: '深圳市市场监督管理局', creditCode: demoCreditCode('11', '440300', 1), regionCode: '440300' });
      await services.licenses.createType(SYSTEM_ACTOR, {
        code: 'FOOD_BUSINESS_LICENSE', typeCode: `${demoAuthorityCode(1)}001`, name: '食品经营许可证', holderKind: 'any', validityYears: 5,
        fields: [{ name: 'entityName', label: '经营者名称', required: true }, { name: 'premisesAddress', label: '经营场所', required: false }, { name: 'operatingItems', label: '经营项目', required: false }],
      });
      await services.licenses.createSeals(SYSTEM_ACTOR, [{ departmentId: department.id, name: '电子证照专用章' }]);
      const inputs: IssueInput[] = Array.from({ length: BATCH }, (_, i) => ({
        type: 'FOOD_BUSINESS_LICENSE',
        holder: { identifier: demoIdNumber('440304', '19900101', String(100 + (i % 800)).padStart(3, '0')), name: `经营者${i}` },
        data: { entityName: `深圳市福田区第${i}号小吃店`, premisesAddress: '深圳市福田区南园街道南园路68号一楼', operatingItems: '热食类食品制售；冷食类食品制售' },
      }));

      // baselines: raw SM2 over a message the size of a license's signed data
      const pair = generateSm2KeyPair();
      const signer = new Sm2Signer(pair.privateKey, pair.publicKey);
      const verifier = new Sm2Verifier(pair.publicKey);
      const message = JSON.stringify({ version: 4, seal: { keyId: '0123456789abcdef', name: '电子证照专用章' }, timeInfo: new Date().toISOString(), dataHash: 'a'.repeat(64), propertyInfo: '1.2.156.3005.2.x', algorithm: 'SM2-SM3' });
      const signature = signer.sign(message);
      if (!verifier.verify(message, signature) || !smCrypto.sm2.doVerifySignature(message, signature, pair.publicKey, { hash: true })) throw new Error('baseline signature does not verify');

      const issued: string[] = [];
      let checked = 0; // issued[0 .. checked) have been verified once
      const rows: Record<string, Row[]> = { sign: [], verifyRaw: [], issueBatch: [], issueOne: [], verify: [], verifyAgain: [] };
      for (let round = 0; round < ROUNDS; round++) {
        rows.sign!.push(timedSync('baseline: raw SM2 sign (Sm2Signer)', SECONDS / 2, () => signer.sign(message)));
        rows.verifyRaw!.push(timedSync('baseline: raw SM2 verify (Sm2Verifier)', SECONDS / 2, () => verifier.verify(message, signature)));
        rows.issueBatch!.push(await timed(`issue + sign, batches of ${BATCH} (licenses)`, SECONDS, async () => {
          const batch = await services.licenses.issueBatch(department.id, SYSTEM_ACTOR, inputs);
          if (issued.length < 50_000) issued.push(...batch.map((r) => r.license_id));
          return batch.length;
        }));
        let k = 0;
        rows.issueOne!.push(await timed('issue + sign, one per transaction', SECONDS / 2, async () => {
          await services.licenses.issueFor(department.id, SYSTEM_ACTOR, inputs[k++ % BATCH]!);
          return 1;
        }));
        const check = async (licenseId: string) => {
          const v = await services.licenses.verify(licenseId);
          if (!v.valid) throw new Error(`license ${v.licenseId} did not verify: ${v.reason}`);
          return 1;
        };
        // each license's first verification: the row read, the digest and a full SM2 check
        const until = performance.now() + SECONDS * 1000;
        rows.verify!.push(await timed('verify, first check of a license (read, digest, SM2)', SECONDS, async () => (checked < issued.length && performance.now() < until ? check(issued[checked++]!) : 0)));
        // the same licenses scanned again: the row read fresh (status), the signature remembered
        let j = 0;
        rows.verifyAgain!.push(await timed('verify, a license checked before (read, digest)', SECONDS / 2, () => check(issued[j++ % checked]!)));
      }
      const smCryptoVerify = timedSync('sm-crypto doVerifySignature (for scale)', 1, () => smCrypto.sm2.doVerifySignature(message, signature, pair.publicKey, { hash: true }));

      // PDF: the first render (libraries and fonts) apart, then per-license latencies
      const row = await database.db.selectFrom('licenses').selectAll().where('license_id', '=', issued[0]!).executeTakeFirstOrThrow();
      const firstStart = performance.now();
      const first = await services.licenses.render(row);
      const firstMs = performance.now() - firstStart;
      if (first.length < 1000) throw new Error('empty PDF');
      const latencies: number[] = [];
      const pdfStart = performance.now();
      while (performance.now() - pdfStart < SECONDS * 1000 || latencies.length < 10) {
        const t = performance.now();
        await services.licenses.render(row);
        latencies.push(performance.now() - t);
      }
      latencies.sort((a, b) => a - b);
      const pdfRow: BenchRow = { case: 'PDF render (one license)', opsPerSec: latencies.length / (latencies.reduce((a, b) => a + b, 0) / 1000), ops: latencies.length, seconds: latencies.reduce((a, b) => a + b, 0) / 1000 };

      const sign = best(rows.sign!);
      const verifyRaw = best(rows.verifyRaw!);
      const issueBatch = best(rows.issueBatch!);
      const issueOne = best(rows.issueOne!);
      const verify = best(rows.verify!);
      const verifyAgain = best(rows.verifyAgain!);
      const p95 = percentile(latencies, 0.95);
      const ok = issueBatch.opsPerSec >= TARGET_ISSUE && verify.opsPerSec >= TARGET_VERIFY && p95 <= TARGET_PDF_P95_MS;
      const ratio = (a: Row, b: Row) => (a.opsPerSec / b.opsPerSec).toFixed(2);
      const wall = (r: Row) => `${Math.round(r.wall)}/s wall-clock`;
      return {
        rows: [sign, verifyRaw, smCryptoVerify, issueBatch, issueOne, verify, verifyAgain, pdfRow],
        ok,
        notes: [
          `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; one process, PGlite in memory; ops/s are per CPU-second of the process (per core), wall-clock beside`,
          `issue + sign (batched): ${Math.round(issueBatch.opsPerSec)}/s per core (${wall(issueBatch)}) = ${ratio(issueBatch, sign)}x the raw SM2 signature — target >= ${TARGET_ISSUE}/s: ${issueBatch.opsPerSec >= TARGET_ISSUE ? 'met' : 'MISSED'}`,
          `issue + sign (one per transaction): ${Math.round(issueOne.opsPerSec)}/s per core (${wall(issueOne)}) = ${ratio(issueOne, sign)}x the raw SM2 signature (reported)`,
          `verify (first check): ${Math.round(verify.opsPerSec)}/s per core (${wall(verify)}) = ${ratio(verify, verifyRaw)}x the raw SM2 verification; raw is ${ratio(verifyRaw, smCryptoVerify)}x sm-crypto's — target >= ${TARGET_VERIFY}/s: ${verify.opsPerSec >= TARGET_VERIFY ? 'met' : 'MISSED'}`,
          `verify (checked before): ${Math.round(verifyAgain.opsPerSec)}/s per core (${wall(verifyAgain)}) = ${ratio(verifyAgain, verifyRaw)}x the raw SM2 verification (reported)`,
          `PDF: p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${latencies.length} renders (first render ${firstMs.toFixed(0)} ms, excluded) — target p95 <= ${TARGET_PDF_P95_MS} ms: ${p95 <= TARGET_PDF_P95_MS ? 'met' : 'MISSED'}`,
        ],
      };
    } finally {
      await database.close();
    }
  },
};

export default bench;
