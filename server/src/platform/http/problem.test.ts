import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { as, createTestPlatform, login, type Session, type TestPlatform } from '../../../test/harness.js';
import { BODY_LIMIT } from '../../app.js';
import { AppError } from './errors.js';
import { requestLang } from './problem.js';

let platform: TestPlatform;
let admin: Session;
beforeAll(async () => {
  platform = await createTestPlatform();
  admin = await login(platform.app, 'admin');
});
afterAll(() => platform.close());

interface ProblemJson {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: Array<{ field: string; code: string; message: string }>;
}

/** Asserts the RFC 9457 shape every error of the platform has, and returns the body. */
function expectProblem(res: LightMyRequestResponse, status: number, code: string): ProblemJson {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json; charset=utf-8$/);
  const body = res.json() as ProblemJson;
  expect(Object.keys(body).sort()).toEqual(body.errors ? ['code', 'detail', 'errors', 'status', 'title', 'type'] : ['code', 'detail', 'status', 'title', 'type']);
  expect(body.status).toBe(status);
  expect(body.code).toBe(code);
  expect(body.type).toBe(`urn:tongban:problem:${code}`);
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  return body;
}

const inject = (options: InjectOptions) => platform.app.inject(options);

describe('every error is problem+json', () => {
  it.each<[string, () => Promise<LightMyRequestResponse>, number, string]>([
    ['401 without a session', () => inject({ method: 'GET', url: '/api/v1/auth/me' }), 401, 'unauthenticated'],
    ['403 for the wrong role', async () => as(platform.app, await login(platform.app, 'approver'), { method: 'GET', url: '/api/v1/admin/audit' }), 403, 'forbidden'],
    ['403 without the CSRF token', () => inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: admin.cookie } }), 403, 'csrf_failed'],
    ['404 for an unknown department', () => inject({ method: 'GET', url: '/api/v1/departments/00000000-0000-4000-8000-000000000000' }), 404, 'department_not_found'],
    ['409 for a duplicate', () => as(platform.app, admin, { method: 'POST', url: '/api/v1/admin/staff', payload: { username: 'approver', name: 'x', departmentId: admin.user.departmentId, roles: ['approver'], password: 'Passw0rd2026' } }), 409, 'username_taken'],
    ['401 for a wrong password', () => inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'nope' }, remoteAddress: '10.30.0.1' }), 401, 'invalid_credentials'],
  ])('%s', async (_what, call, status, code) => {
    expectProblem(await call(), status, code);
  });
});

describe('unknown routes', () => {
  it.each([
    ['GET', '/api/v1/nothing-here'],
    ['POST', '/api/v1/nothing-here'],
    ['GET', '/not-an-api'],
    ['DELETE', '/api/v1/auth/login'],
  ])('%s %s is 404 route_not_found naming the route', async (method, url) => {
    const body = expectProblem(await inject({ method: method as 'GET', url: `${url}?secret=1` }), 404, 'route_not_found');
    expect(body.title).toBe(`接口不存在：${method} ${url}`);
    // the query string is not echoed (it may carry personal data)
    expect(body.title).not.toContain('secret');
  });

  it('is 404 for an unknown route even for a signed-in caller', async () => {
    expectProblem(await as(platform.app, admin, { method: 'GET', url: '/api/v1/admin/nothing' }), 404, 'route_not_found');
  });
});

describe('malformed and unacceptable bodies', () => {
  it.each([
    ['broken JSON', '{"username": "admin", '],
    ['a lone quote', '"'],
    ['trailing garbage', '{"username":"a","password":"b"} x'],
  ])('%s is 400 malformed_json', async (_what, payload) => {
    const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload, headers: { 'content-type': 'application/json' } });
    expectProblem(res, 400, 'malformed_json');
  });

  it('an empty body declared as JSON is 400 malformed_json', async () => {
    const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: '', headers: { 'content-type': 'application/json' } });
    expectProblem(res, 400, 'malformed_json');
  });

  it('a JSON value of the wrong shape is a validation error, not a crash', async () => {
    for (const payload of ['[]', '"text"', '42', 'null']) {
      const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode, payload).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('a body over 1 MiB is 413 payload_too_large, before anything else looks at it', async () => {
    const payload = JSON.stringify({ username: 'admin', password: 'x'.repeat(BODY_LIMIT) });
    const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload, headers: { 'content-type': 'application/json' } });
    const body = expectProblem(res, 413, 'payload_too_large');
    expect(body.title).toContain('1024 KiB');
    // also when the caller would be refused anyway: size is checked whoever sends it
    const signedIn = await as(platform.app, admin, { method: 'POST', url: '/api/v1/admin/staff', payload, headers: { 'content-type': 'application/json' } });
    expect(signedIn.statusCode).toBe(413);
  });

  it('a body just under the limit is read (and judged on its content)', async () => {
    const payload = JSON.stringify({ username: 'admin', password: 'x'.repeat(BODY_LIMIT - 100) });
    const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload, headers: { 'content-type': 'application/json' }, remoteAddress: '10.30.0.2' });
    expect(res.statusCode).toBe(400); // password longer than 128
  });

  it.each(['application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain', 'application/octet-stream'])(
    'content type %s on a JSON route is 415 unsupported_media_type',
    async (type) => {
      const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: 'username=admin&password=x', headers: { 'content-type': type } });
      expectProblem(res, 415, 'unsupported_media_type');
    },
  );

  it('a JSON content type with a charset is fine', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: JSON.stringify({ username: 'nobody', password: 'nope' }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
      remoteAddress: '10.30.0.3',
    });
    expectProblem(res, 401, 'invalid_credentials');
  });
});

