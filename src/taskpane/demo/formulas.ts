/**
 * Computes KAM.SCORE, KAM.TIER and KAM.FLAGS in the demo workbook, through the engine, so that
 * the live-formula option shows values in the browser as it does in Excel (where the custom
 * functions in src/functions do this work). Other formulas show #NAME?, as in a workbook without
 * the add-in.
 */
import { evaluate, flagsText, outcomeLabel, rulesFromTable, defaultRules, RULES_NAME } from '../../engine';
import { LANGUAGES, type Lang } from '../../engine/types';
import type { Cell } from '../../gateway/types';
import type { FormulaEvaluator } from '../../gateway/memory';
import { FORMULA_ARGUMENTS } from '../session';

const CALL = /^=KAM\.(SCORE|TIER|FLAGS)\((.*)\)$/i;

export const kamFormulaEvaluator: FormulaEvaluator = (book, sheet, row, _col, formula) => {
  const call = CALL.exec(formula.trim());
  if (!call) return '#NAME?';
  const args = (call[2] as string).split(',').map((a) => a.trim());
  const account: Record<string, Cell> = {};
  FORMULA_ARGUMENTS.forEach((id, i) => {
    const arg = args[i] ?? '""';
    const ref = /^RC(\d+)$/.exec(arg);
    account[id] = ref ? sheet.value(row, Number(ref[1]) - 1) : '';
  });
  let rules = defaultRules();
  if (args[FORMULA_ARGUMENTS.length] === RULES_NAME) {
    const named = book.nameRect(RULES_NAME);
    if (!named) return '#NAME?';
    const read = rulesFromTable(named.sheet.read(named.rect));
    if (!read.ok) return '#VALUE!';
    rules = read.rules;
  }
  const langArg = (args[FORMULA_ARGUMENTS.length + 1] ?? '"en"').replace(/"/g, '');
  const lang: Lang = (LANGUAGES as readonly string[]).includes(langArg) ? (langArg as Lang) : 'en';
  const e = evaluate(account, rules);
  switch ((call[1] as string).toUpperCase()) {
    case 'SCORE':
      return e.score ?? '';
    case 'TIER':
      return outcomeLabel(rules, e.outcome, lang);
    default:
      return flagsText(e.flags, lang, rules);
  }
};
