/**
 * District items (exercise level 4): social assistance and old-age allowances, accepted at the
 * district halls. The demo city has no civil-affairs bureau (民政局), so these sit with the
 * district 政务服务数据管理局 that runs the district hall.
 */
import {
  DEPT, HALL, agentAuthorization, applicationForm, f, form, free, householdRegister, idCard, itemContent, material, personApplicant, steps,
} from './builders.js';
import type { DemoItem } from './types.js';

const FUTIAN_PHONE = '0755-82918000';
const NANSHAN_PHONE = '0755-26651000';

const ASSISTANCE_BASIS = { title: '《社会救助暂行办法》' };

/** 家庭经济状况核对授权 and payment account, common to the assistance items. */
function assistanceFields() {
  return [
    f.number('familySize', '共同生活家庭成员人数'),
    f.money('monthlyIncome', '家庭月总收入'),
    f.text('bankAccount', '救助金发放银行账号', { schema: { pattern: '^[0-9]{12,30}$' } }),
    f.checkbox('authorization', '同意民政部门核对家庭经济状况'),
  ];
}

function economicAuthorization() {
  return material('economic_check', '家庭经济状况核对授权书', 'applicant', 'required', { paperCopies: 1, notes: '全体家庭成员签名；网上申请的通过电子签名授权。收入、存款、车辆、房产等由核对机构共享核查，无需自行开具证明。' });
}

