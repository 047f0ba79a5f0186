/**
 * End to end, with the built CLI: a watchlist made from a seed article served
 * over loopback (our own article on a relation between Algeria and France),
 * then a plain digest of a feed written for the test, in French and English;
 * and the seeds a watchlist cannot be made from.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serveFeed, startServer, type TestServer } from '../helpers/http-server.js';
import { assertBuilt, runCli } from '../helpers/run-cli.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../relevance/fixtures/seeds/${name}`, import.meta.url)), 'utf8');

const ARTICLE = fixture('france-algerie.fr.txt');
const [HEADLINE, ...PARAGRAPHS] = ARTICLE.trim().split('\n');
const seedPage = `<!doctype html><html><head><title>${HEADLINE}</title></head><body><nav>Accueil · Monde</nav><article><h1>${HEADLINE}</h1>${PARAGRAPHS.map((p) => `<p>${p}</p>`).join('')}</article><footer>© Journal</footer></body></html>`;

const ITEMS = [
  { id: 'fr-relation', title: "L'Élysée reçoit Tebboune pour relancer la coopération migratoire", text: 'Le président algérien est attendu à Paris la semaine prochaine, annonce la présidence française.' },
  { id: 'en-relation', title: 'Algiers and Paris agree to ease visas', text: 'French and Algerian officials agreed on consular passes after talks in Algiers.' },
  { id: 'algeria-only', title: "L'Algérie augmente ses exportations de gaz vers l'Italie", text: 'Sonatrach a signé un nouveau contrat avec un groupe italien.' },
  { id: 'morocco', title: 'La France et le Maroc signent un accord sur les visas', text: 'Rabat et Paris renforcent leur coopération consulaire.' },
];
const feedXml = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test</title><link>https://news.example/</link><description>t</description>${ITEMS.map(
  (item, i) =>
    `<item><title>${item.title.replace(/&/g, '&amp;')}</title><link>https://news.example/${item.id}</link><guid>${item.id}</guid><pubDate>${new Date(Date.UTC(2026, 10, 20, 8 + i)).toUTCString()}</pubDate><description>${item.text}</description></item>`,
).join('')}</channel></rss>`;

describe('watchlist create --from-seed, then a plain digest (built CLI, loopback)', () => {
  let server: TestServer;
  let temp: TempDir;
  let dirs: { dataDir: string; configDir: string };
  const watchlists = () => join(dirs.configDir, 'watchlists');

  before(async () => {
    assertBuilt();
    server = await startServer({
      '/article.html': serveFeed(seedPage, { 'content-type': 'text/html; charset=utf-8' }),
      '/feed.xml': serveFeed(feedXml, { 'content-type': 'application/rss+xml; charset=utf-8' }),
      '/logo.png': serveFeed(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), { 'content-type': 'image/png' }),
      '/home.html': serveFeed('<!doctype html><html><head><title>Accueil</title></head><body><nav><a href="/a">Monde</a> <a href="/b">Sport</a></nav></body></html>', { 'content-type': 'text/html' }),
    });
    temp = await createTempDir('presswatch-seed-e2e-');
    dirs = { dataDir: join(temp.path, 'data'), configDir: join(temp.path, 'config') };
    await mkdir(watchlists(), { recursive: true });
  });
  after(async () => {
    await server?.close();
    await temp?.remove();
  });

  it('proposes the two sides, the people tied to each and the themes, and writes them as facets', async () => {
    const result = await runCli(['watchlist', 'create', 'alger-paris', '--from-seed', server.url('/article.html'), '--yes', '--feed', server.url('/feed.xml')], dirs, { timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Algérie \(actor\)\n {6}country DZ: Algérie/);
    assert.match(result.stderr, /\d+\. Abdelmadjid Tebboune/);
    assert.match(result.stderr, /require: Algérie AND France/);
    assert.equal(result.stdout, '');
    const yaml = readFileSync(join(watchlists(), 'alger-paris.yaml'), 'utf8');
    assert.match(yaml, /facets:\n {2}- name: Algérie\n {4}kind: actor\n {4}countries: \[DZ\]/);
    assert.match(yaml, /require: Algérie AND France/);
    assert.match(yaml, /minScore: 0\.5\n/);
    // The reference holds weights, never the article's sentences.
    assert.ok(!yaml.includes(PARAGRAPHS[0]!.slice(0, 40)));

    const show = await runCli(['watchlist', 'show', 'alger-paris'], dirs, { timeoutMs: 60_000 });
    assert.match(show.stdout, /facets \(3\) {2}require: Algérie AND France/);
    assert.match(show.stdout, /terms: Abdelmadjid Tebboune, Tebboune/);
  });

  it('a plain digest shows the relation in French and in English, with why, ranked by score', async () => {
    const result = await runCli(['digest', '--format', 'json'], dirs, { timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.stderr);
    const digest = JSON.parse(result.stdout) as { stories: { url: string; score?: number; facets?: { name: string; words: string[] }[] }[] };
    assert.deepEqual(digest.stories.map((s) => s.url.split('/').pop()).sort(), ['en-relation', 'fr-relation']);
    for (const story of digest.stories) assert.ok(story.score !== undefined && story.score >= 0.5);
    assert.ok(digest.stories[0]!.score! >= digest.stories[1]!.score!);
    const english = digest.stories.find((s) => s.url.endsWith('en-relation'))!;
    assert.deepEqual(english.facets, [
      { name: 'Algérie', kind: 'actor', words: ['Algiers', 'Algerian'] },
      { name: 'France', kind: 'actor', words: ['Paris', 'French'] },
    ]);
  });

  it('says why a seed cannot make a watchlist, and writes nothing', async () => {
    const files = join(temp.path, 'seeds');
    await mkdir(files, { recursive: true });
    await writeFile(join(files, 'recette.txt'), fixture('no-entity.fr.txt'));
    await writeFile(join(files, 'empty.txt'), '');
    await writeFile(join(files, 'binary.bin'), Buffer.from([0, 1, 2, 3, 0, 255, 0, 7, 8, 0]));
    const cases: [string, RegExp][] = [
      [join(files, 'recette.txt'), /no named entity \(country, person or organisation\) found.*nothing created/],
      [join(files, 'empty.txt'), /empty file/],
      [join(files, 'binary.bin'), /binary file/],
      [server.url('/logo.png'), /served as image\/png/],
      [server.url('/home.html'), /no article text|characters of article text/],
    ];
    const before = await readdir(watchlists());
    for (const [seed, message] of cases) {
      const result = await runCli(['watchlist', 'create', 'bad', '--from-seed', seed, '--yes'], dirs, { timeoutMs: 60_000 });
      assert.equal(result.code, 2, `${seed}: ${result.stderr}`);
      assert.match(result.stderr, message, seed);
      assert.equal(result.stderr.trim().split('\n').length, 1, `one message for ${seed}: ${result.stderr}`);
      assert.equal(existsSync(join(watchlists(), 'bad.yaml')), false);
    }
    assert.deepEqual(await readdir(watchlists()), before);
  });
});
