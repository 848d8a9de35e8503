/**
 * The databases benchmarks run on.
 *
 * - `openBenchDatabase()`: one database. BENCH_DATABASE_URL if set (in a schema of its own, dropped
 *   after); otherwise a throwaway PostgreSQL started with scripts/test-postgres.sh (fsync and
 *   synchronous_commit off; as the `postgres` user when we are root); otherwise PGlite in memory.
 *   BENCH_DB=pglite forces PGlite.
 * - `eachBenchDatabase(run)`: PGlite, then PostgreSQL (BENCH_DATABASE_URL or a throwaway server),
 *   one after the other in the same run, for benches whose targets are stated for both.
 *   BENCH_DB=pglite runs PGlite only, BENCH_DB=postgres PostgreSQL only.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../server/src/platform/db/database.js';

const here = dirname(fileURLToPath(import.meta.url));
/** As the server's setting of the same name: DATABASE_PREPARED_STATEMENTS=false compares without them. */
const preparedStatements = process.env.DATABASE_PREPARED_STATEMENTS !== 'false';

export type BenchDatabaseKind = 'pglite' | 'postgres';

export interface BenchDatabase {
  handle: DatabaseHandle;
  kind: BenchDatabaseKind;
  /** For the notes: which database, which server version. */
  label: string;
  /** PostgreSQL only: where it is, for a bench that opens a raw `pg` client beside the pool. */
  connection?: { url: string; schema?: string };
  /** Closes the handle, drops the schema or stops the throwaway server. */
  stop(): Promise<void>;
}

export interface BenchDatabaseOptions {
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

export interface ThrowawayPostgres {
  url: string;
  /** Stops the server and deletes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts a throwaway PostgreSQL through scripts/test-postgres.sh. Resolves null (and says why on
 * stderr) when no server can be started here: no binaries, no `postgres` user.
 */
export function throwawayPostgres(): Promise<ThrowawayPostgres | null> {
  const script = join(here, '..', 'scripts', 'test-postgres.sh');
  // The shell keeps the server up until its stdin closes; its EXIT trap stops the server and deletes the folder.
  const child = spawn('bash', ['-c', `source '${script}'; trap pg_throwaway_stop EXIT; pg_throwaway_start >&2 || exit 1; echo "URL=$PG_THROWAWAY_URL"; read -r _`], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve) => {
    let log = '';
    let started = false;
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('URL=')) return;
      started = true;
      resolve({
        url: line.slice(4),
        stop: async () => {
          child.stdin.end('\n');
          await exited;
        },
      });
    });
    void exited.then(() => {
      if (started) return;
      if (log.trim()) console.error(`(no throwaway PostgreSQL: ${log.trim().split('\n').at(-1)})`);
      resolve(null);
    });
  });
}

async function serverVersion(handle: DatabaseHandle): Promise<string> {
  return (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(handle.db)).rows[0]!.v;
}

export async function openPglite(): Promise<BenchDatabase> {
  const handle = await openDatabase({ dataDir: 'memory://' });
  return { handle, kind: 'pglite', label: 'PGlite (in memory)', stop: () => handle.close() };
}

/** BENCH_DATABASE_URL (a fresh schema) or a throwaway server; null when neither can be had. */
export async function openPostgres(options: BenchDatabaseOptions = {}): Promise<BenchDatabase | null> {
  const poolSize = options.poolSize ?? 10;
  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const handle = await openDatabase({ url, schema, poolSize, preparedStatements });
    return {
      handle,
      kind: 'postgres',
      label: `PostgreSQL ${await serverVersion(handle)} (BENCH_DATABASE_URL)`,
      connection: { url, schema },
      stop: async () => {
        await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(handle.db);
        await handle.close();
      },
    };
  }
  const server = await throwawayPostgres();
  if (!server) return null;
  const handle = await openDatabase({ url: server.url, poolSize, preparedStatements });
  return {
    handle,
    kind: 'postgres',
    label: `PostgreSQL ${await serverVersion(handle)} (throwaway, fsync off)`,
    connection: { url: server.url },
    stop: async () => {
      await handle.close();
      await server.stop();
    },
  };
}

/** One database: PostgreSQL when one can be had (unless BENCH_DB=pglite), else PGlite. */
export async function openBenchDatabase(options: BenchDatabaseOptions = {}): Promise<BenchDatabase> {
  if (process.env.BENCH_DB !== 'pglite') {
    const postgres = await openPostgres(options);
    if (postgres) return postgres;
  }
  return openPglite();
}

/**
 * Runs `run` on PGlite, then on PostgreSQL, each database stopped before the next opens (they
 * never compete for the machine). The answer lists the databases actually run: PostgreSQL is
 * missing when none could be had (the caller says so in its notes).
 */
export async function eachBenchDatabase<T>(run: (database: BenchDatabase) => Promise<T>, options: BenchDatabaseOptions = {}): Promise<Array<{ database: BenchDatabase; result: T }>> {
  const only = process.env.BENCH_DB;
  const openers: Array<() => Promise<BenchDatabase | null>> = [];
  if (only !== 'postgres') openers.push(openPglite);
  if (only !== 'pglite') openers.push(() => openPostgres(options));
  const results: Array<{ database: BenchDatabase; result: T }> = [];
  for (const open of openers) {
    const database = await open();
    if (!database) continue;
    try {
      results.push({ database, result: await run(database) });
    } finally {
      await database.stop();
    }
  }
  return results;
}
