import { sql, type Expression, type InsertQueryBuilder, type InsertResult, type QueryCreator, type UpdateObject } from 'kysely';
import type { Executor, Tx, WriteInStatement } from '../../platform/db/database.js';
import type { CaseStatus, Database } from '../../platform/db/schema.js';
import { todayInShanghai } from '../../platform/time.js';
import type { CaseAction } from '../../shared/case-codes.js';
import { CASE_STATUS_LABELS, CASE_ACTION_LABELS } from '../../shared/case-codes.js';
import type { CalendarService } from '../calendar/service.js';
import { CASE_PROGRESSED, outboxRow, writeEvent, type CaseStatusChanged, type EventOf } from '../events/outbox.js';
import { deadlineFor, elapsedWorkdays, unlessCalendarGap } from './clock.js';
import { CaseErrors } from './errors.js';
import { historyRow, insertHistory, lockCase, type CaseActor, type CaseRow, type HistoryEntry } from './store.js';

/**
 * The status × action table: in which statuses each action may be taken. Who may take it (owner,
 * comprehensive window, back office) is the service's check; this table is only about the case's
 * state, and is the single place that says so (the web app reads `allowedActions` from the API).
 */
export const ALLOWED_IN: Record<CaseAction, readonly CaseStatus[]> = {
  withdraw: ['submitted', 'correction_requested', 'accepted', 'accepted_with_deficiency', 'in_review', 'suspended'],
  resubmit: ['correction_requested'],
  supply: ['accepted_with_deficiency', 'accepted', 'in_review', 'suspended'],
  accept: ['submitted'],
  not_accept: ['submitted'],
  request_correction: ['submitted'],
  accept_with_deficiency: ['submitted'],
  verify_materials: ['submitted'],
  claim: ['accepted', 'accepted_with_deficiency', 'in_review'],
  release: ['accepted', 'accepted_with_deficiency', 'in_review'],
  assign: ['accepted', 'accepted_with_deficiency', 'in_review', 'suspended'],
  comment: ['submitted', 'correction_requested', 'accepted', 'accepted_with_deficiency', 'in_review', 'suspended', 'approved', 'denied'],
  complete_step: ['accepted', 'accepted_with_deficiency', 'in_review'],
  return: ['in_review'],
  suspend: ['accepted', 'accepted_with_deficiency', 'in_review'],
  resume: ['suspended'],
  approve: ['accepted', 'accepted_with_deficiency', 'in_review'],
  deny: ['accepted', 'accepted_with_deficiency', 'in_review'],
  deliver: ['approved', 'denied'],
};

export function isAllowedIn(action: CaseAction, status: CaseStatus): boolean {
  return ALLOWED_IN[action].includes(status);
}

export interface EngineDeps {
  calendar: CalendarService;
}

/**
 * Locks the case and checks what every action checks: it exists, the caller saw the current
 * version (else 409), and the action is allowed in its status (else 422 action_not_allowed).
 * Reach (who may see the case at all) is checked by the caller before, so that a case outside
 * the caller's scope is a 404 and says nothing about its state.
 */
export async function lockForAction(trx: Tx, caseNumber: string, action: CaseAction, version: number): Promise<CaseRow> {
  const row = await lockCase(trx, caseNumber);
  if (!row) throw CaseErrors.case_not_found();
  if (row.version !== version) throw CaseErrors.version_conflict({ current: row.version });
  if (!isAllowedIn(action, row.status)) {
    throw CaseErrors.action_not_allowed({ status: CASE_STATUS_LABELS[row.status], action: CASE_ACTION_LABELS[action] });
  }
  return row;
}

