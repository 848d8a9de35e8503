/**
 * Service quality codes (好差评, 咨询投诉), shared by the server and the web app.
 *
 * Our level runs 1..5 with 5 = very satisfied (CONTRACT: `POST /cases/{n}/evaluations`). GB/T
 * 39046-2020 codes the same five grades the other way round (1 = very satisfied .. 5 = very
 * unsatisfied), as do many provincial 好差评 interfaces; `toGbtCode` / `fromGbtCode` are the one
 * place the two meet, so no exchange or export flips a scale by hand.
 */
type Labels<K extends string | number> = Record<K, { zh: string; en: string }>;

export const LEVELS = [1, 2, 3, 4, 5] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_LABELS: Labels<Level> = {
  5: { zh: '非常满意', en: 'Very satisfied' },
  4: { zh: '满意', en: 'Satisfied' },
  3: { zh: '基本满意', en: 'Neutral' },
  2: { zh: '不满意', en: 'Unsatisfied' },
  1: { zh: '非常不满意', en: 'Very unsatisfied' },
};

/** GB/T 39046 satisfaction code of our level: 5 (very satisfied) -> '1' .. 1 (very unsatisfied) -> '5'. */
export function toGbtCode(level: Level): '1' | '2' | '3' | '4' | '5' {
  if (!LEVELS.includes(level)) throw new RangeError(`not a satisfaction level: ${String(level)}`);
  return String(6 - level) as '1' | '2' | '3' | '4' | '5';
}

/** Our level of a GB/T 39046 satisfaction code ('1' = very satisfied -> 5). */
export function fromGbtCode(code: string): Level {
  if (!/^[1-5]$/.test(code)) throw new RangeError(`not a GB/T 39046 satisfaction code: ${code}`);
  return (6 - Number(code)) as Level;
}

/** A bad review (差评): unsatisfied or very unsatisfied. It opens a rectification. */
export const isBadReview = (level: number): boolean => level <= 2;
/** Satisfied or very satisfied: what the satisfaction rate counts. */
export const isSatisfied = (level: number): boolean => level >= 4;

/** The level a rating period ends with when nobody rated: satisfied (GB/T 39046 practice, 默认好评). */
export const DEFAULT_LEVEL: Level = 5;

/** Rating channels (评价渠道). */
export const EVALUATION_CHANNELS = ['pc', 'mobile', 'qr_code', 'hall_tablet', 'hall_terminal', 'phone', 'sms'] as const;
export type EvaluationChannel = (typeof EVALUATION_CHANNELS)[number];
export const CHANNEL_LABELS: Labels<EvaluationChannel> = {
  pc: { zh: 'PC 端', en: 'PC' },
  mobile: { zh: '移动端', en: 'Mobile' },
  qr_code: { zh: '二维码', en: 'QR code' },
  hall_tablet: { zh: '窗口评价器', en: 'Hall tablet' },
  hall_terminal: { zh: '大厅其他终端', en: 'Other hall terminal' },
  phone: { zh: '电话', en: 'Phone' },
  sms: { zh: '短信', en: 'SMS' },
};

export const EVALUATION_ROUNDS = { 1: { zh: '首次评价', en: 'First' }, 2: { zh: '追加评价', en: 'Follow-up' } } as const;

export const SUBJECT_KIND_LABELS: Labels<'case' | 'ticket' | 'hall_visit'> = {
  case: { zh: '办件', en: 'Case' },
  ticket: { zh: '咨询投诉', en: 'Ticket' },
  hall_visit: { zh: '大厅窗口服务', en: 'Hall visit' },
};

/** Longest rating or ticket text: about a page, what a 12345 work order's description holds. */
export const TEXT_MAX = 500;
export const TICKET_BODY_MAX = 2000;

export const RECTIFICATION_STATUS_LABELS: Labels<'open' | 'called_back' | 'reported' | 'appealed' | 'closed'> = {
  open: { zh: '待回访', en: 'Awaiting call-back' },
  called_back: { zh: '整改中', en: 'Being rectified' },
  reported: { zh: '待申请人确认', en: 'Awaiting confirmation' },
  appealed: { zh: '申诉待裁定', en: 'Appeal pending' },
  closed: { zh: '已办结', en: 'Closed' },
};

