import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ItemContent } from '../schemas.js';
import { BASIC_CODE_PATTERN, ITEM_TYPES, joinImplementationCode } from '../../../shared/catalog-codes.js';
import { DEMO_INTERMEDIARIES, DEMO_ITEMS, DEMO_PROOFS, DEMO_SYNONYMS, type DemoItem } from './data.js';
import { DEPT, HALL } from './builders.js';
import { demoIds, resolveDemoContent } from './resolve.js';
import { readiness, type References } from '../validation.js';
import { demoCreditCode } from '../../demo/seed.js';

/*
 * The demo catalog against the schema and every publish rule of docs/catalog-api.md that needs
 * no database, plus the links between items and the demo city (departments, halls) and the
 * demo lists (proofs, intermediaries).
 */

const fakeIds = (keys: string[]) => new Map(keys.map((k) => [k, randomUUID()]));
const hallIdsByName = fakeIds(Object.values(HALL));
const proofIdsByCode = fakeIds(DEMO_PROOFS.map((p) => p.code));
const intermediaryIdsByCode = fakeIds(DEMO_INTERMEDIARIES.map((i) => i.code));
/** Implementation codes as the seed would build them, all from one fake department code. */
const itemCodesByBasic = new Map(DEMO_ITEMS.map((i) => [i.basicCode, joinImplementationCode({ creditCode: demoCreditCode('11', '440300', 1), exerciseLevel: i.exerciseLevel, basicCode: i.basicCode })]));
const ids = demoIds(hallIdsByName, proofIdsByCode, intermediaryIdsByCode, itemCodesByBasic);

/** The demo city's seed, as text: department and hall names must appear in it verbatim. */
const citySeed = readFileSync(new URL('../../demo/seed.ts', import.meta.url), 'utf8');
const DISTRICT_HALLS: string[] = [HALL.futian, HALL.nanshan];

function each(check: (item: DemoItem) => string[]): string[] {
  return DEMO_ITEMS.flatMap((item) => check(item).map((problem) => `${item.content.name}: ${problem}`));
}

