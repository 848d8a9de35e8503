import { sql, type Kysely } from 'kysely';

/**
 * Efficiency supervision (效能监督). Supervision never reads the case tables: it keeps its own
 * projection of every case (one row a case, fed from the outbox's case events) and roll-ups per
 * day × department × item that the indicator queries read, so a request never scans cases.
 * Working days are stored as ordinals (the n-th working day of the loaded calendar), so the live
 * clock of a million open cases is integer arithmetic in one statement (ADR 0013).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // A consumer's position in the outbox (events module): locked FOR UPDATE by the transaction
  // that applies a batch, so several instances apply each event exactly once.
  await sql`
    CREATE TABLE outbox_cursors (
      consumer text PRIMARY KEY,
      last_event_id bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  // The working-day epoch the stored ordinals count from (ADR 0013).
  await sql`CREATE TABLE supervision_meta (key text PRIMARY KEY, value text NOT NULL)`.execute(db);

  await sql`
    CREATE TABLE supervision_case_facts (
      case_number text PRIMARY KEY,
      item_code text NOT NULL,
      item_name text NOT NULL,
      department_id uuid NOT NULL,
      region_path text NOT NULL,
      channel text,
      case_kind text,
      applicant_kind text,
      promised_days integer,
      status text NOT NULL,
      open boolean NOT NULL,
      submitted_at timestamptz NOT NULL,
      submitted_on date NOT NULL,
      accepted_at timestamptz,
      accepted_on date,
      accepted_ord integer,
      decided_at timestamptz,
      decided_on date,
      delivered_at timestamptz,
      deadline date,
      deadline_ord integer,
      suspended_workdays integer NOT NULL DEFAULT 0,
      handling_workdays integer,
      handler_id uuid,
      current_step integer,
      step_started_ord integer,
      step_due date,
      step_due_ord integer,
      steps_completed integer NOT NULL DEFAULT 0,
      deadline_extensions integer NOT NULL DEFAULT 0,
      instant boolean NOT NULL DEFAULT false,
      commitment boolean NOT NULL DEFAULT false,
      corrected boolean NOT NULL DEFAULT false,
      refused boolean NOT NULL DEFAULT false,
      decision text,
      on_time boolean,
      last_event_id bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // the sweep's and the live view's working set: open cases only
  await sql`CREATE INDEX supervision_facts_open ON supervision_case_facts (department_id, deadline_ord) WHERE open`.execute(db);
  await sql`CREATE INDEX supervision_facts_dept_day ON supervision_case_facts (department_id, submitted_on)`.execute(db);
  await sql`CREATE INDEX supervision_facts_decided ON supervision_case_facts (department_id, decided_on) WHERE decided_on IS NOT NULL`.execute(db);
  // the public overdue list (most overdue first, city-wide) and city-wide drill-downs by day
  await sql`CREATE INDEX supervision_facts_open_deadline ON supervision_case_facts (deadline_ord, case_number) WHERE open`.execute(db);
  await sql`CREATE INDEX supervision_facts_day ON supervision_case_facts (submitted_on)`.execute(db);
  await sql`CREATE INDEX supervision_facts_decided_day ON supervision_case_facts (decided_on) WHERE decided_on IS NOT NULL`.execute(db);

  // One row a civil day × department × item (× the department's region when the case was filed):
  // counters added to by the consumer in the batch's transaction.
  await sql`
    CREATE TABLE supervision_daily (
      day date NOT NULL,
      department_id uuid NOT NULL,
      item_code text NOT NULL,
      region_path text NOT NULL,
      item_name text NOT NULL DEFAULT '',
      received integer NOT NULL DEFAULT 0,
      online_received integer NOT NULL DEFAULT 0,
      accepted integer NOT NULL DEFAULT 0,
      not_accepted integer NOT NULL DEFAULT 0,
      corrections integer NOT NULL DEFAULT 0,
      decided integer NOT NULL DEFAULT 0,
      decided_on_time integer NOT NULL DEFAULT 0,
      denied integer NOT NULL DEFAULT 0,
      instant integer NOT NULL DEFAULT 0,
      commitment integer NOT NULL DEFAULT 0,
      handling_days_sum bigint NOT NULL DEFAULT 0,
      handling_counted integer NOT NULL DEFAULT 0,
      real_estate_decided integer NOT NULL DEFAULT 0,
      real_estate_within_hour integer NOT NULL DEFAULT 0,
      enterprise_decided integer NOT NULL DEFAULT 0,
      enterprise_days_sum bigint NOT NULL DEFAULT 0,
      enterprise_within_target integer NOT NULL DEFAULT 0,
      PRIMARY KEY (day, department_id, item_code, region_path)
    )`.execute(db);
  await sql`CREATE INDEX supervision_daily_dept ON supervision_daily (department_id, day)`.execute(db);

  // Handling time histogram (working days → cases decided that day): the 90th percentile without the cases.
  await sql`
    CREATE TABLE supervision_daily_durations (
      day date NOT NULL,
      department_id uuid NOT NULL,
      item_code text NOT NULL,
      region_path text NOT NULL,
      workdays integer NOT NULL,
      cases integer NOT NULL DEFAULT 0,
      PRIMARY KEY (day, department_id, item_code, region_path, workdays)
    )`.execute(db);

  // Each alert once: the unique key holds however many instances sweep at the same time.
  await sql`
    CREATE TABLE supervision_alerts (
      id bigserial PRIMARY KEY,
      case_number text NOT NULL,
      kind text NOT NULL,
      level text NOT NULL CHECK (level IN ('yellow','red','anomaly')),
      department_id uuid NOT NULL,
      region_path text NOT NULL,
      item_name text NOT NULL,
      handler_id uuid,
      detail jsonb NOT NULL DEFAULT '{}',
      raised_at timestamptz NOT NULL DEFAULT now(),
      notified_at timestamptz,
      UNIQUE (case_number, kind, level)
    )`.execute(db);
  await sql`CREATE INDEX supervision_alerts_pending ON supervision_alerts (id) WHERE notified_at IS NULL`.execute(db);
  await sql`CREATE INDEX supervision_alerts_dept ON supervision_alerts (department_id, raised_at DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['supervision_alerts', 'supervision_daily_durations', 'supervision_daily', 'supervision_case_facts', 'supervision_meta', 'outbox_cursors']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
