import type { FeedState, MatchedItem, StoredItem, StoredMatch, StoryVia } from './store.js';

/** A row as a driver returns it (column name to value); both stores read the same columns. */
export type Row = Record<string, unknown>;

/** FeedState's counts, for one feed (`f`) or all of them: the same SQL in both stores. */
export const FEED_STATS = `(SELECT count(*) FROM items i WHERE i.feed_url = f.url) AS item_count,
  (SELECT min(coalesce(published_at, first_seen_at)) FROM items i WHERE i.feed_url = f.url) AS first_item_at`;

export function toFeedState(row: Row): FeedState {
  return {
    url: String(row['url']),
    label: (row['label'] as string | null) ?? null,
    title: (row['title'] as string | null) ?? null,
    etag: (row['etag'] as string | null) ?? null,
    lastModified: (row['last_modified'] as string | null) ?? null,
    lastStatus: (row['last_status'] as FeedState['lastStatus']) ?? null,
    lastHttpStatus: (row['last_http_status'] as number | null) ?? null,
    lastError: (row['last_error'] as string | null) ?? null,
    lastFetchedAt: (row['last_fetched_at'] as string | null) ?? null,
    lastOkAt: (row['last_ok_at'] as string | null) ?? null,
    ttlMinutes: (row['ttl_minutes'] as number | null) ?? null,
    nextFetchAt: (row['next_fetch_at'] as string | null) ?? null,
    itemCount: Number(row['item_count'] ?? 0),
    firstItemAt: (row['first_item_at'] as string | null) ?? null,
  };
}

export function toStoredItem(row: Row): StoredItem {
  return {
    seq: Number(row['seq']),
    id: String(row['id']),
    feedUrl: String(row['feed_url']),
    guid: (row['guid'] as string | null) ?? null,
    link: (row['link'] as string | null) ?? null,
    title: String(row['title']),
    publishedAt: (row['published_at'] as string | null) ?? null,
    author: (row['author'] as string | null) ?? null,
    summary: String(row['summary']),
    content: String(row['content']),
    categories: JSON.parse(String(row['categories'])) as string[],
    firstSeenAt: String(row['first_seen_at']),
    body: String(row['body'] ?? ''),
    canonicalUrl: (row['canonical_url'] as string | null) ?? null,
    storyId: (row['story_id'] as string | null) ?? null,
    storyVia: (row['story_via'] as StoryVia | null) ?? null,
  };
}

/** Rows of items joined with their matches (m_* columns), in order: one MatchedItem per item. */
export function groupMatches(rows: Row[], toItem: (row: Row) => StoredItem = toStoredItem): MatchedItem[] {
  const byItem = new Map<string, MatchedItem>();
  for (const row of rows) {
    const id = String(row['id']);
    let entry = byItem.get(id);
    if (!entry) {
      entry = { item: toItem(row), matches: [], feedLabel: (row['feed_label'] as string | null) ?? null, feedTitle: (row['feed_title'] as string | null) ?? null };
      byItem.set(id, entry);
    }
    entry.matches.push({
      itemId: id,
      term: String(row['m_term']),
      count: Number(row['m_count']),
      variant: String(row['m_variant']),
      field: row['m_field'] as StoredMatch['field'],
      offsets: JSON.parse(String(row['m_offsets'])) as StoredMatch['offsets'],
      matchedAt: String(row['m_matched_at']),
    });
  }
  return [...byItem.values()];
}
