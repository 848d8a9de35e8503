import type { Principal } from '../../platform/auth/principal.js';
import type { FieldErrorSpec } from '../../platform/http/errors.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { ActionBody, ActionContext, CaseDeps } from './actions.js';
import { resolveMaterials, type MaterialServices, type NewMaterial } from './application.js';
import { planBackOffice, type BackOfficePlan } from './back-office.js';
import type { CaseRow } from './store.js';

/*
 * What an action needs from other services, loaded before its transaction. On PGlite the database
 * is one connection and a transaction holds it: a service querying on its own from inside would
 * wait forever (docs/cases-api.md, "Transactions and other services"). So the dispatcher checks
 * here that uploads are the actor's own, resolves materials and plans the back office, and the
 * handlers use only the transaction, this and `deps` with a pinned calendar.
 */

export interface Prepared {
  /** accept / accept_with_deficiency: what starting the back office needs. */
  plan: BackOfficePlan | null;
  /** resubmit / supply: the materials listed, resolved (and the problems found). */
  materials: { rows: NewMaterial[]; errors: FieldErrorSpec[] } | null;
}

export type PreparedContext = ActionContext & { prepared: Prepared };
export type PreparedHandler = (ctx: PreparedContext) => Promise<CaseRow>;

/** `deps` as the handlers will get them: the calendar already pinned. */
export async function prepareAction(
  deps: CaseDeps,
  materials: MaterialServices,
  input: { principal: Principal; row: CaseRow; item: ItemGuide; body: ActionBody; now: Date },
): Promise<Prepared> {
  const { principal, row, item, body, now } = input;
  // uploads handed in by staff are their scans; by the applicant, their own files
  const uploader = principal.kind === 'client' ? '' : principal.userId;
  if (body.attachments && body.attachments.length > 0) {
    await materials.files.assertOwnedBy(body.attachments, uploader, (i) => `attachments[${i}]`);
  }
  const accepting = body.action === 'accept' || body.action === 'accept_with_deficiency';
  const handingIn = body.action === 'resubmit' || body.action === 'supply';
  return {
    plan: accepting ? await planBackOffice(deps, item, now) : null,
    materials: handingIn ? await resolveMaterials(materials, item, body.materials ?? [], { fileOwnerId: uploader, applicantUserId: row.applicant_user_id }) : null,
  };
}

/** The prepared part an action cannot do without (the dispatcher prepares it for that action). */
export function preparedPart<K extends 'plan' | 'materials'>(ctx: PreparedContext, key: K): NonNullable<Prepared[K]> {
  const part = ctx.prepared[key];
  if (part === null) throw new Error(`action ${ctx.body.action}: ${key} was not prepared before the transaction`);
  return part as NonNullable<Prepared[K]>;
}
