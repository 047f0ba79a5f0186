/**
 * Start-up breakdown: which modules `presswatch --help` and `presswatch digest`
 * load, and what each package costs to import on its own.
 *
 *   node --import tsx bench/startup.ts [--runs N] [--json]
 *
 * The module list comes from a resolve hook (bench/module-trace.mjs) on a real
 * run of the unbundled CLI (dist/cli/): `--help`, and `digest` twice (cold,
 * then warm) on 5 loopback feeds. The CPU and wall times are of the CLI as
 * users run it (bin/presswatch.js: the bundle when built).
 * Each package's cost is the CPU time (user + system, read inside the child)
 * of `import(entry)` in a fresh node, less that of a bare node, median of N
 * runs; CPU rather than wall time, because wall time on a shared machine
 * measures the neighbours. A package's figure includes the packages it
 * imports itself, so the figures overlap and do not add up to the total.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { measureCommand, median } from './measure.js';
import { startCorpusServer } from './server.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'presswatch.js');
/** Traced unbundled: in the bundle (dist/bundle/) the packages are inlined and no longer tell apart. */
const UNBUNDLED = join(ROOT, 'dist', 'cli', 'main.js');
const TRACE_HOOK = pathToFileURL(join(ROOT, 'bench', 'module-trace.mjs')).href;

interface Group {
  /** A package name, `presswatch:<folder>` for the project's own files, or `node:` for built-ins. */
  name: string;
  files: number;
  /** The first URL of the group that something outside it imported: what importing the group alone means. */
  entry: string;
}

export interface CommandStartup {
  command: string;
  cpuMs: number;
  wallMs: number;
  files: number;
  groups: { name: string; files: number; importCpuMs: number | null }[];
}

function groupOf(url: string): string {
  if (url.startsWith('node:')) return 'node:';
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm !== -1) {
    const [a, b] = path.slice(nm + '/node_modules/'.length).split('/');
    return a!.startsWith('@') ? `${a}/${b}` : a!;
  }
  if (path.startsWith(join(ROOT, 'dist'))) {
    const rel = path.slice(join(ROOT, 'dist').length + 1).split('/');
    return `presswatch:${rel.length > 1 ? rel[0] : rel[0]!.replace(/\.js$/, '')}`;
  }
  return `presswatch:${path.slice(ROOT.length + 1)}`;
}

async function traceModules(args: string[]): Promise<{ groups: Group[]; files: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'presswatch-trace-'));
  const out = join(dir, 'trace.tsv');
  try {
    const m = await measureCommand(process.execPath, ['--import', TRACE_HOOK, UNBUNDLED, ...args], { env: { ...process.env, PRESSWATCH_MODULE_TRACE: out, NO_COLOR: '1' } });
    if (m.exitCode !== 0) throw new Error(`presswatch ${args.join(' ')} exited ${m.exitCode}: ${m.stderr.slice(0, 300)}`);
    const lines = (await readFile(out, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    const groups = new Map<string, Group>();
    const seen = new Set<string>();
    for (const line of lines) {
      const [parent, url] = line.split('\t') as [string, string];
      if (url === TRACE_HOOK || parent === TRACE_HOOK || url.endsWith('module-trace-hook.mjs')) continue;
      const name = groupOf(url);
      let group = groups.get(name);
      if (!group && groupOf(parent) !== name) {
        group = { name, files: 0, entry: url };
        groups.set(name, group);
      }
      if (group && !seen.has(url)) {
        seen.add(url);
        group.files++;
      }
    }
    return { groups: [...groups.values()], files: seen.size };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** CPU ms of a fresh node that imports `url` (none: a bare node), read by the child itself. */
function importCpuMs(url: string | null): Promise<number> {
  const code = `${url ? `await import(${JSON.stringify(url)});` : ''}const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000));`;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (b: Buffer) => (text += b.toString()));
    child.on('error', fail);
    child.on('close', (status) => (status === 0 ? done(Number(text)) : fail(new Error(`import ${url} exited ${status}`))));
  });
}

