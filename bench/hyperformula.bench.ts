import { HyperFormula, type RawCellContent } from 'hyperformula';
import { defaultRules, OUTCOME_CODE, outcomeAt, scoreColumns, type RuleSet } from '../src/engine';
import { bareScore, isHalfway } from './bare';
import { CRITERIA, isAllNumeric, makeAccounts, type Accounts } from './data';
import { report } from './report';
import { collectGarbage, median, perSecond, time } from './timing';

const ROWS = 100_000;
const SCORE_COL = CRITERIA.length; // H
const TIER_COL = CRITERIA.length + 1; // I
const letter = (col: number): string => String.fromCharCode(65 + col);

/**
 * The native-formula equivalent of the rule set for sheet row `k` (1-based), inputs in A:G in
 * criterion order: ROUND(SUMPRODUCT(weights, clamped linear points), 1), wallet scored on its
 * headroom over sales. Written from the rules, so it is the same rule set as the engine's.
 */
export function scoreFormula(rules: RuleSet, k: number): string {
  const index = new Map(rules.criteria.map((c, i) => [c.id, i]));
  const total = rules.criteria.reduce((s, c) => s + c.weight, 0);
  const weights = rules.criteria.map((c) => (c.weight * 100) / total);
  const num = (x: number): string => String(Number(x.toPrecision(12))); // 0.30000000000000004 → 0.3
  const points = rules.criteria.map((c, i) => {
    const cell = `${letter(i)}${k}`;
    const base = c.headroomOver === undefined ? undefined : index.get(c.headroomOver);
    const x = base === undefined ? cell : `MAX(${cell}-${letter(base)}${k},0)`;
    const span = num(c.curve.max - c.curve.min);
    const min = c.curve.min;
    const above = min === 0 ? x : min < 0 ? `(${x}+${num(-min)})` : `(${x}-${num(min)})`;
    const t = c.better === 'higher' ? `${above}/${span}` : `(${num(c.curve.max)}-${x})/${span}`;
    return `MAX(0,MIN(1,${t}))`;
  });
  return `=ROUND(SUMPRODUCT({${weights.join(',')}},{${points.join(',')}}),1)`;
}

/** The tier: an excluding knock-out first, then the score thresholds (IFS). */
export function tierFormula(rules: RuleSet, k: number): string {
  const index = new Map(rules.criteria.map((c, i) => [c.id, i]));
  const score = `${letter(SCORE_COL)}${k}`;
  const parts: string[] = [];
  for (const ko of rules.knockouts.filter((x) => x.effect === 'exclude')) {
    const conds = ko.when.map((w) => `${letter(index.get(w.criterion) ?? 0)}${k}${w.op}${w.value}`);
    parts.push(`AND(${conds.join(',')}),"excluded"`);
  }
  parts.push(`${score}>=${rules.tiers.strategic.minScore},"strategic"`);
  parts.push(`${score}>=${rules.tiers.key.minScore},"key"`);
  parts.push(`${score}>=${rules.tiers.develop.minScore},"develop"`);
  parts.push('TRUE(),"maintain"');
  return `=IFS(${parts.join(',')})`;
}

/** The accounts as a sheet: the raw cells in A:G, the score formula in H and the tier in I. */
function sheet(accounts: Accounts, rules: RuleSet, rows: number): RawCellContent[][] {
  const data: RawCellContent[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: RawCellContent[] = CRITERIA.map((id) => accounts.columns[id][r] ?? null);
    row.push(scoreFormula(rules, r + 1), tierFormula(rules, r + 1));
    data.push(row);
  }
  return data;
}

const CONFIG = { licenseKey: 'gpl-v3', maxRows: 1_048_576 };

