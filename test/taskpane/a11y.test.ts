/**
 * The pane for people who do not use a mouse or do not see the screen as drawn: axe-core on every
 * tab and state in English and Chinese (and on the dark theme), the names Chromium's accessibility
 * tree gives each control, where focus lands after each action from the keyboard, what the one
 * status region says, and the charts in forced colours (screenshots kept with the others).
 */
import type { Page } from 'playwright-core';
import { UI_PACKS } from '../../src/taskpane/i18n';
import { axeSerious, axNodes, chromiumAvailable, choose, focused, listen, paneUnderTest, said, shot, stripCounts, tab, typeInto, type HarnessWindow as H } from './browserHarness';

const run = chromiumAvailable() ? describe : describe.skip;
// axe over six tabs takes a few seconds a tab on a busy machine.
jest.setTimeout(240_000);

const pane = paneUnderTest();

const TABS = ['data', 'preview', 'rules', 'apply', 'summary', 'explain'];
const INTERACTIVE = new Set(['button', 'combobox', 'textbox', 'checkbox', 'radio', 'tab', 'spinbutton', 'listbox', 'option']);

/** axe and the accessibility tree on every tab, in the state the page is in. */
async function auditTabs(page: Page, state: string): Promise<void> {
  for (const name of TABS) {
    await tab(page, name);
    expect({ state, tab: name, findings: await axeSerious(page) }).toEqual({ state, tab: name, findings: [] });
    const unnamed = (await axNodes(page)).filter((n) => INTERACTIVE.has(n.role) && n.role !== 'option' && n.name.trim() === '');
    expect({ state, tab: name, unnamed }).toEqual({ state, tab: name, unnamed: [] });
  }
}

/** The pane's live regions as the accessibility tree has them (roots only). */
async function liveRegions(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll('#app *')) {
      const live = el.getAttribute('aria-live');
      const role = el.getAttribute('role') ?? (el as HTMLElement & { elementInternals?: { role?: string } }).elementInternals?.role ?? '';
      if ((live && live !== 'off') || ['status', 'alert', 'log'].includes(role)) out.push(el.getAttribute('data-testid') ?? el.tagName.toLowerCase());
    }
    return out;
  });
}

