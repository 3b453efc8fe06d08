import { PLANNING_INPUTS } from './cells';
import { coerceInput } from './coerce';
import { message, type Message } from './i18n/messages';
import type { DecisionMakerStatus } from './relationships';
import type { RuleSet } from './rules/schema';
import type { CellValue, OutcomeId, TierId } from './types';
import { badArgument, badRules, isObject, listOf, own, usableRules } from './guard';
import { HORIZON_WORDS, readWord, type Horizon } from './words';

// ---- Short- and long-term needs (docs/rules.md §3) ----

export interface NeedInput {
  need?: CellValue;
  horizon?: CellValue;
  /** Months until the need is expected to give results, when known. */
  months?: CellValue;
}

export interface NeedsBalance {
  short: number;
  long: number;
  /** Earliest expected result in months; null when none is dated. */
  earliestMonths: number | null;
  problems: Message[];
}

const MONTHS = PLANNING_INPUTS.months;

export function needsBalance(needs: readonly NeedInput[]): NeedsBalance {
  const out: NeedsBalance = { short: 0, long: 0, earliestMonths: null, problems: [] };
  for (const given of listOf<NeedInput>(needs)) {
    const need: NeedInput = isObject(given) ? given : {};
    const horizon = readWord<Horizon>(need.horizon ?? null, HORIZON_WORDS, 'horizon');
    if (horizon.kind === 'problem') out.problems.push(horizon.problem);
    else if (horizon.kind === 'value') out[horizon.value]++;
    const months = coerceInput(need.months, MONTHS);
    if (months.kind === 'problem') out.problems.push(months.problem);
    else if (months.kind === 'value' && (out.earliestMonths === null || months.value < out.earliestMonths)) {
      out.earliestMonths = months.value;
    }
  }
  return out;
}

// ---- Priorities (docs/rules.md §4) ----

/** The horizon bucket of an expected result: 0 for ≤ 3 months, … , last for beyond the last bound. */
export function horizonBucket(months: number, rules: RuleSet): number {
  const usable = usableRules(rules);
  if (!usable || typeof months !== 'number' || months !== months) return -1;
  const bounds = usable.priorities.horizonMonths;
  const i = bounds.findIndex((b) => months <= b);
  return i < 0 ? bounds.length : i;
}

/** Labels of the horizon buckets, derived from the bounds: 0–3, 3–6, 6–12, >12. */
export function horizonBucketLabels(rules: RuleSet): string[] {
  const bounds = usableRules(rules)?.priorities.horizonMonths;
  if (!bounds) return [];
  return [...bounds.map((b, i) => `${i === 0 ? 0 : bounds[i - 1]}–${b}`), `>${bounds[bounds.length - 1]}`];
}

export function hoursPerMonth(outcome: OutcomeId, rules: RuleSet): number {
  const usable = usableRules(rules);
  if (!usable) return NaN;
  return own(usable.priorities.hoursPerMonth, outcome) ?? 0;
}

/** Whether a tier needs a senior-management visit: a key tier whose decision maker is not on side. */
export function needsSeniorVisit(outcome: OutcomeId, decisionMaker: DecisionMakerStatus, rules: RuleSet): boolean {
  const usable = usableRules(rules);
  return usable !== undefined && outcome !== 'invalid' && usable.priorities.seniorVisitTiers.includes(outcome) && decisionMaker !== 'engaged';
}

/** Account-level planning flags from its tier, needs and earliest expected result. */
export function planFlags(outcome: OutcomeId, needs: NeedsBalance | null, rules: RuleSet): Message[] {
  const usable = usableRules(rules);
  if (!usable) return [badRules];
  if (outcome === 'invalid') return [];
  if (!isObject(needs)) needs = null;
  const p = usable.priorities;
  const flags: Message[] = [];
  if (needs && p.longTermNeedTiers.includes(outcome) && needs.short > 0 && needs.long === 0) {
    flags.push(message('longTermNeedUnknown', {}));
  }
  if (p.landingTiers.includes(outcome)) {
    const earliest = needs?.earliestMonths ?? null;
    if (earliest === null || earliest > p.landingWithinMonths) flags.push(message('nothingLanding', { months: p.landingWithinMonths }));
  }
  return flags;
}

/** Tiers from the one cut last to the one cut first when hours run short. */
const KEEP_ORDER: readonly OutcomeId[] = ['strategic', 'key', 'develop', 'maintain', 'insufficient', 'excluded', 'invalid'];

