/**
 * The watchlist model and its validation. Pure: takes the parsed YAML value and
 * returns the watchlist or a list of problems, each naming a field path and what
 * is wrong with it. docs/watchlists.md is the reference for users.
 *
 * A watchlist file:
 *   name: coree-russie              # optional, defaults to the file name
 *   description: ...
 *   feeds:
 *     - https://example.org/rss     # or { url, label, type, selectors, fullText, fullTextMinChars }
 *   keywords:
 *     - Pyongyang                   # or { term, aliases, inflect, case, exact }
 *   rules:
 *     - accord NEAR/5 défense       # or { name, query }
 *   exclude:
 *     - football                    # each a query; a word or phrase is the simplest one
 *   facets:                         # named groups of spellings (actors, themes)
 *     - { name: Russie, kind: actor, countries: [RU], terms: [Lavrov] }
 *   require: Russie AND Corée du Nord   # which facets an item needs (AND, OR, NOT, parentheses)
 *   fullText: auto                  # auto | always | never
 *   fullTextMinChars: 400
 *   reference: { seed, createdAt, terms }   # written by `presswatch watchlist seed`
 *   destinations:                   # where `digest --deliver` sends new stories (src/config/destination.ts)
 *     - mailto:veille@example.org
 */
import { countryAliases } from '../entities/countries.js';
import { parseQuery, type QueryNode } from '../match/parse-query.js';
import { readDestination, type DestinationSpec } from './destination.js';
import { normalizeTerm } from '../match/normalize.js';

/** When to fetch the article page behind an item (issue: full text). */
export type FullTextMode = 'auto' | 'always' | 'never';
const FULL_TEXT_MODES: readonly FullTextMode[] = ['auto', 'always', 'never'];

/** CSS selectors that turn a list page without a feed into items. */
export interface HtmlSelectors {
  /** Selects the `<a href>` of each article on the list page (required). */
  links: string;
  /** Optional, evaluated inside each link's closest article container. */
  title?: string;
  date?: string;
}

export interface FeedSource {
  url: string;
  label: string | null;
  /** `feed` (RSS/RDF/Atom, the default) or `html` (a list page read with `selectors`). */
  type?: 'feed' | 'html';
  selectors?: HtmlSelectors;
  /** Overrides the watchlist's full-text settings for this source. */
  fullText?: FullTextMode;
  fullTextMinChars?: number;
}

/** Derived from a seed article: a weighted term vector, never the article's text. */
export interface ReferenceProfile {
  /** Where the seed came from (a path or URL), for the record. */
  seed: string;
  createdAt: string;
  terms: Record<string, number>;
  /** The default cut-off: stories scoring below are left out of digests (derived from the seed; docs/relevance.md). */
  minScore?: number;
}

export interface Keyword {
  term: string;
  /** Other spellings of the same concept (transliterations, scripts, abbreviations). */
  aliases: string[];
  /** Light plural/feminine inflection (default true). */
  inflect?: boolean;
  /** Case-sensitive (default false): for acronyms that are also words. Turns inflection off. */
  case?: boolean;
  /** As written, accents included (default false). Turns inflection off. */
  exact?: boolean;
}

export type FacetKind = 'actor' | 'theme';
export const FACET_KINDS: readonly FacetKind[] = ['actor', 'theme'];

/**
 * A named group of spellings for one actor (a country, a person, an
 * organisation) or one theme, across languages. An item satisfies the facet
 * when it holds any of them (docs/watchlists.md, "Facets").
 */
export interface Facet {
  name: string;
  kind: FacetKind;
  /** ISO 3166-1 alpha-2 codes: every name general data has for these countries (docs/entities.md). */
  countries: string[];
  /** Other words and phrases: people, places, organisations, the theme's phrases. */
  terms: string[];
}

/** An advanced rule in the query language (docs/watchlists.md, "Rules"). */
export interface Rule {
  /** What matches are recorded under; null records them under the query. */
  name: string | null;
  query: string;
}

/** A watchlist as read from its file, with the warnings its validation gave. */
export interface LoadedWatchlist {
  watchlist: Watchlist;
  file: string;
  warnings: string[];
}

