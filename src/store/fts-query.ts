import type { QueryNode } from '../match/parse-query.js';
import { inflectionKey } from '../match/inflect.js';
import { normalizeTerm } from '../match/normalize.js';

/**
 * Turns a watchlist query into an FTS5 query that finds a *superset* of its
 * matches: every word becomes a prefix term (so inflected forms are candidates),
 * phrases and NEAR become AND, NOT and field scopes are left to the exact
 * matcher. Returns null when the query cannot narrow anything (e.g. `NOT x`).
 */
export function toFtsPrefilter(node: QueryNode): string | null {
  switch (node.type) {
    case 'phrase':
      return ftsWordsQuery(node.text.replace(/\*$/, ''));
    case 'and':
      return joinAll(node.children.map(toFtsPrefilter), 'AND');
    case 'near':
      return joinAll([toFtsPrefilter(node.left), toFtsPrefilter(node.right)], 'AND');
    case 'or': {
      const parts = node.children.map(toFtsPrefilter);
      return parts.some((p) => p === null) ? null : `(${parts.join(' OR ')})`;
    }
    case 'not':
      return null;
    case 'scope':
      return toFtsPrefilter(node.child);
  }
}

function joinAll(parts: (string | null)[], op: 'AND'): string | null {
  const kept = parts.filter((p): p is string => p !== null);
  return kept.length ? `(${kept.join(` ${op} `)})` : null;
}

/**
 * Every word of `text` as an FTS5 prefix term, ANDed: a superset of what the
 * matcher accepts. The prefix is the word's inflection key less two letters
 * (journaux → "journ"*, Пхеньяне → "Пхенья"*), since inflection changes only
 * the end of a word and the key can end in letters the plural does not have.
 */
export function ftsWordsQuery(text: string): string | null {
  const words = normalizeTerm(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (words.length === 0) return null;
  return words
    .map((word) => {
      const key = inflectionKey(word);
      const prefix = key.length > 4 ? key.slice(0, -2) : key.length < word.length ? key : word;
      return `"${prefix.replace(/"/g, '""')}"*`;
    })
    .join(' AND ');
}
