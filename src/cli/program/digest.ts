import { Option, type Command } from 'commander';
import { collect, globals } from './shared.js';

export function registerDigest(program: Command): void {
  program
    .command('digest')
    .description('fetch the feeds, match the watchlists and print the stories no earlier digest showed')
    .option('-w, --watchlist <name>', 'a watchlist to run (repeat for several; default: all)', collect, [])
    .option('--since <when>', 'show everything matched since a duration (24h, 7d) or date, instead of what is new')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-fetch', 'do not fetch; build the digest from what is stored')
    .addHelpText(
      'after',
      `
Examples:
  $ presswatch digest
  $ presswatch digest -w coree-russie --since 7d
  $ presswatch digest --format json | jq '.stories[].title'
  $ presswatch digest --no-fetch --since 2026-11-01

A digest marks its stories as shown once it is written out; the next plain
digest shows only newer ones. --since looks back without moving that mark.`,
    )
    .action(async (opts, cmd: Command) => (await import('../commands/digest.js')).digestCommand(opts, globals(cmd)));
}
