import type { StaffPrincipal } from '../src/platform/auth/principal.js';
import type { ItemContent } from '../src/modules/catalog/schemas.js';

/**
 * A complete, publishable item content for tests: no halls, proofs or intermediaries, so it
 * publishes on any database. Override what a test is about.
 */
export function sampleContent(overrides: Partial<ItemContent> = {}): ItemContent {
  return {
    name: '测试事项：食品经营许可（新办）',
    type: '01',
    implementerNature: '1',
    serviceObjects: ['2'],
    subItems: [],
    handlingItems: [{ name: '新办', kind: 'new' }],
    legalBasis: [{ title: '《中华人民共和国食品安全法》', article: '第三十五条' }],
    acceptanceConditions: ['已取得营业执照'],
    procedure: [
      { name: '受理', role: 'window_clerk', days: 1 },
      { name: '审核', role: 'approver', days: 5 },
      { name: '决定', role: 'approver', days: 2 },
    ],
    legalDays: 20,
    promisedDays: 10,
    caseKind: '2',
    fees: { free: true, items: [] },
    materials: [
      { id: 'application', name: '食品经营许可申请书', source: 'applicant', requirement: 'required', paperCopies: 1, originals: 0 },
      { id: 'license', name: '营业执照', source: 'e_license', requirement: 'required', paperCopies: 0, originals: 0, licenseTypeCode: 'yyzz' },
    ],
    form: {
      schema: {
        type: 'object',
        properties: {
          shopName: { type: 'string', maxLength: 100 },
          area: { type: 'number', minimum: 0 },
          hasCanteen: { type: 'boolean' },
          canteenSeats: { type: 'integer', minimum: 0 },
        },
        required: ['shopName'],
      },
      ui: {
        order: ['shopName', 'area', 'hasCanteen', 'canteenSeats'],
        fields: {
          shopName: { widget: 'text', label: '店铺名称' },
          area: { widget: 'number', label: '经营面积（平方米）' },
          hasCanteen: { widget: 'radio', label: '是否设集体食堂', options: [{ value: 'true', label: '是' }, { value: 'false', label: '否' }] },
          canteenSeats: { widget: 'number', label: '就餐座位数', visibleWhen: { field: 'hasCanteen', equals: true } },
        },
      },
    },
    results: [{ name: '食品经营许可证', kind: 'license' }],
    hallIds: [],
    handlingForms: ['1', '2'],
    handling: { immediate: false, online: true, nearby: false, oneVisit: true },
    onlineDepth: 4,
    visitsRequired: 0,
    appointment: true,
    expressDelivery: true,
    onlinePayment: false,
    intermediaryServiceIds: [],
    specialProcedures: [],
    enquiryPhone: '0755-12345',
    complaintPhone: '12345',
    keywords: ['食品', '餐饮'],
    themes: ['business_opening'],
    faq: [],
    ...overrides,
  };
}

/** Basic codes no demo item uses: 'ZT' and ten digits. */
let basicSerial = 0;
export function testBasicCode(): string {
  basicSerial += 1;
  return `ZT${String(basicSerial + Math.floor(Math.random() * 1e6) * 1000).padStart(10, '0')}`;
}

export function staffPrincipal(userId: string, roles: StaffPrincipal['roles'], departmentId: string, regionPath = '440300'): StaffPrincipal {
  return { kind: 'staff', userId, name: userId, roles, departmentId, regionPath };
}
