import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient } from 'kysely';

/**
 * Presents one in-process PGlite database as a pg-style pool of a single connection, so Kysely's own
 * PostgresDialect (and its query compiler, adapter and migration lock) run unchanged on both
 * backends. A pool of one is what PGlite is: a transaction must hold the connection exclusively or
 * statements from concurrent requests would run inside it.
 */
export function pglitePool(pglite: PGlite): PostgresPool {
  let busy = false;
  const waiting: Array<(client: PostgresPoolClient) => void> = [];

  const client: PostgresPoolClient = {
    async query(sql: string, parameters: ReadonlyArray<unknown>) {
      const result = await pglite.query<Record<string, unknown>>(sql, parameters as unknown[]);
      // Kysely reads affected rows only for these commands; PGlite reports a count for every
      // statement, so naming it UPDATE passes the count through unchanged.
      return { command: 'UPDATE', rowCount: result.affectedRows ?? 0, rows: result.rows };
    },
    release() {
      const next = waiting.shift();
      if (next) next(client);
      else busy = false;
    },
  } as PostgresPoolClient;

  return {
    connect() {
      if (!busy) {
        busy = true;
        return Promise.resolve(client);
      }
      return new Promise((resolveClient) => waiting.push(resolveClient));
    },
    async end() {
      await pglite.close();
    },
  };
}
