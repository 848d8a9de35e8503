/**
 * The e-license library through the HTTP API on the demo city: the wallet, public verification
 * (valid, tampered, forged, unknown, malformed, revoked, changed, expired), signatures checked by
 * sm-crypto, seals and their keys, issuance on approval (and its refusal), 免提交 by a held
 * license, departments' look-ups, and the batch import.
 */
import ExcelJS from 'exceljs';
import smCrypto from 'sm-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { as, createTestPlatform, errorFields, login, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { actAndExpect, caseAction, caseDetail, demoItem, ITEMS, requiredMaterials, staffSession, submitCase } from '../../../test/case-fixtures.js';
import { DEMO_ENTERPRISE, DEMO_PERSON } from '../demo/seed.js';
import { canonicalJson } from '../../platform/audit/audit.js';
import { sm3Hex } from '../../platform/crypto/sm2.js';
import { parseLicenseId } from './identifier.js';
import { demoAuthorityCode } from './demo.js';
import { LicensesService } from './service.js';
import { XLSX_TYPE } from './import.js';
import type { License, LicenseDetail, Seal, Verification } from './schemas.js';

let platform: TestPlatform;
let person: Session;
let enterprise: Session;
let clerk: Session;
let approver: Session;
let deptAdmin: Session; // 市场监督管理局
let admin: Session;
let policeAdmin: Session;

beforeAll(async () => {
  platform = await createTestPlatform();
  ({ person, enterprise, clerk, approver, deptAdmin, admin } = await loginAll(platform.app, ['person', 'enterprise', 'clerk', 'approver', 'deptAdmin', 'admin']));
  policeAdmin = await staffSession(platform, { username: 'police_lic_admin', name: '公安 管理', department: '深圳市公安局', roles: ['department_admin'] });
});
afterAll(() => platform.close());

const get = (session: Session | null, url: string) => as(platform.app, session, { method: 'GET', url });
const post = (session: Session | null, url: string, payload: object) => as(platform.app, session, { method: 'POST', url, payload });
const verify = (id: string) => platform.app.inject({ method: 'GET', url: `/api/v1/licenses/verify/${encodeURIComponent(id)}` });
const verdict = async (id: string) => {
  const res = await verify(id);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Verification;
};
const wallet = async (session: Session) => {
  const res = await get(session, '/api/v1/licenses?mine=true');
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: License[] }).items;
};
const code = (res: LightMyRequestResponse) => (res.json() as { code: string }).code;
const db = () => platform.database.db;
/** A defining authority's credit code (valid check character). */
const TEST_AUTHORITY = demoAuthorityCode(999);

