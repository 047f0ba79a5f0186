import { fetchOptionsOf, type Settings } from '../config/settings.js';
import { createPoliteFetcher, type PoliteFetcher } from '../fetch/polite-fetcher.js';
import type { DigestRunOptions } from '../pipeline.js';
import type { Context } from './context.js';

/** The article-page fetcher the user's settings ask for (robots.txt, per-host pacing). */
export function politeFetcherFor(settings: Settings): PoliteFetcher {
  return createPoliteFetcher({
    fetch: fetchOptionsOf(settings),
    perHostConcurrency: settings.scrapePerHost,
    perHostDelayMs: settings.scrapeDelayMs,
    respectRobots: settings.respectRobots,
  });
}

/** The pipeline options every fetching command shares, from the user's settings. */
export function pipelineOptions(ctx: Context, settings: Settings): Omit<DigestRunOptions, 'fetchFeeds' | 'since'> {
  return {
    fetch: fetchOptionsOf(settings),
    concurrency: settings.concurrency,
    now: () => new Date(),
    reporter: ctx.reporter,
    scrape: { concurrency: settings.scrapeConcurrency, fetcher: politeFetcherFor(settings) },
  };
}
