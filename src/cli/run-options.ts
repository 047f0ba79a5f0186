import { fetchOptionsOf, type Settings } from '../config/settings.js';
import { createPoliteFetcher } from '../fetch/polite-fetcher.js';
import type { DigestRunOptions } from '../pipeline.js';
import type { Context } from './context.js';

/** The pipeline options every fetching command shares, from the user's settings. */
export function pipelineOptions(ctx: Context, settings: Settings): Omit<DigestRunOptions, 'fetchFeeds' | 'since'> {
  const fetch = fetchOptionsOf(settings);
  return {
    fetch,
    concurrency: settings.concurrency,
    now: () => new Date(),
    reporter: ctx.reporter,
    scrape: {
      concurrency: settings.scrapeConcurrency,
      fetcher: createPoliteFetcher({
        fetch,
        perHostConcurrency: settings.scrapePerHost,
        perHostDelayMs: settings.scrapeDelayMs,
        respectRobots: settings.respectRobots,
      }),
    },
  };
}
