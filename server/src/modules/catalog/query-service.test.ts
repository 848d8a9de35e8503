import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { CatalogQueryService } from './query-service.js';
import { addVersion, createFixtureOrg, insertItems, sampleContent, setVersionStatus, type FixtureOrg } from './test-fixtures.js';

/*
 * Two CatalogQueryService instances over one database stand for two processes. Their clock is
 * injected: a change made elsewhere (straight into the tables, revision bumped) reaches an
 * instance once a second has passed since it last looked, and a version scheduled for a date
 * becomes current when that date begins in Asia/Shanghai, with no revision change.
 */

let platform: TestPlatform;
let org: FixtureOrg;
let clock: number;
const now = () => clock;
/** 2026-06-01 10:00 in Asia/Shanghai. */
const START = Date.parse('2026-06-01T02:00:00Z');

let a: CatalogQueryService;
let b: CatalogQueryService;

const names = async (service: CatalogQueryService, q?: string) => (await service.listItems({ limit: 100, ...(q ? { q } : {}) })).items.map((i) => i.name);

let serial = 0;
async function publish(name: string) {
  serial += 1;
  const [row] = await insertItems(platform.database.db, [
    { department: org.departments.market, basicCode: `0009${String(serial).padStart(8, '0')}`, versions: [{ content: sampleContent({ name }) }] },
  ]);
  return row!.implementationCode;
}

beforeAll(async () => {
  platform = await createTestPlatform({ demo: false, calendar: false });
  org = await createFixtureOrg(platform.services.org);
  await publish('企业设立登记');
  clock = START;
  a = new CatalogQueryService(platform.database.db, platform.services.org, now);
  b = new CatalogQueryService(platform.database.db, platform.services.org, now);
});
afterAll(() => platform.close());

describe('CatalogQueryService across instances', () => {
  it('sees a change made elsewhere within a second, not before', async () => {
    expect(await names(a)).toEqual(['企业设立登记']);
    expect(await names(b)).toEqual(['企业设立登记']);
    await publish('食品经营许可');
    clock += 999;
    expect(await names(a)).toEqual(['企业设立登记']);
    expect(await names(b, '食品')).toEqual([]);
    clock += 1;
    expect(await names(a)).toEqual(['企业设立登记', '食品经营许可']);
    expect(await names(b, '食品')).toEqual(['食品经营许可']);
  });

  it('sees its own change at once after invalidate(), while the other instance waits for its second', async () => {
    await publish('食品生产许可');
    a.invalidate();
    expect(await names(a, '食品')).toEqual(['食品经营许可', '食品生产许可']);
    expect(await names(b, '食品')).toEqual(['食品经营许可']);
    clock += 1000;
    expect(await names(b, '食品')).toEqual(['食品经营许可', '食品生产许可']);
  });

  it('keeps its snapshot when the revision has not moved, and shares one rebuild among concurrent callers', async () => {
    clock += 5000;
    const before = await a.current();
    clock += 5000;
    expect(await a.current()).toBe(before);
    await publish('小餐饮经营许可');
    clock += 1000;
    const snapshots = await Promise.all(Array.from({ length: 10 }, () => a.current()));
    expect(new Set(snapshots).size).toBe(1);
    expect(snapshots[0]).not.toBe(before);
    expect(snapshots[0]!.records.map((r) => r.name)).toContain('小餐饮经营许可');
  });

  it('accepts a search cursor from an instance that already serves a newer revision', async () => {
    clock += 1000;
    await a.current();
    await b.current();
    await publish('食品小作坊登记');
    b.invalidate(); // b wrote, a has not looked yet
    const first = await b.listItems({ q: '食品', limit: 1 });
    expect(first.nextCursor).not.toBeNull();
    // a catches up before judging the cursor, instead of refusing it
    const second = await a.listItems({ q: '食品', limit: 10, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((i) => i.name)).toEqual(await names(b, '食品'));
  });

  it('makes a scheduled version current when its date begins in Asia/Shanghai, without a revision change', async () => {
    const code = await publish('建设工程规划许可证核发');
    await addVersion(platform.database.db, code, { content: sampleContent({ name: '建设工程规划许可证核发（2026 版）' }), effectiveFrom: '2026-06-02' });
    clock = Date.parse('2026-06-01T15:59:58Z'); // 23:59:58 on 1 June in Shanghai
    a.invalidate();
    expect(await a.guide(code)).toMatchObject({ version: 1, upcoming: { version: 2, effectiveFrom: '2026-06-02' } });
    const revision = (await a.current()).revision;
    clock = Date.parse('2026-06-01T16:00:00Z'); // midnight, 2 June in Shanghai (and still 1 June in UTC)
    expect(await a.guide(code)).toMatchObject({ version: 2, current: true, name: '建设工程规划许可证核发（2026 版）', upcoming: null });
    expect((await a.current()).revision).toBe(revision);
    expect((await a.current()).today).toBe('2026-06-02');
    expect(await names(a, '规划许可')).toEqual(['建设工程规划许可证核发（2026 版）']);
  });

  it('does not serve a guide withdrawn since its snapshot was built', async () => {
    clock += 1000;
    const code = await publish('临时占用道路许可');
    a.invalidate();
    expect((await a.current()).byCode.has(code)).toBe(true);
    await setVersionStatus(platform.database.db, code, 1, 'withdrawn');
    expect((await a.current()).byCode.has(code)).toBe(true); // no second has passed: the snapshot still lists it
    await expect(a.guide(code)).rejects.toMatchObject({ code: 'item_not_found' });
    expect((await a.current()).byCode.has(code)).toBe(false);
  });

  it('reports the index size', async () => {
    const stats = await a.stats();
    expect(stats.items).toBe(6);
    expect(stats.index.documents).toBe(6);
    expect(stats.buildMs).toBeGreaterThan(0);
  });
});
