import { sql, type QueryCreator } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { CaseErrors } from './errors.js';

/*
 * Case number (办件编号): implementation code + yyyyMMdd + a 4-digit daily sequence, the form in
 * common use (see DOMAIN.md). The counter row is bumped by one atomic upsert, so two instances
 * can never hand out the same number; the 9,999-a-day limit is the counter's CHECK constraint
 * (migration 0014), so a refused bump changes nothing.
 */

/**
 * The counter bump as a query answering `number`, for a WITH clause of the statement that files
 * the case (application.ts `fileCase`): the number is then taken and used in one round trip, and
 * a filing the database refuses takes no number.
 */
export function caseNumberQuery(db: QueryCreator<Database>, implementationCode: string, civilDate: string) {
  return db
    .insertInto('case_sequences')
    .values({ prefix: implementationCode, day: civilDate, last: 1 })
    .onConflict((oc) => oc.columns(['prefix', 'day']).doUpdateSet({ last: sql`case_sequences.last + 1` }))
    .returning(sql<string>`${`${implementationCode}${civilDate.replaceAll('-', '')}`}::text || lpad(last::text, 4, '0')`.as('number'));
}

/** The next case number, in the caller's transaction (sub-cases of a parallel approval). */
export async function nextCaseNumber(db: Executor, implementationCode: string, civilDate: string): Promise<string> {
  try {
    return (await caseNumberQuery(db, implementationCode, civilDate).executeTakeFirstOrThrow()).number;
  } catch (error) {
    throw numberingError(error);
  }
}

/** The daily limit's constraint, refused, as the error the caller is told; anything else unchanged. */
export function numberingError(error: unknown): unknown {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23514' && e.constraint === 'case_sequences_daily_limit' ? CaseErrors.case_number_exhausted() : error;
}

/**
 * Decision document number (决定书文号): the department's name, the year in 〔〕 and a yearly
 * sequence of at least five digits, as printed on the document. Taken inside the statement or
 * transaction that decides: a decision number must not be skipped.
 *
 * The counter bump as a query answering `number`, for a WITH clause of the deciding statement
 * (instant.ts `decideInstantCase`); the one place the number is formatted.
 */
export function decisionNumberQuery(db: QueryCreator<Database>, departmentId: string, departmentName: string, year: number) {
  return db
    .insertInto('decision_sequences')
    .values({ department_id: departmentId, year, last: 1 })
    .onConflict((oc) => oc.columns(['department_id', 'year']).doUpdateSet({ last: sql`decision_sequences.last + 1` }))
    .returning(sql<string>`${`${departmentName}决字〔${year}〕第`}::text || lpad(last::text, greatest(5, length(last::text)), '0') || '号'`.as('number'));
}

/** The next decision number, in the caller's transaction (the back office's decision). */
export async function nextDecisionNumber(db: Executor, departmentId: string, departmentName: string, year: number): Promise<string> {
  return (await decisionNumberQuery(db, departmentId, departmentName, year).executeTakeFirstOrThrow()).number;
}
