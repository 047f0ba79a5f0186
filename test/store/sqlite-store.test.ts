import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { RunError } from '../../src/errors.js';
import { itemId, type Item } from '../../src/feed/item.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { FeedFetchRecord, StoredMatch } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FEED = 'https://flux.example.fr/monde.xml';
const OTHER_FEED = 'https://autre.example.org/asie.xml';

function makeItem(n: number, overrides: Partial<Item> = {}): Item {
  const feedUrl = overrides.feedUrl ?? FEED;
  return {
    id: itemId(feedUrl, `guid:${n}`),
    feedUrl,
    title: `Dépêche numéro ${n}`,
    link: `https://flux.example.fr/a/${n}`,
    guid: String(n),
    publishedAt: `2026-11-${String(10 + n).padStart(2, '0')}T08:00:00.000Z`,
    author: null,
    summary: `Résumé ${n}`,
    content: '',
    categories: ['Monde'],
    ...overrides,
  };
}

function okRecord(url = FEED, overrides: Partial<FeedFetchRecord> = {}): FeedFetchRecord {
  return { url, label: 'Le Flux', title: 'Le Flux — Monde', status: 'ok', httpStatus: 200, error: null, etag: '"v1"', lastModified: null, fetchedAt: '2026-11-20T10:00:00.000Z', ...overrides };
}

function makeMatch(item: Item, term = 'Pyongyang'): StoredMatch {
  return { itemId: item.id, term, count: 1, variant: term.toLowerCase(), field: 'title', offsets: { title: [[0, 9]] }, matchedAt: '2026-11-20T10:00:01.000Z' };
}

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
    assert.throws(() => openSqliteStore(file), (error: unknown) => error instanceof RunError && error.message.includes(file) && /cannot open database/.test(error.message));
  });
});

describe('saveFetch', () => {
  it('returns only the new items; the same item is never stored twice', async (t) => {
    const store = openSqliteStore(join(await makeTempDir(t), 'p.db'));
    try {
      const a = makeItem(1);
      const b = makeItem(2);
      assert.deepEqual((await store.saveFetch(okRecord(), [a, b])).map((i) => i.id), [a.id, b.id]);
      assert.deepEqual((await store.saveFetch(okRecord(), [b, makeItem(3), a])).map((i) => i.guid), ['3']);
      // A feed that repeats a guid inside one document.
      assert.deepEqual((await store.saveFetch(okRecord(), [makeItem(4), makeItem(4)])).map((i) => i.guid), ['4']);
      assert.equal((await store.getFeedState(FEED))?.itemCount, 4);
      const stored = await store.listItemsAfter([FEED], 0, 10);
      assert.deepEqual(stored.map((i) => i.guid), ['1', '2', '3', '4']);
      assert.deepEqual(stored[0]?.categories, ['Monde']);
      assert.equal(stored[0]?.firstSeenAt, '2026-11-20T10:00:00.000Z');
      assert.ok(stored.every((i, k) => k === 0 || i.seq > stored[k - 1]!.seq), 'seq grows');
    } finally {
      await store.close();
    }
  });

  it('is atomic: an item violating a constraint mid-batch rolls back the whole feed', async (t) => {
    const store = openSqliteStore(join(await makeTempDir(t), 'p.db'));
    try {
      await store.saveFetch(okRecord(FEED, { etag: '"before"' }), [makeItem(1)]);
      // title is NOT NULL in the schema; a parser bug that let null through must not half-save a fetch.
      const broken = makeItem(3, { title: null as unknown as string });
      await assert.rejects(() => store.saveFetch(okRecord(FEED, { etag: '"after"', fetchedAt: '2026-11-21T00:00:00.000Z' }), [makeItem(2), broken, makeItem(4)]), /NOT NULL/);
      const state = await store.getFeedState(FEED);
      assert.equal(state?.etag, '"before"', 'the feed row is not updated');
      assert.equal(state?.lastFetchedAt, '2026-11-20T10:00:00.000Z');
      assert.equal(state?.itemCount, 1, 'item 2, saved before the failure, is rolled back');
      assert.deepEqual((await store.listItemsAfter([FEED], 0, 10)).map((i) => i.guid), ['1']);
      // A brand-new feed failing the same way leaves no row at all.
      await assert.rejects(() => store.saveFetch(okRecord(OTHER_FEED), [makeItem(9, { feedUrl: OTHER_FEED }), makeItem(10, { feedUrl: OTHER_FEED, summary: null as unknown as string })]));
      assert.equal(await store.getFeedState(OTHER_FEED), null);
      // The store is still usable afterwards.
      assert.equal((await store.saveFetch(okRecord(), [makeItem(2)])).length, 1);
    } finally {
      await store.close();
    }
  });

  it('an error record keeps validators, title and last success, and records the reason', async (t) => {
    const store = openSqliteStore(join(await makeTempDir(t), 'p.db'));
    try {
      await store.saveFetch(okRecord(FEED, { ttlMinutes: 30 }), [makeItem(1)]);
      await store.saveFetch({ url: FEED, label: 'Le Flux', status: 'error', httpStatus: 503, error: `${FEED}: HTTP 503`, fetchedAt: '2026-11-20T11:00:00.000Z' }, []);
      const state = await store.getFeedState(FEED);
      const expected = {
        url: FEED,
        label: 'Le Flux',
        title: 'Le Flux — Monde',
        etag: '"v1"',
        lastModified: null,
        lastStatus: 'error',
        lastHttpStatus: 503,
        lastError: `${FEED}: HTTP 503`,
        lastFetchedAt: '2026-11-20T11:00:00.000Z',
        lastOkAt: '2026-11-20T10:00:00.000Z',
        ttlMinutes: 30,
        itemCount: 1,
        firstItemAt: makeItem(1).publishedAt,
      };
      assert.ok(state);
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(state[key as keyof typeof state], value, key);
      assert.deepEqual((await store.listFeeds()).map((f) => [f.url, f.lastStatus, f.itemCount]), [[FEED, 'error', 1]]);
    } finally {
      await store.close();
    }
  });
});

