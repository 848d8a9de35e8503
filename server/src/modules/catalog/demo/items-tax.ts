/** 国家税务总局深圳市税务局: invoices for newly registered taxpayers (a component of enterprise opening). */
import { DEPT, agentAuthorization, allHalls, businessLicense, enterpriseApplicant, f, form, free, idCard, itemContent, material, steps } from './builders.js';
import type { DemoItem } from './types.js';

const PHONE = '0755-83878000';

export const TAX_ITEMS: DemoItem[] = [
  {
    department: DEPT.tax,
    exerciseLevel: 3,
    basicCode: '10SW00010100',
    content: itemContent({
      name: '新办纳税人首次申领发票',
      type: '10',
      serviceObjects: ['2', '3', '4', '6'],
      subItems: [
        { code: '01', name: '发票票种核定' },
        { code: '02', name: '增值税专用发票（增值税税控系统）最高开票限额审批' },
      ],
      handlingItems: [{ name: '首次申领', kind: 'new' }],
      legalBasis: [
        { title: '《中华人民共和国发票管理办法》', article: '第十五条', text: '需要领用发票的单位和个人，应当持设立登记证件或者税务登记证件，以及经办人身份证明，向主管税务机关办理发票领用手续。主管税务机关根据领用单位和个人的经营范围、规模和风险等级，在5个工作日内确认领用发票的种类、数量以及领用方式。' },
        { title: '《国家税务总局关于进一步简化和规范新办纳税人首次申领增值税发票有关事项的公告》（国家税务总局公告2018年第29号）' },
      ],
      acceptanceConditions: [
        '已办理设立登记并完成税务信息确认（“多证合一”自动推送）。',
        '法定代表人、财务负责人、办税人员已完成实名认证。',
      ],
      procedure: steps(['受理', 'window_clerk', 0], ['票种核定', 'approver', 0], ['限额审批', 'approver', 1]),
      legalDays: 5,
      promisedDays: 1,
      caseKind: '2',
      fees: free(),
      materials: [
        businessLicense({ notes: '通过市场主体登记信息共享获取；“开办企业一件事”申请的自动推送。' }),
        idCard('经办人身份证件'),
        material('invoice_request', '发票领用申请（票种、数量、最高开票限额）', 'applicant', 'required', { notes: '网上申请的由系统根据填报内容生成。' }),
        agentAuthorization(),
      ],
      form: form(
        enterpriseApplicant(),
        f.select('invoiceKind', '发票种类', [['vat_general', '增值税普通发票（电子）'], ['vat_special', '增值税专用发票（电子）']]),
        f.number('invoiceQuantity', '每月最高领用数量（份）', { schema: { maximum: 1000 } }),
        f.select('invoiceLimit', '单份发票最高开票限额', [['10000', '一万元'], ['100000', '十万元']], { help: '新办纳税人首次申领最高开票限额不超过十万元' }),
        f.text('taxOfficer', '办税人员姓名'),
        f.phone('taxOfficerPhone', '办税人员电话'),
      ),
      results: [{ name: '发票票种核定结果（电子发票领用资格）', kind: 'approval_document' }],
      hallNames: allHalls(),
      handlingForms: ['1', '2', '3'],
      handling: { immediate: false, online: true, nearby: true, oneVisit: true },
      appointment: false,
      expressDelivery: false,
      enquiryPhone: PHONE,
      keywords: ['领发票', '申领发票', '票种核定', '新办纳税人'],
      themes: ['business_opening', 'tax'],
      faq: [
        { question: '新办企业能领多少发票？', answer: '首次申领增值税普通发票和专用发票的，最高开票限额不超过十万元，每月最高领用数量不超过25份；有实际经营需要的，可以申请调整。' },
        { question: '需要购买税控设备吗？', answer: '不需要。新办纳税人领用全面数字化的电子发票，通过电子发票服务平台开具。' },
      ],
    }),
  },
];
