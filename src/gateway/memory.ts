/**
 * An in-memory workbook and a gateway over it with the same contract as the Office.js gateway:
 * the browser tests and demos drive the real task pane against it. It models what the pane relies
 * on: cells with Excel's typing rules (a General cell turns "=x" into a formula and "1e5" into a
 * number; a Text cell keeps them), number formats, tables, names, conditional formats, an
 * AutoFilter, charts, a hidden staging sheet and the selection.
 */
import {
  CHUNK_BUDGET_BYTES,
  describeRegion,
  excelInputKind,
  looksLikeHeader,
  newColumnBlocks,
  parseRangeA1,
  placeColumns,
  planChunks,
  rangeA1,
  rectangular,
  rowPayloadBytes,
  sheetRangeA1,
  textSafeFormats,
  regionAfterWrite,
} from './layout';
import {
  gatewayError,
  RULES_NAME,
  RULES_SHEET,
  STAGING_SHEET,
  SUMMARY_SHEET,
  type Cell,
  type DataRegion,
  type RulesSheet,
  type SourceChoice,
  type SourceInfo,
  type SummaryReport,
  type SummarySheet,
  type TableData,
  type TierColour,
  type WorkbookGateway,
  type WorkOptions,
  type WriteReport,
  type WriteRequest,
} from './types';

export interface Rect {
  row: number;
  col: number;
  rowCount: number;
  colCount: number;
}

const KEY_WIDTH = 16384; // Excel's column count: row * KEY_WIDTH + col is unique per cell

const isEmpty = (v: Cell): boolean => v === null || v === undefined || v === '';

export interface MemoryChart {
  kind: 'column' | 'scatter';
  title: string;
  series: Array<{ name: string; x: Rect; y: Rect }>;
  xTitle?: string;
  yTitle?: string;
}

export interface ConditionalFormat {
  rect: Rect;
  rules: TierColour[];
}

export interface AutoFilterState {
  rect: Rect;
  /** Sheet column filtered on, with the texts shown; null when no criteria are applied. */
  column: number | null;
  values: string[] | null;
}

export class MemorySheet {
  hidden = false;
  private readonly values = new Map<number, Cell>();
  private readonly formulas = new Map<number, string>();
  private readonly formats = new Map<number, string>();
  conditionalFormats: ConditionalFormat[] = [];
  autoFilter: AutoFilterState | null = null;
  charts: MemoryChart[] = [];

  constructor(
    public name: string,
    private readonly book: MemoryWorkbook,
  ) {}

  value(row: number, col: number): Cell {
    return this.values.get(row * KEY_WIDTH + col) ?? '';
  }

  formula(row: number, col: number): string | undefined {
    return this.formulas.get(row * KEY_WIDTH + col);
  }

  format(row: number, col: number): string {
    return this.formats.get(row * KEY_WIDTH + col) ?? 'General';
  }

  setFormat(row: number, col: number, format: string): void {
    if (format === 'General') this.formats.delete(row * KEY_WIDTH + col);
    else this.formats.set(row * KEY_WIDTH + col, format);
  }

  /** Stores a value exactly as given (what a copy of values does). */
  setRaw(row: number, col: number, value: Cell): void {
    const key = row * KEY_WIDTH + col;
    this.formulas.delete(key);
    if (isEmpty(value)) this.values.delete(key);
    else this.values.set(key, value);
  }

