import { joinLeads, LEAD_LETTERS, leadLetter, leadOf, SHORT_LEAD_COUNT, SHORT_LEAD_SHIFT, simpleLetterOf, UNKNOWN_LETTER } from './normalize.js';

/**
 * Which words of a text may start one of a watchlist's phrases, told by their
 * leads alone (their first five folded letters, `leadOf`): a word that fails
 * here is never looked up in the word table, and most words of a text fail,
 * whatever the number of terms. Never wrong the other way: a word it lets
 * through may still start nothing.
 *
 * Each phrase's first word gives the folded starts every word spelling it
 * begins with: the word itself (`addWhole`), or, for a prefix or an inflected
 * word, a start the word may run on from (`addPrefix`, `addInflected`). A lead then passes when
 * its first three letters are those of some start (one bit per three letters),
 * and its five letters those of some start (a Bloom filter), or some start is
 * too short to tell past three letters.
 *
 * A word that passes is then read whole (`readWhole`): its folded
 * letters, hashed as the scan reads them, must be one of the words a phrase can
 * start with (a whole word, or an inflected start plus one of the endings
 * inflection strips), or begin with a prefix. Where the five-letter lead lets
 * through every word that shares a term's first letters (many, when a
 * watchlist has hundreds of terms), this lets through little more than the
 * words that do start a phrase.
 */
export class LeadFilter {
  /** One bit per three first letters (a short lead) some start has. */
  private readonly short = new Int32Array(SHORT_LEAD_COUNT >> 5);
  /** Short leads that say enough: a start of three or four letters that a word may run on from. */
  private readonly enough = new Int32Array(SHORT_LEAD_COUNT >> 5);
  /** Whole leads (five letters, or a shorter whole word), as a Bloom filter with one hash. */
  private readonly leads = new Int32Array(BLOOM_BITS >> 5);
  /** Whole words, prefixes and first parts (by their folded letters and kind), as a Bloom filter with one hash. */
  private readonly exact = new Int32Array(EXACT_BITS >> 5);
  /** Bit m: some prefix of m letters (m < 32). */
  private prefixLengths = 0;

  /** Words whose fold is `word`. */
  addWhole(word: string): void {
    this.addLead(word, true);
    set(this.exact, exactBit(foldedHash(word), word.length, WHOLE));
  }

  /** Words whose fold is `start` followed by one of `endings` (folded; '' for none). */
  addInflected(start: string, endings: readonly string[]): void {
    this.addLead(start, false);
    for (const ending of endings) set(this.exact, exactBit(foldedHash(start + ending), start.length + ending.length, WHOLE));
  }

  /** Words whose fold begins with `prefix`. */
  addPrefix(prefix: string): void {
    this.addLead(prefix, false);
    // Past what the length mask holds, a prefix of 31 letters says less, never wrongly.
    const known = prefix.slice(0, 31);
    this.prefixLengths |= 1 << known.length;
    set(this.exact, exactBit(foldedHash(known), known.length, PREFIX));
  }

  /**
   * Words that may be the first part of a phrase's first word written in two
   * (Pyong Yang): starts of that word's core of two letters or more.
   */
  addFirstPart(part: string): void {
    set(this.exact, exactBit(foldedHash(part), part.length, FIRST_PART));
  }

  private addLead(start: string, whole: boolean): void {
    if (whole || start.length >= LEAD_LETTERS) {
      const lead = leadOf(start);
      set(this.short, lead >>> SHORT_LEAD_SHIFT);
      set(this.leads, bloomBit(lead));
      return;
    }
    // Every short lead that begins with the start.
    const known = leadOf(start) >>> SHORT_LEAD_SHIFT;
    const free = start.length >= 3 ? 0 : (1 << (6 * (3 - start.length))) - 1;
    for (let rest = 0; rest <= free; rest++) {
      set(this.short, known | rest);
      set(this.enough, known | rest);
    }
  }

  /** Whether a word with this lead may start some phrase. */
  mayStart(lead: number): boolean {
    const short = lead >>> SHORT_LEAD_SHIFT;
    if (!has(this.short, short)) return false;
    return has(this.enough, short) || (lead & 63) === UNKNOWN_LETTER || has(this.leads, bloomBit(lead));
  }

  /**
   * What text[start, end), a word whose lead mayStart let through, may be, read
   * whole: MAY_START (some phrase may start with it), MAY_BE_FIRST_PART (it
   * starts a phrase's first word's core, addFirstPart: it may start one read as
   * one with the next word), both, or neither. A word with a character that is
   * not simple (see `simpleLetterOf`) may be both.
   */
  readWhole(text: string, start: number, end: number): number {
    const prefixes = this.prefixLengths;
    let hash = HASH_SEED;
    for (let i = start; i < end; i++) {
      const letter = simpleLetterOf(text.charCodeAt(i));
      if (letter === 0) return MAY_START | MAY_BE_FIRST_PART;
      hash = Math.imul(hash ^ letter, HASH_PRIME);
      const length = i - start + 1;
      if (prefixes !== 0 && length < 32 && ((prefixes >>> length) & 1) !== 0 && has(this.exact, exactBit(hash, length, PREFIX))) return MAY_START;
    }
    const length = end - start;
    return has(this.exact, exactBit(hash, length, WHOLE)) ? MAY_START : has(this.exact, exactBit(hash, length, FIRST_PART)) ? MAY_BE_FIRST_PART : 0;
  }

  /**
   * Whether a word with this lead, that mayStart refused, read as one with the
   * next word (whose lead is `next`, -1 for none) may start some phrase. A first
   * part of one letter only joins where the join is certain, which the caller
   * does not ask about; past two letters, the first three are the word's own.
   */
  mayStartJoined(lead: number, next: number): boolean {
    if (((lead >>> 18) & 63) === 0 || (lead & 63) !== 0) return false; // one letter; five or more
    if (((lead >>> 12) & 63) !== 0 && !has(this.short, lead >>> SHORT_LEAD_SHIFT)) return false;
    const joined = joinLeads(lead, next);
    return joined < 0 || this.mayStart(joined);
  }
}

const BLOOM_BITS = 1 << 17;

// What readWhole says of a word.
export const MAY_START = 1;
export const MAY_BE_FIRST_PART = 2;

const EXACT_BITS_LOG2 = 18;
const EXACT_BITS = 1 << EXACT_BITS_LOG2;
// What a (length, hash) pair of the exact filter stands for.
const WHOLE = 0;
const PREFIX = 1;
const FIRST_PART = 2;
const HASH_SEED = 0x811c9dc5 | 0;
const HASH_PRIME = 0x01000193;

/** The hash of a folded word's letters (as leadLetter classes), as readWhole computes it from the text. */
function foldedHash(folded: string): number {
  let hash = HASH_SEED;
  for (let k = 0; k < folded.length; k++) hash = Math.imul(hash ^ leadLetter(folded.charCodeAt(k)), HASH_PRIME);
  return hash;
}

function exactBit(hash: number, length: number, kind: number): number {
  return Math.imul(hash ^ (length << 2) ^ kind, 0x9e3779b1) >>> (32 - EXACT_BITS_LOG2);
}

function bloomBit(lead: number): number {
  return Math.imul(lead, 0x9e3779b1) >>> 15;
}

function set(bits: Int32Array, bit: number): void {
  bits[bit >> 5]! |= 1 << (bit & 31);
}

function has(bits: Int32Array, bit: number): boolean {
  return (bits[bit >> 5]! & (1 << (bit & 31))) !== 0;
}
