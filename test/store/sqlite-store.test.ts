import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { RunError } from '../../src/errors.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { FEED, makeItem, makeMatch, OTHER_FEED, okRecord } from './fixtures.js';

describe('openSqliteStore: schema', () => {
  it('migrations run and set user_version; reopening keeps the data', async (t) => {
    const file = join(await makeTempDir(t), 'nested', 'presswatch.db');
    const store = openSqliteStore(file);
    await store.saveFetch(okRecord(), [makeItem(1)]);
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
      for (const table of ['deliveries', 'feeds', 'items', 'matches', 'watchlist_state']) assert.ok(tables.includes(table), table);
    } finally {
      db.close();
    }
    const again = openSqliteStore(file);
    try {
      assert.equal((await again.getFeedState(FEED))?.itemCount, 1);
    } finally {
      await again.close();
    }
  });

  it('a database of schema 9 is upgraded to 10 with its items, stories, article pages and index entries', async (t) => {
    const file = join(await makeTempDir(t), 'presswatch.db');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    for (const step of MIGRATIONS.slice(0, 9)) old.exec(step);
    old.pragma('user_version = 9');
    const [a, b, c] = [makeItem(1, { title: 'Wonsan : un protocole signé' }), makeItem(2, { title: 'Wonsan : le protocole vu de Moscou' }), makeItem(3, { feedUrl: OTHER_FEED, title: 'Marchés' })];
    old.prepare("INSERT INTO feeds (url, label, last_status, last_ok_at) VALUES (?, 'Le Flux', 'ok', '2026-11-20T10:00:00.000Z'), (?, 'Autre', 'ok', '2026-11-20T10:00:00.000Z')").run(FEED, OTHER_FEED);
    const insert = old.prepare(
      `INSERT INTO items (id, feed_url, guid, link, title, published_at, summary, content, categories, first_seen_at, body, article, scrape_status, canonical_url, title_key, story_id, story_via, last_seen_day)
       VALUES (@id, @feedUrl, @guid, @link, @title, @publishedAt, @summary, '', '[]', '2026-11-20T10:00:00.000Z', @body, @article, @status, @canonicalUrl, @titleKey, @storyId, @via, 20777)`,
    );
    insert.run({
      ...a,
      body: 'Le texte entier de la page, avec Pyongyang.',
      article: '{"lang":"fr"}',
      status: 'done',
      canonicalUrl: 'https://flux.example.fr/c/1',
      titleKey: 'wonsan protocole',
      storyId: a.id,
      via: null,
    });
    insert.run({ ...b, body: '', article: null, status: 'skipped', canonicalUrl: null, titleKey: 'wonsan protocole', storyId: a.id, via: 'copy' });
    insert.run({ ...c, body: '', article: null, status: 'skipped', canonicalUrl: null, titleKey: null, storyId: null, via: null });
    old.exec(`INSERT INTO items_fts (rowid, title, summary, content, body) SELECT seq, title, summary, content, body FROM items`);
    old.prepare('INSERT INTO item_signatures (seq, signature) VALUES (1, CAST(\'{"v":1}\' AS BLOB))').run();
    old.prepare("INSERT INTO item_bands (band_key, item_id) VALUES ('b1', ?)").run(a.id);
    old.prepare("INSERT INTO matches (watchlist, item_id, term, count, variant, field, offsets, matched_at) VALUES ('w', ?, 'Wonsan', 1, 'wonsan', 'title', '{}', '2026-11-20T10:00:00.000Z')").run(a.id);
    old.prepare("INSERT INTO deliveries (watchlist, item_id, delivered_at, story_id) VALUES ('w', ?, '2026-11-20T11:00:00.000Z', ?)").run(a.id, a.id);
    old.close();

    const store = openSqliteStore(file);
    try {
      const items = await store.listItemsAfter([FEED, OTHER_FEED], 0, 10);
      assert.deepEqual(
        items.map((i) => [i.id, i.feedUrl, i.storyId, i.storyVia, i.canonicalUrl, i.body]),
        [
          [a.id, FEED, a.id, null, 'https://flux.example.fr/c/1', 'Le texte entier de la page, avec Pyongyang.'],
          [b.id, FEED, a.id, 'copy', null, ''],
          [c.id, OTHER_FEED, null, null, null, ''],
        ],
      );
      assert.deepEqual(
        (await store.findStoryCandidates({ canonicalUrl: 'https://flux.example.fr/c/1', titleKey: 'wonsan protocole', bandKeys: ['b1'] }, 4)).map((s) => s.storyId),
        [a.id, a.id],
      );
      assert.deepEqual(
        (await store.listStoryReports('2026-11-01T00:00:00.000Z', '2026-11-30T00:00:00.000Z', 10)).map((r) => [r.itemId, r.signature]),
        [
          [b.id, null],
          [a.id, '{"v":1}'],
        ],
      );
      assert.deepEqual(
        (await store.searchItems({ type: 'word', word: 'pyongyang', prefix: 'pyongyang' }, { limit: 10 })).map((i) => i.id),
        [a.id],
      );
      assert.deepEqual((await store.listMatchedItems('w', { undeliveredOnly: true })).length, 0, 'the story stays shown');
      assert.equal((await store.getFeedState(OTHER_FEED))?.itemCount, 1);
      // After the upgrade: a new feed gets a key of its own, and items keep counting from the old ones.
      const NEW_FEED = 'https://troisieme.example.net/flux.xml';
      await store.saveFetch(okRecord(NEW_FEED), [makeItem(4, { feedUrl: NEW_FEED })]);
      assert.deepEqual(
        (await store.listItemsAfter([NEW_FEED], 0, 10)).map((i) => [i.seq, i.feedUrl]),
        [[4, NEW_FEED]],
      );
    } finally {
      await store.close();
    }
    const check = new Database(file, { readonly: true });
    try {
      assert.equal(check.pragma('user_version', { simple: true }), MIGRATIONS.length);
      assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
      assert.deepEqual(check.pragma('foreign_key_check'), []);
      assert.deepEqual(
        (check.prepare('SELECT id, url FROM feeds ORDER BY id').all() as { id: number; url: string }[]).map((f) => [f.id, f.url]),
        [
          [1, FEED],
          [2, OTHER_FEED],
          [3, 'https://troisieme.example.net/flux.xml'],
        ],
      );
    } finally {
      check.close();
    }
  });

  it('a database from a newer presswatch is refused with a clear RunError', async (t) => {
    const file = join(await makeTempDir(t), 'future.db');
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    assert.throws(
      () => openSqliteStore(file),
      (error: unknown) => {
        assert.ok(error instanceof RunError);
        assert.equal(error.exitCode, 1);
        assert.match(error.message, /^store: /);
        assert.ok(error.message.includes(file), 'names the file');
        assert.match(error.message, new RegExp(`newer presswatch \\(schema ${MIGRATIONS.length + 1}, this one knows ${MIGRATIONS.length}\\)`));
        assert.match(error.message, /--data-dir/);
        return true;
      },
    );
    const check = new Database(file, { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), MIGRATIONS.length + 1, 'the newer database is left untouched');
    check.close();
  });

  it('a file that is not a database is a RunError naming the file', async (t) => {
    const file = join(await makeTempDir(t), 'garbage.db');
    await writeFile(file, 'ceci n’est pas une base de données, '.repeat(200));
    assert.throws(
      () => openSqliteStore(file),
      (error: unknown) => error instanceof RunError && error.message.includes(file) && /cannot open database/.test(error.message),
    );
  });
});

