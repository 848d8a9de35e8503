import type { Static } from 'typebox';
import type { License as LicenseSchema, LicenseDetail as LicenseDetailSchema, Verification as VerificationSchema } from '@server/modules/licenses/schemas';

/*
 * Shapes of the e-license routes (server/src/modules/licenses/routes.ts), from the server's
 * schemas (type-only), so the pages and the API agree by construction.
 */
export type License = Static<typeof LicenseSchema>;
export type LicenseDetail = Static<typeof LicenseDetailSchema>;
export type Verification = Static<typeof VerificationSchema>;

export const MY_LICENSES_PATH = '/api/v1/licenses';
export const MY_LICENSES_QUERY = { mine: true } as const;

export function verifyPath(licenseId: string): string {
  return `/api/v1/licenses/verify/${encodeURIComponent(licenseId)}`;
}

export function pdfPath(licenseId: string): string {
  return `/api/v1/licenses/${encodeURIComponent(licenseId)}/pdf`;
}

/** The public page the QR code on a license points to. */
export function verifyPage(licenseId: string): string {
  return `/verify/${encodeURIComponent(licenseId)}`;
}

/** Held, valid and in date: what may stand in for a material (免提交). */
export function usable(license: License): boolean {
  return license.status === 'valid' && !license.expired;
}
