/** `kam score FILE --engine duckdb`: DuckDB scores a CSV or Parquet file into CSV or Parquet, as the engine would. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/kam';
import { defaultRules, parseCsv } from '../../src/engine';
import { accountsFor } from './cases';
import { engineRows } from './engines';

async function kam(args: string[]): Promise<{ status: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, { LANG: 'C' });
  return { status, out: out.join('\n'), err: err.join('\n') };
}

describe('kam score --engine duckdb', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kam-duckdb-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const rules = defaultRules();
  const accounts = accountsFor(rules, 400, 11);
  const ids = rules.criteria.map((c) => c.id);
  // Sales under another header, mapped; the account name first; blanks as empty cells.
  const headers = ['Account', ...ids.map((id) => (id === 'sales' ? 'Revenue' : id))];
  const csv = [
    headers.join(','),
    ...accounts.map((a, i) => [`"Acme ""${i}"", Ltd"`, ...ids.map((id) => (a[id] === null || a[id] === undefined ? '' : String(a[id])))].join(',')),
  ].join('\n');
  const input = path.join(dir, 'accounts.csv');
  fs.writeFileSync(input, `${csv}\n`);

  test('CSV in, CSV out: every column kept, verdicts as the engine gives them', async () => {
    const run = await kam(['score', input, '--engine', 'duckdb', '--map', 'sales=Revenue']);
    expect(run).toMatchObject({ status: 0, err: '' });
    expect(run.out).toContain('Scored 400 accounts with DuckDB');
    const table = parseCsv(fs.readFileSync(path.join(dir, 'accounts.kam.csv'), 'utf8'));
    const [head, ...rows] = table.records.map((r) => r.fields);
    expect(head).toEqual([...headers, 'kam_score', 'kam_tier', 'kam_tier_label', 'kam_flags', 'kam_present_share']);
    expect(rows.map((r) => r[0])).toEqual(accounts.map((_, i) => `Acme "${i}", Ltd`));
    const expected = engineRows(accounts, rules);
    const n = headers.length;
    expect(rows.map((r) => ({ score: r[n] === '' ? null : Number(r[n]), tier: r[n + 1], share: Number(r[n + 4]) }))).toEqual(expected);
  });

  test('Parquet out, then Parquet in; an existing output is never overwritten', async () => {
    const parquet = path.join(dir, 'scored.parquet');
    expect((await kam(['score', input, '--engine', 'duckdb', '--map', 'sales=Revenue', '--out', parquet])).status).toBe(0);
    const again = await kam(['score', input, '--engine', 'duckdb', '--map', 'sales=Revenue', '--out', parquet]);
    expect(again.status).toBe(2);
    const rescored = path.join(dir, 'rescored.csv');
    const run = await kam(['score', parquet, '--engine', 'duckdb', '--map', 'sales=Revenue', '--out', rescored, '--lang', 'zh']);
    expect(run.status).toBe(0);
    expect(run.out).toContain('已用 DuckDB 为 400 个客户评分');
  });

  test('bad input is a clear error, exit 2', async () => {
    expect(await kam(['score', input, '--engine', 'spark'])).toMatchObject({ status: 2, err: expect.stringContaining('"spark" is not an engine') });
    const texts = path.join(dir, 'texts.csv');
    fs.writeFileSync(texts, 'sales,margin\n"1,200,000",18%\n');
    expect(await kam(['score', texts, '--engine', 'duckdb'])).toMatchObject({ status: 2, err: expect.stringContaining('inputs must be numbers or blanks') });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('texts.kam') || f.endsWith('.tmp'))).toEqual([]);
    const none = path.join(dir, 'none.csv');
    fs.writeFileSync(none, 'a,b\n1,2\n');
    expect(await kam(['score', none, '--engine', 'duckdb'])).toMatchObject({ status: 2, err: expect.stringContaining('no column is named after a criterion') });
  });
});
