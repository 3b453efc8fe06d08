import { defaultRules, rulesToTable, type CellValue } from '../src/engine';
import { createKamFunctions } from '../src/functions/adapter';
import { CRITERIA, makeAccounts } from './data';
import { report } from './report';
import { perSecond, time } from './timing';

/**
 * The custom functions through their core adapter (what Excel's calls run, minus the runtime's own
 * marshalling): single-cell calls, with and without a rules range, and one spilled call over a
 * whole sheet. Excel hands every call its own copy of each argument, so the rules range is passed
 * as a fresh copy each time: the cache has to recognise it by content, not by identity.
 */

type Matrix = CellValue[][];
const SINGLE_CALLS = 1_000_000;
/** Fewer calls with a rules range: each compares the whole range, and a million of them took a minute. */
const RULES_RANGE_CALLS = 200_000;
const SPILL_ROWS = 100_000;
/** Distinct single-cell accounts cycled through, so no call repeats the one before. */
const ACCOUNTS = 4096;
/** Copies of the rules table cycled through (each call gets a different but equal array). */
const RULES_COPIES = 64;

const errorObject = (code: string, message?: string): { code: string; message?: string } => ({ code, message });

export async function runFunctionsBench(): Promise<void> {
  const section = report.section('functions', 'Custom functions (core adapter, in Node)');
  const kam = createKamFunctions(errorObject);

  const accounts = makeAccounts(ACCOUNTS);
  // One account's seven arguments as Excel passes single cells: [[value]].
  const cells: Matrix[][] = Array.from({ length: ACCOUNTS }, (_, r) => CRITERIA.map((id) => [[accounts.columns[id][r] ?? null]]));
  const table = rulesToTable(defaultRules());
  const rulesCopies: Matrix[] = Array.from({ length: RULES_COPIES }, () => table.map((row) => [...row]));
  const mask = ACCOUNTS - 1;

  const single = (withRules: boolean) => (): number => {
    let sum = 0;
    const calls = withRules ? RULES_RANGE_CALLS : SINGLE_CALLS;
    for (let i = 0; i < calls; i++) {
      const a = cells[i & mask] as Matrix[];
      const rules = withRules ? rulesCopies[i % RULES_COPIES] : null;
      const out = kam.SCORE(a[0], a[1], a[2], a[3], a[4], a[5], a[6], rules, null);
      const v = out[0]?.[0];
      if (typeof v === 'number') sum += v;
    }
    return sum;
  };

  const bare = time(single(false), 5, 2);
  section.figure('singleDefault', 'KAM.SCORE single cell, default rules', perSecond(SINGLE_CALLS, bare.medianMs), 'calls/s', {
    target: { op: '>=', value: 1_000_000 },
  });
  const parsesBefore = kam.rulesCache.stats().parses;
  const cached = time(single(true), 5, 2);
  const parses = kam.rulesCache.stats().parses - parsesBefore;
  section.figure('singleRules', 'KAM.SCORE single cell, cached rules range', perSecond(RULES_RANGE_CALLS, cached.medianMs), 'calls/s', {
    target: { op: '>=', value: 1_000_000 },
    note: `a ${table.length}×${table[0]?.length ?? 0} rules range, a fresh copy per call; parsed ${parses} time(s) in ${7 * RULES_RANGE_CALLS} calls`,
  });

  // One spilled call over a sheet: each argument a column, as Excel passes B2:B100001.
  const sheet = makeAccounts(SPILL_ROWS);
  const columnArgs: Matrix[] = CRITERIA.map((id) => sheet.columns[id].map((v) => [v]));
  const spilled = time(
    () => {
      const c = columnArgs;
      return kam.SCORE(c[0], c[1], c[2], c[3], c[4], c[5], c[6], table, null).length;
    },
    7,
    2,
  );
  section.figure('spill100k', `KAM.SCORE spilled over ${SPILL_ROWS.toLocaleString('en-US')} rows`, spilled.medianMs, 'ms', {
    target: { op: '<=', value: 100 },
    digits: 1,
  });
  const tiers = time(
    () => {
      const c = columnArgs;
      return kam.TIER(c[0], c[1], c[2], c[3], c[4], c[5], c[6], table, null).length;
    },
    7,
    2,
  );
  section.figure('tier100k', `KAM.TIER spilled over ${SPILL_ROWS.toLocaleString('en-US')} rows`, tiers.medianMs, 'ms', { digits: 1 });
  section.note("Excel adds its own marshalling of arguments and results around each call; these figures are the add-in's share.");
}
