/**
 * Case (办件) statuses and actions, shared by the server and the web app. Status names are
 * CONTRACT's (stable); actions are ours. Labels are what applicants and officials read.
 */
type Labels<K extends string> = Record<K, { zh: string; en: string }>;

export const CASE_STATUSES = [
  'submitted',
  'correction_requested',
  'not_accepted',
  'accepted',
  'accepted_with_deficiency',
  'in_review',
  'suspended',
  'approved',
  'denied',
  'delivered',
  'withdrawn',
] as const;
export type CaseStatusCode = (typeof CASE_STATUSES)[number];

export const CASE_STATUS_LABELS: Labels<CaseStatusCode> = {
  submitted: { zh: '待受理', en: 'Awaiting acceptance' },
  correction_requested: { zh: '待补正', en: 'Correction requested' },
  not_accepted: { zh: '不予受理', en: 'Not accepted' },
  accepted: { zh: '已受理', en: 'Accepted' },
  accepted_with_deficiency: { zh: '容缺受理', en: 'Accepted, materials owed' },
  in_review: { zh: '审查中', en: 'In review' },
  suspended: { zh: '特别程序中', en: 'Suspended (special procedure)' },
  approved: { zh: '准予', en: 'Approved' },
  denied: { zh: '不予批准', en: 'Denied' },
  delivered: { zh: '已送达', en: 'Delivered' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

/** Statuses after which nothing but delivery (for decisions) can happen. */
export const FINAL_STATUSES: readonly CaseStatusCode[] = ['not_accepted', 'delivered', 'withdrawn'];
/** Statuses in which the case's clock may run (accepted and not yet decided). */
export const CLOCK_STATUSES: readonly CaseStatusCode[] = ['accepted', 'accepted_with_deficiency', 'in_review', 'suspended'];

export const CASE_ACTIONS = [
  // applicant (owner)
  'withdraw',
  'resubmit',
  'supply',
  // comprehensive window (前台综合受理)
  'accept',
  'not_accept',
  'request_correction',
  'accept_with_deficiency',
  'verify_materials',
  // back office (后台分类审批)
  'claim',
  'release',
  'assign',
  'comment',
  'complete_step',
  'return',
  'suspend',
  'resume',
  'approve',
  'deny',
  // result delivery (综合窗口出件)
  'deliver',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const CASE_ACTION_LABELS: Labels<CaseAction | 'submit' | 'file' | 'start' | 'complete' | 'instant_decision' | 'instant_routed' | 'verify_commitment' | 'revoke_decision'> = {
  submit: { zh: '提交申请', en: 'Submit' },
  file: { zh: '窗口收件', en: 'Filed at the window' },
  withdraw: { zh: '撤回申请', en: 'Withdraw' },
  resubmit: { zh: '补正后重新提交', en: 'Resubmit after correction' },
  supply: { zh: '补交容缺材料', en: 'Supply owed materials' },
  accept: { zh: '受理', en: 'Accept' },
  not_accept: { zh: '不予受理', en: 'Refuse to accept' },
  request_correction: { zh: '一次性告知补正', en: 'Request correction (one-time notice)' },
  accept_with_deficiency: { zh: '容缺受理', en: 'Accept with materials owed' },
  verify_materials: { zh: '材料核验', en: 'Check materials' },
  claim: { zh: '领取任务', en: 'Claim' },
  release: { zh: '退回队列', en: 'Release to team queue' },
  assign: { zh: '指派', en: 'Assign' },
  comment: { zh: '填写意见', en: 'Comment' },
  complete_step: { zh: '完成本环节', en: 'Complete step' },
  return: { zh: '退回上一环节', en: 'Return to an earlier step' },
  suspend: { zh: '启动特别程序', en: 'Start special procedure' },
  resume: { zh: '结束特别程序', en: 'End special procedure' },
  approve: { zh: '准予', en: 'Approve' },
  deny: { zh: '不予批准', en: 'Deny' },
  deliver: { zh: '送达', en: 'Deliver' },
  start: { zh: '并联审批启动', en: 'Parallel approval started' },
  complete: { zh: '并联审批办结', en: 'Parallel approval completed' },
  instant_decision: { zh: '秒批自动决定', en: 'Decided automatically (instant approval)' },
  instant_routed: { zh: '秒批转人工办理', en: 'Passed to a person (instant approval)' },
  verify_commitment: { zh: '告知承诺核查属实', en: 'Commitment verified' },
  revoke_decision: { zh: '承诺不实，撤销决定', en: 'Commitment false: decision revoked' },
};

export const DELIVERY_METHODS = ['pickup', 'express', 'electronic'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];
export const DELIVERY_METHOD_LABELS: Labels<DeliveryMethod> = {
  pickup: { zh: '窗口领取', en: 'Pick up at the window' },
  express: { zh: '快递送达', en: 'Express delivery' },
  electronic: { zh: '电子送达', en: 'Electronic' },
};

export const SPECIAL_PROCEDURE_TYPES = ['extension', 'expert_review', 'hearing', 'site_inspection', 'quarantine', 'public_notice', 'other'] as const;
export type SpecialProcedureType = (typeof SPECIAL_PROCEDURE_TYPES)[number];
export const SPECIAL_PROCEDURE_TYPE_LABELS: Labels<SpecialProcedureType> = {
  extension: { zh: '延长审批', en: 'Extension' },
  expert_review: { zh: '专家评审', en: 'Expert review' },
  hearing: { zh: '听证', en: 'Hearing' },
  site_inspection: { zh: '现场勘验', en: 'Site inspection' },
  quarantine: { zh: '检验检疫', en: 'Inspection / quarantine' },
  public_notice: { zh: '公示', en: 'Public notice' },
  other: { zh: '其他特别程序', en: 'Other special procedure' },
};
