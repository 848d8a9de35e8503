import type { RawBuilder } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.js';
import type { Region as RegionRow, RegionLevel } from '../../platform/db/schema.js';
import { recordAudit, type AuditActor } from '../../platform/audit/audit.js';
import { invalidInput } from '../../platform/http/errors.js';
import { creditCodeError } from '../../platform/http/identifier-errors.js';
import { withinRegion, type ScopeTarget } from '../../platform/auth/principal.js';
import { checkCreditCode, normalizeCreditCode } from '../../shared/identifiers.js';
import { OrgErrors, OrgFieldCodes } from './errors.js';
import type { Department, DepartmentInput, DepartmentPatch, Hall, HallInput, Region, RegionInput } from './schemas.js';
import * as store from './store.js';

const PARENT_LEVEL: Record<RegionLevel, RegionLevel | null> = { city: null, district: 'city', street: 'district', community: 'street' };
const CODE_LENGTH: Record<RegionLevel, number> = { city: 6, district: 6, street: 9, community: 12 };

function toRegion(row: RegionRow): Region {
  return { code: row.code, name: row.name, level: row.level, parentCode: row.parent_code };
}

type DepartmentRow = store.DepartmentRow;

function toDepartment(row: DepartmentRow): Department {
  return { id: row.id, name: row.name, creditCode: row.credit_code, regionCode: row.region_code, regionName: row.region_name, active: row.active };
}

function toHall(row: Awaited<ReturnType<typeof store.insertHall>>): Hall {
  return { id: row.id, name: row.name, regionCode: row.region_code, address: row.address, phone: row.phone, openingHours: row.opening_hours };
}

/** Regions (行政区划), departments (部门) and halls (政务服务大厅): the organisation every scope is measured against. */
export class OrgService {
  constructor(private readonly db: Db) {}

  async listRegions(): Promise<Region[]> {
    return (await store.listRegions(this.db)).map(toRegion);
  }

  async regionPath(code: string): Promise<string> {
    const region = await store.findRegion(this.db, code);
    if (!region) throw OrgErrors.region_not_found();
    return region.path;
  }

  async createRegion(actor: AuditActor, input: RegionInput): Promise<Region> {
    const parentCode = input.parentCode ?? null;
    if (input.code.length !== CODE_LENGTH[input.level]) {
      throw invalidInput([{ field: 'code', code: OrgFieldCodes.invalid_region_code }]);
    }
    const expectedParent = PARENT_LEVEL[input.level];
    let path = input.code;
    if (expectedParent === null) {
      if (parentCode !== null) throw invalidInput([{ field: 'parentCode', code: OrgFieldCodes.invalid_region_level }]);
    } else {
      if (parentCode === null) throw invalidInput([{ field: 'parentCode', code: OrgFieldCodes.parent_not_found }]);
      const parent = await store.findRegion(this.db, parentCode);
      if (!parent) throw invalidInput([{ field: 'parentCode', code: OrgFieldCodes.parent_not_found }]);
      if (parent.level !== expectedParent) throw invalidInput([{ field: 'level', code: OrgFieldCodes.invalid_region_level }]);
      path = `${parent.path}/${input.code}`;
    }
    return this.db.transaction().execute(async (tx) => {
      const row = await store.insertRegion(tx, { code: input.code, name: input.name, level: input.level, parent_code: parentCode, path });
      if (!row) throw OrgErrors.region_exists();
      await recordAudit(tx, actor, { action: 'org.region.created', targetType: 'region', targetId: row.code });
      return toRegion(row);
    });
  }

  async renameRegion(actor: AuditActor, code: string, name: string): Promise<Region> {
    return this.db.transaction().execute(async (tx) => {
      const row = await store.renameRegion(tx, code, name);
      if (!row) throw OrgErrors.region_not_found();
      await recordAudit(tx, actor, { action: 'org.region.updated', targetType: 'region', targetId: code, detail: { name } });
      return toRegion(row);
    });
  }

  async listDepartments(regionCode?: string): Promise<Department[]> {
    const path = regionCode ? await this.regionPath(regionCode) : undefined;
    return (await store.listDepartments(this.db, path)).map(toDepartment);
  }

