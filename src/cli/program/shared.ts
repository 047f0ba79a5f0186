import { Help, type Command, type HelpConfiguration, type Option } from 'commander';
import type { GlobalOptions } from '../context.js';

/** Options of the command and of every parent: the global flags come along. */
export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** For repeatable options (`-w a -w b`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Help settings for the whole CLI (set on the root before any command is added,
 * so every command inherits them). A repeatable option's [] default only means
 * "none given": its help says nothing rather than "(default: [])".
 */
export const HELP_SETTINGS: HelpConfiguration = {
  optionDescription(this: Help, option: Option): string {
    const emptyList = Array.isArray(option.defaultValue) && option.defaultValue.length === 0;
    const shown: Option = emptyList ? Object.assign(Object.create(Object.getPrototypeOf(option) as object) as Option, option, { defaultValue: undefined }) : option;
    return Help.prototype.optionDescription.call(this, shown);
  },
};
