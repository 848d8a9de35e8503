import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Executor } from '../db/database.js';

/**
 * Typed audit actions: `<module>.<thing>.<what happened>`. A string union rather than free text so
 * that a reviewer (and the compiler) sees every kind of entry the platform writes.
 */
export type AuditAction =
  | 'identity.applicant.registered'
  | 'identity.login.succeeded'
  | 'identity.login.failed'
  | 'identity.logout'
  | 'identity.staff.created'
  | 'identity.staff.updated'
  | 'identity.staff.password_reset'
  | 'identity.staff.read'
  | 'identity.client.created'
  | 'identity.client.revoked'
  | 'org.region.created'
  | 'org.region.updated'
  | 'org.department.created'
  | 'org.department.updated'
  | 'org.hall.created'
  | 'org.hall.updated'
  | 'calendar.year.loaded'
  | 'calendar.day.corrected'
  | 'sharing.resource.created'
  | 'sharing.resource.updated'
  | 'sharing.resource.published'
  | 'sharing.resource.withdrawn'
  | 'sharing.dataset.imported'
  | 'sharing.request.created'
  | 'sharing.request.granted'
  | 'sharing.request.rejected'
  | 'sharing.grant.revoked'
  | 'sharing.consent.given'
  | 'sharing.consent.withdrawn'
  | 'sharing.key.generated'
  | 'catalog.item.created'
  | 'catalog.version.drafted'
  | 'catalog.version.saved'
  | 'catalog.version.submitted'
  | 'catalog.version.returned'
  | 'catalog.version.published'
  | 'catalog.version.withdrawn'
  | 'catalog.version.superseded'
  | 'catalog.proof.created'
  | 'catalog.proof.updated'
  | 'catalog.proof.published'
  | 'catalog.proof.withdrawn'
  | 'catalog.intermediary.created'
  | 'catalog.intermediary.updated'
  | 'catalog.intermediary.published'
  | 'catalog.intermediary.withdrawn'
  | 'catalog.synonyms.replaced'
  | 'catalog.import.applied'
  | 'files.file.uploaded'
  | 'files.file.read'
  | 'cases.case.read'
  | 'cases.notice.read'
  | 'licenses.type.created'
  | 'licenses.type.updated'
  | 'licenses.seal.created'
  | 'licenses.seal.rotated'
  | 'licenses.license.issued'
  | 'licenses.license.imported'
  | 'licenses.license.changed'
  | 'licenses.license.revoked'
  | 'licenses.holder.looked_up'
  | 'events.webhook.created'
  | 'events.webhook.deactivated'
  | 'events.delivery.retried'
  | 'evaluation.rating.recorded'
  | 'evaluation.rating.defaulted'
  | 'evaluation.rectification.opened'
  | 'evaluation.rectification.callback'
  | 'evaluation.rectification.report'
  | 'evaluation.rectification.appeal'
  | 'evaluation.rectification.decide_appeal'
  | 'evaluation.rectification.confirm'
  | 'evaluation.rectification.escalated'
  | 'evaluation.rectification.unconfirmed'
  | 'evaluation.hall_visit.recorded'
  | 'evaluation.settings.updated'
  | 'tickets.ticket.opened'
  | 'tickets.ticket.read'
  | 'tickets.ticket.replied'
  | 'tickets.ticket.transferred'
  | 'tickets.ticket.escalated'
  | 'tickets.ticket.closed'
  | 'tickets.ticket.faq_published'
  | 'tickets.import.applied'
  | 'system.demo.seeded'
  | 'system.admin.created'
  | 'rules.draft.saved'
  | 'rules.published'
  | 'credit.entry.added'
  | 'credit.entry.removed'
  | 'credit.appeal.decided'
  | 'cases.commitment.verified'
  | 'supervision.indicators.exported';

export interface AuditActor {
  id: string | null;
  kind: 'applicant' | 'staff' | 'client' | 'anonymous' | 'system';
  ip: string | null;
}

export interface AuditEntry {
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  /** Never personal data in clear: ids and masked values only. */
  detail?: Record<string, unknown>;
}

export const SYSTEM_ACTOR: AuditActor = { id: null, kind: 'system', ip: null };

const GENESIS_HASH = '0'.repeat(64);
/** Arbitrary constant naming the advisory lock that serialises appends to the chain across instances. */
const AUDIT_LOCK_KEY = 7_260_301;

/** Canonical JSON: keys sorted at every level so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

interface HashedFields {
  at: string;
  actor_id: string | null;
  actor_kind: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

function rowHash(prevHash: string, fields: HashedFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

async function append(tx: Executor, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(tx);
  const last = await tx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS_HASH;
  const fields: HashedFields = {
    at: new Date().toISOString(),
    actor_id: actor.id,
    actor_kind: actor.kind,
    action: entry.action,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    ip: actor.ip,
    detail: entry.detail ?? {},
  };
  await tx
    .insertInto('audit_log')
    .values({ ...fields, detail: JSON.stringify(fields.detail), prev_hash: prevHash, hash: rowHash(prevHash, fields) })
    .execute();
}

/**
 * Appends an entry to the hash chain. Call it with the transaction that makes the change, so the
 * change and its record commit or roll back together; the advisory lock (held to commit) keeps
 * the chain linear when several instances write at once.
 */
export async function recordAudit(executor: Executor, actor: AuditActor, entry: AuditEntry): Promise<void> {
  if (executor.isTransaction) return append(executor, actor, entry);
  await (executor as Db).transaction().execute((tx) => append(tx, actor, entry));
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first row whose stored hash or link does not match, when the chain is broken. */
  firstBrokenId?: number;
  reason?: 'hash_mismatch' | 'link_mismatch';
}

/** Walks the chain in id order in batches, recomputing each hash. */
export async function verifyAuditChain(db: Db, batchSize = 5000): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(batchSize).execute();
    if (rows.length === 0) return { ok: true, checked };
    for (const row of rows) {
      if (row.prev_hash !== prevHash) return { ok: false, checked, firstBrokenId: row.id, reason: 'link_mismatch' };
      const expected = rowHash(prevHash, {
        at: new Date(row.at).toISOString(),
        actor_id: row.actor_id,
        actor_kind: row.actor_kind,
        action: row.action,
        target_type: row.target_type,
        target_id: row.target_id,
        ip: row.ip,
        detail: row.detail,
      });
      if (expected !== row.hash) return { ok: false, checked, firstBrokenId: row.id, reason: 'hash_mismatch' };
      prevHash = row.hash;
      lastId = row.id;
      checked++;
    }
  }
}

export interface AuditQuery {
  limit: number;
  afterId?: number | undefined;
  action?: string | undefined;
  actorId?: string | undefined;
  targetId?: string | undefined;
}

export async function listAudit(db: Db, query: AuditQuery) {
  let q = db.selectFrom('audit_log').select(['id', 'at', 'actor_id', 'actor_kind', 'action', 'target_type', 'target_id', 'ip', 'detail']);
  if (query.afterId !== undefined) q = q.where('id', '<', query.afterId);
  if (query.action) q = q.where('action', '=', query.action);
  if (query.actorId) q = q.where('actor_id', '=', query.actorId);
  if (query.targetId) q = q.where('target_id', '=', query.targetId);
  return q.orderBy('id', 'desc').limit(query.limit).execute();
}
