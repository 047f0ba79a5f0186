import type { Command } from 'commander';
import { globals } from './shared.js';

const load = () => import('../commands/archive.js');

export function registerArchive(program: Command): void {
  const archive = program
    .command('archive')
    .description('what the database keeps: statistics, and pruning by the retention settings')
    .addHelpText(
      'after',
      `
Examples:
  $ presswatch archive stats
  $ presswatch archive prune --dry-run
  $ presswatch config set keepUnmatchedDays 14

Retention settings (presswatch config set KEY DAYS; 0 keeps forever):
  keepUnmatchedDays  items no watchlist matched (default 30)
  keepMatchedDays    matched items and their stories (default 365)
  keepDigestsDays    digests saved with --save (default 0: forever)

Every digest, watch round and worker round prunes by itself, for at most a couple
of seconds; docs/retention.md says what a pruned item leaves behind. With
--database, these commands act on the PostgreSQL database.`,
    );

  archive
    .command('prune')
    .description('remove what the retention settings no longer keep, and give the space back')
    .option('--older-than <duration>', 'remove every item first stored longer ago than this (90d, 12w), matched or not')
    .option('--dry-run', 'say what would be removed, change nothing')
    .option('--json', 'as a JSON object')
    .addHelpText(
      'after',
      `
Examples:
  $ presswatch archive prune
  $ presswatch archive prune --dry-run
  $ presswatch archive prune --older-than 90d

A story goes whole, once its newest item is old enough. A pruned item that its
feed still carries leaves a tombstone, so it is never stored or shown again; a
story already shown keeps its keys, so a later copy of it stays unshown.
The SQLite file is rewritten (VACUUM) when a tenth of it or more is free; on
PostgreSQL, autovacuum makes the space reusable.`,
    )
    .action(async (opts, cmd: Command) => (await load()).archivePruneCommand(opts, globals(cmd)));

  archive
    .command('stats')
    .description('items, matched items, stories, tombstones per feed and in total, and what each part of the file weighs')
    .option('--json', 'as a JSON object')
    .addHelpText('after', "\nExamples:\n  $ presswatch archive stats\n  $ presswatch archive stats --json | jq '.feeds | sort_by(-.items) | .[0:5]'")
    .action(async (opts, cmd: Command) => (await load()).archiveStatsCommand(opts, globals(cmd)));
}
