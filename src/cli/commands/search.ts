import { ensureWatchlistsDir, loadWatchlists } from '../../config/load-watchlists.js';
import { buildDigest, compareNewestFirst, type DigestEntry } from '../../digest/digest.js';
import type { DigestFormat } from '../../digest/formats.js';
import { renderDigest } from '../../digest/render.js';
import { feedUrlsOf } from '../../pipeline.js';
import { foldSearchHits, type SearchStory } from '../../pipeline/fold-search-hits.js';
import { compileWatchlist, matchItem, parseQuery } from '../../match/match-item.js';
import { openStore } from '../../store/open-store.js';
import { toTextPrefilter } from '../../store/text-filter.js';
import { createContext, writeStdout, type GlobalOptions } from '../context.js';
import { UsageError } from '../../errors.js';
import { parsePositiveInt, parseSince } from '../options.js';

export interface SearchFlags {
  since?: string;
  watchlist: string[];
  limit: string;
  format: DigestFormat;
  /** false with --no-fold: every matching copy, not one entry per story. */
  fold: boolean;
}

/** How many full-text candidates are checked exactly, per result asked for. */
const CANDIDATES_PER_RESULT = 40;
/** Folding reads hits of this many times the stories asked for, so that a shown story's older copies are among them. */
const FOLD_MARGIN = 2;

/**
 * The store's full-text index narrows the archive to candidates (accent-insensitive, prefix terms), then
 * the watchlist matcher decides exactly (phrases, inflection, NEAR, NOT, fields)
 * and says where each hit is, for the snippet. Hits are folded into stories as a
 * digest folds them (unless --no-fold), and --limit counts what is shown.
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
    const loaded = await loadWatchlists(ctx.locations.watchlistsDir, flags.watchlist, { cacheFile: ctx.locations.watchlistCacheFile });
    feedUrls = loaded.flatMap((l) => feedUrlsOf(l.watchlist));
  }
  const compiled = compileWatchlist({ name: 'search', description: '', feeds: [], keywords: [], rules: [{ name: query, query }], exclude: [] });
  const store = await openStore(ctx.locations);
  try {
    const candidates = await store.searchItems(toTextPrefilter(parsed.query), {
      ...(since ? { since } : {}),
      ...(feedUrls ? { feedUrls } : {}),
      limit: limit * CANDIDATES_PER_RESULT,
    });
    const hits: DigestEntry[] = [];
    // Distinct stored stories among the hits: folding only joins them, so there are never fewer.
    const storedStories = new Set<string>();
    const now = new Date().toISOString();
    let next = 0;
    const readUntil = async (enough: () => boolean) => {
      while (next < candidates.length && !enough()) {
        const item = candidates[next++]!;
        const result = matchItem({ title: item.title, summary: item.summary, content: item.content, body: item.body }, compiled);
        if (!result.matched) continue;
        const matches = result.terms.map((t) => ({ itemId: item.id, term: t.term, count: t.count, variant: t.variant, field: t.field, offsets: t.offsets, matchedAt: now }));
        const feed = await store.getFeedState(item.feedUrl);
        hits.push({ item, matches, feedLabel: feed?.label ?? null, feedTitle: feed?.title ?? null });
        storedStories.add(item.storyId ?? item.id);
      }
    };
    let stories: SearchStory[];
    if (!flags.fold) {
      await readUntil(() => hits.length >= limit);
      stories = hits.map((entry) => ({ entry, hits: 1 }));
    } else {
      // Candidates come newest first. A story is shown by its earliest copy, which other stories' hits
      // may separate from its newest: read FOLD_MARGIN times the hits needed before folding, and read on
      // while folding left fewer than `limit` stories. (Folding every candidate costs seconds on a
      // common word: each hit's story signature is computed.)
      let wanted = limit * FOLD_MARGIN;
      for (;;) {
        await readUntil(() => storedStories.size >= wanted);
        stories = await foldSearchHits(store, hits);
        if (stories.length >= limit || next >= candidates.length) break;
        wanted += (limit - stories.length) * FOLD_MARGIN;
      }
    }
    stories = stories.sort((a, b) => compareNewestFirst(a.entry, b.entry)).slice(0, limit);
    const digest = buildDigest({
      now: new Date(),
      mode: 'since',
      since: since ?? null,
      watchlists: [{ name: `search: ${query}`, matched: stories.map((s) => s.entry) }],
      feeds: [],
      search: { query, hits: stories.reduce((sum, s) => sum + s.hits, 0), folded: flags.fold },
    });
    if (hits.length === 0) ctx.reporter.info(`search: nothing stored matches ${query}`);
    await writeStdout(renderDigest(digest, flags.format, { color: ctx.color }));
  } finally {
    await store.close();
  }
}
