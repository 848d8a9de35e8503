/**
 * The delivery worker against a real HTTP receiver on the loopback: signed webhooks a receiver
 * can verify with its secret, retries with backoff until given up, the 5-second timeout, leases
 * that survive a crashed worker, concurrent workers sending each delivery once, and the SMS and
 * e-mail adapters (with what they may and may not record).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { caseStatusChanged, recordChanges } from '../../../test/event-fixtures.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { demoIdNumber } from '../demo/seed.js';
import type { CaseStatusChanged } from './outbox.js';
import { DeliveryFailure, type EventLog, type SmsSender } from './senders.js';
import { EventsService, type EventsSettings } from './service.js';
import * as store from './store.js';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
}

/** The channel system's receiver; each test decides how it answers. */
let receiver: Server;
let receiverUrl: string;
let received: Received[];
let answer: (res: ServerResponse, n: number) => void;

let platform: TestPlatform;
let userId: string;
let clientId: string;
let webhook: { id: string; secret: string };

const db = () => platform.database.db;
const SECOND = 1000;

/** An instance on the same database with its own clock and settings: another worker. */
function instance(settings: Partial<EventsSettings> = {}): EventsService {
  return new EventsService(db(), platform.services.identity, { allowLoopbackHttp: true, random: () => 0.5, ...settings });
}

async function recordChange(overrides: Partial<CaseStatusChanged> = {}): Promise<number> {
  const [id] = await recordChanges(db(), caseStatusChanged(userId, overrides));
  return id!;
}

async function dispatchAll(): Promise<void> {
  while ((await platform.services.events.dispatchPending(100)).events > 0);
}

const deliveryOf = (eventId: number, channel: 'webhook' | 'sms' | 'email' = 'webhook') =>
  db().selectFrom('deliveries').selectAll().where('event_id', '=', eventId).where('channel', '=', channel).executeTakeFirstOrThrow();

