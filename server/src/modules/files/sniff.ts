/**
 * What an uploaded file is, decided from its bytes alone. The name and the client's Content-Type
 * are whatever the sender chose (a renamed .exe, an HTML page called x.png); the bytes are what a
 * reviewer's viewer will parse. Only formats a government case file holds are accepted.
 */

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

// ZIP records (PKWARE APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16).
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const OFD_ENTRY = Buffer.from('OFD.xml', 'latin1');

/**
 * A ZIP archive (starting with a local header) whose central directory is whole and names
 * `OFD.xml` at the root, unencrypted, with a matching local header before the directory. A plain
 * ZIP, a .docx or a truncated OFD is not one. ZIP64 is refused: a file under the upload limit
 * never needs it.
 */
export function isOfdPackage(content: Buffer): boolean {
  if (content.length < 22 || content.readUInt32LE(0) !== LOCAL_HEADER) return false;
  const eocd = findEndOfCentralDirectory(content);
  if (eocd < 0) return false;
  const count = content.readUInt16LE(eocd + 10);
  const size = content.readUInt32LE(eocd + 12);
  const offset = content.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return false;
  const directoryEnd = offset + size;
  if (directoryEnd > eocd) return false;
  let found = false;
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > directoryEnd || content.readUInt32LE(p) !== CENTRAL_HEADER) return false;
    const flags = content.readUInt16LE(p + 8);
    const compressedSize = content.readUInt32LE(p + 20);
    const nameLength = content.readUInt16LE(p + 28);
    const next = p + 46 + nameLength + content.readUInt16LE(p + 30) + content.readUInt16LE(p + 32);
    if (next > directoryEnd) return false;
    const name = content.subarray(p + 46, p + 46 + nameLength);
    if (name.equals(OFD_ENTRY)) {
      // Twice is ambiguous (readers differ on which one wins); encrypted cannot be opened.
      if (found || flags & 0x1) return false;
      if (!hasLocalHeader(content, content.readUInt32LE(p + 42), compressedSize, offset)) return false;
      found = true;
    }
    p = next;
  }
  return found && p === directoryEnd;
}

/** The entry's local header names OFD.xml too, and its data ends before the central directory. */
function hasLocalHeader(content: Buffer, at: number, compressedSize: number, directoryStart: number): boolean {
  if (at + 30 > directoryStart || content.readUInt32LE(at) !== LOCAL_HEADER) return false;
  const nameLength = content.readUInt16LE(at + 26);
  const dataStart = at + 30 + nameLength + content.readUInt16LE(at + 28);
  if (dataStart + compressedSize > directoryStart) return false;
  return content.subarray(at + 30, at + 30 + nameLength).equals(OFD_ENTRY);
}

function findEndOfCentralDirectory(content: Buffer): number {
  // 22 bytes plus a comment of at most 65,535 bytes, at the very end; the comment length must fit.
  const lowest = Math.max(0, content.length - 22 - 0xffff);
  for (let i = content.length - 22; i >= lowest; i--) {
    if (content.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY && i + 22 + content.readUInt16LE(i + 20) <= content.length) return i;
  }
  return -1;
}
