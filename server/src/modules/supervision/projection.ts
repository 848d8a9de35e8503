/**
 * Supervision's projection (ADR 0013): applies a batch of case events from the outbox to the
 * case facts, the daily roll-ups and the anomaly alerts, in the consumer's transaction (the one
 * holding its cursor), so each event counts exactly once. Everything a request reads later is
 * here; the case tables are never read.
 */
import { sql, type Insertable } from 'kysely';
import type { Tx } from '../../platform/db/database.js';
import type { CaseStatus, SupervisionAlertTable, SupervisionCaseFactTable } from '../../platform/db/schema.js';
import { todayInShanghai } from '../../platform/time.js';
import type { ConsumedEvent } from '../events/service.js';
import type { CaseStatusChanged } from '../events/outbox.js';
import type { WorkdayOrdinals } from './ordinals.js';
import { ENTERPRISE_TARGET_WORKDAYS, OPEN_STATUSES, type AlertKind, type ItemClasses, type OfficeHours } from './rules.js';

export interface Fact {
  case_number: string;
  item_code: string;
  item_name: string;
  department_id: string;
  region_path: string;
  channel: string | null;
  case_kind: string | null;
  applicant_kind: string | null;
  promised_days: number | null;
  status: CaseStatus;
  open: boolean;
  submitted_at: Date;
  submitted_on: string;
  accepted_at: Date | null;
  accepted_on: string | null;
  accepted_ord: number | null;
  decided_at: Date | null;
  decided_on: string | null;
  delivered_at: Date | null;
  deadline: string | null;
  deadline_ord: number | null;
  suspended_workdays: number;
  handling_workdays: number | null;
  handler_id: string | null;
  current_step: number | null;
  step_started_ord: number | null;
  step_due: string | null;
  step_due_ord: number | null;
  steps_completed: number;
  deadline_extensions: number;
  instant: boolean;
  commitment: boolean;
  corrected: boolean;
  refused: boolean;
  decision: string | null;
  on_time: boolean | null;
  last_event_id: number;
}

const COUNTERS = [
  'received', 'online_received', 'accepted', 'not_accepted', 'corrections', 'decided', 'decided_on_time', 'denied', 'instant', 'commitment',
  'handling_days_sum', 'handling_counted', 'real_estate_decided', 'real_estate_within_hour', 'enterprise_decided', 'enterprise_days_sum', 'enterprise_within_target',
] as const;
export type Counter = (typeof COUNTERS)[number];

export interface ProjectionDeps {
  ordinals: WorkdayOrdinals;
  items: ItemClasses;
  officeHours: OfficeHours;
  /** A department's region path, for events recorded before the payload carried it. */
  regionOf(departmentId: string): string | undefined;
  /** Whether a civil date is a working day (null when its year is not loaded). */
  isWorkday(date: string): Promise<boolean | null>;
}

const HANDLER_ACTIONS = new Set(['claim', 'complete_step', 'approve', 'deny', 'return']);
const SHANGHAI_OFFSET_MIN = 8 * 60;

function dayKey(day: string, f: Fact): string {
  return `${day}|${f.department_id}|${f.item_code}|${f.region_path}`;
}

class Deltas {
  readonly daily = new Map<string, Partial<Record<Counter, number>>>();
  readonly durations = new Map<string, number>();
  readonly alerts: Array<Insertable<SupervisionAlertTable>> = [];

  add(day: string, f: Fact, counter: Counter, by = 1): void {
    const key = dayKey(day, f);
    const row = this.daily.get(key) ?? {};
    row[counter] = (row[counter] ?? 0) + by;
    this.daily.set(key, row);
  }

  duration(day: string, f: Fact, workdays: number): void {
    const key = `${dayKey(day, f)}|${workdays}`;
    this.durations.set(key, (this.durations.get(key) ?? 0) + 1);
  }

