import { AppError, defineErrors, defineFieldErrors, type FieldErrorSpec, type Params } from '../../platform/http/errors.js';

export const SharingErrors = defineErrors({
  resource_not_found: { status: 404, zh: '数据资源不存在', en: 'Data resource not found' },
  resource_code_taken: { status: 409, zh: '资源代码已被使用', en: 'This resource code is already in use' },
  resource_not_draft: { status: 409, zh: '该数据资源已发布，不能再次发布', en: 'The resource is not a draft' },
  resource_not_published: { status: 409, zh: '该数据资源未处于发布状态', en: 'The resource is not published' },
  resource_withdrawn: { status: 422, zh: '该数据资源已停止共享', en: 'The resource is no longer shared' },
  resource_not_shared: { status: 422, zh: '该数据资源为不予共享类，不能申请', en: 'This resource is not shared; it cannot be requested' },
  own_resource: { status: 422, zh: '本部门的数据资源无需申请共享', en: 'Your own department\'s resource needs no request' },
  published_fields_locked: {
    status: 422,
    zh: '已发布资源的数据项只能新增，不能删除或改变类型：{fields}',
    en: 'Items of a published resource can be added but not removed or retyped: {fields}',
  },
  request_not_found: { status: 404, zh: '共享申请不存在', en: 'Access request not found' },
  request_already_decided: { status: 409, zh: '该申请已处理', en: 'This request was already decided' },
  grant_not_found: { status: 404, zh: '授权不存在', en: 'Grant not found' },
  grant_already_revoked: { status: 409, zh: '该授权已撤销', en: 'This grant was already revoked' },
  credential_not_found: { status: 404, zh: '接入凭证不存在', en: 'Credential not found' },
  not_hosted: { status: 422, zh: '该资源由提供部门接口提供，不接受数据上传', en: 'This resource is served by the provider\'s interface; it takes no uploads' },
  dataset_rejected: {
    status: 422,
    zh: '数据未导入：发现 {count} 处错误，请修正后重新上传（全部正确才会导入）',
    en: 'Nothing imported: {count} problems found; fix them and upload again (all rows must be valid)',
  },
  dataset_too_large: { status: 413, zh: '上传的数据过大（上限 {limit}）', en: 'The upload is too large (limit {limit})' },
  // Gateway refusals: every one of these is written to the access log before it is answered.
  case_required: { status: 400, zh: '请在请求头 X-Tongban-Case 中注明所办理的办件编号', en: 'Name the case the look-up serves in the X-Tongban-Case header' },
  invalid_case_ref: { status: 400, zh: '办件编号格式不正确（1-64 个可见字符）', en: 'Invalid case number (1-64 visible characters)' },
  case_out_of_scope: { status: 403, zh: '该办件不在本部门的办理范围内', en: 'The case is not within your department\'s scope' },
  invalid_subject: { status: 400, zh: '查询对象的证件号码不正确', en: 'The subject\'s identifier is invalid' },
  no_grant: { status: 403, zh: '本部门未获授权使用该数据资源', en: 'Your department holds no grant for this resource' },
  grant_expired: { status: 403, zh: '使用该数据资源的授权已于 {expiredAt} 到期', en: 'The grant for this resource expired at {expiredAt}' },
  grant_revoked: { status: 403, zh: '使用该数据资源的授权已被提供部门撤销', en: 'The provider revoked the grant for this resource' },
  fields_not_granted: { status: 403, zh: '以下数据项未获授权：{fields}', en: 'These items are not granted: {fields}' },
  item_not_covered: { status: 403, zh: '该事项不在授权的用途范围内', en: 'The service item is not covered by the grant' },
  consumer_unknown: { status: 403, zh: '接入系统未关联部门，不能调用共享网关', en: 'This client belongs to no department and cannot call the gateway' },
  provider_unavailable: { status: 502, zh: '数据提供部门接口暂不可用，请稍后再试', en: 'The provider\'s interface is not available; try again later' },
  provider_circuit_open: { status: 503, zh: '数据提供部门接口连续失败，已暂停调用，请稍后再试', en: 'The provider\'s interface keeps failing; calls are paused, try again later' },
  // Prefill with the applicant's consent.
  consent_required: { status: 422, zh: '请先同意授权调取您的数据，未经同意不会查询或保存任何数据', en: 'Consent is required; nothing is looked up or stored without it' },
  item_unknown: { status: 422, zh: '事项编码无法识别：应为 31 位实施编码', en: 'Unknown service item: give its 31-character implementation code' },
  consent_not_found: { status: 404, zh: '授权记录不存在', en: 'Consent not found' },
  applicant_without_identifier: { status: 422, zh: '您的账户没有证件号码，无法调取数据', en: 'Your account has no identifier to look data up by' },
});

