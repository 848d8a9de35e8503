/**
 * Efficiency supervision in a real browser against a real server (demo mode): the demo's cases
 * reach supervision's projection through the outbox, the supervisor's command centre shows the
 * indicators, the districts, the ranking and the live monitor, drills down into a department,
 * a department admin gets their department's view, and anyone reads the public disclosure
 * page. The background loops are run here directly (main.ts runs them on a timer).
 * Needs `npm run build:web` first and Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import { join } from 'node:path';
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
    await page.getByRole('table', { name: '下钻办件' }).waitFor();
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
});
