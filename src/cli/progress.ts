/**
 * The progress line on a terminal: phase, how far, elapsed time and an estimate
 * of what is left in the phase. Pure: the state and the clock come in, the line
 * goes out; src/cli/context.ts decides when to draw it (stderr, a TTY, not --quiet).
 */
import { PROGRESS_PHASES, type Progress } from '../pipeline/reporter.js';

export interface ProgressState {
  progress: Progress;
  /** When this run's first phase began (ms). */
  runStartedAt: number;
  /** When the current phase began (ms). */
  phaseStartedAt: number;
}

/** Below this much time in a phase, a rate says little: no estimate yet. */
const MIN_MS_FOR_ESTIMATE = 1_000;

const UNITS: Record<Progress['phase'], string> = { fetching: 'feeds', 'reading articles': 'pages', matching: 'watchlists', clustering: 'items' };

/**
 * The state after one update. A phase that comes earlier than the current one
 * starts a new run (watch runs one per round), so the elapsed time starts again.
 */
export function advanceProgress(state: ProgressState | null, progress: Progress, now: number): ProgressState {
  if (!state || PROGRESS_PHASES.indexOf(progress.phase) < PROGRESS_PHASES.indexOf(state.progress.phase)) return { progress, runStartedAt: now, phaseStartedAt: now };
  if (progress.phase !== state.progress.phase) return { progress, runStartedAt: state.runStartedAt, phaseStartedAt: now };
  return { ...state, progress };
}

/** Whether the phase is over (its line can be cleared). */
export function isPhaseDone(progress: Progress): boolean {
  return !progress.open && progress.done >= progress.total;
}

/**
 * `fetching: 54/500 feeds, 3 failed · 0:12 elapsed · about 1:40 left`, cut to fit
 * `columns` (the estimate goes first, then the elapsed time), so it never wraps.
 */
export function renderProgress(state: ProgressState, now: number, columns = 80): string {
  const { phase, done, total, open, failed } = state.progress;
  const parts = [`${phase}: ${done}/${total}${open ? '+' : ''} ${UNITS[phase]}${failed ? `, ${failed} failed` : ''}`, `${formatDuration(now - state.runStartedAt)} elapsed`];
  const inPhase = now - state.phaseStartedAt;
  if (!open && done > 0 && done < total && inPhase >= MIN_MS_FOR_ESTIMATE) parts.push(`about ${formatDuration((inPhase / done) * (total - done), true)} left`);
  const width = Math.max(columns - 1, 1);
  while (parts.length > 1 && parts.join(' · ').length > width) parts.pop();
  const line = parts.join(' · ');
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/** 0:07, 1:40, 1:02:03; a time left is rounded up, so a little left never reads 0:00. */
export function formatDuration(ms: number, roundUp = false): string {
  const seconds = Math.max(0, roundUp ? Math.ceil(ms / 1000) : Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