async function medianOf(runs: number, sample: () => Promise<number>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) xs.push(await sample());
  return median(xs);
}

export async function measureStartupBreakdown(runs: number): Promise<{ nodeCpuMs: number; commands: CommandStartup[] }> {
  const scratch = await mkdtemp(join(tmpdir(), 'presswatch-startup-'));
  const server = await startCorpusServer({ feeds: 5, itemsPerFeed: 5, seed: 7 });
  try {
    const configDir = join(scratch, 'config');
    await mkdir(join(configDir, 'watchlists'), { recursive: true });
    const feeds = server.corpus.feeds.map((f) => `  - ${JSON.stringify(server.origin + f.path)}`).join('\n');
    await writeFile(join(configDir, 'watchlists', 'w.yaml'), `name: w\nfeeds:\n${feeds}\nkeywords:\n  - Pyongyang\nfullText: never\n`);
    const digest = (data: string) => ['--data-dir', join(scratch, data), '--config-dir', configDir, '--quiet', 'digest', '--format', 'json'];
    const commands: { label: string; args: () => string[]; prime?: () => string[] }[] = [
      { label: 'presswatch --help', args: () => ['--help'] },
      { label: 'presswatch digest (cold, 5 feeds)', args: () => digest(`cold-${Math.random()}`) },
      { label: 'presswatch digest (warm, 5 feeds)', args: () => digest('warm'), prime: () => digest('warm') },
    ];
    const nodeCpuMs = await medianOf(runs, () => importCpuMs(null));
    const packageCost = new Map<string, number | null>();
    const out: CommandStartup[] = [];
    for (const command of commands) {
      if (command.prime) await measureCommand(process.execPath, [BIN, ...command.prime()]);
      const { groups, files } = await traceModules(command.args());
      const times = { cpu: [] as number[], wall: [] as number[] };
      for (let i = 0; i < runs; i++) {
        const m = await measureCommand(process.execPath, [BIN, ...command.args()], { env: { ...process.env, NO_COLOR: '1' } });
        times.wall.push(m.wallMs);
        if (m.cpuMs !== null) times.cpu.push(m.cpuMs);
      }
      for (const g of groups) {
        if (packageCost.has(g.name) || g.name.startsWith('presswatch:') || g.name === 'node:') continue;
        const cost = await medianOf(runs, () => importCpuMs(g.entry)).catch(() => null);
        packageCost.set(g.name, cost === null ? null : Math.max(0, cost - nodeCpuMs));
      }
      out.push({
        command: command.label,
        cpuMs: times.cpu.length ? median(times.cpu) : Number.NaN,
        wallMs: median(times.wall),
        files,
        groups: groups.map((g) => ({ name: g.name, files: g.files, importCpuMs: packageCost.get(g.name) ?? null })).sort((a, b) => (b.importCpuMs ?? -1) - (a.importCpuMs ?? -1) || b.files - a.files),
      });
    }
    return { nodeCpuMs, commands: out };
  } finally {
    await server.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, json: { type: 'boolean', default: false } } });
  const result = await measureStartupBreakdown(Number(values.runs));
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const lines = [`bare node: ${result.nodeCpuMs.toFixed(0)} ms CPU (median of ${values.runs})`];
    for (const c of result.commands) {
      lines.push('', `${c.command}: ${c.cpuMs.toFixed(0)} ms CPU, ${c.wallMs.toFixed(0)} ms wall; ${c.files} modules unbundled`);
      lines.push('  module group                      files   import alone (ms CPU above bare node)');
      for (const g of c.groups) lines.push(`  ${g.name.padEnd(32)} ${String(g.files).padStart(5)}   ${g.importCpuMs === null ? '' : g.importCpuMs.toFixed(0).padStart(6)}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
