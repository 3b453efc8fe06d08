import type ExcelJS from 'exceljs';
import { cellAddress, matchColumns, RULES_NAME, RULES_SHEET, type CellValue, type RulesTable } from '../engine';
import type { PlacedColumn } from './csv-file';
import { describeError, InputError } from './files';
import type { CliPack } from './messages';
import { isBlankCell, type AccountTable, type InputCell, type InputRow } from './table';

export { RULES_SHEET, RULES_NAME };

/** A new workbook. exceljs is loaded on first use: it takes longer to load than a CSV run takes in all. */
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { Workbook } = await import('exceljs');
  return new Workbook();
}

export async function readWorkbook(file: string, pack: CliPack): Promise<ExcelJS.Workbook> {
  const workbook = await newWorkbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch (error) {
    throw new InputError(pack.unreadableWorkbook({ file, detail: describeError(error) }));
  }
  return workbook;
}

export function sheetNames(workbook: ExcelJS.Workbook): string {
  return workbook.worksheets.map((w) => `"${w.name}"`).join(', ');
}

/** A sheet by name, ignoring case as Excel does. */
export function findSheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet | undefined {
  const wanted = name.trim().toLowerCase();
  return workbook.worksheets.find((w) => w.name.toLowerCase() === wanted);
}

/** What a cell holds, as the engine reads it: the text of rich text and links, a formula's saved result. */
export function cellInput(value: ExcelJS.CellValue): InputCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('error' in value) return value.error; // "#N/A": the engine reports Excel errors by name
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return cellInput(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) {
    const result = value.result;
    if (result === undefined || result === null) {
      const formula = 'sharedFormula' in value ? (value.formula ?? value.sharedFormula) : value.formula;
      return { formulaWithoutResult: formula };
    }
    return cellInput(result as ExcelJS.CellValue);
  }
  return null;
}

/**
 * A cell's own value. exceljs gives every cell of a merged range the top-left cell's value; Excel
 * (and so the task pane, through Office.js) shows the others as blank, and so do we.
 */
export function ownValue(cell: ExcelJS.Cell): ExcelJS.CellValue {
  return cell.isMerged && cell.master !== cell ? null : cell.value;
}

/** A cell as plain text, for headers and rule tables. */
export function cellText(value: ExcelJS.CellValue): string {
  const v = cellInput(value);
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') return '';
  return String(v).trim();
}

/** The last column that holds a value anywhere on the sheet (1-based; 0 when the sheet is empty). */
function lastUsedColumn(sheet: ExcelJS.Worksheet): number {
  let last = 0;
  sheet.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      if (col > last && cell.value !== null && cell.value !== undefined) last = col;
    });
  });
  return last;
}

function rowIsBlank(row: ExcelJS.Row, width: number): boolean {
  for (let c = 1; c <= width; c++) if (!isBlankCell(cellInput(ownValue(row.getCell(c))))) return false;
  return true;
}

/** The header row and last data row (1-based) of the sheet's first table (Excel "Format as Table"). */
function sheetTable(sheet: ExcelJS.Worksheet): { headerRow: number; lastDataRow: number } | undefined {
  // exceljs keeps loaded tables in an untyped `tables` map.
  type Loaded = { table?: { tableRef?: string; ref?: string; totalsRow?: boolean } };
  const tables = (sheet as unknown as { tables?: Record<string, Loaded> }).tables;
  for (const t of Object.values(tables ?? {})) {
    const ref = t.table?.tableRef ?? t.table?.ref;
    const match = ref ? /^[A-Z]+(\d+)(?::[A-Z]+(\d+))?/i.exec(ref) : null;
    if (!match) continue;
    const headerRow = Number(match[1]);
    const lastRow = match[2] ? Number(match[2]) : headerRow;
    // A totals row sums the accounts; it is not one.
    return { headerRow, lastDataRow: t.table?.totalsRow ? lastRow - 1 : lastRow };
  }
  return undefined;
}

