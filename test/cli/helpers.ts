import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { parseCsv } from '../../src/engine';
import golden from '../fixtures/golden-accounts.json';

export const ROOT = path.join(__dirname, '..', '..');
export const KAM = path.join(ROOT, 'dist', 'src', 'cli', 'kam.js');
/** Real order data (Microsoft's Northwind sample), vendored with its source and licence in its README. */
export const NORTHWIND = path.join(ROOT, 'test', 'fixtures', 'northwind');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built command line as a user would, in a neutral locale unless told otherwise. */
export function kam(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  if (!fs.existsSync(KAM)) throw new Error(`${KAM} is missing: run "npm run build:node" before these tests`);
  const env = { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', ...options.env };
  const result = spawnSync(process.execPath, [KAM, ...args], { cwd: options.cwd ?? ROOT, env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kam-cli-'));
}

export interface GoldenAccount {
  account: string;
  /** The company name the case has in samples/accounts.xlsx. */
  sampleName: string;
  inputs: Record<string, number | string | null>;
  expected: { outcome: string; score: number | null; flags: string[] };
}
export const GOLDEN: GoldenAccount[] = golden.accounts as GoldenAccount[];

/** The criterion ids in the order of the golden sheet's columns, with the headers a user would write. */
export const GOLDEN_COLUMNS: ReadonlyArray<readonly [id: string, header: string]> = [
  ['sales', 'Annual sales'],
  ['margin', 'Gross margin'],
  ['growth', 'growth'],
  ['wallet', 'Wallet'],
  ['paymentDays', 'Days to pay'],
  ['access', '切入点'],
  ['openness', 'Openness to ideas'],
];
export const GOLDEN_HEADERS = ['Customer', ...GOLDEN_COLUMNS.map(([, h]) => h), 'Notes'];

/** The golden accounts as a CSV table of texts (blank inputs as empty fields). */
export function goldenCsvRows(): string[][] {
  return [
    GOLDEN_HEADERS,
    ...GOLDEN.map((g, i) => [
      g.account,
      ...GOLDEN_COLUMNS.map(([id]) => {
        const v = g.inputs[id];
        return v === null || v === undefined ? '' : String(v);
      }),
      `note ${i + 1}, with a comma`,
    ]),
  ];
}

/** The golden accounts as a workbook: numbers as numbers, texts as texts, "#N/A" as an error value. */
export async function writeGoldenXlsx(file: string, extra?: (workbook: ExcelJS.Workbook) => void): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Accounts');
  sheet.addRow(GOLDEN_HEADERS);
  GOLDEN.forEach((g, i) => {
    const cells: ExcelJS.CellValue[] = [
      g.account,
      ...GOLDEN_COLUMNS.map(([id]): ExcelJS.CellValue => {
        const v = g.inputs[id];
        if (v === undefined) return null;
        return v === '#N/A' ? { error: '#N/A' } : v;
      }),
      `note ${i + 1}, with a comma`,
    ];
    sheet.addRow(cells);
  });
  extra?.(workbook);
  await workbook.xlsx.writeFile(file);
}

/** Reads a CSV written by kam (or LibreOffice) into header-keyed records. */
export function readCsvTable(file: string): { headers: string[]; rows: Array<Record<string, string>>; records: string[][] } {
  const { records } = parseCsv(fs.readFileSync(file, 'utf8'));
  const [header, ...data] = records.map((r) => r.fields);
  const headers = header ?? [];
  const rows = data.map((fields) => Object.fromEntries(headers.map((h, i) => [h, fields[i] ?? ''])));
  return { headers, rows, records: data };
}

/** Reads the first (or named) sheet of a workbook into header-keyed records of raw cell values. */
export async function readXlsxTable(file: string, sheetName?: string): Promise<{ headers: string[]; rows: Array<Record<string, ExcelJS.CellValue>>; workbook: ExcelJS.Workbook }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = sheetName === undefined ? workbook.worksheets[0] : workbook.getWorksheet(sheetName);
  if (!sheet) throw new Error(`no sheet ${sheetName ?? '(first)'} in ${file}`);
  const headers: string[] = [];
  sheet.getRow(1).eachCell((cell, col) => (headers[col - 1] = String(cell.value)));
  const rows: Array<Record<string, ExcelJS.CellValue>> = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    rows.push(Object.fromEntries(headers.map((h, c) => [h, row.getCell(c + 1).value])));
  }
  return { headers, rows, workbook };
}
