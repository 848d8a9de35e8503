import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import ExcelJS from 'exceljs';
import type { ApplicantPrincipal } from '../../platform/auth/principal.js';
import { CommonErrors } from '../../platform/http/errors.js';
import { Paged } from '../../platform/http/pagination.js';
import type { App } from '../../platform/http/types.js';
import { IdParam, ListOf } from '../../platform/http/types.js';
import { actorOf, staffOf } from '../../platform/http/request-context.js';
import { HANDLER_ROLES, SUPERVISOR_ROLES, VISIT_RECORDER_ROLES, type EvaluationService } from './service.js';
import {
  CaseNumberParam, Evaluation, EvaluationState, HallVisitInput, HallVisitRatingInput, PublicStats, QualitySettingsInput, QualitySettingsView, RatingInput, RecordedHallVisit,
  Rectification, RectificationQuery, RectificationStep, StatsQuery, VisitCode, VisitRatingInput, type StatsGroup,
} from './schemas.js';

/*
 * Evaluation routes (docs/quality-api.md): rating a case (CONTRACT), a hall window visit (the QR
 * code page), the applicant's own ratings, the rectification queue and its steps, and the public
 * statistics with their Excel export.
 */

const tags = ['evaluation'];
const applicants = { applicant: true } as const;
const admins = { roles: ['system_admin'] } as const;
const rectReaders = { applicant: true, roles: [...HANDLER_ROLES, ...SUPERVISOR_ROLES, 'system_admin'] } as const;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function applicantOf(request: FastifyRequest): ApplicantPrincipal {
  const p = request.principal;
  if (!p || p.kind !== 'applicant') throw CommonErrors.forbidden();
  return p;
}

