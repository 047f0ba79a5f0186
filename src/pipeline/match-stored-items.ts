import type { Watchlist } from '../config/watchlist.js';
import { feedUrlsOf } from './refresh-feeds.js';
import { sha256, type Item } from '../feed/item.js';
import type { CompiledFacets } from '../match/match-facets.js';
import type { CompiledWatchlist, MatchFields } from '../match/match-item.js';
import { readsBackAsWritten } from '../store/packed-text.js';
import type { Store, StoredMatch } from '../store/store.js';

/**
 * Identifies what a watchlist matches against what, so editing its rules or its
 * feeds re-matches the archive (a feed added later has items below the cursor).
 */
export function rulesHash(watchlist: Watchlist): string {
  const feeds = feedUrlsOf(watchlist).sort();
  return sha256(JSON.stringify({ keywords: watchlist.keywords, rules: watchlist.rules ?? [], exclude: watchlist.exclude, facets: watchlist.facets ?? [], require: watchlist.require ?? null, feeds, v: 4 }));
}

/**
 * The match stage's code, imported when there is an item to match or a story to score: a warm
 * run with nothing new loads none of it (about 15 ms of module loading with the entity tables
 * it brings).
 */
export type Matcher = typeof import('../match/match-item.js') & typeof import('../match/match-facets.js');
let matcher: Promise<Matcher> | undefined;

export function loadMatcher(): Promise<Matcher> {
  matcher ??= Promise.all([import('../match/match-item.js'), import('../match/match-facets.js')]).then(([items, facets]) => ({ ...items, ...facets }));
  return matcher;
}

// Facets expand into hundreds of spellings (countries' names, cities): compiled once per watchlist value.
const compiledFacets = new WeakMap<Watchlist, CompiledFacets | null>();

/** The watchlist's facets, compiled (null without facets); matching and scoring share one copy. */
export function facetsOf(watchlist: Watchlist, m: Matcher): CompiledFacets | null {
  if (!compiledFacets.has(watchlist)) compiledFacets.set(watchlist, m.compileFacets(watchlist));
  return compiledFacets.get(watchlist) ?? null;
}

// Compiled when there is an item to match (a warm run with nothing new compiles nothing), once per watchlist value.
const compiledRules = new WeakMap<Watchlist, CompiledWatchlist>();

function rulesOf(watchlist: Watchlist, m: Matcher): CompiledWatchlist {
  let rules = compiledRules.get(watchlist);
  if (!rules) {
    rules = m.compileWatchlist(watchlist);
    compiledRules.set(watchlist, rules);
  }
  return rules;
}

/** What matching found in one item, short of the item's id and the time, added when saved. */
type FoundMatch = Omit<StoredMatch, 'itemId' | 'matchedAt'>;

/**
 * An item matches when a keyword or rule holds, or when its facets satisfy `require`;
 * an exclusion vetoes both. Facets found are recorded as matches under the facet's
 * name (their words joined by " … "), so highlights show them. Null: no match.
 */
function findMatches(fields: Required<MatchFields>, watchlist: Watchlist, m: Matcher): FoundMatch[] | null {
  const result = m.matchItem(fields, rulesOf(watchlist, m));
  if (result.excludedBy !== null) return null;
  const facets = facetsOf(watchlist, m);
  const facetResult = facets ? m.matchFacets(fields, facets) : null;
  if (!result.matched && !facetResult?.satisfied) return null;
  const found: FoundMatch[] = result.terms.map((t) => ({ term: t.term, count: t.count, variant: t.variant, field: t.field, offsets: t.offsets }));
  for (const f of facetResult?.facets ?? []) found.push({ term: f.facet, count: f.count, variant: f.words.join(' … '), field: f.field, offsets: f.offsets });
  return found;
}

/**
 * The matches of the items a run stores, found while their texts are in hand, so that
 * matching them does not read them back and inflate them again. Held in memory only: the
 * matches are saved with the matching cursor by matchStoredItems, as for any item, and an
 * item this process did not hand here (stored by a run that died before matching, or by
 * another process) is read back then.
 */
export class FreshMatches {
  private readonly watchlistsOf = new Map<string, Watchlist[]>();
  private readonly found = new Map<Watchlist, Map<string, FoundMatch[] | null>>();

