/**
 * MinHash over word shingles: a fixed-size summary of a text from which the
 * Jaccard similarity of two texts' shingle sets can be estimated, and from which
 * LSH band keys are cut so that likely duplicates are found without comparing
 * every pair (Broder 1997; Leskovec, Rajaraman, Ullman, "Mining of Massive
 * Datasets", ch. 3). Pure.
 */

/** Words per shingle: 3 keeps shared vocabulary ("kim jong un") from looking like shared text. */
export const SHINGLE_WORDS = 3;
/** Hash functions per MinHash; the estimate's standard error is sqrt(J(1-J)/128): 0.037 near the threshold. */
export const MINHASH_SIZE = 128;
/** LSH rows per band: two MinHash values must agree for a band to match. */
export const BAND_ROWS = 2;

const COMBINING_MARKS = /\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/u;

/**
 * Words of a text, folded as normalizeTerm folds them (compatibility forms, case,
 * accents, œ/æ/ß): a fingerprint needs words, not the offset map normalizeText
 * builds character by character. The fold is one character's at a time (NFKD
 * reorders only combining marks, which go; lower case looks at its neighbours
 * only for a capital sigma), so one scan with a table of each character's fold
 * gives the words that folding and splitting the whole string give, several
 * times faster: the Unicode passes and the split were most of the cost of a
 * signature, and of detecting a language.
 */
export function tokenizeText(text: string): string[] {
  // A capital sigma lowers by its neighbours; a surrogate pair is one character of two units.
  if (WHOLE_FOLD.test(text)) return foldWords(text);
  const words: string[] = [];
  let word = '';
  // The current stretch of ASCII letters and digits, appended to `word` in one slice.
  let from = 0;
  let upper = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) continue;
      if (c >= 0x41 && c <= 0x5a) {
        upper = true;
        continue;
      }
      word += upper ? text.slice(from, i).toLowerCase() : text.slice(from, i);
      if (word.length > 0) words.push(word);
      word = '';
    } else {
      if (i > from) word += upper ? text.slice(from, i).toLowerCase() : text.slice(from, i);
      const fold = foldOf(c);
      if (typeof fold === 'string') word += fold;
      else {
        word += fold[0]!;
        for (let p = 1; p < fold.length; p++) {
          if (word.length > 0) words.push(word);
          word = fold[p]!;
        }
      }
    }
    from = i + 1;
    upper = false;
  }
  word += upper ? text.slice(from).toLowerCase() : text.slice(from);
  if (word.length > 0) words.push(word);
  return words;
}

const WHOLE_FOLD = /[Σ\ud800-\udfff]/;

/** The fold of one character beyond ASCII: a string of letters and digits (maybe empty), or the pieces a separator in it cuts. */
function foldOf(code: number): string | readonly string[] {
  let fold = folds[code];
  if (fold === undefined) {
    const pieces = foldString(String.fromCharCode(code)).split(NOT_WORD);
    fold = pieces.length === 1 ? pieces[0]! : pieces;
    folds[code] = fold;
  }
  return fold;
}
/** Filled as characters are met: a text meets few of them. */
const folds: (string | readonly string[] | undefined)[] = new Array(0x10000);

function foldString(text: string): string {
  return text.normalize('NFKD').toLowerCase().replace(COMBINING_MARKS, '').replace(/ß/g, 'ss').replace(/œ/g, 'oe').replace(/æ/g, 'ae');
}

/** Folding and splitting the whole string: tokenizeText for a text with a capital sigma or a surrogate pair. */
function foldWords(text: string): string[] {
  return foldString(text)
    .split(NOT_WORD)
    .filter((w) => w.length > 0);
}

/** Int32: the MinHash loop works in int32 arithmetic. */
const SEEDS: Int32Array = (() => {
  const seeds = new Int32Array(MINHASH_SIZE);
  let state = 0x9e3779b9;
  for (let i = 0; i < MINHASH_SIZE; i++) {
    state = fmix32((state + 0x6d2b79f5) >>> 0);
    seeds[i] = state;
  }
  return seeds;
})();

/** A MinHash as stored: 16 bits of each value, as 4 hex digits (MINHASH_SIZE * 4 characters). */
export type MinHashHex = string;

/**
 * MinHashes of the 3-word shingles of the first `leadWords` and of the first
 * `bodyWords` words, in one pass (the lead's shingles are a prefix of the body's).
 * A text shorter than a shingle is one shingle. Returns the full 32-bit values (for
 * band keys) and the stored form: b-bit MinHash (Li and König 2010) keeping 16 bits,
 * which adds 1/65536 to the chance that two values agree: a bias of 0.00002 on the
 * Jaccard estimate, for a quarter of the size of a number[].
 */
