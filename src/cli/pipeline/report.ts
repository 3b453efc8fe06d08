/**
 * The report step: the verdicts turned into what the pane's Apply shows in values mode (result
 * columns, relations, hours, senior visits, the KAM Summary), for every row that is not blank.
 */
import { isBlankCell, OUTCOME_IDS, type CapacityPlan, type OutcomeId } from '../../engine';
import {
  capacityOf,
  matchRelations,
  readinessOfRun,
  readStrength,
  reportColumns,
  seniorVisits,
  STRENGTH_FIELD,
  summarySheet,
  SUMMARY_STRINGS,
  type MatchedRelations,
  type ReportColumn,
  type ReportInput,
  type SeniorVisit,
  type SummarySheet,
} from '../../engine/report';
import type { CliPack } from '../messages';
import { relationsFromWorkbook, type FoundRelations } from '../relations';
import type { ScoreOptions } from '../score';
import type { OpenWorkbook } from '../xlsx-file';
import type { MappedSheet } from './read';
import type { FittedRules } from './rules';
import type { ScoredRows } from './score';

export interface RunReport {
  /** The rows reported on (every row with a verdict, a row that could not be read included), in row order. */
  rows: number[];
  found: FoundRelations;
  relations: MatchedRelations;
  input: ReportInput;
  columns: ReportColumn[];
  plan: CapacityPlan;
  visits: SeniorVisit[];
  summary: SummarySheet;
}

/** Builds the report of a scored sheet, reading its contacts and needs (found in the workbook or named with --contacts / --needs). */
export async function reportRun(book: OpenWorkbook, input: MappedSheet, fitted: FittedRules, scored: ScoredRows, options: ScoreOptions, pack: CliPack): Promise<RunReport> {
  const { rows, columns } = input;
  const { rules } = fitted;
  const { lang } = options;
  // A row that could not be read is an invalid account, as the pane shows it.
  const reportRows: number[] = [];
  for (let i = 0; i < rows.count; i++) if (scored.outcomes[i]) reportRows.push(i);
  const found = await relationsFromWorkbook(book, { sheet: input.info, headerRow: input.sheet.headerRow }, options, pack);
  const accountColumn = columns.matches.account?.column;
  const strengthColumn = columns.matches[STRENGTH_FIELD]?.column;
  const accountCells = accountColumn === undefined ? reportRows.map(() => null) : rows.values(reportRows, accountColumn);
  const relations = matchRelations(accountCells, found.contacts?.table ?? null, found.needs?.table ?? null, rules);
  const report: ReportInput = {
    rules,
    lang,
    verdicts: {
      outcomes: reportRows.map((i) => OUTCOME_IDS[(scored.outcomes[i] as number) - 1] as OutcomeId),
      scores: reportRows.map((i) => (Number.isNaN(scored.scores[i]) ? null : (scored.scores[i] as number))),
      flags: reportRows.map((i) => scored.flags[i] ?? ''),
    },
    // A row without a name is named by its row, as the pane names it.
    accounts: reportRows.map((i, k) => (isBlankCell(accountCells[k]) ? `#${rows.number(i)}` : String(accountCells[k]).trim())),
    relations,
    strength: strengthColumn === undefined ? null : rows.values(reportRows, strengthColumn).map((v) => readStrength(v)),
    readiness: readinessOfRun(fitted.resolved, fitted.ready.absent, fitted.scoredOnPresent),
  };
  const result = reportColumns(report);
  const plan = capacityOf(report, options.capacity ?? null);
  const visits = seniorVisits(report);
  const summary = summarySheet(report, options.capacity ?? null, SUMMARY_STRINGS[lang]);
  options.onSummary?.(summary);
  return { rows: reportRows, found, relations, input: report, columns: result, plan, visits, summary };
}
