import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create as parseFont, type Font } from 'fontkit';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream, type PDFRef } from 'pdf-lib';
import { create as createQrCode } from 'qrcode';
import { beforeAll, describe, expect, it } from 'vitest';
import { drawableText, embedDocumentFonts, missingCharacters, MISSING_GLYPH_MARK } from './fonts.js';
import { chineseDate, renderDocument, type DocumentSpec } from './pdf.js';
import { drawSeal } from './seal.js';

const CREATED_AT = new Date('2026-11-26T02:30:00Z');
const FONT_FILE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';
const BOLD_FONT_FILE = '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf';
/** A 1 x 1 PNG. */
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64'));

const notice: DocumentSpec = {
  title: '一次性告知（补正材料）通知书',
  number: '深市监补〔2026〕00012号',
  addressee: '深圳市星河科技有限公司：',
  paragraphs: [
    '你单位于2026年11月20日提交的《食品经营许可证》新办申请，经审查，申请材料不齐全，请于收到本通知书之日起5个工作日内按下列要求一次性补正，可通过 https://www.gdzwfw.gov.cn 提交。',
    '逾期未补正的，视为撤回申请。',
  ],
  table: {
    columns: ['序号', '材料名称', '补正原因及要求'],
    rows: [
      ['1', '营业执照副本复印件', '复印件不清晰，请提交加盖公章的清晰复印件。'],
      ['2', '经营场所使用证明', '租赁期限已于2026年10月31日届满，请提交在有效期内的租赁合同。'],
    ],
  },
  issuer: '深圳市市场监督管理局',
  date: '2026-11-26',
  qr: { text: 'https://tongban.example.gov.cn/v/11440300MB2C94016Y', caption: '扫码查询办件进度' },
  seal: { label: '行政审批专用章' },
  footer: '本通知书一式两份，一份交申请人，一份存档。',
};

interface EmbeddedFont {
  name: string;
  program: Uint8Array;
  /** The characters the font's ToUnicode map says it draws. */
  characters: Set<string>;
}

function stream(pdf: PDFDocument, ref: unknown): Uint8Array {
  const object = pdf.context.lookup(ref as PDFRef);
  if (!(object instanceof PDFRawStream)) throw new Error('not a stream');
  return decodePDFRawStream(object).decode();
}

/** The Type0 fonts of a PDF with their embedded font programs and ToUnicode maps. */
function embeddedFonts(pdf: PDFDocument): EmbeddedFont[] {
  const fonts: EmbeddedFont[] = [];
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Subtype')) !== PDFName.of('Type0')) continue;
    const descendant = object.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
    const descriptor = descendant.lookup(PDFName.of('FontDescriptor'), PDFDict);
    const cmap = Buffer.from(stream(pdf, object.get(PDFName.of('ToUnicode')))).toString('latin1');
    const mappings = /beginbfchar([\s\S]*?)endbfchar/.exec(cmap)?.[1] ?? '';
    const characters = new Set<string>();
    for (const [, , utf16] of mappings.matchAll(/<([0-9a-f]{4})>\s*<([0-9a-f]+)>/gi)) {
      characters.add(Buffer.from(utf16!, 'hex').swap16().toString('utf16le'));
    }
    fonts.push({
      name: object.lookup(PDFName.of('BaseFont'), PDFName).decodeText(),
      program: stream(pdf, descriptor.get(PDFName.of('FontFile2'))),
      characters,
    });
  }
  // By font name without the subset tag: bold first, then regular.
  return fonts.sort((a, b) => a.name.slice(7).localeCompare(b.name.slice(7)));
}

/** The decoded content streams of a page, as text. */
function content(pdf: PDFDocument, index: number): string {
  const contents = pdf.getPage(index).node.Contents();
  const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
  return refs.map((ref) => Buffer.from(stream(pdf, ref)).toString('latin1')).join('\n');
}

