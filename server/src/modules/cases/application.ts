import { randomUUID } from 'node:crypto';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { sql, type Insertable, type QueryCreator, type RawBuilder } from 'kysely';
import type { AnswerUpdate } from '../../platform/http/idempotency.js';
import type { Executor } from '../../platform/db/database.js';
import type { CaseMaterialSource, CaseMaterialTable, Database } from '../../platform/db/schema.js';
import { AppError, FieldCodes, type FieldErrorSpec } from '../../platform/http/errors.js';
import { validationToFieldErrors } from '../../platform/http/problem.js';
import { isValidMobile } from '../../shared/identifiers.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import { formAjv } from '../catalog/validation.js';
import { outboxRow } from '../events/outbox.js';
import type { FilesService } from '../files/service.js';
import { todayInShanghai } from '../../platform/time.js';
import { createdRecords } from './engine.js';
import { CaseErrors, CaseFieldCodes } from './errors.js';
import { caseNumberQuery, numberingError } from './numbers.js';
import type { DeliveryPreference } from './schemas.js';
import { historyRow, type CaseActor, type CaseRow } from './store.js';

/*
 * Applying for a service item (申请): what online applications, window filings, resubmissions and
 * supplied materials have in common — the form checked against the item version's JSON Schema,
 * each material resolved to an upload, paper, an e-license or shared data, and the filing of a
 * new case with its materials, first history entry and first event.
 */

type ItemMaterial = ItemGuide['materials'][number];

// --- form -----------------------------------------------------------------------------------

/*
 * Validated with the catalog's Ajv instance (catalog/validation.ts, `formAjv`), so a schema that
 * published compiles here. Unlike the catalog's drafts, what is compiled here is kept: an item
 * version's schema never changes, and compiling costs far more than validating.
 */
const VALIDATOR_CACHE_SIZE = 1000;
const validators = new Map<string, { schema: Record<string, unknown>; validate: ValidateFunction }>();

/** The compiled form validator of an item version, compiled once per version and kept (bounded). */
export function formValidator(item: Pick<ItemGuide, 'implementationCode' | 'version' | 'form'>): ValidateFunction {
  const key = `${item.implementationCode}@${item.version}`;
  const known = validators.get(key);
  if (known) return known.validate;
  // Ajv keeps compiled schemas by `$id`: two versions of one form naming the same id must not collide
  const { $id: _id, ...schema } = item.form.schema;
  const validate = formAjv.compile(schema);
  if (validators.size >= VALIDATOR_CACHE_SIZE) {
    const [oldest, entry] = validators.entries().next().value!;
    validators.delete(oldest);
    formAjv.removeSchema(entry.schema);
  }
  validators.set(key, { schema, validate });
  return validate;
}

/** Field errors of form data against the item version's schema, named `form.<field>`. */
export function checkFormData(item: Pick<ItemGuide, 'implementationCode' | 'version' | 'form'>, form: Record<string, unknown>): FieldErrorSpec[] {
  const validate = formValidator(item);
  if (validate(form)) return [];
  const errors = (validate.errors ?? []).map((e) => ({ keyword: e.keyword, instancePath: `/form${e.instancePath}`, params: e.params as Record<string, unknown> }));
  return validationToFieldErrors(errors, 'form');
}

/** The top-level fields of the item's form (what a correction notice may name). */
export function formFields(item: Pick<ItemGuide, 'form'>): Map<string, string> {
  const properties = (item.form.schema.properties ?? {}) as Record<string, { title?: unknown }>;
  const labels = new Map<string, string>();
  for (const [name, schema] of Object.entries(properties)) {
    const hint = item.form.ui.fields[name];
    labels.set(name, hint?.label ?? (typeof schema?.title === 'string' ? schema.title : name));
  }
  return labels;
}

// --- materials ------------------------------------------------------------------------------

/**
 * EXTENSION POINT for materials that are not uploads. The e-license module will resolve a
 * `licenseId` (the applicant's own license of the type the material accepts); until then the
 * default refuses it. Shared data is recorded by the resource the material declares and verified
 * by the clerk through the data-sharing gateway.
 */
