import { describe, expect, it } from 'vitest';
import { sampleContent } from '../../../test/catalog-fixtures.js';
import { demoCreditCode } from '../demo/seed.js';
import { diffJson } from './diff.js';
import type { ApplicationForm } from './schemas.js';
import { checkContent, checkForm, checkIdentity, compileFormSchema, readiness, referencedIds, type References } from './validation.js';

const NO_REFS: References = { proofs: new Map(), intermediaries: new Map(), hallIds: new Set(), components: new Map() };
const CREDIT = demoCreditCode('11', '440300', 1);
const codes = (list: Array<{ field: string; code: string }>) => list.map((e) => `${e.field}:${e.code}`);

describe('checkIdentity: the three parts of the implementation code', () => {
  it('accepts a valid credit code, level 1-6 and a 12-character basic code', () => {
    for (const level of [1, 2, 3, 4, 5, 6]) expect(checkIdentity({ creditCode: CREDIT, exerciseLevel: level, basicCode: '000000000001' })).toEqual([]);
    expect(checkIdentity({ creditCode: CREDIT, exerciseLevel: 3, basicCode: 'AB12CD34EF56' })).toEqual([]);
  });

  it('names each wrong part', () => {
    const wrongCheck = `${CREDIT.slice(0, 17)}${CREDIT.endsWith('0') ? '1' : '0'}`;
    expect(codes(checkIdentity({ creditCode: wrongCheck, exerciseLevel: 0, basicCode: 'ab' }))).toEqual([
      'departmentId:invalid_department_credit_code',
      'exerciseLevel:invalid_exercise_level',
      'basicCode:invalid_basic_code',
    ]);
    for (const level of [0, 7, 3.5, -1]) expect(codes(checkIdentity({ creditCode: CREDIT, exerciseLevel: level, basicCode: '000000000001' }))).toEqual(['exerciseLevel:invalid_exercise_level']);
    for (const basic of ['', '00000000001', '0000000000001', '00000000000a', '0000 0000001', '00000000000Ｏ']) {
      expect(codes(checkIdentity({ creditCode: CREDIT, exerciseLevel: 3, basicCode: basic })), basic).toEqual(['basicCode:invalid_basic_code']);
    }
    // I, O, S, V and Z are not in the GB 32100 alphabet
    expect(codes(checkIdentity({ creditCode: `${CREDIT.slice(0, 10)}I${CREDIT.slice(11)}`, exerciseLevel: 3, basicCode: '000000000001' }))).toEqual(['departmentId:invalid_department_credit_code']);
  });
});

describe('checkForm', () => {
  const form = (schema: Record<string, unknown>, ui: Partial<ApplicationForm['ui']> = {}): ApplicationForm => ({ schema, ui: { order: [], fields: {}, ...ui } });

  it('accepts the sample form', () => {
    expect(checkForm(sampleContent().form)).toEqual({ errors: [], problems: [] });
  });

  it('compiles with Ajv (JSON Schema 2020-12, strict): typos, unknown formats and stray required names fail', () => {
    expect(compileFormSchema({ type: 'object', properties: { d: { type: 'string', format: 'date' }, e: { type: 'string', format: 'email' } } })).toBeNull();
    expect(compileFormSchema({ type: 'object', properties: { a: { type: 'strnig' } } })).toMatch(/type/);
    expect(compileFormSchema({ type: 'object', properties: { a: { type: 'string', format: 'postcode' } } })).toMatch(/postcode/);
    expect(compileFormSchema({ type: 'object', properties: { a: { type: 'string' } }, required: ['b'] })).toMatch(/required/);
    expect(compileFormSchema({ type: 'object', properties: { a: { type: 'string', maxLenght: 3 } } })).toMatch(/maxLenght/);
    expect(compileFormSchema({ type: 'object', properties: { a: { $ref: 'https://example.com/remote.json' } } })).not.toBeNull();
    expect(compileFormSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { a: { type: 'string' } } })).toBeNull();
  });

  it('needs an object schema with at least one property, each with a hint, and hints that match', () => {
    expect(codes(checkForm(form({ type: 'array', items: { type: 'string' } })).errors)).toEqual(['content.form.schema.type:form_schema_not_object']);
    const empty = checkForm(form({ type: 'object', properties: {} }));
    expect(empty.errors).toEqual([]);
    expect(codes(empty.problems)).toEqual(['content.form.schema.properties:form_schema_no_fields']);
    const mismatched = checkForm(
      form(
        { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } },
        { order: ['a', 'c'], fields: { a: { widget: 'text', label: 'A', visibleWhen: { field: 'z', equals: 'x' } }, d: { widget: 'text', label: 'D' } } },
      ),
    );
    expect(codes(mismatched.errors)).toEqual([
      'content.form.ui.order[1]:form_order_unknown_field',
      'content.form.ui.fields.a.visibleWhen.field:form_visible_when_unknown_field',
      'content.form.ui.fields.d:form_hint_unknown_field',
    ]);
    expect(codes(mismatched.problems)).toEqual([...codes(mismatched.errors), 'content.form.ui.fields.b:form_field_missing_hint']);
    expect(mismatched.errors[0]!.params).toEqual({ name: 'c' });
  });
});

