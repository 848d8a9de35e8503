import fc from 'fast-check';
import smCrypto from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair, hmacSm3Hex, Sm2Signer, sm2KeyId, sm2PublicKeyOf, sm3Hex, Sm2Verifier } from './sm2.js';

/** sm-crypto 0.5 has these; @types/sm-crypto (0.3) does not declare them yet. */
const sm2 = smCrypto.sm2 as typeof smCrypto.sm2 & { verifyPublicKey(key: string): boolean; getPublicKeyFromPrivateKey(key: string): string };
/** sm-crypto's getPoint() gives jsbn numbers; only k is needed here. */
type JsbnPoint = ReturnType<typeof sm2.getPoint> & { k: { toString(radix: number): string } };

describe('SM3', () => {
  it('matches the GB/T 32905 examples', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(sm3Hex('abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('agrees with sm-crypto on UTF-8 text, and HMAC-SM3 agrees too', () => {
    for (const text of ['', '张三', '广东省深圳市福田区', 'mixed 中文 and ascii \u{1F600}']) {
      expect(sm3Hex(text)).toBe(smCrypto.sm3(text));
      expect(hmacSm3Hex('key-材料', text)).toBe(smCrypto.sm3(Array.from(Buffer.from(text, 'utf8')), { key: Array.from(Buffer.from('key-材料', 'utf8')), mode: 'hmac' }));
    }
  });
});

describe('SM2 signatures', () => {
  const pair = generateSm2KeyPair();
  const signer = new Sm2Signer(pair.privateKey, pair.publicKey);

  it('generates key pairs that sm-crypto agrees with', () => {
    expect(pair.privateKey).toMatch(/^[0-9a-f]{64}$/);
    expect(pair.publicKey).toMatch(/^04[0-9a-f]{128}$/);
    expect(sm2.verifyPublicKey(pair.publicKey)).toBe(true);
    expect(sm2PublicKeyOf(pair.privateKey)).toBe(pair.publicKey);
    expect(sm2.getPublicKeyFromPrivateKey(pair.privateKey)).toBe(pair.publicKey);
    expect(sm2KeyId(pair.publicKey)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('verifies with sm-crypto (an independent implementation), default user id 1234567812345678', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (message) => {
        const signature = signer.sign(message);
        expect(signature).toMatch(/^[0-9a-f]{128}$/);
        expect(sm2.doVerifySignature(message, signature, pair.publicKey, { hash: true })).toBe(true);
        expect(sm2.doVerifySignature(message, signature, pair.publicKey, { hash: true, userId: '1234567812345678' })).toBe(true);
      }),
      { numRuns: 12 },
    );
  });

  it('produces exactly sm-crypto\'s signature for the same k', () => {
    for (const message of ['{"a":1}', '户籍人口基本信息']) {
      const point = sm2.getPoint() as JsbnPoint;
      const theirs = sm2.doSignature(message, pair.privateKey, { hash: true, publicKey: pair.publicKey, pointPool: [point] });
      expect(signer.signWithK(message, BigInt(`0x${point.k.toString(16)}`))).toBe(theirs);
    }
  });

  it('does not verify for another message, another key or another user id', () => {
    const message = '{"subject":"440304199001011233"}';
    const signature = signer.sign(message);
    expect(sm2.doVerifySignature(`${message} `, signature, pair.publicKey, { hash: true })).toBe(false);
    expect(sm2.doVerifySignature(message, signature, generateSm2KeyPair().publicKey, { hash: true })).toBe(false);
    expect(sm2.doVerifySignature(message, signature, pair.publicKey, { hash: true, userId: 'someone-else' })).toBe(false);
    const flipped = (signature[10] === '0' ? '1' : '0');
    expect(sm2.doVerifySignature(message, signature.slice(0, 10) + flipped + signature.slice(11), pair.publicKey, { hash: true })).toBe(false);
  });

  it('signs with a fresh k every time (two signatures of one message differ, both verify)', () => {
    const a = signer.sign('same');
    const b = signer.sign('same');
    expect(a).not.toBe(b);
    expect(sm2.doVerifySignature('same', b, pair.publicKey, { hash: true })).toBe(true);
  });

  it('refuses a public key that does not belong to the private key', () => {
    expect(() => new Sm2Signer(pair.privateKey, generateSm2KeyPair().publicKey)).toThrow(/does not match/);
    expect(() => new Sm2Signer('0'.repeat(64), pair.publicKey)).toThrow(/out of range/);
  });
});

describe('SM2 verification (Sm2Verifier)', () => {
  const pair = generateSm2KeyPair();
  const signer = new Sm2Signer(pair.privateKey, pair.publicKey);
  const verifier = new Sm2Verifier(pair.publicKey);

  it('accepts exactly what sm-crypto accepts: our signatures, sm-crypto\'s, altered and forged ones', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.nat(127), fc.boolean(), (message, flipAt, theirs) => {
        const signature = theirs ? sm2.doSignature(message, pair.privateKey, { hash: true, publicKey: pair.publicKey }) : signer.sign(message);
        expect(verifier.verify(message, signature)).toBe(true);
        expect(sm2.doVerifySignature(message, signature, pair.publicKey, { hash: true })).toBe(true);
        const digit = signature[flipAt]!;
        const altered = signature.slice(0, flipAt) + (digit === 'f' ? '0' : (parseInt(digit, 16) + 1).toString(16)) + signature.slice(flipAt + 1);
        expect(verifier.verify(message, altered)).toBe(sm2.doVerifySignature(message, altered, pair.publicKey, { hash: true }));
        expect(verifier.verify(message, altered)).toBe(false);
        expect(verifier.verify(`${message}.`, signature)).toBe(false);
      }),
      { numRuns: 10 },
    );
  });

  it('refuses another key\'s signature, a signature of the wrong shape, r or s out of range', () => {
    const other = generateSm2KeyPair();
    const message = '{"licenseId":"1.2.156.3005.2"}';
    expect(new Sm2Verifier(other.publicKey).verify(message, signer.sign(message))).toBe(false);
    for (const bad of ['', 'zz', '0'.repeat(128), 'f'.repeat(128), signer.sign(message).slice(2)]) expect(verifier.verify(message, bad)).toBe(false);
    expect(() => new Sm2Verifier(`04${'1'.repeat(128)}`)).toThrow(/not on the curve/);
    expect(() => new Sm2Verifier('02abc')).toThrow(RangeError);
  });

  it('reproduces and verifies the published example (recommended curve, user id 1234567812345678, message "message digest")', () => {
    // the example key and nonce of GM/T 0003.5 / GB/T 32918 on the recommended curve, as used by
    // GmSSL's and Bouncy Castle's SM2 tests: r = F5A03B06…, s = B1B6AA29…
    const privateKey = '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8';
    const publicKey = '04' + '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' + 'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13';
    const signature = 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3' + 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa';
    expect(sm2PublicKeyOf(privateKey)).toBe(publicKey);
    expect(new Sm2Signer(privateKey, publicKey).signWithK('message digest', 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n)).toBe(signature);
    const v = new Sm2Verifier(publicKey);
    expect(v.verify('message digest', signature)).toBe(true);
    expect(v.verify('message digesT', signature)).toBe(false);
    expect(sm2.doVerifySignature('message digest', signature, publicKey, { hash: true })).toBe(true);
  });
});
