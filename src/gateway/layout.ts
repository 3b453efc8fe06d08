/**
 * Pure layout decisions shared by both gateways: addresses, header detection, which columns are
 * KAM's own, where new columns go, how rows are cut into chunks under the request limit, and which
 * texts must be protected from Excel's typing rules. No Office.js here, so it is tested directly.
 */
import { columnLetters, EXCEL_ERRORS, isBlankCell } from '../engine/cells';
import { LABEL_PACKS } from '../engine/i18n/labels';
import { markedColumn, markReference, resultKeyOfName, resultMarkName } from '../engine/marks';
import { LANGUAGES } from '../engine/types';
import { normalizeWord } from '../engine/words';
import {
  RESULT_KEYS,
  type Cell,
  type DataColumn,
  type DataRegion,
  type FilterChoice,
  type ResultColumn,
  type ResultKey,
  type SummarySheet,
  type TableData,
  type WriteReport,
} from './types';

// ---- Addresses ----

/** The engine's column letters (0 → A, 26 → AA), offered here too beside the A1 helpers built on them. */
export { columnLetters };

/** A1 address of one cell. */
export function cellA1(row: number, col: number): string {
  return `${columnLetters(col)}${row + 1}`;
}

/** A1 address of a rectangle, without sheet. */
export function rangeA1(row: number, col: number, rowCount: number, colCount: number): string {
  const first = cellA1(row, col);
  if (rowCount === 1 && colCount === 1) return first;
  return `${first}:${cellA1(row + rowCount - 1, col + colCount - 1)}`;
}

/**
 * A sheet name as a formula writes it: bare when it is letters (in any script), digits, _ and .
 * starting with a letter and not readable as a cell reference; quoted otherwise.
 */
export function quoteSheet(sheet: string): string {
  const bare = /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(sheet) && !/^[A-Za-z]{1,3}\d+$/.test(sheet) && !/^R\d*C\d*$/i.test(sheet);
  return bare ? sheet : `'${sheet.replace(/'/g, "''")}'`;
}

export function sheetRangeA1(sheet: string, row: number, col: number, rowCount: number, colCount: number): string {
  return `${quoteSheet(sheet)}!${rangeA1(row, col, rowCount, colCount)}`;
}

/** Parses "B3" or "$B$3" into zero-based indexes; null when it is not a single-cell address. */
export function parseCellA1(address: string): { row: number; col: number } | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d{1,7})$/i.exec(address.trim());
  if (!m) return null;
  let col = 0;
  for (const ch of (m[1] as string).toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]) - 1, col: col - 1 };
}

