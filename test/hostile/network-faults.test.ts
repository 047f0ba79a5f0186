/**
 * Network faults against a real loopback server: every one ends within the
 * configured limits with a FetchError that names the URL and the reason.
 * The last test runs the built CLI against all of them at once and checks its
 * peak memory stays under a stated cap.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { constants as zlibConstants, createBrotliCompress, createGzip, gzipSync } from 'node:zlib';
import { trustHostsOf } from '../../src/fetch/address-policy.js';
import { fetchResource, FetchError, type FetchOptions } from '../../src/fetch/http.js';
import { startServer, type RouteHandler, type TestServer } from '../helpers/http-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { missingBuild, rssFeed, runCli, setSettings, writeWatchlist } from './support.js';

const LIMITS: FetchOptions = { timeoutMs: 1500, maxBytes: 1024 * 1024, maxRedirects: 5, userAgent: 'presswatch-test' };
/** Slack on top of the timeout for a fault to be reported (a loaded 2-core machine). */
const SLACK_MS = 1500;

const ZEROS = Buffer.alloc(64 * 1024);

/** Writes `chunk` until the client goes away. */
function pump(res: NodeJS.WritableStream & { destroyed?: boolean }, chunk: Buffer): void {
  const write = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', write);
  };
  res.on('error', () => {});
  write();
}

/** Streams zeros through a compressor forever: a few kB on the wire per hundreds of MB unpacked. */
function bomb(encoding: 'gzip' | 'br'): RouteHandler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': encoding });
    const packer = encoding === 'gzip' ? createGzip({ level: 9 }) : createBrotliCompress({ params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } });
    packer.pipe(res);
    res.on('close', () => packer.destroy());
    packer.on('error', () => {});
    pump(packer, ZEROS);
  };
}

/** 200 MB of zeros gzipped once (about 200 kB): a finite bomb with an honest Content-Length. */
const FINITE_BOMB = gzipSync(Buffer.alloc(200 * 1024 * 1024), { level: 9 });

const ROUTES: Record<string, RouteHandler> = {
  '/ok': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('ok', [{ guid: 'ok-1', title: 'Pyongyang ok' }])),
  '/reset-mid-body': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': '100000' });
    res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>half');
    setTimeout(() => res.socket?.resetAndDestroy(), 50);
  },
  '/stall-after-headers': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.flushHeaders();
  },
  '/no-headers': () => {
    // accepts the connection and never answers
  },
  '/drip': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    const timer = setInterval(() => res.write('<'), 1000);
    res.on('close', () => clearInterval(timer));
  },
  '/429': (_req, res) => res.writeHead(429, { 'retry-after': '120', 'content-type': 'text/plain' }).end('slow down'),
  '/503': (_req, res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('down'),
  '/500': (_req, res) => res.writeHead(500).end(),
  '/loop-a': (_req, res) => res.writeHead(302, { location: '/loop-b' }).end(),
  '/loop-b': (_req, res) => res.writeHead(302, { location: '/loop-a' }).end(),
  '/redirect-no-location': (_req, res) => res.writeHead(301).end(),
  '/to-file': (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
  '/to-ftp': (_req, res) => res.writeHead(301, { location: 'ftp://127.0.0.1/feed.xml' }).end(),
  '/to-data': (_req, res) => res.writeHead(307, { location: 'data:application/rss+xml,<rss/>' }).end(),
  '/to-javascript': (_req, res) => res.writeHead(308, { location: 'javascript:alert(1)' }).end(),
  '/endless': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    pump(res, Buffer.alloc(64 * 1024, 'a'));
  },
  '/gzip-bomb': bomb('gzip'),
  '/brotli-bomb': bomb('br'),
  '/gzip-bomb-finite': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip', 'content-length': String(FINITE_BOMB.length) }).end(FINITE_BOMB),
  '/two-gigabytes': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(2 * 1024 * 1024 * 1024) });
    res.write('<rss>');
    // then nothing: the client must not wait for the rest
  },
};
for (let i = 0; i < 12; i++) ROUTES[`/hop-${i}`] = (_req, res) => res.writeHead(302, { location: `/hop-${i + 1}` }).end();

async function withServer(t: { after(fn: () => Promise<void> | void): void }): Promise<TestServer> {
  const server = await startServer(ROUTES);
  t.after(() => server.close());
  return server;
}

