/**
 * Typed, translatable errors. A service throws an AppError with a stable machine code; the HTTP
 * layer (problem.ts) renders it as RFC 9457 problem+json in the caller's language. Services never
 * pick status codes or words at the call site: each module declares its errors once with
 * `defineErrors`, which keeps every code's status and messages in one reviewed place.
 */
export type Lang = 'zh' | 'en';
export type Message = { zh: string; en: string };
/** Values filled into messages; a Message value is picked in the caller's language. */
export type Params = Record<string, string | number | Message>;

export interface FieldErrorSpec {
  field: string;
  code: string;
  params?: Params;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Params = {},
    readonly fieldErrors: FieldErrorSpec[] = [],
  ) {
    super(code);
    this.name = 'AppError';
  }
}

const problemMessages = new Map<string, Message>();
const fieldMessages = new Map<string, Message>();

interface ErrorSpec extends Message {
  status: number;
}

/** Declares a module's errors; returns one factory per code. */
export function defineErrors<K extends string>(specs: Record<K, ErrorSpec>): Record<K, (params?: Params) => AppError> {
  const factories = {} as Record<K, (params?: Params) => AppError>;
  for (const code of Object.keys(specs) as K[]) {
    const spec = specs[code];
    if (problemMessages.has(code)) throw new Error(`error code declared twice: ${code}`);
    problemMessages.set(code, { zh: spec.zh, en: spec.en });
    factories[code] = (params?: Params) => new AppError(spec.status, code, params ?? {});
  }
  return factories;
}

/** Declares field-level error codes (the `errors[].code` of an invalid-input problem). */
export function defineFieldErrors<K extends string>(specs: Record<K, Message>): Record<K, K> {
  const codes = {} as Record<K, K>;
  for (const code of Object.keys(specs) as K[]) {
    // Two modules giving one code different words would make one of them lie: refuse at load.
    if (fieldMessages.has(code)) throw new Error(`field error code declared twice: ${code}`);
    fieldMessages.set(code, specs[code]);
    codes[code] = code;
  }
  return codes;
}

function fill(template: string, params: Params, lang: Lang): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'object' ? value[lang] : String(value);
  });
}

export function problemMessage(code: string, lang: Lang, params: Params = {}): string {
  const message = problemMessages.get(code);
  return message ? fill(message[lang], params, lang) : code;
}

export function fieldMessage(code: string, lang: Lang, params: Params = {}): string {
  const message = fieldMessages.get(code);
  return message ? fill(message[lang], params, lang) : code;
}

export function hasProblemMessage(code: string): boolean {
  return problemMessages.has(code);
}

/** Invalid input found by a service (beyond what the route schema checks). */
export function invalidInput(fieldErrors: FieldErrorSpec[]): AppError {
  return new AppError(400, 'validation_failed', {}, fieldErrors);
}

export const CommonErrors = defineErrors({
  validation_failed: { status: 400, zh: '提交的内容有误，请按提示修改', en: 'The request has invalid fields' },
  malformed_json: { status: 400, zh: '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  bad_request: { status: 400, zh: '请求无法处理', en: 'The request cannot be processed' },
  unauthenticated: { status: 401, zh: '请先登录', en: 'Please sign in first' },
  forbidden: { status: 403, zh: '您没有权限执行此操作', en: 'You are not allowed to do this' },
  csrf_failed: { status: 403, zh: '页面已过期，请刷新后重试', en: 'The page has expired; reload and try again' },
  not_found: { status: 404, zh: '找不到请求的资源', en: 'The requested resource was not found' },
  route_not_found: { status: 404, zh: '接口不存在：{method} {url}', en: 'No such route: {method} {url}' },
  method_not_allowed: { status: 405, zh: '不支持该请求方法', en: 'Method not allowed' },
  conflict: { status: 409, zh: '数据已被他人修改，请刷新后重试', en: 'The data changed meanwhile; reload and try again' },
  idempotency_key_reused: {
    status: 422,
    zh: '该幂等键已用于另一个请求内容',
    en: 'This Idempotency-Key was already used with a different request',
  },
  idempotency_in_progress: { status: 409, zh: '相同的请求正在处理中', en: 'The same request is still being processed' },
  payload_too_large: { status: 413, zh: '提交的内容过大（上限 {limit}）', en: 'The request body is too large (limit {limit})' },
  unsupported_media_type: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  too_many_requests: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  internal_error: { status: 500, zh: '系统内部错误，请稍后再试', en: 'Internal error; please try again later' },
  service_unavailable: { status: 503, zh: '服务暂不可用', en: 'Service unavailable' },
});

export const FieldCodes = defineFieldErrors({
  required: { zh: '此项为必填项', en: 'This field is required' },
  invalid_type: { zh: '类型不正确', en: 'Wrong type' },
  invalid_format: { zh: '格式不正确', en: 'Invalid format' },
  invalid_value: { zh: '取值不在允许范围内', en: 'Value not allowed' },
  too_short: { zh: '长度不能少于 {limit}', en: 'Must be at least {limit} long' },
  too_long: { zh: '长度不能超过 {limit}', en: 'Must be at most {limit} long' },
  out_of_range: { zh: '数值超出允许范围', en: 'Value out of range' },
  invalid_count: { zh: '数量不符合要求', en: 'Wrong number of entries' },
  unknown_field: { zh: '不支持的字段', en: 'Unknown field' },
  invalid_cursor: { zh: '分页游标无效', en: 'Invalid page cursor' },
});
