import { sql, type Kysely } from 'kysely';

/**
 * Case handling (办件): drafts, cases and their sub-cases (并联审批), materials, history, notices,
 * back-office tasks, and the per-day counters behind case and decision numbers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE case_drafts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      owner_id uuid NOT NULL REFERENCES users(id),
      item_code text NOT NULL,
      form jsonb NOT NULL,
      materials jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX case_drafts_owner ON case_drafts (owner_id, updated_at DESC)`.execute(db);

  // One row per (implementation code, civil day): INSERT … ON CONFLICT DO UPDATE hands out the
  // next number atomically, whichever instance asks.
  await sql`
    CREATE TABLE case_sequences (
      prefix text NOT NULL,
      day date NOT NULL,
      last integer NOT NULL,
      PRIMARY KEY (prefix, day)
    )`.execute(db);

  await sql`
    CREATE TABLE cases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_number text NOT NULL UNIQUE,
      parent_id uuid REFERENCES cases(id),
      required boolean NOT NULL DEFAULT true,
      item_code text NOT NULL,
      item_version integer NOT NULL,
      item_name text NOT NULL,
      department_id uuid NOT NULL REFERENCES departments(id),
      region_path text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('online','window')),
      applicant_user_id uuid REFERENCES users(id),
      applicant_kind text NOT NULL CHECK (applicant_kind IN ('natural','legal')),
      applicant_name text NOT NULL,
      applicant_identifier text NOT NULL,
      applicant_phone text,
      filed_by uuid REFERENCES users(id),
      hall_id uuid REFERENCES halls(id),
      form jsonb NOT NULL,
      commitment jsonb,
      status text NOT NULL CHECK (status IN ('submitted','correction_requested','not_accepted','accepted',
        'accepted_with_deficiency','in_review','suspended','approved','denied','delivered','withdrawn')),
      version integer NOT NULL DEFAULT 1,
      case_kind text NOT NULL CHECK (case_kind IN ('1','2')),
      promised_days integer NOT NULL,
      priority integer NOT NULL DEFAULT 0,
      submitted_at timestamptz NOT NULL,
      accepted_at timestamptz,
      accepted_on date,
      deadline date,
      suspended_since date,
      suspension jsonb,
      suspended_workdays integer NOT NULL DEFAULT 0,
      owed_count integer NOT NULL DEFAULT 0,
      current_step integer,
      decision text CHECK (decision IN ('approved','denied')),
      decision_number text UNIQUE,
      decided_at timestamptz,
      delivery jsonb,
      delivered_at timestamptz,
      closed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX cases_applicant ON cases (applicant_user_id, submitted_at DESC, id)`.execute(db);
  await sql`CREATE INDEX cases_identifier ON cases (applicant_identifier)`.execute(db);
  await sql`CREATE INDEX cases_department_status ON cases (department_id, status, submitted_at, id)`.execute(db);
  await sql`CREATE INDEX cases_front_desk ON cases (status, submitted_at, id) WHERE status IN ('submitted','correction_requested')`.execute(db);
  await sql`CREATE INDEX cases_parent ON cases (parent_id) WHERE parent_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX cases_deadline ON cases (deadline) WHERE closed_at IS NULL AND deadline IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE case_materials (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      material_id text NOT NULL,
      name text NOT NULL,
      source text NOT NULL CHECK (source IN ('upload','license','shared_data','commitment','paper')),
      file_id uuid REFERENCES files(id),
      license_id text,
      shared_data jsonb,
      verdict text NOT NULL DEFAULT 'pending' CHECK (verdict IN ('pending','accepted','deficient','missing')),
      verdict_reason text,
      owed boolean NOT NULL DEFAULT false,
      owed_due date,
      supplied_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX case_materials_case ON case_materials (case_id, material_id)`.execute(db);

  await sql`
    CREATE TABLE case_history (
      id bigserial PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES cases(id),
      at timestamptz NOT NULL DEFAULT now(),
      action text NOT NULL,
      from_status text,
      status text NOT NULL,
      actor_id text,
      actor_kind text NOT NULL,
      actor_name text NOT NULL,
      comment text,
      attachments uuid[] NOT NULL DEFAULT '{}',
      detail jsonb NOT NULL DEFAULT '{}',
      step_index integer,
      elapsed_workdays integer
    )`.execute(db);
  await sql`CREATE INDEX case_history_case ON case_history (case_id, id)`.execute(db);
  // A case's history is its record of who did what and when: append-only, like the audit log.
  await sql`
    CREATE FUNCTION case_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'case_history is append-only';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER case_history_no_change BEFORE UPDATE OR DELETE ON case_history
    FOR EACH ROW EXECUTE FUNCTION case_history_append_only()`.execute(db);

  await sql`
    CREATE TABLE case_notices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      kind text NOT NULL CHECK (kind IN ('acceptance','not_accepted','correction','deficiency','decision')),
      number text,
      content jsonb NOT NULL,
      breach boolean NOT NULL DEFAULT false,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX case_notices_case ON case_notices (case_id, created_at)`.execute(db);

  await sql`
    CREATE TABLE case_tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      department_id uuid NOT NULL REFERENCES departments(id),
      step_index integer NOT NULL,
      step_name text NOT NULL,
      role text NOT NULL,
      assignee_id uuid REFERENCES users(id),
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','returned','cancelled')),
      priority integer NOT NULL DEFAULT 0,
      opened_at timestamptz NOT NULL DEFAULT now(),
      due_date date NOT NULL,
      closed_at timestamptz,
      closed_by uuid REFERENCES users(id),
      outcome text
    )`.execute(db);
  // The approver's queue: open tasks of a department, green channel first, then the earliest due.
  await sql`CREATE INDEX case_tasks_queue ON case_tasks (department_id, priority DESC, due_date, id) WHERE status = 'open'`.execute(db);
  await sql`CREATE INDEX case_tasks_assignee ON case_tasks (assignee_id, priority DESC, due_date, id) WHERE status = 'open'`.execute(db);
  await sql`CREATE INDEX case_tasks_case ON case_tasks (case_id, step_index)`.execute(db);

  await sql`
    CREATE TABLE decision_sequences (
      department_id uuid NOT NULL REFERENCES departments(id),
      year integer NOT NULL,
      last integer NOT NULL,
      PRIMARY KEY (department_id, year)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['decision_sequences', 'case_tasks', 'case_notices', 'case_history', 'case_materials', 'cases', 'case_sequences', 'case_drafts']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS case_history_append_only()`.execute(db);
}
