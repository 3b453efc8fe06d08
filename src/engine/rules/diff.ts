import { canonicalJson } from '../fingerprint';
import { isObject, listOf, usableRules } from '../guard';
import { LANGUAGES, type Lang, type Localized } from '../types';
import type { RuleSet } from './schema';

/**
 * What differs between two rule sets, field by field, named so that a person can read it in
 * either language ("Sales — weight: 30 → 40"). Criteria and knock-outs are paired by id, not by
 * position, so reordering them is no difference.
 */
export interface RuleDifference {
  /** A stable path, e.g. `criteria.sales.weight`, `tiers.key.minScore`, `knockouts.credit`. */
  path: string;
  /** The field as a person calls it. */
  field: Localized;
  /** The value in each rule set; undefined where that rule set has no such field (or rule). */
  a: unknown;
  b: unknown;
}

/** Names of the rule set's fields, by the last part of their path (a section's own name when it is a leaf). */
const FIELD_NAMES: Readonly<Record<string, Localized>> = {
  name: { en: 'rule set name', zh: '规则集名称' },
  label: { en: 'label', zh: '名称' },
  unit: { en: 'unit', zh: '单位' },
  better: { en: 'better when', zh: '越…越好' },
  'curve.type': { en: 'curve', zh: '曲线' },
  'curve.min': { en: 'curve start', zh: '曲线起点' },
  'curve.max': { en: 'curve end', zh: '曲线终点' },
  weight: { en: 'weight', zh: '权重' },
  headroomOver: { en: 'headroom over', zh: '空间基于' },
  validMin: { en: 'lowest valid input', zh: '最小有效输入' },
  validMax: { en: 'highest valid input', zh: '最大有效输入' },
  aliases: { en: 'column names', zh: '列名别称' },
  required: { en: 'required', zh: '必填' },
  effect: { en: 'effect', zh: '效果' },
  when: { en: 'conditions', zh: '条件' },
  reason: { en: 'reason', zh: '原因' },
  minScore: { en: 'minimum score', zh: '最低分' },
  'missingData.minWeightShare': { en: 'Missing data — minimum share of weight present', zh: '缺失数据 — 最低已有权重占比' },
  minSolidContacts: { en: 'minimum solid contacts', zh: '最少稳固联系人' },
  depthCap: { en: 'depth cap', zh: '深度上限' },
  depthPoints: { en: 'depth points', zh: '深度分' },
  decisionMakerPoints: { en: 'decision-maker points', zh: '决策者分' },
  coachPoints: { en: 'coach points', zh: '内线分' },
  balancePoints: { en: 'balance points', zh: '平衡分' },
  solidMinRating: { en: 'solid contact minimum rating', zh: '稳固联系人最低评分' },
  supporterRating: { en: 'supporter rating', zh: '支持者评分' },
  opponentRating: { en: 'opponent rating', zh: '反对者评分' },
  horizonMonths: { en: 'horizon buckets (months)', zh: '时间跨度分段(月)' },
  seniorVisitTiers: { en: 'tiers for senior visits', zh: '需高层拜访的等级' },
  landingTiers: { en: 'tiers that need something landing', zh: '需近期落地的等级' },
  landingWithinMonths: { en: 'landing within (months)', zh: '落地期限(月)' },
  longTermNeedTiers: { en: 'tiers flagged for short-term needs only', zh: '仅短期需求即提示的等级' },
  keyTiers: { en: 'key tiers', zh: '重点等级' },
  maxKeyAccounts: { en: 'maximum key accounts', zh: '重点客户上限' },
  maxKeyShare: { en: 'maximum key share', zh: '重点客户占比上限' },
  attractivenessSplit: { en: 'attractiveness split', zh: '吸引力分界' },
  strengthSplit: { en: 'strength split', zh: '实力分界' },
};

const SECTION_NAMES: Readonly<Record<string, Localized>> = {
  relationships: { en: 'Relationships', zh: '关系' },
  priorities: { en: 'Priorities', zh: '优先级' },
  hoursPerMonth: { en: 'Hours per month', zh: '每月工时' },
  portfolio: { en: 'Portfolio', zh: '组合' },
  criterion: { en: 'Criterion', zh: '评估标准' },
  knockout: { en: 'Knock-out', zh: '否决规则' },
};

const TIER_NAMES: Readonly<Record<string, Localized>> = {
  strategic: { en: 'Strategic tier', zh: '战略等级' },
  key: { en: 'Key tier', zh: '重点等级' },
  develop: { en: 'Develop tier', zh: '发展等级' },
  maintain: { en: 'Maintain tier', zh: '维持等级' },
  excluded: { en: 'Excluded tier', zh: '排除等级' },
  insufficient: { en: 'Insufficient-data tier', zh: '数据不足等级' },
};

