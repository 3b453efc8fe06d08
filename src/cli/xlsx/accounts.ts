/**
 * The accounts on a worksheet, read in one stream: the header row (an Excel table's, or among the
 * first non-empty rows the one naming the most fields), then only the columns the caller keeps,
 * in compact per-column arrays (a number costs 9 bytes, not an object per row).
 */
import { markedColumn, resultKeyOfName, type CellValue, type ResultKey } from '../../engine';
import { isBlankCell, type InputCell } from '../table';
import { MAX_ROWS, scanSheet, type ScannedRow, type SheetLayout } from './scan';
import type { SheetInfo, TableInfo, WorkbookModel } from './workbook';

/** One column's cells by data-row index: numbers in a typed array, anything else beside it. */
export class CellColumn {
  private kind = new Uint8Array(1024);
  private num = new Float64Array(1024);
  private other: InputCell[] = [];
  /** Set once a formula without a saved result is stored. */
  holdsFormulas = false;

  set(i: number, value: InputCell): void {
    if (i >= this.kind.length) this.grow(i + 1);
    if (typeof value === 'number') {
      this.kind[i] = 1;
      this.num[i] = value;
    } else if (value === null || value === undefined) {
      this.kind[i] = 0;
    } else {
      this.kind[i] = 2;
      this.other[i] = value;
      if (typeof value === 'object' && !(value instanceof Date)) this.holdsFormulas = true;
    }
  }

  get(i: number): InputCell {
    const k = i < this.kind.length ? this.kind[i] : 0;
    if (k === 1) return this.num[i] as number;
    if (k === 2) return this.other[i] ?? null;
    return null;
  }

  /** The cells at these rows, as the kernel reads them. */
  values(rows: readonly number[]): CellValue[] {
    const out = new Array<CellValue>(rows.length);
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k] as number;
      const kind = i < this.kind.length ? this.kind[i] : 0;
      out[k] = kind === 1 ? (this.num[i] as number) : kind === 2 ? ((this.other[i] ?? null) as CellValue) : null;
    }
    return out;
  }

  private grow(min: number): void {
    let size = this.kind.length;
    while (size < min) size *= 2;
    const kind = new Uint8Array(size);
    kind.set(this.kind);
    const num = new Float64Array(size);
    num.set(this.num);
    this.kind = kind;
    this.num = num;
  }
}

/** How many non-empty rows at the top of a sheet may hold the header (below titles and notes). */
export const HEADER_SEARCH_ROWS = 10;

export interface AccountsSheet {
  sheet: SheetInfo;
  /** 1-based sheet row of the header. */
  headerRow: number;
  /** Header texts by zero-based column (marked result columns read as ''). */
  headers: string[];
  /** The header row's cell styles by column, for our headers to look like their neighbours. */
  headerStyles: number[];
  /** Columns in use: new result columns go after them. */
  width: number;
  /** Data rows: sheet rows headerRow+1 … headerRow+rowCount. */
  rowCount: number;
  /** 1 where a data row holds something outside kam's own columns. */
  nonBlank: Uint8Array;
  /** The kept columns' cells. */
  columns: Map<number, CellColumn>;
  layout: SheetLayout;
  /** Result columns an earlier run marked (see engine/marks). */
  marked: Map<ResultKey, number>;
  /** The sheet's first table, when its header row is the header. */
  table: TableInfo | undefined;
}

/** A cell as plain text, for headers and rule tables. */
export function cellText(v: InputCell): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') return '';
  return String(v).trim();
}

export interface ReadAccountsOptions {
  sharedStrings: readonly string[];
  dateStyle: readonly boolean[];
  tables: readonly TableInfo[];
  /** Scores a candidate header row: how many fields its texts name. */
  namedFields: (texts: string[]) => number;
  /** Given the header texts, the zero-based columns whose values are kept. */
  choose: (headers: string[]) => readonly number[];
}

export function resultMarks(model: WorkbookModel, sheet: SheetInfo): Map<ResultKey, number> {
  const marks = new Map<ResultKey, number>();
  for (const n of model.definedNames) {
    if (n.localSheetId !== sheet.index) continue;
    const key = resultKeyOfName(n.name);
    const at = key ? markedColumn(n.value) : undefined;
    if (key && at) marks.set(key, at.col);
  }
  return marks;
}

