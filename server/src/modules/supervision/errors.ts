import { defineErrors, defineFieldErrors } from '../../platform/http/errors.js';

export const SupervisionErrors = defineErrors({
  outside_region: { status: 403, zh: '所查询的范围超出您的监督范围', en: 'The requested scope is outside your supervision reach' },
  calendar_missing: { status: 422, zh: '工作日历尚未发布，无法计算工作日', en: 'No working-day calendar is loaded' },
});

export const SupervisionFieldCodes = defineFieldErrors({
  period_reversed: { zh: '开始日期不能晚于结束日期', en: 'The start date must not be after the end date' },
  period_too_long: { zh: '统计期间不能超过5年', en: 'The period must not be longer than 5 years' },
  month_invalid: { zh: '月份格式应为 YYYY-MM', en: 'The month must be written YYYY-MM' },
});
