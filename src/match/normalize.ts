import { createRequire } from 'node:module';
import { isBlockElement } from '../text/block-elements.js';
import { inflectionKey } from './inflect.js';

/**
 * One normalisation for text and terms alike. Both are cut into words by one
 * scan (`scanText`, into a reused TokenBuffer, as matching reads items;
 * `tokenizeText` gives the same words as Token objects), and a word is compared
 * through one of its forms:
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
  /** The word's entry in the word table (see TokenBuffer.words). */
  id: number;
}
export type FormKind = Exclude<keyof WordForms, 'id'>;

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

const JOINERS = /[\u00ad\u200b-\u200d\u2060\ufeff\ue000]/g;
// After NFKC: anything but a word character, and the modifier letters the tokenizer reads as apostrophes (ŉ → ʼn).
const NOT_WORD = /[^\p{L}\p{N}\p{M}]|[\u02b9-\u02bf\u02c8\u02ca\u02cb]/gu;
/** Modifier letters used as apostrophes or primes (P'yŏngyang with U+02BC): letters to Unicode, boundaries to a reader. */
const MODIFIER_APOSTROPHES = /[\u02b9-\u02bf\u02c8\u02ca\u02cb]/g;
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

/**
 * The words of one text in parallel arrays, reused from text to text: reading a
 * text allocates nothing per word. Token i spans [starts[i], ends[i]) of the
 * source; gaps[i] says what lies between it and token i − 1 (GAP_BREAK,
 * GAP_JOIN_WORDS, GAP_JOIN_ALWAYS bits); leads[i] is its lead (see `leadOf`).
 * A word is looked up in the word table only when asked (`wordAt`): a watchlist
 * reads the lead first, and most words of a text start nothing it looks for.
 */
export class TokenBuffer {
  /** The source whose words the buffer holds, so a text read again (by another watchlist) is not read twice. */
  source: string | null = null;
  /** The text the offsets point into, as scanned: the source, or the source with its markup masked. */
  scanned = '';
  /** The word table's generation the entries belong to (see `wordTableGeneration`). */
  generation = -1;
  length = 0;
  starts = new Int32Array(512);
  ends = new Int32Array(512);
  positions = new Int32Array(512);
  gaps = new Uint8Array(512);
  leads = new Int32Array(512);
  /** Entries in the word table, or UNRESOLVED until `wordAt` looks the word up. */
  private words = new Int32Array(512);

  push(start: number, end: number, word: number, lead: number, gap: number, position: number): void {
    const i = this.length;
    if (i === this.starts.length) this.grow();
    this.starts[i] = start;
    this.ends[i] = end;
    this.positions[i] = position;
    this.gaps[i] = gap;
    this.leads[i] = lead;
    this.words[i] = word;
    this.length = i + 1;
  }

  /** Token i's entry in the word table (its forms: `formsOfWord`). */
  wordAt(i: number): number {
    const word = this.words[i]!;
    if (word !== UNRESOLVED) return word;
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    // A word with a lead holds a letter or digit: the table always has an entry for it.
    const entry = WORDS.lookUp(this.scanned, start, end, hashOf(this.scanned, start, end));
    this.words[i] = entry;
    return entry;
  }

  /** Whether the buffer holds `source`'s words, read under the current word table. */
  holds(source: string): boolean {
    return this.source === source && this.generation === WORDS.generation;
  }

  /** Empties the buffer for `source`, read as `scanned`. */
  reset(source: string, scanned: string): void {
    this.source = source;
    this.scanned = scanned;
    this.generation = WORDS.generation;
    this.length = 0;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    this.starts = grownArray(this.starts, size);
    this.ends = grownArray(this.ends, size);
    this.positions = grownArray(this.positions, size);
    this.gaps = grownArray(this.gaps, size);
    this.leads = grownArray(this.leads, size);
    this.words = grownArray(this.words, size);
  }
}

const UNRESOLVED = -1;

const tokenizeBuffer = new TokenBuffer();

