/**
 * The data sharing and exchange platform through its HTTP API, on the demo city: the catalog,
 * dataset uploads, requests and grants, the gateway with its refusals and signatures, the access
 * log as providers, consumers and citizens see it, and prefill with consent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import smCrypto from 'sm-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, login, type Session, type TestPlatform } from '../../../test/harness.js';
import { canonicalJson } from '../../platform/audit/audit.js';
import { DEMO_ENTERPRISE, DEMO_PERSON, demoCreditCode, demoIdNumber } from '../demo/seed.js';
import { submitCase } from '../../../test/case-fixtures.js';
import type { CaseDirectory, SignedLookup } from './gateway.js';
import { DataSharingService, type SharingSettings } from './service.js';
import { PlatformKeys } from './signing.js';

let platform: TestPlatform;
let datashare: Session; // 深圳市政务服务数据管理局: a consumer
let police: Session; // 深圳市公安局: provider of household registration
let admin: Session;
let person: Session;
let enterprise: Session;
let departments: Map<string, { id: string; creditCode: string }>;
let resources: Map<string, { id: string; code: string }>;

const DATA_BUREAU = '深圳市政务服务数据管理局';
const POLICE = '深圳市公安局';
const MARKET = '深圳市市场监督管理局';

beforeAll(async () => {
  platform = await createTestPlatform();
  datashare = await login(platform.app, 'datashare');
  police = await login(platform.app, 'datashare_police');
  admin = await login(platform.app, 'admin');
  person = await login(platform.app, DEMO_PERSON.idNumber);
  enterprise = await login(platform.app, DEMO_ENTERPRISE.creditCode);
  const list = (await platform.app.inject({ method: 'GET', url: '/api/v1/departments' })).json() as { items: Array<{ id: string; name: string; creditCode: string }> };
  departments = new Map(list.items.map((d) => [d.name, { id: d.id, creditCode: d.creditCode }]));
  const catalog = (await call(datashare, 'GET', '/api/v1/sharing/resources?limit=100')).json() as { items: Array<{ id: string; code: string }> };
  resources = new Map(catalog.items.map((r) => [r.code, r]));
});
afterAll(() => platform.close());

function call(session: Session | null, method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return as(platform.app, session, { method, url, headers, ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }) });
}

const dept = (name: string) => departments.get(name)!.id;
const resourceId = (code: string) => resources.get(code)!.id;
/**
 * The gateway confirms each look-up's case with the case module: look-ups here serve real cases of
 * the data bureau (the consumer of the demo grants), applications for its composite item.
 */
const dataBureauCases: string[] = [];
let caseSerial = 0;
const nextCase = () => dataBureauCases[caseSerial++ % dataBureauCases.length]!;
beforeAll(async () => {
  for (let i = 0; i < 8; i++) dataBureauCases.push((await submitCase(platform, enterprise, '开办企业“一件事”')).caseNumber);
});

function lookup(session: Session | { bearer: string }, code: string, body: Record<string, unknown>, caseRef: string | null = nextCase()) {
  const headers: Record<string, string> = caseRef === null ? {} : { 'x-tongban-case': caseRef };
  const url = `/api/v1/sharing/gateway/resources/${resources.get(code)?.id ?? code}/lookup`;
  if ('bearer' in session) return platform.app.inject({ method: 'POST', url, payload: body, headers: { ...headers, authorization: `Bearer ${session.bearer}` } });
  return call(session, 'POST', url, body, headers);
}

function logRows() {
  return platform.database.db.selectFrom('sharing_access_log').selectAll().orderBy('id').execute();
}

async function lastLog() {
  return (await logRows()).at(-1)!;
}

/** A fresh service on the same database with settings changed (a clock, a case directory): what another instance would be. */
function instance(overrides: Partial<SharingSettings>): DataSharingService {
  const { config, services } = platform;
  return new DataSharingService(platform.database.db, services.org, services.identity, {
    subjectKey: config.sharingSubjectKey,
    signingSecret: config.sessionSecret,
    endpointHosts: config.sharingEndpointHosts,
    cases: services.cases,
    ...overrides,
  });
}

function hostedInput(code: string, overrides: Record<string, unknown> = {}) {
  return {
    code,
    name: `测试资源 ${code}`,
    subjectType: 'id_number',
    subjectField: 'idNumber',
    fields: [
      { name: 'name', label: '姓名', type: 'string', sensitivity: 'personal', required: true },
      { name: 'score', label: '积分', type: 'integer', sensitivity: 'general' },
      { name: 'note', label: '备注', type: 'string', sensitivity: 'general' },
    ],
    updateFrequency: 'daily',
    sharingType: 'conditional',
    conditions: '仅用于测试',
    legalBasis: '测试依据',
    backend: 'hosted',
    ...overrides,
  };
}

async function createPublished(session: Session, code: string, overrides: Record<string, unknown> = {}) {
  const created = await call(session, 'POST', '/api/v1/sharing/resources', hostedInput(code, overrides));
  expect(created.statusCode, created.body).toBe(201);
  const id = (created.json() as { id: string }).id;
  const published = await call(session, 'POST', `/api/v1/sharing/resources/${id}/publish`);
  expect(published.statusCode, published.body).toBe(200);
  resources.set(code, { id, code });
  return id;
}

/** Requests a resource as `consumer` and has `provider` grant it as asked (or the fields given). */
async function grant(consumer: Session, provider: Session, code: string, fields: string[], decision: Record<string, unknown> = {}) {
  const request = await call(consumer, 'POST', '/api/v1/sharing/requests', { resourceId: resourceId(code), purpose: '测试用途', fields });
  expect(request.statusCode, request.body).toBe(201);
  const body = request.json() as { id: string; status: string; grantId: string | null };
  if (body.status === 'granted') return body;
  const decided = await call(provider, 'POST', `/api/v1/sharing/requests/${body.id}/decision`, { decision: 'grant', ...decision });
  expect(decided.statusCode, decided.body).toBe(200);
  return decided.json() as { id: string; status: string; grantId: string };
}

const PERSON_A = demoIdNumber('440305', '19880808', '135');
const PERSON_B = demoIdNumber('440306', '19750312', '246');

// --- catalog -------------------------------------------------------------------------------------

