/**
 * Per-host politeness across processes: article fetchers (workers) that share a
 * store space their request starts to a host as one would, and never have more
 * than the host's limit of requests in flight between them.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_FETCH_OPTIONS } from '../../src/fetch/http.js';
import { createPoliteFetcher } from '../../src/fetch/polite-fetcher.js';
import { sharedHostSlots } from '../../src/pipeline/lease-owner.js';
import { openStore } from '../../src/store/open-store.js';
import { startServer } from '../helpers/http-server.js';
import { databaseArgs, readRows, STORE_BACKENDS } from '../helpers/stores.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { missingBuild, rssFeed, setSettings, startCli } from '../hostile/support.js';

const FETCH = { ...DEFAULT_FETCH_OPTIONS, timeoutMs: 10_000, allowPrivateHosts: ['127.0.0.1'] };

/** A page answered `latencyMs` late that counts the requests in flight at once, and the most ever. */
function countingPage(latencyMs: number, body = '<p>a</p>') {
  const load = { now: 0, max: 0, served: 0 };
  const handler = (_req: IncomingMessage, res: ServerResponse) => {
    load.now++;
    load.max = Math.max(load.max, load.now);
    setTimeout(() => {
      load.now--;
      load.served++;
      res.writeHead(200, { 'content-type': 'text/html' }).end(body);
    }, latencyMs);
  };
  return { load, handler };
}

for (const backend of STORE_BACKENDS) {
  describe(`shared host politeness (${backend.name})`, { skip: backend.skip }, () => {
    it('two workers sharing a store start their requests to one host the delay apart, in turn', async (t) => {
      const server = await startServer({ '/a': (_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>a</p>') });
      t.after(() => server.close());
      const location = await backend.location(t);
      // Two stores on one database: two processes.
      const stores = [await openStore(location), await openStore(location)];
      t.after(() => Promise.all(stores.map((s) => s.close())));
      const sleeps: number[] = [];
      // A frozen clock: the waits the fetchers ask for are the schedule, checked exactly.
      const clock = { now: () => 1_000_000, sleep: async (ms: number) => void sleeps.push(ms) };
      const [a, b] = stores.map((store) => createPoliteFetcher({ fetch: FETCH, perHostConcurrency: 4, perHostDelayMs: 100, respectRobots: false, clock, hostSlots: sharedHostSlots(store) }));
      for (const fetcher of [a, b, a, b]) await fetcher!.fetch(server.url('/a'));
      assert.deepEqual(sleeps, [100, 200, 300], 'each start 100 ms after the previous one, whichever worker asked');
    });

    it("three workers sharing a store never have more than the host's limit of requests in flight between them", async (t) => {
      const page = countingPage(60);
      const server = await startServer({ '/a': page.handler });
      t.after(() => server.close());
      const location = await backend.location(t);
      const stores = await Promise.all([0, 1, 2].map(() => openStore(location)));
      t.after(() => Promise.all(stores.map((s) => s.close())));
      const fetchers = stores.map((store) => createPoliteFetcher({ fetch: FETCH, perHostConcurrency: 2, perHostDelayMs: 0, respectRobots: false, hostSlots: sharedHostSlots(store) }));
      // Each worker asks for six pages at once: alone, each would run two at a time.
      await Promise.all(fetchers.flatMap((fetcher) => Array.from({ length: 6 }, () => fetcher.fetch(server.url('/a')))));
      assert.equal(page.load.served, 18);
      assert.equal(page.load.max, 2, 'two in flight at most, and two at times');
      const left = await readRows<{ n: number }>(location, 'SELECT count(*) AS n FROM host_places');
      assert.equal(Number(left[0]!.n), 0, 'every place given back');
    });
  });
}

const postgres = STORE_BACKENDS.find((b) => b.name === 'postgres')!;

it("worker processes on one database read article pages of one host within the host's limit between them", { skip: postgres.skip || missingBuild() || false, timeout: 120_000 }, async (t) => {
  const FEEDS = 6;
  const ITEMS = 4;
  const article = countingPage(80, `<html><body><article><h1>Pyongyang</h1>${'<p>Pyongyang port and railway news, told at length for the reader. </p>'.repeat(20)}</article></body></html>`);
  const routes: Parameters<typeof startServer>[0] = { '/article': article.handler };
  const server = await startServer(routes);
  t.after(() => server.close());
  for (let i = 0; i < FEEDS; i++) {
    const body = rssFeed(
      `Feed ${i}`,
      Array.from({ length: ITEMS }, (_, k) => ({ guid: `f${i}-${k}`, title: `Pyongyang ${i}-${k}`, link: server.url(`/article?i=${i}-${k}`), description: 'Short.' })),
    );
    routes[`/feed/${i}.xml`] = (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
  }
  const root = await makeTempDir(t, 'presswatch-politeness-');
  const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
  await setSettings(dirs, { scrapePerHost: 2, scrapeDelayMs: 0 });
  const location = await postgres.location(t);
  await mkdir(join(dirs.configDir, 'watchlists'), { recursive: true });
  await writeFile(
    join(dirs.configDir, 'watchlists', 'w.yaml'),
    ['name: w', 'fullText: always', 'feeds:', ...Array.from({ length: FEEDS }, (_, i) => `  - ${server.url(`/feed/${i}.xml`)}`), 'keywords:', '  - Pyongyang', ''].join('\n'),
  );
  const workers = [0, 1, 2].map(() => startCli([...databaseArgs(location), '--quiet', 'worker', '--once', '--concurrency', '2'], dirs, { timeoutMs: 90_000 }));
  t.after(() => {
    for (const w of workers) w.child.kill('SIGKILL');
  });
  for (const outcome of await Promise.all(workers.map((w) => w.done))) assert.equal(outcome.code, 0, outcome.stderr);
  const items = await readRows<{ scrape_status: string; n: number }>(location, 'SELECT scrape_status, count(*) AS n FROM items GROUP BY scrape_status');
  assert.deepEqual(
    items.map((r) => [r.scrape_status, Number(r.n)]),
    [['done', FEEDS * ITEMS]],
  );
  assert.equal(article.load.served, FEEDS * ITEMS, 'each page read once');
  assert.ok(article.load.max <= 2, `at most two pages in flight between the three workers (${article.load.max})`);
  t.diagnostic(`most article requests in flight at once: ${article.load.max}`);
});
