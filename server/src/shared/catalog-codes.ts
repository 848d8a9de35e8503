/**
 * Code tables of the service item catalog, shared by the server, the web app and the Excel
 * exchange. Codes follow GB/T 39046-2020 (政务服务事项基本目录及实施清单) where it defines them;
 * labels are what officials read.
 */
type Labels<K extends string> = Record<K, { zh: string; en: string }>;

/** Item type, GB/T 39046-2020 appendix A.1. The seed names 01, 05, 07, 08, 09 and 20. */
export const ITEM_TYPES = ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '20'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];
export const ITEM_TYPE_LABELS: Labels<ItemType> = {
  '00': { zh: '行政权力', en: 'Administrative power' },
  '01': { zh: '行政许可', en: 'Administrative licence' },
  '02': { zh: '行政处罚', en: 'Administrative penalty' },
  '03': { zh: '行政强制', en: 'Administrative enforcement' },
  '04': { zh: '行政征收', en: 'Administrative levy' },
  '05': { zh: '行政给付', en: 'Administrative payment' },
  '06': { zh: '行政检查', en: 'Administrative inspection' },
  '07': { zh: '行政确认', en: 'Administrative confirmation' },
  '08': { zh: '行政奖励', en: 'Administrative reward' },
  '09': { zh: '行政裁决', en: 'Administrative adjudication' },
  '10': { zh: '其他行政权力', en: 'Other administrative power' },
  '20': { zh: '公共服务', en: 'Public service' },
};

/** Service object (服务对象). */
export const SERVICE_OBJECTS = ['1', '2', '3', '4', '5', '6'] as const;
export type ServiceObject = (typeof SERVICE_OBJECTS)[number];
export const SERVICE_OBJECT_LABELS: Labels<ServiceObject> = {
  '1': { zh: '自然人', en: 'Natural person' },
  '2': { zh: '企业法人', en: 'Enterprise' },
  '3': { zh: '事业法人', en: 'Public institution' },
  '4': { zh: '社会组织法人', en: 'Social organisation' },
  '5': { zh: '机关法人', en: 'Government body' },
  '6': { zh: '其他组织', en: 'Other organisation' },
};

/** Handling form (办理形式). */
export const HANDLING_FORMS = ['1', '2', '3', '4', '9'] as const;
export type HandlingForm = (typeof HANDLING_FORMS)[number];
export const HANDLING_FORM_LABELS: Labels<HandlingForm> = {
  '1': { zh: '窗口办理', en: 'At the window' },
  '2': { zh: '网上办理', en: 'Online (web)' },
  '3': { zh: '移动端办理', en: 'Mobile' },
  '4': { zh: '快递申请', en: 'By post' },
  '9': { zh: '其他', en: 'Other' },
};

/** Case kind (办件类型): 1 immediate 即办件, 2 promised 承诺件. */
export const CASE_KINDS = ['1', '2'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const CASE_KIND_LABELS: Labels<CaseKind> = {
  '1': { zh: '即办件', en: 'Immediate' },
  '2': { zh: '承诺件', en: 'Promised' },
};

/** Exercise level (行使层级), the digit between credit code and basic code in the implementation code. */
export const EXERCISE_LEVELS = [1, 2, 3, 4, 5, 6] as const;
export type ExerciseLevel = (typeof EXERCISE_LEVELS)[number];
export const EXERCISE_LEVEL_LABELS: Labels<`${ExerciseLevel}`> = {
  '1': { zh: '国家级', en: 'National' },
  '2': { zh: '省级', en: 'Provincial' },
  '3': { zh: '市级', en: 'Municipal' },
  '4': { zh: '县级', en: 'County / district' },
  '5': { zh: '镇（乡、街道）级', en: 'Township / street' },
  '6': { zh: '村（社区）级', en: 'Village / community' },
};

/** Nature of the implementing body (实施主体性质). */
export const IMPLEMENTER_NATURES = ['1', '2', '3'] as const;
export type ImplementerNature = (typeof IMPLEMENTER_NATURES)[number];
export const IMPLEMENTER_NATURE_LABELS: Labels<ImplementerNature> = {
  '1': { zh: '法定机关', en: 'Statutory body' },
  '2': { zh: '授权组织', en: 'Authorised organisation' },
  '3': { zh: '受委托组织', en: 'Entrusted organisation' },
};

/** Handling item kinds (业务办理项): 新设 / 变更 / 延续 / 注销. */
export const HANDLING_ITEM_KINDS = ['new', 'change', 'renewal', 'cancellation'] as const;
export type HandlingItemKind = (typeof HANDLING_ITEM_KINDS)[number];
export const HANDLING_ITEM_KIND_LABELS: Labels<HandlingItemKind> = {
  new: { zh: '新设', en: 'New' },
  change: { zh: '变更', en: 'Change' },
  renewal: { zh: '延续', en: 'Renewal' },
  cancellation: { zh: '注销', en: 'Cancellation' },
};

/** Where a material comes from. Anything but `applicant` means the applicant need not hand it in. */
export const MATERIAL_SOURCES = ['applicant', 'issuing_body', 'e_license', 'shared_data'] as const;
export type MaterialSource = (typeof MATERIAL_SOURCES)[number];
export const MATERIAL_SOURCE_LABELS: Labels<MaterialSource> = {
  applicant: { zh: '申请人自备', en: 'From the applicant' },
  issuing_body: { zh: '出具单位', en: 'From the issuing body' },
  e_license: { zh: '电子证照', en: 'E-license' },
  shared_data: { zh: '数据共享', en: 'Shared data' },
};

/** required / optional / deferrable (may be owed under 容缺受理). */
export const MATERIAL_REQUIREMENTS = ['required', 'optional', 'deferrable'] as const;
export type MaterialRequirement = (typeof MATERIAL_REQUIREMENTS)[number];
export const MATERIAL_REQUIREMENT_LABELS: Labels<MaterialRequirement> = {
  required: { zh: '必要', en: 'Required' },
  optional: { zh: '非必要', en: 'Optional' },
  deferrable: { zh: '容缺后补', en: 'May be supplied later' },
};

export const RESULT_KINDS = ['license', 'certificate', 'approval_document', 'other'] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];
export const RESULT_KIND_LABELS: Labels<ResultKind> = {
  license: { zh: '证照', en: 'License' },
  certificate: { zh: '证明', en: 'Certificate' },
  approval_document: { zh: '批文', en: 'Approval document' },
  other: { zh: '其他', en: 'Other' },
};

