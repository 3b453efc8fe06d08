/**
 * The task pane's view: renders the session (session.ts) with Fluent UI web components and turns
 * the user's actions into session calls. It holds no rule logic and never touches Excel: the
 * engine decides, the gateway reads and writes.
 */
import { coerceInput, LABEL_PACKS, outcomeLabel, type CalibrationSuggestion, type Evaluation } from '../engine';
import { OUTCOME_IDS, SCORE_TIER_IDS, TIER_IDS, type Lang, type OutcomeId } from '../engine/types';
import { GatewayError, type SourceChoice, type WorkOptions } from '../gateway/types';
import { histogramSvg, hoursSvg, portfolioSvg, tierBarsSvg } from './charts';
import { button, checkbox, dropdown, h, messageBar, radioGroup, replace, table, textField, type Choice } from './dom';
import { registerFluent } from './fluent';
import { injectStyles } from './styles';
import { listOf, problemText, summaryStrings, UI_PACKS, type UiPack } from './i18n';
import { TIER_PALETTE } from './palette';
import { KamSession, type ApplyOptions, type ApplyReport } from './session';
import { selfCheckSection } from './selfcheck';
import type { WorkbookGateway } from '../gateway/types';

const TABS = ['data', 'preview', 'rules', 'apply', 'summary', 'explain'] as const;
type Tab = (typeof TABS)[number];

/** How many rows a list in the pane shows before "…and n more". */
const LIST_LIMIT = 50;

export interface AppOptions {
  root: HTMLElement;
  gateway: WorkbookGateway;
  lang: Lang;
  /** Shows the demo notice (no Excel). */
  demo?: boolean;
}

function choiceValue(choice: SourceChoice): string {
  return choice.kind === 'selection' ? 'selection' : `${choice.kind}:${choice.name}`;
}

function choiceOf(value: string): SourceChoice | null {
  if (value === 'selection') return { kind: 'selection' };
  const m = /^(table|sheet):(.*)$/.exec(value);
  return m ? { kind: m[1] as 'table' | 'sheet', name: m[2] as string } : null;
}

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

export class KamApp {
  readonly session: KamSession;
  readonly t: UiPack;
  private tab: Tab = 'data';
  private applyOptions: ApplyOptions = { mode: 'values', colours: true, filter: 'autoFilter' };
  private capacityHours: number | null = null;
  private capacityText = '';
  private busy: AbortController | null = null;
  private lastApply: ApplyReport | null = null;
  private lastSummary: string | null = null;
  private calibration: CalibrationSuggestion[] | null = null;
  private explained: { row: number; evaluation: Evaluation } | null = null;
  private explainNote: string | null = null;
  private localErrors = new Map<string, string>();
  private sourceValue = 'selection';
  private contactsValue = '';
  private needsValue = '';
  private readonly el: {
    status: HTMLElement;
    progress: HTMLElement;
    progressBar: HTMLElement;
    progressText: HTMLElement;
    strip: HTMLElement;
    tablist: HTMLElement;
    panels: Record<Tab, HTMLElement>;
  };

  constructor(private readonly options: AppOptions) {
    registerFluent();
    injectStyles();
    this.t = UI_PACKS[options.lang];
    this.session = new KamSession(options.gateway, options.lang);
    document.documentElement.lang = options.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = this.t.appTitle;
    const t = this.t;
    const panels = Object.fromEntries(
      TABS.map((tab) => [tab, h('section', { id: `panel-${tab}`, role: 'tabpanel', 'aria-labelledby': `tab-${tab}`, class: 'panel', hidden: tab !== 'data', 'data-testid': `panel-${tab}` })]),
    ) as Record<Tab, HTMLElement>;
    const tablist = h(
      'fluent-tablist',
      { activeid: 'tab-data', 'aria-label': t.appTitle, onchange: (e: Event) => {
          if (e.target !== e.currentTarget) return;
          const active = (e.target as HTMLElement & { activeid?: string }).activeid ?? '';
          this.showTab(active.replace('tab-', '') as Tab);
        } },
      ...TABS.map((tab) => h('fluent-tab', { id: `tab-${tab}`, 'data-testid': `tab-${tab}` }, t.tabs[tab])),
    );
    const progressBar = h('fluent-progress-bar', { 'aria-label': t.working, 'data-testid': 'progress-bar' });
    const progressText = h('span', { class: 'progress-text', 'aria-live': 'polite' }, t.working);
    const progress = h(
      'div',
      { class: 'progress', hidden: true, 'data-testid': 'progress' },
      progressBar,
      h('div', { class: 'progress-row' }, progressText, button(t.cancel, () => this.busy?.abort(), { 'data-testid': 'cancel' })),
    );
    this.el = {
      status: h('div', { class: 'status', 'aria-live': 'polite', 'data-testid': 'status' }),
      progress,
      progressBar,
      progressText,
      strip: h('div', { class: 'strip', 'data-testid': 'tier-strip', 'aria-live': 'polite' }),
      tablist,
      panels,
    };
    replace(
      options.root,
      h('header', { class: 'app-header' }, h('h1', {}, t.appTitle)),
      options.demo ? messageBar('info', t.demoNotice, { 'data-testid': 'demo-notice' }) : null,
      this.el.status,
      this.el.progress,
      this.el.strip,
      tablist,
      ...TABS.map((tab) => panels[tab]),
      selfCheckSection(options.gateway, options.lang),
    );
  }

