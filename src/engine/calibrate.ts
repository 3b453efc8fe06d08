import { coerceInput } from './coerce';
import { compileRules, type CompiledCriterion } from './compile';
import { accountRate, type AmountCell } from './currency';
import type { RuleSet } from './rules/schema';
import type { CellValue } from './types';
import { badRules, isObject, listOf, own, usableRules } from './guard';
import type { Message } from './i18n/messages';

/** Percentile with linear interpolation between closest ranks, as Excel's PERCENTILE.INC. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!Array.isArray(sorted)) return NaN;
  return percentileAt(sorted.length, p, (rank) => sorted[rank] as number);
}

/**
 * percentile() over `count` values read by their rank (0-based, ascending) rather than held in one
 * array: a streamed file finds each rank on disk. Reads the one or two ranks it needs.
 */
export function percentileAt(count: number, p: number, valueAt: (rank: number) => number): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count <= 0 || typeof valueAt !== 'function') return NaN;
  const pos = (count - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = valueAt(lo);
  const b = hi === lo ? a : valueAt(hi);
  return a + (b - a) * (pos - lo);
}

/** Rounds to two significant digits, so a suggested target reads like one a person would set. */
export function niceRound(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const magnitude = Math.pow(10, Math.floor(Math.log10(Math.abs(x))) - 1);
  return Math.round(x / magnitude) * magnitude;
}

export interface CalibrationSuggestion {
  criterion: string;
  /** The curve end that reaches 100 points. */
  field: 'curve.max';
  current: number;
  suggested: number;
  /** What the suggestion rests on. */
  basis: { percentile: number; values: number; of: string };
}

/** What calibration and the scale hint read: each amount criterion's positive amounts, in one currency. */
export interface CalibrationAmounts {
  /** Criterion id → its positive amounts, converted to the rule set's currency when it has one. */
  columns: Record<string, number[]>;
  /** The currency the amounts are in: the rule set's (undefined for a rule set without one). */
  currency?: string;
  /** Accounts with a positive amount whose currency cannot be told or has no rate: left out. */
  leftOut: number;
}

/** A column argument: an array or a typed array; anything else (an object with any `length`) holds nothing. */
function columnOf(v: unknown): ArrayLike<CellValue> | undefined {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)) ? (v as unknown as ArrayLike<CellValue>) : undefined;
}

/** An amount as the kernel reads it: a number in range as it is, anything else coerced; NaN when it holds none. */
function amountOf(raw: CellValue | undefined, c: CompiledCriterion): number {
  if (typeof raw === 'number' && raw >= c.validMin && raw <= c.validMax && raw - raw === 0) return raw;
  if (raw === undefined || raw === null || raw === '') return NaN;
  const v = coerceInput(raw, c.field);
  return v.kind === 'value' ? v.value : NaN;
}

/**
 * The amounts of a sheet's currency criteria that calibration reads (domain.md §5, §6): with a
 * rule-set currency, each account's amounts converted at its rate exactly as scoring converts them
 * (its currency cell, or a mark in the amount; `currency` is the sheet's currency column, if it
 * has one). An account whose currency cannot be told or has no rate is left out and counted, never
 * guessed. Pass the result's columns to suggestCalibration and scaleHints; a sheet read in parts
 * (a streamed CSV) passes each part and joins the columns.
 */
export function calibrationAmounts(columns: Readonly<Record<string, ArrayLike<CellValue> | undefined>>, rules: RuleSet, currency?: ArrayLike<CellValue>): CalibrationAmounts {
  const usable = usableRules(rules);
  if (!usable || !isObject(columns)) return { columns: {}, leftOut: 0 };
  const compiled = compileRules(usable);
  const amounts = compiled.amounts.flatMap((i) => {
    const c = compiled.criteria[i] as CompiledCriterion;
    const column = columnOf(own(columns, c.id));
    return column ? [{ c, column }] : [];
  });
  const out: Record<string, number[]> = {};
  const lists = amounts.map((a) => (out[a.c.id] = []));
  const fx = compiled.currency;
  const cells = columnOf(currency);
  const rowCount = amounts.reduce((n, a) => Math.max(n, a.column.length), 0);
  const row = new Float64Array(amounts.length);
  let leftOut = 0;
  for (let r = 0; r < rowCount; r++) {
    let positive = false;
    for (let k = 0; k < amounts.length; k++) {
      const a = amounts[k] as (typeof amounts)[number];
      const v = amountOf(a.column[r], a.c);
      row[k] = v;
      if (v > 0) positive = true;
    }
    if (!positive) continue;
    let rate = 1;
    if (fx) {
      // The amounts the kernel would convert: every readable one, so a mark in any of them counts.
      const given: AmountCell[] = [];
      amounts.forEach((a, k) => row[k] === row[k] && given.push({ field: a.c.id, raw: a.column[r] ?? null }));
      const found = accountRate(fx, cells?.[r], cells !== undefined, given);
      if ('problem' in found) {
        leftOut++;
        continue;
      }
      rate = found.rate;
    }
    for (let k = 0; k < amounts.length; k++) {
      const v = row[k] as number;
      if (v > 0) (lists[k] as number[]).push(v * rate);
    }
  }
  return { columns: out, ...(fx ? { currency: fx.code } : {}), leftOut };
}

