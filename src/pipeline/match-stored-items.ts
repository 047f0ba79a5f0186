import type { Watchlist } from '../config/watchlist.js';
import { feedUrlsOf } from './refresh-feeds.js';
import { sha256 } from '../feed/item.js';
import { compileFacets, matchFacets, type CompiledFacets } from '../match/match-facets.js';
import { type CompiledWatchlist, compileWatchlist, matchItem } from '../match/match-item.js';
import type { Store, StoredMatch } from '../store/store.js';

/**
 * Identifies what a watchlist matches against what, so editing its rules or its
 * feeds re-matches the archive (a feed added later has items below the cursor).
 */
export function rulesHash(watchlist: Watchlist): string {
  const feeds = feedUrlsOf(watchlist).sort();
  return sha256(JSON.stringify({ keywords: watchlist.keywords, rules: watchlist.rules ?? [], exclude: watchlist.exclude, facets: watchlist.facets ?? [], require: watchlist.require ?? null, feeds, v: 4 }));
}

// Facets expand into hundreds of spellings (countries' names, cities): compiled once per watchlist value.
const compiledFacets = new WeakMap<Watchlist, CompiledFacets | null>();

/** The watchlist's facets, compiled (null without facets); matching and scoring share one copy. */
export function facetsOf(watchlist: Watchlist): CompiledFacets | null {
  if (!compiledFacets.has(watchlist)) compiledFacets.set(watchlist, compileFacets(watchlist));
  return compiledFacets.get(watchlist) ?? null;
}

const MATCH_PAGE = 2000;

/**
 * Matches every stored item of the watchlist's feeds that it has not yet seen.
 * An item matches when a keyword or rule holds, or when its facets satisfy
 * `require`; an exclusion vetoes both. Facets found are recorded as matches
 * under the facet's name (their words joined by " … "), so highlights show them.
 * One process at a time per watchlist (a lock in the store): whatever runs at once,
 * each item is matched once, and a rule change cannot interleave with an older matching.
 */
export function matchStoredItems(store: Store, watchlist: Watchlist, now: Date): Promise<number> {
  return store.exclusive(`match:${watchlist.name}`, (tx) => matchUnseenItems(tx, watchlist, now));
}

async function matchUnseenItems(store: Store, watchlist: Watchlist, now: Date): Promise<number> {
  const feedUrls = feedUrlsOf(watchlist);
  let after = await store.beginMatching(watchlist.name, rulesHash(watchlist));
  let matchedItems = 0;
  // Compiled once there is an item to match: a warm run with nothing new compiles nothing.
  let compiled: { rules: CompiledWatchlist; facets: CompiledFacets | null } | undefined;
  for (;;) {
    const page = await store.listItemsAfter(feedUrls, after, MATCH_PAGE);
    if (page.length === 0) break;
    compiled ??= { rules: compileWatchlist(watchlist), facets: facetsOf(watchlist) };
    const { rules, facets } = compiled;
    const found: StoredMatch[] = [];
    for (const item of page) {
      const fields = { title: item.title, summary: item.summary, content: item.content, body: item.body };
      const result = matchItem(fields, rules);
      if (result.excludedBy !== null) continue;
      const facetResult = facets ? matchFacets(fields, facets) : null;
      if (!result.matched && !facetResult?.satisfied) continue;
      matchedItems++;
      for (const t of result.terms) found.push({ itemId: item.id, term: t.term, count: t.count, variant: t.variant, field: t.field, offsets: t.offsets, matchedAt: now.toISOString() });
      for (const f of facetResult?.facets ?? []) found.push({ itemId: item.id, term: f.facet, count: f.count, variant: f.words.join(' … '), field: f.field, offsets: f.offsets, matchedAt: now.toISOString() });
    }
    after = page[page.length - 1]!.seq;
    await store.saveMatches(watchlist.name, after, found);
  }
  return matchedItems;
}
