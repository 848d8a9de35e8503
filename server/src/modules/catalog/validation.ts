import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import type { FieldErrorSpec } from '../../platform/http/errors.js';
import { checkCreditCode } from '../../shared/identifiers.js';
import { BASIC_CODE_PATTERN, EXERCISE_LEVELS } from '../../shared/catalog-codes.js';
import { CatalogFieldCodes as F, ELEMENT_NAMES } from './errors.js';
import type { ApplicationForm, ItemContent } from './schemas.js';

/*
 * What the route schemas cannot check: an item's content against its identity, the lists of
 * proofs and intermediaries, the halls, and itself (time limits, fees, the four ways, the form).
 *
 * Two grades, so that a draft can be saved while it is still incomplete:
 * - `errors`: the content is wrong (a contradiction, a reference to nothing, a form schema that
 *   does not compile). Saving it is refused (400), and so is publishing it.
 * - `problems`: everything publishing refuses (422 `publish_refused`), the errors included, plus
 *   what is merely missing (an empty element of the 十统一, a proof not yet on the published list,
 *   a four-ways flag the attributes do not support). GET of a version shows them as readiness.
 * Every check runs every time: one answer lists every problem, never only the first.
 */

export interface IdentityParts {
  creditCode: string;
  exerciseLevel: number;
  basicCode: string;
}

export interface ListEntryState {
  name: string;
  status: 'draft' | 'published' | 'withdrawn';
}

/** A component of a composite item as it stands: its newest published version, if any. */
export interface ComponentState {
  name: string;
  /** A version is published (in effect or scheduled). */
  published: boolean;
  /** The newest published version is itself composite. */
  composite: boolean;
}

/** The data the checks need besides the content itself. */
export interface References {
  proofs: ReadonlyMap<string, ListEntryState>;
  intermediaries: ReadonlyMap<string, ListEntryState>;
  hallIds: ReadonlySet<string>;
  /** Items named as components (`content.parallel`), by implementation code; absent ones do not exist. */
  components: ReadonlyMap<string, ComponentState>;
  /** The item's own implementation code, when it has one already (not at creation). */
  selfCode?: string;
}

export interface CheckResult {
  errors: FieldErrorSpec[];
  problems: FieldErrorSpec[];
}

/** Ids of everything a content refers to, to load before checking it. */
export function referencedIds(content: ItemContent): { proofIds: string[]; intermediaryIds: string[]; hallIds: string[]; componentCodes: string[] } {
  return {
    proofIds: [...new Set(content.materials.flatMap((m) => (m.proofId ? [m.proofId] : [])))],
    intermediaryIds: [...new Set(content.intermediaryServiceIds)],
    hallIds: [...new Set(content.hallIds)],
    componentCodes: [...new Set((content.parallel ?? []).map((p) => p.implementationCode.toUpperCase()))],
  };
}

/**
 * The three parts of the implementation code (实施编码): the department's GB 32100 credit code
 * (18), the exercise level (1 national … 6 village) and the 12-character basic code.
 */
export function checkIdentity(parts: IdentityParts): FieldErrorSpec[] {
  const errors: FieldErrorSpec[] = [];
  if (checkCreditCode(parts.creditCode) !== null) errors.push({ field: 'departmentId', code: F.invalid_department_credit_code });
  if (!(EXERCISE_LEVELS as readonly number[]).includes(parts.exerciseLevel)) errors.push({ field: 'exerciseLevel', code: F.invalid_exercise_level });
  if (!BASIC_CODE_PATTERN.test(parts.basicCode)) errors.push({ field: 'basicCode', code: F.invalid_basic_code });
  return errors;
}

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (ajv: Ajv2020) => Ajv2020;

/**
 * Compiles a form schema as the case module will use it: JSON Schema 2020-12 (Ajv), strict, so a
 * misspelt keyword, an unknown format or a `required` name that is not a property is an error
 * here rather than a form that silently accepts anything. One Ajv instance (building one with its
 * formats costs ~10 ms); each schema is removed again after compiling so drafts do not pile up
 * in its cache. Only the verdict is remembered, bounded: a draft is checked at every save, at
 * submit and at publish.
 */
