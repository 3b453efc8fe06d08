/**
 * The pane's model (src/taskpane/session.ts) over the in-memory gateway: what it reads, how it
 * maps columns, what it previews and writes. The rule decisions are the engine's; these tests
 * check the pane passes them through unchanged (golden accounts) and writes what it should.
 */
import * as fs from 'fs';
import * as path from 'path';
import { defaultRules, rulesToTable } from '../../src/engine';
import { MemoryGateway, MemoryWorkbook, type MemorySheet } from '../../src/gateway/memory';
import { RULES_NAME, RULES_SHEET, type Cell } from '../../src/gateway/types';
import { demoWorkbook } from '../../src/taskpane/demo/workbook';
import { summaryStrings, UI_PACKS } from '../../src/taskpane/i18n';
import { KamSession, langFromDisplay, type SummaryStrings } from '../../src/taskpane/session';
import { cnyRules } from '../support/rules';

interface Golden {
  account: string;
  inputs: Record<string, Cell>;
  expected: { outcome: string; score: number | null; flags: string[] };
}
const GOLDEN = (JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/golden-accounts.json'), 'utf8')) as { accounts: Golden[] }).accounts;
const IDS = ['sales', 'margin', 'growth', 'wallet', 'paymentDays', 'access', 'openness'];

function goldenBook(headers: string[] = ['account', ...IDS]): MemoryWorkbook {
  const rows: Cell[][] = [headers, ...GOLDEN.map((g) => [g.account, ...IDS.map((id) => g.inputs[id] ?? '')])];
  const book = MemoryWorkbook.fromRows('Accounts', rows);
  book.selection = { sheet: 'Accounts', row: 1, col: 0 };
  return book;
}

const strings = (lang: 'en' | 'zh'): SummaryStrings => summaryStrings(UI_PACKS[lang]);

describe('reading and mapping', () => {
  it('matches columns by id and gives the golden verdicts', async () => {
    const session = new KamSession(new MemoryGateway(goldenBook()), 'en');
    await session.open();
    expect(session.missingCriteria()).toEqual([]);
    const result = session.result;
    GOLDEN.forEach((g, r) => {
      const score = result?.score[r] as number;
      expect([g.account, score === score ? score : null]).toEqual([g.account, g.expected.score]);
    });
    const columns = session.resultColumns('values');
    expect(columns.find((c) => c.key === 'tier')?.values).toEqual(
      GOLDEN.map((g) => (g.expected.outcome === 'invalid' ? 'Invalid input' : defaultRules().tiers[g.expected.outcome as 'key'].label.en)),
    );
  });

  it('matches Chinese headers by their aliases, and shows what has no column', async () => {
    const session = new KamSession(new MemoryGateway(goldenBook(['客户名称', '销售额', '毛利率', '增长率', '业务总量', '账期', '切入点', '备注'])), 'zh');
    await session.open();
    expect(session.matches.account?.header).toBe('客户名称');
    expect(session.matches.paymentDays?.header).toBe('账期');
    expect(session.missingCriteria()).toEqual(['openness']);
  });

  it('lets the user correct a match, and says when a column is used twice or cannot be read', async () => {
    const session = new KamSession(new MemoryGateway(goldenBook()), 'en');
    await session.open();
    await session.setMapping('openness', null);
    expect(session.missingCriteria()).toEqual(['openness']);
    await session.setMapping('sales', 'account');
    await session.setMapping('account', 'account');
    const problems = session.fieldProblems();
    expect(problems).toContainEqual({ field: 'sales', kind: 'duplicate', other: 'account', header: 'account' });
    const unreadable = problems.find((p) => p.kind === 'unreadable');
    expect(unreadable).toMatchObject({ field: 'sales', count: GOLDEN.length, of: GOLDEN.length });
  });

  it('says when two columns could hold one criterion, until the user picks one', async () => {
    const session = new KamSession(new MemoryGateway(goldenBook(['account', 'sales', 'margin', 'growth', 'wallet', 'paymentDays', 'access', 'Revenue'])), 'en');
    await session.open();
    // "Revenue" is a sales alias too; the id column is used first, and the choice is put to the user.
    expect(session.matches.sales?.header).toBe('sales');
    expect(session.fieldProblems()).toContainEqual({ field: 'sales', kind: 'ambiguous', headers: ['sales', 'Revenue'] });
    await session.setMapping('sales', 'Revenue');
    expect(session.matches.sales?.header).toBe('Revenue');
    expect(session.fieldProblems().filter((p) => p.kind === 'ambiguous')).toEqual([]);
  });

  it('reads a relationship-strength column with the shared coercion, never guessing', async () => {
    const rows: Cell[][] = [['account', ...IDS, 'Relationship strength']];
    const strengths: Cell[] = [80, '６５', '12,5', '50%', 'strong', 150, ''];
    strengths.forEach((v, i) => rows.push([`A${i}`, ...IDS.map((id) => (GOLDEN[1]!.inputs[id] ?? '') as Cell), v]));
    const book = MemoryWorkbook.fromRows('Accounts', rows);
    book.selection = { sheet: 'Accounts', row: 1, col: 0 };
    const session = new KamSession(new MemoryGateway(book), 'en');
    await session.open();
    expect(strengths.map((_, r) => session.strengthOf(r))).toEqual([80, 65, 12.5, null, null, null, null]);
  });

  it('says when there is no data around the selection, and reads a sheet picked instead', async () => {
    const book = goldenBook();
    book.addSheet('Notes');
    book.selection = { sheet: 'Notes', row: 3, col: 3 };
    const session = new KamSession(new MemoryGateway(book), 'en');
    await session.open();
    expect(session.regionProblem?.problem).toEqual({ key: 'noData', params: { sheet: 'Notes' } });
    expect(session.preview()).toBeNull();
    expect(session.sources.map((s) => `${s.kind}:${s.name}`)).toEqual(['sheet:Accounts', 'sheet:Notes']);
    await session.useSource({ kind: 'sheet', name: 'Accounts' });
    expect(session.preview()?.rowCount).toBe(GOLDEN.length);
  });

  it('a workbook whose rules score in one currency: the Currency column is mapped and amounts converted, as kam does', async () => {
    const rows: Cell[][] = [
      ['Customer', 'Currency', 'Annual sales', 'Gross margin'],
      ['Beijing Co', 'CNY', 560000, 0.3],
      ['Berlin GmbH', 'EUR', 70000, 0.3],
      ['Osaka KK', 'JPY', 9000000, 0.3],
    ];
    const book = MemoryWorkbook.fromRows('Accounts', rows);
    book.selection = { sheet: 'Accounts', row: 1, col: 0 };
    const gateway = new MemoryGateway(book);
    await gateway.writeRules(rulesToTable(cnyRules([{ code: 'EUR', rate: 8 }]), { lang: 'en' }));
    const session = new KamSession(gateway, 'en');
    await session.open();
    expect(session.rules.currency).toBe('CNY');
    expect(session.fields().map((f) => f.id)).toContain('currency');
    expect(session.matches.currency?.header).toBe('Currency');
    const result = session.result;
    expect(result?.score[1]).toBe(result?.score[0]);
    expect(result?.problems.get(2)?.map((p) => p.key)).toEqual(['unknownCurrency']);
    expect(session.explain(1)?.conversion).toEqual({ code: 'EUR', rate: 8, into: 'CNY' });
    // The live KAM formulas pass the Currency column as their last argument (test/taskpane/live-currency.test.ts).
    expect(session.formulaBlocker()).toBeNull();
    expect(session.formulaFor('KAM.TIER')).toMatch(/,KAM_RULES,,RC2\)$/);
  });

  it('reads the rules the workbook carries, and names the cells of a broken rules sheet', async () => {
    const book = goldenBook();
    const rules = defaultRules();
    rules.tiers.strategic.minScore = 80;
    const gateway = new MemoryGateway(book);
    await gateway.writeRules(rulesToTable(rules));
    const session = new KamSession(gateway, 'en');
    await session.open();
    expect(session.rulesOrigin).toEqual({ kind: 'workbook', sheet: RULES_SHEET });
    expect(session.rules.tiers.strategic.minScore).toBe(80);

    const sheet = book.sheet(RULES_SHEET) as MemorySheet;
    const weightRow = rulesToTable(rules).findIndex((r) => r[0] === 'sales');
    sheet.setRaw(weightRow, 8, -5);
    const broken = new KamSession(gateway, 'en');
    await broken.open();
    expect(broken.rulesOrigin).toEqual({
      kind: 'workbookInvalid',
      sheet: RULES_SHEET,
      issues: [{ address: `'KAM Rules'!I${weightRow + 1}`, path: 'criteria[0].weight', message: 'must be 0 or more' }],
    });
    expect(broken.rules).toEqual(defaultRules());
  });
});