describe('the resource catalog', () => {
  it('publishes the four demo providers to every data-sharing administrator; endpoints and record counts only to the provider', async () => {
    expect([...resources.keys()]).toEqual(expect.arrayContaining(['household', 'social_insurance', 'market_entity', 'real_estate']));
    const asConsumer = (await call(datashare, 'GET', `/api/v1/sharing/resources/${resourceId('household')}`)).json() as Record<string, unknown>;
    expect(asConsumer).toMatchObject({ code: 'household', providerDepartmentName: POLICE, status: 'published', sharingType: 'conditional', subjectType: 'id_number' });
    expect(asConsumer).not.toHaveProperty('recordCount');
    const asProvider = (await call(police, 'GET', `/api/v1/sharing/resources/${resourceId('household')}`)).json() as Record<string, unknown>;
    expect(asProvider.recordCount).toBeGreaterThanOrEqual(12);
    const asAdmin = await call(admin, 'GET', `/api/v1/sharing/resources?sharingType=unconditional`);
    expect((asAdmin.json() as { items: Array<{ code: string }> }).items.map((r) => r.code)).toContain('market_entity');
  });

  it('registers a draft that only its department sees, until it is published', async () => {
    const created = await call(police, 'POST', '/api/v1/sharing/resources', hostedInput('police-draft-1'));
    expect(created.statusCode, created.body).toBe(201);
    const draft = created.json() as { id: string; status: string; providerDepartmentId: string };
    expect(draft).toMatchObject({ status: 'draft', providerDepartmentId: dept(POLICE) });
    expect((await call(datashare, 'GET', `/api/v1/sharing/resources/${draft.id}`)).statusCode).toBe(404);
    expect((await call(datashare, 'GET', `/api/v1/sharing/resources?status=draft&departmentId=${dept(POLICE)}`)).statusCode).toBe(404);
    const listed = (await call(datashare, 'GET', '/api/v1/sharing/resources?q=police-draft')).json() as { items: unknown[] };
    expect(listed.items).toEqual([]);
    expect((await call(police, 'GET', `/api/v1/sharing/resources/${draft.id}`)).statusCode).toBe(200);
    expect((await call(police, 'GET', '/api/v1/sharing/resources?status=draft')).json()).toMatchObject({ items: [expect.objectContaining({ id: draft.id })] });
    expect((await call(admin, 'GET', `/api/v1/sharing/resources/${draft.id}`)).statusCode).toBe(200);
    // nor can another department change it, or register data in another's name
    expect((await call(datashare, 'PATCH', `/api/v1/sharing/resources/${draft.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await call(datashare, 'POST', `/api/v1/sharing/resources/${draft.id}/publish`)).statusCode).toBe(404);
    expect((await call(datashare, 'POST', '/api/v1/sharing/resources', { ...hostedInput('planted'), providerDepartmentId: dept(POLICE) })).statusCode).toBe(404);

    const published = await call(police, 'POST', `/api/v1/sharing/resources/${draft.id}/publish`);
    expect(published.json()).toMatchObject({ status: 'published', publishedAt: expect.any(String) });
    expect((await call(datashare, 'GET', `/api/v1/sharing/resources/${draft.id}`)).statusCode).toBe(200);
    expect((await call(police, 'POST', `/api/v1/sharing/resources/${draft.id}/publish`)).json()).toMatchObject({ code: 'resource_not_draft' });
    resources.set('police-draft-1', { id: draft.id, code: 'police-draft-1' });
  });

  it('checks a definition as a whole and lists every problem', async () => {
    const bad = await call(police, 'POST', '/api/v1/sharing/resources', hostedInput('bad-def', {
      sharingType: 'unconditional',
      fields: [
        { name: 'name', label: '姓名', type: 'string', sensitivity: 'personal' },
        { name: 'name', label: '重复', type: 'string', sensitivity: 'personal' },
        { name: 'idNumber', label: '主体', type: 'string', sensitivity: 'personal' },
        { name: 'health', label: '健康状况', type: 'string', sensitivity: 'sensitive' },
      ],
      endpoint: { url: 'http://127.0.0.1:9/x' },
    }));
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { errors: Array<{ field: string; code: string }> }).errors.map((e) => [e.field, e.code])).toEqual([
      ['fields[1].name', 'duplicate_field'],
      ['fields[2].name', 'subject_field_clash'],
      ['sharingType', 'sensitive_unconditional'],
      ['endpoint', 'endpoint_not_proxied'],
    ]);
    const conditional = await call(police, 'POST', '/api/v1/sharing/resources', hostedInput('bad-cond', { conditions: '  ' }));
    expect((conditional.json() as { errors: Array<{ code: string }> }).errors).toEqual([expect.objectContaining({ field: 'conditions', code: 'conditions_required' })]);
    const proxied = await call(police, 'POST', '/api/v1/sharing/resources', hostedInput('bad-proxy', { backend: 'proxied' }));
    expect((proxied.json() as { errors: Array<{ code: string }> }).errors).toEqual([expect.objectContaining({ code: 'endpoint_required' })]);
    for (const url of ['http://10.0.0.5/lookup', 'file:///etc/passwd', 'http://user:pw@127.0.0.1/x', 'not a url', 'http://127.0.0.1.evil.example/x']) {
      const res = await call(police, 'POST', '/api/v1/sharing/resources', hostedInput('bad-host', { backend: 'proxied', endpoint: { url } }));
      expect((res.json() as { errors?: Array<{ code: string }> }).errors, url).toEqual([expect.objectContaining({ field: 'endpoint.url', code: 'endpoint_not_allowed' })]);
    }
    expect((await call(police, 'POST', '/api/v1/sharing/resources', hostedInput('household'))).json()).toMatchObject({ code: 'resource_code_taken' });
    expect((await call(police, 'POST', '/api/v1/sharing/resources', { ...hostedInput('x'), code: 'a b' })).statusCode).toBe(400);
  });

  it('lets a published resource gain items but never lose or retype one', async () => {
    const id = resourceId('police-draft-1');
    const base = hostedInput('x').fields;
    const dropped = await call(police, 'PATCH', `/api/v1/sharing/resources/${id}`, { fields: base.slice(0, 2) });
    expect(dropped.json()).toMatchObject({ code: 'published_fields_locked', status: 422 });
    const retyped = await call(police, 'PATCH', `/api/v1/sharing/resources/${id}`, { fields: [...base.slice(0, 2), { ...base[2]!, type: 'integer' }] });
    expect(retyped.statusCode).toBe(422);
    const added = await call(police, 'PATCH', `/api/v1/sharing/resources/${id}`, { fields: [...base, { name: 'extra', label: '新增项', type: 'date', sensitivity: 'general' }], description: '新增一项' });
    expect(added.statusCode, added.body).toBe(200);
    expect((added.json() as { fields: unknown[] }).fields).toHaveLength(4);
  });

  it('is readable by a consumer system holding a gateway token', async () => {
    const issued = await call(datashare, 'POST', '/api/v1/sharing/credentials', { name: '数据局业务系统' });
    const token = (issued.json() as { token: string }).token;
    const res = await platform.app.inject({ method: 'GET', url: '/api/v1/sharing/resources', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { items: Array<{ code: string }> }).items.map((r) => r.code)).toContain('household');
  });
});

// --- datasets ------------------------------------------------------------------------------------

describe('dataset uploads', () => {
  let id: string;
  beforeAll(async () => {
    id = await createPublished(police, 'police-dataset');
  });

  const upload = (session: Session, body: string | object, type = typeof body === 'string' ? 'text/csv' : 'application/json') =>
    call(session, 'POST', `/api/v1/sharing/resources/${id}/records`, body, { 'content-type': type });

  it('loads a CSV written by Excel: BOM, CRLF, quoted commas and quotes', async () => {
    const csv = `\uFEFFidNumber,name,score,note\r\n${PERSON_A},张三,10,"a, ""quoted"" note"\r\n${PERSON_B.toLowerCase()},李四,,\r\n`;
    const res = await upload(police, csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ rows: 2, inserted: 2, updated: 0, deleted: 0, recordCount: 2 });
  });

  it('updates incrementally: only the columns sent change; _op=delete removes a record', async () => {
    const res = await upload(police, { records: [{ idNumber: PERSON_A, score: 11 }, { idNumber: PERSON_B, _op: 'delete' }] });
    expect(res.json()).toEqual({ rows: 2, inserted: 0, updated: 1, deleted: 1, recordCount: 1 });
    const row = await platform.database.db.selectFrom('sharing_records').select('data').where('resource_id', '=', id).where('subject', '=', PERSON_A).executeTakeFirstOrThrow();
    expect(row.data).toEqual({ name: '张三', score: 11, note: 'a, "quoted" note' });
  });

  it('applies nothing when any row is wrong, and lists every wrong row', async () => {
    const res = await upload(police, `idNumber,name,score\n${PERSON_A},改名,12\n${PERSON_B},,x\n123,王五,1\n`, 'text/csv; charset=utf-8');
    expect(res.statusCode).toBe(422);
    const body = res.json() as { code: string; title: string; errors: Array<{ field: string; code: string; message: string }> };
    expect(body.code).toBe('dataset_rejected');
    expect(body.errors.map((e) => [e.field, e.code])).toEqual([
      ['records[1].name', 'row_required'],
      ['records[1].score', 'row_invalid_value'],
      ['records[2].idNumber', 'row_invalid_subject'],
    ]);
    expect(body.errors[0]!.message).toBe('第 3 行：此项必填');
    expect(body.title).toContain('3 处错误');
    const row = await platform.database.db.selectFrom('sharing_records').select('data').where('resource_id', '=', id).where('subject', '=', PERSON_A).executeTakeFirstOrThrow();
    expect(row.data.name).toBe('张三');
    const en = await call(police, 'POST', `/api/v1/sharing/resources/${id}/records`, `idNumber,name\n1,x\n`, { 'content-type': 'text/csv', 'accept-language': 'en' });
    expect((en.json() as { errors: Array<{ message: string }> }).errors[0]!.message).toBe('Row 2: invalid identifier');
  });

  it('refuses uploads to another department\'s resource, to a proxied resource, too large, or of another type', async () => {
    expect((await call(datashare, 'POST', `/api/v1/sharing/resources/${id}/records`, { records: [] })).statusCode).toBe(404);
    const big = await call(police, 'POST', `/api/v1/sharing/resources/${id}/records`, 'x', { 'content-type': 'text/csv', 'content-length': String(9 * 1024 * 1024) });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'dataset_too_large' });
    expect((await upload(police, 'idNumber,name\n', 'text/plain')).statusCode).toBe(415);
    expect((await upload(police, { records: [] })).json()).toMatchObject({ code: 'dataset_rejected', errors: [{ code: 'dataset_empty' }] });
  });

  it('records each import in the audit log, without personal data', async () => {
    const audit = await platform.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'sharing.dataset.imported').where('target_id', '=', id).execute();
    expect(audit.length).toBe(2);
    expect(JSON.stringify(audit)).not.toContain(PERSON_A);
  });
});

// --- requests and grants ---------------------------------------------------------------------------

describe('access requests and grants', () => {
  it('a conditional resource waits for the provider, who grants a subset of the items until a date', async () => {
    const id = await createPublished(police, 'police-grant-1');
    await call(police, 'POST', `/api/v1/sharing/resources/${id}/records`, { records: [{ idNumber: PERSON_A, name: '张三', score: 7, note: '不应给出' }] });
    const request = await call(datashare, 'POST', '/api/v1/sharing/requests', { resourceId: id, purpose: '核验积分', itemCodes: ['000000000001'], fields: ['name', 'score', 'note'], until: '2099-01-01' });
    expect(request.statusCode).toBe(400); // more than three years ahead
    const ok = await call(datashare, 'POST', '/api/v1/sharing/requests', { resourceId: id, purpose: '核验积分', fields: ['name', 'score', 'note'] });
    expect(ok.json()).toMatchObject({ status: 'pending', providerDepartmentName: POLICE, consumerDepartmentName: DATA_BUREAU, grantId: null });
    const requestId = (ok.json() as { id: string }).id;

    const incoming = (await call(police, 'GET', '/api/v1/sharing/requests?status=pending')).json() as { items: Array<{ id: string }> };
    expect(incoming.items.map((r) => r.id)).toContain(requestId);
    const outgoing = (await call(datashare, 'GET', '/api/v1/sharing/requests?side=outgoing')).json() as { items: Array<{ id: string }> };
    expect(outgoing.items.map((r) => r.id)).toContain(requestId);
    expect((await call(datashare, 'GET', '/api/v1/sharing/requests')).json()).not.toMatchObject({ items: [expect.objectContaining({ id: requestId })] });

    // the consumer cannot decide its own request; the provider cannot grant what was not asked
    expect((await call(datashare, 'POST', `/api/v1/sharing/requests/${requestId}/decision`, { decision: 'grant' })).statusCode).toBe(404);
    const wider = await call(police, 'POST', `/api/v1/sharing/requests/${requestId}/decision`, { decision: 'grant', fields: ['name', 'extra'] });
    expect((wider.json() as { errors: Array<{ field: string; code: string }> }).errors).toEqual([expect.objectContaining({ field: 'fields[1]', code: 'not_requested' })]);
    const past = await call(police, 'POST', `/api/v1/sharing/requests/${requestId}/decision`, { decision: 'grant', expiresOn: '2020-01-01' });
    expect((past.json() as { errors: Array<{ code: string }> }).errors).toEqual([expect.objectContaining({ field: 'expiresOn', code: 'expiry_in_past' })]);

    const granted = await call(police, 'POST', `/api/v1/sharing/requests/${requestId}/decision`, { decision: 'grant', fields: ['name', 'score'], expiresOn: '2027-06-30', note: '同意' });
    expect(granted.json()).toMatchObject({ status: 'granted', grantId: expect.any(String), decisionNote: '同意' });
    expect((await call(police, 'POST', `/api/v1/sharing/requests/${requestId}/decision`, { decision: 'reject' })).json()).toMatchObject({ code: 'request_already_decided' });

    const grants = (await call(datashare, 'GET', `/api/v1/sharing/grants?side=consumer&resourceId=${id}`)).json() as { items: Array<Record<string, unknown>> };
    expect(grants.items).toEqual([expect.objectContaining({ fields: ['name', 'score'], expiresAt: '2027-06-30T15:59:59.999Z', state: 'active', consumerDepartmentName: DATA_BUREAU })]);

    const served = await lookup(datashare, 'police-grant-1', { subject: PERSON_A });
    expect(served.statusCode, served.body).toBe(200);
    expect((served.json() as SignedLookup).payload.data).toEqual({ name: '张三', score: 7 });
  });

  it('a rejected request leaves no grant', async () => {
    const id = await createPublished(police, 'police-grant-2');
    const request = (await call(datashare, 'POST', '/api/v1/sharing/requests', { resourceId: id, purpose: '用途', fields: ['name'] })).json() as { id: string };
    const rejected = await call(police, 'POST', `/api/v1/sharing/requests/${request.id}/decision`, { decision: 'reject', note: '用途不明确' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', grantId: null, decisionNote: '用途不明确' });
    expect((await lookup(datashare, 'police-grant-2', { subject: PERSON_A })).json()).toMatchObject({ code: 'no_grant' });
  });

  it('grants an unconditional resource at once; refuses resources not shared, one\'s own, and drafts', async () => {
    const auto = await call(datashare, 'POST', '/api/v1/sharing/requests', { resourceId: resourceId('market_entity'), purpose: '核验企业', fields: ['name', 'status'] });
    expect(auto.json()).toMatchObject({ status: 'granted', grantId: expect.any(String) });
    const notShared = await createPublished(police, 'police-not-shared', { sharingType: 'not_shared', conditions: '涉及国家秘密' });
    expect((await call(datashare, 'POST', '/api/v1/sharing/requests', { resourceId: notShared, purpose: 'x', fields: ['name'] })).json()).toMatchObject({ code: 'resource_not_shared', status: 422 });
    expect((await call(police, 'POST', '/api/v1/sharing/requests', { resourceId: resourceId('household'), purpose: 'x', fields: ['name'] })).json()).toMatchObject({ code: 'own_resource' });
    const draft = (await call(police, 'POST', '/api/v1/sharing/resources', hostedInput('police-draft-2'))).json() as { id: string };
    expect((await call(datashare, 'POST', '/api/v1/sharing/requests', { resourceId: draft.id, purpose: 'x', fields: ['name'] })).statusCode).toBe(404);
    const unknownItem = await call(datashare, 'POST', '/api/v1/sharing/requests', { resourceId: resourceId('household'), purpose: 'x', fields: ['name', 'salary'] });
    expect((unknownItem.json() as { errors: Array<{ field: string; code: string }> }).errors).toEqual([expect.objectContaining({ field: 'fields[1]', code: 'unknown_item' })]);
  });

  it('a new grant supersedes the live one; the provider revokes, the consumer cannot', async () => {
    await createPublished(police, 'police-grant-3');
    const first = await grant(datashare, police, 'police-grant-3', ['name']);
    const second = await grant(datashare, police, 'police-grant-3', ['name', 'score']);
    const list = (await call(police, 'GET', `/api/v1/sharing/grants?resourceId=${resourceId('police-grant-3')}`)).json() as { items: Array<{ id: string; state: string; revokeReason: string | null }> };
    expect(list.items.find((g) => g.id === first.grantId)).toMatchObject({ state: 'revoked', revokeReason: 'superseded' });
    expect(list.items.find((g) => g.id === second.grantId)).toMatchObject({ state: 'active' });

    expect((await call(datashare, 'POST', `/api/v1/sharing/grants/${second.grantId}/revoke`, { reason: '不要了' })).statusCode).toBe(404);
    const revoked = await call(police, 'POST', `/api/v1/sharing/grants/${second.grantId}/revoke`, { reason: '用途已结束' });
    expect(revoked.json()).toMatchObject({ state: 'revoked', revokeReason: '用途已结束' });
    expect((await call(police, 'POST', `/api/v1/sharing/grants/${second.grantId}/revoke`, { reason: 'again' })).json()).toMatchObject({ code: 'grant_already_revoked' });

    const refused = await lookup(datashare, 'police-grant-3', { subject: PERSON_A });
    expect(refused.json()).toMatchObject({ status: 403, code: 'grant_revoked' });
    expect(await lastLog()).toMatchObject({ outcome: 'refused', reason: 'grant_revoked', grant_id: second.grantId });
  });

  it('keeps each department to its own requests and grants (system admin sees any)', async () => {
    expect((await call(datashare, 'GET', `/api/v1/sharing/requests?departmentId=${dept(POLICE)}`)).statusCode).toBe(404);
    expect((await call(datashare, 'GET', `/api/v1/sharing/grants?departmentId=${dept(POLICE)}`)).statusCode).toBe(404);
    const asAdmin = await call(admin, 'GET', `/api/v1/sharing/grants?departmentId=${dept(POLICE)}&live=true`);
    expect(asAdmin.statusCode).toBe(200);
    expect((asAdmin.json() as { items: Array<{ resourceCode: string }> }).items.map((g) => g.resourceCode)).toContain('household');
  });
});

// --- the gateway ---------------------------------------------------------------------------------

describe('the gateway', () => {
  it('serves only the granted items, signed by the platform; the signature verifies with sm-crypto', async () => {
    const caseRef = nextCase();
    const res = await lookup(datashare, 'household', { subject: DEMO_PERSON.idNumber, purpose: '身份核验' }, caseRef);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as SignedLookup;
    expect(body.payload).toMatchObject({
      kind: 'lookup',
      resourceCode: 'household',
      subject: DEMO_PERSON.idNumber,
      caseRef,
      consumerDepartmentId: dept(DATA_BUREAU),
      fields: ['name', 'gender', 'address'],
      found: true,
      data: { name: DEMO_PERSON.name, gender: '男', address: expect.stringContaining('深圳市') },
    });
    expect(Object.keys(body.payload.data!)).toEqual(['name', 'gender', 'address']); // birth date, marital status … dropped

    const keys = (await platform.app.inject({ method: 'GET', url: '/api/v1/sharing/platform-keys' })).json() as { currentKeyId: string; keys: Array<{ keyId: string; publicKey: string; userId: string }> };
    const key = keys.keys.find((k) => k.keyId === body.signature.keyId)!;
    expect(keys.currentKeyId).toBe(body.signature.keyId);
    expect(body.signature).toMatchObject({ algorithm: 'SM2-SM3', userId: '1234567812345678' });
    // what a consumer does with the JSON it received: sorted-key JSON of the payload, then SM2 verify
    const signed = canonicalJson(body.payload);
    expect(smCrypto.sm2.doVerifySignature(signed, body.signature.value, key.publicKey, { hash: true, userId: key.userId })).toBe(true);
    const forged = canonicalJson({ ...body.payload, data: { ...body.payload.data, name: '李四' } });
    expect(smCrypto.sm2.doVerifySignature(forged, body.signature.value, key.publicKey, { hash: true })).toBe(false);

    const entry = await lastLog();
    expect(entry).toMatchObject({ outcome: 'ok', kind: 'lookup', case_ref: caseRef, purpose: '身份核验', fields: ['name', 'gender', 'address'], consumer_department_id: dept(DATA_BUREAU), provider_department_id: dept(POLICE), request_id: body.payload.requestId, actor: datashare.user.id });
    expect(entry.response_digest).toBe(smCrypto.sm3(signed));
    expect(entry.subject_masked).toBe(`440${'*'.repeat(11)}${DEMO_PERSON.idNumber.slice(-4)}`);
    expect(entry.subject_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serves a chosen subset of the granted items', async () => {
    const res = await lookup(datashare, 'household', { subject: DEMO_PERSON.idNumber, fields: ['gender'] });
    expect((res.json() as SignedLookup).payload).toMatchObject({ fields: ['gender'], data: { gender: '男' } });
  });

  it('answers found: false for a subject the provider has no record of, and logs it', async () => {
    const res = await lookup(datashare, 'household', { subject: PERSON_B });
    expect((res.json() as SignedLookup).payload).toMatchObject({ found: false, data: null });
    expect(await lastLog()).toMatchObject({ outcome: 'not_found', reason: null });
  });

  it.each([
    ['without a grant', 'social_insurance', { subject: DEMO_PERSON.idNumber }, 'case', 403, 'no_grant'],
    ['beyond the granted items', 'household', { subject: DEMO_PERSON.idNumber, fields: ['name', 'birthDate'] }, 'case', 403, 'fields_not_granted'],
    ['for an item the resource does not have', 'household', { subject: DEMO_PERSON.idNumber, fields: ['salary'] }, 'case', 403, 'fields_not_granted'],
    ['without a case', 'household', { subject: DEMO_PERSON.idNumber }, null, 400, 'case_required'],
    ['with an empty case', 'household', { subject: DEMO_PERSON.idNumber }, '   ', 400, 'case_required'],
    ['with a malformed case number', 'household', { subject: DEMO_PERSON.idNumber }, 'x'.repeat(65), 400, 'invalid_case_ref'],
    ['with a case number holding spaces', 'household', { subject: DEMO_PERSON.idNumber }, 'TB 2026', 400, 'invalid_case_ref'],
    ['for an invalid ID number', 'household', { subject: '440304199001011234' }, 'case', 400, 'invalid_subject'],
    ['for a credit code on an ID-number resource', 'household', { subject: DEMO_ENTERPRISE.creditCode }, 'case', 400, 'invalid_subject'],
  ] as const)('refuses a look-up %s, and logs the refusal', async (_label, code, body, caseRef, status, reason) => {
    const before = (await logRows()).length;
    const res = await lookup(datashare, code, body, caseRef === 'case' ? nextCase() : caseRef);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json()).toMatchObject({ code: reason });
    expect(res.body).not.toContain(DEMO_PERSON.name);
    const rows = await logRows();
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toMatchObject({ outcome: 'refused', reason, response_digest: null, resource_id: resourceId(code), consumer_department_id: dept(DATA_BUREAU) });
  });

  it('refuses (without logging) a resource that does not exist or is still a draft', async () => {
    const before = (await logRows()).length;
    expect((await lookup(datashare, '3f1c9a52-8d4e-4b7a-9c1d-2e5f6a7b8c9d', { subject: DEMO_PERSON.idNumber })).json()).toMatchObject({ code: 'resource_not_found' });
    const draft = (await call(police, 'GET', '/api/v1/sharing/resources?status=draft')).json() as { items: Array<{ id: string }> };
    expect((await lookup(datashare, draft.items[0]!.id, { subject: DEMO_PERSON.idNumber })).statusCode).toBe(404);
    expect((await logRows()).length).toBe(before);
  });

  it('refuses a look-up after the grant expired (injectable clock), and logs it', async () => {
    const grants = (await call(datashare, 'GET', `/api/v1/sharing/grants?side=consumer&resourceId=${resourceId('household')}&live=true`)).json() as { items: Array<{ id: string; expiresAt: string }> };
    const expiresAt = new Date(grants.items[0]!.expiresAt);
    let now = new Date(expiresAt.getTime() - 1000);
    const other = instance({ now: () => now });
    const request = { consumerDepartmentId: dept(DATA_BUREAU), resourceId: resourceId('household'), subject: DEMO_PERSON.idNumber, caseRef: nextCase(), purpose: '到期测试' };
    expect((await other.lookup(request)).payload.found).toBe(true);
    now = new Date(expiresAt.getTime() + 1);
    await expect(other.lookup(request)).rejects.toMatchObject({ code: 'grant_expired', status: 403 });
    expect(await lastLog()).toMatchObject({ outcome: 'refused', reason: 'grant_expired', grant_id: grants.items[0]!.id });
    const state = (await instance({ now: () => now }).listGrants({ kind: 'staff', userId: 'x', name: 'x', roles: ['data_sharing_admin'], departmentId: dept(DATA_BUREAU), regionPath: '440300' }, { side: 'consumer', resourceId: resourceId('household') })).items[0]!.state;
    expect(state).toBe('expired');
  });

  it('asks the case directory (extension point): a case outside the consumer\'s scope is refused and logged; the case\'s item must be covered', async () => {
    const seen: Array<[string, string]> = [];
    const cases: CaseDirectory = {
      async confirm(caseRef, consumer) {
        seen.push([caseRef, consumer]);
        if (caseRef.startsWith('FOREIGN')) return { ok: false };
        return caseRef.startsWith('ITEM') ? { ok: true, itemCode: `${departments.get(DATA_BUREAU)!.creditCode}1999999999999` } : { ok: true };
      },
    };
    const other = instance({ cases });
    const base = { consumerDepartmentId: dept(DATA_BUREAU), resourceId: resourceId('household'), subject: DEMO_PERSON.idNumber, purpose: null };
    await expect(other.lookup({ ...base, caseRef: 'FOREIGN-0001' })).rejects.toMatchObject({ code: 'case_out_of_scope', status: 403 });
    expect(await lastLog()).toMatchObject({ outcome: 'refused', reason: 'case_out_of_scope', case_ref: 'FOREIGN-0001' });
    expect(seen).toEqual([['FOREIGN-0001', dept(DATA_BUREAU)]]);
    expect((await other.lookup({ ...base, caseRef: 'OWN-0001' })).payload.found).toBe(true);

    // a grant that names its items covers only those
    await createPublished(police, 'police-items');
    await call(police, 'POST', `/api/v1/sharing/resources/${resourceId('police-items')}/records`, { records: [{ idNumber: DEMO_PERSON.idNumber, name: '张三' }] });
    const request = (await call(datashare, 'POST', '/api/v1/sharing/requests', { resourceId: resourceId('police-items'), purpose: 'x', fields: ['name'], itemCodes: ['000000000001'] })).json() as { id: string };
    await call(police, 'POST', `/api/v1/sharing/requests/${request.id}/decision`, { decision: 'grant' });
    await expect(other.lookup({ ...base, resourceId: resourceId('police-items'), caseRef: 'ITEM-0001' })).rejects.toMatchObject({ code: 'item_not_covered' });
    expect((await other.lookup({ ...base, resourceId: resourceId('police-items'), caseRef: 'OWN-0002' })).payload.found).toBe(true);
  });

  it('refuses every look-up of a withdrawn resource, and logs them', async () => {
    const id = await createPublished(police, 'police-withdrawn');
    await grant(datashare, police, 'police-withdrawn', ['name']);
    const withdrawn = await call(police, 'POST', `/api/v1/sharing/resources/${id}/withdraw`);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn' });
    expect((await lookup(datashare, 'police-withdrawn', { subject: PERSON_A })).json()).toMatchObject({ code: 'resource_withdrawn' });
    expect(await lastLog()).toMatchObject({ outcome: 'refused', reason: 'resource_withdrawn' });
    expect((await call(police, 'POST', `/api/v1/sharing/resources/${id}/withdraw`)).json()).toMatchObject({ code: 'resource_not_published' });
  });

  it('refuses (and logs) look-ups of a resource its provider re-classified as not shared', async () => {
    const id = await createPublished(police, 'police-reclassified');
    await grant(datashare, police, 'police-reclassified', ['name']);
    expect((await lookup(datashare, 'police-reclassified', { subject: PERSON_A })).statusCode).toBe(200);
    expect((await call(police, 'PATCH', `/api/v1/sharing/resources/${id}`, { sharingType: 'not_shared', conditions: '涉密' })).statusCode).toBe(200);
    expect((await lookup(datashare, 'police-reclassified', { subject: PERSON_A })).json()).toMatchObject({ status: 422, code: 'resource_not_shared' });
    expect(await lastLog()).toMatchObject({ outcome: 'refused', reason: 'resource_not_shared' });
  });

  it('takes consumer systems\' bearer tokens (identity API clients with a department and sharing:lookup)', async () => {
    const issued = await call(datashare, 'POST', '/api/v1/sharing/credentials', { name: '不动产联办系统' });
    expect(issued.statusCode, issued.body).toBe(201);
    const { client, token } = issued.json() as { client: { id: string; scopes: string[]; departmentId: string }; token: string };
    expect(client).toMatchObject({ scopes: ['sharing:lookup'], departmentId: dept(DATA_BUREAU) });
    const res = await lookup({ bearer: token }, 'household', { subject: DEMO_PERSON.idNumber });
    expect(res.statusCode, res.body).toBe(200);
    expect(await lastLog()).toMatchObject({ outcome: 'ok', actor: `client:${client.id}`, consumer_department_id: dept(DATA_BUREAU) });

    // listed for its own department only; revoked, it is no identity at all
    expect(((await call(datashare, 'GET', '/api/v1/sharing/credentials')).json() as { items: Array<{ id: string }> }).items.map((c) => c.id)).toContain(client.id);
    expect(((await call(police, 'GET', '/api/v1/sharing/credentials')).json() as { items: Array<{ id: string }> }).items.map((c) => c.id)).not.toContain(client.id);
    expect((await call(police, 'DELETE', `/api/v1/sharing/credentials/${client.id}`)).statusCode).toBe(404);
    expect((await call(datashare, 'DELETE', `/api/v1/sharing/credentials/${client.id}`)).statusCode).toBe(200);
    expect((await lookup({ bearer: token }, 'household', { subject: DEMO_PERSON.idNumber })).statusCode).toBe(401);
    expect((await call(datashare, 'DELETE', `/api/v1/sharing/credentials/${client.id}`)).statusCode).toBe(404);
  });

  it('refuses (and logs) a client that belongs to no department', async () => {
    const created = await call(admin, 'POST', '/api/v1/admin/api-clients', { name: '无部门渠道', scopes: ['sharing:lookup'] });
    const token = (created.json() as { token: string }).token;
    const res = await lookup({ bearer: token }, 'household', { subject: DEMO_PERSON.idNumber });
    expect(res.json()).toMatchObject({ status: 403, code: 'consumer_unknown' });
    expect(await lastLog()).toMatchObject({ outcome: 'refused', reason: 'consumer_unknown', consumer_department_id: null });
  });

  it('keeps the log chains valid under 40 concurrent look-ups, served and refused', async () => {
    const before = (await logRows()).length;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      lookup(datashare, i % 4 === 3 ? 'social_insurance' : 'household', { subject: i % 2 ? DEMO_PERSON.idNumber : PERSON_B })));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(30);
    expect(results.filter((r) => r.statusCode === 403)).toHaveLength(10);
    const rows = await logRows();
    expect(rows.length).toBe(before + 40);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(rows.length);
    const verified = await call(admin, 'GET', '/api/v1/admin/sharing/access-log/verify');
    expect(verified.json()).toMatchObject({ ok: true, checked: rows.length });
  });
});

// --- a proxied provider --------------------------------------------------------------------------

describe('a proxied provider behind the gateway', () => {
  let server: Server;
  let mode: 'ok' | 'down' = 'ok';
  let calls = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      calls++;
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (mode === 'down') return void res.writeHead(503).end();
        const { subject } = JSON.parse(body) as { subject: string };
        const record = subject === PERSON_A ? { name: '代理', score: 3, note: '未授权的项', secret: '不在目录里的项' } : null;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ record }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('proxies the look-up, drops what is not granted, and reports provider failures (logged) until the breaker opens', async () => {
    const port = (server.address() as AddressInfo).port;
    await createPublished(police, 'police-proxied', { backend: 'proxied', endpoint: { url: `http://127.0.0.1:${port}/records`, timeoutMs: 500, retries: 0 } });
    await grant(datashare, police, 'police-proxied', ['name', 'score']);
    const res = await lookup(datashare, 'police-proxied', { subject: PERSON_A });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as SignedLookup).payload.data).toEqual({ name: '代理', score: 3 });
    expect((await lookup(datashare, 'police-proxied', { subject: PERSON_B })).json()).toMatchObject({ payload: { found: false } });

    mode = 'down';
    for (let i = 0; i < 5; i++) {
      const failed = await lookup(datashare, 'police-proxied', { subject: PERSON_A });
      expect(failed.json()).toMatchObject({ status: 502, code: 'provider_unavailable' });
    }
    expect(await lastLog()).toMatchObject({ outcome: 'failed', reason: 'provider_unavailable', fields: ['name', 'score'] });
    const callsBefore = calls;
    const open = await lookup(datashare, 'police-proxied', { subject: PERSON_A });
    expect(open.json()).toMatchObject({ status: 503, code: 'provider_circuit_open' });
    expect(calls).toBe(callsBefore);
    expect(await lastLog()).toMatchObject({ outcome: 'failed', reason: 'provider_circuit_open' });
    // its endpoint is the provider's business
    expect((await call(datashare, 'GET', `/api/v1/sharing/resources/${resourceId('police-proxied')}`)).json()).not.toHaveProperty('endpoint');
    expect((await call(police, 'GET', `/api/v1/sharing/resources/${resourceId('police-proxied')}`)).json()).toMatchObject({ endpoint: { url: expect.stringContaining('127.0.0.1'), retries: 0 } });
  });
});

// --- the access log as people see it -------------------------------------------------------------

describe('the access log', () => {
  it('shows a provider every access to its data, and a consumer its own accesses; nobody else\'s', async () => {
    const asProvider = (await call(police, 'GET', `/api/v1/sharing/access-log?resourceId=${resourceId('household')}&limit=100`)).json() as { items: Array<Record<string, unknown>> };
    expect(asProvider.items.length).toBeGreaterThan(10);
    expect(asProvider.items.every((e) => e.providerDepartmentName === POLICE)).toBe(true);
    expect(asProvider.items.some((e) => e.outcome === 'refused')).toBe(true);
    expect(asProvider.items[0]).toMatchObject({ resourceCode: 'household', consumerDepartmentName: expect.any(String), subjectMasked: expect.stringMatching(/^\d{3}\*+\w{4}$/) });

    const asConsumer = (await call(datashare, 'GET', '/api/v1/sharing/access-log?side=consumer&limit=100')).json() as { items: Array<Record<string, unknown>> };
    expect(asConsumer.items.length).toBeGreaterThan(10);
    expect(asConsumer.items.every((e) => e.consumerDepartmentName === DATA_BUREAU)).toBe(true);
    // the data bureau provides nothing: its provider view is empty; the police's is not its to see
    expect((await call(datashare, 'GET', '/api/v1/sharing/access-log')).json()).toMatchObject({ items: [] });
    expect((await call(datashare, 'GET', `/api/v1/sharing/access-log?departmentId=${dept(POLICE)}`)).statusCode).toBe(404);
    expect((await call(admin, 'GET', `/api/v1/sharing/access-log?departmentId=${dept(POLICE)}`)).statusCode).toBe(200);

    // pages
    const first = (await call(police, 'GET', '/api/v1/sharing/access-log?limit=5')).json() as { items: Array<{ id: number }>; nextCursor: string };
    const second = (await call(police, 'GET', `/api/v1/sharing/access-log?limit=5&cursor=${first.nextCursor}`)).json() as { items: Array<{ id: number }> };
    expect(second.items[0]!.id).toBeLessThan(first.items.at(-1)!.id);
  });

  it('never holds a subject in clear', async () => {
    const dump = JSON.stringify(await logRows());
    for (const subject of [DEMO_PERSON.idNumber, PERSON_A, PERSON_B, DEMO_ENTERPRISE.creditCode]) expect(dump).not.toContain(subject);
  });

  it('shows a citizen who looked up their data, and for which case; only their own', async () => {
    const caseRef = nextCase();
    await lookup(datashare, 'household', { subject: DEMO_PERSON.idNumber }, caseRef);
    const mine = (await call(person, 'GET', '/api/v1/me/data-access?limit=100')).json() as { items: Array<Record<string, unknown>> };
    expect(mine.items[0]).toMatchObject({
      kind: 'lookup',
      resourceName: '户籍人口基本信息',
      providerDepartmentName: POLICE,
      consumerDepartmentName: DATA_BUREAU,
      caseRef,
      outcome: 'ok',
      fields: [{ name: 'name', label: '姓名' }, { name: 'gender', label: '性别' }, { name: 'address', label: '户籍地址' }],
    });
    expect(mine.items[0]).not.toHaveProperty('actor');
    const all = await logRows();
    expect(mine.items.length).toBe(all.filter((r) => r.subject_hash === all.at(-1)!.subject_hash).length);

    // the enterprise sees the look-ups of its market-entity record, not the person's
    await lookup(datashare, 'market_entity', { subject: DEMO_ENTERPRISE.creditCode });
    const theirs = (await call(enterprise, 'GET', '/api/v1/me/data-access')).json() as { items: Array<{ resourceName: string }> };
    expect(theirs.items.map((e) => e.resourceName)).toEqual(['市场主体登记信息']);

    // someone looked up by nobody sees nothing
    const idNumber = demoIdNumber('440307', '19950505', '357');
    await platform.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { kind: 'natural', name: '赵六', idNumber, phone: '13700001111', password: 'Passw0rd1' } });
    const stranger = await login(platform.app, idNumber, 'Passw0rd1');
    expect((await call(stranger, 'GET', '/api/v1/me/data-access')).json()).toEqual({ items: [], nextCursor: null });
    expect((await call(datashare, 'GET', '/api/v1/me/data-access')).statusCode).toBe(403);
  });
});

