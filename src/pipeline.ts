/**
 * The one place that runs the stages in order:
 *   fetch → parse → store → match → digest
 * Each stage stays ignorant of the others; this file passes values between them.
 */
import type { FeedSource, Watchlist } from './config/watchlist.js';
import { buildDigest, type Digest, type DigestSort, type FeedReport } from './digest/digest.js';
import { mapWithConcurrency } from './fetch/concurrency.js';
import { fetchResource, FetchError, normalizeSourceLocation, type FetchOptions } from './fetch/http.js';
import { nextFetchTime } from './fetch/schedule.js';
import { parseFeed } from './feed/parse-feed.js';
import { sha256 } from './feed/item.js';
import { compileRules, matchItem } from './match/match-item.js';
import type { Store, StoredMatch } from './store/store.js';

/** Where stages report to; the CLI writes these to stderr. Stages themselves never print. */
export interface Reporter {
  /** Something the person should know, not a problem (silenced by --quiet). */
  info(message: string): void;
  warn(message: string): void;
  verbose(message: string): void;
  progress(done: number, total: number, failed: number): void;
}

export const SILENT_REPORTER: Reporter = { info() {}, warn() {}, verbose() {}, progress() {} };

export interface RefreshOptions {
  fetch: FetchOptions;
  concurrency: number;
  now: () => Date;
  reporter: Reporter;
  /** Skip feeds whose publisher asked for a later fetch (ttl, Cache-Control, Retry-After): watch mode. */
  onlyDue?: boolean;
}

/** The feeds of several watchlists, each URL once (the first label given wins). */
export function uniqueFeeds(watchlists: readonly Watchlist[]): FeedSource[] {
  const byUrl = new Map<string, FeedSource>();
  for (const w of watchlists) {
    for (const feed of w.feeds) {
      const url = normalizeSourceLocation(feed.url);
      const known = byUrl.get(url);
      if (!known) byUrl.set(url, { url, label: feed.label });
      else if (!known.label && feed.label) known.label = feed.label;
    }
  }
  return [...byUrl.values()];
}

/**
 * Fetches, parses and stores every feed; a failing feed is reported and recorded,
 * never fatal. Each feed is stored in its own transaction.
 */
export async function refreshFeeds(store: Store, allFeeds: readonly FeedSource[], options: RefreshOptions): Promise<FeedReport[]> {
  const feeds = options.onlyDue ? allFeeds.filter((f) => isDue(store, f.url, options.now())) : allFeeds;
  let done = 0;
  let failed = 0;
  options.reporter.progress(0, feeds.length, 0);
  return mapWithConcurrency(feeds, options.concurrency, async (feed) => {
    const report = await refreshFeed(store, feed, options);
    done++;
    if (report.status === 'error') {
      failed++;
      options.reporter.warn(`fetch: ${feed.label ? `${feed.label} (${feed.url})` : feed.url}: ${report.error}`);
    }
    options.reporter.progress(done, feeds.length, failed);
    return report;
  });
}

function isDue(store: Store, url: string, now: Date): boolean {
  const next = store.getFeedState(url)?.nextFetchAt;
  return !next || next <= now.toISOString();
}

