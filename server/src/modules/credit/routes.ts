import { Type } from 'typebox';
import { IdParam } from '../../platform/http/types.js';
import { actorOf, staffOf } from '../../platform/http/request-context.js';
import { Paged } from '../../platform/http/pagination.js';
import type { App } from '../../platform/http/types.js';
import type { ApplicantPrincipal } from '../../platform/auth/principal.js';
import { CommonErrors } from '../../platform/http/errors.js';
import type { FastifyRequest } from 'fastify';
import type { CreditService } from './service.js';
import { AppealDecision, AppealQuery, CreditAppeal, CreditEntry, CreditQuery, MyCredit, NewAppeal, NewCreditEntry, RemoveEntry } from './schemas.js';

/* Credit lists: administration (inspectors, supervisors, the system admin) and the subject's own view and appeals. */

const tags = ['credit'];
const keepers = { roles: ['inspector', 'supervisor', 'system_admin'] } as const;

function applicantOf(request: FastifyRequest): ApplicantPrincipal {
  const p = request.principal;
  if (!p || p.kind !== 'applicant') throw CommonErrors.forbidden();
  return p;
}

export async function creditRoutes(app: App, { credit }: { credit: CreditService }): Promise<void> {
  app.get('/api/v1/admin/credit/entries', {
    config: { access: keepers },
    schema: { tags, summary: '信用名单（黑名单、红名单），证件号码脱敏', querystring: CreditQuery, response: { 200: Paged(CreditEntry) } },
  }, async (request) => credit.list(request.query));

  app.post('/api/v1/admin/credit/entries', {
    config: { access: keepers, idempotent: true },
    schema: { tags, summary: '列入信用名单（原因、依据、期限）', body: NewCreditEntry, response: { 201: CreditEntry } },
  }, async (request, reply) => reply.status(201).send(await credit.add(staffOf(request), actorOf(request), request.body)));

  app.post('/api/v1/admin/credit/entries/:id/removal', {
    config: { access: keepers },
    schema: { tags, summary: '移出名单（信用修复），保留记录', params: IdParam, body: RemoveEntry, response: { 200: CreditEntry } },
  }, async (request) => credit.remove(staffOf(request), actorOf(request), request.params.id, request.body.reason));

  app.get('/api/v1/admin/credit/appeals', {
    config: { access: keepers },
    schema: { tags, summary: '信用名单申诉', querystring: AppealQuery, response: { 200: Type.Object({ items: Type.Array(CreditAppeal) }) } },
  }, async (request) => ({ items: await credit.listAppeals(request.query.status) }));

  app.post('/api/v1/admin/credit/appeals/:id/decision', {
    config: { access: keepers },
    schema: { tags, summary: '处理申诉：成立则移出名单', params: IdParam, body: AppealDecision, response: { 200: CreditAppeal } },
  }, async (request) => credit.decideAppeal(staffOf(request), actorOf(request), request.params.id, request.body));

  app.get('/api/v1/me/credit', {
    config: { access: { applicant: true } },
    schema: { tags, summary: '本人的信用名单记录与申诉', response: { 200: MyCredit } },
  }, async (request) => credit.mine(applicantOf(request)));

  app.post('/api/v1/me/credit/appeals', {
    config: { access: { applicant: true }, idempotent: true },
    schema: { tags, summary: '对本人的名单记录提出申诉', body: NewAppeal, response: { 201: CreditAppeal } },
  }, async (request, reply) => reply.status(201).send(await credit.appeal(applicantOf(request), request.body)));
}