export const TICKET_KINDS = ['consultation', 'complaint', 'suggestion', 'praise'] as const;
export type TicketKindCode = (typeof TICKET_KINDS)[number];
export const TICKET_KIND_LABELS: Labels<TicketKindCode> = {
  consultation: { zh: '咨询', en: 'Consultation' },
  complaint: { zh: '投诉', en: 'Complaint' },
  suggestion: { zh: '建议', en: 'Suggestion' },
  praise: { zh: '表扬', en: 'Praise' },
};
export const TICKET_SOURCES = ['portal', 'hall', 'hotline'] as const;
export const TICKET_SOURCE_LABELS: Labels<(typeof TICKET_SOURCES)[number]> = {
  portal: { zh: '网上', en: 'Portal' },
  hall: { zh: '大厅', en: 'Hall' },
  hotline: { zh: '12345 热线', en: '12345 hotline' },
};
export const TICKET_STATUS_LABELS: Labels<'open' | 'answered' | 'closed'> = {
  open: { zh: '待答复', en: 'Open' },
  answered: { zh: '已答复', en: 'Answered' },
  closed: { zh: '已办结', en: 'Closed' },
};

/**
 * The quality settings (ADR 0015): defaults from the environment (QUALITY_*), overridden at run
 * time by the system administrator. The bounds hold for both: a deadline of 0 or of a year is a
 * mistake, not a policy.
 */

export interface QualitySettingsValues {
  /** Calendar days after completion within which a rating is taken; then the default is recorded. */
  ratingPeriodDays: number;
  /** Working days a department has to rectify a bad review. */
  rectificationWorkdays: number;
  /** Calendar days the applicant has to confirm a reported rectification; then it closes as unconfirmed. */
  confirmationDays: number;
  /** Working days to answer a ticket, per kind (the day it is opened is not counted). */
  ticketDeadlines: Record<TicketKindCode, number>;
}

export const QUALITY_SETTING_BOUNDS = {
  ratingPeriodDays: { min: 1, max: 90, env: 'QUALITY_RATING_PERIOD_DAYS', fallback: 15 },
  rectificationWorkdays: { min: 1, max: 30, env: 'QUALITY_RECTIFICATION_WORKDAYS', fallback: 5 },
  confirmationDays: { min: 1, max: 90, env: 'QUALITY_CONFIRMATION_DAYS', fallback: 15 },
  'ticketDeadlines.consultation': { min: 1, max: 60, env: 'QUALITY_CONSULTATION_WORKDAYS', fallback: 1 },
  'ticketDeadlines.complaint': { min: 1, max: 60, env: 'QUALITY_COMPLAINT_WORKDAYS', fallback: 5 },
  'ticketDeadlines.suggestion': { min: 1, max: 60, env: 'QUALITY_SUGGESTION_WORKDAYS', fallback: 10 },
  'ticketDeadlines.praise': { min: 1, max: 60, env: 'QUALITY_PRAISE_WORKDAYS', fallback: 10 },
} as const;
export type QualitySettingKey = keyof typeof QUALITY_SETTING_BOUNDS;
export const QUALITY_SETTING_KEYS = Object.keys(QUALITY_SETTING_BOUNDS) as QualitySettingKey[];

/** The settings as flat keys (`ticketDeadlines.complaint`), the way they are stored and audited. */
export function flattenSettings(v: QualitySettingsValues): Record<QualitySettingKey, number> {
  return {
    ratingPeriodDays: v.ratingPeriodDays,
    rectificationWorkdays: v.rectificationWorkdays,
    confirmationDays: v.confirmationDays,
    'ticketDeadlines.consultation': v.ticketDeadlines.consultation,
    'ticketDeadlines.complaint': v.ticketDeadlines.complaint,
    'ticketDeadlines.suggestion': v.ticketDeadlines.suggestion,
    'ticketDeadlines.praise': v.ticketDeadlines.praise,
  };
}

export function unflattenSettings(f: Record<QualitySettingKey, number>): QualitySettingsValues {
  return {
    ratingPeriodDays: f.ratingPeriodDays,
    rectificationWorkdays: f.rectificationWorkdays,
    confirmationDays: f.confirmationDays,
    ticketDeadlines: {
      consultation: f['ticketDeadlines.consultation'],
      complaint: f['ticketDeadlines.complaint'],
      suggestion: f['ticketDeadlines.suggestion'],
      praise: f['ticketDeadlines.praise'],
    },
  };
}
