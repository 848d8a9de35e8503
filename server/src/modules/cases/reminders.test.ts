/**
 * Reminders of materials owed under 容缺受理 (reminders.ts): on the due date and once overdue,
 * one of each kind per case, however often and by however many instances the sweep runs, and
 * none once the material is supplied. Each test owes its material by a date of its own, so the
 * sweeps of one test never find another's case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { actAndExpect, demoItem, ITEMS, submitCase, uploadPdf } from '../../../test/case-fixtures.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import { CasesService } from './service.js';

let platform: TestPlatform;
let person: Session;
let clerk: Session;
let admin: Session;
let food: ItemGuide; // `central_kitchen` (中央厨房 …) may be owed

beforeAll(async () => {
  platform = await createTestPlatform();
  ({ person, clerk, admin } = await loginAll(platform.app, ['person', 'clerk', 'admin']));
  food = await demoItem(platform, ITEMS.food);
});
afterAll(() => platform.close());

/** 10:00 in Shanghai on `date`. */
const at = (date: string) => new Date(`${date}T10:00:00+08:00`);

async function owingCase(dueDate: string): Promise<string> {
  const { caseNumber } = await submitCase(platform, person, food);
  await actAndExpect(platform, clerk, caseNumber, { action: 'accept_with_deficiency', owed: [{ materialId: 'central_kitchen', dueDate }] });
  return caseNumber;
}

const remindersOf = (caseNumber: string) =>
  platform.database.db.selectFrom('outbox_events').select(['id', 'payload']).where('type', '=', 'case.owed_reminder').where('aggregate_id', '=', caseNumber).orderBy('id').execute();

const messagesOf = (caseNumber: string) =>
  platform.database.db.selectFrom('messages').select(['user_id', 'title', 'body']).where('case_number', '=', caseNumber).where('title', 'like', '容缺材料%').orderBy('created_at').orderBy('id').execute();

const owedName = () => food.materials.find((m) => m.id === 'central_kitchen')!.name;

