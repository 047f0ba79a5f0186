/**
 * Edits of a watchlist file that keep the person's comments, blank lines, key
 * order and flow/block styles: every edit works on the `yaml` Document (the
 * concrete tree), never on a re-serialised plain object.
 *
 * The edit functions are pure over the Document: they change it in place and
 * say what they did (`EditReport`). The I/O lives at the bottom: finding a
 * watchlist's file, reading it as a Document, and `saveWatchlist`, which
 * validates the result and writes it atomically, so a file on disk is never left
 * half-written or invalid by a command.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import { ConfigError, UsageError } from '../errors.js';
import { normalizeTerm } from '../match/normalize.js';
import type { LoadedWatchlist } from './watchlist.js';
import { parseWatchlistText } from './parse-watchlist.js';
import type { DestinationSpec } from './destination.js';
import { WATCHLIST_NAME, type Facet, type ReferenceProfile } from './watchlist.js';

/** What an edit did: the values it added or removed, and those it left because there was nothing to do. */
export interface EditReport {
  changed: string[];
  unchanged: string[];
}

/** How watchlist files are written: no line folding, `[a, b]` flow lists as people type them. */
const RENDER_OPTIONS = { lineWidth: 0, flowCollectionPadding: false } as const;

export function renderWatchlistDocument(doc: Document): string {
  return doc.toString(RENDER_OPTIONS);
}

/** Parses watchlist text as a Document; malformed YAML is a ConfigError naming the file and line. */
export function parseWatchlistDocument(text: string, file: string): Document {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? ` (line ${first.linePos[0].line}, column ${first.linePos[0].col})` : '';
    throw new ConfigError(`${file}${where}: malformed YAML: ${first.message.split('\n')[0]}; fix it with \`presswatch watchlist edit\``);
  }
  if (doc.contents !== null && !isMap(doc.contents)) throw new ConfigError(`${file}: top level: expected a mapping (name, description, feeds, keywords...)`);
  return doc;
}

// ---------------------------------------------------------------- keywords

/** Adds keywords as plain strings; a term already present as a keyword or an alias is left. */
export function addKeywords(doc: Document, terms: readonly string[]): EditReport {
  const seq = listAt(doc, 'keywords');
  const known = new Set(seq.items.flatMap((item) => keywordSpellings(item)).map(normalizeTerm));
  const report: EditReport = { changed: [], unchanged: [] };
  for (const raw of terms) {
    const term = raw.trim();
    const key = normalizeTerm(term);
    if (!key || known.has(key)) {
      report.unchanged.push(term);
      continue;
    }
    known.add(key);
    seq.items.push(doc.createNode(term));
    report.changed.push(term);
  }
  return report;
}

/**
 * Removes keywords by their term; a term that is only an alias of a keyword
 * removes that alias. `unchanged` lists the terms found nowhere.
 */
export function removeKeywords(doc: Document, terms: readonly string[]): EditReport {
  const seq = existingList(doc, 'keywords');
  const report: EditReport = { changed: [], unchanged: [] };
  for (const raw of terms) {
    const key = normalizeTerm(raw);
    const index = seq ? seq.items.findIndex((item) => keywordTerm(item) !== null && normalizeTerm(keywordTerm(item)!) === key) : -1;
    if (seq && index !== -1) {
      removeItem(seq, index);
      report.changed.push(raw.trim());
      continue;
    }
    const aliasOwner = seq?.items.find((item) => isMap(item) && aliasList(item)?.items.some((a) => sameTerm(a, key)));
    if (aliasOwner && isMap(aliasOwner)) {
      const aliases = aliasList(aliasOwner)!;
      removeItem(
        aliases,
        aliases.items.findIndex((a) => sameTerm(a, key)),
      );
      report.changed.push(`${raw.trim()} (alias of ${keywordTerm(aliasOwner)})`);
      continue;
    }
    report.unchanged.push(raw.trim());
  }
  return report;
}

