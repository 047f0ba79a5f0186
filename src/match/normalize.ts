import { decodeHTML } from 'entities';
import { inflectionKey } from './inflect.js';

/**
 * One normalisation for text and terms alike. Both are cut into words by
 * `tokenizeText`, and a word is compared through one of its forms:
 *
 *   NFKC (compatibility forms: ligatures, full-width letters) → case folding
 *   → accent folding (défense = defense = DÉFENSE, ŏ = o, œ = oe)
 *
 * Anything that is not a letter, digit or combining mark separates words, so
 * apostrophes of every kind (' ’ ‘ ʼ) and hyphens or dashes are boundaries:
 * "l'accord" is the words l + accord (French elision costs nothing), and
 * "Corée-du-Nord" is the same three words as "Corée du Nord". Soft hyphens and
 * zero-width characters join, since they sit inside words.
 *
 * Text is expected to be plain (the feed stage runs htmlToText), but leftovers of
 * double-escaped feeds are made harmless here too: tag-like runs (`<a href=…>`)
 * separate words and are never read, and character references (`d&eacute;fense`)
 * read as the character they stand for. Offsets always point into the source.
 */

/** The ways a word can be compared, from loosest to strictest. */
export interface WordForms {
  /** Folded and reduced to its light inflection key (aériennes → aerien). */
  key: string;
  /** Case and accents folded. */
  fold: string;
  /** Case folded, accents kept. */
  lower: string;
  /** Accents folded, case kept. */
  cased: string;
  /** NFKC only: case and accents kept. */
  exact: string;
}
export type FormKind = keyof WordForms;

export interface Token {
  /** [start, end) in the source text. */
  start: number;
  end: number;
  forms: WordForms;
  /** A line break or a sentence end (". ", "; ", "? "...) lies between this token and the previous one. */
  breakBefore: boolean;
}

/** Letters, digits, marks, plus the invisible characters that sit inside words. */
const WORD = /[\p{L}\p{N}\p{M}\u00ad\u200b-\u200d\u2060\ufeff\ue000]+/gu;
const JOINERS = /[\u00ad\u200b-\u200d\u2060\ufeff\ue000]/g;
// After NFKC: anything but a word character, and the modifier letters the tokenizer reads as apostrophes (ŉ → ʼn).
const NOT_WORD = /[^\p{L}\p{N}\p{M}]|[\u02b9-\u02bf\u02c8\u02ca\u02cb]/gu;
/** Modifier letters used as apostrophes or primes (P'yŏngyang with U+02BC): letters to Unicode, boundaries to a reader. */
const MODIFIER_APOSTROPHES = /[\u02b9-\u02bf\u02c8\u02ca\u02cb]/g;
const NEEDS_MASK = /[<&\u02b9-\u02bf\u02c8\u02ca\u02cb]/;
const TAG = /<(?:!--[\s\S]*?--|[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?|\/[a-z][a-z0-9-]*\s*|![a-z][^<>]*|\?[^<>]*)>/gi;
const ENTITY = /&(?:#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/gi;
const BREAK = /[\n\r\u2028\u2029]|[.!?;:…](?=[\s\u00a0])/;
/** Stands in for the rest of a decoded character reference, so offsets still line up. */
const FILLER = '\ue000';

/** Cuts text into words with their forms and offsets in `source`. */
export function tokenizeText(source: string): Token[] {
  const text = NEEDS_MASK.test(source) ? maskMarkup(source) : source;
  const tokens: Token[] = [];
  let previousEnd = 0;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    const raw = m[0];
    const forms = formsOf(raw);
    if (!forms) continue; // joiners or marks alone
    const start = m.index;
    const end = start + raw.length;
    const gap = start - previousEnd;
    const breakBefore = tokens.length > 0 && (gap > 1 || text.charCodeAt(previousEnd) !== 32) && BREAK.test(text.slice(previousEnd, start));
    tokens.push({ start, end, forms, breakBefore });
    previousEnd = end;
  }
  return tokens;
}

/** Same length as the source: tags become spaces, character references their character plus filler. */
function maskMarkup(source: string): string {
  return source
    .replace(TAG, (tag) => ' '.repeat(tag.length))
    .replace(ENTITY, (entity) => {
      const decoded = decodeHTML(entity);
      if (decoded === entity || decoded.length > entity.length) return entity;
      const pad = /[\p{L}\p{N}\p{M}]/u.test(decoded) ? FILLER : ' ';
      return decoded + pad.repeat(entity.length - decoded.length);
    })
    .replace(MODIFIER_APOSTROPHES, "'");
}

// Vocabulary repeats a lot across items: each distinct spelling is folded once.
const formsCache = new Map<string, WordForms | null>();
const FORMS_CACHE_LIMIT = 200_000;

function formsOf(raw: string): WordForms | null {
  let forms = formsCache.get(raw);
  if (forms !== undefined) return forms;
  // NFKC can expand one word character into several with a separator inside (⅐ → 1⁄7): keep
  // only word characters, so a normalised word is one word again and normalising is idempotent.
  const exact = raw.replace(JOINERS, '').normalize('NFKC').replace(NOT_WORD, '');
  if (!/[\p{L}\p{N}]/u.test(exact)) forms = null;
  else {
    const lower = exact.toLowerCase();
    forms = { exact, lower, cased: foldAccents(exact), fold: foldAccents(lower), key: foldAccents(inflectionKey(lower)) };
  }
  if (formsCache.size >= FORMS_CACHE_LIMIT) formsCache.clear();
  formsCache.set(raw, forms);
  return forms;
}

const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss', ẞ: 'SS', œ: 'oe', Œ: 'OE', æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ð: 'd', Ð: 'D', þ: 'th', Þ: 'TH', ı: 'i',
};
const SPECIAL = /[ßẞœŒæÆøØłŁđĐðÐþÞı]/g;

/** Drops diacritics (é → e, ŏ → o, ö → o) and spells out ligatures; Hangul and other scripts come back composed. */
export function foldAccents(word: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(word)) return word;
  return word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(SPECIAL, (c) => SPECIAL_LETTERS[c] ?? c)
    .normalize('NFC');
}

export interface NormalizedText {
  /** The folded words of the source, separated by single spaces. */
  text: string;
  /** `map[i]` is the index in the source of the character behind output character i. */
  map: Int32Array;
}

/** The text as matching sees it: folded words joined by spaces, with a map back to the source. */
export function normalizeText(source: string): NormalizedText {
  const parts: string[] = [];
  const map: number[] = [];
  for (const token of tokenizeText(source)) {
    if (parts.length > 0) {
      parts.push(' ');
      map.push(token.start - 1);
    }
    const word = token.forms.fold;
    const last = token.end - 1;
    parts.push(word);
    // Folding can change a word's length (œ → oe): map proportionally, clamped to the token.
    for (let i = 0; i < word.length; i++) map.push(Math.min(last, token.start + i));
  }
  return { text: parts.join(''), map: Int32Array.from(map) };
}

/** Normalised form only, for terms and keys: folded words joined by single spaces. */
export function normalizeTerm(term: string): string {
  return tokenizeText(term)
    .map((t) => t.forms.fold)
    .join(' ');
}

/** Letters and digits in any script; everything else separates words. */
export function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}
