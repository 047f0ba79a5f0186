/**
 * Wall time and peak memory of a child process. Peak RSS comes from GNU time's
 * `-v` report (the kernel's ru_maxrss of the largest descendant) when
 * /usr/bin/time exists, else from polling /proc/<pid>/status VmHWM, which can
 * miss a last spike between two polls.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measurement {
  wallMs: number;
  /** Peak resident set size in MiB, or null when it could not be read. */
  peakRssMiB: number | null;
  /** User + system CPU time in ms (GNU time only, else null): steadier than wall time on a loaded machine. */
  cpuMs: number | null;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface MeasureOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Killed (SIGKILL) after this long; the measurement says timedOut. */
  timeoutMs?: number;
}

const GNU_TIME = '/usr/bin/time';
const hasGnuTime = existsSync(GNU_TIME);

/** Spawns `command args`, waits for it, and reports how long it ran and its peak RSS. */
export async function measureCommand(command: string, args: readonly string[], options: MeasureOptions = {}): Promise<Measurement> {
  const scratch = hasGnuTime ? await mkdtemp(join(tmpdir(), 'presswatch-measure-')) : null;
  const report = scratch ? join(scratch, 'time.txt') : null;
  const [file, argv] = report ? [GNU_TIME, ['-v', '-o', report, command, ...args]] : [command, [...args]];
  const started = process.hrtime.bigint();
  const child = spawn(file, argv, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  let polledKiB = 0;
  const poll = report ? null : setInterval(() => void readVmHwm(child.pid).then((kib) => (polledKiB = Math.max(polledKiB, kib))), 20);
  let timedOut = false;
  const timer = options.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, options.timeoutMs)
    : null;
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (poll) clearInterval(poll);
  if (timer) clearTimeout(timer);

  let peakKiB: number | null = polledKiB || null;
  let cpuMs: number | null = null;
  if (report && scratch) {
    const text = await readFile(report, 'utf8').catch(() => '');
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
    peakKiB = m ? Number(m[1]) : null;
    const user = /User time \(seconds\): ([\d.]+)/.exec(text);
    const system = /System time \(seconds\): ([\d.]+)/.exec(text);
    if (user && system) cpuMs = (Number(user[1]) + Number(system[1])) * 1000;
    await rm(scratch, { recursive: true, force: true });
  }
  return {
    wallMs,
    peakRssMiB: peakKiB === null ? null : peakKiB / 1024,
    cpuMs,
    exitCode,
    stdout: Buffer.concat(out).toString('utf8'),
    // GNU time writes "Command exited with non-zero status" to its -o file, not here.
    stderr: Buffer.concat(err).toString('utf8'),
    timedOut,
  };
}

async function readVmHwm(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) : 0;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
