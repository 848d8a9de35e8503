/**
 * Small builders for the repetitive parts of the demo items: procedure steps, fees, the materials
 * nearly every guide lists, and application forms (JSON Schema + UI hints). Pure functions; each
 * call returns fresh objects so no two items share (and could mutate) one array.
 */
import type { StaffRole } from '../../../shared/roles.js';
import type { ApplicationForm, Fees, FormFieldHint, ProcedureStep } from '../schemas.js';
import type { DemoItemContent, DemoMaterial } from './types.js';

// ---------------------------------------------------------------- procedure, fees

/** `steps(['受理', 'window_clerk', 0], ['审核', 'approver', 2], …)`; days are working days. */
export function steps(...list: Array<[name: string, role: StaffRole, days: number]>): ProcedureStep[] {
  return list.map(([name, role, days]) => ({ name, role, days }));
}

/** 不收费. */
export function free(): Fees {
  return { free: true, items: [] };
}

/** Charged items, amounts given in yuan (元) and stored in integer fen (分). */
export function charged(...items: Array<[name: string, yuan: number, basis: string]>): Fees {
  return { free: false, items: items.map(([name, yuan, basis]) => ({ name, amountFen: Math.round(yuan * 100), basis })) };
}

/** 《不动产登记收费标准》: 国家发展改革委 财政部《关于不动产登记收费标准等有关问题的通知》(发改价格规〔2016〕2559号). */
export const REAL_ESTATE_FEE_BASIS = '《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）';

// ---------------------------------------------------------------- materials

type MaterialOptions = Partial<Pick<DemoMaterial, 'requirement' | 'paperCopies' | 'originals' | 'proofCode' | 'licenseTypeCode' | 'resourceId' | 'notes'>>;

export function material(
  id: string,
  name: string,
  source: DemoMaterial['source'],
  requirement: DemoMaterial['requirement'],
  options: MaterialOptions = {},
): DemoMaterial {
  const { paperCopies = 0, originals = 0, ...rest } = options;
  return { id, name, source, requirement, paperCopies, originals, ...rest };
}

/** 申请人居民身份证: taken from the e-license library; checked at the window only if not linked. */
export function idCard(name = '申请人居民身份证', options: MaterialOptions = {}): DemoMaterial {
  return material('id_card', name, 'e_license', 'required', {
    licenseTypeCode: 'ID_CARD',
    originals: 1,
    notes: '已关联电子证照的无需提交；窗口办理的现场核验原件。',
    ...options,
  });
}

/** The application form itself: generated from the online form, signed at the window. */
export function applicationForm(name = '申请表', options: MaterialOptions = {}): DemoMaterial {
  return material('application_form', name, 'applicant', 'required', {
    paperCopies: 1,
    notes: '网上申请的由系统根据填报内容自动生成，无需另行提交；窗口申请的须申请人签名（盖章）。',
    ...options,
  });
}

/** 营业执照: e-license; the shared market-entity register covers the rest. */
export function businessLicense(options: MaterialOptions = {}): DemoMaterial {
  return material('business_license', '营业执照', 'e_license', 'required', {
    licenseTypeCode: 'BUSINESS_LICENSE',
    notes: '通过电子证照库调取，申请人无需提交。',
    ...options,
  });
}

/** 居民户口簿: from the household register (人口库) through data sharing. */
export function householdRegister(options: MaterialOptions & { name?: string } = {}): DemoMaterial {
  const { name = '居民户口簿', ...rest } = options;
  return material('household_register', name, 'shared_data', 'required', {
    resourceId: 'household',
    notes: '通过人口基础信息库共享核验，申请人无需提交。',
    ...rest,
  });
}

/** 不动产权证书（不动产登记证明）: e-license. */
export function realEstateCert(name = '不动产权证书', options: MaterialOptions = {}): DemoMaterial {
  return material('real_estate_cert', name, 'e_license', 'required', {
    licenseTypeCode: 'REAL_ESTATE_CERT',
    resourceId: 'real_estate',
    originals: 1,
    notes: '已颁发电子证照的通过不动产登记信息共享核验；持纸质证书的须交回原件。',
    ...options,
  });
}

