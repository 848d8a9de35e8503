/**
 * Validators for the identifiers citizens and enterprises type in. Pure functions with no Node or
 * browser dependency: the server and the web app share them, so a form and the API agree.
 */

/** GB 11643-1999 weights of the first 17 digits, and the check characters for sum mod 11 = 0..10. */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB/T 2260 province-level codes, plus 81/82/83 for Hong Kong, Macao and Taiwan residence permits. */
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43',
  '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
]);

export type IdNumberProblem = 'format' | 'region' | 'birth_date' | 'check';

export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** Upper-cases a trailing x and trims spaces; a citizen may well type the check character in lower case. */
export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * Checks an 18-character resident ID number: region prefix, a real birth date not in the future
 * (nor before 1900), and the check character. `today` is injectable for tests.
 */
export function checkIdNumber(raw: string, today: Date = new Date()): IdNumberProblem | null {
  const id = normalizeIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return 'format';
  if (!PROVINCE_CODES.has(id.slice(0, 2))) return 'region';
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1900 || !isRealDate(year, month, day)) return 'birth_date';
  if (Date.UTC(year, month - 1, day) > today.getTime()) return 'birth_date';
  if (idNumberCheckCharacter(id) !== id[17]) return 'check';
  return null;
}

export function isValidIdNumber(raw: string, today?: Date): boolean {
  return checkIdNumber(raw, today) === null;
}

/** GB 32100-2015 character set: digits and capitals without I, O, S, V, Z; a character's value is its index. */
const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** GB 11714 organisation code weights for its first 8 characters. */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export type CreditCodeProblem = 'format' | 'check' | 'organization_check';

export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CHARS.indexOf(first17[i]!) * CREDIT_WEIGHTS[i]!;
  return CREDIT_CHARS[(31 - (sum % 31)) % 31]!;
}

/** Check character of the 9-character GB 11714 organisation code embedded at positions 9-17. */
export function organizationCodeCheckCharacter(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = first8[i]!;
    const value = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55; // A=10 .. Z=35
    sum += value * ORG_WEIGHTS[i]!;
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

export function normalizeCreditCode(raw: string): string {
  return raw.trim().toUpperCase();
}

export function checkCreditCode(raw: string): CreditCodeProblem | null {
  const code = normalizeCreditCode(raw);
  if (code.length !== 18 || [...code].some((c) => !CREDIT_CHARS.includes(c))) return 'format';
  if (creditCodeCheckCharacter(code) !== code[17]) return 'check';
  const org = code.slice(8, 17);
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(org) || organizationCodeCheckCharacter(org) !== org[8]) return 'organization_check';
  return null;
}

export function isValidCreditCode(raw: string): boolean {
  return checkCreditCode(raw) === null;
}

/** Mainland mobile numbers: 11 digits starting 13-19 (an optional +86 or 86 prefix is dropped). */
export function normalizeMobile(raw: string): string {
  const digits = raw.replace(/[\s-]/g, '');
  return digits.replace(/^(\+?86)(?=1\d{10}$)/, '');
}

export function isValidMobile(raw: string): boolean {
  return /^1[3-9]\d{9}$/.test(normalizeMobile(raw));
}

/** Masks for lists and logs: keep enough to recognise, never enough to use. */
export function maskIdNumber(id: string): string {
  return id.length < 8 ? '*'.repeat(id.length) : `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
}

export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '*'.repeat(phone.length);
}

export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  return chars.length === 2 ? `${chars[0]}*` : `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** At least 8 characters with a letter and a digit: the common rule of Chinese government portals. */
export function isStrongPassword(password: string): boolean {
  return password.length >= 8 && password.length <= 128 && /[A-Za-z]/.test(password) && /\d/.test(password);
}
