/**
 * The run record in a package: custom document properties (docProps/custom.xml), which Excel
 * shows under File › Properties and Office.js reads as workbook.properties.custom. Our properties
 * (named `KAM.…`) are replaced; every other property keeps its bytes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Document, Element } from '@xmldom/xmldom';
import { children, escapeXml, NS, parseXml, relsPartOf, resolveTarget } from './xml';
import type { ZipPackage } from './zip';

const CUSTOM_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/custom-properties';
const VT_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes';
const CUSTOM_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties';
const CUSTOM_TYPE = 'application/vnd.openxmlformats-officedocument.custom-properties+xml';
/** The format id every custom property carries (the spec's fixed FMTID_UserDefinedProperties). */
const FMTID = '{D5CDD505-2E9C-101B-9397-08002B2CF9AE}';
const OUR_PREFIX = 'KAM.';

/** The package's custom properties part, from the root relationships (else the usual name). */
async function customPart(pkg: ZipPackage): Promise<{ part: string; related: boolean }> {
  if (pkg.has('_rels/.rels')) {
    const rels = parseXml(await pkg.text('_rels/.rels'), '_rels/.rels').documentElement as Element;
    const rel = children(rels, 'Relationship').find((r) => r.getAttribute('Type') === CUSTOM_REL && r.getAttribute('TargetMode') !== 'External');
    if (rel) return { part: resolveTarget('', rel.getAttribute('Target') ?? ''), related: true };
  }
  return { part: 'docProps/custom.xml', related: false };
}

/** The custom properties, name → value as text ('' for a value that is not text or a number). */
export async function readCustomProperties(pkg: ZipPackage): Promise<Record<string, string>> {
  const { part } = await customPart(pkg);
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!pkg.has(part)) return out;
  const root = parseXml(await pkg.text(part), part).documentElement as Element;
  for (const p of children(root, 'property')) {
    const name = p.getAttribute('name');
    if (name === null) continue;
    let valueEl = p.firstChild;
    while (valueEl && valueEl.nodeType !== 1) valueEl = valueEl.nextSibling;
    out[name] = valueEl?.textContent ?? '';
  }
  return out;
}

/** What to write so that the package holds `properties`: parts replaced or added, content types edited in place. */
export interface CustomPropertiesEdit {
  parts: Array<{ name: string; bytes: Buffer; isNew: boolean }>;
  typesChanged: boolean;
}

function propertyXml(prefix: string, name: string, pid: number, value: string, vt: string): string {
  const p = prefix ? `${prefix}:` : '';
  return `<${p}property fmtid="${FMTID}" pid="${pid}" name="${escapeXml(name)}"><${vt}:lpwstr>${escapeXml(value)}</${vt}:lpwstr></${p}property>`;
}

export async function customPropertiesEdit(pkg: ZipPackage, typesDoc: Document, properties: ReadonlyArray<readonly [string, string]>): Promise<CustomPropertiesEdit> {
  const { part, related } = await customPart(pkg);
  const parts: CustomPropertiesEdit['parts'] = [];
  let xml: string;
  if (pkg.has(part)) {
    const text = await pkg.text(part);
    const root = parseXml(text, part).documentElement as Element; // refuses a malformed part before we touch it
    const prefix = root.prefix ?? '';
    const vt = root.lookupPrefix(VT_NS) ?? 'vt';
    const p = prefix ? `${prefix}:` : '';
    // Our earlier properties go; the others stay as they were written.
    const ours = new RegExp(`<${p}property\\b[^>]*\\bname="${OUR_PREFIX.replace('.', '\\.')}[^"]*"[^>]*(?:/>|>[\\s\\S]*?</${p}property>)`, 'g');
    let kept = text.replace(ours, '');
    const pids = children(root, 'property')
      .filter((e) => !(e.getAttribute('name') ?? '').startsWith(OUR_PREFIX))
      .map((e) => Number(e.getAttribute('pid')) || 0);
    let pid = Math.max(1, ...pids);
    const added = properties.map(([name, value]) => propertyXml(prefix, name, ++pid, value, vt)).join('');
    if (!root.lookupPrefix(VT_NS)) kept = kept.replace(new RegExp(`<${p}Properties\\b`), `$& xmlns:vt="${VT_NS}"`);
    const close = kept.lastIndexOf(`</${p}Properties>`);
    xml = close < 0 ? kept.replace(/\/>\s*$/, `>${added}</${p}Properties>`) : `${kept.slice(0, close)}${added}${kept.slice(close)}`;
    parseXml(xml, part);
  } else {
    let pid = 1;
    xml =
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
      `<Properties xmlns="${CUSTOM_NS}" xmlns:vt="${VT_NS}">${properties.map(([name, value]) => propertyXml('', name, ++pid, value, 'vt')).join('')}</Properties>`;
  }
  parts.push({ name: part, bytes: Buffer.from(xml, 'utf8'), isNew: !pkg.has(part) });

  // The root relationship to the part, added as text so the others keep their bytes.
  if (!related) {
    const relsPart = relsPartOf('');
    const rel = (id: string): string => `<Relationship Id="${id}" Type="${CUSTOM_REL}" Target="${part}"/>`;
    if (pkg.has(relsPart)) {
      const text = await pkg.text(relsPart);
      const rels = parseXml(text, relsPart).documentElement as Element;
      const ids = new Set(children(rels, 'Relationship').map((r) => r.getAttribute('Id')));
      let n = 1;
      while (ids.has(`rId${n}`)) n++;
      const p = rels.prefix ? `${rels.prefix}:` : '';
      const close = text.lastIndexOf(`</${p}Relationships>`);
      const edited = close < 0 ? text.replace(/\/>\s*$/, `>${rel(`rId${n}`)}</${p}Relationships>`) : `${text.slice(0, close)}${rel(`rId${n}`)}${text.slice(close)}`;
      parts.push({ name: relsPart, bytes: Buffer.from(edited, 'utf8'), isNew: false });
    } else {
      const text = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.pkgRel}">${rel('rId1')}</Relationships>`;
      parts.push({ name: relsPart, bytes: Buffer.from(text, 'utf8'), isNew: true });
    }
  }

  // Its content type, unless the package declares it already.
  const types = typesDoc.documentElement as Element;
  const declared = children(types, 'Override').some((o) => (o.getAttribute('PartName') ?? '').replace(/^\//, '').toLowerCase() === part.toLowerCase());
  if (!declared) {
    const override = typesDoc.createElementNS(NS.types, types.prefix ? `${types.prefix}:Override` : 'Override');
    override.setAttribute('PartName', `/${part}`);
    override.setAttribute('ContentType', CUSTOM_TYPE);
    types.appendChild(override);
  }
  return { parts, typesChanged: !declared };
}

/** The product's version, from the nearest package.json above this module (src/ under tests, dist/ when built). */
export function productVersion(): string {
  for (let dir = __dirname, i = 0; i < 6; dir = path.dirname(dir), i++) {
    const file = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.version) return pkg.version;
    } catch {
      // not here: look one folder up
    }
  }
  return 'unknown';
}
