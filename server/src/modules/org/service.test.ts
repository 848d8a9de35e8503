import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { staffSession } from '../../../test/case-fixtures.js';

/*
 * The department as an expression another module's statement selects (the licenses module's
 * issuance read takes it with the seal, the types and the serials in one round trip).
 */

let platform: TestPlatform;
beforeAll(async () => {
  platform = await createTestPlatform();
});
afterAll(async () => platform.close());

describe('OrgService.departmentSelection', () => {
  it('selects, within another statement, the department getDepartment reads', async () => {
    const org = platform.services.org;
    for (const department of await org.listDepartments()) {
      const { rows } = await sql<{ department: unknown; other: number }>`SELECT ${org.departmentSelection(department.id)} AS department, 1 AS other`.execute(platform.database.db);
      expect(org.departmentFrom(rows[0]!.department)).toEqual(await org.getDepartment(department.id));
    }
  });

  it('selects null for a department that does not exist, read back as 404 department_not_found', async () => {
    const org = platform.services.org;
    const { rows } = await sql<{ department: unknown }>`SELECT ${org.departmentSelection('00000000-0000-4000-8000-000000000000')} AS department`.execute(platform.database.db);
    expect(rows[0]!.department).toBeNull();
    expect(() => org.departmentFrom(rows[0]!.department)).toThrow(expect.objectContaining({ code: 'department_not_found', status: 404 }));
  });
});

describe('GET /api/v1/halls?mine=true', () => {
  it('lists the halls a staff member serves at: their department region\'s and those below it; all halls without it', async () => {
    const names = async (session: Session | null, url: string) => {
      const res = await as(platform.app, session, { method: 'GET', url });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: Array<{ name: string }> }).items.map((h) => h.name);
    };
    const all = await names(null, '/api/v1/halls');
    expect(all).toEqual(expect.arrayContaining(['福田区行政服务大厅', '南山区行政服务大厅', '深圳市民中心行政服务大厅']));
    const nanshan = await staffSession(platform, { username: 'nanshan-hall-clerk', name: '窗口 南山', department: '南山区政务服务数据管理局', roles: ['window_clerk'] });
    expect(await names(nanshan, '/api/v1/halls?mine=true')).toEqual(['南山区行政服务大厅']);
    // a city department's clerk serves at every hall of the city
    const { clerk } = await loginAll(platform.app, ['clerk']);
    expect((await names(clerk, '/api/v1/halls?mine=true')).sort()).toEqual([...all].sort());
  });

  it('is for staff: an applicant or nobody asking for "mine" is refused', async () => {
    expect((await as(platform.app, null, { method: 'GET', url: '/api/v1/halls?mine=true' })).statusCode).toBe(403);
    const { person } = await loginAll(platform.app, ['person']);
    expect((await as(platform.app, person, { method: 'GET', url: '/api/v1/halls?mine=true' })).statusCode).toBe(403);
  });
});
