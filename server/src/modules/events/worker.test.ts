/**
 * The background loop: it dispatches and delivers on its own, never runs two rounds at once,
 * drains full batches within a round, survives a failing round, and stops cleanly (waiting for
 * the round in progress) when the app closes.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { caseStatusChanged, recordChanges } from '../../../test/event-fixtures.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { demoIdNumber } from '../demo/seed.js';
import type { EventLog } from './senders.js';
import type { DeliveryRound, DispatchRound, EventsService } from './service.js';
import { startEventWorkers } from './worker.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** A stand-in for the service whose rounds the test controls. */
function fakeEvents(dispatch: (call: number) => Promise<number>, deliver: () => Promise<number> = async () => 0) {
  const calls = { dispatch: 0, deliver: 0 };
  const events = {
    async dispatchPending(): Promise<DispatchRound> {
      return { events: await dispatch(++calls.dispatch), messages: 0, deliveries: 0 };
    },
    async deliverDue(): Promise<DeliveryRound> {
      calls.deliver += 1;
      return { claimed: await deliver(), delivered: 0, retrying: 0, failed: 0 };
    },
  } as unknown as EventsService;
  return { services: { events }, calls };
}

describe('startEventWorkers on the real service', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ demo: false, calendar: false });
  });
  afterAll(() => platform.close());

  it('turns a committed status change into a message and a sent SMS, and does nothing after stop', async () => {
    const db = platform.database.db;
    const userId = (await platform.services.identity.register(SYSTEM_ACTOR, { kind: 'natural', name: '赵六', idNumber: demoIdNumber('440304', '19880808', '417'), phone: '13500135000', password: 'Passw0rd2026' })).id;
    const write = async () => (await recordChanges(db, caseStatusChanged(userId, { status: 'denied', fromStatus: 'in_review', action: 'decide', applicantPhone: '13500135000', deadline: null })))[0]!;
    const first = await write();
    const workers = startEventWorkers(platform.services, { intervalMs: 20 });
    try {
      await until(async () => (await db.selectFrom('deliveries').select('status').where('event_id', '=', first).executeTakeFirst())?.status === 'delivered');
      expect(await db.selectFrom('messages').select('title').where('event_id', '=', first).execute()).toEqual([{ title: '审批未通过' }]);
    } finally {
      await workers.stop();
    }
    const second = await write();
    await sleep(150);
    const row = await db.selectFrom('outbox_events').select('dispatched_at').where('id', '=', second).executeTakeFirstOrThrow();
    expect(row.dispatched_at).toBeNull();
  });
});

describe('the loop', () => {
  it('never runs two rounds at once, however short the interval', async () => {
    let inFlight = 0;
    let most = 0;
    const { services, calls } = fakeEvents(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await sleep(15);
      inFlight -= 1;
      return 0;
    });
    const workers = startEventWorkers(services, { intervalMs: 1 });
    await until(() => calls.dispatch >= 5);
    await workers.stop();
    expect(most).toBe(1);
    expect(calls.deliver).toBeGreaterThanOrEqual(4);
  });

  it('takes batch after batch within a round while they come full', async () => {
    const { services, calls } = fakeEvents(async (call) => (call <= 2 ? 10 : 3));
    const workers = startEventWorkers(services, { intervalMs: 200, dispatchBatch: 10 });
    await until(() => calls.dispatch === 3);
    // the third batch was not full: the loop waits for the next round
    await sleep(100);
    expect(calls.dispatch).toBe(3);
    await workers.stop();
  });

  it('keeps dispatching while a delivery round hangs on a slow receiver', async () => {
    let release!: () => void;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    const { services, calls } = fakeEvents(async () => 0, async () => {
      await hanging;
      return 0;
    });
    const workers = startEventWorkers(services, { intervalMs: 5 });
    await until(() => calls.dispatch >= 5);
    expect(calls.deliver).toBe(1);
    release();
    await workers.stop();
  });

  it('logs a failed round (the message only) and carries on', async () => {
    const logged: Array<{ obj: unknown; msg: string }> = [];
    const log = { error: (obj: unknown, msg: string) => logged.push({ obj, msg }), info: () => undefined, warn: () => undefined } as unknown as EventLog;
    const { services, calls } = fakeEvents(async (call) => {
      if (call === 1) throw new Error('connection terminated');
      return 0;
    });
    const workers = startEventWorkers(services, { intervalMs: 5, log });
    await until(() => calls.dispatch >= 3);
    await workers.stop();
    expect(logged).toEqual([{ obj: { error: 'connection terminated' }, msg: 'event dispatch round failed; retrying next round' }]);
  });

  it('stops with the app: closing waits for the round in progress, and no round starts after', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    const { services, calls } = fakeEvents(async () => {
      await blocked;
      finished = true;
      return 0;
    });
    const app = Fastify({ logger: false });
    const workers = startEventWorkers(services, { intervalMs: 5 });
    app.addHook('onClose', () => workers.stop());
    await app.ready();
    await until(() => calls.dispatch === 1);
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await sleep(30);
    expect(closed).toBe(false);
    release();
    await closing;
    expect(finished).toBe(true);
    const after = calls.dispatch + calls.deliver;
    await sleep(50);
    expect(calls.dispatch + calls.deliver).toBe(after);
  });
});
