import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Expression, QueryCreator, UpdateQueryBuilder, UpdateResult } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { canonicalJson } from '../audit/audit.js';
import { principalId } from '../auth/principal.js';
import { CommonErrors } from './errors.js';

const HEADER = 'idempotency-key';
/** A key is remembered this long; a retry after that is a new request. */
const RETENTION_HOURS = 24;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: IdempotencyClaim | null;
  }
}

interface IdempotencyClaim {
  principal: string;
  key: string;
  /** The handler's own statement stored the answer (answerInStatement): nothing is left to store. */
  stored?: boolean;
}

/** The UPDATE storing a request's answer under its key, for a WITH clause of the handler's statement. */
export type AnswerUpdate = (db: QueryCreator<Database>, body: Expression<string>) => UpdateQueryBuilder<Database, 'idempotency_keys', 'idempotency_keys', UpdateResult>;

export interface AnswerInStatement {
  update: AnswerUpdate;
  /** Call once the statement holding `update` succeeded. */
  stored(): void;
}

/**
 * Lets a creating handler store the answer to the request's Idempotency-Key in the very statement
 * that creates (one round trip fewer on a submission, and the key holds the answer from the
 * moment the thing exists). The body given must be the bytes the route will send with
 * `statusCode`. Null when the request carries no key.
 */
export function answerInStatement(request: FastifyRequest, statusCode: number): AnswerInStatement | null {
  const claim = request.idempotency;
  if (!claim) return null;
  return {
    update: (db, body) =>
      db.updateTable('idempotency_keys').set({ status_code: statusCode, response_body: body }).where('principal', '=', claim.principal).where('key', '=', claim.key),
    stored: () => {
      claim.stored = true;
    },
  };
}

/**
 * Identifies the request without storing it. Keyed, because bodies hold passwords: a plain hash
 * in the table would let anyone holding a copy of it test password guesses at SHA-256 speed.
 * Canonical JSON, so that a retry sending the same fields in another order is the same request.
 */
function requestHash(secret: string, request: FastifyRequest): string {
  return createHmac('sha256', secret).update(`idempotency\n${request.method} ${request.url}\n`).update(canonicalJson(request.body ?? null)).digest('hex');
}

/**
 * `Idempotency-Key` on creating routes (those with `config.idempotent`): the first answer is stored
 * and replayed for a retry with the same key and body; the same key with another body is refused.
 * The key row is claimed before the handler runs, so two concurrent retries cannot both create.
 */
export function registerIdempotency(app: FastifyInstance, db: Db, secret: string): void {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.routeOptions.config?.idempotent) return;
    const key = request.headers[HEADER];
    if (typeof key !== 'string' || key === '') return;
    if (key.length > 200) throw CommonErrors.bad_request();
    const principal = request.principal ? principalId(request.principal) : 'anonymous';
    const hash = requestHash(secret, request);

    // One statement claims the key when it is new, or takes it over when its first use has
    // expired (a retry after the retention period is a new request): a submission pays one
    // round trip here, not three.
    const claimed = await db
      .insertInto('idempotency_keys')
      .values({ principal, key, request_hash: hash, status_code: null, response_body: null })
      .onConflict((oc) =>
        oc
          .columns(['principal', 'key'])
          .doUpdateSet({ request_hash: hash, status_code: null, response_body: null, created_at: new Date() })
          .where('idempotency_keys.created_at', '<', new Date(Date.now() - RETENTION_HOURS * 3600_000)),
      )
      .returning('key')
      .executeTakeFirst();
    if (claimed) {
      request.idempotency = { principal, key };
      return;
    }
    const existing = await db.selectFrom('idempotency_keys').selectAll().where('principal', '=', principal).where('key', '=', key).executeTakeFirstOrThrow();
    if (existing.request_hash !== hash) throw CommonErrors.idempotency_key_reused();
    if (existing.status_code === null) throw CommonErrors.idempotency_in_progress();
    return reply
      .status(existing.status_code)
      .header('idempotent-replayed', 'true')
      // every error answer of the platform is problem+json; the replay must say so too
      .type(existing.status_code >= 400 ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8')
      .send(existing.response_body);
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = null;
    // The case (or whatever was made) exists and its answer is stored: even should something
    // after it fail, a retry must get that answer, not make a second one.
    if (claim.stored) return payload;
    if (reply.statusCode >= 500 || reply.statusCode === 409) {
      // Not an answer worth replaying: let the client retry with the same key.
      await db.deleteFrom('idempotency_keys').where('principal', '=', claim.principal).where('key', '=', claim.key).execute();
    } else {
      await db
        .updateTable('idempotency_keys')
        .set({ status_code: reply.statusCode, response_body: typeof payload === 'string' ? payload : JSON.stringify(payload) })
        .where('principal', '=', claim.principal)
        .where('key', '=', claim.key)
        .execute();
    }
    return payload;
  });
}
