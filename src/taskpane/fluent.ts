// The bundle's module name is declared locally (node10 resolution cannot read its export map).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./fluent-modules.d.ts" />
/**
 * Registers the Fluent UI web components and the Fluent theme, light or dark. The self-contained
 * bundle is used because it carries its own copy of @microsoft/fast-element (a peer dependency
 * that the project's legacy-peer-deps install does not add).
 */
import { setTheme } from '@fluentui/web-components/web-components-all.js';
import { webDarkTheme, webLightTheme } from '@fluentui/tokens';
import { luminance } from './palette';

let done = false;

/** Office's own theme when the pane runs in Office and Office says one: dark when its pane background is dark. */
function officeThemeIsDark(): boolean | null {
  if (typeof Office === 'undefined') return null;
  const background = Office.context?.officeTheme?.bodyBackgroundColor;
  return typeof background === 'string' && /^#[0-9a-f]{6}$/i.test(background) ? luminance(background) < 0.2 : null;
}

function applyTheme(dark: boolean): void {
  setTheme(dark ? webDarkTheme : webLightTheme);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

export function registerFluent(): void {
  if (done) return;
  done = true;
  const query = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  const choose = (): void => applyTheme(officeThemeIsDark() ?? query?.matches ?? false);
  choose();
  // The system's choice can change while the pane is open; Office's theme is read when it opens.
  query?.addEventListener('change', choose);
}
