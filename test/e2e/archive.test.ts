/**
 * `presswatch archive prune` and `archive stats` through the built CLI, on a
 * database written through the store with items first stored 40 days ago.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { itemId, type Item } from '../../src/feed/item.js';
import { openStore, type StoreLocation } from '../../src/store/open-store.js';
import { assertBuilt, runCli } from '../helpers/run-cli.js';
import { databaseArgs, STORE_BACKENDS, type StoreBackend } from '../helpers/stores.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FEED = 'https://flux.example.fr/monde.xml';
const DAY = 86_400_000;

function item(n: number, title: string): Item {
  return {
    id: itemId(FEED, `guid:${n}`),
    feedUrl: FEED,
    title,
    link: `https://flux.example.fr/a/${n}`,
    guid: String(n),
    publishedAt: null,
    author: null,
    summary: `Résumé de la dépêche ${n}.`,
    content: '',
    categories: [],
  };
}

async function agedArchive(location: StoreLocation): Promise<void> {
  const store = await openStore(location);
  const items = [item(1, 'Wonsan : un protocole'), item(2, 'Météo'), item(3, 'Marchés'), item(4, 'Sports')];
  const record = { url: FEED, label: 'Le Flux', status: 'ok' as const, httpStatus: 200, error: null };
  const old = new Date(Date.now() - 40 * DAY).toISOString();
  await store.saveFetch({ ...record, fetchedAt: old }, items);
  // The feed still carries them all.
  await store.saveFetch({ ...record, fetchedAt: new Date(Date.now() - DAY).toISOString() }, items);
  await store.beginMatching('veille', 'rules');
  await store.saveMatches('veille', 4, [{ itemId: items[0]!.id, term: 'Wonsan', count: 1, variant: 'wonsan', field: 'title', offsets: {}, matchedAt: old }]);
  await store.close();
}

/** The backend's store for a data dir: its SQLite file, or a schema of its own on PostgreSQL. */
/** A data and a config folder of the test's own, and the aged archive in the backend's store. */
async function agedArchiveIn(t: Parameters<typeof makeTempDir>[0], backend: StoreBackend): Promise<{ dirs: { dataDir: string; configDir: string }; args: string[] }> {
  const root = await makeTempDir(t);
  const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
  await mkdir(dirs.dataDir, { recursive: true });
  const location: StoreLocation = backend.name === 'sqlite' ? { databaseUrl: null, databaseFile: join(dirs.dataDir, 'presswatch.db') } : await backend.location(t);
  await agedArchive(location);
  return { dirs, args: databaseArgs(location) };
}

