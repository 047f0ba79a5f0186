import type { FeedSource, FullTextMode, HtmlSelectors, Watchlist } from '../config/watchlist.js';
import type { FeedReport } from '../digest/digest.js';
import { mapWithConcurrency } from '../fetch/concurrency.js';
import { trustHostsOf } from '../fetch/address-policy.js';
import { fetchResource, FetchError, normalizeSourceLocation, type FetchOptions } from '../fetch/http.js';
import { nextFetchTime } from '../fetch/schedule.js';
import type { Item } from '../feed/item.js';
import { TaskThread } from '../io/task-thread.js';
import { isStoreFailure, type Store } from '../store/store.js';
import { parseFeedOffThread } from './feed-parser-thread.js';
import type { Reporter } from './reporter.js';

export interface RefreshOptions {
  fetch: FetchOptions;
  concurrency: number;
  now: () => Date;
  reporter: Reporter;
  /** Skip feeds whose publisher asked for a later fetch (ttl, Cache-Control, Retry-After): watch mode. */
  onlyDue?: boolean;
  /** Queue short items for article scraping (default true); false when no scraper will run. */
  queueFullText?: boolean;
  /** When the publisher says nothing (or asks for sooner), fetch again after this long: workers. */
  minIntervalMs?: number;
  /** Told of each feed's new items once they are stored (`queued`: the ids queued for their article page). */
  onStored?: (feedUrl: string, items: readonly Item[], queued: ReadonlySet<string>) => void | Promise<void>;
}

/** A feed as fetched: its URL normalised and its full-text rule resolved from feed, watchlist and defaults. */
export type ResolvedFeed = FeedSource & { fullText: FullTextMode; fullTextMinChars: number };

/** Items whose feed text is shorter than this are scraped in `auto` mode (docs/watchlists.md). */
export const DEFAULT_FULL_TEXT_MIN_CHARS = 300;
const STRENGTH: Record<FullTextMode, number> = { never: 0, auto: 1, always: 2 };

/** The feed URLs a watchlist's items are stored under (paths become file: URLs). */
export function feedUrlsOf(watchlist: Watchlist): string[] {
  return watchlist.feeds.map((f) => normalizeSourceLocation(f.url));
}

/**
 * The feeds of several watchlists, each URL once. When two watchlists list the
 * same feed, the first label wins and the more demanding full-text rule wins.
 */
export function uniqueFeeds(watchlists: readonly Watchlist[]): ResolvedFeed[] {
  const byUrl = new Map<string, ResolvedFeed>();
  for (const w of watchlists) {
    for (const feed of w.feeds) {
      const url = normalizeSourceLocation(feed.url);
      const fullText = feed.fullText ?? w.fullText ?? 'auto';
      const fullTextMinChars = feed.fullTextMinChars ?? w.fullTextMinChars ?? DEFAULT_FULL_TEXT_MIN_CHARS;
      const known = byUrl.get(url);
      if (!known) {
        byUrl.set(url, { ...feed, url, fullText, fullTextMinChars });
        continue;
      }
      if (!known.label && feed.label) known.label = feed.label;
      if (STRENGTH[fullText] > STRENGTH[known.fullText]) known.fullText = fullText;
      known.fullTextMinChars = Math.max(known.fullTextMinChars, fullTextMinChars);
    }
  }
  return [...byUrl.values()];
}

/** Whether an item's article page should be read: the feed's rule (default auto) and the length of what the feed gave. */
export function wantsFullText(item: Item, feed: FeedSource): boolean {
  const mode = feed.fullText ?? 'auto';
  if (!item.link || mode === 'never') return false;
  if (mode === 'always' || feed.type === 'html') return true;
  return item.summary.length + item.content.length < (feed.fullTextMinChars ?? DEFAULT_FULL_TEXT_MIN_CHARS);
}

/**
 * Fetches, parses and stores every feed; a failing feed is reported and recorded,
 * never fatal. Each feed is stored in its own transaction.
 */
export async function refreshFeeds(store: Store, allFeeds: readonly FeedSource[], options: RefreshOptions): Promise<FeedReport[]> {
  const feeds = options.onlyDue ? await dueFeeds(store, allFeeds, options.now()) : allFeeds;
  let done = 0;
  let failed = 0;
  options.reporter.progress({ phase: 'fetching', done: 0, total: feeds.length });
  const reports = await mapWithConcurrency(feeds, options.concurrency, async (feed) => {
    const report = await refreshFeed(store, feed, options);
    done++;
    if (report.status === 'error') {
      failed++;
      options.reporter.warn(`fetch: ${feed.label ? `${feed.label} (${feed.url})` : feed.url}: ${report.error}`);
    }
    options.reporter.progress({ phase: 'fetching', done, total: feeds.length, failed });
    return report;
  });
  await TaskThread.stopIdle();
  return reports;
}

