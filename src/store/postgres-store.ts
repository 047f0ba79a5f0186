import pg from 'pg';
import { RunError, StoreError } from '../errors.js';
import type { Item } from '../feed/item.js';
import { describeDatabaseUrl } from './database-url.js';
import { PostgresArchive } from './postgres-archive.js';
import { dayNumber } from './retention-rules.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { FEED_STATS, groupMatches, toFeedState, toStoredItem, type Row } from './rows.js';
import type {
  ArchiveStats,
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
  PruneBatch,
  PruneCounts,
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
import { wordsFilter, type TextFilter } from './text-filter.js';

/** Items read per canonical URL or title key, newest first, when looking for a story (as in SQLite). */
const KEY_BUCKET_CAP = 8;
/** Items read per LSH band (as in SQLite). */
const BAND_BUCKET_CAP = 32;

/** Advisory lock keys (pg_advisory_xact_lock(hashtext(...))), scoped to the schema where it matters. */
const MIGRATION_LOCK = 'presswatch:migrate';
const ITEMS_LOCK = 'presswatch:items';

type Queryable = pg.Pool | pg.PoolClient;

/** A 64-bit advisory lock key for a name (SQL for the parameter `param`), scoped to the schema. */
const LOCK_KEY = (param: string) => `('x' || substr(md5(current_schema() || ':' || ${param}), 1, 16))::bit(64)::bigint`;

/**
 * The stories a digest holds (for stdout, or for one destination), as session advisory
 * locks on a connection of their own: taken atomically per story (pg_try_advisory_lock:
 * of two runs asking at once, one gets it), held until delivered or let go, and gone
 * with the connection when the process dies (kill -9 loses nothing: the next digest
 * shows them).
 */
class StoryClaims {
  private client: Promise<pg.Client> | null = null;
  /** Statements on the connection one after the other (destinations are delivered at once). */
  private queue: Promise<unknown> = Promise.resolve();
  /** Held stories, by lock name. */
  private readonly held = new Set<string>();

  constructor(private readonly url: string) {}

  /** The lock of a story of a watchlist, for stdout or one destination (names hold no newline). */
  private static lockName(watchlist: string, storyId: string, destination: string | undefined): string {
    return destination === undefined ? `${watchlist}\n${storyId}` : `${watchlist}\n${storyId}\n${destination}`;
  }

  async claim(watchlist: string, storyIds: readonly string[], destination?: string): Promise<string[]> {
    const name = (id: string) => StoryClaims.lockName(watchlist, id, destination);
    const fresh = [...new Set(storyIds)].filter((id) => !this.held.has(name(id)));
    if (fresh.length > 0) {
      const got = (
        await this.query(`SELECT id FROM unnest($1::text[]) AS id WHERE pg_try_advisory_lock(${LOCK_KEY('$2 || id || $3')})`, [fresh, `${watchlist}\n`, destination === undefined ? '' : `\n${destination}`])
      ).map((r) => String(r['id']));
      for (const id of got) this.held.add(name(id));
      // Delivered by another run between its listing and our lock: not ours to show.
      const delivered =
        destination === undefined
          ? await this.query('SELECT DISTINCT story_id FROM deliveries WHERE watchlist = $1 AND story_id = ANY($2::text[])', [watchlist, got])
          : await this.query('SELECT DISTINCT story_id FROM destination_deliveries WHERE watchlist = $1 AND destination = $2 AND story_id = ANY($3::text[])', [watchlist, destination, got]);
      await this.release(
        watchlist,
        delivered.map((r) => String(r['story_id'])),
        destination,
      );
    }
    return storyIds.filter((id) => this.held.has(name(id)));
  }

  async release(watchlist: string, storyIds: readonly string[], destination?: string): Promise<void> {
    const ids = [...new Set(storyIds)].filter((id) => this.held.delete(StoryClaims.lockName(watchlist, id, destination)));
    if (ids.length === 0) return;
    await this.query(`SELECT pg_advisory_unlock(${LOCK_KEY('$2 || id || $3')}) FROM unnest($1::text[]) AS id`, [ids, `${watchlist}\n`, destination === undefined ? '' : `\n${destination}`]);
  }

  async releaseAll(): Promise<void> {
    if (this.held.size === 0) return;
    this.held.clear();
    await this.query('SELECT pg_advisory_unlock_all()', []);
  }

  async close(): Promise<void> {
    this.held.clear();
    const client = this.client;
    this.client = null;
    if (client) await (await client).end().catch(() => {});
  }

  private query(sql: string, params: unknown[]): Promise<Row[]> {
    const run = this.queue.then(async () => (await (await this.connection()).query(sql, text(params)).catch(storeError)).rows as Row[]);
    this.queue = run.catch(() => {});
    return run;
  }

  private connection(): Promise<pg.Client> {
    this.client ??= (async () => {
      const client = new pg.Client({ connectionString: this.url });
      client.on('error', () => {});
      await client.connect().catch(storeError);
      return client;
    })();
    return this.client;
  }
}

/**
 * Connects to the PostgreSQL database at `url`, creating and migrating the
 * schema as needed (tables go to the connection's first schema on search_path).
 */
export async function openPostgresStore(url: string, options: { maxConnections?: number } = {}): Promise<Store> {
  const shown = describeDatabaseUrl(url);
  const pool = new pg.Pool({ connectionString: withSessionSettings(url), max: options.maxConnections ?? 4, connectionTimeoutMillis: 10_000 });
  // An idle client losing its server (a restart) must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    await migrate(pool, shown);
  } catch (error) {
    await pool.end().catch(() => {});
    if (error instanceof RunError) throw error;
    throw new RunError(`store: cannot open database ${shown}: ${(error as Error).message}`);
  }
  return new PostgresStore(pool, pool, null, new StoryClaims(url));
}

