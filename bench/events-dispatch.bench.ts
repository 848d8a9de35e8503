/**
 * Outbox dispatch throughput: how fast committed `case.status_changed` events are fanned out into
 * in-app messages and deliveries, with one dispatcher and with two running at once (two service
 * instances on the same database, as two server instances would be).
 *
 * Each event is an acceptance of an applicant with an account and a phone, and two webhook
 * subscriptions are active, so each event becomes 1 message + 2 webhook deliveries + 1 SMS
 * delivery, and its `dispatched_at` is set: batches of 200 events per transaction, claimed with
 * FOR UPDATE SKIP LOCKED. Baseline in the same run: plain multi-row inserts of the same message
 * and delivery rows in transactions of the same size (no claiming, no templates, no look-ups):
 * the floor of writing what dispatch writes.
 *
 * Databases: PGlite, then PostgreSQL (BENCH_DATABASE_URL or a throwaway server: bench/database.ts).
 * On PGlite (one connection) two dispatchers can
 * only take turns; on PostgreSQL they run in parallel. Each case runs in 3 alternating rounds and
 * keeps its best. After every dispatch round the bench checks that each event got exactly one
 * message and three deliveries. EVENTS_BENCH_EVENTS sets the number of events per round.
 */
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import { createServices } from '../server/src/app.js';
import { SYSTEM_ACTOR } from '../server/src/platform/audit/audit.js';
import { loadConfig } from '../server/src/platform/config/config.js';
import type { Db } from '../server/src/platform/db/database.js';
import { migrateToLatest } from '../server/src/platform/db/migrate.js';
import type { CaseStatusChanged } from '../server/src/modules/events/outbox.js';
import { EventsService } from '../server/src/modules/events/service.js';
import { caseNotice, caseSms, publicPayload } from '../server/src/modules/events/templates.js';
import { caseStatusChanged } from '../server/test/event-fixtures.js';
import { eachBenchDatabase, type BenchDatabase } from './database.js';
import type { Bench, BenchRow } from './types.js';

const BATCH = 200;
const ROUNDS = 3;
const USERS = 100;

interface Fixture {
  db: Db;
  users: string[];
  subscriptions: string[];
  events: number;
}

/** Event `i`: the test suite's acceptance event, for one of the users, with a phone (so an SMS too). */
function payloadOf(i: number, users: string[]): CaseStatusChanged {
  return caseStatusChanged(users[i % users.length]!, {
    caseNumber: `11440300MB2C91234T444013000100120261126${String(i).padStart(6, '0')}`,
    applicantPhone: `137${String(i % 100_000_000).padStart(8, '0')}`,
  });
}

/** Empties what dispatch writes and writes `n` fresh undispatched events (untimed). */
async function reset(f: Fixture): Promise<number[]> {
  await sql`TRUNCATE deliveries, messages, outbox_events RESTART IDENTITY`.execute(f.db);
  const ids: number[] = [];
  for (let start = 0; start < f.events; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, f.events - start) }, (_, k) => {
      const payload = payloadOf(start + k, f.users);
      return { type: 'case.status_changed', aggregate_type: 'case', aggregate_id: payload.caseNumber, payload: JSON.stringify(payload) };
    });
    ids.push(...(await f.db.insertInto('outbox_events').values(rows).returning('id').execute()).map((r) => r.id));
  }
  return ids;
}

async function check(f: Fixture, label: string): Promise<void> {
  const { n: messages } = (await sql<{ n: number }>`SELECT count(DISTINCT event_id)::int AS n FROM messages`.execute(f.db)).rows[0]!;
  const { n: allMessages } = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM messages`.execute(f.db)).rows[0]!;
  const { n: deliveries } = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM deliveries`.execute(f.db)).rows[0]!;
  const { n: pending } = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox_events WHERE dispatched_at IS NULL`.execute(f.db)).rows[0]!;
  if (messages !== f.events || allMessages !== f.events || deliveries !== 3 * f.events || pending !== 0) {
    throw new Error(`events-dispatch ${label}: ${allMessages} messages for ${messages} events, ${deliveries} deliveries, ${pending} undispatched (expected ${f.events}, ${3 * f.events}, 0)`);
  }
}

async function drain(service: EventsService): Promise<number> {
  let total = 0;
  for (;;) {
    const round = await service.dispatchPending(BATCH);
    total += round.events;
    if (round.events === 0) return total;
  }
}

async function timeDispatch(f: Fixture, dispatchers: EventsService[], label: string): Promise<BenchRow> {
  await reset(f);
  const start = performance.now();
  const taken = await Promise.all(dispatchers.map(async (d) => {
    let total = 0;
    // a dispatcher finding nothing may only mean the other holds the rest: stop when nothing is left
    for (;;) {
      total += await drain(d);
      const { n } = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox_events WHERE dispatched_at IS NULL`.execute(f.db)).rows[0]!;
      if (n === 0) return total;
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  await check(f, label);
  if (taken.reduce((a, b) => a + b, 0) !== f.events) throw new Error(`events-dispatch ${label}: dispatchers took ${taken.join(' + ')} events, expected ${f.events}`);
  return { case: label, opsPerSec: f.events / seconds, ops: f.events, seconds };
}