/** Cuts text into words with their forms and offsets in `source`. */
export function tokenizeText(source: string): Token[] {
  const buffer = scanText(source, tokenizeBuffer);
  const tokens: Token[] = [];
  for (let i = 0; i < buffer.length; i++) {
    const gap = buffer.gaps[i]!;
    tokens.push({
      start: buffer.starts[i]!,
      end: buffer.ends[i]!,
      forms: WORDS.formsOf(buffer.wordAt(i)),
      breakBefore: (gap & GAP_BREAK) !== 0,
      joinBefore: joinKindOf(gap),
      position: buffer.positions[i]!,
    });
  }
  return tokens;
}

function joinKindOf(gap: number): JoinKind {
  return gap & GAP_JOIN_ALWAYS ? 'always' : gap & GAP_JOIN_WORDS ? 'words' : 'never';
}

// What a character is to the scanner, filled in as characters are met (the regular expressions decide once per character).
const UNKNOWN = 0;
const OTHER = 1;
const WORD_CHAR = 2;
/** `<`, `&` and the modifier apostrophes: the text needs masking before it is read (see maskMarkup). */
const NEEDS_MASK = 3;
const charClasses = new Uint8Array(0x10000);
/** Letters, digits, marks, plus the invisible characters that sit inside words. */
const WORD_CHARACTER = /^[\p{L}\p{N}\p{M}\u00ad\u200b-\u200d\u2060\ufeff\ue000]$/u;
const MODIFIER_APOSTROPHE = /^[\u02b9-\u02bf\u02c8\u02ca\u02cb]$/;

function classOf(code: number): number {
  let c = charClasses[code]!;
  if (c === UNKNOWN) {
    const ch = String.fromCharCode(code);
    c = code === 0x3c || code === 0x26 || MODIFIER_APOSTROPHE.test(ch) ? NEEDS_MASK : WORD_CHARACTER.test(ch) ? WORD_CHAR : OTHER;
    if (c === WORD_CHAR) leadLetters[code] = simpleLeadLetter(code, ch);
    charClasses[code] = c;
  }
  return c;
}

/**
 * A word's lead: its first five folded letters, each as one of 62 letter
 * classes (`leadLetter`; 0 past the word's end), in one number (6 bits a
 * letter, the first letter highest). A watchlist knows which leads its phrases
 * can start with, so a word whose lead it does not know is never looked up (see
 * PhraseFinder).
 *
 * Read from the text's characters, before folding: only where each of the first
 * three characters folds to one letter whatever surrounds it (`simpleLeadLetter`).
 * Any other word (a joiner, a mark, a ligature or another script in its first
 * three characters) has no lead and is looked up as it is read. Past the third,
 * a character that is not simple leaves its letter and those after it unknown
 * (UNKNOWN_LETTER): the fold may be longer or shorter there.
 */
export function leadOf(folded: string): number {
  let lead = 0;
  for (let k = 0; k < LEAD_LETTERS; k++) lead = (lead << 6) | leadLetter(folded.charCodeAt(k));
  return lead;
}

/** Letters in a lead. */
export const LEAD_LETTERS = 5;
/** A lead's first three letters (`lead >>> SHORT_LEAD_SHIFT`), a number below SHORT_LEAD_COUNT. */
export const SHORT_LEAD_SHIFT = 12;
export const SHORT_LEAD_COUNT = 1 << 18;
/** A lead's first letter (`lead >>> FIRST_LEAD_LETTER_SHIFT`). */
export const FIRST_LEAD_LETTER_SHIFT = 24;
/** A letter past the third that the characters do not tell (see leadOf). */
export const UNKNOWN_LETTER = 63;
/** The words with no lead: they are looked up as they are read. */
const NO_LEAD = -1;

/** A folded letter's class in a lead, 1–62 (letters and digits of the Latin alphabet each have their own); 0 for no letter (NaN: past the word's end). */
export function leadLetter(code: number): number {
  if (Number.isNaN(code)) return 0;
  if (code >= 0x61 && code <= 0x7a) return code - 0x60; // a–z: 1–26
  if (code >= 0x30 && code <= 0x39) return code - 0x30 + 27; // 0–9: 27–36
  return 37 + (code % 26);
}

/**
 * The lead of a word of two to four letters read on into the next word (the
 * two may be one word written in two parts, Pyong Yang); NO_LEAD when the next
 * word has none.
 */
