import { isWordMatch, type CompiledKeyword, type CompiledQuery, type CompiledRule, type CompiledWatchlist, type PhraseIndex, type PhraseWord } from './compile-watchlist.js';
import { wordStartsOfKey } from './inflect.js';
import { isPart, mayJoin } from './join-parts.js';
import { LeadFilter, MAY_BE_FIRST_PART, MAY_START } from './lead-filter.js';
import {
  FIRST_LEAD_LETTER_SHIFT,
  foldAccents,
  formsOfWord,
  GAP_BREAK,
  GAP_JOIN_ALWAYS,
  GAP_JOIN_WORDS,
  grownArray,
  joinedWord,
  leadLetter,
  scanText,
  TokenBuffer,
  wordTableGeneration,
  type FormKind,
  type WordForms,
} from './normalize.js';

export { compileWatchlist, type CompiledWatchlist } from './compile-watchlist.js';
export { parseQuery, QuerySyntaxError, type ParsedQuery, type QueryNode } from './parse-query.js';
export { normalizeText, normalizeTerm } from './normalize.js';

/** The text of an item that matching reads, by field. */
export interface MatchFields {
  title: string;
  summary: string;
  content: string;
  body?: string;
}
export type FieldName = keyof MatchFields;
const FIELDS: FieldName[] = ['title', 'summary', 'content', 'body'];

/** One keyword or rule found in an item: how often, in which spelling, where. */
export interface TermMatch {
  /** The keyword's term, or the rule's name (its query when unnamed). */
  term: string;
  kind: 'keyword' | 'rule';
  /** For a rule: its query. */
  query?: string;
  /** Occurrences (for a rule: the spans of the words that satisfied it). */
  count: number;
  /** What was found, as the source wrote it (a rule's spans joined by " … "). */
  variant: string;
  /** The field of the first occurrence. */
  field: FieldName;
  /** [start, end) offsets of every occurrence, per field, in the original field text. */
  offsets: Partial<Record<FieldName, [number, number][]>>;
}

export interface MatchResult {
  matched: boolean;
  terms: TermMatch[];
  /** The exclusion that vetoed the item, when one did. */
  excludedBy: string | null;
}

/** One keyword, rule or exclusion as checked against an item, matched or not. */
export interface MatchCheck {
  kind: 'keyword' | 'rule' | 'exclusion';
  term: string;
  query?: string;
  matched: boolean;
  match: TermMatch | null;
  /** For rules and exclusions: each word or phrase of the query and whether the item has it (in the field it asks for). */
  phrases?: { text: string; found: boolean }[];
}

export interface MatchExplanation extends MatchResult {
  checks: MatchCheck[];
}

/** Pure: which keywords and rules hold for the item, and whether an exclusion vetoes it. */
export function matchItem(fields: MatchFields, compiled: CompiledWatchlist): MatchResult {
  const found = findPhrases(fields, compiled.index);
  for (const rule of compiled.exclusions) {
    if (evaluate(rule.tree, null, found).ok) return { matched: false, terms: [], excludedBy: rule.label };
  }
  const terms: TermMatch[] = [];
  for (const keyword of keywordsFound(compiled, found)) {
    const match = keywordMatch(keyword.term, keyword.phraseIds, found, fields);
    if (match) terms.push(match);
  }
  for (const rule of compiled.rules) {
    const match = ruleMatch(rule, found, fields);
    if (match) terms.push(match);
  }
  return { matched: terms.length > 0, terms, excludedBy: null };
}

