import { Option, type Command } from 'commander';
import { DIGEST_FORMATS } from '../../digest/formats.js';
import { collect, globals } from './shared.js';

export function registerSearch(program: Command): void {
  program
    .command('search <query>')
    .description('full-text search over everything stored, with the watchlist query language')
    .option('--since <when>', 'only items dated after a duration (24h, 30d) or date')
    .option('-w, --watchlist <name>', 'only the feeds of this watchlist (repeatable)', collect, [])
    .option('-n, --limit <n>', 'at most this many stories (copies with --no-fold)', '50')
    .option('--no-fold', 'show every matching copy, not one entry per story with "also in"')
    .addOption(new Option('-f, --format <format>', 'output format').choices(DIGEST_FORMATS).default('text'))
    .addHelpText(
      'after',
      `
The query language is the one of watchlist rules (docs/watchlists.md): words,
"quoted phrases", AND, OR, NOT, parentheses, NEAR/n, title:, and suffix
wildcards (aérien*). Matching is case- and accent-insensitive and finds
plurals and feminine forms. Nothing is fetched and nothing is marked as shown.
Copies of one story from several outlets are folded into one entry, the earliest
copy, with "also in" naming the others, as in a digest; --no-fold lists each copy.

Examples:
  $ presswatch search Wonsan
  $ presswatch search '"accord de défense" AND (Russie OR Moscou)' --since 30d
  $ presswatch search 'title:Pyongyang AND NOT football' --format json | jq '.stories[].url'
  $ presswatch search 'liaison* NEAR/3 aérien*' -w coree-russie
  $ presswatch search Wonsan --no-fold -n 100`,
    )
    .action(async (query: string, opts, cmd: Command) => (await import('../commands/search.js')).searchCommand(query, opts, globals(cmd)));
}
