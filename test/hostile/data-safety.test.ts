/**
 * Data safety: WAL and transactions; kill -9 at random moments loses nothing,
 * duplicates nothing and never marks undelivered stories as shown; two runs at
 * once wait for each other; schema versions are migrated or refused; a full disk
 * and a read-only data dir give a clear error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmod, chown, mkdir, open, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { RunError } from '../../src/errors.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openStore, type StoreLocation } from '../../src/store/open-store.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { startServer } from '../helpers/http-server.js';
import { databaseArgs, readRows, STORE_BACKENDS } from '../helpers/stores.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { BIN, distinctText, missingBuild, REPO_ROOT, rssFeed, runCli, seededRandom, startCli, writeWatchlist, type Dirs } from './support.js';

type JsonDigest = { stories: { id: string; watchlist: string; title: string }[]; feeds: { url: string; status: string; error: string | null }[] };

async function tempDirs(t: { after(fn: () => Promise<void> | void): void }, prefix: string): Promise<Dirs & { root: string }> {
  const root = await makeTempDir(t, prefix);
  return { root, dataDir: join(root, 'data'), configDir: join(root, 'config') };
}

test('the database runs in WAL mode, and a store write is one transaction', async (t) => {
  const { dataDir } = await tempDirs(t, 'presswatch-wal-');
  const file = join(dataDir, 'presswatch.db');
  const store = openSqliteStore(file);
  const db = new Database(file);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  // An item that breaks a constraint (NOT NULL title) rolls back the whole fetch, feed row included.
  const good = { id: 'a', feedUrl: 'https://x.example/f', title: 't', link: null, guid: 'a', publishedAt: null, author: null, summary: '', content: '', categories: [] };
  await assert.rejects(() =>
    store.saveFetch({ url: 'https://x.example/f', label: null, status: 'ok', httpStatus: 200, error: null, fetchedAt: '2026-03-02T00:00:00Z' }, [good, { ...good, id: 'b', title: null as unknown as string }]),
  );
  assert.equal((db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n, 0);
  assert.equal((db.prepare('SELECT count(*) AS n FROM feeds').get() as { n: number }).n, 0);
  db.close();
  await store.close();
});

test('an older schema is migrated with its data; a newer one is refused and left untouched', async (t) => {
  const { dataDir } = await tempDirs(t, 'presswatch-schema-');
  await mkdir(dataDir, { recursive: true });
  const old = join(dataDir, 'old.db');
  const db = new Database(old);
  db.exec(MIGRATIONS[0]!);
  db.pragma('user_version = 1');
  db.prepare("INSERT INTO feeds (url, label) VALUES ('https://x.example/f', 'X')").run();
  db.prepare("INSERT INTO items (id, feed_url, title, summary, content, first_seen_at) VALUES ('i1', 'https://x.example/f', 'Pyongyang', '', '', '2026-03-01T00:00:00Z')").run();
  db.close();
  const store = openSqliteStore(old);
  assert.equal((await store.getFeedState('https://x.example/f'))?.label, 'X');
  assert.deepEqual(
    (await store.listItemsAfter(['https://x.example/f'], 0, 10)).map((i) => i.id),
    ['i1'],
  );
  await store.close();
  const check = new Database(old);
  assert.equal(check.pragma('user_version', { simple: true }), MIGRATIONS.length);
  assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
  check.close();

  const newer = join(dataDir, 'newer.db');
  const future = new Database(newer);
  future.pragma(`user_version = ${MIGRATIONS.length + 3}`);
  future.close();
  assert.throws(
    () => openSqliteStore(newer),
    (e: unknown) =>
      e instanceof RunError && e.message === `store: ${newer} was written by a newer presswatch (schema ${MIGRATIONS.length + 3}, this one knows ${MIGRATIONS.length}); upgrade presswatch or use another --data-dir`,
  );
  const after = new Database(newer);
  assert.equal(after.pragma('user_version', { simple: true }), MIGRATIONS.length + 3);
  after.close();
});

test('a migration that fails leaves the database at its old version', async (t) => {
  if (MIGRATIONS.length < 2) return t.skip('only one schema version exists');
  const { dataDir } = await tempDirs(t, 'presswatch-schema-');
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, 'presswatch.db');
  const db = new Database(file);
  db.exec(MIGRATIONS[0]!);
  db.pragma('user_version = 1');
  // Make the second step fail: something it creates already exists.
  const created = /CREATE (?:VIRTUAL )?TABLE (\w+)/i.exec(MIGRATIONS[1]!)?.[1];
  if (!created) return t.skip('the second migration creates no table');
  db.exec(`CREATE TABLE ${created} (x)`);
  db.close();
  assert.throws(
    () => openSqliteStore(file),
    (e: unknown) => e instanceof RunError && e.message.startsWith(`store: cannot open database ${file}: `),
  );
  const after = new Database(file);
  assert.equal(after.pragma('user_version', { simple: true }), 1);
  assert.equal(after.pragma('integrity_check', { simple: true }), 'ok');
  after.close();
});

const FEED_COUNT = 40;

/**
 * 40 feeds on one loopback server; some answer late or drip their body. Every
 * request to a feed serves the items it served before plus one more (up to a
 * cap), so a later complete run must find everything any earlier run was shown.
 */
