import type ExcelJS from 'exceljs';
import { cellAddress, type CellValue, type RulesTable } from '../engine';
import type { ResultCells, ResultColumns } from './csv-file';
import { describeError, InputError } from './files';
import type { CliPack } from './messages';
import { isBlankCell, type AccountTable, type InputCell, type InputRow } from './table';

/** The sheet that carries the rule set inside a workbook. */
export const RULES_SHEET = 'KAM Rules';

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

/** The top row of the sheet's first table (Excel "Format as Table"), when it has one. */
function tableHeaderRow(sheet: ExcelJS.Worksheet): number | undefined {
  // exceljs keeps loaded tables in an untyped `tables` map.
  const tables = (sheet as unknown as { tables?: Record<string, { table?: { tableRef?: string; ref?: string } }> }).tables;
  for (const t of Object.values(tables ?? {})) {
    const ref = t.table?.tableRef ?? t.table?.ref;
    const match = ref ? /^[A-Z]+(\d+)/i.exec(ref) : null;
    if (match) return Number(match[1]);
  }
  return undefined;
}

export interface XlsxInput {
  workbook: ExcelJS.Workbook;
  sheet: ExcelJS.Worksheet;
  headerRow: number;
  table: AccountTable;
}

/**
 * Reads the accounts sheet: the named one, else the first sheet other than the rules sheet. The
 * header row is the sheet's table's, or the first non-empty row.
 */
export async function readXlsxInput(file: string, sheetName: string | undefined, pack: CliPack): Promise<XlsxInput> {
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
  let headerRow = tableHeaderRow(sheet);
  if (headerRow === undefined) {
    for (let r = 1; r <= sheet.rowCount; r++) {
      if (!rowIsBlank(sheet.getRow(r), width)) {
        headerRow = r;
        break;
      }
    }
  }
  if (width === 0 || headerRow === undefined) throw new InputError(pack.sheetEmpty({ file, sheet: sheet.name }));

  const header = sheet.getRow(headerRow);
  const headers = Array.from({ length: width }, (_, c) => cellText(ownValue(header.getCell(c + 1))));
  let lastRow = sheet.rowCount;
  while (lastRow > headerRow && rowIsBlank(sheet.getRow(lastRow), width)) lastRow--;
  const rows: InputRow[] = [];
  for (let r = headerRow + 1; r <= lastRow; r++) {
    const row = sheet.getRow(r);
    const cells = Array.from({ length: width }, (_, c) => cellInput(ownValue(row.getCell(c + 1))));
    rows.push({ number: r, cells, blank: cells.every(isBlankCell) });
  }
  return { workbook, sheet, headerRow, table: { rowKind: 'row', headers, rows, width } };
}

/** A sheet's cells as a grid from A1, for the rule-set table codec (which reports cells from A1). */
export function sheetGrid(sheet: ExcelJS.Worksheet): RulesTable {
  const width = lastUsedColumn(sheet);
  const grid: CellValue[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    grid.push(
      Array.from({ length: width }, (_, c): CellValue => {
        const v = cellInput(ownValue(row.getCell(c + 1)));
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
  return sheet;
}

/** Sets the result columns of the accounts sheet, beside the data; every other cell stays as it was. */
export function setResultColumns(input: XlsxInput, results: ReadonlyArray<ResultCells | null>, columns: ResultColumns): void {
  const { sheet, headerRow } = input;
  const header = sheet.getRow(headerRow);
  const lastHeader = input.table.width > 0 ? header.getCell(input.table.width) : undefined;
  columns.positions.forEach((p, k) => {
    const cell = header.getCell(p + 1);
    cell.value = columns.headers[k] as string;
    // Look like the other headers.
    if (lastHeader && lastHeader.col !== cell.col) cell.style = { ...lastHeader.style };
    const column = sheet.getColumn(p + 1);
    if (!column.width) column.width = k === 2 ? 48 : 14;
  });
  input.table.rows.forEach((row, i) => {
    const result = results[i] ?? null;
    const cells = columns.positions.map((p) => sheet.getRow(row.number).getCell(p + 1));
    const [scoreCell, tierCell, flagsCell] = cells as [ExcelJS.Cell, ExcelJS.Cell, ExcelJS.Cell];
    if (!result) {
      for (const c of cells) c.value = null;
      return;
    }
    const [score, tier, flags] = result;
    scoreCell.value = score;
    scoreCell.numFmt = '0.0';
    tierCell.value = tier;
    flagsCell.value = flags === '' ? null : flags;
    tierCell.numFmt = '@';
    flagsCell.numFmt = '@';
  });
}
