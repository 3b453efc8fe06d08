/**
 * The workbook gateway over the in-memory workbook (./memoryWorkbook.ts), with the same contract
 * as the Office.js gateway: the browser tests and demos drive the real task pane against it. The
 * layout decisions both gateways share live in ./layout.ts; this file only does them in memory.
 */
import { callsKamFunction, localFunctionNames, localizeFormula, metadataLocale } from './formulaNames';
import { writeCustomPropertiesInMemory } from './runRecord';
import {
  CHUNK_BUDGET_BYTES,
  describeRegion,
  isEmptyCell,
  looksLikeHeader,
  newColumnBlocks,
  placeColumns,
  placeSummaryBlocks,
  type PlacedBlock,
  planChunks,
  rangeA1,
  rectangular,
  resultCellFormat,
  resultHeader,
  resultMark,
  resultMarks,
  rowPayloadBytes,
  scatterRuns,
  sheetRangeA1,
  tableFromColumns,
  textSafeFormats,
  writeReport,
} from './layout';
import { overlaps, type MemoryWorkbook, type MemoryChart, type MemorySheet, type Rect } from './memoryWorkbook';
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
  type WorkbookGateway,
  SELF_CHECK_ACCOUNT,
  SELF_CHECK_HIDDEN_SHEET,
  SELF_CHECK_NAME,
  SELF_CHECK_SHEET,
  SELF_CHECKS,
  type SelfCheckId,
  type SelfCheckReport,
  type SelfCheckResult,
  type WorkOptions,
  type WriteReport,
  type WriteRequest,
} from './types';

export {
  MemoryWorkbook,
  MemorySheet,
  a1ToR1C1,
  type AutoFilterState,
  type ConditionalFormat,
  type FormulaEvaluator,
  type MemoryChart,
  type MemoryTable,
  type Rect,
} from './memoryWorkbook';

