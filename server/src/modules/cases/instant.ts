import { createHash } from 'node:crypto';
import { sql, type Expression, type Insertable } from 'kysely';
import type { Db, Executor, Tx, WriteInStatement } from '../../platform/db/database.js';
import type { CaseVerificationTable } from '../../platform/db/schema.js';
import { todayInShanghai } from '../../platform/time.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { CreditStanding, CreditSubject, FalseCommitmentListing } from '../credit/service.js';
import type { PublishedRules } from '../rules/service.js';
import type { DecisionRecord } from '../rules/schemas.js';
import type { Evaluation } from '../rules/table.js';
import type { CaseDeps } from './actions.js';
import { withPickupCode } from './delivery.js';
import { decisionTitle } from './documents.js';
import { applyTransitionAtOnce } from './engine.js';
import { decisionNumberQuery } from './numbers.js';
import { prepareResults } from './results.js';
import { insertHistory, noticeRow, lockCase, type CaseActor, type CaseRow } from './store.js';

/*
 * 秒批 and 告知承诺 in the case workflow. The rules and the credit lists are other modules' services,
 * reached through the interfaces below (CasesSettings), so this module knows their answers, not
 * their tables.
 *
 * Instant approval runs within the submission request, after the filing has committed (a
 * shared-data look-up must name an existing case): inputs are gathered (form, profile, licenses
 * held, look-ups), the compiled table decides, and one statement accepts and decides the case as
 * the system in one transition — decision number, decision notice, the results issued
 * (results.ts); or, when anything is missing or fails, the case is left submitted for the front
 * desk with the reason recorded. It never approves by default.
 */

/** The rules module's side: the published, compiled rules of an item version. */
export interface InstantRules {
  publishedFor(itemCode: string, itemVersion: number): Promise<PublishedRules | null>;
}

/** The credit module's side: standing on the lists, and black-listing for a false commitment. */
export interface CreditChecks {
  standing(subjects: readonly CreditSubject[], executor?: Executor): Promise<CreditStanding>;
  listFalseCommitment(trx: Executor, listing: FalseCommitmentListing): Promise<string[]>;
}

/**
 * Licenses the applicant holds (the e-license module, built in parallel). Absent: a rule input
 * on a license is unavailable, and the case goes to a person.
 */
export interface LicensesHeld {
  holds(subject: CreditSubject, licenseTypeCodes: readonly string[]): Promise<Record<string, boolean>>;
}

/** Shared-data values for rule inputs (the data-sharing module's `lookupForCase`). */
export interface SharedDataLookup {
  lookup(input: { consumerDepartmentId: string; resourceCode: string; subject: string; caseRef: string; purpose: string }): Promise<{ ok: true; found: boolean; data: Record<string, unknown> | null } | { ok: false; code: string }>;
}

export const SYSTEM_CASE_ACTOR: CaseActor = { kind: 'system', id: null, name: '自动审批（秒批）', ip: null };

export interface InstantServices {
  rules?: InstantRules | undefined;
  licensesHeld?: LicensesHeld | undefined;
  sharedLookup?: SharedDataLookup | undefined;
}

type Fallback = NonNullable<DecisionRecord['fallback']>;

/** GB 11643: digits 7-14 are the birth date. */
function ageOn(identifier: string, today: string): number | undefined {
  if (!/^\d{17}[\dX]$/.test(identifier)) return undefined;
  const birth = `${identifier.slice(6, 10)}-${identifier.slice(10, 12)}-${identifier.slice(12, 14)}`;
  let age = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
  if (today.slice(5) < birth.slice(5)) age -= 1;
  return age;
}

/**
 * The table's inputs for a case. An input is left out (unavailable) when its source has no value;
 * a failing look-up is a fallback of its own (the case goes to a person, saying which).
 */
/** What the inputs are read from: the case as filed. */
export type FiledFacts = Pick<CaseRow, 'form' | 'applicant_kind' | 'applicant_identifier' | 'department_id' | 'case_number' | 'item_name'>;

