/**
 * One normalisation for text and terms alike, so that a term matches whatever
 * typography the outlet used: compatibility forms folded (NFKC), case folded,
 * accents dropped, every apostrophe one ', every hyphen or dash a space, every
 * run of whitespace one space.
 *
 * `map[i]` is the index in the source of the character that produced output
 * character i, so a match found in normalised text can be shown in the original.
 */
export interface NormalizedText {
  text: string;
  map: Int32Array;
}

const APOSTROPHES = /['\u2018\u2019\u201b\u02bc\u02b9\u0060\u00b4\u2032]/;
const DASHES = /[-\u2010-\u2015\u2212\u00ad\ufe58\ufe63\uff0d]/;
const SPACES = /[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]/;
const COMBINING = /\p{M}/u;

export function normalizeText(source: string): NormalizedText {
  const out: string[] = [];
  const map: number[] = [];
  let lastWasSpace = true; // drops leading spaces
  for (let i = 0; i < source.length; ) {
    const cp = source.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const width = ch.length;
    for (const folded of foldChar(ch)) {
      if (folded === ' ') {
        if (lastWasSpace) continue;
        lastWasSpace = true;
      } else lastWasSpace = false;
      out.push(folded);
      map.push(i);
    }
    i += width;
  }
  if (out[out.length - 1] === ' ') {
    out.pop();
    map.pop();
  }
  return { text: out.join(''), map: Int32Array.from(map) };
}

/** Normalised form only, for terms and keys. */
export function normalizeTerm(term: string): string {
  return normalizeText(term).text;
}

const foldCache = new Map<string, string[]>();

function foldChar(ch: string): string[] {
  const cached = foldCache.get(ch);
  if (cached) return cached;
  let result: string[];
  if (APOSTROPHES.test(ch)) result = ["'"];
  else if (DASHES.test(ch) || SPACES.test(ch)) result = [' '];
  else {
    const base = ch.normalize('NFKC').toLowerCase().normalize('NFD');
    result = [...base.replace(/\p{M}/gu, '').replace(/ß/g, 'ss').replace(/œ/g, 'oe').replace(/æ/g, 'ae')].map((c) =>
      SPACES.test(c) ? ' ' : c,
    );
    // A lone combining mark folds to nothing; that is the point.
    if (COMBINING.test(ch)) result = [];
  }
  if (foldCache.size < 10_000) foldCache.set(ch, result);
  return result;
}

/** Letters and digits in any script; everything else separates words. */
export function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}
