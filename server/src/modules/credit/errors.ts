import { defineErrors, defineFieldErrors } from '../../platform/http/errors.js';

export const CreditErrors = defineErrors({
  credit_entry_not_found: { status: 404, zh: '信用名单记录不存在', en: 'No such credit list entry' },
  credit_entry_inactive: { status: 422, zh: '该记录已移出名单或已过期', en: 'The entry is no longer active' },
  credit_appeal_not_found: { status: 404, zh: '申诉不存在', en: 'No such appeal' },
  credit_appeal_pending: { status: 409, zh: '该记录已有待处理的申诉', en: 'An appeal of this entry is already pending' },
  credit_appeal_decided: { status: 422, zh: '该申诉已处理', en: 'The appeal was already decided' },
});

export const CreditFieldCodes = defineFieldErrors({
  credit_period_invalid: { zh: '有效期截止日期须晚于开始日期', en: 'The end of the period must be after its start' },
});
