import type { QueryNode } from '../match/parse-query.js';
import { inflectionKey } from '../match/inflect.js';
import { normalizeTerm } from '../match/normalize.js';

/**
 * What a store's full-text index is asked: words, each matched as a prefix
 * (accent- and case-insensitive), combined with AND and OR. Each store turns it
 * into its own syntax (FTS5 in SQLite, tsquery in PostgreSQL).
 */
export type TextFilter =
  | { type: 'word'; word: string; prefix: string }
  | { type: 'and' | 'or'; children: TextFilter[] };

/**
 * Turns a watchlist query into a filter that finds a *superset* of its
 * matches: every word becomes a prefix term (so inflected forms are candidates),
 * phrases and NEAR become AND, NOT and field scopes are left to the exact
 * matcher. Returns null when the query cannot narrow anything (e.g. `NOT x`).
 */
export function toTextPrefilter(node: QueryNode): TextFilter | null {
  switch (node.type) {
    case 'phrase':
      return wordsFilter(node.text.replace(/\*$/, ''));
    case 'and':
      return allOf(node.children.map(toTextPrefilter));
    case 'near':
      return allOf([toTextPrefilter(node.left), toTextPrefilter(node.right)]);
    case 'or': {
      const parts = node.children.map(toTextPrefilter);
      return parts.some((p) => p === null) ? null : { type: 'or', children: parts as TextFilter[] };
    }
    case 'not':
      return null;
    case 'scope':
      return toTextPrefilter(node.child);
  }
}

function allOf(parts: (TextFilter | null)[]): TextFilter | null {
  const kept = parts.filter((p): p is TextFilter => p !== null);
  return kept.length ? { type: 'and', children: kept } : null;
}

/**
 * Every word of `text` as a prefix term, ANDed: a superset of what the matcher
 * accepts. The prefix is the word's inflection key less two letters
 * (journaux → journ*, Пхеньяне → Пхенья*), since inflection changes only the
 * end of a word and the key can end in letters the plural does not have.
 */
export function wordsFilter(text: string): TextFilter | null {
  const words = normalizeTerm(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (words.length === 0) return null;
  return {
    type: 'and',
    children: words.map((word) => {
      const key = inflectionKey(word);
      const prefix = key.length > 4 ? key.slice(0, -2) : key.length < word.length ? key : word;
      return { type: 'word', word, prefix };
    }),
  };
}

/** The filter in FTS5 query syntax (SQLite). */
export function toFts5Query(filter: TextFilter): string {
  if (filter.type === 'word') return `"${filter.prefix.replace(/"/g, '""')}"*`;
  const joined = filter.children.map(toFts5Query).join(filter.type === 'and' ? ' AND ' : ' OR ');
  return filter.type === 'or' || filter.children.length > 1 ? `(${joined})` : joined;
}
