import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './platform/config/config.js';
import { openDatabase } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { SYSTEM_ACTOR, verifyAuditChain } from './platform/audit/audit.js';
import { AppError, problemMessage } from './platform/http/errors.js';
import { createServices, type Services } from './app.js';
import { seedCalendar } from './bootstrap.js';
import { seedDemo } from './modules/demo/seed.js';
import type { YearInput } from './modules/calendar/schemas.js';
import type { Db } from './platform/db/database.js';

const USAGE = `tongban <command> [options]

Commands:
  migrate                               run pending database migrations
  seed-demo                             seed the demo city (demo mode only, empty database)
  create-admin --username U --name N    create a system administrator; password from --password or
      [--password P] [--department-id ID]        TONGBAN_ADMIN_PASSWORD; on an empty database also pass
      [--region-code C --region-name N --department-name N --department-credit-code C]
  verify-audit                          verify the audit log hash chain; exit 1 naming the first broken row
  verify-sharing-log                    verify the data-sharing access log (every chain and its head);
                                        exit 1 naming the first broken entry
  calendar import FILE                  load years from JSON (one year or an array, as exported)
  calendar export YEAR [--out FILE]     print or write one year as JSON
  calendar seed                         load every year chinese-days covers that is missing

The database comes from the same environment as the server (DATABASE_URL or DATA_DIR).`;

async function withServices<T>(config: Config, run: (db: Db, services: Services) => Promise<T>): Promise<T> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrateToLatest(database.db);
    return await run(database.db, createServices(database.db, config));
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      'department-id': { type: 'string' },
      'region-code': { type: 'string' },
      'region-name': { type: 'string' },
      'department-name': { type: 'string' },
      'department-credit-code': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, arg] = positionals;
  if (!command || values.help) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const config = loadConfig();

  switch (command) {
    case 'migrate': {
      const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
      try {
        const result = await migrateToLatest(database.db);
        const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'seed-demo': {
      if (config.mode !== 'demo') {
        console.error('seed-demo: refused outside demo mode (TONGBAN_MODE=demo)');
        return 1;
      }
      return withServices(config, async (db, services) => {
        await seedCalendar(services);
        console.log((await seedDemo(db, services)) ? 'demo city seeded' : 'database is not empty: nothing seeded');
        return 0;
      });
    }
    case 'create-admin': {
      const password = values.password ?? process.env.TONGBAN_ADMIN_PASSWORD;
      if (!values.username || !values.name || !password) {
        console.error('create-admin: --username, --name and --password (or TONGBAN_ADMIN_PASSWORD) are required');
        return 2;
      }
      return withServices(config, async (_db, services) => {
        let departmentId = values['department-id'];
        if (!departmentId) {
          const regionCode = values['region-code'];
          if (!regionCode || !values['department-name'] || !values['department-credit-code']) {
            console.error('create-admin: give --department-id, or --region-code, --department-name and --department-credit-code');
            return 2;
          }
          const regions = await services.org.listRegions();
          if (!regions.some((r) => r.code === regionCode)) {
            await services.org.createRegion(SYSTEM_ACTOR, { code: regionCode, name: values['region-name'] ?? regionCode, level: 'city', parentCode: null });
          }
          const department = await services.org.createDepartment(SYSTEM_ACTOR, {
            name: values['department-name'],
            creditCode: values['department-credit-code'],
            regionCode,
          });
          departmentId = department.id;
        }
        const admin = await services.identity.createAdmin({ username: values.username!, name: values.name!, password, departmentId });
        console.log(`system administrator created: ${admin.username} (${admin.id})`);
        return 0;
      });
    }
    case 'verify-audit':
      return withServices(config, async (db) => {
        const result = await verifyAuditChain(db);
        if (result.ok) {
          console.log(`audit chain intact: ${result.checked} rows verified`);
          return 0;
        }
        console.error(`audit chain broken at row ${result.firstBrokenId} (${result.reason}); ${result.checked} rows before it verified`);
        return 1;
      });
    case 'verify-sharing-log':
      return withServices(config, async (_db, services) => {
        const started = performance.now();
        const result = await services.sharing.verifyLog();
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        if (result.ok) {
          console.log(`sharing access log intact: ${result.checked} entries in ${result.chains} chains verified (${seconds} s)`);
          return 0;
        }
        const where = result.firstBrokenId !== undefined ? `entry ${result.firstBrokenId}` : 'the head';
        console.error(`sharing access log broken at ${where} of chain ${result.chain} (${result.reason}); ${result.checked} entries before it verified`);
        return 1;
      });
    case 'calendar':
      return withServices(config, async (_db, services) => {
        if (sub === 'import' && arg) {
          const parsed = JSON.parse(readFileSync(arg, 'utf8')) as YearInput | YearInput[];
          for (const year of Array.isArray(parsed) ? parsed : [parsed]) {
            await services.calendar.loadYear(SYSTEM_ACTOR, year);
            console.log(`loaded ${year.year}: ${year.holidays.length} holidays, ${year.workdays.length} make-up working days`);
          }
          return 0;
        }
        if (sub === 'export' && arg && /^\d{4}$/.test(arg)) {
          const json = JSON.stringify(await services.calendar.exportYear(Number(arg)), null, 2);
          if (values.out) writeFileSync(values.out, `${json}\n`);
          else console.log(json);
          return 0;
        }
        if (sub === 'seed') {
          console.log(`loaded ${await seedCalendar(services)} years from chinese-days`);
          return 0;
        }
        console.error(USAGE);
        return 2;
      });
    default:
      console.error(`unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`configuration: ${err.message}`);
  } else if (err instanceof AppError) {
    const fields = err.fieldErrors.map((f) => `${f.field}: ${f.code}`).join('; ');
    console.error(`${problemMessage(err.code, 'zh', err.params)}${fields ? ` (${fields})` : ''}`);
  } else {
    console.error(err instanceof Error ? err.message : err);
  }
  process.exitCode = 1;
}
