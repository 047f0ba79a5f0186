/**
 * The PostgreSQL schema, as an ordered list of steps, the counterpart of
 * migrations.ts for SQLite: the same tables and columns, so both stores read
 * rows the same way (dates stay ISO-8601 text, compared as text as in SQLite).
 *
 * `presswatch_schema.version` says how many steps have run. Opening runs the
 * rest in one transaction under an advisory lock, so processes starting
 * together do not race, and refuses a database written by a newer presswatch.
 *
 * Full-text search: every item has a `search` vector built with two text search
 * configurations that fold accents (the `unaccent` extension): `presswatch_simple`
 * (each word as written, for prefix queries: the same candidates as SQLite's FTS5)
 * and `presswatch_french` (French stems, so inflected forms find each other).
 */

/** A step is SQL; `{unaccent}` stands for the unaccent dictionary, qualified by its extension's schema. */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TEXT SEARCH CONFIGURATION presswatch_simple (COPY = pg_catalog.simple);
  ALTER TEXT SEARCH CONFIGURATION presswatch_simple
    ALTER MAPPING FOR hword, hword_part, word WITH {unaccent}, simple;
  CREATE TEXT SEARCH CONFIGURATION presswatch_french (COPY = pg_catalog.french);
  ALTER TEXT SEARCH CONFIGURATION presswatch_french
    ALTER MAPPING FOR hword, hword_part, word WITH {unaccent}, french_stem;

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
    ttl_minutes INTEGER,
    next_fetch_at TEXT
  );

  CREATE TABLE items (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    first_seen_at TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    article TEXT,
    scrape_status TEXT NOT NULL DEFAULT 'skipped' CHECK (scrape_status IN ('pending', 'done', 'skipped', 'error')),
    scrape_error TEXT,
    canonical_url TEXT,
    title_key TEXT,
    signature TEXT,
    story_id TEXT,
    -- A tsvector is capped at 1 MB: the first 200,000 characters of an item are what is indexed.
    search TSVECTOR GENERATED ALWAYS AS (
      to_tsvector('presswatch_simple', left(title || ' ' || summary || ' ' || content || ' ' || body, 200000))
      || to_tsvector('presswatch_french', left(title || ' ' || summary || ' ' || content || ' ' || body, 200000))
    ) STORED
  );
  CREATE INDEX items_feed_seq ON items(feed_url, seq);
  CREATE INDEX items_date ON items((coalesce(published_at, first_seen_at)));
  CREATE INDEX items_feed_date ON items(feed_url, (coalesce(published_at, first_seen_at)));
  CREATE INDEX items_pending ON items(seq) WHERE scrape_status = 'pending';
  CREATE INDEX items_story ON items(story_id);
  CREATE INDEX items_canonical_url ON items(canonical_url);
  CREATE INDEX items_title_key ON items(title_key);
  CREATE INDEX items_search ON items USING gin(search);

  CREATE TABLE matches (
    watchlist TEXT NOT NULL,
    item_id TEXT NOT NULL REFERENCES items(id),
    term TEXT NOT NULL,
    count INTEGER NOT NULL,
    variant TEXT NOT NULL,
    field TEXT NOT NULL,
    offsets TEXT NOT NULL,
    matched_at TEXT NOT NULL,
    -- Insertion order (SQLite's rowid): a digest lists an item's matches in the order they were found.
    ord BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (watchlist, item_id, term)
  );
  CREATE INDEX matches_item ON matches(item_id);

  CREATE TABLE watchlist_state (
    watchlist TEXT PRIMARY KEY,
    rules_hash TEXT NOT NULL,
    matched_through_seq BIGINT NOT NULL DEFAULT 0
  );

  CREATE TABLE deliveries (
    watchlist TEXT NOT NULL,
    item_id TEXT NOT NULL,
    delivered_at TEXT NOT NULL,
    story_id TEXT,
    PRIMARY KEY (watchlist, item_id)
  );
  CREATE INDEX deliveries_story ON deliveries(watchlist, story_id);

  CREATE TABLE item_bands (
    band_key TEXT NOT NULL,
    item_id TEXT NOT NULL,
    PRIMARY KEY (band_key, item_id)
  );
  `,
  // 2: leases, so that several workers share feeds and article pages, and per-host request slots.
  `
  ALTER TABLE feeds ADD COLUMN lease_owner TEXT, ADD COLUMN lease_until TEXT;
  CREATE INDEX feeds_due ON feeds((coalesce(next_fetch_at, '')));
  ALTER TABLE items ADD COLUMN lease_owner TEXT, ADD COLUMN lease_until TEXT;
  CREATE TABLE host_slots (
    host TEXT PRIMARY KEY,
    next_start_ms BIGINT NOT NULL
  );
  `,
  // 3: delivery to each destination of a watchlist (SQLite's 7); a rolling Atom file's entries are
  // kept so that it can be written again whole.
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
  );
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
  // 4: how an item joined its story (SQLite's 8), and the stories' reports by date for the same-event rule.
  `
  ALTER TABLE items ADD COLUMN story_via TEXT;
  UPDATE items SET story_via = 'copy' WHERE story_id IS NOT NULL AND story_id != id;
  CREATE INDEX items_story_date ON items((coalesce(published_at, first_seen_at))) WHERE story_id IS NOT NULL;
  `,
  // 5: retention (SQLite's 6, docs/retention.md): when a feed last carried an item and last answered
  // with its items, tombstones of pruned items their feed may still carry, and the kept keys of
  // delivered stories whose items are pruned. Deliveries are looked up by story alone when pruning.
  `
  ALTER TABLE items ADD COLUMN last_seen_day INTEGER;
  ALTER TABLE feeds ADD COLUMN last_content_at TEXT;
  CREATE TABLE tombstones (
    id TEXT PRIMARY KEY,
    feed_url TEXT NOT NULL,
    story_id TEXT,
    last_seen_at TEXT NOT NULL,
    gone_at TEXT
  );
  CREATE INDEX tombstones_carried ON tombstones(feed_url) WHERE gone_at IS NULL;
  CREATE INDEX tombstones_gone ON tombstones(gone_at) WHERE gone_at IS NOT NULL;
  CREATE INDEX tombstones_story ON tombstones(story_id) WHERE story_id IS NOT NULL;
  CREATE TABLE pruned_stories (
    item_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    canonical_url TEXT,
    title_key TEXT,
    signature TEXT,
    pruned_at TEXT NOT NULL
  );
  CREATE INDEX pruned_stories_story ON pruned_stories(story_id);
  CREATE INDEX pruned_stories_url ON pruned_stories(canonical_url) WHERE canonical_url IS NOT NULL;
  CREATE INDEX pruned_stories_title ON pruned_stories(title_key) WHERE title_key IS NOT NULL;
  CREATE INDEX deliveries_story_any ON deliveries(story_id);
  CREATE INDEX destination_deliveries_story_any ON destination_deliveries(story_id);
  `,
  // 6: the places of each host's requests in flight, shared by every worker (SQLite's 12); a place
  // expires, so a worker killed with -9 does not keep it. And the story look-ups by canonical URL
  // and title key, newest first, straight from an index: with an index on the key alone, the
  // planner could walk every item backwards by seq instead (0.5 s a look-up with 20,000 items).
  `
  DROP INDEX items_canonical_url;
  DROP INDEX items_title_key;
  CREATE INDEX items_canonical_url_seq ON items(canonical_url, seq DESC);
  CREATE INDEX items_title_key_seq ON items(title_key, seq DESC);
  CREATE TABLE host_places (
    host TEXT NOT NULL,
    place INTEGER NOT NULL,
    owner TEXT NOT NULL,
    until_ms BIGINT NOT NULL,
    PRIMARY KEY (host, place)
  );
  `,
];
