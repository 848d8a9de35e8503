import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { as, createTestPlatform, login, type Session, type TestPlatform } from '../../../test/harness.js';
import { demoIdNumber } from '../../modules/demo/seed.js';

let platform: TestPlatform;
let admin: Session;
let deptadmin: Session;
beforeAll(async () => {
  platform = await createTestPlatform();
  admin = await login(platform.app, 'admin');
  deptadmin = await login(platform.app, 'deptadmin');
});
afterAll(() => platform.close());

let serial = 0;
/** A registration body for a person nobody has registered yet. */
function person(overrides: Record<string, unknown> = {}) {
  serial += 1;
  return {
    kind: 'natural',
    name: '赵六',
    idNumber: demoIdNumber('440306', '19920304', String(200 + serial).padStart(3, '0')),
    phone: `1360000${String(serial).padStart(4, '0')}`,
    password: 'Idem2026pass',
    ...overrides,
  };
}

function register(payload: unknown, key?: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return platform.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: payload as Record<string, unknown>,
    headers: { ...(key === undefined ? {} : { 'idempotency-key': key }), ...headers },
  });
}

async function accountsFor(idNumber: string): Promise<number> {
  const row = await platform.database.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('username', '=', idNumber)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('the same Idempotency-Key and body twice', () => {
  it('returns the first 201 answer again, marked as replayed, and creates one account', async () => {
    const body = person();
    const first = await register(body, 'reg-once-1');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const second = await register(body, 'reg-once-1');
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers['content-type']).toMatch(/^application\/json/);
    expect(second.json()).toEqual(first.json());
    expect(await accountsFor(body.idNumber)).toBe(1);

    // a third time too
    const third = await register(body, 'reg-once-1');
    expect(third.json()).toEqual(first.json());
  });

  it('treats the same fields in another order as the same body', async () => {
    const body = person();
    const first = await register(body, 'reg-order-1');
    expect(first.statusCode).toBe(201);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const second = await register(reordered, 'reg-order-1');
    expect(second.statusCode, second.body).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
  });

  it('replays a refusal as the same problem+json', async () => {
    const body = person({ phone: '123' });
    const first = await register(body, 'reg-bad-1');
    expect(first.statusCode).toBe(400);
    const second = await register(body, 'reg-bad-1');
    expect(second.statusCode).toBe(400);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(second.json()).toEqual(first.json());
  });

  it('without a key, a repeat is a new request (and a duplicate)', async () => {
    const body = person();
    expect((await register(body)).statusCode).toBe(201);
    const again = await register(body);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'account_exists' });
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('the same key with a different body', () => {
  it('is refused with 422 idempotency_key_reused and creates nothing', async () => {
    const first = person();
    expect((await register(first, 'reg-reuse-1')).statusCode).toBe(201);
    const other = person();
    const res = await register(other, 'reg-reuse-1');
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 422, code: 'idempotency_key_reused', title: '该幂等键已用于另一个请求内容' });
    expect(await accountsFor(other.idNumber)).toBe(0);
    // in English too
    const en = await register(other, 'reg-reuse-1', { 'accept-language': 'en' });
    expect(en.json()).toMatchObject({ code: 'idempotency_key_reused', title: 'This Idempotency-Key was already used with a different request' });
  });

  it('counts a change in one field as a different body', async () => {
    const body = person();
    expect((await register(body, 'reg-reuse-2')).statusCode).toBe(201);
    const res = await register({ ...body, name: '赵六六' }, 'reg-reuse-2');
    expect(res.statusCode).toBe(422);
  });
});

