/**
 * A small, strict CSV reader (RFC 4180) for dataset uploads. Written here rather than taken from a
 * package because what the platform needs is narrow and must be exact: comma separators; fields
 * optionally in double quotes, with `""` for a quote and line breaks allowed inside quotes; CRLF,
 * LF or CR line ends; a UTF-8 byte order mark (what Excel writes) ignored; blank lines skipped.
 * Anything ambiguous is an error naming the line, never a guess: a quote inside an unquoted field,
 * text after a closing quote, a quote left open at the end.
 */

export interface CsvRecord {
  /** Line (1-based) on which the record starts. */
  line: number;
  fields: string[];
}

export type CsvProblem = 'quote_in_unquoted_field' | 'text_after_closing_quote' | 'unterminated_quote';

export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly problem: CsvProblem,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'CsvError';
  }
}

export function parseCsv(input: string): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  /** Whether the current record has seen any character (a separator counts). */
  let started = false;

  const endRecord = () => {
    fields.push(field);
    // A blank line is one empty field: skip it rather than make an empty record.
    if (!(fields.length === 1 && fields[0] === '' && !started)) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    started = false;
  };

  while (i < n) {
    const c = text[i]!;
    if (c === '"' && field === '') {
      // quoted field
      started = true;
      i++;
      const quoteLine = line;
      let closed = false;
      while (i < n) {
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        if (q === '\r') {
          // keep the line break as written, but count it once
          field += q;
          if (text[i + 1] === '\n') {
            field += '\n';
            i++;
          }
          line++;
          i++;
          continue;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      if (!closed) throw new CsvError(quoteLine, 'unterminated_quote');
      const next = text[i];
      // After the closing quote only a separator, a line end or the end of the text may follow,
      // so the loop never meets this field again with a quote in it.
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw new CsvError(line, 'text_after_closing_quote');
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      started = true;
      i++;
      continue;
    }
    if (c === '\n' || c === '\r') {
      endRecord();
      if (c === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
      recordLine = line;
      continue;
    }
    if (c === '"') throw new CsvError(line, 'quote_in_unquoted_field');
    field += c;
    started = true;
    i++;
  }
  if (started || field !== '' || fields.length > 0) endRecord();
  return records;
}

/** Writes one CSV line (for exports and tests): quotes a field only when it needs it. */
export function csvLine(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) || f.startsWith('\uFEFF') ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}
