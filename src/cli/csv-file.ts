import { constants } from 'node:buffer';
import * as fs from 'node:fs';
import { parseCsv, type CsvDelimiter, type CsvRecord } from '../engine';
import { InputError } from './files';
import type { CliPack } from './messages';
import type { AccountTable, InputRow } from './table';

export interface CsvInput {
  table: AccountTable;
  delimiter: CsvDelimiter;
  /** Lines before the header (blank ones), kept so the output keeps the file's shape. */
  leading: CsvRecord[];
  header: CsvRecord;
  /** A `sep=;` first line (European Excel), written back as it was. */
  separatorLine: string | undefined;
  /** The data records, aligned with `table.rows`. */
  records: CsvRecord[];
}

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * The text encoding of a file from its first bytes: a byte-order mark, else UTF-16 recognised by
 * its zero bytes (ASCII text in UTF-16 has a zero in every other byte, which UTF-8 never writes),
 * else UTF-8. Never a code page guess.
 */
export function detectEncoding(bytes: Uint8Array): Encoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const pairs = Math.floor(Math.min(bytes.length, 4096) / 2);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs; i++) {
    if (bytes[2 * i] === 0) evenZeros++;
    if (bytes[2 * i + 1] === 0) oddZeros++;
  }
  if (pairs > 0 && oddZeros >= pairs / 4 && evenZeros === 0) return 'utf-16le';
  if (pairs > 0 && evenZeros >= pairs / 4 && oddZeros === 0) return 'utf-16be';
  return 'utf-8';
}

/** Decodes a file's bytes: UTF-8 (with or without a BOM) or UTF-16 (with or without one). */
export function decodeText(bytes: Uint8Array, file: string, pack: CliPack): string {
  try {
    return new TextDecoder(detectEncoding(bytes), { fatal: true }).decode(bytes);
  } catch {
    // Past the longest string V8 makes, decoding fails too: say so, not "not UTF-8".
    if (bytes.length > constants.MAX_STRING_LENGTH) throw new InputError(pack.csvTooLarge({ file, mb: Math.round(bytes.length / 1e6) }));
    throw new InputError(pack.notUtf8({ file }));
  }
}

/**
 * Text we write that a spreadsheet would run as a formula (OWASP's CSV-injection advice): a tier
 * label, flag or message from a rule set that starts with = + - @ or a tab or carriage return gets
 * a leading apostrophe, which spreadsheets show as text. The user's own cells are never changed.
 */
export function inertText(text: string): string {
  // = + - @ tab CR (by code: this runs for every cell kam writes).
  const first = text.charCodeAt(0);
  return first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13 ? `'${text}` : text;
}

/** Reads a CSV file of accounts; malformed lines become rejected rows that keep their place. */
export function readCsvInput(file: string, pack: CliPack): CsvInput {
  const text = decodeText(fs.readFileSync(file), file, pack);
  const { records, delimiter, separatorLine } = parseCsv(text);
  const isBlankRecord = (r: CsvRecord): boolean => !r.problem && r.fields.every((f) => f.trim() === '');
  const headerIndex = records.findIndex((r) => !isBlankRecord(r));
  const header = records[headerIndex];
  if (!header) throw new InputError(pack.fileEmpty({ file }));
  if (header.problem) throw new InputError(pack.badHeaderLine({ file, line: header.line }));
  const width = header.fields.length;
  const data = records.slice(headerIndex + 1);
  const rows = data.map((record): InputRow => {
    const row: InputRow = { number: record.line, cells: record.fields, blank: isBlankRecord(record) };
    if (row.blank) return row;
    if (record.problem === 'unterminatedQuote') row.rejected = pack.unterminatedQuote({ line: record.line });
    else if (record.problem === 'textAfterQuote') row.rejected = pack.textAfterQuote({ line: record.line });
    else if (record.fields.length !== width) {
      // Never shift values into other columns: the row is kept as it is and reported.
      row.rejected = pack.fieldCount({ line: record.line, fields: record.fields.length, expected: width });
    }
    if (row.rejected) {
      row.original = record.text;
      row.cells = [];
    }
    return row;
  });
  return {
    table: { rowKind: 'line', headers: header.fields.map((h) => h.trim()), rows, width },
    delimiter,
    leading: records.slice(0, headerIndex),
    header,
    separatorLine,
    records: data,
  };
}

/** A number as a CSV field: with the decimals of its number format ("0.0" → 72.5), else as it is. */
export function csvNumber(value: number, numberFormat: string | undefined): string {
  let decimals = decimalsOf.get(numberFormat);
  if (decimals === undefined) decimalsOf.set(numberFormat, (decimals = /^0\.(0+)$/.exec(numberFormat ?? '')?.[1]?.length ?? -1));
  return decimals < 0 ? String(value) : value.toFixed(decimals);
}

/** The decimals of each number format seen ("0.0" → 1; -1 for none): csvNumber runs for every cell written. */
const decimalsOf = new Map<string | undefined, number>();
