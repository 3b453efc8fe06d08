/**
 * The pane's pictures as SVG markup: accounts per tier, the score distribution, the portfolio
 * matrix and hours against capacity. Pure functions of their data (tested without a browser).
 * Each picture carries a text equivalent in `aria-label` and `<title>`, and its values as text
 * in the picture itself: colour is never the only way to read it. Text and lines are drawn in
 * `currentColor` and marks carry a class per tier, so the pane's stylesheet (styles.ts) recolours
 * them for the dark theme and for forced colours; the `fill` attributes are the light theme.
 */
import { QUADRANT_PALETTE, QUADRANT_TIER, TIER_PALETTE } from './palette';
import type { OutcomeId } from '../engine/types';
import type { QuadrantId } from '../engine';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function svg(width: number, height: number, label: string, body: string, id: string): string {
  const l = escapeXml(label);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${l}" data-chart="${id}"><title>${l}</title>${body}</svg>`;
}

const FONT = `font-family="Segoe UI, 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif"`;

/** Chart text: the pane's text colour, whatever the theme. */
function text(x: number | string, y: number | string, content: string, attrs = ''): string {
  const extra = /class="([^"]*)"/.exec(attrs)?.[1];
  const rest = attrs.replace(/class="[^"]*"\s*/, '');
  return `<text class="chart-text${extra ? ` ${extra}` : ''}" x="${x}" y="${y}" ${rest} ${FONT} fill="currentColor">${escapeXml(content)}</text>`;
}

function markClass(outcome: OutcomeId): string {
  return `mark mark-${outcome}`;
}

export interface TierBar {
  outcome: OutcomeId;
  label: string;
  count: number;
}

/** Horizontal bars, one per tier, with the label and the count beside each. */
export function tierBarsSvg(bars: readonly TierBar[], ariaLabel: string): string {
  const width = 320;
  const row = 22;
  const labelWidth = 110;
  const max = Math.max(1, ...bars.map((b) => b.count));
  const body = bars
    .map((b, i) => {
      const y = i * row + 4;
      const w = Math.round(((width - labelWidth - 40) * b.count) / max);
      return (
        text(0, y + 13, b.label, 'font-size="12"') +
        `<rect class="${markClass(b.outcome)}" x="${labelWidth}" y="${y}" width="${Math.max(w, b.count > 0 ? 2 : 0)}" height="16" fill="${TIER_PALETTE[b.outcome].bar}" data-tier="${b.outcome}" data-count="${b.count}"/>` +
        text(labelWidth + w + 4, y + 13, String(b.count), 'font-size="12"')
      );
    })
    .join('');
  return svg(width, bars.length * row + 8, ariaLabel, body, 'tiers');
}

/** "0–9: 0, 10–19: 2, …": the histogram's bands as text, for its text equivalent. */
export function bandsText(counts: readonly number[]): string {
  return counts.map((n, i) => `${i * 10}–${i === counts.length - 1 ? 100 : i * 10 + 9}: ${n}`).join(', ');
}

/**
 * Ten bands of 10 points; each bar takes the colour of the tier its band starts in and shows its
 * count above it, with the tier thresholds drawn as dashed lines.
 */
export function histogramSvg(counts: readonly number[], thresholds: { strategic: number; key: number; develop: number }, ariaLabel: string): string {
  const width = 330;
  const height = 150;
  const left = 28;
  const bottom = 20;
  const top = 18;
  const plotW = width - left - 16;
  const plotH = height - bottom - top;
  const max = Math.max(1, ...counts);
  const band = plotW / 10;
  const tierOf = (score: number): OutcomeId =>
    score >= thresholds.strategic ? 'strategic' : score >= thresholds.key ? 'key' : score >= thresholds.develop ? 'develop' : 'maintain';
  let body = `<line x1="${left}" y1="${height - bottom}" x2="${left + plotW}" y2="${height - bottom}" stroke="currentColor"/>`;
  let values = '';
  counts.forEach((n, i) => {
    const h = Math.round((plotH * n) / max);
    const x = left + i * band + 1;
    const tier = tierOf(i * 10);
    body += `<rect class="${markClass(tier)}" x="${x.toFixed(1)}" y="${height - bottom - h}" width="${(band - 2).toFixed(1)}" height="${h}" fill="${TIER_PALETTE[tier].bar}" data-band="${i * 10}" data-count="${n}"/>`;
    values += text((x + (band - 2) / 2).toFixed(1), height - bottom - h - 3, String(n), `class="chart-value" font-size="10" text-anchor="middle" data-band-count="${i * 10}"`);
  });
  for (let s = 0; s <= 100; s += 20) body += text((left + (s / 10) * band).toFixed(1), height - 5, String(s), 'font-size="10" text-anchor="middle"');
  for (const t of [thresholds.strategic, thresholds.key, thresholds.develop]) {
    const x = (left + (t / 10) * band).toFixed(1);
    body += `<line class="chart-line" x1="${x}" y1="4" x2="${x}" y2="${height - bottom}" stroke="currentColor" stroke-dasharray="3 3"/>`;
  }
  // The counts go over the threshold lines, on a halo of the background, so a line never crosses a figure.
  body += values;
  return svg(width, height, ariaLabel, body, 'histogram');
}

export interface MatrixPoint {
  score: number;
  strength: number;
  quadrant: QuadrantId;
  account: string;
}

const QUADRANTS: readonly QuadrantId[] = ['strategic', 'star', 'status', 'streamline'];

