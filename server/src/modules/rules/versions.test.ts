import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, errorFields, login, type Session, type TestPlatform } from '../../../test/harness.js';
import { demoItem } from '../../../test/case-fixtures.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import type { ItemContent } from '../catalog/schemas.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { DecisionTable, RuleSets } from './schemas.js';

/*
 * Decision rules follow an item's versions: a new version's draft gets the previous version's
 * rules (tables and tests), and publishing a version whose rules name a field its form no longer
 * has is refused with the input, each row and the reason — as is publishing such a rule draft.
 */

let platform: TestPlatform;
let catalog: Session;
let admin: Session;
let soleTrader: ItemGuide;
let next: number;
const versionUrl = (v: number) => `/api/v1/admin/catalog/items/${soleTrader.implementationCode}/versions/${v}`;
const rulesUrl = (v: number) => `/api/v1/admin/rules/${soleTrader.implementationCode}/versions/${v}`;

beforeAll(async () => {
  platform = await createTestPlatform();
  catalog = await login(platform.app, 'catalog');
  admin = await login(platform.app, 'admin');
  soleTrader = await demoItem(platform, '个体工商户设立登记');
});
afterAll(async () => platform.close());

function withoutField(content: ItemContent, field: string): ItemContent {
  const schema = content.form.schema as { properties: Record<string, unknown>; required?: string[] };
  const { [field]: _dropped, ...properties } = schema.properties;
  const { [field]: _hint, ...fields } = content.form.ui.fields;
  return {
    ...content,
    form: {
      schema: { ...schema, properties, ...(schema.required ? { required: schema.required.filter((r) => r !== field) } : {}) },
      ui: { order: content.form.ui.order.filter((f) => f !== field), fields },
    },
  };
}

