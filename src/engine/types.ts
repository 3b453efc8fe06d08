/** Languages the product speaks. Every user-facing text exists in each of them. */
export const LANGUAGES = ['en', 'zh'] as const;
export type Lang = (typeof LANGUAGES)[number];

/** A language argument as the engine uses it: one it speaks, else English (never a lookup of `constructor`). */
export function langOf(lang: unknown): Lang {
  return (LANGUAGES as readonly unknown[]).includes(lang) ? (lang as Lang) : 'en';
}

/** A text given in every language, as it appears in rule sets (labels, reasons). */
export type Localized = Record<Lang, string>;

/** Score tiers in order, best first. Ids are stable: they are stored in workbooks. */
export const SCORE_TIER_IDS = ['strategic', 'key', 'develop', 'maintain'] as const;
export type ScoreTierId = (typeof SCORE_TIER_IDS)[number];

/** Verdicts that override the score: a knock-out rule, or too little data. */
export const VERDICT_TIER_IDS = ['excluded', 'insufficient'] as const;
export type VerdictTierId = (typeof VERDICT_TIER_IDS)[number];

/** Every tier a rule set labels. */
export const TIER_IDS = [...SCORE_TIER_IDS, ...VERDICT_TIER_IDS] as const;
export type TierId = (typeof TIER_IDS)[number];

/**
 * The outcome of evaluating an account: a tier, or `invalid` when an input could not be read
 * (the account is not scored rather than scored on a guess).
 */
export type OutcomeId = TierId | 'invalid';
export const OUTCOME_IDS: readonly OutcomeId[] = [...TIER_IDS, 'invalid'];

/** The value a spreadsheet cell can hand us: Excel, exceljs, CSV text and JSON all fit here (dates are reported, not scored). */
export type CellValue = number | string | boolean | Date | null | undefined;