/** Like matchItem, plus every keyword, rule and exclusion that did not hold, for `presswatch watchlist test`. */
export function explainMatch(fields: MatchFields, compiled: CompiledWatchlist): MatchExplanation {
  const found = findPhrases(fields, compiled.index);
  const checks: MatchCheck[] = [];
  let excludedBy: string | null = null;
  for (const rule of compiled.exclusions) {
    const match = ruleMatch(rule, found, fields);
    if (match && excludedBy === null) excludedBy = rule.label;
    checks.push({ kind: 'exclusion', term: rule.label, query: rule.query, matched: match !== null, match, phrases: phrasesOf(rule.tree, null, found) });
  }
  for (const keyword of compiled.keywords) {
    const match = keywordMatch(keyword.term, keyword.phraseIds, found, fields);
    checks.push({ kind: 'keyword', term: keyword.term, matched: match !== null, match });
  }
  for (const rule of compiled.rules) {
    const match = ruleMatch(rule, found, fields);
    checks.push({ kind: 'rule', term: rule.label, query: rule.query, matched: match !== null, match, phrases: phrasesOf(rule.tree, null, found) });
  }
  const terms = excludedBy === null ? checks.filter((c) => c.kind !== 'exclusion' && c.match).map((c) => c.match!) : [];
  return { matched: terms.length > 0, terms, excludedBy, checks };
}

// ---------------------------------------------------------------- finding phrases

/**
 * The occurrences of phrases in one item, in typed arrays reused from item to
 * item: an item with hundreds of terms holds dozens of occurrences, and most
 * are only counted and located. Occurrence h (a Hit) is in field
 * FIELDS[fieldOf[h]], characters [starts[h], ends[h]) and words
 * [firstWords[h], lastWords[h]] (as a reader counts words, for NEAR); each
 * phrase's occurrences are chained in the order found (`hitsOf`).
 */
class FoundPhrases {
  length = 0;
  fieldOf = new Uint8Array(64);
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  firstWords = new Int32Array(64);
  lastWords = new Int32Array(64);
  /** The phrase's next occurrence, -1 after its last. */
  private nextOf = new Int32Array(64);
  /** Per phrase id: its first and last occurrence, -1 when it has none. */
  private firstOf = new Int32Array(0);
  private lastOf = new Int32Array(0);
  /** The phrases found, in the order first found. */
  readonly ids: number[] = [];

  /** Empties the set for an index of `phraseCount` phrases. */
  reset(phraseCount: number): void {
    for (const id of this.ids) this.firstOf[id] = -1;
    this.ids.length = 0;
    this.length = 0;
    if (this.firstOf.length < phraseCount) {
      this.firstOf = new Int32Array(phraseCount).fill(-1);
      this.lastOf = new Int32Array(phraseCount);
    }
  }

  add(id: number, field: number, start: number, end: number, firstWord: number, lastWord: number): void {
    const h = this.length;
    if (h === this.starts.length) this.grow();
    this.fieldOf[h] = field;
    this.starts[h] = start;
    this.ends[h] = end;
    this.firstWords[h] = firstWord;
    this.lastWords[h] = lastWord;
    this.nextOf[h] = -1;
    if (this.firstOf[id] === -1) {
      this.firstOf[id] = h;
      this.ids.push(id);
    } else this.nextOf[this.lastOf[id]!] = h;
    this.lastOf[id] = h;
    this.length = h + 1;
  }

  /** The phrase's occurrences, in field order then position; pushed onto `into`. */
  hitsOf(id: number, into: Hit[] = []): Hit[] {
    for (let h = this.firstOf[id]!; h !== -1; h = this.nextOf[h]!) into.push(h);
    return into;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    this.fieldOf = grownArray(this.fieldOf, size);
    this.starts = grownArray(this.starts, size);
    this.ends = grownArray(this.ends, size);
    this.firstWords = grownArray(this.firstWords, size);
    this.lastWords = grownArray(this.lastWords, size);
    this.nextOf = grownArray(this.nextOf, size);
  }
}

/** An occurrence in FoundPhrases. */
type Hit = number;

/** Matching is synchronous: one set serves every item, read before the next item is matched. */
const foundPhrases = new FoundPhrases();

const TOKEN_KINDS: FormKind[] = ['key', 'fold', 'lower', 'cased', 'exact'];

/** One buffer per field, holding the last text read there: the same item matched by several watchlists (and facets) is read once. */
const fieldTokens = FIELDS.map(() => new TokenBuffer());

function tokensOf(f: number, text: string): TokenBuffer {
  const buffer = fieldTokens[f]!;
  return buffer.holds(text) ? buffer : scanText(text, buffer);
}

