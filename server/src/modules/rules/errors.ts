import { defineErrors, defineFieldErrors } from '../../platform/http/errors.js';

export const RuleErrors = defineErrors({
  rule_set_not_found: { status: 404, zh: '该事项版本没有决策规则', en: 'This item version has no decision rules' },
  rule_draft_missing: { status: 422, zh: '没有待发布的规则草稿', en: 'There is no rule draft to publish' },
  rule_tests_failed: {
    status: 422,
    zh: '规则测试未通过（{failed}/{total} 项失败），不能发布',
    en: 'The rule tests failed ({failed} of {total}); the rules cannot be published',
  },
  rule_tests_missing: { status: 422, zh: '规则至少需要一项测试用例才能发布', en: 'A rule needs at least one test case to be published' },
  rule_table_invalid: {
    status: 422,
    zh: '决策规则与该版本的申请表不一致（{count} 处），不能发布',
    en: 'The decision rules do not fit this version\'s application form ({count} problems); it cannot be published',
  },
  rule_version_conflict: { status: 409, zh: '规则草稿已被他人修改，请刷新后重试', en: 'The rule draft changed meanwhile; reload and try again' },
});

export const RuleFieldCodes = defineFieldErrors({
  rule_unknown_field: { zh: '申请表中没有字段 {path}', en: 'The application form has no field {path}' },
  rule_unknown_attribute: { zh: '不支持的申请人属性 {path}（可用：kind、age、regionCode）', en: 'Unknown applicant attribute {path} (kind, age, regionCode)' },
  rule_invalid_path: { zh: '数据来源路径 {path} 格式不正确', en: 'Invalid source path {path}' },
  rule_row_missing_field: {
    zh: '第 {row} 条规则的条件“{input}”引用了申请表中已没有的字段 {path}',
    en: 'Row {row}: the condition on "{input}" names the form field {path}, which the form no longer has',
  },
  rule_duplicate_input: { zh: '输入标识 {id} 重复', en: 'Input id {id} is used twice' },
  rule_row_width: { zh: '第 {row} 条规则应有 {expected} 个条件，实有 {actual} 个', en: 'Row {row} should have {expected} cells, has {actual}' },
  rule_feel_syntax: { zh: '第 {row} 条规则“{input}”的条件不是有效的 FEEL 表达式：{detail}', en: 'Row {row}, {input}: not a valid FEEL unary test: {detail}' },
  rule_feel_unknown_name: { zh: '第 {row} 条规则“{input}”的条件引用了未知名称：{detail}', en: 'Row {row}, {input}: names something unknown: {detail}' },
  rule_rows_overlap: { zh: '唯一命中（UNIQUE）下第 {row} 条规则与第 {other} 条重叠', en: 'Under UNIQUE, row {row} overlaps row {other}' },
  rule_test_failed: { zh: '测试“{name}”预期 {expected}，实际 {actual}', en: 'Test "{name}" expected {expected}, got {actual}' },
  rule_test_unknown_input: { zh: '测试用例引用了不存在的输入 {id}', en: 'The test names an unknown input {id}' },
});