async function refreshFeed(store: Store, feed: FeedSource, options: RefreshOptions): Promise<FeedReport> {
  const previous = store.getFeedState(feed.url);
  const base = { url: feed.url, label: feed.label };
  const fetchedAt = () => options.now().toISOString();
  options.reporter.verbose(`GET ${feed.url}${previous?.etag ? ` (If-None-Match ${previous.etag})` : ''}`);
  try {
    const result = await fetchResource(feed.url, { etag: previous?.etag, lastModified: previous?.lastModified }, options.fetch);
    options.reporter.verbose(`${result.status} ${feed.url}`);
    if (result.kind === 'not-modified') {
      const next = nextFetchTime({ now: options.now(), ttlMinutes: previous?.ttlMinutes, cacheControl: result.cacheControl });
      store.saveFetch(
        { ...base, status: 'not-modified', httpStatus: 304, error: null, etag: result.etag, lastModified: result.lastModified, nextFetchAt: next, fetchedAt: fetchedAt() },
        [],
      );
      return { ...base, status: 'not-modified', error: null, httpStatus: 304, newItems: 0 };
    }
    const parsed = await parseFeed(result.text, feed.url);
    const fresh = store.saveFetch(
      {
        ...base,
        title: parsed.title,
        status: 'ok',
        httpStatus: result.status,
        error: null,
        etag: result.etag,
        lastModified: result.lastModified,
        ttlMinutes: parsed.ttlMinutes,
        nextFetchAt: nextFetchTime({ now: options.now(), ttlMinutes: parsed.ttlMinutes, cacheControl: result.cacheControl }),
        fetchedAt: fetchedAt(),
      },
      parsed.items,
    );
    return { ...base, status: 'ok', error: null, httpStatus: result.status, newItems: fresh.length };
  } catch (error) {
    // The report and the feeds table carry the URL already: keep only the reason.
    const message = stripUrl(errorMessage(error), feed.url);
    const httpStatus = error instanceof FetchError ? error.status : null;
    const retryAfter = error instanceof FetchError ? error.retryAfter : null;
    // Recording the failure must not itself end the run; the store error surfaces on the next write.
    try {
      store.saveFetch({ ...base, status: 'error', httpStatus, error: message, nextFetchAt: nextFetchTime({ now: options.now(), retryAfter }), fetchedAt: fetchedAt() }, []);
    } catch (storeError) {
      options.reporter.warn(`store: could not record the failure of ${feed.url}: ${errorMessage(storeError)}`);
    }
    return { ...base, status: 'error', error: message, httpStatus, newItems: 0 };
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Fetch errors start with the URL; the warning names the feed already. */
function stripUrl(message: string, url: string): string {
  return message.startsWith(`${url}: `) ? message.slice(url.length + 2) : message;
}

/** Identifies a watchlist's rules, so editing them re-matches stored items. */
export function rulesHash(watchlist: Watchlist): string {
  return sha256(JSON.stringify({ keywords: watchlist.keywords, exclude: watchlist.exclude, v: 1 }));
}

const MATCH_PAGE = 2000;

/** Matches every stored item of the watchlist's feeds that it has not yet seen. */
export function matchStoredItems(store: Store, watchlist: Watchlist, now: Date): number {
  const rules = compileRules(watchlist.keywords, watchlist.exclude);
  const feedUrls = watchlist.feeds.map((f) => normalizeSourceLocation(f.url));
  let after = store.beginMatching(watchlist.name, rulesHash(watchlist));
  let matchedItems = 0;
  for (;;) {
    const page = store.listItemsAfter(feedUrls, after, MATCH_PAGE);
    if (page.length === 0) break;
    const found: StoredMatch[] = [];
    for (const item of page) {
      const result = matchItem({ title: item.title, summary: item.summary, content: item.content }, rules);
      if (!result.matched) continue;
      matchedItems++;
      for (const t of result.terms) found.push({ itemId: item.id, term: t.term, count: t.count, variant: t.variant, field: t.field, offsets: t.offsets, matchedAt: now.toISOString() });
    }
    after = page[page.length - 1]!.seq;
    store.saveMatches(watchlist.name, after, found);
  }
  return matchedItems;
}

export interface DigestRunOptions extends RefreshOptions {
  fetchFeeds: boolean;
  /** ISO date: show everything matched since then instead of what is new. */
  since: string | null;
  sort?: DigestSort;
  minScore?: number;
}

export interface DigestRun {
  digest: Digest;
  /**
   * Call once the digest has been written out: only then are its stories marked
   * as shown. A `since` digest is a look back and leaves the cursor alone.
   */
  markDelivered(): void;
}

/** The main job: refresh, match, and build the digest of the given watchlists. */
export async function runDigest(store: Store, watchlists: readonly Watchlist[], options: DigestRunOptions): Promise<DigestRun> {
  const feeds = options.fetchFeeds ? await refreshFeeds(store, uniqueFeeds(watchlists), options) : [];
  const now = options.now();
  const lists = watchlists.map((w) => {
    matchStoredItems(store, w, now);
    const matched = store.listMatchedItems(w.name, {
      undeliveredOnly: options.since === null,
      ...(options.since ? { since: options.since } : {}),
      feedUrls: w.feeds.map((f) => normalizeSourceLocation(f.url)),
    });
    return { name: w.name, matched };
  });
  const digest = buildDigest({
    now,
    mode: options.since ? 'since' : 'new',
    since: options.since,
    watchlists: lists,
    feeds,
    ...(options.sort ? { sort: options.sort } : {}),
    ...(options.minScore !== undefined ? { minScore: options.minScore } : {}),
  });
  return {
    digest,
    markDelivered() {
      if (options.since) return;
      const at = options.now().toISOString();
      for (const list of lists) store.markDelivered(list.name, list.matched.map((m) => m.item.id), at);
    },
  };
}
