/**
 * Facets proposed from a seed article: who it is about (actors: countries,
 * people, organisations) and what (themes), and the combination a story must
 * hold to be about the same thing. Pure. Method and figures: docs/relevance.md,
 * "Facets from the seed".
 *
 *   - Countries are counted over every way the article names them (names,
 *     demonyms, capitals, seats of power: src/entities). The most named one is
 *     a side; the next one is the other side of a relation when it is named at
 *     least RELATION_SHARE as often and the two meet in RELATION_SENTENCES
 *     sentences or more.
 *   - People, organisations and places the article names are tied to the side
 *     named nearest to them in their sentences ("le ministre russe Sergueï
 *     Lavrov" → Russia) and become terms of that side's facet.
 *   - Themes are the article's keyword phrases (extractKeywords) that name no
 *     actor: "accord de défense", "liaisons aériennes".
 *   - A relation (two sides) requires both sides. One side requires the side
 *     and a theme; an article naming no country falls back on its most named
 *     person or organisation as the actor.
 */
import type { Facet } from '../config/watchlist.js';
import { countryCities } from '../entities/cities.js';
import { countryName } from '../entities/countries.js';
import { findEntities, foldName, type EntityMention } from '../entities/find-entities.js';
import { normalizeTerm } from '../match/normalize.js';
import { FRENCH_STOP_WORDS, ENGLISH_STOP_WORDS } from '../text/stop-words.js';
import { extractKeywords, type KeywordCandidate } from './keywords.js';

/** The second country is a side when named at least this share as often as the first. */
export const RELATION_SHARE = 0.35;
/** …and when the two are named together in at least this many sentences. */
export const RELATION_SENTENCES = 2;
/** Keyword phrases kept as the theme facet, by default. */
export const MAX_THEME_TERMS = 10;
/** Keywords read to find the themes and the article's places. */
const KEYWORDS_READ = 30;

export interface FacetProposal {
  facets: Facet[];
  require: string;
  /** The article's language as far as the proposal goes (facet names follow it). */
  language: 'fr' | 'en';
}

export class NoEntityError extends Error {
  constructor() {
    super('no named entity (country, person or organisation) found: a watchlist needs someone or somewhere to watch');
    this.name = 'NoEntityError';
  }
}

/** Facets and `require` for a seed article; throws NoEntityError when it names no actor at all. */
export function proposeFacets(text: string, options: { maxThemes?: number } = {}): FacetProposal {
  const maxThemes = options.maxThemes ?? MAX_THEME_TERMS;
  const keywords = extractKeywords(text, { max: Math.max(KEYWORDS_READ, maxThemes * 2) });
  const language = guessLanguage(text);
  const mentions = findEntities(text);
  const sentences = sentenceSpans(text);
  const sentenceOf = (offset: number) => sentences.findIndex(([s, e]) => offset >= s && offset < e);

  const countries = countBy(mentions.filter((m) => m.kind === 'country'));
  const ranked = [...countries].sort((a, b) => b[1].count - a[1].count || a[1].first - b[1].first);
  const sides: string[] = [];
  if (ranked[0]) sides.push(ranked[0][0]);
  const second = ranked[1];
  if (ranked[0] && second && second[1].count >= RELATION_SHARE * ranked[0][1].count) {
    const together = countTogether(mentions, ranked[0][0], second[0], sentenceOf);
    if (together >= RELATION_SENTENCES) sides.push(second[0]);
  }

  const facets: Facet[] = sides.map((code) => ({ name: countryName(code, language) ?? code, kind: 'actor', countries: [code], terms: [] }));
  const themeTerms = themesOf(keywords, mentions, text, maxThemes);

  // People, organisations and the article's own places, tied to the nearest side in their sentences.
  // International organisations (NATO, the UN) are third parties, not sides.
  const others = mentions.filter((m) => m.kind === 'person' || (m.kind === 'organisation' && m.via === 'shape'));
  const places = placeMentions(keywords, text, mentions);
  const ties = new Map<string, { surface: Map<string, number>; votes: Map<string, number> }>();
  for (const m of [...others, ...places]) {
    const side = nearestSide(m, mentions, sides, sentenceOf);
    const entry = ties.get(m.id) ?? { surface: new Map(), votes: new Map() };
    entry.surface.set(m.surface, (entry.surface.get(m.surface) ?? 0) + 1);
    if (side) entry.votes.set(side, (entry.votes.get(side) ?? 0) + 1);
    ties.set(m.id, entry);
  }
  for (const [id, entry] of ties) {
    // A place the article does not tie by proximity may still be a known city of one side.
    if (entry.votes.size === 0 && id.startsWith('place:')) {
      const city = sides.find((code) => countryCities(code).some((name) => foldName(name) === id.slice('place:'.length)));
      if (city) entry.votes.set(city, 1);
    }
    const side = [...entry.votes].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (!side) continue;
    const facet = facets[sides.indexOf(side)]!;
    for (const term of termsOf(id, entry.surface)) if (!facet.terms.some((t) => normalizeTerm(t) === normalizeTerm(term))) facet.terms.push(term);
  }

  if (facets.length === 0) {
    // No country: the most named person or organisation is the actor.
    const actors = countBy(mentions.filter((m) => m.kind !== 'country'));
    const top = [...actors].sort((a, b) => b[1].count - a[1].count || a[1].first - b[1].first)[0];
    const named = top ? null : keywords.find((k) => k.kind === 'person' || k.kind === 'organisation');
    if (top) {
      const surfaces = new Map<string, number>();
      for (const m of mentions) if (m.id === top[0]) surfaces.set(m.surface, (surfaces.get(m.surface) ?? 0) + 1);
      const terms = termsOf(top[0], surfaces);
      facets.push({ name: terms[0]!, kind: 'actor', countries: [], terms });
    } else if (named) {
      facets.push({ name: named.phrase, kind: 'actor', countries: [], terms: [named.phrase] });
    } else throw new NoEntityError();
  }

  if (themeTerms.length > 0) facets.push({ name: language === 'fr' ? 'thème' : 'theme', kind: 'theme', countries: [], terms: themeTerms });
  return { facets, require: requireFor(facets), language };
}

