/**
 * Keyword extraction from one article, YAKE-style (Campos et al., "YAKE!
 * Keyword extraction from single documents using multiple local features",
 * Information Sciences 509, 2020): statistics of the article itself, no
 * background corpus and no trained model, so it works on French and English
 * alike. Pure. Method, formulas and measured figures: docs/relevance.md.
 */
import { normalizeTerm } from '../match/normalize.js';
import { isStopWord } from '../text/stop-words.js';
import { stemTerm } from './stem.js';

export type KeywordKind = 'place' | 'person' | 'organisation' | 'phrase' | 'word';

export interface KeywordCandidate {
  /** The phrase as the article writes it most often in running text ("accord de défense", "Pyongyang"). */
  phrase: string;
  /** In (0, 1], higher is better: the best candidate's YAKE score divided by this one's, so the top keyword scores 1. */
  score: number;
  /** A heuristic guess (see classifyCandidate); `phrase`/`word` when the candidate is not a proper name. */
  kind: KeywordKind;
}

export interface KeywordOptions {
  /** How many keywords to return (default 20). */
  max?: number;
}

const DEFAULT_MAX = 20;
/** Longest candidate, in tokens, stop words included ("accord de défense" is three). */
const MAX_NGRAM = 3;
/** Candidates this similar (Levenshtein ratio of their normalised forms) to a better one are dropped. */
const DEDUP_SIMILARITY = 0.8;
/** A phrase that is not a name must occur this often. */
const MIN_PHRASE_TF = 2;
/** A candidate is dropped when this share of its occurrences overlaps those of a chosen phrase. */
const OVERLAP_SHARE = 0.7;
/**
 * A watchlist watches names and specific phrases; a single common word
 * ("militaire") matches everything. YAKE's H (lower is better) is multiplied by
 * a prior for the candidate's shape, so that names and phrases come first.
 */
const PRIOR = { name: 0.4, phrase: 1, word: 4 };

function kindPrior(c: Candidate): number {
  if (isProperName(c)) return PRIOR.name;
  return c.terms.length === 1 ? PRIOR.word : PRIOR.phrase;
}

/** Stop words that may sit inside a phrase: the links of compound nouns ("accord de défense", "Bank of England"). */
const LINKING_WORDS = new Set(['de', 'du', 'des', "d'", 'a', 'au', 'aux', 'of', 'for']);

/** YAKE's token tags: digits, unusual (letters mixed with digits), acronym, capitalised name, plain. */
type Tag = 'd' | 'u' | 'a' | 'n' | 'p';

interface Token {
  surface: string;
  norm: string;
  key: string;
  tag: Tag;
  start: number;
  end: number;
  /** First word of a sentence, a table cell or a title-case line: its capital says nothing. */
  initial: boolean;
}

interface Term {
  key: string;
  stop: boolean;
  tf: number;
  tfCased: number;
  tfAcronym: number;
  sentences: number[];
  left: Map<string, number>;
  right: Map<string, number>;
  h: number;
}

interface Candidate {
  key: string;
  terms: Term[];
  tf: number;
  valid: boolean;
  surfaces: Map<string, number>;
  before: Map<string, number>;
  /** Words up to three places before an occurrence ("ville côtière de" Wonsan). */
  near: Set<string>;
  /** Its words, folded, as first seen. */
  words: string[];
  /** Occurrences written as a proper name in running text, and occurrences with a lower-case content word. */
  properCount: number;
  lowerCount: number;
  acronym: boolean;
  /** Where it occurs: [chunk, first token, last token]. */
  occurrences: [number, number, number][];
  h: number;
}

