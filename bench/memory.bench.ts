import { defaultRules, scoreColumns } from '../src/engine';
import { makeAccounts } from './data';
import { report } from './report';
import { collectGarbage, hasGc } from './timing';

const MB = 1e6;

/** Heap in use plus memory outside the V8 heap (typed arrays' buffers live there). */
function held(): { heap: number; external: number; rss: number } {
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external, rss: m.rss };
}

/**
 * Memory for 1,000,000 accounts through the batch path: the input columns as a sheet or CSV reader
 * hands them over (JS arrays of cell values), then the kernel's typed-array result. Runs first, so
 * the process's memory has not yet been grown by the other benchmarks.
 */
export async function runMemoryBench(): Promise<void> {
  const section = report.section('memory', 'Memory: 1,000,000 accounts through scoreColumns (inputs + outputs)');
  if (!hasGc()) section.note('global.gc is not exposed (run with node --expose-gc): figures include uncollected garbage');
  const rules = defaultRules();
  scoreColumns({ rowCount: 0, columns: {} }, rules); // load and compile before the baseline

  collectGarbage();
  const m0 = held();
  const inputs = makeAccounts(1_000_000);
  collectGarbage();
  const m1 = held();
  const result = scoreColumns(inputs, rules);
  collectGarbage();
  const m2 = held();
  const peakRss = process.resourceUsage().maxRSS * 1024;

  const grow = (a: ReturnType<typeof held>, b: ReturnType<typeof held>): number => b.heap + b.external - (a.heap + a.external);
  section.figure('inputs.mb', 'input columns (JS arrays of cell values), heap + buffers', grow(m0, m1) / MB, 'MB', { digits: 1 });
  section.figure('outputs.mb', 'kernel result (typed arrays + problems map), heap + buffers', grow(m1, m2) / MB, 'MB', {
    digits: 1,
    note: `typed arrays alone: ${((result.rowCount * (8 + 1 + 4 + 4 + 8)) / MB).toFixed(1)} MB (score, outcome, missingMask, knockoutMask, presentShare); rows with problems: ${result.problems.size.toLocaleString('en-US')}`,
  });
  section.figure('total.mb', 'heap + buffers growth, inputs + outputs', grow(m0, m2) / MB, 'MB', {
    digits: 1,
    target: { op: '<', value: 400 },
  });
  section.figure('rss.mb', 'RSS growth, inputs + outputs (after GC)', (m2.rss - m0.rss) / MB, 'MB', {
    digits: 1,
    target: { op: '<', value: 400 },
  });
  section.figure('peakRss.mb', 'peak RSS above the baseline', (peakRss - m0.rss) / MB, 'MB', {
    digits: 1,
    target: { op: '<', value: 400 },
    note: 'process-wide peak (getrusage maxrss), so it includes garbage made while the inputs were generated',
  });
  section.note('MB = 1,000,000 bytes; baseline taken after loading the engine and a full GC');
  // Keep both alive until here, so the collections above could not free them.
  if (inputs.rowCount !== result.rowCount) throw new Error('row count mismatch');
}
