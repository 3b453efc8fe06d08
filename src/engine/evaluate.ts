import { columnsFromAccounts, countOutcomes, isBatchResult, missingMessage, outcomeAt, rejectRow, requiredMask, requiredMessage, scoreColumns, type BatchResult } from './batch';
import { isObject, kindOf, usableRules } from './guard';
import { portfolioWarnings } from './plan';
import { compileRules, curvePoints, scoredInput } from './compile';
import { LABEL_PACKS } from './i18n/labels';
import { formatMessage, message, type Message } from './i18n/messages';
import { defaultRules } from './rules/defaults';
import type { Knockout, RuleSet } from './rules/schema';
import { langOf, type Lang, type Localized, type OutcomeId } from './types';

/** Something to tell the user about an account: a fired knock-out rule, or an engine message. */
export type Flag = { kind: 'knockout'; id: string; effect: Knockout['effect']; reason: Localized } | { kind: 'message'; id: Message['key']; message: Message };

export interface CriterionExplanation {
  id: string;
  label: Localized;
  /** `ok` (read; scored unless the account is invalid); `blank` (no input); `unscorable` (input present, but its headroom base is blank); `invalid`. */
  status: 'ok' | 'blank' | 'unscorable' | 'invalid';
  /**
   * The input as scored, before any headroom transform (an amount converted to the rule set's
   * currency); null when blank or unreadable.
   */
  input: number | null;
  /** An amount as the account gave it, before conversion (see Evaluation.conversion). */
  original?: number;
  /** What the curve scored (the headroom for wallet-like criteria); null when not scored. */
  scored: number | null;
  points: number | null;
  /** The rule set's weight. */
  weight: number;
  /** Share of the weight present that this criterion carried, 0–1; null when not scored. */
  share: number | null;
  /** Points × share: the contributions of an account add up to its (unrounded) score. */
  contribution: number | null;
  note?: Message;
}

export interface Evaluation {
  outcome: OutcomeId;
  /** 0–100 with one decimal; null when not scored. */
  score: number | null;
  /** Share of the total weight with data, 0–1. */
  presentShare: number;
  criteria: CriterionExplanation[];
  knockouts: Array<Extract<Flag, { kind: 'knockout' }>>;
  problems: Message[];
  flags: Flag[];
  /** How the account's amounts were converted: from `code` at `rate` (dated) into `into`. */
  conversion?: { code: string; rate: number; date?: string; into: string };
}

/**
 * A key that is the same for two rows of one result exactly when rowFlags gives them the same flags
 * (the same knock-outs fired, the same blank inputs, both invalid or not); undefined for a row with
 * input problems, whose flags name its own cells. For a caller that makes each flag text once.
 */
export function rowFlagsKey(result: BatchResult, row: number): string | undefined {
  if (!isBatchResult(result) || result.problem || typeof row !== 'number' || result.problems.has(row)) return undefined;
  return `${result.knockoutMask[row] ?? 0}:${result.missingMask[row] ?? 0}:${result.absentMask ?? 0}:${outcomeAt(result, row) === 'invalid' ? 1 : 0}`;
}

/** The flags of one row of a batch: input problems, fired knock-outs, then missing data. */
export function rowFlags(result: BatchResult, row: number): Flag[] {
  const flags: Flag[] = [];
  if (!isBatchResult(result)) return [messageFlag(notAResult)];
  if (result.problem) return [messageFlag(result.problem)];
  const problems = result.problems.get(row);
  if (problems) {
    for (const p of problems) flags.push({ kind: 'message', id: p.key, message: p });
    return flags;
  }
  const fired = result.knockoutMask[row] ?? 0;
  result.rules.knockouts.forEach((k, i) => {
    if ((fired & (1 << i)) !== 0) flags.push({ kind: 'knockout', id: k.id, effect: k.effect, reason: k.reason });
  });
  // A blank required input is named once, as the reason for Insufficient data.
  const required = requiredMessage(result, row);
  if (required) flags.push({ kind: 'message', id: required.key, message: required });
  const missing = missingMessage(result, row, required ? requiredMask(result.rules) : 0);
  if (missing) flags.push({ kind: 'message', id: missing.key, message: missing });
  return flags;
}

