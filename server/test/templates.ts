import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type Config } from '../src/platform/config/config.js';
import { openDatabase } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { buildApp } from '../src/app.js';
import { seedCalendar } from '../src/bootstrap.js';
import { seedDemo } from '../src/modules/demo/seed.js';

/**
 * Pre-built PGlite databases for the test suite. Creating a PGlite cluster (initdb) and seeding the
 * demo city take seconds, and every test file needs a fresh database; loading a dumped data
 * folder takes a few hundred milliseconds. The global setup builds the three starting points once
 * per run, on one database in sequence (bare → calendar → demo), and each file loads the one it asks
 * for.
 */
export type TemplateKind = 'bare' | 'calendar' | 'demo';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Paths of the templates by kind; null when the suite runs on a PostgreSQL server. */
    pgliteTemplates: Record<TemplateKind, string> | null;
  }
}

/** Fixed for the suite so that anything derived from it (sharing subject HMACs) matches the templates. */
export const TEST_SESSION_SECRET = 'tongban-test-suite-session-secret-0123456789';

export function testConfig(): Config {
  return loadConfig({ TONGBAN_MODE: 'demo', DATA_DIR: 'memory://', LOG_LEVEL: 'silent', WEB_DIR: '/nonexistent', SESSION_SECRET: TEST_SESSION_SECRET });
}

/** Test-only scrypt cost (the production default is 15). */
export const TEST_PASSWORD_COST = 10;

export async function buildTemplates(folder: string): Promise<Record<TemplateKind, string>> {
  mkdirSync(folder, { recursive: true });
  const database = await openDatabase({ dataDir: 'memory://' });
  const paths = {} as Record<TemplateKind, string>;
  const save = async (kind: TemplateKind) => {
    const path = join(folder, `${kind}.tar`);
    writeFileSync(path, new Uint8Array(await (await database.dump!()).arrayBuffer()));
    paths[kind] = path;
  };
  try {
    await migrateToLatest(database.db);
    await save('bare');
    const { app, services } = await buildApp({ config: testConfig(), db: database.db, logger: false, passwordCost: TEST_PASSWORD_COST });
    await seedCalendar(services);
    await save('calendar');
    await seedDemo(database.db, services);
    await save('demo');
    await app.close();
  } finally {
    await database.close();
  }
  return paths;
}
