import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startServer } from '../helpers/http-server.js';
import { assertBuilt, runCli, startCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function rss(items: { id: string; title: string; text: string }[]): string {
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test</title><link>http://x/</link><description>t</description>
${items.map((i) => `<item><title>${i.title}</title><link>http://example.org/${i.id}</link><guid>${i.id}</guid><pubDate>Mon, 23 Nov 2026 08:00:00 GMT</pubDate><description>${i.text}</description></item>`).join('\n')}
</channel></rss>`;
}

async function setup(t: Parameters<typeof makeTempDir>[0], routes: Parameters<typeof startServer>[0], feedPaths: string[]) {
  assertBuilt();
  const root = await makeTempDir(t);
  const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
  const server = await startServer(routes);
  t.after(() => server.close());
  mkdirSync(join(dirs.configDir, 'watchlists'), { recursive: true });
  writeFileSync(join(dirs.configDir, 'watchlists', 'veille.yaml'), `name: veille\nfeeds:\n${feedPaths.map((p) => `  - ${server.url(p)}`).join('\n')}\nkeywords:\n  - Pyongyang\n`);
  return { dirs, server };
}

const ITEM = { id: 'a1', title: 'Visite à Pyongyang', text: 'Le ministre est arrivé à Pyongyang.' };

describe('saving digests', () => {
  it('--save keeps a copy per watchlist, says where on stderr, and digests list/show find it', async (t) => {
    const { dirs } = await setup(t, { '/feed.xml': (_q, res) => res.end(rss([ITEM])) }, ['/feed.xml']);
    const run = await runCli(['digest', '--format', 'markdown', '--save'], dirs);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Visite à Pyongyang/);
    const dir = join(dirs.dataDir, 'digests', 'veille');
    const files = readdirSync(dir);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^\d{4}-\d{2}-\d{2}\.md$/);
    assert.match(run.stderr, new RegExp(`saved ${join(dir, files[0]!).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.equal(readFileSync(join(dir, files[0]!), 'utf8'), run.stdout);

    // A second save the same day gets its own file instead of overwriting the first.
    const again = await runCli(['digest', '--format', 'markdown', '--save', '--since', '7d'], dirs);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(readdirSync(dir).length, 2);

    const list = await runCli(['digests', 'list', '--json'], dirs);
    const saved = JSON.parse(list.stdout) as { date: string; seq: number; path: string }[];
    assert.equal(saved.length, 2);
    assert.deepEqual(
      saved.map((s) => s.seq),
      [2, 1],
      'newest first',
    );
    const show = await runCli(['digests', 'show', `${saved[1]!.date}-1`], dirs);
    assert.equal(show.code, 0, show.stderr);
    assert.equal(show.stdout, readFileSync(saved[1]!.path, 'utf8'));
    const missing = await runCli(['digests', 'show', '1999-01-01'], dirs);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no saved digest for 1999-01-01/);
  });

  it('-o writes the file atomically instead of stdout, and marks stories shown only then', async (t) => {
    const { dirs } = await setup(t, { '/feed.xml': (_q, res) => res.end(rss([ITEM])) }, ['/feed.xml']);
    const out = join(dirs.dataDir, 'digest.html');
    const run = await runCli(['digest', '--format', 'html', '-o', out], dirs);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(readFileSync(out, 'utf8'), /<!DOCTYPE html>[\s\S]*Visite à Pyongyang/);
    // Output into a path that cannot be a file: a clear error, exit 1, and the story is not marked shown.
    const bad = await runCli(['digest', '--format', 'json', '-o', join(out, 'sub', 'x.json')], dirs);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /output: cannot write/);
    const next = await runCli(['digest', '--format', 'json', '--no-fetch'], dirs);
    assert.equal(JSON.parse(next.stdout).stories.length, 0, 'the -o run had delivered it');
  });
});

describe('feeds status', () => {
  it('lists each feed with its last status, error and item counts', async (t) => {
    const { dirs, server } = await setup(t, { '/feed.xml': (_q, res) => res.end(rss([ITEM])), '/down.xml': (_q, res) => res.writeHead(500).end('boom') }, ['/feed.xml', '/down.xml']);
    await runCli(['digest', '--format', 'json'], dirs);
    const run = await runCli(['feeds', 'status', '--json'], dirs);
    assert.equal(run.code, 0, run.stderr);
    const feeds = JSON.parse(run.stdout) as { url: string; status: string; error: string | null; items: number; itemsPerDay: number }[];
    const ok = feeds.find((f) => f.url === server.url('/feed.xml'))!;
    const down = feeds.find((f) => f.url === server.url('/down.xml'))!;
    assert.equal(ok.status, 'ok');
    assert.equal(ok.items, 1);
    assert.ok(ok.itemsPerDay > 0);
    assert.equal(down.status, 'error');
    assert.match(down.error!, /HTTP 500/);
    const text = await runCli(['feeds', 'status'], dirs);
    assert.match(text.stdout, /error .*HTTP 500/s);
  });
});

describe('watch', () => {
  it('prints new stories as they arrive, honours Retry-After, and stops cleanly on SIGTERM', async (t) => {
    let items = [ITEM];
    const { dirs, server } = await setup(
      t,
      {
        '/feed.xml': (_q, res) => res.end(rss(items)),
        '/busy.xml': (_q, res) => res.writeHead(429, { 'retry-after': '3600' }).end('slow down'),
      },
      ['/feed.xml', '/busy.xml'],
    );
    const watch = startCli(t, ['watch', '--interval', '1s', '--format', 'ndjson'], dirs);
    await watch.waitFor(() => watch.stdout().includes('Visite à Pyongyang'), 'the first story');
    items = [...items, { id: 'a2', title: 'Retour de Pyongyang', text: 'Nouvelles de Pyongyang.' }];
    await watch.waitFor(() => watch.stdout().includes('Retour de Pyongyang'), 'the story added later');
    await watch.waitFor(() => server.requestsTo('/feed.xml').length >= 3, 'a third round');
    assert.equal(await watch.stop(), 0);
    const stdout = watch.stdout();
    const stderr = watch.stderr();
    const stories = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { title: string; type: string });
    assert.deepEqual(
      stories.map((s) => s.title),
      ['Visite à Pyongyang', 'Retour de Pyongyang'],
      'each story printed once',
    );
    assert.equal(server.requestsTo('/busy.xml').length, 1, 'Retry-After: 3600 keeps the busy feed out of later rounds');
    assert.match(stderr, /watch stopped/);
  });

  it('refuses a bad interval with a usage error', async (t) => {
    const { dirs } = await setup(t, {}, ['/feed.xml']);
    const run = await runCli(['watch', '--interval', 'often'], dirs);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--interval: "often"/);
    assert.equal(run.stdout, '');
  });
});
