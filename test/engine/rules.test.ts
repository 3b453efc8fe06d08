import { cellAddress, defaultRules, evaluate, parseRules, rulesFromTable, rulesToTable, type CellValue, type RuleSet } from '../../src/engine';
import { RULE_ISSUE_PACKS } from '../../src/engine/rules/issues';

const issuesOf = (input: unknown): Array<{ path: string; message: string }> => {
  const result = parseRules(input);
  return result.ok ? [] : result.issues;
};

describe('the default rule set', () => {
  test('is domain.md: seven criteria whose weights add up to 100', () => {
    const rules = defaultRules();
    expect(rules.criteria.map((c) => [c.id, c.weight])).toEqual([
      ['sales', 20],
      ['margin', 20],
      ['growth', 15],
      ['wallet', 15],
      ['paymentDays', 10],
      ['access', 10],
      ['openness', 10],
    ]);
    const result = parseRules(rules);
    expect(result.ok && result.warnings).toEqual([]);
  });

  test('tiers and their thresholds, labels in English and Chinese', () => {
    const t = defaultRules().tiers;
    expect([t.strategic.minScore, t.key.minScore, t.develop.minScore]).toEqual([75, 60, 40]);
    expect(Object.values(t).map((x) => x.label.zh)).toEqual(['战略大客户', '大客户', '潜力客户', '维持客户', '排除', '数据不足']);
  });

  test('each call is a fresh copy: changing one does not change the next', () => {
    const a = defaultRules();
    a.criteria[0]!.weight = 99;
    expect(defaultRules().criteria[0]!.weight).toBe(20);
  });
});

