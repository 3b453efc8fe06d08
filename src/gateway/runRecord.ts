/**
 * The run record (engine/run-record.ts) in a live workbook: custom document properties, the same
 * ones `kam score` writes into the file, so that `kam check` reads an Apply's record and the pane
 * reads a `kam score` one. The Office functions take a request context (office.ts owns Excel.run)
 * and make one round trip to read and one to write.
 */
import { RUN_RECORD_KEYS } from '../engine/run-record';

/** The product's version as the pane records it (a test keeps it equal to package.json's). */
export const PRODUCT_VERSION = '0.1.0';

/** Our properties are the ones named `KAM.…`: the user's own are never touched. */
const isOurs = (key: string): boolean => key.startsWith(RUN_RECORD_KEYS.fingerprint.slice(0, 4));

/** Reads every custom property (name → value as text). Needs ExcelApi 1.7. */
export async function readCustomPropertiesIn(context: Excel.RequestContext): Promise<Record<string, string>> {
  const custom = context.workbook.properties.custom;
  custom.load('items/key,items/value');
  await context.sync();
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const item of custom.items) out[item.key] = typeof item.value === 'string' ? item.value : String(item.value);
  return out;
}

/** Replaces our properties with `properties` (an earlier record's extra parts are removed), in one sync. */
export async function writeCustomPropertiesIn(context: Excel.RequestContext, properties: ReadonlyArray<readonly [string, string]>): Promise<void> {
  const custom = context.workbook.properties.custom;
  custom.load('items/key');
  await context.sync();
  const keep = new Set(properties.map(([key]) => key));
  for (const item of custom.items) if (isOurs(item.key) && !keep.has(item.key)) item.delete();
  for (const [key, value] of properties) custom.add(key, value);
  await context.sync();
}

/** The same record in the in-memory workbook of tests and demos. */
export function writeCustomPropertiesInMemory(store: Map<string, string>, properties: ReadonlyArray<readonly [string, string]>): void {
  for (const key of [...store.keys()]) if (isOurs(key)) store.delete(key);
  for (const [key, value] of properties) store.set(key, value);
}