/**
 * The URL with presswatch's session settings added to the startup options it may already carry
 * (a search_path): set when the connection opens, with no statement of their own.
 *
 * The durability of the SQLite store (WAL, synchronous=NORMAL): a commit does not wait for its
 * fsync, so a crash of the server (not of presswatch) may lose the last instant of commits, never
 * consistency. What is lost is redone: a fetch is fetched again, a story shown again.
 */
function withSessionSettings(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RunError(`store: cannot open database ${describeDatabaseUrl(url)}: not a valid URL`);
  }
  const options = parsed.searchParams.get('options');
  parsed.searchParams.set('options', `${options ? `${options} ` : ''}-c synchronous_commit=off`);
  return parsed.toString();
}

async function migrate(pool: pg.Pool, shown: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Database-wide: CREATE EXTENSION is per database, whichever schema asks.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS presswatch_schema (version INTEGER NOT NULL)');
    const row = (await client.query('SELECT version FROM presswatch_schema')).rows[0] as Row | undefined;
    const version = row ? Number(row['version']) : 0;
    if (version > POSTGRES_MIGRATIONS.length) {
      throw new RunError(`store: ${shown} was written by a newer presswatch (schema ${version}, this one knows ${POSTGRES_MIGRATIONS.length}); upgrade presswatch or use another --database`);
    }
    if (version < POSTGRES_MIGRATIONS.length) {
      const unaccent = await unaccentDictionary(client);
      for (let v = version; v < POSTGRES_MIGRATIONS.length; v++) await client.query(POSTGRES_MIGRATIONS[v]!.replaceAll('{unaccent}', unaccent));
      if (row) await client.query('UPDATE presswatch_schema SET version = $1', [POSTGRES_MIGRATIONS.length]);
      else await client.query('INSERT INTO presswatch_schema (version) VALUES ($1)', [POSTGRES_MIGRATIONS.length]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The unaccent dictionary, qualified by the schema its extension lives in. The
 * extension is created in `public` when missing, never in presswatch's own
 * schema: dropping that schema must not take other schemas' search with it.
 */
async function unaccentDictionary(client: pg.PoolClient): Promise<string> {
  const find = async () => (await client.query("SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'unaccent'")).rows[0] as Row | undefined;
  let found = await find();
  if (!found) {
    try {
      await client.query('SAVEPOINT unaccent');
      await client.query('CREATE EXTENSION unaccent SCHEMA public');
      await client.query('RELEASE unaccent');
    } catch (error) {
      await client.query('ROLLBACK TO unaccent');
      throw new RunError(`store: PostgreSQL's unaccent extension is needed and could not be created (${(error as Error).message}); ask an administrator to run CREATE EXTENSION unaccent SCHEMA public in this database`);
    }
    found = await find();
  }
  return `${String(found!['schema'])}.unaccent`;
}

/**
 * The store on PostgreSQL: any number of processes on any number of machines
 * share it. Calls on the store itself take a pooled connection each; a
 * transaction holds one connection, and its `tx` view runs on it.
 */
class PostgresStore implements Store {
  constructor(
    private readonly pool: pg.Pool,
    private readonly db: Queryable,
    /** Null for the store itself; the nesting depth for a transaction's view. */
    private readonly depth: number | null,
    private readonly claims: StoryClaims,
  ) {}

  /** Set on a transaction's view once the transaction is over. */
  private ended = false;

  async getFeedState(url: string): Promise<FeedState | null> {
    const row = (await this.query(`SELECT f.*, ${FEED_STATS} FROM feeds f WHERE f.url = $1`, [url]))[0];
    return row ? toFeedState(row) : null;
  }

  async listFeeds(): Promise<FeedState[]> {
    return (await this.query(`SELECT f.*, ${FEED_STATS} FROM feeds f ORDER BY f.url COLLATE "C"`)).map(toFeedState);
  }

  saveFetch(record: FeedFetchRecord, items: readonly Item[], fullText: ReadonlySet<string> = new Set()): Promise<Item[]> {
    return this.atomic(async (c) => {
      // Items commit in the order of their seq (the matching cursor relies on it): one writer of items at a time.
      if (items.length > 0) await c.query('SELECT pg_advisory_xact_lock(hashtext(current_schema() || $1))', [ITEMS_LOCK]);
      await c.query(
        `INSERT INTO feeds (url, label, title, etag, last_modified, last_status, last_http_status, last_error, last_fetched_at, last_ok_at, ttl_minutes, next_fetch_at, last_content_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (url) DO UPDATE SET
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
        text([
          record.url,
          record.label,
          record.title ?? null,
          record.etag ?? null,
          record.lastModified ?? null,
          record.status,
          record.httpStatus,
          record.error,
          record.fetchedAt,
          record.status === 'error' ? null : record.fetchedAt,
          record.ttlMinutes ?? null,
          record.nextFetchAt ?? null,
          record.status === 'ok' ? record.fetchedAt : null,
        ]),
      );
      const fresh = await this.storeItems(c, record, items, fullText);
      // A fetch that returned the feed's items without a tombstoned one starts the tombstone's countdown (docs/retention.md).
      if (record.status === 'ok') {
        await c.query('UPDATE tombstones SET gone_at = $2 WHERE feed_url = $1 AND gone_at IS NULL AND last_seen_at < $2', text([record.url, record.fetchedAt]));
      }
      return fresh;
    });
  }

  private async storeItems(c: Queryable, record: FeedFetchRecord, all: readonly Item[], fullText: ReadonlySet<string>): Promise<Item[]> {
    if (all.length === 0) return [];
    // A pruned item its feed still carries is not stored again: its tombstone only notes that it was seen.
    const seen = await c.query('UPDATE tombstones SET last_seen_at = greatest(last_seen_at, $2), gone_at = NULL WHERE id = ANY($1::text[]) RETURNING id', text([all.map((i) => i.id), record.fetchedAt]));
    const tombstoned = new Set(seen.rows.map((r: Row) => String(r['id'])));
    const items = all.filter((item) => !tombstoned.has(item.id));
    if (items.length === 0) return [];
    const column = <K extends keyof Item>(key: K) => items.map((item) => item[key]);
    const inserted = await c.query(
      `INSERT INTO items (id, feed_url, guid, link, title, published_at, author, summary, content, categories, first_seen_at, scrape_status)
       SELECT id, feed_url, guid, link, title, published_at, author, summary, content, categories, $11, scrape_status
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $12::text[])
         WITH ORDINALITY AS t(id, feed_url, guid, link, title, published_at, author, summary, content, categories, scrape_status, n)
       ORDER BY n
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      text([
        column('id'),
        column('feedUrl'),
        column('guid'),
        column('link'),
        column('title'),
        column('publishedAt'),
        column('author'),
        column('summary'),
        column('content'),
        items.map((item) => JSON.stringify(item.categories)),
        record.fetchedAt,
        items.map((item) => (fullText.has(item.id) ? 'pending' : 'skipped')),
      ]),
    );
    const fresh = new Set(inserted.rows.map((r: Row) => String(r['id'])));
    // When the feed last carried a known item, as a day number: a tombstone's life is counted from it.
    const known = items.filter((item) => !fresh.has(item.id)).map((item) => item.id);
    if (known.length > 0) {
      await c.query('UPDATE items SET last_seen_day = $2 WHERE id = ANY($1::text[]) AND coalesce(last_seen_day, 0) < $2', text([known, dayNumber(record.fetchedAt)]));
    }
    // A feed that repeats an id within one document: the first copy is the one stored.
    return items.filter((item) => fresh.delete(item.id));
  }

  beginMatching(watchlist: string, rulesHash: string): Promise<number> {
    return this.atomic(async (c) => {
      const row = (await c.query('SELECT rules_hash, matched_through_seq FROM watchlist_state WHERE watchlist = $1 FOR UPDATE', [watchlist])).rows[0] as Row | undefined;
      if (row && row['rules_hash'] === rulesHash) return Number(row['matched_through_seq']);
      // New or edited rules: what matched before may not match now, so match everything again.
      await c.query('DELETE FROM matches WHERE watchlist = $1', [watchlist]);
      await c.query(
        `INSERT INTO watchlist_state (watchlist, rules_hash, matched_through_seq) VALUES ($1, $2, 0)
         ON CONFLICT (watchlist) DO UPDATE SET rules_hash = excluded.rules_hash, matched_through_seq = 0`,
        [watchlist, rulesHash],
      );
      return 0;
    });
  }

  async listItemsAfter(feedUrls: readonly string[], afterSeq: number, limit: number): Promise<StoredItem[]> {
    return (await this.rowsAfter('*', feedUrls, afterSeq, limit)).map(toStoredItem);
  }

  async listTextsAfter(feedUrls: readonly string[], afterSeq: number, limit: number, known: { has(itemId: string): boolean }): Promise<ItemTexts[]> {
    // Ids first: the texts of known items (most of a cold run's) are not read (see the SQLite store).
    const items: ItemTexts[] = (await this.rowsAfter('seq, id', feedUrls, afterSeq, limit)).map((row) => ({ seq: Number(row['seq']), id: String(row['id']), fields: null }));
    const unknown = items.filter((item) => !known.has(item.id));
    if (unknown.length === 0) return items;
    const rows = await this.query('SELECT seq, title, summary, content, body FROM items WHERE seq = ANY($1::bigint[])', [unknown.map((item) => item.seq)]);
    const texts = new Map(rows.map((row) => [Number(row['seq']), { title: String(row['title']), summary: String(row['summary']), content: String(row['content']), body: String(row['body']) }]));
    for (const item of unknown) item.fields = texts.get(item.seq) ?? null;
    // An item pruned by another process between the two reads is gone: not matched.
    return items.filter((item) => item.fields !== null || known.has(item.id));
  }

  /** Items of these feeds after `afterSeq`, in seq order, short of the first one waiting for its article page (see the SQLite store). */
  private rowsAfter(columns: string, feedUrls: readonly string[], afterSeq: number, limit: number): Promise<Row[]> {
    if (feedUrls.length === 0) return Promise.resolve([]);
    return this.query(
      `SELECT ${columns} FROM items WHERE feed_url = ANY($1::text[]) AND seq > $2
         AND seq < coalesce((SELECT min(seq) FROM items WHERE scrape_status = 'pending' AND feed_url = ANY($1::text[])), 9223372036854775807)
       ORDER BY seq LIMIT $3`,
      [feedUrls, afterSeq, limit],
    );
  }

  saveMatches(watchlist: string, throughSeq: number, matches: readonly StoredMatch[]): Promise<void> {
    return this.atomic(async (c) => {
      if (matches.length > 0) {
        await c.query(
          `INSERT INTO matches (watchlist, item_id, term, count, variant, field, offsets, matched_at)
           SELECT $1, item_id, term, count, variant, field, offsets, matched_at
           FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY
             AS t(item_id, term, count, variant, field, offsets, matched_at, n)
           ORDER BY n
           ON CONFLICT (watchlist, item_id, term) DO UPDATE SET
             count = excluded.count, variant = excluded.variant, field = excluded.field, offsets = excluded.offsets, matched_at = excluded.matched_at`,
          text([
            watchlist,
            matches.map((m) => m.itemId),
            matches.map((m) => m.term),
            matches.map((m) => m.count),
            matches.map((m) => m.variant),
            matches.map((m) => m.field),
            matches.map((m) => JSON.stringify(m.offsets)),
            matches.map((m) => m.matchedAt),
          ]),
        );
      }
      await c.query('UPDATE watchlist_state SET matched_through_seq = greatest(matched_through_seq, $1) WHERE watchlist = $2', [throughSeq, watchlist]);
    });
  }

  async listMatchedItems(watchlist: string, query: MatchedItemsQuery): Promise<MatchedItem[]> {
    const where = ['m.watchlist = $1'];
    const params: unknown[] = [watchlist];
    if (query.undeliveredOnly) {
      where.push('NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.watchlist = m.watchlist AND d.story_id = coalesce(i.story_id, i.id))');
    }
    if (query.undeliveredTo !== undefined) {
      // An unknown destination has no added_at: the comparison is null and nothing is owed to it.
      params.push(query.undeliveredTo);
      where.push(
        `NOT EXISTS (SELECT 1 FROM destination_deliveries d WHERE d.watchlist = m.watchlist AND d.destination = $${params.length} AND d.story_id = coalesce(i.story_id, i.id))
         AND i.first_seen_at >= (SELECT added_at FROM destinations WHERE watchlist = m.watchlist AND destination = $${params.length})`,
      );
    }
    if (query.since) {
      params.push(query.since);
      where.push(`coalesce(i.published_at, i.first_seen_at) >= $${params.length}`);
    }
    if (query.feedUrls) {
      params.push(query.feedUrls);
      where.push(`i.feed_url = ANY($${params.length}::text[])`);
    }
    const rows = await this.query(
      `SELECT i.*, f.label AS feed_label, f.title AS feed_title,
              m.term AS m_term, m.count AS m_count, m.variant AS m_variant, m.field AS m_field, m.offsets AS m_offsets, m.matched_at AS m_matched_at
       FROM matches m JOIN items i ON i.id = m.item_id JOIN feeds f ON f.url = i.feed_url
       WHERE ${where.join(' AND ')}
       ORDER BY i.seq, m.ord`,
      params,
    );
    return groupMatches(rows);
  }

  async markDelivered(watchlist: string, itemIds: readonly string[], at: string): Promise<void> {
    if (itemIds.length === 0) return;
    await this.query(
      `INSERT INTO deliveries (watchlist, item_id, delivered_at, story_id)
       SELECT $1, id, $2, coalesce(story_id, id) FROM items WHERE id = ANY($3::text[])
       ON CONFLICT DO NOTHING`,
      [watchlist, at, itemIds],
    );
    // Delivered (committed) first, then let go: a digest waiting for these stories now sees them delivered.
    await this.claims.release(watchlist, await this.storiesOf(itemIds));
  }

  /** The stories of these items (an item not yet in a story is a story of its own). */
  private async storiesOf(itemIds: readonly string[]): Promise<string[]> {
    if (itemIds.length === 0) return [];
    return (await this.query('SELECT DISTINCT coalesce(story_id, id) AS story FROM items WHERE id = ANY($1::text[])', [itemIds])).map((r) => String(r['story']));
  }

  async searchItems(filter: TextFilter | null, options: { since?: string; feedUrls?: readonly string[]; limit: number }): Promise<StoredItem[]> {
    const params: unknown[] = [];
    const where = [filter === null ? 'true' : `i.search @@ ${tsquery(filter, params)}`];
    if (options.since) {
      params.push(options.since);
      where.push(`coalesce(i.published_at, i.first_seen_at) >= $${params.length}`);
    }
    if (options.feedUrls) {
      params.push(options.feedUrls);
      where.push(`i.feed_url = ANY($${params.length}::text[])`);
    }
    params.push(options.limit);
    const rows = await this.query(
      `SELECT i.* FROM items i WHERE ${where.join(' AND ')}
       ORDER BY coalesce(i.published_at, i.first_seen_at) DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toStoredItem);
  }

  async countRecentItems(sinceIso: string): Promise<Map<string, number>> {
    const rows = await this.query('SELECT feed_url, count(*) AS n FROM items WHERE first_seen_at >= $1 GROUP BY feed_url', [sinceIso]);
    return new Map(rows.map((r) => [String(r['feed_url']), Number(r['n'])]));
  }

  async claimPendingArticles(limit: number, lease: Lease): Promise<StoredItem[]> {
    const rows = await this.query(
      `UPDATE items SET lease_owner = $1, lease_until = $2
       WHERE seq IN (SELECT seq FROM items WHERE scrape_status = 'pending' AND (lease_until IS NULL OR lease_until <= $3)
                     ORDER BY seq LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [lease.owner, lease.until, lease.now, limit],
    );
    return rows.map(toStoredItem).sort((a, b) => a.seq - b.seq);
  }

  async registerFeeds(feeds: readonly { url: string; label: string | null }[]): Promise<void> {
    if (feeds.length === 0) return;
    await this.query('INSERT INTO feeds (url, label) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (url) DO NOTHING', [feeds.map((f) => f.url), feeds.map((f) => f.label)]);
  }

  async claimDueFeeds(feedUrls: readonly string[], limit: number, lease: Lease): Promise<string[]> {
    // Row locks skip what another worker is claiming this very moment; the lease keeps it theirs after.
    const rows = await this.query(
      `UPDATE feeds SET lease_owner = $1, lease_until = $2
       WHERE url IN (SELECT url FROM feeds
                     WHERE url = ANY($3::text[]) AND (next_fetch_at IS NULL OR next_fetch_at <= $4) AND (lease_until IS NULL OR lease_until <= $4)
                     ORDER BY coalesce(next_fetch_at, ''), url LIMIT $5 FOR UPDATE SKIP LOCKED)
       RETURNING url`,
      [lease.owner, lease.until, feedUrls, lease.now, limit],
    );
    return rows.map((r) => String(r['url']));
  }

  async releaseFeeds(owner: string, feedUrls: readonly string[]): Promise<void> {
    await this.query('UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE url = ANY($2::text[]) AND lease_owner = $1', [owner, feedUrls]);
  }

  async feedSchedule(feedUrls: readonly string[], now: string): Promise<{ due: number; nextDueAt: string | null }> {
    const row = (
      await this.query(
        `SELECT cardinality($1::text[]) - count(*) + count(*) FILTER (WHERE next_fetch_at IS NULL OR next_fetch_at <= $2) AS due,
                min(next_fetch_at) FILTER (WHERE next_fetch_at > $2) AS next_due_at
         FROM feeds WHERE url = ANY($1::text[])`,
        [feedUrls, now],
      )
    )[0]!;
    return { due: Number(row['due']), nextDueAt: (row['next_due_at'] as string | null) ?? null };
  }

  async reserveHostSlot(host: string, delayMs: number, nowMs: number): Promise<number> {
    const row = (
      await this.query(
        `INSERT INTO host_slots (host, next_start_ms) VALUES ($1, $2::bigint + $3::bigint)
         ON CONFLICT (host) DO UPDATE SET next_start_ms = greatest(host_slots.next_start_ms, $2::bigint) + $3::bigint
         RETURNING next_start_ms - $3::bigint AS start_ms`,
        [host, Math.round(nowMs), Math.round(delayMs)],
      )
    )[0]!;
    return Number(row['start_ms']);
  }

  async claimHostPlace(host: string, limit: number, lease: HostLease): Promise<number | null> {
    // One statement: of two workers after the same free place, the second's conflict waits for the
    // first's insert, finds the place held and returns nothing (it asks again).
    const row = (
      await this.query(
        `INSERT INTO host_places (host, place, owner, until_ms)
         SELECT $1, g.place, $2, $4::bigint FROM generate_series(0, $5::int - 1) AS g(place)
         WHERE NOT EXISTS (SELECT 1 FROM host_places h WHERE h.host = $1 AND h.place = g.place AND h.until_ms > $3::bigint)
         ORDER BY g.place LIMIT 1
         ON CONFLICT (host, place) DO UPDATE SET owner = excluded.owner, until_ms = excluded.until_ms WHERE host_places.until_ms <= $3::bigint
         RETURNING place`,
        [host, lease.owner, Math.round(lease.nowMs), Math.round(lease.untilMs), Math.max(1, Math.floor(limit))],
      )
    )[0];
    return row ? Number(row['place']) : null;
  }

  async releaseHostPlace(host: string, place: number, owner: string): Promise<void> {
    await this.query('DELETE FROM host_places WHERE host = $1 AND place = $2 AND owner = $3', [host, place, owner]);
  }

  exclusive<T>(name: string, work: (tx: Store) => Promise<T>): Promise<T> {
    return this.transaction(async (tx) => {
      await (tx as unknown as PostgresStore).query(`SELECT pg_advisory_xact_lock(${LOCK_KEY('$1')})`, [name]);
      return work(tx);
    });
  }

  claimStories(watchlist: string, storyIds: readonly string[], destination?: string): Promise<string[]> {
    return this.claims.claim(watchlist, storyIds, destination);
  }

  releaseStories(): Promise<void> {
    return this.claims.releaseAll();
  }

  async saveArticle(itemId: string, outcome: ArticleOutcome): Promise<void> {
    if (outcome.status === 'done') {
      await this.query("UPDATE items SET body = $2, article = $3, canonical_url = coalesce($4, canonical_url), scrape_status = 'done', scrape_error = NULL, lease_owner = NULL, lease_until = NULL WHERE id = $1", [
        itemId,
        outcome.body,
        JSON.stringify(outcome.article),
        outcome.canonicalUrl,
      ]);
    } else {
      await this.query("UPDATE items SET scrape_status = 'error', scrape_error = $2, lease_owner = NULL, lease_until = NULL WHERE id = $1", [itemId, outcome.error]);
    }
  }

  async listUnclusteredItems(limit: number): Promise<StoredItem[]> {
    const rows = await this.query(
      `SELECT i.* FROM items i
       WHERE i.story_id IS NULL AND i.scrape_status != 'pending' AND EXISTS (SELECT 1 FROM matches m WHERE m.item_id = i.id)
       ORDER BY i.seq LIMIT $1`,
      [limit],
    );
    return rows.map(toStoredItem);
  }

  // The signatures come in the same statement: nothing to save by leaving out those the caller holds.
  async findStoryCandidates(keys: StoryKeys, limit: number): Promise<StoryCandidate[]> {
    // Ranked by evidence, each look-up capped, as in the SQLite store; ties go to the first found
    // (URL, then title, then bands in order). The kept keys of delivered stories whose items are
    // pruned count as items of their story (docs/retention.md). One round trip: the look-ups, the
    // ranking, and each candidate's story and signature (what the caller compares next) in one
    // statement; only the `limit` best hits are joined to their items (a band shared by many items
    // brings hundreds).
    // One look-up per band, each with its key as a parameter of its own: the planner then sees how
    // many items the band holds and walks the index in order up to the cap. Behind an unnest, it
    // assumed the average band and, once item_bands was analyzed, read whole bands through a bitmap
    // and sorted them (the first digest after 20,000 items took 699 s wall, 50 s of ours). The
    // ranked items are fetched by id before their story is tested (MATERIALIZED keeps that test out):
    // with statistics from before the digest, when no item had a story, the planner walked every
    // item with a story instead.
    const bandHits = keys.bandKeys
      .map((_, n) => `UNION ALL SELECT item_id, 1, ${2 + n}, row_number() OVER () FROM (SELECT item_id FROM item_bands WHERE band_key = $${4 + n} ORDER BY item_id LIMIT ${BAND_BUCKET_CAP}) b${n}`)
      .join('\n         ');
    const rows = await this.query(
      `WITH hits AS (
         SELECT id, 10000 AS w, 0 AS src, row_number() OVER () AS pos FROM (SELECT id FROM items WHERE canonical_url = $1 AND story_id IS NOT NULL ORDER BY seq DESC LIMIT ${KEY_BUCKET_CAP}) a
         UNION ALL SELECT id, 1000, 1, row_number() OVER () FROM (SELECT id FROM items WHERE title_key = $2 AND story_id IS NOT NULL ORDER BY seq DESC LIMIT ${KEY_BUCKET_CAP}) b
         UNION ALL SELECT item_id, 10000, 0, ${KEY_BUCKET_CAP} + row_number() OVER () FROM (SELECT item_id FROM pruned_stories WHERE canonical_url = $1 LIMIT ${KEY_BUCKET_CAP}) pa
         UNION ALL SELECT item_id, 1000, 1, ${KEY_BUCKET_CAP} + row_number() OVER () FROM (SELECT item_id FROM pruned_stories WHERE title_key = $2 LIMIT ${KEY_BUCKET_CAP}) pb
         ${bandHits}
       ), ranked AS (SELECT id, sum(w) AS w, min(src * 1000 + pos) AS first FROM hits GROUP BY id ORDER BY w DESC, first LIMIT $3),
       ranked_items AS MATERIALIZED (SELECT i.id, i.story_id, i.signature FROM ranked r JOIN items i ON i.id = r.id),
       found AS (
         SELECT id, story_id, signature FROM ranked_items WHERE story_id IS NOT NULL
         UNION ALL SELECT p.item_id, p.story_id, p.signature FROM pruned_stories p WHERE p.item_id IN (SELECT id FROM ranked)
       )
       SELECT f.id, f.story_id, f.signature FROM ranked r JOIN found f ON f.id = r.id
       ORDER BY r.w DESC, r.first`,
      [keys.canonicalUrl, keys.titleKey, limit, ...keys.bandKeys],
    );
    return rows.map((r) => ({ itemId: String(r['id']), storyId: String(r['story_id']), signature: (r['signature'] as string | null) ?? null }));
  }

  async readSignature(itemId: string): Promise<string | null> {
    const row = (await this.query('SELECT signature FROM items WHERE id = $1 UNION ALL SELECT signature FROM pruned_stories WHERE item_id = $1 LIMIT 1', [itemId]))[0];
    return (row?.['signature'] as string | null | undefined) ?? null;
  }

  async listStoryReports(from: string, to: string, limit: number): Promise<StoryReport[]> {
    const rows = await this.query(
      `SELECT id, story_id, coalesce(published_at, first_seen_at) AS reported_at, signature FROM items
       WHERE coalesce(published_at, first_seen_at) BETWEEN $1 AND $2 AND story_id IS NOT NULL
       ORDER BY coalesce(published_at, first_seen_at) DESC LIMIT $3`,
      [from, to, limit],
    );
    return rows.map((row) => ({
      itemId: String(row['id']),
      storyId: String(row['story_id']),
      reportedAt: String(row['reported_at']),
      signature: (row['signature'] as string | null) ?? null,
    }));
  }

  async assignStory(itemId: string, storyId: string, keys: StoryKeys, signature: string, via: StoryVia | null): Promise<void> {
    // One statement (one round trip): the item's story and keys, and its bands.
    await this.query(
      `WITH assigned AS (UPDATE items SET story_id = $2, canonical_url = $3, title_key = $4, signature = $5, story_via = $6 WHERE id = $1 RETURNING id)
       INSERT INTO item_bands (band_key, item_id) SELECT band_key, assigned.id FROM assigned, unnest($7::text[]) AS band_key ON CONFLICT DO NOTHING`,
      [itemId, storyId, keys.canonicalUrl, keys.titleKey, signature, via, keys.bandKeys],
    );
  }

  async moveToStories(moves: readonly StoryMove[]): Promise<void> {
    if (moves.length === 0) return;
    // One statement (one round trip) for every move of a page.
    await this.query(
      `UPDATE items i SET story_id = m.story_id, story_via = m.via
       FROM unnest($1::text[], $2::text[], $3::text[]) AS m(id, story_id, via) WHERE i.id = m.id`,
      [moves.map((m) => m.itemId), moves.map((m) => m.storyId), moves.map((m) => m.via)],
    );
  }

  async listStoryMembers(storyIds: readonly string[]): Promise<{ item: StoredItem; feedLabel: string | null; feedTitle: string | null }[]> {
    if (storyIds.length === 0) return [];
    const rows = await this.query(
      `SELECT i.*, f.label AS feed_label, f.title AS feed_title FROM items i JOIN feeds f ON f.url = i.feed_url
       WHERE i.story_id = ANY($1::text[]) ORDER BY i.seq`,
      [storyIds],
    );
    return rows.map((row) => ({ item: toStoredItem(row), feedLabel: (row['feed_label'] as string | null) ?? null, feedTitle: (row['feed_title'] as string | null) ?? null }));
  }

  async documentFrequencies(terms: readonly string[]): Promise<{ documentCount: number; df: Map<string, number> }> {
    const documentCount = Number((await this.query('SELECT count(*) AS n FROM items'))[0]!['n']);
    const df = new Map<string, number>();
    for (const term of terms) {
      const filter = wordsFilter(term);
      if (filter === null) continue;
      const params: unknown[] = [];
      const where = tsquery(filter, params);
      df.set(term, Number((await this.query(`SELECT count(*) AS n FROM items WHERE search @@ ${where}`, params))[0]!['n']));
    }
    return { documentCount, df };
  }

  async syncDestinations(watchlist: string, destinations: readonly string[], at: string): Promise<void> {
    await this.atomic(async (c) => {
      const listed = [...new Set(destinations)];
      // Removed from the watchlist: added again later, it starts afresh rather than with a backlog.
      for (const table of ['destinations', 'destination_deliveries', 'feed_entries']) {
        await c.query(`DELETE FROM ${table} WHERE watchlist = $1 AND NOT (destination = ANY($2::text[]))`, text([watchlist, listed]));
      }
      await c.query('INSERT INTO destinations (watchlist, destination, added_at) SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING', text([watchlist, listed, at]));
    });
  }

  async markDeliveredTo(watchlist: string, destination: string, delivery: DestinationDelivery): Promise<void> {
    await this.atomic(async (c) => {
      if (delivery.itemIds.length > 0) {
        await c.query(
          `INSERT INTO destination_deliveries (watchlist, destination, item_id, story_id, delivered_at)
           SELECT $1, $2, id, coalesce(story_id, id), $3 FROM items WHERE id = ANY($4::text[])
           ON CONFLICT DO NOTHING`,
          text([watchlist, destination, delivery.at, delivery.itemIds]),
        );
      }
      if (!delivery.feed) return;
      for (const [position, entry] of delivery.feed.entries.entries()) {
        await c.query(
          `INSERT INTO feed_entries (watchlist, destination, story_id, delivered_at, position, story) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (watchlist, destination, story_id) DO UPDATE SET delivered_at = excluded.delivered_at, position = excluded.position, story = excluded.story`,
          text([watchlist, destination, entry.storyId, entry.deliveredAt, position, entry.story]),
        );
      }
      await c.query(
        `DELETE FROM feed_entries WHERE watchlist = $1 AND destination = $2 AND story_id NOT IN (
           SELECT story_id FROM feed_entries WHERE watchlist = $1 AND destination = $2 ORDER BY delivered_at DESC, position LIMIT $3)`,
        text([watchlist, destination, delivery.feed.keep]),
      );
    });
    // Recorded (committed) first, then let go: a run waiting for these stories now finds them delivered.
    await this.claims.release(watchlist, await this.storiesOf(delivery.itemIds), destination);
  }

  async listFeedEntries(watchlist: string, destination: string, limit: number): Promise<FeedEntryRecord[]> {
    const rows = await this.query('SELECT story_id, story, delivered_at FROM feed_entries WHERE watchlist = $1 AND destination = $2 ORDER BY delivered_at DESC, position LIMIT $3', [watchlist, destination, limit]);
    return rows.map((row) => ({ storyId: String(row['story_id']), story: String(row['story']), deliveredAt: String(row['delivered_at']) }));
  }

  // Retention (docs/retention.md): the rules live in postgres-archive.ts.
  pruneItems(cutoffs: PruneCutoffs, limit: number, afterSeq = 0): Promise<PruneBatch> {
    return this.transaction((tx) => ARCHIVE.pruneItems(queryOn(tx), cutoffs, limit, afterSeq));
  }
  countPrunable(cutoffs: PruneCutoffs): Promise<PruneCounts> {
    return this.snapshot((query) => ARCHIVE.countPrunable(query, cutoffs));
  }
  expireTombstones(now: string): Promise<{ tombstones: number; storyKeys: number }> {
    return this.transaction((tx) => ARCHIVE.expireTombstones(queryOn(tx), now));
  }
  storageSize(): Promise<{ bytes: number; freeBytes: number }> {
    return ARCHIVE.storageSize((sql, params) => this.query(sql, params));
  }
  /** Autovacuum makes the space of deleted rows reusable and runs by itself: nothing to do here. */
  async compactStorage(): Promise<void> {}
  archiveStats(): Promise<ArchiveStats> {
    return this.snapshot((query) => ARCHIVE.archiveStats(query));
  }

  /** Reads in one REPEATABLE READ transaction: counts that add up to one picture. */
  private snapshot<T>(read: (query: (sql: string, params?: unknown[]) => Promise<Row[]>) => Promise<T>): Promise<T> {
    return this.transaction(async (tx) => {
      const query = queryOn(tx);
      if (this.depth === null) await query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      return read(query);
    });
  }

  async transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.depth !== null) {
      this.checkOpen();
      const name = `tx${this.depth + 1}`;
      await this.db.query(`SAVEPOINT ${name}`).catch(storeError);
      const view = new PostgresStore(this.pool, this.db, this.depth + 1, this.claims);
      try {
        const result = await work(view);
        await this.db.query(`RELEASE ${name}`).catch(storeError);
        return result;
      } catch (error) {
        await this.db.query(`ROLLBACK TO ${name}; RELEASE ${name}`).catch(() => {});
        throw error;
      } finally {
        view.ended = true;
      }
    }
    const client = await this.pool.connect().catch(storeError);
    const view = new PostgresStore(this.pool, client, 0, this.claims);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(view);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw error instanceof RunError || !isDriverError(error) ? error : storeError(error);
    } finally {
      view.ended = true;
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.depth !== null) throw new Error('store: close() called on a transaction (a bug)');
    if (this.ended) return;
    this.ended = true;
    await this.claims.close();
    await this.pool.end();
  }

  /** One statement, on the transaction's connection or any pooled one; driver errors become StoreErrors. */
  private async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    if (this.depth !== null) this.checkOpen();
    try {
      return (await this.db.query(sql, text(params))).rows as Row[];
    } catch (error) {
      throw storeError(error);
    }
  }

  /** Several statements that succeed or fail together: a transaction, or a savepoint inside one. */
  private async atomic<T>(work: (c: Queryable) => Promise<T>): Promise<T> {
    if (this.depth !== null) return this.transaction(() => work(this.db).catch(storeError));
    const client = await this.pool.connect().catch(storeError);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw storeError(error);
    } finally {
      client.release(broken);
    }
  }

  private checkOpen(): void {
    if (this.ended) throw new Error("store: a transaction's tx was used after the transaction ended (a bug)");
  }
}

