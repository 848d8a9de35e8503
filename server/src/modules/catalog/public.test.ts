import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { demoIdNumber } from '../demo/seed.js';
import type { ItemContent, ItemSummary } from './schemas.js';
import type { FourWaysReport, ItemGuide } from './public-schemas.js';
import {
  addVersion,
  bumpRevision,
  createFixtureOrg,
  insertIntermediary,
  insertItems,
  insertProof,
  replaceSynonyms,
  sampleContent,
  setVersionStatus,
  type FixtureItem,
  type FixtureOrg,
} from './test-fixtures.js';

/*
 * The public side against a small fixed catalog written straight into the tables. Fourteen items
 * are current; the four-ways numbers below are worked out by hand from the table in `catalog()`.
 */

let platform: TestPlatform;
let org: FixtureOrg;
/** Implementation code by item name (the name of its first version). */
const code: Record<string, string> = {};
let proofs: { health: string; household: string; draft: string };
let intermediaries: { testing: string; draft: string };

const FUTURE = '2099-01-01';

type Flags = [immediate: boolean, online: boolean, nearby: boolean, oneVisit: boolean];

function item(
  department: keyof FixtureOrg['departments'],
  level: number,
  basicCode: string,
  content: Partial<ItemContent> & { name: string },
  flags: Flags,
  visitsRequired: number,
): FixtureItem {
  const [immediate, online, nearby, oneVisit] = flags;
  const c = sampleContent({ ...content, handling: { immediate, online, nearby, oneVisit }, visitsRequired });
  return { department: org.departments[department], exerciseLevel: level, basicCode, versions: [{ content: c }] };
}

function catalog(): FixtureItem[] {
  const civic = org.halls.civic;
  const nanshanHall = org.halls.nanshan;
  const material = (id: string, name: string, proofId?: string) => ({ id, name, source: 'applicant' as const, requirement: 'required' as const, paperCopies: 1, originals: 0, ...(proofId ? { proofId } : {}) });
  const items: FixtureItem[] = [
    //   dept       level basic code       content                                                         [imm,   online, nearby, oneVisit] visits
    item('market', 3, '000101001000', {
      name: '企业设立登记', type: '01', serviceObjects: ['2'], themes: ['business_opening'], keywords: ['开办企业', '公司注册'],
      handlingItems: [{ name: '有限责任公司设立登记', kind: 'new' }], materials: [material('charter', '公司章程'), material('id', '法定代表人身份证明')],
    }, [false, true, true, true], 0),
    item('market', 3, '000101002000', { name: '营业执照遗失补领', type: '07', serviceObjects: ['2'], themes: ['business_change'] }, [false, true, false, true], 1),
    // 食品经营许可 gets a second version below: v1 superseded, v2 current
    item('market', 3, '000101004000', { name: '食品生产许可', type: '01', serviceObjects: ['2'], intermediaryServiceIds: [intermediaries.testing], materials: [material('report', '食品检验报告')] }, [false, true, false, false], 2),
    item('futian', 4, '000102001000', {
      name: '小餐饮经营许可', type: '01', serviceObjects: ['1', '2'], handlingForms: ['1'], keywords: ['餐饮', '小吃店'], hallIds: [civic],
      materials: [material('application', '小餐饮经营许可申请表'), material('health', '食品从业人员健康证明', proofs.health)],
    }, [false, false, true, true], 1),
    item('health', 3, '000103001000', {
      name: '生育登记', type: '20', serviceObjects: ['1'], handlingForms: ['1', '2', '3'], themes: ['birth'], keywords: ['生育服务登记'], hallIds: [civic, nanshanHall],
    }, [true, true, true, true], 0),
    item('health', 3, '000103002000', { name: '出生医学证明签发', type: '07', serviceObjects: ['1'], handlingForms: ['1'], themes: ['birth'] }, [false, false, true, true], 1),
    item('health', 3, '000103003000', { name: '医疗机构执业登记', type: '01', serviceObjects: ['2', '3'], themes: ['medical'] }, [false, true, false, true], 1),
    item('futian', 4, '000104001000', { name: '居民身份证申领', type: '20', serviceObjects: ['1'], handlingForms: ['1'], themes: ['residence'], keywords: ['身份证'], hallIds: [civic] }, [false, false, true, true], 1),
    item('nanshan', 4, '000104002000', {
      name: '婚姻登记', type: '07', serviceObjects: ['1'], handlingForms: ['1'], themes: ['marriage'], hallIds: [nanshanHall],
      materials: [material('household', '户籍证明', proofs.household)],
    }, [true, false, false, true], 1),
    item('futian', 4, '000101005000', { name: '个体工商户注册登记', type: '01', serviceObjects: ['1'], themes: ['business_opening'], keywords: ['营业执照'], hallIds: [civic] }, [false, true, true, true], 0),
    item('nanshan', 4, '000105001000', { name: '违法建设行政处罚', type: '02', serviceObjects: ['1', '2'], handlingForms: ['1'] }, [false, false, false, false], 2),
    item('futian', 5, '000104003000', { name: '居住证签注', type: '20', serviceObjects: ['1'], handlingForms: ['1', '3'], themes: ['residence'] }, [true, false, true, true], 1),
    // 建设工程规划许可证核发 gets a second version effective in 2099 below
    item('nanshan', 4, '000106001000', { name: '建设工程规划许可证核发', type: '01', serviceObjects: ['2'], themes: ['construction'] }, [false, true, false, true], 1),
  ];
  // 食品经营许可: v1 superseded by v2
  const food = (name: string) => sampleContent({
    name, type: '01', serviceObjects: ['1', '2'], themes: ['business_opening'], hallIds: [civic],
    subItems: [{ name: '食品经营许可（新办）' }, { name: '食品经营许可（变更）' }], materials: [material('rules', '食品安全管理制度')],
    handling: { immediate: false, online: true, nearby: true, oneVisit: true }, visitsRequired: 1,
  });
  items.push({ department: org.departments.market, basicCode: '000101003000', versions: [{ content: food('食品经营许可证核发'), status: 'superseded', effectiveFrom: '2019-01-01' }, { content: food('食品经营许可') }] });
  // 临时占用道路许可: v1 superseded, v2 withdrawn: gone from the list
  const road = sampleContent({ name: '临时占用道路许可', serviceObjects: ['1', '2'] });
  items.push({ department: org.departments.nanshan, exerciseLevel: 4, basicCode: '000106002000', versions: [{ content: road, status: 'superseded', effectiveFrom: '2019-01-01' }, { content: road, status: 'withdrawn' }] });
  // published, but only from 2099
  items.push({ department: org.departments.market, basicCode: '000107001000', versions: [{ content: sampleContent({ name: '新能源汽车充电设施备案' }), effectiveFrom: FUTURE }] });
  // never published
  items.push({ department: org.departments.market, basicCode: '000107002000', versions: [{ content: sampleContent({ name: '草稿中的事项' }), status: 'draft' }] });
  return items;
}

