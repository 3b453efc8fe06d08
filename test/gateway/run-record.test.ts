/**
 * The run record in a live workbook: the pane's Apply writes the same custom properties that
 * `kam score` writes into a file (issue 11, item 2), through the gateway.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultRules, readRunRecord, rulesFingerprint, runRecordProperties } from '../../src/engine';
import { MemoryGateway, MemoryWorkbook } from '../../src/gateway/memory';
import { PRODUCT_VERSION, readCustomPropertiesIn, writeCustomPropertiesIn } from '../../src/gateway/runRecord';
import { KamSession } from '../../src/taskpane/session';

test('the version the pane records is the package version', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  expect(PRODUCT_VERSION).toBe(pkg.version);
});

test('Apply records the rules fingerprint, time, version and language; a user property stays', async () => {
  const book = MemoryWorkbook.fromRows('Accounts', [
    ['account', 'sales', 'margin'],
    ['A', 500000, 0.2],
    ['B', 900000, 0.1],
  ]);
  book.selection = { sheet: 'Accounts', row: 1, col: 0 };
  book.customProperties.set('Owner', 'East');
  book.customProperties.set('KAM.Rules.99', 'left from an old record');
  const session = new KamSession(new MemoryGateway(book), 'zh');
  await session.open();
  const before = Date.now();
  await session.apply({ mode: 'values', colours: false, filter: 'none' });
  const record = readRunRecord(Object.fromEntries(book.customProperties));
  expect(record?.fingerprint).toBe(rulesFingerprint(session.rules));
  expect(record?.lang).toBe('zh');
  expect(record?.version).toBe(PRODUCT_VERSION);
  expect(Date.parse(record?.appliedAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
  expect(book.customProperties.get('Owner')).toBe('East');
  expect(book.customProperties.has('KAM.Rules.99')).toBe(false);
});

/** Office.js's custom property collection, as far as the gateway uses it: loads and writes take effect at sync. */
function fakeContext(initial: Record<string, string>) {
  const store = new Map(Object.entries(initial));
  let syncs = 0;
  let queued: Array<() => void> = [];
  const items = (): Array<{ key: string; value: string; delete: () => void }> =>
    [...store].map(([key, value]) => ({ key, value, delete: () => queued.push(() => store.delete(key)) }));
  let loaded: ReturnType<typeof items> = [];
  const custom = {
    load: () => queued.push(() => (loaded = items())),
    get items() {
      return loaded;
    },
    add: (key: string, value: string) => queued.push(() => store.set(key, value)),
  };
  const context = {
    workbook: { properties: { custom } },
    sync: async () => {
      syncs++;
      const run = queued;
      queued = [];
      for (const f of run) f();
    },
  };
  return { context: context as unknown as Excel.RequestContext, store, syncs: () => syncs };
}

test("Office: one sync to read, two to write; our old parts removed, the user's kept", async () => {
  const fake = fakeContext({ Owner: 'West', 'KAM.Rules.40': 'stale part' });
  const props = runRecordProperties(defaultRules(), '2026-12-01T06:00:00.000Z', PRODUCT_VERSION, 'en');
  await writeCustomPropertiesIn(fake.context, props);
  expect(fake.syncs()).toBe(2);
  expect(fake.store.get('Owner')).toBe('West');
  expect(fake.store.has('KAM.Rules.40')).toBe(false);
  const read = await readCustomPropertiesIn(fake.context);
  expect(fake.syncs()).toBe(3);
  expect(readRunRecord(read)).toMatchObject({ fingerprint: rulesFingerprint(defaultRules()), appliedAt: '2026-12-01T06:00:00.000Z', lang: 'en' });
});

describe('the pane on open: rules changed since the recorded run', () => {
  test('no record, or the same rules: nothing to say; a weight changed: the change is listed', async () => {
    const { rulesStaleness } = await import('../../src/taskpane/stale');
    const book = MemoryWorkbook.fromRows('Accounts', [['account', 'sales']]);
    const gateway = new MemoryGateway(book);
    const rules = defaultRules();
    expect(await rulesStaleness(gateway, rules)).toBeNull();
    await gateway.writeRunRecord(runRecordProperties(rules, new Date(), PRODUCT_VERSION, 'en'));
    expect(await rulesStaleness(gateway, defaultRules())).toBeNull();
    const edited = defaultRules();
    (edited.criteria[0] as (typeof edited.criteria)[number]).weight += 5;
    const state = await rulesStaleness(gateway, edited);
    expect(state?.current).toBe(rulesFingerprint(edited));
    expect(state?.differences?.map((d) => [d.field.zh, d.a, d.b])).toEqual([
      [`${rules.criteria[0]?.label.zh ?? ''} — 权重`, rules.criteria[0]?.weight, (rules.criteria[0]?.weight ?? 0) + 5],
    ]);
  });
});
