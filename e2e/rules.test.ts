/**
 * 秒批 and 告知承诺 in a real browser (demo mode): 张三 applies online for 个体工商户设立登记, an
 * instant-approval item, and is told at once what the rules decided and why (here: passed to a
 * person, the premises not being commercial by the shared real-estate record); his approved
 * 人才引进 case shows the automatic decision with its reasons and rule version; 李四, on the
 * service blacklist, signs the commitment and is refused with the reason, then reads his credit
 * record and appeals the entry; an approver finds a commitment false on the department's
 * verification list, and the applicant is black-listed for it. Needs `npm run build:web`.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ENTERPRISE } from '../server/src/modules/demo/seed.js';
import type { ItemGuide } from '../server/src/modules/catalog/public-schemas.js';
import { sampleForm } from '../server/test/case-fixtures.js';
import { apiSession, demoItemCode, fillSignIn, RESULTS_DIR, useBrowserPlatform, type ApiCall } from './support.js';

const env = useBrowserPlatform('tongban-e2e-rules-');
const CITIZEN = '440304199001011233';
const BLACKLISTED = '440305198506150038';
const ITEM = '个体工商户设立登记';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1');

async function upload(page: Page, buttonName: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: buttonName }).click();
  await (await chooser).setFiles({ name: '材料.pdf', mimeType: 'application/pdf', buffer: PDF });
}

/** Fills the sole-trader application through the wizard, up to the review step. */
async function fillSoleTrader(page: Page, name: string, idNumber: string): Promise<void> {
  await page.goto(`${env.baseUrl}/apply/${await demoItemCode(env.baseUrl, ITEM)}`);
  await page.getByRole('heading', { level: 1, name: `在线申请：${ITEM}` }).waitFor();
  await page.getByLabel('经营者姓名').fill(name);
  await page.getByLabel('经营者身份证号码').fill(idNumber);
  await page.getByLabel('联系电话').fill('13800138000');
  await page.getByRole('radio', { name: '个人经营' }).check();
  await page.getByLabel('经营范围').fill('日用百货零售');
  const region = page.getByLabel('经营场所所在区域（街道）');
  await region.click();
  await region.fill('南园');
  await page.getByRole('menuitemcheckbox', { name: /南园街道/ }).first().click();
  await page.getByLabel('经营场所详细地址').fill('深圳市福田区南园路 1 号');
  await page.getByLabel('资金数额').fill('50000');
  await page.getByLabel('从业人数').fill('2');
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { level: 2, name: '上传申请材料' }).waitFor();
  await upload(page, '选择文件上传：个体工商户登记（备案）申请书');
  await upload(page, '选择文件上传：经营者身份证件');
  await page.getByRole('checkbox', { name: '通过数据共享核验，无需上传' }).first().check();
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { level: 2, name: '确认并提交' }).waitFor();
}

