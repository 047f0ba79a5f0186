import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { RunError } from '../errors.js';
import type { Item } from '../feed/item.js';
import type { MatchFields } from '../match/match-item.js';
import { toFts5Query, wordsFilter, type TextFilter } from './text-filter.js';
import { MIGRATIONS } from './migrations.js';
import { groupMatches, type Row, toFeedState } from './rows.js';
import { packSignature, packText, unpackSignature, unpackText } from './packed-text.js';
import { packTextsOffThread } from './pack-thread.js';
import { SqliteArchive } from './sqlite-archive.js';
import { preparedOnUse } from './prepared-statements.js';
import type {
  ArticleOutcome,
  DestinationDelivery,
  FeedEntryRecord,
  FeedFetchRecord,
  FeedState,
  HostLease,
  ItemTexts,
  Lease,
  MatchedItem,
  MatchedItemsQuery,
  PruneCutoffs,
  Store,
  StoredItem,
  StoredMatch,
  StoryCandidate,
  StoryKeys,
  StoryReport,
  StoryMove,
  StoryVia,
} from './store.js';

/** Items read per canonical URL or title key, newest first, when looking for a story. */
const KEY_BUCKET_CAP = 8;
/** Items read per LSH band: a band shared by more is boilerplate, and a sample of it is enough. */
const BAND_BUCKET_CAP = 32;
/** Items read per page when the full-text index catches up (their texts are held unpacked meanwhile). */
const INDEX_PAGE = 500;
/** Statements over a list of values, by its length: an item's bands' items, a candidate's story (an item's, else a pruned story's), an item's bands. */
const STORY_STATEMENTS = {
  // A capped sub-select per band, all in one statement: one round trip instead of dozens.
  bandSeqs: (n: number) => Array.from({ length: n }, () => `SELECT seq FROM (SELECT seq FROM item_bands WHERE band_key = ? LIMIT ${BAND_BUCKET_CAP})`).join(' UNION ALL '),
  candidateStories: (n: number) => `SELECT s.seq, i.id AS item_id, s.story_id FROM item_stories s JOIN items i ON i.seq = s.seq WHERE s.seq IN (${questionMarks(n)}) AND s.story_id IS NOT NULL`,
  prunedCandidateStories: (n: number) => `SELECT seq, item_id, story_id FROM pruned_stories WHERE seq IN (${questionMarks(n)})`,
  insertBands: (n: number) => `INSERT OR IGNORE INTO item_bands (band_key, seq) VALUES ${Array.from({ length: n }, () => '(?, ?)').join(', ')}`,
} as const;
const questionMarks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

// FeedState's counts, for one feed or all of them.
const FEED_STATS = `(SELECT count(*) FROM items i WHERE i.feed_id = f.id) AS item_count,
  (SELECT coalesce(published_at, first_seen_at) FROM items i WHERE i.feed_id = f.id ORDER BY seq LIMIT 1) AS first_item_at`;
/** A new feed's integer key (items name their feed by it). */
const NEXT_FEED_ID = '(SELECT coalesce(max(id), 0) + 1 FROM feeds)';

/** Opens (creating and migrating as needed) the SQLite database at `file`. */
export function openSqliteStore(file: string, options: { busyTimeoutMs?: number } = {}): Store {
  let db: Database.Database;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { timeout: options.busyTimeoutMs ?? 10_000, nativeBinding: nativeBindingPath() });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === 0 && isEmpty(db)) {
      // Chosen before the first write (WAL mode included) or never: pages freed by pruning go back
      // to the file system on demand (PRAGMA incremental_vacuum), and larger pages waste less space
      // at their ends. An older file switches to incremental vacuum at its next VACUUM.
      db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma('auto_vacuum = INCREMENTAL');
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.function('title_key_digest', { deterministic: true }, (key: unknown) => (key === null ? null : titleKeyDigest(String(key))));
    migrate(db, file, version);
  } catch (error) {
    if (error instanceof RunError) throw error;
    throw new RunError(`store: cannot open database ${file}: ${(error as Error).message}`);
  }
  return new SqliteStore(new SqliteQueries(db), new Gate(), null);
}

const PAGE_SIZE = 8192;

/**
 * The addon built in place, named: left to itself better-sqlite3 finds it through the
 * `bindings` package, which probes a dozen paths (and reads a stack trace) on every start.
 * Undefined (that search) when the addon is elsewhere.
 */
