import type { CellValue } from '../engine';

/** A formula cell saved without its result: its value is unknown, and never guessed. */
export interface FormulaWithoutResult {
  formulaWithoutResult: string;
}

/** A cell as read from a file: what the engine reads (dates included, for it to report). */
export type InputCell = CellValue | Date | FormulaWithoutResult;

export function isFormulaWithoutResult(cell: InputCell): cell is FormulaWithoutResult {
  return typeof cell === 'object' && cell !== null && !(cell instanceof Date);
}

export interface InputRow {
  /** The row's number as the user sees it: the sheet row (xlsx) or the line it starts on (CSV). */
  number: number;
  /** By column index, aligned with the headers. */
  cells: InputCell[];
  /** Every cell is empty: written back as it is, not scored. */
  blank: boolean;
  /** Why the row cannot be read at all (a malformed CSV line): kept in place, not scored. */
  rejected?: string;
  /** A rejected line's original text, written back verbatim in the row's first cell. */
  original?: string;
}

/** Accounts read from a sheet or a CSV file, before matching columns to criteria. */
export interface AccountTable {
  /** How messages refer to rows: by CSV line or by sheet row. */
  rowKind: 'line' | 'row';
  headers: string[];
  rows: InputRow[];
  /** Number of columns in use: result columns go after them (or where earlier results were). */
  width: number;
}

/** The engine's one meaning of a blank cell, offered beside the table types its readers use. */
export { isBlankCell } from '../engine';
