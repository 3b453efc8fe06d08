/** Timing helpers: warm up, then the median of several runs, with a GC before each run. */

export interface Timing {
  /** Median of the timed runs, in milliseconds. */
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/** Collects garbage when node runs with --expose-gc; returns whether it could. */
export function collectGarbage(): boolean {
  if (!gc) return false;
  gc();
  gc();
  return true;
}

export function hasGc(): boolean {
  return gc !== undefined;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The last timed result, kept so that no timed work can be optimised away. */
export let sink: unknown;

function measureOnce(fn: () => unknown): number {
  collectGarbage();
  const t0 = process.hrtime.bigint();
  sink = fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function summary(samples: readonly number[]): Timing {
  return { medianMs: median(samples), minMs: Math.min(...samples), maxMs: Math.max(...samples), runs: samples.length };
}

/** Times `fn`: `warmup` untimed calls first (so the JIT has optimised it), then `runs` timed calls. */
export function time(fn: () => unknown, runs: number, warmup = 2): Timing {
  for (let i = 0; i < warmup; i++) sink = fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(measureOnce(fn));
  return summary(samples);
}

export const perSecond = (count: number, ms: number): number => (count * 1000) / ms;

/**
 * Times two functions in alternation (a, b, a, b, …) so both see the same machine load, and gives
 * the median of the per-pair time ratios a/b alongside each one's own timing.
 */
export function timePaired(a: () => unknown, b: () => unknown, runs: number, warmup = 2): { a: Timing; b: Timing; ratio: number } {
  for (let i = 0; i < warmup; i++) {
    a();
    b();
  }
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ta = measureOnce(a);
    const tb = measureOnce(b);
    as.push(ta);
    bs.push(tb);
    ratios.push(ta / tb);
  }
  return { a: summary(as), b: summary(bs), ratio: median(ratios) };
}
