import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultRules, evaluate, flagsText, outcomeLabel, type OutcomeId } from '../../src/engine';
import { writeCsv } from '../../src/engine/csv';
import { GOLDEN, goldenCsvRows, kam, readCsvTable, readXlsxTable, tempDir, writeGoldenXlsx, type GoldenAccount } from './helpers';

const rules = defaultRules();
const tier = (outcome: string, lang: 'en' | 'zh' = 'en'): string => outcomeLabel(rules, outcome as OutcomeId, lang);

/** A piece of text each flag id must put in the KAM Flags cell. */
function flagSnippet(id: string): string {
  const knockout = rules.knockouts.find((k) => k.id === id);
  if (knockout) return knockout.reason.en;
  const snippets: Record<string, string> = {
    missingData: 'missing:',
    requiredMissing: 'required for a tier',
    notNumber: 'is not a number',
    excelError: 'the cell holds the error #N/A',
    percentWithoutSign: 'looks like a percentage without its sign',
  };
  const snippet = snippets[id];
  if (snippet === undefined) throw new Error(`no snippet for flag ${id}`);
  return snippet;
}

const expectedFlags = (g: GoldenAccount): string => flagsText(evaluate(g.inputs, rules).flags, 'en', rules);

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('kam score on the golden accounts, CSV', () => {
  let run: ReturnType<typeof kam>;
  let rows: Array<Record<string, string>>;
  let input: string;
  beforeAll(() => {
    input = path.join(dir, 'golden.csv');
    fs.writeFileSync(input, writeCsv(goldenCsvRows()));
    run = kam(['score', input]);
    rows = readCsvTable(path.join(dir, 'golden.kam.csv')).rows;
  });

  test('completes with exit status 0 although some rows are unreadable', () => {
    expect(run.stderr).toContain('3 rows have unreadable cells');
    expect(run.status).toBe(0);
  });

  test.each(GOLDEN.map((g) => [g.account, g] as const))('%s', (_, g) => {
    const row = rows.find((r) => r.Customer === g.account);
    expect(row).toBeDefined();
    expect(row?.['KAM Score']).toBe(g.expected.score === null ? '' : g.expected.score.toFixed(1));
    expect(row?.['KAM Tier']).toBe(tier(g.expected.outcome));
    for (const id of g.expected.flags) expect(row?.['KAM Flags']).toContain(flagSnippet(id));
    if (g.expected.flags.length === 0) expect(row?.['KAM Flags']).toBe('');
    expect(row?.['KAM Flags']).toBe(expectedFlags(g));
  });

  test('keeps the input columns unchanged and in order, results appended', () => {
    const written = readCsvTable(path.join(dir, 'golden.kam.csv'));
    const original = goldenCsvRows();
    // The pane's Apply columns without contacts or a strength: score, tier, flags, priority, hours.
    expect(written.headers).toEqual([...(original[0] as string[]), 'KAM Score', 'KAM Tier', 'KAM Flags', 'KAM Priority', 'KAM Hours/Month']);
    written.records.forEach((fields, i) => expect(fields.slice(0, -5)).toEqual(original[i + 1]));
  });

  test('writes UTF-8 with a byte-order mark and CRLF line breaks', () => {
    const bytes = fs.readFileSync(path.join(dir, 'golden.kam.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').split('\r\n').length).toBe(GOLDEN.length + 2);
  });

  test('prints the summary per tier and ends with where the result is', () => {
    const counts = new Map<string, number>();
    for (const g of GOLDEN) counts.set(g.expected.outcome, (counts.get(g.expected.outcome) ?? 0) + 1);
    for (const [outcome, count] of counts) expect(run.stdout).toMatch(new RegExp(`^ +${tier(outcome)} +${count}$`, 'm'));
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[lines.length - 2]).toBe(`Wrote ${path.join(dir, 'golden.kam.csv')}`);
    expect(lines[lines.length - 1]).toMatch(/^Open it in Excel or LibreOffice, or run: (xdg-open|open|start "") /);
    expect(lines[lines.length - 1]).toContain(path.join(dir, 'golden.kam.csv'));
  });
});