describe('checkContent: errors refuse a save, problems refuse publishing', () => {
  it('finds nothing in the sample', () => {
    expect(checkContent(sampleContent(), NO_REFS)).toEqual({ errors: [], problems: [] });
  });

  it('checks the time limits', () => {
    expect(codes(checkContent(sampleContent({ legalDays: 9, promisedDays: 10 }), NO_REFS).errors)).toEqual(['content.promisedDays:promised_exceeds_legal']);
    expect(codes(checkContent(sampleContent({ promisedDays: 7 }), NO_REFS).errors)).toEqual(['content.procedure:procedure_exceeds_promised']);
    // promised = legal and steps = promised are fine
    expect(checkContent(sampleContent({ legalDays: 8, promisedDays: 8 }), NO_REFS).errors).toEqual([]);
    const immediate = sampleContent({ caseKind: '1', promisedDays: 0, procedure: [{ name: '受理', role: 'window_clerk', days: 0 }], handling: { immediate: true, online: true, nearby: false, oneVisit: true } });
    expect(checkContent(immediate, NO_REFS).problems).toEqual([]);
    expect(codes(checkContent({ ...immediate, promisedDays: 1, procedure: [] }, NO_REFS).problems)).toEqual([
      'content.procedure:element_required',
      'content.promisedDays:immediate_requires_zero_days',
    ]);
    expect(codes(checkContent({ ...immediate, caseKind: '2' }, NO_REFS).problems)).toEqual(['content.caseKind:immediate_mismatch']);
  });

  it('checks references: unknown is an error, not yet published a problem', () => {
    const proofId = '11111111-1111-4111-8111-111111111111';
    const intermediaryId = '22222222-2222-4222-8222-222222222222';
    const hallId = '33333333-3333-4333-8333-333333333333';
    const content = sampleContent({
      materials: [{ id: 'p', name: '证明', source: 'issuing_body', requirement: 'required', paperCopies: 0, originals: 1, proofId }],
      intermediaryServiceIds: [intermediaryId],
      hallIds: [hallId],
    });
    expect(referencedIds(content)).toEqual({ proofIds: [proofId], intermediaryIds: [intermediaryId], hallIds: [hallId], componentCodes: [] });
    expect(codes(checkContent(content, NO_REFS).errors)).toEqual([
      'content.materials[0].proofId:unknown_proof',
      'content.intermediaryServiceIds[0]:unknown_intermediary',
      'content.hallIds[0]:unknown_hall',
    ]);
    const drafts: References = {
      proofs: new Map([[proofId, { name: '证明', status: 'draft' }]]),
      intermediaries: new Map([[intermediaryId, { name: '评估', status: 'withdrawn' }]]),
      hallIds: new Set([hallId]),
      components: new Map(),
    };
    const result = checkContent(content, drafts);
    expect(result.errors).toEqual([]);
    expect(codes(result.problems)).toEqual(['content.materials[0].proofId:proof_not_published', 'content.intermediaryServiceIds[0]:intermediary_not_published']);
    const published: References = {
      proofs: new Map([[proofId, { name: '证明', status: 'published' }]]),
      intermediaries: new Map([[intermediaryId, { name: '评估', status: 'published' }]]),
      hallIds: new Set([hallId]),
      components: new Map(),
    };
    expect(checkContent(content, published)).toEqual({ errors: [], problems: [] });
  });

  it('checks the components of a parallel approval: exist, published, not composite, not itself, once each, one required', () => {
    const a = `${CREDIT}3000000000011`;
    const b = `${CREDIT}3000000000012`;
    const c = `${CREDIT}3000000000013`;
    const self = `${CREDIT}3000000000019`;
    const refs: References = {
      ...NO_REFS,
      components: new Map([
        [a, { name: '设立登记', published: true, composite: false }],
        [b, { name: '公章刻制', published: false, composite: false }],
        [c, { name: '另一件事', published: true, composite: true }],
      ]),
      selfCode: self,
    };
    const parallel = [
      { implementationCode: a, required: true },
      { implementationCode: b, required: true },
      { implementationCode: c, required: false },
      { implementationCode: a.toLowerCase(), required: false },
      { implementationCode: self, required: false },
      { implementationCode: `${CREDIT}3000000000099`, required: false },
    ];
    const content = sampleContent({ parallel });
    expect(referencedIds(content).componentCodes).toEqual([a, b, c, self, `${CREDIT}3000000000099`]);
    const result = checkContent(content, refs);
    expect(codes(result.errors)).toEqual([
      'content.parallel[2].implementationCode:component_is_composite',
      'content.parallel[3].implementationCode:duplicate_component',
      'content.parallel[4].implementationCode:component_is_self',
      'content.parallel[5].implementationCode:unknown_component',
    ]);
    expect(codes(result.problems.filter((p) => !result.errors.includes(p)))).toEqual(['content.parallel[1].implementationCode:component_not_published']);
    const optionalOnly = checkContent(sampleContent({ parallel: [{ implementationCode: a, required: false }] }), refs);
    expect(optionalOnly.errors).toEqual([]);
    expect(codes(optionalOnly.problems)).toEqual(['content.parallel:parallel_requires_required']);
    expect(checkContent(sampleContent({ parallel: [{ implementationCode: a, required: true }] }), refs)).toEqual({ errors: [], problems: [] });
  });

  it('checks fees and the four ways', () => {
    expect(codes(checkContent(sampleContent({ fees: { free: true, items: [{ name: '工本费', amountFen: 1000, basis: '文件' }] } }), NO_REFS).errors)).toEqual(['content.fees.items:free_with_fee_items']);
    expect(codes(checkContent(sampleContent({ fees: { free: false, items: [] } }), NO_REFS).problems)).toEqual(['content.fees.items:fee_items_required']);
    expect(checkContent(sampleContent({ fees: { free: false, items: [{ name: '工本费', amountFen: 1000, basis: '文件' }] } }), NO_REFS).problems).toEqual([]);
    const mobileOnly = sampleContent({ handlingForms: ['1', '3'] });
    expect(checkContent(mobileOnly, NO_REFS).problems).toEqual([]);
    expect(codes(checkContent(sampleContent({ handlingForms: ['1', '4'], onlineDepth: 3 }), NO_REFS).problems)).toEqual(['content.handlingForms:online_requires_online_form']);
    expect(codes(checkContent(sampleContent({ onlineDepth: 2 }), NO_REFS).problems)).toEqual(['content.onlineDepth:online_requires_depth']);
    expect(codes(checkContent(sampleContent({ visitsRequired: 2 }), NO_REFS).problems)).toEqual(['content.visitsRequired:one_visit_requires_visits']);
    expect(checkContent(sampleContent({ visitsRequired: 1 }), NO_REFS).problems).toEqual([]);
    expect(codes(checkContent(sampleContent({ handling: { immediate: false, online: false, nearby: true, oneVisit: false } }), NO_REFS).problems)).toEqual(['content.hallIds:nearby_requires_hall']);
  });

  it('puts errors first and lists each problem once', () => {
    const content = sampleContent({ legalDays: 1, promisedDays: 2, legalBasis: [] });
    const result = checkContent(content, NO_REFS);
    expect(codes(result.problems)).toEqual([...codes(result.errors), 'content.legalBasis:element_required']);
    expect(new Set(codes(result.problems)).size).toBe(result.problems.length);
    expect(codes(readiness({ creditCode: CREDIT, exerciseLevel: 9, basicCode: '000000000001' }, content, NO_REFS))[0]).toBe('exerciseLevel:invalid_exercise_level');
  });
});

