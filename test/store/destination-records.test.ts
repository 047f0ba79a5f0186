/**
 * The store's delivery records for destinations, through the Store interface
 * only (so that another backend can run the same cases): what a destination is
 * owed, what it accepted, how a removed destination is forgotten, and a rolling
 * feed's entries.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { itemId, type Item } from '../../src/feed/item.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore, STORE_BACKENDS } from '../helpers/stores.js';

const FEED = 'https://flux.example.fr/monde.xml';
const MAIL = 'mailto:veille@example.org';
const HOOK = 'https://hooks.example.org/abc';

function item(n: number): Item {
  return { id: itemId(FEED, `guid:${n}`), feedUrl: FEED, title: `Pyongyang ${n}`, link: null, guid: String(n), publishedAt: null, author: null, summary: '', content: '', categories: [] };
}

/** Stores items as first seen at `at`, each matched by watchlist w. */
async function arrive(store: Store, at: string, items: Item[]): Promise<void> {
  await store.saveFetch({ url: FEED, label: null, status: 'ok', httpStatus: 200, error: null, fetchedAt: at }, items);
  await store.beginMatching('w', 'h');
  await store.saveMatches(
    'w',
    Number.MAX_SAFE_INTEGER,
    items.map((i) => ({ itemId: i.id, term: 'Pyongyang', count: 1, variant: 'Pyongyang', field: 'title', offsets: {}, matchedAt: at })),
  );
}

const owed = async (store: Store, destination: string) => (await store.listMatchedItems('w', { undeliveredOnly: false, undeliveredTo: destination, feedUrls: [FEED] })).map((m) => m.item.title);

for (const backend of STORE_BACKENDS) {
  describe(`store: delivery records per destination (${backend.name})`, { skip: backend.skip }, () => {
    it('a destination is owed the items first seen since it was added, until it accepts them; each destination on its own', async (t) => {
      const store = await openTestStore(t, backend);
      await arrive(store, '2026-11-01T07:00:00.000Z', [item(1)]);
      await store.syncDestinations('w', [MAIL, HOOK], '2026-11-02T07:00:00.000Z');
      assert.deepEqual(await owed(store, MAIL), [], 'the archive is not owed');
      await arrive(store, '2026-11-02T07:00:01.000Z', [item(2), item(3)]);
      assert.deepEqual(await owed(store, MAIL), ['Pyongyang 2', 'Pyongyang 3']);
      await store.markDeliveredTo('w', MAIL, { itemIds: [item(2).id, item(3).id], at: '2026-11-02T07:00:02.000Z' });
      assert.deepEqual(await owed(store, MAIL), []);
      assert.deepEqual(await owed(store, HOOK), ['Pyongyang 2', 'Pyongyang 3'], 'the webhook did not accept them');
      assert.deepEqual(await owed(store, 'mailto:unknown@example.org'), [], 'a destination never added is owed nothing');
      // stdout's own mark is untouched.
      assert.equal((await store.listMatchedItems('w', { undeliveredOnly: true, feedUrls: [FEED] })).length, 3);
    });

    it('a destination no longer listed is forgotten with its records; listed again, it starts afresh', async (t) => {
      const store = await openTestStore(t, backend);
      await store.syncDestinations('w', [MAIL, HOOK], '2026-11-01T00:00:00.000Z');
      await arrive(store, '2026-11-01T07:00:00.000Z', [item(1)]);
      await store.markDeliveredTo('w', HOOK, { itemIds: [item(1).id], at: '2026-11-01T07:00:01.000Z', feed: { entries: [{ storyId: item(1).id, story: '{}', deliveredAt: '2026-11-01T07:00:00.000Z' }], keep: 10 } });
      await store.syncDestinations('w', [MAIL], '2026-11-02T00:00:00.000Z');
      assert.deepEqual(await store.listFeedEntries('w', HOOK, 10), []);
      await arrive(store, '2026-11-02T07:00:00.000Z', [item(2)]);
      await store.syncDestinations('w', [MAIL, HOOK], '2026-11-03T00:00:00.000Z');
      await arrive(store, '2026-11-03T07:00:00.000Z', [item(3)]);
      assert.deepEqual(await owed(store, HOOK), ['Pyongyang 3'], 'nothing from while it was away');
      assert.deepEqual(await owed(store, MAIL), ['Pyongyang 1', 'Pyongyang 2', 'Pyongyang 3'], 'syncing again does not move the date of one that stayed');
    });

    it('recording twice is harmless (a retried record after a crash)', async (t) => {
      const store = await openTestStore(t, backend);
      await store.syncDestinations('w', [MAIL], '2026-11-01T00:00:00.000Z');
      await arrive(store, '2026-11-01T07:00:00.000Z', [item(1)]);
      const record = { itemIds: [item(1).id], at: '2026-11-01T07:00:01.000Z' };
      await store.markDeliveredTo('w', MAIL, record);
      await store.markDeliveredTo('w', MAIL, record);
      assert.deepEqual(await owed(store, MAIL), []);
    });
  });
}
