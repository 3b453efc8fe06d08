/**
 * How kam marks the columns it writes, so that every surface (the command line, the task pane)
 * recognises its own columns by a mark and never by a header text a user could also type.
 *
 * The mark of a result column is a hidden, sheet-scoped defined name `KAM_RESULT_<KEY>` whose
 * value is the column's header cell as an absolute reference (`'Accounts'!$H$1`). Excel moves a
 * name when columns are inserted or deleted, so the mark follows its column.
 */

import { columnLetters } from './cells';
import { MARK_KEYS, type MarkKey } from './result-keys';

/** The prefix of every result-column mark. */
export const RESULT_MARK_PREFIX = 'KAM_RESULT_';

/** The result columns kam and the pane may write, as marks spell them: the report's keys in upper case. */
export const RESULT_KEYS: readonly MarkKey[] = MARK_KEYS;
export type ResultKey = MarkKey;

/** The defined name that marks a result column: `KAM_RESULT_SCORE` for `SCORE`. */
export function resultMarkName(key: ResultKey): string {
  return `${RESULT_MARK_PREFIX}${key}`;
}

/** The key a defined name marks, or undefined when it is not a result mark (names compare without case, as in Excel). */
export function resultKeyOfName(name: unknown): ResultKey | undefined {
  if (typeof name !== 'string') return undefined;
  const upper = name.toUpperCase();
  if (!upper.startsWith(RESULT_MARK_PREFIX)) return undefined;
  const key = upper.slice(RESULT_MARK_PREFIX.length);
  return (RESULT_KEYS as readonly string[]).includes(key) ? (key as ResultKey) : undefined;
}

/** The zero-based column of the header cell a mark refers to (`'Accounts'!$H$1` → 7), or undefined. */
export function markedColumn(reference: unknown): { row: number; col: number } | undefined {
  if (typeof reference !== 'string') return undefined;
  const match = /!\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(reference.trim());
  if (!match) return undefined;
  let col = 0;
  for (const ch of (match[1] as string).toUpperCase()) col = col * 26 + ch.charCodeAt(0) - 64;
  return { row: Number(match[2]) - 1, col: col - 1 };
}

/** The reference a mark holds: the header cell, absolute, on a quoted sheet name ('' for no cell). */
export function markReference(sheet: string, row: number, col: number): string {
  if (typeof sheet !== 'string' || !Number.isSafeInteger(row) || row < 0 || columnLetters(col) === '') return '';
  return `'${sheet.replace(/'/g, "''")}'!$${columnLetters(col)}$${row + 1}`;
}

/**
 * The mark of the KAM Summary sheet kam writes: a hidden name scoped to that sheet. A rerun
 * replaces the sheet that carries it, and never a user's sheet that only has the same title.
 */
export const SUMMARY_MARK_NAME = 'KAM_SUMMARY';
