/** 深圳市发展和改革委员会: filing of enterprise investment projects (the first step of a construction project). */
import { DEPT, HALL, businessLicense, enterpriseApplicant, f, form, free, itemContent, material, steps } from './builders.js';
import type { DemoItem } from './types.js';

const PHONE = '0755-88100000';

export const DEVELOPMENT_ITEMS: DemoItem[] = [
  {
    department: DEPT.development,
    exerciseLevel: 3,
    basicCode: '10FG00010100',
    content: itemContent({
      name: '企业投资项目备案',
      type: '10',
      serviceObjects: ['2', '3', '4', '6'],
      handlingItems: [{ name: '备案', kind: 'new' }, { name: '备案信息变更', kind: 'change' }],
      legalBasis: [
        { title: '《企业投资项目核准和备案管理条例》', article: '第十三条', text: '实行备案管理的项目，企业应当在开工建设前通过在线平台将下列信息告知备案机关：（一）企业基本情况；（二）项目名称、建设地点、建设规模、建设内容；（三）项目总投资额；（四）项目符合产业政策的声明。' },
        { title: '《企业投资项目核准和备案管理办法》（国家发展改革委令2017年第2号）' },
      ],
      acceptanceConditions: [
        '项目不属于《政府核准的投资项目目录》范围。',
        '项目符合国家产业政策，不属于产业结构调整指导目录中的淘汰类项目。',
      ],
      procedure: steps(['受理', 'window_clerk', 0], ['备案', 'approver', 1]),
      legalDays: 2,
      promisedDays: 1,
      caseKind: '2',
      fees: free(),
      materials: [
        businessLicense({ notes: '项目单位为企业的通过电子证照库调取。' }),
        material('project_information', '项目基本情况（名称、地点、规模、内容、总投资）', 'applicant', 'required', { notes: '在线填报，无需另行提交纸质材料。' }),
        material('policy_statement', '项目符合产业政策的声明', 'applicant', 'required'),
      ],
      form: form(
        enterpriseApplicant(),
        f.text('projectName', '项目名称'),
        f.region('projectRegion', '建设地点（行政区划）'),
        f.text('projectAddress', '建设地点详细地址', { schema: { maxLength: 200 } }),
        f.textarea('projectScale', '建设规模及内容'),
        f.money('totalInvestment', '项目总投资'),
        f.date('plannedStart', '计划开工日期'),
        f.checkbox('policyDeclaration', '本项目符合国家产业政策'),
      ),
      results: [{ name: '深圳市社会投资项目备案证（含投资项目统一代码）', kind: 'certificate' }],
      hallNames: [HALL.city],
      handlingForms: ['2'],
      handling: { immediate: false, online: true, nearby: false, oneVisit: true },
      appointment: false,
      expressDelivery: false,
      enquiryPhone: PHONE,
      keywords: ['项目备案', '立项', '投资项目代码'],
      themes: ['construction'],
      faq: [
        { question: '备案和核准有什么区别？', answer: '《政府核准的投资项目目录》以外的企业投资项目实行备案管理，企业在线告知项目信息即可，备案机关不作实质审查。' },
      ],
    }),
  },
];
