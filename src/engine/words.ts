import { coerceInput } from './coerce';
import { message, type Message } from './i18n/messages';
import type { CellValue } from './types';
import { badArgument, isObject, listOf, textOf } from './guard';

/**
 * Word lists for the categorical inputs (roles, stances, influence, need horizons), in English and
 * Chinese, declared once. Matching ignores case, spaces, hyphens and underscores.
 */
export const ROLE_WORDS = {
  economic: ['economic', 'economic buyer', 'decision maker', 'dm', '决策者', '经济买家', '拍板人'],
  user: ['user', 'user buyer', '使用者', '用户'],
  technical: ['technical', 'technical buyer', '技术', '技术买家', '技术把关者'],
  coach: ['coach', 'champion', '教练', '内线'],
  other: ['other', '其他'],
} as const;
export type Role = keyof typeof ROLE_WORDS;

export const STANCE_WORDS = {
  supporter: ['supporter', 'support', 'pleased', 'positive', '支持', '支持者', '满意'],
  neutral: ['neutral', '中立', '中性'],
  opponent: ['opponent', 'oppose', 'unhappy', 'negative', '反对', '反对者', '不满'],
} as const;
export type Stance = keyof typeof STANCE_WORDS;

export const INFLUENCE_WORDS = {
  high: ['high', 'h', '高'],
  medium: ['medium', 'mid', 'm', '中'],
  low: ['low', 'l', '低'],
} as const;
export type Influence = keyof typeof INFLUENCE_WORDS;

export const HORIZON_WORDS = {
  short: ['short', 'short term', 'short-term', '短期'],
  long: ['long', 'long term', 'long-term', '长期'],
} as const;
export type Horizon = keyof typeof HORIZON_WORDS;

/** The canonical form of a word or header: NFKC, lower case, without spaces, hyphens or underscores. */
export function normalizeWord(text: string): string {
  if (typeof text !== 'string') return '';
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-–—./()]+/g, '');
}

/** ASCII characters normalizeWord drops: white space, _ - . / ( ). */
const DROPPED_ASCII = ((): Uint8Array => {
  const table = new Uint8Array(128);
  for (const c of ' \t\n\v\f\r_-./()') table[c.charCodeAt(0)] = 1;
  return table;
})();

/**
 * A 53-bit hash of normalizeWord(text), -1 when that is empty: distinct names counted without
 * keeping them, as a streamed file must. ASCII text is hashed as it is read, without building the
 * word (NFKC leaves ASCII as it is); other text goes through normalizeWord.
 */
export function wordHash(text: string): number {
  if (typeof text !== 'string') return -1;
  const hash = new WordHasher();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) return new WordHasher().addAll(normalizeWord(text)).value();
    if (DROPPED_ASCII[c] !== 1) hash.add(c >= 65 && c <= 90 ? c + 32 : c);
  }
  return hash.value();
}

/** Two 32-bit FNV-1a-style halves over a word's UTF-16 code units: 32 + 21 bits. */
class WordHasher {
  private a = 0x811c9dc5;
  private b = 0x01000193;
  private length = 0;
  add(c: number): void {
    this.a = Math.imul(this.a ^ c, 0x01000193);
    this.b = Math.imul(this.b ^ c, 0x5bd1e995) ^ (this.b >>> 15);
    this.length++;
  }
  addAll(word: string): this {
    for (let i = 0; i < word.length; i++) this.add(word.charCodeAt(i));
    return this;
  }
  value(): number {
    return this.length === 0 ? -1 : (this.a >>> 0) * 0x200000 + ((this.b >>> 0) & 0x1fffff);
  }
}

type WordTable = Readonly<Record<string, readonly string[]>>;
const lookups = new WeakMap<WordTable, Map<string, string>>();

function lookupOf(table: WordTable): Map<string, string> {
  let map = lookups.get(table);
  if (!map) {
    map = new Map();
    for (const [id, words] of Object.entries(table)) for (const w of listOf<string>(words)) map.set(normalizeWord(w), id);
    lookups.set(table, map);
  }
  return map;
}

export type WordResult<T extends string> = { kind: 'value'; value: T } | { kind: 'blank' } | { kind: 'problem'; problem: Message };

/** Reads a categorical cell against a word table. */
export function readWord<T extends string>(raw: CellValue, table: Readonly<Record<T, readonly string[]>>, field: string): WordResult<T> {
  if (raw === null || raw === undefined) return { kind: 'blank' };
  const text = textOf(raw).trim();
  if (text === '') return { kind: 'blank' };
  if (!isObject(table)) return { kind: 'problem', problem: badArgument('table', 'a word table') };
  const id = lookupOf(table).get(normalizeWord(text));
  if (id !== undefined) return { kind: 'value', value: id as T };
  const expected = Object.keys(table).join(' / ');
  return { kind: 'problem', problem: message('unknownWord', { field: textOf(field), text, expected }) };
}

/** Reads a yes/no cell. */
export function readYesNo(raw: CellValue, field: string): WordResult<'yes' | 'no'> {
  const c = coerceInput(raw, { id: field, unit: 'rating', yes: 1, no: 0, validMin: 0, validMax: 1 });
  if (c.kind === 'value') return { kind: 'value', value: c.value >= 1 ? 'yes' : 'no' };
  if (c.kind === 'blank') return c;
  return { kind: 'problem', problem: message('unknownWord', { field: textOf(field), text: textOf(raw), expected: 'yes / no' }) };
}
