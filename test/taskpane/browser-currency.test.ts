/**
 * The built task pane in headless Chromium on a sheet mixing CNY, EUR and USD under rules that
 * score in CNY (the harness's currency=1): the Currency column is mapped, live formulas are
 * offered and pass it as the functions' [currency] argument, their values are what a values Apply
 * writes, and Calibrate says in which currency it read the amounts and how many it left out.
 */
import type { Page } from 'playwright-core';
import { chromiumAvailable, paneUnderTest, tab, type HarnessWindow as H } from './browserHarness';

const run = chromiumAvailable() ? describe : describe.skip;

const pane = paneUnderTest();

/** Per row: the live score cell, and the score a values Apply would write. */
async function scores(page: Page, col: number): Promise<{ live: unknown[]; values: unknown[]; formula: string | null }> {
  return page.evaluate((c) => {
    const { book, app } = (window as unknown as H).kamHarness;
    const sheet = book.sheet(book.selection.sheet);
    const rows = app.session.result?.rowCount ?? 0;
    const values = app.session.resultColumns('values').find((x) => x.key === 'score')?.values ?? [];
    return {
      live: Array.from({ length: rows }, (_, r) => sheet?.value(r + 1, c) ?? null),
      values: Array.from({ length: rows }, (_, r) => values[r] ?? null),
      formula: sheet?.formula(1, c) ?? null,
    };
  }, col);
}

run.each([
  ['en', 'Amounts read in CNY', '2 accounts left out'],
  ['zh', '金额按 CNY 读取', '2 个客户因货币为空或无汇率未计入'],
] as const)('the task pane with a currency column (%s)', (lang, readIn, leftOut) => {
  const errors: string[] = [];
  let page: Page;

  beforeAll(async () => {
    page = await pane.open(`?lang=${lang}&currency=1`, errors);
  });
  afterAll(async () => {
    await page?.close();
  });
  afterEach(() => expect(errors).toEqual([]));

  it('maps the Currency column, and offers live formulas that pass it as [currency]', async () => {
    await page.waitForSelector('[data-map-field="currency"]');
    expect(await page.evaluate(() => (window as unknown as H).kamHarness.app.session.matches.currency?.index)).toBe(9);
    await tab(page, 'apply');
    expect(await page.getAttribute('fluent-radio[value="formulas"]', 'disabled')).toBeNull();
    await page.click('fluent-radio[value="formulas"]');
    await page.click('[data-testid="apply"]');
    await page.waitForSelector('[data-testid="apply-report"]');
    const { live, values, formula } = await scores(page, 10);
    const language = lang === 'en' ? '' : '"zh"';
    expect(formula).toBe(`=KAM.SCORE(RC3,RC4,RC5,RC6,RC7,RC8,"",KAM_RULES,${language},RC10)`);
    // Row 5 is in JPY (no rate) and row 7 has no currency: #VALUE!, where a values Apply says Invalid input.
    expect([live[4], live[6]]).toEqual(['#VALUE!', '#VALUE!']);
    const scored = live.map((v, r) => [v, values[r]]).filter(([v]) => typeof v === 'number');
    expect(scored.length).toBeGreaterThan(30);
    for (const [v, expected] of scored) expect(v).toBe(expected);
  });

  it('calibrates from the amounts converted to CNY, and says how many accounts it left out', async () => {
    await tab(page, 'rules');
    await page.click('[data-testid="calibrate"]');
    const note = await page.waitForSelector('[data-testid="calibration-currency"]');
    const text = (await note.textContent()) ?? '';
    expect(text).toContain(readIn);
    expect(text).toContain(leftOut);
  });
});
