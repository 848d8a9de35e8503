/**
 * Demo providers with synthetic records: household registration (公安局), social insurance (人社局),
 * market entities (市场监管局) and the real-estate register (规自局), each keyed by the demo
 * person or enterprise and a few generated ones; and grants so the demo gateway and prefill work.
 * Seeded through DataSharingService (never its tables), like the rest of the demo city. Resource
 * codes match what the demo catalog's materials name (`resourceId: 'household'`, …).
 */
import type { AuditActor } from '../../platform/audit/audit.js';
// demo/seed.ts imports this module in turn: its code builders are called in functions only, never
// while the modules load.
import { demoCreditCode, demoIdNumber } from '../demo/seed.js';
import type { DataSharingService } from './service.js';
import type { ResourceInput } from './schemas.js';

const LEGAL_BASIS = '《政务信息资源共享管理暂行办法》（国发〔2016〕51号）；《国务院关于加快推进全国一体化在线政务服务平台建设的指导意见》（国发〔2018〕27号）';

export const DEMO_RESOURCES = {
  household: {
    department: '深圳市公安局',
    input: {
      code: 'household',
      name: '户籍人口基本信息',
      description: '常住户籍人口的身份与户籍登记信息，按公民身份号码查询。',
      subjectType: 'id_number',
      subjectField: 'idNumber',
      fields: [
        { name: 'name', label: '姓名', type: 'string', sensitivity: 'personal', required: true },
        { name: 'gender', label: '性别', type: 'string', sensitivity: 'personal', required: true },
        { name: 'ethnicity', label: '民族', type: 'string', sensitivity: 'personal' },
        { name: 'birthDate', label: '出生日期', type: 'date', sensitivity: 'personal', required: true },
        { name: 'address', label: '户籍地址', type: 'string', sensitivity: 'personal' },
        { name: 'householdNumber', label: '户号', type: 'string', sensitivity: 'personal' },
        { name: 'relationToHead', label: '与户主关系', type: 'string', sensitivity: 'personal' },
        { name: 'maritalStatus', label: '婚姻状况', type: 'string', sensitivity: 'personal' },
      ],
      updateFrequency: 'daily',
      sharingType: 'conditional',
      conditions: '仅用于办理政务服务事项时核验申请人及其家庭成员的身份和户籍信息，不得用于其他目的。',
      legalBasis: `${LEGAL_BASIS}；《中华人民共和国户口登记条例》`,
      backend: 'hosted',
    },
  },
  social_insurance: {
    department: '深圳市人力资源和社会保障局',
    input: {
      code: 'social_insurance',
      name: '社会保险参保缴费信息',
      description: '个人参保险种、参保状态、参保单位和累计缴费月数。',
      subjectType: 'id_number',
      subjectField: 'idNumber',
      fields: [
        { name: 'name', label: '姓名', type: 'string', sensitivity: 'personal', required: true },
        { name: 'insuranceTypes', label: '参保险种', type: 'string', sensitivity: 'personal' },
        { name: 'status', label: '参保状态', type: 'string', sensitivity: 'personal', required: true },
        { name: 'employerName', label: '参保单位', type: 'string', sensitivity: 'personal' },
        { name: 'firstInsuredOn', label: '首次参保日期', type: 'date', sensitivity: 'personal' },
        { name: 'contributionMonths', label: '累计缴费月数', type: 'integer', sensitivity: 'personal' },
        { name: 'contributionBase', label: '缴费基数（元）', type: 'number', sensitivity: 'sensitive' },
      ],
      updateFrequency: 'monthly',
      sharingType: 'conditional',
      conditions: '用于社会保障、人才引进、住房保障等事项的资格核验；缴费基数仅限确有需要的事项。',
      legalBasis: `${LEGAL_BASIS}；《中华人民共和国社会保险法》`,
      backend: 'hosted',
    },
  },
  market_entity: {
    department: '深圳市市场监督管理局',
    input: {
      code: 'market_entity',
      name: '市场主体登记信息',
      description: '企业、个体工商户等市场主体的登记信息（公示信息），按统一社会信用代码查询。',
      subjectType: 'credit_code',
      subjectField: 'creditCode',
      fields: [
        { name: 'name', label: '名称', type: 'string', sensitivity: 'general', required: true },
        { name: 'entityType', label: '主体类型', type: 'string', sensitivity: 'general' },
        { name: 'legalRepresentative', label: '法定代表人', type: 'string', sensitivity: 'personal' },
        { name: 'registeredCapital', label: '注册资本（万元）', type: 'number', sensitivity: 'general' },
        { name: 'establishedOn', label: '成立日期', type: 'date', sensitivity: 'general' },
        { name: 'address', label: '住所', type: 'string', sensitivity: 'general' },
        { name: 'businessScope', label: '经营范围', type: 'string', sensitivity: 'general' },
        { name: 'status', label: '登记状态', type: 'string', sensitivity: 'general', required: true },
      ],
      updateFrequency: 'realtime',
      sharingType: 'unconditional',
      legalBasis: `${LEGAL_BASIS}；《中华人民共和国市场主体登记管理条例》`,
      backend: 'hosted',
    },
  },
  real_estate: {
    department: '深圳市规划和自然资源局',
    input: {
      code: 'real_estate',
      name: '不动产登记信息',
      description: '权利人名下不动产的权属、坐落、用途及抵押、查封状态，按权利人公民身份号码查询。',
      subjectType: 'id_number',
      subjectField: 'ownerIdNumber',
      fields: [
        { name: 'certificateNo', label: '不动产权证号', type: 'string', sensitivity: 'personal', required: true },
        { name: 'location', label: '坐落', type: 'string', sensitivity: 'personal', required: true },
        { name: 'area', label: '建筑面积（平方米）', type: 'number', sensitivity: 'personal' },
        { name: 'usage', label: '用途', type: 'string', sensitivity: 'personal' },
        { name: 'ownership', label: '共有情况', type: 'string', sensitivity: 'personal' },
        { name: 'registeredOn', label: '登记日期', type: 'date', sensitivity: 'personal' },
        { name: 'mortgaged', label: '是否抵押', type: 'boolean', sensitivity: 'sensitive' },
        { name: 'sealedUp', label: '是否查封', type: 'boolean', sensitivity: 'sensitive' },
      ],
      updateFrequency: 'realtime',
      sharingType: 'conditional',
      conditions: '用于不动产登记、住所（经营场所）核验、住房保障等事项；抵押、查封状态仅限不动产登记及司法协助。',
      legalBasis: `${LEGAL_BASIS}；《不动产登记暂行条例》`,
      backend: 'hosted',
    },
  },
} satisfies Record<string, { department: string; input: ResourceInput }>;

