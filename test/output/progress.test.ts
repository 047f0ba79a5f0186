/**
 * The progress line: a pure function of its state and the clock (phase, how far,
 * elapsed, estimate, fitted to the terminal width), and the phases a real run
 * reports, in order.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { advanceProgress, formatDuration, isPhaseDone, renderProgress, type ProgressState } from '../../src/cli/progress.js';
import type { Watchlist } from '../../src/config/watchlist.js';
import { createPoliteFetcher } from '../../src/fetch/polite-fetcher.js';
import { runDigest, SILENT_REPORTER, type Reporter } from '../../src/pipeline.js';
import type { Progress } from '../../src/pipeline/reporter.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { serveFeed, startServer } from '../helpers/http-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const state = (progress: Progress, runStartedAt = 0, phaseStartedAt = runStartedAt): ProgressState => ({ progress, runStartedAt, phaseStartedAt });

describe('renderProgress', () => {
  it('shows the phase, how far, failures, elapsed time and what is left of the phase', () => {
    const s = state({ phase: 'fetching', done: 54, total: 500, failed: 3 }, 0, 2_000);
    assert.equal(renderProgress(s, 12_000), 'fetching: 54/500 feeds, 3 failed · 0:12 elapsed · about 1:23 left');
  });

  it('names each phase with its unit', () => {
    const at = (progress: Progress) => renderProgress(state(progress), 500);
    assert.equal(at({ phase: 'reading articles', done: 3, total: 40 }), 'reading articles: 3/40 pages · 0:00 elapsed');
    assert.equal(at({ phase: 'matching', done: 1, total: 2 }), 'matching: 1/2 watchlists · 0:00 elapsed');
    assert.equal(at({ phase: 'clustering', done: 500, total: 500, open: true }), 'clustering: 500/500+ items · 0:00 elapsed');
  });

  it('gives no estimate before anything is done, within the first second of a phase, or while the total is open', () => {
    assert.doesNotMatch(renderProgress(state({ phase: 'fetching', done: 0, total: 10 }), 60_000), /left/);
    assert.doesNotMatch(renderProgress(state({ phase: 'fetching', done: 5, total: 10 }, 0, 59_500), 60_000), /left/);
    assert.doesNotMatch(renderProgress(state({ phase: 'reading articles', done: 100, total: 200, open: true }), 60_000), /left/);
    assert.match(renderProgress(state({ phase: 'fetching', done: 5, total: 10 }, 0, 59_000), 60_000), /about 0:01 left$/);
  });

  it('fits the terminal: the estimate goes first, then the elapsed time, then the line is cut', () => {
    const s = state({ phase: 'fetching', done: 54, total: 500, failed: 3 }, 0, 2_000);
    const full = renderProgress(s, 12_000);
    assert.equal(renderProgress(s, 12_000, full.length + 1), full);
    assert.equal(renderProgress(s, 12_000, full.length), 'fetching: 54/500 feeds, 3 failed · 0:12 elapsed');
    assert.equal(renderProgress(s, 12_000, 40), 'fetching: 54/500 feeds, 3 failed');
    assert.equal(renderProgress(s, 12_000, 20), 'fetching: 54/500 f…');
    for (const columns of [1, 2, 5, 33, 80]) assert.ok(renderProgress(s, 12_000, columns).length <= Math.max(columns - 1, 1), `columns ${columns}`);
  });

  it('formats durations as m:ss or h:mm:ss; a time left is rounded up', () => {
    assert.deepEqual(
      [0, 999, 61_000, 3_723_000].map((ms) => formatDuration(ms)),
      ['0:00', '0:00', '1:01', '1:02:03'],
    );
    assert.equal(formatDuration(100, true), '0:01');
  });
});

describe('advanceProgress', () => {
  it('keeps the run clock across phases and restarts it when an earlier phase comes (a new watch round)', () => {
    let s = advanceProgress(null, { phase: 'fetching', done: 0, total: 4 }, 1_000);
    s = advanceProgress(s, { phase: 'fetching', done: 2, total: 4 }, 3_000);
    assert.deepEqual([s.runStartedAt, s.phaseStartedAt], [1_000, 1_000]);
    s = advanceProgress(s, { phase: 'matching', done: 0, total: 1 }, 5_000);
    assert.deepEqual([s.runStartedAt, s.phaseStartedAt], [1_000, 5_000]);
    assert.equal(renderProgress(s, 7_000), 'matching: 0/1 watchlists · 0:06 elapsed');
    s = advanceProgress(s, { phase: 'fetching', done: 0, total: 4 }, 60_000);
    assert.deepEqual([s.runStartedAt, s.phaseStartedAt], [60_000, 60_000]);
  });

  it('a phase is done when all is done and no more can come', () => {
    assert.equal(isPhaseDone({ phase: 'fetching', done: 4, total: 4 }), true);
    assert.equal(isPhaseDone({ phase: 'clustering', done: 500, total: 500, open: true }), false);
    assert.equal(isPhaseDone({ phase: 'fetching', done: 0, total: 0 }), true);
  });
});

describe('a run reports its phases in order, each ending done', () => {
  it('fetching, reading articles, matching, clustering against a loopback server', async (t) => {
    const dir = await makeTempDir(t, 'presswatch-progress-');
    const feed = (n: number) => `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>http://x/</link><description>d</description>
<item><title>Un train pour Pyongyang</title><link>${server.url(`/article-${n}`)}</link><guid>${n}</guid><description>Le train part.</description></item></channel></rss>`;
    const article =
      '<html><head><title>Un train pour Pyongyang</title></head><body><article><h1>Un train pour Pyongyang</h1><p>Le train part de Vladivostok chaque semaine vers la capitale nord-coréenne, selon la compagnie ferroviaire.</p></article></body></html>';
    const page = serveFeed(article, { 'content-type': 'text/html; charset=utf-8' });
    const server = await startServer({
      '/a.xml': (req, res) => serveFeed(feed(1), { 'content-type': 'application/rss+xml' })(req, res),
      '/b.xml': (req, res) => serveFeed(feed(2), { 'content-type': 'application/rss+xml' })(req, res),
      '/article-1': page,
      '/article-2': page,
    });
    t.after(() => server.close());
    const fetch = { timeoutMs: 2_000, maxBytes: 1024 * 1024, maxRedirects: 3, userAgent: 'presswatch-test' };
    const store = openSqliteStore(join(dir, 'presswatch.db'));
    t.after(() => store.close());
    const seen: Progress[] = [];
    const reporter: Reporter = { ...SILENT_REPORTER, progress: (p) => seen.push(p) };
    const feeds = [server.url('/a.xml'), server.url('/b.xml')].map((url) => ({ url, label: null, fullText: 'always' as const }));
    const watchlist = (name: string): Watchlist => ({ name, description: '', feeds, keywords: [{ term: 'Pyongyang', aliases: [] }], exclude: [] });
    await runDigest(store, [watchlist('one'), watchlist('two')], {
      fetch,
      scrape: { fetcher: createPoliteFetcher({ fetch, perHostConcurrency: 2, perHostDelayMs: 0, respectRobots: true }), concurrency: 2 },
      concurrency: 2,
      now: () => new Date('2026-11-20T12:00:00Z'),
      reporter,
      fetchFeeds: true,
      since: null,
    });
    const phases = seen.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1]);
    assert.deepEqual(phases, ['fetching', 'reading articles', 'matching', 'clustering']);
    for (const phase of phases) {
      const last = seen.filter((p) => p.phase === phase).at(-1)!;
      assert.ok(isPhaseDone(last), `${phase} ends done: ${JSON.stringify(last)}`);
    }
    assert.deepEqual(
      seen.filter((p) => p.phase === 'fetching').map((p) => p.done),
      [0, 1, 2],
    );
    assert.deepEqual(
      seen.filter((p) => p.phase === 'reading articles').map((p) => `${p.done}/${p.total}`),
      ['0/2', '1/2', '2/2'],
    );
    assert.deepEqual(
      seen.filter((p) => p.phase === 'matching').map((p) => `${p.done}/${p.total}`),
      ['0/2', '1/2', '2/2'],
    );
    assert.deepEqual(
      seen.filter((p) => p.phase === 'clustering').map((p) => `${p.done}/${p.total}`),
      ['0/2', '2/2'],
    );
  });
});