export interface Watchlist {
  name: string;
  description: string;
  feeds: FeedSource[];
  keywords: Keyword[];
  /** Advanced rules; validateWatchlist always sets it (optional for hand-built values). */
  rules?: Rule[];
  /** Exclusions, each a query (a word or phrase is the simplest query): an item matching one is dropped. */
  exclude: string[];
  /** Watchlist-wide full-text settings: `auto` scrapes items whose feed text is shorter than fullTextMinChars. */
  fullText?: FullTextMode;
  fullTextMinChars?: number;
  reference?: ReferenceProfile;
  /** Facets, and the combination of them an item must hold (`require`); see docs/watchlists.md. */
  facets?: Facet[];
  /** AND, OR, NOT and parentheses over facet names; the default asks for every facet. */
  require?: string;
  /** Where `digest --deliver` sends the watchlist's new stories. */
  destinations?: DestinationSpec[];
}

export interface ValidationResult {
  value: Watchlist | null;
  errors: string[];
  warnings: string[];
}

const TOP_LEVEL = ['name', 'description', 'feeds', 'keywords', 'rules', 'exclude', 'fullText', 'fullTextMinChars', 'reference', 'facets', 'require', 'destinations'];
const FACET_FIELDS = ['name', 'kind', 'countries', 'terms'];
const FEED_FIELDS = ['url', 'label', 'type', 'selectors', 'fullText', 'fullTextMinChars'];
const SELECTOR_FIELDS = ['links', 'title', 'date'];
const KEYWORD_FIELDS = ['term', 'aliases', 'inflect', 'case', 'exact'];
const RULE_FIELDS = ['name', 'query'];
const REFERENCE_FIELDS = ['seed', 'createdAt', 'terms', 'minScore'];
export const WATCHLIST_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/** This module's file: the watchlist cache is valid only for the validation code that filled it (src/config/watchlist-cache.ts). */
export const VALIDATOR_MODULE_URL = import.meta.url;

/** Collects problems with their field paths while values are read. */
class Problems {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  error(path: string, message: string): void {
    this.errors.push(path ? `${path}: ${message}` : message);
  }
  warn(path: string, message: string): void {
    this.warnings.push(path ? `${path}: ${message}` : message);
  }
  unknownFields(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      const guess = closest(key, allowed);
      this.error(path ? `${path}.${key}` : key, `unknown field${guess ? ` (did you mean "${guess}"?)` : ''}; expected one of ${allowed.join(', ')}`);
    }
  }
}

