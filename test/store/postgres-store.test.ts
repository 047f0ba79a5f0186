/**
 * What only the PostgreSQL store has: versioned migrations under an advisory
 * lock (processes starting together), refusing a newer schema, and clear errors
 * for a server that is not there. Behaviour shared with SQLite is in the contract.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import pg from 'pg';
import { RunError, UsageError } from '../../src/errors.js';
import { openStore } from '../../src/store/open-store.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres-migrations.js';
import { openPostgresStore } from '../../src/store/postgres-store.js';
import { makeTestSchema, STORE_BACKENDS } from '../helpers/stores.js';
import { makeItem, okRecord } from './fixtures.js';

const postgres = STORE_BACKENDS.find((b) => b.name === 'postgres')!;

async function query(url: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL store: schema', { skip: postgres.skip }, () => {
  it('five processes opening a new database at once: one migrates, all work, the version is recorded once', async (t) => {
    const url = await makeTestSchema(t);
    const stores = await Promise.all(Array.from({ length: 5 }, () => openPostgresStore(url, { maxConnections: 1 })));
    t.after(() => Promise.all(stores.map((s) => s.close())));
    await Promise.all(stores.map((s, n) => s.saveFetch({ url: `https://f${n}.example/rss`, label: null, status: 'ok', httpStatus: 200, error: null, fetchedAt: '2026-11-20T10:00:00.000Z' }, [])));
    assert.equal((await stores[0]!.listFeeds()).length, 5);
    assert.deepEqual(await query(url, 'SELECT version FROM presswatch_schema'), [{ version: POSTGRES_MIGRATIONS.length }]);
    const configs = await query(url, "SELECT cfgname FROM pg_ts_config WHERE cfgname LIKE 'presswatch_%' AND cfgnamespace = current_schema()::regnamespace ORDER BY cfgname");
    assert.deepEqual(
      configs.map((r) => r['cfgname']),
      ['presswatch_french', 'presswatch_simple'],
    );
  });

  it('a database from a newer presswatch is refused, untouched, and the message hides the password', async (t) => {
    const url = await makeTestSchema(t);
    await (await openPostgresStore(url)).close();
    await query(url, 'UPDATE presswatch_schema SET version = $1', [POSTGRES_MIGRATIONS.length + 2]);
    const withPassword = new URL(url);
    withPassword.password = 'hunter2';
    await assert.rejects(openPostgresStore(withPassword.toString()), (error: unknown) => {
      assert.ok(error instanceof RunError);
      assert.equal(error.exitCode, 1);
      assert.match(error.message, new RegExp(`newer presswatch \\(schema ${POSTGRES_MIGRATIONS.length + 2}, this one knows ${POSTGRES_MIGRATIONS.length}\\); upgrade presswatch or use another --database$`));
      assert.ok(!error.message.includes('hunter2'), error.message);
      assert.match(error.message, /\*\*\*@/);
      return true;
    });
    assert.deepEqual(await query(url, 'SELECT version FROM presswatch_schema'), [{ version: POSTGRES_MIGRATIONS.length + 2 }]);
  });
});

describe('PostgreSQL store: processes sharing one database', { skip: postgres.skip }, () => {
  it('two processes claiming the same new stories split them; a process that dies lets go of its own', async (t) => {
    const url = await makeTestSchema(t);
    const [a, b] = await Promise.all([openPostgresStore(url), openPostgresStore(url)]);
    t.after(() => Promise.all([a.close(), b.close()]));
    const items = Array.from({ length: 6 }, (_, n) => makeItem(n + 1));
    await a.saveFetch(okRecord(), items);
    const ids = items.map((i) => i.id);
    const [mine, theirs] = await Promise.all([a.claimStories('w', ids), b.claimStories('w', [...ids].reverse())]);
    assert.deepEqual([...mine, ...theirs].sort(), [...ids].sort(), 'every story held by exactly one');
    // a shows and delivers its share; b's share is still b's until it lets go.
    await a.markDelivered('w', mine, '2026-11-20T12:00:00.000Z');
    assert.deepEqual(await a.claimStories('w', ids), [], 'delivered or held elsewhere');
    await b.close();
    assert.deepEqual((await a.claimStories('w', ids)).sort(), [...theirs].sort(), "b's share is free again once b is gone");
  });

  it('exclusive: a second process waits for the lock, then runs', async (t) => {
    const url = await makeTestSchema(t);
    const [a, b] = await Promise.all([openPostgresStore(url), openPostgresStore(url)]);
    t.after(() => Promise.all([a.close(), b.close()]));
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = a.exclusive('match:w', async () => {
      order.push('a in');
      entered();
      await held;
      order.push('a out');
    });
    await inside;
    const second = b.exclusive('match:w', async () => void order.push('b'));
    const other = b.exclusive('match:other', async () => void order.push('other lock'));
    await other;
    await new Promise((r) => setTimeout(r, 100));
    release();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['a in', 'other lock', 'a out', 'b']);
  });
});

describe('PostgreSQL store: no server', () => {
  it('a server that refuses the connection is a RunError naming the database (no password)', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    await assert.rejects(openPostgresStore(`postgres://someone:secret@127.0.0.1:${port}/presswatch`), (error: unknown) => {
      assert.ok(error instanceof RunError);
      assert.match(error.message, new RegExp(`^store: cannot open database postgres://someone:\\*\\*\\*@127\\.0\\.0\\.1:${port}/presswatch: `));
      return true;
    });
  });

  it('--database must be a postgres:// URL', async () => {
    await assert.rejects(openStore({ databaseUrl: 'mysql://db.example/x', databaseFile: 'unused' }), (error: unknown) => error instanceof UsageError && /postgres:\/\//.test(error.message));
  });
});
