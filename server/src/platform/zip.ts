/**
 * Reading the structure of an untrusted ZIP archive (PKWARE APPNOTE.TXT): the end record, the
 * central directory, and where an entry's bytes lie behind its local header. Used by what takes
 * ZIP-based uploads: the catalog's workbook import (an .xlsx is a ZIP, ECMA-376 part 2) and the
 * file sniffer (an OFD document is a ZIP, GB/T 33190-2016 §7.1). Every offset is checked against
 * the buffer before it is read; nothing is inflated here. ZIP64 is refused: neither use takes a
 * file that needs it.
 */

// Record signatures (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16).
export const LOCAL_HEADER = 0x04034b50;
export const CENTRAL_HEADER = 0x02014b50;
export const END_OF_CENTRAL_DIRECTORY = 0x06054b50;

export type ZipProblem = 'not_zip' | 'corrupt' | 'encrypted' | 'unsupported' | 'too_many_entries' | 'entry_too_large' | 'too_large';

export class ZipRefused extends Error {
  constructor(
    readonly problem: ZipProblem,
    readonly entry?: string,
  ) {
    super(`zip refused: ${problem}${entry ? ` (${entry})` : ''}`);
    this.name = 'ZipRefused';
  }
}

/** "PK\x03\x04": the first local file header, how every ZIP with entries starts. */
export function hasZipMagic(buffer: Uint8Array): boolean {
  return buffer.length >= 4 && buffer[0] === 0x50 && buffer[1] === 0x4b && buffer[2] === 0x03 && buffer[3] === 0x04;
}

export interface ZipEntry {
  /** As stored, decoded as UTF-8 (forward slashes, no leading slash). */
  name: string;
  encrypted: boolean;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  /** Where the central directory begins: every entry's data must end before it. */
  start: number;
}

function findEndOfCentralDirectory(buffer: Buffer): number {
  // 22 bytes plus a comment of at most 65,535 bytes, at the very end; the comment length must fit.
  const lowest = Math.max(0, buffer.length - 22 - 0xffff);
  for (let i = buffer.length - 22; i >= lowest; i--) {
    if (buffer.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY && i + 22 + buffer.readUInt16LE(i + 20) <= buffer.length) return i;
  }
  throw new ZipRefused('corrupt');
}

/**
 * The central directory, whole: every record inside the size the end record declares and together
 * filling it. A buffer not starting like a ZIP is `not_zip`; ZIP64 is `unsupported`; more than
 * `maxEntries` entries is `too_many_entries`; anything inconsistent is `corrupt`.
 */
export function readZipDirectory(buffer: Buffer, maxEntries = 0xffff): ZipDirectory {
  if (!hasZipMagic(buffer) || buffer.length < 22) throw new ZipRefused('not_zip');
  const eocd = findEndOfCentralDirectory(buffer);
  const count = buffer.readUInt16LE(eocd + 10);
  const size = buffer.readUInt32LE(eocd + 12);
  const start = buffer.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || start === 0xffffffff) throw new ZipRefused('unsupported');
  if (count > maxEntries) throw new ZipRefused('too_many_entries');
  const end = start + size;
  if (end > eocd) throw new ZipRefused('corrupt');
  const entries: ZipEntry[] = [];
  let p = start;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || buffer.readUInt32LE(p) !== CENTRAL_HEADER) throw new ZipRefused('corrupt');
    const nameLength = buffer.readUInt16LE(p + 28);
    const next = p + 46 + nameLength + buffer.readUInt16LE(p + 30) + buffer.readUInt16LE(p + 32);
    if (next > end) throw new ZipRefused('corrupt');
    const name = buffer.toString('utf8', p + 46, p + 46 + nameLength);
    const compressedSize = buffer.readUInt32LE(p + 20);
    const uncompressedSize = buffer.readUInt32LE(p + 24);
    const localOffset = buffer.readUInt32LE(p + 42);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localOffset === 0xffffffff) throw new ZipRefused('unsupported', name);
    entries.push({ name, encrypted: (buffer.readUInt16LE(p + 8) & 0x1) !== 0, method: buffer.readUInt16LE(p + 10), compressedSize, uncompressedSize, localOffset });
    p = next;
  }
  if (p !== end) throw new ZipRefused('corrupt');
  return { entries, start };
}

/**
 * An entry's stored (possibly compressed) bytes and the name its local header gives, which a
 * crafted archive may make differ from the directory's. `corrupt` when the local header is not
 * there or the data runs into the central directory.
 */
export function entryData(buffer: Buffer, directory: ZipDirectory, entry: ZipEntry): { localName: string; data: Buffer } {
  const at = entry.localOffset;
  if (at + 30 > directory.start || buffer.readUInt32LE(at) !== LOCAL_HEADER) throw new ZipRefused('corrupt', entry.name);
  const nameLength = buffer.readUInt16LE(at + 26);
  const dataStart = at + 30 + nameLength + buffer.readUInt16LE(at + 28);
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > directory.start) throw new ZipRefused('corrupt', entry.name);
  return { localName: buffer.toString('utf8', at + 30, at + 30 + nameLength), data: buffer.subarray(dataStart, dataEnd) };
}