/** A fresh license of the market bureau, issued directly by its administrator. */
async function issueFood(holder = { identifier: DEMO_PERSON.idNumber, name: DEMO_PERSON.name }): Promise<License> {
  const res = await post(deptAdmin, '/api/v1/admin/licenses', { type: 'FOOD_BUSINESS_LICENSE', holder, data: { entityName: '测试小吃店', premisesAddress: '深圳市福田区' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as License;
}

describe('the holder\'s wallet', () => {
  it('holds the demo licenses: 张三\'s seeded ones and those his approved cases issued; the enterprise its business licence', async () => {
    const mine = await wallet(person);
    expect(mine.map((l) => l.type).sort()).toEqual(expect.arrayContaining(['BUSINESS_LICENSE', 'FOOD_BUSINESS_LICENSE', 'ID_CARD', 'SOCIAL_SECURITY_CARD']));
    const food = mine.find((l) => l.type === 'FOOD_BUSINESS_LICENSE')!;
    expect(food).toMatchObject({ source: 'case', status: 'valid', holder: { kind: 'natural', idType: '111', identifierMasked: expect.stringContaining('*') }, signatureAlgorithm: 'SM2-SM3' });
    expect(food.data.find((d) => d.name === 'entityName')).toMatchObject({ label: '经营者名称', value: '深圳市福田区张三小吃店' });
    expect(parseLicenseId(food.licenseId).ok).toBe(true);
    const theirs = await wallet(enterprise);
    expect(theirs.map((l) => l.type)).toContain('BUSINESS_LICENSE');
    expect(theirs.find((l) => l.type === 'BUSINESS_LICENSE')).toMatchObject({ holder: { idType: '001', identifierMasked: DEMO_ENTERPRISE.creditCode }, source: 'import' });
    // nobody sees another holder's license
    expect((await get(enterprise, `/api/v1/licenses/${encodeURIComponent(food.licenseId)}`)).statusCode).toBe(404);
    expect((await get(person, `/api/v1/licenses/${encodeURIComponent(food.licenseId)}`)).statusCode).toBe(200);
    // the contract's query is required; staff have no wallet
    expect((await get(person, '/api/v1/licenses')).statusCode).toBe(400);
    expect((await get(clerk, '/api/v1/licenses?mine=true')).statusCode).toBe(403);
  });

  it('downloads a license as a PDF with the identifier; only the holder', async () => {
    const [license] = await wallet(person);
    const res = await get(person, `/api/v1/licenses/${encodeURIComponent(license!.licenseId)}/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.length).toBeGreaterThan(5000);
    expect((await get(enterprise, `/api/v1/licenses/${encodeURIComponent(license!.licenseId)}/pdf`)).statusCode).toBe(404);
    expect((await get(null, `/api/v1/licenses/${encodeURIComponent(license!.licenseId)}/pdf`)).statusCode).toBe(401);
  });
});

describe('public verification', () => {
  it('shows a valid license with masked holder data only, no login needed', async () => {
    const [license] = await wallet(person);
    const v = await verdict(license!.licenseId);
    expect(v).toMatchObject({ valid: true, revoked: false, expired: false, superseded: false, signatureValid: true, reason: 'ok', signatureAlgorithm: 'SM2-SM3', name: license!.name, issuer: license!.issuer.name, issuedAt: license!.issuedOn });
    expect(v.holderMasked).toMatch(/^张\*（\d{3}\*+\d{4}）$/);
    expect(JSON.stringify(v)).not.toContain(DEMO_PERSON.idNumber);
    expect(v.seal).toMatchObject({ keyId: license!.seal.keyId, name: '电子证照专用章' });
  });

  it('answers a malformed identifier and a wrong check character with 400, an unknown one with 404, never a 5xx', async () => {
    const { licenseId } = (await wallet(person))[0]!;
    const wrongCheck = licenseId.slice(0, -1) + (licenseId.endsWith('0') ? '1' : '0');
    await expect(verify(wrongCheck).then(code)).resolves.toBe('license_id_check_failed');
    expect((await verify(wrongCheck)).statusCode).toBe(400);
    for (const bad of ['abc', '3f1c9a52-8d4e-4b7a-9c1d-2e5f6a7b8c9d', '1.2.156.3005.2', `${licenseId}.1`, licenseId.toLowerCase(), "1.2.156.3005.2.' OR 1=1 --", 'x'.repeat(100)]) {
      const res = await verify(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(['license_id_malformed', 'license_id_check_failed']).toContain(code(res));
    }
    const parts = parseLicenseId(licenseId);
    if (!parts.ok) throw new Error('demo license id');
    const { formatLicenseId } = await import('./identifier.js');
    const unknown = formatLicenseId({ ...parts.parts, serial: '999999999999' });
    const res = await verify(unknown);
    expect(res.statusCode).toBe(404);
    expect(code(res)).toBe('license_not_found');
    expect((await platform.app.inject({ method: 'GET', url: `/api/v1/licenses/verify/${unknown}`, headers: { 'accept-language': 'en' } })).json()).toMatchObject({ detail: 'License not found' });
  });

  it('detects tampered data, a forged signature and a signature under another seal', async () => {
    const tampered = await issueFood();
    await db().updateTable('licenses').set({ holder_name: '李四' }).where('license_id', '=', tampered.licenseId).execute();
    expect(await verdict(tampered.licenseId)).toMatchObject({ valid: false, signatureValid: false, reason: 'tampered' });

    // the content and its digest changed together: the signature no longer holds
    const rewritten = await issueFood();
    const row = await db().selectFrom('licenses').selectAll().where('license_id', '=', rewritten.licenseId).executeTakeFirstOrThrow();
    const data = { ...row.data, entityName: '冒名小吃店' };
    const content = {
      licenseId: row.license_id, typeCode: row.type_code, name: row.name,
      holder: { idType: row.holder_id_type, identifier: row.holder_identifier, name: row.holder_name },
      issuer: { code: row.issuer_code, name: row.issuer_name },
      issuedOn: row.issued_on, validFrom: row.valid_from, validUntil: row.valid_until, data,
    };
    await db().updateTable('licenses').set({ data: JSON.stringify(data), data_digest: sm3Hex(canonicalJson(content)) }).where('id', '=', row.id).execute();
    expect(await verdict(rewritten.licenseId)).toMatchObject({ valid: false, reason: 'bad_signature' });

    // a forged signature (a valid one by another key), and the right signature re-pointed at another seal
    const forged = await issueFood();
    const other = smCrypto.sm2.generateKeyPairHex();
    await db().updateTable('licenses').set({ signature: smCrypto.sm2.doSignature('forged', other.privateKey, { hash: true }) }).where('license_id', '=', forged.licenseId).execute();
    expect(await verdict(forged.licenseId)).toMatchObject({ valid: false, reason: 'bad_signature' });
    const moved = await issueFood();
    const police = (await platform.services.org.listDepartments()).find((d) => d.name === '深圳市公安局')!;
    const policeSeal = await db().selectFrom('license_seals').select('id').where('department_id', '=', police.id).executeTakeFirstOrThrow();
    await db().updateTable('licenses').set({ seal_id: policeSeal.id }).where('license_id', '=', moved.licenseId).execute();
    expect(await verdict(moved.licenseId)).toMatchObject({ valid: false, reason: 'bad_signature' });
  });

  it('signs what sm-crypto (an independent SM2 implementation) verifies: SM3 over the canonical content, Z with 1234567812345678', async () => {
    const license = await issueFood();
    const row = await db().selectFrom('licenses').selectAll().where('license_id', '=', license.licenseId).executeTakeFirstOrThrow();
    const seal = await db().selectFrom('license_seals').selectAll().where('id', '=', row.seal_id).executeTakeFirstOrThrow();
    const content = {
      licenseId: row.license_id, typeCode: row.type_code, name: row.name,
      holder: { idType: row.holder_id_type, identifier: row.holder_identifier, name: row.holder_name },
      issuer: { code: row.issuer_code, name: row.issuer_name },
      issuedOn: row.issued_on, validFrom: row.valid_from, validUntil: row.valid_until, data: row.data,
    };
    expect(row.data_digest).toBe(smCrypto.sm3(canonicalJson(content)));
    const tbs = canonicalJson({ version: 4, seal: { keyId: seal.key_id, name: seal.name }, timeInfo: row.signed_at.toISOString(), dataHash: row.data_digest, propertyInfo: row.license_id, algorithm: 'SM2-SM3' });
    expect(smCrypto.sm2.doVerifySignature(tbs, row.signature, seal.public_key, { hash: true })).toBe(true);
    expect(smCrypto.sm2.doVerifySignature(tbs, row.signature, seal.public_key, { hash: true, userId: '1234567812345678' })).toBe(true);
    expect(smCrypto.sm2.doVerifySignature(tbs.replace(row.data_digest, sm3Hex('other')), row.signature, seal.public_key, { hash: true })).toBe(false);
  });

  it('shows an expired license as expired', async () => {
    const license = await issueFood();
    await db().updateTable('licenses').set({ valid_until: '2020-01-01', valid_from: '2015-01-01' }).where('license_id', '=', license.licenseId).execute();
    // the dates are signed: moving them is tampering; an honestly expired license is signed with its dates
    expect(await verdict(license.licenseId)).toMatchObject({ valid: false, reason: 'tampered', expired: true });
    const res = await post(deptAdmin, '/api/v1/admin/licenses', { type: 'NURSE_PRACTICE_CERT', holder: { identifier: DEMO_PERSON.idNumber, name: DEMO_PERSON.name }, validFrom: '2015-01-01', validUntil: '2020-01-01' });
    expect(res.statusCode, res.body).toBe(201);
    expect(await verdict((res.json() as License).licenseId)).toMatchObject({ valid: false, signatureValid: true, reason: 'expired', expired: true });
  });
});

describe('revocation and change', () => {
  it('revokes with reason and case number; every instance\'s verification shows it at once; history kept', async () => {
    const license = await issueFood();
    // a second instance of the service over the same database (another process, in effect)
    const other = new LicensesService(db(), platform.services.org, platform.services.identity, { sealKey: platform.config.sealKey, publicBaseUrl: 'http://x' });
    expect((await other.verify(license.licenseId)).valid).toBe(true);
    expect((await post(deptAdmin, `/api/v1/admin/licenses/${license.licenseId}/revoke`, { reason: '申请注销' })).statusCode).toBe(400);
    const res = await post(deptAdmin, `/api/v1/admin/licenses/${license.licenseId}/revoke`, { reason: '经营者申请注销', caseNumber: 'TB20261207000001' });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as LicenseDetail;
    expect(detail).toMatchObject({ status: 'revoked', statusReason: '经营者申请注销', statusCaseNumber: 'TB20261207000001' });
    expect(detail.history.map((h) => h.action)).toEqual(['issued', 'revoked']);
    expect(await other.verify(license.licenseId)).toMatchObject({ valid: false, revoked: true, reason: 'revoked', signatureValid: true });
    expect(await verdict(license.licenseId)).toMatchObject({ valid: false, revoked: true, revokedAt: expect.any(String) });
    // twice: refused; the holder still sees it, as revoked
    expect((await post(deptAdmin, `/api/v1/admin/licenses/${license.licenseId}/revoke`, { reason: '再次', caseNumber: 'TB1' })).statusCode).toBe(409);
    expect((await wallet(person)).find((l) => l.licenseId === license.licenseId)).toMatchObject({ status: 'revoked' });
  });

  it('changes a license: a new version signed anew, the old one superseded and pointing to it', async () => {
    const license = await issueFood();
    const res = await post(deptAdmin, `/api/v1/admin/licenses/${license.licenseId}/change`, { reason: '经营场所变更', caseNumber: 'TB20261207000002', data: { premisesAddress: '深圳市南山区' } });
    expect(res.statusCode, res.body).toBe(200);
    const next = res.json() as LicenseDetail;
    const before = parseLicenseId(license.licenseId);
    const after = parseLicenseId(next.licenseId);
    expect(before.ok && after.ok && after.parts.serial === before.parts.serial && after.parts.version === 2).toBe(true);
    expect(next.data.find((d) => d.name === 'premisesAddress')!.value).toBe('深圳市南山区');
    expect(next.data.find((d) => d.name === 'entityName')!.value).toBe('测试小吃店');
    expect(next.history.map((h) => h.action)).toEqual(['issued', 'changed']);
    expect(await verdict(license.licenseId)).toMatchObject({ valid: false, superseded: true, reason: 'superseded', successorLicenseId: next.licenseId });
    expect(await verdict(next.licenseId)).toMatchObject({ valid: true });
    const unknownField = await post(deptAdmin, `/api/v1/admin/licenses/${next.licenseId}/change`, { reason: 'x', caseNumber: 'TB3', data: { colour: 'red' } });
    expect(unknownField.statusCode).toBe(400);
    expect(errorFields(unknownField)).toEqual(['data.colour:license_field_unknown']);
  });

  it('is refused to another department (404) and to applicants (403), and changes nothing', async () => {
    const license = await issueFood();
    expect((await post(policeAdmin, `/api/v1/admin/licenses/${license.licenseId}/revoke`, { reason: '越权', caseNumber: 'TB1' })).statusCode).toBe(404);
    expect((await post(policeAdmin, `/api/v1/admin/licenses/${license.licenseId}/change`, { reason: '越权', caseNumber: 'TB1', data: {} })).statusCode).toBe(404);
    expect((await get(policeAdmin, `/api/v1/admin/licenses/${license.licenseId}`)).statusCode).toBe(404);
    expect((await post(person, `/api/v1/admin/licenses/${license.licenseId}/revoke`, { reason: '越权', caseNumber: 'TB1' })).statusCode).toBe(403);
    expect((await verdict(license.licenseId)).valid).toBe(true);
    // the system administrator reaches every department
    expect((await get(admin, `/api/v1/admin/licenses/${license.licenseId}`)).statusCode).toBe(200);
  });
});

describe('seals', () => {
  it('list public keys only; a new seal and a rotated key sign, and what the old key signed still verifies', async () => {
    const listed = await get(deptAdmin, '/api/v1/admin/seals');
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toMatch(/private|v1\.[A-Za-z0-9_-]{10,}\./);
    const [seal] = (listed.json() as { items: Seal[] }).items;
    expect(seal).toMatchObject({ name: '电子证照专用章', status: 'active', publicKey: expect.stringMatching(/^04[0-9a-f]{128}$/) });
    const before = await issueFood();
    const rotated = await post(deptAdmin, `/api/v1/admin/seals/${seal!.id}/rotate`, {});
    expect(rotated.statusCode, rotated.body).toBe(200);
    const fresh = rotated.json() as Seal;
    expect(fresh.keyId).not.toBe(seal!.keyId);
    expect(JSON.stringify(rotated.json())).not.toContain('private');
    const after = await issueFood();
    expect(after.seal.keyId).toBe(fresh.keyId);
    expect((await verdict(before.licenseId)).valid).toBe(true);
    expect((await verdict(after.licenseId)).valid).toBe(true);
    expect((await post(deptAdmin, `/api/v1/admin/seals/${seal!.id}/rotate`, {})).statusCode).toBe(409);
    // another department's seals: not found
    expect((await post(policeAdmin, `/api/v1/admin/seals/${fresh.id}/rotate`, {})).statusCode).toBe(404);
    const market = (await platform.services.org.listDepartments()).find((d) => d.name === '深圳市市场监督管理局')!;
    expect((await get(policeAdmin, `/api/v1/admin/seals?departmentId=${market.id}`)).statusCode).toBe(404);
    expect((await post(policeAdmin, '/api/v1/admin/seals', { departmentId: market.id, name: '越权章' })).statusCode).toBe(404);
    const named = await post(deptAdmin, '/api/v1/admin/seals', { departmentId: market.id, name: '行政审批专用章' });
    expect(named.statusCode, named.body).toBe(201);
    expect((await post(deptAdmin, '/api/v1/admin/seals', { departmentId: market.id, name: '行政审批专用章' })).statusCode).toBe(409);
  });

  it('keeps private keys encrypted at rest; a rotated configuration key rewraps them; a wrong one cannot sign', async () => {
    const rows = await db().selectFrom('license_seals').selectAll().execute();
    for (const row of rows) {
      expect(row.private_key_enc).toMatch(/^v1\./);
      expect(row.private_key_enc).not.toMatch(/[0-9a-f]{64}/);
    }
    const market = (await platform.services.org.listDepartments()).find((d) => d.name === '深圳市市场监督管理局')!;
    const input = { type: 'FOOD_BUSINESS_LICENSE', holder: { identifier: DEMO_PERSON.idNumber, name: DEMO_PERSON.name } };
    const newKey = 'a-new-seal-key-of-at-least-32-characters!';
    const wrong = new LicensesService(db(), platform.services.org, platform.services.identity, { sealKey: newKey, publicBaseUrl: 'http://x' });
    await expect(wrong.issueFor(market.id, { id: null, kind: 'system', ip: null }, input)).rejects.toMatchObject({ code: 'seal_key_unavailable' });
    const rotated = new LicensesService(db(), platform.services.org, platform.services.identity, { sealKey: newKey, sealKeyPrevious: platform.config.sealKey, publicBaseUrl: 'http://x' });
    expect(await rotated.rewrapSealKeys()).toBe(rows.length);
    const issued = await rotated.issueFor(market.id, { id: null, kind: 'system', ip: null }, input);
    expect((await rotated.verify(issued.licenseId)).valid).toBe(true);
    // now only the new key opens them
    const old = new LicensesService(db(), platform.services.org, platform.services.identity, { sealKey: platform.config.sealKey, publicBaseUrl: 'http://x' });
    await expect(old.issueFor(market.id, { id: null, kind: 'system', ip: null }, input)).rejects.toMatchObject({ code: 'seal_key_unavailable' });
    // put them back under the platform's key for the tests that follow
    const back = new LicensesService(db(), platform.services.org, platform.services.identity, { sealKey: platform.config.sealKey, sealKeyPrevious: newKey, publicBaseUrl: 'http://x' });
    expect(await back.rewrapSealKeys()).toBe(rows.length);
  });
});

describe('issuance on approval', () => {
  async function inReviewFood(): Promise<string> {
    const { caseNumber } = await submitCase(platform, person, await demoItem(platform, ITEMS.food));
    await actAndExpect(platform, clerk, caseNumber, { action: 'accept' });
    let detail = await caseDetail(platform, approver, caseNumber);
    while (detail.currentStep! < 2) detail = await actAndExpect(platform, approver, caseNumber, { action: 'complete_step' });
    return caseNumber;
  }

  it('issues the result\'s license, signed, in the decision\'s transaction', async () => {
    const caseNumber = await inReviewFood();
    const before = (await wallet(person)).length;
    await actAndExpect(platform, approver, caseNumber, { action: 'approve', comment: '准予许可' });
    const issued = (await wallet(person)).filter((l) => l.caseNumber === caseNumber);
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ type: 'FOOD_BUSINESS_LICENSE', source: 'case', issuer: { name: '深圳市市场监督管理局' } });
    expect((await wallet(person)).length).toBe(before + 1);
    expect((await verdict(issued[0]!.licenseId)).valid).toBe(true);
  });

  it('refuses the approval (422, naming what is missing) when the department has no seal or the type is unknown; the case stays undecided', async () => {
    const market = (await platform.services.org.listDepartments()).find((d) => d.name === '深圳市市场监督管理局')!;
    const caseNumber = await inReviewFood();
    const active = await db().selectFrom('license_seals').select('id').where('department_id', '=', market.id).where('status', '=', 'active').execute();
    await db().updateTable('license_seals').set({ status: 'retired' }).where('id', 'in', active.map((s) => s.id)).execute();
    const noSeal = await caseAction(platform, approver, caseNumber, { action: 'approve' });
    expect(noSeal.statusCode).toBe(422);
    expect(noSeal.json()).toMatchObject({ code: 'issuance_no_seal', detail: expect.stringContaining('深圳市市场监督管理局') });
    expect((await caseDetail(platform, approver, caseNumber)).status).toBe('in_review');
    await db().updateTable('license_seals').set({ status: 'active' }).where('id', 'in', active.map((s) => s.id)).execute();

    await db().updateTable('license_types').set({ code: 'FOOD_BUSINESS_LICENSE_OLD' }).where('code', '=', 'FOOD_BUSINESS_LICENSE').execute();
    const unknown = await caseAction(platform, approver, caseNumber, { action: 'approve' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'issuance_type_unknown', detail: expect.stringContaining('FOOD_BUSINESS_LICENSE') });
    expect((await caseDetail(platform, approver, caseNumber)).status).toBe('in_review');
    await db().updateTable('license_types').set({ code: 'FOOD_BUSINESS_LICENSE' }).where('code', '=', 'FOOD_BUSINESS_LICENSE_OLD').execute();
    expect((await wallet(person)).some((l) => l.caseNumber === caseNumber)).toBe(false);

    await actAndExpect(platform, approver, caseNumber, { action: 'approve' });
    expect((await wallet(person)).filter((l) => l.caseNumber === caseNumber)).toHaveLength(1);
  });
});

describe('免提交: a held license stands in for a material', () => {
  it('is accepted and shown verified to the clerk; another type, another holder\'s or a revoked license is refused', async () => {
    const item = await demoItem(platform, '失业保险金申领');
    const card = (await wallet(person)).find((l) => l.type === 'SOCIAL_SECURITY_CARD')!;
    const idCard = (await wallet(person)).find((l) => l.type === 'ID_CARD')!;
    const materials = (await requiredMaterials(platform, person, item)).filter((m) => m.materialId !== 'social_card');
    const { caseNumber } = await submitCase(platform, person, item, { materials: [...materials, { materialId: 'social_card', licenseId: card.licenseId }] });
    const detail = await caseDetail(platform, clerk, caseNumber);
    expect(detail.materials.find((m) => m.materialId === 'social_card')).toMatchObject({ source: 'license', licenseId: card.licenseId, verdict: 'accepted', verdictReason: expect.stringContaining('SM2 签名有效') });

    const submit = (licenseId: string, session = person) => as(platform.app, session, { method: 'POST', url: '/api/v1/cases', payload: { itemCode: item.implementationCode, form: detail.form, materials: [...materials, { materialId: 'social_card', licenseId }] } });
    let res = await submit(idCard.licenseId);
    expect(res.statusCode).toBe(400);
    expect(errorFields(res)).toContain(`materials[${materials.length}].licenseId:license_type_mismatch`);
    res = await submit('1.2.156.3005.2.nonsense');
    expect(errorFields(res)).toContain(`materials[${materials.length}].licenseId:license_not_held`);
    // a second person holding no card cannot use 张三's
    const other = await registerPerson('110101199003074514', '王五');
    const otherMaterials = (await requiredMaterials(platform, other, item)).filter((m) => m.materialId !== 'social_card');
    res = await as(platform.app, other, { method: 'POST', url: '/api/v1/cases', payload: { itemCode: item.implementationCode, form: { ...detail.form }, materials: [...otherMaterials, { materialId: 'social_card', licenseId: card.licenseId }] } });
    expect(errorFields(res)).toContain(`materials[${otherMaterials.length}].licenseId:license_not_held`);
  });

  async function registerPerson(idNumber: string, name: string): Promise<Session> {
    const res = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { kind: 'natural', name, idNumber, phone: '13700137000', password: 'Passw0rd2026' } });
    expect(res.statusCode, res.body).toBe(201);
    return login(platform.app, idNumber, 'Passw0rd2026');
  }
});

describe('departments using licenses (用证)', () => {
  it('lets staff handling a case look up its applicant\'s licenses, audited; a case out of reach is 404', async () => {
    const { caseNumber } = await submitCase(platform, person, await demoItem(platform, ITEMS.food));
    const res = await get(approver, `/api/v1/licenses/lookup?caseNumber=${caseNumber}`);
    expect(res.statusCode, res.body).toBe(200);
    const found = (res.json() as { items: License[] }).items;
    expect(found.map((l) => l.type)).toContain('SOCIAL_SECURITY_CARD');
    expect(JSON.stringify(found)).not.toContain(DEMO_PERSON.idNumber);
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'licenses.holder.looked_up').where('target_id', '=', caseNumber).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: approver.user.id });
    expect((await get(clerk, `/api/v1/licenses/lookup?caseNumber=${caseNumber}`)).statusCode).toBe(200);
    const policeApprover = await staffSession(platform, { username: 'police_lic_approver', name: '公安 审批', department: '深圳市公安局', roles: ['approver'] });
    expect((await get(policeApprover, `/api/v1/licenses/lookup?caseNumber=${caseNumber}`)).statusCode).toBe(404);
    expect((await get(person, `/api/v1/licenses/lookup?caseNumber=${caseNumber}`)).statusCode).toBe(403);
  });
});

describe('license types and direct issuance', () => {
  it('registers a type with a GB/T 36904 type code; checks holders, fields and the issuing department', async () => {
    const bad = await post(admin, '/api/v1/admin/license-types', { code: 'TEST_PERMIT', typeCode: '123456789012345678901', name: '测试许可证', holderKind: 'legal' });
    expect(bad.statusCode).toBe(400);
    expect(errorFields(bad)).toEqual(['typeCode:license_type_code_invalid']);
    const market = (await platform.services.org.listDepartments()).find((d) => d.name === '深圳市市场监督管理局')!;
    const res = await post(admin, '/api/v1/admin/license-types', {
      code: 'TEST_PERMIT', typeCode: `${TEST_AUTHORITY}001`, name: '测试许可证', holderKind: 'legal', issuingDepartmentIds: [market.id], validityYears: 3,
      fields: [{ name: 'scope', label: '许可范围', required: true }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await post(admin, '/api/v1/admin/license-types', { code: 'TEST_PERMIT', typeCode: `${TEST_AUTHORITY}002`, name: '重复', holderKind: 'legal' })).statusCode).toBe(409);
    expect((await post(deptAdmin, '/api/v1/admin/license-types', { code: 'X', typeCode: `${TEST_AUTHORITY}003`, name: 'x', holderKind: 'legal' })).statusCode).toBe(403);

    const issue = (session: Session, payload: object) => post(session, '/api/v1/admin/licenses', payload);
    let r = await issue(deptAdmin, { type: 'TEST_PERMIT', holder: { identifier: DEMO_ENTERPRISE.creditCode, name: DEMO_ENTERPRISE.name }, data: {} });
    expect(r.statusCode).toBe(400);
    expect(errorFields(r)).toEqual(['data.scope:license_field_required']);
    r = await issue(deptAdmin, { type: 'TEST_PERMIT', holder: { identifier: DEMO_PERSON.idNumber, name: DEMO_PERSON.name }, data: { scope: 'x' } });
    expect(code(r)).toBe('issuance_holder_kind');
    r = await issue(deptAdmin, { type: 'TEST_PERMIT', holder: { identifier: '440304199001011234', name: '错号' }, data: { scope: 'x' } });
    expect(errorFields(r)).toEqual(['holder.identifier:license_holder_invalid']);
    r = await issue(policeAdmin, { type: 'TEST_PERMIT', holder: { identifier: DEMO_ENTERPRISE.creditCode, name: DEMO_ENTERPRISE.name }, data: { scope: 'x' } });
    expect(code(r)).toBe('issuance_not_authorised');
    r = await issue(deptAdmin, { type: 'TEST_PERMIT', holder: { identifier: DEMO_ENTERPRISE.creditCode, name: DEMO_ENTERPRISE.name }, data: { scope: '测试' }, validFrom: '2026-01-01' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ validFrom: '2026-01-01', validUntil: '2028-12-31', holder: { idType: '001' } });
  });
});

describe('batch import from a spreadsheet', () => {
  async function workbook(rows: string[][]): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('证照');
    ws.addRow(['证照类型', '持证主体名称', '持证主体证件号码', '有效期起', '有效期至', '社会保障卡号']);
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const upload = (session: Session, body: Buffer) => as(platform.app, session, { method: 'POST', url: '/api/v1/admin/licenses/import', payload: body, headers: { 'content-type': XLSX_TYPE } });

  it('imports every row, or nothing when any row is wrong', async () => {
    const hrssAdmin = await staffSession(platform, { username: 'hrss_lic_admin', name: '人社 管理', department: '深圳市人力资源和社会保障局', roles: ['department_admin'] });
    const count = async () => Number((await db().selectFrom('licenses').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    let res = await upload(hrssAdmin, await workbook([
      ['SOCIAL_SECURITY_CARD', '赵六', '110101199003071234', '2020-01-01', '', 'H1'],
      ['SOCIAL_SECURITY_CARD', '钱七', 'not-an-id', '2020-01-01', '', 'H2'],
      ['NO_SUCH_TYPE', '孙八', '110101199003074514', '', '', ''],
    ]));
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ code: 'import_rejected' });
    expect(errorFields(res)).toEqual(expect.arrayContaining(['rows[1].holder.identifier:license_holder_invalid', 'rows[2].type:license_type_code_invalid']));
    expect(await count()).toBe(before);
    res = await upload(hrssAdmin, await workbook([
      ['SOCIAL_SECURITY_CARD', '王五', '110101199003074514', '2020-01-01', '', 'H110101199003074514'],
      ['EMPLOYMENT_CERT', '王五', '110101199003074514', '2021-05-01', '', ''],
    ]));
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as { imported: number; licenses: Array<{ row: number; licenseId: string }> };
    expect(report.imported).toBe(2);
    expect(await count()).toBe(before + 2);
    expect(await verdict(report.licenses[0]!.licenseId)).toMatchObject({ valid: true, holderMasked: expect.stringMatching(/^王\*（\d{3}\*+4514）$/) });
    expect((await upload(hrssAdmin, Buffer.from('not a workbook'))).statusCode).toBe(415);
    expect((await upload(deptAdmin, await workbook([]))).statusCode).toBe(422);
  });
});
