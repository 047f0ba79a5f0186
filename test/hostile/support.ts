/**
 * Shared by the hostile-input tests: spawning the built CLI with its peak memory
 * measured, and writing a watchlist and settings into a config dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../bench/seeded-random.js';

export { seededRandom };

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(REPO_ROOT, 'bin', 'presswatch.js');
export const BUILT_ENTRY = join(REPO_ROOT, 'dist', 'cli', 'main.js');
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'hostile');
/** Loaded into the child with --import: writes the process's peak RSS (kB) to $PRESSWATCH_TEST_RSS_FILE on exit. */
const RSS_REPORTER = join(FIXTURES, 'report-peak-rss.mjs');

/** Why the CLI tests cannot run, or null when dist/ is there. */
export function missingBuild(): string | null {
  return existsSync(BUILT_ENTRY) ? null : `${BUILT_ENTRY} is missing (run \`npm run build\`): CLI tests skipped`;
}

export interface Dirs {
  dataDir: string;
  configDir: string;
}

export interface CliRun {
  child: ChildProcess;
  /** Resolves when the process has exited and its output is read. */
  done: Promise<CliOutcome>;
}

export interface CliOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory in kB (from the child's own resourceUsage at exit), null if it was killed. */
  peakRssKb: number | null;
  elapsedMs: number;
}

/** Spawns `node bin/presswatch.js --data-dir D --config-dir C ...args`, NO_COLOR, no inherited PRESSWATCH_* paths. */
export function startCli(args: readonly string[], dirs: Dirs, options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; measureRss?: boolean } = {}): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
  for (const key of ['FORCE_COLOR', 'PRESSWATCH_DATA_DIR', 'PRESSWATCH_CONFIG_DIR', 'PRESSWATCH_DATABASE_URL', 'NODE_OPTIONS']) delete env[key];
  const rssFile = join(dirs.configDir, `peak-rss-${Math.random().toString(36).slice(2)}.txt`);
  if (options.measureRss) env['PRESSWATCH_TEST_RSS_FILE'] = rssFile;
  const nodeArgs = options.measureRss ? ['--import', new URL(`file://${RSS_REPORTER}`).href] : [];
  const started = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, BIN, '--data-dir', dirs.dataDir, '--config-dir', dirs.configDir, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const done = new Promise<CliOutcome>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', async (code, signal) => {
      clearTimeout(timer);
      const peak = options.measureRss ? Number(await readFile(rssFile, 'utf8').catch(() => 'NaN')) : NaN;
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        peakRssKb: Number.isFinite(peak) ? peak : null,
        elapsedMs: Date.now() - started,
      });
    });
  });
  return { child, done };
}

export function runCli(args: readonly string[], dirs: Dirs, options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; measureRss?: boolean } = {}): Promise<CliOutcome> {
  return startCli(args, dirs, options).done;
}

/** A watchlist file in C/watchlists/ that watches `keywords` in `feeds`, without fetching article pages. */
export async function writeWatchlist(configDir: string, name: string, feeds: readonly string[], keywords: readonly string[] = ['Pyongyang']): Promise<string> {
  const dir = join(configDir, 'watchlists');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.yaml`);
  // fullText never: article pages behind test items (news.example) must not be fetched.
  const yaml = [`name: ${name}`, 'fullText: never', 'feeds:', ...feeds.map((f) => `  - ${JSON.stringify(f)}`), 'keywords:', ...keywords.map((k) => `  - ${JSON.stringify(k)}`), ''].join('\n');
  await writeFile(file, yaml);
  return file;
}

/** Settings through the real `config set` command, as a user would. */
export async function setSettings(dirs: Dirs, settings: Record<string, number | string>): Promise<void> {
  for (const [key, value] of Object.entries(settings)) {
    const result = await runCli(['config', 'set', key, String(value)], dirs, { timeoutMs: 15_000 });
    if (result.code !== 0) throw new Error(`config set ${key} ${value} failed: ${result.stderr}`);
  }
}

/** An RSS 2.0 document whose items all mention Pyongyang (so every one matches the test watchlist). */
export function rssFeed(title: string, items: readonly { guid: string; title: string; link?: string; description?: string }[]): string {
  const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = items
    .map(
      (i) =>
        `<item><guid isPermaLink="false">${escapeXml(i.guid)}</guid><title>${escapeXml(i.title)}</title>` +
        `<link>${escapeXml(i.link ?? `https://news.example/${encodeURIComponent(i.guid)}`)}</link>` +
        `<description>${escapeXml(i.description ?? distinctText(i.guid))}</description>` +
        `<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${escapeXml(title)}</title><link>https://news.example/</link>\n${body}\n</channel></rss>\n`;
}

/**
 * A sentence of its own for each item: items with the same text would be folded
 * into one story by the dedupe stage, and the tests count stories.
 */
export function distinctText(guid: string): string {
  let seed = 0;
  for (const ch of guid) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
  const random = seededRandom(seed);
  const words = Array.from({ length: 30 }, () => WORDS[Math.floor(random() * WORDS.length)]!);
  return `Pyongyang ${guid} ${words.join(' ')}.`;
}

const WORDS = (
  'army bank border budget cabinet capital court crisis deal debate delegate diplomat election embassy envoy export factory ' +
  'farmer festival fleet forest grain harbor island judge labor market minister mission museum navy oil parliament pipeline ' +
  'port protest railway reform river satellite senate ship strike summit tariff tax teacher trade treaty tunnel union village vote'
).split(' ');
