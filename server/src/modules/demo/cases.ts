/**
 * Demo cases (办件), so that whoever signs in to a fresh demo city finds work under way: 张三 with
 * a case in every stage of its life and a saved draft, the enterprise with cases in the back
 * office, a walk-in filed at the window, the clerk's front-desk queue and the approver's team
 * queue and own tasks filled. Made through CasesService and FilesService only (never their
 * tables), as the rest of the demo city; everything happens today.
 */
import type { Services } from '../../app.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import type { ApplicantPrincipal, StaffPrincipal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/http/errors.js';
import { addDays, todayInShanghai } from '../../platform/time.js';
import { creditCodeCheckCharacter, organizationCodeCheckCharacter } from '../../shared/identifiers.js';
import type { CalendarService } from '../calendar/service.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { ActionBody } from '../cases/actions.js';
import type { DeliveryPreference, MaterialRef } from '../cases/schemas.js';
// seed.ts imports this module in turn: its demo people are read in functions only, never at the
// top level, where they may not be initialised yet.
import { DEMO_ENTERPRISE, DEMO_PERSON, demoCreditCode, demoIdNumber } from './seed.js';

/** The demo items the cases are for (names are unique in the demo catalog). */
const ITEM = {
  criminalRecord: '无犯罪记录证明开具',
  socialSecurityCard: '社会保障卡申领',
  patentDispute: '专利侵权纠纷行政裁决',
  food: '食品经营许可',
  soleTrader: '个体工商户设立登记',
  companyChange: '企业变更登记',
  specialEquipment: '特种设备使用登记',
  elderlyAllowance: '高龄老人津贴申领',
} as const;
type ItemKey = keyof typeof ITEM;

/** 张三's own shop: an individual business (个体工商户: registration authority 9, category 2), registered by one of his demo cases. */
const SHOP = { name: '深圳市福田区张三小吃店', creditCode: individualBusinessCode('D0009201'), address: '深圳市福田区南园街道南园路68号一楼' };
const WALK_IN_HALL = '福田区行政服务大厅';

