import { Type, type Static } from 'typebox';
import {
  ACCESS_KINDS,
  ACCESS_OUTCOMES,
  BACKENDS,
  FIELD_TYPES,
  GRANT_STATES,
  REQUEST_STATUSES,
  RESOURCE_STATUSES,
  SENSITIVITIES,
  SHARING_TYPES,
  SUBJECT_TYPES,
  UPDATE_FREQUENCIES,
} from '../../shared/sharing-codes.js';

const Uuid = Type.String({ format: 'uuid' });
const Instant = Type.String({ format: 'date-time' });
const NullableInstant = Type.Union([Instant, Type.Null()]);
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
/** Item names as they appear in datasets and answers: camelCase identifiers. */
const FieldName = Type.String({ pattern: '^[a-z][A-Za-z0-9_]{0,63}$', description: '数据项英文名（小驼峰）' });
/** A service item: its 12-character basic code or 31-character implementation code. */
const ItemCode = Type.String({ pattern: '^[0-9A-Z]{12}$|^[0-9A-Z]{31}$', description: '事项基本编码（12 位）或实施编码（31 位）' });

export const ResourceField = Type.Object({
  name: FieldName,
  label: Type.String({ minLength: 1, maxLength: 50, description: '中文名称' }),
  type: Type.Enum(FIELD_TYPES),
  sensitivity: Type.Enum(SENSITIVITIES),
  required: Type.Optional(Type.Boolean({ default: false, description: '数据集上传时新记录必须填写' })),
  description: Type.Optional(Type.String({ maxLength: 200 })),
});
export type ResourceField = Static<typeof ResourceField>;

export const Endpoint = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 500, description: '提供部门接口地址（http/https，主机须在 SHARING_ENDPOINT_HOSTS 内）' }),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 10_000, default: 2000, description: '每次调用超时（毫秒）' })),
  retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 3, default: 1, description: '失败重试次数' })),
});
export type Endpoint = Static<typeof Endpoint>;

export const ResourceInput = Type.Object({
  providerDepartmentId: Type.Optional(Type.String({ format: 'uuid', description: '提供部门（默认本部门；只能是本部门）' })),
  code: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$', description: '信息资源代码（字母、数字、下划线、连字符；事项材料以此引用，如 household）' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  subjectType: Type.Enum(SUBJECT_TYPES),
  subjectField: FieldName,
  fields: Type.Array(ResourceField, { minItems: 1, maxItems: 100 }),
  updateFrequency: Type.Enum(UPDATE_FREQUENCIES),
  sharingType: Type.Enum(SHARING_TYPES),
  conditions: Type.Optional(Type.String({ maxLength: 1000, description: '有条件共享的条件，或不予共享的理由' })),
  legalBasis: Type.String({ minLength: 1, maxLength: 1000, description: '共享依据（法律法规、政策文件）' }),
  backend: Type.Enum(BACKENDS),
  endpoint: Type.Optional(Endpoint),
});
export type ResourceInput = Static<typeof ResourceInput>;

export const ResourcePatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  fields: Type.Optional(Type.Array(ResourceField, { minItems: 1, maxItems: 100 })),
  updateFrequency: Type.Optional(Type.Enum(UPDATE_FREQUENCIES)),
  sharingType: Type.Optional(Type.Enum(SHARING_TYPES)),
  conditions: Type.Optional(Type.String({ maxLength: 1000 })),
  legalBasis: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  endpoint: Type.Optional(Endpoint),
});
export type ResourcePatch = Static<typeof ResourcePatch>;