/** Fetches and returns the FetchError and how long it took; fails the test on success or on another error type. */
async function expectFetchError(url: string, options: FetchOptions = LIMITS): Promise<{ error: FetchError; ms: number }> {
  const started = Date.now();
  try {
    // Each URL plays a configured feed: its own host is trusted (only its redirects are checked).
    const result = await fetchResource(url, {}, options, trustHostsOf(url));
    assert.fail(`expected ${url} to fail, got ${result.kind} ${result.status}`);
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    return { error, ms: Date.now() - started };
  }
}

async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('connection refused: a clear error at once', async () => {
  const url = `http://127.0.0.1:${await closedPort()}/feed.xml`;
  const { error, ms } = await expectFetchError(url);
  assert.equal(error.message, `${url}: connection refused`);
  assert.ok(ms < LIMITS.timeoutMs, `took ${ms} ms`);
});

test('DNS failure (.invalid never resolves, RFC 6761): host not found or lookup failed, within the timeout', async () => {
  const url = 'http://presswatch-test.invalid/feed.xml';
  const { error, ms } = await expectFetchError(url);
  assert.match(error.message, /^http:\/\/presswatch-test\.invalid\/feed\.xml: (host not found \(DNS\)|DNS lookup failed \(temporary\)|timed out after 1500 ms)$/);
  assert.ok(ms < LIMITS.timeoutMs + SLACK_MS, `took ${ms} ms`);
});

test('connection reset in the middle of the body', async (t) => {
  const server = await withServer(t);
  const { error, ms } = await expectFetchError(server.url('/reset-mid-body'));
  assert.ok(error.message.startsWith(`${server.url('/reset-mid-body')}: `), error.message);
  assert.match(error.message, /reset|closed|terminated|socket/i);
  assert.ok(ms < LIMITS.timeoutMs, `took ${ms} ms`);
});

test('headers then a stall, no headers at all, and a slow drip all end at the timeout', async (t) => {
  const server = await withServer(t);
  const paths = ['/stall-after-headers', '/no-headers', '/drip'];
  const outcomes = await Promise.all(paths.map((path) => expectFetchError(server.url(path))));
  outcomes.forEach(({ error, ms }, i) => {
    const path = paths[i]!;
    assert.equal(error.message, `${server.url(path)}: timed out after ${LIMITS.timeoutMs} ms`, path);
    assert.ok(ms >= LIMITS.timeoutMs - 50 && ms < LIMITS.timeoutMs + SLACK_MS, `${path} took ${ms} ms`);
  });
});

test('429 keeps its Retry-After; 5xx say their status', async (t) => {
  const server = await withServer(t);
  const tooMany = await expectFetchError(server.url('/429'));
  assert.equal(tooMany.error.status, 429);
  assert.equal(tooMany.error.retryAfter, '120');
  assert.match(tooMany.error.message, /: HTTP 429 Too Many Requests$/);
  for (const status of [503, 500]) {
    const { error } = await expectFetchError(server.url(`/${status}`));
    assert.equal(error.status, status);
    assert.match(error.message, new RegExp(`: HTTP ${status}\\b`));
  }
});

test('redirect loops and long chains stop at the hop limit', async (t) => {
  const server = await withServer(t);
  const loop = await expectFetchError(server.url('/loop-a'));
  assert.equal(loop.error.message, `${server.url('/loop-a')}: too many redirects (more than 5)`);
  const chain = await expectFetchError(server.url('/hop-0'));
  assert.equal(chain.error.message, `${server.url('/hop-0')}: too many redirects (more than 5)`);
  const requestsForChain = server.requests.filter((r) => r.path.startsWith('/hop-')).length;
  assert.equal(requestsForChain, 6, 'the first request and five hops, no more');
  // Within the limit, a chain is followed.
  const short = await expectFetchError(server.url('/hop-8'));
  assert.match(short.error.message, /HTTP 404/, 'hop-8 → … → hop-12 (404): four hops are followed');
  const missing = await expectFetchError(server.url('/redirect-no-location'));
  assert.match(missing.error.message, /redirect 301 without a Location header/);
});

