/**
 * Starting PGlite from a dumped template (the build's pglite-template.tar, the suite's templates):
 * a new data folder starts from it; a folder that already holds a database is opened as it is,
 * so a restart never puts the template over the data, and the template is not even read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './database.js';

const notes = async (db: Db) => (await sql<{ text: string }>`SELECT text FROM notes ORDER BY id`.execute(db)).rows.map((r) => r.text);

describe.skipIf(!!process.env.TEST_DATABASE_URL)('a PGlite template', () => {
  let folder: string;
  let template: Blob;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'tongban-db-'));
    const source = await openDatabase({ dataDir: 'memory://' });
    await sql`CREATE TABLE notes (id serial PRIMARY KEY, text text NOT NULL)`.execute(source.db);
    await sql`INSERT INTO notes (text) VALUES ('from the template')`.execute(source.db);
    template = await source.dump!();
    await source.close();
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('starts a new folder, and is not read again when the folder is reopened', async () => {
    const dataDir = join(folder, 'data');
    let reads = 0;
    const read = () => {
      reads += 1;
      return template;
    };
    const first = await openDatabase({ dataDir, template: read });
    expect(await notes(first.db)).toEqual(['from the template']);
    await sql`INSERT INTO notes (text) VALUES ('written after the start')`.execute(first.db);
    await first.close();
    expect(reads).toBe(1);

    const restarted = await openDatabase({ dataDir, template: read });
    expect(await notes(restarted.db)).toEqual(['from the template', 'written after the start']);
    await restarted.close();
    expect(reads).toBe(1);
  });
});