export const Resource = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  providerDepartmentId: Type.String(),
  providerDepartmentName: Type.String(),
  subjectType: Type.Enum(SUBJECT_TYPES),
  subjectField: Type.String(),
  fields: Type.Array(Type.Object({
    name: Type.String(),
    label: Type.String(),
    type: Type.Enum(FIELD_TYPES),
    sensitivity: Type.Enum(SENSITIVITIES),
    required: Type.Boolean(),
    description: Type.Optional(Type.String()),
  })),
  updateFrequency: Type.Enum(UPDATE_FREQUENCIES),
  sharingType: Type.Enum(SHARING_TYPES),
  conditions: Type.Union([Type.String(), Type.Null()]),
  legalBasis: Type.String(),
  backend: Type.Enum(BACKENDS),
  endpoint: Type.Optional(Type.Union([Type.Object({ url: Type.String(), timeoutMs: Type.Integer(), retries: Type.Integer() }), Type.Null()], { description: '仅提供部门可见' })),
  recordCount: Type.Optional(Type.Integer({ description: '平台库表中的记录数（仅提供部门可见）' })),
  status: Type.Enum(RESOURCE_STATUSES),
  createdAt: Instant,
  updatedAt: Instant,
  publishedAt: NullableInstant,
});
export type Resource = Static<typeof Resource>;

export const ResourceQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: '名称、代码或描述中的文字' })),
  departmentId: Type.Optional(Type.String({ format: 'uuid', description: '提供部门' })),
  status: Type.Optional(Type.Enum(RESOURCE_STATUSES, { description: '草稿只对本部门可见' })),
  sharingType: Type.Optional(Type.Enum(SHARING_TYPES)),
  subjectType: Type.Optional(Type.Enum(SUBJECT_TYPES)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
});
export type ResourceQuery = Static<typeof ResourceQuery>;

export const DatasetJson = Type.Object({
  records: Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: '每行一个对象：主体字段、数据项，可选 _op（upsert / delete）' }),
});

export const DatasetReport = Type.Object({
  rows: Type.Integer({ description: '数据行数' }),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  deleted: Type.Integer(),
  recordCount: Type.Integer({ description: '导入后的记录总数' }),
});
export type DatasetReport = Static<typeof DatasetReport>;

export const AccessRequestInput = Type.Object({
  resourceId: Uuid,
  purpose: Type.String({ minLength: 1, maxLength: 500, description: '使用用途' }),
  itemCodes: Type.Optional(Type.Array(ItemCode, { maxItems: 50, uniqueItems: true, description: '数据服务的事项' })),
  fields: Type.Array(FieldName, { minItems: 1, maxItems: 100, uniqueItems: true, description: '申请的数据项' }),
  until: Type.Optional(Day),
});
export type AccessRequestInput = Static<typeof AccessRequestInput>;

export const AccessRequest = Type.Object({
  id: Type.String(),
  resourceId: Type.String(),
  resourceCode: Type.String(),
  resourceName: Type.String(),
  providerDepartmentId: Type.String(),
  providerDepartmentName: Type.String(),
  consumerDepartmentId: Type.String(),
  consumerDepartmentName: Type.String(),
  purpose: Type.String(),
  itemCodes: Type.Array(Type.String()),
  fields: Type.Array(Type.String()),
  requestedUntil: Type.Union([Type.String(), Type.Null()]),
  status: Type.Enum(REQUEST_STATUSES),
  createdAt: Instant,
  decidedAt: NullableInstant,
  decisionNote: Type.Union([Type.String(), Type.Null()]),
  grantId: Type.Union([Type.String(), Type.Null()]),
});
export type AccessRequest = Static<typeof AccessRequest>;

