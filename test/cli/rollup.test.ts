/**
 * kam rollup: order lines → one row per account, then kam score on the result. The Northwind orders
 * (real, with defects) are joined to their lines here, and every expected figure is derived here
 * from the CSV files, independently of kam.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCsv, writeCsv } from '../../src/engine/csv';
import { kam, NORTHWIND, readCsvTable, readXlsxTable, tempDir } from './helpers';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const read = (name: string): string[][] =>
  parseCsv(fs.readFileSync(path.join(NORTHWIND, name), 'utf8'))
    .records.slice(1)
    .map((r) => r.fields);

/** Northwind's order lines as a sales export has them: order, customer, date, amount. */
function orderLines(): { rows: string[][]; expected: Map<string, { sales: number; orders: number; last: string }> } {
  const orders = read('orders.csv');
  const details = read('order-details.csv');
  // 176 orders have an unquoted comma in the ship address; the fields before it are intact.
  const orderOf = new Map(orders.map((f) => [f[0] as string, { customer: f[1] as string, day: (f[3] as string).slice(0, 10) }]));
  const rows: string[][] = [];
  for (const [orderID, , unitPrice, quantity, discount] of details) {
    const o = orderOf.get(orderID as string);
    if (!o) throw new Error(`order ${orderID} has no header`);
    // In cents, as exports write amounts ("110.125" would be refused as 110,125 or 110.125).
    rows.push([orderID as string, o.customer, o.day, (Number(unitPrice) * Number(quantity) * (1 - Number(discount))).toFixed(2)]);
  }
  // The latest 12 months: after 1997-05-06, up to the last order on 1998-05-06.
  const expected = new Map<string, { sales: number; orders: Set<string>; last: string }>();
  for (const [orderID, customer, day, amount] of rows as Array<[string, string, string, string]>) {
    const e = expected.get(customer) ?? { sales: 0, orders: new Set<string>(), last: '' };
    if (day > '1997-05-06') {
      e.sales += Number(amount);
      e.orders.add(orderID);
    }
    if (day > e.last) e.last = day;
    expected.set(customer, e);
  }
  return { rows, expected: new Map([...expected].map(([k, e]) => [k, { sales: Math.round(e.sales * 100) / 100, orders: e.orders.size, last: e.last }])) };
}

describe('Northwind order lines rolled up and scored', () => {
  const { rows, expected } = orderLines();
  let run: ReturnType<typeof kam>;
  let accounts: Array<Record<string, string>>;
  beforeAll(() => {
    fs.writeFileSync(path.join(dir, 'nw-orders.csv'), writeCsv([['Order ID', 'Customer ID', 'Order Date', 'Amount'], ...rows], { bom: true }));
    run = kam(['rollup', path.join(dir, 'nw-orders.csv')]);
    accounts = readCsvTable(path.join(dir, 'nw-orders.accounts.csv')).rows;
  });

  test('2,155 lines become 89 accounts, each with its sales, orders and last order', () => {
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Rolled up 2155 order lines into 89 accounts');
    expect(run.stdout).toContain('Period: 12m 1997-05-07 – 1998-05-06');
    expect(run.stdout).toContain('Annual sales: sum of "Amount" over 1997-05-07 – 1998-05-06, returns netted off');
    // The data starts on 1996-07-04: the year before the period is not complete, so no growth.
    expect(run.stdout).toContain('No growth column: the data (from 1996-07-04)');
    expect(run.stderr).toBe('');
    expect(accounts).toHaveLength(89);
    for (const a of accounts) {
      const e = expected.get(a['Customer ID'] as string);
      expect(e).toBeDefined();
      expect(Number(a['Annual sales'])).toBeCloseTo(e?.sales ?? NaN, 2);
      expect(Number(a.Orders)).toBe(e?.orders);
      expect(a['Last order']).toBe(e?.last);
    }
  });

  test('kam score on the result: the readiness is said once, every account Insufficient under the default rules', () => {
    const score = kam(['score', path.join(dir, 'nw-orders.accounts.csv')]);
    expect(score.status).toBe(0);
    expect(score.stdout).toMatch(/^ +Insufficient data +89$/m);
    expect(score.stdout).toContain('Absent from the sheet: Gross margin, Purchase growth, Wallet (headroom), Days to pay, Access to goals, Openness to ideas (80% of the weight).');
    expect(score.stdout).toContain('every account would be Insufficient data');
    expect(score.stdout).toContain('Scale: the Annual sales target is 1,000,000, but 90% of the accounts are below');
    // Nothing about the absent columns in each row.
    const out = readCsvTable(path.join(dir, 'nw-orders.accounts.kam.csv')).rows;
    expect(out.filter((r) => r['KAM Flags'] !== '')).toHaveLength(0);
  });

  test('--score-present --calibrate: a spread of tiers, the biggest buyer Strategic, the rule set saved', () => {
    const out = path.join(dir, 'nw-scored.csv');
    const score = kam(['score', path.join(dir, 'nw-orders.accounts.csv'), '--score-present', '--calibrate', '--out', out]);
    expect(score.status).toBe(0);
    expect(score.stdout).toContain('Scored on the criteria present (--score-present)');
    expect(score.stdout).toMatch(/Calibrated: Annual sales target 1,000,000 → [\d,]+ \(90th percentile of 8[89] accounts\)/);
    const scored = readCsvTable(out).rows;
    const tiers = new Set(scored.map((r) => r['KAM Tier']));
    expect([...tiers].filter((t) => t !== 'Insufficient data').length).toBeGreaterThanOrEqual(3);
    const top = [...expected].reduce((best, e) => (e[1].sales > best[1].sales ? e : best));
    expect(scored.find((r) => r['Customer ID'] === top[0])?.['KAM Tier']).toBe('Strategic');
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'nw-scored.rules.json'), 'utf8')) as { criteria: Array<{ id: string; weight: number }> };
    expect(saved.criteria.map((c) => [c.id, c.weight])).toEqual([['sales', 100]]);
  });

  test('kam score on the lines themselves says they look like order lines', () => {
    const score = kam(['score', path.join(dir, 'nw-orders.csv'), '--map', 'sales=Amount', '--map', 'account=Customer ID']);
    expect(score.stdout).toContain('This looks like order lines: 2155 lines for 89 accounts. To score each account once, run: kam rollup');
  });
});