/** Parses "Sheet1!B3:D9" (sheet optional, quoted or not) into a rectangle. */
export function parseRangeA1(address: string): { sheet: string | null; row: number; col: number; rowCount: number; colCount: number } | null {
  const bang = address.lastIndexOf('!');
  let sheet: string | null = null;
  let body = address;
  if (bang >= 0) {
    sheet = address.slice(0, bang);
    if (sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
    body = address.slice(bang + 1);
  }
  const [a, b] = body.split(':');
  const first = parseCellA1(a ?? '');
  const last = b === undefined ? first : parseCellA1(b);
  if (!first || !last) return null;
  return {
    sheet,
    row: Math.min(first.row, last.row),
    col: Math.min(first.col, last.col),
    rowCount: Math.abs(last.row - first.row) + 1,
    colCount: Math.abs(last.col - first.col) + 1,
  };
}

// ---- KAM's own columns ----

/**
 * KAM's result headers in every language it speaks ("KAM Score", "KAM 得分"). A header alone never
 * makes a column KAM's (a user may title a column so): it only tells which user columns look like
 * ours, so that ours go beside them under a title that differs.
 */
const KAM_HEADERS: ReadonlyMap<string, ResultKey> = new Map(LANGUAGES.flatMap((lang) => RESULT_KEYS.map((key) => [normalizeWord(LABEL_PACKS[lang].column[key]), key] as const)));

export function kamColumnKey(header: Cell): ResultKey | null {
  if (typeof header !== 'string') return null;
  return KAM_HEADERS.get(normalizeWord(header)) ?? null;
}

/** A defined name as a gateway reads it: its name and what it refers to (`=Accounts!$J$1`). */
export interface SheetName {
  name: string;
  formula: unknown;
}

/**
 * The result columns KAM marked on a sheet, the same marks `kam` writes (src/engine/marks.ts):
 * sheet-scoped names `KAM_RESULT_<KEY>` that refer to the column's header cell. Only marks on
 * this header row count; a mark whose column was deleted (#REF!) marks nothing.
 */
export function resultMarks(names: readonly SheetName[], headerRow: number): Map<ResultKey, number> {
  const marks = new Map<ResultKey, number>();
  for (const n of names) {
    const mark = resultKeyOfName(n.name);
    const at = mark ? markedColumn(String(n.formula ?? '').replace(/^=/, '')) : undefined;
    if (!mark || !at || at.row !== headerRow) continue;
    marks.set(mark.toLowerCase() as ResultKey, at.col);
  }
  return marks;
}

/** The name and reference that mark a result column: what both gateways write on Apply. */
export function resultMark(sheet: string, headerRow: number, key: ResultKey, column: number): { name: string; reference: string } {
  return { name: resultMarkName(key.toUpperCase() as Parameters<typeof resultMarkName>[0]), reference: `=${markReference(sheet, headerRow, column)}` };
}

/** The user's columns whose title looks like one of KAM's: kept as they are, ours go beside them. */
export function lookalikeColumns(region: DataRegion): string[] {
  return region.columns.filter((c) => kamColumnKey(c.header) !== null).map((c) => c.header);
}

/** A result column's header: its own, unless a user's column already has that title (then `… (kam)`, as kam writes it). */
export function resultHeader(region: DataRegion, header: string): string {
  const taken = new Set(region.columns.map((c) => normalizeWord(c.header)));
  return taken.has(normalizeWord(header)) ? `${header} (kam)` : header;
}

/**
 * Whether a cell holds nothing at all. Not the engine's isBlankCell (a value a user typed): a cell of
 * spaces is not empty, so it is never written over and it keeps a region from being empty.
 */
export function isEmptyCell(v: Cell): boolean {
  return v === null || v === undefined || v === '';
}

/** A header row holds only text (no numbers, no booleans) and at least one filled cell. */
export function looksLikeHeader(row: readonly Cell[]): boolean {
  let filled = 0;
  for (const v of row) {
    if (isBlankCell(v)) continue;
    if (typeof v !== 'string' || excelInputKind(v) === 'number') return false;
    filled++;
  }
  return filled > 0;
}

/**
 * Builds the region description from its header row. Columns KAM marked (see resultMarks) are
 * KAM's; every other column is the user's, whatever its title.
 */
export function describeRegion(args: {
  sheet: string;
  table: string | null;
  headerRow: number;
  firstColumn: number;
  headers: readonly Cell[];
  rowCount: number;
  /** KAM's marks on this sheet (resultMarks); none when the sheet has no marks. */
  marks?: ReadonlyMap<ResultKey, number>;
}): DataRegion {
  const columns: DataColumn[] = [];
  const kamColumns: Partial<Record<ResultKey, number>> = {};
  const markedAt = new Map([...(args.marks ?? new Map<ResultKey, number>())].map(([key, col]) => [col, key]));
  args.headers.forEach((h, i) => {
    const index = args.firstColumn + i;
    const key = markedAt.get(index);
    if (key !== undefined && kamColumns[key] === undefined) kamColumns[key] = index;
    else columns.push({ index, header: isBlankCell(h) ? '' : String(h).trim() });
  });
  const lastColumn = args.firstColumn + args.headers.length - 1;
  return {
    sheet: args.sheet,
    table: args.table,
    headerRow: args.headerRow,
    rowCount: args.rowCount,
    columns,
    kamColumns,
    firstColumn: args.firstColumn,
    lastColumn,
    address: sheetRangeA1(args.sheet, args.headerRow, args.firstColumn, args.rowCount + 1, args.headers.length),
  };
}

export interface ColumnPlacement {
  key: ResultKey;
  /** Sheet column. */
  column: number;
  /** True when KAM already had this column: it is updated in place. */
  existing: boolean;
}

/** Existing KAM columns are reused; new ones go right after the region, in the order asked. */
export function placeColumns(region: DataRegion, keys: readonly ResultKey[]): ColumnPlacement[] {
  let next = region.lastColumn + 1;
  return keys.map((key) => {
    const existing = region.kamColumns[key];
    if (existing !== undefined) return { key, column: existing, existing: true };
    return { key, column: next++, existing: false };
  });
}

/** Runs of consecutive new columns, so each emptiness check and table change covers a block. */
export function newColumnBlocks(placements: readonly ColumnPlacement[]): Array<{ first: number; count: number }> {
  const cols = placements
    .filter((p) => !p.existing)
    .map((p) => p.column)
    .sort((a, b) => a - b);
  const blocks: Array<{ first: number; count: number }> = [];
  for (const c of cols) {
    const last = blocks[blocks.length - 1];
    if (last && last.first + last.count === c) last.count++;
    else blocks.push({ first: c, count: 1 });
  }
  return blocks;
}

// ---- Payload size ----

/** Excel on the web refuses requests and responses over 5 MB. */
export const REQUEST_LIMIT_BYTES = 5 * 1024 * 1024;
/** What one chunk may carry: the limit less a margin for the request envelope and estimate error. */
export const CHUNK_BUDGET_BYTES = 3.5 * 1024 * 1024;

/** The bytes a cell takes in the JSON of a request: escapes counted at their worst (\uXXXX). */
export function cellPayloadBytes(v: Cell): number {
  if (v === null || v === undefined) return 5; // null,
  if (typeof v === 'number') return (Number.isFinite(v) ? String(v).length : 4) + 1;
  if (typeof v === 'boolean') return (v ? 4 : 5) + 1;
  if (v instanceof Date) return 27; // "2024-01-31T00:00:00.000Z",
  let bytes = 3; // quotes and comma
  for (let i = 0; i < v.length; i++) {
    const code = v.charCodeAt(i);
    bytes += code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c ? 6 : 1;
  }
  return bytes;
}

/** Bytes of one row across columns given as arrays, with the row's brackets. */
export function rowPayloadBytes(columns: readonly (ArrayLike<Cell> | undefined)[], row: number, extraPerCell = 0): number {
  let bytes = 3;
  for (const column of columns) bytes += cellPayloadBytes(column?.[row]) + extraPerCell;
  return bytes;
}

export interface Chunk {
  start: number;
  count: number;
  bytes: number;
}

/**
 * Cuts rows into consecutive chunks whose estimated payload stays within `budget`. A single row
 * larger than the budget still gets a chunk of its own (Excel's limit on a cell's text keeps it small).
 */
export function planChunks(rowCount: number, bytesOfRow: (row: number) => number, budget = CHUNK_BUDGET_BYTES): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let bytes = 0;
  for (let r = 0; r < rowCount; r++) {
    const b = bytesOfRow(r);
    if (r > start && bytes + b > budget) {
      chunks.push({ start, count: r - start, bytes });
      start = r;
      bytes = 0;
    }
    bytes += b;
  }
  if (rowCount > start) chunks.push({ start, count: rowCount - start, bytes });
  return chunks;
}

