/** Where stages report to; the CLI writes these to stderr. Stages themselves never print. */
export interface Reporter {
  /** Something the person should know, not a problem (silenced by --quiet). */
  info(message: string): void;
  warn(message: string): void;
  verbose(message: string): void;
  progress(done: number, total: number, failed: number): void;
}

export const SILENT_REPORTER: Reporter = { info() {}, warn() {}, verbose() {}, progress() {} };