describe('rules as the user edits them', () => {
  it('keeps the last valid rules while the draft is invalid, and rescored when it is valid again', async () => {
    const session = new KamSession(new MemoryGateway(goldenBook()), 'en');
    await session.open();
    const before = session.result;
    session.updateDraft((d) => ((d.tiers as { key: { minScore: number } }).key.minScore = 90));
    expect(session.draftIssues).toEqual([{ path: 'tiers.key.minScore', message: "must be below strategic's minScore (75)" }]);
    expect(session.result).toBe(before);
    session.updateDraft((d) => ((d.tiers as { key: { minScore: number } }).key.minScore = 50));
    expect(session.draftIssues).toEqual([]);
    expect(session.rules.tiers.key.minScore).toBe(50);
    expect(session.result).not.toBe(before);
  });

  it('suggests and applies curve targets from the data', async () => {
    const session = new KamSession(new MemoryGateway(goldenBook()), 'en');
    await session.open();
    const { suggestions, leftOut, currency } = session.calibration();
    expect([leftOut, currency]).toEqual([0, undefined]);
    expect(suggestions.map((s) => s.criterion)).toEqual(['sales', 'wallet']);
    session.applyCalibration(suggestions);
    expect(session.rules.criteria[0]?.curve.max).toBe(suggestions[0]?.suggested);
  });
});

