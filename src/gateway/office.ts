/**
 * The workbook gateway over Office.js: the only module in the add-in that calls `Excel.run`.
 *
 * Round trips are few and bounded: reads and writes go in row chunks sized under Excel on the
 * web's 5 MB request limit (one `context.sync()` per chunk, none per row); calculation and screen
 * updating are suspended while writing. Values are first written to a hidden staging sheet and
 * copied into place in one final request, so a cancelled or failed Apply leaves the user's sheet
 * as it was. Live formulas are one R1C1 formula per column, filled down in that same request.
 * Live formulas go in through `formulasLocal` with the names the display language shows (see
 * ./formulaNames.ts). Requires ExcelApi 1.9 (getTables, copyFrom, autoFill); the pane checks
 * before using it; newer calls (Table.resize 1.13, cultureInfo 1.11) are used only when supported.
 */
import { callsKamFunction, listSeparatorFor, localizeFormula, metadataLocale } from './formulaNames';
import { readCustomPropertiesIn, writeCustomPropertiesIn } from './runRecord';
import {
  CHUNK_BUDGET_BYTES,
  cellPayloadBytes,
  describeRegion,
  isEmptyCell,
  looksLikeHeader,
  newColumnBlocks,
  nextReadRows,
  placeColumns,
  planChunks,
  placeSummaryBlocks,
  r1c1ToA1,
  rangeA1,
  rectangular,
  regionAfterWrite,
  resultCellFormat,
  resultHeader,
  resultMark,
  resultMarks,
  rowPayloadBytes,
  scatterRuns,
  sheetRangeA1,
  tableFromColumns,
  textSafeFormats,
  quoteSheet,
  writeReport,
  type ColumnPlacement,
  type PlacedBlock,
} from './layout';
import {
  GatewayError,
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
  type WorkOptions,
  type WriteReport,
  type WriteRequest,
  type ResultColumn,
  SELF_CHECK_ACCOUNT,
  SELF_CHECK_HIDDEN_SHEET,
  SELF_CHECK_NAME,
  SELF_CHECK_SHEET,
  SELF_CHECKS,
  type SelfCheckId,
  type SelfCheckReport,
  type SelfCheckResult,
} from './types';

export interface OfficeGatewayOptions {
  /** Payload budget per chunk (bytes); defaults under the 5 MB limit with a margin. */
  chunkBudget?: number;
  /** Excel's display language ("zh-CN"); defaults to Office.context.displayLanguage. */
  displayLanguage?: string;
  /** Office.context.requirements.isSetSupported, or a stand-in in tests. */
  isSetSupported?: (set: string, version: string) => boolean;
}

function officeDisplayLanguage(): string {
  return typeof Office !== 'undefined' ? (Office.context?.displayLanguage ?? 'en-US') : 'en-US';
}

function officeIsSetSupported(set: string, version: string): boolean {
  return typeof Office !== 'undefined' && Office.context?.requirements?.isSetSupported(set, version) === true;
}

/** What Excel.run needs; tests pass a fake with the same shape. */
export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

const PAYLOAD_TOO_LARGE = new Set(['RequestPayloadSizeLimitExceeded', 'PayloadTooLarge', 'ResponsePayloadSizeLimitExceeded']);

function excelCode(error: unknown): string | null {
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string') return (error as { code: string }).code;
  return null;
}

/** Excel's errors become problems the pane can show; ours pass through. */
function asGatewayError(error: unknown): unknown {
  if (error instanceof GatewayError) return error;
  const code = excelCode(error);
  if (code === null) return error;
  return gatewayError('excel', { code, text: error instanceof Error ? error.message : String(error) });
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw gatewayError('cancelled', {});
}

/** Excel's column count. */
const EXCEL_COLUMNS = 16384;

function tableCannotGrow(region: DataRegion, after: DataRegion): GatewayError {
  const first = region.lastColumn + 1;
  return gatewayError('tableCannotGrow', {
    sheet: region.sheet,
    table: region.table ?? '',
    address: rangeA1(region.headerRow, first, region.rowCount + 1, Math.max(1, after.lastColumn - first + 1)),
  });
}

/** A string literal inside a formula: quotes doubled. */
function formulaText(text: string): string {
  return `="${text.replace(/"/g, '""')}"`;
}

export class OfficeGateway implements WorkbookGateway {
  private readonly budget: number;
  private readonly excelRun: ExcelRun;
  readonly displayLanguage: string;
  private readonly isSetSupported: (set: string, version: string) => boolean;

  constructor(options: OfficeGatewayOptions = {}, run?: ExcelRun) {
    this.budget = options.chunkBudget ?? CHUNK_BUDGET_BYTES;
    this.displayLanguage = options.displayLanguage ?? officeDisplayLanguage();
    this.isSetSupported = options.isSetSupported ?? officeIsSetSupported;
    this.excelRun = run ?? (<T>(batch: (context: Excel.RequestContext) => Promise<T>) => Excel.run(batch));
  }

  private async run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> {
    try {
      return await this.excelRun(batch);
    } catch (error) {
      throw asGatewayError(error);
    }
  }

  async listSources(): Promise<SourceInfo[]> {
    return this.run(async (context) => {
      const own = new Set([RULES_SHEET, SUMMARY_SHEET, STAGING_SHEET]);
      const tables = context.workbook.tables.load('items/name');
      const sheets = context.workbook.worksheets.load('items/name,items/visibility');
      await context.sync();
      const tableSheets = tables.items.map((t) => t.worksheet.load('name'));
      await context.sync();
      return [
        ...tables.items.map((t, i): SourceInfo => ({ kind: 'table', name: t.name, sheet: (tableSheets[i] as Excel.Worksheet).name })),
        ...sheets.items.filter((s) => s.visibility === 'Visible' && !own.has(s.name)).map((s): SourceInfo => ({ kind: 'sheet', name: s.name, sheet: s.name })),
      ];
    });
  }