export function validateWatchlist(raw: unknown, fallbackName: string): ValidationResult {
  const p = new Problems();
  if (raw === null || raw === undefined) return { value: null, errors: ['the file is empty; expected a mapping with feeds and keywords'], warnings: [] };
  if (!isMapping(raw)) return { value: null, errors: [`top level: expected a mapping (${TOP_LEVEL.join(', ')}), found ${typeName(raw)}`], warnings: [] };
  const doc = raw;
  p.unknownFields(doc, TOP_LEVEL, '');

  let name = fallbackName;
  if (doc['name'] !== undefined) {
    if (typeof doc['name'] !== 'string' || !WATCHLIST_NAME.test(doc['name'])) p.error('name', 'must be letters, digits, dot, dash or underscore (at most 64), starting with a letter or digit');
    else name = doc['name'];
  }
  const description = readOptionalString(doc['description'], 'description', p) ?? '';

  const feeds: FeedSource[] = [];
  const rawFeeds = doc['feeds'];
  if (rawFeeds === undefined || rawFeeds === null) p.warn('feeds', 'none listed, so nothing will be fetched');
  else if (!Array.isArray(rawFeeds)) p.error('feeds', `must be a list of URLs or { url, label } entries, found ${typeName(rawFeeds)}`);
  else
    rawFeeds.forEach((entry, i) => {
      const feed = readFeed(entry, `feeds[${i}]`, p);
      if (feed) feeds.push(feed);
    });

  const keywords: Keyword[] = [];
  // Where each kept entry stood in the file: messages name the file's index, not the kept list's.
  const keywordAt: number[] = [];
  const rawKeywords = doc['keywords'];
  const rawRules = doc['rules'];
  const hasRules = (Array.isArray(rawRules) && rawRules.length > 0) || (Array.isArray(doc['facets']) && doc['facets'].length > 0);
  if (rawKeywords === undefined || rawKeywords === null) {
    if (!hasRules) p.error('keywords', 'missing; list at least one word or phrase to watch for (or a rule under rules:, or facets:)');
  } else if (!Array.isArray(rawKeywords)) p.error('keywords', `must be a list of words or phrases, found ${typeName(rawKeywords)}`);
  else {
    rawKeywords.forEach((entry, i) => {
      const keyword = readKeyword(entry, `keywords[${i}]`, p);
      if (keyword) {
        keywords.push(keyword);
        keywordAt.push(i);
      }
    });
    if (rawKeywords.length === 0 && !hasRules) p.error('keywords', 'empty; list at least one word or phrase to watch for (or a rule under rules:, or facets:)');
  }
  warnDuplicateSpellings(keywords, p);

  const rules: Rule[] = [];
  const ruleAt: number[] = [];
  if (rawRules !== undefined && rawRules !== null) {
    if (!Array.isArray(rawRules)) p.error('rules', `must be a list of queries or { name, query } entries, found ${typeName(rawRules)}`);
    else
      rawRules.forEach((entry, i) => {
        const rule = readRule(entry, `rules[${i}]`, p);
        if (rule) {
          rules.push(rule);
          ruleAt.push(i);
        }
      });
  }
  checkRecordNames(keywords, keywordAt, rules, ruleAt, p);

  const exclude: string[] = [];
  const rawExclude = doc['exclude'];
  if (rawExclude !== undefined && rawExclude !== null) {
    if (!Array.isArray(rawExclude)) p.error('exclude', `must be a list of words, phrases or queries, found ${typeName(rawExclude)}`);
    else
      rawExclude.forEach((entry, i) => {
        const path = `exclude[${i}]`;
        if (typeof entry !== 'string' || !entry.trim()) {
          p.error(path, `must be a non-empty string (a word, phrase or query), found ${typeName(entry)}`);
          return;
        }
        if (checkQuery(entry.trim(), path, p)) exclude.push(entry.trim());
      });
  }

  const fullText = readFullTextMode(doc['fullText'], 'fullText', p);
  const fullTextMinChars = readPositiveInt(doc['fullTextMinChars'], 'fullTextMinChars', p);
  const reference = doc['reference'] === undefined || doc['reference'] === null ? undefined : readReference(doc['reference'], 'reference', p);
  const { facets, names: facetNames } = readFacets(doc['facets'], p);
  checkFacetNames(facets, keywords, rules, p);
  const require = readRequire(doc['require'], facetNames, p);
  const destinations = readDestinations(doc['destinations'], 'destinations', p);

  if (p.errors.length > 0) return { value: null, errors: p.errors, warnings: p.warnings };
  const value: Watchlist = { name, description, feeds, keywords, rules, exclude };
  if (fullText !== undefined) value.fullText = fullText;
  if (fullTextMinChars !== undefined) value.fullTextMinChars = fullTextMinChars;
  if (reference) value.reference = reference;
  if (facets.length > 0) value.facets = facets;
  if (require !== undefined) value.require = require;
  if (destinations.length > 0) value.destinations = destinations;
  return { value, errors: [], warnings: p.warnings };
}

// ---------------------------------------------------------------- feeds

function readFeed(entry: unknown, path: string, p: Problems): FeedSource | null {
  if (typeof entry === 'string') {
    const problem = checkFeedUrl(entry.trim());
    if (problem) {
      p.error(path, problem);
      return null;
    }
    return { url: entry.trim(), label: null };
  }
  if (!isMapping(entry)) {
    p.error(path, `must be a URL or { url, label }, found ${typeName(entry)}`);
    return null;
  }
  const before = p.errors.length;
  p.unknownFields(entry, FEED_FIELDS, path);
  let url = '';
  if (typeof entry['url'] !== 'string') p.error(`${path}.url`, entry['url'] === undefined ? "missing; give the feed's address" : `must be a string, found ${typeName(entry['url'])}`);
  else {
    url = entry['url'].trim();
    const problem = checkFeedUrl(url);
    if (problem) p.error(`${path}.url`, problem);
  }
  const label = readOptionalString(entry['label'], `${path}.label`, p);
  const feed: FeedSource = { url, label: label?.trim() || null };

  const type = entry['type'];
  if (type !== undefined && type !== 'feed' && type !== 'html') p.error(`${path}.type`, `must be "feed" or "html", found ${typeName(type)}`);
  else if (type !== undefined) feed.type = type;

  if (entry['selectors'] !== undefined) {
    if (feed.type !== 'html') p.error(`${path}.selectors`, 'only used with type: html (add type: html, or remove selectors)');
    const selectors = readSelectors(entry['selectors'], `${path}.selectors`, p);
    if (selectors) feed.selectors = selectors;
  } else if (feed.type === 'html') p.error(`${path}.selectors`, 'missing; an html source needs selectors: { links: "<CSS selector of the article links>" }');

  const fullText = readFullTextMode(entry['fullText'], `${path}.fullText`, p);
  if (fullText !== undefined) feed.fullText = fullText;
  const minChars = readPositiveInt(entry['fullTextMinChars'], `${path}.fullTextMinChars`, p);
  if (minChars !== undefined) feed.fullTextMinChars = minChars;
  return p.errors.length === before ? feed : null;
}

