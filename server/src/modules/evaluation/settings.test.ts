import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, errorFields, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { ITEMS, actAndExpect, submitCase } from '../../../test/case-fixtures.js';
import { ConfigError, loadConfig } from '../../platform/config/config.js';
import { todayInShanghai } from '../../platform/time.js';
import { DEMO_PERSON } from '../demo/seed.js';
import { EvaluationService } from './service.js';

let platform: TestPlatform;
let person: Session;
let clerk: Session;
let deptAdmin: Session;
let supervisor: Session;
let admin: Session;

beforeAll(async () => {
  platform = await createTestPlatform();
  ({ person, clerk, deptAdmin, supervisor, admin } = await loginAll(platform.app, ['person', 'clerk', 'deptAdmin', 'supervisor', 'admin']));
});
afterAll(() => platform.close());

const URL = '/api/v1/admin/quality-settings';
const put = (session: Session | null, payload: object, headers: Record<string, string> = {}) => as(platform.app, session, { method: 'PUT', url: URL, payload, headers });
const DEFAULTS = { ratingPeriodDays: 15, rectificationWorkdays: 5, confirmationDays: 15, ticketDeadlines: { consultation: 1, complaint: 5, suggestion: 10, praise: 10 } };

describe('quality settings from the environment', () => {
  it('defaults to 15 days, 5 working days and the ticket deadlines, and reads QUALITY_* within bounds', () => {
    const url = 'postgres://u:p@h/db';
    expect(loadConfig({ DATABASE_URL: url }).quality).toEqual(DEFAULTS);
    const set = loadConfig({ DATABASE_URL: url, QUALITY_RATING_PERIOD_DAYS: '30', QUALITY_RECTIFICATION_WORKDAYS: '3', QUALITY_CONFIRMATION_DAYS: '7', QUALITY_CONSULTATION_WORKDAYS: '2', QUALITY_COMPLAINT_WORKDAYS: '4' }).quality;
    expect(set).toEqual({ ratingPeriodDays: 30, rectificationWorkdays: 3, confirmationDays: 7, ticketDeadlines: { consultation: 2, complaint: 4, suggestion: 10, praise: 10 } });
    for (const [variable, value] of [['QUALITY_RATING_PERIOD_DAYS', '0'], ['QUALITY_RATING_PERIOD_DAYS', '91'], ['QUALITY_COMPLAINT_WORKDAYS', 'five'], ['QUALITY_PRAISE_WORKDAYS', '1.5']] as const) {
      const error = (() => {
        try {
          loadConfig({ DATABASE_URL: url, [variable]: value });
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error, `${variable}=${value}`).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
    }
  });
});

describe('the administrator overrides them at run time', () => {
  it('shows the values in force and the defaults to the system administrator only', async () => {
    const res = await as(platform.app, admin, { method: 'GET', url: URL });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ...DEFAULTS, defaults: DEFAULTS, overridden: [], updatedAt: null });
    for (const session of [person, clerk, deptAdmin, supervisor]) expect((await as(platform.app, session, { method: 'GET', url: URL })).statusCode).toBe(403);
    expect((await platform.app.inject({ method: 'GET', url: URL })).statusCode).toBe(401);
  });

  it('lets nobody else change them, and leaves no trace when they try', async () => {
    for (const session of [person, clerk, deptAdmin, supervisor]) expect((await put(session, { ratingPeriodDays: 1 })).statusCode).toBe(403);
    expect((await put(null, { ratingPeriodDays: 1 })).statusCode).toBe(401);
    expect(await platform.database.db.selectFrom('quality_settings').selectAll().execute()).toEqual([]);
  });

  it('refuses values out of bounds, non-integers, unknown keys and an empty change, naming the field', async () => {
    expect(errorFields(await put(admin, { ratingPeriodDays: 0 }))).toEqual(['ratingPeriodDays:out_of_range']);
    expect(errorFields(await put(admin, { ratingPeriodDays: 91, rectificationWorkdays: 31 }))).toEqual(['ratingPeriodDays:out_of_range', 'rectificationWorkdays:out_of_range']);
    expect(errorFields(await put(admin, { ticketDeadlines: { complaint: 2.5 } }))).toEqual(['ticketDeadlines.complaint:invalid_type']);
    expect(errorFields(await put(admin, { ticketDeadlines: { complaint: 61 } }))).toEqual(['ticketDeadlines.complaint:out_of_range']);
    expect(errorFields(await put(admin, { reset: ['ratingPeriod'] }))[0]).toMatch(/^reset\[0\]:/);
    expect((await put(admin, {})).statusCode).toBe(400);
    // a misspelt key is not silently ignored
    expect(errorFields(await put(admin, { ratingPeriod: 20 }))).toEqual(['ratingPeriod:invalid_value']);
    expect(errorFields(await put(admin, { ticketDeadlines: { complain: 2 } }))).toEqual(['ticketDeadlines.complain:invalid_value']);
    expect((await put(admin, { reset: [] })).statusCode).toBe(400);
    const en = await put(admin, { confirmationDays: -1 }, { 'accept-language': 'en' });
    expect(en.statusCode).toBe(400);
    expect((en.json() as { errors: Array<{ field: string; message: string }> }).errors[0]).toMatchObject({ field: 'confirmationDays', message: expect.stringMatching(/range/i) });
    expect(await platform.database.db.selectFrom('quality_settings').selectAll().execute()).toEqual([]);
  });

  it('applies a change at once to new tickets and ratings, audits it with from and to, and resets to the default', async () => {
    const res = await put(admin, { ratingPeriodDays: 3, ticketDeadlines: { complaint: 2 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ratingPeriodDays: 3, ticketDeadlines: { complaint: 2, consultation: 1 }, defaults: DEFAULTS, overridden: ['ratingPeriodDays', 'ticketDeadlines.complaint'], updatedAt: expect.any(String) });
    const audit = await platform.database.db.selectFrom('audit_log').select(['actor_id', 'detail']).where('action', '=', 'evaluation.settings.updated').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: admin.user.id, detail: { changes: { ratingPeriodDays: { from: 15, to: 3 }, 'ticketDeadlines.complaint': { from: 5, to: 2 } } } });

    // a complaint opened now is due in two working days
    const departmentId = clerk.user.departmentId!;
    const complaint = await as(platform.app, person, { method: 'POST', url: '/api/v1/tickets', payload: { kind: 'complaint', title: '等候太久', body: '取号后等候两小时。', departmentId } });
    expect(complaint.statusCode, complaint.body).toBe(201);
    expect(complaint.json()).toMatchObject({ deadline: await platform.services.calendar.deadline(todayInShanghai(), 2) });

    // a case completed now can be rated for three days, not fifteen
    const { caseNumber } = await submitCase(platform, person, ITEMS.criminalRecord);
    await actAndExpect(platform, clerk, caseNumber, { action: 'not_accept', reason: '不属于本机关受理范围，请向户籍所在地派出所申请。', legalBasis: '《中华人民共和国行政许可法》第三十二条第一款第（二）项' } as never);
    const state = (await as(platform.app, person, { method: 'GET', url: `/api/v1/cases/${caseNumber}/evaluations` })).json() as { periodEndsAt: string };
    const { cases, calendar, org, tickets, catalogQuery, evaluation } = platform.services;
    const closedAt = new Date(new Date(state.periodEndsAt).getTime() - 3 * 86_400_000);
    const later = new EvaluationService(platform.database.db, { cases, catalog: catalogQuery, calendar, org, tickets, settings: evaluation.settings }, { now: () => new Date(closedAt.getTime() + 4 * 86_400_000) });
    const applicant = { kind: 'applicant' as const, userId: person.user.id, applicantKind: 'natural' as const, name: DEMO_PERSON.name };
    await expect(later.rate(applicant, null, { kind: 'case', caseNumber }, { level: 5, channel: 'pc' })).rejects.toMatchObject({ code: 'evaluation_period_over', params: { days: 3 } });

    const reset = await put(admin, { reset: ['ratingPeriodDays', 'ticketDeadlines.complaint'] });
    expect(reset.json()).toMatchObject({ ...DEFAULTS, overridden: [] });
    const audits = await platform.database.db.selectFrom('audit_log').select('detail').where('action', '=', 'evaluation.settings.updated').orderBy('id').execute();
    expect(audits[1]).toMatchObject({ detail: { changes: { ratingPeriodDays: { from: 3, to: 15 } }, reset: ['ratingPeriodDays', 'ticketDeadlines.complaint'] } });
  });
});
