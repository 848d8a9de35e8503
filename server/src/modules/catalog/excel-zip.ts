/**
 * The ZIP layer under the workbook import, kept apart so that no untrusted byte reaches the
 * spreadsheet parser unchecked. An .xlsx file is a ZIP archive (ECMA-376 part 2, Open Packaging
 * Conventions); a few hundred kilobytes of it can inflate to gigabytes (a "zip bomb"), and its
 * local headers may disagree with its central directory. So we:
 *
 *  1. read the central directory ourselves (APPNOTE.TXT 4.3.12, 4.3.16), refusing encrypted,
 *     ZIP64 and unknown-method entries and archives with too many entries;
 *  2. inflate only the entries a workbook needs, each with zlib's `maxOutputLength`, so the
 *     amount of memory is bounded by our limits whatever the headers claim;
 *  3. hand the parser a new archive of exactly those entries, stored (uncompressed), in the order
 *     its streaming reader wants (relationships, workbook, shared strings, then worksheets), so it
 *     parses rows as they come instead of spooling worksheets to temporary files.
 */
import { crc32, inflateRaw } from 'node:zlib';
import { promisify } from 'node:util';

const inflateRawAsync = promisify(inflateRaw) as (buffer: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>;

export interface ZipLimits {
  /** Entries in the central directory (a workbook of 14 sheets has about 40). */
  maxEntries: number;
  /** Uncompressed bytes of any one entry we inflate. */
  maxEntryBytes: number;
  /** Uncompressed bytes of all the entries we inflate together. */
  maxTotalBytes: number;
}

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

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;

/** "PK\x03\x04": the first local file header, how every .xlsx (and every ZIP with entries) starts. */
export function hasZipMagic(buffer: Uint8Array): boolean {
  return buffer.length >= 4 && buffer[0] === 0x50 && buffer[1] === 0x4b && buffer[2] === 0x03 && buffer[3] === 0x04;
}

interface CentralEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

function findEndOfCentralDirectory(buffer: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const lowest = Math.max(0, buffer.length - 22 - 0xffff);
  for (let i = buffer.length - 22; i >= lowest; i--) {
    if (buffer.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) return i;
  }
  throw new ZipRefused('corrupt');
}

function readCentralDirectory(buffer: Buffer, limits: ZipLimits): CentralEntry[] {
  if (!hasZipMagic(buffer) || buffer.length < 22) throw new ZipRefused('not_zip');
  const eocd = findEndOfCentralDirectory(buffer);
  const count = buffer.readUInt16LE(eocd + 10);
  const size = buffer.readUInt32LE(eocd + 12);
  const offset = buffer.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw new ZipRefused('unsupported'); // ZIP64
  if (count > limits.maxEntries) throw new ZipRefused('too_many_entries');
  if (offset + size > eocd) throw new ZipRefused('corrupt');
  const entries: CentralEntry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || buffer.readUInt32LE(p) !== CENTRAL_HEADER) throw new ZipRefused('corrupt');
    const flags = buffer.readUInt16LE(p + 8);
    const method = buffer.readUInt16LE(p + 10);
    const compressedSize = buffer.readUInt32LE(p + 20);
    const uncompressedSize = buffer.readUInt32LE(p + 24);
    const nameLength = buffer.readUInt16LE(p + 28);
    const extraLength = buffer.readUInt16LE(p + 30);
    const commentLength = buffer.readUInt16LE(p + 32);
    const localOffset = buffer.readUInt32LE(p + 42);
    if (p + 46 + nameLength > eocd) throw new ZipRefused('corrupt');
    const name = buffer.toString('utf8', p + 46, p + 46 + nameLength);
    if (flags & 0x1) throw new ZipRefused('encrypted', name);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localOffset === 0xffffffff) throw new ZipRefused('unsupported', name);
    entries.push({ name, method, compressedSize, uncompressedSize, localOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Inflates the entries `wanted` selects, within the limits. Names are as stored (forward slashes,
 * no leading slash); a name that appears twice is refused, since the parser would pick one.
 */
export async function extractEntries(buffer: Buffer, limits: ZipLimits, wanted: (name: string) => boolean): Promise<Map<string, Buffer>> {
  const entries = readCentralDirectory(buffer, limits);
  const result = new Map<string, Buffer>();
  let total = 0;
  for (const entry of entries) {
    if (!wanted(entry.name)) continue;
    if (result.has(entry.name)) throw new ZipRefused('corrupt', entry.name);
    if (entry.uncompressedSize > limits.maxEntryBytes) throw new ZipRefused('entry_too_large', entry.name);
    const p = entry.localOffset;
    if (p + 30 > buffer.length || buffer.readUInt32LE(p) !== LOCAL_HEADER) throw new ZipRefused('corrupt', entry.name);
    const start = p + 30 + buffer.readUInt16LE(p + 26) + buffer.readUInt16LE(p + 28);
    const end = start + entry.compressedSize;
    if (end > buffer.length) throw new ZipRefused('corrupt', entry.name);
    const raw = buffer.subarray(start, end);
    const room = Math.min(limits.maxEntryBytes, limits.maxTotalBytes - total);
    let data: Buffer;
    if (entry.method === 0) {
      data = raw;
    } else if (entry.method === 8) {
      try {
        data = await inflateRawAsync(raw, { maxOutputLength: Math.max(1, room) });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
          throw new ZipRefused(room < limits.maxEntryBytes ? 'too_large' : 'entry_too_large', entry.name);
        }
        throw new ZipRefused('corrupt', entry.name);
      }
    } else {
      throw new ZipRefused('unsupported', entry.name);
    }
    if (data.length > room) throw new ZipRefused(room < limits.maxEntryBytes ? 'too_large' : 'entry_too_large', entry.name);
    total += data.length;
    result.set(entry.name, data);
  }
  return result;
}

/** A ZIP archive of the given entries, stored uncompressed, in the given order. */
export function storedZip(entries: ReadonlyArray<readonly [string, Buffer]>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(nameBytes.length, 28);
    header.writeUInt32LE(offset, 42);
    parts.push(local, nameBytes, data);
    central.push(header, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}
