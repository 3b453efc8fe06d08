/**
 * A fake of the part of the Office.js Excel object model the gateway uses, over the in-memory
 * workbook model (src/gateway/memoryWorkbook.ts). This tests against the Office.js *contract* as documented, not
 * against Excel itself.
 *
 * Why not office-addin-mock alone: it does not mock collections (worksheets, tables, names,
 * conditional formats, charts) nor methods that create objects from state (getRangeByIndexes,
 * getSurroundingRegion, getUsedRangeOrNullObject), and it returns an error string instead of
 * throwing when a property is read too early. This fake keeps the rules that matter:
 *  - writes and loads are queued and happen at `context.sync()`, in order;
 *  - a property is readable only after it was loaded *and* a sync happened (else it throws);
 *  - `isNullObject` is known after the next sync;
 *  - each sync is one round trip: its request (queued arguments) and response (loaded values)
 *    are measured in JSON bytes, and a batch over 5 MB fails with RequestPayloadSizeLimitExceeded,
 *    as Excel on the web does;
 *  - strings written through `values` follow Excel's typing rules, from this fake's own table
 *    (./excelTyping.ts, not production's): "=x" becomes a formula, "1e5" a number, except in Text cells;
 *  - a formula entered into a Text ("@") cell is stored as text, as Excel does;
 *  - in a display language that renames custom functions (zh-CN: KAM.SCORE is KAM.客户评分),
 *    `formulas`/`formulasR1C1` with the English name give #NAME?; `formulasLocal` takes the local name;
 *  - a chart made from a range Excel reads as text has no series; `getItemAt` past the end fails;
 *  - `table.columns.add` fails with OperationCellsExceedLimit when cells right of the table are used
 *    (Excel on the web's limit on the cells it can shift);
 *  - `Excel.run` syncs once more at the end when work is still queued.
 * office-addin-mock itself is used in office.test.ts where its model fits (a single cell).
 */
import type { Cell } from '../../src/gateway/types';
import type { MemorySheet } from '../../src/gateway/memoryWorkbook';
import { MemoryWorkbook, type Rect, type MemoryChart } from '../../src/gateway/memoryWorkbook';
import { parseRangeA1, r1c1ToA1, sheetRangeA1, rangeA1 } from '../../src/gateway/layout';
import { ZH_CN } from '../../src/functions/i18n/zh-cn';
import { typeIntoCell } from './excelTyping';

export interface FakeExcelOptions {
  /** Excel's display language; "zh-CN" loads the Chinese function metadata (the manifest's override). */
  displayLanguage?: string;
  /** The decimal separator of the user's locale (cultureInfo). */
  decimalSeparator?: string;
  /** Requirement sets this Excel supports, e.g. { ExcelApi: '1.13' }. */
  apiSets?: Record<string, string>;
}

/** The function names Excel shows in a display language, from the metadata it loads (functions-zh-cn.json's source). */
function displayNames(displayLanguage: string): Map<string, string> {
  if (displayLanguage.toLowerCase() !== 'zh-cn') return new Map();
  return new Map(Object.entries(ZH_CN).map(([id, t]) => [`KAM.${id}`, `KAM.${t.name}`]));
}

export const LIMIT_BYTES = 5 * 1024 * 1024;

export interface BatchRecord {
  requestBytes: number;
  responseBytes: number;
  operations: number;
  suspendCalculation: boolean;
  suspendScreen: boolean;
  /** Excel refused the batch (too large, or a simulated failure): nothing in it happened. */
  failed: boolean;
}

class ExcelError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v ?? null), 'utf8');

const WHOLE: Rect = { row: 0, col: 0, rowCount: 1048576, colCount: 16384 };

export class FakeExcel {
  syncs = 0;
  runs = 0;
  batches: BatchRecord[] = [];
  /** Fails the sync with this number (1-based), once: simulates a network or Excel error. */
  failAtSync: number | null = null;

  readonly displayLanguage: string;
  readonly decimalSeparator: string;
  readonly apiSets: Record<string, string>;

  constructor(
    readonly book: MemoryWorkbook,
    options: FakeExcelOptions = {},
  ) {
    this.displayLanguage = options.displayLanguage ?? 'en-US';
    this.decimalSeparator = options.decimalSeparator ?? '.';
    this.apiSets = options.apiSets ?? { ExcelApi: '1.9' };
    book.displayLanguage = this.displayLanguage;
    book.localFunctionNames = displayNames(this.displayLanguage);
    book.listSeparator = this.decimalSeparator === ',' ? ';' : ',';
  }

  /** Stands in for `Office.context.requirements.isSetSupported`. */
  isSetSupported = (set: string, version: string): boolean => {
    // Versions compare part by part: 1.13 is after 1.9.
    const parts = (v: string): number[] => v.split('.').map(Number);
    const [haveMajor = 0, haveMinor = 0] = parts(this.apiSets[set] ?? '0');
    const [wantMajor = 0, wantMinor = 0] = parts(version);
    return haveMajor > wantMajor || (haveMajor === wantMajor && haveMinor >= wantMinor);
  };

  /** Stands in for `Excel.run`. */
  run = async <T>(batch: (context: FakeContext) => Promise<T>): Promise<T> => {
    this.runs++;
    const context = new FakeContext(this);
    const result = await batch(context);
    if (context.pending()) await context.sync();
    return result;
  };

  /** The largest request Excel accepted. */
  get maxRequestBytes(): number {
    return Math.max(0, ...this.batches.filter((b) => !b.failed).map((b) => b.requestBytes));
  }