  /** Writes a value as Office.js `values` does: strings are read by Excel's typing rules unless the cell is Text. */
  write(row: number, col: number, value: Cell): void {
    if (typeof value !== 'string' || this.format(row, col) === '@') {
      this.setRaw(row, col, value);
      return;
    }
    const text = value.startsWith("'") ? null : value;
    if (text === null) {
      this.setRaw(row, col, value.slice(1));
      return;
    }
    switch (excelInputKind(text)) {
      case 'formula':
        this.setFormula(row, col, text);
        return;
      case 'number': {
        const t = text.trim().replace(/^[$¥€£]/, '').replace(/,/g, '');
        this.setRaw(row, col, t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t));
        return;
      }
      case 'boolean':
        this.setRaw(row, col, /^true$/i.test(text.trim()));
        return;
      case 'date':
        // Excel stores a date as a serial number; the exact serial does not matter here, only that the text is gone.
        this.setRaw(row, col, 45000);
        return;
      default:
        this.setRaw(row, col, value);
    }
  }

  setFormula(row: number, col: number, formula: string): void {
    const key = row * KEY_WIDTH + col;
    this.formulas.set(key, formula);
    this.values.set(key, this.book.evaluate(this, row, col, formula));
  }

  clear(rect: Rect): void {
    for (let r = rect.row; r < rect.row + rect.rowCount; r++) {
      for (let c = rect.col; c < rect.col + rect.colCount; c++) {
        const key = r * KEY_WIDTH + c;
        this.values.delete(key);
        this.formulas.delete(key);
        this.formats.delete(key);
      }
    }
    this.conditionalFormats = this.conditionalFormats.filter((cf) => !overlaps(cf.rect, rect));
  }

  clearAll(): void {
    this.values.clear();
    this.formulas.clear();
    this.formats.clear();
    this.conditionalFormats = [];
    this.autoFilter = null;
    this.charts = [];
  }

  /** The smallest rectangle from A1 holding every value or formula; null when the sheet is empty. */
  usedRect(): Rect | null {
    let maxRow = -1;
    let maxCol = -1;
    let minRow = Infinity;
    let minCol = Infinity;
    for (const key of this.values.keys()) {
      const r = Math.floor(key / KEY_WIDTH);
      const c = key % KEY_WIDTH;
      if (r > maxRow) maxRow = r;
      if (c > maxCol) maxCol = c;
      if (r < minRow) minRow = r;
      if (c < minCol) minCol = c;
    }
    if (maxRow < 0) return null;
    return { row: minRow, col: minCol, rowCount: maxRow - minRow + 1, colCount: maxCol - minCol + 1 };
  }

  /** The smallest rectangle holding every filled cell of `rect` (Excel's used range of it); null when empty. */
  usedWithin(rect: Rect): Rect | null {
    let r1 = Infinity;
    let r2 = -1;
    let c1 = Infinity;
    let c2 = -1;
    for (let r = rect.row; r < rect.row + rect.rowCount; r++) {
      for (let c = rect.col; c < rect.col + rect.colCount; c++) {
        if (isEmpty(this.value(r, c))) continue;
        r1 = Math.min(r1, r);
        r2 = Math.max(r2, r);
        c1 = Math.min(c1, c);
        c2 = Math.max(c2, c);
      }
    }
    return r2 < 0 ? null : { row: r1, col: c1, rowCount: r2 - r1 + 1, colCount: c2 - c1 + 1 };
  }

  /** Excel's current region: grown from a cell until bounded by blank rows and columns. */
  currentRegion(row: number, col: number): Rect {
    let r1 = row;
    let r2 = row;
    let c1 = col;
    let c2 = col;
    const rowHas = (r: number, from: number, to: number): boolean => {
      if (r < 0) return false;
      for (let c = Math.max(from, 0); c <= to; c++) if (!isEmpty(this.value(r, c))) return true;
      return false;
    };
    const colHas = (c: number, from: number, to: number): boolean => {
      if (c < 0) return false;
      for (let r = Math.max(from, 0); r <= to; r++) if (!isEmpty(this.value(r, c))) return true;
      return false;
    };
    for (let changed = true; changed; ) {
      changed = false;
      while (rowHas(r2 + 1, c1 - 1, c2 + 1)) {
        r2++;
        changed = true;
      }
      while (rowHas(r1 - 1, c1 - 1, c2 + 1)) {
        r1--;
        changed = true;
      }
      while (colHas(c2 + 1, r1 - 1, r2 + 1)) {
        c2++;
        changed = true;
      }
      while (colHas(c1 - 1, r1 - 1, r2 + 1)) {
        c1--;
        changed = true;
      }
    }
    return { row: r1, col: c1, rowCount: r2 - r1 + 1, colCount: c2 - c1 + 1 };
  }

  /** Whether the AutoFilter (or a table's filter) hides this row. */
  isRowHidden(row: number): boolean {
    const filters = [this.autoFilter, ...this.book.tables.filter((t) => t.sheet === this.name).map((t) => t.filter)];
    for (const f of filters) {
      if (!f || f.column === null || f.values === null) continue;
      if (row <= f.rect.row || row >= f.rect.row + f.rect.rowCount) continue;
      if (!f.values.includes(String(this.value(row, f.column)))) return true;
    }
    return false;
  }

  /** The cells of a rectangle as rows. */
  read(rect: Rect): Cell[][] {
    const out: Cell[][] = [];
    for (let r = rect.row; r < rect.row + rect.rowCount; r++) {
      const line: Cell[] = [];
      for (let c = rect.col; c < rect.col + rect.colCount; c++) line.push(this.value(r, c));
      out.push(line);
    }
    return out;
  }
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.row < b.row + b.rowCount && b.row < a.row + a.rowCount && a.col < b.col + b.colCount && b.col < a.col + a.colCount;
}