const CURRENT = [
  '企业设立登记', '营业执照遗失补领', '食品经营许可', '食品生产许可', '小餐饮经营许可', '生育登记', '出生医学证明签发',
  '医疗机构执业登记', '居民身份证申领', '婚姻登记', '个体工商户注册登记', '违法建设行政处罚', '居住证签注', '建设工程规划许可证核发',
];

beforeAll(async () => {
  platform = await createTestPlatform({ demo: false, calendar: false });
  org = await createFixtureOrg(platform.services.org);
  const db = platform.database.db;
  proofs = {
    health: await insertProof(db, { code: 'P-HEALTH', name: '食品从业人员健康证明' }),
    household: await insertProof(db, { code: 'P-HOUSEHOLD', name: '户籍证明', status: 'withdrawn' }),
    draft: await insertProof(db, { code: 'P-DRAFT', name: '无犯罪记录证明', status: 'draft' }),
  };
  intermediaries = {
    testing: await insertIntermediary(db, { code: 'I-TESTING', name: '食品检验检测服务', feeStandard: '按检测项目收费，市场调节价' }),
    draft: await insertIntermediary(db, { code: 'I-DRAFT', name: '建设工程规划设计服务', status: 'draft' }),
  };
  const items = catalog();
  const inserted = await insertItems(db, items);
  inserted.forEach((row, i) => (code[items[i]!.versions[items[i]!.versions.length - 1]!.content.name] = row.implementationCode));
  await addVersion(db, code['建设工程规划许可证核发']!, {
    content: sampleContent({ name: '建设工程规划许可证核发（含变更）', type: '01', serviceObjects: ['2'], themes: ['construction'], handling: { immediate: false, online: false, nearby: false, oneVisit: true } }),
    effectiveFrom: FUTURE,
  });
  await replaceSynonyms(db, [
    { term: '开公司', expansions: ['企业设立登记', '营业执照'] },
    { term: '生孩子', expansions: ['生育登记', '出生医学证明'] },
    { term: '办营业执照', expansions: ['营业执照'] },
  ]);
  platform.services.catalogQuery.invalidate();
});
afterAll(() => platform.close());

const get = (url: string, headers: Record<string, string> = {}) => platform.app.inject({ method: 'GET', url, headers });

async function ok<T>(url: string): Promise<T> {
  const res = await get(url);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json() as T;
}

interface Page {
  items: ItemSummary[];
  nextCursor: string | null;
}

const names = async (query: string) => (await ok<Page>(`/api/v1/items?limit=100&${query}`)).items.map((i) => i.name);
const q = (text: string) => `q=${encodeURIComponent(text)}`;

async function problem(url: string, status: number, headers: Record<string, string> = {}) {
  const res = await get(url, headers);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json() as { code: string; detail: string; errors?: Array<{ field: string; code: string; message: string }> };
}

