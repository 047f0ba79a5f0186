import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseFeed } from 'htmlparser2';
import Parser from 'rss-parser';
import type { Digest, Story } from '../../src/digest/digest.js';
import type { DeliveredStory } from '../../src/deliver/destination.js';
import { FEED_FILE_KEEPS, feedFileDestination } from '../../src/deliver/feed-file.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { checkAtom } from '../helpers/atom-check.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { sampleDigest } from '../digest/sample-digest.js';

function stories(from: number, count: number): Story[] {
  const base = sampleDigest().stories[0]!;
  return Array.from({ length: count }, (_, i) => ({ ...base, id: `s${from + i}`, title: `Story ${from + i}`, url: `https://example.org/s${from + i}` }));
}

function digestOf(list: Story[], at: string): Digest {
  return { ...sampleDigest(), generatedAt: at, stories: list, counts: { ...sampleDigest().counts, stories: list.length } };
}

describe('rolling Atom file', () => {
  it(`keeps the last ${FEED_FILE_KEEPS} stories, newest delivered first, valid for two parsers`, async (t) => {
    const dir = await makeTempDir(t);
    const path = join(dir, 'veille.atom');
    const destination = feedFileDestination({ uri: `file:${path}` });
    const earlier: DeliveredStory[] = stories(0, 90).map((story) => ({ story, deliveredAt: '2026-11-20T07:00:00.000Z' }));
    const outcome = await destination.deliver({ digest: digestOf(stories(90, 30), '2026-11-21T07:00:00.000Z'), earlier });
    assert.deepEqual(outcome, { status: 'accepted', detail: `100 entries in ${path}` });
    const xml = await readFile(path, 'utf8');
    assert.deepEqual(checkAtom(xml), []);
    const feed = await new Parser().parseString(xml);
    assert.equal(feed.items.length, 100);
    assert.deepEqual(
      feed.items.slice(0, 2).map((i) => i.title),
      ['Story 90', 'Story 91'],
    );
    assert.equal(feed.items.at(-1)!.title, 'Story 69', 'the oldest 20 rolled off');
    assert.equal(parseFeed(xml, { xmlMode: true })!.items.length, 100);
    assert.match(xml, /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">\n {2}<id>[^<]+<\/id>\n.*\n.*\n {2}<updated>2026-11-21T07:00:00\.000Z<\/updated>/);
    assert.deepEqual(await readdir(dir), ['veille.atom'], 'no temp file left behind');
  });

  it('an unwritable folder is a failure naming the path, and the old file stays whole', async (t) => {
    if (process.getuid?.() === 0) return t.skip('root writes anywhere: permissions cannot make the folder unwritable');
    const dir = await makeTempDir(t);
    const folder = join(dir, 'ro');
    await mkdir(folder);
    await writeFile(join(folder, 'veille.atom'), 'old');
    await chmod(folder, 0o555);
    t.after(() => chmod(folder, 0o755));
    const outcome = await feedFileDestination({ uri: `file:${join(folder, 'veille.atom')}` }).deliver({ digest: digestOf(stories(0, 1), '2026-11-21T07:00:00.000Z'), earlier: [] });
    assert.deepEqual(outcome, { status: 'failed', reason: `cannot write ${join(folder, 'veille.atom')}: not writable` });
    assert.equal(await readFile(join(folder, 'veille.atom'), 'utf8'), 'old');
  });

  it('a path under a file is a failure too (also as root)', async (t) => {
    const dir = await makeTempDir(t);
    await writeFile(join(dir, 'plain'), 'x');
    const outcome = await feedFileDestination({ uri: `file:${join(dir, 'plain', 'veille.atom')}` }).deliver({ digest: digestOf(stories(0, 1), '2026-11-21T07:00:00.000Z'), earlier: [] });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.status === 'failed' ? outcome.reason : '', /^cannot write .*plain\/veille\.atom: /);
  });

  it("the store keeps a rolling feed's entries pruned to what it keeps, newest first, in the order the feed shows them", async (t) => {
    const dir = await makeTempDir(t);
    const store = openSqliteStore(join(dir, 'db.sqlite'));
    t.after(() => store.close());
    const entries = (ids: string[], at: string) => ids.map((id) => ({ storyId: id, story: JSON.stringify({ id }), deliveredAt: at }));
    await store.markDeliveredTo('w', 'file:/x.atom', { itemIds: [], at: '2026-11-20T07:00:01.000Z', feed: { entries: entries(['a', 'b', 'c'], '2026-11-20T07:00:00.000Z'), keep: 4 } });
    await store.markDeliveredTo('w', 'file:/x.atom', { itemIds: [], at: '2026-11-21T07:00:01.000Z', feed: { entries: entries(['d', 'e'], '2026-11-21T07:00:00.000Z'), keep: 4 } });
    const kept = await store.listFeedEntries('w', 'file:/x.atom', 10);
    assert.deepEqual(
      kept.map((e) => e.storyId),
      ['d', 'e', 'a', 'b'],
    );
    assert.equal(kept[0]!.deliveredAt, '2026-11-21T07:00:00.000Z');
    assert.deepEqual(await store.listFeedEntries('w', 'file:/other.atom', 10), []);
  });
});
