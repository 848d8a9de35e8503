import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { sampleContent, testBasicCode } from '../../../test/catalog-fixtures.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await createTestPlatform();
});
afterAll(() => platform.close());

describe('a publish is visible to readers on the same instance at once', () => {
  it('finds the new item without waiting for the revision poll', async () => {
    const { catalog, org } = platform.services;
    const department = (await org.listDepartments()).find((d) => d.name === '深圳市市场监督管理局')!;
    const name = `即时可见测试事项${Date.now()}`;
    // Warm the index so that, without the change notice, it would be served for another second.
    await platform.app.inject({ method: 'GET', url: '/api/v1/items?limit=1' });
    const created = await catalog.createItem(SYSTEM_ACTOR, null, { departmentId: department.id, exerciseLevel: 3, basicCode: testBasicCode(), content: sampleContent({ name }) });
    await catalog.submit(SYSTEM_ACTOR, null, created.implementationCode, created.version, { lockVersion: created.lockVersion });
    await catalog.publish(SYSTEM_ACTOR, null, created.implementationCode, created.version, {});
    const res = await platform.app.inject({ method: 'GET', url: `/api/v1/items/${created.implementationCode}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name, implementationCode: created.implementationCode });
  });
});
