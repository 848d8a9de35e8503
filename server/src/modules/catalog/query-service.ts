import { createHash } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { invalidInput, FieldCodes } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.js';
import { todayInShanghai } from '../../platform/time.js';
import { FOUR_WAY_LABELS, THEME_LABELS, THEMES, type FourWay } from '../../shared/catalog-codes.js';
import type { OrgService } from '../org/service.js';
import type { Hall } from '../org/schemas.js';
import { CatalogErrors } from './errors.js';
import type {
  CatalogExport,
  DepartmentCount,
  FourWaysReport,
  Indicator,
  ItemGuide,
  ItemPage,
  ItemRef,
  ItemsQuery,
  NoVisitList,
  PublicIntermediary,
  PublicProof,
  ScopedPageQuery,
  ScopeQuery,
} from './public-schemas.js';
import * as readStore from './read-store.js';
import type { IntermediaryRow, ProofRow, VersionRow } from './read-store.js';
import type { ItemContent, ItemSummary } from './schemas.js';
import { SearchIndex, compact, type IndexStats } from './search.js';

/** How stale another instance's change may be before this one notices it. */
const REFRESH_INTERVAL_MS = 1000;
/** Guides rendered per index generation (content is immutable; the references resolve per revision). */
const GUIDE_CACHE_SIZE = 2000;
/** Ranked result lists kept per index generation, so paging through a query does not rank it again. */
const RESULT_CACHE_SIZE = 200;
const DEFAULT_LIMIT = 20;

/**
 * The item types applied for by the public (依申请六类, seed §一): licence, payment, confirmation,
 * reward, adjudication, public service (GB/T 39046 A.1 codes). The seed's targets are about these.
 */
export const APPLICATION_TYPES: ReadonlySet<string> = new Set(['01', '05', '07', '08', '09', '20']);
/** Exercise levels (行使层级): 3 city 市级, 4 district 县级, 5 street 镇街级. */
const CITY_DISTRICT = new Set([3, 4]);
const CITY_DISTRICT_STREET = new Set([3, 4, 5]);

/** One current item as the index keeps it: everything lists, filters and ratios need, not the content. */
export interface CatalogRecord {
  doc: number;
  versionId: string;
  itemId: string;
  version: number;
  implementationCode: string;
  basicCode: string;
  departmentId: string;
  departmentName: string;
  exerciseLevel: number;
  name: string;
  type: string;
  serviceObjects: string[];
  themes: string[];
  handlingForms: string[];
  handling: Record<FourWay, boolean>;
  legalDays: number;
  promisedDays: number;
  visitsRequired: number;
  proofIds: string[];
  intermediaryIds: string[];
  summary: ItemSummary;
}

interface DepartmentInfo {
  id: string;
  name: string;
  creditCode: string;
  regionCode: string;
  regionName: string;
}

class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }
}

const collator = new Intl.Collator('zh-Hans-CN');
/** Collation first (pinyin order for Chinese), then code units, so that distinct strings never tie. */
function compareText(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

type SortKey = { d: string; n: string; c: string };

/** The stable order of every listing without q: department name, item name, implementation code. */
function compareKeys(a: SortKey, b: SortKey): number {
  return compareText(a.d, b.d) || compareText(a.n, b.n) || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0);
}

const keyOf = (r: CatalogRecord): SortKey => ({ d: r.departmentName, n: r.name, c: r.implementationCode });

/** An immutable generation of the published catalog: built when the revision or the date moves. */
export class CatalogSnapshot {
  readonly byCode: Map<string, CatalogRecord>;
  readonly guides = new Lru<string, ItemGuide>(GUIDE_CACHE_SIZE);
  readonly results = new Lru<string, Int32Array>(RESULT_CACHE_SIZE);

  constructor(
    readonly revision: number,
    readonly today: string,
    /** Current items in the stable order; `records[i].doc === i` is also the search document id. */
    readonly records: CatalogRecord[],
    readonly index: SearchIndex,
    readonly departments: Map<string, DepartmentInfo>,
    readonly halls: Map<string, Hall>,
    readonly proofs: Map<string, ProofRow>,
    readonly intermediaries: Map<string, IntermediaryRow>,
    readonly upcoming: Map<string, { version: number; effectiveFrom: string }>,
    readonly buildMs: number,
  ) {
    this.byCode = new Map(records.map((r) => [r.implementationCode, r]));
  }
}