/** Grants the demo needs: the data bureau reads 户籍 name/gender/address (prefill), and a few more. */
export const DEMO_GRANTS: Array<{ resource: keyof typeof DEMO_RESOURCES; consumer: string; purpose: string; fields: string[] }> = [
  { resource: 'household', consumer: '深圳市政务服务数据管理局', purpose: '一网通办申请表单预填与身份核验', fields: ['name', 'gender', 'address'] },
  { resource: 'household', consumer: '深圳市市场监督管理局', purpose: '企业开办中核验法定代表人、经营者身份及家庭成员关系', fields: ['name', 'gender', 'birthDate', 'address', 'relationToHead'] },
  { resource: 'real_estate', consumer: '深圳市市场监督管理局', purpose: '市场主体登记住所（经营场所）核验', fields: ['certificateNo', 'location', 'usage'] },
  { resource: 'market_entity', consumer: '深圳市人力资源和社会保障局', purpose: '用人单位社会保险登记与人才引进中核验单位登记信息', fields: ['name', 'entityType', 'legalRepresentative', 'status'] },
  { resource: 'social_insurance', consumer: '深圳市住房和建设局', purpose: '保障性住房申请中核验社会保险缴费年限', fields: ['name', 'status', 'contributionMonths'] },
];

/** Synthetic people: the demo person first, then generated ones (valid by checksum, not real). */
function people(demoPerson: { name: string; idNumber: string }) {
  const surnames = ['李', '王', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马'];
  const given = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟'];
  const districts = [['440303', '罗湖区'], ['440304', '福田区'], ['440305', '南山区'], ['440306', '宝安区']] as const;
  const list = [{ name: demoPerson.name, idNumber: demoPerson.idNumber, gender: '男', birthDate: '1990-01-01', district: '福田区', serial: 0 }];
  for (let i = 1; i <= 11; i++) {
    const [region, district] = districts[i % districts.length]!;
    const birth = `19${70 + i * 2}${String((i % 12) + 1).padStart(2, '0')}${String(i + 10).padStart(2, '0')}`;
    const sequence = String(100 + i * 7).padStart(3, '0');
    const id = demoIdNumber(region, birth, sequence);
    list.push({ name: `${surnames[i]!}${given[(i * 5) % given.length]!}`, idNumber: id, gender: Number(sequence[2]) % 2 === 1 ? '男' : '女', birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`, district, serial: i });
  }
  return list;
}

export async function seedSharingDemo(
  sharing: DataSharingService,
  actor: AuditActor,
  departmentIds: ReadonlyMap<string, string>,
  demo: { person: { name: string; idNumber: string }; enterprise: { name: string; creditCode: string } },
): Promise<void> {
  const persons = people(demo.person);
  const ids = new Map<string, string>();
  for (const [key, { department, input }] of Object.entries(DEMO_RESOURCES)) {
    const resource = await sharing.createResource(null, actor, input, departmentIds.get(department)!);
    ids.set(key, resource.id);
  }

  const household = persons.map((p, i) => ({
    idNumber: p.idNumber,
    name: p.name,
    gender: p.gender,
    ethnicity: '汉族',
    birthDate: p.birthDate,
    address: `广东省深圳市${p.district}${['福中路', '深南大道', '科技园路', '新安街道'][i % 4]!}${10 + i}号`,
    householdNumber: `44030${String(100000 + i * 37)}`,
    relationToHead: i % 3 === 0 ? '户主' : i % 3 === 1 ? '配偶' : '子',
    maritalStatus: i % 2 === 0 ? '已婚' : '未婚',
  }));
  const insurance = persons.slice(0, 9).map((p, i) => ({
    idNumber: p.idNumber,
    name: p.name,
    insuranceTypes: '养老、医疗、失业、工伤、生育',
    status: i === 4 ? '暂停缴费' : '正常参保',
    employerName: i % 2 === 0 ? demo.enterprise.name : '深圳市示例贸易有限公司',
    firstInsuredOn: `${2010 + (i % 8)}-07-01`,
    contributionMonths: 60 + i * 13,
    contributionBase: 6000 + i * 850.5,
  }));
  const realEstate = persons.slice(0, 6).map((p, i) => ({
    ownerIdNumber: p.idNumber,
    certificateNo: `粤（2021）深圳市不动产权第${String(1_000_000 + i * 4321).padStart(7, '0')}号`,
    location: `深圳市${p.district}示例花园${i + 1}栋${(i % 3) + 1}0${i + 1}`,
    area: 68.5 + i * 12.25,
    usage: i === 5 ? '商业' : '住宅',
    ownership: i % 2 === 0 ? '单独所有' : '共同共有',
    registeredOn: `2021-0${(i % 9) + 1}-15`,
    mortgaged: i % 2 === 1,
    sealedUp: false,
  }));
  const enterprises = [
    { creditCode: demo.enterprise.creditCode, name: demo.enterprise.name, entityType: '有限责任公司（自然人投资或控股）', legalRepresentative: demo.person.name, registeredCapital: 500, establishedOn: '2019-03-18', address: '深圳市南山区粤海街道科技园社区科技南路 18 号', businessScope: '软件开发；信息技术咨询服务；数据处理服务。', status: '存续' },
    ...[1, 2, 3, 4, 5].map((i) => ({
      creditCode: demoCreditCode('91', '440300', 9100 + i),
      name: ['深圳市示例贸易有限公司', '深圳市南山示范餐饮店', '深圳市福田示例物业管理有限公司', '深圳市宝安示范制造有限公司', '深圳市罗湖示例商贸行'][i - 1]!,
      entityType: i === 2 || i === 5 ? '个体工商户' : '有限责任公司',
      legalRepresentative: persons[i]!.name,
      registeredCapital: i === 2 || i === 5 ? 10 : 100 * i,
      establishedOn: `201${i}-0${i}-2${i}`,
      address: `深圳市示例路 ${i * 11} 号`,
      businessScope: '一般经营项目：国内贸易；经营进出口业务。',
      status: i === 4 ? '注销' : '存续',
    })),
  ];

  await sharing.importDataset(null, actor, ids.get('household')!, { records: household });
  await sharing.importDataset(null, actor, ids.get('social_insurance')!, { records: insurance });
  await sharing.importDataset(null, actor, ids.get('market_entity')!, { records: enterprises });
  await sharing.importDataset(null, actor, ids.get('real_estate')!, { records: realEstate });
  for (const id of ids.values()) await sharing.publishResource(null, actor, id);

  for (const grant of DEMO_GRANTS) {
    const request = await sharing.createRequest(null, actor, { resourceId: ids.get(grant.resource)!, purpose: grant.purpose, fields: grant.fields }, departmentIds.get(grant.consumer)!);
    if (request.status === 'pending') {
      await sharing.decideRequest(null, actor, request.id, { decision: 'grant', note: '演示数据：同意共享' });
    }
  }
}