export interface XlsxInput {
  workbook: ExcelJS.Workbook;
  sheet: ExcelJS.Worksheet;
  headerRow: number;
  table: AccountTable;
}

/** How many non-empty rows at the top of a sheet may hold the header (below titles and notes). */
const HEADER_SEARCH_ROWS = 10;

/**
 * Reads the accounts sheet: the named one, else the first sheet other than the rules sheet. The
 * header row is the sheet's table's, or among the first non-empty rows the one naming the most
 * fields (`fieldsToFind`, as matchColumns reads headers), so a title above the header is skipped.
 */
export async function readXlsxInput(
  file: string,
  sheetName: string | undefined,
  pack: CliPack,
  fieldsToFind: Readonly<Record<string, readonly string[]>>,
): Promise<XlsxInput> {
  const workbook = await readWorkbook(file, pack);
  let sheet: ExcelJS.Worksheet | undefined;
  if (sheetName !== undefined) {
    sheet = findSheet(workbook, sheetName);
    if (!sheet) throw new InputError(pack.sheetNotFound({ file, sheet: sheetName, sheets: sheetNames(workbook) }));
  } else {
    sheet = workbook.worksheets.find((w) => w.name.toLowerCase() !== RULES_SHEET.toLowerCase());
    if (!sheet) throw new InputError(pack.noDataSheet({ file }));
  }
  const width = lastUsedColumn(sheet);
  const table = sheetTable(sheet);
  let headerRow = table?.headerRow;
  if (headerRow === undefined) {
    // The first non-empty row, unless a title sits above the header: then the first of the next
    // few rows whose texts name the most fields (a title names none).
    const candidates: number[] = [];
    for (let r = 1; r <= sheet.rowCount && candidates.length < HEADER_SEARCH_ROWS; r++) {
      if (!rowIsBlank(sheet.getRow(r), width)) candidates.push(r);
    }
    const named = (r: number): number => {
      const texts = Array.from({ length: width }, (_, c) => cellText(ownValue(sheet.getRow(r).getCell(c + 1))));
      return Object.keys(matchColumns(texts, fieldsToFind).matches).length;
    };
    const scores = candidates.map(named);
    const best = Math.max(0, ...scores);
    headerRow = best === 0 ? candidates[0] : candidates[scores.indexOf(best)];
  }
  if (width === 0 || headerRow === undefined) throw new InputError(pack.sheetEmpty({ file, sheet: sheet.name }));

  const header = sheet.getRow(headerRow);
  const headers = Array.from({ length: width }, (_, c) => cellText(ownValue(header.getCell(c + 1))));
  let lastRow = table ? table.lastDataRow : sheet.rowCount;
  while (lastRow > headerRow && rowIsBlank(sheet.getRow(lastRow), width)) lastRow--;
  const rows: InputRow[] = [];
  for (let r = headerRow + 1; r <= lastRow; r++) {
    const row = sheet.getRow(r);
    const cells = Array.from({ length: width }, (_, c) => cellInput(ownValue(row.getCell(c + 1))));
    rows.push({ number: r, cells, blank: cells.every(isBlankCell) });
  }
  return { workbook, sheet, headerRow, table: { rowKind: 'row', headers, rows, width } };
}

/** A zero-based rectangle of a sheet. */
export interface Area {
  row: number;
  col: number;
  rowCount: number;
  colCount: number;
}

