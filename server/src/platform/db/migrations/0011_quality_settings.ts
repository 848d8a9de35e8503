import { sql, type Kysely } from 'kysely';

/**
 * Service quality, second step (issue 7, ADR 0015): the administrator's overrides of the quality
 * settings (defaults come from the environment), recorded hall visits that are rated afterwards
 * (and defaulted like cases), the applicant's confirmation deadline on a reported rectification
 * with the outcome `unconfirmed`, and the watermarks of the two new default sweeps.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // one row per overridden setting: a setting without a row takes its environment default
  await sql`
    CREATE TABLE quality_settings (
      key text PRIMARY KEY,
      value integer NOT NULL,
      updated_by uuid,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE hall_visits (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      hall_id uuid NOT NULL,
      hall_window text NOT NULL,
      department_id uuid NOT NULL,
      region_path text NOT NULL,
      region_code text NOT NULL,
      staff_id uuid NOT NULL,
      staff_name text NOT NULL,
      item_code text,
      item_name text,
      visited_at timestamptz NOT NULL,
      code_hash text NOT NULL,
      visitor_user_id uuid REFERENCES users(id)
    )`.execute(db);
  await sql`CREATE INDEX hall_visits_visited ON hall_visits (visited_at)`.execute(db);

  await sql`ALTER TABLE rectifications ADD COLUMN confirm_due_on date`.execute(db);
  await sql`ALTER TABLE rectifications DROP CONSTRAINT IF EXISTS rectifications_outcome_check`.execute(db);
  await sql`ALTER TABLE rectifications ADD CONSTRAINT rectifications_outcome_check CHECK (outcome IN ('rectified','appeal_upheld','unconfirmed'))`.execute(db);
  await sql`CREATE INDEX rectifications_confirm_due ON rectifications (confirm_due_on) WHERE status = 'reported'`.execute(db);

  await sql`CREATE INDEX tickets_answered ON tickets (answered_at) WHERE answered_at IS NOT NULL AND applicant_user_id IS NOT NULL`.execute(db);
  await sql`INSERT INTO quality_sweeps (name) VALUES ('default_ticket_ratings'), ('default_hall_visit_ratings')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM quality_sweeps WHERE name IN ('default_ticket_ratings', 'default_hall_visit_ratings')`.execute(db);
  await sql`DROP INDEX IF EXISTS tickets_answered`.execute(db);
  await sql`DROP INDEX IF EXISTS rectifications_confirm_due`.execute(db);
  await sql`UPDATE rectifications SET outcome = NULL, status = 'reported' WHERE outcome = 'unconfirmed'`.execute(db);
  await sql`ALTER TABLE rectifications DROP CONSTRAINT IF EXISTS rectifications_outcome_check`.execute(db);
  await sql`ALTER TABLE rectifications ADD CONSTRAINT rectifications_outcome_check CHECK (outcome IN ('rectified','appeal_upheld'))`.execute(db);
  await sql`ALTER TABLE rectifications DROP COLUMN IF EXISTS confirm_due_on`.execute(db);
  await sql`DROP TABLE IF EXISTS hall_visits`.execute(db);
  await sql`DROP TABLE IF EXISTS quality_settings`.execute(db);
}