describe('kam score on the golden accounts, xlsx', () => {
  let run: ReturnType<typeof kam>;
  let table: Awaited<ReturnType<typeof readXlsxTable>>;
  beforeAll(async () => {
    const input = path.join(dir, 'golden.xlsx');
    await writeGoldenXlsx(input);
    run = kam(['score', input]);
    table = await readXlsxTable(path.join(dir, 'golden.kam.xlsx'), 'Accounts');
  });

  test('completes with exit status 0', () => {
    expect(run.stderr).toContain('3 rows have unreadable cells');
    expect(run.status).toBe(0);
  });

  test.each(GOLDEN.map((g) => [g.account, g] as const))('%s', (_, g) => {
    const row = table.rows.find((r) => r.Customer === g.account);
    expect(row?.['KAM Score']).toBe(g.expected.score);
    expect(row?.['KAM Tier']).toBe(tier(g.expected.outcome));
    for (const id of g.expected.flags) expect(row?.['KAM Flags']).toContain(flagSnippet(id));
    expect(row?.['KAM Flags'] ?? '').toBe(expectedFlags(g));
  });

  test('writes the score as a number with one decimal, the tier and flags as text', () => {
    const sheet = table.workbook.getWorksheet('Accounts');
    const scoreCol = table.headers.indexOf('KAM Score') + 1;
    expect(sheet?.getRow(2).getCell(scoreCol).numFmt).toBe('0.0');
    expect(typeof sheet?.getRow(2).getCell(scoreCol).value).toBe('number');
  });

  test('adds a "KAM Rules" sheet that holds the rules used, and the KAM Summary sheet', async () => {
    const check = kam(['rules', 'check', path.join(dir, 'golden.kam.xlsx')]);
    expect(check.stdout).toContain(`valid rule set "${rules.name}"`);
    expect(check.status).toBe(0);
    expect(table.workbook.worksheets.map((w) => w.name)).toEqual(['Accounts', 'KAM Rules', 'KAM Summary']);
  });
});

describe('the "Done when" cases', () => {
  let rows: Array<Record<string, string>>;
  beforeAll(() => {
    const input = path.join(dir, 'done.csv');
    fs.writeFileSync(input, writeCsv(goldenCsvRows()));
    expect(kam(['score', input]).status).toBe(0);
    rows = readCsvTable(path.join(dir, 'done.kam.csv')).rows;
  });
  const byName = (name: string): Record<string, string> => {
    const row = rows.find((r) => r.Customer === name);
    if (!row) throw new Error(`no row ${name}`);
    return row;
  };

  test('a big buyer below cost who pays late is Excluded, with the reason', () => {
    const row = byName('Big buyer below cost, pays late');
    expect(row['KAM Tier']).toBe('Excluded');
    expect(row['KAM Flags']).toContain('sells below cost and pays late');
  });

  test('the smaller profitable account outscores the big thin-margin buyer', () => {
    const small = Number(byName('Smaller, profitable, growing, headroom, open doors')['KAM Score']);
    const big = Number(byName('Big buyer, thin margin, no growth, no headroom')['KAM Score']);
    expect(small).toBeGreaterThan(big);
  });

  test('a mostly blank account is Insufficient data, its score still shown', () => {
    const row = byName('Mostly blank');
    expect(row['KAM Tier']).toBe('Insufficient data');
    expect(row['KAM Score']).toBe('57.1');
  });

  test('a bad cell flags its own row, with the criterion named, and the others are still scored', () => {
    const bad = byName('Unreadable margin');
    expect(bad['KAM Tier']).toBe('Invalid input');
    expect(bad['KAM Score']).toBe('');
    expect(bad['KAM Flags']).toBe('Gross margin: "abc" is not a number');
    const others = rows.filter((r) => r['KAM Tier'] !== 'Invalid input');
    expect(others).toHaveLength(GOLDEN.filter((g) => g.expected.outcome !== 'invalid').length);
    for (const r of others) expect(r['KAM Score']).toMatch(/^\d+\.\d$/);
  });
});

describe('--lang zh', () => {
  test('writes Chinese headers, tiers and flags, and a Chinese summary', async () => {
    const input = path.join(dir, 'zh.xlsx');
    await writeGoldenXlsx(input);
    const run = kam(['score', input, '--lang', 'zh']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('各等级客户数');
    const { rows, headers } = await readXlsxTable(path.join(dir, 'zh.kam.xlsx'), 'Accounts');
    expect(headers.slice(-5)).toEqual(['KAM 得分', 'KAM 等级', 'KAM 提示', 'KAM 优先级', 'KAM 每月小时']);
    const excluded = rows.find((r) => r.Customer === 'Big buyer below cost, pays late');
    expect(excluded?.['KAM 等级']).toBe('排除');
    expect(excluded?.['KAM 提示']).toBe('低于成本销售且付款迟缓;低于成本');
    expect(rows.find((r) => r.Customer === 'Unreadable margin')?.['KAM 提示']).toBe('毛利率:“abc”不是数字');
  });

  test('a Chinese locale picks Chinese without --lang', () => {
    const run = kam(['--help'], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(run.stdout).toContain('用法');
  });
});

describe('running again on a result', () => {
  test('replaces the earlier result columns instead of adding more', async () => {
    const first = path.join(dir, 'again.xlsx');
    await writeGoldenXlsx(first);
    expect(kam(['score', first]).status).toBe(0);
    const again = kam(['score', path.join(dir, 'again.kam.xlsx'), '--lang', 'zh']);
    expect(again.status).toBe(0);
    const { headers } = await readXlsxTable(path.join(dir, 'again.kam.kam.xlsx'), 'Accounts');
    expect(headers.filter((h) => h.startsWith('KAM'))).toEqual(['KAM 得分', 'KAM 等级', 'KAM 提示', 'KAM 优先级', 'KAM 每月小时']);
  });
});
