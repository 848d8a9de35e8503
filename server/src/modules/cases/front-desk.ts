import type { Executor } from '../../platform/db/database.js';
import { invalidInput, type FieldErrorSpec } from '../../platform/http/errors.js';
import { todayInShanghai } from '../../platform/time.js';
import type { ActionBody } from './actions.js';
import { formFields } from './application.js';
import { preparedPart, type PreparedContext, type PreparedHandler } from './prepare.js';
import { startBackOffice } from './back-office.js';
import { applyTransition } from './engine.js';
import { CaseErrors, CaseFieldCodes } from './errors.js';
import { insertNotice, type CaseRow } from './store.js';

/*
 * The comprehensive window's front desk (前台综合受理): checking materials, and the four outcomes
 * of an application — accept, accept with materials owed (容缺受理), a one-time complete
 * correction notice (一次性告知), refusal to accept (不予受理). Any clerk of the region's window
 * acts on any item of the region (access.ts); each outcome leaves a notice the applicant can print.
 */

type FrontDeskAction = 'accept' | 'accept_with_deficiency' | 'not_accept' | 'request_correction' | 'verify_materials';
type Verdict = NonNullable<ActionBody['verdicts']>[number];

async function materialsOf(db: Executor, caseId: string) {
  return db.selectFrom('case_materials').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
}

/**
 * Records the clerk's verdict on each listed material (every upload of that material gets it).
 * A material the applicant did not hand in has no row to judge: the clerk names it in a
 * correction notice instead.
 */
async function applyVerdicts(ctx: PreparedContext, verdicts: readonly Verdict[]) {
  const rows = await materialsOf(ctx.trx, ctx.row.id);
  const present = new Set(rows.map((r) => r.material_id));
  const errors: FieldErrorSpec[] = [];
  const seen = new Set<string>();
  verdicts.forEach((v, i) => {
    if (!present.has(v.materialId)) errors.push({ field: `verdicts[${i}].materialId`, code: CaseFieldCodes.case_unknown_material, params: { materialId: v.materialId } });
    else if (seen.has(v.materialId)) errors.push({ field: `verdicts[${i}].materialId`, code: CaseFieldCodes.case_duplicate });
    if (v.verdict !== 'accepted' && !v.reason) errors.push({ field: `verdicts[${i}].reason`, code: CaseFieldCodes.case_required });
    seen.add(v.materialId);
  });
  if (errors.length > 0) throw invalidInput(errors);
  for (const v of verdicts) {
    await ctx.trx
      .updateTable('case_materials')
      .set({ verdict: v.verdict, verdict_reason: v.reason ?? null })
      .where('case_id', '=', ctx.row.id)
      .where('material_id', '=', v.materialId)
      .execute();
  }
  return verdicts.length > 0 ? materialsOf(ctx.trx, ctx.row.id) : rows;
}

/** Names of the materials that failed the check and are not excused (owed). */
function failedMaterials(rows: Awaited<ReturnType<typeof materialsOf>>, excused: ReadonlySet<string> = new Set()): string[] {
  return [...new Set(rows.filter((r) => (r.verdict === 'deficient' || r.verdict === 'missing') && !excused.has(r.material_id)).map((r) => r.name))];
}

function notInOrder(names: string[]) {
  return CaseErrors.materials_not_in_order({ names: names.join('、') });
}

const verdictDetail = (verdicts: readonly Verdict[]) => verdicts.map((v) => ({ materialId: v.materialId, verdict: v.verdict, ...(v.reason ? { reason: v.reason } : {}) }));

function noticeHeader(row: CaseRow, ctx: PreparedContext) {
  return { caseNumber: row.case_number, itemName: row.item_name, itemCode: row.item_code, applicantName: row.applicant_name, departmentName: ctx.item.departmentName };
}

/**
 * Acceptance (受理): the clock starts — `accepted_on` is today in Shanghai and the engine computes
 * the deadline from it — the acceptance notice states the deadline, and the back office gets the
 * case (its first task, or the sub-cases of a parallel approval).
 */
