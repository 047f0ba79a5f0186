/**
 * `npm run bench:workers -- --workers 1,2,4 --feeds 2000 --latency 50 [--items 10] [--concurrency 8] [--database URL]`:
 * one full round of `presswatch worker --once` over N feeds served on loopback
 * with a fixed latency, with 1, 2, 4… workers sharing one PostgreSQL database
 * (a fresh schema each, dropped after), and one worker on SQLite, in one run.
 *
 * Reported per run: wall time until every worker has exited (every feed fetched
 * and stored), the network floor (feeds × latency ÷ feeds in flight), each
 * worker's peak RSS and CPU time; and, once per store, the first digest of what
 * was stored (`digest --no-fetch`: every item matched and put in a story). presswatch is the built CLI (`npm run build`).
 * Never part of `npm test`.
 */
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { measureCommand, type Measurement } from './measure.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'presswatch.js');

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** N feeds of `items` items each, every answer `latencyMs` late; counts the requests. */
async function startFeeds(feeds: number, items: number, latencyMs: number): Promise<{ server: Server; url: (i: number) => string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const i = Number(/^\/feed\/(\d+)\.xml$/.exec(req.url ?? '')?.[1] ?? -1);
    if (i < 0 || i >= feeds) return void res.writeHead(404).end();
    const body = `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${i}</title><link>http://127.0.0.1/</link><description>d</description>${Array.from(
      { length: items },
      (_, k) =>
        `<item><guid>f${i}-${k}</guid><title>Pyongyang dépêche ${i}-${k}</title><link>http://127.0.0.1/a/${i}/${k}</link><pubDate>Mon, 30 Nov 2026 06:00:00 GMT</pubDate><description>Item ${k} of feed ${i}: a dispatch of a few words about trade, ports and railways, long enough for the feed text to be read as is.</description></item>`,
    ).join('')}</channel></rss>`;
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body), latencyMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { server, url: (i) => `http://127.0.0.1:${port}/feed/${i}.xml`, requests: () => requests };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

