import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { reaches, reachesRegion, withinRegion, type StaffPrincipal } from '../../platform/auth/principal.js';
import { FieldCodes, invalidInput, type Lang } from '../../platform/http/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { isIsoDate, todayInShanghai } from '../../platform/time.js';
import type { StaffRole } from '../../shared/roles.js';
import type { CalendarService } from '../calendar/service.js';
import type { Indicator as CatalogIndicator } from '../catalog/public-schemas.js';
import type { CatalogQueryService } from '../catalog/query-service.js';
import type { EventsService } from '../events/service.js';
import type { IdentityService } from '../identity/service.js';
import type { OrgService } from '../org/service.js';
import { CASE_PROGRESSED } from '../events/outbox.js';
import { SupervisionErrors, SupervisionFieldCodes } from './errors.js';
import { WorkdayOrdinals } from './ordinals.js';
import { applyBatch } from './projection.js';
import { generateSynthetic } from './synthetic.js';
import type { ServiceQualityFigures, ServiceQualitySource } from './quality.js';
import { ALERT_LABELS, DEFAULT_ITEM_CLASSES, DEFAULT_OFFICE_HOURS, ENTERPRISE_TARGET_WORKDAYS, OVERDUE_REASONS, OVERDUE_REASON_DEFAULT, type AlertKind, type ItemClasses, type OfficeHours } from './rules.js';
import * as store from './store.js';
import type { Scope, RollupRow } from './store.js';

/** Who reads supervision figures, and how far (shared/roles.ts ROLE_REACH). */
export const SUPERVISION_ROLES: readonly StaffRole[] = ['supervisor', 'system_admin'];
/** A department's own view: its admin sees its own figures. */
export const DEPARTMENT_VIEW_ROLES: readonly StaffRole[] = ['supervisor', 'system_admin', 'department_admin'];

export const CONSUMER = 'supervision';
const CASE_EVENT_TYPES = ['case.status_changed', CASE_PROGRESSED];
const MAX_PERIOD_YEARS = 5;

/** Weights of the monthly department evaluation (部门考评); indicators that are null drop out and the rest are re-weighted. */
export interface EvaluationWeights {
  onTime: number;
  lowCorrection: number;
  lowRefusal: number;
  satisfaction: number;
  rectification: number;
  complaintOnTime: number;
}

export const DEFAULT_WEIGHTS: EvaluationWeights = { onTime: 0.4, lowCorrection: 0.1, lowRefusal: 0.1, satisfaction: 0.2, rectification: 0.1, complaintOnTime: 0.1 };

export interface SupervisionSettings {
  /** Share of the time limit at which a yellow warning is raised (default 0.8). */
  yellowShare?: number;
  weights?: EvaluationWeights;
  items?: ItemClasses;
  officeHours?: OfficeHours;
  now?: () => Date;
  /** How long the consumer waits at a gap in the outbox ids (events service `consume`). */
  gapGraceMs?: number;
  quality?: ServiceQualitySource;
}

export interface SupervisionDeps {
  events: EventsService;
  calendar: CalendarService;
  org: OrgService;
  identity: IdentityService;
  catalogQuery: CatalogQueryService;
}

export interface PeriodQuery {
  from?: string | undefined;
  to?: string | undefined;
  departmentId?: string | undefined;
  regionCode?: string | undefined;
}

export interface Figure {
  key: string;
  label: { zh: string; en: string };
  unit: 'ratio' | 'workdays';
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  /** The seed's target, when it sets one. */
  target: number | null;
  /** 'at_most' for times (lower is better), 'at_least' for shares. */
  targetKind: 'at_least' | 'at_most' | null;
  met: boolean | null;
}

export interface DepartmentFigures {
  departmentId: string;
  departmentName: string;
  received: number;
  decided: number;
  onTimeRate: number | null;
  averageWorkdays: number | null;
  correctionRate: number | null;
  refusalRate: number | null;
  satisfactionRate: number | null;
  complaintOnTimeRate: number | null;
}

export interface IndicatorReport {
  period: { from: string; to: string };
  scope: { departmentId: string | null; regionCode: string | null };
  catalog: CatalogIndicator[];
  indicators: Figure[];
  byDepartment: DepartmentFigures[];
  byRegion: Array<{ regionCode: string; regionName: string; received: number; decided: number; onTimeRate: number | null }>;
  byItem: Array<{ itemCode: string; itemName: string; received: number; decided: number; onTimeRate: number | null; averageWorkdays: number | null }>;
  trend: Array<{ bucket: string; received: number; decided: number; onTimeRate: number | null }>;
  qualityAvailable: boolean;
}

const ratio = (n: number, d: number) => (d === 0 ? null : n / d);

