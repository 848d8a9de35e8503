/** What a bench file (`bench/*.bench.ts`) exports as default; bench/run.ts finds and runs them all. */
export interface Bench {
  name: string;
  /** Runs the measurements; throws if the cases compared disagree (a bench must not measure wrong answers). */
  run(): Promise<BenchReport> | BenchReport;
}

export interface BenchReport {
  rows: BenchRow[];
  /** Free-form lines printed under the table (sample sizes, ratios, targets). */
  notes: string[];
  /** False when a stated target was missed; run.ts then exits non-zero. */
  ok: boolean;
}

export interface BenchRow {
  case: string;
  opsPerSec: number;
  ops: number;
  seconds: number;
}

/**
 * Calls `op(i)` for i = 0, 1, 2, ... (wrapping over `size` inputs) for about `seconds`, after a
 * short warm-up, and reports the rate. The clock is read once per batch, not once per call.
 */
export function measure(label: string, size: number, op: (i: number) => number, seconds: number): BenchRow {
  let sink = 0;
  const warmUntil = performance.now() + Math.min(500, seconds * 200);
  for (let i = 0; performance.now() < warmUntil; i++) sink += op(i % size);
  let ops = 0;
  let batch = 16;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let j = 0; j < batch; j++) sink += op((ops + j) % size);
    ops += batch;
    now = performance.now();
    if (now - start < 50) batch *= 2; // grow batches until one takes a measurable time
  }
  if (sink === Number.MIN_SAFE_INTEGER) console.log(sink); // keeps `sink` (and the work) alive
  const elapsed = (now - start) / 1000;
  return { case: label, opsPerSec: ops / elapsed, ops, seconds: elapsed };
}

/** Small seeded PRNG (mulberry32) so every run measures the same inputs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The nearest-rank percentile of ascending `sorted` values, `fraction` in (0, 1]: 0.95 for p95. */
export function percentile(sorted: ArrayLike<number>, fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}
