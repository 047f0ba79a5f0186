import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { Watchlist } from '../../src/config/watchlist.js';
import type { FetchOptions } from '../../src/fetch/http.js';
import { refreshFeeds, runDigest, SILENT_REPORTER, type DigestRunOptions, type Reporter } from '../../src/pipeline.js';
import { redirectTo, serveFeed, startServer, type TestServer } from '../helpers/http-server.js';
import { openTestStore, STORE_BACKENDS, suiteHooks } from '../helpers/stores.js';

const fixture = (name: string) => readFile(new URL(`../fixtures/feeds/${name}`, import.meta.url));
const FETCH: FetchOptions = { timeoutMs: 2000, maxBytes: 1024 * 1024, maxRedirects: 3, userAgent: 'presswatch-test' };
const NOW = new Date('2026-11-20T12:00:00Z');
const LAST_MODIFIED = 'Wed, 18 Nov 2026 10:00:00 GMT';

function options(overrides: Partial<DigestRunOptions> = {}): DigestRunOptions {
  // No scraper here: these tests are about fetching and storing, so nothing is queued for article pages.
  return { fetch: FETCH, concurrency: 4, now: () => NOW, reporter: SILENT_REPORTER, fetchFeeds: true, since: null, queueFullText: false, ...overrides };
}

function recordingReporter(): Reporter & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...SILENT_REPORTER, warn: (m) => warnings.push(m), warnings };
}

