/**
 * Consultations, complaints, suggestions and praise (咨询投诉, issue 7, ADR 0012): tickets from the
 * portal, the hall and the 12345 hotline, routed to a department by item or by choice, answered
 * within working days per kind, transferred, escalated, closed, rated by the applicant (through
 * the evaluation service), and answered consultations published as the item's FAQ.
 */
import { sql, type Selectable } from 'kysely';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../../platform/audit/audit.js';
import { reaches, type Principal, type StaffPrincipal } from '../../platform/auth/principal.js';
import type { Db, Executor } from '../../platform/db/database.js';
import type { TicketKind, TicketSource, TicketStatus, TicketTable } from '../../platform/db/schema.js';
import { AppError, CommonErrors, FieldCodes, fieldMessage, invalidInput, type FieldErrorSpec, type Lang } from '../../platform/http/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { todayInShanghai } from '../../platform/time.js';
import { isValidMobile, maskName, maskPhone } from '../../shared/identifiers.js';
import { TICKET_STATUS_LABELS } from '../../shared/quality-codes.js';
import type { StaffRole } from '../../shared/roles.js';
import type { CalendarService } from '../calendar/service.js';
import type { CatalogQueryService } from '../catalog/query-service.js';
import type { CaseFacts, TicketFacts, TicketSubject } from '../evaluation/service.js';
import type { QualitySettingsSource } from '../evaluation/settings.js';
import { writeEvent } from '../events/outbox.js';
import type { OrgService } from '../org/service.js';
import { parseCsv } from './csv.js';
import { TicketErrors, TicketFieldCodes } from './errors.js';
import type { FaqList, HotlineImport, HotlineImportResult, HotlineRow, TicketAction, TicketDetail, TicketInput, TicketQuery, TicketSummary } from './schemas.js';

export interface TicketsDeps {
  calendar: CalendarService;
  catalogQuery: CatalogQueryService;
  org: OrgService;
  cases: CaseFacts;
  /** The answering deadlines per kind in force (ADR 0015), read whenever a deadline is computed. */
  settings: QualitySettingsSource;
}

export interface TicketsSettings {
  now?: () => Date;
}

/** Department staff who answer their department's tickets. */
const HANDLER_ROLES: readonly StaffRole[] = ['department_admin', 'approver', 'window_clerk'];
const SUPERVISOR_ROLES: readonly StaffRole[] = ['supervisor'];
/** Who imports the 12345 hotline's work orders: the supervisor (for the region reached) or the system admin. */
export const IMPORTER_ROLES: readonly StaffRole[] = ['supervisor', 'system_admin'];
/** Largest hotline import: a day's work orders for a city's departments. */
export const IMPORT_LIMIT = 5000;

type Row = Selectable<TicketTable>;
type ActionName = TicketAction['action'];
type Party = 'handler' | 'supervisor' | 'owner';

/** Ticket actions as data: the statuses each is taken in, and by whom. */
const ACTIONS: Record<ActionName, { from: readonly TicketStatus[]; by: readonly Party[]; label: string }> = {
  reply: { from: ['open'], by: ['handler'], label: '答复' },
  transfer: { from: ['open'], by: ['handler', 'supervisor'], label: '转办' },
  escalate: { from: ['open', 'answered'], by: ['handler', 'owner'], label: '提请督办' },
  close: { from: ['answered'], by: ['handler', 'owner', 'supervisor'], label: '办结' },
  publish_faq: { from: ['answered', 'closed'], by: ['handler'], label: '发布为常见问题' },
  unpublish_faq: { from: ['answered', 'closed'], by: ['handler'], label: '撤下常见问题' },
};

const KIND_ALIASES: Record<string, TicketKind> = {
  consultation: 'consultation', complaint: 'complaint', suggestion: 'suggestion', praise: 'praise',
  咨询: 'consultation', 投诉: 'complaint', 建议: 'suggestion', 表扬: 'praise', 求助: 'consultation', 举报: 'complaint',
};
const COLUMN_ALIASES: Record<string, keyof HotlineRow> = {
  ref: 'ref', 工单号: 'ref', 工单编号: 'ref', kind: 'kind', 类型: 'kind', 诉求类型: 'kind', title: 'title', 标题: 'title', 诉求标题: 'title',
  body: 'body', 内容: 'body', 诉求内容: 'body', contactName: 'contactName', 联系人: 'contactName', 来电人: 'contactName',
  contactPhone: 'contactPhone', 联系电话: 'contactPhone', 来电号码: 'contactPhone', itemCode: 'itemCode', 事项编码: 'itemCode', department: 'department', 承办部门: 'department',
};

