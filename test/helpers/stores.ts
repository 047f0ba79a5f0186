/**
 * The two stores, for tests that must hold on both: SQLite in a temp dir, and
 * PostgreSQL in a schema of its own per test, dropped afterwards.
 *
 * PostgreSQL is looked for at PRESSWATCH_TEST_DATABASE_URL (default: the local
 * server, database `test`). Without it the PostgreSQL tests are skipped, with one
 * line per test run saying why; under CI=true a missing server fails instead.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describeDatabaseUrl } from '../../src/store/database-url.js';
import { openStore, type StoreLocation } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from './temp-dir.js';

export const TEST_DATABASE_URL = process.env['PRESSWATCH_TEST_DATABASE_URL'] || `postgres://${encodeURIComponent(process.env['PGUSER'] || userInfo().username)}@127.0.0.1:5432/test`;

/** Where a test registers its clean-up: a test's context, or suiteHooks() for a whole suite. */
export interface Hooks {
  after(fn: () => unknown): void;
}

/** after() hooks for a whole suite: collected here, run (last first) from the suite's own after(). */
export function suiteHooks(): Hooks & { run(): Promise<void> } {
  const pending: (() => unknown)[] = [];
  return {
    after: (fn) => void pending.push(fn),
    async run() {
      while (pending.length > 0) await pending.pop()!();
    },
  };
}

export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  /** Why this backend's tests are skipped on this machine, or false. */
  skip: string | false;
  /** A fresh, empty store location, removed after the test. */
  location(t: Hooks): Promise<StoreLocation>;
}

/** Why PostgreSQL cannot be used here, or false when it answers. */
async function probePostgres(): Promise<string | false> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return false;
  } catch (error) {
    const cause = error instanceof AggregateError ? error.errors[0] : error;
    return `no server at ${describeDatabaseUrl(TEST_DATABASE_URL)} (${(cause as Error)?.message || String(cause)})`;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The skip reason of the PostgreSQL tests. Every test file runs in a process of its own: the
 * first to find the server absent says why in one line (a marker file per test run, named after
 * the runner's pid, tells the others), and each skipped test carries a short reason only.
 */
async function postgresSkipReason(): Promise<string | false> {
  const absent = await probePostgres();
  if (!absent) return false;
  const line = `PostgreSQL tests skipped: ${absent}; start PostgreSQL or set PRESSWATCH_TEST_DATABASE_URL`;
  if (process.env['CI'] === 'true') throw new Error(`PostgreSQL tests cannot run: ${absent}; under CI=true they must (start PostgreSQL or set PRESSWATCH_TEST_DATABASE_URL)`);
  try {
    writeFileSync(join(tmpdir(), `presswatch-test-postgres-absent-${process.ppid}`), `${line}\n`, { flag: 'wx' });
    process.stderr.write(`${line}\n`);
  } catch {
    // Another test file of this run has said it.
  }
  return 'PostgreSQL absent';
}

const postgresSkip = await postgresSkipReason();

/** A new schema in the test database, as a URL whose connections use it; dropped after the test. */
export async function makeTestSchema(t: Hooks): Promise<string> {
  const schema = `pw_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  t.after(async () => {
    const dropper = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await dropper.connect();
    try {
      // Connections the test left open (a process it killed, a store not yet closed) would hold the drop.
      await dropper.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [schema]);
      await dropper.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await dropper.end();
    }
  });
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', schema);
  return url.toString();
}

export const STORE_BACKENDS: readonly StoreBackend[] = [
  {
    name: 'sqlite',
    skip: false,
    async location(t) {
      return { databaseUrl: null, databaseFile: join(await makeTempDir(t), 'presswatch.db') };
    },
  },
  {
    name: 'postgres',
    skip: postgresSkip,
    async location(t) {
      return { databaseUrl: await makeTestSchema(t), databaseFile: join(await makeTempDir(t), 'unused.db') };
    },
  },
];

/** Opens a fresh store of `backend`, closed after the test. */
export async function openTestStore(t: Hooks, backend: StoreBackend): Promise<Store> {
  const store = await openStore(await backend.location(t));
  t.after(() => store.close());
  return store;
}

/** CLI arguments that point the command line at this location's store. */
export function databaseArgs(location: StoreLocation): string[] {
  return location.databaseUrl === null ? [] : ['--database', location.databaseUrl];
}

/** Rows of a query run straight on the location's database (for checks the Store does not offer). */
export async function readRows<T = Record<string, unknown>>(location: StoreLocation, sql: string): Promise<T[]> {
  if (location.databaseUrl === null) {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(location.databaseFile, { readonly: true });
    try {
      if (db.pragma('integrity_check', { simple: true }) !== 'ok') throw new Error(`${location.databaseFile}: integrity_check failed`);
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: location.databaseUrl });
  await client.connect();
  try {
    // count(*) and bigint come back as strings from node-postgres: numbers, like SQLite's.
    return (await client.query(sql)).rows.map((row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^(n|seq|count)$/.test(k) ? Number(v) : v]))) as T[];
  } finally {
    await client.end();
  }
}
