import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderArticleText } from '../../src/cli/commands/extract.js';
import { DEFAULT_FETCH_OPTIONS } from '../../src/fetch/http.js';
import { createPoliteFetcher } from '../../src/fetch/polite-fetcher.js';
import { ScrapeError, scrapeArticle } from '../../src/scrape/scrape-article.js';

const NEWS = readFileSync(new URL('../fixtures/scrape/news-page/page.html', import.meta.url));

test('scrapeArticle: an article page is fetched and extracted; bad pages give one clear error each', async (t) => {
  const server = createServer((req, res) => {
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    };
    switch (req.url) {
      case '/robots.txt':
        res.writeHead(404);
        res.end();
        break;
      case '/article':
        send('text/html; charset=utf-8', NEWS);
        break;
      // Declared windows-1252, really UTF-8 bytes for the word "é": decodeBody trusts the header, the page must not crash.
      case '/wrong-charset':
        send('text/html; charset=windows-1252', Buffer.from('<html><body><article><p>Caf\u00e9 cr\u00e8me, a long enough paragraph, with commas, to be taken as the body of the page.</p></article></body></html>'));
        break;
      case '/pdf':
        send('application/pdf', '%PDF-1.7 ...');
        break;
      case '/empty':
        send('text/html', '');
        break;
      case '/nav-only':
        send('text/html', '<html><body><nav><a href="/">Home</a></nav></body></html>');
        break;
      case '/feed':
        send('text/html', '<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>');
        break;
      case '/huge':
        send('text/html', `<html><body><p>${'x'.repeat(70_000)}</p></body></html>`);
        break;
      default:
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The test server is on loopback: opened explicitly, as a user would with the setting.
  const fetcher = createPoliteFetcher({ fetch: { ...DEFAULT_FETCH_OPTIONS, maxBytes: 64 * 1024, timeoutMs: 5000, allowPrivateHosts: ['127.0.0.1'] }, perHostConcurrency: 2, perHostDelayMs: 0, respectRobots: true });

  const article = await scrapeArticle(`${base}/article`, fetcher);
  assert.equal(article.title, 'Le port de Saint-Malo agrandit son terminal ferry');
  assert.match(article.text, /^La région a voté jeudi/);
  assert.equal(article.url, `${base}/article`);

  const mojibake = await scrapeArticle(`${base}/wrong-charset`, fetcher);
  assert.match(mojibake.text, /^Caf/);

  const failures: Array<[string, RegExp]> = [
    ['/pdf', /not an HTML page \(Content-Type application\/pdf\)/],
    ['/empty', /empty page/],
    ['/nav-only', /no article text found/],
    ['/feed', /a feed, not an article page/],
    ['/huge', /too large/],
    ['/missing', /HTTP 404/],
  ];
  for (const [path, message] of failures) {
    await assert.rejects(scrapeArticle(base + path, fetcher), (e: unknown) => e instanceof Error && message.test(e.message) && e.message.includes(base + path), path);
  }
  await assert.rejects(scrapeArticle(`${base}/pdf`, fetcher), ScrapeError);
});

test('the text rendering puts metadata first and strips terminal escapes', () => {
  const text = renderArticleText({
    url: 'https://x.test/',
    title: 'Evil \u001b]8;;http://x\u0007title',
    author: null,
    publishedAt: '2026-01-01T00:00:00.000Z',
    language: 'en',
    canonicalUrl: null,
    siteName: 'Site',
    description: null,
    text: 'Body \u001b[31mred\u001b[0m.\n\nSecond.',
    source: 'dom',
  });
  assert.equal(text, 'title:     Evil title\nauthor:    -\npublished: 2026-01-01T00:00:00.000Z\nsite:      Site\ncanonical: -\nlanguage:  en\nsource:    dom\n\nBody red.\n\nSecond.\n');
});