function nativeBindingPath(): string | undefined {
  try {
    const file = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3')), '..', 'build', 'Release', 'better_sqlite3.node');
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** A title key as stored: it is only compared whole, and 16 bytes of its hash take less room than its 100-odd characters. */
function titleKeyDigest(key: string): Buffer {
  return createHash('sha256').update(key).digest().subarray(0, 16);
}

function isEmpty(db: Database.Database): boolean {
  return (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n === 0;
}

/** `version`: the database's user_version, read once on opening. */
function migrate(db: Database.Database, file: string, version: number): void {
  if (version > MIGRATIONS.length) {
    db.close();
    throw new RunError(`store: ${file} was written by a newer presswatch (schema ${version}, this one knows ${MIGRATIONS.length}); upgrade presswatch or use another --data-dir`);
  }
  if (version === MIGRATIONS.length) return;
  // A step that rebuilds a table drops the old one while other tables still refer to it: foreign
  // keys are off while the steps run (it cannot change inside a transaction), checked before committing.
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`the migration left ${broken.length} rows whose references are broken`);
      db.pragma(`user_version = ${MIGRATIONS.length}`);
    }).immediate();
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

/**
 * SQLite is one connection, and better-sqlite3 is synchronous: every call runs
 * whole between two awaits. Only a transaction spans awaits, so while one is
 * open the calls from outside it wait at this gate for it to end.
 */
class Gate {
  open: Promise<void> | null = null;
  /** Marks the transaction's own async context, to catch a call that would wait for itself. */
  readonly inside = new AsyncLocalStorage<Gate>();
}

class SqliteStore implements Store {
  constructor(
    private readonly q: SqliteQueries,
    private readonly gate: Gate,
    /** Null for the store itself; the nesting depth for the view a transaction's work is given. */
    private readonly depth: number | null,
  ) {}

  /** Set on a transaction's view once the transaction is over. */
  private ended = false;

  getFeedState(url: string) {
    return this.run(() => this.q.getFeedState(url));
  }
  listFeeds() {
    return this.run(() => this.q.listFeeds());
  }
  async saveFetch(record: FeedFetchRecord, items: readonly Item[], fullText?: ReadonlySet<string>): Promise<Item[]> {
    // Packed before the feed's transaction, on the packer's thread: the main thread stores other feeds meanwhile.
    const texts = items.flatMap((item) => [item.summary, item.content]);
    if (this.depth !== null) {
      const packed = await packTextsOffThread(texts);
      return this.run(() => this.q.saveFetch({ record, items, packed, fullText }));
    }
    this.packing++;
    let packed: (string | Buffer)[];
    try {
      packed = await packTextsOffThread(texts);
    } catch (error) {
      this.packing--;
      // The feeds waiting for this one must not wait forever.
      this.saveWhenPacked();
      throw error;
    }
    this.packing--;
    // Feeds stored together share one transaction: a commit writes every page it touched, and pages
    // that feeds share (the id index's, spread over all of them; the table's last ones) were written
    // again at each feed's commit. A feed waits for those being packed now (milliseconds), never for
    // one still being fetched. Each is still stored whole or not at all, and its promise settles once
    // the batch is committed.
    return new Promise<Item[]>((resolve, reject) => {
      this.waitingSaves.push({ save: { record, items, packed, fullText }, resolve, reject });
      this.saveWhenPacked();
    });
  }

  /** Feeds whose texts are being packed for saveFetch (they join the next batch). */
  private packing = 0;
  /** Feeds parsed and packed, waiting for the next batch (see saveFetch). */
  private readonly waitingSaves: { save: FeedSave; resolve: (fresh: Item[]) => void; reject: (error: unknown) => void }[] = [];

  private saveWhenPacked(): void {
    if (this.packing === 0 && this.waitingSaves.length > 0) setImmediate(() => void this.saveWaiting());
  }

  private async saveWaiting(): Promise<void> {
    const batch = this.waitingSaves.splice(0);
    if (batch.length === 0) return;
    try {
      const outcomes = await this.run(() => this.q.saveFetches(batch.map((waiting) => waiting.save)));
      for (const [n, outcome] of outcomes.entries()) {
        if ('fresh' in outcome) batch[n]!.resolve(outcome.fresh);
        else batch[n]!.reject(outcome.error);
      }
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }

  beginMatching(watchlist: string, rulesHash: string) {
    return this.run(() => this.q.beginMatching(watchlist, rulesHash));
  }
  listItemsAfter(feedUrls: readonly string[], afterSeq: number, limit: number) {
    return this.run(() => this.q.listItemsAfter(feedUrls, afterSeq, limit));
  }
  listTextsAfter(feedUrls: readonly string[], afterSeq: number, limit: number, known: { has(itemId: string): boolean }) {
    return this.run(() => this.q.listTextsAfter(feedUrls, afterSeq, limit, known));
  }
  saveMatches(watchlist: string, throughSeq: number, matches: readonly StoredMatch[]) {
    return this.run(() => this.q.saveMatches(watchlist, throughSeq, matches));
  }
  listMatchedItems(watchlist: string, query: MatchedItemsQuery) {
    return this.run(() => this.q.listMatchedItems(watchlist, query));
  }
  markDelivered(watchlist: string, itemIds: readonly string[], at: string) {
    return this.run(() => this.q.markDelivered(watchlist, itemIds, at));
  }
  searchItems(filter: TextFilter | null, options: { since?: string; feedUrls?: readonly string[]; limit: number }) {
    return this.run(() => this.q.searchItems(filter === null ? null : toFts5Query(filter), options));
  }
  countRecentItems(sinceIso: string) {
    return this.run(() => this.q.countRecentItems(sinceIso));
  }
  claimPendingArticles(limit: number, lease: Lease) {
    return this.run(() => this.q.claimPendingArticles(limit, lease));
  }
  registerFeeds(feeds: readonly { url: string; label: string | null }[]) {
    return this.run(() => this.q.registerFeeds(feeds));
  }
  claimDueFeeds(feedUrls: readonly string[], limit: number, lease: Lease) {
    return this.run(() => this.q.claimDueFeeds(feedUrls, limit, lease));
  }
  releaseFeeds(owner: string, feedUrls: readonly string[]) {
    return this.run(() => this.q.releaseFeeds(owner, feedUrls));
  }
  feedSchedule(feedUrls: readonly string[], now: string) {
    return this.run(() => this.q.feedSchedule(feedUrls, now));
  }
  reserveHostSlot(host: string, delayMs: number, nowMs: number) {
    return this.run(() => this.q.reserveHostSlot(host, delayMs, nowMs));
  }
  claimHostPlace(host: string, limit: number, lease: HostLease) {
    return this.run(() => this.q.claimHostPlace(host, limit, lease));
  }
  releaseHostPlace(host: string, place: number, owner: string) {
    return this.run(() => this.q.releaseHostPlace(host, place, owner));
  }
  claimStories(watchlist: string, storyIds: readonly string[], destination?: string) {
    return this.run(() => this.q.undeliveredStories(watchlist, storyIds, destination));
  }
  /** One process per data dir (the run lock): there is nothing to let go of. */
  async releaseStories(): Promise<void> {}

  /** A transaction already is: BEGIN IMMEDIATE holds SQLite's one write lock until it ends. */
  exclusive<T>(_name: string, work: (tx: Store) => Promise<T>): Promise<T> {
    return this.transaction(work);
  }
  saveArticle(itemId: string, outcome: ArticleOutcome) {
    return this.run(() => this.q.saveArticle(itemId, outcome));
  }
  listUnclusteredItems(limit: number) {
    return this.run(() => this.q.listUnclusteredItems(limit));
  }
  findStoryCandidates(keys: StoryKeys, limit: number, held?: { has(itemId: string): boolean }) {
    return this.run(() => this.q.findStoryCandidates(keys, limit, held));
  }
  listStoryReports(from: string, to: string, limit: number) {
    return this.run(() => this.q.listStoryReports(from, to, limit));
  }
  readSignature(itemId: string) {
    return this.run(() => this.q.readSignature(itemId));
  }
  assignStory(itemId: string, storyId: string, keys: StoryKeys, signature: string, via: StoryVia | null) {
    return this.run(() => this.q.assignStory(itemId, storyId, keys, signature, via));
  }
  moveToStories(moves: readonly StoryMove[]) {
    return this.run(() => this.q.moveToStories(moves));
  }
  listStoryMembers(storyIds: readonly string[]) {
    return this.run(() => this.q.listStoryMembers(storyIds));
  }
  documentFrequencies(terms: readonly string[]) {
    return this.run(() => this.q.documentFrequencies(terms));
  }
  pruneItems(cutoffs: PruneCutoffs, limit: number, afterSeq = 0) {
    return this.run(() => this.q.archive.pruneItems(cutoffs, limit, afterSeq));
  }
  countPrunable(cutoffs: PruneCutoffs) {
    return this.run(() => this.q.archive.countPrunable(cutoffs));
  }
  expireTombstones(now: string) {
    return this.run(() => this.q.archive.expireTombstones(now));
  }
  storageSize() {
    return this.run(() => this.q.archive.storageSize());
  }
  compactStorage(mode: 'incremental' | 'full', maxPages?: number) {
    if (this.depth !== null) throw new Error('store: compactStorage() called inside a transaction (a bug)');
    return this.run(() => this.q.archive.compactStorage(mode, maxPages));
  }
  archiveStats() {
    return this.run(() => this.q.archive.archiveStats());
  }
  syncDestinations(watchlist: string, destinations: readonly string[], at: string) {
    return this.run(() => this.q.syncDestinations(watchlist, destinations, at));
  }
  markDeliveredTo(watchlist: string, destination: string, delivery: DestinationDelivery) {
    return this.run(() => this.q.markDeliveredTo(watchlist, destination, delivery));
  }
  listFeedEntries(watchlist: string, destination: string, limit: number) {
    return this.run(() => this.q.listFeedEntries(watchlist, destination, limit));
  }

  async transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    const { db } = this.q;
    if (this.depth !== null) {
      this.checkOpen();
      const name = `tx${this.depth + 1}`;
      db.exec(`SAVEPOINT ${name}`);
      const view = new SqliteStore(this.q, this.gate, this.depth + 1);
      try {
        const result = await work(view);
        db.exec(`RELEASE ${name}`);
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
        throw error;
      } finally {
        view.ended = true;
      }
    }
    await this.waitAtGate();
    // Nothing may run between the check above and taking the gate.
    let release!: () => void;
    this.gate.open = new Promise<void>((resolve) => (release = resolve));
    const view = new SqliteStore(this.q, this.gate, 0);
    try {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.gate.inside.run(this.gate, () => work(view));
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      view.ended = true;
      this.gate.open = null;
      release();
    }
  }

  async close(): Promise<void> {
    if (this.depth !== null) throw new Error('store: close() called on a transaction (a bug)');
    while (this.gate.open) await this.gate.open;
    this.q.close();
  }

  /** Runs one synchronous call: at once inside a transaction, after it from outside. */
  private async run<T>(call: () => T): Promise<T> {
    if (this.depth !== null) this.checkOpen();
    else await this.waitAtGate();
    // No await between the gate check and the call: a transaction cannot slip in between.
    return call();
  }

  private async waitAtGate(): Promise<void> {
    while (this.gate.open) {
      if (this.gate.inside.getStore() === this.gate) {
        throw new Error("store: called outside its transaction from within it (use the transaction's tx; a bug)");
      }
      await this.gate.open;
    }
  }

  private checkOpen(): void {
    if (this.ended) throw new Error("store: a transaction's tx was used after the transaction ended (a bug)");
  }
}

/** One feed's fetch as saveFetch stores it; `packed`: each item's summary and content, in turn, as packText packed them. */
interface FeedSave {
  record: FeedFetchRecord;
  items: readonly Item[];
  packed: readonly (string | Buffer)[];
  fullText?: ReadonlySet<string> | undefined;
}

/** The statements, run synchronously on the one connection. */
class SqliteQueries {
  private readonly stmt;
  private readonly storyStatements = new Map<string, Database.Statement>();
  readonly archive: SqliteArchive;

  constructor(readonly db: Database.Database) {
    this.archive = new SqliteArchive(db);
    this.stmt = preparedOnUse(db, {
      feed: `SELECT f.*, ${FEED_STATS} FROM feeds f WHERE f.url = ?`,
      feedStats: `SELECT f.*, ${FEED_STATS} FROM feeds f ORDER BY f.url`,
      upsertFeed: `INSERT INTO feeds (id, url, label, title, etag, last_modified, last_status, last_http_status, last_error, last_fetched_at, last_ok_at, ttl_minutes, next_fetch_at, last_content_at)
         VALUES (${NEXT_FEED_ID}, @url, @label, @title, @etag, @lastModified, @status, @httpStatus, @error, @fetchedAt, @okAt, @ttlMinutes, @nextFetchAt, @contentAt)
         ON CONFLICT(url) DO UPDATE SET
           label = excluded.label,
           title = coalesce(excluded.title, feeds.title),
           etag = CASE WHEN excluded.last_status = 'error' THEN feeds.etag ELSE excluded.etag END,
           last_modified = CASE WHEN excluded.last_status = 'error' THEN feeds.last_modified ELSE excluded.last_modified END,
           last_status = excluded.last_status,
           last_http_status = excluded.last_http_status,
           last_error = excluded.last_error,
           last_fetched_at = excluded.last_fetched_at,
           last_ok_at = coalesce(excluded.last_ok_at, feeds.last_ok_at),
           ttl_minutes = coalesce(excluded.ttl_minutes, feeds.ttl_minutes),
           next_fetch_at = excluded.next_fetch_at,
           last_content_at = coalesce(excluded.last_content_at, feeds.last_content_at)`,
      insertItem:
        // Only a known id is skipped; OR IGNORE would also silently drop a row breaking NOT NULL.
        `INSERT INTO items (id, feed_id, guid, link, title, published_at, author, summary, content, categories, first_seen_at, scrape_status, last_seen_day)
         VALUES (@id, (SELECT id FROM feeds WHERE url = @feedUrl), @guid, @link, @title, @publishedAt, @author, @summary, @content, @categories, @firstSeenAt, @scrapeStatus, @day)
         ON CONFLICT(id) DO NOTHING`,
      // The full-text index is contentless (the rows hold packed text): the store keeps it in step with the
      // rows, up to a watermark (see indexNewText).
      indexText: 'INSERT INTO items_fts (rowid, title, summary, content, body) VALUES (@seq, @title, @summary, @content, @body)',
      unindexText: 'DELETE FROM items_fts WHERE rowid = ?',
      indexedThrough: 'SELECT indexed_through_seq AS seq FROM items_fts_state',
      markIndexed: 'UPDATE items_fts_state SET indexed_through_seq = ?',
      lastSeq: 'SELECT max(seq) AS seq FROM items',
      unindexed: `SELECT i.seq, i.title, i.summary, i.content, coalesce(b.body, '') AS body FROM items i LEFT JOIN item_bodies b ON b.seq = i.seq
         WHERE i.seq > ? ORDER BY i.seq LIMIT ?`,
      itemText: 'SELECT seq, title, summary, content FROM items WHERE id = ?',
      // What matching reads of the items (seqs as a JSON array), and nothing else.
      texts: `SELECT i.seq, i.title, i.summary, i.content, b.body FROM items i LEFT JOIN item_bodies b ON b.seq = i.seq
         WHERE i.seq IN (SELECT value FROM json_each(?))`,
      // When the feed last carried a known item, as a day number: a tombstone's life is counted from it
      // (docs/retention.md). A number of the same width, so the row is rewritten in place, never grown.
      seenAgain: 'UPDATE items SET last_seen_day = @day WHERE id = @id AND coalesce(last_seen_day, 0) < @day',
      tombstoneSeen: 'UPDATE tombstones SET last_seen_at = max(last_seen_at, @at), gone_at = NULL WHERE id = @id',
      // A fetch that returned the feed's items without a tombstoned one starts the tombstone's countdown.
      tombstonesGone: 'UPDATE tombstones SET gone_at = @at WHERE feed_url = @feedUrl AND gone_at IS NULL AND last_seen_at < @at',
      state: 'SELECT rules_hash, matched_through_seq FROM watchlist_state WHERE watchlist = ?',
      resetState: `INSERT INTO watchlist_state (watchlist, rules_hash, matched_through_seq) VALUES (?, ?, 0)
         ON CONFLICT(watchlist) DO UPDATE SET rules_hash = excluded.rules_hash, matched_through_seq = 0`,
      dropMatches: 'DELETE FROM matches WHERE watchlist = ?',
      advance: 'UPDATE watchlist_state SET matched_through_seq = max(matched_through_seq, ?) WHERE watchlist = ?',
      insertMatch: `INSERT OR REPLACE INTO matches (watchlist, item_id, term, count, variant, field, offsets, matched_at)
         VALUES (@watchlist, @itemId, @term, @count, @variant, @field, @offsets, @matchedAt)`,
      deliver: `INSERT OR IGNORE INTO deliveries (watchlist, item_id, delivered_at, story_id)
         SELECT ?, id, ?, coalesce(story_id, id) FROM item_rows WHERE id = ?`,
      addDestination: 'INSERT OR IGNORE INTO destinations (watchlist, destination, added_at) VALUES (?, ?, ?)',
      listDestinations: 'SELECT destination FROM destinations WHERE watchlist = ?',
      dropDestination: 'DELETE FROM destinations WHERE watchlist = ? AND destination = ?',
      dropDestinationDeliveries: 'DELETE FROM destination_deliveries WHERE watchlist = ? AND destination = ?',
      dropFeedEntries: 'DELETE FROM feed_entries WHERE watchlist = ? AND destination = ?',
      deliverTo: `INSERT OR IGNORE INTO destination_deliveries (watchlist, destination, item_id, story_id, delivered_at)
         SELECT ?, ?, id, coalesce(story_id, id), ? FROM item_rows WHERE id = ?`,
      saveFeedEntry: `INSERT INTO feed_entries (watchlist, destination, story_id, delivered_at, position, story) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (watchlist, destination, story_id) DO UPDATE SET delivered_at = excluded.delivered_at, position = excluded.position, story = excluded.story`,
      feedEntries: 'SELECT story_id, story, delivered_at FROM feed_entries WHERE watchlist = ? AND destination = ? ORDER BY delivered_at DESC, position LIMIT ?',
      pruneFeedEntries: `DELETE FROM feed_entries WHERE watchlist = @watchlist AND destination = @destination AND story_id NOT IN (
           SELECT story_id FROM feed_entries WHERE watchlist = @watchlist AND destination = @destination ORDER BY delivered_at DESC, position LIMIT @keep)`,
      pending: "SELECT * FROM item_rows WHERE scrape_status = 'pending' AND (lease_until IS NULL OR lease_until <= ?) ORDER BY seq LIMIT ?",
      leaseItem: 'UPDATE items SET lease_owner = ?, lease_until = ? WHERE seq = ?',
      registerFeed: `INSERT INTO feeds (id, url, label) VALUES (${NEXT_FEED_ID}, ?, ?) ON CONFLICT(url) DO NOTHING`,
      dueFeed: 'SELECT url FROM feeds WHERE url = @url AND (next_fetch_at IS NULL OR next_fetch_at <= @now) AND (lease_until IS NULL OR lease_until <= @now)',
      leaseFeed: 'UPDATE feeds SET lease_owner = ?, lease_until = ? WHERE url = ?',
      releaseFeed: 'UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE url = ? AND lease_owner = ?',
      feedTimes: 'SELECT next_fetch_at FROM feeds WHERE url = ?',
      hostSlot: `INSERT INTO host_slots (host, next_start_ms) VALUES (@host, @now + @delay)
         ON CONFLICT(host) DO UPDATE SET next_start_ms = max(host_slots.next_start_ms, @now) + @delay
         RETURNING next_start_ms - @delay AS start_ms`,
      // One statement: two processes after the same free place cannot both get it (the loser's
      // conflict finds it held and returns nothing).
      hostPlace: `WITH RECURSIVE places(place) AS (SELECT 0 UNION ALL SELECT place + 1 FROM places WHERE place + 1 < @limit)
         INSERT INTO host_places (host, place, owner, until_ms)
         SELECT @host, place, @owner, @until FROM places
         WHERE NOT EXISTS (SELECT 1 FROM host_places h WHERE h.host = @host AND h.place = places.place AND h.until_ms > @now)
         ORDER BY place LIMIT 1
         ON CONFLICT(host, place) DO UPDATE SET owner = excluded.owner, until_ms = excluded.until_ms WHERE host_places.until_ms <= @now
         RETURNING place`,
      releaseHostPlace: 'DELETE FROM host_places WHERE host = ? AND place = ? AND owner = ?',
      delivered: 'SELECT 1 FROM deliveries WHERE watchlist = ? AND story_id = ? LIMIT 1',
      deliveredTo: 'SELECT 1 FROM destination_deliveries WHERE watchlist = ? AND destination = ? AND story_id = ? LIMIT 1',
      articleDone: "UPDATE items SET scrape_status = 'done', scrape_error = NULL, lease_owner = NULL, lease_until = NULL WHERE seq = @seq",
      saveBody: 'INSERT OR REPLACE INTO item_bodies (seq, body, article) VALUES (@seq, @body, @article)',
      saveCanonicalUrl: 'INSERT INTO item_stories (seq, canonical_url) VALUES (@seq, @canonicalUrl) ON CONFLICT (seq) DO UPDATE SET canonical_url = excluded.canonical_url',
      articleFailed: "UPDATE items SET scrape_status = 'error', scrape_error = @error, lease_owner = NULL, lease_until = NULL WHERE id = @id",
      // Only matched items need a story (see listUnclusteredItems). Driven from matches, so the
      // never-matched bulk of the archive, whose story_id stays null, is not read on every run.
      unclustered: `SELECT i.* FROM matches m CROSS JOIN item_rows i ON i.id = m.item_id
         WHERE i.story_id IS NULL AND i.scrape_status != 'pending'
         GROUP BY i.seq ORDER BY i.seq LIMIT ?`,
      assignStoryBySeq: `INSERT INTO item_stories (seq, story_id, story_via, canonical_url, title_key, reported_at)
         SELECT seq, @storyId, @via, @canonicalUrl, @titleKey, coalesce(published_at, first_seen_at) FROM items WHERE seq = @seq
         ON CONFLICT (seq) DO UPDATE SET story_id = excluded.story_id, story_via = excluded.story_via, canonical_url = excluded.canonical_url,
           title_key = excluded.title_key, reported_at = excluded.reported_at`,
      moveToStory: 'UPDATE item_stories SET story_id = @storyId, story_via = @via WHERE seq = (SELECT seq FROM items WHERE id = @id)',
      saveSignatureBySeq: 'INSERT OR REPLACE INTO item_signatures (seq, signature) VALUES (@seq, @signature)',
      itemSeq: 'SELECT seq FROM items WHERE id = ?',
      // Kept keys of delivered stories whose items are pruned count as items of their story (docs/retention.md).
      // By seq, as bands are: the kept keys of pruned stories keep their item's seq.
      byCanonicalUrl: `SELECT seq FROM (SELECT seq FROM item_stories WHERE canonical_url = @key AND story_id IS NOT NULL ORDER BY seq DESC LIMIT @cap)
         UNION ALL SELECT seq FROM (SELECT seq FROM pruned_stories WHERE canonical_url = @key LIMIT @cap)`,
      byTitleKey: `SELECT seq FROM (SELECT seq FROM item_stories WHERE title_key = @key AND story_id IS NOT NULL ORDER BY seq DESC LIMIT @cap)
         UNION ALL SELECT seq FROM (SELECT seq FROM pruned_stories WHERE title_key = @key LIMIT @cap)`,
      signature: 'SELECT s.signature FROM items i JOIN item_signatures s ON s.seq = i.seq WHERE i.id = @id UNION ALL SELECT signature FROM pruned_stories WHERE item_id = @id LIMIT 1',
      storyReports: `SELECT i.id, s.story_id, s.reported_at, g.signature FROM item_stories s JOIN items i ON i.seq = s.seq
         LEFT JOIN item_signatures g ON g.seq = s.seq
         WHERE s.reported_at BETWEEN ? AND ? AND s.story_id IS NOT NULL
         ORDER BY s.reported_at DESC LIMIT ?`,
      countItems: 'SELECT count(*) AS n FROM items',
      countMatching: 'SELECT count(*) AS n FROM items_fts WHERE items_fts MATCH ?',
    });
  }

  getFeedState(url: string): FeedState | null {
    const row = this.stmt.feed.get(url) as Row | undefined;
    return row ? toFeedState(row) : null;
  }

  listFeeds(): FeedState[] {
    return (this.stmt.feedStats.all() as Row[]).map(toFeedState);
  }

  /**
   * Several feeds in one transaction, each under a savepoint of its own: a feed that fails (a row
   * breaking a constraint) is left out whole and the others are stored. A failure after which
   * SQLite has rolled the transaction back (disk full, I/O error) fails them all.
   */
  saveFetches(saves: readonly FeedSave[]): ({ fresh: Item[] } | { error: unknown })[] {
    return this.db
      .transaction(() =>
        saves.map((save) => {
          try {
            return { fresh: this.saveFetch(save) };
          } catch (error) {
            if (!this.db.inTransaction) throw error;
            return { error };
          }
        }),
      )
      .immediate();
  }

  saveFetch({ record, items, packed, fullText = new Set() }: FeedSave): Item[] {
    return this.db
      .transaction(() => {
        this.stmt.upsertFeed.run({
          url: record.url,
          label: record.label,
          title: record.title ?? null,
          etag: record.etag ?? null,
          lastModified: record.lastModified ?? null,
          status: record.status,
          httpStatus: record.httpStatus,
          error: record.error,
          fetchedAt: record.fetchedAt,
          okAt: record.status === 'error' ? null : record.fetchedAt,
          ttlMinutes: record.ttlMinutes ?? null,
          nextFetchAt: record.nextFetchAt ?? null,
          contentAt: record.status === 'ok' ? record.fetchedAt : null,
        });
        const fresh: Item[] = [];
        const day = Math.floor(Date.parse(record.fetchedAt) / 86_400_000);
        for (const [n, item] of items.entries()) {
          // A pruned item its feed still carries is not stored again: its tombstone only notes that it was seen.
          if (this.stmt.tombstoneSeen.run({ id: item.id, at: record.fetchedAt }).changes > 0) continue;
          const info = this.stmt.insertItem.run({
            ...item,
            // Most feeds use the link as GUID: '' says "same as the link" (a parsed GUID is never empty).
            guid: item.guid !== null && item.guid === item.link ? '' : item.guid,
            summary: packed[2 * n],
            content: packed[2 * n + 1],
            categories: JSON.stringify(item.categories),
            firstSeenAt: record.fetchedAt,
            scrapeStatus: fullText.has(item.id) ? 'pending' : 'skipped',
            day,
          });
          if (info.changes > 0) fresh.push(item);
          else this.stmt.seenAgain.run({ id: item.id, day });
        }
        if (record.status === 'ok') this.stmt.tombstonesGone.run({ feedUrl: record.url, at: record.fetchedAt });
        return fresh;
      })
      .immediate();
  }

  beginMatching(watchlist: string, rulesHash: string): number {
    return this.db
      .transaction(() => {
        const row = this.stmt.state.get(watchlist) as Row | undefined;
        if (row && row['rules_hash'] === rulesHash) return Number(row['matched_through_seq']);
        // New or edited rules: what matched before may not match now, so match everything again.
        this.stmt.dropMatches.run(watchlist);
        this.stmt.resetState.run(watchlist, rulesHash);
        return 0;
      })
      .immediate();
  }

  listItemsAfter(feedUrls: readonly string[], afterSeq: number, limit: number): StoredItem[] {
    return this.rowsAfter('SELECT * FROM item_rows i', feedUrls, afterSeq, limit).map(toStoredItem);
  }

  listTextsAfter(feedUrls: readonly string[], afterSeq: number, limit: number, known: { has(itemId: string): boolean }): ItemTexts[] {
    // Ids first: the texts of known items (most of a cold run's) are neither read nor inflated.
    const items: ItemTexts[] = this.rowsAfter('SELECT i.seq, i.id FROM items i', feedUrls, afterSeq, limit).map((row) => ({ seq: Number(row['seq']), id: String(row['id']), fields: null }));
    const unknown = items.filter((item) => !known.has(item.id));
    if (unknown.length === 0) return items;
    const texts = new Map<number, Required<MatchFields>>();
    for (const row of this.stmt.texts.all(JSON.stringify(unknown.map((item) => item.seq))) as Row[]) {
      texts.set(Number(row['seq']), { title: String(row['title']), summary: unpackText(row['summary']), content: unpackText(row['content']), body: unpackText(row['body']) });
    }
    // One synchronous read: no item can go between the two statements.
    for (const item of unknown) item.fields = texts.get(item.seq)!;
    return items;
  }

  /**
   * Items of these feeds after `afterSeq` (`select` reads them as `i`), in seq order. Stops short of
   * the first item still waiting for its article page: matching it now, on its feed text alone,
   * would move the cursor past it before its body arrives.
   */
  private rowsAfter(select: string, feedUrls: readonly string[], afterSeq: number, limit: number): Row[] {
    if (feedUrls.length === 0) return [];
    const placeholders = questionMarks(feedUrls.length);
    // Items are read in seq order and stop at the page's end (`+feed_id`: not through the
    // (feed, seq) index, which gathered every later item of every feed, texts included, into
    // a sort for each page: quadratic in the items of a cold run).
    return this.db
      .prepare(
        `${select} WHERE +i.feed_id IN (SELECT id FROM feeds WHERE url IN (${placeholders})) AND i.seq > ?
           AND i.seq < coalesce((SELECT min(seq) FROM items WHERE scrape_status = 'pending' AND feed_id IN (SELECT id FROM feeds WHERE url IN (${placeholders}))), 9223372036854775807)
         ORDER BY i.seq LIMIT ?`,
      )
      .all(...feedUrls, afterSeq, ...feedUrls, limit) as Row[];
  }

  saveMatches(watchlist: string, throughSeq: number, matches: readonly StoredMatch[]): void {
    this.db
      .transaction(() => {
        for (const m of matches) {
          this.stmt.insertMatch.run({ watchlist, itemId: m.itemId, term: m.term, count: m.count, variant: m.variant, field: m.field, offsets: JSON.stringify(m.offsets), matchedAt: m.matchedAt });
        }
        this.stmt.advance.run(throughSeq, watchlist);
      })
      .immediate();
  }

  listMatchedItems(watchlist: string, query: MatchedItemsQuery): MatchedItem[] {
    const where = ['m.watchlist = ?'];
    const params: unknown[] = [watchlist];
    // A story shown once is never shown again, whichever of its items (new GUID, other outlet) comes back.
    if (query.undeliveredOnly) {
      where.push('NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.watchlist = m.watchlist AND d.story_id = coalesce(i.story_id, i.id))');
    }
    if (query.undeliveredTo !== undefined) {
      // An unknown destination has no added_at: the comparison is null and nothing is owed to it.
      where.push(
        `NOT EXISTS (SELECT 1 FROM destination_deliveries d WHERE d.watchlist = m.watchlist AND d.destination = ? AND d.story_id = coalesce(i.story_id, i.id))
         AND i.first_seen_at >= (SELECT added_at FROM destinations WHERE watchlist = m.watchlist AND destination = ?)`,
      );
      params.push(query.undeliveredTo, query.undeliveredTo);
    }
    if (query.since) {
      where.push('coalesce(i.published_at, i.first_seen_at) >= ?');
      params.push(query.since);
    }
    if (query.feedUrls) {
      where.push(`i.feed_url IN (${query.feedUrls.map(() => '?').join(',') || "''"})`);
      params.push(...query.feedUrls);
    }
    const rows = this.db
      .prepare(
        `SELECT i.*, f.label AS feed_label, f.title AS feed_title,
                m.term AS m_term, m.count AS m_count, m.variant AS m_variant, m.field AS m_field, m.offsets AS m_offsets, m.matched_at AS m_matched_at
         FROM matches m JOIN item_rows i ON i.id = m.item_id JOIN feeds f ON f.id = i.feed_id
         WHERE ${where.join(' AND ')}
         ORDER BY i.seq, m.rowid`,
      )
      .all(...params) as Row[];
    return groupMatches(rows, toStoredItem);
  }

  markDelivered(watchlist: string, itemIds: readonly string[], at: string): void {
    this.db
      .transaction(() => {
        for (const id of itemIds) this.stmt.deliver.run(watchlist, at, id);
      })
      .immediate();
  }

  searchItems(ftsQuery: string | null, options: { since?: string; feedUrls?: readonly string[]; limit: number }): StoredItem[] {
    if (ftsQuery !== null) this.indexNewText();
    const where = [ftsQuery === null ? '1' : 'items_fts MATCH ?'];
    const params: unknown[] = ftsQuery === null ? [] : [ftsQuery];
    if (options.since) {
      where.push('coalesce(i.published_at, i.first_seen_at) >= ?');
      params.push(options.since);
    }
    if (options.feedUrls) {
      where.push(`i.feed_url IN (${options.feedUrls.map(() => '?').join(',') || "''"})`);
      params.push(...options.feedUrls);
    }
    try {
      const rows = this.db
        .prepare(
          `SELECT i.* FROM ${ftsQuery === null ? 'item_rows i' : 'items_fts JOIN item_rows i ON i.seq = items_fts.rowid'}
           WHERE ${where.join(' AND ')}
           ORDER BY coalesce(i.published_at, i.first_seen_at) DESC LIMIT ?`,
        )
        .all(...params, options.limit) as Row[];
      return rows.map(toStoredItem);
    } catch (error) {
      throw new RunError(`store: search failed for ${JSON.stringify(ftsQuery)}: ${(error as Error).message}`);
    }
  }

  countRecentItems(sinceIso: string): Map<string, number> {
    const rows = this.db.prepare('SELECT f.url AS feed_url, count(*) AS n FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.first_seen_at >= ? GROUP BY f.url').all(sinceIso) as Row[];
    return new Map(rows.map((r) => [String(r['feed_url']), Number(r['n'])]));
  }

  claimPendingArticles(limit: number, lease: Lease): StoredItem[] {
    return this.db
      .transaction(() => {
        const items = (this.stmt.pending.all(lease.now, limit) as Row[]).map(toStoredItem);
        for (const item of items) this.stmt.leaseItem.run(lease.owner, lease.until, item.seq);
        return items;
      })
      .immediate();
  }

  registerFeeds(feeds: readonly { url: string; label: string | null }[]): void {
    this.db
      .transaction(() => {
        for (const feed of feeds) this.stmt.registerFeed.run(feed.url, feed.label);
      })
      .immediate();
  }

  claimDueFeeds(feedUrls: readonly string[], limit: number, lease: Lease): string[] {
    return this.db
      .transaction(() => {
        const claimed: string[] = [];
        for (const url of feedUrls) {
          if (claimed.length >= limit) break;
          if (!this.stmt.dueFeed.get({ url, now: lease.now })) continue;
          this.stmt.leaseFeed.run(lease.owner, lease.until, url);
          claimed.push(url);
        }
        return claimed;
      })
      .immediate();
  }

  releaseFeeds(owner: string, feedUrls: readonly string[]): void {
    this.db
      .transaction(() => {
        for (const url of feedUrls) this.stmt.releaseFeed.run(url, owner);
      })
      .immediate();
  }

  feedSchedule(feedUrls: readonly string[], now: string): { due: number; nextDueAt: string | null } {
    let due = 0;
    let nextDueAt: string | null = null;
    for (const url of feedUrls) {
      const next = (this.stmt.feedTimes.get(url) as Row | undefined)?.['next_fetch_at'] as string | null | undefined;
      if (!next || next <= now) due++;
      else if (nextDueAt === null || next < nextDueAt) nextDueAt = next;
    }
    return { due, nextDueAt };
  }

  reserveHostSlot(host: string, delayMs: number, nowMs: number): number {
    return Number((this.stmt.hostSlot.get({ host, now: Math.round(nowMs), delay: Math.round(delayMs) }) as Row)['start_ms']);
  }

  claimHostPlace(host: string, limit: number, lease: HostLease): number | null {
    const row = this.stmt.hostPlace.get({ host, limit: Math.max(1, Math.floor(limit)), owner: lease.owner, now: Math.round(lease.nowMs), until: Math.round(lease.untilMs) }) as Row | undefined;
    return row ? Number(row['place']) : null;
  }

  releaseHostPlace(host: string, place: number, owner: string): void {
    this.stmt.releaseHostPlace.run(host, place, owner);
  }

  undeliveredStories(watchlist: string, storyIds: readonly string[], destination?: string): string[] {
    if (destination === undefined) return storyIds.filter((id) => !this.stmt.delivered.get(watchlist, id));
    return storyIds.filter((id) => !this.stmt.deliveredTo.get(watchlist, destination, id));
  }

  saveArticle(itemId: string, outcome: ArticleOutcome): void {
    if (outcome.status === 'done') {
      const work = () => {
        const row = this.stmt.itemText.get(itemId) as Row | undefined;
        if (!row) return;
        this.stmt.articleDone.run({ seq: row['seq'] });
        this.stmt.saveBody.run({ seq: row['seq'], body: packText(outcome.body), article: JSON.stringify(outcome.article) });
        if (outcome.canonicalUrl !== null) this.stmt.saveCanonicalUrl.run({ seq: row['seq'], canonicalUrl: outcome.canonicalUrl });
        // An item not indexed yet is indexed with its page when the index is next read.
        if (Number(row['seq']) > this.indexedThrough()) return;
        this.stmt.unindexText.run(row['seq']);
        this.stmt.indexText.run({ seq: row['seq'], title: row['title'], summary: unpackText(row['summary']), content: unpackText(row['content']), body: outcome.body });
      };
      if (this.db.inTransaction) work();
      else this.db.transaction(work).immediate();
    } else {
      this.stmt.articleFailed.run({ id: itemId, error: outcome.error });
    }
  }

  listUnclusteredItems(limit: number): StoredItem[] {
    return (this.stmt.unclustered.all(limit) as Row[]).map(toStoredItem);
  }

  findStoryCandidates(keys: StoryKeys, limit: number, held?: { has(itemId: string): boolean }): StoryCandidate[] {
    // Rank by evidence: a canonical URL outweighs a title, a title outweighs bands, and
    // an item sharing more bands is likelier the same text. Each look-up is capped, so a
    // band that boilerplate has filled with thousands of items costs no more than another.
    // Seqs come plucked (numbers, not a row object each: an item's bands return hundreds).
    const weight = new Map<number, number>();
    const add = (seq: number, w: number) => weight.set(seq, (weight.get(seq) ?? 0) + w);
    if (keys.canonicalUrl) for (const seq of this.stmt.byCanonicalUrl.pluck().all({ key: keys.canonicalUrl, cap: KEY_BUCKET_CAP }) as number[]) add(seq, 10_000);
    if (keys.titleKey) for (const seq of this.stmt.byTitleKey.pluck().all({ key: titleKeyDigest(keys.titleKey), cap: KEY_BUCKET_CAP }) as number[]) add(seq, 1_000);
    if (keys.bandKeys.length > 0) {
      const bands = this.storyStatement('bandSeqs', keys.bandKeys.length).pluck();
      for (const seq of bands.all(...keys.bandKeys) as number[]) add(seq, 1);
    }
    const ranked = [...weight.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
    if (ranked.length === 0) return [];
    // The ranked candidates' stories in one read, pruned stories for the seqs items no longer have.
    const seqs = ranked.map(([seq]) => seq);
    const stories = new Map<number, Row>();
    for (const row of this.storyStatement('candidateStories', seqs.length).all(...seqs) as Row[]) stories.set(Number(row['seq']), row);
    const pruned = seqs.filter((seq) => !stories.has(seq));
    if (pruned.length > 0) for (const row of this.storyStatement('prunedCandidateStories', pruned.length).all(...pruned) as Row[]) if (!stories.has(Number(row['seq']))) stories.set(Number(row['seq']), row);
    return seqs.flatMap((seq) => {
      const row = stories.get(seq);
      if (!row) return [];
      const itemId = String(row['item_id']);
      // A signature is a second read and an inflate: not for one the caller holds.
      return [{ itemId, storyId: String(row['story_id']), signature: held?.has(itemId) ? null : this.readSignature(itemId) }];
    });
  }

  /** The story statements that take `count` values (seqs, or an item's bands), prepared once per count. */
  private storyStatement(name: keyof typeof STORY_STATEMENTS, count: number): Database.Statement {
    const key = `${name}:${count}`;
    let statement = this.storyStatements.get(key);
    if (!statement) {
      statement = this.db.prepare(STORY_STATEMENTS[name](count));
      this.storyStatements.set(key, statement);
    }
    return statement;
  }

  listStoryReports(from: string, to: string, limit: number): StoryReport[] {
    return (this.stmt.storyReports.all(from, to, limit) as Row[]).map((row) => ({
      itemId: String(row['id']),
      storyId: String(row['story_id']),
      reportedAt: String(row['reported_at']),
      signature: unpackSignature(row['signature']),
    }));
  }

  readSignature(itemId: string): string | null {
    const row = this.stmt.signature.get({ id: itemId }) as Row | undefined;
    return unpackSignature(row?.['signature']);
  }

  assignStory(itemId: string, storyId: string, keys: StoryKeys, signature: string, via: StoryVia | null): void {
    const work = () => {
      // The item's seq once, then every write by it; its bands in one statement.
      const seq = (this.stmt.itemSeq.get(itemId) as Row | undefined)?.['seq'];
      if (seq === undefined) return;
      this.stmt.assignStoryBySeq.run({ seq, storyId, via, canonicalUrl: keys.canonicalUrl, titleKey: keys.titleKey === null ? null : titleKeyDigest(keys.titleKey) });
      this.stmt.saveSignatureBySeq.run({ seq, signature: packSignature(signature) });
      if (keys.bandKeys.length > 0) this.storyStatement('insertBands', keys.bandKeys.length).run(...keys.bandKeys.flatMap((band) => [band, seq]));
    };
    // Inside a caller's batch the batch is the unit; a savepoint per item would only cost time.
    if (this.db.inTransaction) work();
    else this.db.transaction(work).immediate();
  }

  moveToStories(moves: readonly StoryMove[]): void {
    // One prepared statement run per move inside one transaction: no round trips to save in SQLite.
    const work = () => {
      for (const m of moves) this.stmt.moveToStory.run({ id: m.itemId, storyId: m.storyId, via: m.via });
    };
    if (this.db.inTransaction) work();
    else this.db.transaction(work).immediate();
  }

  listStoryMembers(storyIds: readonly string[]): { item: StoredItem; feedLabel: string | null; feedTitle: string | null }[] {
    const out: { item: StoredItem; feedLabel: string | null; feedTitle: string | null }[] = [];
    // SQLite caps the number of parameters: ask in slices.
    for (let i = 0; i < storyIds.length; i += 500) {
      const slice = storyIds.slice(i, i + 500);
      const rows = this.db
        .prepare(
          `SELECT i.*, f.label AS feed_label, f.title AS feed_title FROM item_rows i JOIN feeds f ON f.id = i.feed_id
           WHERE i.story_id IN (${questionMarks(slice.length)}) ORDER BY i.seq`,
        )
        .all(...slice) as Row[];
      for (const row of rows) out.push({ item: toStoredItem(row), feedLabel: (row['feed_label'] as string | null) ?? null, feedTitle: (row['feed_title'] as string | null) ?? null });
    }
    return out;
  }

  documentFrequencies(terms: readonly string[]): { documentCount: number; df: Map<string, number> } {
    this.indexNewText();
    const documentCount = Number((this.stmt.countItems.get() as Row)['n']);
    const df = new Map<string, number>();
    for (const term of terms) {
      const filter = wordsFilter(term);
      if (filter !== null) df.set(term, Number((this.stmt.countMatching.get(toFts5Query(filter)) as Row)['n']));
    }
    return { documentCount, df };
  }

  /**
   * Indexes the items stored since the index was last read, in one transaction with the watermark:
   * items are not indexed as they are stored (a segment per commit, and the merges that follow, cost
   * more than one bulk write, and most runs never read the index), so each reader calls this first.
   */
  private indexNewText(): void {
    if (Number((this.stmt.lastSeq.get() as Row)['seq'] ?? 0) <= this.indexedThrough()) return;
    this.db
      .transaction(() => {
        // Read again under the write lock: another process may have indexed them meanwhile.
        let through = this.indexedThrough();
        for (;;) {
          const rows = this.stmt.unindexed.all(through, INDEX_PAGE) as Row[];
          for (const row of rows) {
            this.stmt.indexText.run({ seq: row['seq'], title: row['title'], summary: unpackText(row['summary']), content: unpackText(row['content']), body: unpackText(row['body']) });
          }
          if (rows.length === 0) break;
          through = Number(rows[rows.length - 1]!['seq']);
        }
        this.stmt.markIndexed.run(through);
      })
      .immediate();
  }

  private indexedThrough(): number {
    return Number((this.stmt.indexedThrough.get() as Row)['seq']);
  }

  syncDestinations(watchlist: string, destinations: readonly string[], at: string): void {
    this.db
      .transaction(() => {
        const listed = new Set(destinations);
        for (const row of this.stmt.listDestinations.all(watchlist) as Row[]) {
          const destination = String(row['destination']);
          if (listed.has(destination)) continue;
          // Removed from the watchlist: added again later, it starts afresh rather than with a backlog.
          this.stmt.dropDestination.run(watchlist, destination);
          this.stmt.dropDestinationDeliveries.run(watchlist, destination);
          this.stmt.dropFeedEntries.run(watchlist, destination);
        }
        for (const destination of listed) this.stmt.addDestination.run(watchlist, destination, at);
      })
      .immediate();
  }

  markDeliveredTo(watchlist: string, destination: string, delivery: DestinationDelivery): void {
    this.db
      .transaction(() => {
        for (const id of delivery.itemIds) this.stmt.deliverTo.run(watchlist, destination, delivery.at, id);
        if (!delivery.feed) return;
        delivery.feed.entries.forEach((entry, position) => {
          this.stmt.saveFeedEntry.run(watchlist, destination, entry.storyId, entry.deliveredAt, position, entry.story);
        });
        this.stmt.pruneFeedEntries.run({ watchlist, destination, keep: delivery.feed.keep });
      })
      .immediate();
  }

  listFeedEntries(watchlist: string, destination: string, limit: number): FeedEntryRecord[] {
    return (this.stmt.feedEntries.all(watchlist, destination, limit) as Row[]).map((row) => ({
      storyId: String(row['story_id']),
      story: String(row['story']),
      deliveredAt: String(row['delivered_at']),
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toStoredItem(row: Row): StoredItem {
  return {
    seq: Number(row['seq']),
    id: String(row['id']),
    feedUrl: String(row['feed_url']),
    guid: row['guid'] === '' ? ((row['link'] as string | null) ?? null) : ((row['guid'] as string | null) ?? null),
    link: (row['link'] as string | null) ?? null,
    title: String(row['title']),
    publishedAt: (row['published_at'] as string | null) ?? null,
    author: (row['author'] as string | null) ?? null,
    summary: unpackText(row['summary']),
    content: unpackText(row['content']),
    categories: JSON.parse(String(row['categories'])) as string[],
    firstSeenAt: String(row['first_seen_at']),
    body: unpackText(row['body']),
    canonicalUrl: (row['canonical_url'] as string | null) ?? null,
    storyId: (row['story_id'] as string | null) ?? null,
    storyVia: (row['story_via'] as StoryVia | null) ?? null,
  };
}