const LABELS = {
  onTime: { zh: '按时办结率', en: 'On-time completion rate' },
  averageWorkdays: { zh: '平均办理时长（工作日）', en: 'Average handling time (working days)' },
  p90Workdays: { zh: '办理时长90分位（工作日）', en: '90th percentile handling time (working days)' },
  enterpriseWorkdays: { zh: '企业开办平均时间（工作日，目标3个）', en: 'Enterprise opening time (working days, target 3)' },
  enterpriseWithinTarget: { zh: '企业开办3个工作日内办结比例', en: 'Enterprise openings within 3 working days' },
  realEstateWithinHour: { zh: '不动产登记1小时内办结比例', en: 'Real-estate registrations within 1 hour' },
  instantShare: { zh: '即时审批（秒批）比例', en: 'Instant-approval share' },
  commitmentShare: { zh: '告知承诺审批比例', en: 'Commitment share' },
  correctionRate: { zh: '补正告知率', en: 'Correction-notice rate' },
  refusalRate: { zh: '不予受理/不予许可率', en: 'Refusal rate' },
  onlineShare: { zh: '网上申办比例', en: 'Online application share' },
  satisfactionRate: { zh: '满意率', en: 'Satisfaction rate' },
  rectificationRate: { zh: '差评整改率', en: 'Bad-review rectification rate' },
  complaintOnTimeRate: { zh: '投诉按时办结率', en: 'Complaints answered on time' },
} as const;

function figure(key: keyof typeof LABELS, unit: Figure['unit'], numerator: number | null, denominator: number | null, value?: number | null, target: number | null = null, targetKind: Figure['targetKind'] = null): Figure {
  const v = value !== undefined ? value : numerator === null || denominator === null ? null : ratio(numerator, denominator);
  const met = v === null || target === null ? null : targetKind === 'at_most' ? v <= target : v >= target;
  return { key, label: LABELS[key], unit, value: v, numerator, denominator, target, targetKind, met };
}

/** The p-th percentile (0..1) of a histogram (nearest rank). */
export function percentile(histogram: ReadonlyArray<{ workdays: number; cases: number }>, p: number): number | null {
  const total = histogram.reduce((s, h) => s + h.cases, 0);
  if (total === 0) return null;
  const rank = Math.ceil(p * total);
  let seen = 0;
  for (const h of histogram) {
    seen += h.cases;
    if (seen >= rank) return h.workdays;
  }
  return histogram[histogram.length - 1]!.workdays;
}

/** Region code → path (codes from the root, joined by '/'), from the parent links. */
export function regionPathMap(regions: ReadonlyArray<{ code: string; parentCode: string | null }>): Map<string, string> {
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const paths = new Map<string, string>();
  const pathOf = (code: string, depth = 0): string => {
    const known = paths.get(code);
    if (known) return known;
    const parent = byCode.get(code)?.parentCode;
    const path = parent && depth < 10 ? `${pathOf(parent, depth + 1)}/${code}` : code;
    paths.set(code, path);
    return path;
  };
  for (const r of regions) pathOf(r.code);
  return paths;
}

function addYears(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
}

function refusal(r: Pick<RollupRow, 'not_accepted' | 'denied' | 'decided'>): number | null {
  return ratio(r.not_accepted + r.denied, r.not_accepted + r.decided);
}

function sumQuality(rows: readonly ServiceQualityFigures[]) {
  return rows.reduce(
    (s, r) => ({ evaluations: s.evaluations + r.evaluations, satisfied: s.satisfied + r.satisfied, badReviews: s.badReviews + r.badReviews, badRectified: s.badRectified + r.badRectified, complaints: s.complaints + r.complaints, complaintsOnTime: s.complaintsOnTime + r.complaintsOnTime }),
    { evaluations: 0, satisfied: 0, badReviews: 0, badRectified: 0, complaints: 0, complaintsOnTime: 0 },
  );
}

/**
 * Efficiency supervision (效能监督): projects the case events of the outbox into its own facts
 * and roll-ups, sweeps the open cases for deadline warnings and anomalies (each alert raised
 * once), notifies handlers, department heads and supervisors, and answers the indicators, the
 * live monitor, the department evaluation and the public disclosure, all from its own tables.
 */
export class SupervisionService {
  readonly yellowShare: number;
  readonly weights: EvaluationWeights;
  private readonly items: ItemClasses;
  private readonly officeHours: OfficeHours;
  private readonly now: () => Date;
  private quality: ServiceQualitySource | undefined;

  constructor(
    private readonly db: Db,
    private readonly deps: SupervisionDeps,
    private readonly settings: SupervisionSettings = {},
  ) {
    this.yellowShare = settings.yellowShare ?? 0.8;
    if (!(this.yellowShare > 0 && this.yellowShare < 1)) throw new Error('SupervisionService: yellowShare must be between 0 and 1');
    this.weights = settings.weights ?? DEFAULT_WEIGHTS;
    this.items = settings.items ?? DEFAULT_ITEM_CLASSES;
    this.officeHours = settings.officeHours ?? DEFAULT_OFFICE_HOURS;
    this.now = settings.now ?? (() => new Date());
    this.quality = settings.quality;
  }

  /** For the routes' audit entries. */
  get database(): Db {
    return this.db;
  }

  /** Wires the quality module's figures in (seam 3) once it exists. */
  useQualitySource(source: ServiceQualitySource): void {
    this.quality = source;
  }

  private today(): string {
    return todayInShanghai(this.now());
  }

  private async ordinals(): Promise<WorkdayOrdinals> {
    const ord = await WorkdayOrdinals.open(this.db, await this.deps.calendar.pinned());
    if (!ord) throw SupervisionErrors.calendar_missing();
    return ord;
  }

  // --- projection ------------------------------------------------------------------------------

