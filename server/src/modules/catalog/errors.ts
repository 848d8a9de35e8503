import { defineErrors, defineFieldErrors } from '../../platform/http/errors.js';

/** Errors of the catalog's write side (authoring, lists, synonyms). */
export const CatalogErrors = defineErrors({
  item_not_found: { status: 404, zh: '事项不存在', en: 'Service item not found' },
  version_not_found: { status: 404, zh: '事项版本不存在', en: 'Item version not found' },
  proof_not_found: { status: 404, zh: '证明事项不存在', en: 'Proof not found' },
  intermediary_not_found: { status: 404, zh: '中介服务不存在', en: 'Intermediary service not found' },
  item_exists: { status: 409, zh: '实施编码 {implementationCode} 的事项已存在', en: 'An item with implementation code {implementationCode} already exists' },
  proof_code_taken: { status: 409, zh: '证明事项编码 {code} 已被使用', en: 'Proof code {code} is already in use' },
  intermediary_code_taken: { status: 409, zh: '中介服务编码 {code} 已被使用', en: 'Intermediary code {code} is already in use' },
  open_version_exists: {
    status: 409,
    zh: '该事项已有未发布的版本 {version}（草稿或审核中），请在该版本上修改',
    en: 'The item already has an unpublished version {version} (draft or in review); edit that one',
  },
  version_not_editable: { status: 422, zh: '该版本状态为“{status}”，只有草稿可以修改或提交', en: 'The version is {status}; only a draft can be edited or submitted' },
  version_not_in_review: { status: 422, zh: '该版本状态为“{status}”，只有审核中的版本可以发布或退回', en: 'The version is {status}; only a version in review can be published or returned' },
  version_not_published: { status: 422, zh: '该版本状态为“{status}”，只有已发布的版本可以撤回', en: 'The version is {status}; only a published version can be withdrawn' },
  nothing_to_copy: { status: 422, zh: '该事项没有可复制的已发布版本', en: 'The item has no published version to copy' },
  same_person_cannot_publish: {
    status: 403,
    zh: '审核发布须由另一人进行：您是该版本的最后编辑人或提交人',
    en: 'Another person must publish: you last edited or submitted this version',
  },
  publish_refused: { status: 422, zh: '不能发布：有 {count} 处问题需要修改', en: 'Cannot publish: {count} problems to fix' },
  entry_not_editable: { status: 422, zh: '已发布的清单条目不能修改，请先撤回', en: 'A published list entry cannot be changed; withdraw it first' },
  entry_status: { status: 422, zh: '该条目状态为“{status}”，不能执行此操作', en: 'The entry is {status}; this action is not possible' },
  entry_in_use: {
    status: 409,
    zh: '该条目仍被已发布事项引用（{items}），请先发布不再引用它的新版本',
    en: 'Published items still refer to this entry ({items}); publish versions without it first',
  },
});

