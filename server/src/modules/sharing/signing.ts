/**
 * The platform's SM2 signing key for gateway answers.
 *
 * Generated at the first signature an installation makes, stored in `sharing_keys`: the public key
 * in clear (anyone may fetch it), the private key encrypted with AES-256-GCM under a key derived
 * (HKDF-SHA256) from the session secret, bound to the key id. A database copy alone does not sign.
 * When the session secret changes, the stored key no longer decrypts: a new key is generated and
 * the old ones are marked retired but stay published, so earlier answers still verify by key id.
 * Generation takes an advisory lock so that several instances starting together make one key.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { SIGNATURE_ALGORITHM, SM2_DEFAULT_USER_ID } from '../../shared/sharing-codes.js';
import { generateSm2KeyPair, Sm2Signer, sm2KeyId } from '../../platform/crypto/sm2.js';
import * as store from './store.js';

export interface PlatformKey {
  keyId: string;
  signer: Sm2Signer;
}

export interface PublishedKey {
  keyId: string;
  algorithm: string;
  publicKey: string;
  userId: string;
  createdAt: string;
  retiredAt: string | null;
}

const FORMAT = 'v1';

export class PlatformKeys {
  private current: Promise<PlatformKey> | null = null;

  constructor(
    private readonly db: Db,
    private readonly secret: string,
  ) {}

  private wrappingKey(keyId: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.secret, keyId, 'tongban sharing signing key v1', 32));
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, base64url; the key id is authenticated data. */
  encrypt(keyId: string, privateKey: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.wrappingKey(keyId), iv);
    cipher.setAAD(Buffer.from(keyId));
    const ciphertext = Buffer.concat([cipher.update(privateKey, 'utf8'), cipher.final()]);
    return [FORMAT, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /** The private key, or null when it was encrypted under another secret (or altered). */
  decrypt(keyId: string, sealed: string): string | null {
    const [format, iv, tag, ciphertext] = sealed.split('.');
    if (format !== FORMAT || !iv || !tag || ciphertext === undefined) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.wrappingKey(keyId), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  /** The key signing now, loaded (or generated) once per instance. */
  signingKey(): Promise<PlatformKey> {
    this.current ??= this.load().catch((err: unknown) => {
      this.current = null;
      throw err;
    });
    return this.current;
  }

  private usable(rows: Awaited<ReturnType<typeof store.listKeys>>): PlatformKey | null {
    for (const row of rows) {
      if (row.retired_at) continue;
      const privateKey = this.decrypt(row.id, row.private_key_enc);
      if (privateKey) return { keyId: row.id, signer: new Sm2Signer(privateKey, row.public_key) };
    }
    return null;
  }

  private async load(): Promise<PlatformKey> {
    const existing = this.usable(await store.listKeys(this.db));
    if (existing) return existing;
    return this.db.transaction().execute(async (tx) => {
      await store.lockKeyGeneration(tx);
      const meanwhile = this.usable(await store.listKeys(tx));
      if (meanwhile) return meanwhile;
      const pair = generateSm2KeyPair();
      const keyId = sm2KeyId(pair.publicKey);
      await store.insertKey(tx, { id: keyId, algorithm: SIGNATURE_ALGORITHM, public_key: pair.publicKey, private_key_enc: this.encrypt(keyId, pair.privateKey) });
      await store.retireKeysExcept(tx, keyId);
      await recordAudit(tx, SYSTEM_ACTOR, { action: 'sharing.key.generated', targetType: 'sharing_key', targetId: keyId });
      return { keyId, signer: new Sm2Signer(pair.privateKey, pair.publicKey) };
    });
  }

  /** Every key the platform has signed with, newest first (retired ones verify older answers). */
  async published(): Promise<PublishedKey[]> {
    return (await store.listKeys(this.db)).map((row) => ({
      keyId: row.id,
      algorithm: row.algorithm,
      publicKey: row.public_key,
      userId: SM2_DEFAULT_USER_ID,
      createdAt: row.created_at.toISOString(),
      retiredAt: row.retired_at ? row.retired_at.toISOString() : null,
    }));
  }
}
