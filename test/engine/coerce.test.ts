import fc from 'fast-check';
import { coerceInput, type Coerced, type FieldSpec } from '../../src/engine';
import { coerceAnyText, coercePlainText } from '../../src/engine/coerce';

const currency: FieldSpec = { id: 'sales', unit: 'currency', validMin: 0 };
const fraction: FieldSpec = { id: 'margin', unit: 'fraction', validMax: 1 };
const growth: FieldSpec = { id: 'growth', unit: 'fraction', validMin: -1 };
const rating: FieldSpec = { id: 'access', unit: 'rating', validMin: 0, validMax: 5, yes: 5, no: 0 };
const days: FieldSpec = { id: 'paymentDays', unit: 'days', validMin: 0 };

const valueOf = (c: Coerced): number | string => (c.kind === 'value' ? c.value : c.kind === 'blank' ? 'blank' : c.problem.key);

describe('coerceInput', () => {
  test.each<[unknown, FieldSpec, number | string]>([
    // numbers as Excel stores them
    [1200000, currency, 1200000],
    [0.18, fraction, 0.18],
    [-0.05, fraction, -0.05],
    // blanks and the words exports use for "no value": blank, never zero
    [null, currency, 'blank'],
    [undefined, currency, 'blank'],
    ['', currency, 'blank'],
    ['   ', currency, 'blank'],
    ['NULL', currency, 'blank'],
    ['n/a', currency, 'blank'],
    // percent text
    ['18%', fraction, 0.18],
    [' 18 % ', fraction, 0.18],
    ['-5%', growth, -0.05],
    ['１８％', fraction, 0.18], // full-width, as typed on a Chinese keyboard
    ['7%', fraction, 0.07],
    // grouping separators of every locale, when unambiguous
    ['1,200,000', currency, 1200000],
    ['1,200.50', currency, 1200.5],
    ['1.200.000', currency, 1200000],
    ['1.200.000,50', currency, 1200000.5],
    ['1 200 000', currency, 1200000],
    ['1\u00a0200\u00a0000,5', currency, 1200000.5],
    ["1'200'000", currency, 1200000],
    ['0,18', fraction, 0.18],
    ['1.5', currency, 1.5],
    ['0.125', fraction, 0.125], // a leading 0 is never a thousands group
    ['1234.567', currency, 1234.567], // four digits before the dot: not a group either
    ['1.50', currency, 1.5],
    ['1e6', currency, 1000000],
    // currency symbols and codes, Chinese magnitudes
    ['$1,200,000', currency, 1200000],
    ['¥1,500,000', currency, 1500000],
    ['€ 900', currency, 900],
    ['1200 USD', currency, 1200],
    ['120万', currency, 1200000],
    ['1.5亿', currency, 150000000],
    ['300元', currency, 300],
    // negatives
    ['(5%)', growth, -0.05],
    ['−0.05', growth, -0.05], // U+2212 minus sign
    // days written with their unit
    ['45 days', days, 45],
    ['45天', days, 45],
    ['1 day', days, 1],
    // yes/no on ratings only
    ['Yes', rating, 5],
    ['no', rating, 0],
    ['是', rating, 5],
    ['否', rating, 0],
    [true, rating, 5],
    [false, rating, 0],
  ])('%p as %o → %p', (raw, field, expected) => {
    expect(valueOf(coerceInput(raw, field))).toBe(expected);
  });

  test.each<[unknown, FieldSpec, string]>([
    ['abc', currency, 'notNumber'],
    ['12abc', currency, 'notNumber'],
    ['1,500', currency, 'ambiguousNumber'], // 1500 in en-US, 1.5 in de-DE: refuse to guess
    ['0,180', fraction, 'ambiguousNumber'],
    ['$1,200', currency, 'ambiguousNumber'],
    ['1.500', currency, 'ambiguousNumber'], // 1.5, or 1500 where the dot groups thousands
    ['250.000', currency, 'ambiguousNumber'],
    ['-12.000%', growth, 'ambiguousNumber'], // $ is also written 1.200,50 (Latin-American pesos)
    ['#N/A', currency, 'excelError'],
    ['#value!', currency, 'excelError'],
    ['#DIV/0!', fraction, 'excelError'],
    [18, fraction, 'percentWithoutSign'],
    ['18', fraction, 'percentWithoutSign'],
    [250, fraction, 'outOfRange'],
    [-10, currency, 'outOfRange'],
    [6, rating, 'outOfRange'],
    ['-2%', currency, 'notNumber'], // percent makes no sense for money
    ['45 days', currency, 'notNumber'], // a unit word only where it is the field's unit
    ['yes', currency, 'yesNoNotAllowed'],
    [true, fraction, 'yesNoNotAllowed'],
    [NaN, currency, 'notNumber'],
    [Infinity, currency, 'notNumber'],
    [new Date(2024, 0, 1), days, 'unsupportedValue'],
    [{ a: 1 }, days, 'unsupportedValue'],
  ])('%p as %o → problem %p', (raw, field, key) => {
    expect(valueOf(coerceInput(raw, field))).toBe(key);
  });

  test('an Excel error keeps its code so adapters can pass it on', () => {
    const c = coerceInput('#n/a', currency);
    expect(c).toMatchObject({ kind: 'problem', excelError: '#N/A' });
  });

  test('problems name the field by id, for adapters to label in the user language', () => {
    const c = coerceInput('abc', currency);
    expect(c.kind === 'problem' && c.problem.params).toEqual({ field: 'sales', text: 'abc' });
  });

  test('percent of growth divides once, without 0.07*100 style artefacts', () => {
    expect(valueOf(coerceInput('7%', growth))).toBe(0.07);
    expect(valueOf(coerceInput('14.1%', growth))).toBe(0.141);
  });
});

describe('the fast path for plain numeric texts', () => {
  const fields = [currency, fraction, growth, rating, days];
  const numericText = fc.oneof(
    fc.double({ min: -1e9, max: 1e9, noNaN: true }).map((x) => String(x)),
    fc.integer({ min: -1e9, max: 1e9 }).map((x) => x.toLocaleString('en-US')),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x.toLocaleString('en-US', { maximumFractionDigits: 4 })),
    fc.double({ min: -500, max: 500, noNaN: true }).map((x) => `${x.toFixed(2)}%`),
    fc.stringMatching(/^-?[0-9,.%]{1,12}$/),
    fc.stringMatching(/^-?[1-9][0-9]{0,2}\.[0-9]{3}%?$/),
  );

  test('reads every text exactly as the general path does, or leaves it to it', () => {
    fc.assert(
      fc.property(numericText, fc.constantFrom(...fields), (text, field) => {
        const fast = coercePlainText(text, field);
        if (fast === undefined) return true;
        expect(fast).toEqual(coerceAnyText(text, field));
        return true;
      }),
      { numRuns: 3000 },
    );
  });

  test('takes the common forms', () => {
    for (const text of ['18%', '-0.5', '1,234,567.8', '1,500.5', '45']) expect(coercePlainText(text, fraction)).toBeDefined();
    for (const text of ['1,500', ' 18%', '１８％', 'n/a', '18 %']) expect(coercePlainText(text, fraction)).toBeUndefined();
  });
});
