import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvError, csvLine, parseCsv } from './csv.js';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv', () => {
  it('reads plain records with LF, CRLF and CR line ends, and numbers their lines', () => {
    expect(parseCsv('a,b\n1,2\n')).toEqual([{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['1', '2'] }]);
    expect(fields('a,b\r\n1,2\r\n3,4')).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    expect(fields('a,b\r1,2\r')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('ignores a UTF-8 byte order mark (what Excel writes) but keeps one inside a field', () => {
    expect(fields('\uFEFFidNumber,name\n1,张三')).toEqual([['idNumber', 'name'], ['1', '张三']]);
    expect(fields('a,"\uFEFFb"')).toEqual([['a', '\uFEFFb']]);
  });

  it('reads quoted fields with separators, doubled quotes and line breaks inside', () => {
    expect(fields('"a,b","say ""hi""","line1\nline2"\nx,y,z')).toEqual([['a,b', 'say "hi"', 'line1\nline2'], ['x', 'y', 'z']]);
    expect(fields('"",x,""')).toEqual([['', 'x', '']]);
    expect(fields('"a\r\nb",c')).toEqual([['a\r\nb', 'c']]);
  });

  it('keeps empty fields and counts lines across quoted line breaks', () => {
    expect(fields('a,,c\n,,\n')).toEqual([['a', '', 'c'], ['', '', '']]);
    const records = parseCsv('h1,h2\n"multi\nline",1\nnext,2\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('skips blank lines, but not a line holding an empty quoted field', () => {
    expect(fields('a\n\n\nb\n')).toEqual([['a'], ['b']]);
    expect(fields('a\n""\nb')).toEqual([['a'], [''], ['b']]);
    expect(fields('')).toEqual([]);
    expect(fields('\n\n')).toEqual([]);
  });

  it('keeps spaces as written', () => {
    expect(fields(' a , b ')).toEqual([[' a ', ' b ']]);
  });

  it.each([
    ['a"b,c', 1, 'quote_in_unquoted_field'],
    ['x\n "a",b', 2, 'quote_in_unquoted_field'],
    ['"a"b,c', 1, 'text_after_closing_quote'],
    ['ok\n"never closed,1\n2', 2, 'unterminated_quote'],
    ['"a" ,b', 1, 'text_after_closing_quote'],
  ])('refuses %j at line %i (%s)', (text, line, problem) => {
    try {
      parseCsv(text);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CsvError);
      expect(err).toMatchObject({ line, problem });
    }
  });

  it('reads back whatever csvLine writes (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', '张', ',', '"', '\n', '\r', ' ', '1', '\uFEFF') });
    const table = fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(table, (rows) => {
        const text = rows.map(csvLine).join('\r\n');
        // A record whose only field is empty is a blank line on the way back: not what we write.
        expect(fields(text)).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });
});
