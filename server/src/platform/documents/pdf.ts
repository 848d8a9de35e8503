/**
 * Renders the platform's written notices and decisions (受理通知书, 不予受理通知书, 一次性告知书,
 * 容缺受理通知书, 准予/不予许可决定书 …) as A4 PDFs: title, document number, addressee, body,
 * an optional table (e.g. the materials to correct and why), the issuing department and date
 * with its seal, an optional QR code and a footer. The page follows the habits of GB/T 9704
 * (the layout of official documents) where they fit a notice: a 156 mm text column, paragraphs
 * indented two characters and justified, the date right-aligned four characters in from the
 * margin with the issuer centred above it, and the seal pressed over both, its top within a line
 * of the text. ADR 0008 records the choices (font, PDF rather than OFD).
 */
import { isIsoDate } from '../time.js';

export interface DocumentSpec {
  /** e.g. 受理通知书 */
  title: string;
  /** Document number, e.g. 深市监受〔2026〕00012号 */
  number?: string;
  /** e.g. 张三： */
  addressee?: string;
  /** Body paragraphs; a line feed inside one forces a line break. */
  paragraphs: string[];
  /** e.g. the materials to correct, with the reasons. */
  table?: { columns: string[]; rows: string[][] };
  /** Issuing department, printed above the date. */
  issuer: string;
  /** `YYYY-MM-DD`, printed as 2026年11月26日. */
  date: string;
  /** A QR code (e.g. a verification URL) at the bottom left, with a caption under it. */
  qr?: { text: string; caption?: string };
  /**
   * The department's seal: its PNG image, or else a drawn red round seal with `text` (default:
   * the issuer) along the arc and `label` (e.g. 行政审批专用章) under the star. No seal when absent.
   */
  seal?: { imagePng?: Uint8Array; text?: string; label?: string };
  /** Small print at the bottom of every page. */
  footer?: string;
}

export interface RenderOptions {
  /** Creation and modification date in the file's metadata; now by default. */
  createdAt?: Date;
}

/** `2026-11-26` as 2026年11月26日 (GB/T 9704: Arabic numerals, no leading zeros). */
export function chineseDate(date: string): string {
  if (!isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const [year, month, day] = date.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

/** The document as a PDF. Bad input (no title, a malformed date, a ragged table) is a RangeError. */
export async function renderDocument(spec: DocumentSpec, options: RenderOptions = {}): Promise<Uint8Array> {
  const { render } = await import('./render.js');
  return render(spec, options);
}
