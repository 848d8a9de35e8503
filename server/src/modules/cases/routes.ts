import type { FastifyRequest } from 'fastify';
import type { ApplicantPrincipal } from '../../platform/auth/principal.js';
import { CommonErrors } from '../../platform/http/errors.js';
import { answerInStatement } from '../../platform/http/idempotency.js';
import { Paged } from '../../platform/http/pagination.js';
import { staffOf } from '../../platform/http/request-context.js';
import type { App } from '../../platform/http/types.js';
import { ListOf, Ok } from '../../platform/http/types.js';
import { CASE_ACTOR_ROLES, CASE_READER_ROLES } from './access.js';
import { ActionBody } from './actions.js';
import {
  ApplicationInput,
  CaseCreated,
  CaseDetail,
  CaseListQuery,
  CaseNumberParam,
  CaseSummary,
  Draft,
  DraftIdParam,
  DraftInput,
  FrontDeskQuery,
  WindowFilingInput,
} from './schemas.js';
import type { CasesService } from './service.js';

/*
 * Case routes (docs/cases-api.md): applying online and at the window, drafts, reading cases, the
 * front desk's queue, and the one actions route every action of every party goes through. The
 * back office's own reading routes (workbench, notice PDFs) are in back-office-routes.ts.
 */

const tags = ['cases'];
const applicants = { applicant: true } as const;
const readers = { applicant: true, roles: CASE_READER_ROLES } as const;
const actors = { applicant: true, roles: CASE_ACTOR_ROLES } as const;
const clerks = { roles: ['window_clerk'] } as const;

function applicantOf(request: FastifyRequest): ApplicantPrincipal {
  const p = request.principal;
  if (!p || p.kind !== 'applicant') throw CommonErrors.forbidden();
  return p;
}

export async function caseRoutes(app: App, { cases }: { cases: CasesService }): Promise<void> {
  app.post('/api/v1/cases', {
    config: { access: applicants, idempotent: true },
    schema: {
      tags,
      summary: '在线申请（按事项现行版本校验申请表与材料）',
      description: '支持 Idempotency-Key：同一键与同一内容重复提交只生成一件，返回首次的结果。',
      body: ApplicationInput,
      response: { 201: CaseCreated },
    },
  }, async (request, reply) => reply.status(201).send(await cases.submit(applicantOf(request), request.ip, request.body, answerInStatement(request, 201))));

  app.post('/api/v1/window/cases', {
    config: { access: clerks, idempotent: true },
    schema: {
      tags,
      summary: '窗口收件：为现场申请人（身份证号码或统一社会信用代码）登记申请',
      description: '申请人已注册的，办件关联其账户。材料为窗口扫描上传的文件，或 paper: true 表示收取纸质材料。',
      body: WindowFilingInput,
      response: { 201: CaseCreated },
    },
  }, async (request, reply) => reply.status(201).send(await cases.fileAtWindow(staffOf(request), request.ip, request.body)));

  app.get('/api/v1/cases', {
    config: { access: readers },
    schema: {
      tags,
      summary: '办件列表：申请人为本人办件；工作人员为权限范围内的办件（申请人姓名脱敏）',
      querystring: CaseListQuery,
      response: { 200: Paged(CaseSummary) },
    },
  }, async (request) => cases.list(request.principal!, request.query));

  app.get('/api/v1/cases/:caseNumber', {
    config: { access: readers },
    schema: {
      tags,
      summary: '办件详情（本人或权限范围内的工作人员；其他人 404）',
      params: CaseNumberParam,
      response: { 200: CaseDetail },
    },
  }, async (request) => cases.get(request.principal!, request.params.caseNumber, request.ip));

  app.post('/api/v1/cases/:caseNumber/actions', {
    config: { access: actors },
    schema: {
      tags,
      summary: '办理动作（受理、补正、撤回、审批、送达 …）',
      description: 'version 为读取到的办件版本：已被他人处理时 409 version_conflict；当前状态不允许该动作时 422 action_not_allowed；无权执行时 403 action_forbidden。',
      params: CaseNumberParam,
      body: ActionBody,
      response: { 200: CaseDetail },
    },
  }, async (request) => cases.act(request.principal!, request.ip, request.params.caseNumber, request.body));

  app.get('/api/v1/front-desk/queue', {
    config: { access: clerks },
    schema: {
      tags,
      summary: '综合窗口待办：本区域待受理（或待补正）的办件，先到先办',
      querystring: FrontDeskQuery,
      response: { 200: Paged(CaseSummary) },
    },
  }, async (request) => cases.frontDeskQueue(staffOf(request), request.query));

  // --- drafts ---------------------------------------------------------------------------------

  app.post('/api/v1/me/drafts', {
    config: { access: applicants, idempotent: true },
    schema: { tags, summary: '保存申请草稿', body: DraftInput, response: { 201: Draft } },
  }, async (request, reply) => reply.status(201).send(await cases.createDraft(applicantOf(request), request.body)));

  app.get('/api/v1/me/drafts', {
    config: { access: applicants },
    schema: { tags, summary: '我的申请草稿（最近修改在前）', response: { 200: ListOf(Draft) } },
  }, async (request) => ({ items: await cases.listDrafts(applicantOf(request)) }));

  app.get('/api/v1/me/drafts/:draftId', {
    config: { access: applicants },
    schema: { tags, summary: '申请草稿', params: DraftIdParam, response: { 200: Draft } },
  }, async (request) => cases.getDraft(applicantOf(request), request.params.draftId));

  app.put('/api/v1/me/drafts/:draftId', {
    config: { access: applicants },
    schema: { tags, summary: '修改申请草稿', params: DraftIdParam, body: DraftInput, response: { 200: Draft } },
  }, async (request) => cases.updateDraft(applicantOf(request), request.params.draftId, request.body));

  app.delete('/api/v1/me/drafts/:draftId', {
    config: { access: applicants },
    schema: { tags, summary: '删除申请草稿', params: DraftIdParam, response: { 200: Ok } },
  }, async (request) => {
    await cases.deleteDraft(applicantOf(request), request.params.draftId);
    return { ok: true as const };
  });
}
