import type { Db } from '../src/platform/db/database.js';
import { writeEvent, type CaseStatusChanged } from '../src/modules/events/outbox.js';

let serial = 0;

/**
 * A case's status change as the case module reports it: an acceptance of a food business licence
 * with a deadline and no phone (so no SMS) unless `overrides` say otherwise; each call gets a case
 * number of its own.
 */
export function caseStatusChanged(applicantUserId: string, overrides: Partial<CaseStatusChanged> = {}): CaseStatusChanged {
  serial += 1;
  return {
    caseNumber: `11440300MB2C91234T444013000100120261126${String(serial).padStart(6, '0')}`,
    itemCode: '11440300MB2C91234T4440130001001',
    itemName: '食品经营许可',
    status: 'accepted',
    fromStatus: 'submitted',
    action: 'accept',
    at: '2026-11-26T02:00:00.000Z',
    applicantUserId,
    applicantPhone: null,
    departmentId: '3f1c9a52-8d4e-4b7a-9c1d-2e5f6a7b8c9d',
    deadline: '2026-12-03',
    ...overrides,
  };
}

/** Writes the changes' events as the case module does: in one transaction, so they share its time. Their event ids. */
export function recordChanges(db: Db, ...changes: CaseStatusChanged[]): Promise<number[]> {
  return db.transaction().execute(async (tx) => {
    const ids: number[] = [];
    for (const payload of changes) ids.push(await writeEvent(tx, { type: 'case.status_changed', aggregateType: 'case', aggregateId: payload.caseNumber, payload }));
    return ids;
  });
}