function findPhrases(fields: MatchFields, index: PhraseIndex): FoundPhrases {
  const found = foundPhrases;
  found.reset(index.phrases.length);
  const finder = finderOf(index);
  const parts = finder.parts;
  const filter = finder.leads;
  for (let f = 0; f < FIELDS.length; f++) {
    const text = fields[FIELDS[f]!];
    if (!text) continue;
    const tokens = tokensOf(f, text);
    finder.sync();
    const { leads, gaps, starts, ends, scanned } = tokens;
    const last = tokens.length - 1;
    for (let i = 0; i <= last; i++) {
      // A word whose lead no phrase has, or that read whole starts none, starts nothing alone
      // (see LeadFilter): it is not even looked up, unless it may be the first part of a word
      // written in two. That is always possible where the join is certain (line-end
      // hyphenation, markup), and across a space or a hyphen when the two words read as one
      // start like a phrase, or the word starts a phrase word's core.
      const lead = leads[i]!;
      if (lead >= 0) {
        const byLead = filter.mayStart(lead);
        const whole = byLead ? filter.readWhole(scanned, starts[i]!, ends[i]!) : 0;
        if ((whole & MAY_START) === 0) {
          if (i === last) continue;
          const gap = gaps[i + 1]!;
          if ((gap & GAP_JOIN_ALWAYS) === 0) {
            if ((gap & GAP_JOIN_WORDS) === 0) continue;
            // A first part starts a phrase word's core; with fewer than five letters, it makes with the next word a lead that may start a phrase.
            if (byLead ? (whole & MAY_BE_FIRST_PART) === 0 || ((lead & 63) === 0 && !filter.mayStartJoined(lead, leads[i + 1]!)) : !filter.mayStartJoined(lead, leads[i + 1]!)) continue;
          }
        }
      }
      const word = tokens.wordAt(i);
      const flags = finder.flagsOf(word);
      if (flags & STARTS_PHRASE) for (const id of finder.phraseIdsOf(word)) verify(id, tokens, i, 1, f, index, parts, found);
      // The word and the next read as one, when some phrase word can start with it. Across a
      // space or a hyphen (the common gap), typed arrays first: most words fail there, without a
      // look-up. Where the join is certain (line-end hyphenation, markup), always look.
      if (i === last) continue;
      const gap = gaps[i + 1]!;
      if ((gap & GAP_JOIN_ALWAYS) === 0) {
        if ((gap & GAP_JOIN_WORDS) === 0 || (flags & STARTS_PART) === 0) continue;
        // The next token's first letter, from its lead, before it is looked up: for a–z, lead letter n is letterBit n.
        const nextFirst = leads[i + 1]! >>> FIRST_LEAD_LETTER_SHIFT;
        if (leads[i + 1]! >= 0 && nextFirst <= 26 && (finder.nextLettersOf(word) & (1 << nextFirst)) === 0) continue;
      }
      const next = tokens.wordAt(i + 1);
      if ((gap & GAP_JOIN_ALWAYS) === 0) {
        if ((finder.flagsOf(next) & IS_PART) === 0 || (finder.nextLettersOf(word) & finder.firstLetterOf(next)) === 0) continue;
      }
      if (!mayStartWord(parts, finder.headsOf(word), formsOfWord(word), formsOfWord(next), gap)) continue;
      const joined = joinedWord(word, next);
      if (joined !== -1 && finder.flagsOf(joined) & STARTS_PHRASE) for (const id of finder.phraseIdsOf(joined)) verify(id, tokens, i, 2, f, index, parts, found);
    }
  }
  return found;
}

const JOINS = GAP_JOIN_WORDS | GAP_JOIN_ALWAYS;

/**
 * Checks the rest of a phrase whose first word matched `span` tokens from `at`
 * (two when they were read as one word).
 */
function verify(id: number, tokens: TokenBuffer, at: number, span: number, field: number, index: PhraseIndex, parts: PartsIndex, found: FoundPhrases): void {
  const words = index.phrases[id]!.words;
  const end = words.length === 1 ? at + span : matchRest(words, 1, tokens, at + span, parts.cores[id]!, parts.firstLetters[id]!);
  if (end === -1) return;
  found.add(id, field, tokens.starts[at]!, tokens.ends[end - 1]!, tokens.positions[at]!, tokens.positions[end - 1]!);
}

