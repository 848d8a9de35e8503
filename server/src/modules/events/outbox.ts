/**
 * The transactional outbox: a module that changes something records the domain event with
 * `writeEvent` in the same transaction, so the event exists exactly when the change does. What
 * happens next (in-app messages, webhooks, SMS) is the dispatcher's job (service.ts), run later
 * by any instance; a crash between the change and its notifications loses nothing.
 */
import type { Insertable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { CaseStatus, OutboxEventTable } from '../../platform/db/schema.js';

/** Event types channel systems may subscribe to. */
export const EVENT_TYPES = ['case.status_changed', 'case.owed_reminder'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The payload of `case.status_changed`, recorded by the case module whenever a case's status
 * changes. Optional fields may be null as they come from the case row.
 */
export interface CaseStatusChanged {
  caseNumber: string;
  itemCode: string;
  itemName: string;
  status: CaseStatus;
  /** null for the first status (submitted). */
  fromStatus: CaseStatus | null;
  /** The case action that moved it (accept, request_correction, decide …). */
  action: string;
  /** ISO 8601 instant of the change. */
  at: string;
  /** The applicant's account, when they have one: receives the in-app message. */
  applicantUserId?: string | null;
  /** The contact phone given on the application: receives the SMS. Never leaves the platform. */
  applicantPhone?: string | null;
  /** A contact e-mail address, when the application has one (legal persons often do). */
  applicantEmail?: string | null;
  departmentId: string;
  /** Promised completion date (YYYY-MM-DD, Asia/Shanghai), once accepted. */
  deadline?: string | null;
  // Facts for supervision's projection (ADR 0013); absent from events recorded before them.
  /** The department's region path when the case was filed. */
  regionPath?: string;
  channel?: 'online' | 'window';
  /** '1' immediate (即办件), '2' promised (承诺件). */
  caseKind?: '1' | '2';
  applicantKind?: 'natural' | 'legal';
  promisedDays?: number;
  /** Whether the application was made under a commitment (告知承诺). */
  commitment?: boolean;
  /** ISO 8601 instant the case was submitted or filed. */
  submittedAt?: string;
  /** Civil date of acceptance (the clock starts the next working day). */
  acceptedOn?: string | null;
  /** Working days spent in finished special procedures. */
  suspendedWorkdays?: number;
  actorKind?: 'applicant' | 'staff' | 'client' | 'system';
  /** Who took the action (a staff member's account for back-office actions); dropped from webhooks. */
  actorId?: string | null;
  /** The back-office step the action was taken on. */
  stepIndex?: number | null;
  /** Due date of the step opened by the action (complete_step, return). */
  stepDue?: string | null;
  /** The staff member a step was assigned to (assign). */
  assigneeId?: string | null;
}

/**
 * `case.progressed`: a back-office action that moved a case on without changing its status
 * (claim, assign, complete a step, return to a step). Same payload as `case.status_changed`;
 * nobody is notified of it (the dispatcher only marks it dispatched): supervision reads it.
 */
export const CASE_PROGRESSED = 'case.progressed';

/** `case.owed_reminder`: materials owed under 容缺受理 fall due today, or are overdue (cases/reminders.ts). */
export const CASE_OWED_REMINDER = 'case.owed_reminder';

export type OwedReminderKind = 'due' | 'overdue';

/** The payload of `case.owed_reminder`: one per case and kind, naming what is still owed. */
export interface CaseOwedReminder {
  caseNumber: string;
  itemCode: string;
  itemName: string;
  kind: OwedReminderKind;
  /** The earliest due date (YYYY-MM-DD) of the materials named. */
  dueDate: string;
  /** Names of the materials still owed with that kind of due date. */
  materials: string[];
  /** ISO 8601 instant of the sweep that found them. */
  at: string;
  departmentId: string;
  /** Receives the in-app message. */
  applicantUserId: string | null;
  /** Receives the SMS. Never leaves the platform. */
  applicantPhone: string | null;
}

/** Payloads of the event types the platform knows; any other type carries a plain JSON object. */
interface KnownPayloads {
  'case.status_changed': CaseStatusChanged;
  'case.progressed': CaseStatusChanged;
  'case.owed_reminder': CaseOwedReminder;
}

export interface DomainEvent<T extends string = string, P extends object = Record<string, unknown>> {
  type: T;
  aggregateType: string;
  aggregateId: string;
  payload: P;
}

export type EventOf<T extends string> = DomainEvent<T, T extends keyof KnownPayloads ? KnownPayloads[T] : Record<string, unknown>>;

/**
 * Records an event with the caller's executor: pass the transaction that makes the change, so the
 * event commits or rolls back with it. Returns the event id (increasing, the dispatch order).
 */
export async function writeEvent<T extends string>(executor: Executor, event: EventOf<T>): Promise<number> {
  const row = await executor.insertInto('outbox_events').values(outboxRow(event)).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The outbox row of an event, for a caller that inserts it within a statement of its own (a
 * WITH clause beside the change it reports: one statement, so the two still commit together).
 */
export function outboxRow<T extends string>(event: EventOf<T>): Insertable<OutboxEventTable> {
  return { type: event.type, aggregate_type: event.aggregateType, aggregate_id: event.aggregateId, payload: JSON.stringify(event.payload) };
}
