import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Watchlist } from '../../src/config/watchlist.js';
import type { FetchOptions } from '../../src/fetch/http.js';
import { createPoliteFetcher } from '../../src/fetch/polite-fetcher.js';
import { refreshFeeds, runDigest, SILENT_REPORTER, uniqueFeeds, type DigestRunOptions } from '../../src/pipeline.js';
import { FreshMatches, matchStoredItems } from '../../src/pipeline/match-stored-items.js';
import { buildReferenceProfile } from '../../src/relevance/profile.js';
import { startServer } from '../helpers/http-server.js';
import { openTestStore, STORE_BACKENDS } from '../helpers/stores.js';

const FETCH: FetchOptions = { timeoutMs: 2000, maxBytes: 1 << 20, maxRedirects: 3, userAgent: 'presswatch-test/1.0' };
const NOW = new Date('2026-11-18T12:00:00Z');

function rss(items: { guid: string; title: string; text: string; link: string }[]): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>http://x/</link><description>d</description>
${items.map((i) => `<item><title>${i.title}</title><link>${i.link}</link><guid>${i.guid}</guid><pubDate>Tue, 17 Nov 2026 09:00:00 GMT</pubDate><description>${i.text}</description></item>`).join('')}</channel></rss>`;
}

function base(overrides: Partial<DigestRunOptions> = {}): DigestRunOptions {
  return { fetch: FETCH, concurrency: 2, now: () => NOW, reporter: SILENT_REPORTER, fetchFeeds: true, since: null, ...overrides };
}

const watchlist = (name: string, feeds: string[], extra: Partial<Watchlist> = {}): Watchlist => ({
  name,
  description: '',
  feeds: feeds.map((url) => ({ url, label: null })),
  keywords: [{ term: 'Wonsan', aliases: [] }],
  rules: [],
  exclude: [],
  ...extra,
});

for (const backend of STORE_BACKENDS) {
  describe(`matching cursors and deliveries (${backend.name})`, { skip: backend.skip }, () => {
    it('an item waiting for its article page is not matched on its teaser and then forgotten', async (t) => {
      let origin = '';
      const server = await startServer({
        '/feed.xml': (_q, res) => res.end(rss([{ guid: 'g1', title: 'Une station balnéaire', text: 'Lire la suite.', link: `${origin}/article.html` }])),
        '/article.html': (_q, res) =>
          res
            .writeHead(200, { 'content-type': 'text/html' })
            .end(
              '<html><body><article><h1>Une station</h1><p>Les premiers touristes russes sont arrivés à Wonsan cette semaine, par un vol spécial.</p><p>Les hôtels du front de mer affichent complet.</p></article></body></html>',
            ),
      });
      origin = server.origin;
      t.after(() => server.close());
      const store = await openTestStore(t, backend);
      const w = watchlist('w', [server.url('/feed.xml')], { fullText: 'auto' });

      // Fetched and queued for scraping, then interrupted; the next run is --no-fetch. The keyword is only in the page.
      await refreshFeeds(store, uniqueFeeds([w]), base());
      const first = await runDigest(store, [w], base({ fetchFeeds: false }));
      assert.equal(first.digest.stories.length, 0);
      const second = await runDigest(store, [w], base({ scrape: { concurrency: 1, fetcher: createPoliteFetcher({ fetch: FETCH, perHostConcurrency: 1, perHostDelayMs: 0, respectRobots: false }) } }));
      assert.deepEqual(
        second.digest.stories.map((s) => [s.title, s.matches[0]?.field]),
        [['Une station balnéaire', 'body']],
      );
    });

    it('a feed added to a watchlist is matched from its stored past, not only from new items', async (t) => {
      const server = await startServer({
        '/a.xml': (_q, res) => res.end(rss([{ guid: 'a1', title: 'Rien ici', text: 'Une dépêche sans rapport avec la veille, assez longue pour être lue telle quelle.', link: 'http://example.invalid/a1' }])),
        '/b.xml': (_q, res) =>
          res.end(rss([{ guid: 'b1', title: 'Wonsan accueille des touristes', text: 'Une dépêche sur Wonsan, assez longue pour être lue telle quelle par la veille.', link: 'http://example.invalid/b1' }])),
      });
      t.after(() => server.close());
      const store = await openTestStore(t, backend);
      const other = watchlist('other', [server.url('/b.xml')], { keywords: [{ term: 'touristes', aliases: [] }], fullText: 'never' });
      const mine = watchlist('mine', [server.url('/a.xml')], { fullText: 'never' });
      await runDigest(store, [mine, other], base());
      const widened = { ...mine, feeds: [...mine.feeds, { url: server.url('/b.xml'), label: null }] };
      const run = await runDigest(store, [widened], base({ fetchFeeds: false }));
      assert.deepEqual(
        run.digest.stories.map((s) => s.title),
        ['Wonsan accueille des touristes'],
      );
    });

    // Texts in one byte per character and in two (a document with one character past U+00FF is
    // decoded two-byte throughout), markup and references in a feed's text, an exclusion.
    const varied = (origin: string) =>
      rss([
        { guid: 'v1', title: 'Wonsan : la plage rénovée', text: 'La plage de Wonsan rouvre après des travaux, avec un marché de poissons et des parasols neufs.', link: `${origin}/v1` },
        { guid: 'v2', title: 'Un port du Nord', text: 'Les touristes de Wonsan’s beach, « ravis », découvrent le port — et la “nouvelle” promenade.', link: `${origin}/v2` },
        { guid: 'v3', title: 'Tourisme', text: '&lt;p&gt;Un vol spécial pour &lt;b&gt;Won&amp;shy;san&lt;/b&gt; cette semaine.&lt;/p&gt; Les hôtels affichent complet.', link: `${origin}/v3` },
        { guid: 'v4', title: 'Wonsan et son casino', text: 'Le casino de Wonsan ouvre ses portes aux visiteurs étrangers pour la première fois.', link: `${origin}/v4` },
        { guid: 'v5', title: 'Rien à voir', text: 'Une dépêche sans rapport avec la veille, assez longue pour être lue telle quelle.', link: `${origin}/v5` },
      ]);

    it('items matched as they are stored and items read back from the store match the same', async (t) => {
      const server = await startServer({ '/feed.xml': (_q, res) => res.end(varied('http://example.invalid')) });
      t.after(() => server.close());
      const w = watchlist('w', [server.url('/feed.xml')], { fullText: 'never', exclude: ['casino'] });
      const matchedIn = async (fresh: FreshMatches | undefined) => {
        const store = await openTestStore(t, backend);
        await refreshFeeds(store, uniqueFeeds([w]), { ...base(), ...(fresh ? { onStored: (url, items, queued) => fresh.add(url, items, queued) } : {}) });
        await matchStoredItems(store, w, NOW, fresh);
        const matched = await store.listMatchedItems('w', { undeliveredOnly: true });
        return matched.map((m) => ({ guid: m.item.guid, matches: m.matches.map(({ itemId: _, ...rest }) => rest) }));
      };
      const fresh = new FreshMatches([w]);
      const asStored = await matchedIn(fresh);
      assert.equal(fresh.of(w).size, 5, 'every item was matched as it was stored');
      const readBack = await matchedIn(undefined);
      assert.deepEqual(asStored, readBack);
      assert.deepEqual(
        asStored.map((m) => [m.guid, m.matches[0]?.field]),
        [
          ['v1', 'title'],
          ['v2', 'summary'],
          ['v3', 'summary'],
        ],
      );
    });

    it('items stored by a run that died before matching are matched by the next run', async (t) => {
      const server = await startServer({ '/feed.xml': (_q, res) => res.end(varied('http://example.invalid')) });
      t.after(() => server.close());
      const store = await openTestStore(t, backend);
      const w = watchlist('w', [server.url('/feed.xml')], { fullText: 'never', exclude: ['casino'] });
      // The dead run: its feeds committed, its matches never made.
      await refreshFeeds(store, uniqueFeeds([w]), base());
      const next = await runDigest(store, [w], base());
      assert.deepEqual(
        next.digest.feeds.map((f) => f.newItems),
        [0],
        'nothing new for this run',
      );
      assert.deepEqual(next.digest.stories.map((s) => s.title).sort(), ['Tourisme', 'Un port du Nord', 'Wonsan : la plage rénovée']);
    });

    it('stories left out by --min-score are not marked as shown', async (t) => {
      const server = await startServer({
        '/feed.xml': (_q, res) =>
          res.end(
            rss([
              {
                guid: 'p1',
                title: 'Wonsan : le pacte de défense',
                text: "Moscou et Pyongyang ont signé à Wonsan un protocole de l'accord de défense mutuelle, avec des manœuvres communes.",
                link: 'http://example.invalid/p1',
              },
              { guid: 'p2', title: 'Wonsan : une plage rénovée', text: 'La plage de Wonsan rouvre après des travaux, avec de nouveaux parasols et un marché de poissons.', link: 'http://example.invalid/p2' },
            ]),
          ),
      });
      t.after(() => server.close());
      const store = await openTestStore(t, backend);
      const reference = buildReferenceProfile("L'accord de défense mutuelle entre Moscou et Pyongyang prévoit des manœuvres communes et un protocole militaire.", 'seed.txt', NOW);
      const w = watchlist('w', [server.url('/feed.xml')], { fullText: 'never', reference });
      const strict = await runDigest(store, [w], base({ minScore: 0.2 }));
      assert.deepEqual(
        strict.digest.stories.map((s) => s.title),
        ['Wonsan : le pacte de défense'],
      );
      await strict.markDelivered();
      const next = await runDigest(store, [w], base({ fetchFeeds: false }));
      assert.deepEqual(
        next.digest.stories.map((s) => s.title),
        ['Wonsan : une plage rénovée'],
        'the low-score story was not delivered, so it still comes',
      );
    });
  });
}
