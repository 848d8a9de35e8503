import { Type } from 'typebox';
import type { App } from '../../platform/http/types.js';
import { IdParam, ListOf } from '../../platform/http/types.js';
import { actorOf, staffOf } from '../../platform/http/request-context.js';
import type { OrgService } from './service.js';
import { Department, DepartmentInput, DepartmentPatch, DepartmentQuery, Hall, HallInput, HallQuery, Region, RegionInput, RegionPatch } from './schemas.js';

const tags = ['org'];
const admin = { roles: ['system_admin'] } as const;

export async function orgRoutes(app: App, { org }: { org: OrgService }): Promise<void> {
  app.get('/api/v1/regions', {
    config: { access: 'public' },
    schema: { tags, summary: '行政区划列表', response: { 200: ListOf(Region) } },
  }, async () => ({ items: await org.listRegions() }));

  app.post('/api/v1/admin/regions', {
    config: { access: admin },
    schema: { tags, summary: '新增行政区划', body: RegionInput, response: { 201: Region } },
  }, async (request, reply) => reply.status(201).send(await org.createRegion(actorOf(request), request.body)));

  app.patch('/api/v1/admin/regions/:code', {
    config: { access: admin },
    schema: { tags, summary: '修改行政区划名称', params: Type.Object({ code: Type.String({ pattern: '^\\d{6,12}$' }) }), body: RegionPatch, response: { 200: Region } },
  }, async (request) => org.renameRegion(actorOf(request), request.params.code, request.body.name));

  app.get('/api/v1/departments', {
    config: { access: 'public' },
    schema: { tags, summary: '部门列表', querystring: DepartmentQuery, response: { 200: ListOf(Department) } },
  }, async (request) => ({ items: await org.listDepartments(request.query.regionCode) }));

  app.get('/api/v1/departments/:id', {
    config: { access: 'public' },
    schema: { tags, summary: '部门详情', params: IdParam, response: { 200: Department } },
  }, async (request) => org.getDepartment(request.params.id));

  app.post('/api/v1/admin/departments', {
    config: { access: admin },
    schema: { tags, summary: '新增部门', body: DepartmentInput, response: { 201: Department } },
  }, async (request, reply) => reply.status(201).send(await org.createDepartment(actorOf(request), request.body)));

  app.patch('/api/v1/admin/departments/:id', {
    config: { access: admin },
    schema: { tags, summary: '修改部门', params: IdParam, body: DepartmentPatch, response: { 200: Department } },
  }, async (request) => org.updateDepartment(actorOf(request), request.params.id, request.body));

  app.get('/api/v1/halls', {
    config: { access: 'public' },
    schema: { tags, summary: '政务服务大厅列表', querystring: HallQuery, response: { 200: ListOf(Hall) } },
  }, async (request) => ({ items: request.query.mine ? await org.hallsWithin(staffOf(request).regionPath) : await org.listHalls() }));

  app.post('/api/v1/admin/halls', {
    config: { access: admin },
    schema: { tags, summary: '新增政务服务大厅', body: HallInput, response: { 201: Hall } },
  }, async (request, reply) => reply.status(201).send(await org.createHall(actorOf(request), request.body)));
}
