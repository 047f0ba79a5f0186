import { Option, type Command } from 'commander';
import { collect, globals } from './shared.js';

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description('fetch and match on an interval, printing new matching stories as they arrive')
    .option('-w, --watchlist <name>', 'a watchlist to watch (repeat for several; default: all)', collect, [])
    .option('-i, --interval <duration>', 'time between rounds (30s, 15m, 1h)', '15m')
    .addOption(new Option('-f, --format <format>', 'how stories are printed').choices(['text', 'ndjson']).default('text'))
    .option('--deliver', "also send new stories to each watchlist's destinations, every round")
    .option('--no-print', 'with --deliver: print no stories')
    .addHelpText(
      'after',
      `
Examples:
  $ presswatch watch
  $ presswatch watch -w coree-russie --interval 5m
  $ presswatch watch --format ndjson | jq -r .title
  $ presswatch watch --deliver --no-print --interval 30m

Each round fetches the feeds that are due: a feed's <ttl>, Cache-Control max-age
and Retry-After push its next fetch later. Stories are printed once, then marked
as shown (a later digest will not repeat them). Ctrl-C or SIGTERM stops after
the write in progress; a second Ctrl-C stops at once. With --deliver, a
destination that fails in one round gets what it missed in a later one.`,
    )
    .action(async (opts, cmd: Command) => (await import('../commands/watch.js')).watchCommand(opts, globals(cmd)));
}
