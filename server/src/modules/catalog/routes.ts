import { Type } from 'typebox';
import type { App } from '../../platform/http/types.js';
import { IdParam, ListOf } from '../../platform/http/types.js';
import { actorOf, staffOf } from '../../platform/http/request-context.js';
import { fieldMessage } from '../../platform/http/errors.js';
import { Paged, PageQuery } from '../../platform/http/pagination.js';
import { requestLang } from '../../platform/http/problem.js';
import type { CatalogService } from './service.js';
import {
  AdminItem,
  AdminItemRow,
  DiffChange,
  Intermediary,
  IntermediaryInput,
  ItemContent,
  ItemVersionDetail,
  LIST_STATUSES,
  NewItemInput,
  Proof,
  ProofInput,
  SynonymEntry,
  SynonymsInput,
  VERSION_STATUSES,
  VersionState,
} from './schemas.js';

/*
 * Admin routes of the catalog (docs/catalog-api.md): authoring items through their version
 * lifecycle, the retained-proofs and intermediary lists, search synonyms. The route admits catalog
 * admins and the system admin; the service decides reach (a catalog admin's own department) and
 * answers 404 outside it.
 */

const tags = ['catalog-admin'];
const editors = { roles: ['catalog_admin', 'system_admin'] } as const;

const ImplementationCode = Type.String({ pattern: '^[0-9A-Z]{31}$', description: '实施编码（31 位）' });
const CodeParams = Type.Object({ implementationCode: ImplementationCode });
const VersionNumber = Type.Integer({ minimum: 1, maximum: 1_000_000 });
const VersionParams = Type.Object({ implementationCode: ImplementationCode, version: VersionNumber });

const AdminItemQuery = Type.Object({
  ...PageQuery.properties,
  status: Type.Optional(Type.Enum(VERSION_STATUSES, { description: '最新版本的状态' })),
  departmentId: Type.Optional(Type.String({ format: 'uuid' })),
  q: Type.Optional(Type.String({ maxLength: 100, description: '名称或编码包含' })),
});
const ListQuery = Type.Object({ status: Type.Optional(Type.Enum(LIST_STATUSES)) });

const SaveDraft = Type.Object({ content: ItemContent, lockVersion: Type.Integer({ minimum: 1, description: '读取时的 lockVersion' }) });
const Submit = Type.Object({ lockVersion: Type.Integer({ minimum: 1 }) });
const Return = Type.Object({ comment: Type.String({ minLength: 1, maxLength: 2000, description: '退回意见' }) });
const Publish = Type.Object({ effectiveFrom: Type.Optional(Type.String({ format: 'date', description: '生效日期，默认今天（北京时间）；不早于今天' })) });
const Withdraw = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000, description: '撤回理由' }) });
const DiffQuery = Type.Object({ from: VersionNumber, to: VersionNumber });
const Diff = Type.Object({ from: Type.Integer(), to: Type.Integer(), changes: Type.Array(DiffChange) });
const Synonyms = Type.Object({ entries: Type.Array(SynonymEntry) });

