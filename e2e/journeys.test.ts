/**
 * Browser journeys against a real server (demo mode, embedded database) and the built web app.
 * Locators go by label and role, so a missing label or landmark fails here, not in production.
 * Needs `npm run build:web` first and a Chromium binary (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { RESULTS_DIR, useBrowserPlatform } from './support.js';
import { idNumberCheckCharacter, maskIdNumber } from '../server/src/shared/identifiers.js';

const env = useBrowserPlatform('tongban-e2e-');

/** A valid resident ID number (GB 11643) that no other run has registered. */
function freshIdNumber(): string {
  const sequence = String(100 + Math.floor(Math.random() * 900));
  const first17 = `440305${'19920315'}${sequence}`;
  return first17 + idNumberCheckCharacter(first17);
}

function wrongCheckCharacter(id: string): string {
  const wrong = id.endsWith('1') ? '2' : '1';
  return id.slice(0, 17) + wrong;
}

describe('browser journeys', () => {
  it('a citizen registers as a natural person, signs in and sees their own page', async () => {
    const page = await env.newPage();
    const idNumber = freshIdNumber();
    const name = '测试市民';

    await page.goto(`${env.baseUrl}/register`);
    await page.getByRole('heading', { level: 1, name: '注册账户' }).waitFor();
    await page.getByLabel('姓名').fill(name);

    // The shared GB 11643 validator runs in the browser: a wrong check character is caught on leaving the field.
    const idInput = page.getByLabel('身份证号码');
    await idInput.fill(wrongCheckCharacter(idNumber));
    await idInput.blur();
    await page.getByText('身份证号码不正确：校验码错误').waitFor();
    expect(await idInput.getAttribute('aria-invalid')).toBe('true');

    await idInput.fill(idNumber);
    await idInput.blur();
    await page.getByText('身份证号码不正确：校验码错误').waitFor({ state: 'detached' });

    await page.getByLabel('手机号码').fill(`139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`);
    // A password the browser does not judge: the server's field error must land on the field.
    await page.getByLabel('密码', { exact: true }).fill('onlyletters');
    await page.getByLabel('确认密码').fill('onlyletters');
    await page.getByRole('button', { name: '注册' }).click();
    await page.getByText('密码至少 8 位，且须同时包含字母和数字').waitFor();
    expect(await page.getByLabel('密码', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('密码', { exact: true }).fill('Passw0rd!');
    await page.getByLabel('确认密码').fill('Passw0rd!');
    await page.getByRole('button', { name: '注册' }).click();

    // Registered: the sign-in form comes prefilled with the ID number.
    await page.waitForURL(`${env.baseUrl}/login`);
    expect(await page.getByLabel('证件号码或用户名').inputValue()).toBe(idNumber);
    await page.getByLabel('密码').fill('Passw0rd!');
    await page.getByRole('button', { name: '登录' }).click();

    await page.waitForURL(`${env.baseUrl}/me`);
    await page.getByRole('heading', { level: 1, name: '我的主页' }).waitFor();
    await page.getByText(`您好，${name}`).waitFor();
    await page.getByText(maskIdNumber(idNumber)).waitFor();
    await page.getByText('暂无办件').waitFor();
    expect(await page.locator('main').textContent()).not.toContain(idNumber);
  });

  it('a wrong password is refused with the server message', async () => {
    const page = await env.newPage();
    await env.signIn(page, 'clerk', 'not-the-password1');
    await page.getByRole('alert').getByText('用户名或密码错误').waitFor();
    expect(page.url()).toBe(`${env.baseUrl}/login`);
  });

  it('the window clerk signs in to the workbench and sees their role', async () => {
    const page = await env.newPage();
    await env.signIn(page, 'clerk');
    await page.waitForURL(`${env.baseUrl}/workbench`);
    await page.getByRole('heading', { level: 1, name: '欢迎，窗口 陈静' }).waitFor();
    await page.getByRole('banner').getByText('综合窗口人员').waitFor();
    await page.getByRole('banner').getByText('深圳市政务服务数据管理局').waitFor();

    const sideNav = page.getByRole('navigation', { name: '工作台导航' });
    await sideNav.getByRole('link', { name: '工作台首页' }).waitFor();
    // A clerk administers nothing: no administration entries.
    expect(await sideNav.getByRole('link', { name: '工作人员' }).count()).toBe(0);
    await page.screenshot({ path: join(RESULTS_DIR, 'workbench.png'), fullPage: true });

    // Admin pages refuse a clerk even when the address is typed in.
    await page.goto(`${env.baseUrl}/admin/staff`);
    await page.getByRole('heading', { name: '无权访问' }).waitFor();
  });

  it('the system administrator adds a region and sees an unpublished year flagged', async () => {
    const page = await env.newPage();
    await env.signIn(page, 'admin');
    await page.waitForURL(`${env.baseUrl}/workbench`);
    const sideNav = page.getByRole('navigation', { name: '工作台导航' });
    await sideNav.getByRole('link', { name: '行政区划' }).click();
    await page.waitForURL(`${env.baseUrl}/admin/regions`);
    // The city row opens by default and shows its districts.
    await page.getByRole('row', { name: /深圳市.*440300/ }).waitFor();
    await page.getByRole('row', { name: /南山区.*440305/ }).waitFor();

    await page.getByRole('button', { name: '新增行政区划' }).click();
    const dialog = page.getByRole('dialog', { name: '新增行政区划' });
    await dialog.getByLabel('上级区划').click();
    await page.getByTitle('深圳市 (440300)').click();
    // Nine digits is a street code: the server refuses it for a district, on the code field.
    await dialog.getByLabel('区划代码').fill('440399001');
    await dialog.getByLabel('名称').fill('测试新区');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText('行政区划代码应为 6 位（市、区）、9 位（街道）或 12 位（社区）数字').waitFor();
    await dialog.getByLabel('区划代码').fill('440399');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByRole('row', { name: /测试新区.*440399/ }).waitFor();

    await sideNav.getByRole('link', { name: '工作日历' }).click();
    await page.getByRole('heading', { level: 1, name: '工作日历' }).waitFor();
    const calculator = page.locator('#calendar-deadline');
    const from = calculator.getByLabel('起算日期');
    await from.click();
    await from.fill('2199-12-30');
    await from.press('Enter');
    await calculator.getByRole('button', { name: '计算' }).click();
    await calculator.getByText('节假日安排未发布').waitFor();
    await calculator.getByText('2199 年的节假日安排尚未发布或未导入').waitFor();
  });

  it('the language switch turns the interface into English and is remembered', async () => {
    const page = await env.newPage();
    await page.goto(env.baseUrl);
    await page.getByRole('heading', { level: 1, name: '一网通办，让办事更便捷' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'One network for every government service' }).waitFor();
    await page.getByRole('heading', { name: 'Four ways of handling' }).waitFor();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'One network for every government service' }).waitFor();
    // Server messages follow the language too.
    await signInAs(page, 'clerk', 'wrong-password1');
    await page.getByRole('alert').getByText('Wrong username or password').waitFor();
  });

  it('the home page fits a phone screen without sideways scrolling', async () => {
    const page = await env.newPage({ width: 390, height: 844 });
    await page.goto(env.baseUrl);
    await page.getByRole('heading', { name: '政务服务大厅' }).waitFor();
    await page.getByText('南山区行政服务大厅').waitFor();
    const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
    const viewportWidth = Number(await page.evaluate('window.innerWidth'));
    expect(scrollWidth).toBeLessThanOrEqual(viewportWidth);
    await page.screenshot({ path: join(RESULTS_DIR, 'home-phone.png'), fullPage: true });
  });

  it('every page starts with a skip link and has header, navigation and main landmarks', async () => {
    const page = await env.newPage();
    await page.goto(env.baseUrl);
    await page.getByRole('banner').waitFor();
    await page.getByRole('navigation').first().waitFor();
    await page.getByRole('main').waitFor();
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    expect(await focused.textContent()).toBe('跳到主要内容');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('main');
  });
});

/** The sign-in form in English. */
async function signInAs(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${env.baseUrl}/login`);
  await page.getByLabel('ID number or username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
