import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Issue 7, item 8: the add-in's pages allow code only from their own origin and Microsoft's
 * office.js CDN, and the dev server no longer lets any site read them (no `Access-Control-Allow-Origin: *`).
 */
jest.mock('office-addin-dev-certs', () => ({ getHttpsServerOptions: async () => ({}) }));

const ROOT = path.join(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const webpackConfig = require('../webpack.config.js') as ((env: unknown, options: { mode: string }) => Promise<Record<string, unknown>>) & { CONTENT_SECURITY_POLICY: string };
const OFFICE_CDN = 'https://appsforoffice.microsoft.com';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

describe('Content-Security-Policy', () => {
  const policy = directives(webpackConfig.CONTENT_SECURITY_POLICY);

  test('code comes only from the add-in itself and the office.js CDN; no eval, no inline script, no plugins', () => {
    for (const name of ['default-src', 'script-src', 'connect-src']) {
      expect(policy.get(name)?.every((s) => s === "'self'" || s === OFFICE_CDN)).toBe(true);
    }
    expect(policy.get('script-src')).toEqual(["'self'", OFFICE_CDN]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(webpackConfig.CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
  });

  test('the dev server sends the policy, and no Access-Control-Allow-Origin', async () => {
    const config = await webpackConfig({}, { mode: 'development' });
    const headers = (config.devServer as { headers: Record<string, string> }).headers;
    expect(Object.keys(headers).map((h) => h.toLowerCase())).not.toContain('access-control-allow-origin');
    expect(headers['Content-Security-Policy']).toBe(webpackConfig.CONTENT_SECURITY_POLICY);
  });

  test('every page the build writes carries the policy', async () => {
    const config = await webpackConfig({}, { mode: 'production' });
    const pages = (config.plugins as Array<{ userOptions?: { filename?: string; meta?: Record<string, { content?: string }> } }>).filter((p) =>
      p.userOptions?.filename?.endsWith('.html'),
    );
    expect(pages.map((p) => p.userOptions?.filename).sort()).toEqual(['commands.html', 'functions.html', 'taskpane.html']);
    for (const page of pages) expect(page.userOptions?.meta?.csp?.content).toBe(webpackConfig.CONTENT_SECURITY_POLICY);
    const built = path.join(ROOT, 'dist/addin/taskpane.html');
    // The production build minifies the page: attribute quotes may go.
    if (fs.existsSync(built))
      expect(fs.readFileSync(built, 'utf8')).toMatch(/<meta http-equiv="?Content-Security-Policy"? content="default-src 'self'; script-src 'self' https:\/\/appsforoffice/);
  });
});
