/**
 * Per-line data of a streamed file kept on disk instead of in memory: numbers appended to scratch
 * files as the lines go by and read back in order, so that kam's memory does not grow with the
 * number of lines. What needs the whole file (a percentile, a count of distinct names) is then
 * computed from these files in bounded memory, exactly.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { forgetUnfinished, markUnfinished } from './files';

/** Numbers per block read or written: 512 KB. */
const BLOCK = 1 << 16;

/** A hidden folder beside the output for a run's scratch files; removed at the end, and on Ctrl-C. */
export class ScratchFolder {
  readonly path: string;
  private files = 0;

  constructor(beside: string) {
    const dir = path.dirname(path.resolve(beside));
    this.path = path.join(dir, `.${path.basename(beside)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    markUnfinished(this.path);
    fs.mkdirSync(this.path);
  }

  /** A new file name inside the folder. */
  file(label: string): string {
    return path.join(this.path, `${this.files++}-${label}`);
  }

  remove(): void {
    fs.rmSync(this.path, { recursive: true, force: true });
    forgetUnfinished(this.path);
  }
}

/** Numbers to read back in order, from one scratch file or several. */
export interface Spilled {
  readonly count: number;
  blocks(): Iterable<Float64Array>;
}

/** A closed scratch file of numbers as plain data: what a worker thread hands back. */
export interface SpillFile {
  file: string;
  count: number;
}

/** Numbers written to a scratch file as they come, and read back in the same order. */
export class NumberSpill implements Spilled {
  private readonly buffer: Float64Array;
  private used = 0;
  private fd: number | undefined;
  count = 0;

  /** A new scratch file; or, given `written`, one already written and closed (by another thread). */
  constructor(
    readonly file: string,
    written?: SpillFile,
  ) {
    if (written) {
      this.buffer = new Float64Array(0);
      this.count = written.count;
    } else {
      this.buffer = new Float64Array(BLOCK);
      this.fd = fs.openSync(file, 'w');
    }
  }

  static written(spill: SpillFile): NumberSpill {
    return new NumberSpill(spill.file, spill);
  }

  push(value: number): void {
    this.buffer[this.used++] = value;
    this.count++;
    if (this.used === BLOCK) this.flush();
  }

  private flush(): void {
    if (this.used === 0) return;
    // Numbers pushed after the spill was read back would be lost: a caller's mistake, said at once.
    if (this.fd === undefined) throw new Error(`${this.file}: numbers added after it was read`);
    fs.writeSync(this.fd, this.buffer, 0, this.used * 8);
    this.used = 0;
  }

  /** No more numbers: what is buffered goes to the file. */
  close(): void {
    this.flush();
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  /** Closed, as plain data. */
  closed(): SpillFile {
    this.close();
    return { file: this.file, count: this.count };
  }

  /** Every number in the order pushed, a block at a time (each block is reused for the next). */
  *blocks(): Generator<Float64Array> {
    this.close();
    const fd = fs.openSync(this.file, 'r');
    const block = new Float64Array(BLOCK);
    try {
      for (;;) {
        const bytes = fs.readSync(fd, block, 0, block.byteLength, null);
        if (bytes === 0) return;
        yield block.subarray(0, Math.floor(bytes / 8));
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Several spills read back as one, in order. */
export function joinedSpills(spills: readonly Spilled[]): Spilled {
  return {
    count: spills.reduce((sum, s) => sum + s.count, 0),
    *blocks() {
      for (const spill of spills) yield* spill.blocks();
    },
  };
}

/** Whether this machine stores the low word of a double first (every platform Node runs on today). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The number at position `rank` (0-based) of the spilled numbers in ascending order, for numbers
 * that are positive and finite (amounts). Positive doubles sort as their 64-bit patterns do, so
 * the search narrows 16 bits at a time with a histogram over one pass of the file, until few
 * enough candidates are left to sort: a few passes and ~0.5 MB whatever the count.
 */
export function orderStatistic(spill: Spilled, rank: number): number {
  const counts = new Float64Array(1 << 16);
  /** Which 16 bits of the pattern level L looks at: the high word first. */
  const digit = (hi: number, lo: number, level: number): number => (level === 0 ? hi >>> 16 : level === 1 ? hi & 0xffff : level === 2 ? lo >>> 16 : lo & 0xffff);
  const prefix: number[] = [];
  const matches = (hi: number, lo: number): boolean => {
    for (let level = 0; level < prefix.length; level++) if (digit(hi, lo, level) !== prefix[level]) return false;
    return true;
  };
  const each = (visit: (value: number, hi: number, lo: number) => void): void => {
    for (const block of spill.blocks()) {
      const words = new Uint32Array(block.buffer, block.byteOffset, block.length * 2);
      for (let i = 0; i < block.length; i++) {
        const hi = words[LITTLE_ENDIAN ? 2 * i + 1 : 2 * i] as number;
        const lo = words[LITTLE_ENDIAN ? 2 * i : 2 * i + 1] as number;
        visit(block[i] as number, hi, lo);
      }
    }
  };
  let remaining = rank;
  let candidates = spill.count;
  for (let level = 0; level < 4; level++) {
    if (candidates <= counts.length) break;
    counts.fill(0);
    each((_, hi, lo) => {
      if (matches(hi, lo)) {
        const d = digit(hi, lo, level);
        counts[d] = (counts[d] as number) + 1;
      }
    });
    let d = 0;
    while (d < counts.length - 1 && remaining >= (counts[d] as number)) remaining -= counts[d++] as number;
    prefix.push(d);
    candidates = counts[d] as number;
  }
  if (prefix.length === 4) {
    // Every bit fixed: the candidates are all the same number.
    let found = NaN;
    each((value, hi, lo) => {
      if (found !== found && matches(hi, lo)) found = value;
    });
    return found;
  }
  // Few enough left: sort them and count off the rest.
  const left = new Float64Array(candidates);
  let at = 0;
  each((value, hi, lo) => {
    if (at < left.length && matches(hi, lo)) left[at++] = value;
  });
  left.sort();
  return left[Math.min(remaining, at - 1)] as number;
}

/**
 * Counts distinct numbers (hashes of names) spread over several spills by their value, so that
 * each spill fits in memory on its own: the whole count is the sum of theirs.
 */
export class DistinctCounter {
  /** Per part, the spill this counter writes, then any another thread wrote (addParts). */
  private readonly parts: NumberSpill[][];

  constructor(
    scratch: { file(label: string): string },
    parts: number,
    /** The values are below this (hashes of 53 bits): it spreads them evenly over the parts. */
    private readonly limit: number,
  ) {
    this.parts = Array.from({ length: Math.max(1, Math.floor(parts)) }, () => [new NumberSpill(scratch.file('names'))]);
  }

  add(value: number): void {
    ((this.parts[Math.min(this.parts.length - 1, Math.floor((value / this.limit) * this.parts.length))] as NumberSpill[])[0] as NumberSpill).push(value);
  }

  /** The parts as plain data, closed: for a counter of another part of the file to add. */
  closedParts(): SpillFile[] {
    return this.parts.map((spills) => (spills[0] as NumberSpill).closed());
  }

  /** Adds the values another counter with as many parts wrote (its closedParts()). */
  addParts(parts: readonly SpillFile[]): void {
    if (parts.length !== this.parts.length) throw new Error(`${parts.length} parts of names given to a counter of ${this.parts.length}`);
    parts.forEach((part, i) => (this.parts[i] as NumberSpill[]).push(NumberSpill.written(part)));
  }

  /** How many values were added, and how many of them were distinct. */
  count(): { values: number; distinct: number } {
    let values = 0;
    let distinct = 0;
    for (const spills of this.parts) {
      const part = joinedSpills(spills);
      const all = new Float64Array(part.count);
      let at = 0;
      for (const block of part.blocks()) {
        all.set(block, at);
        at += block.length;
      }
      all.sort();
      for (let i = 0; i < at; i++) if (i === 0 || all[i] !== all[i - 1]) distinct++;
      values += at;
    }
    return { values, distinct };
  }
}
