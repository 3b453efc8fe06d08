import { usableRules } from './guard';
import type { RuleSet } from './rules/schema';

/**
 * A rule set's fingerprint: a short hash of its canonical text, the same on every machine, locale
 * and key order, so that a workbook can say which rules its results were computed with.
 */

/** SHA-256 of a text's UTF-8 bytes, as 64 hex digits (written here: the engine has no Node crypto). */
export function sha256Hex(text: unknown): string {
  const bytes = utf8(typeof text === 'string' ? text : '');
  const bitLength = bytes.length * 8;
  const padded = new Uint8Array(((bytes.length + 9 + 63) >> 6) << 6);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  // The length in bits, big-endian, in the last 8 bytes (texts here are far below 2^32 bits).
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 0x100000000));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const w = new Uint32Array(64);
  for (let block = 0; block < padded.length; block += 64) {
    for (let t = 0; t < 16; t++) w[t] = view.getUint32(block + t * 4);
    for (let t = 16; t < 64; t++) {
      const a = w[t - 15] as number;
      const b = w[t - 2] as number;
      const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
      const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
      w[t] = ((w[t - 16] as number) + s0 + (w[t - 7] as number) + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h as [number, number, number, number, number, number, number, number];
    for (let t = 0; t < 64; t++) {
      const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const choice = (e & f) ^ (~e & g);
      const t1 = (hh + s1 + choice + (K[t] as number) + (w[t] as number)) >>> 0;
      const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const majority = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (s0 + majority) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    const next = [a, b, c, d, e, f, g, hh];
    for (let i = 0; i < 8; i++) h[i] = ((h[i] as number) + (next[i] as number)) >>> 0;
  }
  return h.map((x) => x.toString(16).padStart(8, '0')).join('');
}

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = (() => {
  const primes: number[] = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  // Exact in doubles: the cube root's fraction times 2^32 keeps 32 bits well inside 53.
  return primes.map((p) => {
    const root = Math.cbrt(p);
    return Math.floor((root - Math.floor(root)) * 0x100000000) >>> 0;
  });
})();

function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0) as number;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // a lone surrogate, as TextEncoder writes it
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}

/**
 * JSON with object keys in code-unit order at every level (never localeCompare: the order must not
 * depend on the machine). Numbers are written as JSON writes them, which no locale changes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(Object.is(value, -0) ? 0 : value) : 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return 'null';
}

/** The rule set's canonical text (defaults filled in by the schema), or '' when it is no valid rule set. */
export function canonicalRules(rules: unknown): string {
  const usable = usableRules(rules);
  if (!usable) return '';
  try {
    return canonicalJson(usable);
  } catch {
    return '';
  }
}

/** 16 hex digits (64 bits) of SHA-256 over the canonical rules; '' for a value that is no valid rule set. */
export function rulesFingerprint(rules: unknown): string {
  const text = canonicalRules(rules);
  return text === '' ? '' : sha256Hex(text).slice(0, 16);
}

export type { RuleSet };
