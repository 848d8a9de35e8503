import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { reaches, type Principal, type StaffPrincipal } from '../../platform/auth/principal.js';
import type { Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import type { CaseAction } from '../../shared/case-codes.js';
import { ROLE_REACH, type StaffRole } from '../../shared/roles.js';
import { CaseErrors } from './errors.js';
import { findCase, type CaseActor, type CaseRow } from './store.js';

/**
 * Who may see a case and who may take which action on it (docs/cases-api.md, "Who may act").
 * Reach comes first: a case outside it is a 404, so nobody learns it exists. Then the table
 * below: the owner's actions, the comprehensive window's (region-wide: the front desk accepts
 * every item of its region, whichever department handles it) and the back office's (the case's
 * department). Whether the case's state admits the action is the engine's ALLOWED_IN.
 */

/** Staff roles that read cases, each within its reach (supervisors and system admins read only). */
export const CASE_READER_ROLES: readonly StaffRole[] = ['window_clerk', 'approver', 'department_admin', 'supervisor', 'system_admin'];
/** Staff roles that take actions on cases. */
export const CASE_ACTOR_ROLES: readonly StaffRole[] = ['window_clerk', 'approver', 'department_admin'];

type Party = 'owner' | StaffRole;

export const WHO_MAY: Record<CaseAction, readonly Party[]> = {
  withdraw: ['owner'],
  // the window clerk answers a correction notice or hands in owed materials for a walk-in
  resubmit: ['owner', 'window_clerk'],
  supply: ['owner', 'window_clerk'],
  accept: ['window_clerk'],
  not_accept: ['window_clerk'],
  request_correction: ['window_clerk'],
  accept_with_deficiency: ['window_clerk'],
  verify_materials: ['window_clerk'],
  claim: ['approver'],
  release: ['approver'],
  // a department admin names anyone; an approver may only take a task themselves
  assign: ['department_admin', 'approver'],
  comment: ['window_clerk', 'approver'],
  complete_step: ['approver'],
  return: ['approver'],
  suspend: ['approver'],
  resume: ['approver'],
  approve: ['approver'],
  deny: ['approver'],
  deliver: ['window_clerk'],
};

type CaseScope = Pick<CaseRow, 'department_id' | 'region_path' | 'applicant_user_id'>;

const target = (row: CaseScope) => ({ departmentId: row.department_id, regionPath: row.region_path });

export function isOwner(principal: Principal, row: CaseScope): boolean {
  return principal.kind === 'applicant' && row.applicant_user_id !== null && row.applicant_user_id === principal.userId;
}

/** Whether the caller may see the case at all. */
export function reachesCase(principal: Principal, row: CaseScope): boolean {
  if (principal.kind === 'applicant') return isOwner(principal, row);
  if (principal.kind === 'staff') return reaches(principal, target(row), CASE_READER_ROLES);
  return false;
}

/** The case if the caller reaches it; 404 case_not_found otherwise, whether or not it exists. */
export async function reachableCase(db: Executor, principal: Principal, caseNumber: string): Promise<CaseRow> {
  const row = await findCase(db, caseNumber.toUpperCase());
  if (!row || !reachesCase(principal, row)) throw CaseErrors.case_not_found();
  return row;
}

/** Cases a staff member reaches with any of `roles`, as a condition on `cases` (the rules of `reaches`, in SQL, for lists). */
export function reachCondition(eb: ExpressionBuilder<Database, 'cases'>, principal: StaffPrincipal, roles: readonly StaffRole[]): Expression<SqlBool> {
  const held = principal.roles.filter((r) => roles.includes(r));
  if (held.some((r) => ROLE_REACH[r] === 'city')) return sql<SqlBool>`true`;
  const conditions: Expression<SqlBool>[] = [];
  if (held.some((r) => ROLE_REACH[r] === 'region')) {
    conditions.push(eb('region_path', '=', principal.regionPath), eb('region_path', 'like', `${principal.regionPath}/%`));
  }
  if (held.some((r) => ROLE_REACH[r] === 'department')) conditions.push(eb('department_id', '=', principal.departmentId));
  return conditions.length > 0 ? eb.or(conditions) : sql<SqlBool>`false`;
}

/** Whether the caller holds the role at all (a back-office step's role), wherever the case is. */
export function holdsRole(principal: Principal, role: string): boolean {
  return principal.kind === 'staff' && (principal.roles as readonly string[]).includes(role);
}

/** Whether the caller holds a part that may take the action on this case (its state aside). */
export function mayTake(principal: Principal, row: CaseScope, action: CaseAction): boolean {
  return WHO_MAY[action].some((party) => {
    if (party === 'owner') return isOwner(principal, row);
    return principal.kind === 'staff' && reaches(principal, target(row), [party]);
  });
}

/** Whether a staff member holds one of the roles and reaches the case with it. */
export function actsAs(principal: Principal, row: CaseScope, role: StaffRole): principal is StaffPrincipal {
  return principal.kind === 'staff' && reaches(principal, target(row), [role]);
}

/** The history's name for who acted: a name, never an ID number. */
export function caseActor(principal: Principal, ip: string | null): CaseActor {
  if (principal.kind === 'client') return { kind: 'client', id: `client:${principal.clientId}`, name: principal.name, ip };
  return { kind: principal.kind, id: principal.userId, name: principal.name, ip };
}