/** Adds spellings to a keyword, turning a plain `- term` entry into `{ term, aliases }` when needed. */
export function addAliases(doc: Document, term: string, variants: readonly string[]): EditReport {
  const seq = existingList(doc, 'keywords');
  const key = normalizeTerm(term);
  const index = seq ? seq.items.findIndex((item) => keywordTerm(item) !== null && normalizeTerm(keywordTerm(item)!) === key) : -1;
  if (!seq || index === -1) {
    const terms = (seq?.items ?? []).map(keywordTerm).filter((t): t is string => t !== null);
    throw new UsageError(`no keyword "${term}" in this watchlist (keywords: ${terms.join(', ') || 'none'}); add it first with \`presswatch watchlist add\``);
  }
  let entry = seq.items[index] as Node;
  if (isScalar(entry)) {
    const map = new YAMLMap();
    const value = doc.createNode(String(entry.value)) as Node;
    // `- TSMC  # the foundry` becomes `- term: TSMC # the foundry`: the comment stays on its line.
    value.comment = entry.comment;
    map.set(doc.createNode('term'), value);
    map.commentBefore = entry.commentBefore;
    map.spaceBefore = entry.spaceBefore;
    seq.items[index] = map;
    entry = map;
  }
  const map = entry as YAMLMap;
  let aliases = aliasList(map);
  if (!aliases) {
    aliases = new YAMLSeq();
    aliases.flow = true;
    map.set(doc.createNode('aliases'), aliases);
  }
  const known = new Set([normalizeTerm(keywordTerm(map) ?? ''), ...aliases.items.map((a) => normalizeTerm(scalarText(a) ?? ''))]);
  const report: EditReport = { changed: [], unchanged: [] };
  for (const raw of variants) {
    const variant = raw.trim();
    const k = normalizeTerm(variant);
    if (!k || known.has(k)) {
      report.unchanged.push(variant);
      continue;
    }
    known.add(k);
    aliases.items.push(doc.createNode(variant));
    report.changed.push(variant);
  }
  return report;
}

// ---------------------------------------------------------------- exclusions and rules

export function addExclusions(doc: Document, terms: readonly string[]): EditReport {
  return addStrings(doc, 'exclude', terms, normalizeTerm);
}

export function removeExclusions(doc: Document, terms: readonly string[]): EditReport {
  const seq = existingList(doc, 'exclude');
  const report: EditReport = { changed: [], unchanged: [] };
  for (const raw of terms) {
    const index = seq ? seq.items.findIndex((item) => sameTerm(item, normalizeTerm(raw))) : -1;
    if (seq && index !== -1) {
      removeItem(seq, index);
      report.changed.push(raw.trim());
    } else report.unchanged.push(raw.trim());
  }
  return report;
}

/** Appends a query to the top-level `rules:` list (validation of its syntax happens on save). */
export function addRule(doc: Document, query: string): EditReport {
  const seq = listAt(doc, 'rules');
  const wanted = query.trim().replace(/\s+/g, ' ');
  const exists = seq.items.some((item) => {
    const text = isMap(item) ? scalarText(item.get('query', true)) : scalarText(item);
    return text !== null && text.trim().replace(/\s+/g, ' ') === wanted;
  });
  if (!wanted || exists) return { changed: [], unchanged: [query.trim()] };
  seq.items.push(doc.createNode(query.trim()));
  return { changed: [query.trim()], unchanged: [] };
}

// ---------------------------------------------------------------- feeds

/** Adds a feed (`{ url, label }` with a label, a bare URL without); a URL already listed is left. */
export function addFeed(doc: Document, url: string, label?: string | null): EditReport {
  const seq = listAt(doc, 'feeds');
  const wanted = url.trim();
  if (seq.items.some((item) => feedUrl(item) === wanted)) return { changed: [], unchanged: [wanted] };
  seq.items.push(label ? doc.createNode({ url: wanted, label }) : doc.createNode(wanted));
  return { changed: [wanted], unchanged: [] };
}