  async start(): Promise<void> {
    await this.run(async (work) => {
      await this.session.open(work);
      if (this.session.region) await this.guessRelations(work);
    });
    if (this.session.regionProblem) this.say('warning', problemText(this.session.regionProblem.problem, this.options.lang));
    this.renderAll();
  }

  showTab(tab: Tab): void {
    if (!TABS.includes(tab) || (tab === this.tab && !this.el.panels[tab].hidden)) return;
    this.tab = tab;
    for (const t of TABS) this.el.panels[t].hidden = t !== tab;
    this.el.tablist.setAttribute('activeid', `tab-${tab}`);
    this.renderPanel(tab);
  }

  // ---- Long work ----

  private async run(work: (options: WorkOptions) => Promise<void>): Promise<boolean> {
    const controller = new AbortController();
    this.busy = controller;
    this.el.progress.hidden = false;
    this.el.progressBar.removeAttribute('value');
    this.el.progressText.textContent = this.t.working;
    this.setBusy(true);
    try {
      await work({
        signal: controller.signal,
        onProgress: (done, total) => {
          this.el.progressBar.setAttribute('max', String(Math.max(total, 1)));
          this.el.progressBar.setAttribute('value', String(done));
          this.el.progressText.textContent = this.t.progress({ done, total });
        },
      });
      return true;
    } catch (error) {
      if (error instanceof GatewayError) this.say(error.problem.key === 'cancelled' ? 'warning' : 'error', problemText(error.problem, this.options.lang), error.problem.key);
      else this.say('error', this.t.unexpected({ text: error instanceof Error ? error.message : String(error) }));
      return false;
    } finally {
      this.busy = null;
      this.el.progress.hidden = true;
      this.setBusy(false);
    }
  }

  private setBusy(busy: boolean): void {
    for (const el of this.options.root.querySelectorAll('[data-action]')) {
      if (busy) el.setAttribute('disabled', '');
      else if (!el.hasAttribute('data-disabled')) el.removeAttribute('disabled');
    }
  }

  private say(intent: 'info' | 'warning' | 'error' | 'success', text: string, key?: string): void {
    this.el.status.append(messageBar(intent, text, { 'data-testid': 'status-message', 'data-intent': intent, 'data-key': key }));
  }

  private clearStatus(): void {
    replace(this.el.status);
  }

  // ---- Rendering ----

  private renderAll(): void {
    this.renderStrip();
    for (const tab of TABS) this.renderPanel(tab);
  }

  private renderPanel(tab: Tab): void {
    switch (tab) {
      case 'data':
        return this.renderData();
      case 'preview':
        return this.renderPreview();
      case 'rules':
        return this.renderRules();
      case 'apply':
        return this.renderApply();
      case 'summary':
        return this.renderSummary();
      case 'explain':
        return this.renderExplain();
    }
  }

  /** Rescored: the parts that show scores follow; the rules form keeps its focus. */
  private refreshAfterScoring(): void {
    this.renderStrip();
    this.renderPreview();
    this.renderApply();
    this.renderSummary();
    if (this.explained) this.explained = { row: this.explained.row, evaluation: this.session.explain(this.explained.row) as Evaluation };
    this.renderExplain();
  }

  private label(outcome: OutcomeId): string {
    return outcomeLabel(this.session.rules, outcome, this.options.lang);
  }