/**
 * Matches words[j…] from token `next`; returns the index after the last token, or -1.
 * Each word is one token, or two read as one (both are tried: "Jong-⏎un" may be one
 * word or two); a phrase never runs across a sentence end or a paragraph break.
 */
function matchRest(words: readonly PhraseWord[], j: number, tokens: TokenBuffer, next: number, cores: readonly string[], letters: readonly number[]): number {
  if (j === words.length) return next;
  if (next >= tokens.length || (tokens.gaps[next]! & GAP_BREAK) !== 0) return -1;
  // A token whose first letter is not the word's is not the word, alone or as its first part: no look-up.
  const lead = tokens.leads[next]!;
  if (lead >= 0 && lead >>> FIRST_LEAD_LETTER_SHIFT !== letters[j]) return -1;
  const word = words[j]!;
  const forms = formsOfWord(tokens.wordAt(next));
  if (isWordMatch(word, forms)) {
    const end = matchRest(words, j + 1, tokens, next + 1, cores, letters);
    if (end !== -1) return end;
  }
  if (next + 1 >= tokens.length) return -1;
  const gap = tokens.gaps[next + 1]!;
  const second = formsOfWord(tokens.wordAt(next + 1));
  if ((gap & JOINS) === 0 || !joinsInto(forms.fold, second.fold, cores[j]!, Infinity) || !mayJoin(forms, second, gap)) return -1;
  const joined = joinedWord(tokens.wordAt(next), tokens.wordAt(next + 1));
  if (joined === -1 || !isWordMatch(word, formsOfWord(joined))) return -1;
  return matchRest(words, j + 1, tokens, next + 2, cores, letters);
}

// A word's flags in a PhraseFinder.
const KNOWN = 1;
/** Some phrase starts with the word. */
const STARTS_PHRASE = 2;
/** A real part (isPart): may join across a space or one hyphen. */
const IS_PART = 4;
/** A real part that starts some phrase word's core. */
const STARTS_PART = 8;

/** One of 32 bits per letter (letters that share a bit only cost a look-up); ANY_LETTER sets them all. */
function letterBit(code: number): number {
  return code === ANY_LETTER ? -1 : 1 << (code & 31);
}

/**
 * Per watchlist, what each word of the word table can start, in typed arrays
 * indexed by the word's entry: the test most words fail costs no object.
 */
class PhraseFinder {
  readonly parts: PartsIndex;
  private readonly kinds: (readonly [FormKind, Map<string, number[]>])[];
  private readonly prefixes: Map<string, number[]> | undefined;
  private flags = new Uint8Array(1 << 15);
  /** The letters (letterBit) that may follow the word in some core. */
  private nextLetters = new Int32Array(1 << 15);
  /** letterBit of the word's first folded letter. */
  private firstLetters = new Int32Array(1 << 15);
  /** Index in `phraseIds` of the phrases the word starts, when it starts any. */
  private phraseIdsAt = new Int32Array(1 << 15);
  private phraseIds: (readonly number[])[] = [];
  private generation = -1;
  /** Which words may start a phrase, by their leads: the others are not even looked up. */
  readonly leads = new LeadFilter();

  constructor(private readonly index: PhraseIndex) {
    this.parts = partsIndexOf(index);
    this.kinds = TOKEN_KINDS.filter((k) => index.byFirstWord.has(k)).map((k) => [k, index.byFirstWord.get(k)!] as const);
    this.prefixes = index.byFirstWord.get('prefix');
    for (const phrase of index.phrases) this.addLeads(phrase.words[0]!);
  }