function fontFile(file: string): Font {
  const font = parseFont(readFileSync(createRequire(import.meta.url).resolve(file)));
  if (!('createSubset' in font)) throw new Error('not a single font');
  return font;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe('renderDocument', () => {
  let bytes: Uint8Array;
  let pdf: PDFDocument;
  let firstRenderMs: number;

  beforeAll(async () => {
    const started = performance.now();
    bytes = await renderDocument(notice, { createdAt: CREATED_AT });
    firstRenderMs = performance.now() - started;
    pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  });

  it('writes a PDF that pdf-lib reads back, one A4 page, with the document metadata', () => {
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(pdf.getPageCount()).toBe(1);
    const { width, height } = pdf.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
    expect(pdf.getTitle()).toBe(notice.title);
    expect(pdf.getAuthor()).toBe(notice.issuer);
    expect(pdf.getSubject()).toBe(notice.number);
    expect(pdf.getProducer()).toBe('Tongban');
    expect(pdf.getCreator()).toBe('Tongban');
    expect(pdf.getCreationDate()?.toISOString()).toBe(CREATED_AT.toISOString());
    expect(pdf.getModificationDate()?.toISOString()).toBe(CREATED_AT.toISOString());
  });

  it('is byte-for-byte the same for the same document and creation date', async () => {
    expect(Buffer.from(await renderDocument(notice, { createdAt: CREATED_AT })).equals(Buffer.from(bytes))).toBe(true);
  });

  it('embeds the two weights as tagged subsets, a few kilobytes against the 10 MB fonts', () => {
    const fonts = embeddedFonts(pdf);
    expect(fonts.map((font) => font.name)).toEqual([expect.stringMatching(/^[A-Z]{6}\+NotoSansSC-Bold$/), expect.stringMatching(/^[A-Z]{6}\+NotoSansSC-Regular$/)]);
    const fullSize = readFileSync(createRequire(import.meta.url).resolve(FONT_FILE)).length;
    expect(fullSize).toBeGreaterThan(10_000_000);
    for (const font of fonts) expect(font.program.length).toBeLessThan(100_000);
    expect(bytes.length).toBeLessThan(150_000);
    // The title is set in bold; the body, table, date and issuer in regular.
    const [bold, regular] = fonts as [EmbeddedFont, EmbeddedFont];
    for (const char of notice.title) expect(bold.characters).toContain(char);
    for (const char of '深圳市星河科技复印件2026年11月26日') expect(regular.characters).toContain(char);
  });

  it('embeds glyphs with the outlines of the source font (the subsetter does not corrupt them)', () => {
    // @pdf-lib/fontkit 1.1.1 garbles TrueType subsets of this font after the first odd-length glyph.
    for (const [embedded, file] of [[embeddedFonts(pdf)[1]!, FONT_FILE], [embeddedFonts(pdf)[0]!, BOLD_FONT_FILE]] as const) {
      const source = fontFile(file);
      const subset = parseFont(Buffer.from(embedded.program)) as Font;
      const outlines = new Set([...embedded.characters].map((char) => source.glyphForCodePoint(char.codePointAt(0)!).path.toSVG()));
      expect(subset.numGlyphs).toBeGreaterThan(10);
      for (let id = 1; id < subset.numGlyphs; id++) expect(outlines).toContain(subset.getGlyph(id).path.toSVG());
    }
  });

  it('draws a QR code that encodes the given text', () => {
    // The code is one filled path of rectangles, one per run of dark modules in a row.
    const page = content(pdf, 0);
    const block = /q\n0 g\n((?:[\d.]+ [\d.]+ [\d.]+ [\d.]+ re\n)+)f\nQ/.exec(page);
    expect(block).not.toBeNull();
    const runs = [...block![1]!.matchAll(/([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re/g)].map((m) => m.slice(1).map(Number) as [number, number, number, number]);
    const module = runs[0]![3];
    const left = Math.min(...runs.map(([x]) => x));
    const top = Math.max(...runs.map(([, y, , h]) => y + h));
    const expected = createQrCode(notice.qr!.text, { errorCorrectionLevel: 'M' }).modules;
    const drawn = new Uint8Array(expected.size * expected.size);
    for (const [x, y, w, h] of runs) {
      const row = Math.round((top - y - h) / module);
      const col = Math.round((x - left) / module);
      for (let i = 0; i < Math.round(w / module); i++) drawn[row * expected.size + col + i] = 1;
    }
    expect([...drawn]).toEqual([...expected.data]);
  });

  it('draws the table with a shaded header and the red seal with its label', () => {
    const page = content(pdf, 0);
    // Header cells are filled light grey; the seal's ring, star and characters are in seal red.
    expect(page.match(/0\.92 g/g)?.length).toBe(notice.table!.columns.length);
    expect(page).toContain('0.84 0.07 0.07 RG');
    expect(page).toContain('0.84 0.07 0.07 rg');
    const bold = embeddedFonts(pdf)[0]!;
    for (const char of '深圳市市场监督管理局行政审批专用章') expect(bold.characters).toContain(char);
  });

  it('adds pages as the text grows, numbering them, and repeats the table header on each', async () => {
    const long = await PDFDocument.load(
      await renderDocument({
        ...notice,
        paragraphs: Array.from({ length: 40 }, (_, i) => `第${i + 1}段：${'申请人应当如实提交有关材料和反映真实情况，并对其申请材料实质内容的真实性负责。'.repeat(3)}`),
        table: { columns: notice.table!.columns, rows: Array.from({ length: 60 }, (_, i) => [String(i + 1), `材料${i + 1}`, '请补充。']) },
      }),
    );
    const pages = long.getPageCount();
    expect(pages).toBeGreaterThan(4);
    const regular = embeddedFonts(long)[1]!;
    for (const char of `第页共${pages}`) expect(regular.characters).toContain(char);
    // Every page the table runs onto starts with the shaded header row.
    const shadedPages = Array.from({ length: pages }, (_, i) => content(long, i)).filter((page) => page.includes('0.92 g'));
    expect(shadedPages.length).toBeGreaterThan(1);
    for (const page of shadedPages) expect(page.match(/0\.92 g/g)?.length).toBe(3);
  });

  it('renders a one-paragraph notice without table, QR code, seal or footer', async () => {
    const plain = await PDFDocument.load(await renderDocument({ title: '受理通知书', paragraphs: ['申请材料齐全，符合法定形式，决定予以受理。'], issuer: '深圳市市场监督管理局', date: '2026-11-26' }));
    expect(plain.getPageCount()).toBe(1);
    expect(content(plain, 0)).not.toContain(' re\n');
    expect(content(plain, 0)).not.toContain('0.84 0.07 0.07');
  });

  it('places a seal image instead of the drawn seal when the department has one', async () => {
    const withImage = await PDFDocument.load(await renderDocument({ ...notice, seal: { imagePng: PNG } }));
    const xObjects = withImage.getPage(0).node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    expect(xObjects?.keys().length).toBe(1);
    expect(content(withImage, 0)).not.toContain('0.84 0.07 0.07 rg');
  });

  it('draws □ for characters the font lacks instead of failing or leaving a blank', async () => {
    // 𠀀 (U+20000, CJK Extension B) is not in Noto Sans SC; rare characters in names are.
    expect(missingCharacters('张𠀀三𠀀')).toEqual(['𠀀']);
    expect(missingCharacters('张三〔2026〕㐀 A1')).toEqual([]);
    const rendered = await PDFDocument.load(await renderDocument({ ...notice, addressee: '张𠀀：' }));
    const regular = embeddedFonts(rendered)[1]!;
    expect(regular.characters).toContain(MISSING_GLYPH_MARK);
    expect(regular.characters).not.toContain('𠀀');
  });

  it('drops invisible characters and turns tabs into spaces before drawing', () => {
    expect(drawableText('a\tb\u200bc\u0007d\ufe0f\n𠀀')).toBe('a bcd\n□');
  });

  it('covers the same characters in both weights, so the check made with the regular one holds for bold', () => {
    expect(fontFile(BOLD_FONT_FILE).characterSet).toEqual(fontFile(FONT_FILE).characterSet);
  });

  it('refuses a document it cannot lay out, naming what is wrong', async () => {
    await expect(renderDocument({ ...notice, date: '2026-02-30' })).rejects.toThrow(/not a YYYY-MM-DD date/);
    await expect(renderDocument({ ...notice, title: ' \t' })).rejects.toThrow(/needs a title/);
    await expect(renderDocument({ ...notice, issuer: '' })).rejects.toThrow(/needs an issuer/);
    await expect(renderDocument({ ...notice, table: { columns: ['a', 'b'], rows: [['1']] } })).rejects.toThrow(/row 1 has 1 cells for 2 columns/);
    await expect(renderDocument({ ...notice, table: { columns: Array.from({ length: 11 }, String), rows: [] } })).rejects.toThrow(/1 to 10 columns/);
    await expect(renderDocument({ ...notice, qr: { text: 'x'.repeat(3000) } })).rejects.toThrow(/QR code text cannot be encoded/);
    await expect(renderDocument({ ...notice, seal: { imagePng: new Uint8Array([1, 2, 3]) } })).rejects.toThrow(/not a readable PNG/);
  });

  it('renders concurrent documents exactly as it renders them one at a time (the parsed fonts are shared)', async () => {
    const specs = Array.from({ length: 6 }, (_, i) => ({ ...notice, addressee: `申请人${i}号：`, paragraphs: [`${'第'.repeat(i + 1)}段`, ...notice.paragraphs] }));
    const sequential: Buffer[] = [];
    for (const spec of specs) sequential.push(Buffer.from(await renderDocument(spec, { createdAt: CREATED_AT })));
    const concurrent = await Promise.all(specs.map((spec) => renderDocument(spec, { createdAt: CREATED_AT })));
    concurrent.forEach((pdfBytes, i) => expect(Buffer.from(pdfBytes).equals(sequential[i]!)).toBe(true));
  });

  it('renders a notice well within the e-license budget once the fonts are loaded', async () => {
    // A bound against pathologies only (shared CI machines); bench/documents-pdf.bench.ts has the figures.
    const times: number[] = [];
    for (let i = 0; i < 25; i++) {
      const started = performance.now();
      await renderDocument({ ...notice, addressee: `申请人${i}：` });
      times.push(performance.now() - started);
    }
    expect(percentile(times.sort((a, b) => a - b), 95)).toBeLessThan(1000);
    expect(firstRenderMs).toBeLessThan(10_000);
  });
});

describe('chineseDate', () => {
  it('writes the date in Arabic numerals without leading zeros', () => {
    expect(chineseDate('2026-01-05')).toBe('2026年1月5日');
    expect(chineseDate('2026-11-26')).toBe('2026年11月26日');
    expect(() => chineseDate('2026-1-5')).toThrow(RangeError);
  });
});

describe('drawSeal', () => {
  it('draws the ring, the star and each character of the name on a page of another document', async () => {
    const doc = await PDFDocument.create();
    const fonts = await embedDocumentFonts(doc, 'seal test');
    const page = doc.addPage();
    drawSeal(page, { x: 200, y: 400, text: '深圳市市场监督管理局', font: fonts.bold });
    const saved = await PDFDocument.load(await doc.save());
    const drawn = content(saved, 0);
    // One text object per character of the name; the ring (stroked) and star (filled) in red.
    expect(drawn.match(/BT/g)?.length).toBe(10);
    expect(drawn).toContain('0.84 0.07 0.07 RG');
    expect(drawn).toContain('0.84 0.07 0.07 rg');
    const bold = embeddedFonts(saved).find((font) => font.name.endsWith('NotoSansSC-Bold'))!;
    for (const char of '深圳市场监督管理局') expect(bold.characters).toContain(char);
  });
});