async function acceptCase(ctx: PreparedContext, action: 'accept' | 'accept_with_deficiency', patch: { owed_count?: number }, detail: Record<string, unknown>): Promise<CaseRow> {
  const today = todayInShanghai(ctx.now);
  const to = action === 'accept' ? 'accepted' : 'accepted_with_deficiency';
  const accepted = await applyTransition(ctx.trx, ctx.deps, {
    row: ctx.row,
    action,
    to,
    actor: ctx.actor,
    now: ctx.now,
    comment: ctx.body.comment ?? null,
    detail,
    patch: { accepted_at: ctx.now, accepted_on: today, ...patch },
  });
  await insertNotice(ctx.trx, {
    caseId: accepted.id,
    kind: 'acceptance',
    content: {
      ...noticeHeader(accepted, ctx),
      acceptedOn: today,
      caseKind: accepted.case_kind,
      promisedDays: accepted.case_kind === '1' ? 0 : accepted.promised_days,
      deadline: accepted.deadline,
    },
    createdBy: ctx.actor.id,
  });
  return startBackOffice(ctx.trx, ctx.deps, accepted, ctx.item, ctx.actor, ctx.now, preparedPart(ctx, 'plan'));
}

const accept: PreparedHandler = async (ctx) => {
  const verdicts = ctx.body.verdicts ?? [];
  const failed = failedMaterials(await applyVerdicts(ctx, verdicts));
  if (failed.length > 0) throw notInOrder(failed);
  return acceptCase(ctx, 'accept', {}, verdicts.length > 0 ? { verdicts: verdictDetail(verdicts) } : {});
};

/**
 * 容缺受理: accepted although materials the item marks deferrable are missing or deficient; each
 * is owed by a due date after today. Anything else that failed the check still blocks acceptance.
 */
const acceptWithDeficiency: PreparedHandler = async (ctx) => {
  const owed = ctx.body.owed ?? [];
  const today = todayInShanghai(ctx.now);
  const byId = new Map(ctx.item.materials.map((m) => [m.id, m]));
  const errors: FieldErrorSpec[] = [];
  if (owed.length === 0) errors.push({ field: 'owed', code: CaseFieldCodes.case_required });
  const seen = new Set<string>();
  owed.forEach((o, i) => {
    const material = byId.get(o.materialId);
    if (!material) errors.push({ field: `owed[${i}].materialId`, code: CaseFieldCodes.case_unknown_material, params: { materialId: o.materialId } });
    else if (material.requirement !== 'deferrable') errors.push({ field: `owed[${i}].materialId`, code: CaseFieldCodes.case_material_not_deferrable, params: { name: material.name } });
    else if (seen.has(o.materialId)) errors.push({ field: `owed[${i}].materialId`, code: CaseFieldCodes.case_duplicate });
    seen.add(o.materialId);
    if (o.dueDate <= today) errors.push({ field: `owed[${i}].dueDate`, code: CaseFieldCodes.case_due_date_invalid });
  });
  if (errors.length > 0) throw invalidInput(errors);

  const verdicts = ctx.body.verdicts ?? [];
  const failed = failedMaterials(await applyVerdicts(ctx, verdicts), seen);
  if (failed.length > 0) throw notInOrder(failed);

  const owedMaterials = owed.map((o) => ({ materialId: o.materialId, name: byId.get(o.materialId)!.name, dueDate: o.dueDate }));
  // One row per owed material stands for what is to come; supplying fills it in.
  await ctx.trx
    .insertInto('case_materials')
    .values(owedMaterials.map((o) => ({ case_id: ctx.row.id, material_id: o.materialId, name: o.name, source: 'upload' as const, verdict: 'missing' as const, owed: true, owed_due: o.dueDate })))
    .execute();
  const row = await acceptCase(ctx, 'accept_with_deficiency', { owed_count: owed.length }, { owed: owedMaterials, ...(verdicts.length > 0 ? { verdicts: verdictDetail(verdicts) } : {}) });
  await insertNotice(ctx.trx, { caseId: row.id, kind: 'deficiency', content: { ...noticeHeader(row, ctx), owed: owedMaterials }, createdBy: ctx.actor.id });
  return row;
};

/** 不予受理: the reason and its legal basis are required, and go on the notice. The case ends here. */
const notAccept: PreparedHandler = async (ctx) => {
  const { reason, legalBasis } = ctx.body;
  const errors: FieldErrorSpec[] = [];
  if (!reason) errors.push({ field: 'reason', code: CaseFieldCodes.case_required });
  if (!legalBasis) errors.push({ field: 'legalBasis', code: CaseFieldCodes.case_required });
  if (errors.length > 0) throw invalidInput(errors);
  const row = await applyTransition(ctx.trx, ctx.deps, {
    row: ctx.row,
    action: 'not_accept',
    to: 'not_accepted',
    actor: ctx.actor,
    now: ctx.now,
    comment: ctx.body.comment ?? null,
    detail: { reason, legalBasis },
    patch: { closed_at: ctx.now },
  });
  await insertNotice(ctx.trx, { caseId: row.id, kind: 'not_accepted', content: { ...noticeHeader(row, ctx), reason, legalBasis }, createdBy: ctx.actor.id });
  return row;
};

