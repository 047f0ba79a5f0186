/**
 * Bad configuration through the real CLI: each broken watchlist or settings file
 * gives one message that names the file, the field path and what is wrong,
 * nothing on stdout, exit code 2 and no stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/temp-dir.js';
import { FIXTURES, missingBuild, runCli } from './support.js';

const CASES: { file: string; message: RegExp }[] = [
  { file: 'malformed-yaml.yaml', message: /\(line 3, column 1\): malformed YAML: Flow sequence/ },
  { file: 'duplicate-key.yaml', message: /\(line 3, column 1\): malformed YAML: Map keys must be unique/ },
  { file: 'unknown-field.yaml', message: /: keyword: unknown field \(did you mean "keywords"\?\)/ },
  { file: 'wrong-type.yaml', message: /: keywords: must be a list of words or phrases, found the number 42/ },
  { file: 'wrong-type-nested.yaml', message: /: feeds\[0\]\.label: must be a string, found the number 7/ },
  { file: 'invalid-query.yaml', message: /: rules\[0\]: at column 22: expected an operator .* found the end of the query\n {4}Pyongyang AND \(Moscou\n {4}\s*\^/ },
  { file: 'ftp-feed.yaml', message: /: feeds\[0\]: unsupported scheme "ftp:" \(use http, https, file or a path\)/ },
  { file: 'javascript-feed.yaml', message: /: feeds\[0\]: unsupported scheme "javascript:"/ },
];

for (const { file, message } of CASES) {
  test(`a watchlist with ${file.replace('.yaml', '').replaceAll('-', ' ')}: exit 2, one message naming the file and the field`, async (t) => {
    const missing = missingBuild();
    if (missing) return t.skip(missing);
    const root = await makeTempDir(t, 'presswatch-badconf-');
    const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
    await mkdir(join(dirs.configDir, 'watchlists'), { recursive: true });
    const target = join(dirs.configDir, 'watchlists', file);
    await copyFile(join(FIXTURES, 'bad-config', file), target);
    const result = await runCli(['digest'], dirs);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, '');
    assert.ok(result.stderr.startsWith(`presswatch: ${target}`), result.stderr);
    assert.match(result.stderr, message);
    assert.ok(!/\n\s+at /.test(result.stderr), 'no stack trace');
  });
}

test('a settings file that is not JSON, or breaks the schema: exit 2 naming the file and the setting', async (t) => {
  const missing = missingBuild();
  if (missing) return t.skip(missing);
  const root = await makeTempDir(t, 'presswatch-badconf-');
  const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
  await mkdir(join(dirs.configDir, 'watchlists'), { recursive: true });
  await writeFile(join(dirs.configDir, 'watchlists', 'w.yaml'), 'feeds: []\nkeywords: [Pyongyang]\n');
  const settings = join(dirs.configDir, 'config.json');
  for (const [content, reason] of [
    ['{ "fetchTimeoutMs": ', 'not valid JSON'],
    ['{ "fetchTimeoutMs": "soon" }', 'fetchTimeoutMs: must be integer'],
  ] as const) {
    await writeFile(settings, content);
    const result = await runCli(['digest'], dirs);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr, `presswatch: ${settings}: ${reason}; correct it by hand, or delete the file to go back to the defaults\n`);
  }
  await writeFile(settings, '{}');
  const wrongValue = await runCli(['config', 'set', 'maxRedirects', 'many'], dirs);
  assert.equal(wrongValue.code, 2);
  assert.match(wrongValue.stderr, /^presswatch: config set maxRedirects: expected a whole number, got "many"\n$/);
});

test('after a run that cached a valid watchlist, the same file broken gives the same message (the cache never hides an error)', async (t) => {
  const missing = missingBuild();
  if (missing) return t.skip(missing);
  const root = await makeTempDir(t, 'presswatch-badconf-');
  const dirs = { dataDir: join(root, 'data'), configDir: join(root, 'config') };
  await mkdir(join(dirs.configDir, 'watchlists'), { recursive: true });
  for (const { file, message } of CASES.slice(0, 4)) {
    const target = join(dirs.configDir, 'watchlists', 'w.yaml');
    await writeFile(target, 'feeds: []\nkeywords: [Pyongyang]\n');
    const good = await runCli(['digest', '--no-fetch', '--format', 'json'], dirs);
    assert.equal(good.code, 0, good.stderr);
    await copyFile(join(FIXTURES, 'bad-config', file), target);
    const result = await runCli(['digest', '--no-fetch'], dirs);
    assert.equal(result.code, 2, `${file}: ${result.stderr}`);
    assert.ok(result.stderr.startsWith(`presswatch: ${target}`), result.stderr);
    assert.match(result.stderr, message);
  }
});
