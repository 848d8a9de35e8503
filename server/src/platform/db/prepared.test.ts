/**
 * Named prepared statements on a PostgreSQL server (prepared.ts, ADR 0016): which statements are
 * prepared, the per-connection limit, a plan refused after a schema change, and the switch.
 * PostgreSQL only: PGlite has no pool of connections to prepare on.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from './database.js';
import { preparingClient } from './prepared.js';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('named prepared statements', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let admin: DatabaseHandle;

  beforeAll(async () => {
    admin = await openDatabase({ url, schema, poolSize: 1 });
    await sql`CREATE TABLE notes (id int PRIMARY KEY, text text NOT NULL)`.execute(admin.db);
    await sql`INSERT INTO notes VALUES (1, 'one'), (2, 'two'), (3, 'three')`.execute(admin.db);
  });
  afterAll(async () => {
    await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin.db);
    await admin.close();
  });

  /** One connection of the given client class, in the test's schema, as Kysely holds one: (text, values) answered by a promise. */
  async function oneConnection(Client: typeof pg.Client): Promise<pg.PoolClient & { close(): Promise<void> }> {
    const pool = new pg.Pool({ connectionString: url, max: 1, Client, options: `-c search_path=${schema}` });
    const client = await pool.connect();
    return Object.assign(client, { close: async () => { client.release(); await pool.end(); } });
  }
  const preparedOf = async (client: pg.PoolClient) =>
    (await client.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY statement')).rows.map((r) => r.statement);

  it('prepares a parameterised statement once per connection and answers as before', async () => {
    const pool = await oneConnection(preparingClient());
    try {
      const select = 'SELECT text FROM notes WHERE id = $1';
      for (const id of [1, 2, 3, 1]) {
        const { rows } = await pool.query(select, [id]);
        expect(rows).toEqual([{ text: ['one', 'two', 'three'][id - 1] }]);
      }
      await pool.query('SELECT count(*) FROM notes');
      // the one parameterised statement, once; the statement without parameters is not kept
      expect(await preparedOf(pool)).toEqual([select]);
    } finally {
      await pool.close();
    }
  });

  it('prepares no more than the limit on one connection; the rest still run, unnamed', async () => {
    const pool = await oneConnection(preparingClient(2));
    try {
      const statements = ['SELECT text FROM notes WHERE id = $1', 'SELECT id FROM notes WHERE text = $1', 'SELECT id, text FROM notes WHERE id > $1 ORDER BY id'];
      expect((await pool.query(statements[0]!, [2])).rows).toEqual([{ text: 'two' }]);
      expect((await pool.query(statements[1]!, ['three'])).rows).toEqual([{ id: 3 }]);
      expect((await pool.query(statements[2]!, [1])).rows).toEqual([{ id: 2, text: 'two' }, { id: 3, text: 'three' }]);
      expect((await pool.query(statements[2]!, [2])).rows).toEqual([{ id: 3, text: 'three' }]);
      // two, not three: the third went unnamed
      expect(await preparedOf(pool)).toEqual([statements[1], statements[0]].sort());
    } finally {
      await pool.close();
    }
  });

  it('a statement the server refuses to parse takes no slot of the limit', async () => {
    const pool = await oneConnection(preparingClient(1));
    try {
      await expect(pool.query('SELECT nothing_here FROM notes WHERE id = $1', [1])).rejects.toMatchObject({ code: '42703' });
      const select = 'SELECT text FROM notes WHERE id = $1';
      expect((await pool.query(select, [1])).rows).toEqual([{ text: 'one' }]);
      expect(await preparedOf(pool)).toEqual([select]);
    } finally {
      await pool.close();
    }
  });

  it('a plan refused after a schema change fails once, then the statement runs unnamed', async () => {
    const pool = await oneConnection(preparingClient());
    try {
      await sql`CREATE TABLE changing (id int PRIMARY KEY)`.execute(admin.db);
      await sql`INSERT INTO changing VALUES (1)`.execute(admin.db);
      const select = 'SELECT * FROM changing WHERE id = $1';
      expect((await pool.query(select, [1])).rows).toEqual([{ id: 1 }]);
      await sql`ALTER TABLE changing ADD COLUMN label text NOT NULL DEFAULT 'x'`.execute(admin.db);
      await expect(pool.query(select, [1])).rejects.toMatchObject({ code: '0A000' });
      expect((await pool.query(select, [1])).rows).toEqual([{ id: 1, label: 'x' }]);
      expect((await pool.query(select, [1])).rows).toEqual([{ id: 1, label: 'x' }]);
    } finally {
      await pool.close();
    }
  });

  it('the switch off leaves every statement unnamed', async () => {
    const handle = await openDatabase({ url, schema, poolSize: 1, preparedStatements: false });
    try {
      await handle.db.selectFrom('notes' as never).select(sql`text`.as('text')).where(sql.ref('id'), '=', 2).execute();
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE ${'%notes%'}`.execute(handle.db);
      expect(rows[0]!.n).toBe(0);
    } finally {
      await handle.close();
    }
  });

  it('on by default: the pool a server opens prepares what Kysely sends', async () => {
    const handle = await openDatabase({ url, schema, poolSize: 1 });
    try {
      const found = await handle.db.selectFrom('notes' as never).select(sql`text`.as('text')).where(sql.ref('id'), '=', 3).execute();
      expect(found).toEqual([{ text: 'three' }]);
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE ${'%"notes"%'}`.execute(handle.db);
      expect(rows[0]!.n).toBe(1);
    } finally {
      await handle.close();
    }
  });
});
