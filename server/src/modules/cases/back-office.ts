import type { Tx } from '../../platform/db/database.js';
import type { CaseStatus } from '../../platform/db/schema.js';
import { invalidInput, type FieldErrorSpec } from '../../platform/http/errors.js';
import { todayInShanghai } from '../../platform/time.js';
import { CASE_ACTION_LABELS, type CaseAction } from '../../shared/case-codes.js';
import { isStaffRole } from '../../shared/roles.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import { holdsRole } from './access.js';
import type { ActionContext, ActionHandler, CaseDeps } from './actions.js';
import { withPickupCode } from './delivery.js';
import { decisionTitle } from './documents.js';
import { applyTransition } from './engine.js';
import { CaseErrors, CaseFieldCodes } from './errors.js';
import { nextDecisionNumber } from './numbers.js';
import { planComponents, settleParallel, startParallel, type ComponentPlan } from './parallel.js';
import { backOfficeSteps, isDecidingStep } from './steps.js';
import * as store from './store.js';
import type { CaseActor, CaseRow, TaskRow } from './store.js';
import { issueResults } from './results.js';
import { openVerification } from './instant.js';
import { openStep, stepDueDate } from './tasks.js';

/*
 * The back office (后台分类审批): the item's procedure steps, one task at a time, in the case's
 * department. Every handler runs inside the dispatcher's transaction with the case row locked and
 * its version and status checked (engine.ts); reach and the actor's role were checked before.
 * Here: who holds the step, which step it is, and each action's own fields.
 *
 * Nothing here calls another service that queries on its own connection: on PGlite the
 * transaction holds the only one (docs/cases-api.md "Transactions"). Identity look-ups take the
 * transaction; what acceptance needs from the catalog is loaded beforehand (`planBackOffice`).
 */

type BackOfficeAction = 'claim' | 'release' | 'assign' | 'comment' | 'complete_step' | 'return' | 'suspend' | 'resume' | 'approve' | 'deny';

/** What starting the back office needs from other services, loaded before the accepting transaction. */
export interface BackOfficePlan {
  /** For a composite item (并联审批): each component's current guide, department and clock. */
  components: ComponentPlan[];
}

/**
 * Loads, outside any transaction, what `startBackOffice` will need: for a composite item, its
 * components' current guides, departments and clocks. 422 parallel_component_unavailable when a
 * component is no longer published.
 */
export async function planBackOffice(deps: CaseDeps, item: ItemGuide, now: Date): Promise<BackOfficePlan> {
  if (!item.parallel || item.parallel.length === 0) return { components: [] };
  return { components: await planComponents(deps, item, now) };
}

/**
 * Right after acceptance: opens the first back-office step in the case's department (team
 * queue), or, for a composite item, starts one sub-case per component and puts the main case in
 * review. Returns the case row as it now stands.
 */
