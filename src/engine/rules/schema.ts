import { z } from 'zod';
import { SCORE_TIER_IDS, TIER_IDS } from '../types';

// Messages below are keys of RULE_ISSUE_PACKS (./issues.ts), rendered in the reader's language.

/**
 * The rule set as a versioned document. This schema is the single declaration of its shape:
 * the TypeScript types, JSON validation and the workbook table codec all derive from it.
 */
export const RULES_SCHEMA_ID = 'kam-rules';
export const RULES_VERSION = 1;

/** Criteria and knock-outs are kept in 32-bit masks on the batch path. */
export const MAX_CRITERIA = 32;
export const MAX_KNOCKOUTS = 32;

/**
 * Names that every plain object already has (`constructor`, `toString`, `valueOf`, …): an id that
 * is one of them would find Object.prototype's member in a lookup that forgets to ask for an own
 * key, in this code or a user's script, so it is refused whatever its case.
 */
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype).map((n) => n.toLowerCase()));
export const isPrototypeName = (id: string): boolean => PROTOTYPE_NAMES.has(id.toLowerCase());

const identifier = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'identifier')
  .refine((id) => !isPrototypeName(id), 'reservedId');
const text = z.string().trim().min(1, 'notEmpty');
const localized = z.strictObject({ en: text, zh: text });
const finite = z.number().refine(Number.isFinite, 'finite');
const fraction = finite.refine((x) => x >= 0 && x <= 1, 'fraction');
const nonNegative = finite.refine((x) => x >= 0, 'nonNegative');

/**
 * The weights' sum must be a normal number that stays finite when multiplied by 100 points: the
 * smallest positive normal double, and the largest double over 100.
 */
export const MIN_WEIGHT_SUM = 2.2250738585072014e-308;
export const MAX_WEIGHT_SUM = Number.MAX_VALUE / 100;

export const UNITS = ['currency', 'fraction', 'days', 'rating', 'number'] as const;
export type Unit = (typeof UNITS)[number];

export const criterionSchema = z
  .strictObject({
    id: identifier,
    label: localized,
    unit: z.enum(UNITS),
    better: z.enum(['higher', 'lower']),
    /** Linear points: 0 at the worse end of [min, max], 100 at the better end, clamped outside. */
    curve: z.strictObject({ type: z.literal('linear'), min: finite, max: finite }),
    weight: nonNegative,
    /** Score `max(input − other input, 0)` instead of the input (wallet → headroom over sales). */
    headroomOver: identifier.optional(),
    /** Inputs outside this range are reported as problems, not scored. */
    validMin: finite.optional(),
    validMax: finite.optional(),
    /** Column headers that mean this criterion, besides its id and labels. */
    aliases: z.array(text).default([]),
    /** An account with this input blank is Insufficient data, whatever the other criteria say. */
    required: z.boolean().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.curve.max <= c.curve.min) {
      ctx.addIssue({ code: 'custom', path: ['curve', 'max'], message: 'curveMaxAboveMin', params: { min: c.curve.min } });
    }
    if (c.validMin !== undefined && c.validMax !== undefined && c.validMax < c.validMin) {
      ctx.addIssue({ code: 'custom', path: ['validMax'], message: 'validMaxBelowMin', params: { min: c.validMin } });
    }
  });

export const OPERATORS = ['<', '<=', '>', '>=', '='] as const;
export type Operator = (typeof OPERATORS)[number];

export const knockoutSchema = z.strictObject({
  id: identifier,
  /** `exclude` decides the tier (Excluded); `flag` only marks the account. */
  effect: z.enum(['exclude', 'flag']),
  /** All must hold, and every input they read must be present, for the rule to fire. */
  when: z.array(z.strictObject({ criterion: identifier, op: z.enum(OPERATORS), value: finite })).min(1, 'needsCondition'),
  reason: localized,
});

const scoreTier = z.strictObject({ minScore: finite.refine((x) => x >= 0 && x <= 100, 'percentScale'), label: localized });
const labelOnly = z.strictObject({ label: localized });
const tierIdList = z.array(z.enum(TIER_IDS));
/** An ISO 4217 currency code, upper-case (CNY, EUR, USD). */
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'currencyCode');
/** One row of the FX table: what one unit of `code` is worth in the rule set's currency, as of `date`. */
const fxRate = z.strictObject({
  code: currencyCode,
  rate: finite.refine((x) => x > 0, 'positive'),
  /** The day the rate was taken, yyyy-mm-dd: shown beside every converted amount. */
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'isoDate')
    .optional(),
});

