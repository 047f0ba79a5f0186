import { readFile, rm } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline/promises';
import { Chalk, type ChalkInstance } from 'chalk';
import type { Document } from 'yaml';
import { editInEditor, resolveEditor } from '../../config/edit-in-editor.js';
import {
  addAliases,
  addExclusions,
  addFeed,
  addKeywords,
  addRule,
  findWatchlistFile,
  listWatchlistNames,
  newWatchlistDocument,
  readWatchlistDocument,
  removeExclusions,
  removeFeed,
  removeKeywords,
  saveWatchlist,
  type EditReport,
} from '../../config/edit-watchlist.js';
import { ensureWatchlistsDir, loadWatchlistFile, parseWatchlistText, type LoadedWatchlist } from '../../config/load-watchlists.js';
import { fetchOptionsOf, readSettings } from '../../config/settings.js';
import { redactUri } from '../../config/destination.js';
import { checkFeedUrl, WATCHLIST_NAME, type ReferenceProfile, type Rule, type Watchlist } from '../../config/watchlist.js';
import { toTerminalLine } from '../../digest/safe-text.js';
import { trustHostsOf } from '../../fetch/address-policy.js';
import { fetchResource, type FetchOptions } from '../../fetch/http.js';
import { compileWatchlist, explainMatch, type FieldName, type MatchFields } from '../../match/match-item.js';
import { extractKeywords, type KeywordCandidate } from '../../relevance/keywords.js';
import { buildReferenceProfile } from '../../relevance/profile.js';
import { readSeed, SeedError } from '../../relevance/read-seed.js';
import { extractArticle } from '../../scrape/extract-article.js';
import { htmlToText } from '../../text/html-to-text.js';
import { createContext, writeStdout, type Context, type GlobalOptions } from '../context.js';
import { ConfigError, RunError, UsageError } from '../../errors.js';
import { parsePositiveInt } from '../options.js';
import { toJsonText } from '../../digest/render-json.js';

// ---------------------------------------------------------------- list, show

export async function watchlistListCommand(flags: { json?: boolean }, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  await ensureWatchlistsDir(ctx.locations.watchlistsDir);
  const rows = await Promise.all(
    (await listWatchlistNames(ctx.locations.watchlistsDir)).map(async ({ name, file }) => {
      try {
        const { watchlist } = await loadWatchlistFile(file);
        return { name: watchlist.name, file, valid: true, description: watchlist.description, feeds: watchlist.feeds.length, keywords: watchlist.keywords.length, exclude: watchlist.exclude.length, rules: rulesOf(watchlist).length, reference: Boolean(watchlist.reference) };
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return { name, file, valid: false, description: '', feeds: 0, keywords: 0, exclude: 0, rules: 0, reference: false };
      }
    }),
  );
  if (flags.json) return writeStdout(toJsonText(rows));
  if (rows.length === 0) {
    ctx.reporter.info(`no watchlists in ${ctx.locations.watchlistsDir}; create one with \`presswatch watchlist create NAME TERM...\``);
    return;
  }
  const c = chalkFor(ctx);
  const width = Math.max(...rows.map((r) => r.name.length));
  const lines = rows.map((r) => {
    const name = c.bold(toTerminalLine(r.name).padEnd(width));
    if (!r.valid) return `${name}  ${c.red('invalid')}: see \`presswatch watchlist validate ${r.name}\``;
    const counts = `${plural(r.feeds, 'feed')}, ${plural(r.keywords, 'keyword')}${r.rules ? `, ${plural(r.rules, 'rule')}` : ''}`;
    return `${name}  ${counts.padEnd(26)}${r.description ? `  ${c.dim(toTerminalLine(r.description))}` : ''}`;
  });
  await writeStdout(`${lines.join('\n')}\n`);
}

export async function watchlistShowCommand(name: string, flags: { json?: boolean }, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  const loaded = await loadNamed(ctx, name);
  for (const w of loaded.warnings) ctx.reporter.warn(w);
  if (flags.json) return writeStdout(toJsonText({ file: loaded.file, ...loaded.watchlist }));
  await writeStdout(renderWatchlist(loaded, chalkFor(ctx)));
}

