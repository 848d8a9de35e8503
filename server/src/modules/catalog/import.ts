/**
 * Importing a catalog workbook (excel.ts reads it): every row is validated as the editor would
 * validate it — cells, the ItemContent schema, the service's content and identity checks
 * (`validation.ts`: codes, promised ≤ legal, proofs / intermediaries / halls exist …) and the
 * importer's reach — and the valid rows become drafts: a new item (version 1), a new draft version
 * of an existing item, or new content for its open draft. Drafts still need submitting and
 * publishing by another person (four eyes); importing never publishes.
 *
 * Modes: `all` writes every row in ONE transaction, and nothing at all when any row (or sheet) is
 * invalid; `partial` writes the valid rows, each in its own transaction; `dryRun` writes nothing
 * and reports what would happen. A row whose content equals the item's latest version is
 * `skipped` (nothing to draft).
 *
 * Why not `CatalogService.createItem` / `saveDraft` / `newDraftFrom` per row: each opens its own
 * transaction and reads through the pool, so they cannot run inside one outer transaction (on
 * PGlite, a single connection, they would wait for it forever). The writes here are the same
 * store calls those methods make, after the same checks, with the same audit actions (the detail
 * says `source: 'import'`) and one revision bump.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.js';
import { canonicalJson, recordAudit, type AuditActor } from '../../platform/audit/audit.js';
import { reaches, type StaffPrincipal } from '../../platform/auth/principal.js';
import { AppError, defineFieldErrors, problemMessage, type FieldErrorSpec, type Lang } from '../../platform/http/errors.js';
import type { StaffRole } from '../../shared/roles.js';
import type { OrgService } from '../org/service.js';
import { errorMessage, locatorOf, parseCatalogWorkbook, SHEETS, type CellError, type ExchangeDirectory, type ParsedItem } from './excel.js';
import type { ItemContent } from './schemas.js';
import type { CatalogService } from './service.js';
import * as store from './store.js';
import { checkContent, checkIdentity, type ComponentState, type References } from './validation.js';

const EDITORS: readonly StaffRole[] = ['catalog_admin', 'system_admin'];
/** New items per insert statement. */
const BATCH = 250;
/** Rendered errors in one report; the rows beyond still show their status. */
const MAX_REPORTED_ERRORS = 5_000;

export const ImportFieldCodes = defineFieldErrors({
  import_out_of_reach: { zh: '您不能管理“{name}”的事项', en: 'You do not manage the items of {name}' },
  import_in_review: {
    zh: '该事项的第 {version} 版正在审核中，请先退回或发布后再导入',
    en: 'Version {version} of this item is in review; return or publish it before importing',
  },
  import_write_failed: { zh: '写入失败：{reason}', en: 'Could not be written: {reason}' },
});

export type ImportMode = 'all' | 'partial';
export type RowStatus = 'created' | 'updated' | 'invalid' | 'skipped';

export interface ReportError {
  sheet: string;
  row: number | null;
  column: string | null;
  code: string;
  message: string;
}

export interface ReportRow {
  sheet: string;
  row: number;
  implementationCode: string;
  status: RowStatus;
  /** Why a valid row was not written: its content is already the latest, or other rows are invalid (mode all). */
  reason?: 'unchanged' | 'blocked';
  /** The draft version written (or that would be written). */
  version?: number;
  errors: ReportError[];
}

export interface ImportReport {
  mode: ImportMode;
  dryRun: boolean;
  /** Whether anything was written. */
  imported: boolean;
  created: number;
  updated: number;
  invalid: number;
  skipped: number;
  rows: ReportRow[];
  /** Workbook- and sheet-level problems (missing sheets, wrong columns): nothing is imported. */
  sheetErrors: ReportError[];
  /** True when more than MAX_REPORTED_ERRORS errors were found and the rest were left out. */
  errorsTruncated: boolean;
}

type Plan =
  | { kind: 'create'; item: ParsedItem; content: ItemContent }
  | { kind: 'draft'; item: ParsedItem; content: ItemContent; itemId: string; from: number; version: number }
  | { kind: 'save'; item: ParsedItem; content: ItemContent; versionId: string; lockVersion: number; version: number };