export const SharingFieldCodes = defineFieldErrors({
  duplicate_field: { zh: '数据项名称重复：{name}', en: 'Duplicate item name: {name}' },
  subject_field_clash: { zh: '主体字段不能同时作为数据项', en: 'The subject column cannot also be a data item' },
  sensitive_unconditional: { zh: '含敏感个人信息的资源只能有条件共享', en: 'A resource with sensitive personal information can only be shared on conditions' },
  conditions_required: { zh: '有条件共享须写明共享条件，不予共享须写明理由', en: 'State the conditions (conditional) or the reason (not shared)' },
  endpoint_required: { zh: '接口方式须填写提供部门的接口地址', en: 'A proxied resource needs the provider\'s endpoint' },
  endpoint_not_allowed: { zh: '接口地址须为 http(s)，且主机在平台允许的范围内（{hosts}）', en: 'The endpoint must be http(s) on an allowed host ({hosts})' },
  endpoint_not_proxied: { zh: '平台库表方式不使用接口地址', en: 'A hosted resource has no endpoint' },
  unknown_item: { zh: '资源中没有数据项：{name}', en: 'The resource has no item {name}' },
  not_requested: { zh: '只能授权申请中列出的数据项：{name}', en: 'Only requested items can be granted: {name}' },
  expiry_in_past: { zh: '到期日期须晚于今天', en: 'The expiry date must be after today' },
  expiry_too_far: { zh: '授权期限最长 {years} 年', en: 'A grant lasts at most {years} years' },
  // Dataset rows ({row}: the record's line in the CSV, or its 1-based position in JSON).
  row_invalid_subject: { zh: '第 {row} 行：证件号码不正确', en: 'Row {row}: invalid identifier' },
  row_missing_subject: { zh: '第 {row} 行：缺少主体字段', en: 'Row {row}: the subject column is empty' },
  row_duplicate_subject: { zh: '第 {row} 行：与第 {first} 行的主体重复', en: 'Row {row}: same subject as row {first}' },
  row_required: { zh: '第 {row} 行：此项必填', en: 'Row {row}: this item is required' },
  row_invalid_value: { zh: '第 {row} 行：应为{type}', en: 'Row {row}: expected {type}' },
  row_unknown_column: { zh: '未定义的列：{name}', en: 'Unknown column: {name}' },
  row_invalid_op: { zh: '第 {row} 行：_op 只能为 upsert 或 delete', en: 'Row {row}: _op must be upsert or delete' },
  row_not_object: { zh: '第 {row} 行：应为对象', en: 'Row {row}: expected an object' },
  row_column_count: { zh: '第 {row} 行：有 {got} 列，表头有 {expected} 列', en: 'Row {row}: {got} columns, the header has {expected}' },
  row_too_long: { zh: '第 {row} 行：内容超过 {limit} 个字符', en: 'Row {row}: longer than {limit} characters' },
  subject_column_missing: { zh: '缺少主体列：{name}', en: 'The subject column is missing: {name}' },
  duplicate_column: { zh: '列名重复：{name}', en: 'Duplicate column: {name}' },
  csv_malformed: { zh: 'CSV 格式错误（第 {line} 行）：{reason}', en: 'Malformed CSV (line {line}): {reason}' },
  too_many_errors: { zh: '错误过多，仅列出前 {shown} 处（共 {count} 处）', en: 'Too many problems; the first {shown} of {count} are listed' },
  dataset_empty: { zh: '没有数据行', en: 'No data rows' },
  too_many_rows: { zh: '一次最多上传 {limit} 行', en: 'At most {limit} rows per upload' },
});

/** A field-level problem with a status and code of its own (e.g. 422 dataset_rejected with every bad row). */
export function withFieldErrors(status: number, code: string, params: Params, fieldErrors: FieldErrorSpec[]): AppError {
  return new AppError(status, code, params, fieldErrors);
}
