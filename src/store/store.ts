import type { Item } from '../feed/item.js';
import type { FieldName, MatchFields } from '../match/match-item.js';
import { StoreError } from '../errors.js';
import type { TextFilter } from './text-filter.js';

/**
 * Everything presswatch keeps, behind one interface. All SQL lives in this
 * folder. Asynchronous, so that a store across the network (PostgreSQL, for
 * teams) is a second implementation of the same contract.
 */
export interface Store {
  getFeedState(url: string): Promise<FeedState | null>;
  /**
   * Records one fetch of one feed and its new items atomically; returns the items that were new,
   * once they are committed (SQLite commits the feeds saved at the same moment together, each whole).
   * Items whose id is in `fullText` are queued for article scraping.
   */
  saveFetch(record: FeedFetchRecord, items: readonly Item[], fullText?: ReadonlySet<string>): Promise<Item[]>;
  listFeeds(): Promise<FeedState[]>;

  /** Where matching of `watchlist` resumes; starts over (dropping old matches) when its rules changed. */
  beginMatching(watchlist: string, rulesHash: string): Promise<number>;
  /** Items of these feeds stored after `afterSeq`, oldest first, in pages. */
  listItemsAfter(feedUrls: readonly string[], afterSeq: number, limit: number): Promise<StoredItem[]>;
  /**
   * The same items as listItemsAfter, with only what matching reads: their texts, or null for an
   * item `known` has (the caller matched it as it was stored), whose texts are not read at all.
   */
  listTextsAfter(feedUrls: readonly string[], afterSeq: number, limit: number, known: { has(itemId: string): boolean }): Promise<ItemTexts[]>;
  /** Saves the matches found in items up to `throughSeq` and moves the matching cursor there, atomically. */
  saveMatches(watchlist: string, throughSeq: number, matches: readonly StoredMatch[]): Promise<void>;

  /**
   * Matched items of a watchlist with their matches: undelivered ones, or those dated since `since`.
   * `undeliveredTo`: only the stories that destination has not accepted, among the items first seen
   * since it was added (see syncDestinations).
   */
  listMatchedItems(watchlist: string, query: MatchedItemsQuery): Promise<MatchedItem[]>;
  /** Marks items as shown in a digest of `watchlist`: they are not shown again by default. */
  markDelivered(watchlist: string, itemIds: readonly string[], at: string): Promise<void>;

  /** Full-text candidates (null: no text filter), newest first. */
  searchItems(filter: TextFilter | null, options: { since?: string; feedUrls?: readonly string[]; limit: number }): Promise<StoredItem[]>;
  /** Items stored per feed per day over the last `days` days, for `feeds status`. */
  countRecentItems(sinceIso: string): Promise<Map<string, number>>;

  /**
   * Items queued for scraping (by this run or an interrupted one), oldest first, leased to
   * `lease.owner` until `lease.until` so that concurrent processes do not read the same page;
   * an item whose lease ran out (its process died) is claimed again.
   */
  claimPendingArticles(limit: number, lease: Lease): Promise<StoredItem[]>;
  /** Stores the outcome of scraping one item: its article text and metadata, or why it failed. */
  saveArticle(itemId: string, outcome: ArticleOutcome): Promise<void>;