export async function gatherInputs(services: InstantServices, rules: PublishedRules, row: FiledFacts, now: Date): Promise<{ values: Record<string, unknown>; fallback: Fallback | null }> {
  const values: Record<string, unknown> = {};
  const today = todayInShanghai(now);
  const subject = { kind: row.applicant_kind, identifier: row.applicant_identifier };
  const licenseCodes = rules.table.inputs.filter((i) => i.source === 'license').map((i) => i.path);
  let held: Record<string, boolean> | null = null;
  if (licenseCodes.length > 0 && services.licensesHeld) {
    try {
      held = await services.licensesHeld.holds(subject, licenseCodes);
    } catch {
      return { values, fallback: { code: 'lookup_failed', message: '电子证照查询失败，转人工办理' } };
    }
  }
  const lookups = new Map<string, ReturnType<SharedDataLookup['lookup']>>();
  // shared data last, and only when everything else is there: no one's data is looked up for a
  // decision that cannot be made anyway
  const ordered = [...rules.table.inputs.filter((i) => i.source !== 'shared'), ...rules.table.inputs.filter((i) => i.source === 'shared')];
  for (const input of ordered) {
    let value: unknown;
    switch (input.source) {
      case 'form': value = row.form[input.path]; break;
      case 'applicant':
        if (input.path === 'kind') value = row.applicant_kind;
        else if (input.path === 'age') value = row.applicant_kind === 'natural' ? ageOn(row.applicant_identifier, today) : undefined;
        else if (input.path === 'regionCode') value = row.applicant_kind === 'natural' ? row.applicant_identifier.slice(0, 6) : undefined;
        break;
      case 'license': value = held ? held[input.path] ?? false : undefined; break;
      case 'shared': {
        if (Object.keys(values).length < rules.table.inputs.filter((i) => i.source !== 'shared').length) return { values, fallback: null };
        if (!services.sharedLookup) return { values, fallback: { code: 'lookup_failed', message: `数据共享服务不可用（${input.label}），转人工办理` } };
        const dot = input.path.lastIndexOf('.');
        const resourceCode = input.path.slice(0, dot);
        const field = input.path.slice(dot + 1);
        let pending = lookups.get(resourceCode);
        if (!pending) {
          pending = services.sharedLookup.lookup({ consumerDepartmentId: row.department_id, resourceCode, subject: row.applicant_identifier, caseRef: row.case_number, purpose: `秒批规则核验：${row.item_name}` })
            .catch(() => ({ ok: false as const, code: 'lookup_failed' }));
          lookups.set(resourceCode, pending);
        }
        const check = await pending;
        if (!check.ok) return { values, fallback: { code: 'lookup_failed', message: `共享数据查询失败（${input.label}：${check.code}），转人工办理` } };
        value = check.found && check.data ? check.data[field] : undefined;
        break;
      }
    }
    if (value !== undefined && value !== '') values[input.id] = value;
  }
  return { values, fallback: null };
}

export function decisionRecord(rules: PublishedRules | null, values: Record<string, unknown>, evaluation: Evaluation | null, fallback: Fallback | null, now: Date): DecisionRecord {
  const fb = fallback ?? evaluation?.fallback ?? null;
  return {
    ruleId: rules?.id ?? null,
    ruleVersion: rules?.ruleVersion ?? null,
    outcome: fb ? 'route' : evaluation!.outcome,
    reasons: fb ? [fb.message] : evaluation!.reasons,
    matchedRows: evaluation?.matchedRows ?? [],
    inputs: values,
    fallback: fb,
    decidedAt: now.toISOString(),
  };
}

export interface InstantDecision {
  record: DecisionRecord;
  /** Stores the request's answer, given what the case became, in the deciding statement (platform/http/idempotency.ts). */
  answer?: (decided: { status: 'approved' | 'denied'; version: number; decisionNumber: Expression<string> }) => WriteInStatement;
}

/**
 * Leaves a case still as it was filed (submitted, the version seen) for the front desk, the
 * decision record kept in its history. Nothing about the case changes, so no event. A case
 * someone has meanwhile acted on is left alone.
 */
export async function routeInstantCase(trx: Tx, target: { caseNumber: string; version: number }, record: DecisionRecord): Promise<CaseRow | null> {
  const row = await lockCase(trx, target.caseNumber);
  if (!row || row.status !== 'submitted' || row.version !== target.version) return null;
  await insertHistory(trx, { caseId: row.id, action: 'instant_routed', fromStatus: row.status, status: row.status, actor: SYSTEM_CASE_ACTOR, detail: { decision: record }, elapsedWorkdays: null });
  return row;
}

/**
 * What an automatic approval writes beside the decision: its results, signed (results.ts), and
 * the 告知承诺 verification task. A result that cannot be issued refuses here (AppError), before
 * anything is written.
 */
export async function approvalWrites(db: Executor, deps: CaseDeps, row: CaseRow, item: ItemGuide, now: Date): Promise<WriteInStatement[]> {
  const { writes } = await prepareResults(db, deps.results, row, item, now);
  const verification = await verificationRow(deps, row, item, now);
  if (!verification) return writes;
  return [...writes, (q) => q.insertInto('case_verifications').values(verification).onConflict((oc) => oc.column('case_id').doNothing())];
}

/** The decision number, as the deciding statement's first WITH clause answers it. */
const DECISION_NUMBER = sql<string>`(SELECT number FROM decision_number)`;

/**
 * Approves or denies a case still as it was filed (`row`, read back by the filing) as the
 * system: accepted and decided at one instant, with its decision number, the decision notice,
 * the Idempotency-Key's answer and `comesWith` (`approvalWrites`) — all one statement, with no
 * transaction around it (engine `applyTransitionAtOnce`). The number is taken by that statement
 * (numbers.ts `decisionNumberQuery`), so the department's counter row is locked for one
 * statement, and a decision that does not happen takes none: the series has no gaps. A case
 * someone has meanwhile acted on is left alone (null), and nothing is written.
 */
