import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPlatform, StartupRefused } from '../../bootstrap.js';
import { openDatabase } from '../db/database.js';
import { ConfigError, loadConfig, type Config } from './config.js';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tongban-config-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const SECRET = 'x'.repeat(40);
const PG_URL = 'postgres://tongban:pw@db.internal:5432/tongban';

/** Runs loadConfig and returns the ConfigError it throws (fails the test if it does not throw one). */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has sensible defaults', () => {
    // With a server database there is no folder of ours, so nothing is written to ./data here.
    const config = loadConfig({ DATABASE_URL: PG_URL });
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      mode: 'demo',
      dataDir: './data',
      databaseUrl: PG_URL,
      databasePoolSize: 10,
      databasePreparedStatements: true,
      sessionTtlHours: 8,
      trustProxy: false,
      logLevel: 'info',
      secureCookies: false,
    });
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: tempDir(), PORT: '' }).port).toBe(3000);
  });

  it('reads explicit values', () => {
    const dir = tempDir();
    const config = loadConfig({ PORT: '8080', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'warn', TRUST_PROXY: 'true', SESSION_TTL_HOURS: '12', SESSION_SECRET: SECRET, DATABASE_PREPARED_STATEMENTS: 'false' });
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', dataDir: dir, logLevel: 'warn', trustProxy: true, sessionTtlHours: 12, sessionSecret: SECRET, databasePreparedStatements: false });
    expect(existsSync(join(dir, 'session-secret'))).toBe(false); // a given secret is not replaced by a generated one
  });

  it('rejects a bad PORT, naming the variable', () => {
    for (const port of ['abc', '70000', '-1', '3.5', '65536', ' 80']) {
      const err = configError({ PORT: port, DATABASE_URL: PG_URL });
      expect(err.variable, port).toBe('PORT');
      expect(err.message, port).toMatch(/^PORT: /);
      expect(err.message).toContain(port);
    }
  });

  it('rejects other bad values, naming each variable', () => {
    expect(configError({ TONGBAN_MODE: 'prod' }).variable).toBe('TONGBAN_MODE');
    expect(configError({ LOG_LEVEL: 'verbose', DATABASE_URL: PG_URL }).variable).toBe('LOG_LEVEL');
    expect(configError({ TRUST_PROXY: 'maybe', DATABASE_URL: PG_URL }).variable).toBe('TRUST_PROXY');
    expect(configError({ DATABASE_POOL_SIZE: '0', DATABASE_URL: PG_URL }).variable).toBe('DATABASE_POOL_SIZE');
    expect(configError({ DATABASE_PREPARED_STATEMENTS: 'sometimes', DATABASE_URL: PG_URL }).variable).toBe('DATABASE_PREPARED_STATEMENTS');
    expect(configError({ HOST: 'bad host!', DATABASE_URL: PG_URL }).variable).toBe('HOST');
  });

  it('requires DATABASE_URL and SESSION_SECRET in production mode', () => {
    const noUrl = configError({ TONGBAN_MODE: 'production', SESSION_SECRET: SECRET });
    expect(noUrl.variable).toBe('DATABASE_URL');
    expect(noUrl.message).toMatch(/^DATABASE_URL: /);
    const noSecret = configError({ TONGBAN_MODE: 'production', DATABASE_URL: PG_URL });
    expect(noSecret.variable).toBe('SESSION_SECRET');
    expect(noSecret.message).toMatch(/^SESSION_SECRET: /);
    expect(configError({ TONGBAN_MODE: 'production', DATABASE_URL: PG_URL, SESSION_SECRET: '' }).variable).toBe('SESSION_SECRET');

    const config = loadConfig({ TONGBAN_MODE: 'production', DATABASE_URL: PG_URL, SESSION_SECRET: SECRET });
    expect(config).toMatchObject({ mode: 'production', sessionSecret: SECRET, secureCookies: true });
  });

  it('rejects a short SESSION_SECRET in any mode, without echoing it', () => {
    const short = 's3cr3t-'.padEnd(31, 'y');
    for (const mode of ['demo', 'production']) {
      const err = configError({ TONGBAN_MODE: mode, DATABASE_URL: PG_URL, SESSION_SECRET: short });
      expect(err.variable).toBe('SESSION_SECRET');
      expect(err.message).toContain('32');
      expect(err.message).not.toContain(short);
    }
    expect(loadConfig({ DATABASE_URL: PG_URL, SESSION_SECRET: 'z'.repeat(32) }).sessionSecret).toBe('z'.repeat(32));
  });

  it('rejects a DATABASE_URL that is not postgres://, without echoing it (it holds a password)', () => {
    for (const url of ['mysql://root:hunter2@db/tongban', 'db.internal:5432', 'file:///var/lib/tongban']) {
      const err = configError({ DATABASE_URL: url });
      expect(err.variable).toBe('DATABASE_URL');
      expect(err.message).not.toContain(url);
    }
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@h/db' }).databaseUrl).toBe('postgresql://u:p@h/db');
  });

  it('generates a demo secret once and keeps it in DATA_DIR across calls', () => {
    const dir = join(tempDir(), 'nested', 'data');
    const first = loadConfig({ DATA_DIR: dir }).sessionSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    const file = join(dir, 'session-secret');
    expect(readFileSync(file, 'utf8')).toBe(first);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATA_DIR: dir }).sessionSecret).toBe(first);
    expect(loadConfig({ DATA_DIR: tempDir() }).sessionSecret).not.toBe(first);
    // in memory, or with a server database, a fresh secret each time and no file
    expect(loadConfig({ DATA_DIR: 'memory://' }).sessionSecret).not.toBe(loadConfig({ DATA_DIR: 'memory://' }).sessionSecret);
  });
});

