/**
 * `npm run bench [-- --quick] [-- --profile full-content] [-- --save]`: the whole pipeline measured against
 * the limit baseline (bench/limit.ts) and against newsboat, on a generated
 * corpus (bench/corpus.ts) served over loopback (bench/server.ts).
 *
 * presswatch is driven as a black box (`node bin/presswatch.js ... digest`), so
 * `npm run build` must have run. Every figure is one run: wall time and peak
 * RSS of the child process (bench/measure.ts). Cold = empty data dir / cache;
 * warm = the same again, every feed answering 304. The tables go to stdout;
 * `--save` also writes them into docs/benchmarks.md between the bench markers.
 * Progress goes to stderr. Never part of `npm test`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CorpusProfile, type CorpusStats, watchlistYaml } from './corpus.js';
import { measureCommand, median, type Measurement } from './measure.js';
import { findNewsboat, runNewsboatReload, writeNewsboatProfile } from './newsboat.js';
import type { ServerStats } from './server.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'presswatch.js');
const DOC = join(ROOT, 'docs', 'benchmarks.md');
const MARK_START = '<!-- bench:results:start -->';
const MARK_END = '<!-- bench:results:end -->';
const SUB_BENCHES: { file: string; title: string; markdown?: boolean; quick?: boolean }[] = [
  // The start-up breakdown is the daily-scale story: --quick runs it too.
  { file: 'startup.ts', title: 'Start-up: modules each command loads, and what each package costs to import', quick: true },
  { file: 'match.ts', title: 'Matching throughput' },
  { file: 'dedupe.ts', title: 'Deduplication at 100,000 items' },
  { file: 'extract.ts', title: 'Extraction pages per second' },
  // Prints its own Markdown tables.
  { file: 'storage.ts', title: 'Storage per item, against newsboat', markdown: true },
];
/**
 * Issue 15's targets: at 500 feeds cold ≤ 2.5× the limit and ≤ 0.6× newsboat's best, warm ≤ 1.5× the limit;
 * at the daily scale (--quick: start-up dominates) both ≤ 1.5× the limit.
 */
const TARGET = { startupMs: 150, peakMiB: 300, coldVsLimit: 2.5, coldVsLimitDaily: 1.5, warmVsLimit: 1.5, coldVsNewsboat: 0.6 };

interface Plan {
  feeds: number;
  items: number;
  /** Corpus profiles measured, each with its own server, table and targets (bench/corpus.ts). */
  profiles: ProfilePlan[];
  startupRuns: number;
  runTimeoutMs: number;
  subBenches: boolean;
  /** presswatch and the limit run this many times per cell (fresh data each cold run); the best counts. */
  repeats: number;
  /** No new measurement starts after this long, so the whole run stays within its promise (12 min, 1 min quick). */
  budgetMs: number;
}

interface ProfilePlan {
  profile: CorpusProfile;
  concurrencies: number[];
  latencies: number[];
}

// The full-content corpus is 3× the bytes: one concurrency (the best of the summaries' runs so far), no latency.
const FULL: Plan = {
  feeds: 500,
  items: 40,
  profiles: [
    { profile: 'summaries', concurrencies: [8, 16, 32], latencies: [0, 50] },
    { profile: 'full-content', concurrencies: [16], latencies: [0] },
  ],
  startupRuns: 10,
  runTimeoutMs: 180_000,
  subBenches: true,
  repeats: 2,
  budgetMs: 600_000,
};
const QUICK: Plan = { feeds: 50, items: 20, profiles: [{ profile: 'summaries', concurrencies: [8], latencies: [0] }], startupRuns: 5, runTimeoutMs: 30_000, subBenches: false, repeats: 1, budgetMs: 40_000 };

type Tool = 'presswatch' | 'newsboat' | 'limit';
interface Cell {
  profile: CorpusProfile;
  latency: number;
  concurrency: number;
}

