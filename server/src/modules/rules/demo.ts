import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import type { Services } from '../../app.js';
import { addDays } from '../../platform/time.js';
import type { DecisionTable, RuleTest } from './schemas.js';

/*
 * The demo city's decision rules (秒批), one published rule set with its tests per instant item
 * (the items carry `instantApproval` in the demo catalog), and its credit-list entries. Seeded
 * through the services after the demo cases, so those keep the front-desk history they show.
 */

interface DemoRules {
  item: string;
  table: DecisionTable;
  tests: RuleTest[];
}

export const DEMO_RULES: DemoRules[] = [
  {
    item: '高龄老人津贴申领',
    table: {
      hitPolicy: 'FIRST',
      inputs: [
        { id: 'age', label: '老人年龄', source: 'applicant', path: 'age' },
        { id: 'hukou', label: '户籍所在街道', source: 'form', path: 'hukouStreet' },
        { id: 'payout', label: '发放账户', source: 'form', path: 'payoutAccount' },
      ],
      rows: [
        { cells: ['< 80', '-', '-'], decision: 'deny', reason: '未满八十周岁，不符合高龄老人津贴申领条件' },
        { cells: ['>= 80', 'starts with(?, "440304")', '"social_card"'], decision: 'approve', reason: '年满八十周岁、户籍在福田区，津贴按月发放至本人社会保障卡' },
        { cells: ['>= 80', 'starts with(?, "440304")', '"bank"'], decision: 'route', reason: '发放至其他银行账户，须人工核对账户信息' },
        { cells: ['-', '-', '-'], decision: 'route', reason: '户籍不在本区，转人工核实' },
      ],
    },
    tests: [
      { name: '84 岁福田户籍，社保卡发放', inputs: { age: 84, hukou: '440304003', payout: 'social_card' }, expected: 'approve' },
      { name: '79 岁', inputs: { age: 79, hukou: '440304003', payout: 'social_card' }, expected: 'deny' },
      { name: '发放至银行账户', inputs: { age: 90, hukou: '440304001', payout: 'bank' }, expected: 'route' },
      { name: '户籍在南山区', inputs: { age: 85, hukou: '440305005', payout: 'social_card' }, expected: 'route' },
      { name: '缺少户籍信息', inputs: { age: 85, payout: 'social_card' }, expected: 'route' },
    ],
  },
  {
    item: '居住证签注',
    table: {
      hitPolicy: 'UNIQUE',
      inputs: [
        { id: 'permit', label: '持有有效居住证（电子证照）', source: 'license', path: 'RESIDENCE_PERMIT' },
        { id: 'basis', label: '居住依据', source: 'form', path: 'basis' },
      ],
      rows: [
        { cells: ['true', '"employment","housing","study"'], decision: 'approve', reason: '持有本市有效居住证，居住依据已申报，准予签注' },
        { cells: ['false', '-'], decision: 'route', reason: '电子证照库中未查到有效居住证，转人工核验' },
      ],
    },
    tests: [
      { name: '持证、就业', inputs: { permit: true, basis: 'employment' }, expected: 'approve' },
      { name: '持证、就读', inputs: { permit: true, basis: 'study' }, expected: 'approve' },
      { name: '未查到居住证', inputs: { permit: false, basis: 'housing' }, expected: 'route' },
      { name: '证照库不可用', inputs: { basis: 'housing' }, expected: 'route' },
    ],
  },
  {
    item: '人才引进（应届毕业生接收）',
    table: {
      hitPolicy: 'FIRST',
      inputs: [
        { id: 'degree', label: '学历学位', source: 'form', path: 'degree' },
        { id: 'graduated', label: '毕业日期', source: 'form', path: 'graduationDate' },
        { id: 'age', label: '年龄', source: 'applicant', path: 'age' },
      ],
      rows: [
        { cells: ['-', '< "2024-07-01"', '-'], decision: 'deny', reason: '毕业已超过两年，不属于应届毕业生接收范围' },
        { cells: ['"bachelor"', '-', '<= 35'], decision: 'approve', reason: '全日制本科应届毕业生，年龄不超过 35 周岁，准予引进' },
        { cells: ['"master","doctor"', '-', '<= 45'], decision: 'approve', reason: '全日制硕士、博士应届毕业生，准予引进' },
        { cells: ['-', '-', '-'], decision: 'route', reason: '年龄超出秒批条件，转人工审核' },
      ],
    },
    tests: [
      { name: '本科 2025 届 23 岁', inputs: { degree: 'bachelor', graduated: '2025-06-30', age: 23 }, expected: 'approve' },
      { name: '博士 40 岁', inputs: { degree: 'doctor', graduated: '2025-06-30', age: 40 }, expected: 'approve' },
      { name: '本科 38 岁', inputs: { degree: 'bachelor', graduated: '2025-06-30', age: 38 }, expected: 'route' },
      { name: '2023 届', inputs: { degree: 'master', graduated: '2023-06-30', age: 27 }, expected: 'deny' },
    ],
  },
  {
    item: '个体工商户设立登记',
    table: {
      hitPolicy: 'UNIQUE',
      inputs: [
        { id: 'form', label: '组成形式', source: 'form', path: 'organizationForm' },
        { id: 'capital', label: '资金数额（分）', source: 'form', path: 'capital' },
        { id: 'employees', label: '从业人数', source: 'form', path: 'employees' },
        { id: 'premises', label: '经营场所用途（不动产登记）', source: 'shared', path: 'real_estate.usage' },
      ],
      rows: [
        { cells: ['"individual"', '<= 10000000', '<= 5', '"商业","商服","商业服务"'], decision: 'approve', reason: '个人经营、资金数额 10 万元以内、从业人数 5 人以内、经营场所为商业用房，准予登记' },
        { cells: ['"individual"', '<= 10000000', '<= 5', 'not("商业","商服","商业服务")'], decision: 'route', reason: '经营场所不是商业用房，须人工核查' },
        { cells: ['"family"', '-', '-', '-'], decision: 'route', reason: '家庭经营须核验家庭成员关系，转人工审核' },
        { cells: ['"individual"', '> 10000000', '-', '-'], decision: 'route', reason: '资金数额超过 10 万元，转人工审核' },
        { cells: ['"individual"', '<= 10000000', '> 5', '-'], decision: 'route', reason: '从业人数超过 5 人，转人工审核' },
      ],
    },
    tests: [
      { name: '个人经营 5 万元 3 人 商业用房', inputs: { form: 'individual', capital: 5_000_000, employees: 3, premises: '商业' }, expected: 'approve' },
      { name: '住宅', inputs: { form: 'individual', capital: 5_000_000, employees: 3, premises: '住宅' }, expected: 'route' },
      { name: '家庭经营', inputs: { form: 'family', capital: 100, employees: 2, premises: '商业' }, expected: 'route' },
      { name: '资金 20 万元', inputs: { form: 'individual', capital: 20_000_000, employees: 1, premises: '商业' }, expected: 'route' },
      { name: '8 人', inputs: { form: 'individual', capital: 100, employees: 8, premises: '商业' }, expected: 'route' },
      { name: '场所查不到', inputs: { form: 'individual', capital: 100, employees: 1 }, expected: 'route' },
    ],
  },
  {
    item: '不动产抵押权注销登记',
    table: {
      hitPolicy: 'UNIQUE',
      inputs: [
        { id: 'role', label: '申请人身份', source: 'form', path: 'applicantRole' },
        { id: 'kind', label: '申请人类型', source: 'applicant', path: 'kind' },
      ],
      rows: [
        { cells: ['"mortgagee"', '-'], decision: 'approve', reason: '抵押权人（银行）在线申请注销，主债权已清偿，准予注销登记（一小时办结）' },
        { cells: ['"mortgagor"', '-'], decision: 'route', reason: '抵押人申请的，须核验抵押权人同意注销的材料' },
      ],
    },
    tests: [
      { name: '银行申请', inputs: { role: 'mortgagee', kind: 'legal' }, expected: 'approve' },
      { name: '业主申请', inputs: { role: 'mortgagor', kind: 'natural' }, expected: 'route' },
    ],
  },
];

