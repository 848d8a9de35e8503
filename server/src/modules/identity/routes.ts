import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { App } from '../../platform/http/types.js';
import { IdParam, ListOf, Ok } from '../../platform/http/types.js';
import { actorOf, staffOf } from '../../platform/http/request-context.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../platform/auth/plugin.js';
import { CommonErrors } from '../../platform/http/errors.js';
import type { IdentityService } from './service.js';
import {
  ApiClient,
  ApiClientCreated,
  ApiClientInput,
  LoginInput,
  LoginResult,
  Me,
  PasswordReset,
  RegisterInput,
  Registered,
  Staff,
  StaffInput,
  StaffPatch,
  StaffQuery,
} from './schemas.js';

const tags = ['identity'];
const staffManagers = { roles: ['department_admin', 'system_admin'] } as const;
const systemAdmin = { roles: ['system_admin'] } as const;

export async function identityRoutes(app: App, { identity, secureCookies }: { identity: IdentityService; secureCookies: boolean }): Promise<void> {
  const cookieBase = { path: '/', sameSite: 'lax' as const, secure: secureCookies };

  function setSessionCookies(reply: FastifyReply, token: string, csrf: string, expires: Date) {
    reply.setCookie(SESSION_COOKIE, token, { ...cookieBase, httpOnly: true, expires });
    reply.setCookie(CSRF_COOKIE, csrf, { ...cookieBase, httpOnly: false, expires });
  }

  app.post('/api/v1/auth/register', {
    config: { access: 'public', idempotent: true },
    schema: { tags, summary: '申请人注册（自然人 / 法人）', body: RegisterInput, response: { 201: Registered } },
  }, async (request, reply) => reply.status(201).send(await identity.register(actorOf(request), request.body)));

  app.post('/api/v1/auth/login', {
    config: { access: 'public' },
    schema: { tags, summary: '登录（申请人用证件号码，工作人员用用户名）', body: LoginInput, response: { 200: LoginResult } },
  }, async (request, reply) => {
    const outcome = await identity.login(request.ip, request.body.username, request.body.password);
    setSessionCookies(reply, outcome.sessionToken, outcome.csrfToken, outcome.expiresAt);
    return { user: outcome.user, csrfToken: outcome.csrfToken, expiresAt: outcome.expiresAt.toISOString() };
  });

  app.post('/api/v1/auth/logout', {
    config: { access: 'signed_in' },
    schema: { tags, summary: '退出登录', response: { 200: Ok } },
  }, async (request, reply) => {
    if (!request.session) throw CommonErrors.unauthenticated();
    await identity.logout(actorOf(request), request.session);
    reply.clearCookie(SESSION_COOKIE, cookieBase).clearCookie(CSRF_COOKIE, cookieBase);
    return { ok: true as const };
  });

  app.get('/api/v1/auth/me', {
    config: { access: 'signed_in' },
    schema: { tags, summary: '当前用户', response: { 200: Me } },
  }, async (request) => identity.me(request.principal!, request.session?.csrfToken ?? null));

  app.get('/api/v1/admin/staff', {
    config: { access: staffManagers },
    schema: { tags, summary: '工作人员列表（手机号脱敏）', querystring: StaffQuery, response: { 200: Type.Object({ items: Type.Array(Staff), nextCursor: Type.Union([Type.String(), Type.Null()]) }) } },
  }, async (request) => identity.listStaff(staffOf(request), request.query));

  app.get('/api/v1/admin/staff/:id', {
    config: { access: staffManagers },
    schema: { tags, summary: '工作人员详情（查看个人信息，记录审计）', params: IdParam, response: { 200: Staff } },
  }, async (request) => identity.getStaff(staffOf(request), actorOf(request), request.params.id));

  app.post('/api/v1/admin/staff', {
    config: { access: staffManagers, idempotent: true },
    schema: { tags, summary: '新增工作人员', body: StaffInput, response: { 201: Staff } },
  }, async (request, reply) => reply.status(201).send(await identity.createStaff(staffOf(request), actorOf(request), request.body)));

  app.patch('/api/v1/admin/staff/:id', {
    config: { access: staffManagers },
    schema: { tags, summary: '修改工作人员（角色、部门、停用）', params: IdParam, body: StaffPatch, response: { 200: Staff } },
  }, async (request) => identity.updateStaff(staffOf(request), actorOf(request), request.params.id, request.body));

  app.post('/api/v1/admin/staff/:id/password', {
    config: { access: staffManagers },
    schema: { tags, summary: '重置工作人员密码', params: IdParam, body: PasswordReset, response: { 200: Ok } },
  }, async (request) => {
    await identity.resetStaffPassword(staffOf(request), actorOf(request), request.params.id, request.body.password);
    return { ok: true as const };
  });

  app.get('/api/v1/admin/api-clients', {
    config: { access: systemAdmin },
    schema: { tags, summary: '接入系统（渠道）列表', response: { 200: ListOf(ApiClient) } },
  }, async () => ({ items: await identity.listClients() }));

  // Not idempotent on purpose: a replay would have to keep the token in clear in the idempotency
  // table for a day and hand it out again. The token is shown once; a stray duplicate is revoked.
  app.post('/api/v1/admin/api-clients', {
    config: { access: systemAdmin },
    schema: { tags, summary: '新增接入系统并签发令牌', body: ApiClientInput, response: { 201: ApiClientCreated } },
  }, async (request, reply) => reply.status(201).send(await identity.createClient(actorOf(request), request.body)));

  app.delete('/api/v1/admin/api-clients/:id', {
    config: { access: systemAdmin },
    schema: { tags, summary: '吊销接入系统令牌', params: IdParam, response: { 200: Ok } },
  }, async (request) => {
    await identity.revokeClient(actorOf(request), request.params.id);
    return { ok: true as const };
  });
}