/**
 * Suggests curve targets from the data: the 90th percentile of each currency criterion scored on
 * its own scale (sales), so that the top tenth earns full points. Criteria scored as headroom over
 * another (wallet over sales) share that criterion's target, as docs/rules.md prescribes. The
 * amounts are taken to be in the rule set's currency: a sheet with a currency column, or several
 * currencies, is converted first by calibrationAmounts.
 */
export function suggestCalibration(columns: Readonly<Record<string, ArrayLike<CellValue> | undefined>>, rules: RuleSet, p = 0.9): CalibrationSuggestion[] {
  const usable = usableRules(rules);
  if (!usable || !isObject(columns)) return [];
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) p = 0.9;
  const percentiles: Record<string, AmountPercentile> = {};
  for (const c of compileRules(usable).criteria) {
    if (!calibrationReads(c)) continue;
    const column = own(columns, c.id);
    if (!isObject(column) || typeof column.length !== 'number') continue;
    const values: number[] = [];
    for (let i = 0; i < column.length; i++) {
      const v = amountOf(column[i], c);
      if (v > 0) values.push(v);
    }
    if (values.length === 0) continue;
    values.sort((a, b) => a - b);
    percentiles[c.id] = { value: percentile(values, p), count: values.length };
  }
  return suggestFromPercentiles(percentiles, usable, p);
}

/** Whether calibration reads a criterion's values: an amount scored on its own scale, more being better. */
const calibrationReads = (c: CompiledCriterion): boolean => c.field.unit === 'currency' && c.headroomOver < 0 && c.higherIsBetter;

/** The criteria whose positive values calibration reads (for a caller that gathers them itself, as a streamed file does). */
export function calibrationCriteria(rules: RuleSet): string[] {
  const usable = usableRules(rules);
  return usable
    ? compileRules(usable)
        .criteria.filter(calibrationReads)
        .map((c) => c.id)
    : [];
}

/** A criterion's positive values as calibration reads them: their percentile (unrounded) and how many there were. */
export interface AmountPercentile {
  value: number;
  count: number;
}

/**
 * The suggestions from percentiles already taken (suggestCalibration takes them from columns; a
 * streamed file takes them from values kept on disk). Criteria without one are left as they are.
 */
export function suggestFromPercentiles(percentiles: Readonly<Record<string, AmountPercentile>>, rules: RuleSet, p = 0.9): CalibrationSuggestion[] {
  const usable = usableRules(rules);
  if (!usable || !isObject(percentiles)) return [];
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) p = 0.9;
  const targets = new Map<string, { value: number; count: number }>();
  for (const c of compileRules(usable).criteria) {
    const taken = own(percentiles, c.id);
    if (!calibrationReads(c) || !isObject(taken) || typeof taken.value !== 'number' || !Number.isFinite(taken.value) || typeof taken.count !== 'number' || !(taken.count > 0))
      continue;
    targets.set(c.id, { value: niceRound(taken.value), count: taken.count });
  }
  const suggestions: CalibrationSuggestion[] = [];
  for (const c of usable.criteria) {
    const target = targets.get(c.headroomOver ?? c.id);
    if (!target || target.value <= c.curve.min) continue;
    suggestions.push({
      criterion: c.id,
      field: 'curve.max',
      current: c.curve.max,
      suggested: target.value,
      basis: { percentile: p * 100, values: target.count, of: c.headroomOver ?? c.id },
    });
  }
  return suggestions;
}

/** A new rule set with the suggestions applied; the given one is not changed. */
export function applyCalibration(rules: RuleSet, suggestions: readonly CalibrationSuggestion[]): RuleSet {
  const usable = usableRules(rules);
  if (!usable) return rules;
  rules = usable;
  const byId = new Map(listOf<CalibrationSuggestion>(suggestions).flatMap((s) => (isObject(s) && typeof s.suggested === 'number' ? [[s.criterion, s.suggested]] : [])));
  return {
    ...rules,
    criteria: rules.criteria.map((c) => {
      const max = byId.get(c.id);
      return max === undefined ? c : { ...c, curve: { ...c.curve, max } };
    }),
  };
}

