import fc from 'fast-check';
import { defaultRules, evaluate, explainRow, parseRules, rulesFromTable, rulesToTable, scoreColumns, type CellValue, type RuleSet } from '../../src/engine';
import { cnyRules } from '../support/rules';

/** The default rules scored in CNY, with rates for EUR and USD (domain.md §6). */
const cnyRates = (): RuleSet =>
  cnyRules([
    { code: 'EUR', rate: 7.8, date: '2026-11-30' },
    { code: 'USD', rate: 7.1 },
  ]);

const account = { sales: 100_000, margin: 0.25, growth: 0.1, wallet: 300_000, daysToPay: 40, access: 4, openness: 3 };

describe("amounts in several currencies are scored in the rule set's", () => {
  const rules = cnyRates();

  it("an account in EUR scores as the same amounts converted to CNY at the table's rate", () => {
    const inEur = evaluate({ ...account, currency: 'EUR' }, rules);
    const inCny = evaluate({ ...account, sales: account.sales * 7.8, wallet: account.wallet * 7.8, currency: 'CNY' }, rules);
    expect(inEur.score).toBe(inCny.score);
    expect(inEur.outcome).toBe(inCny.outcome);
    expect(inEur.problems).toEqual([]);
    // The explanation shows the original amount, the rate and what was scored.
    expect(inEur.conversion).toEqual({ code: 'EUR', rate: 7.8, date: '2026-11-30', into: 'CNY' });
    const sales = inEur.criteria.find((c) => c.id === 'sales');
    expect([sales?.original, sales?.input]).toEqual([100_000, 780_000]);
    // Amounts only: a margin or a day count is not converted.
    expect(inEur.criteria.find((c) => c.id === 'margin')?.input).toBe(0.25);
  });

  it('converts before knock-outs and headroom read the amounts', () => {
    // Headroom is wallet − sales in one currency; converting both keeps it consistent.
    const eur = evaluate({ ...account, currency: 'EUR' }, rules);
    const wallet = eur.criteria.find((c) => c.id === 'wallet');
    expect(wallet?.scored).toBeCloseTo((300_000 - 100_000) * 7.8, 6);
  });

  it('any amounts and any rate: converting first gives the same verdict (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 5e6, noNaN: true }),
        fc.double({ min: 0, max: 5e6, noNaN: true }),
        fc.double({ min: 0.001, max: 1000, noNaN: true }),
        (sales, wallet, rate) => {
          const r = parseRules({ ...defaultRules(), currency: 'CNY', fx: [{ code: 'JPY', rate }] });
          if (!r.ok) throw new Error('rules');
          const foreign = scoreColumns({ rowCount: 1, columns: { ...cols(account), sales: [sales], wallet: [wallet] }, currency: ['JPY'] }, r.rules);
          const local = scoreColumns({ rowCount: 1, columns: { ...cols(account), sales: [sales * rate], wallet: [wallet * rate] }, currency: ['CNY'] }, r.rules);
          expect([foreign.score[0], foreign.outcome[0]]).toEqual([local.score[0], local.outcome[0]]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('names what cannot be converted, account by account, and scores the rest', () => {
    const result = scoreColumns({ rowCount: 5, columns: { ...cols(account, 5), sales: [100, 100, 100, '€100', '$100'] }, currency: ['GBP', '', 'usd', 'USD', ''] }, rules, {
      keepValues: true,
    });
    const keys = [0, 1, 2, 3, 4].map((r) => result.problems.get(r)?.map((p) => p.key) ?? []);
    expect(keys).toEqual([['unknownCurrency'], ['missingCurrency'], [], ['currencyConflict'], ['ambiguousCurrency']]);
    expect(explainRow(result, 2).conversion).toEqual({ code: 'USD', rate: 7.1, into: 'CNY' });
    expect([...result.outcome].map((o, r) => (result.problems.has(r) ? 'invalid' : o))).toEqual(['invalid', 'invalid', result.outcome[2], 'invalid', 'invalid']);
  });

  it("without a currency column, amounts are in the rule set's currency unless they say € or £", () => {
    const plain = scoreColumns(
      { rowCount: 4, columns: { ...cols(account, 4), sales: [780_000, '€100000', '100000 EUR', 'EUR 100000'], wallet: [2_340_000, 300_000, 300_000, 300_000] } },
      rules,
      { keepValues: true },
    );
    expect(plain.problems.size).toBe(0);
    expect([...plain.conversion!.rate]).toEqual([1, 7.8, 7.8, 7.8]);
    expect([plain.score[1], plain.score[2], plain.score[3]]).toEqual([plain.score[0], plain.score[0], plain.score[0]]);
  });

  it('a rule set without a currency converts nothing and reads no currency column', () => {
    const none = scoreColumns({ rowCount: 1, columns: cols(account), currency: ['XYZ'] }, defaultRules());
    expect(none.problems.size).toBe(0);
    expect(none.conversion).toBeUndefined();
  });
});

describe('the KAM Rules sheet carries the currency and its FX table', () => {
  it.each([undefined, 'en', 'zh'] as const)('round trip (layout %s)', (lang) => {
    const rules = cnyRates();
    const table = rulesToTable(rules, lang === undefined ? {} : { lang });
    const back = rulesFromTable(table);
    expect(back.ok && back.rules).toEqual(rules);
  });

  it('a rule set without a currency writes no currency section', () => {
    expect(rulesToTable(defaultRules()).flat()).not.toContain('[currency]');
  });

  it('a rate typed as a date cell or an Excel serial reads as its day', () => {
    const table = rulesToTable(cnyRates()).map((row) => row.map((v) => (v === '2026-11-30' ? 46356 : v)));
    const back = rulesFromTable(table);
    expect(back.ok && back.rules.fx?.[0]?.date).toBe('2026-11-30');
  });

  it('names the cell when the first currency row is not at rate 1, and a rate that is not positive', () => {
    const table = rulesToTable(cnyRates());
    const baseRow = table.findIndex((r) => r[0] === 'CNY');
    const bad = table.map((row, i) => (i === baseRow ? ['CNY', 2, ''] : row.map((v) => (v === 7.1 ? -1 : v))));
    const back = rulesFromTable(bad);
    expect(back.ok).toBe(false);
    if (!back.ok) expect(back.issues.map((i) => i.path)).toContain('currency');
    const negative = rulesFromTable(table.map((row) => row.map((v) => (v === 7.1 ? -1 : v))));
    expect(!negative.ok && negative.issues.map((i) => [i.path, i.cell !== undefined])).toEqual([['fx[1].rate', true]]);
  });

  it('refuses FX rates without a currency, an unknown code shape, and a code given twice', () => {
    const issues = (doc: object): string[] => {
      const r = parseRules({ ...defaultRules(), ...doc });
      return r.ok ? [] : r.issues.map((i) => i.path);
    };
    expect(issues({ fx: [{ code: 'EUR', rate: 7.8 }] })).toEqual(['fx']);
    expect(issues({ currency: 'cny' })).toEqual(['currency']);
    expect(
      issues({
        currency: 'CNY',
        fx: [
          { code: 'EUR', rate: 7.8 },
          { code: 'EUR', rate: 7.9 },
        ],
      }),
    ).toEqual(['fx[1].code']);
  });
});

function cols(a: Record<string, number>, rows = 1): Record<string, CellValue[]> {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, new Array<CellValue>(rows).fill(v)]));
}
