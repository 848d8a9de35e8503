import type { ReactNode } from 'react';
import { ApartmentOutlined, AuditOutlined, CalendarOutlined, CheckSquareOutlined, CommentOutlined, DashboardOutlined, DatabaseOutlined, EnvironmentOutlined, FileAddOutlined, FileProtectOutlined, FileSearchOutlined, InboxOutlined, KeyOutlined, LikeOutlined, ProfileOutlined, QrcodeOutlined, SafetyOutlined, SettingOutlined, ShopOutlined, SolutionOutlined, SwapOutlined, TeamOutlined, UnorderedListOutlined } from '@ant-design/icons';
import type { StaffRole } from '@server/shared/roles';
import type { Dictionary } from '../../app/i18n/zh';

export interface AdminPage {
  path: string;
  /** Who sees the menu entry and may open the page; the same roles the server's routes require. */
  roles: readonly StaffRole[];
  label(t: Dictionary): string;
  icon: ReactNode;
  /** The side menu's group: case handling, administration of the platform, the service catalog, or data sharing. */
  group: 'cases' | 'admin' | 'catalog' | 'sharing' | 'quality';
}

/** Who authors, reviews and publishes the catalog (the server's catalog routes require the same). */
export const CATALOG_ROLES: readonly StaffRole[] = ['catalog_admin', 'system_admin'];

/** Who reads a case at the workbench, each within their reach (the server's CASE_READER_ROLES). */
export const CASE_STAFF_ROLES: readonly StaffRole[] = ['window_clerk', 'approver', 'department_admin', 'supervisor', 'system_admin'];

/** Who reads the data-sharing catalog, requests, grants and access log (the server's sharing readers). */
export const SHARING_READERS: readonly StaffRole[] = ['data_sharing_admin', 'system_admin'];