  async findRegion(choice: SourceChoice): Promise<DataRegion> {
    return this.run(async (context) => {
      if (choice.kind === 'table') {
        const table = context.workbook.tables.getItemOrNullObject(choice.name);
        await context.sync();
        if (table.isNullObject) throw gatewayError('notFound', { kind: 'table', name: choice.name });
        return this.tableRegion(context, table);
      }
      let sheet: Excel.Worksheet;
      let block: Excel.Range;
      if (choice.kind === 'sheet') {
        sheet = context.workbook.worksheets.getItemOrNullObject(choice.name);
        await context.sync();
        if (sheet.isNullObject) throw gatewayError('notFound', { kind: 'sheet', name: choice.name });
        const used = sheet.getUsedRangeOrNullObject(true);
        await context.sync();
        if (used.isNullObject) throw gatewayError('noData', { sheet: choice.name });
        block = used;
      } else {
        const selected = context.workbook.getSelectedRange();
        const tables = selected.getTables(false).load('items/name');
        // The selection is always on the active sheet.
        sheet = context.workbook.worksheets.getActiveWorksheet();
        await context.sync();
        const first = tables.items[0];
        if (first) return this.tableRegion(context, context.workbook.tables.getItem(first.name));
        block = selected.getCell(0, 0).getSurroundingRegion();
      }
      sheet.load('name');
      block.load('rowIndex,columnIndex,rowCount,columnCount');
      const header = block.getRow(0).load('values');
      // KAM's columns are known by their marks (sheet-scoped names), read in the same request.
      const names = sheet.names.load('items/name,items/formula');
      await context.sync();
      const headers = header.values[0] ?? [];
      if (block.rowCount === 1 && block.columnCount === 1 && isEmptyCell(headers[0] as Cell)) throw gatewayError('noData', { sheet: sheet.name });
      if (!looksLikeHeader(headers)) {
        throw gatewayError('noHeader', { sheet: sheet.name, address: sheetRangeA1(sheet.name, block.rowIndex, block.columnIndex, 1, block.columnCount) });
      }
      if (block.rowCount < 2) throw gatewayError('noData', { sheet: sheet.name });
      const marks = resultMarks(
        names.items.map((n) => ({ name: n.name, formula: n.formula as unknown })),
        block.rowIndex,
      );
      return describeRegion({ sheet: sheet.name, table: null, headerRow: block.rowIndex, firstColumn: block.columnIndex, headers, rowCount: block.rowCount - 1, marks });
    });
  }

  private async tableRegion(context: Excel.RequestContext, table: Excel.Table): Promise<DataRegion> {
    table.load('name');
    const sheet = table.worksheet.load('name');
    const header = table.getHeaderRowRange().load('values,rowIndex,columnIndex');
    const body = table.getDataBodyRange().load('rowCount');
    const names = table.worksheet.names.load('items/name,items/formula');
    await context.sync();
    const headers = header.values[0] ?? [];
    if (body.rowCount < 1) throw gatewayError('noData', { sheet: sheet.name });
    const marks = resultMarks(
      names.items.map((n) => ({ name: n.name, formula: n.formula as unknown })),
      header.rowIndex,
    );
    return describeRegion({ sheet: sheet.name, table: table.name, headerRow: header.rowIndex, firstColumn: header.columnIndex, headers, rowCount: body.rowCount, marks });
  }

  /**
   * Reads columns in row chunks. A read cannot be measured before it happens, so the first chunk is
   * small and the next ones are sized from the largest row seen; a chunk Excel still refuses as too
   * large is split in two and read again.
   */
  async readColumns(region: DataRegion, sheetColumns: readonly number[], options: WorkOptions = {}): Promise<Cell[][]> {
    const out = sheetColumns.map(() => new Array<Cell>(region.rowCount));
    // Columns next to each other are read as one range.
    const runs: Array<{ first: number; count: number; slots: number[] }> = [];
    [...sheetColumns.keys()]
      .sort((a, b) => (sheetColumns[a] as number) - (sheetColumns[b] as number))
      .forEach((slot) => {
        const col = sheetColumns[slot] as number;
        const last = runs[runs.length - 1];
        if (last && last.first + last.count === col) {
          last.count++;
          last.slots.push(slot);
        } else if (last && last.first + last.count - 1 === col) last.slots.push(slot);
        else runs.push({ first: col, count: 1, slots: [slot] });
      });
    let maxRowBytes: number | null = null;
    let start = 0;
    const width = runs.reduce((s, r) => s + r.count, 0);
    let rows = nextReadRows(null, width, this.budget);
    while (start < region.rowCount) {
      throwIfCancelled(options.signal);
      const count = Math.min(rows, region.rowCount - start);
      let values: unknown[][][];
      try {
        values = await this.excelRun(async (context) => {
          const sheet = context.workbook.worksheets.getItem(region.sheet);
          const ranges = runs.map((run) => sheet.getRangeByIndexes(region.headerRow + 1 + start, run.first, count, run.count).load('values'));
          // One round trip per chunk of rows (about 3.5 MB), never one per row.
          // eslint-disable-next-line office-addins/no-context-sync-in-loop
          await context.sync();
          return ranges.map((r) => r.values);
        });
      } catch (error) {
        if (PAYLOAD_TOO_LARGE.has(excelCode(error) ?? '') && count > 1) {
          rows = Math.max(1, Math.floor(count / 2));
          continue;
        }
        throw asGatewayError(error);
      }
      for (let r = 0; r < count; r++) {
        let rowBytes = 3;
        runs.forEach((run, i) => {
          const line = ((values[i] as unknown[][])[r] ?? []) as Cell[];
          run.slots.forEach((slot) => {
            (out[slot] as Cell[])[start + r] = line[(sheetColumns[slot] as number) - run.first] as Cell;
          });
          for (const v of line) rowBytes += cellPayloadBytes(v);
        });
        if (maxRowBytes === null || rowBytes > maxRowBytes) maxRowBytes = rowBytes;
      }
      start += count;
      options.onProgress?.(start, region.rowCount);
      rows = nextReadRows(maxRowBytes, width, this.budget);
    }
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
    return this.run((context) => readCustomPropertiesIn(context));
  }

