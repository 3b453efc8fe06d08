/**
 * The pane with the real office.js (from the @microsoft/office-js package, answered from this
 * machine's files in place of Microsoft's CDN; nothing else is reachable), and the "Check this Excel"
 * section in the harness:
 *  - the production taskpane.html loads office.js, Office.onReady resolves with no host outside
 *    Office, and the pane starts on its demo workbook with no console error;
 *  - the self-check runs in the pane, lists every step with pass/fail, and is screenshotted.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { SELF_CHECKS } from '../../src/gateway/types';
import { buildHarness, chromiumAvailable, CONTENT_TYPES, launch, openPane, ROOT, serveDir, serveHarness, shot, type Served } from './browserHarness';

const OFFICE_JS_DIR = path.join(ROOT, 'node_modules/@microsoft/office-js/dist');
const ADDIN_DIR = path.join(ROOT, 'dist/addin');
const CDN = 'https://appsforoffice.microsoft.com/lib/1/hosted/';

const run = chromiumAvailable() && fs.existsSync(path.join(OFFICE_JS_DIR, 'office.js')) ? describe : describe.skip;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

run('the production pane with the real office.js, outside Office', () => {
  let addin: Served;
  beforeAll(async () => {
    if (!fs.existsSync(path.join(ADDIN_DIR, 'taskpane.html'))) throw new Error('dist/addin is missing: run `npm run build:addin` first (npm test builds it).');
    addin = await serveDir(ADDIN_DIR);
  });
  afterAll(async () => {
    await addin?.close();
  });

  it('loads office.js from the package, finds no host, and starts the pane on its demo workbook without errors', async () => {
    const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    const errors: string[] = [];
    const requested: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      requested.push(url);
      // Microsoft's CDN is answered from the npm package; anything else beyond loopback is refused.
      if (url.startsWith(CDN)) {
        const file = path.join(OFFICE_JS_DIR, path.normalize(new URL(url).pathname.slice(new URL(CDN).pathname.length)));
        if (!file.startsWith(OFFICE_JS_DIR) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: '' });
        return route.fulfill({ path: file, contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
      }
      return url.startsWith('http://127.0.0.1:') ? route.continue() : route.abort();
    });
    await page.goto(`${addin.base}taskpane.html`);
    const info = await page.evaluate(async () => {
      const office = (window as unknown as { Office?: { onReady(): Promise<{ host: unknown; platform: unknown }> } }).Office;
      if (!office) return null;
      const ready = await office.onReady();
      return { host: ready.host ?? null, platform: ready.platform ?? null, excel: typeof (window as unknown as { Excel?: unknown }).Excel };
    });
    expect(info).toEqual({ host: null, platform: null, excel: 'undefined' });
    await page.waitForSelector('[data-testid="demo-notice"]');
    await page.waitForSelector('[data-testid="self-check"]');
    expect(requested.some((u) => u.startsWith(`${CDN}office.js`))).toBe(true);
    await shot(page, 'officejs-outside-office');
    expect(errors).toEqual([]);
    await page.close();
  });
});

run('"Check this Excel" in the pane', () => {
  let served: Served;
  beforeAll(async () => {
    buildHarness();
    served = await serveHarness();
  }, 180_000);
  afterAll(async () => {
    await served?.close();
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`runs every step and lists them with the environment (${lang})`, async () => {
      const errors: string[] = [];
      const page: Page = await openPane(browser, served.url, `?lang=${lang}`, errors);
      await page.click('[data-testid="run-self-check"]');
      await page.waitForSelector('[data-testid="self-check-report"]');
      const steps = await page.$$eval('.self-check-list li', (items) => items.map((li) => [li.getAttribute('data-check'), li.getAttribute('data-ok')]));
      expect(steps).toEqual(SELF_CHECKS.map((id) => [id, 'true']));
      expect(await page.textContent('[data-testid="self-check-environment"]')).toContain('in-memory workbook');
      const sheets = await page.evaluate(() => (window as unknown as { kamHarness: { book: { sheets: Array<{ name: string }> } } }).kamHarness.book.sheets.map((s) => s.name));
      expect(sheets).not.toContain('KAM Self-check');
      await page.locator('[data-testid="self-check"]').scrollIntoViewIfNeeded();
      await shot(page, `${lang}-self-check`);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
