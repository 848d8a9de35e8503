import { sql, type Kysely } from 'kysely';

/**
 * Service quality (issue 7, ADR 0012): ratings (好差评) with GB/T 39046's fields, the rectification
 * of bad reviews, consultation and complaint tickets (咨询投诉) with their history, and the
 * watermark of the default-rating sweep. Facts about cases are copied onto a rating when it is
 * given (department, hall, staff, item): the statistics never join the case tables.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE evaluations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      subject_kind text NOT NULL CHECK (subject_kind IN ('case','ticket','hall_visit')),
      subject_ref text NOT NULL,
      round smallint NOT NULL CHECK (round IN (1, 2)),
      level smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
      channel text NOT NULL,
      text text,
      is_default boolean NOT NULL DEFAULT false,
      rater_user_id uuid REFERENCES users(id),
      rated_at timestamptz NOT NULL,
      rated_on date NOT NULL,
      case_number text,
      item_code text,
      item_name text,
      department_id uuid NOT NULL,
      region_path text NOT NULL,
      region_code text NOT NULL,
      hall_id uuid,
      hall_window text,
      staff_id uuid,
      staff_name text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (subject_kind, subject_ref, round)
    )`.execute(db);
  await sql`CREATE INDEX evaluations_department ON evaluations (department_id, rated_on)`.execute(db);
  await sql`CREATE INDEX evaluations_rated_on ON evaluations (rated_on)`.execute(db);
  await sql`CREATE INDEX evaluations_rater ON evaluations (rater_user_id) WHERE rater_user_id IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE rectifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      evaluation_id uuid NOT NULL UNIQUE REFERENCES evaluations(id),
      subject_kind text NOT NULL,
      subject_ref text NOT NULL,
      applicant_user_id uuid REFERENCES users(id),
      department_id uuid NOT NULL,
      region_path text NOT NULL,
      status text NOT NULL CHECK (status IN ('open','called_back','reported','appealed','closed')),
      appeal_from text,
      due_on date NOT NULL,
      opened_at timestamptz NOT NULL,
      callback_at timestamptz,
      callback_note text,
      report text,
      reported_at timestamptz,
      appeal_reason text,
      appealed_at timestamptz,
      appeal_decision text CHECK (appeal_decision IN ('upheld','rejected')),
      appeal_comment text,
      decided_by uuid,
      confirmed_at timestamptz,
      applicant_comment text,
      escalated_at timestamptz,
      outcome text CHECK (outcome IN ('rectified','appeal_upheld')),
      closed_at timestamptz,
      version integer NOT NULL DEFAULT 1
    )`.execute(db);
  await sql`CREATE INDEX rectifications_department ON rectifications (department_id, status)`.execute(db);
  await sql`CREATE INDEX rectifications_due ON rectifications (due_on) WHERE escalated_at IS NULL AND closed_at IS NULL`.execute(db);

  await sql`
    CREATE TABLE tickets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      number text NOT NULL UNIQUE,
      kind text NOT NULL CHECK (kind IN ('consultation','complaint','suggestion','praise')),
      source text NOT NULL CHECK (source IN ('portal','hall','hotline')),
      hotline_ref text UNIQUE,
      applicant_user_id uuid REFERENCES users(id),
      contact_name text,
      contact_phone text,
      title text NOT NULL,
      body text NOT NULL,
      item_code text,
      item_name text,
      case_number text,
      department_id uuid NOT NULL,
      region_path text NOT NULL,
      status text NOT NULL CHECK (status IN ('open','answered','closed')),
      deadline date NOT NULL,
      opened_at timestamptz NOT NULL,
      opened_on date NOT NULL,
      answered_at timestamptz,
      answered_on date,
      reply text,
      replied_by uuid,
      replied_by_name text,
      escalated_at timestamptz,
      closed_at timestamptz,
      faq_question text,
      faq_answer text,
      faq_published_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_by uuid
    )`.execute(db);
  await sql`CREATE INDEX tickets_department ON tickets (department_id, status, deadline)`.execute(db);
  await sql`CREATE INDEX tickets_applicant ON tickets (applicant_user_id, opened_at DESC) WHERE applicant_user_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX tickets_faq ON tickets (item_code) WHERE faq_published_at IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE ticket_history (
      id bigserial PRIMARY KEY,
      ticket_id uuid NOT NULL REFERENCES tickets(id),
      at timestamptz NOT NULL DEFAULT now(),
      action text NOT NULL,
      actor_id uuid,
      actor_name text NOT NULL,
      comment text,
      detail jsonb NOT NULL DEFAULT '{}'::jsonb
    )`.execute(db);
  await sql`CREATE INDEX ticket_history_ticket ON ticket_history (ticket_id, id)`.execute(db);

  await sql`
    CREATE TABLE ticket_sequences (
      day date PRIMARY KEY,
      last integer NOT NULL
    )`.execute(db);

  // one row per sweep: the instance holding its lock (FOR UPDATE SKIP LOCKED) runs the round
  await sql`
    CREATE TABLE quality_sweeps (
      name text PRIMARY KEY,
      watermark timestamptz,
      ran_at timestamptz
    )`.execute(db);
  await sql`INSERT INTO quality_sweeps (name) VALUES ('default_ratings'), ('overdue_rectifications')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['quality_sweeps', 'ticket_sequences', 'ticket_history', 'tickets', 'rectifications', 'evaluations']) {
    await sql`DROP TABLE IF EXISTS ${sql.id(table)}`.execute(db);
  }
}