  /** The largest response Excel sent. */
  get maxResponseBytes(): number {
    return Math.max(0, ...this.batches.filter((b) => !b.failed).map((b) => b.responseBytes));
  }
}

type Op = () => void;

/** A value Excel returns at the next sync (OfficeExtension.ClientResult). */
function clientResult<T>(ctx: FakeContext, compute: () => T): { readonly value: T } {
  let known = false;
  let value: T;
  ctx.queue(() => {
    value = compute();
    known = true;
  });
  return {
    get value(): T {
      if (!known) throw new Error('ClientResult.value read before context.sync()');
      return value;
    },
  };
}

export class FakeContext {
  private ops: Op[] = [];
  private requestBytes = 0;
  private loads: Array<FakeObject> = [];
  private suspendCalculation = false;
  private suspendScreen = false;
  readonly workbook: FakeWorkbook;
  readonly application: {
    suspendApiCalculationUntilNextSync(): void;
    suspendScreenUpdatingUntilNextSync(): void;
    readonly cultureInfo: { numberFormat: FakeNumberFormat };
  };

  constructor(readonly excel: FakeExcel) {
    this.workbook = new FakeWorkbook(this);
    this.application = {
      suspendApiCalculationUntilNextSync: () => {
        this.suspendCalculation = true;
      },
      suspendScreenUpdatingUntilNextSync: () => {
        this.suspendScreen = true;
      },
      cultureInfo: { numberFormat: new FakeNumberFormat(this) },
    };
  }

  get book(): MemoryWorkbook {
    return this.excel.book;
  }

  queue(op: Op, args: unknown = null): void {
    this.ops.push(op);
    this.requestBytes += 40 + bytes(args);
  }

  wantLoad(obj: FakeObject): void {
    if (!this.loads.includes(obj)) this.loads.push(obj);
  }

  pending(): boolean {
    return this.ops.length > 0 || this.loads.length > 0;
  }

  async sync(): Promise<void> {
    const excel = this.excel;
    excel.syncs++;
    const ops = this.ops;
    const loads = this.loads;
    const record: BatchRecord = {
      requestBytes: this.requestBytes,
      responseBytes: 0,
      operations: ops.length,
      suspendCalculation: this.suspendCalculation,
      suspendScreen: this.suspendScreen,
      failed: false,
    };
    this.ops = [];
    this.loads = [];
    this.requestBytes = 0;
    this.suspendCalculation = false;
    this.suspendScreen = false;
    excel.batches.push(record);
    if (excel.failAtSync === excel.syncs) {
      excel.failAtSync = null;
      record.failed = true;
      throw new ExcelError('GeneralException', 'simulated failure');
    }
    if (record.requestBytes > LIMIT_BYTES) {
      record.failed = true;
      throw new ExcelError('RequestPayloadSizeLimitExceeded', `request of ${record.requestBytes} bytes`);
    }
    // Loads are measured before anything is applied: a response too large fails the whole batch.
    const sizes = loads.map((obj) => obj.responseSize());
    record.responseBytes = sizes.reduce((a, b) => a + b, 0);
    if (record.responseBytes > LIMIT_BYTES) {
      record.failed = true;
      throw new ExcelError('RequestPayloadSizeLimitExceeded', `response of ${record.responseBytes} bytes`);
    }
    for (const op of ops) op();
    for (const obj of loads) obj.resolveLoads();
    FakeObject.syncAll(this);
  }
}

/** A proxy: properties must be loaded and synced before they are read. */
abstract class FakeObject {
  private static live = new WeakMap<FakeContext, Set<FakeObject>>();
  protected readonly loaded = new Map<string, unknown>();
  private readonly wanted = new Set<string>();
  private nullKnown = false;
  private nullValue = false;

  constructor(protected readonly ctx: FakeContext) {
    let set = FakeObject.live.get(ctx);
    if (!set) FakeObject.live.set(ctx, (set = new Set()));
    set.add(this);
  }

  static syncAll(ctx: FakeContext): void {
    for (const obj of FakeObject.live.get(ctx) ?? []) obj.afterSync();
  }

  private afterSync(): void {
    this.nullValue = this.isNull();
    this.nullKnown = true;
  }

  /** Whether the object this proxy stands for is missing (for *OrNullObject). */
  protected isNull(): boolean {
    return false;
  }

  get isNullObject(): boolean {
    if (!this.nullKnown) throw new Error('isNullObject read before context.sync()');
    return this.nullValue;
  }

  load(props?: string | string[]): this {
    const list = props === undefined ? [] : Array.isArray(props) ? props : props.split(',');
    for (const p of list) this.wanted.add(p.trim());
    this.ctx.wantLoad(this);
    return this;
  }

  /** The response bytes of the pending loads, as the state is before this batch's writes (an estimate). */
  responseSize(): number {
    if (this.isNull()) return 0;
    let size = 0;
    for (const p of this.wanted) {
      try {
        size += bytes(this.fetch(p));
      } catch {
        // The object may only exist once this batch's writes are applied; its load is measured then.
      }
    }
    return size;
  }

  resolveLoads(): void {
    if (this.isNull()) return;
    for (const p of this.wanted) this.loaded.set(p, this.fetch(p));
    this.wanted.clear();
  }

  protected abstract fetch(prop: string): unknown;

  protected get<T>(prop: string): T {
    if (!this.loaded.has(prop)) throw new Error(`PropertyNotLoaded: ${prop} (load it and call context.sync() first)`);
    return this.loaded.get(prop) as T;
  }
}

