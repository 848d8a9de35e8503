import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../../platform/audit/audit.js';
import type { StaffPrincipal } from '../../platform/auth/principal.js';
import type { Db, Executor } from '../../platform/db/database.js';
import type { RuleSetTable } from '../../platform/db/schema.js';
import type { Selectable } from 'kysely';
import { invalidInput, type FieldErrorSpec } from '../../platform/http/errors.js';
import type { ItemContent } from '../catalog/schemas.js';
import type { CatalogService, VersionDrafted, VersionPublishing } from '../catalog/service.js';
import { RuleErrors, RuleFieldCodes } from './errors.js';
import type { DecisionTable, RuleSet, RuleSetInput, RuleSets, RuleTest, TestReport } from './schemas.js';
import { checkInput, checkTable, compileTable, runTests, type CompiledTable } from './table.js';

/*
 * Decision rules per catalog item version. A rule set is saved as a draft (checked: fields exist
 * in that version's form, FEEL parses, no overlap under UNIQUE), tested, and published only when
 * its stored tests pass; publishing retires the one before. A published rule set never changes, so
 * its compiled table is kept by id for the process's life; which one is published for an item
 * version is one indexed query per decision, so every instance sees a publish at once.
 */

type Row = Selectable<RuleSetTable>;

/** What the case module gets: the published rule set's version and its compiled table. */
export interface PublishedRules {
  id: string;
  ruleVersion: string;
  table: CompiledTable;
}

const COMPILED_CACHE = 2_000;

/** Every property name a form's JSON Schema declares, conditional branches included. */
export function formFieldsOf(schema: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const obj = node as Record<string, unknown>;
    if (obj.properties && typeof obj.properties === 'object') for (const key of Object.keys(obj.properties)) out.add(key);
    for (const key of ['allOf', 'anyOf', 'oneOf', 'then', 'else', 'if', 'dependentSchemas']) if (key in obj) walk(obj[key]);
  };
  walk(schema);
  return out;
}

/**
 * What of a table no longer fits an item version's form: each input on a field the form lacks,
 * and each row with a condition on it (a row that does not care, `-`, still fits), at their
 * places under `prefix`.
 */
export function formMisfits(table: DecisionTable, content: Pick<ItemContent, 'form'>, prefix: string): FieldErrorSpec[] {
  const fields = formFieldsOf(content.form.schema);
  const errors: FieldErrorSpec[] = [];
  table.inputs.forEach((input, i) => {
    if (input.source !== 'form' || checkInput(input, { formFields: fields }) === null) return;
    errors.push({ field: `${prefix}inputs[${i}].path`, code: RuleFieldCodes.rule_unknown_field, params: { path: input.path } });
    table.rows.forEach((row, r) => {
      const cell = row.cells[i]?.trim() ?? '';
      if (cell !== '' && cell !== '-') errors.push({ field: `${prefix}rows[${r}].cells[${i}]`, code: RuleFieldCodes.rule_row_missing_field, params: { row: r + 1, input: input.label, path: input.path } });
    });
  });
  return errors;
}

function tableInvalid(errors: FieldErrorSpec[]) {
  const error = RuleErrors.rule_table_invalid({ count: errors.length });
  error.fieldErrors.push(...errors);
  return error;
}

function toRuleSet(row: Row): RuleSet {
  return {
    id: row.id,
    itemCode: row.item_code,
    itemVersion: row.item_version,
    revision: row.revision,
    ruleVersion: `${row.item_version}.${row.revision}`,
    status: row.status,
    lockVersion: row.lock_version,
    table: row.definition as unknown as DecisionTable,
    tests: row.tests as RuleTest[],
    lastTestReport: (row.test_report as unknown as TestReport | null) ?? null,
    updatedAt: row.updated_at.toISOString(),
    publishedAt: row.published_at?.toISOString() ?? null,
  };
}

export class RulesService {
  private readonly compiled = new Map<string, CompiledTable>();

  constructor(
    private readonly db: Db,
    private readonly catalog: CatalogService,
  ) {}

  private rows(code: string, version: number) {
    return this.db.selectFrom('rule_sets').selectAll().where('item_code', '=', code).where('item_version', '=', version).where('status', 'in', ['draft', 'published']).execute();
  }

