import type { CellValue, ColumnInput } from '../src/engine';

/**
 * Synthetic accounts, reproducible from a seed, shaped like a real export: mostly numbers, ~5% blank
 * cells (empty, null, or an "n/a" text), a few % of below-cost and late payers, a small share of
 * texts the coercion step has to read ("18%", "1,234,567", 是/否, Yes/No), and a few bad cells
 * ("#N/A", a margin of 18 typed without its %, a negative sales figure, an unreadable word).
 */

export const CRITERIA = ['sales', 'margin', 'growth', 'wallet', 'paymentDays', 'access', 'openness'] as const;
export type CriterionId = (typeof CRITERIA)[number];

export const SEED = 20240607;

/** mulberry32: a small, fast 32-bit PRNG, good enough for test data. Returns [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Mix {
  /** Share of cells left blank. */
  blank: number;
  /** Share of accounts selling below cost (negative margin). */
  belowCost: number;
  /** Share of accounts paying late (91–180 days). */
  late: number;
  /** Share of numeric cells written as text ("18%", "1,234,567", 是/否). */
  text: number;
  /** Share of accounts with one bad cell. */
  bad: number;
}

export const DEFAULT_MIX: Mix = { blank: 0.05, belowCost: 0.03, late: 0.04, text: 0.02, bad: 0.002 };

const BAD_CELLS: ReadonlyArray<readonly [CriterionId, CellValue]> = [
  ['sales', '#N/A'],
  ['margin', 18], // 18% typed without its sign
  ['sales', -5000],
  ['growth', '#VALUE!'],
  ['paymentDays', 'unknown'],
  ['access', 'maybe'],
];

const round = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};

function groupThousands(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

export interface Accounts extends ColumnInput {
  columns: Record<CriterionId, CellValue[]>;
}

/** `count` accounts as columns (the shape sheets and CSV files have). Same seed, same accounts. */
export function makeAccounts(count: number, seed = SEED, mix: Mix = DEFAULT_MIX): Accounts {
  const rand = prng(seed);
  const normal = (mean: number, sd: number): number => {
    // Box–Muller; 1 − u keeps the log's argument above 0.
    const u = 1 - rand();
    const v = rand();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const columns = Object.fromEntries(CRITERIA.map((id) => [id, [] as CellValue[]])) as Record<CriterionId, CellValue[]>;
  const blank = (): CellValue => {
    const u = rand();
    return u < 0.5 ? null : u < 0.95 ? '' : 'n/a';
  };
  const rating = (): CellValue => {
    if (rand() < mix.text) return ['是', '否', 'Yes', 'No'][Math.floor(rand() * 4)] as string;
    return Math.min(5, Math.max(0, Math.round(normal(3, 1.3))));
  };

  for (let r = 0; r < count; r++) {
    const sales = Math.min(2e7, Math.round(Math.exp(normal(Math.log(400_000), 1))));
    let margin = round(normal(0.16, 0.07), 4);
    if (rand() < mix.belowCost) margin = -round(rand() * 0.1 + 0.001, 4);
    else if (margin < 0) margin = 0;
    const growth = round(Math.max(-0.9, normal(0.05, 0.1)), 3);
    const wallet = Math.round(sales * (1 + rand() * 2.5));
    let days = Math.max(5, Math.round(normal(48, 15)));
    if (rand() < mix.late) days = 91 + Math.floor(rand() * 90);

    const cells: Record<CriterionId, CellValue> = {
      sales: rand() < mix.text && sales >= 1_000_000 ? groupThousands(sales) : sales,
      margin: rand() < mix.text ? `${round(margin * 100, 2)}%` : margin,
      growth: rand() < mix.text / 2 ? `${round(growth * 100, 1)}%` : growth,
      wallet: rand() < mix.text && wallet >= 1_000_000 ? groupThousands(wallet) : wallet,
      paymentDays: days,
      access: rating(),
      openness: rating(),
    };
    for (const id of CRITERIA) if (rand() < mix.blank) cells[id] = blank();
    if (rand() < mix.bad) {
      const [id, cell] = BAD_CELLS[Math.floor(rand() * BAD_CELLS.length)] as readonly [CriterionId, CellValue];
      cells[id] = cell;
    }
    for (const id of CRITERIA) columns[id].push(cells[id]);
  }
  return { rowCount: count, columns };
}

/** The same accounts as one object per account (what `evaluateBatch` takes). */
export function accountObjects(accounts: Accounts): Array<Record<CriterionId, CellValue>> {
  const out: Array<Record<CriterionId, CellValue>> = [];
  const c = accounts.columns;
  for (let r = 0; r < accounts.rowCount; r++) {
    out.push({
      sales: c.sales[r],
      margin: c.margin[r],
      growth: c.growth[r],
      wallet: c.wallet[r],
      paymentDays: c.paymentDays[r],
      access: c.access[r],
      openness: c.openness[r],
    });
  }
  return out;
}

/** Rows whose seven inputs are all plain numbers (no blanks, no texts). */
export function isAllNumeric(accounts: Accounts, row: number): boolean {
  for (const id of CRITERIA) if (typeof accounts.columns[id][row] !== 'number') return false;
  return true;
}

/** What the accounts hold, in shares of cells: for the report, so readers can judge the mix. */
export function describeMix(accounts: Accounts): string {
  let blank = 0;
  let text = 0;
  for (const id of CRITERIA)
    for (const v of accounts.columns[id]) {
      if (v === null || v === undefined || v === '' || v === 'n/a') blank++;
      else if (typeof v === 'string') text++;
    }
  const cells = CRITERIA.length * accounts.rowCount;
  const pct = (x: number): string => `${((100 * x) / cells).toFixed(2)}%`;
  return `${accounts.rowCount.toLocaleString('en-US')} accounts × ${CRITERIA.length} criteria; blank cells ${pct(blank)}, other text cells ${pct(text)}`;
}
