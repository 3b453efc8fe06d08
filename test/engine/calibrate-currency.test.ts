import fc from 'fast-check';
import { calibrationAmounts, defaultRules, explainRow, scaleHints, scoreColumns, suggestCalibration, type CellValue, type RuleSet } from '../../src/engine';
import { cnyRules, type FxRow } from '../support/rules';

/**
 * Calibration and the scale hint on a sheet mixing currencies (domain.md §5, §6): the amounts are
 * converted to the rule set's currency first, as scoring converts them, so the suggested targets
 * are in that currency; accounts whose currency cannot be told are left out and counted.
 */
const cnyRates = (
  fx: FxRow[] = [
    { code: 'EUR', rate: 7.8 },
    { code: 'USD', rate: 7.1 },
  ],
): RuleSet => cnyRules(fx);

const ROWS: Array<[string, CellValue, CellValue]> = [
  // currency, sales, wallet
  ['CNY', 780_000, 1_560_000],
  ['EUR', 100_000, 200_000],
  ['USD', 200_000, 300_000],
  ['eur', '€50000', 60_000],
  ['JPY', 9_000_000, 12_000_000],
  ['', 50_000, 80_000],
  ['', null, null],
  ['XYZ', 0, ''],
];
const currency = ROWS.map((r) => r[0]);
const columns = { sales: ROWS.map((r) => r[1]), wallet: ROWS.map((r) => r[2]) };

describe('calibrationAmounts', () => {
  const rules = cnyRates();

  it('converts each account at its rate, and leaves out (and counts) those whose currency is unknown or blank', () => {
    const amounts = calibrationAmounts(columns, rules, currency);
    expect(amounts.currency).toBe('CNY');
    expect(amounts.columns.sales).toEqual([780_000, 780_000, 1_420_000, 390_000]);
    expect(amounts.columns.wallet).toEqual([1_560_000, 1_560_000, 2_130_000, 468_000]);
    // JPY has no rate and the blank cell beside 50,000 is no currency; rows without a positive amount are not counted.
    expect(amounts.leftOut).toBe(2);
  });

  it('converts exactly as scoring does: the same rates, the same accounts left out', () => {
    const amounts = calibrationAmounts(columns, rules, currency);
    const scored = scoreColumns({ rowCount: ROWS.length, columns, currency }, rules, { keepValues: true });
    const salesScored: number[] = [];
    const currencyProblems: number[] = [];
    for (let r = 0; r < ROWS.length; r++) {
      const input = explainRow(scored, r).criteria.find((c) => c.id === 'sales')?.input;
      if (typeof input === 'number' && input > 0 && !scored.problems.has(r)) salesScored.push(input);
      // Left out: the accounts scoring calls Invalid for their currency, among those with an amount above 0.
      if (scored.problems.get(r)?.some((p) => /Currency$/.test(p.key)) && (Number(ROWS[r]?.[1]) > 0 || Number(ROWS[r]?.[2]) > 0)) currencyProblems.push(r);
    }
    expect(amounts.columns.sales).toEqual(salesScored);
    expect(amounts.leftOut).toBe(currencyProblems.length);
  });

  it("gives targets in the rule set's currency: the mixed sheet calibrates as the same sheet written in CNY", () => {
    const mixed = calibrationAmounts(columns, rules, currency);
    const inCny = calibrationAmounts({ sales: [780_000, 780_000, 1_420_000, 390_000] }, rules);
    const a = suggestCalibration(mixed.columns, rules);
    const b = suggestCalibration(inCny.columns, rules);
    expect(a.map((s) => [s.criterion, s.suggested])).toEqual(b.map((s) => [s.criterion, s.suggested]));
    expect(a.find((s) => s.criterion === 'sales')?.basis.values).toBe(4);
    // Raw, the 9,000,000 yen would have set the target; converted, it is left out.
    expect(suggestCalibration(columns, rules).find((s) => s.criterion === 'sales')?.suggested).not.toBe(a.find((s) => s.criterion === 'sales')?.suggested);
  });

  it('the scale hint reads converted amounts too', () => {
    const far = cnyRates([{ code: 'EUR', rate: 0.0001 }]);
    const amounts = calibrationAmounts({ sales: [100_000, 200_000, 300_000] }, far, ['EUR', 'EUR', 'EUR']);
    // 100,000 EUR at 0.0001 is 10 CNY: far below the 1,000,000 CNY target.
    expect(scaleHints(amounts.columns, far).map((h) => [h.criterion, h.p90])).toEqual([['sales', 28]]);
    expect(scaleHints({ sales: [100_000, 200_000, 300_000] }, far)).toEqual([]);
  });

  it("without a currency column, a mark in the amount says its currency; plain amounts are the rule set's", () => {
    const amounts = calibrationAmounts({ sales: [100_000, '€100000', '100000 EUR', '$5'] }, rules);
    expect(amounts.columns.sales).toEqual([100_000, 780_000, 780_000]);
    expect(amounts.leftOut).toBe(1); // `$` alone is ambiguous
  });

  it('a rule set without a currency converts nothing and reads no currency column', () => {
    const amounts = calibrationAmounts(columns, defaultRules(), currency);
    expect(amounts.currency).toBeUndefined();
    expect(amounts.leftOut).toBe(0);
    expect(amounts.columns.sales).toEqual([780_000, 100_000, 200_000, 50_000, 9_000_000, 50_000]);
    expect(suggestCalibration(amounts.columns, defaultRules())).toEqual(suggestCalibration(columns, defaultRules()));
  });

  it('any amounts and any rate: a sheet in a foreign currency calibrates as the converted sheet (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 30 }), fc.double({ min: 0.001, max: 1000, noNaN: true }), (sales, rate) => {
        const r = cnyRates([{ code: 'JPY', rate }]);
        const foreign = calibrationAmounts(
          { sales },
          r,
          sales.map(() => 'JPY'),
        );
        const local = calibrationAmounts(
          { sales: sales.map((s) => s * rate) },
          r,
          sales.map(() => 'CNY'),
        );
        expect(foreign).toEqual(local);
        expect(suggestCalibration(foreign.columns, r)).toEqual(suggestCalibration(local.columns, r));
      }),
      { numRuns: 100 },
    );
  });

  it('holds nothing for what is not a sheet', () => {
    expect(calibrationAmounts({ sales: 'abc' } as never, rules)).toEqual({ columns: {}, currency: 'CNY', leftOut: 0 });
    expect(calibrationAmounts(null as never, rules)).toEqual({ columns: {}, leftOut: 0 });
    expect(calibrationAmounts(columns, {} as never)).toEqual({ columns: {}, leftOut: 0 });
  });
});
