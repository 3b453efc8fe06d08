/**
 * Workbooks for `kam`: the user's workbook is read and written as a package (src/cli/xlsx/), so
 * that everything kam does not add comes back as it was. exceljs only writes new workbooks
 * (`kam rules table --out rules.xlsx`).
 */
import type ExcelJS from 'exceljs';
import { cellAddress, RULES_NAME, RULES_SHEET, type CellValue, type RulesTable } from '../engine';
import { describeError, InputError } from './files';
import type { CliPack } from './messages';
import type { AccountTable, InputCell, InputRow } from './table';
import { readAccounts, readGrid, type AccountsSheet } from './xlsx/accounts';
import { readSharedStrings, readStyles, readTables, readWorkbookModel, type SheetInfo, type Styles, type WorkbookModel } from './xlsx/workbook';
import { formatBytes, MAX_PART_IN_MEMORY, PackageTooLarge, ZipPackage } from './xlsx/zip';

export { RULES_SHEET, RULES_NAME };
export type { AccountsSheet } from './xlsx/accounts';
export { planResultColumns, writeWorkbook, type ResultColumn, type FormulaCell, type AddedSheet, type AddedName, type WorkbookAdditions } from './xlsx/edit';

/** A workbook package opened for reading (and, later, for writing an edited copy). */
export interface OpenWorkbook {
  file: string;
  model: WorkbookModel;
  sharedStrings: string[];
  styles: Styles;
  close: () => void;
}

/** The message for a package error: the limit it passed, or what made it unreadable. */
function packageProblem(error: unknown, file: string, pack: CliPack): InputError {
  if (error instanceof InputError) return error;
  if (error instanceof PackageTooLarge)
    return new InputError(pack.unreadableWorkbook({ file, detail: `${error.part} inflates past ${formatBytes(error.limit)}, the limit kam reads` }));
  return new InputError(pack.unreadableWorkbook({ file, detail: describeError(error) }));
}

export async function openWorkbook(file: string, pack: CliPack): Promise<OpenWorkbook> {
  let pkg: ZipPackage | undefined;
  try {
    pkg = await ZipPackage.open(file);
    const model = await readWorkbookModel(pkg);
    const [sharedStrings, styles] = [await readSharedStrings(model), await readStyles(model)];
    const opened = pkg;
    return { file, model, sharedStrings, styles, close: () => opened.close() };
  } catch (error) {
    pkg?.close();
    throw packageProblem(error, file, pack);
  }
}

/** Opens a workbook for the steps that read it and closes it whatever happens: every command reads its workbooks through this. */
export async function withWorkbook<T>(file: string, pack: CliPack, use: (book: OpenWorkbook) => Promise<T>): Promise<T> {
  const book = await openWorkbook(file, pack);
  try {
    return await use(book);
  } finally {
    book.close();
  }
}

/** Runs a step that reads the package, turning its failures into messages that name the file. */
export async function reading<T>(book: OpenWorkbook, pack: CliPack, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw packageProblem(error, book.file, pack);
  }
}

export function sheetNames(book: OpenWorkbook): string {
  return book.model.sheets.map((s) => `"${s.name}"`).join(', ');
}

/** A sheet by name, ignoring case as Excel does. */
export function findSheet(book: OpenWorkbook, name: string): SheetInfo | undefined {
  const wanted = name.trim().toLowerCase();
  return book.model.sheets.find((s) => s.name.toLowerCase() === wanted);
}

/** The accounts sheet: the named one, else the first worksheet other than the rules sheet. */
export function accountsSheet(book: OpenWorkbook, sheetName: string | undefined, pack: CliPack): SheetInfo {
  const { file } = book;
  if (sheetName !== undefined) {
    const sheet = findSheet(book, sheetName);
    if (!sheet || !sheet.isWorksheet || !sheet.part) throw new InputError(pack.sheetNotFound({ file, sheet: sheetName, sheets: sheetNames(book) }));
    return sheet;
  }
  const sheet = book.model.sheets.find((s) => s.isWorksheet && s.part && s.name.toLowerCase() !== RULES_SHEET.toLowerCase());
  if (!sheet) throw new InputError(pack.noDataSheet({ file }));
  return sheet;
}

/**
 * Reads the accounts sheet in one stream. The header row is the sheet's table's, or among the
 * first non-empty rows the one naming the most fields; `choose` sees its texts and names the
 * columns to keep.
 */
export async function readXlsxAccounts(
  book: OpenWorkbook,
  sheet: SheetInfo,
  pack: CliPack,
  options: { namedFields: (texts: string[]) => number; choose: (headers: string[]) => readonly number[] },
): Promise<AccountsSheet> {
  const accounts = await reading(book, pack, async () =>
    readAccounts(book.model, sheet, {
      sharedStrings: book.sharedStrings,
      dateStyle: book.styles.dateStyle,
      tables: await readTables(book.model, sheet.part as string),
      ...options,
    }),
  );
  if (accounts.width === 0 || accounts.headerRow === 0) throw new InputError(pack.sheetEmpty({ file: book.file, sheet: sheet.name }));
  return accounts;
}

