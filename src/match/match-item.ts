import type { Keyword } from '../config/watchlist.js';
import { isWordChar, normalizeTerm, normalizeText, type NormalizedText } from './normalize.js';

/** The text of an item that matching reads, by field. */
export interface MatchFields {
  title: string;
  summary: string;
  content: string;
  body?: string;
}
export type FieldName = keyof MatchFields;
const FIELDS: FieldName[] = ['title', 'summary', 'content', 'body'];

/** One term found in an item: how often, in which spelling, where. */
export interface TermMatch {
  term: string;
  count: number;
  /** The spelling that was found, as the source wrote it. */
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

/** A watchlist's keywords turned into normalised search patterns, once per run. */
export interface CompiledRules {
  keywords: { term: string; patterns: string[] }[];
  exclude: { term: string; patterns: string[] }[];
}

export function compileRules(keywords: readonly Keyword[], exclude: readonly string[]): CompiledRules {
  const patternsOf = (spellings: string[]) => [...new Set(spellings.map(normalizeTerm).filter(Boolean))];
  return {
    keywords: keywords.map((k) => ({ term: k.term, patterns: patternsOf([k.term, ...k.aliases]) })),
    exclude: exclude.map((term) => ({ term, patterns: patternsOf([term]) })),
  };
}

/** Pure: which keywords occur in the item, and whether an exclusion vetoes it. */
export function matchItem(fields: MatchFields, rules: CompiledRules): MatchResult {
  const normalized = FIELDS.filter((f) => fields[f]).map((f) => ({ field: f, source: fields[f]!, norm: normalizeText(fields[f]!) }));
  for (const ex of rules.exclude) {
    if (normalized.some((n) => ex.patterns.some((p) => findAll(n.norm, p).length > 0))) return { matched: false, terms: [], excludedBy: ex.term };
  }
  const terms: TermMatch[] = [];
  for (const kw of rules.keywords) {
    let found: TermMatch | null = null;
    for (const n of normalized) {
      for (const pattern of kw.patterns) {
        const spans = findAll(n.norm, pattern);
        if (spans.length === 0) continue;
        const original = spans.map(([s, e]) => toSourceSpan(n.norm, n.source, s, e));
        if (!found) found = { term: kw.term, count: 0, variant: n.source.slice(original[0]![0], original[0]![1]), field: n.field, offsets: {} };
        found.count += spans.length;
        (found.offsets[n.field] ??= []).push(...original);
      }
    }
    if (found) {
      for (const list of Object.values(found.offsets)) list.sort((a, b) => a[0] - b[0]);
      terms.push(found);
    }
  }
  return { matched: terms.length > 0, terms, excludedBy: null };
}

/** Occurrences of `pattern` in `text` that start and end on word boundaries. */
function findAll(norm: NormalizedText, pattern: string): [number, number][] {
  const spans: [number, number][] = [];
  const text = norm.text;
  for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + 1)) {
    const end = at + pattern.length;
    if (!isWordChar(text[at - 1]) && !isWordChar(text[end])) spans.push([at, end]);
  }
  return spans;
}

function toSourceSpan(norm: NormalizedText, source: string, start: number, end: number): [number, number] {
  const last = norm.map[end - 1]!;
  return [norm.map[start]!, last + (source.codePointAt(last)! > 0xffff ? 2 : 1)];
}
