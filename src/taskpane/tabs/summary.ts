/** The Summary tab: the portfolio matrix, hours against capacity, senior visits, the summary sheet. */
import { coerceInput, LABEL_PACKS, PLANNING_INPUTS, type QuadrantId } from '../../engine';
import { TIER_IDS, type OutcomeId } from '../../engine/types';
import { hoursSvg, portfolioSvg, quadrantCounts } from '../charts';
import { button, h, messageBar, replace, setFieldError, table, textField } from '../dom';
import { listOf, summaryStrings } from '../i18n';
import { LIST_LIMIT, PaneTab } from './pane';
import { chartBox } from './shared';

export class SummaryTab extends PaneTab {
  private capacityHours: number | null = null;
  private capacityText = '';
  private lastSummary: string | null = null;

  render(): void {
    const t = this.pane.t;
    const s = this.pane.session;
    const lang = this.pane.lang;
    const panel = this.panel;
    if (!s.result) {
      replace(panel, h('h2', {}, t.summaryHeading), h('p', {}, t.previewEmpty));
      return;
    }
    const points = s.portfolio();
    const visits = s.seniorVisits();
    const hasContacts = s.relations?.contactsSource !== null && s.relations?.contactsSource !== undefined;
    replace(
      panel,
      h('h2', {}, t.summaryHeading),
      h('h3', {}, t.hoursHeading),
      textField({
        label: t.capacityLabel,
        name: 'capacity',
        value: this.capacityText,
        inputMode: 'decimal',
        onInput: (text) => {
          this.capacityText = text;
          const read = coerceInput(text, PLANNING_INPUTS.capacity);
          this.capacityHours = read.kind === 'value' ? read.value : null;
          const wrap = panel.querySelector('[data-field-wrap="capacity"]');
          const error = read.kind === 'problem' ? s.textAtField(read.problem) : '';
          if (wrap) setFieldError(wrap, error);
          this.renderSummaryFigures();
          this.pane.announce(error !== '' ? error : (panel.querySelector('[data-testid="capacity-line"]')?.textContent ?? ''), { settle: true });
        },
      }),
      h('p', { class: 'help' }, t.capacityHelp),
      h('div', { 'data-testid': 'summary-figures' }),
      h('h3', {}, t.portfolioHeading),
      points.length > 0
        ? chartBox(
            portfolioSvg(
              points,
              { attractiveness: s.rules.portfolio.attractivenessSplit, strength: s.rules.portfolio.strengthSplit },
              { quadrant: LABEL_PACKS[lang].quadrant, x: t.axisStrength, y: t.axisScore, count: (label, count) => t.quadrantCount({ label, count }) },
              `${t.portfolioAria({ count: points.length })}. ${listOf(
                Object.entries(quadrantCounts(points)).map(([q, count]) => t.quadrantCount({ label: LABEL_PACKS[lang].quadrant[q as QuadrantId], count })),
                lang,
              )}`,
            ),
          )
        : h('p', { class: 'help', 'data-testid': 'portfolio-needs-strength' }, t.portfolioNeedsStrength),
      h('h3', {}, t.visitsHeading),
      !hasContacts
        ? h('p', { class: 'help' }, t.visitsNeedContacts)
        : visits.length === 0
          ? h('p', {}, t.visitsNone)
          : table(
              [t.colAccount, t.colTier, this.pane.t.sheet.visitsHeader[2]],
              visits.slice(0, LIST_LIMIT).map((v) => [v.account, this.pane.label(v.outcome), v.decisionMaker]),
              { 'data-testid': 'visits' },
            ),
      h(
        'div',
        { class: 'row' },
        button(t.writeSummary, () => void this.writeSummary(), { appearance: 'primary', 'data-action': 'summary', 'data-testid': 'write-summary' }),
      ),
      this.lastSummary ? messageBar('success', this.lastSummary, { 'data-testid': 'summary-report' }) : null,
    );
    this.renderSummaryFigures();
  }

  private renderSummaryFigures(): void {
    const box = this.panel.querySelector('[data-testid="summary-figures"]');
    const s = this.pane.session;
    const t = this.pane.t;
    const plan = s.capacityPlan(this.capacityHours);
    if (!box || !plan) return;
    const byTier = TIER_IDS.map((o) => ({ outcome: o as OutcomeId, label: this.pane.label(o), hours: plan.byTier[o].hours }));
    const line =
      this.capacityHours === null ? t.demandOnly({ demand: plan.demand }) : plan.finding ? s.text(plan.finding) : t.fits({ demand: plan.demand, capacity: this.capacityHours });
    const hoursText = (label: string, hours: number): string => t.hoursValue({ label, hours });
    const values = listOf(
      byTier.filter((x) => x.hours > 0).map((x) => hoursText(x.label, x.hours)),
      this.pane.lang,
    );
    const aria = `${t.hoursAria({ demand: plan.demand, capacity: this.capacityHours === null ? '—' : String(this.capacityHours) })}. ${values}`;
    const div = chartBox(hoursSvg(byTier, this.capacityHours, aria, hoursText));
    replace(
      box,
      div,
      h('p', { class: plan.over > 0 ? 'warning-text' : 'info', 'data-testid': 'capacity-line' }, line),
      plan.over > 0 ? h('p', { class: 'info' }, t.cuts({ count: plan.cuts.length })) : null,
    );
  }

  private async writeSummary(): Promise<void> {
    this.pane.clearStatus();
    let text: string | null = null;
    await this.pane.run(async (work) => {
      const report = await this.pane.session.gateway.writeSummary(this.pane.session.summarySheet(this.capacityHours, summaryStrings(this.pane.t)), work);
      text = this.pane.t.summaryDone({ sheet: report.sheet, charts: report.charts });
    });
    if (text) this.lastSummary = text;
    this.pane.render('summary');
    if (text) this.pane.announce(text);
  }
}
