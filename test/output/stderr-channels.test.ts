import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startServer } from '../helpers/http-server.js';
import { assertBuilt, runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>http://x/</link><description>d</description>
<item><title>Pyongyang</title><link>http://example.invalid/1</link><guid>1</guid><description>Texte assez long pour ne pas aller chercher la page de l'article, car la veille lit le flux.</description></item></channel></rss>`;

describe('stdout carries the digest; progress and logs go to stderr', () => {
  it('--verbose logs each request on stderr, --quiet silences information, neither touches stdout', async (t) => {
    assertBuilt();
    const root = await makeTempDir(t);
    const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
    const server = await startServer({ '/feed.xml': (_q, res) => res.end(FEED) });
    t.after(() => server.close());
    mkdirSync(join(dirs.configDir, 'watchlists'), { recursive: true });
    writeFileSync(join(dirs.configDir, 'watchlists', 'w.yaml'), `feeds:\n  - ${server.url('/feed.xml')}\nkeywords: [Pyongyang]\nfullText: never\n`);

    const verbose = await runCli(['--verbose', 'digest', '--format', 'json'], dirs);
    assert.equal(verbose.code, 0, verbose.stderr);
    assert.match(verbose.stderr, new RegExp(`GET ${server.url('/feed.xml').replace(/[.]/g, '\\.')}`));
    assert.equal(JSON.parse(verbose.stdout).stories.length, 1, 'stdout is one JSON document');
    // stderr is not a terminal here: no progress line (no carriage returns, no escape sequences).
    assert.doesNotMatch(verbose.stderr, /\r|\u001b\[/);

    const quiet = await runCli(['--quiet', 'digest', '--format', 'markdown', '--save', '--since', '7d'], dirs);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, '', '--quiet: no "saved" information line');
    assert.match(quiet.stdout, /^# presswatch digest/);
  });
});
