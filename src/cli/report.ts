/**
 * From a scored accounts table to the report kam writes: the same verdicts, relations, columns and
 * summary as the task pane's Apply, decided by the engine's report module. Here only what is
 * particular to files: rows that are blank (no KAM cells), rows rejected while reading (invalid
 * accounts), and where each column goes (where an earlier run put it, else after the data).
 */
import { accountFields, LABEL_PACKS, LANGUAGES, normalizeWord, type BatchResult, type CellValue, type ColumnMatching, type Lang, type OutcomeId, type RuleSet } from '../engine';
import {
  matchRelations,
  readStrength,
  reportColumns,
  RESULT_KEYS,
  STRENGTH_ALIASES,
  STRENGTH_FIELD,
  verdictsOf,
  type MatchedRelations,
  type ReportInput,
  type ResultKey,
  type RowVerdicts,
} from '../engine/report';
import type { CliPack } from './messages';
import type { PlacedColumn } from './csv-file';
import { engineCell, type FoundRelations } from './relations';
import type { AccountTable } from './table';

/** The fields read from the accounts: the account, the criteria, and a relationship strength as the pane reads it. */
export function inputFields(rules: RuleSet): Record<string, readonly string[]> {
  return { ...accountFields(rules), [STRENGTH_FIELD]: STRENGTH_ALIASES };
}

/** The KAM columns an earlier run left (same headers, any language), by key → column. */
export function earlierColumns(table: AccountTable): Map<ResultKey, number> {
  const normalized = table.headers.map((h) => normalizeWord(h));
  const found = new Map<ResultKey, number>();
  for (const key of RESULT_KEYS) {
    const known = new Set(LANGUAGES.map((l) => normalizeWord(LABEL_PACKS[l].column[key])));
    const at = normalized.findIndex((h) => known.has(h));
    if (at >= 0) found.set(key, at);
  }
  return found;
}

export interface ScoredTable {
  table: AccountTable;
  matching: ColumnMatching;
  /** Table rows the kernel scored, in the kernel's order. */
  scored: readonly number[];
  /** Table rows that could not be read at all, with why. */
  rejected: ReadonlyMap<number, string>;
  result: BatchResult;
}

export interface TableReport {
  report: ReportInput;
  relations: MatchedRelations;
  /** The table row of each report row: every row that is not blank. */
  reportRows: number[];
}

/** The report's input: every non-blank row, a row that cannot be read being an invalid account (as the pane shows it). */
export function tableReport(scoredTable: ScoredTable, found: FoundRelations, rules: RuleSet, lang: Lang): TableReport {
  const { table, matching, scored, rejected, result } = scoredTable;
  const reportRows = table.rows.map((_, i) => i).filter((i) => !table.rows[i]?.blank);
  const scoredAt = new Map(scored.map((rowIndex, k) => [rowIndex, k]));
  const kernel = verdictsOf(result, rules, lang);
  const verdicts: RowVerdicts = { outcomes: [], scores: [], flags: [] };
  for (const i of reportRows) {
    const k = scoredAt.get(i);
    verdicts.outcomes.push(k === undefined ? 'invalid' : (kernel.outcomes[k] as OutcomeId));
    verdicts.scores.push(k === undefined ? null : (kernel.scores[k] ?? null));
    verdicts.flags.push(k === undefined ? (rejected.get(i) ?? '') : (kernel.flags[k] ?? ''));
  }
  const cellOf = (i: number, field: string): CellValue => {
    const column = matching.matches[field]?.column;
    return column === undefined ? null : engineCell(table.rows[i]?.cells[column] ?? null);
  };
  const accountCells = reportRows.map((i) => cellOf(i, 'account'));
  const relations = matchRelations(accountCells, found.contacts?.table ?? null, found.needs?.table ?? null, rules);
  const report: ReportInput = {
    rules,
    lang,
    verdicts,
    // A row without a name is named by its row, as the pane names it.
    accounts: reportRows.map((i, k) => {
      const name = accountCells[k];
      return name === null || name === undefined || String(name).trim() === '' ? `#${table.rows[i]?.number ?? 0}` : String(name).trim();
    }),
    relations,
    strength: matching.matches[STRENGTH_FIELD] ? reportRows.map((i) => readStrength(cellOf(i, STRENGTH_FIELD))) : null,
  };
  return { report, relations, reportRows };
}

/**
 * The report's columns placed in the table: where an earlier run put them, else after the data,
 * one value per table row (null for blank rows). A column an earlier run wrote that this run does
 * not (no contacts table now) is emptied, not left stale.
 */
export function placeColumns(table: AccountTable, { report, reportRows }: TableReport, earlier: ReadonlyMap<ResultKey, number>): PlacedColumn[] {
  let next = table.width;
  const written = reportColumns(report);
  const placed: PlacedColumn[] = written.map((column) => {
    const values: CellValue[] = table.rows.map(() => null);
    reportRows.forEach((i, k) => (values[i] = column.values[k] ?? null));
    return { ...column, position: earlier.get(column.key) ?? next++, values };
  });
  for (const [key, position] of earlier) {
    if (!written.some((c) => c.key === key)) placed.push({ key, header: table.headers[position] ?? '', kind: 'text', position, values: table.rows.map(() => null) });
  }
  return placed;
}

/** The note that says in which currency amounts were scored, at which rates, for how many accounts. */
export function convertedNote(rules: RuleSet, convertedFrom: ReadonlyMap<string, number>, pack: CliPack): string {
  const into = rules.currency ?? '';
  const rates = [...convertedFrom]
    .sort(([a], [b]) => (a === into ? -1 : b === into ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([code, n]) => {
      const fx = rules.fx?.find((f) => f.code === code);
      return `${code}${fx ? ` × ${fx.rate}${fx.date ? ` (${fx.date})` : ''}` : ''}: ${n}`;
    });
  return pack.converted({ into, rates: pack.list(rates) });
}