/** The human view of one watchlist. */
export function renderWatchlist(loaded: LoadedWatchlist, c: ChalkInstance = new Chalk({ level: 0 })): string {
  const w = loaded.watchlist;
  const t = toTerminalLine;
  const out = [c.bold(t(w.name)) + (w.description ? ` — ${t(w.description)}` : ''), c.dim(loaded.file), ''];
  out.push(c.bold(`feeds (${w.feeds.length})`));
  if (w.feeds.length === 0) out.push(c.dim('  none: add one with `presswatch watchlist feed add`'));
  for (const f of w.feeds) out.push(`  ${f.label ? `${t(f.label)}  ${c.dim(t(f.url))}` : t(f.url)}${f.type === 'html' ? c.dim(' (html page)') : ''}`);
  out.push('', c.bold(`keywords (${w.keywords.length})`));
  for (const k of w.keywords) out.push(`  ${t(k.term)}${k.aliases.length ? c.dim(`  also: ${t(k.aliases.join(', '))}`) : ''}`);
  out.push('', c.bold(`exclude (${w.exclude.length})`));
  if (w.exclude.length > 0) out.push(`  ${t(w.exclude.join(', '))}`);
  const rules = rulesOf(w);
  if (rules.length > 0) {
    out.push('', c.bold(`rules (${rules.length})`));
    for (const r of rules) out.push(`  ${r.name ? `${t(r.name)}: ` : ''}${t(r.query)}`);
  }
  if (w.destinations?.length) {
    out.push('', c.bold(`destinations (${w.destinations.length})`));
    for (const d of w.destinations) out.push(`  ${t(redactUri(d.uri))}${d.format ? c.dim(` (${d.format}${d.secretEnv ? `, signed with $${d.secretEnv}` : ''})`) : ''}`);
  }
  if (w.reference) {
    const top = Object.entries(w.reference.terms).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([term]) => term);
    out.push('', c.bold('reference'), `  from ${t(w.reference.seed)}, ${w.reference.createdAt.slice(0, 10)}: ${plural(Object.keys(w.reference.terms).length, 'term')} (${t(top.join(', '))}…)`);
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------- edits by command

export type EditKind = 'add' | 'remove' | 'exclude' | 'query' | 'feed-remove';

export async function watchlistEditCommand(kind: EditKind, name: string, values: string[], global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  if (kind === 'add' || kind === 'exclude' || kind === 'remove') {
    const empty = values.find((v) => !v.trim());
    if (empty !== undefined) throw new UsageError(`watchlist ${kind}: empty term`);
  }
  await editWatchlistFile(ctx, name, (doc) => {
    switch (kind) {
      case 'add': {
        const r = addKeywords(doc, values);
        return { report: r, done: `added ${plural(r.changed.length, 'keyword')} to ${name}: ${r.changed.join(', ')}`, skipped: `already there: ${r.unchanged.join(', ')}` };
      }
      case 'exclude': {
        const r = addExclusions(doc, values);
        return { report: r, done: `added ${plural(r.changed.length, 'exclusion')} to ${name}: ${r.changed.join(', ')}`, skipped: `already excluded: ${r.unchanged.join(', ')}` };
      }
      case 'remove': {
        const fromKeywords = removeKeywords(doc, values);
        const fromExclude = removeExclusions(doc, fromKeywords.unchanged);
        const r: EditReport = { changed: [...fromKeywords.changed, ...fromExclude.changed.map((e) => `${e} (exclusion)`)], unchanged: fromExclude.unchanged };
        return { report: r, done: `removed from ${name}: ${r.changed.join(', ')}`, skipped: `neither a keyword, an alias nor an exclusion of ${name}: ${r.unchanged.join(', ')}`, skippedIsWarning: true };
      }
      case 'query': {
        const r = addRule(doc, values[0] ?? '');
        return { report: r, done: `added a rule to ${name}: ${r.changed[0]}`, skipped: `${name} already has this rule` };
      }
      case 'feed-remove': {
        const r = removeFeed(doc, values[0] ?? '');
        return { report: r, done: `removed feed ${r.changed[0]} from ${name}`, skipped: `${name} has no feed ${values[0]} (see \`presswatch watchlist show ${name}\`)`, skippedIsWarning: true };
      }
    }
  });
}

export async function watchlistAliasCommand(name: string, term: string, variants: string[], global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  await editWatchlistFile(ctx, name, (doc) => {
    const r = addAliases(doc, term, variants);
    return { report: r, done: `added ${plural(r.changed.length, 'alias', 'aliases')} of ${term} to ${name}: ${r.changed.join(', ')}`, skipped: `already spellings of ${term}: ${r.unchanged.join(', ')}` };
  });
}

export async function watchlistFeedAddCommand(name: string, url: string, flags: { label?: string }, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  const problem = checkFeedUrl(url.trim());
  if (problem) throw new UsageError(`watchlist feed add: ${problem}`);
  await editWatchlistFile(ctx, name, (doc) => {
    const r = addFeed(doc, url, flags.label?.trim() || null);
    return { report: r, done: `added feed ${r.changed[0]} to ${name}`, skipped: `${name} already has the feed ${url.trim()}` };
  });
}

export interface EditOutcome {
  report: EditReport;
  done: string;
  skipped: string;
  skippedIsWarning?: boolean;
}

/** Read the file as a Document, apply one edit, validate and save atomically; say what changed on stderr. */
export async function editWatchlistFile(ctx: Context, name: string, edit: (doc: Document) => EditOutcome): Promise<void> {
  await ensureWatchlistsDir(ctx.locations.watchlistsDir);
  const file = await findWatchlistFile(ctx.locations.watchlistsDir, name);
  const { doc } = await readWatchlistDocument(file);
  const outcome = edit(doc);
  if (outcome.report.unchanged.length > 0) {
    if (outcome.skippedIsWarning) ctx.reporter.warn(outcome.skipped);
    else ctx.reporter.info(outcome.skipped);
  }
  if (outcome.report.changed.length === 0) {
    ctx.reporter.info(`${name}: nothing to change`);
    return;
  }
  const saved = await saveWatchlist(file, doc);
  for (const w of saved.warnings) ctx.reporter.warn(w);
  ctx.reporter.info(outcome.done);
}

// ---------------------------------------------------------------- edit in the editor

export async function watchlistOpenEditorCommand(name: string, global: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const ctx = createContext(global, env);
  await ensureWatchlistsDir(ctx.locations.watchlistsDir);
  const file = await findWatchlistFile(ctx.locations.watchlistsDir, name);
  // Only a person at a terminal can say whether to reopen; a script gets one attempt and exit status 2.
  const askToReopen = process.stdin.isTTY && process.stderr.isTTY ? () => askYesNo('reopen the editor to fix it? [Y/n] ', true) : undefined;
  const result = await editInEditor(file, { editor: resolveEditor(env), env, warn: (m) => ctx.reporter.warn(m), askToReopen });
  if (result.outcome === 'saved') {
    for (const w of result.loaded?.warnings ?? []) ctx.reporter.warn(w);
    ctx.reporter.info(`saved ${name} (${file})`);
  } else if (result.outcome === 'unchanged') ctx.reporter.info(`${name}: no change`);
  else throw new ConfigError(`${name} left as it was: ${result.reason}`);
}

// ---------------------------------------------------------------- validate

export interface ValidationRow {
  name: string;
  file: string;
  valid: boolean;
  errors: string[];
  warnings: string[];
}

export async function watchlistValidateCommand(name: string | undefined, flags: { json?: boolean }, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  await ensureWatchlistsDir(ctx.locations.watchlistsDir);
  const all = await listWatchlistNames(ctx.locations.watchlistsDir);
  const files = name === undefined ? all : [{ name, file: await findWatchlistFile(ctx.locations.watchlistsDir, name) }];
  const rows: ValidationRow[] = [];
  for (const entry of files) rows.push(await validateFile(entry.name, entry.file));
  // Two files claiming one name: both load fine alone, but `digest` refuses them together.
  if (name === undefined) {
    const seen = new Map<string, string>();
    for (const row of rows.filter((r) => r.valid)) {
      const other = seen.get(row.name);
      if (other) Object.assign(row, { valid: false, errors: [...row.errors, `name "${row.name}" is already used by ${other}`] });
      else seen.set(row.name, row.file);
    }
  }
  if (flags.json) await writeStdout(toJsonText(rows));
  else {
    const c = chalkFor(ctx);
    if (rows.length === 0) ctx.reporter.info(`no watchlists in ${ctx.locations.watchlistsDir}`);
    const lines = rows.flatMap((r) => [
      `${r.valid ? c.green('OK     ') : c.red('INVALID')}  ${r.name}  ${c.dim(r.file)}`,
      ...r.errors.map((e) => `  ${c.red('error:')} ${e.replace(/\n/g, '\n       ')}`),
      ...r.warnings.map((w) => `  ${c.yellow('warning:')} ${w}`),
    ]);
    if (lines.length > 0) await writeStdout(`${lines.join('\n')}\n`);
  }
  const invalid = rows.filter((r) => !r.valid).length;
  if (invalid > 0) throw new ConfigError(`${invalid} of ${plural(rows.length, 'watchlist')} ${invalid === 1 ? 'is' : 'are'} invalid; fix with \`presswatch watchlist edit NAME\``);
}

async function validateFile(name: string, file: string): Promise<ValidationRow> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { name, file, valid: false, errors: [`cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`], warnings: [] };
  }
  try {
    const loaded = parseWatchlistText(text, file);
    return { name: loaded.watchlist.name, file, valid: true, errors: [], warnings: loaded.warnings.map((w) => stripFile(w, file)) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const message = stripFile(error.message, file).replace(/^\d+ problems:\n\s*/, '');
    // Problems are separated by a line indented two spaces; deeper lines (a query and its caret) belong to one problem.
    return { name, file, valid: false, errors: message.split(/\n {2}(?! )/).map((e) => e.trim()).filter(Boolean), warnings: [] };
  }
}

