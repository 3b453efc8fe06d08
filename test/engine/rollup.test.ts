/** Order lines → accounts (domain.md §5): golden roll-ups worked out by hand. */
import { periodWindow } from '../../src/engine/rollup';
import { addMonths, dayOf, isoDay, parsePeriod, repeatedAccounts, rollUp, type AccountRollup, type CellValue, type RollupResult } from '../../src/engine';

const HEADERS = ['Order ID', 'Order Date', 'Customer', 'Sales', 'Profit', 'Invoice date', 'Payment date'];
type Line = [order: string, date: CellValue, customer: string, sales: CellValue, profit: CellValue, invoiced?: CellValue, paid?: CellValue];

function ok(result: RollupResult): Extract<RollupResult, { ok: true }> {
  if (!result.ok) throw new Error(`roll-up failed: ${result.reason}`);
  return result;
}
const account = (r: Extract<RollupResult, { ok: true }>, key: string): AccountRollup => {
  const a = r.accounts.find((x) => x.key === key);
  if (!a) throw new Error(`no account ${key}`);
  return a;
};

// The data's last order is 2024-06-30, so the latest 12 months are 2023-07-01 – 2024-06-30 and the
// 12 before them 2022-07-01 – 2023-06-30 (the first line, 2022-07-01, makes that year complete).
const LINES: Line[] = [
  ['1', '2022-07-01', 'Anchor', 1000, 200],
  ['2', '2023-01-15', 'Anchor', 1000, 200],
  ['3', '2023-08-01', 'Anchor', 1500, 300, '2023-08-01', '2023-08-31'],
  ['3', '2023-08-01', 'Anchor', 500, 50, '2023-08-01', '2023-10-30'],
  ['4', '2024-06-30', 'Anchor', 400, 50],
  // Returns: bought 800, returned 1,000 in the period.
  ['5', '2022-09-01', 'Returner', 900, 90],
  ['6', '2023-09-01', 'Returner', 800, 80],
  ['7', '2023-10-01', 'Returner', -1000, -100],
  // New: 40 the year before, 2,000 now (40 < 5% of 2,000 = 100).
  ['8', '2023-05-01', 'Newcomer', 40, 4],
  ['9', '2024-02-01', 'Newcomer', 2000, 400],
  // Missing profit on one of its two lines in the period.
  ['10', '2023-12-01', 'Patchy', 700, 70],
  ['11', '2024-01-01', 'Patchy', 300, null],
];
const rows = (lines: Line[]): CellValue[][] => lines.map((l) => [l[0], l[1], l[2], l[3], l[4], l[5] ?? null, l[6] ?? null]);

describe('roll-up over the latest 12 months', () => {
  const r = ok(rollUp(HEADERS, rows(LINES)));

  test('the period is the 12 months ending at the last order date', () => {
    expect([isoDay(r.period.start), isoDay(r.period.end - 1)]).toEqual(['2023-07-01', '2024-06-30']);
    expect(r.earlier.map((w) => isoDay(w.start))).toEqual(['2022-07-01']);
    expect(r.accounts.map((a) => a.key)).toEqual(['Anchor', 'Returner', 'Newcomer', 'Patchy']);
  });

  test('sales, margin, growth (year on year), orders, payment days, first and last order', () => {
    const a = account(r, 'Anchor');
    expect(a.sales).toBe(2400); // 1500 + 500 + 400
    expect(a.margin).toBeCloseTo(400 / 2400, 12);
    expect(a.growth).toBeCloseTo(2400 / 2000 - 1, 12); // 2000 the year before
    expect(a.growthPeriods).toBe(2);
    expect(a.orders).toBe(2); // orders 3 and 4; order 3 has two lines
    // Sales-weighted: (30 × 1500 + 90 × 500) / 2000 = 45 days.
    expect(a.paymentDays).toBe(45);
    expect([isoDay(a.firstOrder), isoDay(a.lastOrder)]).toEqual(['2022-07-01', '2024-06-30']);
    expect(a.flags).toEqual([]);
  });

  test('returns beyond purchases: net returns, no margin, never invalid', () => {
    const a = account(r, 'Returner');
    expect(a.sales).toBe(-200);
    expect(a.margin).toBeNull();
    expect(a.growth).toBeNull();
    expect(a.flags).toEqual(['netReturns']);
  });

  test('an earlier period below 5% of the later one: new account, growth left blank', () => {
    const a = account(r, 'Newcomer');
    expect(a.sales).toBe(2000);
    expect(a.margin).toBeCloseTo(0.2, 12);
    expect(a.growth).toBeNull();
    expect(a.flags).toEqual(['newAccount']);
  });

  test('a line without profit leaves the margin blank rather than computed from part of the sales', () => {
    const a = account(r, 'Patchy');
    expect(a.sales).toBe(1000);
    expect(a.margin).toBeNull();
    expect(a.flags).toContain('profitMissing');
  });

  test('every derived column says what it was computed from', () => {
    expect(r.derivations.sales?.en).toBe('sum of "Sales" over 2023-07-01 – 2024-06-30, returns netted off');
    expect(r.derivations.margin?.en).toBe('"Profit" ÷ "Sales" over 2023-07-01 – 2024-06-30');
    expect(r.derivations.paymentDays?.en).toBe('sales-weighted mean of "Payment date" − "Invoice date", in days');
    expect(r.derivations.growth?.zh).toContain('同比');
    expect(r.derivations.orders?.en).toContain('distinct "Order ID"');
  });
});

