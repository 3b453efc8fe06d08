/** Required criteria (domain.md §5): an account with a required input blank is Insufficient data. */
import { defaultRules, evaluate, flagsText, parseRules, rulesFromTable, rulesToTable, scoreColumns, rowFlags, outcomeAt } from '../../src/engine';

const full = { sales: 800_000, margin: 0.3, growth: 0.2, wallet: 2_000_000, paymentDays: 30, access: 5, openness: 5 };

describe('required criteria', () => {
  test('sales is required by default, and nothing else', () => {
    const rules = defaultRules();
    expect(rules.criteria.filter((c) => c.required === true).map((c) => c.id)).toEqual(['sales']);
  });

  test('an account without sales is Insufficient data even when everything else is at full points', () => {
    const { sales: _sales, ...rest } = full;
    const e = evaluate(rest);
    expect(e.outcome).toBe('insufficient');
    // The score is still shown: it says what the known criteria are worth.
    expect(e.score).toBe(100);
    expect(e.flags.map((f) => f.id)).toEqual(['requiredMissing', 'missingData']);
    expect(flagsText(e.flags, 'en', defaultRules())).toBe('no Annual sales: required for a tier; missing: Wallet (headroom)');
    expect(flagsText(e.flags, 'zh', defaultRules())).toBe('缺少年销售额:评定等级必需;缺少:业务总量(增长空间)');
  });

  test('with sales present, an account is scored as before', () => {
    expect(evaluate(full).outcome).toBe('strategic');
  });

  test('a criterion made not required no longer blocks the tier', () => {
    const rules = defaultRules();
    (rules.criteria[0] as { required?: boolean }).required = false;
    const { sales: _sales, ...rest } = full;
    expect(evaluate(rest, rules).outcome).toBe('strategic');
  });

  test('a knock-out still decides before a blank required input', () => {
    const { sales: _sales, ...rest } = full;
    expect(evaluate({ ...rest, margin: -0.1, paymentDays: 100 }).outcome).toBe('excluded');
  });

  test('any criterion may be required: a blank one gives Insufficient data', () => {
    const rules = defaultRules();
    (rules.criteria.find((c) => c.id === 'margin') as { required?: boolean }).required = true;
    const { margin: _margin, ...rest } = full;
    const e = evaluate(rest, rules);
    expect(e.outcome).toBe('insufficient');
    expect(flagsText(e.flags, 'en', rules)).toBe('no Gross margin: required for a tier');
  });

  test('the KAM Rules table carries the field and reads yes/no, 是/否 and TRUE/FALSE cells', () => {
    const rules = defaultRules();
    const table = rulesToTable(rules);
    const header = table.find((r) => r[0] === 'id') ?? [];
    const col = header.indexOf('required');
    expect(col).toBeGreaterThan(0);
    const salesRow = table.find((r) => r[0] === 'sales') ?? [];
    expect(salesRow[col]).toBe(true);
    for (const [cell, expected] of [
      ['yes', true],
      ['是', true],
      ['no', false],
      ['否', false],
      [false, false],
    ] as const) {
      const edited = table.map((r) => [...r]);
      (edited.find((r) => r[0] === 'sales') as unknown[])[col] = cell;
      const back = rulesFromTable(edited);
      expect(back.ok && back.rules.criteria[0]?.required).toBe(expected);
    }
    // A table from before the field existed still reads, with nothing required.
    const old = table.map((r) => r.filter((_, i) => i !== col));
    const back = rulesFromTable(old);
    expect(back.ok && back.rules.criteria.every((c) => c.required === undefined)).toBe(true);
  });

  test('a required field that is not yes/no is reported at its cell', () => {
    const table = rulesToTable(defaultRules()).map((r) => [...r]);
    const header = table.find((r) => r[0] === 'id') ?? [];
    const col = header.indexOf('required');
    const rowIndex = table.findIndex((r) => r[0] === 'sales');
    (table[rowIndex] as unknown[])[col] = 'sometimes';
    const back = rulesFromTable(table);
    expect(back.ok).toBe(false);
    if (!back.ok) expect(back.issues.some((i) => i.path.includes('required') && i.cell?.row === rowIndex && i.cell.col === col)).toBe(true);
  });

  test('JSON rule files may leave it out', () => {
    const rules = defaultRules();
    delete (rules.criteria[0] as { required?: boolean }).required;
    const parsed = parseRules(rules);
    expect(parsed.ok).toBe(true);
  });

  test("columns absent from the whole sheet are not repeated in each row's flags", () => {
    const rules = defaultRules();
    const result = scoreColumns({ rowCount: 2, columns: { sales: [100_000, 200_000], margin: [0.2, null], growth: [0.1, 0.1] } }, rules, {
      absent: ['wallet', 'paymentDays', 'access', 'openness'],
    });
    expect(flagsText(rowFlags(result, 0), 'en', rules)).toBe('');
    expect(flagsText(rowFlags(result, 1), 'en', rules)).toBe('missing: Gross margin');
    expect(outcomeAt(result, 0)).toBe('insufficient');
  });
});
