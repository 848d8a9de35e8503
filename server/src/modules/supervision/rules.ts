/**
 * What supervision needs to know about items that the catalog does not mark: which are listed
 * real-estate registrations (不动产登记, the seed's "1 hour" target) and which open an enterprise
 * (企业开办, the seed's "3 working days"). Configurable; the defaults match by item name.
 */
export interface ItemClasses {
  isRealEstate(itemName: string): boolean;
  isEnterpriseSetup(itemName: string): boolean;
}

export const DEFAULT_ITEM_CLASSES: ItemClasses = {
  isRealEstate: (name) => name.includes('不动产'),
  isEnterpriseSetup: (name) => name.includes('企业设立') || name.includes('企业开办'),
};

/** Office hours in Asia/Shanghai (minutes since midnight): an acceptance outside them is an anomaly. */
export interface OfficeHours {
  openMinute: number;
  closeMinute: number;
}

export const DEFAULT_OFFICE_HOURS: OfficeHours = { openMinute: 8 * 60 + 30, closeMinute: 18 * 60 };

/** The enterprise opening target (seed: 3 working days). */
export const ENTERPRISE_TARGET_WORKDAYS = 3;

/** Statuses in which a case's clock is monitored (not decided, not closed). */
export const OPEN_STATUSES: ReadonlySet<string> = new Set(['submitted', 'correction_requested', 'accepted', 'accepted_with_deficiency', 'in_review', 'suspended']);

/** Anomaly kinds (异常) and deadline alert kinds, as stored in `supervision_alerts.kind`. */
export const ALERT_KINDS = ['deadline', 'step_deadline', 'history_gap', 'deadline_extended', 'unassigned', 'step_skipped', 'accepted_off_hours'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_LABELS: Record<AlertKind, { zh: string; en: string }> = {
  deadline: { zh: '办理时限预警', en: 'Deadline warning' },
  step_deadline: { zh: '环节超时', en: 'Step overdue' },
  history_gap: { zh: '状态变更无记录', en: 'Status change without history' },
  deadline_extended: { zh: '多次延长时限', en: 'Deadline extended more than once' },
  unassigned: { zh: '超过1个工作日未分派', en: 'Unassigned for more than one working day' },
  step_skipped: { zh: '决定跳过必经环节', en: 'Decision skipped a required step' },
  accepted_off_hours: { zh: '非工作时间受理', en: 'Accepted outside office hours' },
};

/** Why an open case is on the public overdue list, by its status; the default for any other status. */
export const OVERDUE_REASONS: Readonly<Record<string, { zh: string; en: string }>> = {
  accepted: { zh: '受理后超过承诺时限尚未审查', en: 'Accepted, not yet reviewed past the promised time limit' },
  accepted_with_deficiency: { zh: '容缺受理后超过承诺时限未办结', en: 'Accepted with deficiency, not completed within the promised time limit' },
  in_review: { zh: '审查超过承诺时限未作出决定', en: 'Under review past the promised time limit, no decision yet' },
};

export const OVERDUE_REASON_DEFAULT = { zh: '超过承诺时限未办结', en: 'Not completed within the promised time limit' } as const;
