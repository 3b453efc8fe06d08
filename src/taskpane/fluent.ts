// The bundle's module name is declared locally (node10 resolution cannot read its export map).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./fluent-modules.d.ts" />
/**
 * Registers the Fluent UI web components and the Fluent light theme. The self-contained bundle
 * is used because it carries its own copy of @microsoft/fast-element (a peer dependency that the
 * project's legacy-peer-deps install does not add).
 */
import { setTheme } from '@fluentui/web-components/web-components-all.js';
import { webLightTheme } from '@fluentui/tokens';

let done = false;

export function registerFluent(): void {
  if (done) return;
  done = true;
  setTheme(webLightTheme);
}
