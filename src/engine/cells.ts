import type { FieldSpec } from './coerce';

/**
 * The words every surface uses about cells, declared once: what counts as blank, Excel's error
 * values, column letters, and the specs of the single-number inputs of planning.
 */

/**
 * A blank cell: nothing, or text that is only spaces. This is the one meaning of "blank" for a
 * value a user typed. Whether a cell may be written over is a different question (is anything
 * there at all, spaces included): the gateways' isEmptyCell (src/gateway/layout.ts) answers it.
 */
export function isBlankCell(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** Every error value Excel shows in a cell, as its text. */
export const EXCEL_ERRORS = [
  '#NULL!',
  '#DIV/0!',
  '#VALUE!',
  '#REF!',
  '#NAME?',
  '#NUM!',
  '#N/A',
  '#GETTING_DATA',
  '#SPILL!',
  '#CALC!',
  '#FIELD!',
  '#BLOCKED!',
  '#CONNECT!',
  '#BUSY!',
  '#UNKNOWN!',
] as const;
export type ExcelErrorText = (typeof EXCEL_ERRORS)[number];

const EXCEL_ERROR_SET: ReadonlySet<unknown> = new Set<string>(EXCEL_ERRORS);

/** Whether a value is the text of an Excel error, exactly as Excel writes it. */
export function isExcelError(v: unknown): v is ExcelErrorText {
  return EXCEL_ERROR_SET.has(v);
}

/**
 * Column letters of a zero-based column index: 0 → A, 25 → Z, 26 → AA. Anything that is not a
 * whole number from 0 up has no letters: the answer is '' (Infinity would otherwise never end).
 */
export function columnLetters(index: number): string {
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) return '';
  let col = index;
  let letters = '';
  do {
    letters = String.fromCharCode(65 + (col % 26)) + letters;
    col = Math.floor(col / 26) - 1;
  } while (col >= 0);
  return letters;
}

/**
 * The single-number inputs of planning, as coercion reads them: the hours a month an account
 * manager has, the portfolio matrix's two axes, and the months until a result is expected.
 */
export const PLANNING_INPUTS = {
  capacity: { id: 'capacity', unit: 'number', validMin: 0 },
  attractiveness: { id: 'attractiveness', unit: 'number', validMin: 0, validMax: 100 },
  strength: { id: 'strength', unit: 'number', validMin: 0, validMax: 100 },
  months: { id: 'months', unit: 'number', validMin: 0 },
} as const satisfies Record<string, FieldSpec>;