export const DISTRICT_ITEMS: DemoItem[] = [
  {
    department: DEPT.futian,
    exerciseLevel: 4,
    basicCode: '05MZ00010100',
    content: itemContent({
      name: '高龄老人津贴申领',
      instantApproval: true,
      type: '05',
      serviceObjects: ['1'],
      handlingItems: [],
      legalBasis: [
        { title: '《中华人民共和国老年人权益保障法》', article: '第三十三条', text: '国家鼓励地方建立八十周岁以上低收入老年人高龄津贴制度。' },
        { title: '《广东省老年人权益保障条例》' },
        { title: '《深圳经济特区养老服务条例》' },
      ],
      acceptanceConditions: [
        '具有本市户籍，户籍所在地在本区。',
        '年满八十周岁。',
        '未被判处刑罚正在服刑。',
      ],
      procedure: steps(['受理', 'window_clerk', 0], ['信息核验', 'approver', 0], ['核准', 'approver', 0]),
      legalDays: 20,
      promisedDays: 0,
      caseKind: '1',
      fees: free(),
      materials: [
        idCard('老人居民身份证'),
        householdRegister(),
        material('social_card', '社会保障卡（发放账户）', 'e_license', 'required', { licenseTypeCode: 'SOCIAL_SECURITY_CARD', notes: '津贴按月发放至老人本人社会保障卡金融账户。' }),
        agentAuthorization({ notes: '家属代为申请的提供；通过“i深圳”亲属代办授权的无需提交。' }),
      ],
      form: form(
        personApplicant('老人'),
        f.radio('applicantRole', '申请人', [['self', '老人本人'], ['relative', '家属代办']]),
        f.text('agentName', '代办人姓名', { when: ['applicantRole', 'relative'] }),
        f.idNumber('agentIdNumber', '代办人身份证号码', { when: ['applicantRole', 'relative'] }),
        f.select('agentRelation', '代办人与老人关系', [['child', '子女'], ['spouse', '配偶'], ['other', '其他亲属']], { when: ['applicantRole', 'relative'] }),
        f.region('hukouStreet', '户籍所在街道'),
        f.radio('payoutAccount', '发放账户', [['social_card', '老人社会保障卡'], ['bank', '老人本人其他银行账户']]),
        f.text('bankAccount', '银行账号', { when: ['payoutAccount', 'bank'], schema: { pattern: '^[0-9]{12,30}$' } }),
      ),
      results: [{ name: '高龄老人津贴核准通知（电子）', kind: 'approval_document' }],
      hallNames: [HALL.futian],
      handlingForms: ['1', '2', '3'],
      handling: { immediate: true, online: true, nearby: true, oneVisit: true },
      appointment: false,
      expressDelivery: false,
      enquiryPhone: FUTIAN_PHONE,
      keywords: ['老人补贴', '高龄补贴', '长寿金', '高龄津贴'],
      themes: ['elderly'],
      faq: [
        { question: '高龄津贴标准是多少？', answer: '按年龄分80至89周岁、90至99周岁、100周岁以上三档按月发放，具体金额以市民政部门公布的现行标准为准。' },
        { question: '什么时候开始发？', answer: '核准后自次月起按月发放至老人社会保障卡，每年通过人脸识别或大数据比对进行一次资格确认。' },
        { question: '老人行动不便怎么申请？', answer: '子女等家属可在“i深圳”代为申请，系统核验信息后即时核准，全程无需老人到场。' },
      ],
    }),
  },
  {
    department: DEPT.futian,
    exerciseLevel: 4,
    basicCode: '05MZ00040100',
    content: itemContent({
      name: '临时救助',
      type: '05',
      serviceObjects: ['1'],
      subItems: [
        { code: '01', name: '急难型临时救助' },
        { code: '02', name: '支出型临时救助' },
      ],
      handlingItems: [],
      legalBasis: [
        { ...ASSISTANCE_BASIS, article: '第四十七条', text: '国家对因火灾、交通事故等意外事件，家庭成员突发重大疾病等原因，导致基本生活暂时出现严重困难的家庭，或者因生活必需支出突然增加超出家庭承受能力，导致基本生活暂时出现严重困难的最低生活保障家庭，以及遭遇其他特殊困难的家庭，给予临时救助。' },
        { ...ASSISTANCE_BASIS, article: '第四十八条' },
        { title: '《广东省社会救助条例》' },
      ],
      acceptanceConditions: [
        '因意外事件、突发重大疾病等原因，导致基本生活暂时出现严重困难。',
        '申请人户籍在本区，或者持有本区居住证。',
        '情况紧急的，可先行救助，事后补办手续。',
      ],
      procedure: steps(['受理', 'window_clerk', 0], ['调查核实', 'approver', 5], ['审批', 'approver', 3], ['发放', 'window_clerk', 1]),
      legalDays: 20,
      promisedDays: 10,
      caseKind: '2',
      fees: free(),
      materials: [
        applicationForm('临时救助申请书'),
        idCard(),
        householdRegister({ requirement: 'optional', notes: '本区户籍的通过户籍信息核验；持居住证的通过电子证照核验。' }),
        economicAuthorization(),
        material('diagnosis', '疾病诊断证明书', 'issuing_body', 'optional', { proofCode: 'SZZM005', originals: 1, notes: '因重大疾病申请的提供。' }),
        material('accident_report', '交通事故认定书或火灾事故认定书', 'issuing_body', 'deferrable', { proofCode: 'SZZM011', paperCopies: 1, notes: '因意外事件申请的提供，尚未认定的可先受理后补交。' }),
      ],
      form: form(
        personApplicant(),
        f.select('cause', '困难原因', [['illness', '家庭成员突发重大疾病'], ['accident', '火灾、交通事故等意外事件'], ['expenditure', '生活必需支出突然增加'], ['other', '其他特殊困难']]),
        f.text('hospitalName', '就诊医院', { when: ['cause', 'illness'] }),
        f.date('accidentDate', '事故发生日期', { when: ['cause', 'accident'] }),
        f.textarea('otherReason', '困难情况说明', { when: ['cause', 'other'] }),
        f.money('expenditure', '已发生或预计支出金额'),
        assistanceFields(),
      ),
      results: [{ name: '临时救助审批决定', kind: 'approval_document' }],
      hallNames: [HALL.futian],
      handlingForms: ['1', '2', '3'],
      handling: { immediate: false, online: true, nearby: true, oneVisit: true },
      onlineDepth: 3,
      visitsRequired: 1,
      appointment: true,
      expressDelivery: false,
      specialProcedures: [{ kind: '2', name: '审核结果公示', days: 3 }],
      enquiryPhone: FUTIAN_PHONE,
      keywords: ['困难补助', '救急', '临时救助', '大病救助'],
      themes: [],
      faq: [
        { question: '情况紧急等不了审批怎么办？', answer: '对情况紧急、需立即采取措施的，街道可先行救助，在救助后补齐审核审批手续。' },
      ],
    }),
  },
  {
    department: DEPT.nanshan,
    exerciseLevel: 4,
    basicCode: '05MZ00020100',
    content: itemContent({
      name: '最低生活保障',
      type: '05',
      serviceObjects: ['1'],
      handlingItems: [
        { name: '低保申请', kind: 'new' },
        { name: '低保待遇变更', kind: 'change' },
        { name: '低保终止', kind: 'cancellation' },
      ],
      legalBasis: [
        { ...ASSISTANCE_BASIS, article: '第九条', text: '国家对共同生活的家庭成员人均收入低于当地最低生活保障标准，且符合当地最低生活保障家庭财产状况规定的家庭，给予最低生活保障。' },
        { ...ASSISTANCE_BASIS, article: '第十一条' },
        { title: '《广东省社会救助条例》' },
      ],
      acceptanceConditions: [
        '申请人具有本区户籍。',
        '共同生活的家庭成员人均月收入低于本市最低生活保障标准。',
        '家庭财产状况符合本市规定。',
      ],
      procedure: steps(['受理', 'window_clerk', 0], ['家庭经济状况核对', 'approver', 5], ['入户调查', 'approver', 5], ['审核', 'approver', 3], ['审批', 'approver', 3], ['发放', 'window_clerk', 1]),
      legalDays: 30,
      promisedDays: 20,
      caseKind: '2',
      fees: free(),
      materials: [
        applicationForm('最低生活保障申请书'),
        idCard('申请人及共同生活家庭成员身份证明'),
        householdRegister(),
        economicAuthorization(),
        material('disability_cert', '残疾人证', 'e_license', 'optional', { licenseTypeCode: 'DISABILITY_CERT', notes: '家庭成员中有残疾人的，通过电子证照库调取。' }),
      ],
      form: form(
        personApplicant('申请人（户主）'),
        f.textarea('familyMembers', '共同生活家庭成员（姓名、身份证号码、关系）'),
        f.radio('housing', '住房情况', [['own', '自有住房'], ['rent', '租住'], ['public_rental', '公共租赁住房']]),
        f.checkbox('hasDisabledMember', '家庭成员中有残疾人', { required: false }),
        f.text('disabilityCertNumber', '残疾人证号', { when: ['hasDisabledMember', true] }),
        assistanceFields(),
      ),
      results: [{ name: '最低生活保障审批决定', kind: 'approval_document' }],
      hallNames: [HALL.nanshan],
      handlingForms: ['1', '2', '3'],
      handling: { immediate: false, online: true, nearby: true, oneVisit: true },
      onlineDepth: 3,
      visitsRequired: 1,
      appointment: true,
      expressDelivery: false,
      specialProcedures: [{ kind: '2', name: '审核结果公示', days: 7 }],
      enquiryPhone: NANSHAN_PHONE,
      keywords: ['低保', '困难补助', '最低生活保障'],
      themes: [],
      faq: [
        { question: '申请低保要开收入证明吗？', answer: '不需要。签署家庭经济状况核对授权书后，由核对机构通过社保、公积金、税务、不动产、车辆、银行等信息共享核查收入和财产。' },
      ],
    }),
  },
  {
    department: DEPT.nanshan,
    exerciseLevel: 4,
    basicCode: '05MZ00030100',
    content: itemContent({
      name: '特困人员救助供养',
      type: '05',
      serviceObjects: ['1'],
      subItems: [
        { code: '01', name: '分散供养' },
        { code: '02', name: '集中供养' },
      ],
      handlingItems: [],
      legalBasis: [
        { ...ASSISTANCE_BASIS, article: '第十四条', text: '国家对无劳动能力、无生活来源且无法定赡养、抚养、扶养义务人，或者其法定赡养、抚养、扶养义务人无赡养、抚养、扶养能力的老年人、残疾人以及未满16周岁的未成年人，给予特困人员供养。' },
        { title: '《国务院关于进一步健全特困人员救助供养制度的意见》（国发〔2016〕14号）' },
      ],
      acceptanceConditions: [
        '具有本区户籍的老年人、残疾人或者未满16周岁的未成年人。',
        '无劳动能力、无生活来源，且无法定赡养、抚养、扶养义务人或者其义务人无履行能力。',
      ],
      procedure: steps(['受理', 'window_clerk', 0], ['调查核实', 'approver', 8], ['审核', 'approver', 4], ['审批', 'approver', 5], ['告知', 'window_clerk', 1]),
      legalDays: 30,
      promisedDays: 20,
      caseKind: '2',
      fees: free(),
      materials: [
        applicationForm('特困人员救助供养申请书'),
        idCard(),
        householdRegister(),
        economicAuthorization(),
        material('disability_cert', '残疾人证', 'e_license', 'optional', { licenseTypeCode: 'DISABILITY_CERT', notes: '残疾人申请的通过电子证照库调取。' }),
      ],
      form: form(
        personApplicant(),
        f.select('category', '申请人类别', [['elderly', '老年人'], ['disabled', '残疾人'], ['minor', '未满16周岁的未成年人']]),
        f.text('guardianName', '监护人姓名', { when: ['category', 'minor'] }),
        f.phone('guardianPhone', '监护人电话', { when: ['category', 'minor'] }),
        f.text('disabilityCertNumber', '残疾人证号', { when: ['category', 'disabled'] }),
        f.radio('careMode', '供养方式', [['home', '分散供养'], ['institution', '集中供养']]),
        f.text('institutionName', '意向供养服务机构', { when: ['careMode', 'institution'] }),
        f.textarea('situation', '生活及赡养（抚养、扶养）情况说明'),
      ),
      results: [{ name: '特困人员救助供养审批决定', kind: 'approval_document' }],
      hallNames: [HALL.nanshan],
      handlingForms: ['1', '2'],
      handling: { immediate: false, online: true, nearby: true, oneVisit: true },
      onlineDepth: 3,
      visitsRequired: 1,
      appointment: true,
      expressDelivery: false,
      specialProcedures: [{ kind: '2', name: '审核结果公示', days: 7 }],
      enquiryPhone: NANSHAN_PHONE,
      keywords: ['五保', '特困供养', '孤寡老人'],
      themes: ['elderly'],
      faq: [],
    }),
  },
];
