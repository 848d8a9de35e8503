import { Type } from 'typebox';
import type { Db } from '../../platform/db/database.js';
import { listAudit, verifyAuditChain } from '../../platform/audit/audit.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { App } from '../../platform/http/types.js';

const tags = ['audit'];
const admin = { roles: ['system_admin'] } as const;

const AuditRow = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorKind: Type.String(),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

/** Reading the platform audit trail (platform/audit) and verifying its hash chain. */
export async function auditRoutes(app: App, { db }: { db: Db }): Promise<void> {
  app.get('/api/v1/admin/audit', {
    config: { access: admin },
    schema: {
      tags,
      summary: '审计日志（最新在前）',
      querystring: Type.Object({
        action: Type.Optional(Type.String({ maxLength: 100 })),
        actorId: Type.Optional(Type.String({ maxLength: 100 })),
        targetId: Type.Optional(Type.String({ maxLength: 100 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
        cursor: Type.Optional(Type.String({ maxLength: 200 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(AuditRow), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 20;
    const after = decodeCursor<{ id: number }>(request.query.cursor, { id: 'integer' });
    const rows = await listAudit(db, { ...request.query, limit: limit + 1, afterId: after?.id });
    const result = page(rows, limit, (r) => ({ id: r.id }));
    return {
      items: result.items.map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        actorId: r.actor_id,
        actorKind: r.actor_kind,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        ip: r.ip,
        detail: r.detail,
      })),
      nextCursor: result.nextCursor,
    };
  });

  app.get('/api/v1/admin/audit/verify', {
    config: { access: admin },
    schema: {
      tags,
      summary: '校验审计日志哈希链',
      response: { 200: Type.Object({ ok: Type.Boolean(), checked: Type.Integer(), firstBrokenId: Type.Optional(Type.Integer()), reason: Type.Optional(Type.String()) }) },
    },
  }, async () => verifyAuditChain(db));
}
