import { defineErrors, defineFieldErrors } from '../../platform/http/errors.js';

/** Errors of service evaluation (好差评) and the rectification of bad reviews. */
export const EvaluationErrors = defineErrors({
  evaluation_subject_not_found: {
    status: 404,
    zh: '要评价的办件或服务不存在，或不是您本人的',
    en: 'The case or service to rate does not exist or is not yours',
  },
  evaluation_not_completed: {
    status: 422,
    zh: '该服务尚未办结，办结后才能评价',
    en: 'The service is not completed yet; it can be rated once completed',
  },
  evaluation_rounds_used: {
    status: 422,
    zh: '已完成首次评价和追加评价，不能再次评价',
    en: 'The first and the follow-up rating are given; no further rating is possible',
  },
  evaluation_period_over: {
    status: 422,
    zh: '评价期已过（办结后 {days} 天内可评价），系统已记录默认评价',
    en: 'The rating period is over (ratings within {days} days of completion); a default rating was recorded',
  },
  evaluation_concurrent: {
    status: 409,
    zh: '该服务正在被同时评价，请刷新后重试',
    en: 'This service is being rated at the same time; reload and try again',
  },
  rectification_not_found: { status: 404, zh: '整改工单不存在', en: 'Rectification ticket not found' },
  rectification_step_not_allowed: {
    status: 422,
    zh: '整改工单当前状态为「{status}」，不能执行「{step}」',
    en: 'Step "{step}" is not allowed while the rectification is "{status}"',
  },
  rectification_version_conflict: {
    status: 409,
    zh: '整改工单已被他人处理（当前版本 {current}），请刷新后重试',
    en: 'The rectification has changed since you loaded it (now version {current}); reload and try again',
  },
  stats_period_invalid: {
    status: 400,
    zh: '统计期间无效：起始日期不能晚于截止日期，且最长 3 年',
    en: 'Invalid period: from must not be after to, and at most 3 years',
  },
});

export const EvaluationFieldCodes = defineFieldErrors({
  evaluation_text_empty: { zh: '评价内容不能为空白', en: 'The text must not be blank' },
  evaluation_bad_review_needs_text: { zh: '不满意评价请填写原因，便于部门整改', en: 'An unsatisfied rating needs a reason, for the department to act on' },
  evaluation_text_blank: { zh: '内容不能为空白', en: 'Must not be blank' },
  evaluation_hall_unknown: { zh: '大厅不存在', en: 'No such hall' },
  evaluation_hall_out_of_region: { zh: '该大厅不在本部门所属区域内，不能在此登记窗口服务', en: 'The hall is outside your department\'s region: visits cannot be recorded there' },
  evaluation_item_unknown: { zh: '事项不存在或未发布', en: 'No such published item' },
});
