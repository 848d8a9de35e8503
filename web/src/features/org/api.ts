import type { Static } from 'typebox';
import type { Department as DepartmentSchema, DepartmentInput, DepartmentPatch, Hall as HallSchema, Region as RegionSchema, RegionInput } from '@server/modules/org/schemas';
import { api } from '../../app/api';

export type Region = Static<typeof RegionSchema>;
export type RegionLevel = Region['level'];
export type Department = Static<typeof DepartmentSchema>;
export type Hall = Static<typeof HallSchema>;
export interface List<T> {
  items: T[];
}

export const REGIONS_PATH = '/api/v1/regions';
export const DEPARTMENTS_PATH = '/api/v1/departments';
export const HALLS_PATH = '/api/v1/halls';

export const orgApi = {
  createRegion: (input: RegionInput) => api.post<Region>('/api/v1/admin/regions', input),
  createDepartment: (input: DepartmentInput) => api.post<Department>('/api/v1/admin/departments', input),
  updateDepartment: (id: string, patch: DepartmentPatch) => api.patch<Department>(`/api/v1/admin/departments/${encodeURIComponent(id)}`, patch),
};

export interface RegionNode extends Region {
  children?: RegionNode[];
}

/** Regions arrive flat, ordered by path; tables and tree selects want them nested. */
export function regionTree(regions: readonly Region[]): RegionNode[] {
  const nodes = new Map<string, RegionNode>(regions.map((r) => [r.code, { ...r }]));
  const roots: RegionNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentCode ? nodes.get(node.parentCode) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}
