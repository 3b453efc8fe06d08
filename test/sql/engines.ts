/** Runs the generated query in an SQL engine and the same accounts through the engine's kernel. */
import { execFileSync } from 'node:child_process';
import { DIALECTS } from '../../src/engine/sql';
import { columnsFromAccounts, OUTCOME_IDS, rulesToSql, scoreColumns, type RuleSet, type SqlOptions } from '../../src/engine';

export type Account = Readonly<Record<string, number | null | undefined>>;

/** What the SQL query and the kernel both give, compared exactly. */
export interface Row {
  score: number | null;
  tier: string;
  share: number;
}

export interface SqlRow extends Row {
  label: string;
  flags: string;
}

export function engineRows(accounts: readonly Account[], rules: RuleSet): Row[] {
  const result = scoreColumns(columnsFromAccounts(accounts, rules), rules);
  return accounts.map((_, r) => {
    const s = result.score[r] as number;
    return { score: s === s ? s : null, tier: OUTCOME_IDS[result.outcome[r] as number] as string, share: result.presentShare[r] as number };
  });
}

/** A number as an SQLite literal that reads back as the same double (checked by a test). */
const literal = (x: number | null | undefined): string => (x === null || x === undefined ? 'NULL' : DIALECTS.sqlite.double(x));

/**
 * The accounts as an SQLite table `accounts` (row_id, then one untyped column per criterion, so
 * integers stay INTEGER as an import would leave them), and the generated query (or `given`) over it.
 */
export function sqliteRows(accounts: readonly Account[], rules: RuleSet, options: Partial<SqlOptions> = {}, given?: string, currencies?: ReadonlyArray<string | null>): SqlRow[] {
  const ids = rules.criteria.map((c) => options.map?.[c.id] ?? c.id).filter((c) => !(options.absent ?? []).includes(c));
  // A currency column, when given, is text, as an import leaves it.
  const columns = ['row_id', ...(currencies ? ['Currency'] : []), ...ids];
  const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;
  const textLiteral = (t: string | null | undefined): string => (t === null || t === undefined ? 'NULL' : `'${t.replace(/'/g, "''")}'`);
  const rows = accounts.map(
    (a, r) =>
      `(${[String(r), ...(currencies ? [textLiteral(currencies[r])] : []), ...rules.criteria.filter((c) => !(options.absent ?? []).includes(c.id)).map((c) => literal(a[c.id]))].join(', ')})`,
  );
  const query = given ?? rulesToSql(rules, { dialect: 'sqlite', columns, ...options });
  const exact = (column: string): string => `CASE WHEN ${column} IS NULL THEN 'null' ELSE printf('%!.17g', ${column}) END`;
  const sql = [
    `CREATE TABLE accounts (${columns.map(q).join(', ')});`,
    ...chunk(rows, 500).map((part) => `INSERT INTO accounts VALUES ${part.join(',\n')};`),
    `SELECT ${exact('kam_score')}, kam_tier, kam_tier_label, kam_flags, ${exact('kam_present_share')} FROM (\n${query}\n) ORDER BY row_id;`,
  ].join('\n');
  const out = execFileSync('sqlite3', ['-bail', '-separator', '\t', ':memory:'], { input: sql, encoding: 'utf8', maxBuffer: 1 << 28 });
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [score, tier, label, flags, share] = line.split('\t') as [string, string, string, string, string];
      return { score: score === 'null' ? null : Number(score), tier, label, flags, share: Number(share) };
    });
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

/** Drops the text columns, for comparing with the engine. */
export const verdicts = (rows: readonly SqlRow[]): Row[] => rows.map(({ score, tier, share }) => ({ score, tier, share }));

/**
 * The accounts as a DuckDB table of DOUBLE columns (blank = NULL) in memory, the generated query
 * over it, rows back in order. DuckDB runs in the process (@duckdb/node-api).
 */
export async function duckdbRows(accounts: readonly Account[], rules: RuleSet, options: Partial<SqlOptions> = {}, currencies?: ReadonlyArray<string | null>): Promise<SqlRow[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const d = DIALECTS.duckdb;
  const ids = rules.criteria.map((c) => c.id);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE TABLE accounts (row_id INTEGER, ${currencies ? 'ccy VARCHAR, ' : ''}${ids.map((id) => `${d.ident(id)} DOUBLE`).join(', ')})`);
    const code = (r: number): string[] => (currencies ? [currencies[r] === null || currencies[r] === undefined ? 'NULL' : d.text(currencies[r] as string)] : []);
    for (const part of chunk(
      accounts.map(
        (a, r) =>
          `(${[
            String(r),
            ...code(r),
            ...ids.map((id) => {
              const x = a[id];
              return x === null || x === undefined ? 'NULL' : d.double(x);
            }),
          ].join(', ')})`,
      ),
      500,
    )) {
      await connection.run(`INSERT INTO accounts VALUES ${part.join(', ')}`);
    }
    const query = rulesToSql(rules, { dialect: 'duckdb', ...(currencies ? { currencyColumn: 'ccy' } : {}), ...options });
    const reader = await connection.runAndReadAll(`SELECT kam_score, kam_tier, kam_tier_label, kam_flags, kam_present_share FROM (${query}) ORDER BY row_id`);
    return reader.getRowObjectsJS().map((row) => ({
      score: row.kam_score === null ? null : Number(row.kam_score),
      tier: String(row.kam_tier),
      label: String(row.kam_tier_label),
      flags: String(row.kam_flags),
      share: Number(row.kam_present_share),
    }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
