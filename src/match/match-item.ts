import { isWordMatch, type CompiledQuery, type CompiledRule, type CompiledWatchlist, type PhraseIndex } from './compile-watchlist.js';
import { tokenizeText, type FormKind, type Token } from './normalize.js';

export { compileWatchlist, type CompiledWatchlist } from './compile-watchlist.js';
export { parseQuery, QuerySyntaxError, type ParsedQuery, type QueryNode } from './parse-query.js';
export { normalizeText, normalizeTerm } from './normalize.js';

/** The text of an item that matching reads, by field. */
export interface MatchFields {
  title: string;
  summary: string;
  content: string;
  body?: string;
}
export type FieldName = keyof MatchFields;
const FIELDS: FieldName[] = ['title', 'summary', 'content', 'body'];

/** One keyword or rule found in an item: how often, in which spelling, where. */
export interface TermMatch {
  /** The keyword's term, or the rule's name (its query when unnamed). */
  term: string;
  kind: 'keyword' | 'rule';
  /** For a rule: its query. */
  query?: string;
  /** Occurrences (for a rule: the spans of the words that satisfied it). */
  count: number;
  /** What was found, as the source wrote it (a rule's spans joined by " … "). */
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

/** One keyword, rule or exclusion as checked against an item, matched or not. */
export interface MatchCheck {
  kind: 'keyword' | 'rule' | 'exclusion';
  term: string;
  query?: string;
  matched: boolean;
  match: TermMatch | null;
  /** For rules and exclusions: each word or phrase of the query and whether the item has it (in the field it asks for). */
  phrases?: { text: string; found: boolean }[];
}

export interface MatchExplanation extends MatchResult {
  checks: MatchCheck[];
}

/** Pure: which keywords and rules hold for the item, and whether an exclusion vetoes it. */
export function matchItem(fields: MatchFields, compiled: CompiledWatchlist): MatchResult {
  const found = findPhrases(fields, compiled.index);
  for (const rule of compiled.exclusions) {
    if (evaluate(rule.tree, null, found).ok) return { matched: false, terms: [], excludedBy: rule.label };
  }
  const terms: TermMatch[] = [];
  for (const keyword of compiled.keywords) {
    const match = keywordMatch(keyword.term, keyword.phraseIds, found, fields);
    if (match) terms.push(match);
  }
  for (const rule of compiled.rules) {
    const match = ruleMatch(rule, found, fields);
    if (match) terms.push(match);
  }
  return { matched: terms.length > 0, terms, excludedBy: null };
}

/** Like matchItem, plus every keyword, rule and exclusion that did not hold, for `presswatch watchlist test`. */
export function explainMatch(fields: MatchFields, compiled: CompiledWatchlist): MatchExplanation {
  const found = findPhrases(fields, compiled.index);
  const checks: MatchCheck[] = [];
  let excludedBy: string | null = null;
  for (const rule of compiled.exclusions) {
    const match = ruleMatch(rule, found, fields);
    if (match && excludedBy === null) excludedBy = rule.label;
    checks.push({ kind: 'exclusion', term: rule.label, query: rule.query, matched: match !== null, match, phrases: phrasesOf(rule.tree, null, found) });
  }
  for (const keyword of compiled.keywords) {
    const match = keywordMatch(keyword.term, keyword.phraseIds, found, fields);
    checks.push({ kind: 'keyword', term: keyword.term, matched: match !== null, match });
  }
  for (const rule of compiled.rules) {
    const match = ruleMatch(rule, found, fields);
    checks.push({ kind: 'rule', term: rule.label, query: rule.query, matched: match !== null, match, phrases: phrasesOf(rule.tree, null, found) });
  }
  const terms = excludedBy === null ? checks.filter((c) => c.kind !== 'exclusion' && c.match).map((c) => c.match!) : [];
  return { matched: terms.length > 0, terms, excludedBy, checks };
}

// ---------------------------------------------------------------- finding phrases

/** One occurrence of a phrase: character span in the field, and word span for NEAR. */
interface Hit {
  field: FieldName;
  start: number;
  end: number;
  firstWord: number;
  lastWord: number;
}

/** Phrase id → its occurrences in the item, in field order then position. */
type FoundPhrases = Map<number, Hit[]>;

const TOKEN_KINDS: FormKind[] = ['key', 'fold', 'lower', 'cased', 'exact'];

function findPhrases(fields: MatchFields, index: PhraseIndex): FoundPhrases {
  const found: FoundPhrases = new Map();
  const kinds = TOKEN_KINDS.filter((k) => index.byFirstWord.has(k)).map((k) => [k, index.byFirstWord.get(k)!] as const);
  const prefixes = index.byFirstWord.get('prefix');
  for (const field of FIELDS) {
    const text = fields[field];
    if (!text) continue;
    const tokens = tokenizeText(text);
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      for (const [kind, forms] of kinds) {
        const ids = forms.get(token.forms[kind]);
        if (ids) for (const id of ids) verify(id, tokens, i, field, index, found);
      }
      if (prefixes) {
        const word = token.forms.fold;
        for (const length of index.prefixLengths) {
          if (length > word.length) break;
          const ids = prefixes.get(word.slice(0, length));
          if (ids) for (const id of ids) verify(id, tokens, i, field, index, found);
        }
      }
    }
  }
  return found;
}

