import { sql, Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './database.js';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_catalog.js';
import * as m0003 from './migrations/0003_data_sharing.js';
import * as m0004 from './migrations/0004_files.js';
import * as m0005 from './migrations/0005_events.js';
import * as m0006 from './migrations/0006_cases.js';
import * as m0007 from './migrations/0007_licenses.js';
import * as m0008 from './migrations/0008_quality.js';
import * as m0010 from './migrations/0010_rules.js';
import * as m0011 from './migrations/0011_quality_settings.js';
import * as m0009 from './migrations/0009_supervision.js';
import * as m0012 from './migrations/0012_owed_reminders.js';
import * as m0014 from './migrations/0014_case_number_limit.js';

/**
 * Migrations are listed here rather than read from a folder so the same list works from sources
 * (tsx, tests) and from the compiled build. Names sort in the order they must run.
 */
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_catalog': m0002,
  '0003_data_sharing': m0003,
  '0004_files': m0004,
  '0005_events': m0005,
  '0006_cases': m0006,
  '0007_licenses': m0007,
  '0008_quality': m0008,
  '0010_rules': m0010,
  '0009_supervision': m0009,
  '0011_quality_settings': m0011,
  '0012_owed_reminders': m0012,
  '0014_case_number_limit': m0014,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Runs pending migrations; Kysely takes a PostgreSQL advisory lock so several instances may call it
 * at once. The migration tables are looked for in the connection's own schema: without naming it,
 * Kysely takes a table of that name in ANY schema as present, so a database holding several
 * Tongban schemas (the test suite's one per file) would skip creating them and then fail.
 */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
  const migrator = new Migrator({ db, provider, migrationTableSchema: rows[0]!.schema });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
