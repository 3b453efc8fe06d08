/** The Apply tab: how to write, the write itself, and the tier filter over what was written. */
import { criterionLabel, LABEL_PACKS } from '../../engine';
import { OUTCOME_IDS, type OutcomeId } from '../../engine/types';
import { button, checkbox, h, messageBar, radioGroup, replace } from '../dom';
import { listOf } from '../i18n';
import type { ApplyOptions, ApplyReport } from '../session';
import { PaneTab } from './pane';

export class ApplyTab extends PaneTab {
  private applyOptions: ApplyOptions = { mode: 'values', colours: true, filter: 'autoFilter' };
  private lastApply: ApplyReport | null = null;

  /** New data: the last report no longer describes it. */
  forget(): void {
    this.lastApply = null;
  }

  render(): void {
    const t = this.pane.t;
    const s = this.pane.session;
    const panel = this.panel;
    const blocker = s.formulaBlocker();
    if (blocker && this.applyOptions.mode === 'formulas') this.applyOptions.mode = 'values';
    const rulesInvalid = this.pane.rulesInvalid();
    const noData = !s.result;
    const disabled = rulesInvalid || noData;
    const applyButton = button(t.applyButton, () => void this.apply(), {
      appearance: 'primary',
      'data-action': 'apply',
      'data-testid': 'apply',
      disabled: disabled || this.pane.busy,
      'data-disabled': disabled,
    });
    const report = this.lastApply;
    const lang = this.pane.lang;
    const names = (keys: readonly string[]): string =>
      keys.length === 0
        ? '—'
        : listOf(
            keys.map((k) => LABEL_PACKS[lang].column[k as keyof typeof LABEL_PACKS.en.column]),
            lang,
          );
    // The filter offers what the sheet holds, as of the last Apply, not the rules being edited.
    const applied = s.applied;
    const tierKey = s.region?.kamColumns.tier;
    const filterButtons =
      report && applied && tierKey !== undefined
        ? h(
            'div',
            { class: 'filters', role: 'group', 'aria-label': t.showTier, 'data-testid': 'tier-filters' },
            h('div', { class: 'label' }, t.showTier),
            button(t.showAll, () => void this.filter(null), { 'data-action': 'filter', 'data-testid': 'filter-all' }),
            ...OUTCOME_IDS.filter((o) => applied.counts[o] > 0).map((o) =>
              button(`${applied.labels[o]} (${applied.counts[o]})`, () => void this.filter([o]), { 'data-action': 'filter', 'data-testid': `filter-${o}` }),
            ),
          )
        : null;
    replace(
      panel,
      h('h2', {}, t.applyHeading),
      radioGroup({
        label: t.modeLabel,
        name: 'mode',
        value: this.applyOptions.mode,
        choices: [
          { value: 'values', text: t.modeValues },
          { value: 'formulas', text: t.modeFormulas, disabled: blocker !== null },
          { value: 'portable', text: t.modePortable, disabled: s.portableColumnFormulas() === null },
        ],
        onChange: (v) => {
          this.applyOptions.mode = v === 'formulas' ? 'formulas' : v === 'portable' ? 'portable' : 'values';
        },
      }),
      blocker ? h('p', { class: 'help' }, t.formulasBlocked({ criteria: listOf(blocker.criteria, lang) })) : h('p', { class: 'help' }, t.formulasNote),
      portableNote(s.portableTextCells(), t, lang),
      checkbox({ label: t.colours, name: 'colours', checked: this.applyOptions.colours, onChange: (c) => (this.applyOptions.colours = c) }),
      radioGroup({
        label: t.filterLabel,
        name: 'filter',
        value: this.applyOptions.filter,
        choices: [
          { value: 'autoFilter', text: t.filterAuto },
          { value: 'table', text: t.filterTable },
          { value: 'none', text: t.filterNone },
        ],
        onChange: (v) => {
          this.applyOptions.filter = v === 'table' ? 'table' : v === 'none' ? 'none' : 'autoFilter';
        },
      }),
      noData ? h('p', { class: 'help' }, t.applyNeedsData) : rulesInvalid ? h('p', { class: 'field-error' }, t.applyBlockedByRules) : null,
      // The readiness choice is made on the Data tab; here it is said before the user applies.
      !noData && !report && !s.reduction && s.readiness()?.allInsufficient ? messageBar('warning', t.applyAllInsufficient, { 'data-testid': 'apply-readiness' }) : null,
      s.reduction && !report
        ? h(
            'p',
            { class: 'info', 'data-testid': 'apply-readiness' },
            t.scoredOnPresent({
              absent: listOf(
                s.reduction.absent.map((id) => s.fullLabel(id)),
                lang,
              ),
              share: `${Math.round(s.reduction.absentShare * 1000) / 10}%`,
              kept: listOf(
                s.rules.criteria.map((c) => `${c.label[lang]} ${c.weight}`),
                lang,
              ),
            }),
          )
        : null,
      h('div', { class: 'row' }, applyButton),
      report
        ? h(
            'div',
            { 'data-testid': 'apply-report' },
            messageBar(
              'success',
              [
                t.applyDone({ sheet: report.write.sheet, added: names(report.write.added), updated: names(report.write.updated) }),
                report.write.keptUserColumns.length > 0
                  ? t.keptUserColumns({
                      columns: listOf(
                        report.write.keptUserColumns.map((c) => (lang === 'zh' ? `“${c}”` : `"${c}"`)),
                        lang,
                      ),
                      count: report.write.keptUserColumns.length,
                    })
                  : '',
              ]
                .filter((x) => x !== '')
                .join(' '),
            ),
            h('p', { class: 'info', 'data-testid': 'rules-written' }, t.rulesWritten({ address: report.rules.address })),
            report.reduction
              ? h(
                  'p',
                  { class: 'info', 'data-testid': 'apply-scored-on' },
                  t.appliedOnPresent({
                    absent: listOf(
                      report.reduction.absent.map((id) => criterionLabel(report.reduction?.full ?? s.rules, id, lang)),
                      lang,
                    ),
                    share: `${Math.round(report.reduction.absentShare * 1000) / 10}%`,
                    kept: listOf(
                      s.rules.criteria.map((c) => `${c.label[lang]} ${c.weight}`),
                      lang,
                    ),
                  }),
                )
              : null,
          )
        : null,
      filterButtons,
    );
  }