/** Messages from the loader start with the file; the report already names it. */
function stripFile(message: string, file: string): string {
  return message.startsWith(file) ? message.slice(file.length).replace(/^:\s*/, '') : message;
}

// ---------------------------------------------------------------- test

export interface TestFlags {
  text?: string;
  file?: string;
  url?: string;
  title?: string;
  json?: boolean;
}

export interface TestOccurrence {
  /** A window of the field's text, as one line. */
  snippet: string;
  /** [start, end) spans of `snippet` to highlight. */
  highlights: [number, number][];
}

export interface TestTermReport {
  kind: 'keyword' | 'rule';
  /** The keyword's term, or the rule's name (its query when unnamed). */
  term: string;
  /** For a rule: its query. */
  query?: string;
  variant: string;
  field: FieldName;
  count: number;
  occurrences: TestOccurrence[];
}

/** A rule or exclusion that did not hold, with the words of its query the text has and lacks: the "why not". */
export interface TestNearMiss {
  kind: 'rule' | 'exclusion';
  term: string;
  query: string;
  found: string[];
  missing: string[];
}

export interface TestReport {
  watchlist: string;
  source: string;
  characters: number;
  matched: boolean;
  excludedBy: string | null;
  terms: TestTermReport[];
  /** Rules that did not hold although some of their words occur. */
  nearMisses: TestNearMiss[];
}