function readSelectors(value: unknown, path: string, p: Problems): HtmlSelectors | null {
  if (!isMapping(value)) {
    p.error(path, `must be a mapping { links, title, date }, found ${typeName(value)}`);
    return null;
  }
  p.unknownFields(value, SELECTOR_FIELDS, path);
  const links = value['links'];
  if (typeof links !== 'string' || !links.trim()) {
    p.error(`${path}.links`, links === undefined ? 'missing; give the CSS selector of the article links' : `must be a non-empty CSS selector, found ${typeName(links)}`);
    return null;
  }
  const selectors: HtmlSelectors = { links: links.trim() };
  for (const key of ['title', 'date'] as const) {
    const v = value[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !v.trim()) p.error(`${path}.${key}`, `must be a non-empty CSS selector, found ${typeName(v)}`);
    else selectors[key] = v.trim();
  }
  return selectors;
}

/** http(s) URLs, file: URLs and plain paths are feeds; any other scheme is a mistake. */
export function checkFeedUrl(url: string): string | null {
  if (!url) return 'empty URL';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (!scheme || /^[a-z]$/i.test(scheme)) return null; // a path (or a Windows drive letter)
  if (scheme === 'file') return null;
  if (scheme !== 'http' && scheme !== 'https') return `unsupported scheme "${scheme}:" (use http, https, file or a path)`;
  try {
    const parsed = new URL(url);
    if (!parsed.hostname) return `not a valid URL (no host): ${url}`;
    return null;
  } catch {
    return `not a valid URL: ${url}`;
  }
}

// ---------------------------------------------------------------- keywords, rules, exclusions

function readKeyword(entry: unknown, path: string, p: Problems): Keyword | null {
  if (typeof entry === 'string') {
    const term = entry.trim();
    if (!term) {
      p.error(path, 'empty keyword');
      return null;
    }
    if (!hasWords(term)) {
      p.error(path, `"${term}" has no letters or digits to match`);
      return null;
    }
    return { term, aliases: [] };
  }
  if (!isMapping(entry)) {
    p.error(path, `must be a string or { term, aliases, inflect, case, exact }, found ${typeName(entry)}`);
    return null;
  }
  const before = p.errors.length;
  p.unknownFields(entry, KEYWORD_FIELDS, path);
  const rawTerm = entry['term'];
  let term = '';
  if (typeof rawTerm !== 'string' || !rawTerm.trim()) p.error(`${path}.term`, rawTerm === undefined ? 'missing; give the word or phrase to watch for' : `must be a non-empty string, found ${typeName(rawTerm)}`);
  else if (!hasWords(rawTerm)) p.error(`${path}.term`, `"${rawTerm.trim()}" has no letters or digits to match`);
  else term = rawTerm.trim();

  const aliases: string[] = [];
  const rawAliases = entry['aliases'];
  if (rawAliases !== undefined && rawAliases !== null) {
    if (!Array.isArray(rawAliases)) p.error(`${path}.aliases`, `must be a list of spellings, found ${typeName(rawAliases)}`);
    else
      rawAliases.forEach((a, i) => {
        if (typeof a !== 'string' || !a.trim()) p.error(`${path}.aliases[${i}]`, `must be a non-empty string, found ${typeName(a)}`);
        else if (!hasWords(a)) p.error(`${path}.aliases[${i}]`, `"${a.trim()}" has no letters or digits to match`);
        else aliases.push(a.trim());
      });
  }
  const keyword: Keyword = { term, aliases };
  for (const flag of ['inflect', 'case', 'exact'] as const) {
    const v = entry[flag];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') p.error(`${path}.${flag}`, `must be true or false, found ${typeName(v)}`);
    else keyword[flag] = v;
  }
  if (keyword.inflect === true && (keyword.case || keyword.exact)) p.warn(`${path}.inflect`, `ignored: ${keyword.case ? 'case' : 'exact'} terms match as written`);
  return p.errors.length === before ? keyword : null;
}

