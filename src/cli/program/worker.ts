import type { Command } from 'commander';
import { collect, globals } from './shared.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('fetch, store and scrape due feeds with leases, alongside other workers on one database')
    .option('-w, --watchlist <name>', 'only the feeds of this watchlist (repeat for several; default: all)', collect, [])
    .option('-c, --concurrency <n>', 'feeds fetched at once (default: the concurrency setting)')
    .option('--lease <duration>', "how long a claimed feed stays this worker's (another takes it after, if this one died)", '5m')
    .option('-i, --interval <duration>', 'fetch a feed again after this long when its publisher says nothing', '15m')
    .option('--once', 'stop when no feed is due (one full round), instead of running on')
    .addHelpText(
      'after',
      `
Examples:
  $ presswatch --database postgres://db/presswatch worker
  $ presswatch --database postgres://db/presswatch worker --concurrency 16 --lease 2m
  $ presswatch worker --once                # on SQLite too: one round of every due feed

Any number of workers, on any number of machines, share one PostgreSQL database
(docs/team.md): each claims due feeds with a lease, so none is fetched twice at
once, and a worker killed mid-run loses nothing (its feeds are taken by another
when the lease runs out). A feed's <ttl>, Cache-Control and Retry-After say when it
is due again. Watchlists are read again every round: edits need no restart.
Digests (presswatch digest --no-fetch) match and show what the workers stored.
SIGTERM or Ctrl-C finishes the feeds in hand, gives back the leases and stops.`,
    )
    .action(async (opts, cmd: Command) => (await import('../commands/worker.js')).workerCommand(opts, globals(cmd)));
}
