import { resolveLocations, type Locations } from '../config/paths.js';
import type { Reporter } from '../pipeline.js';
// Warnings quote feeds and servers (an HTTP reason phrase, a parse error): strip their escape sequences too.
import { toTerminalSafe } from '../digest/safe-text.js';
import { RunError } from '../errors.js';
import { advanceProgress, isPhaseDone, renderProgress, type ProgressState } from './progress.js';

/** Options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  dataDir?: string;
  database?: string;
  configDir?: string;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
}

export interface Context {
  locations: Locations;
  reporter: Reporter;
  global: GlobalOptions;
  /** Colour on stdout: a TTY, no NO_COLOR, and no --no-color. FORCE_COLOR forces it. */
  color: boolean;
}

export function createContext(global: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Context {
  const locations = resolveLocations({ dataDir: global.dataDir, configDir: global.configDir, database: global.database }, env);
  return { locations, reporter: stderrReporter(global), global, color: wantsColor(global, env) };
}

function wantsColor(global: GlobalOptions, env: NodeJS.ProcessEnv): boolean {
  if (global.color === false) return false;
  if (env['FORCE_COLOR'] && env['FORCE_COLOR'] !== '0') return true;
  if (env['NO_COLOR']) return false;
  return Boolean(process.stdout.isTTY);
}

/** How often the progress line is redrawn at most (phase changes and ends are drawn at once). */
const PROGRESS_REDRAW_MS = 100;

/** Progress, warnings and verbose logs go to stderr; stdout carries only the digest. */
export function stderrReporter(global: GlobalOptions): Reporter {
  const interactive = Boolean(process.stderr.isTTY) && !global.quiet;
  let progressShown = false;
  let progressState: ProgressState | null = null;
  let drawnAt = 0;
  const clearProgress = () => {
    if (progressShown) {
      process.stderr.write('\r\x1b[2K');
      progressShown = false;
    }
  };
  return {
    info(message) {
      if (global.quiet) return;
      clearProgress();
      process.stderr.write(`presswatch: ${toTerminalSafe(message)}\n`);
    },
    warn(message) {
      clearProgress();
      process.stderr.write(`presswatch: warning: ${toTerminalSafe(message)}\n`);
    },
    verbose(message) {
      if (!global.verbose) return;
      clearProgress();
      process.stderr.write(`presswatch: ${toTerminalSafe(message)}\n`);
    },
    progress(progress) {
      if (!interactive) return;
      const now = Date.now();
      const phaseChanged = progressState?.progress.phase !== progress.phase;
      progressState = advanceProgress(progressState, progress, now);
      if (isPhaseDone(progress)) return clearProgress();
      if (!phaseChanged && progressShown && now - drawnAt < PROGRESS_REDRAW_MS) return;
      process.stderr.write(`\r\x1b[2K${renderProgress(progressState, now, process.stderr.columns || 80)}`);
      progressShown = true;
      drawnAt = now;
    },
  };
}

/** Writes to stdout and resolves once the data is handed to the OS (so delivery can be recorded after). */
export function writeStdout(text: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  }).catch((error: NodeJS.ErrnoException) => {
    // EPIPE (`| head`) is handled in main.ts; a full disk or a closed file is the run's failure, said plainly.
    if (error.code === 'EPIPE') throw error;
    throw new RunError(`output: cannot write the digest to stdout: ${error.code === 'ENOSPC' ? 'no space left on the device' : error.message}`);
  });
}

/**
 * For long-running commands: the first Ctrl-C or SIGTERM aborts the returned
 * signal so the command can finish the write in progress and return; a second
 * one restores the default handler and re-raises, which ends the process at once.
 */
export function trapShutdown(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      controller.abort(signal);
      return;
    }
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.kill(process.pid, signal);
  };
  // A library hook that re-raises the signal to die at once (conf's atomically, through when-exit)
  // would cut the graceful stop short: while this command runs, it owns these two signals.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