  /**
   * Matched items not yet assigned to a story, oldest first. Items no watchlist
   * matched get no story (yet): identity only matters for what a digest can show,
   * and an item matched later, after a rule change, is assigned then.
   */
  listUnclusteredItems(limit: number): Promise<StoredItem[]>;
  /**
   * Items already in a story that share a canonical URL, a title key or a fingerprint band,
   * strongest evidence first, with their signatures. The signature of an item in `held` (the
   * caller has it parsed already) may come back null: a store that reads it separately skips it.
   */
  findStoryCandidates(keys: StoryKeys, limit: number, held?: { has(itemId: string): boolean }): Promise<StoryCandidate[]>;
  /**
   * Items in a story reported (published, else first seen) between `from` and
   * `to` (ISO 8601, inclusive), newest first, at most `limit`: the reports the
   * same-event rule compares a new item with.
   */
  listStoryReports(from: string, to: string, limit: number): Promise<StoryReport[]>;
  /** An item's stored story signature (JSON, as produced by src/dedupe), or null. */
  readSignature(itemId: string): Promise<string | null>;
  /** Puts an item in a story (its own, or an earlier item's) and indexes its keys, atomically. */
  assignStory(itemId: string, storyId: string, keys: StoryKeys, signature: string, via: StoryVia | null): Promise<void>;
  /**
   * Moves items already in a story to another story, keeping their signatures and keys: the
   * reports the same-event rule joined, with their copies. All moves in one go, atomically.
   */
  moveToStories(moves: readonly StoryMove[]): Promise<void>;
  /**
   * Runs `work` in one transaction, for batches of small writes: what it does through
   * `tx` commits together or not at all (`tx.transaction` nests as a savepoint). Other
   * calls on the store are not part of it; on SQLite, one connection, they wait for it.
   */
  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T>;
  /** Every item of these stories, with its feed's label and title. */
  listStoryMembers(storyIds: readonly string[]): Promise<{ item: StoredItem; feedLabel: string | null; feedTitle: string | null }[]>;

  /** Adds feeds not yet known (a watchlist's new feeds), so workers can claim them; known ones are left as they are. */
  registerFeeds(feeds: readonly { url: string; label: string | null }[]): Promise<void>;
  /**
   * Leases up to `limit` of these feeds that are due at `lease.now` (never fetched, or their
   * next-fetch time passed) and not leased by anyone else: `SELECT … FOR UPDATE SKIP LOCKED`.
   */
  claimDueFeeds(feedUrls: readonly string[], limit: number, lease: Lease): Promise<string[]>;
  /** Gives leased feeds back (fetched or not): their next-fetch time says when they are due again. */
  releaseFeeds(owner: string, feedUrls: readonly string[]): Promise<void>;
  /** Of these feeds, how many are due at `now` (leased or not), and when the next one not yet due will be. */
  feedSchedule(feedUrls: readonly string[], now: string): Promise<{ due: number; nextDueAt: string | null }>;
  /**
   * Reserves the next start of a request to `host` for everyone sharing the store: returns when
   * (epoch ms) this request may start, at least `delayMs` after the one reserved before it.
   */
  reserveHostSlot(host: string, delayMs: number, nowMs: number): Promise<number>;
  /**
   * Takes one of the `limit` places of requests in flight to `host`, for everyone sharing the
   * store: the place's number, or null while all are taken. It is held until released, or
   * until `lease.untilMs` (epoch ms) at most, so a process killed with -9 does not keep it.
   */
  claimHostPlace(host: string, limit: number, lease: HostLease): Promise<number | null>;
  /** Gives back a place claimed by `owner` (its request is over). */
  releaseHostPlace(host: string, place: number, owner: string): Promise<void>;

  /**
   * Runs `work` in one transaction holding the lock `name`: one holder at a time among all
   * processes sharing the store (matching a watchlist, assigning stories).
   */
  exclusive<T>(name: string, work: (tx: Store) => Promise<T>): Promise<T>;
  /**
   * Of these not-yet-delivered stories of `watchlist`, those this process may show (on stdout, or
   * to `destination`): each is held, atomically, until markDelivered (markDeliveredTo for a
   * destination), releaseStories or close (or the process's death), so that two digests running
   * at once split them. A story delivered meanwhile (to that destination) is left out.
   */
  claimStories(watchlist: string, storyIds: readonly string[], destination?: string): Promise<string[]>;
  /** Lets go of every story this process holds (a digest that was not written). */
  releaseStories(): Promise<void>;

  /** How many stored items contain each term (prefix match, accent-insensitive), for relevance. */
  documentFrequencies(terms: readonly string[]): Promise<{ documentCount: number; df: Map<string, number> }>;

