import { trustHostsOf } from '../fetch/address-policy.js';
import { mapWithConcurrency } from '../fetch/concurrency.js';
import { PrivateAddressError } from '../fetch/http.js';
import type { PoliteFetcher } from '../fetch/polite-fetcher.js';
import type { Store } from '../store/store.js';
import { leaseFrom } from './lease-owner.js';
import type { Reporter } from './reporter.js';

/**
 * How long claimed items stay ours: past it (the process died) another process reads them.
 * Short, since a killed run's items wait that long, and matching waits for them.
 */
const SCRAPE_LEASE_MS = 2 * 60_000;

/**
 * Reads the article page of every item queued for full text (by this run or an
 * interrupted one) that no other process has claimed. Each outcome is stored at once, so a crash loses at most the
 * pages in flight; a page that fails is recorded with its reason and never retried.
 * A link may reach a private address only on its own feed's host (or as allowPrivateHosts
 * says); a refused page is recorded like any failed one, with one warning per feed.
 */
export async function scrapePendingArticles(store: Store, fetcher: PoliteFetcher, options: { concurrency: number; reporter: Reporter; signal?: AbortSignal }): Promise<{ done: number; failed: number }> {
  let done = 0;
  let failed = 0;
  const failuresByFeed = new Map<string, { count: number; first: string }>();
  const refusalsByFeed = new Map<string, { count: number; first: string }>();
  // The extractor (cheerio) is loaded only when there is a page to read.
  let scrapeArticle: typeof import('../scrape/scrape-article.js').scrapeArticle | null = null;
  // A few pages at a time: what is in hand when a worker is told to stop is soon finished.
  const page = Math.max(1, options.concurrency) * 2;
  // While a page comes full, more may follow, so the total stays open.
  let total = 0;
  let open = false;
  const report = () => options.reporter.progress({ phase: 'reading articles', done: done + failed, total, open, failed });
  while (!options.signal?.aborted) {
    const pending = await store.claimPendingArticles(page, leaseFrom(new Date(), SCRAPE_LEASE_MS));
    if (pending.length === 0) break;
    total += pending.length;
    open = pending.length === page;
    report();
    scrapeArticle ??= (await import('../scrape/scrape-article.js')).scrapeArticle;
    const scrape = scrapeArticle;
    await mapWithConcurrency(pending, options.concurrency, async (item) => {
      if (!item.link) {
        await store.saveArticle(item.id, { status: 'error', error: 'the item has no link' });
        failed++;
        report();
        return;
      }
      options.reporter.verbose(`GET ${item.link} (article)`);
      try {
        const article = await scrape(item.link, fetcher, trustHostsOf(item.feedUrl));
        const { text, ...meta } = article;
        await store.saveArticle(item.id, { status: 'done', body: text, article: meta, canonicalUrl: article.canonicalUrl });
        done++;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await store.saveArticle(item.id, { status: 'error', error: message });
        failed++;
        const tally = error instanceof PrivateAddressError ? refusalsByFeed : failuresByFeed;
        const seen = tally.get(item.feedUrl);
        if (seen) seen.count++;
        else tally.set(item.feedUrl, { count: 1, first: message });
        options.reporter.verbose(`article failed: ${message}`);
      }
      report();
    });
  }
  if (open) {
    open = false;
    report();
  }
  // One line per feed, not per page: a site that blocks scrapers would otherwise flood stderr.
  for (const [feed, r] of refusalsByFeed) {
    const more = r.count > 1 ? `; ${r.count - 1} more link${r.count > 2 ? 's' : ''} of ${feed} refused too` : '';
    options.reporter.warn(`scrape: ${r.first}${more}`);
  }
  for (const [feed, f] of failuresByFeed) {
    options.reporter.warn(`scrape: ${f.count} article page${f.count > 1 ? 's' : ''} of ${feed} could not be read (first: ${f.first}); matching uses the feed text for ${f.count > 1 ? 'them' : 'it'}`);
  }
  return { done, failed };
}