export function compileFormSchema(schema: Record<string, unknown>): string | null {
  const key = JSON.stringify(schema);
  const known = verdicts.get(key);
  if (known !== undefined) return known;
  let verdict: string | null = null;
  try {
    formAjv.compile(schema);
  } catch (error) {
    verdict = error instanceof Error ? error.message.slice(0, 300) : String(error);
  } finally {
    formAjv.removeSchema(schema);
  }
  if (verdicts.size >= VERDICT_CACHE_SIZE) verdicts.delete(verdicts.keys().next().value!);
  verdicts.set(key, verdict);
  return verdict;
}

/**
 * The one Ajv configuration for application forms: JSON Schema 2020-12, strict, all errors,
 * formats. Also the instance the case module validates form data with, so a schema that published
 * compiles there; the catalog removes its drafts again, the case module keeps what it compiled.
 */
export const formAjv = addFormats(new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, logger: false }));
const VERDICT_CACHE_SIZE = 500;
const verdicts = new Map<string, string | null>();

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks an application form: an object schema Ajv compiles, with UI hints that match its properties. */
export function checkForm(form: ApplicationForm, prefix = 'content.form'): CheckResult {
  const errors: FieldErrorSpec[] = [];
  const problems: FieldErrorSpec[] = [];
  const schemaField = `${prefix}.schema`;
  const reason = compileFormSchema(form.schema);
  if (reason !== null) errors.push({ field: schemaField, code: F.form_schema_invalid, params: { reason } });
  if (form.schema.type !== 'object') errors.push({ field: `${schemaField}.type`, code: F.form_schema_not_object });
  const properties = isRecord(form.schema.properties) ? form.schema.properties : {};
  const names = new Set(Object.keys(properties));
  if (names.size === 0) problems.push({ field: `${schemaField}.properties`, code: F.form_schema_no_fields });

  form.ui.order.forEach((name, i) => {
    if (!names.has(name)) errors.push({ field: `${prefix}.ui.order[${i}]`, code: F.form_order_unknown_field, params: { name } });
  });
  for (const [name, hint] of Object.entries(form.ui.fields)) {
    if (!names.has(name)) errors.push({ field: `${prefix}.ui.fields.${name}`, code: F.form_hint_unknown_field, params: { name } });
    if (hint.visibleWhen && !names.has(hint.visibleWhen.field)) {
      errors.push({ field: `${prefix}.ui.fields.${name}.visibleWhen.field`, code: F.form_visible_when_unknown_field, params: { name: hint.visibleWhen.field } });
    }
  }
  for (const name of names) {
    if (!form.ui.fields[name]) problems.push({ field: `${prefix}.ui.fields.${name}`, code: F.form_field_missing_hint, params: { name } });
  }
  return { errors, problems: [...errors, ...problems] };
}

const element = (name: string) => ({ element: ELEMENT_NAMES[name] ?? { zh: name, en: name } });

