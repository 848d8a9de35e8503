import { Type, type Static } from 'typebox';
import {
  CASE_KINDS,
  FORM_WIDGETS,
  HANDLING_FORMS,
  HANDLING_ITEM_KINDS,
  IMPLEMENTER_NATURES,
  ITEM_TYPES,
  MATERIAL_REQUIREMENTS,
  MATERIAL_SOURCES,
  RESULT_KINDS,
  SERVICE_OBJECTS,
  SPECIAL_PROCEDURE_KINDS,
  THEMES,
} from '../../shared/catalog-codes.js';
import { STAFF_ROLES } from '../../shared/roles.js';

/*
 * The service item (事项) as the catalog stores and publishes it. `ItemContent` is everything an
 * editor writes in one version; the item's identity (implementation code, basic code,
 * department) is fixed when the item is created and never changes across versions.
 * Structural checks live here (the route schemas); the checks that need other data (codes
 * against the department's credit code, proofs and intermediaries on their lists, halls exist,
 * promised <= legal, a well-formed form schema) are the service's, at save and again at publish.
 */

const Text = (max: number, options: Record<string, unknown> = {}) => Type.String({ minLength: 1, maxLength: max, ...options });
const WorkingDays = Type.Integer({ minimum: 0, maximum: 3650, description: '工作日' });
const Uuid = Type.String({ format: 'uuid' });

export const LegalBasis = Type.Object({
  title: Text(200, { description: '法律法规名称，如《中华人民共和国行政许可法》' }),
  article: Type.Optional(Type.String({ maxLength: 100, description: '条款，如 第二十九条' })),
  text: Type.Optional(Type.String({ maxLength: 4000, description: '条款原文' })),
});
export type LegalBasis = Static<typeof LegalBasis>;

export const SubItem = Type.Object({ code: Type.Optional(Type.String({ maxLength: 40 })), name: Text(200) });

export const HandlingItem = Type.Object({ name: Text(200), kind: Type.Enum(HANDLING_ITEM_KINDS) });

export const ProcedureStep = Type.Object({
  name: Text(50, { description: '环节名称：受理、审核、决定、送达 …' }),
  role: Type.Enum(STAFF_ROLES, { description: '办理该环节的岗位' }),
  days: WorkingDays,
});
export type ProcedureStep = Static<typeof ProcedureStep>;

export const FeeItem = Type.Object({
  name: Text(100),
  amountFen: Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: '金额（分）' }),
  basis: Text(500, { description: '收费依据' }),
});
export const Fees = Type.Object({
  free: Type.Boolean({ description: 'true = 不收费' }),
  items: Type.Array(FeeItem, { maxItems: 30, description: 'free 为 false 时至少一项' }),
});
export type Fees = Static<typeof Fees>;

export const Material = Type.Object({
  /** Stable within the item across versions, so cases and rules can refer to it. */
  id: Type.String({ pattern: '^[a-z0-9_-]{1,40}$', description: '材料标识（版本间保持不变）' }),
  name: Text(200),
  source: Type.Enum(MATERIAL_SOURCES),
  requirement: Type.Enum(MATERIAL_REQUIREMENTS),
  paperCopies: Type.Integer({ minimum: 0, maximum: 20, description: '纸质复印件份数' }),
  originals: Type.Integer({ minimum: 0, maximum: 20, description: '原件份数（核验）' }),
  sampleFileId: Type.Optional(Type.String({ maxLength: 64, description: '样表' })),
  templateFileId: Type.Optional(Type.String({ maxLength: 64, description: '空白表格' })),
  proofId: Type.Optional(Type.String({ format: 'uuid', description: '关联的保留证明事项' })),
  licenseTypeCode: Type.Optional(Type.String({ maxLength: 40, description: '可替代的电子证照类型' })),
  resourceId: Type.Optional(Type.String({ maxLength: 64, description: '可替代的共享数据资源' })),
  notes: Type.Optional(Type.String({ maxLength: 1000 })),
});
export type Material = Static<typeof Material>;

