import type Database from 'better-sqlite3';
import { expiryCutoffs, FeedStatsTable, type PruneCandidate, partOfStore, tombstoneLife } from './retention-rules.js';
import { preparedOnUse } from './prepared-statements.js';
import type { ArchiveStats, PruneBatch, PruneCounts, PruneCutoffs } from './store.js';

type Row = Record<string, unknown>;

interface Candidate extends PruneCandidate {
  canonicalUrl: string | null;
  /** As stored (a digest: see sqlite-store.ts), copied as it is. */
  titleKey: Buffer | null;
}

/** Retention, tombstones, compaction and statistics of the SQLite store (docs/retention.md). */
export class SqliteArchive {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    // The feed's last answer with items: a tombstone's life is measured against it (see saveFetch).
    const columns = `i.seq, i.id, i.feed_url, i.story_id, i.canonical_url, i.title_key, i.first_seen_at, i.last_seen_day,
      (SELECT coalesce(f.last_content_at, f.last_ok_at) FROM feeds f WHERE f.id = i.feed_id) AS content_at`;
    this.stmt = preparedOnUse(db, {
      seqAtOrAfter: 'SELECT seq, first_seen_at FROM items WHERE seq >= ? ORDER BY seq LIMIT 1',
      maxSeq: 'SELECT max(seq) AS seq FROM items',
      // Unmatched: in seq order (the order they were stored in), never one still waiting for its page.
      unmatched: `SELECT ${columns}, 0 AS matched FROM item_rows i
         WHERE i.seq > @afterSeq AND i.seq <= @maxSeq AND i.first_seen_at < @before AND i.scrape_status != 'pending'
           AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.item_id = i.id)
         ORDER BY i.seq LIMIT @limit`,
      // Matched: items older than the cutoff (unmatched ones of that age are long gone, so these are few);
      // a story goes whole, once all its items are old.
      matched: `SELECT ${columns}, 1 AS matched FROM item_rows i
         WHERE i.seq <= @maxSeq AND i.first_seen_at < @before
           AND EXISTS (SELECT 1 FROM matches m WHERE m.item_id = i.id)
           AND (i.story_id IS NULL OR NOT EXISTS (SELECT 1 FROM item_stories s JOIN items j ON j.seq = s.seq WHERE s.story_id = i.story_id AND j.first_seen_at >= @before))
         ORDER BY i.seq LIMIT @limit`,
      // Shown in a digest or accepted by a destination: either way, never again.
      delivered: 'SELECT 1 FROM deliveries WHERE story_id = @story UNION ALL SELECT 1 FROM destination_deliveries WHERE story_id = @story LIMIT 1',
      storyKept: 'SELECT 1 FROM pruned_stories WHERE story_id = ? LIMIT 1',
      keepStory: `INSERT OR IGNORE INTO pruned_stories (item_id, seq, story_id, canonical_url, title_key, signature, pruned_at)
         VALUES (@id, @seq, @storyId, @canonicalUrl, @titleKey, (SELECT signature FROM item_signatures WHERE seq = @seq), @now)`,
      tombstone: 'INSERT OR REPLACE INTO tombstones (id, feed_url, story_id, last_seen_at, gone_at) VALUES (@id, @feedUrl, @storyId, @seenAt, @goneAt)',
      deleteMatches: 'DELETE FROM matches WHERE item_id = ?',
      deleteBands: 'DELETE FROM item_bands WHERE seq = ?',
      deleteSignature: 'DELETE FROM item_signatures WHERE seq = ?',
      deleteItem: 'DELETE FROM items WHERE seq = ?',
      deleteStoryKeys: 'DELETE FROM item_stories WHERE seq = ?',
      deleteBody: 'DELETE FROM item_bodies WHERE seq = ?',
      // An item past the index's watermark has no entries yet (see indexNewText in sqlite-store.ts).
      unindexText: 'DELETE FROM items_fts WHERE rowid = @seq AND @seq <= (SELECT indexed_through_seq FROM items_fts_state)',
      storyLeft: 'SELECT 1 FROM item_stories WHERE story_id = ? LIMIT 1',
      expireTombstones: `DELETE FROM tombstones WHERE gone_at < @graceBefore
           OR feed_url IN (SELECT url FROM feeds WHERE last_fetched_at < @abandonedBefore)`,
      expiredStories: `SELECT p.item_id, p.seq, p.story_id FROM pruned_stories p
         WHERE p.pruned_at < @graceBefore AND NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.story_id = p.story_id)`,
      dropStory: 'DELETE FROM pruned_stories WHERE item_id = ?',
      dropDeliveries: 'DELETE FROM deliveries WHERE story_id = @storyId AND NOT EXISTS (SELECT 1 FROM item_stories WHERE story_id = @storyId)',
      dropDestinationDeliveries: 'DELETE FROM destination_deliveries WHERE story_id = @storyId AND NOT EXISTS (SELECT 1 FROM item_stories WHERE story_id = @storyId)',
    });
  }

  /** The last seq first stored before `before`; items are stored in time order, so a binary search finds it. */
  private lastSeqBefore(before: string): number {
    const max = Number((this.stmt.maxSeq.get() as Row)['seq'] ?? 0);
    let lo = 0;
    let hi = max;
    while (lo < hi) {
      const mid = Math.floor((lo + hi + 1) / 2);
      const row = this.stmt.seqAtOrAfter.get(mid) as Row | undefined;
      if (row && String(row['first_seen_at']) < before) lo = Math.max(mid, Number(row['seq']));
      else hi = mid - 1;
    }
    return lo;
  }

  private candidates(cutoffs: PruneCutoffs, limit: number, afterSeq: number): Candidate[] {
    const found: Row[] = [];
    if (cutoffs.unmatchedBefore !== null) {
      found.push(...(this.stmt.unmatched.all({ afterSeq, maxSeq: this.lastSeqBefore(cutoffs.unmatchedBefore), before: cutoffs.unmatchedBefore, limit }) as Row[]));
    }
    if (cutoffs.matchedBefore !== null && found.length < limit) {
      found.push(...(this.stmt.matched.all({ maxSeq: this.lastSeqBefore(cutoffs.matchedBefore), before: cutoffs.matchedBefore, limit: limit - found.length }) as Row[]));
    }
    return found.map((r) => ({
      seq: Number(r['seq']),
      id: String(r['id']),
      feedUrl: String(r['feed_url']),
      storyId: (r['story_id'] as string | null) ?? null,
      matched: Number(r['matched']) === 1,
      ...tombstoneLife({ lastSeenDay: r['last_seen_day'] === null ? null : Number(r['last_seen_day']), firstSeenAt: String(r['first_seen_at']) }, (r['content_at'] as string | null) ?? null),
      canonicalUrl: (r['canonical_url'] as string | null) ?? null,
      titleKey: (r['title_key'] as Buffer | null) ?? null,
    }));
  }

  pruneItems(cutoffs: PruneCutoffs, limit: number, afterSeq: number): PruneBatch {
    return this.db
      .transaction((): PruneBatch => {
        const batch = this.candidates(cutoffs, limit, afterSeq);
        const lastSeq = Math.max(afterSeq, ...batch.filter((c) => !c.matched).map((c) => c.seq));
        const result: PruneBatch = { items: 0, matchedItems: 0, stories: 0, tombstones: 0, storyKeys: 0, more: batch.length === limit, lastSeq };
        const storiesTouched = new Set<string>();
        for (const item of batch) {
          const story = item.storyId ?? item.id;
          const delivered = this.stmt.delivered.get({ story }) !== undefined;
          let keptAsStoryKeys = false;
          // The first item of a delivered story to go keeps the story's keys, so a later copy joins the story, still shown.
          if (delivered && this.stmt.storyKept.get(story) === undefined) {
            this.stmt.keepStory.run({ id: item.id, storyId: story, canonicalUrl: item.canonicalUrl, titleKey: item.titleKey, seq: item.seq, now: cutoffs.now });
            keptAsStoryKeys = true;
            result.storyKeys++;
          }
          if (item.carried) {
            this.stmt.tombstone.run({ id: item.id, feedUrl: item.feedUrl, storyId: delivered ? story : null, seenAt: item.seenAt, goneAt: item.goneAt });
            result.tombstones++;
          }
          this.stmt.deleteMatches.run(item.id);
          if (!keptAsStoryKeys) this.stmt.deleteBands.run(item.seq);
          this.stmt.deleteSignature.run(item.seq);
          this.stmt.unindexText.run({ seq: item.seq });
          this.stmt.deleteStoryKeys.run(item.seq);
          this.stmt.deleteBody.run(item.seq);
          this.stmt.deleteItem.run(item.seq);
          result.items++;
          if (item.matched) result.matchedItems++;
          if (item.storyId) storiesTouched.add(item.storyId);
        }
        for (const story of storiesTouched) if (this.stmt.storyLeft.get(story) === undefined) result.stories++;
        return result;
      })
      .immediate();
  }

  countPrunable(cutoffs: PruneCutoffs): PruneCounts {
    // Read in one transaction, so the pages of candidates add up to one consistent picture.
    return this.db.transaction((): PruneCounts => {
      const all = this.candidates(cutoffs, Number.MAX_SAFE_INTEGER, 0);
      const stories = new Set(all.filter((c) => c.storyId !== null).map((c) => c.storyId));
      return { items: all.length, matchedItems: all.filter((c) => c.matched).length, stories: stories.size };
    })();
  }

  expireTombstones(now: string): { tombstones: number; storyKeys: number } {
    return this.db
      .transaction(() => {
        const { abandonedBefore, graceBefore } = expiryCutoffs(now);
        const tombstones = this.stmt.expireTombstones.run({ abandonedBefore, graceBefore }).changes;
        let storyKeys = 0;
        for (const row of this.stmt.expiredStories.all({ graceBefore }) as Row[]) {
          const itemId = String(row['item_id']);
          this.stmt.deleteBands.run(row['seq']);
          this.stmt.dropStory.run(itemId);
          // The story is forgotten with its keys, unless a later copy of it is still stored.
          this.stmt.dropDeliveries.run({ storyId: String(row['story_id']) });
          this.stmt.dropDestinationDeliveries.run({ storyId: String(row['story_id']) });
          storyKeys++;
        }
        return { tombstones, storyKeys };
      })
      .immediate();
  }

  storageSize(): { bytes: number; freeBytes: number } {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    return {
      bytes: (this.db.pragma('page_count', { simple: true }) as number) * pageSize,
      freeBytes: (this.db.pragma('freelist_count', { simple: true }) as number) * pageSize,
    };
  }

  compactStorage(mode: 'incremental' | 'full', maxPages?: number): void {
    if (mode === 'full') {
      // A file made before incremental vacuum existed switches to it on this rewrite.
      if (this.db.pragma('auto_vacuum', { simple: true }) !== 2) this.db.pragma('auto_vacuum = INCREMENTAL');
      this.db.exec('VACUUM');
    } else if (this.db.pragma('auto_vacuum', { simple: true }) === 2) {
      this.db.pragma(`incremental_vacuum${maxPages === undefined ? '' : `(${Math.max(1, Math.floor(maxPages))})`}`);
    }
    // The pages freed are given back when the write-ahead log is folded into the file.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  archiveStats(): ArchiveStats {
    return this.db.transaction((): ArchiveStats => {
      const count = (sql: string) => Number((this.db.prepare(sql).get() as Row)['n']);
      const feeds = new FeedStatsTable();
      for (const r of this.db.prepare('SELECT url, label FROM feeds ORDER BY url').all() as Row[]) feeds.of(String(r['url']), (r['label'] as string | null) ?? null);
      for (const r of this.db.prepare('SELECT feed_url, count(*) AS n, count(DISTINCT story_id) AS stories, min(first_seen_at) AS oldest, max(first_seen_at) AS newest FROM item_rows GROUP BY feed_url').all() as Row[]) {
        const f = feeds.of(String(r['feed_url']));
        f.items = Number(r['n']);
        f.stories = Number(r['stories']);
        f.oldestItemAt = (r['oldest'] as string | null) ?? null;
        f.newestItemAt = (r['newest'] as string | null) ?? null;
      }
      for (const r of this.db.prepare('SELECT i.feed_url, count(*) AS n FROM (SELECT DISTINCT item_id FROM matches) m JOIN item_rows i ON i.id = m.item_id GROUP BY i.feed_url').all() as Row[]) {
        feeds.of(String(r['feed_url'])).matchedItems = Number(r['n']);
      }
      for (const r of this.db.prepare('SELECT feed_url, count(*) AS n FROM tombstones GROUP BY feed_url').all() as Row[]) feeds.of(String(r['feed_url'])).tombstones = Number(r['n']);
      const parts = new Map<string, number>();
      for (const r of this.db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as Row[]) {
        const part = partOfStore(String(r['name']));
        parts.set(part, (parts.get(part) ?? 0) + Number(r['bytes']));
      }
      const size = this.storageSize();
      if (size.freeBytes > 0) parts.set('free pages', size.freeBytes);
      return {
        totals: {
          items: count('SELECT count(*) AS n FROM items'),
          matchedItems: count('SELECT count(DISTINCT item_id) AS n FROM matches'),
          stories: count('SELECT count(DISTINCT story_id) AS n FROM item_stories WHERE story_id IS NOT NULL'),
          matches: count('SELECT count(*) AS n FROM matches'),
          deliveries: count('SELECT count(*) AS n FROM deliveries'),
          tombstones: count('SELECT count(*) AS n FROM tombstones'),
          prunedStories: count('SELECT count(*) AS n FROM pruned_stories'),
        },
        feeds: feeds.rows(),
        parts: [...parts].map(([part, bytes]) => ({ part, bytes })).sort((a, b) => b.bytes - a.bytes),
        ...size,
      };
    })();
  }
}
