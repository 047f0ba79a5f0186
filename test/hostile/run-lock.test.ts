/**
 * The run lock: one run per data dir; stale locks (dead pid, unreadable file)
 * are taken over; a live one makes the second run wait, then fail clearly;
 * racing processes never both hold it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunError } from '../../src/errors.js';
import { acquireRunLock, LOCK_FILE_NAME, lockWaitMs } from '../../src/store/run-lock.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { FIXTURES, REPO_ROOT } from './support.js';

type HolderEvent = { event: 'acquired' | 'releasing' | 'refused'; pid: number; at?: number; message?: string };

/** A separate process that takes the lock, holds it `holdMs`, and reports what happened. */
function startHolder(dataDir: string, holdMs: number, waitMs: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(FIXTURES, 'hold-lock.ts'), dataDir, String(holdMs), String(waitMs)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const events: HolderEvent[] = [];
  let buffer = '';
  const listeners: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      events.push(JSON.parse(buffer.slice(0, nl)) as HolderEvent);
      buffer = buffer.slice(nl + 1);
      for (const l of listeners) l();
    }
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const firstEvent = () =>
    new Promise<HolderEvent>((resolve) => {
      if (events[0]) return resolve(events[0]);
      listeners.push(() => resolve(events[0]!));
    });
  return { child, events, exited, firstEvent };
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

test('a lock is a file holding pid, host and start time; release removes it', async (t) => {
  const dir = await makeTempDir(t, 'presswatch-lock-');
  const lock = await acquireRunLock(dir);
  const owner = JSON.parse(await readFile(join(dir, LOCK_FILE_NAME), 'utf8')) as { pid: number; host: string; startedAt: string };
  assert.equal(owner.pid, process.pid);
  assert.equal(owner.host, hostname());
  assert.ok(!Number.isNaN(Date.parse(owner.startedAt)));
  lock.release();
  lock.release();
  assert.ok(!existsSync(join(dir, LOCK_FILE_NAME)));
});

test('a stale lock (dead pid) and an old unreadable lock file are taken over', async (t) => {
  const dir = await makeTempDir(t, 'presswatch-lock-');
  const path = join(dir, LOCK_FILE_NAME);
  await writeFile(path, JSON.stringify({ pid: await deadPid(), host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 'dead' }));
  const first = await acquireRunLock(dir, { waitMs: 0 });
  assert.equal((JSON.parse(await readFile(path, 'utf8')) as { pid: number }).pid, process.pid);
  first.release();

  await writeFile(path, ''); // a run killed between creating the file and writing it
  const old = new Date(Date.now() - 60_000);
  await utimes(path, old, old);
  const second = await acquireRunLock(dir, { waitMs: 0 });
  second.release();
});

test('a live lock makes the second run wait for it, or give up with a clear RunError', async (t) => {
  const dir = await makeTempDir(t, 'presswatch-lock-');
  const holder = startHolder(dir, 1200, 0);
  t.after(() => holder.child.kill('SIGKILL'));
  const acquired = await holder.firstEvent();
  assert.equal(acquired.event, 'acquired');

  // Not waiting: refused at once, naming the pid, the file and when that run started.
  const started = Date.now();
  await assert.rejects(acquireRunLock(dir, { waitMs: 0 }), (e: unknown) => {
    assert.ok(e instanceof RunError);
    assert.equal(e.exitCode, 1);
    assert.match(e.message, new RegExp(`^another presswatch run \\(pid ${holder.child.pid}\\) holds ${join(dir, LOCK_FILE_NAME).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; it started at \\d{4}-\\d\\d-\\d\\dT`));
    return true;
  });
  assert.ok(Date.now() - started < 500);

  // Waiting long enough: gets it once the holder lets go, and is told about the wait.
  const told: string[] = [];
  const lock = await acquireRunLock(dir, { waitMs: 10_000, pollMs: 25, onWait: (m) => told.push(m) });
  const releasing = holder.events.find((e) => e.event === 'releasing');
  assert.ok(releasing, 'acquired only after the holder released');
  assert.equal(told.length, 1);
  assert.match(told[0]!, new RegExp(`waiting for another presswatch run \\(pid ${holder.child.pid}`));
  lock.release();
  await holder.exited;
});

test('the lock is released when the holder is ended by SIGTERM; after kill -9 the stale lock is taken over', async (t) => {
  const dir = await makeTempDir(t, 'presswatch-lock-');
  const path = join(dir, LOCK_FILE_NAME);
  const terminated = startHolder(dir, 60_000, 0);
  assert.equal((await terminated.firstEvent()).event, 'acquired');
  terminated.child.kill('SIGTERM');
  await terminated.exited;
  assert.equal(terminated.child.signalCode, 'SIGTERM', 'it still dies of the signal');
  assert.ok(!existsSync(path), 'released on SIGTERM');

  const killed = startHolder(dir, 60_000, 0);
  assert.equal((await killed.firstEvent()).event, 'acquired');
  killed.child.kill('SIGKILL');
  await killed.exited;
  assert.ok(existsSync(path), 'kill -9 leaves the file');
  const lock = await acquireRunLock(dir, { waitMs: 0 });
  lock.release();
});

test('six processes racing for a stale lock: exactly one holds it at any time', async (t) => {
  const dir = await makeTempDir(t, 'presswatch-lock-');
  await writeFile(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid: await deadPid(), host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 'dead' }));
  const holders = Array.from({ length: 6 }, () => startHolder(dir, 150, 20_000));
  t.after(() => {
    for (const h of holders) h.child.kill('SIGKILL');
  });
  await Promise.all(holders.map((h) => h.exited));
  const spans = holders.map((h) => {
    const from = h.events.find((e) => e.event === 'acquired')?.at;
    const to = h.events.find((e) => e.event === 'releasing')?.at;
    assert.ok(from && to, `holder ${h.child.pid}: ${JSON.stringify(h.events)}`);
    return [from, to] as const;
  });
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i]![0] >= spans[i - 1]![1], `overlap: ${JSON.stringify(spans)}`);
});

test('PRESSWATCH_LOCK_WAIT_MS sets the wait (0: do not wait); anything else falls back to a minute', () => {
  assert.equal(lockWaitMs({ PRESSWATCH_LOCK_WAIT_MS: '0' }), 0);
  assert.equal(lockWaitMs({ PRESSWATCH_LOCK_WAIT_MS: '2500' }), 2500);
  assert.equal(lockWaitMs({ PRESSWATCH_LOCK_WAIT_MS: 'soon' }), 60_000);
  assert.equal(lockWaitMs({}), 60_000);
});
