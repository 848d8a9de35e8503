import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Config } from '../src/platform/config/config.js';
import { TEST_PASSWORD_COST, testConfig, type TemplateKind } from './templates.js';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { buildApp, type Services } from '../src/app.js';
import { seedCalendar } from '../src/bootstrap.js';
import { DEMO_ENTERPRISE, DEMO_PASSWORD, DEMO_PERSON, seedDemo } from '../src/modules/demo/seed.js';
import type { App } from '../src/platform/http/types.js';

export interface TestPlatform {
  app: App;
  services: Services;
  database: DatabaseHandle;
  config: Config;
  close(): Promise<void>;
}

/**
 * The suite runs on PGlite, or on the server named by TEST_DATABASE_URL, in a schema of its own per
 * file. On PGlite the database starts from the template the global setup built for the same
 * options (templates.ts): already migrated, with the calendar and the demo city when asked for.
 */
export async function createTestPlatform(options: { demo?: boolean; calendar?: boolean } = {}): Promise<TestPlatform> {
  const url = process.env.TEST_DATABASE_URL;
  const schema = url ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const kind: TemplateKind = options.calendar === false ? 'bare' : options.demo === false ? 'calendar' : 'demo';
  const templatePath = url ? undefined : inject('pgliteTemplates')?.[kind];
  const template = templatePath ? new Blob([readFileSync(templatePath)]) : undefined;
  const database = await openDatabase(url ? { url, schema, poolSize: 5 } : { dataDir: 'memory://', template });
  await migrateToLatest(database.db);
  const config = testConfig();
  const { app, services } = await buildApp({ config, db: database.db, logger: false, passwordCost: TEST_PASSWORD_COST });
  // what the template holds, seeded here when there is none (a PostgreSQL run)
  if (!template && kind !== 'bare') await seedCalendar(services);
  if (!template && kind === 'demo') await seedDemo(database.db, services);
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

/** The demo city's users (modules/demo/seed.ts) by the names tests give their sessions. */
const DEMO_USERS = {
  person: DEMO_PERSON.idNumber,
  enterprise: DEMO_ENTERPRISE.creditCode,
  clerk: 'clerk',
  approver: 'approver',
  deptAdmin: 'deptadmin',
  supervisor: 'supervisor',
  admin: 'admin',
} as const;
export type DemoUser = keyof typeof DEMO_USERS;

/** Signs in demo users one after another: `({ person, clerk } = await loginAll(app, ['person', 'clerk']))`. */
export async function loginAll<K extends DemoUser>(app: App, users: readonly K[]): Promise<Record<K, Session>> {
  const sessions = {} as Record<K, Session>;
  for (const user of users) sessions[user] = await login(app, DEMO_USERS[user]);
  return sessions;
}

/** A problem+json answer's field errors as sorted `field:code` pairs. */
export function errorFields(res: { json(): unknown }): string[] {
  return ((res.json() as { errors?: Array<{ field: string; code: string }> }).errors ?? []).map((e) => `${e.field}:${e.code}`).sort();
}

/** Injects as a signed-in browser: session cookie plus the CSRF header on writes. */
export function as(app: App, session: Session | null, options: InjectOptions): Promise<LightMyRequestResponse> {
  if (!session) return app.inject(options);
  return app.inject({ ...options, headers: { ...(options.headers ?? {}), cookie: session.cookie, 'x-csrf-token': session.csrf } });
}
