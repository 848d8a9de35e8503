import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/types.js';
import { IdParam, ListOf, Ok } from '../../platform/http/types.js';
import { actorOf, staffOf } from '../../platform/http/request-context.js';
import { CommonErrors } from '../../platform/http/errors.js';
import type { ApplicantPrincipal } from '../../platform/auth/principal.js';
import { CASE_HEADER } from '../../shared/sharing-codes.js';
import { SharingErrors } from './errors.js';
import type { DataSharingService } from './service.js';
import {
  AccessLogEntry,
  AccessLogQuery,
  AccessRequest,
  AccessRequestInput,
  Consent,
  Credential,
  CredentialInput,
  CredentialIssued,
  CredentialQuery,
  DatasetJson,
  DatasetReport,
  DecisionInput,
  Grant,
  GrantQuery,
  LogVerification,
  LookupHeaders,
  LookupInput,
  MyDataAccess,
  PageQuery,
  PlatformKeys,
  PrefillOptions,
  PrefillOptionsQuery,
  PrefillPreview,
  PrefillPreviewInput,
  RequestQuery,
  Resource,
  ResourceInput,
  ResourcePatch,
  ResourceQuery,
  RevokeInput,
  SignedLookup,
} from './schemas.js';

const tags = ['sharing'];
/** The provider's or consumer's data-sharing administrator, acting for their own department. */
const sharingAdmin = { roles: ['data_sharing_admin'] } as const;
/** Reading the department's requests, grants and access log; the system admin reads any department's. */
const sharingReaders = { roles: ['data_sharing_admin', 'system_admin'] } as const;
/** The published catalog: also readable by consumer systems holding a gateway token. */
const catalogReaders = { roles: ['data_sharing_admin', 'system_admin'], scopes: ['sharing:lookup'] } as const;
/** The gateway: a consumer department's system, or its data-sharing administrator. */
const gatewayCallers = { roles: ['data_sharing_admin'], scopes: ['sharing:lookup'] } as const;
const applicants = { applicant: true } as const;
const systemAdmin = { roles: ['system_admin'] } as const;

/** Dataset uploads: CSV or JSON of up to 8 MiB (the rest of the API takes 1 MiB). */
export const DATASET_BODY_LIMIT = 8 * 1024 * 1024;

const Paged = <T extends import('typebox').TSchema>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

function applicantOf(request: FastifyRequest): ApplicantPrincipal {
  const p = request.principal;
  if (!p || p.kind !== 'applicant') throw CommonErrors.forbidden();
  return p;
}

