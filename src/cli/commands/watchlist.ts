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
import { ensureWatchlistsDir, loadWatchlistFile } from '../../config/load-watchlists.js';
import { parseWatchlistText } from '../../config/parse-watchlist.js';
import { fetchOptionsOf, readSettings } from '../../config/settings.js';
import { redactUri } from '../../config/destination.js';
import { checkFeedUrl, type LoadedWatchlist, WATCHLIST_NAME, type ReferenceProfile, type Rule, type Watchlist } from '../../config/watchlist.js';
import { toTerminalLine } from '../../digest/safe-text.js';
import { trustHostsOf } from '../../fetch/address-policy.js';
import { fetchResource, type FetchOptions } from '../../fetch/http.js';
import { compileFacets, defaultRequire, matchFacets } from '../../match/match-facets.js';
import { compileWatchlist, explainMatch, type FieldName, type MatchFields } from '../../match/match-item.js';
import { countryAliases } from '../../entities/countries.js';
import type { KeywordCandidate } from '../../relevance/keywords.js';
import { buildCorpusStats, buildReferenceProfile, scoreDocument } from '../../relevance/profile.js';
import { dropTerms, NoEntityError, proposeFacets, type FacetProposal } from '../../relevance/propose-facets.js';
import { seedCutOff } from '../../relevance/relevance-score.js';
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
        return {
          name: watchlist.name,
          file,
          valid: true,
          description: watchlist.description,
          feeds: watchlist.feeds.length,
          keywords: watchlist.keywords.length,
          exclude: watchlist.exclude.length,
          rules: rulesOf(watchlist).length,
          facets: watchlist.facets?.length ?? 0,
          reference: Boolean(watchlist.reference),
        };
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return { name, file, valid: false, description: '', feeds: 0, keywords: 0, exclude: 0, rules: 0, facets: 0, reference: false };
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
    const counts = `${plural(r.feeds, 'feed')}, ${r.facets && !r.keywords ? plural(r.facets, 'facet') : plural(r.keywords, 'keyword')}${r.rules ? `, ${plural(r.rules, 'rule')}` : ''}`;
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
  if (w.facets && w.facets.length > 0) {
    out.push('', `${c.bold(`facets (${w.facets.length})`)}  require: ${t(w.require ?? defaultRequire(w.facets))}`);
    for (const f of w.facets) {
      out.push(`  ${c.bold(t(f.name))} ${c.dim(`(${f.kind})`)}`);
      for (const code of f.countries) out.push(`    country ${code}: ${t(countrySample(code))}`);
      if (f.terms.length > 0) out.push(`    terms: ${t(f.terms.join(', '))}`);
    }
  }
  if (w.destinations?.length) {
    out.push('', c.bold(`destinations (${w.destinations.length})`));
    for (const d of w.destinations) out.push(`  ${t(redactUri(d.uri))}${d.format ? c.dim(` (${d.format}${d.secretEnv ? `, signed with $${d.secretEnv}` : ''})`) : ''}`);
  }
  if (w.reference) {
    const top = Object.entries(w.reference.terms)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([term]) => term);
    const cut = w.reference.minScore !== undefined ? `; stories under ${w.reference.minScore} are left out` : '';
    out.push('', c.bold('reference'), `  from ${t(w.reference.seed)}, ${w.reference.createdAt.slice(0, 10)}: ${plural(Object.keys(w.reference.terms).length, 'term')} (${t(top.join(', '))}…)${cut}`);
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
    return {
      name,
      file,
      valid: false,
      errors: message
        .split(/\n {2}(?! )/)
        .map((e) => e.trim())
        .filter(Boolean),
      warnings: [],
    };
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
  /** For a watchlist with facets: which it holds, with their words, which it lacks, and whether `require` holds. */
  facets?: { require: string; satisfied: boolean; found: { name: string; kind: string; words: string[] }[]; missing: string[] };
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
    .map(
      (c): TestNearMiss => ({
        kind: c.kind as 'rule' | 'exclusion',
        term: c.term,
        query: c.query ?? c.term,
        found: [...new Set(c.phrases!.filter((p) => p.found).map((p) => p.text))],
        missing: [...new Set(c.phrases!.filter((p) => !p.found).map((p) => p.text))],
      }),
    );
  const characters = fields.title.length + fields.summary.length + fields.content.length + (fields.body?.length ?? 0);
  const compiledFacets = compileFacets(watchlist);
  const facetResult = compiledFacets ? matchFacets(fields, compiledFacets) : null;
  const facets = facetResult
    ? {
        require: watchlist.require ?? defaultRequire(watchlist.facets ?? []),
        satisfied: facetResult.satisfied,
        found: facetResult.facets.map((f) => ({ name: f.facet, kind: f.kind, words: f.words })),
        missing: (watchlist.facets ?? []).map((f) => f.name).filter((n) => !facetResult.facets.some((f) => f.facet === n)),
      }
    : undefined;
  const matched = explanation.excludedBy === null && (explanation.matched || Boolean(facetResult?.satisfied));
  return { watchlist: watchlist.name, source, characters, matched, excludedBy: explanation.excludedBy, terms, nearMisses, ...(facets ? { facets } : {}) };
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
  else if (!report.matched)
    lines.push(`${c.yellow('no match')}: ${report.facets ? `require (${t(report.facets.require)}) does not hold, ` : ''}no keyword occurs${report.nearMisses.some((m) => m.kind === 'rule') ? ' and no rule holds' : ''}`);
  else {
    const keywords = report.terms.filter((m) => m.kind === 'keyword').length;
    const rules = report.terms.length - keywords;
    const facets = report.facets?.satisfied ? `facets (${t(report.facets.require)})` : '';
    lines.push(c.green(`match: ${[facets, keywords ? plural(keywords, 'keyword') : '', rules ? plural(rules, 'rule') : ''].filter(Boolean).join(', ')}`));
  }
  if (report.facets) {
    for (const f of report.facets.found) lines.push(`  ${c.bold(t(f.name))}: ${t(f.words.join(', '))}`);
    for (const name of report.facets.missing) lines.push(`  ${c.bold(t(name))}: ${c.dim('not found')}`);
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

  const keywords = terms.map((t) => t.trim()).filter(Boolean);
  let reference: ReferenceProfile | undefined;
  let proposal: FacetProposal | undefined;
  let description = flags.description;
  if (flags.fromSeed) {
    if (!flags.yes && !process.stdin.isTTY) throw new UsageError('--from-seed: no terminal to ask which terms to keep; pass --yes to take the proposal as it is');
    const seed = await readSeed(flags.fromSeed, fetchOptionsFor(ctx)).catch((error: Error) => {
      throw error instanceof SeedError ? new UsageError(`--from-seed: ${error.message}`) : error;
    });
    try {
      proposal = proposeFacets(seed.text, { maxThemes: max });
    } catch (error) {
      if (error instanceof NoEntityError) throw new UsageError(`--from-seed ${flags.fromSeed}: ${error.message}; nothing created`);
      throw error;
    }
    process.stderr.write(renderProposal(proposal, seed.title ?? seed.source));
    if (!flags.yes) {
      const drop = await askWhichToDrop(proposal);
      if (drop === null) {
        ctx.reporter.info('nothing created');
        return;
      }
      proposal = dropTerms(proposal, drop);
    }
    const profile = buildReferenceProfile(seed.text, seed.source, new Date());
    // The seed's own similarity to its profile, with no archive yet (every idf alike): the cut-off is a share of it.
    const seedSimilarity = scoreDocument(seed.text, profile, buildCorpusStats([seed.text]));
    reference = { ...profile, minScore: seedCutOff(seedSimilarity, proposal.facets.length > 0) };
    description ??= seed.title ?? undefined;
  }
  const feeds = flags.feed.map((url) => ({ url: url.trim(), label: null }));
  const doc = newWatchlistDocument(name, {
    ...(description ? { description } : {}),
    keywords,
    feeds,
    ...(reference ? { reference } : {}),
    ...(proposal ? { facets: proposal.facets, require: proposal.require } : {}),
  });
  const file = join(dir, `${name}.yaml`);
  const saved = await saveWatchlist(file, doc);
  for (const w of saved.warnings) ctx.reporter.warn(w);
  const parts = [
    keywords.length > 0 || !proposal ? plural(keywords.length, 'keyword') : null,
    proposal ? `${plural(proposal.facets.length, 'facet')} (require: ${proposal.require})` : null,
    reference ? 'a reference profile' : null,
  ].filter(Boolean);
  ctx.reporter.info(`created ${name} with ${parts.join(', ').replace(/, ([^,]*)$/, ' and $1')} (${file})`);
  if (feeds.length === 0) ctx.reporter.info(`add its feeds with \`presswatch watchlist feed add ${name} URL\` or \`presswatch feeds import FILE.opml -w ${name}\``);
}