describe('concurrent duplicates', () => {
  it('two identical requests at once create exactly one account, and neither gets a 5xx', async () => {
    const body = person();
    const results = await Promise.all([register(body, 'reg-race-1'), register(body, 'reg-race-1')]);
    for (const res of results) {
      expect(res.statusCode, res.body).toBeLessThan(500);
      expect([201, 409]).toContain(res.statusCode);
    }
    expect(results.filter((r) => r.statusCode === 201 && r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    for (const res of results.filter((r) => r.statusCode === 409)) expect(res.json()).toMatchObject({ code: 'idempotency_in_progress' });
    expect(await accountsFor(body.idNumber)).toBe(1);
    // once the first has finished, a retry gets its answer
    const retry = await register(body, 'reg-race-1');
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });

  it('eight identical requests at once still create one account', async () => {
    const body = person();
    const results = await Promise.all(Array.from({ length: 8 }, () => register(body, 'reg-race-8')));
    for (const res of results) expect(res.statusCode, res.body).toBeLessThan(500);
    expect(results.filter((r) => r.statusCode === 201 && r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect(await accountsFor(body.idNumber)).toBe(1);
  });

  it('two different keys for the same person at once: one account, the other a clean 409', async () => {
    const body = person();
    const results = await Promise.all([register(body, 'reg-race-a'), register(body, 'reg-race-b')]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json()).toMatchObject({ code: 'account_exists' });
    expect(await accountsFor(body.idNumber)).toBe(1);
  });
});

describe('answers not worth replaying', () => {
  it('a 409 frees the key, so the client may retry with it', async () => {
    const taken = person();
    expect((await register(taken)).statusCode).toBe(201);
    const conflict = await register(taken, 'reg-409-1');
    expect(conflict.statusCode).toBe(409);
    const again = await register(taken, 'reg-409-1');
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });

  it('a 5xx frees the key, so the retry runs for real', async () => {
    const body = person();
    const spy = vi.spyOn(platform.services.identity, 'register').mockRejectedValueOnce(new Error('database went away'));
    try {
      const failed = await register(body, 'reg-500-1');
      expect(failed.statusCode).toBe(500);
    } finally {
      spy.mockRestore();
    }
    const retry = await register(body, 'reg-500-1');
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await accountsFor(body.idNumber)).toBe(1);
  });
});

describe('keys', () => {
  it('belong to the caller: two staff members may use the same key for different requests', async () => {
    const departmentId = deptadmin.user.departmentId!;
    const a = await as(platform.app, admin, {
      method: 'POST',
      url: '/api/v1/admin/staff',
      headers: { 'idempotency-key': 'shared-key' },
      payload: { username: 'idem_by_admin', name: 'A', departmentId, roles: ['approver'], password: 'Idem2026pass' },
    });
    expect(a.statusCode, a.body).toBe(201);
    const b = await as(platform.app, deptadmin, {
      method: 'POST',
      url: '/api/v1/admin/staff',
      headers: { 'idempotency-key': 'shared-key' },
      payload: { username: 'idem_by_dept', name: 'B', departmentId, roles: ['approver'], password: 'Idem2026pass' },
    });
    expect(b.statusCode, b.body).toBe(201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    // and a replay for the second caller is theirs, not the first caller's
    const replay = await as(platform.app, deptadmin, {
      method: 'POST',
      url: '/api/v1/admin/staff',
      headers: { 'idempotency-key': 'shared-key' },
      payload: { username: 'idem_by_dept', name: 'B', departmentId, roles: ['approver'], password: 'Idem2026pass' },
    });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toMatchObject({ username: 'idem_by_dept' });
  });

  it('a refused caller cannot use a key to read someone else\'s answer', async () => {
    const departmentId = deptadmin.user.departmentId!;
    const payload = { username: 'idem_secret', name: 'C', departmentId, roles: ['approver'], password: 'Idem2026pass' };
    expect((await as(platform.app, admin, { method: 'POST', url: '/api/v1/admin/staff', headers: { 'idempotency-key': 'admin-only' }, payload })).statusCode).toBe(201);
    const anonymous = await platform.app.inject({ method: 'POST', url: '/api/v1/admin/staff', headers: { 'idempotency-key': 'admin-only' }, payload });
    expect(anonymous.statusCode).toBe(401);
    const approver = await login(platform.app, 'approver');
    const wrongRole = await as(platform.app, approver, { method: 'POST', url: '/api/v1/admin/staff', headers: { 'idempotency-key': 'admin-only' }, payload });
    expect(wrongRole.statusCode).toBe(403);
  });

  it('refuses a key longer than 200 characters with 400', async () => {
    const res = await register(person(), 'k'.repeat(201));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('ignores an empty key', async () => {
    const body = person();
    expect((await register(body, '')).statusCode).toBe(201);
    expect((await register(body, '')).statusCode).toBe(409);
  });

  it('is ignored on routes that do not create things', async () => {
    const res = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'idempotency-key': 'login-1' }, payload: { username: 'nobody', password: 'x' } });
    expect(res.statusCode).toBe(401);
    const again = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'idempotency-key': 'login-1' }, payload: { username: 'approver', password: 'Demo@2026' } });
    expect(again.statusCode).toBe(200);
  });

  it('stores no plain hash of the body, which would let a stolen table verify password guesses', async () => {
    const body = person();
    expect((await register(body, 'reg-hash-1')).statusCode).toBe(201);
    const row = await platform.database.db.selectFrom('idempotency_keys').selectAll().where('key', '=', 'reg-hash-1').executeTakeFirstOrThrow();
    const plain = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(row.request_hash).not.toBe(plain(`POST /api/v1/auth/register\n${JSON.stringify(body)}`));
    expect(row.request_hash).not.toContain(body.password);
    expect(row.response_body).not.toContain(body.password);
    expect(row.response_body).not.toContain(body.idNumber);
  });
});

describe('a key older than the retention period', () => {
  it('is a new request: another body under it is processed, not refused as a reused key', async () => {
    const first = await register(person(), 'reg-expired-1');
    expect(first.statusCode, first.body).toBe(201);
    await platform.database.db
      .updateTable('idempotency_keys')
      .set({ created_at: new Date(Date.now() - 25 * 3600_000) })
      .where('key', '=', 'reg-expired-1')
      .execute();
    const body = person();
    const later = await register(body, 'reg-expired-1');
    expect(later.statusCode, later.body).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(await accountsFor(body.idNumber as string)).toBe(1);
    // and the key now answers for the new request
    const replay = await register(body, 'reg-expired-1');
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });
});
