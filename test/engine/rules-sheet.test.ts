/** The KAM Rules sheet a manager can read and edit (issue 8, item 5): localised, and lossless. */
import { defaultRules, rulesFromTable, rulesToTable, type CellValue } from '../../src/engine';

const textOf = (table: CellValue[][]): string => table.map((r) => r.filter((v) => v !== '').join(' | ')).join('\n');

describe('the readable rules sheet', () => {
  test('English: titled sections, one row per criterion led by its name, settings by name', () => {
    const table = rulesToTable(defaultRules(), { lang: 'en' });
    const text = textOf(table);
    expect(table[0]?.slice(0, 3)).toEqual(['kam-rules', 1, 'KAM default rules (domain.md)']);
    const header = table.findIndex((r) => r[0] === 'Criterion');
    expect(table[header - 1]?.[0]).toBe('Criteria');
    expect(table[header]?.slice(0, 6)).toEqual(['Criterion', 'Weight', '0 points at', '100 points at', 'Better', 'Required']);
    expect(table[header + 1]?.slice(0, 6)).toEqual(['Annual sales', 20, 0, 1_000_000, 'higher', 'yes']);
    expect(table[header + 5]?.slice(0, 6)).toEqual(['Days to pay', 10, 30, 120, 'lower', '']);
    expect(text).toContain(
      'Knock-out rules\nId | Effect | Criterion | Test | Value | Reason | Chinese reason\nbelowCostLatePayer | exclude | margin | < | 0 | sells below cost and pays late | 低于成本销售且付款迟缓',
    );
    expect(text).toContain('Tiers, planning and portfolio\nSetting | Value\nLeast share of the weight with data | 0.6');
    expect(text).toContain('Strategic: from score | 75');
    expect(text).toContain('Key: hours per month | 8');
    // No configuration dump: no dotted paths, no [markers].
    expect(text).not.toMatch(/\[criteria\]|curve\.max|tiers\.strategic|label\.en/);
  });

  test('Chinese: the same sheet in Chinese', () => {
    const table = rulesToTable(defaultRules(), { lang: 'zh' });
    const text = textOf(table);
    const header = table.findIndex((r) => r[0] === '评分项');
    expect(table[header - 1]?.[0]).toBe('评分标准');
    expect(table[header]?.slice(0, 6)).toEqual(['评分项', '权重', '0 分对应', '100 分对应', '方向', '必需']);
    expect(table[header + 1]?.slice(0, 6)).toEqual(['年销售额', 20, 0, 1_000_000, '越高越好', '是']);
    expect(text).toContain('否决规则\n代码 | 效果 | 评分项 | 条件 | 数值 | 原因 | 英文原因\nbelowCostLatePayer | 排除 | margin | < | 0 | 低于成本销售且付款迟缓');
    expect(text).toContain('等级、计划与客户组合\n设置 | 值\n有数据的权重最低占比 | 0.6');
    expect(text).toContain('战略:最低得分 | 75');
  });

  test("a manager's edits are read: a weight, a word, a setting by name, reordered columns", () => {
    const table = rulesToTable(defaultRules(), { lang: 'zh' }).map((r) => [...r]);
    const header = table.findIndex((r) => r[0] === '评分项');
    (table[header + 2] as CellValue[])[1] = 25; // 毛利率 weight
    (table[header + 5] as CellValue[])[4] = '越高越好'; // 付款天数: better higher (a strange choice, but the manager's)
    const share = table.findIndex((r) => r[0] === '有数据的权重最低占比');
    (table[share] as CellValue[])[1] = '0.5';
    // Swap the weight and name columns of the criteria section.
    for (let r = header; r < header + 8; r++) {
      const row = table[r] as CellValue[];
      [row[0], row[1]] = [row[1] as CellValue, row[0] as CellValue];
    }
    const back = rulesFromTable(table);
    if (!back.ok) throw new Error(JSON.stringify(back.issues));
    expect(back.rules.criteria.find((c) => c.id === 'margin')?.weight).toBe(25);
    expect(back.rules.criteria.find((c) => c.id === 'paymentDays')?.better).toBe('higher');
    expect(back.rules.missingData.minWeightShare).toBe(0.5);
  });

  test('a bad value is reported at its cell', () => {
    const table = rulesToTable(defaultRules(), { lang: 'en' }).map((r) => [...r]);
    const header = table.findIndex((r) => r[0] === 'Criterion');
    (table[header + 1] as CellValue[])[4] = 'bigger';
    const back = rulesFromTable(table);
    expect(back.ok).toBe(false);
    if (!back.ok) expect(back.issues.find((i) => i.path.includes('better'))?.cell).toEqual({ row: header + 1, col: 4 });
  });
});