async function startNewsroom(seed: number) {
  const random = seededRandom(seed);
  const feeds = Array.from({ length: FEED_COUNT }, (_, i) => ({ path: `/feed/${i}.xml`, delayMs: random() < 0.2 ? Math.floor(random() * 600) : 0, requests: 0 }));
  const served = new Map<string, Set<string>>();
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {};
  for (const [i, feed] of feeds.entries()) {
    routes[feed.path] = (_req, res) => {
      feed.requests++;
      const count = Math.min(2 + feed.requests, 12);
      const items = Array.from({ length: count }, (_, k) => ({ guid: `f${i}-item${k}`, title: `Pyongyang feed ${i} story ${k}` }));
      const body = rssFeed(`Feed ${i}`, items);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        // Half the slow feeds send their body in two parts.
        if (feed.delayMs > 300) {
          res.write(body.slice(0, body.length / 2));
          setTimeout(() => res.end(body.slice(body.length / 2)), 100);
        } else res.end(body);
        const known = served.get(feed.path) ?? new Set<string>();
        for (const item of items) known.add(item.guid);
        served.set(feed.path, known);
      };
      if (feed.delayMs) setTimeout(send, feed.delayMs);
      else send();
    };
  }
  const server = await startServer(routes);
  return { server, feeds, served };
}

function parseDigest(stdout: string): JsonDigest | null {
  try {
    return JSON.parse(stdout) as JsonDigest;
  } catch {
    return null;
  }
}