class FakeNumberFormat extends FakeObject {
  protected fetch(prop: string): unknown {
    if (!this.ctx.excel.isSetSupported('ExcelApi', '1.11')) throw new ExcelError('ApiNotFound', 'cultureInfo needs ExcelApi 1.11');
    if (prop === 'numberDecimalSeparator') return this.ctx.excel.decimalSeparator;
    throw new Error(`unsupported load ${prop}`);
  }

  get numberDecimalSeparator(): string {
    return this.get('numberDecimalSeparator');
  }
}

// ---- Workbook ----

class FakeWorkbook {
  readonly worksheets: FakeWorksheets;
  readonly tables: FakeTables;
  readonly names: FakeNames;

  constructor(private readonly ctx: FakeContext) {
    this.worksheets = new FakeWorksheets(ctx);
    this.tables = new FakeTables(ctx, null);
    this.names = new FakeNames(ctx);
  }

  getSelectedRange(): FakeRange {
    const sel = this.ctx.book.selection;
    return new FakeRange(
      this.ctx,
      () => sel.sheet,
      () => ({ row: sel.row, col: sel.col, rowCount: 1, colCount: 1 }),
    );
  }

  getActiveCell(): FakeRange {
    return this.getSelectedRange();
  }
}

class FakeWorksheets extends FakeObject {
  items: FakeWorksheet[] = [];

  protected fetch(prop: string): unknown {
    if (prop.startsWith('items')) {
      this.items = this.ctx.book.sheets.map((s) => new FakeWorksheet(this.ctx, () => s.name, { name: s.name, visibility: s.hidden ? 'Hidden' : 'Visible' }));
      return this.items.map((i) => i.snapshot);
    }
    throw new Error(`unsupported load ${prop}`);
  }

  getItem(name: string): FakeWorksheet {
    return new FakeWorksheet(this.ctx, () => {
      if (!this.ctx.book.sheet(name)) throw new ExcelError('ItemNotFound', `no sheet ${name}`);
      return name;
    });
  }

  getItemOrNullObject(name: string): FakeWorksheet {
    return new FakeWorksheet(this.ctx, () => name, undefined, true);
  }

  getActiveWorksheet(): FakeWorksheet {
    return new FakeWorksheet(this.ctx, () => this.ctx.book.selection.sheet);
  }

  add(name: string): FakeWorksheet {
    this.ctx.queue(() => {
      if (this.ctx.book.sheet(name)) throw new ExcelError('ItemAlreadyExists', name);
      this.ctx.book.addSheet(name);
    }, name);
    return new FakeWorksheet(this.ctx, () => name);
  }
}

export class FakeWorksheet extends FakeObject {
  readonly autoFilter: FakeAutoFilter;
  readonly tables: FakeTables;
  readonly charts: FakeCharts;
  readonly names: FakeSheetNames;

  constructor(
    ctx: FakeContext,
    readonly nameOf: () => string,
    readonly snapshot?: { name: string; visibility: string },
    private readonly orNull = false,
  ) {
    super(ctx);
    this.autoFilter = new FakeAutoFilter(ctx, this);
    this.tables = new FakeTables(ctx, this);
    this.charts = new FakeCharts(ctx, this);
    this.names = new FakeSheetNames(ctx, this);
  }

  sheet(): MemorySheet {
    const name = this.nameOf();
    const s = this.ctx.book.sheet(name);
    if (!s) throw new ExcelError('ItemNotFound', `no sheet ${name}`);
    return s;
  }

  protected override isNull(): boolean {
    return this.orNull && !this.ctx.book.sheet(this.nameOf());
  }

  protected fetch(prop: string): unknown {
    if (prop === 'name') return this.sheet().name;
    if (prop === 'visibility') return this.sheet().hidden ? 'Hidden' : 'Visible';
    throw new Error(`unsupported load ${prop}`);
  }

  get name(): string {
    return this.snapshot ? this.snapshot.name : this.get<string>('name');
  }

  get visibility(): string {
    return this.snapshot ? this.snapshot.visibility : this.get<string>('visibility');
  }

  set visibility(v: string) {
    this.ctx.queue(() => {
      this.sheet().hidden = v !== 'Visible';
    }, v);
  }

  delete(): void {
    this.ctx.queue(() => this.ctx.book.deleteSheet(this.sheet().name));
  }

  getRange(address?: string): FakeRange {
    if (address === undefined)
      return new FakeRange(
        this.ctx,
        () => this.sheet().name,
        () => WHOLE,
      );
    const p = parseRangeA1(address);
    if (!p) throw new Error(`bad address ${address}`);
    return new FakeRange(
      this.ctx,
      () => this.sheet().name,
      () => ({ row: p.row, col: p.col, rowCount: p.rowCount, colCount: p.colCount }),
    );
  }

  getRangeByIndexes(row: number, col: number, rowCount: number, colCount: number): FakeRange {
    return new FakeRange(
      this.ctx,
      () => this.sheet().name,
      () => ({ row, col, rowCount, colCount }),
    );
  }

  getUsedRangeOrNullObject(_valuesOnly?: boolean): FakeRange {
    return new FakeRange(
      this.ctx,
      () => this.sheet().name,
      () => this.sheet().usedRect(),
      true,
    );
  }
}

class FakeAutoFilter extends FakeObject {
  constructor(
    ctx: FakeContext,
    private readonly ws: FakeWorksheet,
  ) {
    super(ctx);
  }

  protected fetch(prop: string): unknown {
    if (prop === 'enabled') return this.ws.sheet().autoFilter !== null;
    if (prop === 'isDataFiltered') return (this.ws.sheet().autoFilter?.values ?? null) !== null;
    throw new Error(`unsupported load ${prop}`);
  }

  get enabled(): boolean {
    return this.get<boolean>('enabled');
  }

