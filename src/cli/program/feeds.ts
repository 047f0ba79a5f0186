import type { Command } from 'commander';
import { collect, globals } from './shared.js';

const load = () => import('../commands/feeds.js');

/**
 * `presswatch feeds ...`: the feeds of the watchlists as a whole. Returns the
 * `feeds` command so other subcommands (feeds status) can be added to it.
 */
export function registerFeeds(program: Command): Command {
  const feeds = program
    .command('feeds')
    .description('the feeds of your watchlists: their status, OPML import and export')
    .addHelpText(
      'after',
      `
Examples:
  $ presswatch feeds status
  $ presswatch feeds export > presswatch.opml
  $ presswatch feeds import subscriptions.opml -w coree-russie`,
    );

  feeds
    .command('import <file>')
    .description('add the feeds of an OPML file to a watchlist (feeds already there are skipped)')
    .option('-w, --watchlist <name>', 'the watchlist that gets the feeds')
    // No -n: it is --limit in search, and one short flag has one meaning across the CLI.
    .option('--dry-run', 'say what would be added, change nothing')
    .addHelpText(
      'after',
      `
Examples:
  $ presswatch feeds import subscriptions.opml -w coree-russie
  $ presswatch feeds import subscriptions.opml -w coree-russie --dry-run
  $ presswatch feeds import coree-russie.opml          (goes to coree-russie)
  $ presswatch feeds export > all.opml && presswatch feeds import all.opml

Without -w, the feeds go to the watchlist named like the file (coree-russie.opml
→ coree-russie); failing that, if every feed sits in a top-level folder named
after a watchlist (as \`feeds export\` writes them), each folder goes to its
watchlist. Otherwise pass -w. The watchlist must exist (\`presswatch watchlist create\`).
Counts of added and skipped feeds are printed on stderr.`,
    )
    .action(async (file: string, opts, cmd: Command) => {
      await (await load()).feedsImportCommand(file, opts, globals(cmd));
    });

  feeds
    .command('export')
    .description('print the feeds of one or all watchlists as OPML 2.0, one folder per watchlist')
    .option('-w, --watchlist <name>', 'a watchlist to export (repeat for several; default: all)', collect, [])
    .addHelpText(
      'after',
      `
Examples:
  $ presswatch feeds export > presswatch.opml
  $ presswatch feeds export -w coree-russie > coree-russie.opml

HTML list pages (sources with type: html) are not feeds and are left out.`,
    )
    .action(async (opts, cmd: Command) => (await load()).feedsExportCommand(opts, globals(cmd)));

  feeds
    .command('status')
    .description('for each feed: last fetch, status, error, items stored and items per day (last 7 days)')
    .option('--json', 'as a JSON array')
    .addHelpText('after', '\nExamples:\n  $ presswatch feeds status\n  $ presswatch feeds status --json | jq -r \'.[] | select(.status == "error") | .url\'')
    .action(async (opts, cmd: Command) => (await import('../commands/feeds-status.js')).feedsStatusCommand(opts, globals(cmd)));

  return feeds;
}
