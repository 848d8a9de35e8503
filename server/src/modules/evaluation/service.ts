/**
 * Service evaluation (好差评, issue 7, ADR 0012, ADR 0015): ratings after a completed case, a hall visit
 * or an answered ticket, in a first and one follow-up round within a rating period; default
 * ratings when the period ends unrated; a rectification ticket for every bad review, handled by
 * the responsible department, escalated to the supervisor when overdue, appealable; public,
 * anonymous statistics and the per-department figures supervision reads (interfaces seam 3).
 *
 * Facts about cases come from the cases SERVICE and about tickets from the tickets service; they
 * are copied onto the rating when it is recorded, so statistics never read another module's tables.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../../platform/audit/audit.js';
import { reaches, type ApplicantPrincipal, type Principal, type StaffPrincipal } from '../../platform/auth/principal.js';
import type { Db, Executor } from '../../platform/db/database.js';
import type { Database, EvaluationSubjectKind, EvaluationTable, HallVisitTable, RectificationStatus, RectificationTable } from '../../platform/db/schema.js';
import { AppError, CommonErrors, FieldCodes, invalidInput, type FieldErrorSpec } from '../../platform/http/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { addDays, todayInShanghai } from '../../platform/time.js';
import { DEFAULT_LEVEL, RECTIFICATION_STATUS_LABELS, TEXT_MAX, isBadReview, isSatisfied, toGbtCode, type Level } from '../../shared/quality-codes.js';
import type { StaffRole } from '../../shared/roles.js';
import type { CalendarService } from '../calendar/service.js';
import type { EvaluationSubject } from '../cases/service.js';
import { writeEvent } from '../events/outbox.js';
import type { OrgService } from '../org/service.js';
import { EvaluationErrors, EvaluationFieldCodes } from './errors.js';
import type { QualitySettingsService } from './settings.js';
import type { Evaluation, EvaluationState, HallVisitInput, HallVisitRatingInput, PublicStats, RecordedHallVisit, RatingInput, Rectification, RectificationQuery, RectificationStep, StatsGroup } from './schemas.js';

/** What this module asks the cases service (implemented by CasesService). */
export interface CaseFacts {
  evaluationSubject(caseNumber: string): Promise<EvaluationSubject | null>;
  completedCases(query: { after: Date | null; before: Date; limit: number }): Promise<EvaluationSubject[]>;
}

/** A ticket as a rating sees it (the tickets service's `ratingSubject`). */
export interface TicketSubject {
  ticketNumber: string;
  itemCode: string | null;
  itemName: string | null;
  caseNumber: string | null;
  applicantUserId: string | null;
  /** When the reply was given; null while unanswered. */
  completedAt: Date | null;
  departmentId: string;
  regionPath: string;
  staff: { id: string; name: string } | null;
}

/** What this module asks the tickets service. */
export interface TicketFacts {
  ratingSubject(ticketNumber: string): Promise<TicketSubject | null>;
  /** Answered tickets an applicant could rate, answered in [after, before], oldest first (the default sweep). */
  answeredTickets(query: { after: Date | null; before: Date; limit: number }): Promise<TicketSubject[]>;
  complaintFigures(period: { from: string; to: string }): Promise<Map<string, { complaints: number; complaintsOnTime: number }>>;
}

/** What this module asks the catalog: an item's name, for a hall visit about one. */
export interface ItemFacts {
  guide(implementationCode: string): Promise<{ implementationCode: string; name: string }>;
}

export interface EvaluationDeps {
  cases: CaseFacts;
  catalog: ItemFacts;
  calendar: CalendarService;
  org: OrgService;
  /** The rating, rectification and confirmation periods in force (ADR 0015). */
  settings: QualitySettingsService;
  /** Set after construction (the tickets service rates its replies through this one). */
  tickets?: TicketFacts;
}

export interface EvaluationSettings {
  now?: () => Date;
}

/** Seam 3 (docs interfaces): what supervision reads per department. */
export interface DepartmentQualityFigures {
  departmentId: string;
  evaluations: number;
  satisfied: number;
  badReviews: number;
  badRectified: number;
  complaints: number;
  complaintsOnTime: number;
}

export type RatingTarget =
  | { kind: 'case'; caseNumber: string }
  | { kind: 'ticket'; ticketNumber: string }
  /** A hall visit recorded at the window: its code (in the QR) admits the first visitor who rates it, and only them after. */
  | { kind: 'visit'; visitId: string; code: string }
  | { kind: 'hall_visit'; hallId: string; window: string; departmentId: string };

/** Staff who handle their department's rectifications (and tickets). */
export const HANDLER_ROLES: readonly StaffRole[] = ['department_admin', 'approver'];
/** Staff who watch and decide: the supervisor, within their region. */
export const SUPERVISOR_ROLES: readonly StaffRole[] = ['supervisor'];
const READER_ROLES: readonly StaffRole[] = [...HANDLER_ROLES, ...SUPERVISOR_ROLES, 'system_admin'];
/** Staff who record a visitor's hall visit at their window, for the visitor to rate. */
export const VISIT_RECORDER_ROLES: readonly StaffRole[] = ['window_clerk', 'department_admin'];

type RectRow = Selectable<RectificationTable>;
type EvalRow = Selectable<EvaluationTable>;
type StepName = RectificationStep['step'];
type Party = 'handler' | 'supervisor' | 'owner';

/** The rectification workflow as data: from which statuses a step is taken, and by whom. */
const STEPS: Record<StepName, { from: readonly RectificationStatus[]; by: Party; label: string }> = {
  callback: { from: ['open'], by: 'handler', label: '回访' },
  report: { from: ['called_back'], by: 'handler', label: '报告整改结果' },
  appeal: { from: ['open', 'called_back'], by: 'handler', label: '申诉' },
  decide_appeal: { from: ['appealed'], by: 'supervisor', label: '裁定申诉' },
  confirm: { from: ['reported'], by: 'owner', label: '确认整改结果' },
};