export class TicketsService implements TicketFacts {
  private readonly now: () => Date;

  constructor(
    private readonly db: Db,
    private readonly deps: TicketsDeps,
    settings: TicketsSettings = {},
  ) {
    this.now = settings.now ?? (() => new Date());
  }

  /** The deadline of a ticket of `kind` handled from `day` on: that many working days, the day itself not counted. */
  private async deadlineFor(kind: TicketKind, day: string): Promise<string> {
    const { ticketDeadlines } = await this.deps.settings.current();
    return this.deps.calendar.deadline(day, ticketDeadlines[kind]);
  }

  // --- opening ------------------------------------------------------------------------------------

  /** Where a ticket goes: the item's department, else the chosen one, else the case's; field errors otherwise. */
  private async route(input: { itemCode?: string | undefined; departmentId?: string | undefined; caseNumber?: string | undefined }, applicantUserId: string | null, prefix = ''):
    Promise<{ errors: FieldErrorSpec[]; target?: { departmentId: string; regionPath: string; itemCode: string | null; itemName: string | null; caseNumber: string | null } }> {
    const errors: FieldErrorSpec[] = [];
    let itemCode: string | null = null;
    let itemName: string | null = null;
    let departmentId: string | null = null;
    let caseNumber: string | null = null;
    if (input.caseNumber) {
      const c = await this.deps.cases.evaluationSubject(input.caseNumber);
      if (!c || (applicantUserId !== null && c.applicantUserId !== applicantUserId)) errors.push({ field: `${prefix}caseNumber`, code: TicketFieldCodes.ticket_case_unknown });
      else {
        caseNumber = c.caseNumber;
        departmentId = c.departmentId;
        itemCode = c.itemCode;
        itemName = c.itemName;
      }
    }
    if (input.itemCode) {
      try {
        const guide = await this.deps.catalogQuery.guide(input.itemCode.trim().toUpperCase());
        itemCode = guide.implementationCode;
        itemName = guide.name;
        departmentId = guide.departmentId;
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 404) throw error;
        errors.push({ field: `${prefix}itemCode`, code: TicketFieldCodes.ticket_item_unknown });
      }
    }
    if (input.departmentId && !itemCode) departmentId = input.departmentId;
    if (!input.caseNumber && !input.itemCode && !input.departmentId) errors.push({ field: `${prefix}itemCode`, code: TicketFieldCodes.ticket_subject_required });
    if (errors.length > 0 || !departmentId) return { errors };
    const scope = await this.deps.org.departmentScope(departmentId).catch(() => null);
    if (!scope) return { errors: [{ field: `${prefix}departmentId`, code: TicketFieldCodes.ticket_department_unknown }] };
    return { errors, target: { departmentId, regionPath: scope.regionPath, itemCode, itemName, caseNumber } };
  }

  private async nextNumber(executor: Executor, today: string): Promise<string> {
    const row = await executor
      .insertInto('ticket_sequences')
      .values({ day: today, last: 1 })
      .onConflict((oc) => oc.column('day').doUpdateSet({ last: sql`ticket_sequences.last + 1` }))
      .returning('last')
      .executeTakeFirstOrThrow();
    if (row.last > 999_999) throw TicketErrors.ticket_number_exhausted();
    return `ZX${today.replaceAll('-', '')}${String(row.last).padStart(6, '0')}`;
  }

  /**
   * `POST /tickets`: an applicant on the portal, or a window clerk for a visitor at the hall
   * (source hall). A ticket must be about something: an item, a department or a case.
   */
  async open(principal: Principal, ip: string | null, input: TicketInput): Promise<TicketDetail> {
    if (principal.kind === 'client') throw CommonErrors.forbidden();
    const errors: FieldErrorSpec[] = [];
    const title = input.title.trim();
    const body = input.body.trim();
    if (title === '') errors.push({ field: 'title', code: TicketFieldCodes.ticket_text_blank });
    if (body === '') errors.push({ field: 'body', code: TicketFieldCodes.ticket_text_blank });
    if (input.contactPhone && !isValidMobile(input.contactPhone)) errors.push({ field: 'contactPhone', code: FieldCodes.invalid_format });
    const applicantUserId = principal.kind === 'applicant' ? principal.userId : null;
    const routed = await this.route(input, applicantUserId);
    errors.push(...routed.errors);
    if (errors.length > 0 || !routed.target) throw invalidInput(errors);
    const source: TicketSource = principal.kind === 'applicant' ? 'portal' : 'hall';
    const actor: AuditActor = { id: principal.userId, kind: principal.kind, ip };
    const row = await this.insert({
      kind: input.kind, source, hotlineRef: null, applicantUserId, contactName: input.contactName?.trim() || (principal.kind === 'applicant' ? principal.name : null),
      contactPhone: input.contactPhone ?? null, title, body, target: routed.target, createdBy: principal.userId, actorName: principal.name,
    }, actor);
    return this.detail(principal, row);
  }

  private async insert(
    t: { kind: TicketKind; source: TicketSource; hotlineRef: string | null; applicantUserId: string | null; contactName: string | null; contactPhone: string | null; title: string; body: string; target: NonNullable<Awaited<ReturnType<TicketsService['route']>>['target']>; createdBy: string | null; actorName: string },
    actor: AuditActor,
  ): Promise<Row> {
    const now = this.now();
    const today = todayInShanghai(now);
    const deadline = await this.deadlineFor(t.kind, today);
    return this.db.transaction().execute(async (trx) => {
      const number = await this.nextNumber(trx, today);
      const row = await trx
        .insertInto('tickets')
        .values({
          number, kind: t.kind, source: t.source, hotline_ref: t.hotlineRef, applicant_user_id: t.applicantUserId, contact_name: t.contactName, contact_phone: t.contactPhone,
          title: t.title, body: t.body, item_code: t.target.itemCode, item_name: t.target.itemName, case_number: t.target.caseNumber,
          department_id: t.target.departmentId, region_path: t.target.regionPath, status: 'open', deadline, opened_at: now, opened_on: today, created_by: t.createdBy,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.history(trx, row.id, 'open', actor.id, t.actorName, null, { source: t.source });
      await recordAudit(trx, actor, { action: 'tickets.ticket.opened', targetType: 'ticket', targetId: number, detail: { kind: t.kind, source: t.source, departmentId: t.target.departmentId } });
      await writeEvent(trx, { type: 'quality.ticket_opened', aggregateType: 'ticket', aggregateId: number, payload: { ticketNumber: number, kind: t.kind, deadline, departmentId: t.target.departmentId, notify: { departmentId: t.target.departmentId, roles: HANDLER_ROLES } } });
      return row;
    });
  }

  private async history(trx: Executor, ticketId: string, action: string, actorId: string | null, actorName: string, comment: string | null, detail: Record<string, unknown> = {}): Promise<void> {
    await trx.insertInto('ticket_history').values({ ticket_id: ticketId, action, actor_id: actorId?.startsWith('client:') ? null : actorId, actor_name: actorName, comment, detail: JSON.stringify(detail) }).execute();
  }

  // --- the 12345 hotline ---------------------------------------------------------------------------

  /**
   * Imports 12345 hotline work orders (CSV text or JSON rows). Every row ends up in exactly one
   * list: imported (with its ticket number), already imported before (the work-order number is
   * unique), or refused with its field errors. A bad row never stops the good ones.
   */
  async importHotline(principal: StaffPrincipal, ip: string | null, input: HotlineImport, lang: Lang = 'zh'): Promise<HotlineImportResult> {
    let rows: HotlineRow[];
    if (input.rows && input.rows.length > 0) rows = input.rows;
    else if (input.csv && input.csv.trim() !== '') {
      const table = parseCsv(input.csv);
      const header = (table.shift() ?? []).map((h) => COLUMN_ALIASES[h.trim().replace(/^\uFEFF/, '')] ?? h.trim());
      rows = table.filter((cells) => cells.some((c) => c.trim() !== '')).map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])) as HotlineRow);
    } else throw TicketErrors.ticket_import_empty();
    if (rows.length > IMPORT_LIMIT) throw TicketErrors.ticket_import_too_large({ limit: IMPORT_LIMIT });

    const result: HotlineImportResult = { imported: [], duplicates: [], errors: [] };
    const departments = await this.deps.org.listDepartments();
    const seen = new Set<string>();
    const actor: AuditActor = { id: principal.userId, kind: 'staff', ip };
    for (const [index, raw] of rows.entries()) {
      const rowNo = index + 1;
      const fail = (field: string, code: string, params?: Record<string, string | number>) => result.errors.push({ row: rowNo, field, code, message: fieldMessage(code, lang, params) });
      const ref = String(raw.ref ?? '').trim();
      const kind = KIND_ALIASES[String(raw.kind ?? '').trim()];
      const title = String(raw.title ?? '').trim();
      const body = String(raw.body ?? '').trim();
      const phone = String(raw.contactPhone ?? '').trim();
      const before = result.errors.length;
      if (!ref) fail('ref', FieldCodes.required);
      else if (ref.length > 40) fail('ref', FieldCodes.too_long, { limit: 40 });
      else if (seen.has(ref)) fail('ref', TicketFieldCodes.ticket_duplicate_ref);
      if (!kind) fail('kind', TicketFieldCodes.ticket_kind_unknown);
      if (!title) fail('title', FieldCodes.required);
      else if (title.length > 100) fail('title', FieldCodes.too_long, { limit: 100 });
      if (!body) fail('body', FieldCodes.required);
      else if (body.length > 2000) fail('body', FieldCodes.too_long, { limit: 2000 });
      if (phone && !isValidMobile(phone) && !/^0\d{2,3}-?\d{7,8}$/.test(phone)) fail('contactPhone', FieldCodes.invalid_format);
      const deptText = String(raw.department ?? '').trim();
      const dept = deptText ? departments.find((d) => d.id === deptText || d.name === deptText) : undefined;
      if (deptText && !dept) fail('department', TicketFieldCodes.ticket_department_unknown);
      const itemCode = String(raw.itemCode ?? '').trim() || undefined;
      // an unknown department is reported once, not again as "about nothing"
      const routed = deptText && !dept ? { errors: [] } : await this.route({ itemCode, departmentId: dept?.id, caseNumber: undefined }, null);
      for (const e of routed.errors) fail(e.field === 'itemCode' && !itemCode ? 'department' : e.field, e.code);
      // a district's supervisor imports for the departments they reach; the city's for all
      if (routed.target && !reaches(principal, routed.target, IMPORTER_ROLES)) fail('department', TicketFieldCodes.ticket_department_out_of_reach);
      if (ref) seen.add(ref);
      if (result.errors.length > before || !routed.target || !kind) continue;
      const existing = await this.db.selectFrom('tickets').select('number').where('hotline_ref', '=', ref).executeTakeFirst();
      if (existing) {
        result.duplicates.push({ row: rowNo, ref, number: existing.number });
        continue;
      }
      try {
        const row = await this.insert({
          kind, source: 'hotline', hotlineRef: ref, applicantUserId: null, contactName: String(raw.contactName ?? '').trim().slice(0, 50) || null, contactPhone: phone || null,
          title, body, target: routed.target, createdBy: principal.userId, actorName: principal.name,
        }, actor);
        result.imported.push({ row: rowNo, ref, number: row.number });
      } catch (error) {
        // imported meanwhile by another import of the same file: it is there, under that number
        if ((error as { code?: string }).code !== '23505') throw error;
        const again = await this.db.selectFrom('tickets').select('number').where('hotline_ref', '=', ref).executeTakeFirstOrThrow();
        result.duplicates.push({ row: rowNo, ref, number: again.number });
      }
    }
    await recordAudit(this.db, actor, { action: 'tickets.import.applied', detail: { imported: result.imported.length, duplicates: result.duplicates.length, refused: new Set(result.errors.map((e) => e.row)).size } });
    return result;
  }

  // --- reading ---------------------------------------------------------------------------------------

  private partiesOf(principal: Principal, row: Pick<Row, 'department_id' | 'region_path' | 'applicant_user_id'>): Set<Party> {
    const parties = new Set<Party>();
    if (principal.kind === 'applicant' && row.applicant_user_id === principal.userId) parties.add('owner');
    if (principal.kind === 'staff') {
      const target = { departmentId: row.department_id, regionPath: row.region_path };
      if (principal.roles.some((r) => HANDLER_ROLES.includes(r)) && principal.departmentId === row.department_id) parties.add('handler');
      if (reaches(principal, target, SUPERVISOR_ROLES)) parties.add('supervisor');
    }
    return parties;
  }

  private reachesTicket(principal: Principal, row: Row): boolean {
    if (principal.kind === 'applicant') return row.applicant_user_id === principal.userId;
    if (principal.kind !== 'staff') return false;
    if (principal.roles.includes('system_admin')) return true;
    return this.partiesOf(principal, row).size > 0;
  }

  private async reachable(principal: Principal, number: string): Promise<Row> {
    const row = await this.db.selectFrom('tickets').selectAll().where('number', '=', number.toUpperCase()).executeTakeFirst();
    if (!row || !this.reachesTicket(principal, row)) throw TicketErrors.ticket_not_found();
    return row;
  }

  /**
   * `GET /tickets`: the applicant's own; a department's staff their department's queue (oldest
   * deadline first); a supervisor the region's. Contact names and phones are masked here.
   */
  async list(principal: Principal, query: TicketQuery): Promise<{ items: TicketSummary[]; nextCursor: string | null }> {
    const limit = query.limit ?? 20;
    const after = decodeCursor<{ d: string; n: string }>(query.cursor, { d: 'string', n: 'string' });
    const today = todayInShanghai(this.now());
    let q = this.db.selectFrom('tickets').selectAll();
    if (principal.kind === 'applicant') q = q.where('applicant_user_id', '=', principal.userId);
    else if (principal.kind === 'staff') {
      if (!principal.roles.includes('system_admin')) {
        const regional = principal.roles.some((r) => SUPERVISOR_ROLES.includes(r));
        const departmental = principal.roles.some((r) => HANDLER_ROLES.includes(r));
        q = q.where((eb) => eb.or([
          ...(regional ? [eb('region_path', '=', principal.regionPath), eb('region_path', 'like', `${principal.regionPath}/%`)] : []),
          ...(departmental ? [eb('department_id', '=', principal.departmentId)] : []),
          sql<boolean>`false`,
        ]));
      }
    } else throw CommonErrors.forbidden();
    if (query.status) q = q.where('status', '=', query.status);
    if (query.kind) q = q.where('kind', '=', query.kind);
    if (query.escalated !== undefined) q = q.where('escalated_at', query.escalated ? 'is not' : 'is', null);
    if (query.overdue !== undefined) q = query.overdue ? q.where('status', '=', 'open').where('deadline', '<', today) : q.where((eb) => eb.or([eb('status', '!=', 'open'), eb('deadline', '>=', today)]));
    if (after) q = q.where((eb) => eb.or([eb('deadline', '>', after.d), eb.and([eb('deadline', '=', after.d), eb('number', '>', after.n)])]));
    const rows = await q.orderBy('deadline').orderBy('number').limit(limit + 1).execute();
    const paged = page(rows, limit, (r) => ({ d: r.deadline, n: r.number }));
    const names = await this.departmentNames();
    return { items: paged.items.map((r) => this.summary(r, names, today, principal.kind === 'staff')), nextCursor: paged.nextCursor };
  }

  private async departmentNames(): Promise<Map<string, string>> {
    return new Map((await this.deps.org.listDepartments()).map((d) => [d.id, d.name]));
  }

  private summary(r: Row, names: Map<string, string>, today: string, mask: boolean): TicketSummary {
    return {
      number: r.number,
      kind: r.kind,
      source: r.source,
      title: r.title,
      itemCode: r.item_code,
      itemName: r.item_name,
      caseNumber: r.case_number,
      departmentId: r.department_id,
      departmentName: names.get(r.department_id) ?? '',
      status: r.status,
      deadline: r.deadline,
      overdue: r.status === 'open' && today > r.deadline,
      escalated: r.escalated_at !== null,
      openedAt: r.opened_at.toISOString(),
      answeredAt: r.answered_at ? r.answered_at.toISOString() : null,
      contactName: r.contact_name ? (mask ? maskName(r.contact_name) : r.contact_name) : null,
      contactPhone: r.contact_phone ? (mask ? maskPhone(r.contact_phone) : r.contact_phone) : null,
      hotlineRef: r.hotline_ref,
      version: r.version,
    };
  }

  /** `GET /tickets/{number}`: the handler sees the contact in clear (to call back), and that read is audited. */
  async get(principal: Principal, number: string, ip: string | null = null): Promise<TicketDetail> {
    const row = await this.reachable(principal, number);
    if (principal.kind === 'staff') await recordAudit(this.db, { id: principal.userId, kind: 'staff', ip }, { action: 'tickets.ticket.read', targetType: 'ticket', targetId: row.number });
    return this.detail(principal, row);
  }

  private async detail(principal: Principal, row: Row): Promise<TicketDetail> {
    const names = await this.departmentNames();
    const history = await this.db.selectFrom('ticket_history').selectAll().where('ticket_id', '=', row.id).orderBy('id').execute();
    const parties = this.partiesOf(principal, row);
    const actions = (Object.keys(ACTIONS) as ActionName[]).filter((a) => ACTIONS[a].from.includes(row.status) && ACTIONS[a].by.some((p) => parties.has(p)) && this.fits(a, row));
    return {
      // the owner and the handling staff see their own contact details in full; nobody else reads them here
      ...this.summary(row, names, todayInShanghai(this.now()), false),
      body: row.body,
      reply: row.reply,
      repliedByName: row.replied_by_name,
      closedAt: row.closed_at ? row.closed_at.toISOString() : null,
      faq: row.faq_published_at ? { question: row.faq_question ?? row.title, answer: row.faq_answer ?? row.reply ?? '', publishedAt: row.faq_published_at.toISOString() } : null,
      history: history.map((h) => ({ action: h.action, at: h.at.toISOString(), actor: h.actor_name, comment: h.comment, ...transferOf(h.detail, names) })),
      actions,
    };
  }

  /** Actions that also depend on the ticket beyond its status. */
  private fits(action: ActionName, row: Row): boolean {
    if (action === 'publish_faq') return row.kind === 'consultation' && row.item_code !== null && row.faq_published_at === null;
    if (action === 'unpublish_faq') return row.faq_published_at !== null;
    if (action === 'escalate') return row.escalated_at === null;
    return true;
  }

  // --- acting ------------------------------------------------------------------------------------------

  /** `POST /tickets/{number}/actions`: reach (404), who (403), version (409), status (422), in one transaction. */
  async act(principal: Principal, ip: string | null, number: string, input: TicketAction): Promise<TicketDetail> {
    const row = await this.reachable(principal, number);
    if (principal.kind === 'client') throw CommonErrors.forbidden();
    const spec = ACTIONS[input.action];
    if (!spec.by.some((p) => this.partiesOf(principal, row).has(p))) throw TicketErrors.ticket_action_forbidden({ action: spec.label });
    const blank = blankFields(input);
    if (blank.length > 0) throw invalidInput(blank);
    const now = this.now();
    let transferTo: { departmentId: string; regionPath: string; kind: TicketKind; deadline: string } | null = null;
    if (input.action === 'transfer') {
      const scope = await this.deps.org.departmentScope(input.departmentId).catch(() => null);
      if (!scope || input.departmentId === row.department_id) throw invalidInput([{ field: 'departmentId', code: TicketFieldCodes.ticket_department_unknown }]);
      // the receiving department gets the whole answering time of the (possibly corrected) kind, from today
      const kind = input.kind ?? row.kind;
      transferTo = { departmentId: input.departmentId, regionPath: scope.regionPath, kind, deadline: await this.deadlineFor(kind, todayInShanghai(now)) };
    }
    if (input.action === 'publish_faq' && (row.kind !== 'consultation' || !row.item_code)) throw invalidInput([{ field: 'action', code: TicketFieldCodes.ticket_faq_not_consultation }]);
    const actor: AuditActor = { id: principal.userId, kind: principal.kind, ip };

    const updated = await this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('tickets').selectAll().where('id', '=', row.id).forUpdate().executeTakeFirstOrThrow();
      if (current.version !== input.version) throw TicketErrors.ticket_version_conflict({ current: current.version });
      if (!spec.from.includes(current.status) || !this.fits(input.action, current)) throw TicketErrors.ticket_action_not_allowed({ status: TICKET_STATUS_LABELS[current.status].zh, action: spec.label });
      const patch: Record<string, unknown> = { version: current.version + 1 };
      let comment: string | null = null;
      let event: { type: string; notify: Record<string, unknown> } | null = null;
      let audit: 'tickets.ticket.replied' | 'tickets.ticket.transferred' | 'tickets.ticket.escalated' | 'tickets.ticket.closed' | 'tickets.ticket.faq_published' = 'tickets.ticket.replied';
      switch (input.action) {
        case 'reply':
          Object.assign(patch, { status: 'answered', reply: input.reply.trim(), answered_at: now, answered_on: todayInShanghai(now), replied_by: principal.userId, replied_by_name: principal.name });
          comment = input.reply.trim();
          if (current.applicant_user_id) event = { type: 'quality.ticket_answered', notify: { userIds: [current.applicant_user_id] } };
          break;
        case 'transfer':
          Object.assign(patch, { department_id: transferTo!.departmentId, region_path: transferTo!.regionPath, kind: transferTo!.kind, deadline: transferTo!.deadline });
          comment = input.comment.trim();
          audit = 'tickets.ticket.transferred';
          event = { type: 'quality.ticket_opened', notify: { departmentId: transferTo!.departmentId, roles: HANDLER_ROLES } };
          break;
        case 'escalate':
          Object.assign(patch, { escalated_at: now });
          comment = input.comment.trim();
          audit = 'tickets.ticket.escalated';
          event = { type: 'quality.ticket_escalated', notify: { regionPath: current.region_path, roles: SUPERVISOR_ROLES } };
          break;
        case 'close':
          Object.assign(patch, { status: 'closed', closed_at: now });
          comment = input.comment?.trim() || null;
          audit = 'tickets.ticket.closed';
          break;
        case 'publish_faq':
          Object.assign(patch, { faq_question: input.question?.trim() || current.title, faq_answer: input.answer?.trim() || current.reply, faq_published_at: now });
          audit = 'tickets.ticket.faq_published';
          break;
        case 'unpublish_faq':
          Object.assign(patch, { faq_published_at: null });
          audit = 'tickets.ticket.faq_published';
          break;
      }
      const next = await trx.updateTable('tickets').set(patch as never).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
      const transfer = transferTo
        ? { from: current.department_id, to: transferTo.departmentId, kindFrom: current.kind, kindTo: transferTo.kind, deadlineFrom: current.deadline, deadlineTo: transferTo.deadline }
        : {};
      await this.history(trx, row.id, input.action, principal.userId, principal.name, comment, transfer);
      await recordAudit(trx, actor, { action: audit, targetType: 'ticket', targetId: current.number, detail: { action: input.action, ...transfer } });
      if (event) await writeEvent(trx, { type: event.type, aggregateType: 'ticket', aggregateId: current.number, payload: { ticketNumber: current.number, kind: next.kind, deadline: next.deadline, departmentId: next.department_id, notify: event.notify } });
      return next;
    });
    return this.detail(principal, updated);
  }

  /**
   * Escalates every open ticket past its deadline to the supervisor, once (`escalated_at` is set
   * only where null, in one statement: several instances never raise one twice).
   */
  async sweepOverdue(now: Date = this.now()): Promise<{ escalated: number }> {
    const today = todayInShanghai(now);
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx.updateTable('tickets').set({ escalated_at: now }).where('escalated_at', 'is', null).where('status', '=', 'open').where('deadline', '<', today)
        .returning(['id', 'number', 'kind', 'deadline', 'department_id', 'region_path']).execute();
      for (const r of rows) {
        await this.history(trx, r.id, 'escalate', null, '系统（超期自动督办）', null, { overdue: true });
        await recordAudit(trx, SYSTEM_ACTOR, { action: 'tickets.ticket.escalated', targetType: 'ticket', targetId: r.number, detail: { overdue: true, deadline: r.deadline } });
        await writeEvent(trx, { type: 'quality.ticket_escalated', aggregateType: 'ticket', aggregateId: r.number, payload: { ticketNumber: r.number, kind: r.kind, deadline: r.deadline, departmentId: r.department_id, notify: { regionPath: r.region_path, roles: SUPERVISOR_ROLES } } });
      }
      return { escalated: rows.length };
    });
  }

  // --- for the evaluation service and the public ---------------------------------------------------

  async ratingSubject(ticketNumber: string): Promise<TicketSubject | null> {
    const row = await this.db.selectFrom('tickets').selectAll().where('number', '=', ticketNumber.toUpperCase()).executeTakeFirst();
    return row ? ratingSubjectOf(row) : null;
  }

  /**
   * Answered tickets with an applicant's account (the ones someone could rate; a hotline caller
   * cannot), answered in [after, before], oldest first: the default-rating sweep's source. From
   * the watermark itself, so a tie at a batch's end is read again (the sweep ignores repeats).
   */
  async answeredTickets(query: { after: Date | null; before: Date; limit: number }): Promise<TicketSubject[]> {
    let q = this.db.selectFrom('tickets').selectAll().where('answered_at', 'is not', null).where('applicant_user_id', 'is not', null).where('answered_at', '<=', query.before);
    if (query.after) q = q.where('answered_at', '>=', query.after);
    const rows = await q.orderBy('answered_at').orderBy('id').limit(query.limit).execute();
    return rows.map(ratingSubjectOf);
  }

  /** Complaints opened in the period per department, and how many were answered by their deadline. */
  async complaintFigures(period: { from: string; to: string }): Promise<Map<string, { complaints: number; complaintsOnTime: number }>> {
    const rows = await this.db
      .selectFrom('tickets')
      .select((eb) => ['department_id', eb.fn.countAll<string>().as('n'), sql<string>`count(*) filter (where answered_on is not null and answered_on <= deadline)`.as('on_time')])
      .where('kind', '=', 'complaint')
      .where('opened_on', '>=', period.from)
      .where('opened_on', '<=', period.to)
      .groupBy('department_id')
      .execute();
    return new Map(rows.map((r) => [r.department_id, { complaints: Number(r.n), complaintsOnTime: Number(r.on_time) }]));
  }

  /** `GET /items/{code}/faq`: published answers to consultations about the item (question and answer only). */
  async faq(itemCode: string): Promise<FaqList> {
    const code = itemCode.toUpperCase();
    const rows = await this.db.selectFrom('tickets').select(['faq_question', 'faq_answer', 'title', 'reply', 'faq_published_at', 'department_id'])
      .where('item_code', '=', code).where('faq_published_at', 'is not', null).orderBy('faq_published_at', 'desc').limit(50).execute();
    const names = await this.departmentNames();
    return {
      itemCode: code,
      items: rows.map((r) => ({ question: r.faq_question ?? r.title, answer: r.faq_answer ?? r.reply ?? '', departmentName: names.get(r.department_id) ?? '', publishedAt: r.faq_published_at!.toISOString() })),
    };
  }
}

