/**
 * The built task pane in headless Chromium, against the in-memory workbook (the harness page:
 * src/taskpane/harness.ts), through the user's whole path: open → map → adjust → preview →
 * apply → filter, then the rules sheet, the summary, an explanation, live formulas; in English
 * and in Chinese. Screenshots of every step go to test-output/screenshots/ for review.
 *
 * The page is served from 127.0.0.1 and every other request is refused; office.js is not used
 * (the harness page has no script tag for it).
 */
import type { Page } from 'playwright-core';
import { chromiumAvailable, choose, paneUnderTest, shot, stripCounts, tab, typeInto, type HarnessWindow as H } from './browserHarness';

const run = chromiumAvailable() ? describe : describe.skip;

const pane = paneUnderTest();

/** A cell of the in-memory workbook, read in the page. */
async function cell(page: Page, sheet: string, row: number, col: number): Promise<{ value: unknown; formula: string | null; format: string }> {
  return page.evaluate(
    ([s, r, c]) => {
      const sh = (window as unknown as H).kamHarness.book.sheet(s as string);
      if (!sh) return { value: null, formula: null, format: '' };
      return { value: sh.value(r as number, c as number), formula: sh.formula(r as number, c as number) ?? null, format: sh.format(r as number, c as number) };
    },
    [sheet, row, col] as const,
  );
}

async function headers(page: Page, sheet: string): Promise<unknown[]> {
  return page.evaluate((s) => {
    const sh = (window as unknown as H).kamHarness.book.sheet(s);
    const used = sh?.usedRect();
    return sh && used ? (sh.read({ row: 0, col: 0, rowCount: 1, colCount: used.col + used.colCount })[0] ?? []) : [];
  }, sheet);
}

async function visibleGridRows(page: Page): Promise<number> {
  return page.$$eval('[data-testid="sheet-grid"] tbody tr', (rows) => rows.length);
}

async function statusTexts(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="status-message"]', (els) => els.map((e) => e.textContent ?? ''));
}