describe('matching state', () => {
  it('beginMatching resumes where saveMatches left off, and starts over when the rules change', async (t) => {
    const store = openSqliteStore(join(await makeTempDir(t), 'p.db'));
    try {
      const items = [makeItem(1), makeItem(2), makeItem(3)];
      await store.saveFetch(okRecord(), items);
      assert.equal(await store.beginMatching('coree', 'rules-v1'), 0);
      const page = await store.listItemsAfter([FEED], 0, 2);
      assert.deepEqual(page.map((i) => i.guid), ['1', '2']);
      await store.saveMatches('coree', page[1]!.seq, [makeMatch(items[0]!)]);
      assert.equal(await store.beginMatching('coree', 'rules-v1'), page[1]!.seq, 'same rules: resume');
      assert.deepEqual((await store.listItemsAfter([FEED], page[1]!.seq, 10)).map((i) => i.guid), ['3']);
      assert.equal((await store.listMatchedItems('coree', { undeliveredOnly: true })).length, 1);

      assert.equal(await store.beginMatching('coree', 'rules-v2'), 0, 'edited rules: start over');
      assert.deepEqual(await store.listMatchedItems('coree', { undeliveredOnly: false }), [], 'old matches dropped');
      // Another watchlist is not affected.
      assert.equal(await store.beginMatching('autre', 'x'), 0);
      await store.saveMatches('autre', 99, [makeMatch(items[2]!, 'Wonsan')]);
      await store.beginMatching('coree', 'rules-v3');
      assert.equal((await store.listMatchedItems('autre', { undeliveredOnly: true })).length, 1);
      assert.equal(await store.beginMatching('autre', 'x'), 99);
    } finally {
      await store.close();
    }
  });

  it('saveMatches never moves the cursor backwards', async (t) => {
    const store = openSqliteStore(join(await makeTempDir(t), 'p.db'));
    try {
      await store.beginMatching('w', 'h');
      await store.saveMatches('w', 10, []);
      await store.saveMatches('w', 5, []);
      assert.equal(await store.beginMatching('w', 'h'), 10);
    } finally {
      await store.close();
    }
  });

  it('listMatchedItems groups matches per item and filters by feed and date', async (t) => {
    const store = openSqliteStore(join(await makeTempDir(t), 'p.db'));
    try {
      const a = makeItem(1);
      const b = makeItem(5, { feedUrl: OTHER_FEED });
      await store.saveFetch(okRecord(), [a]);
      await store.saveFetch(okRecord(OTHER_FEED, { label: null, title: 'Asie' }), [b]);
      await store.beginMatching('w', 'h');
      await store.saveMatches('w', 2, [makeMatch(a, 'Pyongyang'), makeMatch(a, 'Moscou'), makeMatch(b)]);
      const all = await store.listMatchedItems('w', { undeliveredOnly: false });
      assert.deepEqual(all.map((m) => [m.item.guid, m.matches.map((x) => x.term)]), [['1', ['Pyongyang', 'Moscou']], ['5', ['Pyongyang']]]);
      assert.deepEqual(all[0]?.matches[0]?.offsets, { title: [[0, 9]] });
      assert.equal(all[0]?.feedLabel, 'Le Flux');
      assert.equal(all[1]?.feedTitle, 'Asie');
      assert.deepEqual((await store.listMatchedItems('w', { undeliveredOnly: false, feedUrls: [OTHER_FEED] })).map((m) => m.item.guid), ['5']);
      assert.deepEqual(await store.listMatchedItems('w', { undeliveredOnly: false, feedUrls: [] }), []);
      assert.deepEqual((await store.listMatchedItems('w', { undeliveredOnly: false, since: '2026-11-13T00:00:00.000Z' })).map((m) => m.item.guid), ['5']);
    } finally {
      await store.close();
    }
  });
});

