import type { Db, Executor, Tx } from '../../platform/db/database.js';
import { recordAudit, SYSTEM_ACTOR, type AuditAction, type AuditActor } from '../../platform/audit/audit.js';
import { reaches, type StaffPrincipal } from '../../platform/auth/principal.js';
import { AppError, CommonErrors, FieldCodes, invalidInput, type FieldErrorSpec } from '../../platform/http/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { isIsoDate, todayInShanghai } from '../../platform/time.js';
import { joinImplementationCode, splitImplementationCode } from '../../shared/catalog-codes.js';
import type { StaffRole } from '../../shared/roles.js';
import type { OrgService } from '../org/service.js';
import { diffJson } from './diff.js';
import { CatalogErrors, CatalogFieldCodes, VERSION_STATUS_LABELS } from './errors.js';
import type {
  AdminItem,
  AdminItemRow,
  DiffChange,
  Intermediary,
  IntermediaryInput,
  ItemContent,
  ListStatus,
  NewItemInput,
  Proof,
  ProofInput,
  SynonymEntry,
  VersionMeta,
  VersionState,
  VersionStatus,
} from './schemas.js';
import * as store from './store.js';
import { checkContent, checkIdentity, readiness, referencedIds, type ComponentState, type References } from './validation.js';

/** Who may author, review and publish: a catalog admin in reach (own department), or the system admin (city-wide). */
const EDITORS: readonly StaffRole[] = ['catalog_admin', 'system_admin'];

export interface AdminItemQuery {
  status?: VersionStatus | undefined;
  departmentId?: string | undefined;
  q?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** A version as GET shows it: metadata, content and publish readiness (field specs; the route adds messages). */
export interface VersionDetail extends VersionMeta {
  implementationCode: string;
  departmentId: string;
  content: ItemContent;
  problems: FieldErrorSpec[];
}

type ItemRow = NonNullable<Awaited<ReturnType<typeof store.findItem>>>;
type VersionRow = store.VersionRow;

const iso = (value: Date | null): string | null => (value ? new Date(value).toISOString() : null);

function toVersionMeta(row: Omit<VersionRow, 'content'>): VersionMeta {
  return {
    version: row.version,
    status: row.status,
    lockVersion: row.lock_version,
    name: row.name,
    effectiveFrom: row.effective_from,
    createdAt: iso(row.created_at)!,
    createdBy: row.created_by,
    updatedAt: iso(row.updated_at)!,
    updatedBy: row.updated_by,
    submittedAt: iso(row.submitted_at),
    submittedBy: row.submitted_by,
    reviewComment: row.review_comment,
    publishedAt: iso(row.published_at),
    publishedBy: row.published_by,
    withdrawnAt: iso(row.withdrawn_at),
    withdrawnBy: row.withdrawn_by,
  };
}

function toState(code: string, row: { version: number; status: VersionStatus; lock_version: number; effective_from: string | null }): VersionState {
  return { implementationCode: code, version: row.version, status: row.status, lockVersion: row.lock_version, effectiveFrom: row.effective_from };
}

type ProofDbRow = NonNullable<Awaited<ReturnType<typeof store.findProof>>>;
type IntermediaryDbRow = NonNullable<Awaited<ReturnType<typeof store.findIntermediary>>>;

function toProof(row: ProofDbRow): Proof {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    legalBasis: row.legal_basis,
    requestingUnit: row.requesting_unit,
    issuingUnit: row.issuing_unit,
    guide: row.guide,
    status: row.status,
    updatedAt: iso(row.updated_at)!,
    updatedBy: row.updated_by,
  };
}

function toIntermediary(row: IntermediaryDbRow): Intermediary {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    legalBasis: row.legal_basis,
    feeStandard: row.fee_standard,
    providerRequirements: row.provider_requirements,
    status: row.status,
    updatedAt: iso(row.updated_at)!,
    updatedBy: row.updated_by,
  };
}

const statusLabel = (status: string) => VERSION_STATUS_LABELS[status] ?? { zh: status, en: status };

/** How one of the two city-wide lists (retained proofs, intermediaries) is stored and named. */
interface ListKind<Row extends { id: string; status: ListStatus; updated_by: string | null; code: string }, Api> {
  name: 'proof' | 'intermediary';
  find(db: Executor, id: string): Promise<Row | undefined>;
  findByCode(db: Executor, code: string): Promise<{ id: string } | undefined>;
  usage(db: Executor, id: string): Promise<string[]>;
  update(tx: Executor, id: string, from: ListStatus, patch: Record<string, unknown>): Promise<Row | undefined>;
  toApi(row: Row): Api;
  notFound(): AppError;
  codeTaken(code: string): AppError;
}

