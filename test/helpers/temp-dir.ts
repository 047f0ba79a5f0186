import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

/** A fresh directory under the OS temp dir; call `remove` in an `after` hook. */
export async function createTempDir(prefix = 'presswatch-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A fresh directory removed when the test `t` ends. */
export async function makeTempDir(t: { after(fn: () => Promise<void> | void): void }, prefix?: string): Promise<string> {
  const dir = await createTempDir(prefix);
  t.after(() => dir.remove());
  return dir.path;
}
