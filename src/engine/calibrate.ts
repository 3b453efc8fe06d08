import { coerceInput } from './coerce';
import { compileRules } from './compile';
import type { RuleSet } from './rules/schema';
import type { CellValue } from './types';
import { isObject, listOf, own, usableRules } from './guard';

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
