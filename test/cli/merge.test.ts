/**
 * Issue 11, item 4: regional copies with different rules merge into one sheet with a Region column,
 * every rule difference listed, all accounts scored under the rule set named, inputs untouched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { defaultRules, type RuleSet } from '../../src/engine';
import { GOLDEN, GOLDEN_COLUMNS, GOLDEN_HEADERS, kam, readXlsxTable, tempDir, writeGoldenXlsx } from './helpers';

let dir: string;
let east: string;
let west: string;
let all: string;
const westRules: RuleSet = (() => {
  const r = defaultRules();
  (r.criteria.find((c) => c.id === 'openness') as RuleSet['criteria'][number]).weight = 30;
  r.tiers.key.minScore -= 10;
  return r;
})();
const half = Math.ceil(GOLDEN.length / 2);

async function writeAccounts(file: string, accounts: typeof GOLDEN): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Accounts');
  sheet.addRow(GOLDEN_HEADERS);
  for (const g of accounts) {
    sheet.addRow([
      g.account,
      ...GOLDEN_COLUMNS.map(([id]): ExcelJS.CellValue => {
        const v = g.inputs[id];
        if (v === undefined) return null;
        return v === '#N/A' ? { error: '#N/A' } : v;
      }),
      'regional note',
    ]);
  }
  await workbook.xlsx.writeFile(file);
}

/** Account → [score, tier] of a scored workbook's first sheet. */
async function results(file: string): Promise<Map<string, [unknown, unknown]>> {
  const { rows } = await readXlsxTable(file);
  return new Map(rows.map((r) => [String(r.Customer), [r['KAM Score'] ?? null, r['KAM Tier'] ?? null]]));
}

beforeAll(async () => {
  dir = tempDir();
  // Each region scored its copy with its own rules, so each carries a KAM Rules sheet.
  const rulesFile = path.join(dir, 'west-rules.json');
  fs.writeFileSync(rulesFile, JSON.stringify(westRules));
  await writeAccounts(path.join(dir, 'east-in.xlsx'), GOLDEN.slice(0, half));
  await writeAccounts(path.join(dir, 'west-in.xlsx'), GOLDEN.slice(half));
  east = path.join(dir, 'east.xlsx');
  west = path.join(dir, 'west.xlsx');
  expect(kam(['score', path.join(dir, 'east-in.xlsx'), '--out', east]).status).toBe(0);
  expect(kam(['score', path.join(dir, 'west-in.xlsx'), '--out', west, '--rules', rulesFile]).status).toBe(0);
  all = path.join(dir, 'golden.xlsx');
  await writeGoldenXlsx(all);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('kam merge', () => {
  test("lists every rule that differs, with each file's value, and scores all accounts under the rules named; inputs unchanged", async () => {
    const before = [fs.readFileSync(east), fs.readFileSync(west)];
    const out = path.join(dir, 'ALL.xlsx');
    const run = kam(['merge', east, west, '--out', out, '--rules-from', west]);
    expect(run.stderr).not.toContain('internal error');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('2 rules differ between the 2 files:');
    expect(run.stdout).toContain('  Openness to ideas — weight [criteria.openness.weight]: east.xlsx 10; west.xlsx 30');
    expect(run.stdout).toContain(`  Key tier — minimum score [tiers.key.minScore]: east.xlsx ${defaultRules().tiers.key.minScore}; west.xlsx ${westRules.tiers.key.minScore}`);
    expect(run.stdout).toContain(`Scoring every account with the rules of ${west}.`);
    expect(run.stdout).toContain(`Wrote ${out}`);

    // Inputs: byte for byte as they were.
    expect(fs.readFileSync(east).equals(before[0] as Buffer)).toBe(true);
    expect(fs.readFileSync(west).equals(before[1] as Buffer)).toBe(true);

    // Every account, with its region, scored as the whole golden sheet is under the west rules.
    const { headers, rows } = await readXlsxTable(out);
    expect(headers[0]).toBe('Region');
    expect(headers).toEqual(expect.arrayContaining([...GOLDEN_HEADERS, 'KAM Score', 'KAM Tier']));
    expect(rows.map((r) => r.Customer)).toEqual(GOLDEN.map((g) => g.account));
    expect(rows.map((r) => r.Region)).toEqual(GOLDEN.map((_, i) => (i < half ? 'east' : 'west')));
    const reference = path.join(dir, 'reference.xlsx');
    const rulesFile = path.join(dir, 'west-rules.json');
    expect(kam(['score', all, '--out', reference, '--rules', rulesFile]).status).toBe(0);
    expect(await results(out)).toEqual(await results(reference));
    // And the merged workbook carries the chosen rules and its run record: kam check finds it current.
    expect(kam(['check', out]).status).toBe(0);
  }, 90_000);

  test('differing rules and no rule set named: the differences are listed and nothing is written (exit 2)', () => {
    const out = path.join(dir, 'none.xlsx');
    const run = kam(['merge', east, west, '--out', out]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('Openness to ideas — weight');
    expect(run.stderr).toContain('The rules differ: name the rule set to score with');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('usage: an input as --out, one file, Chinese', () => {
    expect(kam(['merge', east, west, '--out', east]).status).toBe(2);
    expect(kam(['merge', east, '--out', path.join(dir, 'x.xlsx')]).stderr).toContain('at least two workbooks');
    const zh = kam(['merge', east, west, '--out', path.join(dir, 'zh.xlsx'), '--rules-from', east, '--lang', 'zh']);
    expect(zh.status).toBe(0);
    expect(zh.stdout).toContain('接受新想法 — 权重 [criteria.openness.weight]:east.xlsx 10;west.xlsx 30');
    expect(kam(['merge', '--help', '--lang', 'zh']).stdout).toContain('输入文件只读取,从不修改');
  }, 60_000);
});