/**
 * The relation a story must hold: two actors or more, all of them (a theme is
 * not needed: a relation has many subjects); one actor, with a theme when
 * there is one (one country's news is too broad on its own).
 */
export function requireFor(facets: readonly Facet[]): string {
  const actors = facets.filter((f) => f.kind === 'actor').map((f) => f.name);
  const themes = facets.filter((f) => f.kind === 'theme').map((f) => f.name);
  if (actors.length >= 2) return actors.join(' AND ');
  return [...actors, ...themes.slice(0, 1)].join(' AND ');
}

/** The proposal without some of its terms (numbered across facets in order, from 0); facets left empty go, and `require` follows. */
export function dropTerms(proposal: FacetProposal, drop: ReadonlySet<number>): FacetProposal {
  let n = 0;
  const facets = proposal.facets.map((f) => ({ ...f, terms: f.terms.filter(() => !drop.has(n++)) })).filter((f) => f.countries.length > 0 || f.terms.length > 0);
  return { ...proposal, facets, require: requireFor(facets) };
}

// ---------------------------------------------------------------- helpers

function countBy(mentions: readonly EntityMention[]): Map<string, { count: number; first: number }> {
  const counts = new Map<string, { count: number; first: number }>();
  for (const m of mentions) {
    const entry = counts.get(m.id);
    if (entry) entry.count++;
    else counts.set(m.id, { count: 1, first: m.start });
  }
  return counts;
}

function countTogether(mentions: readonly EntityMention[], a: string, b: string, sentenceOf: (offset: number) => number): number {
  const withA = new Set(mentions.filter((m) => m.id === a).map((m) => sentenceOf(m.start)));
  return new Set(
    mentions
      .filter((m) => m.id === b)
      .map((m) => sentenceOf(m.start))
      .filter((s) => withA.has(s)),
  ).size;
}

/**
 * The country a mention belongs to, if it is a side: the country named nearest
 * in its sentence, demonyms first (an adjective qualifies a person: "le
 * ministre russe Sergueï Lavrov", "Indian Foreign Minister S. Jaishankar"),
 * a country named after the mention counting as AFTER_PENALTY times farther
 * ("… and his Chinese counterpart" follows the Indian minister's name). A
 * mention nearest to a third country ("le plan marocain pour le Sahara") is
 * tied to no side.
 */