export interface MaterialReferenceResolver {
  /** `verdictReason`: the license was verified (held, valid, signature holds): the material is accepted with it. */
  license(input: { material: ItemMaterial; licenseId: string; applicantUserId: string | null }): Promise<{ ok: true; licenseId: string; verdictReason?: string } | { ok: false; code: string }>;
  sharedData(input: { material: ItemMaterial; resourceId: string }): Promise<{ ok: true; sharedData: Record<string, unknown> } | { ok: false; code: string }>;
}

export const defaultReferences: MaterialReferenceResolver = {
  license: async () => ({ ok: false, code: CaseFieldCodes.case_license_unavailable }),
  sharedData: async ({ material, resourceId }) =>
    material.resourceId !== undefined && material.resourceId === resourceId
      ? { ok: true, sharedData: { resourceId } }
      : { ok: false, code: CaseFieldCodes.case_resource_unavailable },
};

export interface MaterialEntry {
  materialId: string;
  fileId?: string | undefined;
  licenseId?: string | undefined;
  resourceId?: string | undefined;
  paper?: boolean | undefined;
}

/** A material row to insert. */
export interface NewMaterial {
  materialId: string;
  name: string;
  source: CaseMaterialSource;
  fileId: string | null;
  licenseId: string | null;
  sharedData: Record<string, unknown> | null;
  /** Set when the material was verified as it was given (an e-license): accepted, with why. */
  verdictReason?: string;
}

export interface MaterialServices {
  files: FilesService;
  references: MaterialReferenceResolver;
}

export interface ResolveOptions {
  /** Whose uploads the files must be: the applicant online, the clerk at the window. */
  fileOwnerId: string;
  applicantUserId: string | null;
  /** Name of the list in field errors. */
  field?: string;
}

/**
 * Resolves each listed material to what stands in for it, collecting every problem as a field
 * error (`materials[i].materialId`, `materials[i].fileId` …) rather than stopping at the first.
 */
export async function resolveMaterials(
  services: MaterialServices,
  item: Pick<ItemGuide, 'materials'>,
  entries: readonly MaterialEntry[],
  options: ResolveOptions,
): Promise<{ rows: NewMaterial[]; errors: FieldErrorSpec[] }> {
  const field = options.field ?? 'materials';
  const byId = new Map(item.materials.map((m) => [m.id, m]));
  const errors: FieldErrorSpec[] = [];
  const rows: Array<NewMaterial | null> = [];
  const files: Array<{ index: number; fileId: string }> = [];

  for (const [i, entry] of entries.entries()) {
    const material = byId.get(entry.materialId);
    if (!material) {
      errors.push({ field: `${field}[${i}].materialId`, code: CaseFieldCodes.case_unknown_material, params: { materialId: entry.materialId } });
      rows.push(null);
      continue;
    }
    const given = [entry.fileId, entry.licenseId, entry.resourceId, entry.paper ? true : undefined].filter((x) => x !== undefined);
    if (given.length !== 1) {
      errors.push({ field: `${field}[${i}]`, code: CaseFieldCodes.case_material_reference });
      rows.push(null);
      continue;
    }
    const base = { materialId: material.id, name: material.name, fileId: null, licenseId: null, sharedData: null };
    if (entry.fileId !== undefined) {
      files.push({ index: i, fileId: entry.fileId });
      rows.push({ ...base, source: 'upload', fileId: entry.fileId.toLowerCase() });
    } else if (entry.paper) {
      rows.push({ ...base, source: 'paper' });
    } else if (entry.licenseId !== undefined) {
      const resolved = await services.references.license({ material, licenseId: entry.licenseId, applicantUserId: options.applicantUserId });
      if (resolved.ok) rows.push({ ...base, source: 'license', licenseId: resolved.licenseId, ...(resolved.verdictReason ? { verdictReason: resolved.verdictReason } : {}) });
      else {
        errors.push({ field: `${field}[${i}].licenseId`, code: resolved.code });
        rows.push(null);
      }
    } else {
      const resolved = await services.references.sharedData({ material, resourceId: entry.resourceId! });
      if (resolved.ok) rows.push({ ...base, source: 'shared_data', sharedData: resolved.sharedData });
      else {
        errors.push({ field: `${field}[${i}].resourceId`, code: resolved.code, params: { resourceId: entry.resourceId! } });
        rows.push(null);
      }
    }
  }

  if (files.length > 0) {
    try {
      await services.files.assertOwnedBy(
        files.map((f) => f.fileId),
        options.fileOwnerId,
        (k) => `${field}[${files[k]!.index}].fileId`,
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.fieldErrors.length === 0) throw error;
      errors.push(...error.fieldErrors);
    }
  }
  return { rows: rows.filter((r): r is NewMaterial => r !== null), errors };
}

