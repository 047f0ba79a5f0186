/**
 * Server-side request forgery: links from feeds never reach private networks.
 *
 * Two real loopback servers: 127.0.0.1 serves the feeds (the user's, so trusted),
 * 127.0.0.2 serves a page holding a secret that no found link may read. Host names
 * that look public are answered by a test resolver injected into the fetch layer
 * (FetchOptions.lookup), the hook the connection itself uses.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { trustHostsOf } from '../../src/fetch/address-policy.js';
import { DEFAULT_FETCH_OPTIONS, fetchResource, PrivateAddressError, type FetchOptions } from '../../src/fetch/http.js';
import { createPoliteFetcher } from '../../src/fetch/polite-fetcher.js';
import { refreshFeeds, SILENT_REPORTER, type Reporter } from '../../src/pipeline.js';
import { scrapePendingArticles } from '../../src/pipeline/scrape-articles.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { testResolver } from '../helpers/test-resolver.js';
import { missingBuild, rssFeed, runCli, setSettings } from './support.js';

const SECRET = 'SECRET-7f3a9c: the intranet page that must never be read';
const NOW = new Date('2026-03-02T12:00:00Z');

function page(title: string, text: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><article><h1>${title}</h1><p>${text}</p><p>${text}</p></article></body></html>`;
}
const html = (body: string) => (_req: unknown, res: import('node:http').ServerResponse) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);

interface Servers {
  feeds: TestServer;
  intranet: TestServer;
  /** Ports, for links under public-looking names that the resolver sends to a loopback address. */
  feedsPort: string;
  intranetPort: string;
}

async function startServers(t: { after(fn: () => Promise<void> | void): void }): Promise<Servers> {
  const intranet = await startServer(
    {
      '/secret': html(page('Intranet', SECRET)),
      '/feed.xml': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('intranet', [{ guid: 'i-1', title: 'Pyongyang intranet' }])),
    },
    '127.0.0.2',
  );
  t.after(() => intranet.close());
  const intranetPort = new URL(intranet.origin).port;
  const item = (guid: string, link: string) => ({ guid, title: `Pyongyang ${guid}`, link, description: `Pyongyang ${guid}` });
  const feeds = await startServer({
    '/feed.xml': (_q, res) =>
      res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(
          rssFeed('feeds', [
            item('same-host', feeds.url('/article')),
            item('other-host', intranet.url('/secret')),
            item('public-name', `http://cdn.example:${intranetPort}/secret`),
            item('same-host-redirect', feeds.url('/bounce')),
            item('mapped', `http://[::ffff:127.0.0.2]:${intranetPort}/secret`),
          ]),
        ),
    '/one.xml': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('one', [item('only', intranet.url('/secret'))])),
    '/moved.xml': (_q, res) => res.writeHead(302, { location: intranet.url('/feed.xml') }).end(),
    '/article': html(page('Same host', 'An intranet feed may link to its own pages: this one is read.')),
    '/bounce': (_q, res) => res.writeHead(302, { location: intranet.url('/secret') }).end(),
    '/bounce-name': (_q, res) => res.writeHead(302, { location: `http://cdn.example:${intranetPort}/secret` }).end(),
    '/page': (_q, res) => res.writeHead(200, { 'content-type': 'text/html', connection: 'close' }).end(page('Public', 'the public page')),
  });
  t.after(() => feeds.close());
  return { feeds, intranet, feedsPort: new URL(feeds.origin).port, intranetPort };
}

function recordingReporter(): Reporter & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...SILENT_REPORTER, warn: (m) => warnings.push(m), warnings };
}

/** Refreshes the feeds and reads every queued article page, as a digest run does; returns the stored bodies by guid. */
async function runPipeline(t: Parameters<typeof makeTempDir>[0], feedUrls: string[], fetch: FetchOptions) {
  const store = openSqliteStore(join(await makeTempDir(t), 'presswatch.db'));
  t.after(() => store.close());
  const reporter = recordingReporter();
  const feeds = feedUrls.map((url) => ({ url, label: null, fullText: 'always' as const }));
  const reports = await refreshFeeds(store, feeds, { fetch, concurrency: 2, now: () => NOW, reporter });
  const fetcher = createPoliteFetcher({ fetch, perHostConcurrency: 2, perHostDelayMs: 0, respectRobots: true });
  await scrapePendingArticles(store, fetcher, { concurrency: 4, reporter });
  const bodies = new Map<string, string>();
  for (const item of await store.listItemsAfter(feedUrls, 0, 100)) bodies.set(item.guid ?? item.id, item.body);
  return { reports, bodies, warnings: reporter.warnings };
}

