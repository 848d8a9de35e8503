/**
 * Test and bench fixtures for the catalog: published data written straight into the catalog
 * tables (as the write side would leave them), so the read side can be tested without going
 * through authoring. Every function that changes the catalog bumps `catalog_meta.revision`, as
 * every real write does. Not used by the application.
 */
import { sql } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.js';
import type { CatalogVersionStatus } from '../../platform/db/schema.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { creditCodeCheckCharacter, organizationCodeCheckCharacter } from '../../shared/identifiers.js';
import type { OrgService } from '../org/service.js';
import type { ItemContent } from './schemas.js';
import { bumpRevision, contentColumns } from './store.js';
import { joinImplementationCode } from '../../shared/catalog-codes.js';

/** A complete, publishable content; override what a test cares about. */
export function sampleContent(overrides: Partial<ItemContent> & { name: string }): ItemContent {
  const caseKind = overrides.caseKind ?? (overrides.handling?.immediate ? '1' : '2');
  return {
    type: '01',
    implementerNature: '1',
    serviceObjects: ['1'],
    subItems: [],
    handlingItems: [],
    legalBasis: [{ title: '《中华人民共和国行政许可法》', article: '第二十九条' }],
    acceptanceConditions: ['申请材料齐全、符合法定形式'],
    procedure: caseKind === '1' ? [{ name: '受理并办结', role: 'window_clerk', days: 0 }] : [{ name: '受理', role: 'window_clerk', days: 1 }, { name: '决定', role: 'approver', days: 4 }],
    legalDays: caseKind === '1' ? 0 : 20,
    promisedDays: caseKind === '1' ? 0 : 5,
    caseKind,
    fees: { free: true, items: [] },
    materials: [{ id: 'application', name: '申请书', source: 'applicant', requirement: 'required', paperCopies: 1, originals: 0 }],
    form: {
      schema: { type: 'object', properties: { applicantName: { type: 'string', maxLength: 100 } }, required: ['applicantName'] },
      ui: { order: ['applicantName'], fields: { applicantName: { widget: 'text', label: '申请人名称' } } },
    },
    results: [{ name: '准予决定书', kind: 'approval_document' }],
    hallIds: [],
    handlingForms: ['1', '2'],
    handling: { immediate: false, online: true, nearby: true, oneVisit: true },
    onlineDepth: 4,
    visitsRequired: 1,
    appointment: true,
    expressDelivery: true,
    onlinePayment: false,
    intermediaryServiceIds: [],
    specialProcedures: [],
    enquiryPhone: '0755-12345',
    complaintPhone: '0755-12345',
    keywords: [],
    themes: [],
    faq: [],
    ...overrides,
  };
}

