import type { Executor } from '../../platform/db/database.js';
import { invalidInput, type FieldErrorSpec } from '../../platform/http/errors.js';
import type { CaseStatus } from '../../platform/db/schema.js';
import { CASE_ACTION_LABELS } from '../../shared/case-codes.js';
import { checkFormData, formFields, insertMaterials } from './application.js';
import { ALLOWED_IN, applyTransition } from './engine.js';
import { CaseErrors, CaseFieldCodes } from './errors.js';
import { preparedPart, type PreparedContext, type PreparedHandler } from './prepare.js';

/*
 * What the applicant does on their own case (a window clerk may answer a correction notice and
 * hand in owed materials for them): withdraw before a decision, resubmit after a correction
 * notice, supply materials owed under 容缺受理.
 */

type ApplicantAction = 'withdraw' | 'resubmit' | 'supply';

/** Closes the case's open back-office tasks: nobody is to work on a withdrawn case. */
async function cancelOpenTasks(db: Executor, caseId: string, by: string | null, now: Date): Promise<void> {
  await db
    .updateTable('case_tasks')
    .set({ status: 'cancelled', outcome: 'withdrawn', closed_at: now, closed_by: by })
    .where('case_id', '=', caseId)
    .where('status', '=', 'open')
    .execute();
}

const staffId = (ctx: PreparedContext) => (ctx.principal.kind === 'staff' ? ctx.principal.userId : null);

/**
 * 撤回: before a decision. A parallel approval is withdrawn as a whole, from its main case: its
 * sub-cases still under way are withdrawn with it (those already decided keep their decision).
 */
const withdraw: PreparedHandler = async (ctx) => {
  if (ctx.row.parent_id !== null) throw CaseErrors.action_forbidden({ action: CASE_ACTION_LABELS.withdraw });
  const open = ALLOWED_IN.withdraw as readonly CaseStatus[];
  const subCases = await ctx.trx
    .selectFrom('cases')
    .selectAll()
    .where('parent_id', '=', ctx.row.id)
    .where('status', 'in', [...open])
    .orderBy('case_number')
    .forUpdate()
    .execute();
  for (const sub of subCases) {
    await applyTransition(ctx.trx, ctx.deps, {
      row: sub,
      action: 'withdraw',
      to: 'withdrawn',
      actor: ctx.actor,
      now: ctx.now,
      comment: ctx.body.comment ?? null,
      detail: { mainCase: ctx.row.case_number },
      patch: { closed_at: ctx.now },
    });
    await cancelOpenTasks(ctx.trx, sub.id, staffId(ctx), ctx.now);
  }
  await cancelOpenTasks(ctx.trx, ctx.row.id, staffId(ctx), ctx.now);
  return applyTransition(ctx.trx, ctx.deps, {
    row: ctx.row,
    action: 'withdraw',
    to: 'withdrawn',
    actor: ctx.actor,
    now: ctx.now,
    comment: ctx.body.comment ?? null,
    detail: subCases.length > 0 ? { subCases: subCases.map((s) => s.case_number) } : {},
    patch: { closed_at: ctx.now },
  });
};

interface NoticeItem {
  materialId?: string;
  materialName?: string;
  field?: string;
  fieldLabel?: string;
}

/**
 * 补正后重新提交: the form and the materials listed replace what was there. What the latest
 * correction notice named must be addressed: each named material handed in again, the form
 * sent again when it named a field. The case goes back to the front desk (submitted).
 */
