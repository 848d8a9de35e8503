import { randomBytes } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import type { DeliveryTable, MessageTable } from '../../platform/db/schema.js';
import { recordAudit, type AuditActor } from '../../platform/audit/audit.js';
import type { ApplicantPrincipal, StaffPrincipal } from '../../platform/auth/principal.js';
import { FieldCodes, invalidInput } from '../../platform/http/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { isValidMobile, normalizeMobile } from '../../shared/identifiers.js';
import type { IdentityService } from '../identity/service.js';
import { EventsErrors, EventsFieldCodes } from './errors.js';
import { DeliveryFailure, RecordingEmailSender, RecordingSmsSender, type EmailSender, type EventLog, type SendReceipt, type SmsSender } from './senders.js';
import * as store from './store.js';
import { CASE_OWED_REMINDER } from './outbox.js';
import { TEXTED_STATUSES, asCaseOwedReminder, asCaseStatusChanged, caseNotice, caseSms, owedReminderNotice, owedReminderSms, publicPayload, qualityNotice } from './templates.js';
import { postWebhook } from './webhooks.js';
import type { WebhookInput } from './schemas.js';

export interface EventsSettings {
  /** http:// webhook URLs on localhost / 127.0.0.1 (demo mode); otherwise https only. */
  allowLoopbackHttp: boolean;
  log?: EventLog;
  /** A real SMS gateway; by default the text is only recorded. */
  sms?: SmsSender;
  email?: EmailSender;
  /** Clock (tests move it to make retries due). */
  now?: () => Date;
  random?: () => number;
  /** Wait before the 2nd, 3rd … attempt; the last value repeats. */
  retryDelaysMs?: readonly number[];
  /** Attempts before a delivery is given up as failed. */
  maxAttempts?: number;
  /** A webhook receiver must answer within this. */
  webhookTimeoutMs?: number;
  /** How long a claimed delivery stays off other workers: well above the send timeout. */
  leaseMs?: number;
  /** Deliveries one worker sends at once. */
  sendConcurrency?: number;
}

/** 10 s, 30 s, 2 min, 10 min, 1 h, 3 h, 6 h: about ten hours of receiver outage is ridden out. */
export const DEFAULT_RETRY_DELAYS_MS = [10_000, 30_000, 120_000, 600_000, 3_600_000, 10_800_000, 21_600_000] as const;
const DEFAULT_MAX_ATTEMPTS = 8;
/** Each wait is stretched or shrunk by up to this share, so receivers that fail together are not retried together. */
const JITTER = 0.2;

/** An outbox event as a consumer receives it. */
export interface ConsumedEvent {
  id: number;
  type: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface DispatchRound {
  events: number;
  messages: number;
  deliveries: number;
}

export interface DeliveryRound {
  claimed: number;
  delivered: number;
  /** Failed this time, scheduled again. */
  retrying: number;
  /** Given up (attempts used up, or the subscription was deactivated). */
  failed: number;
}

type Reader = ApplicantPrincipal | StaffPrincipal;
type ClaimedDelivery = Awaited<ReturnType<typeof store.claimDeliveries>>[number];
type Subscription = NonNullable<Awaited<ReturnType<typeof store.findSubscription>>>;
type DeliveryRow = Awaited<ReturnType<typeof store.listDeliveries>>[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
const CURSOR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** An instant as the message cursor writes it, and a real one (no 30 February, which PostgreSQL would refuse). */
function isCursorInstant(at: string): boolean {
  if (!CURSOR_INSTANT.test(at)) return false;
  const parsed = Date.parse(at);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 19) === at.slice(0, 19);
}

function toMessage(row: { id: string; title: string; body: string; case_number: string | null; created_at: Date; read_at: Date | null }) {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    caseNumber: row.case_number,
    createdAt: new Date(row.created_at).toISOString(),
    readAt: row.read_at ? new Date(row.read_at).toISOString() : null,
  };
}