/**
 * The filter as a tsquery expression, its words appended to `params`. Each word
 * is a prefix of the accent-folded word as written (SQLite's candidates) or, in
 * French, the same stem.
 */
function tsquery(filter: TextFilter, params: unknown[]): string {
  if (filter.type === 'word') {
    params.push(`'${filter.prefix}':*`, filter.word);
    return `(to_tsquery('presswatch_simple', $${params.length - 1}) || plainto_tsquery('presswatch_french', $${params.length}))`;
  }
  if (filter.type === 'part') {
    params.push(filter.prefix ? `'${filter.text}':*` : `'${filter.text}'`);
    return `to_tsquery('presswatch_simple', $${params.length})`;
  }
  const parts = filter.children.map((child) => tsquery(child, params));
  return `(${parts.join(filter.type === 'and' ? ' && ' : ' || ')})`;
}

/**
 * PostgreSQL text cannot hold NUL, which SQLite (and a hostile feed) can: it is
 * dropped from every string written, at any depth of an array parameter.
 */
function text<T>(params: T[]): T[] {
  return params.map((p) => (typeof p === 'string' ? p.replaceAll('\0', '') : Array.isArray(p) ? text(p) : p) as T);
}

/** Statements on a transaction's connection. */
function queryOn(tx: Store): (sql: string, params?: unknown[]) => Promise<Row[]> {
  const view = tx as unknown as PostgresStore;
  return (sql, params) => view['query'](sql, params);
}

/** Pruning takes the lock items are stored under: no item goes between a fetch seeing it and that fetch committing. */
const ARCHIVE = new PostgresArchive(async (query) => void (await query('SELECT pg_advisory_xact_lock(hashtext(current_schema() || $1))', [ITEMS_LOCK])));

function isDriverError(error: unknown): boolean {
  return error instanceof pg.DatabaseError || (error instanceof Error && 'code' in error && typeof (error as { code: unknown }).code === 'string');
}

/** A driver error as a StoreError ("store: …"), which ends a run; our own errors pass through. */
function storeError(error: unknown): never {
  if (error instanceof RunError || !(error instanceof Error)) throw error;
  if (!isDriverError(error) && !/Connection terminated|timeout/i.test(error.message)) throw error;
  throw new StoreError(`store: PostgreSQL: ${error.message}`, error);
}
