import { decodeHTML } from 'entities';
import { isBlockElement } from '../text/block-elements.js';
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
 * What lies between two words decides whether a phrase may run across it (see
 * `Token.breakBefore`) and whether the two words may be read as one
 * (`Token.joinBefore`): white space, a single line break, inline markup and
 * soft hyphens are a gap; a paragraph break (a blank line, a block tag) and
 * the end of a sentence are not.
 *
 * Text is expected to be plain (the feed stage runs htmlToText), but leftovers of
 * double-escaped feeds are made harmless here too: tag-like runs (`<a href=…>`)
 * are never read (an inline tag is a gap, <br> a line break, a block tag a
 * paragraph break), and character references (`d&eacute;fense`) read as the
 * character they stand for. Offsets always point into the source.
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
  /** A paragraph break (blank line, block tag) or a sentence end (". ", "; ", "? "...) lies between this token and the previous one. */
  breakBefore: boolean;
  /**
   * Whether this token and the previous one may be read as one word (Pyong-Yang = Pyongyang):
   * `never` across anything but a gap; `always` when only a hyphen or soft hyphen and a line
   * break, or only markup, separate them (line-end hyphenation, Pyong<b>yang</b>); `words` when
   * a space, a line break or one hyphen does: then joinParts decides by the words themselves.
   */
  joinBefore: JoinKind;
  /** The word's rank as a reader counts words (for NEAR): the part after a line-end hyphenation shares its first part's. */
  position: number;
}

export type JoinKind = 'never' | 'words' | 'always';

/** Letters, digits, marks, plus the invisible characters that sit inside words. */
const WORD = /[\p{L}\p{N}\p{M}\u00ad\u200b-\u200d\u2060\ufeff\ue000]+/gu;
const JOINERS = /[\u00ad\u200b-\u200d\u2060\ufeff\ue000]/g;
// After NFKC: anything but a word character, and the modifier letters the tokenizer reads as apostrophes (ŉ → ʼn).
const NOT_WORD = /[^\p{L}\p{N}\p{M}]|[\u02b9-\u02bf\u02c8\u02ca\u02cb]/gu;
/** Modifier letters used as apostrophes or primes (P'yŏngyang with U+02BC): letters to Unicode, boundaries to a reader. */
const MODIFIER_APOSTROPHES = /[\u02b9-\u02bf\u02c8\u02ca\u02cb]/g;
const NEEDS_MASK = /[<&\u02b9-\u02bf\u02c8\u02ca\u02cb]/;
const TAG = /<(?:!--[\s\S]*?--|[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?|\/[a-z][a-z0-9-]*\s*|![a-z][^<>]*|\?[^<>]*)>/gi;
const TAG_NAME = /^<\/?([a-z][a-z0-9-]*)/i;
const ENTITY = /&(?:#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/gi;
/** Stands in for the rest of a decoded character reference, so offsets still line up. */
const FILLER = '\ue000';
/** Stands in for a masked inline tag: neither a word character nor a space. */
const MARKUP = '\ue001';
/** Stand for a masked <br> and block tag, as in htmlToText. */
const LINE_SEPARATOR = '\u2028';
const PARAGRAPH_SEPARATOR = '\u2029';
const SOFT_HYPHEN = 0xad;

/** Cuts text into words with their forms and offsets in `source`. */
export function tokenizeText(source: string): Token[] {
  const text = NEEDS_MASK.test(source) ? maskMarkup(source) : source;
  const tokens: Token[] = [];
  let previousEnd = 0;
  let position = -1;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    const raw = m[0];
    const forms = formsOf(raw);
    if (!forms) continue; // joiners or marks alone
    const start = m.index;
    const end = start + raw.length;
    let breakBefore = false;
    let joinBefore: JoinKind = 'never';
    if (tokens.length > 0) {
      // Most gaps are one space: nothing to read (after a soft hyphen too, it is the same gap).
      const gap = start - previousEnd === 1 && text.charCodeAt(previousEnd) === 32 ? GAP_SPACE : readGap(text, previousEnd, start);
      breakBefore = (gap & BREAK) !== 0;
      joinBefore = gap & JOIN_ALWAYS ? 'always' : gap & JOIN_WORDS ? 'words' : 'never';
    }
    position += joinBefore === 'always' ? 0 : 1;
    tokens.push({ start, end, forms, breakBefore, joinBefore, position });
    previousEnd = end;
  }
  return tokens;
}

// What a gap between two words is, as bits.
const BREAK = 1;
const JOIN_WORDS = 2;
const JOIN_ALWAYS = 4;
const GAP_SPACE = JOIN_WORDS;

/** Every hyphen-like character is one hyphen: ASCII, U+2010–U+2015, minus sign, small and full-width hyphen-minus. */
export function isHyphen(code: number): boolean {
  return code === 0x2d || (code >= 0x2010 && code <= 0x2015) || code === 0x2212 || code === 0xfe63 || code === 0xff0d;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 0x0b || code === 0x0c || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x202f || code === 0x205f || code === 0x3000;
}

/** . ! ? ; : … */
function isSentenceEnd(code: number): boolean {
  return code === 0x2e || code === 0x21 || code === 0x3f || code === 0x3b || code === 0x3a || code === 0x2026;
}

/** Closing quotes and brackets may stand between a sentence's end and the space after it ('Corée." Du'). */
function isCloser(code: number): boolean {
  return code === 0x22 || code === 0x27 || code === 0xbb || code === 0x201d || code === 0x2019 || code === 0x29 || code === 0x5d;
}

/**
 * Reads the characters between two words (masked text, [from, to)): a break when
 * they hold a paragraph break or a sentence end followed by white space; otherwise
 * whether the words may join, by what separates them.
 */
function readGap(text: string, from: number, to: number): number {
  let spaces = 0;
  let lines = 0;
  let brs = 0;
  let hyphens = 0;
  let soft = text.charCodeAt(from - 1) === SOFT_HYPHEN;
  let spaceBeforeHyphen = false;
  let other = false;
  let paragraph = false;
  let sentenceEnd = false;
  let pendingEnd = false;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13 || code === 0x85) {
      if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
      lines++;
      if (pendingEnd) sentenceEnd = true;
    } else if (code === 0x2028) {
      brs++;
      if (pendingEnd) sentenceEnd = true;
    } else if (isSpace(code)) {
      spaces++;
      if (pendingEnd) sentenceEnd = true;
    } else if (code === 0x2029) paragraph = true;
    else if (code === 0xe001 || code === 0xe000 || code === 0x200b || code === 0x200c || code === 0x200d || code === 0x2060 || code === 0xfeff) {
      // markup and invisible characters: nothing between the words
    } else if (code === SOFT_HYPHEN) soft = true;
    else if (isHyphen(code)) {
      if (hyphens === 0 && spaces + lines > 0) spaceBeforeHyphen = true;
      hyphens++;
      pendingEnd = false;
    } else {
      other = true;
      if (isSentenceEnd(code)) pendingEnd = true;
      else if (!(pendingEnd && isCloser(code))) pendingEnd = false;
    }
  }
  // As in htmlToText: a <br> and the line break after it in the source are one line.
  if (paragraph || lines >= 2 || brs >= 2 || sentenceEnd) return BREAK;
  lines += brs;
  if (other || hyphens > 1 || spaceBeforeHyphen) return 0;
  if (hyphens === 1 || soft) return lines > 0 || (soft && hyphens === 0 && spaces === 0) ? JOIN_ALWAYS : JOIN_WORDS;
  return spaces + lines === 0 ? JOIN_ALWAYS : JOIN_WORDS;
}

