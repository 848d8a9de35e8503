import { randomInt, timingSafeEqual } from 'node:crypto';
import { invalidInput, type FieldErrorSpec } from '../../platform/http/errors.js';
import { todayInShanghai } from '../../platform/time.js';
import type { DeliveryMethod } from '../../shared/case-codes.js';
import type { ActionHandler } from './actions.js';
import { applyTransition } from './engine.js';
import { CaseErrors, CaseFieldCodes } from './errors.js';

/*
 * Result delivery (综合窗口出件, 送达). The applicant's preference is recorded at application
 * (`cases.delivery`: method, address, recipient, phone); the decision adds a pickup code for
 * window pickup; `deliver` records how the result actually left and closes the case's life.
 */

/** `cases.delivery` as this module writes it; the application wrote the preference part. */
export interface DeliveryRecord {
  method?: DeliveryMethod;
  address?: string;
  recipient?: string;
  phone?: string;
  /** 6 digits, shown to the owner, checked by the clerk at pickup; removed once used. */
  pickupCode?: string;
  delivered?: {
    method: DeliveryMethod;
    on: string;
    by: string;
    carrier?: string;
    trackingNumber?: string;
    address?: string;
    /** Set on the sub-cases delivered together with their main case. */
    withCase?: string;
  };
}

/**
 * The delivery record at decision time: a random 6-digit pickup code when the result is to be
 * collected at the window (also when the applicant stated no preference, as walk-ins do).
 */
export function withPickupCode(delivery: Record<string, unknown> | null): DeliveryRecord {
  const record = { ...(delivery ?? {}) } as DeliveryRecord;
  record.method ??= 'pickup';
  if (record.method === 'pickup') record.pickupCode = String(randomInt(0, 1_000_000)).padStart(6, '0');
  return record;
}

function sameCode(expected: string | undefined, given: string): boolean {
  if (!expected || expected.length !== given.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

/**
 * `deliver`: pickup (the applicant presents the code; 422 wrong_pickup_code otherwise), express
 * (carrier, tracking number, and the address from the body or the application), or electronic.
 * A main case of a parallel approval takes its decided sub-cases with it.
 */
export const deliver: ActionHandler = async (ctx) => {
  const { trx, row, body } = ctx;
  const given = body.delivery;
  const errors: FieldErrorSpec[] = [];
  if (!given) errors.push({ field: 'delivery', code: CaseFieldCodes.case_required });
  else if (given.method === 'pickup' && !given.pickupCode) errors.push({ field: 'delivery.pickupCode', code: CaseFieldCodes.case_required });
  const stored = (row.delivery ?? {}) as DeliveryRecord;
  let address: string | undefined;
  if (given?.method === 'express') {
    if (!given.carrier) errors.push({ field: 'delivery.carrier', code: CaseFieldCodes.case_required });
    if (!given.trackingNumber) errors.push({ field: 'delivery.trackingNumber', code: CaseFieldCodes.case_required });
    address = given.address?.trim() || stored.address?.trim();
    if (!address) errors.push({ field: 'delivery.address', code: CaseFieldCodes.case_required });
  }
  if (errors.length > 0) throw invalidInput(errors);
  const method = given!.method;
  if (method === 'pickup' && !sameCode(stored.pickupCode, given!.pickupCode!)) throw CaseErrors.wrong_pickup_code();

  const delivered: NonNullable<DeliveryRecord['delivered']> = { method, on: todayInShanghai(ctx.now), by: ctx.actor.name };
  if (method === 'express') Object.assign(delivered, { carrier: given!.carrier, trackingNumber: given!.trackingNumber, address });
  // Electronic delivery is where the e-license module will issue the result into the holder's
  // license library; until it exists, the delivery is recorded and the applicant sees it online.
  const { pickupCode: _used, ...kept } = stored;
  const record: DeliveryRecord = { ...kept, delivered };

  const updated = await applyTransition(trx, ctx.deps, {
    row,
    action: 'deliver',
    to: 'delivered',
    actor: ctx.actor,
    now: ctx.now,
    comment: body.comment?.trim() || null,
    patch: { delivery: JSON.stringify(record), delivered_at: ctx.now },
    detail: { method, ...(method === 'express' ? { carrier: given!.carrier, trackingNumber: given!.trackingNumber } : {}) },
  });

  const subCases = await trx
    .selectFrom('cases')
    .selectAll()
    .where('parent_id', '=', row.id)
    .where('status', 'in', ['approved', 'denied'])
    .orderBy('case_number')
    .forUpdate()
    .execute();
  for (const sub of subCases) {
    const { pickupCode: _subCode, ...subKept } = (sub.delivery ?? {}) as DeliveryRecord;
    await applyTransition(trx, ctx.deps, {
      row: sub,
      action: 'deliver',
      to: 'delivered',
      actor: ctx.actor,
      now: ctx.now,
      patch: { delivery: JSON.stringify({ ...subKept, delivered: { ...delivered, withCase: row.case_number } }), delivered_at: ctx.now },
      detail: { method, withCase: row.case_number },
    });
  }
  return updated;
};
