import { expiryCutoffs, FeedStatsTable, type PruneCandidate, partOfStore, tombstoneLife } from './retention-rules.js';
import type { Row } from './rows.js';
import type { ArchiveStats, PruneBatch, PruneCounts, PruneCutoffs } from './store.js';

/** One statement on a connection (a transaction's, or any pooled one). */
type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;

/**
 * Retention, tombstones and statistics of the PostgreSQL store (docs/retention.md):
 * the same rules as the SQLite store's (src/store/sqlite-archive.ts), written as
 * set-wise statements, since each statement is a round trip. Space is given back
 * by ordinary deletes and autovacuum; sizes come from pg_total_relation_size.
 */
export class PostgresArchive {
  /**
   * `lockItems` takes the lock under which items are stored (saveFetch), so that an
   * item is never pruned between a fetch seeing it stored and that fetch committing.
   */
  constructor(private readonly lockItems: (query: Query) => Promise<void>) {}

  /** The last seq first stored before `before`; items are stored in time order, so a binary search finds it. */
  private async lastSeqBefore(query: Query, before: string): Promise<number> {
    let hi = Number((await query('SELECT coalesce(max(seq), 0) AS seq FROM items'))[0]!['seq']);
    let lo = 0;
    while (lo < hi) {
      const mid = Math.floor((lo + hi + 1) / 2);
      const row = (await query('SELECT seq, first_seen_at FROM items WHERE seq >= $1 ORDER BY seq LIMIT 1', [mid]))[0];
      if (row && String(row['first_seen_at']) < before) lo = Math.max(mid, Number(row['seq']));
      else hi = mid - 1;
    }
    return lo;
  }

  private async candidates(query: Query, cutoffs: PruneCutoffs, limit: number, afterSeq: number): Promise<PruneCandidate[]> {
    const columns = `i.seq, i.id, i.feed_url, i.story_id, i.first_seen_at, i.last_seen_day,
      (SELECT coalesce(f.last_content_at, f.last_ok_at) FROM feeds f WHERE f.url = i.feed_url) AS content_at`;
    const found: Row[] = [];
    if (cutoffs.unmatchedBefore !== null) {
      // In seq order, never one still waiting for its page (as in SQLite).
      const rows = await query(
        `SELECT ${columns}, false AS matched FROM items i
         WHERE i.seq > $1 AND i.seq <= $2 AND i.first_seen_at < $3 AND i.scrape_status != 'pending'
           AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.item_id = i.id)
         ORDER BY i.seq LIMIT $4`,
        [afterSeq, await this.lastSeqBefore(query, cutoffs.unmatchedBefore), cutoffs.unmatchedBefore, limit],
      );
      found.push(...rows);
    }
    if (cutoffs.matchedBefore !== null && found.length < limit) {
      // A story goes whole, once all its items are old.
      const rows = await query(
        `SELECT ${columns}, true AS matched FROM items i
         WHERE i.seq <= $1 AND i.first_seen_at < $2 AND i.id IN (SELECT item_id FROM matches)
           AND (i.story_id IS NULL OR NOT EXISTS (SELECT 1 FROM items j WHERE j.story_id = i.story_id AND j.first_seen_at >= $2))
         ORDER BY i.seq LIMIT $3`,
        [await this.lastSeqBefore(query, cutoffs.matchedBefore), cutoffs.matchedBefore, limit - found.length],
      );
      found.push(...rows);
    }
    return found.map((r) => ({
      seq: Number(r['seq']),
      id: String(r['id']),
      feedUrl: String(r['feed_url']),
      storyId: (r['story_id'] as string | null) ?? null,
      matched: r['matched'] === true,
      ...tombstoneLife({ lastSeenDay: r['last_seen_day'] === null ? null : Number(r['last_seen_day']), firstSeenAt: String(r['first_seen_at']) }, (r['content_at'] as string | null) ?? null),
    }));
  }

