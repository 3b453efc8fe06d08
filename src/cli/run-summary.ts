/**
 * What `kam score` prints after a run, the same for a workbook and a streamed CSV: the accounts
 * per tier, portfolio warnings, where contacts and needs came from, the hours and the visits.
 */
import * as path from 'node:path';
import { criterionLabel, formatMessage, outcomeLabel, OUTCOME_IDS, type CapacityPlan, type CapacityTotals, type Lang, type Message, type OutcomeId, type RuleSet } from '../engine';
import { openCommand } from './files';
import type { SeniorVisit } from '../engine/report';
import type { CliPack } from './messages';
import type { FoundRelations, RelationSource } from './relations';

/** How many rows a list on the terminal names before it says "and N more". */
export const LIST_LIMIT = 10;
/** How many problem rows stderr details before it says "and N more". */
export const DETAIL_LIMIT = 20;

/** The first `limit` items and "and N more". */
export function limited(items: readonly string[], limit: number, pack: CliPack): string {
  const shown = items.slice(0, limit);
  const more = items.length - shown.length;
  return pack.list(more > 0 ? [...shown, pack.moreRows({ count: more })] : shown);
}

/** Terminal width of a text: CJK characters take two columns. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return width;
}

export interface RunSummary {
  rules: RuleSet;
  lang: Lang;
  counts: Readonly<Record<OutcomeId, number>>;
  /** Portfolio warnings, as text. */
  warnings: readonly string[];
  found: FoundRelations;
  unmatchedAccounts: readonly string[];
  /** The plan over the rows, or its totals when the rows were counted, not kept (a streamed CSV). */
  plan: CapacityPlan | CapacityTotals;
  capacity: number | null;
  visits: ReadonlyArray<Pick<SeniorVisit, 'account'>>;
  /** A CSV input: contacts and needs can only be named as files. */
  csv: boolean;
}

/** Prints the tiers, warnings, relations, hours and visits of a run, each path saying the same. */
export function printRunSummary(out: (line: string) => void, pack: CliPack, s: RunSummary): void {
  out('');
  out(pack.tiersHeading());
  const labels = OUTCOME_IDS.map((id) => outcomeLabel(s.rules, id, s.lang));
  const labelWidth = Math.max(...labels.map(displayWidth));
  OUTCOME_IDS.forEach((id, k) => {
    const label = labels[k] as string;
    out(`  ${label}${' '.repeat(labelWidth - displayWidth(label))}  ${String(s.counts[id]).padStart(6)}`);
  });
  if (s.warnings.length > 0) {
    out('');
    out(pack.warningsHeading());
    for (const w of s.warnings) out(`  ${w}`);
  }
  out('');
  const sourceText = (source: RelationSource): string => pack.relationSource({ kind: source.kind, name: source.name });
  if (s.found.contacts) out(pack.relationFrom({ kind: 'contacts', source: sourceText(s.found.contacts) }));
  if (s.found.needs) out(pack.relationFrom({ kind: 'needs', source: sourceText(s.found.needs) }));
  if (!s.found.contacts && !s.found.needs) out(pack.noRelations({ csv: s.csv }));
  if (s.unmatchedAccounts.length > 0) out(pack.unmatchedAccounts({ count: s.unmatchedAccounts.length, list: limited(s.unmatchedAccounts, LIST_LIMIT, pack) }));
  out(pack.hoursNeeded({ demand: s.plan.demand, capacity: s.capacity, over: s.plan.over, cuts: 'cutCount' in s.plan ? s.plan.cutCount : s.plan.cuts.length }));
  if (s.found.contacts)
    out(
      pack.seniorVisits({
        count: s.visits.length,
        list: limited(
          s.visits.map((v) => v.account),
          LIST_LIMIT,
          pack,
        ),
      }),
    );
  out('');
}

/** The end of a run: the contacts and needs rows that could not be read (stderr), then where the result is. */
export function printRunEnd(
  io: { out: (line: string) => void; err: (line: string) => void },
  pack: CliPack,
  end: { problems: readonly Message[]; rules: RuleSet; lang: Lang; outPath: string; existed: boolean },
): void {
  if (end.problems.length > 0) {
    io.err(pack.relationProblems({ count: end.problems.length }));
    const texts = end.problems.map((m) => formatMessage(m, end.lang, (id, l) => criterionLabel(end.rules, id, l)));
    for (const t of texts.slice(0, DETAIL_LIMIT)) io.err(`  ${t}`);
    if (texts.length > DETAIL_LIMIT) io.err(`  ${pack.moreRows({ count: texts.length - DETAIL_LIMIT })}`);
  }
  const absolute = path.resolve(end.outPath);
  io.out('');
  io.out(`${pack.wrote({ file: absolute })}${end.existed ? ` ${pack.replaced()}` : ''}`);
  io.out(pack.openHint({ command: openCommand(absolute) }));
}
