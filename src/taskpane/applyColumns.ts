/**
 * What the pane's Apply writes in each KAM column, as values, live formulas or portable formulas,
 * decided from the rules, the language and which sheet column holds each criterion. No workbook
 * and no DOM: the session (session.ts) holds the state and calls these; the values themselves are
 * the engine report's (reportColumns).
 */
import { cellAddress, CURRENCY_FIELD, portableFormulas, ruleReferences, RULES_NAME, rulesToTable, type RuleSet } from '../engine';
import type { Lang } from '../engine/types';
import { ACCOUNT_INPUTS, criteriaBeyondArguments, NAMESPACE } from '../functions/catalog';
import { isEmptyCell, parseCellA1, placeColumns } from '../gateway/layout';
import type { Cell, DataColumn, DataRegion, ResultColumn, ResultKey } from '../gateway/types';

/** How Apply writes the columns; `portable`: plain spreadsheet formulas reading the KAM Rules sheet (docs/portable.md). */
export type ApplyMode = 'values' | 'formulas' | 'portable';

/** The custom functions live formulas call, by the result column each fills (their arguments: the catalog's). */
export const FORMULA_FUNCTIONS: Partial<Record<ResultKey, string>> = { score: `${NAMESPACE}.SCORE`, tier: `${NAMESPACE}.TIER`, flags: `${NAMESPACE}.FLAGS` };

/** What the formulas are written from: the rules, the pane's language, and the sheet column of each field. */
export interface FormulaInputs {
  rules: RuleSet;
  lang: Lang;
  matches: Readonly<Record<string, DataColumn | null>>;
}

/** Why live formulas cannot express these rules, or null when they can. */
export function formulaBlocker({ rules }: FormulaInputs): { criteria: string[] } | null {
  const extra = criteriaBeyondArguments(rules).map((c) => c.id);
  return extra.length > 0 ? { criteria: extra } : null;
}

/** The column of each account's currency, read only when the rule set scores in one currency. */
function currencyColumn({ rules, matches }: FormulaInputs): DataColumn | null | undefined {
  return rules.currency !== undefined ? matches[CURRENCY_FIELD] : undefined;
}

/** `$C$9` → `R9C3`. */
function absoluteR1C1(a1: string): string {
  const at = parseCellA1(a1);
  return at ? `R${at.row + 1}C${at.col + 1}` : a1;
}

/**
 * Portable formulas in R1C1 (absolute input columns, same row; rule cells on the KAM Rules sheet,
 * whose table Apply writes from A1), or null when they would pass a cell's length.
 */
export function portableColumnFormulas({ rules, lang, matches }: FormulaInputs, scoreColumn?: number): { score: string; tier: string; flags: string } | null {
  // Every `$B$4` of a reference, both ends of the FX table's ranges included.
  const refs = Object.fromEntries(Object.entries(ruleReferences(rulesToTable(rules), { lang })).map(([path, a1]) => [path, a1.replace(/\$[A-Z]+\$\d+/g, absoluteR1C1)]));
  const inputs = Object.fromEntries(
    rules.criteria.flatMap((c) => {
      const m = matches[c.id];
      return m ? [[c.id, `RC${m.index + 1}`]] : [];
    }),
  );
  // Before data is read, the score column is not known: the check of length uses the widest reference.
  const scoreCell = `RC${(scoreColumn ?? 16383) + 1}`;
  // Amounts are converted from the account's currency cell, as the engine converts them on Apply.
  const currency = currencyColumn({ rules, lang, matches });
  return portableFormulas(rules, { inputs, ...(currency ? { currency: `RC${currency.index + 1}` } : {}), scoreCell, ruleCells: refs, lang }) ?? null;
}

/**
 * Input cells holding something other than a number or an empty cell (`18%`, `120万`, `是`): the
 * engine reads them, a portable formula sees text and says Invalid input. Listed before Apply.
 */
export function portableTextCells(
  { rules, lang, matches }: FormulaInputs,
  region: DataRegion,
  columnAt: (index: number) => readonly Cell[] | undefined,
): Array<{ cell: string; field: string; text: string }> {
  const found: Array<{ cell: string; field: string; text: string }> = [];
  for (const c of rules.criteria) {
    const m = matches[c.id];
    if (!m) continue;
    (columnAt(m.index) ?? []).forEach((v, r) => {
      if (typeof v === 'number' || isEmptyCell(v)) return;
      found.push({ cell: cellAddress({ row: region.headerRow + 1 + r, col: m.index }), field: c.label[lang], text: String(v) });
    });
  }
  return found;
}

/**
 * `=KAM.SCORE(RC2,RC3,…,KAM_RULES)`: absolute columns, same row, so one formula fits every row.
 * A rule set with a currency and a mapped currency column adds that column as the last argument,
 * `[currency]` (after `[language]`, left empty in English), as the values Apply converts.
 */
export function liveFormula(fn: string, inputs: FormulaInputs): string {
  const args = ACCOUNT_INPUTS.map((id) => {
    const m = inputs.matches[id];
    return m ? `RC${m.index + 1}` : '""';
  });
  // The functions answer in English unless told otherwise: pass the pane's language.
  const language = inputs.lang === 'en' ? '' : `"${inputs.lang}"`;
  const currency = currencyColumn(inputs);
  const tail = currency ? `,${language},RC${currency.index + 1}` : language === '' ? '' : `,${language}`;
  return `=${fn}(${args.join(',')},${RULES_NAME}${tail})`;
}

/**
 * The KAM columns to write, from the value columns. With live formulas, score, tier and flags are
 * formulas; the columns no custom function fills per row (priority, hours, coverage, quadrant) are
 * values as of this Apply. Portable formulas fall back to values when they would not fit a cell.
 */
export function resultColumns(mode: ApplyMode, values: ResultColumn[], inputs: FormulaInputs, region: DataRegion | null): ResultColumn[] {
  if (mode === 'values') return values;
  const asFormula = (column: ResultColumn, formulaR1C1: string): ResultColumn => {
    const { values: _dropped, ...rest } = column;
    return { ...rest, formulaR1C1 };
  };
  if (mode === 'portable') {
    // The tier reads the score cell: its column is where the gateway will place it (the same placeColumns).
    const score = region
      ? placeColumns(
          region,
          values.map((c) => c.key),
        ).find((p) => p.key === 'score')
      : undefined;
    const portable = portableColumnFormulas(inputs, score?.column);
    if (!portable) return values;
    return values.map((column) => {
      const formula = column.key === 'score' ? portable.score : column.key === 'tier' ? portable.tier : column.key === 'flags' ? portable.flags : undefined;
      return formula === undefined ? column : asFormula(column, `=${formula}`);
    });
  }
  return values.map((column) => {
    const fn = FORMULA_FUNCTIONS[column.key];
    return fn === undefined ? column : asFormula(column, liveFormula(fn, inputs));
  });
}
