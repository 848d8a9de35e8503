/**
 * Efficiency supervision in a real browser against a real server (demo mode): the demo's cases
 * reach supervision's projection through the outbox, the supervisor's command centre shows the
 * indicators, the districts, the ranking and the live monitor, drills down into a department,
 * a department admin gets their department's view, and anyone reads the public disclosure
 * page, and both pages switch fully to English. The background loops are run here directly
 * (main.ts runs them on a timer).
 * Needs `npm run build:web` first and Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { RESULTS_DIR, useBrowserPlatform } from './support.js';

const env = useBrowserPlatform('tongban-e2e-supervision-');

describe('supervision journeys', () => {
  it('a supervisor reads the command centre, live monitor and drill-down', async () => {
    const s = env.services.supervision;
    await s.catchUp();
    await s.seedDemoHistory();
    await s.sweep();
    await s.notify();
    const page = await env.newPage();
    await env.signIn(page, 'supervisor');
    await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '效能监督' }).click();
    await page.getByRole('heading', { level: 1, name: '效能监督' }).waitFor();
    await page.getByText('按时办结率').first().waitFor();
    await expect(page.getByRole('table', { name: '各部门指标' }).getByRole('row').count()).resolves.toBeGreaterThan(2);
    await page.getByRole('img', { name: /各区收件量/ }).waitFor();
    await page.getByText(/每 10 秒刷新，更新于/).waitFor();
    // the four-ways ratios beside their targets
    await page.getByRole('table', { name: '“四办”指标及目标' }).getByText('2019年目标').waitFor();
    // drill down into the first department's late decisions
    await page.getByRole('button', { name: '超期办结' }).first().click();
    const drilled = page.getByRole('table', { name: '下钻办件' });
    await drilled.waitFor();
    // statuses as words, not codes
    await drilled.locator('.case-status').first().waitFor();
    await expect(drilled.getByText(/^(approved|denied|delivered)$/).count()).resolves.toBe(0);
    await page.screenshot({ path: join(RESULTS_DIR, 'supervision-dashboard.png'), fullPage: true });
  });

  it('a department admin gets their own department; a citizen reads the public disclosure', async () => {
    const page = await env.newPage({ width: 390, height: 844 });
    await env.signIn(page, 'deptadmin');
    await page.goto(`${env.baseUrl}/workbench/supervision`);
    await page.getByRole('heading', { level: 1, name: '效能监督' }).waitFor();
    const rows = page.getByRole('table', { name: '各部门指标' }).getByRole('row');
    await rows.nth(1).waitFor();
    await expect(page.getByRole('table', { name: '各部门指标' }).getByText('深圳市市场监督管理局').count()).resolves.toBe(1);

    const visitor = await env.newPage();
    await visitor.goto(`${env.baseUrl}/disclosure`);
    await visitor.getByRole('heading', { level: 1, name: '效能公示' }).waitFor();
    await visitor.getByRole('table', { name: '部门月度排名' }).waitFor();
    await expect(visitor.getByRole('link', { name: '下载 CSV' }).count()).resolves.toBe(2);
    const body = await visitor.content();
    expect(body).not.toMatch(/张三|王秀英/);
  });

  it('the command centre and the public disclosure switch fully to English', async () => {
    // idempotent: the alerts and the history are there whether or not the journeys above ran first
    const s = env.services.supervision;
    await s.catchUp();
    await s.seedDemoHistory();
    await s.sweep();
    const CJK = /[\u3400-\u9fff]/;
    /** The page's own words (headings, card titles, column heads, labels, buttons, tags, statistics), not the names in the data. */
    const UI = 'h1, h2, .ant-card-head-title, th, label, button, .ant-tag, .ant-statistic-title, .ant-alert-message';
    const chinese = async (page: Page) => (await page.locator('main').locator(UI).allInnerTexts()).filter((text) => CJK.test(text));

    const page = await env.newPage();
    await env.signIn(page, 'supervisor');
    await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '效能监督' }).click();
    await page.getByRole('heading', { level: 1, name: '效能监督' }).waitFor();
    const alertKinds = (table: string) => page.getByRole('table', { name: table }).locator('tr.ant-table-row td:nth-child(2)');
    await alertKinds('预警与异常').filter({ hasText: CJK }).first().waitFor();

    // switched on the page: the alerts are asked for again at once (not at the next 10 s tick), their kinds worded by the server
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Efficiency supervision' }).waitFor();
    await page.getByRole('navigation', { name: 'Workbench navigation' }).getByRole('link', { name: 'Efficiency supervision' }).waitFor();
    const kinds = alertKinds('Warnings and anomalies');
    await kinds.first().waitFor();
    await expect.poll(async () => (await kinds.allInnerTexts()).filter((text) => CJK.test(text)), { timeout: 5_000 }).toEqual([]);
    expect(await page.title()).toBe('Efficiency supervision - Tongban');
    await page.getByText(/^Live monitor \(refreshed every 10 s, updated at \d{2}:\d{2}:\d{2}\)$/).waitFor();
    await expect(page.getByRole('table', { name: 'Indicators by department' }).getByRole('row').count()).resolves.toBeGreaterThan(2);
    await page.getByRole('table', { name: 'Four-ways indicators and targets' }).getByText('Target 2019').waitFor();
    await page.locator('.ant-statistic-title', { hasText: 'On-time completion rate' }).waitFor();
    // the charts' legends and scale are drawn in English too
    await page.getByRole('img', { name: /^Cases received and completed/ }).locator('text', { hasText: 'Received' }).first().waitFor();
    await page.getByRole('img', { name: /^Schematic of cases received/ }).locator('text', { hasText: 'On time: high' }).waitFor();
    await page.getByRole('button', { name: 'Completed late' }).first().click();
    await page.getByRole('table', { name: 'Drill-down cases' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await chinese(page)).toEqual([]);
    await page.screenshot({ path: join(RESULTS_DIR, 'supervision-dashboard-en.png'), fullPage: true });

    await page.goto(`${env.baseUrl}/disclosure`);
    await page.getByRole('heading', { level: 1, name: 'Public disclosure' }).waitFor();
    await page.getByRole('table', { name: 'Monthly department ranking' }).waitFor();
    await expect(page.getByRole('link', { name: 'Download CSV' }).count()).resolves.toBe(2);
    const reasons = page.getByRole('table', { name: 'Overdue cases' }).locator('tr.ant-table-row td:nth-child(5)');
    await reasons.first().waitFor();
    expect((await reasons.allInnerTexts()).filter((text) => CJK.test(text))).toEqual([]);
    await page.waitForLoadState('networkidle');
    expect(await chinese(page)).toEqual([]);
  });
});
