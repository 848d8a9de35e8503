import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCreditCode,
  checkIdNumber,
  creditCodeCheckCharacter,
  idNumberCheckCharacter,
  isValidCreditCode,
  isValidIdNumber,
  isValidMobile,
  maskIdNumber,
  maskName,
  maskPhone,
  normalizeMobile,
  organizationCodeCheckCharacter,
} from './identifiers.js';

/*
 * Reference implementations written from the standards' text (DOMAIN.md "Standards and formats"),
 * independent of the code under test, so a generated "valid" identifier is not valid merely because
 * the code agrees with itself.
 */

/** GB 11643-1999: weights 2^(17-i) mod 11; sum mod 11 = 0..10 maps to 1 0 X 9 8 7 6 5 4 3 2. */
function refIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  return '10X98765432'[sum % 11]!;
}

/** GB 32100-2015: 31 characters, value = index; weights 3^i mod 31; check = 31 - sum mod 31, 31 -> 0. */
const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function refCreditCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CHARS.indexOf(first17[i]!) * (3 ** i % 31);
  return CREDIT_CHARS[(31 - (sum % 31)) % 31]!;
}

/** GB 11714-1997: digits 0-9, letters A=10 .. Z=35; weights 3 7 9 10 5 8 4 2; C9 = 11 - sum mod 11 (10 -> X, 11 -> 0). */
function refOrgCheck(first8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(first8[i]!, 36) * weights[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

const PROVINCES = ['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43',
  '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83'];
const TODAY = new Date(Date.UTC(2026, 10, 26)); // 2026-11-26, injected so the tests do not age
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Any real birth date from 1900-01-01 up to TODAY, as yyyyMMdd. */
const birthDate = fc
  .integer({ min: Date.UTC(1900, 0, 1) / 86_400_000, max: TODAY.getTime() / 86_400_000 })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10).replace(/-/g, ''));

const validIdNumber = fc
  .tuple(fc.constantFrom(...PROVINCES), fc.integer({ min: 0, max: 9999 }), birthDate, fc.integer({ min: 0, max: 999 }))
  .map(([province, rest, birth, sequence]) => {
    const first17 = `${province}${pad(rest, 4)}${birth}${pad(sequence, 3)}`;
    return `${first17}${refIdCheck(first17)}`;
  });

const creditChar = fc.constantFrom(...CREDIT_CHARS);
const validCreditCode = fc
  .tuple(fc.array(creditChar, { minLength: 8, maxLength: 8 }), fc.array(creditChar, { minLength: 8, maxLength: 8 }))
  .map(([head, org8]) => {
    const org = `${org8.join('')}${refOrgCheck(org8.join(''))}`;
    const first17 = `${head.join('')}${org}`;
    return `${first17}${refCreditCheck(first17)}`;
  });

function replaceAt(s: string, i: number, c: string): string {
  return `${s.slice(0, i)}${c}${s.slice(i + 1)}`;
}

describe('GB 11643 citizen ID numbers', () => {
  it('accepts well-known valid examples', () => {
    for (const id of ['11010519491231002X', '440308199901101512', '110101199003074477']) {
      expect(checkIdNumber(id, TODAY), id).toBeNull();
    }
  });

  it('computes the same check character as the standard (reference implementation)', () => {
    fc.assert(fc.property(validIdNumber, (id) => idNumberCheckCharacter(id.slice(0, 17)) === id[17]));
  });

  it('accepts every generated valid number', () => {
    fc.assert(fc.property(validIdNumber, (id) => checkIdNumber(id, TODAY) === null), { numRuns: 1000 });
  });

  it('rejects any single-character change of a valid number', () => {
    fc.assert(
      fc.property(validIdNumber, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), (id, i, shift) => {
        const alphabet = i === 17 ? '0123456789X' : '0123456789';
        const current = alphabet.indexOf(id[i]!);
        const changed = replaceAt(id, i, alphabet[(current + shift) % alphabet.length]!);
        if (changed === id) return true; // shift == alphabet length on a 10-digit alphabet: no change
        return !isValidIdNumber(changed, TODAY);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects impossible birth dates', () => {
    for (const birth of ['19990230', '20230229', '19000229', '19901301', '19900001', '19900100', '19900132', '18991231']) {
      const first17 = `110105${birth}002`;
      expect(checkIdNumber(`${first17}${refIdCheck(first17)}`, TODAY), birth).toBe('birth_date');
    }
    const leap = '110105200002290021';
    expect(checkIdNumber(`${leap.slice(0, 17)}${refIdCheck(leap.slice(0, 17))}`, TODAY)).toBeNull();
  });

  it('rejects birth dates in the future, accepts today', () => {
    const make = (birth: string) => {
      const first17 = `110105${birth}002`;
      return `${first17}${refIdCheck(first17)}`;
    };
    expect(checkIdNumber(make('20261126'), TODAY)).toBeNull();
    expect(checkIdNumber(make('20261127'), TODAY)).toBe('birth_date');
    expect(checkIdNumber(make('20300101'), TODAY)).toBe('birth_date');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3650 }), (ahead) => {
        const birth = new Date(TODAY.getTime() + ahead * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
        return checkIdNumber(make(birth), TODAY) === 'birth_date';
      }),
    );
  });

  it('accepts a lower-case x check character and surrounding spaces', () => {
    expect(checkIdNumber('11010519491231002x', TODAY)).toBeNull();
    expect(checkIdNumber(' 11010519491231002x ', TODAY)).toBeNull();
    fc.assert(fc.property(validIdNumber, (id) => isValidIdNumber(id.toLowerCase(), TODAY)));
  });

  it('accepts Hong Kong, Macao and Taiwan residence permit prefixes 81/82/83', () => {
    for (const prefix of ['810000', '820000', '830000']) {
      const first17 = `${prefix}19900101123`;
      expect(checkIdNumber(`${first17}${refIdCheck(first17)}`, TODAY), prefix).toBeNull();
    }
  });

  it('rejects unknown province prefixes', () => {
    for (const prefix of ['00', '10', '16', '20', '24', '30', '40', '47', '55', '60', '66', '70', '72', '80', '84', '90', '99']) {
      const first17 = `${prefix}010519491231002`;
      expect(checkIdNumber(`${first17}${refIdCheck(first17)}`, TODAY), prefix).toBe('region');
    }
  });

  it('rejects malformed input', () => {
    for (const raw of ['', '11010519491231002', '11010519491231002XX', '1101051949123100XX', '11010519491231002Y', '11010519491231002 X', '１1010519491231002X']) {
      expect(checkIdNumber(raw, TODAY), raw).toBe('format');
    }
    expect(checkIdNumber('110105194912310021', TODAY)).toBe('check');
  });
});