/** Every check of an item's content; see the module comment for the two grades. */
export function checkContent(content: ItemContent, refs: References): CheckResult {
  const errors: FieldErrorSpec[] = [];
  const missing: FieldErrorSpec[] = [];
  const c = 'content';

  // --- the ten unified elements (十统一): present and non-empty ------------------------------
  // Sub-items may be []: an item without sub-items is complete (most items have none).
  if (content.name.trim() === '') missing.push({ field: `${c}.name`, code: F.element_required, params: element('name') });
  if (content.legalBasis.length === 0) missing.push({ field: `${c}.legalBasis`, code: F.element_required, params: element('legalBasis') });
  if (content.procedure.length === 0) missing.push({ field: `${c}.procedure`, code: F.element_required, params: element('procedure') });
  if (content.materials.length === 0) missing.push({ field: `${c}.materials`, code: F.element_required, params: element('materials') });
  if (content.handlingForms.length === 0) missing.push({ field: `${c}.handlingForms`, code: F.element_required, params: element('handlingForms') });

  // --- time limits ----------------------------------------------------------------------------
  if (content.promisedDays > content.legalDays) {
    errors.push({ field: `${c}.promisedDays`, code: F.promised_exceeds_legal, params: { promised: content.promisedDays, legal: content.legalDays } });
  }
  const stepDays = content.procedure.reduce((sum, step) => sum + step.days, 0);
  if (stepDays > content.promisedDays) {
    errors.push({ field: `${c}.procedure`, code: F.procedure_exceeds_promised, params: { sum: stepDays, promised: content.promisedDays } });
  }
  if (content.caseKind === '1') {
    if (content.promisedDays !== 0) missing.push({ field: `${c}.promisedDays`, code: F.immediate_requires_zero_days });
    if (!content.handling.immediate) missing.push({ field: `${c}.handling.immediate`, code: F.immediate_mismatch });
  } else if (content.handling.immediate) {
    missing.push({ field: `${c}.caseKind`, code: F.immediate_mismatch });
  }

  // --- materials and the lists they refer to -------------------------------------------------
  const seenMaterial = new Set<string>();
  content.materials.forEach((material, i) => {
    const at = `${c}.materials[${i}]`;
    if (seenMaterial.has(material.id)) errors.push({ field: `${at}.id`, code: F.duplicate_material_id, params: { id: material.id } });
    seenMaterial.add(material.id);
    if (material.proofId) {
      const proof = refs.proofs.get(material.proofId);
      if (!proof) errors.push({ field: `${at}.proofId`, code: F.unknown_proof });
      else if (proof.status !== 'published') missing.push({ field: `${at}.proofId`, code: F.proof_not_published, params: { name: proof.name } });
    } else if (material.source === 'issuing_body') {
      // A certificate from another body is a proof (证明事项): only retained, listed ones may be asked for (§8-9).
      missing.push({ field: `${at}.proofId`, code: F.proof_required });
    }
  });
  content.intermediaryServiceIds.forEach((id, i) => {
    const entry = refs.intermediaries.get(id);
    if (!entry) errors.push({ field: `${c}.intermediaryServiceIds[${i}]`, code: F.unknown_intermediary });
    else if (entry.status !== 'published') missing.push({ field: `${c}.intermediaryServiceIds[${i}]`, code: F.intermediary_not_published, params: { name: entry.name } });
  });
  content.hallIds.forEach((id, i) => {
    if (!refs.hallIds.has(id)) errors.push({ field: `${c}.hallIds[${i}]`, code: F.unknown_hall });
  });

  // --- parallel approval (并联审批): components exist, are published, and do not nest -----------
  if (content.parallel && content.parallel.length > 0) {
    const seenComponent = new Set<string>();
    content.parallel.forEach((component, i) => {
      const at = `${c}.parallel[${i}].implementationCode`;
      const code = component.implementationCode.toUpperCase();
      const state = refs.components.get(code);
      if (seenComponent.has(code)) errors.push({ field: at, code: F.duplicate_component, params: { code } });
      seenComponent.add(code);
      if (refs.selfCode !== undefined && code === refs.selfCode.toUpperCase()) errors.push({ field: at, code: F.component_is_self });
      else if (!state) errors.push({ field: at, code: F.unknown_component, params: { code } });
      else if (!state.published) missing.push({ field: at, code: F.component_not_published, params: { name: state.name } });
      else if (state.composite) errors.push({ field: at, code: F.component_is_composite, params: { name: state.name } });
    });
    if (!content.parallel.some((component) => component.required)) missing.push({ field: `${c}.parallel`, code: F.parallel_requires_required });
  }

  // --- fees -----------------------------------------------------------------------------------
  if (content.fees.free && content.fees.items.length > 0) errors.push({ field: `${c}.fees.items`, code: F.free_with_fee_items });
  if (!content.fees.free && content.fees.items.length === 0) missing.push({ field: `${c}.fees.items`, code: F.fee_items_required });

  // --- the four ways (§1-5) -------------------------------------------------------------------
  if (content.handling.online) {
    if (!content.handlingForms.some((f) => f === '2' || f === '3')) missing.push({ field: `${c}.handlingForms`, code: F.online_requires_online_form });
    if (content.onlineDepth < 3) missing.push({ field: `${c}.onlineDepth`, code: F.online_requires_depth });
  }
  if (content.handling.oneVisit && content.visitsRequired > 1) missing.push({ field: `${c}.visitsRequired`, code: F.one_visit_requires_visits });
  if (content.handling.nearby && content.hallIds.length === 0) missing.push({ field: `${c}.hallIds`, code: F.nearby_requires_hall });

  // --- the application form ---------------------------------------------------------------------
  const form = checkForm(content.form, `${c}.form`);
  errors.push(...form.errors);
  const formMissing = form.problems.filter((p) => !form.errors.includes(p));

  return { errors, problems: [...errors, ...missing, ...formMissing] };
}

/** Publish readiness of a version: identity and content, every problem at once. */
export function readiness(identity: IdentityParts, content: ItemContent, refs: References): FieldErrorSpec[] {
  return [...checkIdentity(identity), ...checkContent(content, refs).problems];
}
