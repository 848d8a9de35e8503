/**
 * What every browser journey file needs: a real server (demo mode, its own embedded database in
 * a temporary folder, the built web app) on a loopback port, and headless Debian Chromium.
 * Call `useBrowserPlatform()` at the top of a test file; it registers the hooks that start and stop both.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startPlatform, type Platform } from '../server/src/bootstrap.js';
import { loadConfig } from '../server/src/platform/config/config.js';

const WEB_DIR = fileURLToPath(new URL('../dist/web', import.meta.url));
export const RESULTS_DIR = fileURLToPath(new URL('../test-results', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Without the background-networking flags Chromium keeps dialling out of this closed network. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserPlatform {
  readonly baseUrl: string;
  /** A fresh browser profile (no cookies, no stored language) per journey. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Opens the sign-in page and signs in (the demo password unless told). */
  signIn(page: Page, username: string, password?: string): Promise<void>;
  /** The server's services, for scenes a journey sets up without the browser (background work run now). */
  readonly services: Platform['services'];
}

/** Fills the sign-in form the page shows (in Chinese) and sends it. */
export async function fillSignIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.getByLabel('证件号码或用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

export function useBrowserPlatform(tempPrefix: string): BrowserPlatform {
  let dataDir: string | undefined;
  let platform: Platform | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIR, 'index.html'))) throw new Error(`${WEB_DIR}/index.html is missing: run npm run build:web first`);
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
    dataDir = mkdtempSync(join(tmpdir(), tempPrefix));
    platform = await startPlatform(loadConfig({ TONGBAN_MODE: 'demo', DATA_DIR: dataDir, LOG_LEVEL: 'silent', WEB_DIR, PORT: '0' }));
    await platform.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(platform.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(RESULTS_DIR, { recursive: true });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await platform?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    get baseUrl() {
      return baseUrl;
    },
    get services() {
      return platform!.services;
    },
    async newPage(viewport = { width: 1280, height: 800 }) {
      const context = await browser!.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    async signIn(page, username, password = DEMO_PASSWORD) {
      await page.goto(`${baseUrl}/login`);
      await fillSignIn(page, username, password);
    },
  };
}

/** The demo accounts' password (README). */
export const DEMO_PASSWORD = 'Demo@2026';

export type ApiCall = <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: T }>;

/**
 * A signed-in API session (cookie and CSRF token) for setting a scene where the browser is not the
 * point: JSON bodies, or FormData for uploads; answers status and parsed body.
 */
export async function apiSession(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<ApiCall> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`login ${username}: ${login.status}`);
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const csrf = decodeURIComponent(cookies.find((c) => c.startsWith('tb_csrf='))!.slice('tb_csrf='.length));
  return async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const multipart = body instanceof FormData;
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { cookie: cookies.join('; '), 'x-csrf-token': csrf, ...(body === undefined || multipart ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: multipart ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
}

/** The implementation code of the demo item with this exact name. */
export async function demoItemCode(baseUrl: string, name: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/items?q=${encodeURIComponent(name)}`);
  const body = (await response.json()) as { items: Array<{ implementationCode: string; name: string }> };
  const item = body.items.find((i) => i.name === name);
  if (!item) throw new Error(`${name} is not in the demo catalog`);
  return item.implementationCode;
}
