/**
 * Reminders of materials owed under 容缺受理: on the day an owed material falls due, and once it is
 * overdue, the applicant is reminded (a `case.owed_reminder` event; the events dispatcher turns
 * it into the in-app message and the text). Each case gets at most one reminder of each kind,
 * however many of its materials fall due and however many instances sweep: a sweep claims a
 * case by inserting its `case_owed_reminders` row (ON CONFLICT DO NOTHING … RETURNING) in the
 * transaction that records the event, so a second sweeper waits on the first's insert, finds the
 * row and skips it; if the first rolls back, the second sends instead.
 */
import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import type { CaseStatus } from '../../platform/db/schema.js';
import { todayInShanghai } from '../../platform/time.js';
import { startLoop, type BackgroundLoop } from '../../platform/background.js';
import type { EventLog } from '../events/senders.js';
import { CASE_OWED_REMINDER, writeEvent, type CaseOwedReminder, type OwedReminderKind } from '../events/outbox.js';
import { ALLOWED_IN } from './engine.js';

/** Statuses in which the applicant can still supply what is owed: the only ones worth a reminder. */
const SUPPLYING_STATUSES: readonly CaseStatus[] = ALLOWED_IN.supply;

export interface OwedReminderRound {
  due: number;
  overdue: number;
  /** A batch came full: more cases may be waiting. */
  more: boolean;
}

/** One batch of each kind at `now` (civil date in Asia/Shanghai). */
export async function sendOwedReminders(db: Db, now: Date, limit = 200): Promise<OwedReminderRound> {
  const today = todayInShanghai(now);
  const due = await db.transaction().execute((trx) => remind(trx, 'due', today, now, limit));
  const overdue = await db.transaction().execute((trx) => remind(trx, 'overdue', today, now, limit));
  return { due, overdue, more: due >= limit || overdue >= limit };
}

async function remind(trx: Tx, kind: OwedReminderKind, today: string, now: Date, limit: number): Promise<number> {
  const dueClause = kind === 'due' ? sql`m.owed_due = ${today}::date` : sql`m.owed_due < ${today}::date`;
  // Sub-cases of a parallel approval carry copies of the main case's owed rows; the applicant
  // supplies (and is reminded) on the main case only.
  const claimed = await sql<{ case_id: string }>`
    WITH candidates AS (
      SELECT DISTINCT m.case_id
      FROM case_materials m JOIN cases c ON c.id = m.case_id
      WHERE m.owed AND m.supplied_at IS NULL AND ${dueClause}
        AND c.parent_id IS NULL AND c.owed_count > 0
        AND c.status IN (${sql.join(SUPPLYING_STATUSES)})
        AND NOT EXISTS (SELECT 1 FROM case_owed_reminders r WHERE r.case_id = m.case_id AND r.kind = ${kind}::text)
      LIMIT ${limit}
    )
    INSERT INTO case_owed_reminders (case_id, kind, sent_at)
    SELECT case_id, ${kind}::text, ${now.toISOString()}::timestamptz FROM candidates
    ON CONFLICT DO NOTHING
    RETURNING case_id`.execute(trx);
  const ids = claimed.rows.map((r) => r.case_id);
  if (ids.length === 0) return 0;

  const cases = await trx
    .selectFrom('cases')
    .select(['id', 'case_number', 'item_code', 'item_name', 'department_id', 'applicant_user_id', 'applicant_phone'])
    .where('id', 'in', ids)
    .execute();
  const materials = await trx
    .selectFrom('case_materials as m')
    .select(['m.case_id', 'm.name', 'm.owed_due'])
    .where('m.case_id', 'in', ids)
    .where('m.owed', '=', true)
    .where('m.supplied_at', 'is', null)
    .where('m.owed_due', kind === 'due' ? '=' : '<', today)
    .orderBy('m.owed_due')
    .orderBy('m.created_at')
    .execute();
  for (const c of cases) {
    const owed = materials.filter((m) => m.case_id === c.id);
    const payload: CaseOwedReminder = {
      caseNumber: c.case_number,
      itemCode: c.item_code,
      itemName: c.item_name,
      kind,
      // the earliest: an overdue reminder says since when
      dueDate: owed[0]!.owed_due!,
      materials: owed.map((m) => m.name),
      at: now.toISOString(),
      departmentId: c.department_id,
      applicantUserId: c.applicant_user_id,
      applicantPhone: c.applicant_phone,
    };
    await writeEvent(trx, { type: CASE_OWED_REMINDER, aggregateType: 'case', aggregateId: c.case_number, payload });
  }
  return cases.length;
}

export type CaseWorkers = BackgroundLoop;

/**
 * The reminder sweep each instance runs (started by main.ts): every `intervalMs`, batches until
 * one comes short (platform/background.ts).
 */
export function startCaseWorkers(cases: { sendOwedReminders(now?: Date): Promise<OwedReminderRound> }, options: { intervalMs: number; log?: EventLog; maxBatchesPerRound?: number }): CaseWorkers {
  return startLoop({ name: 'owed-material reminder sweep', intervalMs: options.intervalMs, log: options.log, maxBatches: options.maxBatchesPerRound ?? 20, batch: async () => (await cases.sendOwedReminders()).more });
}
