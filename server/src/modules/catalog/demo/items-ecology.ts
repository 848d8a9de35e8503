/** 深圳市生态环境局: environmental impact assessment of construction projects. */
import { DEPT, HALL, businessLicense, enterpriseApplicant, f, form, free, itemContent, material, steps } from './builders.js';
import type { DemoItem } from './types.js';

const PHONE = '0755-23918000';

export const ECOLOGY_ITEMS: DemoItem[] = [
  {
    department: DEPT.ecology,
    exerciseLevel: 3,
    basicCode: '01HB00010100',
    content: itemContent({
      name: '建设项目环境影响评价文件审批',
      type: '01',
      serviceObjects: ['2', '3', '4', '5', '6'],
      subItems: [
        { code: '01', name: '环境影响报告书审批' },
        { code: '02', name: '环境影响报告表审批' },
      ],
      handlingItems: [{ name: '审批', kind: 'new' }, { name: '重新报批', kind: 'change' }],
      legalBasis: [
        { title: '《中华人民共和国环境影响评价法》', article: '第二十二条', text: '审批部门应当自收到环境影响报告书之日起六十日内，收到环境影响报告表之日起三十日内，分别作出审批决定并书面通知建设单位。' },
        { title: '《建设项目环境保护管理条例》', article: '第九条' },
      ],
      acceptanceConditions: [
        '建设项目类型及其选址、布局、规模符合环境保护法律法规和相关法定规划。',
        '环境影响评价文件由具备能力的单位编制，基础资料数据真实。',
        '已依法公开环境影响评价信息并征求公众意见（报告书项目）。',
      ],
      procedure: steps(['受理', 'window_clerk', 0], ['技术评估', 'approver', 8], ['审查', 'approver', 5], ['决定', 'approver', 2]),
      legalDays: 60,
      promisedDays: 15,
      caseKind: '2',
      fees: free(),
      materials: [
        material('eia_application', '建设项目环境影响评价文件审批申请书', 'applicant', 'required', { paperCopies: 1 }),
        material('eia_report', '环境影响报告书（表）', 'applicant', 'required', { paperCopies: 2, notes: '由建设单位自行或委托具备能力的技术单位编制。' }),
        businessLicense({ notes: '建设单位为企业的通过电子证照库调取。' }),
        material('public_participation', '公众参与说明', 'applicant', 'deferrable', { notes: '报告书项目提供；可在技术评估结束前补交。' }),
      ],
      form: form(
        enterpriseApplicant(),
        f.text('projectName', '项目名称'),
        f.text('projectCode', '投资项目统一代码', { schema: { pattern: '^[0-9]{4}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}$' }, help: '格式如 2026-440304-47-01-123456' }),
        f.radio('documentKind', '评价文件类别', [['report', '环境影响报告书'], ['form', '环境影响报告表']]),
        f.text('preparedBy', '评价文件编制单位'),
        f.textarea('pollutants', '主要污染物及治理措施'),
      ),
      results: [{ name: '建设项目环境影响评价文件批复', kind: 'approval_document' }],
      hallNames: [HALL.city],
      handlingForms: ['1', '2'],
      handling: { immediate: false, online: true, nearby: false, oneVisit: true },
      appointment: true,
      expressDelivery: true,
      specialProcedures: [
        { kind: '2', name: '专家评审', days: 10 },
        { kind: '2', name: '拟审批公示', days: 5 },
      ],
      enquiryPhone: PHONE,
      keywords: ['环评', '环评审批', '环境影响评价'],
      themes: ['construction'],
      faq: [
        { question: '环评审批要多久？', answer: '承诺15个工作日内作出决定；专家评审、拟审批公示所需时间不计入办理时限。' },
      ],
    }),
  },
];