/** A GB 32100-valid credit code for a test body (organisation code T + serial). */
export function fixtureCreditCode(region: string, serial: number): string {
  const org8 = `T${String(serial).padStart(7, '0')}`;
  const first17 = `11${region}${org8}${organizationCodeCheckCharacter(org8)}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}

export interface FixtureDepartment {
  id: string;
  name: string;
  creditCode: string;
  regionCode: string;
}

export interface FixtureOrg {
  departments: Record<'market' | 'health' | 'futian' | 'nanshan', FixtureDepartment>;
  halls: Record<'civic' | 'nanshan', string>;
}

/**
 * A small city through OrgService: 深圳市 with 福田区 (and 南园街道) and 南山区, two city and two
 * district departments, two halls. For a test platform started with `{ demo: false }`.
 */
export async function createFixtureOrg(org: OrgService, serialBase = 700): Promise<FixtureOrg> {
  const actor = SYSTEM_ACTOR;
  await org.createRegion(actor, { code: '440300', name: '深圳市', level: 'city', parentCode: null });
  await org.createRegion(actor, { code: '440304', name: '福田区', level: 'district', parentCode: '440300' });
  await org.createRegion(actor, { code: '440305', name: '南山区', level: 'district', parentCode: '440300' });
  await org.createRegion(actor, { code: '440304001', name: '南园街道', level: 'street', parentCode: '440304' });
  const department = async (name: string, regionCode: string, serial: number): Promise<FixtureDepartment> => {
    const d = await org.createDepartment(actor, { name, creditCode: fixtureCreditCode(regionCode.slice(0, 6), serialBase + serial), regionCode });
    return { id: d.id, name: d.name, creditCode: d.creditCode, regionCode };
  };
  const market = await department('深圳市市场监督管理局', '440300', 1);
  const health = await department('深圳市卫生健康委员会', '440300', 2);
  const futian = await department('福田区政务服务数据管理局', '440304', 3);
  const nanshan = await department('南山区政务服务数据管理局', '440305', 4);
  const civic = await org.createHall(actor, { name: '深圳市民中心行政服务大厅', regionCode: '440304', address: '深圳市福田区福中三路市民中心 B 区', phone: '0755-12345' });
  const nanshanHall = await org.createHall(actor, { name: '南山区行政服务大厅', regionCode: '440305', address: '深圳市南山区南山大道 2072 号' });
  return { departments: { market, health, futian, nanshan }, halls: { civic: civic.id, nanshan: nanshanHall.id } };
}

export interface FixtureVersion {
  content: ItemContent;
  /** Default 'published'. */
  status?: CatalogVersionStatus;
  /** Default 2020-01-01 for published/superseded/withdrawn versions, null otherwise. */
  effectiveFrom?: string | null;
  publishedAt?: Date;
}

export interface FixtureItem {
  department: { id: string; creditCode: string };
  /** Default 3 (city level). */
  exerciseLevel?: number;
  basicCode: string;
  versions: FixtureVersion[];
}

export interface InsertedItem {
  itemId: string;
  implementationCode: string;
  versionIds: string[];
}

const EVER_PUBLISHED: ReadonlySet<CatalogVersionStatus> = new Set(['published', 'superseded', 'withdrawn']);

function versionRow(itemId: string, version: number, v: FixtureVersion) {
  const status = v.status ?? 'published';
  const published = EVER_PUBLISHED.has(status);
  const publishedAt = published ? (v.publishedAt ?? new Date('2020-01-01T01:00:00Z')) : null;
  return {
    item_id: itemId,
    version,
    status,
    effective_from: v.effectiveFrom !== undefined ? v.effectiveFrom : published ? '2020-01-01' : null,
    ...contentColumns(v.content),
    created_by: null,
    updated_by: null,
    published_at: publishedAt,
    published_by: null,
    withdrawn_at: status === 'withdrawn' ? new Date('2021-01-01T01:00:00Z') : null,
  };
}

async function insertOne(db: Executor, item: FixtureItem): Promise<InsertedItem> {
  const implementationCode = codeOf(item);
  const row = await db
    .insertInto('catalog_items')
    .values({ implementation_code: implementationCode, basic_code: item.basicCode, department_id: item.department.id, exercise_level: item.exerciseLevel ?? 3, created_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const versionIds: string[] = [];
  for (const [i, v] of item.versions.entries()) {
    const inserted = await db.insertInto('catalog_item_versions').values(versionRow(row.id, i + 1, v)).returning('id').executeTakeFirstOrThrow();
    versionIds.push(inserted.id);
  }
  return { itemId: row.id, implementationCode, versionIds };
}

/** The implementation code a fixture item gets (credit code + level + basic code). */
function codeOf(item: { department: { creditCode: string }; exerciseLevel?: number; basicCode: string }): string {
  return joinImplementationCode({ creditCode: item.department.creditCode, exerciseLevel: item.exerciseLevel ?? 3, basicCode: item.basicCode });
}

/** The store's own revision bump, so fixtures move the revision exactly as real writes do. */
export { bumpRevision };

/** Inserts items with their versions (numbered 1, 2, … in the order given) and bumps the revision. */
export async function insertItems(db: Db, items: FixtureItem[]): Promise<InsertedItem[]> {
  return db.transaction().execute(async (tx) => {
    const inserted: InsertedItem[] = [];
    for (const item of items) inserted.push(await insertOne(tx, item));
    await bumpRevision(tx);
    return inserted;
  });
}

/**
 * Many single-version published items in few statements (the bench's 20,000): one insert of
 * items and one of versions per batch.
 */
export async function insertPublishedBulk(db: Db, items: Array<Omit<FixtureItem, 'versions'> & { content: ItemContent }>, batch = 1000): Promise<void> {
  for (let start = 0; start < items.length; start += batch) {
    const slice = items.slice(start, start + batch);
    await db.transaction().execute(async (tx) => {
      const ids = await tx
        .insertInto('catalog_items')
        .values(slice.map((item) => ({
          implementation_code: codeOf(item),
          basic_code: item.basicCode,
          department_id: item.department.id,
          exercise_level: item.exerciseLevel ?? 3,
          created_by: null,
        })))
        .returning(['id', 'implementation_code'])
        .execute();
      const idOf = new Map(ids.map((r) => [r.implementation_code, r.id]));
      await tx
        .insertInto('catalog_item_versions')
        .values(slice.map((item) => versionRow(idOf.get(codeOf(item))!, 1, { content: item.content })))
        .execute();
      await bumpRevision(tx);
    });
  }
}

/** Adds the next version to an existing item. */
export async function addVersion(db: Db, implementationCode: string, v: FixtureVersion): Promise<{ version: number; versionId: string }> {
  return db.transaction().execute(async (tx) => {
    const item = await tx.selectFrom('catalog_items').select('id').where('implementation_code', '=', implementationCode).executeTakeFirstOrThrow();
    const last = await tx.selectFrom('catalog_item_versions').select((eb) => eb.fn.max('version').as('max')).where('item_id', '=', item.id).executeTakeFirstOrThrow();
    const version = Number(last.max ?? 0) + 1;
    const inserted = await tx.insertInto('catalog_item_versions').values(versionRow(item.id, version, v)).returning('id').executeTakeFirstOrThrow();
    await bumpRevision(tx);
    return { version, versionId: inserted.id };
  });
}

/** Sets a version's status (as publishing a successor or withdrawing would) and bumps the revision. */
export async function setVersionStatus(db: Db, implementationCode: string, version: number, status: CatalogVersionStatus): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`
      UPDATE catalog_item_versions v SET status = ${status},
        withdrawn_at = CASE WHEN ${status} = 'withdrawn' THEN now() ELSE v.withdrawn_at END
      FROM catalog_items i
      WHERE i.id = v.item_id AND i.implementation_code = ${implementationCode} AND v.version = ${version}`.execute(tx);
    await bumpRevision(tx);
  });
}

export async function replaceSynonyms(db: Db, entries: Array<{ term: string; expansions: string[] }>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('catalog_synonyms').execute();
    if (entries.length > 0) await tx.insertInto('catalog_synonyms').values(entries.map((e) => ({ term: e.term, expansions: e.expansions, updated_by: null }))).execute();
    await bumpRevision(tx);
  });
}

export interface FixtureProof {
  code: string;
  name: string;
  status?: 'draft' | 'published' | 'withdrawn';
}

export async function insertProof(db: Db, p: FixtureProof): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('catalog_proofs')
      .values({
        code: p.code,
        name: p.name,
        legal_basis: '《广东省保留证明事项清单》',
        requesting_unit: '深圳市市场监督管理局',
        issuing_unit: '户籍所在地社区居民委员会',
        guide: '申请人向开具单位提出申请，当场开具。',
        status: p.status ?? 'published',
        updated_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await bumpRevision(tx);
    return row.id;
  });
}

export async function insertIntermediary(db: Db, i: FixtureProof & { feeStandard?: string }): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('catalog_intermediaries')
      .values({
        code: i.code,
        name: i.name,
        legal_basis: '《中华人民共和国食品安全法》第八十四条',
        fee_standard: i.feeStandard ?? '市场调节价',
        provider_requirements: '具有检验检测机构资质认定证书',
        status: i.status ?? 'published',
        updated_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await bumpRevision(tx);
    return row.id;
  });
}
