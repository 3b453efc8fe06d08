import type { FieldSpec } from './coerce';
import { compileCurrency, type CompiledCurrency } from './currency';
import type { Criterion, Operator, RuleSet } from './rules/schema';

/** A criterion prepared for the hot loop: everything the kernel needs as plain numbers. */
export interface CompiledCriterion {
  readonly index: number;
  readonly id: string;
  readonly field: FieldSpec;
  readonly curveMin: number;
  readonly curveSpan: number;
  readonly higherIsBetter: boolean;
  readonly weight: number;
  /** Index of the criterion whose input is subtracted (headroom), or −1. */
  readonly headroomOver: number;
  /** Inclusive valid range; ±Infinity where the rule set sets none. */
  readonly validMin: number;
  readonly validMax: number;
}

export interface CompiledCondition {
  readonly criterion: number;
  readonly op: Operator;
  readonly value: number;
}

export interface CompiledKnockout {
  readonly index: number;
  readonly id: string;
  readonly exclude: boolean;
  readonly conditions: readonly CompiledCondition[];
}

export interface CompiledRules {
  readonly rules: RuleSet;
  readonly criteria: readonly CompiledCriterion[];
  readonly totalWeight: number;
  readonly knockouts: readonly CompiledKnockout[];
  /** Score thresholds, best tier first: strategic, key, develop. */
  readonly thresholds: readonly [number, number, number];
  readonly minWeightShare: number;
  /** Set when the rule set has a currency: amounts are converted to it before scoring. */
  readonly currency?: CompiledCurrency;
  /** Indexes of the criteria whose unit is currency (the amounts a rate converts). */
  readonly amounts: readonly number[];
}

function fieldSpec(c: Criterion): FieldSpec {
  const spec: FieldSpec = { id: c.id, unit: c.unit, validMin: c.validMin, validMax: c.validMax };
  if (c.unit === 'rating') {
    // Yes and No stand for the best and worst ratings of the criterion's curve.
    const [low, high] = [c.curve.min, c.curve.max];
    spec.yes = c.better === 'higher' ? high : low;
    spec.no = c.better === 'higher' ? low : high;
  }
  return spec;
}

const cache = new WeakMap<RuleSet, CompiledRules>();

/**
 * Prepares a validated rule set for evaluation. Cached per rule-set object, so callers holding the
 * same rules (a sheet of formulas sharing one rules range) compile once. Rule sets are treated as
 * immutable once compiled.
 */
export function compileRules(rules: RuleSet): CompiledRules {
  const hit = cache.get(rules);
  if (hit) return hit;
  const indexOf = new Map(rules.criteria.map((c, i) => [c.id, i]));
  const criteria = rules.criteria.map((c, index): CompiledCriterion => ({
    index,
    id: c.id,
    field: fieldSpec(c),
    curveMin: c.curve.min,
    curveSpan: c.curve.max - c.curve.min,
    higherIsBetter: c.better === 'higher',
    weight: c.weight,
    headroomOver: c.headroomOver === undefined ? -1 : (indexOf.get(c.headroomOver) ?? -1),
    validMin: c.validMin ?? -Infinity,
    validMax: c.validMax ?? Infinity,
  }));
  const knockouts = rules.knockouts.map((k, index): CompiledKnockout => ({
    index,
    id: k.id,
    exclude: k.effect === 'exclude',
    conditions: k.when.map((w) => ({ criterion: indexOf.get(w.criterion) ?? -1, op: w.op, value: w.value })),
  }));
  const compiled: CompiledRules = {
    rules,
    criteria,
    totalWeight: criteria.reduce((sum, c) => sum + c.weight, 0),
    knockouts,
    thresholds: [rules.tiers.strategic.minScore, rules.tiers.key.minScore, rules.tiers.develop.minScore],
    minWeightShare: rules.missingData.minWeightShare,
    amounts: criteria.filter((c) => c.field.unit === 'currency').map((c) => c.index),
  };
  const currency = compileCurrency(rules);
  if (currency) (compiled as { currency?: CompiledCurrency }).currency = currency;
  cache.set(rules, compiled);
  return compiled;
}

/** Points 0–100 that a criterion's linear curve gives an input, clamped at both ends. */
export function curvePoints(c: CompiledCriterion, x: number): number {
  const t = (x - c.curveMin) / c.curveSpan;
  const p = c.higherIsBetter ? t : 1 - t;
  return p <= 0 ? 0 : p >= 1 ? 100 : p * 100;
}

/**
 * What a criterion's curve scores for its input: the input itself, or for a headroom criterion
 * (wallet) the headroom over its base (sales), never below 0. NaN when the input, or the base a
 * headroom needs, is missing. `row` holds the account's inputs by criterion index, NaN for blanks.
 */
export function scoredInput(c: CompiledCriterion, row: ArrayLike<number>): number {
  const x = row[c.index] as number;
  if (c.headroomOver < 0 || x !== x) return x;
  const base = row[c.headroomOver] as number;
  return base === base ? (x > base ? x - base : 0) : NaN;
}

export function holds(op: Operator, x: number, value: number): boolean {
  switch (op) {
    case '<':
      return x < value;
    case '<=':
      return x <= value;
    case '>':
      return x > value;
    case '>=':
      return x >= value;
    case '=':
      return x === value;
  }
}

/** Rounds a score to the one decimal users see; tiers are decided on this rounded value. */
export function roundScore(x: number): number {
  if (typeof x !== 'number') return NaN;
  // Nudge by a relative epsilon so 62.25 computed as 62.24999… still rounds up as written.
  return Math.round(x * 10 * (1 + Number.EPSILON)) / 10;
}