describe('rule-set validation names the field and what is wrong', () => {
  const withCriterion = (patch: Record<string, unknown>, index = 0): unknown => {
    const rules = defaultRules() as unknown as { criteria: Array<Record<string, unknown>> };
    rules.criteria[index] = { ...rules.criteria[index], ...patch };
    return rules;
  };

  test.each<[string, unknown, string, RegExp]>([
    ['negative weight', withCriterion({ weight: -5 }), 'criteria[0].weight', /0 or more/],
    ['weight as text', withCriterion({ weight: 'heavy' }), 'criteria[0].weight', /number/],
    ['curve max not above min', withCriterion({ curve: { type: 'linear', min: 5, max: 5 } }), 'criteria[0].curve.max', /greater than curve.min/],
    ['unknown unit', withCriterion({ unit: 'furlongs' }), 'criteria[0].unit', /currency/],
    ['bad id', withCriterion({ id: '1st' }), 'criteria[0].id', /start with a letter/],
    ['duplicate id', withCriterion({ id: 'sales' }, 1), 'criteria[1].id', /already used/],
    ['empty Chinese label', withCriterion({ label: { en: 'Sales', zh: ' ' } }), 'criteria[0].label.zh', /empty/],
    ['typo in a field name', withCriterion({ wieght: 3 }), 'criteria[0]', /unknown field: wieght/],
    ['headroom over a missing criterion', withCriterion({ headroomOver: 'nope' }, 3), 'criteria[3].headroomOver', /not another criterion/],
  ])('%s', (_, input, path, message) => {
    const issues = issuesOf(input);
    expect(issues).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  test('tier thresholds must descend', () => {
    const rules = defaultRules();
    rules.tiers.key.minScore = 80;
    expect(issuesOf(rules)).toContainEqual({ path: 'tiers.key.minScore', message: expect.stringMatching(/below strategic/) });
  });

  test('a knock-out on an unknown criterion', () => {
    const rules = defaultRules();
    rules.knockouts[0]!.when[0]!.criterion = 'profit';
    expect(issuesOf(rules)).toContainEqual({ path: 'knockouts[0].when[0].criterion', message: expect.stringMatching(/not a criterion/) });
  });

  test('a wrong schema version', () => {
    expect(issuesOf({ ...defaultRules(), version: 2 }).map((i) => i.path)).toEqual(['version']);
  });

  test('weights that do not add up to 100 are used as shares, and the user is told', () => {
    const rules = defaultRules();
    rules.criteria.forEach((c) => (c.weight *= 2));
    const result = parseRules(rules);
    expect(result.ok && result.warnings).toEqual([{ key: 'weightsNormalised', params: { sum: 200 } }]);
    // Doubling every weight changes nothing in the verdicts.
    const account = { sales: 400000, margin: 0.2, growth: 0.05, wallet: 900000, paymentDays: 45, access: 3, openness: 2 };
    expect(evaluate(account, result.ok ? result.rules : defaultRules()).score).toBe(evaluate(account).score);
  });

  test("issues are told in Chinese too: our own messages and zod's", () => {
    const rules = defaultRules() as unknown as { criteria: Array<Record<string, unknown>> };
    rules.criteria[0] = { ...rules.criteria[0], weight: -1, unit: 'furlongs' };
    rules.criteria[1] = { ...rules.criteria[1], curve: { type: 'linear', min: 1, max: 0 } };
    const result = parseRules(rules, 'zh');
    expect(!result.ok && result.issues).toEqual([
      { path: 'criteria[0].unit', message: expect.stringMatching(/[\u4e00-\u9fff]/) },
      { path: 'criteria[0].weight', message: '必须大于或等于 0' },
      { path: 'criteria[1].curve.max', message: '必须大于 curve.min(1)' },
    ]);
  });

  test('every issue message exists in every language', () => {
    expect(Object.keys(RULE_ISSUE_PACKS.zh).sort()).toEqual(Object.keys(RULE_ISSUE_PACKS.en).sort());
  });

  test('all weights zero is refused', () => {
    const rules = defaultRules();
    rules.criteria.forEach((c) => (c.weight = 0));
    expect(issuesOf(rules)).toContainEqual({ path: 'criteria', message: 'the weights must not all be 0' });
  });
});

describe('users add their own criteria and drop defaults', () => {
  test('a custom criterion scores like any other; a dropped one is simply not asked for', () => {
    const rules: RuleSet = defaultRules();
    rules.criteria = rules.criteria.filter((c) => c.id !== 'openness');
    rules.criteria.push({
      id: 'strategicFit',
      label: { en: 'Strategic fit', zh: '战略契合度' },
      unit: 'rating',
      better: 'higher',
      curve: { type: 'linear', min: 1, max: 10 },
      weight: 10,
      validMin: 1,
      validMax: 10,
      aliases: ['fit'],
    });
    const valid = parseRules(rules);
    expect(valid.ok).toBe(true);
    const e = evaluate({ sales: 1e6, margin: 0.3, growth: 0.2, wallet: 2e6, paymentDays: 30, access: 5, strategicFit: 5.5, openness: 0 }, rules);
    // 90 weight at 100 points, strategic fit at 50 points: (9000 + 500) / 100.
    expect(e.score).toBe(95);
    expect(e.criteria.map((c) => c.id)).not.toContain('openness');
  });
});

describe('the table codec (the KAM Rules sheet)', () => {
  test('the default rule set survives JSON → table → JSON', () => {
    const table = rulesToTable(defaultRules());
    const back = rulesFromTable(table);
    expect(back.ok && back.rules).toEqual(defaultRules());
  });

  test('the table is rectangular, as a sheet range is', () => {
    const table = rulesToTable(defaultRules());
    expect(new Set(table.map((r) => r.length)).size).toBe(1);
  });

  test('numbers are stored as numbers, never as locale-dependent text', () => {
    const table = rulesToTable(defaultRules());
    const margin = table.find((r) => r[0] === 'margin')!;
    expect(margin.slice(6, 9)).toEqual([0, 0.3, 20]);
  });

  test('it reads what Excel hands back: numbers typed as text, nulls for empty cells, reordered columns', () => {
    const table = rulesToTable(defaultRules()).map((row) => row.map((v) => (v === '' ? null : v)));
    const header = table.findIndex((r) => r[0] === 'id' && r[1] === 'label.en');
    // Swap the weight and unit columns throughout the criteria block.
    for (let r = header; table[r]?.[0] !== null && r < table.length; r++) {
      const row = table[r]!;
      [row[3], row[8]] = [row[8]!, row[3]!];
    }
    const sales = table.find((r) => r[0] === 'sales')!;
    sales[3] = '20'; // weight, now in column D, typed as text
    const back = rulesFromTable(table);
    expect(back.ok && back.rules).toEqual(defaultRules());
  });

  test('a bad cell is reported with its address', () => {
    const table: CellValue[][] = rulesToTable(defaultRules());
    const row = table.findIndex((r) => r[0] === 'growth');
    table[row]![8] = -15; // weight
    const result = rulesFromTable(table);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    const [issue] = result.issues;
    expect(issue!.path).toBe('criteria[2].weight');
    expect(cellAddress(issue!.cell!)).toBe(`I${row + 1}`);
    // On a sheet where the table starts at B3, the address moves with it.
    expect(cellAddress(issue!.cell!, { row: 2, col: 1 })).toBe(`J${row + 3}`);
  });

  test('a knock-out condition error points at its row', () => {
    const table = rulesToTable(defaultRules());
    const row = table.findIndex((r) => r[0] === 'belowCostLatePayer' && r[2] === 'paymentDays');
    table[row]![3] = '≈';
    const result = rulesFromTable(table);
    expect(!result.ok && result.issues.map((i) => [i.path, i.cell])).toEqual([['knockouts[0].when[1].op', { row, col: 3 }]]);
  });

  test('an unknown setting and a missing section are reported', () => {
    const table = rulesToTable(defaultRules());
    const row = table.findIndex((r) => r[0] === 'tiers.key.minScore');
    table[row]![0] = 'tiers.key.minimum';
    const result = rulesFromTable(table);
    const settingsHeader = table.findIndex((r) => r[0] === 'setting');
    expect(!result.ok && result.issues).toEqual([
      { path: 'tiers.key.minimum', message: 'unknown setting', cell: { row, col: 0 } },
      { path: 'tiers.key.minScore', message: 'the setting tiers.key.minScore is missing: add a row for it', cell: { row: settingsHeader, col: 0 } },
    ]);
    const noKnockouts = rulesToTable(defaultRules()).map((r) => (r[0] === '[knockouts]' ? r.map(() => 'x') : r));
    const missing = rulesFromTable(noKnockouts);
    expect(!missing.ok && missing.issues.map((i) => i.message)).toContain('the section [knockouts] is missing');
  });

  test('a copied knock-out row whose id was not changed is reported, not merged into the rule above', () => {
    const table = rulesToTable(defaultRules());
    const at = table.findIndex((r) => r[0] === 'chronicLatePayer');
    const copy = [...table[at]!];
    copy[4] = 180;
    copy[5] = 'very late payer';
    table.splice(at + 1, 0, copy);
    const result = rulesFromTable(table);
    expect(!result.ok && result.issues.map((i) => [i.message.startsWith('this row repeats the id "chronicLatePayer"'), i.cell])).toEqual([[true, { row: at + 1, col: 5 }]]);
    // Repeating the same effect and reason on the second row is fine: it is one rule with two conditions.
    const same = rulesToTable(defaultRules());
    const first = same.findIndex((r) => r[0] === 'belowCostLatePayer');
    same[first + 1]![1] = 'exclude';
    const ok = rulesFromTable(same);
    expect(ok.ok && ok.rules).toEqual(defaultRules());
  });

  test("the aliases list stops at the next headed column, so a notes column stays the user's", () => {
    const table = rulesToTable(defaultRules()).map((r) => [...r, '']);
    const header = table.findIndex((r) => r[0] === 'id' && r[1] === 'label.en');
    const width = table[header]!.length;
    table[header]![width - 1] = 'notes';
    table[header + 1]![width - 1] = 'checked by Bob';
    const back = rulesFromTable(table);
    expect(back.ok && back.rules.criteria[0]!.aliases).toEqual(defaultRules().criteria[0]!.aliases);
  });

  test('settings: a list error points at its value, duplicates and extra values are reported', () => {
    const table = rulesToTable(defaultRules());
    const horizon = table.findIndex((r) => r[0] === 'priorities.horizonMonths');
    table[horizon]![2] = 2; // 3 | 2 | 12
    const listError = rulesFromTable(table);
    expect(!listError.ok && listError.issues.map((i) => [i.path, i.cell])).toEqual([['priorities.horizonMonths[1]', { row: horizon, col: 2 }]]);

    const twice = rulesToTable(defaultRules());
    const threshold = twice.findIndex((r) => r[0] === 'tiers.strategic.minScore');
    twice.push(['tiers.strategic.minScore', 90, ...new Array<string>(twice[0]!.length - 2).fill('')]);
    const duplicate = rulesFromTable(twice);
    expect(!duplicate.ok && duplicate.issues.map((i) => i.message)).toEqual([`this setting is already given in A${threshold + 1}`]);

    const extra = rulesToTable(defaultRules());
    extra[threshold]![2] = 80;
    const two = rulesFromTable(extra);
    expect(!two.ok && two.issues).toEqual([{ path: 'tiers.strategic.minScore', message: 'this setting takes one value', cell: { row: threshold, col: 2 } }]);
  });

  test("something that is not a rules table says what it expected, in the reader's language", () => {
    const result = rulesFromTable([
      ['Customer', 'Sales'],
      ['Acme', 5],
    ]);
    expect(!result.ok && result.issues[0]!.message).toMatch(/must start with "kam-rules"/);
    const zh = rulesFromTable([['Customer', 'Sales']], 'zh');
    expect(!zh.ok && zh.issues[0]!.message).toBe('第一个非空行必须以“kam-rules”开头');
  });

  test('a label Excel turned into a number comes back as text', () => {
    const rules = defaultRules();
    rules.tiers.key.label.en = '2';
    const table = rulesToTable(rules).map((r) => r.map((v) => (v === '2' ? 2 : v)));
    const back = rulesFromTable(table);
    expect(back.ok && back.rules.tiers.key.label.en).toBe('2');
  });
});