interface Row {
  tool: Tool;
  profile: CorpusProfile;
  latency: number;
  concurrency: number;
  phase: 'cold' | 'warm';
  wallMs: number | null;
  peakRssMiB: number | null;
  server: ServerStats;
  note: string;
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, save: { type: 'boolean', default: false }, profile: { type: 'string' } } });
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    process.stderr.write('bench: dist/cli/main.js is missing: run `npm run build` first (the benchmark drives the built CLI).\n');
    return 2;
  }
  const base = values.quick ? QUICK : FULL;
  // --profile full-content: that corpus alone, without the sub-benchmarks (a shorter run for one question).
  const profiles = values.profile ? base.profiles.filter((p) => p.profile === values.profile) : base.profiles;
  if (profiles.length === 0) {
    process.stderr.write(`bench: --profile ${values.profile}: not a corpus profile of this plan (${base.profiles.map((p) => p.profile).join(', ')})\n`);
    return 2;
  }
  const plan: Plan = values.profile ? { ...base, profiles, subBenches: false } : base;
  const started = Date.now();
  const scratch = await mkdtemp(join(tmpdir(), 'presswatch-bench-'));
  try {
    const machine = await describeMachine();
    const nodeStartMs = await measureStartup('node', ['-e', '0'], plan.startupRuns);
    const help = await measureStartup(process.execPath, [BIN, '--help'], plan.startupRuns);
    log(`start-up: node ${nodeStartMs.ms.toFixed(0)} ms, presswatch --help ${help.ms.toFixed(0)} ms`);

    const newsboat = findNewsboat();
    if (!newsboat) log('newsboat: not installed (apt-get install -y newsboat); its rows will say so');
    const rows: Row[] = [];
    const corpora: { profile: CorpusProfile; stats: CorpusStats }[] = [];
    const skipped: string[] = [];
    for (const profilePlan of plan.profiles) {
      const { profile } = profilePlan;
      const server = await startServerProcess(plan, profile);
      corpora.push({ profile, stats: server.corpus });
      log(`corpus ${profile}: ${plan.feeds} feeds × ${plan.items} items on ${server.origin} (${(server.corpus.bytes / 1e6).toFixed(1)} MB)`);
      try {
        // Every cell once, then repeats while the time budget lasts: a slow build still gives a full table in time.
        const cells = profilePlan.latencies.flatMap((latency) =>
          profilePlan.concurrencies.map((concurrency) => ({
            latency,
            concurrency,
            urls: Array.from({ length: plan.feeds }, (_, i) => `${server.origin}${latency ? `/latency/${latency}` : ''}/feeds/${i}.xml`),
          })),
        );
        for (let pass = 0; pass < plan.repeats; pass++) {
          for (const { latency, concurrency, urls } of cells) {
            if (Date.now() - started > plan.budgetMs) {
              skipped.push(`${profile}: run ${pass + 1} of latency ${latency} ms, concurrency ${concurrency}`);
              continue;
            }
            const dir = join(scratch, `${profile}-l${latency}-c${concurrency}-r${pass}`);
            const at = { profile, latency, concurrency };
            rows.push(...(await benchPresswatch(join(dir, 'pw'), urls, at, plan, server)));
            rows.push(...(await benchLimit(join(dir, 'limit'), urls, at, plan, server, nodeStartMs.ms)));
            if (pass === 0) rows.push(...(await benchNewsboat(newsboat?.path ?? null, dir, urls, at, plan, server)));
            await rm(dir, { recursive: true, force: true });
          }
        }
      } finally {
        server.child.stdin?.end();
      }
    }
    if (skipped.length) log(`time budget spent: skipped ${skipped.join('; ')}`);
    const subs = values.profile ? [] : await runSubBenches(plan.subBenches);
    const elapsed = (Date.now() - started) / 1000;
    const report = renderReport({ plan, machine, corpora, newsboat: newsboat?.version ?? null, nodeStartMs: nodeStartMs.ms, help, rows, subs, elapsed, skipped });
    process.stdout.write(report);
    if (values.save) {
      await saveReport(report);
      log(`results written to ${DOC}`);
    }
    log(`done in ${elapsed.toFixed(0)} s`);
    return 0;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

interface ServerProcess {
  child: ChildProcess;
  origin: string;
  corpus: CorpusStats;
  stats(): Promise<ServerStats>;
  reset(): Promise<void>;
}

/** The server runs in its own process so it never competes with the client inside one event loop. */
async function startServerProcess(plan: Plan, profile: CorpusProfile): Promise<ServerProcess> {
  const args = ['--import', 'tsx', join(ROOT, 'bench', 'server.ts'), '--feeds', String(plan.feeds), '--items', String(plan.items), '--seed', '20250601', '--profile', profile];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolveLine, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench/server.ts exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).once('line', resolveLine);
  });
  const { origin, stats } = JSON.parse(first) as { origin: string; stats: CorpusStats };
  return {
    child,
    origin,
    corpus: stats,
    stats: async () => (await (await fetch(`${origin}/__stats`)).json()) as ServerStats,
    reset: async () => void (await fetch(`${origin}/__reset`)).arrayBuffer(),
  };
}