for (const backend of STORE_BACKENDS) {
  test(`kill -9 at random moments, 15 times: nothing lost, nothing duplicated, no story marked shown unless printed (${backend.name})`, { skip: backend.skip }, async (t) => {
    const missing = missingBuild();
    if (missing) return t.skip(missing);
    const seed = Number(process.env['PRESSWATCH_KILL_SEED'] ?? 20260302);
    t.diagnostic(`seed ${seed} (replay with PRESSWATCH_KILL_SEED=${seed})`);
    const random = seededRandom(seed);
    const { server, feeds, served } = await startNewsroom(seed);
    t.after(() => server.close());
    const dirs = await tempDirs(t, 'presswatch-kill-');
    await writeWatchlist(
      dirs.configDir,
      'newsroom',
      feeds.map((f) => server.url(f.path)),
    );
    const location = backend.name === 'sqlite' ? { databaseUrl: null, databaseFile: join(dirs.dataDir, 'presswatch.db') } : await backend.location(t);
    const args = [...databaseArgs(location), '--quiet', 'digest', '--format', 'json'];

    /** Story ids printed in full by any run (killed or not), and by runs that exited 0. */
    const printedByAny = new Set<string>();
    const printedByCompleted = new Map<string, number>();
    let killedAfterPrinting = 0;
    let killedDuringRun = 0;
    const rounds = 15;
    for (let round = 0; round < rounds; round++) {
      // From node's start-up to past the end of a typical run (about 1.2 s here), so every stage gets hit.
      const delay = 100 + Math.floor(random() * 1500);
      const victim = startCli(args, dirs, { timeoutMs: 20_000 });
      const timer = setTimeout(() => victim.child.kill('SIGKILL'), delay);
      const killed = await victim.done;
      clearTimeout(timer);
      const partial = parseDigest(killed.stdout);
      if (killed.signal === 'SIGKILL') {
        killedDuringRun++;
        if (partial) killedAfterPrinting++;
      }
      for (const s of partial?.stories ?? []) printedByAny.add(s.id);
      if (killed.code === 0) for (const s of partial!.stories) printedByCompleted.set(s.id, (printedByCompleted.get(s.id) ?? 0) + 1);

      const complete = await runCli(args, dirs, { timeoutMs: 20_000 });
      assert.equal(complete.code, 0, `round ${round}: ${complete.stderr}`);
      const digest = parseDigest(complete.stdout);
      assert.ok(digest, `round ${round}: complete JSON`);
      assert.equal(digest.feeds.filter((f) => f.status === 'error').length, 0, JSON.stringify(digest.feeds.filter((f) => f.status === 'error')));
      for (const s of digest.stories) {
        printedByAny.add(s.id);
        printedByCompleted.set(s.id, (printedByCompleted.get(s.id) ?? 0) + 1);
      }

      {
        // On SQLite, readRows checks the file's integrity first; item_rows has the columns of PostgreSQL's items.
        const itemRows = location.databaseUrl === null ? 'item_rows' : 'items';
        const items = await readRows<{ id: string; feed_url: string; guid: string }>(location, `SELECT id, feed_url, guid FROM ${itemRows}`);
        const ids = new Set(items.map((i) => i.id));
        assert.equal(ids.size, items.length, 'no duplicate ids');
        assert.equal(new Set(items.map((i) => `${i.feed_url} ${i.guid}`)).size, items.length, 'no item stored twice');
        // Everything ever served is stored (each feed's last answer repeats all it served before).
        const guids = new Set(items.map((i) => `${i.feed_url} ${i.guid}`));
        for (const [path, known] of served) for (const guid of known) assert.ok(guids.has(`${server.url(path)} ${guid}`), `round ${round}: ${path} ${guid} lost`);
        const delivered = new Set((await readRows<{ item_id: string }>(location, "SELECT item_id FROM deliveries WHERE watchlist = 'newsroom'")).map((r) => r.item_id));
        // A story is printed, and delivered, through one of its items (the others are "also reported by"): compare stories.
        const storyOf = new Map((await readRows<{ id: string; story: string }>(location, `SELECT id, coalesce(story_id, id) AS story FROM ${itemRows}`)).map((r) => [r.id, r.story]));
        // Every item matches: after a complete run, every one's story is delivered, and delivered means printed.
        const deliveredStories = new Set((await readRows<{ story_id: string }>(location, "SELECT story_id FROM deliveries WHERE watchlist = 'newsroom'")).map((r) => r.story_id));
        assert.deepEqual(
          [...ids].filter((id) => !delivered.has(id) && !deliveredStories.has(storyOf.get(id)!)),
          [],
          `round ${round}: stored but never delivered`,
        );
        const printedStories = new Set([...printedByAny].map((id) => storyOf.get(id)));
        for (const id of delivered) assert.ok(printedStories.has(storyOf.get(id)), `round ${round}: ${id} marked shown but never printed`);
        for (const id of printedByCompleted.keys()) assert.ok(delivered.has(id), `round ${round}: ${id} printed by a complete run but not marked`);
        // The matching cursor never passes an item it has not matched.
        const [unmatched] = await readRows<{ n: number }>(
          location,
          "SELECT count(*) AS n FROM items i WHERE i.seq <= (SELECT matched_through_seq FROM watchlist_state WHERE watchlist = 'newsroom') AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.item_id = i.id AND m.watchlist = 'newsroom')",
        );
        assert.equal(unmatched!.n, 0);
      }
    }
    // A story is printed by at most one run that completed; killed runs may have printed it first (at least once).
    const twice = [...printedByCompleted].filter(([, n]) => n > 1);
    assert.deepEqual(twice, [], 'no story printed by two complete runs');
    assert.ok(killedDuringRun >= rounds / 3, `only ${killedDuringRun} of ${rounds} runs were actually killed`);
    t.diagnostic(`${killedDuringRun} runs killed, ${killedAfterPrinting} of them after printing; ${printedByAny.size} stories`);
  });
}

