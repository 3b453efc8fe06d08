import golden from '../fixtures/golden-accounts.json';
import { defaultRules, evaluate, evaluateBatch, flagsText, outcomeLabel, scoreColumns, explainRow, type RuleSet } from '../../src/engine';

const full = { sales: 500000, margin: 0.15, growth: 0.05, wallet: 1000000, paymentDays: 75, access: 2.5, openness: 2.5 };

describe('golden accounts (worked out by hand from domain.md)', () => {
  test.each(golden.accounts)('$account', ({ inputs, expected }) => {
    const e = evaluate(inputs);
    expect({ outcome: e.outcome, score: e.score, flags: e.flags.map((f) => f.id) }).toEqual(expected);
  });

  test("the issue's cases: the small profitable account outscores the big thin-margin buyer", () => {
    const byName = new Map(golden.accounts.map((g) => [g.account, evaluate(g.inputs)]));
    const small = byName.get('Smaller, profitable, growing, headroom, open doors')!;
    const big = byName.get('Big buyer, thin margin, no growth, no headroom')!;
    expect(small.score!).toBeGreaterThan(big.score!);
  });
});

describe('criterion curves', () => {
  const pointsOf = (id: string, value: unknown, base: Record<string, unknown> = full): number | null =>
    evaluate({ ...base, [id]: value }).criteria.find((c) => c.id === id)!.points;

  test('linear between the curve ends, clamped outside', () => {
    expect(pointsOf('sales', 0)).toBe(0);
    expect(pointsOf('sales', 250000)).toBe(25);
    expect(pointsOf('sales', 1000000)).toBe(100);
    expect(pointsOf('sales', 5000000)).toBe(100);
    expect(pointsOf('growth', -0.1)).toBe(0);
    expect(pointsOf('growth', -0.5)).toBe(0);
    expect(pointsOf('growth', 0.05)).toBeCloseTo(50, 10);
  });

  test('lower is better for days to pay: 100 at ≤ 30 days, 0 at ≥ 120', () => {
    expect(pointsOf('paymentDays', 10)).toBe(100);
    expect(pointsOf('paymentDays', 30)).toBe(100);
    expect(pointsOf('paymentDays', 75)).toBe(50);
    expect(pointsOf('paymentDays', 120)).toBe(0);
    expect(pointsOf('paymentDays', 365)).toBe(0);
  });

  test('wallet scores the headroom over sales, never below zero', () => {
    const wallet = (sales: number, total: number) => evaluate({ ...full, sales, wallet: total }).criteria.find((c) => c.id === 'wallet')!;
    expect(wallet(300000, 800000)).toMatchObject({ input: 800000, scored: 500000, points: 50 });
    expect(wallet(900000, 600000)).toMatchObject({ scored: 0, points: 0 });
  });
});

describe('missing data', () => {
  test('a blank input drops its criterion and renormalises the rest; it is never read as zero', () => {
    const withBlank = evaluate({ ...full, access: null });
    const withZero = evaluate({ ...full, access: 0 });
    expect(withBlank.score).not.toBe(withZero.score);
    const present = withBlank.criteria.filter((c) => c.status === 'ok');
    expect(present.reduce((s, c) => s + c.share!, 0)).toBeCloseTo(1, 12);
    expect(withBlank.criteria.find((c) => c.id === 'access')).toMatchObject({ status: 'blank', points: null, share: null });
    expect(withBlank.presentShare).toBeCloseTo(0.9, 12);
  });

  test('exactly 60% of the weight present is enough; less is Insufficient data with the score still shown', () => {
    // sales 20 + margin 20 + growth 15 + access 10 = 65 ≥ 60 → scored tier
    expect(evaluate({ sales: 1e6, margin: 0.3, growth: 0.2, access: 5 }).outcome).toBe('strategic');
    // sales 20 + margin 20 + access 10 + openness 10 = 60 → exactly the threshold
    expect(evaluate({ sales: 1e6, margin: 0.3, access: 5, openness: 5 }).outcome).toBe('strategic');
    // sales 20 + margin 20 + growth 15 = 55 < 60
    const thin = evaluate({ sales: 1e6, margin: 0.3, growth: 0.2 });
    expect(thin).toMatchObject({ outcome: 'insufficient', score: 100 });
  });

  test('nothing present: Insufficient data and no score', () => {
    expect(evaluate({})).toMatchObject({ outcome: 'insufficient', score: null, presentShare: 0 });
  });

  test('a wallet without sales cannot give headroom: said so, not guessed', () => {
    const e = evaluate({ ...full, sales: null });
    expect(e.criteria.find((c) => c.id === 'wallet')).toMatchObject({
      status: 'unscorable',
      note: { key: 'headroomNeedsBase', params: { field: 'wallet', base: 'sales' } },
    });
  });

  test("the flag lists what is missing, with labels in the reader's language", () => {
    const rules = defaultRules();
    const e = evaluate({ ...full, margin: '', paymentDays: null }, rules);
    expect(flagsText(e.flags, 'en', rules)).toBe('missing: Gross margin, Days to pay');
    expect(flagsText(e.flags, 'zh', rules)).toBe('缺少:毛利率、付款天数');
  });
});

