/**
 * What the browser tests share: building the harness page (webpack.harness.config.js), serving
 * it on 127.0.0.1 (no network beyond loopback), and launching Debian's headless Chromium through
 * playwright-core with the flags from docs/toolchain.md.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = path.join(__dirname, '../..');
export const HARNESS_DIR = path.join(ROOT, 'test-output/harness');
export const SCREENSHOTS = path.join(ROOT, 'test-output/screenshots');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

/** Builds the harness once per test run (skipped when KAM_HARNESS_BUILT=1 says it is fresh). */
export function buildHarness(): void {
  if (process.env.KAM_HARNESS_BUILT === '1' && fs.existsSync(path.join(HARNESS_DIR, 'harness.html'))) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/webpack-cli/bin/cli.js'), '--config', path.join(ROOT, 'webpack.harness.config.js')], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  process.env.KAM_HARNESS_BUILT = '1';
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.png': 'image/png', '.json': 'application/json' };

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** A static server for the built harness, on a free port of 127.0.0.1. */
export async function serveHarness(): Promise<Served> {
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname).replace(/^\/+/, '') || 'harness.html';
    const file = path.join(HARNESS_DIR, path.normalize(name));
    if (!file.startsWith(HARNESS_DIR) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/harness.html`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Opens the harness and waits until the pane has read the workbook. Page errors fail the test. */
export async function openPane(browser: Browser, url: string, query: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1720, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  // Nothing beyond the loopback server: any other request is refused.
  await page.route('**/*', (route) => (route.request().url().startsWith('http://127.0.0.1:') ? route.continue() : route.abort()));
  await page.goto(`${url}${query}`);
  await page.evaluate(() => window.kamHarness.ready);
  return page;
}

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Picks an option of a Fluent dropdown. */
export async function choose(page: Page, field: string, value: string): Promise<void> {
  const dropdown = page.locator(`fluent-dropdown[data-field="${field}"]`);
  await dropdown.click();
  await dropdown.locator(`fluent-option[value="${value.replace(/"/g, '\\"')}"]`).click();
}

/** Types into a Fluent text input (replacing its text). */
export async function typeInto(page: Page, field: string, text: string): Promise<void> {
  await page.locator(`fluent-text-input[data-field="${field}"] input`).fill(text);
}

export async function tab(page: Page, name: string): Promise<void> {
  await page.click(`[data-testid="tab-${name}"]`);
  await page.waitForSelector(`[data-testid="panel-${name}"]:not([hidden])`);
}

/** Tier counts shown in the strip above the tabs. */
export async function stripCounts(page: Page): Promise<Record<string, number>> {
  return page.$$eval('[data-testid="tier-strip"] [data-tier]', (chips) => Object.fromEntries(chips.map((c) => [c.getAttribute('data-tier'), Number(c.getAttribute('data-count'))])));
}