describe('what Apply writes', () => {
  it('writes live formulas in the custom functions’ argument order, "" for a criterion without a column', async () => {
    const session = new KamSession(new MemoryGateway(goldenBook()), 'en');
    await session.open();
    await session.setMapping('growth', null);
    const columns = session.resultColumns('formulas');
    expect(columns.find((c) => c.key === 'score')?.formulaR1C1).toBe('=KAM.SCORE(RC2,RC3,"",RC5,RC6,RC7,RC8,KAM_RULES)');
    expect(columns.find((c) => c.key === 'flags')?.formulaR1C1).toBe('=KAM.FLAGS(RC2,RC3,"",RC5,RC6,RC7,RC8,KAM_RULES)');
    expect(columns.find((c) => c.key === 'priority')?.values).toBeDefined();
    session.lang = 'zh';
    expect(session.formulaFor('KAM.TIER')).toBe('=KAM.TIER(RC2,RC3,"",RC5,RC6,RC7,RC8,KAM_RULES,"zh")');
  });

  it('refuses live formulas for rules with criteria the functions do not take', async () => {
    const session = new KamSession(new MemoryGateway(goldenBook()), 'en');
    await session.open();
    session.updateDraft((d) => {
      const criteria = d.criteria as Array<Record<string, unknown>>;
      criteria.push({ ...criteria[5], id: 'loyalty', label: { en: 'Loyalty', zh: '忠诚度' }, aliases: [] });
    });
    expect(session.draftIssues).toEqual([]);
    expect(session.formulaBlocker()).toEqual({ criteria: ['loyalty'] });
  });

  it('applies, then applies again in place', async () => {
    const book = goldenBook();
    const session = new KamSession(new MemoryGateway(book), 'en');
    await session.open();
    const first = await session.apply({ mode: 'values', colours: true, filter: 'autoFilter' });
    expect(first.write.added).toEqual(['score', 'tier', 'flags', 'priority', 'hours']);
    expect(book.names.get(RULES_NAME)).toMatch(/^='KAM Rules'!/);
    session.updateDraft((d) => (((d.criteria as Array<{ weight: number }>)[0] as { weight: number }).weight = 40));
    const second = await session.apply({ mode: 'values', colours: true, filter: 'autoFilter' });
    expect(second.write.added).toEqual([]);
    expect(second.write.updated).toEqual(['score', 'tier', 'flags', 'priority', 'hours']);
    const sheet = book.sheet('Accounts') as MemorySheet;
    expect(sheet.value(0, 8)).toBe('KAM Score');
    expect(sheet.value(0, 13)).toBe('');
    await session.filterTiers(['strategic']);
    expect(sheet.autoFilter?.values).toEqual(['Strategic']);
  });

  it('filters by what the sheet holds after the rules are edited again, until the next Apply', async () => {
    const book = goldenBook();
    const session = new KamSession(new MemoryGateway(book), 'en');
    await session.open();
    await session.apply({ mode: 'values', colours: true, filter: 'autoFilter' });
    const written = session.applied?.counts.strategic;
    session.updateDraft((d) => {
      const tiers = d.tiers as { strategic: { label: { en: string }; minScore: number } };
      tiers.strategic.label.en = 'Top';
      tiers.strategic.minScore = 99;
    });
    // The preview follows the edit; the sheet and its filter do not.
    expect(session.preview()?.counts.strategic).not.toBe(written);
    expect(session.applied?.counts.strategic).toBe(written);
    await session.filterTiers(['strategic']);
    const sheet = book.sheet('Accounts') as MemorySheet;
    expect(sheet.autoFilter?.values).toEqual(['Strategic']);
    await session.apply({ mode: 'values', colours: true, filter: 'autoFilter' });
    await session.filterTiers(['strategic']);
    expect(sheet.autoFilter?.values).toEqual(['Top']);
  });
});

