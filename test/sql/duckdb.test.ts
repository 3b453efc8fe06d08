/** The generated DuckDB query, run in DuckDB inside the process, gives the engine's verdicts exactly. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultRules, type RuleSet } from '../../src/engine';
import { accountsFor, VARIANTS } from './cases';
import { duckdbRows, engineRows, sqliteRows, verdicts, type Account } from './engines';

const golden = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'golden-accounts.json'), 'utf8')) as {
  accounts: Array<{ inputs: Record<string, unknown> }>;
};

describe('DuckDB runs the generated query as the engine scores', () => {
  test('the golden accounts with numeric or blank inputs', async () => {
    const accounts = golden.accounts.map((a) => a.inputs).filter((i) => Object.values(i).every((v) => v === null || typeof v === 'number')) as Account[];
    expect(verdicts(await duckdbRows(accounts, defaultRules()))).toEqual(engineRows(accounts, defaultRules()));
  });

  test.each(Object.keys(VARIANTS))('%s rules: 1500 generated accounts, and the same flags and labels as SQLite', async (name) => {
    const rules = VARIANTS[name] as RuleSet;
    const accounts = accountsFor(rules, 1500, 42 + name.length);
    const rows = await duckdbRows(accounts, rules, { lang: 'zh' });
    const expected = engineRows(accounts, rules);
    const got = verdicts(rows);
    for (let i = 0; i < accounts.length; i++) {
      if (JSON.stringify(got[i]) !== JSON.stringify(expected[i])) {
        throw new Error(`account ${JSON.stringify(accounts[i])}: DuckDB ${JSON.stringify(got[i])}, engine ${JSON.stringify(expected[i])}`);
      }
    }
    expect(rows).toEqual(sqliteRows(accounts, rules, { lang: 'zh' }));
  });
});