export function extractKeywords(text: string, options: KeywordOptions = {}): KeywordCandidate[] {
  const max = options.max ?? DEFAULT_MAX;
  if (max <= 0) return [];
  const doc = readDocument(text);
  if (doc.candidates.size === 0) return [];
  scoreTerms(doc.terms, doc.sentenceCount);

  const ranked = [...doc.candidates.values()]
    .filter(isKeywordShaped)
    .map((c) => {
      c.h = scoreCandidate(c) * kindPrior(c);
      return c;
    })
    .sort((a, b) => a.h - b.h || b.tf - a.tf || a.key.localeCompare(b.key));

  const chosen: { candidate: Candidate; phrase: string; folded: string }[] = [];
  for (const candidate of ranked) {
    const phrase = bestSurface(candidate);
    const folded = normalizeTerm(phrase);
    if (folded.replace(/[^\p{L}\p{N}]/gu, '').length < 3) continue;
    if (chosen.some((c) => similarity(c.folded, folded) >= DEDUP_SIMILARITY || isRedundant(candidate, c.candidate))) continue;
    chosen.push({ candidate, phrase, folded });
    if (chosen.length >= max) break;
  }
  const best = chosen[0]?.candidate.h ?? 1;
  const kinds = classifyCandidates(
    chosen.map((c) => c.candidate),
    doc.chunks,
  );
  return chosen.map((c, i) => ({ phrase: c.phrase, score: best / c.candidate.h, kind: kinds[i]! }));
}

/**
 * No stop word at either end, no digits; a phrase that is not a proper name
 * must occur at least twice (a once-seen word sequence is prose, not a topic).
 */
function isKeywordShaped(c: Candidate): boolean {
  if (!c.valid || c.terms[0]!.stop || c.terms[c.terms.length - 1]!.stop) return false;
  if (c.terms.some((t) => t.stop && !LINKING_WORDS.has(t.key))) return false;
  return c.terms.length === 1 || c.tf >= MIN_PHRASE_TF || isProperName(c);
}

/**
 * Fragments of one expression are one keyword: "Corée" once "Corée du Nord" is
 * chosen, "soutien militaire actif" after "soutien militaire", "reprise des
 * liaisons" after "liaisons aériennes" (both cut from "reprise des liaisons
 * aériennes"). A candidate is redundant when most of its occurrences overlap
 * occurrences of a chosen phrase. A phrase refining a chosen single word
 * ("Corée du Nord" after "Corée") is kept: it is more precise.
 */
function isRedundant(candidate: Candidate, chosen: Candidate): boolean {
  if (chosen.terms.length === 1 && candidate.terms.length > 1) return false;
  const spans = new Map<number, [number, number][]>();
  for (const [chunk, first, last] of chosen.occurrences) {
    const list = spans.get(chunk) ?? [];
    list.push([first, last]);
    spans.set(chunk, list);
  }
  const overlapping = candidate.occurrences.filter(([chunk, first, last]) => (spans.get(chunk) ?? []).some(([a, b]) => first <= b && a <= last)).length;
  return overlapping >= OVERLAP_SHARE * candidate.occurrences.length;
}

// ---------------------------------------------------------------------------
// Reading: sentences → chunks (split at punctuation) → tokens, terms, candidates

interface DocumentModel {
  terms: Map<string, Term>;
  candidates: Map<string, Candidate>;
  chunks: Token[][];
  sentenceCount: number;
}

function readDocument(text: string): DocumentModel {
  const terms = new Map<string, Term>();
  const candidates = new Map<string, Candidate>();
  const chunks: Token[][] = [];
  let sentenceIndex = 0;
  for (const line of text.split(/\r?\n+/)) {
    const body = line.replace(/^\s*[-–—•*>]+\s+/, '');
    if (!body.trim()) continue;
    // Table cells are read one by one: a header cell is title case even when its row is prose.
    for (const cell of body.split('|')) {
      const titleLine = isTitleCaseLine(cell);
      for (const sentence of splitSentences(cell)) {
        let hasTokens = false;
        for (const { chunk, initialChunk, gluedStart, gluedEnd } of splitChunks(sentence)) {
          const tokens = tokenizeChunk(chunk, initialChunk, titleLine);
          if (tokens.length === 0) continue;
          if (gluedStart) tokens[0]!.tag = 'u';
          if (gluedEnd) tokens[tokens.length - 1]!.tag = 'u';
          hasTokens = true;
          addChunk(tokens, chunks.length, sentenceIndex, terms, candidates, chunk);
          chunks.push(tokens);
        }
        if (hasTokens) sentenceIndex++;
      }
    }
  }
  return { terms, candidates, chunks, sentenceCount: Math.max(1, sentenceIndex) };
}

