import type { AcceptedType } from './sniff.js';

/** Characters of a stored name, counted in code points (a Chinese name is not cut mid-character). */
export const MAX_NAME_LENGTH = 200;

// C0/C1 controls, and the invisible bidirectional marks that make "invoice\u202Efdp.exe" display
// as "invoiceexe.pdf": none of them belongs in a name shown to a reviewer.
// eslint-disable-next-line no-control-regex -- control characters are what this removes
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu;

/**
 * The name a file is kept and offered under: the last path segment only (old browsers send
 * "C:\fakepath\x.pdf"), without control or bidirectional characters and leading dots, at most
 * MAX_NAME_LENGTH characters, and ending in an extension of the sniffed type. The extension is
 * appended when missing or wrong, so that a download opens in the viewer for what the bytes
 * are: a PDF uploaded as "page.html" must not be saved to disk as HTML.
 */
export function sanitiseName(raw: string | undefined, type: AcceptedType): string {
  const segment = (raw ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = segment.replace(INVISIBLE, '').trim().replace(/^\.+/, '').trim();
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 ? cleaned.slice(dot + 1).toLowerCase() : '';
  const keepsExtension = (type.extensions as readonly string[]).includes(extension);
  const suffix = keepsExtension ? cleaned.slice(dot) : `.${type.extensions[0]}`;
  let stem = keepsExtension ? cleaned.slice(0, dot) : cleaned;
  const room = MAX_NAME_LENGTH - [...suffix].length;
  stem = [...stem].slice(0, room).join('').trim();
  return `${stem || 'file'}${suffix}`;
}

/**
 * `attachment` with an ASCII fallback and the exact name as RFC 5987/6266 `filename*`. The
 * fallback keeps printable ASCII except the quote and backslash (no escaping to get wrong).
 */
export function attachmentDisposition(name: string): string {
  const fallback = [...name].map((c) => (/^[\x20-\x7e]$/.test(c) && c !== '"' && c !== '\\' ? c : '_')).join('');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

/** RFC 5987 attr-char leaves only ALPHA / DIGIT / "!#$&+-.^_`|~" unencoded; encodeURIComponent also spares "'()*". */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