/** What a receiver does with the headers and the raw body (see webhooks.ts). */
function verify(secret: string, r: Received, nowSeconds: number): boolean {
  const timestamp = Number(r.headers['x-tongban-timestamp']);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > 300) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${r.raw}`).digest('hex')}`);
  const given = Buffer.from(String(r.headers['x-tongban-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

beforeAll(async () => {
  received = [];
  receiver = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, raw });
      answer(res, received.length);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/tongban/events?token=abc`;

  platform = await createTestPlatform({ demo: false, calendar: false });
  userId = (await platform.services.identity.register(SYSTEM_ACTOR, { kind: 'natural', name: '王五', idNumber: demoIdNumber('440304', '19920720', '315'), phone: '13600136000', password: 'Passw0rd2026' })).id;
  clientId = (await platform.services.identity.createClient(SYSTEM_ACTOR, { name: '掌上通办', scopes: ['cases:read'] })).client.id;
  const created = await platform.services.events.createWebhook(SYSTEM_ACTOR, { clientId, url: receiverUrl, eventTypes: ['case.status_changed'] });
  webhook = { id: created.subscription.id, secret: created.secret };
});

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
  await platform.close();
});

beforeEach(async () => {
  // every test starts with nothing due: what earlier tests left is settled
  await dispatchAll();
  await db().updateTable('deliveries').set({ status: 'delivered' }).where('status', '=', 'pending').execute();
  received = [];
  answer = (res) => res.writeHead(204).end();
});

describe('webhooks', () => {
  it('are signed so that the receiver can verify them with the secret, and carry the event id', async () => {
    const eventId = await recordChange({ applicantPhone: '13600136000' });
    await dispatchAll();
    const round = await platform.services.events.deliverDue(50);
    expect(round).toMatchObject({ delivered: 2, retrying: 0, failed: 0 }); // the webhook and the SMS

    expect(received).toHaveLength(1);
    const [r] = received;
    expect(verify(webhook.secret, r!, Math.floor(Date.now() / 1000))).toBe(true);
    // a forged body, another secret or an old timestamp does not verify
    expect(verify(webhook.secret, { ...r!, raw: r!.raw.replace('accepted', 'approved') }, Math.floor(Date.now() / 1000))).toBe(false);
    expect(verify('whsec_someone-else', r!, Math.floor(Date.now() / 1000))).toBe(false);
    expect(verify(webhook.secret, r!, Math.floor(Date.now() / 1000) + 600)).toBe(false);

    expect(r!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-tongban-event-id': String(eventId),
      'x-tongban-event-type': 'case.status_changed',
    });
    expect(r!.headers['x-tongban-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const body = JSON.parse(r!.raw) as { id: string; type: string; createdAt: string; data: Record<string, unknown> };
    expect(body).toMatchObject({ id: String(eventId), type: 'case.status_changed', data: { status: 'accepted', deadline: '2026-12-03' } });
    expect(r!.raw).not.toContain('13600136000');
    expect(body.data).not.toHaveProperty('applicantUserId');

    const delivery = await deliveryOf(eventId);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, last_error: null, locked_until: null });
    expect(delivery.delivered_at).not.toBeNull();
  });

  it('are retried with backoff when the receiver fails, then given up, and can be retried by hand', async () => {
    let now = new Date('2026-11-26T02:00:00Z');
    const worker = instance({ now: () => now, retryDelaysMs: [10 * SECOND, 30 * SECOND], maxAttempts: 3 });
    const eventId = await recordChange();
    await dispatchAll();
    await db().updateTable('deliveries').set({ next_attempt_at: now }).where('event_id', '=', eventId).execute();
    answer = (res) => res.writeHead(500).end('database down: 13600136000');

    expect(await worker.deliverDue(50)).toMatchObject({ claimed: 1, retrying: 1 });
    let delivery = await deliveryOf(eventId);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, last_error: 'HTTP 500', locked_until: null });
    expect(new Date(delivery.next_attempt_at).getTime() - now.getTime()).toBe(10 * SECOND);

    // not due yet: nothing is sent
    now = new Date(now.getTime() + 9 * SECOND);
    expect((await worker.deliverDue(50)).claimed).toBe(0);
    now = new Date(now.getTime() + 1 * SECOND);
    expect(await worker.deliverDue(50)).toMatchObject({ claimed: 1, retrying: 1 });
    delivery = await deliveryOf(eventId);
    expect(delivery.attempts).toBe(2);
    // the last delay repeats once the schedule runs out
    expect(new Date(delivery.next_attempt_at).getTime() - now.getTime()).toBe(30 * SECOND);

    now = new Date(now.getTime() + 30 * SECOND);
    expect(await worker.deliverDue(50)).toMatchObject({ claimed: 1, failed: 1 });
    delivery = await deliveryOf(eventId);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 3, last_error: 'HTTP 500; gave up after 3 attempts' });
    expect(received).toHaveLength(3);
    // every attempt repeats the event id (the receiver's dedupe key) and is signed afresh
    expect(new Set(received.map((r) => r.headers['x-tongban-event-id']))).toEqual(new Set([String(eventId)]));
    expect(received.map((r) => Number(r.headers['x-tongban-timestamp']))).toEqual([0, 10, 40].map((s) => Date.parse('2026-11-26T02:00:00Z') / 1000 + s));

    now = new Date(now.getTime() + 3600 * SECOND);
    expect((await worker.deliverDue(50)).claimed).toBe(0);

    // the administrator retries it once the receiver is fixed
    answer = (res) => res.writeHead(200).end();
    expect(await worker.retryDelivery(SYSTEM_ACTOR, delivery.id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await worker.deliverDue(50)).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await deliveryOf(eventId)).toMatchObject({ status: 'delivered', attempts: 1, last_error: null });
  });

  it('spread retries with jitter around the schedule', () => {
    const at = (r: number) => instance({ random: () => r, retryDelaysMs: [10 * SECOND, 30 * SECOND, 120 * SECOND] });
    expect(at(0).backoffMs(1)).toBe(8 * SECOND);
    expect(at(0.5).backoffMs(1)).toBe(10 * SECOND);
    expect(at(1).backoffMs(1)).toBe(12 * SECOND);
    expect(at(0.5).backoffMs(3)).toBe(120 * SECOND);
    expect(at(0.5).backoffMs(9)).toBe(120 * SECOND);
  });

  it('time out after 5 seconds without an answer', async () => {
    const eventId = await recordChange();
    await dispatchAll();
    answer = () => undefined; // never answers
    const started = performance.now();
    expect(await platform.services.events.deliverDue(50)).toMatchObject({ claimed: 1, retrying: 1 });
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(4.9);
    expect(seconds).toBeLessThan(8);
    expect(await deliveryOf(eventId)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'timeout: no answer within 5000 ms' });
    receiver.closeAllConnections();
  });

  it('count only a 2xx: a redirect or a refused connection is a failure', async () => {
    const redirected = await recordChange();
    await dispatchAll();
    answer = (res) => res.writeHead(302, { location: 'https://elsewhere.example.cn/' }).end();
    await platform.services.events.deliverDue(50);
    expect(await deliveryOf(redirected)).toMatchObject({ status: 'pending', last_error: 'HTTP 302' });

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await db().updateTable('webhook_subscriptions').set({ url: `http://127.0.0.1:${port}/` }).where('id', '=', webhook.id).execute();
    try {
      await db().updateTable('deliveries').set({ next_attempt_at: new Date() }).where('event_id', '=', redirected).execute();
      await platform.services.events.deliverDue(50);
      expect(await deliveryOf(redirected)).toMatchObject({ status: 'pending', attempts: 2, last_error: 'connection failed (ECONNREFUSED)' });
    } finally {
      await db().updateTable('webhook_subscriptions').set({ url: receiverUrl }).where('id', '=', webhook.id).execute();
    }
  });

  it('go nowhere once the subscription is deactivated', async () => {
    const second = await platform.services.events.createWebhook(SYSTEM_ACTOR, { clientId, url: receiverUrl, eventTypes: ['case.status_changed'] });
    const first = await recordChange();
    const late = await recordChange();
    await dispatchAll();
    await platform.services.events.deactivateWebhook(SYSTEM_ACTOR, second.subscription.id);
    const abandoned = await db().selectFrom('deliveries').selectAll().where('target', '=', second.subscription.id).where('event_id', 'in', [first, late]).execute();
    expect(abandoned.map((d) => [d.status, d.last_error])).toEqual([['failed', 'subscription deactivated'], ['failed', 'subscription deactivated']]);
    // a delivery that was queued anyway (deactivated behind the service's back) is dropped by the worker unsent
    await db().updateTable('deliveries').set({ status: 'pending', next_attempt_at: new Date() }).where('id', '=', abandoned[0]!.id).execute();
    const round = await platform.services.events.deliverDue(50);
    expect(round.failed).toBe(1);
    expect(received.filter((r) => r.headers['x-tongban-signature'] && verify(second.secret, r, Math.floor(Date.now() / 1000)))).toEqual([]);
    await expect(platform.services.events.retryDelivery(SYSTEM_ACTOR, abandoned[0]!.id)).rejects.toMatchObject({ code: 'webhook_inactive' });
  });
});