/** The facets proposed from a seed, their terms numbered across facets (the numbers a user drops). */
export function renderProposal(proposal: FacetProposal, from: string): string {
  const t = toTerminalLine;
  const lines: string[] = [`facets proposed from ${t(from)}:`];
  let n = 0;
  for (const f of proposal.facets) {
    lines.push(`  ${t(f.name)} (${f.kind})`);
    for (const code of f.countries) lines.push(`      country ${code}: ${t(countrySample(code))}`);
    for (const term of f.terms) lines.push(`    ${String(++n).padStart(2)}. ${t(term)}`);
  }
  lines.push(`  require: ${t(proposal.require)}`);
  return `${lines.join('\n')}\n`;
}

/** A few of a country's spellings, for people to see what "RU" stands for. */
function countrySample(code: string): string {
  const c = countryAliases(code);
  if (!c) return code;
  const sample = [c.names[0], c.names.find((n, i) => i > 0 && /^[A-Za-z]/.test(n)), c.demonyms[0], c.demonyms.find((d) => /^\p{Lu}/u.test(d)), ...c.capitals, ...c.seats.slice(0, 2)].filter((s): s is string =>
    Boolean(s),
  );
  return `${[...new Set(sample)].join(', ')}, … (every name, demonym, capital and large city)`;
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

/** Asks which numbered terms to drop; null when the user keeps nothing. */
async function askWhichToDrop(proposal: FacetProposal): Promise<Set<number> | null> {
  const count = proposal.facets.reduce((sum, f) => sum + f.terms.length, 0);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    for (;;) {
      const answer = await rl.question('keep all? [Y/n] or list the numbers of terms to drop (3,7 or 2-4): ');
      if (/^\s*no?\s*$/i.test(answer)) return null;
      const parsed = parseKeepAnswer(answer, count);
      if ('error' in parsed) {
        process.stderr.write(`${parsed.error}\n`);
        continue;
      }
      const keep = new Set(parsed.keep);
      return new Set(Array.from({ length: count }, (_, i) => i).filter((i) => !keep.has(i)));
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
