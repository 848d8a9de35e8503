/**
 * Serves a resource by calling its provider's HTTP endpoint.
 *
 * The contract a provider implements: `POST <url>` with JSON `{ subject, subjectType, fields }` and
 * headers `X-Tongban-Case`, `X-Tongban-Request-Id`, `X-Tongban-Consumer` (the consumer department);
 * it answers 200 `{ "record": { ... } }` (or `{ "record": null }`), or 404 when it has no record.
 * Whatever else the record holds is dropped by the gateway: only granted items leave the platform.
 *
 * Each attempt has its own timeout (AbortController). Timeouts, network errors, 5xx and 429 are
 * retried a bounded number of times with full-jitter exponential backoff; other answers are final.
 * A circuit breaker per resource stops calling an endpoint that keeps failing: after
 * `failureThreshold` failed calls in a row it opens for `openMs`, then lets one probe through
 * (half-open); the probe's success closes it, its failure opens it again. The breaker's state is
 * kept in memory by each instance, which is enough: each instance protects itself and the provider
 * from its own calls, and a restarted instance simply probes again.
 */
import { ProviderFailure, type DataProvider, type ProviderCall } from './types.js';

export interface BreakerSettings {
  failureThreshold: number;
  openMs: number;
}

export interface ProxiedSettings {
  breaker: BreakerSettings;
  /** Base of the exponential backoff between attempts. */
  backoffMs: number;
  /** Milliseconds clock (injectable for tests of the breaker). */
  now: () => number;
  random: () => number;
  /** Largest answer read from a provider. */
  maxResponseBytes: number;
}

export const DEFAULT_PROXIED_SETTINGS: ProxiedSettings = {
  breaker: { failureThreshold: 5, openMs: 30_000 },
  backoffMs: 100,
  now: () => Date.now(),
  random: Math.random,
  maxResponseBytes: 1024 * 1024,
};

export type BreakerState = 'closed' | 'open' | 'half_open';

export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private failures = 0;
  private openUntil = 0;
  private probing = false;

  constructor(private readonly settings: BreakerSettings) {}

  /** Whether a call may go out now; moves an open breaker whose time is up to half-open (one probe). */
  allow(now: number): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (now < this.openUntil) return false;
      this.state = 'half_open';
      this.probing = false;
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.state = 'closed';
    this.failures = 0;
    this.probing = false;
  }

  failure(now: number): void {
    this.probing = false;
    this.failures++;
    if (this.state === 'half_open' || this.failures >= this.settings.failureThreshold) {
      this.state = 'open';
      this.openUntil = now + this.settings.openMs;
    }
  }

  get current(): BreakerState {
    return this.state;
  }
}

/** An answer not worth repeating (4xx other than 404/429, an unreadable body). */
class FinalFailure extends Error {}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ProxiedProvider implements DataProvider {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly settings: ProxiedSettings;

  constructor(settings: Partial<ProxiedSettings> = {}) {
    this.settings = { ...DEFAULT_PROXIED_SETTINGS, ...settings, breaker: { ...DEFAULT_PROXIED_SETTINGS.breaker, ...settings.breaker } };
  }

  breaker(resourceId: string): CircuitBreaker {
    let breaker = this.breakers.get(resourceId);
    if (!breaker) {
      breaker = new CircuitBreaker(this.settings.breaker);
      this.breakers.set(resourceId, breaker);
    }
    return breaker;
  }

  async fetch(call: ProviderCall): Promise<Record<string, unknown> | null> {
    const endpoint = call.resource.endpoint;
    if (!endpoint) throw new ProviderFailure('unavailable', 'no endpoint');
    const breaker = this.breaker(call.resource.id);
    if (!breaker.allow(this.settings.now())) throw new ProviderFailure('circuit_open', call.resource.code);
    try {
      const record = await this.withRetries(call, endpoint.url, endpoint.timeoutMs, endpoint.retries);
      breaker.success();
      return record;
    } catch (err) {
      breaker.failure(this.settings.now());
      throw new ProviderFailure('unavailable', err instanceof Error ? err.message : String(err));
    }
  }

  private async withRetries(call: ProviderCall, url: string, timeoutMs: number, retries: number): Promise<Record<string, unknown> | null> {
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(this.settings.random() * this.settings.backoffMs * 2 ** (attempt - 1));
      try {
        return await this.attempt(call, url, timeoutMs);
      } catch (err) {
        if (err instanceof FinalFailure) throw err;
        lastError = err;
      }
    }
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }

  private async attempt(call: ProviderCall, url: string, timeoutMs: number): Promise<Record<string, unknown> | null> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        signal: controller.signal,
        // A redirect could lead the platform anywhere; the endpoint's host is the allowed one.
        redirect: 'error',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-tongban-case': call.caseRef ?? '',
          'x-tongban-request-id': call.requestId,
          'x-tongban-consumer': call.consumerDepartmentId,
        },
        body: JSON.stringify({ subject: call.subject, subjectType: call.resource.subjectType, fields: call.fields }),
      });
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (response.status >= 500 || response.status === 429) {
        await response.body?.cancel();
        throw new Error(`provider answered ${response.status}`);
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new FinalFailure(`provider answered ${response.status}`);
      }
      const declared = Number(response.headers.get('content-length') ?? '0');
      if (declared > this.settings.maxResponseBytes) {
        await response.body?.cancel();
        throw new FinalFailure('provider answer too large');
      }
      const text = await response.text();
      if (Buffer.byteLength(text) > this.settings.maxResponseBytes) throw new FinalFailure('provider answer too large');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new FinalFailure('provider answer is not JSON');
      }
      if (!body || typeof body !== 'object' || !('record' in body)) throw new FinalFailure('provider answer has no record');
      const record = (body as { record: unknown }).record;
      if (record === null) return null;
      if (typeof record !== 'object' || Array.isArray(record)) throw new FinalFailure('provider record is not an object');
      return record as Record<string, unknown>;
    } finally {
      clearTimeout(timer);
    }
  }
}
