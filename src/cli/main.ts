/**
 * The whole command line in one file. Each action lazily imports its command
 * module, so `presswatch --help` loads neither SQLite nor the parsers.
 * This is the only place that calls process.exit.
 */
import { Command, CommanderError, Option } from 'commander';
import { EXIT_RUN_FAILED, EXIT_USAGE, PresswatchError } from './errors.js';
import type { GlobalOptions } from './context.js';

const VERSION = '0.1.0';

function buildProgram(): Command {
  const program = new Command('presswatch')
    .description('Press monitoring: fetch the feeds of your watchlists, find matching stories, print a digest.')
    .version(VERSION, '-V, --version')
    .option('--data-dir <dir>', 'database and saved digests (env PRESSWATCH_DATA_DIR)')
    .option('--config-dir <dir>', 'settings and watchlists (env PRESSWATCH_CONFIG_DIR)')
    .option('-q, --quiet', 'no progress line on stderr')
    .option('-v, --verbose', 'log each request on stderr')
    .option('--no-color', 'no colour, even on a terminal (also NO_COLOR=1)')
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      `
Examples:
  $ presswatch digest                       fetch all watchlists, print what is new
  $ presswatch digest -w coree-russie --since 24h --format json | jq .
  $ presswatch demo                         the whole pipeline on sample feeds, offline
  $ presswatch config path                  where watchlists, settings and the database live

Exit codes: 0 success (also when some feeds failed or nothing matched),
1 the run itself failed, 2 usage or configuration error.`,
    );

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
    .action(async (opts, cmd: Command) => (await import('./commands/digest.js')).digestCommand(opts, globals(cmd)));

  program
    .command('demo')
    .description('run the real pipeline on sample feeds served from this machine (no network, temporary data)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts, cmd: Command) => (await import('./commands/demo.js')).demoCommand(opts, globals(cmd)));

  const config = program.command('config').description('where presswatch keeps things, and its settings');
  config
    .command('path')
    .description('print the config dir, watchlists dir, data dir, database and settings file')
    .option('--json', 'as a JSON object')
    .action(async (opts, cmd: Command) => (await import('./commands/config.js')).configPathCommand(opts, globals(cmd)));
  config
    .command('get [key]')
    .description('print one setting, or all of them')
    .action(async (key: string | undefined, _opts, cmd: Command) => (await import('./commands/config.js')).configGetCommand(key, globals(cmd)));
  config
    .command('set <key> <value>')
    .description('change a setting (fetchTimeoutMs, maxResponseBytes, maxRedirects, concurrency, userAgent)')
    .action(async (key: string, value: string, _opts, cmd: Command) => (await import('./commands/config.js')).configSetCommand(key, value, globals(cmd)));

  return program;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

function configureErrors(command: Command): void {
  command.exitOverride();
  command.configureOutput({ outputError: (text, write) => write(text.startsWith('error:') ? `presswatch: ${text}` : text) });
  for (const sub of command.commands) configureErrors(sub);
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  configureErrors(program);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      // commander has already printed its message
      return EXIT_USAGE;
    }
    if (error instanceof PresswatchError) {
      process.stderr.write(`presswatch: ${error.message}\n`);
      return error.exitCode;
    }
    const err = error as Error;
    process.stderr.write(`presswatch: unexpected error (this is a bug, please report it): ${err?.stack ?? String(error)}\n`);
    return EXIT_RUN_FAILED;
  }
}

// EPIPE when stdout is closed early (`| head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
});

process.exitCode = await main(process.argv);
