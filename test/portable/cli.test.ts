/**
 * `kam score --formulas portable`: formula cells with kam's results cached, the texts only kam
 * reads listed with their cells, and clear refusals (CSV, a mode that does not exist, criteria
 * kam computes from several columns, formulas too long for a cell).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { defaultRules, PORTABLE_FUNCTIONS } from '../../src/engine';
import { kam, readXlsxTable, tempDir } from '../cli/helpers';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function write(file: string, rows: unknown[][]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Accounts');
  for (const r of rows) sheet.addRow(r);
  await workbook.xlsx.writeFile(file);
}

describe('kam score --formulas portable', () => {
  test('formula cells cache the same values as a values-mode run; texts only kam reads are listed with their cells', async () => {
    const input = path.join(dir, 'mixed.xlsx');
    await write(input, [
      ['Customer', 'sales', 'margin', 'growth', 'wallet', 'paymentDays', 'access', 'openness'],
      ['Alpha', 800000, 0.2, 0.05, 1200000, 45, 3, 4],
      ['Beta', 300000, '18%', 0.1, null, 100, 2, 2],
      ['Gamma', null, -0.02, 0, 500000, 95, 1, 1],
    ]);
    const portable = path.join(dir, 'portable.xlsx');
    const values = path.join(dir, 'values.xlsx');
    const run = kam(['score', input, '--formulas', 'portable', '--out', portable]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('written as formulas that read the KAM Rules sheet');
    expect(run.stderr).toContain('1 input cell holds text that kam reads but a spreadsheet formula does not');
    expect(run.stderr).toContain('C3 (Gross margin): "18%"');
    expect(kam(['score', input, '--out', values]).status).toBe(0);

    const a = await readXlsxTable(portable);
    const b = await readXlsxTable(values);
    expect(a.headers).toEqual(b.headers);
    const sheet = a.workbook.getWorksheet('Accounts') as ExcelJS.Worksheet;
    for (const header of ['KAM Score', 'KAM Tier', 'KAM Flags']) {
      const col = a.headers.indexOf(header) + 1;
      for (let r = 2; r <= 4; r++) {
        const cell = sheet.getCell(r, col);
        const formula = cell.formula;
        expect(typeof formula).toBe('string');
        const called = [...formula.replace(/"[^"]*"/g, '""').matchAll(/([A-Z][A-Z0-9.]*)\(/g)].map((m) => m[1]);
        expect(called.filter((f) => !(PORTABLE_FUNCTIONS as readonly string[]).includes(f as string))).toEqual([]);
        // The cached result is what the values-mode run wrote.
        const plain = (b.rows[r - 2] as Record<string, unknown>)[header];
        expect([header, r, cell.result ?? '']).toEqual([header, r, plain ?? '']);
      }
    }
    // The rules sheet the formulas read travels with the file.
    expect(a.workbook.getWorksheet('KAM Rules')).toBeDefined();
  });

  test('a CSV file: refused, CSV holds no formulas', () => {
    const csv = path.join(dir, 'a.csv');
    fs.writeFileSync(csv, 'Customer,sales\nA,100\n');
    const run = kam(['score', csv, '--formulas', 'portable']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('a CSV file holds values only, never formulas');
    expect(fs.existsSync(path.join(dir, 'a.kam.csv'))).toBe(false);
  });

  test('a mode that does not exist', async () => {
    const input = path.join(dir, 'mode.xlsx');
    await write(input, [['Customer', 'sales'], ['A', 100]]);
    const run = kam(['score', input, '--formulas', 'live']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--formulas: "live" is not a way to write formulas (portable)');
  });

  test('growth computed from sales by year: refused, a formula reads one column per criterion', async () => {
    const input = path.join(dir, 'years.xlsx');
    await write(input, [['Customer', 'Sales 2023', 'Sales 2024', 'margin'], ['A', 100000, 120000, 0.2]]);
    const run = kam(['score', input, '--formulas', 'portable']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--formulas portable: Purchase growth is computed by kam from several columns');
  });

  test('a rule set too large for one formula: refused before anything is written', async () => {
    const rules = defaultRules();
    const base = rules.criteria[1] as (typeof rules.criteria)[number];
    rules.criteria = Array.from({ length: 32 }, (_, i) => ({ ...base, id: `criterion${i}`, label: { en: `Criterion number ${i}`, zh: `评分项${i}` }, aliases: [] }));
    rules.knockouts = [];
    const rulesFile = path.join(dir, 'big.json');
    fs.writeFileSync(rulesFile, JSON.stringify(rules));
    const input = path.join(dir, 'big.xlsx');
    await write(input, [['Customer', ...rules.criteria.map((c) => c.id)], ['A', ...rules.criteria.map(() => 0.1)]]);
    const run = kam(['score', input, '--formulas', 'portable', '--rules', rulesFile]);
    expect(run.stderr).toContain('make formulas longer than the 8192 characters');
    expect(run.status).toBe(2);
    expect(fs.existsSync(path.join(dir, 'big.kam.xlsx'))).toBe(false);
  });
});
