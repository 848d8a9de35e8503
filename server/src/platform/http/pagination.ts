import { Type, type Static } from 'typebox';
import { FieldCodes, invalidInput } from './errors.js';

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: '每页条数 (1-100, 默认 20)' })),
  cursor: Type.Optional(Type.String({ maxLength: 500, description: '上一页返回的 nextCursor' })),
});
export type PageQuery = Static<typeof PageQuery>;

/** Cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** What each field of a cursor must hold: a forged cursor must not reach a query with the wrong type. */
export type CursorSpec<K> = { [F in keyof K]: K[F] extends number ? 'integer' : 'string' };

export function decodeCursor<K extends Record<string, string | number>>(cursor: string | undefined, spec: CursorSpec<K>): K | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const fields = Object.entries(spec) as Array<[string, 'integer' | 'string']>;
      const valid = fields.every(([field, kind]) => {
        const value = (parsed as Record<string, unknown>)[field];
        return kind === 'integer' ? Number.isSafeInteger(value) : typeof value === 'string';
      });
      if (valid) return parsed as K;
    }
  } catch {
    // fall through to the field error: a garbled cursor is the caller's input error, not ours
  }
  throw invalidInput([{ field: 'cursor', code: FieldCodes.invalid_cursor }]);
}

/** Fetch limit + 1 rows; this trims the extra one and builds the next cursor from the last kept row. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => Record<string, string | number>): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(keyOf(items[items.length - 1]!)) };
}

export const Paged = <T extends import('typebox').TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
