import { Type } from 'typebox';
import type { App } from '../../platform/http/types.js';
import type { Lang } from '../../platform/http/errors.js';
import { requestLang } from '../../platform/http/problem.js';
import { actorOf, staffOf } from '../../platform/http/request-context.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { indicatorWorkbook, toCsv } from './excel.js';
import {
  AlertPage,
  AlertsQuery,
  CasesQuery,
  Evaluation,
  EvaluationQuery,
  IndicatorReport,
  Monitor,
  OpenDataParam,
  OpenDataQuery,
  OverduePage,
  OverdueQuery,
  PeriodQuery,
  PublicRanking,
  RankingQuery,
  ScopeOnlyQuery,
  SupervisedCasePage,
} from './schemas.js';
import { DEPARTMENT_VIEW_ROLES, SUPERVISION_ROLES, type SupervisionService } from './service.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const supervisors = { roles: SUPERVISION_ROLES } as const;
const departmentView = { roles: DEPARTMENT_VIEW_ROLES } as const;

/** The open data files' column names, in the order of their rows' cells. */
const CSV_HEADERS: Record<'overdue' | 'ranking', Record<Lang, readonly string[]>> = {
  overdue: {
    zh: ['事项编码', '事项名称', '部门', '承诺期限', '超期工作日', '原因'],
    en: ['Item code', 'Item name', 'Department', 'Promised deadline', 'Working days overdue', 'Reason'],
  },
  ranking: {
    zh: ['月份', '排名', '部门', '得分', '办结件数', '按时办结率'],
    en: ['Month', 'Rank', 'Department', 'Score', 'Cases completed', 'On-time completion rate'],
  },
};

export async function supervisionRoutes(app: App, { supervision }: { supervision: SupervisionService }): Promise<void> {
  const tags = ['supervision'];

  // CONTRACT: the seed's indicators for a period and scope. A department admin sees their own department.
  app.get('/api/v1/supervision/indicators', {
    config: { access: departmentView },
    schema: {
      tags,
      summary: '效能监督指标（按部门、区域、事项、期间）',
      description: '期间默认本月；开始晚于结束、超过5年为 400；未知部门或区划为 404；超出本人监督范围为 403。定义见 docs/indicators.md。',
      querystring: PeriodQuery,
      response: { 200: IndicatorReport },
    },
  }, async (request) => supervision.indicators(staffOf(request), request.query));

  app.get('/api/v1/supervision/indicators.xlsx', {
    config: { access: departmentView },
    schema: { tags, summary: '导出效能监督指标（Excel）', querystring: PeriodQuery, produces: [XLSX_TYPE], response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } },
  }, async (request, reply) => {
    const report = await supervision.indicators(staffOf(request), request.query);
    const body = await indicatorWorkbook(report);
    await recordAudit(supervision.database, actorOf(request), { action: 'supervision.indicators.exported', targetType: 'supervision', targetId: `${report.period.from}..${report.period.to}`, detail: report.scope });
    const name = `效能监督指标-${report.period.from}-${report.period.to}.xlsx`;
    return reply.type(XLSX_TYPE).header('content-disposition', `attachment; filename="supervision-${report.period.from}-${report.period.to}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`).send(body);
  });

  app.get('/api/v1/supervision/cases', {
    config: { access: departmentView },
    schema: { tags, summary: '指标下钻：期间内的办件（不含申请人信息）', querystring: CasesQuery, response: { 200: SupervisedCasePage } },
  }, async (request) => supervision.cases(staffOf(request), request.query));

  app.get('/api/v1/supervision/monitor', {
    config: { access: departmentView },
    schema: { tags, summary: '实时监控：在办件的时限状态（绿、黄、红）及最紧迫的办件', querystring: ScopeOnlyQuery, response: { 200: Monitor } },
  }, async (request) => supervision.monitor(staffOf(request), request.query));

  app.get('/api/v1/supervision/alerts', {
    config: { access: departmentView },
    schema: { tags, summary: '预警与异常（最新在前）', querystring: AlertsQuery, response: { 200: AlertPage } },
  }, async (request) => supervision.listAlerts(staffOf(request), request.query, requestLang(request)));

  app.get('/api/v1/supervision/evaluation', {
    config: { access: supervisors },
    schema: { tags, summary: '部门月度考评（指标加权得分）', querystring: EvaluationQuery, response: { 200: Evaluation } },
  }, async (request) => supervision.evaluationFor(staffOf(request), request.query));

  // --- public disclosure -------------------------------------------------------------------------
  const publicTags = ['public'];

  // CONTRACT: overdue cases, no personal data.
  app.get('/api/v1/public/overdue', {
    config: { access: 'public' },
    schema: { tags: publicTags, summary: '超期办件公示（事项、部门、超期工作日、原因；不含个人信息）', querystring: OverdueQuery, response: { 200: OverduePage } },
  }, async (request) => supervision.publicOverdue(request.query, requestLang(request)));

  app.get('/api/v1/public/ranking', {
    config: { access: 'public' },
    schema: { tags: publicTags, summary: '部门月度排名（考评得分）', querystring: RankingQuery, response: { 200: PublicRanking } },
  }, async (request) => supervision.publicRanking(request.query.month));

  app.get('/api/v1/public/open-data/:file', {
    config: { access: 'public' },
    schema: {
      tags: publicTags,
      summary: '开放数据下载：超期办件、部门月度排名（CSV 或 JSON）',
      params: OpenDataParam,
      querystring: OpenDataQuery,
      produces: ['text/csv', 'application/json'],
      response: { 200: Type.Unsafe<string>({ type: 'string' }) },
    },
  }, async (request, reply) => {
    const [dataset, format] = request.params.file.split('.') as ['overdue' | 'ranking', 'csv' | 'json'];
    const lang = request.query.lang ?? requestLang(request);
    let json: unknown;
    let csv: string;
    if (dataset === 'overdue') {
      const rows = await supervision.allPublicOverdue(lang);
      json = { asOf: new Date().toISOString().slice(0, 10), items: rows };
      csv = toCsv(CSV_HEADERS.overdue[lang], rows.map((r) => [r.itemCode, r.itemName, r.departmentName, r.deadline, r.daysOverdue, r.reason]));
    } else {
      const ranking = await supervision.publicRanking(request.query.month);
      json = ranking;
      csv = toCsv(CSV_HEADERS.ranking[lang], ranking.departments.map((d) => [ranking.month, d.rank, d.departmentName, d.score, d.decided, d.onTimeRate === null ? null : Math.round(d.onTimeRate * 1000) / 10]));
    }
    // a shared cache must not hand one language's file to a caller asking for the other
    reply.header('content-disposition', `attachment; filename="${request.params.file}"`).header('cache-control', 'public, max-age=60').header('vary', 'accept-language');
    if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(json));
    return reply.type('text/csv; charset=utf-8').send(csv);
  });
}
