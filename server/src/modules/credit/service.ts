import type { Selectable } from 'kysely';
import { recordAudit, type AuditActor } from '../../platform/audit/audit.js';
import type { ApplicantPrincipal, StaffPrincipal } from '../../platform/auth/principal.js';
import type { Db, Executor } from '../../platform/db/database.js';
import type { CreditAppealTable, CreditEntryTable } from '../../platform/db/schema.js';
import { invalidInput, type FieldErrorSpec } from '../../platform/http/errors.js';
import { creditCodeError, idNumberError } from '../../platform/http/identifier-errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { todayInShanghai } from '../../platform/time.js';
import { checkCreditCode, checkIdNumber, maskIdNumber, normalizeCreditCode, normalizeIdNumber } from '../../shared/identifiers.js';
import { CreditErrors, CreditFieldCodes } from './errors.js';
import type { CreditAppeal, CreditEntry, CreditQuery, NewCreditEntry } from './schemas.js';

/*
 * Credit lists (信用名单, seed §20, §26-30). One city-wide list: a black-list entry restricts its
 * subject from approval by commitment and instant approval for every item anywhere (一处失信、处处
 * 受限); a red-list entry gives a green channel (priority in the queues). Entries come from a
 * commitment found false (written by the case module in its own transaction) or are added by a
 * department's inspector or supervisor; each has a period and may be removed (信用修复), also by an
 * upheld appeal of its subject.
 */

type EntryRow = Selectable<CreditEntryTable>;
type AppealRow = Selectable<CreditAppealTable>;

export interface CreditSubject {
  kind: 'natural' | 'legal';
  identifier: string;
}

/** What a case records of a check: the active entries found (ids, list, reason, until). */
export interface CreditStanding {
  black: Array<{ id: string; identifier: string; reason: string; legalBasis: string; validUntil: string | null }>;
  red: Array<{ id: string; identifier: string; validUntil: string | null }>;
}

export interface FalseCommitmentListing {
  subjects: Array<CreditSubject & { name: string }>;
  reason: string;
  legalBasis: string;
  caseNumber: string;
  departmentId: string;
  validUntil: string;
  actorId: string;
  now: Date;
}

function masked(kind: 'natural' | 'legal', identifier: string): string {
  // a credit code names an organisation, not a person: shown whole
  return kind === 'natural' ? maskIdNumber(identifier) : identifier;
}

function isActive(row: Pick<EntryRow, 'removed_at' | 'valid_from' | 'valid_until'>, today: string): boolean {
  return row.removed_at === null && row.valid_from <= today && (row.valid_until === null || row.valid_until >= today);
}