export const ruleSetSchema = z
  .strictObject({
    schema: z.literal(RULES_SCHEMA_ID),
    version: z.literal(RULES_VERSION),
    name: text,
    criteria: z.array(criterionSchema).min(1, 'needsCriterion').max(MAX_CRITERIA),
    missingData: z.strictObject({
      /** Below this share of the total weight present, the account is Insufficient data. */
      minWeightShare: fraction,
    }),
    knockouts: z.array(knockoutSchema).max(MAX_KNOCKOUTS),
    /**
     * The currency the amount criteria's curves are in (docs/rules.md §6). Without it amounts are
     * scored as they are; with it, each account's amounts are converted first (see `fx`).
     */
    currency: currencyCode.optional(),
    /** Rates to `currency`, one row per other currency an account may be in. */
    fx: z.array(fxRate).optional(),
    tiers: z.strictObject({
      strategic: scoreTier,
      key: scoreTier,
      develop: scoreTier,
      maintain: labelOnly,
      excluded: labelOnly,
      insufficient: labelOnly,
    }),
    relationships: z.strictObject({
      minSolidContacts: nonNegative,
      /** Contacts beyond this many add no more depth. */
      depthCap: finite.refine((x) => x >= 1, 'atLeastOne'),
      depthPoints: nonNegative,
      decisionMakerPoints: nonNegative,
      coachPoints: nonNegative,
      balancePoints: nonNegative,
      /** A contact rated at least this (−5..+5) counts as solid; by default, supporters only. */
      solidMinRating: finite,
      /** Ratings that the stance words stand for. */
      supporterRating: finite,
      opponentRating: finite,
    }),
    priorities: z.strictObject({
      hoursPerMonth: z.strictObject({
        strategic: nonNegative,
        key: nonNegative,
        develop: nonNegative,
        maintain: nonNegative,
        excluded: nonNegative,
        insufficient: nonNegative,
      }),
      /** Upper bounds of the horizon buckets in months, ascending; beyond the last is the last bucket. */
      horizonMonths: z.array(nonNegative).min(1),
      /** Tiers that get a senior-management visit when the decision maker is not on side. */
      seniorVisitTiers: tierIdList,
      /** Tiers that must have something landing within `landingWithinMonths`. */
      landingTiers: tierIdList,
      landingWithinMonths: nonNegative,
      /** Tiers flagged when only short-term needs are recorded. */
      longTermNeedTiers: tierIdList,
    }),
    portfolio: z.strictObject({
      keyTiers: tierIdList,
      maxKeyAccounts: nonNegative,
      maxKeyShare: fraction,
      attractivenessSplit: finite,
      strengthSplit: finite,
    }),
  })
  .superRefine((rules, ctx) => {
    const ids = new Map<string, number>();
    rules.criteria.forEach((c, i) => {
      const first = ids.get(c.id.toLowerCase());
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['criteria', i, 'id'], message: 'idUsed', params: { id: c.id, first: `criteria[${first}]` } });
      } else ids.set(c.id.toLowerCase(), i);
    });
    rules.criteria.forEach((c, i) => {
      if (c.headroomOver === undefined) return;
      if (!rules.criteria.some((o) => o.id === c.headroomOver) || c.headroomOver === c.id) {
        ctx.addIssue({ code: 'custom', path: ['criteria', i, 'headroomOver'], message: 'notOtherCriterion', params: { id: c.headroomOver } });
      }
    });
    const weightSum = rules.criteria.reduce((sum, c) => sum + c.weight, 0);
    if (weightSum <= 0) {
      ctx.addIssue({ code: 'custom', path: ['criteria'], message: 'allWeightsZero' });
    } else if (!(weightSum >= MIN_WEIGHT_SUM && weightSum <= MAX_WEIGHT_SUM)) {
      // 1e308 + 1e308 is Infinity and 5e-324 is a subnormal: a score computed from either is not a number.
      ctx.addIssue({ code: 'custom', path: ['criteria'], message: 'weightSumRange', params: { sum: weightSum } });
    }
    const knockoutIds = new Set<string>();
    rules.knockouts.forEach((k, i) => {
      if (knockoutIds.has(k.id)) ctx.addIssue({ code: 'custom', path: ['knockouts', i, 'id'], message: 'usedTwice', params: { id: k.id } });
      knockoutIds.add(k.id);
      k.when.forEach((cond, j) => {
        if (!ids.has(cond.criterion.toLowerCase()) || !rules.criteria.some((c) => c.id === cond.criterion)) {
          ctx.addIssue({ code: 'custom', path: ['knockouts', i, 'when', j, 'criterion'], message: 'notCriterion', params: { id: cond.criterion } });
        }
      });
    });
    if (rules.fx !== undefined && rules.fx.length > 0 && rules.currency === undefined) {
      ctx.addIssue({ code: 'custom', path: ['fx'], message: 'fxNeedsCurrency' });
    }
    const fxCodes = new Set<string>();
    (rules.fx ?? []).forEach((r, i) => {
      if (r.code === rules.currency || fxCodes.has(r.code)) ctx.addIssue({ code: 'custom', path: ['fx', i, 'code'], message: 'usedTwice', params: { id: r.code } });
      fxCodes.add(r.code);
    });
    const t = rules.tiers;
    for (let i = 1; i < SCORE_TIER_IDS.length - 1; i++) {
      const higher = SCORE_TIER_IDS[i - 1] as 'strategic' | 'key';
      const lower = SCORE_TIER_IDS[i] as 'key' | 'develop';
      if (t[lower].minScore >= t[higher].minScore) {
        ctx.addIssue({ code: 'custom', path: ['tiers', lower, 'minScore'], message: 'belowHigherTier', params: { tier: higher, min: t[higher].minScore } });
      }
    }
    const h = rules.priorities.horizonMonths;
    for (let i = 1; i < h.length; i++) {
      if ((h[i] as number) <= (h[i - 1] as number)) {
        ctx.addIssue({ code: 'custom', path: ['priorities', 'horizonMonths', i], message: 'ascending' });
      }
    }
  });

/** A valid rule set. */
export type RuleSet = z.output<typeof ruleSetSchema>;
/** A rule set as written in a file, before defaults are applied. */
export type RuleSetInput = z.input<typeof ruleSetSchema>;
export type Criterion = z.output<typeof criterionSchema>;
export type Knockout = z.output<typeof knockoutSchema>;
