import {
  applyCalibration,
  capacityPlan,
  defaultRules,
  growthFromSeries,
  horizonBucket,
  horizonBucketLabels,
  needsBalance,
  needsSeniorVisit,
  niceRound,
  percentile,
  planFlags,
  portfolioQuadrant,
  priorityRanks,
  relationshipCoverage,
  suggestCalibration,
  type ContactInput,
  type OutcomeId,
} from '../../src/engine';

const rules = defaultRules();

describe('relationship coverage (domain.md §2)', () => {
  const team: ContactInput[] = [
    { name: 'Wang', role: 'decision maker', stance: 'supporter', influence: 'high' },
    { name: 'Li', role: 'coach', stance: 4 },
    { name: 'Zhao', role: 'technical buyer', stance: 'neutral' },
    { name: 'Chen', role: 'user', stance: '支持' },
    { name: 'Sun', role: '使用者', stance: 'opponent', influence: '低' },
  ];

  test('depth, decision maker, coach and balance add up as the rule book says', () => {
    const c = relationshipCoverage(team, rules);
    // solid (supporters, rating ≥ 1): 3 → 40×3/5 = 24; decision maker a supporter, so engaged: +25;
    // coach +15; balance: supporters 3 − opponents 1 = 2 of 5 contacts → 20×2/5 = 8. Total 72.
    expect(c).toMatchObject({ coverage: 72, contacts: 5, solid: 3, supporters: 3, opponents: 1, decisionMaker: 'engaged', hasCoach: true });
    expect(c.redFlags).toEqual([]);
  });

  test('a single contact is single-threaded; no decision maker, no coach', () => {
    const c = relationshipCoverage([{ name: 'Wu', role: 'user', stance: 'supporter' }], rules);
    expect(c.redFlags.map((f) => f.key)).toEqual(['singleThreaded', 'decisionMakerUnknown', 'noCoach']);
    expect(c.coverage).toBe(28); // 40×1/5 + 20×1/1
  });

  test('an opposed decision maker, an influential opponent, an unresolved vested interest', () => {
    const c = relationshipCoverage(
      [
        { name: 'Boss', role: 'economic buyer', stance: -4, influence: 'high' },
        { name: 'IT', role: 'technical', stance: 'neutral', vestedInterest: 'our system replaces his', resolved: 'no' },
        { name: 'Ops', role: 'user', stance: 'neutral', vestedInterest: 'kickback from incumbent', resolved: 'yes' },
        { name: 'Coach', role: '内线', stance: 2 },
      ],
      rules,
    );
    expect(c.decisionMaker).toBe('opposed');
    // Only the coach supports: single-threaded too.
    expect(c.redFlags.map((f) => f.key)).toEqual(['singleThreaded', 'decisionMakerOpposed', 'influentialOpponent', 'vestedInterest']);
    expect(c.redFlags[3]!.params).toEqual({ names: 'IT' });
  });

  test('a decision maker is engaged when said so, or a supporter when nobody said', () => {
    const status = (contact: ContactInput): string => relationshipCoverage([{ name: 'DM', role: 'dm', ...contact }], rules).decisionMaker;
    expect(status({ stance: 'supporter', engaged: 'No' })).toBe('notEngaged');
    expect(status({ stance: 'neutral', engaged: 'yes' })).toBe('engaged');
    expect(status({ stance: 'supporter' })).toBe('engaged');
    expect(status({ stance: 'neutral' })).toBe('notEngaged');
    expect(status({})).toBe('notEngaged');
    expect(status({ stance: -1, engaged: 'yes' })).toBe('opposed');
  });

  test('a decision maker not engaged earns no points, and neutral contacts are not solid', () => {
    const c = relationshipCoverage(
      [
        { name: 'DM', role: 'dm', stance: 'neutral', engaged: 'No' },
        { name: 'A', role: 'user', stance: 'neutral' },
        { name: 'B', role: 'technical', stance: 0 },
      ],
      rules,
    );
    expect(c).toMatchObject({ decisionMaker: 'notEngaged', solid: 0, coverage: 0 });
    expect(c.redFlags.map((f) => f.key)).toEqual(['singleThreaded', 'noCoach']);
  });

  test('unreadable contacts are reported and left out, not guessed', () => {
    const c = relationshipCoverage([{ name: 'X', role: 'janitor', stance: 9 }], rules);
    expect(c.contacts).toBe(0);
    expect(c.problems.map((p) => p.key)).toEqual(['unknownWord', 'outOfRange']);
  });

  test('coverage never exceeds 100', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ name: `c${i}`, role: i === 0 ? 'dm' : 'coach', stance: 5 }));
    expect(relationshipCoverage(many, rules).coverage).toBe(100);
  });
});