export interface MemoryTable {
  name: string;
  sheet: string;
  /** Header row included. */
  rect: Rect;
  filter: AutoFilterState | null;
}

/** Computes a formula's value; the harness plugs in one that knows KAM's functions. */
export type FormulaEvaluator = (book: MemoryWorkbook, sheet: MemorySheet, row: number, col: number, formula: string) => Cell;

export class MemoryWorkbook {
  readonly sheets: MemorySheet[] = [];
  readonly tables: MemoryTable[] = [];
  /** Workbook names → A1 reference with sheet, e.g. `'KAM Rules'!A1:N40`. */
  readonly names = new Map<string, string>();
  selection: { sheet: string; row: number; col: number } = { sheet: '', row: 0, col: 0 };
  evaluator: FormulaEvaluator | null = null;
  private readonly listeners = new Set<() => void>();

  static fromRows(sheetName: string, rows: readonly (readonly Cell[])[]): MemoryWorkbook {
    const book = new MemoryWorkbook();
    book.addRows(sheetName, rows);
    book.selection = { sheet: sheetName, row: 0, col: 0 };
    return book;
  }

  /** Adds a sheet holding these rows from A1 (values stored as given). */
  addRows(sheetName: string, rows: readonly (readonly Cell[])[], at: { row: number; col: number } = { row: 0, col: 0 }): MemorySheet {
    const sheet = this.sheet(sheetName) ?? this.addSheet(sheetName);
    rows.forEach((line, r) => line.forEach((v, c) => sheet.setRaw(at.row + r, at.col + c, v)));
    return sheet;
  }

  sheet(name: string): MemorySheet | undefined {
    return this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  addSheet(name: string): MemorySheet {
    const sheet = new MemorySheet(name, this);
    this.sheets.push(sheet);
    return sheet;
  }

  deleteSheet(name: string): void {
    const i = this.sheets.findIndex((s) => s.name === name);
    if (i >= 0) this.sheets.splice(i, 1);
    for (let t = this.tables.length - 1; t >= 0; t--) if (this.tables[t]?.sheet === name) this.tables.splice(t, 1);
  }

  addTable(name: string, sheet: string, rect: Rect): MemoryTable {
    const table: MemoryTable = { name, sheet, rect, filter: { rect, column: null, values: null } };
    this.tables.push(table);
    return table;
  }

  table(name: string): MemoryTable | undefined {
    return this.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
  }

  evaluate(sheet: MemorySheet, row: number, col: number, formula: string): Cell {
    return this.evaluator ? this.evaluator(this, sheet, row, col, formula) : '#NAME?';
  }

  /** Recomputes every formula (after the data or the rules changed). */
  recalculate(): void {
    for (const sheet of this.sheets) {
      const used = sheet.usedRect();
      if (!used) continue;
      for (let r = used.row; r < used.row + used.rowCount; r++) {
        for (let c = used.col; c < used.col + used.colCount; c++) {
          const f = sheet.formula(r, c);
          if (f !== undefined) sheet.setFormula(r, c, f);
        }
      }
    }
  }

  /** The rectangle a workbook name refers to. */
  nameRect(name: string): { sheet: MemorySheet; rect: Rect } | null {
    const ref = this.names.get(name);
    const parsed = ref === undefined ? null : parseRangeA1(ref.replace(/^=/, '').replace(/\$/g, ''));
    const sheet = parsed?.sheet ? this.sheet(parsed.sheet) : undefined;
    if (!parsed || !sheet) return null;
    return { sheet, rect: { row: parsed.row, col: parsed.col, rowCount: parsed.rowCount, colCount: parsed.colCount } };
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const l of this.listeners) l();
  }
}

