import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/types.js';
import { IdParam, ListOf } from '../../platform/http/types.js';
import { actorOf, staffOf } from '../../platform/http/request-context.js';
import { CommonErrors } from '../../platform/http/errors.js';
import type { ApplicantPrincipal } from '../../platform/auth/principal.js';
import { hasZipMagic } from '../../platform/zip.js';
import { LicenseErrors } from './errors.js';
import { importWorkbook, IMPORT_LIMIT_BYTES, XLSX_TYPE } from './import.js';
import { LOOKUP_ROLES, type LicensesService } from './service.js';
import {
  CaseLookupQuery,
  ChangeInput,
  ImportReport,
  IssuedQuery,
  IssueInput,
  License,
  LicenseDetail,
  LicenseIdParam,
  LicenseType,
  LicenseTypeInput,
  MineQuery,
  RevokeInput,
  Seal,
  SealInput,
  SealQuery,
  Verification,
} from './schemas.js';

const tags = ['licenses'];
const adminTags = ['licenses-admin'];
const holders = { applicant: true } as const;
/** The library's types are city-wide: the system administrator registers them; department admins read them. */
const typeEditors = { roles: ['system_admin'] } as const;
const typeReaders = { roles: ['department_admin', 'system_admin'] } as const;
/** A department's seals and licenses: its administrator, or the system administrator for any. */
const managers = { roles: ['department_admin', 'system_admin'] } as const;
/** Verification: anyone on the public route; channel systems with `licenses:verify` may also call it with their token. */
const lookups = { roles: LOOKUP_ROLES } as const;

function applicantOf(request: FastifyRequest): ApplicantPrincipal {
  const p = request.principal;
  if (!p || p.kind !== 'applicant') throw CommonErrors.forbidden();
  return p;
}

