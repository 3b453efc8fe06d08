/**
 * Tier colours: light fills with dark text, each pair at least 4.5:1 contrast (WCAG AA), used by
 * the sheet's conditional formats (the pane's and kam's) and the pane's pictures alike.
 */
import { outcomeLabel } from '../evaluate';
import { LABEL_PACKS } from '../i18n/labels';
import type { RuleSet } from '../rules/schema';
import { LANGUAGES, OUTCOME_IDS, type OutcomeId } from '../types';

export const TIER_PALETTE: Readonly<Record<OutcomeId, { fill: string; font: string; bar: string }>> = {
  // `bar` marks the pane's charts: at least 3:1 against the light pane (WCAG 1.4.11).
  strategic: { fill: '#C6EFCE', font: '#0B5A1E', bar: '#2E8540' },
  key: { fill: '#DDEBF7', font: '#1F4E78', bar: '#2F6DB5' },
  develop: { fill: '#FFEB9C', font: '#6B4700', bar: '#946800' },
  maintain: { fill: '#E7E6E6', font: '#3A3A3A', bar: '#707070' },
  excluded: { fill: '#FFC7CE', font: '#8B0009', bar: '#C0392B' },
  insufficient: { fill: '#F2F2F2', font: '#4F4F4F', bar: '#8C8C8C' },
  invalid: { fill: '#FCE4D6', font: '#7A3509', bar: '#B35A1A' },
};

/** A conditional format: cells whose value equals `text` get these colours ("#RRGGBB"). */
export interface TierColour {
  text: string;
  fill: string;
  font: string;
}

/**
 * One conditional format per tier label, in every language the rules carry: a live KAM.TIER
 * formula and a value written by a colleague in another language colour the same.
 */
export function tierColours(rules: RuleSet): TierColour[] {
  const seen = new Set<string>();
  const out: TierColour[] = [];
  for (const outcome of OUTCOME_IDS) {
    for (const lang of LANGUAGES) {
      const text = outcomeLabel(rules, outcome, lang);
      if (seen.has(text)) continue;
      seen.add(text);
      const { fill, font } = TIER_PALETTE[outcome];
      out.push({ text, fill, font });
    }
  }
  return out;
}

/** Each quadrant of the portfolio matrix takes the colour of the tier it is closest to. */
export const QUADRANT_TIER = { strategic: 'strategic', star: 'key', status: 'develop', streamline: 'maintain' } as const;

/**
 * The colour ("#RRGGBB") of each tier and quadrant label, in every language, for charts drawn
 * outside the pane (kam's KAM Summary sheet): the marks of the pane's own pictures.
 */
export function chartColours(rules: RuleSet): Map<string, string> {
  const colours = new Map<string, string>();
  for (const lang of LANGUAGES) {
    for (const outcome of OUTCOME_IDS) colours.set(outcomeLabel(rules, outcome, lang), TIER_PALETTE[outcome].bar);
    for (const [quadrant, tier] of Object.entries(QUADRANT_TIER)) colours.set(LABEL_PACKS[lang].quadrant[quadrant as keyof typeof QUADRANT_TIER], TIER_PALETTE[tier].bar);
  }
  return colours;
}
