import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { RunError } from '../../src/errors.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { FEED, makeItem, OTHER_FEED, okRecord } from './fixtures.js';

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