const PROOFS: ListKind<ProofDbRow, Proof> = {
  name: 'proof',
  find: store.findProof,
  findByCode: store.findProofByCode,
  usage: store.itemsUsingProof,
  update: (tx, id, from, patch) => store.updateProof(tx, id, from, patch),
  toApi: toProof,
  notFound: () => CatalogErrors.proof_not_found(),
  codeTaken: (code) => CatalogErrors.proof_code_taken({ code }),
};

const INTERMEDIARIES: ListKind<IntermediaryDbRow, Intermediary> = {
  name: 'intermediary',
  find: store.findIntermediary,
  findByCode: store.findIntermediaryByCode,
  usage: store.itemsUsingIntermediary,
  update: (tx, id, from, patch) => store.updateIntermediary(tx, id, from, patch),
  toApi: toIntermediary,
  notFound: () => CatalogErrors.intermediary_not_found(),
  codeTaken: (code) => CatalogErrors.intermediary_code_taken({ code }),
};

function proofRow(input: ProofInput): store.ProofRow {
  return {
    code: input.code,
    name: input.name.trim(),
    legal_basis: input.legalBasis.trim(),
    requesting_unit: input.requestingUnit.trim(),
    issuing_unit: input.issuingUnit.trim(),
    guide: input.guide.trim(),
  };
}