export async function watchlistTestCommand(name: string, flags: TestFlags, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  const given = (['text', 'file', 'url'] as const).filter((k) => flags[k] !== undefined);
  if (given.length !== 1) throw new UsageError(`watchlist test: give exactly one of --text, --file or --url${given.length > 1 ? ` (got ${given.map((g) => `--${g}`).join(', ')})` : ''}`);
  const loaded = await loadNamed(ctx, name);
  const input = await readTestInput(ctx, flags);
  const report = testWatchlist(loaded.watchlist, { title: flags.title ?? input.title ?? '', summary: '', content: input.text }, input.source);
  if (flags.json) return writeStdout(toJsonText(report));
  await writeStdout(renderTestReport(report, chalkFor(ctx)));
}

/** Pure: what the watchlist matches in the fields and why, with a snippet per occurrence (at most three per keyword or rule). */
export function testWatchlist(watchlist: Watchlist, fields: MatchFields, source: string): TestReport {
  const explanation = explainMatch(fields, compileWatchlist(watchlist));
  const terms = explanation.terms.map((t): TestTermReport => {
    const occurrences: TestOccurrence[] = [];
    for (const [field, spans] of Object.entries(t.offsets) as [FieldName, [number, number][]][]) {
      const text = fields[field] ?? '';
      let shownUntil = -1;
      for (const span of spans) {
        if (occurrences.length >= 3) break;
        if (span[0] < shownUntil) continue;
        const occurrence = snippetAround(text, span, spans);
        occurrences.push(occurrence.snippet);
        shownUntil = occurrence.end;
      }
    }
    return { kind: t.kind, term: t.term, ...(t.query !== undefined ? { query: t.query } : {}), variant: t.variant, field: t.field, count: t.count, occurrences };
  });
  const nearMisses = explanation.checks
    .filter((c) => c.kind !== 'keyword' && !c.matched && c.phrases?.some((p) => p.found))
    .map((c): TestNearMiss => ({
      kind: c.kind as 'rule' | 'exclusion',
      term: c.term,
      query: c.query ?? c.term,
      found: [...new Set(c.phrases!.filter((p) => p.found).map((p) => p.text))],
      missing: [...new Set(c.phrases!.filter((p) => !p.found).map((p) => p.text))],
    }));
  const characters = fields.title.length + fields.summary.length + fields.content.length + (fields.body?.length ?? 0);
  return { watchlist: watchlist.name, source, characters, matched: explanation.matched, excludedBy: explanation.excludedBy, terms, nearMisses };
}