  /** Runs in the caller's transaction. */
  async pruneItems(query: Query, cutoffs: PruneCutoffs, limit: number, afterSeq: number): Promise<PruneBatch> {
    // Most prunings (a worker's after each round) find nothing: they do not wait for the lock then.
    if ((await this.candidates(query, cutoffs, 1, afterSeq)).length === 0) return { items: 0, matchedItems: 0, stories: 0, tombstones: 0, storyKeys: 0, more: false, lastSeq: afterSeq };
    await this.lockItems(query);
    const batch = await this.candidates(query, cutoffs, limit, afterSeq);
    const lastSeq = Math.max(afterSeq, ...batch.filter((c) => !c.matched).map((c) => c.seq));
    const result: PruneBatch = { items: batch.length, matchedItems: batch.filter((c) => c.matched).length, stories: 0, tombstones: 0, storyKeys: 0, more: batch.length === limit, lastSeq };
    if (batch.length === 0) return result;
    const storyOf = (c: PruneCandidate) => c.storyId ?? c.id;
    const stories = [...new Set(batch.map(storyOf))];
    // Shown in a digest or accepted by a destination: either way, never again.
    const delivered = new Set(
      (await query('SELECT story_id FROM deliveries WHERE story_id = ANY($1::text[]) UNION SELECT story_id FROM destination_deliveries WHERE story_id = ANY($1::text[])', [stories])).map((r) => String(r['story_id'])),
    );
    const kept = new Set((await query('SELECT DISTINCT story_id FROM pruned_stories WHERE story_id = ANY($1::text[])', [stories])).map((r) => String(r['story_id'])));
    // The first item of a delivered story to go keeps the story's keys, so a later copy joins the story, still shown.
    const keepers: PruneCandidate[] = [];
    for (const item of batch) {
      const story = storyOf(item);
      if (delivered.has(story) && !kept.has(story)) {
        kept.add(story);
        keepers.push(item);
      }
    }
    if (keepers.length > 0) {
      await query(
        `INSERT INTO pruned_stories (item_id, story_id, canonical_url, title_key, signature, pruned_at)
         SELECT i.id, k.story_id, i.canonical_url, i.title_key, i.signature, $3
         FROM unnest($1::text[], $2::text[]) AS k(id, story_id) JOIN items i ON i.id = k.id
         ON CONFLICT DO NOTHING`,
        [keepers.map((c) => c.id), keepers.map(storyOf), cutoffs.now],
      );
    }
    const carried = batch.filter((c) => c.carried);
    if (carried.length > 0) {
      await query(
        `INSERT INTO tombstones (id, feed_url, story_id, last_seen_at, gone_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT (id) DO UPDATE SET feed_url = excluded.feed_url, story_id = excluded.story_id, last_seen_at = excluded.last_seen_at, gone_at = excluded.gone_at`,
        [carried.map((c) => c.id), carried.map((c) => c.feedUrl), carried.map((c) => (delivered.has(storyOf(c)) ? storyOf(c) : null)), carried.map((c) => c.seenAt), carried.map((c) => c.goneAt)],
      );
    }
    const ids = batch.map((c) => c.id);
    const keeperIds = new Set(keepers.map((c) => c.id));
    await query('DELETE FROM matches WHERE item_id = ANY($1::text[])', [ids]);
    await query('DELETE FROM item_bands WHERE item_id = ANY($1::text[])', [ids.filter((id) => !keeperIds.has(id))]);
    await query('DELETE FROM items WHERE seq = ANY($1::bigint[])', [batch.map((c) => c.seq)]);
    const touched = [...new Set(batch.flatMap((c) => (c.storyId ? [c.storyId] : [])))];
    const left = new Set((await query('SELECT DISTINCT story_id FROM items WHERE story_id = ANY($1::text[])', [touched])).map((r) => String(r['story_id'])));
    result.stories = touched.filter((s) => !left.has(s)).length;
    result.tombstones = carried.length;
    result.storyKeys = keepers.length;
    return result;
  }

  /** Runs in the caller's transaction (REPEATABLE READ, so its reads are one picture). */
  async countPrunable(query: Query, cutoffs: PruneCutoffs): Promise<PruneCounts> {
    const all = await this.candidates(query, cutoffs, Number.MAX_SAFE_INTEGER, 0);
    return { items: all.length, matchedItems: all.filter((c) => c.matched).length, stories: new Set(all.flatMap((c) => (c.storyId ? [c.storyId] : []))).size };
  }

