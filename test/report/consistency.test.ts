/**
 * One workbook, one answer: the sample workbook through the task pane (in-memory gateway, Apply in
 * values mode) and through `kam score` gives the same cells in every KAM column and the same
 * summary, with contacts and needs, with contacts only, and with neither. Both go through the
 * engine's report module; this checks that neither surface adds, drops or reads anything its own way.
 */
import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LABEL_PACKS } from '../../src/engine';
import { RESULT_KEYS, SUMMARY_STRINGS, type SummarySheet } from '../../src/engine/report';
import { CLI_PACKS } from '../../src/cli/messages';
import { runScore } from '../../src/cli/score';
import { openWorkbook, sheetGrid } from '../../src/cli/xlsx-file';
import { MemoryGateway, MemoryWorkbook, type MemorySheet } from '../../src/gateway/memory';
import { SUMMARY_SHEET, type Cell } from '../../src/gateway/types';
import { summaryStrings, UI_PACKS } from '../../src/taskpane/i18n';
import { KamSession } from '../../src/taskpane/session';

const SAMPLE = path.join(__dirname, '..', '..', 'samples', 'accounts.xlsx');
const CAPACITY = 120;
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kam-report-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The sample with some of its sheets removed (and a relationship-strength column added), saved as a new workbook. */
async function sampleWithout(name: string, sheets: readonly string[], strength = false): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(SAMPLE);
  for (const s of sheets) {
    const sheet = workbook.getWorksheet(s);
    if (sheet) workbook.removeWorksheet(sheet.id);
  }
  if (strength) {
    // A rating per account, typed as people type it: numbers, text, a blank, a percentage (never guessed).
    const accounts = workbook.getWorksheet('Accounts') as ExcelJS.Worksheet;
    const at = accounts.columnCount + 1;
    accounts.getRow(1).getCell(at).value = 'Relationship strength';
    const typed: ExcelJS.CellValue[] = [80, '35', null, '50%', 62.5, '７０'];
    for (let r = 2; r <= accounts.rowCount; r++) accounts.getRow(r).getCell(at).value = typed[r % typed.length] ?? null;
  }
  const file = path.join(dir, name);
  await workbook.xlsx.writeFile(file);
  return file;
}

/** A workbook's sheets as the pane's in-memory workbook holds them: the values Excel shows. */
async function memoryBook(file: string): Promise<MemoryWorkbook> {
  // Read through kam's own package reader: dates as their ISO day, as the pane's cells give them.
  const opened = await openWorkbook(file, CLI_PACKS.en);
  const book = new MemoryWorkbook();
  try {
    for (const sheet of opened.model.sheets.filter((s) => s.isWorksheet)) {
      const grid = await sheetGrid(opened, sheet, CLI_PACKS.en);
      book.addRows(
        sheet.name,
        grid.map((row): Cell[] => row.map((v) => v ?? '')),
      );
    }
  } finally {
    opened.close();
  }
  book.selection = { sheet: 'Accounts', row: 1, col: 0 };
  return book;
}

/** The KAM columns of a sheet, by header: every data row's value ('' for an empty cell). */
function kamColumnsOf(headers: readonly string[], cell: (row: number, col: number) => Cell, rowCount: number, lang: 'en' | 'zh'): Record<string, Cell[]> {
  const labels = new Set(RESULT_KEYS.map((k) => LABEL_PACKS[lang].column[k]));
  const out: Record<string, Cell[]> = {};
  headers.forEach((h, c) => {
    if (labels.has(h)) out[h] = Array.from({ length: rowCount }, (_, r) => cell(r + 1, c));
  });
  return out;
}

/** A sheet's cells as a grid of values ('' for an empty cell), over the rows and columns in use. */
function grid(height: number, width: number, cell: (row: number, col: number) => unknown): Cell[][] {
  return Array.from({ length: height }, (_, r) =>
    Array.from({ length: width }, (_, c) => {
      const v = cell(r, c);
      return v === null || v === undefined ? '' : (v as Cell);
    }),
  );
}

interface Through {
  columns: Record<string, Cell[]>;
  summary: SummarySheet;
  /** The KAM Summary sheet's cells as written in the workbook. */
  summaryCells: Cell[][];
}

async function throughPane(file: string, lang: 'en' | 'zh'): Promise<Through & { relations: string[]; charts: number }> {
  const book = await memoryBook(file);
  const gateway = new MemoryGateway(book);
  const session = new KamSession(gateway, lang);
  await session.open();
  // What the pane's Data tab does: guess the contacts and needs tables, load what it found.
  const guess = await session.guessRelationSources();
  const choice = (s: { kind: 'table' | 'sheet'; name: string } | null) => (s ? { kind: s.kind, name: s.name } : null);
  if (guess.contacts || guess.needs) await session.loadRelations(choice(guess.contacts), choice(guess.needs));
  await session.apply({ mode: 'values', colours: false, filter: 'none' });
  const sheet = book.sheet('Accounts') as MemorySheet;
  const used = sheet.usedRect();
  const width = (used?.col ?? 0) + (used?.colCount ?? 0);
  const headers = Array.from({ length: width }, (_, c) => String(sheet.value(0, c)));
  const rowCount = session.region?.rowCount ?? 0;
  // What the pane's Summary tab writes: the KAM Summary sheet, through the same gateway.
  const summary = session.summarySheet(CAPACITY, summaryStrings(UI_PACKS[lang]));
  const written = await gateway.writeSummary(summary);
  const summarySheet = book.sheet(SUMMARY_SHEET) as MemorySheet;
  const area = summarySheet.usedRect();
  return {
    columns: kamColumnsOf(headers, (r, c) => sheet.value(r, c), rowCount, lang),
    summary,
    summaryCells: grid((area?.row ?? 0) + (area?.rowCount ?? 0), (area?.col ?? 0) + (area?.colCount ?? 0), (r, c) => summarySheet.value(r, c)),
    relations: [guess.contacts?.name ?? '-', guess.needs?.name ?? '-'],
    charts: written.charts,
  };
}

