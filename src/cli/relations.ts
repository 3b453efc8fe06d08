/**
 * The contacts and needs tables `kam score` reads beside the accounts: found in the workbook by
 * their headers (as the task pane guesses them), or named with --contacts / --needs (a sheet or an
 * Excel table of the workbook, or a CSV file). What the tables mean is the engine report's.
 */
import { pickRelationTables, type RelationTable } from '../engine/report';
import { isBlankCell, type CellValue } from '../engine';
import { readCsvInput } from './csv-file';
import { fileKind, InputError, requireFile } from './files';
import type { CliPack } from './messages';
import { isFormulaWithoutResult, type InputCell } from './table';
import { RULES_SHEET, sheetGrid, type OpenWorkbook } from './xlsx-file';
import { readTables, type SheetInfo } from './xlsx/workbook';

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

/** A block of cells: the first row is the header. */
function tableOf(grid: readonly (readonly CellValue[])[]): RelationTable {
  const [header = [], ...rows] = grid;
  return { headers: header.map((h) => (h === null || h === undefined ? '' : String(h).trim())), rows: rows.map((r) => [...r]) };
}

/** The used block of a sheet's grid, its first non-empty row as the header (as the pane reads a sheet); null when empty. */
function usedBlock(grid: readonly (readonly CellValue[])[]): RelationTable | null {
  let top = -1;
  let bottom = -1;
  let left = Infinity;
  let right = -1;
  grid.forEach((row, r) =>
    row.forEach((v, c) => {
      if (isBlankCell(v)) return;
      if (top < 0) top = r;
      bottom = r;
      left = Math.min(left, c);
      right = Math.max(right, c);
    }),
  );
  return top < 0 ? null : tableOf(grid.slice(top, bottom + 1).map((row) => row.slice(left, right + 1)));
}

interface LoadedTable {
  name: string;
  sheet: SheetInfo;
  area: { row: number; col: number; rowCount: number; colCount: number };
}

/** The workbook's Excel tables, with their totals rows left out. */
async function workbookTables(book: OpenWorkbook, sheets: readonly SheetInfo[]): Promise<LoadedTable[]> {
  const out: LoadedTable[] = [];
  for (const sheet of sheets) {
    for (const t of await readTables(book.model, sheet.part as string)) {
      if (t.headerRows === 0) continue;
      const rowCount = t.ref.r2 - t.ref.r1 + 1 - t.totalsRows;
      out.push({ name: t.name, sheet, area: { row: t.ref.r1, col: t.ref.c1, rowCount, colCount: t.ref.c2 - t.ref.c1 + 1 } });
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
export async function relationsFromWorkbook(book: OpenWorkbook, accounts: { sheet: SheetInfo; headerRow: number }, names: RelationNames, pack: CliPack): Promise<FoundRelations> {
  const file = book.file;
  const worksheets = book.model.sheets.filter((s) => s.isWorksheet && s.part !== undefined);
  const tables = await workbookTables(book, worksheets);
  const sheets = worksheets.filter((s) => !OWN_SHEETS.has(s.name.toLowerCase()));
  // The accounts' own table or sheet, as the pane leaves out the data region (headerRow is 1-based).
  const isAccounts = (t: LoadedTable): boolean => t.sheet === accounts.sheet && t.area.row < accounts.headerRow && accounts.headerRow <= t.area.row + t.area.rowCount;
  const fromTable = async (t: LoadedTable): Promise<RelationSource> => ({ kind: 'table', name: t.name, table: tableOf(await sheetGrid(book, t.sheet, pack, t.area)) });
  const fromSheet = async (s: SheetInfo): Promise<RelationSource | null> => {
    const block = usedBlock(await sheetGrid(book, s, pack));
    return block ? { kind: 'sheet', name: s.name, table: block } : null;
  };
  const named = async (option: string, name: string): Promise<RelationSource> => {
    const wanted = name.trim().toLowerCase();
    const table = tables.find((t) => t.name.toLowerCase() === wanted);
    if (table) return fromTable(table);
    const sheet = worksheets.find((s) => s.name.toLowerCase() === wanted);
    if (sheet) {
      const source = await fromSheet(sheet);
      if (!source) throw new InputError(pack.sheetEmpty({ file, sheet: sheet.name }));
      return source;
    }
    // A CSV file beside the workbook may hold them too.
    if (/\.(csv|tsv|txt)$/i.test(name)) {
      fileKind(name, pack);
      return csvRelation(name, pack);
    }
    const available = [...tables.map((t) => `"${t.name}"`), ...book.model.sheets.map((s) => `"${s.name}"`)].join(', ');
    throw new InputError(pack.relationNotFound({ file, option, name, available }), 'kam score');
  };
  let guess: FoundRelations = { contacts: null, needs: null };
  if (names.contacts === undefined || names.needs === undefined) {
    // Tables first, then sheets, as the pane lists its sources.
    const candidates: RelationSource[] = [];
    for (const t of tables) if (!isAccounts(t) && sheets.includes(t.sheet)) candidates.push(await fromTable(t));
    for (const s of sheets) {
      const source = s === accounts.sheet ? null : await fromSheet(s);
      if (source) candidates.push(source);
    }
    guess = pickRelationTables(candidates.map((source) => ({ source, headers: source.table.headers })));
  }
  return {
    contacts: names.contacts === undefined ? guess.contacts : await named('--contacts', names.contacts),
    needs: names.needs === undefined ? guess.needs : await named('--needs', names.needs),
  };
}
