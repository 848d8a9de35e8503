/**
 * E-license identifiers (电子证照标识, GB/T 36904-2018):
 * `1.2.156.3005.2.<license type code>.<issuer code>.<serial>.<version>.<check>`.
 *
 * - `1.2.156.3005.2` is the national e-license root (an OID arc under China, 1.2.156);
 * - the license type code is the defining authority's 18-character unified social credit code
 *   followed by a 3-digit number (21 characters);
 * - the issuer code is the issuing department's 18-character credit code;
 * - the serial is the issuer's number for the license (here 12 digits);
 * - the version is 3 digits, `001` for a first issue, one more at each change (变更);
 * - the check character is ISO 7064 MOD 37,36 over everything before it without the dots.
 *
 * Pure code (no I/O): shared with the web app's verification page.
 */
import { checkCreditCode } from '../../shared/identifiers.js';

export const LICENSE_ROOT = '1.2.156.3005.2';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const M = 36;

function valueOf(char: string): number {
  const v = ALPHABET.indexOf(char);
  if (v < 0) throw new RangeError(`not an ISO 7064 MOD 37,36 character: ${char}`);
  return v;
}

/**
 * ISO 7064 MOD 37,36 (a hybrid system): over 0-9 and A-Z, detects every single substitution
 * and nearly every adjacent transposition. Upper-case input only.
 */
export function mod3736Check(data: string): string {
  let p = M;
  for (const char of data) {
    let s = (p + valueOf(char)) % M;
    if (s === 0) s = M;
    p = (s * 2) % (M + 1);
  }
  return ALPHABET[(M + 1 - p) % M]!;
}

/** Whether the last character is the MOD 37,36 check character of the rest. */
export function mod3736Valid(withCheck: string): boolean {
  if (withCheck.length < 2 || !/^[0-9A-Z]+$/.test(withCheck)) return false;
  return mod3736Check(withCheck.slice(0, -1)) === withCheck.slice(-1);
}

export interface LicenseIdParts {
  typeCode: string;
  issuerCode: string;
  serial: string;
  version: number;
}

const TYPE_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\d{3}$/;
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const SERIAL = /^\d{1,20}$/;

/** Credit code (with a right check character) + 3 digits. */
export function isLicenseTypeCode(code: string): boolean {
  return TYPE_CODE.test(code) && checkCreditCode(code.slice(0, 18)) === null;
}

/** The identifier of a license; a RangeError when a part is malformed. */
export function formatLicenseId(parts: LicenseIdParts): string {
  if (!TYPE_CODE.test(parts.typeCode)) throw new RangeError('license type code: credit code + 3 digits');
  if (!CREDIT_CODE.test(parts.issuerCode)) throw new RangeError('issuer code: an 18-character credit code');
  if (!SERIAL.test(parts.serial)) throw new RangeError('serial: 1-20 digits');
  if (!Number.isInteger(parts.version) || parts.version < 1 || parts.version > 999) throw new RangeError('version: 1-999');
  const body = [LICENSE_ROOT, parts.typeCode, parts.issuerCode, parts.serial, String(parts.version).padStart(3, '0')].join('.');
  return `${body}.${mod3736Check(body.replaceAll('.', ''))}`;
}

export type LicenseIdProblem = 'format' | 'check';

/** The parts of an identifier, or what is wrong with it: its shape, or its check character. */
export function parseLicenseId(id: string): { ok: true; parts: LicenseIdParts } | { ok: false; problem: LicenseIdProblem } {
  if (id.length > 100 || !id.startsWith(`${LICENSE_ROOT}.`)) return { ok: false, problem: 'format' };
  const rest = id.slice(LICENSE_ROOT.length + 1).split('.');
  if (rest.length !== 5) return { ok: false, problem: 'format' };
  const [typeCode, issuerCode, serial, version, check] = rest as [string, string, string, string, string];
  if (!TYPE_CODE.test(typeCode) || !CREDIT_CODE.test(issuerCode) || !SERIAL.test(serial) || !/^\d{3}$/.test(version) || version === '000' || !/^[0-9A-Z]$/.test(check)) {
    return { ok: false, problem: 'format' };
  }
  if (!mod3736Valid(`${id.slice(0, -2).replaceAll('.', '')}${check}`)) return { ok: false, problem: 'check' };
  return { ok: true, parts: { typeCode, issuerCode, serial, version: Number(version) } };
}