export async function evaluationRoutes(app: App, { evaluation }: { evaluation: EvaluationService }): Promise<void> {
  app.post('/api/v1/cases/:caseNumber/evaluations', {
    config: { access: applicants, idempotent: true },
    schema: {
      tags,
      summary: '评价办件（好差评）：办结后评价期内，首次评价与一次追加评价；非本人办件 404',
      description: 'level 5 = 非常满意 … 1 = 非常不满意；答复中的 gbtCode 为 GB/T 39046 代码（1 = 非常满意）。不满意（1-2）须填写原因，并自动生成整改工单。',
      params: CaseNumberParam,
      body: RatingInput,
      response: { 201: Evaluation },
    },
  }, async (request, reply) => reply.status(201).send(await evaluation.rate(applicantOf(request), request.ip, { kind: 'case', caseNumber: request.params.caseNumber }, request.body)));

  app.get('/api/v1/cases/:caseNumber/evaluations', {
    config: { access: applicants },
    schema: { tags, summary: '本人办件的评价及能否评价', params: CaseNumberParam, response: { 200: EvaluationState } },
  }, async (request) => evaluation.state(applicantOf(request), { kind: 'case', caseNumber: request.params.caseNumber }));

  app.post('/api/v1/evaluations/hall-visits', {
    config: { access: applicants, idempotent: true },
    schema: {
      tags,
      summary: '评价大厅窗口服务（扫描窗口二维码）：同一窗口每人每天首次评价与一次追加评价',
      body: HallVisitRatingInput,
      response: { 201: Evaluation },
    },
  }, async (request, reply) => {
    const { hallId, window, departmentId, ...rating } = request.body;
    return reply.status(201).send(await evaluation.rate(applicantOf(request), request.ip, { kind: 'hall_visit', hallId, window, departmentId }, { ...rating }));
  });

  app.post('/api/v1/hall-visits', {
    config: { access: { roles: VISIT_RECORDER_ROLES } },
    schema: {
      tags,
      summary: '登记大厅窗口服务（窗口人员）：返回评价码与二维码评价页，来访人办结后评价；评价期满未评价记默认评价',
      body: HallVisitInput,
      response: { 201: RecordedHallVisit },
    },
  }, async (request, reply) => reply.status(201).send(await evaluation.recordVisit(staffOf(request), request.ip, request.body)));

  app.post('/api/v1/hall-visits/:id/evaluations', {
    config: { access: applicants, idempotent: true },
    schema: {
      tags,
      summary: '评价登记的大厅服务（扫描二维码）：持评价码者首次评价后，本次服务仅其本人可追加评价',
      params: IdParam,
      body: VisitRatingInput,
      response: { 201: Evaluation },
    },
  }, async (request, reply) => {
    const { code, ...rating } = request.body;
    return reply.status(201).send(await evaluation.rate(applicantOf(request), request.ip, { kind: 'visit', visitId: request.params.id, code }, rating));
  });

  app.get('/api/v1/hall-visits/:id/evaluations', {
    config: { access: applicants },
    schema: { tags, summary: '登记的大厅服务的评价及能否评价（须评价码）', params: IdParam, querystring: Type.Object({ code: VisitCode }), response: { 200: EvaluationState } },
  }, async (request) => evaluation.state(applicantOf(request), { kind: 'visit', visitId: request.params.id, code: request.query.code }));

  app.get('/api/v1/admin/quality-settings', {
    config: { access: admins },
    schema: { tags, summary: '好差评与咨询投诉时限设置：当前值、环境变量默认值与已改写项', response: { 200: QualitySettingsView } },
  }, async () => evaluation.settings.view());

  app.put('/api/v1/admin/quality-settings', {
    config: { access: admins },
    schema: {
      tags,
      summary: '修改好差评与咨询投诉时限设置（系统管理员；每次修改记入审计日志）',
      description: '只改所给的项；reset 中列出的项恢复为环境变量默认值。评价期、确认期为自然日，整改与答复时限为工作日。',
      body: QualitySettingsInput,
      response: { 200: QualitySettingsView },
    },
  }, async (request) => evaluation.settings.update(actorOf(request), request.body));

  app.get('/api/v1/evaluations/mine', {
    config: { access: applicants },
    schema: { tags, summary: '我的评价', response: { 200: ListOf(Evaluation) } },
  }, async (request) => ({ items: await evaluation.mine(applicantOf(request)) }));

  app.get('/api/v1/rectifications', {
    config: { access: rectReaders },
    schema: {
      tags,
      summary: '差评整改工单：部门为本部门的，效能监督为本区域的，申请人为本人的',
      querystring: RectificationQuery,
      response: { 200: Paged(Rectification) },
    },
  }, async (request) => evaluation.listRectifications(request.principal!, request.query));

  app.get('/api/v1/rectifications/:id', {
    config: { access: rectReaders },
    schema: { tags, summary: '整改工单详情（范围外 404）', params: IdParam, response: { 200: Rectification } },
  }, async (request) => evaluation.getRectification(request.principal!, request.params.id));

  app.post('/api/v1/rectifications/:id/steps', {
    config: { access: rectReaders },
    schema: {
      tags,
      summary: '整改步骤：回访（callback）、报告整改结果（report）、申诉（appeal）——部门；裁定申诉（decide_appeal）——效能监督；确认（confirm）——申请人',
      params: IdParam,
      body: RectificationStep,
      response: { 200: Rectification },
    },
  }, async (request) => evaluation.step(request.principal!, request.ip, request.params.id, request.body));

  app.get('/api/v1/public/evaluations/stats', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: '好差评公开统计：按部门、事项、大厅、月份的满意率与差评整改率（不含任何个人信息）',
      querystring: StatsQuery,
      response: { 200: PublicStats },
    },
  }, async (request, reply) => reply.header('cache-control', 'public, max-age=60').send(await evaluation.publicStats(request.query)));

  app.get('/api/v1/public/evaluations/stats.xlsx', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: '好差评公开统计（Excel 工作簿）',
      querystring: StatsQuery,
      produces: [XLSX_TYPE],
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: XLSX_TYPE }) },
    },
  }, async (request, reply) => {
    const stats = await evaluation.publicStats(request.query);
    const body = await statsWorkbook(stats);
    return reply
      .type(XLSX_TYPE)
      .header('content-disposition', `attachment; filename="tongban-evaluations-${stats.from}-${stats.to}.xlsx"; filename*=UTF-8''${encodeURIComponent(`好差评统计-${stats.from}-${stats.to}.xlsx`)}`)
      .send(body);
  });
}

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** The public statistics as a workbook: one sheet per dimension, the same figures as the API. */
export async function statsWorkbook(stats: PublicStats): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tongban 通办';
  const columns = [
    { header: '评价数', key: 'evaluations', width: 10 },
    { header: '非常满意', key: 'l5', width: 10 },
    { header: '满意', key: 'l4', width: 8 },
    { header: '基本满意', key: 'l3', width: 10 },
    { header: '不满意', key: 'l2', width: 8 },
    { header: '非常不满意', key: 'l1', width: 12 },
    { header: '满意率', key: 'satisfactionRate', width: 10 },
    { header: '差评数', key: 'badReviews', width: 8 },
    { header: '已整改', key: 'rectified', width: 8 },
    { header: '整改率', key: 'rectificationRate', width: 10 },
  ];
  const row = (g: Omit<StatsGroup, 'key' | 'name'>) => ({
    evaluations: g.evaluations, l5: g.byLevel[4], l4: g.byLevel[3], l3: g.byLevel[2], l2: g.byLevel[1], l1: g.byLevel[0],
    satisfactionRate: percent(g.satisfactionRate), badReviews: g.badReviews, rectified: g.rectified, rectificationRate: percent(g.rectificationRate),
  });
  const summary = wb.addWorksheet('总体');
  summary.columns = [{ header: '统计期间', key: 'period', width: 26 }, ...columns];
  summary.addRow({ period: `${stats.from} 至 ${stats.to}`, ...row(stats.totals) });
  for (const [title, header, groups] of [['按部门', '部门', stats.byDepartment], ['按事项', '事项', stats.byItem], ['按大厅', '大厅', stats.byHall], ['按月份', '月份', stats.byMonth]] as const) {
    const sheet = wb.addWorksheet(title);
    sheet.columns = [{ header, key: 'name', width: 36 }, ...columns];
    for (const g of groups) sheet.addRow({ name: g.name, ...row(g) });
  }
  for (const sheet of wb.worksheets) sheet.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
