/**
 * SM2 signatures with SM3 (GB/T 32918.2-2016, GM/T 0003.2) and SM3 digests (GB/T 32905-2016).
 *
 * Why not sm-crypto's `doSignature` on the hot path: its scalar multiplication runs on jsbn in
 * JavaScript, about 8 ms per signature, which alone would cap the gateway near 120 look-ups per
 * second per core. Here the one expensive step, k·G, is done by OpenSSL through an ECDH object on
 * the SM2 curve (about 0.2 ms); the rest of the signature (e = SM3(Z || M), r = (e + x1) mod n,
 * s = (1 + d)^-1 (k - r·d) mod n) is a few BigInt operations; and k·G is computed ahead on a worker
 * thread (NoncePool), so the request thread does only those. Node's own `crypto.sign` on an SM2
 * key is *not* used: it computes ECDSA, not SM2. The tests check every signature with sm-crypto's
 * independent `doVerifySignature`, and that a fixed k gives sm-crypto's exact signature.
 */
import { createECDH, createHash, createHmac, getHashes, randomBytes, type ECDH } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import smCrypto from 'sm-crypto';
import { SM2_DEFAULT_USER_ID } from '../../shared/sharing-codes.js';

/** The recommended SM2 curve parameters (GB/T 32918.5-2017). */
const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const A = P - 3n;
const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

// OpenSSL builds without SM3 are rare; sm-crypto's JavaScript SM3 stands in (slower, same result).
const NATIVE_SM3 = getHashes().includes('sm3');

/** SM3 digest as lower-case hex. */
export function sm3Hex(data: string | Buffer): string {
  if (NATIVE_SM3) return createHash('sm3').update(data).digest('hex');
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return smCrypto.sm3(Array.from(bytes));
}

function sm3Bytes(data: Buffer): Buffer {
  return Buffer.from(sm3Hex(data), 'hex');
}

/** HMAC-SM3 as lower-case hex. */
export function hmacSm3Hex(key: string | Buffer, data: string): string {
  if (NATIVE_SM3) return createHmac('sm3', key).update(data).digest('hex');
  const keyBytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  return smCrypto.sm3(Array.from(Buffer.from(data, 'utf8')), { key: Array.from(keyBytes), mode: 'hmac' });
}

const hex64 = (n: bigint) => n.toString(16).padStart(64, '0');
const toBig = (buf: Buffer) => BigInt(`0x${buf.toString('hex') || '0'}`);
const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;

function modPow(base: bigint, exponent: bigint, m: bigint): bigint {
  let result = 1n;
  let b = mod(base, m);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}

export interface Sm2KeyPair {
  /** 64 hex characters. */
  privateKey: string;
  /** Uncompressed point, `04` + x + y: 130 hex characters (the form sm-crypto takes). */
  publicKey: string;
}

/** A fresh key pair from OpenSSL's generator; d is kept below n - 1 so that 1 + d is invertible. */
export function generateSm2KeyPair(): Sm2KeyPair {
  for (;;) {
    const ecdh = createECDH('SM2');
    ecdh.generateKeys();
    const d = toBig(ecdh.getPrivateKey());
    if (d >= 1n && d < N - 1n) return { privateKey: hex64(d), publicKey: ecdh.getPublicKey('hex', 'uncompressed') };
  }
}

/** The public key of a private key (k·G through OpenSSL). */
export function sm2PublicKeyOf(privateKey: string): string {
  const ecdh = createECDH('SM2');
  ecdh.setPrivateKey(Buffer.from(privateKey, 'hex'));
  return ecdh.getPublicKey('hex', 'uncompressed');
}

/** Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA), the signer's identity digest. */
export function sm2Z(publicKey: string, userId: string = SM2_DEFAULT_USER_ID): Buffer {
  const id = Buffer.from(userId, 'utf8');
  const entl = Buffer.alloc(2);
  entl.writeUInt16BE(id.length * 8);
  const xy = Buffer.from(publicKey.slice(2), 'hex');
  return sm3Bytes(Buffer.concat([entl, id, Buffer.from(hex64(A) + hex64(B) + hex64(GX) + hex64(GY), 'hex'), xy]));
}

/** Signs with one key: Z and (1 + d)^-1 are computed once. Output is sm-crypto's format: hex r || s, 128 characters. */
export class Sm2Signer {
  private readonly d: bigint;
  private readonly inverseOnePlusD: bigint;
  private readonly z: Buffer;
  private readonly ecdh: ECDH = createECDH('SM2');

