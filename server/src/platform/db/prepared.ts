/**
 * Named prepared statements for the `pg` pool (ADR 0016).
 *
 * Kysely sends every statement unnamed, so the server parses, analyses and plans each one afresh:
 * measured on the submission path, planning alone was about 0.5 ms of PostgreSQL CPU per case,
 * a quarter of what the database spent on it. A statement sent with a name is parsed once per
 * connection and its plan cached (after five executions PostgreSQL may settle on a generic plan).
 *
 * The name is derived from the text, so one name never stands for two statements (pg refuses
 * that). Each connection prepares at most `limit` statements: texts that vary without end
 * (IN-lists of every length, dynamic filters) must not grow a backend's memory without bound;
 * past the limit statements go unnamed, as before. Statements without parameters (BEGIN, COMMIT,
 * DDL) are never named. A statement whose cached plan the server refuses after a schema change
 * ("cached plan must not change result type", 0A000) fails once and is sent unnamed from then on
 * by that connection. PgBouncer in transaction mode before 1.21 cannot carry named statements:
 * DATABASE_PREPARED_STATEMENTS=false turns all of this off.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

/** Distinct statements one connection prepares at most. */
export const PREPARED_PER_CONNECTION = 256;

const namesByText = new Map<string, string>();
/** Texts remembered for their names; the map is emptied when full (names are recomputable). */
const NAME_CACHE_SIZE = 4096;

function nameOf(text: string): string {
  let name = namesByText.get(text);
  if (name === undefined) {
    name = `t${createHash('sha1').update(text).digest('base64url').slice(0, 22)}`;
    if (namesByText.size >= NAME_CACHE_SIZE) namesByText.clear();
    namesByText.set(text, name);
  }
  return name;
}

const FEATURE_NOT_SUPPORTED = '0A000';

type Query = (...args: unknown[]) => unknown;
const unnamedQuery = pg.Client.prototype.query as Query;

/** A pg.Client class (for `new pg.Pool({ Client })`) that names its parameterised statements. */
export function preparingClient(limit = PREPARED_PER_CONNECTION): typeof pg.Client {
  class PreparingClient extends pg.Client {
    readonly preparedNames = new Set<string>();
    readonly refusedNames = new Set<string>();
  }
  // pg's query() has a dozen overloads; only the shape Kysely uses, (text, values) answered by a
  // promise, is rewritten, and every other call passes through unchanged.
  PreparingClient.prototype.query = function (this: PreparingClient, ...args: unknown[]) {
    const [text, values, callback] = args;
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || callback !== undefined) {
      return unnamedQuery.apply(this, args);
    }
    const name = nameOf(text);
    const named = !this.refusedNames.has(name) && (this.preparedNames.has(name) || this.preparedNames.size < limit);
    if (!named) return unnamedQuery.call(this, text, values);
    // counted once it ran: a statement the server refused to parse holds no slot of the limit
    return (unnamedQuery.call(this, { name, text, values }) as Promise<pg.QueryResult>).then(
      (result) => {
        this.preparedNames.add(name);
        return result;
      },
      (error: unknown) => {
        if ((error as { code?: string }).code === FEATURE_NOT_SUPPORTED) this.refusedNames.add(name);
        throw error;
      },
    );
  } as pg.Client['query'];
  return PreparingClient;
}
