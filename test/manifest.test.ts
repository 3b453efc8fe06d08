/**
 * Conformance of manifest.xml, offline (the online validator is unreachable here): valid against
 * Microsoft's manifest XSDs (vendored in test/fixtures/office-addin-manifest-xsd, checked with
 * xmllint) as written and as the production build rewrites it; every resid defined and at most 32
 * characters; every icon present in assets/ at its stated size; every URL on one host (and served
 * by the build when dist/addin exists); the requirement sets the functions' code needs; the KAM
 * namespace, the zh-CN overrides, the ribbon button that opens the task pane, and ReadWriteDocument.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ZH_CN } from '../src/functions/i18n/zh-cn';

const ROOT = path.join(__dirname, '..');
const MANIFEST = path.join(ROOT, 'manifest.xml');
const TEXT = fs.readFileSync(MANIFEST, 'utf8');
const XSD = path.join(__dirname, 'fixtures/office-addin-manifest-xsd/OfficeAppManifestV1_1.xsd');
const BUILT = path.join(ROOT, 'dist/addin/manifest.xml');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const webpackConfig = require('../webpack.config.js') as { productionManifest: (xml: string, base: string) => string; PLACEHOLDER_URL: string };

const hasXmllint = spawnSync('xmllint', ['--version']).error === undefined;

/** xmllint's verdict on a manifest text against the XSDs: null when valid, else its complaint. */
function schemaErrors(xml: string): string | null {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kam-manifest-')), 'manifest.xml');
  fs.writeFileSync(file, xml);
  const run = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  return run.status === 0 ? null : run.stderr.replace(new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'), 'manifest.xml').trim();
}

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string): string => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e] as string);

/** A small XML reader for this manifest: elements, attributes and text (no DTDs, no CDATA). */
function parseXml(xml: string): XmlElement {
  const body = xml.replace(/<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  const tag = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>|([^<]+)/g;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const top = stack[stack.length - 1] as XmlElement;
    if (m[5] !== undefined) {
      top.text += decode(m[5]);
      continue;
    }
    const [, closing, name, attrText, selfClosing] = m as unknown as [string, string, string, string, string];
    if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) attrs[a[1] as string] = decode(a[2] as string);
    const element: XmlElement = { name, attrs, children: [], text: '' };
    top.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  return root;
}

function all(el: XmlElement, pred: (e: XmlElement) => boolean, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (pred(c)) out.push(c);
    all(c, pred, out);
  }
  return out;
}

const doc = parseXml(TEXT);
const byName = (name: string): XmlElement[] => all(doc, (e) => e.name === name);
const resources = ['bt:Image', 'bt:Url', 'bt:String'].flatMap((n) => byName(n).filter((e) => e.attrs.id !== undefined));
const resourceIds = new Map(resources.map((r) => [r.attrs.id as string, r]));

it('is well-formed XML (xmllint when installed, and this reader)', () => {
  if (hasXmllint) execFileSync('xmllint', ['--noout', MANIFEST]);
  expect(doc.children.map((c) => c.name)).toEqual(['OfficeApp']);
  expect(doc.children[0]?.attrs['xsi:type']).toBe('TaskPaneApp');
});

// xmllint comes from Debian's libxml2-utils (scripts/setup.sh installs it): without it these are skipped, and say so.
(hasXmllint ? describe : describe.skip)("against Microsoft's manifest XSDs (xmllint)", () => {
  it('the source manifest is valid', () => {
    expect(schemaErrors(TEXT)).toBeNull();
  });

  it('the production manifest is valid, for the placeholder and for a real host', () => {
    expect(schemaErrors(webpackConfig.productionManifest(TEXT, webpackConfig.PLACEHOLDER_URL))).toBeNull();
    expect(schemaErrors(webpackConfig.productionManifest(TEXT, 'https://kam.example.org/addin/'))).toBeNull();
    if (fs.existsSync(BUILT)) expect(schemaErrors(fs.readFileSync(BUILT, 'utf8'))).toBeNull();
  });

  it('can fail: elements out of order and an over-long short string are refused', () => {
    const swapped = TEXT.replace(/(\s*<Version>[^<]*<\/Version>)(\s*<ProviderName>[^<]*<\/ProviderName>)/, '$2$1');
    expect(swapped).not.toBe(TEXT);
    expect(schemaErrors(swapped)).toMatch(/ProviderName/);
    const long = TEXT.replace('DefaultValue="Key accounts"', `DefaultValue="${'x'.repeat(126)}"`);
    expect(schemaErrors(long)).not.toBeNull();
  });
});
if (!hasXmllint) it.skip('XSD validation skipped: xmllint is not installed (apt-get install libxml2-utils)', () => undefined);

