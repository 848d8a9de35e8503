import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE regions (
      code text PRIMARY KEY,
      name text NOT NULL,
      level text NOT NULL CHECK (level IN ('city','district','street','community')),
      parent_code text REFERENCES regions(code),
      path text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX regions_path ON regions (path text_pattern_ops)`.execute(db);
  await sql`
    CREATE TABLE departments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      credit_code text NOT NULL UNIQUE,
      region_code text NOT NULL REFERENCES regions(code),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (region_code, name)
    )`.execute(db);
  await sql`
    CREATE TABLE halls (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      region_code text NOT NULL REFERENCES regions(code),
      address text NOT NULL,
      phone text,
      opening_hours text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('natural','legal','staff')),
      username text NOT NULL UNIQUE,
      name text NOT NULL,
      id_number text,
      credit_code text,
      phone text,
      password_hash text NOT NULL,
      department_id uuid REFERENCES departments(id),
      roles text[] NOT NULL DEFAULT '{}',
      active boolean NOT NULL DEFAULT true,
      demo boolean NOT NULL DEFAULT false,
      failed_logins integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (kind <> 'staff' OR department_id IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX users_department ON users (department_id)`.execute(db);
  await sql`
    CREATE TABLE sessions (
      id text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      ip text
    )`.execute(db);
  await sql`CREATE INDEX sessions_user ON sessions (user_id)`.execute(db);
  await sql`
    CREATE TABLE api_clients (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      scopes text[] NOT NULL,
      department_id uuid REFERENCES departments(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`.execute(db);
  await sql`
    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      actor_id text,
      actor_kind text NOT NULL,
      action text NOT NULL,
      target_type text,
      target_id text,
      ip text,
      detail jsonb NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL
    )`.execute(db);
  // Append-only: the application never updates or deletes audit rows; the trigger makes an
  // accidental or malicious UPDATE/DELETE through the application's own role fail loudly.
  await sql`
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
  await sql`
    CREATE TABLE calendar_years (
      year integer PRIMARY KEY,
      source text NOT NULL,
      loaded_at timestamptz NOT NULL DEFAULT now(),
      loaded_by text
    )`.execute(db);
  await sql`
    CREATE TABLE calendar_days (
      day date PRIMARY KEY,
      workday boolean NOT NULL,
      name text
    )`.execute(db);
  await sql`CREATE TABLE calendar_meta (id integer PRIMARY KEY CHECK (id = 1), revision bigint NOT NULL)`.execute(db);
  await sql`INSERT INTO calendar_meta (id, revision) VALUES (1, 0)`.execute(db);
  await sql`
    CREATE TABLE rate_limits (
      key text PRIMARY KEY,
      window_start timestamptz NOT NULL,
      hits integer NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE idempotency_keys (
      principal text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      status_code integer,
      response_body text,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (principal, key)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['idempotency_keys', 'rate_limits', 'calendar_meta', 'calendar_days', 'calendar_years',
    'audit_log', 'api_clients', 'sessions', 'users', 'halls', 'departments', 'regions']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS audit_log_append_only()`.execute(db);
}
