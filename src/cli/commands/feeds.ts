import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { addFeed, findWatchlistFile, listWatchlistNames, readWatchlistDocument, saveWatchlist } from '../../config/edit-watchlist.js';
import { ensureWatchlistsDir, loadWatchlists } from '../../config/load-watchlists.js';
import { checkFeedUrl, type Watchlist } from '../../config/watchlist.js';
import { OpmlError, parseOpml, renderOpml, type OpmlFeed } from '../../feed/opml.js';
import { createContext, writeStdout, type GlobalOptions } from '../context.js';
import { UsageError } from '../../errors.js';

export interface ImportFlags {
  watchlist?: string;
  dryRun?: boolean;
}

export interface ImportCounts {
  watchlist: string;
  added: number;
  duplicates: number;
  invalid: number;
}

export async function feedsImportCommand(file: string, flags: ImportFlags, global: GlobalOptions): Promise<ImportCounts[]> {
  const ctx = createContext(global);
  let xml: string;
  try {
    xml = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`feeds import: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let feeds: OpmlFeed[];
  try {
    feeds = parseOpml(xml).feeds;
  } catch (error) {
    if (error instanceof OpmlError) throw new UsageError(`feeds import: ${file}: ${error.message}`);
    throw new UsageError(`feeds import: ${file}: not readable as XML (${(error as Error).message})`);
  }
  if (feeds.length === 0) throw new UsageError(`feeds import: ${file} lists no feeds (no <outline> with an xmlUrl)`);

  const dir = ctx.locations.watchlistsDir;
  await ensureWatchlistsDir(dir);
  const known = (await listWatchlistNames(dir)).map((w) => w.name);
  const plan = assignImport(feeds, { target: flags.watchlist ?? null, stem: basename(file, extname(file)), known });

  const counts: ImportCounts[] = [];
  for (const [name, group] of plan) {
    const target = await findWatchlistFile(dir, name);
    const { doc } = await readWatchlistDocument(target);
    const count: ImportCounts = { watchlist: name, added: 0, duplicates: 0, invalid: 0 };
    for (const feed of group) {
      const problem = checkFeedUrl(feed.url);
      if (problem) {
        count.invalid++;
        ctx.reporter.warn(`${file}: skipped ${feed.label ? `"${feed.label}" ` : ''}${feed.url}: ${problem}`);
        continue;
      }
      if (addFeed(doc, feed.url, feed.label).changed.length > 0) count.added++;
      else count.duplicates++;
    }
    if (count.added > 0 && !flags.dryRun) {
      const saved = await saveWatchlist(target, doc);
      for (const w of saved.warnings) ctx.reporter.warn(w);
    }
    counts.push(count);
    const verb = flags.dryRun ? 'would add' : 'added';
    ctx.reporter.info(`${name}: ${verb} ${count.added} feed${count.added === 1 ? '' : 's'}, skipped ${count.duplicates} already there${count.invalid ? ` and ${count.invalid} invalid` : ''}`);
  }
  return counts;
}

/**
 * Which watchlist gets which feeds (pure). With a target, all of them go there.
 * Without: to the watchlist named like the file; else, when every feed sits in
 * a top-level folder named after a watchlist (what `feeds export` writes), folder
 * by folder. Anything else is ambiguous and asks for -w.
 */
export function assignImport(feeds: readonly OpmlFeed[], options: { target: string | null; stem: string; known: readonly string[] }): Map<string, OpmlFeed[]> {
  const { target, stem, known } = options;
  const knownList = known.join(', ') || 'none';
  if (target !== null) {
    if (!known.includes(target)) throw new UsageError(`unknown watchlist "${target}" (known: ${knownList}); create it first with \`presswatch watchlist create ${target} TERM...\``);
    return new Map([[target, [...feeds]]]);
  }
  if (known.includes(stem)) return new Map([[stem, [...feeds]]]);
  const byFolder = new Map<string, OpmlFeed[]>();
  for (const feed of feeds) {
    const [top, ...rest] = (feed.category ?? '').split('/');
    if (!top || !known.includes(top)) {
      throw new UsageError(`feeds import: which watchlist should get these feeds? No watchlist is named "${stem}" and the file's folders do not all name watchlists; pass -w NAME (known: ${knownList})`);
    }
    const list = byFolder.get(top) ?? [];
    const category = rest.join('/');
    list.push({ url: feed.url, label: feed.label, ...(category ? { category } : {}) });
    byFolder.set(top, list);
  }
  return byFolder;
}

export async function feedsExportCommand(flags: { watchlist: string[] }, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  await ensureWatchlistsDir(ctx.locations.watchlistsDir);
  const loaded = await loadWatchlists(ctx.locations.watchlistsDir, flags.watchlist, { cacheFile: ctx.locations.watchlistCacheFile });
  const exported = exportOpml(
    loaded.map((l) => l.watchlist),
    new Date(),
  );
  for (const s of exported.skipped) ctx.reporter.warn(`${s.watchlist}: left out ${s.url}, an HTML page rather than a feed`);
  await writeStdout(exported.xml);
  ctx.reporter.info(`exported ${exported.count} feed${exported.count === 1 ? '' : 's'} of ${loaded.length} watchlist${loaded.length === 1 ? '' : 's'}`);
}

/** Pure: the OPML of the watchlists' feeds, one top-level folder per watchlist; HTML list pages are left out. */
export function exportOpml(watchlists: readonly Watchlist[], now: Date): { xml: string; count: number; skipped: { watchlist: string; url: string }[] } {
  const feeds: OpmlFeed[] = [];
  const skipped: { watchlist: string; url: string }[] = [];
  for (const watchlist of watchlists) {
    for (const feed of watchlist.feeds) {
      if (feed.type === 'html') skipped.push({ watchlist: watchlist.name, url: feed.url });
      else feeds.push({ url: feed.url, label: feed.label, category: watchlist.name });
    }
  }
  const title = watchlists.length === 1 ? `presswatch: ${watchlists[0]!.name}` : 'presswatch watchlists';
  return { xml: renderOpml(title, feeds, { now }), count: feeds.length, skipped };
}