export function minHashLeadAndBody(words: readonly string[], leadWords: number, bodyWords: number): { lead: Uint32Array; body: Uint32Array } | null {
  const n = Math.min(words.length, bodyWords);
  if (n === 0) return null;
  const wordHashes = new Uint32Array(n);
  for (let i = 0; i < n; i++) wordHashes[i] = hashString(words[i]!);
  const shingleCount = Math.max(1, n - SHINGLE_WORDS + 1);
  const leadShingles = Math.max(1, Math.min(n, leadWords) - SHINGLE_WORDS + 1);
  const shingles = new Int32Array(shingleCount);
  for (let s = 0; s < shingleCount; s++) {
    let x = 0x811c9dc5;
    for (let w = s; w < Math.min(n, s + SHINGLE_WORDS); w++) x = fmix32((x ^ wordHashes[w]!) >>> 0) + w - s;
    shingles[s] = x;
  }
  // 128 hashes a shingle are most of a signature's cost. Four hash functions at a time over every
  // shingle, their minimums in locals: four independent chains of multiplies keep the CPU busy
  // where one waits on each (1.6x). fmix32 inline in int32 arithmetic, each value with its top
  // bit flipped, so that a signed comparison orders them as unsigned ones (no double in the loop).
  const body = new Uint32Array(MINHASH_SIZE);
  const lead = leadShingles < shingleCount ? new Uint32Array(MINHASH_SIZE) : body;
  for (let i = 0; i < MINHASH_SIZE; i += 4) {
    const s0 = SEEDS[i]!;
    const s1 = SEEDS[i + 1]!;
    const s2 = SEEDS[i + 2]!;
    const s3 = SEEDS[i + 3]!;
    let m0 = 0x7fffffff;
    let m1 = 0x7fffffff;
    let m2 = 0x7fffffff;
    let m3 = 0x7fffffff;
    let s = 0;
    // First the lead's shingles, then the rest of the body's.
    for (let end = Math.min(leadShingles, shingleCount); ; end = shingleCount) {
      for (; s < end; s++) {
        const x = shingles[s]!;
        let a = x ^ s0;
        let b = x ^ s1;
        let c = x ^ s2;
        let d = x ^ s3;
        a ^= a >>> 16;
        b ^= b >>> 16;
        c ^= c >>> 16;
        d ^= d >>> 16;
        a = Math.imul(a, 0x85ebca6b);
        b = Math.imul(b, 0x85ebca6b);
        c = Math.imul(c, 0x85ebca6b);
        d = Math.imul(d, 0x85ebca6b);
        a ^= a >>> 13;
        b ^= b >>> 13;
        c ^= c >>> 13;
        d ^= d >>> 13;
        a = Math.imul(a, 0xc2b2ae35);
        b = Math.imul(b, 0xc2b2ae35);
        c = Math.imul(c, 0xc2b2ae35);
        d = Math.imul(d, 0xc2b2ae35);
        a ^= (a >>> 16) ^ 0x80000000;
        b ^= (b >>> 16) ^ 0x80000000;
        c ^= (c >>> 16) ^ 0x80000000;
        d ^= (d >>> 16) ^ 0x80000000;
        if (a < m0) m0 = a;
        if (b < m1) m1 = b;
        if (c < m2) m2 = c;
        if (d < m3) m3 = d;
      }
      const into = end === shingleCount ? body : lead;
      into[i] = m0 ^ 0x80000000;
      into[i + 1] = m1 ^ 0x80000000;
      into[i + 2] = m2 ^ 0x80000000;
      into[i + 3] = m3 ^ 0x80000000;
      if (end === shingleCount) break;
    }
  }
  return { lead, body };
}

export function formatMinHash(values: Uint32Array): MinHashHex {
  // The digits' codes in one buffer, then one string: flat (not a rope), one byte a character,
  // and 5x cheaper than joining an array of 128 four-digit strings.
  const codes = values.length * 4 === hexCodes.length ? hexCodes : new Uint16Array(values.length * 4);
  for (let i = 0, j = 0; i < values.length; i++, j += 4) {
    const v = values[i]!;
    codes[j] = HEX_DIGITS[(v >>> 12) & 15]!;
    codes[j + 1] = HEX_DIGITS[(v >>> 8) & 15]!;
    codes[j + 2] = HEX_DIGITS[(v >>> 4) & 15]!;
    codes[j + 3] = HEX_DIGITS[v & 15]!;
  }
  return String.fromCharCode.apply(null, codes as unknown as number[]);
}

const HEX_DIGITS = Uint16Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const hexCodes = new Uint16Array(MINHASH_SIZE * 4);

/** Share of equal values: the estimate of the Jaccard similarity of the two shingle sets; 0 when either is empty. */
export function estimateJaccard(a: MinHashHex, b: MinHashHex): number {
  const n = Math.min(a.length, b.length) >> 2;
  if (n === 0) return 0;
  let equal = 0;
  for (let i = 0; i < n * 4; i += 4) {
    if (a.charCodeAt(i) === b.charCodeAt(i) && a.charCodeAt(i + 1) === b.charCodeAt(i + 1) && a.charCodeAt(i + 2) === b.charCodeAt(i + 2) && a.charCodeAt(i + 3) === b.charCodeAt(i + 3)) equal++;
  }
  return equal / n;
}

/**
 * `bands` (at most 36) LSH band keys `<prefix><band><hash>` cut from the first bands * BAND_ROWS
 * values: two MinHashes share at least one key with probability
 * 1 - (1 - J^BAND_ROWS)^bands (docs/dedupe.md tabulates it).
 */
export function bandKeys(minhash: Uint32Array, prefix: string, bands: number): string[] {
  if (minhash.length < bands * BAND_ROWS || bands > 36) return [];
  const keys: string[] = [];
  for (let band = 0; band < bands; band++) {
    let h = 0x811c9dc5 ^ band;
    for (let r = 0; r < BAND_ROWS; r++) h = fmix32((h ^ minhash[band * BAND_ROWS + r]!) >>> 0);
    // 8 characters: V8's smallest string size class (a key costs 24 bytes, not 32).
    keys.push(`${prefix}${band.toString(36)}${(h >>> 1).toString(36).padStart(6, '0')}`);
  }
  return keys;
}

/** FNV-1a over UTF-16 code units, finished with fmix32 for better low bits. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h >>> 0);
}

/** MurmurHash3's 32-bit finaliser. */
function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
