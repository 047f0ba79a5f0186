/**
 * Retention with a driven clock: items age past each limit and are pruned; a
 * pruned item its feed still carries is never stored or shown again (a 200 with
 * the same items, or a changed ETag); a story shown once is never shown again
 * after its items are pruned, even when a copy comes back under a new GUID;
 * tombstones end once no feed carries the item; a dry run changes nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Watchlist } from '../../src/config/watchlist.js';
import type { FetchOptions } from '../../src/fetch/http.js';
import { runDigest, SILENT_REPORTER, uniqueFeeds, type DigestRunOptions } from '../../src/pipeline.js';
import { pruneArchive, pruneCutoffs, type RetentionPolicy } from '../../src/pipeline/prune-archive.js';
import { workDueFeeds } from '../../src/pipeline/work-feeds.js';
import type { StoreLocation } from '../../src/store/open-store.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { readRows, STORE_BACKENDS, type StoreBackend } from '../helpers/stores.js';
import type { makeTempDir } from '../helpers/temp-dir.js';

const FETCH: FetchOptions = { timeoutMs: 2000, maxBytes: 1 << 20, maxRedirects: 3, userAgent: 'presswatch-test/1.0' };
const DAY = 86_400_000;
const START = Date.parse('2026-01-05T08:00:00.000Z');
const POLICY: RetentionPolicy = { keepUnmatchedDays: 30, keepMatchedDays: 365 };

// Dispatches written for these tests.
const PACT = {
  guid: 'pacte-1',
  title: 'Wonsan : Moscou et Pyongyang signent un protocole de défense',
  text: "Moscou et Pyongyang ont signé à Wonsan un protocole qui précise l'accord de défense mutuelle conclu l'an dernier, avec des manœuvres communes et un échange d'officiers.",
};
const WEATHER = { guid: 'meteo-1', title: 'Prévisions pour le week-end', text: 'Il fera beau samedi sur la moitié sud du pays. Des averses sont attendues dimanche dans le nord, avec un vent soutenu sur les côtes.' };
const MARKET = { guid: 'marche-1', title: 'Le marché du port rouvre ses halles', text: 'Les halles du port rouvrent après deux ans de travaux, avec quarante étals de poissonniers et un restaurant au premier étage.' };

interface Dispatch {
  guid: string;
  title: string;
  text: string;
}

/** A feed whose items the test changes; its ETag follows its content, and it answers 304 to a matching If-None-Match. */
class Feed {
  items: Dispatch[] = [];
  /** Bumped to change the ETag without changing the items (a publisher rebuilding its feed). */
  revision = 0;
  etag(): string {
    return `"${this.revision}-${this.items.map((i) => i.guid).join(',')}"`;
  }
  body(origin: string): string {
    return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Le Flux</title><link>${origin}/</link><description>d</description>
${this.items.map((i) => `<item><title>${i.title}</title><link>${origin}/articles/${i.guid}</link><guid>${i.guid}</guid><description>${i.text}</description></item>`).join('\n')}</channel></rss>`;
  }
}

interface World {
  store: Store;
  server: TestServer;
  feed: Feed;
  other: Feed;
  watchlist: Watchlist;
  location: StoreLocation;
  /** Runs a digest at START + `day` days, marks what it showed, and prunes at its end as the CLI does. */
  digestOn(day: number): Promise<string[]>;
}

type TestContext = Parameters<typeof makeTempDir>[0];

async function openWorldStore(t: TestContext, backend: StoreBackend): Promise<{ store: Store; location: StoreLocation }> {
  const location = await backend.location(t);
  const store = await openStore(location);
  t.after(() => store.close());
  return { store, location };
}

async function world(t: TestContext, backend: StoreBackend): Promise<World> {
  const feed = new Feed();
  const other = new Feed();
  const served = (f: Feed) => (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    if (req.headers['if-none-match'] === f.etag()) return void res.writeHead(304, { etag: f.etag() }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag: f.etag() }).end(f.body(server.origin));
  };
  const server: TestServer = await startServer({ '/flux.xml': served(feed), '/autre.xml': served(other) });
  t.after(() => server.close());
  const { store, location } = await openWorldStore(t, backend);
  const watchlist: Watchlist = {
    name: 'veille',
    description: '',
    feeds: [
      { url: server.url('/flux.xml'), label: 'Le Flux' },
      { url: server.url('/autre.xml'), label: 'Autre' },
    ],
    keywords: [{ term: 'Wonsan', aliases: [] }],
    rules: [],
    exclude: [],
    fullText: 'never',
  };
  return {
    store,
    server,
    feed,
    other,
    watchlist,
    location,
    async digestOn(day: number) {
      const now = new Date(START + day * DAY);
      const options: DigestRunOptions = { fetch: FETCH, concurrency: 2, now: () => now, reporter: SILENT_REPORTER, fetchFeeds: true, since: null };
      const run = await runDigest(store, [watchlist], options);
      await run.markDelivered();
      await pruneArchive(store, pruneCutoffs(POLICY, now), { budgetMs: 10_000 });
      return run.digest.stories.map((s) => s.title);
    },
  };
}

async function count(location: StoreLocation, sql: string): Promise<number> {
  return Number((await readRows<{ n: number }>(location, sql))[0]!.n);
}

/** Stored items whose full text holds `word` (the full-text index, through the store). */
async function indexed(store: Store, word: string): Promise<number> {
  return (await store.documentFrequencies([word])).df.get(word) ?? 0;
}

const storedGuids = async (store: Store) => (await store.listFeeds()).reduce((n, f) => n + f.itemCount, 0);

for (const backend of STORE_BACKENDS) {
  describe(`retention: items age past their limits (${backend.name})`, { skip: backend.skip }, () => {
    it('an unmatched item goes after keepUnmatchedDays, a matched one after keepMatchedDays, each with its index entries', async (t) => {
      const w = await world(t, backend);
      w.feed.items = [PACT, WEATHER];
      assert.deepEqual(await w.digestOn(0), [PACT.title]);
      assert.equal(await storedGuids(w.store), 2);

      // The publisher drops both items from its feed: no tombstone is needed once their time comes.
      w.feed.items = [MARKET];
      assert.deepEqual(await w.digestOn(29), []);
      assert.equal(await storedGuids(w.store), 3, 'nothing is 30 days old yet');
      await w.digestOn(31);
      const afterUnmatched = await w.store.archiveStats();
      assert.equal(afterUnmatched.totals.items, 2, 'the weather item (unmatched, 31 days old) is gone; the pact (matched) and the market (2 days) stay');
      assert.equal(await indexed(w.store, 'previsions'), 0, 'its full-text entries went with it');
      assert.equal(await indexed(w.store, 'protocole'), 1);

      await w.digestOn(364);
      assert.equal((await w.store.archiveStats()).totals.matchedItems, 1, 'the pact stays up to keepMatchedDays');
      await w.digestOn(366);
      const afterMatched = await w.store.archiveStats();
      assert.equal(afterMatched.totals.items, 0, 'the pact is over a year old; the market item, unmatched, went at 30 days');
      assert.equal(afterMatched.totals.matches, 0);
      if (backend.name === 'sqlite') assert.equal(await count(w.location, 'SELECT count(*) AS n FROM item_signatures'), 0, 'signatures go with their items');
      assert.equal(
        await count(w.location, `SELECT count(*) AS n FROM item_bands b WHERE NOT EXISTS (SELECT 1 FROM pruned_stories p WHERE ${backend.name === 'sqlite' ? 'p.seq = b.seq' : 'p.item_id = b.item_id'})`),
        0,
        'story keys go, except those kept for the delivered story',
      );
      assert.equal(afterMatched.totals.prunedStories, 1, 'the delivered story keeps its keys');
      assert.equal(afterMatched.totals.tombstones, 1, 'only the market item, still in its feed, left a tombstone');
      if (backend.name === 'sqlite') {
        const db = new Database(w.location.databaseFile);
        db.prepare("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')").run();
        db.close();
      }
    });

    it('a story goes whole, once its newest item is past keepMatchedDays', async (t) => {
      const w = await world(t, backend);
      w.feed.items = [PACT];
      assert.deepEqual(await w.digestOn(0), [PACT.title]);
      w.feed.items = [];
      // Another outlet carries the same dispatch 100 days later: same story, not shown again.
      w.other.items = [{ ...PACT, guid: 'autre-pacte' }];
      assert.deepEqual(await w.digestOn(100), []);
      w.other.items = [];
      await w.digestOn(370);
      assert.equal((await w.store.archiveStats()).totals.items, 2, 'the first copy is over a year old, but its story is not');
      await w.digestOn(470);
      assert.equal((await w.store.archiveStats()).totals.items, 0);
    });

    it('keep 0 keeps forever', async (t) => {
      const w = await world(t, backend);
      w.feed.items = [WEATHER];
      await w.digestOn(0);
      const report = await pruneArchive(w.store, pruneCutoffs({ keepUnmatchedDays: 0, keepMatchedDays: 0 }, new Date(START + 5000 * DAY)));
      assert.equal(report.items, 0);
      assert.equal((await w.store.archiveStats()).totals.items, 1);
    });
  });

  describe(`retention: nothing comes back (${backend.name})`, { skip: backend.skip }, () => {
    it('a pruned item still in its feed is neither stored nor shown again, on a 200 with the same items or a new ETag', async (t) => {
      const w = await world(t, backend);
      w.feed.items = [PACT, WEATHER];
      assert.deepEqual(await w.digestOn(0), [PACT.title]);
      // The feed keeps both items for over a year (a slow feed), changing its ETag now and then.
      for (const day of [10, 20, 31, 45]) {
        w.feed.revision++;
        assert.deepEqual(await w.digestOn(day), []);
      }
      const stats = await w.store.archiveStats();
      assert.equal(stats.totals.items, 1, 'the weather item was pruned at 31 days');
      assert.equal(stats.totals.tombstones, 1, 'and left a tombstone, its feed still carrying it');
      assert.equal(stats.feeds.find((f) => f.url === w.server.url('/flux.xml'))?.tombstones, 1);
      for (const day of [300, 366, 367, 400]) {
        w.feed.revision++;
        assert.deepEqual(await w.digestOn(day), [], `day ${day}: nothing shown again`);
      }
      const later = await w.store.archiveStats();
      assert.equal(later.totals.items, 0, 'both items pruned, neither stored again');
      assert.equal(later.totals.tombstones, 2);
      // A fetch that answers 304 (same ETag) changes nothing either.
      assert.deepEqual(await w.digestOn(401), []);
      assert.equal(w.server.requestsTo('/flux.xml').length, 10);
    });

    it('a delivered story is never delivered again after its items are pruned, even under a new GUID', async (t) => {
      const w = await world(t, backend);
      w.feed.items = [PACT];
      assert.deepEqual(await w.digestOn(0), [PACT.title]);
      w.feed.items = [];
      await w.digestOn(400);
      assert.equal((await w.store.archiveStats()).totals.items, 0);
      // The publisher re-issues the dispatch under a new GUID; another outlet carries it too.
      w.feed.items = [{ ...PACT, guid: 'pacte-1-bis' }];
      w.other.items = [{ ...PACT, guid: 'copie' }];
      assert.deepEqual(await w.digestOn(401), [], 'the copies join the pruned story, which was shown');
      // A story never shown is shown, of course.
      w.feed.items = [{ guid: 'neuf', title: 'Wonsan : un nouveau terminal au port', text: 'Un terminal pour conteneurs ouvre au port de Wonsan, construit par une entreprise russe, avec une grue de quarante tonnes.' }];
      assert.deepEqual(await w.digestOn(402), ['Wonsan : un nouveau terminal au port']);
    });

    it('a tombstone ends 14 days after its feed last carried the item, counted in fetches that returned items', async (t) => {
      const w = await world(t, backend);
      w.feed.items = [WEATHER];
      await w.digestOn(0);
      await w.digestOn(31);
      assert.equal((await w.store.archiveStats()).totals.tombstones, 1);
      // The feed answers 304 for months: it may still carry the item, the tombstone stays.
      await w.digestOn(100);
      assert.equal((await w.store.archiveStats()).totals.tombstones, 1, 'a 304 is no news: the tombstone stays');
      // The feed drops the item; 14 days of content without it end the tombstone.
      w.feed.items = [MARKET];
      await w.digestOn(101);
      await w.digestOn(110);
      assert.equal((await w.store.archiveStats()).totals.tombstones, 1);
      await w.digestOn(116);
      assert.equal((await w.store.archiveStats()).totals.tombstones, 0);
    });
  });

  describe(`retention: a worker round (${backend.name})`, { skip: backend.skip }, () => {
    it('a round that stored something prunes at its end', async (t) => {
      const w = await world(t, backend);
      w.feed.items = [WEATHER];
      await w.digestOn(0);
      w.feed.items = [MARKET];
      const now = new Date(START + 40 * DAY);
      const round = await workDueFeeds(w.store, uniqueFeeds([w.watchlist]), {
        fetch: FETCH,
        concurrency: 1,
        now: () => now,
        reporter: SILENT_REPORTER,
        leaseMs: 60_000,
        minIntervalMs: 3_600_000,
        signal: new AbortController().signal,
        retention: POLICY,
      });
      assert.equal(round.fetched.length, 2);
      const stats = await w.store.archiveStats();
      assert.equal(stats.totals.items, 1, 'the weather item, 40 days old, went at the end of the round; the market item, new, stays');
      assert.equal(stats.totals.tombstones, 0, 'its feed no longer carries it');
    });
  });

  describe(`retention: delivery records (${backend.name})`, { skip: backend.skip }, () => {
    it('a story only a destination accepted keeps its keys and its delivery records while they may matter, then both go', async (t) => {
      const { store, location } = await openWorldStore(t, backend);
      const feedUrl = 'https://flux.example.fr/rss.xml';
      const item = { id: 'pacte-a', feedUrl, guid: PACT.guid, link: 'https://flux.example.fr/a/1', title: PACT.title, publishedAt: null, author: null, summary: PACT.text, content: '', categories: [] };
      const fetchOn = (day: number, items: (typeof item)[]) => store.saveFetch({ url: feedUrl, label: null, status: 'ok', httpStatus: 200, error: null, fetchedAt: new Date(START + day * DAY).toISOString() }, items);
      const at = new Date(START).toISOString();
      await fetchOn(0, [item]);
      await store.beginMatching('veille', 'r');
      await store.saveMatches('veille', 1, [{ itemId: item.id, term: 'Wonsan', count: 1, variant: 'wonsan', field: 'title', offsets: {}, matchedAt: at }]);
      await store.assignStory(item.id, item.id, { canonicalUrl: item.link, titleKey: 'wonsan protocole', bandKeys: ['b1'] }, '{"v":1}', null);
      await store.syncDestinations('veille', ['mail'], at);
      await store.markDeliveredTo('veille', 'mail', { itemIds: [item.id], at });
      // The feed drops the item; a year later the item goes.
      await fetchOn(10, []);
      const orphans = `SELECT count(*) AS n FROM destination_deliveries d
        WHERE NOT EXISTS (SELECT 1 FROM ${backend.name === 'sqlite' ? 'item_rows' : 'items'} i WHERE i.id = d.item_id OR i.story_id = d.story_id)
          AND NOT EXISTS (SELECT 1 FROM pruned_stories p WHERE p.story_id = d.story_id)`;
      await pruneArchive(store, pruneCutoffs(POLICY, new Date(START + 400 * DAY)));
      assert.equal((await store.archiveStats()).totals.prunedStories, 1, 'accepted by a destination: the story keeps its keys');
      assert.equal(await count(location, 'SELECT count(*) AS n FROM destination_deliveries'), 1, 'and its delivery record, so a copy is not sent again');
      // A copy under a new GUID joins the story: the destination is not owed it.
      await fetchOn(401, [{ ...item, id: 'pacte-b', guid: 'pacte-b', link: 'https://flux.example.fr/a/2' }]);
      const keys = { canonicalUrl: item.link, titleKey: 'wonsan protocole', bandKeys: ['b1'] };
      const [candidate] = await store.findStoryCandidates(keys, 4);
      assert.equal(candidate?.storyId, item.id);
      // 14 days on, no feed carries the story: its keys go, and its delivery records with them.
      await pruneArchive(store, pruneCutoffs({ keepUnmatchedDays: 1, keepMatchedDays: 365 }, new Date(START + 420 * DAY)));
      assert.equal((await store.archiveStats()).totals.prunedStories, 0);
      assert.equal(await count(location, orphans), 0, 'no delivery record outlives its story');
      assert.equal(await count(location, 'SELECT count(*) AS n FROM destination_deliveries'), 0);
    });
  });

  describe(`retention: the archive stays bounded (${backend.name})`, { skip: backend.skip }, () => {
    it('120 days of daily digests: what is stored stops growing, and no story is shown twice', async (t) => {
      const w = await world(t, backend);
      const { distinctText } = await import('../hostile/support.js');
      const shown: string[] = [];
      const sizes: number[] = [];
      let published = 0;
      for (let day = 0; day < 120; day++) {
        // Five new items a day, one of them about Wonsan; the feed carries its last ten.
        for (let k = 0; k < 5; k++, published++) {
          const guid = `d${day}-${k}`;
          const text = distinctText(guid).replace(/^Pyongyang /, '');
          w.feed.items.unshift(k === 0 ? { guid, title: `Wonsan, jour ${day}`, text: `Wonsan ${text}` } : { guid, title: `Dépêche ${guid}`, text });
        }
        w.feed.items = w.feed.items.slice(0, 10);
        shown.push(...(await w.digestOn(day)));
        sizes.push((await w.store.archiveStats()).totals.items);
      }
      assert.equal(published, 600);
      assert.equal(shown.length, 120, 'each Wonsan item shown once, on its day');
      assert.equal(new Set(shown).size, 120);
      // Unmatched items stay 30 days (4 a day), matched ones a year (1 a day).
      const bound = 31 * 4 + 120;
      assert.ok(Math.max(...sizes.slice(31)) <= bound, `at most ${bound} items stored after day 31: ${Math.max(...sizes.slice(31))}`);
      const stats = await w.store.archiveStats();
      assert.equal(stats.totals.items - stats.totals.matchedItems <= 31 * 4, true, 'unmatched items of the last 30 days only');
      assert.equal(stats.totals.tombstones, 0, 'the feed dropped each item long before it was pruned');
    });
  });

  describe(`retention: bounded in time (${backend.name})`, { skip: backend.skip }, () => {
    it('a pruning whose budget runs out stops between batches, and the next one finishes the job', async (t) => {
      const { store, location } = await openWorldStore(t, backend);
      const feedUrl = 'https://flux.example.fr/long.xml';
      const items = Array.from({ length: 1200 }, (_, k) => ({
        id: `item-${String(k).padStart(5, '0')}`,
        feedUrl,
        guid: `g${k}`,
        link: `https://flux.example.fr/a/${k}`,
        title: `Dépêche ${k}`,
        publishedAt: null,
        author: null,
        summary: `Le texte de la dépêche numéro ${k}, qui ne parle de rien que la veille cherche.`,
        content: '',
        categories: [],
      }));
      await store.saveFetch({ url: feedUrl, label: null, status: 'ok', httpStatus: 200, error: null, fetchedAt: new Date(START).toISOString() }, items);
      const cutoffs = pruneCutoffs(POLICY, new Date(START + 40 * DAY));
      const cut = await pruneArchive(store, cutoffs, { budgetMs: 0 });
      assert.equal(cut.complete, false, 'a spent budget starts no batch');
      assert.equal(cut.items, 0);
      // A clock that moves 10 ms each time it is read: the budget of 15 ms allows one batch of 500.
      let ms = 0;
      const first = await pruneArchive(store, cutoffs, { budgetMs: 15, clock: () => (ms += 10) });
      assert.equal(first.items, 500);
      assert.equal(first.complete, false);
      assert.equal(await count(location, 'SELECT count(*) AS n FROM items'), 700, 'the batch done is done');
      const rest = await pruneArchive(store, cutoffs);
      assert.equal(first.items + rest.items, 1200);
      assert.equal(rest.complete, true);
      assert.equal(await count(location, 'SELECT count(*) AS n FROM items'), 0);
    });
  });

  describe(`retention: a dry run (${backend.name})`, { skip: backend.skip }, () => {
    it('counts what would go and changes nothing', async (t) => {
      const w = await world(t, backend);
      w.feed.items = [PACT, WEATHER, MARKET];
      await w.digestOn(0);
      const before = await w.store.archiveStats();
      const bytes = (await w.store.storageSize()).bytes;
      const cutoffs = pruneCutoffs(POLICY, new Date(START + 400 * DAY));
      const dry = await pruneArchive(w.store, cutoffs, { dryRun: true });
      assert.deepEqual({ items: dry.items, matchedItems: dry.matchedItems, stories: dry.stories, dryRun: dry.dryRun }, { items: 3, matchedItems: 1, stories: 1, dryRun: true });
      assert.deepEqual(await w.store.archiveStats(), before);
      assert.equal((await w.store.storageSize()).bytes, bytes);
      const real = await pruneArchive(w.store, cutoffs);
      assert.deepEqual([real.items, real.matchedItems, real.stories], [3, 1, 1], 'the dry run said what a real one does');
    });
  });
}