async function measureStartup(command: string, args: string[], runs: number): Promise<{ ms: number; peakRssMiB: number | null }> {
  const times: number[] = [];
  let peak: number | null = null;
  for (let i = 0; i < runs; i++) {
    const m = await measureCommand(command, args);
    if (m.exitCode !== 0) throw new Error(`${command} ${args.join(' ')} exited ${m.exitCode}: ${m.stderr.slice(0, 300)}`);
    times.push(m.wallMs);
    peak = Math.max(peak ?? 0, m.peakRssMiB ?? 0) || peak;
  }
  return { ms: median(times), peakRssMiB: peak };
}

/** Server counts for one measured run: reset before, read after. */
async function withServerStats(server: ServerProcess, run: () => Promise<Measurement>): Promise<{ m: Measurement; s: ServerStats }> {
  await server.reset();
  const m = await run();
  return { m, s: await server.stats() };
}

async function benchPresswatch(dir: string, urls: string[], at: Cell, plan: Plan, server: ServerProcess): Promise<Row[]> {
  const { latency, concurrency } = at;
  const configDir = join(dir, 'pw-config');
  const dataDir = join(dir, 'pw-data');
  await mkdir(join(configDir, 'watchlists'), { recursive: true });
  await writeFile(join(configDir, 'watchlists', 'bench.yaml'), watchlistYaml(urls));
  const set = await measureCommand(process.execPath, [BIN, '--config-dir', configDir, 'config', 'set', 'concurrency', String(concurrency)]);
  if (set.exitCode !== 0) throw new Error(`presswatch config set concurrency failed: ${set.stderr}`);
  const rows: Row[] = [];
  for (const phase of ['cold', 'warm'] as const) {
    const { m, s } = await withServerStats(server, () =>
      measureCommand(process.execPath, [BIN, '--data-dir', dataDir, '--config-dir', configDir, '--quiet', 'digest', '--format', 'json'], {
        timeoutMs: plan.runTimeoutMs,
        env: { ...process.env, NO_COLOR: '1' },
      }),
    );
    rows.push(toRow('presswatch', at, phase, m, s, digestNote(m)));
    log(`presswatch ${at.profile} ${phase} latency ${latency} ms concurrency ${concurrency}: ${fmtMs(m.wallMs)}, ${fmtMiB(m.peakRssMiB)}, ${s.ok} × 200, ${s.notModified} × 304`);
  }
  return rows;
}

function digestNote(m: Measurement): string {
  if (m.timedOut) return 'timed out';
  if (m.exitCode !== 0) return `exit ${m.exitCode}: ${m.stderr.trim().split('\n')[0]?.slice(0, 120) ?? ''}`;
  try {
    const digest = JSON.parse(m.stdout) as { counts?: { feedsChecked: number; feedsFailed: number; newItems: number; stories: number } };
    const c = digest.counts;
    return c ? `${c.newItems} new items, ${c.stories} stories${c.feedsFailed ? `, ${c.feedsFailed} feeds failed` : ''}` : 'no counts in JSON';
  } catch {
    return 'stdout is not JSON';
  }
}

async function benchLimit(dir: string, urls: string[], at: Cell, plan: Plan, server: ServerProcess, nodeStartMs: number): Promise<Row[]> {
  const { latency, concurrency } = at;
  const limitDir = join(dir, 'limit');
  await mkdir(limitDir, { recursive: true });
  const urlsFile = join(limitDir, 'urls');
  await writeFile(urlsFile, urls.join('\n'));
  const rows: Row[] = [];
  for (const phase of ['cold', 'warm'] as const) {
    const args = ['--import', 'tsx', join(ROOT, 'bench', 'limit.ts'), '--urls', urlsFile, '--concurrency', String(concurrency), '--validators', join(limitDir, 'etags.json')];
    const { m, s } = await withServerStats(server, () => measureCommand(process.execPath, args, { timeoutMs: plan.runTimeoutMs, cwd: ROOT }));
    let note = m.exitCode === 0 ? '' : `exit ${m.exitCode}`;
    let wall: number | null = null;
    if (m.exitCode === 0) {
      const r = JSON.parse(m.stdout) as { workMs: number; items: number; failed: number };
      // The tsx loader is not part of the limit: count a bare node start instead.
      wall = r.workMs + nodeStartMs;
      note = `${r.items} items parsed${r.failed ? `, ${r.failed} failed` : ''}`;
    }
    rows.push({ ...toRow('limit', at, phase, m, s, note), wallMs: wall });
    log(`limit ${at.profile} ${phase} latency ${latency} ms concurrency ${concurrency}: ${fmtMs(wall)}, ${s.ok} × 200, ${s.notModified} × 304`);
  }
  return rows;
}

