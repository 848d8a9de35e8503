import type { Tx } from '../../platform/db/database.js';
import { addDays } from '../../platform/time.js';
import type { CalendarService } from '../calendar/service.js';
import type { ProcedureStep } from '../catalog/schemas.js';
import { unlessCalendarGap } from './clock.js';
import * as store from './store.js';
import type { CaseRow, TaskRow } from './store.js';

/**
 * A step's due date: its working days counted from the day it opens, never later than the case's
 * own deadline. A year the calendar does not hold yet (calendar_not_published) must not stop a
 * case from moving on: the step is then due `days` calendar days on, which is never later than
 * the working-day count would be, and the deadline itself is filled in later (clock.ts).
 */
export async function stepDueDate(calendar: CalendarService, openedOn: string, days: number, caseDeadline: string | null): Promise<string> {
  const due = await unlessCalendarGap(calendar.deadline(openedOn, days), addDays(openedOn, days));
  return caseDeadline !== null && caseDeadline < due ? caseDeadline : due;
}

/** Opens step `index` of `steps` for the case, in the team queue unless `assigneeId` is given. */
export async function openStep(
  trx: Tx,
  row: Pick<CaseRow, 'id' | 'department_id' | 'priority'>,
  steps: readonly ProcedureStep[],
  index: number,
  dueDate: string,
  assigneeId: string | null = null,
): Promise<TaskRow> {
  const step = steps[index]!;
  return store.insertTask(trx, {
    caseId: row.id,
    departmentId: row.department_id,
    stepIndex: index,
    stepName: step.name,
    role: step.role,
    dueDate,
    priority: row.priority,
    assigneeId,
  });
}
