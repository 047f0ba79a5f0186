import type { Command } from 'commander';

/** Placeholder until the extract commands land: registers nothing yet. */
export function registerExtract(_program: Command): void {}