describe('kam rollup with Chinese headers, returns, a fiscal year and an .xlsx result', () => {
  const HEADERS = ['订单号', '客户名称', '订单日期', '销售额', '利润', '开票日期', '回款日期'];
  const LINES = [
    ['A1', '华东精密机械', '2023-04-03', '1000', '200', '2023-04-03', '2023-05-03'],
    ['A2', '华东精密机械', '2024-04-02', '1500', '300', '2024-04-02', '2024-06-01'],
    ['A3', '北京瑞通物流', '2023-05-01', '800', '80', '', ''],
    ['A4', '北京瑞通物流', '2023-06-01', '-900', '-90', '', ''],
    ['A5', '苏州金鼎纺织', '2023-07-01', '5000', '', '', ''],
    ['A6', '苏州金鼎纺织', '2025-03-31', '10', '1', '', ''],
  ];

  test('FY2024 from April: sums, net returns, missing profit; headers, notes and flags in Chinese', async () => {
    fs.writeFileSync(path.join(dir, 'orders-zh.csv'), writeCsv([HEADERS, ...LINES], { bom: true }));
    const out = path.join(dir, 'accounts-zh.xlsx');
    const run = kam(['rollup', path.join(dir, 'orders-zh.csv'), '--period', 'FY2024', '--fiscal-start', '4', '--out', out, '--lang', 'zh']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('期间:FY2024 2023-04-01 – 2024-03-31');
    const { headers, rows, workbook } = await readXlsxTable(out);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['客户']);
    expect(headers).toEqual(['客户', '年销售额', '毛利率', '付款天数', '订单数', '首次下单', '最近下单', '期间', '汇总提示']);
    const byName = Object.fromEntries(rows.map((r) => [r['客户'] as string, r]));
    expect(byName['华东精密机械']?.['年销售额']).toBe(1000);
    expect(byName['华东精密机械']?.['毛利率']).toBe(0.2);
    expect(byName['华东精密机械']?.['付款天数']).toBe(30);
    expect(byName['北京瑞通物流']?.['年销售额']).toBe(0);
    expect(byName['北京瑞通物流']?.['汇总提示']).toBe('净退货:本期退货超过采购(净额 -100.00;销售额记为 0)');
    expect(byName['苏州金鼎纺织']?.['毛利率']).toBeNull();
    expect(byName['苏州金鼎纺织']?.['汇总提示']).toBe('毛利率留空:部分行没有利润或成本');
    // The header's note says what the column was computed from.
    const note = workbook.worksheets[0]?.getCell('B1').note;
    expect(typeof note === 'string' ? note : JSON.stringify(note)).toContain('2023-04-01 – 2024-03-31 期间“销售额”合计');
  });

  test("the result does not depend on the machine's time zone", async () => {
    // An .xlsx of the same lines with real date cells (exceljs writes them as serials).
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Lines');
    sheet.addRow(HEADERS);
    for (const l of LINES)
      sheet.addRow([
        l[0],
        l[1],
        new Date(`${l[2]}T00:00:00Z`),
        Number(l[3]),
        l[4] === '' ? null : Number(l[4]),
        l[5] ? new Date(`${l[5]}T00:00:00Z`) : null,
        l[6] ? new Date(`${l[6]}T00:00:00Z`) : null,
      ]);
    const file = path.join(dir, 'orders-dates.xlsx');
    await workbook.xlsx.writeFile(file);
    const outputs = ['Pacific/Kiritimati', 'America/Anchorage', 'UTC'].map((tz) => {
      const out = path.join(dir, `tz-${tz.replace('/', '-')}.csv`);
      const run = kam(['rollup', file, '--period', 'FY2024', '--fiscal-start', '4', '--out', out], { env: { TZ: tz } });
      expect(run.status).toBe(0);
      return fs.readFileSync(out, 'utf8');
    });
    expect(new Set(outputs).size).toBe(1);
    expect(outputs[0]).toContain('华东精密机械,1000,0.2,30,1,2023-04-03,2024-04-02,FY2024 2023-04-01 – 2024-03-31,');
  });

  test('bad options and unreadable lines are named', () => {
    const bad = kam(['rollup', path.join(dir, 'orders-zh.csv'), '--period', 'soon']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--period: "soon" is not a period');
    fs.writeFileSync(path.join(dir, 'orders-bad.csv'), writeCsv([HEADERS, ...LINES, ['A7', '华东精密机械', 'yesterday', '5', '1', '', '']]));
    const run = kam(['rollup', path.join(dir, 'orders-bad.csv')]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('line 8: "订单日期": "yesterday" is not a date; left out');
  });
});
