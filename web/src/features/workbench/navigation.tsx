import type { ReactNode } from 'react';
import { ApartmentOutlined, CalendarOutlined, EnvironmentOutlined, TeamOutlined } from '@ant-design/icons';
import type { StaffRole } from '@server/shared/roles';
import type { Dictionary } from '../../app/i18n/zh';

export interface AdminPage {
  path: string;
  /** Who sees the menu entry and may open the page; the same roles the server's routes require. */
  roles: readonly StaffRole[];
  label(t: Dictionary): string;
  icon: ReactNode;
}

export const ADMIN_PAGES: readonly AdminPage[] = [
  { path: '/admin/regions', roles: ['system_admin'], label: (t) => t.workbench.regions, icon: <EnvironmentOutlined aria-hidden /> },
  { path: '/admin/departments', roles: ['system_admin'], label: (t) => t.workbench.departments, icon: <ApartmentOutlined aria-hidden /> },
  { path: '/admin/staff', roles: ['system_admin', 'department_admin'], label: (t) => t.workbench.staff, icon: <TeamOutlined aria-hidden /> },
  { path: '/admin/calendar', roles: ['system_admin'], label: (t) => t.workbench.calendar, icon: <CalendarOutlined aria-hidden /> },
];

export function adminPagesFor(roles: readonly string[]): AdminPage[] {
  return ADMIN_PAGES.filter((page) => page.roles.some((role) => roles.includes(role)));
}

export function rolesFor(path: string): readonly StaffRole[] {
  const page = ADMIN_PAGES.find((p) => p.path === path);
  if (!page) throw new Error(`no admin page ${path}`);
  return page.roles;
}
