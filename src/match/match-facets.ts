/**
 * Facets: named groups of spellings (an actor, a theme), and the combination
 * of them an item must hold (`require`, e.g. "Russie AND Corée du Nord").
 * Pure. A facet's spellings are its `terms` plus, for each of its
 * `countries`, every name general data has (src/entities): names in many
 * languages and scripts, demonyms, capitals, seats of power, combining forms,
 * cities, and the compass ellipsis ("le Nord" in a Korean context).
 *
 * Matching goes through the watchlist engine (compileWatchlist, matchItem):
 * each spelling is a keyword of a synthetic watchlist, so facets read text
 * exactly as keywords do (folding, inflection, phrases). Some spellings carry
 * a condition the engine does not know, checked on what it found: proper
 * names must be capitalised in the text ("turkey", "nice" are words), a
 * combining form must stand before a hyphen (russo-), an ellipsis needs its
 * context.
 */
import type { Facet, FacetKind, Keyword, Watchlist } from '../config/watchlist.js';
import { countryCities } from '../entities/cities.js';
import { countryAliases } from '../entities/countries.js';
import { compileWatchlist, matchItem, type CompiledWatchlist, type FieldName, type MatchFields } from './match-item.js';
import { normalizeTerm } from './normalize.js';
import { parseQueryOrThrow, type QueryNode } from './parse-query.js';

/** One way of writing a facet, with the condition its occurrences must meet. */
export interface FacetSpelling {
  text: string;
  /** Compared with its case (acronyms, ellipses). */
  cased: boolean;
  /** Must start with a capital in the text (names of countries, capitals, cities, English demonyms). */
  capitalised: boolean;
  /** Counts only right before a hyphen (combining forms: russo-). */
  beforeHyphen: boolean;
  /** Counts only when the item also holds one of these (the compass ellipsis). */
  context: string[] | null;
}

export interface FacetMatch {
  facet: string;
  kind: FacetKind;
  /** The distinct words that satisfied the facet, as the item writes them, in order of appearance. */
  words: string[];
  count: number;
  /** The field of the first occurrence. */
  field: FieldName;
  offsets: Partial<Record<FieldName, [number, number][]>>;
}

export interface FacetResult {
  /** The `require` combination holds. */
  satisfied: boolean;
  /** How many facets `require` names (outside NOT), and how many of those the item holds. */
  required: number;
  found: number;
  /** Facets found in the item (whether or not `require` holds), in the watchlist's order. */
  facets: FacetMatch[];
}

export interface CompiledFacets {
  facets: Facet[];
  require: QueryNode;
  /** Folded names of the facets `require` asks for (not under NOT). */
  required: string[];
  engine: CompiledWatchlist;
  /** Synthetic keyword term → which facet and spelling it stands for. */
  spellings: Map<string, { facet: number; spelling: FacetSpelling }>;
  /** Synthetic keyword terms of context spellings → the context they stand for. */
  contexts: Map<string, string>;
}