interface Run {
  label: string;
  measurements: Measurement[];
  wallMs: number;
  requests: number;
  /** The first digest after the round (`digest --no-fetch`: matching every item, assigning stories), when measured. */
  digest?: Measurement;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      workers: { type: 'string', default: '1,2,4' },
      feeds: { type: 'string', default: '2000' },
      items: { type: 'string', default: '10' },
      latency: { type: 'string', default: '50' },
      concurrency: { type: 'string', default: '8' },
      database: { type: 'string', default: process.env['PRESSWATCH_BENCH_DATABASE_URL'] ?? `postgres://${userInfo().username}@127.0.0.1:5432/test` },
    },
  });
  const workerCounts = values.workers.split(',').map(Number);
  const feeds = Number(values.feeds);
  const items = Number(values.items);
  const latency = Number(values.latency);
  const concurrency = Number(values.concurrency);
  const scratch = await mkdtemp(join(tmpdir(), 'presswatch-bench-workers-'));
  const served = await startFeeds(feeds, items, latency);
  const configDir = join(scratch, 'config');
  await mkdir(join(configDir, 'watchlists'), { recursive: true });
  const yaml = ['name: bench', 'fullText: never', 'feeds:', ...Array.from({ length: feeds }, (_, i) => `  - ${served.url(i)}`), 'keywords:', '  - Pyongyang', ''].join('\n');
  await writeFile(join(configDir, 'watchlists', 'bench.yaml'), yaml);
  const runs: Run[] = [];
  const timeoutMs = 20 * 60_000;

  const round = async (label: string, count: number, storeArgs: string[], dataDir: string): Promise<Run> => {
    const before = served.requests();
    const started = Date.now();
    const args = [BIN, '--data-dir', dataDir, '--config-dir', configDir, ...storeArgs, '--quiet', 'worker', '--once', '--concurrency', String(concurrency)];
    const measurements = await Promise.all(Array.from({ length: count }, () => measureCommand(process.execPath, args, { timeoutMs })));
    const run = { label, measurements, wallMs: Date.now() - started, requests: served.requests() - before };
    for (const m of measurements) if (m.exitCode !== 0) log(`${label}: a worker exited ${m.exitCode}${m.timedOut ? ' (timed out)' : ''}: ${m.stderr.slice(0, 500)}`);
    log(`${label}: ${(run.wallMs / 1000).toFixed(1)} s, ${run.requests} requests`);
    return run;
  };
  /** The first digest of what the round stored: every item matched and put in a story (workers do neither). */
  const digest = async (run: Run, storeArgs: string[], dataDir: string): Promise<void> => {
    const m = await measureCommand(process.execPath, [BIN, '--data-dir', dataDir, '--config-dir', configDir, ...storeArgs, '--quiet', 'digest', '--no-fetch', '--format', 'json'], { timeoutMs });
    if (m.exitCode !== 0) log(`${run.label}: the digest exited ${m.exitCode}: ${m.stderr.slice(0, 500)}`);
    log(`${run.label}: first digest ${(m.wallMs / 1000).toFixed(1)} s, CPU ${m.cpuMs === null ? '?' : (m.cpuMs / 1000).toFixed(1)} s`);
    run.digest = m;
  };

  try {
    log(`${feeds} feeds × ${items} items, ${latency} ms latency, ${concurrency} feeds in flight per worker; load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
    const sqliteDir = join(scratch, 'sqlite');
    runs.push(await round('SQLite, 1 process', 1, [], sqliteDir));
    await digest(runs.at(-1)!, [], sqliteDir);
    for (const count of workerCounts) {
      const schema = `pw_bench_${process.pid}_${count}`;
      await adminQuery(values.database, `CREATE SCHEMA ${schema}`);
      const url = new URL(values.database);
      url.searchParams.set('options', `-c search_path=${schema}`);
      try {
        // Migrations first, so the timed round measures the work, not the schema's creation.
        await measureCommand(process.execPath, [BIN, '--data-dir', scratch, '--config-dir', configDir, '--database', url.toString(), 'feeds', 'status']);
        runs.push(await round(`PostgreSQL, ${count} worker${count > 1 ? 's' : ''}`, count, ['--database', url.toString()], join(scratch, `pg-${count}`)));
        // One digest per store is enough: what it does does not depend on how many workers stored the items.
        if (count === workerCounts[0]) await digest(runs.at(-1)!, ['--database', url.toString()], join(scratch, `pg-${count}`));
      } finally {
        await adminQuery(values.database, `DROP SCHEMA ${schema} CASCADE`);
      }
    }
  } finally {
    served.server.close();
    await rm(scratch, { recursive: true, force: true });
  }

  const mib = (m: Measurement) => (m.peakRssMiB === null ? '?' : `${Math.round(m.peakRssMiB)}`);
  const cpu = (m: Measurement) => (m.cpuMs === null ? '?' : `${(m.cpuMs / 1000).toFixed(1)}`);
  const lines = [
    `${feeds} feeds × ${items} items, ${latency} ms latency, \`--concurrency ${concurrency}\` per worker, ${cpus().length} cores (load ${loadavg()[0]!.toFixed(1)} at the end)`,
    '',
    '| store, workers | full round | network floor | requests | peak RSS per worker | CPU per worker | first digest (CPU) |',
    '| --- | ---: | ---: | ---: | --- | --- | ---: |',
    ...runs.map((r) => {
      const inFlight = concurrency * r.measurements.length;
      const floor = (Math.ceil(feeds / inFlight) * latency) / 1000;
      const digest = r.digest ? `${(r.digest.wallMs / 1000).toFixed(1)} s (${cpu(r.digest)} s)` : '';
      return `| ${r.label} | ${(r.wallMs / 1000).toFixed(1)} s | ${floor.toFixed(1)} s | ${r.requests} | ${r.measurements.map(mib).join(', ')} MiB | ${r.measurements.map(cpu).join(', ')} s | ${digest} |`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

process.exitCode = await main();
