import { Type, type Static } from 'typebox';
import { PageQuery } from '../../platform/http/pagination.js';
import { CASE_ACTIONS, CASE_STATUSES, DELIVERY_METHODS, SPECIAL_PROCEDURE_TYPES } from '../../shared/case-codes.js';

/*
 * Shapes of the case routes (docs/cases-api.md): applying online and at the window, drafts,
 * reading cases, the front desk's queue, the action body and the approver's workbench rows.
 * Shared with the web app like every module's schemas.ts.
 */

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Uuid = Type.String({ format: 'uuid' });
const Text = (max: number, options: Record<string, unknown> = {}) => Type.String({ minLength: 1, maxLength: max, ...options });
const Instant = Type.String({ format: 'date-time' });
const DateString = Type.String({ format: 'date', description: 'YYYY-MM-DD (Asia/Shanghai)' });
const Nullable = <T extends import('typebox').TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ItemCode = Type.String({ pattern: '^[0-9A-Za-z]{31}$', description: '实施编码（31 位）' });
export const CaseNumberParam = Type.Object({
  caseNumber: Type.String({ pattern: '^[0-9A-Za-z]{8,64}$', description: '办件编号：实施编码 + yyyyMMdd + 4 位当日序号' }),
});
export const DraftIdParam = Type.Object({ draftId: Uuid });

/** Form data: checked against the item version's JSON Schema by the service, not here. */
export const FormData = Type.Record(Type.String(), Type.Unknown(), { description: '申请表数据，按事项版本的 JSON Schema 校验' });

/** One material of an application: an upload, an e-license or shared data standing in for it. */
export const MaterialRef = Type.Object({
  materialId: Id,
  fileId: Type.Optional(Type.String({ format: 'uuid', description: '本人上传的文件（POST /api/v1/files）' })),
  licenseId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '电子证照标识（本人持有的、该材料可用类型的有效电子证照，免提交）' })),
  resourceId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '以共享数据替代：材料声明的数据资源' })),
});
export type MaterialRef = Static<typeof MaterialRef>;

export const DeliveryPreference = Type.Object({
  method: Type.Enum(DELIVERY_METHODS, { description: '结果送达方式：窗口领取、快递、电子送达' }),
  address: Type.Optional(Text(300, { description: '快递地址（express 必填）' })),
  recipient: Type.Optional(Text(50)),
  phone: Type.Optional(Type.String({ maxLength: 20 })),
});
export type DeliveryPreference = Static<typeof DeliveryPreference>;

/** 告知承诺制: the applicant's written commitment, kept on the case as given. */
export const Commitment = Type.Object({
  statement: Type.Optional(Text(4000, { description: '承诺内容（事项设有告知承诺时以事项的承诺书为准，由平台生成）' })),
  /** An item allowing commitment: the applicant signs its statement (true). */
  signed: Type.Optional(Type.Boolean({ description: '签署事项的告知承诺书' })),
  /** A legal person signing: its legal representative, who answers for the commitment too. */
  legalRepresentative: Type.Optional(Type.Object({ name: Text(50), idNumber: Type.String({ minLength: 15, maxLength: 18 }) })),
});

export const ApplicationInput = Type.Object({
  itemCode: ItemCode,
  form: FormData,
  materials: Type.Array(MaterialRef, { maxItems: 100 }),
  commitment: Type.Optional(Commitment),
  draftId: Type.Optional(Type.String({ format: 'uuid', description: '由草稿提交：提交成功后草稿删除' })),
  delivery: Type.Optional(DeliveryPreference),
  phone: Type.Optional(Type.String({ maxLength: 20, description: '联系手机（默认为账户手机）' })),
});
export type ApplicationInput = Static<typeof ApplicationInput>;

