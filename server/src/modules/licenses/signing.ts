/**
 * What is signed, in a structure close to GB/T 38540-2020 (electronic seal and signature):
 * the signed data (`TBS_Sign`) names the seal, the signing time, the SM3 digest of the signed
 * content and the property it signs (the license identifier); the signature is SM2 over that
 * structure's canonical encoding, with the standard Z value (user id 1234567812345678), i.e.
 * what sm-crypto's `doVerifySignature(tbs, signature, publicKey, { hash: true })` checks.
 *
 * The content is the license's face (照面) and identity: identifier, type, holder, issuer, dates
 * and data fields, in canonical JSON (keys sorted, no spaces: the audit log's `canonicalJson`).
 * Any change to a stored license, to its seal or its signing time changes what verification
 * recomputes, so the stored signature no longer matches.
 */
import { canonicalJson } from '../../platform/audit/audit.js';
import { sm3Hex } from '../../platform/crypto/sm2.js';

export const SIGNATURE_ALGORITHM = 'SM2-SM3' as const;
/** GB/T 38540's TBS_Sign version. */
const TBS_VERSION = 4;

export interface LicenseContent {
  licenseId: string;
  typeCode: string;
  name: string;
  holder: { idType: '111' | '001'; identifier: string; name: string };
  issuer: { code: string; name: string };
  issuedOn: string;
  validFrom: string;
  validUntil: string | null;
  data: Record<string, string>;
}

export interface SealReference {
  /** The seal's key id (SM3 of its public key, 16 hex). */
  keyId: string;
  /** The seal's name (a seal row's name and key never change: rotation adds a row). */
  name: string;
}

export interface SignedData {
  version: number;
  seal: SealReference;
  timeInfo: string;
  dataHash: string;
  propertyInfo: string;
  algorithm: typeof SIGNATURE_ALGORITHM;
}

/** The SM3 digest (hex) of the license content's canonical encoding. */
export function contentDigest(content: LicenseContent): string {
  return sm3Hex(canonicalJson(content));
}

/** `dataHash`: the content's digest when the caller has it already. */
export function signedData(content: LicenseContent, seal: SealReference, signedAt: Date, dataHash = contentDigest(content)): SignedData {
  return { version: TBS_VERSION, seal, timeInfo: signedAt.toISOString(), dataHash, propertyInfo: content.licenseId, algorithm: SIGNATURE_ALGORITHM };
}

/** The message the SM2 signature is over. */
export function signedMessage(tbs: SignedData): string {
  return canonicalJson(tbs);
}
