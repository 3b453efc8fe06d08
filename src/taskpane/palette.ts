/**
 * Tier colours: light fills with dark text, each pair at least 4.5:1 contrast (WCAG AA), used by
 * the sheet's conditional formats and the pane's pictures alike.
 */
import { outcomeLabel, type RuleSet } from '../engine';
import { LANGUAGES, OUTCOME_IDS, type OutcomeId } from '../engine/types';
import type { TierColour } from '../gateway/types';

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

/** The same marks on the dark theme: at least 3:1 against its backgrounds. */
export const TIER_BAR_DARK: Readonly<Record<OutcomeId, string>> = {
  strategic: '#5DBB6E',
  key: '#6FA8E8',
  develop: '#D9A21B',
  maintain: '#A8A8A8',
  excluded: '#F0857A',
  insufficient: '#8C8C8C',
  invalid: '#EE9252',
};

/** Each quadrant of the portfolio matrix takes the colour of the tier it is closest to. */
export const QUADRANT_TIER = { strategic: 'strategic', star: 'key', status: 'develop', streamline: 'maintain' } as const;

export const QUADRANT_PALETTE = {
  strategic: TIER_PALETTE.strategic.bar,
  star: TIER_PALETTE.key.bar,
  status: TIER_PALETTE.develop.bar,
  streamline: TIER_PALETTE.maintain.bar,
} as const;

/** The pane's backgrounds the marks are checked against (Fluent's light and dark neutrals). */
export const PANE_BACKGROUNDS = { light: ['#FFFFFF', '#FAFAFA'], dark: ['#292929', '#1F1F1F'] } as const;

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

/** WCAG relative luminance of "#RRGGBB". */
export function luminance(hex: string): number {
  const channel = (i: number): number => {
    const v = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
