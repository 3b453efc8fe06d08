/** Header recognition on real-world spellings, English and Chinese: measures, periods and synonyms. */
import { defaultRules, matchColumns, accountFields, matchPeriodColumns, readHeader } from '../../src/engine';

describe('readHeader', () => {
  test.each([
    ['Sales 2019', 'sales', { year: 2019, fiscal: false }],
    ['Sales', 'sales', null],
    ['Revenue (USD)', 'sales', null],
    ['Net sales FY24', 'sales', { year: 2024, fiscal: true }],
    ['FY2023 Turnover', 'sales', { year: 2023, fiscal: true }],
    ["Revenue '22", 'sales', { year: 2022, fiscal: false }],
    ['Q3 2018 revenue', 'sales', { year: 2018, fiscal: false, quarter: 3 }],
    ['H1 2020 Sales', 'sales', { year: 2020, fiscal: false, half: 1 }],
    ['2018年销售额', 'sales', { year: 2018, fiscal: false }],
    ['2018年度营业收入', 'sales', { year: 2018, fiscal: false }],
    ['销售收入(万元)', 'sales', null],
    ['营业额', 'sales', null],
    ['2019年第三季度销售额', 'sales', { year: 2019, fiscal: false, quarter: 3 }],
    ['上半年营业额', 'sales', { year: NaN, fiscal: false, half: 1 }],
    ['Profit margin 2019', 'margin', { year: 2019, fiscal: false }],
    ['Gross Margin %', 'margin', null],
    ['利润率', 'margin', null],
    ['2019年毛利率', 'margin', { year: 2019, fiscal: false }],
    ['Profit', 'profit', null],
    ['利润', 'profit', null],
    ['毛利 2018', 'profit', { year: 2018, fiscal: false }],
    ['Growth vs 2018', 'growth', { year: 2018, fiscal: false }],
    ['YoY', 'growth', null],
    ['YoY %', 'growth', null],
    ['同比增长', 'growth', null],
    ['增长率', 'growth', null],
    ['同比增长率(%)', 'growth', null],
    // "Purchase growth" and "sales growth" as a Chinese export writes them, with or without 率 (rate).
    ['采购增长', 'growth', null],
    ['2019年销售增长', 'growth', { year: 2019, fiscal: false }],
    ['DSO', 'paymentDays', null],
    ['回款天数', 'paymentDays', null],
    ['Region', null, null],
    ['Postal Code', null, null],
    ['客户名称', null, null],
  ])('%s', (header, measure, period) => {
    const r = readHeader(header);
    expect(r.measure).toBe(measure);
    expect(r.period).toEqual(period);
  });
});

describe('period columns of one measure', () => {
  const rules = defaultRules();
  const match = (headers: string[]) => {
    const base = matchColumns(headers, accountFields(rules));
    return { base, periods: matchPeriodColumns(headers, rules, base.matches) };
  };

  test('2017 and 2018 sales: the latest gives sales, both give growth', () => {
    const { periods } = match(['Customer', 'Sales 2017', 'Sales 2018', 'Region']);
    expect(periods.matches.sales).toEqual({ column: 2, header: 'Sales 2018', by: 'period' });
    expect(periods.derived.growth).toEqual({ kind: 'growthFromPeriods', columns: [1, 2], headers: ['Sales 2017', 'Sales 2018'] });
  });

  test('Chinese, in any column order, three years', () => {
    const { periods } = match(['客户', '2019年销售额', '2017年销售额', '2018年销售额', '2019年利润']);
    expect(periods.matches.sales?.header).toBe('2019年销售额');
    expect(periods.derived.growth?.headers).toEqual(['2017年销售额', '2018年销售额', '2019年销售额']);
    // Profit of the same year as the sales gives the margin.
    expect(periods.derived.margin).toEqual({ kind: 'marginFromProfit', columns: [4, 1], headers: ['2019年利润', '2019年销售额'] });
  });

  test('采购增长 (purchase growth, without 率) is the growth column of the default rules, as "Purchase growth" is', () => {
    const { base } = match(['客户', '年销售额', '采购增长', '付款天数']);
    expect(base.matches.growth?.header).toBe('采购增长');
    expect(match(['Customer', 'Purchase growth']).base.matches.growth?.header).toBe('Purchase growth');
  });

  test('a growth column of its own wins over derived growth; years with a gap give none', () => {
    expect(match(['Customer', 'Sales 2017', 'Sales 2018', 'Growth vs 2017']).periods.derived.growth).toBeUndefined();
    expect(match(['Customer', 'Sales 2017', 'Sales 2018', 'Growth vs 2017']).periods.matches.growth?.header).toBe('Growth vs 2017');
    expect(match(['Customer', 'Sales 2016', 'Sales 2018']).periods.derived.growth).toBeUndefined();
  });

  test('a plain "Sales" column is matched as before, and not taken again', () => {
    const { base, periods } = match(['Customer', 'Sales', 'Profit']);
    expect(base.matches.sales?.header).toBe('Sales');
    expect(periods.matches.sales).toBeUndefined();
    expect(periods.derived.margin?.headers).toEqual(['Profit', 'Sales']);
  });
});
