import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readSettings, type Settings } from '../../config/settings.js';
import { toJsonText } from '../../digest/render-json.js';
import { toTerminalLine } from '../../digest/safe-text.js';
import { parseSavedDigestName } from '../../digest/saved-digests.js';
import { UsageError } from '../../errors.js';
import { pruneArchive, pruneAtRunEnd, pruneCutoffs, type PruneReport } from '../../pipeline/prune-archive.js';
import { describeDatabaseUrl } from '../../store/database-url.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { createContext, writeStdout, type Context, type GlobalOptions } from '../context.js';
import { parseDurationMs } from '../options.js';
import { acquireRunLockFor } from '../run-options.js';

const DAY_MS = 86_400_000;

interface SavedDigestsPruned {
  files: number;
  bytes: number;
}

/** The pruning a digest or watch round does at its end (the digest is out already), with saved digests. */
export async function pruneAfterRun(ctx: Context, store: Store, settings: Settings, now: Date): Promise<void> {
  const report = await pruneAtRunEnd(store, settings, now, ctx.reporter);
  if (report === null) return;
  try {
    const digests = await pruneSavedDigests(ctx.locations.digestsDir, settings.keepDigestsDays, now, false);
    if (report.items > 0 || digests.files > 0 || !report.complete) ctx.reporter.verbose(`archive: ${describePrune(report, digests).join('; ')}`);
  } catch (error) {
    ctx.reporter.warn(`archive: pruning saved digests failed, the next run tries again: ${(error as Error).message}`);
  }
}

export async function archivePruneCommand(flags: { olderThan?: string; dryRun?: boolean; json?: boolean }, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  const settings = readSettings(ctx.locations.configDir);
  const now = new Date();
  let cutoffs = pruneCutoffs(settings, now);
  if (flags.olderThan !== undefined) {
    const ms = parseDurationMs(flags.olderThan);
    if (ms === null || ms <= 0) throw new UsageError(`--older-than: "${flags.olderThan}" is not a duration (90d, 12w, 48h)`);
    const before = new Date(now.getTime() - ms).toISOString();
    cutoffs = { ...cutoffs, unmatchedBefore: before, matchedBefore: before };
  }
  const lock = await acquireRunLockFor(ctx);
  const store = await openStore(ctx.locations);
  try {
    const report = await pruneArchive(store, cutoffs, { dryRun: Boolean(flags.dryRun), compact: 'full' });
    const digests = await pruneSavedDigests(ctx.locations.digestsDir, settings.keepDigestsDays, now, Boolean(flags.dryRun));
    if (flags.json) return await writeStdout(toJsonText({ ...report, savedDigests: digests }));
    await writeStdout(`${describePrune(report, digests).join('\n')}\n`);
  } finally {
    await store.close();
    lock.release();
  }
}

