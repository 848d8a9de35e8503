import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wrapText } from './wrap.js';

/** Monospaced stand-in for the font: ideographs and fullwidth punctuation 2 units, the rest 1. */
const width = (text: string) => [...text].reduce((sum, char) => sum + (char.codePointAt(0)! >= 0x2e80 || '“”‘’'.includes(char) ? 2 : 1), 0);
const texts = (text: string, max: number) => wrapText(text, max, width).map((line) => line.text);

describe('wrapText', () => {
  it('breaks Chinese between any two characters and fills each line', () => {
    expect(texts('申请材料齐全符合法定形式', 8)).toEqual(['申请材料', '齐全符合', '法定形式']);
  });

  it('keeps Latin words, numbers and URLs whole and drops the space at a break', () => {
    expect(texts('请登录 gdzwfw.gov.cn 查询', 15)).toEqual(['请登录', 'gdzwfw.gov.cn', '查询']);
    expect(texts('version 3.14 applies', 10)).toEqual(['version', '3.14', 'applies']);
    expect(texts('受理编号20261126号', 10)).toEqual(['受理编号', '20261126号']);
  });

  it('breaks a word wider than the line between its characters', () => {
    expect(texts('https://a.gov.cn/abcdef', 10)).toEqual(['https://a.', 'gov.cn/abc', 'def']);
  });

  it('never starts a line with closing punctuation nor ends one with opening punctuation', () => {
    // 。 would start the second line and （ end the first: both move with their neighbour.
    expect(texts('甲乙丙。丁', 6)).toEqual(['甲乙', '丙。丁']);
    expect(texts('甲乙（丙）', 6)).toEqual(['甲乙', '（丙）']);
    expect(texts('材料“甲”，', 8)).toEqual(['材料', '“甲”，']);
    expect(texts('申请人,请补正', 6)).toEqual(['申请', '人,请', '补正']);
  });

  it('breaks at line feeds and marks the last line of each paragraph', () => {
    expect(wrapText('甲乙丙\n丁\n\n戊', 4, width)).toEqual([
      { text: '甲乙', last: false },
      { text: '丙', last: true },
      { text: '丁', last: true },
      { text: '', last: true },
      { text: '戊', last: true },
    ]);
    expect(wrapText('', 10, width)).toEqual([{ text: '', last: true }]);
  });

  it('loses no character but the spaces at breaks, and never overfills a line', () => {
    const char = fc.constantFrom(...'申请材料齐全。，（）“”abc123. ');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 80 }).map((chars) => chars.join('')), fc.integer({ min: 4, max: 30 }), (text, max) => {
        const lines = wrapText(text, max, width);
        expect(lines.map((l) => l.text).join('').replaceAll(' ', '')).toBe(text.replaceAll(' ', ''));
        for (const line of lines) {
          expect(line.text.startsWith(' ') || line.text.endsWith(' ')).toBe(false);
          expect(width(line.text)).toBeLessThanOrEqual(max);
        }
      }),
    );
  });
});
