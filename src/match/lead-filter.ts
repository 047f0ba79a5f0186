import { joinLeads, LEAD_LETTERS, leadOf, SHORT_LEAD_COUNT, SHORT_LEAD_SHIFT, UNKNOWN_LETTER } from './normalize.js';

/**
 * Which words of a text may start one of a watchlist's phrases, told by their
 * leads alone (their first five folded letters, `leadOf`): a word that fails
 * here is never looked up in the word table, and most words of a text fail,
 * whatever the number of terms. Never wrong the other way: a word it lets
 * through may still start nothing.
 *
 * Each phrase's first word gives the folded starts every word spelling it
 * begins with (`addStart`): the word itself (whole), or, for a prefix or an
 * inflected word, a start the word may run on from. A lead then passes when
 * its first three letters are those of some start (one bit per three letters),
 * and its five letters those of some start (a Bloom filter), or some start is
 * too short to tell past three letters.
 */
export class LeadFilter {
  /** One bit per three first letters (a short lead) some start has. */
  private readonly short = new Int32Array(SHORT_LEAD_COUNT >> 5);
  /** Short leads that say enough: a start of three or four letters that a word may run on from. */
  private readonly enough = new Int32Array(SHORT_LEAD_COUNT >> 5);
  /** Whole leads (five letters, or a shorter whole word), as a Bloom filter with one hash. */
  private readonly leads = new Int32Array(BLOOM_BITS >> 5);

  /** Words that are `start` (whole) or, when not whole, begin with it. */
  addStart(start: string, whole: boolean): void {
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

function bloomBit(lead: number): number {
  return Math.imul(lead, 0x9e3779b1) >>> 15;
}

function set(bits: Int32Array, bit: number): void {
  bits[bit >> 5]! |= 1 << (bit & 31);
}

function has(bits: Int32Array, bit: number): boolean {
  return (bits[bit >> 5]! & (1 << (bit & 31))) !== 0;
}
