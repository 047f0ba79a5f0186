/**
 * Everything once, with digests that really overlap (PostgreSQL): a digest holds its
 * new stories from listing them until it has marked them shown, or, for a destination,
 * until that destination's delivery is recorded. A second digest of the same watchlist
 * that runs meanwhile gets the rest: between them each story once, none lost.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Watchlist } from '../../src/config/watchlist.js';
import { createDestination } from '../../src/deliver/create-destination.js';
import type { Digest } from '../../src/digest/digest.js';
import { runDigest, SILENT_REPORTER, type DigestRunOptions } from '../../src/pipeline.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { startServer } from '../helpers/http-server.js';
import { readRows, STORE_BACKENDS, type Hooks } from '../helpers/stores.js';
import { distinctText } from '../hostile/support.js';

const postgres = STORE_BACKENDS.find((b) => b.name === 'postgres')!;
const NOW = new Date('2026-11-30T08:00:00Z');

/** Batches published days apart, so that no story of one batch takes in a report of another (the event window). */
function rss(batches: readonly { tag: string; day: number; count: number }[]): string {
  const items = batches.flatMap((b) =>
    Array.from({ length: b.count }, (_, k) => {
      const guid = `${b.tag}-${k}`;
      return `<item><guid>${guid}</guid><title>Pyongyang ${guid}</title><link>https://news.example/${guid}</link><pubDate>${new Date(Date.UTC(2026, 10, b.day, 9)).toUTCString()}</pubDate><description>${distinctText(guid)}</description></item>`;
    }),
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Agence</title><link>https://news.example/</link><description>d</description>${items.join('')}</channel></rss>`;
}

async function setUp(t: Hooks & { after(fn: () => unknown): void }) {
  const batches: { tag: string; day: number; count: number }[] = [];
  const hook: { bodies: Digest[]; onPost: (() => Promise<void>) | null } = { bodies: [], onPost: null };
  const server = await startServer({
    '/feed.xml': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(batches)),
    '/hook': (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        hook.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Digest);
        const during = hook.onPost;
        hook.onPost = null;
        // The first post waits for whatever the test runs while this delivery is in flight.
        if (during) await during();
        res.writeHead(200).end();
      });
    },
  });
  t.after(() => server.close());
  const location = await postgres.location(t);
  // Two stores on one database: two processes.
  const stores = [await openStore(location), await openStore(location)] as const;
  t.after(() => Promise.all(stores.map((s) => s.close())));
  const watchlist: Watchlist = {
    name: 'veille',
    description: '',
    feeds: [{ url: server.url('/feed.xml'), label: 'Agence' }],
    keywords: [{ term: 'Pyongyang', aliases: [] }],
    rules: [],
    exclude: [],
    fullText: 'never',
    destinations: [{ uri: server.url('/hook'), format: 'json' }],
  };
  const webhook = createDestination(watchlist.destinations![0]!, {
    mail: { smtpUrl: null, from: null, timeoutMs: 1000, now: () => NOW },
    webhook: { timeoutMs: 20_000, retries: 0, backoffMs: 10, maxWaitMs: 100, userAgent: 'presswatch-test', env: () => undefined },
  });
  const run = (store: Store, overrides: Partial<DigestRunOptions> = {}) =>
    runDigest(store, [watchlist], {
      fetch: { timeoutMs: 5000, maxBytes: 1 << 22, maxRedirects: 2, userAgent: 'presswatch-test/1.0' },
      concurrency: 2,
      now: () => NOW,
      reporter: SILENT_REPORTER,
      fetchFeeds: true,
      since: null,
      ...overrides,
    });
  const deliver = new Map([[watchlist.name, [webhook]]]);
  /** The stories of the items stored so far: what the digests owe between them. */
  const storyCount = async () => Number((await readRows<{ n: number }>(location, 'SELECT count(DISTINCT coalesce(story_id, id)) AS n FROM items'))[0]!.n);
  return { batches, hook, stores, run, deliver, storyCount };
}

const ids = (digest: Digest) => digest.stories.map((s) => s.id);
const tags = (digest: Digest) => [...new Set(digest.stories.map((s) => /Pyongyang (\w+)-/.exec(s.title)![1]!))].sort();

