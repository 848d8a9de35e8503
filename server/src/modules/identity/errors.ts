import { defineErrors, defineFieldErrors } from '../../platform/http/errors.js';

export const IdentityErrors = defineErrors({
  invalid_credentials: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  account_locked: {
    status: 429,
    zh: '登录失败次数过多，账户已临时锁定，请 {minutes} 分钟后再试',
    en: 'Too many failed sign-ins; the account is locked for {minutes} minutes',
  },
  account_exists: { status: 409, zh: '该证件号码已注册', en: 'An account with this ID already exists' },
  username_taken: { status: 409, zh: '用户名已被使用', en: 'This username is already taken' },
  user_not_found: { status: 404, zh: '用户不存在', en: 'User not found' },
  client_not_found: { status: 404, zh: '接入系统不存在', en: 'API client not found' },
  role_not_grantable: { status: 403, zh: '您不能授予角色：{role}', en: 'You may not grant the role {role}' },
});

export const IdentityFieldCodes = defineFieldErrors({
  invalid_phone: { zh: '请输入 11 位大陆手机号码', en: 'Enter an 11-digit mainland mobile number' },
  weak_password: { zh: '密码至少 8 位，且须同时包含字母和数字', en: 'At least 8 characters with letters and digits' },
  invalid_username: { zh: '用户名为 3-32 位字母、数字、下划线或连字符', en: '3-32 letters, digits, underscores or hyphens' },
  invalid_role: { zh: '未知角色', en: 'Unknown role' },
});