  /** `executor`: a caller's transaction (on PGlite a read outside it would wait for the connection it holds). */
  async getDepartment(id: string, executor: Executor = this.db): Promise<Department> {
    const row = await store.findDepartment(executor, id);
    if (!row) throw OrgErrors.department_not_found();
    return toDepartment(row);
  }

  /**
   * `getDepartment` as an expression that another module's statement selects (a round trip
   * fewer for it); `departmentFrom` reads the selected value.
   */
  departmentSelection(id: string): RawBuilder<unknown> {
    return store.departmentJson(id);
  }

  /** The department a `departmentSelection` selected, or 404 department_not_found. */
  departmentFrom(selected: unknown): Department {
    if (selected === null || selected === undefined) throw OrgErrors.department_not_found();
    return toDepartment(selected as DepartmentRow);
  }

  /** What scope checks need to know about a department. */
  async departmentScope(id: string, executor: Executor = this.db): Promise<ScopeTarget> {
    const row = await store.findDepartment(executor, id);
    if (!row) throw OrgErrors.department_not_found();
    return { departmentId: row.id, regionPath: row.region_path };
  }

  async createDepartment(actor: AuditActor, input: DepartmentInput): Promise<Department> {
    const creditCode = normalizeCreditCode(input.creditCode);
    const problem = checkCreditCode(creditCode);
    if (problem) throw invalidInput([creditCodeError('creditCode', problem)]);
    const region = await store.findRegion(this.db, input.regionCode);
    if (!region) throw invalidInput([{ field: 'regionCode', code: OrgFieldCodes.parent_not_found }]);
    const id = await this.db.transaction().execute(async (tx) => {
      const row = await store.insertDepartment(tx, { name: input.name, credit_code: creditCode, region_code: input.regionCode });
      if (!row) throw OrgErrors.department_exists();
      await recordAudit(tx, actor, { action: 'org.department.created', targetType: 'department', targetId: row.id });
      return row.id;
    });
    return this.getDepartment(id);
  }

  async updateDepartment(actor: AuditActor, id: string, patch: DepartmentPatch): Promise<Department> {
    await this.db.transaction().execute(async (tx) => {
      const row = await store.updateDepartment(tx, id, patch);
      if (!row) throw OrgErrors.department_not_found();
      await recordAudit(tx, actor, { action: 'org.department.updated', targetType: 'department', targetId: id, detail: { ...patch } });
    });
    return this.getDepartment(id);
  }

  async listHalls(): Promise<Hall[]> {
    return (await store.listHalls(this.db)).map(toHall);
  }

  /**
   * Whether a staff member of a department in `regionPath` serves at the hall: 'unknown' when
   * there is no such hall, 'out_of_region' when it is not in that region or one below it.
   */
  async hallServedFrom(hallId: string, regionPath: string): Promise<{ hall: Hall } | 'unknown' | 'out_of_region'> {
    const row = await store.findHallWithPath(this.db, hallId);
    if (!row) return 'unknown';
    return withinRegion(row.region_path, regionPath) ? { hall: toHall(row) } : 'out_of_region';
  }

  /** The halls a staff member of a department in `regionPath` serves at: that region's and those below it. */
  async hallsWithin(regionPath: string): Promise<Hall[]> {
    return (await store.listHallsWithin(this.db, regionPath)).map(toHall);
  }

  async createHall(actor: AuditActor, input: HallInput): Promise<Hall> {
    const region = await store.findRegion(this.db, input.regionCode);
    if (!region) throw invalidInput([{ field: 'regionCode', code: OrgFieldCodes.parent_not_found }]);
    return this.db.transaction().execute(async (tx) => {
      const row = await store.insertHall(tx, {
        name: input.name,
        region_code: input.regionCode,
        address: input.address,
        phone: input.phone ?? null,
        opening_hours: input.openingHours ?? null,
      });
      await recordAudit(tx, actor, { action: 'org.hall.created', targetType: 'hall', targetId: row.id });
      return toHall(row);
    });
  }
}
