/**
 * The demo city's license library, seeded through the service: a license type for every
 * `licenseTypeCode` the demo catalog names (results and materials), one seal per department,
 * and licenses held by 张三 and the demo enterprise (the wallet, 免提交). Runs before the demo
 * cases, whose approvals then issue their licenses the ordinary way.
 */
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { creditCodeCheckCharacter, organizationCodeCheckCharacter } from '../../shared/identifiers.js';
import type { OrgService } from '../org/service.js';
import type { LicenseTypeInput } from './schemas.js';
import type { LicensesService } from './service.js';

type Field = { name: string; label: string; required?: boolean };

/** [code, name, holders, validity in years (null: long-term), face fields]. */
const TYPES: Array<[string, string, LicenseTypeInput['holderKind'], number | null, Field[]]> = [
  ['BUSINESS_LICENSE', '营业执照', 'any', null, [{ name: 'businessName', label: '名称' }, { name: 'businessScope', label: '经营范围' }, { name: 'premisesAddress', label: '经营场所' }]],
  ['FOOD_BUSINESS_LICENSE', '食品经营许可证', 'any', 5, [{ name: 'entityName', label: '经营者名称' }, { name: 'legalRepresentative', label: '法定代表人（负责人）' }, { name: 'premisesAddress', label: '经营场所' }, { name: 'operatingItems', label: '经营项目' }]],
  ['SPECIAL_EQUIPMENT_USE_CERT', '特种设备使用登记证', 'legal', null, []],
  ['PUBLIC_PLACE_HYGIENE_LICENSE', '公共场所卫生许可证', 'any', 4, []],
  ['MEDICAL_INSTITUTION_LICENSE', '医疗机构执业许可证', 'legal', 5, []],
  ['PHYSICIAN_PRACTICE_CERT', '医师执业证书', 'natural', null, []],
  ['NURSE_PRACTICE_CERT', '护士执业证书', 'natural', 5, []],
  ['BIRTH_REGISTRATION', '生育登记服务单', 'natural', null, []],
  ['BIRTH_MEDICAL_CERT', '出生医学证明', 'natural', null, []],
  ['MARRIAGE_CERT', '结婚证', 'natural', null, []],
  ['RESIDENCE_PERMIT', '广东省居住证', 'natural', 1, []],
  ['HOUSEHOLD_REGISTER', '居民户口簿', 'natural', null, []],
  ['ID_CARD', '居民身份证', 'natural', 20, []],
  ['HK_MACAO_PERMIT', '往来港澳通行证', 'natural', 10, []],
  ['NO_CRIMINAL_RECORD', '无犯罪记录证明', 'natural', 1, []],
  ['SOCIAL_SECURITY_CARD', '社会保障卡', 'natural', 10, [{ name: 'cardNumber', label: '社会保障卡号' }]],
  ['EMPLOYMENT_CERT', '就业创业证', 'natural', null, []],
  ['DISABILITY_CERT', '残疾人证', 'natural', 10, []],
  ['CONSTRUCTION_PLANNING_PERMIT', '建设工程规划许可证', 'any', null, []],
  ['LAND_USE_PLANNING_PERMIT', '建设用地规划许可证', 'any', null, []],
  ['PLANNING_ACCEPTANCE_CERT', '建设工程规划验收合格证', 'any', null, []],
  ['CONSTRUCTION_PERMIT', '建筑工程施工许可证', 'any', null, []],
  ['PRESALE_PERMIT', '商品房预售许可证', 'legal', null, []],
  ['CONSTRUCTION_ENTERPRISE_QUALIFICATION', '建筑业企业资质证书', 'legal', 5, []],
  ['LEASE_FILING_CERT', '房屋租赁凭证', 'any', null, []],
  ['REAL_ESTATE_CERT', '不动产权证书', 'any', null, []],
  ['REAL_ESTATE_REGISTRATION_PROOF', '不动产登记证明', 'any', null, []],
  ['REAL_ESTATE_QUERY_RESULT', '不动产登记信息查询结果', 'any', 1, []],
];

/** A demo defining authority's credit code: a national body (region 100000) with a valid organisation code. */
export function demoAuthorityCode(serial: number): string {
  const org8 = `L${String(serial).padStart(7, '0')}`;
  const first17 = `11100000${org8}${organizationCodeCheckCharacter(org8)}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}

/** The authority's credit code + a 3-digit type number (GB/T 36904). */
export function demoTypeCode(index: number): string {
  return `${demoAuthorityCode(1)}${String(index + 1).padStart(3, '0')}`;
}

export const DEMO_SEAL_NAME = '电子证照专用章';

export async function seedLicensesDemo(
  licenses: LicensesService,
  org: OrgService,
  holders: { person: { name: string; idNumber: string }; enterprise: { name: string; creditCode: string } },
): Promise<void> {
  const actor = SYSTEM_ACTOR;
  await licenses.createTypes(actor, TYPES.map(([code, name, holderKind, validityYears, fields], i) => ({ code, typeCode: demoTypeCode(i), name, holderKind, validityYears, fields: fields.map((f) => ({ required: false, ...f })) })));
  const departments = await org.listDepartments();
  await licenses.createSeals(actor, departments.map((d) => ({ departmentId: d.id, name: DEMO_SEAL_NAME })));
  const byName = new Map(departments.map((d) => [d.name, d.id]));
  const hrss = byName.get('深圳市人力资源和社会保障局')!;
  const police = byName.get('深圳市公安局')!;
  const market = byName.get('深圳市市场监督管理局')!;
  // held licenses: 张三's social security card and resident ID (免提交 for the pension and
  // unemployment items), the enterprise's business licence (imported from the old system)
  await licenses.issueFor(hrss, actor, { type: 'SOCIAL_SECURITY_CARD', holder: { identifier: holders.person.idNumber, name: holders.person.name }, data: { cardNumber: 'H44030419900101123' }, validFrom: '2022-03-01' });
  await licenses.issueFor(police, actor, { type: 'ID_CARD', holder: { identifier: holders.person.idNumber, name: holders.person.name }, validFrom: '2015-06-18' });
  await licenses.issueBatch(market, actor, [{
    type: 'BUSINESS_LICENSE',
    holder: { identifier: holders.enterprise.creditCode, name: holders.enterprise.name },
    data: { businessName: holders.enterprise.name, businessScope: '软件开发；信息技术咨询服务；数据处理和存储支持服务', premisesAddress: '深圳市南山区粤海街道科技园科苑路15号' },
    validFrom: '2019-08-12',
  }]);
}