describe('GB 32100 unified social credit codes', () => {
  it('accepts published real codes', () => {
    for (const code of ['91350100M000100Y43', '91110000600037341L', '91440300708461136T', '9144030071526726XG', '91310000MA1FL1MMXL']) {
      expect(checkCreditCode(code), code).toBeNull();
    }
  });

  it('agrees with the reference check characters (credit code and embedded organisation code)', () => {
    fc.assert(
      fc.property(validCreditCode, (code) =>
        creditCodeCheckCharacter(code.slice(0, 17)) === code[17] && organizationCodeCheckCharacter(code.slice(8, 16)) === code[16]),
    );
  });

  it('accepts every code built from a random organisation code and the check characters', () => {
    fc.assert(fc.property(validCreditCode, (code) => checkCreditCode(code) === null), { numRuns: 1000 });
  });

  it('accepts lower case input', () => {
    fc.assert(fc.property(validCreditCode, (code) => isValidCreditCode(code.toLowerCase())));
  });

  it('rejects any single-character change, including the check character and the organisation code', () => {
    fc.assert(
      fc.property(validCreditCode, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (code, i, shift) => {
        const changed = replaceAt(code, i, CREDIT_CHARS[(CREDIT_CHARS.indexOf(code[i]!) + shift) % 31]!);
        return checkCreditCode(changed) !== null;
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects the forbidden letters I O S V Z anywhere', () => {
    fc.assert(
      fc.property(validCreditCode, fc.integer({ min: 0, max: 17 }), fc.constantFrom('I', 'O', 'S', 'V', 'Z', 'i', 'o', 's', 'v', 'z'), (code, i, c) =>
        checkCreditCode(replaceAt(code, i, c)) === 'format'),
    );
  });

  it('detects a wrong organisation code check digit even when the overall check character fits', () => {
    fc.assert(
      fc.property(validCreditCode, fc.integer({ min: 1, max: 10 }), (code, shift) => {
        const orgAlphabet = '0123456789X';
        const wrongOrgCheck = orgAlphabet[(orgAlphabet.indexOf(code[16]!) + shift) % 11]!;
        const first17 = `${code.slice(0, 16)}${wrongOrgCheck}`;
        return checkCreditCode(`${first17}${refCreditCheck(first17)}`) === 'organization_check';
      }),
    );
  });

  it('rejects wrong lengths and foreign characters', () => {
    for (const raw of ['', '91350100M000100Y4', '91350100M000100Y433', '91350100M000100Y4-', '91350100M000100Y4３']) {
      expect(checkCreditCode(raw), raw).toBe('format');
    }
  });
});

describe('mobile numbers', () => {
  it('accepts mainland numbers 13x-19x, with or without +86 and separators', () => {
    for (const raw of ['13800138000', '19912345678', '+8613800138000', '8613800138000', '138 0013 8000', '138-0013-8000', '+86 138 0013 8000']) {
      expect(isValidMobile(raw), raw).toBe(true);
    }
    expect(normalizeMobile('+86 138-0013-8000')).toBe('13800138000');
  });

  it('rejects other shapes', () => {
    for (const raw of ['', '12800138000', '10800138000', '23800138000', '1380013800', '138001380001', '+8513800138000', '1380013800a', '０13800138000']) {
      expect(isValidMobile(raw), raw).toBe(false);
    }
  });

  it('accepts exactly 1[3-9] followed by nine digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 999_999_999 }), (second, rest) =>
        isValidMobile(`1${second}${pad(rest, 9)}`) === second >= 3),
    );
  });
});

describe('masks', () => {
  it('never shows the middle of an ID number (region detail, birth date, sequence)', () => {
    fc.assert(
      fc.property(validIdNumber, (id) => {
        const masked = maskIdNumber(id);
        return masked.length === 18 && masked.slice(0, 3) === id.slice(0, 3) && masked.slice(-4) === id.slice(-4)
          && /^\*{11}$/.test(masked.slice(3, 14)) && !masked.includes(id.slice(6, 14));
      }),
    );
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskIdNumber('1234567')).toBe('*******');
  });

  it('masks phone numbers and names', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('12345')).toBe('*****');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), (rest) => {
        const phone = `139${pad(rest, 8)}`;
        return maskPhone(phone) === `${phone.slice(0, 3)}****${phone.slice(7)}`;
      }),
    );
    expect(maskName('张')).toBe('张');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('𠀀三丰')).toBe('𠀀*丰');
  });
});
