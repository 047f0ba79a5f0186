/**
 * `npm run bench:relevance [-- --save]`: precision, recall and ROC AUC on the
 * relevance development set (../shared/corpora/relevance/, its README says how
 * to score), for the watchlist `watchlist create --from-seed` builds from the
 * seed article with no hand editing, and for the shipped coree-russie.
 *
 * presswatch is driven as a black box (`node bin/presswatch.js`), so `npm run
 * build` must have run: the 160 items are served as one RSS file, each
 * watchlist gets its own config and data dirs, and a plain `digest --format
 * json` says what is shown (a story's other outlets count as shown) and with
 * which score. AUC is given twice: over the stories the digest shows, and over
 * all 160 items, scored in-process by the same functions the digest uses
 * (document frequencies from the 160 items). `--save` writes the table into
 * docs/relevance.md between the bench markers. Never part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { loadWatchlistFile } from '../src/config/load-watchlists.js';
import type { Watchlist } from '../src/config/watchlist.js';
import { compileFacets, matchFacets } from '../src/match/match-facets.js';
import { buildCorpusStats, scoreDocument } from '../src/relevance/profile.js';
import { relevanceScore } from '../src/relevance/relevance-score.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'presswatch.js');
const SHARED = resolve(ROOT, '..', 'shared');
const SEED = join(SHARED, 'seeds', '000_8fc84a7b7fabce73.txt');
const ITEMS = join(SHARED, 'corpora', 'relevance', 'items.jsonl');
const DOC = join(ROOT, 'docs', 'relevance.md');
const MARK_START = '<!-- bench:relevance:start -->';
const MARK_END = '<!-- bench:relevance:end -->';

interface LabelledItem {
  id: string;
  lang: 'fr' | 'en';
  title: string;
  text: string;
  relevant: boolean;
  kind: string;
}

interface Result {
  name: string;
  shown: Set<string>;
  shownScores: Map<string, number>;
  allScores: Map<string, number>;
  seconds: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { save: { type: 'boolean', default: false } } });
  if (!existsSync(ITEMS) || !existsSync(SEED)) {
    process.stderr.write(`bench:relevance: ${SHARED} is absent (the development set lives there); nothing to measure\n`);
    return;
  }
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first: the bench drives the built CLI');
  const items = (await readFile(ITEMS, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LabelledItem);
  const work = await mkdtemp(join(tmpdir(), 'presswatch-bench-relevance-'));
  try {
    const feed = join(work, 'items.xml');
    await writeFile(feed, rssOf(items));
    const results: Result[] = [];
    results.push(
      await runWatchlist(work, 'seed-built', items, (config, data) => {
        run(config, data, ['watchlist', 'create', 'seed-built', '--from-seed', SEED, '--yes', '--feed', feed]);
      }),
    );
    results.push(
      await runWatchlist(work, 'coree-russie', items, async (config) => {
        // The shipped file, with the development feed instead of the real outlets.
        const doc = parseDocument(await readFile(join(ROOT, 'watchlists', 'coree-russie.yaml'), 'utf8'));
        doc.set('feeds', [feed]);
        await writeFile(join(config, 'watchlists', 'coree-russie.yaml'), doc.toString());
      }),
    );
    const table = renderTable(results, items);
    process.stdout.write(`${table}\n`);
    if (values.save) await saveTable(table);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function runWatchlist(work: string, name: string, items: LabelledItem[], prepare: (config: string, data: string) => Promise<void> | void): Promise<Result> {
  const config = join(work, `${name}-config`);
  const data = join(work, `${name}-data`);
  // The first command copies the shipped watchlists in; keep only the one measured.
  run(config, data, ['watchlist', 'list']);
  for (const file of ['coree-russie.yaml']) await rm(join(config, 'watchlists', file), { force: true });
  await prepare(config, data);
  const started = performance.now();
  const out = run(config, data, ['digest', '-w', name, '--format', 'json']);
  const seconds = (performance.now() - started) / 1000;
  const digest = JSON.parse(out) as { stories: { url: string; score?: number; alsoReportedBy?: { url: string }[] }[] };
  const shown = new Set<string>();
  const shownScores = new Map<string, number>();
  for (const s of digest.stories) {
    for (const url of [s.url, ...(s.alsoReportedBy ?? []).map((o) => o.url)]) {
      const id = url.split('/').pop()!;
      shown.add(id);
      if (s.score !== undefined) shownScores.set(id, s.score);
    }
  }
  const { watchlist } = await loadWatchlistFile(join(config, 'watchlists', `${name}.yaml`));
  return { name, shown, shownScores, allScores: scoreAll(watchlist, items), seconds };
}

/** Every item's score as the digest computes it (src/pipeline/score-entries.ts), with document frequencies from the 160 items. */
function scoreAll(watchlist: Watchlist, items: LabelledItem[]): Map<string, number> {
  const facets = compileFacets(watchlist);
  const texts = items.map((i) => `${i.title}\n${i.text}`);
  const stats = buildCorpusStats(texts);
  const scores = new Map<string, number>();
  items.forEach((item, i) => {
    const found = facets ? matchFacets({ title: item.title, summary: item.text, content: '' }, facets) : null;
    const similarity = watchlist.reference ? scoreDocument(texts[i]!, watchlist.reference, stats) : 0;
    scores.set(item.id, relevanceScore(similarity, found));
  });
  return scores;
}

