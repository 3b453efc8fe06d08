/** The Rules tab: the draft rule set as a form, each problem under its field, and calibration. */
import { coerceInput } from '../../engine';
import { SCORE_TIER_IDS, TIER_IDS } from '../../engine/types';
import { button, dropdown, h, messageBar, replace, setFieldError, textField } from '../dom';
import type { PaneCalibration } from '../session';
import { PaneTab } from './pane';

/** `criteria[2].curve.max` (how the engine names a field) → `criteria.2.curve.max` (the key the inputs carry). */
function pathKey(path: string): string {
  return path.replace(/\[(\d+)\]/g, '.$1');
}

/** Writes a value into the draft rule set at a dotted path (`criteria.2.weight`). */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let obj: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) obj = obj[part] as Record<string, unknown>;
  obj[parts[parts.length - 1] as string] = value;
}

function getPath(target: unknown, path: string): unknown {
  let v: unknown = target;
  for (const part of path.split('.')) v = v === null || typeof v !== 'object' ? undefined : (v as Record<string, unknown>)[part];
  return v;
}

export class RulesTab extends PaneTab {
  private calibration: PaneCalibration | null = null;
  /** Fields whose text is not a number: the draft keeps its last number meanwhile. */
  private localErrors = new Map<string, string>();

  /** Some field holds text that is not taken. */
  get hasLocalErrors(): boolean {
    return this.localErrors.size > 0;
  }

  private numberField(label: string, path: string): HTMLElement {
    const value = getPath(this.pane.session.draft, path);
    return textField({ label, name: path, value: value === undefined ? '' : String(value), inputMode: 'decimal', onInput: (text) => this.editNumber(path, text) });
  }

  private textRuleField(label: string, path: string): HTMLElement {
    const value = getPath(this.pane.session.draft, path);
    return textField({ label, name: path, value: value === undefined ? '' : String(value), onInput: (text) => this.editRule(path, text) });
  }

  private editNumber(path: string, text: string): void {
    const read = coerceInput(text, { id: path, unit: 'number' });
    if (read.kind === 'value') {
      this.localErrors.delete(path);
      this.editRule(path, read.value);
    } else {
      // The draft keeps its last number, so the other settings are still checked against each
      // other; this field shows why its text is not taken, and Apply waits until it is fixed.
      this.localErrors.set(path, read.kind === 'blank' ? this.pane.t.notANumber({ text }) : this.pane.session.textAtField(read.problem));
      this.showRuleIssues();
      this.pane.render('apply');
      this.announceField(path);
    }
  }

  private editRule(path: string, value: unknown): void {
    this.pane.session.updateDraft((draft) => setPath(draft, path, value));
    this.showRuleIssues();
    if (this.pane.session.draftIssues.length === 0) this.pane.refreshAfterScoring();
    else this.pane.render('apply');
    this.announceField(path);
  }

  /**
   * Once the typing pauses, says what the edit did: the field's error, or the tiers it gives.
   * The field's error is also its description, but a screen reader does not re-read that.
   */
  private announceField(path: string): void {
    const error = this.panel.querySelector(`[data-error-for="${CSS.escape(path)}"]`)?.textContent ?? '';
    this.pane.announce(error !== '' ? error : this.pane.tierCountsText(), { settle: true });
  }