/** Makes the workbook behave as Excel in this display language (the names its custom functions answer to). */
export function useDisplayLanguage(book: MemoryWorkbook, displayLanguage: string): void {
  book.displayLanguage = displayLanguage;
  book.localFunctionNames = localFunctionNames(displayLanguage);
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
        if (rect.rowCount === 1 && rect.colCount === 1 && isEmptyCell(sheet.value(rect.row, rect.col))) rect = null;
      }
    }
    if (!rect) throw gatewayError('noData', { sheet: sheet.name });
    const headers = sheet.read({ ...rect, rowCount: 1 })[0] ?? [];
    if (!looksLikeHeader(headers)) {
      throw gatewayError('noHeader', { sheet: sheet.name, address: sheetRangeA1(sheet.name, rect.row, rect.col, 1, rect.colCount) });
    }
    if (rect.rowCount < 2) throw gatewayError('noData', { sheet: sheet.name });
    const names = [...sheet.names].map(([name, n]) => ({ name, formula: n.formula }));
    return describeRegion({ sheet: sheet.name, table, headerRow: rect.row, firstColumn: rect.col, headers, rowCount: rect.rowCount - 1, marks: resultMarks(names, rect.row) });
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
    return tableFromColumns(
      region,
      await this.readColumns(
        region,
        region.columns.map((c) => c.index),
        options,
      ),
    );
  }

  async readCustomProperties(): Promise<Record<string, string>> {
    return Object.fromEntries(this.book.customProperties);
  }

  async writeRunRecord(properties: ReadonlyArray<readonly [string, string]>): Promise<void> {
    writeCustomPropertiesInMemory(this.book.customProperties, properties);
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
    const placements = placeColumns(
      region,
      request.columns.map((c) => c.key),
    );
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
        const format = resultCellFormat(column);
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
      // A user's column titled like ours keeps its title; ours gets one that differs.
      sheet.write(region.headerRow, col, resultHeader(region, column.header));
      // The mark by which the next Apply (and kam) knows this column is ours.
      const mark = resultMark(sheet.name, region.headerRow, column.key, col);
      sheet.setName(mark.name, mark.reference, false);
      for (let r = 0; r < region.rowCount; r++) {
        const row = dataTop + r;
        if (column.formulaR1C1 !== undefined) {
          // As the Office.js gateway does: the format first, then the formula in the display language's names.
          sheet.setFormat(row, col, resultCellFormat(column));
          if (metadataLocale(this.book.displayLanguage) === null || !callsKamFunction(column.formulaR1C1))
            sheet.enterFormula(row, col, column.formulaR1C1, { local: false, reference: 'R1C1' });
          else sheet.enterFormula(row, col, localizeFormula(column.formulaR1C1, this.book.displayLanguage, this.book.listSeparator), { local: true, reference: 'R1C1' });
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
    return writeReport({ region, placements, chunks: chunks.length, filter, rules });
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

  async addSheet(name: string, rows: readonly (readonly Cell[])[], formats: readonly string[] = []): Promise<{ sheet: string; address: string }> {
    let unique = name;
    for (let n = 2; this.book.sheet(unique); n++) unique = `${name} (${n})`;
    const sheet = this.book.addSheet(unique);
    const table = rectangular(rows);
    table.forEach((line, r) =>
      line.forEach((v, c) => {
        // The header row is text; data cells take their column's format.
        sheet.setFormat(r, c, r === 0 ? '@' : (formats[c] ?? 'General'));
        sheet.setRaw(r, c, v);
      }),
    );
    this.book.changed();
    return { sheet: unique, address: sheetRangeA1(unique, 0, 0, table.length, table[0]?.length ?? 1) };
  }

  async writeSummary(summary: SummarySheet, options: WorkOptions = {}): Promise<SummaryReport> {
    const sheet = this.book.sheet(SUMMARY_SHEET) ?? this.book.addSheet(SUMMARY_SHEET);
    sheet.clearAll();
    sheet.setFormat(0, 0, '@');
    sheet.write(0, 0, summary.title);
    const placed = placeSummaryBlocks(summary);
    let rows = 0;
    for (const block of summary.blocks) {
      const at = placed.get(block.id) as PlacedBlock;
      sheet.setFormat(at.row - 2, 0, '@');
      sheet.write(at.row - 2, 0, block.title);
      block.header.forEach((h, c) => {
        sheet.setFormat(at.row - 1, c, '@');
        sheet.write(at.row - 1, c, h);
      });
      block.rows.forEach((line, r) =>
        line.forEach((v, c) => {
          sheet.setFormat(at.row + r, c, block.formats[c] ?? 'General');
          sheet.write(at.row + r, c, v ?? '');
        }),
      );
      rows += block.rows.length;
      options.onProgress?.(rows, rows);
    }
    const column = (row: number, col: number, rowCount: number): Rect => ({ row, col, rowCount, colCount: 1 });
    for (const chart of summary.charts) {
      const at = placed.get(chart.block);
      const block = summary.blocks.find((b) => b.id === chart.block);
      if (!at || !block || at.rowCount === 0) continue;
      if (chart.kind === 'column') {
        sheet.charts.push({
          kind: 'column',
          title: chart.title,
          series: [{ name: chart.title, x: column(at.row, chart.categoryColumn, at.rowCount), y: column(at.row, chart.valueColumn, at.rowCount) }],
        });
      } else {
        const series: MemoryChart['series'] = scatterRuns(block.rows, chart.seriesColumn).map((run) => ({
          name: run.name,
          x: column(at.row + run.start, chart.xColumn, run.count),
          y: column(at.row + run.start, chart.yColumn, run.count),
        }));
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
  async selfCheck(): Promise<SelfCheckReport> {
    const book = this.book;
    const json = (v: unknown): string => JSON.stringify(v);
    const scratch = (): MemorySheet => this.sheetOrThrow(SELF_CHECK_SHEET);
    const remove = (): void => {
      book.deleteSheet(SELF_CHECK_SHEET);
      book.deleteSheet(SELF_CHECK_HIDDEN_SHEET);
      book.names.delete(SELF_CHECK_NAME);
    };
    // The same steps as the Office.js gateway's, done on the model: they show the pane's list and
    // that the model keeps the rules it claims (it computes KAM formulas only, through its evaluator).
    const checks: Record<SelfCheckId, () => { ok: boolean; detail: string }> = {
      scratchSheet: () => {
        remove();
        return { ok: book.addSheet(SELF_CHECK_SHEET).name === SELF_CHECK_SHEET, detail: SELF_CHECK_SHEET };
      },
      stagingCopy: () => {
        const hidden = book.addSheet(SELF_CHECK_HIDDEN_SHEET);
        hidden.hidden = true;
        ['=x', '1e5'].forEach((v, r) => {
          hidden.setFormat(r, 0, '@');
          hidden.write(r, 0, v);
          scratch().setFormat(r, 0, hidden.format(r, 0));
          scratch().setRaw(r, 0, hidden.value(r, 0));
        });
        book.deleteSheet(SELF_CHECK_HIDDEN_SHEET);
        const seen = [scratch().value(0, 0), scratch().value(1, 0), scratch().format(0, 0)];
        return { ok: json(seen) === json(['=x', '1e5', '@']), detail: json(seen) };
      },
      r1c1Fill: () => {
        const sheet = scratch();
        [1, 2, 3].forEach((v, r) => sheet.setRaw(r, 1, v));
        for (let r = 0; r < 3; r++) sheet.enterFormula(r, 2, '=RC[-1]*2', { local: false, reference: 'R1C1' });
        const formulas = [0, 1, 2].map((r) => sheet.formula(r, 2));
        return { ok: formulas.every((f) => f === '=RC[-1]*2'), detail: `${json(formulas)} (the in-memory workbook stores formulas; it computes only KAM's)` };
      },
      textCellFormula: () => {
        const sheet = scratch();
        sheet.setFormat(0, 3, '@');
        sheet.enterFormula(0, 3, '=1+1', { local: false, reference: 'A1' });
        return { ok: sheet.value(0, 3) === '=1+1', detail: json(sheet.value(0, 3)) };
      },
      liveFormula: () => {
        const sheet = scratch();
        SELF_CHECK_ACCOUNT.forEach((v, c) => sheet.setRaw(4, c, v));
        const formula = '=KAM.SCORE(RC1,RC2,RC3,RC4,RC5,RC6,RC7)';
        if (metadataLocale(book.displayLanguage) === null) sheet.enterFormula(4, 7, formula, { local: false, reference: 'R1C1' });
        else sheet.enterFormula(4, 7, localizeFormula(formula, book.displayLanguage, book.listSeparator), { local: true, reference: 'R1C1' });
        const value = sheet.value(4, 7);
        return { ok: typeof value === 'number', detail: json(value) };
      },
      conditionalFormat: () => {
        const rect = { row: 0, col: 0, rowCount: 2, colCount: 1 };
        scratch().conditionalFormats.push({ rect, rules: [{ text: '=x', fill: '#DDEBF7', font: '#1F4E78' }] });
        const count = scratch().conditionalFormats.filter((cf) => overlaps(cf.rect, rect)).length;
        return { ok: count === 1, detail: `${count}` };
      },
      tableColumns: () => {
        const sheet = scratch();
        [
          ['Customer', 'Sales'],
          ['A', 1],
          ['B', 2],
        ].forEach((line, r) => line.forEach((v, c) => sheet.setRaw(9 + r, c, v)));
        const table = book.addTable('KAM_SelfCheck', SELF_CHECK_SHEET, { row: 9, col: 0, rowCount: 3, colCount: 2 });
        table.rect = { ...table.rect, colCount: 3 };
        sheet.setRaw(9, 2, 'KAM Score');
        return { ok: table.rect.colCount === 3, detail: `${table.rect.colCount} columns` };
      },
      autoFilter: () => {
        const sheet = scratch();
        [
          ['Tier', 'n'],
          ['Key', 1],
          ['Develop', 2],
          ['Key', 3],
        ].forEach((line, r) => line.forEach((v, c) => sheet.setRaw(9 + r, 5 + c, v)));
        sheet.autoFilter = { rect: { row: 9, col: 5, rowCount: 4, colCount: 2 }, column: 5, values: ['Key'] };
        const hidden = [10, 11, 12].map((r) => sheet.isRowHidden(r));
        return { ok: json(hidden) === json([false, true, false]), detail: `hidden rows ${json(hidden)}` };
      },
      names: () => {
        book.names.set(SELF_CHECK_NAME, `='${SELF_CHECK_SHEET}'!$A$5:$G$5`);
        const target = book.nameRect(SELF_CHECK_NAME);
        book.names.delete(SELF_CHECK_NAME);
        return {
          ok: target?.rect.colCount === 7 && target.sheet.name === SELF_CHECK_SHEET,
          detail: target ? rangeA1(target.rect.row, target.rect.col, target.rect.rowCount, target.rect.colCount) : 'none',
        };
      },
      columnChart: () => {
        const y: Rect = { row: 19, col: 1, rowCount: 2, colCount: 1 };
        scratch().charts.push({ kind: 'column', title: 'check', series: [{ name: 'n', x: { ...y, col: 0 }, y }] });
        return { ok: true, detail: '1 series' };
      },
      scatterChart: () => {
        const at = (row: number, col: number): Rect => ({ row, col, rowCount: 2, colCount: 1 });
        scratch().charts.push({
          kind: 'scatter',
          title: 'check',
          series: [
            { name: 'A', x: at(19, 3), y: at(19, 4) },
            { name: 'B', x: at(21, 3), y: at(21, 4) },
          ],
        });
        const n = scratch().charts.find((c) => c.kind === 'scatter')?.series.length ?? 0;
        return { ok: n === 2, detail: `${n} series` };
      },
      cleanUp: () => {
        remove();
        const gone = !book.sheet(SELF_CHECK_SHEET) && !book.sheet(SELF_CHECK_HIDDEN_SHEET) && !book.names.has(SELF_CHECK_NAME);
        return { ok: gone, detail: gone ? 'removed' : 'still there' };
      },
    };
    const results: SelfCheckResult[] = [];
    for (const id of SELF_CHECKS) {
      try {
        results.push({ id, ...checks[id]() });
      } catch (error) {
        results.push({ id, ok: false, detail: error instanceof Error ? error.message : String(error) });
      }
      await yieldToUi();
    }
    this.book.changed();
    return { host: 'in-memory workbook', platform: 'browser', version: 'demo', displayLanguage: book.displayLanguage, apiSets: {}, results };
  }
}
