import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { CaseDraftTable } from '../../platform/db/schema.js';
import { CaseErrors } from './errors.js';
import type { Draft, DraftInput, MaterialRef } from './schemas.js';

/*
 * Drafts (草稿): an application in progress, saved and resumed by its owner. Work in progress is
 * not checked beyond its shape (the form may be half filled); submitting checks everything and
 * deletes the draft in the submission's transaction. Only the owner ever sees a draft: anyone
 * else is told it does not exist.
 */

/** Drafts one applicant may keep; a soft cap (two saves at the same instant may pass it by one). */
export const MAX_DRAFTS = 50;

type DraftRow = Selectable<CaseDraftTable>;

function toDraft(row: DraftRow): Draft {
  return {
    id: row.id,
    itemCode: row.item_code,
    form: row.form,
    materials: row.materials as MaterialRef[],
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function createDraft(db: Executor, ownerId: string, input: DraftInput): Promise<Draft> {
  const { n } = await db.selectFrom('case_drafts').select((eb) => eb.fn.countAll<number>().as('n')).where('owner_id', '=', ownerId).executeTakeFirstOrThrow();
  if (Number(n) >= MAX_DRAFTS) throw CaseErrors.draft_limit_reached({ limit: MAX_DRAFTS });
  const row = await db
    .insertInto('case_drafts')
    .values({ owner_id: ownerId, item_code: input.itemCode, form: JSON.stringify(input.form), materials: JSON.stringify(input.materials) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toDraft(row);
}

export async function listDrafts(db: Executor, ownerId: string): Promise<Draft[]> {
  const rows = await db.selectFrom('case_drafts').selectAll().where('owner_id', '=', ownerId).orderBy('updated_at', 'desc').orderBy('id').execute();
  return rows.map(toDraft);
}

export async function getDraft(db: Executor, ownerId: string, id: string): Promise<Draft> {
  const row = await db.selectFrom('case_drafts').selectAll().where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
  if (!row) throw CaseErrors.draft_not_found();
  return toDraft(row);
}

export async function updateDraft(db: Executor, ownerId: string, id: string, input: DraftInput): Promise<Draft> {
  const row = await db
    .updateTable('case_drafts')
    .set({ item_code: input.itemCode, form: JSON.stringify(input.form), materials: JSON.stringify(input.materials), updated_at: new Date() })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw CaseErrors.draft_not_found();
  return toDraft(row);
}

/** Deletes the owner's draft; draft_not_found when there is none (also in a submission's transaction). */
export async function deleteDraft(db: Executor, ownerId: string, id: string): Promise<void> {
  const row = await db.deleteFrom('case_drafts').where('id', '=', id).where('owner_id', '=', ownerId).returning('id').executeTakeFirst();
  if (!row) throw CaseErrors.draft_not_found();
}
