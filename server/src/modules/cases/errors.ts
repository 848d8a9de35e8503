import { defineErrors, defineFieldErrors } from '../../platform/http/errors.js';

/**
 * Errors of case handling. Shared by every part of the module (application, front desk, back
 * office, delivery); add codes here rather than in the part that first needs them.
 */
export const CaseErrors = defineErrors({
  credit_restricted: {
    status: 422,
    zh: '申请人已被列入严重失信名单（{reason}，期限至 {until}），一处失信、处处受限：不能适用告知承诺或秒批。可提交全部材料按一般程序申请，或对名单记录提出申诉',
    en: 'The applicant is on the service blacklist ({reason}, until {until}) and cannot use approval by commitment or instant approval; apply with all materials, or appeal the entry',
  },
  commitment_not_offered: { status: 422, zh: '该事项不适用告知承诺制', en: 'This item does not offer approval by commitment' },
  verification_not_found: { status: 404, zh: '该办件没有待核查的告知承诺', en: 'This case has no commitment to verify' },
  verification_decided: { status: 422, zh: '该承诺已核查完毕', en: 'The commitment was already verified' },
  case_not_found: { status: 404, zh: '办件不存在', en: 'Case not found' },
  draft_not_found: { status: 404, zh: '草稿不存在', en: 'Draft not found' },
  notice_not_found: { status: 404, zh: '文书不存在', en: 'Notice not found' },
  task_not_found: { status: 404, zh: '审批任务不存在', en: 'Task not found' },
  version_conflict: {
    status: 409,
    zh: '办件已被他人处理（当前版本 {current}），请刷新后重试',
    en: 'The case has changed since you loaded it (now version {current}); reload and try again',
  },
  action_not_allowed: {
    status: 422,
    zh: '办件当前状态为「{status}」，不能执行「{action}」',
    en: 'Action "{action}" is not allowed while the case is "{status}"',
  },
  action_forbidden: { status: 403, zh: '您无权对该办件执行「{action}」', en: 'You may not perform "{action}" on this case' },
  not_assignee: {
    status: 403,
    zh: '该环节已指派给 {assignee}，只有被指派人可以办理',
    en: 'This step is assigned to {assignee}; only they may act on it',
  },
  item_not_available: {
    status: 422,
    zh: '事项 {itemCode} 未发布或已停止办理，不能申请',
    en: 'Service item {itemCode} is not published; it cannot be applied for',
  },
  item_not_for_applicant: {
    status: 422,
    zh: '该事项不面向「{objectType}」办理',
    en: 'This item is not offered to applicants of this kind ({objectType})',
  },
  case_number_exhausted: {
    status: 503,
    zh: '该事项今日办件编号已用完（每日上限 9999 件），请明日再试',
    en: 'Case numbers for this item are used up for today (9,999 a day); try again tomorrow',
  },
  owed_materials_outstanding: {
    status: 422,
    zh: '仍有 {count} 项容缺材料未补齐，该事项不允许在补齐前作出决定',
    en: '{count} owed materials are still outstanding; this item allows no decision before they are supplied',
  },
  not_final_step: {
    status: 422,
    zh: '当前环节「{step}」不是决定环节，请先完成本环节',
    en: 'The current step "{step}" is not the deciding step; complete it first',
  },
  sub_cases_pending: {
    status: 422,
    zh: '并联审批的子办件尚未全部办结',
    en: 'The sub-cases of this parallel approval are not all decided yet',
  },
  wrong_pickup_code: { status: 422, zh: '取件码不正确', en: 'Wrong pickup code' },
  parallel_component_unavailable: {
    status: 422,
    zh: '并联审批子事项 {itemCode} 当前未发布，暂不能受理，请联系事项管理部门',
    en: 'Component item {itemCode} of this parallel approval is not published; the case cannot be accepted now',
  },
  no_open_task: { status: 422, zh: '该办件当前没有待办理的审批环节', en: 'The case has no open back-office step' },
  task_not_held: {
    status: 422,
    zh: '该环节在团队队列中，尚未指派给任何人',
    en: 'The step is in the team queue and assigned to nobody',
  },
  deciding_step: {
    status: 422,
    zh: '「{step}」是决定环节，请作出准予或不予批准的决定',
    en: '"{step}" is the deciding step; approve or deny instead',
  },
  // --- application and front desk
  item_outside_window: {
    status: 422,
    zh: '该事项由「{department}」办理，不在本窗口的受理范围内',
    en: 'This item is handled by {department}, outside this window\'s region',
  },
  materials_not_in_order: {
    status: 422,
    zh: '材料「{names}」核验未通过，请一次性告知补正，或对可容缺材料容缺受理',
    en: 'Materials "{names}" did not pass the check: request a correction, or accept with the deferrable ones owed',
  },
  nothing_owed: { status: 422, zh: '该办件没有待补交的容缺材料', en: 'Nothing is owed on this case' },
  draft_limit_reached: { status: 422, zh: '草稿最多保存 {limit} 份，请先删除不需要的草稿', en: 'At most {limit} drafts can be kept; delete some first' },
});

export const CaseFieldCodes = defineFieldErrors({
  case_required: { zh: '此项为必填项', en: 'This field is required' },
  case_unknown_material: { zh: '事项没有这项材料：{materialId}', en: 'The item has no material {materialId}' },
  case_material_missing: { zh: '缺少必要材料「{name}」', en: 'Required material "{name}" is missing' },
  case_material_not_deferrable: { zh: '材料「{name}」不属于可容缺后补的材料', en: 'Material "{name}" may not be owed' },
  case_file_unavailable: { zh: '文件不存在或不属于您：{fileId}', en: 'File {fileId} does not exist or is not yours' },
  case_license_unavailable: { zh: '暂不能使用电子证照替代该材料', en: 'An e-license cannot stand in for this material yet' },
  case_due_date_invalid: { zh: '补交期限须为今天以后的日期', en: 'The due date must be after today' },
  case_step_invalid: { zh: '只能退回到之前的环节（0 至 {max}）', en: 'Return only to an earlier step (0 to {max})' },
  case_form_invalid: { zh: '{message}', en: '{message}' },
  case_step_none: { zh: '当前已是第一个审批环节，无法退回', en: 'This is the first step; there is nothing to return to' },
  case_material_reference: {
    zh: '每项材料须提供且只提供一种：上传文件、电子证照或共享数据',
    en: 'Give exactly one of an uploaded file, an e-license or shared data for each material',
  },
  case_resource_unavailable: { zh: '该材料不能以共享数据「{resourceId}」替代', en: 'Shared data "{resourceId}" cannot stand in for this material' },
  case_unknown_field: { zh: '申请表没有这个字段：{field}', en: 'The application form has no field {field}' },
  case_material_not_owed: { zh: '材料「{name}」不是待补交的容缺材料', en: 'Material "{name}" is not owed' },
  case_duplicate: { zh: '同一材料只能列出一次', en: 'Each material may be listed once' },
  case_phone_invalid: { zh: '请填写有效的手机号码', en: 'Enter a valid mobile number' },
  case_hall_out_of_region: { zh: '该大厅不在本部门所属区域内，不能在此收件', en: 'The hall is outside your department\'s region: cases cannot be filed there' },
  case_correction_unaddressed: { zh: '补正告知要求补正「{name}」，请补正后再提交', en: 'The correction notice asks for "{name}"; address it before resubmitting' },
  case_assignee_invalid: { zh: '被指派人须为本部门具有该环节岗位的在岗人员', en: 'The assignee must be active staff of this department holding the step\'s role' },
});
