import { sql, type Kysely } from 'kysely';

/**
 * Reminders of materials owed under 容缺受理: one row per case and kind (due today, overdue) once
 * its reminder is sent. The primary key is the claim: a sweep inserts the row with ON CONFLICT DO
 * NOTHING in the transaction that records the reminder's event, so with several instances
 * sweeping at once each reminder is sent by exactly one of them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE case_owed_reminders (
      case_id uuid NOT NULL REFERENCES cases(id),
      kind text NOT NULL CHECK (kind IN ('due','overdue')),
      sent_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (case_id, kind)
    )`.execute(db);
  // the sweep's look-up: materials still owed, by due date
  await sql`CREATE INDEX case_materials_owed_due ON case_materials (owed_due, case_id) WHERE owed AND supplied_at IS NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS case_materials_owed_due`.execute(db);
  await sql`DROP TABLE IF EXISTS case_owed_reminders`.execute(db);
}