function nearestSide(m: EntityMention, mentions: readonly EntityMention[], sides: readonly string[], sentenceOf: (offset: number) => number): string | null {
  const sentence = sentenceOf(m.start);
  const candidates = mentions.filter((o) => o.kind === 'country' && sentenceOf(o.start) === sentence && (o.end <= m.start || o.start >= m.end));
  const demonyms = candidates.filter((o) => o.via === 'demonym');
  let best: string | null = null;
  let distance = Infinity;
  for (const other of demonyms.length > 0 ? demonyms : candidates) {
    const d = other.start >= m.end ? (other.start - m.end) * AFTER_PENALTY : m.start - other.end;
    if (d < distance) {
      distance = d;
      best = other.id;
    }
  }
  return best !== null && sides.includes(best) ? best : null;
}

const AFTER_PENALTY = 3;

/** A person's full name and, when it is safe, the surname alone (Sergueï Lavrov, Lavrov); an organisation's name. */
function termsOf(id: string, surfaces: Map<string, number>): string[] {
  const forms = [...surfaces].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length).map(([s]) => s);
  const full = [...forms].sort((a, b) => b.length - a.length)[0]!;
  const terms = [full];
  for (const f of forms) if (!terms.includes(f)) terms.push(f);
  if (id.startsWith('person:')) {
    const words = full.split(/\s+/);
    const surname = words[words.length - 1]!;
    if (words.length >= 2 && !surname.includes('-') && surname.length >= 4 && !terms.includes(surname)) terms.push(surname);
  }
  return terms;
}

/** The article's own places (keywords of kind place that the gazetteer does not know, "Wonsan"), as mentions. */
function placeMentions(keywords: readonly KeywordCandidate[], text: string, mentions: readonly EntityMention[]): EntityMention[] {
  const out: EntityMention[] = [];
  for (const k of keywords) {
    if (k.kind !== 'place') continue;
    const folded = normalizeTerm(k.phrase);
    if (mentions.some((m) => normalizeTerm(m.surface) === folded)) continue;
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(k.phrase)}(?![\\p{L}\\p{N}])`, 'gu');
    for (const m of text.matchAll(pattern)) out.push({ kind: 'organisation', id: `place:${foldName(k.phrase)}`, surface: m[0], start: m.index, end: m.index + m[0].length, via: 'shape' });
  }
  return out;
}

/**
 * The article's themes: its keyword phrases of two words or more that name no
 * actor, best first; then, if there is room, its single keywords written in
 * lower case that recur (twice or more: a word said once is prose, not a theme).
 */
function themesOf(keywords: readonly KeywordCandidate[], mentions: readonly EntityMention[], text: string, max: number): string[] {
  const entityWords = new Set<string>();
  for (const m of mentions) for (const w of normalizeTerm(m.surface).split(' ')) entityWords.add(w);
  const namesNoActor = (k: KeywordCandidate) =>
    !normalizeTerm(k.phrase)
      .split(' ')
      .some((w) => entityWords.has(w));
  // A capitalised phrase is a name the gazetteer does not know (Rio de Janeiro), not a theme.
  const phrases = keywords.filter((k) => k.kind === 'phrase' && !/^\p{Lu}/u.test(k.phrase) && namesNoActor(k)).map((k) => k.phrase);
  const counts = new Map<string, number>();
  for (const w of normalizeTerm(text).split(' ')) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = keywords.filter((k) => k.kind === 'word' && /^\p{Ll}/u.test(k.phrase) && (counts.get(normalizeTerm(k.phrase)) ?? 0) >= 2 && namesNoActor(k)).map((k) => k.phrase);
  return [...phrases, ...words].slice(0, max);
}

/** Sentence spans: ends at . ! ? followed by a space, or a line break. */
function sentenceSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?…](?=\s)|\n/g)) {
    spans.push([start, m.index + 1]);
    start = m.index + 1;
  }
  spans.push([start, text.length + 1]);
  return spans;
}

const FRENCH = new Set(FRENCH_STOP_WORDS.map(normalizeTerm));
const ENGLISH = new Set(ENGLISH_STOP_WORDS.map(normalizeTerm));

/** French or English, by which language's function words the text uses more. */
export function guessLanguage(text: string): 'fr' | 'en' {
  let fr = 0;
  let en = 0;
  for (const w of normalizeTerm(text).split(' ')) {
    if (FRENCH.has(w) && !ENGLISH.has(w)) fr++;
    else if (ENGLISH.has(w) && !FRENCH.has(w)) en++;
  }
  return en > fr ? 'en' : 'fr';
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
