import { columnLetters, defaultRules, evaluate, flagsText, outcomeLabel, rulesToTable, RULES_NAME } from '../../src/engine';
import { ACCOUNT_INPUTS } from '../../src/functions/catalog';
import type { MemorySheet } from '../../src/gateway/memory';
import { kamFormulaEvaluator } from '../../src/taskpane/demo/formulas';
import { demoAccounts, demoWorkbook } from '../../src/taskpane/demo/workbook';

/**
 * The demo's live formulas run the real custom functions: every demo row gives the engine's
 * verdict, errors show as Excel shows them, and what is not a KAM call shows #NAME?.
 */

const book = demoWorkbook('en');
const sheet = book.sheets[0] as MemorySheet;
/** The demo's columns: customer, region, then the seven inputs (C..I). */
const ARGS = ACCOUNT_INPUTS.map((_, i) => `RC${i + 3}`).join(',');
const run = (row: number, formula: string): unknown => kamFormulaEvaluator(book, sheet, row, 10, formula);

describe("the demo workbook's KAM formulas", () => {
  const rules = defaultRules();
  const rows = demoAccounts('en').slice(1);

  it.each(rows.map((r, i) => [String(r[0]), i + 1] as const))('%s: score, tier and flags as the engine gives them', (_name, row) => {
    const inputs = Object.fromEntries(ACCOUNT_INPUTS.map((id, i) => [id, sheet.value(row, i + 2) ?? null]));
    const e = evaluate(inputs, rules);
    const score = run(row, `=KAM.SCORE(${ARGS})`);
    const tier = run(row, `=KAM.TIER(${ARGS})`);
    if (e.outcome === 'invalid') {
      // The cell holding the text #N/A comes back out as Excel's #N/A.
      expect([score, tier]).toEqual(['#N/A', '#N/A']);
      return;
    }
    // No score is #N/A, as in Excel; the old demo showed an empty cell.
    expect(score).toBe(e.score ?? '#N/A');
    expect(tier).toBe(outcomeLabel(rules, e.outcome, 'en'));
    expect(run(row, `=KAM.FLAGS(${ARGS})`)).toBe(flagsText(e.flags, 'en', rules));
  });

  it('answers in the language asked for', () => {
    expect(run(1, `=KAM.TIER(${ARGS},,"zh")`)).toMatch(/[\u4e00-\u9fff]/);
  });

  it('reads the rules from the KAM_RULES name, and says #NAME? while the workbook has none', () => {
    expect(run(1, `=KAM.SCORE(${ARGS},${RULES_NAME})`)).toBe('#NAME?');
    const withRules = demoWorkbook('en');
    const table = rulesToTable(defaultRules());
    withRules.addRows('KAM Rules', table);
    withRules.names.set(RULES_NAME, `'KAM Rules'!A1:${columnLetters((table[0]?.length ?? 1) - 1)}${table.length}`);
    const accounts = withRules.sheets[0] as MemorySheet;
    expect(kamFormulaEvaluator(withRules, accounts, 1, 10, `=KAM.SCORE(${ARGS},${RULES_NAME})`)).toBe(run(1, `=KAM.SCORE(${ARGS})`));
  });

  it('shows #NAME? for what is not a KAM function', () => {
    expect(run(1, '=SUM(RC3,RC4)')).toBe('#NAME?');
    expect(run(1, '=KAM.NOPE(RC3)')).toBe('#NAME?');
  });
});
