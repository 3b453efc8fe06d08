/**
 * The task pane's shell: the tabs (one file each under tabs/), the run/cancel loop with its
 * progress bar, and the status bar. It holds no rule logic and never touches Excel: the engine
 * decides, the gateway reads and writes, the session (session.ts) keeps the state between them.
 */
import { outcomeLabel } from '../engine';
import { OUTCOME_IDS, type Lang, type OutcomeId } from '../engine/types';
import { GatewayError, type WorkOptions } from '../gateway/types';
import { button, h, messageBar, replace } from './dom';
import { registerFluent } from './fluent';
import { injectStyles } from './styles';
import { problemText, UI_PACKS, type UiPack } from './i18n';
import { KamSession } from './session';
import type { WorkbookGateway } from '../gateway/types';
import { ApplyTab } from './tabs/apply';
import { DataTab } from './tabs/data';
import { ExplainTab } from './tabs/explain';
import { TABS, type Intent, type Pane, type Tab } from './tabs/pane';
import { PreviewTab } from './tabs/preview';
import { RulesTab } from './tabs/rules';
import { tierChip } from './tabs/shared';
import { SummaryTab } from './tabs/summary';

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
      h('div', { class: 'progress-row' }, progressText, button(t.cancel, () => this.controller?.abort(), { 'data-testid': 'cancel' })),
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
    );
  }

  async start(): Promise<void> {
    await this.run(async (work) => {
      await this.session.open(work);
      if (this.session.region) await this.tabs.data.guessRelations(work);
    });
    if (this.session.regionProblem) this.say('warning', problemText(this.session.regionProblem.problem, this.lang));
    this.renderAll();
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
      if (error instanceof GatewayError) this.say(error.problem.key === 'cancelled' ? 'warning' : 'error', problemText(error.problem, this.lang), error.problem.key);
      else this.say('error', this.t.unexpected({ text: error instanceof Error ? error.message : String(error) }));
      return false;
    } finally {
      this.controller = null;
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

  say(intent: Intent, text: string, key?: string): void {
    this.el.status.append(messageBar(intent, text, { 'data-testid': 'status-message', 'data-intent': intent, 'data-key': key }));
  }

  clearStatus(): void {
    replace(this.el.status);
  }

  // ---- Rendering ----

  get busy(): boolean {
    return this.controller !== null;
  }

  renderAll(): void {
    this.renderStrip();
    for (const tab of TABS) this.render(tab);
  }

  render(tab: Tab): void {
    this.tabs[tab].render();
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
    const chips = OUTCOME_IDS.filter((o) => o !== 'invalid' || preview.counts.invalid > 0).map((o) => tierChip(o, `${this.label(o)} ${preview.counts[o]}`, { 'data-count': preview.counts[o] }));
    replace(this.el.strip, ...chips);
  }
}
