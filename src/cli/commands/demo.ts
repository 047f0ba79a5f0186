import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWatchlistFile, SHIPPED_WATCHLISTS_DIR } from '../../config/load-watchlists.js';
import { DEFAULT_SETTINGS } from '../../config/settings.js';
import type { DigestFormat } from '../../digest/formats.js';
import { FAILING_FEED_PATH, sampleArticlePage, sampleFeeds } from '../../demo/sample-feeds.js';
import { createContext, type GlobalOptions } from '../context.js';
import { printDigest } from './digest.js';

/**
 * The real pipeline, end to end, with no network: a loopback server serves the
 * sample feeds, a temporary data dir holds the database, and the shipped
 * coree-russie watchlist (its facets and reference) does the matching.
 */
export async function demoCommand(flags: { format: DigestFormat }, global: GlobalOptions): Promise<void> {
  const tempDir = await mkdtemp(join(tmpdir(), 'presswatch-demo-'));
  const feeds = sampleFeeds('http://127.0.0.1', new Date());
  const server = await serveSampleFeeds();
  try {
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const shipped = await loadWatchlistFile(join(SHIPPED_WATCHLISTS_DIR, 'coree-russie.yaml'));
    const watchlist = {
      ...shipped.watchlist,
      feeds: [...feeds.map((f) => ({ url: origin + f.path, label: f.label })), { url: origin + FAILING_FEED_PATH, label: 'Source indisponible (démo, répond 503)' }],
    };
    const ctx = createContext({ ...global, dataDir: join(tempDir, 'data'), configDir: join(tempDir, 'config') });
    ctx.reporter.info(`demo: serving ${feeds.length + 1} sample feeds on ${origin}, temporary data in ${tempDir}`);
    // The server is ours: no need to pace requests to it.
    await printDigest(ctx, [watchlist], { ...DEFAULT_SETTINGS, scrapeDelayMs: 0 }, { since: null, format: flags.format, fetch: true });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(tempDir, { recursive: true, force: true });
  }
}

async function serveSampleFeeds(): Promise<Server> {
  const server = createServer((req, res) => {
    // Sample links point at this host: rewrite them to the port we actually got.
    const origin = `http://${req.headers.host}`;
    const feed = sampleFeeds(origin, new Date()).find((f) => f.path === req.url);
    const article = feed ? null : sampleArticlePage(req.url ?? '', origin, new Date());
    if (article) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(article);
      return;
    }
    if (!feed) {
      res.writeHead(req.url === FAILING_FEED_PATH ? 503 : 404, { 'content-type': 'text/plain' }).end('unavailable');
      return;
    }
    res.writeHead(200, { 'content-type': feed.contentType }).end(Buffer.from(feed.xml, feed.encoding));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
