/**
 * The stale banner (issue 11, items 2 and 4): on open, the pane compares the run record of the
 * last Apply or `kam score` with the workbook's KAM Rules sheet, and when they differ says so and
 * lists what changed, so values written under other rules are not taken as current.
 */
import { readRunRecord, rulesDiff, rulesFingerprint, ruleValueText, type Lang, type RuleDifference, type RuleSet } from '../engine';
import type { RunRecord } from '../engine/run-record';
import type { WorkbookGateway } from '../gateway/types';
import { h, messageBar } from './dom';

export interface RulesStaleness {
  record: RunRecord;
  /** The fingerprint of the rules the pane has now. */
  current: string;
  /** What changed, field by field; null when the record holds no readable copy of its rules. */
  differences: RuleDifference[] | null;
}

/** The record's rules against `rules`: null when there is no record, or the rules are the same. */
export async function rulesStaleness(gateway: WorkbookGateway, rules: RuleSet): Promise<RulesStaleness | null> {
  if (!gateway.readCustomProperties) return null;
  let properties: Record<string, string>;
  try {
    properties = await gateway.readCustomProperties();
  } catch {
    return null; // a host without custom properties (before ExcelApi 1.7) keeps no record to compare
  }
  const record = readRunRecord(properties);
  if (!record) return null;
  const current = rulesFingerprint(rules);
  if (current === record.fingerprint) return null;
  let recorded: unknown;
  try {
    recorded = record.rules === undefined ? undefined : JSON.parse(record.rules);
  } catch {
    recorded = undefined;
  }
  return { record, current, differences: recorded === undefined ? null : rulesDiff(recorded, rules) };
}

const TEXTS: Record<Lang, { heading: (at: string) => string; unknown: string; apply: string }> = {
  en: {
    heading: (at) => `The KAM results in this workbook were written on ${at} under other rules than its KAM Rules sheet now holds: they may be stale.`,
    unknown: 'The record of that run holds no copy of its rules, so what changed cannot be listed.',
    apply: 'Apply again to bring them up to date ("kam check" names the rows that differ).',
  },
  zh: {
    heading: (at) => `本工作簿中的 KAM 结果写于 ${at},所用规则与当前 KAM Rules 表不同:结果可能已过时。`,
    unknown: '该次评分的记录中没有规则副本,无法列出更改内容。',
    apply: '请重新“应用”以更新结果(“kam check”可列出不一致的行)。',
  },
};

/** The banner: what changed (field: recorded → now), and what to do. */
export function staleBanner(state: RulesStaleness, lang: Lang): HTMLElement {
  const t = TEXTS[lang];
  const at = state.record.appliedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const changes = state.differences?.map((d) => h('li', {}, `${d.field[lang]}${lang === 'zh' ? ':' : ': '}${ruleValueText(d.a, lang)} → ${ruleValueText(d.b, lang)}`)) ?? [];
  return h(
    'div',
    { 'data-testid': 'stale-banner' },
    // Chinese sentences follow each other without a space.
    messageBar('warning', [t.heading(at), state.differences === null ? t.unknown : '', t.apply].filter((x) => x !== '').join(lang === 'zh' ? '' : ' ')),
    changes.length > 0 ? h('ul', { class: 'stale-changes' }, ...changes) : null,
  );
}

/** Shows the banner before `anchor` when the rules changed since the recorded run. */
export async function showStaleBanner(gateway: WorkbookGateway, rules: RuleSet, lang: Lang, anchor: HTMLElement): Promise<void> {
  const state = await rulesStaleness(gateway, rules);
  if (state) anchor.before(staleBanner(state, lang));
}