export async function licensesRoutes(app: App, { licenses }: { licenses: LicensesService }): Promise<void> {
  // Spreadsheet imports arrive as the workbook itself (no multipart), within their own limit.
  app.addContentTypeParser(XLSX_TYPE, { parseAs: 'buffer', bodyLimit: IMPORT_LIMIT_BYTES }, (_request, body, done) => done(null, body));

  // --- public -------------------------------------------------------------------------------

  app.get('/api/v1/licenses/verify/:licenseId', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: '核验电子证照（公开，扫描证照二维码进入；仅显示脱敏的持证主体信息）',
      description: '标识格式或校验位错误：400（license_id_malformed / license_id_check_failed）；库中没有：404；其余一律 200，由 valid / reason 给出结论（tampered 数据被篡改、bad_signature 签名不符、unknown_seal 印章不明、revoked 已注销、superseded 已变更、expired 已过期）。',
      params: LicenseIdParam,
      response: { 200: Verification },
    },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return licenses.verify(request.params.licenseId);
  });

  // --- holders --------------------------------------------------------------------------------

  app.get('/api/v1/licenses', {
    config: { access: holders },
    schema: { tags, summary: '我的电子证照（证照夹）', querystring: MineQuery, response: { 200: ListOf(License) } },
  }, async (request) => ({ items: await licenses.mine(applicantOf(request)) }));

  app.get('/api/v1/licenses/:licenseId', {
    config: { access: holders },
    schema: { tags, summary: '我的一本电子证照及其变更、注销记录', params: LicenseIdParam, response: { 200: LicenseDetail } },
  }, async (request) => licenses.mineOne(applicantOf(request), request.params.licenseId));

  app.get('/api/v1/licenses/:licenseId/pdf', {
    config: { access: holders },
    schema: {
      tags,
      summary: '下载电子证照（PDF，含电子印章、二维码和证照标识）',
      params: LicenseIdParam,
      produces: ['application/pdf'],
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf' }) },
    },
  }, async (request, reply) => {
    const { body, licenseId } = await licenses.pdf(applicantOf(request), request.params.licenseId);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="license-${licenseId.split('.').slice(-3).join('-')}.pdf"`)
      .header('cache-control', 'private, no-store')
      .send(Buffer.from(body));
  });

  // --- departments using licenses (用证) ----------------------------------------------------

  app.get('/api/v1/licenses/lookup', {
    config: { access: lookups },
    schema: { tags, summary: '查询办件申请人持有的电子证照（须为本人可办理的办件；每次查询留痕）', querystring: CaseLookupQuery, response: { 200: ListOf(License) } },
  }, async (request) => ({ items: await licenses.lookupForCase(staffOf(request), actorOf(request), request.query.caseNumber) }));

  // --- administration -------------------------------------------------------------------------

  app.get('/api/v1/admin/license-types', {
    config: { access: typeReaders },
    schema: { tags: adminTags, summary: '电子证照类型', response: { 200: ListOf(LicenseType) } },
  }, async () => ({ items: await licenses.listTypes() }));

  app.post('/api/v1/admin/license-types', {
    config: { access: typeEditors, idempotent: true },
    schema: { tags: adminTags, summary: '登记电子证照类型', body: LicenseTypeInput, response: { 201: LicenseType } },
  }, async (request, reply) => reply.status(201).send(await licenses.createType(actorOf(request), request.body)));

  app.put('/api/v1/admin/license-types/:id', {
    config: { access: typeEditors },
    schema: { tags: adminTags, summary: '修改电子证照类型（两种代码不可修改）', params: IdParam, body: LicenseTypeInput, response: { 200: LicenseType } },
  }, async (request) => licenses.updateType(actorOf(request), request.params.id, request.body));

  app.get('/api/v1/admin/seals', {
    config: { access: managers },
    schema: { tags: adminTags, summary: '部门的电子印章（只含公钥）', querystring: SealQuery, response: { 200: ListOf(Seal) } },
  }, async (request) => ({ items: await licenses.listSeals(staffOf(request), request.query.departmentId) }));

  app.post('/api/v1/admin/seals', {
    config: { access: managers, idempotent: true },
    schema: { tags: adminTags, summary: '制作电子印章（生成 SM2 密钥对，私钥加密保存，任何接口都不返回）', body: SealInput, response: { 201: Seal } },
  }, async (request, reply) => reply.status(201).send(await licenses.createSeal(staffOf(request), actorOf(request), request.body)));

  app.post('/api/v1/admin/seals/:id/rotate', {
    config: { access: managers },
    schema: { tags: adminTags, summary: '更换电子印章密钥（旧密钥停用，已签发的证照仍可核验）', params: IdParam, response: { 200: Seal } },
  }, async (request) => licenses.rotateSeal(staffOf(request), actorOf(request), request.params.id));

  app.get('/api/v1/admin/licenses', {
    config: { access: managers },
    schema: { tags: adminTags, summary: '本部门签发的电子证照', querystring: IssuedQuery, response: { 200: ListOf(License) } },
  }, async (request) => ({ items: await licenses.listIssued(staffOf(request), request.query) }));

  app.get('/api/v1/admin/licenses/:licenseId', {
    config: { access: managers },
    schema: { tags: adminTags, summary: '电子证照详情及历史', params: LicenseIdParam, response: { 200: LicenseDetail } },
  }, async (request) => licenses.issuedOne(staffOf(request), request.params.licenseId));

  app.post('/api/v1/admin/licenses', {
    config: { access: managers, idempotent: true },
    schema: { tags: adminTags, summary: '直接签发电子证照（本部门，须为该证照类型的颁发部门）', body: IssueInput, response: { 201: License } },
  }, async (request, reply) => reply.status(201).send(await licenses.issueDirect(staffOf(request), actorOf(request), request.body)));

  app.post('/api/v1/admin/licenses/:licenseId/revoke', {
    config: { access: managers },
    schema: { tags: adminTags, summary: '注销电子证照（须写明原因和办件编号）', params: LicenseIdParam, body: RevokeInput, response: { 200: LicenseDetail } },
  }, async (request) => licenses.revoke(staffOf(request), actorOf(request), request.params.licenseId, request.body));

  app.post('/api/v1/admin/licenses/:licenseId/change', {
    config: { access: managers },
    schema: { tags: adminTags, summary: '变更电子证照（签发新版本，旧版本标为已变更）', params: LicenseIdParam, body: ChangeInput, response: { 200: LicenseDetail } },
  }, async (request) => licenses.change(staffOf(request), actorOf(request), request.params.licenseId, request.body));

  app.post('/api/v1/admin/licenses/import', {
    config: { access: managers },
    bodyLimit: IMPORT_LIMIT_BYTES,
    onRequest: async (request) => {
      if (Number(request.headers['content-length'] ?? '0') > IMPORT_LIMIT_BYTES) throw LicenseErrors.import_too_large({ limit: `${IMPORT_LIMIT_BYTES / 1024 / 1024} MiB` });
    },
    schema: {
      tags: adminTags,
      summary: '批量导入存量电子证照（请求体为 .xlsx 工作簿；任一行有误则全部不导入）',
      description: `Content-Type: ${XLSX_TYPE}。第一个工作表首行为表头：证照类型、持证主体名称、持证主体证件号码、有效期起、有效期至（可空，空为按类型），其后各列为照面项（表头为照面项名称或标签）。`,
      consumes: [XLSX_TYPE],
      response: { 200: ImportReport },
    },
  }, async (request) => {
    const staff = staffOf(request);
    const body = request.body as unknown;
    if (!Buffer.isBuffer(body) || !hasZipMagic(body)) throw LicenseErrors.import_not_xlsx();
    return importWorkbook(licenses, staff, actorOf(request), body);
  });
}
