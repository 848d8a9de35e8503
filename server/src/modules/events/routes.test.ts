/**
 * The message box and the webhook administration through the HTTP API, on the demo city: who
 * sees which messages, paging and read state; registering webhooks (secret once, URL rules,
 * audit), deactivating them, their deliveries, retrying failures, and the outbox stats.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, login, type Session, type TestPlatform } from '../../../test/harness.js';
import { caseStatusChanged, recordChanges } from '../../../test/event-fixtures.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { encodeCursor } from '../../platform/http/pagination.js';
import { demoIdNumber } from '../demo/seed.js';
import type { CaseStatusChanged } from './outbox.js';
import { EventsService } from './service.js';

let platform: TestPlatform;
let admin: Session;
let applicant: Session;
let enterprise: Session;
let clerk: Session;
let channelToken: string;
let clientId: string;

const db = () => platform.database.db;

function call(session: Session | null, method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return as(platform.app, session, { method, url, headers, ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }) });
}

/** One status change of a case of `userId`, committed in its own transaction (so each has its own time). */
async function statusChange(userId: string, overrides: Partial<CaseStatusChanged> = {}): Promise<number> {
  const [id] = await recordChanges(db(), caseStatusChanged(userId, overrides));
  return id!;
}

async function dispatchAll(): Promise<void> {
  while ((await platform.services.events.dispatchPending(100)).events > 0);
}

interface MessageBody {
  id: string;
  title: string;
  body: string;
  caseNumber: string | null;
  createdAt: string;
  readAt: string | null;
}
interface MessagePageBody {
  items: MessageBody[];
  nextCursor: string | null;
  unreadCount: number;
}

beforeAll(async () => {
  platform = await createTestPlatform();
  admin = await login(platform.app, 'admin');
  clerk = await login(platform.app, 'clerk');
  // applicants of their own, so that whatever the demo seed notifies does not count here
  const people = [
    { kind: 'natural', name: '孙七', idNumber: demoIdNumber('440304', '19950505', '517'), phone: '13400134000', password: 'Passw0rd2026' },
    { kind: 'natural', name: '周八', idNumber: demoIdNumber('440304', '19960606', '619'), phone: '13300133000', password: 'Passw0rd2026' },
  ];
  for (const p of people) expect((await call(null, 'POST', '/api/v1/auth/register', p)).statusCode).toBe(201);
  applicant = await login(platform.app, people[0]!.idNumber, 'Passw0rd2026');
  enterprise = await login(platform.app, people[1]!.idNumber, 'Passw0rd2026');
  const client = await call(admin, 'POST', '/api/v1/admin/api-clients', { name: '掌上通办 App', scopes: ['cases:read'] });
  channelToken = (client.json() as { token: string }).token;
  clientId = (client.json() as { client: { id: string } }).client.id;
  await dispatchAll();
});
afterAll(() => platform.close());

