/**
 * A structural check of manifest.xml, since the online validator is unreachable here: well-formed
 * (xmllint, when installed), every resid defined, every icon present in assets/ at its stated size,
 * every URL on one host (and served by the build when dist/addin exists), the KAM namespace, the
 * zh-CN overrides, the ribbon button that opens the task pane, and ReadWriteDocument.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const MANIFEST = path.join(ROOT, 'manifest.xml');
const TEXT = fs.readFileSync(MANIFEST, 'utf8');

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
  const xmllint = spawnSync('xmllint', ['--version']);
  if (xmllint.error === undefined) execFileSync('xmllint', ['--noout', MANIFEST]);
  expect(doc.children.map((c) => c.name)).toEqual(['OfficeApp']);
  expect(doc.children[0]?.attrs['xsi:type']).toBe('TaskPaneApp');
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
    ...byName('bt:Image').filter((e) => e.attrs.id).map((e) => ({ url: e.attrs.DefaultValue as string, size: Number(/(\d+)x\d+/.exec(e.attrs.id as string)?.[1]) })),
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
    ...all(doc, (e) => ['IconUrl', 'HighResolutionIconUrl', 'SupportUrl', 'SourceLocation'].includes(e.name) && e.attrs.DefaultValue !== undefined).map((e) => e.attrs.DefaultValue as string),
    ...byName('bt:Url').map((e) => e.attrs.DefaultValue as string),
    ...byName('bt:Image').filter((e) => e.attrs.DefaultValue !== undefined).map((e) => e.attrs.DefaultValue as string),
    ...byName('bt:Override').filter((e) => /^https?:/.test(e.attrs.Value ?? '')).map((e) => e.attrs.Value as string),
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
  const texts = [...byName('DisplayName'), ...byName('Description'), ...byName('bt:String')].filter((e) => e.attrs.DefaultValue !== undefined && e.attrs.id !== 'Functions.Namespace');
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