export const FormFieldHint = Type.Object({
  widget: Type.Enum(FORM_WIDGETS),
  label: Text(100),
  help: Type.Optional(Type.String({ maxLength: 500 })),
  options: Type.Optional(Type.Array(Type.Object({ value: Text(100), label: Text(100) }), { maxItems: 200 })),
  /** Conditional field: shown (and required, if listed as required) only when another field has this value. */
  visibleWhen: Type.Optional(Type.Object({ field: Text(64), equals: Type.Union([Type.String(), Type.Number(), Type.Boolean()]) })),
});
export type FormFieldHint = Static<typeof FormFieldHint>;

export const ApplicationForm = Type.Object({
  /** JSON Schema (draft 2020-12 subset) of the form data, an object schema. */
  schema: Type.Record(Type.String(), Type.Unknown()),
  ui: Type.Object({
    order: Type.Array(Text(64), { maxItems: 200 }),
    fields: Type.Record(Type.String(), FormFieldHint),
  }),
});
export type ApplicationForm = Static<typeof ApplicationForm>;

export const ItemResult = Type.Object({
  name: Text(200),
  kind: Type.Enum(RESULT_KINDS),
  licenseTypeCode: Type.Optional(Type.String({ maxLength: 40 })),
});

export const FourWays = Type.Object({
  immediate: Type.Boolean({ description: '马上办' }),
  online: Type.Boolean({ description: '网上办' }),
  nearby: Type.Boolean({ description: '就近办' }),
  oneVisit: Type.Boolean({ description: '一次办（最多跑一次）' }),
});
export type FourWays = Static<typeof FourWays>;

export const SpecialProcedure = Type.Object({ kind: Type.Enum(SPECIAL_PROCEDURE_KINDS), name: Text(100), days: WorkingDays });

/** A component of a composite item (并联审批): started as a sub-case in its own department on acceptance. */
export const ParallelComponent = Type.Object({
  implementationCode: Type.String({ minLength: 1, maxLength: 40, description: '子事项实施编码' }),
  required: Type.Boolean({ description: 'true = 主办件须等待该子办件办结' }),
});
export type ParallelComponent = Static<typeof ParallelComponent>;

export const Faq = Type.Object({ question: Text(300), answer: Text(4000) });

/** 告知承诺制 terms of an item: the statement signed, the materials it replaces, what follows. */
export const CommitmentTerms = Type.Object({
  statement: Text(4000, { description: '承诺书文本；可含 {applicantName}、{itemName}、{date}' }),
  materialIds: Type.Array(Type.String({ pattern: '^[a-z0-9_-]{1,40}$' }), { minItems: 1, maxItems: 50, description: '以承诺代替的材料' }),
  verificationDays: Type.Integer({ minimum: 1, maximum: 365, description: '批准后核查时限（工作日）' }),
  legalBasis: Text(500, { description: '虚假承诺列入失信名单的依据' }),
  blacklistDays: Type.Integer({ minimum: 1, maximum: 3650, description: '虚假承诺列入失信名单的期限（日）' }),
});
export type CommitmentTerms = Static<typeof CommitmentTerms>;

