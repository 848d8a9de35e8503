import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.js';
import { AppError } from '../../platform/http/errors.js';
import { todayInShanghai } from '../../platform/time.js';
import { CLOCK_STATUSES } from '../../shared/case-codes.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { CaseDeps } from './actions.js';
import { deadlineFor, unlessCalendarGap } from './clock.js';
import { withPickupCode } from './delivery.js';
import { COMPOSITE_RESULT_TITLE } from './documents.js';
import { applyTransition, recordCreated } from './engine.js';
import { CaseErrors } from './errors.js';
import { nextCaseNumber } from './numbers.js';
import { backOfficeSteps } from './steps.js';
import * as store from './store.js';
import type { CaseActor, CaseRow } from './store.js';
import { openStep, stepDueDate } from './tasks.js';

/*
 * Parallel approval (并联审批). A composite item (`parallel` in its content) is one application
 * handled by several departments at once: acceptance starts one sub-case per component in the
 * component's department, with the component's current guide, its own steps and its own clock,
 * and a copy of the shared application (form and materials). Each department reaches only its
 * sub-case (reach is by the case's department). The main case waits in review and is decided
 * by the platform once every required sub-case is decided.
 */

/** The platform deciding a main case: not a person. */
export const SYSTEM_CASE_ACTOR: CaseActor = { kind: 'system', id: null, name: '系统', ip: null };

/** One component, loaded before the accepting transaction (`planBackOffice`). */
export interface ComponentPlan {
  guide: ItemGuide;
  required: boolean;
  regionPath: string;
  /** The sub-case's deadline from today's acceptance; null while the calendar lacks the year. */
  deadline: string | null;
  firstStepDue: string;
}

export async function planComponents(deps: CaseDeps, item: ItemGuide, now: Date): Promise<ComponentPlan[]> {
  const today = todayInShanghai(now);
  const plans: ComponentPlan[] = [];
  for (const component of item.parallel ?? []) {
    const guide = await deps.catalogQuery.guide(component.implementationCode).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'item_not_found') throw CaseErrors.parallel_component_unavailable({ itemCode: component.implementationCode });
      throw error;
    });
    const scope = await deps.departmentScope(guide.departmentId);
    const deadline = await unlessCalendarGap(deadlineFor(deps.calendar, today, guide.caseKind, guide.promisedDays, 0), null);
    const firstStepDue = await stepDueDate(deps.calendar, today, backOfficeSteps(guide)[0]!.days, deadline);
    plans.push({ guide, required: component.required, regionPath: scope.regionPath, deadline, firstStepDue });
  }
  return plans;
}

/**
 * Starts the sub-cases of an accepted main case and puts the main case in review. Sub-case
 * numbers are taken in this transaction (not in one of their own, as for a submission): the
 * counter row stays locked until acceptance commits, which only delays other cases of the
 * same component on the same day by that long.
 */
