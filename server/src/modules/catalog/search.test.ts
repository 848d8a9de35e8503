import { describe, expect, it } from 'vitest';
import { compact, minMatch, SearchIndex, type SearchDocument } from './search.js';

const doc = (name: string, more: Partial<SearchDocument> = {}): SearchDocument => ({ name, keywords: [], subItems: [], handlingItems: [], materials: [], ...more });

const DOCS: SearchDocument[] = [
  doc('企业设立登记', { keywords: ['开办企业', '公司注册'], handlingItems: ['有限责任公司设立登记'], materials: ['公司章程', '居民身份证'] }),
  doc('营业执照遗失补领', { materials: ['遗失声明', '居民身份证'] }),
  doc('生育登记', { keywords: ['生育服务登记'], materials: ['结婚证', '居民身份证'] }),
  doc('出生医学证明签发', { materials: ['居民身份证'] }),
  doc('食品经营许可', { subItems: ['食品经营许可（新办）', '食品经营许可（变更）'], materials: ['食品安全管理制度'] }),
  doc('食品生产许可', { materials: ['食品检验报告'] }),
  doc('小餐饮经营许可', { keywords: ['餐饮', '小吃店'], materials: ['食品从业人员健康证明'] }),
  doc('公司变更登记', { materials: ['变更决议'] }),
  doc('居民身份证申领', { keywords: ['身份证'], materials: ['户口簿'] }),
  doc('婚姻登记'),
  doc('个体工商户注册登记', { keywords: ['营业执照'] }),
  doc('居住证签注'),
];
const SYNONYMS = [
  { term: '开公司', expansions: ['企业设立登记', '营业执照'] },
  { term: '生孩子', expansions: ['生育登记', '出生医学证明'] },
  { term: '办营业执照', expansions: ['营业执照'] },
];
const index = new SearchIndex(DOCS, SYNONYMS);
const names = (query: string, accept?: (doc: number) => boolean) => index.search(query, accept).map((h) => DOCS[h.doc]!.name);

describe('text normalisation', () => {
  it('folds full-width forms and case, and drops punctuation and spaces', () => {
    expect(compact('ＩＣＰ 经营许可（新办）')).toBe('icp经营许可新办');
    expect(compact('  ，。！ ')).toBe('');
  });

  it('needs every term of a one- or two-term group and 60 % beyond', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(minMatch)).toEqual([1, 2, 2, 3, 3, 4, 6]);
  });
});

describe('SearchIndex', () => {
  it('ranks the item whose name is the query first', () => {
    expect(names('营业执照遗失补领')[0]).toBe('营业执照遗失补领');
    expect(names('婚姻登记')[0]).toBe('婚姻登记');
  });

  it('finds items by a phrase inside their name, name matches before keyword matches', () => {
    // 个体工商户注册登记 has 营业执照 only as a keyword
    expect(names('营业执照')).toEqual(['营业执照遗失补领', '个体工商户注册登记']);
  });

  it('answers a two-character query, name matches before sub-item and material matches', () => {
    const found = names('食品');
    expect(found.slice(0, 2).sort()).toEqual(['食品生产许可', '食品经营许可']);
    expect(found).toContain('小餐饮经营许可'); // 食品从业人员健康证明 among its materials
    expect(found).toHaveLength(3);
  });

  it('answers a one-character query from names and keywords', () => {
    expect(names('证').sort()).toEqual(['出生医学证明签发', '居住证签注', '居民身份证申领'].sort());
  });

  it('resolves a colloquial query through the synonyms', () => {
    expect(names('开公司')[0]).toBe('企业设立登记');
    expect(names('开公司')).toEqual(expect.arrayContaining(['营业执照遗失补领', '个体工商户注册登记']));
    expect(names('开公司')).not.toContain('公司变更登记'); // 开公 is in no text, and 公司 alone is not enough
    expect(names('生孩子')).toEqual(['生育登记', '出生医学证明签发']);
    expect(names('办营业执照')[0]).toBe('营业执照遗失补领');
  });

  it('drops filler phrases from a colloquial query', () => {
    expect(names('我想开公司怎么办')[0]).toBe('企业设立登记');
    expect(names('请问食品经营许可怎么办理')[0]).toBe('食品经营许可');
    expect(index.parse('怎么办').groups[0]!.text).toBe('怎么办'); // nothing but filler: kept
  });

  it('keeps the query\'s own terms above its expansions', () => {
    const parsed = index.parse('开公司');
    expect(parsed.synonyms).toEqual(['开公司']);
    expect(parsed.groups.map((g) => [g.text, g.weight])).toEqual([['开公司', 1], ['企业设立登记', 0.8], ['营业执照', 0.8]]);
  });

  it('makes no bigram across a space in the query', () => {
    expect(index.parse('营业 执照').groups[0]!.terms).toEqual(['营业', '执照']);
    expect(names('营业 执照')[0]).toBe('营业执照遗失补领');
  });

  it('finds nothing for text the catalog does not hold, or no text at all', () => {
    expect(names('火星移民')).toEqual([]);
    expect(names('')).toEqual([]);
    expect(names('？！')).toEqual([]);
  });

  it('does not match on one shared bigram of a longer query', () => {
    // 登记 is shared, but 变更 / 更登 are not in 企业设立登记
    expect(names('企业变更登记')).not.toContain('生育登记');
  });

  it('applies the caller\'s filter to matches only', () => {
    const seen: number[] = [];
    const found = names('登记', (d) => {
      seen.push(d);
      return DOCS[d]!.name.startsWith('生育') || DOCS[d]!.name.startsWith('婚姻');
    });
    expect(found.sort()).toEqual(['婚姻登记', '生育登记']);
    expect(seen.every((d) => DOCS[d]!.name.includes('登记') || DOCS[d]!.keywords.join().includes('登记') || DOCS[d]!.handlingItems.join().includes('登记'))).toBe(true);
  });

  it('breaks ties by document order, so equal scores keep the caller\'s stable order', () => {
    const twins = new SearchIndex([doc('乙事项登记'), doc('甲事项登记'), doc('丙事项登记')]);
    expect(twins.search('事项登记').map((h) => h.doc)).toEqual([0, 1, 2]);
  });

  it('leaves no state behind between searches', () => {
    const first = index.search('开公司');
    index.search('食品');
    expect(index.search('开公司')).toEqual(first);
  });

  it('reports its size', () => {
    const stats = index.stats();
    expect(stats.documents).toBe(DOCS.length);
    expect(stats.terms).toBeGreaterThan(50);
    expect(stats.estimatedBytes).toBeGreaterThan(stats.postings * 8);
  });
});
