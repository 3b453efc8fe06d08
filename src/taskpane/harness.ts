/**
 * The test and demo harness: the real task pane (app.ts) beside a rendering of an in-memory
 * workbook, without office.js. Built by webpack.harness.config.js; driven by the browser tests in
 * test/taskpane/browser.test.ts through `window.kamHarness`.
 *
 * URL parameters: lang=en|zh (the pane's language), data=en|zh (the demo sheet's headers; defaults
 * to lang), rows=n (accounts), budget=bytes (payload budget per chunk, small to show chunking),
 * book=orders (an order-line export instead of the account sheet), stale=1 (a workbook last scored
 * under other rules than its KAM Rules sheet holds: the stale banner), currency=1 (accounts in CNY,
 * EUR and USD, one in JPY and one blank, under rules that score in CNY with an FX table).
 */
import { defaultRules, rulesToTable, runRecordProperties } from '../engine';
import { LANGUAGES, type Lang } from '../engine/types';
import { MemoryGateway, type MemoryWorkbook } from '../gateway/memory';
import { KamApp } from './app';
import { kamFormulaEvaluator } from './demo/formulas';
import { renderSheetView, SHEET_CSS } from './demo/sheetView';
import { demoOrdersWorkbook, demoWorkbook } from './demo/workbook';

export interface Harness {
  book: MemoryWorkbook;
  gateway: MemoryGateway;
  app: KamApp;
  /** Holds the next chunk writes until released: lets a test cancel an Apply mid-way. */
  hold(): void;
  release(): void;
  /** Resolves when a chunk write is waiting at the hold. */
  held(): Promise<void>;
  select(sheet: string, a1: string): void;
  ready: Promise<void>;
}

declare global {
  interface Window {
    kamHarness: Harness;
  }
}

function param(name: string): string | null {
  return new URLSearchParams(window.location.search).get(name);
}

function langParam(name: string, fallback: Lang): Lang {
  const v = param(name);
  return (LANGUAGES as readonly string[]).includes(v ?? '') ? (v as Lang) : fallback;
}

const lang = langParam('lang', 'en');
// book=orders: an order-line export instead of an account sheet (the roll-up and readiness path).
const book = param('book') === 'orders' ? demoOrdersWorkbook(langParam('data', lang)) : demoWorkbook(langParam('data', lang), Number(param('rows') ?? 40));
book.evaluator = kamFormulaEvaluator;

let gate: Promise<void> | null = null;
let openGate: (() => void) | null = null;
let waiting: (() => void) | null = null;
const heldSignal: { promise: Promise<void> } = { promise: new Promise((resolve) => (waiting = resolve)) };

const budget = Number(param('budget') ?? 0);
const gateway = new MemoryGateway(book, {
  ...(budget > 0 ? { chunkBudget: budget } : {}),
  beforeChunk: async () => {
    if (!gate) return;
    waiting?.();
    await gate;
  },
});

const style = document.createElement('style');
style.textContent = SHEET_CSS;
document.head.append(style);
const sheetRoot = document.getElementById('sheet') as HTMLElement;
const shown = { sheet: book.selection.sheet };
const draw = (): void => renderSheetView(sheetRoot, book, shown);
book.onChange(draw);
draw();

const app = new KamApp({ root: document.getElementById('app') as HTMLElement, gateway, lang });
window.kamHarness = {
  book,
  gateway,
  app,
  hold() {
    gate = new Promise((resolve) => (openGate = resolve));
    heldSignal.promise = new Promise((resolve) => (waiting = resolve));
  },
  release() {
    gate = null;
    openGate?.();
  },
  held: () => heldSignal.promise,
  select(sheet: string, a1: string) {
    const m = /^([A-Z]+)(\d+)$/.exec(a1);
    if (!m) return;
    let col = 0;
    for (const ch of m[1] as string) col = col * 26 + ch.charCodeAt(0) - 64;
    book.selection = { sheet, row: Number(m[2]) - 1, col: col - 1 };
    shown.sheet = sheet;
    draw();
  },
  ready: staleDemo()
    .then(currencyDemo)
    .then(() => app.start()),
};

/**
 * stale=1: the run record says the results were written under the default rules, while the KAM
 * Rules sheet now holds a lower Key threshold and a heavier Openness (a colleague edited it).
 */
async function staleDemo(): Promise<void> {
  if (param('stale') !== '1') return;
  const applied = defaultRules();
  const edited = {
    ...applied,
    criteria: applied.criteria.map((c) => (c.id === 'openness' ? { ...c, weight: c.weight + 5 } : c)),
    tiers: { ...applied.tiers, key: { ...applied.tiers.key, minScore: applied.tiers.key.minScore - 5 } },
  };
  await gateway.writeRules(rulesToTable(edited, { lang }));
  await gateway.writeRunRecord(runRecordProperties(applied, new Date(Date.UTC(2026, 10, 30, 9, 30)), '0.1.0', lang));
}

/** currency=1: a Currency column beside the inputs (CNY, EUR, USD; row 5 in JPY, row 7 blank) and rules in CNY with rates. */
async function currencyDemo(): Promise<void> {
  if (param('currency') !== '1') return;
  const sheet = book.sheet(book.selection.sheet);
  const used = sheet?.usedRect();
  if (!sheet || !used) return;
  const col = used.col + used.colCount;
  sheet.setRaw(0, col, lang === 'zh' ? '币种' : 'Currency');
  for (let r = 1; r < used.rowCount; r++) sheet.setRaw(r, col, r === 5 ? 'JPY' : r === 7 ? '' : (['CNY', 'EUR', 'USD'][r % 3] as string));
  const rules = {
    ...defaultRules(),
    currency: 'CNY',
    fx: [
      { code: 'EUR', rate: 7.8, date: '2026-11-30' },
      { code: 'USD', rate: 7.1 },
    ],
  };
  await gateway.writeRules(rulesToTable(rules, { lang }));
}
