import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { CaseErrors } from './errors.js';

/**
 * Case number (办件编号): implementation code + yyyyMMdd + a 4-digit daily sequence, the form in
 * common use (see DOMAIN.md). The counter row is bumped by one atomic upsert, so two instances
 * can never hand out the same number. It runs in its own short transaction before the case's:
 * the row lock is then held for a millisecond rather than for the whole submission, at the price
 * of a gap when a submission fails after taking its number (numbers are unique, not gapless).
 */
export async function nextCaseNumber(db: Executor, implementationCode: string, civilDate: string): Promise<string> {
  const row = await sql<{ last: number }>`
    INSERT INTO case_sequences (prefix, day, last) VALUES (${implementationCode}, ${civilDate}, 1)
    ON CONFLICT (prefix, day) DO UPDATE SET last = case_sequences.last + 1
    RETURNING last`.execute(db);
  const last = row.rows[0]!.last;
  if (last > 9999) throw CaseErrors.case_number_exhausted();
  return `${implementationCode}${civilDate.replaceAll('-', '')}${String(last).padStart(4, '0')}`;
}

/**
 * Decision document number (决定书文号): the department's name, the year in 〔〕 and a yearly
 * sequence, as printed on the document. Taken inside the deciding transaction: a decision
 * number must not be skipped.
 */
export async function nextDecisionNumber(db: Executor, departmentId: string, departmentName: string, year: number): Promise<string> {
  const row = await sql<{ last: number }>`
    INSERT INTO decision_sequences (department_id, year, last) VALUES (${departmentId}, ${year}, 1)
    ON CONFLICT (department_id, year) DO UPDATE SET last = decision_sequences.last + 1
    RETURNING last`.execute(db);
  return `${departmentName}决字〔${year}〕第${String(row.rows[0]!.last).padStart(5, '0')}号`;
}