const resubmit: PreparedHandler = async (ctx) => {
  const notice = await ctx.trx
    .selectFrom('case_notices')
    .select('content')
    .where('case_id', '=', ctx.row.id)
    .where('kind', '=', 'correction')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const asked = ((notice?.content as { items?: NoticeItem[] } | undefined)?.items ?? []);
  const entries = ctx.body.materials ?? [];
  const form = ctx.body.form;

  const { rows, errors: found } = preparedPart(ctx, 'materials');
  const errors = [...found];
  if (form) errors.push(...checkFormData(ctx.item, form));
  const given = new Set(entries.map((e) => e.materialId));
  const labels = formFields(ctx.item);
  for (const item of asked) {
    if (item.materialId && !given.has(item.materialId)) {
      errors.push({ field: `materials.${item.materialId}`, code: CaseFieldCodes.case_correction_unaddressed, params: { name: item.materialName ?? item.materialId } });
    }
    if (item.field && !form) {
      errors.push({ field: `form.${item.field}`, code: CaseFieldCodes.case_correction_unaddressed, params: { name: item.fieldLabel ?? labels.get(item.field) ?? item.field } });
    }
  }
  if (errors.length > 0) throw invalidInput(errors);

  const replaced = [...new Set(rows.map((r) => r.materialId))];
  const previous = replaced.length === 0 ? [] : await ctx.trx
    .deleteFrom('case_materials')
    .where('case_id', '=', ctx.row.id)
    .where('material_id', 'in', replaced)
    .returning(['material_id', 'source', 'file_id', 'license_id'])
    .execute();
  await insertMaterials(ctx.trx, ctx.row.id, rows);
  return applyTransition(ctx.trx, ctx.deps, {
    row: ctx.row,
    action: 'resubmit',
    to: 'submitted',
    actor: ctx.actor,
    now: ctx.now,
    comment: ctx.body.comment ?? null,
    // what was replaced stays on record: the history is append-only, the material rows are not
    detail: {
      formReplaced: form !== undefined,
      replaced: previous.map((p) => ({ materialId: p.material_id, source: p.source, fileId: p.file_id, licenseId: p.license_id })),
    },
    ...(form ? { patch: { form: JSON.stringify(form) } } : {}),
  });
};

/**
 * 容缺材料补交: each owed material handed in with a file. When nothing is owed any more, a case
 * still waiting in accepted_with_deficiency becomes plainly accepted.
 */
const supply: PreparedHandler = async (ctx) => {
  if (ctx.row.owed_count === 0) throw CaseErrors.nothing_owed();
  const entries = ctx.body.materials ?? [];
  const owedRows = await ctx.trx
    .selectFrom('case_materials')
    .select(['id', 'material_id', 'name'])
    .where('case_id', '=', ctx.row.id)
    .where('owed', '=', true)
    .where('supplied_at', 'is', null)
    .execute();
  const owed = new Map(owedRows.map((r) => [r.material_id, r]));
  const names = new Map(ctx.item.materials.map((m) => [m.id, m.name]));
  const errors: FieldErrorSpec[] = [];
  if (entries.length === 0) errors.push({ field: 'materials', code: CaseFieldCodes.case_required });
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (!owed.has(e.materialId)) errors.push({ field: `materials[${i}].materialId`, code: CaseFieldCodes.case_material_not_owed, params: { name: names.get(e.materialId) ?? e.materialId } });
    else if (seen.has(e.materialId)) errors.push({ field: `materials[${i}].materialId`, code: CaseFieldCodes.case_duplicate });
    seen.add(e.materialId);
    if (!e.fileId) errors.push({ field: `materials[${i}].fileId`, code: CaseFieldCodes.case_required });
  });
  if (errors.length > 0) throw invalidInput(errors);
  const resolved = preparedPart(ctx, 'materials');
  if (resolved.errors.length > 0) throw invalidInput(resolved.errors);

  for (const m of resolved.rows) {
    await ctx.trx
      .updateTable('case_materials')
      .set({ file_id: m.fileId, source: 'upload', verdict: 'pending', verdict_reason: null, supplied_at: ctx.now })
      .where('id', '=', owed.get(m.materialId)!.id)
      .execute();
  }
  const owedCount = ctx.row.owed_count - resolved.rows.length;
  const to: CaseStatus = ctx.row.status === 'accepted_with_deficiency' && owedCount === 0 ? 'accepted' : ctx.row.status;
  return applyTransition(ctx.trx, ctx.deps, {
    row: ctx.row,
    action: 'supply',
    to,
    actor: ctx.actor,
    now: ctx.now,
    comment: ctx.body.comment ?? null,
    detail: { supplied: resolved.rows.map((m) => ({ materialId: m.materialId, fileId: m.fileId })), stillOwed: owedCount },
    patch: { owed_count: owedCount },
  });
};

export const applicantHandlers: Record<ApplicantAction, PreparedHandler> = { withdraw, resubmit, supply };

