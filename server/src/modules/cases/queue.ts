import { Type, type Static } from 'typebox';
import type { Db } from '../../platform/db/database.js';
import type { StaffPrincipal } from '../../platform/auth/principal.js';
import { decodeCursor, page, PageQuery } from '../../platform/http/pagination.js';
import { todayInShanghai } from '../../platform/time.js';
import { maskName } from '../../shared/identifiers.js';
import type { IdentityService } from '../identity/service.js';
import type { TaskQueueItem } from './schemas.js';

/*
 * The approver's workbench (审批工作台): the open back-office tasks of the department, either those
 * assigned to the caller (`mine`) or those in the team queue for a role the caller holds (`team`;
 * a department admin, who hands work out, sees the whole team queue). Green channel first, then
 * the earliest due date — so overdue work leads — then the task id; a keyset cursor over those
 * three, served by the partial indexes case_tasks_queue / case_tasks_assignee.
 */

export const TaskQueueQuery = Type.Object({
  queue: Type.Optional(Type.Enum(['mine', 'team'] as const, { default: 'mine', description: 'mine：指派给我的；team：本部门团队队列（未指派）' })),
  ...PageQuery.properties,
});
export type TaskQueueQuery = Static<typeof TaskQueueQuery>;

// The row's schema lives in schemas.ts, which the web app imports (this file reaches the database layer).
export { TaskQueueItem } from './schemas.js';

/** The last row's priority, due date and task id. */
type Cursor = { p: number; d: string; i: string };

export class Workbench {
  constructor(
    private readonly db: Db,
    private readonly identity: IdentityService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async tasks(principal: StaffPrincipal, query: TaskQueueQuery): Promise<{ items: TaskQueueItem[]; nextCursor: string | null }> {
    const limit = query.limit ?? 20;
    const rows = await this.pageQuery(principal, query).execute();
    const result = page(rows, limit, (r) => ({ p: r.priority, d: r.due_date, i: r.id }));
    // the caller's own name is known; only other assignees (a department admin's view) are looked up
    const others = result.items.flatMap((r) => (r.assignee_id && r.assignee_id !== principal.userId ? [r.assignee_id] : []));
    const names = await this.identity.staffNames(others);
    names.set(principal.userId, principal.name);
    const today = todayInShanghai(this.now());
    return {
      items: result.items.map((r) => ({
        taskId: r.id,
        caseNumber: r.case_number,
        itemName: r.item_name,
        stepName: r.step_name,
        stepIndex: r.step_index,
        dueDate: r.due_date,
        overdue: today > r.due_date,
        caseDeadline: r.deadline,
        status: r.status,
        assignee: r.assignee_id ? { id: r.assignee_id, name: names.get(r.assignee_id) ?? '' } : null,
        applicantName: maskName(r.applicant_name),
        priority: r.priority,
      })),
      nextCursor: result.nextCursor,
    };
  }

  /** The query of one page (limit + 1 rows), as `tasks` runs it: public for the benchmark's baseline. */
  pageQuery(principal: StaffPrincipal, query: TaskQueueQuery) {
    const limit = query.limit ?? 20;
    const after = decodeCursor<Cursor>(query.cursor, { p: 'integer', d: 'string', i: 'string' });
    let q = this.db
      .selectFrom('case_tasks as t')
      .innerJoin('cases as c', 'c.id', 't.case_id')
      .select([
        't.id',
        't.step_name',
        't.step_index',
        't.due_date',
        't.assignee_id',
        't.priority',
        'c.case_number',
        'c.item_name',
        'c.deadline',
        'c.status',
        'c.applicant_name',
      ])
      .where('t.status', '=', 'open');
    if ((query.queue ?? 'mine') === 'mine') {
      q = q.where('t.assignee_id', '=', principal.userId);
    } else {
      q = q.where('t.department_id', '=', principal.departmentId).where('t.assignee_id', 'is', null);
      if (!principal.roles.includes('department_admin')) q = q.where('t.role', 'in', principal.roles);
    }
    if (after) {
      // (priority DESC, due_date, id) > the cursor's, spelled out: a row comparison cannot mix directions
      q = q.where((eb) =>
        eb.or([
          eb('t.priority', '<', after.p),
          eb.and([eb('t.priority', '=', after.p), eb.or([eb('t.due_date', '>', after.d), eb.and([eb('t.due_date', '=', after.d), eb('t.id', '>', after.i)])])]),
        ]),
      );
    }
    return q.orderBy('t.priority', 'desc').orderBy('t.due_date').orderBy('t.id').limit(limit + 1);
  }
}
