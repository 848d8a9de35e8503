/**
 * E-license journey in a real browser against a real server (demo mode): 张三 opens his license
 * wallet from his page, downloads a license's PDF, follows its verification link to the public
 * page (signed out: a fresh browser) which shows it valid with masked holder data; the market
 * bureau's administrator revokes it (through the API: not the point here), and the same public
 * page shows it revoked at once. Then the application wizard offers his social security card for
 * a material of that type instead of an upload (免提交). Needs `npm run build:web` first and a
 * Chromium binary (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiSession, demoItemCode, RESULTS_DIR, useBrowserPlatform } from './support.js';
import { sampleForm } from '../server/test/case-fixtures.js';
import type { ItemGuide } from '../server/src/modules/catalog/public-schemas.js';

const env = useBrowserPlatform('tongban-e2e-licenses-');
const CITIZEN = '440304199001011233';

describe('e-license journey', () => {
  it('the holder sees a license in the wallet, downloads its PDF; the public page shows it valid, then revoked', async () => {
    const page = await env.newPage({ width: 390, height: 844 });
    await env.signIn(page, CITIZEN);
    await page.waitForURL(`${env.baseUrl}/me`);
    await page.getByRole('link', { name: '打开我的证照夹' }).click();
    await page.getByRole('heading', { level: 1, name: '我的电子证照' }).waitFor();
    const wallet = page.getByRole('list', { name: '我的电子证照' });
    const food = wallet.getByRole('listitem').filter({ hasText: '食品经营许可证' });
    await food.waitFor();
    expect(await food.getByText('有效', { exact: true }).count()).toBe(1);
    const licenseId = (await food.getAttribute('data-license-id'))!;
    expect(licenseId).toMatch(/^1\.2\.156\.3005\.2\./);

    const [download] = await Promise.all([page.waitForEvent('download'), food.getByRole('link', { name: /下载 PDF/ }).click()]);
    const saved = join(RESULTS_DIR, 'license.pdf');
    await download.saveAs(saved);
    expect(readFileSync(saved).subarray(0, 5).toString()).toBe('%PDF-');

    // the verification link, as the QR code would open it, in a browser nobody signed in to
    await food.getByRole('link', { name: /核验真伪/ }).click();
    await page.getByRole('heading', { level: 1, name: '电子证照核验' }).waitFor();
    await page.getByRole('status').filter({ hasText: '证照有效' }).waitFor();
    const visitor = await env.newPage();
    await visitor.goto(`${env.baseUrl}/verify/${encodeURIComponent(licenseId)}`);
    await visitor.getByRole('status').filter({ hasText: '证照有效' }).waitFor();
    const body = await visitor.locator('main').innerText();
    expect(body).toContain('张*');
    expect(body).not.toContain(CITIZEN);
    expect(body).toContain('SM2-SM3');
    await visitor.screenshot({ path: join(RESULTS_DIR, 'license-verify-valid.png'), fullPage: true });

    const admin = await apiSession(env.baseUrl, 'deptadmin');
    const revoked = await admin<{ status: string }>('POST', `/api/v1/admin/licenses/${licenseId}/revoke`, { reason: '经营者申请注销', caseNumber: 'TB20261207000009' });
    expect(revoked.status).toBe(200);
    await visitor.reload();
    await visitor.getByRole('status').filter({ hasText: '证照无效' }).waitFor();
    expect(await visitor.getByText('该证照已被签发部门注销。').count()).toBe(1);
    // a mistyped identifier: a clear answer, not an error page
    await visitor.goto(`${env.baseUrl}/verify/${encodeURIComponent(`${licenseId.slice(0, -1)}${licenseId.endsWith('0') ? '1' : '0'}`)}`);
    await visitor.getByText('校验位不正确').waitFor();
    await page.goto(`${env.baseUrl}/me/licenses`);
    await wallet.getByRole('listitem').filter({ hasText: '食品经营许可证' }).getByText('已注销').waitFor();
  });

  it('the application wizard offers a held license instead of an upload (免提交)', async () => {
    // the form is not the point: it comes from a draft saved through the API
    const code = await demoItemCode(env.baseUrl, '失业保险金申领');
    const guide = (await (await fetch(`${env.baseUrl}/api/v1/items/${code}`)).json()) as ItemGuide;
    const citizen = await apiSession(env.baseUrl, CITIZEN);
    const draft = await citizen<{ id: string }>('POST', '/api/v1/me/drafts', { itemCode: code, form: sampleForm(guide), materials: [] });
    expect(draft.status).toBe(201);
    const page = await env.newPage();
    await env.signIn(page, CITIZEN);
    await page.waitForURL(`${env.baseUrl}/me`);
    await page.goto(`${env.baseUrl}/apply/${code}?draft=${draft.body.id}`);
    await page.getByRole('button', { name: /下一步/ }).click();
    const offer = page.getByRole('checkbox', { name: /使用我的电子证照：社会保障卡/ });
    await offer.waitFor();
    const group = page.getByRole('group', { name: '社会保障卡' });
    expect(await group.getByRole('button', { name: /上传/ }).count()).toBe(1);
    await offer.check();
    expect(await group.getByRole('button', { name: /上传/ }).count()).toBe(0);
    await page.screenshot({ path: join(RESULTS_DIR, 'license-apply.png'), fullPage: true });
  });
});
