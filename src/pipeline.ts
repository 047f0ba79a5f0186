/**
 * The one place that runs the stages in order:
 *
 *   fetch + parse (feeds and HTML list pages) → store → scrape article pages
 *   → match → assign stories to matched items (dedupe) → fold stories, score → digest
 *   → deliver to each watchlist's destinations (with --deliver)
 *
 * Each stage stays ignorant of the others; the steps in src/pipeline/ pass
 * values between a stage and the store, and this file only sequences them.
 */
import type { Watchlist } from './config/watchlist.js';
import type { Destination } from './deliver/destination.js';
import { buildDigest, type Digest, type DigestEntry, type DigestSort } from './digest/digest.js';
import { foldStories } from './digest/fold-stories.js';
import type { PoliteFetcher } from './fetch/polite-fetcher.js';
import { assignStories } from './pipeline/assign-stories.js';
import { claimedOnly, deliverStories, itemsOfStories } from './pipeline/deliver-stories.js';
import { FreshMatches, matchStoredItems } from './pipeline/match-stored-items.js';
import { feedUrlsOf, refreshFeeds, uniqueFeeds, type RefreshOptions } from './pipeline/refresh-feeds.js';
import { scoreEntries } from './pipeline/score-entries.js';
import { scrapePendingArticles } from './pipeline/scrape-articles.js';
import type { MatchedItem, Store } from './store/store.js';

export { SILENT_REPORTER, type Reporter } from './pipeline/reporter.js';
export { feedUrlsOf, refreshFeeds, uniqueFeeds, wantsFullText, type RefreshOptions, type ResolvedFeed } from './pipeline/refresh-feeds.js';
export { matchStoredItems, rulesHash } from './pipeline/match-stored-items.js';

export interface DigestRunOptions extends RefreshOptions {
  fetchFeeds: boolean;
  /** ISO date: show everything matched since then instead of what is new. */
  since: string | null;
  sort?: DigestSort;
  minScore?: number;
  /** How article pages are read; without it (or with fetchFeeds off) nothing is scraped. */
  scrape?: { fetcher: PoliteFetcher; concurrency: number };
  /**
   * Deliver (`--deliver`): each watchlist's destinations by watchlist name (none: an empty
   * list). The digest then lists each delivery in `deliveries`.
   */
  destinations?: ReadonlyMap<string, readonly Destination[]>;
  /** False when the digest's stories will not be printed (`--no-print`): they are not listed, and so never marked as shown. */
  printed?: boolean;
}

export interface DigestRun {
  digest: Digest;
  /**
   * Call once the digest has been written out: only then are its stories marked
   * as shown (and the others this run held let go; closing the store lets go of
   * them too). A `since` digest is a look back and leaves the cursor alone.
   */
  markDelivered(): Promise<void>;
}

/** The main job: refresh, scrape, cluster, match, and build the digest of the given watchlists. */
export async function runDigest(store: Store, watchlists: readonly Watchlist[], options: DigestRunOptions): Promise<DigestRun> {
  // Before fetching: a destination added now is owed the stories of items this run stores.
  if (options.destinations) {
    const at = options.now().toISOString();
    for (const w of watchlists)
      await store.syncDestinations(
        w.name,
        (options.destinations.get(w.name) ?? []).map((d) => d.uri),
        at,
      );
  }
  // Items are queued for their article page only when this run has a scraper to read it.
  // The items this run stores are matched as they are stored, with their texts in hand.
  const fresh = new FreshMatches(watchlists);
  const feeds = options.fetchFeeds ? await refreshFeeds(store, uniqueFeeds(watchlists), { ...options, queueFullText: Boolean(options.scrape), onStored: (url, items, queued) => fresh.add(url, items, queued) }) : [];
  if (options.fetchFeeds && options.scrape) await scrapePendingArticles(store, options.scrape.fetcher, { concurrency: options.scrape.concurrency, reporter: options.reporter });
  const now = options.now();
  const matching = (done: number) => options.reporter.progress({ phase: 'matching', done, total: watchlists.length });
  matching(0);
  for (const [i, w] of watchlists.entries()) {
    await matchStoredItems(store, w, now, fresh);
    matching(i + 1);
  }
  await assignStories(store, options.reporter);
  const lists: { name: string; watchlist: Watchlist; matched: MatchedItem[]; presented: DigestEntry[] }[] = [];
  for (const w of watchlists) {
    if (options.printed === false) {
      lists.push({ name: w.name, watchlist: w, matched: [], presented: [] });
      continue;
    }
    const listed = await store.listMatchedItems(w.name, {
      undeliveredOnly: options.since === null,
      ...(options.since ? { since: options.since } : {}),
      feedUrls: feedUrlsOf(w),
    });
    const matched = options.since ? listed : await claimedOnly(store, w.name, listed);
    lists.push({ name: w.name, watchlist: w, matched, presented: await presentStories(store, w, matched) });
  }
  const digest = buildDigest({
    now,
    mode: options.since ? 'since' : 'new',
    since: options.since,
    watchlists: lists.map((l) => ({ name: l.name, matched: l.presented, ...watchlistDefaults(l.watchlist) })),
    feeds,
    ...(options.sort ? { sort: options.sort } : {}),
    ...(options.minScore !== undefined ? { minScore: options.minScore } : {}),
  });
  if (options.destinations) {
    const destinations = options.destinations;
    digest.deliveries = await deliverStories(
      store,
      watchlists.map((w) => ({ watchlist: w, destinations: destinations.get(w.name) ?? [] })),
      {
        now: options.now,
        feeds,
        reporter: options.reporter,
        present: (w, matched) => presentStories(store, w, matched),
        defaultsOf: watchlistDefaults,
        ...(options.sort ? { sort: options.sort } : {}),
        ...(options.minScore !== undefined ? { minScore: options.minScore } : {}),
      },
    );
  }
  return {
    digest,
    async markDelivered() {
      if (options.since) return;
      const at = options.now().toISOString();
      // Every matched copy of each story shown, not only the copy shown: the whole story has been
      // seen. Stories left out (--min-score) are not marked: a later digest may still show them.
      for (const list of lists) {
        const shownIds = digest.stories.filter((s) => s.watchlist === list.name).map((s) => s.id);
        await store.markDelivered(list.name, itemsOfStories(list.matched, shownIds), at);
      }
      await store.releaseStories();
    },
  };
}

/** A watchlist with a reference ranks by score and leaves out what scores under its seed-derived cut-off (docs/relevance.md). */
function watchlistDefaults(watchlist: Watchlist): { sort?: DigestSort; minScore?: number } {
  if (!watchlist.reference) return {};
  return { sort: 'score', ...(watchlist.reference.minScore !== undefined ? { minScore: watchlist.reference.minScore } : {}) };
}

/** One entry per story, with the other outlets that carried it, and its relevance when the watchlist has a reference. */
async function presentStories(store: Store, watchlist: Watchlist, matched: readonly DigestEntry[]): Promise<DigestEntry[]> {
  const storyIds = [...new Set(matched.map((m) => m.item.storyId).filter((id): id is string => id !== null))];
  // Scored before folding: a story takes the relevance of its most relevant matched report.
  const scored = await scoreEntries(store, watchlist, [...matched]);
  return foldStories(scored, await store.listStoryMembers(storyIds));
}