  constructor(watchlists: readonly Watchlist[]) {
    for (const watchlist of watchlists) {
      this.found.set(watchlist, new Map());
      for (const url of new Set(feedUrlsOf(watchlist))) {
        const list = this.watchlistsOf.get(url);
        if (list) list.push(watchlist);
        else this.watchlistsOf.set(url, [watchlist]);
      }
    }
  }

  /**
   * `items`: the items just stored for the feed at `feedUrl` (saveFetch's answer). Those
   * `queued` for their article page are matched once it is read, with its text, and a text
   * the store would not give back as it is (see readsBackAsWritten) is read back instead.
   */
  async add(feedUrl: string, items: readonly Item[], queued: ReadonlySet<string>): Promise<void> {
    const watchlists = this.watchlistsOf.get(feedUrl);
    if (!watchlists || items.length === 0) return;
    // A matcher that cannot load leaves the items to matchStoredItems, whose failure ends the run there.
    const m = await loadMatcher().catch(() => null);
    if (!m) return;
    for (const item of items) {
      if (queued.has(item.id) || !readsBackAsWritten(item.title) || !readsBackAsWritten(item.summary) || !readsBackAsWritten(item.content)) continue;
      // The fields as the store gives them back: no article text yet.
      const fields = { title: oneByteWherePossible(item.title), summary: oneByteWherePossible(item.summary), content: oneByteWherePossible(item.content), body: '' };
      for (const watchlist of watchlists) {
        try {
          this.found.get(watchlist)!.set(item.id, findMatches(fields, watchlist, m));
        } catch {
          // Left to matchStoredItems, which reads the item back: a matcher's failure ends the run there, not this feed's refresh.
        }
      }
    }
  }

  /** The watchlist's matches of the items handed here, by item id (null: no match). */
  of(watchlist: Watchlist): ReadonlyMap<string, FoundMatch[] | null> {
    return this.found.get(watchlist) ?? new Map();
  }
}

/**
 * The text in V8's one-byte form when all its characters fit: a feed's texts are cut out of its
 * decoded document, which one character past U+00FF makes two-byte throughout, and the matcher
 * reads two-byte texts at a cost (a cold full-content digest: 0.5–1 s more on the main thread
 * than for the same texts read back from the store, which decodes them one-byte).
 */
function oneByteWherePossible(text: string): string {
  return BEYOND_LATIN1.test(text) ? text : Buffer.from(text, 'latin1').toString('latin1');
}

const BEYOND_LATIN1 = /[^\0-\xff]/;

const MATCH_PAGE = 2000;

/**
 * Matches every stored item of the watchlist's feeds that it has not yet seen: those
 * `fresh` matched as they were stored without reading them again, the others read.
 * One process at a time per watchlist (a lock in the store): whatever runs at once,
 * each item is matched once, and a rule change cannot interleave with an older matching.
 */
export function matchStoredItems(store: Store, watchlist: Watchlist, now: Date, fresh?: FreshMatches): Promise<number> {
  return store.exclusive(`match:${watchlist.name}`, (tx) => matchUnseenItems(tx, watchlist, now, fresh?.of(watchlist) ?? new Map()));
}

async function matchUnseenItems(store: Store, watchlist: Watchlist, now: Date, known: ReadonlyMap<string, FoundMatch[] | null>): Promise<number> {
  const feedUrls = feedUrlsOf(watchlist);
  let after = await store.beginMatching(watchlist.name, rulesHash(watchlist));
  let matchedItems = 0;
  const matchedAt = now.toISOString();
  for (;;) {
    const page = await store.listTextsAfter(feedUrls, after, MATCH_PAGE, known);
    if (page.length === 0) break;
    const found: StoredMatch[] = [];
    const m = await loadMatcher();
    for (const item of page) {
      const matches = item.fields === null ? known.get(item.id) : findMatches(item.fields, watchlist, m);
      if (!matches) continue;
      matchedItems++;
      for (const m of matches) found.push({ itemId: item.id, ...m, matchedAt });
    }
    after = page[page.length - 1]!.seq;
    await store.saveMatches(watchlist.name, after, found);
  }
  return matchedItems;
}
