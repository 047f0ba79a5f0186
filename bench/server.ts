/**
 * The loopback server the benchmarks fetch from: serves a generated corpus with
 * ETag and Last-Modified, answers 304 to If-None-Match / If-Modified-Since,
 * gzips when the client asks, and can wait before answering to play a distant
 * server. A path prefix `/latency/<ms>` sets the wait per request, so one server
 * serves every latency a benchmark wants.
 *
 * Run alone (as run.ts does, so the server never shares an event loop with the
 * client being measured):
 *   node --import tsx bench/server.ts --feeds 500 --items 40 --seed 1
 * prints one JSON line `{ origin, stats }` on stdout, then serves until stdin closes.
 * GET /__stats answers the request counts; POST /__reset sets them to zero.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { generateCorpus, type Corpus, type CorpusFeed, type CorpusProfile } from './corpus.js';

export interface ServerStats {
  requests: number;
  ok: number;
  notModified: number;
  gzipped: number;
  notFound: number;
  bytesSent: number;
}

export interface CorpusServer {
  origin: string;
  corpus: Corpus;
  stats: ServerStats;
  resetStats(): void;
  close(): Promise<void>;
}

export interface CorpusServerOptions {
  feeds: number;
  itemsPerFeed: number;
  seed: number;
  /** Wait before every answer, in ms, unless the path says otherwise. */
  latencyMs?: number;
  profile?: CorpusProfile;
}

/** Listens on 127.0.0.1 (port chosen by the system), then generates the corpus with that origin in its links. */
export async function startCorpusServer(options: CorpusServerOptions): Promise<CorpusServer> {
  const stats = emptyStats();
  let byPath = new Map<string, CorpusFeed>();
  const gzipCache = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message);
    });
  });
  server.keepAliveTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    if (url === '/__stats') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    if (url === '/__reset') {
      Object.assign(stats, emptyStats());
      return void res.writeHead(204).end();
    }
    stats.requests++;
    const prefix = /^\/latency\/(\d+)(\/.*)$/.exec(url);
    const path = prefix ? prefix[2]! : url;
    const latency = prefix ? Number(prefix[1]) : (options.latencyMs ?? 0);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));

    const article = /^\/articles\/(\d+)\/(\d+)$/.exec(path);
    if (article) {
      stats.ok++;
      return void res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<!doctype html><html lang="fr"><head><title>Article ${article[1]}-${article[2]}</title></head><body><article><p>Texte de l'article.</p></article></body></html>`);
    }
    const feed = byPath.get(path);
    if (!feed) {
      stats.notFound++;
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
    const validators = { etag: feed.etag, 'last-modified': feed.lastModified, 'cache-control': 'max-age=0' };
    if (isNotModified(req, feed)) {
      stats.notModified++;
      return void res.writeHead(304, validators).end();
    }
    stats.ok++;
    let body = feed.body;
    const headers: Record<string, string> = { ...validators, 'content-type': feed.contentType, vary: 'accept-encoding' };
    if (/\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''))) {
      let zipped = gzipCache.get(path);
      if (!zipped) {
        zipped = gzipSync(feed.body);
        gzipCache.set(path, zipped);
      }
      body = zipped;
      headers['content-encoding'] = 'gzip';
      stats.gzipped++;
    }
    headers['content-length'] = String(body.byteLength);
    stats.bytesSent += body.byteLength;
    res.writeHead(200, headers).end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const corpus = generateCorpus({ feeds: options.feeds, itemsPerFeed: options.itemsPerFeed, seed: options.seed, origin, profile: options.profile ?? 'summaries' });
  byPath = new Map(corpus.feeds.map((f) => [f.path, f]));
  return {
    origin,
    corpus,
    stats,
    resetStats: () => Object.assign(stats, emptyStats()),
    close: () => closeServer(server),
  };
}

/** RFC 9110 §13.1: If-None-Match wins over If-Modified-Since when both are sent. */
function isNotModified(req: IncomingMessage, feed: CorpusFeed): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    const tags = inm.split(',').map((t) => t.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(feed.etag);
  }
  const ims = req.headers['if-modified-since'];
  if (ims !== undefined) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && Date.parse(feed.lastModified) <= since;
  }
  return false;
}

function emptyStats(): ServerStats {
  return { requests: 0, ok: 0, notModified: 0, gzipped: 0, notFound: 0, bytesSent: 0 };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const { values } = parseArgs({
    options: {
      feeds: { type: 'string', default: '500' },
      items: { type: 'string', default: '40' },
      seed: { type: 'string', default: '1' },
      latency: { type: 'string', default: '0' },
      profile: { type: 'string', default: 'summaries' },
    },
  });
  if (values.profile !== 'summaries' && values.profile !== 'full-content') throw new Error(`--profile: summaries or full-content, not ${values.profile}`);
  const server = await startCorpusServer({ feeds: Number(values.feeds), itemsPerFeed: Number(values.items), seed: Number(values.seed), latencyMs: Number(values.latency), profile: values.profile });
  process.stdout.write(`${JSON.stringify({ origin: server.origin, stats: server.corpus.stats })}\n`);
  // The parent owns our lifetime: when it closes our stdin (or dies), we go.
  process.stdin.resume();
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
