/** Hand-made case events, written as the case module writes them (tests and the bench only). */
import type { Db } from '../../platform/db/database.js';
import { writeEvent, type CaseStatusChanged } from '../events/outbox.js';

export interface CaseEventDefaults {
  departmentId: string;
  regionPath: string;
  itemCode?: string;
  itemName?: string;
}

export function caseEvent(defaults: CaseEventDefaults, caseNumber: string, overrides: Partial<CaseStatusChanged>): CaseStatusChanged {
  return {
    caseNumber,
    itemCode: defaults.itemCode ?? 'TESTITEM-001',
    itemName: defaults.itemName ?? '测试许可事项',
    status: 'submitted',
    fromStatus: null,
    action: 'submit',
    at: '2026-11-02T02:00:00.000Z',
    departmentId: defaults.departmentId,
    regionPath: defaults.regionPath,
    channel: 'online',
    caseKind: '2',
    applicantKind: 'natural',
    promisedDays: 5,
    commitment: false,
    submittedAt: overrides.at ?? '2026-11-02T02:00:00.000Z',
    deadline: null,
    ...overrides,
  };
}

/** Writes events in one transaction, in order. */
export async function recordEvents(db: Db, ...changes: Array<CaseStatusChanged & { type?: string }>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const { type, ...payload } of changes) await writeEvent(tx, { type: type ?? 'case.status_changed', aggregateType: 'case', aggregateId: payload.caseNumber, payload });
  });
}

/** A case submitted, accepted (deadline given) and optionally decided, as three events. */
export function acceptedCase(defaults: CaseEventDefaults, caseNumber: string, acceptedAt: string, acceptedOn: string, deadline: string, decided?: { at: string; status?: 'approved' | 'denied' }): CaseStatusChanged[] {
  const events = [
    caseEvent(defaults, caseNumber, { at: acceptedAt, submittedAt: acceptedAt }),
    caseEvent(defaults, caseNumber, { status: 'accepted', fromStatus: 'submitted', action: 'accept', at: acceptedAt, submittedAt: acceptedAt, acceptedOn, deadline }),
  ];
  if (decided) events.push(caseEvent(defaults, caseNumber, { status: decided.status ?? 'approved', fromStatus: 'accepted', action: decided.status === 'denied' ? 'deny' : 'approve', at: decided.at, submittedAt: acceptedAt, deadline, stepIndex: 0 }));
  return events;
}