export function removeFeed(doc: Document, url: string): EditReport {
  const seq = existingList(doc, 'feeds');
  const wanted = url.trim();
  const index = seq ? seq.items.findIndex((item) => feedUrl(item) === wanted) : -1;
  if (!seq || index === -1) return { changed: [], unchanged: [wanted] };
  removeItem(seq, index);
  return { changed: [wanted], unchanged: [] };
}

/** The URLs of the feeds listed in the document, in order (for duplicate checks by callers). */
export function listFeedUrls(doc: Document): string[] {
  return (existingList(doc, 'feeds')?.items ?? []).map(feedUrl).filter((u): u is string => u !== null);
}

// ---------------------------------------------------------------- destinations

/** Adds a destination (a bare URI, or `{ uri, format, secretEnv }` when it has options); a URI already listed is left. */
export function addDestination(doc: Document, spec: DestinationSpec): EditReport {
  const seq = listAt(doc, 'destinations');
  if (seq.items.some((item) => destinationUri(item) === spec.uri)) return { changed: [], unchanged: [spec.uri] };
  const options = { ...(spec.format ? { format: spec.format } : {}), ...(spec.secretEnv ? { secretEnv: spec.secretEnv } : {}) };
  seq.items.push(doc.createNode(Object.keys(options).length ? { uri: spec.uri, ...options } : spec.uri));
  return { changed: [spec.uri], unchanged: [] };
}

export function removeDestination(doc: Document, uri: string): EditReport {
  const seq = existingList(doc, 'destinations');
  const wanted = uri.trim();
  const index = seq ? seq.items.findIndex((item) => destinationUri(item) === wanted) : -1;
  if (!seq || index === -1) return { changed: [], unchanged: [wanted] };
  removeItem(seq, index);
  return { changed: [wanted], unchanged: [] };
}

// ---------------------------------------------------------------- new files

export interface NewWatchlist {
  description?: string;
  keywords: readonly string[];
  feeds?: readonly { url: string; label: string | null }[];
  reference?: ReferenceProfile;
  facets?: readonly Facet[];
  require?: string;
}

/** A new watchlist file, with a comment header that says how to change it. */
export function newWatchlistDocument(name: string, spec: NewWatchlist): Document {
  if (!WATCHLIST_NAME.test(name)) throw new UsageError(`watchlist name "${name}": use letters, digits, dot, dash or underscore (at most 64, starting with a letter or digit)`);
  const doc = new Document({});
  const map = doc.contents as YAMLMap;
  doc.commentBefore = [
    ` ${name}${spec.description ? `: ${spec.description.replace(/\s+/g, ' ')}` : ''}`,
    ` Edit with \`presswatch watchlist add|remove|exclude|alias|query|feed ${name} ...\``,
    ` or \`presswatch watchlist edit ${name}\`; \`presswatch watchlist validate ${name}\` checks it.`,
  ].join('\n');
  map.set('name', name);
  map.set('description', spec.description ?? '');
  const feeds = new YAMLSeq();
  for (const f of spec.feeds ?? []) feeds.items.push(f.label ? doc.createNode({ url: f.url, label: f.label }) : doc.createNode(f.url));
  if (feeds.items.length === 0) feeds.flow = true;
  map.set('feeds', feeds);
  const keywords = doc.createNode([...spec.keywords]) as YAMLSeq;
  map.set('keywords', keywords);
  const exclude = new YAMLSeq();
  exclude.flow = true;
  map.set('exclude', exclude);
  if (spec.facets && spec.facets.length > 0) {
    const facets = new YAMLSeq();
    for (const f of spec.facets) {
      const facet = doc.createNode({ name: f.name, kind: f.kind }) as YAMLMap;
      for (const key of ['countries', 'terms'] as const) {
        const list = doc.createNode([...f[key]]) as YAMLSeq;
        list.flow = true;
        if (f[key].length > 0 || key === 'terms') facet.set(key, list);
      }
      facets.items.push(facet);
    }
    const pair = doc.createPair('facets', facets);
    (pair.key as Node).commentBefore = [
      ' Facets: who and what the seed is about. An item holds a facet when it has one of its',
      ' terms, or any name of its countries (names in many languages, demonyms, capitals, seats',
      ' of power, large cities). require: says which facets an item needs. docs/watchlists.md.',
    ].join('\n');
    (pair.key as Node).spaceBefore = true;
    map.items.push(pair);
    if (spec.require) map.set('require', spec.require);
  }
  if (spec.reference) {
    const reference = doc.createNode({
      seed: spec.reference.seed,
      createdAt: spec.reference.createdAt,
      ...(spec.reference.minScore !== undefined ? { minScore: spec.reference.minScore } : {}),
      terms: spec.reference.terms,
    }) as YAMLMap;
    const pair = doc.createPair('reference', reference);
    (pair.key as Node).commentBefore = ' Derived from the seed article: term weights for relevance, never its text.';
    (pair.key as Node).spaceBefore = true;
    map.items.push(pair);
  }
  return doc;
}

