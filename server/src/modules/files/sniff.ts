/**
 * What an uploaded file is, decided from its bytes alone. The name and the client's Content-Type
 * are whatever the sender chose (a renamed .exe, an HTML page called x.png); the bytes are what a
 * reviewer's viewer will parse. Only formats a government case file holds are accepted.
 */
import { entryData, readZipDirectory, ZipRefused } from '../../platform/zip.js';

export const ACCEPTED_TYPES = [
  // ISO 32000-1 §7.5.2: the file begins with the header line "%PDF-1.n".
  { mediaType: 'application/pdf', label: 'PDF', extensions: ['pdf'] },
  // ITU T.81 B.1.1.2: SOI (FF D8) followed by the first marker (FF xx).
  { mediaType: 'image/jpeg', label: 'JPEG', extensions: ['jpg', 'jpeg'] },
  // ISO/IEC 15948 §5.2: the eight-byte PNG signature.
  { mediaType: 'image/png', label: 'PNG', extensions: ['png'] },
  // GB/T 33190-2016 §7.1: an OFD document is a ZIP package whose entry point is OFD.xml at its root.
  { mediaType: 'application/ofd', label: 'OFD', extensions: ['ofd'] },
] as const;

export type AcceptedType = (typeof ACCEPTED_TYPES)[number];
export type AcceptedMediaType = AcceptedType['mediaType'];

/** "PDF、JPEG、PNG、OFD" / "PDF, JPEG, PNG, OFD" for messages. */
export const ACCEPTED_LABELS = { zh: ACCEPTED_TYPES.map((t) => t.label).join('、'), en: ACCEPTED_TYPES.map((t) => t.label).join(', ') };

const PDF = Buffer.from('%PDF-', 'latin1');
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function typeOf(mediaType: string): AcceptedType | undefined {
  return ACCEPTED_TYPES.find((t) => t.mediaType === mediaType);
}

/** The accepted type the content is, or null (an empty file is nothing). */
export function sniffMediaType(content: Buffer): AcceptedMediaType | null {
  if (startsWith(content, PDF)) return 'application/pdf';
  if (startsWith(content, JPEG)) return 'image/jpeg';
  if (startsWith(content, PNG)) return 'image/png';
  if (isOfdPackage(content)) return 'application/ofd';
  return null;
}

function startsWith(content: Buffer, magic: Buffer): boolean {
  return content.length >= magic.length && content.subarray(0, magic.length).equals(magic);
}

const OFD_ENTRY = 'OFD.xml';

/**
 * A ZIP archive (starting with a local header) whose central directory is whole and names
 * `OFD.xml` at the root, once, unencrypted, with a local header of the same name whose data ends
 * before the directory. A plain ZIP, a .docx or a truncated OFD is not one.
 */
export function isOfdPackage(content: Buffer): boolean {
  try {
    const directory = readZipDirectory(content);
    // Twice is ambiguous (readers differ on which one wins); encrypted cannot be opened.
    const ofd = directory.entries.filter((e) => e.name === OFD_ENTRY);
    return ofd.length === 1 && !ofd[0]!.encrypted && entryData(content, directory, ofd[0]!).localName === OFD_ENTRY;
  } catch (error) {
    if (error instanceof ZipRefused) return false;
    throw error;
  }
}