  get isDataFiltered(): boolean {
    return this.get<boolean>('isDataFiltered');
  }

  apply(range: FakeRange, columnIndex?: number, criteria?: { filterOn: string; values?: string[] }): void {
    this.ctx.queue(() => {
      const rect = range.rect();
      const sheet = this.ws.sheet();
      const column = columnIndex === undefined ? null : rect.col + columnIndex;
      sheet.autoFilter = { rect, column, values: criteria?.values ? [...criteria.values] : null };
    }, criteria ?? null);
  }

  clearCriteria(): void {
    this.ctx.queue(() => {
      const sheet = this.ws.sheet();
      if (!sheet.autoFilter) throw new ExcelError('InvalidOperation', 'no AutoFilter');
      sheet.autoFilter = { ...sheet.autoFilter, column: null, values: null };
    });
  }
}

// ---- Ranges ----

export class FakeRange extends FakeObject {
  readonly format: { autofitColumns(): void; font: { bold?: boolean; size?: number } };
  readonly conditionalFormats: FakeConditionalFormats;

  constructor(
    ctx: FakeContext,
    readonly sheetName: () => string,
    private readonly rectOf: () => Rect | null,
    private readonly orNull = false,
  ) {
    super(ctx);
    this.format = { autofitColumns: () => this.ctx.queue(() => undefined), font: {} };
    this.conditionalFormats = new FakeConditionalFormats(ctx, this);
  }

  sheet(): MemorySheet {
    const s = this.ctx.book.sheet(this.sheetName());
    if (!s) throw new ExcelError('ItemNotFound', `no sheet ${this.sheetName()}`);
    return s;
  }

  rect(): Rect {
    const r = this.rectOf();
    if (!r) throw new ExcelError('ItemNotFound', 'null range');
    return r;
  }

  protected override isNull(): boolean {
    return this.orNull && this.rectOf() === null;
  }

  protected fetch(prop: string): unknown {
    const r = this.rect();
    switch (prop) {
      case 'values':
        return this.sheet().read(r);
      case 'numberFormat':
        return this.cells(r, (sheet, row, col) => sheet.format(row, col));
      case 'formulasR1C1':
        return this.cells(r, (sheet, row, col) => sheet.formula(row, col) ?? sheet.value(row, col));
      case 'formulasLocal':
        return this.cells(r, (sheet, row, col) => {
          const f = sheet.formula(row, col);
          if (f === undefined) return sheet.value(row, col);
          // A1 references, and the names the display language shows (an unresolved name stays as it was typed).
          let local = r1c1ToA1(f, row, col);
          if (!sheet.isUnresolved(row, col)) for (const [en, name] of this.ctx.book.localFunctionNames) local = local.split(`${en}(`).join(`${name}(`);
          return local;
        });
      case 'address':
        return sheetRangeA1(this.sheet().name, r.row, r.col, r.rowCount, r.colCount);
      case 'rowIndex':
        return r.row;
      case 'columnIndex':
        return r.col;
      case 'rowCount':
        return r.rowCount;
      case 'columnCount':
        return r.colCount;
      default:
        throw new Error(`unsupported load ${prop}`);
    }
  }

  get values(): Cell[][] {
    return this.get('values');
  }
  get formulasR1C1(): string[][] {
    return this.get('formulasR1C1');
  }
  get formulasLocal(): string[][] {
    return this.get('formulasLocal');
  }
  get numberFormat(): string[][] {
    return this.get('numberFormat');
  }

  private cells(r: Rect, of: (sheet: MemorySheet, row: number, col: number) => unknown): unknown[][] {
    const sheet = this.sheet();
    return Array.from({ length: r.rowCount }, (_, i) => Array.from({ length: r.colCount }, (_, j) => of(sheet, r.row + i, r.col + j)));
  }
  get address(): string {
    return this.get('address');
  }
  get rowIndex(): number {
    return this.get('rowIndex');
  }
  get columnIndex(): number {
    return this.get('columnIndex');
  }
  get rowCount(): number {
    return this.get('rowCount');
  }
  get columnCount(): number {
    return this.get('columnCount');
  }

  private checkShape(cells: unknown[][]): void {
    const r = this.rect();
    if (cells.length !== r.rowCount || cells.some((line) => line.length !== r.colCount)) {
      throw new ExcelError('InvalidArgument', `a ${cells.length}-row array does not fit ${rangeA1(r.row, r.col, r.rowCount, r.colCount)}`);
    }
  }

  set values(cells: Cell[][]) {
    this.ctx.queue(() => {
      this.checkShape(cells);
      const r = this.rect();
      const sheet = this.sheet();
      cells.forEach((line, i) =>
        line.forEach((v, j) => {
          const row = r.row + i;
          const col = r.col + j;
          if (typeof v !== 'string') return sheet.setRaw(row, col, v);
          const typed = typeIntoCell(v, sheet.format(row, col));
          if (typed.kind === 'formula') sheet.enterFormula(row, col, typed.formula, { local: false, reference: 'A1' });
          else sheet.setRaw(row, col, typed.kind === 'text' ? typed.text : typed.value);
        }),
      );
    }, cells);
  }

  set numberFormat(formats: string[][]) {
    this.ctx.queue(() => {
      this.checkShape(formats);
      const r = this.rect();
      const sheet = this.sheet();
      formats.forEach((line, i) => line.forEach((f, j) => sheet.setFormat(r.row + i, r.col + j, f)));
    }, formats);
  }

  set formulasR1C1(formulas: string[][]) {
    this.ctx.queue(() => {
      this.checkShape(formulas);
      const r = this.rect();
      const sheet = this.sheet();
      formulas.forEach((line, i) => line.forEach((f, j) => sheet.enterFormula(r.row + i, r.col + j, f, { local: false, reference: 'R1C1' })));
    }, formulas);
  }

