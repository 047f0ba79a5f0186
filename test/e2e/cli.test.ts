/**
 * End to end: the built CLI (`node bin/presswatch.js`, which loads dist/) run
 * as a child process, with its own data and config dirs and feeds served by a
 * loopback server. Run `npm run build` first.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serveFeed, startServer, type TestServer } from '../helpers/http-server.js';
import { assertBuilt, runCli, type CliResult } from '../helpers/run-cli.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';

const fixture = (name: string) => readFile(new URL(`../fixtures/feeds/${name}`, import.meta.url));

interface DigestJson {
  schema: string;
  mode: string;
  watchlists: string[];
  counts: { feedsChecked: number; feedsFailed: number; newItems: number; stories: number };
  stories: { id: string; title: string; url: string | null; watchlist: string }[];
  feeds: { url: string; label: string | null; status: string; error: string | null; httpStatus: number | null }[];
}

/** stdout must be exactly one JSON document: anything from stderr leaking in breaks the parse. */
function parseDigest(result: CliResult): DigestJson {
  assert.equal(result.code, 0, `exit ${result.code}; stderr:\n${result.stderr}`);
  assert.ok(!result.stdout.includes('presswatch:'), 'a stderr message leaked into stdout');
  return JSON.parse(result.stdout) as DigestJson;
}

function watchlistYaml(server: TestServer): string {
  return `name: veille
description: Surveillance de test (e2e)
feeds:
  - url: ${server.url('/agence.xml')}
    label: Agence Exemple
  - url: ${server.url('/asie.xml')}
  - url: ${server.url('/panne.xml')}
    label: Source en panne
keywords:
  - Pyongyang
  - Vladivostok
`;
}

