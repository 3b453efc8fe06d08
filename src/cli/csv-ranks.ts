/**
 * Priority ranks in a streamed CSV. A rank needs every line's tier and score, so the scoring pass
 * writes each line with a hole where its rank goes (TextWithHoles) and counts tiers and scores
 * (Ranks); the rank pass (fillRanks) then copies the text and fills the holes in. A file scored in
 * parts has a text and a holes file per part, filled in file order.
 */
import * as fs from 'node:fs';
import type { OutcomeId } from '../engine';
import { csvNumber } from './csv-file';
import type { NumberSpill } from './scratch';

/** Priority order of the tiers (plan.ts: Strategic first … invalid last). */
export const TIER_ORDER: readonly OutcomeId[] = ['strategic', 'key', 'develop', 'maintain', 'insufficient', 'excluded', 'invalid'];
export const TIER_INDEX = Object.fromEntries(TIER_ORDER.map((id, i) => [id, i])) as Record<OutcomeId, number>;

/**
 * Priority ranks 1..n as priorityRanks gives them (by tier, then score highest first, ties in file
 * order), from a count per tier and score: scores are rounded (to 0.1), so at most ~1,000 counts
 * per tier whatever the number of lines. The second pass asks for each row's rank in file order.
 */
export class Ranks {
  private readonly counts: Array<Map<number, number>> = TIER_ORDER.map(() => new Map<number, number>());
  private readonly starts: Array<Map<number, number>> = [];
  private readonly offsets: number[] = [];

  /** The key a row sorts by within its tier: the score negated (highest first), no score as -1. */
  private static key(score: number | null): number {
    return -(score === null || score !== score ? -1 : score);
  }
  add(tier: number, score: number | null): void {
    const counts = this.counts[tier] as Map<number, number>;
    const key = Ranks.key(score);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  /** The counts per tier, as plain data (to pass between threads). */
  counted(): Array<Array<[number, number]>> {
    return this.counts.map((counts) => [...counts]);
  }
  /** Adds the counts of another part of the file (counted()). */
  addCounted(counted: CountedRanks): void {
    counted.forEach((pairs, tier) => {
      const counts = this.counts[tier] as Map<number, number>;
      for (const [key, n] of pairs) counts.set(key, (counts.get(key) ?? 0) + n);
    });
  }
  /** After every add: where each score's run starts in its tier; next() then counts the run off. */
  close(): void {
    let offset = 0;
    for (const counts of this.counts) {
      this.offsets.push(offset);
      const starts = new Map<number, number>();
      let at = 0;
      for (const key of [...counts.keys()].sort((a, b) => a - b)) {
        starts.set(key, at);
        at += counts.get(key) as number;
      }
      this.starts.push(starts);
      offset += at;
    }
  }
  next(tier: number, score: number | null): number {
    const starts = this.starts[tier] as Map<number, number>;
    const key = Ranks.key(score);
    const start = starts.get(key) as number;
    starts.set(key, start + 1);
    return (this.offsets[tier] as number) + start + 1;
  }

  /**
   * After close(), before any next(): the state once an earlier part's lines (`earlier`, their
   * counted()) have had their ranks, as plain data for the thread that fills the later part.
   */
  after(earlier: CountedRanks): RankState {
    return {
      offsets: [...this.offsets],
      starts: this.starts.map((starts, tier) => {
        const taken = new Map(earlier[tier] ?? []);
        return [...starts].map(([key, start]): [number, number] => [key, start + (taken.get(key) ?? 0)]);
      }),
    };
  }

  /** Ranks in a state after() gave. */
  static resumed(state: RankState): Ranks {
    const ranks = new Ranks();
    ranks.offsets.push(...state.offsets);
    for (const starts of state.starts) ranks.starts.push(new Map(starts));
    return ranks;
  }

  /**
   * After close(), before any next(): how many bytes the ranks of `earlier` lines take once written
   * with `format`, those lines coming first in their runs. Where the later part's text starts.
   */
  textBytes(earlier: CountedRanks, format: string | undefined): number {
    let bytes = 0;
    earlier.forEach((pairs, tier) => {
      const starts = this.starts[tier] as Map<number, number>;
      for (const [key, n] of pairs) {
        // Ranks first … last; integers of the same number of digits are written as long.
        const first = (this.offsets[tier] as number) + (starts.get(key) as number) + 1;
        const last = first + n - 1;
        for (let low = 1; low <= last; low *= 10) {
          const from = Math.max(first, low);
          const to = Math.min(last, low * 10 - 1);
          if (from <= to) bytes += (to - from + 1) * csvNumber(low, format).length;
        }
      }
    });
    return bytes;
  }
}

/** Counts per tier of each score key (Ranks.counted()). */
export type CountedRanks = ReadonlyArray<ReadonlyArray<readonly [number, number]>>;

/** Where each score's run starts next in its tier, as plain data (Ranks.after). */
export interface RankState {
  offsets: number[];
  starts: Array<Array<[number, number]>>;
}

/**
 * The scoring pass's output: text written to a scratch file, with a hole where each line's priority
 * rank goes. The holes' file holds, per hole, the line's score and its tier × 2^32 + the bytes
 * written since the hole before (see fillRanks).
 */
export class TextWithHoles {
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private sinceHole = 0;

