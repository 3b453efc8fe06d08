/**
 * Which result columns KAM writes beside the accounts and what they hold: one answer for the task
 * pane's Apply and for `kam score`. Each surface reads its data its own way and writes cells its
 * own way; the list of columns, their headers, formats and values are decided only here.
 */
import { outcomeAt, type BatchResult } from '../batch';
import { PLANNING_INPUTS } from '../cells';
import { coerceInput } from '../coerce';
import { criterionLabel, flagsText, outcomeLabel, rowFlags } from '../evaluate';
import { LABEL_PACKS } from '../i18n/labels';
import { formatMessage, message, type Message } from '../i18n/messages';
import { hoursPerMonth, needsSeniorVisit, planFlags, portfolioQuadrant, priorityRanks, type NeedsBalance } from '../plan';
import type { Coverage } from '../relationships';
import type { RuleSet } from '../rules/schema';
import type { CellValue, Lang, OutcomeId } from '../types';
import { listOf } from '../guard';

import { RESULT_KEYS, type ResultKey } from '../result-keys';

export { RESULT_KEYS, type ResultKey };

/** One result column: a value per account row. */
export interface ReportColumn {
  key: ResultKey;
  header: string;
  /** `text` columns are formatted as Text so labels such as "=x" or "1e5" stay text. */
  kind: 'number' | 'text';
  /** Number format of number columns, e.g. "0.0". */
  numberFormat?: string;
  /** Per account row; '' leaves the cell empty. */
  values: CellValue[];
}

/** The verdict of each account row: its outcome, score and the engine's own flags as text. */
export interface RowVerdicts {
  outcomes: OutcomeId[];
  scores: Array<number | null>;
  /** The engine's row flags (or why a row could not be read at all), in the report's language. */
  flags: string[];
}

/** The verdicts of a scored batch, every row as the kernel left it. */
export function verdictsOf(result: BatchResult, rules: RuleSet, lang: Lang): RowVerdicts {
  const n = result.rowCount;
  return {
    outcomes: Array.from({ length: n }, (_, r) => outcomeAt(result, r)),
    scores: Array.from(result.score, (s) => (s === s ? s : null)),
    flags: Array.from({ length: n }, (_, r) => flagsText(rowFlags(result, r), lang, rules)),
  };
}

/** Contacts and needs per account row, as matchRelations gives them. */
export interface RowRelations {
  hasContacts: boolean;
  hasNeeds: boolean;
  coverage: ReadonlyArray<Coverage | null>;
  needs: ReadonlyArray<NeedsBalance | null>;
}

export interface ReportInput {
  rules: RuleSet;
  lang: Lang;
  verdicts: RowVerdicts;
  /** The account's name per row, for the summary's lists (a row label when the name is blank). */
  accounts: readonly string[];
  relations?: RowRelations | null;
  /** A relationship-strength column the user supplies (0–100), read with readStrength; it wins over coverage. */
  strength?: ReadonlyArray<number | null> | null;
  /** Criteria the sheet has no column for, under the rules the run started from (see readinessOfRun). */
  readiness?: RunReadiness | null;
}

/** What the summary says about columns absent from the sheet (docs/rules.md §5, readiness). */
export interface RunReadiness {
  absent: ReadonlyArray<{ label: Readonly<Record<Lang, string>>; share: number }>;
  /** The user chose to score on the criteria present (the weights re-shared), rather than count the absent ones as blank. */
  scoredOnPresent: boolean;
}

/** The readiness a run reports: each absent criterion with its share of the full rule set's weight. Null when none is absent. */
export function readinessOfRun(fullRules: RuleSet, absent: readonly string[], scoredOnPresent: boolean): RunReadiness | null {
  const total = fullRules.criteria.reduce((sum, c) => sum + c.weight, 0);
  const list = fullRules.criteria.filter((c) => absent.includes(c.id)).map((c) => ({ label: c.label, share: total > 0 ? c.weight / total : 0 }));
  return list.length === 0 ? null : { absent: list, scoredOnPresent };
}

/** A relationship strength rating (0–100) the user may supply instead of a contacts table. */
export const STRENGTH_FIELD = 'strength';
export const STRENGTH_ALIASES: readonly string[] = ['strength', 'relationship strength', 'relative strength', 'strength rating', '关系强度', '相对优势', '关系评分'];
export const STRENGTH_LABEL: Readonly<Record<Lang, string>> = { en: 'Relationship strength', zh: '关系强度' };
const STRENGTH_SPEC = PLANNING_INPUTS.strength;

