import type { ItemGuide } from '../catalog/public-schemas.js';
import type { ProcedureStep } from '../catalog/schemas.js';

/**
 * The back-office steps of an item version (后台分类审批): its procedure steps except those the
 * comprehensive window does itself (受理 at the front desk, 送达 at delivery). The last one is the
 * deciding step. An item whose procedure names no back-office step still needs someone to
 * decide: one implicit step for the department's approvers, with the promised time limit.
 */
export function backOfficeSteps(item: Pick<ItemGuide, 'procedure' | 'promisedDays' | 'caseKind'>): ProcedureStep[] {
  const steps = item.procedure.filter((step) => step.role !== 'window_clerk');
  if (steps.length > 0) return steps;
  return [{ name: '审查决定', role: 'approver', days: item.caseKind === '1' ? 0 : item.promisedDays }];
}

/** Whether step `index` is the one where the decision (approve / deny) is taken. */
export function isDecidingStep(steps: readonly ProcedureStep[], index: number): boolean {
  return index === steps.length - 1;
}