async function benchNewsboat(binary: string | null, dir: string, urls: string[], at: Cell, plan: Plan, server: ServerProcess): Promise<Row[]> {
  const { latency, concurrency: threads } = at;
  const empty: ServerStats = { requests: 0, ok: 0, notModified: 0, gzipped: 0, notFound: 0, bytesSent: 0 };
  if (!binary) {
    return (['cold', 'warm'] as const).map((phase) => ({ tool: 'newsboat', ...at, phase, wallMs: null, peakRssMiB: null, server: empty, note: 'not installed' }));
  }
  const profile = await writeNewsboatProfile(join(dir, 'newsboat'), urls, threads);
  const rows: Row[] = [];
  for (const phase of ['cold', 'warm'] as const) {
    // newsboat 2.21 records a new feed's validators only from its second fetch
    // (the first UPDATE finds no row yet): prime it once so warm means all 304.
    if (phase === 'warm') await runNewsboatReload(binary, profile, plan.runTimeoutMs);
    const { m, s } = await withServerStats(server, () => runNewsboatReload(binary, profile, plan.runTimeoutMs));
    const note = m.timedOut ? 'timed out' : m.exitCode !== 0 ? `exit ${m.exitCode}: ${m.stderr.trim().slice(0, 120)}` : '';
    rows.push(toRow('newsboat', at, phase, m, s, note));
    log(`newsboat ${at.profile} ${phase} latency ${latency} ms reload-threads ${threads}: ${fmtMs(m.wallMs)}, ${fmtMiB(m.peakRssMiB)}, ${s.ok} × 200, ${s.notModified} × 304`);
  }
  return rows;
}

function toRow(tool: Tool, at: Cell, phase: 'cold' | 'warm', m: Measurement, s: ServerStats, note: string): Row {
  const ok = m.exitCode === 0 && !m.timedOut;
  return { tool, ...at, phase, wallMs: ok ? m.wallMs : null, peakRssMiB: m.peakRssMiB, server: s, note };
}

async function runSubBenches(all: boolean): Promise<{ file: string; title: string; body: string }[]> {
  const out: { file: string; title: string; body: string }[] = [];
  for (const sub of SUB_BENCHES) {
    if (!all && !sub.quick) {
      out.push({ ...sub, body: 'skipped with --quick' });
      continue;
    }
    const path = join(ROOT, 'bench', sub.file);
    if (!existsSync(path)) {
      out.push({ ...sub, body: 'not available yet' });
      continue;
    }
    log(`running bench/${sub.file}`);
    const m = await measureCommand(process.execPath, ['--expose-gc', '--import', 'tsx', path], { cwd: ROOT, timeoutMs: 150_000 });
    const text = m.stdout.trim();
    let body: string;
    try {
      body = sub.markdown && text ? text : `\`\`\`json\n${JSON.stringify(JSON.parse(text), null, 2)}\n\`\`\``;
    } catch {
      body = `\`\`\`\n${text || '(no output)'}\n\`\`\``;
    }
    const status = m.timedOut ? 'timed out' : m.exitCode !== 0 ? `exit ${m.exitCode}` : 'ok';
    out.push({ ...sub, body: `${body}\n\n${status}; ${fmtMs(m.wallMs)} wall, peak RSS ${fmtMiB(m.peakRssMiB)}${m.exitCode ? `\n\nstderr: ${m.stderr.trim().slice(0, 400)}` : ''}` });
  }
  return out;
}

