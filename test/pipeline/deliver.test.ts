/**
 * Delivery through the real pipeline: a loopback feed, a real SMTP server, a
 * loopback webhook and an Atom file, across runs. Nothing lost, nothing twice:
 * a destination that fails gets exactly the stories it missed on the next run,
 * the others get none twice, and stdout's "shown" mark is a separate cursor.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Parser from 'rss-parser';
import type { DestinationSpec } from '../../src/config/destination.js';
import type { Watchlist } from '../../src/config/watchlist.js';
import { createDestination, type DeliverySettings } from '../../src/deliver/create-destination.js';
import type { Digest } from '../../src/digest/digest.js';
import type { FetchOptions } from '../../src/fetch/http.js';
import { runDigest, SILENT_REPORTER, type DigestRunOptions } from '../../src/pipeline.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { checkAtom } from '../helpers/atom-check.js';
import { startServer } from '../helpers/http-server.js';
import { startSmtpServer, testCertificate } from '../helpers/smtp-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FETCH: FetchOptions = { timeoutMs: 2000, maxBytes: 1 << 20, maxRedirects: 3, userAgent: 'presswatch-test/1.0' };

interface FeedItem {
  guid: string;
  title: string;
  text: string;
}

/** Distinct texts, so that no two items are folded into one story. */
const TEXTS = [
  'Les premiers touristes russes sont arrivés à Wonsan par un vol spécial depuis Vladivostok.',
  'Un accord ferroviaire relie désormais Wonsan à Khassan, selon les autorités portuaires.',
  'Le port de Wonsan accueille un cargo chargé de céréales venu de la mer du Japon.',
  'Une délégation culturelle a présenté à Wonsan un spectacle de danse et de chant choral.',
  'Les pêcheurs de Wonsan signalent une saison record pour le calmar et le hareng.',
];

