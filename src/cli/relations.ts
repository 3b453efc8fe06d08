/**
 * The contacts and needs tables `kam score` reads beside the accounts: found in the workbook by
 * their headers (as the task pane guesses them), or named with --contacts / --needs (a sheet or an
 * Excel table of the workbook, or a CSV file). What the tables mean is the engine report's.
 */
import type ExcelJS from 'exceljs';
import { pickRelationTables, type RelationTable } from '../engine/report';
import type { CellValue } from '../engine';
import { readCsvInput } from './csv-file';
import { fileKind, InputError, requireFile } from './files';
import type { CliPack } from './messages';
import { isFormulaWithoutResult, type InputCell } from './table';
import { cellInput, cellText, ownValue, RULES_SHEET } from './xlsx-file';

export type RelationKind = 'contacts' | 'needs';

/** A contacts or needs table and where it was read from, for the run's report. */
export interface RelationSource {
  kind: 'sheet' | 'table' | 'file';
  name: string;
  table: RelationTable;
}

export interface FoundRelations {
  contacts: RelationSource | null;
  needs: RelationSource | null;
}

/** What the user named: --contacts and --needs. */
export interface RelationNames {
  contacts?: string | undefined;
  needs?: string | undefined;
}

/** Sheets KAM writes itself: never read as contacts or needs. */
const OWN_SHEETS = new Set([RULES_SHEET, 'KAM Summary', 'KAM Staging'].map((s) => s.toLowerCase()));

/** A cell as the engine reads it: a date as its ISO day, a formula without a result as its text (reported, never guessed). */
export function engineCell(cell: InputCell): CellValue {
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  if (isFormulaWithoutResult(cell)) return `=${cell.formulaWithoutResult}`;
  return cell;
}

/** A 1-based rectangle of a sheet. */
interface Rect {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

function readRect(sheet: ExcelJS.Worksheet, rect: Rect): RelationTable {
  const line = (r: number): CellValue[] => {
    const row = sheet.getRow(r);
    return Array.from({ length: rect.right - rect.left + 1 }, (_, c) => engineCell(cellInput(ownValue(row.getCell(rect.left + c)))));
  };
  const header = sheet.getRow(rect.top);
  const headers = Array.from({ length: rect.right - rect.left + 1 }, (_, c) => cellText(ownValue(header.getCell(rect.left + c))));
  const rows: CellValue[][] = [];
  for (let r = rect.top + 1; r <= rect.bottom; r++) rows.push(line(r));
  return { headers, rows };
}

/** The used block of a sheet, its first non-empty row as the header (as the pane reads a sheet); null when empty. */
function sheetRect(sheet: ExcelJS.Worksheet): Rect | null {
  let top = 0;
  let bottom = 0;
  let left = Infinity;
  let right = 0;
  sheet.eachRow({ includeEmpty: false }, (row, r) => {
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      const v = cellInput(ownValue(cell));
      if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return;
      if (top === 0) top = r;
      bottom = r;
      left = Math.min(left, c);
      right = Math.max(right, c);
    });
  });
  return top === 0 ? null : { top, left, bottom, right };
}

interface LoadedTable {
  name: string;
  sheet: ExcelJS.Worksheet;
  rect: Rect;
}

