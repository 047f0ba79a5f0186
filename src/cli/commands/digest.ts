import { ensureWatchlistsDir, loadWatchlists } from '../../config/load-watchlists.js';
import { readSettings, type Settings } from '../../config/settings.js';
import type { Watchlist } from '../../config/watchlist.js';
import { renderJson } from '../../digest/render-json.js';
import { renderText } from '../../digest/render-text.js';
import { runDigest } from '../../pipeline.js';
import { openSqliteStore } from '../../store/sqlite-store.js';
import { createContext, writeStdout, type Context, type GlobalOptions } from '../context.js';
import { parseSince } from '../options.js';

export interface DigestFlags {
  watchlist: string[];
  since?: string;
  format: 'text' | 'json';
  fetch: boolean;
}

export async function digestCommand(flags: DigestFlags, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  const since = flags.since ? parseSince(flags.since, new Date()) : null;
  await ensureWatchlistsDir(ctx.locations.watchlistsDir);
  const loaded = await loadWatchlists(ctx.locations.watchlistsDir, flags.watchlist);
  for (const l of loaded) for (const w of l.warnings) ctx.reporter.warn(w);
  await printDigest(ctx, loaded.map((l) => l.watchlist), readSettings(ctx.locations.configDir), { since, format: flags.format, fetch: flags.fetch });
}

/** Runs the pipeline against the context's database and writes the digest to stdout. */
export async function printDigest(
  ctx: Context,
  watchlists: Watchlist[],
  settings: Settings,
  run: { since: string | null; format: 'text' | 'json'; fetch: boolean },
): Promise<void> {
  const store = openSqliteStore(ctx.locations.databaseFile);
  try {
    const result = await runDigest(store, watchlists, {
      fetchFeeds: run.fetch,
      since: run.since,
      concurrency: settings.concurrency,
      fetch: { timeoutMs: settings.fetchTimeoutMs, maxBytes: settings.maxResponseBytes, maxRedirects: settings.maxRedirects, userAgent: settings.userAgent },
      now: () => new Date(),
      reporter: ctx.reporter,
    });
    await writeStdout(run.format === 'json' ? renderJson(result.digest) : renderText(result.digest, { color: ctx.color }));
    result.markDelivered();
  } finally {
    store.close();
  }
}
