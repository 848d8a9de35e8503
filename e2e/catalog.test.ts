/**
 * Catalog journeys in a real browser against a real server (demo mode: the demo catalog seeded).
 * A citizen finds 企业设立登记 by its everyday name and reads its guide; the catalog administrator
 * revises the promised time limit and submits it; the system administrator reviews the diff and
 * publishes; the public guide then shows the new limit. The journeys run in order and share the
 * item's state, as the people in them would.
 * Needs `npm run build:web` first and a Chromium binary (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { RESULTS_DIR, useBrowserPlatform } from './support.js';

const env = useBrowserPlatform('tongban-e2e-catalog-');
const ITEM = '企业设立登记';
/** The item's implementation code, learnt by the citizen's journey from the guide's address. */
let itemCode = '';
/** The promised time limit before and after the revision (working days). */
let promisedBefore = 0;
let promisedAfter = 0;

/** Signs a member of staff in: they land on the workbench. */
async function signIn(page: Page, username: string): Promise<void> {
  await env.signIn(page, username);
  await page.waitForURL(`${env.baseUrl}/workbench`);
}

/** The number in "N 个工作日" of a fact in the guide's summary. */
async function summaryDays(page: Page, label: string): Promise<number> {
  const text = await page.locator('.guide-facts > div', { has: page.locator('dt', { hasText: label }) }).locator('dd').textContent();
  const match = /(\d+)/.exec(text ?? '');
  return match ? Number(match[1]) : 0;
}