/** The workbook's Excel tables (exceljs keeps loaded tables in an untyped map). */
function workbookTables(workbook: ExcelJS.Workbook): LoadedTable[] {
  type Loaded = { table?: { name?: string; displayName?: string; tableRef?: string; ref?: string; totalsRow?: boolean } };
  const col = (letters: string): number => [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const out: LoadedTable[] = [];
  for (const sheet of workbook.worksheets) {
    const tables = (sheet as unknown as { tables?: Record<string, Loaded> }).tables;
    for (const [key, t] of Object.entries(tables ?? {})) {
      const ref = t.table?.tableRef ?? t.table?.ref;
      const m = ref ? /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(ref) : null;
      if (!m) continue;
      const top = Number(m[2]);
      const bottom = m[4] ? Number(m[4]) : top;
      const rect = { top, left: col(m[1] as string), bottom: t.table?.totalsRow ? bottom - 1 : bottom, right: m[3] ? col(m[3]) : col(m[1] as string) };
      out.push({ name: t.table?.name ?? t.table?.displayName ?? key, sheet, rect });
    }
  }
  return out;
}

/** A CSV file of contacts or needs; a malformed line stops the run, naming the file and the line. */
function csvRelation(file: string, pack: CliPack): RelationSource {
  requireFile(file, pack);
  const csv = readCsvInput(file, pack);
  const bad = csv.table.rows.find((r) => r.rejected);
  if (bad?.rejected) throw new InputError(pack.relationLineUnreadable({ file, detail: bad.rejected }));
  const rows = csv.table.rows.map((r) => r.cells.map(engineCell));
  return { kind: 'file', name: file, table: { headers: csv.table.headers, rows } };
}

/** Contacts and needs of a CSV run: only the files named with --contacts and --needs. */
export function relationsFromFiles(names: RelationNames, pack: CliPack): FoundRelations {
  return {
    contacts: names.contacts === undefined ? null : csvRelation(names.contacts, pack),
    needs: names.needs === undefined ? null : csvRelation(names.needs, pack),
  };
}

/**
 * Contacts and needs of a workbook run: the sheets or tables named, else the first table or sheet
 * whose headers look like contacts (account, name, role or stance) and like needs (account,
 * horizon). The accounts' own sheet and KAM's sheets are never taken.
 */
export function relationsFromWorkbook(
  workbook: ExcelJS.Workbook,
  file: string,
  accounts: { sheet: ExcelJS.Worksheet; headerRow: number },
  names: RelationNames,
  pack: CliPack,
): FoundRelations {
  const tables = workbookTables(workbook);
  const sheets = workbook.worksheets.filter((s) => s.state === 'visible' || s.state === undefined).filter((s) => !OWN_SHEETS.has(s.name.toLowerCase()));
  // The accounts' own table or sheet, as the pane leaves out the data region.
  const isAccounts = (t: LoadedTable): boolean => t.sheet === accounts.sheet && t.rect.top <= accounts.headerRow && accounts.headerRow <= t.rect.bottom;
  const fromTable = (t: LoadedTable): RelationSource => ({ kind: 'table', name: t.name, table: readRect(t.sheet, t.rect) });
  const fromSheet = (s: ExcelJS.Worksheet): RelationSource | null => {
    const rect = sheetRect(s);
    return rect ? { kind: 'sheet', name: s.name, table: readRect(s, rect) } : null;
  };
  const named = (option: string, name: string): RelationSource => {
    const wanted = name.trim().toLowerCase();
    const table = tables.find((t) => t.name.toLowerCase() === wanted);
    if (table) return fromTable(table);
    const sheet = workbook.worksheets.find((s) => s.name.toLowerCase() === wanted);
    if (sheet) {
      const source = fromSheet(sheet);
      if (!source) throw new InputError(pack.sheetEmpty({ file, sheet: sheet.name }));
      return source;
    }
    // A CSV file beside the workbook may hold them too.
    if (/\.(csv|tsv|txt)$/i.test(name)) {
      fileKind(name, pack);
      return csvRelation(name, pack);
    }
    const available = [...tables.map((t) => `"${t.name}"`), ...workbook.worksheets.map((s) => `"${s.name}"`)].join(', ');
    throw new InputError(pack.relationNotFound({ file, option, name, available }), 'kam score');
  };
  let guess: FoundRelations = { contacts: null, needs: null };
  if (names.contacts === undefined || names.needs === undefined) {
    // Tables first, then sheets, as the pane lists its sources.
    const candidates: RelationSource[] = [];
    for (const t of tables) if (!isAccounts(t) && sheets.includes(t.sheet)) candidates.push(fromTable(t));
    for (const s of sheets) {
      const source = s === accounts.sheet ? null : fromSheet(s);
      if (source) candidates.push(source);
    }
    guess = pickRelationTables(candidates.map((source) => ({ source, headers: source.table.headers })));
  }
  return {
    contacts: names.contacts === undefined ? guess.contacts : named('--contacts', names.contacts),
    needs: names.needs === undefined ? guess.needs : named('--needs', names.needs),
  };
}