/** Every page of a listing, following nextCursor. */
async function allPages(query: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const page: Page = await ok<Page>(`/api/v1/items?limit=${limit}&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items.map((i) => i.name));
    cursor = page.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error('paging did not end');
}

describe('GET /api/v1/items without q', () => {
  it('lists exactly the current items: not superseded, withdrawn, future-only or draft ones', async () => {
    const listed = await names('');
    expect([...listed].sort()).toEqual([...CURRENT].sort());
    expect(listed).not.toContain('食品经营许可证核发');
    expect(listed).not.toContain('建设工程规划许可证核发（含变更）');
  });

  it('orders by department name (pinyin), then item name, then code', async () => {
    expect(await names('')).toEqual([
      // 福田区政务服务数据管理局 (fú)
      '个体工商户注册登记', '居民身份证申领', '居住证签注', '小餐饮经营许可',
      // 南山区政务服务数据管理局 (nán): hūn, jiàn, wéi
      '婚姻登记', '建设工程规划许可证核发', '违法建设行政处罚',
      // 深圳市市场监督管理局 (shēn shì shì)
      '企业设立登记', '食品经营许可', '食品生产许可', '营业执照遗失补领',
      // 深圳市卫生健康委员会 (shēn shì wèi)
      '出生医学证明签发', '生育登记', '医疗机构执业登记',
    ]);
  });

  it('answers the contract\'s item shape, and nothing more', async () => {
    const page = await ok<Page>('/api/v1/items?limit=1');
    expect(page.items[0]).toEqual({
      implementationCode: code['个体工商户注册登记'],
      basicCode: '000101005000',
      name: '个体工商户注册登记',
      type: '01',
      departmentId: org.departments.futian.id,
      departmentName: '福田区政务服务数据管理局',
      handling: { immediate: false, online: true, nearby: true, oneVisit: true },
      legalDays: 20,
      promisedDays: 5,
    });
    expect(code['个体工商户注册登记']).toBe(`${org.departments.futian.creditCode}4000101005000`);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('pages with limit and cursor through the same order, default 20, ending with a null cursor', async () => {
    const full = await names('');
    for (const limit of [1, 3, 5, 13, 14]) expect(await allPages('', limit)).toEqual(full);
    const all = await ok<Page>('/api/v1/items');
    expect(all.items).toHaveLength(14);
    expect(all.nextCursor).toBeNull();
  });

  it('combines filters', async () => {
    expect(await names('handling=immediate')).toEqual(['居住证签注', '婚姻登记', '生育登记']);
    expect(await names(`departmentId=${org.departments.health.id}&handling=online`)).toEqual(['生育登记', '医疗机构执业登记']);
    expect(await names('type=07&objectType=1')).toEqual(['婚姻登记', '出生医学证明签发']);
    expect(await names('theme=birth')).toEqual(['出生医学证明签发', '生育登记']);
    expect(await names('regionCode=440304')).toEqual(['个体工商户注册登记', '居民身份证申领', '居住证签注', '小餐饮经营许可']);
    expect(await names('regionCode=440300&objectType=3')).toEqual(['医疗机构执业登记']);
    expect(await names('type=09')).toEqual([]);
    expect(await allPages('objectType=2', 2)).toEqual(await names('objectType=2'));
  });

  it('refuses bad filters with field errors, and an unknown region with 404', async () => {
    for (const [query, field] of [['type=99', 'type'], ['objectType=7', 'objectType'], ['handling=fast', 'handling'], ['theme=moon', 'theme'], ['departmentId=abc', 'departmentId'], ['limit=0', 'limit'], ['limit=101', 'limit'], ['regionCode=44', 'regionCode']]) {
      const body = await problem(`/api/v1/items?${query}`, 400);
      expect(body.code).toBe('validation_failed');
      expect(body.errors!.map((e) => e.field)).toContain(field);
    }
    expect((await problem('/api/v1/items?regionCode=440399', 404)).code).toBe('region_not_found');
  });
});

describe('GET /api/v1/items?q (search)', () => {
  it('resolves colloquial queries through the synonym table', async () => {
    const company = await names(q('开公司'));
    expect(company[0]).toBe('企业设立登记');
    expect(company).toEqual(expect.arrayContaining(['营业执照遗失补领', '个体工商户注册登记']));
    expect(company).not.toContain('婚姻登记');
    expect(await names(q('生孩子'))).toEqual(['生育登记', '出生医学证明签发']);
    expect((await names(q('办营业执照')))[0]).toBe('营业执照遗失补领');
    expect((await names(q('我想开公司怎么办')))[0]).toBe('企业设立登记');
  });

  it('ranks a name match first', async () => {
    expect(await names(q('营业执照'))).toEqual(['营业执照遗失补领', '个体工商户注册登记']);
    expect((await names(q('食品经营许可')))[0]).toBe('食品经营许可');
    expect((await names(q('婚姻登记')))[0]).toBe('婚姻登记');
  });

  it('answers two-character queries: names first, then sub-items and materials', async () => {
    const food = await names(q('食品'));
    expect(food.slice(0, 2).sort()).toEqual(['食品生产许可', '食品经营许可']);
    expect(food).toContain('小餐饮经营许可'); // through its material 食品从业人员健康证明
    expect(food).toHaveLength(3);
    const registration = await names(q('登记'));
    expect([...registration].sort()).toEqual(['个体工商户注册登记', '企业设立登记', '医疗机构执业登记', '婚姻登记', '生育登记'].sort());
    expect(registration.indexOf('婚姻登记')).toBeLessThan(registration.indexOf('个体工商户注册登记')); // shorter name, same phrase
  });

  it('answers a one-character query from names and keywords', async () => {
    expect((await names(q('证'))).sort()).toEqual(['出生医学证明签发', '居住证签注', '居民身份证申领', '建设工程规划许可证核发'].sort());
  });

  it('finds nothing for text the catalog does not hold', async () => {
    expect(await ok<Page>(`/api/v1/items?${q('火星移民')}`)).toEqual({ items: [], nextCursor: null });
  });

  it('treats a q of spaces or punctuation as no q', async () => {
    expect(await names(q('  '))).toEqual(await names(''));
    expect(await names(q('，。'))).toEqual(await names(''));
  });

  it('combines q with filters', async () => {
    expect((await names(`${q('登记')}&objectType=1`)).sort()).toEqual(['个体工商户注册登记', '婚姻登记', '生育登记'].sort());
    expect(await names(`${q('登记')}&theme=birth`)).toEqual(['生育登记']);
    expect((await names(`${q('证')}&regionCode=440304`)).sort()).toEqual(['居住证签注', '居民身份证申领'].sort());
    expect(await names(`${q('开公司')}&departmentId=${org.departments.futian.id}`)).toEqual(['个体工商户注册登记']);
    expect(await names(`${q('食品')}&handling=oneVisit`)).not.toContain('食品生产许可');
  });

  it('pages through relevance order without repeats or gaps', async () => {
    const full = await names(q('登记'));
    for (const limit of [1, 2, 4]) expect(await allPages(q('登记'), limit)).toEqual(full);
  });

  it('refuses a forged cursor, another query\'s cursor and a listing cursor', async () => {
    for (const cursor of ['garbage', Buffer.from('{"r":"x"}').toString('base64url'), Buffer.from('[1,2]').toString('base64url')]) {
      const body = await problem(`/api/v1/items?${q('登记')}&cursor=${cursor}`, 400);
      expect(body.errors).toEqual([{ field: 'cursor', code: 'invalid_cursor', message: '分页游标无效' }]);
    }
    const searchCursor = (await ok<Page>(`/api/v1/items?${q('登记')}&limit=1`)).nextCursor!;
    await problem(`/api/v1/items?${q('证')}&cursor=${searchCursor}`, 400);
    await problem(`/api/v1/items?${q('登记')}&objectType=1&cursor=${searchCursor}`, 400);
    await problem(`/api/v1/items?cursor=${searchCursor}`, 400); // a search cursor is no listing key
    const listCursor = (await ok<Page>('/api/v1/items?limit=1')).nextCursor!;
    await problem(`/api/v1/items?${q('登记')}&cursor=${listCursor}`, 400);
    const en = await problem(`/api/v1/items?${q('登记')}&cursor=garbage`, 400, { 'accept-language': 'en' });
    expect(en.errors![0]!.message).toBe('Invalid page cursor');
  });

  it('refuses a search cursor once the catalog has changed: the client starts again', async () => {
    const first = await ok<Page>(`/api/v1/items?${q('登记')}&limit=2`);
    // same generation: continues
    expect((await ok<Page>(`/api/v1/items?${q('登记')}&limit=2&cursor=${first.nextCursor}`)).items).toHaveLength(2);
    await bumpRevision(platform.database.db);
    platform.services.catalogQuery.invalidate();
    const body = await problem(`/api/v1/items?${q('登记')}&limit=2&cursor=${first.nextCursor}`, 400);
    expect(body.errors![0]!.code).toBe('invalid_cursor');
    // the first page again gives a cursor that works
    const again = await ok<Page>(`/api/v1/items?${q('登记')}&limit=2`);
    expect((await ok<Page>(`/api/v1/items?${q('登记')}&limit=2&cursor=${again.nextCursor}`)).items).toHaveLength(2);
  });
});

describe('guides', () => {
  const guide = (c: string, version?: number) => ok<ItemGuide>(`/api/v1/items/${c}${version ? `/versions/${version}` : ''}`);

  it('gives every catalog element of the current version, with department, halls, proofs and intermediaries resolved', async () => {
    const g = await guide(code['小餐饮经营许可']!);
    const content = sampleContent({ name: 'x' });
    for (const key of Object.keys(content)) expect(g, key).toHaveProperty(key);
    expect(g).toMatchObject({
      implementationCode: code['小餐饮经营许可'],
      basicCode: '000102001000',
      departmentId: org.departments.futian.id,
      departmentName: '福田区政务服务数据管理局',
      exerciseLevel: 4,
      version: 1,
      status: 'published',
      current: true,
      effectiveFrom: '2020-01-01',
      publishedAt: '2020-01-01T01:00:00.000Z',
      withdrawnAt: null,
      upcoming: null,
      name: '小餐饮经营许可',
      keywords: ['餐饮', '小吃店'],
    });
    expect(g.form.ui.order).toEqual(['applicantName']);
    expect(g.form.schema).toMatchObject({ type: 'object', required: ['applicantName'] });
    expect(g.halls).toEqual([expect.objectContaining({ id: org.halls.civic, name: '深圳市民中心行政服务大厅', address: expect.stringContaining('福中三路') })]);
    expect(g.proofs).toEqual([expect.objectContaining({ id: proofs.health, name: '食品从业人员健康证明', issuingUnit: expect.any(String), status: 'published' })]);
    expect(g.intermediaries).toEqual([]);
    expect((await guide(code['食品生产许可']!)).intermediaries).toEqual([
      { id: intermediaries.testing, code: 'I-TESTING', name: '食品检验检测服务', legalBasis: expect.any(String), feeStandard: '按检测项目收费，市场调节价', providerRequirements: expect.any(String), status: 'published' },
    ]);
  });

  it('shows a proof withdrawn from the list after the version was published, marked withdrawn', async () => {
    expect((await guide(code['婚姻登记']!)).proofs).toEqual([expect.objectContaining({ id: proofs.household, status: 'withdrawn' })]);
  });

  it('accepts the code in lower case; refuses a malformed one with 400 and an unknown one with 404', async () => {
    expect((await guide(code['生育登记']!.toLowerCase())).name).toBe('生育登记');
    expect((await problem('/api/v1/items/123', 400)).code).toBe('validation_failed');
    const missing = await problem('/api/v1/items/11440300MB2C91234T4440130001001', 404);
    expect(missing.code).toBe('item_not_found');
    expect(missing.detail).toBe('事项不存在');
    expect((await problem('/api/v1/items/11440300MB2C91234T4440130001001', 404, { 'accept-language': 'en' })).detail).toBe('Service item not found');
  });

  it('serves the current version while a newer one waits for its date, and names the upcoming one', async () => {
    const c = code['建设工程规划许可证核发']!;
    expect(await guide(c)).toMatchObject({ version: 1, current: true, name: '建设工程规划许可证核发', upcoming: { version: 2, effectiveFrom: FUTURE } });
    expect(await guide(c, 2)).toMatchObject({ version: 2, status: 'published', current: false, effectiveFrom: FUTURE, name: '建设工程规划许可证核发（含变更）', handling: { online: false }, upcoming: null });
    expect(await guide(c, 1)).toMatchObject({ version: 1, current: true });
  });

  it('keeps every published version readable by number', async () => {
    const c = code['食品经营许可']!;
    expect(await guide(c)).toMatchObject({ version: 2, status: 'published', current: true, name: '食品经营许可' });
    expect(await guide(c, 1)).toMatchObject({ version: 1, status: 'superseded', current: false, name: '食品经营许可证核发', effectiveFrom: '2019-01-01' });
    expect(await guide(c, 2)).toMatchObject({ version: 2, current: true });
    expect((await problem(`/api/v1/items/${c}/versions/3`, 404)).code).toBe('version_not_found');
  });

  it('answers 404 for an item withdrawn, but keeps its versions readable, the withdrawn one marked', async () => {
    const c = code['临时占用道路许可']!;
    expect((await problem(`/api/v1/items/${c}`, 404)).code).toBe('item_not_found');
    expect(await guide(c, 1)).toMatchObject({ status: 'superseded', current: false });
    const withdrawn = await guide(c, 2);
    expect(withdrawn).toMatchObject({ status: 'withdrawn', current: false });
    expect(withdrawn.withdrawnAt).toEqual(expect.any(String));
  });

  it('answers 404 for an item not yet in force, whose version is readable by number', async () => {
    const c = code['新能源汽车充电设施备案']!;
    expect((await problem(`/api/v1/items/${c}`, 404)).code).toBe('item_not_found');
    expect(await guide(c, 1)).toMatchObject({ status: 'published', current: false, effectiveFrom: FUTURE });
  });

  it('never shows a draft', async () => {
    const c = code['草稿中的事项']!;
    expect((await problem(`/api/v1/items/${c}`, 404)).code).toBe('item_not_found');
    expect((await problem(`/api/v1/items/${c}/versions/1`, 404)).code).toBe('version_not_found');
    expect((await problem('/api/v1/items/11440300MB2C91234T4440130001001/versions/1', 404)).code).toBe('item_not_found');
    expect((await problem(`/api/v1/items/${c}/versions/0`, 400)).code).toBe('validation_failed');
  });
});

describe('GET /api/v1/catalog/four-ways', () => {
  const indicator = (report: FourWaysReport, key: string) => report.indicators.find((i) => i.key === key)!;

  it('counts the four ways and computes the seed\'s ratios for the whole city', async () => {
    const report = await ok<FourWaysReport>('/api/v1/catalog/four-ways?limit=100');
    expect(report.scope).toEqual({ departmentId: null, regionCode: null });
    expect(report.counts).toEqual({ items: 14, immediate: 3, online: 8, nearby: 8, oneVisit: 12, noVisit: 3 });
    expect(report.items.map((i) => i.name)).toEqual(await names(''));
    // 13 application items (违法建设行政处罚 is type 02).
    // immediate: natural-person on-site items at levels 3-5: 食品经营许可, 小餐饮, 生育登记, 出生医学证明,
    //   居民身份证, 婚姻登记, 个体工商户, 居住证签注 = 8; immediate among them: 生育登记, 婚姻登记, 居住证签注
    expect(indicator(report, 'immediate')).toMatchObject({ numerator: 3, denominator: 8, ratio: 3 / 8, targetKind: 'about', target2019: 0.25, target2020: 0.5, met2019: true, met2020: false });
    // online: the 12 application items at levels 3-4 (居住证签注 is level 5); online: 8 of them
    expect(indicator(report, 'online')).toMatchObject({ numerator: 8, denominator: 12, ratio: 8 / 12, targetKind: 'at_least', target2019: 0.9, target2020: 1, met2019: false, met2020: false });
    // nearby: the same 8 on-site natural-person items, any level; all but 婚姻登记
    expect(indicator(report, 'nearby')).toMatchObject({ numerator: 7, denominator: 8, ratio: 7 / 8, met2019: true, met2020: false });
    // one visit: the 12 at levels 3-4; all but 食品生产许可 (2 visits)
    expect(indicator(report, 'oneVisit')).toMatchObject({ numerator: 11, denominator: 12, ratio: 11 / 12, met2019: true, met2020: false });
    expect(indicator(report, 'online').label).toEqual({ zh: '网上办', en: 'Online' });
    expect(indicator(report, 'online').definition.zh).toContain('市、区级');
  });

  it('scopes by region (that region and below) and by department', async () => {
    const futian = await ok<FourWaysReport>('/api/v1/catalog/four-ways?regionCode=440304');
    expect(futian.counts).toEqual({ items: 4, immediate: 1, online: 1, nearby: 4, oneVisit: 4, noVisit: 1 });
    expect(indicator(futian, 'immediate')).toMatchObject({ numerator: 1, denominator: 4, ratio: 0.25, met2019: true, met2020: false });
    expect(indicator(futian, 'online')).toMatchObject({ numerator: 1, denominator: 3 });
    expect(indicator(futian, 'nearby')).toMatchObject({ numerator: 4, denominator: 4, ratio: 1, met2020: true });
    expect(indicator(futian, 'oneVisit')).toMatchObject({ numerator: 3, denominator: 3, ratio: 1 });

    const health = await ok<FourWaysReport>(`/api/v1/catalog/four-ways?departmentId=${org.departments.health.id}`);
    expect(health.scope).toEqual({ departmentId: org.departments.health.id, regionCode: null });
    expect(health.items.map((i) => i.name)).toEqual(['出生医学证明签发', '生育登记', '医疗机构执业登记']);
    expect(indicator(health, 'immediate')).toMatchObject({ numerator: 1, denominator: 2, ratio: 0.5, met2020: true });

    const city = await ok<FourWaysReport>('/api/v1/catalog/four-ways?regionCode=440300');
    expect(city.counts.items).toBe(14);
    // a department outside the region: nothing in scope, ratios null
    const none = await ok<FourWaysReport>(`/api/v1/catalog/four-ways?regionCode=440304&departmentId=${org.departments.health.id}`);
    expect(none.counts.items).toBe(0);
    expect(none.indicators.every((i) => i.ratio === null && i.met2019 === null)).toBe(true);
    expect((await problem('/api/v1/catalog/four-ways?regionCode=440399', 404)).code).toBe('region_not_found');
  });

  it('pages the four-ways catalog', async () => {
    const first = await ok<FourWaysReport>('/api/v1/catalog/four-ways?limit=10');
    expect(first.items).toHaveLength(10);
    const second = await ok<FourWaysReport>(`/api/v1/catalog/four-ways?limit=10&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((i) => i.name)).toEqual(await names(''));
    expect(second.nextCursor).toBeNull();
  });
});

