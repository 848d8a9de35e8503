/**
 * The outbox and its dispatcher: events commit and roll back with the caller's transaction, are
 * fanned out once into messages and deliveries (templates per status, SMS only where citizens are
 * texted, webhook payloads without personal data), survive a crash before dispatch, and take
 * effect once with several dispatchers at work.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { caseStatusChanged, recordChanges } from '../../../test/event-fixtures.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import type { CaseStatus } from '../../platform/db/schema.js';
import { demoIdNumber } from '../demo/seed.js';
import { writeEvent, type CaseStatusChanged } from './outbox.js';
import { EventsService, type EventsSettings } from './service.js';
import * as store from './store.js';
import { TEXTED_STATUSES, caseNotice } from './templates.js';

let platform: TestPlatform;
let userId: string;
let subscriptionIds: string[];

const db = () => platform.database.db;
const instance = (settings: Partial<EventsSettings> = {}) => new EventsService(db(), platform.services.identity, { allowLoopbackHttp: true, ...settings });

const change = (overrides: Partial<CaseStatusChanged> = {}) => caseStatusChanged(userId, { applicantPhone: '13700137000', ...overrides });
const record = (...changes: CaseStatusChanged[]) => recordChanges(db(), ...changes);

async function drain(service: EventsService): Promise<number> {
  let total = 0;
  for (let n = -1; n !== 0;) {
    n = (await service.dispatchPending(50)).events;
    total += n;
  }
  return total;
}

const messagesOf = (eventIds: number[]) => db().selectFrom('messages').selectAll().where('event_id', 'in', eventIds).execute();
const deliveriesOf = (eventIds: number[]) => db().selectFrom('deliveries').selectAll().where('event_id', 'in', eventIds).orderBy('id').execute();

beforeAll(async () => {
  platform = await createTestPlatform({ demo: false, calendar: false });
  const person = await platform.services.identity.register(SYSTEM_ACTOR, { kind: 'natural', name: '李四', idNumber: demoIdNumber('440304', '19850315', '211'), phone: '13700137000', password: 'Passw0rd2026' });
  userId = person.id;
  const client = await platform.services.identity.createClient(SYSTEM_ACTOR, { name: '掌上通办', scopes: ['cases:read'] });
  const other = await platform.services.identity.createClient(SYSTEM_ACTOR, { name: '街道自助终端', scopes: ['cases:read'] });
  subscriptionIds = [];
  for (const [clientId, url] of [[client.client.id, 'https://app.example.cn/hooks/tongban'], [other.client.id, 'https://kiosk.example.cn/events']] as const) {
    const created = await platform.services.events.createWebhook(SYSTEM_ACTOR, { clientId, url, eventTypes: ['case.status_changed'] });
    subscriptionIds.push(created.subscription.id);
  }
  // neither of these may receive anything: one is deactivated, one wants another type
  const inactive = await platform.services.events.createWebhook(SYSTEM_ACTOR, { clientId: client.client.id, url: 'https://old.example.cn/hook', eventTypes: ['case.status_changed'] });
  await platform.services.events.deactivateWebhook(SYSTEM_ACTOR, inactive.subscription.id);
  await db().insertInto('webhook_subscriptions').values({ client_id: client.client.id, url: 'https://licenses.example.cn/hook', secret: 'whsec_x', event_types: ['license.issued'] }).execute();
});
afterAll(() => platform.close());

describe('writeEvent', () => {
  it('commits with the caller\'s transaction and rolls back with it', async () => {
    const kept = change();
    const lost = change();
    const [keptId] = await record(kept);
    await expect(db().transaction().execute(async (tx) => {
      await writeEvent(tx, { type: 'case.status_changed', aggregateType: 'case', aggregateId: lost.caseNumber, payload: lost });
      throw new Error('the status change failed');
    })).rejects.toThrow('the status change failed');

    const rows = await db().selectFrom('outbox_events').selectAll().where('aggregate_id', 'in', [kept.caseNumber, lost.caseNumber]).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: keptId, type: 'case.status_changed', aggregate_type: 'case', aggregate_id: kept.caseNumber, dispatched_at: null });
    expect(rows[0]!.payload).toEqual(kept);
  });

  it('takes any other event type with a plain JSON payload', async () => {
    const id = await writeEvent(db(), { type: 'license.issued', aggregateType: 'license', aggregateId: 'L-1', payload: { licenseId: 'L-1' } });
    expect(id).toBeGreaterThan(0);
    await drain(platform.services.events);
    // only the subscription asking for this type gets it; nobody gets a message
    const deliveries = await deliveriesOf([id]);
    expect(deliveries.map((d) => d.channel)).toEqual(['webhook']);
    expect(subscriptionIds).not.toContain(deliveries[0]!.target);
    expect(await messagesOf([id])).toEqual([]);
  });
});

describe('dispatchPending', () => {
  it('fans an acceptance out into a message, an SMS and one delivery per matching subscription, once', async () => {
    await drain(platform.services.events);
    const payload = change({ itemName: '食品经营许可（新办）' });
    const [eventId] = await record(payload);
    const round = await platform.services.events.dispatchPending(100);
    expect(round).toEqual({ events: 1, messages: 1, deliveries: 3 });

    const [message] = await messagesOf([eventId!]);
    expect(message).toMatchObject({
      user_id: userId,
      case_number: payload.caseNumber,
      title: '申请已受理',
      body: `您的办件 ${payload.caseNumber}（食品经营许可（新办））已受理，承诺办结日期 2026-12-03。`,
      read_at: null,
    });
    const event = await db().selectFrom('outbox_events').selectAll().where('id', '=', eventId!).executeTakeFirstOrThrow();
    expect(event.dispatched_at).not.toBeNull();
    // the message is dated when the status changed, so the box lists changes in their order
    expect(new Date(message!.created_at).getTime()).toBe(new Date(event.created_at).getTime());

    const deliveries = await deliveriesOf([eventId!]);
    expect(deliveries.filter((d) => d.channel === 'webhook').map((d) => d.target).sort()).toEqual([...subscriptionIds].sort());
    const sms = deliveries.find((d) => d.channel === 'sms')!;
    expect(sms).toMatchObject({ target: '13700137000', status: 'pending', attempts: 0 });
    expect(sms.payload).toEqual({ text: `【通办】${message!.body}` });

    // dispatched: a second round finds nothing and creates nothing
    expect(await platform.services.events.dispatchPending(100)).toEqual({ events: 0, messages: 0, deliveries: 0 });
    expect(await messagesOf([eventId!])).toHaveLength(1);
    expect(await deliveriesOf([eventId!])).toHaveLength(3);
  });

  it('sends channel systems the event without personal data', async () => {
    const payload = { ...change({ applicantEmail: 'li.si@example.cn' }), applicantIdentifier: '440304198503152117', applicantName: '李小四' };
    const [eventId] = await record(payload);
    await drain(platform.services.events);
    const webhook = (await deliveriesOf([eventId!])).find((d) => d.channel === 'webhook')!;
    const event = await db().selectFrom('outbox_events').select('created_at').where('id', '=', eventId!).executeTakeFirstOrThrow();
    expect(webhook.payload).toEqual({
      id: String(eventId),
      type: 'case.status_changed',
      createdAt: new Date(event.created_at).toISOString(),
      data: {
        caseNumber: payload.caseNumber,
        itemCode: payload.itemCode,
        itemName: payload.itemName,
        status: 'accepted',
        fromStatus: 'submitted',
        action: 'accept',
        at: payload.at,
        departmentId: payload.departmentId,
        deadline: '2026-12-03',
        applicantIdentifier: '440***********2117',
        applicantName: '李*四',
      },
    });
    const text = JSON.stringify(webhook.payload);
    for (const secret of ['13700137000', 'li.si@example.cn', userId, '440304198503152117']) expect(text).not.toContain(secret);
    // the e-mail goes to the address, with the message's words
    const email = (await deliveriesOf([eventId!])).find((d) => d.channel === 'email')!;
    expect(email).toMatchObject({ target: 'li.si@example.cn', payload: { subject: '申请已受理', text: expect.stringContaining('已受理') } });
  });

  it('has a message for every status, and texts only where citizens need to hear', async () => {
    const statuses: CaseStatus[] = ['submitted', 'correction_requested', 'not_accepted', 'accepted', 'accepted_with_deficiency', 'in_review', 'suspended', 'approved', 'denied', 'delivered', 'withdrawn'];
    const changes = statuses.map((status) => change({ status, deadline: status === 'submitted' ? null : '2026-12-03' }));
    const ids = await record(...changes);
    await drain(platform.services.events);
    const messages = await messagesOf(ids);
    const deliveries = await deliveriesOf(ids);
    expect(messages).toHaveLength(statuses.length);
    const titles = new Set<string>();
    for (const [i, status] of statuses.entries()) {
      const message = messages.find((m) => m.event_id === ids[i])!;
      expect(message.body, status).toContain(`您的办件 ${changes[i]!.caseNumber}（食品经营许可）`);
      titles.add(message.title);
      const texted = deliveries.some((d) => d.event_id === ids[i] && d.channel === 'sms');
      expect(texted, status).toBe(TEXTED_STATUSES.has(status));
    }
    expect(titles.size).toBe(statuses.length);
    expect([...TEXTED_STATUSES].sort()).toEqual(['accepted', 'accepted_with_deficiency', 'approved', 'correction_requested', 'delivered', 'denied', 'not_accepted']);
    expect(caseNotice(change({ status: 'accepted', deadline: null })).body).toMatch(/已受理。$/);
    expect(caseNotice(changes[4]!).body).toContain('已容缺受理，承诺办结日期 2026-12-03，请在规定期限内补齐所缺材料');
  });

  it('skips what it cannot address without holding up the rest of the batch', async () => {
    const good = change();
    const ids = await record(
      change({ applicantUserId: '0b5b7f0e-5d0c-4c1e-9a43-1f7b2d0c9e11' }), // no such account
      change({ applicantUserId: 'not-a-uuid', applicantPhone: '12345' }), // neither addressable
      good,
    );
    // a payload this version cannot read: webhooks only
    const [odd] = await db().transaction().execute(async (tx) => [await writeEvent(tx, { type: 'case.status_changed', aggregateType: 'case', aggregateId: 'x', payload: { caseNumber: 'x', itemName: '?', status: 'archived' } as unknown as CaseStatusChanged })]);
    expect(await drain(platform.services.events)).toBe(4);
    const messages = await messagesOf([...ids, odd!]);
    expect(messages.map((m) => m.event_id)).toEqual([ids[2]]);
    const deliveries = await deliveriesOf([...ids, odd!]);
    expect(deliveries.filter((d) => d.channel === 'sms').map((d) => d.event_id)).toEqual([ids[0], ids[2]]);
    expect(deliveries.filter((d) => d.event_id === odd).map((d) => d.channel)).toEqual(['webhook', 'webhook']);
  });
});

describe('a crash between the status change and its notification', () => {
  it('loses nothing: a restarted instance dispatches the committed event, exactly once', async () => {
    await drain(platform.services.events);
    const [eventId] = await record(change({ status: 'approved', deadline: null }));
    // the instance that wrote it "crashes" here: nothing dispatched it
    const restarted = instance();
    expect(await drain(restarted)).toBe(1);
    // the old instance coming back (or a third) finds nothing left to do
    expect(await drain(platform.services.events)).toBe(0);
    const messages = await messagesOf([eventId!]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ title: '审批通过', user_id: userId });
    expect((await deliveriesOf([eventId!])).map((d) => d.channel).sort()).toEqual(['sms', 'webhook', 'webhook']);
  });
});

describe('several dispatchers at once', () => {
  it('dispatch 200 events concurrently with one message per event and one delivery per subscription', async () => {
    await drain(platform.services.events);
    const ids = await record(...Array.from({ length: 200 }, () => change()));
    const dispatchers = [instance(), instance()];
    const taken = [0, 0];
    await Promise.all(dispatchers.map(async (d, i) => {
      // a dispatcher that finds nothing may only mean the other holds the rest: stop when none is left
      for (;;) {
        const round = await d.dispatchPending(7);
        taken[i]! += round.events;
        if (round.events === 0 && (await store.outboxStats(db(), new Date())).pendingEvents === 0) return;
      }
    }));
    expect(taken[0]! + taken[1]!).toBe(200);
    expect(taken[0]).toBeGreaterThan(0);
    expect(taken[1]).toBeGreaterThan(0);

    const messages = await messagesOf(ids);
    expect(messages).toHaveLength(200);
    expect(new Set(messages.map((m) => m.event_id)).size).toBe(200);
    const deliveries = await deliveriesOf(ids);
    for (const subscriptionId of subscriptionIds) {
      const mine = deliveries.filter((d) => d.target === subscriptionId);
      expect(mine).toHaveLength(200);
      expect(new Set(mine.map((d) => d.event_id)).size).toBe(200);
    }
    expect(deliveries.filter((d) => d.channel === 'sms')).toHaveLength(200);
    const undispatched = await db().selectFrom('outbox_events').select('id').where('id', 'in', ids).where('dispatched_at', 'is', null).execute();
    expect(undispatched).toEqual([]);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('passes over events another dispatcher holds instead of waiting for them (PostgreSQL)', async () => {
    await drain(platform.services.events);
    const ids = await record(...Array.from({ length: 10 }, () => change()));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let claimed: number[] = [];
    const slow = db().transaction().execute(async (tx) => {
      claimed = (await store.claimEvents(tx, 4)).map((e) => e.id);
      await held;
    });
    while (claimed.length === 0) await new Promise((r) => setTimeout(r, 5));
    // the other dispatcher does not block on the four held rows: it takes the six others at once
    const started = Date.now();
    const round = await instance().dispatchPending(100);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(round.events).toBe(6);
    release();
    await slow;
    expect(claimed).toEqual(ids.slice(0, 4));
    const pending = await db().selectFrom('outbox_events').select('id').where('dispatched_at', 'is', null).orderBy('id').execute();
    expect(pending.map((p) => p.id)).toEqual(ids.slice(0, 4));
    expect(await drain(instance())).toBe(4);
    expect(await messagesOf(ids)).toHaveLength(10);
  });
});

describe('outbox stats', () => {
  it('counts pending events and deliveries and the age of the oldest', async () => {
    await drain(platform.services.events);
    await sql`UPDATE deliveries SET status = 'delivered' WHERE status = 'pending'`.execute(db());
    const later = new Date(Date.now() + 90_000);
    const [eventId] = await record(change());
    const before = await store.outboxStats(db(), later);
    expect(before).toMatchObject({ pendingEvents: 1, pendingDeliveries: 0, oldestPendingDeliveryAgeSeconds: null });
    expect(before.oldestPendingEventAgeSeconds).toBeGreaterThanOrEqual(89);
    await drain(platform.services.events);
    const after = await store.outboxStats(db(), later);
    expect(after).toMatchObject({ pendingEvents: 0, oldestPendingEventAgeSeconds: null, pendingDeliveries: 3 });
    expect((await deliveriesOf([eventId!])).every((d) => d.status === 'pending')).toBe(true);
  });
});
