import { setTimeout as sleep } from 'node:timers/promises';
import { ensureWatchlistsDir, loadWatchlists } from '../../config/load-watchlists.js';
import { readSettings } from '../../config/settings.js';
import { renderDigest } from '../../digest/render.js';
import { renderNdjsonStories } from '../../digest/render-ndjson.js';
import { runDigest } from '../../pipeline.js';
import { openStore } from '../../store/open-store.js';
import { createContext, trapShutdown, writeStdout, type GlobalOptions } from '../context.js';
import { checkDeliveryFlags, parseDurationFlag } from '../options.js';
import { acquireRunLockFor, pipelineOptions } from '../run-options.js';
import { pruneAfterRun } from './archive.js';

export interface WatchFlags {
  watchlist: string[];
  interval: string;
  format: 'text' | 'ndjson';
  deliver?: boolean;
  /** false with --no-print. */
  print: boolean;
}

export async function watchCommand(flags: WatchFlags, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  const intervalMs = parseDurationFlag('--interval', flags.interval);
  checkDeliveryFlags({ deliver: Boolean(flags.deliver), print: flags.print });
  await ensureWatchlistsDir(ctx.locations.watchlistsDir);
  const loaded = await loadWatchlists(ctx.locations.watchlistsDir, flags.watchlist, { cacheFile: ctx.locations.watchlistCacheFile });
  for (const l of loaded) for (const w of l.warnings) ctx.reporter.warn(w);
  const watchlists = loaded.map((l) => l.watchlist);
  const settings = readSettings(ctx.locations.configDir);
  const shutdown = trapShutdown();
  const store = await openStore(ctx.locations);
  // One fetcher for the whole watch: robots.txt and per-host pacing carry over between rounds.
  const options = pipelineOptions(ctx, settings);
  // A destination that fails in one round is owed its stories in the next: the watch goes on.
  const destinations = flags.deliver ? (await import('../delivery-options.js')).destinationsFor(watchlists, settings, (m) => ctx.reporter.warn(m)) : undefined;
  ctx.reporter.info(`watching ${watchlists.map((w) => w.name).join(', ')} every ${flags.interval}; Ctrl-C to stop`);
  try {
    while (!shutdown.aborted) {
      // The lock is held per round, so a cron digest can run between two rounds.
      const lock = await acquireRunLockFor(ctx, { releaseOnSignal: false });
      try {
        const run = await runDigest(store, watchlists, { ...options, fetchFeeds: true, onlyDue: true, since: null, printed: flags.print, ...(destinations ? { destinations } : {}) });
        const { digest } = run;
        if (flags.print && digest.stories.length > 0) {
          const out = flags.format === 'ndjson' ? renderNdjsonStories(digest) : renderDigest(digest, 'text', { color: ctx.color });
          await writeStdout(out);
          await run.markDelivered();
        }
        ctx.reporter.verbose(`round done: ${digest.counts.feedsChecked} feeds fetched, ${digest.counts.stories} new stories`);
        await pruneAfterRun(ctx, store, settings, new Date());
      } finally {
        lock.release();
      }
      await sleep(intervalMs, undefined, { signal: shutdown }).catch(() => {});
    }
    ctx.reporter.info('watch stopped');
  } finally {
    await store.close();
  }
}