/** 授权委托书 and the agent's ID: only when someone else applies on the applicant's behalf. */
export function agentAuthorization(options: MaterialOptions = {}): DemoMaterial {
  return material('agent_authorization', '授权委托书及受托人身份证件', 'applicant', 'optional', {
    paperCopies: 1,
    originals: 1,
    notes: '委托他人代为办理的提供；网上办理通过电子签名授权的无需提交。',
    ...options,
  });
}

// ---------------------------------------------------------------- forms

/** One form field: its JSON Schema, its UI hint, and whether it is required (when visible). */
export interface Field {
  key: string;
  schema: Record<string, unknown>;
  hint: FormFieldHint;
  required: boolean;
}

interface FieldOptions {
  /** Default true. A conditional field is required only while it is visible. */
  required?: boolean;
  help?: string;
  /** Conditional field: shown only when `field` equals `value`. */
  when?: [field: string, value: string | number | boolean];
  /** Extra JSON Schema keywords (maxLength, minimum …). */
  schema?: Record<string, unknown>;
}

function field(key: string, label: string, widget: FormFieldHint['widget'], schema: Record<string, unknown>, options: FieldOptions = {}, extra: Partial<FormFieldHint> = {}): Field {
  const hint: FormFieldHint = { widget, label, ...extra };
  if (options.help) hint.help = options.help;
  if (options.when) hint.visibleWhen = { field: options.when[0], equals: options.when[1] };
  return { key, schema: { title: label, ...schema, ...options.schema }, hint, required: options.required ?? true };
}

