import { accountFields, defaultRules, formatMessage, LABEL_PACKS, LANGUAGES, matchColumns, MESSAGE_PACKS, type Message, type MessageParams } from '../../src/engine';

const rules = defaultRules();

describe('finding the columns', () => {
  test('by id, label or alias, ignoring case, spaces and width', () => {
    const headers = ['Customer Name', 'SALES', 'Gross Margin', 'growth_rate', '业务总量', 'Days to pay', 'ACCESS', ' Openness ', 'Region'];
    const m = matchColumns(headers, accountFields(rules));
    expect(Object.fromEntries(Object.entries(m.matches).map(([f, x]) => [f, [x.column, x.by]]))).toEqual({
      account: [0, 'alias'],
      sales: [1, 'id'],
      margin: [2, 'alias'],
      growth: [3, 'alias'],
      wallet: [4, 'alias'],
      paymentDays: [5, 'alias'],
      access: [6, 'id'],
      openness: [7, 'id'],
    });
    expect(m.missing).toEqual([]);
    expect(m.ambiguous).toEqual([]);
  });

  test('Chinese headers', () => {
    const m = matchColumns(['客户名称', '年销售额', '毛利率', '增长率', '付款天数'], accountFields(rules));
    expect(Object.keys(m.matches)).toEqual(['account', 'sales', 'margin', 'growth', 'paymentDays']);
    expect(m.missing).toEqual(['wallet', 'access', 'openness']);
  });

  test('an explicit mapping wins, and a mapping to a header that is not there is reported', () => {
    const m = matchColumns(['Name', 'Revenue 2024', 'Revenue 2023'], accountFields(rules), { sales: 'revenue 2024', margin: 'GM%' });
    expect(m.matches.sales).toEqual({ column: 1, header: 'Revenue 2024', by: 'mapping' });
    expect(m.badMappings).toEqual([{ field: 'margin', header: 'GM%' }]);
  });

  test('two columns that could both be a criterion are reported, not silently dropped', () => {
    const m = matchColumns(['account', 'Revenue', 'sales', '付款天数', '账期'], accountFields(rules));
    expect(m.matches.sales).toMatchObject({ column: 2, by: 'id' }); // the id is the first choice
    expect(m.ambiguous).toEqual([
      { field: 'sales', headers: ['Revenue', 'sales'] },
      { field: 'paymentDays', headers: ['付款天数', '账期'] },
    ]);
    // A mapping settles it.
    expect(matchColumns(['Revenue', 'sales'], accountFields(rules), { sales: 'Revenue' }).ambiguous).toEqual([]);
  });

  test('a column serves one field only', () => {
    const m = matchColumns(['sales'], { sales: ['sales'], wallet: ['sales'] });
    expect(m.matches.sales?.column).toBe(0);
    expect(m.missing).toEqual(['wallet']);
  });
});

describe('language packs', () => {
  const samples: { [K in keyof MessageParams]: MessageParams[K] } = {
    notNumber: { field: 'sales', text: 'abc' },
    ambiguousNumber: { field: 'sales', text: '1,500' },
    ambiguousSign: { field: 'growth', text: '(-5%)' },
    excelError: { field: 'sales', error: '#N/A' },
    outOfRange: { field: 'access', value: 7, min: 0, max: 5 },
    percentWithoutSign: { field: 'margin', value: 18 },
    yesNoNotAllowed: { field: 'sales', text: 'yes' },
    unsupportedValue: { field: 'sales', kind: 'date' },
    unknownWord: { field: 'role', text: 'x', expected: 'a / b' },
    seriesTooShort: { count: 1 },
    seriesGap: { position: 2 },
    seriesStartsAtZero: { value: 0 },
    missingData: { fields: ['margin', 'wallet'] },
    requiredMissing: { fields: ['sales'] },
    headroomNeedsBase: { field: 'wallet', base: 'sales' },
    notScored: { count: 2 },
    singleThreaded: { solid: 1, min: 3 },
    decisionMakerUnknown: {},
    decisionMakerOpposed: {},
    decisionMakerNotEngaged: {},
    influentialOpponent: { names: 'Li' },
    vestedInterest: { names: 'Li' },
    noCoach: {},
    longTermNeedUnknown: {},
    nothingLanding: { months: 12 },
    seniorVisit: {},
    tooManyKeyAccounts: { count: 60, max: 50 },
    keyShareTooHigh: { count: 30, total: 100, share: 0.3, maxShare: 0.2 },
    overCapacity: { demand: 200, capacity: 160, over: 40 },
    weightsNormalised: { sum: 90 },
    badArgument: { argument: 'rules', expected: 'a valid rule set' },
    unknownCurrency: { code: 'JPY', known: 'CNY, EUR' },
    badCurrency: { text: 'euros' },
    missingCurrency: { field: 'Sales' },
    ambiguousCurrency: { field: 'Sales', text: '$100', symbol: '$' },
    currencyConflict: { field: 'Sales', text: '€100', code: 'EUR', column: 'USD' },
  };

  test.each(LANGUAGES)('every message renders in %s without holes', (lang) => {
    for (const [key, params] of Object.entries(samples)) {
      const text = formatMessage({ key, params } as Message, lang);
      expect(text).not.toMatch(/undefined|NaN|\[object/);
      expect(text.length).toBeGreaterThan(3);
    }
    expect(Object.keys(MESSAGE_PACKS[lang]).sort()).toEqual(Object.keys(samples).sort());
  });

  test('the Chinese pack is really Chinese, not a copy of the English one', () => {
    for (const [key, params] of Object.entries(samples)) {
      const msg = { key, params } as Message;
      expect(formatMessage(msg, 'zh')).not.toBe(formatMessage(msg, 'en'));
      expect(formatMessage(msg, 'zh')).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  test("field ids become the criterion labels of the reader's language", () => {
    const label = (id: string, lang: 'en' | 'zh'): string => rules.criteria.find((c) => c.id === id)!.label[lang];
    expect(formatMessage({ key: 'percentWithoutSign', params: { field: 'margin', value: 18 } }, 'en', label)).toBe(
      'Gross margin: 18 looks like a percentage without its sign; write 18% or 0.18',
    );
    expect(formatMessage({ key: 'headroomNeedsBase', params: { field: 'wallet', base: 'sales' } }, 'zh', label)).toBe('业务总量(增长空间) 未计分:计算增长空间需要 年销售额');
  });

  test('a long unreadable text is quoted short', () => {
    const long = 'x'.repeat(20000);
    const text = formatMessage({ key: 'notNumber', params: { field: 'sales', text: long } }, 'en');
    expect(text).toBe(`sales: "${'x'.repeat(40)}…" is not a number`);
  });

  test('label packs have the same keys in every language', () => {
    const shape = (o: unknown): unknown => (typeof o === 'object' && o !== null ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, shape(v)])) : typeof o);
    expect(shape(LABEL_PACKS.zh)).toEqual(shape(LABEL_PACKS.en));
  });
});
