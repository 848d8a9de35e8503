import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { FileTable } from '../../platform/db/schema.js';

/** Every column but the bytes: listing and access checks never load content. */
const META = ['id', 'owner_id', 'media_type', 'size', 'sha256', 'original_name', 'created_at'] as const;

/*
 * The bytes cross the driver as hex text, turned into bytea by PostgreSQL's decode()/encode().
 * PGlite converts a bytea parameter or result one byte at a time in JavaScript (about 3 s for
 * 10 MiB each way); Buffer's hex codec and PostgreSQL's are native. The same SQL runs on a server.
 */

export function insertFile(db: Executor, row: Omit<Insertable<FileTable>, 'content'> & { content: Buffer }) {
  const { content, ...rest } = row;
  return db
    .insertInto('files')
    .values({ ...rest, content: sql<Buffer>`decode(${content.toString('hex')}, 'hex')` })
    .returning(META)
    .executeTakeFirstOrThrow();
}

export function findMeta(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('files').select(META).where('id', 'in', ids).execute();
}

export async function findContent(db: Executor, id: string): Promise<Buffer | undefined> {
  const row = await db.selectFrom('files').select(sql<string>`encode(content, 'hex')`.as('hex')).where('id', '=', id).executeTakeFirst();
  return row ? Buffer.from(row.hex, 'hex') : undefined;
}