export const ItemContent = Type.Object({
  name: Text(200, { description: '事项名称' }),
  type: Type.Enum(ITEM_TYPES, { description: '事项类型 (GB/T 39046 附录 A.1)' }),
  implementerNature: Type.Enum(IMPLEMENTER_NATURES, { description: '实施主体性质' }),
  serviceObjects: Type.Array(Type.Enum(SERVICE_OBJECTS), { minItems: 1, uniqueItems: true }),
  subItems: Type.Array(SubItem, { maxItems: 100 }),
  handlingItems: Type.Array(HandlingItem, { maxItems: 20 }),
  legalBasis: Type.Array(LegalBasis, { maxItems: 50 }),
  acceptanceConditions: Type.Array(Text(1000), { maxItems: 50 }),
  procedure: Type.Array(ProcedureStep, { maxItems: 30 }),
  legalDays: WorkingDays,
  promisedDays: WorkingDays,
  caseKind: Type.Enum(CASE_KINDS),
  fees: Fees,
  materials: Type.Array(Material, { maxItems: 100 }),
  form: ApplicationForm,
  results: Type.Array(ItemResult, { maxItems: 20 }),
  hallIds: Type.Array(Uuid, { maxItems: 100, uniqueItems: true }),
  handlingForms: Type.Array(Type.Enum(HANDLING_FORMS), { uniqueItems: true }),
  handling: FourWays,
  onlineDepth: Type.Integer({ minimum: 1, maximum: 4 }),
  visitsRequired: Type.Integer({ minimum: 0, maximum: 10, description: '到现场次数' }),
  appointment: Type.Boolean({ description: '支持预约' }),
  expressDelivery: Type.Boolean({ description: '支持物流快递' }),
  onlinePayment: Type.Boolean({ description: '支持网上支付' }),
  intermediaryServiceIds: Type.Array(Uuid, { maxItems: 30, uniqueItems: true }),
  specialProcedures: Type.Array(SpecialProcedure, { maxItems: 10 }),
  enquiryPhone: Type.String({ maxLength: 30 }),
  complaintPhone: Type.String({ maxLength: 30 }),
  keywords: Type.Array(Text(30), { maxItems: 30 }),
  themes: Type.Array(Type.Enum(THEMES), { maxItems: 10, uniqueItems: true }),
  faq: Type.Array(Faq, { maxItems: 50 }),
  /** Composite item: acceptance starts one sub-case per component, in parallel (并联审批). */
  parallel: Type.Optional(Type.Array(ParallelComponent, { maxItems: 20, description: '并联审批子事项' })),
  /** 容缺受理: whether a decision may be made while owed materials are outstanding (default no). */
  decideWhileOwed: Type.Optional(Type.Boolean({ description: '容缺材料补齐前可以作出决定' })),
  /** 秒批: submission is accepted and decided by the version's published decision rules, with no human step. */
  instantApproval: Type.Optional(Type.Boolean({ description: '秒批（按决策规则自动受理、决定）' })),
  /** 告知承诺制: the applicant may sign this statement in place of the named materials. */
  commitment: Type.Optional(CommitmentTerms),
});
export type ItemContent = Static<typeof ItemContent>;

export const VERSION_STATUSES = ['draft', 'in_review', 'published', 'superseded', 'withdrawn'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** A list row, exactly the CONTRACT's `GET /api/v1/items` item (extend, never remove). */
export const ItemSummary = Type.Object({
  implementationCode: Type.String(),
  basicCode: Type.String(),
  name: Type.String(),
  type: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  handling: FourWays,
  legalDays: Type.Integer(),
  promisedDays: Type.Integer(),
});
export type ItemSummary = Static<typeof ItemSummary>;

// --- write side: authoring, lists of proofs and intermediaries, synonyms (admin API) ------------

export const LIST_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

const ListCode = Type.String({ pattern: '^[0-9A-Za-z_.-]{1,40}$', description: '清单编码（字母、数字、- _ .）' });

/** A retained proof (保留证明事项, §8-9): legal basis, requesting unit, issuing unit and guide. */
export const ProofInput = Type.Object({
  code: ListCode,
  name: Text(200, { description: '证明名称' }),
  legalBasis: Text(2000, { description: '设定依据' }),
  requestingUnit: Text(200, { description: '索要单位' }),
  issuingUnit: Text(200, { description: '开具单位' }),
  guide: Text(4000, { description: '办事指南' }),
});
export type ProofInput = Static<typeof ProofInput>;

export const Proof = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  legalBasis: Type.String(),
  requestingUnit: Type.String(),
  issuingUnit: Type.String(),
  guide: Type.String(),
  status: Type.Enum(LIST_STATUSES),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.Union([Type.String(), Type.Null()], { description: '最后编辑人（发布须由另一人）' }),
});
export type Proof = Static<typeof Proof>;

/** An intermediary service allowed in approvals (中介服务, §22-25), with its fee standard. */
export const IntermediaryInput = Type.Object({
  code: ListCode,
  name: Text(200, { description: '中介服务名称' }),
  legalBasis: Text(2000, { description: '设定依据' }),
  feeStandard: Text(1000, { description: '收费标准' }),
  providerRequirements: Type.Optional(Type.String({ maxLength: 2000, description: '中介机构资质要求' })),
});
export type IntermediaryInput = Static<typeof IntermediaryInput>;

