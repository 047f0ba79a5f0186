import type { Command } from 'commander';

/** Placeholder until the feeds commands land: registers nothing yet. */
export function registerFeeds(_program: Command): void {}