/** Checks the rest of a phrase whose first word matched token `at`; phrases never run across a sentence or line break. */
function verify(id: number, tokens: readonly Token[], at: number, field: FieldName, index: PhraseIndex, found: FoundPhrases): void {
  const words = index.phrases[id]!.words;
  if (at + words.length > tokens.length) return;
  for (let j = 1; j < words.length; j++) {
    const token = tokens[at + j]!;
    if (token.breakBefore || !isWordMatch(words[j]!, token)) return;
  }
  const last = at + words.length - 1;
  const hit: Hit = { field, start: tokens[at]!.start, end: tokens[last]!.end, firstWord: at, lastWord: last };
  const list = found.get(id);
  if (list) list.push(hit);
  else found.set(id, [hit]);
}

// ---------------------------------------------------------------- keywords

function keywordMatch(term: string, phraseIds: readonly number[], found: FoundPhrases, fields: MatchFields): TermMatch | null {
  const hits: Hit[] = [];
  for (const id of phraseIds) hits.push(...(found.get(id) ?? []));
  if (hits.length === 0) return null;
  return toTermMatch(term, 'keyword', undefined, hits, fields, false);
}

function toTermMatch(term: string, kind: TermMatch['kind'], query: string | undefined, all: Hit[], fields: MatchFields, joinVariants: boolean): TermMatch {
  const hits = uniqueHits(all);
  const offsets: TermMatch['offsets'] = {};
  for (const h of hits) (offsets[h.field] ??= []).push([h.start, h.end]);
  const first = hits[0]!;
  const spell = (h: Hit) => fields[h.field]!.slice(h.start, h.end);
  let variant = spell(first);
  if (joinVariants) {
    const inField = hits.filter((h) => h.field === first.field).map(spell);
    variant = [...new Set(inField)].slice(0, 3).join(' … ');
  }
  return { term, kind, ...(query !== undefined ? { query } : {}), count: hits.length, variant, field: first.field, offsets };
}

/** Distinct spans in field order then position (two spellings may find the same words). */
function uniqueHits(hits: Hit[]): Hit[] {
  const sorted = [...hits].sort((a, b) => FIELDS.indexOf(a.field) - FIELDS.indexOf(b.field) || a.start - b.start || a.end - b.end);
  return sorted.filter((h, i) => i === 0 || h.field !== sorted[i - 1]!.field || h.start !== sorted[i - 1]!.start || h.end !== sorted[i - 1]!.end);
}

// ---------------------------------------------------------------- rules

function ruleMatch(rule: CompiledRule, found: FoundPhrases, fields: MatchFields): TermMatch | null {
  const result = evaluate(rule.tree, null, found);
  if (!result.ok || result.hits.length === 0) return null;
  return toTermMatch(rule.label, 'rule', rule.query, result.hits, fields, true);
}

interface Evaluation {
  ok: boolean;
  /** The occurrences that made it hold (none for NOT). */
  hits: Hit[];
}

function evaluate(node: CompiledQuery, scope: FieldName | null, found: FoundPhrases): Evaluation {
  switch (node.type) {
    case 'phrase': {
      const field = node.field ?? scope;
      const hits = (found.get(node.phraseId) ?? []).filter((h) => field === null || h.field === field);
      return { ok: hits.length > 0, hits };
    }
    case 'scope':
      return evaluate(node.child, node.field, found);
    case 'not':
      return { ok: !evaluate(node.child, scope, found).ok, hits: [] };
    case 'and': {
      const hits: Hit[] = [];
      for (const child of node.children) {
        const r = evaluate(child, scope, found);
        if (!r.ok) return { ok: false, hits: [] };
        hits.push(...r.hits);
      }
      return { ok: true, hits };
    }
    case 'or': {
      const hits: Hit[] = [];
      let ok = false;
      for (const child of node.children) {
        const r = evaluate(child, scope, found);
        if (r.ok) {
          ok = true;
          hits.push(...r.hits);
        }
      }
      return { ok, hits };
    }
    case 'near': {
      const left = evaluate(node.left, scope, found);
      if (!left.ok) return { ok: false, hits: [] };
      const right = evaluate(node.right, scope, found);
      if (!right.ok) return { ok: false, hits: [] };
      const kept = new Set<Hit>();
      for (const a of left.hits) {
        for (const b of right.hits) {
          if (a.field !== b.field) continue;
          // Words strictly between the two spans; overlapping spans are 0 apart.
          const between = Math.max(a.firstWord, b.firstWord) - Math.min(a.lastWord, b.lastWord) - 1;
          if (between <= node.distance) kept.add(a).add(b);
        }
      }
      return { ok: kept.size > 0, hits: [...kept] };
    }
  }
}

/** The leaves of a query and whether each was found, for explanations. */
function phrasesOf(node: CompiledQuery, scope: FieldName | null, found: FoundPhrases): { text: string; found: boolean }[] {
  switch (node.type) {
    case 'phrase': {
      const field = node.field ?? scope;
      return [{ text: field ? `${field}:${node.text}` : node.text, found: evaluate(node, scope, found).ok }];
    }
    case 'scope':
      return phrasesOf(node.child, node.field, found);
    case 'not':
      return phrasesOf(node.child, scope, found);
    case 'and':
    case 'or':
      return node.children.flatMap((c) => phrasesOf(c, scope, found));
    case 'near':
      return [...phrasesOf(node.left, scope, found), ...phrasesOf(node.right, scope, found)];
  }
}