const messageFlag = (m: Message): Flag => ({ kind: 'message', id: m.key, message: m });
const notAResult = message('badArgument', { argument: 'result', expected: 'a result of scoreColumns' });

/** A criterion's label, for messages that name fields by id. */
export function criterionLabel(rules: RuleSet, id: string, lang: Lang): string {
  const l = langOf(lang);
  const found = usableRules(rules)?.criteria.find((c) => c.id === id);
  return found ? found.label[l] : typeof id === 'string' ? id : '';
}

export function flagText(flag: Flag, lang: Lang, rules: RuleSet): string {
  const l = langOf(lang);
  if (!isObject(flag)) return '';
  if (flag.kind === 'knockout') return isObject(flag.reason) && typeof flag.reason[l] === 'string' ? flag.reason[l] : '';
  return formatMessage(flag.message, l, (id, to) => criterionLabel(rules, id, to));
}

/** The flags as one cell's text, `; `-separated (the KAM Flags column). */
export function flagsText(flags: readonly Flag[], lang: Lang, rules: RuleSet): string {
  if (!Array.isArray(flags)) return '';
  return (flags as readonly unknown[]).map((f) => flagText(f as Flag, lang, rules)).join(langOf(lang) === 'zh' ? ';' : '; ');
}

/** The label users see for an outcome, from the rule set (tiers) or the language pack (invalid). */
export function outcomeLabel(rules: RuleSet, outcome: OutcomeId, lang: Lang): string {
  const l = langOf(lang);
  const usable = usableRules(rules);
  if (!usable || outcome === 'invalid' || typeof outcome !== 'string' || !Object.prototype.hasOwnProperty.call(usable.tiers, outcome)) {
    return LABEL_PACKS[l].invalidOutcome;
  }
  return usable.tiers[outcome].label[l];
}

/**
 * Evaluates one account, with the full explanation: each criterion's input, points, weight and
 * contribution, the knock-outs that fired, and what missing data did.
 * `account` is keyed by criterion id; values are what a cell holds (numbers, texts, blanks).
 */
export function evaluate(account: Readonly<Record<string, unknown>>, rules: RuleSet = defaultRules()): Evaluation {
  const result = scoreColumns(columnsFromAccounts([account], rules), rules, { keepValues: true });
  if (!isObject(account)) rejectRow(result, 0, notAnAccount(account));
  return explainRow(result, 0);
}

const notAnAccount = (v: unknown): Message => message('badArgument', { argument: 'account', expected: `an object of inputs keyed by criterion id, not ${kindOf(v)}` });

/** An evaluation that scored nothing, saying why. */
function notEvaluated(problem: Message): Evaluation {
  return { outcome: 'invalid', score: null, presentShare: 0, criteria: [], knockouts: [], problems: [problem], flags: [messageFlag(problem)] };
}

