import type { Principal } from '../../platform/auth/principal.js';
import { CASE_ACTIONS, type CaseAction } from '../../shared/case-codes.js';
import { maskIdNumber, maskName, maskPhone } from '../../shared/identifiers.js';
import type { Db } from '../../platform/db/database.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { CalendarService } from '../calendar/service.js';
import type { IdentityService } from '../identity/service.js';
import { actsAs, holdsRole, isOwner, mayTake } from './access.js';
import { isOverdue, readClock } from './clock.js';
import { isAllowedIn } from './engine.js';
import type { CaseDetail, CaseSummary } from './schemas.js';
import { backOfficeSteps, isDecidingStep } from './steps.js';
import type { CaseRow, TaskRow } from './store.js';

/*
 * How a case reads: the list row (CaseSummary) and the full record (CaseDetail) for one caller.
 * What depends on who asks: staff see applicants' names masked in lists; only the owner sees
 * the pickup code; `allowedActions` is what this caller may do now (the web app shows exactly
 * these buttons, and the service enforces the same rules).
 */

export function summaryOf(row: CaseRow, departmentName: string, parentCaseNumber: string | null, today: string, maskApplicant: boolean): CaseSummary {
  return {
    caseNumber: row.case_number,
    itemCode: row.item_code,
    itemName: row.item_name,
    status: row.status,
    version: row.version,
    submittedAt: row.submitted_at.toISOString(),
    acceptedAt: row.accepted_at ? row.accepted_at.toISOString() : null,
    deadline: row.deadline,
    overdue: isOverdue(row, today),
    departmentId: row.department_id,
    departmentName,
    applicantName: maskApplicant ? maskName(row.applicant_name) : row.applicant_name,
    channel: row.channel,
    parentCaseNumber,
  };
}

/**
 * Whether the state of the case's work (beyond its status) admits the action for this caller:
 * back-office actions need the current step's task and, unless it sits in the team queue for a
 * role the caller holds, its assignment to the caller; approve and deny only on the deciding
 * step, complete_step only before it.
 */
function workAdmits(action: CaseAction, principal: Principal, row: CaseRow, item: ItemGuide, task: TaskRow | undefined): boolean {
  const me = principal.kind === 'staff' ? principal.userId : null;
  const teamTask = task !== undefined && task.assignee_id === null && holdsRole(principal, task.role);
  const mine = task !== undefined && task.assignee_id === me;
  const workable = mine || teamTask;
  const deciding = task !== undefined && isDecidingStep(backOfficeSteps(item), task.step_index);
  switch (action) {
    case 'withdraw':
      return row.parent_id === null;
    case 'supply':
      return row.owed_count > 0;
    case 'claim':
      return teamTask;
    case 'release':
      return mine;
    case 'assign':
      if (task === undefined) return false;
      return actsAs(principal, row, 'department_admin') || teamTask;
    case 'complete_step':
      return workable && !deciding;
    case 'return':
      return workable && task.step_index > 0;
    case 'suspend':
    case 'resume':
      return workable;
    case 'approve':
      return workable && deciding && (row.owed_count === 0 || item.decideWhileOwed === true);
    case 'deny':
      return workable && deciding;
    default:
      return true;
  }
}

export function allowedActions(principal: Principal, row: CaseRow, item: ItemGuide, openTask: TaskRow | undefined): CaseAction[] {
  return CASE_ACTIONS.filter((action) => isAllowedIn(action, row.status) && mayTake(principal, row, action) && workAdmits(action, principal, row, item, openTask));
}

export interface DetailDeps {
  db: Db;
  calendar: CalendarService;
  identity: IdentityService;
  /** Names of these departments (the case's, its sub-cases'). */
  departmentNames(ids: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

type Json = Record<string, unknown>;

const NOTICE_ORDER = ['acceptance', 'deficiency', 'correction', 'not_accepted', 'decision'];

/** The delivery record without the pickup code, which only the owner is shown (`pickupCode`). */
function splitDelivery(delivery: Json | null): { delivery: Json | null; pickupCode: string | null } {
  if (!delivery) return { delivery: null, pickupCode: null };
  const { pickupCode, ...rest } = delivery;
  return { delivery: rest, pickupCode: typeof pickupCode === 'string' ? pickupCode : null };
}

export async function detailOf(deps: DetailDeps, principal: Principal, row: CaseRow, item: ItemGuide, today: string): Promise<CaseDetail> {
  const { db } = deps;
  const [materials, notices, tasks, history, subCases, parent] = await Promise.all([
    db.selectFrom('case_materials').selectAll().where('case_id', '=', row.id).execute(),
    db.selectFrom('case_notices').selectAll().where('case_id', '=', row.id).execute(),
    db.selectFrom('case_tasks').selectAll().where('case_id', '=', row.id).orderBy('opened_at').orderBy('id').execute(),
    db.selectFrom('case_history').selectAll().where('case_id', '=', row.id).orderBy('id').execute(),
    db.selectFrom('cases').select(['case_number', 'item_name', 'department_id', 'status', 'required', 'deadline']).where('parent_id', '=', row.id).orderBy('case_number').execute(),
    row.parent_id ? db.selectFrom('cases').select('case_number').where('id', '=', row.parent_id).executeTakeFirst() : Promise.resolve(undefined),
  ]);
  const verification = row.commitment ? await db.selectFrom('case_verifications').select(['status', 'due_date', 'finding', 'decided_at']).where('case_id', '=', row.id).executeTakeFirst() : undefined;
  const automatic = [...history].reverse().find((h) => h.action === 'instant_decision' || h.action === 'instant_routed');
  // rows written in one transaction share its timestamp: the item's own order, and the order a
  // notice pair is issued in (acceptance, then deficiency), say which comes first
  const position = new Map(item.materials.map((m, i) => [m.id, i]));
  materials.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (position.get(a.material_id) ?? 0) - (position.get(b.material_id) ?? 0));
  notices.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || NOTICE_ORDER.indexOf(a.kind) - NOTICE_ORDER.indexOf(b.kind));
  const assignees = await deps.identity.staffNames(tasks.flatMap((t) => (t.assignee_id ? [t.assignee_id] : [])));
  const departments = await deps.departmentNames([...new Set([row.department_id, ...subCases.map((s) => s.department_id)])]);
  const openTask = tasks.find((t) => t.status === 'open' && (row.current_step === null || t.step_index === row.current_step)) ?? tasks.find((t) => t.status === 'open');
  const owner = isOwner(principal, row);
  const { delivery, pickupCode } = splitDelivery(row.delivery);
  const steps = backOfficeSteps(item);