export const Intermediary = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  legalBasis: Type.String(),
  feeStandard: Type.String(),
  providerRequirements: Type.Union([Type.String(), Type.Null()]),
  status: Type.Enum(LIST_STATUSES),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
});
export type Intermediary = Static<typeof Intermediary>;

export const SynonymEntry = Type.Object({
  term: Text(30, { description: '检索词' }),
  expansions: Type.Array(Text(30), { minItems: 1, maxItems: 30, description: '同义词 / 俗称' }),
});
export type SynonymEntry = Static<typeof SynonymEntry>;
export const SynonymsInput = Type.Object({ entries: Type.Array(SynonymEntry, { maxItems: 5000 }) });

/** Creating an item fixes its identity: implementation code = department credit code + level + basic code. */
export const NewItemInput = Type.Object({
  departmentId: Uuid,
  exerciseLevel: Type.Integer({ minimum: 1, maximum: 6, description: '行使层级 1 国家级 … 6 村级' }),
  basicCode: Type.String({ minLength: 1, maxLength: 40, description: '基本编码（12 位数字或大写字母）' }),
  content: ItemContent,
});
export type NewItemInput = Static<typeof NewItemInput>;

/** Where a version stands after a lifecycle step; `lockVersion` is what the next save must send. */
export const VersionState = Type.Object({
  implementationCode: Type.String(),
  version: Type.Integer(),
  status: Type.Enum(VERSION_STATUSES),
  lockVersion: Type.Integer(),
  effectiveFrom: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
});
export type VersionState = Static<typeof VersionState>;

const When = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
const Who = Type.Union([Type.String(), Type.Null()]);

/** A version's metadata: status and who did what when (user ids; null = the system). */
export const VersionMeta = Type.Object({
  version: Type.Integer(),
  status: Type.Enum(VERSION_STATUSES),
  lockVersion: Type.Integer(),
  name: Type.String(),
  effectiveFrom: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Who,
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Who,
  submittedAt: When,
  submittedBy: Who,
  reviewComment: Type.Union([Type.String(), Type.Null()], { description: '退回意见或撤回理由' }),
  publishedAt: When,
  publishedBy: Who,
  withdrawnAt: When,
  withdrawnBy: Who,
});
export type VersionMeta = Static<typeof VersionMeta>;

export const AdminItem = Type.Object({
  implementationCode: Type.String(),
  basicCode: Type.String(),
  exerciseLevel: Type.Integer(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  /** The version the public sees today (newest published and effective), or null. */
  currentVersion: Type.Union([Type.Integer(), Type.Null()]),
  versions: Type.Array(VersionMeta),
});
export type AdminItem = Static<typeof AdminItem>;

export const FieldProblem = Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() });

export const ItemVersionDetail = Type.Object({
  ...VersionMeta.properties,
  implementationCode: Type.String(),
  departmentId: Type.String(),
  content: ItemContent,
  /** Publish readiness: what publishing would refuse now, the same shape as `errors[]` of 422 `publish_refused`. */
  problems: Type.Array(FieldProblem),
});
export type ItemVersionDetail = Static<typeof ItemVersionDetail>;

export const AdminItemRow = Type.Object({
  implementationCode: Type.String(),
  basicCode: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  name: Type.String({ description: '最新版本的事项名称' }),
  type: Type.String(),
  latestVersion: Type.Integer(),
  status: Type.Enum(VERSION_STATUSES, { description: '最新版本的状态' }),
  lockVersion: Type.Integer(),
  currentVersion: Type.Union([Type.Integer(), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type AdminItemRow = Static<typeof AdminItemRow>;

export const DiffChange = Type.Object({
  path: Type.String({ description: '如 materials[2].name' }),
  kind: Type.Enum(['added', 'removed', 'changed'] as const),
  before: Type.Optional(Type.Unknown()),
  after: Type.Optional(Type.Unknown()),
});
export type DiffChange = Static<typeof DiffChange>;