export async function archiveStatsCommand(flags: { json?: boolean }, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  const settings = readSettings(ctx.locations.configDir);
  const store = await openStore(ctx.locations);
  const database = ctx.locations.databaseUrl === null ? ctx.locations.databaseFile : describeDatabaseUrl(ctx.locations.databaseUrl);
  try {
    const stats = await store.archiveStats();
    const retention = { keepUnmatchedDays: settings.keepUnmatchedDays, keepMatchedDays: settings.keepMatchedDays, keepDigestsDays: settings.keepDigestsDays };
    if (flags.json) return await writeStdout(toJsonText({ database, ...stats, retention }));
    const t = stats.totals;
    const lines = [
      `${database}: ${formatBytes(stats.bytes)}${stats.freeBytes ? ` (${formatBytes(stats.freeBytes)} free for reuse)` : ''}`,
      `${t.items} items (${t.matchedItems} matched), ${t.stories} stories, ${t.matches} matches, ${t.deliveries} deliveries`,
      `${t.tombstones} tombstones, ${t.prunedStories} pruned stories remembered by their keys`,
      `kept: unmatched items ${days(retention.keepUnmatchedDays)}, matched items ${days(retention.keepMatchedDays)}, saved digests ${days(retention.keepDigestsDays)}`,
      '',
      ...stats.parts.map((p) => `${formatBytes(p.bytes).padStart(10)}  ${p.part}`),
    ];
    if (stats.feeds.length > 0) {
      lines.push('', `${'items'.padStart(8)} ${'matched'.padStart(8)} ${'stories'.padStart(8)} ${'tombst.'.padStart(8)}  ${'oldest'.padEnd(10)}  feed`);
      for (const f of [...stats.feeds].sort((a, b) => b.items - a.items || a.url.localeCompare(b.url))) {
        const name = toTerminalLine(f.label ? `${f.label} <${f.url}>` : f.url);
        lines.push(
          `${String(f.items).padStart(8)} ${String(f.matchedItems).padStart(8)} ${String(f.stories).padStart(8)} ${String(f.tombstones).padStart(8)}  ${(f.oldestItemAt?.slice(0, 10) ?? '-').padEnd(10)}  ${name}`,
        );
      }
    }
    await writeStdout(`${lines.join('\n')}\n`);
  } finally {
    await store.close();
  }
}

/** Saved digests (digests/<watchlist>/<day>[-N].<ext>) of days before the limit; removed unless `dryRun`. */
async function pruneSavedDigests(digestsDir: string, keepDays: number, now: Date, dryRun: boolean): Promise<SavedDigestsPruned> {
  const pruned = { files: 0, bytes: 0 };
  if (keepDays <= 0) return pruned;
  const beforeDay = new Date(now.getTime() - keepDays * DAY_MS).toISOString().slice(0, 10);
  for (const watchlist of await readdir(digestsDir).catch(() => [] as string[])) {
    for (const name of await readdir(join(digestsDir, watchlist)).catch(() => [] as string[])) {
      const parsed = parseSavedDigestName(name);
      if (!parsed || parsed.day >= beforeDay) continue;
      const path = join(digestsDir, watchlist, name);
      pruned.bytes += (await stat(path)).size;
      pruned.files++;
      if (!dryRun) await rm(path, { force: true });
    }
  }
  return pruned;
}

function describePrune(r: PruneReport, digests: SavedDigestsPruned): string[] {
  const what = `${r.items} item${r.items === 1 ? '' : 's'} (${r.matchedItems} matched, ${r.stories} stor${r.stories === 1 ? 'y' : 'ies'} whole)`;
  const files = digests.files ? ` and ${digests.files} saved digest${digests.files === 1 ? '' : 's'} (${formatBytes(digests.bytes)})` : '';
  if (r.dryRun) return [`would remove ${what}${files}; nothing changed (dry run)`];
  const lines = [`removed ${what}${files}`];
  if (r.tombstones || r.storyKeys)
    lines.push(`kept ${r.tombstones} tombstone${r.tombstones === 1 ? '' : 's'} for items their feeds still carry, and the keys of ${r.storyKeys} stor${r.storyKeys === 1 ? 'y' : 'ies'} already shown`);
  if (r.expiredTombstones || r.expiredStoryKeys)
    lines.push(`forgot ${r.expiredTombstones} tombstone${r.expiredTombstones === 1 ? '' : 's'} and ${r.expiredStoryKeys} kept stor${r.expiredStoryKeys === 1 ? 'y' : 'ies'} no feed carries any more`);
  lines.push(`database: ${formatBytes(r.bytesBefore)} → ${formatBytes(r.bytesAfter)} (freed ${formatBytes(Math.max(0, r.bytesBefore - r.bytesAfter))})`);
  if (!r.complete) lines.push('stopped at its time limit: the next run goes on');
  return lines;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${bytes} B`;
}

function days(n: number): string {
  return n === 0 ? 'forever' : `${n} day${n === 1 ? '' : 's'}`;
}
