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

// --- verification ---------------------------------------------------------------------------

/** a^-1 mod m by the extended Euclidean algorithm (faster than Fermat in BigInt). */
function invert(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return mod(oldS, m);
}

interface Affine { x: bigint; y: bigint }
interface Jacobian { X: bigint; Y: bigint; Z: bigint }

/** Thrown where a point sum meets a doubling or the point at infinity: too rare to optimise, left to sm-crypto. */
class EdgeCase extends Error {}

/** Jacobian + affine (madd-2007-bl), 11 multiplications. */
function mixedAdd(p: Jacobian, q: Affine): Jacobian {
  const z1z1 = (p.Z * p.Z) % P;
  const u2 = (q.x * z1z1) % P;
  const s2 = (((q.y * p.Z) % P) * z1z1) % P;
  const h = mod(u2 - p.X, P);
  const r = mod(s2 - p.Y, P);
  if (h === 0n) throw new EdgeCase();
  const hh = (h * h) % P;
  const hhh = (h * hh) % P;
  const v = (p.X * hh) % P;
  const x3 = mod(r * r - hhh - 2n * v, P);
  const y3 = mod(r * (v - x3) - p.Y * hhh, P);
  return { X: x3, Y: y3, Z: (p.Z * h) % P };
}

function doubleAffine(p: Affine): Affine {
  const l = mod((3n * p.x * p.x + A) * invert(2n * p.y, P), P);
  const x = mod(l * l - 2n * p.x, P);
  return { x, y: mod(l * (p.x - x) - p.y, P) };
}

/** Jacobian points to affine with one inversion for all of them (Montgomery's trick). */
function normalise(points: readonly Jacobian[]): Affine[] {
  const prefix: bigint[] = [];
  let acc = 1n;
  for (const p of points) {
    prefix.push(acc);
    acc = (acc * p.Z) % P;
  }
  let inv = invert(acc, P);
  const out: Affine[] = new Array(points.length);
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i]!;
    const zInv = (inv * prefix[i]!) % P;
    inv = (inv * p.Z) % P;
    const zInv2 = (zInv * zInv) % P;
    out[i] = { x: (p.X * zInv2) % P, y: (((p.Y * zInv2) % P) * zInv) % P };
  }
  return out;
}

const WINDOW_BITS = 8;
const WINDOWS = 256 / WINDOW_BITS;
const WINDOW_SIZE = (1 << WINDOW_BITS) - 1;

/**
 * table[i][j - 1] = j·2^(8i)·Q for j = 1..255: a scalar multiple is then 32 additions and no
 * doublings. About 8,000 points, some 100 ms to build; built once per key and process.
 */
function windowTable(q: Affine): Affine[][] {
  const table: Affine[][] = [];
  let base = q;
  for (let i = 0; i < WINDOWS; i++) {
    const twice = doubleAffine(base);
    const jacobian: Jacobian[] = [{ X: base.x, Y: base.y, Z: 1n }, { X: twice.x, Y: twice.y, Z: 1n }];
    // j·B + B for j = 2..255, and once more for 256·B, the next window's base
    for (let j = 2; j <= WINDOW_SIZE; j++) jacobian.push(mixedAdd(jacobian[j - 1]!, base));
    const affine = normalise(jacobian);
    table.push(affine.slice(0, WINDOW_SIZE));
    base = affine[WINDOW_SIZE]!;
  }
  return table;
}

let generatorTable: Affine[][] | null = null;
const KEY_TABLES = 64;
const keyTables = new Map<string, Affine[][]>();

function tableOf(publicKey: string, point: Affine): Affine[][] {
  let table = keyTables.get(publicKey);
  if (!table) {
    table = windowTable(point);
    if (keyTables.size >= KEY_TABLES) keyTables.delete(keyTables.keys().next().value!);
    keyTables.set(publicKey, table);
  }
  return table;
}

/** x of a·G + b·Q, from the two window tables: 64 mixed additions and one inversion. */
function xOfSum(gTable: Affine[][], a: bigint, qTable: Affine[][], b: bigint): bigint {
  let acc: Jacobian | null = null;
  const add = (point: Affine) => {
    acc = acc === null ? { X: point.x, Y: point.y, Z: 1n } : mixedAdd(acc, point);
  };
  for (let i = 0; i < WINDOWS; i++) {
    const shift = BigInt(i * WINDOW_BITS);
    const ja = Number((a >> shift) & 0xffn);
    const jb = Number((b >> shift) & 0xffn);
    if (ja !== 0) add(gTable[i]![ja - 1]!);
    if (jb !== 0) add(qTable[i]![jb - 1]!);
  }
  if (acc === null) throw new EdgeCase();
  const final: Jacobian = acc;
  if (final.Z === 0n) throw new EdgeCase();
  const zInv = invert(final.Z, P);
  return (final.X * zInv * zInv) % P;
}

/**
 * Verifies with one public key: Z is computed once. The check is the standard's
 * (GB/T 32918.2 §7): t = (r + s) mod n, (x1, y1) = s·G + t·P, R = (e + x1) mod n must equal r.
 *
 * Why not sm-crypto's `doVerifySignature`: about 25 ms a signature (jsbn), which would cap
 * verification near 40 per second per core. Nor OpenSSL: it offers k·P only as an ECDH secret
 * (the x coordinate) and no point addition, and on this curve its general k·P takes ~1-2 ms.
 * Here s·G + t·P is summed from precomputed tables of G and of the key (8-bit windows, no
 * doublings), in Jacobian coordinates with a single inversion at the end: ~0.5 ms. The tests
 * compare it with sm-crypto on valid, altered and forged signatures. The rare sums that meet a
 * doubling or the point at infinity are left to sm-crypto, which handles them by the book.
 */
export class Sm2Verifier {
  private readonly z: Buffer;
  private readonly point: Affine;

  constructor(readonly publicKey: string, readonly userId: string = SM2_DEFAULT_USER_ID) {
    if (!/^04[0-9a-f]{128}$/i.test(publicKey)) throw new RangeError('SM2 public key must be an uncompressed point (130 hex characters)');
    this.publicKey = publicKey.toLowerCase();
    this.point = { x: BigInt(`0x${this.publicKey.slice(2, 66)}`), y: BigInt(`0x${this.publicKey.slice(66)}`) };
    const { x, y } = this.point;
    if (x >= P || y >= P || mod(y * y - (x * x * x + A * x + B), P) !== 0n) throw new RangeError('SM2 public key is not on the curve');
    this.z = sm2Z(this.publicKey, userId);
  }

  verify(message: string | Buffer, signature: string): boolean {
    if (!/^[0-9a-f]{128}$/i.test(signature)) return false;
    const r = BigInt(`0x${signature.slice(0, 64)}`);
    const s = BigInt(`0x${signature.slice(64)}`);
    if (r < 1n || r >= N || s < 1n || s >= N) return false;
    const t = (r + s) % N;
    if (t === 0n) return false;
    const m = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
    const e = toBig(sm3Bytes(Buffer.concat([this.z, m])));
    try {
      generatorTable ??= windowTable({ x: GX, y: GY });
      const x1 = xOfSum(generatorTable, s, tableOf(this.publicKey, this.point), t);
      return (e + x1) % N === r;
    } catch (error) {
      if (!(error instanceof EdgeCase)) throw error;
      return smCrypto.sm2.doVerifySignature(m.toString('utf8'), signature.toLowerCase(), this.publicKey, { hash: true, userId: this.userId });
    }
  }
}
