/**
 * The authorization walk: every registered route is called with no session, with an applicant,
 * with each staff role it does not allow and with a channel client, and must refuse. The route
 * list comes from the route table the auth plugin fills as routes are registered, so a route
 * added later is walked without anyone listing it here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type InjectOptions, type LightMyRequestResponse } from 'fastify';
import cookie from '@fastify/cookie';
import { as, createTestPlatform, login, type Session, type TestPlatform } from '../../../test/harness.js';
import { departmentWorkbookUpload } from '../../../test/catalog-workbook.js';
import { sampleContent as catalogContent } from '../../../test/catalog-fixtures.js';
import { ITEMS, sampleForm, demoItem, staffSession, submitCase } from '../../../test/case-fixtures.js';
import { SYSTEM_ACTOR } from '../audit/audit.js';
import { DEMO_ENTERPRISE, DEMO_PASSWORD, DEMO_PERSON, DEMO_STAFF } from '../../modules/demo/seed.js';
import { CLIENT_SCOPES, ROLE_REACH, STAFF_ROLES, type ClientScope, type StaffRole } from '../../shared/roles.js';
import { registerProblemHandlers } from '../http/problem.js';
import { registerAuth, type PrincipalResolver, type ResolvedSession, type RouteAccess } from './plugin.js';
import type { Access } from './principal.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await createTestPlatform();
});
afterAll(() => platform.close());

// --- the walker -----------------------------------------------------------------------------

/** Someone calling a route: how they authenticate and what they are, restated here independently of principal.ts. */
interface Caller {
  label: string;
  kind: 'anonymous' | 'applicant' | 'staff' | 'client';
  roles?: StaffRole[];
  scopes?: ClientScope[];
  headers: Record<string, string>;
  /** CSRF token of the caller's session, sent on writes so that only authorization can refuse. */
  csrf?: string;
}

/** What the route's declared rule should let through; null for public routes. */
function expectedAllowed(access: Access, caller: Caller): boolean {
  if (access === 'public') return true;
  if (caller.kind === 'anonymous') return false;
  if (access === 'signed_in') return caller.kind === 'applicant' || caller.kind === 'staff';
  if (caller.kind === 'applicant') return access.applicant === true;
  if (caller.kind === 'staff') return (access.roles ?? []).some((r) => caller.roles!.includes(r));
  return (access.scopes ?? []).some((s) => caller.scopes!.includes(s));
}

/**
 * Syntactically valid path parameters, so that a refusal comes from authorization and not from
 * validation. A route with a parameter not named here fails the walk until a sample is added.
 */
const PARAM_SAMPLES: Record<string, string> = {
  id: '3f1c9a52-8d4e-4b7a-9c1d-2e5f6a7b8c9d',
  date: '2026-05-06',
  year: '2026',
  code: '440304',
  implementationCode: '11440300MB2C91234T4440130001001',
  version: '1',
  caseNumber: 'TB20260506000001',
  noticeId: 'ad6e1f7b-5c8d-4e9f-8a0b-2c3d4e5f6a7b',
  draftId: 'be7f2a8c-6d9e-4f0a-9b1c-3d4e5f6a7b8c',
  licenseId: '6a2b7c3d-1e4f-4a5b-8c6d-7e8f9a0b1c2d',
  fileId: '7b3c8d4e-2f5a-4b6c-9d7e-8f9a0b1c2d3e',
  messageId: '8c4d9e5f-3a6b-4c7d-8e9f-0a1b2c3d4e5f',
  webhookId: '9d5e0f6a-4b7c-4d8e-9f0a-1b2c3d4e5f6a',
  deliveryId: '1',
  ticketNumber: 'ZX20260506000001',
  file: 'overdue.csv',
};

function fillPath(url: string): string {
  return url.replace(/:(\w+)/g, (_whole, name: string) => {
    const sample = PARAM_SAMPLES[name];
    if (sample === undefined) throw new Error(`route ${url}: add a sample value for path parameter :${name} to PARAM_SAMPLES`);
    return sample;
  });
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function request(route: RouteAccess, headers: Record<string, string>): InjectOptions {
  const options: InjectOptions = { method: route.method as InjectOptions['method'], url: fillPath(route.url), headers };
  if (!SAFE.has(route.method)) options.payload = {};
  return options;
}

interface WalkResult {
  failures: string[];
  probes: number;
  walked: Set<string>;
}

const keyOf = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

function checkRefusal(res: LightMyRequestResponse, route: RouteAccess, status: number, code: string): string | null {
  if (res.statusCode !== status) return `expected ${status}, got ${res.statusCode} ${res.body.slice(0, 200)}`;
  if (route.method === 'HEAD') return null; // no body to read
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) return `not problem+json: ${res.headers['content-type']}`;
  const body = res.json() as { code?: string };
  return body.code === code ? null : `expected code ${code}, got ${body.code}`;
}

/** Calls every non-public route as every caller its rule does not allow; collects what was not refused. */
async function walkRefusals(app: TestPlatform['app'], routes: readonly RouteAccess[], callers: Caller[]): Promise<WalkResult> {
  const result: WalkResult = { failures: [], probes: 0, walked: new Set() };
  for (const route of routes) {
    if (route.access === 'public') continue;
    result.walked.add(keyOf(route));
    for (const caller of callers) {
      if (expectedAllowed(route.access, caller)) continue;
      const headers = { ...caller.headers, ...(caller.csrf ? { 'x-csrf-token': caller.csrf } : {}) };
      const res = await app.inject(request(route, headers));
      result.probes += 1;
      const [status, code] = caller.kind === 'anonymous' ? [401, 'unauthenticated'] : [403, 'forbidden'];
      const failure = checkRefusal(res, route, status, code);
      if (failure) result.failures.push(`${keyOf(route)} as ${caller.label}: ${failure}`);
    }
  }
  return result;
}

function sessionCaller(label: string, kind: 'applicant' | 'staff', session: Session, roles?: StaffRole[]): Caller {
  return { label, kind, roles, headers: { cookie: session.cookie }, csrf: session.csrf };
}

// --- the platform's callers -----------------------------------------------------------------

let staffSessions: Map<string, Session>;
let callers: Caller[];
let admin: Session;