describe('two digests of one watchlist at once (postgres)', { skip: postgres.skip }, () => {
  it('on stdout: a digest run while another holds its stories gets only the others; between them each story once', async (t) => {
    const s = await setUp(t);
    const [a, b] = s.stores;
    s.batches.push({ tag: 'old', day: 1, count: 12 });
    const first = await s.run(a);
    assert.deepEqual(tags(first.digest), ['old']);
    // While the first has not yet marked its stories shown (a digest being written), new ones arrive and a second runs.
    s.batches.push({ tag: 'new', day: 10, count: 8 });
    const second = await s.run(b);
    assert.deepEqual(tags(second.digest), ['new'], 'the stories held by the first are not shown again');
    await Promise.all([first.markDelivered(), second.markDelivered()]);
    const shown = [...ids(first.digest), ...ids(second.digest)];
    assert.equal(new Set(shown).size, shown.length, 'none twice');
    assert.equal(shown.length, await s.storyCount(), 'none lost');

    // Started together: both built their digest before either marked a story shown.
    s.batches.push({ tag: 'late', day: 20, count: 15 });
    await s.run(a, { printed: false });
    const before = await s.storyCount();
    const [c, d] = await Promise.all([s.run(a, { fetchFeeds: false }), s.run(b, { fetchFeeds: false })]);
    await Promise.all([c.markDelivered(), d.markDelivered()]);
    const late = [...ids(c.digest), ...ids(d.digest)];
    assert.equal(new Set(late).size, late.length, 'none twice');
    assert.equal(late.length + shown.length, before, 'none lost');
    assert.deepEqual((await s.run(a)).digest.stories, [], 'and all marked shown');
    t.diagnostic(`held: ${ids(first.digest).length} + ${ids(second.digest).length} stories; started together: ${ids(c.digest).length} + ${ids(d.digest).length}`);
  });

  it('to a destination: a run delivering while another delivery is in flight sends only the others; nothing sent twice', async (t) => {
    const s = await setUp(t);
    const [a, b] = s.stores;
    s.batches.push({ tag: 'old', day: 1, count: 12 });
    let during: Digest | null = null;
    // The first post is held until a second run, started while it is in flight, has delivered.
    s.hook.onPost = async () => {
      s.batches.push({ tag: 'new', day: 10, count: 8 });
      during = (await s.run(b, { destinations: s.deliver, printed: false })).digest;
    };
    const first = (await s.run(a, { destinations: s.deliver, printed: false })).digest;
    assert.ok(during, 'the second run ran during the first delivery');
    assert.deepEqual(
      [first, during as Digest].map((d) => d.deliveries!.map((x) => [x.status, x.delivered])),
      [[['delivered', 12]], [['delivered', 8]]],
    );
    assert.deepEqual(s.hook.bodies.map(tags), [['old'], ['new']], 'the second sent only the stories the first did not hold');
    const sent = s.hook.bodies.flatMap(ids);
    assert.equal(new Set(sent).size, sent.length, 'nothing sent twice');
    assert.equal(sent.length, await s.storyCount(), 'nothing lost');

    // Started together, each waiting on the webhook: between them, each new story once.
    s.batches.push({ tag: 'late', day: 20, count: 15 });
    await s.run(a, { printed: false });
    const before = await s.storyCount();
    const runs = await Promise.all([s.run(a, { destinations: s.deliver, printed: false, fetchFeeds: false }), s.run(b, { destinations: s.deliver, printed: false, fetchFeeds: false })]);
    const all = s.hook.bodies.flatMap(ids);
    assert.equal(new Set(all).size, all.length, 'nothing sent twice');
    assert.equal(all.length, before, 'nothing lost');
    const third = await s.run(a, { destinations: s.deliver, printed: false, fetchFeeds: false });
    assert.deepEqual(
      third.digest.deliveries!.map((x) => x.status),
      ['nothing-new'],
    );
    t.diagnostic(`started together: ${runs.map((r) => r.digest.deliveries![0]!.delivered).join(' + ')} stories delivered`);
  });
});