  set formulas(formulas: string[][]) {
    this.enterFormulas(formulas, false);
  }

  set formulasLocal(formulas: string[][]) {
    this.enterFormulas(formulas, true);
  }

  private enterFormulas(formulas: string[][], local: boolean): void {
    this.ctx.queue(() => {
      this.checkShape(formulas);
      const r = this.rect();
      const sheet = this.sheet();
      formulas.forEach((line, i) =>
        line.forEach((f, j) => {
          if (f.startsWith('=')) sheet.enterFormula(r.row + i, r.col + j, f, { local, reference: 'A1' });
          else sheet.setRaw(r.row + i, r.col + j, f);
        }),
      );
    }, formulas);
  }

  get worksheet(): FakeWorksheet {
    return new FakeWorksheet(this.ctx, () => this.sheetName());
  }

  getRow(i: number): FakeRange {
    return new FakeRange(this.ctx, this.sheetName, () => {
      const r = this.rect();
      return { row: r.row + i, col: r.col, rowCount: 1, colCount: r.colCount };
    });
  }

  getCell(i: number, j: number): FakeRange {
    return new FakeRange(this.ctx, this.sheetName, () => {
      const r = this.rect();
      return { row: r.row + i, col: r.col + j, rowCount: 1, colCount: 1 };
    });
  }

  getSurroundingRegion(): FakeRange {
    return new FakeRange(this.ctx, this.sheetName, () => {
      const r = this.rect();
      return this.sheet().currentRegion(r.row, r.col);
    });
  }

  getUsedRangeOrNullObject(_valuesOnly?: boolean): FakeRange {
    return new FakeRange(this.ctx, this.sheetName, () => this.sheet().usedWithin(this.rect()), true);
  }

  getTables(_fullyContained?: boolean): FakeTableList {
    return new FakeTableList(this.ctx, () => {
      const r = this.rect();
      const sheet = this.sheetName();
      return this.ctx.book.tables
        .filter(
          (t) =>
            t.sheet === sheet && r.row < t.rect.row + t.rect.rowCount && t.rect.row < r.row + r.rowCount && r.col < t.rect.col + t.rect.colCount && t.rect.col < r.col + r.colCount,
        )
        .map((t) => t.name);
    });
  }

  clear(_what?: string): void {
    this.ctx.queue(() => {
      const r = this.rect();
      if (r === WHOLE) this.sheet().clearAll();
      else this.sheet().clear(r);
    });
  }

  copyFrom(source: FakeRange, copyType: string): void {
    this.ctx.queue(
      () => {
        if (copyType !== 'All') throw new Error('the fake copies All only');
        const from = source.rect();
        const to = this.rect();
        if (from.rowCount !== to.rowCount || from.colCount !== to.colCount) throw new ExcelError('InvalidArgument', 'copyFrom: shapes differ');
        const src = source.sheet();
        const dst = this.sheet();
        for (let i = 0; i < to.rowCount; i++) {
          for (let j = 0; j < to.colCount; j++) {
            dst.setFormat(to.row + i, to.col + j, src.format(from.row + i, from.col + j));
            const f = src.formula(from.row + i, from.col + j);
            if (f !== undefined) dst.setFormula(to.row + i, to.col + j, f, !src.isUnresolved(from.row + i, from.col + j));
            else dst.setRaw(to.row + i, to.col + j, src.value(from.row + i, from.col + j));
          }
        }
      },
      { copyType },
    );
  }

  /** FillCopy from a one-row range down the destination: R1C1 formulas and formats copied as they are. */
  autoFill(destination: FakeRange, type: string): void {
    this.ctx.queue(
      () => {
        if (type !== 'FillCopy') throw new Error('the fake fills FillCopy only');
        const from = this.rect();
        const to = destination.rect();
        const sheet = this.sheet();
        for (let c = 0; c < from.colCount; c++) {
          const f = sheet.formula(from.row, from.col + c);
          const fmt = sheet.format(from.row, from.col + c);
          for (let r = to.row; r < to.row + to.rowCount; r++) {
            sheet.setFormat(r, from.col + c, fmt);
            if (f !== undefined) sheet.setFormula(r, from.col + c, f, !sheet.isUnresolved(from.row, from.col + c));
            else sheet.setRaw(r, from.col + c, sheet.value(from.row, from.col + c));
          }
        }
      },
      { type },
    );
  }
}

class FakeConditionalFormats {
  constructor(
    private readonly ctx: FakeContext,
    private readonly range: FakeRange,
  ) {}

  getCount(): { readonly value: number } {
    return clientResult(this.ctx, () => {
      const rect = this.range.rect();
      return this.range
        .sheet()
        .conditionalFormats.filter(
          (cf) =>
            cf.rect.row < rect.row + rect.rowCount &&
            rect.row < cf.rect.row + cf.rect.rowCount &&
            cf.rect.col < rect.col + rect.colCount &&
            rect.col < cf.rect.col + cf.rect.colCount,
        ).length;
    });
  }

  clearAll(): void {
    this.ctx.queue(() => {
      const rect = this.range.rect();
      const sheet = this.range.sheet();
      sheet.conditionalFormats = sheet.conditionalFormats.filter(
        (cf) =>
          !(
            cf.rect.row < rect.row + rect.rowCount &&
            rect.row < cf.rect.row + cf.rect.rowCount &&
            cf.rect.col < rect.col + rect.colCount &&
            rect.col < cf.rect.col + cf.rect.colCount
          ),
      );
    });
  }