  /**
   * A text word starts a phrase only when its fold starts like the phrase's
   * first word (alone, or as the first part of a word written in two).
   */
  private addLeads(word: PhraseWord): void {
    const stem = stemOf(word);
    if (word.kind === 'key') {
      const { starts, whole, endings } = wordStartsOfKey(stem);
      const folded = endings.map(foldAccents);
      for (const start of starts) {
        if (whole) this.leads.addWhole(foldAccents(start));
        else this.leads.addInflected(foldAccents(start), folded);
      }
    } else if (word.kind === 'prefix') this.leads.addPrefix(stem);
    else this.leads.addWhole(stem);
    // As partsIndexOf's heads: a first part of two letters or more (isPart), shorter than the stem.
    const core = coreOf(stem);
    for (let length = 2; length <= core.length && length < stem.length; length++) this.leads.addFirstPart(core.slice(0, length));
  }

  /** Forgets what it knew when the word table started afresh. */
  sync(): void {
    const generation = wordTableGeneration();
    if (generation === this.generation) return;
    this.flags.fill(0);
    this.phraseIds = [];
    this.generation = generation;
  }

  flagsOf(word: number): number {
    if (word >= this.flags.length) this.grow(word + 1);
    const flags = this.flags[word]!;
    return flags !== 0 ? flags : this.work(word);
  }

  nextLettersOf(word: number): number {
    return this.nextLetters[word]!;
  }

  firstLetterOf(word: number): number {
    return this.firstLetters[word]!;
  }

  /** The phrases the word starts (flagsOf(word) has STARTS_PHRASE). */
  phraseIdsOf(word: number): readonly number[] {
    return this.phraseIds[this.phraseIdsAt[word]!]!;
  }

  /** The letter after the word in some phrase word's core → those cores (see PartsIndex.heads). */
  headsOf(word: number): Map<number, string[]> | undefined {
    return this.parts.heads.get(formsOfWord(word).fold);
  }

  private work(word: number): number {
    const forms = formsOfWord(word);
    let phraseIds: number[] | null = null;
    const add = (ids: number[] | undefined) => {
      if (ids) phraseIds = phraseIds ? [...phraseIds, ...ids] : ids;
    };
    for (const [kind, byForm] of this.kinds) add(byForm.get(forms[kind]));
    const fold = forms.fold;
    if (this.prefixes) {
      for (const length of this.index.prefixLengths) {
        if (length > fold.length) break;
        add(this.prefixes.get(fold.slice(0, length)));
      }
    }
    let flags = KNOWN;
    if (phraseIds !== null) {
      flags |= STARTS_PHRASE;
      this.phraseIdsAt[word] = this.phraseIds.length;
      this.phraseIds.push(phraseIds);
    }
    const heads = this.parts.heads.get(fold);
    let nextLetters = 0;
    if (isPart(forms)) {
      flags |= IS_PART;
      if (heads !== undefined) flags |= STARTS_PART;
    }
    if (heads !== undefined) for (const code of heads.keys()) nextLetters |= letterBit(code);
    this.nextLetters[word] = nextLetters;
    this.firstLetters[word] = letterBit(fold.charCodeAt(0));
    this.flags[word] = flags;
    return flags;
  }

  private grow(size: number): void {
    const length = Math.max(this.flags.length * 2, size);
    this.flags = grownArray(this.flags, length);
    this.nextLetters = grownArray(this.nextLetters, length);
    this.firstLetters = grownArray(this.firstLetters, length);
    this.phraseIdsAt = grownArray(this.phraseIdsAt, length);
  }
}

const finders = new WeakMap<PhraseIndex, PhraseFinder>();

function finderOf(index: PhraseIndex): PhraseFinder {
  let finder = finders.get(index);
  if (!finder) {
    finder = new PhraseFinder(index);
    finders.set(index, finder);
  }
  return finder;
}

/** What two text words must be to be read as one word of some phrase. */
interface PartsIndex {
  /**
   * Every start of every phrase word's core (the whole core included) → the letter that
   * follows it in the word → those cores: a text word not in here is no first part.
   */
  heads: Map<string, Map<number, string[]>>;
  /** Per phrase, per word: its stem less the last letter (inflection may change it: fédéral, fédéraux). */
  cores: string[][];
  /** Per phrase, per word: the lead letter (leadLetter) its stem, and every word spelling it, starts with. */
  firstLetters: number[][];
  /** Core → how long a word with that core can be (its stem and the longest inflected ending; no limit for a prefix). */
  maxLengths: Map<string, number>;
  /** The cores' lengths, in order. */
  coreLengths: number[];
}

