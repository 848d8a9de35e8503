import { sql, type Kysely } from 'kysely';

/** Data sharing and exchange (政务信息资源共享): catalog, hosted datasets, requests, grants, consents, access log, platform keys. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sharing_resources (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      provider_department_id uuid NOT NULL REFERENCES departments(id),
      subject_type text NOT NULL CHECK (subject_type IN ('id_number','credit_code')),
      subject_field text NOT NULL,
      fields jsonb NOT NULL,
      update_frequency text NOT NULL,
      sharing_type text NOT NULL CHECK (sharing_type IN ('unconditional','conditional','not_shared')),
      conditions text,
      legal_basis text NOT NULL,
      backend text NOT NULL CHECK (backend IN ('hosted','proxied')),
      endpoint jsonb,
      status text NOT NULL CHECK (status IN ('draft','published','withdrawn')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      CHECK ((backend = 'proxied') = (endpoint IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX sharing_resources_provider ON sharing_resources (provider_department_id)`.execute(db);

  // A hosted dataset: one record per subject (ID number or credit code), replaced by uploads.
  await sql`
    CREATE TABLE sharing_records (
      resource_id uuid NOT NULL REFERENCES sharing_resources(id),
      subject text NOT NULL,
      data jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (resource_id, subject)
    )`.execute(db);

  await sql`
    CREATE TABLE sharing_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      resource_id uuid NOT NULL REFERENCES sharing_resources(id),
      consumer_department_id uuid NOT NULL REFERENCES departments(id),
      purpose text NOT NULL,
      item_codes text[] NOT NULL,
      fields text[] NOT NULL,
      requested_until date,
      status text NOT NULL CHECK (status IN ('pending','granted','rejected')),
      requested_by text,
      decided_by text,
      decided_at timestamptz,
      decision_note text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX sharing_requests_resource ON sharing_requests (resource_id)`.execute(db);
  await sql`CREATE INDEX sharing_requests_consumer ON sharing_requests (consumer_department_id)`.execute(db);

  await sql`
    CREATE TABLE sharing_grants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      request_id uuid REFERENCES sharing_requests(id),
      resource_id uuid NOT NULL REFERENCES sharing_resources(id),
      consumer_department_id uuid NOT NULL REFERENCES departments(id),
      fields text[] NOT NULL,
      item_codes text[] NOT NULL,
      purpose text NOT NULL,
      expires_at timestamptz NOT NULL,
      granted_by text,
      granted_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      revoked_by text,
      revoke_reason text
    )`.execute(db);
  // At most one live (not revoked) grant per resource and consumer; a new one supersedes the old.
  await sql`CREATE UNIQUE INDEX sharing_grants_live ON sharing_grants (resource_id, consumer_department_id) WHERE revoked_at IS NULL`.execute(db);
  await sql`CREATE INDEX sharing_grants_consumer ON sharing_grants (consumer_department_id)`.execute(db);

  await sql`
    CREATE TABLE sharing_consents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id),
      item_code text NOT NULL,
      consumer_department_id uuid NOT NULL REFERENCES departments(id),
      resource_ids uuid[] NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      withdrawn_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX sharing_consents_user ON sharing_consents (user_id, created_at DESC)`.execute(db);

  // The access log: one hash chain per resource (chain = resource id), each entry numbered in its
  // chain. Subjects are stored only as a keyed hash (HMAC-SM3) and a masked form.
  await sql`
    CREATE TABLE sharing_access_log (
      id bigserial PRIMARY KEY,
      chain text NOT NULL,
      seq bigint NOT NULL,
      at timestamptz NOT NULL,
      request_id uuid NOT NULL,
      kind text NOT NULL,
      actor text,
      consumer_department_id uuid,
      resource_id uuid NOT NULL,
      provider_department_id uuid NOT NULL,
      subject_hash text NOT NULL,
      subject_masked text NOT NULL,
      case_ref text,
      purpose text,
      consent_id uuid,
      grant_id uuid,
      outcome text NOT NULL,
      reason text,
      fields text[] NOT NULL,
      response_digest text,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      UNIQUE (chain, seq)
    )`.execute(db);
  await sql`CREATE INDEX sharing_access_log_provider ON sharing_access_log (provider_department_id, id DESC)`.execute(db);
  await sql`CREATE INDEX sharing_access_log_consumer ON sharing_access_log (consumer_department_id, id DESC)`.execute(db);
  await sql`CREATE INDEX sharing_access_log_subject ON sharing_access_log (subject_hash, id DESC)`.execute(db);
  await sql`
    CREATE FUNCTION sharing_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'sharing_access_log is append-only';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER sharing_access_log_no_change BEFORE UPDATE OR DELETE ON sharing_access_log
    FOR EACH ROW EXECUTE FUNCTION sharing_access_log_append_only()`.execute(db);
  // The head of each chain: its last number and hash. Appends lock the head row (one lock per
  // chain and batch, not a global lock per entry); the verifier compares it with the last entry,
  // so cutting entries off the end of a chain is detected too.
  await sql`
    CREATE TABLE sharing_log_heads (
      chain text PRIMARY KEY,
      seq bigint NOT NULL,
      hash text NOT NULL
    )`.execute(db);

  // The platform's SM2 signing keys. The private key is encrypted (AES-256-GCM) with a key derived
  // from the session secret; public keys stay readable after rotation for old signatures.
  await sql`
    CREATE TABLE sharing_keys (
      id text PRIMARY KEY,
      algorithm text NOT NULL,
      public_key text NOT NULL,
      private_key_enc text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz
    )`.execute(db);

  // Bumped by every change to resources or grants; instances refresh their gateway cache when it moves.
  await sql`CREATE TABLE sharing_meta (id integer PRIMARY KEY CHECK (id = 1), revision bigint NOT NULL)`.execute(db);
  await sql`INSERT INTO sharing_meta (id, revision) VALUES (1, 0)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['sharing_meta', 'sharing_keys', 'sharing_log_heads', 'sharing_access_log', 'sharing_consents',
    'sharing_grants', 'sharing_requests', 'sharing_records', 'sharing_resources']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS sharing_access_log_append_only()`.execute(db);
}
