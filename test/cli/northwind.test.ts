/**
 * Real data: Microsoft's Northwind sample (README in the data folder), with its real defects.
 * Every expected value is derived here from the CSV files, independently of kam.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyCalibration, defaultRules, suggestCalibration, type RuleSet } from '../../src/engine';
import { parseCsv, writeCsv } from '../../src/engine/csv';
import { kam, NORTHWIND, readCsvTable, tempDir } from './helpers';

const dataThere = fs.existsSync(path.join(NORTHWIND, 'orders.csv'));
const describeData = dataThere ? describe : describe.skip;
if (!dataThere) console.warn(`Northwind data not found in ${NORTHWIND}: real-data tests skipped`);

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeData('customers.csv: 24 lines with an unquoted comma in the address', () => {
  const file = path.join(NORTHWIND, 'customers.csv');
  // The file has no quotes at all, so each line is one record and a plain split is an independent reading.
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/).filter((l, i, all) => l !== '' || i < all.length - 1);
  const header = (lines[0] as string).split(',');
  const malformed = lines.map((line, i) => ({ number: i + 1, line })).filter(({ line }) => line.split(',').length !== header.length);
  let run: ReturnType<typeof kam>;
  let records: string[][];

  beforeAll(() => {
    expect(text.includes('"')).toBe(false);
    // The customer list has no criterion columns: postal codes stand in for sales so that the run
    // has something to read. What this checks is the reading, not the scores.
    run = kam(['score', file, '--out', path.join(dir, 'customers.kam.csv'), '--map', 'sales=postalCode']);
    records = readCsvTable(path.join(dir, 'customers.kam.csv')).records;
  });

  test('there are 24 such lines, each with 12 fields for 11 headers', () => {
    expect(malformed).toHaveLength(24);
    for (const m of malformed) expect(m.line.split(',')).toHaveLength(12);
  });

  test('stderr lists each by its line number', () => {
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`customers.csv: 24 malformed lines kept in place, not scored:`);
    for (const m of malformed) expect(run.stderr).toContain(`  line ${m.number} has 12 fields, the header has 11 (an unquoted comma?): not scored\n`);
    expect(run.stdout).toContain('Malformed lines (kept, not scored): 24 (line 8, line 9, line 10');
  });

  test('each stays at its place with its text verbatim in the first cell, never shifted', () => {
    expect(records).toHaveLength(lines.length - 1);
    const bad = new Set(malformed.map((m) => m.number));
    records.forEach((fields, i) => {
      const number = i + 2;
      const original = lines[i + 1] as string;
      const [score, tier, flags] = fields.slice(header.length);
      if (bad.has(number)) {
        expect(fields.slice(0, header.length)).toEqual([original, ...new Array<string>(header.length - 1).fill('')]);
        expect([score, tier]).toEqual(['', 'Invalid input']);
        expect(flags).toBe(`line ${number} has 12 fields, the header has 11 (an unquoted comma?): not scored`);
      } else {
        expect(fields.slice(0, header.length)).toEqual(original.split(','));
        expect(flags).not.toContain('fields, the header has');
      }
    });
  });
});

/** One account per customer, derived from the orders. */
interface Derived {
  id: string;
  company: string;
  sales: number;
  previous: number;
  growth: number | null;
}