describe('my messages', () => {
  let eventIds: number[];
  beforeAll(async () => {
    eventIds = [];
    for (const status of ['submitted', 'accepted', 'in_review', 'approved', 'delivered'] as const) eventIds.push(await statusChange(applicant.user.id, { status }));
    await statusChange(enterprise.user.id, { status: 'not_accepted' });
    await dispatchAll();
  });

  it('lists the signed-in person\'s own messages, newest first, with the unread count', async () => {
    const res = await call(applicant, 'GET', '/api/v1/me/messages');
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as MessagePageBody;
    expect(page.items.map((m) => m.title)).toEqual(['办理结果已送达', '审批通过', '办件审查中', '申请已受理', '申请已提交']);
    expect(page.unreadCount).toBe(5);
    expect(page.nextCursor).toBeNull();
    expect(page.items[3]).toMatchObject({ body: expect.stringContaining('已受理，承诺办结日期 2026-12-03'), caseNumber: expect.stringMatching(/^11440300/), readAt: null });
    // the other applicant sees only theirs
    const other = (await call(enterprise, 'GET', '/api/v1/me/messages')).json() as MessagePageBody;
    expect(other.items.map((m) => m.title)).toEqual(['申请不予受理']);
  });

  it('pages with a cursor through every message exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/me/messages?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await call(applicant, 'GET', url)).json() as MessagePageBody;
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
  });

  it('refuses a forged cursor with a field error, never a 500', async () => {
    for (const cursor of ['garbage', encodeCursor({ at: '2026-02-30T00:00:00.000000Z', id: '3f1c9a52-8d4e-4b7a-9c1d-2e5f6a7b8c9d' }), encodeCursor({ at: '2026-02-01T00:00:00.000000Z', id: 'x' }), encodeCursor({ at: 7, id: 'x' } as unknown as Record<string, string>)]) {
      const res = await call(applicant, 'GET', `/api/v1/me/messages?cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'cursor', code: 'invalid_cursor' }] });
    }
  });

  it('marks one read (keeping the first reading time), lists the unread, and marks all read', async () => {
    const before = (await call(applicant, 'GET', '/api/v1/me/messages')).json() as MessagePageBody;
    const target = before.items[1]!;
    const read = await call(applicant, 'POST', `/api/v1/me/messages/${target.id}/read`);
    expect(read.statusCode, read.body).toBe(200);
    const readAt = (read.json() as MessageBody).readAt;
    expect(readAt).toEqual(expect.any(String));
    const again = await call(applicant, 'POST', `/api/v1/me/messages/${target.id}/read`);
    expect((again.json() as MessageBody).readAt).toBe(readAt);

    const unread = (await call(applicant, 'GET', '/api/v1/me/messages?unread=true')).json() as MessagePageBody;
    expect(unread.items.map((m) => m.id)).not.toContain(target.id);
    expect(unread.items).toHaveLength(4);
    expect(unread.unreadCount).toBe(4);

    const all = await call(applicant, 'POST', '/api/v1/me/messages/read-all');
    expect(all.json()).toEqual({ updated: 4 });
    expect(((await call(applicant, 'GET', '/api/v1/me/messages')).json() as MessagePageBody).unreadCount).toBe(0);
    expect(((await call(applicant, 'GET', '/api/v1/me/messages')).json() as MessagePageBody).items.find((m) => m.id === target.id)!.readAt).toBe(readAt);
  });

  it('does not let anyone else read or mark a person\'s message', async () => {
    const theirs = ((await call(applicant, 'GET', '/api/v1/me/messages')).json() as MessagePageBody).items[0]!;
    const other = await call(enterprise, 'POST', `/api/v1/me/messages/${theirs.id}/read`);
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ code: 'message_not_found', detail: '消息不存在' });
    // read-all by someone else leaves them alone
    await call(applicant, 'POST', '/api/v1/me/messages/read-all');
    const enterpriseUnread = ((await call(enterprise, 'GET', '/api/v1/me/messages')).json() as MessagePageBody).unreadCount;
    expect(enterpriseUnread).toBe(1);
    // a channel system has no message box; a bad id is a 400
    const channel = await platform.app.inject({ method: 'GET', url: '/api/v1/me/messages', headers: { authorization: `Bearer ${channelToken}` } });
    expect(channel.statusCode).toBe(403);
    expect((await call(applicant, 'POST', '/api/v1/me/messages/not-a-uuid/read')).statusCode).toBe(400);
  });

  it('serves staff their own box too', async () => {
    const res = await call(clerk, 'GET', '/api/v1/me/messages?limit=5');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ items: [], unreadCount: 0, nextCursor: null });
  });
});

describe('messages written in one transaction', () => {
  it('share one time and still page in the order written, each once', async () => {
    const person = { kind: 'natural', name: '吴九', idNumber: demoIdNumber('440304', '19970707', '721'), phone: '13200132000', password: 'Passw0rd2026' };
    expect((await call(null, 'POST', '/api/v1/auth/register', person)).statusCode).toBe(201);
    const reader = await login(platform.app, person.idNumber, 'Passw0rd2026');
    const statuses = ['submitted', 'accepted', 'in_review', 'approved', 'delivered'] as const;
    // one transaction, one now(): the five events, and so the five messages, carry the same instant
    await recordChanges(db(), ...statuses.map((status) => caseStatusChanged(reader.user.id, { status })));
    await dispatchAll();
    const instants = await db().selectFrom('messages').select(sql<string>`created_at::text`.as('at')).distinct().where('user_id', '=', reader.user.id).execute();
    expect(instants).toHaveLength(1);

    const titles: string[] = [];
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/me/messages?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await call(reader, 'GET', url);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as MessagePageBody;
      titles.push(...page.items.map((m) => m.title));
      ids.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    // two cursors fall inside the tie; newest first means the last written first
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(5);
    expect(titles).toEqual(['办理结果已送达', '审批通过', '办件审查中', '申请已受理', '申请已提交']);
  });
});

describe('webhook subscriptions', () => {
  let created: { subscription: { id: string; url: string; active: boolean }; secret: string };

  it('registers one for a channel system and shows the secret once', async () => {
    const res = await call(admin, 'POST', '/api/v1/admin/webhooks', { clientId, url: 'https://app.example.cn/hooks?token=rcv-123', eventTypes: ['case.status_changed'] });
    expect(res.statusCode, res.body).toBe(201);
    created = res.json() as typeof created;
    expect(created.secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(created.subscription).toMatchObject({ clientId, clientName: '掌上通办 App', url: 'https://app.example.cn/hooks?token=rcv-123', eventTypes: ['case.status_changed'], active: true });

    const list = await call(admin, 'GET', '/api/v1/admin/webhooks');
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: Array<{ id: string }> }).items.map((s) => s.id)).toContain(created.subscription.id);
    expect(list.body).not.toContain(created.secret);
    expect(list.body).not.toContain('"secret"');

    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'events.webhook.created').where('target_id', '=', created.subscription.id).executeTakeFirstOrThrow();
    expect(audit.detail).toEqual({ clientId, origin: 'https://app.example.cn', eventTypes: ['case.status_changed'] });
    expect(JSON.stringify(audit)).not.toContain('rcv-123');
  });

  it('accepts https, and http only on the loopback in demo mode', async () => {
    const post = (url: string, lang?: string) => call(admin, 'POST', '/api/v1/admin/webhooks', { clientId, url, eventTypes: ['case.status_changed'] }, lang ? { 'accept-language': lang } : {});
    const local = await post('http://127.0.0.1:9999/hook');
    expect(local.statusCode, local.body).toBe(201);
    await call(admin, 'DELETE', `/api/v1/admin/webhooks/${(local.json() as typeof created).subscription.id}`);

    const cases: Array<[string, string]> = [
      ['http://app.example.cn/hook', 'webhook_url_not_https'],
      ['ftp://app.example.cn/hook', 'webhook_url_not_https'],
      ['not a url', 'webhook_url_invalid'],
      ['https://user:pw@app.example.cn/hook', 'webhook_url_credentials'],
    ];
    for (const [url, code] of cases) {
      const res = await post(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ code: 'validation_failed', errors: [{ field: 'url', code }] });
    }
    const zh = (await post('http://app.example.cn/hook')).json() as { errors: Array<{ message: string }> };
    expect(zh.errors[0]!.message).toContain('回调地址须为 https');
    const en = (await post('http://app.example.cn/hook', 'en')).json() as { errors: Array<{ message: string }> };
    expect(en.errors[0]!.message).toBe('The URL must be https; http is allowed only for localhost or 127.0.0.1 in demo mode');

    // outside demo mode the loopback gets no exception
    const production = new EventsService(db(), platform.services.identity, { allowLoopbackHttp: false });
    await expect(production.createWebhook(SYSTEM_ACTOR, { clientId, url: 'http://localhost:9999/hook', eventTypes: ['case.status_changed'] })).rejects.toMatchObject({
      status: 400,
      fieldErrors: [{ field: 'url', code: 'webhook_url_not_https' }],
    });
  });

  it('refuses an unknown or revoked client and unknown event types', async () => {
    const unknown = await call(admin, 'POST', '/api/v1/admin/webhooks', { clientId: '0b5b7f0e-5d0c-4c1e-9a43-1f7b2d0c9e11', url: 'https://x.example.cn/', eventTypes: ['case.status_changed'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ errors: [{ field: 'clientId', code: 'client_unknown' }] });

    const revoked = (await call(admin, 'POST', '/api/v1/admin/api-clients', { name: '已吊销', scopes: ['cases:read'] })).json() as { client: { id: string } };
    await call(admin, 'DELETE', `/api/v1/admin/api-clients/${revoked.client.id}`);
    const res = await call(admin, 'POST', '/api/v1/admin/webhooks', { clientId: revoked.client.id, url: 'https://x.example.cn/', eventTypes: ['case.status_changed'] });
    expect(res.json()).toMatchObject({ errors: [{ field: 'clientId', code: 'client_unknown' }] });

    for (const eventTypes of [[], ['case.deleted'], ['case.status_changed', 'case.status_changed']]) {
      const bad = await call(admin, 'POST', '/api/v1/admin/webhooks', { clientId, url: 'https://x.example.cn/', eventTypes });
      expect(bad.statusCode, JSON.stringify(eventTypes)).toBe(400);
    }
  });

  it('is for the system administrator only', async () => {
    for (const username of ['deptadmin', 'supervisor']) {
      const session = await login(platform.app, username);
      expect((await call(session, 'GET', '/api/v1/admin/webhooks')).statusCode).toBe(403);
      expect((await call(session, 'POST', '/api/v1/admin/webhooks', { clientId, url: 'https://x.example.cn/', eventTypes: ['case.status_changed'] })).statusCode).toBe(403);
    }
    expect((await call(applicant, 'GET', '/api/v1/admin/outbox/stats')).statusCode).toBe(403);
  });

  it('lists its deliveries with status, attempts and last error, and retries failed ones', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(await statusChange(applicant.user.id, { applicantPhone: '13400134000' }));
    await dispatchAll();
    const [first, second] = await db().selectFrom('deliveries').select('id').where('target', '=', created.subscription.id).orderBy('id').execute();
    await db().updateTable('deliveries').set({ status: 'failed', attempts: 8, last_error: 'HTTP 503; gave up after 8 attempts' }).where('id', '=', first!.id).execute();

    const url = `/api/v1/admin/webhooks/${created.subscription.id}/deliveries`;
    const page1 = await call(admin, 'GET', `${url}?limit=2`);
    expect(page1.statusCode, page1.body).toBe(200);
    const body1 = page1.json() as { items: Array<{ id: number; eventId: number }>; nextCursor: string };
    expect(body1.items.map((d) => d.eventId)).toEqual([ids[2], ids[1]]);
    const page2 = (await call(admin, 'GET', `${url}?limit=2&cursor=${body1.nextCursor}`)).json() as { items: unknown[]; nextCursor: string | null };
    expect(page2.items).toEqual([{
      id: first!.id,
      eventId: ids[0],
      eventType: 'case.status_changed',
      channel: 'webhook',
      status: 'failed',
      attempts: 8,
      nextAttemptAt: null,
      lastError: 'HTTP 503; gave up after 8 attempts',
      deliveredAt: null,
      createdAt: expect.any(String),
    }]);
    expect(page2.nextCursor).toBeNull();
    const failed = (await call(admin, 'GET', `${url}?status=failed`)).json() as { items: Array<{ id: number }> };
    expect(failed.items.map((d) => d.id)).toEqual([first!.id]);
    // only the webhook's deliveries: the SMS of the same events is not listed here
    expect(page1.body).not.toContain('13400134000');

    const pending = await call(admin, 'POST', `/api/v1/admin/deliveries/${second!.id}/retry`);
    expect(pending.statusCode).toBe(409);
    expect(pending.json()).toMatchObject({ code: 'delivery_not_failed', detail: '只能重试已失败的投递（当前状态：pending）' });
    const retried = await call(admin, 'POST', `/api/v1/admin/deliveries/${first!.id}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ id: first!.id, status: 'pending', attempts: 0, nextAttemptAt: expect.any(String) });
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'events.delivery.retried').where('target_id', '=', String(first!.id)).executeTakeFirstOrThrow();
    expect(audit.detail).toEqual({ eventId: ids[0], channel: 'webhook', lastError: 'HTTP 503; gave up after 8 attempts' });

    expect((await call(admin, 'POST', '/api/v1/admin/deliveries/999999999/retry')).statusCode).toBe(404);
    expect((await call(admin, 'POST', '/api/v1/admin/deliveries/0/retry')).statusCode).toBe(400);
    expect((await call(admin, 'POST', '/api/v1/admin/deliveries/abc/retry')).statusCode).toBe(400);
    expect((await call(admin, 'GET', '/api/v1/admin/webhooks/0b5b7f0e-5d0c-4c1e-9a43-1f7b2d0c9e11/deliveries')).statusCode).toBe(404);
  });

  it('deactivates, once, and gives up what was still pending', async () => {
    const res = await call(admin, 'DELETE', `/api/v1/admin/webhooks/${created.subscription.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: created.subscription.id, active: false });
    const again = await call(admin, 'DELETE', `/api/v1/admin/webhooks/${created.subscription.id}`);
    expect(again.statusCode).toBe(200);
    const audits = await db().selectFrom('audit_log').selectAll().where('action', '=', 'events.webhook.deactivated').where('target_id', '=', created.subscription.id).execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]!.detail).toEqual({ abandonedDeliveries: 3 });
    const left = await db().selectFrom('deliveries').select('status').where('target', '=', created.subscription.id).where('status', '=', 'pending').execute();
    expect(left).toEqual([]);
    // new events no longer reach it
    const eventId = await statusChange(applicant.user.id);
    await dispatchAll();
    expect(await db().selectFrom('deliveries').select('id').where('event_id', '=', eventId).where('channel', '=', 'webhook').execute()).toEqual([]);
    expect((await call(admin, 'DELETE', '/api/v1/admin/webhooks/0b5b7f0e-5d0c-4c1e-9a43-1f7b2d0c9e11')).statusCode).toBe(404);
  });
});

describe('outbox stats', () => {
  it('shows what waits to be dispatched and delivered', async () => {
    await dispatchAll();
    const before = (await call(admin, 'GET', '/api/v1/admin/outbox/stats')).json() as Record<string, number | null>;
    expect(before).toMatchObject({ pendingEvents: 0, oldestPendingEventAgeSeconds: null, pendingDeliveries: expect.any(Number), failedDeliveries: expect.any(Number) });
    await statusChange(applicant.user.id, { applicantPhone: '13400134000' });
    const waiting = (await call(admin, 'GET', '/api/v1/admin/outbox/stats')).json() as Record<string, number | null>;
    expect(waiting.pendingEvents).toBe(1);
    expect(waiting.oldestPendingEventAgeSeconds).toBeGreaterThanOrEqual(0);
    await dispatchAll();
    const after = (await call(admin, 'GET', '/api/v1/admin/outbox/stats')).json() as Record<string, number | null>;
    expect(after.pendingEvents).toBe(0);
    // the SMS of that acceptance now waits for the worker
    expect(after.pendingDeliveries).toBe((before.pendingDeliveries as number) + 1);
  });
});