describe('validation errors', () => {
  it('list every invalid field with field, code and message', async () => {
    const res = await as(platform.app, admin, {
      method: 'POST',
      url: '/api/v1/admin/staff',
      payload: { username: 'a', name: '', departmentId: 'not-a-uuid', roles: [], phone: 12 },
    });
    const body = expectProblem(res, 400, 'validation_failed');
    const byField = new Map(body.errors!.map((e) => [e.field, e]));
    expect([...byField.keys()].sort()).toEqual(['departmentId', 'name', 'password', 'roles', 'username']);
    expect(byField.get('username')).toEqual({ field: 'username', code: 'too_short', message: '长度不能少于 3' });
    expect(byField.get('name')).toMatchObject({ code: 'too_short' });
    expect(byField.get('departmentId')).toMatchObject({ code: 'invalid_format', message: '格式不正确' });
    expect(byField.get('roles')).toMatchObject({ code: 'invalid_count' });
    expect(byField.get('password')).toEqual({ field: 'password', code: 'required', message: '此项为必填项' });
    for (const e of body.errors!) expect(Object.keys(e).sort()).toEqual(['code', 'field', 'message']);
    // the detail repeats them for a reader of logs
    expect(body.detail).toContain('username: 长度不能少于 3');
  });

  it('name nested fields the way forms do', async () => {
    const res = await as(platform.app, admin, {
      method: 'POST',
      url: '/api/v1/admin/staff',
      payload: { username: 'nested_ok', name: 'x', departmentId: admin.user.departmentId, roles: ['approver', 'wizard'], password: 'Passw0rd2026' },
    });
    const body = expectProblem(res, 400, 'validation_failed');
    expect(body.errors!.map((e) => [e.field, e.code])).toEqual([['roles[1]', 'invalid_value']]);
  });

  it('name path and query parameters', async () => {
    const params = expectProblem(await inject({ method: 'GET', url: '/api/v1/departments/not-a-uuid' }), 400, 'validation_failed');
    expect(params.errors!.map((e) => [e.field, e.code])).toEqual([['id', 'invalid_format']]);
    const query = expectProblem(await as(platform.app, admin, { method: 'GET', url: '/api/v1/admin/staff?limit=1000' }), 400, 'validation_failed');
    expect(query.errors!.map((e) => [e.field, e.code])).toEqual([['limit', 'out_of_range']]);
  });

  it('drop unknown fields rather than failing on them', async () => {
    const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'x', isAdmin: true }, remoteAddress: '10.30.0.4' });
    expectProblem(res, 401, 'invalid_credentials');
  });

  it('is a 4xx for a forged page cursor whatever it decodes to, never a 5xx', async () => {
    const forged = [
      Buffer.from(JSON.stringify({ id: 'abc' })).toString('base64url'),
      Buffer.from(JSON.stringify({ id: 1.5 })).toString('base64url'),
      Buffer.from(JSON.stringify({ id: 1e308 })).toString('base64url'),
      Buffer.from(JSON.stringify({ id: '1; DROP TABLE users' })).toString('base64url'),
    ];
    for (const cursor of forged) {
      const res = await as(platform.app, admin, { method: 'GET', url: `/api/v1/admin/audit?cursor=${cursor}` });
      const body = expectProblem(res, 400, 'validation_failed');
      expect(body.errors!.map((e) => [e.field, e.code])).toEqual([['cursor', 'invalid_cursor']]);
    }
    const staff = await as(platform.app, admin, { method: 'GET', url: `/api/v1/admin/staff?cursor=${Buffer.from(JSON.stringify({ u: 7 })).toString('base64url')}` });
    expect(staff.statusCode).toBeLessThan(500);
  });
});

