/**
 * Line breaking for mixed Chinese and Latin text. Chinese breaks between any two characters;
 * Latin words, numbers and URLs stay whole unless one alone is wider than the line. The usual
 * Chinese rules (避头尾, GB/T 15834 punctuation) are kept: a line never starts with closing
 * punctuation (，。、）》 …) and never ends with opening punctuation (（《“ …).
 */

/** Characters that may not start a line: they stay with the character before them. */
const CLOSING = new Set([...'，。、；：？！）】》〕」』〉”’…—·％,.;:?!)]}%']);
/** Characters that may not end a line: they stay with the character after them. */
const OPENING = new Set([...'（【《〔「『〈“‘([{']);

/**
 * Whether a line may break on either side of this character: CJK ideographs, kana, fullwidth
 * forms and Chinese punctuation. ASCII punctuation belongs to the word around it (3.14, a.gov.cn).
 */
function breaksAlone(char: string): boolean {
  const cp = char.codePointAt(0)!;
  return cp >= 0x2e80 || (cp > 0x7f && (CLOSING.has(char) || OPENING.has(char)));
}

export interface Line {
  text: string;
  /** True for the last line of a paragraph (or before a line feed): it is not justified. */
  last: boolean;
}

interface Unit {
  text: string;
  /** A space separated this unit from the previous one. */
  spaced: boolean;
}

/** Cuts a paragraph (no line feeds) into units that must not be broken inside. */
function units(paragraph: string): Unit[] {
  const out: Unit[] = [];
  let word = '';
  let spaced = false;
  let glueNext = false;
  const push = (text: string) => {
    const previous = out[out.length - 1];
    if (previous && (glueNext || (CLOSING.has(text[0]!) && !spaced))) previous.text += text;
    else out.push({ text, spaced });
    glueNext = OPENING.has([...text].pop()!);
    spaced = false;
  };
  const flushWord = () => {
    if (word) push(word);
    word = '';
  };
  for (const char of paragraph) {
    if (char === ' ') {
      flushWord();
      if (out.length > 0) spaced = true;
    } else if (breaksAlone(char)) {
      flushWord();
      push(char);
    } else {
      word += char;
    }
  }
  flushWord();
  return out;
}

/**
 * Breaks `text` into lines no wider than `maxWidth` as measured by `width`. Line feeds force a
 * break; spaces at a break are dropped.
 */
export function wrapText(text: string, maxWidth: number, width: (text: string) => number): Line[] {
  const lines: Line[] = [];
  for (const paragraph of text.split('\n')) {
    const start = lines.length;
    let line = '';
    let lineWidth = 0;
    const flush = () => {
      lines.push({ text: line, last: false });
      line = '';
      lineWidth = 0;
    };
    for (const unit of units(paragraph)) {
      const gap = line && unit.spaced ? ' ' : '';
      const unitWidth = width(gap + unit.text);
      if (lineWidth + unitWidth <= maxWidth) {
        line += gap + unit.text;
        lineWidth += unitWidth;
        continue;
      }
      if (line) flush();
      if (width(unit.text) <= maxWidth) {
        line = unit.text;
        lineWidth = width(unit.text);
        continue;
      }
      // A single unit wider than the line (a long URL or code): break it between characters.
      for (const char of unit.text) {
        const charWidth = width(char);
        if (line && lineWidth + charWidth > maxWidth) flush();
        line += char;
        lineWidth += charWidth;
      }
    }
    if (line || lines.length === start) flush();
    lines[lines.length - 1]!.last = true;
  }
  return lines;
}