/** Special procedures (特别程序): the clock stops while one runs. */
export const SPECIAL_PROCEDURE_KINDS = ['1', '2'] as const;
export type SpecialProcedureKind = (typeof SPECIAL_PROCEDURE_KINDS)[number];
export const SPECIAL_PROCEDURE_LABELS: Labels<SpecialProcedureKind> = {
  '1': { zh: '延长审批', en: 'Extension' },
  '2': { zh: '其他特别程序（听证、检验、检测、专家评审等）', en: 'Other (hearing, testing, expert review …)' },
};

/** Online handling depth (网上办理深度), one to four stars. */
export const ONLINE_DEPTHS = [1, 2, 3, 4] as const;
export type OnlineDepth = (typeof ONLINE_DEPTHS)[number];
export const ONLINE_DEPTH_LABELS: Labels<`${OnlineDepth}`> = {
  '1': { zh: '一级：信息公开、办事指南', en: 'Level 1: information only' },
  '2': { zh: '二级：表格下载、在线预约', en: 'Level 2: forms and appointment' },
  '3': { zh: '三级：在线申请、在线预审', en: 'Level 3: apply and pre-check online' },
  '4': { zh: '四级：全程网办', en: 'Level 4: fully online' },
};

/** The four ways of handling (§1-5): the keys of an item's `handling` attribute and of the `handling` filter. */
export const FOUR_WAYS = ['immediate', 'online', 'nearby', 'oneVisit'] as const;
export type FourWay = (typeof FOUR_WAYS)[number];
export const FOUR_WAY_LABELS: Labels<FourWay> = {
  immediate: { zh: '马上办', en: 'Immediate' },
  online: { zh: '网上办', en: 'Online' },
  nearby: { zh: '就近办', en: 'Nearby' },
  oneVisit: { zh: '一次办', en: 'One visit' },
};

/** Field widgets of an application form's UI hints. */
export const FORM_WIDGETS = ['text', 'textarea', 'number', 'money', 'date', 'select', 'radio', 'checkbox', 'id_number', 'credit_code', 'phone', 'region', 'attachment'] as const;
export type FormWidget = (typeof FORM_WIDGETS)[number];

/** Themes and life events (主题 / 人生事件) for browsing. */
export const THEMES = [
  'business_opening', 'business_change', 'construction', 'real_estate', 'birth', 'education', 'employment',
  'social_security', 'medical', 'elderly', 'residence', 'exit_entry', 'talent', 'marriage', 'transport', 'tax',
] as const;
export type Theme = (typeof THEMES)[number];
export const THEME_LABELS: Labels<Theme> = {
  business_opening: { zh: '开办企业', en: 'Opening a business' },
  business_change: { zh: '企业变更注销', en: 'Changing or closing a business' },
  construction: { zh: '工程建设', en: 'Construction projects' },
  real_estate: { zh: '不动产', en: 'Real estate' },
  birth: { zh: '生育', en: 'Having a child' },
  education: { zh: '教育', en: 'Education' },
  employment: { zh: '就业创业', en: 'Employment' },
  social_security: { zh: '社保', en: 'Social insurance' },
  medical: { zh: '医疗卫生', en: 'Health' },
  elderly: { zh: '养老', en: 'Old age' },
  residence: { zh: '户籍居住', en: 'Residence' },
  exit_entry: { zh: '出入境', en: 'Exit and entry' },
  talent: { zh: '人才引进', en: 'Talent' },
  marriage: { zh: '婚姻', en: 'Marriage' },
  transport: { zh: '交通出行', en: 'Transport' },
  tax: { zh: '税费', en: 'Taxes and fees' },
};

const CREDIT_CODE_LENGTH = 18;
/** 12-character basic code (基本编码): here digits and capitals; its structure varies by province. */
export const BASIC_CODE_PATTERN = /^[0-9A-Z]{12}$/;

export interface ImplementationCodeParts {
  creditCode: string;
  exerciseLevel: number;
  basicCode: string;
}

/** Splits a 31-character implementation code (实施编码) into credit code + level + basic code. */
export function splitImplementationCode(code: string): ImplementationCodeParts | null {
  if (code.length !== 31) return null;
  const level = Number(code[CREDIT_CODE_LENGTH]);
  return { creditCode: code.slice(0, CREDIT_CODE_LENGTH), exerciseLevel: level, basicCode: code.slice(CREDIT_CODE_LENGTH + 1) };
}

export function joinImplementationCode(parts: ImplementationCodeParts): string {
  return `${parts.creditCode}${parts.exerciseLevel}${parts.basicCode}`;
}
