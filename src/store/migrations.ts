/**
 * The schema, as an ordered list of steps. The database's `user_version` says
 * how many have run; opening runs the rest in one transaction, and refuses a
 * database written by a newer presswatch.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE feeds (
    url TEXT PRIMARY KEY,
    label TEXT,
    title TEXT,
    etag TEXT,
    last_modified TEXT,
    last_status TEXT CHECK (last_status IN ('ok', 'not-modified', 'error')),
    last_http_status INTEGER,
    last_error TEXT,
    last_fetched_at TEXT,
    last_ok_at TEXT,
    ttl_minutes INTEGER
  );
  CREATE TABLE items (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    feed_url TEXT NOT NULL REFERENCES feeds(url),
    guid TEXT,
    link TEXT,
    title TEXT NOT NULL,
    published_at TEXT,
    author TEXT,
    summary TEXT NOT NULL,
    content TEXT NOT NULL,
    categories TEXT NOT NULL DEFAULT '[]',
    first_seen_at TEXT NOT NULL
  );
  CREATE INDEX items_feed_seq ON items(feed_url, seq);
  CREATE INDEX items_date ON items(coalesce(published_at, first_seen_at));
  CREATE TABLE matches (
    watchlist TEXT NOT NULL,
    item_id TEXT NOT NULL REFERENCES items(id),
    term TEXT NOT NULL,
    count INTEGER NOT NULL,
    variant TEXT NOT NULL,
    field TEXT NOT NULL,
    offsets TEXT NOT NULL,
    matched_at TEXT NOT NULL,
    PRIMARY KEY (watchlist, item_id, term)
  );
  CREATE INDEX matches_item ON matches(item_id);
  CREATE TABLE watchlist_state (
    watchlist TEXT PRIMARY KEY,
    rules_hash TEXT NOT NULL,
    matched_through_seq INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE deliveries (
    watchlist TEXT NOT NULL,
    item_id TEXT NOT NULL,
    delivered_at TEXT NOT NULL,
    PRIMARY KEY (watchlist, item_id)
  );
  `,
  // 2: full-text search over stored items (accent-insensitive), and when each feed may next be fetched.
  `
  CREATE VIRTUAL TABLE items_fts USING fts5(
    title, summary, content,
    content = 'items', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
  );
  INSERT INTO items_fts(rowid, title, summary, content) SELECT seq, title, summary, content FROM items;
  CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts(rowid, title, summary, content) VALUES (new.seq, new.title, new.summary, new.content);
  END;
  CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, summary, content) VALUES ('delete', old.seq, old.title, old.summary, old.content);
  END;
  CREATE TRIGGER items_fts_update AFTER UPDATE OF title, summary, content ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, summary, content) VALUES ('delete', old.seq, old.title, old.summary, old.content);
    INSERT INTO items_fts(rowid, title, summary, content) VALUES (new.seq, new.title, new.summary, new.content);
  END;
  ALTER TABLE feeds ADD COLUMN next_fetch_at TEXT;
  `,
  // 3: full text scraped from article pages, and story identity across outlets and ID churn.
  `
  ALTER TABLE items ADD COLUMN body TEXT NOT NULL DEFAULT '';
  ALTER TABLE items ADD COLUMN article TEXT;
  ALTER TABLE items ADD COLUMN scrape_status TEXT NOT NULL DEFAULT 'skipped'
    CHECK (scrape_status IN ('pending', 'done', 'skipped', 'error'));
  ALTER TABLE items ADD COLUMN scrape_error TEXT;
  ALTER TABLE items ADD COLUMN canonical_url TEXT;
  ALTER TABLE items ADD COLUMN title_key TEXT;
  ALTER TABLE items ADD COLUMN signature TEXT;
  ALTER TABLE items ADD COLUMN story_id TEXT;
  CREATE INDEX items_pending ON items(scrape_status) WHERE scrape_status = 'pending';
  CREATE INDEX items_unclustered ON items(seq) WHERE story_id IS NULL;
  CREATE INDEX items_story ON items(story_id);
  CREATE INDEX items_canonical_url ON items(canonical_url);
  CREATE INDEX items_title_key ON items(title_key);
  CREATE TABLE item_bands (
    band_key TEXT NOT NULL,
    item_id TEXT NOT NULL,
    PRIMARY KEY (band_key, item_id)
  ) WITHOUT ROWID;

  DROP TRIGGER items_fts_insert;
  DROP TRIGGER items_fts_delete;
  DROP TRIGGER items_fts_update;
  DROP TABLE items_fts;
  CREATE VIRTUAL TABLE items_fts USING fts5(
    title, summary, content, body,
    content = 'items', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
  );
  INSERT INTO items_fts(rowid, title, summary, content, body) SELECT seq, title, summary, content, body FROM items;
  CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts(rowid, title, summary, content, body) VALUES (new.seq, new.title, new.summary, new.content, new.body);
  END;
  CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, summary, content, body) VALUES ('delete', old.seq, old.title, old.summary, old.content, old.body);
  END;
  CREATE TRIGGER items_fts_update AFTER UPDATE OF title, summary, content, body ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, summary, content, body) VALUES ('delete', old.seq, old.title, old.summary, old.content, old.body);
    INSERT INTO items_fts(rowid, title, summary, content, body) VALUES (new.seq, new.title, new.summary, new.content, new.body);
  END;
  `,
  // 4: deliveries keyed by story too, so "shown before?" is one index look-up per item.
  `
  ALTER TABLE deliveries ADD COLUMN story_id TEXT;
  UPDATE deliveries SET story_id = (SELECT coalesce(i.story_id, i.id) FROM items i WHERE i.id = deliveries.item_id);
  UPDATE deliveries SET story_id = item_id WHERE story_id IS NULL;
  CREATE INDEX deliveries_story ON deliveries(watchlist, story_id);
  `,
  // 5: a feed's first item date from an index, not a scan of all its items (feed state is read per feed per run).
  `
  CREATE INDEX items_feed_date ON items(feed_url, coalesce(published_at, first_seen_at));
  `,
  // 6: retention (docs/retention.md) and a smaller file (docs/benchmarks.md, storage).
  // - When a feed last carried an item, and last answered with its items, and (tombstones) since when it no
  //   longer carries one: what a tombstone's life is measured by.
  // - Tombstones: the ids of pruned items their feed may still carry, so they are never stored again; and the
  //   story keys of delivered stories whose items are pruned, so a later copy joins the story and stays unshown.
  // - Long texts are stored deflated (src/store/packed-text.ts), so the full-text index keeps its own
  //   tokens (contentless, kept by the store, not by triggers reading the rows), without positions or
  //   columns: the search prefilter uses prefix terms, AND and OR only, the exact matcher checks phrases,
  //   NEAR and fields.
  // - Signatures move out of the item rows, compressed: a row grown by 1.6 kB after its insert split its page.
  // - Indexes on story keys hold only the items that have them (most items are never matched); the date
  //   indexes go (digests read matched items from matches; a search narrows by the full-text index first;
  //   a feed's first item is its first stored one, found by items_feed_seq).
  `
  ALTER TABLE items ADD COLUMN last_seen_day INTEGER;
  ALTER TABLE feeds ADD COLUMN last_content_at TEXT;
  CREATE TABLE tombstones (
    id TEXT PRIMARY KEY,
    feed_url TEXT NOT NULL,
    story_id TEXT,
    last_seen_at TEXT NOT NULL,
    gone_at TEXT
  ) WITHOUT ROWID;
  CREATE INDEX tombstones_carried ON tombstones(feed_url) WHERE gone_at IS NULL;
  CREATE INDEX tombstones_gone ON tombstones(gone_at) WHERE gone_at IS NOT NULL;
  CREATE INDEX tombstones_story ON tombstones(story_id) WHERE story_id IS NOT NULL;
  CREATE TABLE pruned_stories (
    item_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    canonical_url TEXT,
    title_key TEXT,
    signature BLOB,
    pruned_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX pruned_stories_story ON pruned_stories(story_id);
  CREATE INDEX pruned_stories_url ON pruned_stories(canonical_url) WHERE canonical_url IS NOT NULL;
  CREATE INDEX pruned_stories_title ON pruned_stories(title_key) WHERE title_key IS NOT NULL;
  CREATE INDEX deliveries_story_any ON deliveries(story_id);

  CREATE TABLE item_signatures (
    seq INTEGER PRIMARY KEY,
    signature BLOB NOT NULL
  );
  INSERT INTO item_signatures (seq, signature) SELECT seq, CAST(signature AS BLOB) FROM items WHERE signature IS NOT NULL;
  ALTER TABLE items DROP COLUMN signature;

  DROP INDEX items_unclustered;
  DROP INDEX items_date;
  DROP INDEX items_feed_date;
  DROP INDEX items_story;
  DROP INDEX items_canonical_url;
  DROP INDEX items_title_key;
  CREATE INDEX items_story ON items(story_id) WHERE story_id IS NOT NULL;
  CREATE INDEX items_canonical_url ON items(canonical_url) WHERE canonical_url IS NOT NULL;
  CREATE INDEX items_title_key ON items(title_key) WHERE title_key IS NOT NULL;

  DROP TRIGGER items_fts_insert;
  DROP TRIGGER items_fts_delete;
  DROP TRIGGER items_fts_update;
  DROP TABLE items_fts;
  CREATE VIRTUAL TABLE items_fts USING fts5(
    title, summary, content, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    detail = none
  );
  INSERT INTO items_fts(rowid, title, summary, content, body) SELECT seq, title, summary, content, body FROM items;
  `,
  // 7: delivery to each destination of a watchlist (mail, webhook, Atom file), with its own record;
  // a rolling Atom file's entries are kept here so that it can be written again whole.
  `
  CREATE TABLE destinations (
    watchlist TEXT NOT NULL,
    destination TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (watchlist, destination)
  );
  CREATE TABLE destination_deliveries (
    watchlist TEXT NOT NULL,
    destination TEXT NOT NULL,
    item_id TEXT NOT NULL,
    story_id TEXT NOT NULL,
    delivered_at TEXT NOT NULL,
    PRIMARY KEY (watchlist, destination, item_id)
  ) WITHOUT ROWID;
  CREATE INDEX destination_deliveries_story ON destination_deliveries(watchlist, destination, story_id);
  CREATE TABLE feed_entries (
    watchlist TEXT NOT NULL,
    destination TEXT NOT NULL,
    story_id TEXT NOT NULL,
    delivered_at TEXT NOT NULL,
    position INTEGER NOT NULL,
    story TEXT NOT NULL,
    PRIMARY KEY (watchlist, destination, story_id)
  );
  CREATE INDEX feed_entries_recent ON feed_entries(watchlist, destination, delivered_at DESC, position);
  `,
  // 8: how an item joined its story (a copy of one of its reports, or its own report of the same
  // event), and the stories' reports by date for the same-event rule. Until now only copies joined.
  `
  ALTER TABLE items ADD COLUMN story_via TEXT;
  UPDATE items SET story_via = 'copy' WHERE story_id IS NOT NULL AND story_id != id;
  CREATE INDEX items_story_date ON items(coalesce(published_at, first_seen_at)) WHERE story_id IS NOT NULL;
  `,
  // 9: leases, so that several workers share feeds and article pages, and per-host request slots.
  `
  ALTER TABLE feeds ADD COLUMN lease_owner TEXT;
  ALTER TABLE feeds ADD COLUMN lease_until TEXT;
  ALTER TABLE items ADD COLUMN lease_owner TEXT;
  ALTER TABLE items ADD COLUMN lease_until TEXT;
  CREATE TABLE host_slots (
    host TEXT PRIMARY KEY,
    next_start_ms INTEGER NOT NULL
  );
  `,
  // 10: a smaller file (docs/benchmarks.md, storage).
  // - Item rows name their feed by an integer key, not its URL (in the row and in the (feed, seq) index).
  // - Story keys and article pages live in tables of their own: written after the item, they grew its row,
  //   and a grown row splits its page (the cold benchmark left 1.6 MB of the item table empty that way).
  //   A story's date is copied beside its keys, for the same-event rule's look-up by date.
  // - item_rows puts them together again, under the columns items had, for reading.
  // - Delivery records are looked up by story alone when pruning (SQLite's destination_deliveries).
  // The items table is rebuilt: opening runs this with foreign keys off, and checks them before committing.
  `
  ALTER TABLE feeds ADD COLUMN id INTEGER;
  UPDATE feeds SET id = rowid;
  CREATE UNIQUE INDEX feeds_id ON feeds(id);

  CREATE TABLE items_v10 (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    feed_id INTEGER NOT NULL,
    guid TEXT,
    link TEXT,
    title TEXT NOT NULL,
    published_at TEXT,
    author TEXT,
    summary TEXT NOT NULL,
    content TEXT NOT NULL,
    categories TEXT NOT NULL DEFAULT '[]',
    first_seen_at TEXT NOT NULL,
    scrape_status TEXT NOT NULL DEFAULT 'skipped' CHECK (scrape_status IN ('pending', 'done', 'skipped', 'error')),
    scrape_error TEXT,
    last_seen_day INTEGER,
    lease_owner TEXT,
    lease_until TEXT
  );
  INSERT INTO items_v10 (seq, id, feed_id, guid, link, title, published_at, author, summary, content, categories, first_seen_at, scrape_status, scrape_error, last_seen_day, lease_owner, lease_until)
    SELECT i.seq, i.id, f.id, i.guid, i.link, i.title, i.published_at, i.author, i.summary, i.content, i.categories, i.first_seen_at, i.scrape_status, i.scrape_error, i.last_seen_day, i.lease_owner, i.lease_until
    FROM items i JOIN feeds f ON f.url = i.feed_url ORDER BY i.seq;
  CREATE TABLE item_stories (
    seq INTEGER PRIMARY KEY,
    story_id TEXT,
    story_via TEXT,
    canonical_url TEXT,
    title_key TEXT,
    reported_at TEXT
  );
  INSERT INTO item_stories (seq, story_id, story_via, canonical_url, title_key, reported_at)
    SELECT seq, story_id, story_via, canonical_url, title_key, coalesce(published_at, first_seen_at) FROM items
    WHERE story_id IS NOT NULL OR canonical_url IS NOT NULL OR title_key IS NOT NULL;
  CREATE TABLE item_bodies (
    seq INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    article TEXT
  );
  INSERT INTO item_bodies (seq, body, article) SELECT seq, body, article FROM items WHERE body != '' OR article IS NOT NULL;
  DROP TABLE items;
  ALTER TABLE items_v10 RENAME TO items;
  CREATE INDEX items_feed_seq ON items(feed_id, seq);
  CREATE INDEX items_pending ON items(scrape_status) WHERE scrape_status = 'pending';
  CREATE INDEX item_stories_story ON item_stories(story_id) WHERE story_id IS NOT NULL;
  CREATE INDEX item_stories_canonical_url ON item_stories(canonical_url) WHERE canonical_url IS NOT NULL;
  CREATE INDEX item_stories_title_key ON item_stories(title_key) WHERE title_key IS NOT NULL;
  CREATE INDEX item_stories_date ON item_stories(reported_at) WHERE story_id IS NOT NULL;
  CREATE INDEX destination_deliveries_story_any ON destination_deliveries(story_id);

  CREATE VIEW item_rows AS
    SELECT i.seq, i.id, i.feed_id, f.url AS feed_url, i.guid, i.link, i.title, i.published_at, i.author, i.summary, i.content, i.categories,
      i.first_seen_at, coalesce(b.body, '') AS body, b.article, i.scrape_status, i.scrape_error, i.last_seen_day, i.lease_owner, i.lease_until,
      s.story_id, s.story_via, s.canonical_url, s.title_key
    FROM items i JOIN feeds f ON f.id = i.feed_id LEFT JOIN item_stories s ON s.seq = i.seq LEFT JOIN item_bodies b ON b.seq = i.seq;
  `,
  // 11: story keys take less room (docs/benchmarks.md, storage).
  // - Fingerprint bands name their item by its seq, not its 24-character id. The kept keys of a pruned
  //   story keep its item's seq (pruned_stories.seq; numbers below zero for stories kept before this step).
  // - Title keys (a feed and a folded title, 100 characters and more) are only ever compared whole: they are
  //   stored as a 16-byte digest (title_key_digest, a function the store defines).
  `
  ALTER TABLE pruned_stories ADD COLUMN seq INTEGER;
  UPDATE pruned_stories SET seq = -(SELECT count(*) FROM pruned_stories q WHERE q.item_id <= pruned_stories.item_id);
  CREATE UNIQUE INDEX pruned_stories_seq ON pruned_stories(seq);
  CREATE TABLE item_bands_v11 (
    band_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (band_key, seq)
  ) WITHOUT ROWID;
  INSERT OR IGNORE INTO item_bands_v11 (band_key, seq)
    SELECT b.band_key, coalesce(i.seq, p.seq) FROM item_bands b
    LEFT JOIN items i ON i.id = b.item_id LEFT JOIN pruned_stories p ON p.item_id = b.item_id
    WHERE coalesce(i.seq, p.seq) IS NOT NULL;
  DROP TABLE item_bands;
  ALTER TABLE item_bands_v11 RENAME TO item_bands;
  UPDATE item_stories SET title_key = title_key_digest(title_key) WHERE title_key IS NOT NULL;
  UPDATE pruned_stories SET title_key = title_key_digest(title_key) WHERE title_key IS NOT NULL;
  `,
  // 12: the places of each host's requests in flight, shared by every process (expiring, so a
  // process killed with -9 does not keep one).
  `
  CREATE TABLE host_places (
    host TEXT NOT NULL,
    place INTEGER NOT NULL,
    owner TEXT NOT NULL,
    until_ms INTEGER NOT NULL,
    PRIMARY KEY (host, place)
  );
  `,
  // 13: the full-text index is brought up to date in bulk when it is read (search, relevance scoring), not
  // item by item as items are stored: most runs never read it, and one large write costs less than a
  // segment per commit and the merges that follow. It holds every item up to indexed_through_seq, which
  // moves in the same transaction as the entries. Every item stored so far is indexed.
  `
  CREATE TABLE items_fts_state (indexed_through_seq INTEGER NOT NULL);
  INSERT INTO items_fts_state (indexed_through_seq) SELECT coalesce(max(seq), 0) FROM items;
  `,
];