const SNIPPET_RADIUS = 60;

function snippetAround(text: string, span: [number, number], spans: [number, number][]): { snippet: TestOccurrence; end: number } {
  let start = Math.max(0, span[0] - SNIPPET_RADIUS);
  let end = Math.min(text.length, span[1] + SNIPPET_RADIUS);
  // Cut on spaces when one is near, so words stay whole.
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space !== -1 && space < span[0]) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > span[1]) end = space;
  }
  const prefix = start > 0 ? '…' : '';
  const body = text.slice(start, end).replace(/\s/g, ' ');
  const highlights = spans.filter(([s, e]) => s >= start && e <= end).map(([s, e]): [number, number] => [s - start + prefix.length, e - start + prefix.length]);
  return { snippet: { snippet: `${prefix}${body}${end < text.length ? '…' : ''}`, highlights }, end };
}

export function renderTestReport(report: TestReport, c: ChalkInstance = new Chalk({ level: 0 })): string {
  const t = toTerminalLine;
  const lines = [`${c.bold(t(report.watchlist))} on ${t(report.source)} (${plural(report.characters, 'character')})`];
  if (report.excludedBy !== null) lines.push(`${c.yellow('no match')}: excluded by "${t(report.excludedBy)}"`);
  else if (!report.matched) lines.push(`${c.yellow('no match')}: no keyword occurs${report.nearMisses.some((m) => m.kind === 'rule') ? ' and no rule holds' : ''}`);
  else {
    const keywords = report.terms.filter((m) => m.kind === 'keyword').length;
    const rules = report.terms.length - keywords;
    lines.push(c.green(`match: ${[keywords ? plural(keywords, 'keyword') : '', rules ? plural(rules, 'rule') : ''].filter(Boolean).join(', ')}`));
  }
  for (const m of report.terms) {
    const what = m.kind === 'rule' ? `rule ${c.bold(t(m.term))}${m.query && m.query !== m.term ? c.dim(` (${t(m.query)})`) : ''}` : c.bold(t(m.term));
    const as = m.variant !== m.term ? ` as "${t(m.variant)}"` : '';
    lines.push('', `  ${what}${as}, ${m.count}× (first in ${m.field})`);
    for (const o of m.occurrences) lines.push(`    ${highlight(o, c)}`);
  }
  const misses = report.nearMisses.filter((m) => m.kind === 'rule');
  if (misses.length > 0) {
    lines.push('', c.dim('rules that did not hold:'));
    for (const m of misses) lines.push(`  ${t(m.term)}: has ${t(m.found.join(', '))}; lacks ${t(m.missing.join(', ') || 'the required order or distance')}`);
  }
  return `${lines.join('\n')}\n`;
}

function highlight(o: TestOccurrence, c: ChalkInstance): string {
  let out = '';
  let at = 0;
  for (const [start, end] of o.highlights) {
    if (start < at) continue;
    out += toTerminalLine(o.snippet.slice(at, start)) + c.bold.yellow(toTerminalLine(o.snippet.slice(start, end)));
    at = end;
  }
  return out + toTerminalLine(o.snippet.slice(at));
}

interface TestInput {
  text: string;
  title: string | null;
  source: string;
}

