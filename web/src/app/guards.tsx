import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { StaffRole } from '@server/shared/roles';
import { isStaff, useSession } from './session';
import { Forbidden, Loading } from './status';

/** Where a signed-in person belongs: staff at their workbench, applicants on their own page. */
export function homeOf(kind: string): string {
  return kind === 'staff' ? '/workbench' : '/me';
}

function ToLogin() {
  const location = useLocation();
  return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
}

export function RequireApplicant({ children }: { children: ReactNode }) {
  const { me } = useSession();
  if (me === undefined) return <Loading />;
  if (me === null) return <ToLogin />;
  if (isStaff(me)) return <Navigate to="/workbench" replace />;
  return children;
}

/** Staff only; with `roles`, one of them is needed (the server checks again on every request). */
export function RequireStaff({ roles, children }: { roles?: readonly StaffRole[]; children: ReactNode }) {
  const { me } = useSession();
  if (me === undefined) return <Loading />;
  if (me === null) return <ToLogin />;
  if (!isStaff(me)) return <Navigate to="/me" replace />;
  if (roles && !roles.some((role) => me.user.roles.includes(role))) return <Forbidden />;
  return children;
}