describe('language', () => {
  const call = (acceptLanguage?: string) =>
    inject({ method: 'GET', url: '/api/v1/auth/me', headers: acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage } });

  it('is Chinese by default', async () => {
    expect(expectProblem(await call(), 401, 'unauthenticated').title).toBe('请先登录');
  });

  it.each([
    ['en', 'en'],
    ['en-US', 'en'],
    ['EN-gb', 'en'],
    ['zh-CN;q=0.5, en;q=0.9', 'en'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    ['zh-CN', 'zh'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['en;q=0.1, zh', 'zh'],
    ['fr', 'zh'],
    ['fr, en;q=0.5', 'en'],
    ['*', 'zh'],
    ['en;q=0', 'zh'],
    ['en;q=abc', 'zh'],
    ['', 'zh'],
    [';;;,,,', 'zh'],
  ])('Accept-Language "%s" gives %s', async (header, lang) => {
    const res = await call(header);
    const body = expectProblem(res, 401, 'unauthenticated');
    expect(body.title).toBe(lang === 'en' ? 'Please sign in first' : '请先登录');
  });

  it('translates field messages and parameters too', async () => {
    const res = await as(platform.app, admin, { method: 'POST', url: '/api/v1/admin/staff', payload: { username: 'a' }, headers: { 'accept-language': 'en' } });
    const body = expectProblem(res, 400, 'validation_failed');
    expect(body.title).toBe('The request has invalid fields');
    expect(body.errors!.find((e) => e.field === 'username')!.message).toBe('Must be at least 3 long');
    expect(body.errors!.find((e) => e.field === 'password')!.message).toBe('This field is required');
  });

  it('answers 404, 413 and 415 in English too', async () => {
    expect(expectProblem(await inject({ method: 'GET', url: '/nope', headers: { 'accept-language': 'en' } }), 404, 'route_not_found').title).toBe('No such route: GET /nope');
    const big = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: JSON.stringify({ p: 'x'.repeat(BODY_LIMIT) }), headers: { 'content-type': 'application/json', 'accept-language': 'en' } });
    expect(expectProblem(big, 413, 'payload_too_large').title).toBe('The request body is too large (limit 1024 KiB)');
    const xml = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: '<a/>', headers: { 'content-type': 'application/xml', 'accept-language': 'en' } });
    expect(expectProblem(xml, 415, 'unsupported_media_type').title).toBe('Unsupported content type');
  });

  it('requestLang reads the header the same way outside a route', () => {
    const req = (h?: string) => ({ headers: h === undefined ? {} : { 'accept-language': h } }) as Parameters<typeof requestLang>[0];
    expect(requestLang(req())).toBe('zh');
    expect(requestLang(req('en'))).toBe('en');
    expect(requestLang(req('zh-TW, en;q=0.9'))).toBe('zh');
  });
});

describe('server errors', () => {
  it('a 5xx is problem+json with a generic message and never leaks the error or its stack', async () => {
    const session = await login(platform.app, 'approver');
    const leak = new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
    leak.stack = `${leak.message}\n    at IdentityService.me (/srv/tongban/server/src/modules/identity/service.ts:180:11)`;
    const spy = vi.spyOn(platform.services.identity, 'me').mockRejectedValueOnce(leak);
    try {
      const res = await as(platform.app, session, { method: 'GET', url: '/api/v1/auth/me' });
      const body = expectProblem(res, 500, 'internal_error');
      expect(body.title).toBe('系统内部错误，请稍后再试');
      for (const secret of ['ECONNREFUSED', 'hunter2', 'service.ts', '/srv/', 'stack', ' at ']) expect(res.body).not.toContain(secret);
      expect(spy).toHaveBeenCalledOnce();
    } finally {
      spy.mockRestore();
    }
    // the next request is served normally
    expect((await as(platform.app, session, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
  });

  it('an error carrying a 5xx status of its own is still rendered without its message', async () => {
    const session = await login(platform.app, 'approver');
    const err = Object.assign(new Error('pool exhausted at db-primary.internal'), { statusCode: 503 });
    const spy = vi.spyOn(platform.services.identity, 'me').mockRejectedValueOnce(err);
    try {
      const res = await as(platform.app, session, { method: 'GET', url: '/api/v1/auth/me', headers: { 'accept-language': 'en' } });
      const body = expectProblem(res, 500, 'internal_error');
      expect(body.title).toBe('Internal error; please try again later');
      expect(res.body).not.toContain('db-primary');
    } finally {
      spy.mockRestore();
    }
  });

  it('a thrown value that is not an Error at all is still a clean 500', async () => {
    const session = await login(platform.app, 'approver');
    const spy = vi.spyOn(platform.services.identity, 'me').mockRejectedValueOnce('a string, thrown');
    try {
      const res = await as(platform.app, session, { method: 'GET', url: '/api/v1/auth/me' });
      expectProblem(res, 500, 'internal_error');
      expect(res.body).not.toContain('a string, thrown');
    } finally {
      spy.mockRestore();
    }
  });

  it('an AppError a service throws keeps its own status and code', async () => {
    const session = await login(platform.app, 'approver');
    const spy = vi.spyOn(platform.services.identity, 'me').mockRejectedValueOnce(new AppError(409, 'conflict'));
    try {
      const body = expectProblem(await as(platform.app, session, { method: 'GET', url: '/api/v1/auth/me' }), 409, 'conflict');
      expect(body.title).toBe('数据已被他人修改，请刷新后重试');
    } finally {
      spy.mockRestore();
    }
  });
});