async function readTestInput(ctx: Context, flags: TestFlags): Promise<TestInput> {
  if (flags.text !== undefined) return { text: flags.text, title: null, source: 'the given text' };
  if (flags.file !== undefined) {
    let raw: string;
    try {
      raw = await readFile(flags.file, 'utf8');
    } catch (error) {
      throw new UsageError(`--file ${flags.file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    const html = ['.html', '.htm', '.xhtml'].includes(extname(flags.file).toLowerCase()) || looksLikeHtml(raw);
    return html ? { ...readArticle(raw, pathToFileURL(resolve(flags.file)).href), source: flags.file } : { text: raw, title: null, source: flags.file };
  }
  const url = flags.url!;
  const result = await fetchResource(url, {}, fetchOptionsFor(ctx), trustHostsOf(url)).catch((error: Error) => {
    throw new RunError(`watchlist test --url: ${error.message}`);
  });
  if (result.kind !== 'ok') throw new UsageError(`--url ${url}: the server answered ${result.status} without a page`);
  const html = /html|xml/i.test(result.contentType ?? '') || looksLikeHtml(result.text);
  return html ? { ...readArticle(result.text, result.url), source: result.url } : { text: result.text, title: null, source: result.url };
}

function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html|<head|<body|<article|<p[\s>])/i.test(text);
}

/** The article's text (the extractor's); the whole page's text when it finds no article. */
function readArticle(html: string, url: string): { text: string; title: string | null } {
  const article = extractArticle(html, url);
  if (article.text) return { text: article.text, title: article.title };
  return { text: htmlToText(html), title: null };
}

// ---------------------------------------------------------------- create, delete

export interface CreateFlags {
  description?: string;
  feed: string[];
  fromSeed?: string;
  yes?: boolean;
  max: string;
}

export type ProposedKeyword = KeywordCandidate;

export async function watchlistCreateCommand(name: string, terms: string[], flags: CreateFlags, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  if (!WATCHLIST_NAME.test(name)) throw new UsageError(`watchlist name "${name}": use letters, digits, dot, dash or underscore (at most 64, starting with a letter or digit)`);
  const max = parsePositiveInt('--max', flags.max);
  const dir = ctx.locations.watchlistsDir;
  await ensureWatchlistsDir(dir);
  const clash = (await listWatchlistNames(dir)).find((w) => w.name === name || w.file === join(dir, `${name}.yaml`) || w.file === join(dir, `${name}.yml`));
  if (clash) throw new UsageError(`watchlist "${name}" already exists (${clash.file}); change it with \`presswatch watchlist add\` or \`edit\``);
  for (const url of flags.feed) {
    const problem = checkFeedUrl(url.trim());
    if (problem) throw new UsageError(`--feed ${url}: ${problem}`);
  }
  if (!flags.fromSeed && terms.length === 0) throw new UsageError(`watchlist create ${name}: give at least one keyword (\`presswatch watchlist create ${name} TERM...\`) or --from-seed FILE|URL`);

  let keywords = terms.map((t) => t.trim()).filter(Boolean);
  let reference: ReferenceProfile | undefined;
  let description = flags.description;
  if (flags.fromSeed) {
    if (!flags.yes && !process.stdin.isTTY) throw new UsageError('--from-seed: no terminal to ask which keywords to keep; pass --yes to take the proposal as it is');
    const seed = await readSeed(flags.fromSeed, fetchOptionsFor(ctx)).catch((error: Error) => {
      throw error instanceof SeedError ? new UsageError(`--from-seed: ${error.message}`) : error;
    });
    const proposal = extractKeywords(seed.text, { max });
    if (proposal.length === 0) throw new UsageError(`--from-seed ${flags.fromSeed}: no keyword could be drawn from it (${plural(seed.text.length, 'character')} of text)`);
    process.stderr.write(renderProposal(proposal, seed.title ?? seed.source));
    const kept = flags.yes ? proposal : await askWhichToKeep(proposal);
    if (kept === null) {
      ctx.reporter.info(`nothing created`);
      return;
    }
    keywords = [...keywords, ...kept.map((k) => k.phrase).filter((p) => !keywords.includes(p))];
    reference = buildReferenceProfile(seed.text, seed.source, new Date());
    description ??= seed.title ?? undefined;
  }
  const feeds = flags.feed.map((url) => ({ url: url.trim(), label: null }));
  const doc = newWatchlistDocument(name, { ...(description ? { description } : {}), keywords, feeds, ...(reference ? { reference } : {}) });
  const file = join(dir, `${name}.yaml`);
  const saved = await saveWatchlist(file, doc);
  for (const w of saved.warnings) ctx.reporter.warn(w);
  ctx.reporter.info(`created ${name} with ${plural(keywords.length, 'keyword')}${reference ? ' and a reference profile' : ''} (${file})`);
  if (feeds.length === 0) ctx.reporter.info(`add its feeds with \`presswatch watchlist feed add ${name} URL\` or \`presswatch feeds import FILE.opml -w ${name}\``);
}

export function renderProposal(proposal: readonly ProposedKeyword[], from: string): string {
  const width = Math.max(...proposal.map((p) => p.phrase.length));
  const lines = proposal.map((p, i) => `  ${String(i + 1).padStart(2)}. ${toTerminalLine(p.phrase).padEnd(width)}  ${p.score.toFixed(3)}  ${p.kind}`);
  return `keywords proposed from ${toTerminalLine(from)} (score, kind):\n${lines.join('\n')}\n`;
}

/**
 * Reads the answer to "keep all? [Y/n] or numbers to drop": empty or y keeps
 * all, n keeps none, "3,7" or "2-4 9" drops those. Returns the kept indices,
 * or an error message to ask again.
 */
export function parseKeepAnswer(answer: string, count: number): { keep: number[] } | { error: string } {
  const a = answer.trim().toLowerCase();
  const all = Array.from({ length: count }, (_, i) => i);
  if (a === '' || a === 'y' || a === 'yes') return { keep: all };
  if (a === 'n' || a === 'no') return { keep: [] };
  const drop = new Set<number>();
  for (const part of a.split(/[\s,]+/).filter(Boolean)) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!range) return { error: `"${part}" is not a number or a range (3, 2-5)` };
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (from < 1 || to > count || from > to) return { error: `"${part}" is outside 1-${count}` };
    for (let i = from; i <= to; i++) drop.add(i - 1);
  }
  return { keep: all.filter((i) => !drop.has(i)) };
}

