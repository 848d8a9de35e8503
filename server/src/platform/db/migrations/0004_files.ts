import { sql, type Kysely } from 'kysely';

/**
 * Uploaded files (application materials, scans, attachments). The bytes live in the row: one
 * database to back up and replicate, and the size limit (see modules/files) keeps rows small
 * enough for PostgreSQL's TOAST storage. The media type is sniffed from the content at upload.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE files (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      owner_id uuid NOT NULL REFERENCES users(id),
      media_type text NOT NULL,
      size integer NOT NULL CHECK (size > 0),
      sha256 text NOT NULL,
      original_name text NOT NULL,
      content bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX files_owner ON files (owner_id, created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS files`.execute(db);
}
