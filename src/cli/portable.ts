/**
 * `kam score --formulas portable`: the score, tier and flag cells written as plain spreadsheet
 * formulas (engine/portable) that read the row's input cells and the KAM Rules sheet, each with
 * kam's result cached so the workbook shows it before any recalculation.
 */
import { cellAddress, criterionLabel, MAX_FORMULA_LENGTH, portableFormulas, ruleReferences, RULES_SHEET, rulesToTable, type Lang, type RuleSet, type RulesTable } from '../engine';
import { InputError } from './files';
import type { CliPack } from './messages';
import type { InputCell } from './table';
import type { FormulaCell } from './xlsx-file';

/** Stands for the row number in a formula made once for every row. */
const ROW = '\u0003';

export interface PortablePlan {
  /** The formula cell of a result column at data row i, or undefined to write the value as it is. */
  cell: (key: 'SCORE' | 'TIER' | 'FLAGS', i: number, cached: number | string | null) => FormulaCell | undefined;
}

/**
 * Functions newer than Excel 2007 that the portable formulas call: a file names them with the
 * `_xlfn.` prefix, or LibreOffice and Excel read them as unknown names (#NAME?). Typed in a cell
 * (the task pane), they are written bare.
 */
const PREFIXED_IN_FILE = ['UNICHAR'] as const;

/** A formula as an .xlsx file holds it: the newer functions prefixed, outside text constants (which hold no `"`: engine/portable textLiteral). */
const fileFormula = (formula: string): string =>
  formula
    .split('"')
    .map((part, i) => (i % 2 === 1 ? part : PREFIXED_IN_FILE.reduce((text, name) => text.replace(new RegExp(`(?<![A-Za-z0-9_.])${name}\\(`, 'g'), `_xlfn.${name}(`), part)))
    .join('"');

const column = (col: number): string => cellAddress({ row: 0, col }).replace(/\d+$/, '');

export function planPortable(args: {
  rules: RuleSet;
  lang: Lang;
  /** The rules table written to the KAM Rules sheet from A1. */
  table: RulesTable;
  /** Criterion id → its input column (zero-based); criteria with no column are left out. */
  inputColumns: Readonly<Record<string, number>>;
  /** The accounts' currency column (zero-based), when the rule set has a currency and the sheet one. */
  currencyColumn?: number | undefined;
  scoreColumn: number;
  /** Sheet row (1-based) of data row i. */
  rowNumber: (i: number) => number;
  /** The engine's own flags of data row i (what the flag formula computes). */
  engineFlags: (i: number) => string;
}): PortablePlan {
  const { rules, lang } = args;
  const inputs = Object.fromEntries(Object.entries(args.inputColumns).map(([id, col]) => [id, `$${column(col)}${ROW}`]));
  const currency = args.currencyColumn === undefined ? {} : { currency: `$${column(args.currencyColumn)}${ROW}` };
  const options = { inputs, ...currency, scoreCell: `$${column(args.scoreColumn)}${ROW}`, ruleCells: ruleReferences(args.table, { lang, sheet: RULES_SHEET }), lang };
  const template = portableFormulas(rules, options);
  if (!template) throw new Error('portable formulas: checked by requirePortable before writing');
  const sep = lang === 'zh' ? ';' : '; ';
  return {
    cell: (key, i, cached) => {
      const r = String(args.rowNumber(i));
      let formula = key === 'SCORE' ? template.score : key === 'TIER' ? template.tier : template.flags;
      if (key === 'FLAGS' && typeof cached === 'string') {
        // Relationship and plan flags follow the engine's: they are kept as written text.
        const own = args.engineFlags(i);
        const extra = own === '' ? cached : cached.startsWith(own + sep) ? cached.slice(own.length + sep.length) : '';
        if (extra !== '') formula = portableFormulas(rules, { ...options, extraFlags: extra })?.flags ?? formula;
      }
      return { formula: fileFormula(formula.split(ROW).join(r)), cached };
    },
  };
}

/** Refuses, before anything is written, a rule set whose formulas would not fit in a cell. */
export function requirePortable(rules: RuleSet, lang: Lang, pack: CliPack): void {
  // The longest references there are: every criterion, and the currency, in column XFD of the last row.
  const inputs = Object.fromEntries(rules.criteria.map((c) => [c.id, '$XFD1048576']));
  const refs = ruleReferences(rulesToTable(rules, { lang }), { lang, sheet: RULES_SHEET });
  if (!portableFormulas(rules, { inputs, currency: '$XFD1048576', scoreCell: '$XFD1048576', ruleCells: refs, lang })) {
    throw new InputError(pack.portableTooLong({ count: rules.criteria.length, max: MAX_FORMULA_LENGTH }), 'kam score');
  }
}

/** Input cells that hold something other than a number or a blank: kam reads them, a formula does not. */
export function textInputs(
  rows: readonly number[],
  inputColumns: Readonly<Record<string, number>>,
  cell: (i: number, col: number) => InputCell,
  rowNumber: (i: number) => number,
  rules: RuleSet,
  lang: Lang,
  pack: CliPack,
): string[] {
  const found: string[] = [];
  for (const i of rows) {
    for (const [id, col] of Object.entries(inputColumns)) {
      const v = cell(i, col);
      if (typeof v === 'number' || v === null || v === undefined || v === '') continue;
      const text = v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'object' && v !== null ? '' : String(v);
      found.push(pack.portableTextCell({ cell: cellAddress({ row: rowNumber(i) - 1, col }), field: criterionLabel(rules, id, lang), text }));
    }
  }
  return found;
}
