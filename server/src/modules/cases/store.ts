import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { CaseHistoryTable, CaseNoticeTable, CaseStatus, CaseTable, CaseTaskTable, NoticeKind } from '../../platform/db/schema.js';

/** Queries over the case module's own tables (cases, case_*). No other module reads them. */

export type CaseRow = Selectable<CaseTable>;

export async function findCase(db: Executor, caseNumber: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('case_number', '=', caseNumber).executeTakeFirst();
}

/** The case row, locked for the rest of the transaction: staff actions on one case queue here. */
export async function lockCase(db: Executor, caseNumber: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('case_number', '=', caseNumber).forUpdate().executeTakeFirst();
}

export interface HistoryEntry {
  caseId: string;
  action: string;
  fromStatus: CaseStatus | null;
  status: CaseStatus;
  actor: CaseActor;
  comment?: string | null;
  attachments?: string[];
  detail?: Record<string, unknown>;
  stepIndex?: number | null;
  elapsedWorkdays?: number | null;
}

/** Who acts on a case, as the history shows them (a name, never an ID number). */
export interface CaseActor {
  kind: CaseHistoryTable['actor_kind'];
  id: string | null;
  name: string;
  ip: string | null;
}

export async function insertHistory(db: Executor, entry: HistoryEntry): Promise<void> {
  await db.insertInto('case_history').values(historyRow(entry)).execute();
}

export function historyRow(entry: HistoryEntry): Insertable<CaseHistoryTable> {
  return {
    case_id: entry.caseId,
    action: entry.action,
    from_status: entry.fromStatus,
    status: entry.status,
    actor_id: entry.actor.id,
    actor_kind: entry.actor.kind,
    actor_name: entry.actor.name,
    comment: entry.comment ?? null,
    attachments: entry.attachments ?? [],
    detail: JSON.stringify(entry.detail ?? {}),
    step_index: entry.stepIndex ?? null,
    elapsed_workdays: entry.elapsedWorkdays ?? null,
  };
}

// --- back-office tasks (case_tasks) -----------------------------------------------------------

export type TaskRow = Selectable<CaseTaskTable>;

export interface NewTask {
  caseId: string;
  departmentId: string;
  stepIndex: number;
  stepName: string;
  role: string;
  dueDate: string;
  priority: number;
  assigneeId: string | null;
}

export async function insertTask(db: Executor, task: NewTask): Promise<TaskRow> {
  return db
    .insertInto('case_tasks')
    .values({
      case_id: task.caseId,
      department_id: task.departmentId,
      step_index: task.stepIndex,
      step_name: task.stepName,
      role: task.role,
      due_date: task.dueDate,
      priority: task.priority,
      assignee_id: task.assigneeId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The case's open task: steps run in order, so there is at most one. */
export async function openTaskOf(db: Executor, caseId: string): Promise<TaskRow | undefined> {
  return db.selectFrom('case_tasks').selectAll().where('case_id', '=', caseId).where('status', '=', 'open').executeTakeFirst();
}

export async function setTaskAssignee(db: Executor, taskId: string, assigneeId: string | null): Promise<void> {
  await db.updateTable('case_tasks').set({ assignee_id: assigneeId }).where('id', '=', taskId).execute();
}

export async function setTaskDueDate(db: Executor, taskId: string, dueDate: string): Promise<void> {
  await db.updateTable('case_tasks').set({ due_date: dueDate }).where('id', '=', taskId).execute();
}

export async function closeTask(db: Executor, taskId: string, close: { status: 'done' | 'returned' | 'cancelled'; by: string | null; outcome: string; at: Date }): Promise<void> {
  await db.updateTable('case_tasks').set({ status: close.status, closed_by: close.by, outcome: close.outcome, closed_at: close.at }).where('id', '=', taskId).execute();
}

/** Who last finished step `stepIndex` of the case: a returned step goes back to them. */
export async function lastCloserOf(db: Executor, caseId: string, stepIndex: number): Promise<string | null> {
  const row = await db
    .selectFrom('case_tasks')
    .select('closed_by')
    .where('case_id', '=', caseId)
    .where('step_index', '=', stepIndex)
    .where('status', '=', 'done')
    .orderBy('closed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.closed_by ?? null;
}

/** Owed materials (容缺) not yet supplied. */
export async function outstandingOwed(db: Executor, caseId: string): Promise<number> {
  const row = await db
    .selectFrom('case_materials')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('case_id', '=', caseId)
    .where('owed', '=', true)
    .where('supplied_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// --- notices (case_notices) -------------------------------------------------------------------

export type NoticeRow = Selectable<CaseNoticeTable>;

export interface NewNotice {
  caseId: string;
  kind: NoticeKind;
  number?: string | null;
  content: Record<string, unknown>;
  breach?: boolean;
  createdBy: string | null;
}

export async function insertNotice(db: Executor, notice: NewNotice): Promise<NoticeRow> {
  return db.insertInto('case_notices').values(noticeRow(notice)).returningAll().executeTakeFirstOrThrow();
}

export function noticeRow(notice: NewNotice): Insertable<CaseNoticeTable> {
  return {
    case_id: notice.caseId,
    kind: notice.kind,
    number: notice.number ?? null,
    content: JSON.stringify(notice.content),
    breach: notice.breach ?? false,
    created_by: notice.createdBy,
  };
}

export async function findNotice(db: Executor, caseId: string, noticeId: string): Promise<NoticeRow | undefined> {
  return db.selectFrom('case_notices').selectAll().where('case_id', '=', caseId).where('id', '=', noticeId).executeTakeFirst();
}
