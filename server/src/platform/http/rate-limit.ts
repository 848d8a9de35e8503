import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

/**
 * Fixed-window counter kept in the database, so the limit holds across every instance sharing it.
 * Returns the number of hits in the current window including this one.
 */
export async function hitRateLimit(db: Executor, key: string, windowSeconds: number): Promise<number> {
  const result = await sql<{ hits: number }>`
    INSERT INTO rate_limits (key, window_start, hits) VALUES (${key}, now(), 1)
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN rate_limits.window_start < now() - make_interval(secs => ${windowSeconds}) THEN 1 ELSE rate_limits.hits + 1 END,
      window_start = CASE WHEN rate_limits.window_start < now() - make_interval(secs => ${windowSeconds}) THEN now() ELSE rate_limits.window_start END
    RETURNING hits`.execute(db);
  return result.rows[0]!.hits;
}