describe('the other public lists', () => {
  it('lists the no-visit items and their share of the application items', async () => {
    const list = await ok<{ count: number; total: number; share: number; items: ItemSummary[] }>('/api/v1/catalog/no-visit');
    expect(list).toMatchObject({ count: 3, total: 13, share: 3 / 13 });
    expect(list.items.map((i) => i.name)).toEqual(['个体工商户注册登记', '企业设立登记', '生育登记']);
    expect(await ok('/api/v1/catalog/no-visit?regionCode=440305')).toMatchObject({ count: 0, total: 2, share: 0, items: [] });
  });

  it('counts items per theme, every theme listed', async () => {
    const themes = (await ok<{ items: Array<{ theme: string; itemCount: number; label: { zh: string } }> }>('/api/v1/catalog/themes')).items;
    expect(themes).toHaveLength(16);
    const count = Object.fromEntries(themes.map((t) => [t.theme, t.itemCount]));
    expect(count).toMatchObject({ business_opening: 3, business_change: 1, birth: 2, medical: 1, residence: 2, marriage: 1, construction: 1, tax: 0 });
    expect(themes.find((t) => t.theme === 'birth')!.label.zh).toBe('生育');
  });

  it('lists the published proofs with the items requiring them; withdrawn and draft ones are not listed', async () => {
    const list = (await ok<{ items: Array<{ id: string; name: string; status: string; items: Array<{ name: string }> }> }>('/api/v1/catalog/proofs')).items;
    expect(list.map((p) => [p.name, p.status, p.items.map((i) => i.name)])).toEqual([['食品从业人员健康证明', 'published', ['小餐饮经营许可']]]);
  });

  it('lists the published intermediaries with the items requiring them', async () => {
    const list = (await ok<{ items: Array<{ name: string; feeStandard: string; items: Array<{ implementationCode: string; name: string; departmentName: string }> }> }>('/api/v1/catalog/intermediaries')).items;
    expect(list).toEqual([expect.objectContaining({ name: '食品检验检测服务', items: [{ implementationCode: code['食品生产许可'], name: '食品生产许可', departmentName: '深圳市市场监督管理局' }] })]);
  });

  it('counts published items per department, optionally within a region', async () => {
    const all = (await ok<{ items: Array<{ name: string; itemCount: number; regionName: string }> }>('/api/v1/catalog/departments')).items;
    expect(all.map((d) => [d.name, d.itemCount])).toEqual([
      ['福田区政务服务数据管理局', 4],
      ['南山区政务服务数据管理局', 3],
      ['深圳市市场监督管理局', 4],
      ['深圳市卫生健康委员会', 3],
    ]);
    expect(all[0]!.regionName).toBe('福田区');
    expect((await ok<{ items: Array<{ name: string }> }>('/api/v1/catalog/departments?regionCode=440305')).items.map((d) => d.name)).toEqual(['南山区政务服务数据管理局']);
  });

  it('exports the whole current catalog with its content as published', async () => {
    const res = await get('/api/v1/catalog/export.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="tongban-catalog-\d{4}-\d{2}-\d{2}\.json"$/);
    const body = res.json() as { format: string; revision: number; items: Array<{ implementationCode: string; version: number; content: ItemContent }>; proofs: Array<{ name: string }>; intermediaries: unknown[]; departments: unknown[]; halls: unknown[] };
    expect(body.format).toBe('tongban-catalog');
    expect(body.items.map((i) => i.content.name)).toEqual(await names(''));
    const food = body.items.find((i) => i.implementationCode === code['食品经营许可'])!;
    expect(food.version).toBe(2);
    const { halls: _h, proofs: _p, intermediaries: _i, implementationCode: _c, basicCode: _b, departmentId: _d, departmentName: _n, exerciseLevel: _l, version: _v, status: _s, current: _cu, effectiveFrom: _e, publishedAt: _pa, withdrawnAt: _w, upcoming: _u, ...content } = await ok<ItemGuide>(`/api/v1/items/${code['食品经营许可']}`);
    expect(food.content).toEqual(content);
    expect(body.proofs.map((p) => p.name)).toEqual(['食品从业人员健康证明']);
    expect(body.intermediaries).toHaveLength(1);
    expect(body.departments).toHaveLength(4);
    expect(body.halls).toHaveLength(2);
  });
});

describe('no personal data on the public side', () => {
  it('shows no applicant, staff member or editor anywhere', async () => {
    const person = { name: '李小明', idNumber: demoIdNumber('440304', '19900101', '456'), phone: '13912345678' };
    const reg = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { kind: 'natural', password: 'Secret2026x', ...person } });
    const personId = reg.statusCode === 201 ? (reg.json() as { id: string }).id : 'none';
    const staff = await platform.services.identity.createStaff(null, { id: null, kind: 'system', ip: null }, {
      username: 'catalog_editor', name: '编辑 王五', departmentId: org.departments.market.id, roles: ['catalog_admin'], password: 'Secret2026x',
    });
    // an editor's and publisher's ids on a version (what the write side records)
    await platform.database.db.updateTable('catalog_item_versions').set({ created_by: staff.id, updated_by: staff.id, published_by: staff.id }).execute();
    platform.services.catalogQuery.invalidate();
    const urls = [
      '/api/v1/items?limit=100',
      `/api/v1/items?${q('登记')}`,
      ...Object.values(code).flatMap((c) => [`/api/v1/items/${c}`, `/api/v1/items/${c}/versions/1`]),
      '/api/v1/catalog/four-ways?limit=100',
      '/api/v1/catalog/no-visit',
      '/api/v1/catalog/themes',
      '/api/v1/catalog/proofs',
      '/api/v1/catalog/intermediaries',
      '/api/v1/catalog/departments',
      '/api/v1/catalog/export.json',
    ];
    for (const url of urls) {
      const body = (await get(url)).body;
      for (const secret of [person.name, person.idNumber, person.phone, personId, staff.id, '王五', 'catalog_editor']) expect(body, url).not.toContain(secret);
      expect(body, url).not.toMatch(/"(createdBy|updatedBy|publishedBy|submittedBy|withdrawnBy|created_by|published_by)"/);
    }
  });
});

