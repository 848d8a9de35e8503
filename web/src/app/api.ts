/**
 * The one way the web app talks to the server: JSON over fetch with the session cookie, the
 * CSRF header on writes, the chosen language, and RFC 9457 problems turned into ApiError.
 */

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The problem's stable machine code; `network_error` when no answer came, `http_error` when it was not a problem document. */
    readonly code: string,
    /** The server's message in the requested language; empty when the server sent none. */
    readonly title: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(title || code);
    this.name = 'ApiError';
  }
}

const CSRF_COOKIE = 'tb_csrf';
const CSRF_HEADER = 'X-CSRF-Token';

let acceptLanguage = 'zh-CN';

export function setApiLanguage(lang: 'zh' | 'en'): void {
  acceptLanguage = lang === 'en' ? 'en' : 'zh-CN';
}

function readCookie(name: string): string | undefined {
  const prefix = `${name}=`;
  const entry = document.cookie.split('; ').find((c) => c.startsWith(prefix));
  return entry === undefined ? undefined : decodeURIComponent(entry.slice(prefix.length));
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  /** JSON; FormData sent as multipart (the browser writes its boundary); a Blob as is, typed by its own type (a CSV upload). */
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** Extra request headers, such as an `Idempotency-Key` on creating routes. */
  headers?: Record<string, string>;
}

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function toApiError(response: Response): Promise<ApiError> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as { code?: unknown; title?: unknown; errors?: unknown };
      if (typeof body.code === 'string') {
        const errors = Array.isArray(body.errors) ? (body.errors as FieldProblem[]) : [];
        return new ApiError(response.status, body.code, typeof body.title === 'string' ? body.title : '', errors);
      }
    } catch {
      // A proxy's error page mislabelled as JSON: fall through to the generic error.
    }
  }
  return new ApiError(response.status, 'http_error', '');
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...options.headers, Accept: 'application/json', 'Accept-Language': acceptLanguage };
  const multipart = options.body instanceof FormData || options.body instanceof Blob;
  if (options.body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : multipart ? (options.body as FormData | Blob) : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', '');
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