export interface CapacityPlan {
  demand: number;
  capacity: number;
  /** Hours over capacity; 0 when the plan fits. */
  over: number;
  /** Accounts to drop from the plan, lowest tiers and scores first, until it fits. */
  cuts: number[];
  byTier: Record<TierId, { accounts: number; hours: number }>;
  finding?: Message;
}

/**
 * Hours per account against the hours available (docs/rules.md §4): when demand exceeds capacity, say
 * by how much and cut from the lowest tiers first (within a tier, the lowest score first).
 */
export function capacityPlan(outcomes: ArrayLike<OutcomeId>, scores: ArrayLike<number | null>, capacity: number, rules: RuleSet): CapacityPlan {
  // Infinity is allowed: no limit on the hours (the pane before the user gives one).
  const byTier = Object.fromEntries((['strategic', 'key', 'develop', 'maintain', 'excluded', 'insufficient'] as const).map((t) => [t, { accounts: 0, hours: 0 }])) as Record<
    TierId,
    { accounts: number; hours: number }
  >;
  const usable = usableRules(rules);
  const count = lengthOf(outcomes);
  const refused = !usable ? badRules : typeof capacity !== 'number' || !(capacity >= 0) ? badArgument('capacity', 'a number of hours, 0 or more') : undefined;
  if (refused) return { demand: 0, capacity: typeof capacity === 'number' ? capacity : NaN, over: 0, cuts: [], byTier, finding: refused };
  rules = usable as RuleSet;
  let demand = 0;
  const order: number[] = [];
  for (let i = 0; i < count; i++) {
    const outcome = outcomes[i] as OutcomeId;
    const hours = hoursPerMonth(outcome, rules);
    demand += hours;
    if (own(byTier, outcome)) {
      byTier[outcome as TierId].accounts++;
      byTier[outcome as TierId].hours += hours;
    }
    if (hours > 0) order.push(i);
  }
  const over = Math.max(0, demand - capacity);
  const cuts: number[] = [];
  if (over > 0) {
    const rank = (i: number): number => KEEP_ORDER.indexOf(outcomes[i] as OutcomeId);
    const score = (i: number): number => {
      const x = scores[i];
      return x === null || x === undefined || x !== x ? -1 : x;
    };
    order.sort((a, b) => rank(b) - rank(a) || score(a) - score(b) || a - b);
    let remaining = demand;
    for (const i of order) {
      if (remaining <= capacity) break;
      cuts.push(i);
      remaining -= hoursPerMonth(outcomes[i] as OutcomeId, rules);
    }
  }
  const plan: CapacityPlan = { demand, capacity, over, cuts, byTier };
  if (over > 0) plan.finding = message('overCapacity', { demand, capacity, over });
  return plan;
}

/** The hours of a capacity plan without the rows to cut: what a caller that counts its rows instead of keeping them can have. */
export interface CapacityTotals {
  demand: number;
  capacity: number;
  over: number;
  /** How many accounts a plan would cut (lowest tiers first) until it fits. */
  cutCount: number;
  byTier: Record<TierId, { accounts: number; hours: number }>;
  finding?: Message;
}

/**
 * capacityPlan's totals from the number of accounts per outcome: the hours depend on the tier
 * alone, so the counts say as much as the rows (a streamed file counts them as it goes).
 */
