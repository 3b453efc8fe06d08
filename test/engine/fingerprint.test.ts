import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalRules, defaultRules, readRunRecord, rulesDiff, rulesFingerprint, ruleValueText, runRecordProperties, sha256Hex, type RuleSet } from '../../src/engine';

/** The same object with its keys in reverse order at every level. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .reverse()
        .map((k) => [k, reversedKeys((value as Record<string, unknown>)[k])]),
    );
  return value;
}
const shuffledKeys = (value: unknown, seed: number): unknown => {
  if (Array.isArray(value)) return value.map((v) => shuffledKeys(v, seed));
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7) || (seed % 2 ? a.localeCompare(b) : b.localeCompare(a)));
    return Object.fromEntries(keys.map((k) => [k, shuffledKeys((value as Record<string, unknown>)[k], seed)]));
  }
  return value;
};
const clone = (r: RuleSet): RuleSet => JSON.parse(JSON.stringify(r)) as RuleSet;

describe('sha256Hex', () => {
  test('equals Node crypto on any text, including CJK, emoji and block boundaries', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) expect(sha256Hex('a'.repeat(n))).toBe(createHash('sha256').update('a'.repeat(n)).digest('hex'));
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => sha256Hex(s) === createHash('sha256').update(s, 'utf8').digest('hex')));
  });
});

describe('rulesFingerprint', () => {
  const rules = defaultRules();
  const base = rulesFingerprint(rules);

  test('is 16 hex digits, the same every time it is computed', () => {
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(rulesFingerprint(defaultRules())).toBe(base);
  });

  test('does not depend on key order', () => {
    expect(rulesFingerprint(reversedKeys(clone(rules)))).toBe(base);
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => rulesFingerprint(shuffledKeys(clone(rules), seed)) === base));
  });

  test('fields the schema fills in count as given (aliases: [] or absent)', () => {
    const r = clone(rules) as unknown as { criteria: Array<Record<string, unknown>> };
    for (const c of r.criteria) if (Array.isArray(c.aliases) && c.aliases.length === 0) delete c.aliases;
    expect(rulesFingerprint(r)).toBe(base);
  });

  test('any change of a scoring field changes it', () => {
    const edits: Array<(r: RuleSet) => void> = rules.criteria.flatMap((_, i) => [
      (r: RuleSet) => ((r.criteria[i] as RuleSet['criteria'][number]).weight += 1),
      (r: RuleSet) => ((r.criteria[i] as RuleSet['criteria'][number]).curve.max += 1),
      (r: RuleSet) => ((r.criteria[i] as RuleSet['criteria'][number]).curve.min -= 1),
      (r: RuleSet) => ((r.criteria[i] as RuleSet['criteria'][number]).better = r.criteria[i]?.better === 'higher' ? 'lower' : 'higher'),
      (r: RuleSet) => ((r.criteria[i] as RuleSet['criteria'][number]).required = !r.criteria[i]?.required),
    ]);
    edits.push((r) => (r.tiers.key.minScore -= 0.5));
    edits.push((r) => (r.tiers.strategic.minScore += 0.5));
    edits.push((r) => (r.missingData.minWeightShare = r.missingData.minWeightShare / 2));
    edits.push((r) => r.knockouts.pop());
    edits.push((r) => (r.tiers.key.label.zh = `${r.tiers.key.label.zh}!`));
    const seen = new Set([base]);
    for (const edit of edits) {
      const r = clone(rules);
      edit(r);
      const f = rulesFingerprint(r);
      expect(f).not.toBe(base);
      seen.add(f);
    }
    expect(seen.size).toBe(edits.length + 1);
    fc.assert(
      fc.property(fc.nat({ max: rules.criteria.length - 1 }), fc.double({ min: 0.001, max: 1000, noNaN: true }), (i, w) => {
        const r = clone(rules);
        const c = r.criteria[i] as RuleSet['criteria'][number];
        fc.pre(c.weight !== w);
        c.weight = w;
        return rulesFingerprint(r) !== base;
      }),
    );
  });

  test('no valid rule set: no fingerprint, never a throw', () => {
    expect(rulesFingerprint(null)).toBe('');
    expect(rulesFingerprint({ ...rules, criteria: [] })).toBe('');
    expect(canonicalRules('rules')).toBe('');
  });

  test('the canonical text does not depend on the locale number format', () => {
    const text = canonicalRules(rules);
    expect(text).not.toMatch(/\d,\d{3}\b/);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(rules)));
  });
});

describe('rulesDiff', () => {
  const rules = defaultRules();
  test('the same rules, in any key or criterion order: no difference', () => {
    const r = clone(rules);
    r.criteria.reverse();
    expect(rulesDiff(rules, reversedKeys(r))).toEqual([]);
  });

  test('names each changed field with its values, in English and Chinese', () => {
    const r = clone(rules);
    const first = r.criteria[0] as RuleSet['criteria'][number];
    first.weight += 10;
    first.curve.max *= 2;
    r.tiers.key.minScore -= 5;
    const diff = rulesDiff(rules, r);
    expect(diff.map((d) => d.path)).toEqual([`criteria.${first.id}.curve.max`, `criteria.${first.id}.weight`, 'tiers.key.minScore']);
    const weight = diff[1];
    expect(weight?.field.en).toBe(`${first.label.en} — weight`);
    expect(weight?.field.zh).toBe(`${first.label.zh} — 权重`);
    expect([weight?.a, weight?.b]).toEqual([first.weight - 10, first.weight]);
    expect(diff[2]?.field.en).toBe('Key tier — minimum score');
    expect(diff[2]?.field.zh).toBe('重点等级 — 最低分');
  });

  test('a criterion only one side has is one difference', () => {
    const r = clone(rules);
    r.knockouts = r.knockouts.filter((k) => !k.when.some((w) => w.criterion === r.criteria[r.criteria.length - 1]?.id));
    const removed = r.criteria.pop() as RuleSet['criteria'][number];
    const diff = rulesDiff(rules, r).filter((d) => d.path.startsWith('criteria.'));
    expect(diff).toHaveLength(1);
    expect(diff[0]).toMatchObject({ path: `criteria.${removed.id}`, b: undefined });
    expect(ruleValueText(diff[0]?.b, 'en')).toBe('—');
  });

  test('value texts', () => {
    expect(ruleValueText({ en: 'Key', zh: '重点' }, 'zh')).toBe('重点');
    expect(ruleValueText([3, 6, 12], 'en')).toBe('[3, 6, 12]');
    expect(ruleValueText(0.25, 'en')).toBe('0.25');
  });
});

describe('run record', () => {
  const rules = defaultRules();
  test('round-trips through properties, each value within 255 characters', () => {
    const props = runRecordProperties(rules, new Date(Date.UTC(2026, 11, 1, 5, 30)), '0.1.0', 'zh');
    for (const [, v] of props) expect(v.length).toBeLessThanOrEqual(255);
    const record = readRunRecord(Object.fromEntries(props));
    expect(record).toMatchObject({ fingerprint: rulesFingerprint(rules), appliedAt: '2026-12-01T05:30:00.000Z', version: '0.1.0', lang: 'zh' });
    expect(rulesFingerprint(JSON.parse(record?.rules ?? 'null'))).toBe(rulesFingerprint(rules));
  });

  test('lost parts leave the rules out, and no record without a fingerprint', () => {
    const props = Object.fromEntries(runRecordProperties(rules, '2026-12-01T00:00:00Z', '1', 'en'));
    delete props['KAM.Rules.02'];
    const record = readRunRecord(props);
    expect(record?.fingerprint).toBe(rulesFingerprint(rules));
    expect(record?.rules).toBeUndefined();
    expect(readRunRecord({})).toBeUndefined();
  });
});