run('the task pane in English', () => {
  const errors: string[] = [];
  let page: Page;

  beforeAll(async () => {
    page = await pane.open('?lang=en', errors);
  });
  afterAll(async () => {
    await page?.close();
  });
  afterEach(() => expect(errors).toEqual([]));

  it('opens on the data around the selection, with the columns matched and the missing criterion shown', async () => {
    await page.waitForSelector('[data-testid="region-info"]');
    expect(await page.textContent('[data-testid="region-info"]')).toBe('Accounts!A1:I41: 40 accounts');
    expect(await page.textContent('h1')).toBe('KAM for Excel');
    expect(await page.isVisible('[data-testid="missing-openness"]')).toBe(true);
    expect(await page.textContent('[data-testid="missing-summary"]')).toContain('Openness to ideas');
    const counts = await stripCounts(page);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(40);
    await shot(page, 'en-01-open');
  });

  it('labels every control and works from the keyboard', async () => {
    for (const name of ['data', 'preview', 'rules', 'apply', 'summary', 'explain']) {
      await tab(page, name);
      const unlabelled = await page.evaluate(() => {
        const missing: string[] = [];
        const text = (el: Element | null): string => (el?.textContent ?? '').trim();
        for (const dd of document.querySelectorAll('#app fluent-dropdown, #app fluent-radio-group')) {
          if (text(document.getElementById(dd.getAttribute('aria-labelledby') ?? '')) === '') missing.push(dd.outerHTML.slice(0, 80));
        }
        for (const input of document.querySelectorAll('#app fluent-text-input')) if (text(input) === '') missing.push(input.outerHTML.slice(0, 80));
        for (const b of document.querySelectorAll('#app fluent-button')) if (text(b) === '') missing.push(b.outerHTML.slice(0, 80));
        for (const c of document.querySelectorAll('#app fluent-checkbox, #app fluent-radio'))
          if (text(document.querySelector(`label[for="${c.id}"]`)) === '') missing.push(c.outerHTML.slice(0, 80));
        for (const svg of document.querySelectorAll('#app svg')) if ((svg.getAttribute('aria-label') ?? '') === '' || svg.getAttribute('role') !== 'img') missing.push('svg');
        return missing;
      });
      expect([name, unlabelled]).toEqual([name, []]);
    }
    // The tabs follow the arrow keys, and a focused button answers Enter.
    await page.focus('[data-testid="tab-explain"]');
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector('[data-testid="panel-summary"]:not([hidden])');
    await page.keyboard.press('Home');
    await page.waitForSelector('[data-testid="panel-data"]:not([hidden])');
    await page.focus('[data-testid="use-data"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="region-info"]');
  });

  it('maps the missing column with its dropdown', async () => {
    const before = await stripCounts(page);
    await choose(page, 'map-openness', 'Open to new ideas?');
    await page.waitForSelector('[data-testid="missing-openness"]', { state: 'detached' });
    expect(await page.$('[data-testid="missing-summary"]')).toBeNull();
    expect(await stripCounts(page)).not.toEqual(before);
    await shot(page, 'en-02-mapped');
  });

  it('shows what is wrong with a bad mapping, where it is wrong', async () => {
    await choose(page, 'map-sales', 'Customer');
    const error = await page.waitForSelector('[data-testid="map-error-sales"]');
    const text = (await error.textContent()) ?? '';
    expect(text).toBe('Annual sales: 40 of 40 cells cannot be read ("Northwind Traders" is not a number). Is this the right column?');
    // The column went to Annual sales, so Account lost it: the list of accounts shows row numbers instead.
    expect(await page.getAttribute('fluent-dropdown[data-field="map-account"] fluent-option[selected]', 'value')).toBe('');
    await shot(page, 'en-03-bad-mapping');
    await choose(page, 'map-sales', 'Annual sales');
    await page.waitForSelector('[data-testid="map-error-sales"]', { state: 'detached' });
  });

  it('previews tiers, the score distribution, knock-outs with their reasons and the portfolio warning', async () => {
    await tab(page, 'preview');
    expect(await page.isVisible('svg[data-chart="tiers"]')).toBe(true);
    expect(await page.isVisible('svg[data-chart="histogram"]')).toBe(true);
    const knockouts = (await page.textContent('[data-testid="knockouts"]')) ?? '';
    expect(knockouts).toContain('Litware Foods');
    expect(knockouts).toContain('sells below cost and pays late');
    expect(knockouts).toContain('chronic late payer');
    expect(await page.textContent('[data-testid="invalid-rows"]')).toContain('Gross margin: the cell holds the error #N/A');
    const warnings = await page.$$eval('[data-testid="preview-warning"]', (els) => els.map((e) => e.getAttribute('data-key')));
    expect(warnings).toContain('keyShareTooHigh');
    await shot(page, 'en-04-preview');
  });

  it('adjusts the rules: the preview follows, and invalid settings say what is wrong where', async () => {
    await tab(page, 'rules');
    const before = await stripCounts(page);
    await typeInto(page, 'tiers.strategic.minScore', '65');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="tier-strip"] [data-tier="strategic"]')?.getAttribute('data-count')) !== n, before.strategic);
    expect((await stripCounts(page)).strategic).toBeGreaterThan(before.strategic ?? 0);

    await typeInto(page, 'criteria.0.weight', 'abc');
    expect(await page.textContent('[data-error-for="criteria.0.weight"]')).toBe('"abc" is not a number');
    await typeInto(page, 'tiers.key.minScore', '70');
    expect(await page.textContent('[data-error-for="tiers.key.minScore"]')).toBe("must be below strategic's minScore (65)");
    expect(await page.isVisible('[data-testid="rule-issues"] fluent-message-bar')).toBe(true);
    await shot(page, 'en-05-invalid-rules');
    await tab(page, 'apply');
    expect(await page.getAttribute('[data-testid="apply"]', 'disabled')).not.toBeNull();
    await tab(page, 'rules');

    await typeInto(page, 'criteria.0.weight', '30');
    await typeInto(page, 'tiers.key.minScore', '55');
    expect(await page.textContent('[data-error-for="criteria.0.weight"]')).toBe('');
    expect(await page.textContent('[data-error-for="tiers.key.minScore"]')).toBe('');
    expect(await page.textContent('[data-testid="weights-sum"]')).toBe('The weights add up to 110.');
    await typeInto(page, 'tiers.strategic.label.en', '=Top');
    await shot(page, 'en-06-rules-adjusted');
  });

  it('calibrates the sales target from this data', async () => {
    await page.click('[data-testid="calibrate"]');
    const box = await page.waitForSelector('[data-testid="calibration"]');
    expect(await box.textContent()).toMatch(/Annual sales: 1000000 → \d+ \(90th percentile of \d+ values\)/);
    await page.click('[data-testid="use-calibration"]');
    const target = await page.getAttribute('fluent-text-input[data-field="criteria.0.curve.max"]', 'value');
    expect(Number(target)).not.toBe(1_000_000);
    await shot(page, 'en-07-calibrated');
  });

  it('applies: KAM columns beside the data, tier colours, AutoFilter, rules sheet', async () => {
    await tab(page, 'apply');
    await page.click('[data-testid="apply"]');
    await page.waitForSelector('[data-testid="apply-report"]');
    expect(await page.textContent('[data-testid="apply-report"]')).toContain('Added: KAM Score, KAM Tier, KAM Flags, KAM Priority, KAM Hours/Month, KAM Coverage, KAM Quadrant');
    expect(await headers(page, 'Accounts')).toEqual([
      'Customer',
      'Region',
      'Annual sales',
      'Gross margin',
      'Growth',
      'Wallet',
      'Days to pay',
      'Access',
      'Open to new ideas?',
      'KAM Score',
      'KAM Tier',
      'KAM Flags',
      'KAM Priority',
      'KAM Hours/Month',
      'KAM Coverage',
      'KAM Quadrant',
    ]);
    // The user's cells are as they were.
    expect((await cell(page, 'Accounts', 16, 2)).value).toBe('1,200,000');
    // A tier label that looks like a formula stays text.
    const tiers = await page.evaluate(() => {
      const sh = (window as unknown as H).kamHarness.book.sheet('Accounts');
      return Array.from({ length: 40 }, (_, r) => ({ v: sh?.value(r + 1, 10), f: sh?.formula(r + 1, 10) ?? null }));
    });
    expect(tiers.some((t) => t.v === '=Top' && t.f === null)).toBe(true);
    const coloured = await page.$$eval('[data-testid="sheet-grid"] td[data-cell^="K"][style*="background"]', (tds) => tds.length);
    expect(coloured).toBe(40);
    expect(await page.isVisible('[data-testid="sheet-grid"] .filter-mark')).toBe(true);
    expect((await cell(page, 'KAM Rules', 0, 0)).value).toBe('kam-rules');
    await shot(page, 'en-08-applied');
  });

  it('filters the sheet by tier from the pane', async () => {
    const strategic = (await stripCounts(page)).strategic ?? 0;
    await page.click('[data-testid="filter-strategic"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="sheet-grid"] tbody tr').length === n + 1, strategic);
    const tiersShown = await page.$$eval('[data-testid="sheet-grid"] tbody tr td[data-cell^="K"]', (tds) => tds.slice(1).map((td) => td.textContent));
    expect(new Set(tiersShown)).toEqual(new Set(['=Top']));
    await shot(page, 'en-09-filtered');
    await page.click('[data-testid="filter-all"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="sheet-grid"] tbody tr').length === 41);
    expect(await visibleGridRows(page)).toBe(41);
  });

  it('applying again after a weight change updates the same columns in place', async () => {
    await tab(page, 'rules');
    await typeInto(page, 'criteria.1.weight', '35');
    await tab(page, 'apply');
    await page.click('[data-testid="apply"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="apply-report"]')?.textContent?.includes('Added: —'));
    expect(await page.textContent('[data-testid="apply-report"]')).toContain('Updated in place: KAM Score, KAM Tier, KAM Flags');
    expect((await headers(page, 'Accounts')).length).toBe(16);
    const rules = await page.evaluate(() => (window as unknown as H).kamHarness.book.names.get('KAM_RULES'));
    expect(rules).toMatch(/^='KAM Rules'!\$A\$1:/);
  });

  it('shows the portfolio, hours against capacity and senior visits, and writes the summary sheet', async () => {
    await tab(page, 'summary');
    expect(await page.isVisible('svg[data-chart="portfolio"]')).toBe(true);
    await typeInto(page, 'capacity', '60');
    expect(await page.textContent('[data-testid="capacity-line"]')).toMatch(/the accounts need \d+ hours a month, \d+ more than the 60 available/);
    expect(await page.isVisible('[data-testid="visits"]')).toBe(true);
    await page.click('[data-testid="write-summary"]');
    await page.waitForSelector('[data-testid="summary-report"]');
    expect(await page.textContent('[data-testid="summary-report"]')).toBe('Summary written to the sheet "KAM Summary" with 2 charts.');
    const charts = await page.evaluate(() => (window as unknown as H).kamHarness.book.sheet('KAM Summary')?.charts.map((c) => [c.kind, c.series.length]));
    expect(charts?.[0]).toEqual(['column', 1]);
    expect(charts?.[1]?.[0]).toBe('scatter');
    await shot(page, 'en-10-summary');
    await page.click('.sheet-tabs button[data-sheet="KAM Summary"]');
    await shot(page, 'en-11-summary-sheet');
    await page.click('.sheet-tabs button[data-sheet="KAM Rules"]');
    await shot(page, 'en-12-rules-sheet');
  });

  it('explains the verdict of the selected account', async () => {
    await page.evaluate(() => (window as unknown as H).kamHarness.select('Accounts', 'C5'));
    await tab(page, 'explain');
    await page.click('[data-testid="explain-selected"]');
    await page.waitForSelector('[data-testid="explanation"]');
    const text = (await page.textContent('[data-testid="explanation"]')) ?? '';
    expect(text).toContain('Litware Foods (row 5)');
    expect(await page.getAttribute('[data-testid="explain-tier"]', 'data-tier')).toBe('excluded');
    expect(text).toContain('sells below cost and pays late');
    expect(await page.$$eval('[data-testid="explain-table"] tbody tr', (rows) => rows.length)).toBe(7);
    await shot(page, 'en-13-explain');
    await page.evaluate(() => (window as unknown as H).kamHarness.select('Accounts', 'Z90'));
    await page.click('[data-testid="explain-selected"]');
    await page.waitForSelector('[data-testid="explain-note"]');
  });

  it('writes live formulas referencing KAM_RULES when asked', async () => {
    await tab(page, 'apply');
    await page.click('fluent-radio[value="formulas"]');
    await page.click('[data-testid="apply"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="apply-report"]')?.textContent?.includes('Added: —'));
    const score = await cell(page, 'Accounts', 1, 9);
    expect(score.formula).toBe('=KAM.SCORE(RC3,RC4,RC5,RC6,RC7,RC8,RC9,KAM_RULES)');
    expect(typeof score.value).toBe('number');
    // The tier column held Text cells from the values Apply before: the formula must not land as text.
    const tier = await cell(page, 'Accounts', 1, 10);
    // (Its value is the tier label, which an earlier step set to "=Top": a value, not the formula's text.)
    expect([tier.formula?.startsWith('=KAM.TIER('), tier.format, String(tier.value).startsWith('=KAM.')]).toEqual([true, 'General', false]);
    expect((await cell(page, 'Accounts', 1, 12)).formula).toBeNull();
    await page.click('.sheet-tabs button[data-sheet="Accounts"]');
    await shot(page, 'en-14-formulas');
  });
});

