/**
 * Demo service quality (好差评, 咨询投诉), seeded after the demo cases and through the services only:
 * 张三 rates two of his completed cases (one bad review, so the market bureau has an open
 * rectification), a window visit at the Futian hall by QR code; tickets in every state: an
 * answered consultation published as an FAQ, an open complaint, and two 12345 work orders.
 */
import type { Services } from '../../app.js';
import type { ApplicantPrincipal, StaffPrincipal } from '../../platform/auth/principal.js';
import { DEMO_ENTERPRISE, DEMO_PERSON } from './seed.js';

const SEED_MANAGER: StaffPrincipal = { kind: 'staff', userId: '00000000-0000-0000-0000-000000000000', name: '演示数据', roles: ['system_admin'], departmentId: '', regionPath: '' };

export async function seedDemoQuality(services: Services): Promise<boolean> {
  const [person, enterprise, staff] = await Promise.all([
    services.identity.findApplicantByIdentifier('natural', DEMO_PERSON.idNumber),
    services.identity.findApplicantByIdentifier('legal', DEMO_ENTERPRISE.creditCode),
    services.identity.listStaff(SEED_MANAGER, { limit: 100 }),
  ]);
  const staffPrincipal = async (username: string): Promise<StaffPrincipal | null> => {
    const s = staff.items.find((x) => x.username === username && x.active);
    if (!s) return null;
    const scope = await services.org.departmentScope(s.departmentId);
    return { kind: 'staff', userId: s.id, name: s.name, roles: s.roles, departmentId: scope.departmentId, regionPath: scope.regionPath };
  };
  const [approver, supervisor] = await Promise.all([staffPrincipal('approver'), staffPrincipal('supervisor')]);
  if (!person || !enterprise || !approver || !supervisor) return false;
  const zhang: ApplicantPrincipal = { kind: 'applicant', userId: person.id, applicantKind: 'natural', name: person.name };
  const company: ApplicantPrincipal = { kind: 'applicant', userId: enterprise.id, applicantKind: 'legal', name: enterprise.name };
  if ((await services.evaluation.mine(zhang)).length > 0) return false;

  const cases = (await services.cases.list(zhang, { limit: 100 })).items;
  const delivered = cases.find((c) => c.itemName === '个体工商户设立登记' && c.status === 'delivered');
  const approved = cases.find((c) => c.itemName === '食品经营许可' && c.status === 'approved');
  if (delivered) await services.evaluation.rate(zhang, null, { kind: 'case', caseNumber: delivered.caseNumber }, { level: 5, channel: 'pc', text: '网上申请、快递送达营业执照，一次都没跑。' });
  if (approved) {
    await services.evaluation.rate(zhang, null, { kind: 'case', caseNumber: approved.caseNumber }, { level: 2, channel: 'mobile', text: '现场核查的时间改了两次，等了很久才上门。' });
  }
  const departments = await services.org.listDepartments();
  const futianHall = (await services.org.listHalls()).find((h) => h.name === '福田区行政服务大厅');
  const futianBureau = departments.find((d) => d.name === '福田区政务服务数据管理局');
  if (futianHall && futianBureau) {
    await services.evaluation.rate(zhang, null, { kind: 'hall_visit', hallId: futianHall.id, window: 'A1', departmentId: futianBureau.id }, { level: 4, channel: 'qr_code', text: '窗口人员耐心，就是取号排队稍久。' });
  }

  // an answered consultation about the shop's registration, published as the item's FAQ
  const soleTrader = (await services.catalogQuery.listItems({ q: '个体工商户设立登记', limit: 20 })).items.find((i) => i.name === '个体工商户设立登记');
  if (soleTrader) {
    const asked = await services.tickets.open(zhang, null, {
      kind: 'consultation',
      title: '个体工商户可以用住宅登记经营场所吗？',
      body: '我想在自己家里开网店，个体工商户设立登记时能用住宅地址作为经营场所吗？',
      itemCode: soleTrader.implementationCode,
    });
    const answered = await services.tickets.act(approver, null, asked.number, {
      action: 'reply',
      version: asked.version,
      reply: '从事网络经营的个体工商户，可以将网络经营场所作为经营场所登记；利用住宅从事经营的，须提交住所（经营场所）使用证明并符合当地住改商规定。',
    });
    await services.tickets.act(approver, null, asked.number, { action: 'publish_faq', version: answered.version });
  }
  const market = departments.find((d) => d.name === '深圳市市场监督管理局');
  if (market) {
    await services.tickets.open(company, null, { kind: 'complaint', title: '变更登记进度查询无人答复', body: '企业变更登记提交后，拨打咨询电话三次均无人接听，希望告知办理进度。', departmentId: market.id });
    await services.tickets.importHotline(supervisor, null, {
      rows: [
        { ref: '12345-DEMO-0001', kind: '咨询', title: '食品经营许可证到期如何延续', body: '市民来电咨询：餐馆的食品经营许可证下月到期，延续需要准备什么材料？', contactName: '林先生', contactPhone: '13500135000', department: market.name },
        { ref: '12345-DEMO-0002', kind: '表扬', title: '表扬食品经营许可现场核查人员', body: '市民来电表扬：市场监管局现场核查人员耐心讲解后厨布局要求。', contactName: '陈女士', department: market.name },
      ],
    });
  }
  return true;
}