export const ADMIN_PAGES: readonly AdminPage[] = [
  { path: '/workbench/front-desk', roles: ['window_clerk'], label: (t) => t.cases.menu.frontDesk, icon: <InboxOutlined aria-hidden />, group: 'cases' },
  { path: '/workbench/front-desk/new', roles: ['window_clerk'], label: (t) => t.cases.menu.walkIn, icon: <FileAddOutlined aria-hidden />, group: 'cases' },
  { path: '/workbench/tasks', roles: ['approver', 'department_admin'], label: (t) => t.cases.menu.tasks, icon: <CheckSquareOutlined aria-hidden />, group: 'cases' },
  { path: '/admin/regions', roles: ['system_admin'], label: (t) => t.workbench.regions, icon: <EnvironmentOutlined aria-hidden />, group: 'admin' },
  { path: '/admin/departments', roles: ['system_admin'], label: (t) => t.workbench.departments, icon: <ApartmentOutlined aria-hidden />, group: 'admin' },
  { path: '/admin/staff', roles: ['system_admin', 'department_admin'], label: (t) => t.workbench.staff, icon: <TeamOutlined aria-hidden />, group: 'admin' },
  { path: '/admin/calendar', roles: ['system_admin'], label: (t) => t.workbench.calendar, icon: <CalendarOutlined aria-hidden />, group: 'admin' },
  { path: '/workbench/catalog/items', roles: CATALOG_ROLES, label: (t) => t.catalog.admin.menu.items, icon: <ProfileOutlined aria-hidden />, group: 'catalog' },
  { path: '/workbench/catalog/review', roles: CATALOG_ROLES, label: (t) => t.catalog.admin.menu.review, icon: <AuditOutlined aria-hidden />, group: 'catalog' },
  { path: '/workbench/catalog/proofs', roles: CATALOG_ROLES, label: (t) => t.catalog.admin.menu.proofs, icon: <FileProtectOutlined aria-hidden />, group: 'catalog' },
  { path: '/workbench/catalog/intermediaries', roles: CATALOG_ROLES, label: (t) => t.catalog.admin.menu.intermediaries, icon: <ShopOutlined aria-hidden />, group: 'catalog' },
  { path: '/workbench/catalog/synonyms', roles: CATALOG_ROLES, label: (t) => t.catalog.admin.menu.synonyms, icon: <SwapOutlined aria-hidden />, group: 'catalog' },
  { path: '/workbench/sharing/catalog', roles: SHARING_READERS, label: (t) => t.sharing.menu.catalog, icon: <UnorderedListOutlined aria-hidden />, group: 'sharing' },
  { path: '/workbench/sharing/resources', roles: ['data_sharing_admin'], label: (t) => t.sharing.menu.resources, icon: <DatabaseOutlined aria-hidden />, group: 'sharing' },
  { path: '/workbench/sharing/requests', roles: ['data_sharing_admin'], label: (t) => t.sharing.menu.requests, icon: <SolutionOutlined aria-hidden />, group: 'sharing' },
  { path: '/workbench/sharing/grants', roles: ['data_sharing_admin'], label: (t) => t.sharing.menu.grants, icon: <SafetyOutlined aria-hidden />, group: 'sharing' },
  { path: '/workbench/sharing/credentials', roles: ['data_sharing_admin'], label: (t) => t.sharing.menu.credentials, icon: <KeyOutlined aria-hidden />, group: 'sharing' },
  { path: '/workbench/sharing/access-log', roles: SHARING_READERS, label: (t) => t.sharing.menu.accessLog, icon: <FileSearchOutlined aria-hidden />, group: 'sharing' },
  { path: '/workbench/quality/desk', roles: ['department_admin', 'approver', 'window_clerk'], label: (t) => t.quality.menu.desk, icon: <CommentOutlined aria-hidden />, group: 'quality' },
  { path: '/workbench/quality/supervision', roles: ['supervisor', 'system_admin'], label: (t) => t.quality.menu.supervision, icon: <LikeOutlined aria-hidden />, group: 'quality' },
  { path: '/workbench/quality/qr-codes', roles: ['supervisor', 'department_admin', 'system_admin'], label: (t) => t.quality.menu.qrCodes, icon: <QrcodeOutlined aria-hidden />, group: 'quality' },
  { path: '/workbench/quality/settings', roles: ['system_admin'], label: (t) => t.quality.menu.settings, icon: <SettingOutlined aria-hidden />, group: 'quality' },
  // the server's VERIFIER_ROLES (cases/verification.ts)
  { path: '/workbench/verifications', roles: ['approver', 'inspector', 'department_admin'], label: (t) => t.workbench.verifications, icon: <FileProtectOutlined aria-hidden />, group: 'cases' },
  { path: '/workbench/credit', roles: ['inspector', 'supervisor', 'system_admin'], label: (t) => t.workbench.creditLists, icon: <SafetyOutlined aria-hidden />, group: 'admin' },
  // the server's DEPARTMENT_VIEW_ROLES (supervision/service.ts)
  { path: '/workbench/supervision', roles: ['supervisor', 'system_admin', 'department_admin'], label: (t) => t.supervision.menu.dashboard, icon: <DashboardOutlined aria-hidden />, group: 'cases' },
];

export function adminPagesFor(roles: readonly string[]): AdminPage[] {
  return ADMIN_PAGES.filter((page) => page.roles.some((role) => roles.includes(role)));
}

/** The menu entry a page belongs to: the longest entry path the address starts with (an item's editor is under 事项管理). */
export function menuKeyFor(pathname: string, pages: readonly AdminPage[]): string {
  const match = pages.filter((p) => pathname === p.path || pathname.startsWith(`${p.path}/`)).sort((a, b) => b.path.length - a.path.length)[0];
  return match?.path ?? pathname;
}

export function rolesFor(path: string): readonly StaffRole[] {
  const page = ADMIN_PAGES.find((p) => p.path === path);
  if (!page) throw new Error(`no admin page ${path}`);
  return page.roles;
}
