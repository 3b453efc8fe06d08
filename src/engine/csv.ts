/**
 * CSV as RFC 4180 writes it (quoted fields, doubled quotes, line breaks inside quotes, CRLF), read
 * without guessing: every record keeps its line number and its source text, so a reader can report
 * a malformed record where it is and keep it verbatim instead of shifting its values. Pure: text in,
 * records out; files are the caller's business.
 */

export type CsvDelimiter = ',' | ';' | '\t';

/** What is wrong with a record's quoting, when anything is. */
export type CsvQuoteProblem =
  /** A quoted field runs to the end of the text: the record is taken as its one physical line. */
  | 'unterminatedQuote'
  /** Text follows a field's closing quote (`"ab"c`): where the field ends is a guess. */
  | 'textAfterQuote';

export interface CsvRecord {
  fields: string[];
  /** 1-based line on which the record starts (a record may span lines inside quotes). */
  line: number;
  /** The record's source text, without its line break: what to show or keep when it is malformed. */
  text: string;
  problem?: CsvQuoteProblem;
}

export interface CsvParseOptions {
  /** Default: detected from the first record (see detectDelimiter). */
  delimiter?: CsvDelimiter;
}

export interface CsvParse {
  records: CsvRecord[];
  delimiter: CsvDelimiter;
}

const BOM = '\uFEFF';

/**
 * The delimiter the header line uses: a comma unless the first line holds more semicolons or tabs
 * than commas (exports from locales that write decimal commas use `;`, "Unicode text" uses tabs).
 * Quoted text is not counted.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  if (typeof text !== 'string') return ',';
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = text.startsWith(BOM) ? 1 : 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  const best = counts[';'] >= counts['\t'] ? ';' : '\t';
  return counts[best] > counts[','] ? best : ',';
}

/** Parses CSV text. Never throws: quoting problems are marked on the record they concern. */
export function parseCsv(input: string, options: CsvParseOptions = {}): CsvParse {
  if (typeof input !== 'string') input = '';
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const given: unknown = typeof options === 'object' && options !== null ? options.delimiter : undefined;
  const delimiter: CsvDelimiter = given === ',' || given === ';' || given === '\t' ? given : detectDelimiter(text);
  const records: CsvRecord[] = [];
  const length = text.length;
  let pos = 0;
  let line = 1;

  while (pos < length) {
    const start = pos;
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let problem: CsvQuoteProblem | undefined;
    let atFieldStart = true;
    let quoted = false; // inside a quoted field
    let afterQuote = false; // a quoted field has closed; only a delimiter or line break may follow
    let end = -1; // where the record's text ends (before its line break)
    let next = length; // where the next record starts

    while (pos < length) {
      const ch = text[pos] as string;
      if (quoted) {
        if (ch === '"') {
          if (text[pos + 1] === '"') {
            field += '"';
            pos += 2;
          } else {
            quoted = false;
            afterQuote = true;
            pos++;
          }
          continue;
        }
        if (ch === '\n' || (ch === '\r' && text[pos + 1] !== '\n')) line++;
        field += ch;
        pos++;
        continue;
      }
      if (ch === delimiter) {
        fields.push(field);
        field = '';
        atFieldStart = true;
        afterQuote = false;
        pos++;
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        end = pos;
        next = ch === '\r' && text[pos + 1] === '\n' ? pos + 2 : pos + 1;
        line++;
        break;
      }
      if (ch === '"' && atFieldStart) {
        quoted = true;
        atFieldStart = false;
        pos++;
        continue;
      }
      // A quote inside an unquoted field (12" pipe) can only be literal; text after a closing
      // quote cannot be read without guessing where the field was meant to end.
      if (afterQuote) problem ??= 'textAfterQuote';
      field += ch;
      atFieldStart = false;
      pos++;
    }

    if (quoted) {
      // The quote never closes: keep the record to its first physical line and read on from the
      // next, so one stray quote costs one line, not the rest of the file.
      const lineEnd = firstLineBreak(text, start);
      end = lineEnd;
      next = lineEnd >= length ? length : text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? lineEnd + 2 : lineEnd + 1;
      line = startLine + (lineEnd >= length ? 0 : 1);
      const raw = text.slice(start, end);
      records.push({ fields: [raw], line: startLine, text: raw, problem: 'unterminatedQuote' });
      pos = next;
      continue;
    }
    fields.push(field);
    if (end < 0) end = length;
    const record: CsvRecord = { fields, line: startLine, text: text.slice(start, end) };
    if (problem) record.problem = problem;
    records.push(record);
    pos = next;
  }
  return { records, delimiter };
}

function firstLineBreak(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n' || ch === '\r') return i;
  }
  return text.length;
}

/** A field to write: texts as they are, numbers and booleans as their text, nothing else. */
function fieldText(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

export interface CsvWriteOptions {
  delimiter?: CsvDelimiter;
  /** Default CRLF, as RFC 4180 and Excel write it. */
  lineBreak?: '\r\n' | '\n';
  /** Start with a UTF-8 byte-order mark (U+FEFF). */
  bom?: boolean;
}

/** Writes rows as CSV, quoting only the fields that need it; parseCsv reads the result back exactly. */
export function writeCsv(rows: ReadonlyArray<ReadonlyArray<string>>, options: CsvWriteOptions = {}): string {
  if (typeof options !== 'object' || options === null) options = {};
  const delimiter = options.delimiter === ';' || options.delimiter === '\t' ? options.delimiter : ',';
  const lineBreak = options.lineBreak === '\n' ? '\n' : '\r\n';
  const parts: string[] = options.bom === true ? [BOM] : [];
  (Array.isArray(rows) ? rows : []).forEach((given: unknown, r) => {
    const row = Array.isArray(given) ? (given as unknown[]).map(fieldText) : [];
    const line = row.map((field, c) => {
      const needsQuotes =
        field.includes(delimiter) ||
        field.includes('"') ||
        field.includes('\n') ||
        field.includes('\r') ||
        // A row of one empty field would be an empty line, which reads as no row at the end of a file.
        (row.length === 1 && field === '') ||
        // A leading U+FEFF in the very first field would be taken for a byte-order mark.
        (r === 0 && c === 0 && !options.bom && field.startsWith(BOM));
      return needsQuotes ? `"${field.replace(/"/g, '""')}"` : field;
    });
    parts.push(line.join(delimiter), lineBreak);
  });
  return parts.join('');
}