function readRule(entry: unknown, path: string, p: Problems): Rule | null {
  if (typeof entry === 'string') {
    if (!entry.trim()) {
      p.error(path, 'empty rule; write a query such as: accord NEAR/5 défense');
      return null;
    }
    return checkQuery(entry.trim(), path, p) ? { name: null, query: entry.trim() } : null;
  }
  if (!isMapping(entry)) {
    p.error(path, `must be a query string or { name, query }, found ${typeName(entry)}`);
    return null;
  }
  const before = p.errors.length;
  p.unknownFields(entry, RULE_FIELDS, path);
  const name = readOptionalString(entry['name'], `${path}.name`, p)?.trim() || null;
  const query = entry['query'];
  if (typeof query !== 'string' || !query.trim()) {
    p.error(`${path}.query`, query === undefined ? 'missing; write a query such as: accord NEAR/5 défense' : `must be a non-empty string, found ${typeName(query)}`);
    return null;
  }
  checkQuery(query.trim(), `${path}.query`, p);
  return p.errors.length === before ? { name, query: query.trim() } : null;
}

function checkQuery(query: string, path: string, p: Problems): boolean {
  const parsed = parseQuery(query);
  if (!parsed.ok) p.error(path, parsed.error.message);
  return parsed.ok;
}

/** Matches are recorded under a keyword's term or a rule's name: two records with one label would overwrite each other. */
function checkRecordNames(keywords: readonly Keyword[], keywordAt: readonly number[], rules: readonly Rule[], ruleAt: readonly number[], p: Problems): void {
  const seen = new Map<string, string>();
  keywords.forEach((k, i) => {
    seen.set(k.term, `keywords[${keywordAt[i]}]`);
  });
  rules.forEach((r, i) => {
    const label = r.name ?? r.query;
    const path = r.name ? `rules[${ruleAt[i]}].name` : `rules[${ruleAt[i]}]`;
    const other = seen.get(label);
    if (other) p.error(path, `"${label}" is already used by ${other}; give this rule another name`);
    else seen.set(label, path);
  });
}

function warnDuplicateSpellings(keywords: readonly Keyword[], p: Problems): void {
  const seen = new Map<string, string>();
  keywords.forEach((k, i) => {
    [k.term, ...k.aliases].forEach((spelling, j) => {
      const key = normalizeTerm(spelling);
      const path = j === 0 ? `keywords[${i}].term` : `keywords[${i}].aliases[${j - 1}]`;
      const other = seen.get(key);
      if (other && !other.startsWith(`keywords[${i}].`)) p.warn(path, `"${spelling}" is the same spelling as ${other}`);
      else if (!other) seen.set(key, path);
    });
  });
}

// ---------------------------------------------------------------- facets