describe('demo catalog', () => {
  it('has enough items, departments and all six item types of the seed', () => {
    expect(DEMO_ITEMS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(DEMO_ITEMS.map((i) => i.department)).size).toBeGreaterThanOrEqual(6);
    const types = new Set(DEMO_ITEMS.map((i) => i.content.type));
    for (const t of ['01', '05', '07', '08', '09', '20']) expect(types, `type ${t}`).toContain(t);
  });

  it('contains the items the plan names', () => {
    const names = DEMO_ITEMS.map((i) => i.content.name);
    for (const wanted of ['企业设立登记', '个体工商户设立登记', '食品经营许可', '不动产抵押权注销登记', '居住证签注', '生育登记', '高龄老人津贴申领', '建设工程规划许可', '社会保障卡申领']) {
      expect(names, wanted).toContain(wanted);
    }
    expect(names.some((n) => n.startsWith('人才引进'))).toBe(true);
  });

  it('marks the instant-approval candidates by their content (immediate, online depth 4, no visit)', () => {
    for (const name of ['高龄老人津贴申领', '居住证签注', '人才引进（应届毕业生接收）', '个体工商户设立登记', '不动产抵押权注销登记']) {
      const item = DEMO_ITEMS.find((i) => i.content.name === name)!;
      expect(item, name).toBeDefined();
      expect(item.content.caseKind).toBe('1');
      expect(item.content.onlineDepth).toBe(4);
      expect(item.content.visitsRequired).toBe(0);
    }
  });

  it('every item, resolved to ids, is a valid ItemContent', () => {
    const problems = each((item) => {
      const content = resolveDemoContent(item.content, ids);
      return Value.Check(ItemContent, content) ? [] : Value.Errors(ItemContent, content).map((e) => `${e.instancePath} ${e.message}`);
    });
    expect(problems).toEqual([]);
  });

  it('passes the publish readiness checks of validation.ts, with every list entry published', () => {
    const published = (codes: Map<string, string>) => new Map([...codes].map(([code, id]) => [id, { name: code, status: 'published' as const }]));
    const refs: References = {
      proofs: published(proofIdsByCode),
      intermediaries: published(intermediaryIdsByCode),
      hallIds: new Set(hallIdsByName.values()),
      components: new Map(DEMO_ITEMS.map((i) => [itemCodesByBasic.get(i.basicCode)!, { name: i.content.name, published: true, composite: i.content.components !== undefined }])),
    };
    const problems = each((item) => {
      const identity = { creditCode: demoCreditCode('11', '440300', 1), exerciseLevel: item.exerciseLevel, basicCode: item.basicCode };
      return readiness(identity, resolveDemoContent(item.content, ids), refs).map((p) => `${p.field} ${p.code} ${JSON.stringify(p.params ?? {})}`);
    });
    expect(problems).toEqual([]);
  });

  it('identity: unique 12-character basic codes led by the type code, demo departments, levels 3 or 4', () => {
    const codes = DEMO_ITEMS.map((i) => i.basicCode);
    expect(new Set(codes).size).toBe(codes.length);
    const problems = each((item) => {
      const p: string[] = [];
      if (!BASIC_CODE_PATTERN.test(item.basicCode)) p.push(`basic code ${item.basicCode}`);
      if (!item.basicCode.startsWith(item.content.type)) p.push(`basic code ${item.basicCode} does not start with type ${item.content.type}`);
      if (!(Object.values(DEPT) as string[]).includes(item.department) || !citySeed.includes(`'${item.department}'`)) p.push(`department ${item.department}`);
      const district = item.department === DEPT.futian || item.department === DEPT.nanshan;
      if (item.exerciseLevel !== (district ? 4 : 3)) p.push(`exercise level ${item.exerciseLevel}`);
      return p;
    });
    expect(problems).toEqual([]);
    expect(new Set(DEMO_ITEMS.map((i) => i.content.name)).size).toBe(DEMO_ITEMS.length);
  });

  it('the ten unified elements are complete', () => {
    const problems = each(({ content: c }) => {
      const p: string[] = [];
      if (c.legalBasis.length === 0) p.push('no legal basis');
      if (c.acceptanceConditions.length === 0) p.push('no acceptance conditions');
      if (c.procedure.length === 0) p.push('no procedure');
      if (c.materials.length === 0) p.push('no materials');
      if (c.results.length === 0) p.push('no results');
      if (c.keywords.length === 0) p.push('no keywords');
      if (c.hallNames.length === 0) p.push('no hall');
      for (const b of c.legalBasis) if (!/^《.+》/.test(b.title)) p.push(`legal basis title ${b.title}`);
      return p;
    });
    expect(problems).toEqual([]);
  });

  it('time limits: promised <= legal, steps fit the promise, immediate items are immediate', () => {
    const problems = each(({ content: c }) => {
      const p: string[] = [];
      if (c.promisedDays > c.legalDays) p.push(`promised ${c.promisedDays} > legal ${c.legalDays}`);
      const sum = c.procedure.reduce((s, step) => s + step.days, 0);
      if (sum > c.promisedDays) p.push(`steps ${sum} > promised ${c.promisedDays}`);
      if (c.caseKind === '1' && (c.promisedDays !== 0 || !c.handling.immediate)) p.push('immediate case kind without promised 0 and handling.immediate');
      if (c.handling.immediate && c.caseKind !== '1') p.push('handling.immediate on a promised item');
      if (c.procedure[0]?.role !== 'window_clerk') p.push('first step is not the window');
      return p;
    });
    expect(problems).toEqual([]);
  });

  it('four ways: online needs web/mobile and depth >= 3, one visit needs <= 1 visit, no visit means fully online, nearby means a district hall', () => {
    const problems = each(({ content: c }) => {
      const p: string[] = [];
      if (c.handling.online && !(c.handlingForms.includes('2') || c.handlingForms.includes('3'))) p.push('online without handling form 2 or 3');
      if (c.handling.online && c.onlineDepth < 3) p.push('online with depth < 3');
      if (c.handling.oneVisit && c.visitsRequired > 1) p.push('oneVisit with more than one visit');
      if (c.visitsRequired === 0 && !(c.handling.online && c.onlineDepth === 4)) p.push('no visit but not fully online');
      if (c.handling.nearby && !c.hallNames.some((h) => DISTRICT_HALLS.includes(h))) p.push('nearby without a district hall');
      for (const h of c.hallNames) if (!citySeed.includes(`'${h}'`)) p.push(`unknown hall ${h}`);
      if (new Set(c.hallNames).size !== c.hallNames.length) p.push('duplicate hall');
      return p;
    });
    expect(problems).toEqual([]);
  });

  it('fees: free with no items, or charged with items in whole fen', () => {
    const problems = each(({ content: { fees } }) => {
      if (fees.free) return fees.items.length === 0 ? [] : ['free with fee items'];
      return fees.items.length > 0 && fees.items.every((i) => Number.isInteger(i.amountFen) && i.amountFen > 0) ? [] : ['charged without valid items'];
    });
    expect(problems).toEqual([]);
    const transfer = DEMO_ITEMS.find((i) => i.content.name === '不动产转移登记')!;
    expect(transfer.content.fees.items.find((i) => i.name.includes('住宅类'))?.amountFen).toBe(8000);
  });

  it('materials: unique ids, sources with their references, proofs and intermediaries on the demo lists', () => {
    const proofCodes = new Set(DEMO_PROOFS.map((p) => p.code));
    const intermediaryCodes = new Set(DEMO_INTERMEDIARIES.map((i) => i.code));
    const problems = each(({ content: c }) => {
      const p: string[] = [];
      const mids = c.materials.map((m) => m.id);
      if (new Set(mids).size !== mids.length) p.push(`duplicate material ids ${mids.join(',')}`);
      for (const m of c.materials) {
        if (m.source === 'e_license' && !m.licenseTypeCode) p.push(`${m.id}: e-license without licenseTypeCode`);
        if (m.source === 'shared_data' && !m.resourceId) p.push(`${m.id}: shared data without resourceId`);
        if (m.proofCode && !proofCodes.has(m.proofCode)) p.push(`${m.id}: unknown proof ${m.proofCode}`);
        if (m.proofCode && m.source !== 'issuing_body') p.push(`${m.id}: a proof comes from its issuing body`);
        // A certificate another body issues is a proof (证明事项): it must be a retained one (§8-9).
        if (m.source === 'issuing_body' && !m.proofCode) p.push(`${m.id}: issued by another body but not a retained proof`);
      }
      for (const code of c.intermediaryCodes) if (!intermediaryCodes.has(code)) p.push(`unknown intermediary ${code}`);
      for (const r of c.results) if (r.kind === 'license' && !r.licenseTypeCode) p.push(`result ${r.name} without licenseTypeCode`);
      return p;
    });
    expect(problems).toEqual([]);
    const sources = new Set(DEMO_ITEMS.flatMap((i) => i.content.materials.map((m) => m.source)));
    expect([...sources].sort()).toEqual(['applicant', 'e_license', 'issuing_body', 'shared_data']);
    const requirements = new Set(DEMO_ITEMS.flatMap((i) => i.content.materials.map((m) => m.requirement)));
    expect([...requirements].sort()).toEqual(['deferrable', 'optional', 'required']);
  });

  it('forms: compile under strict Ajv, every ui.order entry a property, every property hinted, conditions on earlier fields', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const widgets = new Set<string>();
    let conditional = 0;
    const problems = each(({ content: { form } }) => {
      const p: string[] = [];
      const schema = form.schema as { type?: string; properties?: Record<string, { enum?: unknown[]; type?: string }>; required?: string[] };
      if (schema.type !== 'object') p.push('form schema is not an object schema');
      const props = schema.properties ?? {};
      const keys = Object.keys(props);
      if (keys.length === 0) p.push('form without properties');
      try {
        const validate = ajv.compile(form.schema);
        if (validate({})) p.push('an empty form validates');
      } catch (e) {
        p.push(`form schema does not compile: ${(e as Error).message}`);
      }
      for (const k of form.ui.order) if (!props[k]) p.push(`ui.order entry ${k} is not a property`);
      for (const k of keys) if (!form.ui.order.includes(k)) p.push(`property ${k} missing from ui.order`);
      for (const k of keys) if (!form.ui.fields[k]) p.push(`property ${k} without a hint`);
      for (const k of Object.keys(form.ui.fields)) if (!props[k]) p.push(`hint ${k} is not a property`);
      for (const k of schema.required ?? []) if (!props[k]) p.push(`required ${k} is not a property`);
      for (const [k, hint] of Object.entries(form.ui.fields)) {
        widgets.add(hint.widget);
        if ((hint.widget === 'select' || hint.widget === 'radio') && !hint.options?.length) p.push(`${k}: ${hint.widget} without options`);
        const when = hint.visibleWhen;
        if (!when) continue;
        conditional++;
        const target = props[when.field];
        if (!target) p.push(`${k}: visibleWhen.field ${when.field} is not a property`);
        else if (target.enum && !target.enum.includes(when.equals)) p.push(`${k}: visibleWhen value ${String(when.equals)} not among ${when.field}'s options`);
        else if (target.type === 'boolean' && typeof when.equals !== 'boolean') p.push(`${k}: visibleWhen on a checkbox needs a boolean`);
        if (form.ui.order.indexOf(when.field) > form.ui.order.indexOf(k)) p.push(`${k}: depends on a later field`);
        if (schema.required?.includes(k)) p.push(`${k}: a conditional field is required unconditionally`);
      }
      return p;
    });
    expect(problems).toEqual([]);
    for (const w of ['id_number', 'credit_code', 'phone', 'region', 'date', 'money', 'attachment', 'select', 'textarea']) expect(widgets, w).toContain(w);
    expect(conditional).toBeGreaterThanOrEqual(10);
  });

  it('a conditional field is required only while it is visible', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const item = DEMO_ITEMS.find((i) => i.content.name === '企业变更登记')!;
    const validate = ajv.compile(item.content.form.schema);
    const base = { entityName: '深圳市示范科技有限公司', entityCreditCode: '91440300MA5XXXXX1X'.replace(/X/g, '0'), legalRepresentative: '张三', contactPhone: '13800138000', resolutionDate: '2026-01-05', resolutionFile: 'f1', deliveryMethod: 'electronic' };
    expect(validate({ ...base, changeType: 'scope', newScope: '软件开发' }), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...base, changeType: 'name' })).toBe(false);
    expect(validate({ ...base, changeType: 'name', newName: '深圳市新名称科技有限公司' })).toBe(true);
  });

  it('phones, themes and FAQ', () => {
    const problems = each(({ content: c }) => {
      const p: string[] = [];
      for (const phone of [c.enquiryPhone, c.complaintPhone]) if (!/^(0755-\d{8}|12345)$/.test(phone)) p.push(`phone ${phone}`);
      return p;
    });
    expect(problems).toEqual([]);
    const themes = new Set(DEMO_ITEMS.flatMap((i) => i.content.themes));
    for (const t of ['business_opening', 'real_estate', 'birth', 'employment', 'social_security', 'elderly', 'residence', 'exit_entry', 'talent', 'construction']) expect(themes, t).toContain(t);
    expect(DEMO_ITEMS.filter((i) => i.content.faq.length >= 2).length).toBeGreaterThanOrEqual(15);
    expect(DEMO_ITEMS.filter((i) => i.content.visitsRequired === 0).length).toBeGreaterThanOrEqual(10);
    expect(DEMO_ITEMS.filter((i) => i.content.specialProcedures.length > 0).length).toBeGreaterThanOrEqual(5);
    expect(ITEM_TYPES).toContain('20');
  });

  it('the lists: retained proofs, intermediaries and synonyms', () => {
    expect(DEMO_PROOFS.length).toBeGreaterThanOrEqual(12);
    expect(new Set(DEMO_PROOFS.map((p) => p.code)).size).toBe(DEMO_PROOFS.length);
    for (const p of DEMO_PROOFS) {
      expect(p.legalBasis, p.name).toMatch(/《.+》/);
      for (const v of [p.name, p.requestingUnit, p.issuingUnit, p.guide]) expect(v.length, p.name).toBeGreaterThan(1);
    }
    expect(DEMO_INTERMEDIARIES.length).toBeGreaterThanOrEqual(8);
    expect(new Set(DEMO_INTERMEDIARIES.map((i) => i.code)).size).toBe(DEMO_INTERMEDIARIES.length);
    for (const i of DEMO_INTERMEDIARIES) {
      expect(i.legalBasis, i.name).toMatch(/《.+》/);
      expect(i.feeStandard, i.name).toMatch(/市场调节价|政府指导价|政府定价|不支付|不收费/);
    }
    expect(DEMO_SYNONYMS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(DEMO_SYNONYMS.map((s) => s.term)).size).toBe(DEMO_SYNONYMS.length);
    for (const s of DEMO_SYNONYMS) expect(s.expansions.length, s.term).toBeGreaterThan(0);
    // Every proof and intermediary an item uses is on its list; most list entries are used.
    const usedProofs = new Set(DEMO_ITEMS.flatMap((i) => i.content.materials.flatMap((m) => (m.proofCode ? [m.proofCode] : []))));
    expect(usedProofs.size).toBeGreaterThanOrEqual(8);
    const usedIntermediaries = new Set(DEMO_ITEMS.flatMap((i) => i.content.intermediaryCodes));
    expect(usedIntermediaries.size).toBeGreaterThanOrEqual(5);
  });
});
