/**
 * The task pane's shell: the tabs (one file each under tabs/), the run/cancel loop with its
 * progress bar, and the status bar. It holds no rule logic and never touches Excel: the engine
 * decides, the gateway reads and writes, the session (session.ts) keeps the state between them.
 */
import { outcomeLabel } from '../engine';
import { OUTCOME_IDS, type Lang, type OutcomeId } from '../engine/types';
import { GatewayError, type WorkOptions } from '../gateway/types';
import { button, h, innerControl, messageBar, replace } from './dom';
import { registerFluent } from './fluent';
import { injectStyles } from './styles';
import { listOf, problemText, UI_PACKS, type UiPack } from './i18n';
import { KamSession } from './session';
import { selfCheckSection } from './selfcheck';
import { showStaleBanner } from './stale';
import type { WorkbookGateway } from '../gateway/types';
import { ApplyTab } from './tabs/apply';
import { DataTab } from './tabs/data';
import { ExplainTab } from './tabs/explain';
import { TABS, type Intent, type Pane, type Tab } from './tabs/pane';
import { PreviewTab } from './tabs/preview';
import { RulesTab } from './tabs/rules';
import { tierChip } from './tabs/shared';
import { SummaryTab } from './tabs/summary';

/** How long typing must pause before its result is said. */
const SETTLE_MS = 700;

/** A selector that finds the focused control again after a re-render: its field name or test id. */
function focusKey(active: Element | null, root: HTMLElement): string | null {
  let el: Element | null = active;
  while (el && el !== root) {
    const field = el.getAttribute('data-field');
    if (field) return `[data-field="${CSS.escape(field)}"]`;
    const id = el.getAttribute('data-testid');
    if (id) return `[data-testid="${CSS.escape(id)}"]`;
    el = el.parentElement ?? (el.getRootNode() as ShadowRoot).host ?? null;
  }
  return null;
}

export interface AppOptions {
  root: HTMLElement;
  gateway: WorkbookGateway;
  lang: Lang;
  /** Shows the demo notice (no Excel). */
  demo?: boolean;
}

export class KamApp implements Pane {
  readonly session: KamSession;
  readonly t: UiPack;
  readonly lang: Lang;
  private tab: Tab = 'data';
  private controller: AbortController | null = null;
  private readonly tabs: { data: DataTab; preview: PreviewTab; rules: RulesTab; apply: ApplyTab; summary: SummaryTab; explain: ExplainTab };
  private readonly el: {
    status: HTMLElement;
    /** The pane's one live region: one short message per result. */
    live: HTMLElement;
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
    this.lang = options.lang;
    this.t = UI_PACKS[options.lang];
    this.session = new KamSession(options.gateway, options.lang);
    document.documentElement.lang = options.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = this.t.appTitle;
    const t = this.t;
    const panels = Object.fromEntries(
      TABS.map((tab) => [
        tab,
        h('section', { id: `panel-${tab}`, role: 'tabpanel', 'aria-labelledby': `tab-${tab}`, class: 'panel', hidden: tab !== 'data', 'data-testid': `panel-${tab}` }),
      ]),
    ) as Record<Tab, HTMLElement>;
    const tablist = h(
      'fluent-tablist',
      {
        activeid: 'tab-data',
        'aria-label': t.appTitle,
        onchange: (e: Event) => {
          if (e.target !== e.currentTarget) return;
          const active = (e.target as HTMLElement & { activeid?: string }).activeid ?? '';
          this.showTab(active.replace('tab-', '') as Tab);
        },
      },
      ...TABS.map((tab) => h('fluent-tab', { id: `tab-${tab}`, 'data-testid': `tab-${tab}` }, t.tabs[tab])),
    );
    const progressBar = h('fluent-progress-bar', { 'aria-label': t.working, 'data-testid': 'progress-bar' });
    const progressText = h('span', { class: 'progress-text' }, t.working);
    const progress = h(
      'div',
      { class: 'progress', hidden: true, 'data-testid': 'progress' },
      progressBar,
      h(
        'div',
        { class: 'progress-row' },
        progressText,
        button(t.cancel, () => this.controller?.abort(), { 'data-testid': 'cancel' }),
      ),
    );
    this.tabs = {
      data: new DataTab(this, panels.data),
      preview: new PreviewTab(this, panels.preview),
      rules: new RulesTab(this, panels.rules),
      apply: new ApplyTab(this, panels.apply),
      summary: new SummaryTab(this, panels.summary),
      explain: new ExplainTab(this, panels.explain),
    };
    this.el = {
      status: h('div', { class: 'status', 'data-testid': 'status' }),
      live: h('div', { role: 'status', class: 'visually-hidden', 'data-testid': 'announcer' }),
      progress,
      progressBar,
      progressText,
      // Not live: the counts change on every keystroke in Rules; results say them once instead.
      strip: h('div', { class: 'strip', 'data-testid': 'tier-strip' }),
      tablist,
      panels,
    };
    replace(
      options.root,
      h('header', { class: 'app-header' }, h('h1', {}, t.appTitle)),
      options.demo ? messageBar('info', t.demoNotice, { 'data-testid': 'demo-notice' }) : null,
      this.el.live,
      this.el.status,
      this.el.progress,
      this.el.strip,
      tablist,
      ...TABS.map((tab) => panels[tab]),
      selfCheckSection(options.gateway, options.lang, (text) => this.announce(text)),
    );
  }