describe('decision rules across item versions', () => {
  it('copies the previous version\'s rules, tables and tests, to a new draft version', async () => {
    const before = (await as(platform.app, catalog, { method: 'GET', url: rulesUrl(soleTrader.version) })).json() as RuleSets;
    const drafted = await as(platform.app, catalog, { method: 'POST', url: `/api/v1/admin/catalog/items/${soleTrader.implementationCode}/versions`, payload: {} });
    expect(drafted.statusCode, drafted.body).toBe(201);
    next = drafted.json().version;
    expect(next).toBe(soleTrader.version + 1);
    const copied = (await as(platform.app, catalog, { method: 'GET', url: rulesUrl(next) })).json() as RuleSets;
    expect(copied.published).toMatchObject({ revision: 1, ruleVersion: `${next}.1`, table: before.published!.table, tests: before.published!.tests, lastTestReport: { passed: true } });
    expect(copied.draft).toBeNull();
    // the old version's rules are untouched
    expect((await as(platform.app, catalog, { method: 'GET', url: rulesUrl(soleTrader.version) })).json()).toEqual(before);
    const audit = await platform.database.db.selectFrom('audit_log').select('detail').where('action', '=', 'rules.published').where('target_id', '=', `${soleTrader.implementationCode}/${next}`).execute();
    expect(audit.map((a) => (a.detail as { copiedFrom: string }).copiedFrom)).toEqual([before.published!.ruleVersion]);
  });

  it('refuses to publish a version whose form lost a field its rules name, with each row and the reason', async () => {
    const version = (await as(platform.app, catalog, { method: 'GET', url: versionUrl(next) })).json() as { content: ItemContent; lockVersion: number };
    const saved = await as(platform.app, catalog, { method: 'PUT', url: versionUrl(next), payload: { content: withoutField(version.content, 'employees'), lockVersion: version.lockVersion } });
    expect(saved.statusCode, saved.body).toBe(200);
    const submitted = await as(platform.app, catalog, { method: 'POST', url: `${versionUrl(next)}/submit`, payload: { lockVersion: saved.json().lockVersion } });
    expect(submitted.statusCode, submitted.body).toBe(200);

    const refused = await as(platform.app, admin, { method: 'POST', url: `${versionUrl(next)}/publish`, payload: {} });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'rule_table_invalid' });
    expect(refused.json().title).toBe('决策规则与该版本的申请表不一致（4 处），不能发布');
    // the input itself, and the rows with a condition on it (rows 3 and 4 do not care: `-`)
    expect(errorFields(refused)).toEqual([
      'rules.published.table.inputs[2].path:rule_unknown_field',
      'rules.published.table.rows[0].cells[2]:rule_row_missing_field',
      'rules.published.table.rows[1].cells[2]:rule_row_missing_field',
      'rules.published.table.rows[4].cells[2]:rule_row_missing_field',
    ]);
    const messages = refused.json().errors as Array<{ field: string; message: string }>;
    expect(messages.find((e) => e.field === 'rules.published.table.rows[4].cells[2]')!.message).toBe('第 5 条规则的条件“从业人数”引用了申请表中已没有的字段 employees');
    const en = await as(platform.app, admin, { method: 'POST', url: `${versionUrl(next)}/publish`, headers: { 'accept-language': 'en' }, payload: {} });
    expect(en.json().title).toContain("do not fit this version's application form");
    expect((en.json().errors as Array<{ field: string; message: string }>).find((e) => e.field === 'rules.published.table.rows[0].cells[2]')!.message)
      .toBe('Row 1: the condition on "从业人数" names the form field employees, which the form no longer has');
    expect((await platform.services.catalog.getVersion(null, soleTrader.implementationCode, next)).status).toBe('in_review');
  });

  it('refuses to publish a rule draft that names a field the form lacks; publishes the version once the rules fit', async () => {
    const current = (await as(platform.app, catalog, { method: 'GET', url: rulesUrl(next) })).json() as RuleSets;
    const table = current.published!.table;
    // a draft saved before the field went would be refused at save now; the stored one is checked at publish
    await platform.database.db.insertInto('rule_sets').values({ item_code: soleTrader.implementationCode, item_version: next, revision: 2, status: 'draft', definition: JSON.stringify(table), tests: JSON.stringify(current.published!.tests), test_report: null, updated_by: null }).execute();
    const refused = await as(platform.app, catalog, { method: 'POST', url: `${rulesUrl(next)}/publish`, payload: {} });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('rule_table_invalid');
    expect(errorFields(refused)[0]).toBe('table.inputs[2].path:rule_unknown_field');

    const fitted: DecisionTable = {
      ...table,
      inputs: table.inputs.filter((i) => i.path !== 'employees'),
      rows: table.rows.filter((_, r) => r !== 4).map((row) => ({ ...row, cells: row.cells.filter((_, c) => c !== 2) })),
    };
    const tests = current.published!.tests.filter((t) => t.name !== '8 人').map((t) => ({ ...t, inputs: Object.fromEntries(Object.entries(t.inputs).filter(([k]) => k !== 'employees')) }));
    const lockVersion = ((await as(platform.app, catalog, { method: 'GET', url: rulesUrl(next) })).json() as RuleSets).draft!.lockVersion;
    const saved = await as(platform.app, catalog, { method: 'PUT', url: rulesUrl(next), payload: { table: fitted, tests, lockVersion } });
    expect(saved.statusCode, saved.body).toBe(200);
    const published = await as(platform.app, catalog, { method: 'POST', url: `${rulesUrl(next)}/publish`, payload: {} });
    expect(published.statusCode, published.body).toBe(200);
    const version = await as(platform.app, admin, { method: 'POST', url: `${versionUrl(next)}/publish`, payload: {} });
    expect(version.statusCode, version.body).toBe(200);
    expect(version.json()).toMatchObject({ status: 'published' });
  });

  it('copies a draft as a draft, and nothing for a version without rules', async () => {
    const food = await demoItem(platform, '食品经营许可');
    const draft = await platform.services.catalog.newDraftFrom(SYSTEM_ACTOR, null, food.implementationCode);
    const sets = await platform.services.rules.get(null, food.implementationCode, draft.version);
    expect(sets).toMatchObject({ draft: null, published: null });
    const table: DecisionTable = { hitPolicy: 'FIRST', inputs: [{ id: 'k', label: '申请人类型', source: 'applicant', path: 'kind' }], rows: [{ cells: ['-'], decision: 'route', reason: '转人工' }] };
    await platform.services.rules.save(null, SYSTEM_ACTOR, food.implementationCode, draft.version, { table, tests: [] });
    const state = await platform.services.catalog.getVersion(null, food.implementationCode, draft.version);
    await platform.services.catalog.submit(SYSTEM_ACTOR, null, food.implementationCode, draft.version, { lockVersion: state.lockVersion });
    await platform.services.catalog.publish(SYSTEM_ACTOR, null, food.implementationCode, draft.version, {});
    const third = await platform.services.catalog.newDraftFrom(SYSTEM_ACTOR, null, food.implementationCode);
    const copied = await platform.services.rules.get(null, food.implementationCode, third.version);
    expect(copied.published).toBeNull();
    expect(copied.draft).toMatchObject({ revision: 1, status: 'draft', table });
  });
});
