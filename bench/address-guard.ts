/**
 * `npm run bench:guard`: what the private-address guard costs a fetch. A loopback
 * server answers small pages, each on a new connection (`Connection: close`, the
 * worst case: every request looks its host up and is judged), fetched through
 * fetchResource three ways:
 *   trusted  the host is the user's (a configured feed): plain look-up, no check;
 *   guarded  a found link to `localhost`, opened by allowPrivateHosts: every
 *            connection's look-up answers are classified and checked;
 *   literal  a found link to 127.0.0.1, opened by allowPrivateHosts: the connector's check;
 *   node     Node's own fetch with its bundled undici and no guard, the transport before
 *            the guard (reads the body the same way, without the size cap), to the name
 *            and to the literal (an IP literal is slower on loopback for Node itself).
 * Also how many addresses classifyAddress judges per second. Never part of `npm test`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyAddress } from '../src/fetch/address-policy.js';
import { trustHostsOf } from '../src/fetch/address-policy.js';
import { DEFAULT_FETCH_OPTIONS, fetchResource, type FetchOptions } from '../src/fetch/http.js';

const REQUESTS = Number(process.env['GUARD_BENCH_REQUESTS'] ?? 2000);
const CONCURRENCY = 8;

const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html', connection: 'close' }).end('<p>page</p>'));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;

type Path = 'trusted' | 'guarded' | 'literal' | 'node' | 'node literal';

async function fetchOnce(path: Path, url: string, options: FetchOptions): Promise<void> {
  if (path === 'node' || path === 'node literal') {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) });
    await response.arrayBuffer();
    return;
  }
  const result = await fetchResource(url, {}, options, path === 'trusted' ? trustHostsOf(url) : undefined);
  if (result.kind !== 'ok') throw new Error('unexpected');
}

async function run(path: Path, url: string, options: FetchOptions): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) await fetchOnce(path, url, options);
    }),
  );
  return performance.now() - started;
}

const options: FetchOptions = { ...DEFAULT_FETCH_OPTIONS, allowPrivateHosts: ['127.0.0.0/8', '::1'] };
const cases: Array<[Path, string]> = [
  ['node', `http://localhost:${port}/`],
  ['trusted', `http://localhost:${port}/`],
  ['guarded', `http://localhost:${port}/`],
  ['node literal', `http://127.0.0.1:${port}/`],
  ['literal', `http://127.0.0.1:${port}/`],
];
// Warm-up (module loading, JIT), then rounds in alternating order; the best round counts.
for (const [path, url] of cases) await run(path, url, options);
const best = new Map<string, number>();
for (const order of [cases, [...cases].reverse(), cases]) {
  for (const [path, url] of order) best.set(path, Math.min(best.get(path) ?? Infinity, await run(path, url, options)));
}
server.close();

console.log(`| fetch path (${REQUESTS} requests, ${CONCURRENCY} at once, a new connection each) | ms | requests/s | vs Node's fetch, same host |`);
console.log('| --- | ---: | ---: | ---: |');
for (const [name] of cases) {
  const ms = best.get(name)!;
  const base = best.get(name.includes('literal') ? 'node literal' : 'node')!;
  console.log(`| ${name} | ${ms.toFixed(0)} | ${((REQUESTS / ms) * 1000).toFixed(0)} | ${(ms / base).toFixed(2)}x |`);
}

const addresses = ['93.184.216.34', '10.1.2.3', '2606:4700:4700::1111', '::ffff:169.254.169.254', 'fd00::1', '8.8.8.8'];
const n = 300_000;
const t0 = performance.now();
let refused = 0;
for (let i = 0; i < n; i++) if (classifyAddress(addresses[i % addresses.length]!)) refused++;
const ms = performance.now() - t0;
console.log(`\nclassifyAddress: ${(((n / ms) * 1000) / 1e6).toFixed(2)} million addresses/s (${refused} of ${n} non-public)`);