for (const lang of ['en', 'zh'] as const) {
  run(`the pane's accessibility (${lang})`, () => {
    const errors: string[] = [];
    let page: Page;
    beforeAll(async () => {
      page = await pane.open(`?lang=${lang}`, errors);
    });
    afterAll(async () => {
      await page?.close();
    });
    afterEach(() => expect(errors).toEqual([]));

    it('has no serious axe finding and no unnamed control on any tab, as opened', async () => {
      await page.waitForSelector('[data-testid="region-info"]');
      await auditTabs(page, 'open');
    });

    it('names every dropdown by its criterion in the accessibility tree', async () => {
      await tab(page, 'data');
      const labels = await page.$$eval('[data-field-wrap^="map-"] > label', (els) => els.map((e) => e.textContent ?? ''));
      expect(labels.length).toBe(await page.locator('fluent-dropdown[data-field^="map-"]').count());
      expect(labels.length).toBeGreaterThan(5);
      const comboboxes = (await axNodes(page)).filter((n) => n.role === 'combobox').map((n) => n.name);
      for (const label of labels) expect(comboboxes).toContain(label);
      await tab(page, 'rules');
      const effects = (await axNodes(page)).filter((n) => n.role === 'combobox');
      expect(effects.length).toBe(3);
      expect(new Set(effects.map((n) => n.name))).toEqual(new Set([UI_PACKS[lang].effect]));
    });

    it('has one live region: the status region', async () => {
      expect(await liveRegions(page)).toEqual(['announcer']);
      expect(await page.evaluate(() => document.querySelector('main')?.getAttribute('aria-live') ?? null)).toBeNull();
    });

    it('ties a bad mapping and a bad rule to the control that holds them', async () => {
      await tab(page, 'data');
      const sales = lang === 'zh' ? '年销售额' : 'Annual sales';
      await choose(page, 'map-sales', lang === 'zh' ? '客户' : 'Customer');
      const error = (await (await page.waitForSelector('[data-testid="map-error-sales"]')).textContent()) ?? '';
      const combobox = (await axNodes(page)).find((n) => n.role === 'combobox' && n.name === sales);
      expect(combobox?.description).toBe(error);
      expect(combobox?.invalid).toBe('true');
      await tab(page, 'rules');
      await typeInto(page, 'criteria.0.weight', 'abc');
      const text = (await page.textContent('[data-error-for="criteria.0.weight"]')) ?? '';
      expect(text).not.toBe('');
      const input = (await axNodes(page)).find((n) => n.role === 'textbox' && n.description === text);
      expect(input?.invalid).toBe('true');
      await page.click('[data-testid="calibrate"]');
      await page.waitForSelector('[data-testid="calibration"]');
      await auditTabs(page, 'bad mapping, invalid rule, calibration shown');
      await tab(page, 'rules');
      await typeInto(page, 'criteria.0.weight', '30');
      await tab(page, 'data');
      await choose(page, 'map-sales', lang === 'zh' ? '年销售额' : 'Annual sales');
      await page.waitForSelector('[data-testid="map-error-sales"]', { state: 'detached' });
      await choose(page, 'map-account', lang === 'zh' ? '客户' : 'Customer');
      expect((await axNodes(page)).filter((n) => n.role === 'textbox' && n.invalid === 'true')).toEqual([]);
    });

    it('keeps focus on the mapping dropdown chosen from the keyboard', async () => {
      await tab(page, 'data');
      const header = lang === 'zh' ? '愿意接受新想法?' : 'Open to new ideas?';
      const control = 'fluent-dropdown[data-field="map-openness"] > [slot="control"]';
      await page.focus(control);
      await page.keyboard.press('Enter');
      // Enter opens the closed dropdown and leaves it open.
      await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('aria-expanded') === 'true', control);
      await page.waitForTimeout(50);
      expect(await page.getAttribute(control, 'aria-expanded')).toBe('true');
      const index = await page.$$eval('fluent-dropdown[data-field="map-openness"] fluent-option', (opts, h) => opts.findIndex((o) => o.getAttribute('value') === h), header);
      for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
      await listen(page);
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="missing-openness"]', { state: 'detached' });
      await page.waitForFunction(() => document.activeElement?.closest('fluent-dropdown')?.getAttribute('data-field') === 'map-openness');
      expect(await page.getAttribute(control, 'aria-expanded')).toBe('false');
      const messages = await said(page);
      expect(messages.length).toBe(1);
      expect(messages[0]).toContain(header);
      expect((messages[0] ?? '').length).toBeLessThan(200);
    });

    it('applies, filters and explains from the keyboard, with focus where the user is', async () => {
      await tab(page, 'apply');
      await page.focus('[data-testid="apply"]');
      await listen(page);
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="apply-report"]');
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'apply');
      expect(await said(page)).toEqual([await page.textContent('[data-testid="apply-report"] fluent-message-bar')]);

      const strategic = (await stripCounts(page)).strategic ?? 0;
      await page.focus('[data-testid="filter-strategic"]');
      await listen(page);
      await page.keyboard.press('Enter');
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="sheet-grid"] tbody tr').length === n + 1, strategic);
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'filter-strategic');
      expect((await said(page)).length).toBe(1);
      await page.focus('[data-testid="filter-all"]');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="sheet-grid"] tbody tr').length === 41);
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'filter-all');

      await page.evaluate((sheet) => (window as unknown as H).kamHarness.select(sheet, 'C5'), lang === 'zh' ? '客户' : 'Accounts');
      await tab(page, 'explain');
      await page.focus('[data-testid="explain-selected"]');
      await listen(page);
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="explanation"]');
      await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'explanation-title');
      const verdict = await said(page);
      expect(verdict.length).toBe(1);
      expect(verdict[0]).toContain((await page.textContent('[data-testid="explain-tier"]')) ?? '?');
      expect(await focused(page)).not.toBe('body');
    });

    it('has no serious axe finding on any tab after Apply, with a capacity and an explanation', async () => {
      await tab(page, 'summary');
      await typeInto(page, 'capacity', '60');
      await page.waitForSelector('[data-hours-label]', { state: 'attached' });
      await auditTabs(page, 'applied');
      await tab(page, 'summary');
      await typeInto(page, 'capacity', '-3');
      const error = (await page.textContent('[data-error-for="capacity"]')) ?? '';
      expect(error).not.toBe('');
      expect((await axNodes(page)).find((n) => n.role === 'textbox' && n.description === error)?.invalid).toBe('true');
      await typeInto(page, 'capacity', '60');
    });

    it('gives every chart its values as text', async () => {
      await tab(page, 'preview');
      const bands = await page.$$eval('svg[data-chart="histogram"] [data-band-count]', (els) => els.map((e) => Number(e.textContent)));
      const bars = await page.$$eval('svg[data-chart="histogram"] rect[data-band]', (els) => els.map((e) => Number(e.getAttribute('data-count'))));
      expect(bands).toEqual(bars);
      expect(await page.getAttribute('svg[data-chart="histogram"]', 'aria-label')).toContain(`90–100: ${bars[9]}`);
      await tab(page, 'summary');
      const quadrants = await page.$$eval('svg[data-chart="portfolio"] [data-quadrant-label]', (els) => els.map((e) => e.textContent ?? ''));
      const points = await page.$$eval('svg[data-chart="portfolio"] circle', (els) => els.length);
      expect(quadrants.map((q) => Number(/(\d+)\D*$/.exec(q)?.[1])).reduce((a, b) => a + b, 0)).toBe(points);
      const hours = await page.$$eval('svg[data-chart="hours"] rect[data-hours]', (els) => els.map((e) => `${e.getAttribute('data-tier')}:${e.getAttribute('data-hours')}`));
      const hourLabels = await page.$$eval('svg[data-chart="hours"] [data-hours-label]', (els) =>
        els.map((e) => `${e.getAttribute('data-hours-label')}:${/([\d.]+)\D*$/.exec(e.textContent ?? '')?.[1]}`),
      );
      expect(hourLabels).toEqual(hours);
    });
  });
}

