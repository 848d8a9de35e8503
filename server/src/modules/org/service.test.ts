import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.js';

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