  /**
   * Removes up to `limit` items the cutoffs no longer keep, atomically, with their
   * matches, full-text entries, story keys and signatures; leaves a tombstone for
   * each one its feed may still carry, and keeps the keys of delivered stories
   * (docs/retention.md). Unmatched items come first, in seq order from after
   * `afterSeq` (the previous batch's `lastSeq`, so a pruning does not read
   * again what it kept), then matched ones. `more` says whether another call
   * would find more.
   */
  pruneItems(cutoffs: PruneCutoffs, limit: number, afterSeq?: number): Promise<PruneBatch>;
  /** What pruneItems would remove with these cutoffs, changing nothing. */
  countPrunable(cutoffs: PruneCutoffs): Promise<PruneCounts>;
  /** Drops tombstones and kept story keys that no feed can bring back any more (docs/retention.md). */
  expireTombstones(now: string): Promise<{ tombstones: number; storyKeys: number }>;
  /** The space the store takes, and how much of it is free for reuse. */
  storageSize(): Promise<{ bytes: number; freeBytes: number }>;
  /**
   * Gives free space back to the file system: `incremental` returns at most
   * `maxPages` free pages (cheap), `full` rewrites the whole file (slow, defragments).
   */
  compactStorage(mode: 'incremental' | 'full', maxPages?: number): Promise<void>;
  /** Counts per feed and in total, and what each part of the store weighs, for `archive stats`. */
  archiveStats(): Promise<ArchiveStats>;

  close(): Promise<void>;

  // Delivery to destinations (docs/delivery.md): each destination of a watchlist keeps its own
  // record, apart from the digest's "shown" mark above.

  /**
   * Records the destinations a watchlist now has: a new one is owed the stories of items first
   * seen from `at` on; a destination no longer listed is forgotten with its records.
   */
  syncDestinations(watchlist: string, destinations: readonly string[], at: string): Promise<void>;
  /**
   * Records, atomically, that a destination accepted these items (every matched copy of the stories it
   * took). For a rolling feed, also the stories it now carries (`feed`), pruned to its newest `keep`.
   */
  markDeliveredTo(watchlist: string, destination: string, delivery: DestinationDelivery): Promise<void>;
  /** A rolling feed's stories, newest delivered first. */
  listFeedEntries(watchlist: string, destination: string, limit: number): Promise<FeedEntryRecord[]>;
}

export interface MatchedItemsQuery {
  since?: string;
  undeliveredOnly: boolean;
  feedUrls?: readonly string[];
  undeliveredTo?: string;
}

export interface DestinationDelivery {
  itemIds: readonly string[];
  at: string;
  /** The stories added to a rolling feed (in the order it shows them), and how many it keeps. */
  feed?: { entries: readonly FeedEntryRecord[]; keep: number };
}

export interface FeedEntryRecord {
  storyId: string;
  /** The story as the feed shows it (JSON of a digest Story). */
  story: string;
  deliveredAt: string;
}

/** Whether an error is the store's own failure (SQLite's error codes, PostgreSQL's StoreError), not the data's. */
export function isStoreFailure(error: unknown): boolean {
  return error instanceof StoreError || /^SQLITE_/.test(String((error as { code?: unknown } | null)?.code));
}

/** Work leased to one process until a time (ISO dates); `now` decides what is free or expired. */
export interface Lease {
  owner: string;
  now: string;
  until: string;
}

/** A place of a host's requests in flight, held by `owner` from `nowMs` until `untilMs` at most (epoch ms). */
export interface HostLease {
  owner: string;
  nowMs: number;
  untilMs: number;
}

export type ArticleOutcome = { status: 'done'; body: string; article: Record<string, unknown>; canonicalUrl: string | null } | { status: 'error'; error: string };

/** What a story is looked up by: see src/dedupe. */
export interface StoryKeys {
  canonicalUrl: string | null;
  titleKey: string | null;
  bandKeys: readonly string[];
}

export interface StoryReport {
  itemId: string;
  storyId: string;
  /** Publication date, else first-seen date (ISO 8601). */
  reportedAt: string;
  /** The stored story signature (JSON), or null. */
  signature: string | null;
}

export interface StoryCandidate {
  itemId: string;
  storyId: string;
  /** The candidate's story signature as stored (readSignature), read with it: the caller compares it next. Null when absent, or held by the caller. */
  signature: string | null;
}