async function askWhichToKeep(proposal: readonly ProposedKeyword[]): Promise<ProposedKeyword[] | null> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    for (;;) {
      const answer = await rl.question('keep all? [Y/n] or list the numbers to drop (3,7 or 2-4): ');
      const parsed = parseKeepAnswer(answer, proposal.length);
      if ('error' in parsed) {
        process.stderr.write(`${parsed.error}\n`);
        continue;
      }
      if (parsed.keep.length === 0) return null;
      return parsed.keep.map((i) => proposal[i]!);
    }
  } finally {
    rl.close();
  }
}

export async function watchlistDeleteCommand(name: string, flags: { yes?: boolean }, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  await ensureWatchlistsDir(ctx.locations.watchlistsDir);
  const file = await findWatchlistFile(ctx.locations.watchlistsDir, name);
  if (!flags.yes) {
    if (!process.stdin.isTTY) throw new UsageError(`watchlist delete ${name}: no terminal to confirm; pass --yes to delete ${file}`);
    if (!(await askYesNo(`delete ${name} (${file})? [y/N] `, false))) {
      ctx.reporter.info(`${name} kept`);
      return;
    }
  }
  await rm(file);
  ctx.reporter.info(`deleted ${name} (${file}); its stored matches stay in the database`);
}

// ---------------------------------------------------------------- shared

/** One question on stderr, answered on stdin (a terminal); an empty answer takes the default, Ctrl-C or Ctrl-D mean no. */
async function askYesNo(question: string, byDefault: boolean): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const interrupted = new AbortController();
  rl.on('SIGINT', () => interrupted.abort());
  try {
    const answer = (await rl.question(question, { signal: interrupted.signal })).trim();
    return answer === '' ? byDefault : /^y(es)?$/i.test(answer);
  } catch (error) {
    if ((error as Error).name === 'AbortError') {
      process.stderr.write('\n');
      return false;
    }
    throw error;
  } finally {
    rl.close();
  }
}

/** A valid watchlist by name (the loader's errors name the file and field). */
export async function loadNamed(ctx: Context, name: string): Promise<LoadedWatchlist> {
  await ensureWatchlistsDir(ctx.locations.watchlistsDir);
  return loadWatchlistFile(await findWatchlistFile(ctx.locations.watchlistsDir, name));
}

function fetchOptionsFor(ctx: Context): FetchOptions {
  return fetchOptionsOf(readSettings(ctx.locations.configDir));
}

function rulesOf(watchlist: Watchlist): Rule[] {
  return watchlist.rules ?? [];
}

export function chalkFor(ctx: Context): ChalkInstance {
  return new Chalk({ level: ctx.color ? 1 : 0 });
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
