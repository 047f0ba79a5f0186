/**
 * The worker command on each store: it picks up a watchlist edited while it runs
 * (idle, or busy with feeds due every round), and SIGTERM lets it finish the feeds
 * in hand, give back its leases and exit 0.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServer } from '../helpers/http-server.js';
import { databaseArgs, readRows, STORE_BACKENDS } from '../helpers/stores.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { missingBuild, rssFeed, startCli, writeWatchlist } from '../hostile/support.js';

const until = async (what: string, check: () => boolean, ms = 20_000) => {
  for (const started = Date.now(); !check(); ) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

for (const backend of STORE_BACKENDS) {
  test(`worker: reads an edited watchlist without a restart; SIGTERM finishes the feeds in hand and gives back the leases (${backend.name})`, { skip: backend.skip || missingBuild() || false }, async (t) => {
    const requests: string[] = [];
    const slow = new Set<string>();
    const feed = (name: string) => (_req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      requests.push(name);
      const body = rssFeed(name, [{ guid: `${name}-1`, title: `Pyongyang ${name}` }]);
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body), slow.has(name) ? 1500 : 10);
    };
    const server = await startServer({ '/a.xml': feed('a'), '/b.xml': feed('b'), '/c.xml': feed('c'), '/d.xml': feed('d') });
    t.after(() => server.close());
    const root = await makeTempDir(t, 'presswatch-worker-');
    const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
    const location = backend.name === 'sqlite' ? { databaseUrl: null, databaseFile: join(dirs.dataDir, 'presswatch.db') } : await backend.location(t);
    await writeWatchlist(dirs.configDir, 'w', [server.url('/a.xml'), server.url('/b.xml')]);
    const worker = startCli([...databaseArgs(location), '--verbose', 'worker', '--interval', '1h', '--concurrency', '2'], dirs, { timeoutMs: 60_000 });
    t.after(() => worker.child.kill('SIGKILL'));
    await until('the first round', () => requests.includes('a') && requests.includes('b'));

    // Edited while the worker runs: two more feeds, the last one slow.
    slow.add('d');
    await writeWatchlist(
      dirs.configDir,
      'w',
      ['/a.xml', '/b.xml', '/c.xml', '/d.xml'].map((p) => server.url(p)),
    );
    await until('the new feeds', () => requests.includes('c') && requests.includes('d')).catch(async (error: Error) => {
      worker.child.kill('SIGKILL');
      throw new Error(`${error.message}; worker said: ${(await worker.done).stderr}`);
    });
    worker.child.kill('SIGTERM');
    const outcome = await worker.done;
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stderr, /worker stopped/);
    assert.deepEqual(requests.sort(), ['a', 'b', 'c', 'd'], 'each feed once: due again in an hour');
    const feeds = await readRows<{ url: string; last_status: string | null; lease_owner: string | null }>(location, 'SELECT url, last_status, lease_owner FROM feeds ORDER BY url');
    assert.deepEqual(
      feeds.map((f) => [f.url.replace(/.*\//, ''), f.last_status, f.lease_owner]),
      ['a.xml', 'b.xml', 'c.xml', 'd.xml'].map((name) => [name, 'ok', null]),
      'the slow feed in hand was finished and stored, and no lease is left',
    );
  });
}

for (const backend of STORE_BACKENDS) {
  test(`worker: a worker never idle (feeds due again before each round ends) still reads an edited watchlist (${backend.name})`, { skip: backend.skip || missingBuild() || false }, async (t) => {
    const requests: string[] = [];
    const feed = (name: string, latencyMs: number) => (_req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      requests.push(name);
      const body = rssFeed(name, [{ guid: `${name}-1`, title: `Pyongyang ${name}` }]);
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body), latencyMs);
    };
    // Two slow feeds, one at a time, due again a second after each fetch: one is always due.
    const server = await startServer({ '/a.xml': feed('a', 1200), '/b.xml': feed('b', 1200), '/new.xml': feed('new', 10) });
    t.after(() => server.close());
    const root = await makeTempDir(t, 'presswatch-worker-busy-');
    const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
    const location = backend.name === 'sqlite' ? { databaseUrl: null, databaseFile: join(dirs.dataDir, 'presswatch.db') } : await backend.location(t);
    await writeWatchlist(dirs.configDir, 'w', [server.url('/a.xml'), server.url('/b.xml')]);
    const worker = startCli([...databaseArgs(location), '--verbose', 'worker', '--interval', '1s', '--concurrency', '1'], dirs, { timeoutMs: 60_000 });
    t.after(() => worker.child.kill('SIGKILL'));
    await until('three fetches', () => requests.length >= 3);
    await writeWatchlist(
      dirs.configDir,
      'w',
      ['/a.xml', '/b.xml', '/new.xml'].map((p) => server.url(p)),
    );
    const editedAt = requests.length;
    await until('the new feed', () => requests.includes('new')).catch(async (error: Error) => {
      worker.child.kill('SIGKILL');
      throw new Error(`${error.message}; worker said: ${(await worker.done).stderr}`);
    });
    worker.child.kill('SIGTERM');
    const outcome = await worker.done;
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.ok(requests.indexOf('new') <= editedAt + 3, `read within a round or two of the edit (${requests.join(' ')})`);
  });
}
