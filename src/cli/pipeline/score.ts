/**
 * The scoring step: every account row of a read sheet through the engine's kernel, in chunks, with
 * the rows it cannot read named rather than guessed.
 */
import {
  cellAddress,
  countOutcomes,
  criterionLabel,
  CURRENCY_FIELD,
  flagsText,
  formatMessage,
  OUTCOME_IDS,
  portfolioWarnings,
  rowFlags,
  scoreColumns,
  type Lang,
  type OutcomeId,
} from '../../engine';
import type { CliPack } from '../messages';
import { convertedNote } from '../report';
import { isFormulaWithoutResult } from '../table';
import { kernelColumns, sourcesOf } from './map';
import type { MappedSheet } from './read';
import type { FittedRules } from './rules';

/** How many accounts the kernel scores at once: memory stays flat however many rows the sheet has. */
const SCORE_CHUNK = 65_536;

/** Each row's verdict, by row index, and what the run counted. */
export interface ScoredRows {
  /** The score, NaN where there is none. */
  scores: Float64Array;
  /** Outcome code + 1 (0: no result: a blank row). */
  outcomes: Uint8Array;
  /** The flags' text where there is one (the reason, for a row that could not be read). */
  flags: string[];
  counts: Record<OutcomeId, number>;
  /** Rows with a cell the kernel could not read, in row order. */
  unreadable: number[];
  /** Rows rejected while reading (a malformed line). */
  malformed: number[];
  blankCount: number;
  /** Portfolio warnings, as text. */
  portfolio: string[];
  /** What scoring found worth a note (the currencies converted). */
  notes: string[];
}

/**
 * Scores in chunks: rows the kernel reads are not blank, not rejected while reading, and have no
 * criterion formula without a result (those are invalid accounts, named with the cell).
 */
export function scoreRows(input: MappedSheet, fitted: FittedRules, pack: CliPack, lang: Lang): ScoredRows {
  const { rows, columns } = input;
  const { rules, ready } = fitted;
  const count = rows.count;
  const scores = new Float64Array(count).fill(NaN);
  const outcomes = new Uint8Array(count);
  const flags: string[] = new Array<string>(count).fill('');
  const counts = Object.fromEntries(OUTCOME_IDS.map((id) => [id, 0])) as Record<OutcomeId, number>;
  const unreadable: number[] = [];
  const malformed: number[] = [];
  /** Accounts whose amounts were converted, by the currency they were in. */
  const convertedFrom = new Map<string, number>();
  let blankCount = 0;
  const invalidCode = OUTCOME_IDS.indexOf('invalid') + 1;
  const reject = (i: number, reason: string): void => {
    outcomes[i] = invalidCode;
    flags[i] = reason;
    counts.invalid++;
  };
  // Every source column of each criterion, and whether it needs a look for formulas without a result.
  const matchedColumns = columns.matched.flatMap((c) => sourcesOf(columns, c.id).map((column) => ({ c, column, formulas: rows.mayHoldFormulas(column) })));
  for (let start = 0; start < count; start += SCORE_CHUNK) {
    const end = Math.min(count, start + SCORE_CHUNK);
    const scored: number[] = [];
    for (let i = start; i < end; i++) {
      if (rows.blank(i)) {
        blankCount++;
        continue;
      }
      const rejected = rows.rejected(i);
      if (rejected) {
        malformed.push(i);
        reject(i, rejected);
        continue;
      }
      let problems: string[] | undefined;
      for (const { c, column, formulas } of matchedColumns) {
        if (!formulas) continue;
        const cell = rows.cell(i, column);
        if (isFormulaWithoutResult(cell)) {
          const at = cellAddress({ row: rows.number(i) - 1, col: column });
          (problems ??= []).push(pack.formulaWithoutResult({ field: c.label[lang], cell: at, formula: cell.formulaWithoutResult }));
        }
      }
      if (problems) {
        unreadable.push(i);
        reject(i, problems.join(lang === 'zh' ? ';' : '; '));
        continue;
      }
      scored.push(i);
    }
    // With a rule-set currency, each account's currency cell says what its amounts are in.
    const currencyAt = columns.matches[CURRENCY_FIELD]?.column;
    const currency = currencyAt === undefined ? {} : { currency: rows.values(scored, currencyAt) };
    const result = scoreColumns({ rowCount: scored.length, columns: kernelColumns(rows, columns, scored), ...currency }, rules, { absent: ready.absent });
    const chunkCounts = countOutcomes(result);
    if (result.conversion) for (const code of result.conversion.code) if (code !== undefined) convertedFrom.set(code, (convertedFrom.get(code) ?? 0) + 1);
    for (const id of OUTCOME_IDS) counts[id] += chunkCounts[id];
    for (let k = 0; k < scored.length; k++) {
      const i = scored[k] as number;
      scores[i] = result.score[k] as number;
      outcomes[i] = (result.outcome[k] as number) + 1;
      const plain = result.knockoutMask[k] === 0 && result.missingMask[k] === 0 && !result.problems.has(k);
      if (!plain) flags[i] = flagsText(rowFlags(result, k), lang, rules);
      if (result.problems.has(k)) unreadable.push(i);
    }
  }
  unreadable.sort((a, b) => a - b);
  const notes = rules.currency !== undefined && convertedFrom.size > 0 ? [convertedNote(rules, convertedFrom, pack)] : [];
  const portfolio = portfolioWarnings(counts, rules).map((m) => formatMessage(m, lang, (id, l) => criterionLabel(rules, id, l)));
  return { scores, outcomes, flags, counts, unreadable, malformed, blankCount, portfolio, notes };
}