async function throughKam(file: string, lang: 'en' | 'zh'): Promise<Through & { stdout: string }> {
  const out = path.join(dir, `${path.basename(file, '.xlsx')}.${lang}.kam.xlsx`);
  let summary: SummarySheet | undefined;
  const lines: string[] = [];
  const status = await runScore({ input: file, out, map: [], lang, capacity: CAPACITY, onSummary: (s) => (summary = s) }, CLI_PACKS[lang], {
    out: (l) => lines.push(l),
    err: () => undefined,
  });
  expect(status).toBe(0);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(out);
  const sheet = workbook.getWorksheet('Accounts') as ExcelJS.Worksheet;
  const headers = Array.from({ length: sheet.columnCount }, (_, c) => String(sheet.getRow(1).getCell(c + 1).value ?? ''));
  const value = (r: number, c: number): Cell => {
    const v = sheet.getRow(r + 1).getCell(c + 1).value as Cell;
    return v === null || v === undefined ? '' : v;
  };
  // The KAM Summary sheet kam wrote, read back from the file.
  const written = workbook.getWorksheet(SUMMARY_SHEET) as ExcelJS.Worksheet;
  const summaryCells = grid(written.rowCount, written.columnCount, (r, c) => written.getRow(r + 1).getCell(c + 1).value);
  return { columns: kamColumnsOf(headers, value, sheet.rowCount - 1, lang), summary: summary as SummarySheet, summaryCells, stdout: lines.join('\n') };
}

describe.each([
  ['the sample: contacts and needs', 'full.xlsx', [] as string[], ['Contacts', 'Needs'], ['score', 'tier', 'flags', 'priority', 'hours', 'coverage', 'quadrant']],
  ['contacts but no needs', 'contacts.xlsx', ['Needs'], ['Contacts', '-'], ['score', 'tier', 'flags', 'priority', 'hours', 'coverage', 'quadrant']],
  ['neither contacts nor needs', 'neither.xlsx', ['Contacts', 'Needs'], ['-', '-'], ['score', 'tier', 'flags', 'priority', 'hours']],
  ['a strength column, no contacts', 'strength.xlsx', ['Contacts', 'Needs'], ['-', '-'], ['score', 'tier', 'flags', 'priority', 'hours', 'quadrant']],
] as const)('%s', (name, fileName, without, relations, keys) => {
  let file: string;
  beforeAll(async () => {
    file = await sampleWithout(fileName, without, name.startsWith('a strength'));
  });

  it.each(['en', 'zh'] as const)('the pane and kam write the same KAM cells and summary (%s)', async (lang) => {
    const pane = await throughPane(file, lang);
    const cli = await throughKam(file, lang);
    expect(pane.relations).toEqual(relations);
    expect(Object.keys(pane.columns)).toEqual(keys.map((k) => LABEL_PACKS[lang].column[k]));
    expect(Object.keys(cli.columns)).toEqual(Object.keys(pane.columns));
    for (const header of Object.keys(pane.columns)) expect([header, cli.columns[header]]).toEqual([header, pane.columns[header]]);
    expect(pane.columns[LABEL_PACKS[lang].column.score]?.length).toBe(40);
    expect(cli.summary).toEqual(pane.summary);
    // The summary sheets as written: the same values in the same cells.
    expect(cli.summaryCells.length).toBeGreaterThan(5);
    expect(cli.summaryCells).toEqual(pane.summaryCells);
    // The summary's texts are the pane's.
    expect(SUMMARY_STRINGS[lang]).toEqual(summaryStrings(UI_PACKS[lang]));
  });
});

it('with contacts and needs, the flags carry relationship and plan findings the engine alone does not', async () => {
  const pane = await throughPane(SAMPLE, 'en');
  const flags = pane.columns['KAM Flags'] ?? [];
  expect(flags.some((f) => String(f).includes('single-threaded'))).toBe(true);
  expect(flags.some((f) => String(f).includes('senior-management visit'))).toBe(true);
  expect(pane.summary.blocks.map((b) => b.id)).toEqual(['tiers', 'distribution', 'top', 'portfolio', 'capacity', 'visits', 'warnings']);
  const cli = await throughKam(SAMPLE, 'en');
  expect(cli.stdout).toContain('Contacts: sheet "Contacts"');
  expect(cli.stdout).toContain('Needs: sheet "Needs"');
  expect(cli.stdout).toMatch(/Hours a month needed: \d+ of 120 available/);
});
