/** Where stages report to; the CLI writes these to stderr. Stages themselves never print. */
export interface Reporter {
  /** Something the person should know, not a problem (silenced by --quiet). */
  info(message: string): void;
  warn(message: string): void;
  verbose(message: string): void;
  /** How far the run is; the CLI draws it as one line on a terminal (src/cli/progress.ts). */
  progress(progress: Progress): void;
}

/** The phases of a run, in the order they come. */
export const PROGRESS_PHASES = ['fetching', 'reading articles', 'matching', 'clustering'] as const;
export type ProgressPhase = (typeof PROGRESS_PHASES)[number];

export interface Progress {
  phase: ProgressPhase;
  /** Units done in this phase: feeds, article pages, watchlists, matched items. */
  done: number;
  total: number;
  /** More may come after `total` (work read page by page, whose end is not known yet). */
  open?: boolean;
  failed?: number;
}

export const SILENT_REPORTER: Reporter = { info() {}, warn() {}, verbose() {}, progress() {} };
