import { sql, type ExpressionBuilder, type SqlBool, type Expression } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, WriteInStatement } from '../../platform/db/database.js';
import type { CaseStatus, Database } from '../../platform/db/schema.js';
import { reaches, type ApplicantPrincipal, type Principal, type ScopeTarget, type StaffPrincipal } from '../../platform/auth/principal.js';
import { AppError, CommonErrors, FieldCodes, invalidInput, type FieldErrorSpec } from '../../platform/http/errors.js';
import { creditCodeError, idNumberError } from '../../platform/http/identifier-errors.js';
import type { AnswerInStatement, AnswerUpdate } from '../../platform/http/idempotency.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { todayInShanghai } from '../../platform/time.js';
import { CASE_ACTION_LABELS, type CaseAction } from '../../shared/case-codes.js';
import { checkCreditCode, checkIdNumber, isValidMobile, normalizeCreditCode, normalizeIdNumber } from '../../shared/identifiers.js';
import type { CalendarService } from '../calendar/service.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { CatalogQueryService } from '../catalog/query-service.js';
import type { FileAccessPolicy, FilesService } from '../files/service.js';
import type { IdentityService } from '../identity/service.js';
import type { OrgService } from '../org/service.js';
import type { CaseDirectory, SharedDataCheck } from '../sharing/gateway.js';
import { CASE_READER_ROLES, caseActor, mayTake, reachableCase, reachCondition, reachesCase } from './access.js';
import type { ActionBody, CaseDeps } from './actions.js';
import { applicantHandlers } from './applicant-actions.js';
import {
  assertOffered,
  checkContact,
  checkFormData,
  defaultReferences,
  fileCase,
  missingRequired,
  resolveMaterials,
  type CaseFilingAddition,
  type Filing,
  type MaterialReferenceResolver,
  type MaterialServices,
  type NewMaterial,
} from './application.js';
import { backOfficeHandlers } from './back-office.js';
import { deliver } from './delivery.js';
import { createDraft, deleteDraft, getDraft, listDrafts, updateDraft } from './drafts.js';
import { lockForAction } from './engine.js';
import { CaseErrors, CaseFieldCodes } from './errors.js';
import { frontDeskHandlers } from './front-desk.js';
import type { ResultIssuer } from './results.js';
import type { DecisionRecord } from '../rules/schemas.js';
import { approvalWrites, decideInstantCase, decisionRecord, gatherInputs, type InstantDecision, renderCommitment, routeInstantCase, type CreditChecks, type InstantRules, type LicensesHeld, type SharedDataLookup } from './instant.js';
import type { CreditStanding } from '../credit/service.js';
import { recordCommitmentVerification, type VerificationInput } from './verification.js';
import { prepareAction, type PreparedHandler } from './prepare.js';
import { sendOwedReminders, type OwedReminderRound } from './reminders.js';
import type { ApplicationInput, CaseCreated, CaseDetail, CaseListQuery, CaseSummary, Draft, DraftInput, FrontDeskQuery, WindowFilingInput } from './schemas.js';
import { findCase, type CaseRow } from './store.js';
import { detailOf, summaryOf } from './view.js';

export interface CasesDeps {
  calendar: CalendarService;
  catalogQuery: CatalogQueryService;
  org: OrgService;
  /** Applicant accounts (who a case is filed for), staff names. */
  identity: IdentityService;
  files: FilesService;
}

/** Verifies a material standing on shared data (implemented by the data-sharing module). */
export interface SharedDataVerifier {
  verify(input: { consumerDepartmentId: string; resourceCode: string; subject: string; caseRef: string; purpose: string }): Promise<SharedDataCheck>;
}

export interface CasesSettings {
  /** The clock: tests set the date (deadlines over holidays) through it. */
  now?: () => Date;
  /** Resolves e-license and shared-data references on materials (application.ts). */
  references?: MaterialReferenceResolver;
  /**
   * Verifies materials standing on shared data (the data-sharing module). A callback, because that
   * module is built after this one: its gateway asks this service about cases.
   */
  sharedData?: SharedDataVerifier;
  /** Issues approved cases' e-licenses (the licenses module). */
  results?: ResultIssuer;
  /** 秒批: the published decision rules of item versions (the rules module). */
  rules?: InstantRules;
  /** The credit lists (the credit module): restrictions, the green channel, false commitments. */
  credit?: CreditChecks;
  /** E-licenses the applicant holds, for rule inputs (the e-license module, when present). */
  licensesHeld?: LicensesHeld;
  /** Shared-data values for rule inputs (the data-sharing module); a callback, as `sharedData`. */
  sharedLookup?: SharedDataLookup;
}

const CONFIRMED_CACHE = 10_000;

type CaseQuery = ExpressionBuilder<Database, 'cases'>;

/** Statuses of a completed case a rating may be given for (a withdrawn case was not served to the end). */
const EVALUABLE_STATUSES = ['not_accepted', 'approved', 'denied', 'delivered'] as const;
/** History actions that complete a case: their actor is the staff member a rating is about. */
const COMPLETING_ACTIONS = new Set(['approve', 'deny', 'not_accept', 'instant_decision']);