// ---------------------------------------------------------------- I/O

/**
 * The file of a watchlist: `<dir>/<name>.yaml` (or .yml), else the file whose
 * `name:` says so. The file need not be valid (so `edit` can repair it).
 * An unknown name is a usage error listing the known ones.
 */
export async function findWatchlistFile(dir: string, name: string): Promise<string> {
  const files = await listYaml(dir);
  const direct = files.find((f) => basename(f, extname(f)) === name);
  if (direct) return direct;
  const known: string[] = [];
  for (const file of files) {
    const declared = await readDeclaredName(file);
    if (declared === name) return file;
    known.push(declared ?? basename(file, extname(file)));
  }
  throw new UsageError(`unknown watchlist "${name}" (known: ${known.join(', ') || 'none'}; files in ${dir})`);
}

/** The watchlist names in the folder (declared `name:` or file name), without validating the files. */
export async function listWatchlistNames(dir: string): Promise<{ name: string; file: string }[]> {
  const out: { name: string; file: string }[] = [];
  for (const file of await listYaml(dir)) out.push({ name: (await readDeclaredName(file)) ?? basename(file, extname(file)), file });
  return out;
}

export async function readWatchlistDocument(file: string): Promise<{ doc: Document; text: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return { doc: parseWatchlistDocument(text, file), text };
}

/** Validates the document as the loader would, then writes it atomically. An invalid result is never written. */
export async function saveWatchlist(file: string, doc: Document): Promise<LoadedWatchlist> {
  return saveWatchlistText(file, renderWatchlistDocument(doc));
}

export async function saveWatchlistText(file: string, text: string): Promise<LoadedWatchlist> {
  let loaded: LoadedWatchlist;
  try {
    loaded = parseWatchlistText(text, file);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`not saved, the result would be invalid: ${error.message}`);
    throw error;
  }
  try {
    await writeFileAtomic(file, text);
  } catch (error) {
    throw new ConfigError(`${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return loaded;
}

// ---------------------------------------------------------------- helpers

/** The list under `key`, created (block style, at the end) when absent or empty (`key:` / `key: []`). */
function listAt(doc: Document, key: string): YAMLSeq {
  const existing = existingList(doc, key);
  if (existing) {
    // `exclude: []` grows into a block list, as a person would write it.
    if (existing.flow && existing.items.length === 0) {
      existing.flow = false;
      // `feeds: [] # to fill`: the comment stays by the key rather than sinking below the new items.
      if (existing.comment) {
        existing.commentBefore = existing.commentBefore ? `${existing.commentBefore}\n${existing.comment}` : existing.comment;
        existing.comment = undefined;
      }
    }
    return existing;
  }
  if (doc.contents === null) doc.contents = new YAMLMap() as never;
  const seq = new YAMLSeq();
  const map = doc.contents as unknown as YAMLMap;
  const pair = map.items.find((p) => scalarText(p.key as Node) === key);
  if (pair) {
    pair.value = seq;
    return seq;
  }
  const keyNode = doc.createNode(key) as Node;
  // A file whose sections are separated by blank lines gets one before the new section too.
  keyNode.spaceBefore = map.items.some((p) => (p.key as Node | null)?.spaceBefore);
  map.items.push(doc.createPair(keyNode, seq));
  return seq;
}