/** The valid facets, and the names of all (so `require` is checked against what the user wrote, even with a broken facet). */
function readFacets(value: unknown, p: Problems): { facets: Facet[]; names: string[] } {
  if (value === undefined || value === null) return { facets: [], names: [] };
  if (!Array.isArray(value)) {
    p.error('facets', `must be a list of { name, kind, countries, terms }, found ${typeName(value)}`);
    return { facets: [], names: [] };
  }
  const facets: Facet[] = [];
  const names = new Map<string, number>();
  const written: string[] = [];
  for (const [i, entry] of value.entries()) {
    const path = `facets[${i}]`;
    if (!isMapping(entry)) {
      p.error(path, `must be a mapping { name, kind, countries, terms }, found ${typeName(entry)}`);
      continue;
    }
    const before = p.errors.length;
    p.unknownFields(entry, FACET_FIELDS, path);
    const name = typeof entry['name'] === 'string' ? entry['name'].trim() : '';
    if (!name) p.error(`${path}.name`, entry['name'] === undefined ? 'missing; give the facet a name (require: refers to it)' : `must be a non-empty string, found ${typeName(entry['name'])}`);
    else if (!hasWords(name) || /\b(?:AND|OR|NOT)\b|[()"*:]|NEAR\//.test(name)) p.error(`${path}.name`, `"${name}" cannot be used in require: (use words, without AND, OR, NOT, NEAR/, quotes, parentheses, * or :)`);
    else if (names.has(normalizeTerm(name))) p.error(`${path}.name`, `"${name}" is already the name of facets[${names.get(normalizeTerm(name))}]`);
    else {
      names.set(normalizeTerm(name), i);
      written.push(name);
    }
    const kind = entry['kind'] ?? 'actor';
    if (typeof kind !== 'string' || !(FACET_KINDS as readonly string[]).includes(kind)) p.error(`${path}.kind`, `must be ${FACET_KINDS.join(' or ')}, found ${typeName(kind)}`);
    const countries = readStringList(entry['countries'], `${path}.countries`, p).map((c) => c.toUpperCase());
    for (const [j, code] of countries.entries()) {
      if (!/^[A-Z]{2}$/.test(code) || !isCountryCode(code)) p.error(`${path}.countries[${j}]`, `"${code}" is not an ISO 3166-1 alpha-2 country code (RU, KP, FR, US…)`);
    }
    const terms = readStringList(entry['terms'], `${path}.terms`, p);
    if (countries.length === 0 && terms.length === 0 && p.errors.length === before) p.error(path, 'empty; list countries: or terms: (the words that satisfy this facet)');
    if (p.errors.length === before) facets.push({ name, kind: kind as FacetKind, countries, terms });
  }
  return { facets, names: written };
}

/** A facet held is recorded under its name, as keywords and rules are under theirs: the names must differ. */
function checkFacetNames(facets: readonly Facet[], keywords: readonly Keyword[], rules: readonly Rule[], p: Problems): void {
  const taken = new Map<string, string>();
  for (const [i, k] of keywords.entries()) taken.set(k.term, `keywords[${i}]`);
  for (const [i, r] of rules.entries()) taken.set(r.name ?? r.query, `rules[${i}]`);
  for (const [i, f] of facets.entries()) {
    const other = taken.get(f.name);
    if (other) p.error(`facets[${i}].name`, `"${f.name}" is already used by ${other}; give the facet another name`);
  }
}

function readStringList(value: unknown, path: string, p: Problems): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    p.error(path, `must be a list, found ${typeName(value)}`);
    return [];
  }
  const out: string[] = [];
  for (const [i, v] of value.entries()) {
    if (typeof v !== 'string' || !v.trim()) p.error(`${path}[${i}]`, `must be a non-empty string, found ${typeName(v)}`);
    else if (!hasWords(v)) p.error(`${path}[${i}]`, `"${v.trim()}" has no letters or digits to match`);
    else out.push(v.trim());
  }
  return out;
}

/** `require` is a query whose words are facet names, with AND, OR, NOT and parentheses only. */
function readRequire(value: unknown, facetNames: readonly string[], p: Problems): string | undefined {
  if (value === undefined || value === null) return undefined;
  let problem: string | null;
  if (typeof value !== 'string' || !value.trim()) problem = `must be a combination of facet names such as "A AND B", found ${typeName(value)}`;
  else if (facetNames.length === 0) problem = 'there are no facets to combine; add facets: or remove require:';
  else problem = checkRequire(value.trim(), facetNames);
  if (problem) {
    p.error('require', problem);
    return undefined;
  }
  return (value as string).trim();
}

/** Null when `require` only combines known facet names with AND, OR, NOT and parentheses; else what is wrong. */
export function checkRequire(require: string, facetNames: readonly string[]): string | null {
  const parsed = parseQuery(require);
  if (!parsed.ok) return parsed.error.message;
  const known = new Set(facetNames.map(normalizeTerm));
  const problems: string[] = [];
  const visit = (node: QueryNode): void => {
    switch (node.type) {
      case 'phrase':
        if (node.field || node.quoted || !known.has(normalizeTerm(node.text))) problems.push(`"${node.text}" is not a facet name (facets: ${facetNames.join(', ')})`);
        return;
      case 'and':
      case 'or':
        for (const child of node.children) visit(child);
        return;
      case 'not':
        visit(node.child);
        return;
      case 'near':
      case 'scope':
        problems.push('only AND, OR, NOT and parentheses combine facets (no NEAR/ or field:)');
    }
  };
  visit(parsed.query);
  return problems[0] ?? null;
}

