/**
 * Issue 12, item 1: "currency conversion when the rule set has an FX table". The generated query
 * converts each account's amounts at its currency's rate, and refuses what the engine refuses (a
 * blank currency beside an amount, a code with no rate), in SQLite and DuckDB alike.
 */
import fc from 'fast-check';
import { rulesToSql, scoreColumns, OUTCOME_IDS, type CellValue, type RuleSet } from '../../src/engine';
import { duckdbRows, engineRows, sqliteRows, verdicts, type Account, type Row } from './engines';
import { cnyRules } from '../support/rules';

const fxRules = (): RuleSet =>
  cnyRules([
    { code: 'EUR', rate: 7.8125 },
    { code: 'USD', rate: 7.1 },
  ]);

/** The engine's verdicts for accounts with a currency column. */
function engineWithCurrency(accounts: readonly Account[], currencies: ReadonlyArray<string | null>, rules: RuleSet): Row[] {
  const columns: Record<string, CellValue[]> = {};
  for (const c of rules.criteria) columns[c.id] = accounts.map((a) => a[c.id] ?? null);
  const result = scoreColumns({ rowCount: accounts.length, columns, currency: [...currencies] }, rules);
  return accounts.map((_, r) => {
    const s = result.score[r] as number;
    return { score: s === s ? s : null, tier: OUTCOME_IDS[result.outcome[r] as number] as string, share: result.presentShare[r] as number };
  });
}

const base = { sales: 200_000, margin: 0.22, growth: 0.08, wallet: 600_000, daysToPay: 45, access: 4, openness: 3 };
const accounts: Account[] = [base, base, base, { ...base, sales: 1_562_500, wallet: 4_687_500 }, base, { margin: 0.3, access: 5 }, { ...base, sales: null }];
const currencies = ['EUR', 'usd', 'JPY', 'CNY', null, null, 'RMB'];

describe('the generated query converts amounts as the engine does', () => {
  const rules = fxRules();
  const expected = engineWithCurrency(accounts, currencies, rules);

  test('the engine: EUR at 7.8125 equals the same amounts in CNY; JPY and a blank currency beside amounts are invalid', () => {
    expect(expected[0]?.score).toBe(expected[3]?.score);
    expect([expected[2]?.tier, expected[4]?.tier]).toEqual(['invalid', 'invalid']);
    // No amount at all: nothing to convert, so a blank currency is no problem.
    expect(expected[5]?.tier).not.toBe('invalid');
  });

  test('SQLite gives the same verdicts', () => {
    expect(verdicts(sqliteRows(accounts, rules, {}, undefined, currencies))).toEqual(expected);
  });

  test('DuckDB gives the same verdicts', async () => {
    expect(verdicts(await duckdbRows(accounts, rules, {}, currencies))).toEqual(expected);
  });

  test('any amounts and currencies (property, SQLite)', () => {
    const amount = fc.option(fc.integer({ min: 0, max: 3_000_000 }), { nil: null });
    const account = fc.record({ sales: amount, wallet: amount, margin: fc.option(fc.double({ min: -0.5, max: 1, noNaN: true }), { nil: null }) });
    const code = fc.constantFrom<string | null>('EUR', 'USD', 'CNY', 'cny', ' eur ', 'GBP', '', null, '\teur\n', '\u00a0USD', '€', '£');
    fc.assert(
      fc.property(fc.array(fc.tuple(account, code), { minLength: 1, maxLength: 30 }), (pairs) => {
        const list = pairs.map(([a]) => ({ ...base, ...a }));
        const codes = pairs.map(([, c]) => c);
        expect(verdicts(sqliteRows(list, rules, {}, undefined, codes))).toEqual(engineWithCurrency(list, codes, rules));
      }),
      { numRuns: 15 },
    );
  });

  // Pasted exports carry tabs, line breaks and no-break spaces around a code; Chinese text an
  // ideographic space. The engine trims them (and reads € and £ as codes); TRIM in SQL strips spaces only.
  const written = ['\tEUR', 'usd\r\n', '\u00a0cny\u00a0', '\u3000EUR', ' \t\nUSD \u00a0', '€', '£', '$', 'rmb\t', 'US\tD', '\t', 'E UR'];
  const many = written.map(() => base);

  test('codes with tabs, line breaks, no-break or ideographic spaces around them, and € or £, read as the engine reads them (SQLite)', () => {
    const expected = engineWithCurrency(many, written, rules);
    // A blank inside a code is no code; £ has no rate here; $ is several currencies; a cell of blanks is a blank currency.
    expect(expected.map((r) => r.tier === 'invalid')).toEqual([false, false, false, false, false, false, true, true, false, true, true, true]);
    expect(verdicts(sqliteRows(many, rules, {}, undefined, written))).toEqual(expected);
  });

  test('the same in DuckDB', async () => {
    expect(verdicts(await duckdbRows(many, rules, {}, written))).toEqual(engineWithCurrency(many, written, rules));
  });

  test("the query says which rates it uses, and without a currency column takes amounts to be in the rule set's currency", () => {
    const sql = rulesToSql(rules, { dialect: 'sqlite', columns: ['id', 'Currency', 'sales'] });
    expect(sql).toContain('1 EUR = 7.8125 CNY');
    expect(sql).toContain('CAST(t."Currency" AS TEXT)');
    const without = rulesToSql(rules, { dialect: 'sqlite', columns: ['id', 'sales'] });
    expect(without).toContain('Amounts are taken to be in CNY');
    expect(verdicts(sqliteRows([base, { ...base, sales: 5_000_000 }], rules))).toEqual(engineRows([base, { ...base, sales: 5_000_000 }], rules));
  });
});