describe('leases and several workers', () => {
  it('a delivery claimed by a worker that died is sent by another once the lease runs out (at least once)', async () => {
    const eventId = await recordChange();
    await dispatchAll();
    const now = new Date();
    // worker A claims the delivery and dies before sending
    const [claim] = await store.claimDeliveries(db(), 50, now, new Date(now.getTime() + 60 * SECOND));
    expect(claim).toMatchObject({ event_id: eventId, attempts: 1 });
    // worker B does not touch it while the lease holds …
    expect((await instance({ now: () => new Date(now.getTime() + 59 * SECOND) }).deliverDue(50)).claimed).toBe(0);
    // … and sends it when it has run out
    expect(await instance({ now: () => new Date(now.getTime() + 61 * SECOND) }).deliverDue(50)).toMatchObject({ claimed: 1, delivered: 1 });
    expect(received).toHaveLength(1);
    expect(await deliveryOf(eventId)).toMatchObject({ status: 'delivered', attempts: 2 });
    // A, waking up late, cannot overwrite B's outcome: its claim (attempt 1) is stale
    await store.finishAttempt(db(), claim!.id, claim!.attempts, { status: 'pending', error: 'HTTP 500', nextAttemptAt: now });
    expect(await deliveryOf(eventId)).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });
  });

  it('two workers running at once send each of 60 deliveries once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 60; i++) ids.push(await recordChange());
    await dispatchAll();
    answer = (res) => setTimeout(() => res.writeHead(200).end(), 5);
    const workers = [instance(), instance()];
    const sent = [0, 0];
    await Promise.all(workers.map(async (w, i) => {
      for (let round = await w.deliverDue(7); round.claimed > 0; round = await w.deliverDue(7)) sent[i]! += round.delivered;
    }));
    expect(sent[0]! + sent[1]!).toBe(60);
    expect(received).toHaveLength(60);
    expect(new Set(received.map((r) => r.headers['x-tongban-event-id']))).toEqual(new Set(ids.map(String)));
  });
});