/** The default sweep's batch: a round repeats while batches come full. */
const SWEEP_BATCH = 200;
const MAX_STATS_DAYS = 366 * 3;

export class EvaluationService {
  private readonly now: () => Date;

  constructor(
    private readonly db: Db,
    private readonly deps: EvaluationDeps,
    settings: EvaluationSettings = {},
  ) {
    this.now = settings.now ?? (() => new Date());
  }

  /** The settings in force and their administration (`/admin/quality-settings`). */
  get settings(): QualitySettingsService {
    return this.deps.settings;
  }

  /** The tickets service, which is built after this one and rates its replies here. */
  useTickets(tickets: TicketFacts): void {
    this.deps.tickets = tickets;
  }

  // --- hall visits -------------------------------------------------------------------------------

  /**
   * Records a hall visit served by the caller at their window (the staff member rated is the
   * recorder, the department theirs), with the item when there was one. The answer carries the
   * visit's code once, for the QR code the visitor scans: its holder may rate the visit; the code
   * itself is kept only as a hash.
   */
  async recordVisit(principal: StaffPrincipal, ip: string | null, input: HallVisitInput): Promise<RecordedHallVisit> {
    if (!principal.roles.some((r) => VISIT_RECORDER_ROLES.includes(r))) throw CommonErrors.forbidden();
    // A clerk serves at a hall of their department's region or one below it (a district bureau's
    // window in a street hall), not at another district's: the visit and its rating count there.
    const served = await this.deps.org.hallServedFrom(input.hallId, principal.regionPath);
    const hall = typeof served === 'object' ? served.hall : undefined;
    const errors: FieldErrorSpec[] = [];
    if (served === 'unknown') errors.push({ field: 'hallId', code: EvaluationFieldCodes.evaluation_hall_unknown });
    else if (served === 'out_of_region') errors.push({ field: 'hallId', code: EvaluationFieldCodes.evaluation_hall_out_of_region });
    let item: { implementationCode: string; name: string } | null = null;
    if (input.itemCode) {
      try {
        item = await this.deps.catalog.guide(input.itemCode.trim().toUpperCase());
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 404) throw error;
        errors.push({ field: 'itemCode', code: EvaluationFieldCodes.evaluation_item_unknown });
      }
    }
    if (errors.length > 0 || !hall) throw invalidInput(errors);
    const scope = await this.deps.org.departmentScope(principal.departmentId);
    const code = randomBytes(9).toString('base64url');
    const now = this.now();
    const row = await this.db.transaction().execute(async (trx) => {
      const inserted = await trx.insertInto('hall_visits').values({
        hall_id: hall.id, hall_window: input.window, department_id: principal.departmentId, region_path: scope.regionPath, region_code: hall.regionCode,
        staff_id: principal.userId, staff_name: principal.name, item_code: item?.implementationCode ?? null, item_name: item?.name ?? null,
        visited_at: now, code_hash: hashCode(code),
      }).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, { id: principal.userId, kind: 'staff', ip }, { action: 'evaluation.hall_visit.recorded', targetType: 'hall_visit', targetId: inserted.id, detail: { hallId: hall.id, window: input.window, itemCode: inserted.item_code } });
      return inserted;
    });
    return {
      id: row.id, hallId: row.hall_id, hallName: hall.name, window: row.hall_window, departmentId: row.department_id, staffName: row.staff_name,
      itemCode: row.item_code, itemName: row.item_name, visitedAt: row.visited_at.toISOString(), code, ratingPath: `/rate/visit/${row.id}?code=${code}`,
    };
  }

  /**
   * The visit the caller may rate: the code must match, and a visit already rated by someone is
   * theirs alone (404 to anyone else, as for a stranger's case). Rating claims it for the caller.
   */
  private async claimVisit(principal: ApplicantPrincipal, visitId: string, code: string, claim: boolean): Promise<Selectable<HallVisitTable>> {
    const mine = (eb: ExpressionBuilder<Database, 'hall_visits'>) => eb.and([eb('id', '=', visitId), eb('code_hash', '=', hashCode(code)), eb.or([eb('visitor_user_id', 'is', null), eb('visitor_user_id', '=', principal.userId)])]);
    const row = claim
      ? await this.db.updateTable('hall_visits').set({ visitor_user_id: principal.userId }).where(mine).returningAll().executeTakeFirst()
      : await this.db.selectFrom('hall_visits').selectAll().where(mine).executeTakeFirst();
    if (!row) throw EvaluationErrors.evaluation_subject_not_found();
    return row;
  }

  // --- rating -----------------------------------------------------------------------------------


  /** The subject's facts, or 404 when it is unknown or not the caller's; for a hall visit, today's visit. */
  private async subjectOf(principal: ApplicantPrincipal, target: RatingTarget, now: Date, claim = false): Promise<Subject> {
    if (target.kind === 'case') {
      const s = await this.deps.cases.evaluationSubject(target.caseNumber);
      if (!s || s.applicantUserId !== principal.userId) throw EvaluationErrors.evaluation_subject_not_found();
      return {
        kind: 'case', ref: s.caseNumber, caseNumber: s.caseNumber, itemCode: s.itemCode, itemName: s.itemName, completedAt: s.completedAt,
        departmentId: s.departmentId, regionPath: s.regionPath, regionCode: regionCodeOf(s.regionPath), hallId: s.hallId, hallWindow: null, staff: s.staff,
        applicantUserId: s.applicantUserId,
      };
    }
    if (target.kind === 'ticket') {
      const s = await this.deps.tickets?.ratingSubject(target.ticketNumber);
      if (!s || s.applicantUserId !== principal.userId) throw EvaluationErrors.evaluation_subject_not_found();
      return ticketSubject(s);
    }
    if (target.kind === 'visit') return visitSubject(await this.claimVisit(principal, target.visitId, target.code, claim));
    const hall = (await this.deps.org.listHalls()).find((h) => h.id === target.hallId);
    const scope = await this.deps.org.departmentScope(target.departmentId).catch(() => null);
    if (!hall || !scope) throw EvaluationErrors.evaluation_subject_not_found();
    // one visit a person, window and day: a second scan the same day is the follow-up round
    const ref = `${hall.id}:${target.window}:${principal.userId}:${todayInShanghai(now)}`;
    return {
      kind: 'hall_visit', ref, caseNumber: null, itemCode: null, itemName: null, completedAt: now,
      departmentId: target.departmentId, regionPath: scope.regionPath, regionCode: hall.regionCode, hallId: hall.id, hallWindow: target.window, staff: null,
      applicantUserId: principal.userId,
    };
  }

  /**
   * Records the caller's rating: the next round (first, then one follow-up), within the rating
   * period after completion. A bad review (1-2) opens a rectification ticket for the responsible
   * department in the same transaction, with its deadline in working days.
   */
  async rate(principal: ApplicantPrincipal, ip: string | null, target: RatingTarget, input: RatingInput | HallVisitRatingInput): Promise<Evaluation> {
    const now = this.now();
    // the text first: a refused rating must not claim a recorded visit
    const text = checkText(input.level, input.text);
    const subject = await this.subjectOf(principal, target, now, true);
    if (!subject.completedAt) throw EvaluationErrors.evaluation_not_completed();
    const existing = await this.db.selectFrom('evaluations').select('round').where('subject_kind', '=', subject.kind).where('subject_ref', '=', subject.ref).execute();
    if (existing.length >= 2) throw EvaluationErrors.evaluation_rounds_used();
    const settings = await this.deps.settings.current();
    if (now > periodEnd(subject.completedAt, settings.ratingPeriodDays)) throw EvaluationErrors.evaluation_period_over({ days: settings.ratingPeriodDays });
    const round = (existing.length + 1) as 1 | 2;
    const level = input.level as Level;
    const today = todayInShanghai(now);
    // before the transaction: on PGlite a calendar refresh inside it would wait for the connection it holds
    const dueOn = isBadReview(level) ? await this.deps.calendar.deadline(today, settings.rectificationWorkdays) : null;
    const actor: AuditActor = { id: principal.userId, kind: 'applicant', ip };

    const row = await this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('evaluations')
        .values({
          subject_kind: subject.kind, subject_ref: subject.ref, round, level, channel: input.channel, text, rater_user_id: principal.userId,
          rated_at: now, rated_on: today, case_number: subject.caseNumber, item_code: subject.itemCode, item_name: subject.itemName,
          department_id: subject.departmentId, region_path: subject.regionPath, region_code: subject.regionCode,
          hall_id: subject.hallId, hall_window: subject.hallWindow, staff_id: subject.staff?.id ?? null, staff_name: subject.staff?.name ?? null,
        })
        .onConflict((oc) => oc.columns(['subject_kind', 'subject_ref', 'round']).doNothing())
        .returningAll()
        .executeTakeFirst();
      // the same round written meanwhile (a double tap, two devices): the other one stands
      if (!inserted) throw EvaluationErrors.evaluation_concurrent();
      await recordAudit(trx, actor, { action: 'evaluation.rating.recorded', targetType: subject.kind, targetId: subject.ref.split(':')[0], detail: { evaluationId: inserted.id, round, level, channel: input.channel } });
      if (dueOn) await this.openRectification(trx, inserted, subject.applicantUserId, dueOn, now);
      return inserted;
    });
    return (await this.views([row]))[0]!;
  }

  private async openRectification(trx: Executor, evaluation: EvalRow, applicantUserId: string | null, dueOn: string, now: Date): Promise<void> {
    const rect = await trx
      .insertInto('rectifications')
      .values({
        evaluation_id: evaluation.id, subject_kind: evaluation.subject_kind, subject_ref: evaluation.subject_ref, applicant_user_id: applicantUserId,
        department_id: evaluation.department_id, region_path: evaluation.region_path, status: 'open', due_on: dueOn, opened_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, SYSTEM_ACTOR, { action: 'evaluation.rectification.opened', targetType: 'rectification', targetId: rect.id, detail: { evaluationId: evaluation.id, dueOn } });
    await writeEvent(trx, {
      type: 'quality.rectification_opened',
      aggregateType: 'rectification',
      aggregateId: rect.id,
      payload: { rectificationId: rect.id, ref: displayRef(evaluation), level: evaluation.level, dueOn, departmentId: evaluation.department_id, notify: { departmentId: evaluation.department_id, roles: HANDLER_ROLES } },
    });
  }

  /** The ratings of a subject the caller owns, and whether (and in which round) they may rate now. */
  async state(principal: ApplicantPrincipal, target: RatingTarget): Promise<EvaluationState> {
    const now = this.now();
    const subject = await this.subjectOf(principal, target, now);
    const rows = await this.db.selectFrom('evaluations').selectAll().where('subject_kind', '=', subject.kind).where('subject_ref', '=', subject.ref).orderBy('round').execute();
    const end = subject.completedAt ? periodEnd(subject.completedAt, (await this.deps.settings.current()).ratingPeriodDays) : null;
    const canRate = end !== null && now <= end && rows.length < 2;
    return { ratings: await this.views(rows), canRate, nextRound: canRate ? ((rows.length + 1) as 1 | 2) : null, periodEndsAt: end ? end.toISOString() : null };
  }

  /** The caller's own ratings, newest first (the applicant's "my ratings"). */
  async mine(principal: ApplicantPrincipal): Promise<Evaluation[]> {
    const rows = await this.db.selectFrom('evaluations').selectAll().where('rater_user_id', '=', principal.userId).orderBy('rated_at', 'desc').limit(100).execute();
    return this.views(rows);
  }

  private async views(rows: EvalRow[]): Promise<Evaluation[]> {
    if (rows.length === 0) return [];
    const rects = await this.db.selectFrom('rectifications').select(['id', 'evaluation_id']).where('evaluation_id', 'in', rows.map((r) => r.id)).execute();
    const rectOf = new Map(rects.map((r) => [r.evaluation_id, r.id]));
    return rows.map((r) => evaluationView(r, rectOf.get(r.id) ?? null));
  }

  // --- the default-rating sweep --------------------------------------------------------------------

  /** What is defaulted: completed cases, answered tickets and recorded hall visits, each with its own watermark. */
  private defaultSources(): DefaultSource[] {
    const sources: DefaultSource[] = [
      {
        sweep: 'default_ratings',
        fetch: async (query) => (await this.deps.cases.completedCases(query)).map((s) => ({
          kind: 'case', ref: s.caseNumber, caseNumber: s.caseNumber, itemCode: s.itemCode, itemName: s.itemName, completedAt: s.completedAt,
          departmentId: s.departmentId, regionPath: s.regionPath, regionCode: regionCodeOf(s.regionPath), hallId: s.hallId, hallWindow: null, staff: s.staff,
          applicantUserId: s.applicantUserId,
        })),
      },
      {
        sweep: 'default_hall_visit_ratings',
        fetch: async (query) => {
          let q = this.db.selectFrom('hall_visits').selectAll().where('visited_at', '<=', query.before);
          if (query.after) q = q.where('visited_at', '>=', query.after);
          const rows = await q.orderBy('visited_at').orderBy('id').limit(query.limit).execute();
          return rows.map(visitSubject);
        },
      },
    ];
    const tickets = this.deps.tickets;
    if (tickets) {
      sources.push({
        sweep: 'default_ticket_ratings',
        fetch: async (query) => (await tickets.answeredTickets(query)).map((s) => ticketSubject(s)),
      });
    }
    return sources;
  }

  /**
   * Records the default rating (默认好评, marked `is_default`) of every case, answered ticket and
   * recorded hall visit whose rating period ended unrated. Safe with several instances: each
   * source's round is taken by whoever locks its sweep row (FOR UPDATE SKIP LOCKED; the others skip
   * it), and the unique key (subject, round) means a default is written once whatever happens. The
   * subjects are read before the lock is taken (on PGlite another service's read inside the
   * transaction would wait for the connection it holds); a watermark that moved meanwhile means
   * another instance did this batch. Returns how many were recorded and whether more are waiting
   * for this instance (a skipped source is another instance's to finish).
   */
  async sweepDefaults(now: Date = this.now(), batch = SWEEP_BATCH): Promise<{ recorded: number; more: boolean; skipped: boolean }> {
    const { ratingPeriodDays: days } = await this.deps.settings.current();
    const before = new Date(now.getTime() - days * 86_400_000);
    const total = { recorded: 0, more: false, skipped: false };
    for (const source of this.defaultSources()) {
      const round = await this.sweepSource(source, before, days, now, batch);
      total.recorded += round.recorded;
      total.more ||= round.more;
      total.skipped ||= round.skipped;
    }
    return total;
  }

  private async sweepSource(source: DefaultSource, before: Date, days: number, now: Date, batch: number): Promise<{ recorded: number; more: boolean; skipped: boolean }> {
    const mark = await this.db.selectFrom('quality_sweeps').select('watermark').where('name', '=', source.sweep).executeTakeFirstOrThrow();
    const subjects = await source.fetch({ after: mark.watermark, before, limit: batch });
    if (subjects.length === 0) return { recorded: 0, more: false, skipped: false };
    return this.db.transaction().execute(async (trx) => {
      const locked = await trx.selectFrom('quality_sweeps').select('watermark').where('name', '=', source.sweep).forUpdate().skipLocked().executeTakeFirst();
      if (!locked || locked.watermark?.getTime() !== mark.watermark?.getTime()) return { recorded: 0, more: false, skipped: true };
      const values = subjects.filter((s) => s.completedAt).map((s) => {
        const end = periodEnd(s.completedAt!, days);
        return {
          subject_kind: s.kind, subject_ref: s.ref, round: 1 as const, level: DEFAULT_LEVEL, channel: 'system', text: null, is_default: true,
          rater_user_id: null, rated_at: end, rated_on: todayInShanghai(end), case_number: s.caseNumber, item_code: s.itemCode, item_name: s.itemName,
          department_id: s.departmentId, region_path: s.regionPath, region_code: s.regionCode, hall_id: s.hallId, hall_window: s.hallWindow,
          staff_id: s.staff?.id ?? null, staff_name: s.staff?.name ?? null,
        };
      });
      const written = values.length === 0 ? [] : await trx.insertInto('evaluations').values(values).onConflict((oc) => oc.columns(['subject_kind', 'subject_ref', 'round']).doNothing()).returning('id').execute();
      const last = subjects[subjects.length - 1]!.completedAt!;
      await trx.updateTable('quality_sweeps').set({ watermark: last, ran_at: now }).where('name', '=', source.sweep).execute();
      if (written.length > 0) await recordAudit(trx, SYSTEM_ACTOR, { action: 'evaluation.rating.defaulted', detail: { count: written.length, periodDays: days, sweep: source.sweep } });
      return { recorded: written.length, more: subjects.length >= batch, skipped: false };
    });
  }

  /**
   * Escalates every rectification past its deadline and not yet reported to the supervisor, once:
   * the UPDATE sets `escalated_at` only where it is null, so two instances never raise one twice.
   */
  async sweepOverdue(now: Date = this.now()): Promise<{ escalated: number }> {
    const today = todayInShanghai(now);
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .updateTable('rectifications')
        .set({ escalated_at: now })
        .where('escalated_at', 'is', null)
        .where('status', 'in', ['open', 'called_back'])
        .where('due_on', '<', today)
        .returning(['id', 'subject_kind', 'subject_ref', 'department_id', 'region_path', 'due_on'])
        .execute();
      for (const r of rows) {
        await recordAudit(trx, SYSTEM_ACTOR, { action: 'evaluation.rectification.escalated', targetType: 'rectification', targetId: r.id, detail: { dueOn: r.due_on } });
        await writeEvent(trx, {
          type: 'quality.rectification_escalated',
          aggregateType: 'rectification',
          aggregateId: r.id,
          payload: { rectificationId: r.id, ref: displayRef(r), dueOn: r.due_on, departmentId: r.department_id, notify: { regionPath: r.region_path, roles: SUPERVISOR_ROLES } },
        });
      }
      return { escalated: rows.length };
    });
  }

  /**
   * Closes every reported rectification the applicant did not confirm by its `confirm_due_on`, with
   * the outcome `unconfirmed` (the department did its part; the applicant neither accepted nor
   * refused). One UPDATE on the status: with several instances each row closes once.
   */
  async sweepUnconfirmed(now: Date = this.now()): Promise<{ closed: number }> {
    const today = todayInShanghai(now);
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .updateTable('rectifications')
        .set((eb) => ({ status: 'closed', outcome: 'unconfirmed', closed_at: now, version: eb('version', '+', 1) }))
        .where('status', '=', 'reported')
        .where('confirm_due_on', '<', today)
        .returning(['id', 'confirm_due_on'])
        .execute();
      for (const r of rows) {
        await recordAudit(trx, SYSTEM_ACTOR, { action: 'evaluation.rectification.unconfirmed', targetType: 'rectification', targetId: r.id, detail: { from: 'reported', to: 'closed', confirmDueOn: r.confirm_due_on } });
      }
      return { closed: rows.length };
    });
  }

  // --- rectification ---------------------------------------------------------------------------------

  private partiesOf(principal: Principal, row: Pick<RectRow, 'department_id' | 'region_path' | 'applicant_user_id'>): Set<Party> {
    const parties = new Set<Party>();
    const target = { departmentId: row.department_id, regionPath: row.region_path };
    if (principal.kind === 'applicant' && row.applicant_user_id === principal.userId) parties.add('owner');
    if (principal.kind === 'staff') {
      if (reaches(principal, target, HANDLER_ROLES)) parties.add('handler');
      if (reaches(principal, target, SUPERVISOR_ROLES)) parties.add('supervisor');
    }
    return parties;
  }

  private reachesRect(principal: Principal, row: RectRow): boolean {
    if (principal.kind === 'applicant') return row.applicant_user_id === principal.userId;
    if (principal.kind === 'staff') return reaches(principal, { departmentId: row.department_id, regionPath: row.region_path }, READER_ROLES);
    return false;
  }

  private async reachableRect(principal: Principal, id: string): Promise<RectRow> {
    const row = await this.db.selectFrom('rectifications').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !this.reachesRect(principal, row)) throw EvaluationErrors.rectification_not_found();
    return row;
  }

  /** Rectifications the caller reaches: the department's, the region's for a supervisor, the applicant's own. */
  async listRectifications(principal: Principal, query: RectificationQuery): Promise<{ items: Rectification[]; nextCursor: string | null }> {
    const limit = query.limit ?? 20;
    const after = decodeCursor<{ o: string; id: string }>(query.cursor, { o: 'string', id: 'string' });
    let q = this.db.selectFrom('rectifications').selectAll();
    if (principal.kind === 'applicant') q = q.where('applicant_user_id', '=', principal.userId);
    else if (principal.kind === 'staff') {
      const held = principal.roles.filter((r) => READER_ROLES.includes(r));
      if (!held.includes('system_admin')) {
        const regional = held.includes('supervisor');
        const departmental = held.some((r) => HANDLER_ROLES.includes(r));
        q = q.where((eb) => eb.or([
          ...(regional ? [eb('region_path', '=', principal.regionPath), eb('region_path', 'like', `${principal.regionPath}/%`)] : []),
          ...(departmental ? [eb('department_id', '=', principal.departmentId)] : []),
          sql<boolean>`false`,
        ]));
      }
    } else return { items: [], nextCursor: null };
    if (query.status) q = q.where('status', '=', query.status);
    if (query.escalated !== undefined) q = q.where('escalated_at', query.escalated ? 'is not' : 'is', null);
    if (after) {
      const at = new Date(after.o);
      if (Number.isNaN(at.getTime())) throw invalidInput([{ field: 'cursor', code: FieldCodes.invalid_cursor }]);
      q = q.where((eb) => eb.or([eb('opened_at', '<', at), eb.and([eb('opened_at', '=', at), eb('id', '<', after.id)])]));
    }
    const rows = await q.orderBy('opened_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    const paged = page(rows, limit, (r) => ({ o: r.opened_at.toISOString(), id: r.id }));
    return { items: await this.rectViews(principal, paged.items), nextCursor: paged.nextCursor };
  }

  async getRectification(principal: Principal, id: string): Promise<Rectification> {
    const row = await this.reachableRect(principal, id);
    return (await this.rectViews(principal, [row]))[0]!;
  }

  /**
   * One step of the rectification workflow (STEPS): reach (404), who may take it (403 as a 422
   * naming the step would tell a stranger it exists: reach first), the version the caller saw (409)
   * and the status (422), then the change, its audit entry and any notification, in one transaction.
   */
  async step(principal: Principal, ip: string | null, id: string, input: RectificationStep): Promise<Rectification> {
    const now = this.now();
    const row = await this.reachableRect(principal, id);
    const spec = STEPS[input.step];
    const errors = stepTextErrors(input);
    if (errors.length > 0) throw invalidInput(errors);
    if (!this.partiesOf(principal, row).has(spec.by)) throw EvaluationErrors.rectification_step_not_allowed({ status: RECTIFICATION_STATUS_LABELS[row.status], step: spec.label });
    const actor: AuditActor = principal.kind === 'client' ? { id: `client:${principal.clientId}`, kind: 'client', ip } : { id: principal.userId, kind: principal.kind, ip };
    const { confirmationDays } = await this.deps.settings.current();

    const updated = await this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('rectifications').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
      if (current.version !== input.version) throw EvaluationErrors.rectification_version_conflict({ current: current.version });
      if (!spec.from.includes(current.status)) throw EvaluationErrors.rectification_step_not_allowed({ status: RECTIFICATION_STATUS_LABELS[current.status], step: spec.label });
      const patch: Partial<Record<keyof RectRow, unknown>> = {};
      let event: { type: string; notify: Record<string, unknown> } | null = null;
      let detail: Record<string, unknown> = {};
      switch (input.step) {
        case 'callback':
          Object.assign(patch, { status: 'called_back', callback_at: now, callback_note: input.note.trim() });
          break;
        case 'report':
          Object.assign(patch, { status: 'reported', report: input.report.trim(), reported_at: now, confirm_due_on: addDays(todayInShanghai(now), confirmationDays) });
          if (current.applicant_user_id) event = { type: 'quality.rectification_reported', notify: { userIds: [current.applicant_user_id] } };
          break;
        case 'appeal':
          Object.assign(patch, { status: 'appealed', appeal_from: current.status, appeal_reason: input.reason.trim(), appealed_at: now });
          event = { type: 'quality.rectification_appealed', notify: { regionPath: current.region_path, roles: SUPERVISOR_ROLES } };
          break;
        case 'decide_appeal': {
          const upheld = input.decision === 'upheld';
          Object.assign(patch, {
            appeal_decision: input.decision, appeal_comment: input.comment.trim(), decided_by: principal.kind === 'staff' ? principal.userId : null,
            ...(upheld ? { status: 'closed', outcome: 'appeal_upheld', closed_at: now } : { status: current.appeal_from ?? 'open' }),
          });
          detail = { decision: input.decision };
          event = { type: 'quality.rectification_appeal_decided', notify: { departmentId: current.department_id, roles: HANDLER_ROLES } };
          break;
        }
        case 'confirm':
          Object.assign(patch, input.satisfied
            ? { status: 'closed', outcome: 'rectified', confirmed_at: now, closed_at: now, applicant_comment: input.comment?.trim() || null }
            // not accepted: back to the department for another fix, with a fresh report due
            : { status: 'called_back', report: null, reported_at: null, confirm_due_on: null, applicant_comment: input.comment?.trim() || null });
          detail = { satisfied: input.satisfied };
          if (!input.satisfied) event = { type: 'quality.rectification_reopened', notify: { departmentId: current.department_id, roles: HANDLER_ROLES } };
          break;
      }
      const next = await trx.updateTable('rectifications').set({ ...patch, version: current.version + 1 } as never).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, actor, { action: `evaluation.rectification.${input.step}` as 'evaluation.rectification.callback', targetType: 'rectification', targetId: id, detail: { from: current.status, to: next.status, ...detail } });
      if (event) {
        await writeEvent(trx, { type: event.type, aggregateType: 'rectification', aggregateId: id, payload: { rectificationId: id, ref: displayRef(current), status: next.status, departmentId: current.department_id, notify: event.notify } });
      }
      return next;
    });
    return (await this.rectViews(principal, [updated]))[0]!;
  }

  private async rectViews(principal: Principal, rows: RectRow[]): Promise<Rectification[]> {
    if (rows.length === 0) return [];
    const evals = await this.db.selectFrom('evaluations').selectAll().where('id', 'in', rows.map((r) => r.evaluation_id)).execute();
    const evalOf = new Map(evals.map((e) => [e.id, e]));
    const names = new Map((await this.deps.org.listDepartments()).map((d) => [d.id, d.name]));
    const today = todayInShanghai(this.now());
    return rows.map((r) => {
      const parties = this.partiesOf(principal, r);
      const steps = (Object.keys(STEPS) as StepName[]).filter((s) => STEPS[s].from.includes(r.status) && parties.has(STEPS[s].by));
      return {
        id: r.id,
        evaluation: evaluationView(evalOf.get(r.evaluation_id)!, r.id),
        subjectKind: r.subject_kind,
        subjectRef: displayRef(r),
        departmentId: r.department_id,
        departmentName: names.get(r.department_id) ?? '',
        status: r.status,
        dueOn: r.due_on,
        confirmDueOn: r.confirm_due_on,
        overdue: (r.status === 'open' || r.status === 'called_back') && today > r.due_on,
        openedAt: r.opened_at.toISOString(),
        callbackAt: iso(r.callback_at),
        callbackNote: r.callback_note,
        report: r.report,
        reportedAt: iso(r.reported_at),
        appealReason: r.appeal_reason,
        appealedAt: iso(r.appealed_at),
        appealDecision: r.appeal_decision,
        appealComment: r.appeal_comment,
        confirmedAt: iso(r.confirmed_at),
        applicantComment: r.applicant_comment,
        escalatedAt: iso(r.escalated_at),
        outcome: r.outcome,
        closedAt: iso(r.closed_at),
        version: r.version,
        steps,
      };
    });
  }

  // --- figures -----------------------------------------------------------------------------------------

  /** Per department, for ratings given and tickets opened in [from, to] (civil dates, Asia/Shanghai, inclusive). */
  async figuresByDepartment(period: { from: string; to: string }): Promise<DepartmentQualityFigures[]> {
    const rows = await this.db
      .selectFrom('evaluations as e')
      .leftJoin('rectifications as r', 'r.evaluation_id', 'e.id')
      .select((eb) => [
        'e.department_id',
        eb.fn.countAll<string>().as('evaluations'),
        sql<string>`count(*) filter (where e.level >= 4)`.as('satisfied'),
        sql<string>`count(*) filter (where e.level <= 2)`.as('bad'),
        sql<string>`count(*) filter (where e.level <= 2 and r.outcome in ('rectified', 'appeal_upheld'))`.as('rectified'),
      ])
      .where('e.round', '=', 1)
      .where('e.rated_on', '>=', period.from)
      .where('e.rated_on', '<=', period.to)
      .groupBy('e.department_id')
      .execute();
    const complaints = (await this.deps.tickets?.complaintFigures(period)) ?? new Map<string, { complaints: number; complaintsOnTime: number }>();
    const out = new Map<string, DepartmentQualityFigures>();
    const entry = (id: string) => {
      let e = out.get(id);
      if (!e) out.set(id, (e = { departmentId: id, evaluations: 0, satisfied: 0, badReviews: 0, badRectified: 0, complaints: 0, complaintsOnTime: 0 }));
      return e;
    };
    for (const r of rows) Object.assign(entry(r.department_id), { evaluations: Number(r.evaluations), satisfied: Number(r.satisfied), badReviews: Number(r.bad), badRectified: Number(r.rectified) });
    for (const [id, c] of complaints) Object.assign(entry(id), c);
    return [...out.values()].sort((a, b) => a.departmentId.localeCompare(b.departmentId));
  }

  /**
   * The public statistics: first-round ratings (default ones included) by department, item, hall
   * and month, with satisfaction and rectification rates. Counts and public names only: no rater,
   * no text, no staff member, no case number ever leaves here.
   */
  async publicStats(query: { from?: string | undefined; to?: string | undefined; departmentId?: string | undefined }): Promise<PublicStats> {
    const today = todayInShanghai(this.now());
    const to = query.to ?? today;
    const from = query.from ?? `${addDays(`${to.slice(0, 7)}-01`, -335).slice(0, 7)}-01`;
    if (from > to || daysBetween(from, to) > MAX_STATS_DAYS) throw EvaluationErrors.stats_period_invalid();
    let q = this.db
      .selectFrom('evaluations as e')
      .leftJoin('rectifications as r', 'r.evaluation_id', 'e.id')
      .select((eb) => [
        'e.department_id',
        'e.item_code',
        'e.item_name',
        'e.hall_id',
        sql<string>`to_char(e.rated_on, 'YYYY-MM')`.as('month'),
        'e.level',
        eb.fn.countAll<string>().as('n'),
        sql<string>`count(*) filter (where r.outcome in ('rectified', 'appeal_upheld'))`.as('rectified'),
      ])
      .where('e.round', '=', 1)
      .where('e.rated_on', '>=', from)
      .where('e.rated_on', '<=', to);
    if (query.departmentId) q = q.where('e.department_id', '=', query.departmentId);
    const rows = await q.groupBy(['e.department_id', 'e.item_code', 'e.item_name', 'e.hall_id', sql`to_char(e.rated_on, 'YYYY-MM')`, 'e.level']).execute();
    const departments = new Map((await this.deps.org.listDepartments()).map((d) => [d.id, d.name]));
    const halls = new Map((await this.deps.org.listHalls()).map((h) => [h.id, h.name]));

    const totals = emptyFigures();
    const groups = { department: new Map<string, Acc>(), item: new Map<string, Acc>(), hall: new Map<string, Acc>(), month: new Map<string, Acc>() };
    const add = (map: Map<string, Acc>, key: string, name: string, level: number, n: number, rectified: number) => {
      let acc = map.get(key);
      if (!acc) map.set(key, (acc = { key, name, ...emptyFigures() }));
      tally(acc, level, n, rectified);
    };
    for (const r of rows) {
      const n = Number(r.n);
      const rectified = Number(r.rectified);
      tally(totals, r.level, n, rectified);
      add(groups.department, r.department_id, departments.get(r.department_id) ?? '', r.level, n, rectified);
      if (r.item_code) add(groups.item, r.item_code, r.item_name ?? r.item_code, r.level, n, rectified);
      if (r.hall_id) add(groups.hall, r.hall_id, halls.get(r.hall_id) ?? '', r.level, n, rectified);
      add(groups.month, r.month, r.month, r.level, n, rectified);
    }
    const finish = (map: Map<string, Acc>, byKey = false): StatsGroup[] => [...map.values()].map(withRates).sort((a, b) => (byKey ? a.key.localeCompare(b.key) : b.evaluations - a.evaluations || a.key.localeCompare(b.key)));
    return {
      from,
      to,
      totals: withRates({ key: '', name: '', ...totals }),
      byDepartment: finish(groups.department),
      byItem: finish(groups.item),
      byHall: finish(groups.hall),
      byMonth: finish(groups.month, true),
    };
  }
}

