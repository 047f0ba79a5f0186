/**
 * The watchlist cache (src/config/watchlist-cache.ts) on real files: a cached
 * load gives what parsing gives, an edit is seen on the next load even when the
 * file keeps its size and mtime, a malformed file gives its error every time,
 * and a damaged cache is ignored and rewritten.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadWatchlists, SHIPPED_WATCHLISTS_DIR } from '../../src/config/load-watchlists.js';
import { parseWatchlistText } from '../../src/config/parse-watchlist.js';
import { ConfigError } from '../../src/errors.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FRENCH = 'name: veille\nfeeds:\n  - https://presse.example/rss\nkeywords:\n  - Lavrov\n  - { term: Pyongyang, aliases: [평양] }\nexclude:\n  - football\n';
const ENGLISH = 'feeds:\n  - https://news.example/feed.xml\nkeywords:\n  - shipyard\n  - { term: NATO, case: true, inflect: true }\nrules:\n  - { name: strikes, query: strike NEAR/3 port }\nfullText: never\n';

async function setUp(t: { after(fn: () => Promise<void> | void): void }) {
  const root = await makeTempDir(t, 'presswatch-wlcache-');
  const dir = join(root, 'watchlists');
  await mkdir(dir);
  const cacheFile = join(root, 'data', 'watchlists.cache.json');
  const load = (names: string[] = []) => loadWatchlists(dir, names, { cacheFile });
  return { dir, cacheFile, load };
}

/** What the loader without a cache gives for the same files. */
async function parsedFresh(dir: string, files: string[]) {
  return Promise.all(files.map(async (f) => parseWatchlistText(await readFile(join(dir, f), 'utf8'), join(dir, f))));
}

describe('watchlist cache', () => {
  it('gives what parsing gives, warnings included, and is used on the next load', async (t) => {
    const { dir, cacheFile, load } = await setUp(t);
    await copyFile(join(SHIPPED_WATCHLISTS_DIR, 'coree-russie.yaml'), join(dir, 'coree-russie.yaml'));
    await writeFile(join(dir, 'docks.yaml'), ENGLISH);
    await writeFile(join(dir, 'veille.yaml'), FRENCH);
    const expected = await parsedFresh(dir, ['coree-russie.yaml', 'docks.yaml', 'veille.yaml']);
    assert.match(expected[1]!.warnings.join('\n'), /keywords\[1\]\.inflect: ignored/);

    assert.deepEqual(await load(), expected);
    const written = await readFile(cacheFile, 'utf8');
    assert.deepEqual(await load(), expected);
    assert.equal(await readFile(cacheFile, 'utf8'), written, 'nothing changed: the cache is not rewritten');

    // Proof that the second load reads the cache: an entry altered consistently (check recomputed) is what comes back.
    const cache = JSON.parse(written) as { entries: Record<string, { loaded: { watchlist: { description: string } }; check: string }> };
    const entry = cache.entries[join(dir, 'veille.yaml')]!;
    entry.loaded.watchlist.description = 'from the cache';
    entry.check = createHash('sha256').update(JSON.stringify(entry.loaded)).digest('base64');
    await writeFile(cacheFile, JSON.stringify(cache));
    const veille = (await load(['veille']))[0]!;
    assert.equal(veille.watchlist.description, 'from the cache');
  });

  it('sees an edit at once, even one that keeps the size and the mtime', async (t) => {
    const { dir, load } = await setUp(t);
    const file = join(dir, 'veille.yaml');
    await writeFile(file, FRENCH);
    // A whole second, which every file system keeps exactly.
    const mtime = 1_700_000_000;
    await utimes(file, mtime, mtime);
    const before = await stat(file);
    assert.deepEqual(
      (await load())[0]!.watchlist.keywords.map((k) => k.term),
      ['Lavrov', 'Pyongyang'],
    );

    await writeFile(file, FRENCH.replace('Lavrov', 'Shoigu'));
    await utimes(file, mtime, mtime);
    assert.equal((await stat(file)).size, before.size);
    assert.equal((await stat(file)).mtimeMs, before.mtimeMs);
    assert.deepEqual(
      (await load())[0]!.watchlist.keywords.map((k) => k.term),
      ['Shoigu', 'Pyongyang'],
    );

    await writeFile(file, ENGLISH);
    const [docks] = await load();
    assert.equal(docks!.watchlist.name, 'veille');
    assert.deepEqual(docks!.watchlist.rules, [{ name: 'strikes', query: 'strike NEAR/3 port' }]);
  });

  it('gives a malformed or invalid file its own error, every time, after a cached good version', async (t) => {
    const { dir, load } = await setUp(t);
    const file = join(dir, 'docks.yaml');
    await writeFile(file, ENGLISH);
    await load();
    for (const broken of ['feeds: [https://news.example/feed.xml\nkeywords: [shipyard]\n', 'feeds: []\nkeywords: 42\n']) {
      await writeFile(file, broken);
      const expected = (() => {
        try {
          parseWatchlistText(broken, file);
        } catch (error) {
          return error as ConfigError;
        }
        throw new Error('the broken text parsed');
      })();
      assert.ok(expected instanceof ConfigError);
      for (let run = 0; run < 2; run++) await assert.rejects(load(), (error: Error) => error instanceof ConfigError && error.message === expected.message);
    }
  });

  it('ignores a damaged cache and rewrites it', async (t) => {
    const { dir, cacheFile, load } = await setUp(t);
    await writeFile(join(dir, 'veille.yaml'), FRENCH);
    const expected = await parsedFresh(dir, ['veille.yaml']);
    await load();
    const good = await readFile(cacheFile, 'utf8');
    const damaged = [good.slice(0, good.length / 2), '', 'null', '{"format":1}', good.replace('Pyongyang', 'Pyongyanh'), good.replace(/"entries":\{/, '"entries":{"x":{"size":1},'), '\u0000'.repeat(64)];
    for (const content of damaged) {
      await writeFile(cacheFile, content);
      assert.deepEqual(await load(), expected);
      assert.deepEqual(JSON.parse(await readFile(cacheFile, 'utf8')), JSON.parse(good), 'rewritten');
    }
  });

  it('works without a writable cache: loads from the files', async (t) => {
    const { dir } = await setUp(t);
    await writeFile(join(dir, 'veille.yaml'), FRENCH);
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, '');
    const loaded = await loadWatchlists(dir, [], { cacheFile: join(blocker, 'watchlists.cache.json') });
    assert.deepEqual(loaded, await parsedFresh(dir, ['veille.yaml']));
  });
});