export const CaseCreated = Type.Object({
  caseNumber: Type.String(),
  status: Type.Enum(CASE_STATUSES),
  version: Type.Integer(),
  /** 秒批 items: what the rules decided within this request (route = a person handles it, with the reason). */
  instantDecision: Type.Optional(Type.Object({
    outcome: Type.Enum(['approve', 'deny', 'route'] as const),
    reasons: Type.Array(Type.String()),
    decisionNumber: Nullable(Type.String()),
  })),
});
export type CaseCreated = Static<typeof CaseCreated>;

export const WindowMaterial = Type.Object({
  materialId: Id,
  fileId: Type.Optional(Type.String({ format: 'uuid', description: '窗口人员扫描上传的文件' })),
  paper: Type.Optional(Type.Boolean({ description: 'true：收取纸质材料（不扫描）' })),
});

export const WindowFilingInput = Type.Object({
  itemCode: ItemCode,
  applicant: Type.Object({
    kind: Type.Enum(['natural', 'legal'] as const),
    name: Text(100),
    idNumber: Type.Optional(Type.String({ maxLength: 18, description: '自然人：居民身份证号码（GB 11643）' })),
    creditCode: Type.Optional(Type.String({ maxLength: 18, description: '法人：统一社会信用代码（GB 32100）' })),
    phone: Type.String({ maxLength: 20, description: '联系手机' }),
  }),
  form: FormData,
  materials: Type.Array(WindowMaterial, { maxItems: 100 }),
  hallId: Type.Optional(Uuid),
  delivery: Type.Optional(DeliveryPreference),
});
export type WindowFilingInput = Static<typeof WindowFilingInput>;

// --- drafts ---------------------------------------------------------------------------------

export const DraftInput = Type.Object({
  itemCode: Type.String({ minLength: 1, maxLength: 40 }),
  form: FormData,
  materials: Type.Array(MaterialRef, { maxItems: 100 }),
});
export type DraftInput = Static<typeof DraftInput>;