// --- prefill with consent ----------------------------------------------------------------------------

describe('prefill with the applicant\'s consent', () => {
  /** An item of the data bureau: its implementation code starts with the bureau's credit code. */
  const itemOf = (name: string) => `${departments.get(name)!.creditCode}1000000000101`;

  it('lists what the item\'s department may prefill for this applicant', async () => {
    const res = await call(person, 'GET', `/api/v1/me/prefill-options?itemCode=${itemOf(DATA_BUREAU)}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { departmentName: string; resources: Array<{ code: string; fields: Array<{ name: string }> }> };
    expect(body.departmentName).toBe(DATA_BUREAU);
    expect(body.resources.find((r) => r.code === 'household')!.fields.map((f) => f.name)).toEqual(['name', 'gender', 'address']);
    // an enterprise gets the credit-code resources only
    const forEnterprise = (await call(enterprise, 'GET', `/api/v1/me/prefill-options?itemCode=${itemOf(DATA_BUREAU)}`)).json() as { resources: Array<{ code: string }> };
    expect(forEnterprise.resources.map((r) => r.code)).toEqual(['market_entity']);
  });

  it('looks up and stores nothing without consent', async () => {
    const consents = await platform.database.db.selectFrom('sharing_consents').selectAll().execute();
    const logs = (await logRows()).length;
    const res = await call(person, 'POST', '/api/v1/me/prefill-preview', { itemCode: itemOf(DATA_BUREAU), resourceIds: [resourceId('household')], consent: false });
    expect(res.json()).toMatchObject({ status: 422, code: 'consent_required' });
    expect(await platform.database.db.selectFrom('sharing_consents').selectAll().execute()).toEqual(consents);
    expect((await logRows()).length).toBe(logs);
  });

  it('with consent: records it, shows the values that would be filled, logs the look-ups as prefill', async () => {
    const res = await call(person, 'POST', '/api/v1/me/prefill-preview', { itemCode: itemOf(DATA_BUREAU), resourceIds: [resourceId('household'), resourceId('social_insurance')], consent: true });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { consentId: string; resources: Array<{ status: string; reason: string | null; values: Array<{ field: string; label: string; value: unknown }> }> };
    expect(body.resources[0]).toMatchObject({ status: 'ok', values: [
      { field: 'name', label: '姓名', value: DEMO_PERSON.name },
      { field: 'gender', label: '性别', value: '男' },
      { field: 'address', label: '户籍地址', value: expect.any(String) },
    ] });
    expect(body.resources[1]).toMatchObject({ status: 'unavailable', reason: 'no_grant', values: [] });

    const consents = (await call(person, 'GET', '/api/v1/me/consents')).json() as { items: Array<{ id: string; itemCode: string; departmentName: string; withdrawnAt: string | null }> };
    expect(consents.items[0]).toMatchObject({ id: body.consentId, itemCode: itemOf(DATA_BUREAU), departmentName: DATA_BUREAU, withdrawnAt: null });
    const rows = await logRows();
    expect(rows.slice(-2).map((r) => [r.kind, r.outcome, r.consent_id, r.case_ref])).toEqual([
      ['prefill', 'ok', body.consentId, null],
      ['prefill', 'refused', body.consentId, null],
    ]);
    const mine = (await call(person, 'GET', '/api/v1/me/data-access')).json() as { items: Array<{ kind: string }> };
    expect(mine.items[0]!.kind).toBe('prefill');
    const audit = await platform.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'sharing.consent.given').where('target_id', '=', body.consentId).execute();
    expect(audit).toHaveLength(1);

    expect((await call(enterprise, 'DELETE', `/api/v1/me/consents/${body.consentId}`)).statusCode).toBe(404);
    expect((await call(person, 'DELETE', `/api/v1/me/consents/${body.consentId}`)).statusCode).toBe(200);
    expect((await call(person, 'DELETE', `/api/v1/me/consents/${body.consentId}`)).statusCode).toBe(404);
  });

  it('refuses an item no department implements, and marks resources of the wrong kind unavailable', async () => {
    const unknown = `${demoCreditCode('11', '440300', 888)}1000000000101`;
    expect((await call(person, 'POST', '/api/v1/me/prefill-preview', { itemCode: unknown, resourceIds: [resourceId('household')], consent: true })).json()).toMatchObject({ code: 'item_unknown' });
    const res = await call(person, 'POST', '/api/v1/me/prefill-preview', { itemCode: itemOf(MARKET), resourceIds: [resourceId('market_entity'), resourceId('household')], consent: true });
    const body = res.json() as { departmentName: string; resources: Array<{ status: string; values: Array<{ field: string }> }> };
    expect(body.departmentName).toBe(MARKET);
    expect(body.resources[0]).toMatchObject({ status: 'unavailable', reason: 'subject_type_mismatch', name: '市场主体登记信息' });
    expect(body.resources[1]).toMatchObject({ status: 'ok' });
    expect(body.resources[1]!.values.map((v) => v.field)).toEqual(['name', 'gender', 'birthDate', 'address', 'relationToHead']);
  });
});

// --- the platform key ------------------------------------------------------------------------------

describe('the platform signing key', () => {
  it('is stored encrypted; another secret cannot use it and makes a new key, the old one stays published', async () => {
    const rows = await platform.database.db.selectFrom('sharing_keys').selectAll().execute();
    expect(rows).toHaveLength(1);
    const current = rows[0]!;
    const keys = new PlatformKeys(platform.database.db, platform.config.sessionSecret);
    const privateKey = keys.decrypt(current.id, current.private_key_enc)!;
    expect(privateKey).toMatch(/^[0-9a-f]{64}$/);
    expect(current.private_key_enc).not.toContain(privateKey);
    expect(keys.decrypt('another-key-id', current.private_key_enc)).toBeNull();
    const tampered = current.private_key_enc.slice(0, -2) + (current.private_key_enc.endsWith('A') ? 'BB' : 'AA');
    expect(keys.decrypt(current.id, tampered)).toBeNull();

    const rotated = new PlatformKeys(platform.database.db, 'a completely different session secret value');
    expect(rotated.decrypt(current.id, current.private_key_enc)).toBeNull();
    const fresh = await rotated.signingKey();
    expect(fresh.keyId).not.toBe(current.id);
    const published = await rotated.published();
    expect(published.map((k) => [k.keyId, k.retiredAt === null])).toEqual([[fresh.keyId, true], [current.id, false]]);
    const audit = await platform.database.db.selectFrom('audit_log').select('target_id').where('action', '=', 'sharing.key.generated').orderBy('id').execute();
    expect(audit.map((a) => a.target_id)).toEqual([current.id, fresh.keyId]);
    // put the original back as the signing key for anything after this test
    await sql`UPDATE sharing_keys SET retired_at = CASE WHEN id = ${current.id} THEN NULL ELSE now() END`.execute(platform.database.db);
  });
});