describe('presswatch CLI (built)', () => {
  let server: TestServer;
  let temp: TempDir;
  let dirs: { dataDir: string; configDir: string };

  before(async () => {
    assertBuilt();
    const [agence, asie] = await Promise.all([fixture('rss2-undated.xml'), fixture('atom-fr.xml')]);
    server = await startServer({
      '/agence.xml': serveFeed(agence, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"agence-1"' }),
      '/asie.xml': serveFeed(asie, { 'content-type': 'application/atom+xml' }),
      '/panne.xml': (_req, res) => res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '120' }).end('maintenance'),
    });
    temp = await createTempDir('presswatch-e2e-');
    dirs = { dataDir: join(temp.path, 'data'), configDir: join(temp.path, 'config') };
    await mkdir(join(dirs.configDir, 'watchlists'), { recursive: true });
    await writeFile(join(dirs.configDir, 'watchlists', 'veille.yaml'), watchlistYaml(server));
  });
  after(async () => {
    await server?.close();
    await temp?.remove();
  });

  const undatedTitles = ['Pyongyang et Moscou élargissent leur coopération portuaire', 'Vladivostok : un nouveau terminal pour les ferries'];

  it('digest --format json: stories, feeds, and the failing feed with its error', async () => {
    const result = await runCli(['digest', '--format', 'json'], dirs);
    const digest = parseDigest(result);
    assert.equal(digest.schema, 'presswatch.digest/1');
    assert.equal(digest.mode, 'new');
    assert.deepEqual(digest.watchlists, ['veille']);
    const titles = digest.stories.map((s) => s.title);
    for (const title of [...undatedTitles, "Sommet de Vladivostok : ce qu'il faut retenir"]) assert.ok(titles.includes(title), `missing story: ${title}`);
    assert.ok(!titles.includes('Marché du riz : les cours se stabilisent'), 'unmatched item is not a story');
    assert.ok(digest.stories.every((s) => s.watchlist === 'veille'));

    assert.equal(digest.feeds.length, 3);
    const failing = digest.feeds.find((f) => f.url === server.url('/panne.xml'));
    assert.equal(failing?.status, 'error');
    assert.equal(failing?.httpStatus, 503);
    assert.match(failing?.error ?? '', /HTTP 503/);
    assert.equal(digest.feeds.filter((f) => f.status === 'ok').length, 2);
    assert.equal(digest.counts.feedsFailed, 1);
    assert.equal(digest.counts.stories, digest.stories.length);

    assert.match(result.stderr, /warning: .*Source en panne.*HTTP 503/);
  });

  it('a second digest has nothing new', async () => {
    const digest = parseDigest(await runCli(['digest', '--format', 'json'], dirs));
    assert.deepEqual(digest.stories, []);
    assert.equal(digest.counts.newItems, 0);
    assert.equal(digest.feeds.find((f) => f.url === server.url('/agence.xml'))?.status, 'not-modified');
  });

  it('--since 7d shows the stories again', async () => {
    const digest = parseDigest(await runCli(['digest', '--format', 'json', '--since', '7d'], dirs));
    assert.equal(digest.mode, 'since');
    const titles = digest.stories.map((s) => s.title);
    // The undated items count from when they were first seen (now); dated ones depend on today's date.
    for (const title of undatedTitles) assert.ok(titles.includes(title), `missing story: ${title}`);
  });

  it('--no-fetch builds the digest from the database without a request', async () => {
    const before = server.requests.length;
    const digest = parseDigest(await runCli(['digest', '--no-fetch', '--since', '7d', '--format', 'json'], dirs));
    assert.equal(server.requests.length, before, 'no request was made');
    assert.deepEqual(digest.feeds, []);
    for (const title of undatedTitles)
      assert.ok(
        digest.stories.some((s) => s.title === title),
        `missing story: ${title}`,
      );
  });

  it('the text digest goes to stdout, warnings to stderr', async () => {
    const result = await runCli(['digest', '--since', '7d'], dirs);
    assert.equal(result.code, 0, result.stderr);
    for (const title of undatedTitles) assert.ok(result.stdout.includes(title), `missing in text digest: ${title}`);
    assert.ok(!result.stdout.includes('warning:'));
    assert.match(result.stderr, /warning: .*HTTP 503/);
    assert.ok(!/\x1b\[/.test(result.stdout), 'no colour codes when stdout is not a terminal');
  });

  it('an unknown flag is a usage error: exit 2, message on stderr, nothing on stdout', async () => {
    const result = await runCli(['digest', '--bogus'], dirs);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /unknown option '--bogus'/);
  });

  it('a bad --since value is a usage error naming the flag', async () => {
    const result = await runCli(['digest', '--since', 'hier', '--no-fetch'], dirs);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /--since: "hier"/);
  });

  it('an unknown watchlist: exit 2, the known ones listed', async () => {
    const result = await runCli(['digest', '-w', 'inconnue', '--no-fetch'], dirs);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /unknown watchlist "inconnue"/);
    assert.match(result.stderr, /veille/);
  });

  it('a malformed watchlist: exit 2, the message names the file and the field path', async () => {
    const configDir = join(temp.path, 'config-broken');
    const file = join(configDir, 'watchlists', 'cassee.yaml');
    await mkdir(join(configDir, 'watchlists'), { recursive: true });
    await writeFile(file, `feeds:\n  - ${server.url('/agence.xml')}\n  - label: sans adresse\nkeywords:\n  - Pyongyang\n`);
    const result = await runCli(['digest', '--format', 'json'], { dataDir: dirs.dataDir, configDir });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.ok(result.stderr.includes(file), `stderr does not name ${file}:\n${result.stderr}`);
    assert.match(result.stderr, /feeds\[1\]\.url/);
  });

  it('malformed YAML syntax: exit 2 with the line', async () => {
    const configDir = join(temp.path, 'config-yaml');
    const file = join(configDir, 'watchlists', 'syntaxe.yaml');
    await mkdir(join(configDir, 'watchlists'), { recursive: true });
    await writeFile(file, 'keywords: [Pyongyang\nfeeds: {\n');
    const result = await runCli(['digest', '--no-fetch'], { dataDir: dirs.dataDir, configDir });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.ok(result.stderr.includes(file));
    assert.match(result.stderr, /line \d+/);
  });

  it('demo: exit 0, stories on stdout', async () => {
    const result = await runCli(['demo'], dirs);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Pyongyang/);
    assert.ok(!result.stdout.includes('presswatch:'));
    assert.match(result.stderr, /503/, 'the demo failing feed is reported on stderr');
  });

  it('demo --format json is one JSON digest with stories', async () => {
    const digest = parseDigest(await runCli(['demo', '--format', 'json'], dirs));
    assert.ok(digest.stories.length > 0);
    assert.ok(
      digest.stories.some((s) => /Wonsan/.test(s.title)),
      'the ISO-8859-1 sample feed decodes',
    );
    assert.equal(digest.counts.feedsFailed, 1);
  });

  it('config path --json names the dirs given on the command line', async () => {
    const result = await runCli(['config', 'path', '--json'], dirs);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const paths = JSON.parse(result.stdout) as Record<string, string>;
    assert.equal(paths['dataDir'], dirs.dataDir);
    assert.equal(paths['configDir'], dirs.configDir);
    assert.equal(paths['watchlistsDir'], join(dirs.configDir, 'watchlists'));
    assert.equal(paths['databaseFile'], join(dirs.dataDir, 'presswatch.db'));
  });
});