interface Filter {
  type?: string | undefined;
  objectType?: string | undefined;
  departmentId?: string | undefined;
  /** Departments of a region and below (resolved through OrgService). */
  departmentIds?: ReadonlySet<string> | undefined;
  handling?: FourWay | undefined;
  theme?: string | undefined;
}

/** Revision and date of the index generation, hash of the query and filters, offset. */
type SearchCursor = { r: number; t: string; h: string; o: number };
const SEARCH_CURSOR = { r: 'integer', t: 'string', h: 'string', o: 'integer' } as const;
const LIST_CURSOR = { d: 'string', n: 'string', c: 'string' } as const;

const badCursor = () => invalidInput([{ field: 'cursor', code: FieldCodes.invalid_cursor }]);

export interface QueryServiceStats {
  revision: number;
  today: string;
  items: number;
  buildMs: number;
  index: IndexStats;
}

/**
 * The published catalog for everyone (portal, app, hall terminals, channels): item search and
 * listing, guides, the four-ways report and the public lists. Lists and search are served from an
 * in-memory snapshot; `catalog_meta.revision` is checked at most once a second (and the date, since
 * a version scheduled for today becomes current at midnight), so a change made through any
 * instance reaches every instance within that second. Concurrent callers share one rebuild.
 */
export class CatalogQueryService {
  private snapshot: CatalogSnapshot | null = null;
  private checkedAt = 0;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly now: () => number = Date.now,
  ) {}

  /** Brings the snapshot up to date if the published catalog changed (shared by concurrent callers). */
  async current(): Promise<CatalogSnapshot> {
    if (this.snapshot === null || this.now() - this.checkedAt >= REFRESH_INTERVAL_MS) {
      this.refreshing ??= this.refresh().finally(() => {
        this.refreshing = null;
      });
      await this.refreshing;
    }
    return this.snapshot!;
  }

  /** Forces the next read to look at the database (after a change made by this instance). */
  invalidate(): void {
    this.checkedAt = 0;
  }

  private async refresh(): Promise<void> {
    const today = todayInShanghai(new Date(this.now()));
    const revision = await readStore.revision(this.db);
    if (this.snapshot === null || this.snapshot.revision !== revision || this.snapshot.today !== today) {
      this.snapshot = await this.build(today);
    }
    this.checkedAt = this.now();
  }

  private async build(today: string): Promise<CatalogSnapshot> {
    const started = performance.now();
    const [data, departmentList, hallList] = await Promise.all([readStore.loadSnapshot(this.db, today), this.org.listDepartments(), this.org.listHalls()]);
    const departments = new Map<string, DepartmentInfo>(
      departmentList.map((d) => [d.id, { id: d.id, name: d.name, creditCode: d.creditCode, regionCode: d.regionCode, regionName: d.regionName }]),
    );
    const records: CatalogRecord[] = data.items.map((row) => {
      const handling = { immediate: row.immediate, online: row.online, nearby: row.nearby, oneVisit: row.one_visit };
      const departmentName = departments.get(row.department_id)?.name ?? '';
      const record: CatalogRecord = {
        doc: 0,
        versionId: row.version_id,
        itemId: row.item_id,
        version: row.version,
        implementationCode: row.implementation_code,
        basicCode: row.basic_code,
        departmentId: row.department_id,
        departmentName,
        exerciseLevel: row.exercise_level,
        name: row.name,
        type: row.type,
        serviceObjects: row.service_objects,
        themes: row.themes,
        handlingForms: row.handling_forms ?? [],
        handling,
        legalDays: row.legal_days,
        promisedDays: row.promised_days,
        visitsRequired: row.visits_required,
        proofIds: [...new Set(row.proof_ids ?? [])],
        intermediaryIds: row.intermediary_ids ?? [],
        summary: {
          implementationCode: row.implementation_code,
          basicCode: row.basic_code,
          name: row.name,
          type: row.type,
          departmentId: row.department_id,
          departmentName,
          handling,
          legalDays: row.legal_days,
          promisedDays: row.promised_days,
        },
      };
      return record;
    });
    // Department order is decided once per department, then items by name within it.
    const departmentRank = new Map([...new Set(records.map((r) => r.departmentName))].sort(compareText).map((name, i) => [name, i]));
    records.sort((a, b) => departmentRank.get(a.departmentName)! - departmentRank.get(b.departmentName)! || compareText(a.name, b.name) || (a.implementationCode < b.implementationCode ? -1 : 1));
    records.forEach((r, i) => (r.doc = i));
    const texts = new Map(data.items.map((row) => [row.version_id, row]));
    const index = new SearchIndex(
      records.map((r) => {
        const row = texts.get(r.versionId)!;
        return {
          name: r.name,
          keywords: row.keywords ?? [],
          subItems: row.sub_item_names ?? [],
          handlingItems: row.handling_item_names ?? [],
          materials: row.material_names ?? [],
        };
      }),
      data.synonyms,
    );
    return new CatalogSnapshot(
      data.revision,
      today,
      records,
      index,
      departments,
      new Map(hallList.map((h) => [h.id, h])),
      new Map(data.proofs.map((p) => [p.id, p])),
      new Map(data.intermediaries.map((i) => [i.id, i])),
      new Map(data.upcoming.map((u) => [u.item_id, { version: u.version, effectiveFrom: u.effective_from }])),
      performance.now() - started,
    );
  }

  async stats(): Promise<QueryServiceStats> {
    const s = await this.current();
    return { revision: s.revision, today: s.today, items: s.records.length, buildMs: s.buildMs, index: s.index.stats() };
  }

  // --- lists and search ------------------------------------------------------------------------

  /**
   * `GET /api/v1/items`. Without `q`: the stable order with a keyset cursor, which stays valid
   * across catalog changes. With `q`: relevance order with a cursor holding the offset, the
   * index generation (revision and date) and a hash of the query and filters; a cursor from
   * another generation or query is refused (400 invalid_cursor) rather than silently skipping or
   * repeating items: the client starts the search again.
   */
  async listItems(query: ItemsQuery): Promise<ItemPage> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const departmentIds = query.regionCode ? await this.departmentsInRegion(query.regionCode) : undefined;
    const filter: Filter = { type: query.type, objectType: query.objectType, departmentId: query.departmentId, departmentIds, handling: query.handling, theme: query.theme };
    const q = query.q?.trim() ?? '';
    let snapshot = await this.current();
    if (q === '' || compact(q) === '') return listStable(snapshot, predicate(snapshot, filter), limit, query.cursor);

    const fingerprint = hashOf([compact(q), query.type, query.objectType, query.departmentId, query.regionCode, query.handling, query.theme]);
    let offset = 0;
    if (query.cursor) {
      const cursor = decodeCursor<SearchCursor>(query.cursor, SEARCH_CURSOR)!;
      // Another instance may already serve a newer generation: catch up before judging the cursor.
      if (cursor.r > snapshot.revision || (cursor.r === snapshot.revision && cursor.t > snapshot.today)) {
        this.invalidate();
        snapshot = await this.current();
      }
      if (cursor.r !== snapshot.revision || cursor.t !== snapshot.today || cursor.h !== fingerprint || cursor.o < 0) throw badCursor();
      offset = cursor.o;
    }
    let ranked = snapshot.results.get(fingerprint);
    if (!ranked) {
      const accept = predicate(snapshot, filter);
      ranked = snapshot.index.rank(q, accept ?? undefined);
      snapshot.results.set(fingerprint, ranked);
    }
    const items = Array.from(ranked.subarray(offset, offset + limit), (doc) => snapshot.records[doc]!.summary);
    const end = offset + items.length;
    const nextCursor = end < ranked.length ? encodeCursor({ r: snapshot.revision, t: snapshot.today, h: fingerprint, o: end }) : null;
    return { items, nextCursor };
  }

  private async departmentsInRegion(regionCode: string): Promise<Set<string>> {
    // OrgService answers 404 region_not_found for an unknown region, as GET /departments does.
    return new Set((await this.org.listDepartments(regionCode)).map((d) => d.id));
  }

  private async scopeFilter(scope: ScopeQuery): Promise<Filter> {
    return { departmentId: scope.departmentId, departmentIds: scope.regionCode ? await this.departmentsInRegion(scope.regionCode) : undefined };
  }

  // --- guides ----------------------------------------------------------------------------------

  /** `GET /api/v1/items/{code}`: the guide of the current version; 404 item_not_found when there is none today. */
  async guide(implementationCode: string, retried = false): Promise<ItemGuide> {
    const snapshot = await this.current();
    const record = snapshot.byCode.get(implementationCode.toUpperCase());
    if (!record) throw CatalogErrors.item_not_found();
    const cached = snapshot.guides.get(record.versionId);
    if (cached) return cached;
    const row = await readStore.versionById(this.db, record.versionId);
    if (!row || row.status !== 'published') {
      // Withdrawn or superseded since this snapshot was built (less than a second ago): look again.
      if (retried) throw CatalogErrors.item_not_found();
      this.invalidate();
      return this.guide(implementationCode, true);
    }
    const guide = this.render(snapshot, { ...row, implementation_code: record.implementationCode, basic_code: record.basicCode, department_id: record.departmentId, exercise_level: record.exerciseLevel });
    snapshot.guides.set(record.versionId, guide);
    return guide;
  }

  /**
   * `GET /api/v1/items/{code}/versions/{version}`: any version that was ever published, also a
   * superseded one, one scheduled for a later date, and a withdrawn one (marked `withdrawn`):
   * cases decided under a version must be able to show the guide they were decided under.
   * Drafts and versions in review are not public (404 version_not_found).
   */
  async guideVersion(implementationCode: string, version: number): Promise<ItemGuide> {
    const code = implementationCode.toUpperCase();
    const snapshot = await this.current();
    const record = snapshot.byCode.get(code);
    if (record?.version === version) return this.guide(code);
    const row = await readStore.readableVersion(this.db, code, version);
    if (!row) {
      if (record || (await readStore.itemExists(this.db, code))) throw CatalogErrors.version_not_found();
      throw CatalogErrors.item_not_found();
    }
    const cached = snapshot.guides.get(row.version_id);
    if (cached) return cached;
    const guide = this.render(snapshot, row);
    snapshot.guides.set(row.version_id, guide);
    return guide;
  }

  private render(snapshot: CatalogSnapshot, row: VersionRow): ItemGuide {
    const content = row.content as ItemContent;
    const current = snapshot.byCode.get(row.implementation_code)?.versionId === row.version_id;
    const upcoming = snapshot.upcoming.get(row.item_id);
    const proofIds = [...new Set(content.materials.flatMap((m) => (m.proofId ? [m.proofId] : [])))];
    return {
      ...content,
      implementationCode: row.implementation_code,
      basicCode: row.basic_code,
      departmentId: row.department_id,
      departmentName: snapshot.departments.get(row.department_id)?.name ?? '',
      exerciseLevel: row.exercise_level,
      version: row.version,
      status: row.status as ItemGuide['status'],
      current,
      effectiveFrom: row.effective_from,
      publishedAt: row.published_at ? row.published_at.toISOString() : null,
      withdrawnAt: row.withdrawn_at ? row.withdrawn_at.toISOString() : null,
      upcoming: upcoming && upcoming.version > row.version ? upcoming : null,
      halls: content.hallIds.flatMap((id) => snapshot.halls.get(id) ?? []),
      proofs: proofIds.flatMap((id) => {
        const proof = snapshot.proofs.get(id);
        return proof ? [publicProof(proof)] : [];
      }),
      intermediaries: content.intermediaryServiceIds.flatMap((id) => {
        const entry = snapshot.intermediaries.get(id);
        return entry ? [publicIntermediary(entry)] : [];
      }),
    };
  }

  // --- four ways, no-visit list, themes, lists ---------------------------------------------------

  /**
   * The four-ways report (§1-5): counts, the seed's four indicators beside their 2019/2020
   * targets, and the four-ways catalog (every current item in scope with its four attributes,
   * paged in the stable order). Definitions: docs/indicators.md "Catalog ratios" and
   * `fourWayIndicators` below.
   */
  async fourWays(query: ScopedPageQuery): Promise<FourWaysReport> {
    const snapshot = await this.current();
    const filter = await this.scopeFilter(query);
    const accept = predicate(snapshot, filter);
    const inScope = accept ? snapshot.records.filter((r) => accept(r.doc)) : snapshot.records;
    const page = listStable(snapshot, accept, query.limit ?? DEFAULT_LIMIT, query.cursor);
    return {
      asOf: snapshot.today,
      revision: snapshot.revision,
      scope: { departmentId: query.departmentId ?? null, regionCode: query.regionCode ?? null },
      counts: {
        items: inScope.length,
        immediate: inScope.filter((r) => r.handling.immediate).length,
        online: inScope.filter((r) => r.handling.online).length,
        nearby: inScope.filter((r) => r.handling.nearby).length,
        oneVisit: inScope.filter((r) => r.handling.oneVisit).length,
        noVisit: inScope.filter((r) => r.visitsRequired === 0).length,
      },
      indicators: fourWayIndicators(inScope),
      ...page,
    };
  }

  /**
   * The no-visit list (不见面审批, §4): current items of the six application types whose guide
   * asks for no visit at all (`visitsRequired` 0), and their share of all current items of those
   * types in scope.
   */
  async noVisit(query: ScopedPageQuery): Promise<NoVisitList> {
    const snapshot = await this.current();
    const scope = await this.scopeFilter(query);
    const inScope = predicate(snapshot, scope);
    const applicable = (doc: number) => APPLICATION_TYPES.has(snapshot.records[doc]!.type) && (!inScope || inScope(doc));
    const total = snapshot.records.filter((r) => applicable(r.doc)).length;
    const noVisitDoc = (doc: number) => applicable(doc) && snapshot.records[doc]!.visitsRequired === 0;
    const count = snapshot.records.filter((r) => noVisitDoc(r.doc)).length;
    const page = listStable(snapshot, noVisitDoc, query.limit ?? DEFAULT_LIMIT, query.cursor);
    return {
      asOf: snapshot.today,
      revision: snapshot.revision,
      scope: { departmentId: query.departmentId ?? null, regionCode: query.regionCode ?? null },
      count,
      total,
      share: total === 0 ? null : count / total,
      ...page,
    };
  }

  async themes(): Promise<Array<{ theme: (typeof THEMES)[number]; label: { zh: string; en: string }; itemCount: number }>> {
    const snapshot = await this.current();
    const counts = new Map<string, number>();
    for (const r of snapshot.records) for (const t of r.themes) counts.set(t, (counts.get(t) ?? 0) + 1);
    return THEMES.map((theme) => ({ theme, label: THEME_LABELS[theme], itemCount: counts.get(theme) ?? 0 }));
  }

  /** The published retained-proofs list (§9), each with the current items whose materials refer to it. */
  async proofs(): Promise<Array<PublicProof & { items: ItemRef[] }>> {
    const snapshot = await this.current();
    const users = referrers(snapshot, (r) => r.proofIds);
    return [...snapshot.proofs.values()].filter((p) => p.status === 'published').map((p) => ({ ...publicProof(p), items: users.get(p.id) ?? [] }));
  }

  /** The published intermediary-services list (§22), each with the current items requiring it. */
  async intermediaries(): Promise<Array<PublicIntermediary & { items: ItemRef[] }>> {
    const snapshot = await this.current();
    const users = referrers(snapshot, (r) => r.intermediaryIds);
    return [...snapshot.intermediaries.values()].filter((i) => i.status === 'published').map((i) => ({ ...publicIntermediary(i), items: users.get(i.id) ?? [] }));
  }

  /** Departments with current published items, and how many, in department-name order. */
  async departments(regionCode?: string): Promise<DepartmentCount[]> {
    const snapshot = await this.current();
    const within = regionCode ? await this.departmentsInRegion(regionCode) : undefined;
    const counts = new Map<string, number>();
    for (const r of snapshot.records) counts.set(r.departmentId, (counts.get(r.departmentId) ?? 0) + 1);
    return [...counts]
      .filter(([id]) => !within || within.has(id))
      .flatMap(([id, itemCount]) => {
        const d = snapshot.departments.get(id);
        return d ? [{ id, name: d.name, regionCode: d.regionCode, regionName: d.regionName, itemCount }] : [];
      })
      .sort((a, b) => compareText(a.name, b.name) || (a.id < b.id ? -1 : 1));
  }

  /** The whole published catalog as of today, read in one transaction. */
  async exportJson(): Promise<CatalogExport> {
    const snapshot = await this.current();
    const [{ revision, rows }, departmentList, hallList] = await Promise.all([
      readStore.exportRows(this.db, snapshot.today),
      this.org.listDepartments(),
      this.org.listHalls(),
    ]);
    const departments = new Map(departmentList.map((d) => [d.id, d]));
    const used = new Set(rows.map((r) => r.department_id));
    const items = rows
      .map((row) => ({
        implementationCode: row.implementation_code,
        basicCode: row.basic_code,
        departmentId: row.department_id,
        departmentName: departments.get(row.department_id)?.name ?? '',
        exerciseLevel: row.exercise_level,
        version: row.version,
        effectiveFrom: row.effective_from,
        publishedAt: row.published_at ? row.published_at.toISOString() : null,
        content: row.content as ItemContent,
      }))
      .sort((a, b) => compareKeys({ d: a.departmentName, n: a.content.name, c: a.implementationCode }, { d: b.departmentName, n: b.content.name, c: b.implementationCode }));
    return {
      format: 'tongban-catalog',
      formatVersion: 1,
      asOf: snapshot.today,
      revision,
      exportedAt: new Date(this.now()).toISOString(),
      departments: departmentList.filter((d) => used.has(d.id)).map((d) => ({ id: d.id, name: d.name, creditCode: d.creditCode, regionCode: d.regionCode })),
      halls: hallList,
      proofs: [...snapshot.proofs.values()].filter((p) => p.status === 'published').map(publicProof),
      intermediaries: [...snapshot.intermediaries.values()].filter((i) => i.status === 'published').map(publicIntermediary),
      items,
    };
  }
}

