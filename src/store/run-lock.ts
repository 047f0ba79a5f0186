/**
 * One presswatch run at a time per data dir. SQLite alone would keep two runs
 * from corrupting the database, but not from fetching the same feeds twice and
 * printing the same stories in two digests; the lock makes the second run wait.
 *
 * The lock is a file created with O_EXCL (`presswatch.lock` in the data dir)
 * holding the owner's pid, host, start time and a random token. A lock whose pid
 * is dead on this host (a run killed with -9, a crash) is stale and taken over.
 * A live one makes the caller poll until `waitMs` runs out, then fail with a
 * RunError naming the pid, the file and when that run started.
 *
 * Why not proper-lockfile (tried against test/hostile/run-lock.test.ts): it judges
 * a lock stale by its age (an mtime it refreshes; 10 s by default, 2 s at least),
 * not by its owner, so after kill -9 the next run is refused for that long instead
 * of taking over at once; and its lock is a bare directory with no owner in it, so
 * neither the wait message nor the refusal can name the pid or when that run started
 * ("Lock file is already being held"). Both are behaviours the tests require.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunError } from '../errors.js';

export const LOCK_FILE_NAME = 'presswatch.lock';

export interface RunLock {
  /** The lock file. */
  readonly path: string;
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): void;
}

export interface RunLockOptions {
  /** How long to wait for a live run to finish before giving up (0: fail at once). */
  waitMs?: number;
  /** How often to look again while waiting. */
  pollMs?: number;
  /** Told once, when a live run is found and waiting begins (the CLI says it on stderr). */
  onWait?: (message: string) => void;
  /**
   * Release the lock and die on SIGINT/SIGTERM/SIGHUP (default true). A command that
   * handles those itself to stop gracefully (watch) passes false and releases in `finally`.
   */
  releaseOnSignal?: boolean;
}

/** How long the CLI waits for another run: PRESSWATCH_LOCK_WAIT_MS (0 = fail at once), default one minute. */
export function lockWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env['PRESSWATCH_LOCK_WAIT_MS']);
  return env['PRESSWATCH_LOCK_WAIT_MS'] !== undefined && Number.isInteger(value) && value >= 0 ? value : 60_000;
}

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  token: string;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const heldTokens = new Set<string>();

export async function acquireRunLock(dataDir: string, options: RunLockOptions = {}): Promise<RunLock> {
  const path = join(dataDir, LOCK_FILE_NAME);
  const waitMs = options.waitMs ?? 0;
  const pollMs = options.pollMs ?? 200;
  const deadline = Date.now() + waitMs;
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new RunError(`store: cannot create data dir ${dataDir}: ${describe(error)}`);
  }
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  let told = false;
  for (;;) {
    if (tryCreate(path, me)) return holdLock(path, me, options.releaseOnSignal ?? true);
    const owner = readOwner(path);
    if (owner === 'gone') continue; // released between our attempt and our look: try again at once
    if (owner === null ? isOldFile(path, 2000) : isStale(owner)) {
      removeStale(path, owner);
      continue;
    }
    if (Date.now() >= deadline) {
      if (owner === null) throw new RunError(`another presswatch run is creating ${path}; try again, or delete the file if no presswatch is running.`);
      const waited = waitMs > 0 ? ` (waited ${Math.round(waitMs / 1000)} s)` : '';
      throw new RunError(
        `another presswatch run (pid ${owner.pid}${owner.host === me.host ? '' : ` on ${owner.host}`}) holds ${path}; it started at ${owner.startedAt}${waited}. ` +
          `Let it finish, or delete the file if no presswatch is running.`,
      );
    }
    if (!told && owner !== null) {
      told = true;
      options.onWait?.(`waiting for another presswatch run (pid ${owner.pid}, started at ${owner.startedAt}) to finish, at most ${Math.round(waitMs / 1000)} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(1, deadline - Date.now()))));
  }
}

function tryCreate(path: string, me: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new RunError(`store: cannot create lock file ${path}: ${describe(error)}`);
  }
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
  } catch (error) {
    closeSync(fd);
    unlinkQuietly(path);
    throw new RunError(`store: cannot write lock file ${path}: ${describe(error)}`);
  }
  closeSync(fd);
  return true;
}

/** The owner, `null` for a file we cannot make sense of, `gone` when it vanished. */
function readOwner(path: string): LockOwner | null | 'gone' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw new RunError(`store: cannot read lock file ${path}: ${describe(error)}`);
  }
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && Number.isInteger(value.pid) && value.pid > 0) {
      return { pid: value.pid, host: String(value.host ?? ''), startedAt: String(value.startedAt ?? 'an unknown time'), token: String(value.token ?? '') };
    }
  } catch {
    // fall through
  }
  // An empty or half-written file: its writer died between open and write (or is writing now).
  return null;
}

function isStale(owner: LockOwner): boolean {
  // A run on another machine (a shared data dir) cannot be probed: assume it lives.
  if (owner.host && owner.host !== hostname()) return false;
  // Our own pid: live if this process holds that lock, else a dead run's pid came back to us.
  if (owner.pid === process.pid) return !heldTokens.has(owner.token);
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Two runs may find the same stale lock at once. Each moves it to a name of its
 * own first: rename is atomic, so only one of them takes it away. If what was
 * moved is not the lock that was judged stale (a third run replaced it in the
 * meantime), it is linked back, which fails rather than overwrite a newer lock.
 */
function removeStale(path: string, seen: LockOwner | null): void {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // another run removed it first
  }
  const moved = readOwnerQuietly(aside);
  const same = moved === null ? seen === null : seen !== null && moved.token === seen.token && moved.pid === seen.pid;
  if (!same) {
    try {
      linkSync(aside, path);
    } catch {
      // a lock exists again at `path`; the moved one's owner has lost its file (see docs/security.md)
    }
  }
  unlinkQuietly(aside);
}

function readOwnerQuietly(path: string): LockOwner | null {
  try {
    const owner = readOwner(path);
    return owner === 'gone' ? null : owner;
  } catch {
    return null;
  }
}

/** An unreadable lock is one being written right now, or the remains of a run that died in between. */
function isOldFile(path: string, ageMs: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ageMs;
  } catch {
    return true;
  }
}

function holdLock(path: string, me: LockOwner, releaseOnSignal: boolean): RunLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldTokens.delete(me.token);
    process.removeListener('exit', release);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    const owner = readOwnerQuietly(path);
    if (owner && owner.token === me.token) unlinkQuietly(path);
  };
  // A signal's default action would skip 'exit' handlers: release, then die of the same signal.
  const onSignal = (signal: NodeJS.Signals) => {
    release();
    process.kill(process.pid, signal);
  };
  heldTokens.add(me.token);
  process.once('exit', release);
  if (releaseOnSignal) for (const signal of SIGNALS) process.once(signal, onSignal);
  return { path, release };
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function describe(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  const hints: Record<string, string> = {
    EACCES: 'permission denied: the data dir is not writable by this user (choose another with --data-dir)',
    EPERM: 'operation not permitted: the data dir is not writable (choose another with --data-dir)',
    EROFS: 'read-only file system (choose another --data-dir)',
    ENOSPC: 'no space left on the device',
    ENOTDIR: 'a part of the path is a file, not a directory',
  };
  if (err.code && hints[err.code]) return hints[err.code]!;
  return err.code ? `${err.code} (${err.message.replace(/^[A-Z]+: /, '')})` : String(err?.message ?? error);
}
