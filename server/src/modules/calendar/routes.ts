import { Type } from 'typebox';
import type { App } from '../../platform/http/types.js';
import { ListOf, Ok } from '../../platform/http/types.js';
import { actorOf } from '../../platform/http/request-context.js';
import type { CalendarService } from './service.js';
import { DateParam, Day, DayCorrection, Deadline, DeadlineQuery, YearBody, YearInput, YearParam, YearSummary } from './schemas.js';

const tags = ['calendar'];
const admin = { roles: ['system_admin'] } as const;

export async function calendarRoutes(app: App, { calendar }: { calendar: CalendarService }): Promise<void> {
  app.get('/api/v1/calendar/days/:date', {
    config: { access: 'public' },
    schema: { tags, summary: '某日是否为工作日', params: DateParam, response: { 200: Day } },
  }, async (request) => {
    const day = await calendar.day(request.params.date);
    return day.name === null ? { date: day.date, workday: day.workday } : { date: day.date, workday: day.workday, name: day.name };
  });

  app.get('/api/v1/calendar/deadline', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: '按工作日计算期限：from 之后第 N 个工作日（from 当日不计）',
      querystring: DeadlineQuery,
      response: { 200: Deadline },
    },
  }, async (request) => {
    const { from, workdays } = request.query;
    return { from, workdays, deadline: await calendar.deadline(from, workdays) };
  });

  app.get('/api/v1/calendar/years', {
    config: { access: 'public' },
    schema: { tags, summary: '已发布的年度节假日安排', response: { 200: ListOf(YearSummary) } },
  }, async () => ({ items: await calendar.listYears() }));

  app.get('/api/v1/calendar/years/:year', {
    config: { access: 'public' },
    schema: { tags, summary: '导出某年节假日与调休安排（与导入格式相同）', params: YearParam, response: { 200: YearInput } },
  }, async (request) => calendar.exportYear(request.params.year));

  app.put('/api/v1/admin/calendar/years/:year', {
    config: { access: admin },
    schema: { tags, summary: '导入或替换某年节假日安排', params: YearParam, body: YearBody, response: { 200: Ok } },
  }, async (request) => {
    // The path names the year: a `year` left in the body (exports carry one) must not override it.
    await calendar.loadYear(actorOf(request), { ...request.body, year: request.params.year });
    return { ok: true as const };
  });

  app.patch('/api/v1/admin/calendar/days/:date', {
    config: { access: admin },
    schema: { tags, summary: '更正某日（须说明理由）', params: DateParam, body: DayCorrection, response: { 200: Type.Object({ date: Type.String(), workday: Type.Boolean(), name: Type.Union([Type.String(), Type.Null()]) }) } },
  }, async (request) => calendar.correctDay(actorOf(request), request.params.date, request.body));
}