function existingList(doc: Document, key: string): YAMLSeq | null {
  if (!isMap(doc.contents)) return null;
  const node = doc.contents.get(key, true) as Node | undefined;
  if (node === undefined || node === null || (isScalar(node) && (node.value === null || node.value === undefined))) return null;
  if (!isSeq(node)) throw new ConfigError(`${key}: is not a list, so it cannot be edited by a command; fix it with \`presswatch watchlist edit\``);
  return node;
}

/** Removes a list item; a comment or blank line above it moves to the next item, so section headings survive. */
function removeItem(seq: YAMLSeq, index: number): void {
  if (index < 0) return;
  const [removed] = seq.items.splice(index, 1) as Node[];
  const next = seq.items[index] as Node | undefined;
  if (!removed?.commentBefore && !removed?.spaceBefore) return;
  if (next && typeof next === 'object') {
    if (removed.commentBefore) next.commentBefore = next.commentBefore ? `${removed.commentBefore}\n${next.commentBefore}` : removed.commentBefore;
    if (removed.spaceBefore) next.spaceBefore = true;
  } else if (removed.commentBefore) {
    seq.comment = seq.comment ? `${removed.commentBefore}\n${seq.comment}` : removed.commentBefore;
  }
}

function addStrings(doc: Document, key: string, values: readonly string[], identity: (s: string) => string): EditReport {
  const seq = listAt(doc, key);
  const known = new Set(
    seq.items
      .map((i) => scalarText(i))
      .filter((s): s is string => s !== null)
      .map(identity),
  );
  const report: EditReport = { changed: [], unchanged: [] };
  for (const raw of values) {
    const value = raw.trim();
    const k = identity(value);
    if (!k || known.has(k)) {
      report.unchanged.push(value);
      continue;
    }
    known.add(k);
    seq.items.push(doc.createNode(value));
    report.changed.push(value);
  }
  return report;
}

function scalarText(node: unknown): string | null {
  return isScalar(node) && typeof node.value === 'string' ? node.value : null;
}

function keywordTerm(item: unknown): string | null {
  if (isMap(item)) return scalarText(item.get('term', true));
  return scalarText(item);
}

function aliasList(map: YAMLMap): YAMLSeq | null {
  const node = map.get('aliases', true);
  return isSeq(node) ? node : null;
}

function keywordSpellings(item: unknown): string[] {
  const term = keywordTerm(item);
  const aliases = isMap(item) ? (aliasList(item)?.items ?? []).map(scalarText) : [];
  return [term, ...aliases].filter((s): s is string => s !== null);
}

function sameTerm(node: unknown, normalizedKey: string): boolean {
  const text = scalarText(node);
  return text !== null && normalizeTerm(text) === normalizedKey;
}

function destinationUri(item: unknown): string | null {
  return entryAddress(item, 'uri');
}

function feedUrl(item: unknown): string | null {
  return entryAddress(item, 'url');
}

/** A list entry written as a bare string or as a mapping whose `key` holds it. */
function entryAddress(item: unknown, key: string): string | null {
  if (isMap(item)) return scalarText(item.get(key, true))?.trim() ?? null;
  return scalarText(item)?.trim() ?? null;
}

async function listYaml(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((f) => (f.endsWith('.yaml') || f.endsWith('.yml')) && !f.startsWith('.'))
      .sort()
      .map((f) => join(dir, f));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function readDeclaredName(file: string): Promise<string | null> {
  try {
    const doc = parseDocument(await readFile(file, 'utf8'));
    const name = isMap(doc.contents) ? doc.contents.get('name') : undefined;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}