export type FeedStatus = 'ok' | 'not-modified' | 'error';

export interface FeedState {
  url: string;
  label: string | null;
  title: string | null;
  etag: string | null;
  lastModified: string | null;
  lastStatus: FeedStatus | null;
  lastHttpStatus: number | null;
  lastError: string | null;
  lastFetchedAt: string | null;
  lastOkAt: string | null;
  ttlMinutes: number | null;
  nextFetchAt: string | null;
  itemCount: number;
  /** The date of the earliest item stored (and kept) for the feed. */
  firstItemAt: string | null;
}

export interface FeedFetchRecord {
  url: string;
  label: string | null;
  title?: string | null;
  status: FeedStatus;
  httpStatus: number | null;
  error: string | null;
  etag?: string | null;
  lastModified?: string | null;
  ttlMinutes?: number | null;
  /** Earliest time the publisher wants the feed fetched again (ttl, Cache-Control, Retry-After). */
  nextFetchAt?: string | null;
  fetchedAt: string;
}

export interface StoredItem extends Item {
  seq: number;
  firstSeenAt: string;
  /** Article text scraped from the item's page ('' when not scraped). */
  body: string;
  /** The page's canonical URL, when it was scraped and declared one. */
  canonicalUrl: string | null;
  /** The story this item belongs to (the id of its first item); null until clustered. */
  storyId: string | null;
  /** How it joined that story; null for the story's first item (and until clustered). */
  storyVia: StoryVia | null;
}

/** An item as matching reads it: `fields` null when the caller said it knows the item already. */
export interface ItemTexts {
  seq: number;
  id: string;
  fields: Required<MatchFields> | null;
}

/** An item put in another story, and how it came there. */
export interface StoryMove {
  itemId: string;
  storyId: string;
  via: StoryVia | null;
}

/** `copy`: its text copies one of the story's reports (docs/dedupe.md's copy rules); `event`: its own report of the same event. */
export type StoryVia = 'copy' | 'event';

export interface StoredMatch {
  itemId: string;
  term: string;
  count: number;
  variant: string;
  field: FieldName;
  offsets: Partial<Record<FieldName, [number, number][]>>;
  matchedAt: string;
}

export interface MatchedItem {
  item: StoredItem;
  matches: StoredMatch[];
  feedLabel: string | null;
  feedTitle: string | null;
}

/** What the retention policy keeps, as instants (ISO 8601); null keeps forever. */
export interface PruneCutoffs {
  /** Items no watchlist matched go once first stored before this. */
  unmatchedBefore: string | null;
  /** Matched items go once every item of their story was first stored before this. */
  matchedBefore: string | null;
  /** When the pruning happens: tombstones and kept story keys are dated with it. */
  now: string;
}

export interface PruneCounts {
  items: number;
  /** Of those, items some watchlist matched. */
  matchedItems: number;
  /** Stories whose last item goes. */
  stories: number;
}

export interface PruneBatch extends PruneCounts {
  /** Tombstones left for pruned items their feed may still carry. */
  tombstones: number;
  /** Delivered stories whose keys were kept when their last item went. */
  storyKeys: number;
  more: boolean;
  /** Where the next batch's unmatched items start. */
  lastSeq: number;
}

export interface ArchiveFeedStats {
  url: string;
  label: string | null;
  items: number;
  matchedItems: number;
  stories: number;
  tombstones: number;
  /** First-stored dates of the oldest and newest items kept. */
  oldestItemAt: string | null;
  newestItemAt: string | null;
}

export interface ArchiveStats {
  totals: {
    items: number;
    matchedItems: number;
    stories: number;
    matches: number;
    deliveries: number;
    tombstones: number;
    /** Delivered stories whose items are pruned and whose keys are kept. */
    prunedStories: number;
  };
  feeds: ArchiveFeedStats[];
  /** Bytes taken by each part of the store (item rows, full-text index, indexes, story keys, tombstones, …). */
  parts: { part: string; bytes: number }[];
  bytes: number;
  freeBytes: number;
}
