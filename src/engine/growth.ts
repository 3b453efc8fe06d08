import { coerceInput } from './coerce';
import { message, type Message } from './i18n/messages';
import type { CellValue } from './types';
import { badArgument } from './guard';

export type GrowthResult = { ok: true; growth: number; periods: number } | { ok: false; problem: Message; excelError?: string };

const PERIOD_TOTAL = { id: 'periodTotal', unit: 'currency', validMin: 0 } as const;

/**
 * Growth per period from a series of period totals, oldest first: the compound rate
 * (last / first)^(1 / (periods − 1)) − 1, as analysts compute CAGR. Blanks before the first and
 * after the last total are ignored (a range is often longer than the data); a blank between totals
 * is a problem, since reading it as 0 would be a guess.
 */
export function growthFromSeries(series: readonly CellValue[]): GrowthResult {
  if (!Array.isArray(series)) return { ok: false, problem: badArgument('series', 'an array of period totals') };
  const totals: Array<number | null> = [];
  for (const raw of series as readonly unknown[]) {
    const c = coerceInput(raw, PERIOD_TOTAL);
    if (c.kind === 'problem') return c.excelError === undefined ? { ok: false, problem: c.problem } : { ok: false, problem: c.problem, excelError: c.excelError };
    totals.push(c.kind === 'value' ? c.value : null);
  }
  const first = totals.findIndex((t) => t !== null);
  let last = totals.length - 1;
  while (last >= 0 && totals[last] === null) last--;
  const count = first < 0 ? 0 : last - first + 1;
  if (count < 2) return { ok: false, problem: message('seriesTooShort', { count: Math.max(count, 0) }) };
  for (let i = first; i <= last; i++) {
    if (totals[i] === null) return { ok: false, problem: message('seriesGap', { position: i + 1 }) };
  }
  const start = totals[first] as number;
  const end = totals[last] as number;
  if (start <= 0) return { ok: false, problem: message('seriesStartsAtZero', { value: start }) };
  return { ok: true, growth: Math.pow(end / start, 1 / (count - 1)) - 1, periods: count };
}
