import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  capacityPlan,
  defaultRules,
  OUTCOME_IDS,
  parseCsv,
  repeatedAccounts,
  scaleHints,
  scoreColumns,
  suggestCalibration,
  type CellValue,
  type OutcomeId,
} from '../../src/engine';
import { kam, tempDir } from './helpers';

/**
 * Issue 7: a streamed CSV keeps its per-line data on disk, not in memory. What needs the whole file
 * (the scale hint's P90, --calibrate, the order-lines hint's distinct names, the hours against
 * --capacity) must still be what the engine says over all the rows.
 */
let dir: string;
let file: string;
const LINES = 90_000;
const columns: Record<string, CellValue[]> = { sales: [], margin: [], growth: [], paymentDays: [], access: [] };
const names: string[] = [];

beforeAll(() => {
  dir = tempDir();
  file = path.join(dir, 'accounts.csv');
  const lines = ['Customer,Annual sales,Gross margin,Purchase growth,Days to pay,Access to goals'];
  for (let i = 0; i < LINES; i++) {
    // 80,000 amounts within 1% of each other (the percentile search must narrow past one bucket),
    // a target 10× off the data, names repeated as order lines repeat them, some unreadable cells.
    const sales = i % 9 === 0 ? String(5_000 + i) : String(1_000_000_000 + ((i * 7919) % 10_000_000));
    const margin = i % 101 === 0 ? 'n/a' : (0.05 + (i % 30) / 100).toFixed(2);
    const growth = ((i % 21) / 100 - 0.05).toFixed(2);
    const name = `Customer ${i % 30_000}${i % 2 === 0 ? '' : ' '}`;
    const days = String(20 + (i % 90));
    const access = String(1 + (i % 5));
    lines.push(`${name},${sales},${margin},${growth},${days},${access}`);
    columns.paymentDays?.push(days);
    columns.access?.push(access);
    columns.sales?.push(sales);
    columns.margin?.push(margin);
    columns.growth?.push(growth);
    names.push(name);
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const num = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

test('the scale hint, the order-lines hint and the hours against capacity are the engine’s over every line', () => {
  const rules = defaultRules();
  const run = kam(['score', file, '--capacity', '500']);
  expect(run.status).toBe(0);
  const [hint] = scaleHints(columns, rules);
  expect(hint).toBeDefined();
  expect(run.stdout).toContain(`but 90% of the accounts are below ${num(hint?.p90 ?? NaN)};`);
  const repeats = repeatedAccounts(names);
  expect(repeats).toEqual({ lines: LINES, accounts: 30_000 });
  expect(run.stdout).toContain(`This looks like order lines: ${LINES} lines for 30000 accounts.`);
  const result = scoreColumns({ rowCount: LINES, columns }, rules, { absent: rules.criteria.filter((c) => !(c.id in columns)).map((c) => c.id) });
  const outcomes = Array.from(result.outcome, (o) => OUTCOME_IDS[o] as OutcomeId);
  const plan = capacityPlan(
    outcomes,
    Array.from(result.score, (s) => (s === s ? s : null)),
    500,
    rules,
  );
  expect(plan.cuts.length).toBeGreaterThan(0);
  expect(run.stdout).toContain(`Hours a month needed: ${plan.demand} of 500 available: ${plan.over} over, take out ${plan.cuts.length} accounts`);
  // Nothing left beside the output: the scratch folder is gone.
  expect(fs.readdirSync(dir).sort()).toEqual(['accounts.csv', 'accounts.kam.csv']);
}, 120_000);

test('--calibrate sets the target from the exact 90th percentile of every line', () => {
  const rules = defaultRules();
  const out = path.join(dir, 'calibrated.csv');
  const run = kam(['score', file, '--calibrate', '--out', out]);
  expect(run.status).toBe(0);
  const [suggestion] = suggestCalibration(columns, rules);
  expect(suggestion).toBeDefined();
  expect(run.stdout).toContain(`target ${num(suggestion?.current ?? NaN)} → ${num(suggestion?.suggested ?? NaN)} (90th percentile of ${suggestion?.basis.values} accounts)`);
  const written = parseCsv(fs.readFileSync(out, 'utf8')).records;
  expect(written).toHaveLength(LINES + 1);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'calibrated.rules.json'), 'utf8'))).toMatchObject({
    criteria: expect.arrayContaining([expect.objectContaining({ id: suggestion?.criterion, curve: expect.objectContaining({ max: suggestion?.suggested }) })]),
  });
}, 120_000);

test('an output folder that cannot be written is named before any line is read, and nothing is left', () => {
  const run = kam(['score', file, '--out', path.join(dir, 'missing', 'out.csv')]);
  expect(run.status).toBe(2);
  expect(run.stderr).toContain(`${path.join(dir, 'missing', 'out.csv')}: could not write the result`);
  expect(run.stderr).not.toContain('internal error');
  expect(fs.existsSync(path.join(dir, 'missing'))).toBe(false);
});