/** FieldErrorSpec field `content.materials[2].proofId` → content path `/materials/2/proofId`. */
function contentPath(field: string): string {
  return `/${field.replace(/^content\.?/, '').replace(/\[(\d+)\]/g, '.$1').split('.').filter((p) => p !== '').join('/')}`;
}

const sameContent = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** A write refused for one row (carrying the underlying error). */
class RowFailure extends Error {
  constructor(
    readonly item: ParsedItem,
    override readonly cause: unknown,
  ) {
    super('import row failed');
  }
}

export class CatalogImporter {
  constructor(
    private readonly db: Db,
    private readonly catalog: CatalogService,
    private readonly org: OrgService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** What a workbook may name: every department and hall, every list entry whatever its status (validation judges the status). */
  async directory(): Promise<ExchangeDirectory> {
    const [departments, halls, proofs, intermediaries] = await Promise.all([
      this.org.listDepartments(),
      this.org.listHalls(),
      this.catalog.listProofs(),
      this.catalog.listIntermediaries(),
    ]);
    return {
      departments: departments.map((d) => ({ id: d.id, name: d.name, creditCode: d.creditCode })),
      halls: halls.map((h) => ({ id: h.id, name: h.name })),
      proofs: proofs.map((p) => ({ id: p.id, code: p.code, name: p.name, status: p.status })),
      intermediaries: intermediaries.map((i) => ({ id: i.id, code: i.code, name: i.name, status: i.status })),
    };
  }

  /**
   * The components the workbook's composite items name (并联审批): as the catalog has them, or
   * else as the same workbook brings them (new there, so not yet published).
   */
  private async components(items: readonly ParsedItem[]): Promise<Map<string, ComponentState>> {
    const codes = [...new Set(items.flatMap((i) => (i.content?.parallel ?? []).map((p) => p.implementationCode.toUpperCase())))];
    const states = await this.catalog.componentStates(codes);
    for (const item of items) {
      if (!item.content || states.has(item.implementationCode) || !codes.includes(item.implementationCode)) continue;
      states.set(item.implementationCode, { name: item.content.name, published: false, composite: (item.content.parallel?.length ?? 0) > 0 });
    }
    return states;
  }

  /**
   * Validates and (unless dryRun) applies a workbook. `principal` null is the system actor (CLI,
   * bench): no reach check. Throws an AppError only when the file cannot be read at all.
   */
  async importWorkbook(actor: AuditActor, principal: StaffPrincipal | null, buffer: Buffer, options: { mode: ImportMode; dryRun: boolean; lang: Lang }): Promise<ImportReport> {
    const { mode, dryRun, lang } = options;
    const directory = await this.directory();
    const parsed = await parseCatalogWorkbook(buffer, directory);

    const refs: References = {
      proofs: new Map(directory.proofs.map((p) => [p.id, { name: p.name, status: p.status ?? 'published' }])),
      intermediaries: new Map(directory.intermediaries.map((i) => [i.id, { name: i.name, status: i.status ?? 'published' }])),
      hallIds: new Set(directory.halls.map((h) => h.id)),
      components: await this.components(parsed.items),
    };
    const departmentNames = new Map(directory.departments.map((d) => [d.id, d.name]));
    const scopes = new Map<string, Awaited<ReturnType<OrgService['departmentScope']>>>();

    // Which items exist already: one query per thousand codes rather than one per row.
    const existingIds = await this.existingItems(parsed.items.filter((i) => i.departmentId && i.content).map((i) => i.implementationCode));

    // Per item: everything the editor would be told, then what writing it would mean.
    const plans = new Map<ParsedItem, Plan>();
    const unchanged = new Set<ParsedItem>();
    const extraErrors = new Map<ParsedItem, CellError[]>();
    for (const item of parsed.items) {
      const errors: CellError[] = [];
      extraErrors.set(item, errors);
      if (!item.departmentId) continue;
      const at = (column: string | null): Pick<CellError, 'sheet' | 'row' | 'column'> => ({ sheet: SHEETS.items, row: item.row, column });
      if (principal) {
        let scope = scopes.get(item.departmentId);
        if (!scope) {
          scope = await this.org.departmentScope(item.departmentId);
          scopes.set(item.departmentId, scope);
        }
        if (!reaches(principal, scope, EDITORS)) {
          errors.push({ ...at('实施编码'), code: ImportFieldCodes.import_out_of_reach, params: { name: departmentNames.get(item.departmentId) ?? '' } });
          continue; // nothing more about an item the importer may not touch (not even whether it exists)
        }
      }
      if (!item.content || item.errors.length > 0) continue;
      const content = item.content;
      const locator = locatorOf(item);
      const specs: FieldErrorSpec[] = [
        ...checkIdentity({ creditCode: item.creditCode, exerciseLevel: item.exerciseLevel, basicCode: item.basicCode }),
        ...checkContent(content, { ...refs, selfCode: item.implementationCode }).errors,
      ];
      for (const spec of specs) {
        const where = spec.field.startsWith('content') ? locator.locate(contentPath(spec.field)) : at('实施编码');
        errors.push({ ...where, code: spec.code, ...(spec.params ? { params: spec.params } : {}) });
      }
      if (errors.length > 0) continue;

      const existingId = existingIds.get(item.implementationCode);
      if (!existingId) {
        plans.set(item, { kind: 'create', item, content });
        continue;
      }
      const existing = { id: existingId };
      const open = await store.openVersion(this.db, existing.id);
      if (open?.status === 'in_review') {
        errors.push({ ...at('实施编码'), code: ImportFieldCodes.import_in_review, params: { version: open.version } });
        continue;
      }
      if (open) {
        const draft = await store.findVersion(this.db, existing.id, open.version);
        if (!draft) continue;
        if (sameContent(draft.content, content)) unchanged.add(item);
        else plans.set(item, { kind: 'save', item, content, versionId: draft.id, lockVersion: draft.lock_version, version: draft.version });
        continue;
      }
      const latest = await store.latestClosedVersion(this.db, existing.id);
      if (latest && sameContent(latest.content, content)) {
        unchanged.add(item);
        continue;
      }
      plans.set(item, { kind: 'draft', item, content, itemId: existing.id, from: latest?.version ?? 0, version: (latest?.version ?? 0) + 1 });
    }

    const invalidItems = parsed.items.filter((i) => i.errors.length > 0 || (extraErrors.get(i)?.length ?? 0) > 0);
    const anyInvalid = invalidItems.length > 0 || parsed.orphans.length > 0;
    const blocked = parsed.sheetErrors.length > 0 || (mode === 'all' && anyInvalid);

    // Writing.
    const failures = new Map<ParsedItem, CellError>();
    let written = new Map<ParsedItem, number>();
    if (!dryRun && !blocked && plans.size > 0) {
      const sha256 = createHash('sha256').update(buffer).digest('hex');
      const all = [...plans.values()];
      const inOneTransaction = async (list: Plan[]) =>
        this.db.transaction().execute(async (tx) => {
          const versions = await this.write(tx, actor, list);
          await store.bumpRevision(tx);
          await this.auditSummary(tx, actor, mode, versions, plans, sha256);
          return versions;
        });
      try {
        written = await inOneTransaction(all);
      } catch (error) {
        if (!(error instanceof RowFailure)) throw error;
        if (mode === 'all') {
          failures.set(error.item, this.failure(error.item, error.cause, lang));
        } else {
          // partial: the row that failed must not take the others with it; each in its own transaction
          for (const plan of all) {
            try {
              const one = await this.db.transaction().execute(async (tx) => {
                const versions = await this.write(tx, actor, [plan]);
                await store.bumpRevision(tx);
                return versions;
              });
              for (const [item, version] of one) written.set(item, version);
            } catch (rowError) {
              if (!(rowError instanceof RowFailure)) throw rowError;
              failures.set(rowError.item, this.failure(rowError.item, rowError.cause, lang));
            }
          }
          if (written.size > 0) await this.db.transaction().execute((tx) => this.auditSummary(tx, actor, mode, written, plans, sha256));
        }
      }
    }

    // The report.
    let budget = MAX_REPORTED_ERRORS;
    let truncated = false;
    const render = (errors: CellError[]): ReportError[] => {
      const kept = errors.slice(0, Math.max(0, budget));
      if (kept.length < errors.length) truncated = true;
      budget -= kept.length;
      return kept.map((e) => ({ sheet: e.sheet, row: e.row, column: e.column, code: e.code, message: errorMessage(e, lang) }));
    };
    const rolledBack = mode === 'all' && failures.size > 0;
    const rows: ReportRow[] = [];
    for (const item of parsed.items) {
      const base = { sheet: SHEETS.items, row: item.row, implementationCode: item.implementationCode };
      const failure = failures.get(item);
      const errors = [...item.errors, ...(extraErrors.get(item) ?? []), ...(failure ? [failure] : [])];
      if (errors.length > 0) {
        rows.push({ ...base, status: 'invalid', errors: render(errors) });
        continue;
      }
      if (unchanged.has(item)) {
        rows.push({ ...base, status: 'skipped', reason: 'unchanged', errors: [] });
        continue;
      }
      const plan = plans.get(item);
      if (!plan) continue;
      const wouldWrite = dryRun ? !blocked : written.has(item);
      if (!wouldWrite || (rolledBack && !dryRun)) {
        rows.push({ ...base, status: 'skipped', reason: 'blocked', errors: [] });
        continue;
      }
      const version = plan.kind === 'create' ? 1 : plan.version;
      rows.push({ ...base, status: plan.kind === 'create' ? 'created' : 'updated', version: written.get(item) ?? version, errors: [] });
    }
    for (const orphan of parsed.orphans) {
      rows.push({ sheet: orphan.sheet, row: orphan.row, implementationCode: orphan.implementationCode, status: 'invalid', errors: render(orphan.errors) });
    }
    const count = (status: RowStatus) => rows.filter((r) => r.status === status).length;
    return {
      mode,
      dryRun,
      imported: !dryRun && written.size > 0 && !rolledBack,
      created: count('created'),
      updated: count('updated'),
      invalid: count('invalid'),
      skipped: count('skipped'),
      rows,
      sheetErrors: render(parsed.sheetErrors),
      errorsTruncated: truncated,
    };
  }

  /** Ids of the items among `codes` that exist, by implementation code. */
  private async existingItems(codes: string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    const unique = [...new Set(codes)];
    for (let at = 0; at < unique.length; at += 1000) {
      const rows = await this.db.selectFrom('catalog_items').select(['id', 'implementation_code']).where('implementation_code', 'in', unique.slice(at, at + 1000)).execute();
      for (const row of rows) result.set(row.implementation_code, row.id);
    }
    return result;
  }

  /**
   * Writes the planned rows in `tx`; returns the version written for each. New items go in
   * batches (one insert of items and one of their first drafts per BATCH rows: on PGlite a
   * statement costs more than its rows, about 4x per item), with the columns `store.insertItem`
   * and `store.insertDraft` write and one audit entry each; a batch that fails is redone row by
   * row through the store. The other rows go through the store one by one. A refused row throws
   * a RowFailure naming it.
   */
  private async write(tx: Executor, actor: AuditActor, list: Plan[]): Promise<Map<ParsedItem, number>> {
    const versions = new Map<ParsedItem, number>();
    const at = this.now();
    const creates = list.filter((p): p is Extract<Plan, { kind: 'create' }> => p.kind === 'create');
    for (let start = 0; start < creates.length; start += BATCH) {
      const batch = creates.slice(start, start + BATCH);
      await sql`SAVEPOINT import_batch`.execute(tx);
      try {
        const items = await tx
          .insertInto('catalog_items')
          .values(batch.map((p) => ({ implementation_code: p.item.implementationCode, basic_code: p.item.basicCode, department_id: p.item.departmentId!, exercise_level: p.item.exerciseLevel, created_by: actor.id })))
          .returning(['id', 'implementation_code'])
          .execute();
        const ids = new Map(items.map((r) => [r.implementation_code, r.id]));
        await tx
          .insertInto('catalog_item_versions')
          .values(batch.map((p) => ({ item_id: ids.get(p.item.implementationCode)!, version: 1, status: 'draft' as const, ...store.contentColumns(p.content), created_at: at, created_by: actor.id, updated_at: at, updated_by: actor.id })))
          .execute();
        for (const p of batch) {
          await recordAudit(tx, actor, { action: 'catalog.item.created', targetType: 'catalog_item', targetId: p.item.implementationCode, detail: { departmentId: p.item.departmentId, version: 1, source: 'import' } });
          versions.set(p.item, 1);
        }
        await sql`RELEASE SAVEPOINT import_batch`.execute(tx);
      } catch {
        // Something in the batch was refused (an item created meanwhile …): undo the batch and
        // write it row by row, so the refusal names its row.
        await sql`ROLLBACK TO SAVEPOINT import_batch`.execute(tx);
        for (const p of batch) {
          try {
            versions.set(p.item, await this.apply(tx, actor, p));
          } catch (error) {
            throw new RowFailure(p.item, error);
          }
        }
      }
    }
    for (const plan of list) {
      if (plan.kind === 'create') continue;
      try {
        versions.set(plan.item, await this.apply(tx, actor, plan));
      } catch (error) {
        throw new RowFailure(plan.item, error);
      }
    }
    return versions;
  }

  /** Writes one planned row through the store; returns the version written. */
  private async apply(tx: Executor, actor: AuditActor, plan: Plan): Promise<number> {
    const at = this.now();
    const code = plan.item.implementationCode;
    if (plan.kind === 'create') {
      const item = await store.insertItem(tx, { implementation_code: code, basic_code: plan.item.basicCode, department_id: plan.item.departmentId!, exercise_level: plan.item.exerciseLevel, created_by: actor.id });
      if (!item) throw new AppError(409, 'item_exists', { implementationCode: code });
      const draft = await store.insertDraft(tx, item.id, plan.content, actor.id, at);
      if (!draft) throw new AppError(409, 'conflict');
      await recordAudit(tx, actor, { action: 'catalog.item.created', targetType: 'catalog_item', targetId: code, detail: { departmentId: plan.item.departmentId, version: draft.version, source: 'import' } });
      return draft.version;
    }
    if (plan.kind === 'draft') {
      const draft = await store.insertDraft(tx, plan.itemId, plan.content, actor.id, at);
      if (!draft) throw new AppError(409, 'conflict');
      await recordAudit(tx, actor, { action: 'catalog.version.drafted', targetType: 'catalog_item', targetId: code, detail: { version: draft.version, from: plan.from, source: 'import' } });
      await this.catalog.versionDrafted(tx, { code, version: draft.version, from: plan.from });
      return draft.version;
    }
    const updated = await store.transition(tx, plan.versionId, 'draft', plan.lockVersion, { content: plan.content, updated_at: at, updated_by: actor.id });
    if (!updated) throw new AppError(409, 'conflict');
    await recordAudit(tx, actor, { action: 'catalog.version.saved', targetType: 'catalog_item', targetId: code, detail: { version: updated.version, source: 'import' } });
    return updated.version;
  }

  private async auditSummary(tx: Executor, actor: AuditActor, mode: ImportMode, written: ReadonlyMap<ParsedItem, number>, plans: Map<ParsedItem, Plan>, sha256: string) {
    let created = 0;
    for (const item of written.keys()) if (plans.get(item)?.kind === 'create') created++;
    await recordAudit(tx, actor, {
      action: 'catalog.import.applied',
      targetType: 'catalog_import',
      targetId: sha256.slice(0, 16),
      detail: { mode, created, updated: written.size - created, sha256 },
    });
  }

  /** A write refused inside the transaction, as an error on the item's row. */
  private failure(item: ParsedItem, error: unknown, lang: Lang): CellError {
    const uniqueViolation = (error as { code?: string } | null)?.code === '23505';
    if (!(error instanceof AppError) && !uniqueViolation) throw error; // a real fault: 500, rolled back
    const reason = error instanceof AppError ? problemMessage(error.code, lang, error.params) : problemMessage('conflict', lang);
    return { sheet: SHEETS.items, row: item.row, column: '实施编码', code: ImportFieldCodes.import_write_failed, params: { reason } };
  }
}