/** Same length as the source: tags become markup filler (a <br> a line break, a block tag a paragraph break), character references their character plus filler. */
function maskMarkup(source: string): string {
  return source
    .replace(TAG, (tag) => {
      const name = TAG_NAME.exec(tag)?.[1]?.toLowerCase();
      const mark = name === 'br' ? LINE_SEPARATOR : name !== undefined && isBlockElement(name) ? PARAGRAPH_SEPARATOR : MARKUP;
      return mark + MARKUP.repeat(tag.length - 1);
    })
    .replace(ENTITY, (entity) => {
      const decoded = decodeHTML(entity);
      if (decoded === entity || decoded.length > entity.length) return entity;
      const pad = /[\p{L}\p{N}\p{M}]/u.test(decoded) ? FILLER : MARKUP;
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
  forms = computeForms(raw);
  if (formsCache.size >= FORMS_CACHE_LIMIT) formsCache.clear();
  formsCache.set(raw, forms);
  return forms;
}

function computeForms(raw: string): WordForms | null {
  // NFKC can expand one word character into several with a separator inside (⅐ → 1⁄7): keep
  // only word characters, so a normalised word is one word again and normalising is idempotent.
  const exact = raw.replace(JOINERS, '').normalize('NFKC').replace(NOT_WORD, '');
  if (!/[\p{L}\p{N}]/u.test(exact)) return null;
  const lower = exact.toLowerCase();
  return { exact, lower, cased: foldAccents(exact), fold: foldAccents(lower), key: foldAccents(inflectionKey(lower)) };
}

// Two words read as one are looked up rarely and vary a lot: their own cache, so they never push words out.
const joinedCache = new Map<string, WordForms | null>();
const JOINED_CACHE_LIMIT = 20_000;

/** The forms of two words written as one (Pyong + Yang → Pyongyang); null when they make no word. */
export function joinedForms(first: WordForms, second: WordForms): WordForms | null {
  const raw = first.exact + second.exact;
  let forms = joinedCache.get(raw);
  if (forms !== undefined) return forms;
  forms = computeForms(raw);
  if (joinedCache.size >= JOINED_CACHE_LIMIT) joinedCache.clear();
  joinedCache.set(raw, forms);
  return forms;
}

const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'SS',
  œ: 'oe',
  Œ: 'OE',
  æ: 'ae',
  Æ: 'AE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'TH',
  ı: 'i',
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