export async function runHyperFormulaBench(): Promise<void> {
  const section = report.section('hyperformula', `HyperFormula ${HyperFormula.version}: the same rules as native formulas, ${ROWS.toLocaleString('en-US')} rows`);
  const rules = defaultRules();
  const accounts = makeAccounts(ROWS);
  const data = sheet(accounts, rules, ROWS);
  section.note(`row 2 score: ${scoreFormula(rules, 2)}`);
  section.note(`row 2 tier:  ${tierFormula(rules, 2)}`);

  // Warm-up on a smaller sheet, then build + evaluate the full sheet a few times.
  HyperFormula.buildFromArray(data.slice(0, 10_000), CONFIG).destroy();
  const runs = 3;
  const samples: number[] = [];
  let hf: HyperFormula | undefined;
  let heapGrowth = 0;
  for (let i = 0; i < runs; i++) {
    hf?.destroy();
    hf = undefined;
    collectGarbage();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = process.hrtime.bigint();
    hf = HyperFormula.buildFromArray(data, CONFIG);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    collectGarbage();
    heapGrowth = process.memoryUsage().heapUsed - heap0;
  }
  if (!hf) throw new Error('no HyperFormula instance');
  const hfMs = median(samples);
  const hfRate = perSecond(ROWS, hfMs);
  section.figure('hf.rowsPerSec', 'HyperFormula build + evaluate (score + tier per row)', hfRate, 'rows/s', {
    note: `median of ${runs} runs ${hfMs.toFixed(0)} ms (min ${Math.min(...samples).toFixed(0)}, max ${Math.max(...samples).toFixed(0)}); heap held by the sheet ${(heapGrowth / 1e6).toFixed(0)} MB`,
  });

  // The kernel on the very same rows.
  const k = time(() => scoreColumns(accounts, rules).score.length, 9, 3);
  const kRate = perSecond(ROWS, k.medianMs);
  section.figure('kernel.rowsPerSec', 'scoreColumns on the same rows (score + tier + flags)', kRate, 'rows/s', {
    note: `median ${k.medianMs.toFixed(1)} ms`,
  });
  section.figure('kernelOverHf', 'scoreColumns speed / HyperFormula speed', kRate / hfRate, '×', { target: { op: '>=', value: 50 } });

  // Both must compute the same thing: compare wherever all seven inputs are plain, valid numbers.
  const result = scoreColumns(accounts, rules);
  const cols = CRITERIA.map((id) => accounts.columns[id]);
  const at = (i: number, r: number): number => (cols[i] as readonly unknown[])[r] as number;
  let compared = 0;
  let maxDiff = 0;
  let worstRow = -1;
  let ties = 0;
  let tierMismatches = 0;
  for (let r = 0; r < ROWS; r++) {
    if (!isAllNumeric(accounts, r) || result.outcome[r] === OUTCOME_CODE.invalid) continue;
    compared++;
    const hfScore = hf.getCellValue({ sheet: 0, row: r, col: SCORE_COL });
    const diff = typeof hfScore === 'number' ? Math.abs(hfScore - (result.score[r] as number)) : Infinity;
    const tier = hf.getCellValue({ sheet: 0, row: r, col: TIER_COL });
    // A score that lands exactly on x.x5 is rounded up by the engine (as Excel's ROUND does with the
    // number as written) and may be rounded down by HyperFormula's ROUND: count those apart.
    if (diff > 1e-9 && diff <= 0.1 + 1e-9 && isHalfway(bareScore(at(0, r), at(1, r), at(2, r), at(3, r), at(4, r), at(5, r), at(6, r)))) {
      ties++;
      continue;
    }
    if (diff > maxDiff) [maxDiff, worstRow] = [diff, r];
    if (tier !== outcomeAt(result, r)) tierMismatches++;
  }
  hf.destroy();
  section.figure('check.maxAbsDiff', `max |HyperFormula − engine| score (${compared.toLocaleString('en-US')} complete rows)`, maxDiff, 'points', {
    digits: 3,
    target: { op: '<=', value: 0 },
    note: `${maxDiff > 0 ? `worst at sheet row ${worstRow + 1}; ` : ''}excludes ${ties} rows on a half-way point (x.x5) that HyperFormula's ROUND rounds down by 0.1 and the engine rounds up`,
  });
  section.figure('check.tierMismatches', 'rows whose tier differs (same rows)', tierMismatches, 'rows', { digits: 0, target: { op: '<=', value: 0 } });
  section.note('timed: HyperFormula.buildFromArray on a prepared array (parse 200,000 formulas, build the dependency graph, evaluate); the kernel is timed on prepared columns');
}
