/**
 * What an event says to people: the in-app message and SMS text for each case status, and the
 * copy of a payload that may leave the platform (webhooks).
 */
import type { CaseStatus } from '../../platform/db/schema.js';
import { maskIdNumber, maskName } from '../../shared/identifiers.js';
import type { CaseOwedReminder, CaseStatusChanged } from './outbox.js';

export interface Notice {
  title: string;
  body: string;
}

type Template = (p: CaseStatusChanged, subject: string) => Notice;

const deadlineClause = (p: CaseStatusChanged) => (p.deadline ? `，承诺办结日期 ${p.deadline}` : '');

/** One template per status; `subject` is 「您的办件 <number>（<item name>）」. */
const TEMPLATES: Record<CaseStatus, Template> = {
  submitted: (_p, s) => ({ title: '申请已提交', body: `${s}已提交，请等待受理。` }),
  correction_requested: (_p, s) => ({ title: '请补正材料', body: `${s}需要补正材料，请按一次性告知书的要求补齐后重新提交。` }),
  not_accepted: (_p, s) => ({ title: '申请不予受理', body: `${s}不予受理，理由见不予受理通知书。` }),
  accepted: (p, s) => ({ title: '申请已受理', body: `${s}已受理${deadlineClause(p)}。` }),
  accepted_with_deficiency: (p, s) => ({
    title: '申请已容缺受理',
    body: `${s}已容缺受理${deadlineClause(p)}，请在规定期限内补齐所缺材料。`,
  }),
  in_review: (_p, s) => ({ title: '办件审查中', body: `${s}已进入审查。` }),
  suspended: (_p, s) => ({ title: '办件进入特别程序', body: `${s}进入特别程序，办理时限暂停计算。` }),
  approved: (_p, s) => ({ title: '审批通过', body: `${s}已办结，审批通过，请留意办理结果的送达。` }),
  denied: (_p, s) => ({ title: '审批未通过', body: `${s}已办结，决定不予批准，理由见决定书。` }),
  delivered: (_p, s) => ({ title: '办理结果已送达', body: `${s}的办理结果已送达。` }),
  withdrawn: (_p, s) => ({ title: '申请已撤回', body: `${s}已撤回。` }),
};

/** Statuses citizens are texted (or e-mailed) about: those that ask something of them or end the case. */
export const TEXTED_STATUSES: ReadonlySet<CaseStatus> = new Set<CaseStatus>([
  'accepted',
  // 容缺受理 is an acceptance that owes materials by a date: the one a citizen most needs to hear about.
  'accepted_with_deficiency',
  'correction_requested',
  'not_accepted',
  'approved',
  'denied',
  'delivered',
]);

/** The SMS signature (短信签名) carriers require in front of every text. */
const SMS_SIGNATURE = '【通办】';

export function caseNotice(p: CaseStatusChanged): Notice {
  return TEMPLATES[p.status](p, `您的办件 ${p.caseNumber}（${p.itemName}）`);
}

export function caseSms(p: CaseStatusChanged): string {
  return `${SMS_SIGNATURE}${caseNotice(p).body}`;
}

/** The reminder of materials owed under 容缺受理 (cases/reminders.ts): due today, or overdue. */
export function owedReminderNotice(p: CaseOwedReminder): Notice {
  const subject = `您的办件 ${p.caseNumber}（${p.itemName}）`;
  const names = p.materials.join('、');
  return p.kind === 'due'
    ? { title: '容缺材料今日到期', body: `${subject}容缺受理时承诺补交的材料（${names}）今日（${p.dueDate}）到期，请及时补交。` }
    : { title: '容缺材料已逾期', body: `${subject}容缺受理时承诺补交的材料（${names}）已于 ${p.dueDate} 到期，至今未补交，请尽快补交。` };
}

export function owedReminderSms(p: CaseOwedReminder): string {
  return `${SMS_SIGNATURE}${owedReminderNotice(p).body}`;
}

/** Reads a stored `case.owed_reminder` payload; null for one this version cannot word (it still reaches webhooks). */
export function asCaseOwedReminder(payload: Record<string, unknown>): CaseOwedReminder | null {
  const { caseNumber, itemName, kind, dueDate, materials } = payload;
  if (typeof caseNumber !== 'string' || typeof itemName !== 'string') return null;
  if (kind !== 'due' && kind !== 'overdue') return null;
  if (typeof dueDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(dueDate)) return null;
  if (!Array.isArray(materials) || materials.length === 0 || !materials.every((m) => typeof m === 'string')) return null;
  return payload as unknown as CaseOwedReminder;
}