function intermediaryRow(input: IntermediaryInput): store.IntermediaryRow {
  return {
    code: input.code,
    name: input.name.trim(),
    legal_basis: input.legalBasis.trim(),
    fee_standard: input.feeStandard.trim(),
    provider_requirements: input.providerRequirements?.trim() || null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: string) => UUID.test(value);

/** A 404 from another service (an unknown department) as null; anything else goes on up. */
function notFoundAsNull(error: unknown): null {
  if (error instanceof AppError && error.status === 404) return null;
  throw error;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** A version's part in another module (the rules module's decision rules), told in the catalog's own transaction. */
export interface VersionDrafted {
  code: string;
  version: number;
  /** The version it was copied from. */
  from: number;
}

export interface VersionPublishing {
  code: string;
  version: number;
  content: ItemContent;
}

/**
 * The catalog's write side: items and their versions (draft → in review → published →
 * superseded / withdrawn), the retained-proofs and intermediary lists, and search synonyms.
 *
 * Every method taking `principal` checks reach with it; `null` is the system actor (demo seed,
 * CLI, import), which skips reach checks and the four-eyes rule but never validation. Every
 * write runs in one transaction with its audit entry and a bump of `catalog_meta.revision`.
 */
export class CatalogService {
  /** Told after every committed write, so this instance's readers need not wait for the revision poll. */
  private readonly listeners: Array<() => void> = [];
  private readonly draftedHooks: Array<(tx: Executor, drafted: VersionDrafted) => Promise<void>> = [];
  private readonly publishingHooks: Array<(tx: Executor, publishing: VersionPublishing) => Promise<void>> = [];

  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * A module keeping something per item version (the rules module's decision rules) carries it
   * forward to a new version in the drafting transaction, without the catalog knowing its tables.
   */
  onVersionDrafted(hook: (tx: Executor, drafted: VersionDrafted) => Promise<void>): void {
    this.draftedHooks.push(hook);
  }

  /**
   * Checks another module makes before a version is published, in the publishing transaction: a
   * hook throws (an AppError) to refuse the publication (the rules module: rules naming a field
   * the version's form no longer has).
   */
  onVersionPublishing(hook: (tx: Executor, publishing: VersionPublishing) => Promise<void>): void {
    this.publishingHooks.push(hook);
  }

  /** Runs the drafted hooks (also for the workbook import's new versions). */
  async versionDrafted(tx: Executor, drafted: VersionDrafted): Promise<void> {
    for (const hook of this.draftedHooks) await hook(tx, drafted);
  }

  /** For writers outside this class (the workbook import) that commit catalog changes themselves. */
  notifyChanged(): void {
    for (const listener of this.listeners) listener();
  }

  private async transact<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const result = await this.db.transaction().execute(work);
    this.notifyChanged();
    return result;
  }

  /** Today in Asia/Shanghai by this service's clock. */
  today(): string {
    return todayInShanghai(this.now());
  }

  // --- access ------------------------------------------------------------------------------

  private assertEditor(principal: StaffPrincipal | null): void {
    if (principal && !principal.roles.some((r) => EDITORS.includes(r))) throw CommonErrors.forbidden();
  }

  /** The item, if the principal reaches its department; 404 otherwise, so its existence is not revealed. */
  private async loadItem(principal: StaffPrincipal | null, code: string): Promise<ItemRow> {
    this.assertEditor(principal);
    const item = splitImplementationCode(code) ? await store.findItem(this.db, code) : undefined;
    if (!item) throw CatalogErrors.item_not_found();
    if (principal) {
      const target = await this.org.departmentScope(item.department_id);
      if (!reaches(principal, target, EDITORS)) throw CatalogErrors.item_not_found();
    }
    return item;
  }

  private async loadVersion(principal: StaffPrincipal | null, code: string, version: number): Promise<{ item: ItemRow; row: VersionRow }> {
    const item = await this.loadItem(principal, code);
    const row = await store.findVersion(this.db, item.id, version);
    if (!row) throw CatalogErrors.version_not_found();
    return { item, row };
  }

  private async identityOf(item: ItemRow) {
    const department = await this.org.getDepartment(item.department_id);
    return { creditCode: department.creditCode, exerciseLevel: item.exercise_level, basicCode: item.basic_code };
  }

  /**
   * What the content refers to, as it stands. Inside a publish transaction the list entries are
   * read FOR SHARE, so a concurrent withdrawal waits and then sees the new published version.
   */
  private async references(executor: Executor, content: ItemContent, lock = false, hallIds?: ReadonlySet<string>, selfCode?: string): Promise<References> {
    const ids = referencedIds(content);
    const proofs = await store.proofsByIds(executor, ids.proofIds.filter(isUuid), lock);
    const intermediaries = await store.intermediariesByIds(executor, ids.intermediaryIds.filter(isUuid), lock);
    return {
      proofs: new Map(proofs.map((p) => [p.id, { name: p.name, status: p.status }])),
      intermediaries: new Map(intermediaries.map((i) => [i.id, { name: i.name, status: i.status }])),
      hallIds: hallIds ?? (await this.hallIds(content)),
      components: await this.componentStates(ids.componentCodes, executor),
      ...(selfCode ? { selfCode } : {}),
    };
  }

  /**
   * The components a composite item names (并联审批): whether each has a published version (in
   * effect or scheduled: a composite and its components are often published for the same later
   * date) and whether the newest of them is composite itself. Acceptance takes the version in
   * effect that day, and refuses while a component has none.
   */
  async componentStates(codes: readonly string[], executor: Executor = this.db): Promise<Map<string, ComponentState>> {
    const states = new Map<string, ComponentState>();
    for (const code of codes) {
      const item = splitImplementationCode(code) ? await store.findItem(executor, code) : undefined;
      if (!item) continue;
      const versions = await store.listVersions(executor, item.id);
      const published = versions.filter((v) => v.status === 'published').at(-1);
      const row = published ? await store.findVersion(executor, item.id, published.version) : undefined;
      states.set(code, { name: (published ?? versions.at(-1))?.name ?? code, published: row !== undefined, composite: (row?.content.parallel?.length ?? 0) > 0 });
    }
    return states;
  }

  /**
   * The halls that exist, asked of the org module. Never inside a transaction of ours: another
   * service's query there would wait for the connection the transaction holds (PGlite has one).
   */
  private async hallIds(content: ItemContent): Promise<ReadonlySet<string>> {
    if (content.hallIds.length === 0) return new Set();
    return new Set((await this.org.listHalls()).map((h) => h.id));
  }

  private async audit(tx: Executor, actor: AuditActor, action: AuditAction, targetType: string, targetId: string, detail?: Record<string, unknown>) {
    await store.bumpRevision(tx);
    await recordAudit(tx, actor, { action, targetType, targetId, ...(detail ? { detail } : {}) });
  }

  /**
   * A compare-and-set on a version failed: tell whether it changed status (422) or was edited by
   * someone else at the same status (409 conflict).
   */
  private async explainMiss(tx: Executor, itemId: string, version: number, expected: VersionStatus, wrongStatus: (status: string) => AppError): Promise<AppError> {
    const now = await store.findVersion(tx, itemId, version);
    if (!now) return CatalogErrors.version_not_found();
    if (now.status !== expected) return wrongStatus(now.status);
    return CommonErrors.conflict();
  }

  // --- items --------------------------------------------------------------------------------

  /** Creates an item and its first draft. The implementation code is fixed here for good. */
  async createItem(actor: AuditActor, principal: StaffPrincipal | null, input: NewItemInput): Promise<VersionState> {
    this.assertEditor(principal);
    const department = isUuid(input.departmentId) ? await this.org.getDepartment(input.departmentId).catch(notFoundAsNull) : null;
    if (!department) throw invalidInput([{ field: 'departmentId', code: CatalogFieldCodes.unknown_department }]);
    if (principal && !reaches(principal, await this.org.departmentScope(department.id), EDITORS)) throw CommonErrors.not_found();

    const parts = { creditCode: department.creditCode, exerciseLevel: input.exerciseLevel, basicCode: input.basicCode };
    const errors = [...checkIdentity(parts), ...checkContent(input.content, await this.references(this.db, input.content)).errors];
    if (errors.length > 0) throw invalidInput(errors);

    const implementationCode = joinImplementationCode(parts);
    const at = this.now();
    return this.transact(async (tx) => {
      const item = await store.insertItem(tx, {
        implementation_code: implementationCode,
        basic_code: input.basicCode,
        department_id: department.id,
        exercise_level: input.exerciseLevel,
        created_by: actor.id,
      });
      if (!item) throw CatalogErrors.item_exists({ implementationCode });
      const draft = await store.insertDraft(tx, item.id, input.content, actor.id, at);
      if (!draft) throw CommonErrors.conflict();
      await this.audit(tx, actor, 'catalog.item.created', 'catalog_item', implementationCode, { departmentId: department.id, version: draft.version });
      return toState(implementationCode, draft);
    });
  }

  /** Saves a draft's content. `lockVersion` is the one the editor read: a stale one is 409. */
  async saveDraft(actor: AuditActor, principal: StaffPrincipal | null, code: string, version: number, input: { content: ItemContent; lockVersion: number }): Promise<VersionState> {
    const { item, row } = await this.loadVersion(principal, code, version);
    if (row.status !== 'draft') throw CatalogErrors.version_not_editable({ status: statusLabel(row.status) });
    const { errors } = checkContent(input.content, await this.references(this.db, input.content, false, undefined, code));
    if (errors.length > 0) throw invalidInput(errors);
    return this.transact(async (tx) => {
      const updated = await store.transition(tx, row.id, 'draft', input.lockVersion, { content: input.content, updated_at: this.now(), updated_by: actor.id });
      if (!updated) throw await this.explainMiss(tx, item.id, version, 'draft', (s) => CatalogErrors.version_not_editable({ status: statusLabel(s) }));
      await this.audit(tx, actor, 'catalog.version.saved', 'catalog_item', code, { version });
      return toState(code, updated);
    });
  }

  /** draft → in review. */
  async submit(actor: AuditActor, principal: StaffPrincipal | null, code: string, version: number, input: { lockVersion: number }): Promise<VersionState> {
    const { item, row } = await this.loadVersion(principal, code, version);
    if (row.status !== 'draft') throw CatalogErrors.version_not_editable({ status: statusLabel(row.status) });
    return this.transact(async (tx) => {
      const updated = await store.transition(tx, row.id, 'draft', input.lockVersion, { status: 'in_review', submitted_at: this.now(), submitted_by: actor.id, review_comment: null });
      if (!updated) throw await this.explainMiss(tx, item.id, version, 'draft', (s) => CatalogErrors.version_not_editable({ status: statusLabel(s) }));
      await this.audit(tx, actor, 'catalog.version.submitted', 'catalog_item', code, { version });
      return toState(code, updated);
    });
  }

  /** in review → draft, with the reviewer's comment for the editor. */
  async returnToDraft(actor: AuditActor, principal: StaffPrincipal | null, code: string, version: number, input: { comment: string }): Promise<VersionState> {
    const { item, row } = await this.loadVersion(principal, code, version);
    if (row.status !== 'in_review') throw CatalogErrors.version_not_in_review({ status: statusLabel(row.status) });
    const comment = input.comment.trim();
    if (comment === '') throw invalidInput([{ field: 'comment', code: FieldCodes.required }]);
    return this.transact(async (tx) => {
      const updated = await store.transition(tx, row.id, 'in_review', undefined, { status: 'draft', review_comment: comment });
      if (!updated) throw await this.explainMiss(tx, item.id, version, 'in_review', (s) => CatalogErrors.version_not_in_review({ status: statusLabel(s) }));
      await this.audit(tx, actor, 'catalog.version.returned', 'catalog_item', code, { version });
      return toState(code, updated);
    });
  }

  /**
   * in review → published, effective from `effectiveFrom` (default today in Asia/Shanghai; never
   * before today). Refused with every problem listed (422 `publish_refused`), and refused to the
   * person who last edited or submitted the version (four eyes; the system actor is exempt). A
   * version effective today supersedes the older published ones at once; a future-dated one
   * leaves the current version in place until its day (see `supersedeDue`).
   */
  async publish(actor: AuditActor, principal: StaffPrincipal | null, code: string, version: number, input: { effectiveFrom?: string | undefined } = {}): Promise<VersionState> {
    const { item, row } = await this.loadVersion(principal, code, version);
    if (row.status !== 'in_review') throw CatalogErrors.version_not_in_review({ status: statusLabel(row.status) });
    if (principal && (row.updated_by === principal.userId || row.submitted_by === principal.userId)) throw CatalogErrors.same_person_cannot_publish();
    const today = this.today();
    const effectiveFrom = input.effectiveFrom ?? today;
    if (!isIsoDate(effectiveFrom)) throw invalidInput([{ field: 'effectiveFrom', code: CatalogFieldCodes.invalid_effective_date }]);
    if (effectiveFrom < today) throw invalidInput([{ field: 'effectiveFrom', code: CatalogFieldCodes.effective_from_in_past, params: { today } }]);
    const identity = await this.identityOf(item);
    const halls = await this.hallIds(row.content);
    const at = this.now();

    return this.transact(async (tx) => {
      const problems = readiness(identity, row.content, await this.references(tx, row.content, true, halls, code));
      if (problems.length > 0) throw new AppError(422, 'publish_refused', { count: problems.length }, problems);
      for (const hook of this.publishingHooks) await hook(tx, { code, version, content: row.content });
      const updated = await store.transition(tx, row.id, 'in_review', undefined, { status: 'published', effective_from: effectiveFrom, published_at: at, published_by: actor.id });
      if (!updated) throw await this.explainMiss(tx, item.id, version, 'in_review', (s) => CatalogErrors.version_not_in_review({ status: statusLabel(s) }));
      const superseded = await store.supersedeDue(tx, today, item.id);
      await this.audit(tx, actor, 'catalog.version.published', 'catalog_item', code, { version, effectiveFrom, superseded: superseded.map((s) => s.version) });
      return toState(code, updated);
    });
  }

  /** published → withdrawn (the item leaves the public catalog unless another version is in effect). */
  async withdraw(actor: AuditActor, principal: StaffPrincipal | null, code: string, version: number, input: { reason: string }): Promise<VersionState> {
    const { item, row } = await this.loadVersion(principal, code, version);
    if (row.status !== 'published') throw CatalogErrors.version_not_published({ status: statusLabel(row.status) });
    const reason = input.reason.trim();
    if (reason === '') throw invalidInput([{ field: 'reason', code: FieldCodes.required }]);
    return this.transact(async (tx) => {
      const updated = await store.transition(tx, row.id, 'published', undefined, { status: 'withdrawn', review_comment: reason, withdrawn_at: this.now(), withdrawn_by: actor.id });
      if (!updated) throw await this.explainMiss(tx, item.id, version, 'published', (s) => CatalogErrors.version_not_published({ status: statusLabel(s) }));
      await this.audit(tx, actor, 'catalog.version.withdrawn', 'catalog_item', code, { version });
      return toState(code, updated);
    });
  }

  /** A new draft, copied from the newest version that left review (normally the current published one). */
  async newDraftFrom(actor: AuditActor, principal: StaffPrincipal | null, code: string): Promise<VersionState> {
    const item = await this.loadItem(principal, code);
    const open = await store.openVersion(this.db, item.id);
    if (open) throw CatalogErrors.open_version_exists({ version: open.version });
    const source = await store.latestClosedVersion(this.db, item.id);
    if (!source) throw CatalogErrors.nothing_to_copy();
    return this.transact(async (tx) => {
      const draft = await store.insertDraft(tx, item.id, source.content, actor.id, this.now());
      if (!draft) {
        const now = await store.openVersion(tx, item.id);
        throw now ? CatalogErrors.open_version_exists({ version: now.version }) : CommonErrors.conflict();
      }
      await this.audit(tx, actor, 'catalog.version.drafted', 'catalog_item', code, { version: draft.version, from: source.version });
      await this.versionDrafted(tx, { code, version: draft.version, from: source.version });
      return toState(code, draft);
    });
  }

  /**
   * Marks superseded the published versions that a newer published version has replaced now
   * that its effective date has come. Cheap when nothing is due (one indexed query); called
   * before the admin reads, and by anyone who wants stored statuses to match today.
   */
  async supersedeDue(): Promise<number> {
    const today = this.today();
    if (!(await store.hasDueSupersession(this.db, today))) return 0;
    return this.transact(async (tx) => {
      const changed = await store.supersedeDue(tx, today);
      if (changed.length > 0) {
        await store.bumpRevision(tx);
        await recordAudit(tx, SYSTEM_ACTOR, { action: 'catalog.version.superseded', detail: { today, versions: changed.length } });
      }
      return changed.length;
    });
  }

  async getItem(principal: StaffPrincipal | null, code: string): Promise<AdminItem> {
    const item = await this.loadItem(principal, code);
    await this.supersedeDue();
    const [versions, department, current] = await Promise.all([
      store.listVersions(this.db, item.id),
      this.org.getDepartment(item.department_id),
      store.currentVersion(this.db, item.id, this.today()),
    ]);
    return {
      implementationCode: item.implementation_code,
      basicCode: item.basic_code,
      exerciseLevel: item.exercise_level,
      departmentId: item.department_id,
      departmentName: department.name,
      createdAt: iso(item.created_at)!,
      currentVersion: current,
      versions: versions.map(toVersionMeta),
    };
  }

  /** One version with its content and publish readiness (`problems`, empty when it could be published). */
  async getVersion(principal: StaffPrincipal | null, code: string, version: number): Promise<VersionDetail> {
    const item = await this.loadItem(principal, code);
    await this.supersedeDue();
    const row = await store.findVersion(this.db, item.id, version);
    if (!row) throw CatalogErrors.version_not_found();
    const problems = readiness(await this.identityOf(item), row.content, await this.references(this.db, row.content, false, undefined, code));
    return { ...toVersionMeta(row), implementationCode: code, departmentId: item.department_id, content: row.content, problems };
  }

  /** Items in reach with their latest version; a catalog admin sees the own department, the system admin all. */
  async listAdminItems(principal: StaffPrincipal | null, query: AdminItemQuery = {}): Promise<{ items: AdminItemRow[]; nextCursor: string | null }> {
    this.assertEditor(principal);
    const limit = query.limit ?? 20;
    const after = decodeCursor<{ c: string }>(query.cursor, { c: 'string' });
    let departmentIds: string[] | undefined;
    if (query.departmentId) {
      const target = isUuid(query.departmentId) ? await this.org.departmentScope(query.departmentId).catch(notFoundAsNull) : null;
      if (!target || (principal && !reaches(principal, target, EDITORS))) throw CommonErrors.not_found();
      departmentIds = [query.departmentId];
    } else if (principal && !principal.roles.includes('system_admin')) {
      departmentIds = [principal.departmentId];
    }
    await this.supersedeDue();
    const [rows, departments] = await Promise.all([
      store.listAdminItems(this.db, { departmentIds, status: query.status, q: query.q?.trim() || undefined, afterCode: after?.c, limit: limit + 1, today: this.today() }),
      this.org.listDepartments(),
    ]);
    const names = new Map(departments.map((d) => [d.id, d.name]));
    const result = page(rows, limit, (r) => ({ c: r.implementation_code }));
    return {
      items: result.items.map((r) => ({
        implementationCode: r.implementation_code,
        basicCode: r.basic_code,
        departmentId: r.department_id,
        departmentName: names.get(r.department_id) ?? '',
        name: r.name,
        type: r.type,
        latestVersion: r.version,
        status: r.status,
        lockVersion: r.lock_version,
        currentVersion: r.current_version ?? null,
        updatedAt: iso(r.updated_at)!,
      })),
      nextCursor: result.nextCursor,
    };
  }

  /** Structural diff of two versions' content, by path (`materials[2].name`). */
  async diff(principal: StaffPrincipal | null, code: string, from: number, to: number): Promise<{ from: number; to: number; changes: DiffChange[] }> {
    const item = await this.loadItem(principal, code);
    const [a, b] = await Promise.all([store.findVersion(this.db, item.id, from), store.findVersion(this.db, item.id, to)]);
    if (!a || !b) throw CatalogErrors.version_not_found();
    return { from, to, changes: diffJson(a.content, b.content) };
  }

  // --- the retained-proofs and intermediary lists ---------------------------------------------

  private async createEntry<Row extends { id: string; status: ListStatus; updated_by: string | null; code: string }, Api>(
    kind: ListKind<Row, Api>,
    actor: AuditActor,
    principal: StaffPrincipal | null,
    insert: (tx: Executor) => Promise<Row | undefined>,
    code: string,
  ): Promise<Api> {
    this.assertEditor(principal);
    return this.transact(async (tx) => {
      const row = await insert(tx);
      if (!row) throw kind.codeTaken(code);
      await this.audit(tx, actor, `catalog.${kind.name}.created`, `catalog_${kind.name}`, row.id, { code });
      return kind.toApi(row);
    });
  }

  /** Edits a draft or withdrawn entry (a withdrawn one becomes a draft again); a published one must be withdrawn first. */
  private async updateEntry<Row extends { id: string; status: ListStatus; updated_by: string | null; code: string }, Api>(
    kind: ListKind<Row, Api>,
    actor: AuditActor,
    principal: StaffPrincipal | null,
    id: string,
    patch: Record<string, unknown> & { code: string },
  ): Promise<Api> {
    this.assertEditor(principal);
    const current = isUuid(id) ? await kind.find(this.db, id) : undefined;
    if (!current) throw kind.notFound();
    if (current.status === 'published') throw CatalogErrors.entry_not_editable();
    const holder = await kind.findByCode(this.db, patch.code);
    if (holder && holder.id !== id) throw kind.codeTaken(patch.code);
    try {
      return await this.transact(async (tx) => {
        const row = await kind.update(tx, id, current.status, { ...patch, status: 'draft', updated_by: actor.id });
        if (!row) throw CommonErrors.conflict();
        await this.audit(tx, actor, `catalog.${kind.name}.updated`, `catalog_${kind.name}`, id, { code: patch.code });
        return kind.toApi(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw kind.codeTaken(patch.code);
      throw error;
    }
  }

  /** draft or withdrawn → published, by someone other than the last editor (the system actor excepted). */
  private async publishEntry<Row extends { id: string; status: ListStatus; updated_by: string | null; code: string }, Api>(
    kind: ListKind<Row, Api>,
    actor: AuditActor,
    principal: StaffPrincipal | null,
    id: string,
  ): Promise<Api> {
    this.assertEditor(principal);
    const current = isUuid(id) ? await kind.find(this.db, id) : undefined;
    if (!current) throw kind.notFound();
    if (current.status === 'published') throw CatalogErrors.entry_status({ status: statusLabel(current.status) });
    if (principal && current.updated_by === principal.userId) throw CatalogErrors.same_person_cannot_publish();
    return this.transact(async (tx) => {
      const row = await kind.update(tx, id, current.status, { status: 'published' });
      if (!row) throw CommonErrors.conflict();
      await this.audit(tx, actor, `catalog.${kind.name}.published`, `catalog_${kind.name}`, id, { code: row.code });
      return kind.toApi(row);
    });
  }

  /** published → withdrawn, refused while a published item version still refers to the entry. */
  private async withdrawEntry<Row extends { id: string; status: ListStatus; updated_by: string | null; code: string }, Api>(
    kind: ListKind<Row, Api>,
    actor: AuditActor,
    principal: StaffPrincipal | null,
    id: string,
  ): Promise<Api> {
    this.assertEditor(principal);
    const current = isUuid(id) ? await kind.find(this.db, id) : undefined;
    if (!current) throw kind.notFound();
    if (current.status !== 'published') throw CatalogErrors.entry_status({ status: statusLabel(current.status) });
    return this.transact(async (tx) => {
      // update first: the row lock makes a concurrent publish of an item that uses the entry
      // (which reads it FOR SHARE) either finish before this check or see the entry withdrawn
      const row = await kind.update(tx, id, 'published', { status: 'withdrawn' });
      if (!row) throw CommonErrors.conflict();
      const users = await kind.usage(tx, id);
      if (users.length > 0) throw CatalogErrors.entry_in_use({ items: users.slice(0, 5).join('、') + (users.length > 5 ? ` … (${users.length})` : '') });
      await this.audit(tx, actor, `catalog.${kind.name}.withdrawn`, `catalog_${kind.name}`, id, { code: row.code });
      return kind.toApi(row);
    });
  }

  createProof(actor: AuditActor, principal: StaffPrincipal | null, input: ProofInput): Promise<Proof> {
    return this.createEntry(PROOFS, actor, principal, (tx) => store.insertProof(tx, { ...proofRow(input), updated_by: actor.id }), input.code);
  }

  updateProof(actor: AuditActor, principal: StaffPrincipal | null, id: string, input: ProofInput): Promise<Proof> {
    return this.updateEntry(PROOFS, actor, principal, id, { ...proofRow(input) });
  }

  publishProof(actor: AuditActor, principal: StaffPrincipal | null, id: string): Promise<Proof> {
    return this.publishEntry(PROOFS, actor, principal, id);
  }

  withdrawProof(actor: AuditActor, principal: StaffPrincipal | null, id: string): Promise<Proof> {
    return this.withdrawEntry(PROOFS, actor, principal, id);
  }

  async getProof(id: string): Promise<Proof> {
    const row = isUuid(id) ? await store.findProof(this.db, id) : undefined;
    if (!row) throw CatalogErrors.proof_not_found();
    return toProof(row);
  }

  async listProofs(filter: { status?: ListStatus | undefined } = {}): Promise<Proof[]> {
    return (await store.listProofs(this.db, filter.status)).map(toProof);
  }

  createIntermediary(actor: AuditActor, principal: StaffPrincipal | null, input: IntermediaryInput): Promise<Intermediary> {
    return this.createEntry(INTERMEDIARIES, actor, principal, (tx) => store.insertIntermediary(tx, { ...intermediaryRow(input), updated_by: actor.id }), input.code);
  }

  updateIntermediary(actor: AuditActor, principal: StaffPrincipal | null, id: string, input: IntermediaryInput): Promise<Intermediary> {
    return this.updateEntry(INTERMEDIARIES, actor, principal, id, { ...intermediaryRow(input) });
  }

  publishIntermediary(actor: AuditActor, principal: StaffPrincipal | null, id: string): Promise<Intermediary> {
    return this.publishEntry(INTERMEDIARIES, actor, principal, id);
  }

  withdrawIntermediary(actor: AuditActor, principal: StaffPrincipal | null, id: string): Promise<Intermediary> {
    return this.withdrawEntry(INTERMEDIARIES, actor, principal, id);
  }

  async getIntermediary(id: string): Promise<Intermediary> {
    const row = isUuid(id) ? await store.findIntermediary(this.db, id) : undefined;
    if (!row) throw CatalogErrors.intermediary_not_found();
    return toIntermediary(row);
  }

  async listIntermediaries(filter: { status?: ListStatus | undefined } = {}): Promise<Intermediary[]> {
    return (await store.listIntermediaries(this.db, filter.status)).map(toIntermediary);
  }

  // --- synonyms -----------------------------------------------------------------------------

  /**
   * Replaces the search synonyms (城市-wide, used by the query service's index). Terms and
   * expansions are trimmed; an expansion equal to its term, or repeated, is dropped.
   */
  async setSynonyms(actor: AuditActor, principal: StaffPrincipal | null, entries: SynonymEntry[]): Promise<SynonymEntry[]> {
    this.assertEditor(principal);
    const errors: FieldErrorSpec[] = [];
    const seen = new Set<string>();
    const clean: SynonymEntry[] = [];
    entries.forEach((entry, i) => {
      const term = entry.term.trim();
      const expansions = [...new Set(entry.expansions.map((e) => e.trim()).filter((e) => e !== '' && e !== term))];
      if (term === '') errors.push({ field: `entries[${i}].term`, code: FieldCodes.required });
      else if (seen.has(term)) errors.push({ field: `entries[${i}].term`, code: CatalogFieldCodes.duplicate_term, params: { term } });
      if (expansions.length === 0) errors.push({ field: `entries[${i}].expansions`, code: FieldCodes.required });
      seen.add(term);
      clean.push({ term, expansions });
    });
    if (errors.length > 0) throw invalidInput(errors);
    await this.transact(async (tx) => {
      await store.replaceSynonyms(tx, clean, actor.id);
      await this.audit(tx, actor, 'catalog.synonyms.replaced', 'catalog_synonyms', 'all', { entries: clean.length });
    });
    return this.listSynonyms();
  }

  async listSynonyms(): Promise<SynonymEntry[]> {
    return (await store.listSynonyms(this.db)).map((r) => ({ term: r.term, expansions: r.expansions }));
  }
}
