import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Compilable, type OperationNodeSource, type QueryCreator, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { pglitePool } from './pglite-pool.js';
import { preparingClient } from './prepared.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or a transaction on it: store functions accept both. */
export type Executor = Db | Tx;

/**
 * A data-modifying query made a WITH clause of another statement (it runs whether or not
 * anything reads it): a row that comes with a change, written by the change's own statement,
 * costs no round trip of its own.
 */
export type WriteInStatement = (db: QueryCreator<Database>) => OperationNodeSource & Compilable;

export interface DatabaseOptions {
  /** A PostgreSQL server; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite folder, or `memory://` for a throwaway in-memory database. */
  dataDir?: string;
  poolSize?: number;
  /** Server only: send parameterised statements as named prepared statements (default true; ADR 0016). */
  preparedStatements?: boolean;
  /** Server only: run everything inside this schema (tests give each file its own). */
  schema?: string;
  /**
   * PGlite only: a data folder dumped by `dumpDataDir` (a tar, optionally gzipped) to start from
   * when `dataDir` holds no database yet. Loading one takes a few hundred milliseconds where
   * creating a cluster (initdb) takes seconds (ADR 0001). A function is called only when needed.
   */
  template?: Blob | (() => Blob | undefined);
}

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** PGlite only: the data folder as an uncompressed tar, usable as another database's `template`. */
  dump?: () => Promise<Blob>;
  close(): Promise<void>;
}

// Dates stay 'YYYY-MM-DD' strings: a JavaScript Date would shift them by the process time zone.
// bigint columns (audit ids, revisions) fit in a double for any realistic table size.
const DATE_OID = 1082;
const INT8_OID = 20;

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const typeParsers = {
      getTypeParser(oid: number, format?: 'text' | 'binary') {
        if (oid === DATE_OID) return (value: string) => value;
        if (oid === INT8_OID) return (value: string) => Number(value);
        return pg.types.getTypeParser(oid, format);
      },
    };
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...(options.preparedStatements === false ? {} : { Client: preparingClient() }),
      types: typeParsers as pg.CustomTypesConfig,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    if (options.schema) {
      const client = await pool.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
      } finally {
        client.release();
      }
    }
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }

  const dataDir = options.dataDir ?? 'memory://';
  const fresh = dataDir.startsWith('memory://') || !existsSync(join(dataDir, 'PG_VERSION'));
  const template = !fresh ? undefined : typeof options.template === 'function' ? options.template() : options.template;
  const pglite = await PGlite.create({
    dataDir,
    ...(template ? { loadDataDir: template } : {}),
    parsers: { [DATE_OID]: (value: string) => value, [pgliteTypes.INT8]: (value: string) => Number(value) },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }) });
  return { db, kind: 'pglite', dump: () => pglite.dumpDataDir('none'), close: () => db.destroy() };
}