/**
 * Rows to read in the next chunk: a cautious first guess, then sized from the largest row seen so
 * far (reads cannot be measured before they happen).
 */
export function nextReadRows(maxRowBytesSeen: number | null, columnCount: number, budget = CHUNK_BUDGET_BYTES): number {
  const perRow = maxRowBytesSeen ?? 64 * Math.max(columnCount, 1);
  // Twice the largest row seen leaves room for longer texts further down.
  return Math.max(1, Math.floor(budget / (2 * Math.max(perRow, 8))));
}

// ---- Excel's typing rules ----

export type InputKind = 'text' | 'number' | 'boolean' | 'formula' | 'date' | 'error';

const NUMBER_LIKE = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?(?:e[+-]?\d+)?%?$/i;
const DATE_LIKE = /^(?:\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?|\d{1,2}[-/ ](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*(?:[-/ ]\d{2,4})?)$/i;
/** Excel's error values, from the engine's one list: a text spelling one is taken for that error (and so kept as Text). */
const ERROR_LIKE = new RegExp(`^(?:${EXCEL_ERRORS.map((e) => e.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')).join('|')})$`, 'i');
const NUMBERISH = /^[\s\d.,:/%$¥€£()+\-eE]*\d[\s\d.,:/%$¥€£()+\-eE]*$/;
const TIME_LIKE = /^\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]m)?$/i;
/** "(5)" is -5 to Excel (accounting negative); "1 1/2" is one and a half. */
const OTHER_NUMBER_LIKE = /^(?:\(\s*[$¥€£]?\d[\d,]*(?:\.\d+)?\s*\)|\d+\s+\d+\/\d+)$/;

