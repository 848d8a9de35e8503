/**
 * Case journeys in a real browser against a real server (demo mode): a citizen applies online for
 * 个体工商户设立登记 with uploads and finds it in 我的办件; the window clerk checks every material
 * and accepts it from the front-desk queue; the approver claims it from the team queue and takes
 * it through the steps to 准予; the citizen then sees the decision and the case's timeline. Then,
 * on a phone, a draft resumed and a one-time correction notice answered; a walk-in filing, a stale
 * tab's 409 and delivery by express; a special procedure, a return, a comment with an attachment
 * and a denial; 容缺受理 and the owed material supplied. The journeys run in order and share their
 * cases, as the people in them would; scenes that are not the point are set through the API.
 * Needs `npm run build:web` first and a Chromium binary (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiSession as sharedApiSession, demoItemCode, fillSignIn, RESULTS_DIR, useBrowserPlatform } from './support.js';

const env = useBrowserPlatform('tongban-e2e-cases-');
const CITIZEN = '440304199001011233';
const ITEM = '个体工商户设立登记';

/** The case the citizen files, followed by the clerk and the approver. */
let caseNumber = '';
/** The case the citizen submits from a draft. */
let draftCaseNumber = '';
/** The case the clerk files for a walk-in. */
let walkInNumber = '';

// A one-page PDF (the server sniffs "%PDF-") and a 1×1 PNG, as a scanner might produce them.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1');
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2265ba50000000049454e44ae426082',
  'hex',
);

/** Clicks an upload button and answers the browser's file chooser. */
async function upload(page: Page, buttonName: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: buttonName }).click();
  await (await chooser).setFiles(file);
}

/** The shared API session, failing loudly on an error answer: these calls only set the scene. */
async function apiSession(username: string) {
  const call = await sharedApiSession(env.baseUrl, username);
  return async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const answer = await call<T>(method, path, body, headers);
    if (answer.status >= 400) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
}

function itemCode(name: string = ITEM): Promise<string> {
  return demoItemCode(env.baseUrl, name);
}

/**
 * The front desk prints a notice: 打印 opens its PDF in a window of its own (where the browser's
 * print dialog comes up), and 下载 links the same document, served to the clerk as a PDF.
 */
async function printsNotice(clerk: Page, name: string): Promise<void> {
  const popup = clerk.waitForEvent('popup');
  await clerk.getByRole('button', { name: `打印${name}` }).click();
  const opened = await popup;
  expect(opened.url()).toMatch(/\/api\/v1\/cases\/[^/]+\/notices\/[^/]+\/pdf$/);
  await opened.close();
  const href = await clerk.getByRole('link', { name: `下载${name}（PDF）` }).getAttribute('href');
  expect(href).toBe(new URL(opened.url()).pathname);
  const pdf = await clerk.request.get(`${env.baseUrl}${href}`);
  expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);
}

