import type { Executor, Tx, WriteInStatement } from '../../platform/db/database.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { CaseRow } from './store.js';

/** An approved case, as the module that issues its results (e-licenses) needs to see it. */
export interface ApprovedCase {
  caseId: string;
  caseNumber: string;
  itemCode: string;
  itemVersion: number;
  departmentId: string;
  applicantKind: 'natural' | 'legal';
  applicantName: string;
  /** ID number (GB 11643) or credit code (GB 32100). */
  applicantIdentifier: string;
  applicantUserId: string | null;
  form: Record<string, unknown>;
  /** The item version's results (`licenseTypeCode` names the e-license type a result is). */
  results: ItemGuide['results'];
  decidedAt: Date;
}

export interface IssuedResult {
  name: string;
  licenseId: string;
}

/** An approval's results, signed and ready, as writes for the statement that approves the case. */
export interface PreparedResults {
  results: IssuedResult[];
  writes: WriteInStatement[];
}

/**
 * Issues an approved case's results in the decision's own transaction, so a case is approved
 * exactly when its e-licenses exist. Implemented by the licenses module; without one, an approved
 * case's results are the decision notice alone. Every path that approves a case (the back office's
 * decision, an automatic one) calls `issueResults` below, never the issuer directly.
 */
export interface ResultIssuer {
  issueForApprovedCase(trx: Tx, approved: ApprovedCase): Promise<IssuedResult[]>;
  /**
   * The same results, signed, as writes for the approving statement itself, for a decision made
   * in one statement with no transaction around it (`prepareResults`). Refuses as
   * `issueForApprovedCase` does, before anything is written.
   */
  prepareForApprovedCase(executor: Executor, approved: ApprovedCase): Promise<PreparedResults>;
  /**
   * A decision revoked (a commitment found false): every license still valid that the case's
   * decision issued is revoked, in the revocation's transaction, with the reason. Answers the
   * identifiers revoked.
   */
  revokeForCase(trx: Tx, revocation: ResultRevocation): Promise<string[]>;
}

export interface ResultRevocation {
  caseNumber: string;
  /** The case's applicant, the licenses' holder. */
  holderIdentifier: string;
  reason: string;
  /** The staff member revoking the decision. */
  actorId: string;
  at: Date;
}

export async function issueResults(trx: Tx, issuer: ResultIssuer | undefined, row: CaseRow, item: ItemGuide): Promise<IssuedResult[]> {
  if (!issuer || row.decision !== 'approved' || row.decision_number === null || row.decided_at === null) return [];
  if (!item.results.some((r) => r.licenseTypeCode)) return [];
  return issuer.issueForApprovedCase(trx, approvedCase(row, item, row.decided_at));
}

/**
 * The results of a case about to be approved at `decidedAt`, prepared for the approving statement
 * (nothing without an issuer, or when no result is an e-license).
 */
export async function prepareResults(executor: Executor, issuer: ResultIssuer | undefined, row: CaseRow, item: ItemGuide, decidedAt: Date): Promise<PreparedResults> {
  if (!issuer || !item.results.some((r) => r.licenseTypeCode)) return { results: [], writes: [] };
  return issuer.prepareForApprovedCase(executor, approvedCase(row, item, decidedAt));
}

function approvedCase(row: CaseRow, item: ItemGuide, decidedAt: Date): ApprovedCase {
  return {
    caseId: row.id,
    caseNumber: row.case_number,
    itemCode: row.item_code,
    itemVersion: row.item_version,
    departmentId: row.department_id,
    applicantKind: row.applicant_kind,
    applicantName: row.applicant_name,
    applicantIdentifier: row.applicant_identifier,
    applicantUserId: row.applicant_user_id,
    form: row.form,
    results: item.results,
    decidedAt,
  };
}

/** The results a revoked decision issued, revoked with it (nothing without an issuer). */
export async function revokeResults(trx: Tx, issuer: ResultIssuer | undefined, revocation: ResultRevocation): Promise<string[]> {
  return issuer ? issuer.revokeForCase(trx, revocation) : [];
}