/** The key in `heads` for a first part that holds a whole core: what follows is an ending, any letter. */
const ANY_LETTER = -1;

/** Inflection adds at most this many letters to a stem (aérien → aériennes, 평양 → 평양에서는). */
const LONGEST_ENDING = 5;

function partsIndexOf(index: PhraseIndex): PartsIndex {
  const heads = new Map<string, Map<number, string[]>>();
  const maxLengths = new Map<string, number>();
  const cores = index.phrases.map((phrase) =>
    phrase.words.map((word) => {
      const stem = stemOf(word);
      const core = coreOf(stem);
      // A first part is shorter than the stem: the second part carries at least its last letter.
      for (let length = 1; length <= core.length && length < stem.length; length++) {
        const head = core.slice(0, length);
        let byNext = heads.get(head);
        if (!byNext) {
          byNext = new Map();
          heads.set(head, byNext);
        }
        // After the whole core comes the inflected ending: any letter (fédéra|l, fédéra|ux).
        const next = length < core.length ? stem.charCodeAt(length) : ANY_LETTER;
        const list = byNext.get(next);
        if (!list) byNext.set(next, [core]);
        else if (!list.includes(core)) list.push(core);
      }
      const maxLength = word.kind === 'prefix' ? Infinity : stem.length + (word.kind === 'key' ? LONGEST_ENDING : 0);
      maxLengths.set(core, Math.max(maxLengths.get(core) ?? 0, maxLength));
      return core;
    }),
  );
  const firstLetters = index.phrases.map((phrase) => phrase.words.map((word) => leadLetter(stemOf(word).charCodeAt(0))));
  return { heads, cores, firstLetters, maxLengths, coreLengths: [...new Set([...maxLengths.keys()].map((c) => c.length))].sort((a, b) => a - b) };
}

/** A stem less its last letter, which inflection may change (fédéral, fédéraux). */
function coreOf(stem: string): string {
  return stem.length > 1 ? stem.slice(0, -1) : stem;
}

/**
 * Can `first` and `second`, read as one word, be a word of some phrase? The
 * first part must start that word's core and the second finish it, within the
 * word's length; or, only after a line-end hyphenation, the first part already
 * holds a core and the second is the rest of an inflected ending (aérienne-⏎s).
 */
function mayStartWord(parts: PartsIndex, byNext: Map<number, string[]> | undefined, first: WordForms, second: WordForms, gap: number): boolean {
  const a = first.fold;
  const b = second.fold;
  const always = (gap & GAP_JOIN_ALWAYS) !== 0;
  if (byNext !== undefined && (always || (a.length > 1 && b.length > 1)) && (reachesCore(parts, byNext.get(b.charCodeAt(0)), a, b) || reachesCore(parts, byNext.get(ANY_LETTER), a, b))) return mayJoin(first, second, gap);
  return always && a.length + b.length <= roomOf(parts, a) && mayJoin(first, second, gap);
}

function reachesCore(parts: PartsIndex, cores: string[] | undefined, a: string, b: string): boolean {
  if (cores !== undefined) for (const core of cores) if (joinsInto(a, b, core, parts.maxLengths.get(core)!)) return true;
  return false;
}

/** The longest word any core that `a` starts with can make; -1 when `a` starts with none. */
function roomOf(parts: PartsIndex, a: string): number {
  let room = -1;
  for (const length of parts.coreLengths) {
    if (length > a.length) break;
    const maxLength = parts.maxLengths.get(a.slice(0, length));
    if (maxLength !== undefined && maxLength > room) room = maxLength;
  }
  return room;
}

/** Does a + b start with `core` and stay within `maxLength`? Without building a + b: this runs for many word pairs. */
function joinsInto(a: string, b: string, core: string, maxLength: number): boolean {
  if (a.length + b.length > maxLength) return false;
  if (a.length >= core.length) return a.startsWith(core);
  if (b.length < core.length - a.length || !core.startsWith(a)) return false;
  for (let i = a.length; i < core.length; i++) if (b.charCodeAt(i - a.length) !== core.charCodeAt(i)) return false;
  return true;
}

