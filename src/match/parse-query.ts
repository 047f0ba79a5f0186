/**
 * The watchlist query language (docs/watchlists.md, "Rules"):
 *
 *   query   := or
 *   or      := and ( "OR" and )*
 *   and     := unary ( "AND" unary )*
 *   unary   := "NOT" unary | near
 *   near    := primary ( "NEAR/" n primary )*
 *   primary := [ field ":" ] ( "(" or ")" | '"' words '"' | word+ )
 *   field   := title | summary | content | body
 *
 * Operators are upper case, so French "or", "et", "ou" stay words. A run of bare
 * words is a phrase ("Corée du Nord"); a bare word may end in * (prefix); words
 * in quotes are an exact phrase (no inflection). Two operands side by side with
 * no operator are an error, never a guess.
 */

export type QueryField = 'title' | 'summary' | 'content' | 'body';
export const QUERY_FIELDS: readonly QueryField[] = ['title', 'summary', 'content', 'body'];

export type QueryNode =
  | { type: 'phrase'; text: string; quoted: boolean; field: QueryField | null; position: number }
  | { type: 'and' | 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode }
  | { type: 'near'; distance: number; left: QueryNode; right: QueryNode }
  | { type: 'scope'; field: QueryField; child: QueryNode };

export class QuerySyntaxError extends Error {
  /** 0-based index in the query text. */
  readonly position: number;
  readonly expected: string;
  readonly found: string;
  constructor(query: string, position: number, expected: string, found: string) {
    super(`at column ${position + 1}: expected ${expected}, found ${found}\n    ${query}\n    ${' '.repeat(position)}^`);
    this.name = 'QuerySyntaxError';
    this.position = position;
    this.expected = expected;
    this.found = found;
  }
}

export type ParsedQuery = { ok: true; query: QueryNode } | { ok: false; error: QuerySyntaxError };

/** Parses a query; a syntax error comes back as a value with its position and what was expected. */
export function parseQuery(text: string): ParsedQuery {
  try {
    return { ok: true, query: parseQueryOrThrow(text) };
  } catch (error) {
    if (error instanceof QuerySyntaxError) return { ok: false, error };
    throw error;
  }
}

type Lexeme =
  | { kind: 'word'; text: string; position: number }
  | { kind: 'quoted'; text: string; position: number }
  | { kind: 'field'; field: QueryField; position: number }
  | { kind: 'and' | 'or' | 'not' | 'open' | 'close'; position: number }
  | { kind: 'near'; distance: number; position: number }
  | { kind: 'end'; position: number };

const FIELD_PREFIX = /^(title|summary|content|body):/i;
const MAX_NEAR = 100;
const MIN_PREFIX_LETTERS = 2;

export function parseQueryOrThrow(query: string): QueryNode {
  const lexemes = lex(query);
  let at = 0;
  const peek = () => lexemes[at]!;
  const fail = (expected: string, lexeme: Lexeme = peek()): never => {
    throw new QuerySyntaxError(query, lexeme.position, expected, describe(lexeme, query));
  };

  const parseOr = (): QueryNode => {
    const children = [parseAnd()];
    while (peek().kind === 'or') {
      at++;
      children.push(parseAnd());
    }
    return children.length === 1 ? children[0]! : { type: 'or', children };
  };
  const parseAnd = (): QueryNode => {
    const children = [parseUnary()];
    while (peek().kind === 'and') {
      at++;
      children.push(parseUnary());
    }
    return children.length === 1 ? children[0]! : { type: 'and', children };
  };
  const parseUnary = (): QueryNode => {
    if (peek().kind === 'not') {
      at++;
      return { type: 'not', child: parseUnary() };
    }
    return parseNear();
  };
  const parseNear = (): QueryNode => {
    let left = parsePrimary();
    while (peek().kind === 'near') {
      const near = peek() as Extract<Lexeme, { kind: 'near' }>;
      at++;
      if (peek().kind === 'not') fail('a word, phrase or group after NEAR (NOT has no position to measure)');
      const right = parsePrimary();
      for (const [side, node] of [
        ['before', left],
        ['after', right],
      ] as const) {
        if (containsNot(node)) throw new QuerySyntaxError(query, near.position, `NEAR between words, phrases or groups without NOT (the group ${side} it has one)`, 'NEAR');
      }
      left = { type: 'near', distance: near.distance, left, right };
    }
    return left;
  };
  const parsePrimary = (): QueryNode => {
    const first = peek();
    if (first.kind === 'field') {
      at++;
      const next = peek();
      if (next.kind === 'field') fail('a word, phrase or group after the field name');
      const child = parsePrimary();
      return child.type === 'phrase' ? { ...child, field: first.field } : { type: 'scope', field: first.field, child };
    }
    if (first.kind === 'open') {
      at++;
      if (peek().kind === 'close') fail('a word, phrase or group inside the parentheses');
      const inner = parseOr();
      if (peek().kind !== 'close') fail(`an operator (AND, OR, NEAR/n) or ")" to close the "(" at column ${first.position + 1}`);
      at++;
      return inner;
    }
    if (first.kind === 'quoted') {
      at++;
      return { type: 'phrase', text: first.text, quoted: true, field: null, position: first.position };
    }
    if (first.kind === 'word') {
      const words: string[] = [];
      while (peek().kind === 'word') {
        words.push((peek() as Extract<Lexeme, { kind: 'word' }>).text);
        at++;
      }
      return { type: 'phrase', text: words.join(' '), quoted: false, field: null, position: first.position };
    }
    return fail('a word, a "quoted phrase", a field (title:) or "("');
  };

  if (peek().kind === 'end') fail('a word, a "quoted phrase", a field (title:) or "("');
  const tree = parseOr();
  const rest = peek();
  if (rest.kind === 'close') fail('an operator (AND, OR, NEAR/n) or the end of the query; this ")" closes nothing');
  if (rest.kind !== 'end') fail('an operator (AND, OR, NOT after AND, NEAR/n) or the end of the query');
  if (!hasPositiveTerm(tree)) throw new QuerySyntaxError(query, 0, 'at least one word or phrase outside NOT (a query of NOT alone would match everything)', 'only negated terms');
  return tree;
}

