/**
 * What the browser tests share: building the harness page (webpack.harness.config.js), serving
 * it on 127.0.0.1 (no network beyond loopback), and launching Debian's headless Chromium through
 * playwright-core (no sandbox, for root in a container; no background network); paneUnderTest does
 * all three for a test file. Then driving the pane and auditing its accessibility.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Harness } from '../../src/taskpane/harness';

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

/** Content types of the files the tests serve. */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
  '.json': 'application/json',
  '.css': 'text/css',
};

export interface Served {
  /** The server's root, ending in `/`. */
  base: string;
  /** The page to open: the root's index page. */
  url: string;
  close(): Promise<void>;
}

/** A static server for a folder, on a free port of 127.0.0.1; `/` answers with `index`. */
export async function serveDir(dir: string, index = ''): Promise<Served> {
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname).replace(/^\/+/, '') || index;
    const file = path.join(dir, path.normalize(name));
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/`;
  return { base, url: `${base}${index}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The built harness, served. */
export function serveHarness(): Promise<Served> {
  return serveDir(HARNESS_DIR, 'harness.html');
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

/** The page's window as the tests read it: the harness exposes the workbook and the selection. */
export type HarnessWindow = { kamHarness: Harness };

/**
 * What a test file of the pane needs, started before its first test (the harness built and served,
 * Chromium launched) and closed after its last. Call it at the top of the file.
 */
export function paneUnderTest(): { open(query: string, errors: string[]): Promise<Page> } {
  let browser: Browser | undefined;
  let served: Served | undefined;
  beforeAll(async () => {
    buildHarness();
    served = await serveHarness();
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });
  return {
    open: (query, errors) => {
      if (!browser || !served) throw new Error('the browser is not running: call paneUnderTest() at the top of the test file');
      return openPane(browser, served.url, query, errors);
    },
  };
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
  return page.$$eval('[data-testid="tier-strip"] [data-tier]', (chips) =>
    Object.fromEntries(chips.map((c) => [c.getAttribute('data-tier'), Number(c.getAttribute('data-count'))])),
  );
}

// ---- Accessibility ----

/** One axe finding, reduced to what a failure message needs. */
export interface AxeFinding {
  rule: string;
  impact: string;
  target: string;
  summary: string;
  /** The element (or its Fluent host) is disabled. */
  disabled?: boolean;
}

/**
 * Findings we know to be wrong, each by rule and element, with the reason. Keep this short: an
 * entry must say why the finding does not apply.
 */
export const AXE_FALSE_POSITIVES: ReadonlyArray<{ rule: string; target: RegExp; disabledOnly?: boolean; reason: string }> = [
  {
    rule: 'color-contrast',
    target: /^\[\["fluent-button\[/,
    disabledOnly: true,
    reason:
      'WCAG 1.4.3 exempts inactive controls. A disabled Fluent button is disabled on its host, and axe-core checks the ' +
      'text inside its shadow root, where it cannot see that the button is disabled.',
  },
  {
    rule: 'aria-allowed-attr',
    target: /^\["#radio-\d+"\]$/,
    reason:
      'Fluent radios take the radio role through ElementInternals, which axe-core does not read: it sees a role-less ' +
      'element carrying aria-posinset/aria-setsize. Chromium exposes them as radios in a set (the label test reads that tree).',
  },
];

const AXE_SOURCE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA, and best practice) over the pane and returns its
 * critical and serious findings, less the documented false positives.
 */
export async function axeSerious(page: Page): Promise<AxeFinding[]> {
  // The pages' Content-Security-Policy refuses inline scripts, so axe is not added as a <script>: it is
  // evaluated through the DevTools protocol, which the policy does not govern (nothing is relaxed for the pane).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(fs.readFileSync(AXE_SOURCE, 'utf8'));
  const findings = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run({ include: [['#app']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .flatMap((v) =>
        v.nodes.map((n) => {
          const first = n.target[0];
          const host = typeof first === 'string' ? first : Array.isArray(first) ? String(first[0]) : '';
          const disabled = host !== '' && document.querySelector(host)?.closest('[disabled]') !== null && document.querySelector(host) !== null;
          return { rule: v.id, impact: v.impact, target: JSON.stringify(n.target), summary: (n.failureSummary ?? '').slice(0, 200), disabled };
        }),
      );
  });
  return findings
    .filter((f) => !AXE_FALSE_POSITIVES.some((fp) => fp.rule === f.rule && fp.target.test(f.target) && (!fp.disabledOnly || f.disabled)))
    .map(({ disabled: _disabled, ...f }) => f);
}

export interface AxNode {
  role: string;
  name: string;
  description: string;
  invalid: string;
  live: string;
}

/** Chromium's accessibility tree (what a screen reader is given), through the DevTools protocol. */
export async function axNodes(page: Page): Promise<AxNode[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Accessibility.enable');
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: Array<{
        ignored: boolean;
        role?: { value: string };
        name?: { value: string };
        description?: { value: string };
        properties?: Array<{ name: string; value: { value: unknown } }>;
      }>;
    };
    return nodes
      .filter((n) => !n.ignored)
      .map((n) => {
        const prop = (name: string): string => String(n.properties?.find((p) => p.name === name)?.value.value ?? '');
        return { role: n.role?.value ?? '', name: n.name?.value ?? '', description: n.description?.value ?? '', invalid: prop('invalid'), live: prop('live') };
      });
  } finally {
    await cdp.detach();
  }
}

/** What has focus: the focused element's (or its host's) test id or field name, or 'body'. */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    if (!el || el === document.body) return 'body';
    while (el) {
      const key = el.getAttribute('data-testid') ?? el.getAttribute('data-field');
      if (key) return key;
      el = el.parentElement ?? (el.getRootNode() as ShadowRoot).host ?? null;
    }
    return document.activeElement?.tagName.toLowerCase() ?? 'body';
  });
}

/** Records every message the pane's status region says from now on. */
export async function listen(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { kamSaid?: string[] };
    const first = w.kamSaid === undefined;
    w.kamSaid = [];
    const live = document.querySelector('[data-testid="announcer"]');
    if (live && first) new MutationObserver(() => w.kamSaid?.push(live.textContent ?? '')).observe(live, { childList: true, subtree: true, characterData: true });
  });
}

export async function said(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { kamSaid: string[] }).kamSaid.filter((x) => x !== ''));
}
