import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import goldenFile from '../fixtures/golden-accounts.json';
import { ACCOUNT_INPUTS, type AccountInput } from '../../src/functions/catalog';

/**
 * Loads the built custom-functions bundle the way Excel's JavaScript-only runtime does: the script
 * runs with a `CustomFunctions` global and nothing else of the browser, and registers each function
 * through `CustomFunctions.associate(id, fn)`.
 */

export const ADDIN_DIR = resolve(__dirname, '../../dist/addin');

/** What `new CustomFunctions.Error(code, message)` makes in the fake runtime. */
export class FakeError {
  constructor(
    readonly code: string,
    readonly message?: string,
  ) {}
}

/** The runtime's ErrorCode enum: member names → the error texts Excel shows. */
export const ERROR_CODE = {
  invalidValue: '#VALUE!',
  notAvailable: '#N/A',
  divisionByZero: '#DIV/0!',
  invalidNumber: '#NUM!',
  nullReference: '#NULL!',
  invalidName: '#NAME?',
  invalidReference: '#REF!',
} as const;

export type CustomFunction = (...args: unknown[]) => unknown[][];

export interface LoadedBundle {
  /** Functions by id, as associated. */
  functions: Record<string, CustomFunction>;
  /** Ids in the order the bundle associated them. */
  associated: string[];
}

export function builtFile(name: string): string {
  const file = join(ADDIN_DIR, name);
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: build the add-in first (\`npm test\` runs \`npm run build\`; or run \`npm run build:addin\`).`);
  }
  return file;
}

export function loadBundle(): LoadedBundle {
  const source = readFileSync(builtFile('functions.js'), 'utf8');
  const functions: Record<string, CustomFunction> = {};
  const associated: string[] = [];
  const CustomFunctions = {
    Error: FakeError,
    ErrorCode: ERROR_CODE,
    associate(id: string, fn: CustomFunction): void {
      if (id in functions) throw new Error(`${id} is associated twice`);
      functions[id] = fn;
      associated.push(id);
    },
  };
  runInContext(source, createContext({ CustomFunctions }), { filename: 'functions.js' });
  return { functions, associated };
}

export function readBuiltJson(name: string): unknown {
  return JSON.parse(readFileSync(builtFile(name), 'utf8'));
}

// ---- Golden accounts ----

export interface GoldenAccount {
  account: string;
  inputs: Partial<Record<AccountInput, string | number | null>>;
  expected: { outcome: string; score: number | null; flags: string[] };
}

export const GOLDEN: GoldenAccount[] = (goldenFile as { accounts: GoldenAccount[] }).accounts;

/** An account's inputs by criterion id: what a sheet row holds (an Excel error object included). */
export type AccountCells = Readonly<Partial<Record<AccountInput, unknown>>>;

/** One account's seven inputs as Excel passes single cells: [[value]], blanks as null. */
export function singleCells(inputs: AccountCells): unknown[][][] {
  return ACCOUNT_INPUTS.map((id) => [[inputs[id] ?? null]]);
}

/** Many accounts' inputs as seven columns, as Excel passes B2:B13. */
export function columnsOf(rows: readonly AccountCells[]): unknown[][][] {
  return ACCOUNT_INPUTS.map((id) => rows.map((inputs) => [inputs[id] ?? null]));
}

/** The error a cell shows, for assertions: its code and message, or null when it is a value. */
export function errorOf(cell: unknown): { code: string; message: string } | null {
  if (cell instanceof FakeError) return { code: cell.code, message: cell.message ?? '' };
  if (typeof cell === 'object' && cell !== null && 'code' in cell) {
    const e = cell as { code: string; message?: string };
    return { code: e.code, message: e.message ?? '' };
  }
  return null;
}

/** A column result as plain cells: values as they are, errors as "#CODE: message". */
export function showCells(matrix: unknown[][]): unknown[][] {
  return matrix.map((row) =>
    row.map((cell) => {
      const e = errorOf(cell);
      return e ? `${e.code}${e.message ? `: ${e.message}` : ''}` : cell;
    }),
  );
}
