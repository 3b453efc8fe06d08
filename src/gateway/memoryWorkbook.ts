/**
 * The in-memory workbook model: cells with Excel's typing rules (a General cell turns "=x" into a
 * formula and "1e5" into a number; a Text cell keeps them, formulas included), number formats,
 * tables, names, conditional formats, an AutoFilter, charts, hidden sheets, the selection and the
 * display language (which decides the names custom functions answer to). The gateway over it is
 * ./memory.ts; the Office.js fake of the tests drives this same model.
 */
import { excelInputKind, isEmptyCell, parseRangeA1 } from './layout';
import type { Cell, TierColour } from './types';

export interface Rect {
  row: number;
  col: number;
  rowCount: number;
  colCount: number;
}

const KEY_WIDTH = 16384; // Excel's column count: row * KEY_WIDTH + col is unique per cell

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
  /** Formulas whose functions Excel could not resolve in the display language: they show #NAME?. */
  private readonly unresolved = new Set<number>();
  conditionalFormats: ConditionalFormat[] = [];
  autoFilter: AutoFilterState | null = null;
  charts: MemoryChart[] = [];
  /** Names scoped to this sheet (as Excel's worksheet.names): name → its formula and whether Excel lists it. */
  readonly names = new Map<string, { formula: string; visible: boolean }>();

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
    this.unresolved.delete(key);
    if (isEmptyCell(value)) this.values.delete(key);
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
        // A formula written through `values` is entered as through `formulas`.
        this.enterFormula(row, col, text, { local: false, reference: 'A1' });
        return;
      case 'number': {
        const t = text.trim().replace(/[$¥€£,\s]/g, (ch) => (ch === ' ' ? ' ' : ''));
        const fraction = /^(\d+) (\d+)\/(\d+)$/.exec(t);
        const negative = /^\((.*)\)$/.exec(t);
        const value = fraction
          ? Number(fraction[1]) + Number(fraction[2]) / Number(fraction[3])
          : negative
            ? -Number(negative[1])
            : t.endsWith('%')
              ? Number(t.slice(0, -1)) / 100
              : Number(t);
        this.setRaw(row, col, value);
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

  /** Stores a formula (R1C1, English names) and its value. */
  setFormula(row: number, col: number, formula: string, resolved = !this.unresolved.has(row * KEY_WIDTH + col)): void {
    const key = row * KEY_WIDTH + col;
    this.formulas.set(key, formula);
    if (resolved) this.unresolved.delete(key);
    else this.unresolved.add(key);
    this.values.set(key, resolved ? this.book.evaluate(this, row, col, formula) : '#NAME?');
  }

  /** Whether the formula of this cell names a function Excel did not know in its display language. */
  isUnresolved(row: number, col: number): boolean {
    return this.unresolved.has(row * KEY_WIDTH + col);
  }

  /**
   * A formula entered as Office.js `formulas`/`formulasR1C1` (local: false) or `formulasLocal`
   * (local: true) enters it, with Excel's rules: into a Text cell it is stored as text; a custom
   * function is found only by the name the display language shows (an English name of a
   * translated function gives #NAME?, and so does a translated name through the non-local API).
   */
  enterFormula(row: number, col: number, formula: string, options: { local: boolean; reference: 'A1' | 'R1C1' }): void {
    if (this.format(row, col) === '@') {
      this.setRaw(row, col, formula);
      return;
    }
    const local = this.book.localFunctionNames;
    const english = new Map([...local].map(([en, name]) => [name.toUpperCase(), en]));
    let resolved = true;
    const canonical = formula
      .split(/("(?:[^"]|"")*")/)
      .map((part, i) => {
        if (i % 2 === 1) return part;
        const named = part.replace(/(?<![\p{L}\p{N}_.])([A-Za-z_][\w]*\.[\p{L}\p{N}_.]+)(?=\()/gu, (name: string) => {
          const upper = name.toUpperCase();
          if (local.has(upper)) resolved = false;
          if (english.has(upper)) {
            if (!options.local) resolved = false;
            return english.get(upper) as string;
          }
          return name;
        });
        return options.local && this.book.listSeparator !== ',' ? named.split(this.book.listSeparator).join(',') : named;
      })
      .join('');
    this.setFormula(row, col, options.reference === 'A1' ? a1ToR1C1(canonical, row, col) : canonical, resolved);
  }

  clear(rect: Rect): void {
    for (let r = rect.row; r < rect.row + rect.rowCount; r++) {
      for (let c = rect.col; c < rect.col + rect.colCount; c++) {
        const key = r * KEY_WIDTH + c;
        this.unresolved.delete(key);
        this.values.delete(key);
        this.formulas.delete(key);
        this.formats.delete(key);
      }
    }
    this.conditionalFormats = this.conditionalFormats.filter((cf) => !overlaps(cf.rect, rect));
  }

  clearAll(): void {
    this.unresolved.clear();
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
        if (isEmptyCell(this.value(r, c))) continue;
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
      for (let c = Math.max(from, 0); c <= to; c++) if (!isEmptyCell(this.value(r, c))) return true;
      return false;
    };
    const colHas = (c: number, from: number, to: number): boolean => {
      if (c < 0) return false;
      for (let r = Math.max(from, 0); r <= to; r++) if (!isEmptyCell(this.value(r, c))) return true;
      return false;
    };
    for (let changed = true; changed;) {
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

  /** Sets a sheet-scoped name; names compare without case, as in Excel. */
  setName(name: string, formula: string, visible: boolean): void {
    const existing = [...this.names.keys()].find((n) => n.toUpperCase() === name.toUpperCase());
    if (existing !== undefined) this.names.delete(existing);
    this.names.set(existing ?? name, { formula, visible });
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

/** `=F($B5)` in row 5 → `=F(RC2)`: the model stores formulas in R1C1. */
export function a1ToR1C1(formula: string, row: number, col: number): string {
  return formula.replace(/(?<![A-Za-z0-9_.$"])(\$?)([A-Z]{1,3})(\$?)(\d{1,7})(?![A-Za-z0-9_(])/g, (_, colAbs: string, letters: string, rowAbs: string, digits: string) => {
    let c = 0;
    for (const ch of letters) c = c * 26 + (ch.charCodeAt(0) - 64);
    c -= 1;
    const r = Number(digits) - 1;
    const rPart = rowAbs ? `R${r + 1}` : r === row ? 'R' : `R[${r - row}]`;
    const cPart = colAbs ? `C${c + 1}` : c === col ? 'C' : `C[${c - col}]`;
    return rPart + cPart;
  });
}

export function overlaps(a: Rect, b: Rect): boolean {
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
  /** Custom document properties (the run record). */
  readonly customProperties = new Map<string, string>();
  selection: { sheet: string; row: number; col: number } = { sheet: '', row: 0, col: 0 };
  evaluator: FormulaEvaluator | null = null;
  /**
   * Custom functions renamed by the display language: English name (upper case) → the name Excel
   * shows, e.g. KAM.SCORE → KAM.客户评分 in Chinese. Empty in English.
   */
  localFunctionNames: ReadonlyMap<string, string> = new Map();
  /** Excel's display language, e.g. "en-US" or "zh-CN". */
  displayLanguage = 'en-US';
  /** What separates arguments in `formulasLocal`. */
  listSeparator = ',';
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
