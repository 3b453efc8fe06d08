/** The Preview tab: accounts per tier, the score distribution, knock-outs and invalid rows. */
import { OUTCOME_IDS } from '../../engine/types';
import { bandsText, histogramSvg, tierBarsSvg } from '../charts';
import { h, messageBar, replace, table } from '../dom';
import { listOf } from '../i18n';
import { LIST_LIMIT, PaneTab } from './pane';
import { chartBox } from './shared';

export class PreviewTab extends PaneTab {
  render(): void {
    const { t, session: s, lang } = this.pane;
    const preview = s.preview();
    if (!preview) {
      replace(this.panel, h('h2', {}, t.previewHeading), h('p', {}, t.previewEmpty));
      return;
    }
    const bars = OUTCOME_IDS.filter((o) => o !== 'invalid' || preview.counts.invalid > 0).map((o) => ({ outcome: o, label: this.pane.label(o), count: preview.counts[o] }));
    const countsText = listOf(
      bars.map((b) => `${b.label} ${b.count}`),
      lang,
    );
    const rules = s.rules;
    const scored = preview.rowCount - preview.unscored;
    const listRows = (items: typeof preview.knockedOut): Array<Array<string | number>> =>
      items.slice(0, LIST_LIMIT).map((k) => [k.account, k.sheetRow, this.pane.label(k.outcome), k.reasons.join(lang === 'zh' ? ';' : '; ')]);
    replace(
      this.panel,
      h('h2', {}, t.previewHeading),
      ...[...s.ruleWarnings, ...preview.warnings].map((w) => messageBar('warning', s.text(w), { 'data-testid': 'preview-warning', 'data-key': w.key })),
      h('h3', {}, t.tierCounts),
      chartBox(tierBarsSvg(bars, t.tierChartAria({ counts: countsText }))),
      h('h3', {}, t.distribution),
      chartBox(
        histogramSvg(
          preview.histogram,
          { strategic: rules.tiers.strategic.minScore, key: rules.tiers.key.minScore, develop: rules.tiers.develop.minScore },
          `${t.distributionAria({ total: scored })}. ${t.bandsAria({ bands: bandsText(preview.histogram) })}`,
        ),
      ),
      preview.unscored > 0 ? h('p', { class: 'info' }, t.unscored({ count: preview.unscored })) : null,
      h('h3', {}, t.knockedOutHeading),
      preview.knockedOut.length === 0
        ? h('p', { 'data-testid': 'knockouts-none' }, t.knockedOutNone)
        : table([t.colAccount, t.colRow, t.colTier, t.colReason], listRows(preview.knockedOut), { 'data-testid': 'knockouts' }),
      preview.knockedOut.length > LIST_LIMIT ? h('p', {}, t.moreRows({ count: preview.knockedOut.length - LIST_LIMIT })) : null,
      preview.invalid.length > 0 ? h('h3', {}, t.invalidHeading) : null,
      preview.invalid.length > 0 ? table([t.colAccount, t.colRow, t.colTier, t.colReason], listRows(preview.invalid), { 'data-testid': 'invalid-rows' }) : null,
      preview.invalid.length > LIST_LIMIT ? h('p', {}, t.moreRows({ count: preview.invalid.length - LIST_LIMIT })) : null,
    );
  }
}