describe('catalog journeys', () => {
  it('a citizen searches 开公司, opens the guide of 企业设立登记 and finds materials, fees and halls', async () => {
    const page = await env.newPage();
    await page.goto(env.baseUrl);
    // The home page's way in: a search box under "查找办事指南".
    await page.getByRole('heading', { name: '查找办事指南' }).waitFor();
    await page.getByRole('search').getByLabel('搜索事项').fill('开公司');
    await page.getByRole('search').getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/\/items\?q=/);
    await page.getByRole('heading', { level: 1, name: '事项查询' }).waitFor();
    // 开公司 is nobody's official name: the synonyms find 企业设立登记.
    const result = page.getByRole('link', { name: ITEM, exact: true });
    await result.waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'catalog-search.png'), fullPage: true });
    await result.click();

    await page.getByRole('heading', { level: 1, name: ITEM }).waitFor();
    itemCode = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    expect(itemCode).toMatch(/^[0-9A-Z]{31}$/);
    promisedBefore = await summaryDays(page, '承诺办结时限');

    const materials = page.locator('#guide-materials');
    await materials.getByRole('heading', { name: '申请材料' }).waitFor();
    await materials.getByText('企业设立登记申请书').waitFor();
    expect(await materials.getByRole('row').count()).toBeGreaterThan(2);
    await materials.getByText('可用电子证照免提交').first().waitFor();

    const fees = page.locator('#guide-fees');
    await fees.getByText('不收费').waitFor();

    const halls = page.locator('#guide-halls');
    await halls.getByRole('heading', { name: '办理地点' }).waitFor();
    await halls.getByText('深圳市民中心行政服务大厅').waitFor();
    const map = halls.getByRole('link', { name: /在高德地图查看“深圳市民中心行政服务大厅”的位置/ });
    expect(await map.getAttribute('href')).toMatch(/^https:\/\/uri\.amap\.com\/search\?keyword=/);
    await page.getByRole('button', { name: '打印办事指南' }).waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'catalog-guide.png'), fullPage: true });

    // On paper the chrome goes and every FAQ answer shows, opened or not.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('banner').isVisible()).toBe(false);
    const answers = page.locator('#guide-faq .guide-answer');
    if ((await answers.count()) > 0) expect(await answers.first().isVisible()).toBe(true);
    await page.screenshot({ path: join(RESULTS_DIR, 'catalog-guide-print.png'), fullPage: true });
  });

  it('the guide reads on a phone without sideways scrolling', async () => {
    const page = await env.newPage({ width: 390, height: 844 });
    await page.goto(`${env.baseUrl}/items/${itemCode}`);
    await page.getByRole('heading', { level: 1, name: ITEM }).waitFor();
    await page.locator('#guide-materials').getByText('企业设立登记申请书').waitFor();
    const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
    expect(scrollWidth).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(RESULTS_DIR, 'catalog-guide-phone.png'), fullPage: true });
  });

  it('the catalog administrator revises the promised time limit and submits the new version', async () => {
    const page = await env.newPage({ width: 1440, height: 900 });
    await signIn(page, 'catalog');
    const sideNav = page.getByRole('navigation', { name: '工作台导航' });
    await sideNav.getByRole('link', { name: '事项管理' }).click();
    await page.getByRole('heading', { level: 1, name: '事项管理' }).waitFor();
    await page.getByRole('link', { name: ITEM, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: ITEM }).waitFor();
    await page.getByRole('button', { name: '新建修订版本' }).click();

    await page.getByRole('heading', { level: 1, name: new RegExp(`编辑：${ITEM}（第 2 版）`) }).waitFor();
    await page.getByText('发布检查：已满足发布条件').waitFor();

    // The form designer previews the applicant's form; a conditional field follows the answers.
    await page.getByRole('tab', { name: '申请表单' }).click();
    const preview = page.locator('.designer-preview');
    await preview.getByText('结果领取方式').waitFor();
    expect(await preview.getByLabel('邮寄地址').count()).toBe(0);
    await preview.getByText('快递寄送').click();
    await preview.getByLabel('邮寄地址').waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'catalog-designer.png'), fullPage: true });

    await page.getByRole('tab', { name: '办理时限' }).click();
    const promised = page.getByLabel('承诺办结时限（工作日）');
    expect(Number(await promised.inputValue())).toBe(promisedBefore);
    const legal = Number(await page.getByLabel('法定办结时限（工作日）').inputValue());
    promisedAfter = promisedBefore + 1 <= legal ? promisedBefore + 1 : promisedBefore - 1;
    await promised.fill(String(promisedAfter));
    await page.getByText('有未保存的修改').waitFor();
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('草稿已保存').waitFor();
    await page.getByText('有未保存的修改').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: '提交审核' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '提交审核' }).click();
    await page.getByText('已提交审核').first().waitFor();
    // The version is now in review: the review screen, no longer the editor.
    await page.getByRole('heading', { level: 1, name: new RegExp(`${ITEM}（第 2 版）`) }).waitFor();
    await page.locator('main').getByText('待审核').first().waitFor();

    // Four eyes: the person who submitted it cannot publish it.
    await page.getByRole('button', { name: '发布', exact: true }).click();
    await page.getByRole('dialog', { name: '发布此版本' }).getByRole('button', { name: '发布' }).click();
    await page.getByRole('alert').getByText('不能发布自己编辑或提交的版本').waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'catalog-four-eyes.png'), fullPage: true });
  });

  it('the system administrator reads the diff and publishes; the guide shows the new promised time limit', async () => {
    const page = await env.newPage({ width: 1440, height: 900 });
    await signIn(page, 'admin');
    const sideNav = page.getByRole('navigation', { name: '工作台导航' });
    await sideNav.getByRole('link', { name: '审核发布' }).click();
    await page.getByRole('heading', { level: 1, name: '审核发布' }).waitFor();
    await page.getByRole('link', { name: `审核 ${ITEM}` }).click();

    await page.getByRole('heading', { level: 1, name: new RegExp(`${ITEM}（第 2 版）`) }).waitFor();
    // The previous published version is preselected; the only change is the promised limit.
    expect(await page.locator('.diff .ant-select').textContent()).toContain('第 1 版');
    const row = page.getByRole('row', { name: /promisedDays/ });
    await row.waitFor();
    const cells = row.getByRole('cell');
    expect((await cells.nth(1).textContent())?.trim()).toBe(String(promisedBefore));
    expect((await cells.nth(2).textContent())?.trim()).toBe(String(promisedAfter));
    await page.getByText('共 1 处修改').waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'catalog-diff.png'), fullPage: true });

    await page.getByRole('button', { name: '发布', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '发布此版本' });
    await dialog.getByLabel('生效日期').waitFor();
    await dialog.getByRole('button', { name: '发布' }).click();
    await page.getByText('已发布').first().waitFor();

    // The public guide follows (the search index refreshes within about a second).
    const guide = await env.newPage();
    await expect
      .poll(
        async () => {
          await guide.goto(`${env.baseUrl}/items/${itemCode}`);
          await guide.getByRole('heading', { level: 1, name: ITEM }).waitFor();
          return summaryDays(guide, '承诺办结时限');
        },
        { timeout: 15_000, interval: 1_000 },
      )
      .toBe(promisedAfter);
    await guide.getByText(/第 2 版/).first().waitFor();
  });
});
