import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../../test/harness.js';
import { DEMO_INTERMEDIARIES, DEMO_ITEMS, DEMO_PROOFS, DEMO_SYNONYMS } from './data.js';
import { seedCatalogDemo } from './seed.js';

/*
 * The demo catalog seeded through the CatalogService on a fresh demo city: everything published,
 * every version publish-ready, and the public read side serving it (search with synonyms, the
 * four ways, the no-visit list, proofs and intermediaries with the items that use them).
 */

let platform: TestPlatform;

beforeAll(async () => {
  platform = await createTestPlatform();
  // The demo city seed runs the catalog seed too; on a city seeded without it, run it here.
  const before = await platform.services.catalog.listAdminItems(null, { limit: 1 });
  if (before.items.length === 0) {
    await seedCatalogDemo(platform.services);
  }
});
afterAll(() => platform?.close());

describe('seedCatalogDemo', () => {
  it('publishes every proof, intermediary and item, and the synonyms', async () => {
    const { catalog } = platform.services;
    const proofs = await catalog.listProofs({ status: 'published' });
    expect(proofs.map((p) => p.code).sort()).toEqual(DEMO_PROOFS.map((p) => p.code).sort());
    const intermediaries = await catalog.listIntermediaries({ status: 'published' });
    expect(intermediaries.map((i) => i.code).sort()).toEqual(DEMO_INTERMEDIARIES.map((i) => i.code).sort());
    expect((await catalog.listSynonyms()).length).toBe(DEMO_SYNONYMS.length);

    const rows = [];
    let cursor: string | undefined;
    do {
      const page = await catalog.listAdminItems(null, { limit: 100, cursor });
      rows.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(rows.length).toBe(DEMO_ITEMS.length);
  });

  it('every published version is publish-ready (no problems)', async () => {
    const { catalog, catalogQuery } = platform.services;
    const all = await catalogQuery.exportJson();
    expect(all.items.length).toBe(DEMO_ITEMS.length);
    for (const item of all.items) {
      const version = await catalog.getVersion(null, item.implementationCode, item.version);
      expect(version.status).toBe('published');
      expect(version.problems, item.content.name).toEqual([]);
    }
  });

  it('the public side finds items by colloquial terms and reports the four ways', async () => {
    const { catalogQuery } = platform.services;
    const names = async (q: string) => (await catalogQuery.listItems({ q, limit: 10 })).items.map((i) => i.name);
    expect(await names('开公司')).toContain('企业设立登记');
    expect(await names('还完房贷')).toContain('不动产抵押权注销登记');
    expect(await names('上户口')).toContain('出生登记');
    expect(await names('老人补贴')).toContain('高龄老人津贴申领');
    const noVisit = await catalogQuery.noVisit({ limit: 100 });
    expect(noVisit.items.length).toBeGreaterThanOrEqual(10);
    const proofs = await catalogQuery.proofs();
    expect(proofs.find((p) => p.code === 'SZZM001')?.items.map((i) => i.name)).toContain('出生登记');
  });
});
