import type { Command } from 'commander';
import { collect, globals } from './shared.js';

export function registerDigests(program: Command): void {
  const digests = program
    .command('digests')
    .description('digests saved with `digest --save`')
    .addHelpText('after', `\nExamples:\n  $ presswatch digests list\n  $ presswatch digests show 2026-11-24 -w coree-russie\n  $ presswatch digests list --json | jq -r '.[].path'`);
  digests
    .command('list')
    .description('list saved digests, newest first')
    .option('-w, --watchlist <name>', 'only this watchlist (repeatable)', collect, [])
    .option('--json', 'as a JSON array of {watchlist, date, seq, format, path, bytes}')
    .addHelpText('after', '\nExamples:\n  $ presswatch digests list\n  $ presswatch digests list -w coree-russie --json')
    .action(async (opts, cmd: Command) => (await import('../commands/digests.js')).digestsListCommand(opts, globals(cmd)));
  digests
    .command('show <date>')
    .description('print a saved digest: DATE is YYYY-MM-DD (the last one of that day) or YYYY-MM-DD-N, or "latest"')
    .option('-w, --watchlist <name>', 'which watchlist (needed when several saved that day)')
    .option('-f, --format <format>', 'which saved format, when several (txt, md, html, json, ndjson)')
    .addHelpText('after', '\nExamples:\n  $ presswatch digests show latest\n  $ presswatch digests show 2026-11-24 -w coree-russie\n  $ presswatch digests show 2026-11-24-2 -f md')
    .action(async (date: string, opts, cmd: Command) => (await import('../commands/digests.js')).digestsShowCommand(date, opts, globals(cmd)));
}