  anomaly(f: Fact, kind: AlertKind, detail: Record<string, unknown>): void {
    this.alerts.push({ case_number: f.case_number, kind, level: 'anomaly', department_id: f.department_id, region_path: f.region_path, item_name: f.item_name, handler_id: f.handler_id, detail: JSON.stringify(detail) });
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

export async function applyBatch(tx: Tx, deps: ProjectionDeps, events: readonly ConsumedEvent[]): Promise<void> {
  const numbers = [...new Set(events.map((e) => e.aggregateId))];
  const existing = await tx.selectFrom('supervision_case_facts').selectAll().where('case_number', 'in', numbers).execute();
  const facts = new Map<string, Fact>(existing.map((r) => [r.case_number, { ...r, last_event_id: Number(r.last_event_id), submitted_at: new Date(r.submitted_at) } as Fact]));
  const deltas = new Deltas();
  const touched = new Set<string>();

  for (const event of events) {
    const p = event.payload as unknown as CaseStatusChanged;
    if (typeof p.caseNumber !== 'string' || typeof p.status !== 'string' || typeof p.departmentId !== 'string') continue;
    const fact = await step(deps, deltas, facts.get(p.caseNumber), p, event);
    if (!fact) continue;
    facts.set(p.caseNumber, fact);
    touched.add(p.caseNumber);
  }

  const rows = [...touched].map((n) => facts.get(n)!);
  if (rows.length > 0) {
    const values: Array<Insertable<SupervisionCaseFactTable>> = rows.map((f) => ({ ...f, updated_at: new Date() }));
    const columns = Object.keys(values[0]!).filter((c) => c !== 'case_number') as Array<keyof SupervisionCaseFactTable>;
    await tx
      .insertInto('supervision_case_facts')
      .values(values)
      .onConflict((oc) => oc.column('case_number').doUpdateSet(Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)]))))
      .execute();
  }
  if (deltas.daily.size > 0) {
    const names = new Map([...facts.values()].map((f) => [f.item_code, f.item_name]));
    const values = [...deltas.daily].map(([key, counts]) => {
      const [day, department_id, item_code, region_path] = key.split('|') as [string, string, string, string];
      return { day, department_id, item_code, region_path, item_name: names.get(item_code) ?? '', ...Object.fromEntries(COUNTERS.map((c) => [c, counts[c] ?? 0])) };
    });
    await tx
      .insertInto('supervision_daily')
      .values(values)
      .onConflict((oc) => oc.columns(['day', 'department_id', 'item_code', 'region_path']).doUpdateSet(Object.fromEntries(COUNTERS.map((c) => [c, sql`supervision_daily.${sql.ref(c)} + excluded.${sql.ref(c)}`]))))
      .execute();
  }
  if (deltas.durations.size > 0) {
    const values = [...deltas.durations].map(([key, cases]) => {
      const [day, department_id, item_code, region_path, workdays] = key.split('|') as [string, string, string, string, string];
      return { day, department_id, item_code, region_path, workdays: Number(workdays), cases };
    });
    await tx
      .insertInto('supervision_daily_durations')
      .values(values)
      .onConflict((oc) => oc.columns(['day', 'department_id', 'item_code', 'region_path', 'workdays']).doUpdateSet({ cases: sql`supervision_daily_durations.cases + excluded.cases` }))
      .execute();
  }
  if (deltas.alerts.length > 0) {
    await tx.insertInto('supervision_alerts').values(deltas.alerts).onConflict((oc) => oc.columns(['case_number', 'kind', 'level']).doNothing()).execute();
  }
}

/** One event applied to a case's facts; returns the new facts (or undefined when the event cannot be placed). */
async function step(deps: ProjectionDeps, d: Deltas, prior: Fact | undefined, p: CaseStatusChanged, event: ConsumedEvent): Promise<Fact | undefined> {
  const at = new Date(p.at ?? event.createdAt);
  const day = todayInShanghai(at);
  const statusChange = event.type === 'case.status_changed';
  if (prior && event.id <= prior.last_event_id) return undefined;
  let f = prior;
  if (!f) {
    const regionPath = p.regionPath ?? deps.regionOf(p.departmentId);
    if (!regionPath) return undefined;
    const submittedAt = p.submittedAt ? new Date(p.submittedAt) : at;
    f = {
      case_number: p.caseNumber,
      item_code: p.itemCode,
      item_name: p.itemName,
      department_id: p.departmentId,
      region_path: regionPath,
      channel: p.channel ?? null,
      case_kind: p.caseKind ?? null,
      applicant_kind: p.applicantKind ?? null,
      promised_days: p.promisedDays ?? null,
      status: p.fromStatus ?? p.status,
      open: true,
      submitted_at: submittedAt,
      submitted_on: todayInShanghai(submittedAt),
      accepted_at: null,
      accepted_on: null,
      accepted_ord: null,
      decided_at: null,
      decided_on: null,
      delivered_at: null,
      deadline: null,
      deadline_ord: null,
      suspended_workdays: 0,
      handling_workdays: null,
      handler_id: null,
      current_step: null,
      step_started_ord: null,
      step_due: null,
      step_due_ord: null,
      steps_completed: 0,
      deadline_extensions: 0,
      instant: false,
      commitment: p.commitment === true,
      corrected: false,
      refused: false,
      decision: null,
      on_time: null,
      last_event_id: 0,
    };
    d.add(f.submitted_on, f, 'received');
    if (f.channel === 'online') d.add(f.submitted_on, f, 'online_received');
    // the first event we see is not the case's first: its start was never recorded
    if (p.fromStatus !== null && p.fromStatus !== undefined) d.anomaly(f, 'history_gap', { expected: null, fromStatus: p.fromStatus, status: p.status, eventId: event.id });
  } else {
    f = { ...f };
    if (statusChange && p.fromStatus !== f.status) d.anomaly(f, 'history_gap', { expected: f.status, fromStatus: p.fromStatus, status: p.status, eventId: event.id });
  }
  f.last_event_id = event.id;
  f.item_name = p.itemName ?? f.item_name;
  if (p.commitment === true) f.commitment = true;
  if (typeof p.suspendedWorkdays === 'number') f.suspended_workdays = p.suspendedWorkdays;

  const from = f.status;
  f.status = p.status;
  f.open = OPEN_STATUSES.has(p.status);

  if (p.status === 'correction_requested' && !f.corrected) {
    f.corrected = true;
    d.add(day, f, 'corrections');
  }
  if ((p.status === 'accepted' || p.status === 'accepted_with_deficiency') && from === 'submitted') {
    f.accepted_at = at;
    f.accepted_on = str(p.acceptedOn) ?? day;
    f.accepted_ord = await deps.ordinals.of(f.accepted_on);
    d.add(day, f, 'accepted');
    if (await outsideOfficeHours(deps, at)) d.anomaly(f, 'accepted_off_hours', { at: at.toISOString() });
  }
  if (p.status === 'not_accepted' && !f.refused) {
    f.refused = true;
    d.add(day, f, 'not_accepted');
  }
  const deadline = str(p.deadline);
  if (deadline && deadline !== f.deadline) {
    if (f.deadline && deadline > f.deadline) {
      f.deadline_extensions += 1;
      if (f.deadline_extensions > 1) d.anomaly(f, 'deadline_extended', { extensions: f.deadline_extensions, deadline });
    }
    f.deadline = deadline;
    f.deadline_ord = await deps.ordinals.of(deadline);
  }

  if (p.actorKind === 'staff' && p.actorId && HANDLER_ACTIONS.has(p.action)) f.handler_id = p.actorId;
  if (p.action === 'assign' && p.assigneeId) f.handler_id = p.assigneeId;
  if (p.action === 'release') f.handler_id = null;
  const todayOrd = await deps.ordinals.of(day);
  if (p.action === 'claim' || p.action === 'assign') {
    if (f.current_step === null) {
      f.current_step = p.stepIndex ?? 0;
      f.step_started_ord = todayOrd;
    }
  }
  if (p.action === 'complete_step' || p.action === 'return') {
    if (p.action === 'complete_step') f.steps_completed += 1;
    else f.steps_completed = Math.max(0, Math.min(f.steps_completed, p.stepIndex ?? 0));
    f.current_step = p.action === 'complete_step' ? (p.stepIndex ?? f.steps_completed - 1) + 1 : (p.stepIndex ?? 0);
    f.step_started_ord = todayOrd;
    f.step_due = str(p.stepDue);
    f.step_due_ord = await deps.ordinals.of(f.step_due);
  }

  if ((p.status === 'approved' || p.status === 'denied') && !f.decided_at) await decide(deps, d, f, p, at, day, todayOrd);
  if (p.status === 'delivered') f.delivered_at = at;
  if (!f.open) {
    f.step_due = null;
    f.step_due_ord = null;
  }
  return f;
}

