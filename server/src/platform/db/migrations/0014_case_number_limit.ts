import { sql, type Kysely } from 'kysely';

/**
 * A case number has a 4-digit daily sequence, so an item takes at most 9,999 cases a day. The
 * limit is a constraint rather than a check after the counter moved: the number is taken inside
 * the filing statement (cases/application.ts `fileCase`), and a violated constraint undoes the
 * whole statement, counter included. NOT VALID: counters pushed past the limit by the old check
 * (which bumped, then refused) are left as they are; every later bump is checked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE case_sequences ADD CONSTRAINT case_sequences_daily_limit CHECK (last <= 9999) NOT VALID`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE case_sequences DROP CONSTRAINT IF EXISTS case_sequences_daily_limit`.execute(db);
}
