import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { FULL_CONTENT_CHARS, generateCorpus, WATCH_KEYWORDS } from '../../bench/corpus.js';
import { startCorpusServer, type CorpusServer } from '../../bench/server.js';

const options = { feeds: 12, itemsPerFeed: 10, seed: 42, origin: 'http://127.0.0.1:9' };

describe('bench corpus', () => {
  it('gives the same bytes for the same seed, and other bytes for another', () => {
    const a = generateCorpus(options);
    const b = generateCorpus(options);
    assert.deepEqual(a.stats, b.stats);
    assert.deepEqual(
      a.feeds.map((f) => [f.path, f.etag, f.body.toString('base64')]),
      b.feeds.map((f) => [f.path, f.etag, f.body.toString('base64')]),
    );
    const c = generateCorpus({ ...options, seed: 43 });
    assert.notDeepEqual(
      c.feeds.map((f) => f.etag),
      a.feeds.map((f) => f.etag),
    );
  });

  it('plants watch keywords and near-duplicates, and serves some feeds in ISO-8859-1 without losing characters', () => {
    const { feeds, stats } = generateCorpus({ ...options, feeds: 40, itemsPerFeed: 20 });
    assert.equal(stats.items, 800);
    assert.ok(stats.watchItems > 0 && stats.watchItems < stats.items / 4, `watch items: ${stats.watchItems}`);
    assert.ok(stats.nearDuplicateItems > 0 && stats.nearDuplicateItems < stats.items / 3, `near-duplicates: ${stats.nearDuplicateItems}`);
    assert.equal(stats.latin1Feeds, 4);
    const latin1 = feeds.find((f) => f.encoding === 'iso-8859-1')!;
    const text = latin1.body.toString('latin1');
    assert.match(text, /^<\?xml version="1.0" encoding="ISO-8859-1"\?>/);
    // Every character must survive the round trip through Latin-1 (no '?' substitutions).
    assert.equal(Buffer.from(text, 'latin1').toString('latin1'), text);
    assert.ok(latin1.body.includes(Buffer.from('actualité', 'latin1')));
    const all = feeds.map((f) => f.body.toString(f.encoding === 'utf-8' ? 'utf8' : 'latin1')).join('\n');
    for (const k of ['Pyongyang', 'Wonsan', 'accord de défense', 'liaisons aériennes']) assert.ok(all.includes(k), `the corpus mentions ${k}`);
    assert.ok(WATCH_KEYWORDS.some((k) => k.term === 'Pyongyang'));
  });

  it('full-content profile: each item carries the whole article (about 2.7 kB of text) and the summaries profile is unchanged by it', () => {
    const summaries = generateCorpus(options);
    const full = generateCorpus({ ...options, profile: 'full-content' });
    assert.deepEqual(
      generateCorpus({ ...options, profile: 'summaries' }).feeds.map((f) => f.etag),
      summaries.feeds.map((f) => f.etag),
    );
    assert.equal(full.stats.items, summaries.stats.items);
    const xml = full.feeds[0]!.body.toString('utf8');
    assert.match(xml, /xmlns:content="http:\/\/purl.org\/rss\/1.0\/modules\/content\/"/);
    const articles = [...xml.matchAll(/<content:encoded>([\s\S]*?)<\/content:encoded>/g)].map((m) => m[1]!.replace(/&lt;\/?p&gt;/g, ' ').replace(/&amp;/g, '&'));
    assert.equal(articles.length, options.itemsPerFeed);
    for (const text of articles) assert.ok(text.length >= FULL_CONTENT_CHARS && text.length < FULL_CONTENT_CHARS + 400, `article text: ${text.length} chars`);
    assert.ok(full.stats.bytes > 3 * summaries.stats.bytes, `${full.stats.bytes} bytes against ${summaries.stats.bytes}`);
  });
});

describe('bench server', () => {
  let server: CorpusServer;
  before(async () => {
    server = await startCorpusServer({ feeds: 3, itemsPerFeed: 5, seed: 7 });
  });
  after(() => server.close());

  it('serves a feed with validators, gzip on request, and links that stay on the server', async () => {
    const plain = await get(`${server.origin}/feeds/0.xml`);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['etag'], server.corpus.feeds[0]!.etag);
    assert.ok(plain.headers['last-modified']);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(plain.body.toString('utf8').includes(`<link>${server.origin}/articles/0/0</link>`));

    const zipped = await get(`${server.origin}/feeds/0.xml`, { 'accept-encoding': 'gzip' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(zipped.body), plain.body);
  });

  it('answers 304 to a matching If-None-Match or a recent If-Modified-Since, 200 otherwise', async () => {
    const feed = server.corpus.feeds[1]!;
    const url = `${server.origin}${feed.path}`;
    server.resetStats();
    assert.equal((await get(url, { 'if-none-match': feed.etag })).status, 304);
    assert.equal((await get(url, { 'if-none-match': `W/${feed.etag}, "other"` })).status, 304);
    assert.equal((await get(url, { 'if-none-match': '"stale"' })).status, 200);
    assert.equal((await get(url, { 'if-modified-since': feed.lastModified })).status, 304);
    assert.equal((await get(url, { 'if-modified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' })).status, 200);
    // If-None-Match decides when both are sent, even if the date alone would say 304.
    assert.equal((await get(url, { 'if-none-match': '"stale"', 'if-modified-since': feed.lastModified })).status, 200);
    const notModified = await get(url, { 'if-none-match': feed.etag });
    assert.equal(notModified.body.byteLength, 0);
    assert.equal(notModified.headers['etag'], feed.etag);
    assert.deepEqual({ ok: server.stats.ok, notModified: server.stats.notModified }, { ok: 3, notModified: 4 });
  });

  it('waits the latency given in the path, and answers 404 for an unknown feed', async () => {
    const started = performance.now();
    assert.equal((await get(`${server.origin}/latency/60/feeds/2.xml`)).status, 200);
    assert.ok(performance.now() - started >= 55);
    assert.equal((await get(`${server.origin}/feeds/99.xml`)).status, 404);
  });
});

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}
