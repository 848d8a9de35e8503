import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { DeliveryTable, MessageTable } from '../../platform/db/schema.js';

export type DeliveryStatus = Selectable<DeliveryTable>['status'];

// --- outbox ------------------------------------------------------------------------------------

/**
 * The oldest undispatched events, row-locked until the caller's transaction ends. SKIP LOCKED
 * passes over rows another dispatcher holds, so concurrent dispatchers take disjoint batches
 * instead of queueing behind each other; a row dispatched meanwhile no longer matches (PostgreSQL
 * re-checks the condition on the latest version of a row before locking it).
 */
export function claimEvents(tx: Executor, limit: number) {
  return tx
    .selectFrom('outbox_events')
    .select(['id', 'type', 'payload', 'created_at'])
    // the exact instant (a Date keeps only milliseconds): a message carries it, and two changes
    // within one millisecond must still list in the order they happened
    .select(sql<string>`to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('created_at_exact'))
    .where('dispatched_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markDispatched(tx: Executor, ids: number[], now: Date): Promise<void> {
  await tx.updateTable('outbox_events').set({ dispatched_at: now }).where('id', 'in', ids).execute();
}

export function activeSubscriptions(tx: Executor) {
  return tx.selectFrom('webhook_subscriptions').select(['id', 'event_types']).where('active', '=', true).execute();
}

/** Which of these ids are accounts: a message for anyone else would break the foreign key (and the batch). */
export async function existingUsers(tx: Executor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.selectFrom('users').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * The accounts a service-quality notice goes to (templates.ts `NoticeRecipients`): named users,
 * or active staff holding one of the roles in a department, or in a department whose region
 * reaches `regionPath` (the same region or one above it: a supervisor's reach).
 */
export async function noticeRecipients(tx: Executor, r: { userIds?: string[]; departmentId?: string; regionPath?: string; roles?: string[] }): Promise<string[]> {
  const ids = new Set<string>((r.userIds ?? []).filter((id) => /^[0-9a-f-]{36}$/i.test(id)));
  const roles = r.roles ?? [];
  if (roles.length > 0 && (r.departmentId || r.regionPath)) {
    let q = tx.selectFrom('users').select('users.id').where('users.active', '=', true).where('users.kind', '=', 'staff')
      .where(sql<boolean>`users.roles && ${sql.val(roles)}::text[]`);
    if (r.departmentId) q = q.where('users.department_id', '=', r.departmentId);
    if (r.regionPath) {
      const path = r.regionPath;
      q = q.innerJoin('departments', 'departments.id', 'users.department_id').innerJoin('regions', 'regions.code', 'departments.region_code')
        .where((eb) => eb.or([eb('regions.path', '=', path), eb(sql.val(path), 'like', sql<string>`regions.path || '/%'`)]));
    }
    for (const row of await q.limit(200).execute()) ids.add(row.id);
  }
  return [...ids];
}

export async function insertMessages(tx: Executor, rows: Insertable<MessageTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insertInto('messages').values(rows).onConflict((oc) => oc.columns(['event_id', 'user_id']).doNothing()).execute();
}

export async function insertDeliveries(tx: Executor, rows: Insertable<DeliveryTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insertInto('deliveries').values(rows).onConflict((oc) => oc.columns(['event_id', 'channel', 'target']).doNothing()).execute();
}

// --- deliveries: the worker --------------------------------------------------------------------

/**
 * Claims due deliveries in one short statement: the inner SELECT locks (skipping rows another
 * worker is claiming), the UPDATE sets the lease and counts the attempt, and the locks end with
 * the statement. The lease, not a held transaction, is what keeps other workers off while this
 * one sends; if it dies, the lease runs out and the row is claimed again.
 */
export function claimDeliveries(db: Executor, limit: number, now: Date, leaseUntil: Date) {
  return db
    .updateTable('deliveries')
    .set((eb) => ({ locked_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('deliveries')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', now)]))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['id', 'event_id', 'channel', 'target', 'payload', 'attempts'])
    .execute();
}

export function subscriptionsByIds(db: Executor, ids: string[]) {
  return db.selectFrom('webhook_subscriptions').select(['id', 'url', 'secret', 'active']).where('id', 'in', ids).execute();
}

/**
 * Records an attempt's outcome, only while the claim is still ours: `attempts` is the fencing
 * token (a worker whose lease ran out and was reclaimed finds it moved on and changes nothing).
 */
export async function finishAttempt(
  db: Executor,
  id: number,
  attempts: number,
  outcome:
    | { status: 'delivered'; at: Date; receipt?: Record<string, unknown> | undefined }
    | { status: 'pending'; error: string; nextAttemptAt: Date }
    | { status: 'failed'; error: string },
): Promise<void> {
  let q = db.updateTable('deliveries').where('id', '=', id).where('attempts', '=', attempts).where('status', '=', 'pending');
  if (outcome.status === 'delivered') {
    q = q.set({ status: 'delivered', delivered_at: outcome.at, locked_until: null, last_error: null });
    if (outcome.receipt) q = q.set({ payload: sql`payload || jsonb_build_object('receipt', ${JSON.stringify(outcome.receipt)}::jsonb)` });
  } else if (outcome.status === 'pending') {
    q = q.set({ last_error: outcome.error, next_attempt_at: outcome.nextAttemptAt, locked_until: null });
  } else {
    q = q.set({ status: 'failed', last_error: outcome.error, locked_until: null });
  }
  await q.execute();
}

// --- messages ----------------------------------------------------------------------------------

export interface MessageQuery {
  unread: boolean;
  limit: number;
  /** The last row of the previous page: its exact created_at (text, microseconds), event id (0 for none) and id. */
  after?: { at: string; seq: number; id: string } | undefined;
}

/**
 * Newest first. Changes committed in one transaction share a timestamp (and PGlite's clock counts
 * milliseconds), so ties are broken by the event id, which increases in the order they were written.
 */
export function listMessages(db: Executor, userId: string, q: MessageQuery) {
  const seq = sql<number>`coalesce(event_id, 0)`;
  let query = db
    .selectFrom('messages')
    .select(['id', 'title', 'body', 'case_number', 'created_at', 'read_at'])
    .select(seq.as('seq'))
    // the exact instant for the cursor: a JavaScript Date would drop the microseconds
    .select(sql<string>`to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'))
    .where('user_id', '=', userId);
  if (q.unread) query = query.where('read_at', 'is', null);
  if (q.after) {
    const { at, seq: afterSeq, id } = q.after;
    query = query.where((eb) => eb(eb.tuple(eb.ref('created_at'), seq, eb.ref('id')), '<', eb.tuple(sql<Date>`${at}::timestamptz`, afterSeq, id)));
  }
  return query.orderBy('created_at', 'desc').orderBy(seq, 'desc').orderBy('id', 'desc').limit(q.limit + 1).execute();
}

export async function countUnread(db: Executor, userId: string): Promise<number> {
  const row = await db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one message read (the first reading time stays); undefined when it is not the user's. */
export function markRead(db: Executor, userId: string, id: string, now: Date) {
  return db
    .updateTable('messages')
    .set({ read_at: sql<Date>`coalesce(read_at, ${now})` })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returning(['id', 'title', 'body', 'case_number', 'created_at', 'read_at'])
    .executeTakeFirst();
}

export async function markAllRead(db: Executor, userId: string, now: Date): Promise<number> {
  const result = await db.updateTable('messages').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// --- webhook subscriptions (admin) -------------------------------------------------------------

const subscriptionColumns = [
  'webhook_subscriptions.id',
  'webhook_subscriptions.client_id',
  'api_clients.name as client_name',
  'webhook_subscriptions.url',
  'webhook_subscriptions.event_types',
  'webhook_subscriptions.active',
  'webhook_subscriptions.created_at',
] as const;

export async function insertSubscription(tx: Executor, row: { client_id: string; url: string; secret: string; event_types: string[] }) {
  const { id } = await tx.insertInto('webhook_subscriptions').values(row).returning('id').executeTakeFirstOrThrow();
  return (await findSubscription(tx, id))!;
}

export function findSubscription(db: Executor, id: string) {
  return db
    .selectFrom('webhook_subscriptions')
    .innerJoin('api_clients', 'api_clients.id', 'webhook_subscriptions.client_id')
    .select(subscriptionColumns)
    .where('webhook_subscriptions.id', '=', id)
    .executeTakeFirst();
}

export function listSubscriptions(db: Executor) {
  return db
    .selectFrom('webhook_subscriptions')
    .innerJoin('api_clients', 'api_clients.id', 'webhook_subscriptions.client_id')
    .select(subscriptionColumns)
    .orderBy('webhook_subscriptions.created_at', 'desc')
    .orderBy('webhook_subscriptions.id')
    .execute();
}

/**
 * Deactivates a subscription and gives up its pending deliveries: nothing more goes to that URL.
 * null when it was not active (already deactivated, perhaps by a concurrent request).
 */
export async function deactivateSubscription(tx: Executor, id: string): Promise<{ abandoned: number } | null> {
  const changed = await tx.updateTable('webhook_subscriptions').set({ active: false }).where('id', '=', id).where('active', '=', true).returning('id').executeTakeFirst();
  if (!changed) return null;
  const result = await tx
    .updateTable('deliveries')
    .set({ status: 'failed', last_error: 'subscription deactivated', locked_until: null })
    .where('channel', '=', 'webhook')
    .where('target', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return { abandoned: Number(result.numUpdatedRows) };
}

const deliveryColumns = [
  'deliveries.id',
  'deliveries.event_id',
  'outbox_events.type as event_type',
  'deliveries.channel',
  'deliveries.status',
  'deliveries.attempts',
  'deliveries.next_attempt_at',
  'deliveries.last_error',
  'deliveries.delivered_at',
  'deliveries.created_at',
] as const;

export function listDeliveries(db: Executor, subscriptionId: string, q: { status?: DeliveryStatus | undefined; beforeId?: number | undefined; limit: number }) {
  let query = db
    .selectFrom('deliveries')
    .innerJoin('outbox_events', 'outbox_events.id', 'deliveries.event_id')
    .select(deliveryColumns)
    .where('deliveries.target', '=', subscriptionId)
    .where('deliveries.channel', '=', 'webhook');
  if (q.status) query = query.where('deliveries.status', '=', q.status);
  if (q.beforeId !== undefined) query = query.where('deliveries.id', '<', q.beforeId);
  return query.orderBy('deliveries.id', 'desc').limit(q.limit + 1).execute();
}

export function findDelivery(db: Executor, id: number) {
  return db
    .selectFrom('deliveries')
    .innerJoin('outbox_events', 'outbox_events.id', 'deliveries.event_id')
    .select([...deliveryColumns, 'deliveries.target'])
    .where('deliveries.id', '=', id)
    .executeTakeFirst();
}

/** Puts a failed delivery back in the queue with a fresh retry schedule; undefined if it is not failed (any more). */
export async function requeueDelivery(tx: Executor, id: number, now: Date): Promise<boolean> {
  const result = await tx
    .updateTable('deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// --- stats -------------------------------------------------------------------------------------

export async function outboxStats(db: Executor, now: Date) {
  const events = await db
    .selectFrom('outbox_events')
    .select((eb) => [eb.fn.countAll<number>().as('pending'), eb.fn.min('created_at').as('oldest')])
    .where('dispatched_at', 'is', null)
    .executeTakeFirstOrThrow();
  const pending = await db
    .selectFrom('deliveries')
    .select((eb) => [eb.fn.countAll<number>().as('pending'), eb.fn.min('created_at').as('oldest')])
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  const failed = await db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'failed').executeTakeFirstOrThrow();
  const age = (oldest: Date | null) => (oldest ? Math.max(0, Math.round((now.getTime() - new Date(oldest).getTime()) / 1000)) : null);
  return {
    pendingEvents: Number(events.pending),
    oldestPendingEventAgeSeconds: age(events.oldest),
    pendingDeliveries: Number(pending.pending),
    oldestPendingDeliveryAgeSeconds: age(pending.oldest),
    failedDeliveries: Number(failed.n),
  };
}

// --- consumers' cursors (ADR 0013) -------------------------------------------------------------

/** Locks a consumer's cursor row until the caller's transaction ends, creating it at 0 the first time. */
export async function lockCursor(tx: Executor, consumer: string): Promise<number> {
  await tx.insertInto('outbox_cursors').values({ consumer }).onConflict((oc) => oc.column('consumer').doNothing()).execute();
  const row = await tx.selectFrom('outbox_cursors').select('last_event_id').where('consumer', '=', consumer).forUpdate().executeTakeFirstOrThrow();
  return Number(row.last_event_id);
}

export function eventsAfter(tx: Executor, after: number, types: readonly string[], limit: number) {
  return tx
    .selectFrom('outbox_events')
    .select(['id', 'type', 'aggregate_id', 'payload', 'created_at'])
    .where('id', '>', after)
    .where('type', 'in', types)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The first event id after `after` of any type (gaps are looked for among all types). */
export async function idsAfter(tx: Executor, after: number, limit: number): Promise<Array<{ id: number; created_at: Date }>> {
  return tx.selectFrom('outbox_events').select(['id', 'created_at']).where('id', '>', after).orderBy('id').limit(limit).execute();
}

export async function moveCursor(tx: Executor, consumer: string, to: number, now: Date): Promise<void> {
  await tx.updateTable('outbox_cursors').set({ last_event_id: to, updated_at: now }).where('consumer', '=', consumer).execute();
}

export async function cursorOf(db: Executor, consumer: string): Promise<number | null> {
  const row = await db.selectFrom('outbox_cursors').select('last_event_id').where('consumer', '=', consumer).executeTakeFirst();
  return row ? Number(row.last_event_id) : null;
}
