import type { QueryNode } from '../match/parse-query.js';
import { normalizeTerm } from '../match/normalize.js';

/**
 * Turns a watchlist query into an FTS5 query that finds a *superset* of its
 * matches: every word becomes a prefix term (so inflected forms are candidates),
 * phrases and NEAR become AND, NOT and field scopes are left to the exact
 * matcher. Returns null when the query cannot narrow anything (e.g. `NOT x`).
 */
export function toFtsPrefilter(node: QueryNode): string | null {
  switch (node.type) {
    case 'phrase': {
      const words = normalizeTerm(node.text.replace(/\*$/, ''))
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean);
      return words.length ? words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' AND ') : null;
    }
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
