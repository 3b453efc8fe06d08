import type { BatchResult } from '../src/engine';

/**
 * The practical limit the kernel is measured against: the default rule set's weighted sum with its
 * seven curves written out, over numbers already in typed arrays. No coercion, no blanks, no
 * knock-outs, no tiers, no rounding.
 */

/** Seven Float64Array columns: the coerced inputs, NaN where blank. */
export interface BareColumns {
  sales: Float64Array;
  margin: Float64Array;
  growth: Float64Array;
  wallet: Float64Array;
  paymentDays: Float64Array;
  access: Float64Array;
  openness: Float64Array;
}

/** The engine's coerced inputs (kept row-major with `keepValues`) as one Float64Array per criterion. */
export function bareColumns(result: BatchResult): BareColumns {
  const values = result.values;
  if (!values) throw new Error('bareColumns needs a batch scored with keepValues');
  const n = result.rowCount;
  const width = values.length / n;
  const column = (i: number): Float64Array => {
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) out[r] = values[r * width + i] as number;
    return out;
  };
  return {
    sales: column(0),
    margin: column(1),
    growth: column(2),
    wallet: column(3),
    paymentDays: column(4),
    access: column(5),
    openness: column(6),
  };
}

const clamp01 = (t: number): number => (t <= 0 ? 0 : t >= 1 ? 1 : t);

/** One account's unrounded score under the default rules, all seven inputs present. */
export function bareScore(sales: number, margin: number, growth: number, wallet: number, days: number, access: number, openness: number): number {
  return (
    20 * clamp01(sales / 1_000_000) +
    20 * clamp01(margin / 0.3) +
    15 * clamp01((growth + 0.1) / 0.3) +
    15 * clamp01((wallet > sales ? wallet - sales : 0) / 1_000_000) +
    10 * clamp01((120 - days) / 90) +
    10 * clamp01(access / 5) +
    10 * clamp01(openness / 5)
  );
}

export function bareScores(c: BareColumns, out: Float64Array): void {
  const { sales, margin, growth, wallet, paymentDays, access, openness } = c;
  const n = out.length;
  for (let r = 0; r < n; r++) {
    out[r] = bareScore(sales[r] as number, margin[r] as number, growth[r] as number, wallet[r] as number, paymentDays[r] as number, access[r] as number, openness[r] as number);
  }
}

/** Whether an unrounded score lies on a one-decimal half-way point (x.x5), where rounding conventions differ. */
export function isHalfway(x: number): boolean {
  const tenths = x * 10;
  return Math.abs(tenths - Math.floor(tenths) - 0.5) < 1e-6;
}
