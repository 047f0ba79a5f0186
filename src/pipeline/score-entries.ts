import type { Watchlist } from '../config/watchlist.js';
import type { DigestEntry } from '../digest/digest.js';
import type { Store } from '../store/store.js';

/** Placeholder until relevance lands: entries pass through unscored. */
export function scoreEntries(_store: Store, _watchlist: Watchlist, entries: DigestEntry[]): DigestEntry[] {
  return entries;
}
