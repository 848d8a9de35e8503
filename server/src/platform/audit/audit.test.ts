import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, login, type Session, type TestPlatform } from '../../../test/harness.js';
import { demoCreditCode, demoIdNumber } from '../../modules/demo/seed.js';
import type { Db } from '../db/database.js';
import { canonicalJson, recordAudit, verifyAuditChain, type AuditActor } from './audit.js';

let platform: TestPlatform;
let db: Db;
let admin: Session;

beforeAll(async () => {
  platform = await createTestPlatform();
  db = platform.database.db;
  admin = await login(platform.app, 'admin');
});
afterAll(() => platform.close());

const ACTOR: AuditActor = { id: 'test-actor', kind: 'staff', ip: '198.51.100.9' };

/** Sorted-key JSON written independently of the code under test. */
function sortedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

function allRows() {
  return db.selectFrom('audit_log').selectAll().orderBy('id').execute();
}

const disableTrigger = () => sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`.execute(db);
const enableTrigger = () => sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change`.execute(db);

describe('the audit hash chain', () => {
  it('appends rows linked by hash: hash = sha256(prev_hash, "\\n", canonical JSON of the row)', async () => {
    const before = (await allRows()).length;
    await recordAudit(db, ACTOR, { action: 'org.region.created', targetType: 'region', targetId: '440399', detail: { z: 1, a: { y: [1, 'b'], b: null } } });
    await recordAudit(db, ACTOR, { action: 'org.region.updated', targetType: 'region', targetId: '440399', detail: { name: '测试区' } });
    await recordAudit(db, { id: null, kind: 'anonymous', ip: null }, { action: 'identity.login.failed' });
    const rows = await allRows();
    expect(rows.length).toBe(before + 3);
    expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
    let prev = '0'.repeat(64);
    for (const row of rows) {
      expect(row.prev_hash).toBe(prev);
      const fields = {
        at: new Date(row.at).toISOString(),
        actor_id: row.actor_id,
        actor_kind: row.actor_kind,
        action: row.action,
        target_type: row.target_type,
        target_id: row.target_id,
        ip: row.ip,
        detail: row.detail,
      };
      expect(canonicalJson(fields)).toBe(sortedJson(fields));
      expect(row.hash).toBe(createHash('sha256').update(`${prev}\n${sortedJson(fields)}`).digest('hex'));
      prev = row.hash;
    }
    const last = rows[rows.length - 1]!;
    expect(last).toMatchObject({ actor_id: null, actor_kind: 'anonymous', action: 'identity.login.failed', ip: null, detail: {} });
    expect(rows[rows.length - 3]).toMatchObject({ actor_id: 'test-actor', actor_kind: 'staff', ip: '198.51.100.9', target_id: '440399' });
  });

  it('verifies an untouched chain, in any batch size', async () => {
    const count = (await allRows()).length;
    expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: count });
    expect(await verifyAuditChain(db, 2)).toEqual({ ok: true, checked: count });
    expect(await verifyAuditChain(db, 1)).toEqual({ ok: true, checked: count });
  });

  it('forbids UPDATE and DELETE of audit rows (append-only trigger)', async () => {
    const [first] = await allRows();
    await expect(sql`UPDATE audit_log SET detail = '{"x":1}'::jsonb WHERE id = ${first!.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(db.updateTable('audit_log').set({ ip: '10.0.0.1' }).where('id', '=', first!.id).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_log').where('id', '=', first!.id).execute()).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('detects a row altered behind the trigger (a database superuser), and the row whose hash was forged', async () => {
    const rows = await allRows();
    const victim = rows[Math.floor(rows.length / 2)]!;
    await disableTrigger();
    try {
      // the schema types audit rows as never updatable, so the "superuser" writes raw SQL
      await sql`UPDATE audit_log SET detail = ${JSON.stringify({ ...victim.detail, tampered: true })}::jsonb WHERE id = ${victim.id}`.execute(db);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: false, firstBrokenId: victim.id, reason: 'hash_mismatch' });
      expect(await verifyAuditChain(db, 3)).toMatchObject({ ok: false, firstBrokenId: victim.id, reason: 'hash_mismatch' });

      // Forging the row's own hash to fit its new content breaks the link of the next row.
      const forged = await db.selectFrom('audit_log').selectAll().where('id', '=', victim.id).executeTakeFirstOrThrow();
      const fields = { at: new Date(forged.at).toISOString(), actor_id: forged.actor_id, actor_kind: forged.actor_kind, action: forged.action, target_type: forged.target_type, target_id: forged.target_id, ip: forged.ip, detail: forged.detail };
      const forgedHash = createHash('sha256').update(`${forged.prev_hash}\n${sortedJson(fields)}`).digest('hex');
      await sql`UPDATE audit_log SET hash = ${forgedHash} WHERE id = ${victim.id}`.execute(db);
      const next = rows[rows.indexOf(victim) + 1]!;
      expect(await verifyAuditChain(db)).toMatchObject({ ok: false, firstBrokenId: next.id, reason: 'link_mismatch' });

      // Put the row back as it was: the chain verifies again.
      await sql`UPDATE audit_log SET detail = ${JSON.stringify(victim.detail)}::jsonb, hash = ${victim.hash} WHERE id = ${victim.id}`.execute(db);
      expect((await verifyAuditChain(db)).ok).toBe(true);
    } finally {
      await enableTrigger();
    }
  });

  it('detects a deleted middle row (link_mismatch at the row after it)', async () => {
    const rows = await allRows();
    const index = Math.floor(rows.length / 3);
    const removed = rows[index]!;
    const after = rows[index + 1]!;
    await disableTrigger();
    try {
      await db.deleteFrom('audit_log').where('id', '=', removed.id).execute();
      expect(await verifyAuditChain(db)).toEqual({ ok: false, checked: index, firstBrokenId: after.id, reason: 'link_mismatch' });
      // restore it, so the rest of the file works on a sound chain
      await db.insertInto('audit_log').values({ ...removed, detail: JSON.stringify(removed.detail) }).execute();
      expect((await verifyAuditChain(db)).ok).toBe(true);
    } finally {
      await enableTrigger();
    }
    await expect(db.deleteFrom('audit_log').where('id', '=', removed.id).execute()).rejects.toThrow(/append-only/);
  });

  it('keeps a single linear chain under 50 concurrent appends', async () => {
    const before = await allRows();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        recordAudit(db, { id: `concurrent-${i}`, kind: 'staff', ip: '192.0.2.1' }, { action: 'org.hall.updated', targetType: 'hall', targetId: String(i), detail: { i } })),
    );
    const rows = await allRows();
    expect(rows.length).toBe(before.length + 50);
    const added = rows.slice(before.length);
    expect(new Set(added.map((r) => r.actor_id)).size).toBe(50);
    expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(rows.length); // no fork: every hash is someone's parent once
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: rows.length });
  });
});

describe('GET /api/v1/admin/audit/verify', () => {
  it('answers ok for the system admin, 403 for other staff, 401 without a session', async () => {
    const res = await as(platform.app, admin, { method: 'GET', url: '/api/v1/admin/audit/verify' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { ok: boolean; checked: number };
    expect(body.ok).toBe(true);
    expect(body.checked).toBe((await allRows()).length);
    const clerk = await login(platform.app, 'clerk');
    expect((await as(platform.app, clerk, { method: 'GET', url: '/api/v1/admin/audit/verify' })).statusCode).toBe(403);
    expect((await platform.app.inject({ method: 'GET', url: '/api/v1/admin/audit/verify' })).statusCode).toBe(401);
  });
});

describe('every write leaves an audit entry with actor, action and ip', () => {
  it('register, login (failed and successful), department / hall / region writes, logout', async () => {
    const ip = '203.0.113.7';
    const inject = (session: Session | null, options: Parameters<typeof as>[2]) => as(platform.app, session, { ...options, remoteAddress: ip });
    const startId = (await allRows()).at(-1)!.id;

    const idNumber = demoIdNumber('440305', '19880808', '246');
    const registered = await inject(null, {
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { kind: 'natural', name: '李四', idNumber, phone: '13912345678', password: 'Audit2026pass' },
    });
    expect(registered.statusCode).toBe(201);
    const userId = (registered.json() as { id: string }).id;

    expect((await inject(null, { method: 'POST', url: '/api/v1/auth/login', payload: { username: idNumber, password: 'wrong-password-1' } })).statusCode).toBe(401);
    const loggedIn = await inject(null, { method: 'POST', url: '/api/v1/auth/login', payload: { username: idNumber, password: 'Audit2026pass' } });
    expect(loggedIn.statusCode).toBe(200);
    const applicant: Session = {
      cookie: loggedIn.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
      csrf: (loggedIn.json() as { csrfToken: string }).csrfToken,
      user: (loggedIn.json() as { user: Session['user'] }).user,
    };

    const adminLogin = await inject(null, { method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'Demo@2026' } });
    expect(adminLogin.statusCode).toBe(200);
    const created = await inject(admin, {
      method: 'POST',
      url: '/api/v1/admin/departments',
      payload: { name: '深圳市审计测试局', creditCode: demoCreditCode('11', '440300', 777), regionCode: '440300' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const departmentId = (created.json() as { id: string }).id;
    expect((await inject(admin, { method: 'PATCH', url: `/api/v1/admin/departments/${departmentId}`, payload: { name: '深圳市审计测试局（更名）' } })).statusCode).toBe(200);
    expect((await inject(admin, { method: 'POST', url: '/api/v1/admin/regions', payload: { code: '440312', name: '测试区', level: 'district', parentCode: '440300' } })).statusCode).toBe(201);
    expect((await inject(admin, { method: 'POST', url: '/api/v1/admin/halls', payload: { name: '测试大厅', regionCode: '440312', address: '测试路 1 号' } })).statusCode).toBe(201);
    expect((await inject(applicant, { method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(200);

    const entries = (await allRows()).filter((r) => r.id > startId);
    const expected: Array<[string, string | null, string]> = [
      ['identity.applicant.registered', userId, 'applicant'],
      ['identity.login.failed', userId, 'anonymous'],
      ['identity.login.succeeded', userId, 'applicant'],
      ['identity.login.succeeded', admin.user.id, 'staff'],
      ['org.department.created', admin.user.id, 'staff'],
      ['org.department.updated', admin.user.id, 'staff'],
      ['org.region.created', admin.user.id, 'staff'],
      ['org.hall.created', admin.user.id, 'staff'],
      ['identity.logout', userId, 'applicant'],
    ];
    expect(entries.map((e) => [e.action, e.actor_id, e.actor_kind])).toEqual(expected);
    for (const entry of entries) {
      expect(entry.ip, entry.action).toBe(ip);
      // never personal data in clear
      expect(JSON.stringify(entry.detail)).not.toContain(idNumber);
      expect(JSON.stringify(entry.detail)).not.toContain('13912345678');
    }
    expect(entries.find((e) => e.action === 'org.department.created')!.target_id).toBe(departmentId);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});
