import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/types.js';
import { ListOf } from '../../platform/http/types.js';
import { actorOf } from '../../platform/http/request-context.js';
import { CommonErrors } from '../../platform/http/errors.js';
import type { ApplicantPrincipal, StaffPrincipal } from '../../platform/auth/principal.js';
import type { EventsService } from './service.js';
import {
  Delivery,
  DeliveryIdParam,
  DeliveryPage,
  DeliveryQuery,
  Message,
  MessageIdParam,
  MessagePage,
  MessageQuery,
  OutboxStats,
  ReadAllResult,
  WebhookCreated,
  WebhookIdParam,
  WebhookInput,
  WebhookSubscription,
} from './schemas.js';

const systemAdmin = { roles: ['system_admin'] } as const;

function readerOf(request: FastifyRequest): ApplicantPrincipal | StaffPrincipal {
  const p = request.principal;
  if (!p || p.kind === 'client') throw CommonErrors.forbidden();
  return p;
}

const SIGNING = [
  '平台以 POST 推送 JSON：{ id（事件编号）, type, createdAt, data }，data 不含手机号等个人信息。',
  '请求头：X-Tongban-Event-Id（重试时不变，接收方据此去重）、X-Tongban-Timestamp（Unix 秒）、',
  'X-Tongban-Signature: sha256=<hex>，即以订阅密钥对 "<timestamp>.<原始请求体>" 计算的 HMAC-SHA256。',
  '接收方应在解析 JSON 之前按原始字节验签、以常量时间比较、拒绝与本地时钟相差 5 分钟以上的时间戳，并在 5 秒内返回 2xx；',
  '其他应答或超时按 10 秒、30 秒、2 分钟、10 分钟、1 小时……退避重试，多次失败后标记为失败，可由管理员重试。',
].join('');

export async function eventsRoutes(app: App, { events }: { events: EventsService }): Promise<void> {
  // --- the signed-in person's message box --------------------------------------------------------
  const mine = { tags: ['messages'] };

  app.get('/api/v1/me/messages', {
    config: { access: 'signed_in' },
    schema: { ...mine, summary: '我的站内消息（最新在前）', querystring: MessageQuery, response: { 200: MessagePage } },
  }, async (request) => events.listMessages(readerOf(request), request.query));

  app.post('/api/v1/me/messages/:messageId/read', {
    config: { access: 'signed_in' },
    schema: { ...mine, summary: '标记消息为已读', params: MessageIdParam, response: { 200: Message } },
  }, async (request) => events.readMessage(readerOf(request), request.params.messageId));

  app.post('/api/v1/me/messages/read-all', {
    config: { access: 'signed_in' },
    schema: { ...mine, summary: '全部标记为已读', response: { 200: ReadAllResult } },
  }, async (request) => events.readAllMessages(readerOf(request)));

  // --- webhooks for channel systems --------------------------------------------------------------
  const tags = ['webhooks'];

  // Not idempotent on purpose (like API clients): a replay would keep the secret in clear in the
  // idempotency table and hand it out again. A stray duplicate is deactivated.
  app.post('/api/v1/admin/webhooks', {
    config: { access: systemAdmin },
    schema: { tags, summary: '为接入系统登记事件推送（Webhook），返回签名密钥（仅一次）', description: SIGNING, body: WebhookInput, response: { 201: WebhookCreated } },
  }, async (request, reply) => reply.status(201).send(await events.createWebhook(actorOf(request), request.body)));

  app.get('/api/v1/admin/webhooks', {
    config: { access: systemAdmin },
    schema: { tags, summary: '事件推送订阅列表', response: { 200: ListOf(WebhookSubscription) } },
  }, async () => events.listWebhooks());

  app.delete('/api/v1/admin/webhooks/:webhookId', {
    config: { access: systemAdmin },
    schema: { tags, summary: '停用事件推送订阅（待投递的不再投递）', params: WebhookIdParam, response: { 200: WebhookSubscription } },
  }, async (request) => events.deactivateWebhook(actorOf(request), request.params.webhookId));

  app.get('/api/v1/admin/webhooks/:webhookId/deliveries', {
    config: { access: systemAdmin },
    schema: { tags, summary: '订阅的投递记录（状态、尝试次数、最近错误）', params: WebhookIdParam, querystring: DeliveryQuery, response: { 200: DeliveryPage } },
  }, async (request) => events.listDeliveries(request.params.webhookId, request.query));

  app.post('/api/v1/admin/deliveries/:deliveryId/retry', {
    config: { access: systemAdmin },
    schema: { tags, summary: '重试已失败的投递', params: DeliveryIdParam, response: { 200: Delivery } },
  }, async (request) => events.retryDelivery(actorOf(request), request.params.deliveryId));

  app.get('/api/v1/admin/outbox/stats', {
    config: { access: systemAdmin },
    schema: { tags, summary: '事件分发与投递积压情况', response: { 200: OutboxStats } },
  }, async () => events.stats());
}
