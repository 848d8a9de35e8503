import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import smCrypto from 'sm-crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.js';
import type { Db } from '../../platform/db/database.js';
import fc from 'fast-check';
import { AccessLogWriter, canonicalReference, canonicalRow, verifyAccessLog, type AccessEntry, type HashedRow } from './access-log.js';

let platform: TestPlatform;
let db: Db;

beforeAll(async () => {
  platform = await createTestPlatform({ demo: false, calendar: false });
  db = platform.database.db;
});
afterAll(() => platform.close());

const disableTrigger = () => sql`ALTER TABLE sharing_access_log DISABLE TRIGGER sharing_access_log_no_change`.execute(db);
const enableTrigger = () => sql`ALTER TABLE sharing_access_log ENABLE TRIGGER sharing_access_log_no_change`.execute(db);

const CHAINS = [randomUUID(), randomUUID(), randomUUID()];
let serial = 0;

function entry(resourceId: string, overrides: Partial<AccessEntry> = {}): AccessEntry {
  serial++;
  return {
    at: new Date(Date.UTC(2026, 4, 6, 8, 0, 0, serial)),
    requestId: randomUUID(),
    kind: 'lookup',
    actor: `client:${randomUUID()}`,
    consumerDepartmentId: randomUUID(),
    resourceId,
    providerDepartmentId: randomUUID(),
    subjectHash: `h${serial}`.padEnd(64, '0'),
    subjectMasked: '440***********1233',
    caseRef: `TB2026050600${String(serial).padStart(4, '0')}`,
    purpose: '测试',
    consentId: null,
    grantId: randomUUID(),
    outcome: 'ok',
    reason: null,
    fields: ['name', 'gender'],
    responseDigest: 'd'.repeat(64),
    ...overrides,
  };
}

function rows() {
  return db.selectFrom('sharing_access_log').selectAll().orderBy('id').execute();
}

/** Independent restatement of the hash: SM3 (sm-crypto) over prev_hash, a line feed and the row's columns as sorted-key JSON. */
function sortedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