function toSubscription(row: Subscription) {
  return {
    id: row.id,
    clientId: row.client_id,
    clientName: row.client_name,
    url: row.url,
    eventTypes: row.event_types,
    active: row.active,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toDelivery(row: DeliveryRow) {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    channel: row.channel,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    lastError: row.last_error,
    deliveredAt: iso(row.delivered_at),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Runs `work` over `items` with at most `limit` at a time; every item runs even if one throws. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item).catch((err: unknown) => errors.push(err));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (errors.length > 0) throw errors[0];
}

/**
 * Events and notifications: fans outbox events out into in-app messages and deliveries
 * (dispatcher), sends the deliveries (worker), and serves the message box and the webhook
 * administration.
 */
export class EventsService {
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly log: EventLog;
  private readonly sms: SmsSender;
  private readonly email: EmailSender;
  private readonly retryDelaysMs: readonly number[];
  private readonly maxAttempts: number;
  private readonly webhookTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly sendConcurrency: number;

  constructor(
    private readonly db: Db,
    private readonly identity: IdentityService,
    private readonly settings: EventsSettings,
  ) {
    this.now = settings.now ?? (() => new Date());
    this.random = settings.random ?? Math.random;
    this.log = settings.log ?? { info: () => undefined, warn: () => undefined, error: () => undefined };
    this.sms = settings.sms ?? new RecordingSmsSender(this.log);
    this.email = settings.email ?? new RecordingEmailSender(this.log);
    this.retryDelaysMs = settings.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.maxAttempts = settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.webhookTimeoutMs = settings.webhookTimeoutMs ?? 5000;
    this.leaseMs = settings.leaseMs ?? 60_000;
    this.sendConcurrency = settings.sendConcurrency ?? 8;
    if (this.leaseMs < 2 * this.webhookTimeoutMs) throw new Error('EventsService: leaseMs must be at least twice webhookTimeoutMs');
  }

  // --- dispatcher ------------------------------------------------------------------------------

  /**
   * Fans out up to `limit` undispatched events, oldest first, in one transaction: the in-app
   * message for the applicant, a delivery per matching webhook subscription, an SMS / e-mail
   * delivery where the status calls for one, and `dispatched_at`. The rows are locked with
   * SKIP LOCKED, so several instances dispatch disjoint batches; the unique keys on messages
   * (event, user) and deliveries (event, channel, target) would absorb a repeat all the same.
   */
  async dispatchPending(limit = 100): Promise<DispatchRound> {
    return this.db.transaction().execute(async (tx) => {
      const events = await store.claimEvents(tx, limit);
      if (events.length === 0) return { events: 0, messages: 0, deliveries: 0 };
      // due at once by this service's clock, the one the workers compare with
      const now = this.now();
      const subscriptions = await store.activeSubscriptions(tx);
      const messages: Insertable<MessageTable>[] = [];
      const deliveries: Insertable<DeliveryTable>[] = [];

      for (const event of events) {
        const createdAt = new Date(event.created_at);
        const webhookBody = JSON.stringify({ id: String(event.id), type: event.type, createdAt: createdAt.toISOString(), data: publicPayload(event.payload) });
        for (const s of subscriptions) {
          if (s.event_types.includes(event.type)) deliveries.push({ event_id: event.id, channel: 'webhook', target: s.id, payload: webhookBody, next_attempt_at: now });
        }
        const quality = qualityNotice(event.type, event.payload);
        if (quality) {
          for (const userId of await store.noticeRecipients(tx, quality.recipients)) {
            messages.push({ user_id: userId, event_id: event.id, case_number: null, title: quality.notice.title, body: quality.notice.body, created_at: event.created_at_exact });
          }
          continue;
        }
        if (event.type === CASE_OWED_REMINDER) {
          const reminder = asCaseOwedReminder(event.payload);
          if (!reminder) {
            this.log.warn({ eventId: event.id }, 'case.owed_reminder event with an unexpected payload: no message or text sent');
            continue;
          }
          const notice = owedReminderNotice(reminder);
          if (reminder.applicantUserId && UUID.test(reminder.applicantUserId)) {
            messages.push({ user_id: reminder.applicantUserId, event_id: event.id, case_number: reminder.caseNumber, title: notice.title, body: notice.body, created_at: event.created_at_exact });
          }
          if (reminder.applicantPhone && isValidMobile(reminder.applicantPhone)) {
            deliveries.push({ event_id: event.id, channel: 'sms', target: normalizeMobile(reminder.applicantPhone), payload: JSON.stringify({ text: owedReminderSms(reminder) }), next_attempt_at: now });
          }
          continue;
        }
        if (event.type !== 'case.status_changed') continue;
        const change = asCaseStatusChanged(event.payload);
        if (!change) {
          this.log.warn({ eventId: event.id }, 'case.status_changed event with an unexpected payload: no message or text sent');
          continue;
        }
        const notice = caseNotice(change);
        // the message carries the time of the change, not of the dispatch: the box lists changes in the order they happened
        if (change.applicantUserId && UUID.test(change.applicantUserId)) {
          messages.push({ user_id: change.applicantUserId, event_id: event.id, case_number: change.caseNumber, title: notice.title, body: notice.body, created_at: event.created_at_exact });
        }
        if (!TEXTED_STATUSES.has(change.status)) continue;
        if (change.applicantPhone && isValidMobile(change.applicantPhone)) {
          deliveries.push({ event_id: event.id, channel: 'sms', target: normalizeMobile(change.applicantPhone), payload: JSON.stringify({ text: caseSms(change) }), next_attempt_at: now });
        }
        if (change.applicantEmail && EMAIL.test(change.applicantEmail)) {
          deliveries.push({ event_id: event.id, channel: 'email', target: change.applicantEmail, payload: JSON.stringify({ subject: notice.title, text: notice.body }), next_attempt_at: now });
        }
      }

      const users = await store.existingUsers(tx, [...new Set(messages.map((m) => m.user_id))]);
      const known = messages.filter((m) => users.has(m.user_id));
      await store.insertMessages(tx, known);
      await store.insertDeliveries(tx, deliveries);
      await store.markDispatched(tx, events.map((e) => e.id), now);
      return { events: events.length, messages: known.length, deliveries: deliveries.length };
    });
  }

  // --- consumers: read the outbox in order, each event's effect applied once -----------------------

  /**
   * Hands the events after `consumer`'s cursor (oldest first, of the given types, at most
   * `limit`) to `apply` in ONE transaction that holds the consumer's cursor row FOR UPDATE and
   * moves it past them: the effect commits with the cursor or not at all, and a second instance
   * consuming at the same moment waits for the lock and then sees only what is left, so each event
   * is applied exactly once however many instances run (ADR 0013).
   *
   * Ids are drawn before their transaction commits, so a later id can become visible before an
   * earlier one. The cursor therefore stops at a gap in the ids until the event after it is
   * `gapGraceMs` old; a gap older than that is an id whose transaction rolled back.
   */
  async consume(
    consumer: string,
    types: readonly string[],
    apply: (tx: Tx, events: ConsumedEvent[]) => Promise<void>,
    options: { limit?: number; gapGraceMs?: number } = {},
  ): Promise<{ applied: number; cursor: number }> {
    const limit = options.limit ?? 500;
    const grace = options.gapGraceMs ?? 10_000;
    return this.db.transaction().execute(async (tx) => {
      const after = await store.lockCursor(tx, consumer);
      const ids = await store.idsAfter(tx, after, limit);
      const now = this.now();
      let upTo = after;
      for (const row of ids) {
        const id = Number(row.id);
        if (id !== upTo + 1 && now.getTime() - new Date(row.created_at).getTime() < grace) break;
        upTo = id;
      }
      if (upTo === after) return { applied: 0, cursor: after };
      const events = (await store.eventsAfter(tx, after, types, limit)).filter((e) => Number(e.id) <= upTo);
      const consumed = events.map((e) => ({ id: Number(e.id), type: e.type, aggregateId: e.aggregate_id, payload: e.payload as Record<string, unknown>, createdAt: new Date(e.created_at) }));
      if (consumed.length > 0) await apply(tx, consumed);
      await store.moveCursor(tx, consumer, upTo, now);
      return { applied: consumed.length, cursor: upTo };
    });
  }

  /** Where a consumer stands (null before its first batch). */
  async cursor(consumer: string): Promise<number | null> {
    return store.cursorOf(this.db, consumer);
  }

  /**
   * In-app messages to staff that are not about one outbox event (supervision's alerts), written
   * with the caller's transaction so they commit with what they report. Unknown accounts are left out.
   */
  async postStaffMessages(tx: Tx, messages: Array<{ userId: string; caseNumber: string | null; title: string; body: string }>): Promise<number> {
    const users = await store.existingUsers(tx, [...new Set(messages.map((m) => m.userId))]);
    const rows = messages.filter((m) => users.has(m.userId)).map((m) => ({ user_id: m.userId, case_number: m.caseNumber, title: m.title, body: m.body }));
    await store.insertMessages(tx, rows);
    return rows.length;
  }

  // --- delivery worker -------------------------------------------------------------------------

  /**
   * Claims up to `limit` due deliveries (a lease, in one short statement), sends them outside any
   * transaction, and records each outcome: delivered, or failed and rescheduled with backoff, or
   * given up after `maxAttempts`.
   */
  async deliverDue(limit = 50): Promise<DeliveryRound> {
    const now = this.now();
    const claimed = await store.claimDeliveries(this.db, limit, now, new Date(now.getTime() + this.leaseMs));
    const round: DeliveryRound = { claimed: claimed.length, delivered: 0, retrying: 0, failed: 0 };
    if (claimed.length === 0) return round;
    const webhookIds = [...new Set(claimed.filter((d) => d.channel === 'webhook').map((d) => d.target))];
    const subscriptions = new Map((webhookIds.length ? await store.subscriptionsByIds(this.db, webhookIds) : []).map((s) => [s.id, s]));
    await eachLimited(claimed, this.sendConcurrency, async (delivery) => {
      round[await this.attempt(delivery, subscriptions)] += 1;
    });
    return round;
  }

  private async attempt(d: ClaimedDelivery, subscriptions: Map<string, { url: string; secret: string; active: boolean }>): Promise<'delivered' | 'retrying' | 'failed'> {
    const subscription = d.channel === 'webhook' ? subscriptions.get(d.target) : undefined;
    if (d.channel === 'webhook' && !subscription?.active) {
      await store.finishAttempt(this.db, d.id, d.attempts, { status: 'failed', error: 'subscription deactivated' });
      return 'failed';
    }
    let receipt: SendReceipt | undefined;
    try {
      receipt = await this.send(d, subscription);
    } catch (err) {
      // Only a DeliveryFailure's words are ours to store; anything else might quote the recipient.
      const error = err instanceof DeliveryFailure ? err.message : `${d.channel} sender error (${err instanceof Error ? err.name : typeof err})`;
      if (d.attempts >= this.maxAttempts) {
        await store.finishAttempt(this.db, d.id, d.attempts, { status: 'failed', error: `${error}; gave up after ${d.attempts} attempts` });
        this.log.warn({ deliveryId: d.id, eventId: d.event_id, channel: d.channel, attempts: d.attempts, error }, 'delivery given up');
        return 'failed';
      }
      await store.finishAttempt(this.db, d.id, d.attempts, { status: 'pending', error, nextAttemptAt: new Date(this.now().getTime() + this.backoffMs(d.attempts)) });
      return 'retrying';
    }
    await store.finishAttempt(this.db, d.id, d.attempts, { status: 'delivered', at: this.now(), receipt: receipt && { ...receipt } });
    return 'delivered';
  }

  private async send(d: ClaimedDelivery, subscription: { url: string; secret: string } | undefined): Promise<SendReceipt | undefined> {
    const payload = d.payload as Record<string, string>;
    switch (d.channel) {
      case 'webhook':
        await postWebhook({
          url: subscription!.url,
          secret: subscription!.secret,
          eventId: d.event_id,
          eventType: String((d.payload as { type?: unknown }).type),
          body: JSON.stringify(d.payload),
          timeoutMs: this.webhookTimeoutMs,
          now: this.now(),
        });
        return undefined;
      case 'sms':
        return this.sms.send({ to: d.target, text: payload.text!, eventId: d.event_id });
      case 'email':
        return this.email.send({ to: d.target, subject: payload.subject!, text: payload.text!, eventId: d.event_id });
    }
  }

  /** The wait after the `attempts`-th failure, jittered by ±JITTER. */
  backoffMs(attempts: number): number {
    const base = this.retryDelaysMs[Math.min(attempts, this.retryDelaysMs.length) - 1]!;
    return Math.round(base * (1 - JITTER + 2 * JITTER * this.random()));
  }

  // --- message box -----------------------------------------------------------------------------

  async listMessages(reader: Reader, query: { unread?: boolean | undefined; limit?: number | undefined; cursor?: string | undefined }) {
    const limit = query.limit ?? 20;
    const after = decodeCursor<{ at: string; seq: number; id: string }>(query.cursor, { at: 'string', seq: 'integer', id: 'string' });
    // the cursor reaches a query as a timestamp, a number and a uuid: a forged one must be a 400, not a cast error
    if (after && !(isCursorInstant(after.at) && Number.isSafeInteger(after.seq) && after.seq >= 0 && UUID.test(after.id))) {
      throw invalidInput([{ field: 'cursor', code: FieldCodes.invalid_cursor }]);
    }
    const rows = await store.listMessages(this.db, reader.userId, { unread: query.unread ?? false, limit, after });
    const paged = page(rows, limit, (r) => ({ at: r.cursor_at, seq: r.seq, id: r.id }));
    return { items: paged.items.map(toMessage), nextCursor: paged.nextCursor, unreadCount: await store.countUnread(this.db, reader.userId) };
  }

  async readMessage(reader: Reader, id: string) {
    const row = await store.markRead(this.db, reader.userId, id, this.now());
    if (!row) throw EventsErrors.message_not_found();
    return toMessage(row);
  }

  async readAllMessages(reader: Reader): Promise<{ updated: number }> {
    return { updated: await store.markAllRead(this.db, reader.userId, this.now()) };
  }

  // --- webhook subscriptions -------------------------------------------------------------------

  private checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw invalidInput([{ field: 'url', code: EventsFieldCodes.webhook_url_invalid }]);
    }
    if (url.username || url.password) throw invalidInput([{ field: 'url', code: EventsFieldCodes.webhook_url_credentials }]);
    if (url.protocol === 'https:') return url;
    const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
    if (url.protocol === 'http:' && loopback && this.settings.allowLoopbackHttp) return url;
    throw invalidInput([{ field: 'url', code: EventsFieldCodes.webhook_url_not_https }]);
  }

  /**
   * Registers a channel system's webhook and returns its signing secret, once. The secret is
   * stored as it is, unlike API tokens (kept as hashes): signing needs the secret itself, and a
   * hash cannot sign. To protect it at rest, encrypt the column with AES-256-GCM under a key held
   * outside the database (an environment secret or a KMS), decrypting only in the worker when it
   * signs; rotating means issuing a second subscription and deactivating the first.
   */
  async createWebhook(actor: AuditActor, input: WebhookInput) {
    const url = this.checkUrl(input.url);
    const client = (await this.identity.listClients()).find((c) => c.id === input.clientId);
    if (!client || client.revokedAt) throw invalidInput([{ field: 'clientId', code: EventsFieldCodes.client_unknown }]);
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    return this.db.transaction().execute(async (tx) => {
      const row = await store.insertSubscription(tx, { client_id: client.id, url: url.href, secret, event_types: [...input.eventTypes] });
      // the origin only: a path or query may carry the receiver's own token
      await recordAudit(tx, actor, { action: 'events.webhook.created', targetType: 'webhook_subscription', targetId: row.id, detail: { clientId: client.id, origin: url.origin, eventTypes: input.eventTypes } });
      return { subscription: toSubscription(row), secret };
    });
  }

  async listWebhooks() {
    return { items: (await store.listSubscriptions(this.db)).map(toSubscription) };
  }

  /** Deactivates (never deletes: its deliveries stay as the record of what was sent). Repeating it changes nothing. */
  async deactivateWebhook(actor: AuditActor, id: string) {
    return this.db.transaction().execute(async (tx) => {
      const result = await store.deactivateSubscription(tx, id);
      if (result) {
        await recordAudit(tx, actor, { action: 'events.webhook.deactivated', targetType: 'webhook_subscription', targetId: id, detail: { abandonedDeliveries: result.abandoned } });
      }
      const row = await store.findSubscription(tx, id);
      if (!row) throw EventsErrors.webhook_not_found();
      return toSubscription(row);
    });
  }

  async listDeliveries(subscriptionId: string, query: { status?: store.DeliveryStatus | undefined; limit?: number | undefined; cursor?: string | undefined }) {
    if (!(await store.findSubscription(this.db, subscriptionId))) throw EventsErrors.webhook_not_found();
    const limit = query.limit ?? 20;
    const before = decodeCursor<{ id: number }>(query.cursor, { id: 'integer' });
    const rows = await store.listDeliveries(this.db, subscriptionId, { status: query.status, beforeId: before?.id, limit });
    const paged = page(rows, limit, (r) => ({ id: r.id }));
    return { items: paged.items.map(toDelivery), nextCursor: paged.nextCursor };
  }

  /** Puts a failed delivery back in the queue with a fresh set of attempts. */
  async retryDelivery(actor: AuditActor, id: number) {
    return this.db.transaction().execute(async (tx) => {
      const row = await store.findDelivery(tx, id);
      if (!row) throw EventsErrors.delivery_not_found();
      if (row.channel === 'webhook') {
        const subscription = await store.findSubscription(tx, row.target);
        if (!subscription?.active) throw EventsErrors.webhook_inactive();
      }
      if (!(await store.requeueDelivery(tx, id, this.now()))) throw EventsErrors.delivery_not_failed({ status: row.status });
      await recordAudit(tx, actor, { action: 'events.delivery.retried', targetType: 'delivery', targetId: String(id), detail: { eventId: row.event_id, channel: row.channel, lastError: row.last_error } });
      return toDelivery((await store.findDelivery(tx, id))!);
    });
  }

  async stats() {
    return store.outboxStats(this.db, this.now());
  }
}
