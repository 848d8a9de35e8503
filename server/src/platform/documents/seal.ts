/**
 * The conventional red round seal of a Chinese government body (公章): a ring, a five-pointed star
 * in the middle, the body's name along the upper arc reading clockwise, and optionally the seal's
 * purpose (e.g. 行政审批专用章) on a line under the star. Drawn when a department has no seal image
 * on file; it is a picture, not an electronic seal: the signature that makes a document
 * verifiable (GB/T 38540, SM2) is applied to the file separately.
 */
import { degrees, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';

/** 42 mm: the diameter usual for the seals of government bodies below provincial level. */
export const SEAL_DIAMETER = (42 * 72) / 25.4;
export const SEAL_RED = rgb(0.84, 0.07, 0.07);
/** Seal ink lets the printed text under it show through, as on paper. */
const INK_OPACITY = 0.88;
/** Largest angle the name may cover, centred on the top of the seal. */
const MAX_ARC = (250 * Math.PI) / 180;
/** Height of the centre of a CJK ideograph above its baseline, in ems (the em box spans -0.12..0.88). */
const IDEOGRAPH_MIDDLE = 0.38;

export interface SealOptions {
  /** Centre of the seal, in points from the page's bottom-left corner. */
  x: number;
  y: number;
  /** Written along the upper arc, usually the department's full name. */
  text: string;
  /** Written horizontally under the star, e.g. 行政审批专用章. */
  label?: string;
  /** A font that has the seal's characters (a bold weight looks closest to a carved seal). */
  font: PDFFont;
  diameter?: number;
  color?: RGB;
}

export function drawSeal(page: PDFPage, options: SealOptions): void {
  const { x, y, font } = options;
  const color = options.color ?? SEAL_RED;
  const radius = (options.diameter ?? SEAL_DIAMETER) / 2;
  const ring = radius * 0.055;

  page.drawCircle({ x, y, size: radius - ring / 2, borderWidth: ring, borderColor: color, borderOpacity: INK_OPACITY });
  drawStar(page, x, y, radius / 3, color);

  const chars = [...options.text.trim()];
  if (chars.length > 0) {
    // The largest size at which the characters, a little apart, fit in MAX_ARC at their radius.
    const outer = radius * 0.95 - ring;
    const size = Math.min(radius * 0.28, (MAX_ARC * outer) / (1.1 * chars.length + MAX_ARC / 2));
    const middle = outer - size / 2;
    const step = Math.min(MAX_ARC / chars.length, (size * 1.6) / middle);
    chars.forEach((char, i) => {
      const angle = Math.PI / 2 + ((chars.length - 1) / 2 - i) * step;
      const turn = angle - Math.PI / 2;
      const half = font.widthOfTextAtSize(char, size) / 2;
      const lift = IDEOGRAPH_MIDDLE * size;
      page.drawText(char, {
        x: x + middle * Math.cos(angle) - half * Math.cos(turn) + lift * Math.sin(turn),
        y: y + middle * Math.sin(angle) - half * Math.sin(turn) - lift * Math.cos(turn),
        size,
        font,
        color,
        opacity: INK_OPACITY,
        rotate: degrees((turn * 180) / Math.PI),
      });
    });
  }

  const label = options.label?.trim();
  if (label) {
    const maxWidth = radius * 1.2;
    const size = Math.min(radius * 0.2, (radius * 0.2 * maxWidth) / font.widthOfTextAtSize(label, radius * 0.2));
    page.drawText(label, {
      x: x - font.widthOfTextAtSize(label, size) / 2,
      y: y - radius * 0.58,
      size,
      font,
      color,
      opacity: INK_OPACITY,
    });
  }
}

function drawStar(page: PDFPage, x: number, y: number, outer: number, color: RGB): void {
  // Inner radius of a regular pentagram: outer x sin 18° / sin 126°.
  const inner = outer * 0.382;
  const points: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const angle = Math.PI / 2 + (i * Math.PI) / 5;
    // SVG paths run downwards: y is negated relative to the page.
    points.push(`${(r * Math.cos(angle)).toFixed(3)} ${(-r * Math.sin(angle)).toFixed(3)}`);
  }
  page.drawSvgPath(`M ${points.join(' L ')} Z`, { x, y, color, opacity: INK_OPACITY, borderWidth: 0 });
}
