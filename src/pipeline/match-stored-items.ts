import type { Watchlist } from '../config/watchlist.js';
import { feedUrlsOf } from './refresh-feeds.js';
import { sha256 } from '../feed/item.js';
import { compileWatchlist, matchItem } from '../match/match-item.js';
import type { Store, StoredMatch } from '../store/store.js';

/**
 * Identifies what a watchlist matches against what, so editing its rules or its
 * feeds re-matches the archive (a feed added later has items below the cursor).
 */
export function rulesHash(watchlist: Watchlist): string {
  const feeds = feedUrlsOf(watchlist).sort();
  return sha256(JSON.stringify({ keywords: watchlist.keywords, rules: watchlist.rules ?? [], exclude: watchlist.exclude, feeds, v: 3 }));
}

const MATCH_PAGE = 2000;

/**
 * Matches every stored item of the watchlist's feeds that it has not yet seen. One
 * process at a time per watchlist (a lock in the store): whatever runs at once, each
 * item is matched once, and a rule change cannot interleave with an older matching.
 */
export function matchStoredItems(store: Store, watchlist: Watchlist, now: Date): Promise<number> {
  return store.exclusive(`match:${watchlist.name}`, (tx) => matchUnseenItems(tx, watchlist, now));
}

async function matchUnseenItems(store: Store, watchlist: Watchlist, now: Date): Promise<number> {
  const rules = compileWatchlist(watchlist);
  const feedUrls = feedUrlsOf(watchlist);
  let after = await store.beginMatching(watchlist.name, rulesHash(watchlist));
  let matchedItems = 0;
  for (;;) {
    const page = await store.listItemsAfter(feedUrls, after, MATCH_PAGE);
    if (page.length === 0) break;
    const found: StoredMatch[] = [];
    for (const item of page) {
      const result = matchItem({ title: item.title, summary: item.summary, content: item.content, body: item.body }, rules);
      if (!result.matched) continue;
      matchedItems++;
      for (const t of result.terms) found.push({ itemId: item.id, term: t.term, count: t.count, variant: t.variant, field: t.field, offsets: t.offsets, matchedAt: now.toISOString() });
    }
    after = page[page.length - 1]!.seq;
    await store.saveMatches(watchlist.name, after, found);
  }
  return matchedItems;
}