describe('the production manifest', () => {
  const placeholder = webpackConfig.productionManifest(TEXT, webpackConfig.PLACEHOLDER_URL);

  it('moves every URL to the deployment host, <AppDomain> included (an origin, without a slash)', () => {
    const real = webpackConfig.productionManifest(TEXT, 'https://kam.example.org/addin');
    expect(real).not.toMatch(/localhost/);
    expect(
      parseXml(real)
        .children[0]?.children.find((c) => c.name === 'AppDomains')
        ?.children.map((c) => c.text.trim()),
    ).toEqual(['https://kam.example.org']);
    expect(real).toContain('<bt:Url id="Taskpane.Url" DefaultValue="https://kam.example.org/addin/taskpane.html"/>');
  });

  it('without KAM_ADDIN_URL points at a reserved .invalid host that nothing can serve', () => {
    expect(new URL(webpackConfig.PLACEHOLDER_URL).hostname).toMatch(/\.invalid$/);
    expect(placeholder).not.toMatch(/localhost/);
  });

  it('as built (when dist/addin exists) has no development URL left', () => {
    if (!fs.existsSync(BUILT)) return;
    const built = fs.readFileSync(BUILT, 'utf8');
    expect(built).not.toMatch(/localhost/);
    const origins = new Set([...built.matchAll(/https:\/\/[^/"<\s]+/g)].map((m) => m[0]).filter((u) => !/schemas\.microsoft\.com|www\.w3\.org/.test(u)));
    expect(origins.size).toBe(1);
  });
});

it('asks for the custom-functions runtime the code needs', () => {
  // CustomFunctions.Error with a message came in 1.2, the ErrorCode enum in 1.3.
  const needs: Array<[RegExp, number]> = [
    [/new CustomFunctions\.Error\(/, 2],
    [/CustomFunctions\.ErrorCode\b/, 3],
  ];
  const code = fs.readFileSync(path.join(ROOT, 'src/functions/functions.ts'), 'utf8');
  const needed = Math.max(1, ...needs.filter(([use]) => use.test(code)).map(([, minor]) => minor));
  const set = byName('Set').find((e) => e.attrs.Name === 'CustomFunctionsRuntime');
  expect(Number((set?.attrs.MinVersion ?? '1.0').split('.')[1])).toBeGreaterThanOrEqual(needed);
  expect(needed).toBe(3);
});

it('tells Chinese users the Chinese function name', () => {
  const text = resourceIds.get('GetStarted.Description') as XmlElement;
  const zh = text.children.find((c) => c.attrs.Locale === 'zh-CN')?.attrs.Value ?? '';
  expect(zh).toContain(`=KAM.${ZH_CN.SCORE.name}(`);
  expect(zh).not.toMatch(/KAM\.[A-Z]/);
  expect(text.attrs.DefaultValue).toContain('=KAM.SCORE(');
});

it('keeps every resource id within 32 characters', () => {
  const long = [...resourceIds.keys()].filter((id) => id.length > 32);
  expect(long).toEqual([]);
});

it('defines every resid it uses, each id once', () => {
  const used = all(doc, (e) => e.attrs.resid !== undefined).map((e) => e.attrs.resid as string);
  expect(used.length).toBeGreaterThan(10);
  expect(used.filter((id) => !resourceIds.has(id))).toEqual([]);
  const ids = resources.map((r) => r.attrs.id as string);
  expect(new Set(ids).size).toBe(ids.length);
});

it('has every icon in assets/, at the size it states', () => {
  const icons = [
    ...byName('IconUrl').map((e) => ({ url: e.attrs.DefaultValue as string, size: 32 })),
    ...byName('HighResolutionIconUrl').map((e) => ({ url: e.attrs.DefaultValue as string, size: 64 })),
    ...byName('bt:Image')
      .filter((e) => e.attrs.id)
      .map((e) => ({ url: e.attrs.DefaultValue as string, size: Number(/(\d+)x\d+/.exec(e.attrs.id as string)?.[1]) })),
  ];
  expect(icons.length).toBe(5);
  for (const icon of icons) {
    const file = path.join(ROOT, 'assets', path.basename(new URL(icon.url).pathname));
    expect([icon.url, fs.existsSync(file)]).toEqual([icon.url, true]);
    const png = fs.readFileSync(file);
    // PNG: 8-byte signature, then the IHDR chunk with width and height.
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([icon.url, png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([icon.url, icon.size, icon.size]);
  }
});

it('keeps every URL on one https host, and points only at files the build serves', () => {
  const urls = [
    ...all(doc, (e) => ['IconUrl', 'HighResolutionIconUrl', 'SupportUrl', 'SourceLocation'].includes(e.name) && e.attrs.DefaultValue !== undefined).map(
      (e) => e.attrs.DefaultValue as string,
    ),
    ...byName('bt:Url').map((e) => e.attrs.DefaultValue as string),
    ...byName('bt:Image')
      .filter((e) => e.attrs.DefaultValue !== undefined)
      .map((e) => e.attrs.DefaultValue as string),
    ...byName('bt:Override')
      .filter((e) => /^https?:/.test(e.attrs.Value ?? ''))
      .map((e) => e.attrs.Value as string),
    ...byName('AppDomain').map((e) => e.text.trim()),
  ];
  const origins = new Set(urls.map((u) => new URL(u).origin));
  expect([...origins]).toEqual(['https://localhost:3000']);
  const dist = path.join(ROOT, 'dist/addin');
  if (fs.existsSync(path.join(dist, 'taskpane.html'))) {
    const missing = urls.map((u) => new URL(u).pathname.slice(1)).filter((p) => p !== '' && !fs.existsSync(path.join(dist, p)));
    expect(missing).toEqual([]);
  }
});

it('declares the custom functions in the KAM namespace, with Chinese metadata', () => {
  const point = all(doc, (e) => e.name === 'ExtensionPoint' && e.attrs['xsi:type'] === 'CustomFunctions')[0] as XmlElement;
  const namespace = all(point, (e) => e.name === 'Namespace')[0]?.attrs.resid as string;
  expect(resourceIds.get(namespace)?.attrs.DefaultValue).toBe('KAM');
  const metadata = all(point, (e) => e.name === 'Metadata')[0] as XmlElement;
  const url = resourceIds.get(all(metadata, (e) => e.name === 'SourceLocation')[0]?.attrs.resid as string) as XmlElement;
  expect(url.attrs.DefaultValue).toMatch(/\/functions\.json$/);
  expect(url.children.find((c) => c.attrs.Locale === 'zh-CN')?.attrs.Value).toMatch(/\/functions-zh-cn\.json$/);
});

it('has a KAM button on the Home tab that shows the task pane', () => {
  const tab = all(doc, (e) => e.name === 'OfficeTab')[0] as XmlElement;
  expect(tab.attrs.id).toBe('TabHome');
  const button = all(tab, (e) => e.name === 'Control' && e.attrs['xsi:type'] === 'Button')[0] as XmlElement;
  expect(resourceIds.get(all(button, (e) => e.name === 'Label')[0]?.attrs.resid as string)?.attrs.DefaultValue).toBe('KAM');
  const action = all(button, (e) => e.name === 'Action')[0] as XmlElement;
  expect(action.attrs['xsi:type']).toBe('ShowTaskpane');
  const url = resourceIds.get(all(action, (e) => e.name === 'SourceLocation')[0]?.attrs.resid as string);
  expect(url?.attrs.DefaultValue).toBe('https://localhost:3000/taskpane.html');
  expect(byName('SourceLocation').find((e) => e.attrs.DefaultValue)?.attrs.DefaultValue).toBe('https://localhost:3000/taskpane.html');
});

it('speaks Chinese wherever it speaks to the user', () => {
  const texts = [...byName('DisplayName'), ...byName('Description'), ...byName('bt:String')].filter(
    (e) => e.attrs.DefaultValue !== undefined && e.attrs.id !== 'Functions.Namespace',
  );
  expect(texts.length).toBeGreaterThan(5);
  for (const t of texts) {
    const zh = t.children.find((c) => c.name.endsWith('Override') && c.attrs.Locale === 'zh-CN');
    expect([t.attrs.id ?? t.name, zh?.attrs.Value !== undefined && zh.attrs.Value !== '']).toEqual([t.attrs.id ?? t.name, true]);
  }
  expect(byName('DefaultLocale')[0]?.text).toBe('en-US');
});

it('asks to read and write the workbook', () => {
  expect(byName('Permissions').map((p) => p.text.trim())).toEqual(['ReadWriteDocument']);
  expect(byName('Host').some((h) => h.attrs.Name === 'Workbook')).toBe(true);
});