/** Every spelling of a facet: its terms, then its countries' names from general data. */
export function facetSpellings(facet: Facet): FacetSpelling[] {
  const out: FacetSpelling[] = [];
  const plain = (text: string, capitalised = false): FacetSpelling => ({ text, cased: false, capitalised, beforeHyphen: false, context: null });
  for (const term of facet.terms) out.push(plain(term));
  for (const code of facet.countries) {
    const c = countryAliases(code);
    if (!c) continue;
    for (const name of c.names) out.push(plain(name, true));
    for (const acronym of c.acronyms) out.push({ ...plain(acronym), cased: true });
    for (const demonym of c.demonyms) out.push(plain(demonym, /^\p{Lu}/u.test(demonym)));
    for (const place of [...c.capitals, ...c.seats]) out.push(plain(place, true));
    for (const form of c.combining) out.push({ ...plain(form), beforeHyphen: true });
    for (const city of countryCities(code)) out.push(plain(city, true));
    for (const ellipsis of c.ellipses) out.push({ ...plain(ellipsis), cased: true, context: c.ellipsisContext });
  }
  const seen = new Set<string>();
  return out.filter((s) => {
    const key = `${s.cased ? s.text : normalizeTerm(s.text)}\u0000${s.capitalised}\u0000${s.beforeHyphen}\u0000${s.context ? 1 : 0}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The default `require`: every facet. */
export function defaultRequire(facets: readonly Facet[]): string {
  return facets.map((f) => (facets.length > 1 && /\s/.test(f.name) ? `(${f.name})` : f.name)).join(' AND ');
}

/** Null for a watchlist without facets. `require` is assumed valid (validateWatchlist checked it). */
export function compileFacets(watchlist: Watchlist): CompiledFacets | null {
  const facets = watchlist.facets ?? [];
  if (facets.length === 0) return null;
  // One keyword per spelling, written as the spelling; `ids` says which facet spelling each stands for.
  const keywords: Keyword[] = [];
  const ids: string[] = [];
  const spellings = new Map<string, { facet: number; spelling: FacetSpelling }>();
  const contexts = new Map<string, string>();
  const contextIds = new Map<string, string>();
  facets.forEach((facet, i) => {
    facetSpellings(facet).forEach((spelling, j) => {
      const id = `${i}:${j}`;
      spellings.set(id, { facet: i, spelling });
      keywords.push(spelling.cased ? { term: spelling.text, aliases: [], case: true } : { term: spelling.text, aliases: [] });
      ids.push(id);
      for (const word of spelling.context ?? []) {
        const key = normalizeTerm(word);
        if (contextIds.has(key)) continue;
        const contextId = `context:${contextIds.size}`;
        contextIds.set(key, contextId);
        contexts.set(contextId, key);
        keywords.push({ term: word, aliases: [] });
        ids.push(contextId);
      }
    });
  });
  const engine = compileWatchlist({ name: watchlist.name, description: '', feeds: [], keywords, rules: [], exclude: [] });
  // Matches are recorded under a keyword's term; two spellings may write alike, so terms become the ids.
  engine.keywords.forEach((k, i) => {
    k.term = ids[i]!;
  });
  const require = parseQueryOrThrow(watchlist.require ?? defaultRequire(facets));
  return { facets, require, required: [...new Set(askedFor(require))], engine, spellings, contexts };
}

/** Which facets the item holds, with the words that satisfied each, and whether `require` holds. */
export function matchFacets(fields: MatchFields, compiled: CompiledFacets): FacetResult {
  const result = matchItem(fields, compiled.engine);
  const contextFound = new Set<string>();
  for (const t of result.terms) {
    const context = compiled.contexts.get(t.term);
    if (context) contextFound.add(context);
  }
  const perFacet = new Map<number, { spans: { field: FieldName; start: number; end: number }[] }>();
  for (const t of result.terms) {
    const entry = compiled.spellings.get(t.term);
    if (!entry) continue;
    const { spelling } = entry;
    if (spelling.context && !spelling.context.some((w) => contextFound.has(normalizeTerm(w)))) continue;
    for (const [field, spans] of Object.entries(t.offsets) as [FieldName, [number, number][]][]) {
      const text = fields[field] ?? '';
      for (const [start, end] of spans) {
        if (spelling.capitalised && !/^[\p{Lu}\p{Lo}]/u.test(text.slice(start, start + 1))) continue;
        if (spelling.beforeHyphen && !/^[-‐‑]/.test(text.slice(end))) continue;
        const list = perFacet.get(entry.facet) ?? { spans: [] };
        list.spans.push({ field, start, end });
        perFacet.set(entry.facet, list);
      }
    }
  }
  const order: FieldName[] = ['title', 'summary', 'content', 'body'];
  const facets: FacetMatch[] = [];
  compiled.facets.forEach((facet, i) => {
    const found = perFacet.get(i);
    if (!found) return;
    const spans = found.spans.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field) || a.start - b.start);
    const offsets: FacetMatch['offsets'] = {};
    const words: string[] = [];
    const seen = new Set<string>();
    let count = 0;
    let last: { field: FieldName; start: number; end: number } | null = null;
    for (const span of spans) {
      if (last && last.field === span.field && span.start < last.end) continue; // nested spellings (Corée du Nord, Nord)
      const inField = offsets[span.field] ?? [];
      inField.push([span.start, span.end]);
      offsets[span.field] = inField;
      count++;
      last = span;
      const word = (fields[span.field] ?? '').slice(span.start, span.end);
      const key = normalizeTerm(word);
      if (!seen.has(key)) {
        seen.add(key);
        words.push(word);
      }
    }
    facets.push({ facet: facet.name, kind: facet.kind, words, count, field: spans[0]!.field, offsets });
  });
  const present = new Set(facets.map((f) => normalizeTerm(f.facet)));
  const found = compiled.required.filter((name) => present.has(name)).length;
  return { satisfied: holds(compiled.require, present), required: compiled.required.length, found, facets };
}

function askedFor(node: QueryNode): string[] {
  switch (node.type) {
    case 'phrase':
      return [normalizeTerm(node.text)];
    case 'and':
    case 'or':
      return node.children.flatMap(askedFor);
    default:
      return [];
  }
}

function holds(node: QueryNode, present: ReadonlySet<string>): boolean {
  switch (node.type) {
    case 'phrase':
      return present.has(normalizeTerm(node.text));
    case 'and':
      return node.children.every((c) => holds(c, present));
    case 'or':
      return node.children.some((c) => holds(c, present));
    case 'not':
      return !holds(node.child, present);
    case 'near':
    case 'scope':
      return false;
  }
}