export const Draft = Type.Object({
  id: Type.String(),
  itemCode: Type.String(),
  form: FormData,
  materials: Type.Array(MaterialRef),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Draft = Static<typeof Draft>;

// --- reading --------------------------------------------------------------------------------

export const CaseListQuery = Type.Object({
  mine: Type.Optional(Type.Boolean({ description: '申请人：本人的办件（申请人总是只看到本人的办件）' })),
  status: Type.Optional(Type.Enum(CASE_STATUSES)),
  itemCode: Type.Optional(ItemCode),
  departmentId: Type.Optional(Uuid),
  overdue: Type.Optional(Type.Boolean({ description: 'true：已超期未办结；false：未超期' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '办件编号前缀、事项名称，或申请人证件号码（精确）' })),
  ...PageQuery.properties,
});
export type CaseListQuery = Static<typeof CaseListQuery>;

export const FrontDeskQuery = Type.Object({
  status: Type.Optional(Type.Enum(['submitted', 'correction_requested'] as const, { description: '默认 submitted（待受理）' })),
  ...PageQuery.properties,
});
export type FrontDeskQuery = Static<typeof FrontDeskQuery>;

export const CaseSummary = Type.Object({
  caseNumber: Type.String(),
  itemCode: Type.String(),
  itemName: Type.String(),
  status: Type.Enum(CASE_STATUSES),
  version: Type.Integer(),
  submittedAt: Instant,
  acceptedAt: Nullable(Instant),
  deadline: Nullable(DateString),
  overdue: Type.Boolean(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  applicantName: Type.String({ description: '工作人员看到的为脱敏姓名（张*）' }),
  channel: Type.Enum(['online', 'window'] as const),
  parentCaseNumber: Nullable(Type.String()),
});
export type CaseSummary = Static<typeof CaseSummary>;

const Json = Type.Record(Type.String(), Type.Unknown());

export const CaseMaterial = Type.Object({
  id: Type.String(),
  materialId: Type.String(),
  name: Type.String(),
  source: Type.Enum(['upload', 'license', 'shared_data', 'commitment', 'paper'] as const),
  fileId: Nullable(Type.String()),
  licenseId: Nullable(Type.String()),
  resourceId: Nullable(Type.String()),
  verdict: Type.Enum(['pending', 'accepted', 'deficient', 'missing'] as const),
  verdictReason: Nullable(Type.String()),
  owed: Type.Boolean(),
  owedDue: Nullable(DateString),
  suppliedAt: Nullable(Instant),
});
export type CaseMaterial = Static<typeof CaseMaterial>;

export const CaseNotice = Type.Object({
  id: Type.String(),
  kind: Type.Enum(['acceptance', 'not_accepted', 'correction', 'deficiency', 'decision'] as const),
  number: Nullable(Type.String()),
  createdAt: Instant,
  breach: Type.Boolean({ description: '补正告知新增了此前告知未列明的事项（违反一次性告知）' }),
  content: Json,
});

export const CaseTask = Type.Object({
  id: Type.String(),
  stepIndex: Type.Integer(),
  stepName: Type.String(),
  role: Type.String(),
  assignee: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  status: Type.Enum(['open', 'done', 'returned', 'cancelled'] as const),
  openedAt: Instant,
  dueDate: DateString,
  closedAt: Nullable(Instant),
  outcome: Nullable(Type.String()),
});

export const HistoryEntry = Type.Object({
  action: Type.String(),
  fromStatus: Nullable(Type.Enum(CASE_STATUSES)),
  status: Type.Enum(CASE_STATUSES),
  at: Instant,
  actor: Type.String({ description: '办理人（姓名或系统）' }),
  actorKind: Type.Enum(['applicant', 'staff', 'client', 'system'] as const),
  comment: Nullable(Type.String()),
  stepIndex: Nullable(Type.Integer()),
  elapsedWorkdays: Nullable(Type.Integer()),
  attachments: Type.Array(Type.String()),
  detail: Json,
});

export const CaseClock = Type.Object({
  acceptedOn: Nullable(DateString),
  promisedDays: Type.Integer(),
  elapsedWorkdays: Nullable(Type.Integer()),
  deadline: Nullable(DateString),
  suspended: Type.Boolean(),
  suspendedWorkdays: Type.Integer(),
  overdue: Type.Boolean(),
});

export const CaseDetail = Type.Object({
  caseNumber: Type.String(),
  itemCode: Type.String(),
  itemName: Type.String(),
  itemVersion: Type.Integer(),
  status: Type.Enum(CASE_STATUSES),
  version: Type.Integer({ description: '办理动作须带上该版本号（并发控制）' }),
  channel: Type.Enum(['online', 'window'] as const),
  submittedAt: Instant,
  acceptedAt: Nullable(Instant),
  deadline: Nullable(DateString),
  department: Type.Object({ id: Type.String(), name: Type.String() }),
  applicant: Type.Object({
    kind: Type.Enum(['natural', 'legal'] as const),
    name: Type.String(),
    identifierMasked: Type.String({ description: '身份证号码脱敏；统一社会信用代码为公开信息，完整显示' }),
    phoneMasked: Nullable(Type.String()),
  }),
  form: Json,
  commitment: Nullable(Json),
  materials: Type.Array(CaseMaterial),
  notices: Type.Array(CaseNotice),
  tasks: Type.Array(CaseTask),
  currentStep: Nullable(Type.Integer()),
  steps: Type.Array(Type.Object({ index: Type.Integer(), name: Type.String(), role: Type.String(), days: Type.Integer() })),
  clock: CaseClock,
  suspension: Nullable(Json),
  decision: Nullable(Type.Object({ outcome: Type.Enum(['approved', 'denied'] as const), number: Nullable(Type.String()), decidedAt: Instant })),
  delivery: Nullable(Json),
  pickupCode: Nullable(Type.String({ description: '取件码：仅申请人本人可见' })),
  parent: Nullable(Type.Object({ caseNumber: Type.String() })),
  subCases: Type.Array(
    Type.Object({
      caseNumber: Type.String(),
      itemName: Type.String(),
      departmentName: Type.String(),
      status: Type.Enum(CASE_STATUSES),
      required: Type.Boolean(),
      deadline: Nullable(DateString),
    }),
  ),
  allowedActions: Type.Array(Type.Enum(CASE_ACTIONS), { description: '当前用户现在可以执行的办理动作' }),
  history: Type.Array(HistoryEntry),
  /** 秒批: the automatic decision's record (rule version, inputs, outcome, reasons), when there was one. */
  automaticDecision: Type.Optional(Nullable(Json)),
  /** 告知承诺: the verification that follows an approval by commitment. */
  verification: Type.Optional(Nullable(Type.Object({ status: Type.Enum(['open', 'confirmed', 'false'] as const), dueDate: DateString, finding: Nullable(Type.String()), decidedAt: Nullable(Instant) }))),
});
export type CaseDetail = Static<typeof CaseDetail>;

// --- acting on a case ------------------------------------------------------------------------

/*
 * The one body of `POST /api/v1/cases/{caseNumber}/actions`. A flat object rather than a union per
 * action: Ajv's errors for a failed union are a list of every branch's complaints, useless to a
 * clerk; here the schema checks shapes and the handler of the named action says which of its
 * fields are missing, as ordinary field errors.
 */
export const ActionBody = Type.Object({
  action: Type.Enum(CASE_ACTIONS),
  version: Type.Integer({ minimum: 1, description: '读取到的办件版本号（并发控制）' }),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
  reason: Type.Optional(Text(2000)),
  legalBasis: Type.Optional(Text(1000)),
  items: Type.Optional(
    Type.Array(Type.Object({ materialId: Type.Optional(Id), field: Type.Optional(Id), reason: Text(1000) }), { maxItems: 100, description: '一次性告知的补正事项' }),
  ),
  owed: Type.Optional(Type.Array(Type.Object({ materialId: Id, dueDate: Type.String({ format: 'date', description: 'YYYY-MM-DD' }) }), { maxItems: 100, description: '容缺后补材料' })),
  verdicts: Type.Optional(
    Type.Array(Type.Object({ materialId: Id, verdict: Type.Enum(['accepted', 'deficient', 'missing'] as const), reason: Type.Optional(Text(1000)) }), { maxItems: 100 }),
  ),
  materials: Type.Optional(
    Type.Array(Type.Object({ materialId: Id, fileId: Type.Optional(Type.String({ format: 'uuid' })), licenseId: Type.Optional(Id), resourceId: Type.Optional(Id) }), { maxItems: 100 }),
  ),
  form: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  assigneeId: Type.Optional(Type.String({ format: 'uuid' })),
  toStep: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  procedure: Type.Optional(Type.Enum(SPECIAL_PROCEDURE_TYPES)),
  expectedDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  attachments: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 20 })),
  delivery: Type.Optional(
    Type.Object({
      method: Type.Enum(DELIVERY_METHODS),
      pickupCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
      carrier: Type.Optional(Text(50)),
      trackingNumber: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{4,40}$' })),
      address: Type.Optional(Text(300)),
    }),
  ),
});
export type ActionBody = Static<typeof ActionBody>;

// --- the approver's workbench (queue.ts) --------------------------------------------------------

export const TaskQueueItem = Type.Object({
  taskId: Type.String({ format: 'uuid' }),
  caseNumber: Type.String(),
  itemName: Type.String(),
  stepName: Type.String(),
  stepIndex: Type.Integer(),
  dueDate: Type.String({ format: 'date' }),
  overdue: Type.Boolean({ description: '环节已超过办理期限' }),
  caseDeadline: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  status: Type.Enum(CASE_STATUSES, { description: '办件状态' }),
  assignee: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  applicantName: Type.String({ description: '申请人（脱敏）' }),
  priority: Type.Integer({ description: '大于 0 为绿色通道' }),
});
export type TaskQueueItem = Static<typeof TaskQueueItem>;