/**
 * The folded start every spelling of a phrase word shares. Inflection changes
 * only the end of a word, so the key is that start; folding the other forms
 * gives the word itself.
 */
function stemOf(word: PhraseWord): string {
  switch (word.kind) {
    case 'key':
    case 'fold':
    case 'prefix':
      return word.form;
    case 'lower':
      return foldAccents(word.form);
    case 'cased':
    case 'exact':
      return foldAccents(word.form.toLowerCase());
  }
}

// ---------------------------------------------------------------- keywords

/** Phrase id → the keywords (by index) it spells, per compiled watchlist. */
const keywordsByPhrase = new WeakMap<CompiledWatchlist, Map<number, number[]>>();

/** The keywords with a phrase found, in watchlist order: an item holds a few of hundreds. */
function keywordsFound(compiled: CompiledWatchlist, found: FoundPhrases): CompiledKeyword[] {
  let byPhrase = keywordsByPhrase.get(compiled);
  if (!byPhrase) {
    byPhrase = new Map();
    compiled.keywords.forEach((keyword, k) => {
      for (const id of keyword.phraseIds) {
        const list = byPhrase!.get(id);
        if (!list) byPhrase!.set(id, [k]);
        else if (!list.includes(k)) list.push(k);
      }
    });
    keywordsByPhrase.set(compiled, byPhrase);
  }
  const indexes: number[] = [];
  for (const id of found.ids) {
    const keywords = byPhrase.get(id);
    if (keywords !== undefined) for (const k of keywords) if (!indexes.includes(k)) indexes.push(k);
  }
  return indexes.sort((a, b) => a - b).map((k) => compiled.keywords[k]!);
}

function keywordMatch(term: string, phraseIds: readonly number[], found: FoundPhrases, fields: MatchFields): TermMatch | null {
  const hits: Hit[] = [];
  for (const id of phraseIds) found.hitsOf(id, hits);
  if (hits.length === 0) return null;
  return toTermMatch(term, 'keyword', undefined, hits, found, fields, false);
}

function toTermMatch(term: string, kind: TermMatch['kind'], query: string | undefined, all: Hit[], found: FoundPhrases, fields: MatchFields, joinVariants: boolean): TermMatch {
  const hits = uniqueHits(all, found);
  const offsets: TermMatch['offsets'] = {};
  let list: [number, number][] = [];
  let listField = -1;
  for (const h of hits) {
    // In field order: one list per field, made when its field starts.
    if (found.fieldOf[h] !== listField) {
      listField = found.fieldOf[h]!;
      list = [];
      offsets[FIELDS[listField]!] = list;
    }
    list.push([found.starts[h]!, found.ends[h]!]);
  }
  const first = hits[0]!;
  const field = FIELDS[found.fieldOf[first]!]!;
  let variant = spell(first, found, fields);
  if (joinVariants) {
    const inField = hits.filter((h) => found.fieldOf[h] === found.fieldOf[first]).map((h) => spell(h, found, fields));
    variant = [...new Set(inField)].slice(0, 3).join(' … ');
  }
  return query !== undefined ? { term, kind, query, count: hits.length, variant, field, offsets } : { term, kind, count: hits.length, variant, field, offsets };
}

/** An occurrence as the source wrote it, on one line: a phrase may run across a line break. */
function spell(h: Hit, found: FoundPhrases, fields: MatchFields): string {
  const text = fields[FIELDS[found.fieldOf[h]!]!]!.slice(found.starts[h]!, found.ends[h]!);
  return isOneLine(text) ? text : text.replace(/\s+/g, ' ');
}

/** Whether `replace(/\s+/g, ' ')` would leave the text as it is: most occurrences are a word or words apart by one space. */
function isOneLine(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 32 ? text.charCodeAt(i + 1) === 32 : code <= 13 || code === 0xa0 || (code >= 0x1680 && /\s/.test(text[i]!))) return false;
  }
  return true;
}

