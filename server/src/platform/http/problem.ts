import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, CommonErrors, FieldCodes, fieldMessage, problemMessage, type FieldErrorSpec, type Lang, type Params } from './errors.js';

/**
 * The caller's most preferred language among those the platform speaks (zh, en), by q-value;
 * Chinese when neither is acceptable or the header is absent. `q=0` means "not acceptable".
 */
export function requestLang(request: Pick<FastifyRequest, 'headers'>): Lang {
  const header = request.headers['accept-language'];
  if (!header) return 'zh';
  let best: { lang: Lang; q: number } = { lang: 'zh', q: 0 };
  for (const part of header.split(',')) {
    const [tagRaw, ...attrs] = part.split(';');
    const tag = (tagRaw ?? '').trim().toLowerCase();
    const lang: Lang | undefined = tag === 'en' || tag.startsWith('en-') ? 'en' : tag === 'zh' || tag.startsWith('zh-') ? 'zh' : undefined;
    if (!lang) continue;
    const qAttr = attrs.map((a) => a.trim()).find((a) => a.startsWith('q='));
    const q = qAttr ? Number(qAttr.slice(2)) : 1;
    if (Number.isFinite(q) && q > best.q) best = { lang, q };
  }
  return best.lang;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: Array<{ field: string; code: string; message: string }>;
}

export function renderProblem(error: AppError, lang: Lang): ProblemBody {
  const title = problemMessage(error.code, lang, error.params);
  const body: ProblemBody = { type: `urn:tongban:problem:${error.code}`, title, status: error.status, detail: title, code: error.code };
  if (error.fieldErrors.length > 0) {
    body.errors = error.fieldErrors.map((e) => ({ field: e.field, code: e.code, message: fieldMessage(e.code, lang, e.params) }));
    body.detail = body.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  }
  return body;
}

export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  return reply
    .status(error.status)
    .type('application/problem+json; charset=utf-8')
    .send(renderProblem(error, requestLang(reply.request)));
}

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

const KEYWORD_CODES: Record<string, string> = {
  required: FieldCodes.required,
  type: FieldCodes.invalid_type,
  format: FieldCodes.invalid_format,
  pattern: FieldCodes.invalid_format,
  minLength: FieldCodes.too_short,
  maxLength: FieldCodes.too_long,
  minimum: FieldCodes.out_of_range,
  maximum: FieldCodes.out_of_range,
  exclusiveMinimum: FieldCodes.out_of_range,
  exclusiveMaximum: FieldCodes.out_of_range,
  enum: FieldCodes.invalid_value,
  const: FieldCodes.invalid_value,
  anyOf: FieldCodes.invalid_value,
  oneOf: FieldCodes.invalid_value,
  minItems: FieldCodes.invalid_count,
  maxItems: FieldCodes.invalid_count,
  additionalProperties: FieldCodes.unknown_field,
};

/** JSON pointer '/materials/0/fileId' becomes 'materials[0].fileId', the way forms name fields. */
function fieldName(pointer: string, child?: string): string {
  const parts = pointer.split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child) parts.push(child);
  return parts.reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
}

export function validationToFieldErrors(errors: AjvError[], context: string | undefined): FieldErrorSpec[] {
  const seen = new Set<string>();
  const result: FieldErrorSpec[] = [];
  for (const e of errors) {
    // 'if' only says that a 'then' failed; the failing keyword itself is reported beside it.
    if (e.keyword === 'if') continue;
    const child =
      e.keyword === 'required' ? String(e.params.missingProperty) :
      e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : undefined;
    let field = fieldName(e.instancePath, child);
    if (!field) field = context ?? 'body';
    const code = KEYWORD_CODES[e.keyword] ?? FieldCodes.invalid_value;
    // anyOf/oneOf repeat their branches' errors; one entry per field reads better.
    const key = `${field}:${code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const params: Params = {};
    if (typeof e.params.limit === 'number') params.limit = e.params.limit;
    result.push({ field, code, params });
  }
  return result;
}

const FASTIFY_CODES: Record<string, () => AppError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => CommonErrors.malformed_json(),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => CommonErrors.malformed_json(),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => CommonErrors.unsupported_media_type(),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => CommonErrors.bad_request(),
};

function toAppError(error: FastifyError, bodyLimit: number): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    return new AppError(400, 'validation_failed', {}, validationToFieldErrors(error.validation as AjvError[], error.validationContext));
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
    return CommonErrors.payload_too_large({ limit: `${Math.round(bodyLimit / 1024)} KiB` });
  }
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (mapped) return mapped();
  if (error instanceof SyntaxError && error.statusCode === 400) return CommonErrors.malformed_json();
  if (error.statusCode === 429) return CommonErrors.too_many_requests();
  if (error.statusCode === 415) return CommonErrors.unsupported_media_type();
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return CommonErrors.bad_request();
  return CommonErrors.internal_error();
}

export function registerProblemHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error, bodyLimit);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: appError.code, status: appError.status }, 'request refused');
    return sendProblem(reply, appError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, CommonErrors.route_not_found({ method: request.method, url: request.url.split('?')[0] ?? '' })),
  );
}