// --- helpers ---------------------------------------------------------------------------------------------

interface Subject {
  kind: EvaluationSubjectKind;
  ref: string;
  caseNumber: string | null;
  itemCode: string | null;
  itemName: string | null;
  completedAt: Date | null;
  departmentId: string;
  regionPath: string;
  regionCode: string;
  hallId: string | null;
  hallWindow: string | null;
  staff: { id: string; name: string } | null;
  applicantUserId: string | null;
}

/** A source of subjects whose rating period may have ended unrated, read from its sweep's watermark. */
interface DefaultSource {
  sweep: 'default_ratings' | 'default_ticket_ratings' | 'default_hall_visit_ratings';
  fetch(query: { after: Date | null; before: Date; limit: number }): Promise<Subject[]>;
}

const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');

function ticketSubject(s: TicketSubject): Subject {
  return {
    kind: 'ticket', ref: s.ticketNumber, caseNumber: s.caseNumber, itemCode: s.itemCode, itemName: s.itemName, completedAt: s.completedAt,
    departmentId: s.departmentId, regionPath: s.regionPath, regionCode: regionCodeOf(s.regionPath), hallId: null, hallWindow: null, staff: s.staff,
    applicantUserId: s.applicantUserId,
  };
}

/** A recorded visit's subject: completed when it took place; its ref is the visit's id. */
function visitSubject(v: Selectable<HallVisitTable>): Subject {
  return {
    kind: 'hall_visit', ref: v.id, caseNumber: null, itemCode: v.item_code, itemName: v.item_name, completedAt: v.visited_at,
    departmentId: v.department_id, regionPath: v.region_path, regionCode: v.region_code, hallId: v.hall_id, hallWindow: v.hall_window,
    staff: { id: v.staff_id, name: v.staff_name }, applicantUserId: v.visitor_user_id,
  };
}

