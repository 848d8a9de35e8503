import type { FastifyRequest } from 'fastify';
import type { ApplicantPrincipal } from '../../platform/auth/principal.js';
import { CommonErrors } from '../../platform/http/errors.js';
import { Paged } from '../../platform/http/pagination.js';
import { staffOf } from '../../platform/http/request-context.js';
import type { App } from '../../platform/http/types.js';
import { Evaluation, RatingInput } from '../evaluation/schemas.js';
import type { EvaluationService } from '../evaluation/service.js';
import { FaqList, HotlineImport, HotlineImportResult, TicketAction, TicketDetail, TicketInput, TicketNumberParam, TicketQuery, TicketSummary } from './schemas.js';
import type { TicketsService } from './service.js';
import { Type } from 'typebox';

/*
 * Ticket routes (docs/quality-api.md): opening from the portal and the hall, the 12345 import,
 * the queue, the one actions route, rating the reply, and the item's public FAQ.
 */

const tags = ['tickets'];
const openers = { applicant: true, roles: ['window_clerk'] } as const;
const readers = { applicant: true, roles: ['window_clerk', 'approver', 'department_admin', 'supervisor', 'system_admin'] } as const;
const importers = { roles: ['supervisor', 'system_admin'] } as const;

function applicantOf(request: FastifyRequest): ApplicantPrincipal {
  const p = request.principal;
  if (!p || p.kind !== 'applicant') throw CommonErrors.forbidden();
  return p;
}

const lang = (request: FastifyRequest) => ((request.headers['accept-language'] ?? '').toLowerCase().startsWith('en') ? 'en' : 'zh');

export async function ticketRoutes(app: App, { tickets, evaluation }: { tickets: TicketsService; evaluation: EvaluationService }): Promise<void> {
  app.post('/api/v1/tickets', {
    config: { access: openers, idempotent: true },
    schema: {
      tags,
      summary: '提交咨询、投诉、建议或表扬（申请人网上提交；窗口人员为来访人登记）：须指明事项、部门或办件',
      body: TicketInput,
      response: { 201: TicketDetail },
    },
  }, async (request, reply) => reply.status(201).send(await tickets.open(request.principal!, request.ip, request.body)));

  app.post('/api/v1/tickets/import', {
    config: { access: importers },
    schema: {
      tags,
      summary: '导入 12345 热线工单（CSV 文本或 JSON 数组）：逐行校验，已导入的工单号不重复建单',
      body: HotlineImport,
      response: { 200: HotlineImportResult },
    },
  }, async (request) => tickets.importHotline(staffOf(request), request.ip, request.body, lang(request)));

  app.get('/api/v1/tickets', {
    config: { access: readers },
    schema: { tags, summary: '工单列表：申请人本人的；部门本部门的待办（按期限）；效能监督本区域的（联系人脱敏）', querystring: TicketQuery, response: { 200: Paged(TicketSummary) } },
  }, async (request) => tickets.list(request.principal!, request.query));

  app.get('/api/v1/tickets/:ticketNumber', {
    config: { access: readers },
    schema: { tags, summary: '工单详情（范围外 404；工作人员查看记入审计）', params: TicketNumberParam, response: { 200: TicketDetail } },
  }, async (request) => tickets.get(request.principal!, request.params.ticketNumber, request.ip));

  app.post('/api/v1/tickets/:ticketNumber/actions', {
    config: { access: readers },
    schema: {
      tags,
      summary: '工单办理：答复、转办、提请督办、办结、发布/撤下常见问题',
      params: TicketNumberParam,
      body: TicketAction,
      response: { 200: TicketDetail },
    },
  }, async (request) => tickets.act(request.principal!, request.ip, request.params.ticketNumber, request.body));

  app.post('/api/v1/tickets/:ticketNumber/evaluations', {
    config: { access: { applicant: true }, idempotent: true },
    schema: { tags, summary: '评价工单答复（本人工单，答复后评价期内）', params: TicketNumberParam, body: RatingInput, response: { 201: Evaluation } },
  }, async (request, reply) => reply.status(201).send(await evaluation.rate(applicantOf(request), request.ip, { kind: 'ticket', ticketNumber: request.params.ticketNumber }, request.body)));

  app.get('/api/v1/items/:implementationCode/faq', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: '事项常见问题：已答复并发布的咨询',
      params: Type.Object({ implementationCode: Type.String({ minLength: 1, maxLength: 40 }) }),
      response: { 200: FaqList },
    },
  }, async (request) => tickets.faq(request.params.implementationCode));
}