describe('the OpenAPI document', () => {
  it('documents every public catalog route', async () => {
    const doc = await ok<{ paths: Record<string, Record<string, { tags?: string[] }>> }>('/openapi.json');
    for (const path of ['/api/v1/items', '/api/v1/items/{implementationCode}', '/api/v1/items/{implementationCode}/versions/{version}', '/api/v1/catalog/four-ways', '/api/v1/catalog/no-visit', '/api/v1/catalog/themes', '/api/v1/catalog/proofs', '/api/v1/catalog/intermediaries', '/api/v1/catalog/departments', '/api/v1/catalog/export.json']) {
      expect(doc.paths[path]?.get?.tags, path).toEqual(['catalog']);
    }
  });
});

// Changes to the catalog: last, since they change the counts above.
describe('after the catalog changes', () => {
  it('continues a listing cursor from its key: no repeats, new items after the key appear', async () => {
    const first = await ok<Page>('/api/v1/items?limit=5');
    const before = first.items.map((i) => i.name);
    expect(before.at(-1)).toBe('婚姻登记');
    // one item sorting before the cursor's key (fáng < hūn), one after it (wū), both in 南山区
    await insertItems(platform.database.db, [
      { department: org.departments.nanshan, exerciseLevel: 4, basicCode: '000109001000', versions: [{ content: sampleContent({ name: '房屋租赁登记备案' }) }] },
      { department: org.departments.nanshan, exerciseLevel: 4, basicCode: '000109002000', versions: [{ content: sampleContent({ name: '污水排入排水管网许可' }) }] },
    ]);
    platform.services.catalogQuery.invalidate();
    const rest = await allPagesFrom(first.nextCursor!);
    expect(rest.slice(0, 3)).toEqual(['建设工程规划许可证核发', '违法建设行政处罚', '污水排入排水管网许可']);
    expect(rest).not.toContain('房屋租赁登记备案');
    expect(rest.filter((n) => before.includes(n))).toEqual([]);
    expect(before.length + rest.length).toBe(15); // 16 current now, one of them sorted before the key
  });

  it('drops a withdrawn item from the list, the search and the guide, keeping its version readable', async () => {
    const c = code['婚姻登记']!;
    await setVersionStatus(platform.database.db, c, 1, 'withdrawn');
    platform.services.catalogQuery.invalidate();
    expect(await names('')).not.toContain('婚姻登记');
    expect(await names(q('婚姻登记'))).toEqual([]);
    expect((await problem(`/api/v1/items/${c}`, 404)).code).toBe('item_not_found');
    expect(await ok<ItemGuide>(`/api/v1/items/${c}/versions/1`)).toMatchObject({ status: 'withdrawn', current: false, name: '婚姻登记' });
  });

  it('picks up an edited synonym table', async () => {
    expect(await names(q('领证'))).toEqual([]);
    await replaceSynonyms(platform.database.db, [{ term: '领证', expansions: ['身份证申领'] }]);
    platform.services.catalogQuery.invalidate();
    expect(await names(q('领证'))).toEqual(['居民身份证申领']);
    expect((await names(q('开公司')))).toEqual([]); // that synonym is gone
  });
});

async function allPagesFrom(cursor: string): Promise<string[]> {
  const seen: string[] = [];
  let next: string | null = cursor;
  while (next) {
    const page: Page = await ok<Page>(`/api/v1/items?limit=5&cursor=${encodeURIComponent(next)}`);
    seen.push(...page.items.map((i) => i.name));
    next = page.nextCursor;
  }
  return seen;
}
