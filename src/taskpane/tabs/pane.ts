/**
 * What a tab of the pane may ask of the pane around it (app.ts): the session, the language, the
 * run/cancel loop, the status bar and the other tabs' refresh. Each tab file renders one panel.
 */
import type { Lang, OutcomeId } from '../../engine/types';
import type { WorkOptions } from '../../gateway/types';
import type { UiPack } from '../i18n';
import type { KamSession } from '../session';

export const TABS = ['data', 'preview', 'rules', 'apply', 'summary', 'explain'] as const;
export type Tab = (typeof TABS)[number];

/** How many rows a list in the pane shows before "…and n more". */
export const LIST_LIMIT = 50;

export type Intent = 'info' | 'warning' | 'error' | 'success';

export interface Pane {
  readonly session: KamSession;
  readonly t: UiPack;
  readonly lang: Lang;
  /** Long work is under way (its buttons are disabled). */
  readonly busy: boolean;
  /** Runs long work with the progress bar and Cancel; false when it failed or was cancelled (already said). */
  run(work: (options: WorkOptions) => Promise<void>): Promise<boolean>;
  /** Shows a message in the status bar and says it. */
  say(intent: Intent, text: string, key?: string): void;
  /**
   * Says one short message through the pane's one status region; `settle` waits until typing
   * pauses (a newer message replaces a waiting one).
   */
  announce(text: string, options?: { settle?: boolean }): void;
  /** "Tiers now: Strategic 4, Key 9, …" for the rules in use. */
  tierCountsText(): string;
  /** Moves focus to this element (a selector within the pane) once it is drawn: a result to read. */
  focusSoon(selector: string): void;
  clearStatus(): void;
  /** The label of a tier in the rules in use, in the pane's language. */
  label(outcome: OutcomeId): string;
  renderAll(): void;
  render(tab: Tab): void;
  /** Rescored: the parts that show scores follow; the rules form keeps its focus. */
  refreshAfterScoring(): void;
  /** The rules being edited cannot be applied (engine issues or fields whose text is not taken). */
  rulesInvalid(): boolean;
  /** New data: the last Apply and explanation no longer describe it. */
  forgetResults(): void;
}

/** One tab: its panel and how to draw it from the session. */
export abstract class PaneTab {
  constructor(
    protected readonly pane: Pane,
    readonly panel: HTMLElement,
  ) {}

  abstract render(): void;
}