describe('SMS and e-mail adapters', () => {
  function captureLog(): { log: EventLog; lines: string[] } {
    const lines: string[] = [];
    const push = (obj: unknown, msg?: string) => lines.push(`${JSON.stringify(obj)} ${msg ?? ''}`);
    return { lines, log: { info: push, warn: push, error: push } as unknown as EventLog };
  }

  it('by default record the text in the delivery row and log only a masked recipient', async () => {
    const { log, lines } = captureLog();
    const worker = instance({ log });
    const eventId = await recordChange({ status: 'correction_requested', applicantPhone: '+86 136-0013-6000', applicantEmail: 'wang.wu@example.cn' });
    await dispatchAll();
    expect(await worker.deliverDue(50)).toMatchObject({ delivered: 3 });
    const sms = await deliveryOf(eventId, 'sms');
    expect(sms).toMatchObject({ status: 'delivered', target: '13600136000' });
    expect(sms.payload).toEqual({ text: expect.stringMatching(/^【通办】您的办件 .+需要补正材料/), receipt: { provider: 'record' } });
    const email = await deliveryOf(eventId, 'email');
    expect(email).toMatchObject({ status: 'delivered', payload: { subject: '请补正材料', receipt: { provider: 'record' } } });
    expect(lines.join('\n')).toContain('136****6000');
    expect(lines.join('\n')).toContain('w***@example.cn');
    expect(lines.join('\n')).not.toContain('13600136000');
    expect(lines.join('\n')).not.toContain('wang.wu');
  });

  it('a gateway plugs in through SmsSender; its failures are recorded without the recipient', async () => {
    const calls: string[] = [];
    let failWith: Error | null = new Error('gateway refused 13600136000');
    const gateway: SmsSender = {
      async send(message) {
        calls.push(message.to);
        if (failWith) throw failWith;
        return { provider: 'carrier', reference: 'SMS-778899' };
      },
    };
    const eventId = await recordChange({ status: 'approved', applicantPhone: '13600136000', deadline: null });
    await dispatchAll();
    let now = new Date();
    const worker = instance({ sms: gateway, now: () => now });
    await worker.deliverDue(50);
    expect(await deliveryOf(eventId, 'sms')).toMatchObject({ status: 'pending', last_error: 'sms sender error (Error)' });
    failWith = new DeliveryFailure('gateway code 1024: rate limited');
    now = new Date(now.getTime() + 60 * SECOND);
    await worker.deliverDue(50);
    expect(await deliveryOf(eventId, 'sms')).toMatchObject({ status: 'pending', attempts: 2, last_error: 'gateway code 1024: rate limited' });
    failWith = null;
    now = new Date(now.getTime() + 60 * SECOND);
    await worker.deliverDue(50);
    const sms = await deliveryOf(eventId, 'sms');
    expect(sms).toMatchObject({ status: 'delivered', attempts: 3, last_error: null });
    expect(sms.payload).toMatchObject({ receipt: { provider: 'carrier', reference: 'SMS-778899' } });
    expect(calls).toEqual(['13600136000', '13600136000', '13600136000']);
  });
});