export async function startParallel(trx: Tx, deps: CaseDeps, main: CaseRow, components: readonly ComponentPlan[], actor: CaseActor, now: Date): Promise<CaseRow> {
  const today = todayInShanghai(now);
  const started: string[] = [];
  for (const plan of components) {
    const { guide } = plan;
    const caseNumber = await nextCaseNumber(trx, guide.implementationCode, today);
    const sub = await trx
      .insertInto('cases')
      .values({
        case_number: caseNumber,
        parent_id: main.id,
        required: plan.required,
        item_code: guide.implementationCode,
        item_version: guide.version,
        item_name: guide.name,
        department_id: guide.departmentId,
        region_path: plan.regionPath,
        channel: main.channel,
        applicant_user_id: main.applicant_user_id,
        applicant_kind: main.applicant_kind,
        applicant_name: main.applicant_name,
        applicant_identifier: main.applicant_identifier,
        applicant_phone: main.applicant_phone,
        filed_by: main.filed_by,
        hall_id: main.hall_id,
        form: JSON.stringify(main.form),
        commitment: main.commitment === null ? null : JSON.stringify(main.commitment),
        status: 'accepted',
        case_kind: guide.caseKind,
        promised_days: guide.promisedDays,
        priority: main.priority,
        submitted_at: main.submitted_at,
        accepted_at: now,
        accepted_on: today,
        deadline: plan.deadline,
        current_step: 0,
        delivery: main.delivery === null ? null : JSON.stringify(main.delivery),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // The shared application: every department reads the same materials as filed and checked.
    await sql`
      INSERT INTO case_materials (case_id, material_id, name, source, file_id, license_id, shared_data, verdict, verdict_reason, owed, owed_due, supplied_at)
      SELECT ${sub.id}, material_id, name, source, file_id, license_id, shared_data, verdict, verdict_reason, owed, owed_due, supplied_at
      FROM case_materials WHERE case_id = ${main.id} ORDER BY created_at, id`.execute(trx);
    await recordCreated(trx, sub, 'start', actor, now, { parentCaseNumber: main.case_number, required: plan.required });
    await openStep(trx, sub, backOfficeSteps(guide), 0, plan.firstStepDue);
    started.push(caseNumber);
  }
  return applyTransition(trx, deps, { row: main, action: 'start', to: 'in_review', actor, now, detail: { subCases: started } });
}

/**
 * After a sub-case is decided, in the same transaction: once every required sub-case is
 * decided, the platform decides the main case ('complete'): approved when all of them were
 * approved, else denied with the denied ones as the reasons. Optional sub-cases never hold it
 * up; sub-cases are withdrawn only with their main case, which then waits for nothing. A main
 * case already decided (a late optional sub-case) is read without a lock, so this never waits on
 * a main case being delivered while that delivery waits on this sub-case.
 */
export async function settleParallel(trx: Tx, deps: CaseDeps, parentId: string, now: Date): Promise<void> {
  const glance = await trx.selectFrom('cases').select(['case_number', 'decision']).where('id', '=', parentId).executeTakeFirst();
  if (!glance || glance.decision !== null) return;
  const main = await store.lockCase(trx, glance.case_number);
  if (!main || main.decision !== null || !CLOCK_STATUSES.includes(main.status)) return;

  const subs = await trx
    .selectFrom('cases')
    .select(['case_number', 'item_name', 'department_id', 'required', 'status', 'decision', 'decision_number'])
    .where('parent_id', '=', main.id)
    .orderBy('case_number')
    .execute();
  const required = subs.filter((s) => s.required);
  const waitingOn = required.length > 0 ? required : subs;
  if (waitingOn.some((s) => s.decision === null)) return;

  const outcome = waitingOn.every((s) => s.decision === 'approved') ? 'approved' : 'denied';
  const denied = waitingOn.filter((s) => s.decision !== 'approved');
  const reasons = denied.length > 0 ? `以下必办子事项未获准予：${denied.map((s) => `${s.item_name}（${s.case_number}）`).join('；')}` : null;
  const today = todayInShanghai(now);
  const notice = await store.insertNotice(trx, {
    caseId: main.id,
    kind: 'decision',
    createdBy: null,
    content: {
      title: COMPOSITE_RESULT_TITLE,
      outcome,
      itemName: main.item_name,
      itemCode: main.item_code,
      decidedOn: today,
      reasons,
      subCases: subs.map((s) => ({
        caseNumber: s.case_number,
        itemName: s.item_name,
        departmentId: s.department_id,
        required: s.required,
        status: s.status,
        decision: s.decision,
        decisionNumber: s.decision_number,
      })),
    },
  });
  await applyTransition(trx, deps, {
    row: main,
    action: 'complete',
    to: outcome,
    actor: SYSTEM_CASE_ACTOR,
    now,
    comment: reasons,
    patch: { decision: outcome, decided_at: now, closed_at: now, delivery: JSON.stringify(withPickupCode(main.delivery)) },
    detail: { noticeId: notice.id, subCases: subs.map((s) => ({ caseNumber: s.case_number, required: s.required, decision: s.decision })) },
  });
}
