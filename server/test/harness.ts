import { randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../src/platform/config/config.js';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { buildApp, type Services } from '../src/app.js';
import { seedCalendar } from '../src/bootstrap.js';
import { DEMO_PASSWORD, seedDemo } from '../src/modules/demo/seed.js';
import type { App } from '../src/platform/http/types.js';

export interface TestPlatform {
  app: App;
  services: Services;
  database: DatabaseHandle;
  config: Config;
  close(): Promise<void>;
}

/** The suite runs on PGlite, or on the server named by TEST_DATABASE_URL, in a schema of its own per file. */
export async function createTestPlatform(options: { demo?: boolean; calendar?: boolean } = {}): Promise<TestPlatform> {
  const url = process.env.TEST_DATABASE_URL;
  const schema = url ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const database = await openDatabase(url ? { url, schema, poolSize: 5 } : { dataDir: 'memory://' });
  await migrateToLatest(database.db);
  const config = loadConfig({ TONGBAN_MODE: 'demo', DATA_DIR: 'memory://', LOG_LEVEL: 'silent', WEB_DIR: '/nonexistent' });
  const { app, services } = await buildApp({ config, db: database.db, logger: false, passwordCost: 10 });
  if (options.calendar !== false) await seedCalendar(services);
  if (options.demo !== false) await seedDemo(database.db, services);
  await app.ready();
  return {
    app,
    services,
    database,
    config,
    async close() {
      await app.close();
      if (schema) {
        const { sql } = await import('kysely');
        await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(database.db);
      }
      await database.close();
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
  user: { id: string; name: string; roles: string[]; departmentId?: string };
}

export async function login(app: App, username: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const body = res.json() as { csrfToken: string; user: Session['user'] };
  return { cookie, csrf: body.csrfToken, user: body.user };
}

/** Injects as a signed-in browser: session cookie plus the CSRF header on writes. */
export function as(app: App, session: Session | null, options: InjectOptions): Promise<LightMyRequestResponse> {
  if (!session) return app.inject(options);
  return app.inject({ ...options, headers: { ...(options.headers ?? {}), cookie: session.cookie, 'x-csrf-token': session.csrf } });
}
