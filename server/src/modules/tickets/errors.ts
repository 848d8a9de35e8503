import { defineErrors, defineFieldErrors } from '../../platform/http/errors.js';

/** Errors of consultations and complaints (咨询投诉). */
export const TicketErrors = defineErrors({
  ticket_not_found: { status: 404, zh: '咨询投诉工单不存在', en: 'Ticket not found' },
  ticket_action_not_allowed: {
    status: 422,
    zh: '工单当前状态为「{status}」，不能执行「{action}」',
    en: 'Action "{action}" is not allowed while the ticket is "{status}"',
  },
  ticket_action_forbidden: { status: 403, zh: '您无权对该工单执行「{action}」', en: 'You may not perform "{action}" on this ticket' },
  ticket_version_conflict: {
    status: 409,
    zh: '工单已被他人处理（当前版本 {current}），请刷新后重试',
    en: 'The ticket has changed since you loaded it (now version {current}); reload and try again',
  },
  ticket_number_exhausted: { status: 503, zh: '今日工单编号已用完，请明日再试', en: 'Ticket numbers are used up for today; try again tomorrow' },
  ticket_import_empty: { status: 400, zh: '导入内容为空：请提供 CSV 文本或 JSON 数组', en: 'Nothing to import: give CSV text or a JSON array' },
  ticket_import_too_large: { status: 413, zh: '一次至多导入 {limit} 条工单', en: 'At most {limit} work orders per import' },
});

export const TicketFieldCodes = defineFieldErrors({
  ticket_subject_required: {
    zh: '请说明咨询投诉的对象：选择事项、部门或关联办件',
    en: 'Say what this is about: choose an item, a department or a case',
  },
  ticket_text_blank: { zh: '内容不能为空白', en: 'Must not be blank' },
  ticket_item_unknown: { zh: '事项不存在或未发布', en: 'No such published item' },
  ticket_department_unknown: { zh: '部门不存在', en: 'No such department' },
  ticket_department_out_of_reach: { zh: '该部门不在您的管辖范围内', en: 'This department is outside your reach' },
  ticket_case_unknown: { zh: '办件不存在或不是您本人的', en: 'No such case of yours' },
  ticket_kind_unknown: { zh: '类型应为 咨询、投诉、建议 或 表扬', en: 'Kind must be consultation, complaint, suggestion or praise' },
  ticket_duplicate_ref: { zh: '该 12345 工单号在本次导入中重复', en: 'This 12345 work-order number appears twice in this import' },
  ticket_faq_not_consultation: { zh: '只有已答复、关联事项的咨询可以发布为常见问题', en: 'Only an answered consultation about an item can become an FAQ' },
});
