import { fetchOptionsOf, type Settings } from '../config/settings.js';
import { createPoliteFetcher, type HostSlots, type PoliteFetcher } from '../fetch/polite-fetcher.js';
import type { DigestRunOptions } from '../pipeline.js';
import { acquireRunLock, lockWaitMs, type RunLock } from '../store/run-lock.js';
import type { Context } from './context.js';

/** The article-page fetcher the user's settings ask for (robots.txt, per-host pacing, shared by workers through `hostSlots`). */
export function politeFetcherFor(settings: Settings, hostSlots?: HostSlots): PoliteFetcher {
  return createPoliteFetcher({
    fetch: fetchOptionsOf(settings),
    perHostConcurrency: settings.scrapePerHost,
    perHostDelayMs: settings.scrapeDelayMs,
    respectRobots: settings.respectRobots,
    ...(hostSlots ? { hostSlots } : {}),
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

/**
 * One run at a time per data dir on SQLite (docs/security.md): a second one waits, then gives up
 * with a clear message. PostgreSQL needs no lock file: runs share it safely (docs/team.md).
 */
export async function acquireRunLockFor(ctx: Context, options: { releaseOnSignal?: boolean } = {}): Promise<Pick<RunLock, 'release'>> {
  if (ctx.locations.databaseUrl !== null) return { release() {} };
  return acquireRunLock(ctx.locations.dataDir, { waitMs: lockWaitMs(), onWait: (m) => ctx.reporter.info(m), ...options });
}
