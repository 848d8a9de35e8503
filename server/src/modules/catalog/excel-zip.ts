/**
 * The ZIP layer under the workbook import, kept apart so that no untrusted byte reaches the
 * spreadsheet parser unchecked. An .xlsx file is a ZIP archive (ECMA-376 part 2, Open Packaging
 * Conventions); a few hundred kilobytes of it can inflate to gigabytes (a "zip bomb"), and its
 * local headers may disagree with its central directory. So we:
 *
 *  1. read the central directory ourselves (platform/zip.ts), refusing encrypted, ZIP64 and
 *     unknown-method entries and archives with too many entries;
 *  2. inflate only the entries a workbook needs, each with zlib's `maxOutputLength`, so the
 *     amount of memory is bounded by our limits whatever the headers claim;
 *  3. hand the parser a new archive of exactly those entries, stored (uncompressed), in the order
 *     its streaming reader wants (relationships, workbook, shared strings, then worksheets), so it
 *     parses rows as they come instead of spooling worksheets to temporary files.
 */
import { crc32, inflateRaw } from 'node:zlib';
import { promisify } from 'node:util';
import { CENTRAL_HEADER, END_OF_CENTRAL_DIRECTORY, entryData, LOCAL_HEADER, readZipDirectory, ZipRefused } from '../../platform/zip.js';

export { hasZipMagic, ZipRefused } from '../../platform/zip.js';

const inflateRawAsync = promisify(inflateRaw) as (buffer: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>;

export interface ZipLimits {
  /** Entries in the central directory (a workbook of 14 sheets has about 40). */
  maxEntries: number;
  /** Uncompressed bytes of any one entry we inflate. */
  maxEntryBytes: number;
  /** Uncompressed bytes of all the entries we inflate together. */
  maxTotalBytes: number;
}

/**
 * Inflates the entries `wanted` selects, within the limits. Names are as stored (forward slashes,
 * no leading slash); a name that appears twice is refused, since the parser would pick one.
 */
export async function extractEntries(buffer: Buffer, limits: ZipLimits, wanted: (name: string) => boolean): Promise<Map<string, Buffer>> {
  const directory = readZipDirectory(buffer, limits.maxEntries);
  const encrypted = directory.entries.find((e) => e.encrypted);
  if (encrypted) throw new ZipRefused('encrypted', encrypted.name);
  const result = new Map<string, Buffer>();
  let total = 0;
  for (const entry of directory.entries) {
    if (!wanted(entry.name)) continue;
    if (result.has(entry.name)) throw new ZipRefused('corrupt', entry.name);
    if (entry.uncompressedSize > limits.maxEntryBytes) throw new ZipRefused('entry_too_large', entry.name);
    const raw = entryData(buffer, directory, entry).data;
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