/** The explanation of one row of a batch that was scored with `keepValues`. */
export function explainRow(result: BatchResult, row: number): Evaluation {
  if (!isBatchResult(result)) return notEvaluated(notAResult);
  if (result.problem) return notEvaluated(result.problem);
  if (!result.values) return notEvaluated(message('badArgument', { argument: 'result', expected: 'a batch scored with { keepValues: true }' }));
  if (typeof row !== 'number' || !Number.isInteger(row) || row < 0 || row >= result.rowCount) {
    return notEvaluated(message('badArgument', { argument: 'row', expected: `a row from 0 to ${result.rowCount - 1}` }));
  }
  const rules = result.rules;
  const compiled = compileRules(rules);
  const n = compiled.criteria.length;
  const values = result.values.subarray(row * n, row * n + n);
  const outcome = outcomeAt(result, row);
  const problems = [...(result.problems.get(row) ?? [])];
  const problemFields = new Set(problems.map((p) => ('field' in p.params ? p.params.field : '')));
  const score = result.score[row] as number;

  // What each curve scored, as the kernel computed it, for the shares and contributions.
  const scoredValue: Array<number | null> = compiled.criteria.map((c) => {
    const x = scoredInput(c, values);
    return x !== x || outcome === 'invalid' ? null : x;
  });
  const presentWeight = compiled.criteria.reduce((sum, c, i) => (scoredValue[i] === null ? sum : sum + c.weight), 0);

  const criteria = compiled.criteria.map((c, i): CriterionExplanation => {
    const def = rules.criteria[i] as RuleSet['criteria'][number];
    const input = values[i] === values[i] ? (values[i] as number) : null;
    const scored = scoredValue[i] ?? null;
    const base: CriterionExplanation = {
      id: c.id,
      label: def.label,
      status: 'ok',
      input,
      scored,
      points: null,
      weight: c.weight,
      share: null,
      contribution: null,
    };
    if (problemFields.has(c.id)) return { ...base, status: 'invalid', input: null, scored: null };
    if (input === null) return { ...base, status: 'blank' };
    // An account with an unreadable input is not scored at all: its readable inputs are shown as read.
    if (outcome === 'invalid') return base;
    const rate = result.conversion?.rate[row] ?? NaN;
    if (rate === rate && compiled.amounts.includes(i) && rate !== 1) base.original = Number((input / rate).toPrecision(12));
    if (scored === null) {
      const note = message('headroomNeedsBase', { field: c.id, base: def.headroomOver ?? '' });
      return { ...base, status: 'unscorable', note };
    }
    const points = curvePoints(c, scored);
    const share = presentWeight > 0 ? c.weight / presentWeight : 0;
    return { ...base, points, share, contribution: points * share };
  });

  const flags = rowFlags(result, row);
  const rate = result.conversion?.rate[row] ?? NaN;
  const code = result.conversion?.code[row];
  const date = (rules.fx ?? []).find((f) => f.code === code)?.date;
  const conversion =
    rate === rate && code !== undefined && rules.currency !== undefined ? { code, rate, into: rules.currency, ...(date !== undefined ? { date } : {}) } : undefined;
  return {
    ...(conversion ? { conversion } : {}),
    outcome,
    score: score === score ? score : null,
    presentShare: result.presentShare[row] as number,
    criteria,
    knockouts: flags.filter((f): f is Extract<Flag, { kind: 'knockout' }> => f.kind === 'knockout'),
    problems,
    flags,
  };
}

/** One account's verdict in a batch: what the score, tier and flag columns show. */
export interface Verdict {
  outcome: OutcomeId;
  score: number | null;
  flags: Flag[];
}

export interface BatchEvaluation {
  verdicts: Verdict[];
  counts: Record<OutcomeId, number>;
  /** Portfolio-level findings, such as too many key accounts to manage well. */
  warnings: Message[];
  /** The kernel's result, for callers that want the typed arrays or an explanation of one row. */
  result: BatchResult;
}

/** Evaluates many accounts given as plain objects keyed by criterion id. */
export function evaluateBatch(accounts: ReadonlyArray<Readonly<Record<string, unknown>>>, rules: RuleSet = defaultRules()): BatchEvaluation {
  const result = scoreColumns(columnsFromAccounts(accounts, rules), rules, { keepValues: true });
  if (Array.isArray(accounts)) accounts.forEach((a, r) => (isObject(a) ? undefined : rejectRow(result, r, notAnAccount(a))));
  const counts = countOutcomes(result);
  const verdicts = Array.from({ length: result.rowCount }, (_, r): Verdict => {
    const s = result.score[r] as number;
    return { outcome: outcomeAt(result, r), score: s === s ? s : null, flags: rowFlags(result, r) };
  });
  const warnings = result.problem ? [result.problem] : portfolioWarnings(counts, result.rules);
  if (!result.problem && !Array.isArray(accounts)) warnings.push(message('badArgument', { argument: 'accounts', expected: 'an array of accounts' }));
  return { verdicts, counts, warnings, result };
}
