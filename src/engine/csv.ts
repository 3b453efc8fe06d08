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
  /** Default: a `sep=` first line's, else detected from the first record (see detectDelimiter). */
  delimiter?: CsvDelimiter;
}

export interface CsvParse {
  records: CsvRecord[];
  delimiter: CsvDelimiter;
  /** Set when the text started with a `sep=` line (European Excel): that line, which is not a record. */
  separatorLine?: string;
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

/**
 * The longest record a quoted field may stretch to over several lines. A quote that has not closed
 * by then is taken as stray (it costs its own line), so that one stray quote can neither fold the
 * rest of a file into one cell nor make a streaming reader hold the whole file. Excel keeps at most
 * 32,767 characters in a cell.
 */
export const MAX_RECORD_LENGTH = 1 << 20;

/** `sep=;` as European Excel writes it on a file's first line: the delimiter, said outright. */
const SEPARATOR_LINE = /^sep=([,;\t])(?:\r\n|\r|\n|$)/i;

const SPECIAL = /[\r\n"]/g;

/**
 * Reads CSV text in chunks, handing back each record once it is complete, so that a file of any
 * size is read in bounded memory. parseCsv is this reader given the whole text at once.
 *
 * A record that a quote stretched over several lines and that then does not read cleanly (text
 * after its closing quote, or not as many fields as the header) was opened by a stray quote: only
 * its first line is rejected, and reading goes on from the next line.
 */
export class CsvReader {
  delimiter: CsvDelimiter | undefined;
  /** The `sep=` line the text started with, as written (without its line break). */
  separatorLine: string | undefined;
  /** Fields in the first record with any text (the header): what a record spanning lines must have. */
  private expected: number | undefined;
  private buffer = '';
  private line = 1;
  private started = false;

  constructor(options: CsvParseOptions = {}) {
    const given: unknown = typeof options === 'object' && options !== null ? options.delimiter : undefined;
    this.delimiter = given === ',' || given === ';' || given === '\t' ? given : undefined;
  }

  /**
   * A reader for text that continues a file after a record boundary (a part of a file read on its
   * own): no byte-order mark, sep= line or delimiter to find, records as wide as the file's header,
   * lines counted from 1 (the caller adds the lines before). Reads what a reader of the whole file
   * would from that boundary on.
   */
  static continuing(delimiter: CsvDelimiter, headerFields: number): CsvReader {
    const reader = new CsvReader({ delimiter });
    reader.started = true;
    reader.delimiter ??= ',';
    if (typeof headerFields === 'number' && Number.isInteger(headerFields) && headerFields > 0) reader.expected = headerFields;
    return reader;
  }

  /** A reader in the same state, to try text on without changing this one. */
  copy(): CsvReader {
    const copy = new CsvReader();
    Object.assign(copy, this);
    return copy;
  }

  /** Text is waiting for more to finish a record: false exactly at a record boundary. */
  get pending(): boolean {
    return this.buffer !== '' || !this.started;
  }

  /** The line the next record starts on. */
  get nextLine(): number {
    return this.line;
  }

  /** Adds text; returns the records it completes. `final` says no more text follows. */
  push(chunk: string, final = false): CsvRecord[] {
    let text = this.buffer + (typeof chunk === 'string' ? chunk : '');
    final = final === true;
    const records: CsvRecord[] = [];
    if (!this.started) {
      // The first line decides the byte-order mark, a sep= line and the delimiter.
      // The whole first line, up to a line break outside quotes: the delimiter is counted over it.
      if (!final && !firstLineRead(text) && text.length < MAX_RECORD_LENGTH) {
        this.buffer = text;
        return records;
      }
      this.started = true;
      if (text.startsWith(BOM)) text = text.slice(1);
      const sep = this.delimiter === undefined ? SEPARATOR_LINE.exec(text) : null;
      if (sep) {
        this.separatorLine = text.slice(0, 5);
        this.delimiter = sep[1] as CsvDelimiter;
        text = text.slice(sep[0].length);
        this.line = 2;
      }
      this.delimiter ??= detectDelimiter(text);
    }
    let pos = 0;
    while (pos < text.length) {
      const read = this.readRecord(text, pos, final);
      if (!read) break;
      records.push(read.record);
      pos = read.next;
    }
    this.buffer = pos === 0 ? text : text.slice(pos);
    return records;
  }

  /** The record starting at `start`, or undefined when the text ends before it does and more may follow. */
  private readRecord(text: string, start: number, final: boolean): { record: CsvRecord; next: number } | undefined {
    const delimiter = this.delimiter as CsvDelimiter;
    const length = text.length;
    const startLine = this.line;
    // Fastest path, most lines: up to a line feed, no quote and no carriage return but the one
    // before that line feed (what follows does the same, more generally, with a regular expression).
    const feed = text.indexOf('\n', start);
    if (feed >= 0) {
      const end = feed > start && text.charCodeAt(feed - 1) === 13 ? feed - 1 : feed;
      const lineText = text.slice(start, end);
      if (lineText.indexOf('"') < 0 && lineText.indexOf('\r') < 0) {
        this.line = startLine + 1;
        return { record: this.seen({ fields: lineText.split(delimiter), line: startLine, text: lineText }), next: feed + 1 };
      }
    }
    SPECIAL.lastIndex = start;
    const special = SPECIAL.exec(text);
    // Fast path: a line without quotes.
    if (!special || special[0] !== '"') {
      const end = special ? special.index : length;
      if (!special && !final) return undefined;
      if (special && text[end] === '\r' && end + 1 >= length && !final) return undefined; // \r\n split across chunks?
      const next = !special ? length : text[end] === '\r' && text[end + 1] === '\n' ? end + 2 : end + 1;
      const lineText = text.slice(start, end);
      this.line = startLine + 1;
      return { record: this.seen({ fields: lineText.split(delimiter), line: startLine, text: lineText }), next };
    }

    const fields: string[] = [];
    let field = '';
    let problem: CsvQuoteProblem | undefined;
    let atFieldStart = true;
    let quoted = false; // inside a quoted field
    let afterQuote = false; // a quoted field has closed; only a delimiter or line break may follow
    let end = -1; // where the record's text ends (before its line break)
    let next = length; // where the next record starts
    let lines = 0; // line breaks inside quotes
    let pos = start;

    while (pos < length) {
      const ch = text[pos] as string;
      if (quoted) {
        if (ch === '"') {
          if (pos + 1 >= length && !final) return this.tooLong(text, start, final); // "" split across chunks?
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
        if (ch === '\n' || (ch === '\r' && text[pos + 1] !== '\n')) lines++;
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
        if (ch === '\r' && pos + 1 >= length && !final) return this.tooLong(text, start, final);
        end = pos;
        next = ch === '\r' && text[pos + 1] === '\n' ? pos + 2 : pos + 1;
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

    if (end < 0 && !final) return this.tooLong(text, start, final);
    if (quoted) return this.strayQuote(text, start);
    fields.push(field);
    if (end < 0) end = length;
    if (lines > 0 && (problem !== undefined || (this.expected !== undefined && fields.length !== this.expected))) {
      return this.strayQuote(text, start);
    }
    this.line = startLine + lines + 1;
    const record: CsvRecord = { fields, line: startLine, text: text.slice(start, end) };
    if (problem) record.problem = problem;
    return { record: this.seen(record), next };
  }

  /** More text is needed to finish the record, unless it has already run too long to be one. */
  private tooLong(text: string, start: number, final: boolean): { record: CsvRecord; next: number } | undefined {
    if (final || text.length - start < MAX_RECORD_LENGTH) return undefined;
    const firstBreak = lineBreakAt(text, start);
    return firstBreak < text.length - 1 ? this.strayQuote(text, start) : undefined;
  }

  /** A quote that does not close where a field could end: its first line is rejected, on its own. */
  private strayQuote(text: string, start: number): { record: CsvRecord; next: number } {
    const lineEnd = lineBreakAt(text, start);
    const next = lineEnd >= text.length ? text.length : text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? lineEnd + 2 : lineEnd + 1;
    const raw = text.slice(start, lineEnd);
    const record: CsvRecord = { fields: [raw], line: this.line, text: raw, problem: 'unterminatedQuote' };
    this.line++;
    return { record, next };
  }

  private seen(record: CsvRecord): CsvRecord {
    if (this.expected === undefined && !record.problem && record.fields.some((f) => f.trim() !== '')) this.expected = record.fields.length;
    return record;
  }
}

/** Parses CSV text. Never throws: quoting problems are marked on the record they concern. */
export function parseCsv(input: string, options: CsvParseOptions = {}): CsvParse {
  const reader = new CsvReader(options);
  const records = reader.push(typeof input === 'string' ? input : '', true);
  const parse: CsvParse = { records, delimiter: reader.delimiter ?? ',' };
  if (reader.separatorLine !== undefined) parse.separatorLine = reader.separatorLine;
  return parse;
}

/** Whether the text holds its first line whole: a line break outside quotes (a CR at the very end may be half a CRLF). */
function firstLineRead(text: string): boolean {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) return ch === '\n' || i + 1 < text.length;
  }
  return false;
}

function lineBreakAt(text: string, from: number): number {
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

const quoted = (field: string): string => `"${field.replace(/"/g, '""')}"`;

/**
 * One field as writeCsv writes it inside a row: quoted (quotes doubled) when it holds the
 * delimiter, a quote or a line break, else as it is. For a writer that builds its lines itself.
 */
export function csvField(field: string, delimiter: CsvDelimiter = ','): string {
  const text = fieldText(field);
  const d = delimiter === ';' || delimiter === '\t' ? delimiter : ',';
  return text.includes(d) || text.includes('"') || text.includes('\n') || text.includes('\r') ? quoted(text) : text;
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
      const mustQuote =
        // A row of one empty field would be an empty line, which reads as no row at the end of a file.
        (row.length === 1 && field === '') ||
        // A leading U+FEFF in the very first field would be taken for a byte-order mark.
        (r === 0 && c === 0 && !options.bom && field.startsWith(BOM));
      return mustQuote ? quoted(field) : csvField(field, delimiter);
    });
    parts.push(line.join(delimiter), lineBreak);
  });
  return parts.join('');
}