  /** Puts each problem under its field; problems without a field go in the list at the top. */
  private showRuleIssues(): void {
    const panel = this.panel;
    const byField = new Map<string, string[]>();
    const general: string[] = [];
    const fields = new Set([...panel.querySelectorAll('[data-error-for]')].map((el) => el.getAttribute('data-error-for') ?? ''));
    for (const [path, text] of this.localErrors) byField.set(path, [text]);
    for (const issue of this.pane.session.draftIssues) {
      const key = pathKey(issue.path);
      if (this.localErrors.has(key)) continue;
      const text = issue.message;
      if (fields.has(key)) byField.set(key, [...(byField.get(key) ?? []), text]);
      else general.push(`${issue.path}: ${text}`);
    }
    for (const wrap of panel.querySelectorAll('[data-field-wrap]')) {
      const key = wrap.getAttribute('data-field-wrap') ?? '';
      if (wrap.querySelector('[data-error-for]')) setFieldError(wrap, byField.get(key)?.join(' ') ?? '');
    }
    const box = panel.querySelector('[data-testid="rule-issues"]');
    if (box) {
      const invalid = this.pane.session.draftIssues.length > 0 || this.localErrors.size > 0;
      replace(box, invalid ? messageBar('error', this.pane.t.rulesInvalid) : null, ...general.map((g) => h('div', { class: 'field-error' }, g)));
    }
    const sum = panel.querySelector('[data-testid="weights-sum"]');
    if (sum) sum.textContent = this.pane.t.weightsSum({ sum: this.weightSum() });
  }

  private weightSum(): number {
    const criteria = (this.pane.session.draft.criteria as Array<{ weight: unknown }> | undefined) ?? [];
    return Math.round(criteria.reduce((s, c) => s + (typeof c.weight === 'number' ? c.weight : 0), 0) * 1000) / 1000;
  }