  async start(): Promise<void> {
    await this.run(async (work) => {
      await this.session.open(work);
      if (this.session.region) await this.tabs.data.guessRelations(work);
    });
    if (this.session.regionProblem) this.say('warning', problemText(this.session.regionProblem.problem, this.lang));
    this.renderAll();
    // Values written under other rules than the KAM Rules sheet's now: said on open (stale.ts).
    await showStaleBanner(this.options.gateway, this.session.rules, this.lang, this.el.status);
    const region = this.session.region;
    if (region && !this.session.regionProblem) this.announce(`${this.t.regionInfo({ address: region.address, rows: region.rowCount })}. ${this.tierCountsText()}`);
  }

  showTab(tab: Tab): void {
    if (!TABS.includes(tab) || (tab === this.tab && !this.el.panels[tab].hidden)) return;
    this.tab = tab;
    for (const t of TABS) this.el.panels[t].hidden = t !== tab;
    this.el.tablist.setAttribute('activeid', `tab-${tab}`);
    this.render(tab);
  }

  // ---- Long work ----

  async run(work: (options: WorkOptions) => Promise<void>): Promise<boolean> {
    const controller = new AbortController();
    this.controller = controller;
    this.el.progress.hidden = false;
    this.el.progressBar.removeAttribute('value');
    this.el.progressText.textContent = this.t.working;
    this.rememberFocus();
    this.setBusy(true);
    let quarter = 0;
    try {
      await work({
        signal: controller.signal,
        onProgress: (done, total) => {
          this.el.progressBar.setAttribute('max', String(Math.max(total, 1)));
          this.el.progressBar.setAttribute('value', String(done));
          const text = this.t.progress({ done, total });
          this.el.progressText.textContent = text;
          // Said at a quarter, a half and three quarters, not at every chunk.
          const reached = Math.floor((4 * done) / Math.max(total, 1));
          if (reached > quarter && reached < 4) this.announce(text);
          quarter = Math.max(quarter, reached);
        },
      });
      return true;
    } catch (error) {
      if (error instanceof GatewayError) this.say(error.problem.key === 'cancelled' ? 'warning' : 'error', problemText(error.problem, this.lang), error.problem.key);
      else this.say('error', this.t.unexpected({ text: error instanceof Error ? error.message : String(error) }));
      return false;
    } finally {
      this.controller = null;
      this.el.progress.hidden = true;
      this.setBusy(false);
      this.restoreFocusSoon();
    }
  }

  private setBusy(busy: boolean): void {
    for (const el of this.options.root.querySelectorAll('[data-action]')) {
      if (busy) el.setAttribute('disabled', '');
      else if (!el.hasAttribute('data-disabled')) el.removeAttribute('disabled');
    }
  }

