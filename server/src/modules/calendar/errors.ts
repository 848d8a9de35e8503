import { defineErrors, defineFieldErrors } from '../../platform/http/errors.js';

export const CalendarErrors = defineErrors({
  calendar_not_published: {
    status: 422,
    zh: '{year} 年的节假日安排尚未发布或未导入，无法计算工作日',
    en: 'The holiday arrangement for {year} is not published or not loaded; working days cannot be computed',
  },
});

export const CalendarFieldCodes = defineFieldErrors({
  invalid_date: { zh: '日期无效', en: 'Invalid date' },
  date_outside_year: { zh: '日期不属于该年度', en: 'The date is not in this year' },
  duplicate_date: { zh: '日期重复，或同时被列为假日和调休上班日', en: 'Date listed twice, or both as holiday and working day' },
  makeup_not_weekend: { zh: '调休上班日应为周末', en: 'A make-up working day must fall on a weekend' },
});