  render(): void {
    const t = this.pane.t;
    const s = this.pane.session;
    const lang = this.pane.lang;
    const panel = this.panel;
    const origin = s.rulesOrigin;
    const originNote =
      origin.kind === 'workbook'
        ? h('p', { class: 'info', 'data-testid': 'rules-origin' }, t.rulesFromSheet({ sheet: origin.sheet }))
        : origin.kind === 'default'
          ? h('p', { class: 'info', 'data-testid': 'rules-origin' }, t.rulesDefault)
          : h(
              'div',
              { 'data-testid': 'rules-origin' },
              messageBar('error', t.rulesSheetInvalid({ sheet: origin.sheet })),
              h('ul', { class: 'issues' }, ...origin.issues.map((i) => h('li', {}, `${i.address ?? i.path}: ${i.message}`))),
            );
    const draft = s.draft as {
      criteria?: Array<{ id: string; label: { en: string; zh: string } }>;
      knockouts?: Array<{ id: string; when: Array<{ criterion: string; op: string }> }>;
    };
    const criteria = (draft.criteria ?? []).map((c, i) =>
      h(
        'fieldset',
        { class: 'criterion', 'data-criterion': c.id },
        h('legend', {}, c.label?.[lang] ?? c.id),
        h(
          'div',
          { class: 'grid3' },
          this.numberField(t.weight, `criteria.${i}.weight`),
          this.numberField(t.curveZero, `criteria.${i}.curve.min`),
          this.numberField(t.curveFull, `criteria.${i}.curve.max`),
        ),
      ),
    );
    const calibration = this.calibration?.suggestions ?? null;
    const read = this.calibration;
    // Which currency the amounts were read in, and how many accounts were left out (domain.md §6).
    const currencyNote =
      read?.currency !== undefined
        ? h('p', { class: 'help', 'data-testid': 'calibration-currency' }, t.calibrationCurrency({ currency: read.currency, leftOut: read.leftOut }))
        : null;
    const calibrationBox =
      calibration === null
        ? null
        : calibration.length === 0
          ? h('div', { 'data-testid': 'calibration' }, h('p', {}, t.calibrationNone), currencyNote)
          : h(
              'div',
              { 'data-testid': 'calibration' },
              currencyNote,
              h(
                'ul',
                {},
                ...calibration.map((c) =>
                  h(
                    'li',
                    {},
                    t.calibrationItem({
                      label: s.rules.criteria.find((x) => x.id === c.criterion)?.label[lang] ?? c.criterion,
                      current: c.current,
                      suggested: c.suggested,
                      count: c.basis.values,
                    }),
                  ),
                ),
              ),
              button(t.useSuggestions, () => this.useCalibration(), { 'data-action': 'use-calibration', 'data-testid': 'use-calibration' }),
            );
    const thresholds = SCORE_TIER_IDS.filter((x) => x !== 'maintain').map((tier) => this.numberField(t.minScore({ tier: this.pane.label(tier) }), `tiers.${tier}.minScore`));
    const knockouts = (draft.knockouts ?? []).map((k, i) =>
      h(
        'fieldset',
        { class: 'knockout', 'data-knockout': k.id },
        h('legend', {}, getPath(s.draft, `knockouts.${i}.reason.${lang}`) as string),
        dropdown({
          label: t.effect,
          name: `knockouts.${i}.effect`,
          value: String(getPath(s.draft, `knockouts.${i}.effect`)),
          choices: [
            { value: 'exclude', text: t.effectExclude },
            { value: 'flag', text: t.effectFlag },
          ],
          onChange: (v) => this.editRule(`knockouts.${i}.effect`, v),
        }),
        ...k.when.map((cond, j) =>
          this.numberField(
            t.conditionValue({ criterion: s.rules.criteria.find((c) => c.id === cond.criterion)?.label[lang] ?? cond.criterion, op: cond.op }),
            `knockouts.${i}.when.${j}.value`,
          ),
        ),
        this.textRuleField(t.reasonEn, `knockouts.${i}.reason.en`),
        this.textRuleField(t.reasonZh, `knockouts.${i}.reason.zh`),
      ),
    );
    const labels = TIER_IDS.map((tier) =>
      h(
        'div',
        { class: 'grid2' },
        this.textRuleField(t.labelEn({ tier: this.pane.label(tier) }), `tiers.${tier}.label.en`),
        this.textRuleField(t.labelZh({ tier: this.pane.label(tier) }), `tiers.${tier}.label.zh`),
      ),
    );
    replace(
      panel,
      h('h2', {}, t.rulesHeading),
      originNote,
      h('div', { 'data-testid': 'rule-issues' }),
      h('h3', {}, t.criteriaHeading),
      h('p', { class: 'info', 'data-testid': 'weights-sum' }, t.weightsSum({ sum: this.weightSum() })),
      ...criteria,
      button(t.calibrate, () => this.calibrate(), { 'data-action': 'calibrate', 'data-testid': 'calibrate' }),
      calibrationBox,
      h('h3', {}, t.thresholdsHeading),
      h('div', { class: 'grid3' }, ...thresholds),
      h('h3', {}, t.knockoutsHeading),
      ...knockouts,
      h('h3', {}, t.labelsHeading),
      ...labels,
      h('h3', {}, t.portfolioRulesHeading),
      h('div', { class: 'grid2' }, this.numberField(t.maxKeyAccounts, 'portfolio.maxKeyAccounts'), this.numberField(t.minWeightShare, 'missingData.minWeightShare')),
      h(
        'div',
        { class: 'row' },
        button(t.resetRules, () => this.resetRules(), { 'data-action': 'reset-rules', 'data-testid': 'reset-rules' }),
      ),
    );
    this.showRuleIssues();
  }

  private calibrate(): void {
    this.calibration = this.pane.session.calibration();
    this.pane.render('rules');
  }

  private useCalibration(): void {
    if (!this.calibration) return;
    this.pane.session.applyCalibration(this.calibration.suggestions);
    this.calibration = null;
    this.localErrors.clear();
    this.pane.render('rules');
    this.pane.refreshAfterScoring();
    // The suggestions (and their button) are gone: focus goes back to Calibrate.
    this.pane.focusSoon('[data-testid="calibrate"]');
    this.pane.announce(this.pane.tierCountsText());
  }

  private resetRules(): void {
    this.pane.session.resetRules();
    this.localErrors.clear();
    this.calibration = null;
    this.pane.renderAll();
  }
}
