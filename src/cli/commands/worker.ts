import { setTimeout as sleep } from 'node:timers/promises';
import { ensureWatchlistsDir, loadWatchlists } from '../../config/load-watchlists.js';
import { fetchOptionsOf, readSettings } from '../../config/settings.js';
import type { Watchlist } from '../../config/watchlist.js';
import { uniqueFeeds } from '../../pipeline.js';
import { sharedHostSlots } from '../../pipeline/lease-owner.js';
import { type WorkRound, workDueFeeds } from '../../pipeline/work-feeds.js';
import { openStore } from '../../store/open-store.js';
import { createContext, trapShutdown, type Context, type GlobalOptions } from '../context.js';
import { parseDurationFlag, parsePositiveInt } from '../options.js';
import { acquireRunLockFor, politeFetcherFor } from '../run-options.js';

export interface WorkerFlags {
  watchlist: string[];
  concurrency?: string;
  lease: string;
  interval: string;
  once?: boolean;
}

/** How long an idle worker sleeps at most between looks at the schedule (watchlist edits show up then). */
const MAX_IDLE_MS = 5_000;

export async function workerCommand(flags: WorkerFlags, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  const leaseMs = parseDurationFlag('--lease', flags.lease);
  const intervalMs = parseDurationFlag('--interval', flags.interval);
  const settings = readSettings(ctx.locations.configDir);
  const concurrency = flags.concurrency === undefined ? settings.concurrency : parsePositiveInt('--concurrency', flags.concurrency);
  await ensureWatchlistsDir(ctx.locations.watchlistsDir);
  let watchlists = await readWatchlists(ctx, flags.watchlist);
  const shutdown = trapShutdown();
  const store = await openStore(ctx.locations);
  const fetcher = politeFetcherFor(settings, sharedHostSlots(store));
  ctx.reporter.info(`worker: ${uniqueFeeds(watchlists).length} feeds of ${watchlists.map((w) => w.name).join(', ')}, ${concurrency} at a time${flags.once ? ', until none is due' : ''}`);
  let total = 0;
  try {
    while (!shutdown.aborted) {
      const lock = await acquireRunLockFor(ctx, { releaseOnSignal: false });
      let round: WorkRound;
      try {
        round = await workDueFeeds(store, uniqueFeeds(watchlists), {
          fetch: fetchOptionsOf(settings),
          concurrency,
          now: () => new Date(),
          reporter: ctx.reporter,
          queueFullText: true,
          minIntervalMs: intervalMs,
          leaseMs,
          signal: shutdown,
          scrape: { fetcher, concurrency: settings.scrapeConcurrency },
          retention: settings,
        });
      } finally {
        lock.release();
      }
      total += round.fetched.length;
      if (round.fetched.length > 0 || round.scraped > 0) {
        ctx.reporter.verbose(`round: ${round.fetched.length} feeds fetched, ${round.scraped} article pages read`);
      } else {
        // Nothing claimed. Feeds due but held by another worker come back when its lease runs out.
        if (flags.once && round.due === 0) break;
        const untilDue = round.nextDueAt === null ? MAX_IDLE_MS : Date.parse(round.nextDueAt) - Date.now();
        const wait = round.due > 0 ? Math.min(1_000, leaseMs) : Math.min(MAX_IDLE_MS, Math.max(100, untilDue));
        await sleep(wait, undefined, { signal: shutdown }).catch(() => {});
      }
      // Before every round, busy or idle: a worker that always has feeds due still sees edits.
      watchlists = await readWatchlists(ctx, flags.watchlist, watchlists);
    }
    ctx.reporter.info(`worker stopped: ${total} feed fetches`);
  } finally {
    await store.close();
  }
}

/**
 * The watchlists, read again between rounds so edits need no restart. A file broken
 * by an edit is reported and the worker goes on with what it had.
 */
async function readWatchlists(ctx: Context, names: readonly string[], previous?: Watchlist[]): Promise<Watchlist[]> {
  try {
    const loaded = await loadWatchlists(ctx.locations.watchlistsDir, names, { cacheFile: ctx.locations.watchlistCacheFile });
    if (!previous) for (const l of loaded) for (const w of l.warnings) ctx.reporter.warn(w);
    return loaded.map((l) => l.watchlist);
  } catch (error) {
    if (!previous) throw error;
    ctx.reporter.warn(`${(error as Error).message} (going on with the watchlists read before)`);
    return previous;
  }
}