type Figures = { evaluations: number; byLevel: number[]; satisfied: number; badReviews: number; rectified: number };
type Acc = Figures & { key: string; name: string };

const emptyFigures = (): Figures => ({ evaluations: 0, byLevel: [0, 0, 0, 0, 0], satisfied: 0, badReviews: 0, rectified: 0 });

function tally(f: Figures, level: number, n: number, rectified: number): void {
  f.evaluations += n;
  f.byLevel[level - 1]! += n;
  if (isSatisfied(level)) f.satisfied += n;
  if (isBadReview(level)) {
    f.badReviews += n;
    f.rectified += rectified;
  }
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

function withRates(acc: Acc): StatsGroup {
  return { ...acc, satisfactionRate: ratio(acc.satisfied, acc.evaluations), rectificationRate: ratio(acc.rectified, acc.badReviews) };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The last instant of a rating period that starts at completion. */
function periodEnd(completedAt: Date, days: number): Date {
  return new Date(completedAt.getTime() + days * 86_400_000);
}

/** The last segment of a region path: the region's code (GB/T 2260), GB/T 39046's "region". */
export function regionCodeOf(regionPath: string): string {
  return regionPath.split('/').pop() ?? regionPath;
}

/** What a rating is about, as people read it: the case or ticket number, or "hall · window" for a visit (never the rater). */
function displayRef(row: { subject_kind: EvaluationSubjectKind; subject_ref: string }): string {
  if (row.subject_kind !== 'hall_visit') return row.subject_ref;
  // a recorded visit's ref is its id: a short form of it names it
  if (!row.subject_ref.includes(':')) return `大厅来访 ${row.subject_ref.slice(0, 8)}`;
  const [, window, , day] = row.subject_ref.split(':');
  return `${day ?? ''} 窗口 ${window ?? ''}`;
}

function evaluationView(r: EvalRow, rectificationId: string | null): Evaluation {
  return {
    id: r.id,
    subjectKind: r.subject_kind,
    caseNumber: r.case_number,
    ticketNumber: r.subject_kind === 'ticket' ? r.subject_ref : null,
    round: r.round,
    level: r.level,
    gbtCode: toGbtCode(r.level as Level),
    channel: r.channel,
    text: r.text,
    isDefault: r.is_default,
    ratedAt: r.rated_at.toISOString(),
    regionCode: r.region_code,
    departmentId: r.department_id,
    hallId: r.hall_id,
    staffName: r.staff_name,
    rectificationId,
  };
}

/** The rating's text, trimmed: optional, but never blank when given, at most TEXT_MAX, and required for a bad review. */
export function checkText(level: number, text: string | undefined): string | null {
  const errors: FieldErrorSpec[] = [];
  const trimmed = text?.trim();
  if (text !== undefined && trimmed === '') errors.push({ field: 'text', code: EvaluationFieldCodes.evaluation_text_empty });
  else if (trimmed !== undefined && [...trimmed].length > TEXT_MAX) errors.push({ field: 'text', code: FieldCodes.too_long, params: { limit: TEXT_MAX } });
  else if (isBadReview(level) && !trimmed) errors.push({ field: 'text', code: EvaluationFieldCodes.evaluation_bad_review_needs_text });
  if (errors.length > 0) throw invalidInput(errors);
  return trimmed || null;
}

function stepTextErrors(input: RectificationStep): FieldErrorSpec[] {
  const field = input.step === 'callback' ? 'note' : input.step === 'report' ? 'report' : input.step === 'appeal' ? 'reason' : input.step === 'decide_appeal' ? 'comment' : null;
  if (!field) return [];
  const value = (input as unknown as Record<string, string>)[field] ?? '';
  return value.trim() === '' ? [{ field, code: EvaluationFieldCodes.evaluation_text_blank }] : [];
}
