/**
 * Per-host politeness across processes: two article fetchers (two workers) that
 * reserve request starts in one store space their requests to a host as one would.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_FETCH_OPTIONS } from '../../src/fetch/http.js';
import { createPoliteFetcher } from '../../src/fetch/polite-fetcher.js';
import { openStore } from '../../src/store/open-store.js';
import { startServer } from '../helpers/http-server.js';
import { STORE_BACKENDS } from '../helpers/stores.js';

for (const backend of STORE_BACKENDS) {
  describe(`shared host slots (${backend.name})`, { skip: backend.skip }, () => {
    it('two workers sharing a store start their requests to one host the delay apart, in turn', async (t) => {
      const server = await startServer({ '/a': (_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>a</p>') });
      t.after(() => server.close());
      const location = await backend.location(t);
      // Two stores on one database: two processes.
      const stores = [await openStore(location), await openStore(location)];
      t.after(() => Promise.all(stores.map((s) => s.close())));
      const sleeps: number[] = [];
      // A frozen clock: the waits the fetchers ask for are the schedule, checked exactly.
      const clock = { now: () => 1_000_000, sleep: async (ms: number) => void sleeps.push(ms) };
      const [a, b] = stores.map((store) =>
        createPoliteFetcher({
          fetch: { ...DEFAULT_FETCH_OPTIONS, timeoutMs: 5000, allowPrivateHosts: ['127.0.0.1'] },
          perHostConcurrency: 4,
          perHostDelayMs: 100,
          respectRobots: false,
          clock,
          hostSlots: { reserve: (origin, delayMs, nowMs) => store.reserveHostSlot(origin, delayMs, nowMs) },
        }),
      );
      for (const fetcher of [a, b, a, b]) await fetcher!.fetch(server.url('/a'));
      assert.deepEqual(sleeps, [100, 200, 300], 'each start 100 ms after the previous one, whichever worker asked');
    });
  });
}
