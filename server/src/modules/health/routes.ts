import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/database.js';
import { CommonErrors } from '../../platform/http/errors.js';
import type { App } from '../../platform/http/types.js';

export async function healthRoutes(app: App, { db }: { db: Db }): Promise<void> {
  app.get('/healthz', {
    config: { access: 'public' },
    schema: { tags: ['platform'], summary: '健康检查：数据库可用时返回 ok', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
  }, async (request) => {
    try {
      await sql`SELECT 1`.execute(db);
    } catch (err) {
      request.log.error({ err }, 'database unreachable');
      throw CommonErrors.service_unavailable();
    }
    return { status: 'ok' as const };
  });
}
