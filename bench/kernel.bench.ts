import { countOutcomes, defaultRules, evaluateBatch, OUTCOME_CODE, roundScore, scoreColumns, type BatchResult } from '../src/engine';
import { bareColumns, bareScores } from './bare';
import { accountObjects, describeMix, isAllNumeric, makeAccounts } from './data';
import { report } from './report';
import { perSecond, time, timePaired } from './timing';

function outcomeMix(result: BatchResult): string {
  const counts = countOutcomes(result);
  const share = (k: keyof typeof counts): string => `${k} ${((100 * counts[k]) / result.rowCount).toFixed(1)}%`;
  return (['strategic', 'key', 'develop', 'maintain', 'excluded', 'insufficient', 'invalid'] as const).map(share).join(', ');
}

export async function runKernelBench(): Promise<void> {
  const section = report.section('kernel', 'Batch kernel: scoreColumns vs a bare loop, and evaluateBatch');
  const rules = defaultRules();
  const small = makeAccounts(100_000);
  const large = makeAccounts(1_000_000);
  section.note(`input mix (1,000,000): ${describeMix(large)}`);

  // Kernel, 100,000 and 1,000,000 accounts (inputs built beforehand; the rule set compiles once).
  const k100 = time(() => scoreColumns(small, rules).score.length, 15, 3);
  section.figure('scoreColumns.100k.rowsPerSec', 'scoreColumns, 100,000 accounts', perSecond(small.rowCount, k100.medianMs), 'accounts/s', {
    target: { op: '>=', value: 2_000_000 },
    note: `median of ${k100.runs} runs ${k100.medianMs.toFixed(1)} ms (min ${k100.minMs.toFixed(1)}, max ${k100.maxMs.toFixed(1)})`,
  });
  // 1,000,000 accounts, timed in alternation with the bare loop over the very numbers the kernel read.
  const kept = scoreColumns(large, rules, { keepValues: true });
  section.note(`outcome mix of the 1,000,000 accounts: ${outcomeMix(kept)}; rows with input problems: ${kept.problems.size.toLocaleString('en-US')}`);
  const bare = bareColumns(kept);
  const bareOut = new Float64Array(large.rowCount);
  const pair = timePaired(
    () => scoreColumns(large, rules).score.length,
    () => bareScores(bare, bareOut),
    7,
    2,
  );
  const k1m = pair.a;
  const b1m = pair.b;
  section.figure('scoreColumns.1m.rowsPerSec', 'scoreColumns, 1,000,000 accounts', perSecond(large.rowCount, k1m.medianMs), 'accounts/s', {
    target: { op: '>=', value: 2_000_000 },
    note: `median of ${k1m.runs} runs ${k1m.medianMs.toFixed(1)} ms (min ${k1m.minMs.toFixed(1)}, max ${k1m.maxMs.toFixed(1)})`,
  });
  section.figure('bare.1m.rowsPerSec', 'bare weighted-sum loop, 1,000,000 accounts', perSecond(large.rowCount, b1m.medianMs), 'accounts/s', {
    note: `median ${b1m.medianMs.toFixed(1)} ms (min ${b1m.minMs.toFixed(1)}); Float64Array columns, 7 curves inlined, no coercion, blanks, knock-outs, tiers or rounding`,
  });
  section.figure('kernelOverBare.1m', 'scoreColumns time / bare loop time (1,000,000)', pair.ratio, '×', {
    target: { op: '<=', value: 3 },
    note: 'median of the per-run ratios, the two timed in alternation',
  });

  // Sanity: the bare loop computes the engine's score wherever all seven inputs are valid numbers.
  let compared = 0;
  let maxDiff = 0;
  for (let r = 0; r < large.rowCount; r++) {
    if (kept.outcome[r] === OUTCOME_CODE.invalid || kept.missingMask[r] !== 0 || !isAllNumeric(large, r)) continue;
    compared++;
    maxDiff = Math.max(maxDiff, Math.abs((kept.score[r] as number) - roundScore(bareOut[r] as number)));
  }
  section.figure('bare.maxAbsDiff', `bare loop (rounded as the engine rounds) vs engine, max |Δ| (${compared.toLocaleString('en-US')} complete rows)`, maxDiff, 'points', {
    digits: 3,
    target: { op: '<=', value: 0 },
    note: 'checks that the baseline computes the same scores',
  });

  // The object path: one object per account in, one verdict object (with its flags) per account out.
  const objects = accountObjects(small);
  const e100 = time(() => evaluateBatch(objects, rules).verdicts.length, 5, 2);
  section.figure('evaluateBatch.100k.rowsPerSec', 'evaluateBatch (object path), 100,000 accounts', perSecond(small.rowCount, e100.medianMs), 'accounts/s', {
    note:
      `median ${e100.medianMs.toFixed(1)} ms; builds columns from per-account objects, keeps every coerced value, ` +
      'and returns a verdict object with a flags array per account (no target: the batch path above is the fast one)',
  });
  section.figure('kernelOverEvaluateBatch.100k', 'scoreColumns speed / evaluateBatch speed (100,000)', e100.medianMs / k100.medianMs, '×');
}