/** A demo person on the service blacklist (李四) — commitment and instant approval are refused to him. */
export const DEMO_BLACKLISTED = { name: '李四', idNumber: '440305198506150038', phone: '13800138111' };

export async function seedRulesDemo(services: Services, options: { password: string; enterpriseName: string; enterpriseCreditCode: string }): Promise<void> {
  const actor = SYSTEM_ACTOR;
  for (const demo of DEMO_RULES) {
    const { items } = await services.catalog.listAdminItems(null, { q: demo.item, limit: 5 });
    const item = items.find((i) => i.name === demo.item);
    if (!item || item.currentVersion === null) throw new Error(`demo rules: no published item ${demo.item}`);
    await services.rules.save(null, actor, item.implementationCode, item.currentVersion, { table: demo.table, tests: demo.tests });
    await services.rules.publish(null, actor, item.implementationCode, item.currentVersion);
  }
  await services.identity.register(actor, { kind: 'natural', name: DEMO_BLACKLISTED.name, idNumber: DEMO_BLACKLISTED.idNumber, phone: DEMO_BLACKLISTED.phone, password: options.password }, { demo: true });
  const market = (await services.org.listDepartments()).find((d) => d.name === '深圳市市场监督管理局');
  if (!market) throw new Error('demo rules: no market supervision department');
  const today = services.catalog.today();
  await services.credit.insertEntry(actor, market.id, 'system', {
    list: 'black',
    subjectKind: 'natural',
    subjectIdentifier: DEMO_BLACKLISTED.idNumber,
    subjectName: DEMO_BLACKLISTED.name,
    reason: '在食品经营许可告知承诺中作出虚假承诺（经营场所与承诺不符）',
    legalBasis: '《优化营商环境条例》第十九条；《深圳经济特区社会信用条例》',
    validFrom: today,
    validUntil: addDays(today, 1095),
  });
  await services.credit.insertEntry(actor, market.id, 'system', {
    list: 'red',
    subjectKind: 'legal',
    subjectIdentifier: options.enterpriseCreditCode,
    subjectName: options.enterpriseName,
    reason: '连续三年纳税信用 A 级，守信激励（绿色通道）',
    legalBasis: '《深圳经济特区社会信用条例》',
    validFrom: today,
    validUntil: addDays(today, 365),
  });
}