/*
 * Production mode refuses a database holding demo accounts. loadConfig insists on DATABASE_URL in
 * production, so without a PostgreSQL server this builds the production Config object by hand on
 * the embedded PGlite (everything else from loadConfig): startPlatform's check is the same code
 * whichever database is underneath. With TEST_DATABASE_URL set, the same is run through loadConfig
 * on the real server, in a schema of its own.
 */
describe('startPlatform in production mode', () => {
  const fast = { logger: false as const, passwordCost: 10 };

  it('refuses a database with demo accounts (embedded PGlite, hand-built production config)', async () => {
    const dir = tempDir();
    const demo = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', WEB_DIR: '/nonexistent' });
    const first = await startPlatform(demo, fast);
    expect(await first.services.identity.hasDemoAccounts()).toBe(true);
    await first.close();

    const production: Config = { ...demo, mode: 'production', sessionSecret: SECRET, secureCookies: true };
    await expect(startPlatform(production, fast)).rejects.toBeInstanceOf(StartupRefused);
    await expect(startPlatform(production, fast)).rejects.toThrow(/demo accounts/);

    // The refusal closed the database again: the folder opens fine afterwards.
    const reopened = await openDatabase({ dataDir: dir });
    expect(Number((await reopened.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).where('demo', '=', true).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0);
    await reopened.close();
  }, 120_000);

  it('starts on a fresh database, with the calendar but without any demo account', async () => {
    const production: Config = { ...loadConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent', WEB_DIR: '/nonexistent' }), mode: 'production', sessionSecret: SECRET };
    const platform = await startPlatform(production, fast);
    try {
      expect(await platform.services.identity.hasDemoAccounts()).toBe(false);
      expect((await platform.services.calendar.listYears()).map((y) => y.year)).toContain(2026);
      const login = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'Demo@2026' } });
      expect(login.statusCode).toBe(401);
    } finally {
      await platform.close();
    }
  }, 120_000);

  it.runIf(process.env.TEST_DATABASE_URL)('refuses demo accounts on a PostgreSQL server (TEST_DATABASE_URL)', async () => {
    const schema = `cfg_${randomBytes(6).toString('hex')}`;
    const admin = await openDatabase({ url: process.env.TEST_DATABASE_URL!, schema, poolSize: 1 });
    try {
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const env = { DATABASE_URL: url.toString(), SESSION_SECRET: SECRET, LOG_LEVEL: 'silent', WEB_DIR: '/nonexistent', DATABASE_POOL_SIZE: '2' };
      const demo = await startPlatform(loadConfig({ ...env, TONGBAN_MODE: 'demo' }), fast);
      expect(await demo.services.identity.hasDemoAccounts()).toBe(true);
      await demo.close();
      // the platform wrote into our schema (search_path passed through the URL), not into public
      const inSchema = await admin.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).where('demo', '=', true).executeTakeFirstOrThrow();
      expect(Number(inSchema.n)).toBeGreaterThan(0);
      await expect(startPlatform(loadConfig({ ...env, TONGBAN_MODE: 'production' }), fast)).rejects.toBeInstanceOf(StartupRefused);
    } finally {
      const { sql } = await import('kysely');
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin.db);
      await admin.close();
    }
  }, 120_000);
});

describe('e-license settings', () => {
  it('derive the seal key from the session secret unless set, and check SEAL_KEY, SEAL_KEY_PREVIOUS and PUBLIC_BASE_URL', () => {
    const base = { TONGBAN_MODE: 'demo', DATA_DIR: 'memory://', SESSION_SECRET: SECRET };
    const derived = loadConfig(base);
    expect(derived.sealKey).toHaveLength(43);
    expect(derived.sealKey).not.toBe(SECRET);
    expect(loadConfig(base).sealKey).toBe(derived.sealKey);
    expect(loadConfig({ ...base, SEAL_KEY: 'k'.repeat(32) }).sealKey).toBe('k'.repeat(32));
    expect(derived.sealKeyPrevious).toBeUndefined();
    expect(loadConfig({ ...base, SEAL_KEY_PREVIOUS: 'p'.repeat(32) }).sealKeyPrevious).toBe('p'.repeat(32));
    expect(configError({ ...base, SEAL_KEY: 'short' }).message).toBe('SEAL_KEY: expected at least 32 characters, got "(hidden)"');
    expect(configError({ ...base, SEAL_KEY_PREVIOUS: 'short' }).variable).toBe('SEAL_KEY_PREVIOUS');
    expect(derived.publicBaseUrl).toBe('http://localhost:3000');
    expect(loadConfig({ ...base, PUBLIC_BASE_URL: 'https://zwfw.example.gov.cn/' }).publicBaseUrl).toBe('https://zwfw.example.gov.cn');
    expect(configError({ ...base, PUBLIC_BASE_URL: 'ftp://x' }).variable).toBe('PUBLIC_BASE_URL');
    expect(configError({ ...base, PUBLIC_BASE_URL: 'https://x/?q=1' }).variable).toBe('PUBLIC_BASE_URL');
  });
});