/** Abbreviations whose full stop does not end a sentence ("M. Kim", "Dr. Lee"). */
const ABBREVIATIONS = new Set(['m', 'mm', 'mme', 'mmes', 'mlle', 'mr', 'mrs', 'ms', 'dr', 'st', 'ste', 'gen', 'gén', 'sen', 'rep', 'prof', 'col', 'lt', 'no', 'vs', 'p']);

function splitSentences(line: string): string[] {
  const out: string[] = [];
  const boundary = /[.!?…]+["»”’)\]]*\s+/g;
  let start = 0;
  for (let m = boundary.exec(line); m; m = boundary.exec(line)) {
    const lastWord = /([\p{L}.]+)$/u.exec(line.slice(start, m.index))?.[1] ?? '';
    if (ABBREVIATIONS.has(lastWord.toLowerCase()) || /^\p{Lu}$/u.test(lastWord)) continue;
    out.push(line.slice(start, m.index + m[0].length));
    start = m.index + m[0].length;
  }
  if (start < line.length) out.push(line.slice(start));
  return out;
}

// Punctuation that breaks a phrase; a dash only when spaced (a hyphen joins words).
const CHUNK_BREAK = /([,;:()[\]{}"«»“”„|/.!?…]+|\s[-–—]+\s)/;
// After these a capital letter may just be typography (a new cell, a quotation, a list after a colon).
const RESTART = /[|:"«“.!?…]/;

/** Punctuation glued between letters ("descan:autonomous") marks garbled text, not a phrase boundary. */
const GLUED = /^[:;,]$/;

function splitChunks(sentence: string): { chunk: string; initialChunk: boolean; gluedStart: boolean; gluedEnd: boolean }[] {
  const parts = sentence.split(CHUNK_BREAK);
  const out: { chunk: string; initialChunk: boolean; gluedStart: boolean; gluedEnd: boolean }[] = [];
  let initial = true;
  const isGlued = (left: string | undefined, separator: string | undefined, right: string | undefined) => !!separator && GLUED.test(separator) && /\p{L}$/u.test(left ?? '') && /^\p{L}/u.test(right ?? '');
  for (let i = 0; i < parts.length; i += 2) {
    const gluedStart = isGlued(parts[i - 2], parts[i - 1], parts[i]);
    const gluedEnd = isGlued(parts[i], parts[i + 1], parts[i + 2]);
    out.push({ chunk: parts[i]!, initialChunk: initial, gluedStart, gluedEnd });
    const separator = parts[i + 1];
    // A chunk with no word (e.g. "---") keeps the flag for the next one.
    if (/[\p{L}\p{N}]/u.test(parts[i]!)) initial = false;
    if (separator && RESTART.test(separator)) initial = true;
  }
  return out;
}

const WORD = /[\p{L}\p{N}]+(?:['’\u2010-][\p{L}\p{N}]+)*/gu;
/** French elisions ("l’accord", "d’être", "qu’il"): the part before the apostrophe is its own (stop) word. */
const ELISIONS = new Set(['l', 'd', 'j', 'm', 'n', 's', 't', 'c', 'qu', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu', 'presqu']);

function tokenizeChunk(chunk: string, initialChunk: boolean, titleLine: boolean): Token[] {
  const tokens: Token[] = [];
  const makeToken = (surface: string, start: number, initial: boolean) => makeTokenAt(surface, start, initial || titleLine);
  for (const match of chunk.matchAll(WORD)) {
    const start = match.index;
    const word = match[0];
    const apostrophe = word.search(/['’]/);
    if (apostrophe > 0 && !isStopWord(word)) {
      const prefix = word.slice(0, apostrophe);
      const rest = word.slice(apostrophe + 1);
      if (ELISIONS.has(prefix.toLowerCase())) {
        tokens.push(makeToken(word.slice(0, apostrophe + 1), start, tokens.length === 0 && initialChunk));
        tokens.push(makeToken(rest, start + apostrophe + 1, false));
        continue;
      }
      if (rest.toLowerCase() === 's') {
        tokens.push(makeToken(prefix, start, tokens.length === 0 && initialChunk)); // English possessive
        continue;
      }
    }
    tokens.push(makeToken(word, start, tokens.length === 0 && initialChunk));
  }
  return tokens;
}

function makeTokenAt(surface: string, start: number, initial: boolean): Token {
  const norm = normalizeTerm(surface);
  return { surface, norm, key: stemTerm(norm), tag: tagToken(surface, initial), start, end: start + surface.length, initial };
}

function tagToken(surface: string, initial: boolean): Tag {
  const hasDigit = /\p{N}/u.test(surface);
  const hasLetter = /\p{L}/u.test(surface);
  if (hasDigit && !hasLetter) return 'd';
  if (hasDigit) return 'u';
  const letters = surface.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) return 'a';
  if (!initial && /^\p{Lu}/u.test(surface)) return 'n';
  return 'p';
}

/** A heading in title case ("Un Accord de Défense au Cœur des Discussions"): its capitals are typography, not names. */
function isTitleCaseLine(line: string): boolean {
  if (/[.]\s*$/.test(line)) return false;
  const words = [...line.matchAll(WORD)].map((m) => m[0].replace(/^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’]/i, '')).filter((w) => /^\p{L}/u.test(w) && !isStopWord(w));
  if (words.length < 2 || words.length > 15) return false;
  const capitalised = words.filter((w) => /^\p{Lu}/u.test(w)).length;
  return capitalised / words.length >= 0.7;
}

function isStopToken(token: Token): boolean {
  if (token.tag === 'd' || token.tag === 'u') return false;
  if (isStopWord(token.norm)) return true;
  // YAKE treats words under three letters as stop words; an acronym like "UE" is kept.
  return token.tag !== 'a' && token.norm.replace(/[^\p{L}\p{N}]/gu, '').length < 3;
}

function addChunk(tokens: Token[], chunkIndex: number, sentence: number, terms: Map<string, Term>, candidates: Map<string, Candidate>, chunk: string): void {
  const chunkTerms: Term[] = [];
  tokens.forEach((token, i) => {
    let term = terms.get(token.key);
    if (!term) {
      term = { key: token.key, stop: isStopToken(token), tf: 0, tfCased: 0, tfAcronym: 0, sentences: [], left: new Map(), right: new Map(), h: 0 };
      terms.set(token.key, term);
    }
    term.tf++;
    if (token.tag === 'n') term.tfCased++;
    if (token.tag === 'a') term.tfAcronym++;
    if (term.sentences[term.sentences.length - 1] !== sentence) term.sentences.push(sentence);
    chunkTerms.push(term);

    // Co-occurrence with the word on the left (YAKE's default window of one), skipping digits and oddities.
    const previous = tokens[i - 1];
    if (previous && !isExcluded(previous) && !isExcluded(token)) {
      const left = chunkTerms[i - 1]!;
      left.right.set(term.key, (left.right.get(term.key) ?? 0) + 1);
      term.left.set(left.key, (term.left.get(left.key) ?? 0) + 1);
    }

    for (let n = 1; n <= MAX_NGRAM && n <= i + 1; n++) {
      const first = i - n + 1;
      const span = tokens.slice(first, i + 1);
      const key = span.map((t) => t.key).join('|');
      let candidate = candidates.get(key);
      if (!candidate) {
        candidate = {
          key,
          terms: chunkTerms.slice(first, i + 1),
          tf: 0,
          valid: false,
          surfaces: new Map(),
          words: span.map((t) => t.norm),
          before: new Map(),
          near: new Set(),
          properCount: 0,
          lowerCount: 0,
          acronym: false,
          occurrences: [],
          h: 0,
        };
        candidates.set(key, candidate);
      }
      candidate.tf++;
      candidate.occurrences.push([chunkIndex, first, i]);
      if (!span.some(isExcluded)) candidate.valid = true;
      const surface = chunk.slice(span[0]!.start, span[n - 1]!.end).replace(/\s+/g, ' ');
      // Surfaces seen in running text outweigh those at a sentence start or in a heading.
      candidate.surfaces.set(surface, (candidate.surfaces.get(surface) ?? 0) + (span[0]!.initial ? 0.1 : 1));
      const previousWord = tokens[first - 1]?.norm;
      if (previousWord) candidate.before.set(previousWord, (candidate.before.get(previousWord) ?? 0) + 1);
      for (const t of tokens.slice(Math.max(0, first - 3), first)) candidate.near.add(t.norm);
      const content = span.filter((_t, j) => !candidate!.terms[j]!.stop);
      if (content.some((t) => /^\p{Ll}/u.test(t.surface))) candidate.lowerCount++;
      // A proper name: every content word capitalised, and at least one not merely because it opens a sentence ("North Korea").
      else if (content.every((t) => /^\p{Lu}/u.test(t.surface)) && content.some((t) => t.tag === 'n' || t.tag === 'a')) candidate.properCount++;
      if (n === 1 && token.tag === 'a') candidate.acronym = true;
    }
  });
}

function isExcluded(token: Token): boolean {
  return token.tag === 'd' || token.tag === 'u';
}

// ---------------------------------------------------------------------------
// Scoring (lower H is better, as in YAKE)

/**
 * H(t) = (Pos · Rel) / (Case + Freq/Rel + Spread/Rel) for each word, with
 *   Case   = max(capitalised, acronym occurrences) / (1 + ln tf)
 *   Pos    = ln(ln(3 + median index of the sentences holding it))
 *   Freq   = tf / (mean tf + sd tf of non-stop words)
 *   Rel    = 1 + (DL + DR) · tf / max tf, DL/DR = distinct left/right neighbours / their occurrences
 *   Spread = sentences holding it / all sentences
 */
function scoreTerms(terms: Map<string, Term>, sentenceCount: number): void {
  const tfs = [...terms.values()].filter((t) => !t.stop).map((t) => t.tf);
  const mean = tfs.reduce((s, x) => s + x, 0) / Math.max(1, tfs.length);
  const sd = Math.sqrt(tfs.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, tfs.length));
  let maxTf = 1;
  for (const t of terms.values()) maxTf = Math.max(maxTf, t.tf);
  for (const t of terms.values()) {
    const diversity = (m: Map<string, number>) => {
      let total = 0;
      for (const v of m.values()) total += v;
      return total === 0 ? 0 : m.size / total;
    };
    const rel = 0.5 + diversity(t.left) * (t.tf / maxTf) + (0.5 + diversity(t.right) * (t.tf / maxTf));
    const freq = t.tf / (mean + sd || 1);
    const spread = t.sentences.length / sentenceCount;
    const casing = Math.max(t.tfCased, t.tfAcronym) / (1 + Math.log(t.tf));
    const pos = Math.log(Math.log(3 + median(t.sentences)));
    t.h = (pos * rel) / (casing + freq / rel + spread / rel);
  }
}

/**
 * H(k) = Π H(w) / ((1 + ln tf(k)) · (1 + Σ H(w))) over the candidate's words.
 * YAKE divides by tf(k) itself; the sublinear form (as in TF-IDF) keeps the
 * article's most repeated word from crowding out a name it gives once. A stop word
 * inside ("accord de défense") counts through how often it binds its neighbours:
 * p = P(stop | left) · P(right | stop), Π gains (2 − p) and Σ loses (1 − p).
 */
function scoreCandidate(c: Candidate): number {
  let product = 1;
  let sum = 0;
  c.terms.forEach((t, i) => {
    if (!t.stop) {
      product *= t.h;
      sum += t.h;
      return;
    }
    const left = c.terms[i - 1];
    const right = c.terms[i + 1];
    const pLeft = left ? (left.right.get(t.key) ?? 0) / left.tf : 0;
    const pRight = right ? (t.right.get(right.key) ?? 0) / right.tf : 0;
    const p = pLeft * pRight;
    product *= 2 - p;
    sum -= 1 - p;
  });
  return product / ((1 + Math.log(c.tf)) * (1 + sum));
}

function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function bestSurface(c: Candidate): string {
  let best = '';
  let weight = -1;
  for (const [surface, w] of c.surfaces) if (w > weight) [best, weight] = [surface, w];
  return best;
}

/** Levenshtein ratio: 1 − distance / longer length. */
function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  if (Math.abs(a.length - b.length) / longer > 1 - DEDUP_SIMILARITY) return 0;
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return 1 - row[b.length]! / longer;
}

// ---------------------------------------------------------------------------
// Kind: a heuristic, cheap and explainable, no gazetteer

// Cue words compare folded, plural s dropped; not stemmed, so "ministère" and "minister" stay apart.
const cueKey = (word: string) => normalizeTerm(word).replace(/s$/, '');
const cues = (words: readonly string[]): ReadonlySet<string> => new Set(words.map(cueKey));
/** The lists below as cue sets, folded on first use: folding loads the tokenizer's tables, which a digest with no new item never needs. */
let kindCues: { organisation: ReadonlySet<string>; place: ReadonlySet<string>; locatives: ReadonlySet<string>; articles: ReadonlySet<string>; personTitles: ReadonlySet<string> } | undefined;
function cuesOfKinds(): NonNullable<typeof kindCues> {
  kindCues ??= { organisation: cues(ORGANISATION_WORDS), place: cues(PLACE_WORDS), locatives: cues(LOCATIVES), articles: cues(ARTICLES), personTitles: cues(PERSON_TITLES) };
  return kindCues;
}
const ORGANISATION_WORDS = [
  'ministère',
  'ministry',
  'agence',
  'agency',
  'union',
  'parti',
  'party',
  'organisation',
  'organization',
  'conseil',
  'council',
  'banque',
  'bank',
  'compagnie',
  'company',
  'société',
  'groupe',
  'group',
  'corp',
  'corporation',
  'inc',
  'ltd',
  'université',
  'university',
  'institut',
  'institute',
  'fondation',
  'foundation',
  'commission',
  'comité',
  'committee',
  'assemblée',
  'assembly',
  'parlement',
  'parliament',
  'sénat',
  'senate',
  'congrès',
  'congress',
  'gouvernement',
  'government',
  'armée',
  'army',
  'navy',
  'tribunal',
  'court',
  'cour',
  'nations',
  'fonds',
  'fund',
  'bureau',
  'office',
  'department',
  'airline',
  'airways',
  'news',
  'press',
  'presse',
  'alliance',
  'club',
  'ong',
  'otan',
  'nato',
  'onu',
  'kcna',
  'ue',
];
const PLACE_WORDS = [
  'ville',
  'city',
  'mer',
  'sea',
  'océan',
  'ocean',
  'province',
  'région',
  'region',
  'république',
  'republic',
  'île',
  'island',
  'mont',
  'mount',
  'lac',
  'lake',
  'rivière',
  'river',
  'fleuve',
  'golfe',
  'gulf',
  'détroit',
  'strait',
  'péninsule',
  'peninsula',
  'nord',
  'sud',
  'ouest',
  'north',
  'south',
  'east',
  'west',
  'port',
  'baie',
  'bay',
  'vallée',
  'valley',
  'district',
  'county',
  'royaume',
  'kingdom',
  'émirats',
  'emirates',
  'territoire',
  'territory',
  'capitale',
  'capital',
];
/** Words that announce a place when they come just before a name. */
const LOCATIVES = ['à', 'en', 'au', 'aux', 'vers', 'depuis', 'in', 'at', 'near'];
/** A French definite article before a single name: countries ("la Russie", "le Japon"); English "the" precedes adjectives too. */
const ARTICLES = ['la', 'le', 'les', "l'"];
const PERSON_TITLES = [
  'm',
  'mme',
  'mlle',
  'mr',
  'mrs',
  'ms',
  'dr',
  'président',
  'présidente',
  'president',
  'ministre',
  'minister',
  'général',
  'general',
  'dirigeant',
  'dirigeante',
  'leader',
  'chancelier',
  'chancellor',
  'secrétaire',
  'secretary',
  'roi',
  'king',
  'reine',
  'queen',
  'prince',
  'princesse',
  'princess',
  'pape',
  'pope',
  'sénateur',
  'senator',
  'député',
  'juge',
  'judge',
  'porte-parole',
  'spokesman',
  'spokeswoman',
  'ambassadeur',
  'ambassador',
  'maire',
  'mayor',
  'gouverneur',
  'governor',
  'chef',
  'commandant',
  'colonel',
  'maréchal',
  'marshal',
  'directeur',
  'directrice',
  'director',
  'professeur',
  'professor',
  'pdg',
  'ceo',
  'homologue',
  'counterpart',
];

/**
 * Proper names are candidates written capitalised (or as acronyms) in running
 * text and never in lower case. Among them: a name opening with a title
 * ("Minister Sergei Lavrov") is a `person`; an acronym or a name holding an
 * institution word is an `organisation`; a name after a title ("M.",
 * "ministre", "President") is a `person`; a name holding a geographic word,
 * found after a locative ("à", "en", "in", "at"), a single name after a
 * definite article ("la Russie"), a name within three words after a
 * geographic word ("la ville côtière de Wonsan"), or a single name joined by
 * "et"/"and" to a place is a `place`; a name shortly after an institution word ("the state
 * airline Air Koryo") is an `organisation`; a remaining two- or three-word name
 * without stop words is a `person`. Anything else is a `phrase` (several words) or a `word`.
 */
function classifyCandidates(candidates: Candidate[], chunks: Token[][]): KeywordKind[] {
  const kinds = candidates.map(classifyCandidate);
  // "Moscou et Pyongyang": a single name coordinated with a place is a place too.
  const byKey = new Map(candidates.map((c, i) => [c.key, i]));
  for (const tokens of chunks) {
    tokens.forEach((t, i) => {
      if (t.norm !== 'et' && t.norm !== 'and') return;
      const a = byKey.get(tokens[i - 1]?.key ?? '');
      const b = byKey.get(tokens[i + 1]?.key ?? '');
      if (a === undefined || b === undefined) return;
      if (kinds[a] === 'place' && kinds[b] === 'word' && isProperName(candidates[b]!)) kinds[b] = 'place';
      if (kinds[b] === 'place' && kinds[a] === 'word' && isProperName(candidates[a]!)) kinds[a] = 'place';
    });
  }
  return kinds;
}

function isProperName(c: Candidate): boolean {
  return c.properCount > 0 && c.lowerCount === 0;
}

function classifyCandidate(c: Candidate): KeywordKind {
  const single = c.terms.length === 1;
  if (!isProperName(c)) return single ? 'word' : 'phrase';
  const words = c.words.filter((_, i) => !c.terms[i]!.stop).map(cueKey);
  const has = (list: ReadonlySet<string>) => words.some((w) => list.has(w));
  const after = (list: ReadonlySet<string>) => [...c.before.keys()].some((w) => list.has(cueKey(w)));
  const near = (list: ReadonlySet<string>) => [...c.near].some((w) => list.has(cueKey(w)));
  const kinds = cuesOfKinds();
  if (!single && kinds.personTitles.has(words[0]!)) return 'person'; // "Minister Sergei Lavrov"
  if (c.acronym || has(kinds.organisation)) return 'organisation';
  if (after(kinds.personTitles)) return 'person';
  if (has(kinds.place) || after(kinds.locatives) || (single && after(kinds.articles)) || near(kinds.place)) return 'place';
  if (near(kinds.organisation)) return 'organisation'; // "the state airline Air Koryo"
  if (!single && c.terms.every((t) => !t.stop)) return 'person';
  return single ? 'word' : 'phrase';
}
