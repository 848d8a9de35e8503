import type { Tx } from '../../platform/db/database.js';
import type { StaffPrincipal } from '../../platform/auth/principal.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { addDays, todayInShanghai } from '../../platform/time.js';
import type { CalendarService } from '../calendar/service.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import { applyTransition } from './engine.js';
import { CaseErrors } from './errors.js';
import type { CreditChecks } from './instant.js';
import { revokeResults, type ResultIssuer } from './results.js';
import { lockCase, type CaseActor, type CaseRow } from './store.js';

/*
 * 告知承诺 verification (事后核查): after an approval by commitment the department checks what the
 * applicant committed to. Confirmed: recorded. False: the decision is revoked (the case keeps
 * CONTRACT's status; the revocation is its history entry and the verification's outcome), the
 * e-licenses it issued are revoked (the licenses module, through the ResultIssuer), and every signer — the applicant, and for an enterprise its legal representative — goes on the
 * service blacklist with the reason, the item's legal basis and period, in the same transaction.
 */

export const VERIFIER_ROLES = ['approver', 'inspector', 'department_admin'] as const;

export interface VerificationInput {
  outcome: 'confirmed' | 'false';
  finding: string;
}

export interface VerificationDeps {
  credit?: CreditChecks | undefined;
  results?: ResultIssuer | undefined;
  calendar: CalendarService;
  now: Date;
}

export async function recordCommitmentVerification(trx: Tx, deps: VerificationDeps, principal: StaffPrincipal, actor: CaseActor, caseNumber: string, item: ItemGuide, input: VerificationInput): Promise<CaseRow> {
  const row = await lockCase(trx, caseNumber);
  if (!row) throw CaseErrors.case_not_found();
  if (principal.departmentId !== row.department_id || !principal.roles.some((r) => (VERIFIER_ROLES as readonly string[]).includes(r))) throw CaseErrors.action_forbidden({ action: '告知承诺核查' });
  const verification = await trx.selectFrom('case_verifications').selectAll().where('case_id', '=', row.id).forUpdate().executeTakeFirst();
  if (!verification) throw CaseErrors.verification_not_found();
  if (verification.status !== 'open') throw CaseErrors.verification_decided();
  const now = deps.now;
  let entries: string[] = [];
  let licensesRevoked: string[] = [];
  if (input.outcome === 'false') {
    licensesRevoked = await revokeResults(trx, deps.results, {
      caseNumber: row.case_number,
      holderIdentifier: row.applicant_identifier,
      reason: `告知承诺不实，撤销审批决定（办件 ${row.case_number}）：${input.finding}`,
      actorId: principal.userId,
      at: now,
    });
    const commitment = (row.commitment ?? {}) as { legalRepresentative?: { name: string; idNumber: string } };
    const terms = item.commitment;
    const subjects = [
      { kind: row.applicant_kind, identifier: row.applicant_identifier, name: row.applicant_name },
      ...(commitment.legalRepresentative ? [{ kind: 'natural' as const, identifier: commitment.legalRepresentative.idNumber, name: commitment.legalRepresentative.name }] : []),
    ];
    if (deps.credit) {
      entries = await deps.credit.listFalseCommitment(trx, {
        subjects,
        reason: `告知承诺不实（${row.item_name}，办件 ${row.case_number}）：${input.finding}`,
        legalBasis: terms?.legalBasis ?? '《优化营商环境条例》第十九条',
        caseNumber: row.case_number,
        departmentId: row.department_id,
        validUntil: addDays(todayInShanghai(now), terms?.blacklistDays ?? 1095),
        actorId: principal.userId,
        now,
      });
    }
  }
  await trx.updateTable('case_verifications').set({
    status: input.outcome,
    decided_at: now,
    decided_by: principal.userId,
    finding: input.finding,
    credit_entry_ids: entries.length > 0 ? JSON.stringify(entries) : null,
  }).where('id', '=', verification.id).execute();
  await recordAudit(trx, { id: principal.userId, kind: 'staff', ip: actor.ip }, { action: 'cases.commitment.verified', targetType: 'case', targetId: row.case_number, detail: { outcome: input.outcome, entries, licensesRevoked } });
  return applyTransition(trx, { calendar: deps.calendar }, {
    row,
    action: input.outcome === 'false' ? 'revoke_decision' : 'verify_commitment',
    to: row.status,
    actor,
    now,
    comment: input.finding,
    detail: input.outcome === 'false' ? { revoked: true, finding: input.finding, creditEntries: entries, licensesRevoked } : { confirmed: true },
  });
}