  private renderStrip(): void {
    const preview = this.session.preview();
    if (!preview) {
      replace(this.el.strip);
      return;
    }
    const chips = OUTCOME_IDS.filter((o) => o !== 'invalid' || preview.counts.invalid > 0).map((o) =>
      h(
        'span',
        { class: 'chip', style: `background:${TIER_PALETTE[o].fill};color:${TIER_PALETTE[o].font}`, 'data-tier': o, 'data-count': preview.counts[o] },
        `${this.label(o)} ${preview.counts[o]}`,
      ),
    );
    replace(this.el.strip, ...chips);
  }

  private renderData(): void {
    const t = this.t;
    const s = this.session;
    const panel = this.el.panels.data;
    const sourceChoices: Choice[] = [
      { value: 'selection', text: t.sourceSelection },
      ...s.sources.map((src) => ({ value: `${src.kind}:${src.name}`, text: src.kind === 'table' ? t.sourceTable({ name: src.name }) : t.sourceSheet({ name: src.name }) })),
    ];
    const region = s.region;
    const parts: Array<HTMLElement | null> = [
      h('h2', {}, t.dataHeading),
      h(
        'div',
        { class: 'row' },
        dropdown({ label: t.sourceLabel, name: 'source', value: this.sourceValue, choices: sourceChoices, onChange: (v) => (this.sourceValue = v) }),
        button(t.useData, () => void this.useSource(), { appearance: 'primary', 'data-action': 'use-data', 'data-testid': 'use-data' }),
      ),
    ];
    if (region) {
      parts.push(h('p', { class: 'info', 'data-testid': 'region-info' }, t.regionInfo({ address: region.address, rows: region.rowCount })));
      const existing = Object.keys(region.kamColumns) as Array<keyof typeof region.kamColumns>;
      if (existing.length > 0) parts.push(h('p', { class: 'info' }, t.existingKam({ columns: listOf(existing.map((k) => LABEL_PACKS[this.options.lang].column[k]), this.options.lang) })));
      parts.push(this.mappingSection(), this.relationsSection());
    }
    replace(panel, ...parts);
  }

  private mappingSection(): HTMLElement {
    const t = this.t;
    const s = this.session;
    const lang = this.options.lang;
    const region = s.region;
    const headers = [...new Set((region?.columns ?? []).map((c) => c.header).filter((x) => x !== ''))];
    const problems = s.fieldProblems();
    const fieldLabel = (id: string): string => s.fields().find((f) => f.id === id)?.label[lang] ?? id;
    const rows = s.fields().map((f) => {
      const match = s.matches[f.id];
      const missing = !match && f.kind === 'criterion';
      const own = problems.filter((p) => p.field === f.id);
      const messages = own.map((p) => {
        if (p.kind === 'duplicate') return t.duplicateColumn({ field: f.label[lang], other: fieldLabel(p.other ?? ''), header: p.header ?? '' });
        if (p.kind === 'badMapping') return t.badMapping({ field: f.label[lang], header: p.header ?? '' });
        if (p.kind === 'ambiguous') return t.ambiguousColumn({ field: f.label[lang], headers: (p.headers ?? []).map((h) => (lang === 'zh' ? `“${h}”` : `"${h}"`)).join(lang === 'zh' ? '、' : ', ') });
        const example = p.example ? s.text(p.example) : '';
        const prefix = `${f.label[lang]}${lang === 'zh' ? ':' : ': '}`;
        return t.unreadableColumn({ field: f.label[lang], count: p.count ?? 0, of: p.of ?? 0, example: example.startsWith(prefix) ? example.slice(prefix.length) : example });
      });
      const control = dropdown({
        label: f.label[lang],
        name: `map-${f.id}`,
        value: match?.header ?? '',
        choices: [{ value: '', text: t.notUsed }, ...headers.map((x) => ({ value: x, text: x }))],
        // Fluent dropdowns also report a change when they are drawn: only a different choice counts.
        onChange: (v) => {
          if (v !== (match?.header ?? '')) void this.remap(f.id, v === '' ? null : v);
        },
      });
      const badge = missing
        ? h('fluent-badge', { appearance: 'tint', color: 'danger', 'data-testid': `missing-${f.id}` }, t.missing)
        : f.kind === 'strength' && !match
          ? h('fluent-badge', { appearance: 'tint', color: 'informative' }, t.optional)
          : null;
      return h(
        'div',
        { class: `map-row${missing ? ' missing' : ''}${messages.length > 0 ? ' invalid' : ''}`, 'data-map-field': f.id },
        h('div', { class: 'map-control' }, control, badge),
        messages.length > 0 ? h('div', { class: 'field-error', role: 'alert', 'data-testid': `map-error-${f.id}` }, messages.join(' ')) : null,
      );
    });
    const missing = s.missingCriteria();
    return h(
      'div',
      { class: 'mapping', 'data-testid': 'mapping' },
      h('h3', {}, t.mappingHeading),
      h('p', { class: 'help' }, t.mappingHelp),
      missing.length > 0 ? messageBar('warning', t.missingSummary({ fields: listOf(missing.map(fieldLabel), lang) }), { 'data-testid': 'missing-summary' }) : null,
      ...rows,
    );
  }