function lex(query: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')') {
      out.push({ kind: ch === '(' ? 'open' : 'close', position: i });
      i++;
      continue;
    }
    if (ch === '"' || ch === '“' || ch === '«') {
      const close = ch === '"' ? '"' : ch === '“' ? '”' : '»';
      const end = query.indexOf(close, i + 1);
      if (end === -1) throw new QuerySyntaxError(query, i, `a closing ${close} for this quote`, 'the end of the query');
      const text = query.slice(i + 1, end);
      if (!/[\p{L}\p{N}]/u.test(text)) throw new QuerySyntaxError(query, i, 'words inside the quotes', `"${text}"`);
      const star = text.indexOf('*');
      if (star !== -1) throw new QuerySyntaxError(query, i + 1 + star, 'no * inside quotes (a wildcard goes on a bare word: aérien*)', '"*"');
      out.push({ kind: 'quoted', text, position: i });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < query.length && !/[\s()"“«]/.test(query[end]!)) end++;
    const word = query.slice(i, end);
    const field = FIELD_PREFIX.exec(word);
    if (field) {
      out.push({ kind: 'field', field: field[1]!.toLowerCase() as QueryField, position: i });
      i += field[0].length;
      continue;
    }
    out.push(classifyWord(query, word, i));
    i = end;
  }
  out.push({ kind: 'end', position: query.length });
  return out;
}

function classifyWord(query: string, word: string, position: number): Lexeme {
  if (word === 'AND' || word === 'OR' || word === 'NOT') return { kind: word.toLowerCase() as 'and' | 'or' | 'not', position };
  if (word === 'NEAR' || word.startsWith('NEAR/')) {
    const n = /^NEAR\/([0-9]+)$/.exec(word);
    const distance = n ? Number(n[1]) : NaN;
    if (!n || distance < 1 || distance > MAX_NEAR) throw new QuerySyntaxError(query, position, `NEAR/n with a number of words from 1 to ${MAX_NEAR} (e.g. NEAR/5)`, `"${word}"`);
    return { kind: 'near', distance, position };
  }
  const star = word.indexOf('*');
  if (star !== -1) {
    if (star !== word.length - 1) throw new QuerySyntaxError(query, position + star, 'a * only at the end of a word (aérien*)', `"${word}"`);
    const letters = word.slice(0, -1).match(/[\p{L}\p{N}]/gu)?.length ?? 0;
    const lastPart =
      word
        .slice(0, -1)
        .split(/[^\p{L}\p{N}\p{M}]+/u)
        .pop() ?? '';
    if (letters < MIN_PREFIX_LETTERS || lastPart.length === 0) throw new QuerySyntaxError(query, position, `at least ${MIN_PREFIX_LETTERS} letters before *`, `"${word}"`);
  }
  if (!/[\p{L}\p{N}]/u.test(word)) throw new QuerySyntaxError(query, position, 'a word (letters or digits)', `"${word}"`);
  return { kind: 'word', text: word, position };
}

function describe(lexeme: Lexeme, query: string): string {
  switch (lexeme.kind) {
    case 'end':
      return 'the end of the query';
    case 'word':
      return `"${lexeme.text}"`;
    case 'quoted':
      return `"${lexeme.text}" in quotes`;
    case 'field':
      return `"${lexeme.field}:"`;
    case 'near':
      return `NEAR/${lexeme.distance}`;
    case 'open':
      return '"("';
    case 'close':
      return '")"';
    default:
      return query.slice(lexeme.position).split(/\s/)[0] || lexeme.kind.toUpperCase();
  }
}

function containsNot(node: QueryNode): boolean {
  switch (node.type) {
    case 'not':
      return true;
    case 'and':
    case 'or':
      return node.children.some(containsNot);
    case 'near':
      return containsNot(node.left) || containsNot(node.right);
    case 'scope':
      return containsNot(node.child);
    default:
      return false;
  }
}

function hasPositiveTerm(node: QueryNode): boolean {
  switch (node.type) {
    case 'phrase':
      return true;
    case 'not':
      return false;
    case 'and':
      return node.children.some(hasPositiveTerm);
    case 'or':
      return node.children.every(hasPositiveTerm);
    case 'near':
      return true;
    case 'scope':
      return hasPositiveTerm(node.child);
  }
}

/** The query written back in canonical form (for messages and tests). */
export function formatQuery(node: QueryNode): string {
  switch (node.type) {
    case 'phrase': {
      const body = node.quoted ? `"${node.text}"` : node.text;
      return node.field ? `${node.field}:${body}` : body;
    }
    case 'and':
    case 'or':
      return `(${node.children.map(formatQuery).join(node.type === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `NOT ${formatQuery(node.child)}`;
    case 'near':
      return `(${formatQuery(node.left)} NEAR/${node.distance} ${formatQuery(node.right)})`;
    case 'scope':
      return `${node.field}:${formatQuery(node.child)}`;
  }
}
