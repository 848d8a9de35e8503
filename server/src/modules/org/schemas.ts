import { Type, type Static } from 'typebox';

export const RegionLevel = Type.Union([Type.Literal('city'), Type.Literal('district'), Type.Literal('street'), Type.Literal('community')]);

export const Region = Type.Object({
  code: Type.String({ description: '行政区划代码 (GB/T 2260, 街道 9 位, 社区 12 位)' }),
  name: Type.String(),
  level: RegionLevel,
  parentCode: Type.Union([Type.String(), Type.Null()]),
});
export type Region = Static<typeof Region>;

export const RegionInput = Type.Object({
  code: Type.String({ pattern: '^\\d{6}(\\d{3}(\\d{3})?)?$' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  level: RegionLevel,
  parentCode: Type.Optional(Type.Union([Type.String({ pattern: '^\\d{6,12}$' }), Type.Null()])),
});
export type RegionInput = Static<typeof RegionInput>;

export const RegionPatch = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });

export const Department = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  creditCode: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  active: Type.Boolean(),
});
export type Department = Static<typeof Department>;

export const DepartmentInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  creditCode: Type.String({ minLength: 18, maxLength: 18 }),
  regionCode: Type.String({ pattern: '^\\d{6,12}$' }),
});
export type DepartmentInput = Static<typeof DepartmentInput>;

export const DepartmentPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  active: Type.Optional(Type.Boolean()),
});
export type DepartmentPatch = Static<typeof DepartmentPatch>;

export const Hall = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  regionCode: Type.String(),
  address: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  openingHours: Type.Union([Type.String(), Type.Null()]),
});
export type Hall = Static<typeof Hall>;

export const HallQuery = Type.Object({
  mine: Type.Optional(Type.Boolean({ description: 'true：本人（工作人员）可在其窗口服务的大厅，即本部门所在区划及其下级区划的大厅' })),
});

export const HallInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  regionCode: Type.String({ pattern: '^\\d{6,12}$' }),
  address: Type.String({ minLength: 1, maxLength: 200 }),
  phone: Type.Optional(Type.String({ maxLength: 30 })),
  openingHours: Type.Optional(Type.String({ maxLength: 200 })),
});
export type HallInput = Static<typeof HallInput>;

export const DepartmentQuery = Type.Object({
  regionCode: Type.Optional(Type.String({ pattern: '^\\d{6,12}$' })),
});
