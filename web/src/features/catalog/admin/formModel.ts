import type { FormWidget } from '@server/shared/catalog-codes';
import type { ApplicationForm, FormFieldHint } from '../api';

/*
 * The application form as the designer edits it: an ordered list of fields. It is generated into
 * the catalog's `form` element, a JSON Schema object (properties, required, and `allOf` if/then
 * for fields required only while visible) plus UI hints (order and fields), in the same shape as
 * the demo data's builders (server/src/modules/catalog/demo/builders.ts).
 */

export interface DesignerOption {
  value: string;
  label: string;
}

export interface DesignerField {
  key: string;
  widget: FormWidget;
  label: string;
  required: boolean;
  help?: string;
  options?: DesignerOption[];
  visibleWhen?: { field: string; equals: string | number | boolean };
  /** JSON Schema keywords the designer does not edit (maxLength, minimum …), kept while the widget stays the same. */
  extra: Record<string, unknown>;
}

export const FIELD_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Widgets whose values are chosen from `options`. */
export function hasOptions(widget: FormWidget): boolean {
  return widget === 'select' || widget === 'radio';
}

/** The JSON Schema of a value by widget. Money is integer fen (分), shown in yuan; a checkbox is a boolean. */
export function baseSchema(widget: FormWidget, options: DesignerOption[] = []): Record<string, unknown> {
  switch (widget) {
    case 'text':
      return { type: 'string', minLength: 1, maxLength: 100 };
    case 'textarea':
      return { type: 'string', minLength: 1, maxLength: 2000 };
    case 'number':
    case 'money':
      return { type: 'integer', minimum: 0 };
    case 'date':
      return { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' };
    case 'id_number':
      return { type: 'string', pattern: '^[0-9]{17}[0-9X]$' };
    case 'credit_code':
      return { type: 'string', pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' };
    case 'phone':
      return { type: 'string', pattern: '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$' };
    case 'region':
      return { type: 'string', pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$' };
    case 'attachment':
      return { type: 'string', minLength: 1, maxLength: 64 };
    case 'checkbox':
      return { type: 'boolean' };
    case 'select':
    case 'radio':
      return { type: 'string', enum: options.map((o) => o.value) };
  }
}

/** Keys the designer generates; anything else in a property's schema is carried over as `extra`. */
const GENERATED = new Set(['title', 'type', 'enum', 'pattern']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys required only while visible: the `then.required` of each `allOf` if/then. */
function conditionallyRequired(schema: Record<string, unknown>): Set<string> {
  const keys = new Set<string>();
  const allOf = Array.isArray(schema.allOf) ? schema.allOf : [];
  for (const clause of allOf) {
    if (!isRecord(clause) || !isRecord(clause.then)) continue;
    const required = clause.then.required;
    if (Array.isArray(required)) for (const key of required) if (typeof key === 'string') keys.add(key);
  }
  return keys;
}

export function fieldsFromForm(form: ApplicationForm | undefined): DesignerField[] {
  if (!form) return [];
  const schema = isRecord(form.schema) ? form.schema : {};
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((k): k is string => typeof k === 'string') : []);
  const conditional = conditionallyRequired(schema);
  const order = [...form.ui.order, ...Object.keys(properties).filter((k) => !form.ui.order.includes(k))];
  return order.map((key) => {
    const hint: Partial<FormFieldHint> = form.ui.fields[key] ?? {};
    const property = isRecord(properties[key]) ? properties[key] : {};
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(property)) if (!GENERATED.has(k)) extra[k] = v;
    const field: DesignerField = {
      key,
      widget: hint.widget ?? 'text',
      label: hint.label ?? (typeof property.title === 'string' ? property.title : key),
      required: required.has(key) || conditional.has(key),
      extra,
    };
    if (hint.help) field.help = hint.help;
    if (hint.options) field.options = hint.options.map((o) => ({ ...o }));
    if (hint.visibleWhen) field.visibleWhen = { ...hint.visibleWhen };
    return field;
  });
}

export function formFromFields(fields: readonly DesignerField[]): ApplicationForm {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const conditional: unknown[] = [];
  const hints: Record<string, FormFieldHint> = {};
  for (const field of fields) {
    const options = hasOptions(field.widget) ? (field.options ?? []) : undefined;
    properties[field.key] = { title: field.label, ...baseSchema(field.widget, options), ...field.extra };
    const hint: FormFieldHint = { widget: field.widget, label: field.label };
    if (field.help) hint.help = field.help;
    if (options) hint.options = options;
    if (field.visibleWhen) hint.visibleWhen = field.visibleWhen;
    hints[field.key] = hint;
    if (!field.required) continue;
    if (!field.visibleWhen) {
      required.push(field.key);
    } else {
      conditional.push({
        if: { properties: { [field.visibleWhen.field]: { const: field.visibleWhen.equals } }, required: [field.visibleWhen.field] },
        then: { properties: { [field.key]: true }, required: [field.key] },
      });
    }
  }
  const schema: Record<string, unknown> = { type: 'object', properties, required, additionalProperties: false };
  if (conditional.length > 0) schema.allOf = conditional;
  return { schema, ui: { order: fields.map((f) => f.key), fields: hints } };
}

/** Whether a field is shown for these answers: always, or when the field it depends on has the value. */
export function isVisible(field: DesignerField, values: Record<string, unknown>): boolean {
  if (!field.visibleWhen) return true;
  const actual = values[field.visibleWhen.field];
  // A select's value is a string while the condition may have been written as a number or boolean.
  return actual === field.visibleWhen.equals || (actual !== undefined && actual !== null && String(actual) === String(field.visibleWhen.equals));
}

/** A key not yet used: field1, field2 … */
export function freshKey(fields: readonly DesignerField[]): string {
  const used = new Set(fields.map((f) => f.key));
  let n = fields.length + 1;
  while (used.has(`field${n}`)) n++;
  return `field${n}`;
}