describe('owed-material reminders (容缺)', () => {
  it('remind the applicant on the due date, in the app and by text', async () => {
    const caseNumber = await owingCase('2091-03-01');
    await platform.services.cases.sendOwedReminders(at('2091-02-28'));
    expect(await remindersOf(caseNumber)).toEqual([]);

    const round = await platform.services.cases.sendOwedReminders(at('2091-03-01'));
    expect(round.due).toBeGreaterThanOrEqual(1);
    const [event] = await remindersOf(caseNumber);
    expect(event!.payload).toMatchObject({ caseNumber, kind: 'due', dueDate: '2091-03-01', materials: [owedName()], applicantUserId: person.user.id });

    await platform.services.events.dispatchPending();
    expect(await messagesOf(caseNumber)).toEqual([
      { user_id: person.user.id, title: '容缺材料今日到期', body: expect.stringContaining(`${caseNumber}（${ITEMS.food}）容缺受理时承诺补交的材料（${owedName()}）今日（2091-03-01）到期`) },
    ]);
    const texts = await platform.database.db.selectFrom('deliveries').select(['channel', 'payload']).where('event_id', '=', event!.id).execute();
    expect(texts).toEqual([{ channel: 'sms', payload: { text: expect.stringMatching(/^【通办】您的办件 .*今日（2091-03-01）到期/) } }]);
  });

  it('remind once more when the material is overdue, and then never again', async () => {
    const caseNumber = await owingCase('2091-04-01');
    await platform.services.cases.sendOwedReminders(at('2091-04-01'));
    await platform.services.cases.sendOwedReminders(at('2091-04-02'));
    await platform.services.cases.sendOwedReminders(at('2091-04-09'));
    const reminders = await remindersOf(caseNumber);
    expect(reminders.map((r) => r.payload)).toEqual([
      expect.objectContaining({ kind: 'due', dueDate: '2091-04-01' }),
      expect.objectContaining({ kind: 'overdue', dueDate: '2091-04-01' }),
    ]);
    await platform.services.events.dispatchPending();
    const messages = await messagesOf(caseNumber);
    expect(messages.map((m) => m.title)).toEqual(['容缺材料今日到期', '容缺材料已逾期']);
    expect(messages[1]!.body).toContain('已于 2091-04-01 到期，至今未补交');
  });

  it('a case first found after its due date gets the overdue reminder only', async () => {
    const caseNumber = await owingCase('2091-05-01');
    await platform.services.cases.sendOwedReminders(at('2091-05-03'));
    expect((await remindersOf(caseNumber)).map((r) => (r.payload as { kind: string }).kind)).toEqual(['overdue']);
  });

  it('are not sent twice by repeated sweeps on the same day', async () => {
    const caseNumber = await owingCase('2091-06-01');
    for (let i = 0; i < 3; i++) await platform.services.cases.sendOwedReminders(at('2091-06-01'));
    expect(await remindersOf(caseNumber)).toHaveLength(1);
  });

  it('two instances sweeping at once send each reminder once', async () => {
    const cases = [await owingCase('2091-07-01'), await owingCase('2091-07-01'), await owingCase('2091-07-01')];
    const { calendar, catalogQuery, org, identity, files } = platform.services;
    const other = new CasesService(platform.database.db, { calendar, catalogQuery, org, identity, files });
    const rounds = await Promise.all([platform.services.cases.sendOwedReminders(at('2091-07-01')), other.sendOwedReminders(at('2091-07-01'))]);
    expect(rounds[0]!.due + rounds[1]!.due).toBe(3);
    for (const caseNumber of cases) expect(await remindersOf(caseNumber)).toHaveLength(1);
    // small batches: the sweep takes the rest on the next one, and still each once
    const more = [await owingCase('2091-07-02'), await owingCase('2091-07-02')];
    const small = await Promise.all([platform.services.cases.sendOwedReminders(at('2091-07-02'), 1), other.sendOwedReminders(at('2091-07-02'), 1)]);
    expect(small.some((r) => r.more)).toBe(true);
    await platform.services.cases.sendOwedReminders(at('2091-07-02'), 1);
    for (const caseNumber of more) expect(await remindersOf(caseNumber)).toHaveLength(1);
  });

  it('nothing is sent once the material is supplied, nor for a withdrawn case', async () => {
    const supplied = await owingCase('2091-08-01');
    const fileId = await uploadPdf(platform, person, '中央厨房合同.pdf');
    const detail = await actAndExpect(platform, person, supplied, { action: 'supply', materials: [{ materialId: 'central_kitchen', fileId }] });
    expect(detail.status).toBe('accepted');
    const withdrawn = await owingCase('2091-08-01');
    await actAndExpect(platform, person, withdrawn, { action: 'withdraw', comment: '不再申请' });
    await platform.services.cases.sendOwedReminders(at('2091-08-01'));
    await platform.services.cases.sendOwedReminders(at('2091-08-05'));
    expect(await remindersOf(supplied)).toEqual([]);
    expect(await remindersOf(withdrawn)).toEqual([]);
  });

  it('reach channel systems subscribed to them, without the applicant\'s contact details', async () => {
    const client = (await as(platform.app, admin, { method: 'POST', url: '/api/v1/admin/api-clients', payload: { name: '掌上通办 App', scopes: ['cases:read'] } })).json() as { client: { id: string } };
    const res = await as(platform.app, admin, { method: 'POST', url: '/api/v1/admin/webhooks', payload: { clientId: client.client.id, url: 'https://app.example.cn/hooks', eventTypes: ['case.owed_reminder'] } });
    expect(res.statusCode, res.body).toBe(201);
    const caseNumber = await owingCase('2091-09-01');
    await platform.services.cases.sendOwedReminders(at('2091-09-01'));
    await platform.services.events.dispatchPending();
    const [event] = await remindersOf(caseNumber);
    const hooks = await platform.database.db.selectFrom('deliveries').select('payload').where('event_id', '=', event!.id).where('channel', '=', 'webhook').execute();
    expect(hooks).toHaveLength(1);
    const body = hooks[0]!.payload as unknown as { type: string; data: Record<string, unknown> };
    expect(body.type).toBe('case.owed_reminder');
    expect(body.data).toMatchObject({ caseNumber, kind: 'due', dueDate: '2091-09-01' });
    expect(body.data).not.toHaveProperty('applicantPhone');
    expect(body.data).not.toHaveProperty('applicantUserId');
  });
});
