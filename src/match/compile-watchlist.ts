import { ConfigError } from '../errors.js';
import type { Keyword, Watchlist } from '../config/watchlist.js';
import { tokenizeText, type FormKind, type Token, type WordForms } from './normalize.js';
import { parseQueryOrThrow, QuerySyntaxError, type QueryField, type QueryNode } from './parse-query.js';

/**
 * A watchlist turned into one index of phrases, once per run. Every spelling of
 * every keyword and every phrase of every rule or exclusion becomes a Phrase (a
 * sequence of words, each compared through one form); the index maps the first
 * word's form to the phrases that start with it. Matching an item is then one
 * pass over its words with a hash lookup per form in use, whatever the number of
 * terms: 500 terms cost little more than 10.
 */

export type WordKind = FormKind | 'prefix';

export interface PhraseWord {
  kind: WordKind;
  /** The form to compare with; for `prefix`, the folded start of the word. */
  form: string;
}

export interface Phrase {
  id: number;
  words: PhraseWord[];
}

/** A query tree whose leaves point at phrases of the index. */
export type CompiledQuery =
  | { type: 'phrase'; phraseId: number; text: string; field: QueryField | null }
  | { type: 'and' | 'or'; children: CompiledQuery[] }
  | { type: 'not'; child: CompiledQuery }
  | { type: 'near'; distance: number; left: CompiledQuery; right: CompiledQuery }
  | { type: 'scope'; field: QueryField; child: CompiledQuery };

export interface CompiledKeyword {
  term: string;
  phraseIds: number[];
}

export interface CompiledRule {
  /** The rule's name, or its query when it has none: what a match is recorded under. */
  label: string;
  query: string;
  tree: CompiledQuery;
}

export interface PhraseIndex {
  phrases: Phrase[];
  /** First-word form → phrase ids, per kind of comparison. */
  byFirstWord: Map<WordKind, Map<string, number[]>>;
  /** Lengths of the prefixes in `byFirstWord.get('prefix')`, so a word is only cut where a prefix can match. */
  prefixLengths: number[];
}

export interface CompiledWatchlist {
  name: string;
  keywords: CompiledKeyword[];
  rules: CompiledRule[];
  exclusions: CompiledRule[];
  index: PhraseIndex;
}

/** Compiles a validated watchlist; a query that does not parse throws a ConfigError naming its field and column. */
export function compileWatchlist(watchlist: Watchlist): CompiledWatchlist {
  const builder = new IndexBuilder();
  const keywords = watchlist.keywords.map((k) => ({
    term: k.term,
    phraseIds: [k.term, ...k.aliases].map((s) => builder.add(s, kindOf(k), false)).filter((id): id is number => id !== null),
  }));
  const compileQuery = (query: string, path: string): CompiledQuery => {
    try {
      return builder.addQuery(parseQueryOrThrow(query));
    } catch (error) {
      if (error instanceof QuerySyntaxError) throw new ConfigError(`watchlist ${watchlist.name}: ${path}: ${error.message}`);
      throw error;
    }
  };
  const rules = (watchlist.rules ?? []).map((r, i) => ({ label: r.name ?? r.query, query: r.query, tree: compileQuery(r.query, `rules[${i}].query`) }));
  const exclusions = watchlist.exclude.map((q, i) => ({ label: q, query: q, tree: compileQuery(q, `exclude[${i}]`) }));
  return { name: watchlist.name, keywords, rules, exclusions, index: builder.build() };
}

/** How a keyword's words are compared: `exact` keeps accents, `case` keeps case; both turn inflection off. */
function kindOf(k: Keyword): FormKind {
  if (k.exact && k.case) return 'exact';
  if (k.exact) return 'lower';
  if (k.case) return 'cased';
  return k.inflect === false ? 'fold' : 'key';
}

class IndexBuilder {
  private readonly phrases: Phrase[] = [];
  private readonly bySignature = new Map<string, number>();

  /** Registers a spelling; null when it has no words at all (punctuation only). */
  add(text: string, kind: FormKind, prefixLast: boolean): number | null {
    const words = tokenizeText(text).map((t): PhraseWord => ({ kind, form: formOf(t, kind) }));
    if (words.length === 0) return null;
    if (prefixLast) words[words.length - 1] = { kind: 'prefix', form: words[words.length - 1]!.form };
    return this.register(words);
  }

  addQuery(node: QueryNode): CompiledQuery {
    switch (node.type) {
      case 'phrase': {
        const words: PhraseWord[] = [];
        // Bare words inflect, quoted ones do not; a * applies to the last word its bare word yields.
        const parts = node.quoted ? [node.text] : node.text.split(' ');
        for (const part of parts) {
          const prefix = !node.quoted && part.endsWith('*');
          const kind: FormKind = node.quoted ? 'fold' : 'key';
          const tokens = tokenizeText(prefix ? part.slice(0, -1) : part);
          tokens.forEach((t, i) => {
            words.push(prefix && i === tokens.length - 1 ? { kind: 'prefix', form: t.forms.fold } : { kind, form: formOf(t, kind) });
          });
        }
        if (words.length === 0) throw new QuerySyntaxError(node.text, 0, 'a word (letters or digits)', `"${node.text}"`);
        return { type: 'phrase', phraseId: this.register(words), text: node.quoted ? `"${node.text}"` : node.text, field: node.field };
      }
      case 'and':
      case 'or':
        return { type: node.type, children: node.children.map((c) => this.addQuery(c)) };
      case 'not':
        return { type: 'not', child: this.addQuery(node.child) };
      case 'near':
        return { type: 'near', distance: node.distance, left: this.addQuery(node.left), right: this.addQuery(node.right) };
      case 'scope':
        return { type: 'scope', field: node.field, child: this.addQuery(node.child) };
    }
  }

  private register(words: PhraseWord[]): number {
    const signature = words.map((w) => `${w.kind}\u0000${w.form}`).join('\u0001');
    const known = this.bySignature.get(signature);
    if (known !== undefined) return known;
    const id = this.phrases.length;
    this.phrases.push({ id, words });
    this.bySignature.set(signature, id);
    return id;
  }

  build(): PhraseIndex {
    const byFirstWord = new Map<WordKind, Map<string, number[]>>();
    const prefixLengths = new Set<number>();
    for (const phrase of this.phrases) {
      const first = phrase.words[0]!;
      let forms = byFirstWord.get(first.kind);
      if (!forms) {
        forms = new Map();
        byFirstWord.set(first.kind, forms);
      }
      const ids = forms.get(first.form);
      if (ids) ids.push(phrase.id);
      else forms.set(first.form, [phrase.id]);
      if (first.kind === 'prefix') prefixLengths.add(first.form.length);
    }
    return { phrases: this.phrases, byFirstWord, prefixLengths: [...prefixLengths].sort((a, b) => a - b) };
  }
}

function formOf(token: Token, kind: FormKind): string {
  return token.forms[kind];
}

/** Does a text word satisfy a phrase word? */
export function isWordMatch(word: PhraseWord, forms: WordForms): boolean {
  return word.kind === 'prefix' ? forms.fold.startsWith(word.form) : forms[word.kind] === word.form;
}