/** A field error per required material (requirement `required`) that nothing stands in for. */
export function missingRequired(item: Pick<ItemGuide, 'materials'>, given: ReadonlySet<string>, field = 'materials'): FieldErrorSpec[] {
  return item.materials
    .filter((m) => m.requirement === 'required' && !given.has(m.id))
    .map((m) => ({ field: `${field}.${m.id}`, code: CaseFieldCodes.case_material_missing, params: { name: m.name } }));
}

// --- the rest of an application ---------------------------------------------------------------

/** Checks the contact phone and the requested way of delivery against what the item offers. */
export function checkContact(item: Pick<ItemGuide, 'expressDelivery'>, phone: string | null | undefined, delivery: DeliveryPreference | undefined, phoneField = 'phone'): FieldErrorSpec[] {
  const errors: FieldErrorSpec[] = [];
  if (phone !== undefined && phone !== null && !isValidMobile(phone)) errors.push({ field: phoneField, code: CaseFieldCodes.case_phone_invalid });
  if (delivery?.method === 'express') {
    if (!item.expressDelivery) errors.push({ field: 'delivery.method', code: FieldCodes.invalid_value });
    if (!delivery.address) errors.push({ field: 'delivery.address', code: CaseFieldCodes.case_required });
  }
  return errors;
}

/** Service object codes (GB/T 39046) an applicant kind applies under: a person '1', an organisation any of 2-6. */
export function offeredTo(item: Pick<ItemGuide, 'serviceObjects'>, kind: 'natural' | 'legal'): boolean {
  return item.serviceObjects.some((code) => (kind === 'natural' ? code === '1' : code !== '1'));
}

export function assertOffered(item: Pick<ItemGuide, 'serviceObjects'>, kind: 'natural' | 'legal'): void {
  if (!offeredTo(item, kind)) {
    throw CaseErrors.item_not_for_applicant({ objectType: kind === 'natural' ? { zh: '自然人', en: 'natural person' } : { zh: '法人', en: 'legal person' } });
  }
}

export interface Filing {
  item: ItemGuide;
  regionPath: string;
  channel: 'online' | 'window';
  applicant: { userId: string | null; kind: 'natural' | 'legal'; name: string; identifier: string; phone: string | null };
  filedBy: string | null;
  hallId: string | null;
  form: Record<string, unknown>;
  commitment: Record<string, unknown> | null;
  delivery: DeliveryPreference | null;
  materials: readonly NewMaterial[];
  now: Date;
  /** Queue priority (1 = green channel for a red-listed applicant). */
  priority?: number;
}

/** How a new case's life begins: its first history entry (`submit` online, `file` at the window). */
export interface FirstEntry {
  action: 'submit' | 'file';
  actor: CaseActor;
  detail?: Record<string, unknown>;
}

/**
 * Files a new case (status submitted) with its materials, its first history entry and its first
 * event (engine.ts `createdRecords`), snapshotting what it was filed under: the item's name,
 * version, department and the department's region (reach is checked against these, without a
 * join, for the case's whole life).
 *
 * One statement: the case number is taken (numbers.ts `caseNumberQuery`), and the materials, the
 * history entry and the event are inserted, in WITH clauses beside the case's own INSERT. A
 * statement is atomic by itself, so all of it commits together without a transaction, in one
 * round trip to the database where taking a number, BEGIN, four INSERTs and COMMIT took seven;
 * round trips are most of what an online submission costs (bench/cases-submit.bench.ts). A
 * filing the database refuses takes no number. The case's id is drawn here so that the other
 * rows can name it; their foreign keys are checked at the end of the statement, when the case
 * row is there. `also` adds a further write to the same statement (the Idempotency-Key's stored
 * answer, platform/http/idempotency.ts). It answers what the applicant is told (number, status,
 * version), not the whole row back.
 */