export function joinLeads(lead: number, next: number): number {
  if (next < 0) return NO_LEAD;
  const letters = ((lead >>> 6) & 63) !== 0 ? 4 : ((lead >>> 12) & 63) !== 0 ? 3 : 2;
  return lead | (next >>> (6 * letters));
}

/** The lead letter of each character (leadLetter of its fold); 0 for a character that is not simple. Filled with charClasses. */
const leadLetters = new Uint8Array(0x10000);

/** The lead letter of a character of a scanned word (see simpleLeadLetter); 0 when it is not simple. */
export function simpleLetterOf(code: number): number {
  return leadLetters[code]!;
}

/**
 * Whether a character folds to one letter or digit wherever it stands in a word,
 * and which (as leadLetter). Only Latin, Greek and Cyrillic letters can: their
 * letters never compose with a neighbouring letter (Hangul jamo do), and lower
 * case does not depend on the neighbours except for Σ (final sigma).
 */
function simpleLeadLetter(code: number, ch: string): number {
  if (!(code < 0x250 || (code >= 0x370 && code < 0x500)) || code === 0x3a3 || /\p{M}/u.test(ch)) return 0;
  // One character in lower case too (İ is i and a combining dot): inflection counts its letters.
  if (ch.normalize('NFKC').toLowerCase().length !== 1) return 0;
  const fold = computeForms(ch, -1)?.fold;
  return fold !== undefined && fold.length === 1 && /[\p{L}\p{N}]/u.test(fold) ? leadLetter(fold.charCodeAt(0)) : 0;
}

/** A character outside the BMP (a surrogate pair at i) that is a word character. */
function isAstralWordChar(text: string, i: number): boolean {
  const code = text.codePointAt(i)!;
  return code > 0xffff && WORD_CHARACTER.test(String.fromCodePoint(code));
}

/**
 * Reads `source` into `into` (emptied first) in one pass: finds each word, its
 * lead and the gap before it. A word with no lead is looked up at once (it may
 * hold no word at all: marks or joiners alone), the others when asked.
 * Markup and character references are masked first, only in a text that has them.
 */
export function scanText(source: string, into: TokenBuffer): TokenBuffer {
  // Only here, between texts, may the table start afresh: entries read so far stay valid while a text is matched.
  WORDS.clearWhenFull();
  into.reset(source, source);
  if (scanInto(source, into, false)) return into;
  const masked = maskMarkup(source);
  into.reset(source, masked);
  scanInto(masked, into, true);
  return into;
}

/** False when the text turns out to need masking (an unmasked text only). */
function scanInto(text: string, into: TokenBuffer, masked: boolean): boolean {
  const length = text.length;
  let previousEnd = 0;
  let position = -1;
  let i = 0;
  while (i < length) {
    let code = text.charCodeAt(i);
    let c = classOf(code);
    if (c !== WORD_CHAR) {
      if (c === NEEDS_MASK && !masked) return false;
      if (code >= 0xd800 && code <= 0xdbff && isAstralWordChar(text, i)) c = WORD_CHAR;
      else {
        i++;
        continue;
      }
    }
    const start = i;
    while (i < length) {
      code = text.charCodeAt(i);
      c = classOf(code);
      if (c === WORD_CHAR) i++;
      else if (code >= 0xd800 && code <= 0xdbff && isAstralWordChar(text, i)) i += 2;
      else {
        if (c === NEEDS_MASK && !masked) return false;
        break;
      }
    }
    const lead = leadAt(text, start, i);
    let word = UNRESOLVED;
    if (lead === NO_LEAD) {
      word = WORDS.lookUp(text, start, i, hashOf(text, start, i));
      if (word === -1) continue; // joiners or marks alone
    }
    let gap = 0;
    if (into.length > 0) {
      // Most gaps are one space: nothing to read (after a soft hyphen too, it is the same gap).
      gap = start - previousEnd === 1 && text.charCodeAt(previousEnd) === 32 ? GAP_JOIN_WORDS : readGap(text, previousEnd, start);
    }
    position += gap & GAP_JOIN_ALWAYS ? 0 : 1;
    into.push(start, i, word, lead, gap, position);
    previousEnd = i;
  }
  return true;
}

