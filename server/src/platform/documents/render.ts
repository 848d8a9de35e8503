/**
 * The renderer behind `renderDocument` (pdf.ts): layout, fonts, QR code and seal. It is imported
 * with the first document a process renders, not at start-up: pdf-lib, fontkit and qrcode take
 * about 0.3 s of CPU to load, a quarter of what importing the whole server takes.
 */
import {
  PDFDocument,
  PageSizes,
  fill,
  grayscale,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setCharacterSpacing,
  setFillingGrayscaleColor,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import { create as createQrCode } from 'qrcode';
import { chineseDate, type DocumentSpec, type RenderOptions } from './pdf.js';
import { drawableText, embedDocumentFonts, FontMetrics, type DocumentFonts, type FontWeight } from './fonts.js';
import { drawSeal, SEAL_DIAMETER } from './seal.js';
import { wrapText, type Line } from './wrap.js';

const MM = 72 / 25.4;
const [PAGE_WIDTH, PAGE_HEIGHT] = PageSizes.A4 as [number, number];
const MARGIN = { top: 30 * MM, bottom: 22 * MM, left: 27 * MM, right: 27 * MM };
const TEXT_WIDTH = PAGE_WIDTH - MARGIN.left - MARGIN.right;
const TEXT_RIGHT = PAGE_WIDTH - MARGIN.right;

interface Style {
  size: number;
  /** Line box height as a multiple of the size. */
  leading: number;
  weight: FontWeight;
}
const TITLE: Style = { size: 22, leading: 1.5, weight: 'bold' };
const BODY: Style = { size: 14, leading: 1.8, weight: 'regular' };
const CELL: Style = { size: 12, leading: 1.45, weight: 'regular' };
const HEADER_CELL: Style = { ...CELL, weight: 'bold' };
const SMALL: Style = { size: 9, leading: 1.4, weight: 'regular' };
const CELL_PADDING = { x: 5, y: 4 };
const QR_SIZE = 28 * MM;
const MAX_COLUMNS = 10;
/** Height of the centre of a CJK ideograph above its baseline, in ems (the em box spans -0.12..0.88). */
const IDEOGRAPH_MIDDLE = 0.38;
const INDENT = '\u3000\u3000';

export async function render(spec: DocumentSpec, options: RenderOptions): Promise<Uint8Array> {
  const doc = cleaned(spec);
  const createdAt = options.createdAt ?? new Date();

  // pdf-lib's own metadata would stamp "pdf-lib" and the current time; the document sets its own.
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.setTitle(doc.title, { showInWindowTitleBar: true });
  pdf.setAuthor(doc.issuer);
  if (doc.number) pdf.setSubject(doc.number);
  pdf.setLanguage('zh-CN');
  pdf.setProducer('Tongban');
  pdf.setCreator('Tongban');
  pdf.setCreationDate(createdAt);
  pdf.setModificationDate(createdAt);

  const fonts = await embedDocumentFonts(pdf, JSON.stringify(doc, (_key, value: unknown) => (value instanceof Uint8Array ? undefined : value)));
  const composer = new Composer(pdf, fonts, doc.footer);

  composer.lines(composer.wrap(doc.title, TITLE, TEXT_WIDTH), TITLE, 'center');
  if (doc.number) composer.lines(composer.wrap(doc.number, BODY, TEXT_WIDTH), BODY, 'center');
  composer.space(BODY.size);
  if (doc.addressee) composer.lines(composer.wrap(doc.addressee, BODY, TEXT_WIDTH), BODY, 'left');
  for (const paragraph of doc.paragraphs) composer.lines(composer.wrap(INDENT + paragraph, BODY, TEXT_WIDTH), BODY, 'justify');
  if (doc.table) {
    composer.space(BODY.size * 0.5);
    composer.table(doc.table);
  }
  await composer.closing(doc);
  composer.finish();
  return pdf.save();
}

/** The spec with every string made drawable (see drawableText) and checked. */
function cleaned(spec: DocumentSpec): DocumentSpec {
  const text = (value: string) => drawableText(value).trim();
  // Paragraph indentation is the renderer's: full-width spaces typed at the start would double it.
  const paragraph = (value: string) => text(value).replace(/^\u3000+/, '');
  const doc: DocumentSpec = {
    title: text(spec.title),
    paragraphs: spec.paragraphs.map(paragraph),
    issuer: text(spec.issuer),
    date: spec.date,
  };
  if (!doc.title) throw new RangeError('a document needs a title');
  if (!doc.issuer) throw new RangeError('a document needs an issuer');
  chineseDate(spec.date); // throws on a malformed date before anything is drawn
  if (spec.number) doc.number = text(spec.number);
  if (spec.addressee) doc.addressee = text(spec.addressee);
  if (spec.footer) doc.footer = text(spec.footer);
  if (spec.table) {
    const columns = spec.table.columns.map(text);
    if (columns.length === 0 || columns.length > MAX_COLUMNS) throw new RangeError(`a table has 1 to ${MAX_COLUMNS} columns, not ${columns.length}`);
    const rows = spec.table.rows.map((row, i) => {
      if (row.length !== columns.length) throw new RangeError(`table row ${i + 1} has ${row.length} cells for ${columns.length} columns`);
      return row.map(text);
    });
    doc.table = { columns, rows };
  }
  if (spec.qr) doc.qr = { text: spec.qr.text, ...(spec.qr.caption ? { caption: text(spec.qr.caption) } : {}) };
  if (spec.seal) {
    doc.seal = {};
    if (spec.seal.imagePng) doc.seal.imagePng = spec.seal.imagePng;
    if (spec.seal.text) doc.seal.text = text(spec.seal.text);
    if (spec.seal.label) doc.seal.label = text(spec.seal.label);
  }
  return doc;
}

/** Error correction M (15 %) survives a smudged print and still fits a long verification URL. */
function qrCode(text: string): ReturnType<typeof createQrCode> {
  if (!text) throw new RangeError('a QR code needs text');
  try {
    return createQrCode(text, { errorCorrectionLevel: 'M' });
  } catch (err) {
    throw new RangeError(`the QR code text cannot be encoded: ${err instanceof Error ? err.message : String(err)}`);
  }
}

type Align = 'left' | 'center' | 'justify';

/** Places content top to bottom, starting new pages as it runs out of room. */
class Composer {
  private readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  /** Top of the next line box. */
  private y = 0;
  /** Lowest point content may reach: above the footer and page numbers. */
  private readonly floor: number;
  private readonly metrics: Record<FontWeight, FontMetrics> = { regular: new FontMetrics('regular'), bold: new FontMetrics('bold') };
  private readonly footerLines: Line[];

  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: DocumentFonts,
    footer: string | undefined,
  ) {
    this.footerLines = footer ? this.wrap(footer, SMALL, TEXT_WIDTH) : [];
    // Page numbers sit 10 mm from the bottom edge, the footer's lines above them.
    const footerTop = 10 * MM + (this.footerLines.length + 1) * SMALL.size * SMALL.leading;
    this.floor = Math.max(MARGIN.bottom, footerTop + SMALL.size);
    this.newPage();
  }

  private newPage(): void {
    this.page = this.pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    this.pages.push(this.page);
    this.y = PAGE_HEIGHT - MARGIN.top;
  }

  private font(style: Style): PDFFont {
    return this.fonts[style.weight];
  }

  private width(text: string, style: Style): number {
    return this.metrics[style.weight].width(text, style.size);
  }

  wrap(text: string, style: Style, maxWidth: number): Line[] {
    return wrapText(text, maxWidth, (part) => this.width(part, style));
  }

  space(height: number): void {
    this.y -= height;
  }

  /** Draws one line whose box starts at `top`; `x` is its left end. */
  private line(text: string, style: Style, x: number, top: number, spacing = 0): void {
    if (!text) return;
    const baseline = top - (style.size * style.leading) / 2 - IDEOGRAPH_MIDDLE * style.size;
    if (spacing) this.page.pushOperators(setCharacterSpacing(spacing));
    this.page.drawText(text, { x, y: baseline, size: style.size, font: this.font(style) });
    if (spacing) this.page.pushOperators(setCharacterSpacing(0));
  }

  lines(lines: Line[], style: Style, align: Align): void {
    const box = style.size * style.leading;
    for (const line of lines) {
      if (this.y - box < this.floor) this.newPage();
      const width = this.width(line.text, style);
      if (align === 'center') this.line(line.text, style, MARGIN.left + (TEXT_WIDTH - width) / 2, this.y);
      else if (align === 'justify' && !line.last) this.justified(line.text, style, TEXT_WIDTH - width);
      else this.line(line.text, style, MARGIN.left, this.y);
      this.y -= box;
    }
  }

  /**
   * A line stretched to the full width: the slack goes to the spaces between Latin words when
   * there are any, otherwise between the characters (Tc). A line with more slack than that can
   * take without gaping (it ended early because the next word was long) stays ragged.
   */
  private justified(text: string, style: Style, slack: number): void {
    const words = text.split(' ');
    if (words.length > 1 && slack / (words.length - 1) <= style.size * 0.5) {
      const advance = this.width(' ', style) + slack / (words.length - 1);
      let x = MARGIN.left;
      for (const word of words) {
        this.line(word, style, x, this.y);
        x += this.width(word, style) + advance;
      }
      return;
    }
    const gaps = [...text].length - 1;
    const spacing = words.length === 1 && gaps > 0 ? slack / gaps : 0;
    this.line(text, style, MARGIN.left, this.y, spacing > 0 && spacing <= style.size * 0.25 ? spacing : 0);
  }

  table(table: { columns: string[]; rows: string[][] }): void {
    const widths = this.columnWidths(table);
    const wrapCells = (cells: string[], style: Style) => cells.map((cell, i) => this.wrap(cell, style, widths[i]! - 2 * CELL_PADDING.x));
    const header = wrapCells(table.columns, HEADER_CELL);
    const box = CELL.size * CELL.leading;
    const heightOf = (lineCount: number) => lineCount * box + 2 * CELL_PADDING.y;
    const headerLineCount = Math.max(...header.map((cell) => cell.length));

    const drawRow = (cells: Line[][], from: number, count: number, style: Style, shaded: boolean) => {
      const height = heightOf(count);
      let x = MARGIN.left;
      cells.forEach((cell, i) => {
        const width = widths[i]!;
        this.page.drawRectangle({
          x,
          y: this.y - height,
          width,
          height,
          borderWidth: 0.6,
          borderColor: grayscale(0),
          ...(shaded ? { color: grayscale(0.92) } : {}),
        });
        cell.slice(from, from + count).forEach((line, j) => {
          this.line(line.text, style, x + CELL_PADDING.x, this.y - CELL_PADDING.y - j * box);
        });
        x += width;
      });
      this.y -= height;
    };
    // The header row opens the table and is repeated at the top of each page it runs onto.
    if (this.y - heightOf(headerLineCount) - heightOf(1) < this.floor) this.newPage();
    drawRow(header, 0, headerLineCount, HEADER_CELL, true);
    let freshPage = true;
    for (const row of table.rows) {
      const cells = wrapCells(row, CELL);
      const total = Math.max(1, ...cells.map((cell) => cell.length));
      let done = 0;
      while (done < total) {
        const fits = Math.floor((this.y - this.floor - 2 * CELL_PADDING.y) / box);
        const wanted = total - done;
        // Carry the row over rather than leave one line of it alone at the foot of a page.
        if (fits < Math.min(wanted, 2) && !freshPage) {
          this.newPage();
          drawRow(header, 0, headerLineCount, HEADER_CELL, true);
          freshPage = true;
          continue;
        }
        if (fits < 1) throw new RangeError('the table header does not leave room for a row on a page');
        const count = Math.min(wanted, fits);
        drawRow(cells, done, count, CELL, false);
        done += count;
        freshPage = false;
      }
    }
    this.space(BODY.size * 0.5);
  }

  /**
   * Column widths that fill the text column: in proportion to the widest entry of each column
   * when everything fits on one line, otherwise each column gets its natural width or an equal
   * share of what the narrower columns left, whichever is less.
   */
  private columnWidths(table: { columns: string[]; rows: string[][] }): number[] {
    const natural = table.columns.map((column, i) => {
      const entries = [
        ...column.split('\n').map((part) => this.width(part, HEADER_CELL)),
        ...table.rows.flatMap((row) => row[i]!.split('\n').map((part) => this.width(part, CELL))),
      ];
      return Math.max(2 * CELL.size, ...entries) + 2 * CELL_PADDING.x + 1;
    });
    const sum = natural.reduce((a, b) => a + b, 0);
    if (sum <= TEXT_WIDTH) return natural.map((w) => (w * TEXT_WIDTH) / sum);
    const widths: number[] = new Array<number>(natural.length);
    let remaining = TEXT_WIDTH;
    const order = natural.map((w, i) => [w, i] as const).sort((a, b) => a[0] - b[0]);
    order.forEach(([w, i], k) => {
      widths[i] = Math.min(w, remaining / (order.length - k));
      remaining -= widths[i];
    });
    return widths;
  }

  /** The issuer and date at the bottom right under the seal, and the QR code at the left. */
  async closing(doc: DocumentSpec): Promise<void> {
    const box = BODY.size * BODY.leading;
    const radius = SEAL_DIAMETER / 2;
    const date = chineseDate(doc.date);
    const dateWidth = this.width(date, BODY);
    const issuerLines = this.wrap(doc.issuer, BODY, TEXT_WIDTH * 0.6);
    const issuerWidth = Math.max(...issuerLines.map((line) => this.width(line.text, BODY)));
    // The date ends four characters in from the margin; the issuer is centred over it.
    const centre = Math.min(TEXT_RIGHT - 4 * BODY.size - dateWidth / 2, TEXT_RIGHT - issuerWidth / 2);
    const qr = doc.qr ? qrCode(doc.qr.text) : undefined;
    const captionLines = doc.qr?.caption ? this.wrap(doc.qr.caption, SMALL, QR_SIZE * 1.6) : [];

    // Vertical plan relative to the seal's top, which sits within a line of the text above.
    const layout = (sealTop: number) => {
      const sealCentre = sealTop - radius;
      const issuerTop = sealCentre + (issuerLines.length - 1) * box;
      const dateTop = sealCentre - box;
      const qrBottom = dateTop - box;
      const bottom = Math.min(qrBottom - captionLines.length * SMALL.size * SMALL.leading, sealCentre - radius);
      return { sealCentre, issuerTop, dateTop, qrBottom, bottom };
    };
    let plan = layout(this.y - box * 0.5);
    if (plan.bottom < this.floor) {
      this.newPage();
      plan = layout(this.y);
    }

    issuerLines.forEach((line, i) => {
      this.line(line.text, BODY, centre - this.width(line.text, BODY) / 2, plan.issuerTop - i * box);
    });
    this.line(date, BODY, centre - dateWidth / 2, plan.dateTop);

    if (qr) {
      const { size, data } = qr.modules;
      // Four modules of quiet zone on every side, inside the printed square.
      const module = QR_SIZE / (size + 8);
      const left = MARGIN.left + 4 * module;
      const top = plan.qrBottom + QR_SIZE - 4 * module;
      const ops = [pushGraphicsState(), setFillingGrayscaleColor(0)];
      for (let row = 0; row < size; row++) {
        // One rectangle per run of dark modules keeps the content stream small.
        for (let col = 0; col < size; col++) {
          if (!data[row * size + col]) continue;
          let end = col;
          while (end + 1 < size && data[row * size + end + 1]) end++;
          ops.push(rectangle(left + col * module, top - (row + 1) * module, (end - col + 1) * module, module));
          col = end;
        }
      }
      ops.push(fill(), popGraphicsState());
      this.page.pushOperators(...ops);
      captionLines.forEach((line, i) => {
        const x = MARGIN.left + (QR_SIZE - this.width(line.text, SMALL)) / 2;
        this.line(line.text, SMALL, Math.max(MARGIN.left, x), plan.qrBottom - i * SMALL.size * SMALL.leading);
      });
    }

    if (doc.seal?.imagePng) {
      const image = await this.pdf.embedPng(doc.seal.imagePng).catch((err: unknown) => {
        throw new RangeError(`the seal image is not a readable PNG: ${err instanceof Error ? err.message : String(err)}`);
      });
      const scale = SEAL_DIAMETER / Math.max(image.width, image.height);
      const width = image.width * scale;
      const height = image.height * scale;
      this.page.drawImage(image, { x: centre - width / 2, y: plan.sealCentre - height / 2, width, height });
    } else if (doc.seal) {
      drawSeal(this.page, {
        x: centre,
        y: plan.sealCentre,
        text: doc.seal.text ?? doc.issuer,
        ...(doc.seal.label ? { label: doc.seal.label } : {}),
        font: this.fonts.bold,
      });
    }
    this.y = plan.bottom;
  }

  /** Footer and page numbers (第 1 页 共 2 页) on every page, once the page count is known. */
  finish(): void {
    const rowHeight = SMALL.size * SMALL.leading;
    this.pages.forEach((page, index) => {
      this.page = page;
      this.footerLines.forEach((line, i) => {
        const top = 10 * MM + (this.footerLines.length + 1 - i) * rowHeight;
        this.line(line.text, SMALL, MARGIN.left + (TEXT_WIDTH - this.width(line.text, SMALL)) / 2, top);
      });
      if (this.pages.length > 1) {
        const label = `第 ${index + 1} 页 共 ${this.pages.length} 页`;
        this.line(label, SMALL, MARGIN.left + (TEXT_WIDTH - this.width(label, SMALL)) / 2, 10 * MM + rowHeight);
      }
    });
  }
}
