import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoAuthorityCode } from './demo.js';
import { formatLicenseId, isLicenseTypeCode, LICENSE_ROOT, mod3736Check, mod3736Valid, parseLicenseId } from './identifier.js';

const TYPE = `${demoAuthorityCode(7)}001`;
const ISSUER = '11440300MB2C91234T';
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('ISO 7064 MOD 37,36', () => {
  it('gives the standard\'s published example (A12425GABC1234002 → M)', () => {
    expect(mod3736Check('A12425GABC1234002')).toBe('M');
    expect(mod3736Valid('A12425GABC1234002M')).toBe(true);
    expect(mod3736Valid('A12425GABC1234002N')).toBe(false);
  });

  it('detects every single substitution', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 1, maxLength: 60 }), fc.nat(), fc.nat(), (data, at, by) => {
        const full = data + mod3736Check(data);
        const i = at % full.length;
        const replacement = ALNUM[(ALNUM.indexOf(full[i]!) + 1 + (by % 35)) % 36]!;
        expect(mod3736Valid(full.slice(0, i) + replacement + full.slice(i + 1))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('detects nearly every adjacent transposition (a hybrid system misses a few: NNRS00 and NNSR00 both check)', () => {
    expect(mod3736Valid('NNRS00') && mod3736Valid('NNSR00')).toBe(true);
    let swaps = 0;
    let missed = 0;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 2, maxLength: 40 }), fc.nat(), (data, at) => {
        const full = data + mod3736Check(data);
        const i = at % (full.length - 1);
        if (full[i] === full[i + 1]) return;
        swaps += 1;
        if (mod3736Valid(full.slice(0, i) + full[i + 1] + full[i] + full.slice(i + 2))) missed += 1;
      }),
      { numRuns: 3000 },
    );
    expect(swaps).toBeGreaterThan(2000);
    expect(missed / swaps).toBeLessThan(0.02);
  });
});

describe('GB/T 36904 license identifiers', () => {
  it('are root . type code . issuer code . serial . version . check', () => {
    const id = formatLicenseId({ typeCode: TYPE, issuerCode: ISSUER, serial: '000000000042', version: 1 });
    expect(id).toMatch(new RegExp(`^${LICENSE_ROOT.replaceAll('.', '\\.')}\\.${TYPE}\\.${ISSUER}\\.000000000042\\.001\\.[0-9A-Z]$`));
    expect(id.slice(-1)).toBe(mod3736Check(id.slice(0, -2).replaceAll('.', '')));
    expect(isLicenseTypeCode(TYPE)).toBe(true);
    expect(isLicenseTypeCode(TYPE.slice(0, 18))).toBe(false);
  });

  it('round-trip through parse', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n - 1n }), fc.integer({ min: 1, max: 999 }), (serial, version) => {
        const parts = { typeCode: TYPE, issuerCode: ISSUER, serial: serial.toString().padStart(12, '0'), version };
        expect(parseLicenseId(formatLicenseId(parts))).toEqual({ ok: true, parts });
      }),
      { numRuns: 300 },
    );
  });

  it('refuse any single changed character (a wrong check character, or a broken shape)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n - 1n }), fc.nat(), fc.nat(), (serial, at, by) => {
        const id = formatLicenseId({ typeCode: TYPE, issuerCode: ISSUER, serial: serial.toString().padStart(12, '0'), version: 1 });
        // any position after the root, not a dot
        const positions = [...id].map((c, i) => (c !== '.' && i > LICENSE_ROOT.length ? i : -1)).filter((i) => i >= 0);
        const i = positions[at % positions.length]!;
        const replacement = ALNUM[(ALNUM.indexOf(id[i]!) + 1 + (by % 35)) % 36]!;
        expect(parseLicenseId(id.slice(0, i) + replacement + id.slice(i + 1)).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('says which: the shape, or the check character', () => {
    const id = formatLicenseId({ typeCode: TYPE, issuerCode: ISSUER, serial: '7', version: 2 });
    const wrongCheck = id.slice(0, -1) + (id.endsWith('0') ? '1' : '0');
    expect(parseLicenseId(wrongCheck)).toEqual({ ok: false, problem: 'check' });
    for (const bad of ['', 'abc', '1.2.156.3005.2', `${id}.X`, id.replace('.002.', '.000.'), id.toLowerCase(), '3f1c9a52-8d4e-4b7a-9c1d-2e5f6a7b8c9d', `${id.slice(0, -1)}`]) {
      expect(parseLicenseId(bad).ok, bad).toBe(false);
    }
    expect(() => formatLicenseId({ typeCode: 'X', issuerCode: ISSUER, serial: '1', version: 1 })).toThrow(RangeError);
    expect(() => formatLicenseId({ typeCode: TYPE, issuerCode: ISSUER, serial: '1', version: 1000 })).toThrow(RangeError);
  });
});
