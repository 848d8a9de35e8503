/**
 * Electronic seals (电子印章): each a department's SM2 key pair under a name (e.g. 行政审批专用章).
 *
 * The private key is stored encrypted: AES-256-GCM under a key derived (HKDF-SHA256) from the
 * configured seal key (`SEAL_KEY`, itself derived from the session secret unless set), with the
 * seal's key id as authenticated data, and the fingerprint of the configured key beside it.
 * Rotating the configured key: start with the new `SEAL_KEY` and the old one as
 * `SEAL_KEY_PREVIOUS`; a seal still wrapped under the old one is decrypted with it and rewrapped
 * under the new one the first time it signs. Rotating a seal's own key pair retires the row
 * (its public key stays, so what it signed still verifies) and adds a fresh one under the name.
 *
 * Private keys never leave this file: no route, log line or error carries them; the service
 * gets a signer, not a key. Signers are kept per process (a seal's key never changes: rotation
 * makes another row); whether a seal is active is read from the database at each issue.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Executor } from '../../platform/db/database.js';
import type { LicenseSealTable } from '../../platform/db/schema.js';
import type { Selectable } from 'kysely';
import { generateSm2KeyPair, Sm2Signer, sm2KeyId, Sm2Verifier } from '../../platform/crypto/sm2.js';
import { LicenseErrors } from './errors.js';

export type SealRow = Selectable<LicenseSealTable>;

const FORMAT = 'v1';
const INFO = 'tongban seal private key v1';

export class SealKeys {
  private readonly signers = new Map<string, Sm2Signer>();
  private readonly verifiers = new Map<string, Sm2Verifier>();

  constructor(
    private readonly key: string,
    private readonly previousKey: string | undefined,
  ) {}

  /** The fingerprint stored beside each wrapped key: which configured key wrapped it. */
  static fingerprint(key: string): string {
    return createHash('sha256').update(`tongban seal key id\n${key}`).digest('hex').slice(0, 16);
  }

  get currentKeyId(): string {
    return SealKeys.fingerprint(this.key);
  }

  private wrappingKey(secret: string, keyId: string): Buffer {
    return Buffer.from(hkdfSync('sha256', secret, keyId, INFO, 32));
  }

  wrap(keyId: string, privateKey: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.wrappingKey(this.key, keyId), iv);
    cipher.setAAD(Buffer.from(keyId));
    const ciphertext = Buffer.concat([cipher.update(privateKey, 'utf8'), cipher.final()]);
    return [FORMAT, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  private unwrapWith(secret: string, keyId: string, sealed: string): string | null {
    const [format, iv, tag, ciphertext] = sealed.split('.');
    if (format !== FORMAT || !iv || !tag || ciphertext === undefined) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.wrappingKey(secret, keyId), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  /** A fresh key pair for a seal, its private half wrapped. */
  newKey(): Pick<SealRow, 'key_id' | 'algorithm' | 'public_key' | 'private_key_enc' | 'wrapping_key_id'> {
    const pair = generateSm2KeyPair();
    const keyId = sm2KeyId(pair.publicKey);
    return { key_id: keyId, algorithm: 'SM2', public_key: pair.publicKey, private_key_enc: this.wrap(keyId, pair.privateKey), wrapping_key_id: this.currentKeyId };
  }

  /**
   * The seal's signer. A key wrapped under the previous configured key is rewrapped under the
   * current one (in the caller's transaction). Neither key opening it: a configuration error.
   */
  async signer(executor: Executor, seal: SealRow): Promise<Sm2Signer> {
    const known = this.signers.get(seal.id);
    if (known) return known;
    let privateKey = this.unwrapWith(this.key, seal.key_id, seal.private_key_enc);
    if (privateKey === null && this.previousKey) {
      privateKey = this.unwrapWith(this.previousKey, seal.key_id, seal.private_key_enc);
      if (privateKey !== null) {
        await executor
          .updateTable('license_seals')
          .set({ private_key_enc: this.wrap(seal.key_id, privateKey), wrapping_key_id: this.currentKeyId })
          .where('id', '=', seal.id)
          .execute();
      }
    }
    if (privateKey === null) throw LicenseErrors.seal_key_unavailable();
    const signer = new Sm2Signer(privateKey, seal.public_key);
    this.signers.set(seal.id, signer);
    return signer;
  }

  /** Rewraps every seal still under the previous key; answers how many were rewrapped. */
  async rewrapAll(executor: Executor): Promise<number> {
    const rows = await executor.selectFrom('license_seals').selectAll().where('wrapping_key_id', '!=', this.currentKeyId).execute();
    let count = 0;
    for (const row of rows) {
      const before = row.private_key_enc;
      this.signers.delete(row.id);
      await this.signer(executor, row);
      const after = await executor.selectFrom('license_seals').select('private_key_enc').where('id', '=', row.id).executeTakeFirstOrThrow();
      if (after.private_key_enc !== before) count += 1;
    }
    return count;
  }

  verifier(publicKey: string): Sm2Verifier {
    let verifier = this.verifiers.get(publicKey);
    if (!verifier) {
      verifier = new Sm2Verifier(publicKey);
      if (this.verifiers.size >= 256) this.verifiers.delete(this.verifiers.keys().next().value!);
      this.verifiers.set(publicKey, verifier);
    }
    return verifier;
  }
}
