import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, errorFields, login, type Session, type TestPlatform } from '../../../test/harness.js';
import { DEMO_PERSON } from '../demo/seed.js';
import { DEMO_BLACKLISTED } from '../rules/demo.js';

/* The credit lists' administration: entries with source, period and masking; removal (信用修复); who may. */

let platform: TestPlatform;
let inspector: Session;

beforeAll(async () => {
  platform = await createTestPlatform();
  inspector = await login(platform.app, 'inspector');
});
afterAll(async () => platform.close());

describe('credit lists', () => {
  it('lists the demo entries, ID numbers masked', async () => {
    const res = await as(platform.app, inspector, { method: 'GET', url: '/api/v1/admin/credit/entries?list=black&active=true' });
    expect(res.statusCode).toBe(200);
    const entry = res.json().items.find((e: { subjectName: string }) => e.subjectName === DEMO_BLACKLISTED.name);
    expect(entry).toMatchObject({ list: 'black', source: 'department', active: true });
    expect(entry.subjectIdentifier).not.toBe(DEMO_BLACKLISTED.idNumber);
    expect(entry.subjectIdentifier).toContain('*');
  });

  it('adds an entry with reason, basis and period; checks the identifier and the period', async () => {
    const bad = await as(platform.app, inspector, { method: 'POST', url: '/api/v1/admin/credit/entries', payload: { list: 'black', subjectKind: 'natural', subjectIdentifier: '440304199001011230', subjectName: '某', reason: 'r', legalBasis: 'b', validFrom: '2026-06-01', validUntil: '2026-05-01' } });
    expect(bad.statusCode).toBe(400);
    expect(errorFields(bad)).toEqual(['subjectIdentifier:invalid_id_number', 'validUntil:credit_period_invalid'].sort());
    const res = await as(platform.app, inspector, { method: 'POST', url: '/api/v1/admin/credit/entries', payload: { list: 'black', subjectKind: 'natural', subjectIdentifier: DEMO_PERSON.idNumber, subjectName: DEMO_PERSON.name, reason: '提供虚假材料', legalBasis: '《行政许可法》第七十八条', validUntil: '2030-12-31' } });
    expect(res.statusCode, res.body).toBe(201);
    const standing = await platform.services.credit.standing([{ kind: 'natural', identifier: DEMO_PERSON.idNumber }]);
    expect(standing.black.map((b) => b.id)).toContain(res.json().id);
    const removed = await as(platform.app, inspector, { method: 'POST', url: `/api/v1/admin/credit/entries/${res.json().id}/removal`, payload: { reason: '信用修复：已整改' } });
    expect(removed.json()).toMatchObject({ active: false, removalReason: '信用修复：已整改' });
    expect((await platform.services.credit.standing([{ kind: 'natural', identifier: DEMO_PERSON.idNumber }])).black).toEqual([]);
    const twice = await as(platform.app, inspector, { method: 'POST', url: `/api/v1/admin/credit/entries/${res.json().id}/removal`, payload: { reason: 'x' } });
    expect(twice.statusCode).toBe(422);
  });

  it('rejects an appeal and keeps the entry', async () => {
    const lisi = await login(platform.app, DEMO_BLACKLISTED.idNumber);
    const mine = await as(platform.app, lisi, { method: 'GET', url: '/api/v1/me/credit' });
    const entry = mine.json().entries[0];
    expect(entry.subjectIdentifier).toBe(DEMO_BLACKLISTED.idNumber);
    const appeal = await as(platform.app, lisi, { method: 'POST', url: '/api/v1/me/credit/appeals', payload: { entryId: entry.id, text: '不服' } });
    const list = await as(platform.app, inspector, { method: 'GET', url: '/api/v1/admin/credit/appeals?status=pending' });
    expect(list.json().items.map((a: { id: string }) => a.id)).toContain(appeal.json().id);
    const decided = await as(platform.app, inspector, { method: 'POST', url: `/api/v1/admin/credit/appeals/${appeal.json().id}/decision`, payload: { upheld: false, comment: '证据确凿，维持' } });
    expect(decided.json()).toMatchObject({ status: 'rejected' });
    expect((await platform.services.credit.standing([{ kind: 'natural', identifier: DEMO_BLACKLISTED.idNumber }])).black).toHaveLength(1);
    const again = await as(platform.app, inspector, { method: 'POST', url: `/api/v1/admin/credit/appeals/${appeal.json().id}/decision`, payload: { upheld: true, comment: 'x' } });
    expect(again.statusCode).toBe(422);
  });

  it('is closed to other roles and to applicants', async () => {
    const clerk = await login(platform.app, 'clerk');
    expect((await as(platform.app, clerk, { method: 'GET', url: '/api/v1/admin/credit/entries' })).statusCode).toBe(403);
    const person = await login(platform.app, DEMO_PERSON.idNumber);
    expect((await as(platform.app, person, { method: 'GET', url: '/api/v1/admin/credit/entries' })).statusCode).toBe(403);
  });
});