export async function readAccounts(model: WorkbookModel, sheet: SheetInfo, options: ReadAccountsOptions): Promise<AccountsSheet> {
  const part = sheet.part as string;
  const marked = resultMarks(model, sheet);
  const markedCols = new Set(marked.values());
  const table = options.tables[0];
  const tableHeader = table && table.headerRows > 0 ? table.ref.r1 + 1 : undefined;
  const tableLast = table && tableHeader !== undefined ? table.ref.r2 + 1 - table.totalsRows : MAX_ROWS;

  let headerRow: number | undefined;
  let headers: string[] = [];
  let headerStyles: number[] = [];
  const buffered: Array<{ row: number; cols: number[]; values: InputCell[]; styles: number[] }> = [];
  let bufferedNonBlank = 0;
  const nonBlank = new Uint8Array(MAX_ROWS + 1);
  const columns = new Map<number, CellColumn>();
  let lastNonBlank = 0;

  const isNonBlank = (r: { count?: number; cols: number[]; values: InputCell[] }, count: number): boolean => {
    for (let k = 0; k < count; k++) if (!markedCols.has(r.cols[k] as number) && !isBlankCell(r.values[k] as InputCell)) return true;
    return false;
  };
  const store = (r: number, cols: number[], values: InputCell[], count: number): void => {
    const i = r - (headerRow as number) - 1;
    if (isNonBlank({ cols, values }, count)) {
      nonBlank[i] = 1;
      if (r > lastNonBlank) lastNonBlank = r;
    }
    for (let k = 0; k < count; k++) columns.get(cols[k] as number)?.set(i, values[k] as InputCell);
  };
  const decide = (row: { row: number; cols: number[]; values: InputCell[]; styles: number[] } | undefined): void => {
    headerRow = row?.row ?? 0;
    headers = [];
    headerStyles = [];
    if (row) {
      row.cols.forEach((c, k) => {
        headers[c] = markedCols.has(c) ? '' : cellText(row.values[k] as InputCell);
        headerStyles[c] = row.styles[k] as number;
      });
    }
    headers = Array.from(headers, (h) => h ?? '');
    for (const c of options.choose(headers)) columns.set(c, new CellColumn());
    for (const b of buffered) if (b.row > headerRow) store(b.row, b.cols, b.values, b.cols.length);
    buffered.length = 0;
  };
  const copy = (r: ScannedRow): { row: number; cols: number[]; values: InputCell[]; styles: number[] } => ({
    row: r.row,
    cols: r.cols.slice(0, r.count),
    values: r.values.slice(0, r.count),
    styles: r.styles.slice(0, r.count),
  });

  const scan = await scanSheet(model, part, {
    sharedStrings: options.sharedStrings,
    dateStyle: options.dateStyle,
    date1904: model.date1904,
    watch: [...markedCols],
    wantRow: (r) => {
      if (tableHeader !== undefined) return r >= tableHeader && r <= tableLast;
      return headerRow === undefined || r > headerRow;
    },
    onRow: (r) => {
      if (headerRow !== undefined) {
        store(r.row, r.cols, r.values, r.count);
        return;
      }
      if (tableHeader !== undefined) {
        if (r.row === tableHeader) decide(copy(r));
        return;
      }
      if (!isNonBlank(r, r.count)) return;
      buffered.push(copy(r));
      bufferedNonBlank++;
      if (bufferedNonBlank >= HEADER_SEARCH_ROWS) decideByNames();
    },
  });
  function decideByNames(): void {
    // The first non-empty row, unless a title sits above the header: then the row among the
    // first few whose texts name the most fields (a title names none).
    const candidates = buffered.slice();
    const scores = candidates.map((c) => {
      const texts: string[] = [];
      c.cols.forEach((col, k) => (texts[col] = markedCols.has(col) ? '' : cellText(c.values[k] as InputCell)));
      return options.namedFields(Array.from(texts, (t) => t ?? ''));
    });
    const best = Math.max(0, ...scores);
    decide(best === 0 ? candidates[0] : candidates[scores.indexOf(best)]);
  }
  if (headerRow === undefined) {
    if (tableHeader !== undefined) decide(undefined);
    else if (buffered.length > 0) decideByNames();
  }
  const width = scan.lastColumn + 1;
  const first = headerRow ?? 0;
  let last = Math.min(lastNonBlank, tableLast);
  if (last < first) last = first;
  const rowCount = headerRow === undefined || headerRow === 0 ? 0 : last - first;
  // A merged range shows its value in its top-left cell only, as Excel shows it.
  for (const m of scan.layout.merges) {
    for (const [c, column] of columns) {
      if (c < m.c1 || c > m.c2) continue;
      for (let r = Math.max(m.r1 + 1, first + 1); r <= m.r2 + 1; r++) if (!(r === m.r1 + 1 && c === m.c1)) column.set(r - first - 1, null);
    }
  }
  return {
    sheet,
    headerRow: first,
    headers,
    headerStyles,
    width,
    rowCount,
    nonBlank,
    columns,
    layout: scan.layout,
    marked,
    table: table && tableHeader === first ? table : undefined,
  };
}

/** A sheet's cells as a grid (from A1, or over one zero-based area), for the rule-set table codec. */
export async function readGrid(
  model: WorkbookModel,
  sheet: SheetInfo,
  options: { sharedStrings: readonly string[]; dateStyle: readonly boolean[]; limit: number },
  area?: { row: number; col: number; rowCount: number; colCount: number },
): Promise<CellValue[][]> {
  const rows = new Map<number, Map<number, InputCell>>();
  let width = 0;
  let height = 0;
  const maxRows = area ? area.row + area.rowCount : 100_000;
  await scanSheet(model, sheet.part as string, {
    sharedStrings: options.sharedStrings,
    dateStyle: options.dateStyle,
    date1904: model.date1904,
    watch: [],
    wantRow: (r) => r <= maxRows && (!area || r > area.row),
    onRow: (r) => {
      const cells = new Map<number, InputCell>();
      for (let k = 0; k < r.count; k++) {
        const c = (r.cols[k] as number) - (area?.col ?? 0);
        if (c < 0 || (area && c >= area.colCount) || c > 1000) continue;
        cells.set(c, r.values[k] as InputCell);
        if (c + 1 > width) width = c + 1;
      }
      if (cells.size > 0) {
        rows.set(r.row, cells);
        if (r.row > height) height = r.row;
      }
    },
    limit: options.limit,
  });
  if (area) {
    width = area.colCount;
    height = area.row + area.rowCount;
  }
  const grid: CellValue[][] = [];
  for (let r = (area?.row ?? 0) + 1; r <= height; r++) {
    const cells = rows.get(r);
    grid.push(
      Array.from({ length: width }, (_, c): CellValue => {
        const v = cells?.get(c) ?? null;
        if (v instanceof Date) return v.toISOString().slice(0, 10);
        if (typeof v === 'object' && v !== null) return `=${v.formulaWithoutResult}`;
        return v;
      }),
    );
  }
  return grid;
}
