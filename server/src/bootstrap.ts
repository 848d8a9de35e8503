import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config } from './platform/config/config.js';
import { openDatabase, type DatabaseHandle } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { SYSTEM_ACTOR } from './platform/audit/audit.js';
import { buildApp, type BuildOptions, type Services } from './app.js';
import type { App } from './platform/http/types.js';
import { chineseDaysYears } from './modules/calendar/chinese-days-source.js';
import { seedDemo } from './modules/demo/seed.js';

export class StartupRefused extends Error {}

/**
 * Loads every year chinese-days covers that the calendar does not have yet. Reference data, not
 * demo data: production gets it too. Years already present (perhaps corrected by an admin) stay.
 */
export async function seedCalendar(services: Services): Promise<number> {
  const have = new Set((await services.calendar.listYears()).map((y) => y.year));
  let loaded = 0;
  for (const year of chineseDaysYears()) {
    if (have.has(year.year)) continue;
    await services.calendar.loadYear(SYSTEM_ACTOR, year);
    loaded++;
  }
  return loaded;
}

/**
 * An empty, migrated PGlite data folder dumped at build time (scripts/build-db-template.mjs) next
 * to the compiled server: a first start loads it instead of running initdb, seconds faster. Absent
 * when running from sources; then the folder is created the ordinary way.
 */
const START_TEMPLATE = fileURLToPath(new URL('../pglite-template.tar', import.meta.url));

function startTemplate(): Blob | undefined {
  return existsSync(START_TEMPLATE) ? new Blob([readFileSync(START_TEMPLATE)]) : undefined;
}

export interface Platform {
  app: App;
  services: Services;
  database: DatabaseHandle;
  close(): Promise<void>;
}

/** Opens the database, migrates, seeds what the mode calls for, and builds the app (not listening yet). */
export async function startPlatform(config: Config, options: Partial<BuildOptions> = {}): Promise<Platform> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, preparedStatements: config.databasePreparedStatements, template: startTemplate });
  try {
    await migrateToLatest(database.db);
    const { app, services } = await buildApp({ config, db: database.db, ...options });
    // Refuse before writing anything: a production start must not touch a database holding demo accounts.
    if (config.mode === 'production' && (await services.identity.hasDemoAccounts())) {
      throw new StartupRefused('TONGBAN_MODE=production: demo accounts are present in this database; remove them (or use a fresh database) before starting in production');
    }
    await seedCalendar(services);
    if (config.mode === 'demo') await seedDemo(database.db, services);
    // seal keys still wrapped under the previous SEAL_KEY are rewrapped under the current one
    if (config.sealKeyPrevious) await services.licenses.rewrapSealKeys();
    return {
      app,
      services,
      database,
      async close() {
        await app.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
