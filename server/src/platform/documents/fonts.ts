/**
 * The fonts every generated document uses: Noto Sans SC (Adobe's Source Han Sans SC as published
 * by Google Fonts, SIL Open Font License 1.1) in its static regular and bold TrueType instances,
 * shipped by the npm package `@expo-google-fonts/noto-sans-sc` (ADR 0008). They cover the 20,976
 * CJK Unified Ideographs of U+4E00-9FFF and Extension A, but not Extension B and beyond.
 *
 * Each weight is read and parsed once per process and the parsed font is shared by every render:
 * pdf-lib asks its fontkit for a font per document, and re-parsing 10 MB per document would cost
 * more than the rest of a render.
 *
 * Subsetting goes through upstream `fontkit` 2, not pdf-lib's own fork `@pdf-lib/fontkit` 1.1.1:
 * that fork writes the subset's `loca` table in the short format without padding odd-length glyph
 * records, so with this font (half its glyph records have odd lengths) every glyph after the first
 * odd one comes out as garbage and viewers draw blanks. pdf-lib calls `subset.encodeStream()`, which
 * fontkit 2 replaced by `subset.encode()`; `forPdfLib` bridges the two.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { create as parseFont, type Font } from 'fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

/** What `PDFDocument.registerFontkit` takes (pdf-lib does not export the type by name). */
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];

const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;

export type FontWeight = keyof typeof FONT_FILES;

/** Drawn in place of a character the font has no glyph for; 缺字 are marked □ in Chinese typesetting. */
export const MISSING_GLYPH_MARK = '□';

interface LoadedFont {
  bytes: Uint8Array;
  font: Font;
  /** Advance widths in font units by code point, filled as characters are met. */
  advances: Map<number, number>;
}

const loaded = new Map<FontWeight, LoadedFont>();
const byBytes = new Map<Uint8Array, Font>();

function load(weight: FontWeight): LoadedFont {
  let entry = loaded.get(weight);
  if (!entry) {
    const path = createRequire(import.meta.url).resolve(FONT_FILES[weight]);
    const buffer = readFileSync(path);
    const parsed = parseFont(buffer);
    if (!('createSubset' in parsed)) throw new Error(`${path} is a font collection, not a single font`);
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    entry = { bytes, font: forPdfLib(parsed), advances: new Map() };
    loaded.set(weight, entry);
    byBytes.set(bytes, entry.font);
  }
  return entry;
}

function forPdfLib(font: Font): Font {
  const createSubset = font.createSubset.bind(font);
  font.createSubset = () => {
    const subset = createSubset();
    return Object.assign(subset, { encodeStream: () => Readable.from([subset.encode()]) });
  };
  return font;
}

/** The fontkit handed to pdf-lib: answers with the already parsed platform fonts, nothing else. */
const platformFontkit: Fontkit = {
  create(bytes: Uint8Array) {
    const font = byBytes.get(bytes);
    if (!font) throw new Error('only the platform document fonts can be embedded');
    // pdf-lib declares its own copy of fontkit's types; the object is the same fontkit Font.
    return font as unknown as ReturnType<Fontkit['create']>;
  },
};

/** Measures text in one weight without asking pdf-lib to shape it (which re-runs layout per call). */
export class FontMetrics {
  private readonly entry: LoadedFont;

  constructor(weight: FontWeight) {
    this.entry = load(weight);
  }

  /** Width of `text` at `size` points: the sum of the glyphs' advances (pdf-lib draws no kerning either). */
  width(text: string, size: number): number {
    const { font, advances } = this.entry;
    let units = 0;
    for (const char of text) {
      const cp = char.codePointAt(0)!;
      let advance = advances.get(cp);
      if (advance === undefined) {
        advance = font.glyphForCodePoint(cp).advanceWidth;
        advances.set(cp, advance);
      }
      units += advance;
    }
    return (units * size) / font.unitsPerEm;
  }

  has(codePoint: number): boolean {
    return this.entry.font.hasGlyphForCodePoint(codePoint);
  }

  get postscriptName(): string {
    return this.entry.font.postscriptName;
  }
}

/**
 * Characters dropped before drawing: control characters (line feeds are kept, tabs become
 * spaces elsewhere), zero-width characters and variation selectors, which only modify their
 * neighbour and have no glyph of their own.
 */
function isInvisible(cp: number): boolean {
  return (
    (cp < 0x20 && cp !== 0x0a) ||
    (cp >= 0x7f && cp < 0xa0) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    cp === 0xfeff ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

/** The distinct characters of `text` that the document font cannot draw (e.g. a rare 生僻字 in a name). */
export function missingCharacters(text: string): string[] {
  const metrics = new FontMetrics('regular');
  const missing = new Set<string>();
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (cp === 0x0a || cp === 0x09 || isInvisible(cp)) continue;
    if (!metrics.has(cp)) missing.add(char);
  }
  return [...missing];
}

/**
 * `text` as it will be drawn: tabs as spaces, invisible characters dropped, and each character
 * the font lacks replaced by □, so a missing glyph is visible rather than silently blank.
 */
export function drawableText(text: string): string {
  const metrics = new FontMetrics('regular');
  let out = '';
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (cp === 0x09) out += ' ';
    else if (isInvisible(cp)) continue;
    else if (cp === 0x0a || metrics.has(cp)) out += char;
    else out += MISSING_GLYPH_MARK;
  }
  return out;
}

export interface DocumentFonts {
  regular: PDFFont;
  bold: PDFFont;
}

/**
 * Embeds both weights into `pdf` as subsets (only the glyphs drawn end up in the file).
 * `content` is the document's text, or any string that differs when the text differs: it seeds
 * the six-letter subset tags (`ABCDEF+NotoSansSC-Regular`, ISO 32000-1 §9.6.4), so that equal
 * documents are byte-identical and two different subsets never share a font name.
 */
export async function embedDocumentFonts(pdf: PDFDocument, content: string): Promise<DocumentFonts> {
  pdf.registerFontkit(platformFontkit);
  const embed = (weight: FontWeight) => {
    const { bytes, font } = load(weight);
    return pdf.embedFont(bytes, { subset: true, customName: `${subsetTag(weight, content)}+${font.postscriptName}` });
  };
  return { regular: await embed('regular'), bold: await embed('bold') };
}

function subsetTag(weight: FontWeight, content: string): string {
  const digest = createHash('sha256').update(weight).update('\0').update(content).digest();
  let tag = '';
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + (digest[i]! % 26));
  return tag;
}