test('a redirect to file:, ftp:, data: or javascript: is refused and nothing local is read', async (t) => {
  const server = await withServer(t);
  for (const [path, scheme] of [
    ['/to-file', 'file:'],
    ['/to-ftp', 'ftp:'],
    ['/to-data', 'data:'],
    ['/to-javascript', 'javascript:'],
  ] as const) {
    const { error } = await expectFetchError(server.url(path));
    assert.equal(error.message, `${server.url(path)}: redirect to ${scheme} refused (only http and https are followed)`);
  }
});

test('an endless body, gzip and brotli bombs and a finite 200 MB gzip bomb stop at the size cap', async (t) => {
  const server = await withServer(t);
  for (const path of ['/endless', '/gzip-bomb', '/brotli-bomb', '/gzip-bomb-finite']) {
    const { error, ms } = await expectFetchError(server.url(path));
    assert.equal(error.message, `${server.url(path)}: response too large (over ${LIMITS.maxBytes} bytes)`, path);
    assert.ok(ms < LIMITS.timeoutMs, `${path} took ${ms} ms`);
  }
  assert.ok(FINITE_BOMB.length < 400 * 1024, `the finite bomb is ${FINITE_BOMB.length} bytes on the wire`);
});

test('a 2 GB Content-Length is refused before reading the body', async (t) => {
  const server = await withServer(t);
  const { error, ms } = await expectFetchError(server.url('/two-gigabytes'));
  assert.equal(error.message, `${server.url('/two-gigabytes')}: response too large (${2 * 1024 * 1024 * 1024} bytes announced, limit ${LIMITS.maxBytes})`);
  assert.ok(ms < 1000, `took ${ms} ms`);
});

/** The stated cap for one CLI run fetching every hostile URL above at once (an idle digest run peaks near 70 MB). */
const PEAK_RSS_CAP_MB = 200;

test(`the CLI survives all the faults at once: per-feed errors, exit 0, peak RSS under ${PEAK_RSS_CAP_MB} MB`, async (t) => {
  const missing = missingBuild();
  if (missing) return t.skip(missing);
  const server = await withServer(t);
  const root = await makeTempDir(t, 'presswatch-hostile-net-');
  const dirs = { dataDir: `${root}/data`, configDir: `${root}/config` };
  const hostile = ['/reset-mid-body', '/stall-after-headers', '/drip', '/429', '/503', '/loop-a', '/hop-0', '/to-file', '/endless', '/gzip-bomb', '/brotli-bomb', '/gzip-bomb-finite', '/two-gigabytes'];
  const refused = `http://127.0.0.1:${await closedPort()}/feed.xml`;
  await writeWatchlist(dirs.configDir, 'hostile', [server.url('/ok'), refused, ...hostile.map((p) => server.url(p))]);
  await setSettings(dirs, { fetchTimeoutMs: 2000, maxResponseBytes: 2 * 1024 * 1024, concurrency: 16 });

  const result = await runCli(['--quiet', 'digest', '--format', 'json'], dirs, { measureRss: true, timeoutMs: 30_000 });
  assert.equal(result.code, 0, result.stderr);
  const digest = JSON.parse(result.stdout) as { feeds: { url: string; status: string; error: string | null }[]; stories: { title: string }[] };
  assert.deepEqual(
    digest.stories.map((s) => s.title),
    ['Pyongyang ok'],
  );
  const failed = digest.feeds.filter((f) => f.status === 'error');
  assert.equal(failed.length, hostile.length + 1, JSON.stringify(digest.feeds, null, 1));
  for (const feed of failed) {
    assert.ok(feed.error && feed.error.length < 300, `${feed.url}: ${feed.error}`);
    assert.ok(result.stderr.includes(feed.url), `stderr names ${feed.url}`);
  }
  // Every fault ends within the timeout; the whole run within it plus start-up.
  assert.ok(result.elapsedMs < 2000 + 8000, `run took ${result.elapsedMs} ms`);
  assert.ok(result.peakRssKb !== null, 'the child reported its peak RSS');
  const peakMb = result.peakRssKb! / 1024;
  t.diagnostic(`peak RSS ${peakMb.toFixed(1)} MB (cap ${PEAK_RSS_CAP_MB} MB), run ${result.elapsedMs} ms`);
  assert.ok(peakMb < PEAK_RSS_CAP_MB, `peak RSS ${peakMb.toFixed(1)} MB`);
});