/**
 * A whole sheet as a table of rows (every column kept), for the small sheets read in full: order
 * lines to roll up, contacts, needs. The header row is found as for the accounts (`namedFields`).
 */
export async function readXlsxTable(book: OpenWorkbook, sheet: SheetInfo, pack: CliPack, namedFields: (texts: string[]) => number): Promise<AccountTable> {
  const read = await readXlsxAccounts(book, sheet, pack, { namedFields, choose: (headers) => headers.map((_, i) => i) });
  const rows: InputRow[] = [];
  for (let i = 0; i < read.rowCount; i++) {
    const cells = read.headers.map((_, c): InputCell => read.columns.get(c)?.get(i) ?? null);
    rows.push({ number: read.headerRow + 1 + i, cells, blank: read.nonBlank[i] !== 1 });
  }
  return { rowKind: 'row', headers: read.headers, rows, width: read.width };
}

/** A zero-based rectangle of a sheet. */
export interface Area {
  row: number;
  col: number;
  rowCount: number;
  colCount: number;
}

/** The workbook name KAM_RULES, as the pane and the formulas use it: which sheet and which cells. */
export function namedRulesArea(book: OpenWorkbook): { sheet: string; area: Area } | undefined {
  const name = book.model.definedNames.find((n) => n.name.toUpperCase() === RULES_NAME && n.localSheetId === undefined);
  const match = name ? /^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(name.value.trim()) : null;
  if (!match) return undefined;
  const col = (letters: string): number => [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const sheet = match[1] !== undefined ? match[1].replace(/''/g, "'") : (match[2] as string);
  const [c1, r1] = [col(match[3] as string), Number(match[4]) - 1];
  const [c2, r2] = match[5] ? [col(match[5]), Number(match[6]) - 1] : [c1, r1];
  return { sheet, area: { row: r1, col: c1, rowCount: r2 - r1 + 1, colCount: c2 - c1 + 1 } };
}

/** A sheet's cells as a grid, from A1 or over one area, for the rule-set table codec. */
export async function sheetGrid(book: OpenWorkbook, sheet: SheetInfo, pack: CliPack, area?: Area): Promise<RulesTable> {
  if (!sheet.part || !sheet.isWorksheet) return [];
  return reading(book, pack, () => readGrid(book.model, sheet, { sharedStrings: book.sharedStrings, dateStyle: book.styles.dateStyle, limit: MAX_PART_IN_MEMORY }, area));
}

/** A1 address of a zero-based (row, col) on a sheet. */
export const address = (row: number, col: number): string => cellAddress({ row, col });

/** The rules sheet kam adds to a workbook it writes: the table, its section markers bold and their header rows italic. */
export function rulesSheet(table: RulesTable): { name: string; cells: CellValue[][]; columnWidths: Record<number, number>; bold: number[]; italic: number[]; range: string } {
  const bold: number[] = [];
  const italic: number[] = [];
  table.forEach((cells, r) => {
    if (typeof cells[0] === 'string' && /^\[.+\]$/.test(cells[0])) {
      bold.push(r);
      italic.push(r + 1);
    }
  });
  const width = Math.max(1, ...table.map((r) => r.length));
  const lastCol = cellAddress({ row: 0, col: width - 1 }).replace(/\d+$/, '');
  return { name: RULES_SHEET, cells: table.map((r) => [...r]), columnWidths: { 0: 30 }, bold, italic, range: `'${RULES_SHEET}'!$A$1:$${lastCol}$${table.length}` };
}

/** A new workbook (for `kam rules table`). exceljs is loaded on first use: it takes longer to load than a CSV run takes in all. */
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { Workbook } = await import('exceljs');
  return new Workbook();
}

/** Writes a rule table into a new workbook's sheet: numbers stay numbers, so it reads the same in every locale. */
export function writeRulesSheet(workbook: ExcelJS.Workbook, table: RulesTable): ExcelJS.Worksheet {
  const spec = rulesSheet(table);
  const sheet = workbook.addWorksheet(RULES_SHEET);
  table.forEach((cells, r) => {
    const row = sheet.getRow(r + 1);
    cells.forEach((v, c) => {
      if (v === null || v === undefined || v === '') return;
      row.getCell(c + 1).value = v;
    });
  });
  for (const r of spec.bold) sheet.getRow(r + 1).font = { bold: true };
  for (const r of spec.italic) sheet.getRow(r + 1).font = { italic: true };
  sheet.getColumn(1).width = 30;
  // The name the pane and the formulas read the rules through (=KAM.TIER(…, KAM_RULES)).
  workbook.definedNames.add(spec.range, RULES_NAME);
  return sheet;
}