  private relationsSection(): HTMLElement {
    const t = this.t;
    const s = this.session;
    const choices: Choice[] = [
      { value: '', text: t.none },
      ...s.sources
        .filter((src) => src.name !== s.region?.table && !(src.kind === 'sheet' && src.name === s.region?.sheet))
        .map((src) => ({ value: `${src.kind}:${src.name}`, text: src.kind === 'table' ? t.sourceTable({ name: src.name }) : t.sourceSheet({ name: src.name }) })),
    ];
    const rel = s.relations;
    const info: Array<HTMLElement | null> = [];
    if (rel) {
      info.push(h('p', { class: 'info', 'data-testid': 'relations-info' }, t.relationsLoaded({ contacts: rel.contactsSource ?? t.none, needs: rel.needsSource ?? t.none })));
      if (rel.unmatchedAccounts.length > 0) {
        info.push(messageBar('warning', t.unmatchedAccounts({ count: rel.unmatchedAccounts.length, names: listOf(rel.unmatchedAccounts.slice(0, 10), this.options.lang) })));
      }
      const first = rel.problems[0];
      if (first) info.push(messageBar('warning', t.relationProblems({ count: rel.problems.length, example: s.text(first) })));
    }
    return h(
      'div',
      { class: 'relations' },
      h('h3', {}, t.relationsHeading),
      h('p', { class: 'help' }, t.relationsHelp),
      dropdown({ label: t.contactsLabel, name: 'contacts', value: this.contactsValue, choices, onChange: (v) => (this.contactsValue = v) }),
      dropdown({ label: t.needsLabel, name: 'needs', value: this.needsValue, choices, onChange: (v) => (this.needsValue = v) }),
      button(t.useRelations, () => void this.useRelations(), { 'data-action': 'relations', 'data-testid': 'use-relations' }),
      ...info,
    );
  }