run('the task pane in Chinese', () => {
  const errors: string[] = [];
  let page: Page;

  beforeAll(async () => {
    page = await pane.open('?lang=zh', errors);
  });
  afterAll(async () => {
    await page?.close();
  });
  afterEach(() => expect(errors).toEqual([]));

  it('opens in Chinese and matches the Chinese headers', async () => {
    await page.waitForSelector('[data-testid="region-info"]');
    expect(await page.textContent('h1')).toBe('KAM 大客户管理');
    expect(await page.textContent('[data-testid="tab-preview"]')).toBe('预览');
    expect(await page.textContent('[data-testid="region-info"]')).toBe('客户!A1:I41:40 个客户');
    expect(await page.textContent('[data-testid="missing-summary"]')).toContain('接受新想法');
    await shot(page, 'zh-01-open');
    await choose(page, 'map-openness', '愿意接受新想法?');
    await page.waitForSelector('[data-testid="missing-openness"]', { state: 'detached' });
    await shot(page, 'zh-02-mapped');
  });

  it('previews with Chinese tier labels and reasons', async () => {
    await tab(page, 'preview');
    expect(await page.textContent('[data-testid="tier-strip"]')).toContain('战略大客户');
    expect(await page.textContent('[data-testid="knockouts"]')).toContain('低于成本销售且付款迟缓');
    await shot(page, 'zh-03-preview');
  });

  it('says what is wrong with an invalid rule, in Chinese', async () => {
    await tab(page, 'rules');
    await typeInto(page, 'tiers.develop.minScore', '70');
    expect(await page.textContent('[data-error-for="tiers.develop.minScore"]')).toBe('必须低于 key 的 minScore(60)');
    await typeInto(page, 'criteria.2.weight', '-5');
    expect(await page.textContent('[data-error-for="criteria.2.weight"]')).toBe('必须大于或等于 0');
    await shot(page, 'zh-04-invalid-rules');
    await typeInto(page, 'tiers.develop.minScore', '40');
    await typeInto(page, 'criteria.2.weight', '25');
    expect(await page.textContent('[data-error-for="criteria.2.weight"]')).toBe('');
  });

  it('applies with Chinese headers and labels, and filters', async () => {
    await tab(page, 'apply');
    await page.click('[data-testid="apply"]');
    await page.waitForSelector('[data-testid="apply-report"]');
    const head = await headers(page, '客户');
    expect(head.slice(9, 12)).toEqual(['KAM 得分', 'KAM 等级', 'KAM 提示']);
    const strategic = (await stripCounts(page)).strategic ?? 0;
    await page.click('[data-testid="filter-strategic"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="sheet-grid"] tbody tr').length === n + 1, strategic);
    const shown = await page.$$eval('[data-testid="sheet-grid"] tbody tr td[data-cell^="K"]', (tds) => tds.slice(1).map((td) => td.textContent));
    expect(new Set(shown)).toEqual(new Set(['战略大客户']));
    await shot(page, 'zh-05-applied-filtered');
  });

  it('explains an account in Chinese', async () => {
    await page.evaluate(() => (window as unknown as H).kamHarness.select('客户', 'A8'));
    await tab(page, 'explain');
    await page.click('[data-testid="explain-selected"]');
    await page.waitForSelector('[data-testid="explanation"]');
    expect(await page.textContent('[data-testid="explanation"]')).toContain('长期拖欠付款');
    await shot(page, 'zh-06-explain');
  });
});

