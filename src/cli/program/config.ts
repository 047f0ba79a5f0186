import type { Command } from 'commander';
import { globals } from './shared.js';

export function registerConfig(program: Command): void {
  const config = program
    .command('config')
    .description('where presswatch keeps things, and its settings')
    .addHelpText('after', '\nExamples:\n  $ presswatch config path\n  $ presswatch config set concurrency 4\n  $ presswatch config get');
  config
    .command('path')
    .description('print the config dir, watchlists dir, data dir, database and settings file')
    .option('--json', 'as a JSON object')
    .addHelpText('after', '\nExamples:\n  $ presswatch config path\n  $ presswatch --data-dir /srv/presswatch config path --json | jq -r .database')
    .action(async (opts, cmd: Command) => (await import('../commands/config.js')).configPathCommand(opts, globals(cmd)));
  config
    .command('get [key]')
    .description('print one setting, or all of them')
    .addHelpText('after', '\nExamples:\n  $ presswatch config get\n  $ presswatch config get concurrency')
    .action(async (key: string | undefined, _opts, cmd: Command) => (await import('../commands/config.js')).configGetCommand(key, globals(cmd)));
  config
    .command('set <key> <value>')
    .addHelpText(
      'after',
      '\nExamples:\n  $ presswatch config set concurrency 16\n  $ presswatch config set scrapeDelayMs 2000\n  $ presswatch config set respectRobots true\n  $ presswatch config set allowPrivateHosts wiki.corp.example,10.20.0.0/16   (a list: comma-separated; "" empties it)\n  $ presswatch config set keepUnmatchedDays 14      (0 keeps forever; docs/retention.md)',
    )
    .description(
      'change a setting (fetchTimeoutMs, maxResponseBytes, maxRedirects, concurrency, userAgent, scrapeConcurrency, scrapePerHost, scrapeDelayMs, respectRobots, allowPrivateHosts, keepUnmatchedDays, keepMatchedDays, keepDigestsDays)',
    )
    .action(async (key: string, value: string, _opts, cmd: Command) => (await import('../commands/config.js')).configSetCommand(key, value, globals(cmd)));
}