/** The workbook name KAM_RULES, as the pane and the formulas use it: which sheet and which cells. */
export function namedRulesArea(workbook: ExcelJS.Workbook): { sheet: string; area: Area } | undefined {
  const [ref] = workbook.definedNames.getRanges(RULES_NAME).ranges;
  const match = ref ? /^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(ref) : null;
  if (!match) return undefined;
  const col = (letters: string): number => [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const sheet = match[1] !== undefined ? match[1].replace(/''/g, "'") : (match[2] as string);
  const [c1, r1] = [col(match[3] as string), Number(match[4]) - 1];
  const [c2, r2] = match[5] ? [col(match[5]), Number(match[6]) - 1] : [c1, r1];
  return { sheet, area: { row: r1, col: c1, rowCount: r2 - r1 + 1, colCount: c2 - c1 + 1 } };
}

/** A sheet's cells as a grid, from A1 or over one area, for the rule-set table codec. */
export function sheetGrid(sheet: ExcelJS.Worksheet, area?: Area): RulesTable {
  const width = area ? area.colCount : lastUsedColumn(sheet);
  const first = area ? area.row + 1 : 1;
  const last = area ? area.row + area.rowCount : sheet.rowCount;
  const left = area ? area.col : 0;
  const grid: CellValue[][] = [];
  for (let r = first; r <= last; r++) {
    const row = sheet.getRow(r);
    grid.push(
      Array.from({ length: width }, (_, c): CellValue => {
        const v = cellInput(ownValue(row.getCell(left + c + 1)));
        if (v instanceof Date) return v.toISOString().slice(0, 10);
        if (typeof v === 'object' && v !== null) return `=${v.formulaWithoutResult}`;
        return v;
      }),
    );
  }
  return grid;
}

/** A1 address of a zero-based (row, col) on a sheet. */
export const address = (row: number, col: number): string => cellAddress({ row, col });

/** Writes a rule table into a (new) sheet: numbers stay numbers, so it reads the same in every locale. */
export function writeRulesSheet(workbook: ExcelJS.Workbook, table: RulesTable): ExcelJS.Worksheet {
  const existing = findSheet(workbook, RULES_SHEET);
  if (existing) workbook.removeWorksheet(existing.id);
  const sheet = workbook.addWorksheet(RULES_SHEET);
  table.forEach((cells, r) => {
    const row = sheet.getRow(r + 1);
    cells.forEach((v, c) => {
      if (v === null || v === undefined || v === '') return;
      row.getCell(c + 1).value = v;
    });
  });
  // Section markers ([criteria], …) and the header rows under them stand out.
  table.forEach((cells, r) => {
    if (typeof cells[0] === 'string' && /^\[.+\]$/.test(cells[0])) {
      sheet.getRow(r + 1).font = { bold: true };
      sheet.getRow(r + 2).font = { italic: true };
    }
  });
  sheet.getColumn(1).width = 30;
  // The name the pane and the formulas read the rules through (=KAM.TIER(…, KAM_RULES)).
  const width = Math.max(1, ...table.map((r) => r.length));
  workbook.definedNames.model = workbook.definedNames.model.filter((n) => n.name !== RULES_NAME);
  workbook.definedNames.add(`'${RULES_SHEET}'!$A$1:$${cellAddress({ row: 0, col: width - 1 }).replace(/\d+$/, '')}$${table.length}`, RULES_NAME);
  return sheet;
}

/** Sets the result columns of the accounts sheet, beside the data; every other cell stays as it was. */
export function setResultColumns(input: XlsxInput, columns: readonly PlacedColumn[]): void {
  const { sheet, headerRow } = input;
  const header = sheet.getRow(headerRow);
  const lastHeader = input.table.width > 0 ? header.getCell(input.table.width) : undefined;
  for (const column of columns) {
    const cell = header.getCell(column.position + 1);
    cell.value = column.header;
    // Look like the other headers.
    if (lastHeader && lastHeader.col !== cell.col) cell.style = { ...lastHeader.style };
    const width = sheet.getColumn(column.position + 1);
    if (!width.width) width.width = column.key === 'flags' ? 48 : 14;
  }
  input.table.rows.forEach((row, i) => {
    for (const column of columns) {
      const cell = sheet.getRow(row.number).getCell(column.position + 1);
      const value = column.values[i] ?? null;
      // An empty text (no flags) leaves the cell empty, as the pane's values do in Excel.
      cell.value = value === '' ? null : value;
      if (value === null) continue;
      cell.numFmt = column.kind === 'text' ? '@' : (column.numberFormat ?? 'General');
    }
  });
}
