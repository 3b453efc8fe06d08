import fc from 'fast-check';
import { priorityRanks } from '../../src/engine/plan';
import { Ranks, TIER_ORDER } from '../../src/cli/csv-ranks';
import { csvNumber } from '../../src/cli/csv-file';

/**
 * Issue 7: a large CSV is scored in two parts, and each thread fills its part's priority ranks.
 * The ranks a part is given, and the bytes the first part's ranks take, must be what one pass over
 * every line gives (the engine's priorityRanks).
 */
const line = fc.record({
  tier: fc.nat(TIER_ORDER.length - 1),
  // Scores repeat (they are rounded to 0.1), and some lines have none.
  score: fc.option(fc.integer({ min: 0, max: 30 }).map((s) => s / 10 + 70)),
});

test('ranks given in two parts, the second resumed after the first, are the ranks of one pass', () => {
  fc.assert(
    fc.property(fc.array(line, { maxLength: 300 }), fc.nat(300), fc.constantFrom('0', '0.0', undefined), (lines, at, format) => {
      const cut = Math.min(at, lines.length);
      const first = new Ranks();
      const all = new Ranks();
      lines.forEach((l, i) => {
        all.add(l.tier, l.score);
        if (i < cut) first.add(l.tier, l.score);
      });
      all.close();
      const counted = first.counted();
      const later = Ranks.resumed(all.after(counted));
      const bytes = all.textBytes(counted, format);
      const given = lines.map((l, i) => (i < cut ? all : later).next(l.tier, l.score));
      const expected = priorityRanks(
        lines.map((l) => TIER_ORDER[l.tier] as (typeof TIER_ORDER)[number]),
        lines.map((l) => l.score),
      );
      expect(given).toEqual(expected);
      expect(bytes).toBe(given.slice(0, cut).reduce((sum, rank) => sum + csvNumber(rank, format).length, 0));
    }),
    { numRuns: 500 },
  );
});

test("the first part's rank bytes count every digit across powers of ten", () => {
  const ranks = new Ranks();
  for (let i = 0; i < 12_345; i++) ranks.add(0, 80);
  ranks.close();
  // 9 one-digit ranks, 90 of two, 900 of three, 9,000 of four, 2,346 of five.
  expect(ranks.textBytes([[[-80, 12_345]]], '0')).toBe(9 + 180 + 2_700 + 36_000 + 11_730);
});