/** How many accounts fall in each quadrant. */
export function quadrantCounts(points: readonly MatrixPoint[]): Record<QuadrantId, number> {
  const counts = Object.fromEntries(QUADRANTS.map((q) => [q, 0])) as Record<QuadrantId, number>;
  for (const p of points) counts[p.quadrant] += 1;
  return counts;
}

/**
 * The McDonald/Woodburn matrix: attractiveness (score) up, relationship strength across, split at
 * the rule set's cut-offs into Strategic, Star, Status and Streamline; each corner says how many
 * accounts it holds (`labels.count` words it: "Star (5)" by default).
 */
export function portfolioSvg(
  points: readonly MatrixPoint[],
  split: { attractiveness: number; strength: number },
  labels: { quadrant: Record<QuadrantId, string>; x: string; y: string; count?: (label: string, count: number) => string },
  ariaLabel: string,
): string {
  const size = 300;
  const left = 34;
  const plot = size - left - 8;
  const px = (strength: number): number => left + (Math.max(0, Math.min(100, strength)) / 100) * plot;
  const py = (score: number): number => 8 + plot - (Math.max(0, Math.min(100, score)) / 100) * plot;
  const sx = px(split.strength);
  const sy = py(split.attractiveness);
  const counts = quadrantCounts(points);
  const countText = labels.count ?? ((label: string, n: number) => `${label} (${n})`);
  let body = `<rect class="chart-frame" x="${left}" y="8" width="${plot}" height="${plot}" fill="none" stroke="currentColor"/>`;
  body += `<line class="chart-line" x1="${sx}" y1="8" x2="${sx}" y2="${8 + plot}" stroke="currentColor" stroke-dasharray="4 3"/>`;
  body += `<line class="chart-line" x1="${left}" y1="${sy}" x2="${left + plot}" y2="${sy}" stroke="currentColor" stroke-dasharray="4 3"/>`;
  const corner = (q: QuadrantId, x: number, y: number, anchor: string): string =>
    text(x, y, countText(labels.quadrant[q], counts[q]), `font-size="12" font-weight="600" text-anchor="${anchor}" data-quadrant-label="${q}"`);
  body += corner('star', left + 4, 22, 'start') + corner('strategic', left + plot - 4, 22, 'end');
  body += corner('streamline', left + 4, 2 + plot, 'start') + corner('status', left + plot - 4, 2 + plot, 'end');
  for (const p of points) {
    body += `<circle class="${markClass(QUADRANT_TIER[p.quadrant])}" cx="${px(p.strength).toFixed(1)}" cy="${py(p.score).toFixed(1)}" r="3.5" fill="${QUADRANT_PALETTE[p.quadrant]}" data-quadrant="${p.quadrant}"><title>${escapeXml(`${p.account}: ${p.score} / ${p.strength}`)}</title></circle>`;
  }
  body += text(left + plot / 2, size - 6, labels.x, 'font-size="11" text-anchor="middle"');
  body += text(12, 8 + plot / 2, labels.y, `font-size="11" text-anchor="middle" transform="rotate(-90 12 ${8 + plot / 2})"`);
  return svg(size, size, ariaLabel, body, 'portfolio');
}

/**
 * Hours needed per tier as one stacked bar (segments apart by a gap, so neighbours need not
 * contrast), against the capacity line when there is one, with each tier's hours listed below it
 * (`valueText` words them: "Strategic: 32" by default).
 */
export function hoursSvg(
  byTier: ReadonlyArray<{ outcome: OutcomeId; label: string; hours: number }>,
  capacity: number | null,
  ariaLabel: string,
  valueText: (label: string, hours: number) => string = (label, hours) => `${label}: ${hours}`,
): string {
  const width = 320;
  const shown = byTier.filter((t) => t.hours > 0);
  const legendTop = 62;
  const height = legendTop + shown.length * 18;
  const demand = shown.reduce((s, t) => s + t.hours, 0);
  const scale = Math.max(1, demand, capacity ?? 0);
  const plot = width - 10;
  let x = 0;
  let body = '';
  for (const t of shown) {
    const w = (plot * t.hours) / scale;
    body += `<rect class="${markClass(t.outcome)}" x="${x.toFixed(1)}" y="8" width="${Math.max(w - 2, 1).toFixed(1)}" height="22" fill="${TIER_PALETTE[t.outcome].bar}" data-tier="${t.outcome}" data-hours="${t.hours}"><title>${escapeXml(valueText(t.label, t.hours))}</title></rect>`;
    x += w;
  }
  if (capacity !== null) {
    const cx = ((plot * capacity) / scale).toFixed(1);
    body += `<line class="chart-capacity" x1="${cx}" y1="2" x2="${cx}" y2="36" stroke="#C50F1F" stroke-width="2" data-capacity="${capacity}"/>`;
    body += `<text class="chart-capacity-text" x="${cx}" y="50" font-size="11" text-anchor="middle" ${FONT} fill="#C50F1F">${capacity}</text>`;
  }
  body += text(0, 50, '0', 'font-size="11"');
  shown.forEach((t, i) => {
    const y = legendTop + i * 18;
    body += `<rect class="${markClass(t.outcome)}" x="0" y="${y}" width="12" height="12" fill="${TIER_PALETTE[t.outcome].bar}"/>`;
    body += text(18, y + 10, valueText(t.label, t.hours), `font-size="12" data-hours-label="${t.outcome}"`);
  });
  return svg(width, height, ariaLabel, body, 'hours');
}