export function capacityTotals(counts: Readonly<Partial<Record<OutcomeId, number>>>, capacity: number, rules: RuleSet): CapacityTotals {
  const byTier = Object.fromEntries((['strategic', 'key', 'develop', 'maintain', 'excluded', 'insufficient'] as const).map((t) => [t, { accounts: 0, hours: 0 }])) as Record<
    TierId,
    { accounts: number; hours: number }
  >;
  const usable = usableRules(rules);
  const refused = !usable ? badRules : typeof capacity !== 'number' || !(capacity >= 0) ? badArgument('capacity', 'a number of hours, 0 or more') : undefined;
  if (refused || !usable) return { demand: 0, capacity: typeof capacity === 'number' ? capacity : NaN, over: 0, cutCount: 0, byTier, finding: refused };
  const countOf = (outcome: OutcomeId): number => {
    const n: unknown = isObject(counts) ? own(counts, outcome) : undefined;
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 0;
  };
  let demand = 0;
  for (const outcome of KEEP_ORDER) {
    const hours = hoursPerMonth(outcome, usable);
    demand += countOf(outcome) * hours;
    if (own(byTier, outcome)) {
      byTier[outcome as TierId].accounts += countOf(outcome);
      byTier[outcome as TierId].hours += countOf(outcome) * hours;
    }
  }
  const over = Math.max(0, demand - capacity);
  // Cut from the tier kept last, account by account (each of a tier needs the same hours).
  let cutCount = 0;
  let remaining = demand;
  for (const outcome of [...KEEP_ORDER].reverse()) {
    const hours = hoursPerMonth(outcome, usable);
    if (remaining <= capacity) break;
    if (!(hours > 0)) continue;
    const cut = Math.min(countOf(outcome), Math.ceil((remaining - capacity) / hours));
    cutCount += cut;
    remaining -= cut * hours;
  }
  const totals: CapacityTotals = { demand, capacity, over, cutCount, byTier };
  if (over > 0) totals.finding = message('overCapacity', { demand, capacity, over });
  return totals;
}

/**
 * Priority rank 1..n: by tier (Strategic first, then Key, Develop, Maintain, Insufficient data,
 * Excluded, invalid), then by score, highest first; ties keep sheet order.
 */
export function priorityRanks(outcomes: ArrayLike<OutcomeId>, scores: ArrayLike<number | null>): number[] {
  const count = lengthOf(outcomes);
  if (!isObject(scores) && typeof scores !== 'string') scores = [];
  const order = Array.from({ length: count }, (_, i) => i);
  const tier = (i: number): number => KEEP_ORDER.indexOf(outcomes[i] as OutcomeId);
  const score = (i: number): number => {
    const s = scores[i];
    return s === null || s === undefined || s !== s ? -1 : s;
  };
  order.sort((a, b) => tier(a) - tier(b) || score(b) - score(a) || a - b);
  const ranks = new Array<number>(count);
  order.forEach((row, position) => (ranks[row] = position + 1));
  return ranks;
}

// ---- Portfolio (McDonald & Woodburn) ----

export const QUADRANT_IDS = ['strategic', 'star', 'status', 'streamline'] as const;
export type QuadrantId = (typeof QUADRANT_IDS)[number];

/** Attractiveness (the score) against relative strength (coverage or a 0–100 rating), split at the rule set's cut-offs. */
export function portfolioQuadrant(attractiveness: number, strength: number, rules: RuleSet): QuadrantId {
  // Without usable rules (or numbers) nothing is high: the quadrant that asks for the least effort.
  const portfolio = usableRules(rules)?.portfolio;
  const highA = portfolio !== undefined && attractiveness >= portfolio.attractivenessSplit;
  const highS = portfolio !== undefined && strength >= portfolio.strengthSplit;
  return highA ? (highS ? 'strategic' : 'star') : highS ? 'status' : 'streamline';
}

/** The portfolio-size warnings: too many key accounts in count or in share of all customers. */
export function portfolioWarnings(counts: Readonly<Record<OutcomeId, number>>, rules: RuleSet): Message[] {
  const usable = usableRules(rules);
  if (!usable) return [badRules];
  const p = usable.portfolio;
  const countOf = (id: string): number => {
    const n = own(counts as Record<string, unknown>, id);
    return typeof n === 'number' && n >= 0 && Number.isFinite(n) ? n : 0;
  };
  const total = (['strategic', 'key', 'develop', 'maintain', 'excluded', 'insufficient', 'invalid'] as const).reduce((a, id) => a + countOf(id), 0);
  const keyCount = p.keyTiers.reduce((sum, t) => sum + countOf(t), 0);
  const warnings: Message[] = [];
  if (keyCount > p.maxKeyAccounts) warnings.push(message('tooManyKeyAccounts', { count: keyCount, max: p.maxKeyAccounts }));
  if (total > 0 && keyCount / total > p.maxKeyShare) {
    warnings.push(message('keyShareTooHigh', { count: keyCount, total, share: keyCount / total, maxShare: p.maxKeyShare }));
  }
  return warnings;
}

/** The length of an array-like argument; 0 for anything else (or an absurd length). */
function lengthOf(v: unknown): number {
  const n = typeof v === 'string' ? v.length : isObject(v) ? v.length : 0;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= 2 ** 27 ? n : 0;
}
