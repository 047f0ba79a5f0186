import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkSchema } from './json-schema-check.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const schema = JSON.parse(readFileSync(new URL('../../docs/digest.schema.json', import.meta.url), 'utf8'));

function presswatch(...args: string[]) {
  assert.ok(existsSync(`${root}dist/cli/main.js`), 'dist/ is missing: run `npm run build` first (npm test does)');
  return spawnSync(process.execPath, [`${root}bin/presswatch.js`, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

describe('the JSON digest contract (docs/digest.schema.json, docs/json.md)', () => {
  it('real output of the pipeline validates against the documented schema', () => {
    const run = presswatch('demo', '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    const digest = JSON.parse(run.stdout);
    assert.deepEqual(checkSchema(digest, schema), []);
    assert.ok(digest.stories.length > 0, 'the demo matches stories');
    assert.ok(
      digest.feeds.some((f: { status: string }) => f.status === 'error'),
      'the failing demo feed is reported',
    );
  });

  it('every ndjson story line validates as a story of the schema', () => {
    const run = presswatch('demo', '--format', 'ndjson');
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const storySchema = schema.properties.stories.items;
    for (const line of lines.filter((l) => l.type === 'story')) {
      const { type: _t, schema: s, ...story } = line;
      assert.equal(s, 'presswatch.digest/1');
      assert.deepEqual(checkSchema(story, storySchema), []);
    }
    assert.equal(lines.at(-1).type, 'summary');
  });

  it('the checker itself rejects what breaks the contract', () => {
    assert.notDeepEqual(checkSchema({ schema: 'presswatch.digest/1' }, schema), []);
    const bad = { ...JSON.parse(presswatch('demo', '--format', 'json').stdout), extra: 1 };
    assert.ok(checkSchema(bad, schema).some((e) => e.includes('undocumented field extra')));
  });
});