export interface Transition {
  row: CaseRow;
  /** Action name as the history shows it: a CaseAction, or 'submit' / 'file' / 'complete'. */
  action: string;
  to: CaseStatus;
  actor: CaseActor;
  now: Date;
  comment?: string | null;
  attachments?: string[];
  detail?: Record<string, unknown>;
  stepIndex?: number | null;
  /** Further column changes made with the status change (acceptance date, decision, delivery …). */
  patch?: UpdateObject<Database, 'cases'>;
  /**
   * Further writes made in the statement that records the transition (WITH clauses beside the
   * history entry and the event): a row the transition comes with, such as the decision notice,
   * costs no round trip of its own.
   */
  alsoWrite?: readonly WriteInStatement[];
}

/** What a transition writes, worked out before any of it is: the case's new columns and its history entry. */
interface PlannedTransition {
  set: UpdateObject<Database, 'cases'>;
  deadline: string | null;
  entry: HistoryEntry;
  /** Whether the outbox gets an event: a status change, or a back-office step moving on. */
  withEvent: boolean;
}

async function planTransition(deps: EngineDeps, t: Transition): Promise<PlannedTransition> {
  const today = todayInShanghai(t.now);
  const next = { ...t.row, ...(t.patch as Partial<CaseRow>), status: t.to };
  const clockMoved = t.patch && ('accepted_on' in t.patch || 'suspended_workdays' in t.patch);
  let deadlinePending = false;
  if (next.accepted_on && (clockMoved || next.deadline === null) && !next.decided_at) {
    next.deadline = await unlessCalendarGap(deadlineFor(deps.calendar, next.accepted_on, next.case_kind, next.promised_days, next.suspended_workdays), null);
    deadlinePending = next.deadline === null;
  }
  const elapsed = await unlessCalendarGap(elapsedWorkdays(deps.calendar, next, today), null);
  return {
    set: { ...t.patch, status: t.to, deadline: next.deadline, version: t.row.version + 1, updated_at: t.now },
    deadline: next.deadline,
    entry: {
      caseId: t.row.id,
      action: t.action,
      fromStatus: t.row.status,
      status: t.to,
      actor: t.actor,
      comment: t.comment,
      attachments: t.attachments,
      detail: deadlinePending ? { ...t.detail, deadlinePending: true } : t.detail,
      stepIndex: t.stepIndex,
      elapsedWorkdays: elapsed,
    },
    withEvent: t.to !== t.row.status || PROGRESS_ACTIONS.has(t.action),
  };
}

/** The transition's event for the outbox, from the case as it is after the change. */
function transitionEvent(t: Transition, after: CaseRow) {
  const statusChanged = t.to !== t.row.status;
  const payload: CaseStatusChanged = {
    caseNumber: after.case_number,
    itemCode: after.item_code,
    itemName: after.item_name,
    status: t.to,
    fromStatus: t.row.status,
    action: t.action,
    at: t.now.toISOString(),
    departmentId: after.department_id,
    // the applicant is told of status changes only: a step moving on is staff business
    ...(statusChanged ? { applicantUserId: after.applicant_user_id, applicantPhone: after.applicant_phone } : {}),
    deadline: after.deadline,
    ...supervisionFacts(after),
    actorKind: t.actor.kind,
    actorId: t.actor.id,
    stepIndex: t.stepIndex ?? null,
    stepDue: typeof t.detail?.nextDue === 'string' ? t.detail.nextDue : null,
    assigneeId: typeof t.detail?.assigneeId === 'string' ? t.detail.assigneeId : null,
  };
  return outboxRow({ type: statusChanged ? 'case.status_changed' : CASE_PROGRESSED, aggregateType: 'case', aggregateId: after.case_number, payload });
}

/** The clauses as WITH clauses of `q`, after those it has. */
function withClauses<Q>(q: Q, clauses: ReadonlyArray<readonly [name: string, write: WriteInStatement]>): Q {
  // Kysely types a WITH clause by its builder's tables; any insert or update will do here, and
  // the clauses add nothing the statement's type needs
  return clauses.reduce(
    (acc, [name, write]) => (acc as unknown as QueryCreator<Database>).with(name, (db) => write(db) as unknown as InsertQueryBuilder<Database, 'case_history', InsertResult>) as unknown as Q,
    q,
  );
}

