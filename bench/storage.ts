/**
 * Storage cost: bytes on disk per stored item, presswatch against newsboat, for
 * the same generated corpus served over loopback (bench/server.ts), feed text
 * only (`fullText: never`, as newsboat stores no article pages). presswatch's
 * file is broken down by table and index (SQLite's dbstat), so a change that
 * grows one of them shows where.
 *
 * Run: node --import tsx bench/storage.ts [--feeds 500] [--items 40] [--keep DIR] [--no-newsboat]
 * (`--keep` leaves presswatch.db in DIR, to look into it with sqlite3)
 * (needs `npm run build`; newsboat is optional). Prints a Markdown section.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { partOfStore } from '../src/store/retention-rules.js';
import { watchlistYaml } from './corpus.js';
import { measureCommand } from './measure.js';
import { findNewsboat, runNewsboatReload, writeNewsboatProfile } from './newsboat.js';
import { startCorpusServer } from './server.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'presswatch.js');

function fileBytes(path: string): number {
  return [path, `${path}-wal`].reduce((sum, p) => sum + (existsSync(p) ? statSync(p).size : 0), 0);
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { feeds: { type: 'string', default: '500' }, items: { type: 'string', default: '40' }, keep: { type: 'string' }, 'no-newsboat': { type: 'boolean', default: false } } });
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    process.stderr.write('bench/storage: dist/cli/main.js is missing: run `npm run build` first.\n');
    return 2;
  }
  const feeds = Number(values.feeds);
  const itemsPerFeed = Number(values.items);
  const server = await startCorpusServer({ feeds, itemsPerFeed, seed: 20250601 });
  const scratch = await mkdtemp(join(tmpdir(), 'presswatch-storage-'));
  try {
    const urls = server.corpus.feeds.map((f) => `${server.origin}${f.path}`);
    const configDir = join(scratch, 'config');
    const dataDir = join(scratch, 'data');
    await mkdir(join(configDir, 'watchlists'), { recursive: true });
    await writeFile(join(configDir, 'watchlists', 'bench.yaml'), watchlistYaml(urls));
    const run = await measureCommand(process.execPath, [BIN, '--data-dir', dataDir, '--config-dir', configDir, '--quiet', 'digest', '--format', 'json'], { env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 300_000 });
    if (run.exitCode !== 0) throw new Error(`presswatch digest exited ${run.exitCode}: ${run.stderr.slice(0, 400)}`);
    const dbFile = join(dataDir, 'presswatch.db');
    const db = new Database(dbFile, { readonly: true });
    const items = (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
    const parts = new Map<string, number>();
    for (const row of db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[]) {
      parts.set(partOfStore(row.name), (parts.get(partOfStore(row.name)) ?? 0) + row.bytes);
    }
    const freelist = (db.pragma('freelist_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
    if (freelist) parts.set('free pages', freelist);
    db.close();
    const pwBytes = fileBytes(dbFile);
    // What the same data takes once rewritten (archive prune does this when enough is free).
    const copy = join(scratch, 'vacuumed.db');
    const vacuum = new Database(dbFile);
    vacuum.prepare('VACUUM INTO ?').run(copy);
    vacuum.close();
    const vacuumedBytes = fileBytes(copy);

    let newsboat: { version: string; bytes: number; items: number } | null = null;
    const binary = values['no-newsboat'] ? null : findNewsboat();
    if (binary) {
      const profile = await writeNewsboatProfile(join(scratch, 'newsboat'), urls, 16);
      const m = await runNewsboatReload(binary.path, profile, 300_000);
      if (m.exitCode !== 0) throw new Error(`newsboat exited ${m.exitCode}: ${m.stderr.slice(0, 400)}`);
      const count = spawnSync('sqlite3', [profile.cache, 'SELECT count(*) FROM rss_item'], { encoding: 'utf8' });
      const nbItems = count.status === 0 ? Number(count.stdout.trim()) : countWithBetterSqlite(profile.cache);
      newsboat = { version: binary.version, bytes: fileBytes(profile.cache), items: nbItems };
    }

    if (values.keep) {
      await mkdir(values.keep, { recursive: true });
      copyFileSync(dbFile, join(values.keep, 'presswatch.db'));
    }

    const lines: string[] = [];
    lines.push(`Corpus: ${feeds} feeds × ${itemsPerFeed} items, ${mb(server.corpus.stats.bytes)} of feed XML; feed text only.`, '');
    lines.push('| store | items | file | bytes per item |', '| --- | ---: | ---: | ---: |');
    lines.push(`| presswatch (SQLite), after the cold digest | ${items} | ${mb(pwBytes)} | ${Math.round(pwBytes / items)} |`);
    lines.push(`| presswatch, the same file rewritten (VACUUM) | ${items} | ${mb(vacuumedBytes)} | ${Math.round(vacuumedBytes / items)} |`);
    if (newsboat) lines.push(`| ${newsboat.version.split(' - ')[0]} (cache.db) | ${newsboat.items} | ${mb(newsboat.bytes)} | ${Math.round(newsboat.bytes / newsboat.items)} |`);
    else lines.push('| newsboat | not installed | | |');
    lines.push('', `The cold digest took ${run.cpuMs === null ? 'unknown' : `${(run.cpuMs / 1000).toFixed(1)} s of`} CPU time (user + system), ${(run.wallMs / 1000).toFixed(1)} s wall.`);
    if (newsboat) {
      const ratio = (bytes: number) => (bytes / items / (newsboat!.bytes / newsboat!.items)).toFixed(2);
      lines.push('', `presswatch / newsboat per item: ${ratio(pwBytes)}× after the digest, ${ratio(vacuumedBytes)}× rewritten (target: at most 1×).`);
    }
    lines.push('', '| part of presswatch.db | size | share |', '| --- | ---: | ---: |');
    const total = [...parts.values()].reduce((a, b) => a + b, 0);
    for (const [part, bytes] of [...parts].sort((a, b) => b[1] - a[1])) lines.push(`| ${part} | ${mb(bytes)} | ${((100 * bytes) / total).toFixed(0)} % |`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await server.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

function countWithBetterSqlite(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM rss_item').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

process.exitCode = await main();