const joined = (parts: ReadonlyArray<Localized | undefined>): Localized => {
  const present = parts.filter((p): p is Localized => p !== undefined);
  return Object.fromEntries(LANGUAGES.map((l) => [l, present.map((p) => p[l]).join(' — ')])) as Localized;
};
const named = (key: string): Localized => FIELD_NAMES[key] ?? { en: key, zh: key };
const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/** The leaves of a section (`curve.min`, `label`), compared one by one; arrays compare whole. */
function compareFields(
  out: RuleDifference[],
  path: string,
  owner: Localized | undefined,
  a: Record<string, unknown> | undefined,
  b: Record<string, unknown> | undefined,
  prefix = '',
): void {
  const keys = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort();
  for (const key of keys) {
    const va = a?.[key];
    const vb = b?.[key];
    if (same(va, vb)) continue;
    const leafKey = `${prefix}${key}`;
    // A label or reason is one field (both languages), a curve is its parts.
    const nested = isObject(va) || isObject(vb);
    if (nested && !Array.isArray(va) && !Array.isArray(vb) && key !== 'label' && key !== 'reason') {
      compareFields(out, `${path}.${key}`, owner, isObject(va) ? va : undefined, isObject(vb) ? vb : undefined, `${leafKey}.`);
      continue;
    }
    out.push({ path: `${path}.${key}`, field: joined([owner, named(leafKey)]), a: va, b: vb });
  }
}

/** Rules in a list paired by id: a rule only one side has is one difference (the whole rule). */
function compareById(
  out: RuleDifference[],
  section: 'criteria' | 'knockouts',
  a: readonly Record<string, unknown>[],
  b: readonly Record<string, unknown>[],
  labelOf: (rule: Record<string, unknown>) => Localized,
): void {
  const ids = [...new Set([...a.map((r) => String(r.id)), ...b.map((r) => String(r.id))])];
  for (const id of ids) {
    const ra = a.find((r) => String(r.id) === id);
    const rb = b.find((r) => String(r.id) === id);
    const owner = labelOf((rb ?? ra) as Record<string, unknown>);
    if (!ra || !rb) {
      out.push({ path: `${section}.${id}`, field: owner, a: ra, b: rb });
      continue;
    }
    compareFields(out, `${section}.${id}`, owner, ra, rb);
  }
}

/**
 * Every field that differs between rule set `a` and rule set `b`, in the rule set's order; an
 * empty list when they are the same, and when either is no valid rule set (nothing to compare).
 */
export function rulesDiff(a: unknown, b: unknown): RuleDifference[] {
  const ra = usableRules(a);
  const rb = usableRules(b);
  if (!ra || !rb) return [];
  const out: RuleDifference[] = [];
  if (ra.name !== rb.name) out.push({ path: 'name', field: named('name'), a: ra.name, b: rb.name });
  const criterionName = (c: Record<string, unknown>): Localized => {
    const label = c.label as Localized | undefined;
    return label ?? joined([SECTION_NAMES.criterion, { en: String(c.id), zh: String(c.id) }]);
  };
  compareById(out, 'criteria', listOf(ra.criteria), listOf(rb.criteria), criterionName);
  if (ra.missingData.minWeightShare !== rb.missingData.minWeightShare) {
    out.push({ path: 'missingData.minWeightShare', field: named('missingData.minWeightShare'), a: ra.missingData.minWeightShare, b: rb.missingData.minWeightShare });
  }
  const knockoutName = (k: Record<string, unknown>): Localized => joined([SECTION_NAMES.knockout, (k.reason as Localized | undefined) ?? { en: String(k.id), zh: String(k.id) }]);
  compareById(out, 'knockouts', listOf(ra.knockouts), listOf(rb.knockouts), knockoutName);
  for (const tier of Object.keys(TIER_NAMES)) {
    const ta = (ra.tiers as Record<string, Record<string, unknown>>)[tier];
    const tb = (rb.tiers as Record<string, Record<string, unknown>>)[tier];
    compareFields(out, `tiers.${tier}`, TIER_NAMES[tier], ta, tb);
  }
  compareFields(out, 'relationships', SECTION_NAMES.relationships, ra.relationships, rb.relationships);
  const { hoursPerMonth: ha, ...pa } = ra.priorities;
  const { hoursPerMonth: hb, ...pb } = rb.priorities;
  compareFields(out, 'priorities.hoursPerMonth', SECTION_NAMES.hoursPerMonth, ha, hb);
  compareFields(out, 'priorities', SECTION_NAMES.priorities, pa, pb);
  compareFields(out, 'portfolio', SECTION_NAMES.portfolio, ra.portfolio, rb.portfolio);
  return out;
}

/** A rule's value as short text for a person: lists joined, labels in the reader's language, absent as "—". */
export function ruleValueText(value: unknown, lang: unknown): string {
  const l: Lang = (LANGUAGES as readonly unknown[]).includes(lang) ? (lang as Lang) : 'en';
  if (value === undefined || value === null) return '—';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string' || typeof v === 'number') ? `[${value.join(', ')}]` : canonicalJson(value);
  if (isObject(value) && typeof value[l] === 'string' && Object.keys(value).every((k) => (LANGUAGES as readonly string[]).includes(k))) return value[l];
  try {
    return canonicalJson(value);
  } catch {
    return '?';
  }
}

export type { RuleSet };
