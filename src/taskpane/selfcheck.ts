/**
 * "Check this Excel": a section of the pane with one button that runs the gateway's self-check
 * and lists what passed and failed, with the host, platform, version and requirement sets, as text
 * a user can copy into a report. It reads and writes nothing itself: the gateway does the work.
 */
import type { Lang } from '../engine/types';
import type { SelfCheckReport, WorkbookGateway } from '../gateway/types';
import { button, h, messageBar, replace } from './dom';
import { SELF_CHECK_TEXTS } from './i18n';

export function renderSelfCheckReport(report: SelfCheckReport, lang: Lang): HTMLElement {
  const t = SELF_CHECK_TEXTS[lang];
  const sets = Object.entries(report.apiSets).map(([set, version]) => `${set} ${version ?? t.none}`);
  const passed = report.results.filter((r) => r.ok).length;
  return h(
    'div',
    { class: 'self-check-report', 'data-testid': 'self-check-report' },
    messageBar(passed === report.results.length ? 'success' : 'warning', t.passed({ passed, total: report.results.length }), { 'data-testid': 'self-check-summary' }),
    h('p', { 'data-testid': 'self-check-environment' }, t.environment({ host: report.host, platform: report.platform, version: report.version, language: report.displayLanguage })),
    h('p', {}, t.apiSets({ sets: sets.length > 0 ? sets.join(', ') : t.none })),
    h('p', { class: 'hint' }, t.copy),
    h(
      'ol',
      { class: 'self-check-list', 'aria-label': t.heading },
      ...report.results.map((r) =>
        h(
          'li',
          { 'data-check': r.id, 'data-ok': String(r.ok) },
          h('strong', { class: r.ok ? 'pass' : 'fail' }, r.ok ? `✓ ${t.pass}` : `✗ ${t.fail}`),
          ` ${t.steps[r.id]} `,
          h('code', {}, r.detail),
        ),
      ),
    ),
  );
}

/** The section: heading, what it does, the button and, after a run, the report. */
export function selfCheckSection(gateway: WorkbookGateway, lang: Lang, announce: (text: string) => void = () => undefined): HTMLElement {
  const t = SELF_CHECK_TEXTS[lang];
  // Not a live region of its own: the pane has one status region, and the result is said there once.
  const output = h('div', { 'data-testid': 'self-check-output' });
  let running = false;
  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    replace(output, h('p', {}, t.running));
    try {
      const report = await gateway.selfCheck();
      replace(output, renderSelfCheckReport(report, lang));
      announce(t.passed({ passed: report.results.filter((r) => r.ok).length, total: report.results.length }));
    } catch (error) {
      const text = t.failedToRun({ message: error instanceof Error ? error.message : String(error) });
      replace(output, messageBar('error', text));
      announce(text);
    } finally {
      running = false;
    }
  };
  return h(
    'section',
    { class: 'self-check', 'aria-labelledby': 'self-check-heading', 'data-testid': 'self-check' },
    h('h2', { id: 'self-check-heading' }, t.heading),
    h('p', {}, t.intro),
    button(t.run, () => void run(), { 'data-action': 'self-check', 'data-testid': 'run-self-check' }),
    output,
  );
}