// --- indicators --------------------------------------------------------------------------------

/** Natural-person items handled on site: service object 1 (自然人) and handling form 1 (窗口办理). */
function onSiteForNaturalPersons(r: CatalogRecord): boolean {
  return r.serviceObjects.includes('1') && r.handlingForms.includes('1');
}

interface IndicatorDefinition {
  key: FourWay;
  /** Which current items form the denominator. */
  base: (r: CatalogRecord) => boolean;
  targetKind: 'about' | 'at_least';
  target2019: number;
  target2020: number;
  definition: { zh: string; en: string };
}

/**
 * The seed's four targets (§1-4), each over the current items of the six application types
 * (依申请六类) in scope; the numerator is the base items with the attribute set:
 *
 * - immediate (§1): base = natural-person on-site items at city, district and street level
 *   (exercise level 3-5); numerator: `handling.immediate`. 2019 about 1/4, 2020 about 1/2.
 * - online (§2): base = city- and district-level items (level 3-4); numerator: `handling.online`
 *   (网上可办). 2019 >= 90 %, 2020 100 %.
 * - nearby (§3): base = natural-person on-site items of every level in the city; numerator:
 *   `handling.nearby` (可在就近的实体大厅申办). 2019 >= 80 %, 2020 100 %.
 * - oneVisit (§4): base = city- and district-level items (level 3-4); numerator:
 *   `handling.oneVisit` (最多跑一次). 2019 >= 80 %, 2020 100 %.
 *
 * "On-site" means the item can be handled at a window (handling form 1). An "about" target counts
 * as met when the ratio reaches it. Items exempted by the government at their level (经本级政府
 * 批准的事项) are not modelled: they count in the base.
 */
