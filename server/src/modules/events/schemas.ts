import { Type, type Static } from 'typebox';
import { PageQuery, Paged } from '../../platform/http/pagination.js';
import { EVENT_TYPES } from './outbox.js';

const Uuid = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });
const NullableInstant = Type.Union([Instant, Type.Null()]);

// --- message box ---------------------------------------------------------------------------------

export const MessageQuery = Type.Object({
  ...PageQuery.properties,
  unread: Type.Optional(Type.Boolean({ description: 'true：只列出未读消息' })),
});

export const MessageIdParam = Type.Object({ messageId: Uuid });

export const Message = Type.Object({
  id: Uuid,
  title: Type.String(),
  body: Type.String(),
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  createdAt: Instant,
  readAt: NullableInstant,
});

export const MessagePage = Type.Object({
  items: Type.Array(Message),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  unreadCount: Type.Integer({ description: '全部未读消息数' }),
});

export const ReadAllResult = Type.Object({ updated: Type.Integer({ description: '本次标为已读的消息数' }) });

// --- webhook subscriptions -----------------------------------------------------------------------

export const WebhookInput = Type.Object({
  clientId: Type.String({ format: 'uuid', description: '接入系统（渠道）编号，见 /api/v1/admin/api-clients' }),
  url: Type.String({ minLength: 1, maxLength: 500, description: '回调地址：https（演示模式下可用 http://localhost 或 http://127.0.0.1）' }),
  eventTypes: Type.Array(Type.Enum(EVENT_TYPES), { minItems: 1, uniqueItems: true, description: '订阅的事件类型' }),
});
export type WebhookInput = Static<typeof WebhookInput>;

export const WebhookIdParam = Type.Object({ webhookId: Uuid });

export const WebhookSubscription = Type.Object({
  id: Uuid,
  clientId: Uuid,
  clientName: Type.String(),
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  active: Type.Boolean(),
  createdAt: Instant,
});

export const WebhookCreated = Type.Object({
  subscription: WebhookSubscription,
  secret: Type.String({ description: '签名密钥，仅此一次返回，请妥善保存 (shown once)' }),
});

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

export const DeliveryQuery = Type.Object({
  ...PageQuery.properties,
  status: Type.Optional(Type.Enum(DELIVERY_STATUSES)),
});

export const DeliveryIdParam = Type.Object({ deliveryId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });

export const Delivery = Type.Object({
  id: Type.Integer(),
  eventId: Type.Integer(),
  eventType: Type.String(),
  channel: Type.Enum(['webhook', 'sms', 'email']),
  status: Type.Enum(DELIVERY_STATUSES),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([Instant, Type.Null()], { description: '待投递时：下次尝试时间' }),
  lastError: Type.Union([Type.String(), Type.Null()], { description: '最近一次失败的原因（不含个人信息）' }),
  deliveredAt: NullableInstant,
  createdAt: Instant,
});

export const DeliveryPage = Paged(Delivery);

export const OutboxStats = Type.Object({
  pendingEvents: Type.Integer({ description: '尚未分发的事件数' }),
  oldestPendingEventAgeSeconds: Type.Union([Type.Integer(), Type.Null()], { description: '最早一条未分发事件已等待的秒数' }),
  pendingDeliveries: Type.Integer(),
  oldestPendingDeliveryAgeSeconds: Type.Union([Type.Integer(), Type.Null()]),
  failedDeliveries: Type.Integer(),
});
