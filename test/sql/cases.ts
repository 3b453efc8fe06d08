/** Accounts and rule sets that every SQL engine's test runs: generated inputs and rule-set variations. */
import fc from 'fast-check';
import { defaultRules, parseRules, type RuleSet, type RuleSetInput } from '../../src/engine';
import type { Account } from './engines';

/** Inputs for a rule set: grid points on each curve (so half-way scores occur), any double, blanks, now and then out of range. */
export function accountsFor(rules: RuleSet, count: number, seed: number): Account[] {
  const fields = Object.fromEntries(
    rules.criteria.map((c) => {
      const span = c.curve.max - c.curve.min;
      const lo = c.validMin ?? c.curve.min - span;
      const hi = c.validMax ?? c.curve.max + span;
      const grid = fc
        .integer({ min: -8, max: 48 })
        .map((k) => c.curve.min + (span * k) / 40)
        .filter((x) => x >= lo && x <= hi);
      const any = fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
      const outside = fc.constantFrom(...[c.validMin === undefined ? [] : [c.validMin - 1], c.validMax === undefined ? [] : [c.validMax + 0.5]].flat(), null);
      const value = fc.oneof({ arbitrary: grid, weight: 6 }, { arbitrary: any, weight: 3 }, { arbitrary: fc.constant(null), weight: 2 }, { arbitrary: outside, weight: 1 });
      return [c.id, value];
    }),
  ) as Record<string, fc.Arbitrary<number | null>>;
  return fc.sample(fc.record(fields), { numRuns: count, seed });
}

function variant(change: (r: RuleSetInput) => void): RuleSet {
  const input = structuredClone(defaultRules()) as RuleSetInput;
  change(input);
  const parsed = parseRules(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.rules;
}

export const VARIANTS: Record<string, RuleSet> = {
  default: defaultRules(),
  reweighted: variant((r) => {
    r.criteria.forEach((c, i) => (c.weight = [0.35, 7, 1.5, 12.25, 0, 3, 9.1][i] ?? 1));
    r.missingData.minWeightShare = 0.45;
  }),
  customCriterion: variant((r) => {
    r.criteria.push({
      id: 'complaints',
      label: { en: "Complaints 'per year'", zh: '投诉次数' },
      unit: 'number',
      better: 'lower',
      curve: { type: 'linear', min: 0, max: 12 },
      weight: 8,
      validMin: 0,
      validMax: 100,
      required: true,
    });
    r.knockouts.push({ id: 'tooManyComplaints', effect: 'flag', when: [{ criterion: 'complaints', op: '>=', value: 10 }], reason: { en: 'many', zh: '多' } });
    r.knockouts.push({
      id: 'exactlyFive',
      effect: 'exclude',
      when: [
        { criterion: 'complaints', op: '=', value: 5 },
        { criterion: 'access', op: '<', value: 3 },
      ],
      reason: { en: 'five', zh: '五' },
    });
  }),
  requiredAndHeadroom: variant((r) => {
    for (const c of r.criteria) c.required = c.id === 'margin' || c.id === 'wallet';
    const growth = r.criteria.find((c) => c.id === 'growth')!;
    growth.headroomOver = 'margin';
    r.tiers.strategic.minScore = 66.6;
    r.tiers.key.minScore = 40.05;
    r.tiers.develop.minScore = 12.35;
  }),
};
