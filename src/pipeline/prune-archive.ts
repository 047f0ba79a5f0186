import type { PruneCounts, PruneCutoffs, Store } from '../store/store.js';
import type { Reporter } from './reporter.js';

/** How long the archive keeps things, in days; 0 keeps forever (docs/retention.md). */
export interface RetentionPolicy {
  keepUnmatchedDays: number;
  keepMatchedDays: number;
}

export interface PruneOptions {
  now: Date;
  /** Stop starting new batches after this long (ms); the next run goes on where this one stopped. */
  budgetMs?: number;
  /** Milliseconds from some origin, for the budget (default performance.now; tests drive it). */
  clock?: () => number;
  /** Count only; change nothing. */
  dryRun?: boolean;
  /** `incremental` gives free pages back within the budget; `full` rewrites the file when enough was removed. */
  compact?: 'incremental' | 'full' | 'none';
}

export interface PruneReport extends PruneCounts {
  dryRun: boolean;
  tombstones: number;
  storyKeys: number;
  expiredTombstones: number;
  expiredStoryKeys: number;
  /** False when the time budget ran out first: the next run goes on. */
  complete: boolean;
  bytesBefore: number;
  bytesAfter: number;
}

/** Items per transaction: a crash loses at most one batch of work, never leaves half of one. */
const BATCH = 500;
/** What an automatic pruning at the end of a digest or worker round may take. */
export const AUTO_PRUNE_BUDGET_MS = 2000;
/** Pages one incremental vacuum step gives back (4 MiB of 4 kB pages), between two budget checks. */
const VACUUM_STEP_PAGES = 1024;
/** A full rewrite is worth its time when this share of the file is free. */
const FULL_VACUUM_FREE_SHARE = 0.1;
const DAY_MS = 86_400_000;

/** The instants before which the policy lets things go, at `now`. */
export function pruneCutoffs(policy: RetentionPolicy, now: Date): PruneCutoffs {
  const before = (days: number) => (days > 0 ? new Date(now.getTime() - days * DAY_MS).toISOString() : null);
  return { unmatchedBefore: before(policy.keepUnmatchedDays), matchedBefore: before(policy.keepMatchedDays), now: now.toISOString() };
}

/**
 * The pruning step: removes what the retention policy no longer keeps, in
 * batches (each one atomic), expires tombstones no feed can bring back, then
 * gives the space back. With a budget it stops between batches once the budget
 * is spent, so a digest or a worker round never stalls on it; what is left is
 * done by the next one.
 */
export async function pruneArchive(store: Store, cutoffs: PruneCutoffs, options: Omit<PruneOptions, 'now'> = {}): Promise<PruneReport> {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const overBudget = () => options.budgetMs !== undefined && clock() - started >= options.budgetMs;
  const before = await store.storageSize();
  const report: PruneReport = {
    dryRun: Boolean(options.dryRun),
    items: 0,
    matchedItems: 0,
    stories: 0,
    tombstones: 0,
    storyKeys: 0,
    expiredTombstones: 0,
    expiredStoryKeys: 0,
    complete: true,
    bytesBefore: before.bytes,
    bytesAfter: before.bytes,
  };
  if (options.dryRun) return { ...report, ...(await store.countPrunable(cutoffs)) };

  let afterSeq = 0;
  for (;;) {
    if (overBudget()) {
      report.complete = false;
      break;
    }
    const batch = await store.pruneItems(cutoffs, BATCH, afterSeq);
    afterSeq = batch.lastSeq;
    report.items += batch.items;
    report.matchedItems += batch.matchedItems;
    report.stories += batch.stories;
    report.tombstones += batch.tombstones;
    report.storyKeys += batch.storyKeys;
    if (!batch.more) break;
  }
  if (!overBudget()) {
    const expired = await store.expireTombstones(cutoffs.now);
    report.expiredTombstones = expired.tombstones;
    report.expiredStoryKeys = expired.storyKeys;
  }
  await compact(store, options.compact ?? 'incremental', overBudget);
  report.bytesAfter = (await store.storageSize()).bytes;
  return report;
}

async function compact(store: Store, mode: 'incremental' | 'full' | 'none', overBudget: () => boolean): Promise<void> {
  if (mode === 'none') return;
  let size = await store.storageSize();
  if (mode === 'full' && size.freeBytes >= size.bytes * FULL_VACUUM_FREE_SHARE) {
    await store.compactStorage('full');
    return;
  }
  while (size.freeBytes > 0 && !overBudget()) {
    await store.compactStorage('incremental', VACUUM_STEP_PAGES);
    const after = await store.storageSize();
    // A file made before incremental vacuum gives nothing back this way; a full rewrite would.
    if (after.freeBytes >= size.freeBytes) break;
    size = after;
  }
}

/**
 * The pruning at the end of a digest or worker round: within AUTO_PRUNE_BUDGET_MS,
 * giving free pages back as it goes, and never the run's failure (what it did not
 * do, the next run does). Null when it failed.
 */
export async function pruneAtRunEnd(store: Store, policy: RetentionPolicy, now: Date, reporter: Reporter): Promise<PruneReport | null> {
  try {
    return await pruneArchive(store, pruneCutoffs(policy, now), { budgetMs: AUTO_PRUNE_BUDGET_MS, compact: 'incremental' });
  } catch (error) {
    reporter.warn(`archive: pruning failed, the next run tries again: ${(error as Error).message}`);
    return null;
  }
}