/** A strength cell read like every other input (1,5 · ５０ · blanks) on its 0–100 scale; "50%" is not guessed to mean 50. */
export function readStrength(cell: CellValue | undefined): number | null {
  if (typeof cell === 'string' && cell.includes('%')) return null;
  const read = coerceInput(cell, STRENGTH_SPEC);
  return read.kind === 'value' ? read.value : null;
}

/** A message in the report's language, criteria named by their labels. */
export function reportText(input: Pick<ReportInput, 'rules' | 'lang'>, msg: Message): string {
  return formatMessage(msg, input.lang, (id, l) => criterionLabel(input.rules, id, l));
}

/** Flags of a row: the engine's row flags, then relationship red flags, a senior visit and plan flags when those tables are given. */
export function rowFlagText(input: ReportInput, row: number): string {
  const { rules, lang, relations } = input;
  const outcome = input.verdicts.outcomes[row] as OutcomeId;
  const cov = relations?.coverage[row] ?? null;
  // Without relations, the engine's flags are the row's flags (the common case, and a hot path).
  if (!cov && !relations?.hasNeeds) return input.verdicts.flags[row] ?? '';
  const parts = [input.verdicts.flags[row] ?? ''];
  const extra: Message[] = [];
  if (cov) {
    extra.push(...cov.redFlags);
    if (needsSeniorVisit(outcome, cov.decisionMaker, rules)) extra.push(message('seniorVisit', {}));
  }
  if (relations?.hasNeeds) extra.push(...planFlags(outcome, relations.needs[row] ?? null, rules));
  for (const m of extra) parts.push(reportText(input, m));
  return parts.filter((p) => p !== '').join(lang === 'zh' ? ';' : '; ');
}

/** Whether the rows have a relationship strength: a strength column, or coverage from a contacts table. */
export function hasStrength(input: ReportInput): boolean {
  return Boolean(input.strength) || Boolean(input.relations?.hasContacts);
}

/** Relationship strength of a row: the user's rating, else the contacts' coverage; null when unknown. */
export function strengthAt(input: ReportInput, row: number): number | null {
  if (input.strength) return input.strength[row] ?? null;
  return input.relations?.coverage[row]?.coverage ?? null;
}

/**
 * The result columns, in RESULT_KEYS order: coverage with a contacts table, quadrant with a strength.
 * Keys in `without` are left out and not computed (a streamed file ranks over the whole file itself).
 */
export function reportColumns(input: ReportInput, without: readonly ResultKey[] = []): ReportColumn[] {
  const { rules, lang, verdicts } = input;
  const labels = LABEL_PACKS[lang].column;
  const { outcomes, scores } = verdicts;
  const skipped = new Set<unknown>(listOf<unknown>(without));
  const columns: ReportColumn[] = [];
  const add = (key: ResultKey, column: () => Omit<ReportColumn, 'key'>): void => {
    if (!skipped.has(key)) columns.push({ key, ...column() });
  };
  add('score', () => ({ header: labels.score, kind: 'number', numberFormat: '0.0', values: scores.map((s) => (s === null ? '' : s)) }));
  add('tier', () => ({ header: labels.tier, kind: 'text', values: outcomes.map((o) => outcomeLabel(rules, o, lang)) }));
  add('flags', () => ({ header: labels.flags, kind: 'text', values: outcomes.map((_, r) => rowFlagText(input, r)) }));
  add('priority', () => ({ header: labels.priority, kind: 'number', numberFormat: '0', values: priorityRanks(outcomes, scores) }));
  add('hours', () => ({ header: labels.hours, kind: 'number', numberFormat: '0', values: outcomes.map((o) => hoursPerMonth(o, rules)) }));
  const relations = input.relations;
  if (relations?.hasContacts) {
    add('coverage', () => ({ header: labels.coverage, kind: 'number', numberFormat: '0.0', values: outcomes.map((_, r) => relations.coverage[r]?.coverage ?? '') }));
  }
  if (hasStrength(input)) {
    const quadrants = LABEL_PACKS[lang].quadrant;
    add('quadrant', () => ({
      header: labels.quadrant,
      kind: 'text',
      values: outcomes.map((o, r): CellValue => {
        const s = scores[r] ?? null;
        const strength = strengthAt(input, r);
        return o === 'invalid' || s === null || strength === null ? '' : quadrants[portfolioQuadrant(s, strength, rules)];
      }),
    }));
  }
  return columns.sort((a, b) => RESULT_KEYS.indexOf(a.key) - RESULT_KEYS.indexOf(b.key));
}