test('two runs at once: the second waits for the first and neither prints what the other did', async (t) => {
  const missing = missingBuild();
  if (missing) return t.skip(missing);
  let requests = 0;
  // The first run's fetch is held until the second run is seen waiting for the lock: no race
  // between a fixed delay and how long a CLI takes to start on a loaded machine.
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = await startServer({
    '/slow.xml': (_req, res) => {
      const n = ++requests;
      const answer = () =>
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(
          rssFeed(
            'slow',
            [1, 2, 3].map((k) => ({ guid: `r${n}-${k}`, title: `Pyongyang ${n}.${k}` })),
          ),
        );
      if (n === 1) void released.then(answer);
      else answer();
    },
  });
  t.after(release);
  t.after(() => server.close());
  const dirs = await tempDirs(t, 'presswatch-concurrent-');
  await writeWatchlist(dirs.configDir, 'slow', [server.url('/slow.xml')]);
  const args = ['digest', '--format', 'json'];
  const first = startCli(args, dirs);
  const lockFile = join(dirs.dataDir, 'presswatch.lock');
  const { existsSync } = await import('node:fs');
  for (let i = 0; i < 200 && !existsSync(lockFile); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(existsSync(lockFile), 'the first run holds the lock');

  const refused = await runCli(args, dirs, { env: { PRESSWATCH_LOCK_WAIT_MS: '0' } });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`^presswatch: another presswatch run \\(pid ${first.child.pid}\\) holds ${lockFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; it started at \\S+\\. Let it finish`));
  assert.equal(refused.stdout, '');

  const secondRun = startCli(args, dirs);
  let secondStderr = '';
  secondRun.child.stderr!.on('data', (chunk: Buffer) => (secondStderr += chunk.toString()));
  for (let i = 0; i < 1200 && !secondStderr.includes('waiting for another presswatch run'); i++) await new Promise((r) => setTimeout(r, 25));
  release();
  const second = await secondRun.done;
  const firstDone = await first.done;
  assert.equal(firstDone.code, 0, firstDone.stderr);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, new RegExp(`waiting for another presswatch run \\(pid ${first.child.pid}`));
  const a = parseDigest(firstDone.stdout)!.stories.map((s) => s.id);
  const b = parseDigest(second.stdout)!.stories.map((s) => s.id);
  assert.equal(a.length, 3);
  assert.equal(b.length, 3, 'the second run saw only its own new items');
  assert.deepEqual(
    a.filter((id) => b.includes(id)),
    [],
  );
  const db = new Database(join(dirs.dataDir, 'presswatch.db'), { readonly: true });
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  db.close();
  assert.ok(!existsSync(lockFile), 'released');
});

/** Runs the CLI as an unprivileged user when we are root (root ignores file modes). */
async function asUnprivileged(dirs: Dirs & { root: string }): Promise<{ uid: number; gid: number } | undefined | 'unavailable'> {
  if (process.getuid?.() !== 0) return undefined;
  const nobody = { uid: 65534, gid: 65534 };
  // The checkout must be readable by that user (a clone under a private home is not).
  const probe = spawnSync(process.execPath, ['-e', `require('fs').readFileSync(${JSON.stringify(BIN)})`], { ...nobody, cwd: '/' });
  if (probe.status !== 0) return 'unavailable';
  await chmod(dirs.root, 0o755);
  await mkdir(join(dirs.configDir, 'watchlists'), { recursive: true });
  await chown(dirs.configDir, nobody.uid, nobody.gid);
  return nobody;
}

