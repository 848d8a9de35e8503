import type { Static } from 'typebox';
import type { LoginInput, LoginResult, Me as MeSchema, RegisterInput, Registered, Staff as StaffSchema, StaffInput, StaffPatch } from '@server/modules/identity/schemas';
import { api, type Query } from '../../app/api';

export type Me = Static<typeof MeSchema>;
export type Staff = Static<typeof StaffSchema>;
export interface StaffPage {
  items: Staff[];
  nextCursor: string | null;
}

export const identityApi = {
  me: () => api.get<Me>('/api/v1/auth/me'),
  login: (input: LoginInput) => api.post<Static<typeof LoginResult>>('/api/v1/auth/login', input),
  logout: () => api.post<{ ok: true }>('/api/v1/auth/logout'),
  register: (input: RegisterInput) => api.post<Static<typeof Registered>>('/api/v1/auth/register', input),
  listStaff: (query: Query) => api.get<StaffPage>('/api/v1/admin/staff', query),
  createStaff: (input: StaffInput) => api.post<Staff>('/api/v1/admin/staff', input),
  updateStaff: (id: string, patch: StaffPatch) => api.patch<Staff>(`/api/v1/admin/staff/${encodeURIComponent(id)}`, patch),
};
