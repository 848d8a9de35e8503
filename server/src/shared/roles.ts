/** Staff roles. English identifiers in code; the UI shows the Chinese label. */
export const STAFF_ROLES = [
  'window_clerk',
  'approver',
  'department_admin',
  'catalog_admin',
  'supervisor',
  'data_sharing_admin',
  'inspector',
  'system_admin',
] as const;

export type StaffRole = (typeof STAFF_ROLES)[number];

export const ROLE_LABELS: Record<StaffRole, { zh: string; en: string }> = {
  window_clerk: { zh: '综合窗口人员', en: 'Window clerk' },
  approver: { zh: '后台审批人员', en: 'Approver' },
  department_admin: { zh: '部门管理员', en: 'Department admin' },
  catalog_admin: { zh: '事项管理员', en: 'Catalog admin' },
  supervisor: { zh: '效能监督人员', en: 'Supervisor' },
  data_sharing_admin: { zh: '数据共享管理员', en: 'Data-sharing admin' },
  inspector: { zh: '监管执法人员', en: 'Inspector' },
  system_admin: { zh: '系统管理员', en: 'System admin' },
};

/**
 * How far a role reaches. 'department': the staff member's own department. 'region': every
 * department in the staff member's department's region and the regions below it (a comprehensive
 * window serves every item of its region; a district supervisor watches the whole district).
 * 'city': everything.
 */
export type RoleReach = 'department' | 'region' | 'city';

export const ROLE_REACH: Record<StaffRole, RoleReach> = {
  window_clerk: 'region',
  approver: 'department',
  department_admin: 'department',
  catalog_admin: 'department',
  supervisor: 'region',
  data_sharing_admin: 'department',
  inspector: 'department',
  system_admin: 'city',
};

/** Roles a department admin may hand out: never the city-wide or supervisory ones. */
export const DEPARTMENT_GRANTABLE_ROLES: readonly StaffRole[] = ['window_clerk', 'approver', 'department_admin', 'catalog_admin', 'data_sharing_admin', 'inspector'];

export function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value);
}

/**
 * Scopes a channel system's bearer token may hold. `sharing:lookup` is a department's own system
 * calling the data-sharing gateway: such a client belongs to that department (the consumer).
 */
export const CLIENT_SCOPES = ['catalog:read', 'cases:read', 'cases:write', 'licenses:verify', 'calendar:read', 'sharing:lookup'] as const;
export type ClientScope = (typeof CLIENT_SCOPES)[number];