describe('deliveries', () => {
  it('delivered items leave the "new" list of that watchlist only, and stay visible to a look back', async (t) => {
    const store = openSqliteStore(join(await makeTempDir(t), 'p.db'));
    try {
      const [a, b] = [makeItem(1), makeItem(2)];
      await store.saveFetch(okRecord(), [a, b]);
      for (const w of ['w1', 'w2']) {
        await store.beginMatching(w, 'h');
        await store.saveMatches(w, 2, [makeMatch(a), makeMatch(b)]);
      }
      await store.markDelivered('w1', [a.id], '2026-11-20T12:00:00.000Z');
      await store.markDelivered('w1', [a.id], '2026-11-20T13:00:00.000Z'); // idempotent
      assert.deepEqual((await store.listMatchedItems('w1', { undeliveredOnly: true })).map((m) => m.item.id), [b.id]);
      assert.equal((await store.listMatchedItems('w2', { undeliveredOnly: true })).length, 2);
      assert.equal((await store.listMatchedItems('w1', { undeliveredOnly: false, since: '2026-01-01T00:00:00.000Z' })).length, 2);
      await store.markDelivered('w1', [b.id], '2026-11-20T14:00:00.000Z');
      assert.deepEqual(await store.listMatchedItems('w1', { undeliveredOnly: true }), []);
      await store.markDelivered('w1', [], '2026-11-20T15:00:00.000Z');
    } finally {
      await store.close();
    }
  });

  it('close is idempotent', async (t) => {
    const store = openSqliteStore(join(await makeTempDir(t), 'p.db'));
    await store.close();
    await store.close();
  });
});

describe('transaction', () => {
  it('commits what its tx did, rolls all of it back when the work throws, and nests as savepoints', async (t) => {
    const store = openSqliteStore(join(await makeTempDir(t), 'p.db'));
    try {
      await store.transaction(async (tx) => {
        await tx.saveFetch(okRecord(), [makeItem(1)]);
        await tx.beginMatching('w', 'h');
      });
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.saveFetch(okRecord(), [makeItem(2)]);
          throw new Error('stop');
        }),
        /stop/,
      );
      assert.deepEqual((await store.listItemsAfter([FEED], 0, 10)).map((i) => i.guid), ['1'], 'item 2 rolled back');
      await store.transaction(async (tx) => {
        await tx.saveFetch(okRecord(), [makeItem(3)]);
        await assert.rejects(
          tx.transaction(async (inner) => {
            await inner.saveFetch(okRecord(), [makeItem(4)]);
            throw new Error('inner');
          }),
          /inner/,
        );
      });
      assert.deepEqual((await store.listItemsAfter([FEED], 0, 10)).map((i) => i.guid), ['1', '3'], 'only the savepoint rolled back');
    } finally {
      await store.close();
    }
  });

  it('calls from outside a transaction wait for it and are not part of it', async (t) => {
    const store = openSqliteStore(join(await makeTempDir(t), 'p.db'));
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const inside = new Promise<void>((resolve) => (started = resolve));
      const work = store.transaction(async (tx) => {
        await tx.saveFetch(okRecord(), [makeItem(1)]);
        started();
        await held;
        throw new Error('rolled back');
      });
      await inside;
      // Issued while the transaction is open; must neither see nor join it.
      const outside = store.saveFetch(okRecord(OTHER_FEED), [makeItem(2, { feedUrl: OTHER_FEED })]);
      release();
      await assert.rejects(work, /rolled back/);
      assert.equal((await outside).length, 1);
      assert.equal(await store.getFeedState(FEED), null);
      assert.equal((await store.getFeedState(OTHER_FEED))?.itemCount, 1);
    } finally {
      await store.close();
    }
  });
});