export class CreditService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private toEntry(row: EntryRow, mask: boolean): CreditEntry {
    return {
      id: row.id,
      list: row.list,
      subjectKind: row.subject_kind,
      subjectIdentifier: mask ? masked(row.subject_kind, row.subject_identifier) : row.subject_identifier,
      subjectName: row.subject_name,
      reason: row.reason,
      legalBasis: row.legal_basis,
      source: row.source,
      sourceRef: row.source_ref,
      departmentId: row.department_id,
      validFrom: row.valid_from,
      validUntil: row.valid_until,
      createdAt: row.created_at.toISOString(),
      active: isActive(row, todayInShanghai(this.now())),
      removedAt: row.removed_at?.toISOString() ?? null,
      removalReason: row.removal_reason,
    };
  }

  private toAppeal(row: AppealRow, entry?: EntryRow): CreditAppeal {
    return {
      id: row.id,
      entryId: row.entry_id,
      text: row.text,
      status: row.status,
      createdAt: row.created_at.toISOString(),
      decidedAt: row.decided_at?.toISOString() ?? null,
      decisionComment: row.decision_comment,
      ...(entry ? { entry: this.toEntry(entry, true) } : {}),
    };
  }

  /** The subjects' active entries today: what commitment, instant approval and the green channel ask. */
  async standing(subjects: readonly CreditSubject[], executor: Executor = this.db): Promise<CreditStanding> {
    const ids = [...new Set(subjects.map((s) => s.identifier.toUpperCase()))];
    if (ids.length === 0) return { black: [], red: [] };
    const today = todayInShanghai(this.now());
    const rows = await executor.selectFrom('credit_entries').selectAll()
      .where('subject_identifier', 'in', ids).where('removed_at', 'is', null)
      .where('valid_from', '<=', today)
      .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>=', today)]))
      .orderBy('created_at').execute();
    return {
      black: rows.filter((r) => r.list === 'black').map((r) => ({ id: r.id, identifier: masked(r.subject_kind, r.subject_identifier), reason: r.reason, legalBasis: r.legal_basis, validUntil: r.valid_until })),
      red: rows.filter((r) => r.list === 'red').map((r) => ({ id: r.id, identifier: masked(r.subject_kind, r.subject_identifier), validUntil: r.valid_until })),
    };
  }

  /** A commitment found false: each subject (the applicant, an enterprise's legal representative) is black-listed, in the caller's transaction. */
  async listFalseCommitment(trx: Executor, listing: FalseCommitmentListing): Promise<string[]> {
    const from = todayInShanghai(listing.now);
    const rows = await trx.insertInto('credit_entries').values(listing.subjects.map((s) => ({
      list: 'black' as const,
      subject_kind: s.kind,
      subject_identifier: s.identifier.toUpperCase(),
      subject_name: s.name,
      reason: listing.reason,
      legal_basis: listing.legalBasis,
      source: 'false_commitment' as const,
      source_ref: listing.caseNumber,
      department_id: listing.departmentId,
      valid_from: from,
      valid_until: listing.validUntil,
      created_by: listing.actorId,
    }))).returning('id').execute();
    await recordAudit(trx, { id: listing.actorId, kind: 'staff', ip: null }, { action: 'credit.entry.added', targetType: 'case', targetId: listing.caseNumber, detail: { entries: rows.map((r) => r.id), source: 'false_commitment' } });
    return rows.map((r) => r.id);
  }

  // --- administration ---------------------------------------------------------------------------

  async list(query: CreditQuery): Promise<{ items: CreditEntry[]; nextCursor: string | null }> {
    const limit = query.limit ?? 20;
    const after = decodeCursor<{ c: string; id: string }>(query.cursor, { c: 'string', id: 'string' });
    const today = todayInShanghai(this.now());
    let q = this.db.selectFrom('credit_entries').selectAll();
    if (query.list) q = q.where('list', '=', query.list);
    if (query.identifier) q = q.where('subject_identifier', '=', query.identifier.toUpperCase());
    if (query.active !== undefined) {
      q = query.active
        ? q.where('removed_at', 'is', null).where('valid_from', '<=', today).where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>=', today)]))
        : q.where((eb) => eb.or([eb('removed_at', 'is not', null), eb('valid_until', '<', today), eb('valid_from', '>', today)]));
    }
    if (after) q = q.where((eb) => eb.or([eb('created_at', '<', new Date(after.c)), eb.and([eb('created_at', '=', new Date(after.c)), eb('id', '<', after.id)])]));
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    const paged = page(rows, limit, (r) => ({ c: r.created_at.toISOString(), id: r.id }));
    return { items: paged.items.map((r) => this.toEntry(r, true)), nextCursor: paged.nextCursor };
  }

  async add(principal: StaffPrincipal, actor: AuditActor, input: NewCreditEntry): Promise<CreditEntry> {
    const errors: FieldErrorSpec[] = [];
    const identifier = input.subjectKind === 'natural' ? normalizeIdNumber(input.subjectIdentifier) : normalizeCreditCode(input.subjectIdentifier);
    const problem = input.subjectKind === 'natural' ? checkIdNumber(identifier, this.now()) : checkCreditCode(identifier);
    if (problem) errors.push(input.subjectKind === 'natural' ? idNumberError('subjectIdentifier', problem as never) : creditCodeError('subjectIdentifier', problem as never));
    const from = input.validFrom ?? todayInShanghai(this.now());
    if (input.validUntil && input.validUntil <= from) errors.push({ field: 'validUntil', code: CreditFieldCodes.credit_period_invalid });
    if (errors.length > 0) throw invalidInput(errors);
    return this.insertEntry(actor, principal.departmentId, principal.userId, { ...input, subjectIdentifier: identifier, validFrom: from });
  }

  /** An entry by a department (checked input); also the demo seed's way in. */
  async insertEntry(actor: AuditActor, departmentId: string, createdBy: string, input: NewCreditEntry & { validFrom: string }): Promise<CreditEntry> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('credit_entries').values({
        list: input.list,
        subject_kind: input.subjectKind,
        subject_identifier: input.subjectIdentifier.toUpperCase(),
        subject_name: input.subjectName,
        reason: input.reason,
        legal_basis: input.legalBasis,
        source: 'department',
        department_id: departmentId,
        valid_from: input.validFrom,
        valid_until: input.validUntil ?? null,
        created_by: createdBy,
      }).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, actor, { action: 'credit.entry.added', targetType: 'credit_entry', targetId: row.id, detail: { list: row.list, subject: masked(row.subject_kind, row.subject_identifier) } });
      return this.toEntry(row, true);
    });
  }

  /** 信用修复: the entry leaves the list, with the reason kept; the record stays. */
  async remove(principal: StaffPrincipal | null, actor: AuditActor, id: string, reason: string, executor?: Executor): Promise<CreditEntry> {
    const run = async (trx: Executor) => {
      const row = await trx.selectFrom('credit_entries').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) throw CreditErrors.credit_entry_not_found();
      if (row.removed_at !== null) throw CreditErrors.credit_entry_inactive();
      const updated = await trx.updateTable('credit_entries').set({ removed_at: this.now(), removed_by: principal?.userId ?? actor.id ?? 'system', removal_reason: reason })
        .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, actor, { action: 'credit.entry.removed', targetType: 'credit_entry', targetId: id, detail: { list: row.list } });
      return this.toEntry(updated, true);
    };
    if (executor) return run(executor);
    return this.db.transaction().execute(run);
  }

  async listAppeals(status?: 'pending' | 'upheld' | 'rejected'): Promise<CreditAppeal[]> {
    let q = this.db.selectFrom('credit_appeals').selectAll();
    if (status) q = q.where('status', '=', status);
    const appeals = await q.orderBy('created_at', 'desc').limit(200).execute();
    const entries = appeals.length === 0 ? [] : await this.db.selectFrom('credit_entries').selectAll().where('id', 'in', appeals.map((a) => a.entry_id)).execute();
    const byId = new Map(entries.map((e) => [e.id, e]));
    return appeals.map((a) => this.toAppeal(a, byId.get(a.entry_id)));
  }

  async decideAppeal(principal: StaffPrincipal, actor: AuditActor, id: string, input: { upheld: boolean; comment: string }): Promise<CreditAppeal> {
    return this.db.transaction().execute(async (trx) => {
      const appeal = await trx.selectFrom('credit_appeals').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!appeal) throw CreditErrors.credit_appeal_not_found();
      if (appeal.status !== 'pending') throw CreditErrors.credit_appeal_decided();
      const updated = await trx.updateTable('credit_appeals').set({ status: input.upheld ? 'upheld' : 'rejected', decided_at: this.now(), decided_by: principal.userId, decision_comment: input.comment })
        .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      const entry = await trx.selectFrom('credit_entries').selectAll().where('id', '=', appeal.entry_id).executeTakeFirstOrThrow();
      if (input.upheld && entry.removed_at === null) await this.remove(principal, actor, entry.id, `申诉成立：${input.comment}`, trx);
      await recordAudit(trx, actor, { action: 'credit.appeal.decided', targetType: 'credit_appeal', targetId: id, detail: { upheld: input.upheld } });
      return this.toAppeal(updated);
    });
  }

  // --- the subject's own view -------------------------------------------------------------------

  private async ownIdentifier(principal: ApplicantPrincipal, executor: Executor = this.db): Promise<string> {
    const user = await executor.selectFrom('users').select(['id_number', 'credit_code']).where('id', '=', principal.userId).executeTakeFirstOrThrow();
    return (user.id_number ?? user.credit_code ?? '').toUpperCase();
  }

  async mine(principal: ApplicantPrincipal): Promise<{ entries: CreditEntry[]; appeals: CreditAppeal[] }> {
    const identifier = await this.ownIdentifier(principal);
    const entries = await this.db.selectFrom('credit_entries').selectAll().where('subject_identifier', '=', identifier).orderBy('created_at', 'desc').execute();
    const appeals = await this.db.selectFrom('credit_appeals').selectAll().where('appellant_id', '=', principal.userId).orderBy('created_at', 'desc').execute();
    return { entries: entries.map((e) => this.toEntry(e, false)), appeals: appeals.map((a) => this.toAppeal(a)) };
  }

  /** An appeal by the entry's own subject; anyone else's entry is a 404. */
  async appeal(principal: ApplicantPrincipal, input: { entryId: string; text: string }): Promise<CreditAppeal> {
    const identifier = await this.ownIdentifier(principal);
    const entry = await this.db.selectFrom('credit_entries').selectAll().where('id', '=', input.entryId).executeTakeFirst();
    if (!entry || entry.subject_identifier !== identifier) throw CreditErrors.credit_entry_not_found();
    if (!isActive(entry, todayInShanghai(this.now()))) throw CreditErrors.credit_entry_inactive();
    const pending = await this.db.selectFrom('credit_appeals').select('id').where('entry_id', '=', entry.id).where('status', '=', 'pending').executeTakeFirst();
    if (pending) throw CreditErrors.credit_appeal_pending();
    const row = await this.db.insertInto('credit_appeals').values({ entry_id: entry.id, appellant_id: principal.userId, text: input.text }).returningAll().executeTakeFirstOrThrow();
    return this.toAppeal(row, entry);
  }
}