describe('the access-log hash chains', () => {
  beforeEach(async () => {
    const writer = new AccessLogWriter(db);
    if ((await rows()).length === 0) {
      await Promise.all(Array.from({ length: 30 }, (_, i) => writer.append(entry(CHAINS[i % 3]!, i === 7 ? { outcome: 'refused', reason: 'no_grant', grantId: null, responseDigest: null } : {}))));
    }
  });

  it('numbers each chain\'s entries 1, 2, 3 … and links them by SM3 over the canonical row', async () => {
    const all = await rows();
    expect(all).toHaveLength(30);
    for (const chain of CHAINS) {
      const own = all.filter((r) => r.chain === chain);
      expect(own.map((r) => Number(r.seq))).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      let prev = '0'.repeat(64);
      for (const r of own) {
        expect(r.prev_hash).toBe(prev);
        const { id: _id, prev_hash: _p, hash, at, seq, ...rest } = r;
        const content = sortedJson({ ...rest, seq: Number(seq), at: new Date(at).toISOString() });
        expect(hash).toBe(smCrypto.sm3(`${prev}\n${content}`));
        prev = hash;
      }
      const head = await db.selectFrom('sharing_log_heads').selectAll().where('chain', '=', chain).executeTakeFirstOrThrow();
      expect({ seq: Number(head.seq), hash: head.hash }).toEqual({ seq: 10, hash: prev });
    }
    expect(all.find((r) => r.outcome === 'refused')).toMatchObject({ reason: 'no_grant', grant_id: null, response_digest: null });
  });

  it('verifies an untouched log in any batch size', async () => {
    expect(await verifyAccessLog(db)).toEqual({ ok: true, checked: 30, chains: 3 });
    expect(await verifyAccessLog(db, 4)).toEqual({ ok: true, checked: 30, chains: 3 });
    expect(await verifyAccessLog(db, 1)).toEqual({ ok: true, checked: 30, chains: 3 });
  });

  it('refuses UPDATE and DELETE through the application (append-only trigger)', async () => {
    const [first] = await rows();
    await expect(sql`UPDATE sharing_access_log SET case_ref = 'X' WHERE id = ${first!.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM sharing_access_log WHERE id = ${first!.id}`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('finds an entry altered behind the trigger, and a forged hash at the next link', async () => {
    const all = await rows();
    const victim = all[12]!;
    await disableTrigger();
    try {
      await sql`UPDATE sharing_access_log SET consumer_department_id = ${randomUUID()} WHERE id = ${victim.id}`.execute(db);
      expect(await verifyAccessLog(db)).toMatchObject({ ok: false, firstBrokenId: victim.id, chain: victim.chain, reason: 'hash_mismatch' });
      // re-hash the altered entry: the next entry of its chain no longer links
      await sql`UPDATE sharing_access_log SET hash = ${'f'.repeat(64)} WHERE id = ${victim.id}`.execute(db);
      const next = all.find((r) => r.chain === victim.chain && Number(r.seq) === Number(victim.seq) + 1)!;
      const result = await verifyAccessLog(db);
      expect(result.ok).toBe(false);
      expect([victim.id, next.id]).toContain(result.firstBrokenId);
      await sql`UPDATE sharing_access_log SET consumer_department_id = ${victim.consumer_department_id}, hash = ${victim.hash} WHERE id = ${victim.id}`.execute(db);
      expect((await verifyAccessLog(db)).ok).toBe(true);
    } finally {
      await enableTrigger();
    }
  });

  it('finds a deleted middle entry (a gap in the chain\'s numbers)', async () => {
    const all = await rows();
    const victim = all[15]!;
    await disableTrigger();
    try {
      await db.deleteFrom('sharing_access_log').where('id', '=', victim.id).execute();
      const next = all.find((r) => r.chain === victim.chain && Number(r.seq) === Number(victim.seq) + 1)!;
      expect(await verifyAccessLog(db)).toMatchObject({ ok: false, firstBrokenId: next.id, reason: 'seq_gap' });
      await db.insertInto('sharing_access_log').values({ ...victim, at: victim.at, fields: victim.fields }).execute();
      expect((await verifyAccessLog(db)).ok).toBe(true);
    } finally {
      await enableTrigger();
    }
  });

  it('finds entries cut off the end of a chain (the head remembers)', async () => {
    const all = await rows();
    const lastOfChain = all.filter((r) => r.chain === CHAINS[1]).at(-1)!;
    await disableTrigger();
    try {
      await db.deleteFrom('sharing_access_log').where('id', '=', lastOfChain.id).execute();
      expect(await verifyAccessLog(db)).toMatchObject({ ok: false, chain: CHAINS[1], reason: 'head_mismatch' });
      await db.insertInto('sharing_access_log').values({ ...lastOfChain }).execute();
      expect((await verifyAccessLog(db)).ok).toBe(true);
    } finally {
      await enableTrigger();
    }
    // a head moved back without the entries it names is found as well
    const head = await db.selectFrom('sharing_log_heads').selectAll().where('chain', '=', CHAINS[2]!).executeTakeFirstOrThrow();
    await db.updateTable('sharing_log_heads').set({ hash: 'e'.repeat(64) }).where('chain', '=', CHAINS[2]!).execute();
    expect(await verifyAccessLog(db)).toMatchObject({ ok: false, chain: CHAINS[2], reason: 'head_mismatch' });
    await db.updateTable('sharing_log_heads').set({ hash: head.hash }).where('chain', '=', CHAINS[2]!).execute();
    expect((await verifyAccessLog(db)).ok).toBe(true);
  });

  it('finds an instant altered below the millisecond', async () => {
    const victim = (await rows())[4]!;
    await disableTrigger();
    try {
      await sql`UPDATE sharing_access_log SET at = at + interval '1 microsecond' WHERE id = ${victim.id}`.execute(db);
      expect(await verifyAccessLog(db)).toMatchObject({ ok: false, firstBrokenId: victim.id, reason: 'hash_mismatch' });
      await sql`UPDATE sharing_access_log SET at = at - interval '1 microsecond' WHERE id = ${victim.id}`.execute(db);
      expect((await verifyAccessLog(db)).ok).toBe(true);
    } finally {
      await enableTrigger();
    }
  });

  it('finds an entry moved to another chain', async () => {
    const all = await rows();
    const a = all.find((r) => r.chain === CHAINS[0] && Number(r.seq) === 3)!;
    await disableTrigger();
    try {
      await sql`UPDATE sharing_access_log SET chain = ${CHAINS[2]!}, seq = 11 WHERE id = ${a.id}`.execute(db);
      expect(await verifyAccessLog(db)).toMatchObject({ ok: false });
      await sql`UPDATE sharing_access_log SET chain = ${CHAINS[0]!}, seq = 3 WHERE id = ${a.id}`.execute(db);
      expect((await verifyAccessLog(db)).ok).toBe(true);
    } finally {
      await enableTrigger();
    }
  });
});

describe('the canonical row', () => {
  it('is exactly canonicalJson (the audit log\'s) of the row, for any values', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '张', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u2028', '\u{1F600}', '\ud800', '\udc00', ' ') });
    const maybe = fc.option(text, { nil: null });
    const row: fc.Arbitrary<HashedRow> = fc.record({
      chain: text, seq: fc.nat(), at: text, request_id: text, kind: fc.constantFrom('lookup', 'prefill'), actor: maybe,
      consumer_department_id: maybe, resource_id: text, provider_department_id: text, subject_hash: text, subject_masked: text,
      case_ref: maybe, purpose: maybe, consent_id: maybe, grant_id: maybe, outcome: fc.constantFrom('ok', 'not_found', 'refused', 'failed'),
      reason: maybe, fields: fc.array(text, { maxLength: 4 }), response_digest: maybe,
    });
    fc.assert(fc.property(row, (r) => {
      expect(canonicalRow(r)).toBe(canonicalReference(r));
    }), { numRuns: 500 });
  });
});

describe('concurrent writers', () => {
  it('keep every chain linear: two writers (two instances) appending 300 entries at once to 3 chains', async () => {
    const before = (await rows()).length;
    const chains = [randomUUID(), randomUUID(), randomUUID()];
    const writers = [new AccessLogWriter(db, { maxBatch: 50 }), new AccessLogWriter(db, { maxBatch: 7 })];
    await Promise.all(Array.from({ length: 300 }, (_, i) => writers[i % 2]!.append(entry(chains[i % 3]!))));
    const all = await rows();
    expect(all.length).toBe(before + 300);
    for (const chain of chains) {
      const seqs = all.filter((r) => r.chain === chain).map((r) => Number(r.seq));
      expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    }
    expect(await verifyAccessLog(db)).toMatchObject({ ok: true, checked: before + 300 });
  });

  it('writes one entry per transaction when maxBatch is 1 (the benchmark baseline), still linear', async () => {
    const chain = randomUUID();
    const writer = new AccessLogWriter(db, { maxBatch: 1 });
    await Promise.all(Array.from({ length: 20 }, () => writer.append(entry(chain))));
    const seqs = (await rows()).filter((r) => r.chain === chain).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await verifyAccessLog(db)).ok).toBe(true);
  });

  it('rejects every waiter of a batch that cannot be written, and carries on with the next', async () => {
    const writer = new AccessLogWriter(db, { maxBatch: 10 });
    const chain = randomUUID();
    const bad = entry(chain, { requestId: 'not-a-uuid' });
    const results = await Promise.allSettled([writer.append(bad), writer.append(entry(chain))]);
    expect(results[0]!.status).toBe('rejected');
    // the good entry shared the failed batch (it was rejected too) or was written after it
    const later = await writer.append(entry(chain)).then(() => 'ok');
    expect(later).toBe('ok');
    expect((await verifyAccessLog(db)).ok).toBe(true);
  });
});
