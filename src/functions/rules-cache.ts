import { defaultRules, isBlankCell, rulesFromTable, type CellValue, type RuleSet, type TableIssue, type TableRulesResult } from '../engine';
import { readCell } from './args';

/**
 * The [rules] argument, parsed once per content. Excel hands every call its own copy of the range,
 * so object identity says nothing: a sheet of 100,000 formulas sharing one rules range would
 * otherwise decode and validate it 100,000 times. An entry is recognised by content: the range's
 * size first (the cheap key), then cell by cell, so a changed weight is never missed. Comparing is
 * linear in the size of the range, which Excel marshals into every call anyway.
 */
export type RulesLookup = { ok: true; rules: RuleSet } | { ok: false; issues: TableIssue[] };

interface Entry {
  cells: CellValue[][];
  lookup: RulesLookup;
}

export interface RulesCacheStats {
  /** How many times a table was decoded and validated. */
  parses: number;
  hits: number;
  size: number;
}

type Table = ReadonlyArray<ReadonlyArray<unknown>>;

/**
 * Whether `table` holds the cells remembered: the size first (the cheap key), then cell by cell,
 * stopping at the first difference. Blanks are alike whatever their form, as the codec reads them;
 * an error object or a data type is compared by what it reads as.
 */
function sameCells(table: Table, cells: CellValue[][]): boolean {
  if (table.length !== cells.length) return false;
  for (let r = 0; r < cells.length; r++) {
    const row = table[r];
    const known = cells[r] as CellValue[];
    if (!Array.isArray(row) || row.length !== known.length) return false;
    for (let c = 0; c < known.length; c++) {
      const v: unknown = row[c];
      const k = known[c];
      if (v !== k && !(isBlankCell(v) && isBlankCell(k)) && readCell(v) !== k) return false;
    }
  }
  return true;
}

export class RulesCache {
  private readonly entries: Entry[] = [];
  /** The rule set used when no [rules] argument is given. */
  readonly defaultRules: RuleSet = defaultRules();
  private readonly defaults: RulesLookup = { ok: true, rules: this.defaultRules };
  private parses = 0;
  private hits = 0;

  /**
   * @param capacity how many distinct rule tables to remember (a workbook rarely has more than a few)
   * @param parse the table codec; replaceable so tests can count what it is asked
   */
  constructor(
    private readonly capacity = 8,
    private readonly parse: (cells: CellValue[][]) => TableRulesResult = rulesFromTable,
  ) {}

  /** The rule set for a [rules] argument: omitted (or one blank cell) means the default rules. */
  resolve(arg: unknown): RulesLookup {
    if (arg === null || arg === undefined) return this.defaults;
    const table: Table = Array.isArray(arg) ? (arg as Table) : [[arg]];
    if (table.length <= 1 && (table[0]?.length ?? 0) <= 1) {
      const only = table[0]?.[0];
      if (isBlankCell(only)) return this.defaults;
    }
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as Entry;
      if (!sameCells(table, entry.cells)) continue;
      this.hits++;
      if (i > 0) {
        // Most recently used first: the next call most likely passes the same range.
        entries.splice(i, 1);
        entries.unshift(entry);
      }
      return entry.lookup;
    }
    const cells = table.map((row) => (Array.isArray(row) ? row.map(readCell) : [readCell(row)]));
    this.parses++;
    const parsed = this.parse(cells);
    // Invalid tables are remembered too: 100,000 formulas pointing at a broken range report it
    // without decoding it 100,000 times.
    const lookup: RulesLookup = parsed.ok ? { ok: true, rules: parsed.rules } : { ok: false, issues: parsed.issues };
    entries.unshift({ cells, lookup });
    if (entries.length > this.capacity) entries.length = this.capacity;
    return lookup;
  }

  stats(): RulesCacheStats {
    return { parses: this.parses, hits: this.hits, size: this.entries.length };
  }
}
