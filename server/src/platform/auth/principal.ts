import type { ClientScope, StaffRole } from '../../shared/roles.js';
import { ROLE_REACH } from '../../shared/roles.js';

export interface ApplicantPrincipal {
  kind: 'applicant';
  userId: string;
  applicantKind: 'natural' | 'legal';
  name: string;
}

export interface StaffPrincipal {
  kind: 'staff';
  userId: string;
  name: string;
  roles: StaffRole[];
  departmentId: string;
  /** Path of the department's region (see regions.path): reach is decided by prefix. */
  regionPath: string;
}

export interface ClientPrincipal {
  kind: 'client';
  clientId: string;
  name: string;
  scopes: ClientScope[];
  /** The department whose system this is, when the client was issued to one (e.g. a data-sharing consumer). */
  departmentId?: string;
}

export type Principal = ApplicantPrincipal | StaffPrincipal | ClientPrincipal;

/** Who may call a route. Every route must declare one (enforced when routes are registered). */
export type Access =
  | 'public'
  /** Any signed-in person (applicant or staff), e.g. sign out, upload a file. */
  | 'signed_in'
  | { applicant?: true; roles?: readonly StaffRole[]; scopes?: readonly ClientScope[] };

export function principalId(principal: Principal): string {
  return principal.kind === 'client' ? `client:${principal.clientId}` : principal.userId;
}

/** Whether the principal passes the route's declared access (the coarse check; scope is the service's). */
export function allows(access: Access, principal: Principal): boolean {
  if (access === 'public') return true;
  if (access === 'signed_in') return principal.kind !== 'client';
  if (principal.kind === 'applicant') return access.applicant === true;
  if (principal.kind === 'staff') return (access.roles ?? []).some((role) => principal.roles.includes(role));
  return (access.scopes ?? []).some((scope) => principal.scopes.includes(scope));
}

export interface ScopeTarget {
  departmentId: string;
  regionPath: string;
}

/** Whether a region path (see regions.path) is the region `region` or lies below it. */
export function withinRegion(path: string, region: string): boolean {
  return path === region || path.startsWith(`${region}/`);
}

/**
 * Whether a staff member holding any of `roles` reaches a department: their own department, their
 * region and below for region-wide roles, everything for city-wide roles.
 */
export function reaches(principal: StaffPrincipal, target: ScopeTarget, roles: readonly StaffRole[]): boolean {
  return principal.roles.some((role) => {
    if (!roles.includes(role)) return false;
    const reach = ROLE_REACH[role];
    if (reach === 'city') return true;
    if (reach === 'region') return withinRegion(target.regionPath, principal.regionPath);
    return target.departmentId === principal.departmentId;
  });
}

/** Whether a staff member reaches a region (for region-level data such as supervision). */
export function reachesRegion(principal: StaffPrincipal, regionPath: string, roles: readonly StaffRole[]): boolean {
  return principal.roles.some((role) => {
    if (!roles.includes(role)) return false;
    const reach = ROLE_REACH[role];
    if (reach === 'city') return true;
    if (reach === 'region') return withinRegion(regionPath, principal.regionPath);
    return false;
  });
}
