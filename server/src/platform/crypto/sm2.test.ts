import fc from 'fast-check';
import smCrypto from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair, hmacSm3Hex, Sm2Signer, sm2KeyId, sm2PublicKeyOf, sm3Hex } from './sm2.js';

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
