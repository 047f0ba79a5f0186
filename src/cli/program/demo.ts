import { Option, type Command } from 'commander';
import { DIGEST_FORMATS } from '../../digest/formats.js';
import { globals } from './shared.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the real pipeline on sample feeds served from this machine (no network, temporary data)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(DIGEST_FORMATS).default('text'))
    .addHelpText('after', '\nExamples:\n  $ presswatch demo\n  $ presswatch demo --format json | jq .counts')
    .action(async (opts, cmd: Command) => (await import('../commands/demo.js')).demoCommand(opts, globals(cmd)));
}
