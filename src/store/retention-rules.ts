/**
 * What both stores decide the same way when they prune (docs/retention.md):
 * how long a tombstone lives, and which part of the store a table or index is.
 */

import type { ArchiveFeedStats } from './store.js';

/**
 * How long a tombstone stays once its feed no longer carries the item: feeds
 * that rotate a selection (most read, "à la une") bring an item back after a
 * while. The countdown starts at the first fetch that returned the feed's items
 * without it, so a feed that answers 304 or fails for months keeps its tombstones.
 */
export const TOMBSTONE_GRACE_DAYS = 14;
/** A feed not fetched at all for this long is no longer watched: its tombstones go. */
export const ABANDONED_FEED_DAYS = 365;

export const DAY_MS = 86_400_000;

/** Days since the epoch (UTC) of an ISO date. */
export function dayNumber(iso: string): number {
  return Math.floor(Date.parse(iso) / DAY_MS);
}

export interface TombstoneLife {
  /** The feed may still carry the item: its items included it within the grace period of its last content. */
  carried: boolean;
  /** When the feed's items were last seen without it (null: it was in them). */
  goneAt: string | null;
  /** The day its feed last carried it (midnight UTC). */
  seenAt: string;
}

/** An item that pruning looks at: its identity, its story and whether a watchlist matched it. */
export interface PruneCandidate extends TombstoneLife {
  seq: number;
  id: string;
  feedUrl: string;
  storyId: string | null;
  matched: boolean;
}

/**
 * Whether a pruned item needs a tombstone, from the day its feed last carried it
 * (`lastSeenDay`, else the day it was first stored) and the feed's last answer
 * with items (`contentAt`; null: never, so it may still carry anything).
 */
export function tombstoneLife(item: { lastSeenDay: number | null; firstSeenAt: string }, contentAt: string | null): TombstoneLife {
  const seenDay = item.lastSeenDay ?? dayNumber(item.firstSeenAt);
  const seenAt = new Date(seenDay * DAY_MS).toISOString();
  if (contentAt === null) return { carried: true, goneAt: null, seenAt };
  const contentDay = dayNumber(contentAt);
  return { carried: seenDay >= contentDay - TOMBSTONE_GRACE_DAYS, goneAt: seenDay < contentDay - 1 ? contentAt : null, seenAt };
}

/** The instants before which tombstones and kept story keys end, at `now`. */
export function expiryCutoffs(now: string): { graceBefore: string; abandonedBefore: string } {
  return {
    graceBefore: new Date(Date.parse(now) - TOMBSTONE_GRACE_DAYS * DAY_MS).toISOString(),
    abandonedBefore: new Date(Date.parse(now) - ABANDONED_FEED_DAYS * DAY_MS).toISOString(),
  };
}

/**
 * Which part of the store a table or index belongs to, for `archive stats` and
 * bench/storage.ts: SQLite's names (dbstat, autoindexes) and PostgreSQL's
 * (pg_class: `_pkey`, `_key`, TOAST counted with its table).
 */
export function partOfStore(name: string): string {
  if (name === 'items' || name === 'item_bodies') return 'item rows';
  if (name.startsWith('items_fts') || name === 'items_search' || name === 'item_words' || name.startsWith('item_words_')) return 'full-text index';
  if (/^item_(bands|signatures|stories)/.test(name) || /^items_(story|canonical_url|title_key)/.test(name)) return 'story keys and signatures';
  if (/^(tombstones|pruned_stories)|autoindex_(tombstones|pruned_stories)/.test(name)) return 'tombstones';
  if (/^(matches|deliveries|watchlist_state|destination|feed_entries)|autoindex_(matches|deliveries|watchlist_state|destination|feed_entries)/.test(name)) return 'matches and deliveries';
  if (name.startsWith('items_') || name === 'sqlite_autoindex_items_1') return 'item indexes';
  if (/^feeds|autoindex_feeds/.test(name)) return 'feeds';
  return 'schema';
}

/** The per-feed rows of `archive stats`, filled as each store reads its counts. */
export class FeedStatsTable {
  private readonly feeds = new Map<string, ArchiveFeedStats>();

  /** The feed's row, made empty on first use. */
  of(url: string, label: string | null = null): ArchiveFeedStats {
    let f = this.feeds.get(url);
    if (!f) {
      f = { url, label, items: 0, matchedItems: 0, stories: 0, tombstones: 0, oldestItemAt: null, newestItemAt: null };
      this.feeds.set(url, f);
    }
    return f;
  }

  rows(): ArchiveFeedStats[] {
    return [...this.feeds.values()];
  }
}
