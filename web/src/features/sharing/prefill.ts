import type { FormField } from '../cases/SchemaForm';

/*
 * Which application-form field a shared data item fills. Item forms carry no binding to data
 * resources (the catalog's form schema has none), so the match is by name: a form field named
 * like the data item, or one of the usual names the demo catalog's forms give that item (the
 * builders' personApplicant, enterpriseApplicant, premises and residence addresses). The
 * applicant sees every match in the preview before anything is filled in.
 */
const USUAL_NAMES: Record<string, readonly string[]> = {
  'household.name': ['applicantName'],
  'household.gender': ['applicantGender'],
  'household.birthDate': ['applicantBirthDate'],
  'household.address': ['householdAddress', 'residenceAddress'],
  'real_estate.location': ['premisesAddress', 'propertyLocation'],
  'real_estate.certificateNo': ['propertyCertificateNo'],
  'market_entity.name': ['entityName'],
  'market_entity.address': ['entityAddress'],
  'social_insurance.employerName': ['employerName'],
};

/** The form fields a resource's item may fill, best first. */
function candidates(resourceCode: string, item: string): string[] {
  return [...(USUAL_NAMES[`${resourceCode}.${item}`] ?? []), item];
}

/** The form field a data item would go into, if the form has one (before the value is known). */
export function targetOf(fields: readonly FormField[], resourceCode: string, item: string): FormField | undefined {
  for (const key of candidates(resourceCode, item)) {
    const field = fields.find((f) => f.key === key);
    if (field) return field;
  }
  return undefined;
}

/** The value as the form field holds it, or undefined when it does not fit the field (then it is not filled in). */
export function fitValue(field: FormField, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  switch (field.widget) {
    case 'select':
    case 'radio': {
      const option = (field.options ?? []).find((o) => o.value === String(value) || o.label === String(value));
      return option?.value;
    }
    case 'checkbox':
      return typeof value === 'boolean' ? value : undefined;
    case 'number':
      return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
    case 'text':
    case 'textarea': {
      const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
      const max = typeof field.schema.maxLength === 'number' ? field.schema.maxLength : undefined;
      return text !== undefined && text.trim() !== '' && (max === undefined || text.length <= max) ? text : undefined;
    }
    default:
      // money (fen), identifiers, regions, attachments: never guessed from another register's value
      return undefined;
  }
}
