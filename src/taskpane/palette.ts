/**
 * Tier colours: light fills with dark text, each pair at least 4.5:1 contrast (WCAG AA), used by
 * the sheet's conditional formats and the pane's pictures alike.
 */
import type { OutcomeId } from '../engine/types';
import { TIER_PALETTE } from '../engine/report/palette';

// The tier colours are declared once, in the engine's report module, for the pane and for `kam`.
export { QUADRANT_TIER, TIER_PALETTE, tierColours } from '../engine/report/palette';

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

export const QUADRANT_PALETTE = {
  strategic: TIER_PALETTE.strategic.bar,
  star: TIER_PALETTE.key.bar,
  status: TIER_PALETTE.develop.bar,
  streamline: TIER_PALETTE.maintain.bar,
} as const;

/** The pane's backgrounds the marks are checked against (Fluent's light and dark neutrals). */
export const PANE_BACKGROUNDS = { light: ['#FFFFFF', '#FAFAFA'], dark: ['#292929', '#1F1F1F'] } as const;

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
