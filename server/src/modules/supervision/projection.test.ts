/**
 * Supervision's projection: the demo's case events replayed from the start of the outbox, each
 * event applied once even with two consumers at work, and the rules that turn events into facts,
 * roll-ups and anomalies (hand-made events written as the case module writes them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { writeEvent, type CaseStatusChanged } from '../events/outbox.js';
import { SupervisionService } from './service.js';

let platform: TestPlatform;
let departmentId: string;
let regionPath: string;
let serial = 0;

const db = () => platform.database.db;
const instance = () => new SupervisionService(db(), platform.services, { gapGraceMs: 0 });

function change(caseNumber: string, overrides: Partial<CaseStatusChanged>): CaseStatusChanged {
  return {
    caseNumber,
    itemCode: 'TESTITEM-001',
    itemName: '测试许可事项',
    status: 'submitted',
    fromStatus: null,
    action: 'submit',
    at: '2026-11-02T02:00:00.000Z',
    departmentId,
    regionPath,
    channel: 'online',
    caseKind: '2',
    applicantKind: 'natural',
    promisedDays: 5,
    commitment: false,
    submittedAt: '2026-11-02T02:00:00.000Z',
    deadline: null,
    ...overrides,
  };
}

async function record(...changes: Array<CaseStatusChanged & { type?: string }>): Promise<void> {
  await db().transaction().execute(async (tx) => {
    for (const { type, ...payload } of changes) await writeEvent(tx, { type: type ?? 'case.status_changed', aggregateType: 'case', aggregateId: payload.caseNumber, payload });
  });
}

const nextNumber = () => `TESTCASE${String(++serial).padStart(6, '0')}`;
const fact = (n: string) => db().selectFrom('supervision_case_facts').selectAll().where('case_number', '=', n).executeTakeFirstOrThrow();
const alertsOf = (n: string) => db().selectFrom('supervision_alerts').select(['kind', 'level']).where('case_number', '=', n).orderBy('kind').execute();

beforeAll(async () => {
  platform = await createTestPlatform();
  const departments = await platform.services.org.listDepartments();
  const dept = departments.find((d) => d.name === '深圳市市场监督管理局') ?? departments[0]!;
  departmentId = dept.id;
  regionPath = (await platform.services.org.departmentScope(dept.id)).regionPath;
});
afterAll(() => platform.close());

describe('replay of the demo outbox', () => {
  it('projects every demo case from the start of the outbox, with two consumers at once applying each event once', async () => {
    const cases = await db().selectFrom('outbox_events').select('aggregate_id').distinct().where('type', '=', 'case.status_changed').execute();
    expect(cases.length).toBeGreaterThan(3);
    const a = instance();
    const b = instance();
    // small batches, both instances interleaving
    await Promise.all([a.catchUp(3), b.catchUp(3)]);
    const facts = await db().selectFrom('supervision_case_facts').select('case_number').execute();
    expect(new Set(facts.map((f) => f.case_number))).toEqual(new Set(cases.map((c) => c.aggregate_id)));
    const totals = await db().selectFrom('supervision_daily').select((eb) => [eb.fn.sum<number>('received').as('received')]).executeTakeFirstOrThrow();
    expect(Number(totals.received)).toBe(cases.length);
    const last = await db().selectFrom('outbox_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
    expect(await platform.services.events.cursor('supervision')).toBe(Number(last.id));
    // the case module's own events form unbroken chains: no status change without its event
    const gaps = await db().selectFrom('supervision_alerts').select('kind').where('kind', 'in', ['history_gap', 'step_skipped']).execute();
    expect(gaps).toEqual([]);
    // a further run applies nothing again
    expect(await a.catchUp()).toBe(0);
    const again = await db().selectFrom('supervision_daily').select((eb) => [eb.fn.sum<number>('received').as('received')]).executeTakeFirstOrThrow();
    expect(Number(again.received)).toBe(cases.length);
  });

  it('carries the supervision facts in the case module\'s own events (region, channel, kind, actor)', async () => {
    const ev = await db().selectFrom('outbox_events').select('payload').where('type', '=', 'case.status_changed').orderBy('id').executeTakeFirstOrThrow();
    const p = ev.payload as unknown as CaseStatusChanged;
    expect(p.regionPath).toMatch(/^\d{6}/);
    expect(['online', 'window']).toContain(p.channel);
    expect(['1', '2']).toContain(p.caseKind);
    expect(typeof p.submittedAt).toBe('string');
  });
});

describe('rules', () => {
  it('a case decided on time: accepted, handled in working days, counted once in the day\'s roll-up', async () => {
    const n = nextNumber();
    await record(
      change(n, {}),
      change(n, { status: 'accepted', fromStatus: 'submitted', action: 'accept', at: '2026-11-02T03:00:00.000Z', acceptedOn: '2026-11-02', deadline: '2026-11-09' }),
      change(n, { status: 'in_review', fromStatus: 'accepted', action: 'claim', at: '2026-11-03T03:00:00.000Z', actorKind: 'staff', actorId: '00000000-0000-4000-8000-000000000001', stepIndex: 0 } as never),
      change(n, { status: 'approved', fromStatus: 'in_review', action: 'approve', at: '2026-11-05T03:00:00.000Z', stepIndex: 0, deadline: '2026-11-09' }),
    );
    await instance().catchUp();
    const f = await fact(n);
    expect(f.status).toBe('approved');
    expect(f.open).toBe(false);
    expect(f.on_time).toBe(true);
    // accepted Monday 2 November; decided Thursday 5 November: 3 working days
    expect(f.handling_workdays).toBe(3);
    expect(f.handler_id).toBe('00000000-0000-4000-8000-000000000001');
    const day = await db().selectFrom('supervision_daily').selectAll().where('item_code', '=', 'TESTITEM-001').where('day', '=', '2026-11-05').executeTakeFirstOrThrow();
    expect(day.decided).toBe(1);
    expect(day.decided_on_time).toBe(1);
    expect(Number(day.handling_days_sum)).toBe(3);
    expect(await alertsOf(n)).toEqual([]);
  });

  it('flags instant decisions, commitment, correction notices and refusals', async () => {
    const instant = nextNumber();
    const committed = nextNumber();
    const corrected = nextNumber();
    const refused = nextNumber();
    await record(
      change(instant, { caseKind: '1', promisedDays: 0 }),
      change(instant, { status: 'accepted', fromStatus: 'submitted', action: 'accept', at: '2026-11-02T02:00:01.000Z', acceptedOn: '2026-11-02', deadline: '2026-11-02' }),
      change(instant, { status: 'approved', fromStatus: 'accepted', action: 'instant_decision', actorKind: 'system', at: '2026-11-02T02:00:02.000Z' }),
      change(committed, { commitment: true }),
      change(committed, { status: 'accepted', fromStatus: 'submitted', action: 'accept', at: '2026-11-02T03:00:00.000Z', acceptedOn: '2026-11-02', deadline: '2026-11-09', commitment: true }),
      change(committed, { status: 'approved', fromStatus: 'accepted', action: 'approve', at: '2026-11-03T03:00:00.000Z', commitment: true }),
      change(corrected, {}),
      change(corrected, { status: 'correction_requested', fromStatus: 'submitted', action: 'request_correction', at: '2026-11-02T04:00:00.000Z' }),
      change(refused, {}),
      change(refused, { status: 'not_accepted', fromStatus: 'submitted', action: 'not_accept', at: '2026-11-02T04:00:00.000Z' }),
    );
    await instance().catchUp();
    expect((await fact(instant)).instant).toBe(true);
    expect((await fact(committed)).commitment).toBe(true);
    expect((await fact(committed)).instant).toBe(false);
    expect((await fact(corrected)).corrected).toBe(true);
    expect((await fact(refused)).refused).toBe(true);
    expect((await fact(refused)).open).toBe(false);
  });

  it('raises anomalies: status change without history, deadline extended twice, skipped step, acceptance outside office hours', async () => {
    const gap = nextNumber();
    const extended = nextNumber();
    const skipped = nextNumber();
    const night = nextNumber();
    await record(
      change(gap, {}),
      // submitted → (accepted never reported) → in_review
      change(gap, { status: 'in_review', fromStatus: 'accepted', action: 'complete_step', at: '2026-11-03T03:00:00.000Z' }),
      change(extended, {}),
      change(extended, { status: 'accepted', fromStatus: 'submitted', action: 'accept', at: '2026-11-02T03:00:00.000Z', acceptedOn: '2026-11-02', deadline: '2026-11-09' }),
      change(extended, { status: 'suspended', fromStatus: 'accepted', action: 'suspend', at: '2026-11-03T03:00:00.000Z', deadline: '2026-11-09' }),
      change(extended, { status: 'accepted', fromStatus: 'suspended', action: 'resume', at: '2026-11-04T03:00:00.000Z', deadline: '2026-11-10', suspendedWorkdays: 1 }),
      change(extended, { status: 'suspended', fromStatus: 'accepted', action: 'suspend', at: '2026-11-05T03:00:00.000Z', deadline: '2026-11-10' }),
      change(extended, { status: 'accepted', fromStatus: 'suspended', action: 'resume', at: '2026-11-06T03:00:00.000Z', deadline: '2026-11-11', suspendedWorkdays: 2 }),
      change(skipped, {}),
      change(skipped, { status: 'accepted', fromStatus: 'submitted', action: 'accept', at: '2026-11-02T03:00:00.000Z', acceptedOn: '2026-11-02', deadline: '2026-11-09' }),
      change(skipped, { status: 'approved', fromStatus: 'accepted', action: 'approve', at: '2026-11-03T03:00:00.000Z', stepIndex: 2 }),
      change(night, {}),
      // 23:30 in Shanghai
      change(night, { status: 'accepted', fromStatus: 'submitted', action: 'accept', at: '2026-11-02T15:30:00.000Z', acceptedOn: '2026-11-02', deadline: '2026-11-09' }),
    );
    await instance().catchUp();
    expect(await alertsOf(gap)).toEqual([{ kind: 'history_gap', level: 'anomaly' }]);
    expect(await alertsOf(extended)).toEqual([{ kind: 'deadline_extended', level: 'anomaly' }]);
    expect((await fact(extended)).deadline_extensions).toBe(2);
    expect(await alertsOf(skipped)).toEqual([{ kind: 'step_skipped', level: 'anomaly' }]);
    expect(await alertsOf(night)).toEqual([{ kind: 'accepted_off_hours', level: 'anomaly' }]);
  });

  it('waits at a gap in the outbox ids until it is old enough (an earlier transaction may still commit)', async () => {
    const patient = new SupervisionService(db(), platform.services, { gapGraceMs: 60_000 });
    await instance().catchUp();
    const before = await platform.services.events.cursor('supervision');
    // an id drawn and rolled back leaves a hole, as a transaction still in flight would
    await db().transaction().execute(async (tx) => {
      await writeEvent(tx, { type: 'case.status_changed', aggregateType: 'case', aggregateId: 'x', payload: change('ROLLEDBACK', {}) });
      throw new Error('rollback');
    }).catch(() => undefined);
    const n = nextNumber();
    await record(change(n, {}));
    expect(await patient.project()).toBe(0);
    expect(await platform.services.events.cursor('supervision')).toBe(before);
    // once the gap is older than the grace, it is passed over
    expect(await instance().project()).toBe(1);
    expect((await fact(n)).status).toBe('submitted');
  });
});

describe('demo history', () => {
  it('writes months of synthetic history into supervision\'s own tables once (set-based)', async () => {
    const service = instance();
    expect(await service.seedDemoHistory()).toBe(true);
    expect(await service.seedDemoHistory()).toBe(false);
    const decided = await db().selectFrom('supervision_case_facts').select((eb) => eb.fn.countAll<number>().as('n')).where('case_number', 'like', 'DEMOD%').executeTakeFirstOrThrow();
    expect(Number(decided.n)).toBe(4000);
    const rolled = await db().selectFrom('supervision_daily').select((eb) => eb.fn.sum<number>('decided').as('n')).where('item_code', 'like', 'DEMO-%').executeTakeFirstOrThrow();
    expect(Number(rolled.n)).toBe(4000);
    const late = await db().selectFrom('supervision_case_facts').select((eb) => eb.fn.countAll<number>().as('n')).where('case_number', 'like', 'DEMOD%').where('on_time', '=', false).executeTakeFirstOrThrow();
    expect(Number(late.n)).toBeGreaterThan(0);
    expect(Number(late.n)).toBeLessThan(1000);
  });
});
