import fc from 'fast-check';
import { defaultRules, evaluate, evaluateBatch, parseRules, rulesFromTable, rulesToTable, type RuleSet } from '../../src/engine';

const rules = defaultRules();
const ids = rules.criteria.map((c) => c.id);

/** A value for each criterion inside its valid range, or blank. */
const inputFor = (id: string): fc.Arbitrary<number | null> => {
  const c = rules.criteria.find((x) => x.id === id)!;
  const lo = c.validMin ?? c.curve.min - (c.curve.max - c.curve.min);
  const hi = c.validMax ?? c.curve.max * 3;
  return fc.option(fc.double({ min: lo, max: hi, noNaN: true }), { nil: null, freq: 5 });
};
const account = fc.record(Object.fromEntries(ids.map((id) => [id, inputFor(id)])) as Record<string, fc.Arbitrary<number | null>>);

describe('invariants', () => {
  test('the score is within 0–100 with one decimal, or absent', () => {
    fc.assert(
      fc.property(account, (a) => {
        const { score } = evaluate(a, rules);
        if (score === null) return true;
        return score >= 0 && score <= 100 && Math.abs(score * 10 - Math.round(score * 10)) < 1e-9;
      }),
    );
  });

  test('monotone: a better input never lowers the score', () => {
    fc.assert(
      fc.property(account, fc.constantFrom(...ids), fc.double({ min: 0, max: 1, noNaN: true }), (a, id, step) => {
        const c = rules.criteria.find((x) => x.id === id)!;
        const x = a[id];
        if (x === null || x === undefined) return true;
        const span = c.curve.max - c.curve.min;
        let better = c.better === 'higher' ? x + step * span : x - step * span;
        better = Math.min(c.validMax ?? Infinity, Math.max(c.validMin ?? -Infinity, better));
        const before = evaluate(a, rules).score;
        const after = evaluate({ ...a, [id]: better }, rules).score;
        if (before === null || after === null) return true;
        // Sales also lowers wallet headroom, so raising sales is monotone only in its own points.
        if (id === 'sales' && a.wallet !== null) return true;
        return after >= before;
      }),
    );
  });

  test('knock-outs override the score: below cost and late is Excluded at any score', () => {
    fc.assert(
      fc.property(account, fc.double({ min: -1, max: -0.0001, noNaN: true }), fc.double({ min: 90.01, max: 400, noNaN: true }), (a, margin, days) => {
        return evaluate({ ...a, margin, paymentDays: days }, rules).outcome === 'excluded';
      }),
    );
  });

  test('deterministic, and the inputs and rules are not mutated', () => {
    fc.assert(
      fc.property(account, (a) => {
        const before = JSON.stringify(a);
        const rulesBefore = JSON.stringify(rules);
        const first = evaluate(a, rules);
        const second = evaluate(a, rules);
        return JSON.stringify(a) === before && JSON.stringify(rules) === rulesBefore && JSON.stringify(first) === JSON.stringify(second);
      }),
    );
  });

  test('a batch gives each account the verdict it gets alone', () => {
    fc.assert(
      fc.property(fc.array(account, { maxLength: 30 }), (accounts) => {
        const { verdicts } = evaluateBatch(accounts, rules);
        return accounts.every((a, i) => {
          const alone = evaluate(a, rules);
          return verdicts[i]!.outcome === alone.outcome && verdicts[i]!.score === alone.score;
        });
      }),
    );
  });

  test('texts as people type them score the same as the numbers they stand for', () => {
    const asText = (x: number | null, unit: string): string | null => {
      if (x === null) return null;
      if (unit === 'fraction') return `${+(x * 100).toFixed(6)}%`;
      return x.toLocaleString('en-US', { maximumFractionDigits: 6 });
    };
    fc.assert(
      fc.property(account, (a) => {
        const texts = Object.fromEntries(rules.criteria.map((c) => [c.id, asText(a[c.id] ?? null, c.unit)]));
        const rounded = Object.fromEntries(
          rules.criteria.map((c) => {
            const t = texts[c.id];
            return [c.id, t === null ? null : c.unit === 'fraction' ? +(a[c.id]! * 100).toFixed(6) / 100 : +a[c.id]!.toFixed(6)];
          }),
        );
        const fromText = evaluate(texts, rules);
        const fromNumbers = evaluate(rounded, rules);
        // "1,500" alone is refused as ambiguous; everything else must agree.
        if (fromText.outcome === 'invalid') return fromText.problems.every((p) => p.key === 'ambiguousNumber');
        return fromText.score === fromNumbers.score && fromText.outcome === fromNumbers.outcome;
      }),
    );
  });
});

describe('JSON ↔ table round trip for any valid rule set', () => {
  const text = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s && s.trim() !== '');
  const localized = fc.record({ en: text, zh: text });
  const identifier = fc.stringMatching(/^[a-z][A-Za-z0-9_]{0,10}$/);
  const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });

  const ruleSet: fc.Arbitrary<RuleSet> = fc
    .record({
      name: text,
      extra: fc.uniqueArray(identifier, { minLength: 0, maxLength: 4, selector: (s) => s.toLowerCase() }),
      weights: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 11, maxLength: 11 }),
      curve: fc.tuple(finite, fc.double({ min: 0.001, max: 1e6, noNaN: true })),
      labels: localized,
      aliases: fc.array(text, { maxLength: 3 }),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
      thresholds: fc.tuple(fc.integer({ min: 61, max: 100 }), fc.integer({ min: 41, max: 60 }), fc.integer({ min: 0, max: 40 })),
      knockoutValue: finite,
      seniorVisit: fc.subarray(['strategic', 'key', 'develop'] as const),
      required: fc.array(fc.constantFrom(undefined, true, false), { minLength: 11, maxLength: 11 }),
    })
    .map((g) => {
      const r = defaultRules();
      r.name = g.name;
      const extra = g.extra.filter((id) => !r.criteria.some((c) => c.id.toLowerCase() === id.toLowerCase()));
      for (const id of extra) {
        r.criteria.push({
          id,
          label: g.labels,
          unit: 'number',
          better: 'lower',
          curve: { type: 'linear', min: g.curve[0], max: g.curve[0] + g.curve[1] },
          weight: 5,
          aliases: g.aliases,
        });
      }
      r.criteria.forEach((c, i) => (c.weight = g.weights[i % g.weights.length]! + 1));
      r.criteria.forEach((c, i) => {
        const required = g.required[i % g.required.length];
        if (required === undefined) delete c.required;
        else c.required = required;
      });
      r.missingData.minWeightShare = g.share;
      [r.tiers.strategic.minScore, r.tiers.key.minScore, r.tiers.develop.minScore] = g.thresholds;
      r.tiers.maintain.label = g.labels;
      r.knockouts[1]!.when[0]!.value = g.knockoutValue;
      r.priorities.seniorVisitTiers = [...g.seniorVisit];
      return r;
    });

  test('rulesFromTable(rulesToTable(r)) equals r', () => {
    fc.assert(
      fc.property(ruleSet, (r) => {
        const valid = parseRules(r);
        if (!valid.ok) throw new Error(`the generator made an invalid rule set: ${JSON.stringify(valid.issues)}`);
        const back = rulesFromTable(rulesToTable(valid.rules));
        expect(back.ok && back.rules).toEqual(valid.rules);
        // The sheet a manager reads, in each language, is read back the same.
        for (const lang of ['en', 'zh'] as const) {
          const readable = rulesFromTable(rulesToTable(valid.rules, { lang }));
          expect(readable.ok && readable.rules).toEqual(valid.rules);
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});
