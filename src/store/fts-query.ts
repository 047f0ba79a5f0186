import type { QueryNode } from '../match/parse-query.js';
import { inflectionKey } from '../match/inflect.js';
import { normalizeTerm } from '../match/normalize.js';

/**
 * Turns a watchlist query into an FTS5 query that finds a *superset* of its
 * matches: every word becomes a prefix term (so inflected forms are candidates)
 * or the same word written in two parts (Pyong-Yang for Pyongyang), phrases and
 * NEAR become AND, NOT and field scopes are left to the exact matcher. Returns
 * null when the query cannot narrow anything (e.g. `NOT x`).
 */
export function toFtsPrefilter(node: QueryNode): string | null {
  switch (node.type) {
    case 'phrase':
      return ftsWordsQuery(node.text.replace(/\*$/, ''), { inParts: true });
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
 *
 * With `inParts`, each word may also be found written in two parts, as the
 * matcher reads them (docs/watchlists.md): the prefix cut at every letter, the
 * first part a whole token and the second a prefix ("pyongya"* OR ("pyong" AND
 * "ya"*) OR …): the index keeps "Pyong-Yang" as the tokens pyong and yang. It
 * keeps no positions (detail=none), so "side by side" is left to the matcher.
 */
export function ftsWordsQuery(text: string, options: { inParts?: boolean } = {}): string | null {
  const words = normalizeTerm(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (words.length === 0) return null;
  return words
    .map((word) => {
      const key = inflectionKey(word);
      const prefix = key.length > 4 ? key.slice(0, -2) : key.length < word.length ? key : word;
      const whole = `${quote(prefix)}*`;
      if (!options.inParts || prefix.length < 2) return whole;
      const letters = [...prefix];
      const parts = letters.slice(1).map((_, i) => `(${quote(letters.slice(0, i + 1).join(''))} AND ${quote(letters.slice(i + 1).join(''))}*)`);
      return `(${[whole, ...parts].join(' OR ')})`;
    })
    .join(' AND ');
}

function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}