  /**
   * Applies the next batch of case events (from the start of the outbox on the first run) to the
   * projection; returns how many were applied. Safe with several instances (events `consume`).
   */
  async project(limit = 500): Promise<number> {
    const ordinals = await this.ordinals();
    const calendar = await this.deps.calendar.pinned();
    const departments = new Map((await this.deps.org.listDepartments()).map((d) => [d.id, d]));
    const regionPaths = regionPathMap(await this.deps.org.listRegions());
    const result = await this.deps.events.consume(
      CONSUMER,
      CASE_EVENT_TYPES,
      (tx, events) =>
        applyBatch(tx, {
          ordinals,
          items: this.items,
          officeHours: this.officeHours,
          regionOf: (id) => {
            const d = departments.get(id);
            return d ? regionPaths.get(d.regionCode) : undefined;
          },
          isWorkday: async (date) => {
            try {
              return (await calendar.day(date)).workday;
            } catch {
              return null;
            }
          },
        }, events),
      { limit, ...(this.settings.gapGraceMs !== undefined ? { gapGraceMs: this.settings.gapGraceMs } : {}) },
    );
    return result.applied;
  }

  /** Projects until the outbox is caught up (tests, the demo's first run, the CLI). */
  async catchUp(batch = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const before = await this.deps.events.cursor(CONSUMER);
      const n = await this.project(batch);
      total += n;
      const after = await this.deps.events.cursor(CONSUMER);
      if (after === before) return total;
    }
  }

  /**
   * Months of synthetic history in supervision's own tables (demo mode only, once), so the
   * dashboard has trends and rankings on the first start; the demo's real cases come in through
   * the outbox like any others.
   */
  async seedDemoHistory(): Promise<boolean> {
    const done = await this.db.selectFrom('supervision_meta').select('value').where('key', '=', 'demo_history').executeTakeFirst();
    if (done) return false;
    const ordinals = await this.ordinals();
    const departments = await this.deps.org.listDepartments();
    const paths = regionPathMap(await this.deps.org.listRegions());
    const yesterday = new Date(this.now().getTime() - 86_400_000);
    await generateSynthetic(this.db, ordinals, {
      prefix: 'DEMO',
      departments: departments.map((d) => ({ id: d.id, regionPath: paths.get(d.regionCode) ?? d.regionCode })),
      itemsPerDepartment: 3,
      decided: 4000,
      open: 240,
      workdays: 130,
      today: todayInShanghai(yesterday),
    });
    await this.db.insertInto('supervision_meta').values({ key: 'demo_history', value: this.now().toISOString() }).onConflict((oc) => oc.column('key').doNothing()).execute();
    return true;
  }

  // --- sweep and alerts --------------------------------------------------------------------------

  /**
   * Raises the deadline warnings (yellow at `yellowShare` of the limit, red past the deadline),
   * overdue steps and unassigned cases over every open case, in set-based statements over the
   * projection: working days are ordinals, so no case is read into the application. The unique
   * key (case, kind, level) makes each alert once however many instances sweep together.
   */
  async sweep(): Promise<{ raised: number; skipped: boolean }> {
    const ordinals = await this.ordinals();
    const todayOrd = await ordinals.of(this.today());
    if (todayOrd === null) throw SupervisionErrors.calendar_missing();
    const share = this.yellowShare;
    const insert = (select: ReturnType<typeof sql>) => sql<{ n: number }>`
      WITH raised AS (
        INSERT INTO supervision_alerts (case_number, kind, level, department_id, region_path, item_name, handler_id, detail)
        ${select}
        ON CONFLICT (case_number, kind, level) DO NOTHING
        RETURNING 1
      ) SELECT count(*)::int AS n FROM raised`;
    const deadline = insert(sql`
      SELECT case_number, 'deadline', CASE WHEN ${todayOrd}::int > deadline_ord THEN 'red' ELSE 'yellow' END,
        department_id, region_path, item_name, handler_id,
        jsonb_build_object('deadline', deadline, 'elapsed', ${todayOrd}::int - accepted_ord - suspended_workdays, 'limit', deadline_ord - accepted_ord - suspended_workdays)
      FROM supervision_case_facts
      WHERE open AND status <> 'suspended' AND deadline_ord IS NOT NULL AND accepted_ord IS NOT NULL
        AND (${todayOrd}::int > deadline_ord
          OR (deadline_ord - accepted_ord - suspended_workdays > 0
            AND (${todayOrd}::int - accepted_ord - suspended_workdays) >= ${share}::float8 * (deadline_ord - accepted_ord - suspended_workdays)))`);
    const steps = insert(sql`
      SELECT case_number, 'step_deadline', 'red', department_id, region_path, item_name, handler_id,
        jsonb_build_object('step', current_step, 'due', step_due)
      FROM supervision_case_facts
      WHERE open AND status <> 'suspended' AND step_due_ord IS NOT NULL AND ${todayOrd}::int > step_due_ord`);
    const unassigned = insert(sql`
      SELECT case_number, 'unassigned', 'anomaly', department_id, region_path, item_name, NULL::uuid,
        jsonb_build_object('acceptedOn', accepted_on, 'workdays', ${todayOrd}::int - accepted_ord)
      FROM supervision_case_facts
      WHERE open AND status IN ('accepted', 'accepted_with_deficiency') AND handler_id IS NULL
        AND accepted_ord IS NOT NULL AND ${todayOrd}::int - accepted_ord > 1`);
    // One sweeper at a time: the unique key would absorb a second one's inserts, but not the
    // seconds of reading a million open cases again; an instance that finds the lock taken skips.
    return this.db.transaction().execute(async (tx) => {
      const { rows: lock } = await sql<{ got: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext('tongban.supervision.sweep')) AS got`.execute(tx);
      if (!lock[0]?.got) return { raised: 0, skipped: true };
      let raised = 0;
      for (const statement of [deadline, steps, unassigned]) {
        const { rows } = await statement.execute(tx);
        raised += Number(rows[0]?.n ?? 0);
      }
      return { raised, skipped: false };
    });
  }

  /**
   * Sends the in-app messages of alerts not yet notified: the handler (when known), the
   * department's heads (department admins), and for red warnings and anomalies the supervisors
   * whose region reaches the case. The alerts are claimed FOR UPDATE SKIP LOCKED and marked in the
   * same transaction as their messages, so each alert is announced once.
   */
  async notify(limit = 200): Promise<{ alerts: number; messages: number }> {
    return this.db.transaction().execute(async (tx) => {
      const alerts = await tx
        .selectFrom('supervision_alerts')
        .select(['id', 'case_number', 'kind', 'level', 'department_id', 'region_path', 'item_name', 'handler_id', 'detail'])
        .where('notified_at', 'is', null)
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (alerts.length === 0) return { alerts: 0, messages: 0 };
      const staff = await this.deps.identity.activeStaffHolding(['department_admin', 'supervisor'], tx);
      const messages: Array<{ userId: string; caseNumber: string; title: string; body: string }> = [];
      for (const a of alerts) {
        const label = ALERT_LABELS[a.kind as AlertKind] ?? { zh: a.kind, en: a.kind };
        const level = a.level === 'red' ? '红色' : a.level === 'yellow' ? '黄色' : '异常';
        const title = `【${level}】${label.zh}：${a.case_number}`;
        const body = `事项“${a.item_name}”的办件 ${a.case_number} 触发${label.zh}，请及时处理。`;
        const to = new Set<string>();
        if (a.handler_id) to.add(a.handler_id);
        for (const s of staff) {
          if (s.roles.includes('department_admin') && s.departmentId === a.department_id) to.add(s.id);
          const inRegion = withinRegion(a.region_path, s.regionPath);
          if (a.level !== 'yellow' && s.roles.includes('supervisor') && inRegion) to.add(s.id);
        }
        for (const userId of to) messages.push({ userId, caseNumber: a.case_number, title, body });
      }
      const sent = await this.deps.events.postStaffMessages(tx, messages);
      await tx.updateTable('supervision_alerts').set({ notified_at: this.now() }).where('id', 'in', alerts.map((a) => a.id)).execute();
      return { alerts: alerts.length, messages: sent };
    });
  }

  async listAlerts(principal: StaffPrincipal, query: PeriodQuery & { level?: string | undefined; limit?: number | undefined; cursor?: string | undefined }, lang: Lang = 'zh') {
    const scope = await this.scopeFor(principal, query, DEPARTMENT_VIEW_ROLES);
    const limit = query.limit ?? 20;
    const after = decodeCursor<{ id: number }>(query.cursor, { id: 'integer' });
    let q = this.db
      .selectFrom('supervision_alerts')
      .select(['id', 'case_number', 'kind', 'level', 'department_id', 'item_name', 'detail', 'raised_at'])
      .where(store.factScope(scope.scope))
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (query.level) q = q.where('level', '=', query.level as 'red');
    if (after) q = q.where('id', '<', after.id);
    const rows = await q.execute();
    const names = await this.departmentNames();
    const { items, nextCursor } = page(rows, limit, (r) => ({ id: Number(r.id) }));
    return {
      items: items.map((r) => ({
        id: Number(r.id),
        caseNumber: r.case_number,
        kind: r.kind,
        kindLabel: ALERT_LABELS[r.kind as AlertKind]?.[lang] ?? r.kind,
        level: r.level,
        departmentId: r.department_id,
        departmentName: names.get(r.department_id) ?? '',
        itemName: r.item_name,
        detail: r.detail as Record<string, unknown>,
        raisedAt: new Date(r.raised_at).toISOString(),
      })),
      nextCursor,
    };
  }

  // --- scope and period ------------------------------------------------------------------------

  /** The period asked for (default: this month so far), checked: real dates, not reversed, at most 5 years. */
  period(query: PeriodQuery): { from: string; to: string } {
    const today = this.today();
    const from = query.from ?? `${today.slice(0, 8)}01`;
    const to = query.to ?? today;
    const errors = [];
    if (!isIsoDate(from)) errors.push({ field: 'from', code: FieldCodes.invalid_format });
    if (!isIsoDate(to)) errors.push({ field: 'to', code: FieldCodes.invalid_format });
    if (errors.length) throw invalidInput(errors);
    if (from > to) throw invalidInput([{ field: 'from', code: SupervisionFieldCodes.period_reversed }]);
    if (to > addYears(from, MAX_PERIOD_YEARS)) throw invalidInput([{ field: 'to', code: SupervisionFieldCodes.period_too_long }]);
    return { from, to };
  }

  /**
   * The scope asked for, within the caller's reach: a department (404 when unknown, 403 when out
   * of reach), a region (likewise), or by default all the caller reaches (the city, their region,
   * or their own department).
   */
  async scopeFor(principal: StaffPrincipal, query: PeriodQuery, roles: readonly StaffRole[]): Promise<{ scope: Scope; regionCode: string | null }> {
    let departmentId: string | null = null;
    let regionPath: string | null = null;
    if (query.departmentId) {
      const target = await this.deps.org.departmentScope(query.departmentId);
      if (!reaches(principal, target, roles)) throw SupervisionErrors.outside_region();
      departmentId = target.departmentId;
    }
    if (query.regionCode) {
      regionPath = await this.deps.org.regionPath(query.regionCode);
      if (!reachesRegion(principal, regionPath, roles)) throw SupervisionErrors.outside_region();
    }
    if (!departmentId && !regionPath) {
      if (reachesRegion(principal, principal.regionPath, roles)) {
        const cityWide = principal.roles.some((r) => roles.includes(r) && r === 'system_admin');
        regionPath = cityWide ? null : principal.regionPath;
      } else {
        departmentId = principal.departmentId;
      }
    }
    return { scope: { departmentId, regionPath }, regionCode: query.regionCode ?? null };
  }

  private async departmentNames(): Promise<Map<string, string>> {
    return new Map((await this.deps.org.listDepartments()).map((d) => [d.id, d.name]));
  }

  // --- indicators --------------------------------------------------------------------------------

  async indicators(principal: StaffPrincipal, query: PeriodQuery): Promise<IndicatorReport> {
    const period = this.period(query);
    const { scope, regionCode } = await this.scopeFor(principal, query, DEPARTMENT_VIEW_ROLES);
    return this.report(period, scope, { departmentId: scope.departmentId, regionCode });
  }

  /** The report of a checked period and scope (also the public ranking's and the evaluation's source). */
  async report(period: { from: string; to: string }, scope: Scope, shown: { departmentId: string | null; regionCode: string | null }): Promise<IndicatorReport> {
    const days = (Date.parse(period.to) - Date.parse(period.from)) / 86_400_000;
    const [rows, histogram, departments, regions, quality, catalog] = await Promise.all([
      store.rollups(this.db, period.from, period.to, scope, days > 62 ? 'month' : 'day'),
      store.durations(this.db, period.from, period.to, scope),
      this.deps.org.listDepartments(),
      this.deps.org.listRegions(),
      this.quality ? this.quality.figuresByDepartment(period) : Promise.resolve(null),
      this.catalogFigures(scope, shown.regionCode),
    ]);
    const deptNames = new Map(departments.map((d) => [d.id, d.name]));
    const paths = regionPathMap(regions);
    const inScopeDept = (id: string) => {
      const d = departments.find((x) => x.id === id);
      const path = d ? paths.get(d.regionCode) ?? '' : '';
      if (scope.departmentId && id !== scope.departmentId) return false;
      if (scope.regionPath && !withinRegion(path, scope.regionPath)) return false;
      return true;
    };
    const qualityInScope = quality ? quality.filter((q) => inScopeDept(q.departmentId)) : null;
    const qualityByDept = new Map((qualityInScope ?? []).map((q) => [q.departmentId, q]));
    const zero = { received: 0, online_received: 0, accepted: 0, not_accepted: 0, corrections: 0, decided: 0, decided_on_time: 0, denied: 0, instant: 0, commitment: 0, handling_days_sum: 0, handling_counted: 0, real_estate_decided: 0, real_estate_within_hour: 0, enterprise_decided: 0, enterprise_days_sum: 0, enterprise_within_target: 0 };
    const total = rows.find((r) => r.grouping === 'total') ?? { grouping: 'total' as const, key: null, item_name: null, ...zero };
    const q = qualityInScope ? sumQuality(qualityInScope) : null;

    const indicators: Figure[] = [
      figure('onTime', 'ratio', total.decided_on_time, total.decided),
      figure('averageWorkdays', 'workdays', total.handling_days_sum, total.handling_counted),
      figure('p90Workdays', 'workdays', null, null, percentile(histogram, 0.9)),
      figure('enterpriseWorkdays', 'workdays', total.enterprise_days_sum, total.enterprise_decided, undefined, ENTERPRISE_TARGET_WORKDAYS, 'at_most'),
      figure('enterpriseWithinTarget', 'ratio', total.enterprise_within_target, total.enterprise_decided),
      figure('realEstateWithinHour', 'ratio', total.real_estate_within_hour, total.real_estate_decided),
      figure('instantShare', 'ratio', total.instant, total.decided),
      figure('commitmentShare', 'ratio', total.commitment, total.decided),
      figure('correctionRate', 'ratio', total.corrections, total.received),
      figure('refusalRate', 'ratio', total.not_accepted + total.denied, total.not_accepted + total.decided),
      figure('onlineShare', 'ratio', total.online_received, total.received),
      figure('satisfactionRate', 'ratio', q?.satisfied ?? null, q?.evaluations ?? null),
      figure('rectificationRate', 'ratio', q?.badRectified ?? null, q?.badReviews ?? null),
      figure('complaintOnTimeRate', 'ratio', q?.complaintsOnTime ?? null, q?.complaints ?? null),
    ];

    const regionNames = new Map(regions.map((r) => [paths.get(r.code)!, r]));
    const regionGroups = new Map<string, { received: number; decided: number; onTime: number }>();
    const depth = scope.regionPath ? scope.regionPath.split('/').length + 1 : 2;
    for (const r of rows.filter((x) => x.grouping === 'region')) {
      const parts = (r.key ?? '').split('/');
      const path = parts.slice(0, Math.min(depth, parts.length)).join('/');
      const g = regionGroups.get(path) ?? { received: 0, decided: 0, onTime: 0 };
      g.received += r.received;
      g.decided += r.decided;
      g.onTime += r.decided_on_time;
      regionGroups.set(path, g);
    }

    return {
      period,
      scope: shown,
      catalog,
      indicators,
      byDepartment: rows
        .filter((r) => r.grouping === 'department' && r.key)
        .map((r) => {
          const dq = qualityByDept.get(r.key!);
          return {
            departmentId: r.key!,
            departmentName: deptNames.get(r.key!) ?? '',
            received: r.received,
            decided: r.decided,
            onTimeRate: ratio(r.decided_on_time, r.decided),
            averageWorkdays: ratio(r.handling_days_sum, r.handling_counted),
            correctionRate: ratio(r.corrections, r.received),
            refusalRate: refusal(r),
            satisfactionRate: quality ? (dq ? ratio(dq.satisfied, dq.evaluations) : null) : null,
            complaintOnTimeRate: quality ? (dq ? ratio(dq.complaintsOnTime, dq.complaints) : null) : null,
          };
        })
        .sort((a, b) => b.received - a.received || a.departmentName.localeCompare(b.departmentName)),
      byRegion: [...regionGroups].map(([path, g]) => {
        const region = regionNames.get(path);
        return { regionCode: region?.code ?? path.split('/').pop() ?? path, regionName: region?.name ?? path, received: g.received, decided: g.decided, onTimeRate: ratio(g.onTime, g.decided) };
      }),
      byItem: rows
        .filter((r) => r.grouping === 'item' && r.key)
        .map((r) => ({ itemCode: r.key!, itemName: r.item_name ?? '', received: r.received, decided: r.decided, onTimeRate: ratio(r.decided_on_time, r.decided), averageWorkdays: ratio(r.handling_days_sum, r.handling_counted) }))
        .sort((a, b) => b.received - a.received)
        .slice(0, 50),
      trend: rows
        .filter((r) => r.grouping === 'bucket' && r.key)
        .map((r) => ({ bucket: r.key!, received: r.received, decided: r.decided, onTimeRate: ratio(r.decided_on_time, r.decided) }))
        .sort((a, b) => a.bucket.localeCompare(b.bucket)),
      qualityAvailable: quality !== null,
    };
  }

  /** The catalog's four-ways ratios beside their 2019 and 2020 targets (CatalogQueryService, docs/indicators.md). */
  private async catalogFigures(scope: Scope, regionCode: string | null): Promise<CatalogIndicator[]> {
    const report = await this.deps.catalogQuery.fourWays({
      ...(scope.departmentId ? { departmentId: scope.departmentId } : {}),
      ...(regionCode ? { regionCode } : scope.regionPath ? { regionCode: scope.regionPath.split('/').pop()! } : {}),
      limit: 1,
    });
    return report.indicators;
  }

  // --- live monitor and drill-down ---------------------------------------------------------------

  /**
   * Open cases right now: how many are in time, yellow, red or stopped, per department, and the
   * most overdue ones with their elapsed and remaining working days (overall and for the step).
   */
  async monitor(principal: StaffPrincipal, query: PeriodQuery) {
    const { scope } = await this.scopeFor(principal, query, DEPARTMENT_VIEW_ROLES);
    const ordinals = await this.ordinals();
    const today = this.today();
    const t = await ordinals.of(today);
    if (t === null) throw SupervisionErrors.calendar_missing();
    const share = this.yellowShare;
    const level = sql<string>`CASE
      WHEN status = 'suspended' THEN 'stopped'
      WHEN deadline_ord IS NULL OR accepted_ord IS NULL THEN 'waiting'
      WHEN ${t}::int > deadline_ord THEN 'red'
      WHEN deadline_ord - accepted_ord - suspended_workdays > 0 AND ${t}::int - accepted_ord - suspended_workdays >= ${share}::float8 * (deadline_ord - accepted_ord - suspended_workdays) THEN 'yellow'
      ELSE 'green' END`;
    const { rows: counts } = await sql<{ department_id: string; level: string; n: number }>`
      SELECT department_id::text AS department_id, ${level} AS level, count(*)::int AS n
      FROM supervision_case_facts WHERE open AND ${store.factScope(scope)}
      GROUP BY 1, 2`.execute(this.db);
    const { rows: worst } = await sql<{ case_number: string; item_name: string; department_id: string; status: string; deadline: string | null; elapsed: number | null; remaining: number | null; current_step: number | null; step_due: string | null; step_remaining: number | null; step_elapsed: number | null; level: string }>`
      SELECT case_number, item_name, department_id::text AS department_id, status, to_char(deadline, 'YYYY-MM-DD') AS deadline,
        ${t}::int - accepted_ord - suspended_workdays AS elapsed, deadline_ord - ${t}::int AS remaining,
        current_step, to_char(step_due, 'YYYY-MM-DD') AS step_due, step_due_ord - ${t}::int AS step_remaining, ${t}::int - step_started_ord AS step_elapsed, ${level} AS level
      FROM supervision_case_facts
      WHERE open AND status <> 'suspended' AND deadline_ord IS NOT NULL AND ${store.factScope(scope)}
      ORDER BY deadline_ord - ${t}::int, case_number LIMIT 20`.execute(this.db);
    const names = await this.departmentNames();
    const byDept = new Map<string, Record<string, number>>();
    for (const c of counts) {
      const row = byDept.get(c.department_id) ?? { green: 0, yellow: 0, red: 0, stopped: 0, waiting: 0 };
      row[c.level] = (row[c.level] ?? 0) + Number(c.n);
      byDept.set(c.department_id, row);
    }
    const totals = { green: 0, yellow: 0, red: 0, stopped: 0, waiting: 0 };
    for (const row of byDept.values()) for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += row[k] ?? 0;
    return {
      asOf: this.now().toISOString(),
      yellowShare: share,
      totals,
      byDepartment: [...byDept].map(([id, row]) => ({ departmentId: id, departmentName: names.get(id) ?? '', green: row.green ?? 0, yellow: row.yellow ?? 0, red: row.red ?? 0, stopped: row.stopped ?? 0, waiting: row.waiting ?? 0 })).sort((a, b) => b.red - a.red || b.yellow - a.yellow),
      cases: worst.map((w) => ({
        caseNumber: w.case_number,
        itemName: w.item_name,
        departmentId: w.department_id,
        departmentName: names.get(w.department_id) ?? '',
        status: w.status,
        deadline: w.deadline,
        elapsedWorkdays: w.elapsed === null ? null : Number(w.elapsed),
        remainingWorkdays: w.remaining === null ? null : Number(w.remaining),
        currentStep: w.current_step,
        stepDue: w.step_due,
        stepElapsedWorkdays: w.step_elapsed === null ? null : Number(w.step_elapsed),
        stepRemainingWorkdays: w.step_remaining === null ? null : Number(w.step_remaining),
        level: w.level,
      })),
    };
  }

  /** The cases behind a figure (drill-down): filed (or decided, for decision figures) in the period and scope. */
  async cases(principal: StaffPrincipal, query: PeriodQuery & { itemCode?: string | undefined; filter?: string | undefined; limit?: number | undefined; cursor?: string | undefined }) {
    const period = this.period(query);
    const { scope } = await this.scopeFor(principal, query, DEPARTMENT_VIEW_ROLES);
    const limit = query.limit ?? 20;
    const after = decodeCursor<{ n: string }>(query.cursor, { n: 'string' });
    const byDecision = ['late', 'on_time', 'instant', 'commitment', 'denied'].includes(query.filter ?? '');
    const day = byDecision ? 'decided_on' : 'submitted_on';
    let q = this.db
      .selectFrom('supervision_case_facts')
      .select(['case_number', 'item_code', 'item_name', 'department_id', 'status', 'channel', 'submitted_at', 'accepted_on', 'deadline', 'decided_at', 'handling_workdays', 'on_time', 'instant', 'commitment', 'corrected', 'refused'])
      .where(day, '>=', period.from)
      .where(day, '<=', period.to)
      .where(store.factScope(scope))
      .orderBy('case_number')
      .limit(limit + 1);
    if (query.itemCode) q = q.where('item_code', '=', query.itemCode);
    switch (query.filter) {
      case 'late': q = q.where('on_time', '=', false); break;
      case 'on_time': q = q.where('on_time', '=', true); break;
      case 'instant': q = q.where('instant', '=', true); break;
      case 'commitment': q = q.where('commitment', '=', true).where('decided_on', 'is not', null); break;
      case 'denied': q = q.where('decision', '=', 'denied'); break;
      case 'corrected': q = q.where('corrected', '=', true); break;
      case 'refused': q = q.where('refused', '=', true); break;
      case 'open': q = q.where('open', '=', true); break;
      default: break;
    }
    if (after) q = q.where('case_number', '>', after.n);
    const rows = await q.execute();
    const names = await this.departmentNames();
    const { items, nextCursor } = page(rows, limit, (r) => ({ n: r.case_number }));
    return {
      items: items.map((r) => ({
        caseNumber: r.case_number,
        itemCode: r.item_code,
        itemName: r.item_name,
        departmentId: r.department_id,
        departmentName: names.get(r.department_id) ?? '',
        status: r.status,
        channel: r.channel,
        submittedAt: new Date(r.submitted_at).toISOString(),
        acceptedOn: r.accepted_on,
        deadline: r.deadline,
        decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
        handlingWorkdays: r.handling_workdays,
        onTime: r.on_time,
        instant: r.instant,
        commitment: r.commitment,
        corrected: r.corrected,
        refused: r.refused,
      })),
      nextCursor,
    };
  }

  // --- evaluation, ranking, public disclosure ---------------------------------------------------

  /** A month `YYYY-MM` as a period; default: the previous month. */
  monthPeriod(month: string | undefined): { month: string; from: string; to: string } {
    const today = this.today();
    let m = month;
    if (m === undefined) {
      const d = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
      d.setUTCMonth(d.getUTCMonth() - 1);
      m = d.toISOString().slice(0, 7);
    }
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(m)) throw invalidInput([{ field: 'month', code: SupervisionFieldCodes.month_invalid }]);
    const end = new Date(`${m}-01T00:00:00Z`);
    end.setUTCMonth(end.getUTCMonth() + 1);
    end.setUTCDate(0);
    return { month: m, from: `${m}-01`, to: end.toISOString().slice(0, 10) };
  }

  /**
   * The monthly department evaluation (部门考评): a weighted score (0-100) from the month's
   * indicators; an indicator that is not available (null) drops out and the other weights are
   * scaled up so they still sum to one.
   */
  async evaluation(scope: Scope, month: string | undefined) {
    const p = this.monthPeriod(month);
    const report = await this.report({ from: p.from, to: p.to }, scope, { departmentId: scope.departmentId, regionCode: null });
    const quality = this.quality ? await this.quality.figuresByDepartment({ from: p.from, to: p.to }) : null;
    const rectification = new Map((quality ?? []).map((q) => [q.departmentId, ratio(q.badRectified, q.badReviews)]));
    const w = this.weights;
    const rows = report.byDepartment.map((d) => {
      const parts: Array<[number, number | null]> = [
        [w.onTime, d.onTimeRate],
        [w.lowCorrection, d.correctionRate === null ? null : 1 - d.correctionRate],
        [w.lowRefusal, d.refusalRate === null ? null : 1 - d.refusalRate],
        [w.satisfaction, d.satisfactionRate],
        [w.rectification, rectification.get(d.departmentId) ?? null],
        [w.complaintOnTime, d.complaintOnTimeRate],
      ];
      const used = parts.filter(([, v]) => v !== null) as Array<[number, number]>;
      const weight = used.reduce((s, [wt]) => s + wt, 0);
      const score = weight === 0 ? null : Math.round((used.reduce((s, [wt, v]) => s + wt * v, 0) / weight) * 1000) / 10;
      return { departmentId: d.departmentId, departmentName: d.departmentName, score, received: d.received, decided: d.decided, onTimeRate: d.onTimeRate, correctionRate: d.correctionRate, refusalRate: d.refusalRate, satisfactionRate: d.satisfactionRate };
    });
    rows.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.departmentName.localeCompare(b.departmentName));
    return { month: p.month, weights: { ...w } as Record<string, number>, departments: rows.map((r, i) => ({ rank: r.score === null ? null : i + 1, ...r })) };
  }

  async evaluationFor(principal: StaffPrincipal, query: { month?: string | undefined; regionCode?: string | undefined }) {
    const { scope } = await this.scopeFor(principal, { regionCode: query.regionCode }, SUPERVISION_ROLES);
    return this.evaluation(scope, query.month);
  }

  /** The public monthly ranking: the city's evaluation, department names and scores only. */
  async publicRanking(month: string | undefined) {
    const e = await this.evaluation({ departmentId: null, regionPath: null }, month);
    return { month: e.month, departments: e.departments.map((d) => ({ rank: d.rank, departmentId: d.departmentId, departmentName: d.departmentName, score: d.score, decided: d.decided, onTimeRate: d.onTimeRate })) };
  }

  /**
   * The public list of overdue cases (CONTRACT `/public/overdue`): item, department, working days
   * overdue and the reason. Only what the projection knows, and it holds no applicant data: no
   * name, identifier, phone or form field can reach this list. The reason is worded in `lang`.
   */
  async publicOverdue(query: { departmentId?: string | undefined; limit?: number | undefined; cursor?: string | undefined }, lang: Lang = 'zh') {
    const ordinals = await this.ordinals();
    const t = await ordinals.of(this.today());
    if (t === null) throw SupervisionErrors.calendar_missing();
    if (query.departmentId) await this.deps.org.departmentScope(query.departmentId);
    const limit = query.limit ?? 20;
    const after = decodeCursor<{ d: number; n: string }>(query.cursor, { d: 'integer', n: 'string' });
    let q = this.db
      .selectFrom('supervision_case_facts')
      .select(['case_number', 'item_code', 'item_name', 'department_id', 'status', 'deadline', 'deadline_ord'])
      .where('open', '=', true)
      .where('status', '<>', 'suspended')
      .where('deadline_ord', '<', t)
      .orderBy('deadline_ord')
      .orderBy('case_number')
      .limit(limit + 1);
    if (query.departmentId) q = q.where('department_id', '=', query.departmentId);
    if (after) q = q.where((eb) => eb.or([eb('deadline_ord', '>', after.d), eb.and([eb('deadline_ord', '=', after.d), eb('case_number', '>', after.n)])]));
    const rows = await q.execute();
    const names = await this.departmentNames();
    const { items, nextCursor } = page(rows, limit, (r) => ({ d: r.deadline_ord!, n: r.case_number }));
    return {
      asOf: this.today(),
      items: items.map((r) => ({
        itemCode: r.item_code,
        itemName: r.item_name,
        departmentId: r.department_id,
        departmentName: names.get(r.department_id) ?? '',
        deadline: r.deadline!,
        daysOverdue: t - r.deadline_ord!,
        reason: (OVERDUE_REASONS[r.status] ?? OVERDUE_REASON_DEFAULT)[lang],
      })),
      nextCursor,
    };
  }

  /** All public overdue rows (open data download), at most `max`. */
  async allPublicOverdue(lang: Lang = 'zh', max = 10_000) {
    const out: Awaited<ReturnType<SupervisionService['publicOverdue']>>['items'] = [];
    let cursor: string | undefined;
    do {
      const p = await this.publicOverdue({ limit: 100, ...(cursor ? { cursor } : {}) }, lang);
      out.push(...p.items);
      cursor = p.nextCursor ?? undefined;
    } while (cursor && out.length < max);
    return out;
  }
}
