/** The demo city's service quality as a newcomer meets it: ratings, an open rectification, tickets, an FAQ; seeding again adds nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { demoItem } from '../../../test/case-fixtures.js';
import { seedDemoQuality } from './quality.js';

let platform: TestPlatform;
let person: Session;
let deptAdmin: Session;
let supervisor: Session;
let enterprise: Session;

beforeAll(async () => {
  platform = await createTestPlatform();
  ({ person, deptAdmin, supervisor, enterprise } = await loginAll(platform.app, ['person', 'deptAdmin', 'supervisor', 'enterprise']));
});
afterAll(() => platform.close());

const get = async <T>(session: Session | null, url: string): Promise<T> => {
  const res = await as(platform.app, session, { method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as T;
};

describe('the demo service quality', () => {
  it('has 张三\'s ratings, one of them a bad review with an open rectification in the market bureau\'s queue', async () => {
    const mine = (await get<{ items: Array<{ level: number; subjectKind: string; rectificationId: string | null }> }>(person, '/api/v1/evaluations/mine')).items;
    expect(mine.map((e) => `${e.subjectKind}:${e.level}`).sort()).toEqual(['case:2', 'case:5', 'hall_visit:4']);
    const queue = (await get<{ items: Array<{ status: string; subjectRef: string }> }>(deptAdmin, '/api/v1/rectifications?status=open')).items;
    expect(queue).toHaveLength(1);
    expect((await get<{ items: unknown[] }>(person, '/api/v1/rectifications')).items).toHaveLength(1);
  });

  it('has tickets: an FAQ on the shop registration guide, an open complaint, two 12345 work orders', async () => {
    const item = await demoItem(platform, '个体工商户设立登记');
    const faq = await get<{ items: Array<{ question: string }> }>(null, `/api/v1/items/${item.implementationCode}/faq`);
    expect(faq.items).toEqual([expect.objectContaining({ question: '个体工商户可以用住宅登记经营场所吗？' })]);
    const queue = (await get<{ items: Array<{ kind: string; source: string; status: string }> }>(deptAdmin, '/api/v1/tickets')).items;
    expect(queue.map((t) => `${t.kind}:${t.source}:${t.status}`).sort()).toEqual(['complaint:portal:open', 'consultation:hotline:open', 'consultation:portal:answered', 'praise:hotline:open']);
    expect((await get<{ items: unknown[] }>(enterprise, '/api/v1/tickets')).items).toHaveLength(1);
    expect((await get<{ items: unknown[] }>(supervisor, '/api/v1/tickets')).items.length).toBeGreaterThanOrEqual(4);
  });

  it('shows in the public statistics, and is not seeded twice', async () => {
    const stats = await get<{ totals: { evaluations: number; badReviews: number } }>(null, '/api/v1/public/evaluations/stats');
    expect(stats.totals).toMatchObject({ evaluations: 3, badReviews: 1 });
    expect(await seedDemoQuality(platform.services)).toBe(false);
    expect((await get<{ totals: { evaluations: number } }>(null, '/api/v1/public/evaluations/stats')).totals.evaluations).toBe(3);
  });
});
