import type { QueryNode } from '../match/parse-query.js';
import { inflectionKey } from '../match/inflect.js';
import { normalizeTerm } from '../match/normalize.js';

/**
 * What a store's full-text index is asked: words, each matched as a prefix
 * (accent- and case-insensitive), and the parts of a word written in two
 * (`part`: a whole token, or with `prefix` a token's start), combined with AND
 * and OR. Each store turns it into its own syntax (FTS5 in SQLite, tsquery in
 * PostgreSQL).
 */
export type TextFilter = { type: 'word'; word: string; prefix: string } | { type: 'part'; text: string; prefix: boolean } | { type: 'and' | 'or'; children: TextFilter[] };

/**
 * Turns a watchlist query into a filter that finds a *superset* of its
 * matches: every word becomes a prefix term (so inflected forms are candidates)
 * or the same word written in two parts (Pyong-Yang for Pyongyang), phrases and
 * NEAR become AND, NOT and field scopes are left to the exact matcher. Returns
 * null when the query cannot narrow anything (e.g. `NOT x`).
 */
export function toTextPrefilter(node: QueryNode): TextFilter | null {
  switch (node.type) {
    case 'phrase':
      return wordsFilter(node.text.replace(/\*$/, ''), { inParts: true });
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
 *
 * With `inParts`, each word may also be found written in two parts, as the
 * matcher reads them (docs/watchlists.md): the prefix cut at every letter, the
 * first part a whole token and the second a prefix (pyongya* OR (pyong AND ya*)
 * OR …): the indexes keep "Pyong-Yang" as the tokens pyong and yang. SQLite's
 * keeps no positions (detail=none), so "side by side" is left to the matcher.
 */
export function wordsFilter(text: string, options: { inParts?: boolean } = {}): TextFilter | null {
  const words = normalizeTerm(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (words.length === 0) return null;
  return {
    type: 'and',
    children: words.map((word) => {
      const key = inflectionKey(word);
      const prefix = key.length > 4 ? key.slice(0, -2) : key.length < word.length ? key : word;
      const whole: TextFilter = { type: 'word', word, prefix };
      if (!options.inParts || prefix.length < 2) return whole;
      const letters = [...prefix];
      const parts = letters.slice(1).map(
        (_, i): TextFilter => ({
          type: 'and',
          children: [
            { type: 'part', text: letters.slice(0, i + 1).join(''), prefix: false },
            { type: 'part', text: letters.slice(i + 1).join(''), prefix: true },
          ],
        }),
      );
      return { type: 'or', children: [whole, ...parts] };
    }),
  };
}

/** The filter in FTS5 query syntax (SQLite). */
export function toFts5Query(filter: TextFilter): string {
  if (filter.type === 'word') return `${quote(filter.prefix)}*`;
  if (filter.type === 'part') return filter.prefix ? `${quote(filter.text)}*` : quote(filter.text);
  const joined = filter.children.map(toFts5Query).join(filter.type === 'and' ? ' AND ' : ' OR ');
  return filter.type === 'or' || filter.children.length > 1 ? `(${joined})` : joined;
}

function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}