export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    key: 'immediate',
    base: (r) => onSiteForNaturalPersons(r) && CITY_DISTRICT_STREET.has(r.exerciseLevel),
    targetKind: 'about',
    target2019: 0.25,
    target2020: 0.5,
    definition: {
      zh: '市、区、街道三级面向自然人的现场办理事项（依申请六类、支持窗口办理）中，“马上办”（即办）事项所占比例',
      en: 'Share of "immediate" among natural-person on-site items (six application types, window handling) at city, district and street level',
    },
  },
  {
    key: 'online',
    base: (r) => CITY_DISTRICT.has(r.exerciseLevel),
    targetKind: 'at_least',
    target2019: 0.9,
    target2020: 1,
    definition: {
      zh: '市、区级依申请六类政务服务事项中，“网上办”（网上可办）事项所占比例',
      en: 'Share of "online" among city- and district-level items of the six application types',
    },
  },
  {
    key: 'nearby',
    base: onSiteForNaturalPersons,
    targetKind: 'at_least',
    target2019: 0.8,
    target2020: 1,
    definition: {
      zh: '全市面向自然人的现场办理事项（依申请六类、支持窗口办理）中，可在就近的实体政务大厅申办（“就近办”）的比例',
      en: 'Share of "nearby" among natural-person on-site items (six application types, window handling) of every level',
    },
  },
  {
    key: 'oneVisit',
    base: (r) => CITY_DISTRICT.has(r.exerciseLevel),
    targetKind: 'at_least',
    target2019: 0.8,
    target2020: 1,
    definition: {
      zh: '市、区级依申请六类政务服务事项中，“最多跑一次”（一次办）事项所占比例',
      en: 'Share of "one visit at most" among city- and district-level items of the six application types',
    },
  },
];

