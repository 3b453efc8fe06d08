/**
 * A workbook laid out as kam writes one with portable formulas: an Accounts sheet (inputs in
 * criterion order, then score, tier and flags formulas) and the readable KAM Rules sheet the
 * formulas read. Shared by the HyperFormula and LibreOffice tests.
 */
import fc from 'fast-check';
import {
  columnsFromAccounts,
  flagsText,
  outcomeAt,
  rowFlags,
  scoreColumns,
  outcomeLabel,
  portableFormulas,
  ruleReferences,
  rulesToTable,
  type CellValue,
  type Lang,
  type RuleSet,
} from '../../src/engine';

export const letter = (col: number): string => {
  let s = '';
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

export type Account = Record<string, number | string | null>;

export interface Layout {
  rulesTable: CellValue[][];
  /** Header row, then one row per account: inputs, the three formulas (with `=`), then the currency when given. */
  accounts: Array<Array<string | number | null>>;
  scoreCol: number;
}

/** Formulas for row `r` (1-based sheet row), inputs in columns A… in the rules' criterion order. */
export function rowFormulas(rules: RuleSet, lang: Lang, r: number, absent: readonly string[] = [], withCurrency = false): { score: string; tier: string; flags: string } {
  const n = rules.criteria.length;
  const inputs = Object.fromEntries(rules.criteria.flatMap((c, i) => (absent.includes(c.id) ? [] : [[c.id, `$${letter(i)}${r}`]])));
  const refs = ruleReferences(rulesToTable(rules, { lang }), { lang });
  // The currency column, when there is one, follows the three formulas.
  const currency = withCurrency ? { currency: `$${letter(n + 3)}${r}` } : {};
  const f = portableFormulas(rules, { inputs, ...currency, scoreCell: `$${letter(n)}${r}`, ruleCells: refs, lang });
  if (!f) throw new Error('no formulas');
  return f;
}

/** With `withCurrency`, each account's `currency` is written in a column after the formulas, and they convert from it. */
export function layout(rules: RuleSet, lang: Lang, accounts: readonly Account[], absent: readonly string[] = [], withCurrency = false): Layout {
  const rows: Array<Array<string | number | null>> = [[...rules.criteria.map((c) => c.id), 'score', 'tier', 'flags', ...(withCurrency ? ['currency'] : [])]];
  accounts.forEach((a, k) => {
    const f = rowFormulas(rules, lang, k + 2, absent, withCurrency);
    rows.push([...rules.criteria.map((c) => a[c.id] ?? null), `=${f.score}`, `=${f.tier}`, `=${f.flags}`, ...(withCurrency ? [a.currency ?? null] : [])]);
  });
  return { rulesTable: rulesToTable(rules, { lang }), accounts: rows, scoreCol: rules.criteria.length };
}

/** What the engine shows for each account: score (null when none), tier label, flags text. */
export function engineRows(rules: RuleSet, lang: Lang, accounts: readonly Account[], absent: readonly string[] = []): Array<[number | null, string, string]> {
  const columns = columnsFromAccounts(accounts, rules);
  for (const id of absent) delete (columns.columns as Record<string, unknown>)[id];
  const result = scoreColumns(columns, rules, { absent });
  return accounts.map((_, r) => {
    const s = result.score[r] as number;
    return [Number.isNaN(s) ? null : s, outcomeLabel(rules, outcomeAt(result, r), lang), flagsText(rowFlags(result, r), lang, rules)];
  });
}

/** Inputs around each criterion's curve ends, valid range, knock-out values, and blanks. */
export function accountArb(rules: RuleSet): fc.Arbitrary<Account> {
  const values = rules.criteria.map((c) => {
    const lo = c.curve.min;
    const hi = c.curve.max;
    const span = hi - lo;
    const near = [lo, hi, lo - span / 3, hi + span / 3, 0, -0.05, 90, 91, 120, 121];
    return fc.oneof(
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: fc.constantFrom(...near) },
      { weight: 5, arbitrary: fc.double({ min: lo - span / 2, max: hi + span / 2, noNaN: true, noDefaultInfinity: true }) },
      { weight: 2, arbitrary: fc.integer({ min: Math.floor(lo), max: Math.ceil(hi) }) },
    );
  });
  const random = fc.tuple(...values).map((xs) => Object.fromEntries(rules.criteria.map((c, i) => [c.id, xs[i] ?? null])));
  // Accounts near the better end of every curve, so the top tiers are reached too.
  const good = fc.tuple(...rules.criteria.map(() => fc.double({ min: 0.5, max: 1.1, noNaN: true }))).map((qs) => {
    const account: Account = {};
    rules.criteria.forEach((c, i) => {
      const q = qs[i] as number;
      const span = c.curve.max - c.curve.min;
      account[c.id] = c.better === 'higher' ? c.curve.min + q * span : c.curve.max - q * span;
    });
    rules.criteria.forEach((c) => {
      const base = c.headroomOver === undefined ? undefined : account[c.headroomOver];
      if (typeof base === 'number' && typeof account[c.id] === 'number') account[c.id] = (account[c.id] as number) + base;
    });
    return account;
  });
  return fc.oneof({ weight: 3, arbitrary: random }, { weight: 1, arbitrary: good });
}