describe('diffJson', () => {
  it('walks objects by key and arrays by index', () => {
    expect(diffJson({ a: 1, b: { c: [1, 2, 3] } }, { a: 1, b: { c: [1, 5] }, d: true })).toEqual([
      { path: 'b.c[1]', kind: 'changed', before: 2, after: 5 },
      { path: 'b.c[2]', kind: 'removed', before: 3 },
      { path: 'd', kind: 'added', after: true },
    ]);
  });

  it('quotes keys that are not identifiers, and reports a change of shape as one change', () => {
    expect(diffJson({ 'a-b': 1, x: [1] }, { 'a-b': 2, x: { 0: 1 } })).toEqual([
      { path: '["a-b"]', kind: 'changed', before: 1, after: 2 },
      { path: 'x', kind: 'changed', before: [1], after: { 0: 1 } },
    ]);
    expect(diffJson(1, 2)).toEqual([{ path: '$', kind: 'changed', before: 1, after: 2 }]);
    expect(diffJson({ a: null }, { a: null })).toEqual([]);
    expect(diffJson({ a: null }, { a: 0 })).toEqual([{ path: 'a', kind: 'changed', before: null, after: 0 }]);
  });

  it('finds nothing between equal contents', () => {
    expect(diffJson(sampleContent(), sampleContent())).toEqual([]);
  });
});