function rss(items: readonly FeedItem[]): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Agence</title><link>http://x/</link><description>d</description>
${items.map((i) => `<item><title>${i.title}</title><link>https://news.example/${i.guid}</link><guid>${i.guid}</guid><pubDate>Tue, 17 Nov 2026 09:00:00 GMT</pubDate><description>${i.text}</description></item>`).join('')}</channel></rss>`;
}

const item = (n: number): FeedItem => ({ guid: `g${n}`, title: `Wonsan : dépêche numéro ${n}`, text: TEXTS[n - 1]! });

async function setUp(t: { after(fn: () => Promise<void> | void): void }) {
  const dir = await makeTempDir(t);
  const published: FeedItem[] = [];
  let hookStatus = 200;
  const hookBodies: string[] = [];
  const server = await startServer({
    '/feed.xml': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(published)),
    '/hook': (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hookBodies.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(hookStatus).end();
      });
    },
  });
  t.after(() => server.close());
  const smtp = await startSmtpServer();
  t.after(() => smtp.close());
  const store = openSqliteStore(join(dir, 'db.sqlite'));
  t.after(() => store.close());
  const feedFile = join(dir, 'public', 'veille.atom');
  const specs: DestinationSpec[] = [{ uri: 'mailto:redaction@example.org' }, { uri: server.url('/hook'), format: 'json' }, { uri: `file:${feedFile}` }];
  const watchlist: Watchlist = {
    name: 'veille',
    description: '',
    feeds: [{ url: server.url('/feed.xml'), label: 'Agence' }],
    keywords: [{ term: 'Wonsan', aliases: [] }],
    rules: [],
    exclude: [],
    fullText: 'never',
    destinations: specs,
  };
  let clock = Date.parse('2026-11-18T07:00:00Z');
  const settings: DeliverySettings = {
    mail: { smtpUrl: smtp.url, from: 'veille@example.org', timeoutMs: 3000, tls: { ca: (await testCertificate()).cert }, now: () => new Date(clock) },
    webhook: { timeoutMs: 2000, retries: 1, backoffMs: 10, maxWaitMs: 1000, userAgent: 'presswatch-test', env: () => undefined },
  };
  const destinations = new Map([[watchlist.name, specs.map((s) => createDestination(s, settings))]]);
  /** One day later, a run with --deliver (unless `deliver` is false). */
  const run = async (overrides: Partial<DigestRunOptions> = {}, deliver = true) => {
    clock += 24 * 3600_000;
    const now = new Date(clock);
    const options: DigestRunOptions = { fetch: FETCH, concurrency: 2, now: () => now, reporter: SILENT_REPORTER, fetchFeeds: true, since: null, ...(deliver ? { destinations } : {}), ...overrides };
    return runDigest(store, [watchlist], options);
  };
  const mailTitles = (i: number) =>
    smtp.received[i]!.parsed.text!.split('\n')
      .filter((l) => /^ {2}Wonsan/.test(l))
      .map((l) => l.trim());
  const hookTitles = (i: number) => (JSON.parse(hookBodies[i]!) as Digest).stories.map((s) => s.title);
  const feedTitles = async () => (await new Parser().parseString(await readFile(feedFile, 'utf8'))).items.map((i) => i.title);
  return {
    published,
    smtp,
    hookBodies,
    setHookStatus: (s: number) => {
      hookStatus = s;
    },
    run,
    mailTitles,
    hookTitles,
    feedTitles,
    feedFile,
    store,
    watchlist,
    destinations,
  };
}

const t1 = (n: number) => `Wonsan : dépêche numéro ${n}`;
const statuses = (digest: Digest) => digest.deliveries?.map((d) => [d.kind, d.status, d.stories, d.delivered]);

describe('delivery to three destinations across runs', () => {
  it('one destination failing for a run gets exactly the missed stories when it is back; the others get none twice', async (t) => {
    const s = await setUp(t);
    s.published.push(item(1), item(2));
    const first = await s.run();
    assert.deepEqual(statuses(first.digest), [
      ['mail', 'delivered', 2, 2],
      ['webhook', 'delivered', 2, 2],
      ['feed', 'delivered', 2, 2],
    ]);
    assert.deepEqual(s.mailTitles(0).sort(), [t1(1), t1(2)]);
    assert.deepEqual(s.hookTitles(0).sort(), [t1(1), t1(2)]);
    assert.deepEqual((await s.feedTitles()).sort(), [t1(1), t1(2)]);
    const firstXml = await readFile(s.feedFile, 'utf8');

    // Run 2: the webhook answers 503 (and again on the retry).
    s.published.push(item(3));
    s.setHookStatus(503);
    const second = await s.run();
    assert.deepEqual(statuses(second.digest), [
      ['mail', 'delivered', 1, 1],
      ['webhook', 'failed', 1, 0],
      ['feed', 'delivered', 1, 1],
    ]);
    assert.match(second.digest.deliveries![1]!.error!, /answered 503/);
    assert.equal(s.hookBodies.length, 3, 'the first post and one retry');
    assert.deepEqual(s.mailTitles(1), [t1(3)]);
    assert.deepEqual((await s.feedTitles()).slice(0, 1), [t1(3)]);

    // Run 3: the webhook is back, and gets the story it missed with the new one; the others only the new one.
    s.published.push(item(4));
    s.setHookStatus(200);
    const third = await s.run();
    assert.deepEqual(statuses(third.digest), [
      ['mail', 'delivered', 1, 1],
      ['webhook', 'delivered', 2, 2],
      ['feed', 'delivered', 1, 1],
    ]);
    assert.deepEqual(s.hookTitles(3).sort(), [t1(3), t1(4)]);
    assert.deepEqual(s.mailTitles(2), [t1(4)]);
    const rolled = await s.feedTitles();
    assert.deepEqual(rolled.slice(0, 2), [t1(4), t1(3)], 'newest delivered first');
    assert.deepEqual(rolled.slice(2).sort(), [t1(1), t1(2)]);

    // Run 4: nothing new: nothing sent, nothing rewritten.
    const xmlBefore = await readFile(s.feedFile, 'utf8');
    const fourth = await s.run();
    assert.deepEqual(statuses(fourth.digest), [
      ['mail', 'nothing-new', 0, 0],
      ['webhook', 'nothing-new', 0, 0],
      ['feed', 'nothing-new', 0, 0],
    ]);
    assert.equal(s.smtp.received.length, 3);
    assert.equal(s.hookBodies.length, 4);
    assert.equal(await readFile(s.feedFile, 'utf8'), xmlBefore);

    // Every story reached every destination exactly once.
    const mailed = [0, 1, 2].flatMap((i) => s.mailTitles(i));
    const hooked = [0, 3].flatMap((i) => s.hookTitles(i));
    for (const got of [mailed, hooked, await s.feedTitles()]) assert.deepEqual([...got].sort(), [t1(1), t1(2), t1(3), t1(4)]);

    // The feed file: valid Atom, and an entry keeps its id and updated time across rewrites.
    const finalXml = await readFile(s.feedFile, 'utf8');
    assert.deepEqual(checkAtom(finalXml), []);
    const entryOf = (xml: string, title: string) =>
      /<entry>\n {4}<id>([^<]+)<\/id>\n {4}<title type="text">([^<]+)<\/title>\n {4}<updated>([^<]+)</.exec(
        xml
          .split('<entry>')
          .map((e) => `<entry>${e}`)
          .find((e) => e.includes(title))!,
      )!;
    assert.equal(entryOf(finalXml, t1(1))[1], entryOf(firstXml, t1(1))[1]);
    assert.equal(entryOf(finalXml, t1(1))[3], entryOf(firstXml, t1(1))[3]);
  });

  it('stdout keeps its own cursor: a run that prints nothing does not mark stories as shown, and delivery does not either', async (t) => {
    const s = await setUp(t);
    s.published.push(item(1));
    const quiet = await s.run({ printed: false });
    assert.deepEqual(quiet.digest.stories, [], 'not printed, not listed');
    assert.equal(quiet.digest.deliveries![0]!.status, 'delivered');
    s.published.push(item(2));
    const printed = await s.run({}, false);
    assert.deepEqual(printed.digest.stories.map((x) => x.title).sort(), [t1(1), t1(2)], 'stdout still owes both');
    await printed.markDelivered();
    assert.equal(printed.digest.deliveries, undefined, 'without --deliver there is no delivery');
    // The destinations were not touched by that run; they are owed story 2 only.
    const next = await s.run();
    assert.deepEqual(next.digest.stories, []);
    assert.deepEqual(statuses(next.digest), [
      ['mail', 'delivered', 1, 1],
      ['webhook', 'delivered', 1, 1],
      ['feed', 'delivered', 1, 1],
    ]);
    assert.deepEqual(s.mailTitles(1), [t1(2)]);
  });

  it('a destination added later is owed only what arrives from then on; removed and added again, it starts afresh', async (t) => {
    const s = await setUp(t);
    s.published.push(item(1));
    await s.run({ destinations: new Map([[s.watchlist.name, s.destinations.get(s.watchlist.name)!.slice(0, 1)]]) });
    assert.equal(s.smtp.received.length, 1);
    assert.equal(s.hookBodies.length, 0);
    s.published.push(item(2));
    await s.run();
    assert.deepEqual(s.hookTitles(0), [t1(2)], 'the new webhook gets only the story that arrived after it was added');
    assert.deepEqual(s.mailTitles(1), [t1(2)]);
    // Removed for a run (while story 3 arrives), then added again: no backlog of what it did not get meanwhile.
    s.published.push(item(3));
    await s.run({ destinations: new Map([[s.watchlist.name, s.destinations.get(s.watchlist.name)!.slice(0, 1)]]) });
    s.published.push(item(4));
    await s.run();
    assert.deepEqual(s.hookTitles(1), [t1(4)]);
  });
});
