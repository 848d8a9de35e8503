import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, errorFields, login, type Session, type TestPlatform } from '../../../test/harness.js';
import { demoItem } from '../../../test/case-fixtures.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import { DEMO_RULES } from './demo.js';
import type { DecisionTable } from './schemas.js';

/* Authoring decision rules through the admin API: save checks, tests before publishing, reach. */

let platform: TestPlatform;
let catalog: Session;
let food: ItemGuide;
const url = () => `/api/v1/admin/rules/${food.implementationCode}/versions/${food.version}`;

const table: DecisionTable = {
  hitPolicy: 'UNIQUE',
  inputs: [{ id: 'kind', label: '申请人类型', source: 'applicant', path: 'kind' }, { id: 'name', label: '经营者名称', source: 'form', path: 'operatorName' }],
  rows: [
    { cells: ['"natural"', '-'], decision: 'route', reason: '自然人申请转人工' },
    { cells: ['"legal"', '-'], decision: 'approve', reason: '企业申请' },
  ],
};

beforeAll(async () => {
  platform = await createTestPlatform();
  catalog = await login(platform.app, 'catalog');
  food = await demoItem(platform, '食品经营许可');
});
afterAll(async () => platform.close());

describe('decision rules admin', () => {
  it('has the demo rules published, each with passing tests', async () => {
    expect(DEMO_RULES.length).toBeGreaterThanOrEqual(5);
    const sets = await platform.database.db.selectFrom('rule_sets').select(['status', 'test_report']).where('status', '=', 'published').execute();
    expect(sets.length).toBe(DEMO_RULES.length);
    for (const s of sets) expect((s.test_report as { passed: boolean }).passed).toBe(true);
  });

  it('refuses at save a missing field, a FEEL syntax error and overlapping rows, each with its place', async () => {
    const schema = food.form.schema as { properties: Record<string, unknown> };
    const field = Object.keys(schema.properties)[0]!;
    const bad: DecisionTable = {
      hitPolicy: 'UNIQUE',
      inputs: [{ id: 'kind', label: '申请人类型', source: 'applicant', path: 'kind' }, { id: 'x', label: '不存在', source: 'form', path: 'noSuchField' }],
      rows: [
        { cells: ['"natural"', '-'], decision: 'approve', reason: 'a' },
        { cells: ['-', '-'], decision: 'deny', reason: 'b' },
        { cells: ['>= 18 and', '-'], decision: 'deny', reason: 'c' },
      ],
    };
    const res = await as(platform.app, catalog, { method: 'PUT', url: url(), payload: { table: bad, tests: [{ name: 't', inputs: { nope: 1 }, expected: 'approve' }] } });
    expect(res.statusCode).toBe(400);
    expect(errorFields(res)).toEqual(['table.inputs[1].path:rule_unknown_field', 'table.rows[1]:rule_rows_overlap', 'table.rows[2].cells[0]:rule_feel_syntax', 'tests[0].inputs.nope:rule_test_unknown_input']);
    const messages = (res.json() as { errors: Array<{ field: string; message: string }> }).errors;
    expect(messages.find((e) => e.field === 'table.rows[1]')!.message).toBe('唯一命中（UNIQUE）下第 2 条规则与第 1 条重叠');
    expect(field).toBeTruthy();
  });

  it('saves a draft, refuses to publish while a test fails, publishes once they pass', async () => {
    const fields = Object.keys((food.form.schema as { properties: Record<string, unknown> }).properties);
    const good = { ...table, inputs: [table.inputs[0]!, { ...table.inputs[1]!, path: fields[0]! }] };
    const saved = await as(platform.app, catalog, { method: 'PUT', url: url(), payload: { table: good, tests: [{ name: '企业', inputs: { kind: 'legal', name: 'x' }, expected: 'deny' }] } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ status: 'draft', revision: 1, lastTestReport: { passed: false, failed: 1 } });
    const refused = await as(platform.app, catalog, { method: 'POST', url: `${url()}/publish`, payload: {} });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'rule_tests_failed' });
    expect(errorFields(refused)).toEqual(['tests[0]:rule_test_failed']);
    const stale = await as(platform.app, catalog, { method: 'PUT', url: url(), payload: { table: good, tests: [], lockVersion: 99 } });
    expect(stale.statusCode).toBe(409);
    const fixed = await as(platform.app, catalog, { method: 'PUT', url: url(), payload: { table: good, tests: [{ name: '企业', inputs: { kind: 'legal', name: 'x' }, expected: 'approve' }, { name: '个人', inputs: { kind: 'natural', name: 'y' }, expected: 'route' }], lockVersion: saved.json().lockVersion } });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const tested = await as(platform.app, catalog, { method: 'POST', url: `${url()}/test`, payload: {} });
    expect(tested.json()).toMatchObject({ passed: true, total: 2 });
    const published = await as(platform.app, catalog, { method: 'POST', url: `${url()}/publish`, payload: {} });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', ruleVersion: `${food.version}.1` });
    const next = await as(platform.app, catalog, { method: 'PUT', url: url(), payload: { table: good, tests: fixed.json().tests } });
    expect(next.json()).toMatchObject({ status: 'draft', revision: 2 });
    const read = await as(platform.app, catalog, { method: 'GET', url: url() });
    expect(read.json()).toMatchObject({ draft: { revision: 2 }, published: { revision: 1 } });
    expect((await platform.services.rules.publishedFor(food.implementationCode, food.version))!.ruleVersion).toBe(`${food.version}.1`);
    const second = await as(platform.app, catalog, { method: 'POST', url: `/api/v1/admin/rules/${food.implementationCode}/versions/${food.version}/publish`, payload: {} });
    expect(second.statusCode).toBe(200);
    const empty = await as(platform.app, catalog, { method: 'POST', url: `${url()}/publish`, payload: {} });
    expect(empty.json().code).toBe('rule_draft_missing');
  });

  it('refuses publishing without any test', async () => {
    const permit = await demoItem(platform, '居住证签注');
    const admin = await login(platform.app, 'admin');
    const u = `/api/v1/admin/rules/${permit.implementationCode}/versions/${permit.version}`;
    const saved = await as(platform.app, admin, { method: 'PUT', url: u, payload: { table: { hitPolicy: 'FIRST', inputs: [{ id: 'k', label: 'K', source: 'applicant', path: 'kind' }], rows: [{ cells: ['-'], decision: 'route', reason: 'r' }] }, tests: [] } });
    expect(saved.statusCode, saved.body).toBe(200);
    const res = await as(platform.app, admin, { method: 'POST', url: `${u}/publish`, payload: {} });
    expect(res.json().code).toBe('rule_tests_missing');
  });

  it('answers 404 for an item of another department and 403 for a role without authoring', async () => {
    const permit = await demoItem(platform, '居住证签注');
    const other = await as(platform.app, catalog, { method: 'GET', url: `/api/v1/admin/rules/${permit.implementationCode}/versions/${permit.version}` });
    expect(other.statusCode).toBe(404);
    const approver = await login(platform.app, 'approver');
    expect((await as(platform.app, approver, { method: 'GET', url: url() })).statusCode).toBe(403);
  });
});