/** A transition's extra writes as WITH clauses named `also_0` …: their names are never read. */
function alsoClauses(writes: readonly WriteInStatement[] | undefined): Array<[string, WriteInStatement]> {
  return (writes ?? []).map((write, i) => [`also_${i}`, write]);
}

/**
 * Applies one step of a case's life in the caller's transaction: bumps the version, sets the
 * status and the patch, recomputes the deadline when acceptance or a special procedure moved
 * it, writes the history entry with the working days elapsed, and, when the status changed,
 * the `case.status_changed` event to the outbox — so a change, its record and its notification
 * commit together or not at all. The event is built from the row as updated (RETURNING), never
 * from what the update was expected to make.
 */
export async function applyTransition(trx: Tx, deps: EngineDeps, t: Transition): Promise<CaseRow> {
  const plan = await planTransition(deps, t);
  const updated = await trx.updateTable('cases').set(plan.set).where('id', '=', t.row.id).where('version', '=', t.row.version).returningAll().executeTakeFirst();
  // The row is locked by lockForAction, so a lost race here means a caller skipped the lock.
  if (!updated) throw CaseErrors.version_conflict({ current: t.row.version + 1 });
  const recorder = withClauses(trx.with('entry', (db) => db.insertInto('case_history').values(historyRow(plan.entry))), alsoClauses(t.alsoWrite));
  if (!plan.withEvent) {
    // no event: the history entry (and any extra write) alone, through the same statement builder
    await recorder.selectNoFrom(sql<number>`1`.as('done')).execute();
  } else {
    // the history entry and the event in one statement: a round trip fewer on every transition
    await recorder.insertInto('outbox_events').values(transitionEvent(t, updated)).execute();
  }
  return updated;
}

/** What a one-statement transition takes beyond the transition itself. */
export interface AtOnceClauses {
  /** WITH clauses put first, so that the change can use by name what they answer (a decision number). */
  first?: ReadonlyArray<readonly [name: string, write: WriteInStatement]>;
  /** Keys of the history entry's detail whose values the statement itself makes (from `first`). */
  detailFromStatement?: Readonly<Record<string, Expression<string>>>;
}

/**
 * `applyTransition` as one statement, outside any transaction, for a caller holding the case's
 * whole row as it was at `t.row.version` but no lock on it (the 秒批 decision, right after the
 * filing): the update is guarded by that version, and the history entry, the event and the extra
 * writes are WITH clauses of the same statement. The event is built from `t.row` and the change:
 * the guard makes that the row as updated. Answers null, having written nothing, when the case
 * has meanwhile moved on: the history entry takes its case from the update, an update that
 * matched nothing leaves it without one, and the statement fails whole.
 */
export async function applyTransitionAtOnce(db: Executor, deps: EngineDeps, t: Transition, clauses: AtOnceClauses = {}): Promise<CaseRow | null> {
  const plan = await planTransition(deps, t);
  const after = { ...t.row, ...(t.patch as Partial<CaseRow>), status: t.to, deadline: plan.deadline };
  const entry = historyRow(plan.entry);
  const fromStatement = Object.entries(clauses.detailFromStatement ?? {});
  const detail = fromStatement.length === 0 ? entry.detail : sql<string>`${entry.detail}::jsonb || jsonb_build_object(${sql.join(fromStatement.map(([key, value]) => sql`${key}::text, ${value}`))})`;
  const event = transitionEvent(t, after);
  const statement = withClauses(
    withClauses(db, clauses.first ?? [])
      .with('decided', (q) => q.updateTable('cases').set(plan.set).where('id', '=', t.row.id).where('version', '=', t.row.version).returningAll())
      .with('entry', (q) => q.insertInto('case_history').values({ ...entry, detail, case_id: sql<string>`(SELECT id FROM decided)` })),
    [...alsoClauses(t.alsoWrite), ...(plan.withEvent ? [['event', (q: QueryCreator<Database>) => q.insertInto('outbox_events').values(event)] as const] : [])],
  );
  try {
    return (await statement.selectFrom('decided').selectAll().executeTakeFirst()) ?? null;
  } catch (error) {
    if (isNotNullViolation(error, 'case_history', 'case_id')) return null;
    throw error;
  }
}

