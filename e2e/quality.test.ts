/**
 * Service quality in a real browser against a real server (demo mode): 张三 rates a completed case
 * on its page (a bad review, with a reason the form insists on), the market bureau's department
 * admin calls him back and reports the fix from the quality desk, 张三 accepts the fix on his case
 * page; on a phone he rates a hall window through its QR page; a consultation answered at the desk
 * is published and shows on the item's guide; the public statistics show the figures with no
 * personal data. Needs `npm run build:web` first and Chromium (CHROMIUM_PATH).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { todayInShanghai } from '../server/src/platform/time.js';
import { apiSession, demoItemCode, RESULTS_DIR, useBrowserPlatform } from './support.js';

const env = useBrowserPlatform('tongban-e2e-quality-');
const CITIZEN = '440304199001011233';

describe('service quality journey', () => {
  it('a bad review is rated on the case page, rectified by the department and confirmed by the citizen', async () => {
    // the scene: a completed case of 张三's that nobody rated yet (the window refuses his criminal-record application)
    const clerk = await apiSession(env.baseUrl, 'clerk');
    const queue = (await clerk<{ items: Array<{ caseNumber: string; itemName: string; version: number }> }>('GET', '/api/v1/front-desk/queue')).body;
    const waiting = queue.items.find((c) => c.itemName === '无犯罪记录证明开具')!;
    const refused = await clerk('POST', `/api/v1/cases/${waiting.caseNumber}/actions`, { action: 'not_accept', version: waiting.version, reason: '申请人户籍不在本市，请向户籍所在地公安机关申请。', legalBasis: '《中华人民共和国行政许可法》第三十二条' });
    expect(refused.status).toBe(200);

    const page = await env.newPage();
    await env.signIn(page, CITIZEN);
    await page.waitForURL(/\/me/);
    await page.goto(`${env.baseUrl}/me/cases/${waiting.caseNumber}`);
    await page.getByRole('heading', { name: '服务评价（好差评）' }).waitFor();
    const card = page.locator('.ant-card', { has: page.getByRole('heading', { name: '服务评价（好差评）' }) });
    await card.locator('.ant-rate-star').nth(1).click();
    await expect.poll(() => card.getByText('不满意评价请写明原因').count()).toBe(1);
    await card.getByRole('button', { name: '提交评价' }).click();
    // the server insists on a reason for a bad review, on the field
    await expect.poll(() => card.getByText('不满意评价请填写原因，便于部门整改').count()).toBeGreaterThan(0);
    await card.getByLabel('评价内容').fill('不予受理的理由没有当面讲清楚。');
    await card.getByRole('button', { name: '提交评价' }).click();
    await expect.poll(() => card.getByText('不予受理的理由没有当面讲清楚。').count()).toBe(1);
    await expect.poll(() => card.getByText('整改工单 · 待回访').count()).toBe(1);
    await page.screenshot({ path: join(RESULTS_DIR, 'quality-case-rating.png'), fullPage: true });

    // the market bureau's desk: the demo's bad review of the food licence
    const desk = await env.newPage();
    await env.signIn(desk, 'deptadmin');
    await desk.waitForURL(/\/workbench/);
    await desk.goto(`${env.baseUrl}/workbench/quality/desk`);
    await desk.getByRole('tab', { name: '差评整改' }).click();
    const rect = desk.locator('.ant-card', { hasText: '现场核查的时间改了两次' });
    await rect.getByLabel('回访记录、整改结果、申诉理由或裁定意见').fill('已电话回访张三，致歉并说明核查排期调整原因。');
    await rect.getByRole('button', { name: '记录回访' }).click();
    await expect.poll(() => rect.getByText('整改中').count()).toBe(1);
    await rect.getByLabel('回访记录、整改结果、申诉理由或裁定意见').fill('现场核查改为申请时预约，确定后不再变更。');
    await rect.getByRole('button', { name: '报告整改结果' }).click();
    await expect.poll(() => rect.getByText('待申请人确认').count()).toBe(1);

    // 张三 accepts the fix on the food licence's page
    const food = (await (await apiSession(env.baseUrl, CITIZEN))<{ items: Array<{ caseNumber: string; itemName: string }> }>('GET', '/api/v1/cases?mine=true&status=approved')).body.items.find((c) => c.itemName === '食品经营许可')!;
    await page.goto(`${env.baseUrl}/me/cases/${food.caseNumber}`);
    await page.getByText('现场核查改为申请时预约，确定后不再变更。').waitFor();
    await page.getByRole('button', { name: '认可整改结果' }).click();
    await expect.poll(() => page.getByText('整改工单 · 已办结').count()).toBe(1);
  });

  it('a citizen rates a hall window on a phone through its QR page', async () => {
    const halls = (await (await fetch(`${env.baseUrl}/api/v1/halls`)).json()) as { items: Array<{ id: string; name: string }> };
    const departments = (await (await fetch(`${env.baseUrl}/api/v1/departments`)).json()) as { items: Array<{ id: string; name: string }> };
    const hall = halls.items.find((h) => h.name === '深圳市民中心行政服务大厅')!;
    const dept = departments.items.find((d) => d.name === '深圳市政务服务数据管理局')!;
    const phone = await env.newPage({ width: 390, height: 844 });
    await env.signIn(phone, CITIZEN);
    await phone.waitForURL(/\/me/);
    await phone.goto(`${env.baseUrl}/rate/hall/${hall.id}/B2?dept=${dept.id}`);
    await phone.getByText('深圳市民中心行政服务大厅 · B2 号窗口').waitFor();
    await phone.locator('.ant-rate-star').nth(4).click();
    await phone.getByRole('button', { name: '提交评价' }).click();
    await phone.getByText('评价已提交，感谢！').waitFor();
    await phone.screenshot({ path: join(RESULTS_DIR, 'quality-hall-qr.png') });
  });

  it('an answered consultation is published from the desk and shows on the item guide; the public statistics hold no personal data', async () => {
    const code = await demoItemCode(env.baseUrl, '食品经营许可');
    const citizen = await apiSession(env.baseUrl, CITIZEN);
    const opened = await citizen<{ number: string }>('POST', '/api/v1/tickets', { kind: 'consultation', title: '食品经营许可证可以邮寄吗', body: '审批通过后证照可以邮寄到家吗？', itemCode: code });
    expect(opened.status).toBe(201);

    const desk = await env.newPage();
    await env.signIn(desk, 'approver');
    await desk.waitForURL(/\/workbench/);
    await desk.goto(`${env.baseUrl}/workbench/quality/desk`);
    await desk.getByRole('button', { name: opened.body.number }).click();
    const drawer = desk.getByRole('dialog');
    await drawer.getByLabel('答复内容 / 转办或督办理由').fill('可以。申请时选择快递送达，证照将以 EMS 寄出。');
    await drawer.getByRole('button', { name: '答复' }).click();
    await drawer.getByRole('button', { name: '发布为常见问题' }).click();
    await expect.poll(() => drawer.getByRole('button', { name: '撤下常见问题' }).count()).toBe(1);

    const guide = await env.newPage();
    await guide.goto(`${env.baseUrl}/items/${code}`);
    await guide.getByRole('heading', { name: '常见问题' }).waitFor();
    await guide.getByText('食品经营许可证可以邮寄吗').click();
    await guide.getByText('证照将以 EMS 寄出').waitFor();

    await guide.goto(`${env.baseUrl}/quality/stats`);
    await guide.getByText('差评整改率').first().waitFor();
    await guide.getByRole('img', { name: '部门评价分布与满意率' }).waitFor();
    await guide.getByRole('cell', { name: '深圳市市场监督管理局' }).first().waitFor();
    const text = await guide.locator('main').innerText();
    for (const secret of ['张三', CITIZEN, '13800138000', '现场核查的时间改了两次']) expect(text).not.toContain(secret);
    await guide.screenshot({ path: join(RESULTS_DIR, 'quality-public-stats.png'), fullPage: true });
  });

  it('a window clerk records a hall visit and shows its QR code; the visitor rates that visit on a phone', async () => {
    const desk = await env.newPage();
    await env.signIn(desk, 'clerk');
    await desk.waitForURL(/\/workbench/);
    await desk.goto(`${env.baseUrl}/workbench/quality/desk`);
    await desk.getByRole('tab', { name: '登记大厅服务' }).click();
    await desk.getByRole('combobox', { name: '大厅' }).click();
    await desk.getByTitle('深圳市民中心行政服务大厅').click();
    await desk.getByLabel('窗口号').fill('C7');
    await desk.getByRole('button', { name: '登记并生成二维码' }).click();
    await desk.getByText('已登记：深圳市民中心行政服务大厅 · C7 号窗口').waitFor();
    await desk.getByRole('img', { name: 'C7 号窗口本次服务评价二维码' }).waitFor();
    const link = await desk.getByRole('link', { name: '打开评价页' }).getAttribute('href');
    expect(link).toMatch(/\/rate\/visit\/[0-9a-f-]{36}\?code=/);

    const phone = await env.newPage({ width: 390, height: 844 });
    await env.signIn(phone, CITIZEN);
    await phone.waitForURL(/\/me/);
    await phone.goto(link!);
    await phone.getByRole('heading', { name: '大厅服务评价' }).waitFor();
    await phone.locator('.ant-rate-star').nth(3).click();
    await phone.getByRole('button', { name: '提交评价' }).click();
    await phone.getByText('评价已提交，感谢！').waitFor();
    // with a wrong code the page says so
    await phone.goto(link!.replace(/code=.*/, 'code=not-the-right-code'));
    await phone.getByText('评价码无效，或本次服务已由他人评价').waitFor();
  });

  it('the system administrator changes a ticket deadline at run time and returns it to the default', async () => {
    const admin = await env.newPage();
    await env.signIn(admin, 'admin');
    await admin.waitForURL(/\/workbench/);
    await admin.goto(`${env.baseUrl}/workbench/quality/settings`);
    await admin.getByRole('heading', { level: 1, name: '好差评与咨询投诉时限' }).waitFor();
    const complaint = admin.getByLabel('投诉答复时限（工作日）');
    await expect.poll(() => complaint.inputValue()).toBe('5');
    await complaint.fill('3');
    await admin.getByRole('button', { name: '保存' }).click();
    await admin.getByText('已保存，立即生效').waitFor();
    await admin.getByText('已修改').waitFor();
    const citizen = await apiSession(env.baseUrl, CITIZEN);
    const departments = (await (await fetch(`${env.baseUrl}/api/v1/departments`)).json()) as { items: Array<{ id: string; name: string }> };
    const market = departments.items.find((d) => d.name === '深圳市市场监督管理局')!;
    const ticket = await citizen<{ deadline: string }>('POST', '/api/v1/tickets', { kind: 'complaint', title: '窗口排队', body: '排队超过一小时。', departmentId: market.id });
    expect(ticket.body.deadline).toBe(await env.services.calendar.deadline(todayInShanghai(), 3));
    await admin.getByRole('button', { name: '恢复默认' }).click();
    await expect.poll(() => complaint.inputValue()).toBe('5');
    await expect.poll(() => admin.getByText('已修改').count()).toBe(0);
  });

  it('every quality page switches fully to English', async () => {
    const CJK = /[\u3400-\u9fff]/;
    /** The interface's own words on the page (headings, labels, buttons, tabs, tags, column heads), not the data shown. */
    const UI = 'h1, h2, h5, th, label, button, [role=tab], .ant-tag, .ant-descriptions-item-label, .ant-statistic-title, .ant-alert-message, .ant-form-item-explain, .ant-result-title';
    const uiText = async (page: Page) => (await page.locator('main').locator(UI).allInnerTexts()).join('\n');
    const english = async (page: Page, url: string, heading: string) => {
      await page.goto(`${env.baseUrl}${url}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      const text = await uiText(page);
      expect(text, url).toContain(heading);
      expect(text.match(new RegExp(`.*${CJK.source}.*`, 'g')) ?? [], url).toEqual([]);
    };
    const asEnglish = async (username: string | null) => {
      const page = await env.newPage();
      if (username) {
        await env.signIn(page, username);
        await page.waitForURL(/\/(me|workbench)/);
      } else await page.goto(env.baseUrl);
      await page.evaluate("localStorage.setItem('tongban.lang', 'en')");
      return page;
    };

    const visitor = await asEnglish(null);
    await english(visitor, '/quality/stats', 'Service ratings, published');
    await visitor.getByRole('img', { name: 'Ratings and satisfaction by department' }).waitFor();

    const citizen = await asEnglish(CITIZEN);
    await english(citizen, '/me/tickets', 'My enquiries and complaints');
    const halls = (await (await fetch(`${env.baseUrl}/api/v1/halls`)).json()) as { items: Array<{ id: string }> };
    const departments = (await (await fetch(`${env.baseUrl}/api/v1/departments`)).json()) as { items: Array<{ id: string }> };
    await english(citizen, `/rate/hall/${halls.items[0]!.id}/D1?dept=${departments.items[0]!.id}`, 'Rate the window service');
    // the rating card of a completed case, with its rectification
    const food = (await (await apiSession(env.baseUrl, CITIZEN))<{ items: Array<{ caseNumber: string; itemName: string }> }>('GET', '/api/v1/cases?mine=true&status=approved')).body.items.find((c) => c.itemName === '食品经营许可')!;
    await citizen.goto(`${env.baseUrl}/me/cases/${food.caseNumber}`);
    await citizen.getByRole('heading', { name: 'Service rating' }).waitFor();
    const card = citizen.locator('.ant-card', { has: citizen.getByRole('heading', { name: 'Service rating' }) });
    await card.getByText(/Rectification · /).first().waitFor();
    expect(CJK.test((await card.locator('h2, button, .ant-tag, .ant-descriptions-item-label, .ant-card-head-title').allInnerTexts()).join('\n'))).toBe(false);

    const desk = await asEnglish('deptadmin');
    await english(desk, '/workbench/quality/desk', 'Tickets and rectifications');
    await desk.getByRole('tab', { name: 'Rectifications' }).click();
    await desk.getByText('Responsible department').or(desk.getByText('No rectifications of bad reviews')).first().waitFor();
    expect(CJK.test(await uiText(desk))).toBe(false);
    await desk.getByRole('tab', { name: 'Record a hall visit' }).click();
    await desk.getByRole('button', { name: 'Record and show QR code' }).waitFor();
    expect(CJK.test(await uiText(desk))).toBe(false);
    await english(desk, '/workbench/quality/qr-codes', 'Window rating QR codes');
    const admin = await asEnglish('admin');
    await english(admin, '/workbench/quality/settings', 'Rating and ticket deadlines');

    const supervisor = await asEnglish('supervisor');
    await english(supervisor, '/workbench/quality/supervision', 'Service quality oversight');
    await supervisor.getByRole('tab', { name: '12345 import' }).click();
    await supervisor.getByRole('button', { name: 'Import' }).waitFor();
    expect(CJK.test(await uiText(supervisor))).toBe(false);
  });
});