  add(type: string): { cellValue: { format: { fill: { color?: string }; font: { color?: string } }; rule?: { formula1: string; operator: string } } } {
    if (type !== 'CellValue') throw new Error('the fake adds CellValue formats only');
    const cf = { cellValue: { format: { fill: {} as { color?: string }, font: {} as { color?: string } }, rule: undefined as { formula1: string; operator: string } | undefined } };
    this.ctx.queue(() => {
      // Runs at sync, after the properties below were set on `cf`.
      const rule = cf.cellValue.rule;
      const m = rule ? /^="((?:[^"]|"")*)"$/.exec(rule.formula1) : null;
      if (!rule || rule.operator !== 'EqualTo' || !m) throw new ExcelError('InvalidArgument', 'bad conditional format rule');
      this.range.sheet().conditionalFormats.push({
        rect: this.range.rect(),
        rules: [{ text: (m[1] as string).replace(/""/g, '"'), fill: cf.cellValue.format.fill.color ?? '', font: cf.cellValue.format.font.color ?? '' }],
      });
    }, type);
    return cf;
  }
}

// ---- Tables ----

class FakeTableList extends FakeObject {
  items: Array<{ name: string }> = [];

  constructor(
    ctx: FakeContext,
    private readonly namesOf: () => string[],
  ) {
    super(ctx);
  }

  protected fetch(prop: string): unknown {
    if (prop === 'items/name') {
      this.items = this.namesOf().map((name) => ({ name }));
      return this.items;
    }
    throw new Error(`unsupported load ${prop}`);
  }
}

class FakeTables extends FakeObject {
  items: FakeTable[] = [];

  constructor(
    ctx: FakeContext,
    private readonly ws: FakeWorksheet | null,
  ) {
    super(ctx);
  }

  protected fetch(prop: string): unknown {
    if (prop === 'items/name') {
      this.items = this.ctx.book.tables.map((t) => new FakeTable(this.ctx, t.name, t.name));
      return this.items.map((t) => t.snapshotName);
    }
    throw new Error(`unsupported load ${prop}`);
  }

  getItem(name: string): FakeTable {
    return new FakeTable(this.ctx, name);
  }

  getItemOrNullObject(name: string): FakeTable {
    return new FakeTable(this.ctx, name, undefined, true);
  }

  add(range: FakeRange, _hasHeaders: boolean): FakeTable {
    let name = '';
    this.ctx.queue(() => {
      const rect = range.rect();
      const sheet = range.sheet().name;
      const clash = this.ctx.book.tables.find(
        (t) =>
          t.sheet === sheet &&
          rect.row < t.rect.row + t.rect.rowCount &&
          t.rect.row < rect.row + rect.rowCount &&
          rect.col < t.rect.col + t.rect.colCount &&
          t.rect.col < rect.col + rect.colCount,
      );
      if (clash) throw new ExcelError('InvalidOperation', 'tables overlap');
      let n = 1;
      while (this.ctx.book.table(`Table${n}`)) n++;
      name = `Table${n}`;
      this.ctx.book.addTable(name, sheet, rect);
      if (range.sheet().autoFilter) range.sheet().autoFilter = null;
    });
    void this.ws;
    return new FakeTable(this.ctx, () => name);
  }
}

class FakeTable extends FakeObject {
  readonly columns: {
    add(index?: number, values?: unknown, name?: string): void;
    getItemAt(i: number): { filter: { applyValuesFilter(values: string[]): void } };
    getCount(): { readonly value: number };
  };

  constructor(
    ctx: FakeContext,
    private readonly nameOf: string | (() => string),
    readonly snapshotName?: string,
    private readonly orNull = false,
  ) {
    super(ctx);
    this.columns = {
      add: (_index, _values, name) => {
        this.ctx.queue(() => {
          const t = this.table();
          const col = t.rect.col + t.rect.colCount;
          const sheet = this.ctx.book.sheet(t.sheet) as MemorySheet;
          if (sheet.usedWithin({ row: t.rect.row, col, rowCount: t.rect.rowCount, colCount: 1 }))
            throw new ExcelError('InvalidOperation', 'the column beside the table is not empty');
          // Adding a column shifts every cell right of the table; Excel on the web refuses when that is too many.
          if (sheet.usedWithin({ row: t.rect.row, col: col + 1, rowCount: t.rect.rowCount, colCount: 16384 - col - 1 })) {
            throw new ExcelError('OperationCellsExceedLimit', 'the cells right of the table cannot be shifted');
          }
          t.rect = { ...t.rect, colCount: t.rect.colCount + 1 };
          if (t.filter) t.filter.rect = t.rect;
          sheet.setRaw(t.rect.row, col, name ?? `Column${t.rect.colCount}`);
        }, name ?? null);
      },
      getCount: () => clientResult(this.ctx, () => this.table().rect.colCount),
      getItemAt: (i) => ({
        filter: {
          applyValuesFilter: (values: string[]) =>
            this.ctx.queue(() => {
              const t = this.table();
              t.filter = { rect: t.rect, column: t.rect.col + i, values: [...values] };
            }, values),
        },
      }),
    };
  }

  private tableName(): string {
    return typeof this.nameOf === 'string' ? this.nameOf : this.nameOf();
  }

  table(): NonNullable<ReturnType<MemoryWorkbook['table']>> {
    const t = this.ctx.book.table(this.tableName());
    if (!t) throw new ExcelError('ItemNotFound', `no table ${this.tableName()}`);
    return t;
  }

  protected override isNull(): boolean {
    return this.orNull && !this.ctx.book.table(this.tableName());
  }

