/**
 * Real data through the three scorers: Northwind's order lines (test/fixtures/northwind, defects and
 * all) rolled up by the engine's `rollUp` into one account per customer, then scored by the engine's
 * kernel, by the generated query in DuckDB and by the generated query in SQLite. The verdicts must be
 * identical, bit for bit.
 *
 * Northwind has no costs, payment dates or ratings, so margin, payment days, wallet, access and
 * openness are blank for every account: under the default rules every account is Insufficient. A
 * second rule set made for this data (sales calibrated on it, the order count as a custom criterion,
 * a required input, an exclude and a flag knock-out) spreads the same accounts over every tier.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyCalibration, defaultRules, parsePeriod, parseRules, rollUp, suggestCalibration, type RuleSet, type RuleSetInput } from '../../src/engine';
import { parseCsv } from '../../src/engine/csv';
import { duckdbRows, engineRows, sqliteRows, verdicts, type Account } from './engines';

const NORTHWIND = path.join(__dirname, '..', 'fixtures', 'northwind');
const read = (name: string): string[][] =>
  parseCsv(fs.readFileSync(path.join(NORTHWIND, name), 'utf8'))
    .records.slice(1)
    .map((r) => r.fields);

/** Order lines as a sales export has them (order, customer, date, amount in cents), and every customer id. */
function northwindLines(): { rows: Array<[string, string, string, number]>; customers: string[] } {
  // 176 orders have an unquoted comma in the ship address; the fields before it are intact.
  const orderOf = new Map(read('orders.csv').map((f) => [f[0] as string, { customer: f[1] as string, day: (f[3] as string).slice(0, 10) }]));
  const rows = read('order-details.csv').map(([orderId, , unitPrice, quantity, discount]): [string, string, string, number] => {
    const order = orderOf.get(orderId as string);
    if (!order) throw new Error(`order ${orderId} has no header`);
    return [orderId as string, order.customer, order.day, Math.round(Number(unitPrice) * Number(quantity) * (1 - Number(discount)) * 100) / 100];
  });
  return { rows, customers: read('customers.csv').map((f) => f[0] as string) };
}

/** One account per customer: the roll-up's sales and orders, blank for a customer with no orders in the period. */
function northwindAccounts(): Account[] {
  const { rows, customers } = northwindLines();
  const result = rollUp(['Order ID', 'Customer ID', 'Order Date', 'Amount'], rows, { period: parsePeriod('last12') ?? undefined });
  if (!result.ok) throw new Error(`roll-up failed: ${result.reason}`);
  const byKey = new Map(result.accounts.map((a) => [a.key, a]));
  return customers.map((id) => {
    const a = byKey.get(id);
    return { sales: a?.sales ?? null, margin: a?.margin ?? null, growth: a?.growth ?? null, paymentDays: a?.paymentDays ?? null, orders: a ? a.orders : null };
  });
}

/** The rule set a Northwind analyst would write: what the data holds, calibrated on it. */
function northwindRules(accounts: readonly Account[]): RuleSet {
  const input = structuredClone(defaultRules()) as RuleSetInput;
  input.criteria.push({
    id: 'orders',
    label: { en: 'Orders in the period', zh: '期内订单数' },
    unit: 'number',
    better: 'higher',
    curve: { type: 'linear', min: 0, max: 15 },
    weight: 25,
    validMin: 0,
  });
  for (const c of input.criteria) c.required = c.id === 'sales';
  // Sales and orders carry 45 of the 135 weight points: a third is enough to score.
  input.missingData.minWeightShare = 0.3;
  input.knockouts.push({ id: 'oneOffBuyer', effect: 'exclude', when: [{ criterion: 'orders', op: '<=', value: 1 }], reason: { en: 'one order only', zh: '仅一笔订单' } });
  input.knockouts.push({ id: 'smallBuyer', effect: 'flag', when: [{ criterion: 'sales', op: '<', value: 2000 }], reason: { en: 'small buyer', zh: '小客户' } });
  const parsed = parseRules(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const sales = accounts.map((a) => a.sales ?? null);
  return applyCalibration(parsed.rules, suggestCalibration({ sales }, parsed.rules, 0.9));
}

const accounts = northwindAccounts();

describe('the Northwind roll-up scored by the engine, DuckDB and SQLite', () => {
  test('the roll-up gives 89 accounts with sales and orders, and 2 customers with no order at all', () => {
    expect(accounts).toHaveLength(91);
    expect(accounts.filter((a) => a.sales === null)).toHaveLength(2);
    expect(accounts.filter((a) => a.sales !== null && a.orders !== null)).toHaveLength(89);
  });

  test.each([
    ['the default rules', (): RuleSet => defaultRules()],
    ['rules made for this data', (): RuleSet => northwindRules(accounts)],
  ])('%s: identical scores, tiers and shares in all three; identical labels and flags in DuckDB and SQLite', async (_name, makeRules) => {
    const rules = makeRules();
    const engine = engineRows(accounts, rules);
    const duck = await duckdbRows(accounts, rules, { lang: 'zh' });
    const lite = sqliteRows(accounts, rules, { lang: 'zh' });
    expect(verdicts(duck)).toEqual(engine);
    expect(verdicts(lite)).toEqual(engine);
    expect(duck).toEqual(lite);
  });

  test('the default rules leave every account Insufficient: the data holds two of the seven criteria', () => {
    expect(new Set(engineRows(accounts, defaultRules()).map((r) => r.tier))).toEqual(new Set(['insufficient']));
  });

  test('the rules made for this data reach every tier, the exclusion and both knock-outs', async () => {
    const rules = northwindRules(accounts);
    const rows = await duckdbRows(accounts, rules);
    const tiers = new Set(rows.map((r) => r.tier));
    for (const tier of ['strategic', 'key', 'develop', 'maintain', 'excluded', 'insufficient']) expect(tiers).toContain(tier);
    expect(rows.some((r) => r.flags.includes('oneOffBuyer'))).toBe(true);
    expect(rows.some((r) => r.flags.includes('smallBuyer'))).toBe(true);
    expect(rows.some((r) => r.flags.includes('required:sales'))).toBe(true);
  });
});
