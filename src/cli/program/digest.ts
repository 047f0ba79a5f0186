import { Option, type Command } from 'commander';
import { DIGEST_FORMATS } from '../../digest/formats.js';
import { collect, globals } from './shared.js';

export function registerDigest(program: Command): void {
  program
    .command('digest')
    .description('fetch the feeds, match the watchlists and print the stories no earlier digest showed')
    .option('-w, --watchlist <name>', 'a watchlist to run (repeat for several; default: all)', collect, [])
    .option('--since <when>', 'show everything matched since a duration (24h, 7d) or date, instead of what is new')
    .addOption(new Option('-f, --format <format>', 'output format').choices(DIGEST_FORMATS).default('text'))
    .addOption(new Option('--sort <order>', 'within each watchlist: newest first, or most relevant first (default: score for a watchlist made from a seed, else date)').choices(['date', 'score']))
    .option('--min-score <n>', "leave out stories whose relevance score (0-1) is below n (default: the watchlist's reference.minScore, if any)")
    .option('-o, --output <file>', 'write the digest to a file (atomically) instead of stdout')
    .option('--save', 'also keep a copy per watchlist in the data dir (digests/<watchlist>/<date>.<ext>)')
    .option('--no-fetch', 'do not fetch; build the digest from what is stored')
    .addHelpText(
      'after',
      `
Examples:
  $ presswatch digest
  $ presswatch digest -w coree-russie --since 7d --sort score
  $ presswatch digest --format json | jq '.stories[].title'
  $ presswatch digest --format ndjson | jq -r 'select(.type=="story") | .url'
  $ presswatch digest --format html -o ~/digest.html
  $ presswatch digest --format markdown --save
  $ presswatch digest --no-fetch --since 2026-11-01

A digest marks its stories as shown once it is written out (and saved, with
--save); the next plain digest shows only newer ones. --since looks back
without moving that mark.`,
    )
    .action(async (opts, cmd: Command) => (await import('../commands/digest.js')).digestCommand(opts, globals(cmd)));
}