describe('instant approval and commitment journeys', () => {
  it('an applicant submits an instant-approval item and is told at once what the rules decided, and why', async () => {
    const page = await env.newPage();
    await env.signIn(page, CITIZEN);
    await page.waitForURL(`${env.baseUrl}/me`);
    await fillSoleTrader(page, '张三', CITIZEN);
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByRole('heading', { level: 1, name: '申请已提交' }).waitFor();
    await page.getByText('已转人工办理').waitFor();
    await page.getByText('经营场所不是商业用房，须人工核查').waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'rules-instant-routed.png'), fullPage: true });
  });

  it('an approved instant case shows the automatic decision with its reasons and rule version', async () => {
    const call = await apiSession(env.baseUrl, CITIZEN);
    const code = await demoItemCode(env.baseUrl, '人才引进（应届毕业生接收）');
    const guide = (await call<{ materials: Array<{ id: string; requirement: string }> }>('GET', `/api/v1/items/${code}`)).body;
    const materials = [];
    for (const m of guide.materials.filter((x) => x.requirement === 'required')) {
      const form = new FormData();
      form.append('file', new Blob([PDF], { type: 'application/pdf' }), `${m.id}.pdf`);
      const uploaded = await call<{ fileId: string }>('POST', '/api/v1/files', form);
      materials.push({ materialId: m.id, fileId: uploaded.body.fileId });
    }
    const created = await call<{ caseNumber: string; status: string }>('POST', '/api/v1/cases', {
      itemCode: code,
      form: { applicantName: '张三', applicantIdNumber: CITIZEN, applicantPhone: '13800138000', school: '深圳大学', major: '计算机科学', degree: 'doctor', graduationDate: '2025-06-30', employerName: '深圳市通办示范科技有限公司', employerCreditCode: DEMO_ENTERPRISE.creditCode, settlementKind: 'unit_collective', currentHukouRegion: '440304001' },
      materials,
    });
    if (created.status !== 201) throw new Error(`apply: ${created.status} ${JSON.stringify(created.body)}`);
    expect(created.body.status).toBe('approved');
    const page = await env.newPage();
    await env.signIn(page, CITIZEN);
    await page.waitForURL(`${env.baseUrl}/me`);
    await page.goto(`${env.baseUrl}/me/cases/${created.body.caseNumber}`);
    await page.getByRole('heading', { level: 2, name: '自动审批（秒批）结果' }).waitFor();
    await page.getByText('准予（自动通过）').waitFor();
    await page.getByText('全日制硕士、博士应届毕业生，准予引进').waitFor();
    await page.getByText('依据规则版本').waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'rules-instant-approved.png'), fullPage: true });
  });

  it('a black-listed applicant who signs the commitment is refused, with the reason', async () => {
    const page = await env.newPage();
    await page.goto(`${env.baseUrl}/login`);
    await fillSignIn(page, BLACKLISTED);
    await page.waitForURL(`${env.baseUrl}/me`);
    await fillSoleTrader(page, '李四', BLACKLISTED);
    await page.getByRole('checkbox', { name: /签署告知承诺书/ }).check();
    await page.getByText(/郑重承诺/).waitFor();
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByRole('alert').getByText(/严重失信名单/).first().waitFor();
    expect(await page.getByRole('heading', { level: 1, name: '申请已提交' }).count()).toBe(0);
    await page.screenshot({ path: join(RESULTS_DIR, 'rules-commitment-refused.png'), fullPage: true });
  });

  it('a black-listed applicant reads the entry about him, with reason, basis and period, and appeals it', async () => {
    const page = await env.newPage();
    await env.signIn(page, BLACKLISTED);
    await page.waitForURL(`${env.baseUrl}/me`);
    await page.getByRole('link', { name: '查看信用名单记录与申诉' }).click();
    await page.getByRole('heading', { level: 1, name: '我的信用记录' }).waitFor();
    const entry = page.getByRole('row').filter({ hasText: '在食品经营许可告知承诺中作出虚假承诺' });
    await entry.getByText('严重失信名单（黑名单）').waitFor();
    await entry.getByText('《优化营商环境条例》第十九条；《深圳经济特区社会信用条例》').waitFor();
    await entry.getByText(/^\d{4}-\d{2}-\d{2} ~ \d{4}-\d{2}-\d{2}$/).waitFor();
    await entry.getByRole('button', { name: '提出申诉' }).click();
    const dialog = page.getByRole('dialog', { name: '提出申诉' });
    await dialog.getByLabel('申诉理由').fill('经营场所已按承诺整改，请予复核');
    await dialog.getByRole('button', { name: '提出申诉' }).click();
    await entry.getByText('申诉处理中').waitFor();
    await page.getByRole('row').filter({ hasText: '经营场所已按承诺整改，请予复核' }).getByText('待处理').waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'rules-my-credit.png'), fullPage: true });
  });

  it('an approver finds a commitment false on the verification list; the applicant is black-listed for it', async () => {
    // the scene through the API: 张三 approved for 食品经营许可 on his commitment in place of the safety rules
    const citizen = await apiSession(env.baseUrl, CITIZEN);
    const code = await demoItemCode(env.baseUrl, '食品经营许可');
    const guide = (await citizen<ItemGuide>('GET', `/api/v1/items/${code}`)).body;
    const materials = [];
    for (const m of guide.materials.filter((x) => x.requirement === 'required' && x.id !== 'safety_rules')) {
      const form = new FormData();
      form.append('file', new Blob([PDF], { type: 'application/pdf' }), `${m.id}.pdf`);
      materials.push({ materialId: m.id, fileId: (await citizen<{ fileId: string }>('POST', '/api/v1/files', form)).body.fileId });
    }
    const created = await citizen<{ caseNumber: string }>('POST', '/api/v1/cases', { itemCode: code, form: sampleForm(guide), materials, commitment: { signed: true } });
    if (created.status !== 201) throw new Error(`apply: ${created.status} ${JSON.stringify(created.body)}`);
    const number = created.body.caseNumber;
    const act = async (call: ApiCall, body: Record<string, unknown>) => {
      const detail = (await call<{ version: number }>('GET', `/api/v1/cases/${number}`)).body;
      const res = await call<{ status: string; currentStep: number; steps: unknown[] }>('POST', `/api/v1/cases/${number}/actions`, { ...body, version: detail.version });
      if (res.status !== 200) throw new Error(`${String(body.action)}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    await act(await apiSession(env.baseUrl, 'clerk'), { action: 'accept' });
    const approverApi = await apiSession(env.baseUrl, 'approver');
    let state = (await approverApi<{ status: string; currentStep: number; steps: unknown[] }>('GET', `/api/v1/cases/${number}`)).body;
    while (state.status !== 'approved') state = await act(approverApi, { action: state.currentStep === state.steps.length - 1 ? 'approve' : 'complete_step' });

    const page = await env.newPage();
    await env.signIn(page, 'approver');
    await page.waitForURL(`${env.baseUrl}/workbench`);
    await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '告知承诺核查' }).click();
    await page.getByRole('heading', { level: 1, name: '告知承诺核查' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: number });
    await row.getByText(/^\d{4}-\d{2}-\d{2}$/).waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'rules-verifications.png'), fullPage: true });
    await row.getByRole('button', { name: `承诺不实：${number}` }).click();
    const dialog = page.getByRole('dialog', { name: `承诺不实：${number}` });
    await dialog.getByText(/不可撤回/).waitFor();
    await dialog.getByLabel('核查情况').fill('现场核查未建立进货查验记录制度');
    await dialog.getByRole('button', { name: '承诺不实' }).click();
    await page.getByText('核查结果已记录').waitFor();
    await row.waitFor({ state: 'detached' });

    const mine = (await citizen<{ entries: Array<{ list: string; sourceRef: string | null; reason: string }> }>('GET', '/api/v1/me/credit')).body;
    expect(mine.entries.find((e) => e.sourceRef === number)).toMatchObject({ list: 'black' });
    const licenses = (await citizen<{ items: Array<{ caseNumber: string | null; status: string }> }>('GET', '/api/v1/licenses?mine=true')).body;
    expect(licenses.items.filter((l) => l.caseNumber === number).map((l) => l.status)).toEqual(['revoked']);
  });
});