export async function startBackOffice(trx: Tx, deps: CaseDeps, row: CaseRow, item: ItemGuide, actor: CaseActor, now: Date, plan: BackOfficePlan): Promise<CaseRow> {
  if (plan.components.length > 0) return startParallel(trx, deps, row, plan.components, actor, now);
  const steps = backOfficeSteps(item);
  const today = todayInShanghai(now);
  await openStep(trx, row, steps, 0, await stepDueDate(deps.calendar, today, steps[0]!.days, row.deadline));
  return trx.updateTable('cases').set({ current_step: 0 }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
}

// --- checks shared by the handlers --------------------------------------------------------------

/** The first back-office action takes an accepted case into review; later ones keep the status. */
function reviewing(status: CaseStatus): CaseStatus {
  return status === 'accepted' || status === 'accepted_with_deficiency' ? 'in_review' : status;
}

function staffId(ctx: ActionContext): string {
  if (ctx.principal.kind !== 'staff') throw CaseErrors.action_forbidden({ action: CASE_ACTION_LABELS[ctx.body.action] });
  return ctx.principal.userId;
}

async function notAssignee(ctx: ActionContext, assigneeId: string) {
  const names = await ctx.deps.identity.staffNames([assigneeId], ctx.trx);
  return CaseErrors.not_assignee({ assignee: names.get(assigneeId) ?? '其他人员' });
}

async function requireTask(ctx: ActionContext): Promise<TaskRow> {
  const task = await store.openTaskOf(ctx.trx, ctx.row.id);
  if (!task) throw CaseErrors.no_open_task();
  return task;
}

/**
 * The open task the actor acts on: theirs, or a team task they take now (claimed implicitly,
 * if they hold the step's role); 403 not_assignee when someone else holds it.
 */
async function actingTask(ctx: ActionContext): Promise<TaskRow & { claimed: boolean }> {
  const me = staffId(ctx);
  const task = await requireTask(ctx);
  if (task.assignee_id === me) return { ...task, claimed: false };
  if (task.assignee_id !== null) throw await notAssignee(ctx, task.assignee_id);
  if (!holdsRole(ctx.principal, task.role)) throw CaseErrors.action_forbidden({ action: CASE_ACTION_LABELS[ctx.body.action] });
  await store.setTaskAssignee(ctx.trx, task.id, me);
  return { ...task, assignee_id: me, claimed: true };
}

function required<T>(errors: FieldErrorSpec[], field: string, value: T | undefined | null): T | undefined {
  const blank = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  if (blank) errors.push({ field, code: CaseFieldCodes.case_required });
  return blank ? undefined : value;
}

function failIfAny(errors: FieldErrorSpec[]): void {
  if (errors.length > 0) throw invalidInput(errors);
}

function comment(ctx: ActionContext): string | null {
  const text = ctx.body.comment?.trim();
  return text ? text : null;
}

function transition(ctx: ActionContext, action: CaseAction, to: CaseStatus, extra: Partial<Parameters<typeof applyTransition>[2]> = {}) {
  return applyTransition(ctx.trx, ctx.deps, { row: ctx.row, action, to, actor: ctx.actor, now: ctx.now, comment: comment(ctx), attachments: ctx.body.attachments, ...extra });
}

// --- handlers -------------------------------------------------------------------------------------

const claim: ActionHandler = async (ctx) => {
  const me = staffId(ctx);
  const task = await requireTask(ctx);
  if (task.assignee_id !== null && task.assignee_id !== me) throw await notAssignee(ctx, task.assignee_id);
  if (!holdsRole(ctx.principal, task.role)) throw CaseErrors.action_forbidden({ action: CASE_ACTION_LABELS.claim });
  await store.setTaskAssignee(ctx.trx, task.id, me);
  return transition(ctx, 'claim', reviewing(ctx.row.status), { stepIndex: task.step_index, detail: { taskId: task.id } });
};

const release: ActionHandler = async (ctx) => {
  const me = staffId(ctx);
  const task = await requireTask(ctx);
  if (task.assignee_id === null) throw CaseErrors.task_not_held();
  if (task.assignee_id !== me) throw await notAssignee(ctx, task.assignee_id);
  await store.setTaskAssignee(ctx.trx, task.id, null);
  return transition(ctx, 'release', reviewing(ctx.row.status), { stepIndex: task.step_index, detail: { taskId: task.id } });
};

/**
 * A department admin names anyone of the department holding the step's role; an approver may
 * only take the step themselves (the same as claiming it, for a step not held by anyone else).
 */
const assign: ActionHandler = async (ctx) => {
  const me = staffId(ctx);
  const errors: FieldErrorSpec[] = [];
  const assigneeId = required(errors, 'assigneeId', ctx.body.assigneeId);
  failIfAny(errors);
  const task = await requireTask(ctx);
  if (!holdsRole(ctx.principal, 'department_admin')) {
    if (assigneeId !== me) throw CaseErrors.action_forbidden({ action: CASE_ACTION_LABELS.assign });
    if (task.assignee_id !== null && task.assignee_id !== me) throw await notAssignee(ctx, task.assignee_id);
  }
  const assignee = isStaffRole(task.role) ? await ctx.deps.identity.activeStaffMember(assigneeId!, ctx.row.department_id, task.role, ctx.trx) : null;
  if (!assignee) throw invalidInput([{ field: 'assigneeId', code: CaseFieldCodes.case_assignee_invalid }]);
  await store.setTaskAssignee(ctx.trx, task.id, assignee.id);
  return transition(ctx, 'assign', reviewing(ctx.row.status), {
    stepIndex: task.step_index,
    detail: { taskId: task.id, assigneeId: assignee.id, assigneeName: assignee.name },
  });
};

/** A remark (with attachments) on the record; it never changes the status or the task. */
const commentOnCase: ActionHandler = async (ctx) => {
  const errors: FieldErrorSpec[] = [];
  required(errors, 'comment', ctx.body.comment);
  failIfAny(errors);
  const task = await store.openTaskOf(ctx.trx, ctx.row.id);
  return transition(ctx, 'comment', ctx.row.status, { stepIndex: task?.step_index ?? null });
};

const completeStep: ActionHandler = async (ctx) => {
  const task = await actingTask(ctx);
  const steps = backOfficeSteps(ctx.item);
  if (isDecidingStep(steps, task.step_index)) throw CaseErrors.deciding_step({ step: task.step_name });
  const me = staffId(ctx);
  await store.closeTask(ctx.trx, task.id, { status: 'done', by: me, outcome: 'done', at: ctx.now });
  const nextIndex = task.step_index + 1;
  const due = await stepDueDate(ctx.deps.calendar, todayInShanghai(ctx.now), steps[nextIndex]!.days, ctx.row.deadline);
  const next = await openStep(ctx.trx, ctx.row, steps, nextIndex, due);
  return transition(ctx, 'complete_step', reviewing(ctx.row.status), {
    stepIndex: task.step_index,
    patch: { current_step: nextIndex },
    detail: { taskId: task.id, claimed: task.claimed, nextStep: nextIndex, nextTaskId: next.id, nextDue: due },
  });
};

/**
 * Sends the case back to an earlier step (退回): the current task closes as returned and the
 * earlier step opens again, with whoever finished it last if they still may take it.
 */
const returnToStep: ActionHandler = async (ctx) => {
  const errors: FieldErrorSpec[] = [];
  const toStep = required(errors, 'toStep', ctx.body.toStep);
  required(errors, 'comment', ctx.body.comment);
  failIfAny(errors);
  const task = await actingTask(ctx);
  if (task.step_index === 0) throw invalidInput([{ field: 'toStep', code: CaseFieldCodes.case_step_none }]);
  if (toStep! >= task.step_index) throw invalidInput([{ field: 'toStep', code: CaseFieldCodes.case_step_invalid, params: { max: task.step_index - 1 } }]);
  const steps = backOfficeSteps(ctx.item);
  const me = staffId(ctx);
  await store.closeTask(ctx.trx, task.id, { status: 'returned', by: me, outcome: 'returned', at: ctx.now });
  const previous = await store.lastCloserOf(ctx.trx, ctx.row.id, toStep!);
  const step = steps[toStep!]!;
  const holder = previous ? await ctx.deps.identity.activeStaffMember(previous, ctx.row.department_id, step.role, ctx.trx) : null;
  const due = await stepDueDate(ctx.deps.calendar, todayInShanghai(ctx.now), step.days, ctx.row.deadline);
  const reopened = await openStep(ctx.trx, ctx.row, steps, toStep!, due, holder?.id ?? null);
  return transition(ctx, 'return', reviewing(ctx.row.status), {
    stepIndex: task.step_index,
    patch: { current_step: toStep! },
    detail: { taskId: task.id, toStep, reopenedTaskId: reopened.id, assigneeId: holder?.id ?? null },
  });
};

/** What a running special procedure records (cases.suspension). */
interface Suspension {
  procedure: string;
  reason: string;
  expectedDays: number | null;
  since: string;
  /** The status to return to on resume. */
  fromStatus: CaseStatus;
  startedBy: string;
}

/**
 * Starts a special procedure (特别程序: extension, expert review, hearing …): the clock stops at
 * today and the task stays open; its working days are added to the deadline on resume.
 */
const suspend: ActionHandler = async (ctx) => {
  const errors: FieldErrorSpec[] = [];
  const procedure = required(errors, 'procedure', ctx.body.procedure);
  const reason = required(errors, 'reason', ctx.body.reason);
  failIfAny(errors);
  const task = await actingTask(ctx);
  const today = todayInShanghai(ctx.now);
  const suspension: Suspension = {
    procedure: procedure!,
    reason: reason!.trim(),
    expectedDays: ctx.body.expectedDays ?? null,
    since: today,
    // suspending is itself back-office work: the case comes back in review
    fromStatus: reviewing(ctx.row.status),
    startedBy: ctx.actor.name,
  };
  return transition(ctx, 'suspend', 'suspended', {
    stepIndex: task.step_index,
    patch: { suspended_since: today, suspension: JSON.stringify(suspension) },
    detail: { procedure: suspension.procedure, reason: suspension.reason, expectedDays: suspension.expectedDays, claimed: task.claimed },
  });
};

/**
 * Ends the special procedure: its working days (after the day it started, up to today) join
 * `suspended_workdays`, so the deadline moves out by as many working days (applyTransition
 * recomputes it), and the open step's due date moves with it. Like starting one, only the
 * holder of the open step may end it (403 not_assignee for anyone else).
 */
const resume: ActionHandler = async (ctx) => {
  const since = ctx.row.suspended_since;
  const suspension = ctx.row.suspension as Partial<Suspension> | null;
  const today = todayInShanghai(ctx.now);
  const days = since ? await ctx.deps.calendar.workdaysBetween(since, today) : 0;
  const task = await actingTask(ctx);
  const updated = await transition(ctx, 'resume', suspension?.fromStatus ?? 'in_review', {
    stepIndex: task.step_index,
    patch: { suspended_since: null, suspension: null, suspended_workdays: ctx.row.suspended_workdays + days },
    detail: { procedure: suspension?.procedure ?? null, since, until: today, workdays: days },
  });
  if (days > 0) {
    await store.setTaskDueDate(ctx.trx, task.id, await stepDueDate(ctx.deps.calendar, task.due_date, days, updated.deadline));
  }
  return updated;
};

/**
 * approve / deny at the deciding step: a decision number from the department's yearly sequence
 * (same transaction, so none is skipped), the decision notice, the pickup code when the
 * applicant collects at the window, and, for a sub-case, the main case's completion check.
 */
function decide(outcome: 'approved' | 'denied'): ActionHandler {
  return async (ctx) => {
    if (ctx.item.parallel && ctx.item.parallel.length > 0) throw CaseErrors.sub_cases_pending();
    const errors: FieldErrorSpec[] = [];
    const reason = outcome === 'denied' ? required(errors, 'reason', ctx.body.reason) : undefined;
    failIfAny(errors);
    const task = await actingTask(ctx);
    const steps = backOfficeSteps(ctx.item);
    if (!isDecidingStep(steps, task.step_index)) throw CaseErrors.not_final_step({ step: task.step_name });
    if (outcome === 'approved' && !ctx.item.decideWhileOwed) {
      const owed = await store.outstandingOwed(ctx.trx, ctx.row.id);
      if (owed > 0) throw CaseErrors.owed_materials_outstanding({ count: owed });
    }
    const me = staffId(ctx);
    const today = todayInShanghai(ctx.now);
    const number = await nextDecisionNumber(ctx.trx, ctx.row.department_id, ctx.item.departmentName, Number(today.slice(0, 4)));
    await store.closeTask(ctx.trx, task.id, { status: 'done', by: me, outcome, at: ctx.now });
    const legalBasis = ctx.body.legalBasis?.trim() ? [ctx.body.legalBasis.trim()] : ctx.item.legalBasis.map((b) => (b.article ? `${b.title}${b.article}` : b.title));
    const notice = await store.insertNotice(ctx.trx, {
      caseId: ctx.row.id,
      kind: 'decision',
      number,
      createdBy: me,
      content: {
        title: decisionTitle(ctx.item.type, outcome),
        outcome,
        number,
        itemName: ctx.row.item_name,
        itemCode: ctx.row.item_code,
        itemType: ctx.item.type,
        departmentName: ctx.item.departmentName,
        decidedOn: today,
        reasons: reason?.trim() ?? null,
        comment: comment(ctx),
        legalBasis,
        results: outcome === 'approved' ? ctx.item.results.map((r) => r.name) : [],
      },
    });
    const updated = await transition(ctx, outcome === 'approved' ? 'approve' : 'deny', outcome, {
      stepIndex: task.step_index,
      patch: {
        decision: outcome,
        decision_number: number,
        decided_at: ctx.now,
        closed_at: ctx.now,
        delivery: JSON.stringify(withPickupCode(ctx.row.delivery)),
      },
      detail: { taskId: task.id, claimed: task.claimed, decisionNumber: number, noticeId: notice.id, ...(reason ? { reason: reason.trim() } : {}) },
    });
    if (outcome === 'approved') await issueResults(ctx.trx, ctx.deps.results, updated, ctx.item);
    // 告知承诺: approved without the materials committed to; the verification follows
    if (outcome === 'approved') await openVerification(ctx.trx, ctx.deps, updated, ctx.item, ctx.now);
    if (updated.parent_id) await settleParallel(ctx.trx, ctx.deps, updated.parent_id, ctx.now);
    return updated;
  };
}

export const backOfficeHandlers: Record<BackOfficeAction, ActionHandler> = {
  claim,
  release,
  assign,
  comment: commentOnCase,
  complete_step: completeStep,
  return: returnToStep,
  suspend,
  resume,
  approve: decide('approved'),
  deny: decide('denied'),
};
