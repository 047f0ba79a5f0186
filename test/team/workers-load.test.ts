/**
 * Team scale, end to end on PostgreSQL: 3 workers over 300 feeds served on
 * loopback with 20–50 ms of latency, one killed with -9 mid-run. Afterwards every
 * feed was fetched, no item is missing or doubled, and two digests run at once
 * show each story exactly once between them. Bounded: each process has a timeout.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { startServer } from '../helpers/http-server.js';
import { makeTestSchema, readRows, STORE_BACKENDS } from '../helpers/stores.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { missingBuild, rssFeed, runCli, seededRandom, startCli, writeWatchlist } from '../hostile/support.js';

const FEEDS = 300;
const ITEMS_PER_FEED = 3;
const postgres = STORE_BACKENDS.find((b) => b.name === 'postgres')!;

type JsonDigest = { stories: { id: string }[] };

test('3 workers, 300 feeds, one worker killed with -9: everything fetched once, nothing lost or doubled, two digests split the stories', { skip: postgres.skip || missingBuild() || false }, async (t) => {
  const random = seededRandom(14);
  const requests = new Map<string, number>();
  /** Feeds that carry one more item (published while the first digest holds its stories). */
  const late = new Set<number>();
  const routes: Record<string, Parameters<typeof startServer>[0][string]> = {};
  for (let i = 0; i < FEEDS; i++) {
    const path = `/feed/${i}.xml`;
    const latency = 20 + Math.floor(random() * 31);
    // Each item its own headline number (a feed's late item too): items that shared a number at one
    // moment, with kinds of happening in common, would read as reports of one event.
    const body = (items: number) =>
      rssFeed(
        `Feed ${i}`,
        Array.from({ length: items }, (_, k) => ({ guid: `f${i}-${k}`, title: `Pyongyang dispatch ${i * (ITEMS_PER_FEED + 1) + k}${k === ITEMS_PER_FEED ? ' (late)' : ''}` })),
      );
    routes[path] = (_req, res) => {
      requests.set(path, (requests.get(path) ?? 0) + 1);
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body(late.has(i) ? ITEMS_PER_FEED + 1 : ITEMS_PER_FEED)), latency);
    };
  }
  const server = await startServer(routes);
  t.after(() => server.close());
  const root = await makeTempDir(t, 'presswatch-team-');
  const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
  await writeWatchlist(
    dirs.configDir,
    'newsroom',
    Array.from({ length: FEEDS }, (_, i) => server.url(`/feed/${i}.xml`)),
  );
  const database = await makeTestSchema(t);
  const store = ['--database', database];

  const workerArgs = [...store, '--quiet', 'worker', '--once', '--concurrency', '6', '--lease', '10s'];
  const workers = [0, 1, 2].map(() => startCli(workerArgs, dirs, { timeoutMs: 90_000 }));
  t.after(() => {
    for (const w of workers) w.child.kill('SIGKILL');
  });
  // Kill one once the round is well under way, with feeds in its hands.
  const served = () => [...requests.values()].reduce((a, b) => a + b, 0);
  for (let i = 0; i < 600 && served() < FEEDS / 4; i++) await new Promise((r) => setTimeout(r, 25));
  const servedAtKill = served();
  workers[0]!.child.kill('SIGKILL');
  const [killed, ...others] = await Promise.all(workers.map((w) => w.done));
  assert.equal(killed!.signal, 'SIGKILL');
  assert.ok(servedAtKill > 0 && servedAtKill < FEEDS, `killed mid-run (${servedAtKill} of ${FEEDS} feeds served)`);
  for (const other of others) assert.equal(other.code, 0, other.stderr);

  // Every feed fetched; a feed is fetched twice only if the killed worker had it in hand (the
  // lease outlasts any fetch of the survivors, even on a loaded machine).
  assert.equal(requests.size, FEEDS, 'every feed was requested');
  const twice = [...requests.values()].filter((n) => n > 1).length;
  assert.ok(twice <= 6, `${twice} feeds fetched more than once (at most the killed worker's 6 in hand)`);
  const feeds = await readRows<{ url: string; last_status: string; lease_owner: string | null }>({ databaseUrl: database, databaseFile: '' }, 'SELECT url, last_status, lease_owner FROM feeds');
  assert.equal(feeds.length, FEEDS);
  assert.deepEqual(
    feeds.filter((f) => f.last_status !== 'ok'),
    [],
  );
  assert.deepEqual(
    feeds.filter((f) => f.lease_owner !== null && !f.lease_owner.includes(`:${workers[0]!.child.pid}:`)),
    [],
    'the survivors gave their leases back',
  );
  const items = await readRows<{ feed_url: string; guid: string }>({ databaseUrl: database, databaseFile: '' }, 'SELECT feed_url, guid FROM items');
  assert.equal(items.length, FEEDS * ITEMS_PER_FEED, 'no item missing or doubled');
  assert.equal(new Set(items.map((i) => `${i.feed_url} ${i.guid}`)).size, FEEDS * ITEMS_PER_FEED);

  // Two digests that really overlap. A transaction of the test holds the deliveries table, so a
  // digest that has written its stories waits there, still holding them, to mark them shown. The
  // first takes every story stored so far; then a fourth item arrives in a third of the feeds, and
  // a second digest fetches, matches and takes what the first does not hold. Then both go on.
  const digestArgs = [...store, '--quiet', 'digest', '--no-fetch', '--format', 'json'];
  const db = { databaseUrl: database, databaseFile: '' };
  const application = new URL(database).searchParams.get('application_name')!;
  const state = async () =>
    (
      await readRows<{ held: number; stories: number; items: number; unassigned: number }>(
        db,
        `SELECT (SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = '${application}') AS held,
                (SELECT count(DISTINCT story_id) FROM items) AS stories, (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM items WHERE story_id IS NULL) AS unassigned`,
      )
    )[0]!;
  /** Every item stored is in a story, and the digests hold every story between them. */
  const allHeld = async (items: number) => {
    for (const started = Date.now(); Date.now() - started < 60_000; await new Promise((r) => setTimeout(r, 200))) {
      const now = await state();
      if (Number(now.items) === items && Number(now.unassigned) === 0 && Number(now.held) === Number(now.stories)) return Number(now.stories);
    }
    throw new Error(`the digests did not take every story: ${JSON.stringify(await state())}`);
  };
  const blocker = new pg.Client({ connectionString: database });
  blocker.on('error', () => {});
  await blocker.connect();
  t.after(() => blocker.end().catch(() => {}));
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE deliveries IN EXCLUSIVE MODE');
  const first = startCli(digestArgs, dirs, { timeoutMs: 120_000 });
  t.after(() => first.child.kill('SIGKILL'));
  const heldByFirst = await allHeld(FEEDS * ITEMS_PER_FEED);
  for (let i = 0; i < FEEDS; i += 3) late.add(i);
  const second = startCli(
    digestArgs.filter((a) => a !== '--no-fetch'),
    dirs,
    { timeoutMs: 120_000 },
  );
  t.after(() => second.child.kill('SIGKILL'));
  const heldByBoth = await allHeld(FEEDS * ITEMS_PER_FEED + late.size);
  assert.ok(heldByBoth > heldByFirst, 'the second took stories the first does not hold, while the first held its own');
  assert.equal(first.child.exitCode, null, 'the first is still running');
  await blocker.query('COMMIT');
  await blocker.end();
  const [a, b] = await Promise.all([first.done, second.done]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const digests = [a, b].map((o) => JSON.parse(o.stdout) as { stories: { id: string; title: string }[] });
  assert.ok(digests[0]!.stories.length > 0 && digests[1]!.stories.length > 0, `both showed stories (${digests.map((d) => d.stories.length).join(' + ')})`);
  assert.ok(
    digests[1]!.stories.every((s) => / \(late\)$/.test(s.title)),
    'the second showed only stories of items that arrived while the first held its own',
  );
  const shown = digests.flatMap((d) => d.stories.map((s) => s.id));
  const [stories] = await readRows<{ n: number }>({ databaseUrl: database, databaseFile: '' }, 'SELECT count(DISTINCT coalesce(story_id, id)) AS n FROM items');
  assert.equal(Number(stories!.n), FEEDS * ITEMS_PER_FEED + late.size, 'distinct items, distinct stories');
  assert.equal(Number(stories!.n), heldByBoth);
  assert.equal(shown.length, stories!.n, 'each story shown once between the two');
  assert.equal(new Set(shown).size, shown.length, 'none twice');
  const third = await runCli(digestArgs, dirs, { timeoutMs: 60_000 });
  assert.equal((JSON.parse(third.stdout) as JsonDigest).stories.length, 0, 'and all marked shown');
  t.diagnostic(
    `${servedAtKill} feeds served when one worker was killed; ${twice} fetched twice; workers ran ${others.map((o) => o.elapsedMs).join(' and ')} ms; ` +
      `overlapping digests showed ${digests.map((d) => d.stories.length).join(' + ')} stories in ${a.elapsedMs} and ${b.elapsedMs} ms`,
  );
});
