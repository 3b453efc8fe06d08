/** The generated query in SQLite gives the engine's score, tier and present share on every account. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultRules } from '../../src/engine';
import { engineRows, sqliteRows, verdicts, type Account } from './engines';

const golden = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'golden-accounts.json'), 'utf8')) as {
  accounts: Array<{ account: string; inputs: Record<string, unknown>; expected: { outcome: string; score: number | null } }>;
};

describe('SQLite runs the generated query as the engine scores', () => {
  test('the golden accounts whose inputs are numbers or blanks (typed texts such as "18%" are the engine\'s coercion)', () => {
    const plain = golden.accounts.filter((a) => Object.values(a.inputs).every((v) => v === null || typeof v === 'number'));
    expect(plain.length).toBeGreaterThanOrEqual(8);
    const accounts = plain.map((a) => a.inputs as Account);
    const rules = defaultRules();
    const rows = sqliteRows(accounts, rules);
    expect(verdicts(rows)).toEqual(engineRows(accounts, rules));
    expect(rows.map((r) => r.tier)).toEqual(plain.map((a) => a.expected.outcome));
    expect(rows.map((r) => r.score)).toEqual(plain.map((a) => a.expected.score ?? null));
  });
});