async function dueFeeds(store: Store, feeds: readonly FeedSource[], now: Date): Promise<FeedSource[]> {
  const due: FeedSource[] = [];
  for (const feed of feeds) {
    const next = (await store.getFeedState(feed.url))?.nextFetchAt;
    if (!next || next <= now.toISOString()) due.push(feed);
  }
  return due;
}

/** Fetches, parses and stores one feed; a failure is recorded and reported, never thrown (the store's own failures are). */
export async function refreshFeed(store: Store, feed: FeedSource, options: RefreshOptions): Promise<FeedReport> {
  const previous = await store.getFeedState(feed.url);
  const base = { url: feed.url, label: feed.label };
  const fetchedAt = () => options.now().toISOString();
  options.reporter.verbose(`GET ${feed.url}${previous?.etag ? ` (If-None-Match ${previous.etag})` : ''}`);
  try {
    // The feed's own address is the user's choice; its redirects to other hosts are held to public addresses.
    const result = await fetchResource(feed.url, { etag: previous?.etag, lastModified: previous?.lastModified }, options.fetch, trustHostsOf(feed.url));
    options.reporter.verbose(`${result.status} ${feed.url}`);
    if (result.kind === 'not-modified') {
      const next = nextFetch(options, { ttlMinutes: previous?.ttlMinutes, cacheControl: result.cacheControl });
      await store.saveFetch({ ...base, status: 'not-modified', httpStatus: 304, error: null, etag: result.etag, lastModified: result.lastModified, nextFetchAt: next, fetchedAt: fetchedAt() }, []);
      return { ...base, status: 'not-modified', error: null, httpStatus: 304, newItems: 0 };
    }
    const parsed = feed.type === 'html' && feed.selectors ? await readListPage(result.text, result.url, feed.url, feed.selectors) : await parseFeedOffThread(result.text, feed.url);
    const fullText = new Set(options.queueFullText === false ? [] : parsed.items.filter((item) => wantsFullText(item, feed)).map((item) => item.id));
    const fresh = await store.saveFetch(
      {
        ...base,
        title: parsed.title,
        status: 'ok',
        httpStatus: result.status,
        error: null,
        etag: result.etag,
        lastModified: result.lastModified,
        ttlMinutes: parsed.ttlMinutes,
        nextFetchAt: nextFetch(options, { ttlMinutes: parsed.ttlMinutes, cacheControl: result.cacheControl }),
        fetchedAt: fetchedAt(),
      },
      parsed.items,
      fullText,
    );
    await options.onStored?.(feed.url, fresh, fullText);
    return { ...base, status: 'ok', error: null, httpStatus: result.status, newItems: fresh.length };
  } catch (error) {
    // A database that cannot be written (disk full, read-only) is not the feed's fault: it ends the run.
    if (isStoreFailure(error)) throw error;
    // The report and the feeds table carry the URL already: keep only the reason.
    const message = stripUrl(errorMessage(error), feed.url);
    const httpStatus = error instanceof FetchError ? error.status : null;
    const retryAfter = error instanceof FetchError ? error.retryAfter : null;
    // Recording the failure must not itself end the run; the store error surfaces on the next write.
    try {
      await store.saveFetch({ ...base, status: 'error', httpStatus, error: message, nextFetchAt: nextFetch(options, { retryAfter }), fetchedAt: fetchedAt() }, []);
    } catch (storeError) {
      options.reporter.warn(`store: could not record the failure of ${feed.url}: ${errorMessage(storeError)}`);
    }
    return { ...base, status: 'error', error: message, httpStatus, newItems: 0 };
  }
}

/** What the publisher asked for, and no sooner than the worker's interval. */
function nextFetch(options: RefreshOptions, said: { ttlMinutes?: number | null; cacheControl?: string | null; retryAfter?: string | null }): string | null {
  const now = options.now();
  const asked = nextFetchTime({ now, ...said });
  if (!options.minIntervalMs) return asked;
  const floor = new Date(now.getTime() + options.minIntervalMs).toISOString();
  return asked !== null && asked > floor ? asked : floor;
}

/** A list page read with its selectors; cheerio is loaded only for watchlists that have such pages. */
async function readListPage(html: string, pageUrl: string, sourceUrl: string, selectors: HtmlSelectors) {
  const { listHtmlSource, toItems } = await import('../scrape/list-html-source.js');
  return { title: null, ttlMinutes: null, items: toItems(listHtmlSource(html, pageUrl, selectors), sourceUrl) };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Fetch errors start with the URL; the warning names the feed already. */
function stripUrl(message: string, url: string): string {
  return message.startsWith(`${url}: `) ? message.slice(url.length + 2) : message;
}
