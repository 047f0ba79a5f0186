import { ensureWatchlistsDir, loadWatchlists } from '../../config/load-watchlists.js';
import { buildDigest, type DigestEntry } from '../../digest/digest.js';
import type { DigestFormat } from '../../digest/formats.js';
import { renderDigest } from '../../digest/render.js';
import { feedUrlsOf } from '../../pipeline.js';
import { compileWatchlist, matchItem, parseQuery } from '../../match/match-item.js';
import { openSqliteStore } from '../../store/sqlite-store.js';
import { toFtsPrefilter } from '../../store/fts-query.js';
import { createContext, writeStdout, type GlobalOptions } from '../context.js';
import { UsageError } from '../../errors.js';
import { parsePositiveInt, parseSince } from '../options.js';

export interface SearchFlags {
  since?: string;
  watchlist: string[];
  limit: string;
  format: DigestFormat;
}

/** How many full-text candidates are checked exactly, per result asked for. */
const CANDIDATES_PER_RESULT = 40;

/**
 * FTS5 narrows the archive to candidates (accent-insensitive, prefix terms), then
 * the watchlist matcher decides exactly (phrases, inflection, NEAR, NOT, fields)
 * and says where each hit is, for the snippet.
 */
export async function searchCommand(query: string, flags: SearchFlags, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  const parsed = parseQuery(query);
  if (!parsed.ok) throw new UsageError(`search: invalid query ${parsed.error.message}`);
  const limit = parsePositiveInt('--limit', flags.limit);
  const since = flags.since ? parseSince(flags.since, new Date()) : undefined;
  let feedUrls: string[] | undefined;
  if (flags.watchlist.length > 0) {
    await ensureWatchlistsDir(ctx.locations.watchlistsDir);
    const loaded = await loadWatchlists(ctx.locations.watchlistsDir, flags.watchlist);
    feedUrls = loaded.flatMap((l) => feedUrlsOf(l.watchlist));
  }
  const compiled = compileWatchlist({ name: 'search', description: '', feeds: [], keywords: [], rules: [{ name: query, query }], exclude: [] });
  const store = openSqliteStore(ctx.locations.databaseFile);
  try {
    const candidates = await store.searchItems(toFtsPrefilter(parsed.query), {
      ...(since ? { since } : {}),
      ...(feedUrls ? { feedUrls } : {}),
      limit: limit * CANDIDATES_PER_RESULT,
    });
    const hits: DigestEntry[] = [];
    const now = new Date().toISOString();
    for (const item of candidates) {
      if (hits.length >= limit) break;
      const result = matchItem({ title: item.title, summary: item.summary, content: item.content, body: item.body }, compiled);
      if (!result.matched) continue;
      const matches = result.terms.map((t) => ({ itemId: item.id, term: t.term, count: t.count, variant: t.variant, field: t.field, offsets: t.offsets, matchedAt: now }));
      const feed = await store.getFeedState(item.feedUrl);
      hits.push({ item, matches, feedLabel: feed?.label ?? null, feedTitle: feed?.title ?? null });
    }
    const digest = buildDigest({ now: new Date(), mode: 'since', since: since ?? null, watchlists: [{ name: `search: ${query}`, matched: hits }], feeds: [] });
    if (hits.length === 0) ctx.reporter.info(`search: nothing stored matches ${query}`);
    await writeStdout(renderDigest(digest, flags.format, { color: ctx.color }));
  } finally {
    await store.close();
  }
}
