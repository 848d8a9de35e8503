import { Type, type Static } from 'typebox';
import { CLIENT_SCOPES, STAFF_ROLES } from '../../shared/roles.js';

export const StaffRoleSchema = Type.Enum(STAFF_ROLES);
export const ClientScopeSchema = Type.Enum(CLIENT_SCOPES);

/** `then` applies only when `kind` is present and equals `kind`. */
const requiredFor = (kind: 'natural' | 'legal', field: string) => ({
  if: { properties: { kind: { const: kind } }, required: ['kind'] },
  then: { required: [field] },
});

export const RegisterInput = Type.Object({
  kind: Type.Union([Type.Literal('natural'), Type.Literal('legal')], { description: 'natural 自然人 / legal 法人' }),
  name: Type.String({ minLength: 1, maxLength: 100, description: '姓名或单位名称' }),
  idNumber: Type.Optional(Type.String({ maxLength: 30, description: '居民身份证号码 (GB 11643)，自然人必填' })),
  creditCode: Type.Optional(Type.String({ maxLength: 30, description: '统一社会信用代码 (GB 32100)，法人必填' })),
  phone: Type.String({ maxLength: 20 }),
  password: Type.String({ maxLength: 128 }),
}, {
  // The identifier each kind needs is required here too, so that an incomplete form gets every
  // missing field in one answer rather than the identifier only after the rest is fixed.
  allOf: [requiredFor('natural', 'idNumber'), requiredFor('legal', 'creditCode')],
});
export type RegisterInput = Static<typeof RegisterInput>;

export const Registered = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('natural'), Type.Literal('legal')]),
  name: Type.String(),
  username: Type.String({ description: '登录名：证件号码（脱敏显示于列表）' }),
});

export const LoginInput = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 128 }),
});
export type LoginInput = Static<typeof LoginInput>;

export const SessionUser = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('natural'), Type.Literal('legal'), Type.Literal('staff')]),
  roles: Type.Array(Type.String()),
  departmentId: Type.Optional(Type.String()),
});
export type SessionUser = Static<typeof SessionUser>;

export const LoginResult = Type.Object({
  user: SessionUser,
  csrfToken: Type.String({ description: 'echo in X-CSRF-Token on cookie-authenticated writes' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

export const Me = Type.Object({
  user: SessionUser,
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  idMasked: Type.Union([Type.String(), Type.Null()]),
  csrfToken: Type.Union([Type.String(), Type.Null()]),
});

export const Staff = Type.Object({
  id: Type.String(),
  username: Type.String(),
  name: Type.String(),
  departmentId: Type.String(),
  roles: Type.Array(StaffRoleSchema),
  phone: Type.Union([Type.String(), Type.Null()], { description: '列表中脱敏' }),
  active: Type.Boolean(),
});
export type Staff = Static<typeof Staff>;

export const StaffInput = Type.Object({
  username: Type.String({ minLength: 3, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' }),
  name: Type.String({ minLength: 1, maxLength: 50 }),
  departmentId: Type.String({ format: 'uuid' }),
  roles: Type.Array(StaffRoleSchema, { minItems: 1, uniqueItems: true }),
  phone: Type.Optional(Type.String({ maxLength: 20 })),
  password: Type.String({ maxLength: 128 }),
});
export type StaffInput = Static<typeof StaffInput>;

export const StaffPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  departmentId: Type.Optional(Type.String({ format: 'uuid' })),
  roles: Type.Optional(Type.Array(StaffRoleSchema, { minItems: 1, uniqueItems: true })),
  phone: Type.Optional(Type.String({ maxLength: 20 })),
  active: Type.Optional(Type.Boolean()),
});
export type StaffPatch = Static<typeof StaffPatch>;

export const PasswordReset = Type.Object({ password: Type.String({ maxLength: 128 }) });

export const StaffQuery = Type.Object({
  departmentId: Type.Optional(Type.String({ format: 'uuid' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
});

export const ApiClient = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  departmentId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const ApiClientInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  scopes: Type.Array(ClientScopeSchema, { minItems: 1, uniqueItems: true }),
  departmentId: Type.Optional(Type.String({ format: 'uuid' })),
});
export type ApiClientInput = Static<typeof ApiClientInput>;

export const ApiClientCreated = Type.Object({
  client: ApiClient,
  token: Type.String({ description: '仅此一次返回，请妥善保存 (shown once)' }),
});
