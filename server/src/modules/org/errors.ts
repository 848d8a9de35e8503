import { defineErrors, defineFieldErrors } from '../../platform/http/errors.js';

export const OrgErrors = defineErrors({
  region_not_found: { status: 404, zh: '行政区划不存在', en: 'Region not found' },
  region_exists: { status: 409, zh: '行政区划代码已存在', en: 'A region with this code already exists' },
  department_not_found: { status: 404, zh: '部门不存在', en: 'Department not found' },
  department_exists: { status: 409, zh: '该区划下已有同名部门，或统一社会信用代码已被使用', en: 'A department with this name or credit code already exists' },
  hall_not_found: { status: 404, zh: '政务服务大厅不存在', en: 'Hall not found' },
});

export const OrgFieldCodes = defineFieldErrors({
  invalid_region_code: { zh: '行政区划代码应为 6 位（市、区）、9 位（街道）或 12 位（社区）数字', en: 'A region code has 6 (city, district), 9 (street) or 12 (community) digits' },
  invalid_region_level: { zh: '区划层级与上级不匹配', en: 'The level does not fit under the parent region' },
  parent_not_found: { zh: '上级区划不存在', en: 'Parent region not found' },
});