for (const backend of STORE_BACKENDS) {
  describe(`archive prune and archive stats (${backend.name})`, { skip: backend.skip }, () => {
    it('a dry run says what would go and changes nothing; the real run removes it and says what it freed', async (t) => {
      assertBuilt();
      const { dirs, args: db } = await agedArchiveIn(t, backend);
      const oldDigest = join(dirs.dataDir, 'digests', 'veille', '2020-01-06.md');
      const newDigest = join(dirs.dataDir, 'digests', 'veille', `${new Date().toISOString().slice(0, 10)}.md`);
      await mkdir(join(dirs.dataDir, 'digests', 'veille'), { recursive: true });
      await writeFile(oldDigest, '# old digest\n');
      await writeFile(newDigest, '# new digest\n');
      assert.equal((await runCli(['config', 'set', 'keepDigestsDays', '30'], dirs)).code, 0);

      const statsBefore = await runCli([...db, 'archive', 'stats', '--json'], dirs);
      assert.equal(statsBefore.code, 0, statsBefore.stderr);

      const dry = await runCli([...db, 'archive', 'prune', '--dry-run'], dirs);
      assert.equal(dry.code, 0, dry.stderr);
      assert.equal(dry.stdout, 'would remove 3 items (0 matched, 0 stories whole) and 1 saved digest (13 B); nothing changed (dry run)\n');
      assert.equal(dry.stderr, '');
      const dryJson = await runCli([...db, 'archive', 'prune', '--dry-run', '--json'], dirs);
      const report = JSON.parse(dryJson.stdout) as { dryRun: boolean; items: number; savedDigests: { files: number } };
      assert.deepEqual([report.dryRun, report.items, report.savedDigests.files], [true, 3, 1]);
      const statsAfterDry = await runCli([...db, 'archive', 'stats', '--json'], dirs);
      // PostgreSQL's sizes move by themselves (autovacuum, free space maps): there the counts must not.
      const comparable = (stdout: string) => {
        const { totals, feeds, ...rest } = JSON.parse(stdout) as Record<string, unknown>;
        return backend.name === 'sqlite' ? { totals, feeds, ...rest } : { totals, feeds };
      };
      assert.deepEqual(comparable(statsAfterDry.stdout), comparable(statsBefore.stdout), 'the dry run changed nothing');
      assert.ok(existsSync(oldDigest));

      const real = await runCli([...db, 'archive', 'prune'], dirs);
      assert.equal(real.code, 0, real.stderr);
      assert.match(
        real.stdout,
        /^removed 3 items \(0 matched, 0 stories whole\) and 1 saved digest \(13 B\)\nkept 3 tombstones for items their feeds still carry, and the keys of 0 stories already shown\ndatabase: .+ → .+ \(freed .+\)\n$/,
      );
      assert.ok(!existsSync(oldDigest), 'the digest saved over 30 days ago is gone');
      assert.ok(existsSync(newDigest), "today's digest stays");

      const stats = await runCli([...db, 'archive', 'stats', '--json'], dirs);
      assert.equal(stats.code, 0, stats.stderr);
      const parsed = JSON.parse(stats.stdout) as {
        totals: { items: number; matchedItems: number; tombstones: number };
        feeds: { url: string; items: number; matchedItems: number; tombstones: number; oldestItemAt: string | null }[];
        parts: { part: string; bytes: number }[];
        bytes: number;
        retention: { keepUnmatchedDays: number; keepMatchedDays: number; keepDigestsDays: number };
      };
      assert.deepEqual([parsed.totals.items, parsed.totals.matchedItems, parsed.totals.tombstones], [1, 1, 3]);
      assert.deepEqual(
        parsed.feeds.map((f) => [f.url, f.items, f.matchedItems, f.tombstones]),
        [[FEED, 1, 1, 3]],
      );
      assert.ok(parsed.parts.some((p) => p.part === 'full-text index' && p.bytes > 0));
      assert.ok(parsed.bytes > 0);
      assert.deepEqual(parsed.retention, { keepUnmatchedDays: 30, keepMatchedDays: 365, keepDigestsDays: 30 });

      const text = await runCli([...db, 'archive', 'stats'], dirs);
      assert.equal(text.code, 0, text.stderr);
      assert.match(
        text.stdout,
        /^.+: .+\n1 items \(1 matched\), 0 stories, 1 matches, 0 deliveries\n3 tombstones, 0 pruned stories remembered by their keys\nkept: unmatched items 30 days, matched items 365 days, saved digests 30 days\n/,
      );
      assert.match(text.stdout, /\n +1 +1 +0 +3 {2}\d{4}-\d{2}-\d{2} {2}Le Flux <https:\/\/flux\.example\.fr\/monde\.xml>\n$/);
    });

    it('a digest prunes by itself at its end, and says so with --verbose', async (t) => {
      assertBuilt();
      const { dirs, args: db } = await agedArchiveIn(t, backend);
      const digest = await runCli([...db, '--verbose', 'digest', '--no-fetch', '--format', 'json'], dirs);
      assert.equal(digest.code, 0, digest.stderr);
      JSON.parse(digest.stdout);
      assert.match(
        digest.stderr,
        /(^|\n)presswatch: archive: removed 3 items \(0 matched, 0 stories whole\); kept 3 tombstones for items their feeds still carry, and the keys of 0 stories already shown; database: .+\n/,
      );
      const stats = JSON.parse((await runCli([...db, 'archive', 'stats', '--json'], dirs)).stdout) as { totals: { items: number; tombstones: number } };
      assert.deepEqual([stats.totals.items, stats.totals.tombstones], [1, 3]);
    });

    it('bad values are usage errors naming the culprit', { skip: backend.name !== 'sqlite' && 'the same checks on both stores' }, async (t) => {
      assertBuilt();
      const root = await makeTempDir(t);
      const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
      const olderThan = await runCli(['archive', 'prune', '--older-than', 'soon'], dirs);
      assert.equal(olderThan.code, 2);
      assert.equal(olderThan.stderr, 'presswatch: --older-than: "soon" is not a duration (90d, 12w, 48h)\n');
      const negative = await runCli(['config', 'set', 'keepMatchedDays', '-1'], dirs);
      assert.equal(negative.code, 2);
      assert.match(negative.stderr, /keepMatchedDays/);
      const zero = await runCli(['config', 'set', 'keepUnmatchedDays', '0'], dirs);
      assert.equal(zero.code, 0, zero.stderr);
      assert.equal((await runCli(['config', 'get', 'keepUnmatchedDays'], dirs)).stdout, '0\n');
    });
  });
}
