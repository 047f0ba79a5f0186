/**
 * The command line's entry. Each command family declares its flags and help in
 * src/cli/program/<family>.ts; its action lazily imports src/cli/commands/<family>.ts,
 * so `presswatch --help` loads neither SQLite nor the parsers.
 * This is the only place that calls process.exit.
 */
import { Command, CommanderError } from 'commander';
import { toTerminalSafe } from '../digest/safe-text.js';
import { EXIT_RUN_FAILED, EXIT_USAGE, PresswatchError } from '../errors.js';
import { registerArchive } from './program/archive.js';
import { registerConfig } from './program/config.js';
import { registerDemo } from './program/demo.js';
import { registerDigest } from './program/digest.js';
import { registerDigests } from './program/digests.js';
import { registerExtract } from './program/extract.js';
import { registerFeeds } from './program/feeds.js';
import { registerSearch } from './program/search.js';
import { HELP_SETTINGS } from './program/shared.js';
import { registerWatch } from './program/watch.js';
import { registerWatchlist } from './program/watchlist.js';
import { registerWorker } from './program/worker.js';

const VERSION = '0.1.0';

function buildProgram(): Command {
  const program = new Command('presswatch')
    .configureHelp(HELP_SETTINGS)
    .description('Press monitoring: fetch the feeds of your watchlists, find matching stories, print a digest.')
    .version(VERSION, '-V, --version')
    .option('--data-dir <dir>', 'database and saved digests (env PRESSWATCH_DATA_DIR)')
    .option('--config-dir <dir>', 'settings and watchlists (env PRESSWATCH_CONFIG_DIR)')
    .option('--database <url>', 'a PostgreSQL database (postgres://…) instead of SQLite in the data dir (env PRESSWATCH_DATABASE_URL)')
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
1 the run itself failed, 2 usage or configuration error, 3 a destination
did not accept a delivery (--deliver; the next run sends what it missed).`,
    );

  for (const register of [registerDigest, registerDigests, registerWatch, registerWorker, registerSearch, registerDemo, registerWatchlist, registerFeeds, registerArchive, registerExtract, registerConfig])
    register(program);
  return program;
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
      // Messages can quote a server (an HTTP reason phrase) or a file: never let them drive the terminal.
      process.stderr.write(`presswatch: ${toTerminalSafe(error.message)}\n`);
      return error.exitCode;
    }
    const err = error as Error;
    const sqliteCode = String((error as { code?: unknown } | null)?.code);
    if (/^SQLITE_/.test(sqliteCode)) {
      process.stderr.write(`presswatch: store: ${err.message} (${sqliteCode}); check free space and that the data dir is writable\n`);
      return EXIT_RUN_FAILED;
    }
    process.stderr.write(`presswatch: unexpected error (this is a bug, please report it): ${err?.stack ?? String(error)}\n`);
    return EXIT_RUN_FAILED;
  }
}

// EPIPE when stdout is closed early (`| head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
});

process.exitCode = await main(process.argv);
