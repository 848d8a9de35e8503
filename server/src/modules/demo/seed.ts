import type { Db } from '../../platform/db/database.js';
import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { creditCodeCheckCharacter, idNumberCheckCharacter, organizationCodeCheckCharacter } from '../../shared/identifiers.js';
import type { StaffRole } from '../../shared/roles.js';
import type { Services } from '../../app.js';
import { seedSharingDemo } from '../sharing/demo.js';
import { seedCatalogDemo } from '../catalog/demo/seed.js';
import { seedDemoCases } from './cases.js';
import { seedLicensesDemo } from '../licenses/demo.js';
import { seedDemoQuality } from './quality.js';
import { seedRulesDemo } from '../rules/demo.js';

/** Shared by every demo account; shown in the README and on the demo login page. */
export const DEMO_PASSWORD = 'Demo@2026';

/**
 * A valid-by-checksum credit code for a demo body: registration authority 1 (机构编制) category 1
 * (机关), or 9/1 for an enterprise, the region code, and an organisation code built from `serial`.
 */
export function demoCreditCode(prefix: '11' | '91', region: string, serial: number): string {
  const org8 = `D${String(serial).padStart(7, '0')}`;
  const org = `${org8}${organizationCodeCheckCharacter(org8)}`;
  const first17 = `${prefix}${region}${org}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}

export function demoIdNumber(region: string, birth: string, sequence: string): string {
  const first17 = `${region}${birth}${sequence}`;
  return `${first17}${idNumberCheckCharacter(first17)}`;
}

const CITY = { code: '440300', name: '深圳市' };
const DISTRICTS = [
  { code: '440303', name: '罗湖区' },
  { code: '440304', name: '福田区' },
  { code: '440305', name: '南山区' },
  { code: '440306', name: '宝安区' },
  { code: '440307', name: '龙岗区' },
  { code: '440308', name: '盐田区' },
  { code: '440309', name: '龙华区' },
  { code: '440310', name: '坪山区' },
  { code: '440311', name: '光明区' },
];
const STREETS = [
  { code: '440304001', parent: '440304', name: '南园街道', communities: ['南园社区', '巴登社区'] },
  { code: '440304003', parent: '440304', name: '福田街道', communities: ['福安社区', '岗厦社区'] },
  { code: '440305005', parent: '440305', name: '粤海街道', communities: ['科技园社区', '高新区社区'] },
  { code: '440306001', parent: '440306', name: '新安街道', communities: ['海富社区'] },
];
const CITY_DEPARTMENTS = [
  '深圳市市场监督管理局',
  '深圳市规划和自然资源局',
  '深圳市公安局',
  '深圳市人力资源和社会保障局',
  '深圳市卫生健康委员会',
  '深圳市住房和建设局',
  '深圳市政务服务数据管理局',
];
/** Added after the district departments, so the departments seeded before keep their credit codes. */
const MORE_CITY_DEPARTMENTS = ['国家税务总局深圳市税务局', '深圳市发展和改革委员会', '深圳市生态环境局'];
const DISTRICT_DEPARTMENTS = [
  { region: '440304', name: '福田区政务服务数据管理局' },
  { region: '440305', name: '南山区政务服务数据管理局' },
];
const HALLS = [
  { name: '深圳市民中心行政服务大厅', region: '440304', address: '深圳市福田区福中三路市民中心 B 区', phone: '0755-12345', hours: '周一至周五 9:00-12:00，14:00-18:00；周六 9:00-12:00' },
  { name: '福田区行政服务大厅', region: '440304', address: '深圳市福田区福民路 123 号', phone: '0755-12345', hours: '周一至周五 9:00-18:00' },
  { name: '南山区行政服务大厅', region: '440305', address: '深圳市南山区南山大道 2072 号', phone: '0755-12345', hours: '周一至周五 9:00-18:00' },
];

/** One staff account per role, plus a person and an enterprise. Listed in the README. */
export const DEMO_STAFF: Array<{ username: string; name: string; role: StaffRole; department: string }> = [
  { username: 'clerk', name: '窗口 陈静', role: 'window_clerk', department: '深圳市政务服务数据管理局' },
  { username: 'approver', name: '审批 李明', role: 'approver', department: '深圳市市场监督管理局' },
  { username: 'deptadmin', name: '部门管理 王芳', role: 'department_admin', department: '深圳市市场监督管理局' },
  { username: 'catalog', name: '事项管理 赵磊', role: 'catalog_admin', department: '深圳市市场监督管理局' },
  // a second catalog admin of the same department: a version is published by someone other than its editor (four eyes)
  { username: 'catalog2', name: '事项审核 钱进', role: 'catalog_admin', department: '深圳市市场监督管理局' },
  { username: 'supervisor', name: '效能监督 刘洋', role: 'supervisor', department: '深圳市政务服务数据管理局' },
  { username: 'datashare', name: '数据共享 孙丽', role: 'data_sharing_admin', department: '深圳市政务服务数据管理局' },
  // the provider side of the demo data-sharing grant (户籍 from 公安局)
  { username: 'datashare_police', name: '数据共享 黄伟', role: 'data_sharing_admin', department: '深圳市公安局' },
  { username: 'inspector', name: '执法 周强', role: 'inspector', department: '深圳市市场监督管理局' },
  { username: 'admin', name: '系统管理 吴敏', role: 'system_admin', department: '深圳市政务服务数据管理局' },
];

export const DEMO_PERSON = { name: '张三', idNumber: demoIdNumber('440304', '19900101', '123'), phone: '13800138000' };
export const DEMO_ENTERPRISE = { name: '深圳市通办示范科技有限公司', creditCode: demoCreditCode('91', '440300', 9001), phone: '13900139000' };

/** Seeds the demo city once, on an empty database; returns false when there was something already. */
export async function seedDemo(db: Db, services: Services): Promise<boolean> {
  const existing = await services.org.listRegions();
  if (existing.length > 0) return false;
  const actor = SYSTEM_ACTOR;

  await services.org.createRegion(actor, { code: CITY.code, name: CITY.name, level: 'city', parentCode: null });
  for (const d of DISTRICTS) await services.org.createRegion(actor, { code: d.code, name: d.name, level: 'district', parentCode: CITY.code });
  for (const s of STREETS) {
    await services.org.createRegion(actor, { code: s.code, name: s.name, level: 'street', parentCode: s.parent });
    for (const [i, name] of s.communities.entries()) {
      await services.org.createRegion(actor, { code: `${s.code}${String(i + 1).padStart(3, '0')}`, name, level: 'community', parentCode: s.code });
    }
  }

  const departmentIds = new Map<string, string>();
  let serial = 1;
  for (const name of CITY_DEPARTMENTS) {
    const dept = await services.org.createDepartment(actor, { name, creditCode: demoCreditCode('11', '440300', serial++), regionCode: CITY.code });
    departmentIds.set(name, dept.id);
  }
  for (const d of DISTRICT_DEPARTMENTS) {
    const dept = await services.org.createDepartment(actor, { name: d.name, creditCode: demoCreditCode('11', d.region, serial++), regionCode: d.region });
    departmentIds.set(d.name, dept.id);
  }
  for (const name of MORE_CITY_DEPARTMENTS) {
    const dept = await services.org.createDepartment(actor, { name, creditCode: demoCreditCode('11', '440300', serial++), regionCode: CITY.code });
    departmentIds.set(name, dept.id);
  }
  for (const h of HALLS) {
    await services.org.createHall(actor, { name: h.name, regionCode: h.region, address: h.address, phone: h.phone, openingHours: h.hours });
  }

  // Concurrently: each account's password hash takes ~0.1 s of CPU, and the hashes run on libuv's
  // thread pool while the inserts queue on the database.
  await Promise.all([
    ...DEMO_STAFF.map((s) =>
      services.identity.createStaff(null, actor, {
        username: s.username,
        name: s.name,
        departmentId: departmentIds.get(s.department)!,
        roles: [s.role],
        password: DEMO_PASSWORD,
      }, { demo: true }),
    ),
    services.identity.register(actor, { kind: 'natural', name: DEMO_PERSON.name, idNumber: DEMO_PERSON.idNumber, phone: DEMO_PERSON.phone, password: DEMO_PASSWORD }, { demo: true }),
    services.identity.register(actor, { kind: 'legal', name: DEMO_ENTERPRISE.name, creditCode: DEMO_ENTERPRISE.creditCode, phone: DEMO_ENTERPRISE.phone, password: DEMO_PASSWORD }, { demo: true }),
  ]);

  await seedSharingDemo(services.sharing, actor, departmentIds, { person: DEMO_PERSON, enterprise: DEMO_ENTERPRISE });
  await seedCatalogDemo(services);
  // before the cases: their approvals issue e-licenses, signed with the seals seeded here
  await seedLicensesDemo(services.licenses, services.org, { person: DEMO_PERSON, enterprise: DEMO_ENTERPRISE });
  await seedDemoCases(services);
  await seedDemoQuality(services);
  await seedRulesDemo(services, { password: DEMO_PASSWORD, enterpriseName: DEMO_ENTERPRISE.name, enterpriseCreditCode: DEMO_ENTERPRISE.creditCode });

  await recordAudit(db, actor, { action: 'system.demo.seeded', detail: { departments: departmentIds.size, staff: DEMO_STAFF.length } });
  return true;
}
