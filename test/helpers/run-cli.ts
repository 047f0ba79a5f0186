import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/presswatch.js', import.meta.url));
const BUILT_ENTRY = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Throws with the fix when the CLI has not been compiled: the e2e tests run the built bin, not the sources. */
export function assertBuilt(): void {
  if (!existsSync(BUILT_ENTRY)) throw new Error(`${BUILT_ENTRY} is missing: run \`npm run build\` before the e2e tests`);
}

/**
 * Spawns `node bin/presswatch.js` with its own --data-dir and --config-dir (so
 * the real home is never touched) and collects stdout, stderr and the exit code.
 */
export function runCli(args: readonly string[], dirs: { dataDir: string; configDir: string }, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
  delete env['FORCE_COLOR'];
  delete env['PRESSWATCH_DATA_DIR'];
  delete env['PRESSWATCH_DATABASE_URL'];
  delete env['PRESSWATCH_CONFIG_DIR'];
  const child = spawn(process.execPath, [BIN, '--data-dir', dirs.dataDir, '--config-dir', dirs.configDir, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code });
    });
  });
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Polls `predicate` every 50 ms for up to `ms`, then fails naming `what` with stderr so far. */
  waitFor(predicate: () => boolean, what: string, ms?: number): Promise<void>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** A long-running command (`watch`), started the way runCli starts one; killed when the test `t` ends. */
export function startCli(t: { after(fn: () => Promise<void> | void): void }, args: readonly string[], dirs: { dataDir: string; configDir: string }, env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, '--data-dir', dirs.dataDir, '--config-dir', dirs.configDir, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => void child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async waitFor(predicate, what, ms = 10_000) {
      for (let waited = 0; waited < ms && !predicate(); waited += 50) await new Promise((r) => setTimeout(r, 50));
      if (!predicate()) throw new Error(`timed out waiting for ${what}; stderr: ${stderr}`);
    },
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