/**
 * What Excel makes of a text typed (or written through `values`) into a cell formatted General:
 * "=x" becomes a formula, "1e5" the number 100000, "1/2" a date, "TRUE" a boolean.
 */
export function excelInputKind(text: string): InputKind {
  const t = text.trim();
  if (t.length > 1 && t.startsWith('=')) return 'formula';
  if (t !== '' && /\d/.test(t) && (NUMBER_LIKE.test(t.replace(/^([+-]?)[$¥€£]\s*/, '$1')) || OTHER_NUMBER_LIKE.test(t))) return 'number';
  if (/^(?:true|false)$/i.test(t)) return 'boolean';
  if (DATE_LIKE.test(t) || TIME_LIKE.test(t)) return 'date';
  if (ERROR_LIKE.test(t)) return 'error';
  return 'text';
}

/**
 * Whether a text must be written into a cell formatted as Text ("@") to stay exactly this text:
 * anything Excel would convert, and the leading characters it treats specially when typed.
 */
export function needsTextFormat(text: string): boolean {
  if (text === '') return false;
  if (/^[=+\-@']/.test(text) || text !== text.trim()) return true;
  // Digits with only number punctuation around them: Excel's parsing of these varies by locale
  // and version ("1 %", "$1,"), so they are protected whether or not this Excel would convert them.
  if (NUMBERISH.test(text)) return true;
  return excelInputKind(text) !== 'text';
}

/** Number formats for a table of cells: Text where a string needs it, General elsewhere. */
export function textSafeFormats(cells: readonly (readonly Cell[])[]): string[][] {
  return cells.map((row) => row.map((v) => (typeof v === 'string' && needsTextFormat(v) ? '@' : 'General')));
}

/** Pads rows to one width with blanks (a range write needs a rectangle). */
export function rectangular(cells: readonly (readonly Cell[])[]): Cell[][] {
  const width = Math.max(1, ...cells.map((r) => r.length));
  return cells.map((r) => [...r.map((v) => (v === undefined || v === null ? '' : v)), ...new Array<Cell>(width - r.length).fill('')]);
}

// ---- R1C1 formulas ----

const R1C1_REF = /(?<![A-Za-z0-9_.$])R(\[-?\d+\]|\d+)?C(\[-?\d+\]|\d+)?(?![A-Za-z0-9_.(])/g;

/** Rewrites an R1C1 formula as A1 for the cell at (row, col): `=F(RC2)` in row 5 → `=F($B5)`. */
export function r1c1ToA1(formula: string, row: number, col: number): string {
  const part = (spec: string | undefined, here: number): { index: number; absolute: boolean } => {
    if (spec === undefined) return { index: here, absolute: false };
    if (spec.startsWith('[')) return { index: here + Number(spec.slice(1, -1)), absolute: false };
    return { index: Number(spec) - 1, absolute: true };
  };
  return formula.replace(R1C1_REF, (_, r: string | undefined, c: string | undefined) => {
    const rr = part(r, row);
    const cc = part(c, col);
    return `${cc.absolute ? '$' : ''}${columnLetters(cc.index)}${rr.absolute ? '$' : ''}${rr.index + 1}`;
  });
}

/** The region once the KAM columns are in place. */
export function regionAfterWrite(region: DataRegion, placements: readonly ColumnPlacement[]): DataRegion {
  const kamColumns = { ...region.kamColumns };
  for (const p of placements) kamColumns[p.key] = p.column;
  const lastColumn = Math.max(region.lastColumn, ...placements.map((p) => p.column));
  return {
    ...region,
    kamColumns,
    lastColumn,
    address: sheetRangeA1(region.sheet, region.headerRow, region.firstColumn, region.rowCount + 1, lastColumn - region.firstColumn + 1),
  };
}

// ---- What both gateways do the same way ----

/**
 * The number format a result column's cells get. Formula cells are never Text: Excel keeps what is
 * entered into a Text ("@") cell as text, so a formula there would show as its own source. Value
 * columns of text are Text so that labels such as "=x" or "1e5" stay text.
 */
export function resultCellFormat(column: Pick<ResultColumn, 'kind' | 'numberFormat' | 'formulaR1C1'>): string {
  if (column.formulaR1C1 !== undefined) return column.numberFormat ?? 'General';
  return column.kind === 'text' ? '@' : (column.numberFormat ?? 'General');
}

/** A table read as columns, turned into rows of the user's columns. */
export function tableFromColumns(region: DataRegion, columns: readonly (readonly Cell[])[]): TableData {
  const rows = Array.from({ length: region.rowCount }, (_, r) => columns.map((col) => col[r] ?? ''));
  return { region, headers: region.columns.map((c) => c.header), rows };
}

/** The report of a write, from where the columns went. */
export function writeReport(args: {
  region: DataRegion;
  placements: readonly ColumnPlacement[];
  chunks: number;
  filter: FilterChoice;
  rules?: { sheet: string; address: string } | undefined;
}): WriteReport {
  const { region, placements } = args;
  return {
    sheet: region.sheet,
    addresses: placements.map((p) => rangeA1(region.headerRow, p.column, region.rowCount + 1, 1)),
    added: placements.filter((p) => !p.existing).map((p) => p.key),
    updated: placements.filter((p) => p.existing).map((p) => p.key),
    keptUserColumns: lookalikeColumns(region),
    chunks: args.chunks,
    filter: args.filter,
    region: regionAfterWrite(region, placements),
    ...(args.rules ? { rules: args.rules } : {}),
  };
}

export interface PlacedBlock {
  /** Sheet row of the block's first data row (its title is two rows up, its header one). */
  row: number;
  rowCount: number;
  width: number;
}

/** The summary sheet's layout: the title in A1, a blank row, then each block (title, header, rows) and a gap. */
export function placeSummaryBlocks(summary: SummarySheet): Map<string, PlacedBlock> {
  const placed = new Map<string, PlacedBlock>();
  let row = 2;
  for (const block of summary.blocks) {
    placed.set(block.id, { row: row + 2, rowCount: block.rows.length, width: block.header.length });
    row += block.rows.length + 3;
  }
  return placed;
}

/** A scatter chart's series: the rows are sorted by the series column, so each series is one run of rows. */
export function scatterRuns(rows: readonly (readonly Cell[])[], seriesColumn: number): Array<{ name: string; start: number; count: number }> {
  const runs: Array<{ name: string; start: number; count: number }> = [];
  rows.forEach((r, i) => {
    const name = String(r[seriesColumn] ?? '');
    const last = runs[runs.length - 1];
    if (last && last.name === name) last.count++;
    else runs.push({ name, start: i, count: 1 });
  });
  return runs;
}
