/**
 * The last step of a workbook run: what `kam score` did, said on stdout, and the rows that need the
 * user's attention, on stderr (the streamed CSV path says the same through run-summary.ts).
 */
import { criterionLabel, repeatedAccounts, type Lang } from '../../engine';
import { STRENGTH_FIELD, STRENGTH_LABEL } from '../../engine/report';
import { SUMMARY_SHEET } from '../../gateway/types';
import type { CliPack } from '../messages';
import { textInputs } from '../portable';
import { DETAIL_LIMIT, limited, LIST_LIMIT, printRunEnd, printRunSummary } from '../run-summary';
import type { Output, ScoreOptions } from '../score';
import { inputColumns, type MappedColumns } from './map';
import type { MappedSheet } from './read';
import type { RunReport } from './report';
import type { FittedRules, ResolvedRules } from './rules';
import type { ScoredRows } from './score';
import type { WrittenWorkbook } from './write';

/**
 * The columns a run read, each with the field it gave (derived criteria with their sources), and
 * the criteria no column gave: for a workbook and for a streamed CSV alike.
 */
export function columnsUsed(
  columns: Pick<MappedColumns, 'matches' | 'derived'>,
  fitted: Pick<FittedRules, 'rules' | 'resolved'>,
  pack: CliPack,
  lang: Lang,
): { used: string[]; missing: string[] } {
  const { matches, derived } = columns;
  const fieldName = (id: string): string => (id === 'account' ? pack.accountField() : id === STRENGTH_FIELD ? STRENGTH_LABEL[lang] : criterionLabel(fitted.rules, id, lang));
  const used = Object.entries(matches).map(([id, m]) => pack.columnFrom({ header: m.header, field: fieldName(id) }));
  const missing = fitted.resolved.criteria.filter((c) => !matches[c.id] && !derived[c.id]).map((c) => c.label[lang]);
  for (const [id, d] of Object.entries(derived))
    used.push(pack.columnDerived({ headers: d.headers.map((h) => `"${h}"`).join(d.kind === 'marginFromProfit' ? ' ÷ ' : ', '), field: fieldName(id) }));
  return { used, missing };
}

/** Prints the summary of a scored workbook: columns used, notes, tiers, unreadable rows, what was written. */
export function tellScoreRun(
  io: Output,
  pack: CliPack,
  options: ScoreOptions,
  run: { outPath: string; resolved: ResolvedRules; input: MappedSheet; fitted: FittedRules; scored: ScoredRows; report: RunReport; written: WrittenWorkbook },
): void {
  const { input: file, lang } = options;
  const { input, fitted, scored, report, written } = run;
  const { rows, columns } = input;
  const { matches } = columns;
  const { rules } = fitted;
  const notes = [...fitted.notes, ...scored.notes, ...written.notes];
  const accountColumn = matches.account?.column;
  const ref = (i: number): string => pack.rowRef({ kind: rows.rowKind, number: rows.number(i) });
  const accountOf = (i: number): string => {
    const cell = accountColumn === undefined ? null : rows.cell(i, accountColumn);
    return cell === null || typeof cell === 'object' ? '' : String(cell).trim();
  };
  const { used, missing } = columnsUsed(columns, fitted, pack, lang);

  io.out(pack.scoredHeading({ count: rows.count - scored.blankCount, file, sheet: input.info.name }));
  io.out(pack.rulesFrom({ name: rules.name, source: run.resolved.source }));
  io.out(pack.columnsUsed({ list: pack.list(used) }));
  // Absent columns are said once, by the readiness notes below.
  if (missing.length > 0 && notes.length === 0) io.out(pack.columnsMissing({ list: pack.list(missing) }));
  for (const note of notes) io.out(note);
  // One row per order line rather than per account: say so, and what to run instead.
  if (accountColumn !== undefined) {
    const repeats = repeatedAccounts(rows.values(input.readable, accountColumn));
    if (repeats) io.out(pack.looksLikeOrderLines({ lines: repeats.lines, accounts: repeats.accounts, file }));
  }
  const { found, relations, plan, visits } = report;
  printRunSummary(io.out, pack, {
    rules,
    lang,
    counts: scored.counts,
    warnings: scored.portfolio,
    found,
    unmatchedAccounts: relations.unmatchedAccounts,
    plan,
    capacity: options.capacity ?? null,
    visits,
    csv: false,
  });
  io.out(pack.unreadableRows({ count: scored.unreadable.length, where: limited(scored.unreadable.map(ref), LIST_LIMIT, pack) }));
  if (scored.blankCount > 0) io.out(pack.blankRows({ count: scored.blankCount }));
  if (written.keptColumns.length > 0) io.out(pack.userColumnsKept({ list: pack.list(written.keptColumns.map((h) => `"${h}"`)) }));
  const { shown } = written;
  if (shown?.summary) {
    // The sections this summary has (a block is left out when there is nothing to show in it).
    io.out(pack.summaryWritten({ sheet: shown.summary.name, sections: pack.list(report.summary.blocks.map((b) => b.title)), charts: shown.summary.charts }));
    if (shown.summary.name !== SUMMARY_SHEET && !shown.summary.replaced) io.out(pack.summaryBesideUsers({ theirs: SUMMARY_SHEET, ours: shown.summary.name }));
  }
  if (shown && (shown.coloured || shown.filtered || shown.frozen)) io.out(pack.sheetShown(shown));

  // Portable formulas: the input cells only kam reads (texts such as "18%") are the user's to retype.
  if (options.formulas) {
    io.out(pack.portableWritten());
    const texts = textInputs(report.rows, inputColumns(columns), rows.cell, rows.number, rules, lang, pack);
    if (texts.length > 0) {
      io.err(pack.portableTexts({ count: texts.length }));
      for (const t of texts.slice(0, DETAIL_LIMIT)) io.err(`  ${t}`);
      if (texts.length > DETAIL_LIMIT) io.err(`  ${pack.moreRows({ count: texts.length - DETAIL_LIMIT })}`);
    }
  }

  // The rows that need the user's attention, on stderr.
  if (scored.malformed.length > 0) {
    io.err(pack.stderrMalformed({ count: scored.malformed.length, file }));
    for (const i of scored.malformed) io.err(`  ${scored.flags[i] ?? ''}`);
  }
  if (scored.unreadable.length > 0) {
    io.err(pack.stderrUnreadable({ count: scored.unreadable.length }));
    for (const i of scored.unreadable.slice(0, DETAIL_LIMIT)) io.err(`  ${pack.rowDetail({ ref: ref(i), account: accountOf(i), text: scored.flags[i] ?? '' })}`);
    if (scored.unreadable.length > DETAIL_LIMIT) io.err(`  ${pack.moreRows({ count: scored.unreadable.length - DETAIL_LIMIT })}`);
  }

  printRunEnd(io, pack, { problems: relations.problems, rules, lang, outPath: run.outPath, existed: written.existed });
}