export interface MemoryGatewayOptions {
  /** Payload budget per chunk; small values make the chunking visible in tests. */
  chunkBudget?: number;
  /** Awaited before each chunk is written: tests hold a write here to cancel it mid-way. */
  beforeChunk?: (index: number, total: number) => Promise<void>;
}

const yieldToUi = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class MemoryGateway implements WorkbookGateway {
  /** Chunks written by the last writeResults (for tests and the report). */
  lastChunks: Array<{ start: number; count: number; bytes: number }> = [];

  constructor(
    readonly book: MemoryWorkbook,
    private readonly options: MemoryGatewayOptions = {},
  ) {}

  private sheetOrThrow(name: string): MemorySheet {
    const sheet = this.book.sheet(name);
    if (!sheet) throw gatewayError('notFound', { kind: 'sheet', name });
    return sheet;
  }

  async listSources(): Promise<SourceInfo[]> {
    const own = new Set([RULES_SHEET, SUMMARY_SHEET, STAGING_SHEET]);
    return [
      ...this.book.tables.map((t): SourceInfo => ({ kind: 'table', name: t.name, sheet: t.sheet })),
      ...this.book.sheets.filter((s) => !s.hidden && !own.has(s.name)).map((s): SourceInfo => ({ kind: 'sheet', name: s.name, sheet: s.name })),
    ];
  }

  async findRegion(choice: SourceChoice): Promise<DataRegion> {
    let sheet: MemorySheet;
    let rect: Rect | null;
    let table: string | null = null;
    if (choice.kind === 'table') {
      const t = this.book.table(choice.name);
      if (!t) throw gatewayError('notFound', { kind: 'table', name: choice.name });
      sheet = this.sheetOrThrow(t.sheet);
      rect = t.rect;
      table = t.name;
    } else if (choice.kind === 'sheet') {
      sheet = this.sheetOrThrow(choice.name);
      rect = sheet.usedRect();
    } else {
      const sel = this.book.selection;
      sheet = this.sheetOrThrow(sel.sheet);
      const t = this.book.tables.find((x) => x.sheet === sheet.name && overlaps(x.rect, { row: sel.row, col: sel.col, rowCount: 1, colCount: 1 }));
      if (t) {
        rect = t.rect;
        table = t.name;
      } else {
        rect = sheet.currentRegion(sel.row, sel.col);
        if (rect.rowCount === 1 && rect.colCount === 1 && isEmpty(sheet.value(rect.row, rect.col))) rect = null;
      }
    }
    if (!rect) throw gatewayError('noData', { sheet: sheet.name });
    const headers = sheet.read({ ...rect, rowCount: 1 })[0] ?? [];
    if (!looksLikeHeader(headers)) {
      throw gatewayError('noHeader', { sheet: sheet.name, address: sheetRangeA1(sheet.name, rect.row, rect.col, 1, rect.colCount) });
    }
    if (rect.rowCount < 2) throw gatewayError('noData', { sheet: sheet.name });
    return describeRegion({ sheet: sheet.name, table, headerRow: rect.row, firstColumn: rect.col, headers, rowCount: rect.rowCount - 1 });
  }

  async readColumns(region: DataRegion, sheetColumns: readonly number[], options: WorkOptions = {}): Promise<Cell[][]> {
    const sheet = this.sheetOrThrow(region.sheet);
    const out = sheetColumns.map(() => new Array<Cell>(region.rowCount));
    for (let r = 0; r < region.rowCount; r++) {
      sheetColumns.forEach((c, i) => ((out[i] as Cell[])[r] = sheet.value(region.headerRow + 1 + r, c)));
    }
    options.onProgress?.(region.rowCount, region.rowCount);
    return out;
  }

  async readTable(choice: SourceChoice, options: WorkOptions = {}): Promise<TableData> {
    const region = await this.findRegion(choice);
    const columns = await this.readColumns(region, region.columns.map((c) => c.index), options);
    const rows = Array.from({ length: region.rowCount }, (_, r) => columns.map((col) => col[r] ?? ''));
    return { region, headers: region.columns.map((c) => c.header), rows };
  }

  async readRules(): Promise<RulesSheet | null> {
    const named = this.book.nameRect(RULES_NAME);
    const sheet = named?.sheet ?? this.book.sheet(RULES_SHEET);
    if (!sheet) return null;
    const rect = named?.rect ?? sheet.usedRect();
    if (!rect) return null;
    return { sheet: sheet.name, cells: sheet.read(rect), origin: { row: rect.row, col: rect.col } };
  }

  async writeRules(cells: readonly (readonly Cell[])[]): Promise<{ sheet: string; address: string }> {
    const written = this.putRules(cells);
    this.book.recalculate();
    this.book.changed();
    return written;
  }

  private putRules(cells: readonly (readonly Cell[])[]): { sheet: string; address: string } {
    const table = rectangular(cells);
    const formats = textSafeFormats(table);
    const sheet = this.book.sheet(RULES_SHEET) ?? this.book.addSheet(RULES_SHEET);
    const old = this.book.nameRect(RULES_NAME);
    if (old && old.sheet === sheet) sheet.clear(old.rect);
    const width = table[0]?.length ?? 1;
    table.forEach((line, r) =>
      line.forEach((v, c) => {
        sheet.setFormat(r, c, formats[r]?.[c] ?? 'General');
        sheet.write(r, c, v);
      }),
    );
    const address = sheetRangeA1(sheet.name, 0, 0, table.length, width);
    this.book.names.set(RULES_NAME, `=${address.replace(/!([A-Z]+)(\d+):([A-Z]+)(\d+)$/, '!$$$1$$$2:$$$3$$$4')}`);
    return { sheet: sheet.name, address };
  }

  async writeResults(request: WriteRequest, options: WorkOptions = {}): Promise<WriteReport> {
    const { region } = request;
    const sheet = this.sheetOrThrow(region.sheet);
    const placements = placeColumns(region, request.columns.map((c) => c.key));
    const dataTop = region.headerRow + 1;

    // Never over the user's cells: every new column must be empty from the header to the last row.
    for (const block of newColumnBlocks(placements)) {
      const rect = { row: region.headerRow, col: block.first, rowCount: region.rowCount + 1, colCount: block.count };
      const used = sheet.usedWithin(rect);
      if (used) {
        throw gatewayError('cellsNotEmpty', {
          sheet: sheet.name,
          address: rangeA1(rect.row, rect.col, rect.rowCount, rect.colCount),
          used: rangeA1(used.row, used.col, used.rowCount, used.colCount),
        });
      }
    }

    const valueColumns = request.columns.filter((c) => c.values !== undefined);
    let chunks: Array<{ start: number; count: number; bytes: number }> = [];
    let staging: MemorySheet | null = null;
    if (valueColumns.length > 0) {
      // Values go to a hidden staging sheet first and are copied into place only once all chunks are written.
      this.book.deleteSheet(STAGING_SHEET);
      staging = this.book.addSheet(STAGING_SHEET);
      staging.hidden = true;
      const arrays = valueColumns.map((c) => c.values as readonly Cell[]);
      chunks = planChunks(region.rowCount, (r) => rowPayloadBytes(arrays, r), this.options.chunkBudget ?? CHUNK_BUDGET_BYTES);
      this.lastChunks = chunks;
      const stagingSheet = staging;
      valueColumns.forEach((column) => {
        const col = (placements.find((p) => p.key === column.key) as { column: number }).column;
        const format = column.kind === 'text' ? '@' : (column.numberFormat ?? 'General');
        for (let r = 0; r < region.rowCount; r++) stagingSheet.setFormat(dataTop + r, col, format);
      });
      for (let i = 0; i < chunks.length; i++) {
        const chunk = chunks[i] as (typeof chunks)[number];
        await this.options.beforeChunk?.(i, chunks.length);
        await yieldToUi();
        if (options.signal?.aborted) {
          this.book.deleteSheet(STAGING_SHEET);
          this.book.changed();
          throw gatewayError('cancelled', {});
        }
        valueColumns.forEach((column) => {
          const col = (placements.find((p) => p.key === column.key) as { column: number }).column;
          const values = column.values as readonly Cell[];
          for (let r = chunk.start; r < chunk.start + chunk.count; r++) stagingSheet.write(dataTop + r, col, values[r] ?? '');
        });
        options.onProgress?.(chunk.start + chunk.count, region.rowCount);
      }
    }
    if (options.signal?.aborted) {
      this.book.deleteSheet(STAGING_SHEET);
      throw gatewayError('cancelled', {});
    }

    // Commit: everything below happens in one step (one request in Office.js).
    const rules = request.rules ? this.putRules(request.rules) : undefined;
    const table = region.table ? this.book.table(region.table) : undefined;
    if (sheet.autoFilter) sheet.autoFilter = { ...sheet.autoFilter, column: null, values: null };
    if (table?.filter) table.filter = { ...table.filter, column: null, values: null };
    for (const column of request.columns) {
      const col = (placements.find((p) => p.key === column.key) as { column: number }).column;
      sheet.setFormat(region.headerRow, col, '@');
      sheet.write(region.headerRow, col, column.header);
      for (let r = 0; r < region.rowCount; r++) {
        const row = dataTop + r;
        if (column.formulaR1C1 !== undefined) {
          sheet.setFormat(row, col, column.kind === 'text' ? '@' : (column.numberFormat ?? 'General'));
          sheet.setFormula(row, col, column.formulaR1C1);
        } else if (staging) {
          sheet.setFormat(row, col, staging.format(row, col));
          sheet.setRaw(row, col, staging.value(row, col));
        }
      }
    }
    this.book.deleteSheet(STAGING_SHEET);
    const lastColumn = Math.max(region.lastColumn, ...placements.map((p) => p.column));
    const whole: Rect = { row: region.headerRow, col: region.firstColumn, rowCount: region.rowCount + 1, colCount: lastColumn - region.firstColumn + 1 };
    if (table) {
      table.rect = { ...table.rect, colCount: Math.max(table.rect.colCount, whole.colCount) };
      if (table.filter) table.filter.rect = table.rect;
    }

    const tier = placements.find((p) => p.key === 'tier');
    if (tier) {
      const rect = { row: dataTop, col: tier.column, rowCount: region.rowCount, colCount: 1 };
      sheet.conditionalFormats = sheet.conditionalFormats.filter((cf) => !overlaps(cf.rect, rect));
      if (request.tierColours.length > 0) sheet.conditionalFormats.push({ rect, rules: [...request.tierColours] });
    }

    let filter = request.filter;
    if (table) filter = 'table';
    else if (filter === 'table') {
      const overlapping = this.book.tables.find((t) => t.sheet === sheet.name && overlaps(t.rect, whole));
      if (overlapping) throw gatewayError('tableOverlap', { sheet: sheet.name, address: rangeA1(whole.row, whole.col, whole.rowCount, whole.colCount) });
      let n = 1;
      while (this.book.table(`KAM_Accounts${n}`)) n++;
      this.book.addTable(`KAM_Accounts${n}`, sheet.name, whole);
      if (sheet.autoFilter) sheet.autoFilter = null;
    } else if (filter === 'autoFilter') {
      sheet.autoFilter = { rect: whole, column: null, values: null };
    }
    if (rules) this.book.recalculate();
    this.book.changed();
    return {
      sheet: sheet.name,
      addresses: placements.map((p) => rangeA1(region.headerRow, p.column, region.rowCount + 1, 1)),
      added: placements.filter((p) => !p.existing).map((p) => p.key),
      updated: placements.filter((p) => p.existing).map((p) => p.key),
      chunks: chunks.length,
      filter,
      region: regionAfterWrite(region, placements),
      ...(rules ? { rules } : {}),
    };
  }

  async filterTier(region: DataRegion, tierColumn: number, texts: readonly string[] | null): Promise<void> {
    const sheet = this.sheetOrThrow(region.sheet);
    const table = region.table ? this.book.table(region.table) : undefined;
    const criteria = texts === null ? { column: null, values: null } : { column: tierColumn, values: [...texts] };
    if (table) table.filter = { rect: table.rect, ...criteria };
    else {
      const rect = sheet.autoFilter?.rect ?? {
        row: region.headerRow,
        col: region.firstColumn,
        rowCount: region.rowCount + 1,
        colCount: Math.max(region.lastColumn, tierColumn) - region.firstColumn + 1,
      };
      sheet.autoFilter = { rect, ...criteria };
    }
    this.book.changed();
  }

  async writeSummary(summary: SummarySheet, options: WorkOptions = {}): Promise<SummaryReport> {
    const sheet = this.book.sheet(SUMMARY_SHEET) ?? this.book.addSheet(SUMMARY_SHEET);
    sheet.clearAll();
    sheet.setFormat(0, 0, '@');
    sheet.write(0, 0, summary.title);
    let row = 2;
    let rows = 0;
    const placed = new Map<string, { row: number; rowCount: number }>();
    for (const block of summary.blocks) {
      sheet.setFormat(row, 0, '@');
      sheet.write(row, 0, block.title);
      block.header.forEach((h, c) => {
        sheet.setFormat(row + 1, c, '@');
        sheet.write(row + 1, c, h);
      });
      block.rows.forEach((line, r) =>
        line.forEach((v, c) => {
          sheet.setFormat(row + 2 + r, c, block.formats[c] ?? 'General');
          sheet.write(row + 2 + r, c, v ?? '');
        }),
      );
      placed.set(block.id, { row: row + 2, rowCount: block.rows.length });
      rows += block.rows.length;
      row += block.rows.length + 3;
      options.onProgress?.(rows, rows);
    }
    for (const chart of summary.charts) {
      const at = placed.get(chart.block);
      if (!at || at.rowCount === 0) continue;
      if (chart.kind === 'column') {
        sheet.charts.push({
          kind: 'column',
          title: chart.title,
          series: [{ name: chart.title, x: { row: at.row, col: chart.categoryColumn, rowCount: at.rowCount, colCount: 1 }, y: { row: at.row, col: chart.valueColumn, rowCount: at.rowCount, colCount: 1 } }],
        });
      } else {
        const series: MemoryChart['series'] = [];
        let start = 0;
        for (let r = 1; r <= at.rowCount; r++) {
          const name = String(sheet.value(at.row + start, chart.seriesColumn));
          if (r < at.rowCount && String(sheet.value(at.row + r, chart.seriesColumn)) === name) continue;
          series.push({
            name,
            x: { row: at.row + start, col: chart.xColumn, rowCount: r - start, colCount: 1 },
            y: { row: at.row + start, col: chart.yColumn, rowCount: r - start, colCount: 1 },
          });
          start = r;
        }
        sheet.charts.push({ kind: 'scatter', title: chart.title, series, xTitle: chart.xTitle, yTitle: chart.yTitle });
      }
    }
    this.book.changed();
    return { sheet: sheet.name, charts: sheet.charts.length, rows };
  }

  async activeDataRow(region: DataRegion): Promise<number | null> {
    const sel = this.book.selection;
    if (sel.sheet !== region.sheet) return null;
    const row = sel.row - region.headerRow - 1;
    return row >= 0 && row < region.rowCount ? row : null;
  }
}
