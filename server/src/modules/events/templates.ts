/**
 * What an event says to people: the in-app message and SMS text for each case status, and the
 * copy of a payload that may leave the platform (webhooks).
 */
import type { CaseStatus } from '../../platform/db/schema.js';
import { maskIdNumber, maskName } from '../../shared/identifiers.js';
import type { CaseStatusChanged } from './outbox.js';

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