/** A case as the evaluation module sees it (`evaluationSubject`). */
export interface EvaluationSubject {
  caseNumber: string;
  itemCode: string;
  itemName: string;
  applicantUserId: string | null;
  status: CaseStatus;
  completedAt: Date | null;
  departmentId: string;
  regionPath: string;
  hallId: string | null;
  staff: { id: string; name: string } | null;
}
type Page<T> = { items: T[]; nextCursor: string | null };

/** Case handling (办件): applying, the front desk, reading; the back office's and delivery's actions are dispatched from here too. */
export class CasesService implements CaseDirectory {
  private readonly now: () => Date;
  private readonly materials: MaterialServices;
  private readonly handlers: Record<CaseAction, PreparedHandler>;
  private readonly caseDeps: CaseDeps;
  /** Departments' scopes by id, as read once (see `departmentScope`). */
  private readonly scopes = new Map<string, ScopeTarget>();
  private readonly sharedData: SharedDataVerifier | null;
  private readonly settings: CasesSettings;
  /** Case confirmations given to the sharing gateway, by consumer department and case number (oldest dropped first). */
  private readonly confirmed = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly deps: CasesDeps,
    settings: CasesSettings = {},
  ) {
    this.now = settings.now ?? (() => new Date());
    this.settings = settings;
    this.sharedData = settings.sharedData ?? null;
    this.materials = { files: deps.files, references: settings.references ?? defaultReferences };
    this.caseDeps = { calendar: deps.calendar, catalogQuery: deps.catalogQuery, identity: deps.identity, departmentScope: (id) => this.departmentScope(id), results: settings.results };
    this.handlers = { ...frontDeskHandlers, ...applicantHandlers, ...backOfficeHandlers, deliver };
  }

  /**
   * 免提交: after a filing commits (the gateway must find the case), each material standing on
   * shared data is looked up for the case's department. Found: the material is accepted with the
   * signed answer's reference kept; refused or not found: it stays pending with the reason, for
   * the clerk to check by hand. A look-up never undoes the filing. Most filings have no such
   * material: they are not asked for their rows again.
   */
  private async verifySharedMaterials(caseNumber: string, filed: readonly NewMaterial[]): Promise<void> {
    if (!this.sharedData || !filed.some((m) => m.source === 'shared_data')) return;
    const rows = await this.db
      .selectFrom('case_materials')
      .innerJoin('cases', 'cases.id', 'case_materials.case_id')
      .select(['case_materials.id', 'case_materials.name', 'case_materials.shared_data', 'cases.department_id', 'cases.applicant_identifier'])
      .where('cases.case_number', '=', caseNumber)
      .where('case_materials.source', '=', 'shared_data')
      .execute();
    for (const row of rows) {
      const resourceCode = String(row.shared_data?.resourceId ?? '');
      // The case is filed and its answer must say so: an unexpected failure of the look-up (the
      // gateway answers refusals itself) leaves the material for the clerk rather than turning
      // the filing into a 500 that a client would retry into a second case.
      const check: SharedDataCheck = await this.sharedData
        .verify({
          consumerDepartmentId: row.department_id,
          resourceCode,
          subject: row.applicant_identifier,
          caseRef: caseNumber,
          purpose: `办件材料免提交核验：${row.name}`,
        })
        .catch(() => ({ ok: false, code: 'lookup_failed' }));
      const verified = check.ok && check.found;
      await this.db
        .updateTable('case_materials')
        .set({
          shared_data: JSON.stringify({ ...row.shared_data, check, checkedAt: this.now().toISOString() }),
          verdict: verified ? 'accepted' : 'pending',
          verdict_reason: verified ? '已通过数据共享核验' : check.ok ? '共享数据中未查到该申请人的记录，请人工核验' : `数据共享核验未通过（${check.code}），请人工核验`,
        })
        .where('id', '=', row.id)
        .execute();
    }
  }

  // --- applying -------------------------------------------------------------------------------

  /** The item's current published version, or 422 item_not_available: one cannot apply for anything else. */
  private async publishedItem(itemCode: string): Promise<ItemGuide> {
    try {
      return await this.deps.catalogQuery.guide(itemCode);
    } catch (error) {
      if (error instanceof AppError && error.code === 'item_not_found') throw CaseErrors.item_not_available({ itemCode });
      throw error;
    }
  }

  /**
   * Where an item's department sits, read once per department and then remembered: the org
   * module never moves a department to another region (a department's patch is its name and
   * whether it is active) nor a region under another parent, so the answer cannot go stale. A
   * submission is a dozen round trips to the database; this was one of them. (A few hundred
   * departments: the map stays small.)
   */
  private async departmentScope(departmentId: string): Promise<ScopeTarget> {
    const known = this.scopes.get(departmentId);
    if (known) return known;
    const scope = await this.deps.org.departmentScope(departmentId);
    this.scopes.set(departmentId, scope);
    return scope;
  }

  /** Standing on the credit lists of the applicant (and a legal representative answering for a commitment). */
  private async creditStanding(subjects: Array<{ kind: 'natural' | 'legal'; identifier: string }>): Promise<CreditStanding | null> {
    return this.settings.credit ? this.settings.credit.standing(subjects) : null;
  }

  /**
   * `POST /cases`: an applicant applies online for a published item. `answer`: the request's
   * Idempotency-Key, stored with the filing when the answer is known then (not for 秒批 items,
   * whose answer carries the decision).
   */
  async submit(principal: ApplicantPrincipal, ip: string | null, input: ApplicationInput, answer?: AnswerInStatement | null): Promise<CaseCreated> {
    const now = this.now();
    const item = await this.publishedItem(input.itemCode);
    assertOffered(item, principal.applicantKind);
    const profile = await this.deps.identity.applicantProfileOf(principal);
    if (!profile) throw CommonErrors.forbidden();

    // 告知承诺制: the item's statement signed in place of the materials it names
    const signing = input.commitment?.signed === true;
    if (signing && !item.commitment) throw CaseErrors.commitment_not_offered();
    const errors = [...checkFormData(item, input.form), ...checkContact(item, input.phone, input.delivery)];
    const representative = signing && profile.kind === 'legal' ? input.commitment?.legalRepresentative : undefined;
    if (signing && profile.kind === 'legal') {
      if (!representative) errors.push({ field: 'commitment.legalRepresentative', code: CaseFieldCodes.case_required });
      else {
        const problem = checkIdNumber(normalizeIdNumber(representative.idNumber), now);
        if (problem) errors.push(idNumberError('commitment.legalRepresentative.idNumber', problem));
      }
    }
    const materials = await resolveMaterials(this.materials, item, input.materials, { fileOwnerId: principal.userId, applicantUserId: principal.userId });
    const given = new Set(input.materials.map((m) => m.materialId));
    const replaced = signing ? item.commitment!.materialIds.filter((id) => !given.has(id) && item.materials.some((m) => m.id === id)) : [];
    errors.push(...materials.errors, ...missingRequired(item, new Set([...given, ...replaced])));
    if (errors.length > 0) throw invalidInput(errors);
    // before a number is taken: a submission that cannot succeed should not leave a gap
    if (input.draftId) await getDraft(this.db, principal.userId, input.draftId);

    // every filing asks the credit lists once: the green channel, and the restriction on commitment
    const subjects = [{ kind: profile.kind, identifier: profile.identifier }, ...(representative ? [{ kind: 'natural' as const, identifier: normalizeIdNumber(representative.idNumber) }] : [])];
    const standing = await this.creditStanding(subjects);
    if (signing && standing && standing.black.length > 0) {
      const entry = standing.black[0]!;
      throw CaseErrors.credit_restricted({ reason: entry.reason, until: entry.validUntil ?? '长期' });
    }
    const creditCheck = standing ? { black: standing.black.map((b) => b.id), red: standing.red.map((r) => r.id), at: now.toISOString() } : null;
    const commitment = signing
      ? { ...renderCommitment(item, profile.name, now, representative ? { name: representative.name, idNumber: normalizeIdNumber(representative.idNumber) } : undefined), creditCheck }
      : input.commitment ?? null;
    const commitmentMaterials = replaced.map((id) => ({ materialId: id, name: item.materials.find((m) => m.id === id)!.name, source: 'commitment' as const, fileId: null, licenseId: null, sharedData: null }));

    const { regionPath } = await this.departmentScope(item.departmentId);
    const filing: Filing = {
      item,
      regionPath,
      channel: 'online',
      applicant: { userId: principal.userId, kind: profile.kind, name: profile.name, identifier: profile.identifier, phone: input.phone ?? profile.phone },
      filedBy: null,
      hallId: null,
      form: input.form,
      commitment,
      delivery: input.delivery ?? null,
      materials: [...materials.rows, ...commitmentMaterials],
      now,
      // 红名单 green channel: the case and its tasks go ahead in the queues
      priority: standing && standing.red.length > 0 ? 1 : 0,
    };
    const first = { action: 'submit', actor: caseActor(principal, ip), ...(creditCheck ? { detail: { creditCheck } } : {}) } as const;
    const draftId = input.draftId;
    const storing = answer && !item.instantApproval ? answer : null;
    const also = storing ? createdAnswer(storing.update) : undefined;
    // the filing is one statement (fileCase); the draft it came from goes in the same transaction
    const row = draftId
      ? await this.db.transaction().execute(async (trx) => {
        const created = await fileCase(trx, filing, first, also);
        await deleteDraft(trx, principal.userId, draftId);
        return created;
      })
      : await fileCase(this.db, filing, first, also);
    storing?.stored();
    await this.verifySharedMaterials(row.case_number, filing.materials);
    if (item.instantApproval) return this.instant(row, item, standing, answer);
    return { caseNumber: row.case_number, status: row.status, version: row.version };
  }

  /**
   * 秒批, within the submission request: the rules decide, or the case goes to a person with the
   * reason. A black-listed applicant is not decided automatically (一处失信、处处受限). Nothing here
   * approves by default: an unexpected failure is itself recorded as a reason to route.
   */
  private async instant(filed: CaseRow, item: ItemGuide, standing: CreditStanding | null, answer?: AnswerInStatement | null): Promise<CaseCreated> {
    const now = this.now();
    const caseNumber = filed.case_number;
    const deps = { ...this.caseDeps, calendar: await this.deps.calendar.pinned() };
    let record: DecisionRecord;
    let rules = null;
    try {
      if (standing && standing.black.length > 0) {
        const entry = standing.black[0]!;
        record = decisionRecord(null, {}, null, { code: 'credit_restricted', message: `申请人在严重失信名单中（${entry.reason}），不适用秒批，转人工办理` }, now);
      } else {
        rules = this.settings.rules ? await this.settings.rules.publishedFor(item.implementationCode, item.version) : null;
        if (!rules) record = decisionRecord(null, {}, null, { code: 'no_rules', message: '该事项版本没有已发布的决策规则，转人工办理' }, now);
        else {
          const { values, fallback } = await gatherInputs(this.settings, rules, filed, now);
          record = decisionRecord(rules, values, fallback ? null : rules.table.evaluate(values), fallback, now);
        }
      }
    } catch (error) {
      record = decisionRecord(rules, {}, null, { code: 'rule_error', message: `自动审批出错，转人工办理（${error instanceof Error ? error.message : String(error)}）` }, now);
    }
    const target = { caseNumber, version: filed.version };
    const route = (routed: DecisionRecord) => this.db.transaction().execute((trx) => routeInstantCase(trx, target, routed));
    let decided: CaseRow | null;
    let comesWith: WriteInStatement[] | null = [];
    if (record.outcome === 'approve') {
      try {
        comesWith = await approvalWrites(this.db, deps, filed, item, now);
      } catch (error) {
        // the results cannot be issued (no seal, an unregistered license type …): the filed case
        // goes to a person with the reason; the applicant must not get an error for a case that exists
        if (!(error instanceof AppError)) throw error;
        record = decisionRecord(rules, record.inputs, null, { code: 'results_not_issued', message: `办理结果无法自动签发（${error.message}），转人工办理` }, now);
        comesWith = null;
      }
    }
    if (record.outcome === 'route' || comesWith === null) decided = await route(record);
    else {
      // the answer as the route will send it (CaseCreated, fields in schema order), stored by the
      // deciding statement, which also makes the decision number it carries
      const decidedRecord = record;
      const storeAnswer: InstantDecision['answer'] = answer
        ? (to) => (db) => answer.update(db, answerAround({ caseNumber, status: to.status, version: to.version, instantDecision: { outcome: decidedRecord.outcome, reasons: decidedRecord.reasons, decisionNumber: ANSWER_MARK } }, to.decisionNumber))
        : undefined;
      decided = await decideInstantCase(this.db, deps, { row: filed, item }, { record, ...(storeAnswer ? { answer: storeAnswer } : {}) }, now, comesWith);
      if (decided) answer?.stored();
    }
    const state = decided ?? (await findCase(this.db, caseNumber))!;
    return {
      caseNumber,
      status: state.status,
      version: state.version,
      instantDecision: { outcome: record.outcome, reasons: record.reasons, decisionNumber: state.decision_number },
    };
  }

  /** 告知承诺 verification (approver or inspector of the case's department): confirmed, or false — the decision revoked and the signers black-listed. */
  async verifyCommitment(principal: StaffPrincipal, ip: string | null, caseNumber: string, input: VerificationInput): Promise<CaseDetail> {
    // the verifying department's own cases only (an inspector reads no other case): anything else is a 404
    const row = await findCase(this.db, caseNumber.toUpperCase());
    if (!row || row.department_id !== principal.departmentId) throw CaseErrors.case_not_found();
    const item = await this.itemOf(row);
    const calendar = await this.deps.calendar.pinned();
    const after = await this.db.transaction().execute((trx) => recordCommitmentVerification(trx, { credit: this.settings.credit, results: this.settings.results, calendar, now: this.now() }, principal, caseActor(principal, ip), row.case_number, item, input));
    return this.detail(principal, after, item);
  }

  /** Open commitment verifications of the caller's department, soonest due first. */
  async openVerifications(principal: StaffPrincipal) {
    const rows = await this.db.selectFrom('case_verifications').innerJoin('cases', 'cases.id', 'case_verifications.case_id')
      .select(['cases.case_number', 'cases.item_name', 'cases.applicant_name', 'case_verifications.due_date', 'case_verifications.created_at'])
      .where('case_verifications.department_id', '=', principal.departmentId).where('case_verifications.status', '=', 'open')
      .orderBy('case_verifications.due_date').limit(200).execute();
    return { items: rows.map((r) => ({ caseNumber: r.case_number, itemName: r.item_name, applicantName: r.applicant_name, dueDate: r.due_date, openedAt: r.created_at.toISOString() })) };
  }

  /**
   * `POST /window/cases`: a window clerk files for a walk-in applicant, identified by ID number
   * or credit code, with the clerk's scans or paper materials. The case is linked to the account
   * holding that identifier, when there is one, so the applicant follows it online.
   */
  async fileAtWindow(principal: StaffPrincipal, ip: string | null, input: WindowFilingInput): Promise<CaseCreated> {
    const now = this.now();
    const item = await this.publishedItem(input.itemCode);
    const scope = await this.departmentScope(item.departmentId);
    if (!reaches(principal, scope, ['window_clerk'])) throw CaseErrors.item_outside_window({ department: item.departmentName });
    const applicant = input.applicant;
    assertOffered(item, applicant.kind);

    const errors: FieldErrorSpec[] = [];
    let identifier = '';
    if (applicant.kind === 'natural') {
      identifier = normalizeIdNumber(applicant.idNumber ?? '');
      const problem = applicant.idNumber ? checkIdNumber(identifier, now) : null;
      if (!applicant.idNumber) errors.push({ field: 'applicant.idNumber', code: CaseFieldCodes.case_required });
      else if (problem) errors.push(idNumberError('applicant.idNumber', problem));
    } else {
      identifier = normalizeCreditCode(applicant.creditCode ?? '');
      const problem = applicant.creditCode ? checkCreditCode(identifier) : null;
      if (!applicant.creditCode) errors.push({ field: 'applicant.creditCode', code: CaseFieldCodes.case_required });
      else if (problem) errors.push(creditCodeError('applicant.creditCode', problem));
    }
    const name = applicant.name.trim();
    if (name === '') errors.push({ field: 'applicant.name', code: CaseFieldCodes.case_required });
    if (!isValidMobile(applicant.phone)) errors.push({ field: 'applicant.phone', code: CaseFieldCodes.case_phone_invalid });
    // the clerk takes in at a hall of their department's region or below it, as for a hall visit (evaluation)
    const served = input.hallId ? await this.deps.org.hallServedFrom(input.hallId, principal.regionPath) : null;
    if (served === 'unknown') errors.push({ field: 'hallId', code: FieldCodes.invalid_value });
    else if (served === 'out_of_region') errors.push({ field: 'hallId', code: CaseFieldCodes.case_hall_out_of_region });
    errors.push(...checkFormData(item, input.form), ...checkContact(item, null, input.delivery));
    const linked = errors.length === 0 ? await this.deps.identity.findApplicantByIdentifier(applicant.kind, identifier) : null;
    const materials = await resolveMaterials(this.materials, item, input.materials, { fileOwnerId: principal.userId, applicantUserId: linked?.id ?? null });
    errors.push(...materials.errors, ...missingRequired(item, new Set(input.materials.map((m) => m.materialId))));
    if (errors.length > 0) throw invalidInput(errors);

    // the walk-in applicant is asked of the credit lists as an online one is: the green channel,
    // and no automatic decision for a black-listed one
    const standing = await this.creditStanding([{ kind: applicant.kind, identifier }]);
    const creditCheck = standing ? { black: standing.black.map((b) => b.id), red: standing.red.map((r) => r.id), at: now.toISOString() } : null;
    const row = await fileCase(this.db, {
      item,
      regionPath: scope.regionPath,
      channel: 'window',
      applicant: { userId: linked?.id ?? null, kind: applicant.kind, name, identifier, phone: applicant.phone },
      filedBy: principal.userId,
      hallId: input.hallId ?? null,
      form: input.form,
      commitment: null,
      delivery: input.delivery ?? null,
      materials: materials.rows,
      now,
      priority: standing && standing.red.length > 0 ? 1 : 0,
    }, { action: 'file', actor: caseActor(principal, ip), detail: { linkedAccount: linked !== null, ...(creditCheck ? { creditCheck } : {}) } });
    await this.verifySharedMaterials(row.case_number, materials.rows);
    if (item.instantApproval) {
      // 秒批 at the window too: the rules decide at once, the clerk hands over the result or takes the case on
      return this.instant(row, item, standing);
    }
    return { caseNumber: row.case_number, status: row.status, version: row.version };
  }

  // --- drafts -----------------------------------------------------------------------------------

  createDraft(principal: ApplicantPrincipal, input: DraftInput): Promise<Draft> {
    return createDraft(this.db, principal.userId, input);
  }

  listDrafts(principal: ApplicantPrincipal): Promise<Draft[]> {
    return listDrafts(this.db, principal.userId);
  }

  getDraft(principal: ApplicantPrincipal, id: string): Promise<Draft> {
    return getDraft(this.db, principal.userId, id);
  }

  updateDraft(principal: ApplicantPrincipal, id: string, input: DraftInput): Promise<Draft> {
    return updateDraft(this.db, principal.userId, id, input);
  }

  deleteDraft(principal: ApplicantPrincipal, id: string): Promise<void> {
    return deleteDraft(this.db, principal.userId, id);
  }

  // --- reading ----------------------------------------------------------------------------------

  private async departmentNames(): Promise<Map<string, string>> {
    return new Map((await this.deps.org.listDepartments()).map((d) => [d.id, d.name]));
  }

  private async summaries(rows: CaseRow[], maskApplicant: boolean): Promise<CaseSummary[]> {
    const names = await this.departmentNames();
    const parentIds = [...new Set(rows.flatMap((r) => (r.parent_id ? [r.parent_id] : [])))];
    const parents = parentIds.length === 0 ? new Map<string, string>() : new Map(
      (await this.db.selectFrom('cases').select(['id', 'case_number']).where('id', 'in', parentIds).execute()).map((p) => [p.id, p.case_number]),
    );
    const today = todayInShanghai(this.now());
    return rows.map((r) => summaryOf(r, names.get(r.department_id) ?? '', r.parent_id ? parents.get(r.parent_id) ?? null : null, today, maskApplicant));
  }

  /**
   * `GET /cases`: an applicant's own cases; for staff, the cases they reach (their department,
   * their region for the window and supervisors, everything for the system admin), newest first.
   */
  async list(principal: Principal, query: CaseListQuery): Promise<Page<CaseSummary>> {
    const limit = query.limit ?? 20;
    const after = decodeCursor<{ s: string; id: string }>(query.cursor, { s: 'string', id: 'string' });
    if (principal.kind === 'client') throw CommonErrors.forbidden();
    if (principal.kind === 'staff' && query.departmentId) {
      const scope = await this.departmentScope(query.departmentId).catch(() => null);
      if (!scope || !reaches(principal, scope, CASE_READER_ROLES)) throw CommonErrors.not_found();
    }
    const today = todayInShanghai(this.now());
    let q = this.db.selectFrom('cases').selectAll();
    q = principal.kind === 'applicant' ? q.where('applicant_user_id', '=', principal.userId) : q.where((eb) => reachCondition(eb, principal, CASE_READER_ROLES));
    if (query.status) q = q.where('status', '=', query.status);
    if (query.itemCode) q = q.where('item_code', '=', query.itemCode.toUpperCase());
    if (query.departmentId) q = q.where('department_id', '=', query.departmentId);
    if (query.overdue !== undefined) q = q.where((eb) => (query.overdue ? overdueCondition(eb, today) : eb.not(overdueCondition(eb, today))));
    if (query.q) {
      const text = query.q.trim();
      const like = text.replace(/[\\%_]/g, (c) => `\\${c}`);
      q = q.where((eb) => eb.or([
        eb('case_number', 'like', `${like.toUpperCase()}%`),
        eb('item_name', 'like', `%${like}%`),
        eb('applicant_identifier', '=', text.toUpperCase()),
      ]));
    }
    if (after) {
      const at = new Date(after.s);
      if (Number.isNaN(at.getTime())) throw invalidInput([{ field: 'cursor', code: FieldCodes.invalid_cursor }]);
      q = q.where((eb) => eb.or([eb('submitted_at', '<', at), eb.and([eb('submitted_at', '=', at), eb('id', '<', after.id)])]));
    }
    const rows = await q.orderBy('submitted_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    const paged = page(rows, limit, (r) => ({ s: r.submitted_at.toISOString(), id: r.id }));
    return { items: await this.summaries(paged.items, principal.kind === 'staff'), nextCursor: paged.nextCursor };
  }

  /** `GET /front-desk/queue`: cases awaiting the window in the clerk's region, oldest first. */
  async frontDeskQueue(principal: StaffPrincipal, query: FrontDeskQuery): Promise<Page<CaseSummary>> {
    const limit = query.limit ?? 20;
    const after = decodeCursor<{ s: string; id: string }>(query.cursor, { s: 'string', id: 'string' });
    let q = this.db
      .selectFrom('cases')
      .selectAll()
      .where('status', '=', query.status ?? 'submitted')
      .where((eb) => reachCondition(eb, principal, ['window_clerk']));
    if (after) {
      const at = new Date(after.s);
      if (Number.isNaN(at.getTime())) throw invalidInput([{ field: 'cursor', code: FieldCodes.invalid_cursor }]);
      q = q.where((eb) => eb.or([eb('submitted_at', '>', at), eb.and([eb('submitted_at', '=', at), eb('id', '>', after.id)])]));
    }
    const rows = await q.orderBy('submitted_at').orderBy('id').limit(limit + 1).execute();
    const paged = page(rows, limit, (r) => ({ s: r.submitted_at.toISOString(), id: r.id }));
    return { items: await this.summaries(paged.items, true), nextCursor: paged.nextCursor };
  }

  /** The item version the case was filed under (also a superseded one). */
  private itemOf(row: CaseRow): Promise<ItemGuide> {
    return this.deps.catalogQuery.guideVersion(row.item_code, row.item_version);
  }

  /**
   * `GET /cases/{caseNumber}`. Staff opening a case read an applicant's personal data (the name,
   * the form): recorded in the audit log, as reading a staff record or someone's upload is.
   */
  async get(principal: Principal, caseNumber: string, ip: string | null = null): Promise<CaseDetail> {
    const row = await reachableCase(this.db, principal, caseNumber);
    if (principal.kind === 'staff') await recordAudit(this.db, { id: principal.userId, kind: 'staff', ip }, { action: 'cases.case.read', targetType: 'case', targetId: row.case_number });
    return this.detail(principal, row);
  }

  private async detail(principal: Principal, row: CaseRow, item?: ItemGuide): Promise<CaseDetail> {
    item ??= await this.itemOf(row);
    const deps = {
      db: this.db,
      calendar: this.deps.calendar,
      identity: this.deps.identity,
      // one department: that one row; a parallel approval's several: the list, in one query rather than one each
      departmentNames: async (ids: readonly string[]) => (ids.length === 1 ? new Map([[ids[0]!, (await this.deps.org.getDepartment(ids[0]!)).name]]) : this.departmentNames()),
    };
    return detailOf(deps, principal, row, item, todayInShanghai(this.now()));
  }

  /**
   * `POST /cases/{caseNumber}/actions`: reach (404), then who may take the action (403), then
   * what the action needs from other services (prepare.ts), then, with the case locked, the
   * version the caller saw (409) and the status (422), then the action's own handler — all in
   * one transaction. Answers the case as it now stands.
   */
  async act(principal: Principal, ip: string | null, caseNumber: string, body: ActionBody): Promise<CaseDetail> {
    const row = await reachableCase(this.db, principal, caseNumber);
    if (!mayTake(principal, row, body.action)) throw CaseErrors.action_forbidden({ action: CASE_ACTION_LABELS[body.action] });
    const item = await this.itemOf(row);
    const actor = caseActor(principal, ip);
    const now = this.now();
    // the transaction's calendar never refreshes: on PGlite a refresh inside would wait for the connection it holds
    const deps = { ...this.caseDeps, calendar: await this.deps.calendar.pinned() };
    const prepared = await prepareAction(deps, this.materials, { principal, row, item, body, now });
    const after = await this.db.transaction().execute(async (trx) => {
      const locked = await lockForAction(trx, row.case_number, body.action, body.version);
      return this.handlers[body.action]({ trx, deps, row: locked, item, body, actor, principal, now, prepared });
    });
    return this.detail(principal, after, item);
  }

  // --- for other modules ------------------------------------------------------------------------

  /**
   * The applicant of a case the staff member reaches (404 otherwise): the e-license module's
   * look-up of a case's applicant's licenses (用证).
   */
  async applicantOf(principal: StaffPrincipal, caseNumber: string): Promise<{ caseNumber: string; kind: 'natural' | 'legal'; identifier: string }> {
    const row = await reachableCase(this.db, principal, caseNumber);
    return { caseNumber: row.case_number, kind: row.applicant_kind, identifier: row.applicant_identifier };
  }

  /**
   * What the evaluation module (好差评) needs to know about a case to record a rating for it:
   * who applied, whether and when it was completed, and who served it. null for an unknown case.
   * `completedAt` is the case's completion (办结: decided, or not accepted); null while it runs
   * and for a withdrawn case, which nobody served to the end. `staff` is whoever took the
   * completing step (the decision, or the refusal to accept), else the last staff member to act.
   */
  /** One batch of 容缺 reminders (due today, overdue) at `now`: what the case worker runs (reminders.ts). */
  sendOwedReminders(now: Date = this.now(), limit?: number): Promise<OwedReminderRound> {
    return sendOwedReminders(this.db, now, limit);
  }

  async evaluationSubject(caseNumber: string): Promise<EvaluationSubject | null> {
    const row = await findCase(this.db, caseNumber.toUpperCase());
    return row ? (await this.evaluationSubjects([row]))[0]! : null;
  }

  /**
   * Cases completed in [`after`, `before`], oldest completion first, at most `limit` (the
   * default-rating sweep walks them with the last one's `completedAt` as its next `after`).
   */
  async completedCases(query: { after: Date | null; before: Date; limit: number }): Promise<EvaluationSubject[]> {
    let q = this.db.selectFrom('cases').selectAll()
      .where('closed_at', 'is not', null)
      .where('closed_at', '<=', query.before)
      .where('status', 'in', EVALUABLE_STATUSES)
      .where('parent_id', 'is', null);
    // from the watermark itself: a tie at a batch's end is read again (the sweep's insert ignores repeats), never skipped
    if (query.after) q = q.where('closed_at', '>=', query.after);
    const rows = await q.orderBy('closed_at').orderBy('id').limit(query.limit).execute();
    return this.evaluationSubjects(rows);
  }

  private async evaluationSubjects(rows: CaseRow[]): Promise<EvaluationSubject[]> {
    if (rows.length === 0) return [];
    const actors = await this.db
      .selectFrom('case_history')
      .select(['case_id', 'actor_id', 'actor_name', 'action', 'id'])
      .where('case_id', 'in', rows.map((r) => r.id))
      .where('actor_kind', '=', 'staff')
      .orderBy('id')
      .execute();
    const staffOf = new Map<string, { id: string | null; name: string; completing: boolean }>();
    for (const a of actors) {
      const completing = COMPLETING_ACTIONS.has(a.action);
      const known = staffOf.get(a.case_id);
      // a later completing step wins; a later ordinary one wins only over ordinary ones
      if (!known || completing || !known.completing) staffOf.set(a.case_id, { id: a.actor_id, name: a.actor_name, completing });
    }
    return rows.map((row) => {
      const staff = staffOf.get(row.id);
      // a parallel approval's sub-case is rated through its main case
      const completed = row.closed_at !== null && row.parent_id === null && (EVALUABLE_STATUSES as readonly string[]).includes(row.status);
      return {
        caseNumber: row.case_number,
        itemCode: row.item_code,
        itemName: row.item_name,
        applicantUserId: row.applicant_user_id,
        status: row.status,
        completedAt: completed ? row.closed_at : null,
        departmentId: row.department_id,
        regionPath: row.region_path,
        hallId: row.hall_id,
        staff: staff?.id ? { id: staff.id, name: staff.name } : null,
      };
    });
  }


  /**
   * CaseDirectory (data-sharing gateway): the case exists and the consumer department handles it
   * — its own department, or the department of one of its sub-cases (parallel approval), which
   * then looks data up for its own item.
   */
  async confirm(caseRef: string, consumerDepartmentId: string): Promise<{ ok: true; itemCode: string } | { ok: false }> {
    const key = `${consumerDepartmentId}\n${caseRef.toUpperCase()}`;
    const known = this.confirmed.get(key);
    if (known) return { ok: true, itemCode: known };
    const row = await findCase(this.db, caseRef.toUpperCase());
    if (!row) return { ok: false };
    let itemCode: string | undefined = row.department_id === consumerDepartmentId ? row.item_code : undefined;
    if (!itemCode) {
      const sub = await this.db
        .selectFrom('cases')
        .select('item_code')
        .where('parent_id', '=', row.id)
        .where('department_id', '=', consumerDepartmentId)
        .orderBy('case_number')
        .executeTakeFirst();
      itemCode = sub?.item_code;
    }
    if (!itemCode) return { ok: false };
    // A case's department and item never change, and a sub-case once started stays: a "yes" is
    // final and is remembered (a "no" is not: a sub-case may start later). Several look-ups
    // serve one case; the gateway's budget is a few milliseconds.
    if (this.confirmed.size >= CONFIRMED_CACHE) this.confirmed.delete(this.confirmed.keys().next().value!);
    this.confirmed.set(key, itemCode);
    return { ok: true, itemCode };
  }

  /**
   * FileAccessPolicy (files): staff who reach a case that references a file (as a material or a
   * history attachment) may read it, and so may the case's applicant (the clerk's scans of their
   * walk-in application).
   */
  readonly fileAccess: FileAccessPolicy = {
    canRead: async (principal, fileId) => {
      if (principal.kind === 'client') return false;
      const cases = await this.db
        .selectFrom('cases')
        .select(['department_id', 'region_path', 'applicant_user_id'])
        .where((eb) => eb.or([
          eb('id', 'in', eb.selectFrom('case_materials').select('case_id').where('file_id', '=', fileId)),
          eb('id', 'in', eb.selectFrom('case_history').select('case_id').where(sql<SqlBool>`${fileId}::uuid = ANY(attachments)`)),
        ]))
        .execute();
      return cases.some((row) => reachesCase(principal, row));
    },
  };
}

function overdueCondition(eb: CaseQuery, today: string): Expression<SqlBool> {
  return eb.and([
    eb('deadline', 'is not', null),
    eb('deadline', '<', today),
    eb('decided_at', 'is', null),
    eb('closed_at', 'is', null),
    eb('suspended_since', 'is', null),
  ]);
}

/**
 * The answer to a submission as the route sends it (CaseCreated, fields in schema order), built
 * in SQL around the number the filing statement takes.
 */
function createdAnswer(update: AnswerUpdate): CaseFilingAddition {
  return (db, caseNumber) => update(db, answerAround({ caseNumber: ANSWER_MARK, status: 'submitted', version: 1 }, caseNumber));
}

const ANSWER_MARK = '@made-by-the-statement@';

/** `answer` as JSON text with the one string ANSWER_MARK in it replaced by a value the statement makes (a case or decision number). */
function answerAround(answer: CaseCreated, value: Expression<string>) {
  const [head, tail] = JSON.stringify(answer).split(`"${ANSWER_MARK}"`) as [string, string];
  return sql<string>`${head}::text || to_json(${value})::text || ${tail}::text`;
}