function run(config: string, data: string, args: string[]): string {
  const result = spawnSync(process.execPath, [BIN, '--config-dir', config, '--data-dir', data, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`presswatch ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

function rssOf(items: LabelledItem[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const base = Date.parse('2026-11-20T06:00:00Z');
  const entries = items.map(
    (item, i) =>
      `<item><title>${esc(item.title)}</title><link>https://dev.example/${item.id}</link><guid>${item.id}</guid><pubDate>${new Date(base + i * 600_000).toUTCString()}</pubDate><description>${esc(item.text)}</description></item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>relevance dev set</title><link>https://dev.example/</link><description>dev</description>\n${entries.join('\n')}\n</channel></rss>\n`;
}

export function rocAuc(scores: number[], labels: boolean[]): number {
  let pairs = 0;
  let wins = 0;
  scores.forEach((p, i) => {
    if (!labels[i]) return;
    scores.forEach((n, j) => {
      if (labels[j]) return;
      pairs++;
      wins += p > n ? 1 : p === n ? 0.5 : 0;
    });
  });
  return pairs === 0 ? Number.NaN : wins / pairs;
}

function renderTable(results: Result[], items: LabelledItem[]): string {
  const relevant = items.filter((i) => i.relevant).length;
  const fmt = (n: number) => (Number.isNaN(n) ? '–' : n.toFixed(3));
  const lines = ['| watchlist | shown | precision | recall | F1 | AUC (shown stories) | AUC (all 160 items) | digest time |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  const breakdown: string[] = [];
  for (const r of results) {
    const tp = items.filter((i) => i.relevant && r.shown.has(i.id)).length;
    const precision = r.shown.size ? tp / r.shown.size : Number.NaN;
    const recall = tp / relevant;
    const f1 = (2 * precision * recall) / (precision + recall);
    const shownItems = items.filter((i) => r.shownScores.has(i.id));
    const aucShown = rocAuc(
      shownItems.map((i) => r.shownScores.get(i.id)!),
      shownItems.map((i) => i.relevant),
    );
    const aucAll = rocAuc(
      items.map((i) => r.allScores.get(i.id) ?? 0),
      items.map((i) => i.relevant),
    );
    lines.push(`| ${r.name} | ${r.shown.size} | ${fmt(precision)} | ${fmt(recall)} | ${fmt(f1)} | ${fmt(aucShown)} | ${fmt(aucAll)} | ${r.seconds.toFixed(1)} s |`);
    const kinds = [...new Set(items.map((i) => i.kind))];
    const cells = kinds.map((k) => {
      const group = items.filter((i) => i.kind === k);
      return `${k} ${group.filter((i) => r.shown.has(i.id)).length}/${group.length}`;
    });
    const langs = (['fr', 'en'] as const).map((l) => {
      const group = items.filter((i) => i.lang === l && i.relevant);
      return `${l} recall ${group.filter((i) => r.shown.has(i.id)).length}/${group.length}`;
    });
    breakdown.push(`- ${r.name}: shown per kind: ${cells.join(', ')}; ${langs.join(', ')}`);
  }
  return [...lines, '', ...breakdown].join('\n');
}

async function saveTable(table: string): Promise<void> {
  const doc = await readFile(DOC, 'utf8');
  const start = doc.indexOf(MARK_START);
  const end = doc.indexOf(MARK_END);
  if (start === -1 || end === -1) throw new Error(`${DOC}: bench markers missing`);
  await writeFile(DOC, `${doc.slice(0, start + MARK_START.length)}\n${table}\n${doc.slice(end)}`);
  process.stderr.write(`saved into ${DOC}\n`);
}

await main();
