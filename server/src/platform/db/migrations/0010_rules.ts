import { sql, type Kysely } from 'kysely';

/**
 * Instant approval (秒批) and approval by commitment (告知承诺): decision tables per catalog item
 * version (rules module), the credit lists and appeals (credit module), and the verification
 * that follows an approval by commitment (cases module).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE rule_sets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      item_code text NOT NULL,
      item_version integer NOT NULL,
      revision integer NOT NULL,
      status text NOT NULL CHECK (status IN ('draft','published','retired')),
      definition jsonb NOT NULL,
      tests jsonb NOT NULL,
      test_report jsonb,
      lock_version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid,
      published_at timestamptz,
      published_by uuid,
      UNIQUE (item_code, item_version, revision)
    )`.execute(db);
  // at most one published and one draft rule set per item version
  await sql`CREATE UNIQUE INDEX rule_sets_published ON rule_sets (item_code, item_version) WHERE status = 'published'`.execute(db);
  await sql`CREATE UNIQUE INDEX rule_sets_draft ON rule_sets (item_code, item_version) WHERE status = 'draft'`.execute(db);

  await sql`
    CREATE TABLE credit_entries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      list text NOT NULL CHECK (list IN ('black','red')),
      subject_kind text NOT NULL CHECK (subject_kind IN ('natural','legal')),
      subject_identifier text NOT NULL,
      subject_name text NOT NULL,
      reason text NOT NULL,
      legal_basis text NOT NULL,
      source text NOT NULL CHECK (source IN ('false_commitment','department')),
      source_ref text,
      department_id uuid NOT NULL REFERENCES departments(id),
      valid_from date NOT NULL,
      valid_until date,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by text NOT NULL,
      removed_at timestamptz,
      removed_by text,
      removal_reason text
    )`.execute(db);
  await sql`CREATE INDEX credit_entries_subject ON credit_entries (subject_identifier) WHERE removed_at IS NULL`.execute(db);
  await sql`CREATE INDEX credit_entries_list ON credit_entries (list, created_at DESC, id DESC)`.execute(db);

  await sql`
    CREATE TABLE credit_appeals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      entry_id uuid NOT NULL REFERENCES credit_entries(id),
      appellant_id uuid NOT NULL REFERENCES users(id),
      text text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','upheld','rejected')),
      created_at timestamptz NOT NULL DEFAULT now(),
      decided_at timestamptz,
      decided_by uuid,
      decision_comment text
    )`.execute(db);
  // one open appeal per entry
  await sql`CREATE UNIQUE INDEX credit_appeals_pending ON credit_appeals (entry_id) WHERE status = 'pending'`.execute(db);

  await sql`
    CREATE TABLE case_verifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL UNIQUE REFERENCES cases(id),
      department_id uuid NOT NULL REFERENCES departments(id),
      due_date date NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','confirmed','false')),
      created_at timestamptz NOT NULL DEFAULT now(),
      decided_at timestamptz,
      decided_by uuid,
      finding text,
      credit_entry_ids jsonb
    )`.execute(db);
  await sql`CREATE INDEX case_verifications_open ON case_verifications (department_id, due_date) WHERE status = 'open'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['case_verifications', 'credit_appeals', 'credit_entries', 'rule_sets']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