// ---------------------------------------------------------------- full text, reference

function readFullTextMode(value: unknown, path: string, p: Problems): FullTextMode | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (FULL_TEXT_MODES as readonly string[]).includes(value)) return value as FullTextMode;
  p.error(path, `must be one of ${FULL_TEXT_MODES.join(', ')}, found ${typeName(value)}`);
  return undefined;
}

function readPositiveInt(value: unknown, path: string, p: Problems): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  p.error(path, `must be a positive whole number, found ${typeName(value)}`);
  return undefined;
}

function readReference(value: unknown, path: string, p: Problems): ReferenceProfile | undefined {
  if (!isMapping(value)) {
    p.error(path, `must be a mapping { seed, createdAt, terms }, found ${typeName(value)}`);
    return undefined;
  }
  const before = p.errors.length;
  p.unknownFields(value, REFERENCE_FIELDS, path);
  const seed = value['seed'];
  if (typeof seed !== 'string' || !seed.trim()) p.error(`${path}.seed`, seed === undefined ? 'missing; the path or URL of the seed article' : `must be a non-empty string, found ${typeName(seed)}`);
  // YAML reads an unquoted timestamp as a Date.
  const rawCreated = value['createdAt'] instanceof Date ? value['createdAt'].toISOString() : value['createdAt'];
  if (typeof rawCreated !== 'string' || Number.isNaN(Date.parse(rawCreated))) p.error(`${path}.createdAt`, `must be an ISO date (2025-01-31T12:00:00Z), found ${typeName(rawCreated)}`);
  const terms: Record<string, number> = {};
  const rawTerms = value['terms'];
  if (!isMapping(rawTerms)) p.error(`${path}.terms`, rawTerms === undefined ? 'missing; a mapping of term to weight' : `must be a mapping of term to weight, found ${typeName(rawTerms)}`);
  else {
    for (const [term, weight] of Object.entries(rawTerms)) {
      if (typeof weight !== 'number' || !Number.isFinite(weight)) p.error(`${path}.terms.${term}`, `must be a number, found ${typeName(weight)}`);
      else terms[term] = weight;
    }
  }
  const minScore = value['minScore'];
  if (minScore !== undefined && (typeof minScore !== 'number' || !(minScore >= 0 && minScore <= 1))) p.error(`${path}.minScore`, `must be a number from 0 to 1, found ${typeName(minScore)}`);
  if (p.errors.length > before) return undefined;
  return { seed: (seed as string).trim(), createdAt: rawCreated as string, terms, ...(typeof minScore === 'number' ? { minScore } : {}) };
}

// ---------------------------------------------------------------- destinations

function readDestinations(value: unknown, path: string, p: Problems): DestinationSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    p.error(path, `must be a list of destinations (mailto:, https://, file:), found ${typeName(value)}`);
    return [];
  }
  const out: DestinationSpec[] = [];
  const seen = new Map<string, number>();
  value.forEach((entry, i) => {
    const { value: spec, problems } = readDestination(entry);
    for (const problem of problems) p.error(problem.field ? `${path}[${i}].${problem.field}` : `${path}[${i}]`, problem.message);
    if (!spec) return;
    const before = seen.get(spec.uri);
    if (before !== undefined) {
      p.error(`${path}[${i}]`, `${spec.uri} is already ${path}[${before}]`);
      return;
    }
    seen.set(spec.uri, i);
    out.push(spec);
  });
  return out;
}

// ---------------------------------------------------------------- helpers

function readOptionalString(value: unknown, path: string, p: Problems): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    p.error(path, `must be a string, found ${typeName(value)}`);
    return undefined;
  }
  return value;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function isCountryCode(code: string): boolean {
  return countryAliases(code) !== null;
}

function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

function typeName(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  switch (typeof value) {
    case 'string':
      return value.trim() ? `the text "${truncate(value)}"` : 'an empty string';
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `${value}`;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** The allowed name within two edits of a mistyped one, for "did you mean". */
function closest(key: string, allowed: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length]!;
}
