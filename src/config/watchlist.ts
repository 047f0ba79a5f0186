/**
 * The watchlist model and its validation. Pure: takes the parsed YAML value and
 * returns the watchlist or a list of problems, each naming a field path.
 *
 * A watchlist file:
 *   name: coree-russie            # optional, defaults to the file name
 *   description: ...
 *   feeds:
 *     - https://example.org/rss   # or { url, label }
 *   keywords:
 *     - Pyongyang                 # or { term, aliases: [...] }
 *   exclude:
 *     - football
 */
/** When to fetch the article page behind an item (issue: full text). */
export type FullTextMode = 'auto' | 'always' | 'never';

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
}

export interface Keyword {
  term: string;
  aliases: string[];
}

export interface Watchlist {
  name: string;
  description: string;
  feeds: FeedSource[];
  keywords: Keyword[];
  exclude: string[];
  /** Watchlist-wide full-text settings: `auto` scrapes items whose feed text is shorter than fullTextMinChars. */
  fullText?: FullTextMode;
  fullTextMinChars?: number;
  reference?: ReferenceProfile;
}

export interface ValidationResult {
  value: Watchlist | null;
  errors: string[];
  warnings: string[];
}

const TOP_LEVEL = new Set(['name', 'description', 'feeds', 'keywords', 'exclude']);
export const WATCHLIST_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

export function validateWatchlist(raw: unknown, fallbackName: string): ValidationResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (raw === null || raw === undefined) return { value: null, errors: ['the file is empty; expected a mapping with feeds and keywords'], warnings };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { value: null, errors: ['top level: expected a mapping (name, description, feeds, keywords, exclude)'], warnings };
  const doc = raw as Record<string, unknown>;

  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL.has(key)) errors.push(`${key}: unknown field (expected one of ${[...TOP_LEVEL].join(', ')})`);
  }

  let name = fallbackName;
  if (doc['name'] !== undefined) {
    if (typeof doc['name'] !== 'string' || !WATCHLIST_NAME.test(doc['name'])) errors.push('name: must be letters, digits, dot, dash or underscore (at most 64)');
    else name = doc['name'];
  }
  let description = '';
  if (doc['description'] !== undefined) {
    if (typeof doc['description'] !== 'string') errors.push('description: must be a string');
    else description = doc['description'];
  }

  const feeds: FeedSource[] = [];
  const rawFeeds = doc['feeds'];
  if (rawFeeds === undefined || rawFeeds === null) warnings.push('feeds: none listed, so nothing will be fetched');
  else if (!Array.isArray(rawFeeds)) errors.push('feeds: must be a list of URLs or { url, label } entries');
  else {
    rawFeeds.forEach((entry, i) => {
      const path = `feeds[${i}]`;
      const feed = typeof entry === 'string' ? { url: entry, label: null } : readFeedObject(entry, path, errors);
      if (!feed) return;
      const problem = checkFeedUrl(feed.url);
      if (problem) errors.push(`${path}.url: ${problem}`);
      else feeds.push(feed);
    });
  }

  const keywords: Keyword[] = [];
  const rawKeywords = doc['keywords'];
  if (rawKeywords === undefined || rawKeywords === null) errors.push('keywords: missing; list at least one word or phrase to watch for');
  else if (!Array.isArray(rawKeywords)) errors.push('keywords: must be a list of words or phrases');
  else {
    rawKeywords.forEach((entry, i) => {
      const path = `keywords[${i}]`;
      if (typeof entry === 'string') {
        if (!entry.trim()) errors.push(`${path}: empty keyword`);
        else keywords.push({ term: entry.trim(), aliases: [] });
        return;
      }
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
        errors.push(`${path}: must be a string or { term, aliases }`);
        return;
      }
      const obj = entry as Record<string, unknown>;
      for (const key of Object.keys(obj)) if (key !== 'term' && key !== 'aliases') errors.push(`${path}.${key}: unknown field (expected term, aliases)`);
      if (typeof obj['term'] !== 'string' || !obj['term'].trim()) {
        errors.push(`${path}.term: must be a non-empty string`);
        return;
      }
      const aliases = readStringList(obj['aliases'], `${path}.aliases`, errors);
      keywords.push({ term: obj['term'].trim(), aliases });
    });
    if (rawKeywords.length === 0) errors.push('keywords: empty; list at least one word or phrase to watch for');
  }

  const exclude = readStringList(doc['exclude'], 'exclude', errors);

  if (errors.length > 0) return { value: null, errors, warnings };
  return { value: { name, description, feeds, keywords, exclude }, errors, warnings };
}

function readFeedObject(entry: unknown, path: string, errors: string[]): FeedSource | null {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    errors.push(`${path}: must be a URL or { url, label }`);
    return null;
  }
  const obj = entry as Record<string, unknown>;
  for (const key of Object.keys(obj)) if (key !== 'url' && key !== 'label') errors.push(`${path}.${key}: unknown field (expected url, label)`);
  if (typeof obj['url'] !== 'string') {
    errors.push(`${path}.url: missing; give the feed's address`);
    return null;
  }
  if (obj['label'] !== undefined && typeof obj['label'] !== 'string') {
    errors.push(`${path}.label: must be a string`);
    return null;
  }
  return { url: obj['url'].trim(), label: (obj['label'] as string | undefined)?.trim() || null };
}

function readStringList(value: unknown, path: string, errors: string[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.push(`${path}: must be a list of strings`);
    return [];
  }
  const out: string[] = [];
  value.forEach((v, i) => {
    if (typeof v !== 'string' || !v.trim()) errors.push(`${path}[${i}]: must be a non-empty string`);
    else out.push(v.trim());
  });
  return out;
}

/** http(s) URLs, file: URLs and plain paths are feeds; any other scheme is a mistake. */
export function checkFeedUrl(url: string): string | null {
  if (!url) return 'empty URL';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (!scheme || /^[a-z]$/i.test(scheme)) return null; // a path (or a Windows drive letter)
  if (scheme === 'file') return null;
  if (scheme !== 'http' && scheme !== 'https') return `unsupported scheme "${scheme}:" (use http, https, file or a path)`;
  try {
    new URL(url);
    return null;
  } catch {
    return `not a valid URL: ${url}`;
  }
}