/** A credit code valid by both checksums (GB 32100, and GB 11714 for the organisation code inside it). */
function individualBusinessCode(org8: string): string {
  const first17 = `92440304${org8}${organizationCodeCheckCharacter(org8)}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}

type Step = { by: 'clerk' | 'approver'; body: Omit<ActionBody, 'version'> };

interface DemoCase {
  item: ItemKey;
  applicant: 'person' | 'enterprise';
  /** Form values; required fields left out are filled from the item's schema (fillForm). */
  form: Record<string, unknown>;
  delivery?: DeliveryPreference;
  steps: Step[];
}

/**
 * The demo cases, submitted in this order: the front desk (oldest first) shows 张三's waiting
 * application before the walk-in filed after it, 张三's list (newest first) starts with it.
 */
function demoCases(today: string, dueInFiveWorkdays: string): DemoCase[] {
  const person = { applicantName: DEMO_PERSON.name, applicantIdNumber: DEMO_PERSON.idNumber, applicantPhone: DEMO_PERSON.phone };
  const enterprise = { entityName: DEMO_ENTERPRISE.name, entityCreditCode: DEMO_ENTERPRISE.creditCode, legalRepresentative: '李华', contactPhone: DEMO_ENTERPRISE.phone };
  return [
    {
      // delivered: the shop's business licence, sent by express
      item: 'soleTrader',
      applicant: 'person',
      form: { ...person, businessName: SHOP.name, organizationForm: 'individual', businessScope: '餐饮服务；预包装食品销售', premisesRegion: '440304001', premisesAddress: SHOP.address, capital: 5_000_000, employees: 3 },
      delivery: { method: 'express', address: `${SHOP.address} 张三 ${DEMO_PERSON.phone}` },
      steps: [
        { by: 'clerk', body: { action: 'accept' } },
        { by: 'approver', body: { action: 'complete_step', comment: '经营者身份、经营场所信息核验通过。' } },
        { by: 'approver', body: { action: 'approve', comment: '准予登记，核发营业执照。' } },
        { by: 'clerk', body: { action: 'deliver', delivery: { method: 'express', carrier: 'EMS', trackingNumber: '1151234567890' } } },
      ],
    },
    {
      // approved, the licence waiting at the window: the pickup code shows in 张三's case
      item: 'food',
      applicant: 'person',
      form: {
        entityName: SHOP.name, entityCreditCode: SHOP.creditCode, legalRepresentative: DEMO_PERSON.name, contactPhone: DEMO_PERSON.phone,
        mainBusiness: 'catering', operatingItems: '热食类食品制售；冷食类食品制售', premisesRegion: '440304001', premisesAddress: SHOP.address,
        premisesArea: 45, safetyManager: DEMO_PERSON.name, online: true, onlinePlatform: '美团外卖',
      },
      delivery: { method: 'pickup' },
      steps: [
        { by: 'clerk', body: { action: 'accept' } },
        { by: 'approver', body: { action: 'complete_step', comment: '申请材料齐全，符合法定形式。' } },
        { by: 'approver', body: { action: 'complete_step', comment: '现场核查：加工区与就餐区分隔合理，设施设备与经营项目相适应。' } },
        { by: 'approver', body: { action: 'approve', comment: '符合食品经营许可条件，准予许可。' } },
      ],
    },
    {
      // accepted: in the market regulation bureau's team queue (送达答辩)
      item: 'patentDispute',
      applicant: 'person',
      form: {
        requesterKind: 'person', requesterName: DEMO_PERSON.name, requesterIdNumber: DEMO_PERSON.idNumber, contactPhone: DEMO_PERSON.phone,
        patentNumber: 'ZL202320123456.1', patentType: 'utility', respondentName: '深圳市仿创电子有限公司', respondentCreditCode: demoCreditCode('91', '440300', 9102),
        claims: '被请求人未经许可制造、销售的便携式手机支架落入本人实用新型专利权保护范围，请求责令其立即停止侵权行为。',
      },
      steps: [{ by: 'clerk', body: { action: 'accept' } }],
    },
    {
      // correction requested: one notice naming a material and a field (一次性告知)
      item: 'socialSecurityCard',
      applicant: 'person',
      form: { ...person, ageGroup: 'adult', bank: 'cmb', deliveryMethod: 'window' },
      steps: [
        {
          by: 'clerk',
          body: {
            action: 'request_correction',
            items: [
              { materialId: 'photo', reason: '共享调取的证件照片为2012年拍摄，请上传近6个月内白底免冠证件照。' },
              { field: 'applicantPhone', reason: '联系电话无法接通，请核对后重新填写。' },
            ],
          },
        },
      ],
    },
    {
      // accepted with a material owed (容缺受理): the staff canteen's meal-delivery contract
      item: 'food',
      applicant: 'enterprise',
      form: {
        ...enterprise, mainBusiness: 'canteen', canteenKind: 'enterprise', operatingItems: '热食类食品制售（职工食堂）', premisesRegion: '440305005',
        premisesAddress: '深圳市南山区粤海街道科苑路15号B栋2楼', premisesArea: 380, safetyManager: '陈晓东',
      },
      steps: [{ by: 'clerk', body: { action: 'accept_with_deficiency', owed: [{ materialId: 'central_kitchen', dueDate: dueInFiveWorkdays }] } }],
    },
    {
      // in review, claimed by the demo approver (我的任务)
      item: 'companyChange',
      applicant: 'enterprise',
      form: { ...enterprise, changeType: 'address', newAddress: '深圳市南山区粤海街道高新南一道8号创维大厦A座12楼', resolutionDate: today, deliveryMethod: 'electronic' },
      delivery: { method: 'electronic' },
      steps: [
        { by: 'clerk', body: { action: 'accept' } },
        { by: 'approver', body: { action: 'claim' } },
      ],
    },
    {
      // suspended for an expert review (特别程序): the clock stops
      item: 'specialEquipment',
      applicant: 'enterprise',
      form: {
        ...enterprise, equipmentType: 'pressure_vessel', equipmentCode: '2110440300202600123', installRegion: '440306001',
        installAddress: '深圳市宝安区新安街道海富社区工业路3号厂房', commissionDate: today,
      },
      steps: [
        { by: 'clerk', body: { action: 'accept' } },
        {
          by: 'approver',
          body: { action: 'suspend', procedure: 'expert_review', reason: '进口压力容器的产品数据表与监督检验证明所载设计压力不一致，需组织专家技术论证。', expectedDays: 10 },
        },
      ],
    },
    {
      // submitted online, waiting at the front desk
      item: 'criminalRecord',
      applicant: 'person',
      form: { ...person, purpose: 'employment', residenceKind: 'local' },
      steps: [],
    },
  ];
}

/** The draft 张三 saved and has not sent yet: half filled, no materials. */
const DRAFT_ITEM = '公共租赁住房轮候申请';
function draftForm(): Record<string, unknown> {
  return { applicantName: DEMO_PERSON.name, applicantIdNumber: DEMO_PERSON.idNumber, applicantPhone: DEMO_PERSON.phone, maritalStatus: 'single', familySize: 1 };
}

/**
 * When the owed material of the deficiency case is due: in 5 working days, or — late in December,
 * before the next year's holidays are published — in a week, rather than no demo city at all.
 */
export async function deficiencyDue(calendar: Pick<CalendarService, 'deadline'>, today: string): Promise<string> {
  try {
    return await calendar.deadline(today, 5);
  } catch (error) {
    if (error instanceof AppError && error.code === 'calendar_not_published') return addDays(today, 7);
    throw error;
  }
}

// --- filling an application from the item ---------------------------------------------------------

type PropertySchema = { type?: string; enum?: unknown[]; pattern?: string; minimum?: number; maxLength?: number; title?: string };
type FormSchema = {
  properties: Record<string, PropertySchema>;
  required?: string[];
  allOf?: Array<{ if: { properties: Record<string, { const: unknown }> }; then: { required: string[] } }>;
};

/**
 * The given values that the item's form has, plus every field it requires that was not given
 * (also the conditional ones the values switch on), filled from its schema: a catalog edit to a
 * demo item's form then still leaves a valid application, only a less telling one.
 */
function fillForm(guide: ItemGuide, given: Record<string, unknown>, ctx: { today: string; phone: string; fileId: string }): Record<string, unknown> {
  const schema = guide.form.schema as FormSchema;
  const form: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) if (schema.properties[key]) form[key] = value;
  const fill = (key: string) => {
    const property = schema.properties[key];
    if (!(key in form) && property) form[key] = sampleValue(property, guide.form.ui.fields[key]?.widget, ctx);
  };
  for (const key of schema.required ?? []) fill(key);
  for (const rule of schema.allOf ?? []) {
    const [entry] = Object.entries(rule.if.properties);
    if (entry && form[entry[0]] === entry[1].const) for (const key of rule.then.required) fill(key);
  }
  return form;
}

function sampleValue(schema: PropertySchema, widget: string | undefined, ctx: { today: string; phone: string; fileId: string }): unknown {
  if (schema.enum) return schema.enum[0];
  if (schema.type === 'boolean') return false;
  if (schema.type === 'integer' || schema.type === 'number') return Math.max(1, schema.minimum ?? 0);
  switch (widget) {
    case 'attachment': return ctx.fileId;
    case 'id_number': return DEMO_PERSON.idNumber;
    case 'credit_code': return DEMO_ENTERPRISE.creditCode;
    case 'phone': return ctx.phone;
    case 'region': return '440304001';
    case 'date': return ctx.today;
    default: return (schema.title ?? '见附件').slice(0, schema.maxLength ?? 100);
  }
}

/**
 * The required materials (deferrable ones are what a deficiency acceptance owes): shared data by
 * the resource the material names, otherwise the applicant's upload.
 */
function materialsFor(guide: ItemGuide, fileId: string): MaterialRef[] {
  return guide.materials
    .filter((m) => m.requirement === 'required')
    .map((m) => (m.source === 'shared_data' && m.resourceId ? { materialId: m.id, resourceId: m.resourceId } : { materialId: m.id, fileId }));
}

/**
 * A one-page PDF (ISO 32000-1: header, catalog, page tree, page, standard Helvetica, content
 * stream, cross-reference table) standing in for a scanned material. ASCII only: a standard font
 * has no Chinese, and embedding one costs more than the whole demo seed may take.
 */
export function demoPdf(lines: readonly string[]): Buffer {
  const text = lines.map((line, i) => `BT /F1 ${i === 0 ? 16 : 11} Tf 72 ${760 - i * 24} Td (${line.replace(/[\\()]/g, (c) => `\\${c}`)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

// --- who acts ------------------------------------------------------------------------------------

/**
 * The seed's own view of the staff list: identity lists staff only to a manager, and the demo
 * accounts are what it looks for. Never leaves this module, never reaches a route.
 */
const SEED_MANAGER: StaffPrincipal = { kind: 'staff', userId: '00000000-0000-0000-0000-000000000000', name: '演示数据', roles: ['system_admin'], departmentId: '', regionPath: '' };

interface DemoActors {
  person: ApplicantPrincipal;
  enterprise: ApplicantPrincipal;
  clerk: StaffPrincipal;
  approver: StaffPrincipal;
}

async function demoActors(services: Services): Promise<DemoActors | null> {
  const [person, enterprise, staff] = await Promise.all([
    services.identity.findApplicantByIdentifier('natural', DEMO_PERSON.idNumber),
    services.identity.findApplicantByIdentifier('legal', DEMO_ENTERPRISE.creditCode),
    services.identity.listStaff(SEED_MANAGER, { limit: 100 }),
  ]);
  const clerk = staff.items.find((s) => s.username === 'clerk' && s.active);
  const approver = staff.items.find((s) => s.username === 'approver' && s.active);
  if (!person || !enterprise || !clerk || !approver) return null;
  const staffPrincipal = async (s: typeof clerk): Promise<StaffPrincipal> => {
    const scope = await services.org.departmentScope(s.departmentId);
    return { kind: 'staff', userId: s.id, name: s.name, roles: s.roles, departmentId: scope.departmentId, regionPath: scope.regionPath };
  };
  const applicant = (p: typeof person, kind: 'natural' | 'legal'): ApplicantPrincipal => ({ kind: 'applicant', userId: p.id, applicantKind: kind, name: p.name });
  return {
    person: applicant(person, 'natural'),
    enterprise: applicant(enterprise, 'legal'),
    clerk: await staffPrincipal(clerk),
    approver: await staffPrincipal(approver),
  };
}

/** Implementation codes of the published items by name. */
async function itemCodes(services: Services): Promise<(name: string) => string> {
  const codes = new Map<string, string>();
  for (let cursor: string | undefined; ;) {
    const found = await services.catalogQuery.listItems({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const item of found.items) codes.set(item.name, item.implementationCode);
    if (!found.nextCursor) break;
    cursor = found.nextCursor;
  }
  return (name) => {
    const code = codes.get(name);
    if (!code) throw new Error(`demo cases: no published demo item named ${name}`);
    return code;
  };
}

async function demoGuides(services: Services, codeOf: (name: string) => string): Promise<Record<ItemKey, ItemGuide>> {
  const entries = await Promise.all((Object.entries(ITEM) as Array<[ItemKey, string]>).map(async ([key, name]) => [key, await services.catalogQuery.guide(codeOf(name))] as const));
  return Object.fromEntries(entries) as Record<ItemKey, ItemGuide>;
}

// --- seeding ----------------------------------------------------------------------------------------

/**
 * Seeds the demo cases once: nothing when 张三 already has a case or a draft (an earlier seed, or
 * someone trying the demo), or when the demo accounts are not there. Returns whether it seeded.
 */
export async function seedDemoCases(services: Services): Promise<boolean> {
  const actors = await demoActors(services);
  if (!actors) return false;
  const { person, enterprise } = actors;
  const [cases, drafts] = await Promise.all([services.cases.list(person, { limit: 1 }), services.cases.listDrafts(person)]);
  if (cases.items.length > 0 || drafts.length > 0) return false;

  const today = todayInShanghai(new Date());
  const codeOf = await itemCodes(services);
  const [guides, dueInFiveWorkdays, halls, personFile, enterpriseFile] = await Promise.all([
    demoGuides(services, codeOf),
    deficiencyDue(services.calendar, today),
    services.org.listHalls(),
    services.files.upload(SYSTEM_ACTOR, person.userId, { content: demoPdf(['Tongban demo material', 'Applicant: Zhang San', 'A stand-in for a scanned document.']), name: '申请材料.pdf' }),
    services.files.upload(SYSTEM_ACTOR, enterprise.userId, { content: demoPdf(['Tongban demo material', 'Applicant: Tongban Demo Technology Co., Ltd.', 'A stand-in for a scanned document.']), name: '申请材料.pdf' }),
  ]);
  const files = { person: personFile.fileId, enterprise: enterpriseFile.fileId };
  const phones = { person: DEMO_PERSON.phone, enterprise: DEMO_ENTERPRISE.phone };

  for (const demo of demoCases(today, dueInFiveWorkdays)) {
    const guide = guides[demo.item];
    const principal = demo.applicant === 'person' ? person : enterprise;
    const fileId = files[demo.applicant];
    const created = await services.cases.submit(principal, null, {
      itemCode: guide.implementationCode,
      form: fillForm(guide, demo.form, { today, phone: phones[demo.applicant], fileId }),
      materials: materialsFor(guide, fileId),
      ...(demo.delivery ? { delivery: demo.delivery } : {}),
    });
    let version = created.version;
    for (const step of demo.steps) {
      version = (await services.cases.act(actors[step.by], null, created.caseNumber, { ...step.body, version })).version;
    }
  }

  // a walk-in at the Futian hall, on paper, for an 84-year-old without an account
  const walkIn = { name: '王秀英', idNumber: demoIdNumber('440304', '19420315', '128'), phone: '13600136000' };
  const allowance = guides.elderlyAllowance;
  const hall = halls.find((h) => h.name === WALK_IN_HALL);
  await services.cases.fileAtWindow(actors.clerk, null, {
    itemCode: allowance.implementationCode,
    applicant: { kind: 'natural', ...walkIn },
    form: fillForm(
      allowance,
      { applicantName: walkIn.name, applicantIdNumber: walkIn.idNumber, applicantPhone: walkIn.phone, applicantRole: 'self', hukouStreet: '440304003', payoutAccount: 'social_card' },
      { today, phone: walkIn.phone, fileId: '' },
    ),
    materials: allowance.materials.filter((m) => m.requirement === 'required').map((m) => ({ materialId: m.id, paper: true })),
    ...(hall ? { hallId: hall.id } : {}),
  });

  await services.cases.createDraft(person, { itemCode: codeOf(DRAFT_ITEM), form: draftForm(), materials: [] });
  return true;
}
