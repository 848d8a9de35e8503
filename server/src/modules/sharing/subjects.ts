import { checkCreditCode, checkIdNumber, maskIdNumber, normalizeCreditCode, normalizeIdNumber } from '../../shared/identifiers.js';
import type { SubjectType } from '../../shared/sharing-codes.js';
import { hmacSm3Hex } from '../../platform/crypto/sm2.js';

/** A look-up's subject in its canonical form (upper case, trimmed). */
export function normalizeSubject(type: SubjectType, raw: string): string {
  return type === 'id_number' ? normalizeIdNumber(raw) : normalizeCreditCode(raw);
}

/** Whether a normalized subject is a valid ID number (GB 11643) or credit code (GB 32100). */
export function isValidSubject(type: SubjectType, subject: string): boolean {
  return type === 'id_number' ? checkIdNumber(subject) === null : checkCreditCode(subject) === null;
}

/** What the access log shows of a subject: the first three and last four characters. */
export function maskSubject(subject: string): string {
  return maskIdNumber(subject);
}

/**
 * Stands for a subject in the access log: HMAC-SM3 keyed by configuration, so the log can be
 * searched by subject (the citizen's own view) without holding it, and a copy of the table cannot
 * be matched against a list of ID numbers without the key. The type is part of the input: an ID
 * number and a credit code never share a hash.
 */
export class SubjectHasher {
  constructor(private readonly key: string) {}

  hash(type: SubjectType, subject: string): string {
    return hmacSm3Hex(this.key, `${type}:${subject}`);
  }
}
