// The package's export map names this bundle; TypeScript's node10 resolution does not read export maps.
declare module '@fluentui/web-components/web-components-all.js' {
  export function setTheme(theme: Record<string, string | number> | null, node?: Document | HTMLElement): void;
}
