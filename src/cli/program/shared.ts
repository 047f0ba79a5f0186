import type { Command } from 'commander';
import type { GlobalOptions } from '../context.js';

/** Options of the command and of every parent: the global flags come along. */
export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** For repeatable options (`-w a -w b`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