async function decide(deps: ProjectionDeps, d: Deltas, f: Fact, p: CaseStatusChanged, at: Date, day: string, todayOrd: number | null): Promise<void> {
  f.decided_at = at;
  f.decided_on = day;
  f.decision = p.status;
  f.instant = p.action === 'instant_decision';
  f.on_time = f.deadline === null ? true : day <= f.deadline;
  d.add(day, f, 'decided');
  if (f.on_time) d.add(day, f, 'decided_on_time');
  if (p.status === 'denied') d.add(day, f, 'denied');
  if (f.instant) d.add(day, f, 'instant');
  if (f.commitment) d.add(day, f, 'commitment');
  if (todayOrd !== null && f.accepted_ord !== null) {
    f.handling_workdays = Math.max(0, todayOrd - f.accepted_ord - f.suspended_workdays);
    d.add(day, f, 'handling_days_sum', f.handling_workdays);
    d.add(day, f, 'handling_counted');
    d.duration(day, f, f.handling_workdays);
  }
  // a decision on step k needs steps 0 … k-1 completed before it
  const decidingStep = p.stepIndex ?? null;
  if (decidingStep !== null && decidingStep > f.steps_completed) d.anomaly(f, 'step_skipped', { decidingStep, stepsCompleted: f.steps_completed });
  if (deps.items.isRealEstate(f.item_name)) {
    d.add(day, f, 'real_estate_decided');
    if (at.getTime() - f.submitted_at.getTime() <= 3_600_000) d.add(day, f, 'real_estate_within_hour');
  }
  if (deps.items.isEnterpriseSetup(f.item_name)) {
    // enterprise opening counts from the application, not from acceptance
    const submittedOrd = await deps.ordinals.of(f.submitted_on);
    if (submittedOrd !== null && todayOrd !== null) {
      const days = Math.max(0, todayOrd - submittedOrd);
      d.add(day, f, 'enterprise_decided');
      d.add(day, f, 'enterprise_days_sum', days);
      if (days <= ENTERPRISE_TARGET_WORKDAYS) d.add(day, f, 'enterprise_within_target');
    }
  }
}

async function outsideOfficeHours(deps: ProjectionDeps, at: Date): Promise<boolean> {
  const minutes = (at.getUTCHours() * 60 + at.getUTCMinutes() + SHANGHAI_OFFSET_MIN) % (24 * 60);
  if (minutes < deps.officeHours.openMinute || minutes >= deps.officeHours.closeMinute) return true;
  return (await deps.isWorkday(todayInShanghai(at))) === false;
}