/** The lead of text[start, end), or NO_LEAD when one of its first three characters is not simple. */
function leadAt(text: string, start: number, end: number): number {
  // Unrolled: this runs for every word of every text.
  const length = end - start;
  const first = leadLetters[text.charCodeAt(start)]!;
  if (first === 0) return NO_LEAD;
  if (length === 1) return first << 24;
  const second = leadLetters[text.charCodeAt(start + 1)]!;
  if (second === 0) return NO_LEAD;
  if (length === 2) return (first << 24) | (second << 18);
  const third = leadLetters[text.charCodeAt(start + 2)]!;
  if (third === 0) return NO_LEAD;
  const lead = (first << 24) | (second << 18) | (third << 12);
  if (length === 3) return lead;
  const fourth = leadLetters[text.charCodeAt(start + 3)]!;
  if (fourth === 0) return lead | (UNKNOWN_LETTER << 6) | UNKNOWN_LETTER;
  if (length === 4) return lead | (fourth << 6);
  const fifth = leadLetters[text.charCodeAt(start + 4)]!;
  return lead | (fourth << 6) | (fifth === 0 ? UNKNOWN_LETTER : fifth);
}

function hashOf(text: string, start: number, end: number): number {
  let hash = HASH_SEED;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), HASH_PRIME);
  return hash;
}

// What a gap between two words is, as bits.
/** A paragraph break or a sentence end: a phrase stops there. */
export const GAP_BREAK = 1;
/** The two words may be read as one when they are real parts (see joinParts). */
export const GAP_JOIN_WORDS = 2;
/** The two words may always be read as one (line-end hyphenation, markup inside a word). */
export const GAP_JOIN_ALWAYS = 4;
const BREAK = GAP_BREAK;
const JOIN_WORDS = GAP_JOIN_WORDS;
const JOIN_ALWAYS = GAP_JOIN_ALWAYS;

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

/**
 * The `entities` package's decoder, loaded on the first character reference: its tables cost
 * every run that loads this module milliseconds, and most texts (a warm digest: none) have none.
 */
let decodeHTML: ((text: string) => string) | undefined;
function decodeReference(entity: string): string {
  decodeHTML ??= (createRequire(import.meta.url)('entities') as typeof import('entities')).decodeHTML;
  return decodeHTML(entity);
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
      const decoded = decodeReference(entity);
      if (decoded === entity || decoded.length > entity.length) return entity;
      const pad = /[\p{L}\p{N}\p{M}]/u.test(decoded) ? FILLER : MARKUP;
      return decoded + pad.repeat(entity.length - decoded.length);
    })
    .replace(MODIFIER_APOSTROPHES, "'");
}

const HASH_SEED = 0x811c9dc5 | 0;
const HASH_PRIME = 0x01000193;

/**
 * Every distinct spelling met, with its forms: vocabulary repeats a lot across
 * items, so each spelling is folded once. An open-addressing table keyed by the
 * word's characters in the text, hashed while scanning: a word already seen
 * costs no string. A slot holds the hash, the entry, the length and the first
 * INLINE characters, so looking up a short word reads one slot and nothing else
 * (on a large vocabulary the cost of a look-up is its cache misses).
 */
class WordTable {
  /** Bumped when the table starts afresh: entries of an older generation mean nothing. */
  generation = 0;
  /** SLOT ints per slot: hash, entry + 1 (negated for a spelling with no word in it; 0: empty), length, offset in `chars` of the characters past INLINE, then INLINE characters two per int. */
  private slots = new Int32Array(SLOT << 15);
  private chars = new Uint16Array(1 << 16);
  private charsUsed = 0;
  private forms: (WordForms | null)[] = [];