/** A ticket as a rating sees it: completed when answered, the staff member rated the one who replied. */
function ratingSubjectOf(row: Row): TicketSubject {
  return {
    ticketNumber: row.number,
    itemCode: row.item_code,
    itemName: row.item_name,
    caseNumber: row.case_number,
    applicantUserId: row.applicant_user_id,
    completedAt: row.answered_at,
    departmentId: row.department_id,
    regionPath: row.region_path,
    staff: row.replied_by && row.replied_by_name ? { id: row.replied_by, name: row.replied_by_name } : null,
  };
}

/** A history entry's transfer, as the detail shows it (entries before 0011 carry only the departments). */
function transferOf(detail: Record<string, unknown>, names: Map<string, string>): { transfer?: TicketDetail['history'][number]['transfer'] } {
  const d = detail as { from?: string; to?: string; kindFrom?: TicketKind; kindTo?: TicketKind; deadlineFrom?: string; deadlineTo?: string };
  if (!d.from || !d.to || !d.kindFrom || !d.kindTo || !d.deadlineFrom || !d.deadlineTo) return {};
  return {
    transfer: {
      fromDepartmentId: d.from, fromDepartmentName: names.get(d.from) ?? '', toDepartmentId: d.to, toDepartmentName: names.get(d.to) ?? '',
      kindFrom: d.kindFrom, kindTo: d.kindTo, deadlineFrom: d.deadlineFrom, deadlineTo: d.deadlineTo,
    },
  };
}

function blankFields(input: TicketAction): FieldErrorSpec[] {
  const errors: FieldErrorSpec[] = [];
  const check = (field: string, value: string | undefined) => {
    if (value !== undefined && value.trim() === '') errors.push({ field, code: TicketFieldCodes.ticket_text_blank });
  };
  if (input.action === 'reply') check('reply', input.reply);
  if (input.action === 'transfer' || input.action === 'escalate') check('comment', input.comment);
  if (input.action === 'publish_faq') {
    check('question', input.question);
    check('answer', input.answer);
  }
  return errors;
}
