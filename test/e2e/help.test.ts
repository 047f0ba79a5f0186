/**
 * Help text: one meaning per short flag across the whole CLI, and no empty
 * defaults. The whole tree is built in-process from every register* function of
 * src/cli/program/ (a new command family is covered without touching this test);
 * the two commands that once disagreed on -n are also run as the built CLI.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { HELP_SETTINGS } from '../../src/cli/program/shared.js';
import { assertBuilt, runCli } from '../helpers/run-cli.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';

/** The CLI's command tree as main.ts builds it: the help settings on the root, then every family. */
async function buildTree(): Promise<Command> {
  const program = new Command('presswatch').configureHelp(HELP_SETTINGS);
  const dir = new URL('../../src/cli/program/', import.meta.url);
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.ts')).sort()) {
    const module = (await import(new URL(file, dir).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) if (/^register[A-Z]/.test(name) && typeof value === 'function') (value as (p: Command) => void)(program);
  }
  return program;
}

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

const pathOf = (command: Command): string => (command.parent ? `${pathOf(command.parent)} ${command.name()}` : command.name());

describe('help of every command', async () => {
  const commands = allCommands(await buildTree());

  it('finds the command families', () => {
    const names = new Set(commands.map(pathOf));
    for (const expected of ['presswatch digest', 'presswatch search', 'presswatch feeds import', 'presswatch watchlist edit']) assert.ok(names.has(expected), expected);
  });

  it('gives each short flag one long meaning across the CLI', () => {
    const meanings = new Map<string, Set<string>>();
    for (const command of commands) {
      for (const option of command.options) {
        if (!option.short) continue;
        const seen = meanings.get(option.short) ?? new Set<string>();
        seen.add(`${option.long}`);
        meanings.set(option.short, seen);
      }
    }
    const clashes = [...meanings].filter(([, longs]) => longs.size > 1).map(([short, longs]) => `${short}: ${[...longs].join(', ')}`);
    assert.deepEqual(clashes, []);
    assert.deepEqual([...(meanings.get('-n') ?? [])], ['--limit']);
  });

  it('shows no empty default, while keeping the real ones', () => {
    for (const command of commands) assert.doesNotMatch(command.helpInformation(), /default: \[\]/, pathOf(command));
    const search = commands.find((c) => pathOf(c) === 'presswatch search')!.helpInformation();
    assert.match(search, /-w, --watchlist <name> +only the feeds of this watchlist \(repeatable\)\n/);
    assert.match(search, /-n, --limit <n> +at most this many stories \(copies with --no-fold\)\s+\(default: "50"\)/);
  });
});

describe('help of search and feeds import (built CLI)', () => {
  let temp: TempDir;
  before(async () => {
    assertBuilt();
    temp = await createTempDir('presswatch-help-');
  });
  after(() => temp.remove());

  it('search: -n is --limit, -w has no empty default', async () => {
    const dirs = { dataDir: join(temp.path, 'data'), configDir: join(temp.path, 'config') };
    const help = await runCli(['search', '--help'], dirs);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^ {2}-n, --limit <n> /m);
    assert.match(help.stdout, /^ {2}-w, --watchlist <name> +only the feeds of this watchlist \(repeatable\)$/m);
    assert.doesNotMatch(help.stdout, /default: \[\]/);
  });

  it('feeds import: --dry-run has no short flag, and -n is refused rather than taken for it', async () => {
    const dirs = { dataDir: join(temp.path, 'data'), configDir: join(temp.path, 'config') };
    const help = await runCli(['feeds', 'import', '--help'], dirs);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^ {2}--dry-run +say what would be added, change nothing$/m);
    assert.doesNotMatch(help.stdout, /-n,/);
    const short = await runCli(['feeds', 'import', 'x.opml', '-n'], dirs);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /unknown option '-n'/);
  });
});