function isNotNullViolation(error: unknown, table: string, column: string): boolean {
  const e = error as { code?: unknown; table?: unknown; column?: unknown };
  return e.code === '23502' && e.table === table && e.column === column;
}

/** Back-office actions that move a case on without changing its status: recorded as `case.progressed` for supervision. */
const PROGRESS_ACTIONS: ReadonlySet<string> = new Set(['claim', 'assign', 'complete_step', 'return', 'release']);

type SupervisionFactFields = 'region_path' | 'channel' | 'case_kind' | 'applicant_kind' | 'promised_days' | 'commitment' | 'submitted_at' | 'accepted_on' | 'suspended_workdays';

/** The case facts supervision projects (ADR 0013), as the event payload carries them. */
function supervisionFacts(row: Partial<Pick<CaseRow, SupervisionFactFields>>): Partial<CaseStatusChanged> {
  if (row.region_path === undefined) return {};
  return {
    regionPath: row.region_path,
    ...(row.channel ? { channel: row.channel } : {}),
    ...(row.case_kind ? { caseKind: row.case_kind } : {}),
    ...(row.applicant_kind ? { applicantKind: row.applicant_kind } : {}),
    ...(row.promised_days !== undefined ? { promisedDays: row.promised_days } : {}),
    commitment: row.commitment !== null && row.commitment !== undefined,
    ...(row.submitted_at ? { submittedAt: new Date(row.submitted_at).toISOString() } : {}),
    acceptedOn: row.accepted_on ?? null,
    suspendedWorkdays: row.suspended_workdays ?? 0,
  };
}

/** What the first history entry and the first event of a new case are made of: the case row's facts. */
export type CreatedFacts = Pick<CaseRow, 'id' | 'case_number' | 'item_code' | 'item_name' | 'status' | 'department_id' | 'applicant_user_id' | 'applicant_phone' | 'deadline'> &
  Partial<Pick<CaseRow, SupervisionFactFields>>;

/**
 * The first history entry and the first event of a new case (submitted online, filed at the
 * window, or started as a sub-case of a parallel approval). `recordCreated` writes them after
 * the case's insert; application.ts `fileCase` writes them within it.
 */
export function createdRecords(row: CreatedFacts, action: 'submit' | 'file' | 'start', actor: CaseActor, now: Date, detail?: Record<string, unknown>): { entry: HistoryEntry; event: EventOf<'case.status_changed'> } {
  const payload: CaseStatusChanged = {
    caseNumber: row.case_number,
    itemCode: row.item_code,
    itemName: row.item_name,
    status: row.status,
    fromStatus: null,
    action,
    at: now.toISOString(),
    departmentId: row.department_id,
    applicantUserId: row.applicant_user_id,
    applicantPhone: row.applicant_phone,
    deadline: row.deadline,
    ...supervisionFacts(row),
    actorKind: actor.kind,
    actorId: actor.id,
  };
  return {
    entry: { caseId: row.id, action, fromStatus: null, status: row.status, actor, detail, elapsedWorkdays: null },
    event: { type: 'case.status_changed', aggregateType: 'case', aggregateId: row.case_number, payload },
  };
}

/** Records a case that has just been inserted, in the caller's transaction: its first history entry and its first event. */
export async function recordCreated(trx: Tx, row: CaseRow, action: 'submit' | 'file' | 'start', actor: CaseActor, now: Date, detail?: Record<string, unknown>): Promise<void> {
  const { entry, event } = createdRecords(row, action, actor, now, detail);
  await insertHistory(trx, entry);
  await writeEvent(trx, event);
}
