import { defineErrors, defineFieldErrors } from '../../platform/http/errors.js';

export const EventsErrors = defineErrors({
  message_not_found: { status: 404, zh: '消息不存在', en: 'Message not found' },
  webhook_not_found: { status: 404, zh: '事件订阅不存在', en: 'Webhook subscription not found' },
  webhook_inactive: { status: 409, zh: '该事件订阅已停用', en: 'The webhook subscription is deactivated' },
  delivery_not_found: { status: 404, zh: '投递记录不存在', en: 'Delivery not found' },
  delivery_not_failed: { status: 409, zh: '只能重试已失败的投递（当前状态：{status}）', en: 'Only failed deliveries can be retried (this one is {status})' },
});

export const EventsFieldCodes = defineFieldErrors({
  webhook_url_not_https: {
    zh: '回调地址须为 https；http 仅在演示模式下可用于 localhost 或 127.0.0.1',
    en: 'The URL must be https; http is allowed only for localhost or 127.0.0.1 in demo mode',
  },
  webhook_url_invalid: { zh: '回调地址不是有效的网址', en: 'The URL is not valid' },
  webhook_url_credentials: { zh: '回调地址不能包含用户名或密码', en: 'The URL must not carry a user name or password' },
  client_unknown: { zh: '接入系统不存在或已吊销', en: 'No such API client, or it was revoked' },
});
