import { isBlankCell, isExcelError, type CellValue, type Lang } from '../engine';
import { argName, text } from './i18n/texts';

/**
 * Argument shapes, written once for every function. Excel hands a matrix parameter a 2-D array
 * (a single cell arrives as [[v]]); these helpers turn arguments into the column shape the engine
 * takes, broadcast single cells against ranges, and say which argument has the wrong shape.
 */

/** A 2-D array as Excel passes a range or a single cell to a matrix parameter. */
export type CellMatrix = ReadonlyArray<ReadonlyArray<unknown>>;

/**
 * One cell as the engine's coercion reads it. Primitives pass as they are. An Excel error passed in
 * (the runtime hands it over as an object with the error's `code`, e.g. "#N/A") becomes its text,
 * which coercion recognises and reports with `excelError`; an Excel data type (entity, formatted
 * number, error value) becomes its `basicValue`.
 */
export function readCell(raw: unknown): CellValue {
  if (typeof raw !== 'object' || raw === null) return raw as CellValue;
  const o = raw as { code?: unknown; basicValue?: unknown };
  if (isExcelError(o.code)) return o.code;
  const basic = o.basicValue;
  if (basic === null || typeof basic === 'number' || typeof basic === 'string' || typeof basic === 'boolean') return basic;
  // Anything else is left as it is: coercion reports it as a value it cannot read.
  return raw as unknown as CellValue;
}

/** A shape problem, already worded for the user. */
export interface ShapeProblem {
  problem: string;
}

export function isProblem(x: unknown): x is ShapeProblem {
  return typeof x === 'object' && x !== null && 'problem' in x;
}

/** Columns of equal height, one per argument; undefined where an argument is blank in every row. */
export interface Aligned {
  rowCount: number;
  columns: Array<ArrayLike<CellValue> | undefined>;
}

function widthOf(a: readonly unknown[]): number {
  const first = a[0];
  return Array.isArray(first) ? first.length : 1;
}

function cellOf(a: readonly unknown[], r: number): unknown {
  const row = a[r];
  return Array.isArray(row) ? row[0] : row;
}

/**
 * Aligns arguments that are each a single cell or a column: ranges must share one height, single
 * cells are repeated down it. `names` are the parameter names, for the messages.
 */
export function alignColumns(names: readonly string[], args: ArrayLike<unknown>, lang: Lang): Aligned | ShapeProblem {
  const n = names.length;
  const single = singleCells(n, args);
  if (single) return { rowCount: 1, columns: single };
  let rowCount = 1;
  let tallest = -1;
  for (let i = 0; i < n; i++) {
    const a = args[i];
    if (!Array.isArray(a)) continue;
    const rows = a.length;
    const cols = rows === 0 ? 0 : widthOf(a);
    if (rows === 0 || cols === 0) return { problem: text(lang, 'empty', { arg: argName(names[i] as string, lang) }) };
    if (cols !== 1) return { problem: text(lang, 'notColumn', { arg: argName(names[i] as string, lang), rows, cols }) };
    if (rows === 1) continue;
    if (tallest < 0) {
      tallest = i;
      rowCount = rows;
    } else if (rows !== rowCount) {
      return {
        problem: text(lang, 'heightMismatch', {
          arg: argName(names[i] as string, lang),
          rows,
          other: argName(names[tallest] as string, lang),
          otherRows: rowCount,
        }),
      };
    }
  }

  const columns = new Array<ArrayLike<CellValue> | undefined>(n);
  for (let i = 0; i < n; i++) {
    const a = args[i];
    if (Array.isArray(a) && a.length > 1) {
      const column = new Array<CellValue>(rowCount);
      for (let r = 0; r < rowCount; r++) column[r] = readCell(cellOf(a, r));
      columns[i] = column;
      continue;
    }
    const raw = Array.isArray(a) ? cellOf(a, 0) : a;
    if (isBlankCell(raw)) {
      columns[i] = undefined;
    } else if (rowCount === 1 && Array.isArray(a) && Array.isArray(a[0]) && typeof raw !== 'object') {
      // The common single-cell call: Excel's own one-element row is already a one-row column.
      columns[i] = a[0] as ArrayLike<CellValue>;
    } else {
      const v = readCell(raw);
      columns[i] = rowCount === 1 ? [v] : new Array<CellValue>(rowCount).fill(v);
    }
  }
  return { rowCount, columns };
}

/**
 * The common row-by-row formula: every argument one plain cell ([[v]]). Excel's own one-element
 * rows are then already one-row columns, passed on as they are; undefined when any argument is
 * something else, for the general path to handle.
 */
function singleCells(n: number, args: ArrayLike<unknown>): Array<ArrayLike<CellValue> | undefined> | undefined {
  const columns = new Array<ArrayLike<CellValue> | undefined>(n);
  for (let i = 0; i < n; i++) {
    const a = args[i];
    if (!Array.isArray(a) || a.length !== 1) return undefined;
    const row: unknown = a[0];
    if (!Array.isArray(row) || row.length !== 1) return undefined;
    const v: unknown = row[0];
    if (typeof v === 'object' && v !== null) return undefined;
    columns[i] = isBlankCell(v) ? undefined : (row as CellValue[]);
  }
  return columns;
}

/** The one value of an argument that must be a single cell (or omitted). */
export function singleValue(name: string, arg: unknown, lang: Lang): { value: CellValue } | ShapeProblem {
  if (!Array.isArray(arg)) return { value: readCell(arg) };
  const rows = arg.length;
  const cols = rows === 0 ? 0 : widthOf(arg);
  if (rows === 0 || cols === 0) return { value: null };
  if (rows !== 1 || cols !== 1) return { problem: text(lang, 'oneValue', { arg: argName(name, lang), rows, cols }) };
  return { value: readCell(cellOf(arg, 0)) };
}

/** A spilled column: one row per account. */
export function spillColumn<T>(rowCount: number, at: (row: number) => T): T[][] {
  const out = new Array<T[]>(rowCount);
  for (let r = 0; r < rowCount; r++) out[r] = [at(r)];
  return out;
}

const LANGUAGE_WORDS: Readonly<Record<string, Lang>> = {
  en: 'en',
  'en-us': 'en',
  'en-gb': 'en',
  english: 'en',
  英文: 'en',
  英语: 'en',
  zh: 'zh',
  'zh-cn': 'zh',
  'zh-hans': 'zh',
  cn: 'zh',
  chinese: 'zh',
  中文: 'zh',
  汉语: 'zh',
};

/** A value as a message quotes it: what a cell holds as written, anything else by its type (String() throws on some objects). */
const shownValue = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : `(${typeof v})`);

/** The [language] argument: blank means English. */
export function readLanguage(arg: unknown): Lang | ShapeProblem {
  if (arg === null || arg === undefined) return 'en';
  const single = singleValue('language', arg, 'en');
  if (isProblem(single)) return single;
  const v = single.value;
  if (isBlankCell(v)) return 'en';
  const word = typeof v === 'string' ? v.normalize('NFKC').trim().toLowerCase().replace(/_/g, '-') : '';
  // An own key only: "constructor" or "toString" must not find Object.prototype's members.
  const lang = Object.prototype.hasOwnProperty.call(LANGUAGE_WORDS, word) ? LANGUAGE_WORDS[word] : undefined;
  return lang ?? { problem: text('en', 'badLanguage', { text: shownValue(v) }) };
}