export const RequestQuery = Type.Object({
  side: Type.Optional(Type.Enum(['incoming', 'outgoing'] as const, { default: 'incoming', description: 'incoming：对本部门资源的申请；outgoing：本部门提出的申请' })),
  departmentId: Type.Optional(Type.String({ format: 'uuid', description: '系统管理员可指定部门；默认本部门' })),
  status: Type.Optional(Type.Enum(REQUEST_STATUSES)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
});
export type RequestQuery = Static<typeof RequestQuery>;

export const DecisionInput = Type.Object({
  decision: Type.Enum(['grant', 'reject'] as const),
  fields: Type.Optional(Type.Array(FieldName, { minItems: 1, maxItems: 100, uniqueItems: true, description: '授权的数据项（申请项的子集；默认全部申请项）' })),
  expiresOn: Type.Optional(Type.String({ format: 'date', description: '授权到期日（含当日，默认申请的期限或一年）' })),
  note: Type.Optional(Type.String({ maxLength: 500 })),
});
export type DecisionInput = Static<typeof DecisionInput>;

export const Grant = Type.Object({
  id: Type.String(),
  requestId: Type.Union([Type.String(), Type.Null()]),
  resourceId: Type.String(),
  resourceCode: Type.String(),
  resourceName: Type.String(),
  providerDepartmentId: Type.String(),
  providerDepartmentName: Type.String(),
  consumerDepartmentId: Type.String(),
  consumerDepartmentName: Type.String(),
  fields: Type.Array(Type.String()),
  itemCodes: Type.Array(Type.String()),
  purpose: Type.String(),
  expiresAt: Instant,
  grantedAt: Instant,
  revokedAt: NullableInstant,
  revokeReason: Type.Union([Type.String(), Type.Null()]),
  state: Type.Enum(GRANT_STATES),
});
export type Grant = Static<typeof Grant>;

export const GrantQuery = Type.Object({
  side: Type.Optional(Type.Enum(['provider', 'consumer'] as const, { default: 'provider', description: 'provider：本部门资源的授权；consumer：本部门获得的授权' })),
  departmentId: Type.Optional(Type.String({ format: 'uuid', description: '系统管理员可指定部门；默认本部门' })),
  resourceId: Type.Optional(Type.String({ format: 'uuid' })),
  live: Type.Optional(Type.Boolean({ description: '只看未撤销的授权' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
});
export type GrantQuery = Static<typeof GrantQuery>;

export const RevokeInput = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) });

export const CredentialInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100, description: '调用系统名称' }),
  departmentId: Type.Optional(Type.String({ format: 'uuid', description: '使用部门（默认本部门；只能是本部门）' })),
});
export type CredentialInput = Static<typeof CredentialInput>;

export const CredentialQuery = Type.Object({
  departmentId: Type.Optional(Type.String({ format: 'uuid', description: '默认本部门；只能是本部门' })),
});

export const Credential = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  departmentId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Instant,
  revokedAt: NullableInstant,
});

export const CredentialIssued = Type.Object({
  client: Credential,
  token: Type.String({ description: '仅此一次返回，请妥善保存；调用网关时作为 Authorization: Bearer' }),
});

export const LookupInput = Type.Object({
  subject: Type.String({ minLength: 1, maxLength: 64, description: '查询对象：身份证号码或统一社会信用代码' }),
  fields: Type.Optional(Type.Array(FieldName, { minItems: 1, maxItems: 100, uniqueItems: true, description: '需要的数据项（默认全部已授权项）' })),
  purpose: Type.Optional(Type.String({ maxLength: 200 })),
});
export type LookupInput = Static<typeof LookupInput>;

export const LookupHeaders = Type.Object({
  'x-tongban-case': Type.Optional(Type.String({ description: '本次查询所办理的办件编号（必填，1-64 个可见字符）' })),
});

export const LookupPayload = Type.Object({
  requestId: Type.String(),
  kind: Type.Enum(ACCESS_KINDS),
  resourceId: Type.String(),
  resourceCode: Type.String(),
  subjectType: Type.Enum(SUBJECT_TYPES),
  subject: Type.String(),
  caseRef: Type.Union([Type.String(), Type.Null()]),
  consentId: Type.Union([Type.String(), Type.Null()]),
  consumerDepartmentId: Type.String(),
  purpose: Type.Union([Type.String(), Type.Null()]),
  fields: Type.Array(Type.String()),
  found: Type.Boolean(),
  data: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  issuedAt: Instant,
});

export const SignedLookup = Type.Object({
  payload: LookupPayload,
  signature: Type.Object({
    algorithm: Type.Literal('SM2-SM3'),
    keyId: Type.String(),
    userId: Type.String(),
    value: Type.String({ description: 'r || s（各 64 位十六进制），对 payload 的规范 JSON（键按字典序、无空白）签名' }),
  }),
});

