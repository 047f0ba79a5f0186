import type { Command } from 'commander';

/** Placeholder until the watchlist commands land: registers nothing yet. */
export function registerWatchlist(_program: Command): void {}