run('long work and the user’s cells', () => {
  it('cancels an Apply mid-way without leaving any KAM column', async () => {
    const errors: string[] = [];
    const page = await pane.open('?lang=en&rows=300&budget=2000', errors);
    const before = await headers(page, 'Accounts');
    await page.evaluate(() => (window as unknown as H).kamHarness.hold());
    await tab(page, 'apply');
    await page.click('[data-testid="apply"]');
    await page.evaluate(() => (window as unknown as H).kamHarness.held());
    await page.waitForSelector('[data-testid="progress"]:not([hidden])');
    await shot(page, 'en-15-progress');
    await page.click('[data-testid="cancel"]');
    await page.evaluate(() => (window as unknown as H).kamHarness.release());
    await page.waitForSelector('[data-testid="status-message"][data-key="cancelled"]');
    expect(await statusTexts(page)).toEqual(['Cancelled: no KAM column was written or changed.']);
    expect(await headers(page, 'Accounts')).toEqual(before);
    expect(await page.evaluate(() => (window as unknown as H).kamHarness.book.sheet('KAM Staging') === undefined)).toBe(true);
    await shot(page, 'en-16-cancelled');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses to write over a cell beside the data and says where it is', async () => {
    const errors: string[] = [];
    const page = await pane.open('?lang=en', errors);
    // A note one column right of the region's right neighbour: inside where the KAM columns go.
    await page.evaluate(() => {
      const h = (window as unknown as H).kamHarness;
      h.book.sheet('Accounts')?.setRaw(6, 11, 'my note');
      h.book.changed();
    });
    await tab(page, 'apply');
    await page.click('[data-testid="apply"]');
    await page.waitForSelector('[data-testid="status-message"][data-key="cellsNotEmpty"]');
    expect((await statusTexts(page))[0]).toBe(
      'Nothing was written: on the sheet "Accounts", J1:P41, where the new KAM columns would go, is not empty (data in L7). Move or clear those cells, then apply again.',
    );
    expect((await cell(page, 'Accounts', 6, 11)).value).toBe('my note');
    expect((await headers(page, 'Accounts')).length).toBe(12);
    await shot(page, 'en-17-refused');
    expect(errors).toEqual([]);
    await page.close();
  });
});

