import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CircuitBreaker, ProxiedProvider } from './proxied.js';
import { ProviderFailure, type ProviderCall, type ResourceSnapshot } from './types.js';

/** A tiny provider on 127.0.0.1: each test sets how it answers. */
let server: Server;
let base: string;
let handler: (req: IncomingMessage, body: string, res: ServerResponse) => void;
let requests: Array<{ headers: IncomingMessage['headers']; body: unknown; url: string }>;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: body ? JSON.parse(body) : null, url: req.url ?? '' });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => {
  server.closeAllConnections();
  server.close(() => resolve());
}));
beforeEach(() => {
  requests = [];
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

function resource(path = '/lookup', overrides: Partial<ResourceSnapshot['endpoint']> = {}): ResourceSnapshot {
  return {
    id: `res-${Math.random()}`,
    code: 'social_insurance',
    name: '社保',
    providerDepartmentId: 'p',
    subjectType: 'id_number',
    subjectField: 'idNumber',
    fields: [],
    sharingType: 'conditional',
    backend: 'proxied',
    endpoint: { url: `${base}${path}`, timeoutMs: 300, retries: 2, ...overrides },
    status: 'published',
  };
}

function call(r: ResourceSnapshot): ProviderCall {
  return { resource: r, subject: '440304199001011233', fields: ['name', 'status'], requestId: 'req-1', caseRef: 'TB-1', consumerDepartmentId: 'consumer-1' };
}

/** A clock the breaker tests move by hand. */
let clock = 0;
const provider = (overrides: ConstructorParameters<typeof ProxiedProvider>[0] = {}) =>
  new ProxiedProvider({ backoffMs: 5, now: () => clock, random: () => 0.5, breaker: { failureThreshold: 3, openMs: 10_000 }, ...overrides });

describe('ProxiedProvider', () => {
  it('posts the subject, the fields and the case, and returns the record', async () => {
    handler = (_req, _body, res) => json(res, 200, { record: { name: '张三', status: '正常参保', extra: 'dropped later by the gateway' } });
    const record = await provider().fetch(call(resource()));
    expect(record).toEqual({ name: '张三', status: '正常参保', extra: 'dropped later by the gateway' });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body).toEqual({ subject: '440304199001011233', subjectType: 'id_number', fields: ['name', 'status'] });
    expect(requests[0]!.headers).toMatchObject({ 'x-tongban-case': 'TB-1', 'x-tongban-request-id': 'req-1', 'x-tongban-consumer': 'consumer-1', 'content-type': 'application/json' });
  });

  it('answers null for 404 and for { record: null }, without retrying', async () => {
    handler = (_req, _body, res) => json(res, 404, { error: 'no such person' });
    expect(await provider().fetch(call(resource()))).toBeNull();
    handler = (_req, _body, res) => json(res, 200, { record: null });
    expect(await provider().fetch(call(resource()))).toBeNull();
    expect(requests).toHaveLength(2);
  });

  it('retries 5xx and succeeds on the third attempt', async () => {
    let n = 0;
    handler = (_req, _body, res) => (++n < 3 ? json(res, 503, {}) : json(res, 200, { record: { name: '张三' } }));
    expect(await provider().fetch(call(resource()))).toEqual({ name: '张三' });
    expect(requests).toHaveLength(3);
  });

  it('times out a slow provider (AbortController) and retries a bounded number of times', async () => {
    handler = (_req, _body, res) => setTimeout(() => json(res, 200, { record: {} }), 1000);
    const started = performance.now();
    await expect(provider().fetch(call(resource('/slow', { timeoutMs: 100, retries: 1 })))).rejects.toBeInstanceOf(ProviderFailure);
    const elapsed = performance.now() - started;
    expect(requests).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(900);
  });

  it('does not retry a 400 or an answer that is not the contract', async () => {
    handler = (_req, _body, res) => json(res, 400, { error: 'bad' });
    await expect(provider().fetch(call(resource()))).rejects.toMatchObject({ reason: 'unavailable' });
    expect(requests).toHaveLength(1);
    handler = (_req, _body, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    await expect(provider().fetch(call(resource()))).rejects.toMatchObject({ reason: 'unavailable' });
    handler = (_req, _body, res) => json(res, 200, { record: ['not', 'an', 'object'] });
    await expect(provider().fetch(call(resource()))).rejects.toMatchObject({ reason: 'unavailable' });
    expect(requests).toHaveLength(3);
  });

  it('refuses to follow a redirect (the endpoint host is the allowed one)', async () => {
    handler = (_req, _body, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
    await expect(provider().fetch(call(resource('/lookup', { retries: 0 })))).rejects.toMatchObject({ reason: 'unavailable' });
    expect(requests).toHaveLength(1);
  });

  it('refuses an answer larger than the limit', async () => {
    handler = (_req, _body, res) => json(res, 200, { record: { blob: 'x'.repeat(5000) } });
    await expect(provider({ maxResponseBytes: 1000 }).fetch(call(resource('/lookup', { retries: 0 })))).rejects.toMatchObject({ reason: 'unavailable' });
  });

  it('opens the circuit after repeated failures, fails fast while open, probes once when half-open, closes on success', async () => {
    const p = provider();
    const r = resource('/flaky', { retries: 0 });
    clock = 1_000;
    handler = (_req, _body, res) => json(res, 500, {});
    for (let i = 0; i < 3; i++) await expect(p.fetch(call(r))).rejects.toMatchObject({ reason: 'unavailable' });
    expect(p.breaker(r.id).current).toBe('open');
    expect(requests).toHaveLength(3);

    // open: no call goes out
    await expect(p.fetch(call(r))).rejects.toMatchObject({ reason: 'circuit_open' });
    clock += 9_999;
    await expect(p.fetch(call(r))).rejects.toMatchObject({ reason: 'circuit_open' });
    expect(requests).toHaveLength(3);

    // half-open: one probe; its failure opens the circuit again for a full period
    clock += 1;
    await expect(p.fetch(call(r))).rejects.toMatchObject({ reason: 'unavailable' });
    expect(requests).toHaveLength(4);
    await expect(p.fetch(call(r))).rejects.toMatchObject({ reason: 'circuit_open' });

    // the next probe succeeds: closed again
    clock += 10_000;
    handler = (_req, _body, res) => json(res, 200, { record: { name: '恢复' } });
    expect(await p.fetch(call(r))).toEqual({ name: '恢复' });
    expect(p.breaker(r.id).current).toBe('closed');
    expect(await p.fetch(call(r))).toEqual({ name: '恢复' });
  });

  it('keeps one breaker per resource: a failing provider does not stop another', async () => {
    const p = provider();
    const failing = resource('/down', { retries: 0 });
    const healthy = resource('/up', { retries: 0 });
    handler = (req, _body, res) => (req.url === '/down' ? json(res, 500, {}) : json(res, 200, { record: { ok: true } }));
    for (let i = 0; i < 3; i++) await expect(p.fetch(call(failing))).rejects.toBeInstanceOf(ProviderFailure);
    expect(p.breaker(failing.id).current).toBe('open');
    expect(await p.fetch(call(healthy))).toEqual({ ok: true });
  });

  it('counts a connection refused as a failure', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = { ...resource(), endpoint: { url: `http://127.0.0.1:${port}/x`, timeoutMs: 300, retries: 1 } };
    await expect(provider().fetch(call(r))).rejects.toMatchObject({ reason: 'unavailable' });
  });
});

describe('CircuitBreaker', () => {
  it('lets one probe through at a time when half-open', () => {
    const b = new CircuitBreaker({ failureThreshold: 1, openMs: 100 });
    b.failure(0);
    expect(b.allow(50)).toBe(false);
    expect(b.allow(100)).toBe(true);
    expect(b.current).toBe('half_open');
    expect(b.allow(101)).toBe(false);
    b.success();
    expect(b.allow(102)).toBe(true);
    expect(b.allow(102)).toBe(true);
  });

  it('resets the failure count on success', () => {
    const b = new CircuitBreaker({ failureThreshold: 3, openMs: 100 });
    b.failure(0);
    b.failure(0);
    b.success();
    b.failure(0);
    b.failure(0);
    expect(b.current).toBe('closed');
    b.failure(0);
    expect(b.current).toBe('open');
  });
});