export const AccessLogEntry = Type.Object({
  id: Type.Integer(),
  at: Instant,
  requestId: Type.String(),
  kind: Type.Enum(ACCESS_KINDS),
  actor: Type.Union([Type.String(), Type.Null()]),
  resourceId: Type.String(),
  resourceCode: Type.String(),
  resourceName: Type.String(),
  providerDepartmentId: Type.String(),
  providerDepartmentName: Type.String(),
  consumerDepartmentId: Type.Union([Type.String(), Type.Null()]),
  consumerDepartmentName: Type.Union([Type.String(), Type.Null()]),
  subjectMasked: Type.String(),
  caseRef: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Enum(ACCESS_OUTCOMES),
  reason: Type.Union([Type.String(), Type.Null()]),
  fields: Type.Array(Type.String()),
  responseDigest: Type.Union([Type.String(), Type.Null()]),
});

export const AccessLogQuery = Type.Object({
  side: Type.Optional(Type.Enum(['provider', 'consumer'] as const, { default: 'provider', description: 'provider：对本部门数据的访问；consumer：本部门发起的访问' })),
  departmentId: Type.Optional(Type.String({ format: 'uuid', description: '系统管理员可指定部门；默认本部门' })),
  resourceId: Type.Optional(Type.String({ format: 'uuid' })),
  outcome: Type.Optional(Type.Enum(ACCESS_OUTCOMES)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
});
export type AccessLogQuery = Static<typeof AccessLogQuery>;

export const MyDataAccess = Type.Object({
  id: Type.Integer(),
  at: Instant,
  kind: Type.Enum(ACCESS_KINDS),
  resourceName: Type.String(),
  providerDepartmentName: Type.String(),
  consumerDepartmentName: Type.Union([Type.String(), Type.Null()]),
  caseRef: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Enum(ACCESS_OUTCOMES),
  fields: Type.Array(Type.Object({ name: Type.String(), label: Type.String() })),
});

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
});

export const LogVerification = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  chains: Type.Integer(),
  firstBrokenId: Type.Optional(Type.Integer()),
  chain: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
});

export const PlatformKeys = Type.Object({
  currentKeyId: Type.Union([Type.String(), Type.Null()]),
  keys: Type.Array(Type.Object({
    keyId: Type.String(),
    algorithm: Type.String(),
    publicKey: Type.String({ description: 'SM2 公钥，未压缩点 04||x||y 的十六进制' }),
    userId: Type.String({ description: '签名者标识（默认 1234567812345678）' }),
    createdAt: Instant,
    retiredAt: NullableInstant,
  })),
});

export const PrefillOptionsQuery = Type.Object({ itemCode: Type.String({ pattern: '^[0-9A-Z]{31}$', description: '事项实施编码' }) });

export const PrefillOptions = Type.Object({
  itemCode: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  resources: Type.Array(Type.Object({
    resourceId: Type.String(),
    code: Type.String(),
    name: Type.String(),
    providerDepartmentName: Type.String(),
    fields: Type.Array(Type.Object({ name: Type.String(), label: Type.String() })),
  })),
});

export const PrefillPreviewInput = Type.Object({
  itemCode: Type.String({ pattern: '^[0-9A-Z]{31}$', description: '事项实施编码' }),
  resourceIds: Type.Array(Uuid, { minItems: 1, maxItems: 20, uniqueItems: true }),
  consent: Type.Boolean({ description: '本人同意平台为该事项从上述资源调取本人数据（必须为 true）' }),
});
export type PrefillPreviewInput = Static<typeof PrefillPreviewInput>;

export const PrefillPreview = Type.Object({
  consentId: Type.String(),
  itemCode: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  expiresAt: Instant,
  resources: Type.Array(Type.Object({
    resourceId: Type.String(),
    name: Type.String(),
    status: Type.Enum(['ok', 'not_found', 'unavailable'] as const),
    reason: Type.Union([Type.String(), Type.Null()], { description: 'unavailable 的原因：网关的错误代码（如 no_grant），或 resource_not_found、subject_type_mismatch' }),
    values: Type.Array(Type.Object({ field: Type.String(), label: Type.String(), value: Type.Unknown() })),
  })),
});

export const Consent = Type.Object({
  id: Type.String(),
  itemCode: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  resourceIds: Type.Array(Type.String()),
  createdAt: Instant,
  expiresAt: Instant,
  withdrawnAt: NullableInstant,
});
