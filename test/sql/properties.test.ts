/**
 * Generated accounts (blanks, knock-outs, half-way scores, out-of-range inputs, every tier) and
 * rule-set variations: SQLite running the generated query agrees with the engine's kernel exactly.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { DIALECTS } from '../../src/engine/sql';
import { defaultRules, rulesToSql, type RuleSet } from '../../src/engine';
import { accountsFor, VARIANTS } from './cases';
import { engineRows, sqliteRows, verdicts, type Account } from './engines';

describe('generated accounts and rule-set variations', () => {
  test('SQLite reads the literals the query and the tests write as the same doubles as JavaScript', () => {
    // Up to 1e15 in size and down to 1e-12 (below, the shortest text is kept and SQLite may miss by one unit).
    const magnitude = fc.integer({ min: -12, max: 15 });
    const short = fc.tuple(fc.integer({ min: -999999, max: 999999 }), magnitude).map(([n, e]) => Number(`${n}e${e}`));
    const any = fc.tuple(fc.double({ min: 1, max: 10, noNaN: true }), fc.boolean(), magnitude).map(([m, negative, e]) => (negative ? -m : m) * 10 ** e);
    const xs = fc.sample(fc.oneof(short, any), { numRuns: 4000, seed: 7 }).concat([0.15, -0.05, 1 + Number.EPSILON, 62.25, 0.001743883, 1e-7, 0]);
    const sql = xs.map((x) => `SELECT printf('%!.17g', ${DIALECTS.sqlite.double(x)});`).join('\n');
    const out = execFileSync('sqlite3', [':memory:'], { input: sql, encoding: 'utf8', maxBuffer: 1 << 26 })
      .trim()
      .split('\n');
    expect(out.map(Number)).toEqual(xs.map((x) => (Object.is(x, -0) ? 0 : x)));
  });

  test.each(Object.keys(VARIANTS))('%s rules: score, tier and present share match on 1500 accounts', (name) => {
    const rules = VARIANTS[name] as RuleSet;
    const accounts = accountsFor(rules, 1500, 42 + name.length);
    const rows = sqliteRows(accounts, rules);
    const expected = engineRows(accounts, rules);
    const got = verdicts(rows);
    for (let i = 0; i < accounts.length; i++) {
      if (JSON.stringify(got[i]) !== JSON.stringify(expected[i])) {
        throw new Error(`account ${JSON.stringify(accounts[i])}: SQL ${JSON.stringify(got[i])}, engine ${JSON.stringify(expected[i])}`);
      }
    }
    // The sample reaches every outcome, so each branch of the query was compared.
    const tiers = new Set(rows.map((r) => r.tier));
    for (const tier of ['strategic', 'key', 'develop', 'maintain', 'insufficient', 'invalid']) expect(tiers).toContain(tier);
    if (rules.knockouts.some((k) => k.effect === 'exclude')) expect(tiers).toContain('excluded');
  });

  test('half-way scores round up as the engine does', () => {
    // 62.25 and friends: scores ending in 5 at the second decimal, which ROUND would treat differently per engine.
    const rules = VARIANTS.default as RuleSet;
    const accounts = accountsFor(rules, 3000, 99);
    const rows = sqliteRows(accounts, rules);
    expect(verdicts(rows)).toEqual(engineRows(accounts, rules));
  });

  test('labels in Chinese, quotes escaped, flags name knock-outs, required and missing criteria', () => {
    const rules = VARIANTS.customCriterion as RuleSet;
    const accounts: Account[] = [
      { sales: 900_000, margin: -0.1, growth: 0.1, wallet: null, paymentDays: 100, access: 2, openness: 3, complaints: 5 },
      { sales: 900_000, margin: 0.2, growth: 0.1, wallet: 2_000_000, paymentDays: 40, access: 4, openness: 4, complaints: null },
      { sales: 900_000, margin: 0.2, growth: 0.1, wallet: 2_000_000, paymentDays: 40, access: 7, openness: 4, complaints: 1 },
    ];
    const rows = sqliteRows(accounts, rules, { lang: 'zh' });
    expect(rows.map((r) => r.flags)).toEqual(['belowCostLatePayer; belowCost; exactlyFive; missing:wallet', 'required:complaints', 'invalid:access']);
    expect(rows.map((r) => r.tier)).toEqual(['excluded', 'insufficient', 'invalid']);
    expect(rows.map((r) => r.label)).toEqual([rules.tiers.excluded.label.zh, rules.tiers.insufficient.label.zh, '输入有误']);
    expect(rulesToSql(rules, { dialect: 'sqlite' })).not.toContain("Complaints 'per");
  });

  test('a mapped column and a criterion the table lacks', () => {
    const rules = defaultRules();
    const accounts = accountsFor(rules, 300, 5).map((a) => ({ ...a, openness: null }));
    const rows = sqliteRows(
      accounts.map((a) => a),
      rules,
      { map: { sales: 'Annual Sales "2024"' }, absent: ['openness'] },
    );
    expect(verdicts(rows)).toEqual(engineRows(accounts, rules));
  });
});