/** Field builders by widget. Values: strings; money in integer fen (分), shown in yuan by the widget. */
export const f = {
  text: (key: string, label: string, o?: FieldOptions) => field(key, label, 'text', { type: 'string', minLength: 1, maxLength: 100 }, o),
  textarea: (key: string, label: string, o?: FieldOptions) => field(key, label, 'textarea', { type: 'string', minLength: 1, maxLength: 2000 }, o),
  number: (key: string, label: string, o?: FieldOptions) => field(key, label, 'number', { type: 'integer', minimum: 0 }, o),
  money: (key: string, label: string, o?: FieldOptions) => field(key, label, 'money', { type: 'integer', minimum: 0 }, { help: '按元填写，精确到分', ...o }),
  date: (key: string, label: string, o?: FieldOptions) => field(key, label, 'date', { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }, o),
  idNumber: (key: string, label: string, o?: FieldOptions) => field(key, label, 'id_number', { type: 'string', pattern: '^[0-9]{17}[0-9X]$' }, o),
  creditCode: (key: string, label: string, o?: FieldOptions) => field(key, label, 'credit_code', { type: 'string', pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' }, o),
  phone: (key: string, label: string, o?: FieldOptions) => field(key, label, 'phone', { type: 'string', pattern: '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$' }, o),
  /** GB/T 2260 region code, optionally with street (9) and community (12) digits. */
  region: (key: string, label: string, o?: FieldOptions) => field(key, label, 'region', { type: 'string', pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$' }, o),
  /** An uploaded file's id. */
  attachment: (key: string, label: string, o?: FieldOptions) => field(key, label, 'attachment', { type: 'string', minLength: 1, maxLength: 64 }, o),
  checkbox: (key: string, label: string, o?: FieldOptions) => field(key, label, 'checkbox', { type: 'boolean' }, o),
  select: (key: string, label: string, options: Array<[value: string, label: string]>, o?: FieldOptions) =>
    field(key, label, 'select', { type: 'string', enum: options.map(([value]) => value) }, o, { options: options.map(([value, text]) => ({ value, label: text })) }),
  radio: (key: string, label: string, options: Array<[value: string, label: string]>, o?: FieldOptions) =>
    field(key, label, 'radio', { type: 'string', enum: options.map(([value]) => value) }, o, { options: options.map(([value, text]) => ({ value, label: text })) }),
};

/** 申请人姓名、身份证号码、联系电话 (natural person). */
export function personApplicant(label = '申请人'): Field[] {
  return [
    f.text('applicantName', `${label}姓名`),
    f.idNumber('applicantIdNumber', `${label}身份证号码`),
    f.phone('applicantPhone', '联系电话'),
  ];
}

/** 企业名称、统一社会信用代码、法定代表人、联系电话 (legal person). */
export function enterpriseApplicant(): Field[] {
  return [
    f.text('entityName', '单位名称'),
    f.creditCode('entityCreditCode', '统一社会信用代码'),
    f.text('legalRepresentative', '法定代表人（负责人）姓名'),
    f.phone('contactPhone', '联系人电话'),
  ];
}

/** 结果领取方式 with the postal address shown only for express delivery. */
export function deliveryFields(): Field[] {
  return [
    f.radio('deliveryMethod', '结果领取方式', [['window', '窗口领取'], ['express', '快递寄送'], ['electronic', '电子证照（无需领取）']]),
    f.textarea('deliveryAddress', '邮寄地址', { when: ['deliveryMethod', 'express'], help: '收件人、电话与详细地址', schema: { maxLength: 300 } }),
  ];
}

/**
 * Builds an application form: an object schema (additional properties refused), `required` for
 * the unconditional required fields, `if`/`then` for conditional ones (required only while the
 * field they depend on has the value that shows them), and UI hints in field order.
 */
export function form(...groups: Array<Field | Field[]>): ApplicationForm {
  const fields = groups.flat();
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const conditional: unknown[] = [];
  const hints: Record<string, FormFieldHint> = {};
  for (const item of fields) {
    if (properties[item.key]) throw new Error(`form: duplicate field ${item.key}`);
    properties[item.key] = item.schema;
    hints[item.key] = item.hint;
    const when = item.hint.visibleWhen;
    if (!item.required) continue;
    if (!when) {
      required.push(item.key);
    } else {
      conditional.push({
        if: { properties: { [when.field]: { const: when.equals } }, required: [when.field] },
        then: { properties: { [item.key]: true }, required: [item.key] },
      });
    }
  }
  const schema: Record<string, unknown> = { type: 'object', properties, required, additionalProperties: false };
  if (conditional.length > 0) schema.allOf = conditional;
  return { schema, ui: { order: fields.map((x) => x.key), fields: hints } };
}

// ---------------------------------------------------------------- the demo city's names

/** Department names of the demo city (`modules/demo/seed.ts`). */
export const DEPT = {
  market: '深圳市市场监督管理局',
  planning: '深圳市规划和自然资源局',
  police: '深圳市公安局',
  hrss: '深圳市人力资源和社会保障局',
  health: '深圳市卫生健康委员会',
  housing: '深圳市住房和建设局',
  data: '深圳市政务服务数据管理局',
  tax: '国家税务总局深圳市税务局',
  development: '深圳市发展和改革委员会',
  ecology: '深圳市生态环境局',
  futian: '福田区政务服务数据管理局',
  nanshan: '南山区政务服务数据管理局',
} as const;

/** Hall names of the demo city. */
export const HALL = {
  city: '深圳市民中心行政服务大厅',
  futian: '福田区行政服务大厅',
  nanshan: '南山区行政服务大厅',
} as const;

/** Every hall: items a natural person can handle at the nearest hall (就近办). */
export function allHalls(): string[] {
  return [HALL.city, HALL.futian, HALL.nanshan];
}

/** 12345 政务服务便民热线: the complaint line of every item. */
export const HOTLINE = '12345';

// ---------------------------------------------------------------- the item

/** What `itemContent` fills in when an item does not say otherwise. */
type Usual = 'implementerNature' | 'subItems' | 'onlineDepth' | 'visitsRequired' | 'onlinePayment' | 'intermediaryCodes' | 'specialProcedures' | 'complaintPhone';

/**
 * An item's content from what is particular to it. Unless it says otherwise a demo item is
 * exercised by the department itself (法定机关), has no sub-items, is fully online (深度四级) with
 * no visit needed, takes no payment online, needs no intermediary service or special procedure,
 * and takes complaints on the 12345 hotline.
 */
export function itemContent(content: Omit<DemoItemContent, Usual> & Partial<Pick<DemoItemContent, Usual>>): DemoItemContent {
  return {
    implementerNature: '1',
    subItems: [],
    onlineDepth: 4,
    visitsRequired: 0,
    onlinePayment: false,
    intermediaryCodes: [],
    specialProcedures: [],
    complaintPhone: HOTLINE,
    ...content,
  };
}