  private renderPreview(): void {
    const t = this.t;
    const s = this.session;
    const lang = this.options.lang;
    const panel = this.el.panels.preview;
    const preview = s.preview();
    if (!preview) {
      replace(panel, h('h2', {}, t.previewHeading), h('p', {}, t.previewEmpty));
      return;
    }
    const bars = OUTCOME_IDS.filter((o) => o !== 'invalid' || preview.counts.invalid > 0).map((o) => ({ outcome: o, label: this.label(o), count: preview.counts[o] }));
    const countsText = listOf(bars.map((b) => `${b.label} ${b.count}`), lang);
    const rules = s.rules;
    const chart = (markup: string): HTMLElement => {
      const div = h('div', { class: 'chart' });
      div.innerHTML = markup;
      return div;
    };
    const scored = preview.rowCount - preview.unscored;
    const listRows = (items: typeof preview.knockedOut): Array<Array<string | number>> => items.slice(0, LIST_LIMIT).map((k) => [k.account, k.sheetRow, this.label(k.outcome), k.reasons.join(lang === 'zh' ? ';' : '; ')]);
    replace(
      panel,
      h('h2', {}, t.previewHeading),
      ...[...s.ruleWarnings, ...preview.warnings].map((w) => messageBar('warning', s.text(w), { 'data-testid': 'preview-warning', 'data-key': w.key })),
      h('h3', {}, t.tierCounts),
      chart(tierBarsSvg(bars, t.tierChartAria({ counts: countsText }))),
      h('h3', {}, t.distribution),
      chart(histogramSvg(preview.histogram, { strategic: rules.tiers.strategic.minScore, key: rules.tiers.key.minScore, develop: rules.tiers.develop.minScore }, t.distributionAria({ total: scored }))),
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

  // ---- Rules ----

  private numberField(label: string, path: string): HTMLElement {
    const value = getPath(this.session.draft, path);
    return textField({ label, name: path, value: value === undefined ? '' : String(value), inputMode: 'decimal', onInput: (text) => this.editNumber(path, text) });
  }

  private textRuleField(label: string, path: string): HTMLElement {
    const value = getPath(this.session.draft, path);
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
      this.localErrors.set(path, read.kind === 'blank' ? this.t.notANumber({ text }) : this.session.text(read.problem).replace(`${path}: `, ''));
      this.showRuleIssues();
      this.renderApply();
    }
  }

  private editRule(path: string, value: unknown): void {
    this.session.updateDraft((draft) => setPath(draft, path, value));
    this.showRuleIssues();
    if (this.session.draftIssues.length === 0) this.refreshAfterScoring();
    else this.renderApply();
  }

  /** Puts each problem under its field; problems without a field go in the list at the top. */
  private showRuleIssues(): void {
    const panel = this.el.panels.rules;
    const byField = new Map<string, string[]>();
    const general: string[] = [];
    const fields = new Set([...panel.querySelectorAll('[data-error-for]')].map((el) => el.getAttribute('data-error-for') ?? ''));
    for (const [path, text] of this.localErrors) byField.set(path, [text]);
    for (const issue of this.session.draftIssues) {
      const key = pathKey(issue.path);
      if (this.localErrors.has(key)) continue;
      const text = issue.message;
      if (fields.has(key)) byField.set(key, [...(byField.get(key) ?? []), text]);
      else general.push(`${issue.path}: ${text}`);
    }
    for (const el of panel.querySelectorAll('[data-error-for]')) {
      const key = el.getAttribute('data-error-for') ?? '';
      const texts = byField.get(key);
      el.textContent = texts ? texts.join(' ') : '';
      const input = panel.querySelector(`[data-field="${CSS.escape(key)}"]`);
      if (texts) input?.setAttribute('aria-invalid', 'true');
      else input?.removeAttribute('aria-invalid');
      el.closest('.field')?.classList.toggle('invalid', Boolean(texts));
    }
    const box = panel.querySelector('[data-testid="rule-issues"]');
    if (box) {
      const invalid = this.session.draftIssues.length > 0 || this.localErrors.size > 0;
      replace(box, invalid ? messageBar('error', this.t.rulesInvalid) : null, ...general.map((g) => h('div', { class: 'field-error', role: 'alert' }, g)));
    }
    const sum = panel.querySelector('[data-testid="weights-sum"]');
    if (sum) sum.textContent = this.t.weightsSum({ sum: this.weightSum() });
  }

  private weightSum(): number {
    const criteria = (this.session.draft.criteria as Array<{ weight: unknown }> | undefined) ?? [];
    return Math.round(criteria.reduce((s, c) => s + (typeof c.weight === 'number' ? c.weight : 0), 0) * 1000) / 1000;
  }

  private renderRules(): void {
    const t = this.t;
    const s = this.session;
    const lang = this.options.lang;
    const panel = this.el.panels.rules;
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
    const draft = s.draft as { criteria?: Array<{ id: string; label: { en: string; zh: string } }>; knockouts?: Array<{ id: string; when: Array<{ criterion: string; op: string }> }> };
    const criteria = (draft.criteria ?? []).map((c, i) =>
      h(
        'fieldset',
        { class: 'criterion', 'data-criterion': c.id },
        h('legend', {}, c.label?.[lang] ?? c.id),
        h('div', { class: 'grid3' }, this.numberField(t.weight, `criteria.${i}.weight`), this.numberField(t.curveZero, `criteria.${i}.curve.min`), this.numberField(t.curveFull, `criteria.${i}.curve.max`)),
      ),
    );
    const calibration = this.calibration;
    const calibrationBox =
      calibration === null
        ? null
        : calibration.length === 0
          ? h('p', { 'data-testid': 'calibration' }, t.calibrationNone)
          : h(
              'div',
              { 'data-testid': 'calibration' },
              h('ul', {}, ...calibration.map((c) => h('li', {}, t.calibrationItem({ label: s.rules.criteria.find((x) => x.id === c.criterion)?.label[lang] ?? c.criterion, current: c.current, suggested: c.suggested, count: c.basis.values })))),
              button(t.useSuggestions, () => this.useCalibration(), { 'data-action': 'use-calibration', 'data-testid': 'use-calibration' }),
            );
    const thresholds = SCORE_TIER_IDS.filter((x) => x !== 'maintain').map((tier) => this.numberField(t.minScore({ tier: this.label(tier) }), `tiers.${tier}.minScore`));
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
          this.numberField(t.conditionValue({ criterion: s.rules.criteria.find((c) => c.id === cond.criterion)?.label[lang] ?? cond.criterion, op: cond.op }), `knockouts.${i}.when.${j}.value`),
        ),
        this.textRuleField(t.reasonEn, `knockouts.${i}.reason.en`),
        this.textRuleField(t.reasonZh, `knockouts.${i}.reason.zh`),
      ),
    );
    const labels = TIER_IDS.map((tier) =>
      h('div', { class: 'grid2' }, this.textRuleField(t.labelEn({ tier: this.label(tier) }), `tiers.${tier}.label.en`), this.textRuleField(t.labelZh({ tier: this.label(tier) }), `tiers.${tier}.label.zh`)),
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
      h('div', { class: 'row' }, button(t.resetRules, () => this.resetRules(), { 'data-action': 'reset-rules', 'data-testid': 'reset-rules' })),
    );
    this.showRuleIssues();
  }

  private calibrate(): void {
    this.calibration = this.session.calibration();
    this.renderRules();
  }

  private useCalibration(): void {
    if (!this.calibration) return;
    this.session.applyCalibration(this.calibration);
    this.calibration = null;
    this.localErrors.clear();
    this.renderRules();
    this.refreshAfterScoring();
  }

  private resetRules(): void {
    this.session.resetRules();
    this.localErrors.clear();
    this.calibration = null;
    this.renderAll();
  }

  // ---- Apply ----

  private renderApply(): void {
    const t = this.t;
    const s = this.session;
    const panel = this.el.panels.apply;
    const blocker = s.formulaBlocker();
    if (blocker && this.applyOptions.mode === 'formulas') this.applyOptions.mode = 'values';
    const rulesInvalid = s.draftIssues.length > 0 || this.localErrors.size > 0;
    const noData = !s.result;
    const disabled = rulesInvalid || noData;
    const applyButton = button(t.applyButton, () => void this.apply(), {
      appearance: 'primary',
      'data-action': 'apply',
      'data-testid': 'apply',
      disabled: disabled || this.busy !== null,
      'data-disabled': disabled,
    });
    const report = this.lastApply;
    const lang = this.options.lang;
    const names = (keys: readonly string[]): string => (keys.length === 0 ? '—' : listOf(keys.map((k) => LABEL_PACKS[lang].column[k as keyof typeof LABEL_PACKS.en.column]), lang));
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
            ...OUTCOME_IDS.filter((o) => applied.counts[o] > 0).map((o) => button(`${applied.labels[o]} (${applied.counts[o]})`, () => void this.filter([o]), { 'data-action': 'filter', 'data-testid': `filter-${o}` })),
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
        ],
        onChange: (v) => {
          this.applyOptions.mode = v === 'formulas' ? 'formulas' : 'values';
        },
      }),
      blocker ? h('p', { class: 'help' }, t.formulasBlocked({ criteria: listOf(blocker.criteria, lang) })) : h('p', { class: 'help' }, t.formulasNote),
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
      noData ? h('p', { class: 'help' }, t.applyNeedsData) : rulesInvalid ? h('p', { class: 'field-error', role: 'alert' }, t.applyBlockedByRules) : null,
      h('div', { class: 'row' }, applyButton),
      report
        ? h(
            'div',
            { 'data-testid': 'apply-report' },
            messageBar('success', t.applyDone({ sheet: report.write.sheet, added: names(report.write.added), updated: names(report.write.updated) })),
            h('p', { class: 'info' }, t.rulesWritten({ address: report.rules.address })),
          )
        : null,
      filterButtons,
    );
  }

  private async apply(): Promise<void> {
    this.clearStatus();
    const options = { ...this.applyOptions };
    let report: ApplyReport | null = null;
    const ok = await this.run(async (work) => {
      report = await this.session.apply(options, work);
    });
    if (ok && report) this.lastApply = report;
    this.renderAll();
  }

  private async filter(outcomes: OutcomeId[] | null): Promise<void> {
    this.clearStatus();
    await this.run(() => this.session.filterTiers(outcomes));
  }

  // ---- Summary ----

  private renderSummary(): void {
    const t = this.t;
    const s = this.session;
    const lang = this.options.lang;
    const panel = this.el.panels.summary;
    if (!s.result) {
      replace(panel, h('h2', {}, t.summaryHeading), h('p', {}, t.previewEmpty));
      return;
    }
    const chart = (markup: string): HTMLElement => {
      const div = h('div', { class: 'chart' });
      div.innerHTML = markup;
      return div;
    };
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
          const read = coerceInput(text, { id: 'capacity', unit: 'number', validMin: 0 });
          this.capacityHours = read.kind === 'value' ? read.value : null;
          const err = panel.querySelector('[data-error-for="capacity"]');
          if (err) err.textContent = read.kind === 'problem' ? s.text(read.problem).replace('capacity: ', '') : '';
          this.renderSummaryFigures();
        },
      }),
      h('p', { class: 'help' }, t.capacityHelp),
      h('div', { 'data-testid': 'summary-figures' }),
      h('h3', {}, t.portfolioHeading),
      points.length > 0
        ? chart(
            portfolioSvg(
              points,
              { attractiveness: s.rules.portfolio.attractivenessSplit, strength: s.rules.portfolio.strengthSplit },
              { quadrant: LABEL_PACKS[lang].quadrant, x: t.axisStrength, y: t.axisScore },
              t.portfolioAria({ count: points.length }),
            ),
          )
        : h('p', { class: 'help', 'data-testid': 'portfolio-needs-strength' }, t.portfolioNeedsStrength),
      h('h3', {}, t.visitsHeading),
      !hasContacts
        ? h('p', { class: 'help' }, t.visitsNeedContacts)
        : visits.length === 0
          ? h('p', {}, t.visitsNone)
          : table([t.colAccount, t.colTier, this.t.sheet.visitsHeader[2]], visits.slice(0, LIST_LIMIT).map((v) => [v.account, this.label(v.outcome), v.decisionMaker]), { 'data-testid': 'visits' }),
      h('div', { class: 'row' }, button(t.writeSummary, () => void this.writeSummary(), { appearance: 'primary', 'data-action': 'summary', 'data-testid': 'write-summary' })),
      this.lastSummary ? messageBar('success', this.lastSummary, { 'data-testid': 'summary-report' }) : null,
    );
    this.renderSummaryFigures();
  }

  private renderSummaryFigures(): void {
    const box = this.el.panels.summary.querySelector('[data-testid="summary-figures"]');
    const s = this.session;
    const t = this.t;
    const plan = s.capacity(this.capacityHours);
    if (!box || !plan) return;
    const byTier = TIER_IDS.map((o) => ({ outcome: o as OutcomeId, label: this.label(o), hours: plan.byTier[o].hours }));
    const line = this.capacityHours === null ? t.demandOnly({ demand: plan.demand }) : plan.finding ? s.text(plan.finding) : t.fits({ demand: plan.demand, capacity: this.capacityHours });
    const div = h('div', { class: 'chart' });
    div.innerHTML = hoursSvg(byTier, this.capacityHours, t.hoursAria({ demand: plan.demand, capacity: this.capacityHours === null ? '—' : String(this.capacityHours) }));
    replace(
      box,
      div,
      h('p', { class: plan.over > 0 ? 'warning-text' : 'info', 'data-testid': 'capacity-line' }, line),
      plan.over > 0 ? h('p', { class: 'info' }, t.cuts({ count: plan.cuts.length })) : null,
    );
  }

  private async writeSummary(): Promise<void> {
    this.clearStatus();
    let text: string | null = null;
    await this.run(async (work) => {
      const report = await this.session.gateway.writeSummary(this.session.summarySheet(this.capacityHours, summaryStrings(this.t)), work);
      text = this.t.summaryDone({ sheet: report.sheet, charts: report.charts });
    });
    if (text) this.lastSummary = text;
    this.renderSummary();
  }

  // ---- Explain ----

  private renderExplain(): void {
    const t = this.t;
    const s = this.session;
    const lang = this.options.lang;
    const panel = this.el.panels.explain;
    let rowText = '';
    const parts: Array<HTMLElement | null> = [
      h('h2', {}, t.explainHeading),
      h('div', { class: 'row' }, button(t.explainSelected, () => void this.explainActive(), { appearance: 'primary', 'data-action': 'explain', 'data-testid': 'explain-selected' })),
      h(
        'div',
        { class: 'row' },
        textField({ label: t.explainRowLabel, name: 'explain-row', value: '', inputMode: 'decimal', size: 6, onInput: (v) => (rowText = v) }),
        button(t.explainButton, () => this.explainSheetRow(rowText), { 'data-action': 'explain-row', 'data-testid': 'explain-row' }),
      ),
    ];
    if (this.explainNote) parts.push(messageBar('warning', this.explainNote, { 'data-testid': 'explain-note' }));
    const ex = this.explained;
    if (ex) {
      const e = ex.evaluation;
      const fmt = (x: number | null, digits = 1): string => (x === null ? '—' : String(Math.round(x * 10 ** digits) / 10 ** digits));
      const rows = e.criteria.map((c) => [
        c.label[lang],
        c.status === 'ok' ? fmt(c.input, 4) : t.status[c.status],
        fmt(c.points),
        fmt(c.weight),
        fmt(c.contribution, 2),
      ]);
      parts.push(
        h(
          'div',
          { class: 'explanation', 'data-testid': 'explanation' },
          h('h3', {}, t.explainTitle({ account: s.accountName(ex.row), row: s.sheetRow(ex.row) })),
          h(
            'p',
            { class: 'verdict' },
            h('span', { class: 'chip', style: `background:${TIER_PALETTE[e.outcome].fill};color:${TIER_PALETTE[e.outcome].font}`, 'data-testid': 'explain-tier', 'data-tier': e.outcome }, this.label(e.outcome)),
            ' ',
            t.explainScore({ score: e.score === null ? t.noScore : String(e.score), tier: this.label(e.outcome) }),
          ),
          table([t.colCriterion, t.colInput, t.colPoints, t.colWeight, t.colContribution], rows, { 'data-testid': 'explain-table' }),
          h('p', { class: 'info' }, t.presentShare({ share: `${Math.round(e.presentShare * 1000) / 10}%` })),
          e.knockouts.length > 0 ? h('h4', {}, t.explainKnockouts) : null,
          e.knockouts.length > 0 ? h('ul', {}, ...e.knockouts.map((k) => h('li', {}, k.reason[lang]))) : null,
          h('h4', {}, t.explainFlags),
          h('p', { 'data-testid': 'explain-flags' }, s.flagMessages(ex.row) || '—'),
        ),
      );
    }
    replace(panel, ...parts);
  }

  private async explainActive(): Promise<void> {
    let row: number | null = null;
    await this.run(async () => {
      row = await this.session.activeRow();
    });
    this.explainRow(row);
  }

  private explainSheetRow(text: string): void {
    const n = Number(text.trim());
    const row = Number.isInteger(n) ? n - this.session.sheetRow(0) : null;
    this.explainRow(row);
  }

  private explainRow(row: number | null): void {
    const evaluation = row === null ? null : this.session.explain(row);
    if (row === null || !evaluation) {
      this.explained = null;
      this.explainNote = this.t.explainOutside;
    } else {
      this.explained = { row, evaluation };
      this.explainNote = null;
    }
    this.renderExplain();
  }

  // ---- Data actions ----

  private async useSource(): Promise<void> {
    const choice = choiceOf(this.sourceValue);
    if (!choice) return;
    this.clearStatus();
    this.lastApply = null;
    this.explained = null;
    const ok = await this.run(async (work) => {
      await this.session.useSource(choice, work);
      this.contactsValue = '';
      this.needsValue = '';
      await this.guessRelations(work);
    });
    if (ok) this.sourceValue = choiceValue(choice);
    this.renderAll();
  }

  private async remap(field: string, header: string | null): Promise<void> {
    await this.run((work) => this.session.setMapping(field, header, work));
    this.renderData();
    this.refreshAfterScoring();
  }

  private async guessRelations(work: WorkOptions): Promise<void> {
    const guess = await this.session.guessRelationSources();
    const value = (src: { kind: string; name: string } | null): string => (src ? `${src.kind}:${src.name}` : '');
    this.contactsValue = value(guess.contacts);
    this.needsValue = value(guess.needs);
    if (guess.contacts || guess.needs) await this.session.loadRelations(choiceOf(this.contactsValue), choiceOf(this.needsValue), work);
  }

  private async useRelations(): Promise<void> {
    this.clearStatus();
    await this.run((work) => this.session.loadRelations(choiceOf(this.contactsValue), choiceOf(this.needsValue), work));
    this.renderAll();
  }
}