/** Field-level codes: the `errors[].code` of 400 answers and of 422 `publish_refused`, and the readiness `problems`. */
export const CatalogFieldCodes = defineFieldErrors({
  // identity
  invalid_basic_code: { zh: '基本编码应为 12 位数字或大写字母', en: 'The basic code is 12 digits or capital letters' },
  invalid_exercise_level: { zh: '行使层级应为 1（国家级）至 6（村级）', en: 'The exercise level is 1 (national) to 6 (village)' },
  invalid_department_credit_code: {
    zh: '实施主体的统一社会信用代码无效（GB 32100），不能组成实施编码',
    en: 'The department\'s unified social credit code is invalid (GB 32100); no implementation code can be built from it',
  },
  unknown_department: { zh: '部门不存在', en: 'No such department' },
  // completeness (十统一)
  element_required: { zh: '十统一要素“{element}”不能为空', en: 'The unified element “{element}” must not be empty' },
  // time limits
  promised_exceeds_legal: { zh: '承诺办结时限（{promised} 个工作日）不能超过法定办结时限（{legal} 个工作日）', en: 'Promised days ({promised}) exceed the legal time limit ({legal})' },
  procedure_exceeds_promised: {
    zh: '办理环节合计 {sum} 个工作日，超过承诺办结时限 {promised} 个工作日',
    en: 'The procedure steps add up to {sum} working days, more than the {promised} promised',
  },
  immediate_requires_zero_days: { zh: '即办件的承诺办结时限应为 0', en: 'An immediate case kind has 0 promised days' },
  immediate_mismatch: { zh: '办件类型“即办件”与“马上办”须一致', en: 'Case kind “immediate” and the immediate handling flag must agree' },
  // references
  unknown_proof: { zh: '证明事项不存在', en: 'No such proof' },
  proof_not_published: { zh: '证明事项“{name}”不在已发布的保留证明事项清单上', en: 'The proof “{name}” is not on the published retained-proofs list' },
  proof_required: {
    zh: '由其他单位出具的材料属于证明事项，须关联已发布的保留证明事项',
    en: 'A material issued by another body is a proof: link it to a published retained proof',
  },
  unknown_intermediary: { zh: '中介服务不存在', en: 'No such intermediary service' },
  intermediary_not_published: { zh: '中介服务“{name}”不在已发布的中介服务清单上', en: 'The intermediary service “{name}” is not on the published list' },
  unknown_hall: { zh: '政务服务大厅不存在', en: 'No such service hall' },
  duplicate_material_id: { zh: '材料标识 {id} 重复', en: 'Material id {id} is used twice' },
  // parallel approval (并联审批)
  unknown_component: { zh: '子事项 {code} 不存在', en: 'No item with implementation code {code}' },
  component_not_published: { zh: '子事项“{name}”当前没有已发布的版本', en: 'The component “{name}” has no published version in effect' },
  component_is_composite: { zh: '子事项“{name}”本身是并联审批事项，不能嵌套', en: 'The component “{name}” is itself composite; composites do not nest' },
  component_is_self: { zh: '事项不能把自己列为子事项', en: 'An item cannot be its own component' },
  duplicate_component: { zh: '子事项 {code} 重复', en: 'Component {code} is listed twice' },
  parallel_requires_required: { zh: '并联审批至少须有一个必办子事项', en: 'A parallel approval needs at least one required component' },
  // fees
  free_with_fee_items: { zh: '不收费的事项不应列出收费项目', en: 'A free item lists no fee items' },
  fee_items_required: { zh: '收费事项至少列出一个收费项目', en: 'A charged item lists at least one fee item' },
  // four ways
  online_requires_online_form: { zh: '“网上办”须支持网上办理或移动端办理（办理形式 2 或 3）', en: '“Online” needs handling form 2 (web) or 3 (mobile)' },
  online_requires_depth: { zh: '“网上办”须达到三级及以上网上办理深度', en: '“Online” needs online depth 3 or more' },
  one_visit_requires_visits: { zh: '“一次办”的到现场次数不能超过 1 次', en: '“One visit” allows at most 1 visit' },
  nearby_requires_hall: { zh: '“就近办”至少须有一个可办理的政务服务大厅', en: '“Nearby” needs at least one service hall' },
  // application form
  form_schema_invalid: { zh: '表单 JSON Schema 无效：{reason}', en: 'The form JSON Schema is invalid: {reason}' },
  form_schema_not_object: { zh: '表单 JSON Schema 应为 type 为 object 的对象模式', en: 'The form JSON Schema must be an object schema (type: object)' },
  form_schema_no_fields: { zh: '表单至少需要一个字段', en: 'The form needs at least one field' },
  form_order_unknown_field: { zh: '字段顺序中的“{name}”不是表单字段', en: '“{name}” in the field order is not a form field' },
  form_field_missing_hint: { zh: '表单字段“{name}”缺少界面提示（控件和标签）', en: 'The form field “{name}” has no UI hint (widget and label)' },
  form_hint_unknown_field: { zh: '界面提示“{name}”没有对应的表单字段', en: 'The UI hint “{name}” matches no form field' },
  form_visible_when_unknown_field: { zh: '显示条件引用的字段“{name}”不存在', en: 'The condition refers to “{name}”, which is not a form field' },
  // lifecycle
  effective_from_in_past: { zh: '生效日期不能早于今天（{today}）', en: 'The effective date cannot be before today ({today})' },
  invalid_effective_date: { zh: '生效日期应为 YYYY-MM-DD 格式的真实日期', en: 'The effective date is a real date written YYYY-MM-DD' },
  // synonyms
  duplicate_term: { zh: '词条“{term}”重复', en: 'The term “{term}” appears twice' },
});

/** Names of the unified elements (十统一) in both languages, for `element_required`. */
export const ELEMENT_NAMES: Record<string, { zh: string; en: string }> = {
  name: { zh: '事项名称', en: 'name' },
  legalBasis: { zh: '设定依据', en: 'legal basis' },
  procedure: { zh: '办理流程', en: 'procedure' },
  materials: { zh: '申请材料', en: 'materials' },
  handlingForms: { zh: '办理形式', en: 'handling forms' },
};

/** Version statuses as the messages name them. */
export const VERSION_STATUS_LABELS: Record<string, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'draft' },
  in_review: { zh: '审核中', en: 'in review' },
  published: { zh: '已发布', en: 'published' },
  superseded: { zh: '已被新版本替代', en: 'superseded' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
};