  async writeRunRecord(properties: ReadonlyArray<readonly [string, string]>): Promise<void> {
    await this.run((context) => writeCustomPropertiesIn(context, properties));
  }

  async readRules(): Promise<RulesSheet | null> {
    return this.run(async (context) => {
      const name = context.workbook.names.getItemOrNullObject(RULES_NAME);
      const sheet = context.workbook.worksheets.getItemOrNullObject(RULES_SHEET);
      await context.sync();
      let range: Excel.Range;
      if (!name.isNullObject) {
        range = name.getRangeOrNullObject();
        await context.sync();
        if (range.isNullObject) return null;
      } else if (!sheet.isNullObject) {
        range = sheet.getUsedRangeOrNullObject(true);
        await context.sync();
        if (range.isNullObject) return null;
      } else return null;
      range.load('values,rowIndex,columnIndex');
      const owner = range.worksheet.load('name');
      await context.sync();
      return { sheet: owner.name, cells: range.values as Cell[][], origin: { row: range.rowIndex, col: range.columnIndex } };
    });
  }

  async writeRules(cells: readonly (readonly Cell[])[]): Promise<{ sheet: string; address: string }> {
    return this.run(async (context) => {
      const sheet = context.workbook.worksheets.getItemOrNullObject(RULES_SHEET);
      const name = context.workbook.names.getItemOrNullObject(RULES_NAME);
      await context.sync();
      const old = name.isNullObject ? null : name.getRangeOrNullObject().load('address');
      if (old) await context.sync();
      const written = this.queueRules(context, cells, { sheetExists: !sheet.isNullObject, nameExists: !name.isNullObject, oldAddress: oldRulesAddress(old) });
      await context.sync();
      return written;
    });
  }

  /** Queues the rules table and its name; the caller syncs. */
  private queueRules(context: Excel.RequestContext, cells: readonly (readonly Cell[])[], facts: RulesFacts): { sheet: string; address: string } {
    const table = rectangular(cells);
    const width = table[0]?.length ?? 1;
    const sheet = facts.sheetExists ? context.workbook.worksheets.getItem(RULES_SHEET) : context.workbook.worksheets.add(RULES_SHEET);
    // Only the previous rules table is cleared: anything else on the sheet stays.
    if (facts.oldAddress) sheet.getRange(facts.oldAddress).clear('All');
    const target = sheet.getRangeByIndexes(0, 0, table.length, width);
    // Formats first, then values: a label such as "=x" or "1e5" lands in a Text cell and stays text.
    target.numberFormat = textSafeFormats(table);
    target.values = table;
    target.format.autofitColumns();
    const reference = `=${quoteSheet(RULES_SHEET)}!$A$1:${absolute(rangeA1(table.length - 1, width - 1, 1, 1))}`;
    if (facts.nameExists) context.workbook.names.getItem(RULES_NAME).formula = reference;
    else context.workbook.names.add(RULES_NAME, target, 'KAM rules table (read by KAM.SCORE, KAM.TIER, KAM.FLAGS)');
    return { sheet: RULES_SHEET, address: sheetRangeA1(RULES_SHEET, 0, 0, table.length, width) };
  }