  return {
    caseNumber: row.case_number,
    itemCode: row.item_code,
    itemName: row.item_name,
    itemVersion: row.item_version,
    status: row.status,
    version: row.version,
    channel: row.channel,
    submittedAt: row.submitted_at.toISOString(),
    acceptedAt: row.accepted_at ? row.accepted_at.toISOString() : null,
    deadline: row.deadline,
    department: { id: row.department_id, name: departments.get(row.department_id) ?? '' },
    applicant: {
      kind: row.applicant_kind,
      name: row.applicant_name,
      // a credit code is public (the national enterprise credit system shows it); an ID number is not
      identifierMasked: row.applicant_kind === 'natural' ? maskIdNumber(row.applicant_identifier) : row.applicant_identifier,
      phoneMasked: row.applicant_phone ? maskPhone(row.applicant_phone) : null,
    },
    form: row.form,
    commitment: row.commitment,
    materials: materials.map((m) => ({
      id: m.id,
      materialId: m.material_id,
      name: m.name,
      source: m.source,
      fileId: m.file_id,
      licenseId: m.license_id,
      resourceId: typeof m.shared_data?.resourceId === 'string' ? m.shared_data.resourceId : null,
      verdict: m.verdict,
      verdictReason: m.verdict_reason,
      owed: m.owed,
      owedDue: m.owed_due,
      suppliedAt: m.supplied_at ? m.supplied_at.toISOString() : null,
    })),
    notices: notices.map((n) => ({ id: n.id, kind: n.kind, number: n.number, createdAt: n.created_at.toISOString(), breach: n.breach, content: n.content })),
    tasks: tasks.map((t) => ({
      id: t.id,
      stepIndex: t.step_index,
      stepName: t.step_name,
      role: t.role,
      assignee: t.assignee_id ? { id: t.assignee_id, name: assignees.get(t.assignee_id) ?? '' } : null,
      status: t.status,
      openedAt: t.opened_at.toISOString(),
      dueDate: t.due_date,
      closedAt: t.closed_at ? t.closed_at.toISOString() : null,
      outcome: t.outcome,
    })),
    currentStep: row.current_step,
    steps: steps.map((s, index) => ({ index, name: s.name, role: s.role, days: s.days })),
    clock: await readClock(deps.calendar, row, today),
    suspension: row.suspension,
    decision: row.decision && row.decided_at ? { outcome: row.decision, number: row.decision_number, decidedAt: row.decided_at.toISOString() } : null,
    delivery,
    pickupCode: owner ? pickupCode : null,
    parent: parent ? { caseNumber: parent.case_number } : null,
    subCases: subCases.map((s) => ({
      caseNumber: s.case_number,
      itemName: s.item_name,
      departmentName: departments.get(s.department_id) ?? '',
      status: s.status,
      required: s.required,
      deadline: s.deadline,
    })),
    allowedActions: allowedActions(principal, row, item, openTask),
    history: history.map((h) => ({
      action: h.action,
      fromStatus: h.from_status,
      status: h.status,
      at: h.at.toISOString(),
      actor: h.actor_name,
      actorKind: h.actor_kind,
      comment: h.comment,
      stepIndex: h.step_index,
      elapsedWorkdays: h.elapsed_workdays,
      attachments: h.attachments,
      detail: h.detail,
    })),
    // only on the cases that have them: every other case's detail reads as before
    ...(automatic ? { automaticDecision: (automatic.detail as { decision?: Record<string, unknown> }).decision ?? null } : {}),
    ...(verification ? { verification: { status: verification.status, dueDate: verification.due_date, finding: verification.finding, decidedAt: verification.decided_at?.toISOString() ?? null } } : {}),
  };
}
