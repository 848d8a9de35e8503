import { defineErrors, defineFieldErrors } from '../../platform/http/errors.js';

export const LicenseErrors = defineErrors({
  license_type_not_found: { status: 404, zh: '电子证照类型不存在', en: 'License type not found' },
  license_type_taken: { status: 409, zh: '电子证照类型代码已被使用：{code}', en: 'This license type code is already in use: {code}' },
  seal_not_found: { status: 404, zh: '电子印章不存在', en: 'Seal not found' },
  seal_retired: { status: 409, zh: '该电子印章已停用', en: 'This seal is retired' },
  seal_name_taken: { status: 409, zh: '本部门已有同名的电子印章：{name}', en: 'The department already has a seal named {name}' },
  seal_key_unavailable: {
    status: 500,
    zh: '电子印章密钥无法解密：请检查 SEAL_KEY / SEAL_KEY_PREVIOUS 配置',
    en: 'The seal\'s key cannot be decrypted: check SEAL_KEY / SEAL_KEY_PREVIOUS',
  },
  license_not_found: { status: 404, zh: '电子证照不存在', en: 'License not found' },
  license_id_malformed: {
    status: 400,
    zh: '电子证照标识格式不正确（应为 1.2.156.3005.2.证照类型代码.颁发机构代码.顺序号.版本号.校验位）',
    en: 'Malformed license identifier (1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check>)',
  },
  license_id_check_failed: { status: 400, zh: '电子证照标识校验位不正确，请核对标识是否抄录有误', en: 'The license identifier\'s check character is wrong: check it was copied correctly' },
  license_not_valid: { status: 409, zh: '该电子证照已{status}，不能再办理', en: 'This license is already {status}' },
  // issuance refused: each names what is missing, so an approval is never taken without its license
  issuance_type_unknown: {
    status: 422,
    zh: '不能办结：办理结果“{result}”对应的电子证照类型 {code} 未在电子证照库登记，请先登记证照类型',
    en: 'Cannot approve: the license type {code} of the result "{result}" is not registered in the license library',
  },
  issuance_no_seal: {
    status: 422,
    zh: '不能办结：{department}没有可用的电子印章，无法签发“{result}”，请先制作电子印章',
    en: 'Cannot approve: {department} has no active seal to sign "{result}" with',
  },
  issuance_not_authorised: {
    status: 422,
    zh: '{department}不是电子证照“{type}”的颁发部门',
    en: '{department} does not issue the license type "{type}"',
  },
  issuance_holder_kind: {
    status: 422,
    zh: '电子证照“{type}”只颁发给{kind}',
    en: 'The license type "{type}" is issued to {kind} only',
  },
  import_rejected: {
    status: 422,
    zh: '未导入：发现 {count} 处错误，请修正后重新上传（全部正确才会导入）',
    en: 'Nothing imported: {count} problems found; fix them and upload again (all rows must be valid)',
  },
  import_too_large: { status: 413, zh: '上传的文件过大（上限 {limit}）', en: 'The upload is too large (limit {limit})' },
  import_not_xlsx: { status: 415, zh: '请上传 Excel 工作簿（.xlsx）', en: 'Upload an Excel workbook (.xlsx)' },
});

export const LicenseFieldCodes = defineFieldErrors({
  license_type_code_invalid: { zh: '证照类型代码应为定义机构的统一社会信用代码加 3 位数字（共 21 位）', en: 'A type code is the defining authority\'s credit code + 3 digits (21 characters)' },
  license_holder_invalid: { zh: '持证主体证件号码不正确（自然人为身份证号码，法人为统一社会信用代码）', en: 'Invalid holder identifier (an ID number, or a credit code)' },
  license_field_required: { zh: '缺少照面信息：{label}', en: 'Missing license field: {label}' },
  license_field_unknown: { zh: '证照类型没有此照面项：{name}', en: 'The license type has no field {name}' },
  license_dates: { zh: '有效期截止日期须晚于起始日期', en: 'The end of validity must be after its start' },
  license_department_unknown: { zh: '部门不存在', en: 'Unknown department' },
  license_row_invalid: { zh: '第 {row} 行：{problem}', en: 'Row {row}: {problem}' },
  license_not_held: { zh: '您没有该类型的有效电子证照', en: 'You hold no valid license of this type' },
  license_type_mismatch: { zh: '该电子证照不是此材料可用的证照类型', en: 'This license is not of the type the material accepts' },
});
