import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_FETCH_OPTIONS, FetchError } from '../../src/fetch/http.js';
import { createPoliteFetcher } from '../../src/fetch/polite-fetcher.js';
import { parseRobots, policyFor } from '../../src/fetch/robots.js';
import { productToken } from '../../src/fetch/robots-policy.js';

const ROBOTS = `# example
User-agent: *
Disallow: /private/
Crawl-delay: 5

User-agent: otherbot
User-agent: presswatch
Disallow: /drafts/
Allow: /drafts/public$
Disallow: /*.pdf$
Crawl-delay: 0.2
`;

test('robots.txt: our group wins over *, longest rule wins, allow wins ties, wildcards', () => {
  const policy = policyFor(parseRobots(ROBOTS), 'presswatch');
  const cases: Array<[string, boolean]> = [
    ['/', true],
    ['/private/x', true], // only the * group says so
    ['/drafts/', false],
    ['/drafts/one', false],
    ['/drafts/public', true],
    ['/drafts/public/more', false],
    ['/files/report.pdf', false],
    ['/files/report.pdf?x=1', true],
    ['/robots.txt', true],
  ];
  for (const [path, allowed] of cases) assert.equal(policy.isAllowed(path), allowed, path);
  assert.equal(policy.crawlDelayMs, 200);
  const other = policyFor(parseRobots(ROBOTS), 'somebot');
  assert.equal(other.isAllowed('/private/x'), false);
  assert.equal(other.crawlDelayMs, 5000);
  assert.equal(policyFor(parseRobots(''), 'presswatch').isAllowed('/anything'), true);
  assert.equal(policyFor(parseRobots('User-agent: *\nDisallow:\n'), 'presswatch').isAllowed('/x'), true);
  assert.equal(productToken(DEFAULT_FETCH_OPTIONS.userAgent), 'presswatch');
});

interface Hit {
  path: string;
  at: number;
  userAgent: string;
}

async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; base: string; hits: Hit[] }> {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    hits.push({ path: req.url ?? '', at: performance.now(), userAgent: req.headers['user-agent'] ?? '' });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

const page = (res: ServerResponse, body = '<html><body><p>ok</p></body></html>') => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(body);
};

// The pages are found links on a loopback server: the test opens that address as a user would.
const fetchOptions = { ...DEFAULT_FETCH_OPTIONS, timeoutMs: 5_000, allowPrivateHosts: ['127.0.0.1'] };

test('robots.txt is fetched once per host, obeyed, and sent our User-Agent', async (t) => {
  const { server, base, hits } = await startServer((req, res) => {
    if (req.url === '/robots.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('User-agent: presswatch\nDisallow: /secret\n');
    } else page(res);
  });
  t.after(() => server.close());
  const fetcher = createPoliteFetcher({ fetch: fetchOptions, perHostConcurrency: 2, perHostDelayMs: 0, respectRobots: true });
  await fetcher.fetch(`${base}/a`);
  await fetcher.fetch(`${base}/b`);
  await assert.rejects(fetcher.fetch(`${base}/secret/page`), (e: unknown) => e instanceof FetchError && /disallowed by .*robots\.txt/.test(e.message));
  assert.deepEqual(
    hits.map((h) => h.path),
    ['/robots.txt', '/a', '/b'],
  );
  assert.ok(hits.every((h) => h.userAgent.startsWith('presswatch/')));
});

test('a missing robots.txt (404) allows all; an unreadable one (5xx) refuses with a clear reason', async (t) => {
  let robotsStatus = 404;
  const { server, base } = await startServer((req, res) => {
    if (req.url === '/robots.txt') {
      res.writeHead(robotsStatus);
      res.end();
    } else page(res);
  });
  t.after(() => server.close());
  const allowing = createPoliteFetcher({ fetch: fetchOptions, perHostConcurrency: 1, perHostDelayMs: 0, respectRobots: true });
  assert.equal((await allowing.fetch(`${base}/x`)).kind, 'ok');
  robotsStatus = 503;
  const refusing = createPoliteFetcher({ fetch: fetchOptions, perHostConcurrency: 1, perHostDelayMs: 0, respectRobots: true });
  await assert.rejects(refusing.fetch(`${base}/x`), /robots\.txt could not be read \(HTTP 503/);
  const ignoring = createPoliteFetcher({ fetch: fetchOptions, perHostConcurrency: 1, perHostDelayMs: 0, respectRobots: false });
  assert.equal((await ignoring.fetch(`${base}/x`)).kind, 'ok');
});

test('requests to one host start at least the delay apart, Crawl-delay raising it', async (t) => {
  const { server, base } = await startServer((req, res) => {
    if (req.url === '/robots.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('User-agent: *\nCrawl-delay: 0.15\n');
    } else page(res);
  });
  t.after(() => server.close());
  // A clock that records the waits the fetcher asks for: the schedule is checked exactly.
  const sleeps: number[] = [];
  const clock = { now: () => 1_000, sleep: async (ms: number) => void sleeps.push(ms) };
  const scheduled = createPoliteFetcher({ fetch: fetchOptions, perHostConcurrency: 4, perHostDelayMs: 50, respectRobots: true, clock });
  await Promise.all(['/1', '/2', '/3'].map((p) => scheduled.fetch(base + p)));
  assert.deepEqual(sleeps, [150, 300]);
});

test('no more than perHostConcurrency requests are in flight on one host', async (t) => {
  let inFlight = 0;
  let peak = 0;
  const { server, base } = await startServer((req, res) => {
    if (req.url === '/robots.txt') {
      res.writeHead(404);
      res.end();
      return;
    }
    inFlight++;
    peak = Math.max(peak, inFlight);
    setTimeout(() => {
      inFlight--;
      page(res);
    }, 60);
  });
  t.after(() => server.close());
  const fetcher = createPoliteFetcher({ fetch: fetchOptions, perHostConcurrency: 2, perHostDelayMs: 0, respectRobots: true });
  await Promise.all(Array.from({ length: 6 }, (_, i) => fetcher.fetch(`${base}/p${i}`)));
  assert.equal(peak, 2);
});