/** Every text of a sheet of the in-memory workbook, row by row. */
async function sheetTexts(page: Page, sheet: string): Promise<string[]> {
  return page.evaluate((s) => {
    const sh = (window as unknown as H).kamHarness.book.sheet(s);
    const used = sh?.usedRect();
    return sh && used ? sh.read({ row: 0, col: 0, rowCount: used.row + used.rowCount, colCount: used.col + used.colCount }).map((r) => r.map((v) => String(v)).join('|')) : [];
  }, sheet);
}

// From an order-line export to scored accounts (issue 8): the roll-up offer, readiness said once,
// and the choice to score on the criteria present, made before Apply.
const ORDER_PATH = {
  en: {
    orders: 'Orders',
    accounts: 'Accounts',
    lines: /\d+ lines for 12 accounts/,
    absent: 'Absent from this data: Wallet (headroom), Days to pay, Access to goals, Openness to ideas (45% of the weight).',
    consequence: 'every account would be Insufficient data',
    leftOut: 'Wallet (headroom), Days to pay, Access to goals, Openness to ideas left out (45% of the weight)',
    kept: 'Annual sales',
    dropped: 'Wallet (headroom)',
  },
  zh: {
    orders: '订单',
    accounts: '客户汇总',
    lines: /12 个客户共 \d+ 行/,
    absent: '此数据中没有的列:业务总量(增长空间)、付款天数、业务目标切入点、接受新想法(占权重 45%)。',
    consequence: '所有客户都将是“数据不足”',
    leftOut: '未计入 业务总量(增长空间)、付款天数、业务目标切入点、接受新想法(占权重 45%)',
    kept: '年销售额',
    dropped: '业务总量(增长空间)',
  },
} as const;

