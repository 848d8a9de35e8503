/**
 * Code tables of the data sharing and exchange platform (政务信息资源共享), shared by the server and
 * the web app. The sharing types and update cycles follow the national guideline for government
 * information resource catalogs (政务信息资源目录编制指南); labels are what officials read.
 */
type Labels<K extends string> = Record<K, { zh: string; en: string }>;

/** What a look-up is keyed by: a citizen's ID number (GB 11643) or an organisation's credit code (GB 32100). */
export const SUBJECT_TYPES = ['id_number', 'credit_code'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];
export const SUBJECT_TYPE_LABELS: Labels<SubjectType> = {
  id_number: { zh: '居民身份证号码', en: 'Citizen ID number' },
  credit_code: { zh: '统一社会信用代码', en: 'Unified social credit code' },
};

/** Type of a data item (信息项数据类型). */
export const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'date'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const FIELD_TYPE_LABELS: Labels<FieldType> = {
  string: { zh: '字符型', en: 'Text' },
  integer: { zh: '整数型', en: 'Integer' },
  number: { zh: '数值型', en: 'Number' },
  boolean: { zh: '布尔型', en: 'Yes / no' },
  date: { zh: '日期型', en: 'Date' },
};

/**
 * Sensitivity of a data item: general data, personal information, sensitive personal information
 * (PIPL art. 28: e.g. health, financial accounts, whereabouts). Sensitive items may only be shared
 * conditionally.
 */
export const SENSITIVITIES = ['general', 'personal', 'sensitive'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];
export const SENSITIVITY_LABELS: Labels<Sensitivity> = {
  general: { zh: '一般数据', en: 'General' },
  personal: { zh: '个人信息', en: 'Personal information' },
  sensitive: { zh: '敏感个人信息', en: 'Sensitive personal information' },
};

/** Update cycle (更新周期). */
export const UPDATE_FREQUENCIES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;
export type UpdateFrequency = (typeof UPDATE_FREQUENCIES)[number];
export const UPDATE_FREQUENCY_LABELS: Labels<UpdateFrequency> = {
  realtime: { zh: '实时', en: 'Real time' },
  daily: { zh: '每日', en: 'Daily' },
  weekly: { zh: '每周', en: 'Weekly' },
  monthly: { zh: '每月', en: 'Monthly' },
  quarterly: { zh: '每季度', en: 'Quarterly' },
  yearly: { zh: '每年', en: 'Yearly' },
  irregular: { zh: '不定期', en: 'Irregular' },
};

/** Sharing type (共享类型). */
export const SHARING_TYPES = ['unconditional', 'conditional', 'not_shared'] as const;
export type SharingType = (typeof SHARING_TYPES)[number];
export const SHARING_TYPE_LABELS: Labels<SharingType> = {
  unconditional: { zh: '无条件共享', en: 'Shared unconditionally' },
  conditional: { zh: '有条件共享', en: 'Shared on conditions' },
  not_shared: { zh: '不予共享', en: 'Not shared' },
};

/** Where the platform gets the data: its own tables (uploaded datasets) or the provider's interface. */
export const BACKENDS = ['hosted', 'proxied'] as const;
export type Backend = (typeof BACKENDS)[number];
export const BACKEND_LABELS: Labels<Backend> = {
  hosted: { zh: '平台库表（上传数据集）', en: 'Hosted dataset' },
  proxied: { zh: '部门接口（代理调用）', en: 'Provider interface (proxied)' },
};

export const RESOURCE_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];
export const RESOURCE_STATUS_LABELS: Labels<ResourceStatus> = {
  draft: { zh: '草稿', en: 'Draft' },
  published: { zh: '已发布', en: 'Published' },
  withdrawn: { zh: '已停止共享', en: 'Withdrawn' },
};

export const REQUEST_STATUSES = ['pending', 'granted', 'rejected'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const REQUEST_STATUS_LABELS: Labels<RequestStatus> = {
  pending: { zh: '待审核', en: 'Pending' },
  granted: { zh: '已授权', en: 'Granted' },
  rejected: { zh: '未通过', en: 'Rejected' },
};

export const GRANT_STATES = ['active', 'expired', 'revoked'] as const;
export type GrantState = (typeof GRANT_STATES)[number];
export const GRANT_STATE_LABELS: Labels<GrantState> = {
  active: { zh: '有效', en: 'Active' },
  expired: { zh: '已到期', en: 'Expired' },
  revoked: { zh: '已撤销', en: 'Revoked' },
};

/** How a gateway call ended, as written to the access log. */
export const ACCESS_OUTCOMES = ['ok', 'not_found', 'refused', 'failed'] as const;
export type AccessOutcome = (typeof ACCESS_OUTCOMES)[number];
export const ACCESS_OUTCOME_LABELS: Labels<AccessOutcome> = {
  ok: { zh: '已提供', en: 'Provided' },
  not_found: { zh: '无记录', en: 'No record' },
  refused: { zh: '已拒绝', en: 'Refused' },
  failed: { zh: '调用失败', en: 'Failed' },
};

/** Why the call happened: a case being handled, or an applicant's own prefill with consent. */
export const ACCESS_KINDS = ['lookup', 'prefill'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];
export const ACCESS_KIND_LABELS: Labels<AccessKind> = {
  lookup: { zh: '办件核查', en: 'Case look-up' },
  prefill: { zh: '申请预填（本人授权）', en: 'Prefill (your consent)' },
};

/** The header naming the case a gateway look-up serves (like X-Road's issue header). */
export const CASE_HEADER = 'x-tongban-case';
/** The default user id of SM2 signatures (GB/T 35276, GM/T 0009). */
export const SM2_DEFAULT_USER_ID = '1234567812345678';
export const SIGNATURE_ALGORITHM = 'SM2-SM3' as const;
