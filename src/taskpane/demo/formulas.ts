/**
 * Computes the KAM formulas of the demo workbook with the real custom functions (the core adapter
 * behind src/functions, which runs the engine), so that the live-formula option shows in the
 * browser what Excel shows. A cell gets the value Excel would show, or the error's text (#N/A,
 * #VALUE!). Formulas that are not a KAM call, or name something the demo does not have, show #NAME?
 * as in a workbook without the add-in.
 */
import { createKamFunctions, type Matrix } from '../../functions/adapter';
import { FUNCTION_IDS, type FunctionId } from '../../functions/catalog';
import { ERROR_CODE_TEXT } from '../../functions/errors';
import type { FormulaEvaluator, MemorySheet } from '../../gateway/memory';
import type { Cell } from '../../gateway/types';

/** An error as the demo sheet shows it: its text, as Excel displays it. */
class ShownError {
  constructor(readonly text: string) {}
}

const kam = createKamFunctions((code) => new ShownError(ERROR_CODE_TEXT[code]));
const CALL = /^=KAM\.([A-Z]+)\((.*)\)$/i;
const NAME_ERROR = '#NAME?';

/** Splits a formula's arguments at top-level commas (none of the demo's texts holds a comma). */
function splitArguments(list: string): string[] {
  return list.trim() === '' ? [] : list.split(',').map((a) => a.trim());
}

/**
 * One argument as Excel hands it to a custom function: a cell or a range as a matrix, a text or a
 * number as itself. `RCn` is column n of the formula's own row (what the pane writes).
 */
function argumentValue(arg: string, sheet: MemorySheet, row: number, book: Parameters<FormulaEvaluator>[0]): unknown {
  if (arg === '') return null; // an omitted argument, as in =KAM.TIER(…,,"zh")
  const ref = /^RC(\d+)$/i.exec(arg);
  if (ref) return [[sheet.value(row, Number(ref[1]) - 1) ?? null]];
  const quoted = /^"(.*)"$/.exec(arg);
  if (quoted) return quoted[1];
  if (Number.isFinite(Number(arg))) return Number(arg);
  const named = book.nameRect(arg);
  return named ? named.sheet.read(named.rect) : NAME_ERROR;
}

function shown(matrix: Matrix<ShownError>): Cell {
  const first = matrix[0]?.[0];
  return first instanceof ShownError ? first.text : (first ?? '');
}

export const kamFormulaEvaluator: FormulaEvaluator = (book, sheet, row, _col, formula) => {
  const call = CALL.exec(formula.trim());
  const id = call?.[1]?.toUpperCase();
  if (!call || !FUNCTION_IDS.includes(id as FunctionId)) return NAME_ERROR;
  const args = splitArguments(call[2] as string).map((a) => argumentValue(a, sheet, row, book));
  if (args.includes(NAME_ERROR)) return NAME_ERROR;
  const fn = kam[id as FunctionId] as (...a: unknown[]) => Matrix<ShownError>;
  return shown(fn(...args));
};