for (const lang of ['en', 'zh'] as const) {
  const want = ORDER_PATH[lang];
  run(`order lines to accounts, scored on the criteria present (${lang})`, () => {
    const errors: string[] = [];
    let page: Page;

    beforeAll(async () => {
      page = await pane.open(`?lang=${lang}&book=orders`, errors);
    });
    afterAll(async () => {
      await page?.close();
    });
    afterEach(() => expect(errors).toEqual([]));

    it('says the data looks like order lines and rolls them up into a new sheet, which becomes the data', async () => {
      const offer = await page.waitForSelector('[data-testid="order-lines"]');
      expect((await offer.textContent()) ?? '').toMatch(want.lines);
      await shot(page, `${lang}-20-order-lines`);
      const ordersBefore = await sheetTexts(page, want.orders);
      await page.click('[data-testid="rollup"]');
      await page.waitForSelector('[data-testid="status-message"][data-key="rolledUp"]');
      expect(await page.textContent('[data-testid="region-info"]')).toContain(`${want.accounts}!A1:`);
      expect(await page.$('[data-testid="order-lines"]')).toBeNull();
      // The export is only read.
      expect(await sheetTexts(page, want.orders)).toEqual(ordersBefore);
      expect((await sheetTexts(page, want.accounts)).length).toBe(13);
      await page.click(`.sheet-tabs button[data-sheet="${want.accounts}"]`);
    });

    it('says once which criteria are absent, their weight and the consequence, and offers the choice', async () => {
      const summary = (await page.textContent('[data-testid="missing-summary"]')) ?? '';
      expect(summary).toContain(want.absent);
      expect(summary).toContain(want.consequence);
      expect((await stripCounts(page)).insufficient).toBe(12);
      expect(await page.isVisible('fluent-radio-group[data-field="readiness"]')).toBe(true);
      await shot(page, `${lang}-21-readiness`);
      await tab(page, 'apply');
      expect(await page.isVisible('[data-testid="apply-readiness"]')).toBe(true);
      await tab(page, 'data');
    });

    it('scores on the criteria present when chosen, and Apply writes the reduced rule set and says so', async () => {
      await page.click('fluent-radio[value="present"]');
      await page.waitForSelector('[data-testid="reduction-summary"]');
      expect(await page.textContent('[data-testid="reduction-summary"]')).toContain(want.leftOut);
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="tier-strip"] [data-tier="insufficient"]')?.getAttribute('data-count')) === 0);
      expect(Object.values(await stripCounts(page)).reduce((a, b) => a + b, 0)).toBe(12);
      await shot(page, `${lang}-22-score-present`);
      await tab(page, 'apply');
      await page.click('[data-testid="apply"]');
      await page.waitForSelector('[data-testid="apply-report"]');
      expect(await page.textContent('[data-testid="apply-scored-on"]')).toContain(want.leftOut);
      const rules = (await sheetTexts(page, 'KAM Rules')).join('\n');
      expect(rules).toContain(want.kept);
      expect(rules).not.toContain(want.dropped);
      await shot(page, `${lang}-23-applied-present`);
      await page.click('.sheet-tabs button[data-sheet="KAM Rules"]');
      await shot(page, `${lang}-24-reduced-rules-sheet`);
    });
  });
}