export function fourWayIndicators(records: readonly CatalogRecord[]): Indicator[] {
  const applicable = records.filter((r) => APPLICATION_TYPES.has(r.type));
  return INDICATORS.map((def) => {
    const base = applicable.filter(def.base);
    const numerator = base.filter((r) => r.handling[def.key]).length;
    const denominator = base.length;
    const ratio = denominator === 0 ? null : numerator / denominator;
    return {
      key: def.key,
      label: FOUR_WAY_LABELS[def.key],
      definition: def.definition,
      numerator,
      denominator,
      ratio,
      targetKind: def.targetKind,
      target2019: def.target2019,
      target2020: def.target2020,
      met2019: ratio === null ? null : ratio >= def.target2019,
      met2020: ratio === null ? null : ratio >= def.target2020,
    };
  });
}

// --- helpers -----------------------------------------------------------------------------------

/** A page of the stable order from after the cursor's key (a keyset cursor: valid across catalog changes). */
function listStable(snapshot: CatalogSnapshot, accept: ((doc: number) => boolean) | null, limit: number, rawCursor: string | undefined): ItemPage {
  const records = snapshot.records;
  let start = 0;
  if (rawCursor) {
    const key = decodeCursor<SortKey>(rawCursor, LIST_CURSOR)!;
    // The first record after the key: records are sorted by compareKeys.
    let lo = 0;
    let hi = records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(keyOf(records[mid]!), key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page: CatalogRecord[] = [];
  for (let i = start; i < records.length && page.length <= limit; i++) {
    if (!accept || accept(i)) page.push(records[i]!);
  }
  const more = page.length > limit;
  const items = page.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map((r) => r.summary), nextCursor: more && last ? encodeCursor({ ...keyOf(last) }) : null };
}


/** The filters as one test on a document id, or null when nothing is filtered. */
function predicate(snapshot: CatalogSnapshot, filter: Filter): ((doc: number) => boolean) | null {
  const tests: Array<(r: CatalogRecord) => boolean> = [];
  if (filter.type) tests.push((r) => r.type === filter.type);
  if (filter.objectType) tests.push((r) => r.serviceObjects.includes(filter.objectType!));
  if (filter.departmentId) tests.push((r) => r.departmentId === filter.departmentId);
  if (filter.departmentIds) tests.push((r) => filter.departmentIds!.has(r.departmentId));
  if (filter.handling) tests.push((r) => r.handling[filter.handling!]);
  if (filter.theme) tests.push((r) => r.themes.includes(filter.theme!));
  if (tests.length === 0) return null;
  const records = snapshot.records;
  return (doc) => {
    const r = records[doc]!;
    for (const t of tests) if (!t(r)) return false;
    return true;
  };
}

function referrers(snapshot: CatalogSnapshot, ids: (r: CatalogRecord) => string[]): Map<string, ItemRef[]> {
  const users = new Map<string, ItemRef[]>();
  for (const r of snapshot.records) {
    for (const id of ids(r)) {
      let list = users.get(id);
      if (!list) users.set(id, (list = []));
      list.push({ implementationCode: r.implementationCode, name: r.name, departmentName: r.departmentName });
    }
  }
  return users;
}

function publicProof(p: ProofRow): PublicProof {
  return { id: p.id, code: p.code, name: p.name, legalBasis: p.legal_basis, requestingUnit: p.requesting_unit, issuingUnit: p.issuing_unit, guide: p.guide, status: p.status };
}

function publicIntermediary(i: IntermediaryRow): PublicIntermediary {
  return { id: i.id, code: i.code, name: i.name, legalBasis: i.legal_basis, feeStandard: i.fee_standard, providerRequirements: i.provider_requirements, status: i.status };
}

function hashOf(parts: Array<string | undefined>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}