export async function fileCase(executor: Executor, f: Filing, first: FirstEntry, also?: CaseFilingAddition): Promise<CaseRow> {
  const facts = {
    id: randomUUID(),
    // taken by the statement; the event payload below gets it there too
    case_number: '',
    item_code: f.item.implementationCode,
    item_name: f.item.name,
    status: 'submitted' as const,
    department_id: f.item.departmentId,
    applicant_user_id: f.applicant.userId,
    applicant_phone: f.applicant.phone,
    deadline: null,
  };
  const { entry, event } = createdRecords(
    { ...facts, region_path: f.regionPath, channel: f.channel, case_kind: f.item.caseKind, applicant_kind: f.applicant.kind, promised_days: f.item.promisedDays, commitment: f.commitment ? {} : null, submitted_at: f.now },
    first.action,
    first.actor,
    f.now,
    first.detail,
  );
  const caseNumber = sql<string>`(SELECT number FROM case_number)`;
  const eventRow = outboxRow(event);
  const records = executor
    .with('case_number', (db) => caseNumberQuery(db, f.item.implementationCode, todayInShanghai(f.now)))
    .with('first_entry', (db) => db.insertInto('case_history').values(historyRow(entry)))
    .with('first_event', (db) =>
      db.insertInto('outbox_events').values({ ...eventRow, aggregate_id: caseNumber, payload: sql`jsonb_set(${eventRow.payload}::jsonb, '{caseNumber}', to_jsonb(${caseNumber}))` }),
    );
  const materials = materialRows(facts.id, f.materials);
  // An INSERT of no rows is not SQL: the clause is there only when there are materials. Nothing
  // refers to the optional clauses by name, so the statement's type is the same either way.
  const withMaterials = materials.length === 0 ? records : (records.with('materials', (db) => db.insertInto('case_materials').values(materials)) as unknown as typeof records);
  const statement = also ? (withMaterials.with('addition', (db) => also(db as unknown as QueryCreator<Database>, caseNumber)) as unknown as typeof records) : withMaterials;
  try {
    return await statement
      .insertInto('cases')
      .values({
        ...facts,
        case_number: caseNumber,
        item_version: f.item.version,
        region_path: f.regionPath,
        channel: f.channel,
        applicant_kind: f.applicant.kind,
        applicant_name: f.applicant.name,
        applicant_identifier: f.applicant.identifier,
        filed_by: f.filedBy,
        hall_id: f.hallId,
        form: JSON.stringify(f.form),
        commitment: f.commitment ? JSON.stringify({ at: f.now.toISOString(), ...f.commitment }) : null,
        ...(f.priority ? { priority: f.priority } : {}),
        case_kind: f.item.caseKind,
        promised_days: f.item.promisedDays,
        submitted_at: f.now,
        // the preference; the decision adds a pickup code and delivery what happened (delivery.ts)
        delivery: f.delivery ? JSON.stringify(f.delivery) : null,
      })
      // the whole row: a 秒批 decision is made on the case exactly as filed (instant.ts)
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    throw numberingError(error);
  }
}

/**
 * A further write in the filing's statement, given the SQL expression of the number being taken
 * (a data-modifying WITH clause runs whether or not anything reads it). Only the Idempotency-Key's
 * answer is written this way today, hence the one table in its type.
 */
export type CaseFilingAddition = (db: QueryCreator<Database>, caseNumber: RawBuilder<string>) => ReturnType<AnswerUpdate>;

export async function insertMaterials(trx: Executor, caseId: string, materials: readonly NewMaterial[], extra: { suppliedAt?: Date } = {}): Promise<void> {
  if (materials.length === 0) return;
  await trx.insertInto('case_materials').values(materialRows(caseId, materials, extra)).execute();
}

function materialRows(caseId: string, materials: readonly NewMaterial[], extra: { suppliedAt?: Date } = {}): Array<Insertable<CaseMaterialTable>> {
  return materials.map((m) => ({
    case_id: caseId,
    material_id: m.materialId,
    name: m.name,
    source: m.source,
    file_id: m.fileId,
    license_id: m.licenseId,
    shared_data: m.sharedData ? JSON.stringify(m.sharedData) : null,
    supplied_at: extra.suppliedAt ?? null,
    ...(m.verdictReason ? { verdict: 'accepted' as const, verdict_reason: m.verdictReason } : {}),
  }));
}