describe('chosen periods', () => {
  test('a fiscal year starting in April: FY2024 runs from 2023-04-01 to 2024-03-31', () => {
    const spec = parsePeriod('FY2024', 4);
    expect(spec).toEqual({ kind: 'year', year: 2024, startMonth: 4 });
    const lines: Line[] = [
      ['1', '2022-03-31', 'A', 100, null], // FY2022
      ['2', '2022-04-01', 'A', 1000, null], // FY2023
      ['3', '2023-03-31', 'A', 1, null], // FY2023, its last day
      ['4', '2023-04-01', 'A', 500, null], // FY2024, its first day
      ['5', '2024-03-31', 'A', 700, null], // FY2024, its last day
      ['6', '2024-04-01', 'A', 9999, null], // FY2025
    ];
    const r = ok(rollUp(HEADERS, rows(lines), { period: spec ?? undefined }));
    expect([isoDay(r.period.start), isoDay(r.period.end - 1)]).toEqual(['2023-04-01', '2024-03-31']);
    const a = account(r, 'A');
    expect(a.sales).toBe(1200);
    // FY2023 is complete in the data (its first day 2022-04-01 ≥ the first line 2022-03-31): 1200 / 1001 − 1.
    expect(a.growth).toBeCloseTo(1200 / 1001 - 1, 12);
    expect(r.periodLabel).toBe('FY2024 2023-04-01 – 2024-03-31');
  });

  test('three complete years give the compound annual rate', () => {
    const lines: Line[] = [
      ['1', '2021-01-01', 'A', 1000, null],
      ['2', '2022-01-01', 'A', 1100, null],
      ['3', '2023-01-01', 'A', 1210, null],
      ['4', '2023-12-31', 'B', 1, null],
    ];
    const r = ok(rollUp(HEADERS, rows(lines), { period: { kind: 'year', year: 2023, startMonth: 1 } }));
    const a = account(r, 'A');
    expect(a.growthPeriods).toBe(3);
    expect(a.growth).toBeCloseTo(0.1, 12);
  });

  test('a quarter, in Chinese', () => {
    expect(parsePeriod('2018年第三季度')).toEqual({ kind: 'quarter', year: 2018, quarter: 3, startMonth: 1 });
    expect(parsePeriod('2018-Q3')).toEqual({ kind: 'quarter', year: 2018, quarter: 3, startMonth: 1 });
    expect(parsePeriod('FY18', 7)).toEqual({ kind: 'year', year: 2018, startMonth: 7 });
    expect(parsePeriod('last24')).toEqual({ kind: 'trailing', months: 24 });
    expect(parsePeriod('soon')).toBeNull();
    const w = periodWindow({ kind: 'quarter', year: 2018, quarter: 3, startMonth: 1 }, 0);
    expect([isoDay(w.start), isoDay(w.end - 1)]).toEqual(['2018-07-01', '2018-09-30']);
  });

  test("a period outside the data is refused, naming the data's range", () => {
    const r = rollUp(HEADERS, rows(LINES), { period: { kind: 'year', year: 2030, startMonth: 1 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.reason, r.detail]).toEqual(['periodOutsideData', '2022-07-01 – 2024-06-30']);
  });
});

describe('dates as exports write them, in UTC whatever the machine', () => {
  test('Excel serials, Date objects, ISO and Chinese texts are the same day', () => {
    const day = dayOf(2024, 2, 29);
    const forms: CellValue[] = [45351, 45351.75, new Date(Date.UTC(2024, 1, 29)), '2024-02-29', '2024-02-29 00:00:00.000', '2024/2/29', '2024年2月29日', '20240229'];
    const lines = forms.map((d, i): Line => [String(i), d, `C${i}`, 10, null]);
    const r = ok(rollUp(HEADERS, rows(lines)));
    expect(r.problems).toEqual([]);
    for (const a of r.accounts) expect(isoDay(a.lastOrder)).toBe(isoDay(day));
  });

  test('d/m/y or m/d/y is decided by the column, or refused as ambiguous', () => {
    const mdy = ok(
      rollUp(
        HEADERS,
        rows([
          ['1', '3/4/2024', 'A', 1, null],
          ['2', '12/25/2023', 'A', 1, null],
        ]),
      ),
    );
    expect(isoDay(mdy.accounts[0]?.lastOrder ?? 0)).toBe('2024-03-04');
    const dmy = ok(
      rollUp(
        HEADERS,
        rows([
          ['1', '3/4/2024', 'A', 1, null],
          ['2', '25/12/2023', 'A', 1, null],
        ]),
      ),
    );
    expect(isoDay(dmy.accounts[0]?.lastOrder ?? 0)).toBe('2024-04-03');
    const unclear = rollUp(HEADERS, rows([['1', '3/4/2024', 'A', 1, null]]));
    expect(unclear.ok || unclear.reason).toBe('ambiguousDates');
    const told = ok(rollUp(HEADERS, rows([['1', '3/4/2024', 'A', 1, null]]), { dayMonthOrder: 'dmy' }));
    expect(isoDay(told.accounts[0]?.lastOrder ?? 0)).toBe('2024-04-03');
  });

  test('month arithmetic clamps to the month end', () => {
    expect(isoDay(addMonths(dayOf(2024, 2, 29), -12))).toBe('2023-02-28');
    expect(isoDay(addMonths(dayOf(2024, 3, 31), -1))).toBe('2024-02-29');
  });
});

describe('lines that cannot be read are left out and named', () => {
  test('a blank customer, an unreadable date and amount', () => {
    const r = ok(
      rollUp(
        HEADERS,
        rows([
          ['1', '2024-01-01', '', 5, null],
          ['2', 'soon', 'A', 5, null],
          ['3', '2024-01-02', 'A', 'lots', null],
          ['4', '2024-01-03', 'A', 7, null],
        ]),
      ),
    );
    expect(r.problems.map((p) => [p.line, p.kind, p.text])).toEqual([
      [0, 'blankAccount', ''],
      [1, 'badDate', 'soon'],
      [2, 'badAmount', 'lots'],
    ]);
    expect(account(r, 'A').sales).toBe(7);
  });
});

describe('columns of real exports, English and Chinese', () => {
  test.each([
    [
      ['Row ID', 'Order ID', 'Order Date', 'Ship Date', 'Customer ID', 'Customer Name', 'Segment', 'Sales', 'Quantity', 'Discount', 'Profit'],
      { accountId: 'Customer ID', account: 'Customer Name', date: 'Order Date', amount: 'Sales', profit: 'Profit', orderId: 'Order ID' },
    ],
    [
      ['行 ID', '订单 ID', '订单日期', '发货日期', '客户 ID', '客户名称', '细分', '销售额', '数量', '折扣', '利润'],
      { accountId: '客户 ID', account: '客户名称', date: '订单日期', amount: '销售额', profit: '利润', orderId: '订单 ID' },
    ],
    [['orderID', 'customerID', 'orderDate', 'amount'], { accountId: 'customerID', date: 'orderDate', amount: 'amount', orderId: 'orderID' }],
    [
      ['单号', '客户', '开票日期', '回款日期', '价税合计', '成本'],
      { account: '客户', invoiceDate: '开票日期', paymentDate: '回款日期', amount: '价税合计', cost: '成本', orderId: '单号' },
    ],
  ])('%j', (headers, expected) => {
    const r = rollUp(headers, []);
    const found = Object.fromEntries(Object.entries(r.columns.matches).map(([f, m]) => [f, m.header]));
    expect(found).toEqual(expected);
  });
});

describe('order lines or accounts?', () => {
  test('an account column that repeats on a large scale', () => {
    expect(repeatedAccounts(['a', 'b', 'a', 'a', 'b', 'c', 'c'])).toEqual({ lines: 7, accounts: 3 });
    expect(repeatedAccounts(['a', 'b', 'c', 'a'])).toBeNull();
  });
});