describe('needs and horizons (domain.md §3–4)', () => {
  test('short/long balance and the earliest expected result', () => {
    const b = needsBalance([
      { need: 'lower price', horizon: 'short', months: 2 },
      { need: 'move up-market', horizon: '长期', months: 14 },
      { need: 'faster delivery', horizon: 'Short-term' },
    ]);
    expect(b).toEqual({ short: 2, long: 1, earliestMonths: 2, problems: [] });
  });

  test('a key account with only short-term needs: long-term need unknown', () => {
    const b = needsBalance([{ need: 'lower price', horizon: 'short', months: 1 }]);
    expect(planFlags('key', b, rules).map((f) => f.key)).toEqual(['longTermNeedUnknown']);
    expect(planFlags('develop', b, rules)).toEqual([]);
  });

  test('a Strategic/Key account with nothing landing within 12 months is flagged', () => {
    expect(planFlags('strategic', needsBalance([{ horizon: 'long', months: 18 }]), rules).map((f) => f.key)).toEqual(['nothingLanding']);
    expect(planFlags('strategic', null, rules).map((f) => f.key)).toEqual(['nothingLanding']);
    expect(planFlags('strategic', needsBalance([{ horizon: 'long', months: 12 }]), rules)).toEqual([]);
  });

  test('horizon buckets 0–3, 3–6, 6–12, >12', () => {
    expect(horizonBucketLabels(rules)).toEqual(['0–3', '3–6', '6–12', '>12']);
    expect([0, 3, 3.5, 6, 7, 12, 12.1, 40].map((m) => horizonBucket(m, rules))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });
});

describe('priorities (domain.md §4)', () => {
  test('senior-management visit: Strategic or Key with the decision maker not on side', () => {
    expect(needsSeniorVisit('strategic', 'unknown', rules)).toBe(true);
    expect(needsSeniorVisit('key', 'opposed', rules)).toBe(true);
    expect(needsSeniorVisit('key', 'notEngaged', rules)).toBe(true);
    expect(needsSeniorVisit('key', 'engaged', rules)).toBe(false);
    expect(needsSeniorVisit('develop', 'unknown', rules)).toBe(false);
  });

  test('hours against capacity: say by how much, cut from the lowest tiers first', () => {
    const outcomes: OutcomeId[] = ['strategic', 'key', 'develop', 'maintain', 'maintain', 'develop', 'excluded'];
    const scores = [80, 65, 45, 30, 10, 50, 20];
    // 16 + 8 + 4 + 1 + 1 + 4 + 0 = 34 hours
    const plan = capacityPlan(outcomes, scores, 25, rules);
    expect(plan).toMatchObject({ demand: 34, capacity: 25, over: 9 });
    // maintain (lowest score first: rows 4, 3), then develop (row 2 at 45 before row 5 at 50)
    expect(plan.cuts).toEqual([4, 3, 2, 5]);
    expect(plan.finding).toEqual({ key: 'overCapacity', params: { demand: 34, capacity: 25, over: 9 } });
    expect(plan.byTier.develop).toEqual({ accounts: 2, hours: 8 });
  });

  test('accounts without a score are cut first within their tier; a capacity that is not hours is refused', () => {
    const plan = capacityPlan(['maintain', 'maintain', 'maintain'], [30, NaN, null], 1, rules);
    expect(plan.cuts).toEqual([1, 2]);
    for (const capacity of [NaN, -5, '40', null]) {
      const refused = capacityPlan(['key'], [70], capacity as number, rules);
      expect(refused).toMatchObject({ cuts: [], over: 0, finding: { key: 'badArgument', params: { argument: 'capacity' } } });
    }
    expect(capacityPlan(['key'], [70], Infinity, rules)).toMatchObject({ over: 0, cuts: [] });
  });

  test('a plan that fits cuts nothing', () => {
    expect(capacityPlan(['key', 'develop'], [70, 50], 40, rules)).toMatchObject({ over: 0, cuts: [] });
  });

  test('priority ranks: by tier, then score, then sheet order', () => {
    expect(priorityRanks(['develop', 'strategic', 'key', 'develop', 'invalid', 'insufficient'], [50, 80, 61, 55, null, 90])).toEqual([4, 1, 2, 3, 6, 5]);
  });

  test('portfolio quadrants split at 50/50', () => {
    expect([
      portfolioQuadrant(80, 70, rules),
      portfolioQuadrant(80, 20, rules),
      portfolioQuadrant(30, 70, rules),
      portfolioQuadrant(30, 20, rules),
      portfolioQuadrant(50, 50, rules),
    ]).toEqual(['strategic', 'star', 'status', 'streamline', 'strategic']);
  });
});

describe('growth from period totals', () => {
  test('compound rate per period', () => {
    const g = growthFromSeries([100, 110, 121]);
    expect(g.ok && g.growth).toBeCloseTo(0.1, 12);
    const down = growthFromSeries(['1,000,000', 810000]);
    expect(down.ok && down.growth).toBeCloseTo(-0.19, 12);
  });

  test('blank cells around the data are ignored, a gap inside is not guessed', () => {
    expect(growthFromSeries([null, '', 100, 121, null])).toMatchObject({ ok: true, periods: 2 });
    expect(growthFromSeries([100, null, 121])).toMatchObject({ ok: false, problem: { key: 'seriesGap', params: { position: 2 } } });
  });

  test('too short, starting at zero, an error inside', () => {
    expect(growthFromSeries([100])).toMatchObject({ ok: false, problem: { key: 'seriesTooShort' } });
    expect(growthFromSeries([0, 50])).toMatchObject({ ok: false, problem: { key: 'seriesStartsAtZero' } });
    expect(growthFromSeries([10, '#REF!'])).toMatchObject({ ok: false, excelError: '#REF!' });
  });
});

describe('calibration from the data', () => {
  test('percentile matches PERCENTILE.INC; nice rounding keeps two significant digits', () => {
    expect(percentile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(percentile([5], 0.9)).toBe(5);
    expect(niceRound(123456)).toBe(120000);
    expect(niceRound(987)).toBe(990);
  });

  test('suggests the 90th percentile of sales for sales and for wallet headroom', () => {
    const sales = Array.from({ length: 100 }, (_, i) => (i + 1) * 10000); // 10k … 1M
    const suggestions = suggestCalibration({ sales, wallet: sales }, rules);
    // PERCENTILE.INC of 10k..1M at 0.9 = 901,000 → 900,000
    expect(suggestions.map((s) => [s.criterion, s.suggested])).toEqual([
      ['sales', 900000],
      ['wallet', 900000],
    ]);
    const calibrated = applyCalibration(rules, suggestions);
    expect(calibrated.criteria.find((c) => c.id === 'sales')!.curve.max).toBe(900000);
    expect(rules.criteria.find((c) => c.id === 'sales')!.curve.max).toBe(1000000);
  });

  test('no usable values: no suggestion rather than a made-up one', () => {
    expect(suggestCalibration({ sales: [null, 'abc', 0] }, rules)).toEqual([]);
  });
});
