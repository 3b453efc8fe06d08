/**
 * The worker thread that scores the second half of a large CSV (csv-stream.ts starts it): it reads
 * from a line break near the middle to the end with a PartScorer built from the main thread's
 * plan, writes its scratch files into the main thread's scratch folder, and posts back a
 * PartResult, or why the main thread must score the half itself instead. When its part is kept, it
 * then fills its part's ranks into the output while the main thread fills the first part's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { CsvReader } from '../engine';
import { lineClassifier, pass, PartScorer, type CsvHead, type PartPlan, type PartResult } from './csv-part';
import { fillRanks, Ranks, type RankState, type ScoredText } from './csv-ranks';
import { CLI_PACKS } from './messages';
import { NumberSpill } from './scratch';

export interface WorkerInput {
  plan: PartPlan;
  /** The byte the part starts at: just after a line feed. */
  start: number;
  /** The main thread's scratch folder; this worker's files start with "w". */
  scratch: string;
  /** Bytes and lines read so far, for the main thread's progress line. */
  progress: SharedArrayBuffer;
}

/** What the worker posts: its part's result, or why the main thread must score the part in order. */
export type WorkerOutput = { result: PartResult } | { redo: string };

/** Thrown to stop at a rejected line: its message would need the lines before the part. */
class RejectedLine extends Error {}

async function scorePart(input: WorkerInput): Promise<WorkerOutput> {
  const { plan } = input;
  const pack = CLI_PACKS[plan.lang];
  let files = 0;
  const scratch = { file: (label: string) => path.join(input.scratch, `w${files++}-${label}`) };
  const progress = new Float64Array(input.progress);
  const part = new PartScorer(plan, scratch, null);
  const head = { ...plan.head, separatorLine: undefined, leading: [], header: { fields: [], line: 0, text: '' }, headers: [] } satisfies CsvHead;
  try {
    await pass(
      plan.input,
      pack,
      (bytes) => (progress[0] = (progress[0] as number) + bytes),
      () => (lines) => {
        if (lines.some((l) => l.rejected !== undefined)) throw new RejectedLine();
        progress[1] = (progress[1] as number) + lines.length;
        part.score(lines);
      },
      lineClassifier(pack, new Map(plan.earlier)),
      { head, start: { byte: input.start, reader: CsvReader.continuing(plan.head.delimiter, plan.head.width) } },
    );
  } catch (error) {
    if (error instanceof RejectedLine) return { redo: 'a rejected line in the second part' };
    throw error;
  } finally {
    part.close();
  }
  return { result: part.result() };
}

/** The rank pass for the worker's part, at the same time as the main thread's. */
export interface FillJob {
  /** The output's temporary file, which the main thread has made. */
  target: string;
  /** Where this part's text starts in it. */
  position: number;
  ranks: RankState;
  format: string | undefined;
}

export type FillOutput = { filled: true } | { redo: string };

const failure = (error: unknown): string => `the worker stopped: ${error instanceof Error ? error.message : String(error)}`;

// Started early, while the main thread reads the file's head: it waits here for its part's plan,
// posts the part's result, then (if the part is kept) waits for the rank pass's job.
if (parentPort) {
  const port = parentPort;
  let scored: ScoredText | undefined;
  port.on('message', (message: WorkerInput | FillJob) => {
    if ('plan' in message) {
      scorePart(message).then(
        (output) => {
          if ('result' in output) scored = { body: output.result.body, holes: NumberSpill.written(output.result.holes) };
          port.postMessage(output);
        },
        (error: unknown) => port.postMessage({ redo: failure(error) } satisfies WorkerOutput),
      );
      return;
    }
    try {
      if (!scored) throw new Error('no scored part to fill');
      const to = fs.openSync(message.target, 'r+');
      try {
        fillRanks([scored], Ranks.resumed(message.ranks), message.format, to, message.position);
      } finally {
        fs.closeSync(to);
      }
      port.postMessage({ filled: true } satisfies FillOutput);
    } catch (error) {
      port.postMessage({ redo: failure(error) } satisfies FillOutput);
    }
  });
}