describe('relationships, needs and the summary', () => {
  it('computes coverage, red flags and senior visits from the contacts table, and plan flags from the needs table', async () => {
    const session = new KamSession(new MemoryGateway(demoWorkbook('en')), 'en');
    await session.open();
    const guess = await session.guessRelationSources();
    expect(guess).toEqual({ contacts: { kind: 'sheet', name: 'Contacts', sheet: 'Contacts' }, needs: { kind: 'sheet', name: 'Needs', sheet: 'Needs' } });
    await session.loadRelations({ kind: 'sheet', name: 'Contacts' }, { kind: 'sheet', name: 'Needs' });
    const relations = session.relations;
    expect(relations?.unmatchedAccounts).toEqual([]);
    // Northwind Traders: five contacts, an engaged economic buyer and a coach.
    expect(relations?.coverage[0]).toMatchObject({ contacts: 5, decisionMaker: 'engaged', hasCoach: true });
    expect(session.flagMessages(0)).toContain('long-term need unknown');
    // Fabrikam Tools: its decision maker opposes the sale.
    expect(relations?.coverage[2]?.decisionMaker).toBe('opposed');
    expect(session.flagMessages(2)).toContain('decision maker opposed');
    const visits = session.seniorVisits();
    expect(visits.every((v) => ['strategic', 'key'].includes(v.outcome))).toBe(true);
    expect(session.resultColumns('values').map((c) => c.key)).toEqual(['score', 'tier', 'flags', 'priority', 'hours', 'coverage', 'quadrant']);
  });

  it('builds the summary sheet: tiers, portfolio sorted by quadrant, capacity, visits, warnings', async () => {
    const session = new KamSession(new MemoryGateway(demoWorkbook('en')), 'en');
    await session.open();
    await session.loadRelations({ kind: 'sheet', name: 'Contacts' }, null);
    const summary = session.summarySheet(100, strings('en'));
    expect(summary.blocks.map((b) => b.id)).toEqual(['tiers', 'distribution', 'top', 'portfolio', 'capacity', 'visits', 'readiness', 'warnings']);
    const block = (id: string): (typeof summary.blocks)[number] | undefined => summary.blocks.find((b) => b.id === id);
    // The demo sheet lacks some criteria: the summary names them with their share of the weight, and what was done.
    const absent = session.readiness()?.absent ?? [];
    expect(absent.length).toBeGreaterThan(0);
    const readinessRows = block('readiness')?.rows ?? [];
    expect(readinessRows.slice(0, -1).map((r) => r[0])).toEqual(absent.map((id) => session.fullLabel(id)));
    expect(readinessRows.slice(0, -1).reduce((s, r) => s + (r[1] as number), 0)).toBeCloseTo((session.readiness()?.absentShare ?? 0) * 100, 0);
    expect(readinessRows[readinessRows.length - 1]?.[0]).toMatch(/blank/);
    expect(block('tiers')?.rows.reduce((s, r) => s + (r[1] as number), 0)).toBe(40);
    // The score distribution is the preview's histogram, band by band; the top accounts come best first.
    expect(block('distribution')?.rows.map((r) => r[1])).toEqual(session.preview()?.histogram);
    const topScores = block('top')?.rows.map((r) => r[1] as number) ?? [];
    expect(topScores.length).toBeGreaterThan(0);
    expect([...topScores].sort((a, b) => b - a)).toEqual(topScores);
    const quadrants = block('portfolio')?.rows.map((r) => r[3]) ?? [];
    const order = ['Strategic', 'Star', 'Status', 'Streamline'];
    expect([...quadrants].sort((a, b) => order.indexOf(a as string) - order.indexOf(b as string))).toEqual(quadrants);
    expect(block('capacity')?.rows[1]).toEqual(['Available', 100]);
    expect(summary.charts.map((c) => c.kind)).toEqual(['column', 'scatter']);
  });

  it('draws no portfolio without a relationship strength', async () => {
    const session = new KamSession(new MemoryGateway(goldenBook()), 'en');
    await session.open();
    expect(session.hasStrength()).toBe(false);
    expect(session.portfolio()).toEqual([]);
    expect(session.summarySheet(null, strings('en')).charts.map((c) => c.kind)).toEqual(['column']);
  });
});

it('follows Office’s display language', () => {
  expect(['zh-CN', 'zh-TW', 'en-US', 'de-DE', '', undefined].map(langFromDisplay)).toEqual(['zh', 'zh', 'en', 'en', 'en', 'en']);
});
