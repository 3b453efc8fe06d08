/** `kam sql`: the options reach the generator, bad ones are usage errors; Spark and Trino output pinned. */
import { main } from '../../src/cli/kam';
import { defaultRules, rulesToSql, SQL_DIALECTS } from '../../src/engine';
import { engineRows, sqliteRows, verdicts } from './engines';

async function kamSql(args: string[]): Promise<{ status: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(['sql', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) }, { LANG: 'C' });
  return { status, out: out.join('\n'), err: err.join('\n') };
}

describe('kam sql', () => {
  test("prints the generator's query for the options given", async () => {
    const run = await kamSql(['--dialect', 'sqlite', '--table', 'crm.accounts', '--map', 'SALES=Revenue 2024', '--columns', 'id, Revenue 2024', '--lang', 'zh']);
    expect(run.status).toBe(0);
    expect(run.out).toBe(rulesToSql(defaultRules(), { dialect: 'sqlite', table: 'crm.accounts', map: { sales: 'Revenue 2024' }, columns: ['id', 'Revenue 2024'], lang: 'zh' }));
    expect(run.out).toContain('FROM "crm"."accounts" AS t');
    expect(run.out).toContain('t."Revenue 2024"');
    expect(run.out).toContain(`'${defaultRules().tiers.strategic.label.zh}'`);
  });

  test('its output, run in SQLite, scores as the engine', async () => {
    const run = await kamSql(['--dialect', 'sqlite']);
    expect(run.status).toBe(0);
    const accounts = [
      { sales: 400_000, margin: 0.28, growth: 0.15, wallet: 1_500_000, paymentDays: 35, access: 5, openness: 4 },
      { sales: 500_000, growth: 0.1 },
    ];
    expect(verdicts(sqliteRows(accounts, defaultRules(), {}, run.out))).toEqual(engineRows(accounts, defaultRules()));
  });

  test('DuckDB is the default dialect, and leaves the helper columns out itself', async () => {
    const run = await kamSql([]);
    expect(run.out).toBe(rulesToSql(defaultRules(), { dialect: 'duckdb' }));
    expect(run.out).toContain('v.* EXCLUDE (');
  });

  test('usage errors exit 2 and say what is wrong', async () => {
    expect(await kamSql(['--dialect', 'oracle'])).toMatchObject({ status: 2, err: expect.stringContaining('"oracle" is not one of duckdb, sqlite, postgres, spark, trino') });
    expect(await kamSql(['--map', 'turnover=X'])).toMatchObject({ status: 2, err: expect.stringContaining('"turnover" is not a field') });
    expect(await kamSql(['--map', 'sales'])).toMatchObject({ status: 2, err: expect.stringContaining('FIELD=HEADER') });
    expect(await kamSql(['extra'])).toMatchObject({ status: 2 });
    expect(await kamSql(['--help'])).toMatchObject({ status: 0, out: expect.stringContaining('Usage: kam sql') });
    expect(await kamSql(['--help', '--lang', 'zh'])).toMatchObject({ status: 0, out: expect.stringContaining('用法:kam sql') });
  });
});

describe('dialects', () => {
  const columns = ['account', 'sales', 'margin', 'growth', 'wallet', 'paymentDays', 'access', 'openness'];

  test.each(['spark', 'trino'] as const)('%s output is pinned', (dialect) => {
    expect(rulesToSql(defaultRules(), { dialect, columns })).toMatchSnapshot();
  });

  // Functions the query calls, each documented by all five engines (CAST, FLOOR, SUBSTR, LENGTH, NULLIF;
  // SQLite's FLOOR is replaced by CAST). Anything else would be a portability risk.
  const DOCUMENTED = new Set(['CAST', 'FLOOR', 'SUBSTR', 'LENGTH', 'NULLIF']);
  test.each(SQL_DIALECTS)('%s output calls only functions every engine documents', (dialect) => {
    const sql = rulesToSql(defaultRules(), { dialect, columns });
    const code = sql.replace(/--.*$/gm, '').replace(/'(?:[^'\\]|''|\\.)*'/g, "''");
    const called = new Set([...code.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)].map((m) => (m[1] as string).toUpperCase()));
    for (const name of ['AS', 'IN', 'AND', 'OR', 'THEN', 'ELSE', 'WHEN', 'WITH']) called.delete(name);
    for (const cte of ['KAM_INPUTS', 'KAM_CHECKED', 'KAM_POSITIONS', 'KAM_POINTS', 'KAM_SUMS', 'KAM_SCALED', 'KAM_ROUNDED', 'KAM_VERDICT']) called.delete(cte);
    expect([...called].filter((f) => !DOCUMENTED.has(f))).toEqual([]);
    if (dialect === 'sqlite') expect(called.has('FLOOR')).toBe(false);
  });

  test('identifiers and labels are quoted per dialect', () => {
    const rules = defaultRules();
    rules.tiers.key.label.en = "Key 'A' \\ B";
    const map = { sales: 'Sales "x" `y`' };
    expect(rulesToSql(rules, { dialect: 'spark', map })).toContain('t.`Sales "x" ``y```');
    expect(rulesToSql(rules, { dialect: 'spark', map })).toContain("'Key \\'A\\' \\\\ B'");
    for (const dialect of ['duckdb', 'sqlite', 'postgres', 'trino'] as const) {
      expect(rulesToSql(rules, { dialect, map })).toContain('t."Sales ""x"" `y`"');
      expect(rulesToSql(rules, { dialect, map })).toContain("'Key ''A'' \\ B'");
    }
  });

  test('numbers are doubles in every dialect: no integer division, no DECIMAL literals', () => {
    expect(rulesToSql(defaultRules(), { dialect: 'postgres' })).toContain("float8 '0.3'");
    expect(rulesToSql(defaultRules(), { dialect: 'trino' })).toContain('0.3E0');
    expect(rulesToSql(defaultRules(), { dialect: 'spark' })).toContain('100E0');
    expect(rulesToSql(defaultRules(), { dialect: 'sqlite' })).toContain('(CAST(3 AS REAL) / 10)');
  });
});
