/**
 * Tiny valid files of every accepted upload type, built here rather than kept as binaries, and a
 * multipart body to upload them with (as a browser sends it: the filename in raw UTF-8).
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { crc32, deflateRawSync, deflateSync } from 'node:zlib';

export function samplePdf(text = 'Tongban'): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

/** A PDF of exactly `size` bytes: the header, filler in a comment, the end marker. */
export function pdfOfSize(size: number): Buffer {
  const head = Buffer.from('%PDF-1.7\n%', 'latin1');
  const tail = Buffer.from('\n%%EOF\n', 'latin1');
  return Buffer.concat([head, Buffer.alloc(size - head.length - tail.length, 0x41), tail]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A 1x1 red pixel, 8-bit RGB. */
export function samplePng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.from([0, 0xff, 0, 0]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** SOI, a JFIF APP0 segment, EOI: the header every JPEG starts with. */
export function sampleJpeg(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'latin1'),
    Buffer.from([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** A ZIP archive (APPNOTE.TXT 4.3) of the entries, deflated unless `stored`. */
export function zipOf(entries: Array<[string, string | Buffer]>, options: { stored?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, value] of entries) {
    const data = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
    const packed = options.stored ? data : deflateRawSync(data);
    const method = options.stored ? 0 : 8;
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(packed.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(nameBytes.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    central.push(header, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}

/** An OFD package (GB/T 33190-2016): OFD.xml at the root pointing at one document. */
export function sampleOfd(): Buffer {
  return zipOf([
    ['OFD.xml', '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>'],
    ['Doc_0/Document.xml', '<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>'],
  ]);
}

/** A multipart/form-data body of the files (field "file") and fields. */
export function multipartFiles(files: Array<{ filename: string; data: Buffer; type?: string }>, fields: Record<string, string> = {}): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----tongban${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const f of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`, 'utf8'));
    chunks.push(f.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export type EndlessUploadOutcome = { status: number; body: string } | { reset: string };

/**
 * Sends, over a real socket (inject hands a handler a body it has already read), a multipart
 * upload that never ends: the file part's header and `firstBytes`, then 1 MiB chunks up to
 * 200 MiB and never a closing boundary, until the server answers or closes the connection.
 * Answers what came back and how many bytes of file were sent.
 */
export async function sendEndlessUpload(options: { port: number; path: string; headers: Record<string, string>; filename: string; firstBytes: Buffer }): Promise<{ outcome: EndlessUploadOutcome; sent: number; chunkSize: number }> {
  const body = multipartFiles([{ filename: options.filename, data: Buffer.alloc(0) }]);
  const head = body.payload.subarray(0, body.payload.indexOf('\r\n\r\n') + 4);
  const chunk = Buffer.alloc(1024 * 1024, 0x41);
  let sent = 0;
  const outcome = await new Promise<EndlessUploadOutcome>((resolve) => {
    const request = httpRequest({ host: '127.0.0.1', port: options.port, method: 'POST', path: options.path, headers: { ...body.headers, ...options.headers } });
    let settled = false;
    request.on('response', (response) => {
      settled = true;
      let text = '';
      response.on('data', (d: Buffer) => (text += d.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      resolve({ reset: error.code ?? error.message });
    });
    void (async () => {
      request.write(Buffer.concat([head, options.firstBytes]));
      const sending = () => !settled && !request.destroyed; // changed by the listeners above
      for (let i = 0; i < 200 && sending(); i++) {
        sent += chunk.length;
        if (!request.write(chunk)) {
          await new Promise<void>((resolve) => {
            const go = () => {
              request.off('drain', go).off('close', go);
              resolve();
            };
            request.once('drain', go).once('close', go);
          });
        }
      }
      if (sending()) request.end();
    })();
  });
  return { outcome, sent, chunkSize: chunk.length };
}