  /** The item version's draft and published rule set (reach: the catalog's — 404 outside it). */
  async get(principal: StaffPrincipal | null, itemCode: string, version: number): Promise<RuleSets> {
    const code = itemCode.toUpperCase();
    await this.catalog.getVersion(principal, code, version);
    const rows = await this.rows(code, version);
    const draft = rows.find((r) => r.status === 'draft');
    const published = rows.find((r) => r.status === 'published');
    return { itemCode: code, itemVersion: version, draft: draft ? toRuleSet(draft) : null, published: published ? toRuleSet(published) : null };
  }

  /**
   * Saves the draft: every problem of the table and the tests at once, each at its place (400).
   * The first save of an item version, or the first after a publish, starts a new revision.
   */
  async save(principal: StaffPrincipal | null, actor: AuditActor, itemCode: string, version: number, input: RuleSetInput): Promise<RuleSet> {
    const code = itemCode.toUpperCase();
    const item = await this.catalog.getVersion(principal, code, version);
    const errors: FieldErrorSpec[] = checkTable(input.table, { formFields: formFieldsOf(item.content.form.schema) }).map((e) => ({ ...e, field: `table.${e.field}` }));
    const ids = new Set(input.table.inputs.map((i) => i.id));
    input.tests.forEach((t, i) => {
      for (const key of Object.keys(t.inputs)) if (!ids.has(key)) errors.push({ field: `tests[${i}].inputs.${key}`, code: RuleFieldCodes.rule_test_unknown_input, params: { id: key } });
    });
    if (errors.length > 0) throw invalidInput(errors);
    const report = runTests(compileTable(input.table), input.tests);
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('rule_sets').selectAll().where('item_code', '=', code).where('item_version', '=', version).forUpdate().execute();
      const draft = existing.find((r) => r.status === 'draft');
      let row: Row;
      if (draft) {
        if (input.lockVersion !== undefined && input.lockVersion !== draft.lock_version) throw RuleErrors.rule_version_conflict();
        row = await trx.updateTable('rule_sets').set({
          definition: JSON.stringify(input.table),
          tests: JSON.stringify(input.tests),
          test_report: JSON.stringify(report),
          lock_version: draft.lock_version + 1,
          updated_at: new Date(),
          updated_by: principal?.userId ?? null,
        }).where('id', '=', draft.id).returningAll().executeTakeFirstOrThrow();
      } else {
        const revision = existing.reduce((max, r) => Math.max(max, r.revision), 0) + 1;
        row = await trx.insertInto('rule_sets').values({
          item_code: code,
          item_version: version,
          revision,
          status: 'draft',
          definition: JSON.stringify(input.table),
          tests: JSON.stringify(input.tests),
          test_report: JSON.stringify(report),
          updated_by: principal?.userId ?? null,
        }).returningAll().executeTakeFirstOrThrow();
      }
      await recordAudit(trx, actor, { action: 'rules.draft.saved', targetType: 'item_version', targetId: `${code}/${version}`, detail: { revision: row.revision, rows: input.table.rows.length, tests: input.tests.length, testsPassed: report.passed } });
      return toRuleSet(row);
    });
  }

  /**
   * The catalog drafted a new version (`onVersionDrafted`, in its transaction): the rules of the
   * version it was copied from come along, tables and tests. A published set stays published —
   * the same table passed the same tests, and the catalog's publication checks it against the
   * new form (`checkVersionPublishing`) — unless its tests no longer pass (a date-dependent
   * cell), when it becomes the draft (and the old version's own draft is left behind: a version
   * has one draft); a draft stays a draft.
   */
  async copyForward(tx: Executor, drafted: VersionDrafted): Promise<void> {
    const code = drafted.code.toUpperCase();
    const sources = await tx.selectFrom('rule_sets').selectAll().where('item_code', '=', code).where('item_version', '=', drafted.from).where('status', 'in', ['published', 'draft']).orderBy('revision').execute();
    let revision = 0;
    let hasDraft = false;
    for (const source of sources) {
      const report = runTests(compileTable(source.definition as unknown as DecisionTable), source.tests as RuleTest[]);
      const status = source.status === 'published' && report.passed ? 'published' : 'draft';
      if (status === 'draft' && hasDraft) continue;
      hasDraft ||= status === 'draft';
      revision += 1;
      const now = new Date();
      await tx.insertInto('rule_sets').values({
        item_code: code,
        item_version: drafted.version,
        revision,
        status,
        definition: JSON.stringify(source.definition),
        tests: JSON.stringify(source.tests),
        test_report: JSON.stringify(report),
        updated_by: null,
        ...(status === 'published' ? { published_at: now, published_by: null } : {}),
      }).execute();
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: status === 'published' ? 'rules.published' : 'rules.draft.saved',
        targetType: 'item_version',
        targetId: `${code}/${drafted.version}`,
        detail: { revision, copiedFrom: `${source.item_version}.${source.revision}`, tests: report.total, testsPassed: report.passed },
      });
    }
  }

  /**
   * Before the catalog publishes a version (`onVersionPublishing`, in its transaction): its rule
   * sets, published and draft, must fit its form. A rule naming a field the form no longer has is
   * refused (422 rule_table_invalid) with each input and row and the reason.
   */
  async checkVersionPublishing(tx: Executor, publishing: VersionPublishing): Promise<void> {
    const rows = await tx.selectFrom('rule_sets').selectAll().where('item_code', '=', publishing.code.toUpperCase()).where('item_version', '=', publishing.version).where('status', 'in', ['published', 'draft']).orderBy('revision').execute();
    const errors = rows.flatMap((row) => formMisfits(row.definition as unknown as DecisionTable, publishing.content, `rules.${row.status}.table.`));
    if (errors.length > 0) throw tableInvalid(errors);
  }

  /** Runs the draft's stored tests (nothing changes). */
  async test(principal: StaffPrincipal | null, itemCode: string, version: number): Promise<TestReport> {
    const { draft } = await this.get(principal, itemCode, version);
    if (!draft) throw RuleErrors.rule_draft_missing();
    return runTests(compileTable(draft.table), draft.tests);
  }

  /**
   * Publishes the draft when every stored test passes (422 rule_tests_failed, each failing test
   * named, otherwise): the published one before is retired in the same transaction.
   */
  async publish(principal: StaffPrincipal | null, actor: AuditActor, itemCode: string, version: number): Promise<RuleSet> {
    const code = itemCode.toUpperCase();
    const item = await this.catalog.getVersion(principal, code, version);
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('rule_sets').selectAll().where('item_code', '=', code).where('item_version', '=', version).where('status', 'in', ['draft', 'published']).forUpdate().execute();
      const draft = rows.find((r) => r.status === 'draft');
      if (!draft) throw RuleErrors.rule_draft_missing();
      // the form may have changed since the draft was saved (a copied draft, a draft version edited)
      const misfits = formMisfits(draft.definition as unknown as DecisionTable, item.content, 'table.');
      if (misfits.length > 0) throw tableInvalid(misfits);
      const tests = draft.tests as RuleTest[];
      if (tests.length === 0) throw RuleErrors.rule_tests_missing();
      const report = runTests(compileTable(draft.definition as unknown as DecisionTable), tests);
      if (!report.passed) {
        const error = RuleErrors.rule_tests_failed({ failed: report.failed, total: report.total });
        error.fieldErrors.push(...report.results.flatMap((r, i) => (r.passed ? [] : [{ field: `tests[${i}]`, code: RuleFieldCodes.rule_test_failed, params: { name: r.name, expected: r.expected, actual: r.actual } }])));
        throw error;
      }
      const now = new Date();
      await trx.updateTable('rule_sets').set({ status: 'retired', updated_at: now }).where('item_code', '=', code).where('item_version', '=', version).where('status', '=', 'published').execute();
      const row = await trx.updateTable('rule_sets').set({ status: 'published', published_at: now, published_by: principal?.userId ?? null, test_report: JSON.stringify(report), updated_at: now, lock_version: draft.lock_version + 1 })
        .where('id', '=', draft.id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, actor, { action: 'rules.published', targetType: 'item_version', targetId: `${code}/${version}`, detail: { revision: row.revision, tests: report.total } });
      return toRuleSet(row);
    });
  }

  /** For the case module: the published rules of an item version, compiled (once per rule version), or null. */
  async publishedFor(itemCode: string, itemVersion: number): Promise<PublishedRules | null> {
    const head = await this.db.selectFrom('rule_sets').select(['id', 'item_version', 'revision']).where('item_code', '=', itemCode).where('item_version', '=', itemVersion).where('status', '=', 'published').executeTakeFirst();
    if (!head) return null;
    let table = this.compiled.get(head.id);
    if (!table) {
      const row = await this.db.selectFrom('rule_sets').select('definition').where('id', '=', head.id).executeTakeFirstOrThrow();
      table = compileTable(row.definition as unknown as DecisionTable);
      if (this.compiled.size >= COMPILED_CACHE) this.compiled.delete(this.compiled.keys().next().value!);
      this.compiled.set(head.id, table);
    }
    return { id: head.id, ruleVersion: `${head.item_version}.${head.revision}`, table };
  }
}