/** The same rows dispatch writes, written as plain multi-row inserts, BATCH events per transaction. */
async function timeBaseline(f: Fixture, label: string): Promise<BenchRow> {
  const ids = await reset(f);
  const now = new Date();
  const createdAt = new Date();
  const start = performance.now();
  for (let i = 0; i < ids.length; i += BATCH) {
    const slice = ids.slice(i, i + BATCH);
    await f.db.transaction().execute(async (tx) => {
      const messages = slice.map((id, k) => {
        const notice = caseNotice(payloadOf(i + k, f.users));
        return { user_id: f.users[(i + k) % f.users.length]!, event_id: id, case_number: payloadOf(i + k, f.users).caseNumber, title: notice.title, body: notice.body, created_at: createdAt };
      });
      const deliveries = slice.flatMap((id, k) => {
        const payload = payloadOf(i + k, f.users);
        const body = JSON.stringify({ id: String(id), type: 'case.status_changed', createdAt: createdAt.toISOString(), data: publicPayload(payload as unknown as Record<string, unknown>) });
        return [
          ...f.subscriptions.map((s) => ({ event_id: id, channel: 'webhook' as const, target: s, payload: body, next_attempt_at: now })),
          { event_id: id, channel: 'sms' as const, target: payload.applicantPhone!, payload: JSON.stringify({ text: caseSms(payload) }), next_attempt_at: now },
        ];
      });
      await tx.insertInto('messages').values(messages).execute();
      await tx.insertInto('deliveries').values(deliveries).execute();
    });
  }
  const seconds = (performance.now() - start) / 1000;
  return { case: label, opsPerSec: f.events / seconds, ops: f.events, seconds };
}

async function runOn(database: BenchDatabase): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const { handle } = database;
  const label = database.kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
  const events = Number(process.env.EVENTS_BENCH_EVENTS ?? (database.kind === 'pglite' ? 5000 : 20_000));
  const db = handle.db;
  await migrateToLatest(db);
  const config = loadConfig({ TONGBAN_MODE: 'demo', DATA_DIR: 'memory://', LOG_LEVEL: 'silent', WEB_DIR: '/nonexistent' });
  const services = createServices(db, config, 10);
  const users = (await db.insertInto('users').values(Array.from({ length: USERS }, (_, i) => ({ kind: 'natural' as const, username: `bench-${i}`, name: `申请人${i}`, password_hash: 'x' }))).returning('id').execute()).map((u) => u.id);
  const subscriptions: string[] = [];
  for (const name of ['掌上通办', '自助终端']) {
    const client = await services.identity.createClient(SYSTEM_ACTOR, { name, scopes: ['cases:read'] });
    subscriptions.push((await services.events.createWebhook(SYSTEM_ACTOR, { clientId: client.client.id, url: `https://${client.client.id}.example.cn/hook`, eventTypes: ['case.status_changed'] })).subscription.id);
  }
  const f: Fixture = { db, users, subscriptions, events };
  const instance = () => new EventsService(db, services.identity, { allowLoopbackHttp: false });

  const best = (rows: BenchRow[]) => rows.reduce((a, b) => (b.opsPerSec > a.opsPerSec ? b : a));
  const baseline: BenchRow[] = [];
  const one: BenchRow[] = [];
  const two: BenchRow[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    baseline.push(await timeBaseline(f, `${label}: plain inserts of the same rows (baseline)`));
    one.push(await timeDispatch(f, [instance()], `${label}: dispatch, 1 dispatcher`));
    two.push(await timeDispatch(f, [instance(), instance()], `${label}: dispatch, 2 dispatchers at once`));
  }
  const [b, o, t] = [best(baseline), best(one), best(two)];
  const rate = (r: BenchRow) => `${Math.round(r.opsPerSec).toLocaleString('en-US')} events/s`;
  return {
    rows: [b, o, t],
    notes: [
      `${label}: ${events.toLocaleString('en-US')} events per round (each: 1 message, 2 webhook deliveries, 1 SMS), batches of ${BATCH}, best of ${ROUNDS}`,
      `${label}: 1 dispatcher ${rate(o)} = ${(o.opsPerSec / b.opsPerSec).toFixed(2)}x the plain-insert baseline (${rate(b)}); 2 dispatchers ${rate(t)} = ${(t.opsPerSec / o.opsPerSec).toFixed(2)}x one dispatcher`,
    ],
  };
}

const bench: Bench = {
  name: 'events-dispatch',
  async run() {
    const notes = [`${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at start`];
    const ran = await eachBenchDatabase(runOn);
    const results = ran.map((r) => r.result);
    notes.push(...ran.map((r) => r.database.label));
    if (process.env.BENCH_DB !== 'pglite' && !ran.some((r) => r.database.kind === 'postgres')) notes.push('PostgreSQL not measured: no BENCH_DATABASE_URL and no throwaway server could be started');
    notes.push(...results.flatMap((r) => r.notes), `load average ${loadavg()[0]!.toFixed(1)} at the end (other processes on the machine skew these figures)`);
    return { rows: results.flatMap((r) => r.rows), notes, ok: true };
  },
};

export default bench;