export async function decideInstantCase(db: Executor, deps: CaseDeps, target: { row: CaseRow; item: ItemGuide }, decision: InstantDecision, now: Date, comesWith: readonly WriteInStatement[] = []): Promise<CaseRow | null> {
  const { row, item } = target;
  const { record } = decision;
  if (record.outcome === 'route') throw new Error('a routed case is left for the front desk (routeInstantCase), not decided');
  const today = todayInShanghai(now);
  const outcome = record.outcome === 'approve' ? 'approved' : 'denied';
  const notice = noticeRow({
    caseId: row.id,
    kind: 'decision',
    createdBy: null,
    content: {
      title: decisionTitle(item.type, outcome),
      outcome,
      itemName: row.item_name,
      itemCode: row.item_code,
      itemType: item.type,
      departmentName: item.departmentName,
      decidedOn: today,
      reasons: record.reasons.join('；'),
      comment: `依据决策规则 ${record.ruleVersion ?? ''} 自动决定（秒批）`,
      legalBasis: item.legalBasis.map((b) => (b.article ? `${b.title}${b.article}` : b.title)),
      results: outcome === 'approved' ? item.results.map((r) => r.name) : [],
    },
  });
  const numberedNotice = { ...notice, number: DECISION_NUMBER, content: sql<string>`${notice.content}::jsonb || jsonb_build_object('number', ${DECISION_NUMBER})` };
  const alsoWrite: WriteInStatement[] = [(q) => q.insertInto('case_notices').values(numberedNotice), ...(outcome === 'approved' ? comesWith : [])];
  if (decision.answer) alsoWrite.push(decision.answer({ status: outcome, version: row.version + 1, decisionNumber: DECISION_NUMBER }));
  const year = Number(today.slice(0, 4));
  // accepted and decided at one instant by the system: one transition (submitted → approved /
  // denied), its history entry and its event carrying action instant_decision; the acceptance is
  // the case's accepted_at / accepted_on, the same instant
  return applyTransitionAtOnce(
    db,
    deps,
    {
      row,
      action: 'instant_decision',
      to: outcome,
      actor: SYSTEM_CASE_ACTOR,
      now,
      detail: { decision: record, accepted: true },
      patch: { accepted_at: now, accepted_on: today, decision: outcome, decision_number: DECISION_NUMBER, decided_at: now, closed_at: now, delivery: JSON.stringify(withPickupCode(row.delivery)) },
      alsoWrite,
    },
    {
      first: [['decision_number', (q) => decisionNumberQuery(q, item.departmentId, item.departmentName, year)]],
      detailFromStatement: { decisionNumber: DECISION_NUMBER },
    },
  );
}

// --- 告知承诺 ---------------------------------------------------------------------------------------

/** The item's statement as signed: placeholders filled, kept with its time and SHA-256. */
export function renderCommitment(item: ItemGuide, applicantName: string, now: Date, legalRepresentative?: { name: string; idNumber: string }) {
  const terms = item.commitment!;
  const text = terms.statement
    .replaceAll('{applicantName}', applicantName)
    .replaceAll('{itemName}', item.name)
    .replaceAll('{date}', todayInShanghai(now));
  return {
    text,
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    signedAt: now.toISOString(),
    itemVersion: item.version,
    replaces: terms.materialIds,
    ...(legalRepresentative ? { legalRepresentative: { name: legalRepresentative.name, idNumber: legalRepresentative.idNumber.toUpperCase() } } : {}),
  };
}

/** After an approval by commitment: the department's verification task, due in the item's working days. */
export async function openVerification(trx: Tx, deps: CaseDeps, row: CaseRow, item: ItemGuide, now: Date): Promise<void> {
  const verification = await verificationRow(deps, row, item, now);
  if (verification) await trx.insertInto('case_verifications').values(verification).onConflict((oc) => oc.column('case_id').doNothing()).execute();
}

/** The verification task an approval of `row` opens: none unless the case was applied for by commitment. */
async function verificationRow(deps: CaseDeps, row: CaseRow, item: ItemGuide, now: Date): Promise<Insertable<CaseVerificationTable> | null> {
  if (!row.commitment || !item.commitment) return null;
  const today = todayInShanghai(now);
  const due = await deps.calendar.deadline(today, item.commitment.verificationDays).catch(() => {
    // a year not loaded: calendar days stand in (flagged nowhere else would be worse than a date)
    const d = new Date(`${today}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + item.commitment!.verificationDays);
    return d.toISOString().slice(0, 10);
  });
  return { case_id: row.id, department_id: row.department_id, due_date: due };
}

export async function verificationOf(db: Executor, caseId: string) {
  return db.selectFrom('case_verifications').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

export type { Db };