  async writeResults(request: WriteRequest, options: WorkOptions = {}): Promise<WriteReport> {
    const { region } = request;
    const placements = placeColumns(
      region,
      request.columns.map((c) => c.key),
    );
    const columnOf = (column: ResultColumn): ColumnPlacement => placements.find((p) => p.key === column.key) as ColumnPlacement;
    const dataTop = region.headerRow + 1;
    const blocksToAdd = newColumnBlocks(placements);
    const translated = metadataLocale(this.displayLanguage) !== null;
    const hasFormulas = translated && request.columns.some((c) => c.formulaR1C1 !== undefined);
    const canResizeTable = this.isSetSupported('ExcelApi', '1.13');

    // 1. Never over the user's cells: the new columns must be empty from the header to the last row.
    const state = await this.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem(region.sheet);
      const blocks = blocksToAdd.map((b) => ({
        block: b,
        used: sheet
          .getRangeByIndexes(region.headerRow, b.first, region.rowCount + 1, b.count)
          .getUsedRangeOrNullObject(true)
          .load('address'),
      }));
      const staging = context.workbook.worksheets.getItemOrNullObject(STAGING_SHEET);
      const autoFilter = sheet.autoFilter.load('enabled');
      // Marks already on the sheet are moved, not added again (a name cannot be added twice).
      const sheetNames = sheet.names.load('items/name');
      // Where the rules go is learnt now, so the final request can write them without asking.
      const rulesSheet = context.workbook.worksheets.getItemOrNullObject(RULES_SHEET);
      const rulesName = context.workbook.names.getItemOrNullObject(RULES_NAME);
      // A new Excel table must not overlap another one; asked now, because the final request is not
      // a transaction: a table refused there would leave the columns written before it.
      const after = regionAfterWrite(region, placements);
      const overlapping =
        request.filter === 'table' && !region.table
          ? sheet
              .getRangeByIndexes(region.headerRow, region.firstColumn, region.rowCount + 1, after.lastColumn - region.firstColumn + 1)
              .getTables(false)
              .load('items/name')
          : null;
      // Adding table columns shifts the cells right of the table; with cells used there Excel on the
      // web may refuse (OperationCellsExceedLimit). Then the table is resized over the empty cells instead.
      const rightOfNew =
        region.table && blocksToAdd.length > 0 && after.lastColumn + 1 < EXCEL_COLUMNS
          ? sheet.getRangeByIndexes(region.headerRow, after.lastColumn + 1, region.rowCount + 1, EXCEL_COLUMNS - after.lastColumn - 1).getUsedRangeOrNullObject(true)
          : null;
      // formulasLocal separates arguments as the locale does.
      const numberFormat = hasFormulas && this.isSetSupported('ExcelApi', '1.11') ? context.application.cultureInfo.numberFormat.load('numberDecimalSeparator') : null;
      await context.sync();
      if (overlapping && overlapping.items.length > 0) throw gatewayError('tableOverlap', { sheet: region.sheet, address: region.address });
      for (const { block, used } of blocks) {
        if (!used.isNullObject) {
          throw gatewayError('cellsNotEmpty', {
            sheet: region.sheet,
            address: rangeA1(region.headerRow, block.first, region.rowCount + 1, block.count),
            used: used.address.slice(used.address.lastIndexOf('!') + 1),
          });
        }
      }
      const rightUsed = rightOfNew !== null && !rightOfNew.isNullObject;
      if (rightUsed && !canResizeTable) throw tableCannotGrow(region, after);
      const old = request.rules && !rulesName.isNullObject ? rulesName.getRangeOrNullObject().load('address') : null;
      // A staging sheet left by an interrupted Apply is removed before a new one is made.
      if (!staging.isNullObject) staging.delete();
      if (old || !staging.isNullObject) await context.sync();
      const rules: RulesFacts = { sheetExists: !rulesSheet.isNullObject, nameExists: !rulesName.isNullObject, oldAddress: oldRulesAddress(old) };
      const names = new Set(sheetNames.items.map((n) => n.name.toUpperCase()));
      return { autoFilter: autoFilter.enabled, rules, resizeTable: rightUsed, listSeparator: listSeparatorFor(numberFormat?.numberDecimalSeparator), names };
    });

    // 2. Values, chunk by chunk, into the hidden staging sheet at the same addresses. The user sees
    // none of it, so the screen is left alone until the final request.
    const valueColumns = request.columns.filter((c) => c.values !== undefined);
    const arrays = valueColumns.map((c) => c.values as readonly Cell[]);
    // Each column is written as an n×1 range: every cell is wrapped in [ ], and carries its format.
    const perCell = 2 + Math.max(0, ...valueColumns.map((c) => resultCellFormat(c).length + 5));
    const chunks = valueColumns.length === 0 ? [] : planChunks(region.rowCount, (r) => rowPayloadBytes(arrays, r, perCell), this.budget);
    try {
      for (let i = 0; i < chunks.length; i++) {
        throwIfCancelled(options.signal);
        const chunk = chunks[i] as (typeof chunks)[number];
        await this.run(async (context) => {
          context.application.suspendApiCalculationUntilNextSync();
          let staging: Excel.Worksheet;
          if (i === 0) {
            staging = context.workbook.worksheets.add(STAGING_SHEET);
            staging.visibility = 'Hidden';
          } else staging = context.workbook.worksheets.getItem(STAGING_SHEET);
          for (const column of valueColumns) {
            const range = staging.getRangeByIndexes(dataTop + chunk.start, columnOf(column).column, chunk.count, 1);
            const values = column.values as readonly Cell[];
            const format = resultCellFormat(column);
            range.numberFormat = Array.from({ length: chunk.count }, () => [format]);
            range.values = Array.from({ length: chunk.count }, (_, r) => [values[chunk.start + r] ?? '']);
          }
          // One round trip per chunk of rows (about 3.5 MB), never one per row.
          // eslint-disable-next-line office-addins/no-context-sync-in-loop
          await context.sync();
        });
        options.onProgress?.(chunk.start + chunk.count, region.rowCount);
      }
      throwIfCancelled(options.signal);
    } catch (error) {
      if (chunks.length > 0) await this.dropStaging();
      throw error;
    }

    // 3. Commit in one request: headers, the copy from staging, formulas, colours, filter.
    const table = region.table;
    const after = regionAfterWrite(region, placements);
    let filter = table ? 'table' : request.filter;
    let rulesWritten: { sheet: string; address: string } | undefined;
    try {
      await this.run(async (context) => {
        context.application.suspendApiCalculationUntilNextSync();
        context.application.suspendScreenUpdatingUntilNextSync();
        // The rules first: the live formulas below read the name KAM_RULES.
        if (request.rules) rulesWritten = this.queueRules(context, request.rules, state.rules);
        const sheet = context.workbook.worksheets.getItem(region.sheet);
        const tableObject = table ? context.workbook.tables.getItem(table) : null;
        if (tableObject) tableObject.clearFilters();
        else if (state.autoFilter) sheet.autoFilter.clearCriteria();
        const whole = sheet.getRangeByIndexes(region.headerRow, region.firstColumn, region.rowCount + 1, after.lastColumn - region.firstColumn + 1);
        // Grown over the checked-empty cells in one call when cells to the right would have to move.
        if (tableObject && state.resizeTable) tableObject.resize(whole);
        const staging = chunks.length > 0 ? context.workbook.worksheets.getItem(STAGING_SHEET) : null;
        for (const column of request.columns) {
          const place = columnOf(column);
          if (tableObject && !place.existing && !state.resizeTable) tableObject.columns.add(undefined, undefined, resultHeader(region, column.header));
          const head = sheet.getRangeByIndexes(region.headerRow, place.column, 1, 1);
          // A user's column titled like ours keeps its title; ours gets one that differs.
          const header = resultHeader(region, column.header);
          head.numberFormat = [['@']];
          head.values = [[header]];
          // The mark by which the next Apply (and kam) knows this column is ours: a hidden sheet-scoped name on its header.
          const mark = resultMark(region.sheet, region.headerRow, column.key, place.column);
          if (state.names.has(mark.name.toUpperCase())) sheet.names.getItem(mark.name).formula = mark.reference;
          else sheet.names.add(mark.name, mark.reference, 'KAM result column').visible = false;
          const body = sheet.getRangeByIndexes(dataTop, place.column, region.rowCount, 1);
          if (column.formulaR1C1 !== undefined) {
            const first = sheet.getRangeByIndexes(dataTop, place.column, 1, 1);
            // Not Text: Excel keeps a formula entered into a Text cell as text. The fill copies this format down.
            first.numberFormat = [[resultCellFormat(column)]];
            // Where the display language renames KAM's functions, only their local names work (formulasLocal).
            // Portable formulas call no KAM function: English names and "," always work through formulasR1C1.
            if (translated && callsKamFunction(column.formulaR1C1))
              first.formulasLocal = [[localizeFormula(r1c1ToA1(column.formulaR1C1, dataTop, place.column), this.displayLanguage, state.listSeparator)]];
            else first.formulasR1C1 = [[column.formulaR1C1]];
            if (region.rowCount > 1) first.autoFill(body, 'FillCopy');
          } else if (staging) {
            body.copyFrom(staging.getRangeByIndexes(dataTop, place.column, region.rowCount, 1), 'All');
          }
          head.format.autofitColumns();
        }
        const tier = placements.find((p) => p.key === 'tier');
        if (tier) {
          const range = sheet.getRangeByIndexes(dataTop, tier.column, region.rowCount, 1);
          range.conditionalFormats.clearAll();
          for (const colour of request.tierColours) {
            const cf = range.conditionalFormats.add('CellValue');
            cf.cellValue.format.fill.color = colour.fill;
            cf.cellValue.format.font.color = colour.font;
            cf.cellValue.rule = { formula1: formulaText(colour.text), operator: 'EqualTo' };
          }
        }
        if (!tableObject && filter === 'table') sheet.tables.add(whole, true);
        else if (!tableObject && filter === 'autoFilter') sheet.autoFilter.apply(whole);
        staging?.delete();
        await context.sync();
      });
    } catch (error) {
      if (chunks.length > 0) await this.dropStaging();
      const code = error instanceof GatewayError && error.problem.key === 'excel' ? error.problem.params.code : null;
      if (filter === 'table' && !table && code === 'InvalidOperation') {
        filter = 'none';
        throw gatewayError('tableOverlap', { sheet: region.sheet, address: region.address });
      }
      if (table && code === 'OperationCellsExceedLimit') throw tableCannotGrow(region, after);
      throw error;
    }
    return writeReport({ region, placements, chunks: chunks.length, filter, rules: rulesWritten });
  }

  private async dropStaging(): Promise<void> {
    await this.run(async (context) => {
      const staging = context.workbook.worksheets.getItemOrNullObject(STAGING_SHEET);
      await context.sync();
      if (!staging.isNullObject) {
        staging.delete();
        await context.sync();
      }
    }).catch(() => undefined);
  }

  async filterTier(region: DataRegion, tierColumn: number, texts: readonly string[] | null): Promise<void> {
    await this.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem(region.sheet);
      if (region.table) {
        const table = context.workbook.tables.getItem(region.table);
        if (texts === null) table.clearFilters();
        else table.columns.getItemAt(tierColumn - region.firstColumn).filter.applyValuesFilter([...texts]);
      } else {
        const autoFilter = sheet.autoFilter.load('enabled');
        await context.sync();
        const whole = sheet.getRangeByIndexes(region.headerRow, region.firstColumn, region.rowCount + 1, Math.max(region.lastColumn, tierColumn) - region.firstColumn + 1);
        if (texts === null) {
          if (autoFilter.enabled) autoFilter.clearCriteria();
        } else sheet.autoFilter.apply(whole, tierColumn - region.firstColumn, { filterOn: 'Values', values: [...texts] });
      }
      await context.sync();
    });
  }

  async addSheet(name: string, rows: readonly (readonly Cell[])[], formats: readonly string[] = []): Promise<{ sheet: string; address: string }> {
    const table = rectangular(rows);
    const width = table[0]?.length ?? 1;
    const columnFormat = (c: number, r: number): string => (r === 0 ? '@' : (formats[c] ?? 'General'));
    // The name is picked and the sheet added in one request; rows follow in chunks under the request limit.
    const sheetName = await this.run(async (context) => {
      const sheets = context.workbook.worksheets.load('items/name');
      await context.sync();
      const taken = new Set(sheets.items.map((s) => s.name.toLowerCase()));
      let unique = name;
      for (let n = 2; taken.has(unique.toLowerCase()); n++) unique = `${name} (${n})`;
      context.workbook.worksheets.add(unique);
      await context.sync();
      return unique;
    });
    try {
      const perCell = Math.max(3, ...formats.map((f) => f.length + 3));
      const chunks = planChunks(table.length, (r) => (table[r] ?? []).reduce<number>((bytes, v) => bytes + cellPayloadBytes(v) + perCell, 3), this.budget);
      for (const chunk of chunks) {
        await this.run(async (context) => {
          const sheet = context.workbook.worksheets.getItem(sheetName);
          const range = sheet.getRangeByIndexes(chunk.start, 0, chunk.count, width);
          const block = table.slice(chunk.start, chunk.start + chunk.count);
          range.numberFormat = block.map((line, r) => line.map((_, c) => columnFormat(c, chunk.start + r)));
          range.values = block;
          // One round trip per chunk of rows, never one per row.
          // eslint-disable-next-line office-addins/no-context-sync-in-loop
          await context.sync();
        });
      }
    } catch (error) {
      // Never a half-written sheet: the new sheet goes if its rows could not all be written.
      await this.run(async (context) => {
        context.workbook.worksheets.getItem(sheetName).delete();
        await context.sync();
      }).catch(() => undefined);
      throw error;
    }
    return { sheet: sheetName, address: sheetRangeA1(sheetName, 0, 0, table.length, width) };
  }

  async writeSummary(summary: SummarySheet, options: WorkOptions = {}): Promise<SummaryReport> {
    const placed = placeSummaryBlocks(summary);
    const total = summary.blocks.reduce((s, b) => s + b.rows.length, 0);
    await this.run(async (context) => {
      let sheet = context.workbook.worksheets.getItemOrNullObject(SUMMARY_SHEET);
      await context.sync();
      if (sheet.isNullObject) sheet = context.workbook.worksheets.add(SUMMARY_SHEET);
      else {
        // The summary sheet is KAM's own: it is rebuilt each time.
        sheet.getRange().clear('All');
        sheet.charts.load('items');
        await context.sync();
        for (const chart of sheet.charts.items) chart.delete();
      }
      const title = sheet.getRange('A1');
      title.numberFormat = [['@']];
      title.values = [[summary.title]];
      title.format.font.bold = true;
      title.format.font.size = 14;
      for (const block of summary.blocks) {
        const at = placed.get(block.id) as PlacedBlock;
        const heading = sheet.getRangeByIndexes(at.row - 2, 0, 1, 1);
        heading.numberFormat = [['@']];
        heading.values = [[block.title]];
        heading.format.font.bold = true;
        const header = sheet.getRangeByIndexes(at.row - 1, 0, 1, at.width);
        header.numberFormat = [block.header.map(() => '@')];
        header.values = [block.header];
        header.format.font.bold = true;
      }
      await context.sync();
    });
    // Rows in chunks: the portfolio block can hold every account.
    let written = 0;
    for (const block of summary.blocks) {
      const at = placed.get(block.id) as PlacedBlock;
      const columns = block.header.map((_, c) => block.rows.map((r) => r[c] ?? ''));
      const formatBytes = Math.max(3, ...block.formats.map((f) => f.length + 3));
      for (const chunk of planChunks(block.rows.length, (r) => rowPayloadBytes(columns, r, formatBytes) + 4, this.budget)) {
        throwIfCancelled(options.signal);
        await this.run(async (context) => {
          const sheet = context.workbook.worksheets.getItem(SUMMARY_SHEET);
          context.application.suspendApiCalculationUntilNextSync();
          const range = sheet.getRangeByIndexes(at.row + chunk.start, 0, chunk.count, at.width);
          const rows = block.rows.slice(chunk.start, chunk.start + chunk.count).map((r) => block.header.map((_, c) => r[c] ?? ''));
          range.numberFormat = rows.map(() => block.header.map((_, c) => block.formats[c] ?? 'General'));
          range.values = rows;
          // One round trip per chunk of rows, never one per row.
          // eslint-disable-next-line office-addins/no-context-sync-in-loop
          await context.sync();
        });
        written += chunk.count;
        options.onProgress?.(written, total);
      }
    }
    const charts = await this.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem(SUMMARY_SHEET);
      const column = (row: number, col: number, rowCount: number): Excel.Range => sheet.getRangeByIndexes(row, col, rowCount, 1);
      let top = 2;
      const left = Math.max(...summary.blocks.map((b) => b.header.length), 1) + 1;
      // Each chart is made from its numbers, then its series are set explicitly: a chart made from a
      // range Excel reads as text can come with no series at all, and getItemAt(0) would then fail.
      const made: Array<{ chart: Excel.Chart; count: OfficeExtension.ClientResult<number>; fill: (first: Excel.ChartSeries) => void }> = [];
      for (const spec of summary.charts) {
        const at = placed.get(spec.block);
        const block = summary.blocks.find((b) => b.id === spec.block);
        if (!at || !block || at.rowCount === 0) continue;
        if (spec.kind === 'column') {
          const values = column(at.row, spec.valueColumn, at.rowCount);
          const categories = column(at.row, spec.categoryColumn, at.rowCount);
          const chart = sheet.charts.add('ColumnClustered', values, 'Columns');
          chart.title.text = spec.title;
          chart.legend.visible = false;
          chart.setPosition(sheet.getRangeByIndexes(top, left, 1, 1), sheet.getRangeByIndexes(top + 14, left + 6, 1, 1));
          made.push({
            chart,
            count: chart.series.getCount(),
            fill: (first) => {
              first.name = spec.title;
              first.setValues(values);
              first.setXAxisValues(categories);
            },
          });
        } else {
          const runs = scatterRuns(block.rows, spec.seriesColumn);
          const firstRun = runs[0] as (typeof runs)[number];
          const chart = sheet.charts.add('XYScatter', column(at.row + firstRun.start, spec.yColumn, firstRun.count), 'Columns');
          chart.title.text = spec.title;
          chart.axes.categoryAxis.title.text = spec.xTitle;
          chart.axes.valueAxis.title.text = spec.yTitle;
          for (const axis of [chart.axes.categoryAxis, chart.axes.valueAxis]) {
            axis.minimum = 0;
            axis.maximum = 100;
            // Gridlines every 50 points draw the quadrant boundaries of the default split.
            axis.majorUnit = 50;
          }
          chart.setPosition(sheet.getRangeByIndexes(top, left, 1, 1), sheet.getRangeByIndexes(top + 20, left + 8, 1, 1));
          made.push({
            chart,
            count: chart.series.getCount(),
            fill: (first) => {
              // One series per quadrant: the rows are sorted by quadrant, so each is one run of rows.
              runs.forEach((run, i) => {
                const series = i === 0 ? first : chart.series.add(run.name);
                series.name = run.name;
                series.setXAxisValues(column(at.row + run.start, spec.xColumn, run.count));
                series.setValues(column(at.row + run.start, spec.yColumn, run.count));
              });
            },
          });
        }
        top += 22;
      }
      await context.sync();
      for (const { chart, count, fill } of made) fill(count.value > 0 ? chart.series.getItemAt(0) : chart.series.add());
      await context.sync();
      return made.length;
    });
    return { sheet: SUMMARY_SHEET, charts, rows: total };
  }

  async activeDataRow(region: DataRegion): Promise<number | null> {
    return this.run(async (context) => {
      const cell = context.workbook.getActiveCell().load('rowIndex');
      const sheet = cell.worksheet.load('name');
      await context.sync();
      if (sheet.name !== region.sheet) return null;
      const row = cell.rowIndex - region.headerRow - 1;
      return row >= 0 && row < region.rowCount ? row : null;
    });
  }

  async selfCheck(): Promise<SelfCheckReport> {
    const diagnostics = typeof Office !== 'undefined' ? Office.context?.diagnostics : undefined;
    const results: SelfCheckResult[] = [];
    const checks = this.selfChecks();
    for (const id of SELF_CHECKS) {
      try {
        // Each step is its own request, so one refused call does not hide what the others would do.
        const seen = await this.excelRun((context) => checks[id](context));
        results.push({ id, ...seen });
      } catch (error) {
        const code = excelCode(error);
        results.push({ id, ok: false, detail: `${code ?? 'Error'}: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    return {
      host: diagnostics ? String(diagnostics.host) : 'Excel',
      platform: diagnostics ? String(diagnostics.platform) : 'unknown',
      version: diagnostics?.version ?? 'unknown',
      displayLanguage: this.displayLanguage,
      apiSets: {
        ExcelApi: highestSet(this.isSetSupported, 'ExcelApi', 20),
        CustomFunctionsRuntime: highestSet(this.isSetSupported, 'CustomFunctionsRuntime', 5),
      },
      results,
    };
  }

  private selfChecks(): Record<SelfCheckId, Check> {
    const scratch = (context: Excel.RequestContext): Excel.Worksheet => context.workbook.worksheets.getItem(SELF_CHECK_SHEET);
    const json = (v: unknown): string => JSON.stringify(v);
    return {
      scratchSheet: async (context) => {
        await removeScratch(context);
        const sheet = context.workbook.worksheets.add(SELF_CHECK_SHEET).load('name');
        await context.sync();
        return { ok: sheet.name === SELF_CHECK_SHEET, detail: sheet.name };
      },
      stagingCopy: async (context) => {
        // As Apply does: values into a hidden sheet, formatted as Text, then copied into place.
        const hidden = context.workbook.worksheets.add(SELF_CHECK_HIDDEN_SHEET);
        hidden.visibility = 'Hidden';
        const from = hidden.getRange('A1:A2');
        from.numberFormat = [['@'], ['@']];
        from.values = [['=x'], ['1e5']];
        const to = scratch(context).getRange('A1:A2');
        to.copyFrom(from, 'All');
        to.load('values,numberFormat');
        hidden.delete();
        await context.sync();
        return { ok: json(to.values) === json([['=x'], ['1e5']]) && json(to.numberFormat) === json([['@'], ['@']]), detail: `${json(to.values)} ${json(to.numberFormat)}` };
      },
      r1c1Fill: async (context) => {
        const sheet = scratch(context);
        sheet.getRange('B1:B3').values = [[1], [2], [3]];
        const first = sheet.getRange('C1');
        first.formulasR1C1 = [['=RC[-1]*2']];
        first.autoFill(sheet.getRange('C1:C3'), 'FillCopy');
        const filled = sheet.getRange('C1:C3').load('values,formulasR1C1');
        await context.sync();
        return { ok: json(filled.values) === json([[2], [4], [6]]) && filled.formulasR1C1.every((r) => r[0] === '=RC[-1]*2'), detail: json(filled.values) };
      },
      textCellFormula: async (context) => {
        // The rule Apply relies on: a formula entered into a Text cell stays text (so formula cells must not be Text).
        const cell = scratch(context).getRange('D1');
        cell.numberFormat = [['@']];
        cell.formulas = [['=1+1']];
        cell.load('values');
        await context.sync();
        return { ok: cell.values[0]?.[0] === '=1+1', detail: json(cell.values[0]?.[0]) };
      },
      liveFormula: async (context) => {
        const sheet = scratch(context);
        sheet.getRange('A5:G5').values = [[...SELF_CHECK_ACCOUNT]];
        const cell = sheet.getRange('H5');
        cell.numberFormat = [['General']];
        const formula = '=KAM.SCORE(RC1,RC2,RC3,RC4,RC5,RC6,RC7)';
        if (metadataLocale(this.displayLanguage) !== null) {
          const numberFormat = this.isSetSupported('ExcelApi', '1.11') ? context.application.cultureInfo.numberFormat.load('numberDecimalSeparator') : null;
          await context.sync();
          cell.formulasLocal = [[localizeFormula(r1c1ToA1(formula, 4, 7), this.displayLanguage, listSeparatorFor(numberFormat?.numberDecimalSeparator))]];
        } else cell.formulasR1C1 = [[formula]];
        await context.sync();
        // Custom functions compute asynchronously: the cell shows #BUSY! (or #GETTING_DATA) for a moment.
        let value: unknown = null;
        for (let attempt = 0; attempt < 10; attempt++) {
          const read = sheet.getRange('H5').load('values,formulasLocal');
          // A few reads while the function computes; bounded, not one per row.
          // eslint-disable-next-line office-addins/no-context-sync-in-loop
          await context.sync();
          value = read.values[0]?.[0];
          if (typeof value === 'number' || (typeof value === 'string' && !/^#(BUSY!|GETTING_DATA)/.test(value))) {
            return { ok: typeof value === 'number', detail: `${json(value)} ${json(read.formulasLocal[0]?.[0])}` };
          }
          await wait(500);
        }
        return { ok: false, detail: `still ${json(value)} after 5 s` };
      },
      conditionalFormat: async (context) => {
        const range = scratch(context).getRange('A1:A2');
        const cf = range.conditionalFormats.add('CellValue');
        cf.cellValue.format.fill.color = '#DDEBF7';
        cf.cellValue.format.font.color = '#1F4E78';
        cf.cellValue.rule = { formula1: formulaText('=x'), operator: 'EqualTo' };
        const count = range.conditionalFormats.getCount();
        await context.sync();
        return { ok: resultOf(count) === 1, detail: `${resultOf(count)}` };
      },
      tableColumns: async (context) => {
        const sheet = scratch(context);
        const range = sheet.getRange('A10:B12');
        range.values = [
          ['Customer', 'Sales'],
          ['A', 1],
          ['B', 2],
        ];
        const table = sheet.tables.add(range, true);
        table.columns.add(undefined, undefined, 'KAM Score');
        const resize = this.isSetSupported('ExcelApi', '1.13');
        if (resize) table.resize(sheet.getRange('A10:D12'));
        const count = table.columns.getCount();
        await context.sync();
        const expected = resize ? 4 : 3;
        return { ok: resultOf(count) === expected, detail: `${resultOf(count)} columns (columns.add${resize ? ' + resize' : ''})` };
      },
      autoFilter: async (context) => {
        const sheet = scratch(context);
        const range = sheet.getRange('F10:G13');
        range.values = [
          ['Tier', 'n'],
          ['Key', 1],
          ['Develop', 2],
          ['Key', 3],
        ];
        sheet.autoFilter.apply(range, 0, { filterOn: 'Values', values: ['Key'] });
        const filter = sheet.autoFilter.load('enabled,isDataFiltered');
        await context.sync();
        return { ok: filter.enabled && filter.isDataFiltered, detail: `enabled ${filter.enabled}, filtered ${filter.isDataFiltered}` };
      },
      names: async (context) => {
        const existing = context.workbook.names.getItemOrNullObject(SELF_CHECK_NAME);
        await context.sync();
        if (!existing.isNullObject) existing.delete();
        context.workbook.names.add(SELF_CHECK_NAME, scratch(context).getRange('A5:G5'));
        const target = context.workbook.names.getItem(SELF_CHECK_NAME).getRange().load('address');
        await context.sync();
        context.workbook.names.getItem(SELF_CHECK_NAME).delete();
        await context.sync();
        return { ok: /A5:G5$/.test(target.address.replace(/\$/g, '')), detail: target.address };
      },
      columnChart: async (context) => {
        const sheet = scratch(context);
        sheet.getRange('A20:B21').values = [
          ['Key', 2],
          ['Develop', 5],
        ];
        const chart = sheet.charts.add('ColumnClustered', sheet.getRange('B20:B21'), 'Columns');
        const before = chart.series.getCount();
        await context.sync();
        const series = resultOf(before) > 0 ? chart.series.getItemAt(0) : chart.series.add('n');
        series.setValues(sheet.getRange('B20:B21'));
        series.setXAxisValues(sheet.getRange('A20:A21'));
        const after = chart.series.getCount();
        await context.sync();
        return { ok: resultOf(after) === 1, detail: `${resultOf(before)} series from the numbers, ${resultOf(after)} after setting them` };
      },
      scatterChart: async (context) => {
        const sheet = scratch(context);
        sheet.getRange('D20:E23').values = [
          [10, 80],
          [20, 60],
          [70, 40],
          [90, 30],
        ];
        const chart = sheet.charts.add('XYScatter', sheet.getRange('E20:E21'), 'Columns');
        const before = chart.series.getCount();
        await context.sync();
        const first = resultOf(before) > 0 ? chart.series.getItemAt(0) : chart.series.add('A');
        first.setXAxisValues(sheet.getRange('D20:D21'));
        first.setValues(sheet.getRange('E20:E21'));
        const second = chart.series.add('B');
        second.setXAxisValues(sheet.getRange('D22:D23'));
        second.setValues(sheet.getRange('E22:E23'));
        const after = chart.series.getCount();
        await context.sync();
        return { ok: resultOf(after) === 2, detail: `${resultOf(after)} series` };
      },
      cleanUp: async (context) => {
        await removeScratch(context);
        const left = context.workbook.worksheets.getItemOrNullObject(SELF_CHECK_SHEET);
        await context.sync();
        return { ok: left.isNullObject, detail: left.isNullObject ? 'removed' : 'still there' };
      },
    };
  }
}

/** One step of the self-check: queues Excel calls, syncs, and returns what it saw; throws when the call failed. */
type Check = (context: Excel.RequestContext) => Promise<{ ok: boolean; detail: string }>;

/**
 * A ClientResult's value, once synced. (The office-addins lint rule takes `.value` on a local
 * variable for a property needing load(); a ClientResult has no load: its value comes with the sync.)
 */
const resultOf = <T>(result: OfficeExtension.ClientResult<T>): T => result.value;

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Removes what the self-check makes (a leftover from an interrupted run included). */
async function removeScratch(context: Excel.RequestContext): Promise<void> {
  const sheets = [SELF_CHECK_SHEET, SELF_CHECK_HIDDEN_SHEET].map((name) => context.workbook.worksheets.getItemOrNullObject(name));
  const name = context.workbook.names.getItemOrNullObject(SELF_CHECK_NAME);
  await context.sync();
  for (const sheet of sheets) if (!sheet.isNullObject) sheet.delete();
  if (!name.isNullObject) name.delete();
  await context.sync();
}

/** The highest minor version of a requirement set this host supports, e.g. "1.13"; null for none. */
export function highestSet(isSetSupported: (set: string, version: string) => boolean, set: string, upTo: number): string | null {
  let best: string | null = null;
  for (let minor = 1; minor <= upTo; minor++) if (isSetSupported(set, `1.${minor}`)) best = `1.${minor}`;
  return best;
}

/** What the final request needs to know to write the rules table without another round trip. */
interface RulesFacts {
  sheetExists: boolean;
  nameExists: boolean;
  /** A1 address (on the rules sheet) of the previous rules table, to clear. */
  oldAddress: string | null;
}

/** The old rules table's address on the rules sheet; null when the name points elsewhere or nowhere. */
function oldRulesAddress(old: Excel.Range | null): string | null {
  if (!old || old.isNullObject) return null;
  const bang = old.address.lastIndexOf('!');
  const sheet = old.address
    .slice(0, bang)
    .replace(/^'(.*)'$/, '$1')
    .replace(/''/g, "'");
  return sheet === RULES_SHEET ? old.address.slice(bang + 1) : null;
}

/** "C9" → "$C$9". */
function absolute(a1: string): string {
  return a1.replace(/^([A-Z]+)(\d+)$/, '$$$1$$$2');
}