describe('knock-out rules', () => {
  test('margin < 0 and paymentDays > 90 excludes whatever the score', () => {
    const e = evaluate({ ...full, sales: 5e6, wallet: 1e7, margin: -0.01, paymentDays: 91, access: 5, openness: 5 });
    expect(e.outcome).toBe('excluded');
    expect(e.score).toBeGreaterThan(60);
    expect(e.knockouts.map((k) => [k.id, k.reason.en])).toEqual([
      ['belowCostLatePayer', 'sells below cost and pays late'],
      ['belowCost', 'below cost'],
    ]);
  });

  test('the edges: margin 0 is not below cost, 90 days is not late', () => {
    expect(evaluate({ ...full, margin: 0, paymentDays: 100 }).knockouts).toEqual([]);
    expect(evaluate({ ...full, margin: -0.1, paymentDays: 90 }).knockouts.map((k) => k.id)).toEqual(['belowCost']);
    expect(evaluate({ ...full, paymentDays: 121 }).knockouts.map((k) => k.id)).toEqual(['chronicLatePayer']);
    expect(evaluate({ ...full, paymentDays: 120 }).knockouts).toEqual([]);
  });

  test('a knock-out fires only when the inputs it reads are present', () => {
    expect(evaluate({ ...full, margin: -0.2, paymentDays: null }).outcome).not.toBe('excluded');
  });

  test('an Excluded verdict overrides Insufficient data', () => {
    expect(evaluate({ margin: -0.2, paymentDays: 100 }).outcome).toBe('excluded');
  });
});

describe('tiers', () => {
  const rules = defaultRules();
  /** One criterion whose points equal its input, so a test can ask for any score. */
  const scoreIsInput = (): RuleSet => {
    const r = defaultRules();
    r.criteria = [{ ...r.criteria[0]!, curve: { type: 'linear', min: 0, max: 100 } }];
    r.knockouts = [];
    return r;
  };
  test.each([
    [100, 'strategic'],
    [75, 'strategic'],
    [74.9, 'key'],
    [60, 'key'],
    [59.9, 'develop'],
    [40, 'develop'],
    [39.9, 'maintain'],
    [0, 'maintain'],
  ])('score %p → %p', (score, tier) => {
    expect(evaluate({ sales: score }, scoreIsInput()).outcome).toBe(tier);
  });

  test('labels come from the rule set, in both languages; ids never change', () => {
    const custom = defaultRules();
    custom.tiers.key.label = { en: 'Focus', zh: '重点' };
    expect(outcomeLabel(custom, 'key', 'en')).toBe('Focus');
    expect(outcomeLabel(custom, 'key', 'zh')).toBe('重点');
    expect(outcomeLabel(rules, 'insufficient', 'en')).toBe('Insufficient data');
    expect(outcomeLabel(rules, 'invalid', 'zh')).toBe('输入有误');
  });

  test('the score is rounded to one decimal, and the tier is decided on what the user sees', () => {
    // 74.96 shows as 75.0, so it must be Strategic.
    const r = scoreIsInput();
    expect(evaluate({ sales: 74.96 }, r)).toMatchObject({ score: 75, outcome: 'strategic' });
    expect(evaluate({ sales: 74.94 }, r)).toMatchObject({ score: 74.9, outcome: 'key' });
  });
});

describe('explanations', () => {
  test('contributions add up to the score, and each says its input, points and weight', () => {
    const e = evaluate({ ...full, openness: null });
    const total = e.criteria.reduce((s, c) => s + (c.contribution ?? 0), 0);
    expect(Math.round(total * 10) / 10).toBe(e.score);
    expect(e.criteria.find((c) => c.id === 'margin')).toMatchObject({ input: 0.15, points: 50, weight: 20 });
  });

  test('an unreadable cell makes the account invalid: no score, and the flag says what to fix', () => {
    const rules = defaultRules();
    const e = evaluate({ ...full, growth: 'lots' }, rules);
    expect(e).toMatchObject({ outcome: 'invalid', score: null });
    expect(e.criteria.find((c) => c.id === 'growth')!.status).toBe('invalid');
    expect(e.criteria.find((c) => c.id === 'sales')).toMatchObject({ status: 'ok', input: 500000, points: null });
    expect(flagsText(e.flags, 'en', rules)).toBe('Purchase growth: "lots" is not a number');
    expect(flagsText(e.flags, 'zh', rules)).toBe('采购增长率:“lots”不是数字');
  });
});

describe('batches', () => {
  test('one bad row does not stop the others', () => {
    const accounts = [full, { ...full, margin: 'n.a.' }, { ...full, sales: 900000 }];
    const { verdicts, counts } = evaluateBatch(accounts);
    expect(verdicts.map((v) => v.outcome)).toEqual([evaluate(full).outcome, 'invalid', evaluate(accounts[2]!).outcome]);
    expect(counts.invalid).toBe(1);
  });

  test('explaining a batch row gives the same as evaluating that account alone', () => {
    const rules = defaultRules();
    const rows = golden.accounts.map((g) => g.inputs as Record<string, unknown>);
    const columns = Object.fromEntries(rules.criteria.map((c) => [c.id, rows.map((r) => r[c.id] as never)]));
    const result = scoreColumns({ rowCount: rows.length, columns }, rules, { keepValues: true });
    rows.forEach((row, i) => expect(explainRow(result, i)).toEqual(evaluate(row, rules)));
  });

  test('explainRow refuses a batch scored without its values', () => {
    const rules = defaultRules();
    const result = scoreColumns({ rowCount: 1, columns: {} }, rules);
    expect(explainRow(result, 0)).toMatchObject({ outcome: 'invalid', score: null, problems: [{ key: 'badArgument', params: { argument: 'result' } }] });
  });

  test('portfolio warning: more key accounts than the rule set allows', () => {
    const star = { sales: 1e6, margin: 0.3, growth: 0.2, wallet: 3e6, paymentDays: 30, access: 5, openness: 5 };
    const few = evaluateBatch([star, full, full, full, full, full, full, full, full, full]);
    expect(few.warnings).toEqual([]); // 1 of 10 is within 20%
    const many = evaluateBatch(Array.from({ length: 60 }, () => star));
    expect(many.warnings.map((w) => w.key)).toEqual(['tooManyKeyAccounts', 'keyShareTooHigh']);
  });
});