  say(intent: Intent, text: string, key?: string): void {
    this.el.status.append(messageBar(intent, text, { 'data-testid': 'status-message', 'data-intent': intent, 'data-key': key }));
    this.announce(text);
  }

  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  announce(text: string, options: { settle?: boolean } = {}): void {
    clearTimeout(this.settleTimer);
    const write = (): void => {
      if (text !== '') replace(this.el.live, h('p', {}, text));
    };
    if (options.settle) this.settleTimer = setTimeout(write, SETTLE_MS);
    else write();
  }

  tierCountsText(): string {
    const preview = this.session.preview();
    if (!preview) return '';
    const counts = OUTCOME_IDS.filter((o) => o !== 'invalid' || preview.counts.invalid > 0).map((o) => `${this.label(o)} ${preview.counts[o]}`);
    return this.t.tiersNow({ counts: listOf(counts, this.lang) });
  }

  // ---- Focus ----

  /** Where focus goes back to once the panel is drawn again (a selector within the pane). */
  private focusTarget: string | null = null;
  private focusForced = false;

  /** Notes the control the user acted on, by what survives a re-render (its field or test id). */
  private rememberFocus(): void {
    const key = focusKey(document.activeElement, this.options.root);
    if (key && !this.focusForced) this.focusTarget = key;
  }

  focusSoon(selector: string): void {
    this.focusTarget = selector;
    this.focusForced = true;
    this.restoreFocusSoon();
  }

  /**
   * Re-rendering replaces the focused control and `setBusy` disables the button pressed, and either
   * drops focus to the page. Once drawn (Fluent inserts its inner controls a frame later), focus
   * goes back to the same control or the result asked for; focus the user moved elsewhere stays.
   */
  private restoreFocusSoon(): void {
    const root = this.options.root;
    let tries = 0;
    const attempt = (): void => {
      const selector = this.focusTarget;
      if (selector === null || this.busy) return;
      const active = document.activeElement;
      const lost = !active || active === document.body || active === document.documentElement || !active.isConnected;
      if (!lost && !this.focusForced) {
        this.focusTarget = null;
        return;
      }
      const target = [...root.querySelectorAll<HTMLElement>(selector)].find((el) => !el.closest('[hidden]') && !el.hasAttribute('disabled'));
      const control = target ? innerControl(target) : null;
      if (control && control !== target) control.focus();
      else if (target && !target.matches('fluent-dropdown')) target.focus();
      if (target && target.contains(document.activeElement)) {
        this.focusTarget = null;
        this.focusForced = false;
      } else if (++tries < 20) setTimeout(attempt, 16);
      else {
        // The control is gone for good: rather than the page, the heading of the panel in view.
        this.focusTarget = null;
        this.focusForced = false;
        const heading = this.el.panels[this.tab].querySelector<HTMLElement>('h2');
        if (lost && heading) {
          heading.tabIndex = -1;
          heading.focus();
        }
      }
    };
    setTimeout(attempt, 0);
  }

  clearStatus(): void {
    replace(this.el.status);
  }

  // ---- Rendering ----

  get busy(): boolean {
    return this.controller !== null;
  }

  renderAll(): void {
    this.rememberFocus();
    this.renderStrip();
    for (const tab of TABS) this.tabs[tab].render();
    this.restoreFocusSoon();
  }

  render(tab: Tab): void {
    this.rememberFocus();
    this.tabs[tab].render();
    this.restoreFocusSoon();
  }

  refreshAfterScoring(): void {
    this.renderStrip();
    this.tabs.preview.render();
    this.tabs.apply.render();
    this.tabs.summary.render();
    this.tabs.explain.rescore();
  }

  rulesInvalid(): boolean {
    return this.session.draftIssues.length > 0 || this.tabs.rules.hasLocalErrors;
  }

  forgetResults(): void {
    this.tabs.apply.forget();
    this.tabs.explain.forget();
  }

  label(outcome: OutcomeId): string {
    return outcomeLabel(this.session.rules, outcome, this.lang);
  }

  private renderStrip(): void {
    const preview = this.session.preview();
    if (!preview) {
      replace(this.el.strip);
      return;
    }
    const chips = OUTCOME_IDS.filter((o) => o !== 'invalid' || preview.counts.invalid > 0).map((o) =>
      tierChip(o, `${this.label(o)} ${preview.counts[o]}`, { 'data-count': preview.counts[o] }),
    );
    replace(this.el.strip, ...chips);
  }
}
