/**
 * Data-sharing journeys in a real browser against a real server (demo mode): the data bureau's
 * sharing admin finds 户籍人口基本信息 in the resource catalog and requests it; the police
 * bureau's admin grants fewer items than asked until a date, and reads every access to its data
 * (a look-up without a case refused, a citizen's prefill served) in the access log; a citizen sees
 * who looked up their data and withdraws a consent; a provider registers, fills and publishes a
 * resource and issues a gateway token; and prefill with consent in the application wizard.
 * The journeys run in order and share what they did (the citizen's prefill of the first is what
 * the second finds); scenes that are not the point are set through the API. Needs
 * `npm run build:web` first and a Chromium binary (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiSession as sharedApiSession, demoItemCode, RESULTS_DIR, useBrowserPlatform } from './support.js';

const env = useBrowserPlatform('tongban-e2e-sharing-');
const CITIZEN = '440304199001011233';
const ITEM = '个体工商户设立登记';
const HOUSEHOLD = '户籍人口基本信息';

/** A workbench page by its side-menu entry (the workbench home links to the same pages). */
async function menu(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

function apiSession(username: string) {
  return sharedApiSession(env.baseUrl, username);
}

function itemCode(name: string = ITEM): Promise<string> {
  return demoItemCode(env.baseUrl, name);
}

interface Options {
  resources: Array<{ resourceId: string; code: string; name: string }>;
}

/** The citizen's prefill for the item through the API: the consent and the look-ups it logs. */
async function prefillThroughApi(code: string): Promise<void> {
  const citizen = await apiSession(CITIZEN);
  const options = await citizen<Options>('GET', `/api/v1/me/prefill-options?itemCode=${code}`);
  expect(options.status).toBe(200);
  const household = options.body.resources.find((r) => r.code === 'household');
  expect(household).toBeDefined();
  const preview = await citizen<{ resources: Array<{ status: string }> }>('POST', '/api/v1/me/prefill-preview', { itemCode: code, resourceIds: [household!.resourceId], consent: true });
  expect(preview.status).toBe(200);
  expect(preview.body.resources[0]!.status).toBe('ok');
}

describe('data sharing journeys', () => {
  it('a consumer requests a resource from the catalog; the provider grants a subset until a date and reads the access log', async () => {
    // The data bureau's admin browses the catalog and asks for three items of 户籍.
    const consumer = await env.newPage();
    await env.signIn(consumer, 'datashare');
    await consumer.waitForURL(`${env.baseUrl}/workbench`);
    await menu(consumer, '数据资源目录');
    await consumer.getByRole('searchbox', { name: '搜索数据资源' }).fill('户籍');
    await consumer.getByRole('button', { name: '搜索' }).click();
    await consumer.getByRole('button', { name: HOUSEHOLD, exact: true }).click();
    const drawer = consumer.getByRole('dialog', { name: `数据资源：${HOUSEHOLD}` });
    await drawer.getByText('有条件共享').waitFor();
    await drawer.getByText('《中华人民共和国户口登记条例》', { exact: false }).waitFor();
    await drawer.getByRole('button', { name: '申请使用' }).click();
    const request = consumer.getByRole('dialog', { name: `申请使用数据资源：${HOUSEHOLD}` });
    await request.getByLabel('使用用途').fill('老年人优待证办理中核验户籍信息');
    for (const item of ['姓名', '出生日期', '户籍地址']) await request.getByRole('checkbox', { name: item, exact: true }).check();
    await request.getByRole('button', { name: '提交申请' }).click();
    await consumer.getByText('申请已提交，等待提供部门审核。').waitFor();

    // The police bureau's admin grants 姓名 and 户籍地址 only, until a date.
    const provider = await env.newPage();
    await env.signIn(provider, 'datashare_police');
    await provider.waitForURL(`${env.baseUrl}/workbench`);
    await menu(provider, '共享申请');
    await provider.getByRole('button', { name: `审核 深圳市政务服务数据管理局 对“${HOUSEHOLD}”的申请` }).first().click();
    const decision = provider.getByRole('dialog', { name: '审核共享申请' });
    await decision.getByText('老年人优待证办理中核验户籍信息').waitFor();
    await decision.getByRole('checkbox', { name: '出生日期' }).uncheck();
    const expiry = decision.getByLabel('授权到期日（含当日）');
    await expiry.click();
    await expiry.fill('2027-12-31');
    await expiry.press('Enter');
    await decision.getByRole('button', { name: '授权' }).last().click();
    await provider.getByText('已完成审核').waitFor();

    const police = await apiSession('datashare_police');
    const grants = await police<{ items: Array<{ purpose: string; fields: string[]; expiresAt: string }> }>('GET', '/api/v1/sharing/grants?side=provider&live=true');
    const grant = grants.body.items.find((g) => g.purpose === '老年人优待证办理中核验户籍信息');
    expect(grant?.fields).toEqual(['name', 'address']);
    expect(grant?.expiresAt.startsWith('2027-12-3')).toBe(true);

    await menu(provider, '共享授权');
    const grantRow = provider.getByRole('row', { name: /老年人优待证办理中核验户籍信息/ });
    await grantRow.getByText('姓名、户籍地址').waitFor();

    // Two accesses to the police's data: a look-up naming no case (refused) and a citizen's prefill (served).
    const bureau = await apiSession('datashare');
    const resources = await bureau<{ items: Array<{ id: string; code: string }> }>('GET', '/api/v1/sharing/resources?q=household');
    const household = resources.body.items.find((r) => r.code === 'household')!;
    const refused = await bureau('POST', `/api/v1/sharing/gateway/resources/${household.id}/lookup`, { subject: CITIZEN });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    await prefillThroughApi(await itemCode());

    await menu(provider, '数据访问日志');
    const log = provider.getByRole('table');
    await log.getByRole('row', { name: /深圳市政务服务数据管理局.*已拒绝/ }).first().waitFor();
    await log.getByRole('row', { name: /深圳市市场监督管理局.*申请预填（本人授权）.*已提供/ }).first().waitFor();
    // The citizen's ID number is masked in the log.
    expect(await log.getByText(CITIZEN).count()).toBe(0);
    await provider.getByRole('combobox', { name: '按结果筛选' }).click();
    await provider.getByTitle('已拒绝').click();
    await expect.poll(async () => log.getByRole('row', { name: /已提供/ }).count()).toBe(0);
    await log.getByRole('row', { name: /已拒绝/ }).first().waitFor();
    await provider.screenshot({ path: join(RESULTS_DIR, 'sharing-access-log.png'), fullPage: true });
  });

  it('a citizen sees who looked up their data, for which purpose, and withdraws a consent', async () => {
    const page = await env.newPage({ width: 390, height: 844 });
    await env.signIn(page, CITIZEN);
    await page.waitForURL(`${env.baseUrl}/me`);
    await page.getByRole('link', { name: '查看谁查询了我的数据、管理数据调取授权' }).click();
    await page.getByRole('heading', { level: 1, name: '我的数据' }).waitFor();
    const access = page.getByRole('list', { name: '谁查看了我的数据' });
    const row = access.getByRole('listitem').filter({ has: page.getByRole('heading', { name: '深圳市市场监督管理局' }) }).first();
    await row.getByText(`${HOUSEHOLD}（深圳市公安局）`).waitFor();
    await row.getByText('姓名、性别、出生日期、户籍地址、与户主关系').waitFor();
    await row.getByText('申请预填（本人授权）').waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'sharing-my-data.png'), fullPage: true });

    await page.getByRole('tab', { name: '我的数据调取授权' }).click();
    const consent = page.getByRole('row', { name: /深圳市市场监督管理局.*有效/ }).first();
    await consent.getByRole('button', { name: '撤回对 深圳市市场监督管理局 的数据调取授权' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '撤回' }).click();
    await page.getByText('授权已撤回').waitFor();
    await page.getByRole('row', { name: /已撤回/ }).first().waitFor();
  });

  it('a provider registers a resource, uploads its dataset and publishes it; issues a gateway token shown once and revokes it; the system admin verifies the log', async () => {
    const page = await env.newPage();
    await env.signIn(page, 'datashare_police');
    await page.waitForURL(`${env.baseUrl}/workbench`);
    await menu(page, '本部门数据资源');
    await page.getByRole('button', { name: '登记数据资源' }).click();
    const editor = page.getByRole('dialog', { name: '登记数据资源' });
    await editor.getByLabel('资源代码').fill('residence_permit');
    await editor.getByLabel('资源名称').fill('居住证信息');
    await editor.getByLabel('中文名称').fill('居住证号码');
    await editor.getByLabel('英文名').fill('permitNo');
    await editor.getByLabel('共享依据').fill('《居住证暂行条例》');
    // 有条件共享 needs its conditions, asked for before anything is sent.
    await editor.getByRole('button', { name: '保存' }).click();
    await editor.getByText('请输入共享条件 / 不予共享理由').waitFor();
    await editor.getByLabel('共享条件 / 不予共享理由').fill('仅用于办理居住登记相关事项时核验。');
    await editor.getByRole('button', { name: '保存' }).click();
    await page.getByText('已登记为草稿').waitFor();
    const row = page.getByRole('row', { name: /居住证信息/ });
    await row.getByText('草稿').waitFor();

    const chooser = page.waitForEvent('filechooser');
    await row.getByRole('button', { name: '上传数据集：居住证信息' }).click();
    await (await chooser).setFiles({ name: 'permits.csv', mimeType: 'text/csv', buffer: Buffer.from(`idNumber,permitNo\n${CITIZEN},SZ2026000001\n`) });
    await page.getByText('已导入 1 行：新增 1，更新 0，删除 0；现有 1 条记录。').waitFor();
    await row.getByRole('button', { name: '发布数据资源：居住证信息' }).click();
    await row.getByText('已发布').waitFor();

    await menu(page, '网关接入凭证');
    await page.getByRole('button', { name: '签发凭证' }).click();
    const issue = page.getByRole('dialog', { name: '签发凭证' });
    await issue.getByLabel('调用系统名称').fill('户政业务系统');
    await issue.getByRole('button', { name: '签发凭证' }).click();
    const issued = page.getByRole('dialog', { name: '凭证已签发' });
    const token = (await issued.getByTestId('issued-token').textContent())?.trim() ?? '';
    expect(token.length).toBeGreaterThan(20);
    const asSystem = () => fetch(`${env.baseUrl}/api/v1/sharing/resources`, { headers: { authorization: `Bearer ${token}` } });
    expect((await asSystem()).status).toBe(200);
    await issued.getByRole('button', { name: '关闭' }).last().click();
    const credential = page.getByRole('row', { name: /户政业务系统/ });
    await credential.getByRole('button', { name: '吊销凭证：户政业务系统' }).click();
    await page.getByRole('dialog', { name: '吊销凭证：户政业务系统' }).getByRole('button', { name: '吊销' }).click();
    await page.getByText('凭证已吊销').waitFor();
    await credential.getByText('已吊销').waitFor();
    expect((await asSystem()).status).toBe(401);

    const admin = await env.newPage();
    await env.signIn(admin, 'admin');
    await admin.waitForURL(`${env.baseUrl}/workbench`);
    await menu(admin, '数据访问日志');
    await admin.getByRole('button', { name: '校验日志完整性' }).click();
    await admin.getByRole('status').getByText(/^校验通过：/).waitFor();
  });

  it('prefill with consent in the wizard: nothing is fetched before consent, the preview names each value, confirming fills the form', async () => {
    const page = await env.newPage({ width: 390, height: 844 });
    await env.signIn(page, CITIZEN);
    await page.waitForURL(`${env.baseUrl}/me`);
    await page.goto(`${env.baseUrl}/apply/${await itemCode()}`);
    const card = page.locator('.prefill-card');
    await card.getByRole('heading', { name: '使用共享数据预填' }).waitFor();
    await card.getByText(`${HOUSEHOLD}（深圳市公安局）`).waitFor();
    await card.getByText('不动产登记信息（深圳市规划和自然资源局）').waitFor();
    const fetchButton = card.getByRole('button', { name: '调取并预览' });
    expect(await fetchButton.isDisabled()).toBe(true);

    await card.getByRole('checkbox', { name: '我同意为办理本事项调取上述本人数据' }).check();
    await fetchButton.click();
    const preview = card.getByRole('list', { name: '预填数据预览' });
    await preview.getByRole('listitem').filter({ hasText: /姓名张三填入“经营者姓名”/ }).waitFor();
    await preview.getByRole('listitem').filter({ hasText: /坐落深圳市福田区示例花园1栋101填入“经营场所详细地址”/ }).waitFor();
    // The register holds more than the form asks for: such values are shown, and go nowhere.
    await preview.getByRole('listitem').filter({ hasText: /户籍地址.*申请表中无对应栏目/ }).waitFor();
    // Nothing reaches the form before the applicant confirms.
    expect(await page.getByLabel('经营者姓名').inputValue()).toBe('');
    await page.screenshot({ path: join(RESULTS_DIR, 'sharing-prefill.png'), fullPage: true });
    await card.getByRole('button', { name: '确认填入申请表' }).click();
    expect(await page.getByLabel('经营者姓名').inputValue()).toBe('张三');
    expect(await page.getByLabel('经营场所详细地址').inputValue()).toBe('深圳市福田区示例花园1栋101');

    // The consent is on the citizen's consent list.
    const citizen = await apiSession(CITIZEN);
    const consents = await citizen<{ items: Array<{ itemCode: string; withdrawnAt: string | null }> }>('GET', '/api/v1/me/consents');
    expect(consents.body.items.some((c) => c.withdrawnAt === null)).toBe(true);
  });
});