  /** Runs in the caller's transaction. */
  async expireTombstones(query: Query, now: string): Promise<{ tombstones: number; storyKeys: number }> {
    const { graceBefore, abandonedBefore } = expiryCutoffs(now);
    const tombstones = await query(`DELETE FROM tombstones WHERE gone_at < $1 OR feed_url IN (SELECT url FROM feeds WHERE last_fetched_at < $2) RETURNING 1`, [graceBefore, abandonedBefore]);
    const stories = await query(
      `DELETE FROM pruned_stories p WHERE p.pruned_at < $1 AND NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.story_id = p.story_id)
       RETURNING p.item_id, p.story_id`,
      [graceBefore],
    );
    if (stories.length > 0) {
      await query('DELETE FROM item_bands WHERE item_id = ANY($1::text[])', [stories.map((r) => String(r['item_id']))]);
      // The story is forgotten with its keys and delivery records, unless a later copy of it is still stored.
      const storyIds = [...new Set(stories.map((r) => String(r['story_id'])))];
      for (const table of ['deliveries', 'destination_deliveries']) {
        await query(`DELETE FROM ${table} d WHERE d.story_id = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM items i WHERE i.story_id = d.story_id)`, [storyIds]);
      }
    }
    return { tombstones: tombstones.length, storyKeys: stories.length };
  }

  async storageSize(query: Query): Promise<{ bytes: number; freeBytes: number }> {
    // Tables with their indexes and TOAST. Space freed by deletes is reused by PostgreSQL (autovacuum)
    // rather than counted as free here.
    const row = (await query(`SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'm')`))[0]!;
    return { bytes: Number(row['bytes']), freeBytes: 0 };
  }

  /** Runs in the caller's transaction (REPEATABLE READ). */
  async archiveStats(query: Query): Promise<ArchiveStats> {
    const count = async (sql: string) => Number((await query(sql))[0]!['n']);
    const feeds = new FeedStatsTable();
    for (const r of await query('SELECT url, label FROM feeds ORDER BY url COLLATE "C"')) feeds.of(String(r['url']), (r['label'] as string | null) ?? null);
    for (const r of await query('SELECT feed_url, count(*) AS n, count(DISTINCT story_id) AS stories, min(first_seen_at) AS oldest, max(first_seen_at) AS newest FROM items GROUP BY feed_url')) {
      const f = feeds.of(String(r['feed_url']));
      f.items = Number(r['n']);
      f.stories = Number(r['stories']);
      f.oldestItemAt = (r['oldest'] as string | null) ?? null;
      f.newestItemAt = (r['newest'] as string | null) ?? null;
    }
    for (const r of await query('SELECT i.feed_url, count(*) AS n FROM (SELECT DISTINCT item_id FROM matches) m JOIN items i ON i.id = m.item_id GROUP BY i.feed_url')) {
      feeds.of(String(r['feed_url'])).matchedItems = Number(r['n']);
    }
    for (const r of await query('SELECT feed_url, count(*) AS n FROM tombstones GROUP BY feed_url')) feeds.of(String(r['feed_url'])).tombstones = Number(r['n']);
    const parts = new Map<string, number>();
    const relations = await query(
      `SELECT c.relname AS name, CASE WHEN c.relkind = 'i' THEN pg_relation_size(c.oid) ELSE pg_table_size(c.oid) END AS bytes
       FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'i', 'm')`,
    );
    for (const r of relations) {
      const part = partOfStore(String(r['name']));
      parts.set(part, (parts.get(part) ?? 0) + Number(r['bytes']));
    }
    return {
      totals: {
        items: await count('SELECT count(*) AS n FROM items'),
        matchedItems: await count('SELECT count(DISTINCT item_id) AS n FROM matches'),
        stories: await count('SELECT count(DISTINCT story_id) AS n FROM items WHERE story_id IS NOT NULL'),
        matches: await count('SELECT count(*) AS n FROM matches'),
        deliveries: await count('SELECT count(*) AS n FROM deliveries'),
        tombstones: await count('SELECT count(*) AS n FROM tombstones'),
        prunedStories: await count('SELECT count(*) AS n FROM pruned_stories'),
      },
      feeds: feeds.rows(),
      parts: [...parts].map(([part, bytes]) => ({ part, bytes })).sort((a, b) => b.bytes - a.bytes),
      ...(await this.storageSize(query)),
    };
  }
}
