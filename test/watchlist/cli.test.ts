/**
 * The real CLI, spawned from the built dist/. Runs only when dist/cli/main.js is
 * newer than the sources of these commands (build first: `npm run build`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const SOURCES = [
  'src/cli/program/watchlist.ts',
  'src/cli/program/feeds.ts',
  'src/cli/commands/watchlist.ts',
  'src/cli/commands/feeds.ts',
  'src/config/edit-watchlist.ts',
  'src/config/edit-in-editor.ts',
  'src/feed/opml.ts',
];

function staleReason(): string | false {
  if (!existsSync(MAIN)) return 'dist/cli/main.js absent: run `npm run build` to include the CLI tests';
  const built = statSync(MAIN).mtimeMs;
  const newer = SOURCES.filter((s) => statSync(join(ROOT, s)).mtimeMs > built);
  return newer.length > 0 ? `dist/ is older than ${newer.join(', ')}: run \`npm run build\` to include the CLI tests` : false;
}

describe('presswatch watchlist / feeds (spawned)', { skip: staleReason() }, () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  const run = (args: string[], input?: string) => spawnSync(process.execPath, [MAIN, ...args], { env, encoding: 'utf8', input: input ?? '', timeout: 20_000 });

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'presswatch-cli-'));
    await mkdir(join(root, 'config', 'watchlists'), { recursive: true });
    await writeFile(join(root, 'config', 'watchlists', 'semis.yaml'), await readFile(new URL('../fixtures/watchlist/commented.yaml', import.meta.url), 'utf8'));
    env = { PATH: process.env['PATH'], HOME: root, PRESSWATCH_CONFIG_DIR: join(root, 'config'), PRESSWATCH_DATA_DIR: join(root, 'data'), NO_COLOR: '1' };
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('test --text prints the match on stdout and exits 0, also for "no match"', () => {
    const hit = run(['watchlist', 'test', 'semis', '--text', 'TSMC bets on EUV lithography.']);
    assert.equal(hit.status, 0, hit.stderr);
    assert.match(hit.stdout, /^semis on the given text \(29 characters\)\nmatch: 2 keywords\n\n {2}TSMC, 1× \(first in content\)\n/);
    assert.match(hit.stdout, / {2}lithography as "EUV", 2× \(first in content\)/);
    const miss = run(['watchlist', 'test', 'semis', '--text', 'Nothing here.']);
    assert.equal(miss.status, 0);
    assert.match(miss.stdout, /no match/);
    const json = JSON.parse(run(['watchlist', 'test', 'semis', '--json', '--text', 'TSMC']).stdout);
    assert.equal(json.matched, true);
  });

  test('add reports on stderr and keeps stdout empty; unknown names and missing --yes are usage errors', () => {
    const add = run(['watchlist', 'add', 'semis', 'ASML']);
    assert.equal(add.status, 0, add.stderr);
    assert.equal(add.stdout, '');
    assert.match(add.stderr, /added 1 keyword to semis: ASML/);
    const unknown = run(['watchlist', 'show', 'nope']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown watchlist "nope" \(known: semis;/);
    const del = run(['watchlist', 'delete', 'semis']);
    assert.equal(del.status, 2);
    assert.match(del.stderr, /pass --yes/);
  });

  test('feeds export | feeds import round trip, and validate exits 2 on a broken file', async () => {
    const exported = run(['feeds', 'export']);
    assert.equal(exported.status, 0, exported.stderr);
    assert.match(exported.stdout, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0">/);
    const file = join(root, 'semis.opml');
    await writeFile(file, exported.stdout);
    const again = run(['feeds', 'import', file]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /semis: added 0 feeds, skipped 2 already there/);

    await writeFile(join(root, 'config', 'watchlists', 'broken.yaml'), 'keywords: [\n');
    const validate = run(['watchlist', 'validate']);
    assert.equal(validate.status, 2);
    assert.match(validate.stdout, /INVALID {2}broken/);
    assert.match(validate.stdout, /OK +semis/);
  });

  test('edit without a terminal: an editor that writes invalid YAML runs once, one message, exit 2, file untouched', async () => {
    const dir = join(root, 'scripted-editor');
    await mkdir(dir);
    const editor = join(dir, 'editor.sh');
    // Counts its runs and writes invalid YAML each time, as a broken scripted edit would.
    await writeFile(editor, `#!/bin/sh\necho run >> "${join(dir, 'runs')}"\nfor file; do :; done\nprintf 'keywords: [unclosed\\n' > "$file"\n`);
    await chmod(editor, 0o755);
    const file = join(root, 'config', 'watchlists', 'semis.yaml');
    const before = await readFile(file, 'utf8');
    const result = spawnSync(process.execPath, [MAIN, 'watchlist', 'edit', 'semis'], { env: { ...env, VISUAL: editor }, encoding: 'utf8', input: '', timeout: 20_000 });
    assert.equal(result.status, 2, result.stderr);
    assert.equal(await readFile(join(dir, 'runs'), 'utf8'), 'run\n');
    assert.equal(result.stdout, '');
    const messages = result.stderr.split('\n').filter((l) => l.startsWith('presswatch:'));
    assert.equal(messages.length, 1, result.stderr);
    assert.match(messages[0]!, /^presswatch: semis left as it was: not saved, the result would be invalid: .*malformed YAML/);
    assert.match(result.stderr, /no terminal to reopen the editor on/);
    assert.equal(await readFile(file, 'utf8'), before);
  });

  test('every watchlist subcommand has examples in its help', () => {
    for (const sub of ['list', 'show', 'create', 'delete', 'add', 'remove', 'exclude', 'alias', 'query', 'edit', 'validate', 'test']) {
      const help = run(['watchlist', sub, '--help']);
      assert.equal(help.status, 0);
      assert.match(help.stdout, /Examples?:\n {2}\$ presswatch watchlist/, sub);
    }
  });
});
