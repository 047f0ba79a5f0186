/**
 * Typed errors that map to exit codes. Stages, stores and config throw these (or plain errors);
 * only src/cli/main.ts turns them into an exit code.
 *
 *   0  success, including "some feeds failed" and "nothing matched"
 *   1  the run itself failed (database unusable, output not writable, a bug)
 *   2  usage or configuration error (wrong flag, malformed watchlist)
 *   3  the digest was made, but a destination did not accept it (`--deliver`)
 */
export class PresswatchError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** A wrong flag, a missing argument, an unknown watchlist name. */
export class UsageError extends PresswatchError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** A configuration file that cannot be used: message names file, field path and fix. */
export class ConfigError extends PresswatchError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** The run could not do its job (database locked or corrupt, disk full...). */
export class RunError extends PresswatchError {
  constructor(message: string) {
    super(message, 1);
  }
}

/**
 * With `--deliver`: at least one destination failed. The run did the rest (other
 * destinations, stdout), each failure was reported, and the next run retries.
 */
export class DeliveryError extends PresswatchError {
  constructor(message: string) {
    super(message, 3);
  }
}

/** The store itself failed (disk full, connection lost): the run cannot go on, whichever feed it was on. */
export class StoreError extends RunError {
  constructor(message: string, cause?: unknown) {
    super(message);
    if (cause !== undefined) this.cause = cause;
  }
}

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_DELIVERY_FAILED = 3;