test("an item link to another loopback host is refused; the feed's own host is read; one warning per feed", async (t) => {
  const s = await startServers(t);
  const resolver = testResolver((name) => (name === 'cdn.example' ? ['127.0.0.2'] : []));
  const fetch: FetchOptions = { ...DEFAULT_FETCH_OPTIONS, timeoutMs: 5000, lookup: resolver };
  const { reports, bodies, warnings } = await runPipeline(t, [s.feeds.url('/feed.xml'), s.feeds.url('/one.xml')], fetch);

  assert.deepEqual(
    reports.map((r) => r.status),
    ['ok', 'ok'],
  );
  assert.match(bodies.get('same-host')!, /its own pages: this one is read/);
  for (const guid of ['other-host', 'public-name', 'same-host-redirect', 'mapped']) assert.equal(bodies.get(guid), '', `${guid}: not read, matching uses the feed text`);
  assert.equal(bodies.get('only'), '');
  assert.deepEqual(s.intranet.requests, [], 'nothing, not even robots.txt, reached 127.0.0.2');
  assert.ok(resolver.calls.includes('cdn.example'), 'the public-looking name went through the connection look-up');

  // The feed with one refused link: exactly the documented form.
  assert.ok(warnings.includes(`scrape: ${s.intranet.url('/secret')} resolves to 127.0.0.2, a loopback address: not fetched (allowPrivateHosts to allow)`), warnings.join('\n'));
  // The feed with four: one line, naming the first and counting the rest.
  const mixed = warnings.filter((w) => w.includes(s.feeds.url('/feed.xml')) || w.includes(s.intranetPort));
  assert.equal(mixed.filter((w) => /more links of .*feed\.xml refused too$/.test(w)).length, 1, warnings.join('\n'));
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.ok(!warnings.join('\n').includes(SECRET));
});

test('allowPrivateHosts opens a host by address or by name, and nothing else', async (t) => {
  const s = await startServers(t);
  const resolver = testResolver((name) => (name === 'cdn.example' ? ['127.0.0.2'] : []));
  const base: FetchOptions = { ...DEFAULT_FETCH_OPTIONS, timeoutMs: 5000, lookup: resolver };

  const byAddress = await runPipeline(t, [s.feeds.url('/feed.xml')], { ...base, allowPrivateHosts: ['127.0.0.2/32'] });
  for (const guid of ['other-host', 'public-name', 'same-host-redirect', 'mapped']) assert.match(byAddress.bodies.get(guid)!, /SECRET-7f3a9c/, guid);
  assert.deepEqual(byAddress.warnings, []);

  const byName = await runPipeline(t, [s.feeds.url('/feed.xml')], { ...base, allowPrivateHosts: ['cdn.example'] });
  assert.match(byName.bodies.get('public-name')!, /SECRET-7f3a9c/);
  for (const guid of ['other-host', 'same-host-redirect', 'mapped']) assert.equal(byName.bodies.get(guid), '', `${guid}: the name opens only itself`);
});

test('a redirect from a public-looking host to a loopback address is refused, by name or by literal', async (t) => {
  const s = await startServers(t);
  // news.example plays a public site: the resolver sends it to 127.0.0.1, which this test treats as public.
  const resolver = testResolver((name) => ({ 'news.example': ['127.0.0.1'], 'cdn.example': ['127.0.0.2'] })[name] ?? []);
  const options: FetchOptions = { ...DEFAULT_FETCH_OPTIONS, timeoutMs: 5000, lookup: resolver, allowPrivateHosts: ['127.0.0.1/32'] };

  const ok = await fetchResource(`http://news.example:${s.feedsPort}/article`, {}, options);
  assert.equal(ok.kind, 'ok');
  for (const path of ['/bounce', '/bounce-name']) {
    const start = `http://news.example:${s.feedsPort}${path}`;
    await assert.rejects(fetchResource(start, {}, options), (e: unknown) => {
      assert.ok(e instanceof PrivateAddressError, String(e));
      assert.ok(e.redirected);
      assert.match(e.message, new RegExp(`^${start.replace(/[.?]/g, '\\$&')}: redirected to http://\\S+/secret, which resolves to 127\\.0\\.0\\.2, a loopback address: not fetched \\(allowPrivateHosts to allow\\)$`));
      return true;
    });
  }
  assert.deepEqual(s.intranet.requests, []);
});

test('a configured feed is trusted, its redirect to another host is not', async (t) => {
  const s = await startServers(t);
  const fetch: FetchOptions = { ...DEFAULT_FETCH_OPTIONS, timeoutMs: 5000 };
  const { reports, warnings } = await runPipeline(t, [s.feeds.url('/moved.xml')], fetch);
  assert.equal(reports[0]!.status, 'error');
  assert.equal(reports[0]!.error, `redirected to ${s.intranet.url('/feed.xml')}, which resolves to 127.0.0.2, a loopback address: not fetched (allowPrivateHosts to allow)`);
  assert.equal(warnings.length, 1);
  assert.deepEqual(s.intranet.requests, []);
  // The same host configured directly is the user's choice, and works as before.
  const direct = await fetchResource(s.intranet.url('/feed.xml'), {}, fetch, trustHostsOf(s.intranet.url('/feed.xml')));
  assert.equal(direct.kind, 'ok');
});