export async function catalogAdminRoutes(app: App, { catalog }: { catalog: CatalogService }): Promise<void> {
  // --- items and versions ----------------------------------------------------------------------

  app.get('/api/v1/admin/catalog/items', {
    config: { access: editors },
    schema: { tags, summary: '事项管理列表（本部门；系统管理员全市），含最新版本状态', querystring: AdminItemQuery, response: { 200: Paged(AdminItemRow) } },
  }, async (request) => catalog.listAdminItems(staffOf(request), request.query));

  app.post('/api/v1/admin/catalog/items', {
    config: { access: editors, idempotent: true },
    schema: { tags, summary: '新建事项（实施编码 = 部门信用代码 + 行使层级 + 基本编码）及其第 1 版草稿', body: NewItemInput, response: { 201: VersionState } },
  }, async (request, reply) => reply.status(201).send(await catalog.createItem(actorOf(request), staffOf(request), request.body)));

  app.get('/api/v1/admin/catalog/items/:implementationCode', {
    config: { access: editors },
    schema: { tags, summary: '事项及其全部版本', params: CodeParams, response: { 200: AdminItem } },
  }, async (request) => catalog.getItem(staffOf(request), request.params.implementationCode));

  app.get('/api/v1/admin/catalog/items/:implementationCode/versions/:version', {
    config: { access: editors },
    schema: { tags, summary: '某一版本：内容、状态、lockVersion 与发布检查结果 problems', params: VersionParams, response: { 200: ItemVersionDetail } },
  }, async (request) => {
    const detail = await catalog.getVersion(staffOf(request), request.params.implementationCode, request.params.version);
    const lang = requestLang(request);
    return { ...detail, problems: detail.problems.map((p) => ({ field: p.field, code: p.code, message: fieldMessage(p.code, lang, p.params) })) };
  });

  app.post('/api/v1/admin/catalog/items/:implementationCode/versions', {
    config: { access: editors, idempotent: true },
    schema: { tags, summary: '以最新发布版本为底稿新建草稿', params: CodeParams, response: { 201: VersionState } },
  }, async (request, reply) => reply.status(201).send(await catalog.newDraftFrom(actorOf(request), staffOf(request), request.params.implementationCode)));

  app.put('/api/v1/admin/catalog/items/:implementationCode/versions/:version', {
    config: { access: editors },
    schema: { tags, summary: '保存草稿（lockVersion 已过期返回 409）', params: VersionParams, body: SaveDraft, response: { 200: VersionState } },
  }, async (request) => catalog.saveDraft(actorOf(request), staffOf(request), request.params.implementationCode, request.params.version, request.body));

  app.post('/api/v1/admin/catalog/items/:implementationCode/versions/:version/submit', {
    config: { access: editors },
    schema: { tags, summary: '提交审核（草稿 → 审核中）', params: VersionParams, body: Submit, response: { 200: VersionState } },
  }, async (request) => catalog.submit(actorOf(request), staffOf(request), request.params.implementationCode, request.params.version, request.body));

  app.post('/api/v1/admin/catalog/items/:implementationCode/versions/:version/return', {
    config: { access: editors },
    schema: { tags, summary: '退回修改（审核中 → 草稿）', params: VersionParams, body: Return, response: { 200: VersionState } },
  }, async (request) => catalog.returnToDraft(actorOf(request), staffOf(request), request.params.implementationCode, request.params.version, request.body));

  app.post('/api/v1/admin/catalog/items/:implementationCode/versions/:version/publish', {
    config: { access: editors },
    schema: {
      tags,
      summary: '审核发布（须由编辑、提交人以外的人进行；有问题时 422 publish_refused 列出全部问题）',
      params: VersionParams,
      body: Publish,
      response: { 200: VersionState },
    },
  }, async (request) => catalog.publish(actorOf(request), staffOf(request), request.params.implementationCode, request.params.version, request.body));

  app.post('/api/v1/admin/catalog/items/:implementationCode/versions/:version/withdraw', {
    config: { access: editors },
    schema: { tags, summary: '撤回已发布版本', params: VersionParams, body: Withdraw, response: { 200: VersionState } },
  }, async (request) => catalog.withdraw(actorOf(request), staffOf(request), request.params.implementationCode, request.params.version, request.body));

  app.get('/api/v1/admin/catalog/items/:implementationCode/diff', {
    config: { access: editors },
    schema: { tags, summary: '两个版本内容的逐项差异（路径如 materials[2].name）', params: CodeParams, querystring: DiffQuery, response: { 200: Diff } },
  }, async (request) => catalog.diff(staffOf(request), request.params.implementationCode, request.query.from, request.query.to));

  // --- retained proofs (保留证明事项) ------------------------------------------------------------

  app.get('/api/v1/admin/catalog/proofs', {
    config: { access: editors },
    schema: { tags, summary: '保留证明事项清单（全部状态）', querystring: ListQuery, response: { 200: ListOf(Proof) } },
  }, async (request) => ({ items: await catalog.listProofs(request.query) }));

  app.post('/api/v1/admin/catalog/proofs', {
    config: { access: editors, idempotent: true },
    schema: { tags, summary: '新增证明事项（草稿）', body: ProofInput, response: { 201: Proof } },
  }, async (request, reply) => reply.status(201).send(await catalog.createProof(actorOf(request), staffOf(request), request.body)));

  app.put('/api/v1/admin/catalog/proofs/:id', {
    config: { access: editors },
    schema: { tags, summary: '修改证明事项（已发布的须先撤回）', params: IdParam, body: ProofInput, response: { 200: Proof } },
  }, async (request) => catalog.updateProof(actorOf(request), staffOf(request), request.params.id, request.body));

  app.post('/api/v1/admin/catalog/proofs/:id/publish', {
    config: { access: editors },
    schema: { tags, summary: '发布证明事项（须由最后编辑人以外的人进行）', params: IdParam, response: { 200: Proof } },
  }, async (request) => catalog.publishProof(actorOf(request), staffOf(request), request.params.id));

  app.post('/api/v1/admin/catalog/proofs/:id/withdraw', {
    config: { access: editors },
    schema: { tags, summary: '撤回证明事项（仍被已发布事项引用时拒绝）', params: IdParam, response: { 200: Proof } },
  }, async (request) => catalog.withdrawProof(actorOf(request), staffOf(request), request.params.id));

  // --- intermediary services (中介服务) ----------------------------------------------------------

  app.get('/api/v1/admin/catalog/intermediaries', {
    config: { access: editors },
    schema: { tags, summary: '中介服务清单（全部状态）', querystring: ListQuery, response: { 200: ListOf(Intermediary) } },
  }, async (request) => ({ items: await catalog.listIntermediaries(request.query) }));

  app.post('/api/v1/admin/catalog/intermediaries', {
    config: { access: editors, idempotent: true },
    schema: { tags, summary: '新增中介服务（草稿）', body: IntermediaryInput, response: { 201: Intermediary } },
  }, async (request, reply) => reply.status(201).send(await catalog.createIntermediary(actorOf(request), staffOf(request), request.body)));

  app.put('/api/v1/admin/catalog/intermediaries/:id', {
    config: { access: editors },
    schema: { tags, summary: '修改中介服务（已发布的须先撤回）', params: IdParam, body: IntermediaryInput, response: { 200: Intermediary } },
  }, async (request) => catalog.updateIntermediary(actorOf(request), staffOf(request), request.params.id, request.body));

  app.post('/api/v1/admin/catalog/intermediaries/:id/publish', {
    config: { access: editors },
    schema: { tags, summary: '发布中介服务（须由最后编辑人以外的人进行）', params: IdParam, response: { 200: Intermediary } },
  }, async (request) => catalog.publishIntermediary(actorOf(request), staffOf(request), request.params.id));

  app.post('/api/v1/admin/catalog/intermediaries/:id/withdraw', {
    config: { access: editors },
    schema: { tags, summary: '撤回中介服务（仍被已发布事项引用时拒绝）', params: IdParam, response: { 200: Intermediary } },
  }, async (request) => catalog.withdrawIntermediary(actorOf(request), staffOf(request), request.params.id));

  // --- search synonyms -------------------------------------------------------------------------

  app.get('/api/v1/admin/catalog/synonyms', {
    config: { access: editors },
    schema: { tags, summary: '检索同义词', response: { 200: Synonyms } },
  }, async () => ({ entries: await catalog.listSynonyms() }));

  app.put('/api/v1/admin/catalog/synonyms', {
    config: { access: editors },
    schema: { tags, summary: '整体替换检索同义词', body: SynonymsInput, response: { 200: Synonyms } },
  }, async (request) => ({ entries: await catalog.setSynonyms(actorOf(request), staffOf(request), request.body.entries) }));
}