  constructor(
    private readonly fd: number,
    private readonly holes: NumberSpill,
  ) {}

  text(text: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8: the text fits whole, or goes on its own.
    if (text.length * 3 > this.buffer.length - this.used) {
      this.flush();
      if (text.length * 3 > this.buffer.length) {
        const bytes = Buffer.from(text);
        fs.writeSync(this.fd, bytes);
        this.sinceHole += bytes.length;
        return;
      }
    }
    const written = this.buffer.write(text, this.used);
    this.used += written;
    this.sinceHole += written;
  }

  /** A whole line with its hole at character `holeAt`: one write for the line. */
  lineWithHole(line: string, holeAt: number, tier: number, score: number | null): void {
    if (line.length * 3 > this.buffer.length - this.used) {
      // Long lines (or a full buffer) take the general way.
      this.text(line.slice(0, holeAt));
      this.hole(tier, score);
      this.text(line.slice(holeAt));
      return;
    }
    const written = this.buffer.write(line, this.used);
    // In bytes, the hole is where it is in characters when the line is ASCII, as most are.
    const before = written === line.length ? holeAt : Buffer.byteLength(line.slice(0, holeAt));
    this.used += written;
    this.sinceHole += before;
    this.hole(tier, score);
    this.sinceHole = written - before;
  }

  hole(tier: number, score: number | null): void {
    if (this.sinceHole >= 2 ** 32) throw new Error('more than 4 GB between two scored lines');
    this.holes.push(score ?? NaN);
    this.holes.push(tier * 2 ** 32 + this.sinceHole);
    this.sinceHole = 0;
  }

  flush(): void {
    if (this.used > 0) fs.writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }
}

/** A part's scored text and its holes (one per part of a file scored in parts). */
export interface ScoredText {
  body: string;
  holes: NumberSpill;
}

/**
 * The rank pass: copies the scored texts, in order, into file `to` from byte `position`, writing each
 * line's priority rank into its hole. Plain byte copies in 1 MB blocks; the holes' scratch files say
 * where each rank goes. A file scored in two parts can be filled by two threads at once, the later
 * part at the position where the earlier one's text ends (Ranks.textBytes).
 */
export function fillRanks(parts: readonly ScoredText[], ranks: Ranks, format: string | undefined, to: number, position: number): void {
  const input = Buffer.allocUnsafe(1 << 20);
  const output = Buffer.allocUnsafe(1 << 20);
  let used = 0;
  const flush = (): void => {
    for (let done = 0; done < used;) done += fs.writeSync(to, output, done, used - done, position + done);
    position += used;
    used = 0;
  };
  for (const { body, holes } of parts) {
    const from = fs.openSync(body, 'r');
    let have = 0;
    let at = 0;
    /** Copies `bytes` from the text (all of the rest for Infinity). */
    const copy = (bytes: number): void => {
      while (bytes > 0) {
        if (at === have) {
          have = fs.readSync(from, input, 0, input.length, null);
          at = 0;
          if (have === 0) {
            if (bytes === Infinity) return;
            throw new Error(`${body} ended before its last rank`);
          }
        }
        const n = Math.min(bytes, have - at, output.length - used);
        input.copy(output, used, at, at + n);
        at += n;
        used += n;
        bytes -= n;
        if (used === output.length) flush();
      }
    };
    try {
      let score: number | undefined;
      for (const block of holes.blocks()) {
        for (const value of block) {
          if (score === undefined) {
            score = value;
            continue;
          }
          const tier = Math.floor(value / 2 ** 32);
          copy(value - tier * 2 ** 32);
          const rank = csvNumber(ranks.next(tier, score === score ? score : null), format);
          if (used + rank.length > output.length) flush();
          used += output.write(rank, used, 'latin1');
          score = undefined;
        }
      }
      copy(Infinity);
    } finally {
      fs.closeSync(from);
    }
  }
  flush();
}
