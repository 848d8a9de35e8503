import { sql, type Kysely } from 'kysely';

/**
 * The electronic license library (电子证照库) and electronic seals (电子印章): license types,
 * departments' seals with their SM2 keys (private keys encrypted), issued licenses with their
 * signatures, and each license's history (issue, change, revocation).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE license_types (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE,
      type_code text NOT NULL UNIQUE,
      name text NOT NULL,
      holder_kind text NOT NULL CHECK (holder_kind IN ('natural','legal','any')),
      issuing_department_ids uuid[] NOT NULL DEFAULT '{}',
      fields jsonb NOT NULL DEFAULT '[]',
      validity_years integer CHECK (validity_years IS NULL OR validity_years BETWEEN 1 AND 100),
      template jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  // A seal's key is rotated by retiring its row and adding another under the same name; retired
  // keys stay, so licenses signed with them still verify.
  await sql`
    CREATE TABLE license_seals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id uuid NOT NULL REFERENCES departments(id),
      name text NOT NULL,
      key_id text NOT NULL UNIQUE,
      algorithm text NOT NULL,
      public_key text NOT NULL,
      private_key_enc text NOT NULL,
      wrapping_key_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('active','retired')),
      created_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX license_seals_active_name ON license_seals (department_id, name) WHERE status = 'active'`.execute(db);

  // Serials are drawn from one sequence: any instance, no row to contend on.
  await sql`CREATE SEQUENCE license_serials`.execute(db);

  await sql`
    CREATE TABLE licenses (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      license_id text NOT NULL UNIQUE,
      type_id uuid NOT NULL REFERENCES license_types(id),
      type_code text NOT NULL,
      name text NOT NULL,
      serial text NOT NULL,
      version integer NOT NULL,
      holder_kind text NOT NULL CHECK (holder_kind IN ('natural','legal')),
      holder_id_type text NOT NULL CHECK (holder_id_type IN ('111','001')),
      holder_identifier text NOT NULL,
      holder_name text NOT NULL,
      issuer_department_id uuid NOT NULL REFERENCES departments(id),
      issuer_code text NOT NULL,
      issuer_name text NOT NULL,
      issued_on date NOT NULL,
      valid_from date NOT NULL,
      valid_until date,
      data jsonb NOT NULL,
      source text NOT NULL CHECK (source IN ('case','direct','import')),
      case_number text,
      status text NOT NULL CHECK (status IN ('valid','revoked','superseded')),
      status_reason text,
      status_case_number text,
      status_changed_at timestamptz,
      successor_license_id text,
      seal_id uuid NOT NULL REFERENCES license_seals(id),
      signed_at timestamptz NOT NULL,
      data_digest text NOT NULL,
      signature text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX licenses_holder ON licenses (holder_identifier, type_id)`.execute(db);
  await sql`CREATE INDEX licenses_issuer ON licenses (issuer_department_id, created_at DESC)`.execute(db);
  await sql`CREATE INDEX licenses_case ON licenses (case_number) WHERE case_number IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE license_history (
      id bigserial PRIMARY KEY,
      license_id uuid NOT NULL REFERENCES licenses(id),
      at timestamptz NOT NULL DEFAULT now(),
      action text NOT NULL CHECK (action IN ('issued','imported','changed','revoked','superseded')),
      reason text,
      case_number text,
      actor_id text,
      actor_kind text NOT NULL,
      detail jsonb NOT NULL DEFAULT '{}'
    )`.execute(db);
  await sql`CREATE INDEX license_history_license ON license_history (license_id, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE license_history`.execute(db);
  await sql`DROP TABLE licenses`.execute(db);
  await sql`DROP SEQUENCE license_serials`.execute(db);
  await sql`DROP TABLE license_seals`.execute(db);
  await sql`DROP TABLE license_types`.execute(db);
}
