/**
 * The closed-loop HTTP load generator the submission benches share: CLIENTS clients in a worker
 * thread (the load must not share the server's event loop, or its own work would count as the
 * server's latency), each sending its next POST when the last one answered, with its own
 * sessions (cookie + CSRF header) and a fresh Idempotency-Key per request. node:http with one
 * kept-alive socket per client: fetch (undici + web streams) spent about half a core on this
 * load, CPU the server and the database share on a small machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface ClientSpec {
  /** Sessions this client submits as, in turn, with the body each sends. */
  sessions: Array<{ cookie: string; csrf: string; body: string }>;
}

export interface LoadResult {
  ok: number;
  /** Every 201 (that contained `expect`), warm-up included. */
  total: number;
  seconds: number;
  latencies: Float64Array;
  failures: number;
  firstFailure: string | null;
}

const CLIENT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { randomUUID } = require('node:crypto');
const http = require('node:http');
const { url, clients, warmSeconds, seconds, expect } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients.length });
const target = new URL(url);
function post(session) {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(session.body);
    const req = http.request({ agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length, cookie: session.cookie, 'x-csrf-token': session.csrf, 'idempotency-key': randomUUID() } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
async function run() {
  const latencies = [];
  let ok = 0, total = 0, failures = 0, firstFailure = null;
  let start = 0, end = Infinity;
  const startMeasuring = new Promise((resolve) => setTimeout(() => { start = performance.now(); end = start + seconds * 1000; resolve(); }, warmSeconds * 1000));
  await Promise.all(clients.map(async (client) => {
    for (let n = 0; ; n++) {
      if (performance.now() >= end) break;
      const session = client.sessions[n % client.sessions.length];
      const t = performance.now();
      const res = await post(session);
      const done = performance.now();
      if (res.status !== 201 || (expect && !res.text.includes(expect))) { failures++; firstFailure ??= res.status + ' ' + res.text.slice(0, 300); continue; }
      total++;
      if (start > 0 && t >= start && done <= end) { ok++; latencies.push(done - t); }
    }
  }));
  await startMeasuring;
  agent.destroy();
  const elapsed = (Math.min(performance.now(), end) - start) / 1000;
  const array = Float64Array.from(latencies);
  parentPort.postMessage({ ok, total, failures, firstFailure, seconds: elapsed, latencies: array }, [array.buffer]);
}
run().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

/** Runs the clients against `url` for `warmSeconds` + `seconds`; an answer without `expect` in its body counts as a failure. */
export function runClients(url: string, clients: ClientSpec[], warmSeconds: number, seconds: number, expect: string | null = null): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLIENT_WORKER, { eval: true, workerData: { url, clients, warmSeconds, seconds, expect } });
    worker.once('message', (message: LoadResult | { error: string }) => {
      void worker.terminate();
      if ('error' in message) reject(new Error(message.error));
      else resolve(message);
    });
    worker.once('error', reject);
  });
}

/** utime + stime (fields 14 and 15 of proc(5)) of a /proc stat line, in clock ticks of 10 ms. */
function cpuTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * CPU time of this process's main thread (the server's event loop), from /proc: unlike wall
 * time it does not count the time other processes on a loaded machine take from us, so it
 * compares code changes fairly. Null where /proc is not there.
 */
export function mainThreadCpuMs(): number | null {
  try {
    return cpuTicks(readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')) * 10;
  } catch {
    return null;
  }
}

/**
 * CPU time of every `postgres` process on this machine (backends, WAL writer, checkpointer), from
 * /proc: with the throwaway server beside the bench, where the other half of a request's cost
 * goes. Call it before a run and pass the reading back after: a process that ended in between (an
 * autovacuum worker) drops out rather than taking its whole lifetime off the sum. Null where /proc
 * is not there or no such process runs (PGlite, a server elsewhere).
 */
export function postgresCpuMs(before?: PostgresCpu | null): PostgresCpu | null {
  const ticks = new Map<string, number>();
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // ended while we looked
      }
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue;
      ticks.set(pid, cpuTicks(stat));
    }
  } catch {
    return null;
  }
  if (ticks.size === 0) return null;
  let since = 0;
  for (const [pid, t] of ticks) since += t - (before?.ticks.get(pid) ?? 0);
  return { ticks, ms: since * 10 };
}

export interface PostgresCpu {
  ticks: Map<string, number>;
  /** Milliseconds since the reading passed in (all time when none was). */
  ms: number;
}
