import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE catalog_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      implementation_code text NOT NULL UNIQUE,
      basic_code text NOT NULL,
      department_id uuid NOT NULL REFERENCES departments(id),
      exercise_level smallint NOT NULL CHECK (exercise_level BETWEEN 1 AND 6),
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by text
    )`.execute(db);
  await sql`CREATE INDEX catalog_items_department ON catalog_items (department_id)`.execute(db);
  await sql`
    CREATE TABLE catalog_item_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      item_id uuid NOT NULL REFERENCES catalog_items(id),
      version integer NOT NULL CHECK (version >= 1),
      status text NOT NULL CHECK (status IN ('draft','in_review','published','superseded','withdrawn')),
      content jsonb NOT NULL,
      lock_version integer NOT NULL DEFAULT 1,
      effective_from date,
      -- Columns copied from content for filtering and indicators in SQL.
      name text NOT NULL,
      type text NOT NULL,
      service_objects text[] NOT NULL,
      themes text[] NOT NULL,
      immediate boolean NOT NULL,
      online boolean NOT NULL,
      nearby boolean NOT NULL,
      one_visit boolean NOT NULL,
      legal_days integer NOT NULL,
      promised_days integer NOT NULL,
      visits_required integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text,
      submitted_at timestamptz,
      submitted_by text,
      review_comment text,
      published_at timestamptz,
      published_by text,
      withdrawn_at timestamptz,
      withdrawn_by text,
      UNIQUE (item_id, version)
    )`.execute(db);
  // One version in the works per item at a time: a second draft would fork the item's history.
  await sql`CREATE UNIQUE INDEX catalog_one_open_version ON catalog_item_versions (item_id) WHERE status IN ('draft','in_review')`.execute(db);
  await sql`CREATE INDEX catalog_versions_status ON catalog_item_versions (status, item_id)`.execute(db);
  // A published version never changes (cases refer to it): enforced below the application too.
  await sql`
    CREATE FUNCTION catalog_published_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.status IN ('published','superseded','withdrawn') AND NEW.content IS DISTINCT FROM OLD.content THEN
        RAISE EXCEPTION 'published catalog versions are immutable';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER catalog_versions_immutable BEFORE UPDATE ON catalog_item_versions
    FOR EACH ROW EXECUTE FUNCTION catalog_published_immutable()`.execute(db);
  await sql`
    CREATE TABLE catalog_proofs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      legal_basis text NOT NULL,
      requesting_unit text NOT NULL,
      issuing_unit text NOT NULL,
      guide text NOT NULL,
      status text NOT NULL CHECK (status IN ('draft','published','withdrawn')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- the last editor may not publish the entry (four eyes); null = the system
      updated_by text
    )`.execute(db);
  await sql`
    CREATE TABLE catalog_intermediaries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE,
      name text NOT NULL,
      legal_basis text NOT NULL,
      fee_standard text NOT NULL,
      provider_requirements text,
      status text NOT NULL CHECK (status IN ('draft','published','withdrawn')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- the last editor may not publish the entry (four eyes); null = the system
      updated_by text
    )`.execute(db);
  await sql`
    CREATE TABLE catalog_synonyms (
      term text PRIMARY KEY,
      expansions text[] NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text
    )`.execute(db);
  await sql`CREATE TABLE catalog_meta (id integer PRIMARY KEY CHECK (id = 1), revision bigint NOT NULL)`.execute(db);
  await sql`INSERT INTO catalog_meta (id, revision) VALUES (1, 0)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['catalog_meta', 'catalog_synonyms', 'catalog_intermediaries', 'catalog_proofs', 'catalog_item_versions', 'catalog_items']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS catalog_published_immutable()`.execute(db);
}