  /** The entry of text[start, end), whose characters hash to `hash`, added when new; -1 when it holds no word (joiners or marks alone). */
  lookUp(text: string, start: number, end: number, hash: number): number {
    const length = end - start;
    const slots = this.slots;
    const mask = slots.length / SLOT - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const at = s * SLOT;
      const entry = slots[at + 1]!;
      if (entry === 0) return this.add(text, start, end, hash, at);
      if (slots[at] !== hash || slots[at + 2] !== length || !this.sameChars(at, text, start, length)) continue;
      return entry > 0 ? entry - 1 : -1;
    }
  }

  private sameChars(at: number, text: string, start: number, length: number): boolean {
    const slots = this.slots;
    const inline = length < INLINE ? length : INLINE;
    let k = 0;
    for (; k + 1 < inline; k += 2) if (slots[at + 4 + (k >> 1)] !== (text.charCodeAt(start + k) | (text.charCodeAt(start + k + 1) << 16))) return false;
    if (k < inline && slots[at + 4 + (k >> 1)] !== text.charCodeAt(start + k)) return false;
    const offset = slots[at + 3]! - INLINE;
    const chars = this.chars;
    for (k = INLINE; k < length; k++) if (chars[offset + k] !== text.charCodeAt(start + k)) return false;
    return true;
  }

  lookUpString(word: string): number {
    return this.lookUp(word, 0, word.length, hashOf(word, 0, word.length));
  }

  formsOf(entry: number): WordForms {
    return this.forms[entry]!;
  }

  clearWhenFull(): void {
    if (this.forms.length < WORD_TABLE_LIMIT) return;
    this.slots.fill(0);
    this.charsUsed = 0;
    this.forms = [];
    this.generation++;
  }

  private add(text: string, start: number, end: number, hash: number, at: number): number {
    const entry = this.forms.length;
    const forms = computeForms(text.slice(start, end), entry);
    this.forms.push(forms);
    const length = end - start;
    const slots = this.slots;
    slots[at] = hash;
    slots[at + 1] = forms === null ? -(entry + 1) : entry + 1;
    slots[at + 2] = length;
    for (let k = 0; k < length && k < INLINE; k++) slots[at + 4 + (k >> 1)]! |= text.charCodeAt(start + k) << (k & 1 ? 16 : 0);
    if (length > INLINE) {
      const rest = length - INLINE;
      if (this.charsUsed + rest > this.chars.length) {
        const chars = new Uint16Array(Math.max(this.chars.length * 2, this.charsUsed + rest));
        chars.set(this.chars);
        this.chars = chars;
      }
      for (let k = 0; k < rest; k++) this.chars[this.charsUsed + k] = text.charCodeAt(start + INLINE + k);
      slots[at + 3] = this.charsUsed;
      this.charsUsed += rest;
    }
    if ((entry + 1) * 2 > slots.length / SLOT) this.grow();
    return forms === null ? -1 : entry;
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length / SLOT - 1;
    for (let from = 0; from < old.length; from += SLOT) {
      if (old[from + 1] === 0) continue;
      let s = old[from]! & mask;
      while (slots[s * SLOT + 1] !== 0) s = (s + 1) & mask;
      slots.set(old.subarray(from, from + SLOT), s * SLOT);
    }
    this.slots = slots;
  }
}

/** Characters kept in a word's slot: most words are this short. */
const INLINE = 8;
const SLOT = 4 + INLINE / 2;
const WORD_TABLE_LIMIT = 200_000;
const WORDS = new WordTable();

/** The forms of a word of a TokenBuffer. */
export function formsOfWord(word: number): WordForms {
  return WORDS.formsOf(word);
}

/** Entries of the word table change meaning when this does. */
export function wordTableGeneration(): number {
  return WORDS.generation;
}

/** Two words written as one (Pyong + Yang → Pyongyang): its entry in the word table, or -1 when they make no word. */
export function joinedWord(first: number, second: number): number {
  return WORDS.lookUpString(WORDS.formsOf(first).exact + WORDS.formsOf(second).exact);
}

function computeForms(raw: string, id: number): WordForms | null {
  // NFKC can expand one word character into several with a separator inside (⅐ → 1⁄7): keep
  // only word characters, so a normalised word is one word again and normalising is idempotent.
  const exact = raw.replace(JOINERS, '').normalize('NFKC').replace(NOT_WORD, '');
  if (!/[\p{L}\p{N}]/u.test(exact)) return null;
  const lower = exact.toLowerCase();
  return { exact, lower, cased: foldAccents(exact), fold: foldAccents(lower), key: foldAccents(inflectionKey(lower)), id };
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

/** A typed array of `length` starting with `from`'s values: how the matcher's reused buffers grow. */
export function grownArray<T extends Int32Array | Uint8Array>(from: T, length: number): T {
  const to = new (from.constructor as new (length: number) => T)(length);
  to.set(from);
  return to;
}
