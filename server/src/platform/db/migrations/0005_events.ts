import { sql, type Kysely } from 'kysely';

/**
 * The transactional outbox and what it feeds: domain events written in the same transaction as
 * the change they describe, fanned out once into deliveries (in-app messages, webhooks to channel
 * systems, SMS and e-mail adapters), each delivery claimed by one instance at a time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE outbox_events (
      id bigserial PRIMARY KEY,
      type text NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      dispatched_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX outbox_events_pending ON outbox_events (id) WHERE dispatched_at IS NULL`.execute(db);

  await sql`
    CREATE TABLE messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id),
      event_id bigint REFERENCES outbox_events(id),
      case_number text,
      title text NOT NULL,
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz,
      UNIQUE (event_id, user_id)
    )`.execute(db);
  await sql`CREATE INDEX messages_user ON messages (user_id, created_at DESC, (coalesce(event_id, 0)) DESC, id DESC)`.execute(db);

  await sql`
    CREATE TABLE webhook_subscriptions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      client_id uuid NOT NULL REFERENCES api_clients(id),
      url text NOT NULL,
      secret text NOT NULL,
      event_types text[] NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE deliveries (
      id bigserial PRIMARY KEY,
      event_id bigint NOT NULL REFERENCES outbox_events(id),
      channel text NOT NULL CHECK (channel IN ('webhook','sms','email')),
      target text NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      locked_until timestamptz,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (event_id, channel, target)
    )`.execute(db);
  await sql`CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending'`.execute(db);
  // A subscription's delivery history (admin), and the failures the outbox stats count: both small
  // slices of a table that grows with every event.
  await sql`CREATE INDEX deliveries_target ON deliveries (target, id)`.execute(db);
  await sql`CREATE INDEX deliveries_failed ON deliveries (id) WHERE status = 'failed'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['deliveries', 'webhook_subscriptions', 'messages', 'outbox_events']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