test('a DNS answer that changes between look-ups never lets a private address through', async (t) => {
  const s = await startServers(t);
  // Odd look-ups answer 127.0.0.1 (public for this test), even ones 127.0.0.2: a check made by a
  // separate resolution before connecting would see the first answer and connect to the second.
  const flipping = testResolver((_name, call) => [call % 2 === 1 ? '127.0.0.1' : '127.0.0.2']);
  const options: FetchOptions = { ...DEFAULT_FETCH_OPTIONS, timeoutMs: 5000, lookup: flipping, allowPrivateHosts: ['127.0.0.1/32'] };
  // The same port on 127.0.0.2, serving the secret: a connection that slipped through would read it.
  const twin = await startServer({ '/page': html(page('Rebound', SECRET)) }, '127.0.0.2', Number(s.feedsPort));
  t.after(() => twin.close());
  const url = `http://rebind.example:${s.feedsPort}/page`;
  let read = 0;
  let refused = 0;
  for (let i = 0; i < 12; i++) {
    try {
      const result = await fetchResource(url, {}, options);
      assert.ok(result.kind === 'ok' && !result.text.includes('SECRET'));
      read++;
    } catch (error) {
      assert.ok(error instanceof PrivateAddressError, String(error));
      refused++;
    }
  }
  assert.ok(read > 0 && refused > 0, `read ${read}, refused ${refused}`);
  assert.ok(flipping.calls.length >= 12, 'every new connection looked the name up');
  assert.deepEqual(twin.requests, []);

  // A mixed answer (public and private at once) is refused as a whole.
  const mixed = testResolver(() => ['127.0.0.1', '127.0.0.2']);
  await assert.rejects(fetchResource(url, {}, { ...options, lookup: mixed }), PrivateAddressError);
});

test('CLI: extract trusts the URL typed, not its redirects; digest warns, and the setting opens the host', { skip: missingBuild() ?? false }, async (t) => {
  const s = await startServers(t);
  const dir = await makeTempDir(t);
  const dirs = { dataDir: join(dir, 'data'), configDir: join(dir, 'config') };

  const typed = await runCli(['extract', s.intranet.url('/secret')], dirs);
  assert.equal(typed.code, 0, typed.stderr);
  assert.match(typed.stdout, /SECRET-7f3a9c/);

  const bounced = await runCli(['extract', s.feeds.url('/bounce')], dirs);
  assert.equal(bounced.code, 1);
  assert.match(bounced.stderr, /redirected to http:\/\/127\.0\.0\.2:\d+\/secret, which resolves to 127\.0\.0\.2, a loopback address: not fetched \(allowPrivateHosts to allow\)/);
  assert.equal(bounced.stdout, '');

  const bad = await runCli(['config', 'set', 'allowPrivateHosts', '10.0.0.0/8,10.0.0.0/33'], dirs);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /allowPrivateHosts\[1\]: "10\.0\.0\.0\/33" is not a CIDR range/);

  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(join(dirs.configDir, 'watchlists'), { recursive: true });
  await writeFile(join(dirs.configDir, 'watchlists', 'w.yaml'), `name: w\nfullText: always\nfeeds:\n  - ${JSON.stringify(s.feeds.url('/one.xml'))}\nkeywords:\n  - Pyongyang\n`);
  const refused = await runCli(['digest', '--format', 'json'], dirs);
  assert.equal(refused.code, 0, refused.stderr);
  assert.match(refused.stderr, new RegExp(`scrape: ${s.intranet.url('/secret').replace(/[.]/g, '\\.')} resolves to 127\\.0\\.0\\.2, a loopback address: not fetched \\(allowPrivateHosts to allow\\)`));
  const before = s.intranet.requests.length;

  await setSettings(dirs, { allowPrivateHosts: '127.0.0.2' });
  const got = await runCli(['config', 'get', 'allowPrivateHosts'], dirs);
  assert.equal(got.stdout, '127.0.0.2\n');
  // A second feed on the same page: a new item is queued and, with the setting, read.
  await writeFile(join(dirs.configDir, 'watchlists', 'w.yaml'), `name: w\nfullText: always\nfeeds:\n  - ${JSON.stringify(s.feeds.url('/feed.xml'))}\nkeywords:\n  - Pyongyang\n`);
  const allowed = await runCli(['digest', '--format', 'json'], dirs);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.doesNotMatch(allowed.stderr, /not fetched/);
  assert.ok(s.intranet.requestsTo('/secret').length > before, 'the allowed host was read');
});
