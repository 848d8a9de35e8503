import type { App } from '../../platform/http/types.js';
import { ListOf } from '../../platform/http/types.js';
import type { CatalogQueryService } from './query-service.js';
import {
  CatalogExport,
  CodeParam,
  DepartmentCount,
  DepartmentCountQuery,
  FourWaysReport,
  IntermediaryEntry,
  ItemGuide,
  ItemPage,
  ItemsQuery,
  NoVisitList,
  ProofEntry,
  ScopedPageQuery,
  ThemeCount,
  VersionParam,
} from './public-schemas.js';

const tags = ['catalog'];
const open = { access: 'public' } as const;

/** The published catalog (docs/catalog-api.md "Public routes"): anyone may read it, every channel reads the same. */
export async function catalogPublicRoutes(app: App, { catalogQuery }: { catalogQuery: CatalogQueryService }): Promise<void> {
  app.get('/api/v1/items', {
    config: open,
    schema: {
      tags,
      summary: '检索已发布事项（q 为中文检索词，按相关度排序；无 q 时按部门、名称排序）',
      description:
        '筛选条件可与 q 组合。游标：无 q 时为键集游标，目录变更后仍可续用；有 q 时游标绑定检索词、筛选条件与目录版本，目录变更后返回 400 invalid_cursor，须从第一页重新检索。',
      querystring: ItemsQuery,
      response: { 200: ItemPage },
    },
  }, async (request) => catalogQuery.listItems(request.query));

  app.get('/api/v1/items/:implementationCode', {
    config: open,
    schema: { tags, summary: '办事指南：事项现行版本的全部要素', params: CodeParam, response: { 200: ItemGuide } },
  }, async (request) => catalogQuery.guide(request.params.implementationCode));

  app.get('/api/v1/items/:implementationCode/versions/:version', {
    config: open,
    schema: {
      tags,
      summary: '某一已发布版本的办事指南（含已被替代、尚未生效或已撤回的版本）',
      params: VersionParam,
      response: { 200: ItemGuide },
    },
  }, async (request) => catalogQuery.guideVersion(request.params.implementationCode, request.params.version));

  app.get('/api/v1/catalog/four-ways', {
    config: open,
    schema: {
      tags,
      summary: '“四办”事项目录与比例（马上办、网上办、就近办、一次办），对照 2019、2020 年目标',
      querystring: ScopedPageQuery,
      response: { 200: FourWaysReport },
    },
  }, async (request) => catalogQuery.fourWays(request.query));

  app.get('/api/v1/catalog/no-visit', {
    config: open,
    schema: { tags, summary: '“不见面审批”事项清单及占比', querystring: ScopedPageQuery, response: { 200: NoVisitList } },
  }, async (request) => catalogQuery.noVisit(request.query));

  app.get('/api/v1/catalog/themes', {
    config: open,
    schema: { tags, summary: '主题 / 人生事件及事项数', response: { 200: ListOf(ThemeCount) } },
  }, async () => ({ items: await catalogQuery.themes() }));

  app.get('/api/v1/catalog/proofs', {
    config: open,
    schema: { tags, summary: '保留证明事项清单（设定依据、索要单位、开具单位、办事指南）', response: { 200: ListOf(ProofEntry) } },
  }, async () => ({ items: await catalogQuery.proofs() }));

  app.get('/api/v1/catalog/intermediaries', {
    config: open,
    schema: { tags, summary: '中介服务事项清单（含收费标准及需要该服务的事项）', response: { 200: ListOf(IntermediaryEntry) } },
  }, async () => ({ items: await catalogQuery.intermediaries() }));

  app.get('/api/v1/catalog/departments', {
    config: open,
    schema: { tags, summary: '有已发布事项的部门及事项数', querystring: DepartmentCountQuery, response: { 200: ListOf(DepartmentCount) } },
  }, async (request) => ({ items: await catalogQuery.departments(request.query.regionCode) }));

  app.get('/api/v1/catalog/export.json', {
    config: open,
    schema: {
      tags,
      summary: '导出全部现行已发布事项（JSON，同源发布）',
      response: { 200: CatalogExport },
    },
  }, async (request, reply) => {
    const body = await catalogQuery.exportJson();
    reply.header('content-disposition', `attachment; filename="tongban-catalog-${body.asOf}.json"`);
    return body;
  });
}

/** Exported for tests that check the document: every public catalog route. */
export const CATALOG_PUBLIC_ROUTES = [
  'GET /api/v1/items',
  'GET /api/v1/items/:implementationCode',
  'GET /api/v1/items/:implementationCode/versions/:version',
  'GET /api/v1/catalog/four-ways',
  'GET /api/v1/catalog/no-visit',
  'GET /api/v1/catalog/themes',
  'GET /api/v1/catalog/proofs',
  'GET /api/v1/catalog/intermediaries',
  'GET /api/v1/catalog/departments',
  'GET /api/v1/catalog/export.json',
] as const;
