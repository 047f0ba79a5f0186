/**
 * The bundle loads parts of the feed parsers lazily (scripts/bundle-cli.mjs): xml2js's
 * xmlbuilder only when rss-parser rebuilds content given as elements, htmlparser2's
 * streaming Parser without its DOM packages. These runs go through the built CLI, so a
 * bundling step that broke either shows here, not only in the unbundled unit tests.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serveFeed, startServer, type TestServer } from '../helpers/http-server.js';
import { assertBuilt, runCli } from '../helpers/run-cli.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';

const ATOM_XHTML = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Observatoire des ports</title>
  <id>urn:test:ports</id>
  <updated>2026-11-29T08:00:00Z</updated>
  <entry>
    <id>urn:test:ports:1</id>
    <title>Nouvelle ligne de ferries sur la mer du Japon</title>
    <link href="https://ports.example/ferries"/>
    <updated>2026-11-29T08:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Le port de <b>Wonsan</b> accueillera la ligne dès le printemps.</p><p>Les horaires seront publiés en mars.</p></div></content>
  </entry>
  <entry>
    <id>urn:test:ports:2</id>
    <title>Les tarifs du fret restent stables</title>
    <link href="https://ports.example/fret"/>
    <updated>2026-11-29T07:00:00Z</updated>
    <content type="html"><div><p>Le fret et le transit ne changent pas ce trimestre.</p></div></content>
  </entry>
</feed>`;

describe('the bundled feed parsers (built CLI)', () => {
  let server: TestServer;
  let temp: TempDir;
  let dirs: { dataDir: string; configDir: string };

  before(async () => {
    assertBuilt();
    server = await startServer({ '/ports.atom': serveFeed(Buffer.from(ATOM_XHTML), { 'content-type': 'application/atom+xml' }) });
    temp = await createTempDir('presswatch-bundle-');
    dirs = { dataDir: join(temp.path, 'data'), configDir: join(temp.path, 'config') };
    await mkdir(join(dirs.configDir, 'watchlists'), { recursive: true });
    await writeFile(join(dirs.configDir, 'watchlists', 'ports.yaml'), `name: ports\nfeeds:\n  - ${server.url('/ports.atom')}\nkeywords:\n  - Wonsan\n  - transit\n`);
  });
  after(async () => {
    await server?.close();
    await temp?.remove();
  });

  it('Atom XHTML content keeps its word order; content given as raw elements is rebuilt (xmlbuilder loaded on use)', async () => {
    const result = await runCli(['digest', '--format', 'json'], dirs);
    assert.equal(result.code, 0, result.stderr);
    const digest = JSON.parse(result.stdout) as { stories: { title: string; snippet: string }[] };
    const titles = digest.stories.map((s) => s.title).sort();
    // Only the XHTML body names Wonsan, only the element-built body names transit: each story proves its content was read.
    assert.deepEqual(titles, ['Les tarifs du fret restent stables', 'Nouvelle ligne de ferries sur la mer du Japon']);
    const ferries = digest.stories.find((s) => s.title.startsWith('Nouvelle'));
    assert.match(ferries?.snippet ?? '', /port de Wonsan accueillera/);
    assert.doesNotMatch(ferries?.snippet ?? '', /<\/?[bp]>/);
  });
});