/** Issue 11: results written under other rules than the KAM Rules sheet now holds are said to be stale, on open. */
const STALE = {
  en: { heading: /written on 2026-11-30 09:30:00 UTC under other rules/, key: /Key tier — minimum score: 60 → 55/, openness: /Openness to ideas — weight: 10 → 15/ },
  zh: { heading: /写于 2026-11-30 09:30:00 UTC,所用规则与当前 KAM Rules 表不同/, key: /重点等级 — 最低分:60 → 55/, openness: /接受新想法 — 权重:10 → 15/ },
} as const;

for (const lang of ['en', 'zh'] as const) {
  run(`the stale banner (${lang})`, () => {
    it('lists what changed in the rules since the recorded run, and a fresh workbook shows none', async () => {
      const errors: string[] = [];
      const page = await pane.open(`?lang=${lang}&stale=1`, errors);
      try {
        const banner = await page.waitForSelector('[data-testid="stale-banner"]');
        const text = (await banner.textContent()) ?? '';
        expect(text).toMatch(STALE[lang].heading);
        const changes = await page.$$eval('[data-testid="stale-banner"] li', (items) => items.map((li) => li.textContent ?? ''));
        expect(changes.some((c) => STALE[lang].key.test(c))).toBe(true);
        expect(changes.some((c) => STALE[lang].openness.test(c))).toBe(true);
        await shot(page, `${lang}-30-stale-banner`);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
      const fresh = await pane.open(`?lang=${lang}`, errors);
      try {
        expect(await fresh.$('[data-testid="stale-banner"]')).toBeNull();
      } finally {
        await fresh.close();
      }
    });
  });
}