function deriveAccounts(): { accounts: Derived[]; wideOrders: number; unreadableOrders: number; lastDate: string; customersWithoutOrders: string[] } {
  const read = (name: string): string[][] =>
    parseCsv(fs.readFileSync(path.join(NORTHWIND, name), 'utf8'))
      .records.slice(1)
      .map((r) => r.fields);
  const orders = read('orders.csv');
  const details = read('order-details.csv');
  const customers = read('customers.csv');

  // 176 orders carry an unquoted comma in the ship address (15 fields for 14). The fields before
  // the address (orderID, customerID, employeeID, orderDate, …) are intact, so only those are read,
  // by position.
  const wideOrders = orders.filter((f) => f.length === 15).length;
  const unreadableOrders = orders.filter((f) => !/^\d{5}$/.test(f[0] ?? '') || !/^\d{4}-\d{2}-\d{2} /.test(f[3] ?? '')).length;
  const amountOf = new Map<string, number>();
  for (const [orderID, , unitPrice, quantity, discount] of details) {
    const amount = Number(unitPrice) * Number(quantity) * (1 - Number(discount));
    amountOf.set(orderID as string, (amountOf.get(orderID as string) ?? 0) + amount);
  }
  const lastDate = orders
    .map((f) => (f[3] as string).slice(0, 10))
    .sort()
    .at(-1) as string;
  // The last 12 months of the data: (last − 12 months, last]; the 12 before: (last − 24, last − 12].
  const shift = (years: number): string => `${Number(lastDate.slice(0, 4)) - years}${lastDate.slice(4)}`;
  const oneYearBack = shift(1);
  const twoYearsBack = shift(2);
  const totals = new Map<string, { sales: number; previous: number }>();
  for (const f of orders) {
    const [orderID, customerID, , orderDate] = f as [string, string, string, string];
    const day = orderDate.slice(0, 10);
    const t = totals.get(customerID) ?? { sales: 0, previous: 0 };
    const amount = amountOf.get(orderID) ?? 0;
    if (day > oneYearBack) t.sales += amount;
    else if (day > twoYearsBack) t.previous += amount;
    totals.set(customerID, t);
  }
  // The company name is the second field, before the address, so it is intact on every line.
  const companyOf = new Map(customers.map((f) => [f[0] as string, f[1] as string]));
  const round2 = (x: number): number => Math.round(x * 100) / 100;
  const accounts = [...totals].map(([id, t]): Derived => {
    const sales = round2(t.sales);
    const previous = round2(t.previous);
    return { id, company: companyOf.get(id) ?? '', sales, previous, growth: previous > 0 ? sales / previous - 1 : null };
  });
  const customersWithoutOrders = customers.map((f) => f[0] as string).filter((id) => !totals.has(id));
  return { accounts, wideOrders, unreadableOrders, lastDate, customersWithoutOrders };
}

/** What a linear criterion gives, 0–100, clamped: the rule book's curve, written out again here. */
const linear = (x: number, min: number, max: number): number => Math.min(Math.max((x - min) / (max - min), 0), 1) * 100;

/** The exact (unrounded) score of sales and growth under a rule set's curves and weights. */
function expectedScore(a: Derived, rules: RuleSet): { score: number; share: number } {
  const sales = rules.criteria.find((c) => c.id === 'sales');
  const growth = rules.criteria.find((c) => c.id === 'growth');
  if (!sales || !growth) throw new Error('rules without sales or growth');
  const total = rules.criteria.reduce((s, c) => s + c.weight, 0);
  let weighted = sales.weight * linear(a.sales, sales.curve.min, sales.curve.max);
  let present = sales.weight;
  if (a.growth !== null) {
    weighted += growth.weight * linear(a.growth, growth.curve.min, growth.curve.max);
    present += growth.weight;
  }
  return { score: weighted / present, share: present / total };
}