/**
 * Reads a stored `case.status_changed` payload. Events are written by code, but a payload that is
 * not what this version expects (an older writer, a hand-made row) must not stop the dispatcher:
 * it gets no message and no SMS, and still reaches webhook subscribers.
 */
export function asCaseStatusChanged(payload: Record<string, unknown>): CaseStatusChanged | null {
  const { caseNumber, itemName, status } = payload;
  if (typeof caseNumber !== 'string' || typeof itemName !== 'string') return null;
  if (typeof status !== 'string' || !Object.hasOwn(TEMPLATES, status)) return null;
  const deadline = payload.deadline;
  if (deadline !== undefined && deadline !== null && (typeof deadline !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(deadline))) return null;
  return payload as unknown as CaseStatusChanged;
}

/** Contact details: dropped from anything that leaves the platform. */
const DROPPED = new Set(['applicantPhone', 'applicantEmail', 'applicantUserId', 'phone', 'email', 'mobile', 'actorId', 'assigneeId']);
/** Identifiers of persons: kept masked, enough to recognise a case, never enough to use. */
const MASKED: Record<string, (value: string) => string> = {
  applicantIdentifier: maskIdNumber,
  idNumber: maskIdNumber,
  creditCode: maskIdNumber,
  applicantName: maskName,
};

/**
 * The copy of an event payload sent to channel systems. The user id goes too: it is the
 * platform's internal handle on a person and means nothing a third party should correlate on; a
 * channel that needs more asks the case API with its own token.
 */
export function publicPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (DROPPED.has(key)) continue;
    const mask = MASKED[key];
    out[key] = mask && typeof value === 'string' ? mask(value) : value;
  }
  return out;
}

// --- service quality (modules/evaluation, modules/tickets) ------------------------------------------

/**
 * Who a service-quality event is for: named accounts (the applicant), or the staff of a
 * department holding one of the roles, or the staff whose region reaches `regionPath` holding
 * one of the roles (the supervisor above a department). The dispatcher resolves them.
 */
export interface NoticeRecipients {
  userIds?: string[];
  departmentId?: string;
  regionPath?: string;
  roles?: string[];
}

const QUALITY_TEMPLATES: Record<string, (p: Record<string, unknown>) => Notice> = {
  'quality.rectification_opened': (p) => ({ title: '收到差评整改工单', body: `${String(p.ref)} 收到不满意评价，请回访申请人并于 ${String(p.dueOn)} 前完成整改。` }),
  'quality.rectification_reported': (p) => ({ title: '请确认整改结果', body: `您对 ${String(p.ref)} 的不满意评价，部门已报告整改结果，请查看并确认。` }),
  'quality.rectification_escalated': (p) => ({ title: '差评整改超期', body: `${String(p.ref)} 的差评整改已超过期限（${String(p.dueOn)}），请督办。` }),
  'quality.rectification_appealed': (p) => ({ title: '差评申诉待裁定', body: `部门对 ${String(p.ref)} 的评价提出申诉，请裁定。` }),
  'quality.rectification_appeal_decided': (p) => ({ title: '差评申诉已裁定', body: `${String(p.ref)} 的差评申诉已裁定，请查看。` }),
  'quality.rectification_reopened': (p) => ({ title: '申请人不认可整改结果', body: `申请人不认可 ${String(p.ref)} 的整改结果，请继续整改。` }),
  'quality.ticket_opened': (p) => ({ title: '新的咨询投诉工单', body: `工单 ${String(p.ticketNumber)} 待答复，答复期限 ${String(p.deadline)}。` }),
  'quality.ticket_answered': (p) => ({ title: '您的咨询投诉已答复', body: `工单 ${String(p.ticketNumber)} 已答复，欢迎评价。` }),
  'quality.ticket_escalated': (p) => ({ title: '咨询投诉工单提请督办', body: `工单 ${String(p.ticketNumber)}（期限 ${String(p.deadline)}）提请督办。` }),
};

/** The in-app notice of a service-quality event and its recipients; null for any other event or a payload without recipients. */
export function qualityNotice(type: string, payload: Record<string, unknown>): { notice: Notice; recipients: NoticeRecipients } | null {
  const template = QUALITY_TEMPLATES[type];
  const notify = payload.notify;
  if (!template || typeof notify !== 'object' || notify === null) return null;
  return { notice: template(payload), recipients: notify as NoticeRecipients };
}
