import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureWatchlistsDir, loadWatchlists } from '../../config/load-watchlists.js';
import { readSettings, type Settings } from '../../config/settings.js';
import type { Watchlist } from '../../config/watchlist.js';
import type { Digest, DigestSort } from '../../digest/digest.js';
import { FORMAT_EXTENSION, type DigestFormat } from '../../digest/formats.js';
import { renderDigest } from '../../digest/render.js';
import { savedDigestDir, savedDigestName } from '../../digest/saved-digests.js';
import { writeFileAtomic } from '../../io/write-file-atomic.js';
import { runDigest } from '../../pipeline.js';
import { openStore } from '../../store/open-store.js';
import { createContext, writeStdout, type Context, type GlobalOptions } from '../context.js';
import { DeliveryError, RunError, UsageError } from '../../errors.js';
import { checkDeliveryFlags, parseSince } from '../options.js';
import { acquireRunLockFor, pipelineOptions } from '../run-options.js';
import { pruneAfterRun } from './archive.js';

export interface DigestFlags {
  watchlist: string[];
  since?: string;
  format: DigestFormat;
  fetch: boolean;
  output?: string;
  save?: boolean;
  sort?: DigestSort;
  minScore?: string;
  deliver?: boolean;
  /** false with --no-print. */
  print: boolean;
}

export async function digestCommand(flags: DigestFlags, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  const since = flags.since ? parseSince(flags.since, new Date()) : null;
  const minScore = flags.minScore === undefined ? undefined : parseScore(flags.minScore);
  checkDeliveryFlags({ deliver: Boolean(flags.deliver), print: flags.print, since: flags.since, output: flags.output, save: flags.save });
  await ensureWatchlistsDir(ctx.locations.watchlistsDir);
  const loaded = await loadWatchlists(ctx.locations.watchlistsDir, flags.watchlist, { cacheFile: ctx.locations.watchlistCacheFile });
  for (const l of loaded) for (const w of l.warnings) ctx.reporter.warn(w);
  await printDigest(
    ctx,
    loaded.map((l) => l.watchlist),
    readSettings(ctx.locations.configDir),
    { since, format: flags.format, fetch: flags.fetch, ...(flags.sort ? { sort: flags.sort } : {}), ...(minScore !== undefined ? { minScore } : {}), deliver: Boolean(flags.deliver), print: flags.print },
    { ...(flags.output ? { file: flags.output } : {}), save: Boolean(flags.save) },
  );
}

export interface DigestRequest {
  since: string | null;
  format: DigestFormat;
  fetch: boolean;
  sort?: DigestSort;
  minScore?: number;
  /** Also deliver each watchlist's new stories to its destinations. */
  deliver?: boolean;
  /** false: nothing on stdout, and the "shown" mark stays (with deliver). */
  print?: boolean;
}

export interface DigestDestination {
  /** Write here (atomically) instead of stdout. */
  file?: string;
  /** Also keep a copy per watchlist under the data dir's digests/. */
  save: boolean;
}

/**
 * Runs the pipeline against the context's database and writes the digest out.
 * Stories are marked as shown only after every write succeeded. With deliver,
 * a destination that failed makes the run end in a DeliveryError (exit 3) once
 * everything else is done.
 */
export async function printDigest(ctx: Context, watchlists: Watchlist[], settings: Settings, request: DigestRequest, destination: DigestDestination = { save: false }): Promise<void> {
  const lock = await acquireRunLockFor(ctx);
  const store = await openStore(ctx.locations).catch((error: unknown) => {
    lock.release();
    throw error;
  });
  try {
    const printed = request.print !== false;
    const result = await runDigest(store, watchlists, {
      ...pipelineOptions(ctx, settings),
      fetchFeeds: request.fetch,
      since: request.since,
      ...(request.sort ? { sort: request.sort } : {}),
      ...(request.minScore !== undefined ? { minScore: request.minScore } : {}),
      ...(request.deliver ? { destinations: (await import('../delivery-options.js')).destinationsFor(watchlists, settings, (m) => ctx.reporter.warn(m)) } : {}),
      printed,
    });
    if (printed) {
      const useColor = ctx.color && !destination.file;
      const rendered = renderDigest(result.digest, request.format, { color: useColor });
      if (destination.file) {
        await writeOrFail(destination.file, rendered);
        ctx.reporter.info(`digest written to ${destination.file}`);
      } else {
        await writeStdout(rendered);
      }
      if (destination.save) await saveDigestCopies(ctx, result.digest, request.format);
      await result.markDelivered();
    }
    await pruneAfterRun(ctx, store, settings, new Date());
    failOnDeliveries(result.digest);
  } finally {
    await store.close();
    lock.release();
  }
}

/** After everything else is done: a destination that failed (already reported on stderr) fails the run with exit code 3. */
function failOnDeliveries(digest: Digest): void {
  const deliveries = digest.deliveries ?? [];
  const failed = deliveries.filter((d) => d.status === 'failed');
  if (failed.length === 0) return;
  throw new DeliveryError(`${failed.length} of ${deliveries.length} deliveries failed (see above); the next run sends them what they missed`);
}

/** One file per watchlist: digests/<watchlist>/<YYYY-MM-DD>[-N].<ext>. */
async function saveDigestCopies(ctx: Context, digest: Digest, format: DigestFormat): Promise<void> {
  const ext = FORMAT_EXTENSION[format];
  for (const watchlist of digest.watchlists) {
    const dir = savedDigestDir(ctx.locations.digestsDir, watchlist);
    const taken = new Set(await readdir(dir).catch(() => [] as string[]));
    const path = join(dir, savedDigestName(new Date(digest.generatedAt), ext, taken));
    const stories = digest.stories.filter((s) => s.watchlist === watchlist);
    const own: Digest = { ...digest, watchlists: [watchlist], stories, counts: { ...digest.counts, stories: stories.length } };
    await writeOrFail(path, renderDigest(own, format));
    ctx.reporter.info(`saved ${path}`);
  }
}

async function writeOrFail(path: string, content: string): Promise<void> {
  try {
    await writeFileAtomic(path, content);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOSPC' ? 'disk full' : code === 'EACCES' || code === 'EROFS' || code === 'EPERM' ? 'not writable' : (error as Error).message;
    throw new RunError(`output: cannot write ${path}: ${reason}`);
  }
}

function parseScore(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--min-score: expected a number from 0 to 1, got "${value}"`);
  return n;
}