run('the status region during long work and typing', () => {
  it('says progress at a few steps, and a rule edit once when typing pauses', async () => {
    const errors: string[] = [];
    const page = await pane.open('?lang=en&rows=300&budget=2000', errors);
    await tab(page, 'apply');
    await listen(page);
    await page.click('[data-testid="apply"]');
    await page.waitForSelector('[data-testid="apply-report"]');
    const messages = await said(page);
    const progress = messages.filter((m) => / of \d+ rows$/.test(m));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThanOrEqual(3);
    expect(messages.length).toBe(progress.length + 1);
    expect(messages.every((m) => m.length < 200)).toBe(true);

    await tab(page, 'rules');
    await page.locator('fluent-text-input[data-field="tiers.strategic.minScore"] input').fill('');
    // The blank field's own message is said once typing pauses; then listen to the typing alone.
    await page.waitForFunction(() => document.querySelector('[data-testid="announcer"]')?.textContent === '"" is not a number');
    await listen(page);
    await page.locator('fluent-text-input[data-field="tiers.strategic.minScore"] input').pressSequentially('68', { delay: 30 });
    await page.waitForFunction(() => (window as unknown as { kamSaid: string[] }).kamSaid.length > 0);
    await page.waitForTimeout(300);
    const typed = await said(page);
    expect(typed).toEqual([expect.stringMatching(/^Tiers now: Strategic \d+/)]);

    // Calibrate, then use the suggestions, from the keyboard: focus stays with Calibrate.
    await page.focus('[data-testid="calibrate"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="use-calibration"]');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'calibrate');
    await page.focus('[data-testid="use-calibration"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="use-calibration"]', { state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'calibrate');
    expect(errors).toEqual([]);
    await page.close();
  });
});

run('the pane in forced colours and on the dark theme', () => {
  it('draws chart text in the system text colour and passes axe on the dark theme', async () => {
    const errors: string[] = [];
    const page = await pane.open('?lang=en', errors);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await auditTabs(page, 'dark');
    await tab(page, 'apply');
    await page.click('[data-testid="apply"]');
    await page.waitForSelector('[data-testid="apply-report"]');
    await auditTabs(page, 'dark, applied');
    await tab(page, 'summary');
    await typeInto(page, 'capacity', '60');
    await shot(page, 'en-20-dark-summary');

    await page.emulateMedia({ forcedColors: 'active', colorScheme: 'dark' });
    await tab(page, 'apply');
    await shot(page, 'en-18-forced-apply');
    await tab(page, 'summary');
    const colours = await page.evaluate(() => {
      const text = getComputedStyle(document.body).color;
      const fills = [...document.querySelectorAll('#panel-summary svg .chart-text')].map((t) => getComputedStyle(t).fill);
      return { text, fills: [...new Set(fills)] };
    });
    expect(colours.fills).toEqual([colours.text]);
    await shot(page, 'en-19-forced-summary');
    await tab(page, 'preview');
    await shot(page, 'en-21-forced-preview');
    expect(errors).toEqual([]);
    await page.close();
  });
});