/** A curve target far from the data: the P90 of the data is 10× or more away from it. */
export interface ScaleHint {
  criterion: string;
  target: number;
  /** The data's 90th percentile, rounded as a suggested target would be. */
  p90: number;
  /** target ÷ P90: 10 or more when the target is far above the data, 0.1 or less when far below. */
  ratio: number;
}

/**
 * The scale hint of docs/rules.md §5: the curves whose target is 10× or more away from the data.
 * It only says so; calibrating is the user's choice (applyCalibration).
 */
export function scaleHints(columns: Readonly<Record<string, ArrayLike<CellValue> | undefined>>, rules: RuleSet, factor = 10): ScaleHint[] {
  return hintsFrom(suggestCalibration(columns, rules, 0.9), factor);
}

/** The scale hints from P90s already taken (see suggestFromPercentiles). */
export function scaleHintsFromPercentiles(p90s: Readonly<Record<string, AmountPercentile>>, rules: RuleSet, factor = 10): ScaleHint[] {
  return hintsFrom(suggestFromPercentiles(p90s, rules, 0.9), factor);
}

function hintsFrom(suggestions: readonly CalibrationSuggestion[], factor: unknown): ScaleHint[] {
  const far = typeof factor === 'number' && factor > 1 ? factor : 10;
  return suggestions
    .filter((s) => s.basis.of === s.criterion)
    .map((s) => ({ criterion: s.criterion, target: s.current, p90: s.suggested, ratio: s.current / s.suggested }))
    .filter((h) => h.ratio >= far || h.ratio <= 1 / far);
}

/** What the columns of a sheet allow, before any account is scored (docs/rules.md §5, readiness). */
export interface Readiness {
  /** Criteria with no column in the whole sheet. */
  absent: string[];
  /** Their share of the total weight, 0–1. */
  absentShare: number;
  /** Required criteria among the absent ones. */
  absentRequired: string[];
  /** Every account would be Insufficient data: too little weight present, or a required criterion absent. */
  allInsufficient: boolean;
  /** Why nothing could be judged: the rules given are not a rule set. */
  problem?: Message;
}

export function readiness(rules: RuleSet, present: readonly string[]): Readiness {
  const usable = usableRules(rules);
  if (!usable) return { absent: [], absentShare: 0, absentRequired: [], allInsufficient: false, problem: badRules };
  rules = usable;
  const has = new Set(listOf<unknown>(present));
  const total = rules.criteria.reduce((sum, c) => sum + c.weight, 0);
  const absentCriteria = rules.criteria.filter((c) => !has.has(c.id));
  const absentWeight = absentCriteria.reduce((sum, c) => sum + c.weight, 0);
  const absentShare = total > 0 ? absentWeight / total : 0;
  const absentRequired = absentCriteria.filter((c) => c.required === true).map((c) => c.id);
  // A criterion scored as headroom over an absent one cannot score either.
  const scorable = rules.criteria.filter((c) => has.has(c.id) && (c.headroomOver === undefined || has.has(c.headroomOver)));
  const scorableShare = total > 0 ? scorable.reduce((sum, c) => sum + c.weight, 0) / total : 0;
  return {
    absent: absentCriteria.map((c) => c.id),
    absentShare,
    absentRequired,
    allInsufficient: absentCriteria.length > 0 && (absentRequired.length > 0 || scorableShare < rules.missingData.minWeightShare),
  };
}

/**
 * The rule set restricted to the criteria a sheet has: the others dropped with the knock-outs that
 * read them (they could never fire) and the headroom criteria whose base is gone; the weights
 * re-shared to add up to 100 in the same proportions (one decimal). Null when nothing would be left
 * (or the rules given are not a rule set).
 */
export function rulesForPresent(rules: RuleSet, present: readonly string[]): RuleSet | null {
  const usable = usableRules(rules);
  if (!usable) return null;
  rules = usable;
  const has = new Set(listOf<unknown>(present));
  const kept = rules.criteria.filter((c) => has.has(c.id) && (c.headroomOver === undefined || has.has(c.headroomOver)));
  const sum = kept.reduce((s, c) => s + c.weight, 0);
  if (kept.length === 0 || sum <= 0) return null;
  const weights = kept.map((c) => Math.round((c.weight / sum) * 1000) / 10);
  // The largest takes the rounding remainder, so that the weights add up to exactly 100.
  const largest = weights.indexOf(Math.max(...weights));
  weights[largest] = Math.round((100 - weights.reduce((s, w, i) => (i === largest ? s : s + w), 0)) * 10) / 10;
  const keptIds = new Set(kept.map((c) => c.id));
  return {
    ...rules,
    criteria: kept.map((c, i) => ({ ...c, weight: weights[i] as number })),
    knockouts: rules.knockouts.filter((k) => k.when.every((cond) => keptIds.has(cond.criterion))),
  };
}
