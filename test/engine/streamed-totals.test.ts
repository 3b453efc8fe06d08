import fc from 'fast-check';
import {
  calibrationCriteria,
  capacityPlan,
  capacityTotals,
  defaultRules,
  flagsText,
  rowFlags,
  rowFlagsKey,
  normalizeWord,
  OUTCOME_IDS,
  percentile,
  percentileAt,
  scoreColumns,
  scaleHints,
  scaleHintsFromPercentiles,
  suggestCalibration,
  suggestFromPercentiles,
  wordHash,
  type OutcomeId,
} from '../../src/engine';

/**
 * What a streamed CSV computes from counts, hashes and percentiles taken on disk must be what the
 * engine computes from the rows themselves (issue 7: flat memory, the same answers).
 */
describe('totals a streamed file takes without keeping its rows', () => {
  const rules = defaultRules();

  test('capacityTotals from the counts per tier equals capacityPlan over the rows', () => {
    const outcome = fc.constantFrom(...OUTCOME_IDS);
    fc.assert(
      fc.property(fc.array(outcome, { maxLength: 300 }), fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 3000 })), (outcomes, capacity) => {
        const plan = capacityPlan(
          outcomes,
          outcomes.map(() => null),
          capacity,
          rules,
        );
        const counts = Object.fromEntries(OUTCOME_IDS.map((id) => [id, outcomes.filter((o) => o === id).length])) as Record<OutcomeId, number>;
        const totals = capacityTotals(counts, capacity, rules);
        expect(totals.demand).toBe(plan.demand);
        expect(totals.over).toBe(plan.over);
        expect(totals.cutCount).toBe(plan.cuts.length);
        expect(totals.byTier).toEqual(plan.byTier);
        expect(totals.finding).toEqual(plan.finding);
      }),
    );
  });

  test('capacityTotals refuses what capacityPlan refuses', () => {
    expect(capacityTotals({ key: 3 }, -1, rules).finding?.key).toBe(capacityPlan(['key', 'key', 'key'], [null, null, null], -1, rules).finding?.key);
    expect(capacityTotals({ key: 3 }, 10, null as never).finding).toEqual(capacityPlan(['key', 'key', 'key'], [null, null, null], 10, null as never).finding);
  });

  test('wordHash is the hash of normalizeWord: equal words hash alike, an empty word is -1', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('A', 'b', ' ', '-', '_', '.', '(', 'Ａ', 'ß', '–', '	', '客', 'İ') }));
    fc.assert(
      fc.property(text, (s) => {
        const word = normalizeWord(s);
        expect(wordHash(s)).toBe(wordHash(word));
        expect(wordHash(s) === -1).toBe(word === '');
        expect(Number.isSafeInteger(wordHash(s))).toBe(true);
      }),
    );
    expect(wordHash('ACME Ltd.')).toBe(wordHash('acme-ltd'));
    expect(wordHash('ＡＣＭＥ')).toBe(wordHash('acme'));
    expect(wordHash('Acme')).not.toBe(wordHash('Acne'));
  });

  test('suggestions and scale hints from percentiles taken elsewhere equal those from the columns', () => {
    const amounts = fc.array(fc.oneof(fc.integer({ min: -5, max: 5_000_000 }), fc.constant(0), fc.double({ min: 1, max: 1e9, noNaN: true })), { minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(amounts, amounts, (sales, wallet) => {
        const columns = { sales, wallet };
        const taken = Object.fromEntries(
          calibrationCriteria(rules).map((id) => {
            const values = (columns[id as 'sales'] ?? []).filter((v) => v > 0).sort((a, b) => a - b);
            return [id, { value: percentile(values, 0.9), count: values.length }];
          }),
        );
        const usable = Object.fromEntries(Object.entries(taken).filter(([, t]) => t.count > 0));
        expect(suggestFromPercentiles(usable, rules)).toEqual(suggestCalibration(columns, rules));
        expect(scaleHintsFromPercentiles(usable, rules)).toEqual(scaleHints(columns, rules));
      }),
    );
  });

  test('rows with the same rowFlagsKey have the same flags; rows with problems have no key', () => {
    const cell = (values: ReadonlyArray<string | number | null>) => fc.constantFrom(...values);
    const row = fc.record({
      sales: cell([null, 0, 250_000, 2_000_000, 'lots']),
      margin: cell([null, -0.05, 0.12, 0.4]),
      growth: cell([null, 0.05]),
      paymentDays: cell([null, 30, 150]),
      access: cell([null, 1, 4]),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), fc.constantFrom('en' as const, 'zh' as const), (rows, lang) => {
        const columns = Object.fromEntries(['sales', 'margin', 'growth', 'paymentDays', 'access'].map((id) => [id, rows.map((r) => r[id as keyof typeof r])]));
        const result = scoreColumns({ rowCount: rows.length, columns }, rules, { absent: ['wallet', 'openness'] });
        const byKey = new Map<string, string>();
        rows.forEach((_, k) => {
          const key = rowFlagsKey(result, k);
          const text = flagsText(rowFlags(result, k), lang, rules);
          if (result.problems.has(k)) expect(key).toBeUndefined();
          else if (key !== undefined) {
            if (byKey.has(key)) expect(text).toBe(byKey.get(key));
            byKey.set(key, text);
          }
        });
      }),
    );
  });

  test('percentileAt, reading ranks one by one, equals percentile over the sorted array', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 50 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, p) => {
        const sorted = [...values].sort((a, b) => a - b);
        const read: number[] = [];
        expect(percentileAt(sorted.length, p, (rank) => (read.push(rank), sorted[rank] as number))).toBe(percentile(sorted, p));
        expect(read.length).toBeLessThanOrEqual(2);
      }),
    );
    expect(percentileAt(0, 0.9, () => 1)).toBeNaN();
  });
});
