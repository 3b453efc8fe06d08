/**
 * The engine as Node users get it: the package's own entry point, as built into dist/ by
 * `npm run build:node` (which `npm test` runs first), resolved the way `require('kam-excel')` is.
 */
import path from 'node:path';
import fs from 'node:fs';
import type * as Engine from '../src/engine';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, { default: string }> };

type Library = typeof Engine;

function loadPackage(): Library {
  const entry = path.join(root, pkg.exports['.']!.default);
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run npm run build:node first`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- load the built file, as a Node user would
  return require(entry) as Library;
}

describe(`the ${pkg.name} package`, () => {
  const kam = loadPackage();

  test('the README example: evaluate one account with the default rules', () => {
    const verdict = kam.evaluate({ sales: 400000, margin: 0.28, growth: 0.15, wallet: 1500000, paymentDays: 35, access: 5, openness: 4 });
    expect(verdict.outcome).toBe('strategic');
    expect(verdict.score).toBe(81.6);
    expect(kam.outcomeLabel(kam.defaultRules(), verdict.outcome, 'zh')).toBe('战略大客户');
  });

  test('the batch form, custom rules and the table codec are exported', () => {
    const rules = kam.defaultRules();
    rules.tiers.strategic.minScore = 85;
    const { verdicts, counts } = kam.evaluateBatch([{ sales: 400000, margin: 0.28, growth: 0.15, wallet: 1500000, paymentDays: 35, access: 5, openness: 4 }], rules);
    expect(verdicts[0]!.outcome).toBe('key');
    expect(counts.key).toBe(1);
    const back = kam.rulesFromTable(kam.rulesToTable(rules));
    expect(back.ok && back.rules).toEqual(rules);
  });

  test('type declarations ship beside the code', () => {
    expect(fs.existsSync(path.join(root, 'dist/src/engine/index.d.ts'))).toBe(true);
  });
});
