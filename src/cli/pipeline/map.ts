/**
 * The mapping step: which column holds which field. `--map` is parsed here for every command that
 * takes it (score, rollup), and a sheet's headers are matched to the rule set's criteria here for
 * every command that reads accounts (score, check, merge).
 */
import { deriveValue, matchColumns, matchPeriodColumns, type CellValue, type ColumnMatching, type DerivedColumn, type RuleSet } from '../../engine';
import { InputError } from '../files';
import type { CliPack } from '../messages';
import { inputFields } from '../report';
import type { InputCell } from '../table';

/**
 * `--map field=Header` pairs → { field: header }, each field one of `fields` (its case aside): one
 * parser, so that `kam score` and `kam rollup` read the option alike.
 */
export function parseMapPairs(
  pairs: readonly string[],
  fields: readonly string[],
  say: { pack: CliPack; command: string; unknownField: (p: { field: string; known: string }) => string },
): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const field = pair.slice(0, eq).trim();
    const header = pair.slice(eq + 1).trim();
    if (eq < 0 || field === '' || header === '') throw new InputError(say.pack.badMapSyntax({ text: pair }), say.command);
    const id = fields.find((f) => f.toLowerCase() === field.toLowerCase());
    if (id === undefined) throw new InputError(say.unknownField({ field, known: fields.join(', ') }), say.command);
    mapping[id] = header;
  }
  return mapping;
}

/** `kam score`'s --map: the fields are the rule set's (the account, the criteria, a relationship strength). */
export function parseMapping(pairs: readonly string[], rules: RuleSet, pack: CliPack): Record<string, string> {
  return parseMapPairs(pairs, Object.keys(inputFields(rules)), { pack, command: 'kam score', unknownField: pack.unknownMapField });
}

/** The column that names the accounts, if any: check names stale rows by it, merge finds shared accounts by it. */
export function accountColumn(headers: readonly CellValue[], rules: RuleSet): number | undefined {
  return matchColumns(headers, inputFields(rules)).matches.account?.column;
}

/** A sheet's columns as the rule set reads them. */
export interface MappedColumns {
  matches: ColumnMatching['matches'];
  /** Criteria computed from other columns: two years of sales give growth, profit gives margin. */
  derived: Record<string, DerivedColumn>;
  /** The criteria that have a column or are computed from columns, as the resolved rules declare them. */
  matched: RuleSet['criteria'];
  /** The columns the reader keeps: the matched ones and the derived criteria's sources. */
  kept: number[];
}

/**
 * Matches headers to the rule set's fields (with the user's --map), stopping the run where a guess
 * would drop values unseen: a --map header that is not there, two columns for one criterion, no
 * criterion column at all. `where` names the file and sheet in those messages.
 */
export function mapColumns(
  headers: readonly string[],
  rules: RuleSet,
  mapping: Readonly<Record<string, string>>,
  pack: CliPack,
  at: { where: string; otherSheets: readonly string[] },
): MappedColumns {
  const matchable: CellValue[] = [...headers];
  const matching = matchColumns(matchable, inputFields(rules), mapping);
  const quotedHeaders =
    headers
      .filter((h) => h !== '')
      .map((h) => `"${h}"`)
      .join(', ') || '(none)';
  const bad = matching.badMappings[0];
  if (bad) throw new InputError(pack.badMappingHeader({ file: at.where, field: bad.field, header: bad.header, headers: quotedHeaders }));
  // Two columns that could hold one criterion: using either would drop the other's values unseen.
  // (Two candidate account-name columns change no verdict; the first names the rows.)
  const ambiguous = matching.ambiguous.find((a) => a.field !== 'account');
  if (ambiguous) {
    const list = ambiguous.headers.map((h) => `"${h}"`).join(', ');
    throw new InputError(pack.ambiguousColumns({ file: at.where, field: ambiguous.field, headers: list }), 'kam score');
  }
  // "Sales 2019", "2018年销售额": a measure with a period; two years of sales give growth, profit gives margin.
  const periodic = matchPeriodColumns(matchable, rules, matching.matches);
  Object.assign(matching.matches, periodic.matches);
  const derived = periodic.derived;
  const matches = matching.matches;
  if (!rules.criteria.some((c) => matches[c.id] || derived[c.id])) {
    const expected = rules.criteria.map((c) => `${c.id} ("${c.label.en}", "${c.label.zh}", …)`).join(', ');
    // The first sheet was taken (a "Read me", a cover): say which others there are.
    const hint = at.otherSheets.length > 0 ? `\n${pack.otherSheets({ sheets: at.otherSheets.map((s) => `"${s}"`).join(', ') })}` : '';
    throw new InputError(`${pack.noCriterionColumns({ file: at.where, headers: quotedHeaders, expected })}${hint}`);
  }
  return {
    matches,
    derived,
    matched: rules.criteria.filter((c) => matches[c.id] || derived[c.id]),
    kept: [...Object.values(matches).map((m) => m.column), ...Object.values(derived).flatMap((d) => d.columns)],
  };
}

/** The sheet columns a criterion is read from: its own, or the sources it is computed from. */
export function sourcesOf(columns: MappedColumns, id: string): number[] {
  return columns.derived[id]?.columns ?? [(columns.matches[id] as { column: number }).column];
}

/** Each matched criterion's input column, for the portable formulas that read the inputs in place. */
export function inputColumns(columns: MappedColumns): Record<string, number> {
  return Object.fromEntries(columns.matched.map((c) => [c.id, (columns.matches[c.id] as { column: number }).column]));
}

/** The rows of accounts as the scoring step reads them, whatever holds them (today a sheet's compact columns). */
export interface AccountRows {
  rowKind: 'line' | 'row';
  headers: string[];
  count: number;
  number: (i: number) => number;
  blank: (i: number) => boolean;
  rejected: (i: number) => string | undefined;
  cell: (i: number, column: number) => InputCell;
  /** A column's cells at these rows, as the kernel reads them. */
  values: (rows: readonly number[], column: number) => CellValue[];
  /** Whether a column may hold formulas without a saved result (only those need a look per row). */
  mayHoldFormulas: (column: number) => boolean;
}

/** The kernel's input columns at these rows: cells as they are, derived criteria computed from their sources. */
export function kernelColumns(rows: AccountRows, columns: MappedColumns, list: readonly number[], only: (id: string) => boolean = () => true): Record<string, CellValue[]> {
  const out: Record<string, CellValue[]> = {};
  for (const c of columns.matched) {
    if (!only(c.id)) continue;
    const d = columns.derived[c.id];
    // Dates are passed on as they are: the engine reports that a date is not an amount.
    out[c.id] = d
      ? list.map((i) =>
          deriveValue(
            d.kind,
            d.columns.map((col) => rows.cell(i, col) as CellValue),
          ),
        )
      : rows.values(list, sourcesOf(columns, c.id)[0] as number);
  }
  return out;
}
