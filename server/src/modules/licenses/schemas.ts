import { Type, type Static, type TSchema } from 'typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Instant = Type.String({ format: 'date-time' });
/** The catalog's name for a license type (materials' and results' `licenseTypeCode`). */
const TypeKey = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,40}$', description: '证照类型标识（事项材料、结果中的 licenseTypeCode）' });
const CaseNumber = Type.String({ pattern: '^[\\x21-\\x7e]{1,64}$', description: '办件编号' });
const Reason = Type.String({ minLength: 1, maxLength: 500 });
const DataValues = Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,39}$' }), Type.String({ maxLength: 500 }), { description: '照面信息：照面项名称 → 内容' });

export const LicenseField = Type.Object({
  name: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,39}$', description: '照面项名称（与事项表单字段同名时自动取值）' }),
  label: Type.String({ minLength: 1, maxLength: 40 }),
  required: Type.Boolean({ default: false }),
});

export const LicenseTypeInput = Type.Object({
  code: TypeKey,
  typeCode: Type.String({ minLength: 21, maxLength: 21, description: 'GB/T 36904 证照类型代码：定义机构统一社会信用代码 + 3 位数字' }),
  name: Type.String({ minLength: 1, maxLength: 60 }),
  holderKind: Type.Enum(['natural', 'legal', 'any'] as const, { description: '持证主体：自然人、法人或不限' }),
  issuingDepartmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 100, description: '颁发部门（空：不限）' })),
  fields: Type.Optional(Type.Array(LicenseField, { maxItems: 40 })),
  validityYears: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100, description: '有效期（年）；null 为长期' }))),
  template: Type.Optional(Type.Object({ title: Type.Optional(Type.String({ maxLength: 60 })), note: Type.Optional(Type.String({ maxLength: 200 })) })),
});
export type LicenseTypeInput = Static<typeof LicenseTypeInput>;

export const LicenseType = Type.Object({
  id: Uuid,
  code: Type.String(),
  typeCode: Type.String(),
  name: Type.String(),
  holderKind: Type.Enum(['natural', 'legal', 'any'] as const),
  issuingDepartmentIds: Type.Array(Uuid),
  fields: Type.Array(LicenseField),
  validityYears: Nullable(Type.Integer()),
  template: Type.Object({ title: Type.Optional(Type.String()), note: Type.Optional(Type.String()) }),
});
export type LicenseType = Static<typeof LicenseType>;

export const SealInput = Type.Object({
  departmentId: Uuid,
  name: Type.String({ minLength: 1, maxLength: 40, description: '印章名称，如 行政审批专用章' }),
});
export type SealInput = Static<typeof SealInput>;

/** A seal as routes show it: the public key, never the private one. */
export const Seal = Type.Object({
  id: Uuid,
  departmentId: Uuid,
  name: Type.String(),
  keyId: Type.String(),
  algorithm: Type.String(),
  publicKey: Type.String({ description: 'SM2 公钥（04 || x || y，十六进制）' }),
  status: Type.Enum(['active', 'retired'] as const),
  createdAt: Instant,
  retiredAt: Nullable(Instant),
});
export type Seal = Static<typeof Seal>;

export const SealQuery = Type.Object({ departmentId: Type.Optional(Uuid) });

const Holder = Type.Object({
  identifier: Type.String({ minLength: 15, maxLength: 18, description: '身份证号码（代码类型 111）或统一社会信用代码（001）' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
});

export const IssueInput = Type.Object({
  type: TypeKey,
  holder: Holder,
  data: Type.Optional(DataValues),
  validFrom: Type.Optional(IsoDate),
  validUntil: Type.Optional(Nullable(IsoDate)),
  caseNumber: Type.Optional(CaseNumber),
});
export type IssueInput = Static<typeof IssueInput>;

export const RevokeInput = Type.Object({ reason: Reason, caseNumber: CaseNumber });
export type RevokeInput = Static<typeof RevokeInput>;

export const ChangeInput = Type.Object({
  reason: Reason,
  caseNumber: CaseNumber,
  data: DataValues,
  holderName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  validUntil: Type.Optional(Nullable(IsoDate)),
});
export type ChangeInput = Static<typeof ChangeInput>;

export const LicenseIdParam = Type.Object({ licenseId: Type.String({ minLength: 1, maxLength: 100, description: 'GB/T 36904 电子证照标识' }) });

const StatusEnum = Type.Enum(['valid', 'revoked', 'superseded'] as const);

export const License = Type.Object({
  licenseId: Type.String(),
  type: Type.String({ description: '证照类型标识' }),
  typeCode: Type.String({ description: 'GB/T 36904 证照类型代码' }),
  name: Type.String(),
  holder: Type.Object({ kind: Type.Enum(['natural', 'legal'] as const), idType: Type.Enum(['111', '001'] as const), name: Type.String(), identifierMasked: Type.String() }),
  issuer: Type.Object({ departmentId: Uuid, code: Type.String(), name: Type.String() }),
  issuedOn: IsoDate,
  validFrom: IsoDate,
  validUntil: Nullable(IsoDate),
  data: Type.Array(Type.Object({ name: Type.String(), label: Type.String(), value: Type.String() })),
  status: StatusEnum,
  expired: Type.Boolean(),
  statusReason: Nullable(Type.String()),
  statusCaseNumber: Nullable(Type.String()),
  successorLicenseId: Nullable(Type.String()),
  source: Type.Enum(['case', 'direct', 'import'] as const),
  caseNumber: Nullable(Type.String()),
  seal: Type.Object({ keyId: Type.String(), name: Type.String() }),
  signedAt: Instant,
  signatureAlgorithm: Type.Literal('SM2-SM3'),
});
export type License = Static<typeof License>;

export const LicenseDetail = Type.Intersect([
  License,
  Type.Object({
    history: Type.Array(Type.Object({ action: Type.String(), at: Instant, reason: Nullable(Type.String()), caseNumber: Nullable(Type.String()), actorKind: Type.String() })),
  }),
]);
export type LicenseDetail = Static<typeof LicenseDetail>;

export const MineQuery = Type.Object({ mine: Type.Literal(true, { description: '持证人本人的电子证照（必填 true）' }) });
export const IssuedQuery = Type.Object({ departmentId: Type.Optional(Uuid), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) });
export const CaseLookupQuery = Type.Object({ caseNumber: CaseNumber });

export const Verification = Type.Object({
  licenseId: Type.String(),
  valid: Type.Boolean({ description: '签名有效、未注销、未变更、未过期' }),
  revoked: Type.Boolean(),
  expired: Type.Boolean(),
  superseded: Type.Boolean({ description: '已变更，由新版本替代' }),
  signatureValid: Type.Boolean(),
  reason: Type.Enum(['ok', 'revoked', 'expired', 'superseded', 'tampered', 'bad_signature', 'unknown_seal'] as const),
  name: Type.String(),
  holderMasked: Type.String(),
  issuer: Type.String(),
  issuedAt: IsoDate,
  validUntil: Nullable(IsoDate),
  revokedAt: Nullable(Instant),
  successorLicenseId: Nullable(Type.String()),
  signatureAlgorithm: Type.Literal('SM2-SM3'),
  seal: Nullable(Type.Object({ keyId: Type.String(), name: Type.String(), department: Type.String() })),
  checkedAt: Instant,
});
export type Verification = Static<typeof Verification>;

export const ImportReport = Type.Object({
  imported: Type.Integer(),
  licenses: Type.Array(Type.Object({ row: Type.Integer(), licenseId: Type.String() })),
});
export type ImportReport = Static<typeof ImportReport>;
