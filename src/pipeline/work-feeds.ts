import type { FeedReport } from '../digest/digest.js';
import type { PoliteFetcher } from '../fetch/polite-fetcher.js';
import { TaskThread } from '../io/task-thread.js';
import type { Store } from '../store/store.js';
import { LEASE_OWNER, leaseFrom } from './lease-owner.js';
import { pruneAtRunEnd, type RetentionPolicy } from './prune-archive.js';
import { refreshFeed, type RefreshOptions, type ResolvedFeed } from './refresh-feeds.js';
import { scrapePendingArticles } from './scrape-articles.js';

export interface WorkOptions extends RefreshOptions {
  /** How long a claimed feed stays this process's: past it (the process died) another takes it. */
  leaseMs: number;
  /** Once aborted, no new feed or page is claimed; the ones in hand are finished and given back. */
  signal: AbortSignal;
  scrape?: { fetcher: PoliteFetcher; concurrency: number };
  /** Prune what this policy no longer keeps at the end of a round that stored something (docs/retention.md). */
  retention?: RetentionPolicy;
}

export interface WorkRound {
  fetched: FeedReport[];
  scraped: number;
  /** Feeds due now that this round did not fetch (another process holds them), and when the next one is due. */
  due: number;
  nextDueAt: string | null;
}

/**
 * One round of a worker: each of `concurrency` lanes claims a feed due when the round
 * started (a lease in the
 * store, so workers on any number of machines never fetch the same feed at once),
 * fetches, parses and stores it, gives it back, and claims the next; then the article
 * pages queued are read, claimed the same way. Nothing is matched here: digests do that.
 */
export async function workDueFeeds(store: Store, feeds: readonly ResolvedFeed[], options: WorkOptions): Promise<WorkRound> {
  const byUrl = new Map(feeds.map((feed) => [feed.url, feed]));
  const urls = [...byUrl.keys()];
  await store.registerFeeds(feeds.map((feed) => ({ url: feed.url, label: feed.label })));
  const fetched: FeedReport[] = [];
  // A round takes the feeds due when it starts: when fetching them all takes longer than a feed's
  // interval, the round still ends, and the worker reads its watchlists again before the next.
  const startedAt = options.now().toISOString();
  const lane = async () => {
    while (!options.signal.aborted) {
      const [url] = await store.claimDueFeeds(urls, 1, { ...leaseFrom(options.now(), options.leaseMs), now: startedAt });
      if (url === undefined) return;
      try {
        const report = await refreshFeed(store, byUrl.get(url)!, options);
        if (report.status === 'error') options.reporter.warn(`fetch: ${report.label ? `${report.label} (${url})` : url}: ${report.error}`);
        else options.reporter.verbose(`${url}: ${report.newItems} new item${report.newItems === 1 ? '' : 's'}`);
        fetched.push(report);
      } finally {
        await store.releaseFeeds(LEASE_OWNER, [url]);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));
  // Between rounds the parser's and packer's threads give their memory back.
  await TaskThread.stopIdle();
  const scraped =
    options.scrape && !options.signal.aborted
      ? await scrapePendingArticles(store, options.scrape.fetcher, { concurrency: options.scrape.concurrency, reporter: options.reporter, signal: options.signal })
      : { done: 0, failed: 0 };
  if (options.retention && fetched.length > 0 && !options.signal.aborted) await pruneAtRunEnd(store, options.retention, options.now(), options.reporter);
  const schedule = await store.feedSchedule(urls, options.now().toISOString());
  return { fetched, scraped: scraped.done + scraped.failed, due: schedule.due, nextDueAt: schedule.nextDueAt };
}