  private async apply(): Promise<void> {
    this.pane.clearStatus();
    const options = { ...this.applyOptions };
    let report: ApplyReport | null = null;
    const ok = await this.pane.run(async (work) => {
      report = await this.pane.session.apply(options, work);
    });
    if (ok && report) this.lastApply = report;
    this.pane.renderAll();
    const done = this.panel.querySelector('[data-testid="apply-report"] fluent-message-bar')?.textContent;
    if (ok && done) this.pane.announce(done);
  }

  private async filter(outcomes: OutcomeId[] | null): Promise<void> {
    const { t, session: s } = this.pane;
    this.pane.clearStatus();
    const ok = await this.pane.run(() => s.filterTiers(outcomes));
    const applied = s.applied;
    if (ok) this.pane.announce(outcomes === null || !applied ? t.filterCleared : t.filteredTo({ tiers: outcomes.map((o) => applied.labels[o]).join(', ') }));
  }
}

/** The input cells a portable formula would read as text, named before the user chooses (at most ten shown). */
function portableNote(cells: ReadonlyArray<{ cell: string; field: string; text: string }>, t: ApplyTab['pane']['t'], lang: 'en' | 'zh'): HTMLElement | null {
  if (cells.length === 0) return null;
  const shown = cells.slice(0, 10).map((c) => `${c.cell} (${c.field}) "${c.text}"`);
  if (cells.length > shown.length) shown.push('…');
  return h('p', { class: 'help', 'data-testid': 'portable-texts' }, t.portableTexts({ count: cells.length, cells: listOf(shown, lang) }));
}