for (const backend of STORE_BACKENDS) {
  describe(`refreshFeeds and runDigest against a loopback server (${backend.name})`, { skip: backend.skip }, async () => {
    let server: TestServer;
    const hooks = suiteHooks();
    const hanging = new Set<import('node:http').ServerResponse>();

    before(async () => {
      const [rss, atom, latin1, html] = await Promise.all([fixture('rss2-fr.xml'), fixture('atom-fr.xml'), fixture('rss2-latin1.xml'), fixture('not-a-feed.html')]);
      server = await startServer({
        '/etag.xml': serveFeed(rss, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"gazette-v1"' }),
        '/lastmod.xml': serveFeed(atom, { 'content-type': 'application/atom+xml', 'last-modified': LAST_MODIFIED }),
        // The charset only in the XML declaration: the header says nothing.
        '/latin1.xml': serveFeed(latin1, { 'content-type': 'text/xml' }),
        '/gzip.xml': serveFeed(gzipSync(latin1), { 'content-type': 'application/rss+xml; charset=iso-8859-1', 'content-encoding': 'gzip' }),
        '/plain.xml': serveFeed(rss, { 'content-type': 'application/rss+xml' }),
        '/error.xml': (_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('boom'),
        '/hang.xml': (_req, res) => void hanging.add(res),
        // Headers and half a document, then silence: the timeout must cover the body too.
        '/stall.xml': (_req, res) => {
          hanging.add(res);
          res.writeHead(200, { 'content-type': 'application/rss+xml' });
          res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Lent</title>');
        },
        // No Content-Length: the cap is enforced while reading.
        '/huge.xml': (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/rss+xml' });
          res.end(`<rss version="2.0"><channel><title>${'x'.repeat(FETCH.maxBytes + 10)}</title></channel></rss>`);
        },
        '/page.html': serveFeed(html, { 'content-type': 'text/html; charset=utf-8' }),
        '/chain/1': redirectTo('/chain/2', 301),
        '/chain/2': redirectTo('/chain/3', 302),
        '/chain/3': redirectTo('/lastmod.xml', 307),
        '/loop/1': redirectTo('/loop/2'),
        '/loop/2': redirectTo('/loop/3'),
        '/loop/3': redirectTo('/loop/4'),
        '/loop/4': redirectTo('/loop/5'),
        '/loop/5': redirectTo('/etag.xml'),
      });
    });
    after(async () => {
      for (const res of hanging) res.destroy();
      await server.close();
      await hooks.run();
    });

    const openStore = () => openTestStore(hooks, backend);

    it('ETag: the second run sends If-None-Match, gets 304 and stores nothing new', async () => {
      const store = await openStore();
      try {
        const feeds = [{ url: server.url('/etag.xml'), label: 'Gazette' }];
        const [first] = await refreshFeeds(store, feeds, options());
        assert.equal(first?.status, 'ok');
        assert.equal(first?.newItems, 3);
        assert.equal((await store.getFeedState(feeds[0]!.url))?.etag, '"gazette-v1"');

        const [second] = await refreshFeeds(store, feeds, options());
        const requests = server.requestsTo('/etag.xml');
        assert.equal(requests.at(-1)?.headers['if-none-match'], '"gazette-v1"');
        assert.deepEqual(second, { url: feeds[0]!.url, label: 'Gazette', status: 'not-modified', error: null, httpStatus: 304, newItems: 0 });
        const state = await store.getFeedState(feeds[0]!.url);
        assert.equal(state?.lastStatus, 'not-modified');
        assert.equal(state?.etag, '"gazette-v1"', 'a 304 keeps the validator');
        assert.equal(state?.itemCount, 3);
        assert.equal(state?.title, 'La Gazette du Matin — International', 'a 304 keeps the title');
      } finally {
        await store.close();
      }
    });

    it('Last-Modified: the second run sends If-Modified-Since, gets 304', async () => {
      const store = await openStore();
      try {
        const feeds = [{ url: server.url('/lastmod.xml'), label: null }];
        assert.equal((await refreshFeeds(store, feeds, options()))[0]?.newItems, 2);
        const [second] = await refreshFeeds(store, feeds, options());
        assert.equal(server.requestsTo('/lastmod.xml').at(-1)?.headers['if-modified-since'], LAST_MODIFIED);
        assert.equal(second?.status, 'not-modified');
        assert.equal(second?.newItems, 0);
        assert.equal((await store.getFeedState(feeds[0]!.url))?.lastModified, LAST_MODIFIED);
        assert.equal((await store.getFeedState(feeds[0]!.url))?.itemCount, 2);
      } finally {
        await store.close();
      }
    });

    it('ISO-8859-1 feed: accents are right in stored titles', async () => {
      const store = await openStore();
      try {
        const url = server.url('/latin1.xml');
        const watchlist: Watchlist = { name: 'wonsan', description: '', feeds: [{ url, label: null }], keywords: [{ term: 'Wonsan', aliases: [] }], exclude: [] };
        const run = await runDigest(store, [watchlist], options());
        assert.equal((await store.getFeedState(url))?.title, "Le Quotidien de l'Est - édition Monde");
        assert.deepEqual(
          run.digest.stories.map((s) => s.title),
          ['Pyongyang accueille une délégation économique à Wonsan'],
        );
        assert.match(run.digest.stories[0]?.snippet ?? '', /échanges porteront sur le tourisme, l'énergie et la pêche côtière/);
        const all = (await store.listItemsAfter([url], 0, 10)).map((i) => i.title);
        assert.deepEqual(all, ['Pyongyang accueille une délégation économique à Wonsan', "Fête des vendanges : record d'affluence à Colmar"]);
      } finally {
        await store.close();
      }
    });

    it('a gzip-encoded response is inflated, then decoded with the header charset', async () => {
      const store = await openStore();
      try {
        const url = server.url('/gzip.xml');
        const [report] = await refreshFeeds(store, [{ url, label: null }], options());
        assert.equal(report?.status, 'ok', report?.error ?? '');
        assert.equal((await store.listItemsAfter([url], 0, 1))[0]?.title, 'Pyongyang accueille une délégation économique à Wonsan');
        assert.equal(server.requestsTo('/gzip.xml')[0]?.headers['accept-encoding'], 'gzip, deflate, br');
      } finally {
        await store.close();
      }
    });

    it('a redirect chain within the limit is followed; the feed keeps its configured URL', async () => {
      const store = await openStore();
      try {
        const url = server.url('/chain/1');
        const [report] = await refreshFeeds(store, [{ url, label: null }], options());
        assert.equal(report?.status, 'ok');
        assert.equal(report?.newItems, 2);
        assert.equal((await store.getFeedState(url))?.itemCount, 2);
      } finally {
        await store.close();
      }
    });

    it('failures carry reasons, are recorded, and do not stop the other feeds or the digest', async () => {
      const store = await openStore();
      const reporter = recordingReporter();
      try {
        const url = (p: string) => server.url(p);
        const watchlist: Watchlist = {
          name: 'asie',
          description: '',
          feeds: ['/etag.xml', '/error.xml', '/hang.xml', '/stall.xml', '/huge.xml', '/page.html', '/loop/1', '/nowhere.xml'].map((p) => ({ url: url(p), label: null })),
          keywords: [{ term: 'Pyongyang', aliases: [] }],
          exclude: [],
        };
        const started = Date.now();
        const run = await runDigest(store, [watchlist], options({ reporter }));
        assert.ok(Date.now() - started < 10_000, 'the hanging feed is cut by the timeout');

        const byPath = new Map(run.digest.feeds.map((f) => [new URL(f.url).pathname, f]));
        assert.equal(byPath.get('/etag.xml')?.status, 'ok');
        const expectations: [string, number | null, RegExp][] = [
          ['/error.xml', 500, /HTTP 500/],
          ['/hang.xml', null, /timed out after 2000 ms/],
          ['/stall.xml', null, /timed out after 2000 ms/],
          ['/huge.xml', null, /response too large \(over 1048576 bytes\)/],
          ['/page.html', null, /not a feed \(got an HTML page\)/],
          ['/loop/1', 302, /too many redirects \(more than 3\)/],
          ['/nowhere.xml', 404, /HTTP 404/],
        ];
        for (const [path, httpStatus, reason] of expectations) {
          const report = byPath.get(path);
          assert.equal(report?.status, 'error', path);
          assert.match(report?.error ?? '', reason, path);
          assert.equal(report?.httpStatus, httpStatus, path);
          const state = await store.getFeedState(url(path));
          assert.equal(state?.lastStatus, 'error', path);
          assert.equal(state?.lastError, report?.error, path);
          assert.equal(state?.lastOkAt, null, path);
          assert.equal(reporter.warnings.filter((w) => w.includes(url(path))).length, 1, `one warning for ${path}`);
        }
        assert.equal(run.digest.counts.feedsFailed, 7);
        assert.equal(run.digest.counts.feedsChecked, 8);
        assert.deepEqual(
          run.digest.stories.map((s) => s.title),
          ['Moscou et Pyongyang annoncent une liaison ferroviaire directe'],
        );
      } finally {
        await store.close();
      }
    });

    it('a feed that fails after succeeding keeps its items, validators and last success', async () => {
      const store = await openStore();
      let fail = false;
      const rss = await fixture('rss2-fr.xml');
      const flaky = await startServer({
        '/feed.xml': (req, res) => (fail ? res.writeHead(503).end() : serveFeed(rss, { etag: '"f1"', 'content-type': 'application/rss+xml' })(req, res)),
      });
      try {
        const feeds = [{ url: flaky.url('/feed.xml'), label: null }];
        await refreshFeeds(store, feeds, options());
        fail = true;
        const [report] = await refreshFeeds(store, feeds, options());
        assert.equal(report?.status, 'error');
        const state = await store.getFeedState(feeds[0]!.url);
        assert.equal(state?.lastStatus, 'error');
        assert.equal(state?.lastHttpStatus, 503);
        assert.equal(state?.etag, '"f1"');
        assert.equal(state?.lastOkAt, NOW.toISOString());
        assert.equal(state?.itemCount, 3);
      } finally {
        await store.close();
        await flaky.close();
      }
    });

    it('running twice never stores an item twice, and the second digest has nothing new', async () => {
      const store = await openStore();
      try {
        // /plain.xml has no validators: the second run downloads and parses again.
        const watchlist: Watchlist = {
          name: 'russie',
          description: '',
          feeds: [
            { url: server.url('/plain.xml'), label: 'Gazette' },
            { url: server.url('/lastmod.xml'), label: 'Asie Hebdo' },
          ],
          keywords: [
            { term: 'Pyongyang', aliases: [] },
            { term: 'Vladivostok', aliases: [] },
          ],
          exclude: [],
        };
        const first = await runDigest(store, [watchlist], options());
        assert.equal(first.digest.counts.newItems, 5);
        assert.ok(first.digest.stories.length >= 2, 'both feeds have matching stories');
        await first.markDelivered();

        const second = await runDigest(store, [watchlist], options());
        assert.equal(second.digest.counts.newItems, 0);
        assert.deepEqual(second.digest.stories, []);
        await second.markDelivered();
        assert.deepEqual((await store.listFeeds()).map((f) => f.itemCount).sort(), [2, 3]);

        // Looking back shows the same stories again, without fetching.
        const back = await runDigest(store, [watchlist], options({ fetchFeeds: false, since: '2026-11-01T00:00:00.000Z' }));
        assert.deepEqual(back.digest.stories.map((s) => s.id).sort(), first.digest.stories.map((s) => s.id).sort());
        assert.deepEqual(back.digest.feeds, []);
      } finally {
        await store.close();
      }
    });
  });
}
