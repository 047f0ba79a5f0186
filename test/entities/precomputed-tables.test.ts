import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { deriveEntityTables } from '../../src/entities/derive-tables.js';
import { buildGazetteerIndex, deriveGazetteerIndexTable, gazetteerIndexFromTable } from '../../src/entities/find-entities.js';

const bundleDir = new URL('../../dist/bundle/', import.meta.url);

describe('precomputed entity tables', () => {
  it('the index read back from its rows is the derived index, each entry once', () => {
    const built = buildGazetteerIndex();
    const read = gazetteerIndexFromTable(deriveGazetteerIndexTable());
    assert.deepEqual([...read.keys()], [...built.keys()]);
    for (const [first, entries] of built) {
      const once = [...new Map(entries.map((e) => [JSON.stringify(e), e])).values()];
      assert.deepEqual(read.get(first), once, first);
    }
  });

  it('the tables the build wrote beside the bundle are the ones the source derives', (t) => {
    if (!existsSync(new URL('main.js', bundleDir))) return t.skip('no bundle: run `npm run build` first');
    for (const [name, table] of Object.entries(deriveEntityTables())) {
      const file = new URL(`${name}.json`, bundleDir);
      assert.ok(existsSync(file), `dist/bundle/${name}.json is missing: run \`npm run build\``);
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), JSON.parse(JSON.stringify(table)), `dist/bundle/${name}.json is stale: run \`npm run build\``);
    }
  });
});
