/**
 * The pane's pictures as SVG markup: accounts per tier, the score distribution, the portfolio
 * matrix and hours against capacity. Pure functions of their data (tested without a browser);
 * each picture carries a text equivalent in `aria-label` and `<title>`.
 */
import { QUADRANT_PALETTE, TIER_PALETTE } from './palette';
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
        `<text x="0" y="${y + 13}" font-size="12" ${FONT} fill="#242424">${escapeXml(b.label)}</text>` +
        `<rect x="${labelWidth}" y="${y}" width="${Math.max(w, b.count > 0 ? 2 : 0)}" height="16" fill="${TIER_PALETTE[b.outcome].bar}" data-tier="${b.outcome}" data-count="${b.count}"/>` +
        `<text x="${labelWidth + w + 4}" y="${y + 13}" font-size="12" ${FONT} fill="#242424">${b.count}</text>`
      );
    })
    .join('');
  return svg(width, bars.length * row + 8, ariaLabel, body, 'tiers');
}

/**
 * Ten bands of 10 points; each bar takes the colour of the tier its band starts in, with the tier
 * thresholds drawn as dashed lines.
 */
export function histogramSvg(counts: readonly number[], thresholds: { strategic: number; key: number; develop: number }, ariaLabel: string): string {
  const width = 330;
  const height = 140;
  const left = 28;
  const bottom = 20;
  const plotW = width - left - 16;
  const plotH = height - bottom - 8;
  const max = Math.max(1, ...counts);
  const band = plotW / 10;
  const tierOf = (score: number): OutcomeId =>
    score >= thresholds.strategic ? 'strategic' : score >= thresholds.key ? 'key' : score >= thresholds.develop ? 'develop' : 'maintain';
  let body = `<line x1="${left}" y1="${height - bottom}" x2="${left + plotW}" y2="${height - bottom}" stroke="#616161"/>`;
  body += `<text x="${left - 4}" y="14" font-size="10" text-anchor="end" ${FONT} fill="#424242">${max}</text>`;
  counts.forEach((n, i) => {
    const h = Math.round((plotH * n) / max);
    const x = left + i * band + 1;
    body += `<rect x="${x.toFixed(1)}" y="${height - bottom - h}" width="${(band - 2).toFixed(1)}" height="${h}" fill="${TIER_PALETTE[tierOf(i * 10)].bar}" data-band="${i * 10}" data-count="${n}"/>`;
  });
  for (let s = 0; s <= 100; s += 20) {
    body += `<text x="${(left + (s / 10) * band).toFixed(1)}" y="${height - 5}" font-size="10" text-anchor="middle" ${FONT} fill="#424242">${s}</text>`;
  }
  for (const t of [thresholds.strategic, thresholds.key, thresholds.develop]) {
    const x = (left + (t / 10) * band).toFixed(1);
    body += `<line x1="${x}" y1="6" x2="${x}" y2="${height - bottom}" stroke="#242424" stroke-dasharray="3 3"/>`;
  }
  return svg(width, height, ariaLabel, body, 'histogram');
}

export interface MatrixPoint {
  score: number;
  strength: number;
  quadrant: QuadrantId;
  account: string;
}

/**
 * The McDonald/Woodburn matrix: attractiveness (score) up, relationship strength across, split at
 * the rule set's cut-offs into Strategic, Star, Status and Streamline.
 */
export function portfolioSvg(
  points: readonly MatrixPoint[],
  split: { attractiveness: number; strength: number },
  labels: { quadrant: Record<QuadrantId, string>; x: string; y: string },
  ariaLabel: string,
): string {
  const size = 300;
  const left = 34;
  const plot = size - left - 8;
  const px = (strength: number): number => left + (Math.max(0, Math.min(100, strength)) / 100) * plot;
  const py = (score: number): number => 8 + plot - (Math.max(0, Math.min(100, score)) / 100) * plot;
  const sx = px(split.strength);
  const sy = py(split.attractiveness);
  let body = `<rect x="${left}" y="8" width="${plot}" height="${plot}" fill="#FAFAFA" stroke="#616161"/>`;
  body += `<line x1="${sx}" y1="8" x2="${sx}" y2="${8 + plot}" stroke="#616161" stroke-dasharray="4 3"/>`;
  body += `<line x1="${left}" y1="${sy}" x2="${left + plot}" y2="${sy}" stroke="#616161" stroke-dasharray="4 3"/>`;
  const corner = (q: QuadrantId, x: number, y: number, anchor: string): string =>
    `<text x="${x}" y="${y}" font-size="11" font-weight="600" text-anchor="${anchor}" ${FONT} fill="${QUADRANT_PALETTE[q]}">${escapeXml(labels.quadrant[q])}</text>`;
  body += corner('star', left + 4, 22, 'start') + corner('strategic', left + plot - 4, 22, 'end');
  body += corner('streamline', left + 4, 4 + plot, 'start') + corner('status', left + plot - 4, 4 + plot, 'end');
  for (const p of points) {
    body += `<circle cx="${px(p.strength).toFixed(1)}" cy="${py(p.score).toFixed(1)}" r="3.5" fill="${QUADRANT_PALETTE[p.quadrant]}" fill-opacity="0.8" data-quadrant="${p.quadrant}"><title>${escapeXml(`${p.account}: ${p.score} / ${p.strength}`)}</title></circle>`;
  }
  body += `<text x="${left + plot / 2}" y="${size - 6}" font-size="11" text-anchor="middle" ${FONT} fill="#242424">${escapeXml(labels.x)}</text>`;
  body += `<text x="12" y="${8 + plot / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${8 + plot / 2})" ${FONT} fill="#242424">${escapeXml(labels.y)}</text>`;
  return svg(size, size, ariaLabel, body, 'portfolio');
}

/** Hours needed per tier as one stacked bar, against the capacity line when there is one. */
export function hoursSvg(byTier: ReadonlyArray<{ outcome: OutcomeId; label: string; hours: number }>, capacity: number | null, ariaLabel: string): string {
  const width = 320;
  const height = 64;
  const demand = byTier.reduce((s, t) => s + t.hours, 0);
  const scale = Math.max(1, demand, capacity ?? 0);
  const plot = width - 10;
  let x = 0;
  let body = '';
  for (const t of byTier) {
    if (t.hours <= 0) continue;
    const w = (plot * t.hours) / scale;
    body += `<rect x="${x.toFixed(1)}" y="8" width="${w.toFixed(1)}" height="22" fill="${TIER_PALETTE[t.outcome].bar}" data-tier="${t.outcome}" data-hours="${t.hours}"><title>${escapeXml(`${t.label}: ${t.hours}`)}</title></rect>`;
    x += w;
  }
  if (capacity !== null) {
    const cx = ((plot * capacity) / scale).toFixed(1);
    body += `<line x1="${cx}" y1="2" x2="${cx}" y2="36" stroke="#C50F1F" stroke-width="2" data-capacity="${capacity}"/>`;
    body += `<text x="${cx}" y="52" font-size="11" text-anchor="middle" ${FONT} fill="#C50F1F">${capacity}</text>`;
  }
  body += `<text x="0" y="52" font-size="11" ${FONT} fill="#242424">0</text>`;
  return svg(width, height, ariaLabel, body, 'hours');
}