describeData('per-account sheet derived from orders.csv and order-details.csv', () => {
  const derived = deriveAccounts();
  const { accounts } = derived;
  const HEADERS = ['Customer ID', 'Company', 'Annual sales', 'Purchase growth', 'Gross margin', 'Wallet', 'Days to pay', 'Access to goals', 'Openness to ideas'];

  beforeAll(() => {
    const rows = accounts.map((a) => [a.id, a.company, String(a.sales), a.growth === null ? '' : String(a.growth), '', '', '', '', '']);
    // The data has no cost, wallet, payment or relationship facts: those columns are blank.
    fs.writeFileSync(path.join(dir, 'northwind-accounts.csv'), writeCsv([HEADERS, ...rows], { bom: true }));
  });

  test('the data as the README describes it', () => {
    expect(derived.wideOrders).toBe(176);
    expect(derived.unreadableOrders).toBe(0);
    expect(derived.lastDate).toBe('1998-05-06');
    expect(accounts).toHaveLength(89);
    expect(derived.customersWithoutOrders).toHaveLength(2);
  });

  test('under the default rules every account is Insufficient data (35% of the weight at most), its score shown', () => {
    const rules = defaultRules();
    const run = kam(['score', path.join(dir, 'northwind-accounts.csv')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Scored 89 accounts');
    expect(run.stdout).toMatch(/^ +Insufficient data +89$/m);
    const out = readCsvTable(path.join(dir, 'northwind-accounts.kam.csv')).rows;
    expect(out).toHaveLength(accounts.length);
    accounts.forEach((a, i) => {
      const row = out[i] as Record<string, string>;
      expect(row['Customer ID']).toBe(a.id);
      const { score, share } = expectedScore(a, rules);
      expect(share).toBeLessThanOrEqual(0.35);
      expect(row['KAM Tier']).toBe('Insufficient data');
      expect(Math.abs(Number(row['KAM Score']) - score)).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(row['KAM Flags']).toContain('Gross margin, ');
    });
    expect(out.filter((r) => r['KAM Flags']?.includes('Purchase growth'))).toHaveLength(accounts.filter((a) => a.growth === null).length);
  });

  test("with a user's own rules of sales and growth only, the tiers spread out and the top account by sales leads", () => {
    const base = defaultRules();
    base.name = 'Northwind: sales and growth';
    base.criteria = base.criteria.filter((c) => c.id === 'sales' || c.id === 'growth');
    base.knockouts = [];
    // Calibrate the sales target to this business's size (the default 1,000,000 is far above it).
    const rules = applyCalibration(base, suggestCalibration({ sales: accounts.map((a) => a.sales) }, base));
    const target = rules.criteria.find((c) => c.id === 'sales')?.curve.max ?? 0;
    expect(target).toBeLessThan(1_000_000);
    const rulesFile = path.join(dir, 'rules-sales-growth.json');
    fs.writeFileSync(rulesFile, JSON.stringify(rules, null, 2));

    const out = path.join(dir, 'northwind-sales-growth.csv');
    const run = kam(['score', path.join(dir, 'northwind-accounts.csv'), '--rules', rulesFile, '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`${rulesFile}: warning: the weights add up to 35, not 100`);
    const rows = readCsvTable(out).rows;

    const label = (id: 'strategic' | 'key' | 'develop' | 'maintain' | 'insufficient'): string => rules.tiers[id].label.en;
    accounts.forEach((a, i) => {
      const row = rows[i] as Record<string, string>;
      const { score, share } = expectedScore(a, rules);
      const rounded = Math.round(score * 10) / 10;
      const tier =
        share < rules.missingData.minWeightShare
          ? 'insufficient'
          : rounded >= rules.tiers.strategic.minScore
            ? 'strategic'
            : rounded >= rules.tiers.key.minScore
              ? 'key'
              : rounded >= rules.tiers.develop.minScore
                ? 'develop'
                : 'maintain';
      expect([a.id, row['KAM Tier']]).toEqual([a.id, label(tier)]);
      expect(Math.abs(Number(row['KAM Score']) - score)).toBeLessThanOrEqual(0.05 + 1e-9);
    });

    const tiers = new Set(rows.map((r) => r['KAM Tier']));
    expect([...tiers].filter((t) => t !== label('insufficient')).length).toBeGreaterThanOrEqual(3);

    const top = accounts.reduce((best, a) => (a.sales > best.sales ? a : best));
    const topRow = rows.find((r) => r['Customer ID'] === top.id) as Record<string, string>;
    const best = Math.max(...rows.map((r) => Number(r['KAM Score'])));
    expect(Number(topRow['KAM Score'])).toBe(best);
    expect(topRow['KAM Tier']).toBe(label('strategic'));
    expect(topRow.Company).toBe(top.company);
  });
});