describe('openSqliteStore: feeds saved together', () => {
  it('feeds saved at the same moment are each stored whole: one whose row breaks a constraint is left out, state and items, and the others are stored', async (t) => {
    const store = openSqliteStore(join(await makeTempDir(t), 'presswatch.db'));
    const THIRD = 'https://troisieme.example.net/flux.xml';
    try {
      await store.saveFetch(okRecord(OTHER_FEED, { etag: '"v0"' }), [makeItem(1, { feedUrl: OTHER_FEED })]);
      const saves = await Promise.allSettled([
        store.saveFetch(okRecord(FEED, { etag: '"v1"' }), [makeItem(2), makeItem(3)]),
        // A title is NOT NULL: the row is refused, and with it this fetch's new ETag and its other item.
        store.saveFetch(okRecord(OTHER_FEED, { etag: '"v1"' }), [makeItem(4, { feedUrl: OTHER_FEED }), makeItem(5, { feedUrl: OTHER_FEED, title: null as unknown as string })]),
        store.saveFetch(okRecord(THIRD, { etag: '"v1"' }), [makeItem(6, { feedUrl: THIRD })]),
      ]);
      assert.deepEqual(
        saves.map((s) => s.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      assert.deepEqual(
        (await store.listItemsAfter([FEED, OTHER_FEED, THIRD], 0, 10)).map((i) => i.id),
        [makeItem(1, { feedUrl: OTHER_FEED }), makeItem(2), makeItem(3), makeItem(6, { feedUrl: THIRD })].map((i) => i.id),
      );
      assert.equal((await store.getFeedState(OTHER_FEED))?.etag, '"v0"', 'the refused fetch left no new ETag');
      assert.equal((await store.getFeedState(FEED))?.etag, '"v1"');
      assert.equal((await store.getFeedState(THIRD))?.etag, '"v1"');
    } finally {
      await store.close();
    }
  });

  it('kill -9 while feeds are being saved together: every feed has the items of the fetches its state records, and no more', async (t) => {
    const file = join(await makeTempDir(t), 'presswatch.db');
    const feeds = Array.from({ length: 6 }, (_, i) => `https://flux${i}.example.fr/rss.xml`);
    // Each round saves every feed at once (so they wait together), its ETag naming the round, with 5 new items.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { openSqliteStore } from ${JSON.stringify(new URL('../../src/store/sqlite-store.ts', import.meta.url).pathname)};
         import { makeItem, okRecord } from ${JSON.stringify(new URL('./fixtures.ts', import.meta.url).pathname)};
         const store = openSqliteStore(${JSON.stringify(file)});
         const feeds = ${JSON.stringify(feeds)};
         for (let round = 0; ; round++) {
           await Promise.all(feeds.map((url) => store.saveFetch(okRecord(url, { etag: '"' + round + '"' }),
             Array.from({ length: 5 }, (_, k) => makeItem(round * 5 + k, { feedUrl: url, content: 'Un texte assez long pour être compressé. '.repeat(20 + k) })))));
           if (round === 3) process.stdout.write('committed\\n');
         }`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    // Killed after a few committed rounds, at a moment of its own within the next ones.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(Math.random() * 200)));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const store = openSqliteStore(file);
    try {
      const states = await Promise.all(feeds.map((url) => store.getFeedState(url)));
      const rounds = states.map((s) => (s?.etag ? Number(JSON.parse(s.etag)) : -1));
      assert.ok(Math.min(...rounds) >= 3, `every feed has the rounds committed before the kill: ${rounds.join(' ')}`);
      for (const [n, url] of feeds.entries()) {
        assert.equal((await store.listItemsAfter([url], 0, 10_000)).length, 5 * (rounds[n]! + 1), `${url} at round ${rounds[n]}`);
      }
    } finally {
      await store.close();
    }
    const check = new Database(file, { readonly: true });
    try {
      assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      check.close();
    }
  });
});

describe('openSqliteStore: the full-text index catches up when read', () => {
  const word = (w: string) => ({ type: 'word' as const, word: w, prefix: w });
  const indexedThrough = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare('SELECT indexed_through_seq AS n FROM items_fts_state').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('finds items stored since it was last read, an article page saved before it caught up, and not an item pruned before', async (t) => {
    const file = join(await makeTempDir(t), 'presswatch.db');
    const store = openSqliteStore(file);
    try {
      const [a, b, c] = [makeItem(1, { title: 'Wonsan' }), makeItem(2, { title: 'Marchés' }), makeItem(3, { title: 'Pyongyang', publishedAt: null })];
      await store.saveFetch(okRecord(), [a, b]);
      assert.equal(indexedThrough(file), 0, 'storing does not index');
      assert.deepEqual(
        (await store.searchItems(word('wonsan'), { limit: 10 })).map((i) => i.id),
        [a.id],
      );
      assert.equal(indexedThrough(file), 2);
      // Stored, then its page read, then pruned, all before the index is next read (a and b are matched: kept).
      await store.saveFetch(okRecord(), [c]);
      await store.saveMatches('w', 3, [makeMatch(a), makeMatch(b)]);
      await store.saveArticle(b.id, { status: 'done', body: 'Le texte entier parle de Kaesong.', article: {}, canonicalUrl: null });
      await store.saveArticle(a.id, { status: 'done', body: 'Et celui-ci de Sinuiju.', article: {}, canonicalUrl: null });
      const pruned = await store.pruneItems({ unmatchedBefore: '2026-11-21T00:00:00.000Z', matchedBefore: null, now: '2026-11-21T10:00:00.000Z' }, 10);
      assert.equal(pruned.items, 1);
      assert.deepEqual(
        (await store.searchItems(word('kaesong'), { limit: 10 })).map((i) => i.id),
        [b.id],
      );
      assert.deepEqual(
        (await store.searchItems(word('sinuiju'), { limit: 10 })).map((i) => i.id),
        [a.id],
      );
      assert.deepEqual(await store.searchItems(word('pyongyang'), { limit: 10 }), []);
      const { documentCount, df } = await store.documentFrequencies(['Kaesong', 'Wonsan']);
      assert.equal(documentCount, 2);
      assert.deepEqual(
        [...df],
        [
          ['Kaesong', 1],
          ['Wonsan', 1],
        ],
      );
    } finally {
      await store.close();
    }
    const db = new Database(file);
    try {
      db.prepare("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')").run();
    } finally {
      db.close();
    }
  });

  it('a database of schema 12 keeps its index entries, marked as indexed through its last item', async (t) => {
    const file = join(await makeTempDir(t), 'presswatch.db');
    const old = new Database(file);
    old.function('title_key_digest', (key: unknown) => key);
    for (const step of MIGRATIONS.slice(0, 12)) old.exec(step);
    old.pragma('user_version = 12');
    old.prepare("INSERT INTO feeds (id, url, label) VALUES (1, ?, 'Le Flux')").run(FEED);
    const a = makeItem(1, { title: 'Wonsan' });
    old.prepare("INSERT INTO items (id, feed_id, guid, link, title, summary, content, first_seen_at) VALUES (?, 1, '', ?, ?, '', '', '2026-11-20T10:00:00.000Z')").run(a.id, a.link, a.title);
    old.prepare("INSERT INTO items_fts (rowid, title, summary, content, body) VALUES (1, 'Wonsan', '', '', '')").run();
    old.close();
    const store = openSqliteStore(file);
    try {
      assert.equal(indexedThrough(file), 1);
      await store.saveFetch(okRecord(), [makeItem(2, { title: 'Wonsan encore' })]);
      assert.deepEqual((await store.searchItems(word('wonsan'), { limit: 10 })).map((i) => i.seq).sort(), [1, 2]);
      assert.equal(indexedThrough(file), 2);
    } finally {
      await store.close();
    }
  });
});