function compareHits(found: FoundPhrases, a: Hit, b: Hit): number {
  return found.fieldOf[a]! - found.fieldOf[b]! || found.starts[a]! - found.starts[b]! || found.ends[a]! - found.ends[b]!;
}

/** Distinct spans in field order then position (two spellings may find the same words). */
function uniqueHits(hits: Hit[], found: FoundPhrases): Hit[] {
  // Hits are found in that order: sorting is for those of several spellings.
  let inOrder = true;
  for (let i = 1; i < hits.length && inOrder; i++) inOrder = compareHits(found, hits[i - 1]!, hits[i]!) < 0;
  if (inOrder) return hits;
  const sorted = [...hits].sort((a, b) => compareHits(found, a, b));
  return sorted.filter((h, i) => i === 0 || compareHits(found, sorted[i - 1]!, h) !== 0);
}

// ---------------------------------------------------------------- rules

function ruleMatch(rule: CompiledRule, found: FoundPhrases, fields: MatchFields): TermMatch | null {
  const result = evaluate(rule.tree, null, found);
  if (!result.ok || result.hits.length === 0) return null;
  return toTermMatch(rule.label, 'rule', rule.query, result.hits, found, fields, true);
}

interface Evaluation {
  ok: boolean;
  /** The occurrences that made it hold (none for NOT). */
  hits: Hit[];
}

function evaluate(node: CompiledQuery, scope: FieldName | null, found: FoundPhrases): Evaluation {
  switch (node.type) {
    case 'phrase': {
      const field = node.field ?? scope;
      let hits = found.hitsOf(node.phraseId);
      if (field !== null) {
        const f = FIELDS.indexOf(field);
        hits = hits.filter((h) => found.fieldOf[h] === f);
      }
      return { ok: hits.length > 0, hits };
    }
    case 'scope':
      return evaluate(node.child, node.field, found);
    case 'not':
      return { ok: !evaluate(node.child, scope, found).ok, hits: [] };
    case 'and': {
      const hits: Hit[] = [];
      for (const child of node.children) {
        const r = evaluate(child, scope, found);
        if (!r.ok) return { ok: false, hits: [] };
        hits.push(...r.hits);
      }
      return { ok: true, hits };
    }
    case 'or': {
      const hits: Hit[] = [];
      let ok = false;
      for (const child of node.children) {
        const r = evaluate(child, scope, found);
        if (r.ok) {
          ok = true;
          hits.push(...r.hits);
        }
      }
      return { ok, hits };
    }
    case 'near': {
      const left = evaluate(node.left, scope, found);
      if (!left.ok) return { ok: false, hits: [] };
      const right = evaluate(node.right, scope, found);
      if (!right.ok) return { ok: false, hits: [] };
      const kept = new Set<Hit>();
      const { fieldOf, firstWords, lastWords } = found;
      for (const a of left.hits) {
        for (const b of right.hits) {
          if (fieldOf[a] !== fieldOf[b]) continue;
          // Words strictly between the two spans; overlapping spans are 0 apart.
          const between = Math.max(firstWords[a]!, firstWords[b]!) - Math.min(lastWords[a]!, lastWords[b]!) - 1;
          if (between <= node.distance) kept.add(a).add(b);
        }
      }
      return { ok: kept.size > 0, hits: [...kept] };
    }
  }
}

/** The leaves of a query and whether each was found, for explanations. */
function phrasesOf(node: CompiledQuery, scope: FieldName | null, found: FoundPhrases): { text: string; found: boolean }[] {
  switch (node.type) {
    case 'phrase': {
      const field = node.field ?? scope;
      return [{ text: field ? `${field}:${node.text}` : node.text, found: evaluate(node, scope, found).ok }];
    }
    case 'scope':
      return phrasesOf(node.child, node.field, found);
    case 'not':
      return phrasesOf(node.child, scope, found);
    case 'and':
    case 'or':
      return node.children.flatMap((c) => phrasesOf(c, scope, found));
    case 'near':
      return [...phrasesOf(node.left, scope, found), ...phrasesOf(node.right, scope, found)];
  }
}
