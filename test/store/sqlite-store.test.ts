import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { RunError } from '../../src/errors.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { FEED, makeItem, okRecord } from './fixtures.js';

describe('openSqliteStore: schema', () => {
  it('migrations run and set user_version; reopening keeps the data', async (t) => {
    const file = join(await makeTempDir(t), 'nested', 'presswatch.db');
    const store = openSqliteStore(file);
    await store.saveFetch(okRecord(), [makeItem(1)]);
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
      for (const table of ['deliveries', 'feeds', 'items', 'matches', 'watchlist_state']) assert.ok(tables.includes(table), table);
    } finally {
      db.close();
    }
    const again = openSqliteStore(file);
    try {
      assert.equal((await again.getFeedState(FEED))?.itemCount, 1);
    } finally {
      await again.close();
    }
  });

  it('a database from a newer presswatch is refused with a clear RunError', async (t) => {
    const file = join(await makeTempDir(t), 'future.db');
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    assert.throws(
      () => openSqliteStore(file),
      (error: unknown) => {
        assert.ok(error instanceof RunError);
        assert.equal(error.exitCode, 1);
        assert.match(error.message, /^store: /);
        assert.ok(error.message.includes(file), 'names the file');
        assert.match(error.message, new RegExp(`newer presswatch \\(schema ${MIGRATIONS.length + 1}, this one knows ${MIGRATIONS.length}\\)`));
        assert.match(error.message, /--data-dir/);
        return true;
      },
    );
    const check = new Database(file, { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), MIGRATIONS.length + 1, 'the newer database is left untouched');
    check.close();
  });

  it('a file that is not a database is a RunError naming the file', async (t) => {
    const file = join(await makeTempDir(t), 'garbage.db');
    await writeFile(file, 'ceci n’est pas une base de données, '.repeat(200));
    assert.throws(
      () => openSqliteStore(file),
      (error: unknown) => error instanceof RunError && error.message.includes(file) && /cannot open database/.test(error.message),
    );
  });
});
