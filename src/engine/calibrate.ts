import { coerceInput } from './coerce';
import { compileRules } from './compile';
import type { RuleSet } from './rules/schema';
import type { CellValue } from './types';
import { badRules, isObject, listOf, own, usableRules } from './guard';
import type { Message } from './i18n/messages';

/** Percentile with linear interpolation between closest ranks, as Excel's PERCENTILE.INC. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!Array.isArray(sorted) || sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (pos - lo);
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

/**
 * Suggests curve targets from the data: the 90th percentile of each currency criterion scored on
 * its own scale (sales), so that the top tenth earns full points. Criteria scored as headroom over
 * another (wallet over sales) share that criterion's target, as docs/rules.md prescribes.
 */
export function suggestCalibration(
  columns: Readonly<Record<string, ArrayLike<CellValue> | undefined>>,
  rules: RuleSet,
  p = 0.9,
): CalibrationSuggestion[] {
  const usable = usableRules(rules);
  if (!usable || !isObject(columns)) return [];
  rules = usable;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) p = 0.9;
  const compiled = compileRules(rules);
  const targets = new Map<string, { value: number; count: number }>();
  for (const c of compiled.criteria) {
    if (c.field.unit !== 'currency' || c.headroomOver >= 0 || !c.higherIsBetter) continue;
    const column = own(columns, c.id);
    if (!isObject(column) || typeof column.length !== 'number') continue;
    const values: number[] = [];
    for (let i = 0; i < column.length; i++) {
      const v = coerceInput(column[i], c.field);
      if (v.kind === 'value' && v.value > 0) values.push(v.value);
    }
    if (values.length === 0) continue;
    values.sort((a, b) => a - b);
    targets.set(c.id, { value: niceRound(percentile(values, p)), count: values.length });
  }
  const suggestions: CalibrationSuggestion[] = [];
  for (const c of rules.criteria) {
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
  return suggestCalibration(columns, rules, 0.9)
    .filter((s) => s.basis.of === s.criterion)
    .map((s) => ({ criterion: s.criterion, target: s.current, p90: s.suggested, ratio: s.current / s.suggested }))
    .filter((h) => h.ratio >= factor || h.ratio <= 1 / factor);
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