async function describeMachine(): Promise<Record<string, string>> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const nproc = await new Promise<string>((done) => {
    const c = spawn('nproc', [], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    c.stdout.on('data', (b: Buffer) => (text += b.toString()));
    c.on('close', () => done(text.trim() || String(cpus().length)));
    c.on('error', () => done(String(cpus().length)));
  });
  const head = await new Promise<string>((done) => {
    const c = spawn('git', ['-C', ROOT, 'log', '-1', '--format=%h %cs'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    c.stdout.on('data', (b: Buffer) => (text += b.toString()));
    c.on('close', () => done(text.trim() || 'unknown commit'));
    c.on('error', () => done('unknown commit'));
  });
  const built = statSync(join(ROOT, 'dist', 'cli', 'main.js'))
    .mtime.toISOString()
    .slice(0, 16)
    .replace('T', ' ');
  return {
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    nproc,
    cpu: model,
    ram: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    load: loadavg()[0]!.toFixed(1),
    build: `dist/ built ${built} UTC on commit ${head} (plus any uncommitted changes)`,
  };
}

function fmtMs(ms: number | null): string {
  if (ms === null) return '—';
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function fmtMiB(mib: number | null): string {
  return mib === null ? '—' : `${mib.toFixed(0)} MiB`;
}

function ratio(a: number | null | undefined, b: number | null | undefined): string {
  return a && b ? `${(a / b).toFixed(2)}×` : '—';
}

interface ReportInput {
  plan: Plan;
  machine: Record<string, string>;
  corpora: { profile: CorpusProfile; stats: CorpusStats }[];
  newsboat: string | null;
  nodeStartMs: number;
  help: { ms: number; peakRssMiB: number | null };
  rows: Row[];
  subs: { title: string; body: string }[];
  elapsed: number;
  skipped: string[];
}

function renderReport(r: ReportInput): string {
  const { plan, machine } = r;
  const lines: string[] = [];
  lines.push(`### Run of ${machine['date']}${plan.feeds === QUICK.feeds ? ' (--quick)' : ''}`, '');
  lines.push(`Machine: ${machine['nproc']} cores (${machine['cpu']}), ${machine['ram']} RAM, node ${machine['node']}, load average ${machine['load']} at the start; ${r.newsboat ?? 'newsboat not installed'}.`);
  lines.push(
    `presswatch: ${machine['build']}. Up to ${plan.repeats} run(s) per cell for presswatch and the limit (the fastest counts), one run per \`reload-threads\` value for newsboat.` +
      (r.skipped.length ? ` Time budget spent, not run: ${r.skipped.join('; ')}.` : ''),
  );
  lines.push(`Whole run: ${r.elapsed.toFixed(0)} s.`, '');
  lines.push('| start-up | median wall | peak RSS | target |', '| --- | ---: | ---: | --- |');
  lines.push(`| \`node -e 0\` | ${fmtMs(r.nodeStartMs)} | | |`);
  lines.push(`| \`presswatch --help\` | ${fmtMs(r.help.ms)} | ${fmtMiB(r.help.peakRssMiB)} | < ${TARGET.startupMs} ms: ${r.help.ms < TARGET.startupMs ? 'met' : 'MISSED'} |`);
  const coldVsLimit = plan.feeds === QUICK.feeds ? TARGET.coldVsLimitDaily : TARGET.coldVsLimit;
  for (const { profile, stats: corpus } of r.corpora) {
    const profilePlan = plan.profiles.find((p) => p.profile === profile)!;
    const rows = r.rows.filter((x) => x.profile === profile);
    lines.push('', `#### Corpus: ${profile}`, '');
    lines.push(
      `${corpus.feeds} feeds × ${plan.items} items = ${corpus.items} items, ${(corpus.bytes / 1e6).toFixed(1)} MB uncompressed, ${corpus.latin1Feeds} feeds in ISO-8859-1, ` +
        `${corpus.watchItems} items mentioning a watch keyword, ${corpus.nearDuplicateItems} near-duplicates.`,
      '',
    );
    lines.push('| run | latency | concurrency | presswatch | peak RSS | limit | newsboat | newsboat RSS | pw / limit | pw / newsboat | server: 200 / 304 (pw) | presswatch output |');
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
    // Several runs of one cell: the fastest counts (noise on a shared machine only ever adds time), with its own RSS.
    const find = (tool: Tool, latency: number, concurrency: number, phase: string) =>
      rows.filter((x) => x.tool === tool && x.latency === latency && x.concurrency === concurrency && x.phase === phase).sort((a, b) => (a.wallMs ?? Infinity) - (b.wallMs ?? Infinity))[0];
    for (const latency of profilePlan.latencies) {
      for (const phase of ['cold', 'warm']) {
        for (const c of profilePlan.concurrencies) {
          const pw = find('presswatch', latency, c, phase);
          const lim = find('limit', latency, c, phase);
          const nb = find('newsboat', latency, c, phase);
          lines.push(
            `| ${phase} | ${latency} ms | ${c} | ${fmtMs(pw?.wallMs ?? null)} | ${fmtMiB(pw?.peakRssMiB ?? null)} | ${fmtMs(lim?.wallMs ?? null)} | ${nb?.wallMs != null ? fmtMs(nb.wallMs) : (nb?.note ?? '—')} | ${fmtMiB(nb?.peakRssMiB ?? null)} | ` +
              `${ratio(pw?.wallMs, lim?.wallMs)} | ${ratio(pw?.wallMs, nb?.wallMs)} | ${pw ? `${pw.server.ok} / ${pw.server.notModified}` : '—'} | ${pw?.note ?? 'not run (time budget)'} |`,
          );
        }
      }
    }
    lines.push('', '**Best of each** (presswatch and the limit at their best concurrency, newsboat at its best `reload-threads`):', '');
    lines.push(
      `| run | latency | presswatch | limit | newsboat | pw / limit | pw / newsboat | targets (cold ≤ ${coldVsLimit}× limit and ≤ ${TARGET.coldVsNewsboat}× newsboat; warm ≤ ${TARGET.warmVsLimit}× limit; < ${TARGET.peakMiB} MiB) |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    );
    for (const latency of profilePlan.latencies) {
      for (const phase of ['cold', 'warm'] as const) {
        const best = (tool: Tool) => {
          const xs = rows.filter((x) => x.tool === tool && x.latency === latency && x.phase === phase && x.wallMs !== null);
          return xs.sort((a, b) => a.wallMs! - b.wallMs!)[0];
        };
        const pw = best('presswatch');
        const lim = best('limit');
        const nb = best('newsboat');
        const peak = Math.max(...rows.filter((x) => x.tool === 'presswatch' && x.latency === latency && x.phase === phase).map((x) => x.peakRssMiB ?? 0));
        const vsLimit = phase === 'cold' ? coldVsLimit : TARGET.warmVsLimit;
        const verdicts = [
          lim?.wallMs && pw?.wallMs ? `${pw.wallMs / lim.wallMs <= vsLimit ? 'met' : 'MISSED'} vs limit` : 'n/a',
          phase === 'cold' ? (nb?.wallMs && pw?.wallMs ? `${pw.wallMs / nb.wallMs <= TARGET.coldVsNewsboat ? 'met' : 'MISSED'} vs newsboat` : 'n/a') : '',
          `${peak < TARGET.peakMiB ? 'met' : 'MISSED'} RSS`,
        ].filter(Boolean);
        const at = (row: Row | undefined) => (row?.wallMs ? `${fmtMs(row.wallMs)} (${row.concurrency})` : '—');
        lines.push(`| ${phase} | ${latency} ms | ${at(pw)} | ${at(lim)} | ${at(nb)} | ${ratio(pw?.wallMs, lim?.wallMs)} | ${ratio(pw?.wallMs, nb?.wallMs)} | ${verdicts.join(' / ')} |`);
      }
    }
  }
  for (const sub of r.subs) lines.push('', `#### ${sub.title}`, '', sub.body);
  return `${lines.join('\n')}\n`;
}

/** Replaces the text between the bench markers of docs/benchmarks.md (appends them when absent). */
async function saveReport(report: string): Promise<void> {
  const current = await readFile(DOC, 'utf8').catch(() => '# Benchmarks\n');
  const block = `${MARK_START}\n${report}${MARK_END}`;
  const start = current.indexOf(MARK_START);
  const end = current.indexOf(MARK_END);
  const next = start !== -1 && end > start ? current.slice(0, start) + block + current.slice(end + MARK_END.length) : `${current.trimEnd()}\n\n${block}\n`;
  await mkdir(dirname(DOC), { recursive: true });
  await writeFile(DOC, next);
}

process.exitCode = await main();