  protected fetch(prop: string): unknown {
    if (prop === 'name') return this.table().name;
    throw new Error(`unsupported load ${prop}`);
  }

  get name(): string {
    return this.snapshotName ?? this.get<string>('name');
  }

  get worksheet(): FakeWorksheet {
    return new FakeWorksheet(this.ctx, () => this.table().sheet);
  }

  getHeaderRowRange(): FakeRange {
    return new FakeRange(
      this.ctx,
      () => this.table().sheet,
      () => ({ ...this.table().rect, rowCount: 1 }),
    );
  }

  getDataBodyRange(): FakeRange {
    return new FakeRange(
      this.ctx,
      () => this.table().sheet,
      () => {
        const r = this.table().rect;
        return { row: r.row + 1, col: r.col, rowCount: r.rowCount - 1, colCount: r.colCount };
      },
    );
  }

  resize(range: FakeRange): void {
    this.ctx.queue(() => {
      if (!this.ctx.excel.isSetSupported('ExcelApi', '1.13')) throw new ExcelError('ApiNotFound', 'Table.resize needs ExcelApi 1.13');
      const t = this.table();
      const rect = range.rect();
      if (rect.row !== t.rect.row || rect.col !== t.rect.col) throw new ExcelError('InvalidArgument', 'a table keeps its top-left cell when resized');
      const sheet = this.ctx.book.sheet(t.sheet) as MemorySheet;
      t.rect = rect;
      if (t.filter) t.filter.rect = t.rect;
      // New header cells get default names until written.
      for (let c = rect.col; c < rect.col + rect.colCount; c++) if (sheet.value(rect.row, c) === '') sheet.setRaw(rect.row, c, `Column${c - rect.col + 1}`);
    }, null);
  }

  clearFilters(): void {
    this.ctx.queue(() => {
      const t = this.table();
      t.filter = { rect: t.rect, column: null, values: null };
    });
  }
}

// ---- Names ----

class FakeNames {
  constructor(private readonly ctx: FakeContext) {}

  getItemOrNullObject(name: string): FakeNamedItem {
    return new FakeNamedItem(this.ctx, name);
  }

  getItem(name: string): FakeNamedItem {
    return new FakeNamedItem(this.ctx, name, true);
  }

  add(name: string, reference: FakeRange, _comment?: string): void {
    this.ctx.queue(() => {
      // A name made from a range refers to it absolutely, as Excel does.
      const r = reference.rect();
      const address = sheetRangeA1(reference.sheet().name, r.row, r.col, r.rowCount, r.colCount);
      const bang = address.lastIndexOf('!');
      const cells = address.slice(bang + 1).replace(/([A-Z]+)(\d+)/g, '$$$1$$$2');
      this.ctx.book.names.set(name, `=${address.slice(0, bang + 1)}${cells}`);
    }, name);
  }
}

class FakeNamedItem extends FakeObject {
  constructor(
    ctx: FakeContext,
    private readonly name: string,
    private readonly mustExist = false,
  ) {
    super(ctx);
  }

  protected override isNull(): boolean {
    return !this.ctx.book.names.has(this.name);
  }

  protected fetch(prop: string): unknown {
    if (prop === 'formula') return this.ctx.book.names.get(this.name);
    throw new Error(`unsupported load ${prop}`);
  }

  set formula(reference: string) {
    this.ctx.queue(() => {
      if (this.mustExist && !this.ctx.book.names.has(this.name)) throw new ExcelError('ItemNotFound', `no name ${this.name}`);
      this.ctx.book.names.set(this.name, reference);
    }, reference);
  }

  getRange(): FakeRange {
    const hit = (): { sheet: MemorySheet; rect: Rect } => {
      const found = this.ctx.book.nameRect(this.name);
      if (!found) throw new ExcelError('ItemNotFound', `no range for ${this.name}`);
      return found;
    };
    return new FakeRange(
      this.ctx,
      () => hit().sheet.name,
      () => hit().rect,
    );
  }

  delete(): void {
    this.ctx.queue(() => {
      if (!this.ctx.book.names.delete(this.name)) throw new ExcelError('ItemNotFound', `no name ${this.name}`);
    });
  }

  getRangeOrNullObject(): FakeRange {
    const target = (): { sheet: string; rect: Rect } | null => {
      const hit = this.ctx.book.nameRect(this.name);
      return hit ? { sheet: hit.sheet.name, rect: hit.rect } : null;
    };
    return new FakeRange(
      this.ctx,
      () => target()?.sheet ?? '',
      () => target()?.rect ?? null,
      true,
    );
  }
}

/**
 * A worksheet's names (ExcelApi 1.4): names scoped to the sheet, as `kam` and the pane mark their
 * result columns with. Adding a name that exists fails, as in Excel; names compare without case.
 */
class FakeSheetNames extends FakeObject {
  items: Array<{ name: string; formula: string; visible: boolean }> = [];

  constructor(
    ctx: FakeContext,
    private readonly ws: FakeWorksheet,
  ) {
    super(ctx);
  }

  protected fetch(prop: string): unknown {
    if (prop === 'items/name' || prop === 'items/formula' || prop === 'items/visible') {
      this.items = [...this.ws.sheet().names].map(([name, n]) => ({ name, formula: n.formula, visible: n.visible }));
      return this.items.map((i) => i[prop.slice('items/'.length) as 'name']);
    }
    throw new Error(`unsupported load ${prop}`);
  }

  private find(name: string): string | undefined {
    return [...this.ws.sheet().names.keys()].find((n) => n.toUpperCase() === name.toUpperCase());
  }