export async function sharingRoutes(app: App, { sharing }: { sharing: DataSharingService }): Promise<void> {
  // CSV dataset uploads arrive as text; only in this plugin (and its routes).
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: DATASET_BODY_LIMIT }, (_request, body, done) => done(null, body));

  // --- resource catalog ------------------------------------------------------------------------

  app.get('/api/v1/sharing/resources', {
    config: { access: catalogReaders },
    schema: { tags, summary: '数据资源目录（已发布；本部门可见草稿）', querystring: ResourceQuery, response: { 200: Paged(Resource) } },
  }, async (request) => sharing.listResources(request.principal!, request.query));

  app.get('/api/v1/sharing/resources/:id', {
    config: { access: catalogReaders },
    schema: { tags, summary: '数据资源详情', params: IdParam, response: { 200: Resource } },
  }, async (request) => sharing.getResource(request.principal!, request.params.id));

  app.post('/api/v1/sharing/resources', {
    config: { access: sharingAdmin, idempotent: true },
    schema: { tags, summary: '登记数据资源（草稿）', body: ResourceInput, response: { 201: Resource } },
  }, async (request, reply) => reply.status(201).send(await sharing.createResource(staffOf(request), actorOf(request), request.body)));

  app.patch('/api/v1/sharing/resources/:id', {
    config: { access: sharingAdmin },
    schema: { tags, summary: '修改数据资源（已发布资源的数据项只能新增）', params: IdParam, body: ResourcePatch, response: { 200: Resource } },
  }, async (request) => sharing.updateResource(staffOf(request), actorOf(request), request.params.id, request.body));

  app.post('/api/v1/sharing/resources/:id/publish', {
    config: { access: sharingAdmin },
    schema: { tags, summary: '发布数据资源', params: IdParam, response: { 200: Resource } },
  }, async (request) => sharing.publishResource(staffOf(request), actorOf(request), request.params.id));

  app.post('/api/v1/sharing/resources/:id/withdraw', {
    config: { access: sharingAdmin },
    schema: { tags, summary: '停止共享数据资源', params: IdParam, response: { 200: Resource } },
  }, async (request) => sharing.withdrawResource(staffOf(request), actorOf(request), request.params.id));

  app.post('/api/v1/sharing/resources/:id/records', {
    config: { access: sharingAdmin },
    bodyLimit: DATASET_BODY_LIMIT,
    onRequest: async (request) => {
      const declared = Number(request.headers['content-length'] ?? '0');
      if (declared > DATASET_BODY_LIMIT) throw SharingErrors.dataset_too_large({ limit: '8 MiB' });
    },
    schema: {
      tags,
      summary: '上传数据集（CSV 或 JSON，按主体增量更新；任一行有误则全部不导入）',
      description: 'text/csv：首行为列名（主体字段、数据项、可选 _op），UTF-8（可带 BOM）。application/json：{ "records": [ ... ] }。',
      params: IdParam,
      body: {
        content: {
          'application/json': { schema: DatasetJson },
          'text/csv': { schema: Type.String() },
        },
      },
      response: { 200: DatasetReport },
    },
  }, async (request) => {
    const body = request.body as unknown;
    const upload = typeof body === 'string' ? { csv: body } : { records: (body as { records: unknown[] }).records };
    return sharing.importDataset(staffOf(request), actorOf(request), request.params.id, upload);
  });

  // --- access requests and grants --------------------------------------------------------------

  app.post('/api/v1/sharing/requests', {
    config: { access: sharingAdmin, idempotent: true },
    schema: { tags, summary: '申请使用数据资源（无条件共享类自动授权）', body: AccessRequestInput, response: { 201: AccessRequest } },
  }, async (request, reply) => reply.status(201).send(await sharing.createRequest(staffOf(request), actorOf(request), request.body)));

  app.get('/api/v1/sharing/requests', {
    config: { access: sharingReaders },
    schema: { tags, summary: '共享申请（对本部门资源的 / 本部门提出的）', querystring: RequestQuery, response: { 200: Paged(AccessRequest) } },
  }, async (request) => sharing.listRequests(staffOf(request), request.query));

  app.post('/api/v1/sharing/requests/:id/decision', {
    config: { access: sharingAdmin },
    schema: { tags, summary: '审核共享申请：授权（可限定数据项与期限）或不予通过', params: IdParam, body: DecisionInput, response: { 200: AccessRequest } },
  }, async (request) => sharing.decideRequest(staffOf(request), actorOf(request), request.params.id, request.body));

  app.get('/api/v1/sharing/grants', {
    config: { access: sharingReaders },
    schema: { tags, summary: '授权（本部门资源的 / 本部门获得的）', querystring: GrantQuery, response: { 200: Paged(Grant) } },
  }, async (request) => sharing.listGrants(staffOf(request), request.query));

  app.post('/api/v1/sharing/grants/:id/revoke', {
    config: { access: sharingAdmin },
    schema: { tags, summary: '撤销授权', params: IdParam, body: RevokeInput, response: { 200: Grant } },
  }, async (request) => sharing.revokeGrant(staffOf(request), actorOf(request), request.params.id, request.body.reason));

  // --- consumer credentials --------------------------------------------------------------------

  app.get('/api/v1/sharing/credentials', {
    config: { access: sharingAdmin },
    schema: { tags, summary: '本部门的网关接入凭证', querystring: CredentialQuery, response: { 200: ListOf(Credential) } },
  }, async (request) => sharing.listCredentials(staffOf(request), request.query.departmentId));

  // Not idempotent on purpose (like API clients): the token is shown once and never stored in clear.
  app.post('/api/v1/sharing/credentials', {
    config: { access: sharingAdmin },
    schema: { tags, summary: '为本部门的业务系统签发网关接入凭证（sharing:lookup）', body: CredentialInput, response: { 201: CredentialIssued } },
  }, async (request, reply) => reply.status(201).send(await sharing.issueCredential(staffOf(request), actorOf(request), request.body)));

  app.delete('/api/v1/sharing/credentials/:id', {
    config: { access: sharingAdmin },
    schema: { tags, summary: '吊销网关接入凭证', params: IdParam, response: { 200: Ok } },
  }, async (request) => {
    await sharing.revokeCredential(staffOf(request), actorOf(request), request.params.id);
    return { ok: true as const };
  });

  // --- the gateway -----------------------------------------------------------------------------

  app.post('/api/v1/sharing/gateway/resources/:id/lookup', {
    config: { access: gatewayCallers },
    schema: {
      tags,
      summary: '共享网关查询（须在 X-Tongban-Case 中注明办件编号；应答由平台 SM2 签名）',
      description: '按授权过滤数据项；每次调用（含被拒绝的）都写入哈希链访问日志。签名：SM2-SM3，签名者标识 1234567812345678，对 payload 的规范 JSON 签名；公钥见 GET /api/v1/sharing/platform-keys。',
      params: IdParam,
      headers: LookupHeaders,
      body: LookupInput,
      response: { 200: SignedLookup },
    },
  }, async (request) => {
    const header = request.headers[CASE_HEADER];
    return sharing.lookupAs(request.principal!, request.params.id, request.body, typeof header === 'string' ? header : undefined);
  });

  app.get('/api/v1/sharing/platform-keys', {
    config: { access: 'public' },
    schema: { tags, summary: '平台签名公钥（SM2），含已停用的历史公钥', response: { 200: PlatformKeys } },
  }, async () => sharing.platformKeys());

  // --- the access log --------------------------------------------------------------------------

  app.get('/api/v1/sharing/access-log', {
    config: { access: sharingReaders },
    schema: { tags, summary: '数据访问日志（对本部门数据的访问 / 本部门发起的访问）', querystring: AccessLogQuery, response: { 200: Paged(AccessLogEntry) } },
  }, async (request) => sharing.listAccessLog(staffOf(request), request.query));

  app.get('/api/v1/admin/sharing/access-log/verify', {
    config: { access: systemAdmin },
    schema: { tags, summary: '校验数据访问日志哈希链', response: { 200: LogVerification } },
  }, async () => sharing.verifyLog());

  // --- applicants: who looked at my data; prefill with consent ----------------------------------

  app.get('/api/v1/me/data-access', {
    config: { access: applicants },
    schema: { tags, summary: '谁查询了我的数据（用于哪个办件）', querystring: PageQuery, response: { 200: Paged(MyDataAccess) } },
  }, async (request) => sharing.myDataAccess(applicantOf(request), request.query));

  app.get('/api/v1/me/prefill-options', {
    config: { access: applicants },
    schema: { tags, summary: '该事项可用于预填的数据资源', querystring: PrefillOptionsQuery, response: { 200: PrefillOptions } },
  }, async (request) => sharing.prefillOptions(applicantOf(request), request.query.itemCode));

  app.post('/api/v1/me/prefill-preview', {
    config: { access: applicants },
    schema: {
      tags,
      summary: '本人授权后预览预填数据（未经同意不查询、不保存）',
      description: 'consent 须为 true；记录授权，经共享网关调取本人数据并返回预览，数据本身不保存。',
      body: PrefillPreviewInput,
      response: { 200: PrefillPreview },
    },
  }, async (request) => sharing.prefillPreview(applicantOf(request), actorOf(request), request.body));

  app.get('/api/v1/me/consents', {
    config: { access: applicants },
    schema: { tags, summary: '我的数据调取授权', response: { 200: ListOf(Consent) } },
  }, async (request) => sharing.listConsents(applicantOf(request)));

  app.delete('/api/v1/me/consents/:id', {
    config: { access: applicants },
    schema: { tags, summary: '撤回数据调取授权', params: IdParam, response: { 200: Ok } },
  }, async (request) => {
    await sharing.withdrawConsent(applicantOf(request), actorOf(request), request.params.id);
    return { ok: true as const };
  });
}
