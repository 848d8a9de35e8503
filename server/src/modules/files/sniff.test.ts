/** Type sniffing and name sanitising, without the platform. */
import { describe, expect, it } from 'vitest';
import { sampleJpeg, sampleOfd, samplePdf, samplePng, zipOf } from '../../../test/file-samples.js';
import { attachmentDisposition, MAX_NAME_LENGTH, sanitiseName } from './names.js';
import { isOfdPackage, sniffMediaType, typeOf } from './sniff.js';

const OFD_XML = '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>';

describe('sniffMediaType', () => {
  it('recognises each accepted type by its bytes', () => {
    expect(sniffMediaType(samplePdf())).toBe('application/pdf');
    expect(sniffMediaType(sampleJpeg())).toBe('image/jpeg');
    expect(sniffMediaType(samplePng())).toBe('image/png');
    expect(sniffMediaType(sampleOfd())).toBe('application/ofd');
    expect(sniffMediaType(zipOf([['OFD.xml', OFD_XML]], { stored: true }))).toBe('application/ofd');
  });

  it('refuses what is none of them, whatever it would be called', () => {
    const refused: Array<[string, Buffer]> = [
      ['empty', Buffer.alloc(0)],
      ['a Windows executable', Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(200)])],
      ['HTML', Buffer.from('<!doctype html><script>alert(1)</script>')],
      ['plain text', Buffer.from('营业执照复印件')],
      ['a PDF header not at the start', Buffer.concat([Buffer.from(' '), samplePdf()])],
      ['a truncated PNG signature', samplePng().subarray(0, 7)],
      ['two bytes of JPEG', Buffer.from([0xff, 0xd8])],
      ['GIF', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')],
      ['a zip without OFD.xml', zipOf([['a.txt', 'x']])],
      ['a .docx', zipOf([['[Content_Types].xml', '<Types/>'], ['word/document.xml', '<w:document/>']])],
    ];
    for (const [label, bytes] of refused) expect(sniffMediaType(bytes), label).toBeNull();
  });
});

describe('isOfdPackage', () => {
  it('wants OFD.xml at the root, exactly so named', () => {
    expect(isOfdPackage(zipOf([['Doc_0/OFD.xml', OFD_XML]]))).toBe(false);
    expect(isOfdPackage(zipOf([['ofd.xml', OFD_XML]]))).toBe(false);
    expect(isOfdPackage(zipOf([['OFD.xml/', '']]))).toBe(false);
    expect(isOfdPackage(zipOf([['Doc_0/Document.xml', '<x/>'], ['OFD.xml', OFD_XML]]))).toBe(true);
  });

  it('reads the central directory, not a name somewhere in the bytes', () => {
    // "OFD.xml" in an entry's content, or only in a local header the directory does not list
    expect(isOfdPackage(zipOf([['readme.txt', 'see OFD.xml']], { stored: true }))).toBe(false);
    const hidden = zipOf([['OFD.xml', OFD_XML], ['a.txt', 'x']], { stored: true });
    const directory = hidden.readUInt32LE(hidden.length - 22 + 16);
    expect(isOfdPackage(hidden)).toBe(true);
    hidden.write('OFD.xmX', directory + 46, 'latin1');
    expect(isOfdPackage(hidden)).toBe(false);
  });

  it('refuses a damaged package', () => {
    const ofd = sampleOfd();
    expect(isOfdPackage(ofd.subarray(0, ofd.length - 10)), 'cut in the end record').toBe(false);
    expect(isOfdPackage(ofd.subarray(0, ofd.length - 40)), 'cut in the directory').toBe(false);
    expect(isOfdPackage(Buffer.concat([ofd.subarray(0, 4), Buffer.alloc(40)])), 'a zip magic and nothing else').toBe(false);

    // the directory points OFD.xml at an offset where no local header is
    const moved = Buffer.from(ofd);
    const eocd = moved.length - 22;
    const directory = moved.readUInt32LE(eocd + 16);
    moved.writeUInt32LE(5, directory + 42);
    expect(isOfdPackage(moved), 'local header offset wrong').toBe(false);

    // the local header names another entry than the directory does
    const renamed = Buffer.from(ofd);
    renamed.write('X', 30, 'latin1');
    expect(isOfdPackage(renamed), 'local name differs').toBe(false);

    // encrypted (general purpose flag bit 0)
    const encrypted = Buffer.from(ofd);
    encrypted.writeUInt16LE(0x0801, directory + 8);
    expect(isOfdPackage(encrypted), 'encrypted').toBe(false);

    // OFD.xml listed twice
    expect(isOfdPackage(zipOf([['OFD.xml', OFD_XML], ['OFD.xml', OFD_XML]])), 'twice').toBe(false);
  });
});

describe('sanitiseName', () => {
  const pdf = typeOf('application/pdf')!;
  const jpeg = typeOf('image/jpeg')!;

  it('keeps the base name and an extension of the sniffed type', () => {
    expect(sanitiseName('营业执照.pdf', pdf)).toBe('营业执照.pdf');
    expect(sanitiseName('SCAN.PDF', pdf)).toBe('SCAN.PDF');
    expect(sanitiseName('photo.jpeg', jpeg)).toBe('photo.jpeg');
    expect(sanitiseName('C:\\fakepath\\身份证 正面.jpg', jpeg)).toBe('身份证 正面.jpg');
    expect(sanitiseName('../../etc/passwd', pdf)).toBe('passwd.pdf');
  });

  it('makes the extension say what the bytes are', () => {
    expect(sanitiseName('page.html', pdf)).toBe('page.html.pdf');
    expect(sanitiseName('setup.exe', pdf)).toBe('setup.exe.pdf');
    expect(sanitiseName('scan', jpeg)).toBe('scan.jpg');
  });

  it('drops control and bidirectional characters and leading dots', () => {
    expect(sanitiseName('invoice\u202Efdp.exe', pdf)).toBe('invoicefdp.exe.pdf');
    expect(sanitiseName('a\u0000b\r\n.pdf', pdf)).toBe('ab.pdf');
    expect(sanitiseName('..', pdf)).toBe('file.pdf');
    expect(sanitiseName('.hidden.pdf', pdf)).toBe('hidden.pdf');
    expect(sanitiseName(undefined, pdf)).toBe('file.pdf');
    expect(sanitiseName('   ', pdf)).toBe('file.pdf');
  });

  it('keeps at most 200 characters, cutting the stem and not the extension', () => {
    const long = sanitiseName(`${'长'.repeat(300)}.pdf`, pdf);
    expect([...long].length).toBe(MAX_NAME_LENGTH);
    expect(long.endsWith('长.pdf')).toBe(true);
    const emoji = sanitiseName(`${'😀'.repeat(250)}.pdf`, pdf);
    expect([...emoji].length).toBe(MAX_NAME_LENGTH);
    // no lone surrogate: it would not survive a UTF-8 round trip
    expect(Buffer.from(emoji, 'utf8').toString('utf8')).toBe(emoji);
  });
});

describe('attachmentDisposition', () => {
  it('gives an ASCII fallback and the exact name per RFC 5987', () => {
    expect(attachmentDisposition('营业执照.pdf')).toBe("attachment; filename=\"____.pdf\"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf");
    expect(attachmentDisposition('a "b" (1)\\*\'.pdf')).toBe("attachment; filename=\"a _b_ (1)_*'.pdf\"; filename*=UTF-8''a%20%22b%22%20%281%29%5C%2A%27.pdf");
  });
});