  add(name: string, reference: FakeRange | string, _comment?: string): { visible: boolean } {
    let visible = true;
    this.ctx.queue(() => {
      if (this.find(name) !== undefined) throw new ExcelError('ItemAlreadyExists', `name ${name}`);
      let formula: string;
      if (typeof reference === 'string') formula = reference.startsWith('=') ? reference : `=${reference}`;
      else {
        // A name made from a range refers to it absolutely, as Excel does.
        const r = reference.rect();
        const address = sheetRangeA1(reference.sheet().name, r.row, r.col, r.rowCount, r.colCount);
        const bang = address.lastIndexOf('!');
        formula = `=${address.slice(0, bang + 1)}${address.slice(bang + 1).replace(/([A-Z]+)(\d+)/g, '$$$1$$$2')}`;
      }
      this.ws.sheet().setName(name, formula, visible);
    }, name);
    const ctx = this.ctx;
    const ws = this.ws;
    return {
      get visible(): boolean {
        return visible;
      },
      set visible(v: boolean) {
        visible = v;
        ctx.queue(() => {
          const entry = [...ws.sheet().names].find(([n]) => n.toUpperCase() === name.toUpperCase());
          if (!entry) throw new ExcelError('ItemNotFound', `no name ${name}`);
          entry[1].visible = v;
        }, v);
      },
    };
  }

  getItem(name: string): { formula: string } {
    const ctx = this.ctx;
    const ws = this.ws;
    const find = (): string => {
      const found = this.find(name);
      if (found === undefined) throw new ExcelError('ItemNotFound', `no name ${name}`);
      return found;
    };
    return {
      get formula(): string {
        throw new Error('PropertyNotLoaded: formula (this fake only sets it)');
      },
      set formula(reference: string) {
        ctx.queue(() => {
          const entry = ws.sheet().names.get(find()) as { formula: string; visible: boolean };
          entry.formula = reference;
        }, reference);
      },
    };
  }
}

// ---- Charts ----

interface FakeSeries {
  name: string;
  setValues(range: FakeRange): void;
  setXAxisValues(range: FakeRange): void;
}

class FakeCharts extends FakeObject {
  items: Array<{ delete(): void }> = [];

  constructor(
    ctx: FakeContext,
    private readonly ws: FakeWorksheet,
  ) {
    super(ctx);
  }

  protected fetch(prop: string): unknown {
    if (prop === 'items') {
      const sheet = this.ws.sheet();
      this.items = sheet.charts.map((chart) => ({
        delete: () => this.ctx.queue(() => (sheet.charts = sheet.charts.filter((c) => c !== chart))),
      }));
      return sheet.charts.map((c) => c.title);
    }
    throw new Error(`unsupported load ${prop}`);
  }

  add(type: string, source: FakeRange, _seriesBy: string): unknown {
    const chart: MemoryChart = { kind: type === 'XYScatter' ? 'scatter' : 'column', title: '', series: [] };
    const axis = (which: 'x' | 'y'): { title: { text: string }; minimum?: number; maximum?: number; majorUnit?: number } => {
      const a = { title: { text: '' } };
      Object.defineProperty(a.title, 'text', { set: (t: string) => (which === 'x' ? (chart.xTitle = t) : (chart.yTitle = t)) });
      return a;
    };
    const ctx = this.ctx;
    const at = (index: number): MemoryChart['series'][number] => chart.series[index] as MemoryChart['series'][number];
    const series = (index: number): FakeSeries => ({
      set name(n: string) {
        ctx.queue(() => (at(index).name = n), n);
      },
      get name(): string {
        return chart.series[index]?.name ?? '';
      },
      setValues: (range: FakeRange) => ctx.queue(() => (at(index).y = range.rect())),
      setXAxisValues: (range: FakeRange) => ctx.queue(() => (at(index).x = range.rect())),
    });
    const exists = (index: number): FakeSeries => {
      ctx.queue(() => {
        if (!chart.series[index]) throw new ExcelError('ItemNotFound', `the chart has no series ${index}`);
      });
      return series(index);
    };
    this.ctx.queue(() => {
      const r = source.rect();
      // Excel makes series from the numbers of the source; a range of text only gives none.
      const cells = source.sheet().read(r).flat();
      if (cells.some((v) => typeof v === 'number')) chart.series.push({ name: '', x: r, y: r });
      this.ws.sheet().charts.push(chart);
    }, type);
    return {
      title: {
        set text(t: string) {
          chart.title = t;
        },
      },
      legend: { visible: true },
      axes: { categoryAxis: axis('x'), valueAxis: axis('y') },
      series: {
        getItemAt: (i: number) => exists(i),
        getCount: () => {
          const result = { value: -1 };
          this.ctx.queue(() => (result.value = chart.series.length));
          return {
            get value(): number {
              if (result.value < 0) throw new Error('ClientResult.value read before context.sync()');
              return result.value;
            },
          };
        },
        add: (name?: string) => {
          // The index is known only when the queue runs: earlier adds and the chart's own series come first.
          let index = -1;
          this.ctx.queue(() => {
            index = chart.series.length;
            chart.series.push({ name: name ?? '', x: source.rect(), y: source.rect() });
          });
          const late = (): MemoryChart['series'][number] => chart.series[index] as MemoryChart['series'][number];
          return {
            set name(n: string) {
              ctx.queue(() => (late().name = n), n);
            },
            setValues: (range: FakeRange) => ctx.queue(() => (late().y = range.rect())),
            setXAxisValues: (range: FakeRange) => ctx.queue(() => (late().x = range.rect())),
          };
        },
      },
      setPosition: () => this.ctx.queue(() => undefined),
    };
  }
}

export { MemoryWorkbook };