describe('case journeys', () => {
  it('a citizen applies online with uploads, is told off for a disguised file, submits once and sees the case in 我的办件', async () => {
    const page = await env.newPage();
    const code = await itemCode();
    await page.goto(`${env.baseUrl}/items/${code}`);
    await page.getByRole('heading', { level: 1, name: ITEM }).waitFor();
    // Not signed in: the wizard sends the citizen to sign in, then back to it.
    await page.getByRole('link', { name: '在线办理' }).click();
    await page.getByRole('heading', { level: 1, name: '登录' }).waitFor();
    await fillSignIn(page, CITIZEN);
    await page.getByRole('heading', { level: 1, name: `在线申请：${ITEM}` }).waitFor();

    // Step 1: the form drawn from the item's JSON Schema; the schema's rules run in the browser.
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByText('请输入经营者姓名').waitFor();
    await page.getByLabel('经营者姓名').fill('张三');
    const id = page.getByLabel('经营者身份证号码');
    await id.fill('440304199001011234');
    await id.blur();
    await page.getByText('经营者身份证号码不正确：校验码错误').waitFor();
    await id.fill(CITIZEN);
    await page.getByLabel('联系电话').fill('13800138000');
    await page.getByRole('radio', { name: '个人经营' }).check();
    // 家庭成员 is asked for only when the business is run by a family (visibleWhen).
    expect(await page.getByLabel('参加经营的家庭成员姓名及身份证号码').count()).toBe(0);
    await page.getByLabel('经营范围').fill('日用百货零售');
    const region = page.getByLabel('经营场所所在区域（街道）');
    await region.click();
    await region.fill('南园');
    await page.getByRole('menuitemcheckbox', { name: /南园街道/ }).first().click();
    await page.getByLabel('经营场所详细地址').fill('深圳市福田区南园路 1 号');
    await page.getByLabel('资金数额').fill('50000');
    await page.getByRole('button', { name: '下一步' }).click();

    // Step 2: materials. A renamed text file is refused by content, in the server's words.
    await page.getByRole('heading', { level: 2, name: '上传申请材料' }).waitFor();
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByText('请上传必要材料：个体工商户登记（备案）申请书').waitFor();
    await upload(page, '选择文件上传：个体工商户登记（备案）申请书', { name: '申请书.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not a pdf at all') });
    await page.getByRole('alert').getByText(/不支持该文件类型/).waitFor();
    await upload(page, '选择文件上传：个体工商户登记（备案）申请书', { name: '申请书.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('link', { name: '打开文件：申请书.pdf' }).waitFor();
    await upload(page, '选择文件上传：经营者身份证件', { name: '身份证.png', mimeType: 'image/png', buffer: PNG });
    // An image is previewed inline.
    await page.getByRole('img', { name: '预览：身份证.png' }).waitFor();
    await page.getByRole('checkbox', { name: '通过数据共享核验，无需上传' }).first().check();
    await page.getByRole('button', { name: '下一步' }).click();

    // Step 3: review, then submit. A double click still makes one case (one Idempotency-Key).
    await page.getByRole('heading', { level: 2, name: '确认并提交' }).waitFor();
    const review = page.locator('.form-data');
    await review.getByText('日用百货零售').waitFor();
    await review.getByText('50000.00 元').waitFor();
    await review.getByText('深圳市 / 福田区 / 南园街道').waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'cases-review.png'), fullPage: true });
    // The demo city may already hold cases of this applicant: count this item's before and after.
    const citizenApi = await apiSession(CITIZEN);
    const mine = async () => (await citizenApi<{ items: Array<{ itemCode: string }> }>('GET', '/api/v1/cases?mine=true&limit=100')).items.filter((c) => c.itemCode === code).length;
    const before = await mine();
    await page.getByRole('button', { name: '提交申请' }).dblclick();
    await page.getByRole('heading', { level: 1, name: '申请已提交' }).waitFor();
    caseNumber = (await page.locator('.case-number').textContent())?.trim() ?? '';
    expect(caseNumber).toMatch(new RegExp(`^${code}\\d{12}$`));

    await page.getByRole('link', { name: '我的办件' }).last().click();
    await page.getByRole('heading', { level: 1, name: '我的办件' }).waitFor();
    const rows = page.locator('.case-row', { hasText: caseNumber });
    await rows.first().waitFor();
    expect(await mine()).toBe(before + 1);
    await rows.getByText('待受理').waitFor();
  });

  it('the window clerk finds it in the front-desk queue, gives a verdict per material and accepts it', async () => {
    expect(caseNumber).not.toBe('');
    const page = await env.newPage();
    await page.goto(`${env.baseUrl}/login`);
    await fillSignIn(page, 'clerk');
    await page.waitForURL(`${env.baseUrl}/workbench`);
    await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '前台受理' }).click();
    await page.getByRole('heading', { level: 1, name: '前台受理' }).waitFor();
    await page.getByRole('link', { name: new RegExp(caseNumber) }).waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'cases-front-desk-queue.png'), fullPage: true });
    await page.getByRole('link', { name: new RegExp(caseNumber) }).click();
    await page.getByRole('heading', { level: 1, name: ITEM }).waitFor();

    // Accepting before every material given has a verdict is stopped in the browser.
    await page.getByRole('button', { name: '受理', exact: true }).click();
    await page.getByRole('alert').getByText(/请给出核验结论/).waitFor();
    for (const material of ['个体工商户登记（备案）申请书', '经营者身份证件', '经营场所使用证明']) {
      await page.getByRole('group', { name: `${material}的核验结论` }).getByRole('radio', { name: '合格' }).check();
    }
    await page.screenshot({ path: join(RESULTS_DIR, 'cases-front-desk.png'), fullPage: true });
    await page.getByRole('button', { name: '受理', exact: true }).click();
    await page.locator('.page-heading .case-status', { hasText: '已受理' }).first().waitFor();
    // The acceptance notice can be opened (and printed) as a PDF.
    const notice = page.getByRole('link', { name: /^打开：受理通知书/ });
    await notice.waitFor();
    const pdf = await page.request.get(`${env.baseUrl}${await notice.getAttribute('href')}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
  });

  it('the approver claims it from the team queue and approves it through the steps; the citizen sees 准予 and the timeline', async () => {
    expect(caseNumber).not.toBe('');
    const page = await env.newPage();
    await page.goto(`${env.baseUrl}/login`);
    await fillSignIn(page, 'approver');
    await page.waitForURL(`${env.baseUrl}/workbench`);
    await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '审批任务' }).click();
    await page.getByRole('heading', { level: 1, name: '审批任务' }).waitFor();
    await page.getByRole('tab', { name: '团队队列' }).click();
    await page.getByRole('link', { name: new RegExp(caseNumber) }).waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'cases-tasks.png'), fullPage: true });
    await page.getByRole('link', { name: new RegExp(caseNumber) }).click();
    await page.getByRole('heading', { level: 1, name: ITEM }).waitFor();

    await page.getByRole('button', { name: '领取任务' }).click();
    await page.getByText(/办理人：审批 李明/).first().waitFor();
    // Step by step until the deciding step offers 准予 (the buttons are the case's allowedActions).
    for (let step = 0; step < 5; step++) {
      const approve = page.getByRole('button', { name: '准予', exact: true });
      const complete = page.getByRole('button', { name: '完成本环节' });
      await approve.or(complete).first().waitFor();
      if (await approve.isVisible()) break;
      await complete.click();
      await page.getByRole('dialog').getByLabel('审查意见（可选）').fill('信息核验一致');
      await page.getByRole('dialog').getByRole('button', { name: '确认完成本环节' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
    }
    await page.getByRole('button', { name: '准予', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认准予' }).click();
    await page.locator('.page-heading .case-status', { hasText: '准予' }).first().waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'cases-approved.png'), fullPage: true });

    const citizen = await env.newPage();
    await citizen.goto(`${env.baseUrl}/login`);
    await fillSignIn(citizen, CITIZEN);
    await citizen.waitForURL(`${env.baseUrl}/me`);
    await citizen.goto(`${env.baseUrl}/me/cases/${caseNumber}`);
    await citizen.getByRole('heading', { level: 1, name: ITEM }).waitFor();
    await citizen.getByText(/办理结果：准予/).waitFor();
    // The pickup code is the owner's alone; the header's bell opens the message box.
    expect(await citizen.locator('.pickup-code').textContent()).toMatch(/^[0-9]{6}$/);
    await citizen.getByRole('button', { name: /^消息/ }).waitFor();
    const timeline = citizen.locator('.case-timeline');
    for (const action of ['提交申请', '受理', '准予']) await timeline.getByText(action, { exact: true }).first().waitFor();
    await citizen.screenshot({ path: join(RESULTS_DIR, 'cases-citizen-decided.png'), fullPage: true });
  });
  it('on a phone, a citizen saves a draft, resumes it from 我的草稿 and submits it', async () => {
    const page = await env.newPage({ width: 390, height: 844 });
    const code = await itemCode();
    await page.goto(`${env.baseUrl}/login`);
    await fillSignIn(page, CITIZEN);
    await page.waitForURL(`${env.baseUrl}/me`);
    await page.goto(`${env.baseUrl}/apply/${code}`);
    await page.getByLabel('经营者姓名').fill('张三');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText(/草稿已保存/).waitFor();
    const draftId = new URL(page.url()).searchParams.get('draft') ?? '';
    expect(draftId).toMatch(/^[0-9a-f-]{36}$/);

    // Resumed from 我的草稿: the answers come back.
    await page.goto(`${env.baseUrl}/me/cases?tab=drafts`);
    await page.locator(`a[href$="draft=${draftId}"]`).click();
    await page.getByText('已载入草稿，请继续填写').waitFor();
    expect(await page.getByLabel('经营者姓名').inputValue()).toBe('张三');
    await page.getByLabel('经营者身份证号码').fill(CITIZEN);
    await page.getByLabel('联系电话').fill('13800138000');
    await page.getByRole('radio', { name: '个人经营' }).check();
    await page.getByLabel('经营范围').fill('文具零售');
    const region = page.getByLabel('经营场所所在区域（街道）');
    await region.click();
    await region.fill('福田街道');
    await page.getByRole('menuitemcheckbox', { name: /福田街道/ }).first().click();
    await page.getByLabel('经营场所详细地址').fill('深圳市福田区福华路 2 号');
    await page.getByLabel('资金数额').fill('20000');
    await page.getByRole('button', { name: '下一步' }).click();
    await upload(page, '选择文件上传：个体工商户登记（备案）申请书', { name: '申请书.pdf', mimeType: 'application/pdf', buffer: PDF });
    await upload(page, '选择文件上传：经营者身份证件', { name: '身份证.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('checkbox', { name: '通过数据共享核验，无需上传' }).first().check();
    await page.getByRole('button', { name: '下一步' }).click();
    await page.screenshot({ path: join(RESULTS_DIR, 'cases-review-phone.png'), fullPage: true });
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByRole('heading', { level: 1, name: '申请已提交' }).waitFor();
    draftCaseNumber = (await page.locator('.case-number').textContent())?.trim() ?? '';
    // Submitting from the draft used it up.
    await page.goto(`${env.baseUrl}/me/cases?tab=drafts`);
    await page.getByRole('tabpanel').getByText(/暂无草稿|草稿只保存在您的账户中/).first().waitFor();
    expect(await page.locator(`a[href$="draft=${draftId}"]`).count()).toBe(0);
  });

  it('on a phone, the citizen answers the one-time correction notice and finally withdraws', async () => {
    expect(draftCaseNumber).not.toBe('');
    const number = draftCaseNumber;
    // The clerk finds the application unsigned: one notice, pre-filled from the verdicts.
    const clerk = await env.newPage();
    await clerk.goto(`${env.baseUrl}/login`);
    await fillSignIn(clerk, 'clerk');
    await clerk.waitForURL(`${env.baseUrl}/workbench`);
    await clerk.goto(`${env.baseUrl}/workbench/front-desk/cases/${number}`);
    await clerk.getByRole('group', { name: '个体工商户登记（备案）申请书的核验结论' }).getByRole('radio', { name: '有缺陷' }).check();
    await clerk.getByLabel('个体工商户登记（备案）申请书的原因').fill('申请书未签名');
    await clerk.getByRole('button', { name: '一次性告知补正' }).click();
    const dialog = clerk.getByRole('dialog');
    expect(await dialog.getByLabel('个体工商户登记（备案）申请书的原因').inputValue()).toBe('申请书未签名');
    await dialog.getByRole('button', { name: '发出补正通知' }).click();
    await clerk.locator('.page-heading .case-status', { hasText: '待补正' }).first().waitFor();
    await clerk.getByRole('link', { name: /^打开：补正材料通知书/ }).waitFor();
    await printsNotice(clerk, '补正材料通知书（一次性告知）');

    // The citizen sees what to fix and why, replaces the material and resubmits.
    const page = await env.newPage({ width: 390, height: 844 });
    await page.goto(`${env.baseUrl}/login`);
    await fillSignIn(page, CITIZEN);
    await page.waitForURL(`${env.baseUrl}/me`);
    await page.goto(`${env.baseUrl}/me/cases/${number}`);
    await page.getByRole('heading', { level: 2, name: '补正材料' }).waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'cases-correction-phone.png'), fullPage: true });
    await page.getByText('申请书未签名').first().waitFor();
    await page.getByRole('button', { name: '补正后重新提交' }).click();
    await page.getByText('请上传补正后的材料：个体工商户登记（备案）申请书').waitFor();
    await upload(page, '选择文件上传：个体工商户登记（备案）申请书', { name: '申请书（已签名）.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: '补正后重新提交' }).click();
    await page.locator('.page-heading .case-status', { hasText: '待受理' }).first().waitFor();

    // Withdrawing asks first.
    await page.getByRole('button', { name: '撤回申请' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '撤回' }).click();
    await page.locator('.page-heading .case-status', { hasText: '已撤回' }).first().waitFor();
    expect(await page.getByRole('button', { name: '撤回申请' }).count()).toBe(0);
  });

  it('the clerk files for a walk-in with paper materials and accepts it', async () => {
    const clerk = await env.newPage();
    await clerk.goto(`${env.baseUrl}/login`);
    await fillSignIn(clerk, 'clerk');
    await clerk.waitForURL(`${env.baseUrl}/workbench`);
    await clerk.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '窗口收件' }).click();
    await clerk.getByRole('heading', { level: 1, name: '窗口收件' }).waitFor();
    const picker = clerk.getByLabel('查找事项');
    await picker.click();
    await picker.fill('个体工商户');
    await clerk.getByTitle(`${ITEM}（深圳市市场监督管理局）`).click();
    await clerk.getByLabel('姓名', { exact: true }).fill('张三');
    const id = clerk.getByLabel('身份证号码', { exact: true });
    await id.fill('440304199001011234');
    await id.blur();
    await clerk.getByText('身份证号码不正确：校验码错误').waitFor();
    await id.fill(CITIZEN);
    await clerk.getByLabel('手机号码').fill('13800138000');
    await clerk.getByLabel('经营者姓名').fill('张三');
    await clerk.getByLabel('经营者身份证号码').fill(CITIZEN);
    await clerk.getByLabel('联系电话').fill('13800138000');
    await clerk.getByRole('radio', { name: '个人经营' }).check();
    await clerk.getByLabel('经营范围').fill('水果零售');
    const region = clerk.getByLabel('经营场所所在区域（街道）');
    await region.click();
    await region.fill('南园');
    await clerk.getByRole('menuitemcheckbox', { name: /南园街道/ }).first().click();
    await clerk.keyboard.press('Escape');
    // what the clerk sees in the field, not antd's hidden copy of the label
    const regionSelect = clerk.locator('.ant-select', { has: region });
    expect(await regionSelect.textContent()).toContain('深圳市 / 福田区 / 南园街道');
    await clerk.getByLabel('经营场所详细地址').fill('深圳市福田区南园路 3 号');
    await clerk.getByLabel('资金数额').fill('10000');
    const paper = clerk.getByRole('checkbox', { name: '纸质材料已收' });
    for (let i = 0; i < 3; i++) await paper.nth(i).check();
    await clerk.screenshot({ path: join(RESULTS_DIR, 'cases-walk-in.png'), fullPage: true });
    await clerk.getByRole('button', { name: '提交收件' }).click();
    await clerk.waitForURL(/\/workbench\/front-desk\/cases\//);
    walkInNumber = decodeURIComponent(clerk.url().split('/').pop()!);
    for (const material of ['个体工商户登记（备案）申请书', '经营者身份证件', '经营场所使用证明']) {
      await clerk.getByRole('group', { name: `${material}的核验结论` }).getByRole('radio', { name: '合格' }).check();
    }
    await clerk.getByRole('button', { name: '受理', exact: true }).click();
    await clerk.getByRole('link', { name: /^打开：受理通知书/ }).waitFor();
    await printsNotice(clerk, '受理通知书');

    // 不予受理 (the scene set through the API): the clerk prints that notice too
    const clerkApi = await apiSession('clerk');
    const refused = await clerkApi<{ caseNumber: string }>('POST', '/api/v1/window/cases', {
      itemCode: await itemCode(),
      applicant: { kind: 'natural', name: '张三', idNumber: CITIZEN, phone: '13800138000' },
      form: { applicantName: '张三', applicantIdNumber: CITIZEN, applicantPhone: '13800138000', organizationForm: 'individual', businessScope: '花卉零售', premisesRegion: '440304001', premisesAddress: '深圳市福田区南园路 5 号', capital: 100000 },
      materials: ['application_form', 'id_card', 'premises'].map((materialId) => ({ materialId, paper: true })),
    }, { 'Idempotency-Key': `e2e-refused-${Date.now()}` });
    await clerkApi('POST', `/api/v1/cases/${refused.caseNumber}/actions`, { action: 'not_accept', version: 1, reason: '申请事项不属于本机关职权范围', legalBasis: '《中华人民共和国行政许可法》第三十二条第一款第（二）项' });
    await clerk.goto(`${env.baseUrl}/workbench/front-desk/cases/${refused.caseNumber}`);
    await clerk.getByRole('link', { name: /^打开：不予受理通知书/ }).waitFor();
    await printsNotice(clerk, '不予受理通知书');
  });

  it('of two tabs on one case the stale one gets 409 and reloads; after the decision the window sends the result by express', async () => {
    expect(walkInNumber).not.toBe('');
    const number = walkInNumber;
    // Two tabs on one case: the second acts on what it saw, and is told to reload.
    const first = await env.newPage();
    await first.goto(`${env.baseUrl}/login`);
    await fillSignIn(first, 'approver');
    await first.waitForURL(`${env.baseUrl}/workbench`);
    const second = await first.context().newPage();
    await first.goto(`${env.baseUrl}/workbench/tasks/cases/${number}`);
    await second.goto(`${env.baseUrl}/workbench/tasks/cases/${number}`);
    await second.getByRole('button', { name: '领取任务' }).waitFor();
    await first.getByRole('button', { name: '领取任务' }).click();
    await first.getByRole('button', { name: '完成本环节' }).waitFor();
    await second.getByRole('button', { name: '领取任务' }).click();
    const conflict = second.getByRole('dialog', { name: '办件已被他人处理，请刷新' });
    await conflict.getByText(/办件已被他人处理（当前版本 \d+）/).waitFor();
    await conflict.getByRole('button').click();
    await second.getByRole('button', { name: '完成本环节' }).waitFor();

    await first.getByRole('button', { name: '完成本环节' }).click();
    await first.getByRole('dialog').getByRole('button', { name: '确认完成本环节' }).click();
    await first.getByRole('dialog').waitFor({ state: 'detached' });
    await first.getByRole('button', { name: '准予', exact: true }).click();
    await first.getByRole('dialog').getByRole('button', { name: '确认准予' }).click();
    await first.locator('.page-heading .case-status', { hasText: '准予' }).first().waitFor();

    // 综合窗口出件: the result leaves by express.
    const clerk = await env.newPage();
    await clerk.goto(`${env.baseUrl}/login`);
    await fillSignIn(clerk, 'clerk');
    await clerk.waitForURL(`${env.baseUrl}/workbench`);
    await clerk.goto(`${env.baseUrl}/workbench/front-desk?tab=delivery`);
    await clerk.getByRole('link', { name: new RegExp(number) }).click();
    await clerk.getByRole('heading', { level: 2, name: '出件送达' }).waitFor();
    await clerk.locator('label', { hasText: '快递送达' }).click();
    await clerk.getByLabel('快递公司').fill('中国邮政 EMS');
    await clerk.getByLabel('快递单号').fill('EMS1234567890');
    await clerk.getByLabel('寄送地址').fill('深圳市福田区南园路 3 号 张三 13800138000');
    await clerk.getByRole('button', { name: '送达', exact: true }).click();
    await clerk.locator('.page-heading .case-status', { hasText: '已送达' }).first().waitFor();
  });
  it('the approver suspends for a special procedure, resumes, returns to an earlier step with a comment and an attachment, and denies', async () => {
    // The scene, set through the API: a walk-in application accepted at the window.
    const clerkApi = await apiSession('clerk');
    const code = await itemCode();
    const created = await clerkApi<{ caseNumber: string }>('POST', '/api/v1/window/cases', {
      itemCode: code,
      applicant: { kind: 'natural', name: '张三', idNumber: CITIZEN, phone: '13800138000' },
      form: { applicantName: '张三', applicantIdNumber: CITIZEN, applicantPhone: '13800138000', organizationForm: 'individual', businessScope: '花卉零售', premisesRegion: '440304001', premisesAddress: '深圳市福田区南园路 5 号', capital: 100000 },
      materials: [{ materialId: 'application_form', paper: true }, { materialId: 'id_card', paper: true }, { materialId: 'premises', paper: true }],
    }, { 'Idempotency-Key': `e2e-${Date.now()}` });
    const number = created.caseNumber;
    const detail = await clerkApi<{ version: number }>('GET', `/api/v1/cases/${number}`);
    await clerkApi('POST', `/api/v1/cases/${number}/actions`, { action: 'accept', version: detail.version });

    const page = await env.newPage();
    await page.goto(`${env.baseUrl}/login`);
    await fillSignIn(page, 'approver');
    await page.waitForURL(`${env.baseUrl}/workbench`);
    await page.goto(`${env.baseUrl}/workbench/tasks/cases/${number}`);
    await page.getByRole('button', { name: '领取任务' }).click();
    // the claim must have landed before the next action, or that action goes with the old version (409)
    await page.getByText(/办理人：审批 李明/).first().waitFor();
    const dialog = page.getByRole('dialog');

    // 特别程序: the clock stops; the reason is required.
    await page.getByRole('button', { name: '启动特别程序' }).click();
    await dialog.getByLabel('特别程序类型').click();
    await page.getByTitle('现场勘验').click();
    await dialog.getByRole('button', { name: '确认启动特别程序' }).click();
    await dialog.getByText('请输入理由').waitFor();
    await dialog.getByLabel('理由').fill('需现场核实经营场所');
    await dialog.getByRole('button', { name: '确认启动特别程序' }).click();
    await page.locator('.page-heading .case-status', { hasText: '特别程序中' }).first().waitFor();
    await page.getByText(/现场勘验：需现场核实经营场所/).waitFor();
    await page.getByRole('button', { name: '结束特别程序' }).click();
    await dialog.getByRole('button', { name: '确认结束特别程序' }).click();
    await page.locator('.page-heading .case-status', { hasText: '审查中' }).first().waitFor();

    // Onwards to the deciding step, then back to the first with a comment and an attachment.
    await page.getByRole('button', { name: '完成本环节' }).click();
    await dialog.getByRole('button', { name: '确认完成本环节' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '退回上一环节' }).click();
    await dialog.getByLabel('退回到环节').click();
    await page.getByTitle('系统核验').click();
    await dialog.getByLabel('意见').fill('经营范围需再次核验');
    await dialog.getByRole('button', { name: '确认退回上一环节' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.case-timeline').getByText('经营范围需再次核验').waitFor();
    await page.getByRole('button', { name: '填写意见' }).click();
    await dialog.getByLabel('意见').fill('现场照片见附件');
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: '添加附件' }).click();
    await (await chooser).setFiles({ name: '现场.png', mimeType: 'image/png', buffer: PNG });
    await dialog.getByRole('img', { name: '预览：现场.png' }).waitFor();
    await dialog.getByRole('button', { name: '确认填写意见' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.case-timeline').getByRole('link', { name: '附件 1' }).waitFor();

    await page.getByRole('button', { name: '完成本环节' }).click();
    await dialog.getByRole('button', { name: '确认完成本环节' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '不予批准' }).click();
    await dialog.getByLabel('理由').fill('经营场所不符合规划用途');
    await dialog.getByRole('button', { name: '确认不予批准' }).click();
    await page.locator('.page-heading .case-status', { hasText: '不予批准' }).first().waitFor();
    await page.getByRole('link', { name: /^打开：决定书/ }).waitFor();
  });
  it('the clerk accepts with a deferrable material owed (容缺受理) and the citizen supplies it', async () => {
    // The scene, set through the API: 食品经营许可 filed at the window without the deferrable material.
    const clerkApi = await apiSession('clerk');
    const code = await itemCode('食品经营许可');
    const scan = new FormData();
    scan.append('file', new Blob([PNG], { type: 'image/png' }), '布局图.png');
    const layout = await clerkApi<{ fileId: string }>('POST', '/api/v1/files', scan, { 'Idempotency-Key': `e2e-layout-${Date.now()}` });
    const created = await clerkApi<{ caseNumber: string }>('POST', '/api/v1/window/cases', {
      itemCode: code,
      applicant: { kind: 'natural', name: '张三', idNumber: CITIZEN, phone: '13800138000' },
      form: {
        entityName: '张三小吃店',
        entityCreditCode: '91440300D00090012Y',
        legalRepresentative: '张三',
        contactPhone: '13800138000',
        mainBusiness: 'catering',
        operatingItems: '热食类食品制售',
        premisesRegion: '440304001',
        premisesAddress: '深圳市福田区南园路 8 号',
        premisesArea: 60,
        safetyManager: '张三',
        online: false,
        layoutFile: layout.fileId,
      },
      materials: ['application_form', 'business_license', 'id_card', 'layout', 'safety_rules'].map((materialId) => ({ materialId, paper: true })),
    }, { 'Idempotency-Key': `e2e-food-${Date.now()}` });
    const number = created.caseNumber;

    const clerk = await env.newPage();
    await clerk.goto(`${env.baseUrl}/login`);
    await fillSignIn(clerk, 'clerk');
    await clerk.waitForURL(`${env.baseUrl}/workbench`);
    await clerk.goto(`${env.baseUrl}/workbench/front-desk/cases/${number}`);
    await clerk.getByRole('heading', { level: 1, name: '食品经营许可' }).waitFor();
    for (const group of await clerk.getByRole('group', { name: /的核验结论$/ }).all()) {
      const name = (await group.getAttribute('aria-label')) ?? (await group.textContent()) ?? '';
      if (!name.includes('集中用餐单位')) await group.getByRole('radio', { name: '合格' }).check();
    }
    await clerk.getByRole('button', { name: '容缺受理' }).click();
    const dialog = clerk.getByRole('dialog');
    await dialog.getByRole('checkbox', { name: '集中用餐单位配送合同或中央厨房相关材料' }).waitFor();
    await dialog.getByRole('button', { name: '容缺受理' }).click();
    await clerk.locator('.page-heading .case-status', { hasText: '容缺受理' }).waitFor();
    await clerk.getByRole('link', { name: /^打开：容缺受理通知书/ }).waitFor();

    const page = await env.newPage();
    await page.goto(`${env.baseUrl}/login`);
    await fillSignIn(page, CITIZEN);
    await page.waitForURL(`${env.baseUrl}/me`);
    await page.goto(`${env.baseUrl}/me/cases/${number}`);
    await page.getByRole('heading', { level: 2, name: '补交容缺材料' }).waitFor();
    await upload(page, '选择文件上传：集中用餐单位配送合同或中央厨房相关材料', { name: '配送合同.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: '补交材料' }).click();
    await page.getByText(/^已补交 /).waitFor();
    expect(await page.getByRole('heading', { level: 2, name: '补交容缺材料' }).count()).toBe(0);
  });
});