interface CorrectionItem {
  materialId?: string;
  materialName?: string;
  field?: string;
  fieldLabel?: string;
  reason: string;
}

const itemKey = (item: Pick<CorrectionItem, 'materialId' | 'field'>) => (item.materialId ? `material:${item.materialId}` : `field:${item.field}`);

/**
 * 一次性告知: one notice naming every material and field to correct, each with its reason. A later
 * notice on the same case that names something no earlier one did is a breach of the one-time
 * rule: it is still sent (the applicant needs it), flagged, and the history records what was new.
 */
const requestCorrection: PreparedHandler = async (ctx) => {
  const requested = ctx.body.items ?? [];
  const materials = new Map(ctx.item.materials.map((m) => [m.id, m]));
  const fields = formFields(ctx.item);
  const errors: FieldErrorSpec[] = [];
  if (requested.length === 0) errors.push({ field: 'items', code: CaseFieldCodes.case_required });
  const items: CorrectionItem[] = [];
  requested.forEach((r, i) => {
    if (!r.materialId && !r.field) errors.push({ field: `items[${i}]`, code: CaseFieldCodes.case_required });
    if (r.materialId && !materials.has(r.materialId)) errors.push({ field: `items[${i}].materialId`, code: CaseFieldCodes.case_unknown_material, params: { materialId: r.materialId } });
    if (r.field && !fields.has(r.field)) errors.push({ field: `items[${i}].field`, code: CaseFieldCodes.case_unknown_field, params: { field: r.field } });
    // an entry naming a material and a field asks for both: two items of the notice
    if (r.materialId) items.push({ materialId: r.materialId, materialName: materials.get(r.materialId)?.name ?? r.materialId, reason: r.reason });
    if (r.field) items.push({ field: r.field, fieldLabel: fields.get(r.field) ?? r.field, reason: r.reason });
  });
  if (errors.length > 0) throw invalidInput(errors);

  const earlier = await ctx.trx.selectFrom('case_notices').select('content').where('case_id', '=', ctx.row.id).where('kind', '=', 'correction').execute();
  const named = new Set(earlier.flatMap((n) => ((n.content as { items?: CorrectionItem[] }).items ?? []).map(itemKey)));
  const added = earlier.length > 0 ? items.filter((item) => !named.has(itemKey(item))) : [];
  const breach = added.length > 0;

  for (const item of items) {
    if (!item.materialId) continue;
    await ctx.trx
      .updateTable('case_materials')
      .set({ verdict: 'deficient', verdict_reason: item.reason })
      .where('case_id', '=', ctx.row.id)
      .where('material_id', '=', item.materialId)
      .execute();
  }
  const row = await applyTransition(ctx.trx, ctx.deps, {
    row: ctx.row,
    action: 'request_correction',
    to: 'correction_requested',
    actor: ctx.actor,
    now: ctx.now,
    comment: ctx.body.comment ?? null,
    detail: { items: items.length, ...(breach ? { breach: true, added: added.map(({ materialId, field }) => (materialId ? { materialId } : { field })) } : {}) },
  });
  await insertNotice(ctx.trx, { caseId: row.id, kind: 'correction', content: { ...noticeHeader(row, ctx), items }, breach, createdBy: ctx.actor.id });
  return row;
};

/** The clerk's check of the materials, one verdict per material, before deciding the outcome. */
const verifyMaterials: PreparedHandler = async (ctx) => {
  const verdicts = ctx.body.verdicts ?? [];
  if (verdicts.length === 0) throw invalidInput([{ field: 'verdicts', code: CaseFieldCodes.case_required }]);
  await applyVerdicts(ctx, verdicts);
  return applyTransition(ctx.trx, ctx.deps, {
    row: ctx.row,
    action: 'verify_materials',
    to: ctx.row.status,
    actor: ctx.actor,
    now: ctx.now,
    comment: ctx.body.comment ?? null,
    detail: { verdicts: verdictDetail(verdicts) },
  });
};

export const frontDeskHandlers: Record<FrontDeskAction, PreparedHandler> = {
  accept,
  accept_with_deficiency: acceptWithDeficiency,
  not_accept: notAccept,
  request_correction: requestCorrection,
  verify_materials: verifyMaterials,
};