beforeAll(async () => {
  staffSessions = new Map();
  for (const s of DEMO_STAFF) staffSessions.set(s.username, await login(platform.app, s.username));
  admin = staffSessions.get('admin')!;
  const person = await login(platform.app, DEMO_PERSON.idNumber);
  const enterprise = await login(platform.app, DEMO_ENTERPRISE.creditCode);
  const client = await as(platform.app, admin, { method: 'POST', url: '/api/v1/admin/api-clients', payload: { name: '全部权限渠道', scopes: [...CLIENT_SCOPES] } });
  expect(client.statusCode, client.body).toBe(201);
  const revoked = await as(platform.app, admin, { method: 'POST', url: '/api/v1/admin/api-clients', payload: { name: '已吊销渠道', scopes: [...CLIENT_SCOPES] } });
  const revokedBody = revoked.json() as { client: { id: string }; token: string };
  expect((await as(platform.app, admin, { method: 'DELETE', url: `/api/v1/admin/api-clients/${revokedBody.client.id}` })).statusCode).toBe(200);
  const loggedOut = await login(platform.app, 'approver');
  expect((await as(platform.app, loggedOut, { method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(200);

  callers = [
    { label: 'no session', kind: 'anonymous', headers: {} },
    { label: 'a forged session cookie', kind: 'anonymous', headers: { cookie: 'tb_session=forged; tb_csrf=forged' }, csrf: 'forged' },
    { label: 'a signed-out session cookie', kind: 'anonymous', headers: { cookie: loggedOut.cookie }, csrf: loggedOut.csrf },
    sessionCaller('a natural person', 'applicant', person),
    sessionCaller('a legal person', 'applicant', enterprise),
    ...DEMO_STAFF.map((s) => sessionCaller(`staff ${s.username} (${s.role})`, 'staff', staffSessions.get(s.username)!, [s.role])),
    { label: 'a channel client with every scope', kind: 'client', scopes: [...CLIENT_SCOPES], headers: { authorization: `Bearer ${(client.json() as { token: string }).token}` } },
  ];
  // a revoked token is no identity at all: 401 everywhere, public routes included
  callers.push({ label: 'a revoked client token', kind: 'anonymous', headers: { authorization: `Bearer ${revokedBody.token}` } });
});

/** Every route anyone may call without signing in. Making a route public is a decision: add it here. */
const PUBLIC_ROUTES = new Set([
  'GET /openapi.json',
  'GET /healthz',
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/login',
  'GET /api/v1/regions',
  'GET /api/v1/departments',
  'GET /api/v1/departments/:id',
  'GET /api/v1/halls',
  'GET /api/v1/calendar/days/:date',
  'GET /api/v1/calendar/deadline',
  'GET /api/v1/calendar/years',
  'GET /api/v1/calendar/years/:year',
  'GET /api/v1/items',
  'GET /api/v1/items/:implementationCode',
  'GET /api/v1/items/:implementationCode/versions/:version',
  'GET /api/v1/catalog/four-ways',
  'GET /api/v1/catalog/no-visit',
  'GET /api/v1/catalog/themes',
  'GET /api/v1/catalog/proofs',
  'GET /api/v1/catalog/intermediaries',
  'GET /api/v1/catalog/departments',
  'GET /api/v1/catalog/export.json',
  'GET /api/v1/catalog/export.xlsx',
  'GET /api/v1/licenses/verify/:licenseId',
  'GET /api/v1/sharing/platform-keys',
  'GET /api/v1/public/overdue',
  // service quality: anonymous counts only (docs/quality-api.md), and the items' published FAQ
  'GET /api/v1/public/evaluations/stats',
  'GET /api/v1/public/evaluations/stats.xlsx',
  'GET /api/v1/items/:implementationCode/faq',
  'GET /api/v1/public/ranking',
  'GET /api/v1/public/open-data/:file',
]);

// --- tests ----------------------------------------------------------------------------------

describe('the route table', () => {
  it('lists every registered route, as Fastify itself counts them', () => {
    const table = platform.app.routeAccess;
    expect(table.length).toBeGreaterThan(20);
    // printRoutes names each route's methods in parentheses: their number is the number of routes
    const tree = platform.app.printRoutes({ commonPrefix: false });
    const registered = [...tree.matchAll(/\(([A-Z, ]+)\)/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim()));
    expect(table.length).toBe(registered.length);
    expect(new Set(table.map(keyOf)).size).toBe(table.length);
    for (const route of table) expect(platform.app.hasRoute({ method: route.method as 'GET', url: route.url }), keyOf(route)).toBe(true);
  });

  it('holds every operation of the OpenAPI document', async () => {
    const doc = (await platform.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { 'x-access'?: string }>> };
    const table = new Map(platform.app.routeAccess.map((r) => [keyOf(r), r]));
    let operations = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        operations += 1;
        const route = table.get(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
        expect(route, `${method} ${path}`).toBeDefined();
        // the document tells integrators who may call each non-public route
        if (route!.access === 'public') expect(operation['x-access']).toBeUndefined();
        else expect(operation['x-access'], `${method} ${path}`).toEqual(expect.any(String));
      }
    }
    expect(operations).toBeGreaterThan(15);
  });

  it('has no public route beyond the reviewed list, and those answer without a session', async () => {
    const publicRoutes = platform.app.routeAccess.filter((r) => r.access === 'public' && r.method !== 'HEAD');
    for (const route of publicRoutes) expect(PUBLIC_ROUTES, `${keyOf(route)} is public: add it to PUBLIC_ROUTES if that is intended`).toContain(keyOf(route));
    for (const route of publicRoutes) {
      const res = await platform.app.inject(request(route, {}));
      expect([401, 403], `${keyOf(route)} refused an anonymous caller`).not.toContain(res.statusCode);
      expect(res.statusCode, `${keyOf(route)}: ${res.body}`).toBeLessThan(500);
    }
  });

  it('knows a sample for every path parameter', () => {
    for (const route of platform.app.routeAccess) expect(() => fillPath(route.url)).not.toThrow();
  });
});

describe('the authorization walk over every route', () => {
  it('refuses every caller a route does not allow: 401 without an identity, 403 with the wrong one', async () => {
    const result = await walkRefusals(platform.app, platform.app.routeAccess, callers);
    expect(result.failures).toEqual([]);

    // every non-public route was walked, and at least by the anonymous callers
    const nonPublic = platform.app.routeAccess.filter((r) => r.access !== 'public');
    expect(nonPublic.length).toBeGreaterThan(15);
    expect([...result.walked].sort()).toEqual(nonPublic.map(keyOf).sort());
    const anonymousCallers = callers.filter((c) => c.kind === 'anonymous').length;
    expect(result.probes).toBeGreaterThanOrEqual(nonPublic.length * anonymousCallers);
  });

  it('refuses applicants on every staff route and staff lacking the role on every role route', async () => {
    let applicantRefusals = 0;
    let staffRefusals = 0;
    for (const route of platform.app.routeAccess) {
      if (route.access === 'public' || route.access === 'signed_in') continue;
      if (!route.access.applicant) applicantRefusals += 1;
      staffRefusals += STAFF_ROLES.filter((role) => !(route.access as { roles?: readonly StaffRole[] }).roles?.includes(role)).length;
    }
    // the walk above made these calls; here we only check the walk had something to refuse
    expect(applicantRefusals).toBeGreaterThan(0);
    expect(staffRefusals).toBeGreaterThan(applicantRefusals);
  });

  it('lets the right caller through (the refusals above are not a route that refuses everyone)', async () => {
    const deptadmin = staffSessions.get('deptadmin')!;
    expect((await as(platform.app, admin, { method: 'GET', url: '/api/v1/admin/audit' })).statusCode).toBe(200);
    expect((await as(platform.app, admin, { method: 'GET', url: '/api/v1/admin/api-clients' })).statusCode).toBe(200);
    expect((await as(platform.app, deptadmin, { method: 'GET', url: '/api/v1/admin/staff' })).statusCode).toBe(200);
    for (const caller of callers.filter((c) => c.kind === 'applicant' || c.kind === 'staff')) {
      const res = await platform.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: caller.headers });
      expect(res.statusCode, caller.label).toBe(200);
    }
  });
});

describe('a route added later', () => {
  /** A bare app with the real auth layer and a stand-in identity store. */
  async function miniApp(addRoutes: (app: TestPlatform['app']) => void) {
    const staff: ResolvedSession = {
      principal: { kind: 'staff', userId: 'u-1', name: 'x', roles: ['inspector'], departmentId: 'd-1', regionPath: '440300' },
      sessionId: 's-1',
      csrfToken: 'csrf-1',
    };
    const resolver: PrincipalResolver = {
      fromSessionToken: async (token) => (token === 'staff' ? staff : null),
      fromBearerToken: async (token) => (token === 'writer' ? { kind: 'client', clientId: 'c-1', name: 'c', scopes: ['cases:write'] } : null),
    };
    const app = Fastify({ logger: false }) as unknown as TestPlatform['app'];
    registerProblemHandlers(app, 1024 * 1024);
    await app.register(cookie);
    registerAuth(app, resolver);
    addRoutes(app);
    await app.ready();
    return app;
  }

  it('is walked without being listed anywhere', async () => {
    const app = await miniApp((a) => {
      a.get('/api/v1/new-things/:id', { config: { access: { roles: ['approver'] } } }, async () => ({ ok: true }));
      a.post('/api/v1/new-things', { config: { access: { applicant: true } } }, async () => ({ ok: true }));
    });
    const miniCallers: Caller[] = [
      { label: 'no session', kind: 'anonymous', headers: {} },
      { label: 'inspector', kind: 'staff', roles: ['inspector'], headers: { cookie: 'tb_session=staff' }, csrf: 'csrf-1' },
    ];
    const result = await walkRefusals(app, app.routeAccess, miniCallers);
    expect(result.failures).toEqual([]);
    expect([...result.walked].sort()).toEqual(['GET /api/v1/new-things/:id', 'HEAD /api/v1/new-things/:id', 'POST /api/v1/new-things']);
    expect(result.probes).toBe(6);
    await app.close();
  });

  it('cannot be registered without an access rule', async () => {
    await expect(miniApp((a) => a.get('/api/v1/forgotten', async () => ({ ok: true })))).rejects.toThrow(/declares no access rule/);
  });

  it('takes bearer-token writes without a CSRF token, and still refuses a cookie write without one', async () => {
    const app = await miniApp((a) => {
      a.post('/api/v1/channel-writes', { config: { access: { scopes: ['cases:write'], roles: ['inspector'] } } }, async () => ({ ok: true }));
    });
    const viaBearer = await app.inject({ method: 'POST', url: '/api/v1/channel-writes', payload: {}, headers: { authorization: 'Bearer writer' } });
    expect(viaBearer.statusCode, viaBearer.body).toBe(200);
    const viaCookie = await app.inject({ method: 'POST', url: '/api/v1/channel-writes', payload: {}, headers: { cookie: 'tb_session=staff' } });
    expect(viaCookie.statusCode).toBe(403);
    expect(viaCookie.json()).toMatchObject({ code: 'csrf_failed' });
    const withToken = await app.inject({ method: 'POST', url: '/api/v1/channel-writes', payload: {}, headers: { cookie: 'tb_session=staff', 'x-csrf-token': 'csrf-1' } });
    expect(withToken.statusCode).toBe(200);
    await app.close();
  });
});

describe('wrong department', () => {
  interface Ctx {
    otherDepartmentId: string;
    ownDepartmentId: string;
    otherStaffId: string;
    /** Catalog: a draft item of 政务服务数据管理局, out of reach of the market's catalog admin. */
    otherItemCode: string;
    /** Data sharing: records of 深圳市公安局 that the data bureau's administrator (datashare) reaches for. */
    sharing: {
      policeDepartmentId: string;
      draftId: string;
      publishedId: string;
      pendingRequestId: string;
      consumerGrantId: string;
      policeCredentialId: string;
    };
  }

  /**
   * Routes a department-bound role may call that concern no department: the city-wide lists of
   * retained proofs and intermediaries and the search synonyms (docs/catalog-api.md), which any
   * catalog admin maintains.
   */
  const DEPARTMENTLESS_ROUTES = new Set([
    'GET /api/v1/admin/catalog/proofs',
    'HEAD /api/v1/admin/catalog/proofs',
    'POST /api/v1/admin/catalog/proofs',
    'PUT /api/v1/admin/catalog/proofs/:id',
    'POST /api/v1/admin/catalog/proofs/:id/publish',
    'POST /api/v1/admin/catalog/proofs/:id/withdraw',
    'GET /api/v1/admin/catalog/intermediaries',
    'HEAD /api/v1/admin/catalog/intermediaries',
    'POST /api/v1/admin/catalog/intermediaries',
    'PUT /api/v1/admin/catalog/intermediaries/:id',
    'POST /api/v1/admin/catalog/intermediaries/:id/publish',
    'POST /api/v1/admin/catalog/intermediaries/:id/withdraw',
    'GET /api/v1/admin/catalog/synonyms',
    'HEAD /api/v1/admin/catalog/synonyms',
    'PUT /api/v1/admin/catalog/synonyms',
    // the comprehensive window's queue: the caller's own region, with nothing to name another by
    'GET /api/v1/front-desk/queue',
    'HEAD /api/v1/front-desk/queue',
    // the approver's workbench: the caller's own department's tasks, with nothing to name another by
    'GET /api/v1/workbench/tasks',
    'HEAD /api/v1/workbench/tasks',
    // the city-wide list of e-license types
    'GET /api/v1/admin/license-types',
    'HEAD /api/v1/admin/license-types',
    // issuing and importing e-licenses as the caller's own department, with nothing to name another by
    'POST /api/v1/admin/licenses',
    'POST /api/v1/admin/licenses/import',
    // service quality queues: the caller's own department (or region), with nothing to name another by
    'GET /api/v1/rectifications',
    'HEAD /api/v1/rectifications',
    'GET /api/v1/tickets',
    'HEAD /api/v1/tickets',
    // the hall's complaint desk registers a visitor's ticket about any department: routing is by item or choice
    'POST /api/v1/tickets',
    // a hall visit is recorded as served by the caller, for the caller's own department: nothing to name another by
    'POST /api/v1/hall-visits',
    // the credit lists are one city-wide list (一处失信、处处受限): no department to reach into
    'GET /api/v1/admin/credit/entries',
    'HEAD /api/v1/admin/credit/entries',
    'POST /api/v1/admin/credit/entries',
    'POST /api/v1/admin/credit/entries/:id/removal',
    'GET /api/v1/admin/credit/appeals',
    'HEAD /api/v1/admin/credit/appeals',
    'POST /api/v1/admin/credit/appeals/:id/decision',
    // commitment verifications: the caller's own department's, with nothing to name another by
    'GET /api/v1/verifications',
    'HEAD /api/v1/verifications',
  ]);

  /** The catalog admin of 市场监督管理局 (`catalog`) at every authoring route, about the other department's item. */
  function catalogCases(): Record<string, (ctx: Ctx) => WrongDepartmentCall> {
    const items = '/api/v1/admin/catalog/items';
    const call = (method: InjectOptions['method'], url: (c: Ctx) => string, payload?: (c: Ctx) => object) => (c: Ctx): WrongDepartmentCall => ({
      method,
      url: url(c),
      ...(payload ? { payload: payload(c) } : {}),
      caller: 'catalog',
    });
    const version = (c: Ctx) => `${items}/${c.otherItemCode}/versions/1`;
    return {
      'GET /api/v1/admin/catalog/items': call('GET', (c) => `${items}?departmentId=${c.otherDepartmentId}`),
      'HEAD /api/v1/admin/catalog/items': call('HEAD', (c) => `${items}?departmentId=${c.otherDepartmentId}`),
      'POST /api/v1/admin/catalog/items': call('POST', () => items, (c) => ({ departmentId: c.otherDepartmentId, exerciseLevel: 3, basicCode: 'ZW0000000002', content: catalogContent() })),
      'GET /api/v1/admin/catalog/items/:implementationCode': call('GET', (c) => `${items}/${c.otherItemCode}`),
      'HEAD /api/v1/admin/catalog/items/:implementationCode': call('HEAD', (c) => `${items}/${c.otherItemCode}`),
      'GET /api/v1/admin/catalog/items/:implementationCode/versions/:version': call('GET', version),
      'HEAD /api/v1/admin/catalog/items/:implementationCode/versions/:version': call('HEAD', version),
      'POST /api/v1/admin/catalog/items/:implementationCode/versions': call('POST', (c) => `${items}/${c.otherItemCode}/versions`),
      'PUT /api/v1/admin/catalog/items/:implementationCode/versions/:version': call('PUT', version, () => ({ content: catalogContent({ name: '越权修改' }), lockVersion: 1 })),
      'POST /api/v1/admin/catalog/items/:implementationCode/versions/:version/submit': call('POST', (c) => `${version(c)}/submit`, () => ({ lockVersion: 1 })),
      'POST /api/v1/admin/catalog/items/:implementationCode/versions/:version/return': call('POST', (c) => `${version(c)}/return`, () => ({ comment: '越权退回' })),
      'POST /api/v1/admin/catalog/items/:implementationCode/versions/:version/publish': call('POST', (c) => `${version(c)}/publish`, () => ({})),
      'POST /api/v1/admin/catalog/items/:implementationCode/versions/:version/withdraw': call('POST', (c) => `${version(c)}/withdraw`, () => ({ reason: '越权撤回' })),
      'GET /api/v1/admin/catalog/items/:implementationCode/diff': call('GET', (c) => `${items}/${c.otherItemCode}/diff?from=1&to=1`),
      'HEAD /api/v1/admin/catalog/items/:implementationCode/diff': call('HEAD', (c) => `${items}/${c.otherItemCode}/diff?from=1&to=1`),
      // decision rules (秒批) of the other department's item version
      'GET /api/v1/admin/rules/:implementationCode/versions/:version': call('GET', (c) => `/api/v1/admin/rules/${c.otherItemCode}/versions/1`),
      'HEAD /api/v1/admin/rules/:implementationCode/versions/:version': call('HEAD', (c) => `/api/v1/admin/rules/${c.otherItemCode}/versions/1`),
      'PUT /api/v1/admin/rules/:implementationCode/versions/:version': call('PUT', (c) => `/api/v1/admin/rules/${c.otherItemCode}/versions/1`, () => ({ table: { hitPolicy: 'FIRST', inputs: [{ id: 'a', label: 'A', source: 'applicant', path: 'kind' }], rows: [{ cells: ['-'], decision: 'approve', reason: '越权' }] }, tests: [] })),
      'POST /api/v1/admin/rules/:implementationCode/versions/:version/test': call('POST', (c) => `/api/v1/admin/rules/${c.otherItemCode}/versions/1/test`),
      'POST /api/v1/admin/rules/:implementationCode/versions/:version/publish': call('POST', (c) => `/api/v1/admin/rules/${c.otherItemCode}/versions/1/publish`, () => ({})),
    };
  }

  /** A wrong-department call, made by `caller` (a demo username; deptadmin when absent), for roles deptadmin does not hold. */
  type WrongDepartmentCall = InjectOptions & { caller?: string; /** when the refusal is not a 404 (an import reports rows out of reach) */ expectStatus?: number };
  const SHARING_CALLER = 'datashare';
  /** Case handling: a case of 深圳市公安局 (out of the market's reach) and a police item a district clerk may not file. */
  const foreign = { caseNumber: '', itemCode: '', form: {} as Record<string, unknown> };
  beforeAll(async () => {
    const item = await demoItem(platform, ITEMS.criminalRecord);
    Object.assign(foreign, { itemCode: item.implementationCode, form: sampleForm(item) });
    foreign.caseNumber = (await submitCase(platform, await login(platform.app, DEMO_PERSON.idNumber), item)).caseNumber;
    staffSessions.set('futian_clerk', await staffSession(platform, { username: 'walk_futian_clerk', name: '福田窗口', department: '福田区政务服务数据管理局', roles: ['window_clerk'] }));
  });
  const caseCases = (): Record<string, (ctx: Ctx) => WrongDepartmentCall> => ({
    'GET /api/v1/cases': (c) => ({ method: 'GET', url: `/api/v1/cases?departmentId=${c.sharing.policeDepartmentId}` }),
    'HEAD /api/v1/cases': (c) => ({ method: 'HEAD', url: `/api/v1/cases?departmentId=${c.sharing.policeDepartmentId}` }),
    'GET /api/v1/cases/:caseNumber': () => ({ method: 'GET', url: `/api/v1/cases/${foreign.caseNumber}` }),
    'POST /api/v1/cases/:caseNumber/commitment-verification': () => ({ method: 'POST', url: `/api/v1/cases/${foreign.caseNumber}/commitment-verification`, payload: { outcome: 'false', finding: '越权核查' } }),
    'HEAD /api/v1/cases/:caseNumber': () => ({ method: 'HEAD', url: `/api/v1/cases/${foreign.caseNumber}` }),
    'POST /api/v1/cases/:caseNumber/actions': (c) => ({ method: 'POST', url: `/api/v1/cases/${foreign.caseNumber}/actions`, payload: { action: 'assign', version: 1, assigneeId: c.otherStaffId } }),
    'GET /api/v1/cases/:caseNumber/notices/:noticeId/pdf': () => ({ method: 'GET', url: `/api/v1/cases/${foreign.caseNumber}/notices/${PARAM_SAMPLES.noticeId}/pdf` }),
    'HEAD /api/v1/cases/:caseNumber/notices/:noticeId/pdf': () => ({ method: 'HEAD', url: `/api/v1/cases/${foreign.caseNumber}/notices/${PARAM_SAMPLES.noticeId}/pdf` }),
    // a district's window filing a city department's item
    'POST /api/v1/window/cases': () => ({
      method: 'POST',
      url: '/api/v1/window/cases',
      caller: 'futian_clerk',
      expectStatus: 422,
      payload: { itemCode: foreign.itemCode, applicant: { kind: 'natural', name: '越权', idNumber: DEMO_PERSON.idNumber, phone: '13800138000' }, form: foreign.form, materials: [] },
    }),
  });

  /** E-licenses: a seal and a license (张三's resident ID card) of 深圳市公安局, out of the market's reach. */
  const foreignLicense = { licenseId: '', sealId: '', departmentId: '' };
  beforeAll(async () => {
    const police = (await platform.services.org.listDepartments()).find((d) => d.name === '深圳市公安局')!;
    foreignLicense.departmentId = police.id;
    const seals = (await as(platform.app, admin, { method: 'GET', url: `/api/v1/admin/seals?departmentId=${police.id}` })).json() as { items: Array<{ id: string }> };
    const issued = (await as(platform.app, admin, { method: 'GET', url: `/api/v1/admin/licenses?departmentId=${police.id}` })).json() as { items: Array<{ licenseId: string }> };
    foreignLicense.sealId = seals.items[0]!.id;
    foreignLicense.licenseId = issued.items[0]!.licenseId;
  });
  const licenseCases = (): Record<string, (ctx: Ctx) => WrongDepartmentCall> => ({
    'GET /api/v1/licenses/lookup': () => ({ method: 'GET', url: `/api/v1/licenses/lookup?caseNumber=${foreign.caseNumber}` }),
    'HEAD /api/v1/licenses/lookup': () => ({ method: 'HEAD', url: `/api/v1/licenses/lookup?caseNumber=${foreign.caseNumber}` }),
    'GET /api/v1/admin/seals': () => ({ method: 'GET', url: `/api/v1/admin/seals?departmentId=${foreignLicense.departmentId}` }),
    'HEAD /api/v1/admin/seals': () => ({ method: 'HEAD', url: `/api/v1/admin/seals?departmentId=${foreignLicense.departmentId}` }),
    'POST /api/v1/admin/seals': () => ({ method: 'POST', url: '/api/v1/admin/seals', payload: { departmentId: foreignLicense.departmentId, name: '越权章' } }),
    'POST /api/v1/admin/seals/:id/rotate': () => ({ method: 'POST', url: `/api/v1/admin/seals/${foreignLicense.sealId}/rotate` }),
    'GET /api/v1/admin/licenses': () => ({ method: 'GET', url: `/api/v1/admin/licenses?departmentId=${foreignLicense.departmentId}` }),
    'HEAD /api/v1/admin/licenses': () => ({ method: 'HEAD', url: `/api/v1/admin/licenses?departmentId=${foreignLicense.departmentId}` }),
    'GET /api/v1/admin/licenses/:licenseId': () => ({ method: 'GET', url: `/api/v1/admin/licenses/${foreignLicense.licenseId}` }),
    'HEAD /api/v1/admin/licenses/:licenseId': () => ({ method: 'HEAD', url: `/api/v1/admin/licenses/${foreignLicense.licenseId}` }),
    'POST /api/v1/admin/licenses/:licenseId/revoke': () => ({ method: 'POST', url: `/api/v1/admin/licenses/${foreignLicense.licenseId}/revoke`, payload: { reason: '越权注销', caseNumber: 'TB1' } }),
    'POST /api/v1/admin/licenses/:licenseId/change': () => ({ method: 'POST', url: `/api/v1/admin/licenses/${foreignLicense.licenseId}/change`, payload: { reason: '越权变更', caseNumber: 'TB1', data: {} } }),
  });

  /** Service quality: a bad review of the police's case (its rectification) and a ticket to the police. */
  const quality = { rectificationId: '', ticketNumber: '' };
  beforeAll(async () => {
    const person = await login(platform.app, DEMO_PERSON.idNumber);
    const clerk = staffSessions.get('clerk')!;
    const { caseNumber } = await submitCase(platform, person, await demoItem(platform, ITEMS.criminalRecord));
    const version = (await as(platform.app, clerk, { method: 'GET', url: `/api/v1/cases/${caseNumber}` })).json() as { version: number };
    const refused = await as(platform.app, clerk, { method: 'POST', url: `/api/v1/cases/${caseNumber}/actions`, payload: { action: 'not_accept', version: version.version, reason: '不属于本机关职权范围', legalBasis: '《中华人民共和国行政许可法》第三十二条' } });
    expect(refused.statusCode, refused.body).toBe(200);
    const bad = await as(platform.app, person, { method: 'POST', url: `/api/v1/cases/${caseNumber}/evaluations`, payload: { level: 1, channel: 'pc', text: '理由不清' } });
    quality.rectificationId = (bad.json() as { rectificationId: string }).rectificationId;
    const police = (await platform.services.org.listDepartments()).find((d) => d.name === '深圳市公安局')!;
    const ticket = await as(platform.app, person, { method: 'POST', url: '/api/v1/tickets', payload: { kind: 'complaint', title: '越权', body: '越权', departmentId: police.id } });
    quality.ticketNumber = (ticket.json() as { number: string }).number;
    staffSessions.set('futian_supervisor', await staffSession(platform, { username: 'walk_futian_supervisor', name: '福田监督', department: '福田区政务服务数据管理局', roles: ['supervisor'] }));
  });
  const qualityCases = (): Record<string, (ctx: Ctx) => WrongDepartmentCall> => ({
    'GET /api/v1/rectifications/:id': () => ({ method: 'GET', url: `/api/v1/rectifications/${quality.rectificationId}` }),
    'HEAD /api/v1/rectifications/:id': () => ({ method: 'HEAD', url: `/api/v1/rectifications/${quality.rectificationId}` }),
    'POST /api/v1/rectifications/:id/steps': () => ({ method: 'POST', url: `/api/v1/rectifications/${quality.rectificationId}/steps`, payload: { step: 'appeal', version: 1, reason: '越权申诉' } }),
    'GET /api/v1/tickets/:ticketNumber': () => ({ method: 'GET', url: `/api/v1/tickets/${quality.ticketNumber}` }),
    'HEAD /api/v1/tickets/:ticketNumber': () => ({ method: 'HEAD', url: `/api/v1/tickets/${quality.ticketNumber}` }),
    'POST /api/v1/tickets/:ticketNumber/actions': () => ({ method: 'POST', url: `/api/v1/tickets/${quality.ticketNumber}/actions`, payload: { action: 'reply', version: 1, reply: '越权答复' } }),
    // a district supervisor importing a work order of a city department: refused row by row (200, nothing filed)
    'POST /api/v1/tickets/import': () => ({
      method: 'POST',
      url: '/api/v1/tickets/import',
      caller: 'futian_supervisor',
      expectStatus: 200,
      payload: { rows: [{ ref: 'walk-0001', kind: 'complaint', title: '越权', body: '越权', department: '深圳市公安局' }] },
    }),
  });
  /** Supervision refuses a scope out of reach with 403 outside_region (the figures' existence is no secret). */
  const supervisionCases = (): Record<string, (ctx: Ctx) => WrongDepartmentCall> => {
    const cases: Record<string, (ctx: Ctx) => WrongDepartmentCall> = {};
    for (const path of ['indicators', 'indicators.xlsx', 'cases', 'monitor', 'alerts']) {
      for (const method of ['GET', 'HEAD'] as const) {
        cases[`${method} /api/v1/supervision/${path}`] = (c) => ({ method, url: `/api/v1/supervision/${path}?departmentId=${c.otherDepartmentId}`, expectStatus: 403 });
      }
    }
    for (const method of ['GET', 'HEAD'] as const) {
      cases[`${method} /api/v1/supervision/evaluation`] = () => ({ method, url: '/api/v1/supervision/evaluation?regionCode=440305', caller: 'futian_supervisor', expectStatus: 403 });
    }
    return cases;
  };

  const sharingCase = (options: InjectOptions): WrongDepartmentCall => ({ ...options, caller: SHARING_CALLER });
  const sharingResource = (code: string) => ({
    code,
    name: '越权登记',
    subjectType: 'id_number',
    subjectField: 'idNumber',
    fields: [{ name: 'name', label: '姓名', type: 'string', sensitivity: 'personal' }],
    updateFrequency: 'daily',
    sharingType: 'conditional',
    conditions: '测试',
    legalBasis: '测试',
    backend: 'hosted',
  });

  /**
   * A call that a department-bound caller (deptadmin, 市场监督管理局, unless the case names another
   * caller holding the route's role) makes about another department. Every route that a
   * department- or region-bound role may call needs a case here: the check below fails for a
   * route without one.
   */
  const CASES: Record<string, (ctx: Ctx) => WrongDepartmentCall> = {
    'GET /api/v1/admin/staff': (c) => ({ method: 'GET', url: `/api/v1/admin/staff?departmentId=${c.otherDepartmentId}` }),
    'HEAD /api/v1/admin/staff': (c) => ({ method: 'HEAD', url: `/api/v1/admin/staff?departmentId=${c.otherDepartmentId}` }),
    'GET /api/v1/admin/staff/:id': (c) => ({ method: 'GET', url: `/api/v1/admin/staff/${c.otherStaffId}` }),
    'HEAD /api/v1/admin/staff/:id': (c) => ({ method: 'HEAD', url: `/api/v1/admin/staff/${c.otherStaffId}` }),
    'POST /api/v1/admin/staff': (c) => ({
      method: 'POST',
      url: '/api/v1/admin/staff',
      payload: { username: 'planted_elsewhere', name: '越权', departmentId: c.otherDepartmentId, roles: ['approver'], password: 'Planted2026' },
    }),
    'PATCH /api/v1/admin/staff/:id': (c) => ({ method: 'PATCH', url: `/api/v1/admin/staff/${c.otherStaffId}`, payload: { name: '被改名', active: false } }),
    'POST /api/v1/admin/staff/:id/password': (c) => ({ method: 'POST', url: `/api/v1/admin/staff/${c.otherStaffId}/password`, payload: { password: 'Taken0ver2026' } }),
    // the market's catalog admin importing an item of another department: refused row by row (422), nothing written
    // catalog authoring: the market's catalog admin reaching for an item of 政务服务数据管理局
    ...catalogCases(),
    // case handling: the market's department admin reaching for the police's case
    ...caseCases(),
    // e-licenses: the market's department admin reaching for the police's seal and license
    ...licenseCases(),
    ...qualityCases(),
    'POST /api/v1/admin/catalog/import': () => ({ method: 'POST', url: '/api/v1/admin/catalog/import', ...foreignImport, caller: 'catalog', expectStatus: 422 }),
    // data sharing: the data bureau's data-sharing administrator reaching for the police's records
    'GET /api/v1/sharing/resources': (c) => sharingCase({ method: 'GET', url: `/api/v1/sharing/resources?status=draft&departmentId=${c.sharing.policeDepartmentId}` }),
    'HEAD /api/v1/sharing/resources': (c) => sharingCase({ method: 'HEAD', url: `/api/v1/sharing/resources?status=draft&departmentId=${c.sharing.policeDepartmentId}` }),
    'GET /api/v1/sharing/resources/:id': (c) => sharingCase({ method: 'GET', url: `/api/v1/sharing/resources/${c.sharing.draftId}` }),
    'HEAD /api/v1/sharing/resources/:id': (c) => sharingCase({ method: 'HEAD', url: `/api/v1/sharing/resources/${c.sharing.draftId}` }),
    'POST /api/v1/sharing/resources': (c) => sharingCase({ method: 'POST', url: '/api/v1/sharing/resources', payload: { ...sharingResource('planted-elsewhere'), providerDepartmentId: c.sharing.policeDepartmentId } }),
    'PATCH /api/v1/sharing/resources/:id': (c) => sharingCase({ method: 'PATCH', url: `/api/v1/sharing/resources/${c.sharing.draftId}`, payload: { name: '被改名' } }),
    'POST /api/v1/sharing/resources/:id/publish': (c) => sharingCase({ method: 'POST', url: `/api/v1/sharing/resources/${c.sharing.draftId}/publish` }),
    'POST /api/v1/sharing/resources/:id/withdraw': (c) => sharingCase({ method: 'POST', url: `/api/v1/sharing/resources/${c.sharing.publishedId}/withdraw` }),
    'POST /api/v1/sharing/resources/:id/records': (c) => sharingCase({ method: 'POST', url: `/api/v1/sharing/resources/${c.sharing.publishedId}/records`, payload: { records: [{ idNumber: DEMO_PERSON.idNumber, name: '篡改' }] } }),
    'POST /api/v1/sharing/requests': (c) => sharingCase({ method: 'POST', url: '/api/v1/sharing/requests', payload: { resourceId: c.sharing.draftId, purpose: '越权', fields: ['name'] } }),
    'GET /api/v1/sharing/requests': (c) => sharingCase({ method: 'GET', url: `/api/v1/sharing/requests?departmentId=${c.sharing.policeDepartmentId}` }),
    'HEAD /api/v1/sharing/requests': (c) => sharingCase({ method: 'HEAD', url: `/api/v1/sharing/requests?departmentId=${c.sharing.policeDepartmentId}` }),
    'POST /api/v1/sharing/requests/:id/decision': (c) => sharingCase({ method: 'POST', url: `/api/v1/sharing/requests/${c.sharing.pendingRequestId}/decision`, payload: { decision: 'grant' } }),
    'GET /api/v1/sharing/grants': (c) => sharingCase({ method: 'GET', url: `/api/v1/sharing/grants?departmentId=${c.sharing.policeDepartmentId}` }),
    'HEAD /api/v1/sharing/grants': (c) => sharingCase({ method: 'HEAD', url: `/api/v1/sharing/grants?departmentId=${c.sharing.policeDepartmentId}` }),
    'POST /api/v1/sharing/grants/:id/revoke': (c) => sharingCase({ method: 'POST', url: `/api/v1/sharing/grants/${c.sharing.consumerGrantId}/revoke`, payload: { reason: '越权撤销' } }),
    'GET /api/v1/sharing/credentials': (c) => sharingCase({ method: 'GET', url: `/api/v1/sharing/credentials?departmentId=${c.sharing.policeDepartmentId}` }),
    'HEAD /api/v1/sharing/credentials': (c) => sharingCase({ method: 'HEAD', url: `/api/v1/sharing/credentials?departmentId=${c.sharing.policeDepartmentId}` }),
    'POST /api/v1/sharing/credentials': (c) => sharingCase({ method: 'POST', url: '/api/v1/sharing/credentials', payload: { name: '越权凭证', departmentId: c.sharing.policeDepartmentId } }),
    'DELETE /api/v1/sharing/credentials/:id': (c) => sharingCase({ method: 'DELETE', url: `/api/v1/sharing/credentials/${c.sharing.policeCredentialId}` }),
    'POST /api/v1/sharing/gateway/resources/:id/lookup': (c) => sharingCase({ method: 'POST', url: `/api/v1/sharing/gateway/resources/${c.sharing.draftId}/lookup`, headers: { 'x-tongban-case': 'TB20260506000001' }, payload: { subject: DEMO_PERSON.idNumber } }),
    'GET /api/v1/sharing/access-log': (c) => sharingCase({ method: 'GET', url: `/api/v1/sharing/access-log?departmentId=${c.sharing.policeDepartmentId}` }),
    'HEAD /api/v1/sharing/access-log': (c) => sharingCase({ method: 'HEAD', url: `/api/v1/sharing/access-log?departmentId=${c.sharing.policeDepartmentId}` }),
    // supervision: the market's department admin asking for another department's figures; a Futian supervisor for the city's
    ...supervisionCases(),
  };

  let ctx: Ctx;
  let foreignImport: { payload: Buffer; headers: Record<string, string> };
  beforeAll(async () => {
    foreignImport = await departmentWorkbookUpload(platform.services, '深圳市政务服务数据管理局');
  });
  beforeAll(async () => {
    const departments = ((await platform.app.inject({ method: 'GET', url: '/api/v1/departments' })).json() as { items: Array<{ id: string; name: string }> }).items;
    const staff = ((await as(platform.app, admin, { method: 'GET', url: '/api/v1/admin/staff?limit=100' })).json() as { items: Array<{ id: string; username: string }> }).items;
    ctx = {
      ownDepartmentId: departments.find((d) => d.name === '深圳市市场监督管理局')!.id,
      otherDepartmentId: departments.find((d) => d.name === '深圳市政务服务数据管理局')!.id,
      otherStaffId: staff.find((s) => s.username === 'clerk')!.id,
      otherItemCode: (await platform.services.catalog.createItem(SYSTEM_ACTOR, null, {
        departmentId: departments.find((d) => d.name === '深圳市政务服务数据管理局')!.id,
        exerciseLevel: 3,
        basicCode: 'ZW0000000001',
        content: catalogContent(),
      })).implementationCode,
      sharing: await sharingFixtures(departments.find((d) => d.name === '深圳市公安局')!.id),
    };
  });

  /** The police's draft and published resource, a pending request and a grant of the data bureau, a police credential. */
  async function sharingFixtures(policeDepartmentId: string): Promise<Ctx['sharing']> {
    const police = staffSessions.get('datashare_police')!;
    const bureau = staffSessions.get(SHARING_CALLER)!;
    const draft = await as(platform.app, police, { method: 'POST', url: '/api/v1/sharing/resources', payload: sharingResource('walk-police-draft') });
    expect(draft.statusCode, draft.body).toBe(201);
    const catalog = (await as(platform.app, bureau, { method: 'GET', url: '/api/v1/sharing/resources?q=household' })).json() as { items: Array<{ id: string; code: string }> };
    const publishedId = catalog.items.find((r) => r.code === 'household')!.id;
    const request = await as(platform.app, bureau, { method: 'POST', url: '/api/v1/sharing/requests', payload: { resourceId: publishedId, purpose: '续期', fields: ['name'] } });
    expect(request.json()).toMatchObject({ status: 'pending' });
    const grants = (await as(platform.app, bureau, { method: 'GET', url: `/api/v1/sharing/grants?side=consumer&resourceId=${publishedId}&live=true` })).json() as { items: Array<{ id: string }> };
    const credential = await as(platform.app, police, { method: 'POST', url: '/api/v1/sharing/credentials', payload: { name: '公安业务系统' } });
    expect(credential.statusCode, credential.body).toBe(201);
    return {
      policeDepartmentId,
      draftId: (draft.json() as { id: string }).id,
      publishedId,
      pendingRequestId: (request.json() as { id: string }).id,
      consumerGrantId: grants.items[0]!.id,
      policeCredentialId: (credential.json() as { client: { id: string } }).client.id,
    };
  }

  it('has a case for every route a department- or region-bound role may call', () => {
    const bound = STAFF_ROLES.filter((r) => ROLE_REACH[r] !== 'city');
    const scoped = platform.app.routeAccess.filter(
      (r) => typeof r.access === 'object' && (r.access.roles ?? []).some((role) => bound.includes(role)),
    );
    expect(scoped.length).toBeGreaterThan(0);
    for (const route of scoped) {
      if (DEPARTMENTLESS_ROUTES.has(keyOf(route))) continue;
      expect(Object.keys(CASES), `${keyOf(route)} needs a wrong-department case`).toContain(keyOf(route));
    }
  });

  it('answers 404 to a department administrator reaching into another department, and changes nothing', async () => {
    const failures: string[] = [];
    for (const [key, build] of Object.entries(CASES)) {
      const { caller = 'deptadmin', expectStatus = 404, ...options } = build(ctx);
      const res = await as(platform.app, staffSessions.get(caller)!, options);
      if (res.statusCode !== expectStatus) failures.push(`${key}: expected ${expectStatus}, got ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    // the other department's clerk is untouched: same name, still active, same password
    const clerk = await as(platform.app, admin, { method: 'GET', url: `/api/v1/admin/staff/${ctx.otherStaffId}` });
    expect(clerk.json()).toMatchObject({ name: '窗口 陈静', active: true });
    expect((await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'clerk', password: DEMO_PASSWORD }, remoteAddress: '10.9.9.9' })).statusCode).toBe(200);
    expect((await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'planted_elsewhere', password: 'Planted2026' }, remoteAddress: '10.9.9.9' })).statusCode).toBe(401);
    // the police's rectification and ticket are untouched, and the district's import filed nothing
    expect(await platform.database.db.selectFrom('rectifications').select(['status', 'version']).where('id', '=', quality.rectificationId).executeTakeFirst()).toEqual({ status: 'open', version: 1 });
    expect(await platform.database.db.selectFrom('tickets').select(['status', 'version']).where('number', '=', quality.ticketNumber).executeTakeFirst()).toEqual({ status: 'open', version: 1 });
    expect(await platform.database.db.selectFrom('tickets').select('id').where('hotline_ref', '=', 'walk-0001').execute()).toEqual([]);
  });

  it('leaves the other department\'s data-sharing records as they were', async () => {
    const police = staffSessions.get('datashare_police')!;
    const get = (url: string) => as(platform.app, police, { method: 'GET', url });
    expect((await get(`/api/v1/sharing/resources/${ctx.sharing.draftId}`)).json()).toMatchObject({ status: 'draft', name: '越权登记' });
    expect((await get(`/api/v1/sharing/resources/${ctx.sharing.publishedId}`)).json()).toMatchObject({ status: 'published' });
    const requests = (await get('/api/v1/sharing/requests?status=pending')).json() as { items: Array<{ id: string }> };
    expect(requests.items.map((r) => r.id)).toContain(ctx.sharing.pendingRequestId);
    const grants = (await get(`/api/v1/sharing/grants?resourceId=${ctx.sharing.publishedId}&live=true`)).json() as { items: Array<{ id: string }> };
    expect(grants.items.map((g) => g.id)).toContain(ctx.sharing.consumerGrantId);
    const credentials = (await get('/api/v1/sharing/credentials')).json() as { items: Array<{ id: string; revokedAt: string | null }> };
    expect(credentials.items.find((c) => c.id === ctx.sharing.policeCredentialId)).toMatchObject({ revokedAt: null });
    const resources = (await get('/api/v1/sharing/resources?q=planted-elsewhere')).json() as { items: unknown[] };
    expect(resources.items).toEqual([]);
  });

  it('leaves the other department\'s e-license and seal as they were', async () => {
    const verdict = (await platform.app.inject({ method: 'GET', url: `/api/v1/licenses/verify/${foreignLicense.licenseId}` })).json() as { valid: boolean };
    expect(verdict.valid).toBe(true);
    const seals = (await as(platform.app, admin, { method: 'GET', url: `/api/v1/admin/seals?departmentId=${foreignLicense.departmentId}` })).json() as { items: Array<{ id: string; status: string; name: string }> };
    expect(seals.items.map((x) => [x.id, x.status, x.name])).toEqual([[foreignLicense.sealId, 'active', '电子证照专用章']]);
  });

  it('leaves the other department\'s catalog item as it was', async () => {
    const item = await as(platform.app, admin, { method: 'GET', url: `/api/v1/admin/catalog/items/${ctx.otherItemCode}` });
    expect(item.statusCode, item.body).toBe(200);
    expect((item.json() as { versions: unknown[] }).versions).toEqual([expect.objectContaining({ version: 1, status: 'draft', lockVersion: 1, name: catalogContent().name })]);
    // and the market's catalog admin reaches the own department's items
    const own = await as(platform.app, staffSessions.get('catalog')!, { method: 'GET', url: `/api/v1/admin/catalog/items?departmentId=${ctx.ownDepartmentId}` });
    expect(own.statusCode, own.body).toBe(200);
  });

  it('lets the same administrator do the same in the own department', async () => {
    const deptadmin = staffSessions.get('deptadmin')!;
    const own = await as(platform.app, deptadmin, { method: 'GET', url: `/api/v1/admin/staff?departmentId=${ctx.ownDepartmentId}` });
    expect(own.statusCode).toBe(200);
    const approverId = (own.json() as { items: Array<{ id: string; username: string }> }).items.find((s) => s.username === 'approver')!.id;
    expect((await as(platform.app, deptadmin, { method: 'GET', url: `/api/v1/admin/staff/${approverId}` })).statusCode).toBe(200);
  });

  it('gives the system administrator the whole city', async () => {
    for (const key of ['GET /api/v1/admin/staff', 'GET /api/v1/admin/staff/:id']) {
      const res = await as(platform.app, admin, CASES[key]!(ctx));
      expect(res.statusCode, key).toBe(200);
    }
  });
});

describe('CSRF protection of cookie-authenticated writes', () => {
  /** A signed-in caller the route allows, so only the CSRF check stands in the way. */
  function allowedCookieCaller(access: Access): Caller | undefined {
    return callers.find((c) => (c.kind === 'applicant' || c.kind === 'staff') && expectedAllowed(access, c));
  }

  it('refuses every cookie-authenticated write without the token, with a wrong one and with another session\'s', async () => {
    const writes = platform.app.routeAccess.filter((r) => r.access !== 'public' && !SAFE.has(r.method));
    expect(writes.length).toBeGreaterThan(8);
    const otherSession = await login(platform.app, 'supervisor');
    const failures: string[] = [];
    let probes = 0;
    for (const route of writes) {
      const caller = allowedCookieCaller(route.access);
      if (!caller) continue; // a route only channel clients may call has no cookie to protect
      for (const [label, csrf] of [['no token', undefined], ['a wrong token', 'wrong-token'], ['another session\'s token', otherSession.csrf]] as const) {
        const headers: Record<string, string> = { ...caller.headers, ...(csrf ? { 'x-csrf-token': csrf } : {}) };
        const res = await platform.app.inject(request(route, headers));
        probes += 1;
        const failure = checkRefusal(res, route, 403, 'csrf_failed');
        if (failure) failures.push(`${keyOf(route)} as ${caller.label} with ${label}: ${failure}`);
      }
    }
    expect(failures).toEqual([]);
    expect(probes).toBe(writes.length * 3);
  });

  it('also refuses when the token is sent only as the cookie, not echoed in the header', async () => {
    const deptadmin = staffSessions.get('deptadmin')!;
    const res = await platform.app.inject({ method: 'PATCH', url: `/api/v1/admin/staff/${deptadmin.user.id}`, payload: { name: 'x' }, headers: { cookie: `${deptadmin.cookie}; tb_csrf=${deptadmin.csrf}` } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'csrf_failed' });
  });

  it('does not ask for the token on reads', async () => {
    const res = await platform.app.inject({ method: 'GET', url: '/api/v1/admin/staff', headers: { cookie: admin.cookie } });
    expect(res.statusCode).toBe(200);
  });

  it('does not ask bearer clients for it: their writes are judged by scope alone', async () => {
    const client = callers.find((c) => c.kind === 'client')!;
    const res = await platform.app.inject({ method: 'POST', url: '/api/v1/admin/api-clients', payload: { name: 'x', scopes: ['catalog:read'] }, headers: client.headers });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden' });
  });
});