  constructor(privateKey: string, readonly publicKey: string, readonly userId: string = SM2_DEFAULT_USER_ID) {
    this.d = BigInt(`0x${privateKey}`);
    if (this.d < 1n || this.d >= N - 1n) throw new Error('SM2 private key out of range');
    if (sm2PublicKeyOf(privateKey) !== publicKey) throw new Error('SM2 public key does not match the private key');
    this.inverseOnePlusD = modPow(1n + this.d, N - 2n, N); // n is prime: Fermat inverse
    this.z = sm2Z(publicKey, userId);
  }

  /** e = SM3(Z || M) as an integer. */
  private digest(message: string | Buffer): bigint {
    const m = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
    return toBig(sm3Bytes(Buffer.concat([this.z, m])));
  }

  /** x1 of k·G, by OpenSSL. */
  private x1Of(k: bigint): bigint {
    this.ecdh.setPrivateKey(Buffer.from(hex64(k), 'hex'));
    return toBig(this.ecdh.getPublicKey().subarray(1, 33));
  }

  sign(message: string | Buffer): string {
    const e = this.digest(message);
    for (;;) {
      // k and k·G from the background pool when it has one, else computed here
      const nonce = nonces.take();
      let signature: string | null;
      if (nonce) {
        signature = this.signWith(e, nonce.k, nonce.x1);
      } else {
        const k = toBig(randomBytes(32));
        if (k === 0n || k >= N) continue;
        signature = this.signWith(e, k, this.x1Of(k));
      }
      if (signature) return signature;
    }
  }

  /**
   * The signature for a given k; null when k is one of the rare values the standard rejects.
   * For tests only (a fixed k must reproduce another implementation's signature exactly): never
   * sign real data with a k that is not fresh and random.
   */
  signWithK(message: string | Buffer, k: bigint): string | null {
    return this.signWith(this.digest(message), k, this.x1Of(k));
  }

  private signWith(e: bigint, k: bigint, x1: bigint): string | null {
    const r = (e + x1) % N;
    if (r === 0n || r + k === N) return null;
    const s = (this.inverseOnePlusD * mod(k - r * this.d, N)) % N;
    if (s === 0n) return null;
    return hex64(r) + hex64(s);
  }
}

/**
 * Fresh signature nonces (k, x1 of k·G) computed ahead on a worker thread, so that the one costly
 * step of a signature is off the thread answering requests. k·G does not depend on the key: one
 * pool serves every signer of the process. Each nonce is handed out once and dropped; k never
 * leaves the process. When the pool is empty (a burst, or no worker) the signer computes inline.
 */
class NoncePool {
  /** Hex, turned into numbers one at a time as they are used (no stall when a batch arrives). */
  private readonly ks: string[] = [];
  private readonly xs: string[] = [];
  private worker: Worker | null = null;
  private requested = false;
  private disabled = false;

  constructor(
    private readonly low = 512,
    private readonly batch = 512,
  ) {}

  take(): { k: bigint; x1: bigint } | undefined {
    if (this.ks.length < this.low) this.refill();
    const k = this.ks.pop();
    const x1 = this.xs.pop();
    return k === undefined || x1 === undefined ? undefined : { k: BigInt(`0x${k}`), x1: BigInt(`0x${x1}`) };
  }

  private refill(): void {
    if (this.requested || this.disabled) return;
    try {
      this.worker ??= this.start();
      this.requested = true;
      this.worker.postMessage(this.batch);
    } catch {
      this.disabled = true;
    }
  }

  private start(): Worker {
    const worker = new Worker(NONCE_WORKER_SOURCE, { eval: true, workerData: { n: N.toString(16) } });
    worker.on('message', (message: { ks: string[]; xs: string[] }) => {
      this.ks.push(...message.ks);
      this.xs.push(...message.xs);
      this.requested = false;
    });
    worker.on('error', () => {
      this.disabled = true;
      this.worker = null;
    });
    // after the listeners (adding a 'message' listener refs the port again): never keeps the process alive
    worker.unref();
    return worker;
  }
}

/** The worker's code, plain CommonJS so it runs the same from sources (tests, tsx) and from the build. */
const NONCE_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createECDH, randomBytes } = require('node:crypto');
const n = BigInt('0x' + workerData.n);
const ecdh = createECDH('SM2');
parentPort.on('message', (count) => {
  const ks = [];
  const xs = [];
  while (ks.length < count) {
    const kb = randomBytes(32);
    const k = BigInt('0x' + kb.toString('hex'));
    if (k === 0n || k >= n) continue;
    ecdh.setPrivateKey(kb);
    ks.push(kb.toString('hex'));
    xs.push(ecdh.getPublicKey().subarray(1, 33).toString('hex'));
  }
  parentPort.postMessage({ ks, xs });
});`;

const nonces = new NoncePool();

/** Key identifier: the first 16 hex characters of SM3 over the public key. */
export function sm2KeyId(publicKey: string): string {
  return sm3Hex(publicKey.toLowerCase()).slice(0, 16);
}