function spawnCli(args: readonly string[], dirs: Dirs, options: { user?: { uid: number; gid: number }; stdoutFd?: number } = {}) {
  const env = { ...process.env, NO_COLOR: '1' };
  const child = spawn(process.execPath, [BIN, '--data-dir', dirs.dataDir, '--config-dir', dirs.configDir, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', options.stdoutFd ?? 'pipe', 'pipe'],
    ...(options.user ?? {}),
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

test('a read-only data dir, a data dir under a regular file, and a read-only database: a clear error, exit 1', async (t) => {
  const missing = missingBuild();
  if (missing) return t.skip(missing);
  const dirs = await tempDirs(t, 'presswatch-readonly-');
  const user = await asUnprivileged(dirs);
  if (user === 'unavailable') return t.skip('running as root, and the unprivileged user 65534 cannot read this checkout: file modes cannot be tested');
  await writeWatchlist(dirs.configDir, 'w', [join(dirs.root, 'no-feed-yet.xml')]);
  if (user) await chown(join(dirs.configDir, 'watchlists', 'w.yaml'), user.uid, user.gid);

  await mkdir(dirs.dataDir, { mode: 0o555 });
  await chmod(dirs.dataDir, 0o555);
  const readOnly = await spawnCli(['digest'], dirs, { user });
  assert.equal(readOnly.code, 1, readOnly.stderr);
  assert.ok(
    readOnly.stderr.endsWith(`presswatch: store: cannot create lock file ${join(dirs.dataDir, 'presswatch.lock')}: permission denied: the data dir is not writable by this user (choose another with --data-dir)\n`),
    readOnly.stderr,
  );

  const file = join(dirs.root, 'a-file');
  await writeFile(file, 'not a directory');
  const underFile = await spawnCli(['digest'], { ...dirs, dataDir: join(file, 'data') }, { user });
  assert.equal(underFile.code, 1);
  assert.ok(underFile.stderr.endsWith(`presswatch: store: cannot create data dir ${join(file, 'data')}: a part of the path is a file, not a directory\n`), underFile.stderr);

  // The directory is writable (the lock can be taken) but the database file is not.
  if (user) {
    await chmod(dirs.dataDir, 0o755);
    await chown(dirs.dataDir, user.uid, user.gid);
    const db = new Database(join(dirs.dataDir, 'presswatch.db'));
    db.close();
    await chmod(join(dirs.dataDir, 'presswatch.db'), 0o444);
    const readOnlyDb = await spawnCli(['digest'], dirs, { user });
    assert.equal(readOnlyDb.code, 1);
    assert.match(readOnlyDb.stderr, /(^|\n)presswatch: store: cannot open database .*presswatch\.db: attempt to write a readonly database\n$/);
  }
});

test('a full disk: stdout on /dev/full fails clearly and marks nothing shown; a database over the file size limit stops the run', async (t) => {
  const missing = missingBuild();
  if (missing) return t.skip(missing);
  const dirs = await tempDirs(t, 'presswatch-full-');
  await mkdir(dirs.root, { recursive: true });
  const feed = join(dirs.root, 'big.xml');
  await writeFile(
    feed,
    rssFeed(
      'big',
      Array.from({ length: 2000 }, (_, i) => ({ guid: `b${i}`, title: `Pyongyang ${i}`, description: distinctText(`b${i}`).repeat(3) })),
    ),
  );
  await writeWatchlist(dirs.configDir, 'big', [feed]);

  const full = await open('/dev/full', 'w').catch(() => null);
  if (full) {
    const result = await spawnCli(['--quiet', 'digest', '--format', 'json'], dirs, { stdoutFd: full.fd });
    await full.close();
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'presswatch: output: cannot write the digest to stdout: no space left on the device\n');
    const db = new Database(join(dirs.dataDir, 'presswatch.db'), { readonly: true });
    assert.equal((db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n, 2000);
    assert.equal((db.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number }).n, 0, 'nothing marked shown');
    // Random bags of news words published at one moment can read as reports of one event: count stories, not items.
    const stories = (db.prepare('SELECT count(DISTINCT coalesce(story_id, id)) AS n FROM item_rows').get() as { n: number }).n;
    db.close();
    const retry = await runCli(['--quiet', 'digest', '--format', 'json'], dirs);
    assert.equal(parseDigest(retry.stdout)?.stories.length, stories, 'the next run prints them all');
  } else t.diagnostic('/dev/full is absent: the stdout part is skipped');

  // RLIMIT_FSIZE makes writes past 600 kB fail with EFBIG, as a full disk fails them with ENOSPC: above what an
  // empty database takes to create (about 340 kB of write-ahead log), far below 2000 stored items.
  const limited = { ...dirs, dataDir: join(dirs.root, 'limited') };
  const child = spawn('bash', ['-c', `trap '' XFSZ; ulimit -f 600; exec "$0" "$@"`, process.execPath, BIN, '--data-dir', limited.dataDir, '--config-dir', dirs.configDir, '--quiet', 'digest', '--format', 'json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 1, stderr);
  assert.equal(stdout, '', 'no digest from a run that could not store');
  assert.match(stderr, /^presswatch: store: .+ \(SQLITE_(FULL|IOERR\w*)\); check free space and that the data dir is writable\n$/);
  const db = new Database(join(limited.dataDir, 'presswatch.db'), { readonly: true });
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  assert.equal((db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n, 0, 'the failed fetch left no half-stored feed');
  db.close();
});

/**
 * A database of 20 feeds × 500 items first stored 100 days ago and still carried
 * by their feeds (fetched again yesterday), some matched, put in stories and
 * delivered: everything `archive prune --older-than 60d` removes, leaving a
 * tombstone for each item.
 */
async function writeAgedArchive(location: StoreLocation): Promise<{ items: number; deliveredStories: number }> {
  const { itemId } = await import('../../src/feed/item.js');
  const store = await openStore(location);
  const old = new Date(Date.now() - 100 * 86_400_000).toISOString();
  const yesterday = new Date(Date.now() - 86_400_000).toISOString();
  let deliveredStories = 0;
  let items = 0;
  for (let f = 0; f < 20; f++) {
    const feedUrl = `https://feed${f}.example/rss.xml`;
    const batch = Array.from({ length: 500 }, (_, k) => ({
      id: itemId(feedUrl, `guid:${k}`),
      feedUrl,
      guid: String(k),
      link: `https://feed${f}.example/a/${k}`,
      title: `Dépêche ${k} du flux ${f}${k % 10 === 0 ? ' sur Pyongyang' : ''}`,
      publishedAt: null,
      author: null,
      summary: distinctText(`${f}-${k}`),
      content: '',
      categories: [],
    }));
    const record = { url: feedUrl, label: null, status: 'ok' as const, httpStatus: 200, error: null };
    await store.saveFetch({ ...record, fetchedAt: old }, batch);
    await store.saveFetch({ ...record, fetchedAt: yesterday }, batch);
    const matched = batch.filter((_, k) => k % 10 === 0);
    await store.beginMatching('w', 'rules');
    await store.saveMatches(
      'w',
      0,
      matched.map((i) => ({ itemId: i.id, term: 'Pyongyang', count: 1, variant: 'pyongyang', field: 'title' as const, offsets: {}, matchedAt: old })),
    );
    await store.transaction(async (tx) => {
      for (const [n, item] of matched.entries()) {
        await tx.assignStory(item.id, item.id, { canonicalUrl: item.link, titleKey: `t ${f} ${n}`, bandKeys: [`b${f}-${n}-1`, `b${f}-${n}-2`] }, JSON.stringify({ version: 1, canonicalUrl: item.link }), null);
      }
    });
    await store.markDelivered(
      'w',
      matched.filter((_, n) => n % 2 === 0).map((i) => i.id),
      old,
    );
    deliveredStories += Math.ceil(matched.length / 2);
    items += batch.length;
  }
  // SQLite's full-text index catches up when it is read: read it, so that pruning has entries to remove.
  await store.searchItems({ type: 'word', word: 'depeche', prefix: 'depeche' }, { limit: 1 });
  await store.close();
  return { items, deliveredStories };
}

/** Items in the store, read while another process writes it (null before the SQLite file exists). */
async function storedItems(location: StoreLocation): Promise<number | null> {
  if (location.databaseUrl !== null) return (await readRows<{ n: number }>(location, 'SELECT count(*) AS n FROM items'))[0]!.n;
  try {
    const db = new Database(location.databaseFile, { readonly: true, fileMustExist: true, timeout: 1000 });
    try {
      return (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** What must hold between any two transactions of a pruning. */
async function assertPruneConsistent(location: StoreLocation, total: number, context: string): Promise<{ items: number; tombstones: number }> {
  const n = async (sql: string) => (await readRows<{ n: number }>(location, sql))[0]!.n;
  const items = await n('SELECT count(*) AS n FROM items');
  const tombstones = await n('SELECT count(*) AS n FROM tombstones');
  assert.equal(items + tombstones, total, `${context}: every item is either stored or tombstoned`);
  assert.equal(await n('SELECT count(*) AS n FROM tombstones t JOIN items i ON i.id = t.id'), 0, `${context}: nothing both stored and tombstoned`);
  assert.equal(await n('SELECT count(*) AS n FROM matches m WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = m.item_id)'), 0, `${context}: no match of a pruned item`);
  assert.equal(
    // SQLite names a band's item by its seq, PostgreSQL by its id.
    await n(
      location.databaseUrl === null
        ? 'SELECT count(*) AS n FROM item_bands b WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.seq = b.seq) AND NOT EXISTS (SELECT 1 FROM pruned_stories p WHERE p.seq = b.seq)'
        : 'SELECT count(*) AS n FROM item_bands b WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = b.item_id) AND NOT EXISTS (SELECT 1 FROM pruned_stories p WHERE p.item_id = b.item_id)',
    ),
    0,
    `${context}: no story key of a pruned item, except a delivered story's`,
  );
  if (location.databaseUrl === null) {
    // SQLite keeps signatures and the full-text index apart from the rows (on PostgreSQL they are columns of the row).
    const db = new Database(location.databaseFile);
    try {
      db.prepare("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')").run();
    } finally {
      db.close();
    }
    assert.equal(await n('SELECT count(*) AS n FROM item_signatures s WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.seq = s.seq)'), 0, `${context}: no signature of a pruned item`);
    assert.equal(await n('SELECT count(*) AS n FROM items_fts WHERE items_fts MATCH \'"depeche"*\''), items, `${context}: the full-text index holds exactly the stored items`);
  }
  return { items, tombstones };
}

for (const backend of STORE_BACKENDS) {
  test(`kill -9 during archive prune: the store stays consistent, and the next prune finishes the job (${backend.name})`, { skip: backend.skip }, async (t) => {
    const missing = missingBuild();
    if (missing) return t.skip(missing);
    const seed = Number(process.env['PRESSWATCH_KILL_SEED'] ?? 20261130);
    t.diagnostic(`seed ${seed} (replay with PRESSWATCH_KILL_SEED=${seed})`);
    const random = seededRandom(seed);
    const dirs = await tempDirs(t, 'presswatch-prune-kill-');
    await mkdir(dirs.dataDir, { recursive: true });
    const { copyFile, rm } = await import('node:fs/promises');
    // SQLite: one archive, copied for each round. PostgreSQL: a schema of its own for each round.
    const template: StoreLocation = { databaseUrl: null, databaseFile: join(dirs.root, 'aged.db') };
    const written = backend.name === 'sqlite' ? await writeAgedArchive(template) : null;
    let killedMidway = 0;
    const rounds = backend.name === 'sqlite' ? 6 : 4;
    for (let round = 0; round < rounds; round++) {
      let location: StoreLocation;
      let archive: { items: number; deliveredStories: number };
      if (written) {
        location = { databaseUrl: null, databaseFile: join(dirs.dataDir, 'presswatch.db') };
        await rm(`${location.databaseFile}-wal`, { force: true });
        await rm(`${location.databaseFile}-shm`, { force: true });
        await copyFile(template.databaseFile, location.databaseFile);
        archive = written;
      } else {
        location = await backend.location(t);
        archive = await writeAgedArchive(location);
      }
      const total = archive.items;
      const args = [...databaseArgs(location), 'archive', 'prune', '--older-than', '60d'];
      // Most rounds wait for the first batch to commit, then kill within the next few batches (500 items
      // each), whatever the machine's load; the others kill at a random moment from node's start-up on.
      const midway = random() < 0.7;
      const delay = midway ? Math.floor(random() * 300) : 100 + Math.floor(random() * 2500);
      const victim = startCli(args, dirs, { timeoutMs: 60_000 });
      let exited = false;
      void victim.done.then(() => (exited = true));
      if (midway) {
        while (!exited && (await storedItems(location)) === total) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const timer = setTimeout(() => victim.child.kill('SIGKILL'), delay);
      const killed = await victim.done;
      clearTimeout(timer);
      const state = await assertPruneConsistent(location, total, `round ${round}, killed ${delay} ms after ${midway ? 'its first batch' : 'its start'}`);
      if (killed.signal === 'SIGKILL' && state.items > 0 && state.items < total) killedMidway++;

      const complete = await runCli(args, dirs, { timeoutMs: 60_000 });
      assert.equal(complete.code, 0, complete.stderr);
      assert.match(complete.stdout, /^removed \d+ items/);
      const done = await assertPruneConsistent(location, total, `round ${round}, after the next prune`);
      assert.equal(done.items, 0, 'the next prune finished the job');
      assert.equal((await readRows<{ n: number }>(location, 'SELECT count(*) AS n FROM pruned_stories'))[0]!.n, archive.deliveredStories, 'every delivered story keeps its keys');
    }
    t.diagnostic(`${killedMidway} of ${rounds} prunes killed midway`);
    assert.ok(killedMidway >= 1, 'at least one prune was killed between its batches');
  });
}
